"""Schedules, permissions and menu items of the uptime part of ops, registered at start (OpsConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from langson.core.models import User
    from langson.core.navigation import NavItem
    from langson.core.navigation import register as add_to_menu
    from langson.core.permissions import grant
    from langson.core.services.jobs import register_schedule
    from langson.core.services.seed import DEMO_LOADERS
    from langson.ops.uptime.scheduling import TICK_SECONDS

    register_schedule("ops.uptime_checks", "langson.ops.uptime.tasks.run_due_checks", TICK_SECONDS)
    register_schedule("ops.uptime_rollup", "langson.ops.uptime.tasks.roll_up_days", 3600)

    # Every official sees their unit's systems; the owning department's officers and the operators keep the
    # registry (scope: ops.uptime.access). Checks, incidents and rollups are written by the platform only.
    viewers = ("ops.view_monitoredsystem", "ops.view_incident", "ops.view_check", "ops.view_dailyrollup")
    keepers = (*viewers, "ops.add_monitoredsystem", "ops.change_monitoredsystem")
    grant(User.Role.LEADER, *viewers)
    grant(User.Role.COMMUNE_OFFICER, *viewers)
    grant(User.Role.DEPARTMENT_OFFICER, *keepers)
    grant(User.Role.OPERATOR, *keepers)
    add_to_menu(
        NavItem(_("Hệ thống thông tin"), "ops:systems", "ops.view_monitoredsystem"), after="core:calendar"
    )

    from langson.ops.demo_uptime import load_uptime_demo

    DEMO_LOADERS.append(load_uptime_demo)
