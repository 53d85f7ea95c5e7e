"""`langson seed`: load Lạng Sơn reference data; on a new database also the demo accounts."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from langson.core.services.seed import (
    DEMO_LOADERS,
    REFERENCE_LOADERS,
    create_demo_accounts,
    load_reference_data,
)


class Command(BaseCommand):
    help = "Nạp dữ liệu nền của tỉnh và tài khoản mẫu / load reference data and demo accounts"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-demo", action="store_true", help="reference data only, no demo accounts")

    def handle(self, *args: Any, **options: Any) -> None:
        counts = load_reference_data()
        self.stdout.write(
            f"Dữ liệu nền / reference data: {counts['communes']} xã, phường; "
            f"{counts['departments']} sở, ban, ngành; {counts['units']} đơn vị."
        )
        for loader in REFERENCE_LOADERS:
            self.stdout.write(f"Dữ liệu nền / reference data ({loader.__module__}): {loader()}")
        if options["no_demo"]:
            return
        for loader in DEMO_LOADERS:
            counts = loader()
            self.stdout.write(f"Dữ liệu mẫu / demo data ({loader.__module__}): {counts}")
        accounts = create_demo_accounts()
        if not accounts:
            return
        self.stdout.write(
            self.style.WARNING(
                "\nTài khoản mẫu (mật khẩu chỉ hiện MỘT lần; đổi bằng `langson changepassword TÊN`)\n"
                "Demo accounts (passwords are shown ONCE; change with `langson changepassword NAME`)\n"
            )
        )
        width = max(len(a.username) for a in accounts)
        for account in accounts:
            self.stdout.write(
                f"  {account.username:<{width}}  {account.password}  {account.role} · {account.unit}"
            )
        self.stdout.write("")
