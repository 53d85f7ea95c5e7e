"""Background jobs of uptime, run by `langson worker` (schedules registered in ``ops.setup_uptime``)."""

from __future__ import annotations

from django_tasks import task

from langson.ops.uptime import availability, scheduling


@task()
def run_due_checks() -> dict[str, int]:
    """Every 30 s (schedule ``ops.uptime_checks``): the rounds of the systems that are due."""
    return scheduling.run_due_checks().as_dict()


@task()
def roll_up_days() -> dict[str, int]:
    """Hourly (schedule ``ops.uptime_rollup``): the last complete days rolled up, old raw checks pruned."""
    return {"rollups": availability.roll_up()}
