"""Alert notifications: who hears what, the outbox, and real deliveries to an SMTP and an HTTP server on
loopback (retries with backoff, giving up, signatures)."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from langson.conftest import Inbox, Receiver  # the smtp_server and webhook_server fixtures are there
from langson.core.models import OrgUnit
from langson.ioc.models import Alert, Indicator, Notification, NotificationTarget
from langson.ioc.services import alerts, notify

pytestmark = pytest.mark.django_db

PROVINCE, DEPARTMENT, DONG_DANG, LUONG_VAN_TRI = "20", "SO-YT", "6184", "5983"


# --- Real servers on loopback --------------------------------------------------------------------------


@pytest.fixture
def closed_port_url() -> str:
    """An address where nothing listens: the port was free a moment ago and is closed again."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/hook"


# --- Data ----------------------------------------------------------------------------------------------


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def target(name: str, unit_code: str, channel: str = "webhook", address: str = "", **fields: Any) -> Any:
    return NotificationTarget.objects.create(
        name=name,
        channel=channel,
        address=address or f"http://127.0.0.1:9/{name}",
        unit=unit(unit_code),
        **fields,
    )


@pytest.fixture
def visits() -> Indicator:
    return Indicator.objects.create(
        code="health-visits-monthly",
        name="Lượt khám ngoại trú",
        name_en="Outpatient visits",
        unit="lượt",
        sector="health",
        grain="month",
        owner=unit(DEPARTMENT),
        warning_above=500,
        critical_above=800,
        definition={"dataset": "health-visits", "measure": "sum", "column": "visits"},
    )


def event_alert(unit_code: str, severity: str = "warning", key: str = "") -> Alert:
    alert = alerts.raise_alert(
        kind=Alert.Kind.EVENT,
        severity=severity,
        title=f"Sự cố mất điện trạm bơm ({unit_code})",
        detail="dieuhanh: power",
        unit=unit(unit_code),
        dedup_key=f"event:power:{unit_code}:{key}",
    )
    assert alert is not None
    return alert


def threshold_alert(indicator: Indicator, severity: str = "critical") -> Alert:
    alert = alerts.raise_alert(
        kind=Alert.Kind.THRESHOLD,
        severity=severity,
        indicator=indicator,
        unit=indicator.owner,
        period=date(2026, 10, 1),
        commune=DONG_DANG,
        value=1200.0,
        title="Lượt khám ngoại trú: 1.200,0 lượt (01/10/2026)",
        detail="Ngưỡng: cảnh báo khi trên 500,0; nghiêm trọng khi trên 800,0",
        dedup_key=f"threshold:{indicator.code}:{DONG_DANG}:2026-10-01",
    )
    assert alert is not None
    return alert


def heard(alert: Alert) -> set[str]:
    return set(notify.targets_for(alert).values_list("name", flat=True))


# --- Who hears what ------------------------------------------------------------------------------------


def test_scoping_by_unit_severity_and_sector(visits: Indicator) -> None:
    target("province", PROVINCE)
    target("dong-dang", DONG_DANG)
    target("luong-van-tri", LUONG_VAN_TRI)
    target("so-y-te", DEPARTMENT)
    target("province-critical", PROVINCE, min_severity="critical")
    target("province-health", PROVINCE, sector="health")
    target("province-education", PROVINCE, sector="education")
    target("province-off", PROVINCE, enabled=False)

    # An app event in Đồng Đăng, no indicator: only blank-sector targets at Đồng Đăng or above.
    assert heard(event_alert(DONG_DANG)) == {"province", "dong-dang"}
    assert heard(event_alert(LUONG_VAN_TRI)) == {"province", "luong-van-tri"}
    assert heard(event_alert(DONG_DANG, "critical", key="2")) == {
        "province",
        "dong-dang",
        "province-critical",
    }
    # A critical health threshold owned by Sở Y tế: the sector filter lets the health target in.
    assert heard(threshold_alert(visits)) == {"province", "so-y-te", "province-critical", "province-health"}


