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
# # 인코더와 디코더를 모두 사용하는 BART,T5 차이점: 동반 노트북
#
# 글 「인코더와 디코더를 모두 사용하는 BART,T5 차이점」의 표·그림·숫자를 만드는 코드입니다.
# 블로그를 빌드할 때 이 노트북이 처음부터 실행되고, 여기서 저장한 결과가 글에 실립니다.
# 모델과 노이즈 함수는 `snippets/bart.py`, `snippets/t5.py`에 있고, 테스트가 transformers의
# 구현과 같은 값을 내는지 확인합니다.

# %%
import difflib
import re

import matplotlib.pyplot as plt
import numpy as np
import torch

from notebook_outputs import dimensions, save_numbers, save_table, unbroken
from notebook_outputs.figures import COLUMN, PHONE, Look, save_plot
from snippets.bart import (
    Bart,
    BartConfig,
    bart_preset,
    document_rotation,
    poisson_span_lengths,
    sentence_permutation,
    text_infilling,
    token_deletion,
    token_masking,
)
from snippets.parameters import count_parameters
from snippets.t5 import (
    T5,
    T5Config,
    relative_position_bucket,
    span_corruption,
    t5_preset,
)

# %% [markdown]
# ## 블로그의 한국어 문장을 두 방식으로 망가뜨리기
#
# 노이즈마다 무엇이 바뀌는지 한눈에 보이도록, 짧은 두 문장을 단어와 문장 부호 단위로 자릅니다(문장 순서
# 섞기에는 문장이 둘 이상 있어야 합니다). 진짜 BART와 T5는 서브워드 어휘(BPE, SentencePiece)를 쓰지만,
# 노이즈 함수는 토큰 id만 보므로 단어 단위로도 똑같이 동작합니다. BART의 `<mask>`는 `[MASK]`로, T5의
# 센티널 `<extra_id_i>`는 `[Xi]`로 보입니다.

# %%
EXAMPLE = (
    "BART는 망가진 문서를 원래대로 고칩니다. T5는 지운 구간만 다시 씁니다."
)
words = re.findall(r"[\w-]+|[^\w\s]", EXAMPLE)
n_sentinels = 10
vocab = ["<pad>", "[MASK]", *sorted(set(words))]
# T5처럼 센티널은 어휘의 맨 끝, 거꾸로
vocab += [f"[X{i}]" for i in reversed(range(n_sentinels))]
ids = {w: i for i, w in enumerate(vocab)}
doc = torch.tensor([ids[w] for w in words])
MASK, FULL_STOP, SENTINEL = ids["[MASK]"], ids["."], ids["[X0]"]


def show(tokens: torch.Tensor) -> str:
    """토큰 id를 단어로 잇고, 문장 부호 앞의 빈칸을 없앱니다."""
    return re.sub(
        r" ([,.])", r"\1", " ".join(vocab[i] for i in tokens.tolist())
    )


def show_changes(tokens: torch.Tensor) -> str:
    """원문과 견줘 새로 생긴 토큰은 굵게, 사라진 토큰은 <del>로 보입니다(옮겨진
    토큰은 둘 다로)."""
    before, after = (
        [vocab[i] for i in doc.tolist()],
        [vocab[i] for i in tokens.tolist()],
    )
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(
        a=before, b=after, autojunk=False
    ).get_opcodes():
        if op in ("delete", "replace"):
            out.append("<del>" + " ".join(before[i1:i2]) + "</del>")
        if op in ("insert", "replace"):
            out.append("**" + " ".join(after[j1:j2]) + "**")
        if op == "equal":
            out.append(" ".join(after[j1:j2]))
    return re.sub(r" ([,.])", r"\1", " ".join(out))


print(len(words), "토큰:", show(doc))

# %% [markdown]
# BART의 다섯 노이즈와 논문이 최종 모델에 쓴 조합(문장 섞기 + 텍스트 채우기 30%), 그리고 T5의 구간 손상을
# 같은 생성기(generator) 하나로 차례로 적용합니다. BART의 디코더는 언제나 원문 전체를 다시 쓰고,
# T5의 디코더는 지운 구간만 씁니다.

