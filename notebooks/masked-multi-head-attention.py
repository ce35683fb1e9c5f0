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

import torch
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch

from notebook_outputs import save_numbers, scientific
from notebook_outputs.figures import COLUMN, PHONE, Look, save_plot
from snippets.attention import (
    MultiHeadAttention,
    attention_scores,
    attention_weights,
    causal_mask,
    mask_scores,
    scaled_dot_product_attention,
)
from snippets.parameters import reset_parameters

T, Dh = 6, 8  # 시퀀스 길이, 헤드 폭
generator = torch.Generator().manual_seed(0)


def position_axes(ax, ylabel: bool = True) -> None:
    """가로축은 키 위치, 세로축은 쿼리 위치 (0부터)."""
    ax.set(xlabel="키 위치 j", xticks=range(T), yticks=range(T))
    if ylabel:
        ax.set_ylabel("쿼리 위치 i")


# %% [markdown]
# ## 1단계: 쿼리와 키
#
# 헤드 하나의 쿼리 Q와 키 K (T × d_k). 입력을 투영하는 대신 무작위 값으로 둡니다: 마스크가 하는 일은
# 값과 상관이 없습니다. 투영까지 하는 MultiHeadAttention은 마지막 절에서 돌립니다.

# %%
q = torch.randn(T, Dh, generator=generator)
k = torch.randn(T, Dh, generator=generator)

# %% [markdown]
# ## 2단계: 어텐션 스코어
#
# 스코어 QK^T / sqrt(d_k): 쿼리 i와 키 j의 닮은 정도입니다.

# %%
scores = attention_scores(q, k)  # (T, T)

# %% [markdown]
# ## 3단계: 마스크 적용
#
# 인과 마스크에서 True(참조해도 됨)인 칸은 대각선을 포함한 아래 삼각형입니다. 위치 t는 자기 자신과 그
# 이전만 봅니다.

# %%
mask = causal_mask(T)


def draw_mask(fig, look: Look) -> None:
    ax = fig.subplots()
    allowed = ListedColormap([look.background, look.blue])
    ax.imshow(mask, cmap=allowed, vmin=0, vmax=1)
    look.mask_cells(ax, ~mask)
    for i in range(T):
        for j in range(T):
            color = (
                look.text_on(allowed(int(mask[i, j])))
                if mask[i, j]
                else look.text
            )
            ax.text(
                j,
                i,
                "1" if mask[i, j] else "0",
                ha="center",
                va="center",
                color=color,
            )
    position_axes(ax)
    keys = [
        Patch(facecolor=look.blue, label="1: 참조 가능"),
        look.masked_key("0: 가려짐(미래)"),
    ]
    fig.legend(handles=keys, loc="outside lower center", ncols=2)


save_plot(
    "causal-mask",
    draw_mask,
    size=(4.4, 4.2),
    narrow=(PHONE, 4.0),
    alt=(
        f"{T}×{T} 인과 마스크. 가로축은 키 위치, 세로축은 쿼리 위치입니다. "
        "대각선과 그 아래 칸은 파란 1(참조 가능), 대각선 위 칸은 회색 빗금의 "
        "0(가려짐)입니다."
    ),
    caption=(
        "인과 마스크: 쿼리 위치 i는 "
        "자기 자신과 그 앞의 키(j ≤ i)만 볼 수 있습니다."
    ),
)

# %% [markdown]
# 마스크가 False인 칸(대각선 위)의 스코어를 -무한대로 바꿉니다. 2단계의 스코어와 나란히 놓으면:

# %%
masked = mask_scores(scores, mask)  # (T, T)


