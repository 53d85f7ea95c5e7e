"""`langson audit verify`: walk the hash chain and name the first tampered entry."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from langson.core.services import audit


class Command(BaseCommand):
    help = "Nhật ký thay đổi / audit log: `verify` checks the hash chain"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        result = audit.verify()
        if result.ok:
            self.stdout.write(
                self.style.SUCCESS(
                    f"OK: {result.checked} mục nhật ký toàn vẹn / entries intact; "
                    f"head {result.head_hash[:16]}"
                )
            )
            return
        raise CommandError(
            f"Nhật ký bị sửa tại mục #{result.bad_id} / audit log tampered at entry #{result.bad_id}: "
            f"{result.reason} ({result.checked} mục trước đó toàn vẹn / earlier entries intact)"
        )
