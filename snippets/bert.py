"""BERT: 트랜스포머 인코더만으로 만든 양방향 언어 모델.

글 「인코더를 활용한 BERT 알아보기」의 구조(임베딩, 양방향 셀프 어텐션, 후치 정규화(post-LN) 인코더 층,
풀러, MLM·NSP 헤드)가 이 파일의 구간과 하나씩 맞닿습니다. 어텐션은 snippets/attention.py의
MultiHeadAttention과 padding_mask를 그대로 씁니다(불리언 마스크, True = 참조해도 됨).
빈칸을 만들고 이 모델을 블로그 글로 학습하는 마스크 언어 모델링(MLM)은 snippets/mlm.py에 있습니다.

Bert.from_transformers / BertForPreTraining.from_transformers는 transformers의 BertModel /
BertForMaskedLM / BertForPreTraining 가중치를 그대로 옮겨 와서 같은 출력을 냅니다(tests/test_bert.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import nn

from snippets.attention import MultiHeadAttention, padding_mask
from snippets.model_inputs import (
    MODEL_SIZES,
    check_fields,
    check_heads,
    check_lengths,
    check_segment_ids,
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


# --8<-- [start:bert-config]
@dataclass
class BertConfig:
    """BERT 설정. 기본값은 BERT-base입니다(Devlin et al., 2018, 3절)."""

    # 워드피스(WordPiece) 어휘 크기: 공개된 bert-base-uncased의 vocab.txt
    vocab_size: int = 30522
    # 위치 임베딩의 행 수 = 한 번에 넣을 수 있는 최대 토큰 수
    max_len: int = 512
    n_segments: int = 2  # 세그먼트(문장 A/B) 임베딩의 종류 수
    d_model: int = 768  # 모델 폭 D (논문의 H)
    n_layers: int = 12  # 인코더 층 수 (논문의 L)
    n_heads: int = 12  # 어텐션 헤드 수 H (논문의 A)
    d_ff: int = 3072  # 피드포워드 안쪽 폭 = 4D
    eps: float = 1e-12  # LayerNorm의 엡실론 (공개 체크포인트의 값)
    dropout: float = 0.1  # 임베딩과 잔차 가지의 드롭아웃 확률
    pad_id: int = 0  # [PAD] 토큰 id: 이 행의 임베딩은 기울기를 받지 않습니다
    # 가중치 초기화의 표준편차 (transformers의 initializer_range)
    init_std: float = 0.02

    def __post_init__(self) -> None:
        check_sizes(self, *MODEL_SIZES)
        check_sizes(self, "n_segments")
        check_heads(self.d_model, self.n_heads, "BertConfig")
        check_fields(
            self,
            ids=("pad_id",),
            positive=("eps", "init_std"),
            probabilities=("dropout",),
        )


# --8<-- [end:bert-config]

# 논문 3절: "BERT_BASE (L=12, H=768, A=12, Total Parameters=110M) and
# BERT_LARGE (L=24, H=1024, A=16, Total Parameters=340M)", 피드포워드 폭은 4H.
# (논문의 L, H, A가 여기서는 n_layers, d_model, n_heads입니다.)
BERT_PRESETS: dict[str, BertConfig] = {
    "base": BertConfig(),
    "large": BertConfig(d_model=1024, n_layers=24, n_heads=16, d_ff=4096),
}
# 논문에 적힌 전체 파라미터 수(백만 단위).
PAPER_PARAMS_M: dict[str, int] = {"base": 110, "large": 340}


# --8<-- [start:bert-embeddings]
class BertEmbeddings(nn.Module):
    """토큰 + 위치 + 세그먼트 임베딩을 더한 뒤 LayerNorm.

    세그먼트(segment, transformers의 token_type) 임베딩은 문장 A(0)와 문장
    B(1)를 구분합니다. 위치는 사인파가 아니라 학습되는 표(learned position
    embedding)입니다.
    """

    def __init__(self, config: BertConfig) -> None:
        super().__init__()
        self.token = nn.Embedding(
            config.vocab_size, config.d_model, padding_idx=config.pad_id
        )
        self.segment = nn.Embedding(config.n_segments, config.d_model)
        self.position = nn.Embedding(config.max_len, config.d_model)
        self.norm = nn.LayerNorm(config.d_model, eps=config.eps)
        self.drop = nn.Dropout(config.dropout)

    def forward(
        self,
        input_ids: torch.Tensor,
        token_type_ids: torch.Tensor | None = None,
    ) -> torch.Tensor:
        B, T = input_ids.shape
        if token_type_ids is None:
            token_type_ids = torch.zeros_like(input_ids)  # 모두 문장 A
        positions = torch.arange(T, device=input_ids.device)  # (T,)
        x = self.token(input_ids) + self.segment(token_type_ids)  # (B, T, D)
        x = x + self.position(positions)  # (B, T, D) + (T, D)
        return self.drop(self.norm(x))


# --8<-- [end:bert-embeddings]


# --8<-- [start:bert-layer]
class BertLayer(nn.Module):
    """인코더 층 하나: 양방향 셀프 어텐션과 GELU 피드포워드, 각각 뒤에 잔차 +
    LayerNorm.

    원래 트랜스포머처럼 정규화가 잔차를 더한 *뒤*에 옵니다(post-LN, 잔차 연결
    글의 PostLNSublayer). GPT-2 이후의 많은 모델은 정규화를 가지의 앞에
    둡니다(pre-LN). 인과 마스크가 없으므로 모든 위치가 앞뒤를 다 봅니다. 원래
    BERT에 있는 어텐션 확률의 드롭아웃은 생략합니다(평가 모드의 출력은
    같습니다).
    """

    def __init__(self, config: BertConfig) -> None:
        super().__init__()
        D, p, eps = config.d_model, config.dropout, config.eps
        attn = MultiHeadAttention(D, config.n_heads)
        self.self_attn = PostLNSublayer(D, attn, p, eps)
        # erf로 계산하는 정확한 GELU: tanh 근사(GPT-2)로는 공개 가중치와 출력이
        # 어긋납니다.
        ff = FeedForward(D, config.d_ff, activation=F.gelu)
        self.ff = PostLNSublayer(D, ff, p, eps)

    def forward(
        self, x: torch.Tensor, mask: torch.Tensor | None = None
    ) -> torch.Tensor:
        x = self.self_attn(x, mask=mask)  # (B, T, D)
        return self.ff(x)  # (B, T, D)


# --8<-- [end:bert-layer]


# --8<-- [start:bert-model]
class BertOutput(NamedTuple):
    hidden: torch.Tensor  # (B, T, D) 마지막 층의 은닉 상태
    pooled: torch.Tensor  # (B, D) [CLS] 자리를 풀러에 통과시킨 문장 표현


class Bert(nn.Module):
    """BERT 본체: 임베딩, 인코더 층 L개, 풀러(pooler).

    lengths를 주면 시퀀스마다 앞의 lengths[b]개만 진짜 토큰이고 나머지는
    패딩입니다. 패딩 마스크는 키(key) 쪽만 가리므로, 진짜 토큰은 패딩을 보지
    않고 서로의 앞뒤를 모두 봅니다. 풀러는 첫 토큰([CLS])의 은닉 상태에 Linear와
    tanh를 씌워 문장 하나의 벡터를 만듭니다. 가중치는 BERT의 초기화(N(0,
    init_std²), 편향 0, LayerNorm 1과 0)로, generator 하나에서 뽑습니다.
    """

    def __init__(
        self, config: BertConfig, generator: torch.Generator | None = None
    ) -> None:
        super().__init__()
        self.config = config
        self.embeddings = BertEmbeddings(config)
        self.layers = nn.ModuleList(
            BertLayer(config) for _ in range(config.n_layers)
        )
        self.pooler = nn.Linear(config.d_model, config.d_model)
        init_weights(self, generator, std=config.init_std)

    def forward(
        self,
        input_ids: torch.Tensor,
        token_type_ids: torch.Tensor | None = None,
        lengths: torch.Tensor | None = None,
    ) -> BertOutput:
        check_token_ids(input_ids, self.config.vocab_size, self.config.max_len)
        if token_type_ids is not None:
            check_segment_ids(token_type_ids, input_ids, self.config.n_segments)
        if lengths is not None:
            check_lengths(lengths, input_ids, "lengths", "input_ids")
        B, T = input_ids.shape
        # (B, 1, 1, T)
        mask = None if lengths is None else padding_mask(lengths, T)
        x = self.embeddings(input_ids, token_type_ids)  # (B, T, D)
        for layer in self.layers:
            x = layer(x, mask)
        pooled = torch.tanh(self.pooler(x[:, 0]))  # (B, D)
        return BertOutput(x, pooled)

    @classmethod
    def from_transformers(cls, hf_model: nn.Module) -> Bert:
        """transformers의 BertModel에서 설정과 가중치를 옮겨 옵니다(아래
        port_bert)."""
        if hasattr(hf_model, "cls"):
            raise ValueError(
                "헤드가 있는 BERT는 BertForPreTraining.from_transformers로 "
                "옮기세요"
            )
        return port_bert(
            cls(bert_config_from_transformers(hf_model.config)), hf_model
        )


# --8<-- [end:bert-model]


# --8<-- [start:mlm-head]
class MLMHead(nn.Module):
    """MLM 헤드: 변환(Linear + GELU + LayerNorm) 뒤 어휘 크기의 로짓.

    decoder의 가중치는 모델이 토큰 임베딩과 묶습니다(weight tying). 출력
    가중치는 입력 임베딩과 같은 텐서이지만, 토큰마다 출력에만 쓰는 편향(bias)은
    따로 둡니다.
    """

    def __init__(self, config: BertConfig) -> None:
        super().__init__()
        self.dense = nn.Linear(config.d_model, config.d_model)
        self.norm = nn.LayerNorm(config.d_model, eps=config.eps)
        self.decoder = nn.Linear(config.d_model, config.vocab_size, bias=False)
        self.bias = nn.Parameter(torch.zeros(config.vocab_size))

    def forward(self, hidden: torch.Tensor) -> torch.Tensor:
        h = self.norm(F.gelu(self.dense(hidden)))  # (B, T, D)
        return self.decoder(h) + self.bias  # (B, T, V)


# --8<-- [end:mlm-head]


# --8<-- [start:bert-for-pretraining]
class PreTrainingOutput(NamedTuple):
    mlm_logits: torch.Tensor  # (B, T, V) 자리마다 어휘 전체에 대한 로짓
    # (B, 2) 0 = 문장 B가 A의 다음 문장, 1 = 무작위 문장
    nsp_logits: torch.Tensor
    hidden: torch.Tensor  # (B, T, D) 인코더의 마지막 은닉 상태


class BertForPreTraining(nn.Module):
    """사전 학습용 BERT: 본체 + MLM 헤드 + 다음 문장 예측(NSP) 헤드.

    MLM 헤드는 모든 자리의 은닉 상태에서 가려진 토큰을 맞히고, NSP 헤드는 풀러의
    문장 벡터 하나로 두 문장이 이어지는지(2가지)를 맞힙니다.
    """

    def __init__(
        self, config: BertConfig, generator: torch.Generator | None = None
    ) -> None:
        super().__init__()
        self.config = config
        self.bert = Bert(config, generator)
        self.mlm = MLMHead(config)
        self.nsp = nn.Linear(config.d_model, 2)
        # 가중치 묶기: 같은 Parameter 객체이므로 파라미터 수에도 한 번만 셉니다.
        self.mlm.decoder.weight = self.bert.embeddings.token.weight
        # 본체는 Bert가 초기화했으니, 헤드의 새 층만 초기화합니다(묶인 출력
        # 가중치는 건드리지 않습니다).
        for head in (self.mlm.dense, self.mlm.norm, self.nsp):
            init_weights(head, generator, std=config.init_std)

    def forward(
        self,
        input_ids: torch.Tensor,
        token_type_ids: torch.Tensor | None = None,
        lengths: torch.Tensor | None = None,
    ) -> PreTrainingOutput:
        hidden, pooled = self.bert(input_ids, token_type_ids, lengths)
        return PreTrainingOutput(self.mlm(hidden), self.nsp(pooled), hidden)

    @classmethod
    def from_transformers(cls, hf_model: nn.Module) -> BertForPreTraining:
        """transformers의 BertForMaskedLM이나 BertForPreTraining에서 옮겨
        옵니다(아래 port_bert)."""
        if not hasattr(hf_model, "cls"):
            raise ValueError(
                "헤드가 없는 BertModel은 Bert.from_transformers로 옮기세요"
            )
        return port_bert(
            cls(bert_config_from_transformers(hf_model.config)), hf_model
        )


# --8<-- [end:bert-for-pretraining]


# --8<-- [start:from-transformers]
# 우리 이름 -> transformers의 BERT 이름. 층 안의 이름은 LAYER_NAMES.
HF_NAMES = {
    "embeddings.token": "embeddings.word_embeddings",
    "embeddings.segment": "embeddings.token_type_embeddings",
    "embeddings.position": "embeddings.position_embeddings",
    "embeddings.norm": "embeddings.LayerNorm",
    "pooler": "pooler.dense",
    # 묶인 가중치
    "mlm.decoder.weight": "bert.embeddings.word_embeddings.weight",
    "mlm.bias": "cls.predictions.bias",
    "mlm.dense": "cls.predictions.transform.dense",
    "mlm.norm": "cls.predictions.transform.LayerNorm",
    "nsp": "cls.seq_relationship",
}
LAYER_NAMES = {
    "self_attn.sublayer.q_proj": "attention.self.query",
    "self_attn.sublayer.k_proj": "attention.self.key",
    "self_attn.sublayer.v_proj": "attention.self.value",
    "self_attn.sublayer.out_proj": "attention.output.dense",
    "self_attn.norm": "attention.output.LayerNorm",
    "ff.sublayer.fc1": "intermediate.dense",
    "ff.sublayer.fc2": "output.dense",
    "ff.norm": "output.LayerNorm",
}


def bert_config_from_transformers(hf: object) -> BertConfig:
    """transformers의 BertConfig를 이 파일의 BertConfig로 옮깁니다(정확한 GELU,
    양방향만)."""
    if hf.hidden_act != "gelu" or hf.is_decoder:
        raise ValueError("정확한 GELU를 쓰는 양방향 BERT만 옮길 수 있습니다")
    return BertConfig(
        vocab_size=hf.vocab_size,
        max_len=hf.max_position_embeddings,
        n_segments=hf.type_vocab_size,
        d_model=hf.hidden_size,
        n_layers=hf.num_hidden_layers,
        n_heads=hf.num_attention_heads,
        d_ff=hf.intermediate_size,
        eps=hf.layer_norm_eps,
        dropout=hf.hidden_dropout_prob,
        pad_id=hf.pad_token_id,
        init_std=hf.initializer_range,
    )


def port_bert(
    model: Bert | BertForPreTraining, hf_model: nn.Module
) -> nn.Module:
    """hf_model의 가중치를 model로 옮겨 평가 모드로 돌려줍니다. 참조 쪽에 없는
    풀러와 NSP 헤드 (BertForMaskedLM에는 둘 다 없습니다)는 초기화된 채로
    둡니다(MLM 로짓에는 쓰이지 않습니다)."""
    theirs = hf_model.state_dict()
    model = model.to(next(iter(theirs.values())).dtype)
    rename = renamer(HF_NAMES, {"layers": ("encoder.layer", LAYER_NAMES)})

    def name_in_theirs(name: str) -> str | None:
        # 사전 학습용 모델의 본체 이름은 참조 구현처럼 bert.로 시작합니다
        inner = name.removeprefix("bert.")
        key = name[: len(name) - len(inner)] + rename(inner)
        optional = name.startswith(("pooler.", "bert.pooler.", "nsp."))
        return None if optional and key not in theirs else key

    return port_weights(model, theirs, name_in_theirs).eval()


# --8<-- [end:from-transformers]


# --8<-- [start:parameters-by-heads]
def parameters_by_heads(
    config: BertConfig,
    heads: Sequence[int],
) -> dict[int, int]:
    """폭 d_model은 그대로 두고 헤드 수만 바꾼 BERT 본체의 파라미터 수
    {헤드 수: 개수}(연습 문제의 풀이).

    헤드 H개는 폭 D를 D / H씩 나눠 가질 뿐이라, Q·K·V와 출력 투영은
    헤드 수와 상관없이 D x D입니다. meta 장치에 만들어 값 없이 셉니다.
    """
    counts = {}
    with torch.device("meta"):
        for h in heads:
            model = Bert(replace(config, n_heads=h))
            counts[h] = count_parameters(model)
    return counts


# --8<-- [end:parameters-by-heads]


# --8<-- [start:padding-leak]
@torch.no_grad()
def padding_leak(
    model: Bert,
    ids: torch.Tensor,
    lengths: torch.Tensor,
    filler: int,
    masked: bool = True,
) -> float:
    """패딩 자리(앞의 lengths[b]개 뒤)의 토큰을 filler로 바꿨을 때 진짜
    토큰 자리의 은닉 상태가 움직인 최대 절댓값(연습 문제의 풀이).

    masked=False면 lengths를 주지 않아 패딩 마스크 없이 계산합니다.
    """
    T = ids.size(1)
    pad = torch.arange(T, device=ids.device) >= lengths[:, None]  # (B, T)
    changed = torch.where(pad, filler, ids)
    given = lengths if masked else None
    before = model(ids, lengths=given).hidden  # (B, T, D)
    after = model(changed, lengths=given).hidden  # (B, T, D)
    return (after - before)[~pad].abs().max().item()


# --8<-- [end:padding-leak]


if __name__ == "__main__":
    with torch.device("meta"):  # 메모리 없이 모양만 만들어 파라미터를 셉니다
        for name, config in BERT_PRESETS.items():
            n = count_parameters(Bert(config))
            print(
                f"BERT-{name}: 파라미터 {n:,}개 (논문: {PAPER_PARAMS_M[name]}M)"
            )
