"""온프레미스 vs 클라우드: 총소유비용(TCO, total cost of ownership) 모델.

글 「온프레미스 vs 클라우드: 당신의 비즈니스에 맞는 선택은?」의 숫자를 이 파일이 계산합니다.

- 금액의 단위는 모두 원(KRW)입니다. 달러로 적힌 공개 요금은 환율을 가정해 원으로 바꿨습니다.
- 시간 단위는 달(month)입니다. 한 달은 평균 730시간(= 8,760시간 / 12)으로 봅니다.
- 서버 1대와 클라우드 인스턴스 1개가 같은 양의 일을 한다고 봅니다("서버 1대분"의 부하).
- 넣는 값(Scenario: 일의 양 Workload, 온프레미스 OnPremise, 클라우드 Cloud)과 그 기본값·허용 범위·근거는
  snippets/tco_scenario.py에 있습니다. 기본값은 모두 **예시 가정**입니다. 여러분의 견적·요금으로
  바꿔 넣으세요(`python -m snippets.tco --scenario 내-시나리오.yaml`).

비용은 현금 기준입니다: 서버 구매 대금은 산 달에 한꺼번에 나가고(감가상각으로 나누지 않음),
교체 주기(refresh_months)마다 다시 나갑니다. 그래서 누적 비용 곡선이 계단 모양이 됩니다.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
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


# --8<-- [start:onprem-month]
def onprem_month(p: OnPremise, demand: float, month: int) -> float:
    """서버 demand대분의 부하를 온프레미스로 감당할 때 month번째 달(1부터)의 비용(원).

    목표 가동률만큼 여유를 두어 demand / target_utilisation 대를 사고, refresh_months마다
    새로 삽니다(현금 기준: 구매 대금은 산 달에 한꺼번에). 전력은 한 달 730시간 내내 PUE를 곱한 만큼,
    공간·유지보수·라이선스는 대수에 비례해 매달, 인력은 서버가 한 대라도 있으면 매달 듭니다.
    """
    if demand == 0:
        return 0.0
    hours = 730  # 한 달 평균 시간 = 8,760 / 12
    servers = demand / p.target_utilisation
    bought = (month - 1) % p.refresh_months == 0
    hardware = servers * p.server_price if bought else 0.0
    power = servers * p.power_kw * p.pue * hours * p.electricity_price
    space = servers * p.space_per_server
    maintenance = servers * p.server_price * p.maintenance_rate / 12
    licences = servers * p.licence_per_server
    staff = p.staff_fte * p.staff_cost / 12
    return hardware + power + space + maintenance + licences + staff


# --8<-- [end:onprem-month]


# --8<-- [start:cloud-month]
def cloud_month(c: Cloud, w: Workload, steady: float, burst: float) -> float:
    """클라우드가 상시 steady대와 버스트 burst대를 맡을 때 한 달 비용(원).

    상시 부하는 한 달 730시간 내내 약정 할인가로, 버스트는 burst_share만큼의 시간만 온디맨드로
    냅니다. 저장·전송량은 클라우드가 맡은 인스턴스 시간의 비율(share)만큼 클라우드에 있다고 봅니다
    (모두 클라우드면 share = 1). 지원 요금은 사용액의 비율, 인력은 클라우드를 조금이라도 쓰면 듭니다.
    """
    hours = 730  # 한 달 평균 시간 = 8,760 / 12
    used = steady * hours + burst * w.burst_share * hours  # 클라우드가 맡은 인스턴스 시간
    if used == 0:
        return 0.0
    share = used / (w.base_servers * hours + w.burst_servers * w.burst_share * hours)
    committed = steady * hours * c.price_per_hour * (1 - c.committed_discount)
    on_demand = burst * w.burst_share * hours * c.price_per_hour
    storage = share * w.storage_gb * c.storage_price
    egress = share * w.egress_gb * c.egress_price
    usage = committed + on_demand + storage + egress
    staff = c.staff_fte * c.staff_cost / 12
    return usage + usage * c.support_rate + staff


# --8<-- [end:cloud-month]


# --8<-- [start:split-load]
def split_load(w: Workload, capacity: float) -> tuple[float, float, float]:
    """하이브리드: 온프레미스가 서버 capacity대까지 맡고, 그 위는 클라우드로 넘깁니다(버스팅).

    돌려주는 값은 (온프레미스가 맡는 대수, 클라우드의 상시 대수, 클라우드의 버스트 대수).
    capacity = 0이면 모두 클라우드, capacity ≥ 최대 부하(base + burst)이면 모두 온프레미스입니다.
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


def onprem_monthly(s: Scenario) -> list[float]:
    """모두 온프레미스: 최대 부하(base + burst)에 맞춰 산 서버의 달별 비용."""
    peak = s.workload.base_servers + s.workload.burst_servers
    return [onprem_month(s.onprem, peak, m) for m in range(1, s.horizon_months + 1)]


def cloud_monthly(s: Scenario) -> list[float]:
    """모두 클라우드: 달별 비용(매달 같음)."""
    w = s.workload
    return [cloud_month(s.cloud, w, w.base_servers, w.burst_servers)] * s.horizon_months


def hybrid_base(s: Scenario) -> float:
    """하이브리드의 온프레미스 용량: 시나리오가 정하지 않으면 상시 부하만큼."""
    return s.workload.base_servers if s.hybrid_capacity is None else s.hybrid_capacity


