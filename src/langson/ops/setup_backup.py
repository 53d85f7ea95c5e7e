"""Schedules, permissions and menu items of the backup part of ops, registered at start (OpsConfig.ready)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

VIEW = ("ops.view_backuprun", "ops.view_drillrun")


def register() -> None:
    from langson.core.models import User
    from langson.core.navigation import NavItem
    from langson.core.navigation import register as register_nav
    from langson.core.permissions import grant
    from langson.core.services.jobs import register_schedule
    from langson.ops.backup import status

    # Hourly backups, daily retention, weekly drills, alerts every 10 minutes (each configurable; a drill
    # interval of 0 turns scheduled drills off). Stored once by `langson seed`; operators may retime them.
    register_schedule(
        status.SCHEDULE_BACKUP, "langson.ops.backup.tasks.backup_task", settings.BACKUP_INTERVAL_SECONDS
    )
    register_schedule(
        status.SCHEDULE_PRUNE,
        "langson.ops.backup.tasks.retention_task",
        settings.BACKUP_PRUNE_INTERVAL_SECONDS,
    )
    if settings.BACKUP_DRILL_INTERVAL_SECONDS > 0:
        register_schedule(
            status.SCHEDULE_DRILL,
            "langson.ops.backup.tasks.drill_task",
            settings.BACKUP_DRILL_INTERVAL_SECONDS,
        )
    register_schedule(status.SCHEDULE_ALERTS, "langson.ops.backup.tasks.alerts_task", 10 * 60)

    # Who looks at backups: operators of the data centre and leaders (administrators hold every permission).
    # Runs are province-wide records; a leader must moreover sit at the province level (views_backup).
    grant(User.Role.OPERATOR, *VIEW)
    grant(User.Role.LEADER, *VIEW)
    register_nav(NavItem(_("Sao lưu"), "ops:backups", "ops.view_backuprun"), after="core:audit")

    from langson.ops import admin_backup

    admin_backup.register()
