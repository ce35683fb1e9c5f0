"""러닝커브(learning curve): 라이트의 법칙과, 관측한 학습 곡선에 모형을 맞추기.

글 「러닝커브(Learning Curve)의 이해와 활용」의 정량적인 쪽입니다.

- 라이트의 법칙(Wright's law): 같은 일을 n번째 할 때의 비용(또는 시간)은 a * n^b 이고,
  b = log2(학습률). 80% 곡선이면 반복 횟수가 두 배가 될 때마다 비용이 80%로 줄어듭니다.
- 곡선 맞추기(fitting): 거듭제곱 법칙(power law)은 로그 공간에서, 지수 포화(exponential
  saturation) 곡선은 원래 공간에서 최소제곱으로 맞추고, 파라미터의 표준오차와 외삽(extrapolation)의
  오차 띠를 함께 돌려줍니다.

여기서 "학습률(learning rate)"은 경영·생산 관리의 용어로, 두 배마다 남는 비용의 비율(진척률,
progress ratio라고도 부름)입니다. 옵티마이저의 학습률과는 다른 말입니다. 1에서 이 값을 뺀 것
(80% 곡선이면 20%)을 학습률이라 부르는 문헌도 있으니 읽을 때 정의를 확인하세요.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

import numpy as np
from scipy.optimize import curve_fit
from scipy.stats import t as student_t


# --8<-- [start:wright-exponent]
def wright_exponent(learning_rate: float) -> float:
    """학습률 r(예: 80% 곡선이면 0.8)을 라이트의 법칙의 지수 b = log2(r)로
    바꿉니다.

    n이 두 배가 되면 n^b는 2^b = r배가 되므로, b = log2(r)입니다. 0.8이면 b ≈
    -0.322.
    """
    if not 0 < learning_rate <= 1:
        raise ValueError(
            "학습률은 0보다 크고 1 이하인 비율이어야 합니다(80% 곡선이면 "
            f"0.8): {learning_rate!r}"
        )
    return math.log2(learning_rate)


# --8<-- [end:wright-exponent]


class WrightCosts(NamedTuple):
    """라이트의 법칙으로 계산한 1..N번째 단위의 비용. 세 배열 모두 (N,) 모양입니다."""

    unit: np.ndarray  # n번째 단위 하나의 비용
    cumulative: np.ndarray  # 1..n번째 단위 비용의 합
    average: np.ndarray  # 1..n번째 단위 비용의 평균 = cumulative / n


# --8<-- [start:wright-costs]
def wright_costs(
    n_units: int,
    first_cost: float,
    learning_rate: float,
    form: Literal["unit", "average"] = "unit",
) -> WrightCosts:
    """라이트의 법칙으로 1..n_units번째 단위의 단위 비용, 누적 비용, 평균 비용을
    계산합니다.

    form="unit": n번째 단위의 비용이 a * n^b (단위 비용 모형, 흔히 Crawford
    모형이라 부름). form="average": 1..n번째의 평균 비용이 a * n^b (Wright가
    1936년에 쓴 누적 평균 모형). 어느 쪽이든 a = first_cost는 첫 단위의 비용이고
    b = log2(learning_rate)입니다.
    """
    if n_units < 1 or first_cost <= 0:
        raise ValueError(
            f"단위 수는 1 이상, 첫 단위의 비용은 양수여야 합니다: {n_units!r}, "
            f"{first_cost!r}"
        )
    b = wright_exponent(learning_rate)
    n = np.arange(1, n_units + 1, dtype=np.float64)  # (N,)
    if form == "unit":
        unit = first_cost * n**b
        cumulative = np.cumsum(unit)
    elif form == "average":
        # 평균이 a n^b이면 누적은 a n^(1+b)이고, 단위 비용은 누적의 차분입니다.
        cumulative = first_cost * n ** (1 + b)
        unit = np.diff(cumulative, prepend=0.0)
    else:
        raise ValueError(f"form은 'unit' 또는 'average'여야 합니다: {form!r}")
    return WrightCosts(unit=unit, cumulative=cumulative, average=cumulative / n)


# --8<-- [end:wright-costs]


def _curve_data(
    n: Sequence[float] | np.ndarray,
    y: Sequence[float] | np.ndarray,
    n_params: int,
) -> tuple[np.ndarray, np.ndarray]:
    """곡선 맞추기의 입력을 검사하고 float64 배열로 돌려줍니다. 문제가 있으면 ValueError."""
    n = np.asarray(n, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if n.ndim != 1 or y.ndim != 1:
        raise ValueError(
            f"횟수와 값은 1차원이어야 합니다: {n.shape}, {y.shape}"
        )
    if len(n) != len(y):
        raise ValueError(f"횟수와 값의 길이가 다릅니다: {len(n)} != {len(y)}")
    if not (np.isfinite(n).all() and np.isfinite(y).all()):
        raise ValueError("횟수와 값에 NaN이나 무한대가 있습니다")
    if (n <= 0).any():
        raise ValueError(
            f"횟수(반복 수, 스텝)는 양수여야 합니다: 가장 작은 값 {n.min()!r}"
        )
    if (y <= 0).any():
        raise ValueError(
            f"값(비용, 시간, 손실)은 양수여야 합니다: 가장 작은 값 {y.min()!r}"
        )
    # 파라미터 P개를 맞추고 잡음의 크기까지 추정하려면 서로 다른 점이 P + 1개 이상 필요합니다.
    if len(np.unique(n)) <= n_params:
        raise ValueError(
            f"파라미터 {n_params}개를 맞추고 불확실성을 추정하려면 서로 다른 횟수가 "
            f"{n_params + 1}개 이상 필요합니다: {len(np.unique(n))}개뿐입니다"
        )
    return n, y


@dataclass(frozen=True)
class CurveFit:
    """최소제곱으로 맞춘 학습 곡선. 파라미터와 그 공분산, 맞춘 데이터를 담습니다.

    log_space=True면 model이 log y를 예측하고(곱셈 잡음: 오차가 값에 비례), 잔차도 로그 공간에서
    잽니다. 표준오차는 잔차로 추정한 잡음 크기로 척도를 맞춘 공분산의 대각선에서 나옵니다.
    """

    name: str  # 모형 이름: "power-law" 또는 "exp-saturation"
    model: Callable[..., np.ndarray]  # 맞춘 공간에서의 곡선 f(n, *params)
    log_space: bool  # True면 f가 log y를, False면 y를 예측
    names: tuple[str, ...]  # 파라미터 이름 (P개)
    params: np.ndarray  # (P,) 추정값
    cov: np.ndarray  # (P, P) 파라미터 공분산
    residual_var: float  # 맞춘 공간에서 잔차의 분산 추정값 SSR / (N - P)
    n: np.ndarray  # (N,) 맞추는 데 쓴 횟수
    y: np.ndarray  # (N,) 맞추는 데 쓴 관측값

    @property
    def stderr(self) -> np.ndarray:
        """파라미터의 표준오차 (P,)."""
        return np.sqrt(np.diag(self.cov))

    @property
    def dof(self) -> int:
        """자유도: 점의 수 - 파라미터 수."""
        return len(self.n) - len(self.params)

    def predict(self, n: np.ndarray | float) -> np.ndarray:
        """횟수 n에서의 곡선 값 (원래 공간)."""
        f = self.model(np.asarray(n, dtype=np.float64), *self.params)
        return np.exp(f) if self.log_space else f

    @property
    def fitted(self) -> np.ndarray:
        """맞춘 점들에서의 곡선 값 (N,)."""
        return self.predict(self.n)


def _log_power_law(n: np.ndarray, a: float, b: float) -> np.ndarray:
    """로그 공간의 거듭제곱 법칙: log(a * n^b) = log a + b log n."""
    return np.log(a) + b * np.log(n)


# --8<-- [start:fit-power-law]
def fit_power_law(
    n: Sequence[float] | np.ndarray, y: Sequence[float] | np.ndarray
) -> CurveFit:
    """y ≈ a * n^b를 로그 공간에서 최소제곱으로 맞춥니다 (파라미터 "a", "b").

    라이트의 법칙처럼 잡음이 곱셈으로 붙는(값에 비례하는) 곡선에는 log y = log a
    + b log n이라는 직선 회귀가 맞는 모형입니다. 직선이므로 답도 공분산도 닫힌
    꼴입니다: θ = (log a, b)의 공분산은 s^2 (X^T X)^-1 (X = [1, log n], s^2 =
    잔차 제곱합 / (N - 2)). a의 표준오차는 델타 방법으로 옮긴 a * se(log
    a)입니다.
    """
    n, y = _curve_data(n, y, n_params=2)
    X = np.stack([np.ones_like(n), np.log(n)], axis=1)  # (N, 2)
    theta, *_ = np.linalg.lstsq(X, np.log(y), rcond=None)  # (2,) = (log a, b)
    residuals = np.log(y) - X @ theta  # (N,)
    residual_var = float(residuals @ residuals / (len(n) - 2))
    cov_theta = residual_var * np.linalg.inv(X.T @ X)  # (2, 2)
    a = math.exp(theta[0])
    to_ab = np.diag([a, 1.0])  # ∂(a, b)/∂(log a, b)
    return CurveFit(
        name="power-law",
        model=_log_power_law,
        log_space=True,
        names=("a", "b"),
        params=np.array([a, theta[1]]),
        cov=to_ab @ cov_theta @ to_ab,
        residual_var=residual_var,
        n=n,
        y=y,
    )


# --8<-- [end:fit-power-law]


def _exp_saturation(
    n: np.ndarray, asymptote: float, amplitude: float, rate: float
) -> np.ndarray:
    """지수 포화 곡선: asymptote + amplitude * exp(-rate * n)."""
    return asymptote + amplitude * np.exp(-rate * n)


# --8<-- [start:fit-exp-saturation]
def fit_exp_saturation(
    n: Sequence[float] | np.ndarray, y: Sequence[float] | np.ndarray
) -> CurveFit:
    """y ≈ asymptote + amplitude * exp(-rate * n)을 원래 공간에서 최소제곱으로
    맞춥니다.

    곡선은 점근선(asymptote)에 지수적으로 다가갑니다: 더 연습해도 넘을 수 없는
    바닥(손실이면 줄일 수 없는 부분)이나 천장(정확도라면 100% 아래 어딘가)이
    있는 학습입니다. 잡음은 더하기로 붙는다고 봅니다. 출발점은 관측값보다 조금
    바깥에 점근선을 두고 |y - 점근선|의 로그를 직선으로 맞춰 얻습니다.
    """
    n, y = _curve_data(n, y, n_params=3)
    # 비용·손실처럼 줄어드는 곡선인가
    falling = y[np.argmin(n)] >= y[np.argmax(n)]
    sign = 1.0 if falling else -1.0  # amplitude의 부호
    # 점근선을 관측값 바깥으로 조금 밀어 로그가 유한하게
    pad = 0.05 * (np.ptp(y) or y.max())
    edge = y.min() - pad if falling else y.max() + pad  # 점근선의 첫 추정
    slope, intercept = np.polyfit(n, np.log(sign * (y - edge)), deg=1)
    p0 = (edge, sign * math.exp(intercept), max(-slope, 1e-12))
    params, cov = curve_fit(
        _exp_saturation,
        n,
        y,
        p0=p0,
        bounds=([-np.inf, -np.inf, 0.0], np.inf),
        max_nfev=10_000,
    )
    residuals = y - _exp_saturation(n, *params)
    return CurveFit(
        name="exp-saturation",
        model=_exp_saturation,
        log_space=False,
        names=("asymptote", "amplitude", "rate"),
        params=params,
        cov=cov,
        residual_var=float(residuals @ residuals / (len(n) - 3)),
        n=n,
        y=y,
    )


# --8<-- [end:fit-exp-saturation]


class Band(NamedTuple):
    """외삽한 곡선과 그 오차 띠. 네 배열 모두 (M,) 모양입니다."""

    n: np.ndarray  # 예측한 횟수
    value: np.ndarray  # 곡선의 값
    lower: np.ndarray  # 띠의 아래쪽
    upper: np.ndarray  # 띠의 위쪽


# --8<-- [start:extrapolate]
def extrapolate(
    fit: CurveFit,
    n: Sequence[float] | np.ndarray,
    level: float = 0.95,
    predictive: bool = False,
) -> Band:
    """맞춘 곡선을 횟수 n까지 늘리고, 델타 방법(delta method)으로 오차 띠를
    구합니다. 띠는 f ± t * 표준오차, 분산은 g Σ g^T(g = ∂f/∂θ)입니다.

    predictive=False면 신뢰 띠(곡선 자체), True면 잔차의 분산을 더한 예측 띠
    (새 관측 하나)입니다.
    """
    n = np.asarray(n, dtype=np.float64)  # (M,)
    if not 0 < level < 1:
        raise ValueError(f"신뢰 수준은 0과 1 사이여야 합니다: {level!r}")
    if (n <= 0).any():
        raise ValueError(f"횟수는 양수여야 합니다: 가장 작은 값 {n.min()!r}")
    f = fit.model(n, *fit.params)  # (M,)
    # ∂f/∂θ를 중앙 차분으로: 파라미터마다 크기에 맞춘 작은 걸음으로 양쪽을 재어
    # 봅니다.
    grad = np.empty((len(n), len(fit.params)))  # (M, P)
    for j, p in enumerate(fit.params):
        step = 1e-6 * max(abs(p), 1e-6)
        up, down = fit.params.copy(), fit.params.copy()
        up[j] += step
        down[j] -= step
        grad[:, j] = (fit.model(n, *up) - fit.model(n, *down)) / (2 * step)
    # (M,) 각 점에서 g Σ g^T
    var = np.einsum("mp,pq,mq->m", grad, fit.cov, grad)
    if predictive:
        var = var + fit.residual_var
    half = student_t.ppf((1 + level) / 2, fit.dof) * np.sqrt(var)  # (M,)
    lower, upper = f - half, f + half
    if fit.log_space:
        f, lower, upper = np.exp(f), np.exp(lower), np.exp(upper)
    return Band(n=n, value=f, lower=lower, upper=upper)


# --8<-- [end:extrapolate]


class Interval(NamedTuple):
    """추정값 하나와 그 신뢰 구간."""

    value: float  # 추정값
    lower: float  # 구간의 아래 끝
    upper: float  # 구간의 위 끝


# --8<-- [start:doubling-rate]
def doubling_rate(fit: CurveFit, level: float = 0.95) -> Interval:
    """거듭제곱 법칙 a * n^b의 "두 배마다의 학습률" 2^b와 그 신뢰 구간.

    횟수(스텝)가 두 배가 될 때마다 값이 몇 배가 되는지입니다: 0.8이면 두 배마다
    80%로 줄어듭니다. b의 신뢰 구간 b ± t * se(b)를 단조 함수 2^b로 옮기므로
    구간도 그대로 옮겨집니다.
    """
    if fit.name != "power-law":
        raise ValueError(
            f"두 배마다의 학습률은 거듭제곱 법칙에서만 일정합니다: {fit.name!r}"
        )
    b, se_b = fit.params[1], fit.stderr[1]
    half = student_t.ppf((1 + level) / 2, fit.dof) * se_b
    return Interval(
        value=2.0**b, lower=2.0 ** (b - half), upper=2.0 ** (b + half)
    )


# --8<-- [end:doubling-rate]


def synthetic_curve(
    n: np.ndarray, a: float, b: float, noise: float, seed: int
) -> np.ndarray:
    """시험용 학습 곡선: a * n^b에 로그 공간 표준편차 noise인 정규 잡음을 곱합니다."""
    rng = np.random.default_rng(seed)
    return a * n**b * np.exp(noise * rng.standard_normal(len(n)))


if __name__ == "__main__":
    import json
    from pathlib import Path

    costs = wright_costs(8, first_cost=100.0, learning_rate=0.8)
    print(f"80% 곡선: b = log2(0.8) = {wright_exponent(0.8):.4f}")
    print(
        "단위 비용 1, 2, 4, 8번째:",
        [round(float(costs.unit[i - 1]), 2) for i in (1, 2, 4, 8)],
    )
    print(
        f"8번째까지 누적 {costs.cumulative[-1]:.1f}, 평균 {costs.average[-1]:.1f}"
    )

    log = Path("build/outputs/causal-language-modeling/loss-log.json")
    if log.exists():
        data = json.loads(log.read_text(encoding="utf-8"))
        steps = np.asarray(data["step"], dtype=np.float64)
        loss = np.asarray(data["loss"], dtype=np.float64)
        steps = steps + 1 if steps.min() == 0 else steps  # 횟수는 1부터 셉니다
        source = f"GPT 학습 손실 ({log})"
    else:
        steps = np.arange(1, 201, dtype=np.float64)
        loss = synthetic_curve(steps, a=6.0, b=-0.3, noise=0.05, seed=0)
        source = "합성 데이터 a=6, b=-0.3, 잡음 5%"
    # 글의 노트북처럼 처음 10%(거의 고르게 찍는 출발 구간)는 빼고 맞춥니다.
    keep = steps >= steps.max() / 10
    steps, loss = steps[keep], loss[keep]
    power = fit_power_law(steps, loss)
    saturation = fit_exp_saturation(steps, loss)
    rate = doubling_rate(power)
    print(f"\n{source}: 스텝 {steps.min():.0f}부터 {len(steps)}개 점")
    # 출력에 쓸 한국어 이름(코드 안의 이름은 영어 그대로: 노트북과 표가 그 이름을 씁니다)
    labels = {"power-law": "거듭제곱 법칙", "exp-saturation": "지수 포화"}
    params = {"asymptote": "점근선", "amplitude": "진폭", "rate": "감쇠율"}
    for fit in (power, saturation):
        terms = ", ".join(
            f"{params.get(name, name)} = {p:.4g} ± {se:.2g}"
            for name, p, se in zip(
                fit.names, fit.params, fit.stderr, strict=True
            )
        )
        print(f"  {labels[fit.name]}: {terms}")
    print(
        f"  두 배마다의 학습률 2^b = {rate.value:.3f} (95% 구간 {rate.lower:.3f}..{rate.upper:.3f})"
    )
    far = np.array([4 * steps.max()])
    for fit in (power, saturation):
        band = extrapolate(fit, far)
        print(
            f"  {labels[fit.name]}: 스텝 {far[0]:.0f}에서 {band.value[0]:.3f} "
            f"(95% 띠 {band.lower[0]:.3f}..{band.upper[0]:.3f})"
        )
