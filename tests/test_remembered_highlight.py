"""blogbuild/remembered_highlight.py: 칠한 코드 블록을 빌드 사이에 기억해도 HTML은 칠한 그대로인지.

사이트의 Markdown 설정(mkdocs.yml)으로 그립니다. Pygments가 다시 불렸는지는 pymdownx.highlight가 부르는
pygments의 highlight를 세어 봅니다.
"""

from __future__ import annotations

from pathlib import Path

import pygments
import pymdownx.highlight
import pytest

from blogbuild import memo, remembered_highlight

PAGE = (
    "# 제목\n\n```python\ndef f(x):\n    return x * 2  # 두 배\n```\n\n"
    '`#!python len(x)`과\n\n```python hl_lines="2"\ny = f(3)\nprint(y)\n```\n'
)


@pytest.fixture
def pygments_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """이 테스트 동안 pymdownx.highlight가 Pygments로 칠한 코드들."""
    calls: list[str] = []

    def counted(code, lexer, formatter):  # noqa: ANN001, ANN202
        calls.append(code)
        return pygments.highlight(code, lexer, formatter)

    monkeypatch.setattr(pymdownx.highlight, "highlight", counted)
    return calls


def _plain(render_markdown, text: str, monkeypatch: pytest.MonkeyPatch) -> str:  # noqa: ANN001
    """기억 없이(원래의 pymdownx.highlight로) 그린 HTML."""
    with monkeypatch.context() as patch:
        patch.setattr(pymdownx.highlight.Highlight, "highlight", remembered_highlight._ORIGINAL)
        return render_markdown(text)


def test_the_site_config_remembers_highlighting() -> None:
    mkdocs = (Path(__file__).parents[1] / "mkdocs.yml").read_text(encoding="utf-8")
    assert "- blogbuild.remembered_highlight" in mkdocs


def test_remembered_blocks_are_the_highlighted_html_and_pygments_runs_once(
    render_markdown, pygments_calls: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = _plain(render_markdown, PAGE, monkeypatch)
    pygments_calls.clear()
    memo.start(tmp_path / "memo.json")
    try:
        first = render_markdown(PAGE)
    finally:
        memo.finish()
    assert first == plain
    assert len(pygments_calls) == 3  # 블록 둘과 줄 안의 코드 하나
    pygments_calls.clear()
    memo.start(tmp_path / "memo.json")  # 다음 빌드
    try:
        second = render_markdown(PAGE)
    finally:
        memo.finish()
    assert second == plain
    assert pygments_calls == ["len(x)"]  # 줄 안의 코드는 기억하지 않습니다: 블록은 기억에서


def test_a_changed_block_or_place_is_highlighted_again(
    render_markdown, pygments_calls: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    memo.start(tmp_path / "memo.json")
    try:
        render_markdown(PAGE)
    finally:
        memo.finish()
    # 첫 블록의 글자가 바뀌면 그 블록만, 앞에 블록이 하나 더 서면(블록의 번호도 키입니다: 줄 앵커를 켜면 id가 됩니다) 모두
    # 다시 칠합니다. 줄 안의 코드는 언제나, 블록들을 다 칠한 뒤에 칠합니다.
    changed = PAGE.replace("x * 2", "x * 3")
    shifted = "```python\nz = 1\n```\n\n" + PAGE
    expected = {
        changed: ["def f(x):\n    return x * 3  # 두 배", "len(x)"],
        shifted: [
            "z = 1",
            "def f(x):\n    return x * 2  # 두 배",
            "y = f(3)\nprint(y)",
            "len(x)",
        ],
    }
    for text, highlighted in expected.items():
        plain = _plain(render_markdown, text, monkeypatch)
        pygments_calls.clear()
        memo.start(tmp_path / "memo.json")
        try:
            assert render_markdown(text) == plain
        finally:
            memo.finish(keep_unused=True)
        assert pygments_calls == highlighted


def test_settings_are_part_of_the_key() -> None:
    """pymdownx.highlight의 설정이 다르면(예: 줄 번호) 키가 달라 지난 HTML을 쓰지 않습니다."""
    import markdown  # noqa: PLC0415

    plain = pymdownx.highlight.Highlight(markdown.Markdown())
    numbered = pymdownx.highlight.Highlight(markdown.Markdown(), linenums=True)
    assert remembered_highlight._settings(plain) != remembered_highlight._settings(numbered)
