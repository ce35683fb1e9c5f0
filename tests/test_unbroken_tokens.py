"""blogbuild/unbroken_tokens.py: 표 칸의 하이픈·줄표 덩이가 한 줄로 묶이는지, 사이트의 Markdown 설정으로 그려 봅니다.

브라우저에서 실제로 줄이 바뀌지 않는지는 tests/test_browser.py의 test_table_cells_never_break_inside_a_token이 봅니다.
"""

from __future__ import annotations

import re

import pytest

TABLE = "| 모델 | 범위 |\n|---|---|\n| {cell} | 32–63 |\n"


def _cells(html: str) -> list[str]:
    return re.findall(r"<td>(.*?)</td>", html, re.DOTALL)


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ("GPT-3 XL", '<span class="nowrap">GPT-3</span> XL'),
        ("같은 크기의 OPT-13B가", '같은 크기의 <span class="nowrap">OPT-13B</span>가'),
        ("**bart-base**", '<strong><span class="nowrap">bart-base</span></strong>'),
        (
            "[T5-small](https://x.example/t5-small)",
            '<a href="https://x.example/t5-small"><span class="nowrap">T5-small</span></a>',
        ),
        (
            "pre-LN, post-LN",
            '<span class="nowrap">pre-LN,</span> <span class="nowrap">post-LN</span>',
        ),
        ("1,024 × 12", "1,024 × 12"),  # 줄이 바뀔 자리가 없는 덩이는 그대로
        # 한글이 덩이를 끊습니다: 한글 낱말의 줄바꿈은 keep-all이 정합니다
        ("부하(24시간-48시간)", "부하(24시간-48시간)"),
    ],
    ids=["name", "inside-korean", "bold", "link", "two", "no-break-point", "korean-run"],
)
def test_hyphenated_tokens_in_cells_are_kept_together(
    render_markdown, cell: str, shown: str
) -> None:
    first, second = _cells(render_markdown(TABLE.format(cell=cell)))
    assert first == shown
    assert second == '<span class="nowrap">32–63</span>'


def test_code_math_and_text_outside_tables_are_left_alone(render_markdown) -> None:
    html = render_markdown("GPT-3 문단\n\n| 코드 | 수식 |\n|---|---|\n| `bart-base` | $d_k-1$ |\n")
    assert "<p>GPT-3 문단</p>" in html
    assert "<code>bart-base</code>" in html
    assert "nowrap" not in html
