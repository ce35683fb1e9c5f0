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
# # 러닝커브(Learning Curve)의 이해와 활용: 동반 노트북
#
# 글 「러닝커브(Learning Curve)의 이해와 활용」의 그림·표·숫자를 만드는 코드입니다. 블로그를 빌드할
# 때 이 노트북이 처음부터 실행되고, 여기서 저장한 결과가 글에 실립니다. GPT의 학습 손실 기록은
# 노트북 「인과적 언어 모델링」(notebooks/causal-language-modeling.py)이 남긴 것을 읽습니다.

# %%
import json

import matplotlib.pyplot as plt
import numpy as np

from notebook_outputs import read_output, save_numbers, save_table
from notebook_outputs.figures import COLUMN, PHONE, Look, save_plot
from snippets.learning_curve import (
    doubling_rate,
    extrapolate,
    fit_exp_saturation,
    fit_power_law,
    wright_costs,
    wright_exponent,
)

# %% [markdown]
# ## 라이트의 법칙: 70%, 80%, 90% 곡선
#
# 첫 단위의 비용을 100으로 두고 64번째 단위까지 그립니다. 왼쪽은 보통 눈금, 오른쪽은 양쪽 로그 눈금
# 입니다. 로그 눈금에서는 기울기가 b = log2(학습률)인 직선이 됩니다.

# %%
RATES = (0.7, 0.8, 0.9)
EXAMPLE = 0.8  # 글이 숫자로 따라가 보는 곡선 (흔히 말하는 80% 곡선)
N_UNITS = 64
FIRST_COST = 100.0
units = np.arange(1, N_UNITS + 1)
curves = {rate: wright_costs(N_UNITS, FIRST_COST, rate) for rate in RATES}
# 라이트의 누적 평균 모형
average = wright_costs(N_UNITS, FIRST_COST, EXAMPLE, form="average")

doublings = [0, 1, 3, 7, 15, 31, 63]  # n = 1, 2, 4, ..., 64에 점을 찍습니다


def draw_wright(fig: plt.Figure, look: Look) -> None:
    # 넓은 칸에는 보통 눈금과 로그 눈금을 나란히, 휴대폰에는 위아래로.
    ax_lin, ax_log = fig.subplots(2, 1) if look.narrow else fig.subplots(1, 2)
    for rate, costs in curves.items():
        label = f"{rate:.0%} (b = {wright_exponent(rate):.3f})".replace(
            "-", "−"
        )
        ax_lin.plot(units, costs.unit, label=label)
        ax_log.plot(
            units,
            costs.unit,
            marker="o",
            markersize=4,
            markevery=doublings,
            label=label,
        )
    ax_lin.set(xlabel="단위 번호 n", ylabel="단위 비용", ylim=(0, 105))
    ax_log.set(
        xscale="log",
        yscale="log",
        xlabel="단위 번호 n (로그 눈금)",
        ylabel="단위 비용 (로그 눈금)",
    )
    ax_log.set_xticks(
        [1, 2, 4, 8, 16, 32, 64], labels=["1", "2", "4", "8", "16", "32", "64"]
    )
    ax_log.set_yticks(
        [10, 20, 40, 60, 100], labels=["10", "20", "40", "60", "100"]
    )
    ax_log.minorticks_off()
    ax_lin.legend(title="학습률")
    for ax in (ax_lin, ax_log):
        ax.grid(True)


rates = ", ".join(f"{rate:.0%}" for rate in RATES)
save_plot(
    "wright-law",
    draw_wright,
    size=(COLUMN, 3.4),
    narrow=(PHONE, 6.6),
    alt=(
        f"학습률 {rates}인 단위 비용 모형(크로퍼드)의 곡선. 첫째 그림은 보통 "
        "눈금으로, 첫 "
        f"단위 비용 {FIRST_COST:.0f}에서 시작한 세 곡선이 처음에 가파르게 "
        "떨어지다 점점 완만해지며 학습률이 가장 작은 곡선이 가장 낮게 "
        "내려갑니다. 둘째 그림은 양쪽 로그 눈금으로, 세 곡선이 기울기 b인 "
        "직선이 되고 1, 2, 4, ..., "
        f"{N_UNITS}번째마다 찍은 "
        "점의 간격이 일정합니다."
    ),
    caption=(
        "단위 비용 모형(크로퍼드): 만든 개수가 두 배가 될 때마다 단위 비용이 "
        "학습률만큼 곱해져, 양쪽 로그 눈금에서는 곡선이 직선이 됩니다."
    ),
)

