"""Fees of a hồ sơ: online through the gateway (redirect, signed server-to-server confirmation) or at the
counter with a receipt number; the result is handed back only once the fee is paid; the 766 indicator.

The tests play the gateway's part of the protocol (services/payments.py) exactly as a gateway would: they
read the signed redirect, check its signature, and POST a signed confirmation to the IPN address."""

from __future__ import annotations

import urllib.parse
from datetime import date
from typing import Any

import pytest
from django.test import Client

from langson.services import indicators, payments, workflow
from langson.services.models import Dossier, DossierEvent, Payment, Procedure
from langson.services.storage import DossierError
from langson.services.tests.test_workflow import DONG_DANG, at, submit, unit

pytestmark = pytest.mark.django_db

GATEWAY = "https://cong-thanh-toan.example.vn/pay"
SECRET = "bi-mat-cua-cong-thanh-toan"


@pytest.fixture(autouse=True)
def files_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.DOSSIER_FILES_DIR = tmp_path / "dossiers"


@pytest.fixture
def gateway(settings: Any) -> None:
    settings.PAYMENT_URL = GATEWAY
    settings.PAYMENT_SECRET = SECRET


@pytest.fixture
def licence() -> Procedure:
    """A procedure with a fee (cấp giấy phép, 50.000 đồng)."""
    return Procedure.objects.create(
        code="2.000001",
        name="Cấp giấy phép kinh doanh (thử)",
        field="Thương mại",
        level="commune",
        deadline_days=3,
        fee_vnd=50_000,
        documents=[
            {"code": "TK", "name": "Tờ khai", "required": True, "copies": 1},
            {"code": "GCS", "name": "Giấy tờ kèm theo", "required": True, "copies": 1},
        ],
        steps=[
            {"name": "Tiếp nhận", "days": 0},
            {"name": "Thẩm định", "days": 3},
            {"name": "Trả kết quả", "days": 0},
        ],
        online="full",
        anywhere=False,
    )


def confirmation(
    order: str, amount: int | str, code: str = "00", ref: str = "GW123", secret: str = SECRET
) -> dict:
    params = {"order": order, "amount": str(amount), "code": code, "ref": ref}
    params["sig"] = payments.sign(params, secret)
    return params


def ipn(params: dict) -> str:
    answer = Client().post("/dvc/thanh-toan/ipn/", params)  # the gateway has no session and no CSRF token
    assert answer.status_code == 200
    return answer.json()["code"]


def citizen_dossier(licence: Procedure, make_user: Any) -> tuple[Client, Dossier]:
    account = make_user("nguoidan.phi", "citizen")
    dossier = submit(licence, account=account)
    client = Client()
    client.force_login(account)
    return client, dossier


def test_the_fee_is_fixed_at_submission_from_the_catalog(licence):
    dossier = submit(licence)
    Procedure.objects.filter(pk=licence.pk).update(fee_vnd=70_000)  # a later change of the catalog
    dossier.refresh_from_db()
    assert dossier.fee_vnd == 50_000 and payments.fee_owed(dossier) == 50_000


def test_paying_online_through_the_gateway(licence, make_user, gateway):
    client, dossier = citizen_dossier(licence, make_user)
    page = client.get(f"/dvc/ho-so/{dossier.code}/").content.decode()
    assert 'data-testid="pay"' in page and "50.000 đồng" in page and "chưa nộp" in page

    answer = client.post(f"/dvc/ho-so/{dossier.code}/thanh-toan/")
    assert answer.status_code == 302 and answer["Location"].startswith(GATEWAY + "?")
    sent = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(answer["Location"]).query))
    assert sent["sig"] == payments.sign(sent, SECRET)  # what the gateway checks
    assert sent["amount"] == "50000" and sent["info"] == f"Phi, le phi ho so {dossier.code}"
    assert sent["return"].endswith(f"/dvc/ho-so/{dossier.code}/thanh-toan/ket-qua/")
    # Coming back before the gateway confirmed: nothing is paid yet, whatever the browser says.
    back = client.get(f"/dvc/ho-so/{dossier.code}/thanh-toan/ket-qua/?code=00", follow=True).content.decode()
    assert "Đang chờ cổng thanh toán xác nhận" in back
    assert payments.fee_owed(dossier) == 50_000

    assert ipn(confirmation(sent["order"], 50_000)) == "00"
    payment = Payment.objects.get()
    assert (payment.status, payment.channel, payment.reference) == ("paid", "online", "GW123")
    assert payments.fee_owed(dossier) == 0
    event = DossierEvent.objects.get(dossier=dossier, action="pay")
    assert event.note == "50.000 đồng · Trực tuyến · GW123" and event.actor is None
    assert ipn(confirmation(sent["order"], 50_000)) == "02"  # the gateway's retry changes nothing
    assert DossierEvent.objects.filter(dossier=dossier, action="pay").count() == 1
    page = client.get(f"/dvc/ho-so/{dossier.code}/").content.decode()
    assert 'data-testid="pay"' not in page and "đã nộp (Trực tuyến" in page


