"""Short-range forecasts of indicator series with prediction intervals.

Model: additive Holt–Winters (triple exponential smoothing), or Holt's linear trend when ``period=1``:

    forecast  ŷ(t) = ℓ(t-1) + b(t-1) + s(t-m)
    level     ℓ(t) = α (y(t) − s(t-m)) + (1 − α) (ℓ(t-1) + b(t-1))
    trend     b(t) = β (ℓ(t) − ℓ(t-1)) + (1 − β) b(t-1)
    season    s(t) = γ (y(t) − ℓ(t)) + (1 − γ) s(t-m)

Initial states come from the first two cycles (level and slope from the two cycle means, seasonal
offsets from the detrended cycles). α, β, γ are chosen on a small grid (γ ≤ 1 − α) by minimising the
sum of squared one-step-ahead errors after the first cycle, all grid points run at once with numpy.

Intervals: ``mean ± z · σ · √h``, where σ is the root mean square of the in-sample one-step errors
(divided by n − number of smoothing parameters) and z the normal quantile for ``level``. The √h growth
is the random-walk approximation, not the exact Holt–Winters variance
σ²·(1 + Σ_{0<j<h} (α(1 + jβ) + γ·[j ≡ 0 mod m])²). It errs on the wide side for the small α a stable
seasonal series gets, and is too narrow only when those weights reach about 1 (a series that moves
like a random walk or faster).

Fallback when the fit fails (non-finite errors or forecasts): seasonal naive with drift, i.e. the value
one cycle back plus the mean cycle-over-cycle change per elapsed cycle; its intervals use the spread of
those changes and grow with √(cycles ahead), exact for a seasonal random walk.

When every history value is >= 0 (counts, concentrations) the mean and both bounds are clipped at 0.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

ALPHAS = (0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 0.95)
BETAS = (0.0, 0.01, 0.03, 0.05, 0.1, 0.2, 0.3)
GAMMAS = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5)
MIN_POINTS_NON_SEASONAL = 4


@dataclass(frozen=True)
class Forecast:
    mean: list[float]
    lower: list[float]  # 80% interval by default
    upper: list[float]
    method: str  # "holt-winters-additive", "holt-linear" (period 1) or "seasonal-naive+drift"


@dataclass(frozen=True)
class _Point:
    mean: FloatArray
    sigma: float
    steps: FloatArray  # how the interval grows: σ · steps


def _grid(period: int) -> tuple[FloatArray, FloatArray, FloatArray]:
    gammas = GAMMAS if period > 1 else (0.0,)  # a one-point "season" is just the level
    combos = [(a, b, g) for a in ALPHAS for b in BETAS for g in gammas if g <= 1.0 - a]
    grid = np.array(combos, dtype=np.float64)
    return grid[:, 0], grid[:, 1], grid[:, 2]


def _initial_states(y: FloatArray, period: int) -> tuple[float, float, FloatArray]:
    """Level just before the first point, slope per step, and seasonal offsets by position."""
    if period == 1:
        slope = float(y[MIN_POINTS_NON_SEASONAL - 1] - y[0]) / (MIN_POINTS_NON_SEASONAL - 1)
        return float(y[0]) - slope, slope, np.zeros(1)
    first, second = y[:period], y[period : 2 * period]
    slope = float(second.mean() - first.mean()) / period
    level = float(first.mean()) - slope * (period + 1) / 2  # the cycle mean sits at its middle point
    positions = np.arange(period) - (period - 1) / 2
    seasonal = ((first - first.mean() - slope * positions) + (second - second.mean() - slope * positions)) / 2
    return level, slope, seasonal


def _holt_winters(y: FloatArray, period: int, horizon: int) -> _Point | None:
    alpha, beta, gamma = _grid(period)
    level0, slope0, seasonal0 = _initial_states(y, period)
    size = alpha.size
    level = np.full(size, level0)
    slope = np.full(size, slope0)
    seasonal = np.tile(seasonal0, (size, 1))
    sse = np.zeros(size)
    skip = period  # the first cycle shaped the initial states: its errors flatter the fit
    with np.errstate(all="ignore"):  # a diverging grid point turns non-finite and is dropped below
        for t, value in enumerate(y):
            pos = t % period
            season = seasonal[:, pos]
            error = value - (level + slope + season)
            if t >= skip:
                sse += error * error
            new_level = alpha * (value - season) + (1 - alpha) * (level + slope)
            slope = beta * (new_level - level) + (1 - beta) * slope
            seasonal[:, pos] = gamma * (value - new_level) + (1 - gamma) * season
            level = new_level
    sse[~np.isfinite(sse)] = np.inf
    best = int(np.argmin(sse))
    if not math.isfinite(sse[best]):
        return None
    steps = np.arange(1, horizon + 1, dtype=np.float64)
    positions = (y.size - 1 + steps.astype(np.int64)) % period
    mean = level[best] + steps * slope[best] + seasonal[best, positions]
    n_params = 3 if period > 1 else 2
    sigma = math.sqrt(sse[best] / max(y.size - skip - n_params, 1))
    if not (np.all(np.isfinite(mean)) and math.isfinite(sigma)):
        return None
    return _Point(mean=mean, sigma=sigma, steps=np.sqrt(steps))


def _seasonal_naive_drift(y: FloatArray, period: int, horizon: int) -> _Point:
    changes = y[period:] - y[:-period]  # cycle-over-cycle changes
    drift = float(changes.mean())
    sigma = float(changes.std(ddof=1)) if changes.size > 1 else 0.0
    h = np.arange(1, horizon + 1)
    cycles_ahead = (h - 1) // period + 1
    reference = y[y.size - period + (h - 1) % period]
    return _Point(mean=reference + cycles_ahead * drift, sigma=sigma, steps=np.sqrt(cycles_ahead))


def forecast(values: Sequence[float], period: int, horizon: int, *, level: float = 0.8) -> Forecast | None:
    """Forecast ``horizon`` steps after the last value; None when the history is too short."""
    if period < 1:
        raise ValueError(f"period must be >= 1, got {period}")
    if horizon < 1:
        raise ValueError(f"horizon must be >= 1, got {horizon}")
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be between 0 and 1, got {level}")
    y = np.asarray(values, dtype=np.float64)
    if not np.all(np.isfinite(y)):
        raise ValueError("values must be finite (fill or drop gaps first)")
    if y.size < (2 * period if period > 1 else MIN_POINTS_NON_SEASONAL):
        return None

    point = _holt_winters(y, period, horizon)
    if point is not None:
        method = "holt-winters-additive" if period > 1 else "holt-linear"
    else:
        point = _seasonal_naive_drift(y, period, horizon)
        method = "seasonal-naive+drift"

    z = NormalDist().inv_cdf(0.5 + level / 2)
    half_width = z * point.sigma * point.steps
    mean, lower, upper = point.mean, point.mean - half_width, point.mean + half_width
    if np.all(y >= 0):  # counts and concentrations cannot go negative
        mean, lower, upper = np.maximum(mean, 0.0), np.maximum(lower, 0.0), np.maximum(upper, 0.0)
    return Forecast(
        mean=[float(v) for v in mean],
        lower=[float(v) for v in lower],
        upper=[float(v) for v in upper],
        method=method,
    )
