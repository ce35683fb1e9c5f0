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
# # 원래의 트랜스포머를 조립하기: 동반 노트북
#
# 글 「원래의 트랜스포머를 조립하기」에 실리는 숫자, 표, 그림을 만드는 코드입니다. 블로그를 빌드할 때 이
# 노트북이 처음부터 실행되고, 여기서 저장한 결과가 글에 실립니다.
#
# 시리즈의 부품으로 조립한 원래 트랜스포머가 `torch.nn.Transformer`와 같은 값을 내는지 보고, 논문의 학습
# 방법(워밍업, 레이블 스무딩, 교사 강요)으로 숫자 수열 뒤집기를 가르친 뒤 탐욕적 디코딩으로 확인합니다.
# 마지막으로 어텐션의 비용이 길이 T에 따라 어떻게 자라는지 셉니다.

# %%
import math
import warnings

import matplotlib.pyplot as plt
import torch
from torch import nn

from notebook_outputs import save_numbers, save_table, scientific
from notebook_outputs.figures import (
    COLUMN,
    PHONE,
    Look,
    powers_of_ten,
    save_plot,
)
from snippets.attention import use_fused_attention
from snippets.original_transformer import (
    ReversalTask,
    TransformerConfig,
    as_digits,
    attention_cost,
    from_torch,
    greedy_decode,
    label_smoothed_loss,
    reversal_pairs,
    train_reversal,
)
from snippets.positional_encoding import sinusoidal_positions

# 행렬이 아주 작아서 스레드 여럿을 맞추는 비용이 계산보다 큽니다.
torch.set_num_threads(1)
# 헤드 수가 홀수인 nn.Transformer는 중첩 텐서 빠른 길을 쓰지 않는다고 알립니다:
# 의도한 것입니다.
warnings.filterwarnings("ignore", message="enable_nested_tensor is True")

# %% [markdown]
# ## 1단계: nn.Transformer와 견주기
#
# 홀수 크기(폭 15, 헤드 3, 피드포워드 21)의 `nn.Transformer`를 무작위 가중치로 만들고, 논문에 없는 더미
# 끝의 레이어 정규화를 뺀 뒤 가중치를 우리 모델로 옮깁니다. 패딩이 있는 원문과 인과 마스크로 두 모델의
# 로짓을 float64로 견줍니다. 우리 모델은 풀어 쓴 어텐션과 융합 커널 두 길로 돌립니다.

# %%
small = TransformerConfig(
    vocab_size=11, d_model=15, n_heads=3, d_ff=21, n_layers=2, dropout=0.0
)
torch.manual_seed(0)  # nn.Transformer는 전역 난수로 초기화합니다
ref = nn.Transformer(
    d_model=15,
    nhead=3,
    num_encoder_layers=2,
    num_decoder_layers=2,
    dim_feedforward=21,
    dropout=0.0,
    batch_first=True,
    norm_first=False,
).double()
ref.encoder.norm = ref.decoder.norm = None
ref.eval()
embed = nn.Embedding(11, 15).double()
g = torch.Generator().manual_seed(1)
src = torch.randint(1, 11, (3, 7), generator=g)
src[0, 5:] = 0  # 원문 셋의 길이: 5, 3, 7
src[1, 3:] = 0
tgt_in = torch.randint(1, 11, (3, 5), generator=g)


def embed_for_torch(ids: torch.Tensor) -> torch.Tensor:
    return embed(ids) * math.sqrt(15) + sinusoidal_positions(ids.size(1), 15)


with torch.no_grad():
    theirs = (
        ref(
            embed_for_torch(src),
            embed_for_torch(tgt_in),
            tgt_mask=nn.Transformer.generate_square_subsequent_mask(
                5, dtype=torch.bool
            ),
            src_key_padding_mask=src == 0,
            memory_key_padding_mask=src == 0,
            tgt_is_causal=True,
        )
        @ embed.weight.T
    )
    model = from_torch(ref, embed, small).double()
    taught_gap = (model(src, tgt_in) - theirs).abs().max().item()
    fused_gap = (
        (use_fused_attention(model)(src, tgt_in) - theirs).abs().max().item()
    )
