"""snippets/t5.py를 transformers의 T5와 견주고, 구간 손상의 성질을 확인합니다."""

from __future__ import annotations

import pytest
import torch
from transformers import BartConfig as HFBartConfig
from transformers import BartModel as HFBartModel
from transformers import T5Config as HFT5Config
from transformers import T5ForConditionalGeneration
from transformers.models.t5 import modeling_t5
from transformers.models.t5.modeling_t5 import T5Attention
from transformers.models.t5.modeling_t5 import T5LayerNorm as HFT5LayerNorm

from snippets.attention import use_fused_attention
from snippets.bart import Bart, BartConfig
from snippets.parameters import count_parameters
from snippets.t5 import (
    T5,
    T5Config,
    T5LayerNorm,
    accepts_length,
    bucket_ranges,
    position_parameters,
    random_spans_noise_mask,
    relative_position_bucket,
    span_corruption,
    t5_preset,
)
from tests.conftest import assert_seq2seq_matches

# 작은 무작위 설정들: 2의 거듭제곱이 아닌 폭, H * Dh != D인 설정, 그리고 짧은 입력에서도 로그 구간과
# max_distance 너머(마지막 버킷)까지 닿도록 버킷 수와 최대 거리를 줄인 설정을 섞었습니다.
CONFIGS = {
    "d24-h3-b8-m12": dict(
        d_model=24, head_dim=8, n_heads=3, d_ff=40, n_layers=2, num_buckets=8, max_distance=12
    ),
    "d20-h2-b32-m128": dict(
        d_model=20, head_dim=6, n_heads=2, d_ff=36, n_layers=1, num_buckets=32, max_distance=128
    ),
    "d36-h4-b10-m20": dict(
        d_model=36, head_dim=12, n_heads=4, d_ff=52, n_layers=3, num_buckets=10, max_distance=20
    ),
    "d30-h5-b6-m9": dict(
        d_model=30, head_dim=6, n_heads=5, d_ff=44, n_layers=2, num_buckets=6, max_distance=9
    ),
}
VOCAB = 50


@pytest.fixture
def exact_reference_norm(monkeypatch: pytest.MonkeyPatch) -> None:
    """참조 구현의 T5LayerNorm은 반정밀도 학습을 위해 제곱평균을 항상 float32로 계산합니다.

    그래서 float64에서도 약 1e-7의 차이가 남습니다. 이 픽스처는 그 한 줄만 입력의 dtype으로
    계산하게 바꿔, 나머지 계산 전체를 1e-7보다 훨씬 엄격하게(float64 기본 허용 오차) 비교하게 합니다.
    바꾸지 않은 참조 구현과의 비교는 test_t5_matches_unmodified_reference_within_float32_norm_error.
    """

    def forward(self: HFT5LayerNorm, hidden_states: torch.Tensor) -> torch.Tensor:
        variance = hidden_states.pow(2).mean(-1, keepdim=True)
        return self.weight * (hidden_states * torch.rsqrt(variance + self.variance_epsilon))

    monkeypatch.setattr(modeling_t5.T5LayerNorm, "forward", forward)


def _reference(d_model, head_dim, n_heads, d_ff, n_layers, num_buckets, max_distance, seed=0):
    """transformers의 T5를 설정에서 만들고, 모든 파라미터(정규화 가중치, 위치 편향 표 포함)를 무작위로."""
    config = HFT5Config(
        vocab_size=VOCAB,
        d_model=d_model,
        d_kv=head_dim,
        num_heads=n_heads,
        d_ff=d_ff,
        num_layers=n_layers,
        relative_attention_num_buckets=num_buckets,
        relative_attention_max_distance=max_distance,
        dropout_rate=0.0,
        decoder_start_token_id=0,
    )
    torch.manual_seed(seed)
    model = T5ForConditionalGeneration(config).double().eval()
    g = torch.Generator().manual_seed(seed + 1)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(0.5 * torch.randn(p.shape, generator=g, dtype=p.dtype))
    return model


