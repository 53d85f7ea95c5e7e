"""What the operations page, the API, the indicators and the alerts read about backups: the last good backup
per target and its age, recent runs, the last drill, the schedule and the retention."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from langson.ops.backup.config import configured_targets
from langson.ops.models import BackupRun, DrillRun

SCHEDULE_BACKUP = "ops.backup"
SCHEDULE_PRUNE = "ops.backup_retention"
SCHEDULE_DRILL = "ops.backup_drill"
SCHEDULE_ALERTS = "ops.backup_alerts"


def backup_interval() -> int:
    """The backup schedule's interval: the stored one (an operator may have changed it), else the setting."""
    from langson.core.models import Schedule

    stored = Schedule.objects.filter(name=SCHEDULE_BACKUP).values_list("interval_seconds", flat=True).first()
    return int(stored or settings.BACKUP_INTERVAL_SECONDS)


@dataclass(frozen=True)
class TargetState:
    target: str
    label: str
    last_good: BackupRun | None
    last_run: BackupRun | None
    age_seconds: float | None  # now minus the last good backup's data time
    stale: bool  # no good backup within twice the schedule

    def as_dict(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "last_good": self.last_good.as_dict() if self.last_good else None,
            "last_run": self.last_run.as_dict() if self.last_run else None,
            "age_seconds": self.age_seconds,
            "stale": self.stale,
        }


def target_state(target: str, now: datetime | None = None, interval: int | None = None) -> TargetState:
    now = now or timezone.now()
    interval = interval or backup_interval()
    runs = BackupRun.objects.filter(target=target)
    last_good = runs.filter(status=BackupRun.Status.SUCCEEDED).order_by("-data_time", "-id").first()
    last_run = runs.order_by("-started_at", "-id").first()
    if last_good is not None and last_good.data_time is not None:
        reference: datetime | None = last_good.data_time
    else:
        # Never a good one: judged from the first attempt; none at all yet means nothing to judge.
        first = runs.order_by("started_at").first()
        reference = first.started_at if first else None
    age = (now - last_good.data_time).total_seconds() if last_good and last_good.data_time else None
    stale = reference is not None and now - reference > timedelta(seconds=2 * interval)
    label = str(BackupRun(target=target).get_target_display())
    return TargetState(target, label, last_good, last_run, age, stale)


def targets_state(now: datetime | None = None) -> list[TargetState]:
    interval = backup_interval()
    return [target_state(name, now, interval) for name in configured_targets()]


def last_drill() -> DrillRun | None:
    return DrillRun.objects.exclude(finished_at=None).order_by("-started_at", "-id").first()


def schedules() -> list[dict[str, Any]]:
    from langson.core.models import Schedule

    rows = {s.name: s for s in Schedule.objects.filter(name__startswith="ops.backup")}
    return [
        {
            "name": name,
            "interval_seconds": rows[name].interval_seconds if name in rows else None,
            "next_run_at": rows[name].next_run_at if name in rows else None,
            "enabled": rows[name].enabled if name in rows else False,
        }
        for name in (SCHEDULE_BACKUP, SCHEDULE_PRUNE, SCHEDULE_DRILL, SCHEDULE_ALERTS)
    ]


def retention() -> dict[str, int]:
    return {
        "keep_hourly": settings.BACKUP_KEEP_HOURLY,
        "keep_daily": settings.BACKUP_KEEP_DAILY,
        "keep_monthly": settings.BACKUP_KEEP_MONTHLY,
    }


def summary(recent: int = 20) -> dict[str, Any]:
    drill = last_drill()
    return {
        "targets": [state.as_dict() for state in targets_state()],
        "interval_seconds": backup_interval(),
        "runs": [run.as_dict() for run in BackupRun.objects.order_by("-started_at", "-id")[:recent]],
        "last_drill": drill.as_dict() if drill else None,
        "schedules": schedules(),
        "retention": retention(),
    }
