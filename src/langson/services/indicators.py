"""What the one-stop services publish to the IOC: the Bộ chỉ số 766 measures our data can support.

Every monthly value is computed by the database (one grouped query per indicator, months cut in local time,
Asia/Ho_Chi_Minh) for the province and for each commune or ward. A hồ sơ belongs to the commune of its
processing unit: the unit's own GSO code, else the GSO code of the commune it sits in (``OrgUnit.commune``);
a hồ sơ of a provincial agency counts in the province total only.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from langson.core.contract import IndicatorSpec, Value
from langson.services.deadlines import LOCAL_TZ

OWNER = "TTPVHCC-TINH"  # Trung tâm Phục vụ hành chính công tỉnh (under the Văn phòng UBND tỉnh)
OPEN = ("received", "processing")  # the clock runs (waiting: not started; supplement: stopped)


def _commune(prefix: str) -> Coalesce:
    """The GSO code of the hồ sơ's commune, from a query on dossiers (prefix "") or on their events."""
    unit = f"{prefix}processing_unit"
    return Coalesce(F(f"{unit}__gso_code"), F(f"{unit}__commune__gso_code"))


def _as_date(moment: datetime | date) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def _rates(rows: QuerySet[Any, dict[str, Any]]) -> list[Value]:
    """Percentages per month, for the province and each commune, from grouped rows of
    {"month", "commune" (GSO code or None), "hits", "total"}."""
    hits: dict[tuple[date, str], int] = defaultdict(int)
    totals: dict[tuple[date, str], int] = defaultdict(int)
    for row in rows:  # one row per (month, commune): aggregated by the database
        month = _as_date(row["month"])
        places = [""] if row["commune"] is None else ["", str(row["commune"])]
        for place in places:
            hits[month, place] += row["hits"]
            totals[month, place] += row["total"]
    return [
        (month, place, round(100.0 * hits[month, place] / total, 2))
        for (month, place), total in sorted(totals.items())
        if total
    ]


def _grouped(queryset: QuerySet[Any], moment: str, prefix: str, hit: Q, counted: str = "id") -> list[Value]:
    rows = (
        queryset.annotate(month=TruncMonth(moment, tzinfo=LOCAL_TZ), commune=_commune(prefix))
        .order_by()
        .values("month", "commune")
        .annotate(total=Count(counted, distinct=True), hits=Count(counted, filter=hit, distinct=True))
    )
    return _rates(rows)


def on_time_rate() -> list[Value]:
    """Hồ sơ with a result early or on time / all hồ sơ with a result, by the month of the result."""
    from langson.services.models import Dossier

    finished = Dossier.objects.filter(
        status__in=[Dossier.Status.RESULT, Dossier.Status.RETURNED],
        outcome__in=Dossier.Outcome.values,
        completed_at__isnull=False,
    )
    hit = Q(outcome__in=[Dossier.Outcome.EARLY, Dossier.Outcome.ON_TIME])
    return _grouped(finished, "completed_at", "", hit)


def _receptions() -> QuerySet[Any]:
    """One row per received hồ sơ: its reception (the first one; a supplement does not move it)."""
    from langson.services.models import DossierEvent

    return DossierEvent.objects.filter(action=DossierEvent.Action.RECEIVE)


def online_rate() -> list[Value]:
    """Hồ sơ submitted online / all hồ sơ received (online, at a counter, by post), by month of reception."""
    from langson.services.models import Dossier

    return _grouped(_receptions(), "at", "dossier__", Q(dossier__channel=Dossier.Channel.ONLINE), "dossier")


def digitised_rate() -> list[Value]:
    """Hồ sơ with at least one file / all hồ sơ received, by month of reception."""
    from langson.services.models import DossierDocument

    has_file = Exists(DossierDocument.objects.filter(dossier=OuterRef("dossier")))
    return _grouped(_receptions(), "at", "dossier__", Q(has_file), "dossier")


def online_payment_rate() -> list[Value]:
    """Hồ sơ whose fee was paid online / hồ sơ with a fee to pay, by month of reception."""
    from langson.services.models import Payment

    paid_online = Exists(
        Payment.objects.filter(
            dossier=OuterRef("dossier"), status=Payment.Status.PAID, channel=Payment.Channel.ONLINE
        )
    )
    with_fee = _receptions().filter(dossier__fee_vnd__gt=0)
    return _grouped(with_fee, "at", "dossier__", Q(paid_online), "dossier")


def satisfaction() -> list[Value]:
    """Ratings of 4 or 5 / all ratings, by the month the applicant rated."""
    from langson.services.models import DossierEvent

    ratings = DossierEvent.objects.filter(action=DossierEvent.Action.RATE, dossier__rating__isnull=False)
    return _grouped(ratings, "at", "dossier__", Q(dossier__rating__gte=4), "dossier")


