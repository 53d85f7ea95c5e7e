"""Alert notifications by e-mail (SMTP) and webhook, through an outbox.

``queue`` writes one ``Notification`` row per matching target inside the caller's transaction, so an alert
and the promise to announce it commit (or roll back) together; the worker task ``deliver_notifications``
then sends what is due. Delivery is at least once: each try first claims its row with a short lease (a
conditional update, with ``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL; SQLite's write lock serialises
the claim), so two workers never send the same row at the same time, and a row held by a worker that died
comes back when its lease runs out. Failures are retried after 1, 2, 4, 8 and 16 minutes; the sixth failed
try gives up (status failed, error kept). The claim and retry rules are ``langson.core.services.outbox``'s,
shared with the one-stop services' messages to applicants.

Webhook bodies are JSON, signed with HMAC-SHA256 of the exact body bytes and the target's secret:
``X-Langson-Signature: sha256=<hex>``. ``X-Langson-Delivery`` carries the notification id so a receiver can
drop the rare repeat.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import urllib.parse
import urllib.request
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from langson.core.services import outbox
from langson.core.services.outbox import FIRST_BACKOFF, LEASE, MAX_ATTEMPTS  # noqa: F401 - re-exported
from langson.ioc.models import Alert, Notification, NotificationTarget

OUTBOX = outbox.Outbox(
    Notification,
    due_field="next_attempt_at",  # also the lease: a claim moves it ahead
    error_field="last_error",
    related=("target", "alert__unit", "alert__indicator", "alert__dataset"),
)
WEBHOOK_TIMEOUT_SECONDS = 5
SEVERITY_RANK = {"warning": 1, "critical": 2}  # critical > warning
SIGNATURE_HEADER = "X-Langson-Signature"


# --- Who hears an alert --------------------------------------------------------------------------------


def _path_prefixes(path: str) -> list[str]:
    """'/20/6184/' → ['/20/', '/20/6184/']: the paths of the unit and of every unit above it."""
    parts = [part for part in path.split("/") if part]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def targets_for(alert: Alert) -> QuerySet[NotificationTarget]:
    """Enabled targets at the alert's unit or above it, from their minimum severity up, of its sector."""
    rank = SEVERITY_RANK.get(alert.severity, 0)
    severities = [severity for severity, r in SEVERITY_RANK.items() if r <= rank]
    sector = Q(sector="")
    if alert.indicator is not None:
        sector |= Q(sector=alert.indicator.sector)
    return NotificationTarget.objects.filter(
        sector,
        enabled=True,
        unit__path__in=_path_prefixes(alert.unit.path),
        min_severity__in=severities,
    )


def queue(alert: Alert, event: str) -> int:
    """Write the outbox rows for this event in the caller's transaction; the worker is woken after commit.

    Repeating it is harmless (one row per alert, target and event). Returns the number of targets addressed.
    """
    target_ids = list(targets_for(alert).values_list("pk", flat=True))
    if not target_ids:
        return 0
    now = timezone.now()
    Notification.objects.bulk_create(
        [Notification(alert=alert, target_id=pk, event=event, next_attempt_at=now) for pk in target_ids],
        ignore_conflicts=True,
    )
    # robust: the alert is committed already; a failed enqueue is caught up by the schedule.
    transaction.on_commit(_wake_worker, robust=True)
    return len(target_ids)


def _wake_worker() -> None:
    deliver_notifications.enqueue()


# --- Sending -------------------------------------------------------------------------------------------


@task()
def deliver_notifications() -> dict[str, int]:
    """Send the due notifications (after each alert event, and every minute for the retries)."""
    return deliver_pending()


def deliver_pending(now: datetime | None = None) -> dict[str, int]:
    """Send every pending notification that is due; returns how many were sent, will retry, failed."""
    with translation.override(settings.LANGUAGE_CODE):
        return OUTBOX.deliver_pending(_send, now)


def _claim_next(now: datetime) -> int | None:
    """Take one due row for this worker: its next try moves a lease ahead and its attempts count up."""
    return OUTBOX.claim_next(now)


def _send(notification: Notification) -> None:
    if not notification.target.enabled:
        raise outbox.GiveUp(_("Nơi nhận đã bị tắt trước khi gửi."))
    if notification.target.channel == NotificationTarget.Channel.EMAIL:
        send_email(notification)
    else:
        send_webhook(notification)


# --- E-mail --------------------------------------------------------------------------------------------


