"""Parking: how full each car park is now, and how full it will likely be in an hour.

A lot is a ``OffStreetParking`` device. Its occupancy comes from one of two sources (FIWARE Smart Data Models,
dataModel.Parking):

- **its spots** (``source = "spots"``): ``ParkingSpot`` devices whose ``parent`` is the lot, each reporting
  ``status`` = ``free`` | ``occupied`` | ``closed`` | ``unknown``. A spot counts only while it is in contact:
  when its last report (the newer of its last contact and its last ``status``) is older than its own
  ``offline_after_s``, it is *unknown*, never free, so a dead sensor is not offered to drivers as a space.
  Free spaces are the spots known to be free; the occupancy is occupied / (occupied + free), over the spots
  whose state is known.
- **its own counter** (``source = "counter"``): a lot with a barrier or camera counter reports
  ``availableSpotNumber`` (or ``occupiedSpotNumber``, or ``occupancy`` from 0 to 1) itself; the capacity
  is ``totalSpotNumber`` of its static ``attributes``. A counter older than the lot's ``offline_after_s`` is
  stale.

A lot with spot sensors uses them whenever one of them is known; otherwise its counter, if fresh; otherwise
nothing is known (``source = "none"``): free spaces and occupancy are None, shown as "no data", never as 0.

The capacity is ``totalSpotNumber`` when the registry gives a positive integer, else the number of the lot's
spot sensors. The time zone of every hour and weekday is Vietnam's.

**The next-hour forecast** (``forecast_next_hour``, pure): the lot's hourly mean occupancy in the same
hours of the week over the last ``HISTORY_WEEKS`` weeks (from its own readings in ``Reading``: the same
source as its current figure) gives a *profile*, the usual occupancy of each hour of the week (Wednesday
08:00–09:00, …). Then

    forecast = profile(hour of week in one hour) + PERSISTENCE × (current − profile(hour of week now))

i.e. "what usually happens here at that hour, corrected by how far from usual the lot is right now, half of
the gap still there an hour later". Why this model: a car park's demand repeats by hour and weekday (office
mornings, market days, evenings), which the profile captures from the lot's own past; today's surprise
(an event, rain, a holiday) mostly lasts, which the correction keeps; it can be explained to a citizen in one
sentence, checked by hand, and needs no training beyond averages. ``PERSISTENCE`` = 0.5 is a conservative
middle between "the gap vanishes" (0) and "the gap stays" (1); nothing here has the data to fit it yet.

With fewer than ``MIN_WEEKS`` past weeks behind either hour of the week (a new lot, a sensor that was down),
the profile is not trusted and the forecast falls back to the current level plus half of the change over the
last hour (``basis = "current"``); with no current level either, there is no forecast (``basis = "none"``).
The API and the page say which basis each forecast has.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from django.core.cache import cache
from django.db.models import Avg, Case, FloatField, Q, QuerySet, Value, When
from django.db.models.functions import TruncHour
from django.utils import timezone

from langson.city.models import Device, LatestValue, Reading
from langson.city.sun import VIETNAM_TZ

HISTORY_WEEKS: Final = 4
MIN_WEEKS: Final = 2
PERSISTENCE: Final = 0.5
ALMOST_FULL: Final = 0.9  # FIWARE OffStreetParking status "almostFull" from this occupancy on
HOUR: Final = timedelta(hours=1)

SPOT_STATUSES: Final = ("free", "occupied", "closed", "unknown")
COUNTER_ATTRIBUTES: Final = ("availableSpotNumber", "occupiedSpotNumber", "occupancy")


class Basis:
    HISTORY = "history"
    CURRENT = "current"
    NONE = "none"


class Source:
    SPOTS = "spots"
    COUNTER = "counter"
    NONE = "none"


@dataclass(frozen=True)
class Forecast:
    at: datetime  # the moment forecast: now + 1 hour
    occupancy: float | None  # 0..1
    basis: str  # Basis.*
    weeks: int  # past weeks behind the profile of both hours of the week (0 unless basis is history)

    @property
    def occupancy_pct(self) -> float | None:
        return None if self.occupancy is None else round(100 * self.occupancy, 1)

    def free(self, capacity: int | None) -> int | None:
        if self.occupancy is None or capacity is None:
            return None
        return max(0, round(capacity * (1 - self.occupancy)))


@dataclass(frozen=True)
class LotOccupancy:
    lot_id: str
    name: str
    commune_code: str
    commune_name: str
    latitude: float
    longitude: float
    capacity: int | None
    free: int | None
    occupied: int | None
    unknown: int  # spot sensors without a current state (offline, never reported, "unknown")
    closed: int  # spots reported "closed"
    occupancy: float | None  # 0..1
    source: str  # Source.*
    updated_at: datetime | None  # the newest observation behind the figures
    forecast: Forecast

    @property
    def occupancy_pct(self) -> float | None:
        return None if self.occupancy is None else round(100 * self.occupancy, 1)

    @property
    def forecast_free(self) -> int | None:
        return self.forecast.free(self.capacity)

    @property
    def status(self) -> str:
        """FIWARE OffStreetParking ``status``, as far as occupancy tells it."""
        if self.occupancy is None:
            return "unknown"
        if self.free == 0 or self.occupancy >= 1:
            return "full"
        if self.occupancy >= ALMOST_FULL:
            return "almostFull"
        return "spacesAvailable"


# --- the forecast: pure ------------------------------------------------------------------------------


def hour_start(moment: datetime) -> datetime:
    """The start of the clock hour holding ``moment``, in UTC (Vietnam has no half-hour offset or DST)."""
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def forecast_hours(now: datetime) -> list[datetime]:
    """The only past hours the forecast reads: the hour before this one (the trend), and this hour and the
    next one of the week in each of the last ``HISTORY_WEEKS`` weeks (the profile). Reading 9 hours instead
    of 4 weeks keeps the public page cheap when sensors report every few seconds."""
    this_hour = hour_start(now)
    hours = {this_hour - HOUR}
    for weeks in range(1, HISTORY_WEEKS + 1):
        hours |= {this_hour - timedelta(weeks=weeks), this_hour + HOUR - timedelta(weeks=weeks)}
    return sorted(hours)


def hour_of_week(moment: datetime) -> tuple[int, int]:
    local = moment.astimezone(VIETNAM_TZ)
    return local.weekday(), local.hour


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


def forecast_next_hour(history: Mapping[datetime, float], current: float | None, now: datetime) -> Forecast:
    """The occupancy expected one hour after ``now`` (see the module's docstring for the model).

    ``history`` maps the start of each past clock hour (aware) to the lot's mean occupancy (0..1) in that
    hour; hours without data are simply absent. Only hours before the current one are used. ``current`` is the
    occupancy now (0..1) or None.
    """
    this_hour = hour_start(now)
    target = now + HOUR
    past = {hour_start(h): v for h, v in history.items() if hour_start(h) < this_hour}
    slots: dict[tuple[int, int], list[float]] = defaultdict(list)
    for start, value in past.items():
        slots[hour_of_week(start)].append(value)
    later, now_slot = slots.get(hour_of_week(target), []), slots.get(hour_of_week(now), [])
    weeks = min(len(later), len(now_slot))
    if weeks >= MIN_WEEKS:
        usual_later = sum(later) / len(later)
        usual_now = sum(now_slot) / len(now_slot)
        gap = 0.0 if current is None else current - usual_now
        return Forecast(target, _clamp(usual_later + PERSISTENCE * gap), Basis.HISTORY, weeks)
    if current is None:
        return Forecast(target, None, Basis.NONE, 0)
    previous = past.get(this_hour - HOUR)
    trend = 0.0 if previous is None else current - previous
    return Forecast(target, _clamp(current + PERSISTENCE * trend), Basis.CURRENT, 0)


# --- reading the registry and the telemetry ----------------------------------------------------------


def lots() -> QuerySet[Device]:
    return Device.objects.filter(type=Device.Type.PARKING_LOT, active=True).select_related("commune")


def capacity_of(lot: Device, spot_count: int) -> int | None:
    total = (lot.attributes or {}).get("totalSpotNumber")
    if isinstance(total, int | float) and not isinstance(total, bool) and total > 0 and total == int(total):
        return int(total)
    return spot_count or None


def _fresh(device: Device, observed_at: datetime | None, now: datetime) -> bool:
    contacts = [t for t in (device.last_seen_at, observed_at) if t is not None]
    return bool(contacts) and (now - max(contacts)).total_seconds() <= device.offline_after_s


@dataclass(frozen=True)
class _Current:
    source: str
    capacity: int | None
    free: int | None
    occupied: int | None
    unknown: int
    closed: int
    occupancy: float | None
    updated_at: datetime | None
    counter_attribute: str | None = None


def _from_spots(
    lot: Device, spots: Sequence[Device], statuses: Mapping[str, LatestValue], now: datetime
) -> _Current:
    free = occupied = unknown = closed = 0
    newest: datetime | None = None
    for spot in spots:
        latest = statuses.get(spot.device_id)
        state = latest.text.strip().lower() if latest is not None else ""
        if latest is None or not _fresh(spot, latest.observed_at, now) or state not in SPOT_STATUSES[:3]:
            unknown += 1
            continue
        newest = latest.observed_at if newest is None else max(newest, latest.observed_at)
        if state == "free":
            free += 1
        elif state == "occupied":
            occupied += 1
        else:
            closed += 1
    capacity = capacity_of(lot, len(spots))
    known = free + occupied
    if not known:
        return _Current(Source.NONE, capacity, None, None, unknown, closed, None, None)
    return _Current(Source.SPOTS, capacity, free, occupied, unknown, closed, occupied / known, newest)


def _from_counter(
    lot: Device, values: Mapping[str, LatestValue], spot_count: int, now: datetime
) -> _Current | None:
    capacity = capacity_of(lot, spot_count)
    for attribute in COUNTER_ATTRIBUTES:
        latest = values.get(attribute)
        if latest is None or latest.value is None or not _fresh(lot, latest.observed_at, now):
            continue
        number = float(latest.value)
        if attribute == "occupancy":
            occupancy = _clamp(number)
            if capacity is None:
                return _Current(
                    Source.COUNTER, None, None, None, 0, 0, occupancy, latest.observed_at, attribute
                )
            occupied = round(occupancy * capacity)
        else:
            if capacity is None:
                continue  # a count without the lot's size says nothing about how full it is
            count = min(capacity, max(0, round(number)))
            occupied = count if attribute == "occupiedSpotNumber" else capacity - count
        return _Current(
            Source.COUNTER,
            capacity,
            capacity - occupied,
            occupied,
            0,
            0,
            occupied / capacity,
            latest.observed_at,
            attribute,
        )
    return None


def _history(
    lot: Device,
    spots: Sequence[Device],
    current: _Current,
    counter_attributes: Iterable[str],
    when: Q,
) -> dict[datetime, float]:
    """Hourly mean occupancy (0..1) of the lot in the hours ``when`` selects, from the same source as its
    current figure.

    Spots: the share of "occupied" among the spots' free/occupied reports of each hour (sensors report
    periodically; one reporting only on change would weigh less). Counter: the hour's mean of the attribute.
    """
    source = current.source
    if source == Source.NONE:
        source = Source.SPOTS if spots else Source.COUNTER
    if source == Source.SPOTS:
        if not spots:
            return {}
        shares = (
            Reading.objects.filter(
                device_id__in=[spot.device_id for spot in spots],
                attribute="status",
            )
            .filter(when)
            .filter(Q(text__iexact="free") | Q(text__iexact="occupied"))
            .annotate(hour=TruncHour("observed_at", tzinfo=UTC))
            .order_by()
            .values("hour")
            .annotate(
                share=Avg(
                    Case(When(text__iexact="occupied", then=Value(1.0)), default=Value(0.0)),
                    output_field=FloatField(),
                )
            )
        )
        return {row["hour"].astimezone(UTC): float(row["share"]) for row in shares}
    attribute = current.counter_attribute or next(iter(counter_attributes), None)
    capacity = current.capacity
    if attribute is None or (attribute != "occupancy" and not capacity):
        return {}
    rows = (
        Reading.objects.filter(
            device_id=lot.device_id,
            attribute=attribute,
            value__isnull=False,
        )
        .filter(when)
        .annotate(hour=TruncHour("observed_at", tzinfo=UTC))
        .order_by()
        .values("hour")
        .annotate(mean=Avg("value"))
    )
    history = {}
    for row in rows:
        mean = float(row["mean"])
        if attribute == "occupancy":
            share = mean
        elif attribute == "occupiedSpotNumber":
            share = mean / float(capacity or 1)
        else:
            share = (float(capacity or 0) - mean) / float(capacity or 1)
        history[row["hour"].astimezone(UTC)] = _clamp(share)
    return history


def hourly_history(
    lot: Device, start: datetime, end: datetime, now: datetime | None = None
) -> dict[datetime, float]:
    """The lot's hourly mean occupancy in [start, end), keyed by the hour's start (UTC)."""
    now = now or timezone.now()
    return _occupancy_of(lot, now, Q(observed_at__gte=start, observed_at__lt=end))[1]


def _occupancy_of(
    lot: Device, now: datetime, when: Q | None = None
) -> tuple[_Current, dict[datetime, float]]:
    """The lot's figures now and its hourly history in the hours ``when`` selects (default: the hours the
    forecast needs, ``forecast_hours``)."""
    spots = list(Device.objects.filter(parent=lot, type=Device.Type.PARKING_SPOT, active=True))
    statuses = {
        v.device_id: v
        for v in LatestValue.objects.filter(device_id__in=[s.device_id for s in spots], attribute="status")
    }
    counters = {
        v.attribute: v
        for v in LatestValue.objects.filter(device_id=lot.device_id, attribute__in=COUNTER_ATTRIBUTES)
    }
    current = _current(lot, spots, statuses, counters, now)
    if when is None:
        when = Q()
        for hour in forecast_hours(now):
            when |= Q(observed_at__gte=hour, observed_at__lt=hour + HOUR)
    ordered = [a for a in COUNTER_ATTRIBUTES if a in counters]
    return current, _history(lot, spots, current, ordered, when)


def _current(
    lot: Device,
    spots: Sequence[Device],
    statuses: Mapping[str, LatestValue],
    counters: Mapping[str, LatestValue],
    now: datetime,
) -> _Current:
    from_spots = _from_spots(lot, spots, statuses, now) if spots else None
    if from_spots is not None and from_spots.source == Source.SPOTS:
        return from_spots
    from_counter = _from_counter(lot, counters, len(spots), now)
    if from_counter is not None:
        return from_counter
    if from_spots is not None:
        return from_spots
    return _Current(Source.NONE, capacity_of(lot, 0), None, None, 0, 0, None, None)


def occupancy(lot: Device, now: datetime | None = None) -> LotOccupancy:
    """The lot's figures now and its next-hour forecast."""
    now = now or timezone.now()
    current, history = _occupancy_of(lot, now)
    forecast = forecast_next_hour(history, current.occupancy, now)
    return LotOccupancy(
        lot_id=lot.device_id,
        name=lot.name,
        commune_code=lot.commune.code,
        commune_name=lot.commune.name,
        latitude=lot.latitude,
        longitude=lot.longitude,
        capacity=current.capacity,
        free=current.free,
        occupied=current.occupied,
        unknown=current.unknown,
        closed=current.closed,
        occupancy=current.occupancy,
        source=current.source,
        updated_at=current.updated_at,
        forecast=forecast,
    )


