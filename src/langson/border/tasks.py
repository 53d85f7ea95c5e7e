"""Background jobs of the border gate: tell the IOC about long queues and trucks in the yard too long."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task


@task()
def check_clearance() -> dict[str, int]:
    """Idempotent (the IOC keeps one live alert per gate and per visit); scheduled every 5 minutes and run
    after each batch of truck events."""
    from langson.border.clearance import evaluate_alerts

    return evaluate_alerts(timezone.now())
