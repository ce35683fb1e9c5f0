"""온프레미스 vs 클라우드: 총소유비용(TCO, total cost of ownership) 모델.

글 「온프레미스 vs 클라우드: 당신의 비즈니스에 맞는 선택은?」의 숫자를 이 파일이 계산합니다.

- 금액의 단위는 모두 원(KRW)입니다. 달러로 적힌 공개 요금은 환율을 가정해 원으로 바꿨습니다.
- 시간 단위는 달(month)입니다. 한 달은 평균 730시간(= 8,760시간 / 12)으로 봅니다.
- 서버 1대와 클라우드 인스턴스 1개가 같은 양의 일을 한다고 봅니다. 일의 양(부하)은 "서버 몇 대
  분량"으로 세고, 온프레미스가 사는 서버 대수(servers_to_buy)와는 따로 셉니다.
- 넣는 값(Scenario: 일의 양 Workload, 온프레미스 OnPremise, 클라우드 Cloud)과 그 기본값·허용 범위·근거는
  snippets/tco_scenario.py에 있습니다. 기본값은 모두 **예시 가정**입니다. 여러분의 견적·요금으로
  바꿔 넣으세요(`python -m snippets.tco --scenario 내-시나리오.yaml`).

비용은 현금 기준입니다: 서버 구매 대금은 산 달에 한꺼번에 나가고(감가상각으로 나누지 않음),
교체 주기(refresh_months)마다 다시 나갑니다. 그래서 누적 비용 곡선이 계단 모양이 됩니다. 비교 기간이
끝날 때 아직 수명이 남은 장비의 가치(잔존가치, residual_value)는 마지막 달의 비용에서 뺍니다. 비교는 그
현금을 할인율(discount_rate)로 할인한 현재가치로 합니다(present_values; 할인율 0이면 현금 그대로).
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from dataclasses import replace
from itertools import accumulate
from pathlib import Path
from typing import Any, NamedTuple

from snippets.tco_scenario import (
    CAPACITY,
    Cloud,
    OnPremise,
    Scenario,
    Workload,
    inputs,
    load_scenario,
    value_of,
    with_value,
)

CURRENCY = "KRW"  # 모든 금액의 통화: 원


# --8<-- [start:servers-to-buy]
def servers_to_buy(p: OnPremise, load: float) -> int:
    """서버 load대 분량의 일을 목표 가동률 이하로 돌리려면 사야 하는 서버 대수.

    서버는 한 대 단위로 삽니다: load / target_utilisation을 올림합니다(20대
    분량을 가동률 0.7로 돌리려면 28.57…대, 곧 29대). 나눗셈의 반올림 오차(7 /
    0.7 = 10.000000000000002)로 한 대를 더 사지 않도록, 정수보다 10억분의
    1(상대값) 안쪽으로 큰 값은 그 정수로 봅니다.
    """
    need = load / p.target_utilisation
    return math.ceil(need - 1e-9 * max(need, 1.0))


# --8<-- [end:servers-to-buy]


# --8<-- [start:onprem-month]
def onprem_month(
    p: OnPremise, w: Workload, load: float, month: int, share: float = 1.0
) -> float:
    """서버 load대 분량의 일을 온프레미스로 할 때 month번째 달(1부터)의
    비용(원).

    servers_to_buy만큼 서버를 사고 refresh_months마다 새로 삽니다(현금 기준:
    구매 대금은 산 달에 한꺼번에). 데이터(w.storage_gb)와 전송(w.egress_gb)
    가운데 share만큼이 온프레미스 몫이고(모두 온프레미스면 1), 그 저장 용량은
    서버와 함께 사서 서버의 디스크에 둡니다. 전력은 한 달 730시간 내내 PUE를
    곱한 만큼, 공간·유지보수·라이선스는 대수에 비례해 매달, 인력은 서버가 있으면
    매달 듭니다.
    """
    if load == 0:
        return 0.0
    hours = 730  # 한 달 평균 시간 = 8,760 / 12
    servers = servers_to_buy(p, load)
    # 서버 + 디스크
    equipment = (
        servers * p.server_price + share * w.storage_gb * p.storage_price
    )
    purchase = equipment if (month - 1) % p.refresh_months == 0 else 0.0
    power = servers * p.power_kw * p.pue * hours * p.electricity_price
    space = servers * p.space_per_server
    maintenance = equipment * p.maintenance_rate / 12
    licences = servers * p.licence_per_server
    egress = share * w.egress_gb * p.egress_price
    staff = p.staff_fte * p.staff_cost / 12
    return purchase + power + space + maintenance + licences + egress + staff


# --8<-- [end:onprem-month]


# --8<-- [start:residual-value]
def residual_value(
    p: OnPremise, w: Workload, load: float, horizon: int, share: float = 1.0
) -> float:
    """기간(horizon개월)이 끝날 때 온프레미스 장비(서버 + 디스크)에 남은
    가치(원).

    장비 값은 refresh_months 동안 같은 몫씩 줄어든다고 봅니다
    (정액법, straight-line). 마지막으로 산 장비에서 기간 안에 쓴 달의
    몫을 빼고 남은 것이 잔존가치(residual value)입니다. 기간이 교체
    주기의 배수이면 0입니다. 이 값은 마지막 달의 비용에서 뺍니다.
    """
    if load == 0:
        return 0.0
    servers = servers_to_buy(p, load)
    equipment = (
        servers * p.server_price + share * w.storage_gb * p.storage_price
    )
    used = (horizon - 1) % p.refresh_months + 1  # 마지막 구매 뒤 쓴 달 수
    return equipment * (p.refresh_months - used) / p.refresh_months


# --8<-- [end:residual-value]


def cloud_share(w: Workload, steady: float, burst: float) -> float:
    """클라우드가 상시 steady대와 버스트 burst대 분량을 맡을 때, 전체 일(서버 시간) 가운데 그 비율."""
    hours = 730
    used = steady * hours + burst * w.burst_share * hours
    return used / (
        w.base_servers * hours + w.burst_servers * w.burst_share * hours
    )


# --8<-- [start:cloud-month]
def cloud_month(c: Cloud, w: Workload, steady: float, burst: float) -> float:
    """클라우드가 상시 steady대와 버스트 burst대 분량의 일을 맡을 때 한 달
    비용(원).

    인스턴스는 부하 / target_utilisation개를 빌립니다(작은 인스턴스로 잘게 빌릴
    수 있어 소수 개도 그대로). 상시 부하는 한 달 730시간 내내 약정 할인가로,
    버스트는 burst_share만큼의 시간만 온디맨드로 냅니다. 저장·전송량은
    클라우드가 맡은 일의 비율(cloud_share)만큼 클라우드에 있다고
    봅니다(모두 클라우드면 1). 지원 요금은 사용액의 비율, 인력은 클라우드를
    조금이라도 쓰면 듭니다.
    """
    share = cloud_share(w, steady, burst)
    if share == 0:
        return 0.0
    # 부하 1대 분량을 한 달(730시간) 맡는 인스턴스 시간
    rented = 730 / c.target_utilisation
    committed = steady * rented * c.price_per_hour * (1 - c.committed_discount)
    on_demand = burst * w.burst_share * rented * c.price_per_hour
    storage = share * w.storage_gb * c.storage_price
    egress = share * w.egress_gb * c.egress_price
    usage = committed + on_demand + storage + egress
    staff = c.staff_fte * c.staff_cost / 12
    return usage + usage * c.support_rate + staff


# --8<-- [end:cloud-month]


# --8<-- [start:split-load]
def split_load(w: Workload, capacity: float) -> tuple[float, float, float]:
    """하이브리드: 온프레미스가 서버 capacity대 분량까지 맡고, 그 위는
    클라우드로 넘깁니다(버스팅).

    돌려주는 값은 (온프레미스가 맡는 부하, 클라우드의 상시 부하, 클라우드의
    버스트 부하), 모두 서버 몇 대 분량인지입니다(온프레미스가 사는 대수는
    servers_to_buy가 따로 셉니다). capacity = 0이면 모두 클라우드, capacity ≥
    최대 부하(base + burst)이면 모두 온프레미스입니다.
    """
    peak = w.base_servers + w.burst_servers
    onprem = min(capacity, peak)
    steady = max(w.base_servers - capacity, 0.0)
    if capacity <= w.base_servers:
        burst = w.burst_servers  # 상시 부하도 넘치면 버스트는 통째로 클라우드
    else:
        burst = max(peak - capacity, 0.0)
    return onprem, steady, burst


# --8<-- [end:split-load]


def peak_load(s: Scenario) -> float:
    """최대 부하(서버 몇 대 분량): 상시 부하 + 버스트. 모두 온프레미스이면 이만큼을 감당하게 삽니다."""
    return s.workload.base_servers + s.workload.burst_servers


def onprem_monthly(s: Scenario) -> list[float]:
    """모두 온프레미스: 최대 부하에 맞춰 산 서버의 달별 비용(현금, 마지막 달에서 잔존가치를 뺌)."""
    months = range(1, s.horizon_months + 1)
    costs = [
        onprem_month(s.onprem, s.workload, peak_load(s), m) for m in months
    ]
    costs[-1] -= residual_value(
        s.onprem, s.workload, peak_load(s), s.horizon_months
    )
    return costs


def cloud_monthly(s: Scenario) -> list[float]:
    """모두 클라우드: 달별 비용(현금, 매달 같음)."""
    w = s.workload
    return [
        cloud_month(s.cloud, w, w.base_servers, w.burst_servers)
    ] * s.horizon_months


def hybrid_base(s: Scenario) -> float:
    """하이브리드에서 온프레미스가 맡는 부하(대 분량): 시나리오가 정하지 않으면 상시 부하만큼."""
    return (
        s.workload.base_servers
        if s.hybrid_capacity is None
        else s.hybrid_capacity
    )


def hybrid_monthly(s: Scenario, capacity: float | None = None) -> list[float]:
    """하이브리드: capacity대 분량까지는 온프레미스, 넘치는 부하는 클라우드. 달별 비용(현금,
    마지막 달에서 온프레미스 장비의 잔존가치를 뺌)."""
    if capacity is None:
        capacity = hybrid_base(s)
    if capacity not in CAPACITY:
        raise ValueError(
            f"capacity={capacity!r}: 허용 범위 {CAPACITY} 밖의 값입니다"
        )
    w = s.workload
    onprem, steady, burst = split_load(w, capacity)
    cloud = cloud_month(s.cloud, w, steady, burst)
    kept = 1 - cloud_share(
        w, steady, burst
    )  # 온프레미스에 남는 데이터·전송의 비율
    months = range(1, s.horizon_months + 1)
    costs = [onprem_month(s.onprem, w, onprem, m, kept) + cloud for m in months]
    costs[-1] -= residual_value(s.onprem, w, onprem, s.horizon_months, kept)
    return costs


# --8<-- [start:present-value]
def present_values(monthly: Sequence[float], annual_rate: float) -> list[float]:
    """달별 비용을 지금 돈의 값(현재가치, present value)으로: m번째 달(1부터)의
    비용을 (1 + annual_rate / 12) ** (m - 1)로 나눕니다.

    annual_rate는 연 할인율(자본 비용)이고, 달마다 그 12분의 1씩 복리로
    할인합니다. 각 달의 돈은 그 달 초에 낸다고 봐서 첫 달은 그대로입니다. 먼저
    쓴 돈은 그동안 다른 데서 벌 수 있었던 만큼 더 비싸므로, 서버 구매처럼 먼저
    나가는 돈이 나중의 사용료보다 무겁게 셉니다. 0이면 현금 그대로.
    """
    values, factor = [], 1.0
    for cost in monthly:
        values.append(cost / factor)
        factor *= 1 + annual_rate / 12
    return values


# --8<-- [end:present-value]


def cumulative(monthly: Sequence[float]) -> list[float]:
    """달별 비용의 누적 합: 결과[m-1] = 1..m번째 달 비용의 합."""
    return list(accumulate(monthly))


# --8<-- [start:break-even-month]
def break_even_month(
    onprem_total: Sequence[float], cloud_total: Sequence[float]
) -> int | None:
    """손익분기 달: 온프레미스의 누적 비용이 처음으로 클라우드의 누적 비용
    이하가 되는 달(1부터).

    서버 구매라는 초기 비용을 매달의 절약으로 처음 다 갚은 달입니다. 기간 안에
    없으면 None. 교체 구매로 곡선이 다시 뒤집힐 수 있지만, 여기서는 처음 만나는
    달만 봅니다.
    """
    for month, (onprem, cloud) in enumerate(
        zip(onprem_total, cloud_total, strict=True), start=1
    ):
        if onprem <= cloud:
            return month
    return None


# --8<-- [end:break-even-month]


class Comparison(NamedTuple):
    """세 방식의 누적 비용(현재가치, 원, 길이 horizon_months)과 온프레미스 vs 클라우드의 손익분기 달."""

    onprem: list[float]  # 모두 온프레미스
    cloud: list[float]  # 모두 클라우드
    hybrid: list[float]  # 상시는 온프레미스, 버스트는 클라우드
    break_even: int | None  # 온프레미스가 클라우드를 따라잡는 달, 없으면 None


def compare(s: Scenario) -> Comparison:
    """시나리오 하나의 세 가지 누적 비용 곡선(할인율 s.discount_rate의 현재가치)과 손익분기 달."""
    onprem = cumulative(present_values(onprem_monthly(s), s.discount_rate))
    cloud = cumulative(present_values(cloud_monthly(s), s.discount_rate))
    hybrid = cumulative(present_values(hybrid_monthly(s), s.discount_rate))
    # 허용 범위의 끝이 유한하므로 일어나지 않아야 하지만, 무한대나 NaN을 금액으로 보여 주지는 않습니다.
    if not all(math.isfinite(total[-1]) for total in (onprem, cloud, hybrid)):
        raise ValueError(
            "총액이 유한하지 않습니다: 입력값이 허용 범위 안인지 확인하세요"
        )
    return Comparison(onprem, cloud, hybrid, break_even_month(onprem, cloud))


# ---------------------------------------------------------------------------------------------
# 민감도: 가정 하나씩 바꿔 보기


class Sensitivity(NamedTuple):
    """가정 하나를 내리고 올렸을 때의 손익분기 달(None = 기간 안에 없음)."""

    path: str  # 바꾼 가정의 경로
    low: float  # 내린 값
    high: float  # 올린 값
    break_even_low: int | None  # 내렸을 때의 손익분기 달
    break_even_high: int | None  # 올렸을 때의 손익분기 달


def _clamp(f: Any, value: float) -> float:
    """value를 필드의 허용 범위 [low, high] 안으로 자릅니다(정수 필드는 반올림)."""
    allowed = f.metadata["range"]
    if allowed.integer:
        value = round(value)
    return min(max(value, allowed.low), allowed.high)


# --8<-- [start:sensitivity]
def swing(row: Sensitivity, horizon_months: int) -> tuple[int, bool]:
    """손익분기 달이 움직인 폭(개월)과, 한쪽이라도 기간 안에 손익분기가
    없는지(열린 폭).

    "기간 안에 없음"은 몇 달째라는 값이 아니라서 폭을 알 수 없고, 적어도 기간 끝
    다음 달 (horizon + 1)까지입니다. 열린 폭은 그 하한을 폭으로 돌려줍니다.
    """
    never = horizon_months + 1
    low, high = row.break_even_low or never, row.break_even_high or never
    open_ended = (row.break_even_low is None) != (row.break_even_high is None)
    return abs(high - low), open_ended


def sensitivity(s: Scenario, change: float = 0.2) -> list[Sensitivity]:
    """한 번에 하나씩(one-at-a-time) 민감도 분석: 가정 하나를 ±change(기본
    20%)만큼 바꾸고 나머지는 그대로 둔 채 손익분기 달을 다시 잽니다. 토네이도
    차트(tornado chart)의 재료입니다.

    값이 0인 가정은 바꿔도 그대로라 뺍니다. 허용 범위를 넘는 값은 범위 끝으로
    자릅니다. 폭(swing)이 큰 순서로 돌려줍니다. 한쪽이 기간 안에 없으면 폭의
    하한으로 견주고, 하한이 같으면 실제로는 더 클 수 있는 열린 폭을 앞에 둡니다.
    """
    rows = []
    for path, f in inputs(s):
        value = value_of(s, path)
        if value == 0:
            continue
        low, high = (
            _clamp(f, value * (1 - change)),
            _clamp(f, value * (1 + change)),
        )
        months = [
            compare(with_value(s, path, v)).break_even for v in (low, high)
        ]
        rows.append(Sensitivity(path, low, high, *months))
    return sorted(
        rows, key=lambda row: swing(row, s.horizon_months), reverse=True
    )


# --8<-- [end:sensitivity]


# ---------------------------------------------------------------------------------------------
# 금액을 글자로, 그리고 명령줄


def won(amount: float) -> str:
    """금액을 짧은 글자로: 1조 원 아래는 억 원(123_456_789 -> '1.23억 원'), 1조 원부터는 조 원
    (5.2e12 -> '5.20조 원'). 계산기(docs/assets/tco-calculator.js의 formatWon)와 같은 규칙."""
    # 억으로 적으면 10,000.00억 이상인 금액부터 조로
    eok = f"{amount / 1e8:,.2f}"
    if abs(float(eok.replace(",", ""))) >= 10_000:
        return f"{amount / 1e12:,.2f}조 원"
    return f"{eok}억 원"


def summary(s: Scenario, source: str = "기본값은 예시 가정") -> str:
    """명령줄에 찍을 비교 요약. source는 가정이 어디서 왔는지 밝히는 말."""
    result, cash, months = (
        compare(s),
        compare(replace(s, discount_rate=0)),
        s.horizon_months,
    )

    def even(month: int | None) -> str:
        return f"{month}개월째" if month else f"{months}개월 안에 없음"

    load = split_load(s.workload, hybrid_base(s))[
        0
    ]  # 용량이 최대 부하보다 크면(∞ 포함) 최대 부하까지
    return "\n".join(
        [
            f"온프레미스 vs 클라우드 ({months}개월, 통화 {CURRENCY}, {source})",
            f"  누적 비용은 연 {s.discount_rate * 100:g}% 할인한 현재가치",
            f"  모두 온프레미스(서버 {servers_to_buy(s.onprem, peak_load(s))}대 구매): "
            f"{won(result.onprem[-1])}",
            f"  모두 클라우드:   {won(result.cloud[-1])}",
            f"  하이브리드(온프레미스가 {load:g}대 분량, 서버 {servers_to_buy(s.onprem, load)}대"
            f" + 넘치는 부하는 클라우드): {won(result.hybrid[-1])}",
            f"  손익분기(온프레미스 누적 ≤ 클라우드 누적): {even(result.break_even)}"
            f" (할인하지 않은 현금으로는 {even(cash.break_even)})",
        ]
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m snippets.tco",
        description="온프레미스 vs 클라우드 총비용 비교",
    )
    parser.add_argument(
        "--scenario",
        type=Path,
        help="기본 가정을 덮어쓸 JSON/YAML 파일 (예: cloud.price_per_hour)",
    )
    args = parser.parse_args(argv)
    try:
        s = load_scenario(args.scenario) if args.scenario else Scenario()
    except ValueError as error:
        sys.exit(f"python -m snippets.tco: {error}")  # 한 줄, 종료 코드 1
    source = (
        f"{args.scenario}의 값 + 나머지는 예시 가정"
        if args.scenario
        else "기본값은 예시 가정"
    )
    print(summary(s, source))


if __name__ == "__main__":
    main()