assert max(taught_gap, fused_gap) < 1e-12
print(
    f"nn.Transformer와의 최대 차이: 풀어 쓴 길 {taught_gap:.1e}, 융합 커널 "
    f"{fused_gap:.1e}"
)
save_numbers(
    parity_taught=scientific(taught_gap),
    parity_fused=scientific(fused_gap),
    parity_width=small.d_model,
    parity_heads=small.n_heads,
)

# %% [markdown]
# ## 2단계: 논문의 방법으로 뒤집기를 학습하기
#
# 길이 3~9의 숫자 수열을 뒤집는 장난감 번역입니다. Adam(β₁ = 0.9, β₂ = 0.98, ε = 10⁻⁹), 5.3절의 워밍업
# 학습률, ε_ls = 0.1의 레이블 스무딩, 교사 강요로 학습합니다. 드롭아웃만은 끕니다: `nn.Dropout`은
# 전역 난수를 써서, seed 하나로 같은 결과를 내려면 0이어야 합니다.

# %%
task = ReversalTask()
config = TransformerConfig(
    vocab_size=task.vocab_size,
    d_model=32,
    n_heads=4,
    d_ff=64,
    n_layers=2,
    dropout=0.0,
)
WARMUP, EPSILON = 100, 0.1
trained, losses, rates = train_reversal(
    config, task, warmup=WARMUP, epsilon=EPSILON
)
peak_step = rates.index(max(rates)) + 1
assert peak_step == WARMUP  # 글: 꼭대기는 워밍업의 끝

# 레이블 스무딩 손실의 바닥: 모델이 스무딩한 정답 분포를 그대로 낼 때의 손실(그
# 분포의 엔트로피)
V = task.vocab_size
smoothed = torch.full((1, V), EPSILON / V, dtype=torch.float64)
smoothed[0, 0] += 1 - EPSILON
floor = label_smoothed_loss(smoothed.log(), torch.tensor([0]), EPSILON).item()
tail = sum(losses[-20:]) / 20
print(
    f"손실 {losses[0]:.2f} -> 마지막 20스텝 평균 {tail:.2f} (바닥 {floor:.2f})"
)

# %%
steps = range(1, len(losses) + 1)


def draw_training(fig: plt.Figure, look: Look) -> None:
    # 넓은 칸에는 두 패널을 나란히, 휴대폰에는 위아래로 쌓습니다.
    lr_ax, loss_ax = fig.subplots(2, 1) if look.narrow else fig.subplots(1, 2)
    lr_ax.plot(steps, [r * 1000 for r in rates], color=look.blue)
    lr_ax.axvline(WARMUP, color=look.muted, linestyle=":")
    # 글자는 내려가는 곡선 아래의 빈자리에 둡니다.
    lr_ax.text(
        WARMUP * 1.1,
        max(rates) * 1000 * 0.3,
        f"워밍업 끝\n(스텝 {WARMUP})",
        color=look.text,
    )
    lr_ax.set(
        xlabel="스텝",
        ylabel="학습률 (×10⁻³)",
        title="학습률",
        xlim=(1, len(rates)),
    )
    lr_ax.set_ylim(0, None)
    loss_ax.plot(steps, losses, color=look.blue, linewidth=1, label="학습 손실")
    loss_ax.axhline(
        floor,
        color=look.red,
        linestyle="--",
        label=f"스무딩의 바닥 {floor:.2f}",
    )
    loss_ax.set(xlabel="스텝", ylabel="손실 (nats)", title="레이블 스무딩 손실")
    loss_ax.set(xlim=(1, len(losses)), ylim=(0, None))
    loss_ax.legend()


save_plot(
    "training",
    draw_training,
    size=(COLUMN, 3.2),
    narrow=(PHONE, 6.4),
    alt=(
        "두 그래프. 왼쪽(휴대폰에서는 위)은 스텝마다의 학습률로, 0에서 "
        "직선으로 올라가 스텝 "
        f"{WARMUP}에서 꼭대기 {max(rates):.4f}에 닿은 뒤 스텝의 제곱근에 "
        "반비례해 천천히 "
        f"내려갑니다. 오른쪽(아래)은 레이블 스무딩 손실로, {losses[0]:.2f}에서 "
        "시작해 워밍업 "
        f"동안 빠르게 떨어지고 끝에는 {tail:.2f} 근처에 머뭅니다. 빨간 점선은 "
        "스무딩이 정한 "
        f"손실의 바닥 {floor:.2f}입니다."
    ),
    caption=(
        "워밍업 학습률(5.3절)과 그 학습률로 줄어든 레이블 스무딩 손실. 손실은 "
        "0이 아니라 스무딩한 정답 분포의 엔트로피(빨간 점선) 위에서 멈춥니다."
    ),
)

