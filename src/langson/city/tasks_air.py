"""The air-quality job: raise or clear the IOC alert "aqi.high" of each station (schedule
``city.air_quality_alerts``, every 10 minutes, registered by the city app; rules in ``city.air``)."""

from __future__ import annotations

from django_tasks import task

from langson.city.air import evaluate_alerts


@task()
def evaluate_air_quality() -> dict[str, int]:
    return evaluate_alerts()
