# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 인코더를 활용한 BERT 알아보기: 동반 노트북
#
# 글 「인코더를 활용한 BERT 알아보기」의 표, 그림, 숫자를 만드는 코드입니다. 블로그를 빌드할 때
# 이 노트북이 처음부터 실행됩니다. 큰 모델은 `meta` 장치에 만들어 메모리 없이 파라미터만 세고,
# 작은 무작위 모델로 transformers 구현과 출력을 견주고 양방향성을 확인합니다.

# %%
import matplotlib.pyplot as plt
import torch
from transformers import BertConfig as HFBertConfig
from transformers import BertForMaskedLM as HFBertForMaskedLM

from notebook_outputs import save_numbers, save_table
from notebook_outputs.figures import COLUMN, PHONE, Look, save_plot
from snippets.attention import causal_mask
from snippets.bert import (
    BERT_PRESETS,
    PAPER_PARAMS_M,
    Bert,
    BertConfig,
    BertForPreTraining,
)
from snippets.parameters import count_parameters

# %% [markdown]
# ## BERT-base와 BERT-large의 크기
#
# 설정 두 개로 모델을 `meta` 장치에 만들고 파라미터를 셉니다. "본체"는 임베딩 + 인코더 층 +
# 풀러(transformers의 BertModel과 같은 범위), "사전 학습"은 여기에 MLM 헤드와 NSP 헤드를 더한
# 것입니다(MLM 출력 가중치는 토큰 임베딩과 묶여 있어 한 번만 셉니다).

# %%
counts = {}
with torch.device("meta"):
    for name, config in BERT_PRESETS.items():
        counts[name] = (
            count_parameters(Bert(config)),
            count_parameters(BertForPreTraining(config)),
        )

rows = []
for name, config in BERT_PRESETS.items():
    body, pretraining = counts[name]
    rows.append(
        (
            f"BERT-{name}",
            config.n_layers,
            f"{config.d_model:,}",
            config.n_heads,
            f"{config.d_ff:,}",
            f"{body:,}",
            f"{pretraining:,}",
            f"{PAPER_PARAMS_M[name]}M",
        )
    )
header = [
    "모델",
    "층 L",
    "폭 H",
    "헤드 A",
    "피드포워드",
    "본체",
    "사전 학습 (헤드 포함)",
    "논문",
]
save_table("bert-sizes", header, rows)
save_numbers(
    base_params=f"{counts['base'][0]:,}",
    paper_base_m=PAPER_PARAMS_M["base"],
    paper_large_m=PAPER_PARAMS_M["large"],
    large_params=f"{counts['large'][0]:,}",
    base_params_m=f"{counts['base'][0] / 1e6:.1f}",
    large_params_m=f"{counts['large'][0] / 1e6:.1f}",
    base_pretraining_m=f"{counts['base'][1] / 1e6:.1f}",
    large_pretraining_m=f"{counts['large'][1] / 1e6:.1f}",
)
print(rows)

# %% [markdown]
# ## 파라미터는 어디에 있나
#
# 본체의 파라미터를 임베딩, 인코더 층(어텐션, 피드포워드, LayerNorm), 풀러로 나눠 봅니다.

# %%
parts = {}
with torch.device("meta"):
    for name, config in BERT_PRESETS.items():
        model = Bert(config)
        layers = model.layers
        parts[name] = {
            "embeddings": count_parameters(model.embeddings),
            "attention": sum(
                count_parameters(layer.self_attn.sublayer) for layer in layers
            ),
            "feed-forward": sum(
                count_parameters(layer.ff.sublayer) for layer in layers
            ),
            "layer norms": sum(
                count_parameters(layer.self_attn.norm)
                + count_parameters(layer.ff.norm)
                for layer in layers
            ),
            "pooler": count_parameters(model.pooler),
        }
        assert sum(parts[name].values()) == counts[name][0]

names = list(BERT_PRESETS)
PART_NAMES = {  # 그림의 범례 (용어집의 용어)
    "embeddings": "임베딩",
    "attention": "어텐션",
    "feed-forward": "피드포워드",
    "layer norms": "레이어 정규화",
    "pooler": "풀러",
}


def draw_parts(fig: plt.Figure, look: Look) -> None:
    ax = fig.subplots()
    colors = [look.muted, look.blue, look.orange, look.green, look.purple]
    left = [0.0] * len(names)
    for part, color in zip(parts["base"], colors, strict=True):
        widths = [parts[name][part] / 1e6 for name in names]
        ax.barh(
            [f"BERT-{n}" for n in names],
            widths,
            left=left,
            color=color,
            label=PART_NAMES[part],
        )
        left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.set(xlabel="파라미터 (백만 개)")
    ax.invert_yaxis()
    fig.legend(loc="outside upper center", ncols=3 if look.narrow else 5)