def _batch(S: int, T: int, seed: int = 0):
    g = torch.Generator().manual_seed(seed)
    src = torch.randint(2, VOCAB, (2, S), generator=g)
    tgt = torch.randint(2, VOCAB, (2, T), generator=g)
    return src, tgt


def _compare(hf, ours, S: int = 21, T: int = 15, atol: float | None = None) -> None:
    src, tgt = _batch(S, T)
    src_lengths, tgt_lengths = torch.tensor([S, S - 6]), torch.tensor([T - 4, T])
    assert_seq2seq_matches(hf, ours, src, tgt, src_lengths, tgt_lengths, atol)


@pytest.mark.usefixtures("exact_reference_norm")
@pytest.mark.parametrize("fused", [False, True], ids=["taught", "fused"])
@pytest.mark.parametrize("name", CONFIGS, ids=CONFIGS)
def test_t5_logits_and_loss_match_transformers_with_padding(name: str, fused: bool) -> None:
    hf = _reference(**CONFIGS[name])
    _compare(hf, use_fused_attention(T5.from_transformers(hf), fused))


def test_t5_matches_unmodified_reference_within_float32_norm_error() -> None:
    # float32 제곱평균의 상대 오차(약 6e-8)가 층을 지나며 쌓여 로짓에서 약 2e-6까지 벌어집니다.
    # 허용 오차 1e-5는 그보다 넉넉하고, 스케일링 하나만 빠져도 차이는 1e-1 단위입니다.
    hf = _reference(**CONFIGS["d36-h4-b10-m20"], seed=5)
    _compare(hf, T5.from_transformers(hf).eval(), atol=1e-5)


@pytest.mark.usefixtures("exact_reference_norm")
def test_t5_makes_decoder_inputs_from_labels_like_transformers() -> None:
    hf = _reference(**CONFIGS["d24-h3-b8-m12"], seed=2)
    ours = T5.from_transformers(hf).eval()
    src, labels = _batch(16, 11, seed=3)
    labels[0, -4:] = -100  # 손실에서 뺄 자리; 디코더 입력에서는 패딩(0)으로 바뀌어야 합니다
    expected, got = hf(input_ids=src, labels=labels), ours(src, labels=labels)
    torch.testing.assert_close(got.logits, expected.logits)
    torch.testing.assert_close(got.loss, expected.loss)


# 양방향(인코더)과 단방향(디코더) 모두, 여러 (버킷 수, 최대 거리)에서 -300..300의 모든 거리.
@pytest.mark.parametrize("bidirectional", [True, False], ids=["encoder", "decoder"])
@pytest.mark.parametrize(
    ("num_buckets", "max_distance"), [(32, 128), (8, 12), (10, 20), (64, 256)], ids=str
)
def test_relative_position_bucket_matches_transformers(
    bidirectional: bool, num_buckets: int, max_distance: int
) -> None:
    distances = torch.arange(-300, 301)
    expected = T5Attention._relative_position_bucket(
        distances, bidirectional=bidirectional, num_buckets=num_buckets, max_distance=max_distance
    )
    got = relative_position_bucket(distances, bidirectional, num_buckets, max_distance)
    torch.testing.assert_close(got, expected)
    assert got.min() >= 0 and got.max() == num_buckets - 1


def test_decoder_buckets_cannot_tell_future_positions_apart() -> None:
    future = relative_position_bucket(torch.arange(1, 50), bidirectional=False)
    past = relative_position_bucket(-torch.arange(1, 50), bidirectional=False)
    assert (future == 0).all()
    assert past.unique().numel() > 10


def test_t5_has_one_position_bias_table_per_stack() -> None:
    config = T5Config(vocab_size=VOCAB, d_model=16, head_dim=4, d_ff=32, n_layers=3, n_heads=4)
    model = T5(config)
    tables = [n for n, _ in model.named_parameters() if "position_bias" in n]
    assert tables == ["encoder_position_bias.table.weight", "decoder_position_bias.table.weight"]
    assert model.encoder_position_bias.table.weight.shape == (32, 4)


