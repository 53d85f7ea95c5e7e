"""Vietnam's air quality index (VN_AQI) as pure functions, per Decision 1459/QĐ-TCMT of 12/11/2019.

The decision ("Hướng dẫn kỹ thuật tính toán và công bố chỉ số chất lượng không khí Việt Nam (VN_AQI)",
Tổng cục Môi trường, replacing QĐ 878/QĐ-TCMT of 2011) is cited by section of its attached guidance:

- 1.4 Table 1: AQI bands, their names and official colours (``BANDS``, ``band_for``);
- 2.1: data requirements: QA/QC'd data of one automatic station; the pollutants SO2, CO, NO2, O3, PM10, PM2.5;
  at least one of PM10 / PM2.5 is mandatory; the final AQI is the max of the pollutants' sub-indices;
- 2.2.1: hourly AQI (AQI^h): a) NowCast of PM10 / PM2.5 (``nowcast``), b) Formulas 1 and 2 with Table 2's
  breakpoints (``sub_index``), c) max of the sub-indices, rounded to an integer (``hourly_aqi``);
- 2.2.2: daily AQI (AQI^d): 24 h means of PM, max 1 h of SO2 / NO2 / CO, max 1 h and max 8 h of O3
  (``rolling_8h_means``, ``daily_aqi``);
- 2.3: the worked examples (reproduced in ``tests/test_aqi.py``).

Every concentration is in µg/m³, CO included (Table 2): analysers reporting CO in mg/m³ must be multiplied
by 1000 first. Values are the station's hourly averages after QA/QC; an hour without a valid value is None.
Arithmetic is exact (``fractions.Fraction`` of the decimal the caller wrote), so ties such as 109.5 round
the same way on every machine; the integer AQI is rounded half up.

Bad input (a negative, NaN or non-numeric concentration, an unknown pollutant, a day that is not 24 hours)
raises ``AqiInputError``. Too little data is not an error: the index is None and ``reason`` says why.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import TYPE_CHECKING, Final, TypeVar

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

Concentration = int | float | Decimal
Reading = int | float | Decimal | None
_T = TypeVar("_T")

REFERENCE_SPECIFICATION: Final = "VN_AQI QĐ 1459/QĐ-TCMT"  # FIWARE airQualityIndex.referenceSpecification


class AqiInputError(ValueError):
    """Input the decision cannot be applied to (not a shortage of data, which gives None with a reason)."""


class Pollutant(StrEnum):
    """The six parameters of 2.1.b, named as in FIWARE's AirQualityObserved."""

    PM25 = "PM2.5"
    PM10 = "PM10"
    O3 = "O3"
    NO2 = "NO2"
    SO2 = "SO2"
    CO = "CO"


PARTICULATES: Final = frozenset({Pollutant.PM25, Pollutant.PM10})


class Scale(StrEnum):
    """A column of Table 2 (O3 has two: its 1 h and 8 h breakpoints)."""

    O3_1H = "O3_1h"
    O3_8H = "O3_8h"
    CO = "CO"
    SO2 = "SO2"
    NO2 = "NO2"
    PM10 = "PM10"
    PM25 = "PM2.5"


class Period(StrEnum):
    HOURLY = "hourly"
    DAILY = "daily"


class Basis(StrEnum):
    """Which concentration Cx fed a pollutant's sub-index."""

    NOWCAST = "nowcast"  # 2.2.1.a, PM hourly (Formula 2)
    HOUR = "1h"  # 2.2.1.b, gases hourly: the current hour's average (Formula 1)
    MEAN_24H = "24h_mean"  # 2.2.2, PM daily
    MAX_1H = "max_1h"  # 2.2.2, SO2 / NO2 / CO daily; O3 daily when its 8 h value cannot be used
    MAX_1H_AND_8H = "max_1h_and_8h"  # 2.2.2.b, O3 daily: the higher of the two sub-indices


class Reason(StrEnum):
    """Why an index is None: stable codes for logs, APIs and the pages to word."""

    NO_VALUE = "no_value"  # the current hour (hourly) or every hour (daily) is missing
    NOWCAST_RECENT_HOURS = "nowcast_needs_2_of_last_3_hours"  # 2.2.1.a, first note
    INCOMPLETE_DAY = "incomplete_day"  # fewer valid hours than ``min_hours`` (not set by the decision)
    NO_PARTICULATE = "no_pm10_or_pm25"  # 2.1.b: no AQI without a PM10 or PM2.5 sub-index


class Note(StrEnum):
    """Facts about a sub-index that is present but worth showing."""

    ABOVE_SCALE = "above_scale"  # Cx above the last breakpoint of Table 2: the sub-index is 500
    O3_8H_ABOVE_400 = "o3_8h_above_400"  # 2.2.2.b: only the 1 h maximum is used
    O3_8H_UNAVAILABLE = "o3_8h_unavailable"  # no 8 h window had enough hours: only the 1 h maximum


# Table 2: the index levels Ii and, per column, the breakpoints BPi (µg/m³). The O3 8 h column stops at 400.
INDEX_LEVELS: Final = (0, 50, 100, 150, 200, 300, 400, 500)
BREAKPOINTS: Final[Mapping[Scale, tuple[int, ...]]] = {
    Scale.O3_1H: (0, 160, 200, 300, 400, 800, 1000, 1200),
    Scale.O3_8H: (0, 100, 120, 170, 210, 400),
    Scale.CO: (0, 10_000, 30_000, 45_000, 60_000, 90_000, 120_000, 150_000),
    Scale.SO2: (0, 125, 350, 550, 800, 1600, 2100, 2630),
    Scale.NO2: (0, 100, 200, 700, 1200, 2350, 3100, 3850),
    Scale.PM10: (0, 50, 150, 250, 350, 420, 500, 600),
    Scale.PM25: (0, 25, 50, 80, 150, 250, 350, 500),
}
_SCALE_OF: Final = {
    Pollutant.PM25: Scale.PM25,
    Pollutant.PM10: Scale.PM10,
    Pollutant.O3: Scale.O3_1H,
    Pollutant.NO2: Scale.NO2,
    Pollutant.SO2: Scale.SO2,
    Pollutant.CO: Scale.CO,
}
_POLLUTANT_OF: Final = {scale: pollutant for pollutant, scale in _SCALE_OF.items()} | {
    Scale.O3_8H: Pollutant.O3
}

NOWCAST_HOURS: Final = 12  # 2.2.1.a: c1 … c12
NOWCAST_MIN_WEIGHT: Final = Fraction(1, 2)  # 2.2.1.a: w = 1/2 whenever w* ≤ 1/2
O3_8H_LIMIT: Final = 400  # 2.2.2.b: above this max 8 h mean only the 1 h maximum counts
HOURS_PER_DAY: Final = 24
# Completeness is not set by the decision (2.1.a only asks for QA/QC'd data). A mean or maximum over a few
# hours would be a made-up daily value, so we ask for 75% of the hours, the usual data-capture rule
# (18 of 24 hours for a day, 6 of 8 for an 8-hour mean); callers may change both.
DEFAULT_MIN_HOURS_PER_DAY: Final = 18
DEFAULT_MIN_HOURS_PER_8H: Final = 6


@dataclass(frozen=True)
class Band:
    """One row of Table 1 (1.4)."""

    level: int  # 1 (Tốt) … 6 (Nguy hại)
    low: int
    high: int  # inclusive; the last band also takes any value above 500
    name: StrPromise  # Vietnamese, translated on display
    name_en: str
    colour: StrPromise
    colour_en: str
    rgb: tuple[int, int, int]

    @property
    def hex(self) -> str:
        return "#{:02X}{:02X}{:02X}".format(*self.rgb)


BANDS: Final = (
    Band(1, 0, 50, _("Tốt"), "Good", _("Xanh"), "Green", (0, 228, 0)),
    Band(2, 51, 100, _("Trung bình"), "Moderate", _("Vàng"), "Yellow", (255, 255, 0)),
    Band(3, 101, 150, _("Kém"), "Poor", _("Da cam"), "Orange", (255, 126, 0)),
    Band(4, 151, 200, _("Xấu"), "Bad", _("Đỏ"), "Red", (255, 0, 0)),
    Band(5, 201, 300, _("Rất xấu"), "Very bad", _("Tím"), "Purple", (143, 63, 151)),
    Band(6, 301, 500, _("Nguy hại"), "Hazardous", _("Nâu"), "Brown", (126, 0, 35)),
)