# %%
g = torch.Generator().manual_seed(0)
rows = [
    ("토큰 마스킹", token_masking(doc, MASK, 0.15, g)),
    ("토큰 삭제", token_deletion(doc, 0.15, g)),
    ("텍스트 채우기", text_infilling(doc, MASK, 0.3, 3.0, g)),
    ("문장 순서 섞기", sentence_permutation(doc, FULL_STOP, g)),
    ("문서 회전", document_rotation(doc, g)),
]
final_bart = text_infilling(
    sentence_permutation(doc, FULL_STOP, g), MASK, 0.3, 3.0, g
)
rows.append(("문장 섞기 + 텍스트 채우기", final_bart))
t5_inputs, t5_targets = span_corruption(doc, SENTINEL, generator=g)
# 한 줄이라도 원문과 같으면(뽑힌 자리가 없으면) 예시로서 보여 주는 것이 없으니
# 멈춥니다.
assert all(not torch.equal(noisy, doc) for _, noisy in rows)
table = [
    (f"BART: {name}", show_changes(noisy), "원문 전체") for name, noisy in rows
]
table.append(("T5: 구간 손상", show_changes(t5_inputs), show(t5_targets)))
save_table(
    "noising-examples",
    ["노이즈", "인코더 입력 (굵게: 새로 생김, 줄: 사라짐)", "디코더가 쓸 정답"],
    table,
)
for row in table:
    print(*row, sep="\n  ")

save_numbers(
    sentence_tokens=len(words),
    bart_final_input_tokens=final_bart.numel(),
    bart_target_tokens=doc.numel(),
    t5_input_tokens=t5_inputs.numel(),
    t5_target_tokens=t5_targets.numel(),
)

# %% [markdown]
# ## 긴 문서에서 잰 노이즈의 크기
#
# 문장 하나로는 비율을 말하기 어려우니, 길이 512 토큰의 문서(T5 사전 학습의 입력 길이) 1,000개에
# 두 목표를 적용해 잽니다. T5는 노이즈 수와 구간 수를 반올림으로 정하고 자리만 무작위로 고르므로 문서마다
# 값이 같고, BART의 구간 길이는 Poisson(3)에서 뽑으므로 문서마다 다릅니다.

# %%
L, n_docs = 512, 1000
g = torch.Generator().manual_seed(1)
# 서로 다른 토큰: 센티널·마스크와 겹치지 않습니다
long_doc = torch.arange(100, 100 + L)
t5_noise, t5_spans, t5_in, t5_out = 0, 0, 0, 0
bart_masked, bart_spans, bart_in = 0, 0, 0
for _ in range(n_docs):
    inputs, targets = span_corruption(long_doc, 32099, generator=g)
    k = int((inputs >= 32000).sum())
    t5_spans += k
    t5_noise += targets.numel() - (k + 1)
    t5_in, t5_out = t5_in + inputs.numel(), t5_out + targets.numel()
    noisy = text_infilling(long_doc, 0, 0.3, 3.0, g)
    bart_spans += int((noisy == 0).sum())
    bart_masked += L - int((noisy != 0).sum())
    bart_in += noisy.numel()
lengths = poisson_span_lengths(100_000, 3.0, g)[:-1]

save_numbers(
    doc_length=L,
    n_docs=f"{n_docs:,}",
    t5_noise_density=f"{t5_noise / (n_docs * L):.3f}",
    t5_mean_span=f"{t5_noise / t5_spans:.2f}",
    t5_mean_input=f"{t5_in / n_docs:.0f}",
    t5_mean_target=f"{t5_out / n_docs:.0f}",
    bart_mask_fraction=f"{bart_masked / (n_docs * L):.3f}",
    bart_mean_span=f"{bart_masked / bart_spans:.2f}",
    bart_mean_input=f"{bart_in / n_docs:.0f}",
    bart_zero_span_percent=f"{100 * (lengths == 0).double().mean().item():.1f}",
    poisson_zero_percent=f"{100 * np.exp(-3.0):.1f}",
    target_ratio=f"{L / (t5_out / n_docs):.1f}",
)
print(
    f"T5  : 노이즈 밀도 {t5_noise / (n_docs * L):.4f}, 평균 구간 "
    f"{t5_noise / t5_spans:.3f}"
)
print(
    f"BART: 가린 비율 {bart_masked / (n_docs * L):.4f}, 평균 구간 "
    f"{bart_masked / bart_spans:.3f}"
)

# %% [markdown]
# ## 절대 위치와 상대 위치
#
# BART는 위치 t의 토큰에 표의 t + 2번째 행을 더합니다. 쿼리 i가 키 j를 볼 때 모델이 받는 위치
# 정보는 키 자신의 절대 위치뿐이라, 그림의 왼쪽처럼 키 위치(열)에만 따라 달라집니다. T5는 점수에
# bucket(j - i)번 편향을 더하므로 값이 대각선을 따라 일정합니다. 인코더(가운데)는 앞뒤를 구별하고,
# 디코더(오른쪽)는 미래를 가리므로(회색) 과거 쪽 거리에 버킷 32개를 모두 씁니다. 가까운 거리는 하나씩,
# 먼 거리는 로그 간격으로 묶이고, 128 이상은 마지막 버킷 하나입니다.