def test_t5_layer_norm_matches_reference_and_does_not_subtract_the_mean() -> None:
    g = torch.Generator().manual_seed(0)
    x = torch.randn(2, 3, 10, generator=g, dtype=torch.float64) + 5.0  # 평균이 0에서 먼 입력
    ours, ref = T5LayerNorm(10).double(), HFT5LayerNorm(10).double()
    with torch.no_grad():
        ours.weight.copy_(torch.randn(10, generator=g))
        ref.weight.copy_(ours.weight)
    torch.testing.assert_close(ours(x), ref(x), atol=1e-6, rtol=1e-6)  # 참조는 float32로 제곱평균
    plain = T5LayerNorm(10).double()(x)
    assert (plain.mean(-1) > 0.5).all()  # 평균을 빼는 LayerNorm이었다면 0입니다


def test_t5_future_decoder_tokens_do_not_change_past_logits() -> None:
    torch.manual_seed(0)
    config = T5Config(
        vocab_size=VOCAB, d_model=16, head_dim=4, d_ff=32, n_layers=2, n_heads=4, dropout=0.0
    )
    model = T5(config).eval()
    src, tgt = _batch(8, 7)
    changed = tgt.clone()
    changed[:, 5:] = (changed[:, 5:] + 1) % VOCAB
    a = model(src, decoder_input_ids=tgt).logits
    b = model(src, decoder_input_ids=changed).logits
    torch.testing.assert_close(a[:, :5], b[:, :5])
    assert not torch.allclose(a[:, 5:], b[:, 5:])


# ---- 파라미터 수 --------------------------------------------------------------------------------
# 허브에 올라간 google-t5/t5-{small,base,large}의 config.json 값 (프리셋과 따로 적어 둡니다).
HUB_CONFIGS = {
    "t5-small": dict(d_model=512, d_ff=2048, num_layers=6, num_heads=8),
    "t5-base": dict(d_model=768, d_ff=3072, num_layers=12, num_heads=12),
    "t5-large": dict(d_model=1024, d_ff=4096, num_layers=24, num_heads=16),
}
# T5 논문 3.7절의 크기: "about 60 million", "220 million", "770 million". 반올림 단위는
# 공개된 수의 마지막 0이 아닌 자리, 곧 1천만 단위로 봅니다.
PUBLISHED = {"t5-small": 60_000_000, "t5-base": 220_000_000, "t5-large": 770_000_000}
UNIT = 10_000_000


def _meta_counts(name: str) -> tuple[int, int]:
    with torch.device("meta"):
        ours = count_parameters(T5(t5_preset(name)))
        config = HFT5Config(vocab_size=32128, d_kv=64, **HUB_CONFIGS[name])
        reference = sum(p.numel() for p in T5ForConditionalGeneration(config).parameters())
    return ours, reference


def test_t5_small_has_60_506_624_parameters() -> None:
    assert _meta_counts("t5-small")[0] == 60_506_624


@pytest.mark.parametrize("name", ["t5-small", "t5-base"])
def test_t5_preset_matches_transformers_and_the_paper(name: str) -> None:
    ours, reference = _meta_counts(name)
    assert ours == reference
    assert round(ours / UNIT) * UNIT == PUBLISHED[name]


def test_t5_large_matches_transformers_and_the_paper_counts_the_output_layer_twice() -> None:
    # 묶인 모델의 실제 크기는 737,668,096(약 7억 4천만)입니다. 논문의 7억 7천만은 출력 층을
    # 입력 임베딩과 따로 한 번 더 셀 때(32128 * 1024 = 32,899,072 추가)의 값과 1천만 단위로 같습니다.
    # T5 저장소 이슈 #326에서도 이 차이가 확인되었습니다(저자: "could just be a typo").
    ours, reference = _meta_counts("t5-large")
    assert ours == reference == 737_668_096
    assert round(ours / UNIT) * UNIT == 740_000_000
    assert round((ours + 32128 * 1024) / UNIT) * UNIT == PUBLISHED["t5-large"]


# ---- 구간 손상 ----------------------------------------------------------------------------------
SENTINEL = 32099