@dataclass(frozen=True)
class SubIndex:
    """AQIx of one concentration on one column of Table 2 (Formula 1 or 2 of 2.2.1.b)."""

    scale: Scale
    concentration: float  # Cx, µg/m³
    exact: float  # before rounding, e.g. 59.35
    value: int  # rounded half up
    above_scale: bool  # Cx beyond the last breakpoint (the "≥" of row 8): value is 500


@dataclass(frozen=True)
class PollutantIndex:
    """One pollutant's sub-index in an hourly or daily result, or the reason it has none."""

    pollutant: Pollutant
    basis: Basis
    concentration: float | None  # the Cx that gave ``value`` (for O3 daily: that of the higher part)
    exact: float | None
    value: int | None
    hours: int | None  # valid hourly values in the window used; None when Cx was given directly
    reason: Reason | None = None
    parts: tuple[SubIndex, ...] = ()  # O3 daily: the 1 h and (when usable) the 8 h sub-indices
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True)
class AqiResult:
    """An hourly (AQI^h) or daily (AQI^d) index of one station."""

    period: Period
    value: int | None
    band: Band | None
    dominant: Pollutant | None  # the pollutant with the highest sub-index (to highlight, Table 3)
    pollutants: Mapping[Pollutant, PollutantIndex] = field(default_factory=dict)
    reason: Reason | None = None


def band_for(aqi: int) -> Band:
    """The Table 1 band of an integer AQI (1.4); any value above 500 is still "Nguy hại"."""
    if isinstance(aqi, bool) or not isinstance(aqi, int):
        raise AqiInputError(f"The AQI must be an integer (round it first), not {aqi!r}.")
    if aqi < 0:
        raise AqiInputError(f"The AQI cannot be negative: {aqi}.")
    for band in BANDS:
        if aqi <= band.high:
            return band
    return BANDS[-1]


def round_half_up(value: Fraction | Decimal | int | float) -> int:
    """Round a non-negative index to an integer, halves up (2.2.1.c, 2.2.2.c: "làm tròn thành số nguyên")."""
    exact = value if isinstance(value, Fraction) else _to_fraction(value, "value")
    return math.floor(exact + Fraction(1, 2))


def sub_index(scale: Scale | str, concentration: Concentration) -> SubIndex:
    """AQIx = (I(i+1) − Ii) / (BP(i+1) − BPi) × (Cx − BPi) + Ii with BPi ≤ Cx < BP(i+1) (2.2.1.b).

    ``scale`` is a column of Table 2; "O3" means the 1 h column. At or above the last breakpoint of a column
    reaching Ii = 500 (row 8 reads "≥"), the sub-index is 500. The O3 8 h column stops at 400 µg/m³: beyond it
    the decision uses the 1 h value instead (2.2.2.b), so asking for it is an error.
    """
    column = _parse_scale(scale)
    return _sub_index(column, _to_fraction(concentration, str(column)))


def nowcast(hourly: Sequence[Reading], *, literal_half_weight: bool = False) -> float | None:
    """The NowCast of PM10 or PM2.5 (2.2.1.a) from hourly averages, newest last; None if it cannot be had.

    c1 is the last value, c12 the one 11 hours before; older values are ignored and hours not given count as
    missing. w* = Cmin / Cmax over the values present, w = 1/2 when w* ≤ 1/2 (the minimum weight), otherwise
    w* itself; a missing ci gets the weight 0. The NowCast needs at least 2 of c1, c2, c3.

    The decision writes the w = 1/2 case as Σ (1/2)^i·ci, which is the weighted mean Σ w^(i−1)·ci / Σ w^(i−1)
    times (1 − 2^−12) when all 12 hours are present, and no mean at all when some are missing (it would fall
    by half with c1 missing). We use the weighted mean for every w; ``literal_half_weight=True`` applies the
    printed sum instead, for comparison.
    """
    exact, _reason = _nowcast(_validated(hourly, "NowCast"), literal_half_weight=literal_half_weight)
    return None if exact is None else float(exact)


