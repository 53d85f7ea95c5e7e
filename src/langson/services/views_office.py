"""The one-stop officers' pages (/mot-cua/): the unit's hồ sơ, one hồ sơ with its actions and its control
sheet, reception at the counter on the applicant's behalf, and the documents' files."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from langson.core.models import OrgUnit, User
from langson.core.services.calendar import calendar_for
from langson.services import deadlines, payments, workflow
from langson.services.access import (
    OFFICER_ROLES,
    dossier_for_person,
    is_officer,
    may_act,
    may_process,
    visible_to_officer,
)
from langson.services.assignment import competent_units, propose_officer
from langson.services.forms import ApologyForm, ApplicantForm, ReasonForm
from langson.services.models import Dossier, Procedure
from langson.services.storage import DossierError, path_of
from langson.services.views_public import submit_from_form

S = Dossier.Status
OPEN = (S.WAITING, S.RECEIVED, S.PROCESSING, S.SUPPLEMENT, S.RESULT)


def officer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_officer(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@officer_required
def inbox(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("trang-thai", "")
    dossiers = visible_to_officer(request.user)
    dossiers = dossiers.filter(status=status) if status in S.values else dossiers.filter(status__in=OPEN)
    page = Paginator(dossiers.order_by("due_at", "submitted_at"), 50).get_page(request.GET.get("trang"))
    now = timezone.now()
    cal = calendar_for(getattr(request.user, "org_unit", None))
    rows = []
    for d in page:
        due = d.extended_due_at or d.due_at
        rows.append(
            {
                "dossier": d,
                "due": due,
                "late": due is not None and now > due,
                "at_risk": due is not None and deadlines.at_risk(cal, now, due),
            }
        )
    return render(
        request, "services/inbox.html", {"page": page, "rows": rows, "status": status, "statuses": S.choices}
    )


ACTIONS = (
    "receive",
    "claim",
    "assign",
    "reassign",
    "supplement_request",
    "refuse",
    "advance",
    "finish",
    "hand_back",
    "apologise",
    "stop",
    "collect_fee",
)


@officer_required
def dossier_detail(request: HttpRequest, code: str) -> HttpResponse:
    dossier = get_object_or_404(visible_to_officer(request.user), code=code)
    processing = may_process(request.user, dossier)
    error = ""
    reason_form, apology_form = ReasonForm(), ApologyForm(prefix="apology")
    action = request.POST.get("action", "")
    if request.method == "POST":
        if action not in ACTIONS or not may_act(request.user, dossier, action):
            raise PermissionDenied
        try:
            if action == "receive":
                workflow.receive(dossier, request.user)
            elif action == "claim":
                workflow.claim(dossier, request.user)
            elif action == "advance":
                to = User.objects.filter(pk=request.POST.get("next_officer") or 0).first()
                workflow.advance(dossier, request.user, to, request.POST.get("handover_note", ""))
            elif action == "collect_fee":
                payments.pay_at_counter(dossier, request.user, request.POST.get("receipt_number", ""))
            elif action == "finish":
                workflow.finish(dossier, request.user)
            elif action == "hand_back":
                workflow.hand_back(dossier, request.user)
            elif action == "assign":
                officer = User.objects.filter(pk=request.POST.get("officer") or 0).first()
                workflow.assign(dossier, request.user, officer)
            elif action == "reassign":
                unit = OrgUnit.objects.filter(pk=request.POST.get("unit") or 0).first()
                if unit is None:
                    raise DossierError("no_unit", _("Hãy chọn đơn vị nhận."), "Choose the receiving unit.")
                workflow.reassign(dossier, request.user, unit, request.POST.get("transfer_reason", ""))
            elif action == "apologise":
                apology_form = ApologyForm(request.POST, prefix="apology")
                if not apology_form.is_valid():
                    raise DossierError(
                        "invalid", _("Hãy nhập lý do và số ngày hẹn thêm."), "Reason and days needed."
                    )
                workflow.apologise(
                    dossier,
                    request.user,
                    apology_form.cleaned_data["reason"],
                    apology_form.cleaned_data["extra_days"],
                )
            else:
                reason_form = ReasonForm(request.POST)
                if not reason_form.is_valid():
                    raise DossierError("reason_required", _("Hãy ghi rõ lý do."), "Give the reason.")
                steps = {"supplement_request": workflow.request_supplement, "stop": workflow.stop}
                step = steps.get(action, workflow.refuse)
                step(dossier, request.user, reason_form.cleaned_data["reason"])
        except DossierError as exc:
            error = exc.vi
        else:
            messages.success(request, _("Đã cập nhật hồ sơ %(code)s.") % {"code": dossier.code})
            return redirect("services:office-dossier", code=dossier.code)
    officers, proposed, units = [], None, []
    if processing and dossier.status in (S.RECEIVED, S.PROCESSING):
        officers = list(
            User.objects.filter(org_unit=dossier.processing_unit, is_active=True, role__in=OFFICER_ROLES)
        )
        proposed = propose_officer(dossier.processing_unit) if dossier.status == S.RECEIVED else None
    if processing and dossier.status in (S.WAITING, S.RECEIVED):
        units = [
            u
            for u in competent_units(dossier.procedure, dossier.received_unit)
            if u != dossier.processing_unit
        ]
    return render(
        request,
        "services/office_dossier.html",
        {
            "dossier": dossier,
            "processing": processing,
            "officers": officers,
            "proposed": proposed,
            "units": units,
            "plan": workflow.step_plan(dossier),
            "fee_owed": payments.fee_owed(dossier) if dossier.status not in (S.REFUSED, S.STOPPED) else 0,
            "next_step": workflow.has_next_step(dossier),
            "documents": dossier.documents.all(),
            "events": dossier.events.select_related("actor", "from_unit", "to_unit"),
            "reason_form": reason_form,
            "apology_form": apology_form,
            "error": error,
        },
    )


@officer_required
def counter_submit(request: HttpRequest) -> HttpResponse:
    """Tiếp nhận trực tiếp: an officer enters a hồ sơ for the applicant standing at the counter."""
    procedures = Procedure.objects.filter(active=True).order_by("field", "name")
    procedure = procedures.filter(
        code=request.GET.get("thu-tuc") or request.POST.get("procedure", "")
    ).first()
    unit = getattr(request.user, "org_unit", None)
    form = ApplicantForm(request.POST or None, initial={"received_unit": unit, "return_unit": unit})
    error = ""
    if request.method == "POST" and procedure is not None and form.is_valid():
        dossier, error = submit_from_form(request, procedure, form, channel="counter", officer=request.user)
        if dossier is not None:
            messages.success(request, _("Đã tiếp nhận hồ sơ %(code)s.") % {"code": dossier.code})
            return redirect("services:office-dossier", code=dossier.code)
    return render(
        request,
        "services/counter.html",
        {"procedures": procedures, "procedure": procedure, "form": form, "error": error},
    )


@login_required
def document_file(request: HttpRequest, code: str, document_id: int) -> FileResponse:
    """A file of a hồ sơ, for its officers and its applicant."""
    dossier = dossier_for_person(request.user, code)
    document = get_object_or_404(dossier.documents, pk=document_id)
    path = path_of(document.sha256)
    if not path.exists():
        raise Http404
    return FileResponse(open(path, "rb"), content_type=document.content_type, filename=document.name)


@officer_required
def control_sheet(request: HttpRequest, code: str) -> HttpResponse:
    """Phiếu kiểm soát quá trình giải quyết hồ sơ (BM.05) as PDF."""
    from langson.services.receipt import control_sheet_pdf

    dossier = get_object_or_404(visible_to_officer(request.user), code=code)
    response = HttpResponse(control_sheet_pdf(dossier), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="phieu-kiem-soat-{dossier.code}.pdf"'
    return response
