"""snippets/bart.py를 transformers의 BART와 견주고, 노이즈 함수의 성질을 확인합니다."""

from __future__ import annotations

import itertools
import math

import pytest
import torch
from transformers import BartConfig as HFBartConfig
from transformers import BartForConditionalGeneration

from snippets.attention import use_fused_attention
from snippets.bart import (
    Bart,
    BartConfig,
    LearnedPositions,
    bart_preset,
    document_rotation,
    poisson_span_lengths,
    sentence_permutation,
    text_infilling,
    token_deletion,
    token_masking,
)
from snippets.parameters import count_parameters
from tests.conftest import assert_seq2seq_matches

# 작은 무작위 설정들: 2의 거듭제곱이 아닌 폭(36, 40, 30)과 헤드 폭(12, 8, 10)을 섞었습니다.
CONFIGS = {
    "d24-h2-l2": dict(d_model=24, n_heads=2, d_ff=40, n_layers=2, vocab_size=53, max_len=20),
    "d36-h3-l1": dict(d_model=36, n_heads=3, d_ff=50, n_layers=1, vocab_size=37, max_len=16),
    "d40-h5-l3": dict(d_model=40, n_heads=5, d_ff=64, n_layers=3, vocab_size=64, max_len=24),
    "d30-h3-l2": dict(d_model=30, n_heads=3, d_ff=70, n_layers=2, vocab_size=45, max_len=18),
}


def _reference(
    d_model, n_heads, d_ff, n_layers, vocab_size, max_len, seed=0
) -> BartForConditionalGeneration:
    """transformers의 BART를 설정에서 만들고, 모든 파라미터와 final_logits_bias를 무작위로 채웁니다.

    초기값 그대로면 LayerNorm은 (1, 0), 편향 버퍼는 0이라 이름을 잘못 옮겨도 티가 나지 않습니다.
    """
    config = HFBartConfig(
        vocab_size=vocab_size,
        max_position_embeddings=max_len,
        d_model=d_model,
        encoder_layers=n_layers,
        decoder_layers=n_layers,
        encoder_attention_heads=n_heads,
        decoder_attention_heads=n_heads,
        encoder_ffn_dim=d_ff,
        decoder_ffn_dim=d_ff,
        dropout=0.0,
    )
    torch.manual_seed(seed)
    model = BartForConditionalGeneration(config).double().eval()
    g = torch.Generator().manual_seed(seed + 1)
    with torch.no_grad():
        for p in [*model.parameters(), model.final_logits_bias]:
            p.copy_(0.5 * torch.randn(p.shape, generator=g, dtype=p.dtype))
    return model


def _batch(vocab_size: int, S: int, T: int, seed: int = 0):
    g = torch.Generator().manual_seed(seed)
    src = torch.randint(3, vocab_size, (2, S), generator=g)
    tgt = torch.randint(3, vocab_size, (2, T), generator=g)
    return src, tgt


@pytest.mark.parametrize("fused", [False, True], ids=["taught", "fused"])
@pytest.mark.parametrize("name", CONFIGS, ids=CONFIGS)
def test_bart_logits_and_loss_match_transformers_with_padding(name: str, fused: bool) -> None:
    cfg = CONFIGS[name]
    hf = _reference(**cfg)
    ours = use_fused_attention(Bart.from_transformers(hf), fused)
    S, T = cfg["max_len"] - 3, cfg["max_len"] - 6
    src, tgt = _batch(cfg["vocab_size"], S, T)
    src_lengths, tgt_lengths = torch.tensor([S, S - 5]), torch.tensor([T - 2, T])
    assert_seq2seq_matches(hf, ours, src, tgt, src_lengths, tgt_lengths)


@pytest.mark.parametrize("from_labels", [True, False], ids=["shift-labels", "shift-inputs"])
def test_bart_makes_decoder_inputs_like_transformers(from_labels: bool) -> None:
    cfg = CONFIGS["d24-h2-l2"]
    hf = _reference(**cfg, seed=3)
    ours = Bart.from_transformers(hf).eval()
    src, tgt = _batch(cfg["vocab_size"], 12, 9, seed=4)
    labels = tgt.clone()
    labels[1, -3:] = -100  # 손실에서 뺄 자리; 디코더 입력에서는 패딩으로 바뀌어야 합니다
    if from_labels:
        expected, got = hf(input_ids=src, labels=labels), ours(src, labels=labels)
        torch.testing.assert_close(got.loss, expected.loss)
    else:
        expected, got = hf(input_ids=src), ours(src)
    torch.testing.assert_close(got.logits, expected.logits)


def test_learned_positions_use_rows_offset_by_two() -> None:
    positions = LearnedPositions(max_len=8, d_model=4)
    assert positions.table.num_embeddings == 8 + 2
    torch.testing.assert_close(positions(3), positions.table.weight[2:5])


def _tiny() -> BartConfig:
    return BartConfig(
        vocab_size=30, max_len=16, d_model=16, n_layers=2, n_heads=2, d_ff=32, dropout=0.0
    )


