"""수식 글꼴: 빌드가 만든 MathML을 그릴 글꼴을 사이트가 스스로 싣습니다.

브라우저는 MathML의 근호(√)와 그 위의 막대, 첨자의 자리를 글꼴의 OpenType MATH 표로 잡습니다. MATH 표가 있는
글꼴이 시스템에 없으면(Debian의 기본 글꼴, 많은 휴대폰) √가 막대에서 떨어져 그려집니다. 그래서 MATH 표가 있는
Noto Sans Math(fonts/, SIL OFL 1.1)에서 사이트의 수식이 쓰는 글자만 남긴 글꼴을 assets/fonts/math.woff로 싣고,
docs/stylesheets/extra.css의 @font-face가 <math>에 씁니다. CSP의 font-src 'self'가 허락하는 같은 사이트의 파일이라
다른 곳에서 아무것도 받지 않습니다.

남기는 글자: 사이트의 모든 <math> 안의 글자, <msqrt>·<mroot>가 그리는 √, 그리고 글자 하나짜리 <mi>를 브라우저가
바꿔 그리는 수학 이탤릭(d → U+1D451). 늘어나는 괄호와 근호의 큰 꼴은 MATH 표를 따라 함께 남습니다(fontTools).
"""

from __future__ import annotations

import base64
import html
import io
import logging
import re
from pathlib import Path

from blogbuild import atomic, memo
from blogbuild.project import StageError

SOURCE = Path("fonts") / "NotoSansMath-Regular.woff"
SITE_PATH = "assets/fonts/math.woff"  # docs/stylesheets/extra.css의 @font-face가 가리키는 곳
_MATH = re.compile(r"<math\b.*?</math>", re.S)
_RADICAL = re.compile(r"<m(?:sqrt|root)\b")


def _italic(char: str) -> str | None:
    """브라우저가 글자 하나짜리 <mi>를 그릴 때 쓰는 수학 이탤릭(Unicode의 Mathematical Alphanumeric Symbols)."""
    if char == "h":
        return "\u210e"  # 이탤릭 h만 그 구역 밖(플랑크 상수)에 있습니다
    for first, last, italic in (
        ("A", "Z", 0x1D434),
        ("a", "z", 0x1D44E),
        ("Α", "Ω", 0x1D6E2),
        ("α", "ω", 0x1D6FC),
    ):
        if first <= char <= last:
            return chr(italic + ord(char) - ord(first))
    return None


def characters(pages: list[str]) -> str:
    """pages(HTML)의 수식이 쓰는 글자들(차례대로 한 번씩)."""
    found: set[str] = set()
    for page in pages:
        for math in _MATH.findall(page):
            found |= set(html.unescape(re.sub(r"<[^>]+>", "", math))) - {" ", "\n", "\t"}
            if _RADICAL.search(math):
                found.add("√")
    found |= {italic for char in found if (italic := _italic(char))}
    return "".join(sorted(found))


def _subset(font: bytes, chars: str) -> str:
    from fontTools import subset  # 수식이 바뀐 빌드에서만 필요합니다
    from fontTools.ttLib import TTFont

    logging.getLogger("fontTools").setLevel(logging.WARNING)  # 글리프마다 INFO 줄을 남기지 않게
    options = subset.Options()
    options.layout_features = ["*"]
    options.flavor = "woff"
    # 원본의 수정 시각을 그대로: 지금 시각을 적으면 같은 글자로 만든 글꼴도 빌드마다 바이트가 달라집니다
    face = TTFont(io.BytesIO(font), recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(char) for char in chars])
    subsetter.subset(face)
    out = io.BytesIO()
    face.save(out)
    return base64.b64encode(out.getvalue()).decode("ascii")


def write(site: Path, root: Path) -> Path:
    """site의 수식이 쓰는 글자만 남긴 글꼴을 site/assets/fonts/math.woff로 씁니다(글자와 원본이 같으면 기억에서)."""
    pages = [path.read_text(encoding="utf-8") for path in sorted(site.rglob("*.html"))]
    chars = characters(pages)
    if not (root / SOURCE).is_file():
        raise StageError(
            "수식 글꼴을 만들 수 없습니다:",
            [
                f"{SOURCE}가 없습니다: 저장소의 fonts/를 되살리세요(어디서 온 파일인지는 fonts/README.md)"
            ],
        )
    font = (root / SOURCE).read_bytes()
    encoded = memo.remembered(  # 글꼴을 만드는 도구의 판도 키에: 판이 바뀌면 다시 만듭니다
        [font, chars], lambda: _subset(font, chars), shape=str, tools=("fonttools",)
    )
    target = site / SITE_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_if_changed(target, base64.b64decode(encoded))
    return target
