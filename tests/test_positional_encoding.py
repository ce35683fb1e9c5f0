"""snippets/positional_encoding.py를 transformers의 구현(Marian, GPT-2, T5, Llama)과 견줍니다."""

from __future__ import annotations

import math

import pytest
import torch
from transformers import GPT2Config, GPT2Model, LlamaConfig, T5Config
from transformers.models.llama.modeling_llama import (
    LlamaAttention,
    LlamaRotaryEmbedding,
    apply_rotary_pos_emb,
)
from transformers.models.marian.modeling_marian import MarianSinusoidalPositionalEmbedding
from transformers.models.t5.modeling_t5 import T5Attention

from snippets.attention import causal_mask, use_fused_attention
from snippets.model_inputs import IGNORE_INDEX
from snippets.positional_encoding import (
    SCHEMES,
    Extrapolation,
    PositionConfig,
    PositionModel,
    RotaryAttention,
    accuracy_by_position,
    apply_rotary,
    halves_order,
    look_back_batch,
    position_row_gradients,
    rotary_cos_sin,
    shifted_scores,
    sinusoidal_positions,
    train_look_back,
)

FUSED = pytest.mark.parametrize("fused", [False, True], ids=["taught", "fused"])
WIDTHS = pytest.mark.parametrize("d_model", [7, 8, 13], ids=["odd7", "even8", "odd13"])


@WIDTHS
def test_sinusoidal_halves_layout_matches_marian_sinusoidal_embedding(d_model: int) -> None:
    theirs = MarianSinusoidalPositionalEmbedding(50, d_model).create_weight()  # float32
    ours = sinusoidal_positions(50, d_model, interleaved=False)
    torch.testing.assert_close(ours.float(), theirs)


