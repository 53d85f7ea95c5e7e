"""`langson token create USER NAME`: issue an API key (shown once); `langson token revoke PREFIX`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from langson.core.api_auth import issue_token
from langson.core.models import ApiToken, User


class Command(BaseCommand):
    help = "Khóa API / API keys"

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create")
        create.add_argument("username")
        create.add_argument("name")
        revoke = sub.add_parser("revoke")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "create":
            user = User.objects.filter(username=options["username"]).first()
            if user is None:
                raise CommandError(f"Không có người dùng / no such user: {options['username']}")
            _, key = issue_token(user, options["name"])
            self.stdout.write(key)
            return
        tokens = ApiToken.objects.filter(prefix=options["prefix"], revoked=False)
        if not tokens:
            raise CommandError("Không tìm thấy khóa / no such key")
        for token in tokens:
            token.revoked = True
            token.save()
        self.stdout.write("revoked")
