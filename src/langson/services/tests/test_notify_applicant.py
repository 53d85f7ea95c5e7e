"""Notices to the applicant of a hồ sơ: queued with the step that they announce, delivered for real to an SMTP
server and to an HTTP SMS gateway on loopback (``smtp_server`` and ``webhook_server`` of langson/conftest.py),
with retries, leases, and texts that fit one unaccented SMS."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from langson.conftest import Inbox, Receiver
from langson.core.models import OrgUnit
from langson.services import notify_applicant, workflow
from langson.services.deadlines import LOCAL_TZ
from langson.services.models import ApplicantMessage, Dossier, Procedure
from langson.services.receipt import centre_name
from langson.services.storage import Attachment

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n% to khai\n"
DONG_DANG = "6184"
SITE = "https://dichvucong.langson.gov.vn"
TOKEN = "khoa-cong-sms-thu-nghiem"
APPLICANT = {
    "applicant_name": "Hoàng Văn Pác",
    "applicant_id": "020090001234",
    "applicant_phone": "0912 345 678",
    "applicant_email": "hoang.van.pac@example.vn",
    "applicant_address": "Thôn Pò Nhùng, xã Đồng Đăng",
}
GSM_BASIC_ASCII = set(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 !\"#$%&'()*+,-./:;<=>?@_"
)


@pytest.fixture(autouse=True)
def files_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.DOSSIER_FILES_DIR = tmp_path / "dossiers"
    settings.SITE_URL = SITE
    settings.SMS_URL = ""  # as `make run`: no gateway unless a test brings one


@pytest.fixture
def sms_gateway(webhook_server: Receiver, settings: Any) -> Receiver:
    settings.SMS_URL = webhook_server.url
    settings.SMS_TOKEN = TOKEN
    return webhook_server


@pytest.fixture
def birth() -> Procedure:
    """Đăng ký khai sinh, processed by the commune that receives it (sample data)."""
    return Procedure.objects.create(
        code="1.001193",
        name="Thủ tục đăng ký khai sinh",
        field="Hộ tịch",
        level="commune",
        deadline_days=3,
        documents=[
            {"code": "TK", "name": "Tờ khai đăng ký khai sinh", "required": True, "copies": 1},
            {"code": "GCS", "name": "Giấy chứng sinh", "required": True, "copies": 1},
        ],
        steps=[{"name": "Tiếp nhận", "days": 0}, {"name": "Thẩm định", "days": 2}, {"name": "Ký", "days": 1}],
        online="full",
        anywhere=False,
    )


@pytest.fixture
def officer(make_user: Any) -> Any:
    return make_user("cb.motcua.dongdang", "commune_officer", DONG_DANG)


def at(d: int, hh: int = 9) -> datetime:
    return datetime(2026, 12, d, hh, tzinfo=LOCAL_TZ)


def submit(procedure: Procedure, channel: str = "online", officer: Any = None, **applicant: str) -> Dossier:
    return workflow.submit(
        procedure,
        {**APPLICANT, **applicant},
        [Attachment(kind, f"{kind}.pdf", PDF + kind.encode()) for kind in ("TK", "GCS")],
        channel=channel,
        received_unit=OrgUnit.objects.get(code=DONG_DANG),
        officer=officer,
        now=at(1),
    )


def sms_of(request: dict[str, Any]) -> dict[str, Any]:
    payload: dict[str, Any] = json.loads(request["body"])
    return payload


def assert_one_segment(text: str) -> None:
    assert len(text) <= notify_applicant.SMS_MAX, (len(text), text)
    assert set(text) <= GSM_BASIC_ASCII, set(text) - GSM_BASIC_ASCII


# --- Reception -----------------------------------------------------------------------------------------


def test_reception_sends_an_email_and_an_unaccented_sms_with_the_code_and_the_due_date(
    birth: Procedure, officer: Any, smtp_server: Inbox, sms_gateway: Receiver
) -> None:
    dossier = submit(birth)
    assert not ApplicantMessage.objects.exists()  # waiting for reception: nothing to announce yet
    workflow.receive(dossier, officer, now=at(1, 10))
    assert dossier.due_at == datetime(2026, 12, 4, 17, tzinfo=LOCAL_TZ)
    queued = ApplicantMessage.objects.filter(dossier=dossier)
    assert {(m.channel, m.address, m.status, m.event.action) for m in queued} == {  # type: ignore[union-attr]
        ("email", "hoang.van.pac@example.vn", "pending", "receive"),
        ("sms", "84912345678", "pending", "receive"),
    }

    assert notify_applicant.deliver_pending() == {"sent": 2, "retrying": 0, "failed": 0}

    code, link = dossier.code, f"{SITE}/dvc/tra-cuu/?ma={dossier.code}"
    [envelope] = smtp_server.envelopes
    assert envelope.mail_from == "ioc@langson.gov.vn"  # LANGSON_SERVICES_FROM_EMAIL defaults to the site's
    assert envelope.rcpt_tos == ["hoang.van.pac@example.vn"]
    [message] = smtp_server.messages()
    assert message["Subject"].strip() == f"[Dịch vụ công Lạng Sơn] Hồ sơ {code} đã được tiếp nhận"
    body = message.get_content()
    for line in (
        "Hồ sơ của Ông/Bà đã được tiếp nhận.",
        f"Mã hồ sơ: {code}",
        "Thủ tục: Thủ tục đăng ký khai sinh",
        "Tiếp nhận lúc: 10:00 01/12/2026",
        "Hẹn trả kết quả: 17:00 04/12/2026",
        f"Nơi trả kết quả: {centre_name(dossier.return_unit)}",
        f"Tra cứu tình trạng hồ sơ: {link}",
    ):
        assert line in body
    for personal in ("Hoàng Văn Pác", "020090001234", "Pò Nhùng", "0912"):
        assert personal not in body

    [request] = sms_gateway.requests
    assert request["headers"]["Authorization"] == f"Bearer {TOKEN}"
    assert request["headers"]["Content-Type"] == "application/json; charset=utf-8"
    sms = sms_of(request)
    sent_sms = ApplicantMessage.objects.get(dossier=dossier, channel="sms")
    assert sms == {
        "to": "84912345678",
        "text": f"Ho so {code} da duoc tiep nhan, hen tra ket qua 17:00 04/12/2026. Tra cuu: {link}",
        "id": str(sent_sms.pk),
    }
    assert_one_segment(sms["text"])
    assert {(m.status, m.attempts) for m in queued.all()} == {("sent", 1)}
    assert all(m.sent_at is not None and m.lease_until is None for m in queued.all())
    # Sent once.
    assert notify_applicant.deliver_pending() == {"sent": 0, "retrying": 0, "failed": 0}
    assert len(smtp_server.envelopes) == 1 and len(sms_gateway.requests) == 1


def test_counter_reception_is_announced_and_the_worker_is_woken_after_commit(
    birth: Procedure, officer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        dossier = submit(birth, channel="counter", officer=officer)
    assert len(callbacks) == 1
    assert DBTaskResult.objects.filter(
        task_path__endswith="notify_applicant.deliver_applicant_messages"
    ).exists()
    # No gateway configured (the `make run` default): the e-mail only; the phone is not queued for later.
    [message] = ApplicantMessage.objects.filter(dossier=dossier)
    assert (message.channel, message.event.action) == ("email", "receive")  # type: ignore[union-attr]


def test_a_rolled_back_step_queues_nothing(
    birth: Procedure, officer: Any, sms_gateway: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    dossier = submit(birth)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        workflow.receive(dossier, officer, now=at(1, 10))
        assert ApplicantMessage.objects.count() == 2  # queued in the step's transaction ...
        raise RuntimeError("the request failed after the step")
    assert not ApplicantMessage.objects.exists()  # ... and gone with it
    assert callbacks == []  # no worker woken for nothing
    assert notify_applicant.deliver_pending() == {"sent": 0, "retrying": 0, "failed": 0}
    assert sms_gateway.requests == []


# --- Other steps ---------------------------------------------------------------------------------------


def test_a_supplement_request_carries_what_to_add(
    birth: Procedure, officer: Any, smtp_server: Inbox, sms_gateway: Receiver
) -> None:
    dossier = submit(birth)
    workflow.receive(dossier, officer, now=at(1, 10))
    reason = (
        "Giấy chứng sinh bị mờ, không đọc được họ tên người mẹ và ngày sinh của trẻ; đề nghị chụp lại bản rõ "
        "nét, đủ bốn góc, kèm bản sao Căn cước của cha hoặc mẹ để đối chiếu."
    )
    workflow.request_supplement(dossier, officer, reason, now=at(2))
    assert notify_applicant.deliver_pending() == {"sent": 4, "retrying": 0, "failed": 0}

    message = smtp_server.messages()[-1]
    assert message["Subject"].strip() == (
        f"[Dịch vụ công Lạng Sơn] Hồ sơ {dossier.code} cần bổ sung, hoàn thiện"
    )
    body = message.get_content()
    assert f"Nội dung cần bổ sung: {reason}" in body  # the whole reason in the e-mail
    assert "thời hạn giải quyết được tính lại" in body
    sms = sms_of(sms_gateway.requests[-1])["text"]
    assert sms.startswith(f"Ho so {dossier.code} can bo sung: Giay chung sinh bi mo, khong doc duoc ho ten")
    assert sms.endswith("...")  # shortened to fit, and the link left out
    assert_one_segment(sms)

    # The applicant brings the papers on Mon 07/12: the count restarts, and they are told the new date.
    workflow.supplement(dossier, [Attachment("GCS", "gcs-ro.pdf", b"%PDF-1.7\n% ro net\n")], now=at(7, 8))
    assert notify_applicant.deliver_pending() == {"sent": 2, "retrying": 0, "failed": 0}
    message = smtp_server.messages()[-1]
    assert message["Subject"].strip() == (
        f"[Dịch vụ công Lạng Sơn] Hồ sơ {dossier.code} đã nhận đủ bổ sung, hẹn trả mới"
    )
    assert "Hẹn trả kết quả: 17:00 10/12/2026" in message.get_content()
    sms = sms_of(sms_gateway.requests[-1])["text"]
    assert sms.startswith(f"Ho so {dossier.code} da nhan du bo sung, hen tra ket qua moi 17:00")


def test_apology_refusal_stop_and_result_are_announced_but_not_the_return(
    birth: Procedure, officer: Any, smtp_server: Inbox, sms_gateway: Receiver
) -> None:
    first = submit(birth)
    workflow.receive(first, officer, now=at(1, 10))
    workflow.claim(first, officer, now=at(1, 11))
    workflow.apologise(first, officer, "Chờ xác minh thông tin từ xã khác.", 2, now=at(2))
    workflow.finish(first, officer, now=at(7, 15))
    workflow.hand_back(first, officer, now=at(8))
    workflow.rate(first, 5, now=at(8, 10))
    second = submit(birth)
    workflow.refuse(second, officer, "Không thuộc thẩm quyền của xã.", now=at(1, 10))
    third = submit(birth)
    workflow.receive(third, officer, now=at(1, 10))
    workflow.stop(third, officer, "Dừng theo đề nghị của người nộp", now=at(2))

    announced = list(
        ApplicantMessage.objects.filter(channel="sms").order_by("id").values_list("event__action", flat=True)
    )
    assert announced == ["receive", "apology", "result", "refuse", "receive", "stop"]
    assert ApplicantMessage.objects.filter(channel="email").count() == 6
    assert notify_applicant.deliver_pending() == {"sent": 12, "retrying": 0, "failed": 0}

    texts = [sms_of(r)["text"] for r in sms_gateway.requests]
    for text in texts:
        assert_one_segment(text)
    new_due = f"{first.extended_due_at.astimezone(LOCAL_TZ):%H:%M %d/%m/%Y}"  # type: ignore[union-attr]
    place = centre_name(first.return_unit)
    assert texts[1].startswith(
        f"Xin loi: ho so {first.code} chua co ket qua dung hen, hen lai {new_due}. "
        "Ly do: Cho xac minh thong tin tu xa khac."
    )
    assert texts[2].startswith(f"Ho so {first.code} da co ket qua, moi nhan tai Trung tam Phuc vu hanh chinh")
    assert texts[3].startswith(f"Ho so {second.code} bi tu choi giai quyet. Ly do: Khong thuoc tham quyen")
    assert texts[5].startswith(f"Ho so {third.code} da dung giai quyet. Ly do: Dung theo de nghi")

    subjects = [m["Subject"].strip() for m in smtp_server.messages()]
    assert subjects[1] == f"[Dịch vụ công Lạng Sơn] Xin lỗi và hẹn lại ngày trả kết quả hồ sơ {first.code}"
    apology = smtp_server.messages()[1].get_content()
    assert "Hẹn trả trước đây: 17:00 04/12/2026" in apology and f"Hẹn trả mới: {new_due}" in apology
    result = smtp_server.messages()[2].get_content()
    assert f"Nơi nhận kết quả: {place}" in result
    assert subjects[3] == f"[Dịch vụ công Lạng Sơn] Hồ sơ {second.code} bị từ chối giải quyết"
    assert subjects[5] == f"[Dịch vụ công Lạng Sơn] Thông báo dừng giải quyết hồ sơ {third.code}"


# --- Who gets what -------------------------------------------------------------------------------------


def test_no_phone_and_no_email_queue_nothing(birth: Procedure, officer: Any, sms_gateway: Receiver) -> None:
    dossier = submit(birth, applicant_phone="", applicant_email="")
    workflow.receive(dossier, officer, now=at(1, 10))
    workflow.request_supplement(dossier, officer, "Thiếu tờ khai.", now=at(2))
    assert not ApplicantMessage.objects.exists()


@pytest.mark.parametrize(
    ("phone", "email"),
    [
        ("12345", "khong-phai-thu"),
        ("024 3825 1234", "@langson"),  # a Hà Nội landline cannot take an SMS
        ("+1 202 555 0143", ""),
        ("09123456789012345678", ""),
    ],
)
def test_an_invalid_phone_or_email_is_skipped_without_breaking_the_workflow(
    birth: Procedure, officer: Any, sms_gateway: Receiver, phone: str, email: str
) -> None:
    dossier = submit(birth, applicant_phone=phone, applicant_email=email)
    workflow.receive(dossier, officer, now=at(1, 10))
    workflow.claim(dossier, officer, now=at(1, 11))
    workflow.finish(dossier, officer, now=at(2))
    assert dossier.status == "result"
    assert not ApplicantMessage.objects.exists()


def test_a_failure_while_queueing_never_stops_the_step(
    birth: Procedure, officer: Any, monkeypatch: Any, caplog: Any
) -> None:
    def broken(*args: Any) -> Any:
        raise RuntimeError("template broken")

    monkeypatch.setattr(notify_applicant, "render_email", broken)
    dossier = submit(birth)
    workflow.receive(dossier, officer, now=at(1, 10))
    dossier.refresh_from_db()
    assert dossier.status == "received" and dossier.events.filter(action="receive").exists()
    assert not ApplicantMessage.objects.exists()
    assert "could not queue the applicant's notices" in caplog.text


@pytest.mark.nodb
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0912345678", "84912345678"),
        ("0912 345 678", "84912345678"),
        ("0912.345.678", "84912345678"),
        ("+84 912 345 678", "84912345678"),
        ("(+84) 0912-345-678", "84912345678"),
        ("0084912345678", "84912345678"),
        ("84388123456", "84388123456"),
        ("0868123456", "84868123456"),
        ("0561234567", "84561234567"),
        ("0701234567", "84701234567"),
        ("02053812345", None),  # Lạng Sơn landline
        ("0212345678", None),
        ("091234567", None),
        ("", None),
        ("không có", None),
    ],
)
def test_vietnamese_mobile_numbers_are_normalised(raw: str, expected: str | None) -> None:
    assert notify_applicant.normalise_phone(raw) == expected


@pytest.mark.nodb
def test_folding_to_one_gsm_segment() -> None:
    assert (
        notify_applicant.fold("Đồng Đăng, Lạng Sơn – Hồ sơ “mới”…") == 'Dong Dang, Lang Son - Ho so "moi"...'
    )
    assert notify_applicant.fold("Ứng   Ưu\nỞ ở [a] {b} ~c^ |d| `e` € ×") == "Ung Uu O o (a) (b) -c /d/ 'e'"


# --- Delivery ------------------------------------------------------------------------------------------


def test_a_gateway_error_is_retried_with_backoff_then_sent_once(
    birth: Procedure, officer: Any, sms_gateway: Receiver
) -> None:
    sms_gateway.statuses = [500]
    dossier = submit(birth, applicant_email="")
    workflow.receive(dossier, officer, now=at(1, 10))
    start = timezone.now()
    assert notify_applicant.deliver_pending(start) == {"sent": 0, "retrying": 1, "failed": 0}
    row = ApplicantMessage.objects.get()
    assert (row.status, row.attempts, row.lease_until) == ("pending", 1, None)
    assert row.next_try_at == start + timedelta(minutes=1)
    assert "500" in row.error
    # Not due yet: nothing is sent.
    assert notify_applicant.deliver_pending(start + timedelta(seconds=30)) == {
        "sent": 0,
        "retrying": 0,
        "failed": 0,
    }
    assert len(sms_gateway.requests) == 1
    assert notify_applicant.deliver_pending(start + timedelta(minutes=1)) == {
        "sent": 1,
        "retrying": 0,
        "failed": 0,
    }
    row.refresh_from_db()
    assert (row.status, row.attempts, row.next_try_at) == ("sent", 2, None)
    assert notify_applicant.deliver_pending(start + timedelta(hours=1)) == {
        "sent": 0,
        "retrying": 0,
        "failed": 0,
    }
    first, second = (sms_of(r) for r in sms_gateway.requests)
    assert first == second and first["id"] == str(row.pk)  # the same id on the retry: a repeat can be dropped


def test_a_gateway_that_keeps_failing_gives_up_after_the_sixth_try(
    birth: Procedure, officer: Any, sms_gateway: Receiver
) -> None:
    sms_gateway.statuses = [503] * 10
    dossier = submit(birth, applicant_email="")
    workflow.receive(dossier, officer, now=at(1, 10))
    now, waits = timezone.now(), []
    for _ in range(5):
        assert notify_applicant.deliver_pending(now)["retrying"] == 1
        row = ApplicantMessage.objects.get()
        assert row.next_try_at is not None
        waits.append(row.next_try_at - now)
        now = row.next_try_at
    assert waits == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16)]
    assert notify_applicant.deliver_pending(now) == {"sent": 0, "retrying": 0, "failed": 1}
    row = ApplicantMessage.objects.get()
    assert (row.status, row.attempts, row.sent_at, row.next_try_at) == ("failed", 6, None, None)
    assert "503" in row.error and len(sms_gateway.requests) == 6


def test_a_message_queued_before_the_gateway_was_removed_fails_without_retry(
    birth: Procedure, officer: Any, sms_gateway: Receiver, settings: Any
) -> None:
    dossier = submit(birth, applicant_email="")
    workflow.receive(dossier, officer, now=at(1, 10))
    settings.SMS_URL = ""
    assert notify_applicant.deliver_pending() == {"sent": 0, "retrying": 0, "failed": 1}
    assert "LANGSON_SMS_URL" in ApplicantMessage.objects.get().error
    assert sms_gateway.requests == []


def test_a_claimed_message_is_not_sent_by_another_worker_until_its_lease_runs_out(
    birth: Procedure, officer: Any, sms_gateway: Receiver
) -> None:
    dossier = submit(birth, applicant_email="")
    workflow.receive(dossier, officer, now=at(1, 10))
    now = timezone.now()
    # Worker A claims the message and dies before sending.
    with CaptureQueriesContext(connection) as queries:
        pk = notify_applicant.OUTBOX.claim_next(now)
    if connection.vendor == "postgresql":  # rows another worker holds are skipped, not waited for
        assert any("FOR UPDATE SKIP LOCKED" in q["sql"] for q in queries.captured_queries)
    assert pk is not None and notify_applicant.OUTBOX.claim_next(now) is None
    held = ApplicantMessage.objects.get()
    assert held.lease_until == now + notify_applicant.OUTBOX.lease and held.attempts == 1
    # Worker B finds nothing to do while A's lease holds ...
    assert notify_applicant.deliver_pending(now + timedelta(minutes=1)) == {
        "sent": 0,
        "retrying": 0,
        "failed": 0,
    }
    assert sms_gateway.requests == []
    # ... and sends it once the lease has run out.
    later = now + notify_applicant.OUTBOX.lease
    assert notify_applicant.deliver_pending(later) == {"sent": 1, "retrying": 0, "failed": 0}
    assert len(sms_gateway.requests) == 1
    assert ApplicantMessage.objects.get().attempts == 2


def test_delivery_runs_every_minute() -> None:
    from langson.core.services.jobs import SCHEDULES

    assert SCHEDULES["services.applicant_messages"] == (
        "langson.services.notify_applicant.deliver_applicant_messages",
        60,
    )