@WIDTHS
def test_sinusoidal_interleaved_layout_is_the_papers_formula(d_model: int) -> None:
    table = sinusoidal_positions(20, d_model)
    for t in range(20):
        for j in range(d_model):
            angle = t / 10000 ** (2 * (j // 2) / d_model)
            expected = math.sin(angle) if j % 2 == 0 else math.cos(angle)
            assert table[t, j].item() == pytest.approx(expected, abs=1e-12)


@WIDTHS
def test_halves_order_is_the_permutation_between_the_two_layouts(d_model: int) -> None:
    order = halves_order(d_model)
    assert sorted(order.tolist()) == list(range(d_model))  # 순열: 열을 잃지도 겹치지도 않음
    paper, marian = sinusoidal_positions(30, d_model), sinusoidal_positions(30, d_model, False)
    torch.testing.assert_close(paper[:, order], marian)
    torch.testing.assert_close(marian[:, order.argsort()], paper)  # 되돌리기
    assert not torch.equal(paper, marian)  # 두 배치는 정말 다릅니다 (D > 2)


def test_sinusoidal_shift_is_a_rotation_of_each_pair() -> None:
    """논문의 주장: PE(t + k)는 PE(t)의 선형 함수(쌍마다 각도 k·ω만큼의 회전)."""
    D, k = 8, 5
    table = sinusoidal_positions(40, D)
    for i in range(D // 2):
        omega = 1 / 10000 ** (2 * i / D)
        c, s = math.cos(k * omega), math.sin(k * omega)
        rotation = torch.tensor([[c, -s], [s, c]], dtype=torch.float64)
        pair = table[:, 2 * i : 2 * i + 2]  # (T, 2): (sin, cos)
        torch.testing.assert_close(pair[:-k] @ rotation, pair[k:])


def test_learned_positions_match_gpt2_embeddings() -> None:
    V, T, D = 11, 9, 12
    hf = GPT2Model(GPT2Config(vocab_size=V, n_positions=T, n_embd=D, n_layer=1, n_head=2)).eval()
    ours = PositionModel(PositionConfig(positions="learned", vocab_size=V, max_len=T, d_model=D))
    ours.wte.weight.data.copy_(hf.wte.weight)
    ours.wpe.weight.data.copy_(hf.wpe.weight)
    ids = torch.randint(V, (3, 7), generator=torch.Generator().manual_seed(0))
    theirs = hf(ids, output_hidden_states=True).hidden_states[0]  # wte + wpe (eval: 드롭아웃 없음)
    torch.testing.assert_close(ours.embed(ids), theirs)


def test_learned_positions_refuse_inputs_longer_than_the_table() -> None:
    model = PositionModel(PositionConfig(positions="learned", max_len=8))
    with pytest.raises(ValueError, match="8"):
        model(torch.zeros(1, 9, dtype=torch.long))


def test_relative_bias_matches_t5_decoder_compute_bias() -> None:
    H, T = 3, 40
    hf_config = T5Config(num_heads=H, d_model=12, d_kv=4, is_decoder=True)
    hf = T5Attention(hf_config, has_relative_attention_bias=True)
    model = PositionModel(PositionConfig(positions="relative", n_heads=H, d_model=12))
    model.relative.table.weight.data.copy_(hf.relative_attention_bias.weight)
    torch.testing.assert_close(model.relative(T, T), hf.compute_bias(T, T))


@pytest.mark.parametrize("head_dim", [2, 8, 14], ids=["dh2", "dh8", "dh14"])
def test_rotary_cos_sin_match_llama_rotary_embedding(head_dim: int) -> None:
    T = 37
    config = LlamaConfig(hidden_size=head_dim * 2, num_attention_heads=2, head_dim=head_dim)
    rope = LlamaRotaryEmbedding(config)
    x = torch.zeros(1, T, head_dim)
    cos_theirs, sin_theirs = rope(x, torch.arange(T)[None])  # (1, T, Dh), float32로 계산
    cos, sin = rotary_cos_sin(T, head_dim)
    torch.testing.assert_close(cos.float(), cos_theirs[0], atol=1e-5, rtol=0)
    torch.testing.assert_close(sin.float(), sin_theirs[0], atol=1e-5, rtol=0)


def test_apply_rotary_matches_llama_apply_rotary_pos_emb() -> None:
    g = torch.Generator().manual_seed(0)
    B, H, T, Dh = 2, 3, 11, 10
    q, k = torch.randn(2, B, H, T, Dh, generator=g, dtype=torch.float64)
    cos, sin = rotary_cos_sin(T, Dh)
    q_theirs, k_theirs = apply_rotary_pos_emb(q, k, cos[None], sin[None])
    torch.testing.assert_close(apply_rotary(q, cos, sin), q_theirs)
    torch.testing.assert_close(apply_rotary(k, cos, sin), k_theirs)


def test_apply_rotary_is_the_papers_complex_rotation_on_permuted_pairs() -> None:
    """RoFormer는 이웃한 두 값(2i, 2i+1)을 복소수 하나로 보고 e^{i t θ}를 곱합니다.

    Llama의 배치(i, Dh/2 + i)는 그 쌍을 halves_order로 모은 것입니다."""
    T, Dh = 9, 8
    x = torch.randn(T, Dh, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    theta = 1 / 10000 ** (torch.arange(0, Dh, 2, dtype=torch.float64) / Dh)  # (Dh/2,)
    turn = torch.polar(
        torch.ones(T, Dh // 2, dtype=torch.float64), torch.arange(T)[:, None] * theta
    )
    paper = torch.view_as_real(torch.view_as_complex(x.reshape(T, Dh // 2, 2)) * turn).reshape(
        T, Dh
    )
    cos, sin = rotary_cos_sin(T, Dh)
    order = halves_order(Dh)
    torch.testing.assert_close(apply_rotary(x[:, order], cos, sin), paper[:, order])


def test_rotary_keeps_lengths_and_refuses_odd_head_width() -> None:
    x = torch.randn(5, 6, generator=torch.Generator().manual_seed(2), dtype=torch.float64)
    cos, sin = rotary_cos_sin(5, 6)
    torch.testing.assert_close(apply_rotary(x, cos, sin).norm(dim=-1), x.norm(dim=-1))
    with pytest.raises(ValueError, match="홀수"):
        rotary_cos_sin(5, 7)


@FUSED
def test_rotary_attention_matches_llama_attention(fused: bool) -> None:
    B, T, D, H = 2, 13, 24, 3
    config = LlamaConfig(hidden_size=D, num_attention_heads=H, num_key_value_heads=H)
    config._attn_implementation = "eager"
    torch.manual_seed(0)
    hf = LlamaAttention(config, layer_idx=0).double().eval()
    ours = RotaryAttention(D, H, bias=False).double()
    for name in ("q_proj", "k_proj", "v_proj"):
        getattr(ours, name).weight.data.copy_(getattr(hf, name).weight)
    ours.out_proj.weight.data.copy_(hf.o_proj.weight)
    use_fused_attention(ours, fused)
    x = torch.randn(B, T, D, dtype=torch.float64)
    cos, sin = LlamaRotaryEmbedding(config)(x, torch.arange(T)[None])
    mask = causal_mask(T)
    additive = torch.zeros(T, T, dtype=torch.float64).masked_fill(~mask, float("-inf"))
    theirs, _ = hf(x, position_embeddings=(cos.double(), sin.double()), attention_mask=additive)
    torch.testing.assert_close(ours(x, mask=mask), theirs, atol=1e-6, rtol=1e-6)


@pytest.mark.parametrize("positions", SCHEMES)
def test_position_model_is_causal(positions: str) -> None:
    model = PositionModel(PositionConfig(positions=positions, max_len=16), torch.Generator())
    ids = torch.randint(16, (2, 12), generator=torch.Generator().manual_seed(3))
    changed = ids.clone()
    changed[:, -1] = (changed[:, -1] + 1) % 16  # 마지막 토큰만 바꿉니다
    torch.testing.assert_close(model(changed)[:, :-1], model(ids)[:, :-1])


def test_position_model_without_positions_cannot_tell_a_sequence_from_its_shift() -> None:
    """위치가 없으면 같은 토큰이 반복되는 시퀀스에서 모든 위치가 같은 출력을 냅니다.

    RoPE도 그렇습니다: 값(v)은 돌리지 않으므로 같은 값들의 가중 평균은 가중치와 상관없이 같습니다.
    절대 위치를 더하는 방식만 위치마다 다른 출력을 냅니다."""
    same = torch.full((1, 10), 4)
    for positions, differs in [("none", False), ("rotary", False), ("sinusoidal", True)]:
        model = PositionModel(PositionConfig(positions=positions), torch.Generator().manual_seed(0))
        out = model(same)[0]
        assert torch.allclose(out, out[:1].expand_as(out), atol=1e-6) != differs, positions


def test_position_config_names_the_bad_scheme() -> None:
    with pytest.raises(ValueError, match="positions='alibi'"):
        PositionConfig(positions="alibi")


def test_look_back_targets_are_the_tokens_offset_back() -> None:
    ids, targets = look_back_batch(4, 10, 7, 3, torch.Generator().manual_seed(0))
    assert (targets[:, :3] == IGNORE_INDEX).all()
    torch.testing.assert_close(targets[:, 3:], ids[:, :-3])


@pytest.fixture
def one_thread():
    """빌드의 노트북 커널(OMP_NUM_THREADS=1)과 같은 조건: 작은 모델은 스레드 하나가 더 빠릅니다."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def test_extrapolation_learned_fails_beyond_training_length_and_relative_holds(
    one_thread: None,
) -> None:
    setup = Extrapolation()
    learned = accuracy_by_position(train_look_back("learned", setup), setup)
    relative = accuracy_by_position(train_look_back("relative", setup), setup)
    inside, beyond = slice(setup.offset, setup.train_len), slice(setup.train_len, None)
    assert learned[: setup.offset].isnan().all()
    assert learned[inside].mean() > 0.9 and relative[inside].mean() > 0.9
    chance = 1 / PositionConfig().vocab_size
    assert learned[beyond].mean() < 2 * chance < 0.5 < relative[beyond].mean()


def test_rotary_scores_depend_only_on_the_difference_of_positions() -> None:
    for m, n, shift in [(3, 1, 7), (0, 9, 40), (12, 12, 100)]:
        rotated, added = shifted_scores(16, m, n, shift)
        assert rotated < 1e-12  # RoPE: 같은 거리면 같은 점수
        assert added > 1e-3  # 더한 사인파: 절대 위치가 점수를 바꿉니다


def test_learned_rows_beyond_training_length_get_no_gradient(one_thread: None) -> None:
    setup = Extrapolation()
    norms = position_row_gradients(setup)
    assert (norms[: setup.train_len] > 0).all()
    assert (norms[setup.train_len :] == 0).all()
