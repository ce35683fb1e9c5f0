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
# 이 노트북이 처음부터 실행되고, 여기서 저장한 그림이 글에 실립니다. 글의 다섯 단계를 차례로 따라갑니다.

# %%
import copy

import matplotlib.pyplot as plt
import torch

from snippets.attention import (
    MultiHeadAttention,
    attention_scores,
    attention_weights,
    causal_mask,
    mask_scores,
    scaled_dot_product_attention,
)
from snippets.parameters import reset_parameters
from snippets.publish import save_figure, save_numbers

T, Dh = 6, 8  # 시퀀스 길이, 헤드 폭
generator = torch.Generator().manual_seed(0)


def sci(x: float) -> str:
    """1.2e-07 -> '1.2 × 10⁻⁷' (글의 문장 안에서 읽기 쉬운 꼴)."""
    mantissa, exponent = f"{x:.1e}".split("e")
    superscript = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
    return f"{mantissa} × 10{str(int(exponent)).translate(superscript)}"


def annotate(
    ax: plt.Axes, values: torch.Tensor, fmt: str = "{:.2f}", threshold: float = 0.5
) -> None:
    """칸마다 값을 적습니다. -무한대는 '-inf'로."""
    for i in range(values.size(0)):
        for j in range(values.size(1)):
            value = values[i, j].item()
            text = "-inf" if value == float("-inf") else fmt.format(value)
            color = "white" if value < threshold else "black"
            ax.text(j, i, text, ha="center", va="center", fontsize=7, color=color)


# %% [markdown]
# ## 3단계의 재료: 인과 마스크
#
# True(참조해도 됨)인 칸이 대각선을 포함한 아래 삼각형입니다. 위치 t는 자기 자신과 그 이전만 봅니다.

# %%
mask = causal_mask(T)
fig, ax = plt.subplots(figsize=(3.6, 3.2))
ax.imshow(mask, cmap="Blues", vmin=0, vmax=1.4)
for i in range(T):
    for j in range(T):
        ax.text(j, i, "1" if mask[i, j] else "0", ha="center", va="center", fontsize=9)
ax.set(xlabel="key position", ylabel="query position", xticks=range(T), yticks=range(T))
save_figure(fig, "causal-mask")

# %% [markdown]
# ## 2~3단계: 스코어와 마스크를 적용한 스코어
#
# 무작위 Q, K로 스코어 QK^T / sqrt(d_k)를 만들고, 마스크가 False인 칸(대각선 위)을 -무한대로 바꿉니다.

# %%
q = torch.randn(T, Dh, generator=generator)
k = torch.randn(T, Dh, generator=generator)
scores = attention_scores(q, k)  # (T, T)
masked = mask_scores(scores, mask)  # (T, T)
fig, axes = plt.subplots(1, 2, figsize=(7.6, 3.4), constrained_layout=True)
for ax, values, title in [(axes[0], scores, "step 2: scores"), (axes[1], masked, "step 3: masked")]:
    shown = values.clamp(min=scores.min())  # -inf 칸은 가장 작은 스코어의 색으로 칠합니다
    ax.imshow(shown, cmap="coolwarm", vmin=-scores.abs().max(), vmax=scores.abs().max())
    annotate(ax, values, threshold=float("-inf"))
    ax.set(title=title, xlabel="key position", xticks=range(T), yticks=range(T))
axes[0].set_ylabel("query position")
save_figure(fig, "scores-and-masked-scores")

# %% [markdown]
# ## 4단계: 소프트맥스
#
# 마스크를 적용한 스코어에 소프트맥스를 취하면, 미래 칸의 가중치가 정확히 0이 되고 각 행의 합은 1입니다.

# %%
weights = torch.softmax(masked, dim=-1)  # (T, T)
assert torch.equal(weights, attention_weights(q, k, mask))
assert (weights.masked_select(~mask) == 0).all()
# 5단계 scaled_dot_product_attention에 단위 행렬을 V로 주면 가중치 자체가 나옵니다.
assert torch.allclose(scaled_dot_product_attention(q, k, torch.eye(T), mask), weights)
fig, ax = plt.subplots(figsize=(3.6, 3.2))
image = ax.imshow(weights, cmap="viridis", vmin=0, vmax=1)
annotate(ax, weights)
ax.set(xlabel="key position", ylabel="query position", xticks=range(T), yticks=range(T))
fig.colorbar(image, ax=ax, shrink=0.8)
save_figure(fig, "masked-attention-weights")

# %% [markdown]
# ## 1단계부터 다섯 단계 모두: 헤드마다 다른 가중치
#
# MultiHeadAttention은 1단계에서 입력을 헤드 H개의 Q, K, V로 나눕니다. 헤드마다 가중치가 다르지만,
# 인과 마스크는 모든 헤드에 똑같이 걸립니다. forward는 풀어 쓴 다섯 단계를 그대로 부르므로, 같은
# 가중치로 PyTorch의 융합 커널 길(fused=True)과 출력이 같은지도 확인합니다.

# %%
B, D, H = 1, 16, 4
x = torch.randn(B, T, D, generator=generator)
mha = reset_parameters(MultiHeadAttention(D, H), torch.Generator().manual_seed(0))
fused = copy.deepcopy(mha)
fused.fused = True
with torch.no_grad():
    head_weights = mha.weights(x, mask=mask)  # (B, H, T, T)
    gap = (mha(x, mask=mask) - fused(x, mask=mask)).abs().max().item()
print(f"풀어 쓴 forward와 융합 커널 forward의 최대 차이: {gap:.1e}")

fig, axes = plt.subplots(1, H, figsize=(10, 2.9), constrained_layout=True)
for h, ax in enumerate(axes):
    image = ax.imshow(head_weights[0, h], cmap="viridis", vmin=0, vmax=1)
    ax.set(title=f"head {h}", xlabel="key position", xticks=range(T), yticks=range(T))
axes[0].set_ylabel("query position")
fig.colorbar(image, ax=axes, shrink=0.8)
save_figure(fig, "multi-head-weights")

save_numbers(size=f"{T}×{T}", n_heads=H, max_gap=sci(gap))