def test_bart_future_decoder_tokens_do_not_change_past_logits() -> None:
    torch.manual_seed(0)
    model = Bart(_tiny()).eval()
    src = torch.randint(3, 30, (1, 7))
    tgt = torch.randint(3, 30, (1, 6))
    changed = tgt.clone()
    changed[0, 4:] = (changed[0, 4:] + 1) % 30
    a = model(src, decoder_input_ids=tgt).logits
    b = model(src, decoder_input_ids=changed).logits
    torch.testing.assert_close(a[:, :4], b[:, :4])
    assert not torch.allclose(a[:, 4:], b[:, 4:])


def test_bart_padded_source_tokens_do_not_change_logits() -> None:
    torch.manual_seed(0)
    model = Bart(_tiny()).eval()
    src = torch.randint(3, 30, (1, 9))
    noisy = src.clone()
    noisy[0, 6:] = 1  # 길이 6 뒤의 패딩 자리를 바꿉니다
    tgt = torch.randint(3, 30, (1, 5))
    lengths = torch.tensor([6])
    a = model(src, decoder_input_ids=tgt, src_lengths=lengths).logits
    b = model(noisy, decoder_input_ids=tgt, src_lengths=lengths).logits
    torch.testing.assert_close(a, b)
    assert not torch.allclose(a, model(noisy, decoder_input_ids=tgt).logits)


def test_bart_logits_bias_is_a_buffer_and_parameters_are_counted_like_transformers() -> None:
    hf = _reference(**CONFIGS["d24-h2-l2"])
    ours = Bart.from_transformers(hf)
    assert "final_logits_bias" in dict(ours.named_buffers())
    assert "final_logits_bias" not in dict(ours.named_parameters())
    # 출력 층이 임베딩과 묶여 있어야 참조 구현과 파라미터 수가 같습니다.
    assert count_parameters(ours) == sum(p.numel() for p in hf.parameters())


# 공개된 크기. fairseq의 BART README 표: bart.base 140M, bart.large 400M.
# 반올림 단위는 공개된 수의 마지막 0이 아닌 자리(140M -> 1천만 단위, 400M -> 1억 단위)로 봅니다.
PUBLISHED = {"bart-base": (140_000_000, 10_000_000), "bart-large": (400_000_000, 100_000_000)}
# 허브에 올라간 facebook/bart-base, facebook/bart-large의 config.json 값 (프리셋과 따로 적어 둡니다).
HUB_CONFIGS = {
    "bart-base": dict(d_model=768, n_layers=6, n_heads=12, d_ff=3072),
    "bart-large": dict(d_model=1024, n_layers=12, n_heads=16, d_ff=4096),
}


def _hub_config(d_model: int, n_layers: int, n_heads: int, d_ff: int) -> HFBartConfig:
    return HFBartConfig(
        vocab_size=50265,
        max_position_embeddings=1024,
        d_model=d_model,
        encoder_layers=n_layers,
        decoder_layers=n_layers,
        encoder_attention_heads=n_heads,
        decoder_attention_heads=n_heads,
        encoder_ffn_dim=d_ff,
        decoder_ffn_dim=d_ff,
    )


def test_bart_base_has_139_420_416_parameters() -> None:
    with torch.device("meta"):
        assert count_parameters(Bart(bart_preset("bart-base"))) == 139_420_416


@pytest.mark.parametrize("name", PUBLISHED, ids=PUBLISHED)
def test_bart_preset_matches_transformers_and_published_size(name: str) -> None:
    with torch.device("meta"):
        ours = count_parameters(Bart(bart_preset(name)))
        reference = sum(
            p.numel()
            for p in BartForConditionalGeneration(_hub_config(**HUB_CONFIGS[name])).parameters()
        )
    assert ours == reference
    published, unit = PUBLISHED[name]
    assert round(ours / unit) * unit == published


# ---- 노이즈 함수 -------------------------------------------------------------------------------
# 허용 오차는 표본 분포에서 옵니다: 독립 시행 n번의 비율은 표준편차 sqrt(p(1-p)/n), Poisson(lambda)
# 구간 K개의 평균 길이는 표준편차 sqrt(lambda/K)입니다. 5 표준편차를 넘으면(우연히 일어날 확률
# 약 6e-7) 실패합니다. 시드가 고정되어 있으므로 결과는 매번 같습니다.

MASK = 0
N_DOC = 1000


def _doc(n: int = N_DOC) -> torch.Tensor:
    """서로 다른 오름차순 토큰 (100, 101, ...): 순서가 지켜졌는지 값만 보고 알 수 있습니다."""
    return torch.arange(100, 100 + n)


def test_token_masking_replaces_the_expected_fraction_in_place() -> None:
    p, n = 0.15, 20_000
    doc = _doc(n)
    out = token_masking(doc, MASK, p, torch.Generator().manual_seed(0))
    hit = out == MASK
    assert out.shape == doc.shape
    assert torch.equal(out[~hit], doc[~hit])
    assert abs(hit.float().mean().item() - p) < 5 * math.sqrt(p * (1 - p) / n)


