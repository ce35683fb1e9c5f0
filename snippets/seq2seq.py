"""인코더-디코더(BART, T5)가 함께 쓰는 조각: 출력 묶음, 정답을 한 칸 밀어 만드는 디코더 입력, 마스크,
그리고 encode와 decode를 잇는 forward 하나(EncoderDecoder)."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import nn

from snippets.attention import causal_mask, padding_mask
from snippets.model_inputs import IGNORE_INDEX, check_lengths, check_token_ids


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


def source_mask(
    input_ids: torch.Tensor, src_lengths: torch.Tensor | None
) -> torch.Tensor | None:
    """인코더 쪽 키의 패딩 마스크 (B, 1, 1, S). 길이를 주지 않으면 None(패딩 없음)."""
    if src_lengths is None:
        return None
    check_lengths(src_lengths, input_ids, "src_lengths", "input_ids")
    return padding_mask(src_lengths, input_ids.size(1))


def decoder_masks(
    decoder_input_ids: torch.Tensor,
    memory: torch.Tensor,
    src_lengths: torch.Tensor | None,
    tgt_lengths: torch.Tensor | None,
) -> tuple[torch.Tensor, torch.Tensor | None]:
    """디코더의 (셀프 어텐션 마스크, 크로스 어텐션 마스크).

    셀프 어텐션은 인과 마스크 (T, T)에 디코더 쪽 패딩을 더해 (B, 1, T, T)로, 크로스
    어텐션은 인코더 출력 memory (B, S, D)의 패딩 키만 (B, 1, 1, S)로 가립니다.
    """
    T, S = decoder_input_ids.size(1), memory.size(1)
    self_mask = causal_mask(T, device=memory.device)  # (T, T)
    if tgt_lengths is not None:
        check_lengths(
            tgt_lengths, decoder_input_ids, "tgt_lengths", "decoder_input_ids"
        )
        self_mask = self_mask & padding_mask(tgt_lengths, T)  # (B, 1, T, T)
    cross_mask = None
    if src_lengths is not None:
        cross_mask = padding_mask(src_lengths, S)  # (B, 1, 1, S)
    return self_mask, cross_mask


class EncoderDecoder(nn.Module):
    """encode(input_ids, src_lengths) -> memory와 decode(...) -> 로짓을 가진 모델의 forward.

    BART와 T5가 함께 씁니다. 모델은 encode(input_ids, src_lengths) -> memory (B, S, D),
    decode(decoder_input_ids, memory, src_lengths, tgt_lengths) -> 로짓 (B, T, V)과
    디코더 입력을 만드는 decoder_start(labels, input_ids)만 적습니다.
    """

    config: object  # vocab_size가 있는 설정

    def decoder_start(
        self, labels: torch.Tensor | None, input_ids: torch.Tensor
    ) -> torch.Tensor:
        """decoder_input_ids를 주지 않았을 때의 디코더 입력 (B, T)."""
        raise NotImplementedError

    def forward(
        self,
        input_ids: torch.Tensor,
        decoder_input_ids: torch.Tensor | None = None,
        labels: torch.Tensor | None = None,
        src_lengths: torch.Tensor | None = None,
        tgt_lengths: torch.Tensor | None = None,
    ) -> Seq2SeqOutput:
        if labels is not None:  # 디코더 입력을 labels에서 만들기 전에
            check_token_ids(
                labels,
                self.config.vocab_size,
                name="labels",
                ignore_index=IGNORE_INDEX,
            )
        if decoder_input_ids is None:
            decoder_input_ids = self.decoder_start(labels, input_ids)
        memory = self.encode(input_ids, src_lengths)  # (B, S, D)
        logits = self.decode(
            decoder_input_ids, memory, src_lengths, tgt_lengths
        )  # (B, T, V)
        loss = None
        if labels is not None:
            loss = F.cross_entropy(
                logits.flatten(0, 1),
                labels.flatten(),
                ignore_index=IGNORE_INDEX,
            )
        return Seq2SeqOutput(logits, loss)


class DemoText(NamedTuple):
    """모듈 데모의 글 하나: 어휘, 낱말 -> id, 글을 id로 바꾼 문서 (N,)."""

    vocab: list[str]
    ids: dict[str, int]
    doc: torch.Tensor

    def show(self, tokens: torch.Tensor) -> str:
        return " ".join(self.vocab[i] for i in tokens.tolist())


def demo_text(
    text: str, first: list[str], last: list[str] | None = None
) -> DemoText:
    """띄어쓰기로 나눈 낱말 어휘: 특수 토큰 first, 글의 낱말(정렬), last 차례."""
    words = text.split()
    vocab = [*first, *sorted(set(words)), *(last or [])]
    ids = {w: i for i, w in enumerate(vocab)}
    return DemoText(vocab, ids, torch.tensor([ids[w] for w in words]))


# 모듈 데모(python -m snippets.bart, snippets.t5)가 몇 초 학습하는 작은 크기
DEMO_SIZES = dict(d_model=64, n_layers=2, n_heads=4, d_ff=128, dropout=0.0)


def train_briefly(
    model: EncoderDecoder,
    example: Callable[[], tuple[torch.Tensor, torch.Tensor]],
    steps: int = 60,
    lr: float = 3e-3,
) -> list[float]:
    """모듈 데모용: example()이 매번 새로 주는 (입력 (S,), 정답 (T,)) 한 쌍으로
    steps번 AdamW를 밟고, 스텝마다의 손실을 돌려줍니다."""
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    losses = []
    for _ in range(steps):
        inputs, labels = example()
        loss = model(inputs[None], labels=labels[None]).loss
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
