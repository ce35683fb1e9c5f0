"""온프레미스 vs 클라우드 TCO 모델(snippets/tco.py)에 넣는 값: 시나리오와 그 예시 가정.

- 기본값은 모두 **예시 가정**입니다. 필드마다 기본값 옆에 단위, 이름, 허용 범위, 그 값을 고른 근거를
  적었고, 글의 가정 표는 이 근거를 그대로 옮깁니다.
- 틀린 값(범위 밖, NaN, 글자)은 시나리오를 만들 때 걸러져, 필드 이름과 허용 범위를 담은 ValueError가
  됩니다. 범위는 양 끝을 포함하고 위 끝이 유한해서, 어떤 입력에서도 총액이 유한합니다. 글의
  계산기(docs/assets/tco-calculator.js)의 입력 칸 min/max와 오류 메시지도 이 범위를 씁니다.
- 여러분의 견적·요금은 시나리오 파일(JSON 또는 YAML)에 적어 넣습니다
  (`python -m snippets.tco --scenario 내-시나리오.yaml`). 적은 항목만 바뀌고 나머지는 기본값입니다.
"""

from __future__ import annotations

import json
import math
import re
import sys
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from blogbuild import yaml_input


class Range(NamedTuple):
    """허용 범위 [low, high] (양 끝 포함). integer=True이면 정수만 받습니다."""

    low: float
    high: float
    integer: bool = False

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


# 허용 범위의 표.
PRICE = Range(
    0, 1e12
)  # 원 단위 가격의 위 끝(1조 원): 오타(1e308)는 걸러지고 총액은 유한합니다
SERVERS = Range(0, 1e6)  # 부하: 서버 몇 대 분량의 일(사는 대수가 아님)
BASE_SERVERS = Range(
    0.01, 1e6
)  # 상시 부하: 0이면 클라우드의 저장·전송 몫을 나눌 수 없습니다
GIGABYTES = Range(0, 1e12)
FRACTION = Range(0, 1)
UTILISATION = Range(0.01, 1)  # 가동률 0이면 서버가 무한히 필요합니다
RATE = Range(0, 1)  # 연 할인율: 0 = 할인하지 않은 현금 합계, 1 = 연 100%
DISCOUNT = Range(0, 0.99)  # 100% 할인은 없습니다
PUE_RANGE = Range(1, 10)  # PUE는 정의상 1 이상
POWER_KW = Range(0, 1000)
STAFF = Range(0, 1e5)
MONTHS = Range(1, 1200, integer=True)  # 1개월 ~ 100년
# 하이브리드의 온프레미스 용량: ∞ = 제한 없음(맡는 부하는 최대 부하까지라 총액은 유한합니다)
CAPACITY = Range(0, math.inf)


def assumption(
    default: float | None, unit: str, label: str, allowed: Range, source: str
) -> Any:
    """가정 하나: 기본값, 단위, 한국어 이름, 허용 범위, 그 값의 출처·근거.

    단위가 "원/…"이면 원 단위 가격입니다(모든 가격을 두 배로 하는 검사에서 씁니다).
    """
    metadata = {
        "unit": unit,
        "label": label,
        "range": allowed,
        "source": source,
        "price": unit.startswith("원"),
        "integer": allowed.integer,
    }
    return field(default=default, metadata=metadata)


def _shown(value: object, limit: int = 40) -> str:
    """오류 메시지에 옮길 값: 401자리 정수 같은 긴 값은 앞부분과 전체 길이만."""
    text = yaml_input.quoted(value, limit)
    return (
        f"{text}(무한대)"
        if isinstance(value, float) and math.isinf(value)
        else text
    )


