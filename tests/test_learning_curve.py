"""snippets/learning_curve.py: 라이트의 법칙의 손 계산 값, 곡선 맞추기의 매개변수 복원과 오차 띠.

허용 오차를 정한 방법: 잡음이 있는 합성 데이터에서는 "참값이 추정값의 4 표준오차 안"을 요구합니다.
시드를 고정해 결과는 늘 같지만, 이 기준은 시드에 맞춰 고른 것이 아닙니다(정규 분포에서 4σ 밖으로
나갈 확률은 약 6e-5). 표준오차 자체가 맞는지는 300개 시드에서 95% 구간이 참값을 덮는 비율로 따로
봅니다(이항 분포의 표준편차가 약 0.013이라 0.91..0.99는 약 ±3σ).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import t as student_t

from snippets.learning_curve import (
    doubling_rate,
    extrapolate,
    fit_exp_saturation,
    fit_power_law,
    synthetic_curve,
    wright_costs,
    wright_exponent,
)

# 80% 곡선의 지수: log2(0.8) = ln 0.8 / ln 2 = -0.22314355 / 0.69314718
B80 = -0.3219280949


def _saturating(n: np.ndarray, noise: float, seed: int) -> np.ndarray:
    """점근선 2, 진폭 3, 속도 0.05인 지수 포화 곡선에 표준편차 noise인 더하기 잡음."""
    rng = np.random.default_rng(seed)
    return 2.0 + 3.0 * np.exp(-0.05 * n) + noise * rng.standard_normal(len(n))


# --- 라이트의 법칙 -----------------------------------------------------------------------


def test_wright_exponent_of_80_percent_curve_is_log2_of_0_8() -> None:
    assert wright_exponent(0.8) == pytest.approx(B80, abs=1e-10)
    assert wright_exponent(1.0) == 0.0  # 100% 곡선: 배워도 비용이 그대로


def test_wright_unit_costs_of_80_percent_curve_match_hand_checked_numbers() -> None:
    costs = wright_costs(8, first_cost=100.0, learning_rate=0.8)
    # 두 배마다 80%: 1번째 100, 2번째 80, 4번째 64, 8번째 51.2
    np.testing.assert_allclose(costs.unit[[0, 1, 3, 7]], [100.0, 80.0, 64.0, 51.2], rtol=1e-12)
    # 3번째는 100 * 3^log2(0.8) = 100 * exp(1.5849625 * -0.2231436) = 100 * exp(-0.3536729) = 70.2104
    assert costs.unit[2] == pytest.approx(70.2104, abs=1e-4)
    assert costs.cumulative[1] == pytest.approx(180.0)  # 100 + 80
    assert costs.average[1] == pytest.approx(90.0)
    assert costs.cumulative[3] == pytest.approx(100 + 80 + 70.2104 + 64, abs=1e-4)


def test_wright_average_form_of_80_percent_curve_matches_hand_checked_numbers() -> None:
    costs = wright_costs(4, first_cost=100.0, learning_rate=0.8, form="average")
    # 누적 평균 모형: 평균이 100, 80, ..., 64 -> 누적 100, 160, ..., 256 -> 2번째 단위는 60
    np.testing.assert_allclose(costs.average[[0, 1, 3]], [100.0, 80.0, 64.0], rtol=1e-12)
    np.testing.assert_allclose(costs.cumulative[[0, 1, 3]], [100.0, 160.0, 256.0], rtol=1e-12)
    np.testing.assert_allclose(costs.unit[:2], [100.0, 60.0], rtol=1e-12)


@pytest.mark.parametrize("form", ["unit", "average"], ids=["unit-form", "average-form"])
@pytest.mark.parametrize("rate", [0.7, 0.8, 0.9], ids=["70%", "80%", "90%"])
def test_wright_costs_halve_by_the_learning_rate_and_add_up(form: str, rate: float) -> None:
    costs = wright_costs(64, first_cost=50.0, learning_rate=rate, form=form)
    n = np.arange(1, 65)
    np.testing.assert_allclose(costs.cumulative, np.cumsum(costs.unit), rtol=1e-12)
    np.testing.assert_allclose(costs.average, costs.cumulative / n, rtol=1e-12)
    # 정의하는 양(단위 비용 또는 평균 비용)이 n -> 2n에서 정확히 rate배
    defining = costs.unit if form == "unit" else costs.average
    np.testing.assert_allclose(defining[2 * n[:32] - 1] / defining[n[:32] - 1], rate, rtol=1e-12)


def test_power_law_fit_of_exact_wright_curve_gives_back_the_80_percent_rate() -> None:
    costs = wright_costs(32, first_cost=100.0, learning_rate=0.8)
    fit = fit_power_law(np.arange(1, 33), costs.unit)
    assert fit.params == pytest.approx([100.0, B80], rel=1e-9)
    rate = doubling_rate(fit)
    assert rate.value == pytest.approx(0.8, rel=1e-9)
    assert rate.upper - rate.lower < 1e-9  # 잡음이 없으면 구간도 없다


# --- 매개변수 복원 --------------------------------------------------------------------------


def test_power_law_fit_recovers_parameters_from_noisy_seeded_data() -> None:
    n = np.arange(1, 201, dtype=np.float64)
    fit = fit_power_law(n, synthetic_curve(n, a=6.0, b=-0.3, noise=0.05, seed=0))
    assert np.all(np.abs(fit.params - [6.0, -0.3]) < 4 * fit.stderr)
    assert fit.stderr[1] < 0.01  # 200점, 잡음 5%면 b는 소수 둘째 자리까지 정해집니다
    np.testing.assert_allclose(fit.fitted, fit.predict(n))
    assert fit.residual_var == pytest.approx(0.05**2, rel=0.25)


@pytest.mark.parametrize(
    "true",
    [(2.0, 3.0, 0.05), (0.9, -0.5, 0.03)],
    ids=["falling-like-a-loss", "rising-like-an-accuracy"],
)
def test_exp_saturation_fit_recovers_parameters_from_noisy_seeded_data(
    true: tuple[float, float, float],
) -> None:
    n = np.arange(1, 201, dtype=np.float64)
    asymptote, amplitude, rate = true
    rng = np.random.default_rng(0)
    y = asymptote + amplitude * np.exp(-rate * n) + 0.02 * rng.standard_normal(len(n))
    fit = fit_exp_saturation(n, y)
    assert fit.names == ("asymptote", "amplitude", "rate")
    assert np.all(np.abs(fit.params - true) < 4 * fit.stderr)
    assert fit.stderr[0] < 0.01


def test_standard_errors_give_95_percent_coverage_over_many_seeds() -> None:
    n = np.arange(1, 61, dtype=np.float64)
    seeds = range(300)
    covered_b = covered_rate = 0
    for seed in seeds:
        power = fit_power_law(n, synthetic_curve(n, a=6.0, b=-0.3, noise=0.05, seed=seed))
        t = student_t.ppf(0.975, power.dof)
        covered_b += abs(power.params[1] + 0.3) < t * power.stderr[1]
        saturation = fit_exp_saturation(n, _saturating(n, noise=0.05, seed=seed))
        t = student_t.ppf(0.975, saturation.dof)
        covered_rate += abs(saturation.params[2] - 0.05) < t * saturation.stderr[2]
    assert 0.91 < covered_b / len(seeds) < 0.99
    assert 0.91 < covered_rate / len(seeds) < 0.99


# --- 외삽과 오차 띠 -------------------------------------------------------------------------


def test_power_law_band_matches_closed_form_linear_regression_band() -> None:
    n = np.arange(1, 51, dtype=np.float64)
    fit = fit_power_law(n, synthetic_curve(n, a=3.0, b=-0.2, noise=0.1, seed=1))
    far = np.array([100.0, 400.0, 1600.0])
    band = extrapolate(fit, far, level=0.9)
    # 교과서의 직선 회귀: se(x0) = s * sqrt(x0^T (X^T X)^-1 x0), X = [1, log n]
    X = np.stack([np.ones_like(n), np.log(n)], axis=1)
    coef, *_ = np.linalg.lstsq(X, np.log(fit.y), rcond=None)
    s2 = np.sum((np.log(fit.y) - X @ coef) ** 2) / (len(n) - 2)
    X0 = np.stack([np.ones_like(far), np.log(far)], axis=1)
    se = np.sqrt(s2 * np.einsum("mp,pq,mq->m", X0, np.linalg.inv(X.T @ X), X0))
    half = student_t.ppf(0.95, len(n) - 2) * se
    np.testing.assert_allclose(np.log(band.value), X0 @ coef, rtol=1e-9)
    np.testing.assert_allclose(np.log(band.lower), X0 @ coef - half, rtol=1e-6)
    np.testing.assert_allclose(np.log(band.upper), X0 @ coef + half, rtol=1e-6)


def test_noisier_data_gives_a_wider_band() -> None:
    n = np.arange(1, 101, dtype=np.float64)
    far = np.geomspace(1, 1000, 20)
    clean = extrapolate(fit_power_law(n, synthetic_curve(n, 5.0, -0.3, noise=0.01, seed=2)), far)
    noisy = extrapolate(fit_power_law(n, synthetic_curve(n, 5.0, -0.3, noise=0.1, seed=2)), far)
    # 같은 시드라 표준 정규 잡음이 같고, 로그 공간의 잔차와 표준오차는 정확히 10배가 됩니다.
    np.testing.assert_allclose(
        np.log(noisy.upper / noisy.lower), 10 * np.log(clean.upper / clean.lower), rtol=1e-6
    )
    clean = extrapolate(fit_exp_saturation(n, _saturating(n, 0.01, seed=2)), far)
    noisy = extrapolate(fit_exp_saturation(n, _saturating(n, 0.1, seed=2)), far)
    assert np.all(noisy.upper - noisy.lower > clean.upper - clean.lower)


def test_band_contains_the_curve_widens_beyond_the_data_and_predictive_is_wider() -> None:
    n = np.arange(1, 101, dtype=np.float64)
    fit = fit_power_law(n, synthetic_curve(n, 5.0, -0.3, noise=0.05, seed=3))
    far = np.array([100.0, 1000.0, 10000.0])
    band = extrapolate(fit, far)
    assert np.all((band.lower < band.value) & (band.value < band.upper))
    assert np.all(np.diff(np.log(band.upper / band.lower)) > 0)  # 데이터에서 멀수록 넓게
    predictive = extrapolate(fit, far, predictive=True)
    assert np.all(predictive.upper - predictive.lower > band.upper - band.lower)


def test_doubling_rate_interval_is_two_to_the_b_interval() -> None:
    n = np.arange(1, 41, dtype=np.float64)
    fit = fit_power_law(n, synthetic_curve(n, 2.0, math.log2(0.9), noise=0.05, seed=4))
    rate = doubling_rate(fit, level=0.9)
    half = student_t.ppf(0.95, fit.dof) * fit.stderr[1]
    assert rate.value == pytest.approx(2 ** fit.params[1])
    assert (rate.lower, rate.upper) == pytest.approx(
        (2 ** (fit.params[1] - half), 2 ** (fit.params[1] + half))
    )
    assert rate.lower < 0.9 < rate.upper


# --- 잘못된 입력 -----------------------------------------------------------------------------

BAD_INPUTS = {
    "zero-count": (fit_power_law, [0, 1, 2, 3], [4, 3, 2, 1], "횟수.*양수"),
    "negative-count": (fit_exp_saturation, [-1, 1, 2, 3, 4], [5, 4, 3, 2, 1], "횟수.*양수"),
    "zero-value": (fit_power_law, [1, 2, 3, 4], [4, 3, 0, 1], "값.*양수"),
    "negative-value": (fit_exp_saturation, [1, 2, 3, 4, 5], [5, 4, -3, 2, 1], "값.*양수"),
    "mismatched-lengths": (fit_power_law, [1, 2, 3, 4], [4, 3, 2], "길이가 다릅니다"),
    "nan": (fit_power_law, [1, 2, 3, 4], [4, float("nan"), 2, 1], "NaN"),
    "two-dimensional": (fit_power_law, [[1, 2], [3, 4]], [[4, 3], [2, 1]], "1차원"),
    "power-law-2-points": (fit_power_law, [1, 2], [2, 1], "2개를 맞추고.*3개 이상"),
    "exp-saturation-3-points": (fit_exp_saturation, [1, 2, 3], [3, 2, 1], "3개를 맞추고.*4개"),
    "repeated-counts": (fit_power_law, [1, 1, 2, 2], [4, 3, 2, 1], "서로 다른 횟수"),
}


@pytest.mark.parametrize(("fit", "n", "y", "message"), BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_raises_a_clear_value_error(fit, n, y, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        fit(n, y)


@pytest.mark.parametrize(
    "rate", [0.0, -0.8, 80.0, 1.2], ids=["zero", "negative", "percent", "over-1"]
)
def test_learning_rate_outside_zero_to_one_raises(rate: float) -> None:
    with pytest.raises(ValueError, match="80% 곡선이면 0.8"):
        wright_exponent(rate)


def test_bad_wright_arguments_and_band_inputs_raise() -> None:
    with pytest.raises(ValueError, match="단위 수는 1 이상"):
        wright_costs(0, 100.0, 0.8)
    with pytest.raises(ValueError, match="form"):
        wright_costs(4, 100.0, 0.8, form="total")  # type: ignore[arg-type]
    n = np.arange(1, 11, dtype=np.float64)
    saturation = fit_exp_saturation(n, _saturating(n, 0.01, seed=0))
    with pytest.raises(ValueError, match="거듭제곱 법칙에서만"):
        doubling_rate(saturation)
    with pytest.raises(ValueError, match="횟수는 양수"):
        extrapolate(saturation, [0.0, 5.0])
    with pytest.raises(ValueError, match="신뢰 수준"):
        extrapolate(saturation, [5.0], level=95)