def test_queue_writes_the_outbox_once_and_wakes_the_worker(
    visits: Indicator, django_capture_on_commit_callbacks: Any
) -> None:
    # No target, no row and no task.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        event_alert(LUONG_VAN_TRI)
    assert callbacks == [] and not Notification.objects.exists()
    target("province", PROVINCE)
    target("so-y-te", DEPARTMENT)
    target("dong-dang", DONG_DANG)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        alert = threshold_alert(visits)
    assert len(callbacks) == 1
    assert DBTaskResult.objects.filter(task_path__endswith="notify.deliver_notifications").count() == 1
    rows = Notification.objects.filter(alert=alert)
    assert {(n.target.name, n.event, n.status) for n in rows} == {
        ("province", "opened", "pending"),
        ("so-y-te", "opened", "pending"),
    }
    # A repeat is harmless: same rows, and the live condition raises no second alert.
    assert notify.queue(alert, "opened") == 2
    assert Notification.objects.count() == 2
    again = {f.name: getattr(alert, f.name) for f in Alert._meta.fields if f.name in ("kind", "dedup_key")}
    assert alerts.raise_alert(**again, severity="critical", title="lại", unit=alert.unit) is None
    assert Notification.objects.count() == 2


def test_acknowledge_and_resolve_are_announced(
    make_user: Any, smtp_server: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    target("phong-dieu-hanh", PROVINCE, channel="email", address="dieuhanh@langson.gov.vn")
    leader = make_user("lanhdao.notify", "leader", PROVINCE)
    alert = event_alert(DONG_DANG)
    with django_capture_on_commit_callbacks(execute=True):
        alerts.acknowledge(alert, leader, "Đã giao điện lực")
    with django_capture_on_commit_callbacks(execute=True):
        alerts.resolve(alert, leader, "Đã cấp điện trở lại")
    assert list(Notification.objects.order_by("id").values_list("event", flat=True)) == [
        "opened",
        "acknowledged",
        "resolved",
    ]
    assert notify.deliver_notifications.call() == {"sent": 3, "retrying": 0, "failed": 0}
    subjects = [m["Subject"].strip() for m in smtp_server.messages()]  # folded after "Subject:"
    assert subjects == [
        f"[IOC Lạng Sơn] {headline} — Cảnh báo: Sự cố mất điện trạm bơm (6184)"
        for headline in ("Cảnh báo mới", "Cảnh báo đã được tiếp nhận", "Cảnh báo đã được xử lý")
    ]
    assert "Trạng thái: Đã xử lý" in smtp_server.messages()[2].get_content()


def test_freshness_closing_itself_is_announced(django_capture_on_commit_callbacks: Any) -> None:
    from langson.ioc.models import Dataset

    target("province", PROVINCE)
    dataset = Dataset.objects.create(code="late", name="Dữ liệu trễ", owner=unit(DEPARTMENT), schema={})
    [alert] = alerts.check_freshness(now=timezone.now() + timedelta(days=3))
    assert alerts.close_freshness(dataset.pk) == 1
    assert set(Notification.objects.filter(alert=alert).values_list("event", flat=True)) == {
        "opened",
        "resolved",
    }


# --- Real deliveries -----------------------------------------------------------------------------------


def test_email_goes_through_the_smtp_server(visits: Indicator, smtp_server: Inbox, settings: Any) -> None:
    settings.SITE_URL = "https://ioc.langson.gov.vn"
    target("so-y-te", DEPARTMENT, channel="email", address="yte@langson.gov.vn; truc.ban@langson.gov.vn")
    alert = threshold_alert(visits)
    assert notify.deliver_pending() == {"sent": 1, "retrying": 0, "failed": 0}
    [envelope] = smtp_server.envelopes
    assert envelope.mail_from == "ioc@langson.gov.vn"
    assert envelope.rcpt_tos == ["yte@langson.gov.vn", "truc.ban@langson.gov.vn"]
    [message] = smtp_server.messages()
    assert message["Subject"].strip() == (
        "[IOC Lạng Sơn] Cảnh báo mới — Nghiêm trọng: Lượt khám ngoại trú: 1.200,0 lượt (01/10/2026)"
    )
    body = message.get_content()
    for line in (
        "Mức độ: Nghiêm trọng",
        "Trạng thái: Mới",
        "Đơn vị: Sở Y tế",
        "Chỉ số: Lượt khám ngoại trú",
        "Giá trị: 1.200,0 lượt",
        "Kỳ: 01/10/2026",
        "Xã, phường: Xã Đồng Đăng",
        "https://ioc.langson.gov.vn/ioc/",
    ):
        assert line in body
    sent = Notification.objects.get(alert=alert)
    assert sent.status == "sent" and sent.sent_at is not None and sent.attempts == 1
    assert notify.deliver_pending() == {"sent": 0, "retrying": 0, "failed": 0}  # sent once
    assert len(smtp_server.envelopes) == 1


def test_webhook_body_is_signed(visits: Indicator, webhook_server: Receiver) -> None:
    target("chatops", PROVINCE, address=webhook_server.url, secret="khoa-ky-bi-mat")
    target("unsigned", PROVINCE, address=webhook_server.url + "?plain=1")
    alert = threshold_alert(visits)
    assert notify.deliver_pending() == {"sent": 2, "retrying": 0, "failed": 0}
    signed, unsigned = sorted(webhook_server.requests, key=lambda r: r["path"])
    assert signed["path"] == "/hooks/ioc" and unsigned["path"] == "/hooks/ioc?plain=1"
    expected = "sha256=" + hmac.new(b"khoa-ky-bi-mat", signed["body"], hashlib.sha256).hexdigest()
    assert signed["headers"]["X-Langson-Signature"] == expected
    from langson.core.models import AuditEntry

    assert not any("khoa-ky-bi-mat" in json.dumps(e.changes) for e in AuditEntry.objects.all())
    assert "X-Langson-Signature" not in unsigned["headers"]
    assert signed["headers"]["Content-Type"] == "application/json; charset=utf-8"
    payload = json.loads(signed["body"])
    assert payload == {
        "event": "opened",
        "alert": {
            "id": alert.pk,
            "kind": "threshold",
            "severity": "critical",
            "state": "open",
            "title": "Lượt khám ngoại trú: 1.200,0 lượt (01/10/2026)",
            "detail": "Ngưỡng: cảnh báo khi trên 500,0; nghiêm trọng khi trên 800,0",
            "indicator": "health-visits-monthly",
            "unit": "SO-YT",
            "commune": DONG_DANG,
            "period": "2026-10-01",
            "value": 1200.0,
            "opened_at": alert.opened_at.isoformat(),
        },
    }
    delivery = Notification.objects.get(target__name="chatops")
    assert signed["headers"]["X-Langson-Delivery"] == str(delivery.pk)


def test_webhook_error_is_retried_with_backoff_then_sent_once(webhook_server: Receiver) -> None:
    webhook_server.statuses = [500]
    target("chatops", PROVINCE, address=webhook_server.url)
    event_alert(DONG_DANG)
    start = timezone.now()
    assert notify.deliver_pending(start) == {"sent": 0, "retrying": 1, "failed": 0}
    row = Notification.objects.get()
    assert row.status == "pending" and row.attempts == 1
    assert row.next_attempt_at == start + timedelta(minutes=1)
    assert "500" in row.last_error
    # Not due yet: nothing is sent.
    assert notify.deliver_pending(start + timedelta(seconds=30)) == {"sent": 0, "retrying": 0, "failed": 0}
    assert len(webhook_server.requests) == 1
    assert notify.deliver_pending(start + timedelta(minutes=1)) == {"sent": 1, "retrying": 0, "failed": 0}
    row.refresh_from_db()
    assert row.status == "sent" and row.attempts == 2 and row.next_attempt_at is None
    assert notify.deliver_pending(start + timedelta(hours=1)) == {"sent": 0, "retrying": 0, "failed": 0}
    assert len(webhook_server.requests) == 2


def test_a_redirect_is_a_failure(webhook_server: Receiver) -> None:
    webhook_server.statuses = [302]
    target("chatops", PROVINCE, address=webhook_server.url)
    event_alert(DONG_DANG)
    assert notify.deliver_pending() == {"sent": 0, "retrying": 1, "failed": 0}
    assert "302" in Notification.objects.get().last_error


def test_unreachable_webhook_fails_after_the_last_attempt(closed_port_url: str) -> None:
    target("gone", PROVINCE, address=closed_port_url)
    event_alert(DONG_DANG)
    now = timezone.now()
    waits = []
    for _ in range(notify.MAX_ATTEMPTS - 1):
        assert notify.deliver_pending(now) == {"sent": 0, "retrying": 1, "failed": 0}
        row = Notification.objects.get()
        assert row.next_attempt_at is not None
        waits.append(row.next_attempt_at - now)
        now = row.next_attempt_at
    assert waits == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16)]
    assert notify.deliver_pending(now) == {"sent": 0, "retrying": 0, "failed": 1}
    row = Notification.objects.get()
    assert row.status == "failed" and row.attempts == notify.MAX_ATTEMPTS and row.sent_at is None
    assert "Connection refused" in row.last_error
    assert notify.deliver_pending(now + timedelta(days=1)) == {"sent": 0, "retrying": 0, "failed": 0}


