"""What the backup part of ops publishes to the IOC (see indicators.py), each for the province, daily:

- ``ops-backup-age-hours``: hours since the data time of the last good backup, the worst (oldest) of the
  configured targets, measured at each computation (today's value is overwritten by each run). Warning
  above twice the backup interval: the same bound as the alert ``backup.stale``;
- ``ops-drill-rto-seconds`` / ``ops-drill-rpo-hours``: the RTO and RPO of the last finished drill of each
  day (the last 30 days), failed drills included: a drill that failed before serving has no RTO.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final

from django.conf import settings
from django.utils import timezone

from langson.core.contract import IndicatorSpec, Value

OWNER: Final = "SO-KHCN"  # Sở Khoa học và Công nghệ: the provincial data centre
SECTOR: Final = "ioc"


def backup_age_hours() -> list[Value]:
    from langson.ops.backup.status import targets_state

    states = targets_state()
    if not states or all(state.last_run is None for state in states):
        return []  # backups never attempted: no figure rather than a made-up one
    ages = [state.age_seconds for state in states]
    if any(age is None for age in ages):
        return []  # a target without a good backup: the alert says so; an age would be invented
    worst = max(age for age in ages if age is not None)
    return [(timezone.localdate(), "", round(worst / 3600, 2))]


def _last_drills(days: int = 30) -> dict[date, tuple[float | None, float | None]]:
    from langson.ops.models import DrillRun

    since = timezone.now() - timedelta(days=days)
    last: dict[date, tuple[float | None, float | None]] = {}
    for drill in (
        DrillRun.objects.filter(started_at__gte=since).exclude(finished_at=None).order_by("started_at")
    ):
        last[timezone.localdate(drill.started_at)] = (drill.rto_seconds, drill.rpo_seconds)
    return last


def drill_rto_seconds() -> list[Value]:
    return [
        (day, "", round(rto, 1)) for day, (rto, _rpo) in sorted(_last_drills().items()) if rto is not None
    ]


def drill_rpo_hours() -> list[Value]:
    return [
        (day, "", round(rpo / 3600, 2))
        for day, (_rto, rpo) in sorted(_last_drills().items())
        if rpo is not None
    ]


INDICATORS: list[IndicatorSpec] = [
    IndicatorSpec(
        code="ops-backup-age-hours",
        name="Số giờ từ bản sao lưu tốt gần nhất",
        name_en="Hours since the last good backup",
        unit="giờ",
        sector=SECTOR,
        grain="day",
        owner=OWNER,
        compute=backup_age_hours,
        direction="down",
        warning_above=2 * settings.BACKUP_INTERVAL_SECONDS / 3600,
        description="Tuổi dữ liệu của bản sao lưu tốt gần nhất (nơi lưu cũ nhất trong các nơi đã cấu hình).",
    ),
    IndicatorSpec(
        code="ops-drill-rto-seconds",
        name="RTO của lần diễn tập khôi phục gần nhất",
        name_en="RTO of the last restore drill",
        unit="giây",
        sector=SECTOR,
        grain="day",
        owner=OWNER,
        compute=drill_rto_seconds,
        direction="down",
        description="Thời gian từ khi bắt đầu khôi phục đến khi bản khôi phục trả lời /healthz.",
    ),
    IndicatorSpec(
        code="ops-drill-rpo-hours",
        name="RPO của lần diễn tập khôi phục gần nhất",
        name_en="RPO of the last restore drill",
        unit="giờ",
        sector=SECTOR,
        grain="day",
        owner=OWNER,
        compute=drill_rpo_hours,
        direction="down",
        warning_above=2 * settings.BACKUP_INTERVAL_SECONDS / 3600,
        description="Tuổi dữ liệu của bản sao lưu được khôi phục khi diễn tập (dữ liệu có thể mất).",
    ),
]
