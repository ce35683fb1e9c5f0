"""snippets/attention.py를 torch의 구현과 견줍니다."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from snippets.attention import (
    MultiHeadAttention,
    attention_weights,
    causal_mask,
    fused_attention,
    heads_and_parameters,
    padding_mask,
    peak_weight,
    scaled_dot_product_attention,
    use_fused_attention,
)


def _qkv(B: int, H: int, T: int, S: int, Dh: int, seed: int = 0):
    g = torch.Generator().manual_seed(seed)
    shape = lambda L: (B, H, L, Dh)  # noqa: E731
    return (
        torch.randn(shape(T), generator=g, dtype=torch.float64),
        torch.randn(shape(S), generator=g, dtype=torch.float64),
        torch.randn(shape(S), generator=g, dtype=torch.float64),
    )


@pytest.mark.parametrize(("T", "S"), [(5, 5), (3, 7)], ids=["self", "cross-T<S"])
def test_sdpa_matches_torch_sdpa_without_mask(T: int, S: int) -> None:
    q, k, v = _qkv(2, 3, T, S, 8)
    torch.testing.assert_close(
        scaled_dot_product_attention(q, k, v), F.scaled_dot_product_attention(q, k, v)
    )


def test_sdpa_matches_torch_sdpa_with_causal_mask() -> None:
    q, k, v = _qkv(2, 3, 6, 6, 8)
    expected = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    torch.testing.assert_close(scaled_dot_product_attention(q, k, v, causal_mask(6)), expected)


def test_causal_mask_lets_each_position_see_itself_and_the_past() -> None:
    mask = causal_mask(4)
    assert mask.dtype == torch.bool
    assert mask.diagonal().all()
    assert not mask.triu(diagonal=1).any()
    assert mask.sum().item() == 4 * 5 // 2  # 하삼각(대각선 포함)의 칸 수


def _random_mask(shape: tuple[int, ...], seed: int = 1) -> torch.Tensor:
    """무작위 불리언 마스크. 행마다 첫 키는 열어 두어 모두 가려진 행(소프트맥스가 NaN)이 없게 합니다."""
    g = torch.Generator().manual_seed(seed)
    mask = torch.rand(shape, generator=g) < 0.5
    mask[..., 0] = True
    return mask


MASKS = {
    "causal": lambda T, S: causal_mask(T),
    "padding": lambda T, S: padding_mask(torch.tensor([S, 2]), S),
    "random-per-head": lambda T, S: _random_mask((2, 3, T, S)),
}


@pytest.mark.parametrize("make_mask", MASKS.values(), ids=MASKS.keys())
def test_sdpa_matches_torch_sdpa_with_boolean_mask(make_mask) -> None:
    T = S = 6
    q, k, v = _qkv(2, 3, T, S, 8)
    mask = make_mask(T, S)
    expected = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    torch.testing.assert_close(scaled_dot_product_attention(q, k, v, mask), expected)


def test_sdpa_matches_torch_sdpa_with_padding_mask_and_t_not_s() -> None:
    q, k, v = _qkv(2, 3, 4, 7, 8)
    mask = padding_mask(torch.tensor([7, 3]), 7)
    expected = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    torch.testing.assert_close(scaled_dot_product_attention(q, k, v, mask), expected)


def test_sdpa_matches_torch_sdpa_with_scale_and_additive_bias() -> None:
    q, k, v = _qkv(2, 3, 5, 5, 8)
    bias = torch.randn(3, 5, 5, generator=torch.Generator().manual_seed(2), dtype=torch.float64)
    mask = causal_mask(5)
    # torch는 실수 attn_mask를 점수에 더하므로, 편향과 -무한대로 바꾼 마스크를 합쳐 넘깁니다.
    additive = bias.masked_fill(~mask, float("-inf"))
    expected = F.scaled_dot_product_attention(q, k, v, attn_mask=additive, scale=1.0)
    actual = scaled_dot_product_attention(q, k, v, mask, scale=1.0, bias=bias)
    torch.testing.assert_close(actual, expected)


@pytest.mark.parametrize("with_bias", [False, True], ids=["mask", "mask+bias"])
@pytest.mark.parametrize("make_mask", MASKS.values(), ids=MASKS.keys())
def test_fused_attention_equals_the_taught_function(make_mask, with_bias: bool) -> None:
    # 융합 커널 길은 마스크(와 편향)를 torch의 약속으로 바꿔 넘길 뿐, 같은 값을 내야 합니다.
    T = S = 6
    q, k, v = _qkv(2, 3, T, S, 8)
    mask = make_mask(T, S)
    g = torch.Generator().manual_seed(2)
    bias = torch.randn(1, 3, T, S, generator=g, dtype=torch.float64) if with_bias else None
    expected = scaled_dot_product_attention(q, k, v, mask, scale=0.5, bias=bias)
    torch.testing.assert_close(fused_attention(q, k, v, mask, scale=0.5, bias=bias), expected)
    if with_bias:  # 마스크 없이 편향만 있을 때도
        expected = scaled_dot_product_attention(q, k, v, None, bias=bias)
        torch.testing.assert_close(fused_attention(q, k, v, None, bias=bias), expected)


def test_attention_weights_are_zero_where_masked_and_rows_sum_to_one() -> None:
    q, k, _ = _qkv(2, 3, 5, 7, 8)
    mask = _random_mask((2, 3, 5, 7))
    weights = attention_weights(q, k, mask)
    assert (weights.masked_select(~mask) == 0).all()
    torch.testing.assert_close(weights.sum(-1), torch.ones(2, 3, 5, dtype=torch.float64))


def test_padding_mask_marks_the_first_length_keys() -> None:
    mask = padding_mask(torch.tensor([3, 1]), 4)
    assert mask.shape == (2, 1, 1, 4)
    assert mask[:, 0, 0].tolist() == [[True, True, True, False], [True, False, False, False]]


def test_sdpa_gradients_match_finite_differences() -> None:
    q, k, v = (t.requires_grad_() for t in _qkv(1, 2, 3, 4, 5))
    bias = torch.randn(2, 3, 4, dtype=torch.float64, requires_grad=True)
    mask = _random_mask((1, 2, 3, 4))
    assert torch.autograd.gradcheck(
        lambda q, k, v, bias: scaled_dot_product_attention(q, k, v, mask, bias=bias),
        (q, k, v, bias),
    )


def _mha_pair(
    D: int, H: int, seed: int = 0, fused: bool = False
) -> tuple[MultiHeadAttention, torch.nn.MultiheadAttention]:
    """같은 가중치를 가진 우리 구현과 torch.nn.MultiheadAttention (float64, batch-first)."""
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        ref = torch.nn.MultiheadAttention(D, H, batch_first=True, dtype=torch.float64)
        # torch는 기본으로 편향을 0으로 두므로, 편향 복사가 검사되도록 무작위 값을 넣습니다.
        with torch.no_grad():
            ref.in_proj_bias.normal_()
            ref.out_proj.bias.normal_()
        ours = MultiHeadAttention(D, H).double()
    q_w, k_w, v_w = ref.in_proj_weight.chunk(3)
    q_b, k_b, v_b = ref.in_proj_bias.chunk(3)
    with torch.no_grad():
        for proj, w, b in [
            (ours.q_proj, q_w, q_b),
            (ours.k_proj, k_w, k_b),
            (ours.v_proj, v_w, v_b),
        ]:
            proj.weight.copy_(w)
            proj.bias.copy_(b)
        ours.out_proj.weight.copy_(ref.out_proj.weight)
        ours.out_proj.bias.copy_(ref.out_proj.bias)
    return use_fused_attention(ours, fused).eval(), ref.eval()


def _inputs(B: int, T: int, S: int, D: int, seed: int = 3) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    return (
        torch.randn(B, T, D, generator=g, dtype=torch.float64),
        torch.randn(B, S, D, generator=g, dtype=torch.float64),
    )


# 각 경우: (T, S, 크로스 어텐션인가, 길이(패딩) 또는 None, 인과 마스크인가)
MHA_CASES = {
    "self": (5, 5, False, None, False),
    "self-causal": (5, 5, False, None, True),
    "self-padding": (5, 5, False, [5, 3], False),
    "self-causal-padding": (5, 5, False, [5, 3], True),
    "cross-T<S": (4, 7, True, None, False),
    "cross-T>S-padding": (6, 3, True, [3, 2], False),
    "cross-T<S-padding": (4, 7, True, [7, 4], False),
}


@pytest.mark.parametrize("fused", [False, True], ids=["taught", "fused"])
@pytest.mark.parametrize(
    ("T", "S", "cross", "lengths", "causal"), MHA_CASES.values(), ids=MHA_CASES.keys()
)
def test_multi_head_attention_matches_torch_multihead_attention(
    T: int, S: int, cross: bool, lengths: list[int] | None, causal: bool, fused: bool
) -> None:
    B, D, H = 2, 12, 3
    ours, ref = _mha_pair(D, H, fused=fused)
    x, context = _inputs(B, T, S, D)
    kv = context if cross else x
    mask = None
    key_padding_mask = attn_mask = None
    if lengths is not None:
        mask = padding_mask(torch.tensor(lengths), kv.size(1))  # (B, 1, 1, S)
        key_padding_mask = ~mask[:, 0, 0]  # torch는 반대 약속: True = 가림
    if causal:
        mask = causal_mask(T) if mask is None else mask & causal_mask(T)
        attn_mask = ~causal_mask(T)
    expected, expected_weights = ref(
        x, kv, kv,
        key_padding_mask=key_padding_mask,
        attn_mask=attn_mask,
        need_weights=True,
        average_attn_weights=False,
    )  # fmt: skip
    context_arg = context if cross else None
    torch.testing.assert_close(ours(x, context=context_arg, mask=mask), expected)
    torch.testing.assert_close(ours.weights(x, context=context_arg, mask=mask), expected_weights)


def test_multi_head_attention_weights_times_values_give_forward() -> None:
    B, T, S, D, H = 2, 4, 6, 12, 3
    ours, _ = _mha_pair(D, H)
    x, context = _inputs(B, T, S, D)
    mask = padding_mask(torch.tensor([6, 2]), S)
    weights = ours.weights(x, context=context, mask=mask)  # (B, H, T, S)
    v = ours.v_proj(context).view(B, S, H, D // H).transpose(1, 2)  # (B, H, S, Dh)
    unfolded = ours.out_proj((weights @ v).transpose(1, 2).reshape(B, T, D))
    torch.testing.assert_close(unfolded, ours(x, context=context, mask=mask))


@pytest.mark.parametrize("t", [0, 2, 4], ids=lambda t: f"t={t}")
def test_masked_self_attention_future_tokens_do_not_change_past_outputs(t: int) -> None:
    B, T, D, H = 2, 6, 12, 3
    ours, _ = _mha_pair(D, H)
    x, _ = _inputs(B, T, T, D)
    changed = x.clone()
    g = torch.Generator().manual_seed(4)
    changed[:, t + 1 :] = torch.randn(B, T - t - 1, D, generator=g, dtype=torch.float64)
    before = ours(x, mask=causal_mask(T))
    after = ours(changed, mask=causal_mask(T))
    torch.testing.assert_close(after[:, : t + 1], before[:, : t + 1])
    if t + 1 < T:  # 이 테스트가 실패할 수 있다는 확인: 미래를 바꾸면 그 자리의 출력은 바뀝니다
        assert not torch.allclose(after[:, t + 1 :], before[:, t + 1 :])


def test_unmasked_self_attention_lets_future_tokens_change_past_outputs() -> None:
    B, T, D, H = 2, 6, 12, 3
    ours, _ = _mha_pair(D, H)
    x, _ = _inputs(B, T, T, D)
    changed = x.clone()
    changed[:, -1] += 1.0
    assert not torch.allclose(ours(changed)[:, 0], ours(x)[:, 0])


@pytest.mark.parametrize("cross", [False, True], ids=["self", "cross"])
def test_padded_keys_do_not_change_outputs(cross: bool) -> None:
    B, T, S, D, H = 2, 5, 7, 12, 3
    ours, _ = _mha_pair(D, H)
    x, context = _inputs(B, T, S if cross else T, D)
    kv = context if cross else x
    L = kv.size(1)
    lengths = [L - 2, 3]
    mask = padding_mask(torch.tensor(lengths), L)
    changed = kv.clone()
    g = torch.Generator().manual_seed(4)
    for b, length in enumerate(lengths):
        changed[b, length:] = 100.0 * torch.randn(L - length, D, generator=g, dtype=torch.float64)
    if cross:
        torch.testing.assert_close(
            ours(x, context=changed, mask=mask), ours(x, context=kv, mask=mask)
        )
        return
    # 셀프 어텐션에서는 패딩 자리의 쿼리 자체가 바뀌므로, 진짜 토큰 자리의 출력만 견줍니다.
    before, after = ours(kv, mask=mask), ours(changed, mask=mask)
    for b, length in enumerate(lengths):
        torch.testing.assert_close(after[b, :length], before[b, :length])


# 연습 문제의 풀이(글 「마스크 멀티 헤드 어텐션은 뭐가 다른가?」)


@pytest.mark.parametrize("n_heads", [1, 2, 4, 8, 16])
def test_changing_heads_with_width_fixed_keeps_torch_parameter_count(n_heads: int) -> None:
    """풀이의 주장: D를 고정하면 헤드 수와 상관없이 파라미터 수가 같고, 헤드 폭만 D / H로 줄어듭니다."""
    head_dim, parameters = heads_and_parameters(64, n_heads)
    torch_mha = torch.nn.MultiheadAttention(64, n_heads)
    assert head_dim == torch_mha.head_dim == 64 // n_heads
    assert parameters == sum(p.numel() for p in torch_mha.parameters())
    assert parameters == heads_and_parameters(64, 1)[1]


def test_heads_that_do_not_divide_the_width_are_refused() -> None:
    with pytest.raises(ValueError, match="모델 폭 64가 헤드 수 3로 나누어떨어지지"):
        heads_and_parameters(64, 3)


def test_without_the_scale_the_softmax_piles_onto_one_key() -> None:
    """풀이의 주장: 1/sqrt(d_k)를 빼면 행마다 가장 큰 가중치가 1 쪽으로 커집니다.

    가중치는 V에 단위 행렬을 넣은 PyTorch의 F.scaled_dot_product_attention으로도 구해 견줍니다.
    """
    g = torch.Generator().manual_seed(0)
    q, k = (torch.randn(3, 16, 64, generator=g, dtype=torch.float64) for _ in range(2))
    eye = torch.eye(16, dtype=torch.float64).expand(3, 16, 16)
    for scale in (None, 1.0):
        torch_weights = F.scaled_dot_product_attention(q, k, eye, scale=scale)
        expected = torch_weights.amax(dim=-1).mean().item()
        assert peak_weight(q, k, scale) == pytest.approx(expected, rel=1e-12)
    assert peak_weight(q, k, 1.0) > 2 * peak_weight(q, k)
