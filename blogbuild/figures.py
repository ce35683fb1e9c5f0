"""글의 그림(노트북이 만든 SVG)에 크기와 늦은 불러오기를 붙입니다.

matplotlib SVG는 크기가 커서(선 하나에 점이 수천 개) 휴대폰에서 그리는 데 시간이 듭니다. 화면 밖의
그림은 `loading="lazy"`로 다가올 때 불러오고, `width`/`height`로 자리를 미리 잡아 불러올 때 글이
밀리지 않게(CLS 0) 합니다. 크기는 SVG 파일의 width/height(pt)에서 읽습니다.
"""

from __future__ import annotations

import re
from pathlib import Path

FIGURE = re.compile(
    r'<img (?P<attrs>[^>]*?\bsrc="[^"]*?\boutputs/(?P<path>[a-z0-9-]+/[^"/]+\.svg)"[^>]*?)\s*/?>'
)
LENGTH = re.compile(r'\b(?P<name>width|height)="(?P<value>[0-9.]+)(?P<unit>pt|px)?"')
PX_PER_UNIT = {"pt": 4 / 3, "px": 1.0, None: 1.0}


class FigureError(ValueError):
    """그림 파일이 없거나 크기를 읽을 수 없습니다."""


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


def add_sizes_and_lazy_loading(html: str, outputs_root: Path) -> str:
    """outputs/의 SVG를 싣는 <img>마다 width, height, loading="lazy", decoding="async"를 붙입니다."""

    def rewrite(match: re.Match) -> str:
        attrs = match["attrs"]
        if "loading=" in attrs:
            return match[0]
        width, height = svg_size(outputs_root / match["path"])
        return f'<img {attrs} width="{width}" height="{height}" loading="lazy" decoding="async" />'

    return FIGURE.sub(rewrite, html)
