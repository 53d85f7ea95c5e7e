"""Background jobs of the one-stop services: tell the IOC which open hồ sơ are about to be, or are, late."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django_tasks import task

from langson.services.deadlines import LOCAL_TZ

# A hồ sơ is at risk from one working day before its due day; even across the Tết holidays that is within a
# month, so hồ sơ due later are not looked at.
HORIZON = timedelta(days=31)


def _title(code: str, what: str, due: datetime) -> str:
    return f"Hồ sơ {code} {what} (hẹn trả {due.astimezone(LOCAL_TZ):%H:%M %d/%m/%Y})"


def check_deadlines_at(now: datetime) -> dict[str, int]:
    """Emit ``dossier.at_risk`` and ``dossier.overdue`` for the open hồ sơ, keyed by their code: the IOC keeps
    one live alert per hồ sơ and kind, so running this again raises nothing new."""
    from langson.core.contract import clear, emit
    from langson.core.services.calendar import calendar_for
    from langson.services import deadlines
    from langson.services.indicators import OPEN
    from langson.services.models import Dossier, due_in_force

    counts = {"at_risk": 0, "overdue": 0}
    open_dossiers = (
        Dossier.objects.filter(status__in=OPEN)
        .annotate(due=due_in_force())
        .filter(due__lte=now + HORIZON)
        .select_related("processing_unit")
        .order_by("due", "id")
    )
    for dossier in open_dossiers:
        due: datetime = dossier.due
        unit = dossier.processing_unit
        if now > due:
            kind, severity, what = "dossier.overdue", "critical", "quá hạn"
        elif deadlines.at_risk(calendar_for(unit), now, due):
            kind, severity, what = "dossier.at_risk", "warning", "sắp quá hạn"
        else:
            continue
        emit(
            "services",
            kind,
            _title(dossier.code, what, due),
            unit_code=unit.code,
            severity=severity,
            key=dossier.code,
            dossier_id=dossier.pk,
            due_at=due.isoformat(),
        )
        counts[kind.removeprefix("dossier.")] += 1
        if kind == "dossier.overdue":
            clear("services", "dossier.at_risk", key=dossier.code)  # overdue now: the warning is superseded
    return counts


@task()
def check_deadlines() -> dict[str, int]:
    """Idempotent (the IOC de-duplicates by hồ sơ and kind); scheduled every 15 minutes."""
    return check_deadlines_at(timezone.now())
