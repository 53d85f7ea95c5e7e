"""IOC reports API: the weekly and monthly reports a person may see, generation on demand, PDF/XLSX files."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from langson.core.errors import ApiError, forbidden, not_found
from langson.core.pagination import Pages
from langson.core.parsing import InputSchema
from langson.ioc.models import Report
from langson.ioc.services import reporting
from langson.ioc.views_reports import file_response, visible_reports

router = Router(tags=["ioc"])


class ReportOut(Schema):
    id: int
    kind: str
    title: str
    period_start: date
    period_end: date
    unit: str
    unit_name: str
    scheduled: bool
    generated_at: datetime
    requested_by: str | None
    pdf_url: str
    xlsx_url: str

    @staticmethod
    def resolve_title(r: Report) -> str:
        return reporting.title_of(r.kind, r.period_start, r.period_end)

    @staticmethod
    def resolve_unit(r: Report) -> str:
        return r.unit.code

    @staticmethod
    def resolve_unit_name(r: Report) -> str:
        return r.unit.name

    @staticmethod
    def resolve_requested_by(r: Report) -> str | None:
        return r.requested_by.username if r.requested_by else None

    @staticmethod
    def resolve_pdf_url(r: Report) -> str:
        return reverse("api-1.0.0:ioc_report_file", kwargs={"report_id": r.pk, "fmt": "pdf"})

    @staticmethod
    def resolve_xlsx_url(r: Report) -> str:
        return reverse("api-1.0.0:ioc_report_file", kwargs={"report_id": r.pk, "fmt": "xlsx"})


class GenerateIn(InputSchema):
    kind: str = Field(..., max_length=20, description="weekly | monthly")
    day: date = Field(..., description="một ngày trong kỳ, không ở tương lai / a day in the period")


def _report(request: HttpRequest, report_id: int, with_file: str = "") -> Report:
    if not request.user.has_perm("ioc.view_report"):
        raise forbidden()
    reports = visible_reports(request.user)
    if with_file:
        reports = reports.defer(None).defer(*(f for f in reporting.CONTENT_TYPES if f != with_file))
    report = reports.filter(pk=report_id).first()
    if report is None:
        raise not_found("báo cáo", "report")
    return report


@router.get("", response=list[ReportOut], summary="Báo cáo / reports")
@paginate(Pages)
def list_reports(request: HttpRequest, kind: str | None = None) -> QuerySet[Report]:
    if not request.user.has_perm("ioc.view_report"):
        raise forbidden()
    reports = visible_reports(request.user)
    return reports.filter(kind=kind) if kind else reports


@router.post("", response={201: ReportOut}, summary="Lập báo cáo theo yêu cầu / generate a report")
def generate_report(request: HttpRequest, body: GenerateIn) -> Status:
    if not request.user.has_perm("ioc.add_report"):
        raise forbidden()
    unit = reporting.unit_for(request.user)
    if unit is None:
        raise ApiError(
            403,
            "no_unit",
            "Tài khoản chưa thuộc đơn vị nào nên không lập được báo cáo.",
            "The account belongs to no unit, so it cannot generate reports.",
        )
    try:
        reporting.check_request(body.kind, body.day)
    except reporting.ReportError as exc:
        raise ApiError(422, exc.code, exc.vi, exc.en) from exc
    return Status(201, reporting.generate(body.kind, body.day, unit, user=request.user))


@router.get("/{report_id}", response=ReportOut, summary="Một báo cáo / one report")
def get_report(request: HttpRequest, report_id: int) -> Report:
    return _report(request, report_id)


@router.get(
    "/{report_id}/{fmt}",
    url_name="ioc_report_file",
    summary="Tải báo cáo PDF hoặc XLSX / download the PDF or XLSX",
)
def report_file(request: HttpRequest, report_id: int, fmt: str) -> HttpResponse:
    if fmt not in reporting.CONTENT_TYPES:
        raise ApiError(
            404, "unknown_format", "Chỉ có tệp pdf hoặc xlsx.", "Only the pdf and xlsx files exist."
        )
    return file_response(_report(request, report_id, with_file=fmt), fmt)
