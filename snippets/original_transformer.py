"""원래의 트랜스포머(Vaswani et al., 2017): 시리즈의 부품으로 조립한 인코더-디코더.

글 「원래의 트랜스포머를 조립하기」의 코드입니다. 앞 글들에서 만든 부품을 그대로 씁니다:
멀티 헤드 어텐션과 마스크(snippets/attention.py), post-LN 서브블록과 피드포워드(snippets/residual.py).
이 파일이 더하는 것은 논문의 나머지입니다: 사인파 위치 인코딩, sqrt(d_model)을 곱한 묶인 임베딩,
post-LN 인코더·디코더 층, 워밍업 학습률, 레이블 스무딩, 그리고 탐욕적 디코딩.
torch.nn.Transformer와 같은 값을 내는지는 tests/test_original_transformer.py가 가중치를 옮겨 확인합니다.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from snippets.attention import MultiHeadAttention, causal_mask
from snippets.model_inputs import (
    IGNORE_INDEX,
    check_fields,
    check_heads,
    check_sizes,
    check_token_ids,
)
from snippets.parameters import port_weights, renamer, reset_parameters
from snippets.positional_encoding import sinusoidal_positions
from snippets.residual import FeedForward, PostLNSublayer


@dataclass
class TransformerConfig:
    """원래 트랜스포머의 크기. 기본값은 논문의 base 모델(표 3)입니다."""

    vocab_size: int = (
        37000  # 원문과 번역문이 나눠 쓰는 어휘 V (영어-독일어 BPE)
    )
    d_model: int = 512  # 모델 폭 D
    n_heads: int = 8  # 어텐션 헤드 수 H
    d_ff: int = 2048  # 피드포워드 안쪽 폭
    n_layers: int = 6  # 인코더 층 수 = 디코더 층 수 N
    dropout: float = 0.1  # 서브블록 출력과 임베딩 합에 거는 드롭아웃 P_drop
    eps: float = 1e-5  # 레이어 정규화의 엡실론 (논문에는 없어 PyTorch 기본값)
    pad_id: int = 0  # 패딩 토큰: 인코더 쪽 키에서 가립니다

    def __post_init__(self) -> None:
        check_sizes(
            self, "vocab_size", "d_model", "n_heads", "d_ff", "n_layers"
        )
        check_heads(self.d_model, self.n_heads, "TransformerConfig")
        check_fields(
            self, ids=("pad_id",), positive=("eps",), probabilities=("dropout",)
        )


# --8<-- [start:encoder-layer]
class EncoderLayer(nn.Module):
    """인코더 층(post-LN): 셀프 어텐션 -> 피드포워드.

    서브블록마다 LayerNorm(x + Dropout(F(x)))입니다(논문 5.4절).
    mask는 (B, 1, 1, S) 불리언이고 True = 참조해도 됨: 패딩 키를 가립니다.
    """

    def __init__(self, config: TransformerConfig) -> None:
        super().__init__()
        D, p, eps = config.d_model, config.dropout, config.eps
        attn = MultiHeadAttention(D, config.n_heads)
        self.self_attn = PostLNSublayer(D, attn, p, eps)
        self.ff = PostLNSublayer(D, FeedForward(D, config.d_ff), p, eps)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        x = self.self_attn(x, mask=mask)  # (B, S, D)
        return self.ff(x)  # (B, S, D)


# --8<-- [end:encoder-layer]


# --8<-- [start:decoder-layer]
class DecoderLayer(nn.Module):
    """디코더 층(post-LN): 마스크 셀프 어텐션 -> 크로스 어텐션 -> 피드포워드.

    self_mask는 (T, T) 인과 마스크, memory_mask는 (B, 1, 1, S) 패딩
    마스크입니다.
    """

    def __init__(self, config: TransformerConfig) -> None:
        super().__init__()
        D, p, eps = config.d_model, config.dropout, config.eps
        H = config.n_heads
        self.self_attn = PostLNSublayer(D, MultiHeadAttention(D, H), p, eps)
        self.cross_attn = PostLNSublayer(D, MultiHeadAttention(D, H), p, eps)
        self.ff = PostLNSublayer(D, FeedForward(D, config.d_ff), p, eps)

    def forward(
        self,
        y: torch.Tensor,
        memory: torch.Tensor,
        self_mask: torch.Tensor,
        memory_mask: torch.Tensor,
    ) -> torch.Tensor:
        y = self.self_attn(y, mask=self_mask)  # (B, T, D)
        y = self.cross_attn(y, context=memory, mask=memory_mask)  # (B, T, D)
        return self.ff(y)  # (B, T, D)


# --8<-- [end:decoder-layer]


# --8<-- [start:transformer]
class Transformer(nn.Module):
    """원래 트랜스포머: 인코더 층 N개와 디코더 층 N개, 임베딩 하나.

    임베딩 행렬 하나를 원문, 번역문, 출력층(소프트맥스 앞의 선형 변환)이 나눠
    씁니다(3.4절). 임베딩에 sqrt(D)를 곱한 뒤 사인파 위치를 더합니다.
    """

    def __init__(
        self,
        config: TransformerConfig,
        generator: torch.Generator | None = None,
    ) -> None:
        super().__init__()
        self.config = config
        D, N = config.d_model, config.n_layers
        self.embed = nn.Embedding(config.vocab_size, D)  # (V, D)
        self.encoder_layers = nn.ModuleList(
            EncoderLayer(config) for _ in range(N)
        )
        self.decoder_layers = nn.ModuleList(
            DecoderLayer(config) for _ in range(N)
        )
        self.dropout = nn.Dropout(config.dropout)
        init_transformer(self, generator or torch.Generator().manual_seed(0))

    def embed_tokens(self, ids: torch.Tensor) -> torch.Tensor:
        B, L = ids.shape
        x = self.embed(ids) * math.sqrt(self.config.d_model)  # (B, L, D)
        pe = sinusoidal_positions(L, self.config.d_model).to(x.dtype)
        return self.dropout(x + pe.to(x.device))  # (B, L, D)

    def encode(self, src: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        keep = (src != self.config.pad_id)[:, None, None, :]  # (B, 1, 1, S)
        x = self.embed_tokens(src)  # (B, S, D)
        for layer in self.encoder_layers:
            x = layer(x, keep)
        return x, keep  # 인코더 출력 memory (B, S, D)와 그 패딩 마스크

    def decode(
        self, tgt_in: torch.Tensor, memory: torch.Tensor, keep: torch.Tensor
    ) -> torch.Tensor:
        T = tgt_in.size(1)
        y = self.embed_tokens(tgt_in)  # (B, T, D)
        causal = causal_mask(T, y.device)  # (T, T)
        for layer in self.decoder_layers:
            y = layer(y, memory, causal, keep)
        return F.linear(y, self.embed.weight)  # 묶인 출력층: (B, T, V)

    def forward(self, src: torch.Tensor, tgt_in: torch.Tensor) -> torch.Tensor:
        check_token_ids(src, self.config.vocab_size, name="src")
        check_token_ids(tgt_in, self.config.vocab_size, name="tgt_in")
        memory, keep = self.encode(src)  # (B, S, D)
        return self.decode(tgt_in, memory, keep)  # 다음 토큰 로짓 (B, T, V)


# --8<-- [end:transformer]


@torch.no_grad()
def init_transformer(
    model: Transformer, generator: torch.Generator
) -> Transformer:
    """PyTorch의 기본 초기화에, 임베딩만 N(0, 1/D)로: sqrt(D)를 곱하면 표준편차 1이 됩니다.

    논문은 초기화를 적지 않습니다. 묶인 임베딩을 이렇게 두는 것은 fairseq와 tensor2tensor의 방식입니다.
    """
    reset_parameters(model, generator)
    D = model.config.d_model
    nn.init.normal_(model.embed.weight, std=D**-0.5, generator=generator)
    return model


def _packed(ours: str, theirs: str) -> dict[str, str]:
    """nn.MultiheadAttention의 이름: W^Q, W^K, W^V는 in_proj 하나에 쌓여
    있습니다."""
    names = {
        f"{ours}.sublayer.{q}_proj.{kind}": f"{theirs}.in_proj_{kind}"
        for q in "qkv"
        for kind in ("weight", "bias")
    }
    names[f"{ours}.sublayer.out_proj"] = f"{theirs}.out_proj"
    return names


# nn.Transformer의 층 안 이름 (우리 이름 -> 참조 구현의 이름).
ENCODER_LAYER_NAMES = {
    **_packed("self_attn", "self_attn"),
    "self_attn.norm": "norm1",
    "ff.sublayer.fc1": "linear1",
    "ff.sublayer.fc2": "linear2",
    "ff.norm": "norm2",
}
DECODER_LAYER_NAMES = {
    **ENCODER_LAYER_NAMES,
    **_packed("cross_attn", "multihead_attn"),
    "cross_attn.norm": "norm2",
    "ff.norm": "norm3",
}
TORCH_STACKS = {
    "encoder_layers": ("encoder.layers", ENCODER_LAYER_NAMES),
    "decoder_layers": ("decoder.layers", DECODER_LAYER_NAMES),
}


def from_torch(
    ref: nn.Transformer, embed: nn.Embedding, config: TransformerConfig
) -> Transformer:
    """torch.nn.Transformer(post-LN, batch_first)의 가중치와 임베딩 embed를 우리 모델로 옮깁니다.

    nn.Transformer는 임베딩과 출력층이 없는 인코더·디코더 더미라서 임베딩은 따로 받습니다.
    nn.MultiheadAttention은 W^Q, W^K, W^V를 in_proj_weight (3D, D) 하나에 쌓아 두므로 셋으로 나눕니다.
    nn.Transformer가 더미 끝에 두는 레이어 정규화(encoder.norm, decoder.norm)는 논문에 없어서
    옮길 자리가 없다고 멈춥니다: ref.encoder.norm = ref.decoder.norm = None으로 빼고 견주세요.
    """
    theirs = {**ref.state_dict(), "embed.weight": embed.weight}
    special = {
        f"{proj}_proj.{kind}": (lambda t, i=i: t.chunk(3)[i])
        for i, proj in enumerate("qkv")
        for kind in ("weight", "bias")
    }
    model = Transformer(config)
    port_weights(model, theirs, renamer({}, TORCH_STACKS), special)
    return model.eval()


# --8<-- [start:warmup-schedule]
def warmup_learning_rate(step: int, d_model: int, warmup: int) -> float:
    """논문 5.3절의 학습률: D^-0.5 * min(step^-0.5, step * warmup^-1.5).

    step은 1부터 셉니다. 처음 warmup 스텝 동안 직선으로 올라가고,
    그 뒤로는 스텝의 제곱근에 반비례해 내려갑니다. 꼭대기는 step = warmup입니다.
    """
    return d_model**-0.5 * min(step**-0.5, step * warmup**-1.5)


# --8<-- [end:warmup-schedule]


# --8<-- [start:label-smoothing]
def label_smoothed_loss(
    logits: torch.Tensor,
    labels: torch.Tensor,
    epsilon: float,
) -> torch.Tensor:
    """레이블 스무딩(label smoothing)을 한 교차 엔트로피의 평균.

    정답 분포를 (1 - eps) * 원-핫 + eps * 균등 분포(V개)로 바꿉니다.
    logits (N, V), labels (N,). IGNORE_INDEX인 자리는 뺍니다.
    """
    keep = labels != IGNORE_INDEX  # (N,)
    logp = logits[keep].log_softmax(-1)  # (n, V)
    nll = -logp.gather(-1, labels[keep, None]).squeeze(-1)  # (n,): 정답 쪽
    uniform = -logp.mean(-1)  # (n,): V개 모두에 고르게 나눈 쪽
    return ((1 - epsilon) * nll + epsilon * uniform).mean()


# --8<-- [end:label-smoothing]


@dataclass
class ReversalTask:
    """장난감 번역: 길이가 제각각인 숫자 수열을 뒤집습니다."""

    n_digits: int = 10  # 숫자 0..9
    first_digit: int = 3  # 숫자 0의 토큰 id: 0..2는 아래의 특수 토큰
    min_len: int = 3  # 가장 짧은 수열
    max_len: int = 9  # 가장 긴 수열
    pad_id: int = 0  # 패딩
    bos_id: int = 1  # 디코더 시작 토큰
    eos_id: int = 2  # 문장 끝 토큰

    @property
    def vocab_size(self) -> int:
        return self.first_digit + self.n_digits


# --8<-- [start:reversal-pairs]
def reversal_pairs(
    task: ReversalTask, batch_size: int, generator: torch.Generator
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """원문 src (B, S), 디코더 입력 tgt_in (B, T), 정답 labels (B, T).

    정답은 뒤집은 수열 + [EOS], 디코더 입력은 [BOS] + 뒤집은 수열입니다.
    교사 강요(teacher forcing): 위치 t는 정답의 앞부분을 보고 정답[t]를
    맞힙니다.
    짧은 수열의 뒤는 패딩이고, 정답의 패딩 자리는 IGNORE_INDEX입니다.
    """
    B, S = batch_size, task.max_len
    lengths = torch.randint(task.min_len, S + 1, (B,), generator=generator)
    digits = torch.randint(task.n_digits, (B, S), generator=generator)
    digits = digits + task.first_digit  # (B, S): 숫자의 토큰 id
    real = torch.arange(S)[None, :] < lengths[:, None]  # (B, S)
    src = torch.where(real, digits, task.pad_id)  # (B, S)
    # 실제 토큰만 뒤집기: 위치 t <- 위치 (길이 - 1 - t)
    back = (lengths[:, None] - 1 - torch.arange(S)).clamp(min=0)  # (B, S)
    reversed_ = torch.where(real, src.gather(1, back), task.pad_id)  # (B, S)
    bos = torch.full((B, 1), task.bos_id)
    tgt_in = torch.cat([bos, reversed_], 1)  # (B, T): T = S + 1
    pad = torch.full((B, 1), task.pad_id)
    labels = torch.cat([reversed_, pad], 1)  # (B, T)
    labels[torch.arange(B), lengths] = task.eos_id  # 마지막 숫자 다음은 EOS
    labels = labels.masked_fill(labels == task.pad_id, IGNORE_INDEX)
    return src, tgt_in, labels


# --8<-- [end:reversal-pairs]


# --8<-- [start:train-reversal]
def train_reversal(
    config: TransformerConfig,
    task: ReversalTask,
    steps: int = 300,
    batch_size: int = 64,
    warmup: int = 100,
    epsilon: float = 0.1,
    seed: int = 0,
) -> tuple[Transformer, list[float], list[float]]:
    """논문의 방법으로 뒤집기를 학습합니다: Adam(0.9, 0.98, 1e-9),
    워밍업 학습률, 레이블 스무딩, 교사 강요.

    학습한 모델, 스텝별 손실, 스텝별 학습률을 돌려줍니다. nn.Dropout은 전역
    난수를 쓰므로, config.dropout = 0이면 seed가 같을 때 결과도 같습니다.
    """
    generator = torch.Generator().manual_seed(seed)
    model = Transformer(config, generator)
    D = config.d_model
    params = model.parameters()
    opt = torch.optim.Adam(params, lr=1.0, betas=(0.9, 0.98), eps=1e-9)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        opt,
        lambda s: warmup_learning_rate(s + 1, D, warmup),  # s는 0부터
    )
    losses, rates = [], []
    for _ in range(steps):
        src, tgt_in, labels = reversal_pairs(task, batch_size, generator)
        logits = model(src, tgt_in)  # (B, T, V)
        flat = logits.flatten(0, 1), labels.flatten()  # (B*T, V), (B*T,)
        loss = label_smoothed_loss(*flat, epsilon)
        opt.zero_grad()
        loss.backward()
        opt.step()
        rates.append(schedule.get_last_lr()[0])
        schedule.step()
        losses.append(loss.item())
    return model.eval(), losses, rates


# --8<-- [end:train-reversal]


# --8<-- [start:greedy-decode]
@torch.no_grad()
def greedy_decode(
    model: Transformer,
    src: torch.Tensor,
    bos_id: int,
    eos_id: int,
    max_len: int,
) -> torch.Tensor:
    """탐욕적 디코딩(greedy decoding): 스텝마다 가장 큰 로짓의 토큰을 붙입니다.

    인코더는 한 번만 돌고, 디코더는 지금까지 낸 토큰을 다시 읽습니다.
    모든 문장이 EOS를 냈거나 max_len개를 냈으면 멈춥니다. 돌려주는 값은 (B, L).
    """
    memory, keep = model.encode(src)  # (B, S, D)
    out = torch.full((src.size(0), 1), bos_id, device=src.device)  # (B, 1)
    done = torch.zeros(src.size(0), dtype=torch.bool, device=src.device)
    for _ in range(max_len):
        logits = model.decode(out, memory, keep)[:, -1]  # (B, V): 마지막 위치만
        next_id = logits.argmax(-1).masked_fill(done, eos_id)  # (B,)
        out = torch.cat([out, next_id[:, None]], 1)
        done |= next_id == eos_id
        if done.all():
            break
    return out[:, 1:]  # BOS를 뺀 출력


# --8<-- [end:greedy-decode]


def as_digits(ids: list[int], task: ReversalTask) -> list[int]:
    """토큰 id를 숫자 0..9로: EOS에서 멈추고 패딩과 시작 토큰은 뺍니다."""
    digits = []
    for i in ids:
        if i == task.eos_id:
            break
        if i >= task.first_digit:
            digits.append(i - task.first_digit)
    return digits


# --8<-- [start:attention-cost]
def attention_cost(T: int, d_model: int, n_heads: int) -> dict[str, int]:
    """셀프 어텐션 서브블록 하나(배치 1)의 비용을 PyTorch로 셉니다.

    FLOP은 torch.utils.flop_counter가 행렬 곱마다 센 것이고, 메모리는 어텐션
    가중치 (1, H, T, T)의 바이트입니다. meta 장치의 텐서는 모양만 있고 값이
    없어서, 계산하지 않고 셉니다. 시간과 달리 실행마다 같습니다.
    """
    with torch.device("meta"):
        attn = MultiHeadAttention(d_model, n_heads)
        x = torch.empty(1, T, d_model)  # (B, T, D)
        mask = causal_mask(T)  # (T, T)
    with FlopCounterMode(display=False) as counter:
        attn(x, mask=mask)
    flops = counter.get_flop_counts()["Global"]
    weights = attn.weights(x, mask=mask)  # (1, H, T, T)
    return {
        "projection_flops": flops[torch.ops.aten.addmm],  # W^Q, W^K, W^V, W^O
        "attention_flops": flops[torch.ops.aten.bmm],  # QK^T와 가중치 @ V
        "weight_bytes": weights.numel() * weights.element_size(),
    }


# --8<-- [end:attention-cost]


# 연습 문제의 풀이: 글 「원래의 트랜스포머를 조립하기」의 '연습 문제'가 싣습니다.


# --8<-- [start:smoothed-loss-at-margin]
def smoothed_loss_at_margin(
    vocab_size: int,
    epsilon: float,
    margin: float,
) -> float:
    """정답의 로짓이 나머지 V-1개보다 margin만큼 클 때, 레이블 스무딩 손실.

    margin이 클수록 모델이 정답을 더 확신합니다. 스무딩이 없으면(epsilon=0)
    손실은 margin이 커질수록 0으로 줄기만 합니다.
    """
    logits = torch.zeros(1, vocab_size, dtype=torch.float64)
    logits[0, 0] = margin  # 정답은 0번
    return label_smoothed_loss(logits, torch.tensor([0]), epsilon).item()


# --8<-- [end:smoothed-loss-at-margin]


# --8<-- [start:embedding-scale]
def embedding_scale(model: Transformer, T: int) -> dict[str, float]:
    """임베딩 값의 표준편차: sqrt(D)를 곱하기 전과 뒤, 그리고 위치 인코딩.

    묶인 임베딩은 N(0, 1/D)로 시작하므로, 곱하지 않으면 위치 쪽이 훨씬 큽니다.
    """
    D = model.config.d_model
    table = model.embed.weight.detach()  # (V, D)
    return {
        "embedding": table.std().item(),
        "scaled": (table * math.sqrt(D)).std().item(),
        "positions": sinusoidal_positions(T, D).std().item(),
    }


# --8<-- [end:embedding-scale]


if __name__ == "__main__":
    # 행렬이 아주 작아서 스레드 여럿을 맞추는 비용이 계산보다 큽니다. 데모에서만 하나로 둡니다.
    torch.set_num_threads(1)
    task = ReversalTask()
    config = TransformerConfig(
        vocab_size=task.vocab_size,
        d_model=32,
        n_heads=4,
        d_ff=64,
        n_layers=2,
        dropout=0.0,
    )
    model, losses, rates = train_reversal(config, task)
    print(f"학습 {len(losses)}스텝: 손실 {losses[0]:.3f} -> {losses[-1]:.3f}")
    print(
        f"학습률의 꼭대기: {max(rates):.4f} (스텝 {rates.index(max(rates)) + 1})"
    )
    src, _, _ = reversal_pairs(task, 256, torch.Generator().manual_seed(12345))
    out = greedy_decode(model, src, task.bos_id, task.eos_id, task.max_len + 1)
    right = sum(
        as_digits(o, task) == as_digits(s, task)[::-1]
        for s, o in zip(src.tolist(), out.tolist(), strict=True)
    )
    print(f"처음 보는 수열 256개 중 통째로 맞게 뒤집은 수: {right}")
    print(
        f"예: {as_digits(src[0].tolist(), task)} -> {as_digits(out[0].tolist(), task)}"
    )
    for T in (64, 512, 4096):
        cost = attention_cost(T, 512, 8)
        print(
            f"T={T}: 투영 {cost['projection_flops']:.2e} FLOP, "
            f"어텐션 {cost['attention_flops']:.2e} FLOP"
        )
