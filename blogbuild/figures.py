"""글의 그림(노트북이 만든 SVG)을 번호 붙은 <figure>로 싣고, 그림 속 글자가 읽히는 크기인지 검사합니다.

노트북은 그림 하나를 네 벌로 저장합니다(notebook_outputs/figures.py의 save_plot): 밝은 팔레트의 `<이름>.svg`,
어두운 팔레트(slate)의 `<이름>-dark.svg`, 휴대폰 칸에 맞춰 다시 배치한 `<이름>-narrow.svg`와
`<이름>-narrow-dark.svg`를 결과 목록(manifest.json)에 대체 텍스트, 캡션과 함께 적습니다. 글은 그림을
이름 한 줄로 싣습니다.

    {{ outputs/<노트북>/<이름> }}

placeholders가 그 줄을 밝은 넓은 벌 하나만 든 문단으로 바꾸고, 빌드는 그 문단을 `<figure>`로 바꿉니다. 팔레트마다 `<picture>` 하나(Material의 `#only-light`,
`#only-dark`가 보이지 않는 쪽을 숨김), 그 안의 `<source media=...>`가 휴대폰에서 좁은 그림을 고르고,
`<figcaption>`은 "그림 N." 뒤에 캡션을 씁니다. 없는 벌은 건너뜁니다(어두운 벌이 없으면
밝은 그림이 두 팔레트에 나옵니다).

`width`/`height`로 자리를 미리 잡아 불러올 때 글이 밀리지 않게(CLS 0) 하고, 화면 밖의 그림은
`loading="lazy"`로 다가올 때 불러옵니다(숨긴 팔레트의 그림은 불러오지 않습니다).

글자 크기 검사: SVG의 글자 크기(사용자 단위)에 그 그림이 실제로 보이는 폭 / SVG 폭을 곱한 것이
화면에 보이는 글자 크기입니다. 1280px 화면의 본문 칸(DESKTOP_COLUMN)과 390px 화면의 본문 칸
(PHONE_COLUMN)에서 가장 작은 글자가 FLOORS보다 작으면 파일, 그림 번호, 그 글자를 짚어 빌드를
멈춥니다. 두 칸의 폭은 Material의 레이아웃에서 잰 값이고, 브라우저 테스트(tests/test_browser.py)가
실제 화면에서 다시 잽니다.
"""

from __future__ import annotations

import functools
import html
import math
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from blogbuild import attention_figure, manifest, memo

FIGURE = re.compile(
    r'<img (?P<attrs>[^>]*?\bsrc="[^"]*?\boutputs/(?P<path>[a-z0-9-]+/[^"/]+\.svg)"[^>]*?)\s*/?>'
)
# FIGURE가 찾는 것의 끝부분(outputs/<노트북>/<이름>.svg"): 이것이 없는 HTML에는 FIGURE도 없습니다. 노트북 페이지는
# 그림을 수백 KB의 base64 data: 주소로 싣는데, FIGURE의 느긋한 [^"]*?는 그 글자를 한 자씩 되짚습니다.
FIGURE_TAIL = re.compile(r'outputs/[a-z0-9-]+/[^"/]+\.svg"')
# 문단 하나에 노트북의 그림 하나만: Markdown의 `![...](...)` 한 줄.
FIGURE_PARAGRAPH = re.compile(r"<p>\s*(?P<img>" + FIGURE.pattern + r")\s*</p>")
# 번호를 매길 그림: 노트북 그림 하나뿐인 문단, 또는 어텐션 그림(attention_figure.render)의 여는 태그부터 빈
# 번호 자리까지. 한 번에 훑어 두 종류가 글의 차례대로 "그림 1, 2, ..."를 나눠 갖습니다.
NUMBERED = re.compile(
    FIGURE_PARAGRAPH.pattern
    + "|"
    + re.escape(attention_figure.OPEN)
    + r"(?P<attention>.*?)"
    + re.escape(attention_figure.NUMBER_SLOT),
    re.DOTALL,
)
LENGTH = re.compile(r"\b(?P<name>width|height)=\"(?P<value>[0-9.]+)(?P<unit>pt|px)?\"")
PX_PER_UNIT = {"pt": 4 / 3, "px": 1.0, None: 1.0}

