"""글에 싣는 산출물(그림, 표, 숫자)을 파일로 남기기.

동반 노트북(notebooks/*.py)이 이 함수들로 그림·표·숫자를 저장하면, 사이트 빌드가 그 파일을 글에
넣습니다. 빌드 밖에서(독자의 노트북에서) 실행하면 현재 디렉터리의 outputs/에 저장됩니다.
같은 입력이면 같은 바이트가 나오도록(SVG의 무작위 id와 날짜를 없애) 저장합니다.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if (
    TYPE_CHECKING
):  # matplotlib은 그림을 저장할 때만 불러옵니다(숫자만 남기는 노트북은 0.5초 빨리 시작)
    from matplotlib.figure import Figure

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
    """그림을 <name>.svg로 저장합니다. 어두운 테마에서도 읽히도록 흰 바탕으로 그립니다."""
    import matplotlib  # noqa: PLC0415

    path = output_dir() / f"{name}.svg"
    with matplotlib.rc_context(SVG_SETTINGS):
        fig.savefig(
            path, format="svg", facecolor="white", bbox_inches="tight", metadata={"Date": None}
        )


def save_table(name: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """작은 마크다운 표를 <name>.md로 저장합니다. 글은 이 파일을 --8<--로 끌어옵니다."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    (output_dir() / f"{name}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def save_text(name: str, body: str) -> None:
    """모델이 만든 글처럼 글자 그대로 보여 줄 텍스트를 코드 블록 <name>.md로 저장합니다.

    울타리는 본문에 있는 가장 긴 백틱 줄보다 길게 잡아, 어떤 글자가 나와도 블록이 깨지지 않습니다.
    """
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    (output_dir() / f"{name}.md").write_text(f"{fence}text\n{body}\n{fence}\n", encoding="utf-8")


def save_numbers(**values: str | int | float) -> None:
    """글의 문장 안에 들어갈 숫자들을 numbers.json에 더합니다. 글에서는 {{ outputs/노트북/키 }}."""
    path = output_dir() / "numbers.json"
    numbers = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    numbers.update({key.replace("_", "-"): value for key, value in values.items()})
    path.write_text(
        json.dumps(numbers, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
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