def test_a_claimed_row_is_not_sent_by_another_worker_until_its_lease_runs_out(
    webhook_server: Receiver,
) -> None:
    target("chatops", PROVINCE, address=webhook_server.url)
    event_alert(DONG_DANG)
    now = timezone.now()
    # Worker A claims the row and dies before sending.
    with CaptureQueriesContext(connection) as queries:
        pk = notify._claim_next(now)
    if connection.vendor == "postgresql":  # rows another worker holds are skipped, not waited for
        assert any("FOR UPDATE SKIP LOCKED" in q["sql"] for q in queries.captured_queries)
    assert pk is not None and notify._claim_next(now) is None
    # Worker B finds nothing to do while A's lease holds ...
    assert notify.deliver_pending(now + timedelta(minutes=1)) == {"sent": 0, "retrying": 0, "failed": 0}
    assert webhook_server.requests == []
    # ... and sends it once the lease has run out.
    assert notify.deliver_pending(now + notify.LEASE) == {"sent": 1, "retrying": 0, "failed": 0}
    assert len(webhook_server.requests) == 1
    assert Notification.objects.get().attempts == 2


def test_a_target_switched_off_before_sending_gets_nothing(webhook_server: Receiver) -> None:
    chatops = target("chatops", PROVINCE, address=webhook_server.url)
    event_alert(DONG_DANG)
    chatops.enabled = False
    chatops.save()
    assert notify.deliver_pending() == {"sent": 0, "retrying": 0, "failed": 1}
    assert webhook_server.requests == []
    assert Notification.objects.get().last_error == "Nơi nhận đã bị tắt trước khi gửi."


