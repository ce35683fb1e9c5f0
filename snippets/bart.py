"""BART: 망가뜨린 문서를 원래대로 다시 쓰는 인코더-디코더.

글 「인코더와 디코더를 모두 사용하는 BART,T5 차이점」이 이 파일의 구간을 싣습니다. 모델은
Lewis et al. (2019)와 transformers의 BartForConditionalGeneration을 따르고, from_transformers로
그 가중치를 옮기면 같은 로짓과 손실을 냅니다. 논문의 노이즈 함수(noising function) 다섯 가지
(토큰 마스킹, 토큰 삭제, 텍스트 채우기, 문장 순서 섞기, 문서 회전)도 모델 곁에 둡니다.
불리언 마스크는 True = 참조해도 됨(may attend)입니다.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from snippets.attention import MultiHeadAttention
from snippets.model_inputs import (
    MODEL_SIZES,
    check_fields,
    check_heads,
    check_sizes,
    check_token_ids,
)
from snippets.parameters import (
    count_parameters,
    init_weights,
    port_weights,
    renamer,
)
from snippets.residual import FeedForward, PostLNSublayer
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
class BartConfig:
    """BART 설정. 기본값은 논문의 BART-large입니다."""

    vocab_size: int = 50265  # GPT-2와 같은 바이트 BPE 어휘 + 특수 토큰
    max_len: int = 1024  # 최대 길이: 학습된 위치 임베딩이 다루는 위치의 수
    d_model: int = 1024  # 모델 폭 D
    n_layers: int = 12  # 인코더와 디코더 각각의 층 수
    n_heads: int = 16  # 어텐션 헤드 수 H (헤드 폭은 D / H)
    d_ff: int = 4096  # 피드포워드 안쪽 폭
    dropout: float = 0.1  # 임베딩과 잔차 가지의 드롭아웃
    pad_id: int = 1  # <pad>
    decoder_start_id: int = 2  # 디코더의 첫 입력 (BART는 </s>로 시작합니다)

    def __post_init__(self) -> None:
        check_sizes(self, *MODEL_SIZES)
        check_heads(self.d_model, self.n_heads, "BartConfig")
        check_fields(
            self, ids=("pad_id", "decoder_start_id"), probabilities=("dropout",)
        )


# --8<-- [start:bart-preset]
def bart_preset(name: str) -> BartConfig:
    """공개된 설정: bart-base(6+6층, 폭 768), bart-large(12+12층, 폭 1024)."""
    sizes = {
        "bart-base": dict(d_model=768, n_layers=6, n_heads=12, d_ff=3072),
        "bart-large": dict(d_model=1024, n_layers=12, n_heads=16, d_ff=4096),
    }
    return BartConfig(**sizes[name])


# --8<-- [end:bart-preset]


# --8<-- [start:learned-positions]
class LearnedPositions(nn.Module):
    """학습된 절대 위치 임베딩(learned absolute position embedding).

    위치 t의 벡터는 표의 t + 2번째 행입니다. fairseq에서 온 약속으로 앞의 두
    행이 비어 있어 표가 max_len + 2행이고, 표보다 긴 입력은 받을 수 없습니다.
    """

    def __init__(self, max_len: int, d_model: int) -> None:
        super().__init__()
        self.offset = 2
        self.table = nn.Embedding(max_len + self.offset, d_model)

    def forward(self, T: int) -> torch.Tensor:
        positions = torch.arange(T, device=self.table.weight.device)  # (T,)
        return self.table(positions + self.offset)  # (T, D)


# --8<-- [end:learned-positions]


# --8<-- [start:bart-encoder-layer]
class BartEncoderLayer(nn.Module):
    """BART 인코더 층: 셀프 어텐션과 피드포워드(GELU), 각각 더한 뒤에
    LayerNorm(post-LN, 잔차 연결 글의 PostLNSublayer)."""

    def __init__(self, config: BartConfig) -> None:
        super().__init__()
        D, p = config.d_model, config.dropout
        attn = MultiHeadAttention(D, config.n_heads)
        self.self_attn = PostLNSublayer(D, attn, p)
        ff = FeedForward(D, config.d_ff, activation=F.gelu)
        self.ff = PostLNSublayer(D, ff, p)

    def forward(
        self, x: torch.Tensor, mask: torch.Tensor | None
    ) -> torch.Tensor:
        x = self.self_attn(x, mask=mask)  # (B, S, D)
        return self.ff(x)  # (B, S, D)


# --8<-- [end:bart-encoder-layer]


class BartDecoderLayer(nn.Module):
    """BART 디코더 층: 마스크 셀프 어텐션, 인코더 출력을 보는 크로스 어텐션, 피드포워드 (post-LN)."""

    def __init__(self, config: BartConfig) -> None:
        super().__init__()
        D, H, p = config.d_model, config.n_heads, config.dropout
        self.self_attn = PostLNSublayer(D, MultiHeadAttention(D, H), p)
        self.cross_attn = PostLNSublayer(D, MultiHeadAttention(D, H), p)
        ff = FeedForward(D, config.d_ff, activation=F.gelu)
        self.ff = PostLNSublayer(D, ff, p)

    def forward(
        self,
        x: torch.Tensor,
        memory: torch.Tensor,
        self_mask: torch.Tensor,
        cross_mask: torch.Tensor | None,
    ) -> torch.Tensor:
        x = self.self_attn(x, mask=self_mask)  # (B, T, D)
        x = self.cross_attn(x, context=memory, mask=cross_mask)  # (B, T, D)
        return self.ff(x)  # (B, T, D)


class Bart(EncoderDecoder):
    """BART (BartForConditionalGeneration과 같은 계산).

    인코더와 디코더가 단어 임베딩 하나(shared)를 함께 쓰고, 출력 층도 같은 행렬입니다.
    위치는 인코더·디코더가 따로 가진 학습된 절대 위치 표로 더하고, 곧바로 LayerNorm을 겁니다.
    src_lengths, tgt_lengths는 오른쪽 패딩을 뺀 길이 (B,)이고, 주지 않으면 패딩이 없습니다.
    """

    def __init__(
        self, config: BartConfig, generator: torch.Generator | None = None
    ) -> None:
        super().__init__()
        self.config = config
        V, D = config.vocab_size, config.d_model
        self.shared = nn.Embedding(V, D)
        self.encoder_positions = LearnedPositions(config.max_len, D)
        self.decoder_positions = LearnedPositions(config.max_len, D)
        self.encoder_embedding_norm = nn.LayerNorm(D)
        self.decoder_embedding_norm = nn.LayerNorm(D)
        self.encoder_layers = nn.ModuleList(
            BartEncoderLayer(config) for _ in range(config.n_layers)
        )
        self.decoder_layers = nn.ModuleList(
            BartDecoderLayer(config) for _ in range(config.n_layers)
        )
        self.dropout = nn.Dropout(config.dropout)
        # 출력 층 가중치는 임베딩과 같은 텐서이고, 어휘별 편향만 따로 있습니다.
        # 참조 구현에서 이 편향은 학습하지 않는 버퍼(buffer)라 파라미터 수에 들지 않습니다.
        self.register_buffer("final_logits_bias", torch.zeros(V))
        init_weights(
            self, generator, std=0.02
        )  # 참조 구현의 초기화: N(0, 0.02²), 편향 0

    def encode(
        self, input_ids: torch.Tensor, src_lengths: torch.Tensor | None = None
    ) -> torch.Tensor:
        check_token_ids(input_ids, self.config.vocab_size, self.config.max_len)
        mask = source_mask(input_ids, src_lengths)  # (B, 1, 1, S)
        S = input_ids.size(1)
        x = self.shared(input_ids) + self.encoder_positions(S)  # (B, S, D)
        x = self.dropout(self.encoder_embedding_norm(x))
        for layer in self.encoder_layers:
            x = layer(x, mask)
        return x  # (B, S, D)

    def decode(
        self,
        decoder_input_ids: torch.Tensor,
        memory: torch.Tensor,
        src_lengths: torch.Tensor | None = None,
        tgt_lengths: torch.Tensor | None = None,
    ) -> torch.Tensor:
        check_token_ids(
            decoder_input_ids,
            self.config.vocab_size,
            self.config.max_len,
            "decoder_input_ids",
        )
        self_mask, cross_mask = decoder_masks(
            decoder_input_ids, memory, src_lengths, tgt_lengths
        )
        T = decoder_input_ids.size(1)
        x = self.shared(decoder_input_ids) + self.decoder_positions(
            T
        )  # (B, T, D)
        x = self.dropout(self.decoder_embedding_norm(x))
        for layer in self.decoder_layers:
            x = layer(x, memory, self_mask, cross_mask)
        return (
            F.linear(x, self.shared.weight) + self.final_logits_bias
        )  # (B, T, V)

    def decoder_start(
        self, labels: torch.Tensor | None, input_ids: torch.Tensor
    ) -> torch.Tensor:
        # 참조 구현처럼: 정답이 있으면 정답을, 없으면 입력을 한 칸 밀어 디코더 입력을 만듭니다.
        source = labels if labels is not None else input_ids
        return shift_right(
            source, self.config.pad_id, self.config.decoder_start_id
        )

    # 우리 이름 -> transformers의 BartForConditionalGeneration 이름. 층 안의
    # 이름은 LAYER_NAMES로, 인코더와 디코더가 같습니다.
    HF_NAMES = {
        "shared": "model.shared",
        "encoder_positions.table": "model.encoder.embed_positions",
        "decoder_positions.table": "model.decoder.embed_positions",
        "encoder_embedding_norm": "model.encoder.layernorm_embedding",
        "decoder_embedding_norm": "model.decoder.layernorm_embedding",
    }
    LAYER_NAMES = {
        "self_attn.sublayer": "self_attn",
        "self_attn.norm": "self_attn_layer_norm",
        "cross_attn.sublayer": "encoder_attn",
        "cross_attn.norm": "encoder_attn_layer_norm",
        "ff.sublayer.fc1": "fc1",
        "ff.sublayer.fc2": "fc2",
        "ff.norm": "final_layer_norm",
    }

    @classmethod
    def from_transformers(cls, hf_model: nn.Module) -> Bart:
        """transformers의 BartForConditionalGeneration에서 설정과 가중치를 옮겨 평가 모드로 돌려줍니다."""
        hf = hf_model.config
        if hf.model_type != "bart":
            raise ValueError(
                f"{type(hf_model).__name__}(model_type={hf.model_type!r})는 BART가 아닙니다: "
                "mBART처럼 레이어 정규화의 자리나 수가 다른 모델은 정확히 옮길 수 없습니다"
            )
        symmetric = (
            hf.encoder_layers == hf.decoder_layers
            and hf.encoder_attention_heads == hf.decoder_attention_heads
            and hf.encoder_ffn_dim == hf.decoder_ffn_dim
        )
        if (
            not symmetric
            or hf.scale_embedding
            or hf.activation_function != "gelu"
        ):
            raise ValueError(
                "대칭 구조, scale_embedding=False, GELU인 BART 설정만 옮길 수 있습니다"
            )
        config = BartConfig(
            vocab_size=hf.vocab_size,
            max_len=hf.max_position_embeddings,
            d_model=hf.d_model,
            n_layers=hf.encoder_layers,
            n_heads=hf.encoder_attention_heads,
            d_ff=hf.encoder_ffn_dim,
            dropout=hf.dropout,
            pad_id=hf.pad_token_id,
            decoder_start_id=hf.decoder_start_token_id,
        )
        theirs = hf_model.state_dict()
        model = cls(config).to(theirs["model.shared.weight"].dtype)
        # final_logits_bias는 (1, V) 모양의 버퍼라 우리 (V,)로 펴서 옮깁니다.
        special = {"final_logits_bias": lambda b: b.reshape(-1)}
        rename = renamer(
            cls.HF_NAMES,
            {
                "encoder_layers": ("model.encoder.layers", cls.LAYER_NAMES),
                "decoder_layers": ("model.decoder.layers", cls.LAYER_NAMES),
            },
        )
        return port_weights(model, theirs, rename, special).eval()


# --8<-- [start:token-masking]
def token_masking(
    tokens: torch.Tensor,
    mask_id: int,
    p: float = 0.15,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    """토큰 마스킹(token masking): BERT처럼 토큰마다 확률 p로 [MASK]로 바꿉니다.
    길이는 그대로."""
    hit = torch.rand(tokens.shape, generator=generator) < p  # (N,)
    return tokens.masked_fill(hit, mask_id)


# --8<-- [end:token-masking]


# --8<-- [start:token-deletion]
def token_deletion(
    tokens: torch.Tensor,
    p: float = 0.15,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    """토큰 삭제(token deletion): 토큰마다 확률 p로 지웁니다.

    [MASK]가 남지 않으므로 모델은 무엇이 빠졌는지와 함께 어디가 빠졌는지도
    맞혀야 합니다.
    """
    keep = torch.rand(tokens.shape, generator=generator) >= p  # (N,)
    return tokens[keep]


# --8<-- [end:token-deletion]


# --8<-- [start:poisson-span-lengths]
def poisson_span_lengths(
    num_to_mask: int,
    poisson_lambda: float = 3.0,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    """구간 길이를 Poisson(lambda)에서 뽑되, 합이 num_to_mask가 될 때까지
    뽑습니다.

    길이 0인 구간도 그대로 둡니다(그 자리에는 [MASK]가 끼어들기만 합니다).
    마지막 구간은 합을 정확히 맞추도록 잘립니다.
    """
    lengths = torch.zeros(0, dtype=torch.long)
    while int(lengths.sum()) < num_to_mask:
        rate = torch.full(
            (max(1, math.ceil(num_to_mask / poisson_lambda)),), poisson_lambda
        )
        lengths = torch.cat(
            [lengths, torch.poisson(rate, generator=generator).long()]
        )
    if num_to_mask == 0:
        return lengths
    total = lengths.cumsum(0)
    # 합이 처음으로 num_to_mask에 닿는 구간
    k = int(torch.searchsorted(total, num_to_mask))
    lengths = lengths[: k + 1].clone()
    lengths[-1] -= int(total[k]) - num_to_mask
    return lengths


# --8<-- [end:poisson-span-lengths]


# --8<-- [start:text-infilling]
def text_infilling(
    tokens: torch.Tensor,
    mask_id: int,
    mask_ratio: float = 0.3,
    poisson_lambda: float = 3.0,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    """텍스트 채우기(text infilling): 구간 하나를 [MASK] 하나로 바꿉니다.

    가릴 토큰 수는 round(mask_ratio * N)이고, 구간 길이는 Poisson(lambda=3)을
    따릅니다. 길이 0인 구간은 [MASK]를 끼워 넣기만 하므로, 모델은 [MASK] 하나
    뒤에 토큰이 몇 개 숨었는지(0개일 수도)를 스스로 알아내야 합니다. 남는 토큰의
    순서는 그대로입니다. 구간 k개를 남는 토큰 사이 (N - 가릴 수 + 1)개 틈에
    고르게 무작위로 흩어 놓습니다.
    """
    N = tokens.numel()
    num_to_mask = round(mask_ratio * N)
    lengths = poisson_span_lengths(
        num_to_mask, poisson_lambda, generator
    ).tolist()
    n_keep, k = N - num_to_mask, len(lengths)
    # 남는 토큰 n_keep개와 구간 k개를 한 줄로 세운 순서를 고르게 뽑습니다:
    # 구간이 설 자리 k개를 고릅니다.
    is_span = torch.zeros(n_keep + k, dtype=torch.bool)
    is_span[torch.randperm(n_keep + k, generator=generator)[:k]] = True
    out, i, spans = [], 0, iter(lengths)
    source = tokens.tolist()
    for slot in is_span.tolist():
        if slot:
            out.append(mask_id)
            i += next(spans)  # 구간의 토큰들은 건너뜁니다
        else:
            out.append(source[i])
            i += 1
    return torch.tensor(out, dtype=tokens.dtype)


# --8<-- [end:text-infilling]


# --8<-- [start:sentence-permutation]
def sentence_permutation(
    tokens: torch.Tensor,
    full_stop_id: int,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    """문장 순서 섞기(sentence permutation): 마침표 토큰으로 문장을 나눠 무작위
    순서로 잇습니다."""
    # 각 문장의 끝(마침표 다음) 위치
    ends = (tokens == full_stop_id).nonzero().flatten() + 1
    bounds = [0, *ends.tolist()]
    if bounds[-1] != tokens.numel():  # 마침표 없이 끝나는 마지막 문장
        bounds.append(tokens.numel())
    sentences = [
        tokens[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)
    ]
    order = torch.randperm(len(sentences), generator=generator)
    return torch.cat([sentences[j] for j in order.tolist()])


# --8<-- [end:sentence-permutation]


# --8<-- [start:document-rotation]
def document_rotation(
    tokens: torch.Tensor, generator: torch.Generator | None = None
) -> torch.Tensor:
    """문서 회전(document rotation): 고르게 뽑은 토큰 하나가 맨 앞에 오도록
    문서를 돌립니다.

    모델은 원래 문서가 어디서 시작하는지를 알아내야 합니다.
    """
    start = int(torch.randint(tokens.numel(), (), generator=generator))
    return torch.cat([tokens[start:], tokens[:start]])


# --8<-- [end:document-rotation]


if __name__ == "__main__":
    import time

    started = time.perf_counter()
    # 아주 작은 모델이라 스레드 하나가 가장 빠릅니다(이 데모에서만)
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(0)
    text = (
        "BART는 문서를 망가뜨린 뒤 원래 문서를 다시 씁니다 . 노이즈 함수는 다섯 가지입니다 . "
        "디코더는 언제나 원문 전체를 씁니다 ."
    )
    vocab, ids, doc = demo = demo_text(text, ["<pad>", "<s>", "</s>", "<mask>"])
    show = demo.show
    mask_id, stop_id = ids["<mask>"], ids["."]
    print("원문       :", show(doc))
    print("토큰 마스킹:", show(token_masking(doc, mask_id, 0.3, generator=g)))
    print("토큰 삭제  :", show(token_deletion(doc, 0.3, generator=g)))
    print("텍스트 채우기:", show(text_infilling(doc, mask_id, generator=g)))
    print("문장 섞기  :", show(sentence_permutation(doc, stop_id, generator=g)))
    print("문서 회전  :", show(document_rotation(doc, generator=g)))

    with torch.device("meta"):
        for name in ("bart-base", "bart-large"):
            print(
                f"{name}: 파라미터 {count_parameters(Bart(bart_preset(name))):,}개"
            )

    # 작은 BART가 (문장 섞기 + 텍스트 채우기)로 망가진 문서를 원문으로 되돌리도록 배웁니다.
    config = BartConfig(vocab_size=len(vocab), max_len=32, **DEMO_SIZES)
    model = Bart(config, generator=g)

    def noised() -> tuple[torch.Tensor, torch.Tensor]:
        shuffled = sentence_permutation(doc, stop_id, g)
        return text_infilling(shuffled, mask_id, generator=g), doc

    losses = train_briefly(model, noised)
    for step in (0, len(losses) - 1):
        print(f"학습 {step + 1:>2}스텝: 손실 {losses[step]:.3f}")
    print(f"({time.perf_counter() - started:.1f}초)")
