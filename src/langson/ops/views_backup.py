"""The backups page (/van-hanh/sao-luu/): the last good backup's age per target, recent runs, the last drill
with its RPO and RTO, the schedule and the retention. Login required; see ``backup.access`` for who. No
JavaScript; nothing on it changes data (backups, restores and drills run from the command line and the
worker, where they are audited)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from langson.ops.backup import access, status
from langson.ops.models import BackupRun


def duration(seconds: float | None) -> str:
    """3725 → "1 giờ 2 phút"; under two minutes in seconds."""
    if seconds is None:
        return "—"
    seconds = max(0.0, seconds)
    if seconds < 120:
        return gettext("%(n)s giây") % {"n": f"{seconds:.1f}".replace(".", ",")}
    minutes = int(seconds // 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    parts = [
        gettext("%(n)d ngày") % {"n": days} if days else "",
        gettext("%(n)d giờ") % {"n": hours} if hours else "",
        gettext("%(n)d phút") % {"n": minutes} if minutes else "",
    ]
    return " ".join(p for p in parts if p) or gettext("%(n)d phút") % {"n": 0}


@login_required
def backups_page(request: HttpRequest) -> HttpResponse:
    if not access.may_view(request.user):
        raise PermissionDenied
    interval = status.backup_interval()
    states = [{"state": state, "age": duration(state.age_seconds)} for state in status.targets_state()]
    drill = status.last_drill()
    runs = BackupRun.objects.order_by("-started_at", "-id")[:20]
    schedules = [
        {**row, "every": duration(row["interval_seconds"]) if row["interval_seconds"] else "—"}
        for row in status.schedules()
    ]
    return render(
        request,
        "ops/backup.html",
        {
            "states": states,
            "interval": duration(interval),
            "stale_after": duration(2 * interval),
            "drill": drill,
            "drill_rpo": duration(drill.rpo_seconds) if drill else "—",
            "drill_rto": duration(drill.rto_seconds) if drill else "—",
            "runs": [{"run": run, "took": duration(run.duration_seconds)} for run in runs],
            "schedules": schedules,
            "retention": status.retention(),
        },
    )
