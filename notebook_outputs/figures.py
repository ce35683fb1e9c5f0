"""글에 싣는 그림을 팔레트와 화면 폭마다 한 벌씩 저장하기.

save_plot은 노트북이 준 그리기 함수 하나를 밝은·어두운 팔레트와 넓은(데스크톱 본문 칸)·좁은(휴대폰 칸)
배치로 네 번 불러 네 벌을 저장하고, 결과 목록에 그림으로 적습니다(record_figure). 빌드
(blogbuild/figures.py)가 팔레트와 화면 폭에 맞는 벌을 골라 싣고, 화면에 보이는 글자 크기를 검사합니다.
같은 입력이면 같은 바이트가 나오도록(SVG의 무작위 id와 날짜를 없애) 저장합니다. 결과 목록과 결과
디렉터리의 약속은 notebook_outputs(패키지 자신)에 있습니다.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from notebook_outputs import (
    SUPERSCRIPT,
    in_notebook,
    output_dir,
    record_output,
    show,
)

if TYPE_CHECKING:  # matplotlib은 그림을 저장할 때만 불러옵니다(숫자만 남기는 노트북은 0.5초 빨리 시작)
    from matplotlib.axes import Axes
    from matplotlib.axis import Axis
    from matplotlib.figure import Figure
    from matplotlib.image import AxesImage
    from matplotlib.patches import Patch

# SVG 안의 id가 실행마다 달라지지 않도록 고정한 소금(salt)과, 텍스트를 글꼴 윤곽 대신 글자로 남기는 설정.
SVG_SETTINGS = {"svg.hashsalt": "real-code-blog", "svg.fonttype": "none"}


def save_figure(fig: Figure, name: str) -> None:
    """그림 한 벌을 <name>.svg로 흰 바탕에 저장합니다. 글에 싣는 그림은 save_plot으로 만드세요."""
    import matplotlib  # noqa: PLC0415

    path = output_dir() / f"{name}.svg"
    with matplotlib.rc_context(SVG_SETTINGS):
        fig.savefig(
            path,
            format="svg",
            facecolor="white",
            bbox_inches="tight",
            metadata={"Date": None},
        )


# 그림의 폭(인치, 1인치 = 72pt = 96 CSS px). 1280px 화면의 본문 칸은 688px(7.17인치), 390px 화면은
# 358px(3.73인치)입니다: 이 폭으로 그리면 그림이 줄지 않아 글자가 적은 크기 그대로 보입니다.
COLUMN = 7.1
PHONE = 3.7
# 글자 크기(pt, 1pt = 4/3 CSS px). 빌드의 하한은 1280px에서 12px(9pt), 390px에서 10px(7.5pt)입니다.
FONT_SIZES = {
    "font.size": 10.5,
    "axes.titlesize": 11,
    "axes.labelsize": 10.5,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "legend.title_fontsize": 10,
    "figure.titlesize": 11,
}
CELL_FONT_SIZE = 9.5  # 히트맵 칸 안의 숫자처럼 빽빽한 글자
# 한글 글꼴: 빌드하는 기계(CI)와 이 저장소의 개발 환경에는 fonts-noto-cjk가 있습니다. Noto에 없는
# 글자(위 첨자 ⁻¹⁸ 등)는 DejaVu Sans로 잽니다. SVG의 글자는 글자 그대로 남으므로(svg.fonttype none),
# 읽는 기기는 font-family 목록(아래 둘 + sans-serif 목록)에서 가진 글꼴로 그립니다.
FONTS = ["Noto Sans CJK KR", "DejaVu Sans", "sans-serif"]
SANS_SERIF = [
    "Noto Sans KR",
    "Apple SD Gothic Neo",
    "Malgun Gothic",
    "DejaVu Sans",
]
# 노트북에 보여 주는 PNG: 1.5배 해상도로 그려(고해상도 화면에서도 선명하게) 글에 실리는 크기(1인치 = 96 CSS px)로 보입니다.
SHOWN_DPI = 144


def powers_of_ten(axis: Axis) -> None:
    """로그 축의 눈금을 10⁻³처럼 글자 하나의 크기로 씁니다. matplotlib의 기본(수식 10^{-3})은 지수를
    0.7배로 줄여, 화면에 보이는 가장 작은 글자가 하한 아래로 내려갑니다."""
    import math  # noqa: PLC0415

    from matplotlib.ticker import FuncFormatter  # noqa: PLC0415

    def label(value: float, _position: int) -> str:
        exponent = round(math.log10(value)) if value > 0 else 0
        if value <= 0 or not math.isclose(value, 10.0**exponent):
            return ""
        if exponent in (0, 1):
            return str(10**exponent)
        return "10" + str(exponent).translate(SUPERSCRIPT)

    axis.set_major_formatter(FuncFormatter(label))


@dataclass(frozen=True)
class Look:
    """그림 한 벌이 그려지는 조건(팔레트, 칸 폭)과 그 벌의 색. save_plot이 그리기 함수에 넘깁니다.

    그리기 함수는 색을 이름("black", "tab:blue")으로 적지 않고 look에서 고릅니다: 어두운 팔레트의
    그림은 같은 코드가 밝은 색으로 그립니다. 선의 기본 색 순서(C0, C1, ...)도 look.series입니다.
    """

    dark: bool  # 어두운 팔레트(Material의 slate)용인지
    narrow: bool  # 휴대폰 칸용(좁은 배치)인지
    background: str  # 페이지 바탕과 같은 색: 그림이 흰 판이나 검은 판으로 떠 보이지 않습니다
    text: str  # 글자, 축
    muted: str  # 기준선, 보조 글자
    grid: str  # 격자
    masked: str  # 가려진 칸(-inf, 정확히 0)
    hatch: str  # 가려진 칸의 빗금
    blue: str
    orange: str
    green: str
    red: str
    purple: str

    @property
    def series(self) -> list[str]:
        return [self.blue, self.orange, self.green, self.red, self.purple]

    @staticmethod
    def text_on(rgba: Sequence[float]) -> str:
        """색 rgba(0..1) 위에 쓸 글자 색: 밝은 칸에는 검정, 어두운 칸에는 흰색 (상대 휘도 기준)."""

        def linear(c: float) -> float:
            return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (linear(c) for c in rgba[:3])
        luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
        # 흰 글자와 검은 글자의 대비가 같아지는 휘도(약 0.18)를 경계로
        return "#000000" if luminance > 0.179 else "#ffffff"

    def masked_key(self, label: str, hatch: bool = True) -> Patch:
        """범례에 넣을 '가려진 칸' 견본: mask_cells의 회색 빗금, hatch=False이면 빗금 없는 회색
        (칸이 너무 많아 색 막대의 나쁜 값 색 cmap.set_bad(look.masked)으로 칠할 때)."""
        from matplotlib.patches import Patch  # noqa: PLC0415

        return Patch(
            facecolor=self.masked,
            hatch="///" if hatch else None,
            edgecolor=self.hatch if hatch else self.muted,
            linewidth=0.5,
            label=label,
        )

    def mask_cells(self, ax: Axes, where: Sequence[Sequence[bool]]) -> None:
        """imshow로 그린 격자에서 where가 참인 칸을 회색 빗금으로 덮습니다(색 막대의 색과 헷갈리지 않게)."""
        from matplotlib.patches import Rectangle  # noqa: PLC0415

        for i, row in enumerate(where):
            for j, hidden in enumerate(row):
                if hidden:
                    ax.add_patch(
                        Rectangle(
                            (j - 0.5, i - 0.5),
                            1,
                            1,
                            facecolor=self.masked,
                            hatch="///",
                            edgecolor=self.hatch,
                            linewidth=0,
                        )
                    )

    def label_cells(
        self,
        ax: Axes,
        image: AxesImage,
        values: Sequence[Sequence[float]],
        fmt: str,
    ) -> None:
        """imshow로 그린 격자의 칸마다 값을 적습니다: -∞는 '−∞', 정확히 0은 '0'(가려진 칸의 회색 위에),
        나머지는 fmt(예: "{:.2f}")로. 글자 색은 칸의 색에 맞춰 고릅니다(text_on)."""
        from matplotlib.colors import to_rgba  # noqa: PLC0415

        for i, row in enumerate(values):
            for j, cell in enumerate(row):
                value = float(cell)
                if value == float("-inf") or value == 0:
                    text, color = (
                        ("−∞" if value else "0"),
                        self.text_on(to_rgba(self.masked)),
                    )
                else:
                    text = fmt.format(value).replace("-", "−")
                    color = self.text_on(image.cmap(image.norm(value)))
                ax.text(
                    j,
                    i,
                    text,
                    ha="center",
                    va="center",
                    fontsize=CELL_FONT_SIZE,
                    color=color,
                )

    def legend(self, fig: Figure, ax: Axes, ncols: int = 1) -> None:
        """범례: 휴대폰 칸에서는 그림 아래로 빼서 곡선과 점을 가리지 않고, 넓은 칸에서는 축 안에."""
        if self.narrow:
            fig.legend(loc="outside lower center", ncols=ncols)
        else:
            ax.legend()

    def loss_axes(
        self, fig: Figure, n_steps: int, levels: Sequence[tuple]
    ) -> Axes:
        """학습 손실 그림의 축(스텝, 교차 엔트로피)과 견줄 수준선들: (값, 이름, 색 이름, 선 모양)."""
        ax = fig.subplots()
        for value, label, colour, style in levels:
            ax.axhline(
                value,
                color=getattr(self, colour),
                linestyle=style,
                label=f"{label} = {value:.2f}",
            )
        ax.set(
            xlabel="스텝",
            ylabel="교차 엔트로피 (nats)",
            xlim=(1, n_steps),
            ylim=(0, None),
        )
        return ax

    def rc(self) -> dict[str, object]:
        """이 벌을 그리고 저장하는 동안의 matplotlib 설정."""
        from cycler import cycler  # noqa: PLC0415

        return {
            **SVG_SETTINGS,
            **FONT_SIZES,
            "font.family": FONTS,
            "font.sans-serif": SANS_SERIF,
            "axes.unicode_minus": True,
            "figure.facecolor": self.background,
            "axes.facecolor": self.background,
            "savefig.facecolor": self.background,
            "text.color": self.text,
            "axes.labelcolor": self.text,
            "axes.titlecolor": self.text,
            "axes.edgecolor": self.muted,
            "xtick.color": self.muted,
            "ytick.color": self.muted,
            "xtick.labelcolor": self.text,
            "ytick.labelcolor": self.text,
            "grid.color": self.grid,
            "grid.alpha": 1.0,
            "legend.frameon": False,
            "legend.labelcolor": self.text,
            "hatch.color": self.hatch,
            "patch.edgecolor": self.text,
            "lines.color": self.text,
            "axes.prop_cycle": cycler(color=self.series),
            "image.cmap": "viridis",
        }


# 밝은 벌: 흰 바탕(Material default). 어두운 벌: Material slate의 바탕 hsl(225, 15%, 14%)과 같은 색.
LIGHT = dict(
    dark=False,
    background="#ffffff",
    text="#1f2328",
    muted="#59636e",
    grid="#d8dce2",
    masked="#c4c8cf",
    hatch="#6e7781",
    blue="#1f5fbf",
    orange="#b34700",
    green="#2e7d32",
    red="#c62828",
    purple="#7b3fa0",
)
DARK = dict(
    dark=True,
    background="#1e2129",
    text="#e2e4e9",
    muted="#a3aab8",
    grid="#3a3f4b",
    masked="#5b6170",
    hatch="#9aa1ae",
    blue="#79c0ff",
    orange="#ffa657",
    green="#7ee787",
    red="#ff7b72",
    purple="#d2a8ff",
)


def save_plot(
    name: str,
    draw: Callable[[Figure, Look], object],
    size: tuple[float, float],
    narrow: tuple[float, float] | None = None,
    *,
    alt: str,
    caption: str,
) -> None:
    """draw(fig, look)가 그린 그림을 밝은·어두운 팔레트로, narrow를 주면 휴대폰 배치로도 저장합니다.

    <name>.svg(밝은, 넓은), <name>-dark.svg, <name>-narrow.svg, <name>-narrow-dark.svg를 저장하고 결과
    목록(manifest.json)에 적습니다. 글은 {{ outputs/<노트북>/<name> }} 한 줄로 싣고, 빌드가 팔레트와 화면
    폭에 맞는 벌을 골라 번호 붙은 그림으로 싣습니다. alt는 그림에 무엇이 있는지(화면 낭독기와 검색이
    읽는 대체 텍스트), caption은 그림이 말하는 것("그림 N." 뒤의 캡션)입니다: 노트북이 한 번 적으면 글과
    노트북 페이지가 함께 씁니다. size, narrow는 (폭, 높이) 인치: 폭은 COLUMN, PHONE 이하로.
    draw는 빈 그림(constrained layout)에 축을 만들어 그립니다. look.narrow이면 패널을 세로로 쌓거나
    하나로 줄이고, 색은 look에서 고릅니다. 노트북(Jupyter, Colab)에서는 밝은 넓은 벌을 이 셀의 출력(PNG)으로도
    보여 줍니다: 글이 싣는 네 벌은 파일로만 남고, 노트북을 읽는 사람은 그림이 만들어진 자리에서 봅니다.
    """
    import matplotlib  # noqa: PLC0415
    from matplotlib.figure import Figure  # noqa: PLC0415

    layouts = [(False, size)] + ([(True, narrow)] if narrow else [])
    for is_narrow, figsize in layouts:
        for palette in (LIGHT, DARK):
            look = Look(narrow=is_narrow, **palette)
            suffix = ("-narrow" if is_narrow else "") + (
                "-dark" if look.dark else ""
            )
            with matplotlib.rc_context(look.rc()):
                fig = Figure(figsize=figsize, layout="constrained")
                draw(fig, look)
                fig.savefig(
                    output_dir() / f"{name}{suffix}.svg",
                    format="svg",
                    bbox_inches="tight",
                    pad_inches=0.04,
                    metadata={"Date": None},
                )
                if not look.dark and not is_narrow and in_notebook():
                    _show_png(fig, name)
    record_figure(name, narrow=narrow is not None, alt=alt, caption=caption)


def _show_png(fig: Figure, name: str) -> None:
    """그림을 셀의 출력(PNG)으로 보여 줍니다. 같은 입력이면 같은 바이트(PNG에 matplotlib 판을 적지 않음)."""
    import io  # noqa: PLC0415

    png = io.BytesIO()
    fig.savefig(
        png,
        format="png",
        dpi=SHOWN_DPI,
        bbox_inches="tight",
        pad_inches=0.04,
        metadata={"Software": None},
    )
    show_png(png.getvalue(), name)


def show_png(png: bytes, name: str) -> None:
    """SHOWN_DPI로 그린 PNG를 노트북 셀의 출력으로 보여 줍니다(글에 실리는 크기로). 노트북 밖에서는 아무것도."""
    import base64  # noqa: PLC0415

    if not in_notebook():
        return
    width = int.from_bytes(png[16:20], "big")  # IHDR의 폭(픽셀)
    show(
        {
            "image/png": base64.b64encode(png).decode("ascii"),
            "text/plain": f"<그림 {name}>",
        },
        {"image/png": {"width": round(width * 96 / SHOWN_DPI)}},
    )


FIGURE_VARIANTS = {
    "light": "",
    "dark": "-dark",
    "narrow": "-narrow",
    "narrow-dark": "-narrow-dark",
}


def record_figure(name: str, *, narrow: bool, alt: str, caption: str) -> None:
    """저장한 그림 벌들(<name>.svg, -dark, 그리고 narrow이면 -narrow, -narrow-dark)을 결과 목록에 적습니다."""
    for what, text in (("alt", alt), ("caption", caption)):
        if not isinstance(text, str) or not text.strip():
            raise ValueError(
                f"그림 {name!r}의 {what}가 비었습니다: alt는 그림에 무엇이 있는지, caption은 그림이 "
                "말하는 것을 한 문장 이상으로 쓰세요"
            )
    files = {
        variant: f"{name}{suffix}.svg"
        for variant, suffix in FIGURE_VARIANTS.items()
        if narrow or not variant.startswith("narrow")
    }
    record_output(
        name, {"kind": "figure", "files": files, "alt": alt, "caption": caption}
    )
