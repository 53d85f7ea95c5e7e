"""Background jobs of the smart city, run by `langson worker` (schedules registered in apps.py)."""

from __future__ import annotations

from django_tasks import task

from langson.city.rules import run_rules


@task()
def run_rules_task() -> dict[str, int]:
    """Every 60 s (schedule ``city.rules``): commands followed up, lamp faults and thresholds to the IOC,
    the lighting schedule applied. Idempotent: running it twice in a row sends nothing more."""
    return run_rules()
