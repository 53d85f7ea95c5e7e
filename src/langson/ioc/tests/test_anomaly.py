"""Seasonal anomaly detection: the normal season stays quiet, real spikes and drops are flagged."""

from __future__ import annotations

import math

import numpy as np
import pytest

from langson.ioc.services.anomaly import Anomaly, detect_anomalies, seasonal_robust_zscores

pytestmark = pytest.mark.nodb

# Visits relative to an ordinary month: Tết peak in February, summer peak June–August.
MONTH_FACTORS = np.array([1.0, 2.2, 1.3, 0.9, 0.8, 1.4, 1.8, 1.9, 1.0, 0.8, 0.7, 0.9])
# Trucks per day relative to Monday; the series starts on a Monday.
WEEKDAY_FACTORS = np.array([1.0, 1.05, 1.1, 1.05, 1.0, 0.8, 0.5])
# Days from 2025-01-01: Tết week 2025 (from 29 Jan) and 2026 (from 17 Feb).
TET_DAYS = frozenset(range(28, 35)) | frozenset(range(412, 419))
OCTOBER_YEAR_5 = 4 * 12 + 9
MARCH_YEAR_4 = 3 * 12 + 2


def tourism_visits(seed: int, *, years: int = 5, growth: float = 0.0, noise: float = 0.06) -> list[float]:
    """Monthly visits to a site, with noise proportional to the level (as counts have)."""
    rng = np.random.default_rng(seed)
    month = np.arange(12 * years)
    expected = 12_000 * MONTH_FACTORS[month % 12] * (1 + growth) ** (month / 12)
    return [float(v) for v in expected * (1 + noise * rng.standard_normal(month.size))]


def border_trucks(seed: int, *, days: int = 730, growth: float = 0.0, tet: bool = True) -> list[float]:
    """Daily trucks through a border gate: weekly pattern, Tết dip, day-to-day and count noise."""
    rng = np.random.default_rng(seed)
    day = np.arange(days)
    rate = 400 * WEEKDAY_FACTORS[day % 7] * (1 + growth) ** (day / 365)
    rate *= 1 + 0.05 * rng.standard_normal(days)
    if tet:
        rate[sorted(d for d in TET_DAYS if d < days)] *= 0.3
    return [float(v) for v in rng.poisson(np.maximum(rate, 0.0))]


def indices(found: list[Anomaly]) -> list[int]:
    return [a.index for a in found]


# --- the normal season ----------------------------------------------------------------------------


def test_tet_and_summer_peaks_are_not_anomalies() -> None:
    visits = tourism_visits(seed=2026)
    scores = seasonal_robust_zscores(visits, 12)
    last_three_years = range(24, 60)
    assert sum(scores[i] is not None for i in last_three_years) == 24  # scored from year 4 on
    assert [i for i in indices(detect_anomalies(visits, 12)) if i in last_three_years] == []


@pytest.mark.parametrize("growth", [0.0, 0.10])
def test_false_positive_rate_over_many_series_stays_below_one_percent(growth: float) -> None:
    flagged = scored = 0
    for seed in range(40):
        visits = tourism_visits(seed, growth=growth)
        scored += sum(s is not None for s in seasonal_robust_zscores(visits, 12))
        flagged += len(detect_anomalies(visits, 12))
    assert scored == 40 * 24
    assert flagged <= 0.01 * scored


@pytest.mark.parametrize(
    ("label", "values", "period"),
    [
        ("tourism +10 %/year", tourism_visits(2026, growth=0.10), 12),
        ("tourism +10 %/year, smooth", tourism_visits(2026, growth=0.10, noise=0.01), 12),
        ("tourism +10 %/year, noiseless", tourism_visits(2026, growth=0.10, noise=0.0), 12),
        ("monthly, no season, +10 %/year", [500 * 1.1 ** (m / 12) for m in range(60)], 1),
        ("trucks +10 %/year", border_trucks(2026, growth=0.10, tet=False), 7),
        ("falling 10 %/year", tourism_visits(2026, growth=-0.10), 12),
    ],
)
def test_a_slow_trend_alone_raises_nothing(label: str, values: list[float], period: int) -> None:
    assert detect_anomalies(values, period) == [], label


# --- real anomalies -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("index", "factor", "direction"),
    [
        (OCTOBER_YEAR_5, 2.5, "above"),  # a festival or a viral post in a quiet month
        (OCTOBER_YEAR_5 - 12, 2.5, "above"),
        (MARCH_YEAR_4, 0.3, "below"),  # the site closed for most of the month
    ],
)
def test_an_injected_tourism_anomaly_is_found_where_it_is(index: int, factor: float, direction: str) -> None:
    visits = tourism_visits(seed=2026)
    normal = visits[index]
    visits[index] *= factor

    found = detect_anomalies(visits, 12)

    assert indices(found) == [index]
    anomaly = found[0]
    assert anomaly.direction == direction
    assert anomaly.value == visits[index]
    assert anomaly.expected == pytest.approx(normal, rel=0.15)
    assert math.copysign(1, anomaly.score) == (1 if direction == "above" else -1)
    assert abs(anomaly.score) > 3.5


