"""사이트 소스의 임시 복사본: 테스트와 벤치마크가 저장소를 건드리지 않고 빌드해 볼 때 씁니다."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# 사이트를 빌드하는 데 필요한 것들 (빌드 산출물과 캐시는 뺍니다: 복사본은 냉 상태로 시작합니다).
SITE_SOURCES = [
    "mkdocs.yml",
    "docs",
    "overrides",
    "snippets",
    "notebooks",
    "blogbuild",
    "constraints.txt",
]


def copy_site(destination: Path, with_outputs: bool = False) -> Path:
    """사이트 소스를 destination에 복사합니다. with_outputs면 실행 결과(build/)와 캐시도 복사합니다."""
    destination.mkdir(parents=True)
    names = SITE_SOURCES + (["build", ".cache"] if with_outputs else [])
    for name in names:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source, destination / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        elif source.exists():
            shutil.copy2(source, destination / name)
    return destination


def mkdocs_build(
    project: Path, site_dir: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """project의 mkdocs.yml로 엄격 빌드를 하고, 출력(stdout+stderr)을 담아 돌려줍니다."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
        capture_output=True,
        text=True,
        timeout=1800,
    )
