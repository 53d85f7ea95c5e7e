"""Letters of a hồ sơ to its applicant as PDF (/dvc/ho-so/<code>/...): for the applicant's own account and
for the officers who see the hồ sơ in the office, like the receipt; anyone else gets 404, as if there were
none."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from langson.services.access import dossier_for_person
from langson.services.storage import DossierError


@login_required
def apology_letter(request: HttpRequest, code: str) -> HttpResponse:
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả (BM.04) as PDF; 404 while the hồ sơ has no apology."""
    from langson.services.letters import apology_letter_pdf  # reportlab only when a letter is asked for

    dossier = dossier_for_person(request.user, code)
    try:
        data = apology_letter_pdf(dossier)
    except DossierError:
        raise Http404 from None
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="xin-loi-{dossier.code}.pdf"'
    return response