def _validate(obj: object) -> None:
    """obj의 모든 필드가 허용 범위 안인지 확인합니다. 아니면 필드 이름과 범위를 담은 ValueError.

    기본값이 None인 필드(hybrid_capacity)는 None도 받습니다. 참·거짓(true)과 NaN은 숫자가 아닙니다.
    정수 필드의 12.0은 12로 받습니다(YAML·JSON에서 12.0으로 적어도 같은 뜻이므로).
    """
    for f in fields(obj):
        value, allowed = getattr(obj, f.name), f.metadata.get("range")
        if allowed is None or (value is None and f.default is None):
            continue  # Scenario의 workload·onprem·cloud는 만들어질 때 스스로 검사했습니다
        name = f"{type(obj).__name__}.{f.name}"
        is_number = isinstance(value, int | float) and not isinstance(
            value, bool
        )
        # 정수 여부는 float로 바꾸지 않고 봅니다: 401자리 정수는 float로 바꿀 수 없습니다(OverflowError).
        whole = isinstance(value, int) or (
            isinstance(value, float) and value.is_integer()
        )
        nan = isinstance(value, float) and math.isnan(value)
        if not is_number or nan or (allowed.integer and not whole):
            kind = "정수" if allowed.integer else "숫자"
            raise ValueError(
                f"{name}={_shown(value)}: {kind}여야 합니다 (허용 범위 {allowed})"
            )
        if value not in allowed:
            raise ValueError(
                f"{name}={_shown(value)}: 허용 범위 {allowed} 밖의 값입니다"
            )
        if isinstance(value, float):
            # 정수 필드의 12.0은 12로(range(12.0)은 TypeError), -0.0은 0.0으로("연 -0% 할인"이 되지 않게).
            object.__setattr__(
                obj, f.name, int(value) if allowed.integer else value + 0.0
            )


# 근거 문자열이 이름을 대는 공개 출처와 그 페이지. 가정 표(notebooks/on-premise-vs-cloud.py)가 이름에
# 링크를 겁니다. 근거를 고쳐 이름이 바뀌면 링크가 조용히 사라지지 않도록 tests/test_tco.py가 확인합니다.
SOURCE_PAGES = {
    # 업계 평균 PUE(2020년 무렵부터 1.55~1.59, 2023년 1.58)를 적은 Uptime Intelligence의 분석 글.
    "Uptime Institute": "https://intelligence.uptimeinstitute.com/resource/large-data-centers-are-mostly-more-efficient-analysis-confirms",
    # 한국전력 전력통계월보 게시판: 달마다 올라오는 월보의 용도별 판매 단가 표에 산업용 단가가 있습니다.
    "한국전력": "https://home.kepco.co.kr/kepco/KO/ntcob/list.do?boardCd=BRD_000097&menuCd=FN05030101",
    "AWS EC2 요금 페이지": "https://aws.amazon.com/ec2/pricing/on-demand/",
    "Savings Plans": "https://aws.amazon.com/savingsplans/",
    "Amazon S3 요금 페이지": "https://aws.amazon.com/s3/pricing/",
    # 데이터 전송 요금은 EC2 온디맨드 요금 페이지의 "Data Transfer" 절에 있습니다.
    "AWS 데이터 전송 요금": "https://aws.amazon.com/ec2/pricing/on-demand/",
}


def linked_source(source: str) -> str:
    """근거 문자열에서 공개 출처의 이름(SOURCE_PAGES)을 그 페이지로 가는 Markdown 링크로 바꿉니다."""
    for name, url in SOURCE_PAGES.items():
        source = source.replace(name, f"[{name}]({url})", 1)
    return source