# %% [markdown]
# ## 3단계: 탐욕적 디코딩
#
# 학습에 쓰지 않은 seed로 수열을 만들고, 시작 토큰에서 출발해 가장 큰 로짓의 토큰을 하나씩 붙입니다.

# %%
N_TEST = 256
test_src, _, _ = reversal_pairs(
    task, N_TEST, torch.Generator().manual_seed(12345)
)
decoded = greedy_decode(
    trained, test_src, task.bos_id, task.eos_id, task.max_len + 1
)
shown = {True: [], False: []}  # 맞힌 것과 틀린 것, 앞에서부터
right = 0
for s, o in zip(test_src.tolist(), decoded.tolist(), strict=True):
    want, got = as_digits(s, task)[::-1], as_digits(o, task)
    right += got == want
    row = [" ".join(map(str, as_digits(s, task))), " ".join(map(str, got))]
    shown[got == want].append([*row, "맞음" if got == want else "틀림"])
rows = shown[True][:4] + shown[False][:2]  # 맞힌 넷과, 틀린 것이 있으면 둘
accuracy = right / N_TEST
print(
    f"처음 보는 수열 {N_TEST}개 중 {right}개를 통째로 맞게 뒤집었습니다 "
    f"({accuracy:.0%})"
)
assert accuracy > 0.8
save_table("greedy-examples", ["원문", "탐욕적 디코딩의 출력", "뒤집기"], rows)

save_numbers(
    n_wrong_shown=len(shown[False][:2]),
    d_model=config.d_model,
    n_heads=config.n_heads,
    d_ff=config.d_ff,
    n_layers=config.n_layers,
    vocab_size=V,
    min_len=task.min_len,
    max_len=task.max_len,
    steps=len(losses),
    warmup=WARMUP,
    epsilon=EPSILON,
    peak_lr=f"{max(rates):.4f}",
    first_loss=f"{losses[0]:.2f}",
    final_loss=f"{tail:.2f}",
    loss_floor=f"{floor:.2f}",
    n_test=N_TEST,
    accuracy=f"{accuracy:.0%}",
)

# %% [markdown]
# ## 4단계: 어텐션의 비용
#
# 논문 base 모델의 폭(D = 512, 헤드 8)으로 셀프 어텐션 서브블록 하나의 비용을 셉니다. FLOP은
# `torch.utils.flop_counter`가 센 값이고, 메모리는 어텐션 가중치 (H, T, T)의 바이트입니다. 둘 다
# 실행마다 같습니다. 걸린 시간은 실행마다 달라서 여기에만 출력합니다.

# %%
D, H = 512, 8
lengths = [2**k for k in range(4, 14)]  # 16 .. 8192
costs = {T: attention_cost(T, D, H) for T in lengths}
crossing = next(
    T
    for T in lengths
    if costs[T]["attention_flops"] >= costs[T]["projection_flops"]
)
# T = 2D
assert costs[crossing]["attention_flops"] == costs[crossing]["projection_flops"]
print("T, 투영 FLOP, 어텐션 FLOP, 가중치 MiB")
for T in lengths:
    c = costs[T]
    mib = c["weight_bytes"] / 2**20
    print(
        f"{T:5d} {c['projection_flops']:.2e} {c['attention_flops']:.2e} "
        f"{mib:8.2f}"
    )


def draw_cost(fig: plt.Figure, look: Look) -> None:
    flop_ax, mem_ax = fig.subplots(2, 1) if look.narrow else fig.subplots(1, 2)
    flop_ax.loglog(
        lengths, [costs[T]["projection_flops"] for T in lengths], "o-",
        color=look.blue, label="Q·K·V·출력 투영",
    )  # fmt: skip
    flop_ax.loglog(
        lengths, [costs[T]["attention_flops"] for T in lengths], "s-",
        color=look.orange, label="QKᵀ와 가중치×V",
    )  # fmt: skip
    flop_ax.axvline(crossing, color=look.muted, linestyle=":")
    flop_ax.set(xlabel="길이 T", ylabel="FLOP", title="계산량")
    powers_of_ten(flop_ax.yaxis)
    flop_ax.legend(loc="upper left")
    mem_ax.loglog(
        lengths,
        [costs[T]["weight_bytes"] / 2**20 for T in lengths],
        "s-",
        color=look.orange,
    )
    mem_ax.set(xlabel="길이 T", ylabel="MiB", title="어텐션 가중치 (H, T, T)")
    powers_of_ten(mem_ax.yaxis)
    for ax in (flop_ax, mem_ax):
        ax.set_xticks([16, 128, 1024, 8192], ["16", "128", "1024", "8192"])
        ax.minorticks_off()


