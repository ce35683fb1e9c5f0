"""blogbuild/figures.py: 글의 SVG 그림에 크기와 늦은 불러오기를 붙이는 일."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from blogbuild import figures, placeholders
from blogbuild.figures import FIGURE, FigureError, add_sizes_and_lazy_loading, svg_size

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


def test_a_page_without_output_figures_is_not_scanned_for_them(
    outputs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """노트북 페이지는 그림을 base64 data: 주소(페이지마다 수백 KB)로 싣습니다. 노트북 산출물 그림이 없는
    페이지는 그림 패턴으로 훑지 않습니다: 그 패턴이 data: 주소를 한 자씩 되짚던 시간이 온 빌드마다 0.09 s였습니다."""
    scanned = []

    class Spy:
        def sub(self, repl: object, text: str) -> str:
            scanned.append(text)
            return FIGURE.sub(repl, text)

    monkeypatch.setattr(figures, "FIGURE", Spy())
    page = (
        "<p>그림은 <code>outputs/</code>에 저장됩니다.</p>"
        f'<img alt="손실 곡선" src="data:image/png;base64,{"iVBOR" * 20000}">'
    )
    assert add_sizes_and_lazy_loading(page, outputs) == page
    assert scanned == []
    html = '<img alt="곡선" src="../../outputs/post/curve.svg" />'
    assert 'width="480" height="240"' in add_sizes_and_lazy_loading(html, outputs)
    assert scanned == [html]


def test_a_missing_figure_names_the_file_and_what_to_do(outputs: Path) -> None:
    with pytest.raises(FigureError, match=r"post/gone\.svg이 없습니다: .*노트북"):
        add_sizes_and_lazy_loading('<img alt="x" src="outputs/post/gone.svg" />', outputs)


def test_an_svg_without_a_size_is_an_error(outputs: Path) -> None:
    (outputs / "post" / "bare.svg").write_text('<svg viewBox="0 0 1 1"></svg>', encoding="utf-8")
    with pytest.raises(FigureError, match="width와 height가 없습니다"):
        svg_size(outputs / "post" / "bare.svg")


# --- 그림 속 글자가 화면에 보이는 크기와 <figure>로 싣기 ---------------------------------------------

from blogbuild.figures import (  # noqa: E402
    DESKTOP_COLUMN,
    PHONE_COLUMN,
    Variants,
    displayed_sizes,
    render_figures,
    size_problems,
    svg_texts,
)

TEXT_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="{w}pt" height="100pt" viewBox="0 0 {w} 100">'
    '<text style="font-size: {size}px; font-family: sans-serif" x="1" y="10">{text}</text>'
    '<g transform="translate(5 5) scale(2)"><text font-size="5" x="1" y="30">커진 글자</text></g>'
    "</svg>"
)


def _svg(path: Path, width: float, size: float, text: str = "눈금") -> None:
    path.write_text(TEXT_SVG.format(w=width, size=size, text=text), encoding="utf-8")


def test_svg_texts_read_font_sizes_with_the_scale_of_their_transforms(tmp_path: Path) -> None:
    _svg(tmp_path / "a.svg", 200, 9)
    width, texts = svg_texts(tmp_path / "a.svg")
    assert width == 200
    assert [(t.text, t.size) for t in texts] == [("눈금", 9.0), ("커진 글자", 10.0)]


def test_displayed_size_is_the_font_size_times_the_width_shown_over_the_svg_width(
    tmp_path: Path,
) -> None:
    """200pt(266.7px) 폭의 그림: 넓은 칸에는 제 크기로(1pt = 4/3px), 좁은 칸에는 칸 폭으로 줄어 실립니다."""
    _svg(tmp_path / "a.svg", 200, 9)
    # <img>의 width는 정수 px(267)로 실립니다: 12 × 267 / 266.7
    assert displayed_sizes(tmp_path / "a.svg", 688)[0] == pytest.approx((12.0, "눈금"), abs=0.02)
    size, text = displayed_sizes(tmp_path / "a.svg", 133)[0]
    assert (size, text) == (pytest.approx(9 * 133 / 200), "눈금")


def test_a_figure_too_wide_for_the_phone_column_is_named_with_its_smallest_text(
    outputs: Path,
) -> None:
    # 1280px에서는 688px 칸에 제 크기(12.7px), 390px에서는 358px 칸으로 줄어 9.5 × 358/516 = 6.6px.
    _svg(outputs / "post" / "wide.svg", 516, 9.5, "0.23")
    problems = size_problems(outputs, Variants.find(outputs, "post/wide.svg"), "그림 2")
    assert problems == [
        "그림 2 outputs/post/wide.svg: 390px 화면에서 글자 '0.23' 외 1개가 6.6px로 보입니다 "
        "(하한 10px)"
    ]
    # 같은 코드가 그린 좁은 벌이 있으면 휴대폰에는 그것이 실립니다.
    _svg(outputs / "post" / "wide-narrow.svg", PHONE_COLUMN * 0.75, 9.5, "0.23")
    assert size_problems(outputs, Variants.find(outputs, "post/wide.svg"), "그림 2") == []


def test_the_desktop_floor_is_twelve_pixels(outputs: Path) -> None:
    _svg(outputs / "post" / "small.svg", DESKTOP_COLUMN * 0.75, 8.5, "step")
    _svg(outputs / "post" / "small-narrow.svg", PHONE_COLUMN * 0.75, 9, "step")
    (problem,) = size_problems(outputs, Variants.find(outputs, "post/small.svg"), "그림 1")
    assert "1280px 화면에서 글자 'step'가 11.3px로 보입니다 (하한 12px)" in problem


@pytest.fixture
def four_variants(outputs: Path) -> Path:
    for name, width in [
        ("plot", 500),
        ("plot-dark", 500),
        ("plot-narrow", 260),
        ("plot-narrow-dark", 260),
    ]:
        _svg(outputs / "post" / f"{name}.svg", width, 10)
    return outputs


def test_a_figure_paragraph_becomes_a_numbered_figure_with_both_palettes_and_a_phone_variant(
    four_variants: Path,
) -> None:
    html = (
        '<p>앞 문단</p>\n<p><img alt="곡선" src="../../outputs/post/plot.svg" title="곡선이 말하는 것" /></p>\n'
        '<p><img alt="둘째" src="../../outputs/post/plot.svg" title="둘째 그림" /></p>'
    )
    rendered, problems = render_figures(html, four_variants)
    assert problems == []
    first = rendered.split("</figure>")[0]
    assert '<figure class="notebook-figure" id="figure-1">' in first
    assert (
        '<source media="(max-width: 600px)" srcset="../../outputs/post/plot-narrow.svg" '
        'width="347" height="133" />' in first
    )
    assert (
        '<img src="../../outputs/post/plot.svg#only-light" alt="곡선" width="667" height="133" '
        'loading="lazy" decoding="async" />' in first
    )
    assert 'srcset="../../outputs/post/plot-narrow-dark.svg"' in first
    assert 'src="../../outputs/post/plot-dark.svg#only-dark"' in first
    assert first.count("<picture>") == 2
    assert first.endswith(
        '<figcaption><span class="figure-number">그림 1.</span> 곡선이 말하는 것</figcaption>'
    )
    assert '<span class="figure-number">그림 2.</span> 둘째 그림' in rendered
    assert "title=" not in rendered  # 캡션이 된 제목은 툴팁으로 다시 뜨지 않습니다


def test_a_figure_without_variants_is_one_picture_shown_in_both_palettes(outputs: Path) -> None:
    rendered, problems = render_figures(
        '<p><img alt="곡선" src="outputs/post/curve.svg" title="캡션" /></p>', outputs, check=False
    )
    assert problems == []
    assert rendered.count("<picture>") == 1 and "<source" not in rendered
    assert 'src="outputs/post/curve.svg"' in rendered and "#only-" not in rendered


def test_contributed_alt_text_and_caption_stay_text(four_variants: Path) -> None:
    """글(신뢰하지 않는 입력)의 대체 텍스트와 캡션은 이스케이프된 채로 실립니다."""
    html = (
        '<p><img alt="&quot; onerror=&quot;alert(1)" src="../../outputs/post/plot.svg" '
        'title="&lt;script&gt;alert(1)&lt;/script&gt; &amp; 끝" /></p>'
    )
    rendered, _ = render_figures(html, four_variants)
    assert "<script" not in rendered and 'onerror="' not in rendered
    assert 'alt="&quot; onerror=&quot;alert(1)"' in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 끝</figcaption>" in rendered


def test_the_old_figure_and_table_lines_of_a_post_are_refused_with_the_line_to_write(
    tmp_path: Path,
) -> None:
    """예전 꼴(그림을 경로로, 표를 --8<--로)은 글의 줄을 짚고 새로 쓸 줄({{ outputs/<노트북>/<이름> }},
    들여쓰기 그대로)과, 그림이면 대체 텍스트와 캡션을 옮길 노트북의 저장 함수를 보여 줍니다."""
    page = tmp_path / "docs" / "blog" / "posts" / "p.md"
    page.parent.mkdir(parents=True)
    page.write_text(
        '# 제목\n\n![곡선](../../outputs/post/plot.svg "캡션")\n\n??? note "표"\n\n'
        '    --8<-- "build/outputs/post/sizes.md"\n\n![로고](logo.png)\n',
        encoding="utf-8",
    )
    problems = [str(p) for p in placeholders.old_syntax_problems([page], tmp_path)]
    path = "docs/blog/posts/p.md"
    assert problems == [
        f"{path}:3: 노트북의 그림은 이제 결과 이름 한 줄로 싣습니다: 이 줄을 "
        "'{{ outputs/post/plot }}'로 바꾸고, 대체 텍스트와 캡션은 notebooks/post.py의 "
        'save_plot("plot", ..., alt="…", caption="…")(구조 그림은 save_diagram)으로 옮기세요 '
        '(지금의 대체 텍스트: "곡선", 캡션: "캡션")',
        f"{path}:7: 'build/outputs/post/sizes.md': 노트북의 표는 이제 결과 이름 한 줄로 싣습니다: "
        "이 줄을 '    {{ outputs/post/sizes }}'로 바꾸세요",
    ]


def _saved_figure(outputs: Path, name: str, alt: str, caption: str) -> None:
    """노트북이 save_plot(name, ..., alt=alt, caption=caption)으로 네 벌을 저장한 결과 목록."""
    files = {"light": f"{name}.svg", "dark": f"{name}-dark.svg"}
    files |= {"narrow": f"{name}-narrow.svg", "narrow-dark": f"{name}-narrow-dark.svg"}
    entry = {"kind": "figure", "files": files, "alt": alt, "caption": caption}
    (outputs / "post" / "manifest.json").write_text(
        json.dumps({name: entry}, ensure_ascii=False), encoding="utf-8"
    )


def test_a_figure_line_of_a_post_becomes_the_figure_its_notebook_described(
    four_variants: Path,
) -> None:
    """글의 {{ outputs/post/plot }} 한 줄: 벌, 대체 텍스트, 캡션이 모두 노트북의 결과 목록에서 옵니다."""
    _saved_figure(four_variants, "plot", "곡선 하나", "곡선이\n 말하는 것")
    root = four_variants / "repo"  # 저장소 꼴: notebooks/post.py와 build/outputs/post/
    (root / "notebooks").mkdir(parents=True)
    (root / "notebooks" / "post.py").write_text("# %%\n", encoding="utf-8")
    outputs = root / "build" / "outputs"
    outputs.mkdir(parents=True)
    (four_variants / "post").rename(outputs / "post")
    markdown = placeholders.substitute("앞 문단\n{{ outputs/post/plot }}\n뒤 문단", outputs, "p.md")
    assert markdown == "앞 문단\n\n![](../../outputs/post/plot.svg)\n\n뒤 문단"
    html = '<p>앞 문단</p>\n<p><img alt="" src="../../outputs/post/plot.svg" /></p>\n<p>뒤 문단</p>'
    rendered, problems = render_figures(html, outputs)
    assert problems == []
    assert 'alt="곡선 하나"' in rendered and 'alt=""' not in rendered
    assert 'srcset="../../outputs/post/plot-narrow-dark.svg"' in rendered
    assert '<span class="figure-number">그림 1.</span> 곡선이 말하는 것</figcaption>' in rendered


def test_too_small_text_fails_with_the_way_to_fix_it(outputs: Path) -> None:
    _svg(outputs / "post" / "tiny.svg", 700, 6, "−∞")
    _, problems = render_figures(
        '<p><img alt="x" src="../../outputs/post/tiny.svg" title="캡션" /></p>', outputs
    )
    assert any("그림 1 outputs/post/tiny.svg: 1280px 화면에서 글자 '−∞'" in p for p in problems)
    assert any("390px 화면에서" in p for p in problems)
    assert "save_plot의 narrow" in problems[-1]


def test_an_image_inside_a_sentence_is_not_a_figure(outputs: Path) -> None:
    html = '<p>문장 속 <img alt="곡선" src="../../outputs/post/curve.svg" /> 그림</p>'
    rendered, problems = render_figures(html, outputs)
    assert rendered == html and problems == []