# 필드마다: 기본값, 단위, 이름, 허용 범위, 근거. 한 줄에 하나씩 두려고 포매터를 끕니다.
@dataclass(frozen=True)
class Workload:
    """돌려야 하는 일의 양. 온프레미스와 클라우드가 똑같이 이 일을 합니다.

    부하는 "서버 몇 대 분량"으로 셉니다(서버 1대를 꽉 채우는 일 = 1). 사는 서버 대수는 이것과 다릅니다:
    온프레미스는 여유를 두고 정수 대수로 삽니다(snippets/tco.py의 servers_to_buy).
    """

    # fmt: off
    base_servers: float = assumption(20, "대 분량", "상시 부하(24시간 내내 도는 일)", BASE_SERVERS, "가정: 중소 규모 서비스의 예")
    burst_servers: float = assumption(10, "대 분량", "버스트 때 더 도는 부하", SERVERS, "가정: 월말 정산·캠페인 때 절반쯤 더 필요")
    burst_share: float = assumption(0.1, "비율", "한 달 중 버스트가 도는 시간의 비율", FRACTION, "가정: 한 달에 약 3일")
    storage_gb: float = assumption(20_000, "GB", "저장하는 데이터", GIGABYTES, "가정: 20 TB")
    egress_gb: float = assumption(5_000, "GB/월", "밖(인터넷)으로 나가는 전송량", GIGABYTES, "가정: 월 5 TB")
    # fmt: on

    def __post_init__(self) -> None:
        _validate(self)


@dataclass(frozen=True)
class OnPremise:
    """온프레미스: 서버를 사서 직접 돌릴 때의 가격과 운영 조건."""

    # fmt: off
    server_price: float = assumption(10_000_000, "원/대", "서버 1대 구매가", PRICE, "가정: 16코어·128 GB급 1소켓 범용 서버 견적 수준(1,000만 원 안팎)")
    refresh_months: int = assumption(60, "개월", "서버 교체 주기", MONTHS, "가정: 흔히 쓰는 서버 감가상각·교체 주기 5년")
    power_kw: float = assumption(0.5, "kW/대", "서버 1대의 평균 소비 전력", POWER_KW, "가정: 범용 서버의 평균 전력 0.3~0.6 kW")
    pue: float = assumption(1.5, "배", "PUE(전력 사용 효율)", PUE_RANGE, "가정: Uptime Institute 연례 조사의 업계 평균 PUE 1.5~1.6(2020년대)")
    electricity_price: float = assumption(170, "원/kWh", "전기 요금", PRICE, "가정: 한국전력 산업용 전력 평균 판매 단가 수준(2024년, 170원/kWh 안팎)")
    space_per_server: float = assumption(150_000, "원/대·월", "상면·회선(코로케이션)", PRICE, "가정: 랙 1개 월 150만 원을 서버 10대가 나눠 씀")
    maintenance_rate: float = assumption(0.1, "구매가 대비/년", "유지보수 계약", FRACTION, "가정: 하드웨어 유지보수는 흔히 연 10% 안팎")
    licence_per_server: float = assumption(100_000, "원/대·월", "소프트웨어 라이선스", PRICE, "가정: OS·가상화·백업 소프트웨어 구독")
    storage_price: float = assumption(100, "원/GB", "저장 용량 1 GB의 구매가(3중 복제)", PRICE, "가정: 서버에 넣는 엔터프라이즈 HDD(16 TB급 50만 원 안팎, 약 31원/GB)를 세 벌 복제. 서버와 함께 사고 교체하며, 전력·상면은 서버 몫에 들어 있음")
    egress_price: float = assumption(0, "원/GB", "인터넷으로 나가는 전송", PRICE, "가정: 코로케이션의 인터넷 회선은 상면·회선 요금(대당 월정액)에 들어 있어 GB당 요금이 없음. 회선을 전송량으로 사면 여기에")
    staff_fte: float = assumption(1.0, "명(FTE)", "운영 인력", STAFF, "가정: 서버 수십 대를 돌보는 인프라 엔지니어 1명")
    staff_cost: float = assumption(80_000_000, "원/명·년", "운영 인력 1명의 연간 인건비", PRICE, "가정: 급여와 4대 보험 등을 합친 값")
    target_utilisation: float = assumption(0.7, "비율", "목표 가동률(여유를 남기고 채우는 비율)", UTILISATION, "가정: 장애·성장에 대비해 30% 여유")
    # fmt: on

    def __post_init__(self) -> None:
        _validate(self)