def rolling_8h_means(
    hourly: Sequence[Reading], *, min_hours: int = DEFAULT_MIN_HOURS_PER_8H
) -> list[float | None]:
    """The 8-hour means of 2.2.2.a: the mean of each hour's value and the 7 before it, oldest first.

    The result has one value per hour from the 8th on (the first 7 hours only open windows): a day's 24 means
    need the 7 hours before it, as in the decision's example (18:00 the day before → 00:00). A window with
    fewer than ``min_hours`` valid hours is None (the decision sets no rule; 6 of 8 is the usual one).
    """
    values = _validated(hourly, "O3")
    return [None if mean is None else float(mean) for mean in _rolling_means(values, 8, min_hours)]


def hourly_aqi(readings: Mapping[Pollutant | str, Sequence[Reading]]) -> AqiResult:
    """The hourly AQI (AQI^h, 2.2.1) of a station from its last hourly averages per pollutant.

    ``readings`` maps a pollutant ("PM2.5", "PM10", "O3", "NO2", "SO2", "CO"; a few spellings such as "pm25"
    are accepted) to its hourly averages in µg/m³, oldest first and the current hour last, None for an hour
    without valid data. PM10 and PM2.5 use the NowCast of their last 12 hours (Formula 2); the gases use the
    current hour's value (Formula 1), O3 on its 1 h column. AQI^h is the highest sub-index, rounded; it is
    None when neither PM10 nor PM2.5 has a sub-index (2.1.b). Pollutants not measured are simply left out.
    """
    indices = []
    for pollutant, values in _parse_readings(readings).items():
        scale = _SCALE_OF[pollutant]
        if pollutant in PARTICULATES:
            window = values[-NOWCAST_HOURS:]
            hours = sum(value is not None for value in window)
            cx, reason = _nowcast(values, literal_half_weight=False)
            basis = Basis.NOWCAST
        else:
            cx = values[-1] if values else None
            hours = int(cx is not None)
            reason = Reason.NO_VALUE if cx is None else None
            basis = Basis.HOUR
        indices.append(
            _pollutant_index(pollutant, basis, hours, reason, [] if cx is None else [_sub_index(scale, cx)])
        )
    return _combine(Period.HOURLY, indices)


def daily_aqi(
    day: Mapping[Pollutant | str, Sequence[Reading]],
    *,
    previous_day: Mapping[Pollutant | str, Sequence[Reading]] | None = None,
    min_hours: int = DEFAULT_MIN_HOURS_PER_DAY,
    min_hours_8h: int = DEFAULT_MIN_HOURS_PER_8H,
) -> AqiResult:
    """The daily AQI (AQI^d, 2.2.2) of a station from one day's 24 hourly averages per pollutant.

    Each list in ``day`` has exactly 24 values: the hours ending 01:00, 02:00, … 23:00 and 00:00 of the
    next day (2.2.2.a: "từ 01:00 giờ đến 00:00 hôm sau"), None where the hour has no valid value. PM10 and
    PM2.5 use their 24 h mean, SO2, NO2 and CO their highest hourly value; O3 the higher of the sub-indices
    of its highest hourly value (1 h column) and of its highest 8 h mean (8 h column), or only the first when
    that 8 h mean is above 400 µg/m³ (2.2.2.b). The 8 h means ending at 01:00 … 07:00 reach back into the day
    before: give its O3 hours (newest last) in ``previous_day`` to have all 24 windows.

    A pollutant with fewer than ``min_hours`` valid hours in the day has no sub-index (INCOMPLETE_DAY); the
    decision sets no such threshold, see DEFAULT_MIN_HOURS_PER_DAY. AQI^d is None without a PM sub-index.
    """
    if isinstance(min_hours, bool) or not isinstance(min_hours, int) or not 1 <= min_hours <= HOURS_PER_DAY:
        raise AqiInputError(f"min_hours must be an integer from 1 to 24, not {min_hours!r}.")
    before = _parse_readings(previous_day or {})
    indices = []
    for pollutant, values in _parse_readings(day).items():
        if len(values) != HOURS_PER_DAY:
            raise AqiInputError(
                f"{pollutant}: a day has 24 hourly values (01:00 to 00:00), {len(values)} were given."
            )
        present = [value for value in values if value is not None]
        hours = len(present)
        basis = {
            Pollutant.PM25: Basis.MEAN_24H,
            Pollutant.PM10: Basis.MEAN_24H,
            Pollutant.O3: Basis.MAX_1H_AND_8H,
        }.get(pollutant, Basis.MAX_1H)
        if hours < min_hours:
            reason = Reason.NO_VALUE if hours == 0 else Reason.INCOMPLETE_DAY
            indices.append(_pollutant_index(pollutant, basis, hours, reason, []))
            continue
        if pollutant in PARTICULATES:
            mean = sum(present, Fraction(0)) / hours
            indices.append(
                _pollutant_index(pollutant, basis, hours, None, [_sub_index(_SCALE_OF[pollutant], mean)])
            )
            continue
        parts = [_sub_index(_SCALE_OF[pollutant], max(present))]
        notes: list[Note] = []
        if pollutant is Pollutant.O3:
            earlier = list(before.get(Pollutant.O3, []))[-7:]
            windows = _rolling_means([*([None] * (7 - len(earlier))), *earlier, *values], 8, min_hours_8h)
            means_8h = [mean for mean in windows if mean is not None]
            if not means_8h:
                notes.append(Note.O3_8H_UNAVAILABLE)
            elif max(means_8h) > O3_8H_LIMIT:
                notes.append(Note.O3_8H_ABOVE_400)
            else:
                parts.append(_sub_index(Scale.O3_8H, max(means_8h)))
            if len(parts) == 1:
                basis = Basis.MAX_1H
        indices.append(_pollutant_index(pollutant, basis, hours, None, parts, notes))
    return _combine(Period.DAILY, indices)


