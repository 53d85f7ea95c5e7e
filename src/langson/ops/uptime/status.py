"""What the public status page and its JSON show: the public, active systems' current state, their last
``DAYS`` days of availability, and their open and recent incidents. Nothing else (no addresses, owners'
people, errors' details)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from langson.ops.models import Incident, MonitoredSystem
from langson.ops.uptime import availability
from langson.ops.uptime.availability import DayFigure

DAYS = 90
RECENT_INCIDENT_DAYS = 14


@dataclass(frozen=True)
class PublicSystem:
    system: MonitoredSystem
    days: list[DayFigure]
    availability: float | None  # over the DAYS days

    @property
    def code(self) -> str:
        return str(self.system.code)


@dataclass(frozen=True)
class StatusBoard:
    at: datetime
    systems: list[PublicSystem]
    open_incidents: list[Incident]
    recent_incidents: list[Incident]

    @property
    def all_up(self) -> bool:
        return all(s.system.state in ("up", "degraded") for s in self.systems)


def board(now: datetime | None = None) -> StatusBoard:
    now = now or timezone.now()
    systems = list(MonitoredSystem.objects.filter(public=True, active=True).select_related("owner"))
    today = timezone.localdate(now)
    figures = availability.daily(systems, today - timedelta(days=DAYS - 1), today, now)
    public = [PublicSystem(s, figures[s.pk], availability.combined(figures[s.pk])) for s in systems]
    incidents = Incident.objects.filter(system__in=systems).select_related("system")
    since = now - timedelta(days=RECENT_INCIDENT_DAYS)
    return StatusBoard(
        at=now,
        systems=public,
        open_incidents=list(incidents.filter(ended_at__isnull=True).order_by("-started_at")),
        recent_incidents=list(incidents.filter(Q(ended_at__gte=since)).order_by("-started_at")[:50]),
    )
