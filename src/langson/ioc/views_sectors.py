"""Sector pages (the overview's cards for one sector, its open alerts, its datasets' freshness) and the
download of an indicator's stored values as CSV or XLSX."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from langson.core.models import OrgUnit
from langson.ioc.api import visible_alerts, visible_datasets, visible_indicators
from langson.ioc.models import Alert, Dataset, Indicator, IndicatorValue
from langson.ioc.services.alerts import is_late
from langson.ioc.views import _cards

EXPORT_HEADER = ("Kỳ", "Mã xã", "Tên xã", "Giá trị")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def sector_dataset_codes(sector: str) -> set[str]:
    """Codes of the datasets the sector's computed indicators are calculated from."""
    definitions = Indicator.objects.filter(sector=sector).values_list("definition", flat=True)
    return {d["dataset"] for d in definitions if isinstance(d, dict) and isinstance(d.get("dataset"), str)}


def freshness(dataset: Dataset, now: Any = None) -> dict[str, Any]:
    """Whether a dataset is late, by the same rule as the freshness alerts (silent for 1.5 × its interval)."""
    late = is_late(dataset, now or timezone.now())
    return {"dataset": dataset, "last_received_at": dataset.last_received_at, "late": late}


@login_required
@permission_required("ioc.view_indicator", raise_exception=True)
def sector_detail(request: HttpRequest, sector: str) -> HttpResponse:
    if sector not in Indicator.Sector.values:
        raise Http404
    codes = sector_dataset_codes(sector)
    alerts = (
        visible_alerts(request.user)
        .exclude(state=Alert.State.RESOLVED)
        .filter(Q(indicator__sector=sector) | Q(dataset__code__in=codes))
        .prefetch_related("comments__author")[:50]
    )
    datasets = []
    if request.user.has_perm("ioc.view_dataset"):
        now = timezone.now()
        datasets = [freshness(d, now) for d in visible_datasets(request.user).filter(code__in=codes)]
    return render(
        request,
        "ioc/sector.html",
        {
            "sector": sector,
            "sector_name": Indicator.Sector(sector).label,
            "sectors": Indicator.Sector.choices,
            "cards": _cards(request.user, sector=sector),
            "alerts": list(alerts),
            "datasets": datasets,
        },
    )


class ExportError(ValueError):
    def __init__(self, vi: str, en: str) -> None:
        super().__init__(en)
        self.vi = vi
        self.en = en


def _date_param(request: HttpRequest, name: str) -> date | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        if not ISO_DATE.fullmatch(raw):
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        raise ExportError(
            f"Tham số '{name}' phải là ngày dạng YYYY-MM-DD.",
            f"The '{name}' parameter must be a date written YYYY-MM-DD.",
        ) from None


def _export_rows(request: HttpRequest, code: str) -> tuple[Indicator, Iterator[tuple[date, str, str, float]]]:
    """The indicator (404 outside the user's scope) and its values, filtered by from, to and commune."""
    indicator = visible_indicators(request.user).filter(code=code).first()
    if indicator is None:
        raise Http404
    start, end = _date_param(request, "from"), _date_param(request, "to")
    if start and end and start > end:
        raise ExportError(
            "Ngày bắt đầu ('from') phải trước hoặc bằng ngày kết thúc ('to').",
            "The start date ('from') must not be after the end date ('to').",
        )
    names = dict(OrgUnit.objects.filter(gso_code__isnull=False).values_list("code", "name"))
    commune = request.GET.get("commune", "").strip()
    if commune and commune not in names:
        raise ExportError(
            "Mã xã, phường không có trong danh mục.", "The commune code is not in the list of communes."
        )
    values = IndicatorValue.objects.filter(indicator=indicator).order_by("period", "commune")
    if start:
        values = values.filter(period__gte=start)
    if end:
        values = values.filter(period__lte=end)
    if commune:
        values = values.filter(commune=commune)
    province = _("Toàn tỉnh")
    rows = (
        (period, place, names.get(place, place) if place else province, value)
        for period, place, value in values.values_list("period", "commune", "value").iterator()
    )
    return indicator, rows


def _bad_request(exc: ExportError) -> HttpResponse:
    return HttpResponseBadRequest(f"{exc.vi} / {exc.en}", content_type="text/plain; charset=utf-8")


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


@login_required
@permission_required("ioc.view_indicator", raise_exception=True)
def indicator_export_csv(request: HttpRequest, code: str) -> HttpResponse:
    """UTF-8 with a BOM, comma-separated: Excel opens the Vietnamese names correctly."""
    try:
        indicator, rows = _export_rows(request, code)
    except ExportError as exc:
        return _bad_request(exc)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_HEADER)
    for period, place, name, value in rows:
        writer.writerow([period.isoformat(), place, name, _number(value)])
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="chi-tieu-{indicator.code}.csv"'
    return response


@login_required
@permission_required("ioc.view_indicator", raise_exception=True)
def indicator_export_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    """One sheet, the same columns as the CSV: periods as dates, values as numbers."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    try:
        indicator, rows = _export_rows(request, code)
    except ExportError as exc:
        return _bad_request(exc)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(indicator.code[:31])
    sheet.freeze_panes = "A2"
    header = []
    for title in EXPORT_HEADER:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for period, place, name, value in rows:
        day = WriteOnlyCell(sheet, value=period)
        day.number_format = "yyyy-mm-dd"
        sheet.append([day, place, name, value])
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="chi-tieu-{indicator.code}.xlsx"'
    return response