def _doc(n: int) -> torch.Tensor:
    return torch.arange(100, 100 + n)  # 센티널(<= 32099)과 겹치지 않는, 서로 다른 토큰


def _restore(inputs: torch.Tensor, targets: torch.Tensor) -> list[int]:
    """정답을 센티널로 잘라 각 센티널 자리에 끼워 넣으면 원문이 됩니다."""
    spans: dict[int, list[int]] = {}
    current = None
    for token in targets.tolist():
        if token > SENTINEL - 1000:  # 센티널
            current = token
            spans[current] = []
        else:
            spans[current].append(token)
    out = []
    for token in inputs.tolist():
        out += spans[token] if token in spans else [token]
    return out


def test_span_corruption_inputs_and_targets_interleave_back_to_the_original() -> None:
    g = torch.Generator().manual_seed(0)
    for n in [2, 3, 5, 10, 33, 100, 257, 512]:
        for _ in range(5):
            doc = _doc(n)
            inputs, targets = span_corruption(doc, SENTINEL, generator=g)
            assert _restore(inputs, targets) == doc.tolist()
            sentinels = inputs[inputs > SENTINEL - 1000]
            k = sentinels.numel()
            # 센티널은 <extra_id_0>부터 차례로 내려가고, 정답은 그 뒤에 마지막 센티널 하나를 더 둡니다.
            assert sentinels.tolist() == list(range(SENTINEL, SENTINEL - k, -1))
            assert targets[0] == SENTINEL and targets[-1] == SENTINEL - k
            assert (
                not (inputs[:-1] > SENTINEL - 1000).logical_and(inputs[1:] > SENTINEL - 1000).any()
            )


def test_span_corruption_density_and_mean_span_length_match_the_settings() -> None:
    # 참조 알고리즘에서 노이즈 수 N = round(0.15 L)과 구간 수 K = round(N / 3)은 뽑는 값이 아니라
    # 정해지는 값이고, 무작위인 것은 구간의 자리와 각 길이뿐입니다. 그래서 측정값의 허용 오차는
    # 반올림에서 나옵니다: |N - 0.15 L| <= 1/2 이므로 |밀도 - 0.15| <= 1/(2L),
    # |N/3 - K| <= 1/2 이므로 |평균 길이 - 3| <= 3/(2K).
    g = torch.Generator().manual_seed(1)
    lengths = torch.randint(20, 600, (200,), generator=g).tolist()
    for n in lengths:
        inputs, targets = span_corruption(_doc(n), SENTINEL, generator=g)
        k = int((inputs > SENTINEL - 1000).sum())
        noise = targets.numel() - (k + 1)
        assert abs(noise / n - 0.15) <= 1 / (2 * n) + 1e-12  # 1e-12: 부동소수점 나눗셈의 여유
        assert abs(noise / k - 3.0) <= 3.0 / (2 * k) + 1e-12
    # 긴 문서 하나에서: 밀도 0.15, 평균 길이 3에 가깝습니다 (2000 * 0.15 = 300, 300 / 3 = 100).
    inputs, targets = span_corruption(_doc(2000), SENTINEL, generator=g)
    assert targets.numel() - 101 == 300 and int((inputs > SENTINEL - 1000).sum()) == 100


def test_noise_mask_spans_are_random_but_start_with_kept_tokens() -> None:
    g = torch.Generator().manual_seed(2)
    masks = torch.stack([random_spans_noise_mask(100, generator=g) for _ in range(400)])
    assert (masks.sum(1) == 15).all()
    assert not masks[:, 0].any()  # 참조 구현처럼 항상 "남는 구간"으로 시작하고
    assert masks[:, -1].all()  # "노이즈 구간"으로 끝납니다
    # 그 사이에서는 자리마다 고르게 섞입니다: 가운데 자리가 노이즈일 확률은 0도 1도 아닙니다.
    middle = masks[:, 10:90].double().mean(0)
    assert (middle > 0.03).all() and (middle < 0.4).all()