# %%
N = 160
query = torch.arange(N)[:, None]
key = torch.arange(N)[None, :]
absolute_row = (key + 2).expand(N, N)  # BART: 키 j가 쓰는 위치 표의 행
encoder_buckets = relative_position_bucket(key - query, bidirectional=True)
decoder_buckets = relative_position_bucket(key - query, bidirectional=False)
future = key > query

panels = [
    ("BART\n위치 표의 행 j + 2", absolute_row.numpy(), "cividis"),
    ("T5 인코더\n버킷(j − i)", encoder_buckets.numpy(), "viridis"),
    (
        "T5 디코더\n버킷(j − i)",
        np.ma.masked_where(future.numpy(), decoder_buckets.numpy()),
        "viridis",
    ),
]


def draw_positions(fig: plt.Figure, look: Look) -> None:
    # 넓은 칸에는 나란히, 휴대폰에는 위아래로. 가려진 미래 칸은 색 막대에 없는
    # 회색입니다.
    # T5의 두 그림은 같은 버킷 번호를 쓰므로 색 막대 하나를 함께 씁니다.
    axes = fig.subplots(3, 1) if look.narrow else fig.subplots(1, 3)
    images = []
    for index, (ax, (title, values, cmap)) in enumerate(
        zip(axes, panels, strict=True)
    ):
        colormap = plt.get_cmap(cmap).copy()
        colormap.set_bad(look.masked)
        images.append(ax.imshow(values, cmap=colormap, interpolation="nearest"))
        ax.set(
            title=title,
            xlabel="키 위치 j",
            xticks=[0, 50, 100, 150],
            yticks=[0, 50, 100, 150],
        )
        if look.narrow or index == 0:
            ax.set_ylabel("쿼리 위치 i")
    fig.colorbar(images[0], ax=axes[0], shrink=0.9, label="행 번호")
    fig.colorbar(images[2], ax=axes[1:], shrink=0.9, label="버킷 번호")
    fig.legend(
        handles=[look.masked_key("가려진 미래 칸(j > i)", hatch=False)],
        loc="outside lower center",
    )


# 버킷이 쓰이는 범위와, 마지막 버킷이 시작하는 거리(로그 눈금을 버킷 수에 맞춰
# 자르므로 max_distance보다
# 앞에서 시작합니다)를 relative_position_bucket 자체로 셉니다.
t5 = T5Config()
distance = torch.arange(4 * t5.max_distance)
# 키가 쿼리보다 앞(과거)
encoder_past = relative_position_bucket(-distance, bidirectional=True)
# 키가 뒤(미래)
encoder_future = relative_position_bucket(distance[1:], bidirectional=True)
decoder_past = relative_position_bucket(-distance, bidirectional=False)
unused = sorted(
    set(range(t5.num_buckets)) - set(encoder_buckets.unique().tolist())
)
past_buckets = f"{int(encoder_past.min())}~{int(encoder_past.max())}"
future_buckets = f"{int(encoder_future.min())}~{int(encoder_future.max())}"
decoder_range = f"{int(decoder_past.min())}~{int(decoder_past.max())}"
save_numbers(
    encoder_distinct_buckets=int(encoder_buckets.unique().numel()),
    decoder_distinct_buckets=int(decoder_buckets[~future].unique().numel()),
    figure_positions=N,
    num_buckets=t5.num_buckets,
    max_distance=t5.max_distance,
    encoder_past_buckets=past_buckets,
    encoder_future_buckets=future_buckets,
    encoder_unused_bucket=", ".join(map(str, unused)),
    decoder_buckets=decoder_range,
    encoder_last_bucket_from=int(
        distance[encoder_past == encoder_past.max()].min()
    ),
    decoder_last_bucket_from=int(
        distance[decoder_past == decoder_past.max()].min()
    ),
)

