"""Which unit processes a hồ sơ, and which officer: by competence first, then by current load.

Competence: a province-level thủ tục goes to its agency. A commune-level one goes to the commune that
received it, unless the thủ tục may be received anywhere (phi địa giới hành chính), in which case every
commune and ward is competent and the least loaded one is proposed (the receiving one on a tie).

Load (decision 0009): the working days still owed on a unit's open hồ sơ, i.e. each open hồ sơ weighs its
remaining working days plus one, so a file due today still counts and a file due in ten days weighs more
than one due tomorrow. Paused files (waiting for a supplement) owe nothing until they come back.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from datetime import datetime
from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from langson.core.models import OrgUnit, User
from langson.core.services.calendar import calendar_for
from langson.core.services.workdays import working_days_between
from langson.services.deadlines import LOCAL_TZ
from langson.services.models import Dossier, Procedure

OPEN = (Dossier.Status.RECEIVED, Dossier.Status.PROCESSING)
COMMUNE_KINDS = (OrgUnit.Kind.COMMUNE, OrgUnit.Kind.WARD)


def competent_units(procedure: Procedure, received_unit: OrgUnit) -> list[OrgUnit]:
    if procedure.agency is not None:
        return [procedure.agency]
    commune = received_unit.commune or received_unit  # a commune's one-stop centre works for its commune
    if not procedure.anywhere:
        return [commune]
    return list(OrgUnit.objects.filter(kind__in=COMMUNE_KINDS, is_active=True).order_by("code"))


def loads(units: list[OrgUnit], now: datetime | None = None) -> dict[int, int]:
    """Working days owed per unit (see the module docstring), from one grouped query."""
    now = now or timezone.now()
    cal = calendar_for(None)
    today = now.astimezone(LOCAL_TZ).date()
    rows = (
        Dossier.objects.filter(status__in=OPEN, processing_unit__in=units, due_at__isnull=False)
        .annotate(due_day=TruncDate("due_at", tzinfo=LOCAL_TZ))
        .values("processing_unit", "due_day")
        .annotate(n=Count("id"))
    )
    owed: dict[int, int] = defaultdict(int)
    days: dict[Any, int] = {}
    for row in rows:
        day = row["due_day"]
        if day not in days:
            days[day] = working_days_between(cal, today, day) + 1
        owed[row["processing_unit"]] += row["n"] * days[day]
    return {unit.pk: owed.get(unit.pk, 0) for unit in units}


# Counting the province's open hồ sơ costs ~100 ms on a million-row history, too much for every submission.
# A process keeps the counts for LOAD_SECONDS and adds each hồ sơ it assigns meanwhile; other processes'
# assignments are seen at the next count. The balance is therefore approximate over a few seconds, exact
# over a day, which is the scale on which officers' workload matters. The list of competent communes is
# kept with the counts (refreshed together), so a commune opened or closed is seen within LOAD_SECONDS too.
LOAD_SECONDS = 10.0
_load_cache: dict[str, tuple[float, list[OrgUnit], dict[int, int]]] = {}
_load_lock = threading.Lock()
_ANYWHERE = "anywhere"  # the one set of competent units shared by every procedure received anywhere


def forget_loads() -> None:
    with _load_lock:
        _load_cache.clear()


def propose_unit(procedure: Procedure, received_unit: OrgUnit, now: datetime | None = None) -> OrgUnit:
    if procedure.agency_id is not None or not procedure.anywhere:
        return competent_units(procedure, received_unit)[0]
    clock = time.monotonic()
    with _load_lock:
        cached = _load_cache.get(_ANYWHERE)
    if cached is None or clock - cached[0] >= LOAD_SECONDS:
        units = competent_units(procedure, received_unit)
        cached = (clock, units, loads(units, now))
    _, units, load = cached
    if len(units) == 1:
        return units[0]
    # The receiving commune wins a tie: the applicant's papers are already there.
    chosen = min(units, key=lambda u: (load[u.pk], u.pk != received_unit.pk, u.code))
    with _load_lock:
        load[chosen.pk] += procedure.deadline_days + 1  # what the new hồ sơ will owe
        _load_cache[_ANYWHERE] = cached
    return chosen


def propose_officer(unit: OrgUnit, now: datetime | None = None) -> User | None:
    """The officer of the unit with the fewest working days owed on the hồ sơ assigned to them."""
    officers = list(
        User.objects.filter(
            org_unit=unit,
            is_active=True,
            role__in=(User.Role.COMMUNE_OFFICER, User.Role.DEPARTMENT_OFFICER),
        )
    )
    if not officers:
        return None
    now = now or timezone.now()
    cal = calendar_for(unit)
    today = now.astimezone(LOCAL_TZ).date()
    owed: dict[int, int] = defaultdict(int)
    for dossier in Dossier.objects.filter(status__in=OPEN, assignee__in=officers, due_at__isnull=False).only(
        "assignee", "due_at"
    ):
        if dossier.due_at is not None and dossier.assignee_id is not None:
            due_day = dossier.due_at.astimezone(LOCAL_TZ).date()
            owed[dossier.assignee_id] += working_days_between(cal, today, due_day) + 1
    return min(officers, key=lambda o: (owed[o.pk], o.username))