# %% [markdown]
# 같은 세 곡선을 표로: 2번째·4번째·64번째 단위의 비용과 64개를 만드는 총비용(첫 단위 100 기준).

# %%
rows = []
for rate, costs in curves.items():
    rows.append(
        [
            f"{rate:.0%}",
            f"{wright_exponent(rate):.3f}",
            *(f"{costs.unit[i - 1]:.1f}" for i in (2, 4, N_UNITS)),
            f"{costs.cumulative[-1]:,.0f}",
            f"{costs.average[-1]:.1f}",
        ]
    )
save_table(
    "wright-table",
    [
        "학습률",
        "지수 b",
        *(f"{i}번째 단위 비용" for i in (2, 4, N_UNITS)),
        f"{N_UNITS}개 총비용",
        f"{N_UNITS}개 평균",
    ],
    rows,
)
example = curves[EXAMPLE]
save_numbers(
    first_cost=f"{FIRST_COST:.0f}",
    n_units=N_UNITS,
    rates=rates,
    example_rate=f"{EXAMPLE:.0%}",
    example_drop=f"{1 - EXAMPLE:.0%}",
    wright_b_example=f"{wright_exponent(EXAMPLE):.3f}",
    wright_unit_last=f"{example.unit[-1]:.1f}",
    wright_total=f"{example.cumulative[-1]:,.0f}",
    wright_total_no_learning=f"{FIRST_COST * N_UNITS:,.0f}",
    # 라이트의 원래(누적 평균) 모형으로 같은 80% 곡선을 세면: 평균이 a n^b이라
    # 총비용은 a n^(1+b).
    wright_average_unit_last=f"{average.unit[-1]:.1f}",
    wright_average_total=f"{average.cumulative[-1]:,.0f}",
    # 누적 평균 모형의 단위 비용 / 단위 비용 모형의 단위 비용: n이 크면 1 + b로
    # 다가갑니다.
    average_unit_ratio=f"{average.unit[-1] / example.unit[-1]:.2f}",
)
for row in rows:
    print(*row)

# %% [markdown]
# ## 이 블로그의 GPT가 배우는 곡선
#
# 「인과적 언어 모델링」 노트북이 작은 GPT를 학습시키며 남긴 손실 기록을 읽습니다. 라이트의 법칙은
# 횟수를 1부터 세므로, 스텝이 0부터 기록되어 있으면 1을 더해 "몇 번째 스텝까지 마쳤는가"로 씁니다.

# %%
log = json.loads(
    read_output("causal-language-modeling", "loss-log.json").read_text()
)
steps = np.asarray(log["step"], dtype=np.float64)
loss = np.asarray(log["loss"], dtype=np.float64)
if steps.min() == 0:
    steps = steps + 1
print(
    f"{len(steps)}개 기록, 스텝 {steps.min():.0f}..{steps.max():.0f}, 손실 "
    f"{loss[0]:.3f} -> {loss[-1]:.3f}"
)

# %% [markdown]
# ### 맞출 구간 정하기
#
# 학습은 모델이 거의 모든 글자를 고르게 찍는 상태(손실이 log V 근처)에서 출발합니다. 로그 눈금으로
# 보면 이 첫 구간은 뒤쪽과 모양이 달라서 거듭제곱 법칙으로도 지수 포화로도 잘 설명되지 않으므로,
# 처음 10%(마지막 스텝의 10분의 1 전까지)는 맞추는 데 쓰지 않습니다. 10%라는 경계는 어림으로 고른
# 것이라 바꾸면 결과도 조금 달라지지만(이 데이터로 모양을 보고 정했습니다), 아래의 모든 맞추기에
# 똑같이 씁니다.