def test_forged_or_wrong_confirmations_change_nothing(licence, make_user, gateway):
    _client, dossier = citizen_dossier(licence, make_user)
    payment, _address = payments.start_online(dossier, "https://dvc.example/back")
    assert ipn(confirmation(payment.order_id, 50_000, secret="khoa-gia")) == "97"  # not signed by the gateway
    unsigned = confirmation(payment.order_id, 50_000)
    unsigned["amount"] = "5000"  # altered after signing
    assert ipn(unsigned) == "97"
    assert ipn(confirmation(payment.order_id, 5_000)) == "04"  # signed, but not the amount asked
    assert ipn(confirmation("LS.KHONG-CO-TT1", 50_000)) == "01"
    assert ipn({"order": payment.order_id}) == "97"
    payment.refresh_from_db()
    assert payment.status == "pending" and payments.fee_owed(dossier) == 50_000
    # A declined payment is recorded as failed; the applicant may try again with a new order.
    assert ipn(confirmation(payment.order_id, 50_000, code="24")) == "00"
    payment.refresh_from_db()
    assert payment.status == "failed"
    again, _ = payments.start_online(dossier, "https://dvc.example/back")
    assert again.order_id == f"{dossier.code}-TT2"


def test_without_a_gateway_the_fee_is_paid_at_the_counter(licence, make_user, settings):
    settings.PAYMENT_URL = ""
    client, dossier = citizen_dossier(licence, make_user)
    page = client.get(f"/dvc/ho-so/{dossier.code}/").content.decode()
    assert 'data-testid="pay"' not in page and "nộp phí, lệ phí tại Bộ phận Một cửa" in page
    with pytest.raises(DossierError) as offline:
        payments.start_online(dossier, "https://dvc.example/back")
    assert offline.value.code == "payment_offline" and not Payment.objects.exists()


def test_the_result_is_handed_back_only_after_the_fee_is_collected(licence, make_user):
    officer = make_user("cb.thuphi", "commune_officer", DONG_DANG)
    dossier = submit(licence, channel="counter", officer=officer, now=at(1))
    workflow.claim(dossier, officer, now=at(1, 10))
    workflow.finish(dossier, officer, now=at(2))
    with pytest.raises(DossierError) as unpaid:
        workflow.hand_back(dossier, officer, now=at(2, 10))
    assert unpaid.value.code == "fee_unpaid" and "50.000 đồng" in unpaid.value.vi

    client = Client()
    client.force_login(officer)
    url = f"/mot-cua/ho-so/{dossier.code}/"
    assert 'data-testid="fee-form"' in client.get(url).content.decode()
    refused = client.post(url, {"action": "collect_fee", "receipt_number": "  "})
    assert "số biên lai" in refused.content.decode() and not Payment.objects.exists()
    assert client.post(url, {"action": "collect_fee", "receipt_number": "BL-0001234"}).status_code == 302
    payment = Payment.objects.get()
    assert (payment.channel, payment.status, payment.reference, payment.recorded_by) == (
        "counter",
        "paid",
        "BL-0001234",
        officer,
    )
    with pytest.raises(DossierError) as twice:
        payments.pay_at_counter(dossier, officer, "BL-0001235")
    assert twice.value.code == "nothing_owed"
    assert client.post(url, {"action": "hand_back"}).status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == "returned"


def test_a_gateway_confirmation_after_the_counter_collected_the_fee_is_not_a_second_payment(
    licence, make_user, gateway
):
    officer = make_user("cb.thu", "commune_officer", DONG_DANG)
    _client, dossier = citizen_dossier(licence, make_user)
    online, _address = payments.start_online(dossier, "https://dvc.example/back")
    payments.pay_at_counter(dossier, officer, "BL-77")  # the applicant paid in cash meanwhile
    assert ipn(confirmation(online.order_id, 50_000, ref="GW999")) == "00"  # answered, so the gateway stops
    online.refresh_from_db()
    assert online.status == "failed" and online.reference == "DA-NOP-KHAC GW999"  # to refund
    assert list(dossier.payments.filter(status="paid").values_list("channel", flat=True)) == ["counter"]


def test_online_payment_rate_counts_dossiers_with_a_fee_by_month_of_reception(licence, make_user, gateway):
    free = Procedure.objects.create(
        code="2.000002",
        name="Thủ tục miễn phí (thử)",
        field="Hộ tịch",
        level="commune",
        deadline_days=3,
        documents=licence.documents,
        steps=licence.steps,
        online="full",
        anywhere=False,
    )
    officer = make_user("cb.chiso.tt", "commune_officer", DONG_DANG)
    paid_online = submit(licence, channel="counter", now=at(1))
    paid_cash = submit(licence, channel="counter", now=at(2))
    submit(licence, channel="counter", now=at(3))  # not paid yet
    submit(free, channel="counter", now=at(3))  # no fee: not counted
    payment, _ = payments.start_online(paid_online, "https://dvc.example/back")
    assert ipn(confirmation(payment.order_id, 50_000)) == "00"
    payments.pay_at_counter(paid_cash, officer, "BL-1")
    values = {(month, place): value for month, place, value in indicators.online_payment_rate()}
    commune = str(unit(DONG_DANG).gso_code)
    assert values == {(date(2026, 12, 1), ""): 33.33, (date(2026, 12, 1), commune): 33.33}
    assert "services-online-payment-rate" in {spec.code for spec in indicators.INDICATORS}


def test_only_the_owner_may_start_a_payment(licence, make_user, gateway):
    _client, dossier = citizen_dossier(licence, make_user)
    stranger = Client()
    stranger.force_login(make_user("nguoidan.khac", "citizen"))
    assert stranger.post(f"/dvc/ho-so/{dossier.code}/thanh-toan/").status_code == 404
    assert Client().post(f"/dvc/ho-so/{dossier.code}/thanh-toan/").status_code == 302  # to the login page
    assert not Payment.objects.exists()