def hourly_aqi_from_concentrations(
    concentrations: Mapping[Pollutant | str, Concentration | None],
) -> AqiResult:
    """AQI^h from ready values Cx (2.2.1.b): the NowCast for PM10 / PM2.5, the 1 h average for the gases.

    This is the step of the decision's example 2.3.b; None marks a pollutant without a value.
    """
    indices = []
    for pollutant, value in _parse_keys(concentrations).items():
        basis = Basis.NOWCAST if pollutant in PARTICULATES else Basis.HOUR
        if value is None:
            indices.append(_pollutant_index(pollutant, basis, None, Reason.NO_VALUE, []))
            continue
        cx = _to_fraction(value, str(pollutant))
        indices.append(_pollutant_index(pollutant, basis, None, None, [_sub_index(_SCALE_OF[pollutant], cx)]))
    return _combine(Period.HOURLY, indices)


def daily_aqi_from_concentrations(
    concentrations: Mapping[Pollutant | str, Concentration | None], *, o3_8h_max: Concentration | None = None
) -> AqiResult:
    """AQI^d from ready values Cx (2.2.2.b), the step of the decision's example 2.3.c.

    ``concentrations`` holds the 24 h mean of PM10 / PM2.5 and the day's highest hourly value of SO2, NO2, CO
    and O3; ``o3_8h_max`` the day's highest 8 h mean of O3, used unless above 400 µg/m³.
    """
    parsed = _parse_keys(concentrations)
    if o3_8h_max is not None and Pollutant.O3 not in parsed:
        raise AqiInputError("o3_8h_max needs the day's highest hourly O3 value too (2.2.2.b).")
    indices = []
    for pollutant, value in parsed.items():
        basis = Basis.MEAN_24H if pollutant in PARTICULATES else Basis.MAX_1H
        if value is None:
            indices.append(_pollutant_index(pollutant, basis, None, Reason.NO_VALUE, []))
            continue
        parts = [_sub_index(_SCALE_OF[pollutant], _to_fraction(value, str(pollutant)))]
        notes: list[Note] = []
        if pollutant is Pollutant.O3 and o3_8h_max is not None:
            max_8h = _to_fraction(o3_8h_max, "O3 8h")
            if max_8h > O3_8H_LIMIT:
                notes.append(Note.O3_8H_ABOVE_400)
            else:
                parts.append(_sub_index(Scale.O3_8H, max_8h))
                basis = Basis.MAX_1H_AND_8H
        indices.append(_pollutant_index(pollutant, basis, None, None, parts, notes))
    return _combine(Period.DAILY, indices)


