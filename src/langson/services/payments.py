"""Fees of a hồ sơ (nghĩa vụ tài chính): paid online through a payment gateway or at the counter.

Decree 45/2020 gives e-payment legal value, and the Bộ chỉ số 766 (group 4) scores the share of hồ sơ with
fees that were paid online. The national platform's gateway (and the banks' ones) all follow the same
pattern, which this module speaks in a plain form (decision 0009, addendum on fees):

1. The applicant asks to pay: a pending ``Payment`` with its own order id is written, and the browser is sent
   to ``settings.PAYMENT_URL`` with ``order``, ``amount`` (whole đồng), ``info`` (ASCII), ``return`` (our page
   to come back to) and ``sig``.
2. The gateway confirms server to server (IPN) by POSTing ``order``, ``amount``, ``code`` ("00" = paid),
   ``ref`` (its transaction id) and ``sig`` to ``/dvc/thanh-toan/ipn/``. Only this confirmation marks the fee
   paid; the browser's return proves nothing. Repeats are harmless (the gateway retries until it gets "00").
3. ``sig`` is HMAC-SHA256 with ``settings.PAYMENT_SECRET`` over the other parameters sorted by name and
   joined as ``name=value&…`` (values URL-encoded), in lowercase hex.

At the counter an officer records the fee with the number of the receipt (biên lai) given to the applicant.
The result is handed back only once the fee is paid.
"""

from __future__ import annotations

import hashlib
import hmac
import urllib.parse
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from langson.services.models import Dossier, DossierEvent, Payment
from langson.services.notify_applicant import fold
from langson.services.storage import DossierError

PAID_CODE = "00"
# Answers to the gateway's confirmation, in the codes Vietnamese gateways use.
ANSWERS = {
    "ok": ("00", "Confirmed"),
    "unknown_order": ("01", "Order not found"),
    "already": ("02", "Order already confirmed"),
    "bad_amount": ("04", "Invalid amount"),
    "bad_signature": ("97", "Invalid signature"),
}


def vnd(amount: int) -> str:
    """An amount of money the Vietnamese way: 1.250.000 đồng."""
    return f"{amount:,} đồng".replace(",", ".")


def online_enabled() -> bool:
    return bool(settings.PAYMENT_URL and settings.PAYMENT_SECRET)


def sign(params: dict[str, str], secret: str | None = None) -> str:
    text = "&".join(
        f"{name}={urllib.parse.quote(str(value), safe='')}"
        for name, value in sorted(params.items())
        if name != "sig"
    )
    key = (secret if secret is not None else settings.PAYMENT_SECRET).encode()
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def fee_owed(dossier: Dossier) -> int:
    """What the applicant still owes: the fee fixed at submission, unless a payment of it went through."""
    if dossier.fee_vnd == 0 or dossier.payments.filter(status=Payment.Status.PAID).exists():
        return 0
    return dossier.fee_vnd


def _nothing_owed(dossier: Dossier) -> DossierError:
    return DossierError(
        "nothing_owed",
        f"Hồ sơ {dossier.code} không còn phí, lệ phí phải nộp.",
        f"Dossier {dossier.code} has no fee left to pay.",
    )


def start_online(dossier: Dossier, return_url: str, now: datetime | None = None) -> tuple[Payment, str]:
    """A pending payment and the gateway address to send the applicant's browser to."""
    if not online_enabled():
        raise DossierError(
            "payment_offline",
            "Chưa có cổng thanh toán trực tuyến; vui lòng nộp phí tại Bộ phận Một cửa.",
            "Online payment is not available; please pay at the one-stop counter.",
        )
    amount = fee_owed(dossier)
    if amount == 0:
        raise _nothing_owed(dossier)
    now = now or timezone.now()
    attempt = dossier.payments.count() + 1
    payment = Payment.objects.create(
        dossier=dossier,
        order_id=f"{dossier.code}-TT{attempt}",
        amount_vnd=amount,
        channel=Payment.Channel.ONLINE,
        status=Payment.Status.PENDING,
        created_at=now,
    )
    params = {
        "order": payment.order_id,
        "amount": str(amount),
        "info": fold(f"Phí, lệ phí hồ sơ {dossier.code}")[:200],  # gateways take ASCII
        "return": return_url,
    }
    params["sig"] = sign(params)
    return payment, f"{settings.PAYMENT_URL}?{urllib.parse.urlencode(params)}"


def _mark_paid(payment: Payment, reference: str, now: datetime, actor: Any = None) -> None:
    payment.status = Payment.Status.PAID
    payment.reference = reference[:80]
    payment.paid_at = now
    payment.save()
    DossierEvent.objects.create(
        dossier=payment.dossier,
        action=DossierEvent.Action.PAY,
        at=now,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        note=f"{vnd(payment.amount_vnd)} · {payment.get_channel_display()} · {payment.reference}",
    )


def confirm(params: dict[str, str], now: datetime | None = None) -> str:
    """The gateway's confirmation (IPN): the answer's key in ``ANSWERS``. Nothing changes unless the
    signature, the order and the amount are right; a repeat of a confirmed order changes nothing."""
    given = params.get("sig", "")
    if not settings.PAYMENT_SECRET or not hmac.compare_digest(given.lower(), sign(params)):
        return "bad_signature"
    now = now or timezone.now()
    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update()
            .select_related("dossier")
            .filter(order_id=params.get("order", ""))
        ).first()
        if payment is None or payment.channel != Payment.Channel.ONLINE:
            return "unknown_order"
        if params.get("amount") != str(payment.amount_vnd):
            return "bad_amount"
        if payment.status != Payment.Status.PENDING:
            return "already"
        if params.get("code") != PAID_CODE:
            payment.status = Payment.Status.FAILED
            payment.reference = params.get("ref", "")[:80]
            payment.save()
            return "ok"
        try:
            with transaction.atomic():
                _mark_paid(payment, params.get("ref", ""), now)
        except IntegrityError:
            # The fee was paid meanwhile by another payment (e.g. at the counter): this one is refused and
            # the gateway's money is to be refunded by the accountant; the record says why.
            payment.status = Payment.Status.FAILED
            payment.reference = ("DA-NOP-KHAC " + params.get("ref", ""))[:80]
            payment.save()
    return "ok"


def pay_at_counter(
    dossier: Dossier, officer: Any, receipt_number: str, now: datetime | None = None
) -> Payment:
    """Thu phí, lệ phí tại Bộ phận Một cửa, with the number of the biên lai handed to the applicant."""
    if not receipt_number.strip():
        raise DossierError(
            "receipt_required", "Hãy ghi số biên lai thu phí.", "Give the fee receipt's number."
        )
    now = now or timezone.now()
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        amount = fee_owed(locked)
        if amount == 0:
            raise _nothing_owed(dossier)
        payment = Payment.objects.create(
            dossier=locked,
            order_id=f"{dossier.code}-TT{locked.payments.count() + 1}",
            amount_vnd=amount,
            channel=Payment.Channel.COUNTER,
            status=Payment.Status.PENDING,
            created_at=now,
            recorded_by=officer,
        )
        _mark_paid(payment, receipt_number.strip(), now, officer)
    return payment