# %%
FIT_SKIP = 0.1  # 맞추기에서 뺄 학습 초반의 몫
HORIZON_FACTOR = 4  # 마지막 스텝의 몇 배까지 늘려 볼지
fit_start = steps.max() * FIT_SKIP
used = steps >= fit_start
print(f"스텝 {fit_start:.0f} 이후의 {used.sum()}개 기록으로 맞춥니다")

# %% [markdown]
# ### 먼저 정직하게: 앞 절반으로 맞추고 뒤 절반을 맞혀 보기
#
# 외삽이 얼마나 믿을 만한지는 답을 아는 곳에서 시험해 볼 수 있습니다. 기록의 앞 절반(스텝 기준)만으로
# 두 모형을 맞추고, 뒤 절반의 실제 손실이 예측 띠(새 관측 하나가 떨어질 95% 범위) 안에 얼마나
# 들어오는지 셉니다. 모형이 맞다면 95% 근처가 나와야 합니다.

# %%
split = steps.max() / 2
early = used & (steps <= split)
late = steps > split
# 그림의 범례
FIT_NAMES = {"power-law": "거듭제곱 법칙", "exp-saturation": "지수 포화"}
early_fits = [
    fit_power_law(steps[early], loss[early]),
    fit_exp_saturation(steps[early], loss[early]),
]
holdout = {}
for fit in early_fits:
    band = extrapolate(fit, steps[late], predictive=True)
    inside = (band.lower <= loss[late]) & (loss[late] <= band.upper)
    holdout[fit.name] = {
        "inside": inside.mean(),
        "error": np.abs(band.value - loss[late]).mean(),
    }


def fit_color(look: Look, name: str) -> str:
    return {"power-law": look.blue, "exp-saturation": look.orange}[name]


def draw_holdout(fig: plt.Figure, look: Look) -> None:
    ax = fig.subplots()
    skipped = f"맞추기에서 뺌 (처음 {FIT_SKIP:.0%})"
    ax.plot(
        steps[~used],
        loss[~used],
        ".",
        color=look.masked,
        markersize=3,
        label=skipped,
    )
    ax.plot(
        steps[early],
        loss[early],
        ".",
        color=look.text,
        markersize=3,
        label="맞추기에 씀",
    )
    ax.plot(
        steps[late],
        loss[late],
        "x",
        color=look.muted,
        markersize=3,
        label="남겨 둔 뒤 절반",
    )
    for fit in early_fits:
        band = extrapolate(fit, steps[late], predictive=True)
        seen = np.linspace(fit_start, split, 100)
        color = fit_color(look, fit.name)
        ax.plot(
            seen,
            fit.predict(seen),
            color=color,
            label=f"{FIT_NAMES[fit.name]} 맞춤",
        )
        ax.plot(band.n, band.value, color=color, linestyle="--")
        ax.fill_between(
            band.n, band.lower, band.upper, color=color, alpha=0.2, lw=0
        )
    ax.axvline(split, color=look.muted, linestyle=":", linewidth=1)
    ax.set(xlabel="학습 스텝", ylabel="손실")
    ax.grid(True, which="both")
    look.legend(fig, ax, ncols=2)


save_plot(
    "gpt-holdout",
    draw_holdout,
    size=(COLUMN, 3.8),
    narrow=(PHONE, 4.6),
    alt=(
        "작은 GPT의 학습 손실. 가로축은 학습 스텝, 세로축은 손실입니다. 처음 "
        f"{FIT_SKIP:.0%}는 회색 점으로 맞추기에서 빠져 있고, 그다음부터 "
        "절반까지의 점에 맞춘 거듭제곱 법칙(파랑)과 지수 포화(주황) 곡선이 "
        "실선으로, 뒤 절반으로 늘린 예측이 점선과 옅은 예측 띠로 그려져 "
        "있으며, 뒤 절반의 실제 손실은 x 표시입니다."
    ),
    caption=(
        "앞 절반으로만 맞춘 두 모형이 뒤 절반을 얼마나 맞히는지: 실제 "
        "손실(x)이 예측 띠 안에 들어오는 몫이 각 모형의 성적입니다."
    ),
)
for name, result in holdout.items():
    print(
        f"{name}: 뒤 절반의 {result['inside']:.0%}가 띠 안, 평균 절대 오차 "
        f"{result['error']:.3f}"
    )

