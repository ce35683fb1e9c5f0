"""blogbuild/figures.py: 글의 SVG 그림에 크기와 늦은 불러오기를 붙이는 일."""

from __future__ import annotations

from pathlib import Path

import pytest

from blogbuild.figures import FigureError, add_sizes_and_lazy_loading, svg_size

SVG = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 1 1"></svg>\n'


@pytest.fixture
def outputs(tmp_path: Path) -> Path:
    (tmp_path / "post").mkdir()
    (tmp_path / "post" / "curve.svg").write_text(SVG.format(w="360pt", h="180pt"), encoding="utf-8")
    (tmp_path / "post" / "pixels.svg").write_text(SVG.format(w="300", h="100px"), encoding="utf-8")
    return tmp_path


def test_svg_size_reads_points_as_css_pixels(outputs: Path) -> None:
    assert svg_size(outputs / "post" / "curve.svg") == (480, 240)  # 1pt = 4/3px
    assert svg_size(outputs / "post" / "pixels.svg") == (300, 100)


def test_output_figures_get_their_size_and_load_lazily(outputs: Path) -> None:
    html = '<p><img alt="곡선" src="../../outputs/post/curve.svg" /></p><img alt="로고" src="logo.png">'
    rewritten = add_sizes_and_lazy_loading(html, outputs)
    assert (
        '<img alt="곡선" src="../../outputs/post/curve.svg" width="480" height="240" '
        'loading="lazy" decoding="async" />' in rewritten
    )
    assert '<img alt="로고" src="logo.png">' in rewritten  # 노트북 산출물이 아닌 그림은 그대로
    assert add_sizes_and_lazy_loading(rewritten, outputs) == rewritten  # 두 번 붙이지 않음


def test_a_missing_figure_names_the_file_and_what_to_do(outputs: Path) -> None:
    with pytest.raises(FigureError, match=r"post/gone\.svg이 없습니다: .*노트북"):
        add_sizes_and_lazy_loading('<img alt="x" src="outputs/post/gone.svg" />', outputs)


def test_an_svg_without_a_size_is_an_error(outputs: Path) -> None:
    (outputs / "post" / "bare.svg").write_text('<svg viewBox="0 0 1 1"></svg>', encoding="utf-8")
    with pytest.raises(FigureError, match="width와 height가 없습니다"):
        svg_size(outputs / "post" / "bare.svg")
