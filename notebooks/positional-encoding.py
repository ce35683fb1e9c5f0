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
# # 위치 정보: 사인파 위치 인코딩, 학습된 위치, 상대 위치, RoPE: 동반 노트북
#
# 글 「위치 정보: 사인파 위치 인코딩, 학습된 위치, 상대 위치, RoPE」에 실리는 그림, 표, 숫자를 만드는
# 코드입니다. 블로그를 빌드할 때 이 노트북이 처음부터 실행되고, 여기서 저장한 결과가 글에 실립니다.
#
# 실험(길이 외삽): 같은 작은 디코더를 위치 방식만 바꿔 짧은 시퀀스로 학습하고, 네 배 긴 시퀀스에서
# 위치마다 정답률을 잽니다. 과제는 "몇 칸 앞의 토큰을 맞히기"입니다: 토큰이 고르게 무작위라 내용으로는
# 답을 알 수 없고, 위치(거리)만이 답을 알려 줍니다. 시드를 고정했으므로 매번 같은 숫자가 나옵니다.

# %%
import matplotlib.pyplot as plt
import torch

from notebook_outputs import save_numbers, save_table, scientific
from notebook_outputs.figures import COLUMN, PHONE, Look, save_plot
from snippets.positional_encoding import (
    SCHEMES,
    Extrapolation,
    PositionConfig,
    accuracy_by_position,
    position_row_gradients,
    shifted_scores,
    sinusoidal_positions,
    train_look_back,
)
from snippets.t5 import relative_position_bucket

NAMES = {
    "none": "위치 없음",
    "sinusoidal": "사인파",
    "learned": "학습된 위치",
    "relative": "상대 위치 편향",
    "rotary": "RoPE",
}

# %% [markdown]
# ## 1단계: 사인파 위치 인코딩 표
#
# 행이 위치, 열이 차원입니다(논문의 배치: sin과 cos가 번갈아). 앞쪽 열은 빠르게, 뒤쪽 열은 느리게 돕니다.

# %%
T_SHOWN, D_SHOWN = 64, 64
table = sinusoidal_positions(T_SHOWN, D_SHOWN)


def draw_table(fig: plt.Figure, look: Look) -> None:
    ax = fig.subplots()
    image = ax.imshow(
        table.T, cmap="RdBu_r", vmin=-1, vmax=1, aspect="auto", origin="lower"
    )
    ax.set(xlabel="위치 t", ylabel="차원 (열 번호)")
    colorbar = fig.colorbar(image, ax=ax, shrink=0.9)
    colorbar.ax.set_title("값")  # 한글은 눕히지 않고 막대 위에


save_plot(
    "sinusoid-table",
    draw_table,
    size=(COLUMN, 3.2),
    narrow=(PHONE, 3.4),
    alt=(
        f"위치 0부터 {T_SHOWN - 1}까지(가로)와 차원 0부터 "
        f"{D_SHOWN - 1}까지(세로)의 사인파 위치 "
        "인코딩 값을 빨강(1)과 파랑(−1)으로 칠한 표. 아래쪽 차원은 위치를 따라 "
        "색이 빠르게 바뀌고, 위쪽 차원으로 갈수록 천천히 바뀌어, 맨 위의 "
        "행들은 위치 내내 거의 한 색(sin 행은 0 근처의 흰색, cos 행은 1 근처의 "
        "빨강)이라 가로줄 무늬로 보입니다."
    ),
    caption=(
        "사인파 위치 인코딩: 차원마다 주기가 다른 사인과 코사인이라, 앞 차원은 "
        "가까운 위치를, 뒤 차원은 먼 위치를 구별합니다."
    ),
)

# %% [markdown]
# ## 2단계: 길이 외삽 실험
#
# 다섯 모델(위치 방식만 다름)을 같은 시드, 같은 데이터로 학습하고, 학습 길이의 네 배 길이에서 잽니다.