def _headline(event: str) -> str:
    if event == Notification.Event.ACKNOWLEDGED:
        return _("Cảnh báo đã được tiếp nhận")
    if event == Notification.Event.RESOLVED:
        return _("Cảnh báo đã được xử lý")
    return _("Cảnh báo mới")


def _number(value: float) -> str:
    return f"{value:,.1f}".replace(",", "\u202f").replace(".", ",").replace("\u202f", ".")


def alert_link() -> str:
    return f"{settings.SITE_URL}/ioc/"


def render_email(notification: Notification) -> tuple[str, str]:
    """Subject and plain-text body in the site's language."""
    alert = notification.alert
    title = " ".join(alert.title.split())  # a header must stay on one line
    subject = _("[IOC Lạng Sơn] %(headline)s — %(severity)s: %(title)s") % {
        "headline": _headline(notification.event),
        "severity": alert.get_severity_display(),
        "title": title,
    }
    lines = [title, ""]
    lines.append(_("Mức độ: %(value)s") % {"value": alert.get_severity_display()})
    lines.append(_("Trạng thái: %(value)s") % {"value": alert.get_state_display()})
    lines.append(_("Đơn vị: %(value)s") % {"value": alert.unit.name})
    if alert.indicator is not None:
        lines.append(_("Chỉ số: %(value)s") % {"value": alert.indicator.name})
    if alert.dataset is not None:
        lines.append(_("Bộ dữ liệu: %(value)s") % {"value": alert.dataset.name})
    if alert.value is not None:
        unit = f" {alert.indicator.unit}" if alert.indicator is not None else ""
        lines.append(_("Giá trị: %(value)s") % {"value": _number(alert.value) + unit})
    if alert.period is not None:
        lines.append(_("Kỳ: %(value)s") % {"value": f"{alert.period:%d/%m/%Y}"})
    if alert.commune:
        from langson.core.models import OrgUnit

        name = OrgUnit.objects.filter(code=alert.commune).values_list("name", flat=True).first()
        lines.append(_("Xã, phường: %(value)s") % {"value": name or alert.commune})
    if alert.detail:
        lines.append(_("Chi tiết: %(value)s") % {"value": alert.detail})
    lines.append(_("Mở lúc: %(value)s") % {"value": f"{timezone.localtime(alert.opened_at):%d/%m/%Y %H:%M}"})
    lines += ["", _("Xem và xử lý tại Trung tâm điều hành: %(link)s") % {"link": alert_link()}, ""]
    lines.append(
        _("Thư này được gửi tự động từ Trung tâm điều hành thông minh tỉnh Lạng Sơn, vui lòng không trả lời.")
    )
    return subject, "\n".join(lines) + "\n"


def recipients(address: str) -> list[str]:
    """One or several addresses, separated by commas or semicolons."""
    return [part.strip() for part in re.split(r"[,;]", address) if part.strip()]


def send_email(notification: Notification) -> None:
    subject, body = render_email(notification)
    message = EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        recipients(notification.target.address),
        headers={"X-Langson-Delivery": str(notification.pk)},
    )
    message.send(fail_silently=False)


# --- Webhook -------------------------------------------------------------------------------------------


class WebhookError(RuntimeError):
    pass


_opener = outbox.no_redirect_opener  # a redirect is a failure


def webhook_payload(notification: Notification) -> dict[str, Any]:
    alert = notification.alert
    return {
        "event": notification.event,
        "alert": {
            "id": alert.pk,
            "kind": alert.kind,
            "severity": alert.severity,
            "state": alert.state,
            "title": alert.title,
            "detail": alert.detail,
            "indicator": alert.indicator.code if alert.indicator is not None else None,
            "unit": alert.unit.code,
            "commune": alert.commune,
            "period": alert.period.isoformat() if alert.period else None,
            "value": alert.value,
            "opened_at": alert.opened_at.isoformat(),
        },
    }


def sign(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def send_webhook(notification: Notification) -> None:
    url = notification.target.address.strip()
    if urllib.parse.urlparse(url).scheme not in ("http", "https"):
        raise WebhookError(f"unsupported scheme: {url}")
    body = json.dumps(webhook_payload(notification), ensure_ascii=False, separators=(",", ":")).encode()
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "langson-ioc",
        "X-Langson-Event": notification.event,
        "X-Langson-Delivery": str(notification.pk),
    }
    if notification.target.secret:
        headers[SIGNATURE_HEADER] = sign(body, notification.target.secret)
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - checked
    with _opener.open(request, timeout=WEBHOOK_TIMEOUT_SECONDS) as response:
        if not 200 <= response.status < 300:
            raise WebhookError(f"HTTP {response.status}")
