"""blogbuild/math_font.py: 사이트가 싣는 수식 글꼴은 MATH 표를 지닌 채 사이트의 수식이 쓰는 글자를 모두 담습니다.

근호가 막대와 이어져 그려지는지는 진짜 브라우저가 봅니다(tests/test_browser.py의 근호 검사).
"""

from __future__ import annotations

import base64
import io
import posixpath
import re
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from blogbuild import math_font
from blogbuild.project import StageError
from tests.conftest import ROOT

PAGE = (
    "<p>점수를 <math><msqrt><msub><mi>d</mi><mi>k</mi></msub></msqrt></math>로 나눕니다. "
    "<math><mi>h</mi><mo>&#x2212;</mo><mn>1</mn></math></p>"
)


def _face(data: bytes) -> TTFont:
    return TTFont(io.BytesIO(data))


def test_the_source_font_has_a_math_table_and_its_licence() -> None:
    face = _face((ROOT / math_font.SOURCE).read_bytes())
    assert "MATH" in face
    assert "SIL Open Font License" in (ROOT / "fonts" / "OFL.txt").read_text(encoding="utf-8")


def test_characters_are_the_math_text_the_radical_and_the_italics_a_browser_draws() -> None:
    chars = math_font.characters([PAGE, "<p>수식 밖의 글자 Z</p>"])
    assert set(chars) == {"d", "k", "h", "−", "1", "√", "\U0001d451", "\U0001d458", "\u210e"}


def test_no_radical_no_radical_glyph() -> None:
    assert "√" not in math_font.characters(["<math><mi>x</mi></math>"])


def test_the_subset_keeps_the_math_table_and_every_character(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(PAGE, encoding="utf-8")
    written = math_font.write(site, ROOT)
    assert written == site / math_font.SITE_PATH
    face = _face(written.read_bytes())
    assert "MATH" in face
    assert set(math_font.characters([PAGE])) <= {chr(code) for code in face.getBestCmap()}
    assert written.stat().st_size < 20_000  # 원본(250 KB)에서 쓰는 글자만


def test_the_stylesheet_points_at_the_font_the_build_writes() -> None:
    css = (ROOT / "docs" / "stylesheets" / "extra.css").read_text(encoding="utf-8")
    url = re.search(r'font-family: "Blog Math";\s*src: url\("([^"]+)"\)', css)
    assert url, "extra.css에 수식 글꼴의 @font-face가 없습니다"
    assert posixpath.normpath(posixpath.join("stylesheets", url[1])) == math_font.SITE_PATH
    assert re.search(r'math \{\s*font-family: "Blog Math"', css)


def test_the_encoded_subset_round_trips() -> None:
    assert _face(base64.b64decode(math_font._subset((ROOT / math_font.SOURCE).read_bytes(), "√x")))


def test_the_subset_is_the_same_bytes_whenever_it_is_made() -> None:
    """같은 글자로 만든 글꼴은 만든 시각과 상관없이 같은 바이트입니다: head의 수정 시각은 원본의 것."""
    source = (ROOT / math_font.SOURCE).read_bytes()
    subset = _face(base64.b64decode(math_font._subset(source, "√x")))
    assert subset["head"].modified == _face(source)["head"].modified


def test_a_missing_source_font_is_named_not_a_traceback(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(PAGE, encoding="utf-8")
    with pytest.raises(StageError, match="fonts/NotoSansMath-Regular.woff가 없습니다"):
        math_font.write(site, tmp_path)
