"""Which unit processes a hồ sơ, and which officer: by competence first, then by current load.

Competence: a province-level thủ tục goes to its agency. A commune-level one goes to the commune that
received it, unless the thủ tục may be received anywhere (phi địa giới hành chính), in which case every
commune and ward is competent and the least loaded one is proposed (the receiving one on a tie).

Load (decision 0009): the working days still owed on a unit's open hồ sơ, i.e. each open hồ sơ weighs its
remaining working days plus one, so a file due today still counts and a file due in ten days weighs more
than one due tomorrow. Paused files (waiting for a supplement) owe nothing until they come back.
"""

from __future__ import annotations

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


def propose_unit(procedure: Procedure, received_unit: OrgUnit, now: datetime | None = None) -> OrgUnit:
    units = competent_units(procedure, received_unit)
    if len(units) == 1:
        return units[0]
    load = loads(units, now)
    # The receiving commune wins a tie: the applicant's papers are already there.
    return min(units, key=lambda u: (load[u.pk], u.pk != received_unit.pk, u.code))


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
