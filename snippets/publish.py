"""글에 싣는 산출물(그림, 표, 숫자)을 파일로 남기기.

동반 노트북(notebooks/*.py)이 이 함수들로 그림·표·숫자를 저장하면, 함수들이 노트북의 결과 목록
(manifest.json: 이름, 종류, 파일, 그림의 대체 텍스트와 캡션)에 적고(record_output 하나가 씁니다), 글은
어느 것이든 {{ outputs/<노트북>/<이름> }}으로 싣습니다. 빌드 밖에서(독자의 노트북에서) 실행하면 현재
디렉터리의 outputs/에 저장됩니다.
같은 입력이면 같은 바이트가 나오도록(SVG의 무작위 id와 날짜를 없애) 저장합니다.

어텐션 가중치는 save_attention으로: 빌드가 쿼리 토큰을 골라 볼 수 있는 그림으로 싣습니다.
그림은 save_plot으로: 노트북이 준 그리기 함수 하나를 밝은·어두운 팔레트와 넓은(데스크톱 본문 칸)·좁은
(휴대폰 칸) 배치로 네 번 불러 네 벌을 저장합니다. 빌드(blogbuild/figures.py)가 팔레트와 화면 폭에 맞는
벌을 골라 싣고, 화면에 보이는 글자 크기를 검사합니다.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # matplotlib은 그림을 저장할 때만 불러옵니다(숫자만 남기는 노트북은 0.5초 빨리 시작)
    from matplotlib.axes import Axes
    from matplotlib.axis import Axis
    from matplotlib.figure import Figure
    from matplotlib.image import AxesImage
    from matplotlib.patches import Patch

NOTEBOOK_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# SVG 안의 id가 실행마다 달라지지 않도록 고정한 소금(salt)과, 텍스트를 글꼴 윤곽 대신 글자로 남기는 설정.
SVG_SETTINGS = {"svg.hashsalt": "real-code-blog", "svg.fonttype": "none"}


def output_dir() -> Path:
    """산출물을 저장할 디렉터리: 빌드가 정해 주면 그곳, 아니면 ./outputs."""
    path = Path(os.environ.get("BLOG_OUTPUT_DIR", "outputs"))
    path.mkdir(parents=True, exist_ok=True)
    return path


# 저장 함수들은 아무것도 돌려주지 않습니다: 셀의 마지막 줄이 경로를 돌려주면 노트북 페이지에 빌드하는
# 기계의 경로가 출력으로 실립니다(빌드가 거절합니다). 저장한 파일은 output_dir() / 이름으로 찾습니다.


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
SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def scientific(x: float) -> str:
    """3.8e-16 -> '3.8 × 10⁻¹⁶': 글의 문장 안에서 읽기 쉬운 꼴(save_numbers에 넘길 값)."""
    mantissa, exponent = f"{x:.1e}".split("e")
    return f"{mantissa} × 10{str(int(exponent)).translate(SUPERSCRIPT)}"


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
                if not look.dark and not is_narrow and _in_notebook():
                    _show_png(fig, name)
    record_figure(name, narrow=narrow is not None, alt=alt, caption=caption)


def _in_notebook() -> bool:
    """IPython 커널(Jupyter, Colab, 빌드의 실행) 안인지. 스크립트와 테스트에서는 아무것도 보여 주지 않습니다."""
    import sys  # noqa: PLC0415

    ipython = sys.modules.get("IPython")
    return ipython is not None and ipython.get_ipython() is not None


def _show(
    data: dict[str, str], metadata: dict[str, object] | None = None
) -> None:
    from IPython.display import display  # noqa: PLC0415

    display(data, raw=True, metadata=metadata)


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

    if not _in_notebook():
        return
    width = int.from_bytes(png[16:20], "big")  # IHDR의 폭(픽셀)
    _show(
        {
            "image/png": base64.b64encode(png).decode("ascii"),
            "text/plain": f"<그림 {name}>",
        },
        {"image/png": {"width": round(width * 96 / SHOWN_DPI)}},
    )


# 결과 목록: 노트북이 글에 싣게 내놓은 것들(숫자, 표, 글자 블록, 그림)의 이름과 종류. 글은 어느 것이든
# {{ outputs/<노트북>/<이름> }}으로 싣고, 빌드(blogbuild/manifest.py)가 이 목록을 검사해 채웁니다.
MANIFEST = "manifest.json"
OUTPUT_NAME = NOTEBOOK_NAME  # 결과의 이름: 소문자·숫자를 하이픈으로 이은 것(save_numbers는 _를 -로)
FIGURE_VARIANTS = {
    "light": "",
    "dark": "-dark",
    "narrow": "-narrow",
    "narrow-dark": "-narrow-dark",
}


def record_output(name: str, entry: dict[str, object]) -> None:
    """결과 목록(manifest.json)에 name의 항목을 적습니다: 저장 함수들이 파일을 쓴 뒤 부르는 하나뿐인 기록.

    같은 이름을 다시 저장하면(셀을 다시 실행) 항목을 바꾸고, 다른 종류로 저장하면 멈춥니다: 글의
    {{ outputs/<노트북>/<이름> }} 하나가 두 결과를 가리킬 수 없습니다.
    """
    if not OUTPUT_NAME.match(name):
        raise ValueError(
            f"결과 이름 {name!r}: 소문자·숫자를 하이픈으로 이어 쓰세요(예: 'loss-curve'). "
            "글이 {{ outputs/<노트북>/<이름> }}으로 싣는 이름입니다"
        )
    path = output_dir() / MANIFEST
    outputs = (
        json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    )
    kind = outputs.get(name, {}).get("kind", entry["kind"])
    if kind != entry["kind"]:
        raise ValueError(
            f"결과 이름 {name!r}은 이미 {kind}(으)로 저장했습니다: {entry['kind']}에는 다른 이름을 쓰세요"
        )
    outputs[name] = entry
    path.write_text(
        json.dumps(outputs, ensure_ascii=False, indent=2, sort_keys=True)
        + "\n",
        encoding="utf-8",
    )


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


# 수로 시작하는 칸(굵게 쓴 합계 **1,024**, 범위 8~11, 덧붙인 말 39,383,808 (31.6%)까지): 모든 칸이 이런 열은
# 오른쪽 정렬.
NUMBER_FIRST = re.compile(r"[*`]*[−+-]?\.?\d")


def table_cell(value: object) -> str:
    """표 칸의 글자. 정수는 천 단위마다 쉼표(1,024): 사이트의 모든 표가 같은 규칙을 씁니다."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def unbroken(text: str) -> str:
    """띄어 쓴 짧은 묶음(`12 × 64`, `6 + 6`)이 좁은 화면에서 줄이 바뀌지 않도록: 띄어쓰기를 줄바꿈 없는
    공백(U+00A0)으로. 표 칸의 하이픈(`BERT-base`, `GPT-3`)은 빌드가 지킵니다(blogbuild/unbroken_tokens.py).
    복사해 쓸 이름은 코드(`...`)로 적습니다."""
    return text.replace(" ", "\u00a0")


