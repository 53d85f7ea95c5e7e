"""Notices to the applicant of a hồ sơ by e-mail and SMS, through an outbox (``ApplicantMessage``).

What is announced: reception (code, promised return time, lookup link), a request to supplement (what to
add), the receipt of the supplement (the new promised time, since the count restarts), a refusal and a
stop (the reason), the apology (reason and new date) and the result (where to collect it). The return
itself is not announced: the applicant is at the counter. The rules ask for these notices to
online applicants by e-mail or SMS (reference §5); people who gave a phone or an address at the counter get
them too, since they are not at the counter when the hồ sơ moves on.

Queueing: a ``post_save`` receiver on ``DossierEvent`` writes the messages in the transaction of the step,
so a step and the promise to announce it commit or roll back together; the text is fixed then, in the
site's language (Vietnamese). The receiver works in a savepoint and only logs its own failures: a notice
never stops a workflow step. An address that is not an e-mail, or a phone that is not a Vietnamese mobile
number (``84`` then 3, 5, 7, 8 or 9 and eight digits, after the 2018 renumbering; landlines cannot take an
SMS), is skipped silently.

Delivery: the worker task ``deliver_applicant_messages`` (after each step, and every minute for retries)
claims each due row with a lease and retries after 1, 2, 4, 8 and 16 minutes, then gives up; the rules are
``langson.core.services.outbox``'s, shared with the IOC's alert notifications. E-mail goes through Django's
mail (the SMTP relay of the ``LANGSON_EMAIL_*`` settings). SMS goes through an ``SmsGateway``; the one
provided POSTs JSON ``{"to", "text", "id"}`` to ``LANGSON_SMS_URL`` with ``Authorization: Bearer
<LANGSON_SMS_TOKEN>`` (a 2xx answer means accepted; ``id`` is the message's number, the same on every retry,
so a gateway can drop the rare repeat). Without ``LANGSON_SMS_URL`` (the ``make run`` default) no SMS is
queued at all: rows that nothing could ever send would pile up, and would all go out, late and out of date,
on the day a gateway is configured. A gateway removed after a message was queued fails it without retry.

SMS text: Vietnamese without diacritics, at most 160 characters of the GSM 03.38 7-bit basic set, i.e. one
SMS segment. With diacritics a message must be sent as UCS-2, 70 characters a segment, so the same notice
costs 2-3 segments (brandname SMS is billed per segment) and arrives split on older phones; Vietnamese
brandname customer-care SMS are therefore written without diacritics by common practice. The text is the
Vietnamese msgid folded to ASCII (đ → d, marks dropped, characters outside the basic set replaced), then cut
to fit: the code and the status always stay, the officer's reason (or the place) is shortened with "...",
and the lookup link is added only when it fits.

Personal data: the messages carry the hồ sơ code, the procedure name (e-mail only), dates, units and the
reason the officer wrote; never the applicant's name, identity number or address.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
import urllib.parse
import urllib.request
from datetime import datetime
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from langson.core.models import OrgUnit
from langson.core.services import outbox
from langson.services.deadlines import LOCAL_TZ
from langson.services.models import ApplicantMessage, Dossier, DossierEvent

logger = logging.getLogger(__name__)

A = DossierEvent.Action
ANNOUNCED = frozenset({A.RECEIVE, A.SUPPLEMENT_REQUEST, A.SUPPLEMENT, A.REFUSE, A.APOLOGY, A.STOP, A.RESULT})
SMS_MAX = 160  # one GSM 7-bit segment
OUTBOX = outbox.Outbox(
    ApplicantMessage, due_field="next_try_at", lease_field="lease_until", error_field="error"
)


# --- Addresses -----------------------------------------------------------------------------------------


MOBILE = re.compile(r"84[35789]\d{8}")


def normalise_phone(raw: str) -> str | None:
    """A Vietnamese mobile number as 84xxxxxxxxx ("0912 345 678", "+84 912.345.678", "0084912345678" …),
    or None for anything else (a landline, a foreign or a malformed number)."""
    digits = re.sub(r"[\s.\-()/]", "", raw or "")
    if digits.startswith("+"):
        digits = digits[1:]
    elif digits.startswith("00"):
        digits = digits[2:]
    if digits.startswith("840") and len(digits) == 12:  # "+84 0912 …": the trunk 0 kept by mistake
        digits = "84" + digits[3:]
    elif digits.startswith("0"):
        digits = "84" + digits[1:]
    return digits if MOBILE.fullmatch(digits) else None


def normalise_email(raw: str) -> str | None:
    address = (raw or "").strip()
    try:
        validate_email(address)
    except ValidationError:
        return None
    return address


def sms_configured() -> bool:
    return bool(getattr(settings, "SMS_URL", ""))


# --- Texts ---------------------------------------------------------------------------------------------


def _moment(value: datetime | None) -> str:
    return f"{value.astimezone(LOCAL_TZ):%H:%M %d/%m/%Y}" if value is not None else ""


def lookup_link(code: str) -> str:
    """The public lookup of the hồ sơ (no personal data shown), absolute with ``SITE_URL``; else empty."""
    if not settings.SITE_URL:
        return ""
    return f"{settings.SITE_URL}{reverse('services:lookup')}?ma={urllib.parse.quote(code)}"


def _centre(unit: OrgUnit) -> str:
    """The one-stop centre at ``unit``, named as on the receipt (BM.01: "Đăng ký nhận kết quả tại")."""
    from langson.services.receipt import centre_name

    return centre_name(unit)


def _oneline(text: str) -> str:
    return " ".join((text or "").split())


def render_email(dossier: Dossier, event: DossierEvent) -> tuple[str, str]:
    """Subject and plain-text body of the notice of ``event``, in the site's language."""
    code = dossier.code
    reason = event.note.strip()
    lines: list[str] = [_("Kính gửi Ông/Bà,"), ""]
    details: list[tuple[str, str]] = []
    after: list[str] = []
    if event.action == A.RECEIVE:
        subject = _("[Dịch vụ công Lạng Sơn] Hồ sơ %(code)s đã được tiếp nhận")
        lines.append(_("Hồ sơ của Ông/Bà đã được tiếp nhận."))
        details = [
            (_("Tiếp nhận lúc"), _moment(dossier.received_at or event.at)),
            (_("Hẹn trả kết quả"), _moment(dossier.due_at)),
            (_("Nơi trả kết quả"), _centre(dossier.return_unit)),
        ]
    elif event.action == A.SUPPLEMENT_REQUEST:
        subject = _("[Dịch vụ công Lạng Sơn] Hồ sơ %(code)s cần bổ sung, hoàn thiện")
        lines.append(_("Hồ sơ của Ông/Bà cần được bổ sung, hoàn thiện."))
        details = [(_("Nội dung cần bổ sung"), reason)]
        after.append(
            _(
                "Việc giải quyết tạm dừng cho đến khi Ông/Bà bổ sung đủ; thời hạn giải quyết được tính lại "
                "từ ngày nhận đủ hồ sơ."
            )
        )
        if dossier.submitted_by_id:
            after.append(_("Ông/Bà bổ sung trực tuyến tại mục “Hồ sơ của tôi” trên Cổng Dịch vụ công."))
        else:
            after.append(_("Ông/Bà bổ sung tại %(place)s.") % {"place": _centre(dossier.received_unit)})
    elif event.action == A.SUPPLEMENT:
        subject = _("[Dịch vụ công Lạng Sơn] Hồ sơ %(code)s đã nhận đủ bổ sung, hẹn trả mới")
        lines.append(
            _("Đã nhận đủ hồ sơ bổ sung của Ông/Bà; thời hạn giải quyết được tính lại từ khi nhận đủ hồ sơ.")
        )
        details = [
            (_("Hẹn trả kết quả"), _moment(dossier.due_at)),
            (_("Nơi trả kết quả"), _centre(dossier.return_unit)),
        ]
    elif event.action == A.REFUSE:
        subject = _("[Dịch vụ công Lạng Sơn] Hồ sơ %(code)s bị từ chối giải quyết")
        lines.append(_("Cơ quan có thẩm quyền từ chối tiếp nhận, giải quyết hồ sơ của Ông/Bà."))
        details = [(_("Lý do"), reason)]
    elif event.action == A.APOLOGY:
        subject = _("[Dịch vụ công Lạng Sơn] Xin lỗi và hẹn lại ngày trả kết quả hồ sơ %(code)s")
        lines.append(
            _("Cơ quan giải quyết chân thành xin lỗi Ông/Bà vì hồ sơ chưa có kết quả đúng ngày đã hẹn.")
        )
        details = [
            (_("Lý do"), reason),
            (_("Hẹn trả trước đây"), _moment(dossier.due_at)),
            (_("Hẹn trả mới"), _moment(event.step_due_at or dossier.extended_due_at)),
            (_("Nơi trả kết quả"), _centre(dossier.return_unit)),
        ]
    elif event.action == A.STOP:
        subject = _("[Dịch vụ công Lạng Sơn] Thông báo dừng giải quyết hồ sơ %(code)s")
        lines.append(_("Hồ sơ của Ông/Bà đã được dừng giải quyết."))
        details = [(_("Lý do"), reason)]
    elif event.action == A.RESULT:
        subject = _("[Dịch vụ công Lạng Sơn] Hồ sơ %(code)s đã có kết quả")
        lines.append(_("Hồ sơ của Ông/Bà đã có kết quả."))
        details = [(_("Nơi nhận kết quả"), _centre(dossier.return_unit))]
        after.append(_("Khi đến nhận, Ông/Bà mang theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả."))
    else:
        raise ValueError(f"no notice for {event.action!r}")
    lines.append("")
    details = [(_("Mã hồ sơ"), code), (_("Thủ tục"), _oneline(dossier.procedure.name)), *details]
    lines += [f"{label}: {value}" for label, value in details if value]
    if after:
        lines += ["", *after]
    link = lookup_link(code)
    if link:
        lines += ["", _("Tra cứu tình trạng hồ sơ: %(link)s") % {"link": link}]
    lines += [
        "",
        _("Thư này được gửi tự động từ hệ thống Dịch vụ công tỉnh Lạng Sơn, vui lòng không trả lời."),
    ]
    return _oneline(subject % {"code": code}), "\n".join(lines) + "\n"


