"""`langson drill [--target local|remote] [--json]`: restore the latest snapshot into a scratch place,
verify it, serve it, and record RPO and RTO. Exit code 1 when the drill did not verify."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand

from langson.core.services import audit
from langson.ops.backup.drill import as_json, run_drill


class Command(BaseCommand):
    help = "Diễn tập khôi phục / restore drill: verify the latest snapshot and measure RPO and RTO"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--target", choices=["local", "remote"], default="local")
        parser.add_argument(
            "--json", action="store_true", help="một đối tượng JSON ở dòng cuối / JSON last line"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        drill = run_drill(options["target"])
        audit.append(
            "drill", instance=drill, changes={"verified": drill.verified, "snapshot": drill.snapshot_id}
        )
        if drill.verified:
            self.stdout.write(
                f"OK: restic {drill.snapshot_id[:8]} ({drill.target}) khôi phục được và khớp bảng kê / "
                "restores "
                f"and matches its manifest; RPO {drill.rpo_seconds} s, RTO {drill.rto_seconds} s"
            )
        else:
            self.stderr.write(
                f"Diễn tập thất bại / drill failed: {drill.error or 'sai khác'} / "
                f"{drill.error_en or 'mismatches'}"
                + (
                    f" ({len(drill.mismatches)}: {'; '.join(drill.mismatches[:5])})"
                    if drill.mismatches
                    else ""
                )
            )
        if options["json"]:
            self.stdout.write(as_json(drill))
        if not drill.verified:
            sys.exit(1)