def hybrid_monthly(s: Scenario, capacity: float | None = None) -> list[float]:
    """하이브리드: capacity대까지는 온프레미스, 넘치는 부하는 클라우드. 달별 비용."""
    if capacity is None:
        capacity = hybrid_base(s)
    if capacity not in CAPACITY:
        raise ValueError(f"capacity={capacity!r}: 허용 범위 {CAPACITY} 밖의 값입니다")
    onprem, steady, burst = split_load(s.workload, capacity)
    cloud = cloud_month(s.cloud, s.workload, steady, burst)
    return [onprem_month(s.onprem, onprem, m) + cloud for m in range(1, s.horizon_months + 1)]


def cumulative(monthly: Sequence[float]) -> list[float]:
    """달별 비용의 누적 합: 결과[m-1] = 1..m번째 달 비용의 합."""
    return list(accumulate(monthly))


# --8<-- [start:break-even-month]
def break_even_month(onprem_total: Sequence[float], cloud_total: Sequence[float]) -> int | None:
    """손익분기 달: 온프레미스의 누적 비용이 처음으로 클라우드의 누적 비용 이하가 되는 달(1부터).

    서버 구매라는 초기 비용을 매달의 절약으로 처음 다 갚은 달입니다. 기간 안에 없으면 None.
    교체 구매로 곡선이 다시 뒤집힐 수 있지만, 여기서는 처음 만나는 달만 봅니다.
    """
    for month, (onprem, cloud) in enumerate(zip(onprem_total, cloud_total, strict=True), start=1):
        if onprem <= cloud:
            return month
    return None


# --8<-- [end:break-even-month]


class Comparison(NamedTuple):
    """세 방식의 누적 비용(원, 길이 horizon_months)과 온프레미스 vs 클라우드의 손익분기 달."""

    onprem: list[float]  # 모두 온프레미스
    cloud: list[float]  # 모두 클라우드
    hybrid: list[float]  # 상시는 온프레미스, 버스트는 클라우드
    break_even: int | None  # 온프레미스가 클라우드를 따라잡는 달, 없으면 None


def compare(s: Scenario) -> Comparison:
    """시나리오 하나의 세 가지 누적 비용 곡선과 손익분기 달."""
    onprem = cumulative(onprem_monthly(s))
    cloud = cumulative(cloud_monthly(s))
    hybrid = cumulative(hybrid_monthly(s))
    # 허용 범위의 끝이 유한하므로 일어나지 않아야 하지만, 무한대나 NaN을 금액으로 보여 주지는 않습니다.
    if not all(math.isfinite(total[-1]) for total in (onprem, cloud, hybrid)):
        raise ValueError("총액이 유한하지 않습니다: 입력값이 허용 범위 안인지 확인하세요")
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
def sensitivity(s: Scenario, change: float = 0.2) -> list[Sensitivity]:
    """한 번에 하나씩(one-at-a-time) 민감도 분석: 가정 하나를 ±change(기본 20%)만큼 바꾸고
    나머지는 그대로 둔 채 손익분기 달을 다시 잽니다. 토네이도 차트(tornado chart)의 재료입니다.

    값이 0인 가정은 바꿔도 그대로라 뺍니다. 허용 범위를 넘는 값은 범위 끝으로 자릅니다.
    손익분기 달의 폭(기간 안에 없으면 horizon + 1로 셈)이 큰 순서로 돌려줍니다.
    """
    rows = []
    for path, f in inputs(s):
        value = value_of(s, path)
        if value == 0:
            continue
        low, high = _clamp(f, value * (1 - change)), _clamp(f, value * (1 + change))
        months = [compare(with_value(s, path, v)).break_even for v in (low, high)]
        rows.append(Sensitivity(path, low, high, *months))

    def swing(row: Sensitivity) -> int:
        never = s.horizon_months + 1
        return abs((row.break_even_high or never) - (row.break_even_low or never))

    return sorted(rows, key=swing, reverse=True)


# --8<-- [end:sensitivity]


# ---------------------------------------------------------------------------------------------
# 금액을 글자로, 그리고 명령줄


def won(amount: float) -> str:
    """금액을 억 원 단위의 짧은 글자로: 123_456_789 -> '1.23억 원'."""
    return f"{amount / 1e8:,.2f}억 원"


def summary(s: Scenario, source: str = "기본값은 예시 가정") -> str:
    """명령줄에 찍을 비교 요약. source는 가정이 어디서 왔는지 밝히는 말."""
    result, months = compare(s), s.horizon_months
    even = f"{result.break_even}개월째" if result.break_even else f"{months}개월 안에 없음"
    return "\n".join(
        [
            f"온프레미스 vs 클라우드 ({months}개월, 통화 {CURRENCY}, {source})",
            f"  모두 온프레미스: {won(result.onprem[-1])}",
            f"  모두 클라우드:   {won(result.cloud[-1])}",
            f"  하이브리드(온프레미스 {hybrid_base(s):g}대 + 넘치는 부하는 클라우드): "
            f"{won(result.hybrid[-1])}",
            f"  손익분기(온프레미스 누적 ≤ 클라우드 누적): {even}",
        ]
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m snippets.tco", description="온프레미스 vs 클라우드 총비용 비교"
    )
    parser.add_argument(
        "--scenario", type=Path, help="기본 가정을 덮어쓸 JSON/YAML 파일 (예: cloud.price_per_hour)"
    )
    args = parser.parse_args(argv)
    try:
        s = load_scenario(args.scenario) if args.scenario else Scenario()
    except ValueError as error:
        sys.exit(f"python -m snippets.tco: {error}")  # 한 줄, 종료 코드 1
    source = f"{args.scenario}의 값 + 나머지는 예시 가정" if args.scenario else "기본값은 예시 가정"
    print(summary(s, source))


if __name__ == "__main__":
    main()