# Characters of the 7-bit basic set that ASCII has (GSM 03.38): letters, digits, space and these.
_GSM_ASCII = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 !\"#$%&'()*+,-./:;<=>?@_"
)
# ASCII outside it (the extension table costs two septets; the backtick is missing) and common punctuation.
_GSM_REPLACE = {
    "[": "(",
    "]": ")",
    "{": "(",
    "}": ")",
    "\\": "/",
    "|": "/",
    "~": "-",
    "^": "",
    "`": "'",
    "–": "-",
    "—": "-",
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
    "«": '"',
    "»": '"',
    "đ": "d",
    "Đ": "D",
}


def fold(text: str) -> str:
    """Vietnamese to unaccented text of single GSM 7-bit septets, on one line ("Đồng Đăng" → "Dong Dang")."""
    decomposed = unicodedata.normalize("NFKD", "".join(_GSM_REPLACE.get(c, c) for c in text or ""))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    kept = "".join(_GSM_REPLACE.get(c, c) if c not in _GSM_ASCII else c for c in plain)
    return " ".join("".join(c if c in _GSM_ASCII else " " for c in kept).split())


def _shorten(text: str, room: int) -> str:
    if len(text) <= room:
        return text
    return text[: room - 3].rstrip() + "..." if room >= 4 else ""