@dataclass(frozen=True)
class Cloud:
    """클라우드: 인스턴스를 빌려 쓸 때의 요금과 운영 조건."""

    # fmt: off
    price_per_hour: float = assumption(2_500, "원/시간", "인스턴스 1개 온디맨드 요금", PRICE, "가정: AWS EC2 요금 페이지(서울 리전)의 m5.8xlarge(32 vCPU·128 GiB) 온디맨드 약 1.9 USD/시간(2024년 무렵 근사값) × 1,350원/USD")
    committed_discount: float = assumption(0.3, "비율", "약정 할인(상시 부하에만 적용)", DISCOUNT, "가정: 1년 약정(Savings Plans 등) 할인 폭 약 30%")
    storage_price: float = assumption(35, "원/GB·월", "스토리지", PRICE, "가정: Amazon S3 요금 페이지(서울 리전) Standard 약 0.025 USD/GB·월(2024년 무렵 근사값) × 1,350원/USD")
    egress_price: float = assumption(170, "원/GB", "인터넷으로 나가는 전송", PRICE, "가정: AWS 데이터 전송 요금(서울 리전) 인터넷 아웃바운드 첫 10 TB 구간 약 0.126 USD/GB(2024년 무렵 근사값) × 1,350원/USD")
    support_rate: float = assumption(0.07, "사용액 대비", "기술 지원 요금제", FRACTION, "가정: 유료 지원은 사용액의 구간별 3~10%")
    staff_fte: float = assumption(0.5, "명(FTE)", "운영 인력", STAFF, "가정: 관리형 서비스가 일부를 대신해 0.5명")
    staff_cost: float = assumption(80_000_000, "원/명·년", "운영 인력 1명의 연간 인건비", PRICE, "가정: 온프레미스와 같음")
    target_utilisation: float = assumption(1.0, "비율", "목표 가동률(빌린 인스턴스를 채우는 비율)", UTILISATION, "가정: 부하가 늘면 몇 분 안에 더 빌릴 수 있다고 보고 여유를 두지 않음(온프레미스보다 유리한 가정)")
    # fmt: on

    def __post_init__(self) -> None:
        _validate(self)


@dataclass(frozen=True)
class Scenario:
    """비교 하나: 일의 양, 양쪽의 가격, 할인율, 비교 기간, 하이브리드의 온프레미스 용량."""

    workload: Workload = field(default_factory=Workload)  # 돌려야 하는 일
    onprem: OnPremise = field(default_factory=OnPremise)  # 온프레미스 쪽 가정
    cloud: Cloud = field(default_factory=Cloud)  # 클라우드 쪽 가정
    # fmt: off
    discount_rate: float = assumption(0.08, "비율/년", "할인율(자본 비용, cost of capital)", RATE, "가정: 기업의 자본 비용 연 8% 안팎. 0이면 할인하지 않은 현금 합계")
    horizon_months: int = assumption(60, "개월", "비교 기간", MONTHS, "가정: 서버 교체 주기 한 번(5년)")
    hybrid_capacity: float | None = assumption(None, "대 분량", "하이브리드에서 온프레미스가 맡는 부하", CAPACITY, "가정: None이면 상시 부하(base_servers)만큼")
    # fmt: on

    def __post_init__(self) -> None:
        _validate(self)


# ---------------------------------------------------------------------------------------------
# 가정 바꿔 보기: 경로("cloud.price_per_hour")로 값 하나를 읽고 바꿉니다.

PARTS = ("workload", "onprem", "cloud")
# 비교 전체에 걸린 가정. 비교 기간과 하이브리드 용량은 가정이라기보다 묻는 질문이라 넣지 않습니다.
SHARED = ("discount_rate",)


