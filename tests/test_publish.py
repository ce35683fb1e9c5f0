"""snippets/publish.py: 저장한 산출물이 사이트의 마크다운에서 뜻한 대로 읽히는지 확인합니다."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import markdown
import pytest

from snippets.publish import save_numbers, save_table, save_text


@pytest.fixture(autouse=True)
def outputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BLOG_OUTPUT_DIR", str(tmp_path))
    return tmp_path


def _render(path: Path) -> str:
    return markdown.markdown(
        path.read_text(encoding="utf-8"), extensions=["pymdownx.superfences", "tables"]
    )


@pytest.mark.parametrize(
    "body",
    ["보통 문장", "백틱 ``` 세 개가 든 문장", "````\n줄 첫머리의 백틱 네 개", "<b>태그</b> & 기호"],
    ids=["plain", "three-backticks", "four-backticks-at-line-start", "html"],
)
def test_saved_text_renders_as_one_code_block_with_the_body_verbatim(body: str) -> None:
    rendered = _render(save_text("sample", body))
    blocks = re.findall(r"<code>(.*?)</code>", rendered, flags=re.S)
    assert len(blocks) == 1, rendered
    assert html.unescape(blocks[0]).rstrip("\n") == body


def test_saved_table_renders_as_a_table_with_every_row() -> None:
    rendered = _render(save_table("sizes", ["모델", "파라미터"], [["A", "1,000"], ["B", 2]]))
    assert rendered.count("<tr>") == 3
    assert "<th>파라미터</th>" in rendered and "<td>2</td>" in rendered


def test_saved_numbers_accumulate_and_use_dashed_keys(outputs: Path) -> None:
    save_numbers(first_value=1)
    save_numbers(second="둘")
    numbers = json.loads((outputs / "numbers.json").read_text(encoding="utf-8"))
    assert numbers == {"first-value": 1, "second": "둘"}
