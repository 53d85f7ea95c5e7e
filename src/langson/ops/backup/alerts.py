"""IOC alerts of backups (through ``core.contract``, so ops never imports the IOC):

- ``backup.stale`` (one per target): the last good backup is older than twice the backup schedule's
  interval (or, never a good one, the first attempt is); cleared by the next good backup;
- ``backup.drill_failed``: the last drill did not verify or did not come up; cleared by a good drill.

Evaluated by the scheduled job ``ops.backup_alerts`` (and at once after each drill).
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from django.utils import timezone

from langson.core import contract
from langson.ops.backup import status
from langson.ops.models import DrillRun

APP: Final = "ops"
OWNER: Final = "SO-KHCN"  # Sở Khoa học và Công nghệ runs the provincial data centre
STALE: Final = "backup.stale"
DRILL_FAILED: Final = "backup.drill_failed"
DRILL_KEY: Final = "drill"


def _hours(seconds: float) -> str:
    return f"{seconds / 3600:.1f}".replace(".", ",")


def evaluate(now: datetime | None = None) -> dict[str, int]:
    counts = {"stale": 0, "cleared": 0, "drill_failed": 0}
    interval = status.backup_interval()
    for state in status.targets_state(now):
        if state.stale:
            age = (
                f"bản tốt gần nhất đã {_hours(state.age_seconds)} giờ"
                if state.age_seconds is not None
                else "chưa có bản sao lưu thành công nào"
            )
            contract.emit(
                APP,
                STALE,
                f"Sao lưu {state.label.lower()} quá hạn: {age} (lịch {_hours(interval)} giờ một lần)",
                unit_code=OWNER,
                severity="critical",
                key=state.target,
            )
            counts["stale"] += 1
        else:
            contract.clear(APP, STALE, key=state.target, reason="a good backup is recent")
            counts["cleared"] += 1
    drill = status.last_drill()
    if drill is not None:
        drill_alert(drill)
        counts["drill_failed"] += int(not drill.verified)
    return counts


def drill_alert(drill: DrillRun) -> None:
    if drill.verified:
        contract.clear(APP, DRILL_FAILED, key=DRILL_KEY, reason=f"drill {drill.pk} verified")
        return
    contract.emit(
        APP,
        DRILL_FAILED,
        f"Diễn tập khôi phục thất bại ({timezone.localtime(drill.started_at):%d/%m/%Y %H:%M}): "
        f"{drill.error or 'không khớp bảng kê'}"[:300],
        unit_code=OWNER,
        severity="critical",
        key=DRILL_KEY,
    )