# --- internals ------------------------------------------------------------------------------------------

_ALIASES: Final = {
    "pm2.5": Pollutant.PM25,
    "pm25": Pollutant.PM25,
    "pm2_5": Pollutant.PM25,
    "pm10": Pollutant.PM10,
    "o3": Pollutant.O3,
    "no2": Pollutant.NO2,
    "so2": Pollutant.SO2,
    "co": Pollutant.CO,
}


def _parse_pollutant(key: Pollutant | str) -> Pollutant:
    if isinstance(key, Pollutant):
        return key
    if isinstance(key, str) and key.strip().lower() in _ALIASES:
        return _ALIASES[key.strip().lower()]
    raise AqiInputError(f"Unknown pollutant {key!r}: VN_AQI uses {', '.join(p.value for p in Pollutant)}.")


def _parse_scale(scale: Scale | str) -> Scale:
    if isinstance(scale, Scale):
        return scale
    if isinstance(scale, str):
        for column in Scale:
            if scale.strip().lower() == column.value.lower():
                return column
        if scale.strip().lower() in _ALIASES:
            return _SCALE_OF[_ALIASES[scale.strip().lower()]]
    raise AqiInputError(f"Unknown column of Table 2 {scale!r}: one of {', '.join(s.value for s in Scale)}.")


def _parse_keys(mapping: Mapping[Pollutant | str, _T]) -> dict[Pollutant, _T]:
    if not isinstance(mapping, Mapping):
        raise AqiInputError(f"Expected a mapping of pollutant to values, not {type(mapping).__name__}.")
    parsed: dict[Pollutant, _T] = {}
    for key, value in mapping.items():
        pollutant = _parse_pollutant(key)
        if pollutant in parsed:
            raise AqiInputError(f"{pollutant} is given twice ({key!r}).")
        parsed[pollutant] = value
    return parsed


def _parse_readings(
    readings: Mapping[Pollutant | str, Sequence[Reading]],
) -> dict[Pollutant, list[Fraction | None]]:
    parsed = {}
    for pollutant, values in _parse_keys(readings).items():
        parsed[pollutant] = _validated(values, str(pollutant))
    return parsed


def _validated(values: Sequence[Reading], what: str) -> list[Fraction | None]:
    if isinstance(values, str | bytes) or not isinstance(values, Sequence):
        raise AqiInputError(f"{what}: expected a list of hourly values, not {type(values).__name__}.")
    return [
        None if value is None else _to_fraction(value, f"{what} hour {index + 1}")
        for index, value in enumerate(values)
    ]