def _fit(template: str, values: dict[str, str], elastic: str = "") -> str:
    """Fill the (translated) template, folded, shortening ``values[elastic]`` so the SMS stays in one
    segment; the fixed part (code, status, dates) is kept whole."""
    folded = {key: fold(value) for key, value in values.items()}
    if elastic:
        fixed = len(fold(template % {**folded, elastic: "x"})) - 1  # "x": the spaces around it stay
        folded[elastic] = _shorten(folded[elastic], SMS_MAX - fixed)
    return fold(template % folded)[:SMS_MAX]


def render_sms(dossier: Dossier, event: DossierEvent) -> str:
    """The SMS of ``event``: unaccented, at most 160 GSM 7-bit characters, with the code and the status."""
    code, reason = dossier.code, _oneline(event.note)
    if event.action == A.RECEIVE:
        text = _fit(
            _("Hồ sơ %(code)s đã được tiếp nhận, hẹn trả kết quả %(due)s."),
            {"code": code, "due": _moment(dossier.due_at)},
        )
    elif event.action == A.SUPPLEMENT_REQUEST:
        text = _fit(_("Hồ sơ %(code)s cần bổ sung: %(reason)s"), {"code": code, "reason": reason}, "reason")
    elif event.action == A.SUPPLEMENT:
        text = _fit(
            _("Hồ sơ %(code)s đã nhận đủ bổ sung, hẹn trả kết quả mới %(due)s."),
            {"code": code, "due": _moment(dossier.due_at)},
        )
    elif event.action == A.REFUSE:
        text = _fit(
            _("Hồ sơ %(code)s bị từ chối giải quyết. Lý do: %(reason)s"),
            {"code": code, "reason": reason},
            "reason",
        )
    elif event.action == A.APOLOGY:
        text = _fit(
            _("Xin lỗi: hồ sơ %(code)s chưa có kết quả đúng hẹn, hẹn lại %(due)s. Lý do: %(reason)s"),
            {"code": code, "due": _moment(event.step_due_at or dossier.extended_due_at), "reason": reason},
            "reason",
        )
    elif event.action == A.STOP:
        text = _fit(
            _("Hồ sơ %(code)s đã dừng giải quyết. Lý do: %(reason)s"),
            {"code": code, "reason": reason},
            "reason",
        )
    elif event.action == A.RESULT:
        text = _fit(
            _("Hồ sơ %(code)s đã có kết quả, mời nhận tại %(place)s."),
            {"code": code, "place": _centre(dossier.return_unit)},
            "place",
        )
    else:
        raise ValueError(f"no notice for {event.action!r}")
    link = lookup_link(code)
    if link:
        with_link = fold(text + " " + _("Tra cứu: %(link)s") % {"link": link})
        if len(with_link) <= SMS_MAX:
            return with_link
    return text


