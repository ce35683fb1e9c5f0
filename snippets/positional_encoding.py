"""위치 정보: 사인파 위치 인코딩, 학습된 위치, 상대 위치 편향, 회전 위치 임베딩(RoPE).

글 「위치 정보: 사인파 위치 인코딩, 학습된 위치, 상대 위치, RoPE」가 이 파일의 구간을 싣습니다.
어텐션은 토큰의 순서를 보지 못하므로(키의 순서를 바꿔도 가중합은 같습니다) 위치를 따로 넣어야 합니다.
네 방식은 각각 참조 구현과 같은 값을 냅니다: 사인파는 transformers의 Marian 사인파 임베딩, 학습된
위치는 GPT-2의 wpe, 상대 위치 편향은 T5(snippets/t5.py), RoPE는 Llama의 회전 임베딩과
apply_rotary_pos_emb (tests/test_positional_encoding.py). 끝의 실험은 같은 작은 모델을 방식마다
짧은 시퀀스로 학습하고 더 긴 시퀀스에서 잽니다(길이 외삽). 불리언 마스크는 True = 참조해도 됨입니다.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from snippets.attention import MultiHeadAttention, causal_mask
from snippets.model_inputs import (
    IGNORE_INDEX,
    MODEL_SIZES,
    check_heads,
    check_sizes,
    check_token_ids,
)
from snippets.parameters import reset_parameters
from snippets.residual import FeedForward, PreLNSublayer
from snippets.t5 import RelativePositionBias

SCHEMES = ("none", "sinusoidal", "learned", "relative", "rotary")


# --8<-- [start:halves-order]
def halves_order(d_model: int) -> torch.Tensor:
    """짝수 번째 열(sin)을 앞에, 홀수 번째 열(cos)을 뒤에 모으는 순서: (D,).

    논문의 표는 sin과 cos가 번갈아 오고, Marian은 sin을 앞 절반에
    cos를 뒤 절반에 모읍니다.
    D가 홀수이면 sin 열이 하나 더 많습니다.
    """
    return torch.cat([torch.arange(0, d_model, 2), torch.arange(1, d_model, 2)])


# --8<-- [end:halves-order]


# --8<-- [start:sinusoidal-positions]
def sinusoidal_positions(
    max_len: int,
    d_model: int,
    interleaved: bool = True,
    base: float = 10000.0,
) -> torch.Tensor:
    """사인파 위치 인코딩(sinusoidal positional encoding): (max_len, D).

    PE[t, 2i] = sin(t / base^(2i/D)), PE[t, 2i+1] = cos(t / base^(2i/D)).
    interleaved=False이면 열을 halves_order로 모읍니다(sin 앞, cos 뒤).
    값은 float64입니다.
    """
    t = torch.arange(max_len, dtype=torch.float64)[:, None]  # (T, 1)
    two_i = torch.arange(0, d_model, 2, dtype=torch.float64)  # 2i
    angle = t / base ** (two_i / d_model)  # (T, ceil(D/2))
    table = torch.empty(max_len, d_model, dtype=torch.float64)
    table[:, 0::2] = angle.sin()
    table[:, 1::2] = angle[:, : d_model // 2].cos()  # D가 홀수면 cos 하나 적음
    return table if interleaved else table[:, halves_order(d_model)]


# --8<-- [end:sinusoidal-positions]


# --8<-- [start:rotary-cos-sin]
def rotary_cos_sin(T: int, head_dim: int) -> tuple[torch.Tensor, torch.Tensor]:
    """RoPE의 cos와 sin: 각각 (T, Dh).

    위치 t의 i번째 쌍은 각도 t / 10000^(2i/Dh)만큼 돕니다.

    각도는 사인파 위치 인코딩과 같아서 그 표를 그대로 씁니다. 쌍은 i번째와
    (Dh/2 + i)번째 값이라(Llama의 rotate_half 배치) 절반을 두 번 잇습니다.
    """
    if head_dim % 2:
        raise ValueError(f"헤드 폭 {head_dim}이 홀수입니다: 짝수여야 합니다")
    table = sinusoidal_positions(T, head_dim, interleaved=False)  # (T, Dh)
    sin, cos = table.chunk(2, dim=-1)  # 각각 (T, Dh/2)
    return torch.cat([cos, cos], dim=-1), torch.cat([sin, sin], dim=-1)


# --8<-- [end:rotary-cos-sin]


# --8<-- [start:apply-rotary]
def apply_rotary(
    x: torch.Tensor,
    cos: torch.Tensor,
    sin: torch.Tensor,
) -> torch.Tensor:
    """x (..., T, Dh)의 i번째와 (Dh/2 + i)번째 값을 한 점으로 보고 돌립니다.

    (a, b) -> (a cos - b sin, a sin + b cos). 쿼리와 키를 같이 돌리면
    둘의 내적은 위치의 차이에만 기댑니다.
    """
    a, b = x.chunk(2, dim=-1)  # 각각 (..., T, Dh/2)
    turned = torch.cat([-b, a], dim=-1)  # 쌍마다 90도 돌린 것
    return x * cos + turned * sin  # (..., T, Dh)


# --8<-- [end:apply-rotary]


# --8<-- [start:rotary-attention]
class RotaryAttention(MultiHeadAttention):
    """RoPE 셀프 어텐션: 쿼리와 키를 만든 직후 위치만큼 돌립니다(값은 그대로).

    나머지(스코어, 마스크, 소프트맥스, 출력 투영)는 MultiHeadAttention과
    같습니다.
    """

    def _qkv(self, x: torch.Tensor, context: torch.Tensor | None):
        q, k, v = super()._qkv(x, context)  # 각각 (B, H, T, Dh)
        cos, sin = (t.to(q) for t in rotary_cos_sin(x.size(1), self.head_dim))
        return apply_rotary(q, cos, sin), apply_rotary(k, cos, sin), v


# --8<-- [end:rotary-attention]


@dataclass
class PositionConfig:
    """길이 외삽 실험의 작은 디코더. 위치 방식만 바꾸고 나머지는 모두 같습니다."""

    positions: str = "sinusoidal"  # SCHEMES 중 하나: 위치를 넣는 방식
    vocab_size: int = 16  # 토큰 종류
    max_len: int = 256  # 절대 위치 표의 행 수: 시험하는 가장 긴 길이까지
    d_model: int = 64  # 모델 폭 D
    n_layers: int = 1  # 층 수
    n_heads: int = 2  # 헤드 수 H
    d_ff: int = 128  # 피드포워드 안쪽 폭
    num_buckets: int = 32  # 상대 위치 편향의 버킷 수 (T5)
    max_distance: int = 128  # 이 거리 이상은 버킷 하나 (T5)

    def __post_init__(self) -> None:
        if self.positions not in SCHEMES:
            raise ValueError(
                f"PositionConfig.positions={self.positions!r}: {', '.join(SCHEMES)} 중 하나여야 합니다"
            )
        check_sizes(self, *MODEL_SIZES)
        check_sizes(self, "num_buckets", "max_distance")
        check_heads(self.d_model, self.n_heads, "PositionConfig")


# --8<-- [start:position-model]
class PositionModel(nn.Module):
    """위치 방식 하나를 고른 작은 디코더(pre-LN).

    방식마다 위치가 들어가는 곳이 다릅니다.

    sinusoidal, learned: 토큰 임베딩에 더함. relative: 어텐션 점수에
    더함. rotary: 쿼리와 키를 돌림. none: 위치 정보 없음.
    """

    def __init__(
        self,
        config: PositionConfig,
        generator: torch.Generator | None = None,
    ) -> None:
        super().__init__()
        self.config = c = config
        self.wte = nn.Embedding(c.vocab_size, c.d_model)
        if c.positions == "learned":
            self.wpe = nn.Embedding(c.max_len, c.d_model)  # GPT-2의 wpe
        if c.positions == "sinusoidal":
            table = sinusoidal_positions(c.max_len, c.d_model).float()
            self.register_buffer("pe", table, persistent=False)
        if c.positions == "relative":
            self.relative = RelativePositionBias(
                c.n_heads, c.num_buckets, c.max_distance, bidirectional=False
            )
        rotary = c.positions == "rotary"
        attention = RotaryAttention if rotary else MultiHeadAttention
        D = c.d_model
        self.layers = nn.ModuleList()  # 층마다 (어텐션, 피드포워드) 한 쌍
        for _ in range(c.n_layers):
            pair = [
                PreLNSublayer(D, attention(D, c.n_heads)),
                PreLNSublayer(D, FeedForward(D, c.d_ff)),
            ]
            self.layers.append(nn.ModuleList(pair))
        self.final_norm = nn.LayerNorm(c.d_model)
        self.head = nn.Linear(c.d_model, c.vocab_size)
        if generator is not None:
            reset_parameters(self, generator)

    def embed(self, ids: torch.Tensor) -> torch.Tensor:
        """토큰 임베딩에 절대 위치(있으면)를 더한 것: (B, T, D)."""
        c = self.config
        check_token_ids(ids, c.vocab_size, c.max_len)
        T = ids.size(1)
        x = self.wte(ids)  # (B, T, D)
        if c.positions == "learned":
            x = x + self.wpe(torch.arange(T, device=ids.device))
        if c.positions == "sinusoidal":
            x = x + self.pe[:T]
        return x

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        c = self.config
        x = self.embed(ids)  # (B, T, D)
        T = ids.size(1)
        bias = self.relative(T, T) if c.positions == "relative" else None
        mask = causal_mask(T, ids.device)  # (T, T)
        for attention, feed_forward in self.layers:
            x = feed_forward(attention(x, mask=mask, bias=bias))
        return self.head(self.final_norm(x))  # (B, T, V)


# --8<-- [end:position-model]


# --8<-- [start:look-back-batch]
def look_back_batch(
    batch: int, T: int, vocab_size: int, offset: int, generator: torch.Generator
) -> tuple[torch.Tensor, torch.Tensor]:
    """위치가 있어야 풀리는 과제: 위치 t에서 offset칸 앞의 토큰을 맞힙니다.

    토큰은 고르게 무작위라 내용으로는 답을 알 수 없습니다. 앞에 offset칸이
    없는 첫 위치들은 손실에서 뺍니다(IGNORE_INDEX). 돌려주는 값: (B, T) 둘.
    """
    ids = torch.randint(vocab_size, (batch, T), generator=generator)
    targets = torch.full_like(ids, IGNORE_INDEX)
    targets[:, offset:] = ids[:, :-offset]  # 위치 t의 답은 t - offset의 토큰
    return ids, targets


# --8<-- [end:look-back-batch]


@dataclass
class Extrapolation:
    """길이 외삽 실험의 설정: 학습 길이, 시험 길이, 학습 스텝."""

    train_len: int = 32  # 학습하는 시퀀스 길이
    test_len: int = 128  # 시험하는 시퀀스 길이 (학습 길이의 몇 배)
    offset: int = 3  # 몇 칸 앞의 토큰을 맞히는지
    steps: int = 100  # 학습 스텝
    batch: int = 32  # 배치 크기
    lr: float = 1e-2  # AdamW 학습률
    test_batch: int = 256  # 위치마다 정확도를 재는 시퀀스 수


# --8<-- [start:train-look-back]
def train_look_back(
    positions: str,
    setup: Extrapolation,
    seed: int = 0,
) -> PositionModel:
    """같은 모델을 위치 방식만 바꿔 짧은 시퀀스(train_len)로 학습합니다."""
    generator = torch.Generator().manual_seed(seed)
    config = PositionConfig(positions=positions, max_len=setup.test_len)
    model = PositionModel(config, generator)
    optimizer = torch.optim.AdamW(model.parameters(), lr=setup.lr)
    for _ in range(setup.steps):
        ids, targets = look_back_batch(
            setup.batch,
            setup.train_len,
            config.vocab_size,
            setup.offset,
            generator,
        )
        logits = model(ids).transpose(1, 2)  # (B, V, T): cross_entropy의 배치
        loss = F.cross_entropy(logits, targets, ignore_index=IGNORE_INDEX)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model.eval()


# --8<-- [end:train-look-back]


# --8<-- [start:accuracy-by-position]
@torch.no_grad()
def accuracy_by_position(
    model: PositionModel,
    setup: Extrapolation,
    seed: int = 1,
) -> torch.Tensor:
    """학습 때보다 긴 test_len 시퀀스에서 위치마다 잰 정답률: (test_len,).

    답이 없는 첫 offset개 위치는 NaN입니다.
    """
    generator = torch.Generator().manual_seed(seed)
    ids, targets = look_back_batch(
        setup.test_batch,
        setup.test_len,
        model.config.vocab_size,
        setup.offset,
        generator,
    )
    correct = (model(ids).argmax(-1) == targets).double()  # (B, T)
    accuracy = correct.mean(0)
    accuracy[: setup.offset] = float("nan")
    return accuracy


# --8<-- [end:accuracy-by-position]


# 연습 문제의 풀이: 글의 '연습 문제'가 싣습니다.


# --8<-- [start:shifted-scores]
def shifted_scores(
    head_dim: int,
    m: int,
    n: int,
    shift: int,
    seed: int = 0,
) -> tuple[float, float]:
    """쿼리 위치 m, 키 위치 n을 함께 shift만큼 옮길 때 점수 q·k가 바뀐 크기.

    (RoPE로 돌린 경우, 사인파 표를 더한 경우)를 돌려줍니다.
    """
    g = torch.Generator().manual_seed(seed)
    q, k = torch.randn(2, head_dim, generator=g, dtype=torch.float64)
    end = max(m, n) + shift + 1
    cos, sin = rotary_cos_sin(end, head_dim)  # (end, Dh)
    pe = sinusoidal_positions(end, head_dim)  # (end, Dh)

    def rotated(i: int, j: int) -> torch.Tensor:
        return apply_rotary(q, cos[i], sin[i]) @ apply_rotary(k, cos[j], sin[j])

    def added(i: int, j: int) -> torch.Tensor:
        return (q + pe[i]) @ (k + pe[j])

    a, b = m + shift, n + shift
    return (
        (rotated(a, b) - rotated(m, n)).abs().item(),
        (added(a, b) - added(m, n)).abs().item(),
    )


# --8<-- [end:shifted-scores]


# --8<-- [start:position-row-gradients]
def position_row_gradients(setup: Extrapolation, seed: int = 0) -> torch.Tensor:
    """학습된 위치 표(wpe)의 행마다 한 배치의 기울기 노름: (max_len,).

    학습 길이 train_len으로 손실을 한 번 역전파합니다.
    """
    generator = torch.Generator().manual_seed(seed)
    config = PositionConfig(positions="learned", max_len=setup.test_len)
    model = PositionModel(config, generator)
    ids, targets = look_back_batch(
        setup.batch,
        setup.train_len,
        config.vocab_size,
        setup.offset,
        generator,
    )
    logits = model(ids).transpose(1, 2)  # (B, V, T)
    loss = F.cross_entropy(logits, targets, ignore_index=IGNORE_INDEX)
    loss.backward()
    return model.wpe.weight.grad.norm(dim=-1)  # 행마다 (max_len,)


# --8<-- [end:position-row-gradients]


if __name__ == "__main__":
    torch.set_num_threads(
        1
    )  # 아주 작은 모델이라 스레드 하나가 가장 빠릅니다(이 데모에서만)
    setup = Extrapolation()
    print(
        f"{setup.offset}칸 앞 토큰 맞히기: 길이 {setup.train_len}으로 학습, {setup.test_len}에서 시험"
    )
    for scheme in SCHEMES:
        accuracy = accuracy_by_position(train_look_back(scheme, setup), setup)
        seen = accuracy[setup.offset : setup.train_len].mean()
        unseen = accuracy[setup.train_len :].mean()
        print(f"{scheme:>10}: 본 길이 안 {seen:.0%}, 그 너머 {unseen:.0%}")
