"""snippets/parameters.py: 세기는 transformers와, 초기화는 PyTorch의 기본값과, 옮기기는 틀린 입력으로 견줍니다."""

from __future__ import annotations

import pytest
import torch
from torch import nn
from transformers import GPT2Config, GPT2LMHeadModel

from snippets.parameters import (
    count_parameters,
    init_weights,
    port_weights,
    renamer,
    reset_parameters,
)


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


def _small() -> nn.Module:
    return nn.Sequential(nn.Embedding(7, 4), nn.Linear(4, 3), nn.LayerNorm(3), nn.Linear(3, 2))


def test_reset_parameters_draws_what_pytorch_default_init_draws_under_the_same_seed() -> None:
    torch.manual_seed(11)
    expected = _small()  # PyTorch의 기본 초기화(전역 생성기)
    ours = reset_parameters(_small(), torch.Generator().manual_seed(11))
    for name, tensor in expected.state_dict().items():
        assert torch.equal(ours.state_dict()[name], tensor), name
    # 전역 난수 상태는 generator 쪽 초기화가 건드리지 않습니다.
    fresh = _small()  # 모듈을 만드는 일 자체는 전역 생성기를 씁니다: 먼저 만들어 둡니다
    state = torch.random.get_rng_state()
    before = torch.rand(3)
    torch.random.set_rng_state(state)
    reset_parameters(fresh, torch.Generator().manual_seed(0))
    assert torch.equal(torch.rand(3), before)


def test_init_weights_uses_the_named_std_for_matching_modules_and_ties_once() -> None:
    model = nn.ModuleDict({"emb": nn.Embedding(1000, 64), "proj": nn.Linear(64, 1000)})
    model["head"] = nn.Linear(64, 1000, bias=False)
    model["head"].weight = model["emb"].weight  # 묶인 가중치: 한 번만 뽑습니다
    init_weights(model, torch.Generator().manual_seed(0), std=0.02, stds={"proj": 0.5})
    assert model["emb"].weight.std().item() == pytest.approx(0.02, rel=0.05)
    assert model["proj"].weight.std().item() == pytest.approx(0.5, rel=0.05)
    assert torch.equal(model["proj"].bias, torch.zeros(1000))
    again = nn.Embedding(1000, 64)
    init_weights(again, torch.Generator().manual_seed(0), std=0.02)
    assert torch.equal(model["emb"].weight, again.weight)  # head가 다시 뽑았다면 달라집니다


def test_port_weights_copies_through_renames_and_transforms() -> None:
    ours = nn.Sequential(nn.Linear(3, 2), nn.Linear(2, 4))
    theirs = {
        "a.weight": torch.randn(3, 2),  # (입력, 출력)으로 저장된 가중치
        "a.bias": torch.randn(2),
        "b.weight": torch.randn(4, 2),
        "b.bias": torch.randn(4),
    }
    rename = renamer({"0": "a", "1": "b"})
    port_weights(ours, theirs, rename, {"0.weight": torch.t})
    assert torch.equal(ours[0].weight, theirs["a.weight"].T)
    assert torch.equal(ours[1].bias, theirs["b.bias"])


def test_renamer_swaps_the_longest_prefix_and_keeps_the_layer_index() -> None:
    layer = {"attn": "self_attn", "attn.norm": "ln_1", "ff.fc1": "mlp.c_fc"}
    rename = renamer({"final_norm": "ln_f", "wte": "h.wte"}, {"layers": ("h", layer)})
    assert rename("final_norm.weight") == "ln_f.weight"
    assert rename("layers.12.attn.norm.bias") == "h.12.ln_1.bias"  # 긴 앞마디가 이깁니다
    assert rename("layers.0.attn.q_proj.weight") == "h.0.self_attn.q_proj.weight"
    assert rename("layers.3.ff.fc1.weight") == "h.3.mlp.c_fc.weight"
    assert rename("layers.3.ff.fc10.weight") == "h.3.ff.fc10.weight"  # 마디 단위로만 맞춥니다
    assert rename("wte_extra.weight") == "wte_extra.weight"  # 표에 없으면 그대로
    assert rename("layers.weight") == "layers.weight"  # 층 번호가 없으면 층 목록이 아닙니다


def test_port_weights_names_the_mismatched_shape_and_the_left_over_weight() -> None:
    ours = nn.Sequential(nn.Linear(3, 2))
    rename = renamer({"0": "a"})
    wrong = {"a.weight": torch.randn(3, 2), "a.bias": torch.randn(2)}
    with pytest.raises(ValueError, match=r"0\.weight <- a\.weight: 모양 \(3, 2\)"):
        port_weights(ours, wrong, rename)
    extra = {"a.weight": torch.randn(2, 3), "a.bias": torch.randn(2), "a.extra": torch.randn(5)}
    with pytest.raises(ValueError, match="옮길 자리가 없는 가중치.*a.extra"):
        port_weights(ours, extra, rename)
    with pytest.raises(ValueError, match="참조 구현에 a.bias가 없습니다"):
        port_weights(ours, {"a.weight": torch.randn(2, 3)}, rename)
