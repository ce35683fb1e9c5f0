"""snippets/cross_attention.py: 수열 뒤집기를 배운 장난감 인코더-디코더와 그 크로스 어텐션 정렬."""

from __future__ import annotations

import math

import pytest
import torch

from snippets.attention import MultiHeadAttention
from snippets.cross_attention import (
    DecoderLayer,
    ToyConfig,
    ToySeq2Seq,
    forget_source_positions,
    greedy_decode,
    reversal_batch,
    shuffled_memory,
    train_reversal,
)
from snippets.parameters import reset_parameters

CONFIG = ToyConfig()


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """이 파일의 행렬은 아주 작아서, 여러 스레드를 맞추는 비용이 계산보다 큽니다(바쁜 CI에서 몇 배).

    학습이 몇 초 안에 끝나도록 이 파일 안에서만 스레드를 하나로 두고, 끝나면 되돌립니다.
    """
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def trained() -> tuple[ToySeq2Seq, list[float]]:
    """글의 그림과 같은 설정(기본 인자, seed 0)으로 학습한 모델. 몇 초 걸리므로 한 번만 만듭니다."""
    return train_reversal(CONFIG)


def _held_out(batch_size: int = 256) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    # 학습은 seed 0의 생성기로 수열을 뽑으므로, 다른 seed로 처음 보는 수열을 만듭니다.
    return reversal_batch(CONFIG, batch_size, torch.Generator().manual_seed(12345))


def _anti_diagonal_hits(cross: torch.Tensor) -> int:
    """(B, H, T, S) 가중치의 배치·헤드 평균에서, 출력 위치 t가 가장 크게 보는 입력 위치가 S-1-t인 t의 수."""
    alignment = cross.mean(dim=(0, 1))  # (T, S)
    S = alignment.size(-1)
    reversed_positions = torch.arange(S - 1, -1, -1)
    return int((alignment.argmax(-1) == reversed_positions).sum())


def test_reversal_batch_targets_are_reversed_sources_and_decoder_input_is_shifted() -> None:
    src, tgt_in, tgt = reversal_batch(CONFIG, 4, torch.Generator().manual_seed(0))
    assert torch.equal(tgt, src.flip(1))
    assert (tgt_in[:, 0] == CONFIG.n_digits).all()  # 시작 토큰
    assert torch.equal(tgt_in[:, 1:], tgt[:, :-1])


def test_training_is_deterministic_under_a_seed() -> None:
    _, losses_a = train_reversal(CONFIG, steps=5, seed=7)
    _, losses_b = train_reversal(CONFIG, steps=5, seed=7)
    assert losses_a == losses_b


def test_trained_model_loss_falls_far_below_chance(trained) -> None:
    _, losses = trained
    # 처음 손실은 숫자 10개에 대한 무작위 추측 ln(10) = 2.30 근처입니다. 마지막 20단계의 평균 손실이
    # 0.05보다 작으면 정답 숫자에 평균 exp(-0.05) = 95% 넘는 확률을 준다는 뜻이라, "뒤집기를 배웠다"는
    # 글의 말을 뒷받침합니다(seed 0에서 실제로는 0.01 아래로 내려갑니다).
    assert abs(losses[0] - math.log(CONFIG.n_digits)) < 0.5
    assert sum(losses[-20:]) / 20 < 0.05


def test_trained_model_reverses_sequences_it_has_not_seen(trained) -> None:
    model, _ = trained
    src, _, tgt = _held_out()
    accuracy = (greedy_decode(model, src) == tgt).all(dim=1).float().mean().item()
    assert accuracy > 0.95


def test_cross_attention_aligns_each_output_with_the_reversed_input_position(trained) -> None:
    model, _ = trained
    src, tgt_in, _ = _held_out()
    with torch.no_grad():
        cross = model(src, tgt_in).cross_attention  # (B, H, T, S)
    # 출력 위치 t는 입력 위치 S-1-t를 복사해야 하므로, 정렬은 역대각선이어야 합니다.
    assert _anti_diagonal_hits(cross) >= CONFIG.seq_len - 1
    on_anti_diagonal = cross.mean(dim=(0, 1)).flip(-1).diagonal()  # (T,): t마다 S-1-t의 가중치
    assert on_anti_diagonal.mean() > 0.5  # 균등하게 퍼졌다면 1/S = 0.125