# %%
torch.set_num_threads(1)  # 아주 작은 모델이라 스레드 하나가 가장 빠릅니다
setup = Extrapolation()
accuracy = {
    scheme: accuracy_by_position(train_look_back(scheme, setup), setup)
    for scheme in SCHEMES
}
chance = 1 / PositionConfig().vocab_size
L, N = setup.train_len, setup.test_len
inside, near, far = slice(setup.offset, L), slice(L, 2 * L), slice(2 * L, N)
mean = {
    s: {
        k: accuracy[s][r].mean().item()
        for k, r in [("in", inside), ("near", near), ("far", far)]
    }
    for s in SCHEMES
}
for s in SCHEMES:
    print(
        f"{NAMES[s]:>8}: "
        + ", ".join(f"{k} {v:.1%}" for k, v in mean[s].items())
    )

# 글이 이 결과에 대해 말하는 것
assert mean["none"]["in"] < 0.5  # 위치가 없으면 학습 길이 안에서도 못 풉니다
# 나머지는 본 길이 안에서 풉니다
assert all(mean[s]["in"] > 0.95 for s in SCHEMES if s != "none")
# 우연 수준
assert (
    mean["learned"]["near"] < 2 * chance and mean["learned"]["far"] < 2 * chance
)
assert max(mean["sinusoidal"]["near"], mean["sinusoidal"]["far"]) < 0.5
# 상대 편향은 버팁니다
assert min(mean["relative"]["near"], mean["relative"]["far"]) > 0.9
# RoPE는 멀수록 떨어집니다
assert mean["rotary"]["far"] < mean["rotary"]["near"]
assert (
    mean["relative"]["far"] > mean["rotary"]["far"] > mean["sinusoidal"]["far"]
)

# %%
WINDOW = 4  # 위치 4개씩 평균해 선을 덜 흔들리게 그립니다
starts = list(range(setup.offset, N, WINDOW))


def smoothed(values: torch.Tensor) -> list[float]:
    return [values[i : i + WINDOW].nanmean().item() * 100 for i in starts]


def draw_extrapolation(fig: plt.Figure, look: Look) -> None:
    ax = fig.subplots()
    ax.axvspan(0, L, color=look.grid, alpha=0.6, linewidth=0)
    ax.text(
        L / 2, 103, "학습한 길이", ha="center", va="bottom", color=look.text
    )
    ax.axhline(
        chance * 100,
        color=look.muted,
        linestyle=":",
        label=f"우연 ({chance:.0%})",
    )
    markers = {
        "none": "x",
        "sinusoidal": "s",
        "learned": "v",
        "relative": "o",
        "rotary": "^",
    }
    for colour, s in zip(look.series, SCHEMES, strict=False):
        x = [i + WINDOW / 2 for i in starts]
        ax.plot(
            x,
            smoothed(accuracy[s]),
            color=colour,
            marker=markers[s],
            markersize=3.5,
            markevery=4,
            label=NAMES[s],
        )
    ax.set(xlabel="위치 t", ylabel="정답률 (%)", xlim=(0, N), ylim=(0, 112))
    ax.set_yticks(range(0, 101, 20))
    ax.grid(True, axis="y")
    # 범례는 곡선 밖에: 넓은 칸은 오른쪽, 휴대폰 칸은 아래
    if look.narrow:
        fig.legend(loc="outside lower center", ncols=2)
    else:
        fig.legend(loc="outside right center")


save_plot(
    "extrapolation",
    draw_extrapolation,
    size=(COLUMN, 3.9),
    narrow=(PHONE, 4.6),
    alt=(
        f"위치(가로, 0부터 {N})에 따른 정답률(세로). 길이 {L}까지는 학습한 "
        "구간으로 칠해져 있습니다. "
        f"그 안에서는 위치 없음({mean['none']['in']:.0%})을 뺀 네 방식이 거의 "
        "100%입니다. "
        f"그 너머에서 학습된 위치는 우연 수준({mean['learned']['far']:.0%}), "
        "사인파는 "
        f"{mean['sinusoidal']['far']:.0%} 안팎으로 떨어지고, RoPE는 "
        f"{mean['rotary']['near']:.0%}에서 "
        f"{mean['rotary']['far']:.0%}로 천천히 떨어지며, 상대 위치 편향은 "
        f"{mean['relative']['far']:.0%}를 지킵니다."
    ),
    caption=(
        f"길이 외삽: 길이 {L}로 학습한 같은 모델을 길이 {N}에서 재면, 절대 "
        "위치(학습된 위치, 사인파)는 본 적 없는 위치에서 무너지고, 상대 위치 "
        "편향은 버티며, RoPE는 그 사이입니다."
    ),
)

