"""snippets/original_transformer.py: 시리즈의 부품으로 조립한 원래 트랜스포머를 남이 쓴 구현과 견줍니다.

- 모델: torch.nn.Transformer(post-LN, norm_first=False)에 같은 가중치를 넣고, 인과 마스크와 패딩 마스크,
  홀수 크기에서 두 어텐션 길(풀어 쓴 길과 융합 커널)로 견줍니다.
- 사인파 위치: transformers의 XLM이 쓰는 create_sinusoidal_embeddings(논문처럼 사인·코사인을 번갈아 둠).
- 워밍업 학습률: transformers의 get_inverse_sqrt_schedule에 꼭대기 학습률을 곱한 것.
- 레이블 스무딩: F.cross_entropy(label_smoothing=...).
"""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from snippets.attention import use_fused_attention
from snippets.model_inputs import IGNORE_INDEX
from snippets.original_transformer import (
    DecoderLayer,
    EncoderLayer,
    ReversalTask,
    Transformer,
    TransformerConfig,
    as_digits,
    attention_cost,
    embedding_scale,
    from_torch,
    greedy_decode,
    label_smoothed_loss,
    reversal_pairs,
    smoothed_loss_at_margin,
    train_reversal,
    warmup_learning_rate,
)
from snippets.positional_encoding import sinusoidal_positions

