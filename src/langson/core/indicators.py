"""What the core app publishes to the IOC: the daily count of changes made by people (an activity pulse)."""

from __future__ import annotations

from django.db.models import Count
from django.db.models.functions import TruncDate

from langson.core.contract import IndicatorSpec, Value


def changes_by_people_per_day() -> list[Value]:
    from langson.core.models import AuditEntry

    rows = (
        AuditEntry.objects.filter(
            channel__in=["web", "api", "admin"], action__in=["create", "update", "delete"]
        )
        .annotate(day=TruncDate("at"))
        .values("day")
        .annotate(n=Count("id"))
    )
    return [(row["day"], "", float(row["n"])) for row in rows]


INDICATORS = [
    IndicatorSpec(
        code="core-changes-by-people",
        name="Số thay đổi dữ liệu do cán bộ thực hiện",
        name_en="Data changes made by officials",
        unit="lượt",
        sector="ioc",
        grain="day",
        owner="VP-UBND",
        compute=changes_by_people_per_day,
        description=(
            "Số lần tạo, sửa, xóa dữ liệu qua trang web, API và trang quản trị trong ngày (nhật ký thay đổi)."
        ),
    )
]
