"""T5: 모든 작업을 텍스트-투-텍스트로 푸는 인코더-디코더.

글 「인코더와 디코더를 모두 사용하는 BART,T5 차이점」이 이 파일의 구간을 싣습니다. 모델은
Raffel et al. (2019)와 transformers의 T5ForConditionalGeneration(원래 T5, ReLU 피드포워드)을
따르고, from_transformers로 그 가중치를 옮기면 같은 로짓과 손실을 냅니다. BART와 다른 점:
평균을 빼지 않는 레이어 정규화, 편향 없는 선형층, 점수를 sqrt(Dh)로 나누지 않는 어텐션, 절대 위치
대신 상대 위치 편향(relative position bias). 사전 학습 목표인 구간 손상(span corruption)도 여기 둡니다.
불리언 마스크는 True = 참조해도 됨(may attend)입니다.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import nn

from snippets.attention import MultiHeadAttention
from snippets.bart import Bart, LearnedPositions
from snippets.model_inputs import (
    check_fields,
    check_sizes,
    check_token_ids,
)
from snippets.parameters import (
    count_parameters,
    init_weights,
    port_weights,
    renamer,
)
from snippets.residual import FeedForward, PreLNSublayer
from snippets.seq2seq import (
    DEMO_SIZES,
    EncoderDecoder,
    decoder_masks,
    demo_text,
    shift_right,
    source_mask,
    train_briefly,
)


@dataclass
class T5Config:
    """T5 설정. 기본값은 논문의 기준 모델(T5-Base)입니다."""

    vocab_size: int = (
        32128  # SentencePiece 32,000개 + 센티널 100개를 128의 배수로 채운 크기
    )
    d_model: int = 768  # 모델 폭 D
    head_dim: int = 64  # 헤드 하나의 폭 Dh (D / H로 정하지 않고 따로 둡니다; transformers의 d_kv)
    d_ff: int = 3072  # 피드포워드 안쪽 폭
    n_layers: int = 12  # 인코더와 디코더 각각의 층 수
    n_heads: int = 12  # 어텐션 헤드 수 H
    num_buckets: int = 32  # 상대 위치 버킷 수
    max_distance: int = 128  # 이 거리 이상은 마지막 버킷 하나로 묶습니다
    eps: float = 1e-6  # 레이어 정규화의 엡실론
    dropout: float = 0.1  # 임베딩, 잔차 가지, 피드포워드 안쪽의 드롭아웃
    pad_id: int = 0  # <pad>; 디코더의 첫 입력으로도 씁니다

    def __post_init__(self) -> None:
        check_sizes(
            self,
            "vocab_size",
            "d_model",
            "head_dim",
            "d_ff",
            "n_layers",
            "n_heads",
        )
        check_sizes(self, "num_buckets", "max_distance")
        # 인코더는 버킷을 방향마다 절반씩 쓰고, 그 절반의 절반(num_buckets // 4)까지를 정확히 셉니다:
        # 0이면 relative_position_bucket이 0으로 나누고, max_distance가 그 이하이면 로그 눈금이 없습니다.
        if self.num_buckets < 4 or self.max_distance <= self.num_buckets // 2:
            raise ValueError(
                f"T5Config.num_buckets={self.num_buckets}, max_distance={self.max_distance}: "
                "num_buckets는 4 이상, max_distance는 num_buckets // 2보다 커야 합니다"
            )
        check_fields(
            self, ids=("pad_id",), positive=("eps",), probabilities=("dropout",)
        )


# --8<-- [start:t5-preset]
def t5_preset(name: str) -> T5Config:
    """공개된 설정: t5-small, t5-base, t5-large (헤드 폭은 모두 64)."""
    sizes = {
        "t5-small": dict(d_model=512, d_ff=2048, n_layers=6, n_heads=8),
        "t5-base": dict(d_model=768, d_ff=3072, n_layers=12, n_heads=12),
        "t5-large": dict(d_model=1024, d_ff=4096, n_layers=24, n_heads=16),
    }
    return T5Config(**sizes[name])


# --8<-- [end:t5-preset]


# --8<-- [start:t5-layer-norm]
class T5LayerNorm(nn.Module):
    """T5의 레이어 정규화: 평균을 빼지 않고 제곱평균제곱근(RMS)으로만 나눕니다.
    편향도 없습니다.

    y = w * x / sqrt(mean(x^2) + eps). 이름은 LayerNorm이지만 계산은
    RMSNorm입니다.
    """

    def __init__(self, d_model: int, eps: float = 1e-6) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d_model))
        self.eps = eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        mean_square = x.pow(2).mean(-1, keepdim=True)  # (B, T, 1)
        return self.weight * x * torch.rsqrt(mean_square + self.eps)


# --8<-- [end:t5-layer-norm]


# --8<-- [start:relative-position-bucket]
def relative_position_bucket(
    relative_position: torch.Tensor,
    bidirectional: bool = True,
    num_buckets: int = 32,
    max_distance: int = 128,
) -> torch.Tensor:
    """상대 위치(키 위치 - 쿼리 위치)를 버킷 번호 0..num_buckets-1로 바꿉니다.

    가까운 거리는 하나씩 정확히, 먼 거리는 로그 간격으로 묶고,
    max_distance 이상은 마지막 버킷 하나에 모읍니다. 양방향(bidirectional,
    인코더)이면 버킷 절반을 "키가 쿼리보다 뒤"인 쪽에 씁니다. 단방향(디코더)은
    미래를 어차피 가리므로 과거 쪽 거리에 버킷을 모두 씁니다.
    """
    buckets = torch.zeros_like(relative_position)
    if bidirectional:
        num_buckets //= 2
        buckets += (relative_position > 0).long() * num_buckets
        distance = relative_position.abs()
    else:
        distance = (-relative_position).clamp(min=0)
    max_exact = num_buckets // 2
    is_small = distance < max_exact
    # max_exact..max_distance를 로그 눈금으로 (num_buckets - max_exact)칸에
    # 나눕니다. (참조 구현처럼 float32로 계산해야 경계의 거리가 같은 버킷에
    # 떨어집니다.)
    log_span = math.log(max_distance / max_exact)
    log_ratio = torch.log(distance.float() / max_exact) / log_span
    large = max_exact + (log_ratio * (num_buckets - max_exact)).long()
    large = large.clamp(max=num_buckets - 1)
    return buckets + torch.where(is_small, distance, large)


# --8<-- [end:relative-position-bucket]


# --8<-- [start:relative-position-bias]
class RelativePositionBias(nn.Module):
    """상대 위치 편향: 버킷마다 헤드별 스칼라 하나를 배워 점수에 더합니다.

    표는 (num_buckets, H) 크기 하나뿐입니다. 인코더와 디코더가 층을 지나기
    전에 (1, H, T, S) 편향을 한 번 만들고(T5.encode, T5.decode), 모든 층이
    그 편향을 다시 씁니다.
    """

    def __init__(
        self,
        n_heads: int,
        num_buckets: int,
        max_distance: int,
        bidirectional: bool,
    ) -> None:
        super().__init__()
        self.table = nn.Embedding(num_buckets, n_heads)
        self.num_buckets, self.max_distance = num_buckets, max_distance
        self.bidirectional = bidirectional

    def forward(self, T: int, S: int) -> torch.Tensor:
        device = self.table.weight.device
        query = torch.arange(T, device=device)[:, None]  # (T, 1)
        key = torch.arange(S, device=device)[None, :]  # (1, S)
        buckets = relative_position_bucket(
            key - query, self.bidirectional, self.num_buckets, self.max_distance
        )  # (T, S)
        return self.table(buckets).permute(2, 0, 1).unsqueeze(0)  # (1, H, T, S)


# --8<-- [end:relative-position-bias]


# --8<-- [start:t5-encoder-block]
def t5_sublayer(config: T5Config, sublayer: nn.Module) -> PreLNSublayer:
    """T5의 서브블록: RMS 정규화 -> sublayer -> 드롭아웃 -> 더하기 (pre-LN)."""
    D, p, eps = config.d_model, config.dropout, config.eps
    return PreLNSublayer(D, sublayer, p, eps, norm=T5LayerNorm)


def t5_attention(config: T5Config) -> MultiHeadAttention:
    """편향 없는 선형층, sqrt(Dh)로 나누지 않는 점수(scale=1.0)."""
    D, H, Dh = config.d_model, config.n_heads, config.head_dim
    return MultiHeadAttention(D, H, head_dim=Dh, bias=False, scale=1.0)


def t5_feed_forward(config: T5Config) -> FeedForward:
    """편향 없는 ReLU 피드포워드, 안쪽에도 드롭아웃."""
    D, d_ff, p = config.d_model, config.d_ff, config.dropout
    return FeedForward(D, d_ff, activation=F.relu, bias=False, dropout=p)


class T5EncoderBlock(nn.Module):
    """T5 인코더 층: 정규화한 뒤 어텐션·피드포워드를 지나 더합니다(pre-LN).

    셀프 어텐션은 상대 위치 편향 position_bias를 점수에 더합니다.
    """

    def __init__(self, config: T5Config) -> None:
        super().__init__()
        self.self_attn = t5_sublayer(config, t5_attention(config))
        self.ff = t5_sublayer(config, t5_feed_forward(config))

    def forward(
        self,
        x: torch.Tensor,
        position_bias: torch.Tensor,
        mask: torch.Tensor | None,
    ) -> torch.Tensor:
        x = self.self_attn(x, mask=mask, bias=position_bias)  # (B, S, D)
        return self.ff(x)  # (B, S, D)


# --8<-- [end:t5-encoder-block]


class T5DecoderBlock(nn.Module):
    """T5 디코더 층: 마스크 셀프 어텐션(상대 위치 편향), 크로스 어텐션(편향 없음), 피드포워드."""

    def __init__(self, config: T5Config) -> None:
        super().__init__()
        self.self_attn = t5_sublayer(config, t5_attention(config))
        self.cross_attn = t5_sublayer(config, t5_attention(config))
        self.ff = t5_sublayer(config, t5_feed_forward(config))

    def forward(
        self,
        x: torch.Tensor,
        memory: torch.Tensor,
        position_bias: torch.Tensor,
        self_mask: torch.Tensor,
        cross_mask: torch.Tensor | None,
    ) -> torch.Tensor:
        x = self.self_attn(x, mask=self_mask, bias=position_bias)  # (B, T, D)
        x = self.cross_attn(x, context=memory, mask=cross_mask)  # (B, T, D)
        return self.ff(x)  # (B, T, D)


class T5(EncoderDecoder):
    """T5 (T5ForConditionalGeneration과 같은 계산; 원래 T5의 ReLU 피드포워드).

    인코더, 디코더, 출력 층이 임베딩 하나(shared)를 함께 씁니다. 위치 정보는 임베딩에 더하지
    않고, 인코더(양방향)와 디코더(단방향)가 각자 가진 상대 위치 편향 표로 점수에 더합니다.
    src_lengths, tgt_lengths는 오른쪽 패딩을 뺀 길이 (B,)이고, 주지 않으면 패딩이 없습니다.
    """

    def __init__(
        self, config: T5Config, generator: torch.Generator | None = None
    ) -> None:
        super().__init__()
        self.config = config
        D, H = config.d_model, config.n_heads
        self.shared = nn.Embedding(config.vocab_size, D)
        # 참조 구현은 이 표를 각 쌓음(stack)의 첫 층(block 0) 안에 두고 나머지 층이 빌려 씁니다.
        self.encoder_position_bias = RelativePositionBias(
            H, config.num_buckets, config.max_distance, bidirectional=True
        )
        self.decoder_position_bias = RelativePositionBias(
            H, config.num_buckets, config.max_distance, bidirectional=False
        )
        self.encoder_layers = nn.ModuleList(
            T5EncoderBlock(config) for _ in range(config.n_layers)
        )
        self.decoder_layers = nn.ModuleList(
            T5DecoderBlock(config) for _ in range(config.n_layers)
        )
        self.encoder_norm = T5LayerNorm(D, config.eps)
        self.decoder_norm = T5LayerNorm(D, config.eps)
        self.dropout = nn.Dropout(config.dropout)
        # 참조 구현의 초기화: 층마다 입력 폭의 -1/2제곱을 표준편차로 (쿼리는 sqrt(Dh)로 한 번 더
        # 나눕니다. 점수를 sqrt(Dh)로 나누지 않는 대신입니다). 임베딩은 N(0, 1).
        Dh, inner = config.head_dim, H * config.head_dim
        stds = {
            "shared": 1.0,
            "position_bias.table": D**-0.5,
            "q_proj": (D * Dh) ** -0.5,
            "k_proj": D**-0.5,
            "v_proj": D**-0.5,
            "out_proj": inner**-0.5,
            "fc1": D**-0.5,
            "fc2": config.d_ff**-0.5,
        }
        init_weights(self, generator, stds=stds)

    def encode(
        self, input_ids: torch.Tensor, src_lengths: torch.Tensor | None = None
    ) -> torch.Tensor:
        check_token_ids(
            input_ids, self.config.vocab_size
        )  # 상대 위치라 최대 길이는 없습니다
        mask = source_mask(input_ids, src_lengths)  # (B, 1, 1, S)
        S = input_ids.size(1)
        x = self.dropout(self.shared(input_ids))  # (B, S, D)
        bias = self.encoder_position_bias(S, S)  # (1, H, S, S)
        for block in self.encoder_layers:
            x = block(x, bias, mask)
        return self.dropout(self.encoder_norm(x))  # (B, S, D)

    def decode(
        self,
        decoder_input_ids: torch.Tensor,
        memory: torch.Tensor,
        src_lengths: torch.Tensor | None = None,
        tgt_lengths: torch.Tensor | None = None,
    ) -> torch.Tensor:
        check_token_ids(
            decoder_input_ids, self.config.vocab_size, name="decoder_input_ids"
        )
        self_mask, cross_mask = decoder_masks(
            decoder_input_ids, memory, src_lengths, tgt_lengths
        )
        T = decoder_input_ids.size(1)
        x = self.dropout(self.shared(decoder_input_ids))  # (B, T, D)
        bias = self.decoder_position_bias(T, T)  # (1, H, T, T)
        for block in self.decoder_layers:
            x = block(x, memory, bias, self_mask, cross_mask)
        x = self.dropout(self.decoder_norm(x))  # (B, T, D)
        # 출력 층이 입력 임베딩과 같은 행렬이라, 참조 구현처럼 d_model**-0.5를 곱한 뒤 로짓을 냅니다.
        return F.linear(
            x * self.config.d_model**-0.5, self.shared.weight
        )  # (B, T, V)

    def decoder_start(
        self, labels: torch.Tensor | None, input_ids: torch.Tensor
    ) -> torch.Tensor:
        if labels is None:
            raise ValueError(
                "decoder_input_ids나 labels 중 하나는 있어야 합니다"
            )
        return shift_right(labels, self.config.pad_id, self.config.pad_id)

    # 우리 이름 -> transformers의 T5ForConditionalGeneration 이름. 참조 구현의 층은
    # 서브블록 목록(layer.0 셀프 어텐션, layer.1 크로스 어텐션이나 피드포워드,
    # layer.2 디코더의 피드포워드)이라 인코더와 디코더의 층 안 이름이 다릅니다.
    HF_NAMES = {
        "encoder_norm": "encoder.final_layer_norm",
        "decoder_norm": "decoder.final_layer_norm",
        "encoder_position_bias.table": (
            "encoder.block.0.layer.0.SelfAttention.relative_attention_bias"
        ),
        "decoder_position_bias.table": (
            "decoder.block.0.layer.0.SelfAttention.relative_attention_bias"
        ),
    }
    ENCODER_LAYER_NAMES = {
        "self_attn.norm": "layer.0.layer_norm",
        "self_attn.sublayer.q_proj": "layer.0.SelfAttention.q",
        "self_attn.sublayer.k_proj": "layer.0.SelfAttention.k",
        "self_attn.sublayer.v_proj": "layer.0.SelfAttention.v",
        "self_attn.sublayer.out_proj": "layer.0.SelfAttention.o",
        "ff.norm": "layer.1.layer_norm",
        "ff.sublayer.fc1": "layer.1.DenseReluDense.wi",
        "ff.sublayer.fc2": "layer.1.DenseReluDense.wo",
    }
    DECODER_LAYER_NAMES = {
        **ENCODER_LAYER_NAMES,
        "cross_attn.norm": "layer.1.layer_norm",
        "cross_attn.sublayer.q_proj": "layer.1.EncDecAttention.q",
        "cross_attn.sublayer.k_proj": "layer.1.EncDecAttention.k",
        "cross_attn.sublayer.v_proj": "layer.1.EncDecAttention.v",
        "cross_attn.sublayer.out_proj": "layer.1.EncDecAttention.o",
        "ff.norm": "layer.2.layer_norm",
        "ff.sublayer.fc1": "layer.2.DenseReluDense.wi",
        "ff.sublayer.fc2": "layer.2.DenseReluDense.wo",
    }

    @classmethod
    def from_transformers(cls, hf_model: nn.Module) -> T5:
        """transformers의 T5ForConditionalGeneration(ReLU, 출력 스케일링)에서 옮겨 평가 모드로 돌려줍니다."""
        hf = hf_model.config
        if (
            hf.num_decoder_layers != hf.num_layers
            or hf.is_gated_act
            or hf.dense_act_fn != "relu"
        ):
            raise ValueError(
                "대칭 구조에 ReLU 피드포워드인 원래 T5 설정만 옮길 수 있습니다"
            )
        if not hf.scale_decoder_outputs:
            raise ValueError(
                "출력에 d_model**-0.5를 곱하는 원래 T5 설정만 옮길 수 있습니다"
            )
        config = T5Config(
            vocab_size=hf.vocab_size,
            d_model=hf.d_model,
            head_dim=hf.d_kv,
            d_ff=hf.d_ff,
            n_layers=hf.num_layers,
            n_heads=hf.num_heads,
            num_buckets=hf.relative_attention_num_buckets,
            max_distance=hf.relative_attention_max_distance,
            eps=hf.layer_norm_epsilon,
            dropout=hf.dropout_rate,
            pad_id=hf.pad_token_id,
        )
        theirs = hf_model.state_dict()
        model = cls(config).to(theirs["shared.weight"].dtype)
        rename = renamer(
            cls.HF_NAMES,
            {
                "encoder_layers": ("encoder.block", cls.ENCODER_LAYER_NAMES),
                "decoder_layers": ("decoder.block", cls.DECODER_LAYER_NAMES),
            },
        )
        return port_weights(model, theirs, rename).eval()


# --8<-- [start:random-spans-noise-mask]
def random_spans_noise_mask(
    length: int,
    noise_density: float = 0.15,
    mean_span_length: float = 3.0,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    """T5의 구간 마스크: True인 토큰이 지워질 노이즈(noise)입니다. (length,)
    불리언.

    T5 저장소의 random_spans_noise_mask와 같은 방식입니다. 노이즈 토큰 수
    round(length * 0.15)와 구간 수 round(노이즈 수 / 3)을 먼저 정하고, 노이즈
    토큰과 남는 토큰을 각각 그 수만큼의 양수 길이 구간으로 무작위로 나눈 뒤,
    "남는 구간, 노이즈 구간"을 번갈아 놓습니다.
    """

    def random_segmentation(num_items: int, num_segments: int) -> torch.Tensor:
        # num_items개를 순서대로 num_segments개의 빈 곳 없는 덩어리로 자릅니다:
        # 자를 곳을 고릅니다.
        cuts = torch.zeros(num_items, dtype=torch.long)
        cuts[
            1
            + torch.randperm(num_items - 1, generator=generator)[
                : num_segments - 1
            ]
        ] = 1
        # (num_segments,)
        return torch.bincount(cuts.cumsum(0), minlength=num_segments)

    num_noise = min(max(round(length * noise_density), 1), length - 1)
    num_spans = max(round(num_noise / mean_span_length), 1)
    noise_lengths = random_segmentation(num_noise, num_spans)
    keep_lengths = random_segmentation(length - num_noise, num_spans)
    # (2 * num_spans,)
    interleaved = torch.stack([keep_lengths, noise_lengths], dim=1).flatten()
    # (length,)
    span_index = torch.repeat_interleave(
        torch.arange(2 * num_spans), interleaved
    )
    return span_index % 2 == 1


# --8<-- [end:random-spans-noise-mask]


class SpanCorruption(NamedTuple):
    """구간 손상의 결과: 인코더 입력과 디코더 정답."""

    inputs: torch.Tensor
    targets: torch.Tensor


# --8<-- [start:span-corruption]
def span_corruption(
    tokens: torch.Tensor,
    sentinel_start: int = 32099,
    noise_density: float = 0.15,
    mean_span_length: float = 3.0,
    generator: torch.Generator | None = None,
) -> SpanCorruption:
    """T5의 구간 손상(span corruption): 지운 구간마다 센티널(sentinel) 토큰
    하나를 남깁니다.

    i번째 센티널의 id는 sentinel_start - i입니다(T5 어휘의 <extra_id_0> =
    32099부터 내려갑니다). 입력은 지운 구간 자리에 센티널을 둔 문서이고, 정답은
    같은 센티널 뒤에 지운 토큰들을 잇고 끝에 센티널 하나를 더 붙인 것입니다(논문
    그림 2의 "<X> for inviting <Y> last <Z>"). 그래서 정답은 원문의 약 15%에
    센티널 몇 개뿐이라, BART처럼 문서 전체를 다시 쓰지 않습니다.
    """
    noise = random_spans_noise_mask(
        tokens.numel(), noise_density, mean_span_length, generator
    )

    def replace_spans(span: torch.Tensor) -> torch.Tensor:
        previous = F.pad(span[:-1], (1, 0))  # (N,) 바로 앞 토큰도 같은 구간인가
        first = span & ~previous  # 구간의 첫 토큰 -> 센티널
        sentinels = sentinel_start + 1 - first.long().cumsum(0)  # (N,)
        return torch.where(first, sentinels, tokens)[~(span & previous)]

    num_spans = int((noise & ~F.pad(noise[:-1], (1, 0))).sum())
    inputs = replace_spans(noise)
    # 남는 구간을 센티널로 바꾸면, 같은 번호의 센티널 뒤에 그 자리에서 지운
    # 토큰이 옵니다.
    closing = torch.tensor([sentinel_start - num_spans], dtype=tokens.dtype)
    targets = torch.cat([replace_spans(~noise), closing])
    return SpanCorruption(inputs, targets)


# --8<-- [end:span-corruption]


# --8<-- [start:bucket-ranges]
Range = tuple[int, int, int]  # (버킷, 가장 가까운 거리, 가장 먼 거리)


def bucket_ranges(
    farthest: int,
    bidirectional: bool = True,
    num_buckets: int = 32,
    max_distance: int = 128,
) -> list[Range]:
    """키가 쿼리보다 0..farthest 앞에 있을 때 같은 버킷에 드는 거리를
    한 줄로 묶습니다(연습 문제의 풀이). 한 줄의 거리들은 모델이 서로
    구별하지 못합니다.
    """
    distances = torch.arange(farthest + 1)  # (farthest + 1,)
    buckets = relative_position_bucket(
        -distances,
        bidirectional,
        num_buckets,
        max_distance,
    )
    ranges: list[Range] = []
    for d, b in zip(distances.tolist(), buckets.tolist(), strict=True):
        if ranges and ranges[-1][0] == b:
            ranges[-1] = (b, ranges[-1][1], d)  # 같은 버킷이 이어집니다
        else:
            ranges.append((b, d, d))
    return ranges


# --8<-- [end:bucket-ranges]


# --8<-- [start:position-budget]
def position_parameters(model: nn.Module) -> int:
    """위치를 나타내는 데 쓰는 파라미터 수(연습 문제의 풀이):
    BART의 위치 표와 T5의 상대 위치 편향 표.
    """
    kinds = (LearnedPositions, RelativePositionBias)
    tables = [m for m in model.modules() if isinstance(m, kinds)]
    return sum(count_parameters(m) for m in tables)


def accepts_length(model: Bart | T5, length: int) -> bool:
    """길이 length인 입력을 인코더가 받는지(연습 문제의 풀이).

    BART는 위치 표의 행이 모자라면 거절하고, 상대 위치만 쓰는 T5에는
    그런 한도가 없습니다.
    """
    try:
        model.encode(torch.zeros(1, length, dtype=torch.long))
    except ValueError:
        return False
    return True


# --8<-- [end:position-budget]


if __name__ == "__main__":
    import time

    started = time.perf_counter()
    # 아주 작은 모델이라 스레드 하나가 가장 빠릅니다(이 데모에서만)
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(0)
    text = (
        "T5는 번역 , 요약 , 질문 응답 같은 모든 작업을 텍스트 입력과 텍스트 출력으로 바꿉니다 . "
        "사전 학습에서는 입력의 15% 를 구간 단위로 지우고 구간마다 센티널 하나를 남깁니다 . "
        "디코더는 센티널 뒤에 지운 토큰만 차례로 씁니다 ."
    )
    # 센티널은 어휘의 맨 끝
    sentinels = [f"<extra_id_{i}>" for i in reversed(range(10))]
    vocab, ids, doc = demo = demo_text(text, ["<pad>", "</s>"], sentinels)
    show = demo.show
    corrupted = span_corruption(
        doc, sentinel_start=ids["<extra_id_0>"], generator=g
    )
    print("원문:", show(doc))
    print("입력:", show(corrupted.inputs))
    print("정답:", show(corrupted.targets))

    distances = torch.tensor(
        [-200, -64, -16, -8, -3, -1, 0, 1, 3, 8, 16, 64, 200]
    )
    print("상대 위치     :", distances.tolist())
    print(
        "인코더 버킷   :",
        relative_position_bucket(distances, bidirectional=True).tolist(),
    )
    print(
        "디코더 버킷   :",
        relative_position_bucket(distances, bidirectional=False).tolist(),
    )

    with torch.device("meta"):
        for name in ("t5-small", "t5-base", "t5-large"):
            print(
                f"{name}: 파라미터 {count_parameters(T5(t5_preset(name))):,}개"
            )

    # 작은 T5가 구간 손상 입력에서 지운 구간(정답)을 맞히도록 배웁니다. 매 스텝 새로 손상시킵니다.
    config = T5Config(vocab_size=len(vocab), head_dim=16, **DEMO_SIZES)
    model = T5(config, generator=g)

    def corrupted_doc() -> tuple[torch.Tensor, torch.Tensor]:
        return span_corruption(doc, ids["<extra_id_0>"], generator=g)

    losses = train_briefly(model, corrupted_doc)
    for step in (0, len(losses) - 1):
        print(f"학습 {step + 1:>2}스텝: 손실 {losses[step]:.3f}")
    print(f"({time.perf_counter() - started:.1f}초)")