last = lengths[-1]
save_plot(
    "attention-cost",
    draw_cost,
    size=(COLUMN, 3.3),
    narrow=(PHONE, 6.8),
    alt=(
        "로그-로그 그래프 두 개. 왼쪽(휴대폰에서는 위)은 셀프 어텐션 서브블록 "
        "하나의 FLOP을 "
        f"길이 T = {lengths[0]}에서 {last}까지 그립니다. 투영 넷의 선은 기울기 "
        "1로, QKᵀ와 "
        f"가중치×V의 선은 기울기 2로 올라가 T = {crossing}에서 만나고 그 "
        "뒤로는 어텐션 쪽이 큽니다. 오른쪽(아래)은 어텐션 가중치의 메모리로, "
        "기울기 2로 올라가 T "
        f"= {last}에서 "
        f"{costs[last]['weight_bytes'] / 2**20:,.0f} MiB입니다."
    ),
    caption=(
        f"폭 {D}, 헤드 {H}의 셀프 어텐션 서브블록 하나(배치 1): 투영의 "
        "계산량은 T에 비례하고 어텐션의 계산량과 가중치 메모리는 T²에 "
        "비례합니다. 두 계산량은 T = "
        f"2D = {crossing}에서 "
        "만납니다."
    ),
)

# %%
longest_cost = costs[last]
longest_ratio = (
    longest_cost["attention_flops"] / longest_cost["projection_flops"]
)
save_numbers(
    cost_width=D,
    cost_heads=H,
    crossing=f"{crossing:,}",
    longest=f"{last:,}",
    longest_weight_mib=f"{costs[last]['weight_bytes'] / 2**20:,.0f}",
    longest_ratio=f"{longest_ratio:.0f}",
)

# %% [markdown]
# ## 연습 문제의 풀이
#
# 글 끝의 연습 문제 두 개가 싣는 숫자입니다. 첫째는 정답의 로짓이 나머지보다 얼마나 앞설 때 레이블 스무딩
# 손실이 가장 작은지, 둘째는 sqrt(D)를 곱하기 전과 뒤의 임베딩 크기를 위치 인코딩과 견줍니다.

# %%
from snippets.original_transformer import (
    Transformer,
    embedding_scale,
    smoothed_loss_at_margin,
)

best_margin = math.log((1 - EPSILON + EPSILON / V) / (EPSILON / V))
at_best = smoothed_loss_at_margin(V, EPSILON, best_margin)
at_sure = smoothed_loss_at_margin(V, EPSILON, 20.0)
plain_sure = smoothed_loss_at_margin(V, 0.0, 20.0)
# 글: 바닥은 유한한 차이에서
assert abs(at_best - floor) < 1e-9 and at_sure > at_best
print(
    f"차이 {best_margin:.2f}에서 {at_best:.3f}, 차이 20에서 {at_sure:.3f} "
    f"(스무딩 없이 {plain_sure:.1e})"
)

base = TransformerConfig(vocab_size=1000, n_layers=1)  # 논문 base의 폭 D = 512
scale = embedding_scale(Transformer(base), T=64)
assert (
    scale["embedding"] < scale["positions"] / 5 < scale["scaled"]
)  # 글: 곱하지 않으면 위치가 큽니다
print({k: round(v, 3) for k, v in scale.items()})

save_numbers(
    best_margin=f"{best_margin:.2f}",
    loss_at_best=f"{at_best:.3f}",
    loss_at_sure=f"{at_sure:.3f}",
    plain_at_sure=scientific(plain_sure),
    base_width=base.d_model,
    embedding_std=f"{scale['embedding']:.3f}",
    scaled_std=f"{scale['scaled']:.2f}",
    positions_std=f"{scale['positions']:.2f}",
    position_ratio=f"{scale['positions'] / scale['embedding']:.0f}",
)
