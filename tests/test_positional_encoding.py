"""snippets/positional_encoding.py를 PyTorch의 구현과 견줍니다."""

from __future__ import annotations

import torch

from snippets.positional_encoding import softmax


def test_softmax_matches_torch_softmax_on_large_scores() -> None:
    g = torch.Generator().manual_seed(0)
    # 1000을 더하면 exp(x)를 그대로 계산하는 구현은 inf/inf = nan이 되어 실패합니다.
    x = torch.randn(3, 5, generator=g, dtype=torch.float64) + 1000
    torch.testing.assert_close(softmax(x), torch.softmax(x, dim=-1))
