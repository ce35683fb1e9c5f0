"""execute 단계: 동반 노트북(notebooks/*.py)을 갇힌 커널에서 실행해 build/outputs/<노트북>/에 씁니다.

실행(execution)은 노트북마다 실제로 읽은 저장소의 파일로 키를 매겨, 키가 그대로인 노트북은 실행하지
않습니다. 노트북의 코드는 기여자가 보낸 것이므로 sandbox가 가둡니다. 결과의 크기도 여기서 검사합니다.
환경 변수 BLOG_EXECUTE=0이면 실행하지 않고 지난 결과를 씁니다(빠른 미리 보기).
"""

from __future__ import annotations

import logging
import os
import time

from blogbuild import execution, sandbox
from blogbuild.project import Project, StageError, stop

log = logging.getLogger("mkdocs.hooks.blogbuild")
DEFAULT_TIMEOUT = 120


def run(project: Project) -> execution.Prepared:
    settings = project.extra("execution")
    # 동시에 실행할 수(없으면 코어 수)는 실행할 때 정합니다: 가두는 방식을 알아보는 데도 시간이 듭니다.
    jobs = int(settings.get("jobs") or 0) or None
    started = time.perf_counter()
    try:
        prepared = execution.prepare_outputs(
            project.root,
            project.outputs,
            timeout=float(settings.get("timeout", DEFAULT_TIMEOUT)),
            execute=os.environ.get("BLOG_EXECUTE", "1") != "0",
            jobs=jobs,
            memory_mb=int(settings.get("memory_mb", execution.DEFAULT_MEMORY_MB)),
        )
    except (execution.ExecutionError, sandbox.ServerError) as error:
        raise StageError("노트북을 실행할 수 없습니다:", [error]) from error
    log.info(prepared.log_line(jobs, time.perf_counter() - started))
    limits = execution.SizeLimits(
        cell_output_kb=int(settings.get("max_cell_output_kb", execution.SizeLimits.cell_output_kb)),
        published_kb=int(settings.get("max_published_kb", execution.SizeLimits.published_kb)),
    )
    stop(
        "노트북의 결과가 너무 큽니다:",
        execution.size_problems(project.root, project.outputs, limits),
    )
    return prepared
