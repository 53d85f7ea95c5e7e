"""Seasonal anomaly detection for indicator series (tourist visits, trucks per border gate, PM2.5, …).

Leaders must hear about real anomalies, not about the normal season: a Tết peak in February or the
summer peak in June–August is expected and must not be flagged, while a doubled October is news.

Method (causal: a point is judged only against the points before it, as it would have been live):

1. Scale. Counts and concentrations vary in proportion to their level (a 30 000-visit Tết month is
   noisier in absolute terms than an 8 000-visit quiet month, and a 10 %/year trend adds more visits to
   a peak month than to a quiet one). So when every observed value is >= 0 (``scale="auto"``) the work
   is done on ``log1p(value)``, where seasonal effects, trend and noise become additive and a residual
   is a relative deviation. Series with negative values are handled on the raw scale.
2. Seasonal median. For point ``i`` with season position ``i % period``, take the median of the
   earlier values at the same position (``i - period``, ``i - 2 * period``, …). Fewer than
   ``min_cycles`` such values → no score (``None``).
3. Level adjustment. The seasonal median of several past cycles lags a trend, so add the median, over
   the last ``level_window`` points, of each point's deviation from its own (past-only) seasonal
   median. Those recent medians span one cycle fewer than the current one in part, so they lag a
   trend less; each deviation is therefore shifted by slope × the difference in lag (the lag being
   the distance to the median position of the values the seasonal median was taken over; the slope
   the median change per step over whole cycles in the window). A linear trend (on the log scale:
   steady growth in %) then leaves no residual at all. Baseline = seasonal median + level
   adjustment; residual = value − baseline. A sustained change is absorbed once it fills half the
   window; a shorter event is flagged throughout and the return to normal is not. The default window
   is one cycle (``period`` points) for periods above 7 and three cycles for periods up to 7, at
   least 5 points: with daily data and ``period=7`` a one-week window would absorb a Tết week after
   4 days and then flag the trucks' return to normal as "above"; three weeks ride it out. Longer
   windows lag a steep trend in coarse data (e.g. monthly with ``period=1``), hence one cycle for
   long periods.
4. Spread. ``1.4826 × MAD`` of the residuals of all earlier points that have a baseline (consistent
   with the standard deviation for normal noise). When more than half of them are equal (MAD = 0, e.g.
   a count that is 5 most days and 6 on some), the plain standard deviation is used instead:
   robustness is moot there and the occasional differing values are the spread, so a 6 that turns
   up one day in nine is not an anomaly. A floor of ``1e-9 + 1 %`` of the baseline level (on the log
   scale: 0.01, i.e. about 1 % of the level) keeps flat series from dividing by zero. At least 12
   earlier residuals are required, else the score is ``None``: a MAD of a handful of residuals is too
   unstable to alert on (with monthly data and ``min_cycles=2`` scoring starts in year 4).
5. Robust z = residual / spread; ``|z| > threshold`` is an anomaly, above or below the baseline.

``period=1`` means no seasonality (the "seasonal median" is the median of all earlier values). Gaps
(``None`` or NaN) are skipped: never scored, never flagged, and left out of every median.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

Scale = Literal["auto", "log", "linear"]
FloatArray = npt.NDArray[np.float64]

MAD_TO_SIGMA = 1.4826  # 1 / Φ⁻¹(3/4): MAD → standard deviation for normal noise
MIN_LEVEL_WINDOW = 5
SHORT_PERIOD = 7  # up to weekly: the level window spans three cycles
MIN_SPREAD_RESIDUALS = 12
ABSOLUTE_FLOOR = 1e-9
RELATIVE_FLOOR = 0.01


@dataclass(frozen=True)
class Anomaly:
    index: int  # position in the series
    value: float
    expected: float  # seasonal baseline, on the scale of the values
    score: float  # robust z-score (signed)
    direction: str  # "above" | "below"


@dataclass(frozen=True)
class _Analysis:
    values: FloatArray  # gaps as NaN
    scores: list[float | None]
    expected: list[float | None]  # on the scale of the values


def _as_array(values: Sequence[float | None]) -> FloatArray:
    out = np.full(len(values), np.nan)
    for i, value in enumerate(values):
        if value is None:
            continue
        number = float(value)
        if math.isinf(number):
            raise ValueError(f"value at index {i} is infinite")
        out[i] = number  # NaN stays NaN: a gap like None
    return out


def _use_log(observed: FloatArray, scale: Scale) -> bool:
    if scale == "linear":
        return False
    non_negative = bool(np.all(observed >= 0))
    if scale == "log" and not non_negative:
        raise ValueError("scale='log' needs values >= 0")
    return non_negative


def _seasonal_medians(x: FloatArray, period: int, min_cycles: int) -> tuple[FloatArray, FloatArray]:
    """Median of the earlier same-season values of each point, and how far back that median sits.

    Both are NaN where the point is a gap or has fewer than ``min_cycles`` earlier values. The lag is
    the distance to the median position of those values: what a linear trend multiplies.
    """
    medians = np.full(x.size, np.nan)
    lags = np.full(x.size, np.nan)
    for i in range(x.size):
        if math.isnan(x[i]):
            continue
        positions = np.arange(i % period, i, period)
        positions = positions[~np.isnan(x[positions])]
        if positions.size >= min_cycles:
            medians[i] = np.median(x[positions])
            lags[i] = i - np.median(positions)
    return medians, lags


def default_level_window(period: int) -> int:
    """Points in the level-adjustment window (see the module docstring)."""
    cycles = 3 if period <= SHORT_PERIOD else 1
    return max(MIN_LEVEL_WINDOW, cycles * period)


def _analyse(
    values: Sequence[float | None], period: int, min_cycles: int, scale: Scale, level_window: int | None
) -> _Analysis:
    if period < 1:
        raise ValueError(f"period must be >= 1, got {period}")
    if min_cycles < 1:
        raise ValueError(f"min_cycles must be >= 1, got {min_cycles}")
    if level_window is not None and level_window < 1:
        raise ValueError(f"level_window must be >= 1, got {level_window}")
    raw = _as_array(values)
    observed = raw[~np.isnan(raw)]
    log = _use_log(observed, scale) if observed.size else False
    x = np.log1p(raw) if log else raw

    medians, lags = _seasonal_medians(x, period, min_cycles)
    deviations = x - medians  # NaN where no seasonal median
    window = level_window or default_level_window(period)
    # Slope per step from changes over whole cycles (the seasonal pattern cancels), spanning about
    # the window so that noise is divided by many steps.
    span = period * max(1, window // period)
    slopes = np.full(x.size, np.nan)
    slopes[span:] = (x[span:] - x[:-span]) / span

    baselines = np.full(x.size, np.nan)
    for i in np.flatnonzero(~np.isnan(medians)):
        lo = max(0, i - window)
        recent_slopes = slopes[lo:i]
        recent_slopes = recent_slopes[~np.isnan(recent_slopes)]
        slope = float(np.median(recent_slopes)) if recent_slopes.size else 0.0
        # Recent points' medians lag less than this point's (fewer earlier cycles): bring each
        # deviation to this point's lag, or a trend would leak into the residual.
        recent = deviations[lo:i] + slope * (lags[i] - lags[lo:i])
        recent = recent[~np.isnan(recent)]
        level = float(np.median(recent)) if recent.size else 0.0
        baselines[i] = medians[i] + level
    residuals = x - baselines

    scores: list[float | None] = [None] * x.size
    expected: list[float | None] = [None] * x.size
    for i in np.flatnonzero(~np.isnan(residuals)):
        baseline = float(baselines[i])
        expected[i] = math.expm1(baseline) if log else baseline
        history = residuals[:i]
        history = history[~np.isnan(history)]
        if history.size < MIN_SPREAD_RESIDUALS:
            continue
        centre = np.median(history)
        spread = MAD_TO_SIGMA * float(np.median(np.abs(history - centre)))
        if spread == 0.0:
            spread = float(np.std(history, ddof=1))
        # On the log scale an absolute 0.01 is already ~1 % of the level.
        floor = ABSOLUTE_FLOOR + RELATIVE_FLOOR * (1.0 if log else abs(baseline))
        scores[i] = float(residuals[i]) / max(spread, floor)
    return _Analysis(values=raw, scores=scores, expected=expected)


def seasonal_robust_zscores(
    values: Sequence[float | None],
    period: int,
    *,
    min_cycles: int = 2,
    scale: Scale = "auto",
    level_window: int | None = None,
) -> list[float | None]:
    """Signed robust z-score of each point against its seasonal baseline; None where not scorable."""
    return _analyse(values, period, min_cycles, scale, level_window).scores


def detect_anomalies(
    values: Sequence[float | None],
    period: int,
    *,
    threshold: float = 3.5,
    min_cycles: int = 2,
    scale: Scale = "auto",
    level_window: int | None = None,
) -> list[Anomaly]:
    """Points whose robust z-score exceeds ``threshold`` in absolute value, in series order."""
    if not threshold > 0:
        raise ValueError(f"threshold must be > 0, got {threshold}")
    analysis = _analyse(values, period, min_cycles, scale, level_window)
    found = []
    for i, score in enumerate(analysis.scores):
        expected = analysis.expected[i]
        if score is None or expected is None or abs(score) <= threshold:
            continue
        found.append(
            Anomaly(
                index=i,
                value=float(analysis.values[i]),
                expected=expected,
                score=score,
                direction="above" if score > 0 else "below",
            )
        )
    return found
