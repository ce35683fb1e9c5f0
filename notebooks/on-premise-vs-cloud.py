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
# # 온프레미스 vs 클라우드: 동반 노트북
#
# 글 「온프레미스 vs 클라우드: 당신의 비즈니스에 맞는 선택은?」의 그림·표·숫자를 만드는 코드입니다.
# 블로그를 빌드할 때 이 노트북이 처음부터 실행되고, 여기서 저장한 결과가 글에 실립니다.
#
# 모든 금액은 원(KRW)이고, 기본값은 **예시 가정**입니다. `Scenario()` 대신
# `load_scenario("내-시나리오.yaml")`로 여러분의 견적을 넣어 다시 실행해 보세요.
# 누적 비용은 할인율(`discount_rate`)로 할인한 현재가치이고, 달마다의 비용은 현금입니다.

# %%
from dataclasses import replace

import matplotlib.pyplot as plt
from matplotlib.patches import Patch

from notebook_outputs import save_numbers, save_table
from notebook_outputs.figures import COLUMN, PHONE, Look, save_plot
from snippets.tco import (
    CURRENCY,
    Sensitivity,
    cloud_monthly,
    compare,
    hybrid_base,
    hybrid_monthly,
    onprem_monthly,
    peak_load,
    residual_value,
    sensitivity,
    servers_to_buy,
    swing,
    won,
)
from snippets.tco_scenario import (
    Scenario,
    inputs,
    linked_source,
    value_of,
    with_value,
)

s = Scenario()
result = compare(s)
cash = compare(replace(s, discount_rate=0))  # 할인하지 않은 현금 합계
months = list(range(1, s.horizon_months + 1))
HUNDRED_MILLION = 1e8  # 억 원


def man_won(amount: float) -> str:
    """한 달 비용처럼 작은 금액은 만 원 단위까지: 453_510_000 -> '4억 5,351만
    원'."""
    eok, man = divmod(round(amount / 1e4), 10_000)
    return f"{eok}억 {man:,}만 원" if eok else f"{man:,}만 원"


