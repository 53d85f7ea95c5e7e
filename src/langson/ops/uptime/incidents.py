"""What an outage is (decision 0013), and its IOC alert ``uptime.down``.

A round *fails* when no address family answered (a system reachable over IPv4 only is up for its users;
its IPv6 gap shows as "not IPv6-ready", not as downtime). After ``LANGSON_UPTIME_FAILURES_TO_OPEN``
consecutive failed rounds (2 by default, so one lost packet is not an outage) an incident opens, dated
from the first failed round of the run; the first round that answers again ends it. While it is open no
other incident can open (a database constraint), so a flapping system gives one incident per outage and
one alert, raised at the start and cleared at the end.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from langson.core.contract import clear, emit
from langson.ops.models import Incident, MonitoredSystem
from langson.ops.uptime.probes import Round

ALERT_KIND = "uptime.down"


def open_incident(system: MonitoredSystem) -> Incident | None:
    return system.incidents.filter(ended_at__isnull=True).first()


def _raise(system: MonitoredSystem, incident: Incident) -> None:
    emit(
        "ops",
        ALERT_KIND,
        _("Hệ thống %(name)s bị gián đoạn") % {"name": system.name},
        unit_code=system.owner.code,
        severity="critical",
        key=system.code,
        started_at=incident.started_at.isoformat(),
        cause=incident.cause,
    )


def _end(system: MonitoredSystem, incident: Incident, at: datetime, reason: str) -> None:
    incident.ended_at = at
    incident.save(update_fields=["ended_at"])
    clear("ops", ALERT_KIND, key=system.code, reason=reason)


def _cause(result: Round) -> str:
    return "; ".join(
        f"IPv{p.family}: {p.detail}" if p.family else p.detail for p in result.probes if not p.ok
    )[:300]


@transaction.atomic
def apply_round(system: MonitoredSystem, result: Round, at: datetime) -> None:
    """Update the streak and state of ``system`` from a round at ``at``; open or end its incident."""
    incident = open_incident(system)
    if result.ok:
        system.failure_streak = 0
        system.failing_since = None
        if incident is not None:
            _end(system, incident, at, "recovered")
            incident = None
        state = MonitoredSystem.State.UP
        if any(not p.ok for p in result.probes):
            state = MonitoredSystem.State.DEGRADED
    else:
        system.failure_streak += 1
        system.failing_since = system.failing_since or at
        if incident is None and system.failure_streak >= settings.LANGSON_UPTIME_FAILURES_TO_OPEN:
            incident = Incident.objects.create(
                system=system, started_at=system.failing_since, cause=_cause(result)
            )
            _raise(system, incident)
        # A failure not yet confirmed keeps the state shown so far.
        state = MonitoredSystem.State.DOWN if incident is not None else MonitoredSystem.State(system.state)
    if state != system.state:
        system.state = state
        system.state_since = incident.started_at if incident is not None else at


def retire(system: MonitoredSystem, at: datetime) -> None:
    """A system no longer checked (deactivated): its open incident ends where monitoring stopped, its alerts
    are cleared, its state is unknown again."""
    from langson.ops.uptime.tls import follow_level

    with transaction.atomic():
        incident = open_incident(system)
        if incident is not None:
            _end(system, incident, max(at, incident.started_at), "monitoring stopped")
        follow_level(system, "", at)
        system.state = MonitoredSystem.State.UNKNOWN
        system.state_since = at
        system.failure_streak = 0
        system.failing_since = None
        system.next_check_at = None
        system.save(update_fields=list(MonitoredSystem.MONITOR_FIELDS))
