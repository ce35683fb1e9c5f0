"""인코더-디코더(BART, T5)가 함께 쓰는 조각: 출력 묶음과, 정답을 한 칸 밀어 만드는 디코더 입력."""

from __future__ import annotations

from typing import NamedTuple

import torch

from snippets.model_inputs import IGNORE_INDEX


class Seq2SeqOutput(NamedTuple):
    """로짓 (B, T, V)과, 정답을 주었을 때의 평균 교차 엔트로피 손실."""

    logits: torch.Tensor
    loss: torch.Tensor | None


def shift_right(
    labels: torch.Tensor, pad_id: int, start_id: int
) -> torch.Tensor:
    """디코더 입력 = 정답을 오른쪽으로 한 칸 민 것. 맨 앞에 시작 토큰을 넣습니다.

    위치 t의 디코더는 정답 0..t-1을 보고 정답 t를 맞힙니다(teacher forcing). 시작 토큰은
    BART가 </s>(decoder_start_token_id), T5가 패딩 토큰입니다. 손실에서 빼려고 -100으로
    표시한 자리는 패딩 토큰으로 바꿉니다.
    """
    shifted = torch.full_like(labels, start_id)  # (B, T)
    shifted[:, 1:] = labels[:, :-1]
    return shifted.masked_fill(shifted == IGNORE_INDEX, pad_id)