# --- Queueing ------------------------------------------------------------------------------------------


def queue_for_event(event: DossierEvent) -> list[ApplicantMessage]:
    """Write the messages announcing ``event`` in the caller's transaction; the worker is woken after commit.

    Repeating it is harmless (one message per event and channel). Returns the messages queued.
    """
    if event.action not in ANNOUNCED:
        return []
    dossier = event.dossier
    email = normalise_email(dossier.applicant_email)
    phone = normalise_phone(dossier.applicant_phone) if sms_configured() else None
    if email is None and phone is None:
        return []
    now = timezone.now()
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        if email is not None:
            subject, body = render_email(dossier, event)
            messages.append(
                ApplicantMessage(
                    dossier=dossier,
                    event=event,
                    channel=ApplicantMessage.Channel.EMAIL,
                    address=email,
                    subject=subject[:300],
                    body=body,
                    next_try_at=now,
                )
            )
        if phone is not None:
            messages.append(
                ApplicantMessage(
                    dossier=dossier,
                    event=event,
                    channel=ApplicantMessage.Channel.SMS,
                    address=phone,
                    body=render_sms(dossier, event),
                    next_try_at=now,
                )
            )
    ApplicantMessage.objects.bulk_create(messages, ignore_conflicts=True)
    # robust: the step is committed already; a failed enqueue is caught up by the schedule.
    transaction.on_commit(_wake_worker, robust=True)
    return messages


def on_event_saved(
    sender: Any, instance: DossierEvent, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    """``post_save`` of ``DossierEvent``: queue the applicant's notices of a new step (not of fixtures)."""
    if not created or raw or instance.action not in ANNOUNCED:
        return
    try:
        with transaction.atomic():  # a savepoint: a failure here leaves the step's transaction usable
            queue_for_event(instance)
    except Exception:
        logger.exception("could not queue the applicant's notices of dossier event %s", instance.pk)


def _wake_worker() -> None:
    deliver_applicant_messages.enqueue()


# --- Sending -------------------------------------------------------------------------------------------


@task()
def deliver_applicant_messages() -> dict[str, int]:
    """Send the due messages to applicants (after each announced step, and every minute for the retries)."""
    return deliver_pending()


def deliver_pending(now: datetime | None = None) -> dict[str, int]:
    """Send every pending message that is due; returns how many were sent, will retry, failed."""
    return OUTBOX.deliver_pending(send, now)


def send(message: ApplicantMessage) -> None:
    if message.channel == ApplicantMessage.Channel.EMAIL:
        send_email(message)
        return
    gateway = sms_gateway()
    if gateway is None:
        raise outbox.GiveUp("no SMS gateway is configured (LANGSON_SMS_URL)")
    gateway.send(message.address, message.body, str(message.pk))


def send_email(message: ApplicantMessage) -> None:
    email = EmailMessage(
        message.subject,
        message.body,
        settings.SERVICES_FROM_EMAIL,
        [message.address],
        headers={"X-Langson-Delivery": f"services-{message.pk}"},
    )
    email.send(fail_silently=False)


class SmsError(RuntimeError):
    pass


class SmsGateway(Protocol):
    """Hands one SMS to the operator's gateway, or raises (the outbox retries). ``message_id`` is the same
    on every retry of a message."""

    def send(self, to: str, text: str, message_id: str) -> None: ...


class HttpJsonGateway:
    """POST ``{"to": "84…", "text": "…", "id": "…"}`` as JSON with a bearer token; a 2xx answer is success,
    anything else (a redirect included) an error."""

    def __init__(self, url: str, token: str = "", timeout: float = 5) -> None:
        if urllib.parse.urlparse(url).scheme not in ("http", "https"):
            raise SmsError(f"unsupported scheme: {url}")
        self.url, self.token, self.timeout = url, token, timeout

    def send(self, to: str, text: str, message_id: str) -> None:
        body = json.dumps({"to": to, "text": text, "id": message_id}, separators=(",", ":")).encode()
        headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "langson-services"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")  # noqa: S310
        with outbox.no_redirect_opener.open(request, timeout=self.timeout) as response:
            if not 200 <= response.status < 300:
                raise SmsError(f"HTTP {response.status}")


def sms_gateway() -> SmsGateway | None:
    """The configured gateway, or None without ``LANGSON_SMS_URL``."""
    if not sms_configured():
        return None
    return HttpJsonGateway(settings.SMS_URL, settings.SMS_TOKEN, settings.SMS_TIMEOUT)