def test_span_corruption_same_seed_gives_same_result() -> None:
    doc = _doc(300)
    a = span_corruption(doc, SENTINEL, generator=torch.Generator().manual_seed(7))
    b = span_corruption(doc, SENTINEL, generator=torch.Generator().manual_seed(7))
    c = span_corruption(doc, SENTINEL, generator=torch.Generator().manual_seed(8))
    assert torch.equal(a.inputs, b.inputs) and torch.equal(a.targets, b.targets)
    assert not torch.equal(a.inputs, c.inputs)


# --- 연습 문제의 풀이 ------------------------------------------------------------


@pytest.mark.parametrize("bidirectional", [True, False], ids=["encoder", "decoder"])
@pytest.mark.parametrize("num_buckets,max_distance", [(32, 128), (8, 12)], ids=["t5", "small"])
def test_bucket_ranges_group_distances_as_transformers_buckets_them(
    bidirectional: bool, num_buckets: int, max_distance: int
) -> None:
    farthest = 4 * max_distance
    ranges = bucket_ranges(farthest, bidirectional, num_buckets, max_distance)
    theirs = T5Attention._relative_position_bucket(
        -torch.arange(farthest + 1), bidirectional, num_buckets, max_distance
    )
    # 범위를 풀면 거리마다 transformers의 버킷이 나옵니다(빈틈과 겹침 없이 0..farthest).
    unrolled = [b for b, near, far in ranges for _ in range(near, far + 1)]
    assert unrolled == theirs.tolist()
    assert len({b for b, _, _ in ranges}) == len(ranges)  # 버킷마다 한 줄
    # 글의 주장: 가까운 거리는 하나씩, max_distance 이상은 모두 마지막 한 버킷에 듭니다.
    exact = (num_buckets // 2 if bidirectional else num_buckets) // 2
    assert all(near == far for _, near, far in ranges[:exact])
    _, near, far = ranges[-1]
    assert near <= max_distance and far == farthest


def test_position_parameters_count_the_tables_transformers_has() -> None:
    torch.manual_seed(0)
    hf_bart = HFBartModel(
        HFBartConfig(
            vocab_size=30,
            max_position_embeddings=16,
            d_model=16,
            encoder_layers=2,
            decoder_layers=2,
            encoder_attention_heads=2,
            decoder_attention_heads=2,
            encoder_ffn_dim=32,
            decoder_ffn_dim=32,
        )
    )
    theirs = sum(p.numel() for name, p in hf_bart.named_parameters() if "embed_positions" in name)
    bart = Bart(BartConfig(vocab_size=30, max_len=16, d_model=16, n_layers=2, n_heads=2, d_ff=32))
    assert position_parameters(bart) == theirs == 2 * (16 + 2) * 16
    hf_t5 = _reference(**CONFIGS["d24-h3-b8-m12"])
    theirs = sum(
        p.numel() for name, p in hf_t5.named_parameters() if "relative_attention_bias" in name
    )
    assert position_parameters(T5.from_transformers(hf_t5)) == theirs == 2 * 8 * 3


def test_bart_refuses_inputs_longer_than_its_table_and_t5_does_not_like_transformers() -> None:
    torch.manual_seed(0)
    hf_bart = HFBartModel(HFBartConfig(vocab_size=30, max_position_embeddings=16, d_model=16))
    bart = Bart(BartConfig(vocab_size=30, max_len=16, d_model=16, n_layers=1, n_heads=2, d_ff=32))
    assert accepts_length(bart, 16) and not accepts_length(bart, 17)
    hf_bart.encoder(torch.zeros(1, 16, dtype=torch.long))
    with pytest.raises(IndexError):  # transformers의 BART도 위치 표에 없는 행을 찾다 멈춥니다
        hf_bart.encoder(torch.zeros(1, 17, dtype=torch.long))
    hf_t5 = _reference(**CONFIGS["d24-h3-b8-m12"])
    t5 = T5.from_transformers(hf_t5)
    assert accepts_length(t5, 17) and accepts_length(t5, 100)
    hf_t5.encoder(torch.zeros(1, 100, dtype=torch.long))
