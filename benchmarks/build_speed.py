"""빌드 속도 벤치마크: 냉(cold)·온(warm)·실행 끈 빌드, 글/코드 수정 뒤 다시 빌드, serve의 새로 고침, 전체 테스트 시간.

목표: 온 빌드가 실행을 끈 빌드의 1.2배 안. 시간 제한을 거는 테스트가 아니라 숫자를 출력하는 스크립트입니다.
실행: make bench  (또는 .venv/bin/python benchmarks/build_speed.py [--skip-tests])
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from blogbuild.workspace import ROOT, copy_site, live_server, mkdocs_build

EXECUTED = re.compile(r"노트북 실행: (.*) \(")


def timed_build(project: Path, site: Path, **env: str) -> tuple[float, str]:
    """빌드 한 번의 벽시계 시간(초)과, 이번에 실행된 노트북 목록."""
    started = time.perf_counter()
    result = mkdocs_build(project, site, env=env)
    elapsed = time.perf_counter() - started
    output = result.stdout + result.stderr
    if result.returncode != 0:
        sys.exit(f"빌드 실패:\n{output}")
    executed = EXECUTED.search(output)
    return elapsed, executed.group(1) if executed else "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-tests", action="store_true", help="전체 테스트 시간은 재지 않기")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        project = copy_site(Path(tmp) / "project")
        site = Path(tmp) / "site"
        rows = []
        cold, ran = timed_build(project, site)
        rows.append(("냉 빌드 (캐시 없음)", cold, ran))
        warm, ran = timed_build(project, site)
        rows.append(("온 빌드 (캐시 가득)", warm, ran))
        disabled, ran = timed_build(project, site, BLOG_EXECUTE="0")
        rows.append(("실행 끈 빌드 (BLOG_EXECUTE=0)", disabled, "없음(실행 꺼짐)"))

        post = project / "docs" / "blog" / "posts" / "residual-connection.md"
        post.write_text(post.read_text(encoding="utf-8") + "\n글을 고친 한 줄.\n", encoding="utf-8")
        edited, ran = timed_build(project, site)
        rows.append(("글(.md) 수정 뒤 빌드", edited, ran))

        module = project / "snippets" / "attention.py"
        module.write_text(
            module.read_text(encoding="utf-8") + "\n# 코드를 고친 한 줄\n", encoding="utf-8"
        )
        touched, ran = timed_build(project, site)
        rows.append(("snippets/attention.py 수정 뒤 빌드", touched, ran))

        # 글쓴이가 보는 시간: 띄워 둔 mkdocs serve가 글 수정을 알아채고 다시 빌드해 새로 고칠 때까지.
        # 서버가 자리 잡도록 잠깐 두고, 세 번 고쳐 중앙값을 냅니다.
        for dirty, name in (
            (False, "make serve: 글 수정 → 새로 고침"),
            (True, "make write: 글 수정 → 새로 고침"),
        ):
            reloads = []
            with live_server(project, dirty=dirty) as server:
                for _ in range(3):
                    time.sleep(2)
                    post.write_text(
                        post.read_text(encoding="utf-8") + "\n한 줄 더.\n", encoding="utf-8"
                    )
                    reloads.append(server.wait_for_reload(timeout=600))
                executed = EXECUTED.findall("".join(server.log))
            rows.append(
                (name + " (중앙값)", statistics.median(reloads), executed[-1] if executed else "?")
            )

    width = max(len(name) for name, _, _ in rows)
    for name, seconds, ran in rows:
        print(f"{name:<{width}}  {seconds:6.2f} s   실행된 노트북: {ran}")
    print(f"{'온 빌드 / 실행 끈 빌드':<{width}}  {warm / disabled:6.2f} x   (목표 <= 1.20)")

    if not args.skip_tests:
        started = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "pytest", "-q"], cwd=ROOT)
        print(
            f"{'전체 테스트 (pytest)':<{width}}  {time.perf_counter() - started:6.2f} s   종료 코드 {result.returncode}"
        )


if __name__ == "__main__":
    main()