def _to_fraction(value: object, what: str) -> Fraction:
    # Floats go through their shortest repr: 55.7 is 557/10, as the station wrote it, not 55.700000000000003.
    if isinstance(value, bool):
        raise AqiInputError(f"{what}: {value!r} is not a concentration.")
    if isinstance(value, int):
        exact = Fraction(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise AqiInputError(f"{what}: {value!r} is not a concentration (use None for a missing hour).")
        exact = Fraction(repr(value))
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise AqiInputError(f"{what}: {value!r} is not a concentration (use None for a missing hour).")
        exact = Fraction(value)
    elif isinstance(value, Fraction):
        exact = value
    else:
        raise AqiInputError(f"{what}: {value!r} is not a number.")
    if exact < 0:
        raise AqiInputError(
            f"{what}: a concentration cannot be negative ({value!r}); check the analyser's QA/QC."
        )
    return exact


def _sub_index(scale: Scale, cx: Fraction) -> SubIndex:
    breakpoints = BREAKPOINTS[scale]
    top = len(breakpoints) - 1
    if cx >= breakpoints[top] and INDEX_LEVELS[top] == INDEX_LEVELS[-1]:
        # Row 8 reads "≥ BP8": the whole open range maps to 500; Table 1 has nothing above it.
        exact = Fraction(INDEX_LEVELS[-1])
        return SubIndex(scale, float(cx), float(exact), round_half_up(exact), cx > breakpoints[top])
    if cx > breakpoints[top]:
        raise AqiInputError(
            f"{scale}: {float(cx)} µg/m³ is above the column's last breakpoint ({breakpoints[top]}); "
            "for O3 above 400 µg/m³ over 8 hours the decision uses the 1 h value (2.2.2.b)."
        )
    i = max(i for i in range(top) if breakpoints[i] <= cx)  # BPi ≤ Cx < BP(i+1); Cx = 400 ends O3 8 h
    low, high = breakpoints[i], breakpoints[i + 1]
    # Multiply before dividing and stay exact: the decision's 109.5 must not become 109.4999….
    exact = Fraction(INDEX_LEVELS[i + 1] - INDEX_LEVELS[i]) * (cx - low) / (high - low) + INDEX_LEVELS[i]
    return SubIndex(scale, float(cx), float(exact), round_half_up(exact), False)


def _nowcast(
    values: Sequence[Fraction | None], *, literal_half_weight: bool
) -> tuple[Fraction | None, Reason | None]:
    recent = list(reversed(values[-NOWCAST_HOURS:]))  # recent[0] is c1
    recent += [None] * (NOWCAST_HOURS - len(recent))
    if sum(value is not None for value in recent[:3]) < 2:
        return None, Reason.NOWCAST_RECENT_HOURS
    present = [value for value in recent if value is not None]
    c_max = max(present)
    if c_max == 0:
        return Fraction(0), None  # Cmin / Cmax is undefined; every hour was 0
    w = max(min(present) / c_max, NOWCAST_MIN_WEIGHT)
    if literal_half_weight and w == NOWCAST_MIN_WEIGHT:
        return sum((w**i * c for i, c in enumerate(recent, start=1) if c is not None), Fraction(0)), None
    weighted = [(w**i, c) for i, c in enumerate(recent) if c is not None]  # w^(i−1) for c_i
    numerator = sum((weight * c for weight, c in weighted), Fraction(0))
    return numerator / sum(weight for weight, _c in weighted), None


def _rolling_means(values: Sequence[Fraction | None], width: int, min_hours: int) -> list[Fraction | None]:
    if isinstance(min_hours, bool) or not isinstance(min_hours, int) or not 1 <= min_hours <= width:
        raise AqiInputError(
            f"The minimum hours of a {width}-hour mean must be 1 to {width}, not {min_hours!r}."
        )
    means: list[Fraction | None] = []
    for end in range(width, len(values) + 1):
        present = [value for value in values[end - width : end] if value is not None]
        means.append(sum(present, Fraction(0)) / len(present) if len(present) >= min_hours else None)
    return means


def _pollutant_index(
    pollutant: Pollutant,
    basis: Basis,
    hours: int | None,
    reason: Reason | None,
    parts: Sequence[SubIndex],
    notes: Iterable[Note] = (),
) -> PollutantIndex:
    if not parts:
        return PollutantIndex(pollutant, basis, None, None, None, hours, reason or Reason.NO_VALUE)
    governing = max(parts, key=lambda part: part.exact)
    all_notes = tuple(notes) + ((Note.ABOVE_SCALE,) if governing.above_scale else ())
    return PollutantIndex(
        pollutant,
        basis,
        governing.concentration,
        governing.exact,
        governing.value,
        hours,
        None,
        tuple(parts),
        all_notes,
    )


def _combine(period: Period, indices: Sequence[PollutantIndex]) -> AqiResult:
    order = list(Pollutant)  # ties on the exact value go to the first pollutant of this order
    by_pollutant = {
        index.pollutant: index for index in sorted(indices, key=lambda index: order.index(index.pollutant))
    }
    present = [index for index in by_pollutant.values() if index.value is not None]
    if not any(index.pollutant in PARTICULATES for index in present):
        return AqiResult(period, None, None, None, by_pollutant, Reason.NO_PARTICULATE)
    dominant = max(present, key=lambda index: (index.exact or 0.0, -order.index(index.pollutant)))
    value = dominant.value or 0  # present only holds indices with a value
    return AqiResult(period, value, band_for(value), dominant.pollutant, by_pollutant)