# %% [markdown]
# ### 전체 기록으로 맞추고 네 배 멀리 외삽하기
#
# 이제 처음 10%를 뺀 기록 전체로 맞추고 마지막 스텝의 네 배까지 늘려 봅니다. 띠는 곡선 자체의 95%
# 신뢰 띠입니다(델타 방법). 두 모형의 띠가 서로 멀리 떨어져 있다면, 띠가 말해 주지 않는 "모형이
# 틀렸을 위험"이 띠의 폭보다 크다는 뜻입니다.

# %%
power = fit_power_law(steps[used], loss[used])
saturation = fit_exp_saturation(steps[used], loss[used])
rate = doubling_rate(power)
horizon = HORIZON_FACTOR * steps.max()
grid = np.geomspace(fit_start, horizon, 200)
bands = {fit.name: extrapolate(fit, grid) for fit in (power, saturation)}
at_horizon = {
    fit.name: extrapolate(fit, [horizon]) for fit in (power, saturation)
}


def draw_fit(fig: plt.Figure, look: Look) -> None:
    ax = fig.subplots()
    skipped = f"맞추기에서 뺌 (처음 {FIT_SKIP:.0%})"
    ax.plot(
        steps[~used],
        loss[~used],
        ".",
        color=look.masked,
        markersize=3,
        label=skipped,
    )
    ax.plot(
        steps[used],
        loss[used],
        ".",
        color=look.text,
        markersize=3,
        label="학습 손실",
    )
    for name, band in bands.items():
        color = fit_color(look, name)
        ax.plot(
            band.n, band.value, color=color, label=f"{FIT_NAMES[name]} 맞춤"
        )
        ax.fill_between(
            band.n, band.lower, band.upper, color=color, alpha=0.25, linewidth=0
        )
    ax.axvline(steps.max(), color=look.muted, linestyle=":", linewidth=1)
    ax.text(
        steps.max() * 1.05,
        ax.get_ylim()[1] * 0.95,
        "학습 끝",
        va="top",
        color=look.muted,
    )
    ax.set(xscale="log", xlabel="학습 스텝 (로그 눈금)", ylabel="손실")
    # 로그 눈금이지만 스텝은 보통 숫자로: 10, 30, 100, 300, ...
    ax.xaxis.set_major_locator(plt.LogLocator(subs=(1, 3)))
    ax.xaxis.set_major_formatter(
        plt.FuncFormatter(lambda value, _: f"{value:,.0f}")
    )
    ax.xaxis.set_minor_formatter(plt.NullFormatter())
    ax.grid(True, which="both")
    look.legend(fig, ax, ncols=2)


save_plot(
    "gpt-loss-fit",
    draw_fit,
    size=(COLUMN, 3.8),
    narrow=(PHONE, 4.6),
    alt=(
        "작은 GPT의 학습 손실에 맞춘 두 곡선을 학습이 끝난 스텝의 "
        f"{HORIZON_FACTOR}배까지 "
        "외삽한 그림. 가로축은 로그 눈금의 학습 스텝, 세로축은 손실입니다. "
        "점선 세로줄이 학습이 끝난 곳이고, 그 오른쪽에서 거듭제곱 법칙(파랑)은 "
        "계속 내려가는 반면 지수 포화(주황)는 점근선으로 다가가며 "
        "평평해집니다. 각 곡선 둘레의 옅은 띠는 95% 신뢰 띠입니다."
    ),
    caption=(
        "기록 안에서는 두 모형이 거의 겹치지만, 학습이 끝난 뒤로 늘리면 "
        "거듭제곱 법칙은 계속 내려가고 지수 포화는 평평해집니다."
    ),
)