def overdue_open(now: datetime | None = None) -> list[Value]:
    """Today's count of open hồ sơ past their due date in force, for the province and every commune.

    Every commune gets a value, zero included: recomputing later the same day must overwrite a count that
    has since fallen to nothing.
    """
    from langson.core.models import OrgUnit
    from langson.services.models import Dossier, due_in_force

    now = now or timezone.now()
    today = now.astimezone(LOCAL_TZ).date()
    rows = (
        Dossier.objects.filter(status__in=OPEN)
        .annotate(due=due_in_force(), commune=_commune(""))
        .filter(due__lt=now)
        .order_by()
        .values("commune")
        .annotate(n=Count("id"))
    )
    counts = {row["commune"]: row["n"] for row in rows}
    values: list[Value] = [(today, "", float(sum(counts.values())))]
    communes = OrgUnit.objects.filter(
        kind__in=[OrgUnit.Kind.COMMUNE, OrgUnit.Kind.WARD], gso_code__isnull=False
    )
    for gso in communes.order_by("gso_code").values_list("gso_code", flat=True):
        values.append((today, str(gso), float(counts.get(gso, 0))))
    return values


def _rate_spec(
    code: str, name: str, name_en: str, compute: Any, description: str, **kw: Any
) -> IndicatorSpec:
    return IndicatorSpec(
        code=code,
        name=name,
        name_en=name_en,
        unit="%",
        sector="services",
        grain="month",
        owner=OWNER,
        compute=compute,
        by_commune=True,
        description=description,
        **kw,
    )


INDICATORS = [
    _rate_spec(
        "services-on-time-rate",
        "Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn",
        "Dossiers settled early or on time",
        on_time_rate,
        "Bộ chỉ số 766, nhóm 2 (tiến độ giải quyết): số hồ sơ có kết quả trước hạn hoặc đúng hạn chia cho số "
        "hồ sơ có kết quả trong tháng (tính theo ngày có kết quả, so với ngày hẹn trả đang có hiệu lực). Hồ "
        "sơ bị từ chối hoặc dừng xử lý không tính. Theo xã, phường của đơn vị xử lý.",
        target=95,
        warning_below=90,
        critical_below=80,
    ),
    _rate_spec(
        "services-online-rate",
        "Tỷ lệ hồ sơ nộp trực tuyến",
        "Dossiers submitted online",
        online_rate,
        "Bộ chỉ số 766, nhóm 3, chỉ tiêu C: số hồ sơ nộp trực tuyến chia cho tổng số hồ sơ tiếp nhận trong "
        "tháng (trực tuyến, trực tiếp, bưu chính công ích), tính theo lần tiếp nhận đầu tiên.",
        target=50,
    ),
    _rate_spec(
        "services-digitised-rate",
        "Tỷ lệ hồ sơ có thành phần điện tử",
        "Dossiers with electronic documents",
        digitised_rate,
        "Chỉ số gần đúng cho nhóm 6 của Bộ chỉ số 766 (số hóa hồ sơ): số hồ sơ có ít nhất một tệp thành phần "
        "chia cho tổng số hồ sơ tiếp nhận trong tháng. Chưa phân biệt kết quả điện tử, bản sao điện tử hay "
        "tái sử dụng dữ liệu số hóa, nên không thay cho điểm chính thức.",
    ),
    _rate_spec(
        "services-online-payment-rate",
        "Tỷ lệ hồ sơ thanh toán trực tuyến",
        "Dossiers with fees paid online",
        online_payment_rate,
        "Bộ chỉ số 766, nhóm 4, chỉ tiêu A: số hồ sơ có nghĩa vụ tài chính đã nộp phí, lệ phí trực tuyến "
        "(được cổng thanh toán xác nhận) chia cho số hồ sơ có nghĩa vụ tài chính tiếp nhận trong tháng.",
    ),
    _rate_spec(
        "services-satisfaction",
        "Tỷ lệ đánh giá hài lòng",
        "Satisfied ratings",
        satisfaction,
        "Bộ chỉ số 766, nhóm 5: số lượt đánh giá mức 4 hoặc 5 (hài lòng, rất hài lòng) chia cho tổng số lượt "
        "đánh giá trong tháng, tính theo ngày người dân đánh giá.",
        target=90,
    ),
    IndicatorSpec(
        code="services-overdue-open",
        name="Số hồ sơ đang xử lý đã quá hạn",
        name_en="Open dossiers past their due date",
        unit="hồ sơ",
        sector="services",
        grain="day",
        owner=OWNER,
        compute=overdue_open,
        by_commune=True,
        direction="down",
        warning_above=1,
        critical_above=10,
        description=(
            "Số hồ sơ mới tiếp nhận hoặc đang xử lý đã qua ngày hẹn trả đang có hiệu lực (ngày hẹn lại nếu "
            "đã xin lỗi), đếm tại thời điểm tính trong ngày. Hồ sơ chờ bổ sung không tính (tạm dừng tính "
            "thời gian)."
        ),
    ),
]
