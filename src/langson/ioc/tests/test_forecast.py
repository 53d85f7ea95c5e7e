"""Forecasts with prediction intervals: close to the seasonal pattern, honest about uncertainty."""

from __future__ import annotations

import math

import numpy as np
import pytest

from langson.ioc.services import forecast as forecast_module
from langson.ioc.services.forecast import Forecast, forecast

pytestmark = pytest.mark.nodb

# Visits relative to an ordinary month: Tết peak in February, summer peak June–August.
MONTH_FACTORS = np.array([1.0, 2.2, 1.3, 0.9, 0.8, 1.4, 1.8, 1.9, 1.0, 0.8, 0.7, 0.9])


def seasonal_visits(months: int, *, growth: float = 0.0) -> np.ndarray:
    month = np.arange(months)
    return 12_000 * MONTH_FACTORS[month % 12] * (1 + growth) ** (month / 12)


def noisy(values: np.ndarray, seed: int, noise: float = 0.03) -> list[float]:
    rng = np.random.default_rng(seed)
    return [float(v) for v in values * (1 + noise * rng.standard_normal(values.size))]


def get(result: Forecast | None) -> Forecast:
    assert result is not None
    return result


@pytest.mark.parametrize("growth", [0.0, 0.05])
def test_next_year_follows_the_seasonal_pattern_within_the_band(growth: float) -> None:
    truth = seasonal_visits(5 * 12, growth=growth)
    observed = noisy(truth, seed=2026)
    history, future = observed[:48], np.array(observed[48:])

    result = get(forecast(history, 12, 12))

    assert result.method == "holt-winters-additive"
    mean = np.array(result.mean)
    assert np.all(np.abs(mean / truth[48:] - 1) <= 0.10)
    assert int(np.argmax(mean)) == 1  # the Tết peak stays in February
    inside = (future >= np.array(result.lower)) & (future <= np.array(result.upper))
    assert int(inside.sum()) >= 9


def test_intervals_widen_with_the_horizon() -> None:
    result = get(forecast(noisy(seasonal_visits(48), seed=2026), 12, 24))

    widths = np.array(result.upper) - np.array(result.lower)
    assert np.all(np.diff(widths) > 0)
    assert widths[-1] / widths[0] == pytest.approx(math.sqrt(24), rel=1e-9)  # the √h approximation
    assert all(lo <= m <= hi for lo, m, hi in zip(result.lower, result.mean, result.upper, strict=True))


def test_a_higher_level_gives_a_wider_band() -> None:
    history = noisy(seasonal_visits(48), seed=2026)
    narrow, wide = get(forecast(history, 12, 6)), get(forecast(history, 12, 6, level=0.95))

    assert wide.mean == narrow.mean
    assert all(w < n for w, n in zip(wide.lower, narrow.lower, strict=True))
    assert all(w > n for w, n in zip(wide.upper, narrow.upper, strict=True))


@pytest.mark.parametrize(
    ("length", "period", "enough"),
    [
        (0, 12, False),
        (23, 12, False),
        (24, 12, True),
        (13, 7, False),
        (14, 7, True),
        (3, 1, False),
        (4, 1, True),
    ],
)
def test_too_little_history_gives_no_forecast(length: int, period: int, enough: bool) -> None:
    history = noisy(seasonal_visits(length), seed=1)

    result = forecast(history, period, 3)

    assert (result is not None) == enough
    if result is not None:
        assert len(result.mean) == len(result.lower) == len(result.upper) == 3


def test_counts_never_get_a_negative_bound() -> None:
    rng = np.random.default_rng(2026)
    day = np.arange(8 * 7)
    incidents = [float(v) for v in rng.poisson(2 + 1.5 * (day % 7 == 5))]  # a few a day, more on Saturdays

    result = get(forecast(incidents, 7, 60))

    assert min(result.lower) >= 0.0
    assert min(result.mean) >= 0.0
    assert min(result.lower) == 0.0  # the band does reach down to zero, and is cut there


def test_a_declining_count_is_not_forecast_below_zero() -> None:
    declining = [float(v) for v in np.linspace(100, 10, 12)]

    result = get(forecast(declining, 1, 24))

    assert result.method == "holt-linear"
    assert min(result.mean) == 0.0
    assert min(result.lower) == 0.0


def test_series_with_negative_values_are_not_clipped() -> None:
    rng = np.random.default_rng(2026)
    day = np.arange(10 * 7)
    anomaly_c = [float(v) for v in 2 * np.sin(2 * np.pi * day / 7) + 0.5 * rng.standard_normal(day.size)]

    result = get(forecast(anomaly_c, 7, 7))

    assert min(result.lower) < -1.0


def test_a_straight_line_is_continued() -> None:
    result = get(forecast([10.0 + 2.5 * t for t in range(20)], 1, 5))

    assert result.method == "holt-linear"
    assert result.mean == pytest.approx([10.0 + 2.5 * t for t in range(20, 25)], rel=1e-9)


def test_the_fallback_is_seasonal_naive_with_drift(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forecast_module, "_holt_winters", lambda *args: None)  # as if the fit diverged
    month = np.arange(36)
    history = [float(v) for v in 1000 + 10 * month + 300 * (month % 12 == 1)]  # +120 a year, Tết bump

    result = get(forecast(history, 12, 15))

    assert result.method == "seasonal-naive+drift"
    expected = [1000 + 10 * m + 300 * (m % 12 == 1) for m in range(36, 51)]
    assert result.mean == pytest.approx(expected, rel=1e-9)


def test_a_constant_series_is_forecast_flat_with_no_spread() -> None:
    result = get(forecast([250.0] * 36, 12, 12))

    assert result.mean == pytest.approx([250.0] * 12)
    assert result.lower == pytest.approx(result.upper)


@pytest.mark.parametrize(
    ("period", "horizon", "kwargs", "message"),
    [
        (12, 0, {}, "horizon"),
        (12, -3, {}, "horizon"),
        (0, 12, {}, "period"),
        (-1, 12, {}, "period"),
        (12, 12, {"level": 1.0}, "level"),
        (12, 12, {"level": 0.0}, "level"),
    ],
)
def test_bad_settings_are_refused(period: int, horizon: int, kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        forecast([1.0] * 36, period, horizon, **kwargs)


def test_gaps_must_be_filled_first() -> None:
    history = [1.0] * 36
    history[10] = math.nan

    with pytest.raises(ValueError, match="finite"):
        forecast(history, 12, 3)