def test_untrained_model_has_no_alignment_yet() -> None:
    # 정렬이 구조에 미리 들어 있지 않고 학습으로 생긴다는 확인(같은 seed, 학습 0단계).
    model, _ = train_reversal(CONFIG, steps=0)
    src, tgt_in, _ = _held_out()
    with torch.no_grad():
        cross = model(src, tgt_in).cross_attention
    on_anti_diagonal = cross.mean(dim=(0, 1)).flip(-1).diagonal()
    assert on_anti_diagonal.mean() < 0.25


def test_cross_attention_weights_have_shape_t_by_s_and_rows_sum_to_one() -> None:
    torch.manual_seed(0)
    layer = DecoderLayer(CONFIG).eval()
    x, memory = torch.randn(2, 3, CONFIG.d_model), torch.randn(2, 5, CONFIG.d_model)  # T=3, S=5
    weights = layer.cross_attention_weights(x, memory)
    assert weights.shape == (2, CONFIG.n_heads, 3, 5)
    torch.testing.assert_close(weights.sum(-1), torch.ones(2, CONFIG.n_heads, 3))
    assert layer(x, memory).shape == x.shape


@pytest.mark.parametrize("t", [0, 3, 6], ids=lambda t: f"t={t}")
def test_decoder_future_tokens_do_not_change_past_logits(t: int) -> None:
    torch.manual_seed(0)
    model = ToySeq2Seq(CONFIG).eval()
    src, tgt_in, _ = reversal_batch(CONFIG, 2, torch.Generator().manual_seed(0))
    changed = tgt_in.clone()
    changed[:, t + 1 :] = (changed[:, t + 1 :] + 1) % CONFIG.n_digits
    with torch.no_grad():
        before, after = model(src, tgt_in).logits, model(src, changed).logits
    torch.testing.assert_close(after[:, : t + 1], before[:, : t + 1])
    assert not torch.allclose(after[:, t + 1 :], before[:, t + 1 :])


# 연습 문제의 풀이(글 「크로스 어텐션에 대해서 알려줘」)


def test_shuffling_memory_does_not_change_the_cross_attention_output() -> None:
    """풀이의 주장: memory의 위치를 섞어도 크로스 어텐션의 출력은 같습니다(float64에서 반올림 오차 안)."""
    g = torch.Generator().manual_seed(0)
    attn = reset_parameters(MultiHeadAttention(16, 4), g).double()
    x = torch.randn(2, 5, 16, generator=g, dtype=torch.float64)
    memory = torch.randn(2, 7, 16, generator=g, dtype=torch.float64)
    order = torch.randperm(7, generator=g)
    assert not torch.equal(order, torch.arange(7))
    before, after = shuffled_memory(attn, x, memory, order)
    # 풀이가 정말 order로 섞어 넣는지: context를 그대로 돌려주는 층으로 봅니다.
    _, seen = shuffled_memory(lambda x, context: context, x, memory, order)
    assert torch.equal(seen, memory[:, order])
    torch.testing.assert_close(before, attn(x, context=memory))
    torch.testing.assert_close(after, before)
    # 쿼리 쪽은 다릅니다: x를 섞으면 출력의 행도 같이 섞입니다(순서가 그대로 남음).
    torch.testing.assert_close(attn(x[:, order[:5] % 5], context=memory), before[:, order[:5] % 5])


def test_without_source_positions_the_model_cannot_tell_the_order_of_its_input() -> None:
    """풀이의 주장: src_positions를 지우면 입력을 뒤집어 넣어도 로짓이 같고, 원래 모델은 다릅니다."""
    model, _ = train_reversal(CONFIG, steps=3)
    src, tgt_in, _ = reversal_batch(CONFIG, 4, torch.Generator().manual_seed(3))
    blind = forget_source_positions(model)
    with torch.no_grad():
        same = blind(src, tgt_in).logits, blind(src.flip(1), tgt_in).logits
        differ = model(src, tgt_in).logits, model(src.flip(1), tgt_in).logits
    torch.testing.assert_close(*same)
    assert not torch.allclose(*differ)
    assert model.src_positions.weight.abs().sum() > 0  # 사본만 지웁니다
