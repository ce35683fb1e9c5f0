"""snippets/seq2seq.py의 디코더 입력 밀기를 transformers의 BART, T5 구현과 견줍니다."""

from __future__ import annotations

import torch
from transformers import T5Config, T5ForConditionalGeneration
from transformers.models.bart.modeling_bart import shift_tokens_right

from snippets.seq2seq import shift_right

# 둘째 줄의 -100은 손실에서 빼는 자리(오른쪽 패딩)입니다.
LABELS = torch.tensor([[5, 6, 7, 8], [9, 10, -100, -100]])


def test_shift_right_matches_bart_with_eos_as_start() -> None:
    pad_id, start_id = 1, 2  # BART: <pad> = 1, decoder_start_token_id = </s> = 2
    torch.testing.assert_close(
        shift_right(LABELS, pad_id, start_id), shift_tokens_right(LABELS, pad_id, start_id)
    )


def test_shift_right_matches_t5_with_pad_as_start() -> None:
    config = T5Config(
        vocab_size=16, d_model=8, d_kv=4, d_ff=8, num_layers=1, num_heads=2,
        pad_token_id=0, decoder_start_token_id=0,
    )  # fmt: skip
    hf = T5ForConditionalGeneration(config)
    torch.testing.assert_close(shift_right(LABELS, 0, 0), hf._shift_right(LABELS))


def test_shift_right_keeps_the_shape_and_drops_the_last_label() -> None:
    shifted = shift_right(LABELS, 1, 2)
    assert shifted.shape == LABELS.shape
    assert shifted[:, 0].tolist() == [2, 2]
    assert shifted[0, 1:].tolist() == LABELS[0, :-1].tolist()
