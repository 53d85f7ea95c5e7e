"""`langson backup [--target local|remote|all]`: a consistent snapshot to the backup repositories now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from langson.core.services import audit
from langson.ops.backup.config import BackupError
from langson.ops.backup.runs import run_backup
from langson.ops.models import BackupRun


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu, kho dữ liệu (lake) và tệp tải lên / back up the database, lake and uploads"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--target",
            choices=["local", "remote", "all"],
            default="all",
            help="nơi lưu (mặc định: mọi nơi đã cấu hình) / target (default: every configured one)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            runs = run_backup(options["target"], trigger=BackupRun.Trigger.COMMAND)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        failed = []
        for run in runs:
            audit.append("backup", instance=run, changes={"status": run.status, "snapshot": run.snapshot_id})
            if run.status == BackupRun.Status.SUCCEEDED:
                self.stdout.write(
                    f"OK {run.target}: restic {run.snapshot_id[:8]}, {run.files} tệp / files, "
                    f"{run.bytes_total} byte (+{run.bytes_added}), "
                    f"dữ liệu lúc / data time {run.data_time:%Y-%m-%d %H:%M:%S%z}"
                )
            else:
                failed.append(f"{run.target}: {run.error} / {run.error_en}")
        if failed:
            raise CommandError("Sao lưu thất bại / backup failed — " + "; ".join(failed))