save_plot(
    "position-schemes",
    draw_positions,
    size=(COLUMN, 3.2),
    narrow=(PHONE, 9.6),
    alt=(
        "세 개의 히트맵. 가로축은 키 위치 j, 세로축은 쿼리 위치 i입니다. "
        "첫째는 BART가 키 위치 j에 쓰는 위치 표의 행 번호(j + 2)로, 쿼리 "
        "위치와 상관없이 열마다 색이 같습니다. 둘째는 T5 인코더의 버킷 번호로 "
        "대각선을 따라 일정하고, 대각선 "
        f"아래(과거)는 {past_buckets}, 위(미래)는 {future_buckets}입니다. "
        "셋째는 T5 디코더로, 미래 칸은 가려져 회색이고 과거 쪽 거리에 버킷 "
        f"{decoder_range}을 모두 "
        "씁니다. 가까운 거리는 한 칸씩, 먼 거리는 점점 넓은 띠로 묶입니다."
    ),
    caption=(
        "BART의 위치 정보는 키의 절대 위치(열)에만 달려 있고, T5의 편향은 거리 "
        "j − i(대각선)에만 달려 있습니다."
    ),
)

# %% [markdown]
# 표의 크기가 BART의 입력 길이를 정합니다. 위치 표가 16행(+2)인 작은 BART는 길이 17인 입력을 받지
# 못하지만, T5의 편향 표는 거리만 보므로 같은 크기의 작은 T5가 아무 길이나 받습니다.

# %%
g = torch.Generator().manual_seed(0)
tiny_bart = Bart(
    BartConfig(
        vocab_size=40, max_len=16, d_model=16, n_layers=1, n_heads=2, d_ff=32
    ),
    g,
)
tiny_t5 = T5(
    T5Config(
        vocab_size=40, d_model=16, head_dim=8, d_ff=32, n_layers=1, n_heads=2
    ),
    g,
)
too_long = torch.randint(3, 40, (1, 17), generator=g)
try:
    tiny_bart(too_long)
    bart_accepts = True
except ValueError as error:  # "input_ids의 길이 17가 최대 길이 16보다 깁니다"
    print(error)
    bart_accepts = False
t5_logits = tiny_t5(
    torch.randint(3, 40, (1, 300), generator=g),
    decoder_input_ids=torch.zeros(1, 1, dtype=torch.long),
)
assert not bart_accepts and t5_logits.logits.shape == (1, 1, 40)

# %% [markdown]
# ## 공개된 설정의 파라미터 수
#
# 프리셋으로 모델을 `meta` 장치에 만들어(메모리 없이 모양만) 셉니다. 묶인 가중치(임베딩과 출력 층)는
# 한 번만 셉니다. 테스트가 같은 수를 transformers의 모델에서도 확인합니다. 공개된 크기는 T5 논문과
# fairseq의 BART 저장소가 적은 반올림 값이고, 공개된 수의 마지막 0이 아닌 자리에서 반올림해 비교합니다.

