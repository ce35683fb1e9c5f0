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
import matplotlib.pyplot as plt

from snippets.publish import (
    PHONE,
    Look,
    powers_of_ten,
    save_numbers,
    save_plot,
    save_table,
    scientific,
)
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
    ax.semilogy(layers, skip, marker="o", markersize=3, label="잔차 연결 있음: h = F(h) + h")
    ax.semilogy(layers, plain, marker="s", markersize=3, label="잔차 연결 없음: h = F(h)")
    ax.set(xlabel="층 (1 = 입력에 가장 가까운 층)", ylabel="기울기 노름 ||∂L/∂W||")
    ax.set_xlim(0, DEPTH + 1)
    ax.yaxis.set_major_locator(plt.LogLocator(numticks=8))
    powers_of_ten(ax.yaxis)
    ax.grid(True, which="major")
    look.legend(fig, ax)  # 휴대폰에서는 범례를 그림 아래로: 곡선을 가리지 않습니다


save_plot("gradient-norm-per-layer", draw_norms, size=(6.4, 3.6), narrow=(PHONE, 3.9))

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
