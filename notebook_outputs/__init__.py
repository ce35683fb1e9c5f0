"""노트북이 글에 내놓는 결과(숫자, 표, 글자 블록, 데이터)와 그 결과를 두는 곳의 약속.

동반 노트북(notebooks/*.py)이 이 함수들로 숫자·표·글자 블록을 저장하면, 함수들이 노트북의 결과 목록
(manifest.json: 이름, 종류, 파일, 그림의 대체 텍스트와 캡션)에 적고(record_output 하나가 씁니다), 글은
어느 것이든 {{ outputs/<노트북>/<이름> }}으로 싣습니다. 빌드 밖에서(독자의 노트북에서) 실행하면 현재
디렉터리의 outputs/에 저장됩니다. 빌드(blogbuild/manifest.py)는 이 목록을 믿지 않고 검사해 채웁니다.

어텐션 가중치는 save_attention으로: 빌드가 쿼리 토큰을 골라 볼 수 있는 그림으로 싣습니다.
그림은 같은 약속을 따르는 이웃 모듈이 저장합니다: 데이터로 그린 그림은 notebook_outputs.figures의
save_plot, 모델 코드를 따라가 그린 구조 그림은 notebook_outputs.diagrams의 save_diagram.

이 패키지는 사이트의 도구입니다: 글이 가르치는 코드는 snippets/에 있고, 여기에는 그 코드가 만든 것을
사이트에 싣는 방법만 있습니다.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from pathlib import Path

NOTEBOOK_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def output_dir() -> Path:
    """산출물을 저장할 디렉터리: 빌드가 정해 주면 그곳, 아니면 ./outputs."""
    path = Path(os.environ.get("BLOG_OUTPUT_DIR", "outputs"))
    path.mkdir(parents=True, exist_ok=True)
    return path


# 저장 함수들은 아무것도 돌려주지 않습니다: 셀의 마지막 줄이 경로를 돌려주면 노트북 페이지에 빌드하는
# 기계의 경로가 출력으로 실립니다(빌드가 거절합니다). 저장한 파일은 output_dir() / 이름으로 찾습니다.


def in_notebook() -> bool:
    """IPython 커널(Jupyter, Colab, 빌드의 실행) 안인지. 스크립트와 테스트에서는 아무것도 보여 주지 않습니다."""
    import sys  # noqa: PLC0415

    ipython = sys.modules.get("IPython")
    return ipython is not None and ipython.get_ipython() is not None


def show(
    data: dict[str, str], metadata: dict[str, object] | None = None
) -> None:
    """IPython 셀의 출력으로 data(MIME 종류 → 내용)를 보여 줍니다."""
    from IPython.display import display  # noqa: PLC0415

    display(data, raw=True, metadata=metadata)


# 결과 목록: 노트북이 글에 싣게 내놓은 것들(숫자, 표, 글자 블록, 그림)의 이름과 종류. 글은 어느 것이든
# {{ outputs/<노트북>/<이름> }}으로 싣고, 빌드(blogbuild/manifest.py)가 이 목록을 검사해 채웁니다.
MANIFEST = "manifest.json"
OUTPUT_NAME = NOTEBOOK_NAME  # 결과의 이름: 소문자·숫자를 하이픈으로 이은 것(save_numbers는 _를 -로)


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


def scientific(x: float) -> str:
    """3.8e-16 -> '3.8 × 10⁻¹⁶': 글의 문장 안에서 읽기 쉬운 꼴(save_numbers에 넘길 값)."""
    mantissa, exponent = f"{x:.1e}".split("e")
    return f"{mantissa} × 10{str(int(exponent)).translate(SUPERSCRIPT)}"


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
        in_notebook()
    ):  # 글의 문장에 들어가는 값을 노트북에서도 그 자리에서 봅니다
        shown = "\n".join(
            f"{key.replace('_', '-')} = {value}"
            for key, value in values.items()
        )
        show({"text/plain": f"글에 싣는 숫자({MANIFEST}):\n{shown}"})


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
    if in_notebook():
        show(
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
