"""The worker's backup jobs (schedules registered by ``ops.setup_backup``). Each is idempotent and records
its outcome itself (``BackupRun``, ``DrillRun``, alerts); a failure is recorded, not raised, so the task
result stays a plain summary."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from langson.ops.models import BackupRun


@task()
def backup_task() -> dict[str, str]:
    from langson.ops.backup.runs import run_backup

    runs = run_backup("all", trigger=BackupRun.Trigger.SCHEDULE)
    return {run.target: run.status for run in runs}


@task()
def retention_task() -> dict[str, str]:
    from langson.ops.backup.runs import prune

    return prune("all")


@task()
def drill_task() -> dict[str, Any]:
    """A drill of the local repository, once there is a good backup to drill (the first hour of a new
    installation has none: nothing to prove yet, and the stale-backup alert covers a backup that never
    succeeds)."""
    from langson.ops.backup.drill import run_drill

    if not BackupRun.objects.filter(target="local", status=BackupRun.Status.SUCCEEDED).exists():
        return {"skipped": "no good local backup yet"}
    drill = run_drill("local")
    return {"verified": drill.verified, "rpo_seconds": drill.rpo_seconds, "rto_seconds": drill.rto_seconds}


@task()
def alerts_task() -> dict[str, int]:
    from langson.ops.backup.alerts import evaluate

    return evaluate()
