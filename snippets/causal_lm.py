"""인과적 언어 모델링(causal language modeling): 한 칸 밀기, 손실, 생성, 블로그 글로 학습하는 작은 GPT.

글 「인과적 언어 모델링이란?」이 이 파일의 구간을 싣습니다. 모델은 snippets/gpt.py의 GPT이고,
말뭉치는 snippets/corpus.py의 블로그 글입니다.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import NamedTuple

import torch
import torch.nn.functional as F

from snippets.corpus import CharVocab, corpus_text
from snippets.gpt import GPT, GPTConfig
from snippets.parameters import count_parameters


# --8<-- [start:next-token-targets]
def next_token_targets(ids: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """한 칸 밀기(shift by one): 입력은 앞의 T-1개, 정답은 한 칸 뒤의 T-1개
    토큰.

    ids (B, T) -> inputs (B, T-1), targets (B, T-1). 위치 t의 정답은 ids[:, t +
    1]이라서, 인과 마스크가 있는 모델은 위치 t에서 "지금까지 본 것으로 다음
    토큰"을 맞히게 됩니다.
    """
    inputs = ids[:, :-1]  # (B, T-1)
    targets = ids[:, 1:]  # (B, T-1)
    return inputs, targets


# --8<-- [end:next-token-targets]


# --8<-- [start:causal-lm-loss]
def causal_lm_loss(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """인과적 언어 모델링 손실: 모든 위치의 다음 토큰 교차
    엔트로피(cross-entropy) 평균.

    logits (B, T, V), targets (B, T). 단위는 내트(nat, 자연로그)이고, 아무것도
    모르는 모델 (모든 토큰에 같은 확률)의 손실은 ln V입니다.
    """
    B, T, V = logits.shape
    return F.cross_entropy(logits.reshape(B * T, V), targets.reshape(B * T))


# --8<-- [end:causal-lm-loss]


# --8<-- [start:generate]
@torch.no_grad()
def generate(
    model: GPT,
    ids: torch.Tensor,
    max_new_tokens: int,
    temperature: float = 1.0,
    top_k: int | None = None,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    """자기회귀 생성(autoregressive generation): 다음 토큰을 하나씩 골라 이어
    붙입니다.

    ids (B, T) -> (B, T + max_new_tokens). temperature=0이면 가장 확률이 높은
    토큰을 고르는 탐욕적 디코딩(greedy decoding), 아니면 로짓을 temperature로
    나눈 분포에서 뽑습니다. top_k를 주면 확률 상위 k개 밖의 토큰은 뽑지
    않습니다. 같은 generator 시드면 같은 결과입니다.
    """
    for _ in range(max_new_tokens):
        # 문맥 길이를 넘으면 최근 토큰만
        context = ids[:, -model.config.max_len :]
        # (B, V): 마지막 위치의 다음 토큰 로짓
        logits = model(context)[:, -1, :]
        if temperature == 0:
            next_id = logits.argmax(dim=-1, keepdim=True)  # (B, 1)
        else:
            logits = logits / temperature
            if top_k is not None:
                # (B, 1)
                kth = torch.topk(logits, min(top_k, logits.size(-1))).values[
                    :, -1:
                ]
                logits = logits.masked_fill(logits < kth, float("-inf"))
            probs = torch.softmax(logits, dim=-1)  # (B, V)
            next_id = torch.multinomial(probs, 1, generator=generator)  # (B, 1)
        ids = torch.cat([ids, next_id], dim=1)  # (B, T + 1)
    return ids


# --8<-- [end:generate]


# --8<-- [start:char-train-config]
@dataclass
class CharTrainConfig:
    """블로그 글로 학습하는 작은 문자 단위 GPT의 설정. 2코어 CPU에서 몇 초면
    끝납니다."""

    steps: int = 300  # 학습 스텝 수
    batch_size: int = 16  # 한 스텝에 보는 시퀀스 수 B
    max_len: int = 64  # 시퀀스 길이 T (입력 T개, 정답 T개)
    n_layers: int = 2  # 디코더 블록 수
    n_heads: int = 4  # 어텐션 헤드 수
    d_model: int = 64  # 모델 폭 D
    lr: float = 3e-3  # AdamW 학습률 (작은 모델이라 크게)
    seed: int = 0  # 초기화와 배치 뽑기에 쓰는 시드


# --8<-- [end:char-train-config]


# --8<-- [start:train-char-gpt]
class CharRun(NamedTuple):
    """작은 문자 단위 GPT의 학습 결과."""

    model: GPT
    vocab: CharVocab
    losses: list[float]  # 스텝마다의 학습 손실 (첫 스텝이 losses[0])


def train_char_gpt(text: str, config: CharTrainConfig | None = None) -> CharRun:
    """text로 작은 문자 단위 GPT를 학습하고 (모델, 어휘, 스텝별 손실)을
    돌려줍니다.

    매 스텝 text에서 길이 T+1인 구간 B개를 무작위로 뽑아, 한 칸 밀어 입력과
    정답을 만들고 다음 글자 교차 엔트로피를 줄입니다. 초기화와 배치 뽑기는 모두
    config.seed로 정해집니다.
    """
    config = config or CharTrainConfig()
    g = torch.Generator().manual_seed(config.seed)
    vocab = CharVocab.from_text(text)
    data = vocab.encode(text)  # (N,)
    model_config = GPTConfig(
        vocab_size=len(vocab),
        max_len=config.max_len,
        d_model=config.d_model,
        n_layers=config.n_layers,
        n_heads=config.n_heads,
    )
    model = GPT(model_config, generator=g)
    optimizer = torch.optim.AdamW(
        model.parameters(), lr=config.lr, weight_decay=0.0
    )
    T, losses = config.max_len, []
    for _ in range(config.steps):
        # (B,)
        starts = torch.randint(len(data) - T, (config.batch_size,), generator=g)
        # (B, T+1)
        chunk = torch.stack([data[s : s + T + 1] for s in starts.tolist()])
        inputs, targets = next_token_targets(chunk)  # 각각 (B, T)
        loss = causal_lm_loss(model(inputs), targets)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return CharRun(model.eval(), vocab, losses)


# --8<-- [end:train-char-gpt]


def sample_text(
    run: CharRun,
    prompt: str,
    max_new_tokens: int,
    temperature: float = 0.8,
    top_k: int | None = 10,
    seed: int = 0,
) -> str:
    """학습된 작은 모델로 prompt 뒤를 이어 씁니다. 같은 seed면 같은 글이 나옵니다."""
    ids = run.vocab.encode(prompt)[None, :]  # (1, T)
    g = torch.Generator().manual_seed(seed)
    out = generate(
        run.model, ids, max_new_tokens, temperature, top_k, generator=g
    )
    return run.vocab.decode(out[0])


# 연습 문제의 풀이: 글 「인과적 언어 모델링이란?」의 '연습 문제'가 싣습니다.


# --8<-- [start:next-token-entropy]
def next_token_entropy(logits: torch.Tensor, temperature: float) -> float:
    """로짓 (V,)을 temperature로 나눈 다음 토큰 분포의 엔트로피(내트).

    온도가 낮을수록 분포가 가장 큰 로짓 하나로 쏠려 0에 다가가고(탐욕적 디코딩),
    높을수록 어휘 V개에 고른 분포의 엔트로피 ln V에 다가갑니다.
    """
    log_probs = torch.log_softmax(logits / temperature, dim=-1)  # (V,)
    return -(log_probs.exp() * log_probs).sum().item()


# --8<-- [end:next-token-entropy]


if __name__ == "__main__":
    # 이 작은 모델의 연산은 너무 작아서 스레드를 나누면 동기화 비용이 더 큽니다(빌드의 노트북도 한 스레드).
    torch.set_num_threads(1)
    text = corpus_text()
    start = time.perf_counter()
    run = train_char_gpt(text)
    seconds = time.perf_counter() - start
    print(
        f"말뭉치: 글자 {len(text):,}개, 어휘 {len(run.vocab)}개, 파라미터 {count_parameters(run.model):,}개"
    )
    print(
        f"학습: {len(run.losses)}스텝, {seconds:.1f}초, 손실 {run.losses[0]:.2f} -> {run.losses[-1]:.2f}"
    )
    print("생성:", sample_text(run, "인과적 언어 모델", 80))
