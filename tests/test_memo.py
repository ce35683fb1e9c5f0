"""blogbuild/memo.py: 빌드 사이에 남기는 계산 결과가 입력이나 코드가 바뀌면 다시 계산되는지.

온 빌드가 기억으로 만든 사이트가 처음부터 계산한 사이트와 바이트까지 같은지는 tests/test_site.py가 봅니다.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

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


def test_a_build_that_used_only_remembered_values_leaves_the_file_alone(tmp_path: Path) -> None:
    """온 빌드(모든 값이 기억에서)는 같은 파일을 다시 쓰지 않습니다: 쓰면 새 파일로 바꿔 넣으므로 inode가 바뀝니다."""
    path = tmp_path / "memo.json"
    _, compute = _counting()
    first = Memo(path)
    first(b"code", ["input"], compute)
    first.save()
    written = path.stat().st_ino
    warm = Memo(path)
    warm(b"code", ["input"], compute)
    warm.save()
    assert path.stat().st_ino == written
    edited = Memo(path)
    edited(b"code", ["other"], compute)
    edited.save()
    assert path.stat().st_ino != written
    assert len(json.loads(path.read_text(encoding="utf-8"))) == 1  # 이번에 쓴 other만


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


def test_what_a_remembered_value_was_computed_from_is_kept_for_the_next_build(
    tmp_path: Path,
) -> None:
    """바깥 값(검사 단계 전체)을 기억에서 찾은 빌드는 안쪽(글마다의 검사)을 부르지 않지만, 그 안쪽 항목도
    남깁니다: 글 하나를 고쳐 바깥을 다시 계산하는 다음 빌드는 바뀌지 않은 글을 다시 검사하지 않습니다."""
    path = tmp_path / "memo.json"
    checked: list[str] = []

    def check_all(posts: list[str], build: Memo) -> object:
        def compute() -> list:
            return [build(b"code", [post], lambda p=post: checked.append(p) or p) for post in posts]

        return build(b"code", ["all", *posts], compute)

    for posts in (["a", "b"], ["a", "b"], ["a", "b2"]):
        build = Memo(path)
        check_all(posts, build)
        build.save()
    assert checked == ["a", "b", "b2"]


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


def test_the_code_key_follows_what_the_calling_module_uses() -> None:
    """코드의 키는 손으로 적은 파일 목록이 아니라, 부른 모듈이 (간접으로도) 쓰는 blogbuild의 모듈들입니다."""
    files = {path.name for path in memo.code_files("blogbuild.glossary")}
    # glossary → frontmatter, problems → yaml_input: 옛 목록("glossary.py", "frontmatter.py", "problems.py")에는
    # yaml_input.py가 없어, 그 파일을 고쳐도 지난 검사 결과가 그대로 쓰였습니다.
    assert {"glossary.py", "frontmatter.py", "problems.py", "yaml_input.py"} <= files
    assert "figures.py" not in files  # 쓰지 않는 모듈은 키에 들지 않습니다
    assert memo.code_version("blogbuild.glossary") != memo.code_version("blogbuild.figures")


def _glossary_check_twice(tmp_path: Path, spoil) -> list[str]:
    """기억을 켠 용어집 검사를 한 번 하고, 기억 파일을 spoil로 망가뜨린 뒤 다시 합니다."""
    entries = [Entry("층", "layer", (), ("레이어",))]
    post = tmp_path / "post.md"
    post.write_text("---\nslug: a\n---\n\n층(layer)과 레이어.\n", encoding="utf-8")
    path = tmp_path / "memo.json"
    for _ in range(2):
        memo.start(path)
        try:
            problems = [str(p) for p in glossary.check_post(post, tmp_path, entries)]
        finally:
            memo.finish()
        spoil(path)
    return problems


WRONG_SHAPES = {
    "list": lambda path: path.write_text("[1, 2]", encoding="utf-8"),
    "truncated": lambda path: path.write_text(path.read_text(encoding="utf-8")[:-7], "utf-8"),
    "wrong value types": lambda path: path.write_text(
        json.dumps(dict.fromkeys(json.loads(path.read_text(encoding="utf-8")), "x")), "utf-8"
    ),
    "wrong item types": lambda path: path.write_text(
        json.dumps(dict.fromkeys(json.loads(path.read_text(encoding="utf-8")), [["5", "m"]])),
        "utf-8",
    ),
}


@pytest.mark.parametrize("spoil", WRONG_SHAPES.values(), ids=WRONG_SHAPES.keys())
def test_a_memo_of_the_wrong_shape_is_discarded_with_one_note(
    tmp_path: Path, spoil, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="mkdocs.hooks.blogbuild")
    problems = _glossary_check_twice(tmp_path, lambda path: None)
    caplog.clear()
    assert _glossary_check_twice(tmp_path, spoil) == problems
    notes = [r.getMessage() for r in caplog.records if "memo.json" in r.getMessage()]
    assert len(notes) == 1, notes
    assert "버리고 다시 계산합니다" in notes[0]


def test_a_new_version_of_a_tool_the_value_names_is_computed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls, compute = _counting()
    for version in ("1.0", "1.0", "2.0"):
        memo.tool_version.cache_clear()
        monkeypatch.setattr(memo.importlib.metadata, "version", lambda _name, v=version: v)
        memo.start(tmp_path / "memo.json")
        try:
            memo.remembered(["input"], compute, shape=list, tools=("Pygments",))
        finally:
            memo.finish()
    memo.tool_version.cache_clear()
    assert len(calls) == 2  # 1.0에서 한 번, 2.0에서 다시