def dimensions(*sizes: int) -> str:
    """크기의 곱을 `12 × 64`처럼(x가 아니라 곱셈 기호, 한 덩이로)."""
    return unbroken(" × ".join(table_cell(size) for size in sizes))


def save_table(
    name: str, header: Sequence[str], rows: Sequence[Sequence[object]]
) -> None:
    """작은 마크다운 표를 <name>.md로 저장합니다. 글은 {{ outputs/<노트북>/<name> }} 한 줄로 싣습니다.

    정수는 천 단위 쉼표로 적고(table_cell), 모든 칸이 수로 시작하는 열은 오른쪽으로 맞춥니다(자릿수가 세로로
    맞게).
    """
    cells = [[table_cell(cell) for cell in row] for row in rows]
    for row in cells:
        if len(row) != len(header):
            raise ValueError(
                f"save_table({name!r}): 머리는 {len(header)}칸인데 {row}는 {len(row)}칸입니다"
            )
    numeric = [
        bool(cells) and all(NUMBER_FIRST.match(row[i].strip()) for row in cells)
        for i in range(len(header))
    ]
    rule = "|" + "|".join("---:" if right else "---" for right in numeric) + "|"
    lines = ["| " + " | ".join(header) + " |", rule]
    lines += ["| " + " | ".join(row) + " |" for row in cells]
    (output_dir() / f"{name}.md").write_text(
        "\n".join(lines) + "\n", encoding="utf-8"
    )
    record_output(name, {"kind": "table", "file": f"{name}.md"})


def save_text(name: str, body: str) -> None:
    """모델이 만든 글처럼 글자 그대로 보여 줄 텍스트를 코드 블록 <name>.md로 저장합니다.

    블록은 노트북 페이지의 출력과 같은 notebook-output 블록이라, 긴 줄이 가로로 밀리지 않고 접힙니다.

    울타리는 본문에 있는 가장 긴 백틱 줄보다 길게 잡아, 어떤 글자가 나와도 블록이 깨지지 않습니다.
    글은 표처럼 {{ outputs/<노트북>/<name> }} 한 줄로 싣습니다.
    """
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    (output_dir() / f"{name}.md").write_text(
        f"{fence}{{ .text .notebook-output }}\n{body}\n{fence}\n",
        encoding="utf-8",
    )
    record_output(name, {"kind": "text", "file": f"{name}.md"})


