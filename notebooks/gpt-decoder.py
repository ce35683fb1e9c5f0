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
# # 디코더를 활용한 GPT 알아보기: 동반 노트북
#
# 글 「디코더를 활용한 GPT 알아보기」의 표와 숫자를 만드는 코드입니다. 블로그를 빌드할 때 이
# 노트북이 처음부터 실행됩니다. 큰 모델은 meta 장치(device)에 만들어 모양만 있고 값은 없는
# 파라미터를 셉니다. 그래서 175B 모델도 메모리와 시간이 들지 않습니다.

# %%
import torch
from transformers import GPT2Config, GPT2LMHeadModel

from notebook_outputs import save_numbers, save_table
from snippets.gpt import (
    GPT,
    GPT2_PAPER_FIGURES,
    PRESETS,
    GPTConfig,
    in_published_rounding,
)
from snippets.parameters import count_parameters


def meta_model(config: GPTConfig) -> GPT:
    with torch.device("meta"):
        return GPT(config)


# %% [markdown]
# ## GPT-2 small의 파라미터는 어디에 있나
#
# 글의 네 가지 구성 요소별로 GPT-2 small의 파라미터를 나눠 셉니다. 출력층은 토큰 임베딩과
# 가중치를 묶었으므로(weight tying) 따로 세지 않습니다.

# %%
small = meta_model(PRESETS["GPT-2 small"].config)
total = count_parameters(small)


def size(modules) -> int:
    return sum(count_parameters(m) for m in modules)


parts = [
    ("입력 임베딩 (토큰 + 위치)", size([small.wte, small.wpe])),
    (
        "마스크 멀티 헤드 어텐션",
        size(block.self_attn.sublayer for block in small.layers),
    ),
    (
        "위치별 피드포워드 신경망",
        size(block.ff.sublayer for block in small.layers),
    ),
    (
        "레이어 정규화",
        size(
            [
                small.final_norm,
                *(s.norm for b in small.layers for s in (b.self_attn, b.ff)),
            ]
        ),
    ),
    ("출력층 (토큰 임베딩과 공유)", 0),
]
assert sum(n for _, n in parts) == total == 124_439_808
save_table(
    "gpt2-small-parts",
    ["구성 요소", "파라미터 수", "비율"],
    [
        (
            name,
            f"{n:,}",
            f"{n / total:.1%}"
            if n / total >= 0.001 or n == 0
            else f"{n / total:.2%}",
        )
        for name, n in parts
    ]
    + [("합계", f"**{total:,}**", "100%")],
)
for name, n in parts:
    print(f"{name}: {n:,}")

# %% [markdown]
# ## GPT 버전별 비교
#
# 프리셋마다 우리 코드로 센 파라미터 수를 발표된 수치 옆에 둡니다.

# %%


rows, mismatched, deviations = [], [], []
for name, preset in PRESETS.items():
    c = preset.config
    count = count_parameters(meta_model(c))
    rounded = in_published_rounding(count, preset.published)
    if rounded != preset.published:
        mismatched.append(name)
    mark = ""
    # 발표된 설정과 다르게 둔 값은 표 안에 † 표시하고 아래에 까닭을 답니다
    if preset.deviation:
        deviations.append((f"`{name}`†", preset.deviation))
        mark = "†"
    rows.append(
        (
            f"`{name}`{mark}",
            c.n_layers,
            f"{c.d_model:,}",
            c.n_heads,
            f"{c.max_len:,}",
            f"{c.vocab_size:,}",
            f"{count:,}",
            f"{rounded} / {preset.published}"
            + ("" if rounded == preset.published else " ✗"),
        )
    )
save_table(
    "presets",
    [
        "모델",
        "층",
        "폭 D",
        "헤드",
        "문맥",
        "어휘",
        "우리 코드가 센 파라미터",
        "반올림 / 발표",
    ],
    rows,
)
save_table("preset-deviations", ["프리셋", "발표된 설정과 다른 점"], deviations)

