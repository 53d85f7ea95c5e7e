"""`langson city ...`: the smart city's verbs (ingest worker, simulator, broker configuration)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Đô thị thông minh / Smart city: ingest, simulate, broker-config"

    def add_arguments(self, parser: CommandParser) -> None:
        from langson.city.cli import add_arguments

        add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        from langson.city.cli import handle

        handle(self, options)
