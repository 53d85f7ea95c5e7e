"""IOC reports page: the weekly and monthly reports a person may see, downloads, and generation on demand."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from langson.core.models import scoped
from langson.ioc.models import Report
from langson.ioc.services import reporting


def visible_reports(user: Any) -> QuerySet[Report]:
    """Reports of the person's unit and the units below it; the files stay in the database until asked for."""
    return scoped(
        Report.objects.select_related("unit", "requested_by").defer("pdf", "xlsx"), user, "unit__path"
    )


class GenerateForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Loại báo cáo"), choices=Report.Kind.choices)
    day = forms.DateField(
        label=gettext_lazy("Một ngày trong kỳ"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


@login_required
@permission_required("ioc.view_report", raise_exception=True)
def report_list(request: HttpRequest) -> HttpResponse:
    reports = visible_reports(request.user)
    kind = request.GET.get("kind", "")
    if kind in reporting.KINDS:
        reports = reports.filter(kind=kind)
    else:
        kind = ""
    page = Paginator(reports, 50).get_page(request.GET.get("page"))
    for report in page.object_list:
        report.title = reporting.title_of(report.kind, report.period_start, report.period_end)
    form = GenerateForm(initial={"kind": reporting.WEEKLY, "day": reporting.today()})
    return render(
        request,
        "ioc/reports.html",
        {"page": page, "kind": kind, "kinds": Report.Kind.choices, "form": form},
    )


@login_required
@require_POST
@permission_required("ioc.add_report", raise_exception=True)
def report_generate(request: HttpRequest) -> HttpResponse:
    form = GenerateForm(request.POST)
    unit = reporting.unit_for(request.user)
    if unit is None:
        messages.error(request, _("Tài khoản của bạn chưa thuộc đơn vị nào nên không lập được báo cáo."))
        return redirect("ioc:reports")
    if not form.is_valid():
        messages.error(request, _("Hãy chọn loại báo cáo và một ngày hợp lệ."))
        return redirect("ioc:reports")
    kind, day = form.cleaned_data["kind"], form.cleaned_data["day"]
    try:
        reporting.check_request(kind, day)
    except reporting.ReportError as exc:
        messages.error(request, exc.message())
        return redirect("ioc:reports")
    report = reporting.generate(kind, day, unit, user=request.user)
    messages.success(
        request,
        _("Đã lập %(report)s (%(start)s – %(end)s).")
        % {
            "report": report.get_kind_display().lower(),
            "start": f"{report.period_start:%d/%m/%Y}",
            "end": f"{report.period_end:%d/%m/%Y}",
        },
    )
    return redirect("ioc:reports")


@login_required
@permission_required("ioc.view_report", raise_exception=True)
def report_download(request: HttpRequest, report_id: int, fmt: str) -> HttpResponse:
    return download_response(request.user, report_id, fmt)


def download_response(user: Any, report_id: int, fmt: str) -> HttpResponse:
    """The stored file; 404 for a report outside the person's scope (its existence is not disclosed)."""
    if fmt not in reporting.CONTENT_TYPES:
        raise Http404
    others = [other for other in reporting.CONTENT_TYPES if other != fmt]
    report = visible_reports(user).defer(None).defer(*others).filter(pk=report_id).first()
    if report is None:
        raise Http404
    return file_response(report, fmt)


def file_response(report: Report, fmt: str) -> HttpResponse:
    response = HttpResponse(bytes(getattr(report, fmt)), content_type=reporting.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{reporting.filename_of(report, fmt)}"'
    return response