# 표에 적힌 그대로(as printed)와 이 글이 센 설정(as counted)을 나란히: 바뀐
# 항목마다 한 줄.
# 헤드 수는 d_model이 같으면 파라미터 수를 바꾸지 않으므로, 적힌 그대로의 수는
# 적힌 d_model로 셉니다.
as_printed, changed = [], []
for name, preset in PRESETS.items():
    if preset.printed is None:
        continue
    c, printed = preset.config, preset.printed
    counted = {
        "층": (printed.n_layers, c.n_layers),
        "d_model": (printed.d_model, c.d_model),
        "헤드 수": (printed.n_heads, c.n_heads),
        "헤드 폭": (printed.head_dim, c.d_model // c.n_heads),
    }
    # 피드포워드는 적힌 d_model의 4배(d_ff=0), 헤드는 1개(폭이 같으면 헤드 수는
    # 파라미터 수를 바꾸지 않음)
    as_printed_config = {
        **vars(c),
        "d_model": printed.d_model,
        "d_ff": 0,
        "n_heads": 1,
    }
    printed_count = count_parameters(meta_model(GPTConfig(**as_printed_config)))
    count = count_parameters(meta_model(c))
    for entry, (was, now) in counted.items():
        if was != now:
            changed.append(f"{name}의 {entry}")
            as_printed.append((name, entry, f"{was:,}", f"{now:,}"))
    as_printed.append(
        (
            name,
            "파라미터 수",
            f"{printed_count:,} "
            f"({in_published_rounding(printed_count, preset.published)})",
            f"{count:,} ({in_published_rounding(count, preset.published)})",
        )
    )
save_table(
    "preset-as-printed",
    ["프리셋", "항목", "표 2.1에 적힌 그대로", "이 글이 센 설정"],
    as_printed,
)
save_numbers(
    preset_mismatches=", ".join(mismatched),
    preset_mismatch_count=len(mismatched),
    preset_printed_count=sum(p.printed is not None for p in PRESETS.values()),
    preset_changed_entries=", ".join(changed),
)
for row in rows:
    print(row)

# %% [markdown]
# ## GPT-2 논문의 수치
#
# GPT-2 논문 표 2의 117M/345M/762M/1542M은 나중에 OpenAI가 틀렸다고 정정한 수치입니다.
# 우리 코드로 어휘 크기만 GPT-1의 것으로 바꿔 세어 보면 네 수치가 모두 자릿수까지 맞습니다.

# %%
gpt1_vocab = PRESETS["GPT-1"].config.vocab_size
paper_rows = []
for name, paper in GPT2_PAPER_FIGURES.items():
    config = PRESETS[name].config
    actual = count_parameters(meta_model(config))
    with_gpt1_vocab = count_parameters(
        meta_model(GPTConfig(**{**vars(config), "vocab_size": gpt1_vocab}))
    )
    assert f"{with_gpt1_vocab / 1e6:.0f}M" == paper
    paper_rows.append((name, paper, f"{actual:,}", f"{with_gpt1_vocab:,}"))
save_table(
    "gpt2-paper-figures",
    [
        "모델",
        "GPT-2 논문 표 2",
        f"우리 코드 (어휘 {PRESETS['GPT-2 small'].config.vocab_size:,})",
        f"우리 코드 (어휘 {gpt1_vocab:,})",
    ],
    paper_rows,
)
for row in paper_rows:
    print(row)

# %% [markdown]
# ## GPT-2 가중치를 그대로 불러오기
#
# transformers의 GPT2LMHeadModel을 작은 무작위 설정으로 만들고(내려받기 없음) GPT.from_transformers로
# 옮긴 뒤, 같은 입력의 로짓을 float64로 견줍니다.

# %%
torch.manual_seed(0)
# bos/eos의 기본값 50256은 작은 어휘 밖이라 0으로 둡니다(로짓과는 상관없음).
tiny = GPT2Config(
    vocab_size=100,
    n_positions=32,
    n_embd=48,
    n_layer=2,
    n_head=3,
    bos_token_id=0,
    eos_token_id=0,
)
hf = GPT2LMHeadModel(tiny)
hf = hf.double().eval()
ours = GPT.from_transformers(hf)
ids = torch.randint(100, (2, 32), generator=torch.Generator().manual_seed(0))
with torch.no_grad():
    max_diff = (ours(ids) - hf(ids).logits).abs().max().item()
assert max_diff < 1e-10
print(f"로짓의 최대 차이: {max_diff:.1e}")

# %%
gpt3 = PRESETS["GPT-3 175B"].config
largest = count_parameters(meta_model(gpt3))
embedding_share = (gpt3.vocab_size + gpt3.max_len) * gpt3.d_model / largest
gpt1 = PRESETS["GPT-1"].config
save_numbers(
    gpt1_missing_final_ln=f"{2 * gpt1.d_model:,}",
    gpt2_small=f"{total:,}",
    gpt2_small_embedding_share=f"{parts[0][1] / total:.0%}",
    gpt3_175b=f"{largest:,}",
    gpt3_175b_embedding_share=f"{embedding_share:.1%}",
    parity_max_diff=f"{max_diff:.0e}",
)

# %% [markdown]
# ## 구조 그림: 코드를 따라가 그리기
#
# 글의 블록 구조 그림은 손으로 그리지 않습니다. 아주 작은 GPT(폭 24, 블록 2개)의 forward를 torch.fx로
# 따라가 층이 불리는 순서와 텐서가 흐르는 길을 읽고, Graphviz로 SVG를 만듭니다(`notebook_outputs/diagrams.py`).
# 그래서 `Block.forward`에서 LayerNorm의 자리를 바꾸면 그림도 바뀝니다. 글이 말하는 순서(사전 정규화:
# 정규화 → 어텐션 → 더하기)가 그림에 있는지도 여기서 확인합니다.

# %%
from notebook_outputs.diagrams import save_diagram, trace_diagram

diagram_model = GPT(
    GPTConfig(vocab_size=11, max_len=8, d_model=24, n_layers=2, n_heads=3),
    generator=torch.Generator().manual_seed(0),
)
gpt_diagram = trace_diagram(
    diagram_model,
    inputs={"input_ids": torch.zeros(2, 5, dtype=torch.long)},
    letters={"B": 2, "T": 5, "D": 24, "V": 11},
    names={
        "input_ids": "토큰 id",
        "wte": "토큰 임베딩",
        "wpe": "위치 임베딩",
        "lm_head": "출력층",
        "output": "로짓",
    },
    leaves=("FeedForward",),
    clusters={"Block": "디코더 블록"},
)
save_diagram(
    gpt_diagram,
    "gpt-structure",
    alt=(
        "GPT의 구조 그림. 맨 위의 토큰 id가 토큰 임베딩(wte)을 지나 위치 "
        '임베딩(wpe)과 더해지고, "디코더 블록 × N" 테두리로 들어갑니다. 블록 '
        "안은 위에서 아래로 레이어 정규화(self_attn.norm), 인과 마스크를 받는 "
        "마스크 셀프 어텐션(self_attn.sublayer), 더하기, 레이어 "
        "정규화(ff.norm), 피드포워드(ff.sublayer), "
        "더하기입니다. 파란 화살표는 블록의 입력과 첫 더하기의 결과에서 갈라져 "
        "정규화를 거치지 않고 각 더하기로 갑니다. 블록 뒤에는 마지막 레이어 "
        "정규화(final_norm)와 출력층(lm_head)이 있고, 출력층은 점선으로 토큰 "
        "임베딩과 이어져 있습니다. 출력은 (B, T, V) 모양의 로짓입니다."
    ),
    caption=(
        "GPT의 블록은 정규화를 어텐션과 피드포워드의 앞에 두고(pre-LN), 잔차 "
        "연결(파란 선)은 정규화를 거치지 않습니다. 출력층은 토큰 임베딩과 "
        "가중치를 함께 씁니다(점선). 빌드 때 이 글의 코드를 따라가 그린 "
        "그림입니다."
    ),
)
block_order = [node.title for node in gpt_diagram.nodes if node.cluster]
assert block_order[:3] == ["레이어 정규화", "마스크 셀프 어텐션", "+"], (
    block_order
)
print("디코더 블록 안의 순서:", " → ".join(block_order))

# %% [markdown]
# ## 연습 문제의 풀이
#
# 글 끝의 연습 문제 두 개를 풉니다. 먼저 출력층의 묶기를 풀고 GPT-2 small의 파라미터를 다시 셉니다
# (meta 장치라서 값 없이 모양만 만듭니다).

# %%
from snippets.gpt import future_leak, logits_without_mask, untie_output_head

tied_model = meta_model(PRESETS["GPT-2 small"].config)
tied_count = count_parameters(tied_model)
untied_count = count_parameters(untie_output_head(tied_model))
small = PRESETS["GPT-2 small"].config
assert untied_count - tied_count == small.vocab_size * small.d_model
print(
    f"묶음: {tied_count:,}개, 풂: {untied_count:,}개 "
    f"(+{untied_count - tied_count:,})"
)

# %% [markdown]
# 다음은 작은 무작위 GPT에서 마지막 토큰 하나만 바꾸고, 그 앞 자리의 로짓이 얼마나 움직이는지 잽니다.
# 인과 마스크가 있으면 0이고, 마스크를 빼면(모든 칸 True) 과거의 로짓이 미래를 따라 바뀝니다.

# %%
leak_model = GPT(
    GPTConfig(vocab_size=50, max_len=16, d_model=48, n_layers=2, n_heads=4),
    generator=torch.Generator().manual_seed(0),
).eval()
leak_ids = torch.randint(
    49, (1, 16), generator=torch.Generator().manual_seed(1)
)
with_mask = future_leak(leak_model, leak_ids, new_last=49)
without_mask = future_leak(
    lambda x: logits_without_mask(leak_model, x), leak_ids, new_last=49
)
assert with_mask == 0.0 and without_mask > 0
print(f"마스크 있음: {with_mask:.1e}, 마스크 없음: {without_mask:.1e}")
save_numbers(
    tied_parameters=f"{tied_count:,}",
    untied_parameters=f"{untied_count:,}",
    untied_extra=f"{untied_count - tied_count:,}",
    untied_extra_share=f"{(untied_count - tied_count) / tied_count:.0%}",
    leak_with_mask=f"{with_mask:.1e}",
    leak_without_mask=f"{without_mask:.1e}",
    leak_tokens=f"{leak_ids.size(1)}",
)
