"""POST /api/city/telemetry: devices with their own secret, gateways with an API key; the same validation
and store as MQTT; rejected items listed and kept as dead letters; replays change nothing."""

from __future__ import annotations

import base64
import json

import pytest
from django.test import Client
from django.urls import Resolver404, path, resolve
from ninja import NinjaAPI

from langson.city.api_ingest import router as ingest_router
from langson.city.api_ingest import store
from langson.city.ingest.payload import now_us
from langson.city.ingest.testing import make_devices
from langson.city.models import DeadLetter, Device, Reading

try:  # mounted under /api/city/ by the platform's API once the city router is added there
    resolve("/api/city/telemetry")
    urlpatterns: list = []
except Resolver404:
    _api = NinjaAPI(urls_namespace="city-ingest-tests")
    _api.add_router("/city/", ingest_router)
    urlpatterns = [path("api/", _api.urls)]
    pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]
else:
    pytestmark = [pytest.mark.django_db]

URL = "/api/city/telemetry"
SECRET = "bi-mat-cua-den"


@pytest.fixture(autouse=True)
def devices():
    store().forget()
    return make_devices(["den-001", "den-002"], secret=SECRET)


def _device(device_id: str = "den-001", secret: str = SECRET) -> Client:
    token = base64.b64encode(f"{device_id}:{secret}".encode()).decode()
    return Client(headers={"Authorization": f"Basic {token}"})


def _post(client: Client, body: object | bytes):
    data = body if isinstance(body, bytes) else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json")


def _ms(offset: int = 0) -> int:
    return now_us() // 1000 - 60_000 + offset


def test_a_device_sends_its_readings_and_a_replay_changes_nothing():
    body = [
        {"ts": _ms(), "data": {"powerState": "on", "powerConsumption": 88.5, "illuminanceLevel": 1}},
        {"ts": _ms(1000), "data": {"powerState": "on", "powerConsumption": 44.0, "illuminanceLevel": 0.5}},
    ]
    answer = _post(_device(), body)
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"accepted": 2, "rejected": [], "readings": 6, "new": 6, "duplicates": 0}
    again = _post(_device(), body)
    assert again.json()["duplicates"] == 6 and again.json()["new"] == 0
    assert Reading.objects.filter(device_id="den-001").count() == 6
    assert Device.objects.get(device_id="den-001").last_seen_at is not None
    single = _post(_device("den-002"), {"ts": "2026-11-28T19:00:00+07:00", "data": {"powerState": "off"}})
    assert single.status_code in (200, 422)  # 422 only if that date is out of range on the day this runs


def test_a_device_cannot_send_for_another_or_with_a_wrong_secret():
    assert _post(_device(secret="sai"), {"ts": _ms(), "data": {"x": 1}}).status_code == 401
    assert _post(Client(), {"ts": _ms(), "data": {"x": 1}}).status_code == 401
    Device.objects.filter(device_id="den-002").update(active=False)
    assert _post(_device("den-002"), {"ts": _ms(), "data": {"x": 1}}).status_code == 401
    other = _post(_device(), [{"device_id": "den-002", "ts": _ms(), "data": {"x": 1}}])
    assert other.status_code == 422
    assert other.json()["rejected"][0]["reason"].startswith("Mã thiết bị 'den-002' trong nội dung khác")
    assert Reading.objects.count() == 0


def test_a_gateway_sends_for_many_devices_and_bad_items_are_kept_with_their_reason(administrator, api_client):
    body = [
        {"device_id": "den-001", "ts": _ms(), "data": {"powerConsumption": 10}},
        {"device_id": "den-404", "ts": _ms(), "data": {"powerConsumption": 10}},
        {"device_id": "den-002", "ts": _ms(), "data": {"powerConsumption": "rất cao" * 40}},
        {"ts": _ms(), "data": {"powerConsumption": 10}},
        {"device_id": "den-002", "ts": _ms(5), "data": {"powerConsumption": 12.5, "powerState": "on"}},
        {"device_id": "den\u0000-001", "ts": _ms(), "data": {"powerState": "on\u0000"}},
    ]
    answer = _post(api_client(administrator), body)
    assert answer.status_code == 200, answer.content
    result = answer.json()
    assert (result["accepted"], result["readings"], result["new"]) == (2, 3, 3)
    assert [r["index"] for r in result["rejected"]] == [1, 2, 3, 5]
    assert all(r["reason"] and r["reason_en"] for r in result["rejected"])
    assert result["rejected"][0]["reason"] == "Thiết bị chưa đăng ký hoặc đã ngừng hoạt động: den-404"
    letters = DeadLetter.objects.order_by("id")
    assert [(d.channel, d.device_id) for d in letters] == [
        ("http", "den-404"),
        ("http", "den-002"),
        ("http", ""),
        ("http", ""),
    ]
    assert json.loads(bytes(letters[0].payload))["device_id"] == "den-404"


def test_only_accounts_allowed_to_may_act_as_a_gateway(make_user, api_client):
    citizen = make_user("nguoidan.thu", "citizen")
    answer = _post(api_client(citizen), [{"device_id": "den-001", "ts": _ms(), "data": {"x": 1}}])
    assert answer.status_code == 403 and answer.json()["detail_en"]


def test_a_body_that_is_not_json_is_refused_with_a_reason():
    answer = _post(_device(), b"\x00not json")
    assert answer.status_code == 400
    assert answer.json()["detail"] == "Nội dung không phải JSON hợp lệ (UTF-8)."
    assert _post(_device(), {"nothing": True}).status_code == 422