save_plot(
    "parameter-breakdown",
    draw_parts,
    size=(COLUMN, 2.5),
    narrow=(PHONE, 2.9),
    alt=(
        "BERT-base와 BERT-large 본체의 파라미터를 임베딩, 어텐션, 피드포워드, "
        "레이어 정규화, 풀러로 나눈 가로 막대그래프. 두 모델 모두 피드포워드가 "
        "가장 크고, 어텐션이 그다음입니다. 레이어 정규화와 풀러는 막대에서 "
        "거의 보이지 않습니다."
    ),
    caption=(
        "BERT의 파라미터는 대부분 층 안에 있습니다: 피드포워드가 가장 크고 "
        "어텐션이 그다음이며, 임베딩의 몫은 모델이 클수록 작아집니다."
    ),
)

share = {name: parts[name]["embeddings"] / counts[name][0] for name in names}
base_parts = parts["base"]
base_layer = (
    base_parts["attention"]
    + base_parts["feed-forward"]
    + base_parts["layer norms"]
) // BERT_PRESETS["base"].n_layers
save_numbers(
    base_embedding_percent=f"{100 * share['base']:.0f}",
    large_embedding_percent=f"{100 * share['large']:.0f}",
    base_layer_params=f"{base_layer:,}",
)

# %% [markdown]
# ## transformers의 BERT와 같은 출력
#
# 작은 무작위 BertForMaskedLM(폭 48, 헤드 3, 층 2)을 만들고 BertForPreTraining.from_transformers로
# 가중치를 옮긴 뒤, 패딩과 세그먼트가 섞인 배치에서 MLM 로짓의 최대 차이를 잽니다.

# %%
torch.manual_seed(0)
hf_config = HFBertConfig(
    vocab_size=100,
    hidden_size=48,
    num_attention_heads=3,
    num_hidden_layers=2,
    intermediate_size=96,
    max_position_embeddings=32,
)
generator = torch.Generator().manual_seed(0)
input_ids = torch.randint(100, (3, 12), generator=generator)
token_type_ids = torch.randint(2, (3, 12), generator=generator)
lengths = torch.tensor([12, 9, 5])
attention_mask = (torch.arange(12)[None, :] < lengths[:, None]).long()
differences = {}
for dtype in (torch.float32, torch.float64):
    hf = HFBertForMaskedLM(hf_config).to(dtype).eval()
    ours = BertForPreTraining.from_transformers(hf)
    with torch.no_grad():
        expected = hf(
            input_ids,
            attention_mask=attention_mask,
            token_type_ids=token_type_ids,
        ).logits
        got = ours(input_ids, token_type_ids, lengths).mlm_logits
    real = attention_mask.bool()
    differences[dtype] = (got - expected)[real].abs().max().item()
save_numbers(
    **{
        f"parity_{str(dtype).removeprefix('torch.')}": f"{d:.1e}" if d else "0"
        for dtype, d in differences.items()
    },
    parity_width=hf_config.hidden_size,
    parity_heads=hf_config.num_attention_heads,
    parity_layers=hf_config.num_hidden_layers,
)
print(differences)

# %% [markdown]
# ## 양방향성: 뒤 글자를 바꾸면 앞 자리도 바뀐다
#
# 작은 무작위 BERT에 토큰 8개를 넣고, 위치 j의 토큰만 바꿨을 때 위치 i의 마지막 은닉 상태가 얼마나
# 바뀌는지(최대 절댓값 차이)를 칸 (i, j)에 적습니다. 같은 층들에 인과 마스크를 주면 대각선 위가
# 정확히 0이 됩니다.

# %%
config = BertConfig(
    vocab_size=50, max_len=16, d_model=32, n_layers=2, n_heads=4, d_ff=64
)
model = Bert(config, torch.Generator().manual_seed(0)).double().eval()
T = 8
ids = torch.randint(5, 50, (1, T), generator=torch.Generator().manual_seed(1))


