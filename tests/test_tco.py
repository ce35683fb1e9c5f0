"""snippets/tco.py(모델)와 snippets/tco_scenario.py(넣는 값): 손으로 계산한 예, 닫힌 꼴(closed form)의 손익분기, 성질(property) 검사, 입력 검사."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from dataclasses import fields, replace
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from blogbuild.references import parse as parse_references
from snippets.tco import (
    Sensitivity,
    break_even_month,
    cloud_month,
    cloud_monthly,
    compare,
    cumulative,
    hybrid_monthly,
    main,
    onprem_month,
    onprem_monthly,
    peak_load,
    present_values,
    residual_value,
    sensitivity,
    servers_to_buy,
    split_load,
    summary,
    swing,
    won,
)
from snippets.tco_scenario import (
    SOURCE_PAGES,
    Cloud,
    OnPremise,
    Scenario,
    Workload,
    inputs,
    linked_source,
    load_scenario,
    scale_prices,
    scenario_from_dict,
    value_of,
    with_value,
)
from tests.conftest import alias_bomb

ROOT = Path(__file__).resolve().parent.parent

# ---------------------------------------------------------------------------------------------
# 손으로 계산할 수 있는 작은 시나리오 (한 달 = 730시간)

HAND = Scenario(
    workload=Workload(base_servers=2, burst_servers=0, burst_share=0, storage_gb=100, egress_gb=10),
    onprem=OnPremise(
        server_price=120_000,
        refresh_months=12,
        power_kw=0.25,
        pue=2,
        electricity_price=1,
        space_per_server=100,
        maintenance_rate=0.5,
        licence_per_server=50,
        storage_price=0,  # 저장·전송 줄은 아래 test_hand_computed_onprem_storage_and_egress에서
        egress_price=0,
        staff_fte=0.5,
        staff_cost=24_000,
        target_utilisation=1,
    ),
    cloud=Cloud(
        price_per_hour=50,
        committed_discount=0.5,
        storage_price=2,
        egress_price=10,
        support_rate=0.25,
        staff_fte=0.25,
        staff_cost=48_000,
        target_utilisation=1,
    ),
    discount_rate=0,  # 현금 그대로(할인은 test_hand_computed_present_value_and_break_even에서)
    horizon_months=24,
)
# 온프레미스: 가동률 1이라 서버 2 / 1 = 2대.
#   구매 2 * 120,000 = 240,000 (1번째 달과, 교체 주기 12개월 뒤인 13번째 달)
#   전력 2대 * 0.25 kW * PUE 2 * 730시간 * 1원 = 730
#   공간 2 * 100 = 200, 유지보수 2 * 120,000 * 0.5 / 12 = 10,000, 라이선스 2 * 50 = 100
#   인력 0.5명 * 24,000 / 12 = 1,000
#   => 매달 730 + 200 + 10,000 + 100 + 1,000 = 12,030, 구매하는 달은 252,030
HAND_ONPREM_RUNNING = 730 + 200 + 10_000 + 100 + 1_000
# 클라우드: 상시 2대 * 730시간 * 50원 * (1 - 0.5) = 36,500, 버스트 없음
#   스토리지 100 GB * 2 = 200, 전송 10 GB * 10 = 100 -> 사용액 36,800
#   지원 36,800 * 0.25 = 9,200, 인력 0.25명 * 48,000 / 12 = 1,000 => 매달 47,000
HAND_CLOUD = 36_500 + 200 + 100 + 9_200 + 1_000


def test_hand_computed_monthly_costs() -> None:
    onprem = onprem_monthly(HAND)
    assert HAND_ONPREM_RUNNING == 12_030 and HAND_CLOUD == 47_000
    assert onprem[0] == onprem[12] == 240_000 + 12_030
    assert [cost for m, cost in enumerate(onprem) if m not in (0, 12)] == [12_030] * 22
    assert cloud_monthly(HAND) == [47_000] * 24


def test_hand_computed_cumulative_totals_and_break_even() -> None:
    result = compare(HAND)
    # 6번째 달: 240,000 + 6 * 12,030 = 312,180 > 6 * 47,000 = 282,000 (아직 클라우드가 쌈)
    # 7번째 달: 240,000 + 7 * 12,030 = 324,210 <= 7 * 47,000 = 329,000 (처음으로 온프레미스가 쌈)
    assert result.onprem[5] == 312_180 and result.cloud[5] == 282_000
    assert result.onprem[6] == 324_210 and result.cloud[6] == 329_000
    assert result.break_even == 7
    # 24개월: 구매 두 번 2 * 240,000 + 24 * 12,030 = 768,720, 클라우드 24 * 47,000 = 1,128,000
    assert result.onprem[-1] == 768_720
    assert result.cloud[-1] == 1_128_000


def test_hand_computed_hybrid_month() -> None:
    s = with_value(with_value(HAND, "workload.burst_servers", 2), "workload.burst_share", 0.25)
    # 용량 2대(상시 부하)까지는 온프레미스: 위와 같은 12,030 (+ 첫 달 구매 240,000)
    assert split_load(s.workload, 2) == (2, 0.0, 2)
    # 버스트 2대 * 0.25 * 730시간 = 365시간을 온디맨드 50원에: 18,250
    # 클라우드가 맡은 비율 365 / (2 * 730 + 365) = 0.2 -> 스토리지 0.2 * 100 * 2 = 40,
    # 전송 0.2 * 10 * 10 = 20 -> 사용액 18,310, 지원 4,577.5, 인력 1,000 => 23,887.5
    cloud_part = 18_250 + 40 + 20 + 4_577.5 + 1_000
    assert cloud_month(s.cloud, s.workload, 0.0, 2) == pytest.approx(cloud_part, rel=1e-15)
    hybrid = hybrid_monthly(s, capacity=2)
    assert hybrid[0] == pytest.approx(252_030 + cloud_part, rel=1e-15)
    assert hybrid[1] == pytest.approx(12_030 + cloud_part, rel=1e-15)
    # 모두 온프레미스는 최대 부하 4대를 사야 합니다: 매달 2배의 대수 비용 + 같은 인력 1,000
    assert onprem_monthly(s)[1] == 2 * (730 + 200 + 10_000 + 100) + 1_000
    # 서버는 한 대 단위로 삽니다: 1.5대 분량을 맡으려면 2대를 사서 2대 값을 냅니다.
    assert hybrid_monthly(s, capacity=1.5)[1] - hybrid_monthly(s, capacity=2)[1] > 0
    assert onprem_month(s.onprem, s.workload, 1.5, 2) == onprem_month(s.onprem, s.workload, 2, 2)


@pytest.mark.parametrize(
    ("load", "utilisation", "bought"),
    [
        (20, 0.7, 29),
        (30, 0.7, 43),
        (7, 0.7, 10),
        (14, 0.7, 20),
        (2, 1, 2),
        (2.01, 1, 3),
        (0.01, 1, 1),
    ],
    ids=["20-at-70%", "30-at-70%", "7/0.7-is-10-not-11", "14/0.7", "exact", "just-above", "tiny"],
)
def test_servers_to_buy_is_whole_servers_rounded_up(
    load: float, utilisation: float, bought: int
) -> None:
    # 7 / 0.7 = 10.000000000000002: 반올림 오차로 11대를 사면 안 됩니다.
    assert servers_to_buy(OnPremise(target_utilisation=utilisation), load) == bought


@settings(max_examples=200, deadline=None)
@given(load=st.floats(0.01, 1e6), utilisation=st.floats(0.01, 1))
def test_servers_to_buy_covers_the_load_with_less_than_one_spare(
    load: float, utilisation: float
) -> None:
    need = load / utilisation
    bought = servers_to_buy(OnPremise(target_utilisation=utilisation), load)
    assert isinstance(bought, int) and need - 1e-9 * need <= bought < need + 1


def test_hand_computed_onprem_storage_and_egress() -> None:
    """저장·전송은 클라우드만의 비용이 아닙니다: 온프레미스도 데이터를 둘 디스크를 사고 전송료를 냅니다."""
    s = with_value(with_value(HAND, "onprem.storage_price", 240), "onprem.egress_price", 3)
    # 디스크 100 GB * 240 = 24,000을 서버 240,000과 함께 삽니다: 장비 264,000
    # 유지보수 264,000 * 0.5 / 12 = 11,000, 전송 10 GB * 3 = 30
    # => 매달 730 + 200 + 11,000 + 100 + 30 + 1,000 = 13,060, 사는 달은 277,060
    onprem = onprem_monthly(s)
    assert onprem[0] == onprem[12] == 277_060 and onprem[1] == 13_060
    # 하이브리드에서 클라우드가 일의 0.2를 맡으면, 온프레미스는 데이터·전송의 0.8만 둡니다:
    # 디스크 0.8 * 100 * 240 = 19,200, 장비 259,200, 유지보수 10,800, 전송 0.8 * 10 * 3 = 24
    s = with_value(with_value(s, "workload.burst_servers", 2), "workload.burst_share", 0.25)
    cloud_part = 18_250 + 40 + 20 + 4_577.5 + 1_000  # test_hand_computed_hybrid_month와 같음
    onprem_part = 730 + 200 + 10_800 + 100 + 24 + 1_000
    hybrid = hybrid_monthly(s, capacity=2)
    assert hybrid[0] == pytest.approx(240_000 + 19_200 + onprem_part + cloud_part, rel=1e-15)
    assert hybrid[1] == pytest.approx(onprem_part + cloud_part, rel=1e-15)


def test_hand_computed_cloud_headroom() -> None:
    # 클라우드도 가동률 0.5로 여유를 두면 상시 2대 분량에 인스턴스 4개: 약정 73,000
    # 스토리지·전송은 일의 양이라 그대로 300 -> 사용액 73,300, 지원 18,325, 인력 1,000 => 92,625
    s = with_value(HAND, "cloud.target_utilisation", 0.5)
    assert cloud_monthly(s) == [92_625] * 24


def test_hand_computed_present_value_and_break_even() -> None:
    """연 12%(달 1%) 할인: m번째 달의 돈은 1.01^(m-1)로 나눕니다(첫 달은 그대로)."""
    s = with_value(HAND, "discount_rate", 0.12)
    assert present_values([101.0, 101.0, 102.01], 0.12) == pytest.approx([101, 100, 100])
    result = compare(s)
    assert result.onprem[0] == 252_030 and result.cloud[0] == 47_000
    # 1..7번째 달의 할인 계수 합 = (1 - 1.01^-7) / (1 - 1.01^-1) = 6.795476...
    # 7번째 달: 온프레미스 240,000 + 12,030 * 6.795476 = 321,749.6 > 클라우드 47,000 * 6.795476 = 319,387.4
    # 8번째 달: 합 7.728195... -> 332,970.2 <= 363,225.2. 현금으로는 7번째 달이던 손익분기가 8번째 달로.
    assert result.onprem[6] == pytest.approx(321_749.6, abs=0.1)
    assert result.cloud[6] == pytest.approx(319_387.4, abs=0.1)
    assert result.onprem[7] == pytest.approx(332_970.2, abs=0.1)
    assert result.cloud[7] == pytest.approx(363_225.2, abs=0.1)
    assert result.break_even == 8 and compare(HAND).break_even == 7


def test_hand_computed_residual_value_is_taken_off_the_last_month() -> None:
    """정액법 잔존가치: 12개월 쓰는 서버 2대(240,000)를 기간 18개월에서 끊으면, 13번째 달에 다시 산
    서버를 6개월 써서 6/12 = 120,000이 남습니다. 기간이 교체 주기의 배수(24개월)이면 0입니다."""
    s = replace(HAND, horizon_months=18)
    assert residual_value(s.onprem, s.workload, 2, 18) == 120_000
    assert residual_value(s.onprem, s.workload, 2, 24) == 0
    assert residual_value(s.onprem, s.workload, 2, 13) == 220_000  # 13번째 달에 사서 한 달 씀
    onprem = onprem_monthly(s)
    assert onprem[:-1] == onprem_monthly(HAND)[:17]
    assert onprem[-1] == 12_030 - 120_000
    # 18개월 누적: 구매 두 번 480,000 + 18 * 12,030 - 120,000 = 576,540
    assert compare(s).onprem[-1] == 576_540
    # 하이브리드도 온프레미스 몫의 장비에 같은 계산을 합니다(상시 2대 = 모두 온프레미스와 같은 서버).
    assert hybrid_monthly(s, capacity=2)[-1] == onprem[-1] + cloud_month(s.cloud, s.workload, 0, 0)


def test_residual_value_flips_the_84_month_example_to_onprem() -> None:
    """issue 25: 84개월이면 61번째 달에 다시 산 서버가 60개월 수명 가운데 36개월을 남깁니다.
    그 가치(현금 2.59억, 연 8% 현재가치 1.49억)를 세면 온프레미스가 더 쌉니다."""
    s = replace(Scenario(), horizon_months=84)
    left = residual_value(s.onprem, s.workload, peak_load(s), 84)
    assert won(left) == "2.59억 원"
    assert won(left / (1 + s.discount_rate / 12) ** 83) == "1.49억 원"
    result, cash = compare(s), compare(replace(s, discount_rate=0))
    assert (won(result.onprem[-1]), won(result.cloud[-1])) == ("21.89억 원", "22.14억 원")
    assert (won(cash.onprem[-1]), won(cash.cloud[-1])) == ("27.06억 원", "28.80억 원")


def test_discounting_delays_the_example_break_even() -> None:
    s = Scenario()
    cash, discounted = compare(replace(s, discount_rate=0)), compare(s)
    assert s.discount_rate > 0 and cash.break_even is not None
    assert discounted.break_even is not None and discounted.break_even > cash.break_even
    # 현재가치는 현금보다 작고(첫 달 뒤의 돈은 할인되므로), 첫 달은 같습니다.
    assert discounted.onprem[0] == cash.onprem[0] and discounted.cloud[-1] < cash.cloud[-1]


def test_break_even_none_when_cloud_stays_cheaper() -> None:
    s = with_value(HAND, "cloud.price_per_hour", 1)
    assert compare(s).break_even is None


@pytest.mark.parametrize(
    ("onprem", "cloud", "expected"),
    [
        ([10.0, 1.0, 1.0], [5.0, 5.0, 5.0], 3),  # 10+1+1 = 12 <= 15
        ([5.0, 1.0], [5.0, 1.0], 1),  # 같으면 이미 손익분기
        ([9.0, 1.0, 1.0], [4.0, 4.0, 4.0], 3),  # 11 <= 12, 10 > 8
        ([9.0, 1.0], [1.0, 1.0], None),
    ],
    ids=["crosses", "tie-counts", "third-month", "never"],
)
def test_break_even_month_is_first_month_with_onprem_not_above_cloud(
    onprem: list[float], cloud: list[float], expected: int | None
) -> None:
    assert break_even_month(cumulative(onprem), cumulative(cloud)) == expected


# ---------------------------------------------------------------------------------------------
# 닫힌 꼴: 교체 구매가 기간 안에 없으면 온프레미스 누적 = U + a*m, 클라우드 누적 = c*m.
# U + a*m <= c*m  <=>  m >= U / (c - a)  =>  손익분기 = max(1, ceil(U / (c - a))) (c > a일 때).


def closed_form_break_even(upfront: float, onprem: float, cloud: float, months: int) -> int | None:
    if cloud <= onprem:
        return 1 if upfront <= 0 else None
    month = max(1, math.ceil(upfront / (cloud - onprem)))
    return month if month <= months else None


@pytest.mark.parametrize(
    ("server_price", "cloud_price", "expected"),
    [(120_000, 50, 7), (134_910, 50, 8), (120_000, 10, None), (0, 50, 1)],
    ids=["hand", "exact-tie-at-8", "cloud-cheaper", "no-upfront"],
)
def test_closed_form_break_even_matches_simulation_examples(
    server_price: float, cloud_price: float, expected: int | None
) -> None:
    # exact-tie-at-8: 구매가 P이면 U = 2P, 유지보수 2P * 0.5 / 12 = P/12라서 a = 2,030 + P/12.
    # U = 8 * (47,000 - a)  <=>  2P = 359,760 - 8P/12  <=>  P = 134,910: 8번째 달에 정확히 같아집니다
    # (U = 269,820, a = 13,272.5, 모두 이진수로 정확한 값).
    # 교체 주기 = 기간: 기간 안에 다시 사지 않고, 기간 끝에 남은 가치(잔존가치)도 0입니다.
    s = replace(with_value(HAND, "onprem.refresh_months", 60), horizon_months=60)
    s = with_value(
        with_value(s, "onprem.server_price", server_price), "cloud.price_per_hour", cloud_price
    )
    upfront = 2 * server_price
    running = onprem_month(s.onprem, s.workload, 2, 2)
    monthly_cloud = cloud_monthly(s)[0]
    assert closed_form_break_even(upfront, running, monthly_cloud, 60) == expected
    assert compare(s).break_even == expected


# ---------------------------------------------------------------------------------------------
# 무작위 시나리오(hypothesis). 값은 현실적인 범위에서 고르고, 0도 나오게 합니다.


def amount(high: float) -> st.SearchStrategy[float]:
    return st.one_of(st.just(0.0), st.floats(0.01, high))


def fraction(low: float = 0.0, high: float = 1.0) -> st.SearchStrategy[float]:
    return st.floats(low, high)


workloads = st.builds(
    Workload,
    base_servers=st.floats(0.5, 200),
    burst_servers=amount(200),
    burst_share=fraction(),
    storage_gb=amount(1e6),
    egress_gb=amount(1e6),
)
onprems = st.builds(
    OnPremise,
    server_price=amount(5e7),
    refresh_months=st.integers(1, 120),
    power_kw=amount(2),
    pue=st.floats(1, 3),
    electricity_price=amount(500),
    space_per_server=amount(1e6),
    maintenance_rate=fraction(0, 0.5),
    licence_per_server=amount(1e6),
    storage_price=amount(2_000),
    egress_price=amount(500),
    staff_fte=amount(5),
    staff_cost=amount(2e8),
    target_utilisation=fraction(0.05, 1),
)
clouds = st.builds(
    Cloud,
    price_per_hour=amount(20_000),
    committed_discount=fraction(0, 0.9),
    storage_price=amount(200),
    egress_price=amount(500),
    support_rate=fraction(0, 0.2),
    staff_fte=amount(5),
    staff_cost=amount(2e8),
    target_utilisation=fraction(0.05, 1),
)
scenarios = st.builds(
    Scenario,
    workload=workloads,
    onprem=onprems,
    cloud=clouds,
    discount_rate=st.one_of(st.just(0.0), fraction(0, 0.5)),
    horizon_months=st.integers(1, 120),
    hybrid_capacity=st.one_of(st.none(), amount(500)),
)
PRICES = [path for path, f in inputs(Scenario()) if f.metadata["price"]]
ONPREM_PRICES = [p for p in PRICES if p.startswith("onprem.")]
CLOUD_PRICES = [p for p in PRICES if p.startswith("cloud.")]
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_price_fields_cover_both_sides() -> None:
    assert set(ONPREM_PRICES) == {
        "onprem.server_price",
        "onprem.electricity_price",
        "onprem.space_per_server",
        "onprem.licence_per_server",
        "onprem.storage_price",
        "onprem.egress_price",
        "onprem.staff_cost",
    }
    assert set(CLOUD_PRICES) == {
        "cloud.price_per_hour",
        "cloud.storage_price",
        "cloud.egress_price",
        "cloud.staff_cost",
    }


@FAST
@given(s=scenarios, path=st.sampled_from(PRICES), increase=st.floats(0.01, 1e6))
def test_every_total_is_monotone_in_every_price(s: Scenario, path: str, increase: float) -> None:
    before, after = compare(s), compare(with_value(s, path, value_of(s, path) + increase))
    for name in ("onprem", "cloud", "hybrid"):
        assert all(b <= a for b, a in zip(getattr(before, name), getattr(after, name), strict=True))
    # 온프레미스가 비싸지면 손익분기는 늦어지고(또는 사라지고), 클라우드가 비싸지면 빨라집니다.
    never = s.horizon_months + 1
    old, new = before.break_even or never, after.break_even or never
    assert new >= old if path.startswith("onprem.") else new <= old


@FAST
@given(s=scenarios)
def test_doubling_every_price_doubles_every_total(s: Scenario) -> None:
    before, after = compare(s), compare(scale_prices(s, 2))
    for name in ("onprem", "cloud", "hybrid"):
        # 2를 곱하는 것은 부동소수점에서도 정확하므로 근사가 아니라 같음을 봅니다.
        assert getattr(after, name) == [2 * x for x in getattr(before, name)]
    assert after.break_even == before.break_even


@FAST
@given(s=scenarios)
def test_hybrid_with_zero_capacity_is_all_cloud(s: Scenario) -> None:
    assert hybrid_monthly(s, capacity=0) == cloud_monthly(s)


@FAST
@given(s=scenarios, extra=st.one_of(st.just(math.inf), amount(1e3)))
def test_hybrid_with_unlimited_capacity_is_all_onprem(s: Scenario, extra: float) -> None:
    peak = s.workload.base_servers + s.workload.burst_servers
    assert hybrid_monthly(s, capacity=peak + extra) == onprem_monthly(s)


@FAST
@given(s=scenarios, rate=st.floats(0.001, 0.5))
def test_discounting_never_brings_break_even_earlier(s: Scenario, rate: float) -> None:
    """할인하면 먼저 나가는 돈(서버 구매)이 무거워지므로 손익분기는 같거나 늦어집니다(또는 사라집니다)."""
    never = s.horizon_months + 1
    cash = compare(replace(s, discount_rate=0)).break_even or never
    discounted = compare(replace(s, discount_rate=rate))
    assert (discounted.break_even or never) >= cash
    # 마지막 달 앞의 비용은 모두 0 이상이라, 그때까지 할인한 누적 비용은 현금 누적 비용을 넘지 않습니다.
    # 마지막 달은 잔존가치(나중에 돌아오는 돈)를 빼므로 음수일 수 있고, 할인하면 그 몫도 작아집니다.
    undiscounted = compare(replace(s, discount_rate=0))
    for name in ("onprem", "cloud", "hybrid"):
        pairs = zip(getattr(discounted, name)[:-1], getattr(undiscounted, name)[:-1], strict=True)
        assert all(d <= c for d, c in pairs)


@FAST
@given(s=scenarios)
def test_closed_form_break_even_matches_simulation(s: Scenario) -> None:
    # 기간 안에 교체 구매가 없고(교체 주기 = 기간, 그래서 잔존가치도 0) 할인하지 않으면 닫힌 꼴이 성립합니다.
    # 기간은 2개월부터: 둘째 달의 비용(running)에 교체 구매가 끼지 않도록.
    horizon = max(s.horizon_months, 2)
    s = replace(
        s, onprem=replace(s.onprem, refresh_months=horizon), horizon_months=horizon, discount_rate=0
    )
    peak = s.workload.base_servers + s.workload.burst_servers
    bought = servers_to_buy(s.onprem, peak)
    upfront = bought * s.onprem.server_price + s.workload.storage_gb * s.onprem.storage_price
    running = onprem_month(s.onprem, s.workload, peak, 2)
    monthly_cloud = cloud_monthly(s)[0]
    if monthly_cloud > running:
        # 경계에 아주 가까우면 반올림 오차로 한 달 어긋날 수 있어, 그런 예는 건너뜁니다.
        ratio = upfront / (monthly_cloud - running)
        assume(abs(ratio - round(ratio)) > 1e-6 * max(1.0, ratio))
    else:
        assume(upfront > 0 or monthly_cloud == running)
    expected = closed_form_break_even(upfront, running, monthly_cloud, s.horizon_months)
    assert compare(s).break_even == expected


# ---------------------------------------------------------------------------------------------
# 민감도 분석


def test_sensitivity_is_sorted_by_swing_and_moves_break_even_the_right_way() -> None:
    rows = sensitivity(Scenario(), change=0.2)
    never = Scenario().horizon_months + 1

    def swing(row) -> int:
        return abs((row.break_even_high or never) - (row.break_even_low or never))

    swings = [swing(row) for row in rows]
    assert swings == sorted(swings, reverse=True) and swings[0] > 0
    by_path = {row.path: row for row in rows}
    price = by_path["cloud.price_per_hour"]
    assert (price.low, price.high) == (2_000, 3_000)
    # 클라우드가 비싸지면 손익분기가 빨라집니다.
    assert (price.break_even_high or never) < (price.break_even_low or never)
    server = by_path["onprem.server_price"]
    assert (server.break_even_high or never) > (server.break_even_low or never)


def test_swing_of_no_break_even_is_open_ended_and_ranks_above_an_equal_finite_swing() -> None:
    """기간 안에 손익분기가 없는 쪽은 61개월째가 아닙니다: 폭은 하한일 뿐이라 열린 폭으로 표시합니다."""
    open_ended = Sensitivity("a", 1, 2, None, 40)  # 40개월째 ~ 없음: 적어도 61 - 40 = 21개월
    finite = Sensitivity("b", 1, 2, 19, 40)  # 19개월째 ~ 40개월째: 정확히 21개월
    assert swing(open_ended, 60) == (21, True)
    assert swing(finite, 60) == (21, False)
    assert swing(Sensitivity("c", 1, 2, None, None), 60) == (0, False)  # 두 쪽 다 없으면 그대로
    ranked = sorted([finite, open_ended], key=lambda row: swing(row, 60), reverse=True)
    assert ranked == [open_ended, finite]


def test_sensitivity_ranks_by_swing_with_open_ended_rows_first_on_ties() -> None:
    s = Scenario()
    keys = [swing(row, s.horizon_months) for row in sensitivity(s, change=0.2)]
    assert keys == sorted(keys, reverse=True)
    assert any(is_open for _, is_open in keys)  # 예시 가정에도 "없음"이 있습니다


def test_sensitivity_skips_zero_inputs_and_stays_in_range() -> None:
    s = with_value(Scenario(), "workload.burst_servers", 0)
    rows = sensitivity(s, change=0.5)
    assert "workload.burst_servers" not in {row.path for row in rows}
    util = next(row for row in rows if row.path == "onprem.target_utilisation")
    assert util.high == 1  # 0.7 * 1.5 = 1.05는 범위 (0, 1]의 끝으로 자릅니다
    refresh = next(row for row in rows if row.path == "onprem.refresh_months")
    assert (refresh.low, refresh.high) == (30, 90)


# ---------------------------------------------------------------------------------------------
# 입력 검사: 틀린 값마다 필드 이름과 허용 범위를 말합니다.


def invalid_cases() -> list[tuple[str, object, str]]:
    """모든 필드에 대해 범위 밖의 값들: (경로, 값, 허용 범위 글자)."""
    cases = []
    for path, f in [*inputs(Scenario()), ("horizon_months", _field(Scenario, "horizon_months"))]:
        allowed = f.metadata["range"]
        # 범위는 양 끝을 포함하고 위 끝이 유한합니다: 그 바로 밖과 1e308 같은 오타가 모두 걸러집니다.
        bad = [allowed.low - 1, math.nan, "12", allowed.high * 1.5 + 1, 1e308, math.inf]
        if f.metadata["integer"]:
            bad.append(2.5)
        cases += [(path, value, str(allowed)) for value in bad]
    return cases


def _field(cls: type, name: str):
    return next(f for f in fields(cls) if f.name == name)


INVALID = invalid_cases()


@pytest.mark.parametrize(
    ("path", "value", "allowed"), INVALID, ids=[f"{p}={v!r}" for p, v, _ in INVALID]
)
def test_every_invalid_field_is_rejected_with_its_name_and_range(
    path: str, value: object, allowed: str
) -> None:
    with pytest.raises(ValueError) as error:
        with_value(Scenario(), path, value)  # type: ignore[arg-type]
    message = str(error.value)
    assert path.split(".")[-1] in message
    assert allowed in message


@pytest.mark.parametrize(
    ("build", "name", "allowed"),
    [
        (lambda: Cloud(price_per_hour=-1), "Cloud.price_per_hour", "[0, 1,000,000,000,000]"),
        (lambda: OnPremise(server_price=-5), "OnPremise.server_price", "[0, 1,000,000,000,000]"),
        (lambda: OnPremise(target_utilisation=1.2), "OnPremise.target_utilisation", "[0.01, 1]"),
        (lambda: OnPremise(target_utilisation=0), "OnPremise.target_utilisation", "[0.01, 1]"),
        (lambda: Workload(burst_share=-0.1), "Workload.burst_share", "[0, 1]"),
        (lambda: Scenario(horizon_months=0), "Scenario.horizon_months", "[1, 1,200]"),
        (lambda: OnPremise(refresh_months=0), "OnPremise.refresh_months", "[1, 1,200]"),
        (lambda: OnPremise(pue=0.9), "OnPremise.pue", "[1, 10]"),
        (lambda: Cloud(committed_discount=1), "Cloud.committed_discount", "[0, 0.99]"),
        (lambda: Scenario(hybrid_capacity=-1), "Scenario.hybrid_capacity", "[0, ∞]"),
        (lambda: OnPremise(server_price=1e308), "OnPremise.server_price", "[0, 1,000,000,000,000]"),
        (lambda: Workload(base_servers=0), "Workload.base_servers", "[0.01, 1,000,000]"),
    ],
    ids=[
        "negative-cloud-price",
        "negative-server-price",
        "utilisation-above-1",
        "utilisation-0",
        "negative-share",
        "zero-horizon",
        "zero-refresh",
        "pue-below-1",
        "full-discount",
        "negative-capacity",
        "typo-1e308",
        "zero-base-load",
    ],
)
def test_issue_examples_of_bad_input(build, name: str, allowed: str) -> None:
    with pytest.raises(ValueError) as error:
        build()
    message = str(error.value)
    assert message.startswith(f"{name}=") and allowed in message


# 근거가 달러 요금인 가정: "약 1.9 USD/시간(…) × 1,350원/USD".
USD_SOURCE = re.compile(r"약 (?P<usd>[\d.]+) USD/.+ × (?P<rate>[\d,]+)원/USD")


def test_defaults_are_valid_and_labelled_as_assumptions() -> None:
    s = Scenario()
    from_dollars = set()
    for path, f in inputs(s):
        assert f.metadata["source"].startswith("가정"), path
        assert f.metadata["unit"] and f.metadata["label"], path
        assert value_of(s, path) in f.metadata["range"], path
        # 금액은 모두 원(CURRENCY)입니다: 달러 요금은 근거에 적은 환율로 바꾼 값이어야 합니다(±5%,
        # 기본값은 어림값). 달러 숫자를 그대로 넣거나 근거의 요금만 고치면 여기서 걸립니다.
        if usd := USD_SOURCE.search(f.metadata["source"]):
            in_won = float(usd["usd"]) * float(usd["rate"].replace(",", ""))
            assert f.metadata["unit"].startswith("원/"), path
            assert value_of(s, path) == pytest.approx(in_won, rel=0.05), path
            from_dollars.add(path)
    assert from_dollars == {"cloud.price_per_hour", "cloud.storage_price", "cloud.egress_price"}


def test_every_public_source_an_assumption_names_is_linked() -> None:
    # 가정 표는 근거가 이름을 대는 공개 출처(AWS, 한국전력, Uptime Institute)에 그 페이지 링크를 겁니다.
    # 근거를 고쳐 이름이 바뀌면 링크가 조용히 사라지므로, 이름마다 쓰는 근거가 있는지도 봅니다.
    sources = [f.metadata["source"] for _, f in inputs(Scenario())]
    for name, url in SOURCE_PAGES.items():
        assert url.startswith("https://"), name
        assert any(name in source for source in sources), name
    for organisation in ("AWS", "Amazon", "Savings Plans", "한국전력", "한전", "Uptime"):
        for source in sources:
            if organisation in source:
                assert "](https://" in linked_source(source), source


def test_every_public_source_points_at_the_page_with_its_figure() -> None:
    # 근거의 숫자(PUE 1.5~1.6, 170원/kWh)는 그 숫자가 실린 페이지로 갑니다: 누리집 첫 화면(경로가 없는
    # 주소)에서는 독자가 숫자를 찾을 수 없습니다. 같은 주소가 글의 참고 문헌에 1차 자료로도 실립니다.
    post = ROOT / "docs" / "blog" / "posts" / "on-premise-vs-cloud.md"
    found = parse_references(post.read_text(encoding="utf-8"))
    listed = {item.url for items in found.cited for item in items}
    for name, url in SOURCE_PAGES.items():
        assert urlsplit(url).path.strip("/"), (name, url)
        assert url in listed, (name, url)


def test_linked_source_links_only_the_name_and_keeps_the_rest() -> None:
    source = "가정: 한국전력 산업용 전력 평균 판매 단가 수준(2024년, 170원/kWh 안팎)"
    linked = linked_source(source)
    assert linked == source.replace("한국전력", f"[한국전력]({SOURCE_PAGES['한국전력']})")
    assert linked_source("가정: 한 달에 약 3일") == "가정: 한 달에 약 3일"


@FAST
@given(s=scenarios)
def test_summary_writes_every_total_in_won_under_the_currency_it_names(s: Scenario) -> None:
    """명령줄 요약(과 같은 won()으로 적는 글의 숫자)은 세 총액을 모두 '1,234.56억 원' 꼴로, 1조 원부터는
    '1.23조 원' 꼴로 적고, 밝히는 통화(CURRENCY, 글의 '원(KRW)')도 그 원의 ISO 4217 부호 KRW입니다."""
    result, text = compare(s), summary(s)
    assert "통화 KRW," in text, text
    printed = re.findall(r"(?<![\d,.])(\d{1,3}(?:,\d{3})*\.\d{2})(억|조) 원", text)
    totals = [result.onprem[-1], result.cloud[-1], result.hybrid[-1]]
    assert len(printed) == 3, text
    for (shown, unit), total in zip(printed, totals, strict=True):
        # 억 원으로 적어 반올림하면 10,000.00억이 되는 곳(9,999.995억)부터 조 원입니다.
        assert (unit == "조") == (float(f"{abs(total) / 1e8:.2f}") >= 10_000), text
        # 그 단위의 소수 둘째 자리까지 반올림: 틀려도 0.005억(50만 원)이나 0.005조 안쪽입니다.
        scale = 1e8 if unit == "억" else 1e12
        assert abs(float(shown.replace(",", "")) - total / scale) <= 0.005 + 1e-9, text


# ---------------------------------------------------------------------------------------------
# 시나리오 파일과 명령줄


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("s.json", '{"cloud": {"price_per_hour": 3000}, "horizon_months": 36}'),
        ("s.yaml", "cloud:\n  price_per_hour: 3000\nhorizon_months: 36\n"),
    ],
    ids=["json", "yaml"],
)
def test_scenario_file_overrides_only_named_inputs(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    s = load_scenario(path)
    assert s.cloud.price_per_hour == 3000 and s.horizon_months == 36
    assert s.onprem == OnPremise() and s.workload == Workload()


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"clod": {}}, "'clod'"),
        ({"cloud": {"price_per_hr": 1}}, "'cloud.price_per_hr'"),
        ({"cloud": {"price_per_hour": -1}}, "Cloud.price_per_hour"),
        ({"cloud": 3}, "'cloud'"),
    ],
    ids=["unknown-part", "unknown-field", "bad-value", "not-a-dict"],
)
def test_scenario_override_errors_name_the_key(overrides: dict, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        scenario_from_dict(overrides)


def test_scenario_file_needs_a_known_suffix(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text("", encoding="utf-8")
    with pytest.raises(ValueError, match=r"\.json"):
        load_scenario(path)


def test_the_largest_allowed_inputs_still_give_finite_totals() -> None:
    """모든 값을 허용 범위의 끝(가장 비싸고 가장 큰 쪽)에 두어도 총액은 유한합니다: inf억 원은 없습니다."""
    s = Scenario()
    for path, f in inputs(s):
        allowed = f.metadata["range"]
        worst = (
            allowed.low
            if path.endswith(("target_utilisation", "committed_discount"))
            else allowed.high
        )
        s = with_value(s, path, worst)
    s = replace(s, horizon_months=1200)
    result = compare(s)
    assert all(math.isfinite(x) for x in result.onprem + result.cloud + result.hybrid)
    assert "inf" not in won(result.onprem[-1]) and "nan" not in won(result.onprem[-1])


BAD_FILES = {
    "missing": (None, "s.yaml: 시나리오 파일을 읽을 수 없습니다 (No such file or directory)"),
    "yaml": ("cloud:\n  price_per_hour: [1\n", "s.yaml:3:1: YAML로 읽을 수 없습니다"),
    "json": ('{"cloud": {"price_per_hour": 1,}}', "s.json:1:32: JSON으로 읽을 수 없습니다"),
    "bytes": (b"cloud:\n  price_per_hour: 1\xff\n", "s.yaml:2: UTF-8이 아닌 바이트가 26번째"),
    "range": ('{"cloud": {"price_per_hour": 1e308}}', "s.json: Cloud.price_per_hour=1e+308"),
    # 401자리 정수: OverflowError 대신, 값은 앞부분만
    "huge-integer": (
        '{"onprem": {"refresh_months": 1' + "0" * 400 + "}}",
        "s.json: OnPremise.refresh_months=1000000000000000000000000000000000000000…(모두 401자): "
        "허용 범위 [1, 1,200] 밖의 값입니다",
    ),
    # 파이썬이 int로 읽지 않는 5,001자리(ValueError: Exceeds the limit)는 무한대처럼
    "too-many-digits": (
        '{"onprem": {"server_price": 1' + "0" * 5000 + "}}",
        "s.json: OnPremise.server_price=inf(무한대): 허용 범위 [0, 1,000,000,000,000] 밖의 값입니다",
    ),
    "json-1e400": (
        '{"onprem": {"server_price": 1e400}}',
        "s.json: OnPremise.server_price=inf(무한대): 허용 범위 [0, 1,000,000,000,000] 밖의 값입니다",
    ),
    "yaml-1e400": (
        "onprem:\n  server_price: 1e400\n",
        "s.yaml: OnPremise.server_price=inf(무한대): 허용 범위 [0, 1,000,000,000,000] 밖의 값입니다",
    ),
    "nan": (
        '{"onprem": {"server_price": NaN}}',
        "s.json: OnPremise.server_price=nan: 숫자여야 합니다 (허용 범위 [0, 1,000,000,000,000])",
    ),
    "boolean": ("horizon_months: yes\n", "s.yaml: Scenario.horizon_months=True: 정수여야 합니다"),
    "deep-json": ("[" * 200_000, "s.json: 값이 너무 깊이 겹쳐 있어 읽을 수 없습니다"),
    "duplicate": (
        '{"horizon_months": 12, "horizon_months": 13}',
        "s.json: 항목 'horizon_months'가 두 번 있습니다: 하나만 남기세요",
    ),
}


@pytest.mark.parametrize(("content", "message"), BAD_FILES.values(), ids=BAD_FILES.keys())
def test_cli_names_the_file_place_and_cause_in_one_line(
    tmp_path: Path, content: str | bytes | None, message: str
) -> None:
    name = message.split(":")[0]
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "snippets.tco", "--scenario", name],
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT), "PATH": ""},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1, result.stderr  # 한 줄, 트레이스백 없음
    assert result.stderr.startswith(f"python -m snippets.tco: {message}"), result.stderr


@pytest.mark.parametrize("text", ["[" * 200_000, "x: " + "[" * 200_000, "- " * 3_000 + "1\n"])
def test_deep_yaml_ends_in_one_line_naming_the_file(tmp_path: Path, text: str) -> None:
    """수십만 겹의 [: RecursionError 트레이스백 대신 파일 이름과 '깊이'를 말하는 한 줄."""
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError) as error:
        load_scenario(path)
    message = str(error.value)
    assert message.startswith(str(path)) and "깊이" in message and "\n" not in message


@pytest.mark.parametrize(
    ("text", "path", "expected"),
    [
        # YAML 1.1을 따르는 PyYAML은 3e3을 글자('3e3')로, 012를 8진수 10으로 읽었습니다.
        ("onprem:\n  server_price: 3e3\n", "onprem.server_price", 3000),
        ("onprem:\n  power_kw: 2.5E-1\n", "onprem.power_kw", 0.25),
        ("horizon_months: 012\n", "horizon_months", 12),
        ("cloud:\n  price_per_hour: .5e4\n", "cloud.price_per_hour", 5000),
        ("cloud:\n  price_per_hour: 1_000\n", "cloud.price_per_hour", 1000),
        # 정수 칸의 12.0은 12로(예전에는 range(12.0)의 TypeError 트레이스백)
        ('{"horizon_months": 12.0, "onprem": {"refresh_months": 24.0}}', "horizon_months", 12),
        ('{"discount_rate": -0.0}', "discount_rate", 0),
    ],
    ids=["3e3", "exponent", "leading-zero", "dot-exponent", "underscores", "12.0", "minus-zero"],
)
def test_scenario_numbers_mean_what_a_reader_wrote(
    tmp_path: Path, text: str, path: str, expected: float
) -> None:
    file = tmp_path / ("s.json" if text.startswith("{") else "s.yaml")
    file.write_text(text, encoding="utf-8")
    s = load_scenario(file)
    value = value_of(s, path)
    assert value == expected and math.copysign(1, value) == 1, value  # -0.0이 아닌 0
    assert type(s.horizon_months) is int and type(s.onprem.refresh_months) is int
    text = summary(s)  # 끝까지 계산되고, "-0%"를 적지 않습니다
    assert "-0%" not in text and "온프레미스" in text


def test_scenario_file_may_start_with_a_byte_order_mark(tmp_path: Path) -> None:
    """메모장이 붙이는 BOM: 예전에는 'Unexpected UTF-8 BOM'으로 거절했습니다."""
    path = tmp_path / "s.json"
    path.write_bytes(b"\xef\xbb\xbf" + b'{"horizon_months": 12}')
    assert load_scenario(path).horizon_months == 12


@pytest.mark.parametrize("capacity", [1000, math.inf], ids=["above-peak", "unlimited"])
def test_summary_names_the_servers_the_hybrid_really_buys(capacity: float) -> None:
    """용량이 최대 부하보다 크면 온프레미스는 최대 부하까지만 맡습니다. 예전에는 요약이 1,000대 분량에
    1,429대를 산다고 적었고(계산은 43대), ∞(JSON의 1e400)에서는 NaN의 ValueError 트레이스백이었습니다."""
    s = scenario_from_dict({"hybrid_capacity": capacity})
    peak = peak_load(s)
    assert f"하이브리드(온프레미스가 {peak:g}대 분량, 서버 {servers_to_buy(s.onprem, peak)}대" in (
        summary(s)
    )
    assert compare(s).hybrid == compare(scenario_from_dict({"hybrid_capacity": peak})).hybrid


def test_main_prints_comparison_with_scenario(tmp_path: Path, capsys) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"cloud": {"price_per_hour": 1}}), encoding="utf-8")
    main(["--scenario", str(path)])
    out = capsys.readouterr().out
    assert "KRW" in out and "60개월 안에 없음" in out


def test_module_runs_as_script() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "snippets.tco"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "온프레미스" in result.stdout and "손익분기" in result.stdout
    assert "예시 가정" in result.stdout


def test_scenario_yaml_alias_bomb_is_refused_before_anything_is_printed(tmp_path: Path) -> None:
    """600바이트의 별칭 폭탄이 351 MB의 오류 메시지가 되던 것: 별칭의 줄과 칸을 짚는 짧은 한 줄."""
    path = tmp_path / "bomb.yaml"
    path.write_text(f"cloud:\n  price_per_hour: {alias_bomb(7)}\n", encoding="utf-8")
    with pytest.raises(ValueError) as error:
        load_scenario(path)
    message = str(error.value)
    assert message.startswith(f"{path}:2:") and "별칭" in message, message
    assert len(message) < 1000