# 본문 칸의 폭(CSS px): Material 9의 글 페이지에서 .md-content__inner의 폭.
DESKTOP_WIDTH, DESKTOP_COLUMN = 1280, 688  # 양옆 사이드바(글 정보, 차례)가 있는 화면
PHONE_WIDTH, PHONE_COLUMN = 390, 358  # 좌우 여백 0.8rem씩
# 화면에 보이는 가장 작은 글자(CSS px)의 하한.
FLOORS = {DESKTOP_WIDTH: 12.0, PHONE_WIDTH: 10.0}
# 이 폭 이하의 화면은 좁은 그림(-narrow)을 씁니다. 601px 화면의 본문 칸은 569px이라, 688px에 맞춘 넓은
# 그림의 글자가 0.83배로 줄어듭니다(12.7px 글자가 10.5px).
NARROW_MEDIA = "(max-width: 600px)"

SVG_NS = "{http://www.w3.org/2000/svg}"
FONT_SIZE = re.compile(r"(?:^|;)\s*font-size\s*:\s*(?P<size>[0-9.]+)(?P<unit>px|pt)?", re.I)
FONT_SHORTHAND = re.compile(r"(?:^|;)\s*font\s*:[^;]*?(?P<size>[0-9.]+)(?P<unit>px|pt)\b", re.I)
TRANSFORM = re.compile(r"(?P<name>matrix|scale)\s*\((?P<args>[^)]*)\)")


# 글 Markdown의 그림 한 줄: ![대체 텍스트](경로 "캡션"). 대체 텍스트 안의 대괄호 한 겹([CLS])까지.
# 노트북 그림을 이 꼴로 싣던 예전 글은 placeholders.old_syntax_problems가 새 줄을 보여 주며 멈춥니다.
MARKDOWN_IMAGE = re.compile(
    r"!\[(?P<alt>(?:[^\[\]]|\[[^\[\]]*\])*)\]\((?P<src>[^)\s]+)"
    r"""(?:\s+(?P<q>["'])(?P<title>.*?)(?P=q))?\s*\)"""
)
NOTEBOOK_FIGURE = re.compile(r"(?:^|/)outputs/(?P<notebook>[a-z0-9-]+)/(?P<name>[^/]+)\.svg$")


class FigureError(ValueError):
    """그림 파일이 없거나, 크기를 읽을 수 없거나, 캡션이 없거나, 글자가 너무 작습니다."""


def svg_size(path: Path) -> tuple[int, int]:
    """SVG 루트 요소의 width, height를 CSS 픽셀로 (1pt = 4/3px)."""
    if not path.is_file():
        raise FigureError(f"{path}이 없습니다: 그 그림을 만드는 노트북이 실행되었는지 보세요")
    # 루트 <svg> 태그는 맨 앞에 있습니다: 그림 전체(수십 KB)를 읽지 않습니다.
    with path.open(encoding="utf-8") as svg:
        head = svg.read(4000)
    root = re.search(r"<svg\b[^>]*>", head)
    sizes = {
        m["name"]: float(m["value"]) * PX_PER_UNIT[m["unit"]]
        for m in LENGTH.finditer(root[0] if root else "")
    }
    if set(sizes) != {"width", "height"}:
        raise FigureError(f"{path}: <svg>에 width와 height가 없습니다")
    return round(sizes["width"]), round(sizes["height"])


# ---------------------------------------------------------------------------------------------
# 그림 속 글자의 크기


@dataclass(frozen=True)
class SvgText:
    """SVG 속 글자 한 덩이와 그 크기(SVG 사용자 단위, 변환 행렬의 배율을 곱한 것)."""

    text: str
    size: float


def _font_size(element: ElementTree.Element, inherited: float | None) -> float | None:
    style = element.get("style", "")
    match = FONT_SIZE.search(style) or FONT_SHORTHAND.search(style)
    if match is None and element.get("font-size"):
        match = re.match(r"\s*(?P<size>[0-9.]+)(?P<unit>px|pt)?", element.get("font-size"))
    if match is None:
        return inherited
    return float(match["size"]) * (4 / 3 if (match["unit"] or "").lower() == "pt" else 1.0)