# %% [markdown]
# 상대 위치 편향의 버킷: 학습 길이 안의 거리가 쓰는 버킷과, 그 너머의 거리가 쓰는 버킷을 셉니다.

# %%
config = PositionConfig(positions="relative")
distance = torch.arange(N)
buckets = relative_position_bucket(
    -distance, False, config.num_buckets, config.max_distance
)
seen, beyond = set(buckets[:L].tolist()), set(buckets[L:].tolist())
print(
    f"본 버킷 {len(seen)}개, 너머의 버킷 {len(beyond)}개, 그중 처음 보는 것 "
    f"{len(beyond - seen)}개"
)
# 글: 너머의 거리 중에는 학습 중에 쓰이지 않은 버킷이 있습니다
assert beyond - seen

# %%
ranges = [f"{setup.offset}–{L - 1}", f"{L}–{2 * L - 1}", f"{2 * L}–{N - 1}"]
save_table(
    "extrapolation-table",
    [
        "방식",
        f"위치 {ranges[0]} (학습 길이 안)",
        f"위치 {ranges[1]}",
        f"위치 {ranges[2]}",
    ],
    [
        [NAMES[s]] + [f"{mean[s][k]:.0%}" for k in ("in", "near", "far")]
        for s in SCHEMES
    ],
)
save_numbers(
    train_len=L,
    test_len=N,
    offset=setup.offset,
    steps=setup.steps,
    batch=setup.batch,
    vocab=PositionConfig().vocab_size,
    d_model=PositionConfig().d_model,
    chance=f"{chance:.0%}",
    none_in=f"{mean['none']['in']:.0%}",
    learned_far=f"{mean['learned']['far']:.0%}",
    sinusoidal_near=f"{mean['sinusoidal']['near']:.0%}",
    sinusoidal_far=f"{mean['sinusoidal']['far']:.0%}",
    rotary_near=f"{mean['rotary']['near']:.0%}",
    rotary_far=f"{mean['rotary']['far']:.0%}",
    relative_far=f"{mean['relative']['far']:.0%}",
    beyond_buckets=len(beyond),
    unseen_buckets=len(beyond - seen),
)

# %% [markdown]
# ## 연습 문제의 풀이
#
# 첫째는 쿼리와 키의 위치를 함께 옮길 때 점수가 바뀌는지(RoPE와 더한 사인파)를, 둘째는 학습된 위치 표의
# 어느 행이 기울기를 받는지를 봅니다.

# %%
HEAD_DIM, M, N_KEY, SHIFT = 16, 5, 2, 50
rotated_change, added_change = shifted_scores(HEAD_DIM, M, N_KEY, SHIFT)
# 글: RoPE는 그대로, 더한 사인파는 바뀝니다
assert rotated_change < 1e-12 < 1e-3 < added_change
print(f"RoPE {rotated_change:.1e}, 더한 사인파 {added_change:.3f}")

norms = position_row_gradients(setup)
touched = int((norms > 0).sum())
# 글: 학습 길이 안의 행만 기울기를 받습니다
assert touched == L and (norms[L:] == 0).all()
save_numbers(
    ex_head_dim=HEAD_DIM,
    ex_m=M,
    ex_n=N_KEY,
    ex_shift=SHIFT,
    ex_rotated_change=scientific(rotated_change) if rotated_change > 0 else "0",
    ex_added_change=f"{added_change:.2f}",
    ex_rows=N,
    ex_touched=touched,
    ex_untouched=N - touched,
)