def show(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def percent(value: float) -> str:
    return f"{value * 100:g}%"


def even(month: int | None, horizon: int = s.horizon_months) -> str:
    return f"{month}개월째" if month else f"{horizon}개월 안에 없음"


# %% [markdown]
# ## 예시 가정
#
# 표의 값과 근거는 `snippets/tco_scenario.py`의 기본값과 그 옆에 적은 출처 문자열을 그대로 옮긴 것입니다.
# 근거가 이름을 대는 공개 출처(AWS, 한국전력, Uptime Institute)에는 그 페이지 링크를 겁니다.

# %%
PART = {"workload": "일의 양", "onprem": "온프레미스", "cloud": "클라우드"}
rows = [
    (
        PART[path.split(".")[0]] if "." in path else "비교 전체",
        f.metadata["label"],
        show(value_of(s, path)),
        f.metadata["unit"],
        linked_source(f.metadata["source"]),
        f"`{path}`",
    )
    for path, f in inputs(s)
]
save_table(
    "assumptions",
    ["구분", "항목", "기본값", "단위", "근거(모두 예시 가정)", "필드"],
    rows,
)
print(rows[:3])

# %% [markdown]
# ## 누적 비용과 손익분기
#
# 온프레미스는 첫 달에 서버를 한꺼번에 사서 곡선이 높이 시작하고, 그 뒤로는 클라우드보다 천천히
# 오릅니다. 두 곡선이 만나는 달이 손익분기입니다.

# %%
onprem_first, onprem_next = onprem_monthly(s)[:2]
cloud_each = cloud_monthly(s)[0]
peak = peak_load(s)  # 부하: 서버 몇 대 분량의 일
# 그 일을 목표 가동률로 돌리려고 사는 서버(정수)
bought = servers_to_buy(s.onprem, peak)


def plot_cumulative(ax: plt.Axes, look: Look, hybrid: bool = False) -> None:
    """누적 비용 곡선(억 원): 온프레미스와 클라우드, hybrid=True이면
    하이브리드까지. 축과 격자도."""
    onprem = [x / HUNDRED_MILLION for x in result.onprem]
    ax.plot(months, onprem, label="온프레미스", color=look.orange)
    ax.plot(
        months,
        [x / HUNDRED_MILLION for x in result.cloud],
        "--",
        label="클라우드",
        color=look.blue,
    )
    if hybrid:
        hybrid_totals = [x / HUNDRED_MILLION for x in result.hybrid]
        load, count = (
            show(hybrid_base(s)),
            servers_to_buy(s.onprem, hybrid_base(s)),
        )
        label = f"하이브리드 (온프레미스가 {load}대 분량, 서버 {count}대)"
        ax.plot(
            months,
            hybrid_totals,
            ":",
            linewidth=2.2,
            label=label,
            color=look.green,
        )
    ax.set(
        xlabel="개월",
        ylabel="누적 비용, 현재가치 (억 원)",
        xlim=(1, s.horizon_months),
        ylim=(0, None),
    )
    ax.grid(True)


def draw_cumulative(fig: plt.Figure, look: Look) -> None:
    ax = fig.subplots()
    plot_cumulative(ax, look)
    ax.legend(loc="upper left")
    if result.break_even is not None:
        m = result.break_even
        ax.axvline(m, color=look.muted, linestyle=":", linewidth=1)
        ax.plot(
            [m], [result.onprem[m - 1] / HUNDRED_MILLION], "o", color=look.text
        )
        ax.annotate(
            f"손익분기: {m}개월째\n(할인하지 않으면 {cash.break_even}개월째)",
            (m, result.onprem[m - 1] / HUNDRED_MILLION),
            xytext=(-8, -120 if look.narrow else -70),  # 곡선 아래의 빈 곳
            textcoords="offset points",
            ha="right",
            arrowprops={"arrowstyle": "->", "color": look.muted},
        )


save_plot(
    "cumulative-cost",
    draw_cumulative,
    size=(6.4, 3.8),
    narrow=(PHONE, 3.8),
    alt=(
        f"예시 가정으로 계산한 {s.horizon_months}개월 누적 비용(현재가치). "
        "온프레미스 곡선은 서버 구매 대금 때문에 높이 시작하지만 더 완만하게 "
        "오르고, 점선인 클라우드 곡선은 0 가까이에서 시작해 더 가파르게 올라 "
        f"{even(result.break_even)}에 만납니다. "
        "만나는 점에 손익분기 표시가 있습니다."
    ),
    caption=(
        "온프레미스는 서버를 사는 첫 달에 비싸지만 그 뒤로 천천히 오르고, 두 "
        "누적 비용은 "
        f"{even(result.break_even)}에 만납니다(예시 가정)."
    ),
)

# %%
save_numbers(
    currency=CURRENCY,
    horizon=str(s.horizon_months),
    discount_rate=percent(s.discount_rate),
    break_even=even(result.break_even),
    break_even_cash=even(cash.break_even),
    total_onprem=won(result.onprem[-1]),
    total_cloud=won(result.cloud[-1]),
    total_hybrid=won(result.hybrid[-1]),
    cash_onprem=won(cash.onprem[-1]),
    cash_cloud=won(cash.cloud[-1]),
    peak_load=show(peak),
    bought_servers=str(bought),
    onprem_utilisation=percent(s.onprem.target_utilisation),
    onprem_first_month=won(onprem_first),
    onprem_monthly=man_won(onprem_next),
    cloud_monthly=man_won(cloud_each),
)
print(
    even(result.break_even),
    even(cash.break_even),
    bought,
    won(result.onprem[-1]),
)

# %% [markdown]
# ## 두 쪽을 같은 잣대로 재는가
#
# 저장·전송은 양쪽 모두 냅니다: 온프레미스는 데이터를 둘 디스크를 서버와 함께 사고, 인터넷 회선은
# 상면·회선 요금에 정액으로 들어 있습니다(GB당 요금 0). 클라우드는 여유 없이 부하만큼만 빌린다고
# 보는데, 이것은 클라우드에 유리한 가정이라 온프레미스와 같은 가동률일 때의 손익분기도 잽니다.

# %%
w = s.workload
seconds = 730 * 3600  # 한 달
equal = with_value(s, "cloud.target_utilisation", s.onprem.target_utilisation)
save_numbers(
    storage_tb=show(w.storage_gb / 1000),
    onprem_storage=man_won(w.storage_gb * s.onprem.storage_price),
    cloud_storage=man_won(w.storage_gb * s.cloud.storage_price),
    egress_tb=show(w.egress_gb / 1000),
    # GB -> 메가비트, 한 달 평균 초당
    egress_mbps=f"{w.egress_gb * 8_000 / seconds:.0f}",
    cloud_egress=man_won(w.egress_gb * s.cloud.egress_price),
    onprem_egress_price=show(s.onprem.egress_price),
    cloud_utilisation=percent(s.cloud.target_utilisation),
    break_even_equal_headroom=even(compare(equal).break_even),
)
print(compare(equal).break_even)

# %% [markdown]
# ## 세 방식의 요약표

# %%
hybrid_each = hybrid_monthly(s)
summary = [
    (
        "모두 온프레미스",
        man_won(onprem_first),
        man_won(onprem_next),
        won(result.onprem[-1]),
    ),
    (
        "모두 클라우드",
        man_won(cloud_each),
        man_won(cloud_each),
        won(result.cloud[-1]),
    ),
    (
        f"하이브리드(온프레미스 {show(hybrid_base(s))}대 분량, 서버 "
        f"{servers_to_buy(s.onprem, hybrid_base(s))}대)",
        man_won(hybrid_each[0]),
        man_won(hybrid_each[1]),
        won(result.hybrid[-1]),
    ),
]
header = ["방식", "첫 달(현금)", "둘째 달부터 매달(현금)"]
header.append(
    f"{s.horizon_months}개월 누적(현재가치, 연 {percent(s.discount_rate)})"
)
save_table("summary", header, summary)
print(summary)

# %% [markdown]
# ## 하이브리드: 온프레미스 용량을 얼마로 할까
#
# 왼쪽은 세 방식의 누적 비용, 오른쪽은 온프레미스에 사는 서버 대수를 0(모두 클라우드)부터 최대
# 부하를 감당하는 대수(모두 온프레미스)까지 바꿔 가며 잰 기간 전체의 비용입니다. 서버 n대를 사면
# n × 목표 가동률 대 분량의 일을 맡깁니다. 양 끝은 한쪽 팀만 있는 경우라서, 두 팀의 고정비(인력)를
# 함께 지는 가운데 구간과 이어지지 않습니다(점으로 따로 그림).

# %%
servers = list(range(bought + 1))  # 온프레미스에 사는 서버 대수
# 맡기는 부하
capacities = [min(n * s.onprem.target_utilisation, peak) for n in servers]
assert [servers_to_buy(s.onprem, c) for c in capacities[1:]] == servers[1:]
totals = [compare(replace(s, hybrid_capacity=c)).hybrid[-1] for c in capacities]
best = min(range(len(totals)), key=totals.__getitem__)


def draw_hybrid(fig: plt.Figure, look: Look) -> None:
    # 넓은 칸에는 나란히, 휴대폰에는 위아래로. 누적 비용의 범례(세 줄)는 곡선을
    # 가리지 않게 그림 밖에.
    left, right = fig.subplots(2, 1) if look.narrow else fig.subplots(1, 2)
    plot_cumulative(left, look, hybrid=True)
    left.legend(loc="lower left", bbox_to_anchor=(0, 1.02), borderaxespad=0)
    right.plot(
        servers[1:-1],
        [x / HUNDRED_MILLION for x in totals[1:-1]],
        color=look.green,
    )
    right.plot(
        [servers[0]],
        [totals[0] / HUNDRED_MILLION],
        "s",
        color=look.blue,
        label="모두 클라우드",
    )
    right.plot(
        [servers[-1]],
        [totals[-1] / HUNDRED_MILLION],
        "D",
        color=look.orange,
        label="모두 온프레미스",
    )
    right.plot(
        [servers[best]], [totals[best] / HUNDRED_MILLION], "o", color=look.text
    )
    right.legend(loc="upper center")
    right.annotate(
        f"서버 {servers[best]}대에서 최소",
        (servers[best], totals[best] / HUNDRED_MILLION),
        xytext=(0, 14),
        textcoords="offset points",
        ha="center",
    )
    right.axvline(
        servers_to_buy(s.onprem, hybrid_base(s)),
        color=look.muted,
        linestyle=":",
        linewidth=1,
    )
    right.set(
        xlabel="온프레미스에 사는 서버 (대)",
        ylabel=f"{s.horizon_months}개월 총비용, 현재가치 (억 원)",
    )
    right.grid(True)


save_numbers(
    hybrid_capacity=show(hybrid_base(s)),
    hybrid_bought=str(servers_to_buy(s.onprem, hybrid_base(s))),
    best_bought=str(servers[best]),
    best_capacity=f"{capacities[best]:g}",
    best_total=won(totals[best]),
    all_cloud_total=won(totals[0]),
    all_onprem_total=won(totals[-1]),
)
names = {
    "모두 온프레미스": result.onprem[-1],
    "모두 클라우드": result.cloud[-1],
}
names["하이브리드"] = result.hybrid[-1]
cheapest = min(names, key=names.__getitem__)
save_numbers(cheapest=cheapest)
save_plot(
    "hybrid",
    draw_hybrid,
    size=(COLUMN, 4.4),
    narrow=(PHONE, 7.6),
    alt=(
        "첫째 그림: 온프레미스, 클라우드, 하이브리드(온프레미스가 "
        f"{show(hybrid_base(s))}대 "
        f"분량을 맡고 서버는 {servers_to_buy(s.onprem, hybrid_base(s))}대, "
        "점선)의 누적 "
        f"비용(현재가치). 기간 끝에서 가장 낮은 것은 {cheapest}입니다. 둘째 "
        "그림: "
        f"온프레미스에 사는 서버를 0대부터 최대 부하를 다 맡는 {bought}대까지 "
        "바꿔 가며 잰 "
        f"{s.horizon_months}개월 총비용(현재가치). 서버 {servers[best]}대에서 "
        "가장 낮으며, 양 끝의 모두 클라우드(네모)와 모두 온프레미스(마름모)는 "
        "가운데 곡선과 떨어져 있습니다."
    ),
    caption=(
        "하이브리드는 상시 부하만 온프레미스에 맡길 때 가장 싸고, 서버를 "
        "그보다 적게 사도 "
        f"많이 사도 비싸집니다(예시 가정: 서버 {servers[best]}대)."
    ),
)
print(servers[best], capacities[best], won(totals[best]))

# %% [markdown]
# ## 민감도: 어떤 가정이 손익분기를 가장 많이 움직이나
#
# 가정 하나를 ±20% 바꾸고 나머지는 그대로 둔 채 손익분기 달을 다시 잽니다(one-at-a-time).
# 막대가 긴 가정일수록 여러분의 숫자로 꼭 바꿔 넣어야 하는 가정입니다. 기간 안에 손익분기가 없으면
# 막대를 기간 끝(빗금)까지 그립니다.

# %%
CHANGE = 0.2
rows = sensitivity(s, change=CHANGE)
never = s.horizon_months + 1
top = [row for row in rows if swing(row, s.horizon_months) != (0, False)][:10]
base = result.break_even or never

# 같은 이름(목표 가동률)이 양쪽에 있으므로 글과 그림에서는 어느 쪽인지 붙여
# 씁니다.
labels = {
    path: f"{PART[path.split('.')[0]]}의 {f.metadata['label']}"
    if "." in path
    else f.metadata["label"]
    for path, f in inputs(s)
}


def draw_tornado(fig: plt.Figure, look: Look) -> None:
    # 넓은 칸에는 가정의 이름을 세로축에, 휴대폰에는 막대 위에 짧게(괄호 속 설명
    # 없이) 씁니다.
    ax = fig.subplots()
    for i, row in enumerate(reversed(top)):
        if look.narrow:
            name = labels[row.path].split("(")[0]
            ax.text(
                0,
                i + 0.3,
                name,
                transform=ax.get_yaxis_transform(),
                va="bottom",
            )
        for month, color in (
            (row.break_even_low, look.blue),
            (row.break_even_high, look.orange),
        ):
            end = month or never
            ax.barh(
                i,
                end - base,
                left=base,
                height=0.5 if look.narrow else 0.8,
                color=color,
                hatch="//" if month is None else None,
                edgecolor=look.background,
            )
    ax.axvline(base, color=look.text, linewidth=1)
    if look.narrow:
        ax.set_yticks([])
        ax.set_ylim(-0.5, len(top))
    else:
        ax.set_yticks(
            range(len(top)), [labels[row.path] for row in reversed(top)]
        )
    ax.set_xlabel("손익분기 (개월째)")
    first = min(
        min(r.break_even_low or never, r.break_even_high or never) for r in top
    )
    ax.set_xlim(first - 2, never + 1)
    # 기간 안에 손익분기가 없는 막대는 "없음" 눈금까지: 몇 달 늦어진 것이
    # 아니므로 숫자로 적지 않습니다.
    ticks = list(range(-(-first // 5) * 5, never - 2, 5))
    ax.set_xticks([*ticks, never], [*map(str, ticks), "없음"])
    ax.grid(axis="x")
    keys = [
        Patch(facecolor=look.blue, label=f"가정 −{CHANGE:.0%}"),
        Patch(facecolor=look.orange, label=f"가정 +{CHANGE:.0%}"),
        Patch(
            facecolor=look.masked,
            hatch="//",
            edgecolor=look.background,
            label="기간 안에 없음",
        ),
    ]
    fig.legend(
        handles=keys,
        loc="outside lower center",
        ncols=3 if not look.narrow else 2,
    )


height = 0.42 * len(top) + 1.3
save_plot(
    "tornado",
    draw_tornado,
    size=(COLUMN, height),
    narrow=(PHONE, 0.55 * len(top) + 1.4),
    alt=(
        "토네이도 차트. 막대마다 가정의 이름이 붙어 있고, 가운데 세로선은 기본 "
        "가정의 "
        f"손익분기({even(result.break_even)})입니다. 파란 막대는 그 가정을 "
        f"{CHANGE:.0%} "
        f"내렸을 때, 주황 막대는 {CHANGE:.0%} 올렸을 때의 손익분기까지 "
        "뻗습니다. 빗금 친 막대는 비교 기간 안에 손익분기가 없다는 뜻이고, "
        '가로축 끝의 "없음" 눈금까지 그렸습니다. 맨 위의 막대가 가장 깁니다.'
    ),
    caption=(
        f"가정 하나를 {CHANGE:.0%}씩 바꿨을 때 손익분기가 얼마나 움직이는지: "
        "위쪽의 긴 막대일수록 여러분의 숫자로 꼭 바꿔 넣어야 하는 가정입니다."
    ),
)


def ranked(row: Sensitivity) -> str:
    """순위의 한 줄: 가정 이름과 내렸을 때 ~ 올렸을 때의 손익분기. 기간 안에
    없으면 "없음" 그대로."""
    low, high = (
        f"{m}개월째" if m else "없음"
        for m in (row.break_even_low, row.break_even_high)
    )
    return f"{labels[row.path]}: {low} ~ {high}"


# 허용 범위 끝에 있는 가정은 한쪽으로만 움직입니다(예: 클라우드 가동률 100%는
# 올릴 수 없음).
one_sided = [
    labels[row.path]
    for row in top
    if value_of(s, row.path) in (row.low, row.high)
]
save_numbers(
    one_sided=", ".join(one_sided),
    change=f"{CHANGE:.0%}",
    **{f"top_{i + 1}": ranked(row) for i, row in enumerate(top[:3])},
)
print([(row.path, row.break_even_low, row.break_even_high) for row in top])

# %% [markdown]
# ## 기간을 늘리면
#
# 서버 교체 주기가 비교 기간보다 짧으면 두 번째 구매가 곡선에 계단을 만듭니다. 기간이 끝날 때 그
# 서버에 남은 수명의 가치(잔존가치)는 마지막 달의 비용에서 뺍니다. 기간을 바꿔 다시 계산하려면
# `replace(s, horizon_months=84)`처럼 시나리오를 바꾸면 됩니다.

# %%
LONGER = 84
s_longer = replace(s, horizon_months=LONGER)
longer = compare(s_longer)
longer_cash = compare(replace(s_longer, discount_rate=0))
left = residual_value(s.onprem, s.workload, peak, LONGER)
# 마지막 달의 할인 계수
left_pv = left / (1 + s.discount_rate / 12) ** (LONGER - 1)
refresh_month = (
    s.onprem.refresh_months * ((LONGER - 1) // s.onprem.refresh_months) + 1
)
save_numbers(
    longer_horizon=str(LONGER),
    longer_onprem=won(longer.onprem[-1]),
    longer_cloud=won(longer.cloud[-1]),
    longer_cash_onprem=won(longer_cash.onprem[-1]),
    longer_cash_cloud=won(longer_cash.cloud[-1]),
    longer_without_residual=won(longer.onprem[-1] + left_pv),
    longer_residual=won(left_pv),
    longer_residual_cash=won(left),
    longer_months_left=str(
        refresh_month + s.onprem.refresh_months - 1 - LONGER
    ),
    refresh_months=str(s.onprem.refresh_months),
    refresh_month=str(refresh_month),
    longer_cheaper="클라우드"
    if longer.cloud[-1] < longer.onprem[-1]
    else "온프레미스",
    without_residual_cheaper=(
        "클라우드"
        if longer.cloud[-1] < longer.onprem[-1] + left_pv
        else "온프레미스"
    ),
)
print(
    won(longer.onprem[-1]),
    won(longer.cloud[-1]),
    won(left),
    won(left_pv),
    longer.break_even,
)