def inputs(s: Scenario) -> list[tuple[str, Any]]:
    """일의 양, 양쪽 가격, 할인율의 가정들: (경로, dataclass 필드). 경로는 "onprem.server_price" 꼴."""
    parts = [
        (f"{part}.{f.name}", f)
        for part in PARTS
        for f in fields(getattr(s, part))
    ]
    return parts + [(f.name, f) for f in fields(s) if f.name in SHARED]


def value_of(s: Scenario, path: str) -> Any:
    """경로 path의 현재 값."""
    part, _, name = path.rpartition(".")
    return getattr(getattr(s, part) if part else s, name)


def with_value(s: Scenario, path: str, value: float) -> Scenario:
    """경로 path의 값만 value로 바꾼 새 시나리오. 값은 다시 검사됩니다."""
    part, _, name = path.rpartition(".")
    if not part:
        return replace(s, **{name: value})
    return replace(s, **{part: replace(getattr(s, part), **{name: value})})


def scale_prices(s: Scenario, factor: float) -> Scenario:
    """원 단위 가격(단위가 "원/…"인 필드)을 모두 factor배 한 시나리오."""
    for path, f in inputs(s):
        if f.metadata["price"]:
            s = with_value(s, path, value_of(s, path) * factor)
    return s


# ---------------------------------------------------------------------------------------------
# 시나리오 파일(JSON 또는 YAML).


def scenario_to_dict(s: Scenario) -> dict[str, Any]:
    """시나리오를 JSON으로 옮길 수 있는 사전으로(계산기 자바스크립트와 같은 모양)."""
    return asdict(s)


def scenario_from_dict(
    overrides: dict[str, Any], base: Scenario | None = None
) -> Scenario:
    """base(기본값: 예시 가정)의 일부를 overrides로 바꾼 시나리오.

    overrides 예: {"cloud": {"price_per_hour": 3000}, "horizon_months": 84}.
    모르는 항목은 이름과 함께 ValueError로 알립니다(오타가 조용히 무시되지 않도록).
    """
    s = Scenario() if base is None else base
    if not isinstance(overrides, dict):
        raise ValueError(
            f"시나리오는 항목 이름 -> 값의 사전이어야 합니다: {overrides!r}"
        )
    top = {f.name for f in fields(s)}
    for key, value in overrides.items():
        if key not in top:
            raise ValueError(
                f"알 수 없는 항목 '{key}' (가능한 항목: {', '.join(sorted(top))})"
            )
        if key not in PARTS:
            s = replace(s, **{key: value})
            continue
        if not isinstance(value, dict):
            raise ValueError(f"'{key}'는 사전이어야 합니다: {value!r}")
        names = {f.name for f in fields(getattr(s, key))}
        for name, item in value.items():
            if name not in names:
                known = ", ".join(sorted(names))
                raise ValueError(
                    f"알 수 없는 항목 '{key}.{name}' (가능한 항목: {known})"
                )
            s = with_value(s, f"{key}.{name}", item)
    return s


class _ScenarioLoader(yaml.SafeLoader):
    """YAML 1.2처럼 읽는 십진수: `3e3`은 3000, `012`는 12.

    PyYAML은 YAML 1.1을 따라 소수점 없는 지수(`3e3`, `1e400`)를 글자로, 0으로 시작하는 정수(`012`)를
    8진수(10)로 읽습니다. 사람이 적은 뜻과 다르므로 십진수 꼴은 먼저 십진수로 읽습니다.
    """


_DECIMAL = re.compile(
    r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z"
)
_DECIMAL_TAG = "!decimal"  # 이 로더 안에서만 쓰는 태그


def _integer(text: str) -> int | float:
    """십진 정수의 글자를 int로. 파이썬이 int로 읽지 않는 긴 글자(기본 4,300자리 넘게)는 ±무한대로:
    1e400처럼 범위 검사가 "허용 범위 밖"으로 거릅니다."""
    limit = sys.get_int_max_str_digits()
    if limit and len(text.lstrip("+-")) > limit:
        return -math.inf if text.startswith("-") else math.inf
    return int(text, 10)


