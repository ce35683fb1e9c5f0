"""GPT: 디코더만으로 만든 언어 모델.

글 「디코더를 활용한 GPT 알아보기」가 이 파일의 구간을 싣습니다. 구조는 GPT-2를 따릅니다: 토큰 임베딩 +
학습된 위치 임베딩, 사전 정규화(pre-LN) 블록 n개(마스크 셀프 어텐션과 피드포워드), 마지막 LayerNorm, 토큰
임베딩과 가중치를 묶은 출력층. 어텐션과 인과 마스크는 snippets/attention.py의 것을 그대로 씁니다
(True = 참조해도 됨). 다음 토큰 맞히기(손실, 생성, 블로그 글로 학습)는 snippets/causal_lm.py에 있습니다.

원래 구현과 다른 점: 드롭아웃(dropout)은 뺐습니다. 이 블로그의 작은 모델은 몇 초만 학습하므로
과적합보다 덜 배우는 쪽이 문제이고, 평가 모드(eval)의 계산은 드롭아웃이 있어도 같습니다.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import nn

from snippets.attention import MultiHeadAttention, causal_mask
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
from snippets.residual import FeedForward, PreLNSublayer


# --8<-- [start:gpt-config]
@dataclass
class GPTConfig:
    """GPT 설정. 기본값은 GPT-2 small(124M)입니다."""

    vocab_size: int = 50257  # 어휘 크기 V (GPT-2의 바이트 수준 BPE)
    # 최대 길이: 위치 임베딩의 행 수이자 한 번에 볼 수 있는 최대 토큰 수
    max_len: int = 1024
    d_model: int = 768  # 모델 폭 D (임베딩과 잔차 스트림의 차원)
    n_layers: int = 12  # 디코더 블록 수
    n_heads: int = 12  # 어텐션 헤드 수 H (헤드 폭 Dh = D / H)
    d_ff: int = 0  # 피드포워드 안쪽 폭; 0이면 GPT의 약속대로 4D
    eps: float = 1e-5  # LayerNorm의 분모 안정화 상수

    def __post_init__(self) -> None:
        self.d_ff = self.d_ff or 4 * self.d_model
        check_sizes(self, *MODEL_SIZES)
        check_heads(self.d_model, self.n_heads, "GPTConfig")
        check_fields(self, positive=("eps",))


# --8<-- [end:gpt-config]


# --8<-- [start:block]
class Block(nn.Module):
    """디코더 블록 하나: 마스크 셀프 어텐션과 피드포워드, 둘 다 잔차 연결
    (residual connection).

    레이어 정규화(layer normalization)는 각 서브블록의 *입력*에 둡니다(pre-LN,
    GPT-2부터): 잔차 연결 글의 PreLNSublayer입니다. 원래 트랜스포머와 GPT-1은
    서브블록 출력 쪽(post-LN)에 둡니다. 피드포워드의 활성화 함수는 GPT-2가 쓰는
    tanh 근사 GELU입니다.
    """

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        D, eps = config.d_model, config.eps
        attn = MultiHeadAttention(D, config.n_heads)
        self.self_attn = PreLNSublayer(D, attn, eps=eps)
        gelu = partial(F.gelu, approximate="tanh")
        ff = FeedForward(D, config.d_ff, activation=gelu)
        self.ff = PreLNSublayer(D, ff, eps=eps)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        x = self.self_attn(x, mask=mask)  # (B, T, D)
        return self.ff(x)  # (B, T, D)


# --8<-- [end:block]


# --8<-- [start:gpt]
class GPT(nn.Module):
    """디코더만 쌓은 언어 모델. 토큰 id (B, T)를 받아 다음 토큰의 로짓
    (B, T, V)을 돌려줍니다.

    위치 t의 로짓은 토큰 0..t만 보고 만듭니다: 모든 블록이 인과 마스크(causal
    mask)를 씁니다. generator를 주면 가중치 초기화가 그 난수 생성기만으로
    정해집니다.
    """

    def __init__(
        self, config: GPTConfig, generator: torch.Generator | None = None
    ) -> None:
        super().__init__()
        self.config = config
        # 토큰 임베딩
        self.wte = nn.Embedding(config.vocab_size, config.d_model)
        # 학습된 위치 임베딩
        self.wpe = nn.Embedding(config.max_len, config.d_model)
        self.layers = nn.ModuleList(
            Block(config) for _ in range(config.n_layers)
        )
        self.final_norm = nn.LayerNorm(config.d_model, eps=config.eps)
        self.lm_head = nn.Linear(config.d_model, config.vocab_size, bias=False)
        # 가중치 묶기(weight tying): 출력층은 토큰 임베딩 행렬을 그대로 다시
        # 씁니다.
        self.lm_head.weight = self.wte.weight
        # GPT-2의 초기화: N(0, 0.02), 잔차로 더해지는 투영은 층이 깊을수록
        # 작게(1/sqrt(2 * n_layers)).
        residual_std = 0.02 / math.sqrt(2 * config.n_layers)
        stds = {"out_proj": residual_std, "fc2": residual_std}
        init_weights(self, generator, std=0.02, stds=stds)

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        V, max_len = self.config.vocab_size, self.config.max_len
        check_token_ids(input_ids, V, max_len)
        B, T = input_ids.shape
        positions = torch.arange(T, device=input_ids.device)  # (T,)
        x = self.wte(input_ids) + self.wpe(positions)  # (B, T, D)
        # (T, T), True = 참조해도 됨
        mask = causal_mask(T, device=input_ids.device)
        for block in self.layers:
            x = block(x, mask)  # (B, T, D)
        x = self.final_norm(x)  # (B, T, D)
        return self.lm_head(x)  # (B, T, V)

    # --8<-- [end:gpt]

    # --8<-- [start:from-transformers]
    # 우리 이름 -> transformers의 GPT2LMHeadModel 이름. 층 안의 이름은 LAYER_NAMES.
    HF_NAMES = {
        "wte": "transformer.wte",
        "wpe": "transformer.wpe",
        "final_norm": "transformer.ln_f",
        "lm_head.weight": "transformer.wte.weight",  # 묶인 가중치
    }
    LAYER_NAMES = {
        "self_attn.norm": "ln_1",
        # q, k, v가 한 행렬에 이어 붙어 있습니다
        "self_attn.sublayer.q_proj": "attn.c_attn",
        "self_attn.sublayer.k_proj": "attn.c_attn",
        "self_attn.sublayer.v_proj": "attn.c_attn",
        "self_attn.sublayer.out_proj": "attn.c_proj",
        "ff.norm": "ln_2",
        "ff.sublayer.fc1": "mlp.c_fc",
        "ff.sublayer.fc2": "mlp.c_proj",
    }

    @classmethod
    def from_transformers(cls, hf_model: nn.Module) -> GPT:
        """transformers의 GPT2LMHeadModel(설정과 가중치)로 만든 GPT를 평가
        모드로 돌려줍니다.

        특별한 가중치는 둘입니다. GPT-2의 Conv1D는 (입력, 출력)으로 저장하므로
        nn.Linear의 (출력, 입력)으로 전치하고, c_attn은 q, k, v를 출력 차원으로
        이어 붙인 행렬이라 셋으로 나눕니다. 나머지는 port_weights가 모양을
        확인하며 그대로 복사합니다.
        """
        hf = hf_model.config
        if hf.activation_function not in ("gelu_new", "gelu_pytorch_tanh"):
            raise ValueError(
                "tanh GELU가 아닌 활성화 함수는 지원하지 않습니다: "
                f"{hf.activation_function}"
            )
        if not hf.tie_word_embeddings:
            raise ValueError("출력층이 토큰 임베딩에 묶인 GPT-2만 지원합니다")
        if not hf.scale_attn_weights or hf.scale_attn_by_inverse_layer_idx:
            raise ValueError(
                "어텐션 점수를 1/sqrt(Dh)로만 나누는 GPT-2만 지원합니다"
            )
        config = GPTConfig(
            vocab_size=hf.vocab_size,
            max_len=hf.n_positions,
            d_model=hf.n_embd,
            n_layers=hf.n_layer,
            n_heads=hf.n_head,
            d_ff=hf.n_inner or 0,
            eps=hf.layer_norm_epsilon,
        )
        D = config.d_model
        special = {
            "out_proj.weight": torch.t,
            "fc1.weight": torch.t,
            "fc2.weight": torch.t,
        }
        for i, name in enumerate(("q_proj", "k_proj", "v_proj")):
            # (D, D)
            special[f"{name}.weight"] = lambda w, i=i: w.split(D, dim=1)[i].T
            special[f"{name}.bias"] = lambda b, i=i: b.split(D)[i]  # (D,)
        theirs = hf_model.state_dict()
        model = cls(config).to(theirs["transformer.wte.weight"].dtype)
        stacks = {"layers": ("transformer.h", cls.LAYER_NAMES)}
        rename = renamer(cls.HF_NAMES, stacks)
        port_weights(model, theirs, rename, special)
        return model.eval()

    # --8<-- [end:from-transformers]


# --8<-- [start:presets]
class Printed(NamedTuple):
    """논문의 표에 적힌 그대로의 모양 (헤드 수 x 헤드 폭이 d_model과 맞지 않는
    줄)."""

    n_layers: int
    d_model: int
    n_heads: int
    head_dim: int


class Preset(NamedTuple):
    """발표된 GPT 설정 하나와, 발표된 파라미터 수와 그 출처."""

    config: GPTConfig
    published: str  # 발표된 그대로의 반올림 (예: "117M", "1.3B")
    source: str
    # 발표된 설정과 다르게 둔 값과 그 까닭 (없으면 빈 문자열)
    deviation: str = ""
    # 발표된 설정이 서로 맞지 않을 때, 표에 적힌 그대로의 모양
    printed: Printed | None = None


# GPT-2 논문의 표 2는 117M/345M/762M/1542M이라고 적었지만, OpenAI의 gpt-2
# 저장소는 "원래의
# 파라미터 수가 오류로 틀렸다"며 124M/355M/774M/1558M으로 정정했습니다. 여기에는
# 정정된 수치를 씁니다.
GPT2_REPO = "OpenAI gpt-2 저장소 (정정된 수치)"
GPT3_TABLE = "GPT-3 논문 표 2.1"
# GPT-3는 GPT-2의 토크나이저와 2048 문맥을 씁니다
GPT3 = dict(vocab_size=50257, max_len=2048)

PRESETS: dict[str, Preset] = {
    # GPT-1 논문은 파라미터 수를 적지 않았고, GPT-2 논문 표 2가 "원래 GPT와 같은
    # 크기"로 117M을 적었습니다.
    "GPT-1": Preset(
        GPTConfig(
            vocab_size=40478, max_len=512, d_model=768, n_layers=12, n_heads=12
        ),
        "117M",
        "GPT-2 논문 표 2",
    ),
    "GPT-2 small": Preset(
        GPTConfig(d_model=768, n_layers=12, n_heads=12), "124M", GPT2_REPO
    ),
    "GPT-2 medium": Preset(
        GPTConfig(d_model=1024, n_layers=24, n_heads=16), "355M", GPT2_REPO
    ),
    "GPT-2 large": Preset(
        GPTConfig(d_model=1280, n_layers=36, n_heads=20), "774M", GPT2_REPO
    ),
    "GPT-2 XL": Preset(
        GPTConfig(d_model=1600, n_layers=48, n_heads=25), "1558M", GPT2_REPO
    ),
    "GPT-3 Small": Preset(
        GPTConfig(**GPT3, d_model=768, n_layers=12, n_heads=12),
        "125M",
        GPT3_TABLE,
    ),
    "GPT-3 Medium": Preset(
        GPTConfig(**GPT3, d_model=1024, n_layers=24, n_heads=16),
        "350M",
        GPT3_TABLE,
    ),
    "GPT-3 Large": Preset(
        GPTConfig(**GPT3, d_model=1536, n_layers=24, n_heads=16),
        "760M",
        GPT3_TABLE,
    ),
    # 표 2.1에서 헤드 수 x 헤드 폭이 d_model과 맞지 않는 두 줄은 적힌
    # 그대로(printed)를 함께 둡니다.
    # XL은 d_model과 헤드 폭을 믿고 헤드 수를, 13B는 헤드 수와 헤드 폭을 믿고
    # d_model을 바꿉니다.
    "GPT-3 XL": Preset(
        GPTConfig(**GPT3, d_model=2048, n_layers=24, n_heads=16),
        "1.3B",
        GPT3_TABLE,
        "헤드 수: 표의 24 × 128 = 3,072가 d_model 2,048과 맞지 않아 16 × 128로 "
        "둠",
        Printed(n_layers=24, d_model=2048, n_heads=24, head_dim=128),
    ),
    "GPT-3 2.7B": Preset(
        GPTConfig(**GPT3, d_model=2560, n_layers=32, n_heads=32),
        "2.7B",
        GPT3_TABLE,
    ),
    "GPT-3 6.7B": Preset(
        GPTConfig(**GPT3, d_model=4096, n_layers=32, n_heads=32),
        "6.7B",
        GPT3_TABLE,
    ),
    "GPT-3 13B": Preset(
        GPTConfig(**GPT3, d_model=5120, n_layers=40, n_heads=40),
        "13.0B",
        GPT3_TABLE,
        "d_model: 표의 5,140이 40 × 128 = 5,120과 맞지 않아 5,120으로 둠 "
        "(OPT-13B와 같은 읽기)",
        Printed(n_layers=40, d_model=5140, n_heads=40, head_dim=128),
    ),
    "GPT-3 175B": Preset(
        GPTConfig(**GPT3, d_model=12288, n_layers=96, n_heads=96),
        "175.0B",
        GPT3_TABLE,
    ),
}

# GPT-2 논문 표 2가 적은 (나중에 정정된) 수치.
GPT2_PAPER_FIGURES: dict[str, str] = {
    "GPT-2 small": "117M",
    "GPT-2 medium": "345M",
    "GPT-2 large": "762M",
    "GPT-2 XL": "1542M",
}


# --8<-- [end:presets]


# --8<-- [start:untie-output-head]
def untie_output_head(model: GPT) -> GPT:
    """출력층에 토큰 임베딩의 복사본을 새 파라미터로 주어 묶기를 풉니다.

    값은 그대로라 로짓은 같지만, 이제 출력층 행렬이 따로 학습되는
    파라미터라서 V x D개가 더해집니다(연습 문제의 풀이).
    """
    weight = model.wte.weight.detach().clone()  # (V, D)
    model.lm_head.weight = nn.Parameter(weight)
    return model


# --8<-- [end:untie-output-head]


# --8<-- [start:future-leak]
def logits_without_mask(model: GPT, input_ids: torch.Tensor) -> torch.Tensor:
    """GPT.forward와 같은 계산에서 인과 마스크만 뺀 로짓 (B, T, V).

    마스크의 모든 칸이 True라서 모든 자리가 앞뒤를 다 봅니다.
    """
    T = input_ids.size(1)
    device = input_ids.device
    positions = torch.arange(T, device=device)  # (T,)
    x = model.wte(input_ids) + model.wpe(positions)  # (B, T, D)
    see_all = torch.ones(T, T, dtype=torch.bool, device=device)
    for block in model.layers:
        x = block(x, see_all)  # (B, T, D)
    return model.lm_head(model.final_norm(x))  # (B, T, V)


Logits = Callable[[torch.Tensor], torch.Tensor]  # 토큰 id -> 로짓


@torch.no_grad()
def future_leak(logits_of: Logits, ids: torch.Tensor, new_last: int) -> float:
    """마지막 토큰만 new_last로 바꿨을 때 그 앞 자리(0..T-2)의 로짓이
    움직인 최대 절댓값(연습 문제의 풀이).

    인과 마스크가 있으면 0이어야 합니다: 과거는 미래를 보지 않습니다.
    """
    changed = ids.clone()
    changed[:, -1] = new_last
    moved = logits_of(changed) - logits_of(ids)  # (B, T, V)
    return moved[:, :-1].abs().max().item()


# --8<-- [end:future-leak]


def in_published_rounding(count: int, published: str) -> str:
    """count를 published와 같은 단위와 소수 자릿수로 씁니다: (116_536_320, "117M") -> "117M"."""
    unit = {"M": 1e6, "B": 1e9}[published[-1]]
    decimals = len(published[:-1].partition(".")[2])
    return f"{count / unit:.{decimals}f}{published[-1]}"


if __name__ == "__main__":
    with torch.device("meta"):  # 메모리 없이 모양만 만들어 셉니다
        for name, preset in PRESETS.items():
            count = count_parameters(GPT(preset.config))
            shown = in_published_rounding(count, preset.published)
            print(
                f"{name}: 파라미터 {count:,}개 ({shown}, 발표 {preset.published})"
            )