def test_token_deletion_keeps_the_rest_in_order_and_deletes_the_expected_fraction() -> None:
    p, n = 0.15, 20_000
    out = token_deletion(_doc(n), p, torch.Generator().manual_seed(0))
    assert (out.diff() > 0).all()
    assert abs((1 - out.numel() / n) - p) < 5 * math.sqrt(p * (1 - p) / n)


def test_text_infilling_keeps_unmasked_tokens_in_order_and_masks_the_expected_fraction() -> None:
    g = torch.Generator().manual_seed(0)
    for n in (1, 7, 50, N_DOC):
        out = text_infilling(_doc(n), MASK, mask_ratio=0.3, generator=g)
        kept = out[out != MASK]
        assert (kept.diff() > 0).all()
        assert n - kept.numel() == round(0.3 * n)
        assert ((out == MASK).sum() > 0) == (round(0.3 * n) > 0)


def test_text_infilling_span_lengths_follow_poisson_3_including_zero_length_spans() -> None:
    g = torch.Generator().manual_seed(1)
    masked, spans, zero_spans = 0, 0, 0
    for _ in range(20):
        out = text_infilling(_doc(), MASK, mask_ratio=0.3, poisson_lambda=3.0, generator=g)
        masked += N_DOC - int((out != MASK).sum())
        spans += int((out == MASK).sum())
        # 원문에서 이웃한 두 토큰 사이에 놓인 [MASK]는 길이 0인 구간(끼워 넣기)입니다.
        tokens = out.tolist()
        for i, token in enumerate(tokens):
            if token != MASK:
                continue
            left = next((t for t in reversed(tokens[:i]) if t != MASK), 99)
            right = next((t for t in tokens[i + 1 :] if t != MASK), 100 + N_DOC)
            zero_spans += right == left + 1
    # 문서마다 마지막 구간이 잘려 생기는 치우침은 약 lambda^2/(가릴 수)=9/300=0.03으로 허용 오차보다 작습니다.
    assert abs(masked / spans - 3.0) < 5 * math.sqrt(3.0 / spans)
    assert zero_spans > 0


def test_poisson_span_lengths_sum_exactly_and_match_poisson_moments() -> None:
    lam = 3.0
    g = torch.Generator().manual_seed(0)
    lengths = poisson_span_lengths(30_000, lam, g)
    assert int(lengths.sum()) == 30_000
    body = lengths[:-1].double()  # 마지막 구간은 합을 맞추려고 잘렸으므로 뺍니다
    K = body.numel()
    assert abs(body.mean().item() - lam) < 5 * math.sqrt(lam / K)
    p0 = math.exp(-lam)  # Poisson(3)에서 길이 0의 확률, 약 0.0498
    assert abs((body == 0).double().mean().item() - p0) < 5 * math.sqrt(p0 * (1 - p0) / K)


def test_sentence_permutation_reorders_whole_sentences() -> None:
    stop = 1
    sentences = [
        [5, 6, stop],
        [7, stop],
        [8, 9, 10, stop],
        [11, stop],
        [12],
    ]  # 마지막은 마침표 없음
    doc = torch.tensor(sum(sentences, []))
    orders = set()
    for seed in range(30):
        out = sentence_permutation(doc, stop, torch.Generator().manual_seed(seed)).tolist()
        order = next(
            (
                p
                for p in itertools.permutations(range(5))
                if sum((sentences[i] for i in p), []) == out
            ),
            None,
        )
        assert order is not None, out  # 문장들을 어떤 순서로 이어 붙인 것이어야 합니다
        orders.add(order)
    assert len(orders) > 10  # 순서가 실제로 바뀝니다


def test_document_rotation_is_a_rotation_starting_at_a_uniform_token() -> None:
    doc = _doc(10)
    starts = []
    for seed in range(2000):
        out = document_rotation(doc, torch.Generator().manual_seed(seed))
        k = int(out[0]) - 100
        assert torch.equal(out, torch.roll(doc, -k))
        starts.append(k)
    counts = torch.bincount(torch.tensor(starts), minlength=10).double()
    # 각 시작 위치의 횟수는 Binomial(2000, 1/10): 평균 200, 표준편차 sqrt(2000*0.1*0.9) = 13.4
    assert (counts - 200).abs().max() < 5 * math.sqrt(2000 * 0.1 * 0.9)


NOISES = {
    "token-masking": lambda doc, g: token_masking(doc, MASK, 0.15, g),
    "token-deletion": lambda doc, g: token_deletion(doc, 0.15, g),
    "text-infilling": lambda doc, g: text_infilling(doc, MASK, generator=g),
    "sentence-permutation": lambda doc, g: sentence_permutation(doc, 107, g),
    "document-rotation": lambda doc, g: document_rotation(doc, g),
}


@pytest.mark.parametrize("name", NOISES, ids=NOISES)
def test_same_seed_gives_same_corruption(name: str) -> None:
    noise = NOISES[name]
    doc = _doc(200)
    doc[7::8] = 107  # 문장 섞기를 위한 마침표 자리 (여러 문장)
    same = [noise(doc, torch.Generator().manual_seed(42)) for _ in range(2)]
    other = noise(doc, torch.Generator().manual_seed(43))
    assert torch.equal(same[0], same[1])
    assert not torch.equal(same[0], other)
