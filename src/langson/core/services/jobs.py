"""Worker bookkeeping: heartbeats, periodic schedules, and recovery of tasks a dead worker held.

Tasks run at least once: a task claimed by a worker that then died (killed, machine lost) is put back
in the queue once that worker's heartbeat is stale, so task bodies must be idempotent.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from langson.core.models import Schedule, WorkerHeartbeat

logger = logging.getLogger(__name__)

# name -> (task path, interval in s); apps add theirs from AppConfig.ready(); `langson seed` stores them.
SCHEDULES: dict[str, tuple[str, int]] = {
    "core.verify_audit_chain": ("langson.core.tasks.verify_audit_chain", 24 * 3600),
    "core.prune_task_results": ("langson.core.tasks.prune_task_results", 24 * 3600),
}


def register_schedule(name: str, task_path: str, interval_seconds: int) -> None:
    SCHEDULES[name] = (task_path, interval_seconds)


def store_schedules() -> None:
    """Create missing schedules; existing rows keep their timing (an operator may have changed it)."""
    for name, (task_path, interval) in SCHEDULES.items():
        Schedule.objects.get_or_create(
            name=name, defaults={"task_path": task_path, "interval_seconds": interval}
        )


def beat(worker_id: str, started_at: datetime) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"started_at": started_at, "seen_at": timezone.now()}
    )


def forget(worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def enqueue_due_schedules(now: datetime | None = None) -> list[str]:
    """Enqueue every due schedule once, even with several workers: the claim is a conditional update."""
    now = now or timezone.now()
    enqueued = []
    for schedule in Schedule.objects.filter(enabled=True, next_run_at__lte=now):
        next_run = now + timedelta(seconds=schedule.interval_seconds)
        with transaction.atomic():
            claimed = Schedule.objects.filter(pk=schedule.pk, next_run_at=schedule.next_run_at).update(
                next_run_at=next_run, last_enqueued_at=now
            )
            if not claimed:
                continue  # another worker took it
            import_string(schedule.task_path).enqueue()
        enqueued.append(schedule.name)
    return enqueued


def requeue_orphaned_tasks() -> int:
    """Put back RUNNING tasks whose worker has no fresh heartbeat."""
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - timedelta(seconds=settings.WORKER_STALE_SECONDS)
    alive = set(WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True))
    requeued = 0
    for result in DBTaskResult.objects.running():
        owner = result.worker_ids[-1] if result.worker_ids else None
        if owner in alive:
            continue
        with transaction.atomic():
            requeued += DBTaskResult.objects.filter(pk=result.pk, status="RUNNING").update(
                status="READY", started_at=None
            )
        logger.warning("Requeued task %s (%s) left by dead worker %s", result.pk, result.task_path, owner)
    WorkerHeartbeat.objects.filter(seen_at__lt=cutoff).delete()
    return requeued
