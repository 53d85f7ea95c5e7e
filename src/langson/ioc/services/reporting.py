"""Weekly and monthly IOC reports filled from the database: periods, the report's data, stored PDF/XLSX.

A report covers one unit's scope (the province root sees everything): the indicators its unit and the units
below it own (province totals only), the alerts raised in that scope during the period, and a few counts.
Scheduled reports (previous complete week and month, province root) are written once per period; reports on
demand are written each time someone asks.

Indicator values and report periods do not always share a grain:

- finer than the report (daily values in a weekly report, daily or weekly values in a monthly one): the values
  of the period are aggregated by the indicator's measure (sum and count add up, avg averages, min/max keep
  the extreme; without a declared measure, rates, i.e. unit "%" or "tỷ lệ", average and others add up). A
  weekly value belongs to the month holding its Thursday, as ISO weeks belong to years. Targets and thresholds
  are set per indicator period: for totals the target is multiplied by the number of indicator periods in the
  report period and the status compares the mean per indicator period with the thresholds;
- equal or coarser (a monthly indicator in a weekly report): the value of the indicator's period containing
  the report's last day; the previous value and the history are then the indicator's own previous periods
  (the previous week's "month" would mostly be the same month again).
"""

from __future__ import annotations

import hashlib
import logging
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from langson.core.models import OrgUnit
from langson.ioc.models import Alert, Indicator, IndicatorValue, Report
from langson.ioc.reports import AlertLine, IndicatorLine, ReportData, render_pdf, render_xlsx
from langson.ioc.reports.formatting import format_number
from langson.ioc.services.indicators import period_start, status_of

logger = logging.getLogger(__name__)

WEEKLY = Report.Kind.WEEKLY.value
MONTHLY = Report.Kind.MONTHLY.value
KINDS: tuple[str, ...] = (WEEKLY, MONTHLY)
HISTORY_LENGTH = 12  # periods in the sparkline, the current one included

_REPORT_GRAIN = {WEEKLY: "week", MONTHLY: "month"}
_GRAIN_ORDER = {"day": 0, "week": 1, "month": 2, "year": 3}
_RATE_UNITS = {"%", "tỷ lệ"}
_FILE_KIND = {WEEKLY: "tuan", MONTHLY: "thang"}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def today() -> date:
    """Today in Vietnam (a function of its own so that tests can move the clock)."""
    return timezone.localdate()


class ReportError(ValueError):
    """Bad request for a report: ``code`` for the API, the message in Vietnamese and its English twin."""

    def __init__(self, code: str, vi: str, en: str) -> None:
        super().__init__(f"{vi} / {en}")
        self.code = code
        self.vi = vi
        self.en = en

    def message(self) -> str:
        """The message in the language of the current request."""
        return self.en if (translation.get_language() or "").startswith("en") else self.vi


# --- Periods --------------------------------------------------------------------------------------------


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise ReportError(
            "unknown_kind",
            "Loại báo cáo không hợp lệ: chỉ có báo cáo tuần (weekly) và báo cáo tháng (monthly).",
            "Unknown report kind: use weekly or monthly.",
        )
    return kind


def _month_end(start: date) -> date:
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def period_of(kind: str, day: date) -> tuple[date, date]:
    """The ISO week (Monday–Sunday) or the calendar month containing ``day``."""
    check_kind(kind)
    if kind == WEEKLY:
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    start = day.replace(day=1)
    return start, _month_end(start)


def previous_period(kind: str, today: date) -> tuple[date, date]:
    """The last complete week or month before ``today``'s."""
    start, _end = period_of(kind, today)
    return period_of(kind, start - timedelta(days=1))


