"""독자의 브라우저가 첫 방문에 받는 것(issue 27): 코드 줄마다의 앵커.

바이트와 점수 자체는 벤치마크(make bench-lighthouse)가 찍고, 여기서는 그 숫자를 만든 성질을 봅니다.
"""

from __future__ import annotations

from pathlib import Path


def _pages(site: Path) -> dict[str, str]:
    return {
        page.relative_to(site).as_posix(): page.read_text(encoding="utf-8")
        for page in site.rglob("*.html")
    }


def test_code_blocks_carry_no_anchor_per_line(built_site: Path) -> None:
    """코드 줄마다의 <span id="__span-…">와 <a id="__codelineno-…">(줄 번호가 없으니 아무도 링크하지 않는
    앵커)는 줄마다 요소 둘이었습니다: 노트북 페이지 bart-vs-t5에서 4,882개 가운데 1,218개. 페이지를 열 때
    Material의 팔레트 스크립트가 문서 전체의 스타일을 네 번 다시 계산하므로 요소 수가 곧 시간입니다."""
    with_code = {name: html for name, html in _pages(built_site).items() if "<pre" in html}
    assert any(name.startswith("notebooks/") for name in with_code)
    assert any(name.startswith("blog/20") for name in with_code)
    anchored = [
        name for name, html in with_code.items() if "__codelineno" in html or '"__span-' in html
    ]
    assert anchored == []
