"""snippets/parameters.py의 count_parameters를 transformers의 num_parameters()와 견줍니다."""

from __future__ import annotations

import torch
from torch import nn
from transformers import GPT2Config, GPT2LMHeadModel

from snippets.parameters import count_parameters


def test_tied_weights_count_once_like_transformers() -> None:
    config = GPT2Config(
        vocab_size=50,
        n_positions=16,
        n_embd=12,
        n_layer=2,
        n_head=3,
        bos_token_id=0,
        eos_token_id=0,
    )
    hf = GPT2LMHeadModel(config)
    assert hf.lm_head.weight is hf.transformer.wte.weight  # 출력층 = 토큰 임베딩
    assert count_parameters(hf) == hf.num_parameters()
    untied = sum(p.numel() for _, p in hf.named_parameters(remove_duplicate=False))
    assert untied - count_parameters(hf) == 50 * 12


def test_buffers_are_not_parameters() -> None:
    model = nn.BatchNorm1d(4)  # 가중치·편향 4+4, 버퍼(running mean/var, 횟수)는 세지 않음
    assert count_parameters(model) == 8


def test_meta_models_are_counted_without_memory() -> None:
    with torch.device("meta"):
        model = nn.Linear(100_000, 100_000)
    assert model.weight.is_meta
    assert count_parameters(model) == 100_000 * 100_000 + 100_000