def all_lots(commune: str | None = None, now: datetime | None = None) -> list[LotOccupancy]:
    """Every active lot (of one commune when its code is given), by commune then name."""
    now = now or timezone.now()
    queryset = lots()
    if commune:
        queryset = queryset.filter(commune__code=commune)
    found = [occupancy(lot, now) for lot in queryset.order_by("commune__name", "name", "device_id")]
    return found


PUBLIC_CACHE_SECONDS: Final = 30
PUBLIC_CACHE_KEY: Final = "city:parking:public-lots"


def public_lots(commune: str | None = None) -> tuple[datetime, list[LotOccupancy]]:
    """``all_lots`` for the public page and API, computed at most every 30 seconds: (computed at, lots)."""
    found = cache.get(PUBLIC_CACHE_KEY)
    if found is None:
        now = timezone.now()
        found = (now, all_lots(now=now))
        cache.set(PUBLIC_CACHE_KEY, found, PUBLIC_CACHE_SECONDS)
    at, every = found
    return at, [lot for lot in every if not commune or lot.commune_code == commune]


def lot_by_id(lot_id: str, now: datetime | None = None) -> LotOccupancy | None:
    lot = lots().filter(device_id=lot_id).first()
    return None if lot is None else occupancy(lot, now)


def as_public_dict(lot: LotOccupancy) -> dict[str, Any]:
    """What citizens may see of a lot: no spot ids, no secrets, no owner."""
    return {
        "lot_id": lot.lot_id,
        "name": lot.name,
        "commune_code": lot.commune_code,
        "commune_name": lot.commune_name,
        "latitude": lot.latitude,
        "longitude": lot.longitude,
        "capacity": lot.capacity,
        "free": lot.free,
        "occupied": lot.occupied,
        "unknown": lot.unknown,
        "occupancy_pct": lot.occupancy_pct,
        "status": lot.status,
        "source": lot.source,
        "updated_at": lot.updated_at,
        "forecast_at": lot.forecast.at,
        "forecast_occupancy_pct": lot.forecast.occupancy_pct,
        "forecast_free": lot.forecast_free,
        "forecast_basis": lot.forecast.basis,
        "forecast_weeks": lot.forecast.weeks,
    }
