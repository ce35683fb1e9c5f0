"""수식을 빌드 때 MathML로 바꿉니다.

pymdownx.arithmatex(generic 모드)는 `$$ ... $$`를 `<div class="arithmatex">\\[ ... \\]</div>`로
감싸 둘 뿐 그리지는 않습니다. 보통은 MathJax나 KaTeX 스크립트를 외부에서 불러와 브라우저가
그리지만, 이 블로그는 보는 순간 아무것도 외부에서 불러오지 않으므로 빌드 때 MathML로 바꿔 둡니다.
브라우저가 MathML을 직접 그리므로 수식이 있는 페이지에도 수식용 스크립트가 필요 없습니다.
"""

from __future__ import annotations

import html
import re

from latex2mathml.converter import convert

BLOCK = re.compile(r'<div class="arithmatex">\s*\\\[(?P<tex>.*?)\\\]\s*</div>', re.DOTALL)
INLINE = re.compile(r'<span class="arithmatex">\s*\\\((?P<tex>.*?)\\\)\s*</span>', re.DOTALL)


class MathError(ValueError):
    """수식을 MathML로 바꾸지 못했을 때: 어느 수식인지 알려 줍니다."""


def _to_mathml(tex: str, display: str) -> str:
    source = html.unescape(tex).strip()
    try:
        return convert(source, display=display)
    except Exception as error:  # latex2mathml은 여러 종류의 예외를 냅니다
        raise MathError(f"수식 '{source}'을 MathML로 바꿀 수 없습니다: {error}") from error


def render_math(page_html: str) -> str:
    """arithmatex가 남긴 수식 자리를 MathML로 바꾼 HTML을 돌려줍니다."""
    page_html = BLOCK.sub(
        lambda m: f'<div class="math-block">{_to_mathml(m["tex"], "block")}</div>', page_html
    )
    return INLINE.sub(lambda m: _to_mathml(m["tex"], "inline"), page_html)
