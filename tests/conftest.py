"""테스트가 함께 쓰는 것: 저장소 위치와 사이트 빌드."""

from __future__ import annotations

from pathlib import Path

import pytest

from blogbuild.workspace import ROOT, mkdocs_build
from blogbuild.workspace import copy_site as _copy_site

POSTS_DIR = ROOT / "docs" / "blog" / "posts"

__all__ = ["POSTS_DIR", "ROOT", "copy_site", "mkdocs_build"]


def copy_site(destination: Path) -> Path:
    """사이트 소스의 임시 복사본. 실행 결과도 함께 복사해 노트북을 다시 돌리지 않게 합니다."""
    return _copy_site(destination, with_outputs=True)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """저장소를 한 번 엄격 빌드한 site 디렉터리. 빌드가 실패하면 그 출력과 함께 실패합니다."""
    site = tmp_path_factory.mktemp("site")
    result = mkdocs_build(ROOT, site)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    warnings = [line for line in output.splitlines() if line.startswith("WARNING")]
    assert not warnings, "\n".join(warnings)
    return site