def _back(start: date, grain: str, periods: int) -> date:
    """The start of the period ``periods`` periods of ``grain`` before the one starting at ``start``."""
    if grain == "day":
        return start - timedelta(days=periods)
    if grain == "week":
        return start - timedelta(weeks=periods)
    if grain == "month":
        months = start.year * 12 + start.month - 1 - periods
        return date(months // 12, months % 12 + 1, 1)
    return date(start.year - periods, 1, 1)


def _grain_end(start: date, grain: str) -> date:
    if grain == "day":
        return start
    if grain == "week":
        return start + timedelta(days=6)
    if grain == "month":
        return _month_end(start)
    return date(start.year, 12, 31)


def _short(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def title_of(kind: str, start: date, end: date) -> str:
    """``Báo cáo tuần 47/2026 (16/11–22/11/2026)`` or ``Báo cáo tháng 11/2026``."""
    if kind == WEEKLY:
        iso_year, week, _weekday = start.isocalendar()
        same_year = start.year == end.year
        days = f"{start:%d/%m}–{end:%d/%m/%Y}" if same_year else f"{_short(start)}–{_short(end)}"
        return _("Báo cáo tuần %(week)s/%(year)s (%(days)s)") % {"week": week, "year": iso_year, "days": days}
    return _("Báo cáo tháng %(month)s/%(year)s") % {"month": start.month, "year": start.year}


def period_label(start: date, end: date) -> str:
    """Both dates in full (the XLSX reads them back as ``Từ ngày`` and ``Đến ngày``)."""
    return f"{_short(start)} – {_short(end)}"


def filename_of(report: Report, extension: str) -> str:
    """``bao-cao-tuan-2026-11-16.pdf``; reports of a unit below the province carry its code."""
    unit = "" if report.unit.parent_id is None else f"-{report.unit.code.lower()}"
    return f"bao-cao-{_FILE_KIND[report.kind]}-{report.period_start.isoformat()}{unit}.{extension}"


# --- Report data ----------------------------------------------------------------------------------------


def _measure(indicator: Indicator) -> str:
    measure = indicator.definition.get("measure") if isinstance(indicator.definition, dict) else None
    if measure in ("sum", "count", "avg", "min", "max"):
        return str(measure)
    return "avg" if indicator.unit.strip().lower() in _RATE_UNITS else "sum"


_COMBINE: dict[str, Callable[[list[float]], float]] = {
    "sum": sum,
    "count": sum,
    "avg": statistics.fmean,
    "min": min,
    "max": max,
}


def _anchor(period: date, grain: str) -> date:
    """The day that places a finer period in a report period: a week goes where its Thursday is."""
    return period + timedelta(days=3) if grain == "week" else period


def _periods_in(start: date, end: date, grain: str) -> int:
    """How many indicator periods of ``grain`` (day or week) the report period [start, end] holds."""
    days = (end - start).days + 1
    if grain == "week":  # the weeks whose Thursday falls in the period
        return sum(1 for n in range(days) if (start + timedelta(days=n)).weekday() == 3)
    return days


@dataclass(frozen=True)
class Series:
    """An indicator in a report: its value, the previous one, the history (oldest first) and, for totals
    added up from finer periods, the target scaled to the report period and the mean per indicator period
    (what the thresholds, set per indicator period, are compared with)."""

    value: float | None
    previous: float | None
    history: list[float | None]
    target: float | None
    compared: float | None


def indicator_series(indicator: Indicator, kind: str, start: date, end: date) -> Series:
    """The province total of ``indicator`` for the report period [start, end] and the periods before it."""
    report_grain = _REPORT_GRAIN[kind]
    grain = indicator.grain if indicator.grain in _GRAIN_ORDER else "day"
    finer = _GRAIN_ORDER[grain] < _GRAIN_ORDER[report_grain]
    step, current = (report_grain, start) if finer else (grain, period_start(end, grain))
    starts = [_back(current, step, n) for n in range(HISTORY_LENGTH - 1, -1, -1)]
    # A week counted in a month by its Thursday may start up to three days before the month.
    lower = starts[0] - timedelta(days=7)
    upper = _grain_end(current, step)
    values = dict(
        IndicatorValue.objects.filter(
            indicator=indicator, commune="", period__gte=lower, period__lte=upper
        ).values_list("period", "value")
    )
    if not finer:
        history = [values.get(first) for first in starts]
        value = history[-1]
        return Series(value, history[-2], history, indicator.target, value)
    measure = _measure(indicator)
    buckets: dict[date, list[float]] = {first: [] for first in starts}
    for period, number in values.items():
        first = period_start(_anchor(period, grain), report_grain)
        if first in buckets:
            buckets[first].append(number)
    combine = _COMBINE[measure]
    finer_history: list[float | None] = [
        float(combine(buckets[first])) if buckets[first] else None for first in starts
    ]
    value = finer_history[-1]
    target, compared = indicator.target, value
    if measure in ("sum", "count"):
        # Targets and thresholds are set per indicator period (a day's trucks): scale the target to the
        # report period, compare the thresholds with the mean per indicator period.
        if target is not None:
            target *= _periods_in(start, end, grain)
        compared = statistics.fmean(buckets[current]) if buckets[current] else None
    return Series(value, finer_history[-2], finer_history, target, compared)


def scope_indicators(unit: OrgUnit) -> Any:
    indicators = Indicator.objects.select_related("owner")
    return indicators if unit.parent_id is None else indicators.filter(owner__path__startswith=unit.path)


def scope_alerts(unit: OrgUnit) -> Any:
    alerts = Alert.objects.select_related("indicator", "dataset")
    return alerts if unit.parent_id is None else alerts.filter(unit__path__startswith=unit.path)


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The period as aware datetimes in local time (Vietnam), end exclusive."""
    zone = timezone.get_default_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), zone),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), zone),
    )


def _notes(unit: OrgUnit, start: date, end: date, opened: list[Alert]) -> list[str]:
    since, until = _bounds(start, end)
    alerts = scope_alerts(unit)
    critical = sum(1 for alert in opened if alert.severity == Alert.Severity.CRITICAL)
    resolved = alerts.filter(resolved_at__gte=since, resolved_at__lt=until).count()
    # A dataset was late in the period when one of its freshness alerts was live at some moment of it.
    late = (
        alerts.filter(kind=Alert.Kind.FRESHNESS, dataset__isnull=False, opened_at__lt=until)
        .filter(Q(resolved_at__isnull=True) | Q(resolved_at__gte=since))
        .values_list("dataset__name", flat=True)
        .distinct()
    )
    late_names = sorted(set(late))
    notes = [
        _("Cảnh báo phát sinh trong kỳ: %(opened)s (nghiêm trọng: %(critical)s).")
        % {"opened": format_number(len(opened)), "critical": format_number(critical)},
        _("Cảnh báo được xử lý xong trong kỳ: %(resolved)s.") % {"resolved": format_number(resolved)},
    ]
    if late_names:
        notes.append(
            _("Bộ dữ liệu chậm cập nhật trong kỳ: %(count)s (%(names)s).")
            % {"count": format_number(len(late_names)), "names": ", ".join(late_names)}
        )
    else:
        notes.append(_("Không có bộ dữ liệu nào chậm cập nhật trong kỳ."))
    notes.append(
        _(
            "Chỉ số theo ngày, theo tuần được tổng hợp theo kỳ báo cáo: chỉ số tổng được cộng dồn (chỉ tiêu "
            "nhân theo số ngày, số tuần của kỳ; ngưỡng cảnh báo so với bình quân mỗi ngày, mỗi tuần), chỉ số "
            "bình quân được lấy trung bình. Số liệu là tổng toàn tỉnh hoặc toàn đơn vị."
        )
    )
    now = today()
    if end >= now:
        notes.append(_("Kỳ báo cáo chưa kết thúc: số liệu tính đến ngày %(day)s.") % {"day": _short(now)})
    return notes


def build_report_data(kind: str, start: date, end: date, unit: OrgUnit) -> ReportData:
    """The report of ``unit``'s scope for the period [start, end], in Vietnamese whatever the request's
    language (the renderers' own labels are Vietnamese)."""
    check_kind(kind)
    with translation.override("vi"):
        lines = []
        for indicator in scope_indicators(unit):
            series = indicator_series(indicator, kind, start, end)
            lines.append(
                IndicatorLine(
                    code=indicator.code,
                    name=indicator.name,
                    unit=indicator.unit,
                    sector=indicator.sector,
                    value=series.value,
                    previous=series.previous,
                    target=series.target,
                    status=status_of(indicator, series.compared),
                    history=series.history,
                )
            )
        since, until = _bounds(start, end)
        opened = list(
            scope_alerts(unit).filter(opened_at__gte=since, opened_at__lt=until).order_by("opened_at", "id")
        )
        alert_lines = [
            AlertLine(
                opened_at=alert.opened_at,
                indicator=(
                    alert.indicator.name if alert.indicator else alert.dataset.name if alert.dataset else ""
                ),
                severity=alert.severity,
                title=alert.title,
                state=alert.state,
            )
            for alert in opened
        ]
        title = title_of(kind, start, end)
        if unit.parent_id is not None:
            title = f"{title} — {unit.name}"
        return ReportData(
            title=title,
            period_label=period_label(start, end),
            generated_at=timezone.now(),
            indicators=lines,
            alerts=alert_lines,
            notes=_notes(unit, start, end, opened),
        )


# --- Generation -----------------------------------------------------------------------------------------


def check_request(kind: str, day: date) -> tuple[date, date]:
    """The period of a report asked for on demand: a known kind and a day not in the future."""
    check_kind(kind)
    if day > today():
        raise ReportError(
            "future_date",
            f"Ngày {_short(day)} còn ở tương lai: chỉ lập được báo cáo cho kỳ đã bắt đầu.",
            f"{day.isoformat()} is in the future: reports cover periods that have begun.",
        )
    return period_of(kind, day)


def _audit(report: Report, pdf: bytes, xlsx: bytes) -> None:
    """Reports are not audited models; a generation is recorded as the creation of one."""
    from langson.core.services import audit

    audit.append(
        "create",
        model=report._meta.label_lower,
        object_pk=str(report.pk),
        object_repr=str(report),
        scope_path=report.unit.path,
        changes={
            "after": {
                "kind": report.kind,
                "period_start": report.period_start.isoformat(),
                "period_end": report.period_end.isoformat(),
                "unit_id": report.unit_id,
                "scheduled": report.scheduled,
                "requested_by_id": report.requested_by_id,
                "pdf": hashlib.sha256(pdf).hexdigest(),
                "xlsx": hashlib.sha256(xlsx).hexdigest(),
            }
        },
    )


def _scheduled(kind: str, start: date, unit: OrgUnit) -> Report | None:
    return Report.objects.filter(kind=kind, period_start=start, unit=unit, scheduled=True).first()


def generate(kind: str, start: date, unit: OrgUnit, *, user: Any = None, scheduled: bool = False) -> Report:
    """Render and store the report of the period containing ``start``; a scheduled one only once."""
    start, end = period_of(kind, start)
    if scheduled and (existing := _scheduled(kind, start, unit)) is not None:
        return existing
    data = build_report_data(kind, start, end, unit)
    pdf, xlsx = render_pdf(data), render_xlsx(data)
    requested_by = user if user is not None and getattr(user, "is_authenticated", False) else None
    try:
        with transaction.atomic():
            report = Report.objects.create(
                kind=kind,
                period_start=start,
                period_end=end,
                unit=unit,
                scheduled=scheduled,
                pdf=pdf,
                xlsx=xlsx,
                requested_by=requested_by,
            )
            _audit(report, pdf, xlsx)
    except IntegrityError:
        existing = _scheduled(kind, start, unit) if scheduled else None
        if existing is None:
            raise
        return existing  # written meanwhile by another worker
    return report


def province_root() -> OrgUnit | None:
    roots = OrgUnit.objects.filter(parent__isnull=True)
    return roots.filter(kind=OrgUnit.Kind.PROVINCE).order_by("id").first() or roots.order_by("id").first()


def unit_for(user: Any) -> OrgUnit | None:
    """The unit a person asks reports for: their own; administrators without one ask for the province."""
    if getattr(user, "org_unit_id", None):
        return user.org_unit
    if user.is_superuser or user.role == user.Role.ADMINISTRATOR:
        return province_root()
    return None


@task()
def generate_due_reports() -> dict[str, int]:
    """The previous complete week's and month's reports of the province, if not written yet (idempotent)."""
    root = province_root()
    if root is None:
        return {"generated": 0}
    generated = 0
    for kind in KINDS:
        start, _end = previous_period(kind, today())
        if _scheduled(kind, start, root) is None:
            generate(kind, start, root, scheduled=True)
            generated += 1
            logger.info("generated the %s report of %s", kind, start)
    return {"generated": generated}
