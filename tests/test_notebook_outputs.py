"""notebook_outputs와 notebook_outputs.figures: 저장한 산출물이 사이트의 마크다운에서 뜻한 대로 읽히는지."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from notebook_outputs import read_output, save_numbers, save_table, save_text
from notebook_outputs.figures import DARK, LIGHT, PHONE, Look, save_figure, save_plot


@pytest.fixture(autouse=True)
def outputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BLOG_OUTPUT_DIR", str(tmp_path))
    return tmp_path


@pytest.fixture
def render(render_markdown) -> Callable[[Path], str]:
    """저장한 산출물 파일을 사이트의 Markdown 설정으로 그린 HTML."""
    return lambda path: render_markdown(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "body",
    ["보통 문장", "백틱 ``` 세 개가 든 문장", "````\n줄 첫머리의 백틱 네 개", "<b>태그</b> & 기호"],
    ids=["plain", "three-backticks", "four-backticks-at-line-start", "html"],
)
def test_saved_text_renders_as_one_code_block_with_the_body_verbatim(
    outputs: Path, render: Callable[[Path], str], body: str
) -> None:
    save_text("sample", body)
    rendered = render(outputs / "sample.md")
    # 노트북 페이지의 출력처럼 notebook-output 블록: 긴 줄은 가로로 밀리지 않고 접힙니다(extra.css).
    assert 'class="language-text notebook-output highlight"' in rendered
    blocks = re.findall(r"<code>(.*?)</code>", rendered, flags=re.S)
    assert len(blocks) == 1, rendered
    # 보이는 글자: 줄마다 붙는 줄 번호 앵커(<span>, <a>)를 떼면 본문 그대로입니다(본문의 <b>는 &lt;b&gt;).
    visible = re.sub(r"<[^>]*>", "", blocks[0])
    assert html.unescape(visible).rstrip("\n") == body


def test_saved_table_renders_as_a_table_with_every_row(
    outputs: Path, render: Callable[[Path], str]
) -> None:
    save_table("sizes", ["모델", "파라미터"], [["A", "1,000"], ["B", 2]])
    rendered = render(outputs / "sizes.md")
    assert rendered.count("<tr>") == 3
    # 수의 열은 오른쪽 정렬, 그것도 style=이 아닌 align=으로(CSP가 인라인 스타일을 막습니다).
    assert '<th align="right">파라미터</th>' in rendered and '<td align="right">2</td>' in rendered
    assert "<td>A</td>" in rendered and "style=" not in rendered


def test_saved_numbers_accumulate_and_use_dashed_keys(outputs: Path) -> None:
    save_numbers(first_value=1)
    save_numbers(second="둘")
    saved = json.loads((outputs / "manifest.json").read_text(encoding="utf-8"))
    numbers = {key: entry["value"] for key, entry in saved.items() if entry["kind"] == "number"}
    assert numbers == {"first-value": 1, "second": "둘"}


def test_save_functions_return_nothing_so_no_path_is_printed_in_a_notebook(outputs: Path) -> None:
    """셀의 마지막 줄이 경로를 돌려주면 노트북 페이지에 빌드하는 기계의 경로가 실립니다."""
    import matplotlib.pyplot as plt  # noqa: PLC0415

    fig, _ = plt.subplots()
    assert save_figure(fig, "f") is None and (outputs / "f.svg").is_file()
    assert save_table("t", ["a"], [[1]]) is None
    assert save_text("x", "글") is None
    assert save_numbers(n=1) is None
    assert (
        save_plot(
            "p", lambda fig, look: fig.subplots(), size=(2, 1), alt="빈 축", caption="비었습니다."
        )
        is None
    )


@pytest.fixture
def upstream(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "outputs-root"
    (root / "loss-maker").mkdir(parents=True)
    (root / "loss-maker" / "log.json").write_text("[]", encoding="utf-8")
    (root / "secret.txt").write_text("다른 노트북 밖", encoding="utf-8")
    monkeypatch.setenv("BLOG_OUTPUTS_ROOT", str(root))
    return root


def test_read_output_reads_a_declared_upstream(upstream: Path, monkeypatch) -> None:
    monkeypatch.setenv("BLOG_UPSTREAMS", "loss-maker")
    assert read_output("loss-maker", "log.json").read_text(encoding="utf-8") == "[]"


@pytest.mark.parametrize(
    ("notebook", "name", "what"),
    [
        ("other-notebook", "log.json", "찾은 read_output"),  # 빌드가 실행 전에 찾지 못한 노트북
        ("loss-maker", "../secret.txt", "결과 디렉터리 밖"),
        ("loss-maker", "/etc/passwd", "결과 디렉터리 밖"),
        ("../loss-maker", "log.json", "노트북 이름은"),
    ],
    ids=["undeclared-notebook", "dot-dot", "absolute", "bad-notebook-name"],
)
def test_read_output_refuses_what_the_build_did_not_declare(
    upstream: Path, monkeypatch, notebook: str, name: str, what: str
) -> None:
    monkeypatch.setenv("BLOG_UPSTREAMS", "loss-maker")
    with pytest.raises(ValueError, match=what):
        read_output(notebook, name)


def _draw(fig, look: Look) -> None:
    """두 패널 그림: 넓은 칸에는 나란히, 휴대폰에는 위아래로."""
    axes = fig.subplots(2, 1) if look.narrow else fig.subplots(1, 2)
    for ax in axes:
        ax.plot([1, 2, 3], label="손실")
        ax.set(xlabel="스텝", ylabel="손실")
    axes[0].legend()


def test_save_plot_writes_light_dark_and_phone_variants_from_one_drawing(outputs: Path) -> None:
    seen: list[tuple[bool, bool]] = []

    def draw(fig, look: Look) -> None:
        seen.append((look.narrow, look.dark))
        _draw(fig, look)

    save_plot("curve", draw, size=(6, 2.5), narrow=(PHONE, 4), alt="곡선", caption="곡선입니다.")
    assert seen == [(False, False), (False, True), (True, False), (True, True)]
    files = {p.name: p.read_text(encoding="utf-8") for p in outputs.glob("curve*.svg")}
    assert sorted(files) == [
        "curve-dark.svg",
        "curve-narrow-dark.svg",
        "curve-narrow.svg",
        "curve.svg",
    ]
    # 바탕은 페이지의 바탕색(밝은: 흰색, 어두운: Material slate), 글자는 그 위에서 읽히는 색
    for name, text in files.items():
        palette = DARK if "dark" in name else LIGHT
        assert f"fill: {palette['background']}" in text, name
        assert f"fill: {palette['text']}" in text, name
    # 글자는 글자 그대로(svg.fonttype none), 한글 글꼴을 먼저
    assert ">스텝</text>" in files["curve.svg"]
    assert "font-family: 'Noto Sans CJK KR'" in files["curve.svg"]
    # 휴대폰 벌은 좁고 길쭉합니다
    width = {n: float(re.search(r'width="([\d.]+)pt"', t)[1]) for n, t in files.items()}
    assert width["curve-narrow.svg"] <= PHONE * 72 < width["curve.svg"]


def test_save_plot_gives_the_same_bytes_twice(outputs: Path) -> None:
    save_plot("once", _draw, size=(6, 2.5), narrow=(PHONE, 4), alt="곡선", caption="곡선입니다.")
    first = {p.name: p.read_bytes() for p in outputs.glob("once*.svg")}
    save_plot("once", _draw, size=(6, 2.5), narrow=(PHONE, 4), alt="곡선", caption="곡선입니다.")
    assert first == {p.name: p.read_bytes() for p in outputs.glob("once*.svg")}


def test_save_plot_without_a_phone_layout_writes_two_palettes(outputs: Path) -> None:
    save_plot("small", _draw, size=(3, 2), alt="곡선", caption="곡선입니다.")
    assert sorted(p.name for p in outputs.glob("small*.svg")) == ["small-dark.svg", "small.svg"]


def test_cell_text_colour_follows_the_cell_not_the_palette() -> None:
    assert Look.text_on((1.0, 1.0, 0.0, 1.0)) == "#000000"  # 노랑(viridis의 끝)에는 검정
    assert Look.text_on((0.27, 0.0, 0.33, 1.0)) == "#ffffff"  # 보라(viridis의 시작)에는 흰색


@pytest.mark.parametrize("narrow", [False, True], ids=["column", "phone"])
def test_loss_axes_draw_named_levels_and_the_legend_moves_below_on_phones(narrow: bool) -> None:
    from matplotlib.figure import Figure

    look = Look(**LIGHT, narrow=narrow)
    fig = Figure(layout="constrained")
    ax = look.loss_axes(
        fig, 100, [(4.6, "균등 추측", "muted", ":"), (3.25, "엔트로피", "red", "--")]
    )
    ax.plot([1, 100], [4.0, 2.0], label="손실")
    look.legend(fig, ax)
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["균등 추측 = 4.60", "엔트로피 = 3.25", "손실"]
    assert [line.get_ydata()[0] for line in ax.get_lines()[:2]] == [4.6, 3.25]
    assert ax.get_lines()[1].get_color() == LIGHT["red"]
    assert (ax.get_xlim(), ax.get_xlabel()) == ((1.0, 100.0), "스텝")
    assert (len(fig.legends) == 1) is narrow and (ax.get_legend() is None) is narrow
