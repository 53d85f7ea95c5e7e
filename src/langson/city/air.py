"""Air quality of the city's stations: hourly and daily VN_AQI from stored readings, who sees which station,
and the IOC alert when a station's hourly index goes above 150.

The formulas are those of ``city.aqi`` (Decision 1459/QĐ-TCMT), called, never copied. This module only turns
the stations' readings into the hourly averages the decision starts from:

- **An hour's average** of a pollutant is the mean of the station's readings with ``observed_at`` in the clock
  hour [h, h + 1 h), labelled, as in the decision, by the hour at which it *ends* (h + 1 h: "the hour ending
  01:00" runs from 00:00 to 01:00). It is valid only when the station reported in at least ``MIN_QUARTERS``
  of the hour's four quarters (75 %, the data-capture rule ``aqi.py`` already applies to days and 8-hour
  windows); an hour with too little data is missing (None), not guessed. Negative concentrations are left out
  (they fail QA/QC; ``aqi.py`` refuses them).
- **The hourly index** (AQI^h) at a moment is that of the last *complete* hour: the hour ending at the last
  full o'clock, with the 12 hours up to it for the NowCast of PM10 / PM2.5. The current, unfinished hour is
  not used: its average would change until it ends.
- **The daily index** (AQI^d) of a local day uses its 24 hours ending 01:00 … 00:00 the next day, plus the day
  before for the O3 8-hour means; it is shown for the last complete day (yesterday).

Attributes: the FIWARE AirQualityObserved names in either spelling (``pm25`` / ``PM2.5``, ``pm10``, ``o3``,
``no2``, ``so2``, ``co``), all in µg/m³. A station reporting CO in mg/m³ says so in its registry attributes,
``{"unitCode": {"co": "GP"}}`` (UN/CEFACT GP = mg/m³, GQ = µg/m³), and its CO is multiplied by 1000.

**Who sees which station** (``visible_stations``): officers of the province, of a department (Sở, ban,
ngành) or of a unit under one see every station: air quality concerns the whole province and the environment
department runs the network. An officer of a commune or ward (or of a unit located in one, such as its
one-stop centre or a border gate) sees the stations in that commune and those owned by their unit.
Citizens and businesses have no access to this page (the public figures are published by the IOC).

**The alert** (``evaluate_alerts``, every 10 minutes from the worker): a station whose hourly VN_AQI is above
150 (bands "Xấu" and worse) raises the event ``aqi.high`` keyed by the station's device id, for the
station's commune (``unit_code`` = commune code, as the city's other device alerts in ``city.rules``: the
commune warns its residents; the province and the IOC see every commune's alerts); severity
"warning" up to 200, "critical" above (bands "Rất xấu" and "Nguy hại"). The IOC keeps one live alert per
station, so repeating the event while the index stays high changes nothing. When the index is back at 150 or
below, the event is cleared. A station without a current index (offline, too few hours) is left as it is:
missing data neither raises nor ends an alert (device offline is a separate matter).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final

from django.db.models import Avg, Case, Count, IntegerField, Max, Q, QuerySet, Value, When
from django.db.models.functions import ExtractMinute, TruncHour
from django.db.models.lookups import LessThan
from django.utils import timezone

from langson.city import aqi
from langson.city.models import Device, Reading
from langson.city.sun import VIETNAM_TZ
from langson.core import contract
from langson.core.models import OrgUnit, scope_path_of

HOUR: Final = timedelta(hours=1)
MIN_QUARTERS: Final = 3
ALERT_KIND: Final = "aqi.high"
ALERT_ABOVE: Final = 150
CRITICAL_ABOVE: Final = 200

# Attribute → pollutant, the FIWARE lower-case names first (what the simulator and most stations send).
POLLUTANT_ATTRIBUTES: Final[Mapping[str, aqi.Pollutant]] = {
    "pm25": aqi.Pollutant.PM25,
    "pm10": aqi.Pollutant.PM10,
    "o3": aqi.Pollutant.O3,
    "no2": aqi.Pollutant.NO2,
    "so2": aqi.Pollutant.SO2,
    "co": aqi.Pollutant.CO,
    "PM2.5": aqi.Pollutant.PM25,
    "PM10": aqi.Pollutant.PM10,
    "O3": aqi.Pollutant.O3,
    "NO2": aqi.Pollutant.NO2,
    "SO2": aqi.Pollutant.SO2,
    "CO": aqi.Pollutant.CO,
}
MG_PER_M3: Final = "GP"


@dataclass(frozen=True)
class HourStat:
    mean: float
    count: int
    quarters: int  # quarters of the hour (0–15, 15–30, 30–45, 45–60 min) with at least one reading

    @property
    def valid(self) -> bool:
        return self.quarters >= MIN_QUARTERS


def hour_start(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=VIETNAM_TZ).astimezone(UTC)


def _quarters_covered() -> Count:
    """COUNT(DISTINCT quarter of the hour) of the readings: 0 for minutes 0–14, 1 for 15–29, …"""
    minute = ExtractMinute("observed_at")
    quarter = Case(
        When(LessThan(minute, 15), then=Value(0)),
        When(LessThan(minute, 30), then=Value(1)),
        When(LessThan(minute, 45), then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return Count(quarter, distinct=True)


def hourly_stats(
    device_ids: Iterable[str], attributes: Iterable[str], start: datetime, end: datetime
) -> dict[tuple[str, str], dict[datetime, HourStat]]:
    """(device, attribute) → {start of the clock hour (UTC): mean, count, quarters covered} in [start, end).

    One grouped query, computed by the database (SQLite and PostgreSQL alike); negative values are left out.
    """
    rows = (
        Reading.objects.filter(
            device_id__in=list(device_ids),
            attribute__in=list(attributes),
            observed_at__gte=start,
            observed_at__lt=end,
            value__isnull=False,
            value__gte=0,
        )
        .annotate(hour=TruncHour("observed_at", tzinfo=UTC))
        .order_by()
        .values("device_id", "attribute", "hour")
        .annotate(
            mean=Avg("value"),
            n=Count("id"),
            quarters=_quarters_covered(),
        )
    )
    stats: dict[tuple[str, str], dict[datetime, HourStat]] = defaultdict(dict)
    for row in rows:
        stats[row["device_id"], row["attribute"]][row["hour"].astimezone(UTC)] = HourStat(
            float(row["mean"]), int(row["n"]), int(row["quarters"])
        )
    return dict(stats)


def station_hours(
    station: Device, stats: Mapping[tuple[str, str], Mapping[datetime, HourStat]]
) -> dict[aqi.Pollutant, dict[datetime, float]]:
    """A station's valid hourly averages per pollutant in µg/m³, keyed by the hour's start (UTC).

    When a station sends one pollutant under two spellings, the first of ``POLLUTANT_ATTRIBUTES`` with data
    wins (the two are never mixed within one pollutant).
    """
    units = (station.attributes or {}).get("unitCode") or {}
    found: dict[aqi.Pollutant, dict[datetime, float]] = {}
    for attribute, pollutant in POLLUTANT_ATTRIBUTES.items():
        hours = stats.get((station.device_id, attribute))
        if pollutant in found or not hours:
            continue
        factor = 1000.0 if isinstance(units, dict) and units.get(attribute) == MG_PER_M3 else 1.0
        found[pollutant] = {h: s.mean * factor for h, s in hours.items() if s.valid}
    return found


def _series(hours: Mapping[datetime, float], first: datetime, count: int) -> list[float | None]:
    return [hours.get(first + i * HOUR) for i in range(count)]


def hourly_index(
    hours: Mapping[aqi.Pollutant, Mapping[datetime, float]], hour_end: datetime
) -> aqi.AqiResult:
    """AQI^h of the hour ending at ``hour_end`` (an o'clock), from the 12 hours up to it."""
    first = hour_start(hour_end) - aqi.NOWCAST_HOURS * HOUR
    readings: dict[aqi.Pollutant | str, Sequence[float | None]] = {
        p: _series(h, first, aqi.NOWCAST_HOURS) for p, h in hours.items()
    }
    return aqi.hourly_aqi(readings)


def daily_index(hours: Mapping[aqi.Pollutant, Mapping[datetime, float]], day: date) -> aqi.AqiResult:
    """AQI^d of the local ``day``: its hours ending 01:00 … 00:00, the day before for O3's 8-hour means."""
    start = local_midnight(day)
    today: dict[aqi.Pollutant | str, Sequence[float | None]] = {
        p: _series(h, start, aqi.HOURS_PER_DAY) for p, h in hours.items()
    }
    before: dict[aqi.Pollutant | str, Sequence[float | None]] = {
        p: _series(h, start - aqi.HOURS_PER_DAY * HOUR, aqi.HOURS_PER_DAY) for p, h in hours.items()
    }
    return aqi.daily_aqi(today, previous_day=before)


def text_colour(rgb: tuple[int, int, int]) -> str:
    """Black or white, whichever contrasts more with the background (WCAG 2 relative luminance)."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in rgb)
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return "#000000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#FFFFFF"


NO_INDEX_FILL: Final = "#BDBDBD"


def band_style(result: aqi.AqiResult) -> dict[str, str]:
    """The official colour of the result's band (Decision 1459, Table 1) and a readable text colour on it."""
    if result.band is None:
        return {"fill": NO_INDEX_FILL, "text": "#000000"}
    return {"fill": result.band.hex, "text": text_colour(result.band.rgb)}


@dataclass(frozen=True)
class StationAir:
    station: Device
    hour_end: datetime  # the hourly index is that of the hour ending here
    hourly: aqi.AqiResult
    day: date
    daily: aqi.AqiResult
    last_reading_at: datetime | None

    @property
    def hourly_style(self) -> dict[str, str]:
        return band_style(self.hourly)

    @property
    def daily_style(self) -> dict[str, str]:
        return band_style(self.daily)


def stations() -> QuerySet[Device]:
    return Device.objects.filter(type=Device.Type.AIR_QUALITY, active=True).select_related("commune", "owner")


def station_air(found: Sequence[Device], now: datetime | None = None) -> list[StationAir]:
    """Hourly index now and daily index of yesterday for each station, from one query for all of them."""
    now = now or timezone.now()
    hour_end = hour_start(now)
    yesterday = now.astimezone(VIETNAM_TZ).date() - timedelta(days=1)
    start = min(local_midnight(yesterday - timedelta(days=1)), hour_end - aqi.NOWCAST_HOURS * HOUR)
    ids = [s.device_id for s in found]
    stats = hourly_stats(ids, POLLUTANT_ATTRIBUTES, start, hour_end)
    last = dict(
        Reading.objects.filter(device_id__in=ids, attribute__in=list(POLLUTANT_ATTRIBUTES))
        .order_by()
        .values("device_id")
        .annotate(at=Max("observed_at"))
        .values_list("device_id", "at")
    )
    result = []
    for station in found:
        hours = station_hours(station, stats)
        result.append(
            StationAir(
                station=station,
                hour_end=hour_end,
                hourly=hourly_index(hours, hour_end),
                day=yesterday,
                daily=daily_index(hours, yesterday),
                last_reading_at=last.get(station.device_id),
            )
        )
    return result


# --- who sees which station ----------------------------------------------------------------------------


def may_view(user: Any) -> bool:
    """Officials (any internal role with a unit) and administrators; never citizens or businesses."""
    return scope_path_of(user) is not None


def commune_of(unit: OrgUnit | None) -> OrgUnit | None:
    """The commune or ward a unit belongs to: itself, the commune it sits in, or that of a unit above it."""
    seen = 0
    while unit is not None and seen < 20:  # the tree is shallow; the bound only guards against a cycle
        if unit.is_commune:
            return unit
        if unit.commune_id is not None:
            return unit.commune
        unit = unit.parent
        seen += 1
    return None


def visible_stations(user: Any) -> QuerySet[Device]:
    scope = scope_path_of(user)
    if scope is None:
        return Device.objects.none()
    if scope == "":
        return stations()
    commune = commune_of(getattr(user, "org_unit", None))
    if commune is None:
        return stations()  # province, departments and their units
    return stations().filter(Q(commune__path__startswith=commune.path) | Q(owner__path__startswith=scope))


def is_commune_scoped(user: Any) -> bool:
    scope = scope_path_of(user)
    return scope not in (None, "") and commune_of(getattr(user, "org_unit", None)) is not None


# --- the alert -----------------------------------------------------------------------------------------


def alert_title(station: Device, result: aqi.AqiResult, hour_end: datetime) -> str:
    band = result.band
    local = hour_end.astimezone(VIETNAM_TZ)
    return (
        f"VN_AQI giờ {result.value} ({band.name if band else ''}) tại {station.name}, "
        f"{station.commune.name}, giờ kết thúc {local:%H:%M %d/%m/%Y} (ngưỡng {ALERT_ABOVE})"
    )


def evaluate_alerts(now: datetime | None = None) -> dict[str, int]:
    """Raise ``aqi.high`` for each station above 150, clear it for each at or below; see the docstring."""
    counts = {"stations": 0, "high": 0, "cleared": 0, "unknown": 0}
    for air in station_air(list(stations()), now):
        counts["stations"] += 1
        value = air.hourly.value
        station = air.station
        if value is None:
            counts["unknown"] += 1
        elif value > ALERT_ABOVE:
            contract.emit(
                "city",
                ALERT_KIND,
                alert_title(station, air.hourly, air.hour_end),
                unit_code=station.commune.code,
                severity="critical" if value > CRITICAL_ABOVE else "warning",
                key=station.device_id,
                aqi=value,
                dominant=str(air.hourly.dominant or ""),
                commune=station.commune.code,
                hour_end=air.hour_end.isoformat(),
            )
            counts["high"] += 1
        else:
            contract.clear("city", ALERT_KIND, key=station.device_id, reason=f"VN_AQI {value}")
            counts["cleared"] += 1
    return counts