# %%
published = {
    "t5-small": (60_000_000, 10_000_000, "T5 논문"),
    "t5-base": (220_000_000, 10_000_000, "T5 논문"),
    "t5-large": (770_000_000, 10_000_000, "T5 논문"),
    "bart-base": (140_000_000, 10_000_000, "fairseq BART"),
    "bart-large": (400_000_000, 100_000_000, "fairseq BART"),
}
param_rows, counts, positions, mismatched = [], {}, {}, []
with torch.device("meta"):
    for name, (figure, unit, source) in published.items():
        if name.startswith("t5"):
            c = t5_preset(name)
            model = T5(c)
            count = count_parameters(model)
            position = sum(
                p.numel()
                for n, p in model.named_parameters()
                if "position_bias" in n
            )
            heads = dimensions(c.n_heads, c.head_dim)
        else:
            c = bart_preset(name)
            model = Bart(c)
            count = count_parameters(model)
            position = sum(
                p.numel()
                for n, p in model.named_parameters()
                if "positions" in n
            )
            heads = dimensions(c.n_heads, c.d_model // c.n_heads)
        counts[name], positions[name] = count, position
        matches = round(count / unit) * unit == figure
        if not matches:
            mismatched.append(name)
        verdict = (
            "일치"
            if matches
            else f"불일치 ({round(count / unit) * unit / 1e6:.0f}M)"
        )
        param_rows.append(
            (
                f"`{name}`",
                unbroken(f"{c.n_layers} + {c.n_layers}"),
                c.d_model,
                heads,
                c.d_ff,
                f"{count:,}",
                f"{position:,}",
                f"{figure / 1e6:.0f}M ({source})",
                verdict,
            )
        )
header = [
    "모델",
    "층(인코더+디코더)",
    "D",
    "헤드 × Dh",
    "d_ff",
    "파라미터",
    "위치 파라미터",
    "공개된 크기",
    "반올림 비교",
]
save_table("parameters", header, param_rows)
for row in param_rows:
    print(row)

t5_large_untied = (
    counts["t5-large"]
    + t5_preset("t5-large").vocab_size * t5_preset("t5-large").d_model
)
save_numbers(
    t5_small_params=f"{counts['t5-small']:,}",
    bart_base_params=f"{counts['bart-base']:,}",
    t5_large_params=f"{counts['t5-large']:,}",
    t5_large_untied=f"{t5_large_untied:,}",
    t5_large_eok=f"{counts['t5-large'] / 1e8:.1f}",
    t5_large_untied_eok=f"{t5_large_untied / 1e8:.1f}",
    size_mismatches=", ".join(mismatched),
    bart_position_params="~".join(
        f"{positions[name]:,}" for name in ("bart-base", "bart-large")
    ),
    t5_large_published=f"{published['t5-large'][0] / 1e6:.0f}M",
    bart_position_rows=bart_preset("bart-base").max_len + 2,
)

# %% [markdown]
# ## 구조 그림: 두 인코더 층을 코드에서 그리기
#
# 글의 층 그림은 아주 작은 BART 인코더 층과 T5 인코더 층의 forward를 torch.fx로 따라가 그립니다
# (`notebook_outputs/diagrams.py`). BART는 더한 뒤에 정규화하고(post-LN), T5는 정규화한 뒤 더하며(pre-LN)
# 상대 위치 편향을 어텐션에 넘기는지 여기서 확인합니다.

# %%
from notebook_outputs.diagrams import save_diagram, trace_diagram
from snippets.bart import BartEncoderLayer
from snippets.t5 import T5EncoderBlock

layer_input = torch.zeros(2, 7, 24)  # (B, S, D)
layer_letters = {"B": 2, "S": 7, "D": 24, "d_ff": 40}
bart_layer = BartEncoderLayer(
    BartConfig(
        vocab_size=11,
        max_len=8,
        d_model=24,
        n_layers=1,
        n_heads=4,
        d_ff=40,
        dropout=0.0,
    )
)
bart_diagram = trace_diagram(
    bart_layer,
    {"x": layer_input},
    layer_letters,
    {"x": "입력"},
    title="BART 인코더 층",
)
t5_layer = T5EncoderBlock(
    T5Config(
        vocab_size=11,
        d_model=24,
        head_dim=8,
        d_ff=40,
        n_layers=1,
        n_heads=3,
        dropout=0.0,
    )
)
t5_diagram = trace_diagram(
    t5_layer,
    # (1, H, S, S)
    {"x": layer_input, "position_bias": torch.zeros(1, 3, 7, 7)},
    {**layer_letters, "H": 3},
    {"x": "입력", "position_bias": "상대 위치 편향"},
    leaves=("T5LayerNorm",),
    title="T5 인코더 층",
)
save_diagram(
    bart_diagram,
    "bart-encoder-layer",
    alt=(
        "BART 인코더 층의 구조 그림. 맨 위의 입력 x (B, S, D)가 곧바로 셀프 "
        "어텐션으로 들어가고, 파란 화살표가 입력에서 갈라져 어텐션을 건너뛴 뒤 "
        "더하기에서 만납니다. 더하기 다음에 레이어 "
        "정규화(self_attn.norm)가 오고, 그 출력이 선형층(fc1, 폭 d_ff), "
        "GELU, 선형층(fc2)을 지나 두 번째 더하기에서 정규화의 출력과 다시 "
        "만나며, 마지막에 레이어 정규화(ff.norm)를 지나 출력 (B, S, "
        "D)이 됩니다."
    ),
    caption=(
        "BART의 인코더 층은 더한 뒤에 정규화합니다(post-LN): 지름길도 층마다 "
        "정규화를 지납니다. 빌드 때 이 글의 코드를 따라가 그린 그림입니다."
    ),
)
save_diagram(
    t5_diagram,
    "t5-encoder-layer",
    alt=(
        "T5 인코더 층의 구조 그림. 맨 위에 입력 x (B, S, D)와 상대 위치 편향 "
        "position_bias (1, H, S, S)가 있습니다. 입력은 레이어 정규화 "
        "(RMS)(self_attn.norm, T5LayerNorm)를 지나 셀프 어텐션으로 들어가고, "
        "상대 위치 편향도 같은 셀프 어텐션으로 들어갑니다. 파란 화살표는 "
        "입력에서 정규화 앞에 갈라져 첫 더하기로 갑니다. 더하기의 결과는 "
        "다시 레이어 정규화 (RMS)(ff.norm), 선형층(fc1, 폭 d_ff), ReLU, "
        "선형층(fc2)을 지나 두 번째 더하기에서 파란 지름길과 만나 출력 "
        "(B, S, D)이 됩니다. 층 끝에는 정규화가 없습니다."
    ),
    caption=(
        "T5의 인코더 층은 정규화한 뒤 더하고(pre-LN), 정규화는 평균을 빼지 "
        "않는 RMS 정규화이며, 상대 위치 편향을 어텐션에 더합니다. 빌드 때 이 "
        "글의 코드를 따라가 그린 그림입니다."
    ),
)
layer_order = {}
for label, diagram in (("BART", bart_diagram), ("T5", t5_diagram)):
    inside = [
        node for node in diagram.nodes if node.kind not in ("input", "output")
    ]
    layer_order[label] = [node.kind for node in inside]
    print(f"{label} 인코더 층:", " → ".join(node.title for node in inside))
assert layer_order["BART"][:3] == ["attention", "add", "norm"]  # post-LN
assert layer_order["T5"][:3] == ["norm", "attention", "add"]  # pre-LN
assert any(
    e.src == "position_bias" and "self_attn" in e.dst for e in t5_diagram.edges
)

# %% [markdown]
# ## 연습 문제의 풀이
#
# 글 끝의 연습 문제 두 개를 풉니다. 먼저 T5의 기본 설정(버킷 32개, max_distance 128)에서 키가 쿼리보다
# 0..1,000 앞에 있을 때 어떤 거리들이 한 버킷에 묶이는지 봅니다(인코더와 디코더).

# %%
from snippets.t5 import accepts_length, bucket_ranges, position_parameters

FARTHEST = 1_000
t5_base = t5_preset("t5-base")
encoder_ranges = bucket_ranges(
    FARTHEST, True, t5_base.num_buckets, t5_base.max_distance
)
decoder_ranges = bucket_ranges(
    FARTHEST, False, t5_base.num_buckets, t5_base.max_distance
)
exact_encoder = sum(near == far for _, near, far in encoder_ranges)
# 글은 "100과 1,000은 같은 버킷"이라고 말합니다: 그 말이 참일 때만 빌드가
# 됩니다.
assert encoder_ranges[-1][1] <= 100 < FARTHEST
save_table(
    "bucket-ranges",
    ["버킷", "묶인 거리 (인코더)"],
    [
        (bucket, f"{near:,}" if near == far else f"{near:,}~{far:,}")
        for bucket, near, far in encoder_ranges
    ],
)
print(encoder_ranges)
print(decoder_ranges)

# %% [markdown]
# 다음은 아주 작은 BART(위치 표 max_len 16)와 T5에 max_len보다 긴 입력을 넣어 봅니다. 큰 설정의 위치
# 파라미터는 meta 장치에서 셉니다.

# %%
short_bart = Bart(
    BartConfig(
        vocab_size=30, max_len=16, d_model=16, n_layers=1, n_heads=2, d_ff=32
    ),
    generator=torch.Generator().manual_seed(0),
).eval()
short_t5 = T5(
    T5Config(
        vocab_size=30, d_model=16, head_dim=8, d_ff=32, n_layers=1, n_heads=2
    ),
    generator=torch.Generator().manual_seed(0),
).eval()
too_long = short_bart.config.max_len + 1
assert accepts_length(short_bart, too_long - 1) and not accepts_length(
    short_bart, too_long
)
assert accepts_length(short_t5, too_long) and accepts_length(
    short_t5, 4 * too_long
)
with torch.device("meta"):
    bart_large_positions = position_parameters(Bart(bart_preset("bart-large")))
    t5_large_positions = position_parameters(T5(t5_preset("t5-large")))
save_numbers(
    bucket_farthest=f"{FARTHEST:,}",
    bucket_exact=exact_encoder,
    bucket_encoder_last=encoder_ranges[-1][0],
    bucket_encoder_last_from=encoder_ranges[-1][1],
    bucket_decoder_last_from=decoder_ranges[-1][1],
    bucket_max_distance=t5_base.max_distance,
    length_table_max=short_bart.config.max_len,
    length_too_long=too_long,
    length_t5_longest=4 * too_long,
    bart_large_max_len=f"{bart_preset('bart-large').max_len:,}",
    bart_large_position_params=f"{bart_large_positions:,}",
    t5_large_position_params=f"{t5_large_positions:,}",
)
