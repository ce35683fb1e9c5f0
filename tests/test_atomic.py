"""빌드가 build/에 쓰는 파일은 통째로 바뀝니다: 같은 저장소를 함께 빌드하는 다른 빌드가 반쯤 쓴 파일을 읽지 않게.

make test의 두 작업자가 저장소를 함께 빌드하다 한쪽이 다른 쪽이 다시 쓰던 build/glossary.md를 읽어
'UnicodeDecodeError: unexpected end of data'로 멈춘 적이 있습니다(비 root 사용자의 .ci/run에서 178개 오류).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from blogbuild import atomic, glossary
from tests.conftest import POSTS_DIR, ROOT


def test_a_reader_of_the_old_file_sees_it_whole_while_it_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "build" / "table.md"
    path.parent.mkdir()
    old = "가나다\n".encode() * 5000
    path.write_bytes(old)
    with path.open("rb") as reader:
        atomic.write_if_changed(path, b"new")
        assert reader.read() == old  # 제자리에서 다시 쓰면 잘린 파일을 읽습니다
    assert path.read_bytes() == b"new"
    assert [p.name for p in path.parent.iterdir()] == ["table.md"], "임시 파일이 남지 않습니다"


def test_an_unchanged_file_is_not_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "same.md"
    atomic.write_if_changed(path, b"same")
    before = path.stat().st_ino, path.stat().st_mtime_ns
    atomic.write_if_changed(path, b"same")
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == before


def test_the_glossary_list_is_replaced_whole(tmp_path: Path) -> None:
    """용어집 목록을 쓰는 빌드 단계가 그 방식을 씁니다(시리즈 목록과 사이트에 싣는 노트북도 같은 함수)."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    table = tmp_path / glossary.LIST
    table.parent.mkdir()
    table.write_text("지난 빌드의 표\n" * 5000, encoding="utf-8")
    with table.open("rb") as reader:
        glossary.write_page(tmp_path, sorted(POSTS_DIR.glob("*.md")), ROOT / "docs")
        assert reader.read().decode("utf-8") == "지난 빌드의 표\n" * 5000
    assert "지난 빌드" not in table.read_text(encoding="utf-8")
