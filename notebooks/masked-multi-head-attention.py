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
# # 마스크 멀티 헤드 어텐션: 동반 노트북
#
# 글 「마스크 멀티 헤드 어텐션은 뭐가 다른가?」의 그림을 만드는 코드입니다. 블로그를 빌드할 때
# 이 노트북이 처음부터 실행되고, 여기서 저장한 그림이 글에 실립니다.

# %%
import matplotlib.pyplot as plt
import torch

from snippets.attention import causal_mask, scaled_dot_product_attention
from snippets.publish import save_figure

torch.manual_seed(0)

# %% [markdown]
# ## 인과 마스크
#
# True(참조해도 됨)인 칸이 대각선을 포함한 아래 삼각형입니다. 위치 t는 자기 자신과 그 이전만 봅니다.

# %%
T = 6
mask = causal_mask(T)
fig, ax = plt.subplots(figsize=(3.6, 3.2))
ax.imshow(mask, cmap="Blues", vmin=0, vmax=1.4)
for i in range(T):
    for j in range(T):
        ax.text(j, i, "1" if mask[i, j] else "0", ha="center", va="center", fontsize=9)
ax.set(xlabel="key position", ylabel="query position", xticks=range(T), yticks=range(T))
save_figure(fig, "causal-mask")

# %% [markdown]
# ## 마스크를 적용한 어텐션 가중치
#
# 무작위 Q, K로 점수를 만들고 마스크를 적용한 뒤 소프트맥스를 취하면, 미래 칸의 가중치가 정확히 0이
# 되고 각 행의 합은 1입니다.

# %%
Dh = 8
q, k = torch.randn(T, Dh), torch.randn(T, Dh)
scores = q @ k.T / Dh**0.5
weights = torch.softmax(scores.masked_fill(~mask, float("-inf")), dim=-1)
# scaled_dot_product_attention에 단위 행렬을 V로 주면 가중치 자체가 나옵니다.
assert torch.allclose(scaled_dot_product_attention(q, k, torch.eye(T), mask), weights)
fig, ax = plt.subplots(figsize=(3.6, 3.2))
image = ax.imshow(weights, cmap="viridis", vmin=0, vmax=1)
for i in range(T):
    for j in range(T):
        color = "white" if weights[i, j] < 0.5 else "black"
        ax.text(j, i, f"{weights[i, j]:.2f}", ha="center", va="center", fontsize=7, color=color)
ax.set(xlabel="key position", ylabel="query position", xticks=range(T), yticks=range(T))
fig.colorbar(image, ax=ax, shrink=0.8)
save_figure(fig, "masked-attention-weights")
