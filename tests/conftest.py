"""테스트가 함께 쓰는 것: 저장소 위치와 사이트 빌드."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
POSTS_DIR = ROOT / "docs" / "blog" / "posts"
# 사이트를 빌드하는 데 필요한 것들: 임시 복사본에서 일부러 망가뜨려 볼 때 씁니다.
SITE_SOURCES = [
    "mkdocs.yml",
    "docs",
    "overrides",
    "snippets",
    "notebooks",
    "blogbuild",
    "constraints.txt",
]


def mkdocs_build(project: Path, site_dir: Path) -> subprocess.CompletedProcess:
    """project의 mkdocs.yml로 엄격 빌드를 하고, 출력(stdout+stderr)을 담아 돌려줍니다."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def copy_site(destination: Path) -> Path:
    """사이트 소스를 destination에 복사합니다. 망가뜨려도 저장소는 그대로입니다."""
    destination.mkdir(parents=True)
    for name in SITE_SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source, destination / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        elif source.exists():
            shutil.copy2(source, destination / name)
    cache = ROOT / ".cache"
    if cache.is_dir():  # 실행 결과 캐시를 나눠 써서 임시 빌드가 노트북을 다시 돌리지 않게 합니다
        shutil.copytree(cache, destination / ".cache")
    return destination


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """저장소를 한 번 엄격 빌드한 site 디렉터리. 빌드가 실패하면 그 출력과 함께 실패합니다."""
    site = tmp_path_factory.mktemp("site")
    result = mkdocs_build(ROOT, site)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    warnings = [line for line in output.splitlines() if "WARNING" in line]
    assert not warnings, "\n".join(warnings)
    return site