# 홀수 크기: 폭 15, 헤드 3(헤드 폭 5), 피드포워드 21, 어휘 11, 층 2
SMALL = dict(vocab_size=11, d_model=15, n_heads=3, d_ff=21, n_layers=2, dropout=0.0)
TASK = ReversalTask()
# 헤드 수가 홀수이면 nn.Transformer가 중첩 텐서(nested tensor) 빠른 길을 쓰지 않는다고 알립니다: 의도한 것입니다.
pytestmark = pytest.mark.filterwarnings("ignore:enable_nested_tensor is True")


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """이 파일의 행렬은 아주 작아서 여러 스레드를 맞추는 비용이 계산보다 큽니다(바쁜 CI에서 몇 배)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def _reference(config: TransformerConfig) -> tuple[nn.Transformer, nn.Embedding]:
    """무작위 가중치의 nn.Transformer(논문처럼 post-LN)와 임베딩. 끝의 레이어 정규화는 뺍니다."""
    torch.manual_seed(0)
    ref = nn.Transformer(
        d_model=config.d_model,
        nhead=config.n_heads,
        num_encoder_layers=config.n_layers,
        num_decoder_layers=config.n_layers,
        dim_feedforward=config.d_ff,
        dropout=0.0,
        batch_first=True,
        norm_first=False,
    ).double()
    ref.encoder.norm = None  # 논문에 없는 더미 끝의 정규화
    ref.decoder.norm = None
    return ref.eval(), nn.Embedding(config.vocab_size, config.d_model).double()


def _inputs() -> tuple[torch.Tensor, torch.Tensor]:
    """길이가 다른 원문 셋(뒤는 패딩 0)과 디코더 입력: S = 7, T = 5."""
    g = torch.Generator().manual_seed(1)
    src = torch.randint(1, 11, (3, 7), generator=g)
    src[0, 5:] = 0
    src[1, 3:] = 0
    return src, torch.randint(1, 11, (3, 5), generator=g)


def _reference_logits(
    ref: nn.Transformer, embed: nn.Embedding, src: torch.Tensor, tgt_in: torch.Tensor
) -> torch.Tensor:
    """nn.Transformer에 논문의 입력(sqrt(D)를 곱한 임베딩 + 사인파 위치)과 마스크를 넣고, 묶인 출력층으로."""
    D = embed.embedding_dim

    def embed_(ids: torch.Tensor) -> torch.Tensor:
        return embed(ids) * math.sqrt(D) + sinusoidal_positions(ids.size(1), D)

    T = tgt_in.size(1)
    pad = src == 0  # nn.Transformer의 약속: True = 가림
    out = ref(
        embed_(src),
        embed_(tgt_in),
        tgt_mask=nn.Transformer.generate_square_subsequent_mask(T, dtype=torch.bool),
        src_key_padding_mask=pad,
        memory_key_padding_mask=pad,
        tgt_is_causal=True,
    )
    return out @ embed.weight.T


@pytest.mark.parametrize("fused", [False, True], ids=["taught", "fused"])
@torch.no_grad()
def test_transformer_matches_torch_nn_transformer_with_causal_and_padding_masks(
    fused: bool,
) -> None:
    config = TransformerConfig(**SMALL)
    ref, embed = _reference(config)
    model = use_fused_attention(from_torch(ref, embed, config).double(), fused)
    src, tgt_in = _inputs()
    torch.testing.assert_close(model(src, tgt_in), _reference_logits(ref, embed, src, tgt_in))


@torch.no_grad()
def test_encoder_matches_torch_encoder_at_real_positions() -> None:
    config = TransformerConfig(**SMALL)
    ref, embed = _reference(config)
    model = from_torch(ref, embed, config).double()
    src, _ = _inputs()
    memory, keep = model.encode(src)
    x = embed(src) * math.sqrt(config.d_model) + sinusoidal_positions(7, 15)
    theirs = ref.encoder(x, src_key_padding_mask=src == 0)
    real = keep[:, 0, 0]  # (B, S): 패딩 자리의 출력은 아무도 읽지 않습니다
    torch.testing.assert_close(memory[real], theirs[real])


def test_porting_refuses_torch_final_layer_norms_the_paper_does_not_have() -> None:
    config = TransformerConfig(**SMALL)
    torch.manual_seed(0)
    ref = nn.Transformer(
        d_model=15, nhead=3, num_encoder_layers=2, num_decoder_layers=2, dim_feedforward=21,
        dropout=0.0, batch_first=True,
    )  # fmt: skip
    with pytest.raises(ValueError, match="옮길 자리가 없는 가중치.*encoder.norm"):
        from_torch(ref, nn.Embedding(11, 15), config)


def test_embedding_is_shared_by_source_target_and_output_layer() -> None:
    model = Transformer(TransformerConfig(**SMALL))
    src, tgt_in = _inputs()
    logits = model(src, tgt_in)
    logits.sum().backward()
    # 출력층은 따로 없고, 임베딩 하나가 파라미터 목록에 한 번 나옵니다.
    names = [name for name, _ in model.named_parameters() if "embed" in name]
    assert names == ["embed.weight"] and model.embed.weight.grad is not None
    assert logits.shape == (3, 5, SMALL["vocab_size"])


def test_decoder_position_does_not_see_later_target_tokens() -> None:
    model = Transformer(TransformerConfig(**SMALL)).eval()
    src, tgt_in = _inputs()
    changed = tgt_in.clone()
    changed[:, 3] = (changed[:, 3] % 10) + 1  # 위치 3의 토큰만 바꿉니다
    with torch.no_grad():
        before, after = model(src, tgt_in), model(src, changed)
    torch.testing.assert_close(before[:, :3], after[:, :3], rtol=0, atol=0)
    assert not torch.allclose(before[:, 3:], after[:, 3:])


def test_padded_source_tokens_do_not_change_the_output() -> None:
    model = Transformer(TransformerConfig(**SMALL)).eval()
    src, tgt_in = _inputs()
    longer = torch.cat([src, torch.zeros(3, 4, dtype=torch.long)], 1)  # 패딩만 더 붙입니다
    with torch.no_grad():
        torch.testing.assert_close(model(src, tgt_in), model(longer, tgt_in))


def test_layers_are_post_ln_sublayers_of_the_series_parts() -> None:
    config = TransformerConfig(**SMALL)
    encoder, decoder = EncoderLayer(config), DecoderLayer(config)
    kinds = {type(m).__name__ for m in (*encoder.children(), *decoder.children())}
    assert kinds == {"PostLNSublayer"}


def test_config_rejects_a_width_the_heads_do_not_divide() -> None:
    with pytest.raises(ValueError, match="나누어떨어지지 않습니다"):
        TransformerConfig(d_model=16, n_heads=3)


def test_model_rejects_token_ids_outside_the_vocabulary() -> None:
    model = Transformer(TransformerConfig(**SMALL))
    src, tgt_in = _inputs()
    with pytest.raises(ValueError, match="tgt_in에 어휘 밖의 id 11"):
        model(src, torch.full_like(tgt_in, 11))


@pytest.mark.parametrize("shape", [(50, 16), (7, 9)], ids=["even-width", "odd-width"])
def test_sinusoidal_positions_match_transformers_xlm(shape: tuple[int, int]) -> None:
    from transformers.models.xlm.modeling_xlm import create_sinusoidal_embeddings

    T, D = shape
    theirs = create_sinusoidal_embeddings(T, D, torch.empty(T, D))
    torch.testing.assert_close(sinusoidal_positions(T, D).float(), theirs)


def test_sinusoidal_positions_follow_the_papers_formula_at_one_entry() -> None:
    pe = sinusoidal_positions(10, 8)
    # PE(pos=7, 2i=4) = sin(7 / 10000^(4/8)), PE(7, 5) = cos(같은 각)
    assert pe[7, 4].item() == pytest.approx(math.sin(7 / 10000 ** (4 / 8)))
    assert pe[7, 5].item() == pytest.approx(math.cos(7 / 10000 ** (4 / 8)))


def test_warmup_learning_rate_matches_transformers_inverse_sqrt_schedule() -> None:
    from transformers import get_inverse_sqrt_schedule

    d_model, warmup = 512, 4000
    peak = (d_model * warmup) ** -0.5
    opt = torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=peak)
    schedule = get_inverse_sqrt_schedule(opt, num_warmup_steps=warmup)
    for step in range(1, 3 * warmup):
        opt.step()
        schedule.step()  # 이제 스텝 번호가 step
        if step % 97 == 0 or step in (1, warmup - 1, warmup, warmup + 1):
            ours = warmup_learning_rate(step, d_model, warmup)
            assert ours == pytest.approx(schedule.get_last_lr()[0], rel=1e-12), step


def test_warmup_learning_rate_peaks_at_the_last_warmup_step() -> None:
    rates = [warmup_learning_rate(s, 64, 100) for s in range(1, 400)]
    assert rates.index(max(rates)) + 1 == 100


@pytest.mark.parametrize("epsilon", [0.0, 0.1, 0.3], ids=["none", "paper", "strong"])
def test_label_smoothed_loss_matches_torch_cross_entropy(epsilon: float) -> None:
    g = torch.Generator().manual_seed(0)
    logits = torch.randn(13, 7, generator=g, dtype=torch.float64)
    labels = torch.randint(7, (13,), generator=g)
    labels[[2, 5]] = IGNORE_INDEX
    theirs = F.cross_entropy(logits, labels, label_smoothing=epsilon, ignore_index=IGNORE_INDEX)
    torch.testing.assert_close(label_smoothed_loss(logits, labels, epsilon), theirs)


def test_smoothed_loss_is_smallest_at_the_smoothed_target_and_equals_its_entropy() -> None:
    V, eps = 13, 0.1
    target = torch.full((V,), eps / V, dtype=torch.float64)
    target[0] += 1 - eps
    best = math.log(target[0] / target[1])  # 로짓 차이 = 스무딩한 분포의 로그 확률 차이
    entropy = torch.distributions.Categorical(probs=target).entropy().item()
    assert smoothed_loss_at_margin(V, eps, best) == pytest.approx(entropy, rel=1e-12)
    assert smoothed_loss_at_margin(V, eps, best + 5) > smoothed_loss_at_margin(V, eps, best)
    # 스무딩이 없으면 더 확신할수록 손실이 줄기만 합니다.
    assert smoothed_loss_at_margin(V, 0.0, best + 5) < smoothed_loss_at_margin(V, 0.0, best)


def test_embedding_scale_brings_tied_embeddings_to_the_size_of_the_positions() -> None:
    config = TransformerConfig(vocab_size=1000, d_model=256, n_heads=4, d_ff=8, n_layers=1)
    scale = embedding_scale(Transformer(config), T=64)
    assert scale["embedding"] == pytest.approx(256**-0.5, rel=0.02)
    assert scale["scaled"] == pytest.approx(1.0, rel=0.02)
    assert scale["embedding"] < scale["positions"] / 5 < scale["scaled"]


def test_reversal_pairs_reverse_real_tokens_and_shift_the_decoder_input() -> None:
    src, tgt_in, labels = reversal_pairs(TASK, 32, torch.Generator().manual_seed(0))
    for s, t, y in zip(src.tolist(), tgt_in.tolist(), labels.tolist(), strict=True):
        digits = [d for d in s if d != TASK.pad_id]
        n = len(digits)
        assert TASK.min_len <= n <= TASK.max_len and s[n:] == [TASK.pad_id] * (len(s) - n)
        assert y[: n + 1] == [*digits[::-1], TASK.eos_id]
        assert y[n + 1 :] == [IGNORE_INDEX] * (len(y) - n - 1)
        assert t[: n + 1] == [TASK.bos_id, *digits[::-1]]  # 정답을 한 칸 밀어 놓은 것


def test_attention_cost_counts_the_papers_formulas() -> None:
    # 투영 넷은 각각 2*T*D*D FLOP, QK^T와 (가중치)V는 각각 2*T*T*D FLOP (표 1의 O(n^2 d)).
    for T, D, H in [(10, 24, 3), (33, 16, 4)]:
        cost = attention_cost(T, D, H)
        assert cost["projection_flops"] == 4 * 2 * T * D * D
        assert cost["attention_flops"] == 2 * 2 * T * T * D
        assert cost["weight_bytes"] == H * T * T * 4  # float32


@pytest.fixture(scope="module")
def trained() -> tuple[Transformer, list[float], list[float]]:
    """글과 같은 설정으로 학습한 모델. 몇 초 걸리므로 한 번만 만듭니다."""
    config = TransformerConfig(
        vocab_size=TASK.vocab_size, d_model=32, n_heads=4, d_ff=64, n_layers=2, dropout=0.0
    )
    return train_reversal(config, TASK)


def test_training_follows_the_warmup_schedule_and_learns_to_reverse(trained) -> None:
    model, losses, rates = trained
    assert rates[0] == pytest.approx(warmup_learning_rate(1, 32, 100))
    assert rates.index(max(rates)) + 1 == 100
    assert sum(losses[-20:]) / 20 < losses[0] / 3
    src, _, _ = reversal_pairs(TASK, 128, torch.Generator().manual_seed(12345))
    out = greedy_decode(model, src, TASK.bos_id, TASK.eos_id, TASK.max_len + 1)
    right = [
        as_digits(o, TASK) == as_digits(s, TASK)[::-1]
        for s, o in zip(src.tolist(), out.tolist(), strict=True)
    ]
    assert sum(right) / len(right) > 0.8


def test_training_is_the_same_for_the_same_seed_without_dropout(trained) -> None:
    config = TransformerConfig(
        vocab_size=TASK.vocab_size, d_model=32, n_heads=4, d_ff=64, n_layers=2, dropout=0.0
    )
    _, losses, _ = train_reversal(config, TASK, steps=5)
    assert losses == trained[1][:5]


def test_greedy_decode_equals_argmax_of_a_full_teacher_forced_pass(trained) -> None:
    """탐욕적 디코딩의 출력을 디코더 입력으로 한 번에 넣으면, 위치마다 argmax가 그 출력과 같습니다."""
    model = trained[0]
    src, _, _ = reversal_pairs(TASK, 16, torch.Generator().manual_seed(7))
    out = greedy_decode(model, src, TASK.bos_id, TASK.eos_id, 4)
    tgt_in = torch.cat([torch.full((16, 1), TASK.bos_id), out[:, :-1]], 1)
    with torch.no_grad():
        again = model(src, tgt_in).argmax(-1)
    finished = torch.cumsum(out == TASK.eos_id, 1) - (out == TASK.eos_id).long() > 0
    assert torch.equal(again[~finished], out[~finished])  # EOS 뒤는 EOS로 채운 자리