# --- Admin and permissions -----------------------------------------------------------------------------


def test_operator_manages_targets_in_the_admin_within_scope(make_user: Any) -> None:
    from django.test import Client

    operator = make_user("vanhanh.notify", "operator", DONG_DANG)
    operator.is_staff = True
    operator.save()
    for perm in (
        "ioc.add_notificationtarget",
        "ioc.change_notificationtarget",
        "ioc.view_notificationtarget",
        "ioc.view_notification",
    ):
        assert operator.has_perm(perm), perm
    assert not operator.has_perm("ioc.change_notification")
    client = Client()
    client.force_login(operator)
    form = {
        "name": "Trực ban xã",
        "channel": "email",
        "address": "trucban@dongdang.langson.gov.vn",
        "min_severity": "warning",
        "sector": "",
        "secret": "",
        "enabled": "on",
    }
    outside = client.post("/admin/ioc/notificationtarget/add/", {**form, "unit": unit(LUONG_VAN_TRI).pk})
    assert outside.status_code == 200 and not NotificationTarget.objects.exists()  # form error
    bad = client.post(
        "/admin/ioc/notificationtarget/add/",
        {**form, "address": "khong-phai-thu", "unit": unit(DONG_DANG).pk},
    )
    assert bad.status_code == 200 and not NotificationTarget.objects.exists()
    ok = client.post("/admin/ioc/notificationtarget/add/", {**form, "unit": unit(DONG_DANG).pk})
    assert ok.status_code == 302
    assert NotificationTarget.objects.get().unit.code == DONG_DANG
    assert client.get("/admin/ioc/notification/").status_code == 200
