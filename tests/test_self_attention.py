"""snippets/self_attention.py를 PyTorch의 구현(F.scaled_dot_product_attention, torch.func.jacobian,
torch.distributions, nn.MultiheadAttention)과 견줍니다."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from snippets.attention import attention_weights
from snippets.self_attention import (
    AttentionProbe,
    ProbeConfig,
    permutation_gap,
    preferred_offsets,
    random_queries_and_keys,
    saturation,
    sharpened_lookup,
    soft_lookup,
    train_probe,
)


def _generator(seed: int = 0) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


@pytest.mark.parametrize(("S", "Dh", "Dv"), [(5, 8, 3), (7, 3, 11)], ids=["5-keys", "7-keys"])
def test_soft_lookup_is_torch_sdpa_for_one_query_with_scale_one(S: int, Dh: int, Dv: int) -> None:
    g = _generator()
    query = torch.randn(Dh, generator=g, dtype=torch.float64)
    keys = torch.randn(S, Dh, generator=g, dtype=torch.float64)
    values = torch.randn(S, Dv, generator=g, dtype=torch.float64)
    expected = F.scaled_dot_product_attention(query[None], keys, values, scale=1.0)[0]
    torch.testing.assert_close(soft_lookup(query, keys, values), expected)


def test_sharpened_lookup_becomes_a_hard_lookup_of_the_most_similar_key() -> None:
    g = _generator(1)
    keys = torch.randn(6, 5, generator=g, dtype=torch.float64)
    values = torch.randn(6, 4, generator=g, dtype=torch.float64)
    query = keys[3] + 0.3 * torch.randn(5, generator=g, dtype=torch.float64)
    best = torch.argmax(keys @ query)
    torch.testing.assert_close(sharpened_lookup(query, keys, values, 1e4), values[best])
    weights = [
        sharpened_lookup(query, keys, torch.eye(6, dtype=torch.float64), b)[best]
        for b in (1, 4, 16)
    ]
    assert weights == sorted(weights) and weights[0] < weights[-1]


def test_saturation_entropy_and_gradient_match_torch() -> None:
    q, k = random_queries_and_keys(3, 7, 5, _generator(2))
    found = saturation(q, k, scale=0.7)
    scores = (q @ k.transpose(-2, -1) * 0.7).squeeze(1)  # (3, 7)
    probs = torch.softmax(scores, dim=-1)
    entropy = torch.distributions.Categorical(probs=probs).entropy().mean().item()
    jacobians = [
        torch.autograd.functional.jacobian(lambda s: torch.softmax(s, dim=-1), row)
        for row in scores
    ]
    gradient = sum(j.norm().item() for j in jacobians) / len(jacobians)
    assert found.variance == pytest.approx(scores.var().item())
    assert found.entropy == pytest.approx(entropy)
    assert found.gradient == pytest.approx(gradient)


@pytest.mark.parametrize("d_k", [3, 64, 257], ids=["d3", "d64", "d257"])
def test_score_variance_is_one_with_the_scale_and_d_k_without(d_k: int) -> None:
    """논문 각주 4: 성분이 평균 0, 분산 1이면 q·k의 분산은 d_k이고, √d_k로 나누면 1입니다."""
    q, k = random_queries_and_keys(2000, 4, d_k, _generator(3))
    assert saturation(q, k).variance == pytest.approx(1.0, rel=0.08)
    assert saturation(q, k, scale=1.0).variance == pytest.approx(d_k, rel=0.08)


def test_unscaled_softmax_saturates_as_d_k_grows() -> None:
    g = _generator(4)
    raw = [saturation(*random_queries_and_keys(256, 16, d, g), scale=1.0) for d in (4, 64, 1024)]
    scaled = [saturation(*random_queries_and_keys(256, 16, d, g)) for d in (4, 64, 1024)]
    assert [r.entropy for r in raw] == sorted((r.entropy for r in raw), reverse=True)
    assert [r.gradient for r in raw] == sorted((r.gradient for r in raw), reverse=True)
    assert raw[-1].entropy < 0.5 * scaled[-1].entropy
    assert max(s.entropy for s in scaled) - min(s.entropy for s in scaled) < 0.15
    assert all(s.entropy <= math.log(16) + 1e-9 for s in scaled)


@pytest.mark.parametrize("T", [1, 7], ids=["one-token", "seven-tokens"])
def test_permutation_gap_is_zero_and_torch_sdpa_agrees(T: int) -> None:
    g = _generator(5)
    x = torch.randn(T, 6, generator=g, dtype=torch.float64)
    order = torch.randperm(T, generator=g)
    assert permutation_gap(x, order) < 1e-12
    sdpa = lambda x: F.scaled_dot_product_attention(x, x, x)  # noqa: E731
    torch.testing.assert_close(sdpa(x[order]), sdpa(x)[order])


def test_permutation_gap_sees_a_change_that_is_not_a_permutation() -> None:
    """실패할 수 있는 검사인지: 위치마다 다른 값을 더하면(위치 정보) 순서를 섞은 출력이 달라집니다."""
    g = _generator(6)
    x = torch.randn(5, 4, generator=g, dtype=torch.float64)
    order = torch.tensor([4, 3, 2, 1, 0])
    positions = torch.randn(5, 4, generator=g, dtype=torch.float64)
    shifted = attention_weights(x[order] + positions, x[order] + positions) @ x[order]
    plain = attention_weights(x + positions, x + positions) @ x
    assert (shifted - plain[order]).abs().max() > 1e-3


def _probe(seed: int = 0) -> AttentionProbe:
    return AttentionProbe(
        ProbeConfig(vocab_size=11, max_len=9, d_model=12, n_heads=3), _generator(seed)
    )


def test_probe_weights_match_torch_multihead_attention_per_head() -> None:
    model = _probe().double()
    ids = torch.randint(0, 11, (2, 9), generator=_generator(7))
    x = model._embed(ids)
    mha = model.attention
    reference = nn.MultiheadAttention(12, 3, batch_first=True, dtype=torch.float64)
    with torch.no_grad():
        reference.in_proj_weight.copy_(
            torch.cat([mha.q_proj.weight, mha.k_proj.weight, mha.v_proj.weight])
        )
        reference.in_proj_bias.copy_(torch.cat([mha.q_proj.bias, mha.k_proj.bias, mha.v_proj.bias]))
        reference.out_proj.weight.copy_(mha.out_proj.weight)
        reference.out_proj.bias.copy_(mha.out_proj.bias)
        output, weights = reference(x, x, x, need_weights=True, average_attn_weights=False)
        torch.testing.assert_close(model.weights(ids), weights)
        torch.testing.assert_close(mha(x), output)


def test_probe_rejects_ids_outside_the_vocabulary_and_too_long_input() -> None:
    model = _probe()
    with pytest.raises(ValueError, match="어휘 밖의 id 11"):
        model(torch.tensor([[1, 11]]))
    with pytest.raises(ValueError, match="최대 길이 9"):
        model(torch.zeros(1, 10, dtype=torch.long))


def test_probe_training_lowers_the_loss_and_is_reproducible() -> None:
    """반복되는 글자열에서 가린 글자를 맞히면 손실이 줄고, 같은 시드면 같은 손실 기록이 나옵니다."""
    ids = torch.arange(10).repeat(60)
    runs = [train_probe(_probe(), ids, 10, 60, 16, _generator(8), lr=3e-2) for _ in range(2)]
    assert runs[0] == runs[1]
    assert sum(runs[0][-10:]) / 10 < sum(runs[0][:10]) / 10 - 0.5


def test_preferred_offsets_find_the_diagonal_a_head_attends_to() -> None:
    T = 6
    previous = torch.zeros(T, T)
    previous[0, 0] = 1.0
    for i in range(1, T):
        previous[i, i - 1] = 1.0
    uniform = torch.full((T, T), 1 / T)
    found = preferred_offsets(torch.stack([previous, uniform]))
    assert found[0] == (-1, pytest.approx(1.0))
    assert found[1][1] == pytest.approx(1 / T)
