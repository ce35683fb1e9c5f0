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
# # 잔차 연결(Residual Connection) 알아보기: 동반 노트북
#
# 글 「잔차 연결(Residual Connection) 알아보기」의 그림, 표, 숫자를 만드는 코드입니다. 블로그를 빌드할
# 때 이 노트북이 처음부터 실행되고, 여기서 저장한 결과가 글에 실립니다.
#
# 실험: tanh 층(`tanh(Wx + b)`, PyTorch 기본 초기화)을 여러 겹 쌓고, 출력의 제곱 평균을 손실로 삼아
# 역전파한 뒤 층마다 가중치 기울기의 노름을 잽니다. 같은 층 더미를 잔차 연결 없이(`h = F(h)`),
# 그리고 잔차 연결과 함께(`h = F(h) + h`) 돌려 봅니다. seed를 고정했으므로 매번 같은 숫자가 나옵니다.

# %%
import math

import matplotlib.pyplot as plt

from notebook_outputs import save_numbers, save_table, scientific
from notebook_outputs.figures import PHONE, Look, powers_of_ten, save_plot
from snippets.residual import first_to_last_ratio, gradient_norms

DEPTH = 64
DEPTHS = [2, 4, 8, 16, 32, 64]
SEED = 0


# %% [markdown]
# ## 층마다 기울기 노름 (64층)
#
# 가로축은 입력에 가까운 첫 층(1)부터 출력 쪽 마지막 층(64)까지입니다. 세로축은 로그 눈금입니다.

# %%
plain = gradient_norms(DEPTH, residual=False, seed=SEED)
skip = gradient_norms(DEPTH, residual=True, seed=SEED)
layers = range(1, DEPTH + 1)


def draw_norms(fig: plt.Figure, look: Look) -> None:
    ax = fig.subplots()
    ax.semilogy(
        layers,
        skip,
        marker="o",
        markersize=3,
        label="잔차 연결 있음: h = F(h) + h",
    )
    ax.semilogy(
        layers,
        plain,
        marker="s",
        markersize=3,
        label="잔차 연결 없음: h = F(h)",
    )
    ax.set(
        xlabel="층 (1 = 입력에 가장 가까운 층)", ylabel="기울기 노름 ||∂L/∂W||"
    )
    ax.set_xlim(0, DEPTH + 1)
    ax.yaxis.set_major_locator(plt.LogLocator(numticks=8))
    powers_of_ten(ax.yaxis)
    ax.grid(True, which="major")
    # 휴대폰에서는 범례를 그림 아래로: 곡선을 가리지 않습니다
    look.legend(fig, ax)


save_plot(
    "gradient-norm-per-layer",
    draw_norms,
    size=(6.4, 3.6),
    narrow=(PHONE, 3.9),
    alt=(
        f"{DEPTH}층 tanh 층 더미에서 층마다 잰 가중치 기울기의 노름(세로축은 "
        "로그 눈금). 잔차 연결이 있으면 첫 층부터 마지막 층까지 거의 평평한 "
        "선이고, 없으면 마지막 층에서 첫 층 쪽으로 갈수록 직선으로 떨어져 첫 "
        "층에서는 "
        f"{scientific(plain[0])}까지 "
        "작아집니다."
    ),
    caption=(
        "잔차 연결이 없으면 기울기가 입력 쪽 층으로 갈수록 거듭 줄어 사라지고, "
        "잔차 연결이 있으면 모든 층에 거의 같은 크기로 닿습니다."
    ),
)

# %% [markdown]
# ## 깊이에 따른 첫 층 / 마지막 층 비율
#
# 1에 가까울수록 마지막 층이 받는 만큼의 기울기가 첫 층까지 도착한다는 뜻입니다.

# %%
ratio_plain = first_to_last_ratio(DEPTHS, residual=False, seed=SEED)
ratio_skip = first_to_last_ratio(DEPTHS, residual=True, seed=SEED)
save_table(
    "first-to-last-ratio",
    ["층 수", "잔차 연결 없음", "잔차 연결 있음"],
    [[d, scientific(ratio_plain[d]), f"{ratio_skip[d]:.2f}"] for d in DEPTHS],
)
for d in DEPTHS:
    print(f"{d:>3}층: 없음 {ratio_plain[d]:.2e}, 있음 {ratio_skip[d]:.2f}")

# %%
save_numbers(
    depth=DEPTH,
    plain_ratio=scientific(ratio_plain[DEPTH]),
    residual_ratio=f"{ratio_skip[DEPTH]:.1f}",
    plain_first_norm=scientific(plain[0]),
    shallowest=DEPTHS[0],
    residual_ratio_shallowest=f"{ratio_skip[DEPTHS[0]]:.2f}",
    residual_ratio_deepest=f"{ratio_skip[DEPTHS[-1]]:.2f}",
    deepest=DEPTHS[-1],
)

# %% [markdown]
# ## 연습 문제의 풀이
#
# 글 끝의 연습 문제 두 개가 싣는 숫자입니다. 첫째는 피드포워드 서브블록을 post-LN과 pre-LN으로 깊게 쌓아
# (첫 층 / 마지막 층) 기울기 노름 비를 견줍니다. 둘째는 위 실험을 시드 다섯 개로 다시 잽니다.

# %%
from snippets.residual import (
    PostLNSublayer,
    PreLNSublayer,
    ln_gradient_ratio,
    ratio_over_seeds,
)

LN_DEPTH, LN_WIDTH = 48, 32
post_ratio = ln_gradient_ratio(
    PostLNSublayer, depth=LN_DEPTH, width=LN_WIDTH, seed=SEED
)
pre_ratio = ln_gradient_ratio(
    PreLNSublayer, depth=LN_DEPTH, width=LN_WIDTH, seed=SEED
)
# 글: post-LN의 첫 층이 덜 받습니다
assert post_ratio < 1 and post_ratio < pre_ratio
print(f"post-LN {post_ratio:.2f}, pre-LN {pre_ratio:.2f}")

SEEDS_DEPTH, SEEDS = 32, range(5)
plain_seeds = ratio_over_seeds(SEEDS_DEPTH, residual=False, seeds=SEEDS)
skip_seeds = ratio_over_seeds(SEEDS_DEPTH, residual=True, seeds=SEEDS)
# 글: 시드가 결론을 바꾸지 않습니다
assert max(plain_seeds) < 1e-6 < 1 < min(skip_seeds)
print(
    "없음:",
    [f"{r:.1e}" for r in plain_seeds],
    "있음:",
    [f"{r:.2f}" for r in skip_seeds],
)

save_numbers(
    ln_depth=LN_DEPTH,
    ln_width=LN_WIDTH,
    ln_post_ratio=f"{post_ratio:.2f}",
    ln_pre_ratio=f"{pre_ratio:.2f}",
    seeds_depth=SEEDS_DEPTH,
    seeds_count=len(SEEDS),
    seeds_plain_min=scientific(min(plain_seeds)),
    seeds_plain_max=scientific(max(plain_seeds)),
    seeds_residual_min=f"{min(skip_seeds):.2f}",
    seeds_residual_max=f"{max(skip_seeds):.2f}",
    seeds_orders=math.floor(math.log10(min(skip_seeds) / max(plain_seeds))),
)
