"""Background jobs of the core app, run by `langson worker` (schedules in services/jobs.py SCHEDULES)."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.utils import timezone
from django_tasks import task

from langson.core.services import audit

logger = logging.getLogger(__name__)


@task()
def verify_audit_chain() -> dict[str, Any]:
    """Nightly walk of the audit chain, so tampering is noticed without anyone asking."""
    result = audit.verify()
    if not result.ok:
        logger.error("Audit chain broken at entry %s: %s", result.bad_id, result.reason)
    return {"ok": result.ok, "checked": result.checked, "bad_id": result.bad_id}


@task()
def prune_task_results(keep_days: int = 30) -> int:
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - timedelta(days=keep_days)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted
