"""Paying a hồ sơ's fee online (services/payments.py): the applicant is sent to the payment gateway, comes
back to our page, and the gateway confirms to us server to server (IPN), which alone marks the fee paid."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from langson.services import payments
from langson.services.access import own_dossiers
from langson.services.models import Payment
from langson.services.storage import DossierError


@login_required
@require_POST
def pay(request: HttpRequest, code: str) -> HttpResponse:
    """The applicant's "Thanh toán trực tuyến": a pending payment, then off to the gateway."""
    dossier = get_object_or_404(own_dossiers(request.user), code=code)
    back = request.build_absolute_uri(reverse("services:payment-return", args=[dossier.code]))
    try:
        _payment, address = payments.start_online(dossier, back)
    except DossierError as exc:
        messages.error(request, exc.vi)
        return redirect("services:my-dossier", code=dossier.code)
    return HttpResponseRedirect(address)


@login_required
def payment_return(request: HttpRequest, code: str) -> HttpResponse:
    """Back from the gateway: what the browser brings proves nothing, so the page says what we know."""
    dossier = get_object_or_404(own_dossiers(request.user), code=code)
    latest = dossier.payments.order_by("-created_at", "-id").first()
    if latest is not None and latest.status == Payment.Status.PAID:
        messages.success(request, _("Đã nhận phí, lệ phí của hồ sơ. Cảm ơn bạn."))
    elif latest is not None and latest.status == Payment.Status.FAILED:
        messages.error(
            request, _("Thanh toán không thành công. Bạn có thể thử lại hoặc nộp tại Bộ phận Một cửa.")
        )
    else:
        messages.info(
            request, _("Đang chờ cổng thanh toán xác nhận; trang hồ sơ sẽ cập nhật khi có xác nhận.")
        )
    return redirect("services:my-dossier", code=dossier.code)


@csrf_exempt  # called by the gateway's server, authenticated by the HMAC signature instead
@require_POST
def payment_ipn(request: HttpRequest) -> JsonResponse:
    """The gateway's confirmation. Always 200 with a code, as gateways expect; "00" stops its retries."""
    params = {name: request.POST.get(name, "") for name in request.POST}
    answer, message = payments.ANSWERS[payments.confirm(params)]
    return JsonResponse({"code": answer, "message": message})