def encode(tokens: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
    x = model.embeddings(tokens)  # (1, T, D)
    for layer in model.layers:
        x = layer(x, mask)
    return x[0]  # (T, D)


influence = {}
with torch.no_grad():
    for label, mask in (
        ("bidirectional (BERT)", None),
        ("causal mask", causal_mask(T)),
    ):
        base = encode(ids, mask)
        grid = torch.zeros(T, T, dtype=torch.float64)
        for j in range(T):
            changed = ids.clone()
            changed[0, j] = 5 + (ids[0, j] - 5 + 1) % 45
            grid[:, j] = (encode(changed, mask) - base).abs().amax(dim=-1)
        influence[label] = grid
assert (influence["bidirectional (BERT)"] > 0).all()
others = ~torch.eye(T, dtype=torch.bool)  # 바꾼 자리 자신을 뺀 칸들
bidirectional = influence["bidirectional (BERT)"]
# 뒤 토큰을 바꾼 칸들 (i < j)
above = torch.ones(T, T, dtype=torch.bool).triu(diagonal=1)
assert (influence["causal mask"][above] == 0).all()
save_numbers(
    influence_tokens=T,
    influence_min=f"{bidirectional[others].min():.1e}",
    influence_max=f"{bidirectional[others].max():.1e}",
    influence_zero_above=int((influence["causal mask"][above] == 0).sum()),
    influence_above=int(above.sum()),
)

TITLES = {"bidirectional (BERT)": "양방향 (BERT)", "causal mask": "인과 마스크"}


def draw_influence(fig: plt.Figure, look: Look) -> None:
    # 넓은 칸에는 나란히, 휴대폰에는 위아래로. 변화의 크기는 자릿수가 크게
    # 달라서 로그 눈금으로 칠하고,
    # 정확히 0인 칸(로그가 없음)은 색 막대에 없는 회색 빗금으로 둡니다.
    axes = fig.subplots(2, 1) if look.narrow else fig.subplots(1, 2)
    for index, (ax, (label, grid)) in enumerate(
        zip(axes, influence.items(), strict=True)
    ):
        shown = torch.where(grid > 0, grid.log10(), torch.nan)
        image = ax.imshow(shown, vmin=-4, vmax=1)
        look.mask_cells(ax, grid == 0)
        ax.set(
            title=TITLES[label],
            xlabel="바꾼 토큰의 위치 j",
            xticks=range(T),
            yticks=range(T),
        )
        if look.narrow or index == 0:
            ax.set_ylabel("출력 위치 i")
    colorbar = fig.colorbar(
        image, ax=axes, shrink=0.8, label="출력의 최대 변화 |Δ|"
    )
    colorbar.set_ticks(
        range(-4, 2), labels=[f"{10.0**e:g}" for e in range(-4, 2)]
    )
    fig.legend(
        handles=[look.masked_key("정확히 0 (변화 없음)")],
        loc="outside lower center",
    )


save_plot(
    "bidirectional-influence",
    draw_influence,
    size=(COLUMN, 4.0),
    narrow=(PHONE, 6.6),
    alt=(
        "두 개의 8×8 히트맵. 가로축은 바꾼 토큰의 위치 j, 세로축은 출력 위치 "
        "i입니다. 첫째(양방향, BERT)는 모든 칸이 색으로 채워져 있어, 어느 "
        "토큰을 바꿔도 모든 위치의 출력이 바뀝니다. 둘째(인과 마스크)는 대각선 "
        "위 칸이 모두 회색 빗금(변화가 정확히 0)이라, 뒤 토큰을 바꿔도 앞 "
        "위치의 출력은 그대로입니다. 대각선은 두 그림 모두 가장 밝습니다."
    ),
    caption=(
        "BERT에서는 어느 토큰을 바꿔도 모든 위치의 출력이 바뀌고, 인과 "
        "마스크를 걸면 뒤 토큰은 앞 위치의 출력을 조금도 바꾸지 못합니다."
    ),
)

# %% [markdown]
# ## 구조 그림: 코드를 따라가 그리기
#
# 글의 구조 그림은 아주 작은 BERT 본체(폭 24, 층 2개)의 forward를 torch.fx로 따라가 그립니다
# (`notebook_outputs/diagrams.py`). 인코더 층 안에서 더하기 뒤에 정규화가 오는지(post-LN) 여기서 확인합니다.

# %%
from notebook_outputs.diagrams import save_diagram, trace_diagram

diagram_ids = torch.zeros(2, 5, dtype=torch.long)
bert_diagram = trace_diagram(
    Bert(
        BertConfig(
            vocab_size=11,
            max_len=8,
            d_model=24,
            n_layers=2,
            n_heads=4,
            d_ff=40,
            dropout=0.0,
        ),
        generator=torch.Generator().manual_seed(0),
    ),
    inputs={"input_ids": diagram_ids, "token_type_ids": diagram_ids},
    letters={"B": 2, "T": 5, "D": 24, "d_ff": 40},
    names={
        "input_ids": "토큰 id",
        "token_type_ids": "세그먼트 id",
        "token": "토큰 임베딩",
        "segment": "세그먼트 임베딩",
        "position": "위치 임베딩",
        "[:, 0]": "[CLS] 자리",
        "pooler": "풀러",
        "hidden": "은닉 상태",
        "pooled": "문장 벡터",
    },
    clusters={"BertEmbeddings": "임베딩", "BertLayer": "인코더 층"},
)
save_diagram(
    bert_diagram,
    "bert-structure",
    alt=(
        'BERT 본체의 구조 그림. 맨 위의 토큰 id와 세그먼트 id가 "임베딩" '
        "테두리로 들어가 토큰 임베딩, 세그먼트 임베딩이 되어 더해지고, 위치 "
        '임베딩이 한 번 더 더해진 뒤 레이어 정규화를 지납니다. 그 아래 "인코더 '
        '층 × N" 테두리 안은 위에서 아래로 셀프 어텐션, 더하기, 레이어 '
        "정규화(self_attn.norm), 선형층(fc1, 폭 d_ff), GELU, 선형층(fc2), "
        "더하기, 레이어 정규화(ff.norm)입니다. 파란 화살표는 층의 입력과 "
        "self_attn.norm의 "
        "출력에서 갈라져 각 더하기로 갑니다. 층 뒤에서 흐름은 둘로 나뉘어, "
        "하나는 은닉 상태 (B, T, D)로 나가고, 다른 하나는 첫 자리 [CLS]를 골라 "
        "풀러(선형층)와 tanh를 지나 문장 벡터 (B, D)가 됩니다."
    ),
    caption=(
        "BERT의 인코더 층은 더한 뒤에 정규화합니다(post-LN). 임베딩 셋을 더해 "
        "정규화하고, 풀러는 [CLS] 자리 하나로 문장 벡터를 만듭니다. 빌드 때 이 "
        "글의 코드를 따라가 그린 그림입니다."
    ),
)
layer_order = [
    node.title
    for node in bert_diagram.nodes
    if node.cluster.startswith("layers")
]
assert layer_order[:3] == ["셀프 어텐션", "+", "레이어 정규화"], layer_order
print("인코더 층 안의 순서:", " → ".join(layer_order))

# %% [markdown]
# ## 연습 문제의 풀이
#
# 글 끝의 연습 문제 두 개를 풉니다. 먼저 BERT-base의 폭 768을 그대로 두고 헤드 수만 바꿔 본체의
# 파라미터를 셉니다.

# %%
from snippets.bert import padding_leak, parameters_by_heads

base = BERT_PRESETS["base"]
head_choices = [
    h for h in (1, 2, 3, 4, 6, 8, 12, 16, 24) if base.d_model % h == 0
]
by_heads = parameters_by_heads(base, head_choices)
assert len(set(by_heads.values())) == 1, by_heads
for h, n in by_heads.items():
    print(f"헤드 {h:2d}개 (헤드 폭 {base.d_model // h:3d}): {n:,}개")

# %% [markdown]
# 다음은 작은 무작위 BERT(폭 48, 헤드 3, 층 2)에서 패딩 자리의 토큰만 바꾸고, 진짜 토큰 자리의 은닉
# 상태가 얼마나 움직이는지 잽니다: 패딩 마스크가 있을 때(lengths를 줌)와 없을 때.

# %%
leak_model = Bert(
    BertConfig(
        vocab_size=100, max_len=32, d_model=48, n_layers=2, n_heads=3, d_ff=96
    ),
    generator=torch.Generator().manual_seed(0),
).eval()
leak_masked = padding_leak(leak_model, input_ids, lengths, filler=7)
leak_unmasked = padding_leak(
    leak_model, input_ids, lengths, filler=7, masked=False
)
assert leak_masked == 0.0 and leak_unmasked > 0
print(f"마스크 있음: {leak_masked:.1e}, 마스크 없음: {leak_unmasked:.1e}")
save_numbers(
    heads_tried=" · ".join(str(h) for h in head_choices),
    heads_params=f"{by_heads[base.n_heads]:,}",
    leak_lengths=" · ".join(str(n) for n in lengths.tolist()),
    leak_masked=f"{leak_masked:.1e}",
    leak_unmasked=f"{leak_unmasked:.1e}",
)
