"""Background jobs of the IOC: recompute indicators after data arrives, evaluate alerts, lake upkeep."""

from __future__ import annotations

from django_tasks import task

from langson.ioc.models import Indicator
from langson.ioc.services import alerts, indicators


@task()
def recompute_for_dataset(dataset_code: str) -> dict[str, int]:
    """Idempotent: recomputes every period of the dataset's indicators, then checks their thresholds."""
    written = raised = 0
    for indicator in Indicator.objects.filter(definition__dataset=dataset_code):
        written += indicators.compute(indicator)
        raised += len(alerts.evaluate_thresholds(indicator))
    return {"values": written, "alerts": raised}