for fit in (power, saturation):
    terms = ", ".join(
        f"{n} = {p:.4g} ± {se:.2g}"
        for n, p, se in zip(fit.names, fit.params, fit.stderr, strict=True)
    )
    print(f"{fit.name}: {terms}")
print(f"두 배마다 {rate.value:.3f} (95% {rate.lower:.3f}..{rate.upper:.3f})")

# %% [markdown]
# 글에 실을 숫자들. 두 모형의 외삽 띠가 겹치는지는 데이터에 따라 달라지므로, 그 문장도 여기서
# 계산해서 넘깁니다.

# %%
far_power, far_saturation = (
    at_horizon["power-law"],
    at_horizon["exp-saturation"],
)
overlap = (
    far_power.lower[0] <= far_saturation.upper[0]
    and far_saturation.lower[0] <= far_power.upper[0]
)
verdict = (
    "두 띠가 겹치기는 하지만, 겹친다고 해서 두 모형이 모두 맞는 것은 아닙니다"
    if overlap
    else (
        "두 띠는 서로 겹치지도 않습니다. "
        "띠 하나하나는 좁은데 두 모형의 답은 그보다 멀리 떨어져 있는 것이죠"
    )
)
print(verdict)
save_table(
    "gpt-fit-parameters",
    ["모형", "파라미터", "추정값", "표준오차"],
    [
        [fit.name, name, f"{p:.4g}", f"{se:.2g}"]
        for fit in (power, saturation)
        for name, p, se in zip(fit.names, fit.params, fit.stderr, strict=True)
    ],
)
save_numbers(
    gpt_points=f"{len(steps):,}",
    gpt_last_step=f"{steps.max():,.0f}",
    gpt_first_loss=f"{loss[0]:.2f}",
    gpt_last_loss=f"{loss[-1]:.2f}",
    fit_start_step=f"{fit_start:,.0f}",
    fit_skip_percent=f"{FIT_SKIP:.0%}",
    horizon_factor=HORIZON_FACTOR,
    fit_points=f"{used.sum():,}",
    power_a=f"{power.params[0]:.2f}",
    power_a_se=f"{power.stderr[0]:.2f}",
    power_b=f"{power.params[1]:.3f}",
    power_b_se=f"{power.stderr[1]:.3f}",
    doubling_rate=f"{rate.value:.1%}",
    doubling_rate_lower=f"{rate.lower:.1%}",
    doubling_rate_upper=f"{rate.upper:.1%}",
    doubling_drop=f"{1 - rate.value:.1%}",
    asymptote=f"{saturation.params[0]:.2f}",
    asymptote_se=f"{saturation.stderr[0]:.2f}",
    horizon=f"{horizon:,.0f}",
    power_at_horizon=f"{at_horizon['power-law'].value[0]:.2f}",
    power_at_horizon_lower=f"{at_horizon['power-law'].lower[0]:.2f}",
    power_at_horizon_upper=f"{at_horizon['power-law'].upper[0]:.2f}",
    saturation_at_horizon=f"{at_horizon['exp-saturation'].value[0]:.2f}",
    saturation_at_horizon_lower=f"{at_horizon['exp-saturation'].lower[0]:.2f}",
    saturation_at_horizon_upper=f"{at_horizon['exp-saturation'].upper[0]:.2f}",
    horizon_verdict=verdict,
    horizon_gap=f"{abs(far_power.value[0] - far_saturation.value[0]):.2f}",
    holdout_split_step=f"{split:,.0f}",
    holdout_power_inside=f"{holdout['power-law']['inside']:.0%}",
    holdout_saturation_inside=f"{holdout['exp-saturation']['inside']:.0%}",
    holdout_power_error=f"{holdout['power-law']['error']:.3f}",
    holdout_saturation_error=f"{holdout['exp-saturation']['error']:.3f}",
)