def draw_scores(fig, look: Look) -> None:
    # 넓은 칸에는 나란히, 휴대폰에는 위아래로. -∞ 칸은 색 막대의 어느 색도 아닌
    # 회색 빗금입니다.
    axes = fig.subplots(2, 1) if look.narrow else fig.subplots(1, 2)
    limit = scores.abs().max().item()
    panels = [
        (scores, "2단계: 어텐션 스코어"),
        (masked, "3단계: 마스크를 적용한 스코어"),
    ]
    for index, (ax, (values, title)) in enumerate(
        zip(axes, panels, strict=True)
    ):
        image = ax.imshow(
            values.clamp(min=-limit), cmap="RdBu_r", vmin=-limit, vmax=limit
        )
        look.mask_cells(ax, values == float("-inf"))
        look.label_cells(ax, image, values, fmt="{:.1f}")
        ax.set_title(title)
        position_axes(ax, ylabel=look.narrow or index == 0)
    fig.colorbar(image, ax=axes, shrink=0.8, label="스코어")
    fig.legend(
        handles=[look.masked_key("−∞ (가려진 미래 칸)")],
        loc="outside lower center",
    )


save_plot(
    "scores-and-masked-scores",
    draw_scores,
    size=(COLUMN, 3.9),
    narrow=(PHONE, 7.4),
    alt=(
        f"{T}×{T} 어텐션 스코어 두 개. 첫째는 마스크 전(2단계)의 스코어이고, "
        "둘째(3단계)는 같은 스코어에서 대각선 위 칸만 −∞(회색 빗금)로 바뀐 "
        "모습입니다. 대각선과 그 아래의 값은 두 그림에서 같습니다."
    ),
    caption=(
        "마스크는 미래 칸(대각선 위)의 스코어만 −∞로 바꾸고, "
        "나머지 스코어는 그대로 둡니다."
    ),
)

# %% [markdown]
# ## 4단계: 소프트맥스 적용
#
# 마스크를 적용한 스코어에 소프트맥스를 취하면, 미래 칸의 가중치가 정확히 0이 되고 각 행의 합은 1입니다.

# %%
weights = torch.softmax(masked, dim=-1)  # (T, T)
assert torch.equal(weights, attention_weights(q, k, mask))
assert (weights.masked_select(~mask) == 0).all()


def draw_weights(fig, look: Look) -> None:
    ax = fig.subplots()
    image = ax.imshow(weights, vmin=0, vmax=1)
    look.mask_cells(ax, weights == 0)
    look.label_cells(ax, image, weights, fmt="{:.2f}")
    position_axes(ax)
    fig.colorbar(image, ax=ax, shrink=0.8, label="어텐션 가중치")
    fig.legend(
        handles=[look.masked_key("정확히 0 (가려진 미래 칸)")],
        loc="outside lower center",
    )


save_plot(
    "masked-attention-weights",
    draw_weights,
    size=(5.0, 4.6),
    narrow=(PHONE, 4.1),
    alt=(
        f"마스크를 적용한 {T}×{T} 어텐션 가중치. 대각선 위 칸은 모두 정확히 "
        "0(회색 빗금)이고, 각 행의 값을 더하면 1입니다."
    ),
    caption=(
        "소프트맥스를 지나면 미래 칸의 가중치는 정확히 0이 되고, 행마다 "
        "가중치의 합은 1입니다."
    ),
)

# %% [markdown]
# ## 5단계: 가중치와 값(V) 곱셈
#
# scaled_dot_product_attention은 2~5단계를 한 번에 합니다. 값 V로 단위 행렬을 주면 가중치와 V의 곱이
# 가중치 자체이므로, 4단계의 가중치가 그대로 나옵니다.

# %%
assert torch.allclose(
    scaled_dot_product_attention(q, k, torch.eye(T), mask), weights
)

# %% [markdown]
# ## 다섯 단계를 한 번에: 헤드마다 다른 가중치
#
# MultiHeadAttention은 1단계에서 입력을 헤드 H개의 Q, K, V로 나눕니다. 헤드마다 가중치가 다르지만,
# 인과 마스크는 모든 헤드에 똑같이 걸립니다. forward는 풀어 쓴 다섯 단계를 그대로 부르므로, 같은
# 가중치로 PyTorch의 융합 커널 길(fused=True)과 출력이 같은지도 확인합니다.

# %%
B, D, H = 1, 16, 4
x = torch.randn(B, T, D, generator=generator)
mha = reset_parameters(
    MultiHeadAttention(D, H), torch.Generator().manual_seed(0)
)
fused = copy.deepcopy(mha)
fused.fused = True
with torch.no_grad():
    head_weights = mha.weights(x, mask=mask)  # (B, H, T, T)
    gap = (mha(x, mask=mask) - fused(x, mask=mask)).abs().max().item()
