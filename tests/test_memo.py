"""blogbuild/memo.py: 빌드 사이에 남기는 계산 결과가 입력이나 코드가 바뀌면 다시 계산되는지.

온 빌드가 기억으로 만든 사이트가 처음부터 계산한 사이트와 바이트까지 같은지는 tests/test_site.py가 봅니다.
"""

from __future__ import annotations

from pathlib import Path

from blogbuild import glossary, memo
from blogbuild.glossary import Entry
from blogbuild.memo import Memo


def _counting() -> tuple[list[int], object]:
    calls: list[int] = []

    def compute() -> list:
        calls.append(1)
        return [len(calls), ("a", 1.5)]

    return calls, compute


def test_a_value_is_computed_once_and_read_back_by_the_next_build(tmp_path: Path) -> None:
    path = tmp_path / "memo.json"
    calls, compute = _counting()
    first = Memo(path)
    assert first(b"code", ["input"], compute) == [1, ["a", 1.5]]  # JSON의 꼴: 튜플은 리스트
    assert first(b"code", ["input"], compute) == [1, ["a", 1.5]]
    first.save()
    assert Memo(path)(b"code", ["input"], compute) == [1, ["a", 1.5]]
    assert len(calls) == 1


def test_other_code_or_other_input_is_computed_again(tmp_path: Path) -> None:
    path = tmp_path / "memo.json"
    calls, compute = _counting()
    first = Memo(path)
    first(b"code", ["input", b"\x00bytes"], compute)
    first.save()
    second = Memo(path)
    second(b"other code", ["input", b"\x00bytes"], compute)
    second(b"code", ["input", b"\x00bytez"], compute)
    # 입력의 경계도 키에 들어갑니다: ("ab", "c")와 ("a", "bc")는 다른 입력입니다.
    second(b"code", ["inputb", b"\x00ytes"], compute)
    assert len(calls) == 4


def test_a_full_build_keeps_only_what_it_used_and_a_dirty_build_keeps_all(tmp_path: Path) -> None:
    path = tmp_path / "memo.json"
    calls, compute = _counting()
    first = Memo(path)
    first(b"code", ["old"], compute)
    first.save()
    dirty = Memo(path)
    dirty(b"code", ["new"], compute)
    dirty.save(keep_unused=True)
    full = Memo(path)
    full(b"code", ["new"], compute)
    full.save()
    Memo(path)(b"code", ["old"], compute)
    assert len(calls) == 3  # old, new, 그리고 온전한 빌드가 버린 old


def test_a_missing_or_broken_memo_is_an_empty_one(tmp_path: Path) -> None:
    path = tmp_path / "memo.json"
    calls, compute = _counting()
    path.write_text("{not json", encoding="utf-8")
    assert Memo(path)(b"code", ["input"], compute) == [1, ["a", 1.5]]
    path.write_text("[1, 2]", encoding="utf-8")
    assert Memo(path)(b"code", ["input"], compute) == [2, ["a", 1.5]]
    assert Memo(None)(b"code", ["input"], compute) == [3, ["a", 1.5]]  # 켜지 않으면 언제나 계산


def test_a_remembered_glossary_check_still_reports_an_edit(tmp_path: Path) -> None:
    """빌드가 기억을 켠 채로: 깨끗했던 글을 고쳐 피하는 꼴을 넣으면 문제가 나옵니다."""
    entries = [Entry("층", "layer", (), ("레이어",))]
    post = tmp_path / "post.md"
    memo.start(tmp_path / "memo.json")
    try:
        post.write_text("---\nslug: a\n---\n\n층(layer)은 쌓입니다.\n", encoding="utf-8")
        assert glossary.check_post(post, tmp_path, entries) == []
        memo.finish()
        memo.start(tmp_path / "memo.json")
        post.write_text("---\nslug: a\n---\n\n층(layer)과 레이어.\n", encoding="utf-8")
        problems = [str(p) for p in glossary.check_post(post, tmp_path, entries)]
        assert problems == [
            "post.md:5: '레이어' 대신 용어집(data/glossary.yml)의 용어를 쓰세요: 층"
        ]
    finally:
        memo.finish()
