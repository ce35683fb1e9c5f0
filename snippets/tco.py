"""온프레미스 vs 클라우드: 총소유비용(TCO, total cost of ownership) 모델.

글 「온프레미스 vs 클라우드: 당신의 비즈니스에 맞는 선택은?」의 숫자를 이 파일이 계산합니다.

- 금액의 단위는 모두 원(KRW)입니다. 달러로 적힌 공개 요금은 환율을 가정해 원으로 바꿨습니다.
- 시간 단위는 달(month)입니다. 한 달은 평균 730시간(= 8,760시간 / 12)으로 봅니다.
- 서버 1대와 클라우드 인스턴스 1개가 같은 양의 일을 한다고 봅니다("서버 1대분"의 부하).
- 기본값은 모두 **예시 가정**입니다. 필드마다 metadata의 "source"에 그 값을 고른 근거를 적었고,
  글의 가정 표는 이 근거를 그대로 옮깁니다. 여러분의 견적·요금으로 바꿔 넣으세요
  (`python -m snippets.tco --scenario 내-시나리오.yaml`).

비용은 현금 기준입니다: 서버 구매 대금은 산 달에 한꺼번에 나가고(감가상각으로 나누지 않음),
교체 주기(refresh_months)마다 다시 나갑니다. 그래서 누적 비용 곡선이 계단 모양이 됩니다.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, NamedTuple

CURRENCY = "KRW"  # 모든 금액의 통화: 원


class Range(NamedTuple):
    """허용 범위 [low, high] (양 끝 포함). 위 끝을 유한하게 두어 어떤 입력에서도 총액이 유한합니다.

    글의 계산기(docs/assets/tco-calculator.js)의 입력 칸 min/max와 오류 메시지도 이 범위를 씁니다.
    """

    low: float
    high: float

    def __contains__(self, value: object) -> bool:
        # NaN은 모든 비교가 거짓이라 여기서 걸러집니다.
        return self.low <= value <= self.high  # type: ignore[operator]

    def __str__(self) -> str:
        return f"[{show_number(self.low)}, {show_number(self.high)}]"


def show_number(x: float) -> str:
    """범위를 적을 때의 숫자: 1e12 -> '1,000,000,000,000', 0.01 -> '0.01', inf -> '∞'."""
    if math.isinf(x):
        return "∞"
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:g}"


MAX_PRICE = 1e12  # 원 단위 가격의 위 끝(1조 원): 오타(1e308)는 걸러지고 총액은 유한합니다
PRICE = Range(0, MAX_PRICE)
SERVERS = Range(0, 1e6)  # 서버 대수(부하)
BASE_SERVERS = Range(0.01, 1e6)  # 상시 부하: 0이면 클라우드의 저장·전송 몫을 나눌 수 없습니다
GIGABYTES = Range(0, 1e12)
FRACTION = Range(0, 1)
UTILISATION = Range(0.01, 1)  # 가동률 0이면 서버가 무한히 필요합니다
DISCOUNT = Range(0, 0.99)  # 100% 할인은 없습니다
PUE_RANGE = Range(1, 10)  # PUE는 정의상 1 이상
POWER_KW = Range(0, 1000)
STAFF = Range(0, 1e5)
MONTHS = Range(1, 1200)  # 1개월 ~ 100년
# 하이브리드의 온프레미스 용량: ∞ = 제한 없음(맡는 부하는 최대 부하까지라 총액은 유한합니다)
CAPACITY = Range(0, math.inf)


def assumption(
    default: float,
    unit: str,
    label: str,
    source: str,
    allowed: Range = PRICE,
    price: bool = False,
    integer: bool = False,
) -> Any:
    """가정 하나: 기본값, 단위, 한국어 이름, 그 값의 출처·근거, 허용 범위.

    price=True는 원 단위 가격이라는 표시입니다(모든 가격을 두 배로 하는 검사에서 씁니다).
    """
    metadata = {
        "unit": unit,
        "label": label,
        "source": source,
        "range": allowed,
        "price": price,
        "integer": integer,
    }
    return field(default=default, metadata=metadata)


def _validate(obj: object) -> None:
    """obj의 모든 필드가 허용 범위 안인지 확인합니다. 아니면 필드 이름과 범위를 담은 ValueError."""
    for f in fields(obj):
        value = getattr(obj, f.name)
        allowed = f.metadata.get("range")
        if allowed is None or (value is None and f.metadata.get("optional")):
            continue
        name = f"{type(obj).__name__}.{f.name}"
        kind = "정수" if f.metadata["integer"] else "숫자"
        is_number = isinstance(value, int | float) and not isinstance(value, bool)
        if not is_number or (f.metadata["integer"] and not float(value).is_integer()):
            raise ValueError(f"{name}={value!r}: {kind}여야 합니다 (허용 범위 {allowed})")
        if value not in allowed:
            raise ValueError(f"{name}={value!r}: 허용 범위 {allowed} 밖의 값입니다")


@dataclass(frozen=True)
class Workload:
    """돌려야 하는 일의 양. 온프레미스와 클라우드가 똑같이 이 일을 합니다."""

    base_servers: float = assumption(
        20, "대", "상시 부하(24시간 내내 도는 일)", "가정: 중소 규모 서비스의 예", BASE_SERVERS
    )
    burst_servers: float = assumption(
        10, "대", "버스트 때 더 필요한 서버", "가정: 월말 정산·캠페인 때 절반쯤 더 필요", SERVERS
    )
    burst_share: float = assumption(
        0.1, "비율", "한 달 중 버스트가 도는 시간의 비율", "가정: 한 달에 약 3일", FRACTION
    )
    storage_gb: float = assumption(20_000, "GB", "저장하는 데이터", "가정: 20 TB", GIGABYTES)
    egress_gb: float = assumption(
        5_000, "GB/월", "밖(인터넷)으로 나가는 전송량", "가정: 월 5 TB", GIGABYTES
    )

    def __post_init__(self) -> None:
        _validate(self)


@dataclass(frozen=True)
class OnPremise:
    """온프레미스: 서버를 사서 직접 돌릴 때의 가격과 운영 조건."""

    server_price: float = assumption(
        10_000_000,
        "원/대",
        "서버 1대 구매가",
        "가정: 16코어·128 GB급 1소켓 범용 서버 견적 수준(1,000만 원 안팎)",
        price=True,
    )
    refresh_months: int = assumption(
        60,
        "개월",
        "서버 교체 주기",
        "가정: 흔히 쓰는 서버 감가상각·교체 주기 5년",
        MONTHS,
        integer=True,
    )
    power_kw: float = assumption(
        0.5,
        "kW/대",
        "서버 1대의 평균 소비 전력",
        "가정: 범용 서버의 평균 전력 0.3~0.6 kW",
        POWER_KW,
    )
    pue: float = assumption(
        1.5,
        "배",
        "PUE(전력 사용 효율)",
        "가정: Uptime Institute 연례 조사의 업계 평균 PUE 1.5~1.6(2020년대)",
        PUE_RANGE,
    )
    electricity_price: float = assumption(
        170,
        "원/kWh",
        "전기 요금",
        "가정: 한국전력 산업용 전력 평균 판매 단가 수준(2024년, 170원/kWh 안팎)",
        price=True,
    )
    space_per_server: float = assumption(
        150_000,
        "원/대·월",
        "상면·회선(코로케이션)",
        "가정: 랙 1개 월 150만 원을 서버 10대가 나눠 씀",
        price=True,
    )
    maintenance_rate: float = assumption(
        0.1,
        "구매가 대비/년",
        "유지보수 계약",
        "가정: 하드웨어 유지보수는 흔히 연 10% 안팎",
        FRACTION,
    )
    licence_per_server: float = assumption(
        100_000,
        "원/대·월",
        "소프트웨어 라이선스",
        "가정: OS·가상화·백업 소프트웨어 구독",
        price=True,
    )
    staff_fte: float = assumption(
        1.0, "명(FTE)", "운영 인력", "가정: 서버 수십 대를 돌보는 인프라 엔지니어 1명", STAFF
    )
    staff_cost: float = assumption(
        80_000_000,
        "원/명·년",
        "운영 인력 1명의 연간 인건비",
        "가정: 급여와 4대 보험 등을 합친 값",
        price=True,
    )
    target_utilisation: float = assumption(
        0.7,
        "비율",
        "목표 가동률(여유를 남기고 채우는 비율)",
        "가정: 장애·성장에 대비해 30% 여유",
        UTILISATION,
    )

    def __post_init__(self) -> None:
        _validate(self)


@dataclass(frozen=True)
class Cloud:
    """클라우드: 인스턴스를 빌려 쓸 때의 요금과 운영 조건."""

    price_per_hour: float = assumption(
        2_500,
        "원/시간",
        "인스턴스 1개 온디맨드 요금",
        "가정: AWS EC2 요금 페이지(서울 리전)의 m5.8xlarge(32 vCPU·128 GiB) 온디맨드 "
        "약 1.9 USD/시간(2024년 무렵 근사값) × 1,350원/USD",
        price=True,
    )
    committed_discount: float = assumption(
        0.3,
        "비율",
        "약정 할인(상시 부하에만 적용)",
        "가정: 1년 약정(Savings Plans 등) 할인 폭 약 30%",
        DISCOUNT,
    )
    storage_price: float = assumption(
        35,
        "원/GB·월",
        "스토리지",
        "가정: Amazon S3 요금 페이지(서울 리전) Standard 약 0.025 USD/GB·월(2024년 무렵 근사값) × 1,350원/USD",
        price=True,
    )
    egress_price: float = assumption(
        170,
        "원/GB",
        "인터넷으로 나가는 전송",
        "가정: AWS 데이터 전송 요금(서울 리전) 인터넷 아웃바운드 첫 10 TB 구간 약 0.126 USD/GB"
        "(2024년 무렵 근사값) × 1,350원/USD",
        price=True,
    )
    support_rate: float = assumption(
        0.07,
        "사용액 대비",
        "기술 지원 요금제",
        "가정: 유료 지원은 사용액의 구간별 3~10%",
        FRACTION,
    )
    staff_fte: float = assumption(
        0.5, "명(FTE)", "운영 인력", "가정: 관리형 서비스가 일부를 대신해 0.5명", STAFF
    )
    staff_cost: float = assumption(
        80_000_000,
        "원/명·년",
        "운영 인력 1명의 연간 인건비",
        "가정: 온프레미스와 같음",
        price=True,
    )

    def __post_init__(self) -> None:
        _validate(self)


@dataclass(frozen=True)
class Scenario:
    """비교 하나: 일의 양, 양쪽의 가격, 비교 기간, 하이브리드의 온프레미스 용량."""

    workload: Workload = field(default_factory=Workload)  # 돌려야 하는 일
    onprem: OnPremise = field(default_factory=OnPremise)  # 온프레미스 쪽 가정
    cloud: Cloud = field(default_factory=Cloud)  # 클라우드 쪽 가정
    horizon_months: int = assumption(
        60, "개월", "비교 기간", "가정: 서버 교체 주기 한 번(5년)", MONTHS, integer=True
    )
    # 하이브리드에서 온프레미스가 맡는 부하(서버 대수). None이면 상시 부하(base_servers)만큼.
    hybrid_capacity: float | None = field(
        default=None, metadata={"range": CAPACITY, "integer": False, "optional": True}
    )

    def __post_init__(self) -> None:
        _validate(self)


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


def _months(s: Scenario) -> range:
    return range(1, s.horizon_months + 1)


def onprem_monthly(s: Scenario) -> list[float]:
    """모두 온프레미스: 최대 부하(base + burst)에 맞춰 산 서버의 달별 비용."""
    peak = s.workload.base_servers + s.workload.burst_servers
    return [onprem_month(s.onprem, peak, m) for m in _months(s)]


def cloud_monthly(s: Scenario) -> list[float]:
    """모두 클라우드: 달별 비용(매달 같음)."""
    w = s.workload
    return [cloud_month(s.cloud, w, w.base_servers, w.burst_servers) for _ in _months(s)]


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
    return [
        onprem_month(s.onprem, onprem, m) + cloud_month(s.cloud, s.workload, steady, burst)
        for m in _months(s)
    ]


def cumulative(monthly: Sequence[float]) -> list[float]:
    """달별 비용의 누적 합: 결과[m-1] = 1..m번째 달 비용의 합."""
    total, out = 0.0, []
    for cost in monthly:
        total += cost
        out.append(total)
    return out


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
# 가정 바꿔 보기: 필드 경로("cloud.price_per_hour")로 값 하나를 바꾸고, 민감도를 잽니다.

PARTS = ("workload", "onprem", "cloud")


def inputs(s: Scenario) -> list[tuple[str, Any]]:
    """일의 양과 양쪽 가격의 가정들: (경로, dataclass 필드). 경로는 "onprem.server_price" 꼴."""
    return [(f"{part}.{f.name}", f) for part in PARTS for f in fields(getattr(s, part))]


def with_value(s: Scenario, path: str, value: float) -> Scenario:
    """경로 path의 값만 value로 바꾼 새 시나리오. 값은 다시 검사됩니다."""
    part, _, name = path.rpartition(".")
    if not part:
        return replace(s, **{name: value})
    return replace(s, **{part: replace(getattr(s, part), **{name: value})})


def scale_prices(s: Scenario, factor: float) -> Scenario:
    """원 단위 가격(price=True인 필드)을 모두 factor배 한 시나리오."""
    for path, f in inputs(s):
        if f.metadata.get("price"):
            s = with_value(s, path, value_of(s, path) * factor)
    return s


def value_of(s: Scenario, path: str) -> Any:
    """경로 path의 현재 값."""
    obj: Any = s
    for name in path.split("."):
        obj = getattr(obj, name)
    return obj


class Sensitivity(NamedTuple):
    """가정 하나를 내리고 올렸을 때의 손익분기 달(None = 기간 안에 없음)."""

    path: str  # 바꾼 가정의 경로
    low: float  # 내린 값
    high: float  # 올린 값
    break_even_low: int | None  # 내렸을 때의 손익분기 달
    break_even_high: int | None  # 올렸을 때의 손익분기 달


def _clamp(f: Any, value: float) -> float:
    """value를 필드의 허용 범위 [low, high] 안으로 자릅니다(정수 필드는 반올림)."""
    allowed: Range = f.metadata["range"]
    if f.metadata["integer"]:
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
# 시나리오 파일(JSON 또는 YAML)과 명령줄.


def scenario_to_dict(s: Scenario) -> dict[str, Any]:
    """시나리오를 JSON으로 옮길 수 있는 사전으로(계산기 자바스크립트와 같은 모양)."""
    return asdict(s)


def scenario_from_dict(overrides: dict[str, Any], base: Scenario | None = None) -> Scenario:
    """base(기본값: 예시 가정)의 일부를 overrides로 바꾼 시나리오.

    overrides 예: {"cloud": {"price_per_hour": 3000}, "horizon_months": 84}.
    모르는 항목은 이름과 함께 ValueError로 알립니다(오타가 조용히 무시되지 않도록).
    """
    s = Scenario() if base is None else base
    if not isinstance(overrides, dict):
        raise ValueError(f"시나리오는 항목 이름 -> 값의 사전이어야 합니다: {overrides!r}")
    top = {f.name for f in fields(s)}
    for key, value in overrides.items():
        if key not in top:
            raise ValueError(f"알 수 없는 항목 '{key}' (가능한 항목: {', '.join(sorted(top))})")
        if key not in PARTS:
            s = replace(s, **{key: value})
            continue
        if not isinstance(value, dict):
            raise ValueError(f"'{key}'는 사전이어야 합니다: {value!r}")
        names = {f.name for f in fields(getattr(s, key))}
        for name, item in value.items():
            if name not in names:
                known = ", ".join(sorted(names))
                raise ValueError(f"알 수 없는 항목 '{key}.{name}' (가능한 항목: {known})")
            s = with_value(s, f"{key}.{name}", item)
    return s


def load_scenario(path: str | Path) -> Scenario:
    """JSON(.json) 또는 YAML(.yaml, .yml) 파일의 값으로 기본 가정을 덮어쓴 시나리오.

    읽을 수 없는 파일은 "파일:줄:칸: 까닭" 한 줄의 ValueError로 알립니다(없는 파일, UTF-8이 아닌 바이트,
    JSON·YAML 문법, 범위 밖의 값).
    """
    path = Path(path)
    if path.suffix not in {".json", ".yaml", ".yml"}:
        raise ValueError(f"{path}: 시나리오 파일은 .json, .yaml, .yml 중 하나여야 합니다")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ValueError(f"{path}: 시나리오 파일을 읽을 수 없습니다 ({error.strerror})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ValueError(
            f"{path}:{line}: UTF-8이 아닌 바이트가 {error.start}번째 바이트(0부터)에 있습니다"
        ) from None
    if path.suffix == ".json":
        try:
            overrides = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError(
                f"{path}:{error.lineno}:{error.colno}: JSON으로 읽을 수 없습니다 ({error.msg})"
            ) from None
    else:
        import yaml

        try:
            overrides = yaml.safe_load(text) or {}
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else f"{path}"
            cause = getattr(error, "problem", None) or str(error)
            raise ValueError(f"{where}: YAML로 읽을 수 없습니다 ({cause})") from None
    try:
        return scenario_from_dict(overrides)
    except ValueError as error:
        raise ValueError(f"{path}: {error}") from None


def won(amount: float) -> str:
    """금액을 억 원 단위의 짧은 글자로: 123_456_789 -> '1.23억 원'."""
    return f"{amount / 1e8:,.2f}억 원"


def summary(s: Scenario, source: str = "기본값은 예시 가정") -> str:
    """명령줄에 찍을 비교 요약. source는 가정이 어디서 왔는지 밝히는 말."""
    result = compare(s)
    months = s.horizon_months
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