def _scale(element: ElementTree.Element) -> float:
    """transform 속성의 scale(), matrix()가 글자를 키우는 배율(넓이의 제곱근)."""
    factor = 1.0
    for match in TRANSFORM.finditer(element.get("transform", "")):
        args = [float(a) for a in re.split(r"[\s,]+", match["args"].strip()) if a]
        if match["name"] == "scale" and args:
            factor *= math.sqrt(abs(args[0] * (args[1] if len(args) > 1 else args[0])))
        elif match["name"] == "matrix" and len(args) >= 4:
            factor *= math.sqrt(abs(args[0] * args[3] - args[1] * args[2]))
    return factor


def svg_texts(path: Path) -> tuple[float, tuple[SvgText, ...]]:
    """SVG의 폭(사용자 단위: viewBox가 있으면 그 폭)과 그 안의 모든 글자(크기가 정해진 것).

    그림 하나는 두 화면 폭에서, 여러 글에서 검사되므로 내용이 같은 파일은 한 번만 해석합니다.
    """
    try:
        return _svg_texts(path, path.read_bytes())
    except OSError as error:
        raise FigureError(f"{path}: 읽을 수 없습니다 ({error.strerror})") from None


@functools.lru_cache(maxsize=1024)
def _svg_texts(path: Path, content: bytes) -> tuple[float, tuple[SvgText, ...]]:
    width, texts = memo.remembered(
        ("svg", content),
        lambda: _parse_svg_texts(path, content),
        shape=(float, [(str, float)]),
    )
    return width, tuple(SvgText(text, size) for text, size in texts)


def _parse_svg_texts(path: Path, content: bytes) -> tuple[float, list[tuple[str, float]]]:
    try:
        root = ElementTree.fromstring(content)
    except ElementTree.ParseError as error:
        raise FigureError(f"{path}: SVG로 읽을 수 없습니다 ({error})") from None
    view_box = root.get("viewBox", "").replace(",", " ").split()
    if len(view_box) == 4:
        width = float(view_box[2])
    else:
        match = re.match(r"\s*([0-9.]+)(pt|px)?", root.get("width", ""))
        if match is None:
            raise FigureError(f"{path}: <svg>에 viewBox도 width도 없습니다")
        width = float(match[1]) * PX_PER_UNIT[match[2]]
    texts: list[tuple[str, float]] = []

    def walk(element: ElementTree.Element, size: float | None, scale: float) -> None:
        size = _font_size(element, size)
        scale *= _scale(element)
        tag = element.tag.removeprefix(SVG_NS)
        if tag in {"text", "tspan"} and (element.text or "").strip() and size is not None:
            texts.append((element.text.strip(), size * scale))
        for child in element:
            walk(child, size, scale)
            if tag == "text" and (child.tail or "").strip() and size is not None:
                texts.append((child.tail.strip(), size * scale))

    walk(root, None, 1.0)
    return width, texts


def displayed_sizes(path: Path, column: float) -> list[tuple[float, str]]:
    """칸 폭 column(CSS px)에 실린 그림의 글자들이 화면에 보이는 크기(CSS px), 작은 것부터.

    그림은 제 크기(width 속성)로 실리되 칸보다 넓으면 칸 폭으로 줄어듭니다(max-width: 100%).
    """
    width_px, _ = svg_size(path)
    shown = min(width_px, column)
    user_width, texts = svg_texts(path)
    return sorted((text.size * shown / user_width, text.text) for text in texts)


# ---------------------------------------------------------------------------------------------
# 한 그림의 벌들


