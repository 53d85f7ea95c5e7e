"""Availability (tỷ lệ sẵn sàng), time-weighted (decision 0013): for a local day (Asia/Ho_Chi_Minh),

    availability = 1 − downtime / monitored time

where *monitored time* is the part of the day from the system's first round (``monitored_since``) to the
day's end (or now, for today), counted only on days with at least one round, and *downtime* the part of it
covered by incidents (an open incident up to now). A month sums its days' seconds. Days without any round
have no figure ("no data"), never 100 %.

Complete days are rolled up (``DailyRollup``, kept for years) by ``roll_up``; raw checks are pruned after
``LANGSON_UPTIME_RAW_DAYS``. Figures read the rollups and compute the days not rolled up yet (today) live,
with the same function.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from langson.ops.models import Check, DailyRollup, Incident, MonitoredSystem

MINOR_OUTAGE_PERCENT = 99.0  # a day at or above this with some downtime is a "short outage" day


@dataclass(frozen=True)
class DayFigure:
    day: date
    checks: int
    failed_checks: int
    monitored_seconds: float
    down_seconds: float

    @property
    def availability(self) -> float | None:
        """Percent, or None without monitored time."""
        if self.monitored_seconds <= 0:
            return None
        up = max(0.0, self.monitored_seconds - self.down_seconds)
        return 100.0 * up / self.monitored_seconds

    @property
    def level(self) -> str:
        """For the day bars: none (no data), ok (no downtime), minor (≥ 99 %), major."""
        value = self.availability
        if value is None:
            return "none"
        if self.down_seconds <= 0:
            return "ok"
        return "minor" if value >= MINOR_OUTAGE_PERCENT else "major"


def day_bounds(day: date) -> tuple[datetime, datetime]:
    zone = timezone.get_default_timezone()
    start = timezone.make_aware(datetime.combine(day, time.min), zone)
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min), zone)
    return start, end


def _overlap(a: datetime, b: datetime, c: datetime, d: datetime) -> float:
    return max(0.0, (min(b, d) - max(a, c)).total_seconds())


def figure(
    system: MonitoredSystem,
    day: date,
    checks: int,
    failed: int,
    incidents: Iterable[Incident],
    now: datetime,
) -> DayFigure:
    """The day's figure from its round counts and the system's incidents (pure: no query)."""
    start, end = day_bounds(day)
    if checks == 0 or system.monitored_since is None:
        return DayFigure(day, checks, failed, 0.0, 0.0)
    span_start, span_end = max(start, system.monitored_since), min(end, now)
    monitored = _overlap(start, end, span_start, span_end)
    down = sum(_overlap(span_start, span_end, i.started_at, i.ended_at or now) for i in incidents)
    return DayFigure(day, checks, failed, monitored, min(down, monitored))


def _round_counts(
    system_ids: list[int], first: datetime, last: datetime
) -> dict[tuple[int, date], tuple[int, int]]:
    """(system, local day) → (rounds, failed rounds); a round is the checks of one system at one time."""
    rows = (
        Check.objects.filter(system_id__in=system_ids, at__gte=first, at__lt=last)
        .annotate(day=TruncDate("at", tzinfo=timezone.get_default_timezone()))
        .values("system_id", "day", "at")
        .annotate(total=Count("id"), good=Count("id", filter=Q(ok=True)))
        .order_by()
    )
    counts: dict[tuple[int, date], list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        entry = counts[(row["system_id"], row["day"])]
        entry[0] += 1
        entry[1] += row["good"] == 0
    return {key: (value[0], value[1]) for key, value in counts.items()}


def daily(
    systems: list[MonitoredSystem],
    first_day: date,
    last_day: date,
    now: datetime | None = None,
    rolled_up: bool = True,
) -> dict[int, list[DayFigure]]:
    """system id → its figure for every day from ``first_day`` to ``last_day`` (rollups, else live; only live
    with ``rolled_up=False``)."""
    now = now or timezone.now()
    ids = [s.pk for s in systems]
    days = [first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1)]
    rollups = DailyRollup.objects.filter(system_id__in=ids, day__gte=first_day, day__lte=last_day)
    rolled = {(r.system_id, r.day): r for r in rollups} if rolled_up else {}
    live_days = [d for d in days if any((sid, d) not in rolled for sid in ids)]
    counts: dict[tuple[int, date], tuple[int, int]] = {}
    by_system: dict[int, list[Incident]] = defaultdict(list)
    if live_days:
        first, _ = day_bounds(min(live_days))
        _, last = day_bounds(max(live_days))
        counts = _round_counts(ids, first, last)
        overlapping = Incident.objects.filter(system_id__in=ids, started_at__lt=last).filter(
            Q(ended_at__isnull=True) | Q(ended_at__gt=first)
        )
        for incident in overlapping:
            by_system[incident.system_id].append(incident)
    out: dict[int, list[DayFigure]] = {}
    for system in systems:
        figures = []
        for day in days:
            row = rolled.get((system.pk, day))
            if row is not None:
                figures.append(
                    DayFigure(day, row.checks, row.failed_checks, row.monitored_seconds, row.down_seconds)
                )
                continue
            total, failed = counts.get((system.pk, day), (0, 0))
            figures.append(figure(system, day, total, failed, by_system[system.pk], now))
        out[system.pk] = figures
    return out


def combined(figures: Iterable[DayFigure]) -> float | None:
    """Availability (%) of several days, or of several systems' days: their seconds summed."""
    monitored = down = 0.0
    for f in figures:
        monitored += f.monitored_seconds
        down += f.down_seconds
    if monitored <= 0:
        return None
    return 100.0 * max(0.0, monitored - down) / monitored


@dataclass(frozen=True)
class MonthFigure:
    month: date  # first day
    availability: float | None
    down_seconds: float


def monthly(figures: list[DayFigure]) -> list[MonthFigure]:
    """The months of a run of daily figures, oldest first."""
    months: dict[date, list[DayFigure]] = defaultdict(list)
    for f in figures:
        months[f.day.replace(day=1)].append(f)
    return [
        MonthFigure(month, combined(days), sum(d.down_seconds for d in days))
        for month, days in sorted(months.items())
    ]


def roll_up(now: datetime | None = None, days_back: int = 2) -> int:
    """Store the rollups of the last ``days_back`` complete days (recomputed, so a late incident edge is
    counted), then prune raw checks older than ``LANGSON_UPTIME_RAW_DAYS``. Idempotent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    systems = list(MonitoredSystem.objects.filter(monitored_since__isnull=False))
    stored = 0
    first_day = today - timedelta(days=days_back)
    last_day = today - timedelta(days=1)
    with transaction.atomic():
        # Recomputed from the raw checks, so an incident edge recorded late is counted. A day whose raw
        # checks are already pruned has no rounds here and keeps its stored row.
        for system_id, figures in daily(systems, first_day, last_day, now, rolled_up=False).items():
            for f in figures:
                if f.checks == 0:
                    continue
                DailyRollup.objects.update_or_create(
                    system_id=system_id,
                    day=f.day,
                    defaults={
                        "checks": f.checks,
                        "failed_checks": f.failed_checks,
                        "monitored_seconds": f.monitored_seconds,
                        "down_seconds": f.down_seconds,
                    },
                )
                stored += 1
    prune(now)
    return stored


def prune(now: datetime) -> int:
    cutoff = now - timedelta(days=settings.LANGSON_UPTIME_RAW_DAYS)
    deleted, _ = Check.objects.filter(at__lt=cutoff).delete()
    return deleted
