"""Letters of a hồ sơ to its applicant as PDF (/dvc/ho-so/<code>/...): for the applicant's own account and
for the officers who see the hồ sơ in the office, like the receipt; anyone else gets 404, as if there were
none."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from langson.services.access import is_officer, own_dossiers, visible_to_officer
from langson.services.models import Dossier
from langson.services.storage import DossierError


def _dossier_for(request: HttpRequest, code: str) -> Dossier:
    """The hồ sơ if the person submitted it or may see it in the office (the control sheet's rule)."""
    dossier = own_dossiers(request.user).filter(code=code).first()
    if dossier is None and is_officer(request.user):
        dossier = visible_to_officer(request.user).filter(code=code).first()
    if dossier is None:
        raise Http404
    return dossier


@login_required
def apology_letter(request: HttpRequest, code: str) -> HttpResponse:
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả (BM.04) as PDF; 404 while the hồ sơ has no apology."""
    from langson.services.letters import apology_letter_pdf  # reportlab only when a letter is asked for

    dossier = _dossier_for(request, code)
    try:
        data = apology_letter_pdf(dossier)
    except DossierError:
        raise Http404 from None
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="xin-loi-{dossier.code}.pdf"'
    return response