@dataclass(frozen=True)
class Variants:
    """그림 하나의 벌: outputs/ 아래 상대 경로. 밝은 넓은 그림 말고는 없을 수 있습니다."""

    light: str
    dark: str | None
    narrow: str | None
    narrow_dark: str | None

    @classmethod
    def find(cls, outputs_root: Path, light: str) -> Variants:
        stem = light.removesuffix(".svg")

        def existing(suffix: str) -> str | None:
            path = f"{stem}{suffix}.svg"
            return path if (outputs_root / path).is_file() else None

        return cls(light, existing("-dark"), existing("-narrow"), existing("-narrow-dark"))

    @classmethod
    def of(cls, output: manifest.Output) -> Variants:
        """결과 목록의 그림 항목이 적은 벌들(blogbuild/manifest.py가 파일이 있는지 검사했습니다)."""
        light = output.variant("light")
        assert light is not None  # 검사가 light 없는 그림을 거절합니다
        return cls(
            light, output.variant("dark"), output.variant("narrow"), output.variant("narrow-dark")
        )

    def shown_at(self, screen: int) -> list[str]:
        """그 폭의 화면에 보이는 것들(두 팔레트)."""
        if screen == PHONE_WIDTH and self.narrow:
            return [self.narrow, self.narrow_dark or self.narrow]
        return [self.light, self.dark or self.light]


def size_problems(outputs_root: Path, variants: Variants, figure: str) -> list[str]:
    """두 화면(1280px, 390px)에서 가장 작은 글자가 하한보다 작은 벌마다 한 줄."""
    problems = []
    for screen, column in ((DESKTOP_WIDTH, DESKTOP_COLUMN), (PHONE_WIDTH, PHONE_COLUMN)):
        for path in dict.fromkeys(variants.shown_at(screen)):
            small = [
                (size, text)
                for size, text in displayed_sizes(outputs_root / path, column)
                if size < FLOORS[screen] - 1e-9
            ]
            if small:
                size, text = small[0]
                others = f" 외 {len(small) - 1}개" if len(small) > 1 else ""
                problems.append(
                    f"{figure} outputs/{path}: {screen}px 화면에서 글자 '{text}'{others}가 "
                    f"{size:.1f}px로 보입니다 (하한 {FLOORS[screen]:g}px)"
                )
    return problems


SIZE_HOW_TO_FIX = (
    "그림 속 글자를 키우거나(그림을 칸 폭에 맞춰 그리면 글자가 줄지 않습니다: 넓은 그림은 "
    f"{DESKTOP_COLUMN}px, 좁은 그림은 {PHONE_COLUMN}px 이하), 휴대폰용 좁은 그림을 함께 저장하세요 "
    "(notebook_outputs.figures.save_plot의 narrow)"
)


# ---------------------------------------------------------------------------------------------
# <figure>로 싣기


class _Attributes(HTMLParser):
    """태그 하나의 속성들(엔티티를 푼 값)."""

    def __init__(self, tag: str) -> None:
        super().__init__(convert_charrefs=True)
        self.attrs: dict[str, str] = {}
        self.feed(tag)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attrs = {name: value or "" for name, value in attrs}

    handle_startendtag = handle_starttag


def _attrs(**values: object) -> str:
    return " ".join(
        f'{name}="{html.escape(str(value), quote=True)}"' for name, value in values.items()
    )


def _picture(
    prefix: str, wide: str, narrow: str | None, fragment: str, root: Path, alt: str
) -> str:
    width, height = svg_size(root / wide)
    source = ""
    if narrow:
        n_width, n_height = svg_size(root / narrow)
        source = (
            "<source "
            + _attrs(media=NARROW_MEDIA, srcset=prefix + narrow, width=n_width, height=n_height)
            + " />"
        )
    image = (
        "<img "
        + _attrs(
            src=prefix + wide + fragment,
            alt=alt,
            width=width,
            height=height,
            loading="lazy",
            decoding="async",
        )
        + " />"
    )
    return f"<picture>{source}{image}</picture>"


