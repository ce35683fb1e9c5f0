"""노트북이 save_attention으로 남긴 어텐션 가중치를 글의 인터랙티브 그림(<figure>)으로 싣습니다.

결과 목록(manifest.json)의 항목은 노트북(기여자가 보낸 코드)이 쓴 것이라 믿지 않고 검사합니다
(problems): 토큰은 1~MAX_TOKENS개의 짧은 글자열, 가중치는 헤드 1~MAX_HEADS개의 (T, T) 행렬이고
칸은 0~1의 유한한 수, 행의 합은 1(ROW_SUM_TOLERANCE 안)입니다.

그림(render)은 스크립트 없이도 읽히는 표입니다: 헤드마다 표 하나(행은 쿼리, 열은 키, 칸은 가중치와
그 크기의 단계 attention-level-0..10). docs/javascripts/attention-figure.js가 이 표를 읽어, 쿼리 토큰을
고르면(마우스, 탭, 키보드) 그 쿼리의 가중치를 헤드마다 막대로 보여 주는 보기를 더합니다. 토큰과 캡션은
이스케이프해서 싣습니다. 번호("그림 N.")는 다른 그림과 함께 figures.render_figures가 매깁니다.
"""

from __future__ import annotations

import html
import math

MAX_TOKENS = 32  # 휴대폰에서 토큰 단추가 몇 줄 안에 들어가는 길이
MAX_HEADS = 8
MAX_TOKEN_CHARS = 12
ROW_SUM_TOLERANCE = 1e-2  # 노트북이 소수 셋째 자리로 반올림해 저장합니다
LEVELS = 10  # 칸 색의 단계: attention-level-0 .. attention-level-10
# 그림의 번호 자리: figures.render_figures가 "그림 N."으로 채웁니다.
OPEN = '<figure class="attention-figure">'
NUMBER_SLOT = '<span class="figure-number"></span>'


def problems(where: str, entry: dict) -> list[str]:
    """save_attention 항목(tokens, weights, caption)의 문제들. 없으면 빈 목록."""
    found = []
    tokens, weights, caption = entry["tokens"], entry["weights"], entry["caption"]
    if not isinstance(caption, str) or not caption.strip():
        found.append(
            f"{where}: 캡션(caption: 그림이 말하는 것)이 비었습니다: "
            'save_attention("<이름>", tokens, weights, caption="…")처럼 한 문장 이상으로 주세요'
        )
    if (
        not isinstance(tokens, list)
        or not 1 <= len(tokens) <= MAX_TOKENS
        or not all(isinstance(t, str) and t.strip() and len(t) <= MAX_TOKEN_CHARS for t in tokens)
    ):
        found.append(
            f"{where}: tokens는 토큰 1~{MAX_TOKENS}개의 목록이고, 토큰마다 빈칸만이 아닌 "
            f"{MAX_TOKEN_CHARS}자 이하의 글자열이어야 합니다(빈칸 토큰은 '␣'처럼 보이는 글자로) "
            f"(지금: {_shown(tokens)})"
        )
        return found
    T = len(tokens)
    if (
        not isinstance(weights, list)
        or not 1 <= len(weights) <= MAX_HEADS
        or not all(
            isinstance(head, list)
            and len(head) == T
            and all(isinstance(row, list) and len(row) == T for row in head)
            for head in weights
        )
    ):
        found.append(
            f"{where}: weights는 헤드 1~{MAX_HEADS}개의 (T, T) 행렬이어야 합니다: 토큰이 "
            f"{T}개이므로 헤드마다 {T}행 {T}열 (지금: {_shown(weights)})"
        )
        return found
    for h, head in enumerate(weights):
        for i, row in enumerate(head):
            if not all(_weight(w) for w in row):
                found.append(
                    f"{where}: 헤드 {h}의 쿼리 {i}행에 0~1의 유한한 수가 아닌 가중치가 있습니다 "
                    f"(지금: {_shown(row)})"
                )
            elif abs(sum(row) - 1) > ROW_SUM_TOLERANCE:
                found.append(
                    f"{where}: 헤드 {h}의 쿼리 {i}행의 합이 {sum(row):.4f}입니다: 어텐션 가중치는 "
                    "행마다 합이 1입니다(소프트맥스의 출력을 그대로 저장하세요)"
                )
    return found


def _weight(value: object) -> bool:
    number = isinstance(value, int | float) and not isinstance(value, bool)
    return number and math.isfinite(value) and 0 <= value <= 1


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _cell(value: float) -> str:
    level = round(value * LEVELS)
    return f'<td class="attention-level-{level}">{value:.2f}</td>'


def render(tokens: list[str], weights: list[list[list[float]]], caption: str) -> str:
    """그림의 HTML(빈 줄 없이: Markdown이 한 덩이의 HTML로 그대로 둡니다)."""
    shown = [html.escape(token) for token in tokens]
    head_row = "".join(f'<th scope="col">{token}</th>' for token in shown)
    tables = []
    for h, head in enumerate(weights):
        rows = "\n".join(
            f'<tr><th scope="row">{shown[i]}</th>{"".join(_cell(w) for w in row)}</tr>'
            for i, row in enumerate(head)
        )
        tables.append(
            '<div class="attention-scroll" tabindex="0">\n'
            f'<table class="attention-table" data-head="{h + 1}">\n'
            f"<caption>헤드 {h + 1}: 행은 쿼리, 열은 키, 칸은 어텐션 가중치</caption>\n"
            f'<thead><tr><th scope="col">쿼리＼키</th>{head_row}</tr></thead>\n'
            f"<tbody>\n{rows}\n</tbody>\n</table>\n</div>"
        )
    return (
        f"{OPEN}\n"
        '<details class="attention-tables" open>\n'
        "<summary>헤드마다 가중치 표</summary>\n" + "\n".join(tables) + "\n</details>\n"
        f"<figcaption>{NUMBER_SLOT} {html.escape(' '.join(caption.split()), quote=False)}"
        "</figcaption>\n</figure>"
    )
