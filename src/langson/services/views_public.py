"""Public pages of the one-stop service (/dvc/): the catalog, online submission, the applicant's own hồ sơ
(supplement, rating), and the lookup by code or QR that anyone may use without logging in."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from langson.services import payments, workflow
from langson.services.access import dossier_for_person, own_dossiers
from langson.services.forms import ApplicantForm, RatingForm
from langson.services.models import Dossier, Procedure
from langson.services.storage import Attachment, DossierError

MAX_FILES_PER_KIND = 5


def catalog(request: HttpRequest) -> HttpResponse:
    procedures = Procedure.objects.filter(active=True)
    query = request.GET.get("q", "").strip()[:100]
    if query:
        procedures = procedures.filter(
            Q(name__icontains=query) | Q(code__icontains=query) | Q(field__icontains=query)
        )
    level = request.GET.get("cap", "")
    if level in Procedure.Level.values:
        procedures = procedures.filter(level=level)
    page = Paginator(procedures.order_by("field", "name"), 50).get_page(request.GET.get("trang"))
    return render(request, "services/catalog.html", {"page": page, "q": query, "level": level})


def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    procedure = get_object_or_404(Procedure, code=code, active=True)
    return render(request, "services/procedure.html", {"procedure": procedure})


def attachments_from(request: HttpRequest, procedure: Procedure) -> list[Attachment]:
    """Files of the form, one input per thành phần hồ sơ (``doc_<code>``), read into memory (≤ 10 MB each)."""
    files: list[Attachment] = []
    for document in procedure.documents:
        for upload in request.FILES.getlist(f"doc_{document['code']}")[:MAX_FILES_PER_KIND]:
            files.append(Attachment(document["code"], upload.name or document["code"], upload.read()))
    return files


def submit_from_form(
    request: HttpRequest, procedure: Procedure, form: ApplicantForm, **who: Any
) -> tuple[Dossier | None, str]:
    """Submit a valid applicant form with its files; the hồ sơ, or the Vietnamese reason it was refused."""
    try:
        dossier = workflow.submit(
            procedure,
            form.applicant(),
            attachments_from(request, procedure),
            received_unit=form.cleaned_data["received_unit"],
            return_unit=form.cleaned_data["return_unit"],
            request=form.cleaned_data["request"],
            **who,
        )
    except DossierError as exc:
        return None, exc.vi
    return dossier, ""


@login_required
def submit_online(request: HttpRequest, code: str) -> HttpResponse:
    procedure = get_object_or_404(Procedure, code=code, active=True)
    if procedure.online == Procedure.Online.NONE:
        raise Http404
    error = ""
    person: Any = request.user
    initial = {"applicant_name": person.full_name or "", "applicant_email": person.email}
    form = ApplicantForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        dossier, error = submit_from_form(request, procedure, form, channel="online", account=request.user)
        if dossier is not None:
            messages.success(request, _("Đã nộp hồ sơ. Mã hồ sơ của bạn: %(code)s") % {"code": dossier.code})
            return redirect("services:my-dossier", code=dossier.code)
    return render(request, "services/submit.html", {"procedure": procedure, "form": form, "error": error})


@login_required
def my_dossiers(request: HttpRequest) -> HttpResponse:
    page = Paginator(own_dossiers(request.user).order_by("-submitted_at"), 30).get_page(
        request.GET.get("trang")
    )
    return render(request, "services/my_dossiers.html", {"page": page})


@login_required
def my_dossier(request: HttpRequest, code: str) -> HttpResponse:
    dossier = get_object_or_404(own_dossiers(request.user), code=code)
    error = ""
    rating_form = RatingForm(request.POST if request.POST.get("action") == "rate" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "supplement":
                workflow.supplement(dossier, attachments_from(request, dossier.procedure))
                messages.success(request, _("Đã bổ sung hồ sơ."))
                return redirect("services:my-dossier", code=dossier.code)
            if request.POST.get("action") == "rate" and rating_form.is_valid():
                workflow.rate(
                    dossier, rating_form.cleaned_data["rating"], rating_form.cleaned_data["comment"]
                )
                messages.success(request, _("Cảm ơn bạn đã đánh giá."))
                return redirect("services:my-dossier", code=dossier.code)
        except DossierError as exc:
            error = exc.vi
    return render(request, "services/my_dossier.html", _dossier_context(request, dossier, error, rating_form))


def qr_svg(url: str) -> str:
    """The lookup address as an inline SVG QR code (segno draws it as vector paths, no image library)."""
    import segno

    return str(segno.make(url, error="m").svg_inline(scale=4, title=url))


def _dossier_context(
    request: HttpRequest, dossier: Dossier, error: str = "", rating_form: Any = None
) -> dict[str, Any]:
    supplement_request = dossier.events.filter(action="supplement_request").order_by("-at").first()
    lookup_url = reverse("services:lookup") + f"?ma={dossier.code}"
    unsettled = dossier.status not in (Dossier.Status.REFUSED, Dossier.Status.STOPPED)
    return {
        "fee_owed": payments.fee_owed(dossier) if unsettled else 0,
        "online_payment": payments.online_enabled(),
        "dossier": dossier,
        "documents": dossier.documents.all(),
        "supplement_request": supplement_request,
        "error": error,
        "rating_form": rating_form,
        "lookup_url": lookup_url,
        "qr": qr_svg(request.build_absolute_uri(lookup_url)),
    }


def lookup(request: HttpRequest) -> HttpResponse:
    """Tra cứu hồ sơ: status and dates only, no personal data (anyone holding the code or the QR may look)."""
    code = request.GET.get("ma", "").strip().upper()[:60]
    dossier = (
        Dossier.objects.select_related("procedure", "processing_unit", "return_unit")
        .filter(code=code)
        .first()
    )
    return render(request, "services/lookup.html", {"code": code, "dossier": dossier, "searched": bool(code)})


@login_required
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    """Giấy tiếp nhận hồ sơ và hẹn trả kết quả (PDF) for the applicant and the officers who see the hồ sơ."""
    from langson.services.receipt import receipt_pdf

    dossier = dossier_for_person(request.user, code)
    url = request.build_absolute_uri(reverse("services:lookup") + f"?ma={dossier.code}")
    response = HttpResponse(receipt_pdf(dossier, url), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="phieu-tiep-nhan-{dossier.code}.pdf"'
    return response