def figure_html(
    outputs_root: Path,
    path: str,
    number: int,
    prefix: str,
    attrs: dict[str, str] | None = None,
    *,
    check: bool = True,
) -> tuple[str, list[str]]:
    """outputs/ 아래 path(<노트북>/<이름>.svg)의 그림을 "그림 number"로 싣는 <figure>와, 글자가 하한보다
    작은 벌마다 문제 한 줄. prefix는 그 페이지에서 본 outputs/의 경로(../../outputs/)입니다.

    그림이 결과 목록(manifest.json)에 있으면 벌, 대체 텍스트, 캡션은 거기서 옵니다. 없으면(손으로 쓴
    <img>) 그 태그의 속성(attrs의 alt, title)과 파일이 있는 벌을 씁니다. 빌드(render_figures)와 준비된
    트리(prepare --tree)가 같은 이 함수로 그립니다.
    """
    attrs = attrs or {}
    figure = f"그림 {number}"
    output = manifest.figure_for(outputs_root, path)
    if output is None:
        variants, alt, caption = (
            Variants.find(outputs_root, path),
            attrs.get("alt", ""),
            attrs.get("title", ""),
        )
    else:
        variants, alt, caption = Variants.of(output), output.alt, output.caption
    caption = " ".join(caption.split())
    too_small = size_problems(outputs_root, variants, figure) if check else []
    if variants.dark:
        pictures = _picture(
            prefix, variants.light, variants.narrow, "#only-light", outputs_root, alt
        ) + _picture(
            prefix,
            variants.dark,
            variants.narrow_dark or variants.narrow,
            "#only-dark",
            outputs_root,
            alt,
        )
    else:
        pictures = _picture(prefix, variants.light, variants.narrow, "", outputs_root, alt)
    return (
        f'<figure class="notebook-figure" id="figure-{number}">{pictures}'
        f'<figcaption><span class="figure-number">{figure}.</span> '
        f"{html.escape(caption, quote=False)}</figcaption></figure>"
    ), too_small


def render_figures(
    html_text: str, outputs_root: Path, *, check: bool = True
) -> tuple[str, list[str]]:
    """노트북 그림 하나뿐인 문단을 번호 붙은 <figure>로 바꿉니다(figure_html). (바꾼 HTML, 문제 목록).

    그림이 글의 {{ outputs/<노트북>/<이름> }}에서 왔으면(placeholders가 `![](경로)` 한 줄로 바꿉니다) 벌과
    대체 텍스트, 캡션은 노트북의 결과 목록(manifest.json)에서 옵니다. check이면 글자가 하한보다 작은 그림을
    찾습니다. 대체 텍스트와 캡션은 이스케이프해서 싣습니다.
    """
    problems: list[str] = []
    too_small: list[str] = []
    number = 0

    def rewrite(match: re.Match) -> str:
        nonlocal number
        number += 1
        figure = f"그림 {number}"
        if match["attention"] is not None:  # 캡션과 표는 attention_figure.render가 이미 그렸습니다
            opened = attention_figure.OPEN.replace(">", f' id="figure-{number}">', 1)
            slot = attention_figure.NUMBER_SLOT.replace("><", f">{figure}.<", 1)
            return f"{opened}{match['attention']}{slot}"
        attrs = _Attributes(match["img"]).attrs
        src, path = attrs["src"], match["path"]
        prefix = src[: len(src) - len(path)]  # ../../outputs/
        html_figure, small = figure_html(outputs_root, path, number, prefix, attrs, check=check)
        too_small.extend(small)
        return html_figure

    html_text = NUMBERED.sub(rewrite, html_text)
    if too_small:
        problems += [*too_small, SIZE_HOW_TO_FIX]
    return html_text, problems


def add_sizes_and_lazy_loading(html_text: str, outputs_root: Path) -> str:
    """outputs/의 SVG를 싣는 <img>마다 width, height, loading="lazy", decoding="async"를 붙입니다.

    render_figures가 <figure>로 바꾸지 않은 그림(문장 안의 그림 등)에 씁니다.
    """

    if not FIGURE_TAIL.search(html_text):
        return html_text

    def rewrite(match: re.Match) -> str:
        attrs = match["attrs"]
        if "loading=" in attrs:
            return match[0]
        width, height = svg_size(outputs_root / match["path"])
        return f'<img {attrs} width="{width}" height="{height}" loading="lazy" decoding="async" />'

    return FIGURE.sub(rewrite, html_text)
