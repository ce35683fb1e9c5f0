"""셀프 어텐션(self-attention): 내적에서 소프트 조회로, 그리고 왜 √d_k로 나누는가.

글 「셀프 어텐션: 왜 √d_k로 나누는가」의 코드입니다. 스케일드 닷 프로덕트 어텐션 자체는
snippets/attention.py에 있고(글이 그 구간을 싣습니다), 이 파일에는 글이 더하는 것만 둡니다.
- soft_lookup: 쿼리 하나로 키-값 쌍에서 값을 꺼내는 소프트 조회(soft lookup)
- saturation: d_k가 커질 때 스코어의 분산, 가중치의 엔트로피, 소프트맥스의 기울기 크기
- AttentionProbe: 글의 인터랙티브 그림을 위해 말뭉치로 학습하는 1층 2헤드 모델
- 연습 문제의 풀이: sharpened_lookup, permutation_gap
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import nn

from snippets.attention import (
    MultiHeadAttention,
    attention_scores,
    attention_weights,
)
from snippets.model_inputs import check_sizes, check_token_ids
from snippets.parameters import reset_parameters


# --8<-- [start:soft-lookup]
def soft_lookup(
    query: torch.Tensor, keys: torch.Tensor, values: torch.Tensor
) -> torch.Tensor:
    """소프트 조회: 쿼리와 닮은 키일수록 그 값을 많이 섞어 꺼냅니다.

    query: (Dh,), keys: (S, Dh), values: (S, Dv). 돌려주는 값은 (Dv,)입니다.
    """
    similarity = keys @ query  # (S,) 키마다 쿼리와의 내적
    weights = torch.softmax(similarity, dim=-1)  # (S,) 합이 1
    return weights @ values  # (Dv,) 값들의 가중 평균


# --8<-- [end:soft-lookup]


class Saturation(NamedTuple):
    """saturation의 결과: 행마다 잰 값들의 평균."""

    variance: float  # 스코어의 분산
    entropy: float  # 가중치의 엔트로피(nats)
    gradient: float  # 소프트맥스 야코비안의 프로베니우스 노름


# --8<-- [start:saturation]
def saturation(
    q: torch.Tensor, k: torch.Tensor, scale: float | None = None
) -> Saturation:
    """스코어가 얼마나 퍼졌고, 소프트맥스가 얼마나 쏠렸는지 잽니다.

    q: (N, 1, Dh), k: (N, S, Dh). scale=None이면 1/sqrt(d_k), 1.0이면
    나누지 않습니다. 기울기는 dw/ds = diag(w) - w w^T의 노름입니다.
    """
    scores = attention_scores(q, k, scale)  # (N, 1, S)
    w = torch.softmax(scores, dim=-1).squeeze(1)  # (N, S)
    entropy = -(w * w.clamp_min(1e-30).log()).sum(-1)  # (N,)
    jacobian = torch.diag_embed(w) - w[:, :, None] * w[:, None, :]
    gradient = jacobian.flatten(1).norm(dim=-1)  # (N,)
    return Saturation(
        scores.var().item(), entropy.mean().item(), gradient.mean().item()
    )


# --8<-- [end:saturation]


def random_queries_and_keys(
    n: int, n_keys: int, d_k: int, generator: torch.Generator
) -> tuple[torch.Tensor, torch.Tensor]:
    """평균 0, 분산 1인 쿼리 (n, 1, d_k)와 키 (n, n_keys, d_k): 논문 각주 4의 가정입니다."""
    q = torch.randn(n, 1, d_k, generator=generator, dtype=torch.float64)
    k = torch.randn(n, n_keys, d_k, generator=generator, dtype=torch.float64)
    return q, k


@dataclass
class ProbeConfig:
    """AttentionProbe의 설정: 글의 그림을 몇 초 안에 학습할 만큼 작게."""

    vocab_size: int = 1000  # 어휘 크기 V (글자 단위)
    max_len: int = 16  # 최대 길이 (위치 표의 행 수)
    d_model: int = 32  # 모델 폭 D
    n_heads: int = 2  # 헤드 수 H


class AttentionProbe(nn.Module):
    """셀프 어텐션 한 층으로 가려진 글자를 맞히는 아주 작은 모델.

    토큰 임베딩 + 위치 임베딩 → MultiHeadAttention(마스크 없음) → 어휘 로짓.
    가려진 자리의 글자는 앞뒤 글자를 보고서만 맞힐 수 있으므로, 학습된 헤드의
    가중치는 어느 이웃을 보는지를 보여 줍니다.
    """

    def __init__(
        self, config: ProbeConfig, generator: torch.Generator | None = None
    ) -> None:
        super().__init__()
        check_sizes(config, "vocab_size", "max_len", "d_model", "n_heads")
        self.config = config
        self.tokens = nn.Embedding(config.vocab_size, config.d_model)
        self.positions = nn.Embedding(config.max_len, config.d_model)
        self.attention = MultiHeadAttention(config.d_model, config.n_heads)
        self.head = nn.Linear(config.d_model, config.vocab_size)
        reset_parameters(self, generator or torch.Generator().manual_seed(0))

    def _embed(self, ids: torch.Tensor) -> torch.Tensor:
        check_token_ids(
            ids, self.config.vocab_size, self.config.max_len, "AttentionProbe"
        )
        positions = torch.arange(ids.size(1), device=ids.device)
        return self.tokens(ids) + self.positions(positions)  # (B, T, D)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        x = self._embed(ids)  # (B, T, D)
        return self.head(x + self.attention(x))  # (B, T, V)

    def weights(self, ids: torch.Tensor) -> torch.Tensor:
        """헤드마다의 어텐션 가중치 (B, H, T, T): 그림에 싣는 값."""
        return self.attention.weights(self._embed(ids))


def mask_characters(
    ids: torch.Tensor, mask_id: int, rate: float, generator: torch.Generator
) -> tuple[torch.Tensor, torch.Tensor]:
    """글자의 rate만큼을 mask_id로 가린 입력과, 가린 자리(True)를 돌려줍니다."""
    hidden = torch.rand(ids.shape, generator=generator) < rate  # (B, T)
    return ids.masked_fill(hidden, mask_id), hidden


def train_probe(
    model: AttentionProbe,
    ids: torch.Tensor,
    mask_id: int,
    steps: int,
    batch_size: int,
    generator: torch.Generator,
    lr: float = 1e-2,
    rate: float = 0.25,
) -> list[float]:
    """말뭉치 ids (N,)에서 창을 뽑아 가린 글자를 맞히게 학습합니다. 스텝마다의 손실을 돌려줍니다."""
    T = model.config.max_len
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    losses = []
    model.train()
    for _ in range(steps):
        starts = torch.randint(
            0, ids.numel() - T, (batch_size,), generator=generator
        )
        batch = torch.stack([ids[s : s + T] for s in starts.tolist()])  # (B, T)
        inputs, hidden = mask_characters(batch, mask_id, rate, generator)
        logits = model(inputs)  # (B, T, V)
        loss = F.cross_entropy(logits[hidden], batch[hidden])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    model.eval()
    return losses


def preferred_offsets(weights: torch.Tensor) -> list[tuple[int, float]]:
    """헤드마다 가중치를 가장 많이 주는 상대 위치(키 - 쿼리)와 그 평균 가중치.

    weights: (H, T, T). 경계 밖의 상대 위치는 그 위치가 있는 쿼리들로만 평균합니다.
    """
    H, T, _ = weights.shape
    found = []
    for h in range(H):
        means = {
            offset: weights[h].diagonal(offset).mean().item()
            for offset in range(-(T - 1), T)
        }
        best = max(means, key=means.get)
        found.append((best, means[best]))
    return found


# 연습 문제의 풀이: 글 「셀프 어텐션: 왜 √d_k로 나누는가」의 '연습 문제'가 싣습니다.


# --8<-- [start:sharpened-lookup]
def sharpened_lookup(
    query: torch.Tensor,
    keys: torch.Tensor,
    values: torch.Tensor,
    beta: float,
) -> torch.Tensor:
    """내적에 beta를 곱한 소프트 조회. beta가 크면 가장 닮은 키의
    값 하나만 꺼내는 딕셔너리 조회(hard lookup)에 가까워집니다.
    """
    return soft_lookup(query * beta, keys, values)


# --8<-- [end:sharpened-lookup]


# --8<-- [start:permutation-gap]
def permutation_gap(x: torch.Tensor, order: torch.Tensor) -> float:
    """셀프 어텐션은 입력의 순서를 섞으면 출력도 똑같이 섞입니다.

    x: (T, D), order: 0..T-1의 순열. 섞은 입력의 출력과 출력을 섞은
    것의 가장 큰 차이를 돌려줍니다(위치 정보가 없으면 반올림 오차뿐).
    """

    def attend(x: torch.Tensor) -> torch.Tensor:
        return attention_weights(x, x) @ x  # (T, D) Q = K = V = x

    return (attend(x[order]) - attend(x)[order]).abs().max().item()


# --8<-- [end:permutation-gap]


if __name__ == "__main__":
    generator = torch.Generator().manual_seed(0)
    keys = torch.randn(4, 8, generator=generator)
    values = torch.eye(4)  # 값이 단위 벡터라 꺼낸 값이 곧 가중치입니다
    query = keys[2] + 0.1 * torch.randn(8, generator=generator)
    found = soft_lookup(query, keys, values).tolist()
    print(
        "소프트 조회로 꺼낸 값(키 2와 닮은 쿼리):", [f"{w:.2f}" for w in found]
    )
    print("d_k   스코어 분산(나눔 / 안 나눔)   엔트로피(나눔 / 안 나눔)")
    for d_k in (4, 64, 1024):
        q, k = random_queries_and_keys(256, 16, d_k, generator)
        scaled, raw = saturation(q, k), saturation(q, k, scale=1.0)
        print(
            f"{d_k:<5} {scaled.variance:8.2f} / {raw.variance:8.2f}"
            f"      {scaled.entropy:.2f} / {raw.entropy:.2f} (최대 {math.log(16):.2f})"
        )
