"""snippets/residual.py: 잔차 연결, post-LN/pre-LN 부분층, 기울기 노름 실험."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from snippets.attention import MultiHeadAttention, causal_mask
from snippets.residual import (
    FeedForward,
    PostLNSublayer,
    PreLNSublayer,
    Residual,
    first_to_last_ratio,
    gradient_norms,
    ln_gradient_ratio,
    ratio_over_seeds,
)

DEPTHS = [2, 4, 8, 16, 32, 64]


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """64x64 행렬 곱은 아주 작아서, 여러 스레드를 맞추는 비용이 계산보다 큽니다(바쁜 CI에서 몇 배).

    이 파일 안에서만 스레드를 하나로 두고, 끝나면 되돌립니다.
    """
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def test_residual_adds_input_to_layer_output() -> None:
    layer = nn.Linear(4, 4).double()
    x = torch.randn(3, 4, dtype=torch.float64)
    torch.testing.assert_close(Residual(layer)(x), layer(x) + x)


def test_residual_passes_gradient_through_a_dead_layer() -> None:
    # F가 0을 내고 기울기도 0이어도(가중치가 0인 층), 지름길 덕분에 입력 기울기는 그대로 1입니다.
    layer = nn.Linear(4, 4)
    nn.init.zeros_(layer.weight)
    nn.init.zeros_(layer.bias)
    x = torch.randn(3, 4, requires_grad=True)
    Residual(layer)(x).sum().backward()
    torch.testing.assert_close(x.grad, torch.ones(3, 4))


def _encoder_layer_pair(norm_first: bool) -> tuple[nn.Module, nn.TransformerEncoderLayer]:
    """같은 가중치를 가진 우리 부분층 두 개와 torch.nn.TransformerEncoderLayer (float64)."""
    D, H, d_ff = 12, 3, 20
    with torch.random.fork_rng():
        torch.manual_seed(0)
        ref = nn.TransformerEncoderLayer(
            D, H, d_ff, dropout=0.0, batch_first=True, norm_first=norm_first, dtype=torch.float64
        )
        with torch.no_grad():  # 편향과 LayerNorm 파라미터도 복사가 검사되도록 0/1이 아닌 값으로
            for name, p in ref.named_parameters():
                if "bias" in name or "norm" in name:
                    p.normal_()
    Sublayer = PreLNSublayer if norm_first else PostLNSublayer
    attn = MultiHeadAttention(D, H)
    ours = nn.ModuleList([Sublayer(D, attn), Sublayer(D, FeedForward(D, d_ff))]).double()
    with torch.no_grad():
        for proj, w, b in zip(
            [attn.q_proj, attn.k_proj, attn.v_proj],
            ref.self_attn.in_proj_weight.chunk(3),
            ref.self_attn.in_proj_bias.chunk(3),
            strict=True,
        ):
            proj.weight.copy_(w)
            proj.bias.copy_(b)
        attn.out_proj.load_state_dict(ref.self_attn.out_proj.state_dict())
        ours[1].sublayer.fc1.load_state_dict(ref.linear1.state_dict())
        ours[1].sublayer.fc2.load_state_dict(ref.linear2.state_dict())
        ours[0].norm.load_state_dict(ref.norm1.state_dict())
        ours[1].norm.load_state_dict(ref.norm2.state_dict())
    return ours.eval(), ref.eval()


@pytest.mark.parametrize("causal", [False, True], ids=["no-mask", "causal"])
@pytest.mark.parametrize("norm_first", [False, True], ids=["post-ln", "pre-ln"])
def test_sublayers_match_torch_transformer_encoder_layer(norm_first: bool, causal: bool) -> None:
    ours, ref = _encoder_layer_pair(norm_first)
    x = torch.randn(2, 5, 12, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    mask = causal_mask(5) if causal else None
    # torch의 불리언 src_mask는 반대 약속입니다: True = 가림.
    expected = ref(x, src_mask=None if mask is None else ~mask)
    attention, feed_forward = ours
    torch.testing.assert_close(feed_forward(attention(x, mask=mask)), expected)


def test_post_ln_and_pre_ln_differ_on_the_same_weights() -> None:
    # 위 동등성 테스트가 두 배치를 실제로 구별한다는 확인: 같은 가중치라도 출력이 다릅니다.
    post, _ = _encoder_layer_pair(norm_first=False)
    pre, _ = _encoder_layer_pair(norm_first=True)
    x = torch.randn(2, 5, 12, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    assert not torch.allclose(post[1](post[0](x)), pre[1](pre[0](x)))


def test_gradient_norms_are_deterministic_under_a_seed() -> None:
    assert gradient_norms(16, residual=True, seed=3) == gradient_norms(16, residual=True, seed=3)
    assert gradient_norms(16, residual=True, seed=3) != gradient_norms(16, residual=True, seed=4)


# 글의 주장: 잔차 연결이 있으면 첫 층의 기울기가 마지막 층과 비슷한 크기로(상한이 있는 배수 안에)
# 도착하고, 없으면 깊이에 따라 몇 자릿수씩 줄어듭니다. 잔차 없는 층 더미는 tanh 층과 PyTorch 기본
# 초기화(가중치 분산 1/(3n))로 골랐습니다: 역전파가 층마다 W^T(길이를 평균 약 1/sqrt(3)배로 줄임)와
# tanh의 미분(1 이하)을 곱하므로 기울기가 정말로 지수적으로 사라집니다. ReLU와 He 초기화처럼 길이를
# 보존하도록 맞춘 층이었다면 잔차 연결 없이도 사라지지 않아 이 비교가 아무것도 보여 주지 못합니다.
@pytest.mark.parametrize("seed", [0, 1, 2], ids=lambda s: f"seed={s}")
def test_with_residual_first_layer_gradient_stays_within_a_bounded_factor(seed: int) -> None:
    ratios = first_to_last_ratio(DEPTHS, residual=True, seed=seed)
    assert all(0.1 < ratio < 10 for ratio in ratios.values()), ratios


@pytest.mark.parametrize("seed", [0, 1, 2], ids=lambda s: f"seed={s}")
def test_without_residual_first_layer_gradient_vanishes_with_depth(seed: int) -> None:
    ratios = first_to_last_ratio(DEPTHS, residual=False, seed=seed)
    assert ratios[16] < 1e-2, ratios
    assert ratios[64] < 1e-10, ratios  # 열 자릿수 넘게 줄어듭니다
    deep = [ratios[d] for d in DEPTHS[2:]]
    assert deep == sorted(deep, reverse=True), ratios  # 깊을수록 더 줄어듭니다


# 연습 문제의 풀이(글 「잔차 연결(Residual Connection) 알아보기」)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_post_ln_gives_the_first_layer_less_gradient_than_pre_ln(seed: int) -> None:
    """풀이의 주장: 깊은 더미에서 post-LN의 (첫 층 / 마지막 층) 비는 1보다 작고 pre-LN의 비보다 작습니다."""
    post = ln_gradient_ratio(PostLNSublayer, seed=seed)
    pre = ln_gradient_ratio(PreLNSublayer, seed=seed)
    assert post < 0.8 < pre


def test_ln_gradient_ratio_reads_the_gradient_autograd_gives() -> None:
    """깊이 1이면 첫 층이 곧 마지막 층이라 비는 정확히 1입니다."""
    assert ln_gradient_ratio(PostLNSublayer, depth=1) == 1.0
    assert ln_gradient_ratio(PreLNSublayer, depth=1) == 1.0


def test_one_seed_is_enough_to_tell_plain_from_residual() -> None:
    """풀이의 주장: 시드를 바꿔도 잔차 없는 비의 가장 큰 값이 잔차 있는 비의 가장 작은 값보다 훨씬 작습니다."""
    plain = ratio_over_seeds(32, residual=False, seeds=range(5))
    skip = ratio_over_seeds(32, residual=True, seeds=range(5))
    assert len(set(plain)) == len(set(skip)) == 5  # 시드마다 정말 다른 초기화
    assert max(plain) < 1e-6 < 1 < min(skip)
    assert plain[2] == first_to_last_ratio([32], residual=False, seed=2)[32]
