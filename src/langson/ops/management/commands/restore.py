"""`langson restore [SNAPSHOT|latest] [--target local|remote] [--yes]`: bring a snapshot back (stop the web
and worker processes first)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from langson.ops.backup.config import BackupError
from langson.ops.backup.restore import restore


class Command(BaseCommand):
    help = "Khôi phục một bản sao lưu / restore a snapshot (verified before it replaces the live data)"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "snapshot", nargs="?", default="latest", help="mã bản sao lưu hoặc latest / id or latest"
        )
        parser.add_argument("--target", choices=["local", "remote"], default="local")
        parser.add_argument(
            "--yes", action="store_true", help="thay thế dữ liệu đang có / replace the live data"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = restore(options["snapshot"], options["target"], yes=options["yes"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"OK: đã khôi phục / restored restic {result.snapshot_id[:8]} ({result.target}), dữ liệu lúc / "
            f"data time {result.data_time}: {result.tables} bảng / tables, {result.files} tệp / files khớp "
            "bảng kê / match the manifest"
        )