print(f"풀어 쓴 forward와 융합 커널 forward의 최대 차이: {gap:.1e}")


def draw_heads(fig, look: Look) -> None:
    # 넓은 칸에는 한 줄로 H개, 휴대폰에는 2 × (H / 2)로.
    axes = fig.subplots(H // 2, 2) if look.narrow else fig.subplots(1, H)
    for h, ax in enumerate(axes.flat):
        image = ax.imshow(head_weights[0, h], vmin=0, vmax=1)
        look.mask_cells(ax, head_weights[0, h] == 0)
        ax.set(title=f"헤드 {h}", xticks=range(T), yticks=range(T))
        first_column = h % 2 == 0 if look.narrow else h == 0
        last_row = h >= H - 2 if look.narrow else True
        ax.set(
            xlabel="키 위치 j" if last_row else "",
            ylabel="쿼리 위치 i" if first_column else "",
        )
    fig.colorbar(image, ax=axes, shrink=0.8, label="어텐션 가중치")
    fig.legend(
        handles=[look.masked_key("정확히 0 (가려진 미래 칸)")],
        loc="outside lower center",
    )


save_plot(
    "multi-head-weights",
    draw_heads,
    size=(COLUMN, 2.9),
    narrow=(PHONE, 4.6),
    alt=(
        f"헤드 {H}개의 마스크 셀프 어텐션 가중치. 헤드마다 아래 삼각형 안의 "
        "값은 다르지만, 대각선 위 칸은 모두 정확히 0(회색 빗금)입니다."
    ),
    caption=(
        "헤드마다 가중치는 다르지만, 인과 마스크는 모든 헤드에 똑같이 걸립니다."
    ),
)

save_numbers(size=f"{T}×{T}", n_heads=H, max_gap=scientific(gap))

# %% [markdown]
# ## 연습 문제의 풀이
#
# 글 끝의 연습 문제 두 개가 싣는 숫자입니다. 첫째는 폭 D를 고정하고 헤드 수만 바꿉니다. 둘째는 평균 0,
# 분산 1인 쿼리와 키로 √d_k로 나눌 때와 나누지 않을 때 행마다 가장 큰 가중치를 견줍니다.

# %%
from snippets.attention import heads_and_parameters, peak_weight

HEADS_WIDTH, HEAD_COUNTS = 64, [1, 2, 4, 8, 16]
sweep = {h: heads_and_parameters(HEADS_WIDTH, h) for h in HEAD_COUNTS}
# 글: 파라미터 수는 그대로
assert len({parameters for _, parameters in sweep.values()}) == 1
print("헤드 수: (헤드 폭, 파라미터 수)", sweep)

PEAK_LEN, PEAK_D_K = 16, 64
peak_generator = torch.Generator().manual_seed(0)
q_peak, k_peak = (
    torch.randn(PEAK_LEN, PEAK_D_K, generator=peak_generator) for _ in range(2)
)
peak_scaled, peak_unscaled = (
    peak_weight(q_peak, k_peak),
    peak_weight(q_peak, k_peak, scale=1.0),
)
assert peak_unscaled > 2 * peak_scaled  # 글: 나누지 않으면 한 칸으로 쏠립니다
print(
    f"가장 큰 가중치의 평균: 나눔 {peak_scaled:.2f}, 나누지 않음 "
    f"{peak_unscaled:.2f}"
)

save_numbers(
    heads_width=HEADS_WIDTH,
    heads_list=", ".join(map(str, HEAD_COUNTS)),
    head_dims=", ".join(str(sweep[h][0]) for h in HEAD_COUNTS),
    heads_parameters=f"{sweep[1][1]:,}",
    peak_len=PEAK_LEN,
    peak_d_k=PEAK_D_K,
    peak_scaled=f"{peak_scaled:.2f}",
    peak_unscaled=f"{peak_unscaled:.2f}",
    peak_uniform=f"{1 / PEAK_LEN:.4g}",
)
