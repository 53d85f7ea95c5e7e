"""``langson backup`` and the scheduled backup: one consistent copy, sent to each target, each recorded in a
``BackupRun``. A failure is recorded with its reason and never touches the live data: staging reads the
database and links the files, restic only reads the staging folder."""

from __future__ import annotations

import logging
import shutil

from django.utils import timezone

from langson.ops.backup import restic, snapshot
from langson.ops.backup.config import BackupError, configured_targets
from langson.ops.models import BackupRun

logger = logging.getLogger(__name__)


def _fail(run: BackupRun, error: BackupError) -> None:
    run.status = BackupRun.Status.FAILED
    run.finished_at = timezone.now()
    run.error, run.error_en = error.message_vi, error.message_en
    run.save()


def _full_id(repo: restic.Target, short: str) -> str:
    """restic 0.14's summary names the snapshot by its short id; the run keeps the full one."""
    try:
        return restic.find_snapshot(repo, short).id
    except BackupError:
        return short


def targets_for(choice: str) -> list[str]:
    """``all``: every configured target; ``local`` or ``remote``: that one (an error if not configured)."""
    if choice == "all":
        return configured_targets()
    return [choice]


def run_backup(choice: str = "all", *, trigger: str = BackupRun.Trigger.COMMAND) -> list[BackupRun]:
    names = targets_for(choice)
    started = timezone.now()
    runs = [BackupRun.objects.create(target=name, trigger=trigger, started_at=started) for name in names]
    try:
        restic.binary()
        repositories = {}
        for run in runs:
            try:
                repositories[run.target] = restic.open_repository(run.target, create=True)
            except BackupError as exc:
                _fail(run, exc)
        if not repositories:
            return runs
        with snapshot.exclusive():
            staged = snapshot.stage([run.pk for run in runs])
            try:
                for run in runs:
                    if run.target not in repositories:
                        continue
                    run.data_time = staged.data_time
                    run.manifest = staged.manifest
                    try:
                        summary = restic.backup(
                            repositories[run.target], staged.folder, tags=[f"run-{run.pk}", trigger]
                        )
                    except BackupError as exc:
                        _fail(run, exc)
                        continue
                    run.status = BackupRun.Status.SUCCEEDED
                    run.finished_at = timezone.now()
                    run.snapshot_id = _full_id(repositories[run.target], str(summary.get("snapshot_id", "")))
                    run.files = int(summary.get("total_files_processed", 0))
                    run.bytes_total = int(summary.get("total_bytes_processed", 0))
                    run.bytes_added = int(summary.get("data_added", 0))
                    run.save()
            finally:
                shutil.rmtree(staged.folder, ignore_errors=True)
    except BackupError as exc:
        for run in runs:
            if run.status == BackupRun.Status.RUNNING:
                _fail(run, exc)
    except Exception as exc:  # never leave a run "running" forever; the reason is logged in full
        logger.exception("backup failed")
        error = BackupError(
            "unexpected", f"Lỗi không lường trước: {type(exc).__name__}: {exc}", f"Unexpected error: {exc}"
        )
        for run in runs:
            if run.status == BackupRun.Status.RUNNING:
                _fail(run, error)
    for run in runs:
        if run.status == BackupRun.Status.FAILED:
            logger.warning("backup to %s failed: %s", run.target, run.error_en)
    return runs


def prune(choice: str = "all") -> dict[str, str]:
    """Retention (``restic forget --keep-hourly/daily/monthly --prune``) on each target; errors per target."""
    outcome = {}
    for name in targets_for(choice):
        try:
            with snapshot.exclusive():
                restic.forget(restic.open_repository(name, create=False))
            outcome[name] = "ok"
        except BackupError as exc:
            logger.warning("retention on %s failed: %s", name, exc.message_en)
            outcome[name] = exc.message_en
    return outcome