def test_a_one_day_border_closure_is_found_below() -> None:
    trucks = border_trucks(seed=2026)
    closure = 600
    trucks[closure] *= 0.1

    found = detect_anomalies(trucks, 7)

    at_closure = [a for a in found if a.index == closure]
    assert len(at_closure) == 1
    assert at_closure[0].direction == "below"
    # Nothing else outside Tết, and in the Tết weeks only drops: trucks coming back are not "above".
    assert [a.index for a in found if a.index not in TET_DAYS] == [closure]
    assert {a.direction for a in found if a.index in TET_DAYS} == {"below"}


def test_a_pm25_episode_is_found_on_a_series_without_season() -> None:
    rng = np.random.default_rng(2026)
    pm25 = [float(v) for v in 25 * np.exp(0.15 * rng.standard_normal(200))]
    pm25[150] = 140.0

    assert indices(detect_anomalies(pm25, 1)) == [150]


def test_series_with_negative_values_are_handled_on_the_raw_scale() -> None:
    rng = np.random.default_rng(2026)
    day = np.arange(365)
    anomaly_c = 3 * np.sin(2 * np.pi * day / 7) + rng.standard_normal(day.size)  # °C off the norm
    values = [float(v) for v in anomaly_c]
    values[300] += 9.0

    assert indices(detect_anomalies(values, 7)) == [300]
    with pytest.raises(ValueError, match="log"):
        detect_anomalies(values, 7, scale="log")


# --- gaps, short and flat series, bad input -------------------------------------------------------


def test_gaps_are_skipped_and_never_flagged() -> None:
    visits: list[float | None] = list(tourism_visits(seed=2026))
    spike = OCTOBER_YEAR_5
    value = visits[spike]
    assert value is not None
    visits[spike] = value * 2.5
    gaps = [3, 21, OCTOBER_YEAR_5 - 12, 40, 41, 50]
    for i in gaps:
        visits[i] = None
    visits[55] = math.nan  # a NaN is a gap too

    scores = seasonal_robust_zscores(visits, 12)
    found = detect_anomalies(visits, 12)

    assert all(scores[i] is None for i in [*gaps, 55])
    assert indices(found) == [spike]
    assert found[0].direction == "above"


@pytest.mark.parametrize(
    ("length", "period", "min_cycles"),
    [(23, 12, 2), (24, 12, 3), (35, 12, 3), (13, 7, 2), (1, 12, 2), (0, 12, 2)],
)
def test_a_series_shorter_than_min_cycles_gives_no_scores(length: int, period: int, min_cycles: int) -> None:
    values = tourism_visits(seed=1, years=3)[:length]
    values[-1:] = [v * 5 for v in values[-1:]]  # even a huge last value

    assert seasonal_robust_zscores(values, period, min_cycles=min_cycles) == [None] * length
    assert detect_anomalies(values, period, min_cycles=min_cycles) == []


@pytest.mark.parametrize("constant", [0.0, 7.0, 41_250.0, -3.5])
@pytest.mark.parametrize("period", [1, 7, 12])
def test_a_constant_series_raises_nothing(constant: float, period: int) -> None:
    values = [constant] * 120

    scores = seasonal_robust_zscores(values, period)

    assert {s for s in scores if s is not None} == {0.0}
    assert detect_anomalies(values, period) == []


def test_a_flat_count_series_with_rare_small_steps_is_not_alarmed_by_one_unit() -> None:
    # MAD is 0 here (most days equal): the standard deviation takes over as the spread.
    values = [5.0] * 200
    for i in range(3, 200, 9):
        values[i] = 6.0

    assert detect_anomalies(values, 1) == []


@pytest.mark.parametrize("period", [0, -1, -12])
def test_period_below_one_is_refused(period: int) -> None:
    with pytest.raises(ValueError, match="period"):
        seasonal_robust_zscores([1.0, 2.0, 3.0], period)
    with pytest.raises(ValueError, match="period"):
        detect_anomalies([1.0, 2.0, 3.0], period)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"min_cycles": 0}, "min_cycles"),
        ({"threshold": 0.0}, "threshold"),
        ({"level_window": 0}, "level_window"),
    ],
)
def test_bad_settings_are_refused(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        detect_anomalies([1.0] * 30, 12, **kwargs)  # type: ignore[arg-type]


def test_an_infinite_value_is_refused() -> None:
    with pytest.raises(ValueError, match="infinite"):
        seasonal_robust_zscores([1.0, math.inf, 2.0], 1)
