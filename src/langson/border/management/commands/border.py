"""`langson border extract FILE` and `langson border synth DIR`: the border gate's tools."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Cửa khẩu: đọc chứng từ, sinh bộ chứng từ mẫu / Border gate: read documents, generate samples"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        extract = sub.add_parser("extract", help="Đọc một chứng từ / Read one document")
        extract.add_argument("file", type=Path)
        extract.add_argument("--format", choices=["json", "text"], default="json")
        synth = sub.add_parser("synth", help="Sinh bộ chứng từ tổng hợp / Generate synthetic documents")
        synth.add_argument("directory", type=Path)
        synth.add_argument("--count", type=int, default=40, help="documents per type")
        synth.add_argument("--split", choices=["train", "heldout"], default="train")
        synth.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "extract":
            from langson.border.extract import ExtractionError, extract_file

            try:
                result = extract_file(options["file"])
            except ExtractionError as exc:
                raise CommandError(str(exc)) from exc
            if options["format"] == "json":
                self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            else:
                self.stdout.write(result["document_type"])
                for name, found in result["fields"].items():
                    self.stdout.write(f"  {name}: {found['value']}  ({found['confidence']:.2f})")
                for issue in result["issues"]:
                    self.stdout.write(f"  ! {issue['field']}: {issue['message']}")
        else:
            from langson.border.synth import write_set

            written = write_set(
                options["directory"], count=options["count"], split=options["split"], seed=options["seed"]
            )
            self.stdout.write(f"{written} documents → {options['directory']}")