def _construct_decimal(
    loader: yaml.SafeLoader, node: yaml.ScalarNode
) -> int | float:
    if not _DECIMAL.match(node.value):  # 누가 태그를 직접 적었을 때
        raise yaml.constructor.ConstructorError(
            None,
            None,
            f"십진수가 아닙니다: {_shown(node.value)}",
            node.start_mark,
        )
    if re.fullmatch(r"[-+]?[0-9]+", node.value):
        return _integer(node.value)
    return float(node.value)  # 1e400은 inf가 되어 범위 검사에서 걸러집니다


# 글자의 첫 자마다 먼저 시도하는 꼴: 십진수 꼴을 YAML 1.1의 int·float보다 앞에 둡니다.
_ScenarioLoader.yaml_implicit_resolvers = {
    first: list(resolvers)
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _first in "0123456789+-.":
    _ScenarioLoader.yaml_implicit_resolvers.setdefault(_first, []).insert(
        0, (_DECIMAL_TAG, _DECIMAL)
    )
_ScenarioLoader.add_constructor(_DECIMAL_TAG, _construct_decimal)


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """JSON의 사전: 같은 항목이 두 번 나오면(뒤의 값이 앞의 값을 조용히 덮어쓰는 대신) 멈춥니다."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"항목 '{key}'가 두 번 있습니다: 하나만 남기세요")
        result[key] = value
    return result


def _parse(text: str, suffix: str) -> Any:
    """시나리오 파일의 글을 값으로: JSON이면 json, 아니면 YAML(십진수는 YAML 1.2처럼)."""
    if suffix == ".json":
        return json.loads(
            text, object_pairs_hook=_json_object, parse_int=_integer
        )
    return yaml_input.load(text, _ScenarioLoader) or {}


def load_scenario(path: str | Path) -> Scenario:
    """JSON(.json) 또는 YAML(.yaml, .yml) 파일의 값으로 기본 가정을 덮어쓴 시나리오.

    읽을 수 없는 파일은 "파일:줄:칸: 까닭" 한 줄의 ValueError로 알립니다(없는 파일, UTF-8이 아닌 바이트,
    JSON·YAML 문법, 범위 밖의 값).
    """
    path = Path(path)
    if path.suffix not in {".json", ".yaml", ".yml"}:
        raise ValueError(
            f"{path}: 시나리오 파일은 .json, .yaml, .yml 중 하나여야 합니다"
        )
    try:
        data = path.read_bytes()
        text = data.decode("utf-8").removeprefix(
            "\ufeff"
        )  # 메모장이 붙이는 BOM은 건너뜁니다
        return scenario_from_dict(_parse(text, path.suffix))
    except OSError as error:
        raise ValueError(
            f"{path}: 시나리오 파일을 읽을 수 없습니다 ({error.strerror})"
        ) from None
    except RecursionError:
        raise ValueError(
            f"{path}: 값이 너무 깊이 겹쳐 있어 읽을 수 없습니다 "
            "(시나리오는 '부분 -> 항목 -> 값'의 두 겹이면 됩니다. 예: cloud.price_per_hour)"
        ) from None
    # 아래 둘도 ValueError라서, 맨 끝의 ValueError(범위 밖의 값, 모르는 항목)보다 먼저 받습니다.
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ValueError(
            f"{path}:{line}: UTF-8이 아닌 바이트가 {error.start}번째 바이트(0부터)에 있습니다"
        ) from None
    except json.JSONDecodeError as error:
        raise ValueError(
            f"{path}:{error.lineno}:{error.colno}: JSON으로 읽을 수 없습니다 ({error.msg})"
        ) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = (
            f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else f"{path}"
        )
        cause = getattr(error, "problem", None) or str(error)
        raise ValueError(
            f"{where}: YAML로 읽을 수 없습니다 ({cause})"
        ) from None
    except ValueError as error:
        raise ValueError(f"{path}: {error}") from None
