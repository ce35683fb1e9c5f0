"""크로스 어텐션(cross-attention): 아주 작은 인코더-디코더가 수열 뒤집기를 배우며 정렬을 찾는 모습.

글 「크로스 어텐션에 대해서 알려줘」의 코드입니다. 디코더의 쿼리(Q)가 인코더 출력의 키(K)와 값(V)을
참조합니다. 숫자 수열을 뒤집는 일을 몇 초 학습하면, 출력 위치 t의 크로스 어텐션이 입력 위치
S-1-t에 모이는 역대각선 정렬(alignment)이 나타납니다.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import nn

from snippets.attention import MultiHeadAttention, causal_mask
from snippets.parameters import reset_parameters
from snippets.residual import FeedForward, PreLNSublayer


@dataclass
class ToyConfig:
    """장난감 인코더-디코더의 크기. 노트북 CPU에서 몇 초 안에 학습되도록 작게 잡았습니다."""

    n_digits: int = (
        10  # 수열에 나오는 숫자 0..9; 토큰 n_digits는 디코더 시작 토큰(BOS)
    )
    seq_len: int = 8  # 입력과 출력 수열의 길이 (S = T)
    d_model: int = 32  # 모델 폭 D
    n_heads: int = 2  # 어텐션 헤드 수 H
    d_ff: int = 64  # 피드포워드 안쪽 폭


class EncoderLayer(nn.Module):
    """인코더 층: 양방향 셀프 어텐션 -> 피드포워드 (각각 pre-LN 잔차 서브블록)."""

    def __init__(self, config: ToyConfig) -> None:
        super().__init__()
        D = config.d_model
        self.self_attn = PreLNSublayer(D, MultiHeadAttention(D, config.n_heads))
        self.ff = PreLNSublayer(D, FeedForward(D, config.d_ff))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.ff(self.self_attn(x))  # (B, S, D)


# --8<-- [start:decoder-layer]
class DecoderLayer(nn.Module):
    """디코더 층: 마스크 셀프 어텐션 -> 크로스 어텐션 -> 피드포워드.

    크로스 어텐션은 셀프 어텐션과 같은 MultiHeadAttention이고, 다른 것은 context
    하나입니다: 쿼리는 디코더의 x (B, T, D)에서, 키와 값은 인코더 출력 memory
    (B, S, D)에서 만듭니다.
    """

    def __init__(self, config: ToyConfig) -> None:
        super().__init__()
        D = config.d_model
        self.self_attn = PreLNSublayer(D, MultiHeadAttention(D, config.n_heads))
        self.cross_attn = PreLNSublayer(
            D, MultiHeadAttention(D, config.n_heads)
        )
        self.ff = PreLNSublayer(D, FeedForward(D, config.d_ff))

    def forward(self, x: torch.Tensor, memory: torch.Tensor) -> torch.Tensor:
        T = x.size(1)
        # (B, T, D): 이전 출력만 봄
        x = self.self_attn(x, mask=causal_mask(T, x.device))
        x = self.cross_attn(x, context=memory)  # (B, T, D): 입력 수열 전체를 봄
        return self.ff(x)

    def cross_attention_weights(
        self, x: torch.Tensor, memory: torch.Tensor
    ) -> torch.Tensor:
        """그림용: 이 층의 크로스 어텐션 가중치 (B, H, T, S). forward와 같은
        중간값입니다."""
        x = self.self_attn(x, mask=causal_mask(x.size(1), x.device))
        return self.cross_attn.sublayer.weights(
            self.cross_attn.norm(x), context=memory
        )


# --8<-- [end:decoder-layer]


class ToyOutput(NamedTuple):
    """모델 출력: 다음 토큰 로짓과 크로스 어텐션 가중치."""

    logits: torch.Tensor  # (B, T, V)
    cross_attention: torch.Tensor  # (B, H, T, S)


# --8<-- [start:toy-seq2seq]
class ToySeq2Seq(nn.Module):
    """인코더 층 하나, 디코더 층 하나인 인코더-디코더 트랜스포머.

    입력과 출력은 같은 토큰 임베딩을 나눠 쓰고, 위치는 학습되는 위치 임베딩으로
    줍니다.
    """

    def __init__(self, config: ToyConfig) -> None:
        super().__init__()
        V, D = config.n_digits + 1, config.d_model  # +1: 디코더 시작 토큰
        self.config = config
        self.tokens = nn.Embedding(V, D)
        self.src_positions = nn.Embedding(config.seq_len, D)
        self.tgt_positions = nn.Embedding(config.seq_len, D)
        self.encoder = EncoderLayer(config)
        self.encoder_norm = nn.LayerNorm(D)
        self.decoder = DecoderLayer(config)
        self.decoder_norm = nn.LayerNorm(D)
        self.head = nn.Linear(D, V)

    def encode(self, src: torch.Tensor) -> torch.Tensor:
        S = src.size(1)
        # (B, S, D)
        x = self.tokens(src) + self.src_positions(
            torch.arange(S, device=src.device)
        )
        return self.encoder_norm(self.encoder(x))  # (B, S, D)

    def _embed_target(self, tgt_in: torch.Tensor) -> torch.Tensor:
        T = tgt_in.size(1)
        return self.tokens(tgt_in) + self.tgt_positions(
            torch.arange(T, device=tgt_in.device)
        )

    def forward(self, src: torch.Tensor, tgt_in: torch.Tensor) -> ToyOutput:
        memory = self.encode(src)  # (B, S, D)
        y = self._embed_target(tgt_in)  # (B, T, D)
        cross = self.decoder.cross_attention_weights(y, memory)  # (B, H, T, S)
        # (B, T, V)
        logits = self.head(self.decoder_norm(self.decoder(y, memory)))
        return ToyOutput(logits, cross)


# --8<-- [end:toy-seq2seq]


# --8<-- [start:reversal-batch]
def reversal_batch(
    config: ToyConfig, batch_size: int, generator: torch.Generator
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """무작위 숫자 수열 src와 그 뒤집은 수열 tgt, 그리고 디코더 입력 tgt_in =
    [BOS] + tgt[:-1].

    교사 강요(teacher forcing): 디코더는 위치 t에서 정답의 앞부분 tgt[:t]를 보고
    tgt[t]를 맞힙니다.
    """
    src = torch.randint(
        config.n_digits, (batch_size, config.seq_len), generator=generator
    )
    tgt = src.flip(1)  # (B, T): tgt[t] = src[S-1-t]
    bos = torch.full((batch_size, 1), config.n_digits)
    tgt_in = torch.cat([bos, tgt[:, :-1]], dim=1)  # (B, T)
    return src, tgt_in, tgt


# --8<-- [end:reversal-batch]


# --8<-- [start:train-reversal]
def train_reversal(
    config: ToyConfig,
    steps: int = 200,
    batch_size: int = 64,
    lr: float = 3e-3,
    seed: int = 0,
) -> tuple[ToySeq2Seq, list[float]]:
    """수열 뒤집기를 학습한 모델과 스텝별 교차 엔트로피 손실을 돌려줍니다.

    모델 초기화와 학습 수열이 모두 seed로 정해지므로, seed가 같으면 결과도
    같습니다.
    """
    generator = torch.Generator().manual_seed(seed)
    # PyTorch의 기본 초기화를 seed로
    model = reset_parameters(ToySeq2Seq(config), generator)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for _ in range(steps):
        src, tgt_in, tgt = reversal_batch(config, batch_size, generator)
        logits = model(src, tgt_in).logits  # (B, T, V)
        loss = F.cross_entropy(logits.flatten(0, 1), tgt.flatten())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return model.eval(), losses


# --8<-- [end:train-reversal]


# --8<-- [start:greedy-decode]
@torch.no_grad()
def greedy_decode(model: ToySeq2Seq, src: torch.Tensor) -> torch.Tensor:
    """시작 토큰에서 출발해 가장 그럴듯한 토큰을 하나씩 붙여 (B, T) 출력을
    만듭니다."""
    B, T = src.shape
    out = torch.full((B, 1), model.config.n_digits)  # (B, 1): 시작 토큰
    for _ in range(T):
        logits = model(src, out).logits  # (B, t, V)
        out = torch.cat([out, logits[:, -1].argmax(-1, keepdim=True)], dim=1)
    return out[:, 1:]  # (B, T): 시작 토큰을 뺀 출력


# --8<-- [end:greedy-decode]


# 연습 문제의 풀이: 글 「크로스 어텐션에 대해서 알려줘」의 '연습 문제'가 싣습니다.


# --8<-- [start:shuffled-memory]
def shuffled_memory(
    attn: MultiHeadAttention,
    x: torch.Tensor,
    memory: torch.Tensor,
    order: torch.Tensor,
) -> tuple[torch.Tensor, torch.Tensor]:
    """memory의 위치를 order로 섞기 전과 후의 크로스 어텐션 출력 (B, T, D) 둘.

    키와 값은 같은 자리에서 함께 옮겨지고, 소프트맥스와 가중합은 키의 순서와
    상관없는 합이므로 두 출력은 반올림 오차 안에서 같습니다.
    """
    shuffled = memory[:, order]  # (B, S, D): 자리만 바뀐 같은 벡터들
    return attn(x, context=memory), attn(x, context=shuffled)


# --8<-- [end:shuffled-memory]


# --8<-- [start:forget-source-positions]
def forget_source_positions(model: ToySeq2Seq) -> ToySeq2Seq:
    """학습한 모델의 사본에서 입력 쪽 위치 임베딩(src_positions)을 지웁니다.

    위치가 없으면 인코더의 셀프 어텐션과 디코더의 크로스 어텐션은 입력의 순서를
    구별하지 못합니다. 같은 숫자들을 어떤 순서로 넣어도 출력이 같아집니다.
    """
    blind = copy.deepcopy(model)
    with torch.no_grad():
        blind.src_positions.weight.zero_()  # (S, D)
    return blind


# --8<-- [end:forget-source-positions]


if __name__ == "__main__":
    # 행렬이 아주 작아서 스레드 여럿을 맞추는 비용이 계산보다 큽니다. 데모에서만 하나로 둡니다.
    torch.set_num_threads(1)
    config = ToyConfig()
    model, losses = train_reversal(config)
    print(f"학습 {len(losses)}스텝: 손실 {losses[0]:.3f} -> {losses[-1]:.4f}")
    src, tgt_in, tgt = reversal_batch(
        config, 256, torch.Generator().manual_seed(1)
    )
    pred = greedy_decode(model, src)
    print(
        f"처음 보는 수열 256개 중 통째로 맞게 뒤집은 비율: {(pred == tgt).all(1).float().mean():.1%}"
    )
    print(f"예: {src[0].tolist()} -> {pred[0].tolist()}")
    with torch.no_grad():
        cross = model(src, tgt_in).cross_attention.mean(
            dim=(0, 1)
        )  # (T, S): 배치와 헤드 평균
    print("출력 위치 t가 가장 크게 보는 입력 위치:", cross.argmax(-1).tolist())
