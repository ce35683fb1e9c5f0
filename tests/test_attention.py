"""snippets/attention.py를 torch의 구현과 견줍니다."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from snippets.attention import causal_mask, scaled_dot_product_attention


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