def save_numbers(**values: str | int | float) -> None:
    """글의 문장 안에 들어갈 숫자들을 결과 목록에 적습니다. 글에서는 {{ outputs/노트북/키 }}(키의 _는 -)."""
    for key, value in values.items():
        if not isinstance(value, str | int | float):
            raise ValueError(
                f"save_numbers({key}=...): 글에 싣는 값은 문자열이나 수여야 합니다 (지금: {type(value).__name__})"
            )
        record_output(key.replace("_", "-"), {"kind": "number", "value": value})
    if (
        _in_notebook()
    ):  # 글의 문장에 들어가는 값을 노트북에서도 그 자리에서 봅니다
        shown = "\n".join(
            f"{key.replace('_', '-')} = {value}"
            for key, value in values.items()
        )
        _show({"text/plain": f"글에 싣는 숫자({MANIFEST}):\n{shown}"})


def save_attention(
    name: str, tokens: Sequence[str], weights: Sequence, *, caption: str
) -> None:
    """어텐션 가중치 (H, T, T)를 글의 인터랙티브 그림으로 결과 목록에 적습니다.

    tokens는 쿼리·키 토큰 T개의 보이는 글자(빈칸 토큰은 '␣'처럼), weights는 헤드 H개의 (T, T) 가중치
    (텐서나 중첩 목록: 행은 쿼리, 열은 키, 행마다 합 1)이고 소수 셋째 자리로 반올림해 적습니다. 글은
    {{ outputs/<노트북>/<name> }} 한 줄로 싣고, 빌드(blogbuild/attention_figure.py)가 헤드마다의 가중치 표를
    든 번호 붙은 그림으로 그립니다. 사이트의 스크립트가 그 표에 쿼리 토큰을 고르는 보기를 더합니다.
    """
    rows = weights.tolist() if hasattr(weights, "tolist") else weights
    heads = [
        [[round(float(w), 3) for w in row] for row in head] for head in rows
    ]
    T = len(tokens)
    if not heads or any(
        len(head) != T or any(len(row) != T for row in head) for head in heads
    ):
        raise ValueError(
            f"save_attention({name!r}): 가중치는 헤드마다 토큰 수 {T} × {T}인 (H, T, T)여야 합니다"
        )
    if not isinstance(caption, str) or not caption.strip():
        raise ValueError(
            f"save_attention({name!r}): caption에 그림이 말하는 것을 한 문장 이상으로 쓰세요"
        )
    record_output(
        name,
        {
            "kind": "attention",
            "tokens": list(tokens),
            "weights": heads,
            "caption": caption,
        },
    )
    if _in_notebook():
        _show(
            {
                "text/plain": f"<어텐션 그림 {name}: 토큰 {T}개, 헤드 {len(heads)}개>"
            }
        )


def save_data(name: str, data: object) -> None:
    """다른 노트북이 읽을 데이터(예: 학습 손실 기록)를 <name>.json으로 저장합니다."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n"
    (output_dir() / f"{name}.json").write_text(text, encoding="utf-8")


def read_output(notebook: str, name: str) -> Path:
    """다른 노트북이 남긴 산출물의 경로. 빌드는 그 노트북을 먼저 실행합니다.

    notebook은 글자 그대로 써야 합니다(빌드가 실행 전에 읽어 캐시 키에 넣습니다). 빌드 안에서는 그렇게
    찾은 노트북만 읽을 수 있고(BLOG_UPSTREAMS), name은 그 노트북의 결과 디렉터리 안이어야 합니다.
    """
    if not NOTEBOOK_NAME.match(notebook):
        raise ValueError(
            f"read_output({notebook!r}, ...): 노트북 이름은 notebooks/<이름>.py의 <이름>입니다"
        )
    allowed = os.environ.get("BLOG_UPSTREAMS")
    if allowed is not None and notebook not in allowed.split(","):
        raise ValueError(
            f'read_output({notebook!r}, ...): 빌드가 실행 전에 찾은 read_output("이름", ...) 호출에 없는 '
            "노트북입니다. 노트북 이름을 글자 그대로 쓰세요"
        )
    root = Path(os.environ.get("BLOG_OUTPUTS_ROOT", "build/outputs"))
    directory = (root / notebook).resolve()
    path = (directory / name).resolve()
    if not path.is_relative_to(directory):
        raise ValueError(
            f"read_output({notebook!r}, {name!r}): {notebook}의 결과 디렉터리 밖입니다"
        )
    if not path.exists():
        raise FileNotFoundError(
            f"{root / notebook / name}이 없습니다: 노트북 notebooks/{notebook}.py를 먼저 실행하세요"
        )
    return path
