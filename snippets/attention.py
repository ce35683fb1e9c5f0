"""어텐션(attention): 스케일드 닷 프로덕트 어텐션과 마스크.

글 「마스크 멀티 헤드 어텐션은 뭐가 다른가?」의 다섯 단계가 이 파일의 구간과 하나씩 맞닿습니다.
불리언 마스크는 torch.nn.functional.scaled_dot_product_attention과 같은 약속을 따릅니다:
**True = 참조해도 됨(may attend)**.
"""

from __future__ import annotations

import math

import torch


# --8<-- [start:causal-mask]
def causal_mask(T: int, device: torch.device | None = None) -> torch.Tensor:
    """인과 마스크(causal mask): 위치 t는 자기 자신과 그 이전(0..t)만 볼 수 있습니다.

    True = 참조해도 됨. 대각선 아래(대각선 포함)가 True인 (T, T) 하삼각 행렬입니다.
    """
    return torch.ones(T, T, dtype=torch.bool, device=device).tril()


# --8<-- [end:causal-mask]


# --8<-- [start:scaled-dot-product-attention]
def scaled_dot_product_attention(
    q: torch.Tensor,
    k: torch.Tensor,
    v: torch.Tensor,
    mask: torch.Tensor | None = None,
) -> torch.Tensor:
    """스케일드 닷 프로덕트 어텐션: softmax(QK^T / sqrt(d_k) + 마스크) V.

    q: (..., T, Dh), k와 v: (..., S, Dh). mask는 (T, S)로 브로드캐스트되는 불리언 텐서이고
    True = 참조해도 됨입니다. 돌려주는 값은 (..., T, Dh)입니다.
    """
    d_k = q.size(-1)
    scores = q @ k.transpose(-2, -1) / math.sqrt(d_k)  # (..., T, S)
    if mask is not None:
        # 소프트맥스 전에 -무한대를 넣어야 가려진 자리의 가중치가 정확히 0이 됩니다.
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)  # (..., T, S), 각 행의 합 = 1
    return weights @ v  # (..., T, Dh)


# --8<-- [end:scaled-dot-product-attention]
