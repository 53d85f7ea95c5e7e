"""The device registry's API (/api/city/devices): scope by organisation, filters, registration with a secret
returned once, updates and deactivation, errors in Vietnamese and English; the hash never leaves."""

from __future__ import annotations

import base64
import json

import pytest
from django.test import Client
from django.utils import timezone

from langson.city.api_ingest import store
from langson.city.ingest.broker import hash_password, verify_password
from langson.city.models import Device
from langson.core.api_auth import issue_token
from langson.core.models import AuditEntry, OrgUnit

pytestmark = pytest.mark.django_db

URL = "/api/city/devices"
SECRET = "bi-mat-den-api"
LVT = (21.8480, 106.7560)
DD = (21.9560, 106.6980)


def with_key(user) -> Client:
    _token, key = issue_token(user, "kiểm thử")
    return Client(headers={"Authorization": f"Bearer {key}"})


def make_device(device_id, *, kind=Device.Type.STREETLIGHT, commune="5983", owner="SO-XD", where=LVT):
    device = Device(
        device_id=device_id,
        name=f"Thiết bị {device_id}",
        type=kind,
        commune=OrgUnit.objects.get(code=commune),
        owner=OrgUnit.objects.get(code=owner),
        latitude=where[0],
        longitude=where[1],
        attributes={"powerConsumption": 90} if kind == Device.Type.STREETLIGHT else {},
        secret_hash=hash_password(SECRET),
    )
    device.save()
    return device


def report(device_id: str, secret: str = SECRET, **data) -> int:
    token = base64.b64encode(f"{device_id}:{secret}".encode()).decode()
    body = json.dumps({"ts": int(timezone.now().timestamp() * 1000), "data": data})
    return (
        Client(headers={"Authorization": f"Basic {token}"})
        .post("/api/city/telemetry", body, content_type="application/json")
        .status_code
    )


@pytest.fixture(autouse=True)
def _fresh_store():
    store().forget()


@pytest.fixture
def people(make_user):
    return {
        "tech": make_user("kythuat.soxd", "department_officer", "SO-XD"),
        "lvt": make_user("canbo.lvt", "commune_officer", "5983"),
        "dd": make_user("canbo.dongdang", "commune_officer", "6184"),
        "leader": make_user("lanhdao.tinh", "leader", "20"),
        "operator": make_user("vanhanh.tinh", "operator", "20"),
        "citizen": make_user("nguoidan", "citizen"),
    }


@pytest.fixture
def devices():
    found = {
        "lit": make_device("den-api-001"),
        "dead": make_device("den-api-002"),
        "station": make_device(
            "aq-api-01", kind=Device.Type.AIR_QUALITY, commune="6184", owner="SO-NNMT", where=DD
        ),
    }
    assert report("den-api-001", powerState="on", dimmingLevel=100, powerConsumption=88.0) == 200
    assert report("den-api-002", powerState="on", dimmingLevel=100, powerConsumption=0.2) == 200
    return found


def test_reading_follows_the_organisation_and_never_shows_the_hash(people, devices):
    assert Client().get(URL).status_code == 401
    assert with_key(people["citizen"]).get(URL).status_code == 403

    tech = with_key(people["tech"]).get(URL)
    assert tech.status_code == 200
    body = tech.json()
    assert body["count"] == 2 and [d["device_id"] for d in body["items"]] == ["den-api-001", "den-api-002"]
    text = tech.content.decode()
    assert "secret_hash" not in text and "$7$" not in text
    lit = body["items"][0]
    assert lit["online"] is True and lit["has_secret"] is True
    assert lit["owner"] == {"code": "SO-XD", "name": "Sở Xây dựng"} and lit["commune"]["code"] == "5983"
    assert lit["lamp"]["power_state"] == "on" and lit["lamp"]["faulty"] is False
    assert body["items"][1]["lamp"]["faulty"] is True

    detail = with_key(people["lvt"]).get(f"{URL}/den-api-002")
    assert detail.status_code == 200
    assert detail.json()["may_change"] is False and detail.json()["may_command"] is False
    assert {v["attribute"] for v in detail.json()["latest"]} == {
        "powerState",
        "dimmingLevel",
        "powerConsumption",
    }
    assert with_key(people["tech"]).get(f"{URL}/den-api-002").json()["may_command"] is True
    missing = with_key(people["dd"]).get(f"{URL}/den-api-002")
    assert missing.status_code == 404 and missing.json()["detail_en"] == "The device was not found."
    assert [d["device_id"] for d in with_key(people["dd"]).get(URL).json()["items"]] == ["aq-api-01"]


def test_filters(people, devices):
    client = with_key(people["operator"])

    def ids(**query):
        answer = client.get(URL, query)
        assert answer.status_code == 200, answer.content
        return [d["device_id"] for d in answer.json()["items"]]

    assert ids(type="AirQualityObserved") == ["aq-api-01"]
    assert ids(commune="5983") == ["den-api-001", "den-api-002"]
    assert ids(faulty="true") == ["den-api-002"]
    assert ids(faulty="false") == ["aq-api-01", "den-api-001"]
    assert ids(online="false") == ["aq-api-01"]  # never reported
    assert ids(online="true") == ["den-api-001", "den-api-002"]
    assert ids(q="API-00") == ["den-api-001", "den-api-002"]
    assert ids(limit=1, offset=1) == ["den-api-001"]  # by id: aq-…, den-…-001, den-…-002
    assert client.get(URL, {"limit": 10_000}).status_code == 422
    assert client.get(URL, {"offset": 2**63}).status_code == 422


def test_registering_returns_the_secret_once(people):
    tech = with_key(people["tech"])
    body = {
        "device_id": "den-api-moi",
        "name": "Đèn đường Trần Đăng Ninh",
        "type": "Streetlight",
        "commune": "5983",
        "owner": "SO-XD",
        "latitude": LVT[0],
        "longitude": LVT[1],
        "attributes": {"powerConsumption": 100},
    }
    created = tech.post(URL, json.dumps(body), content_type="application/json")
    assert created.status_code == 201, created.content
    secret = created.json()["secret"]
    device = Device.objects.get(device_id="den-api-moi")
    assert verify_password(secret, device.secret_hash) and "secret_hash" not in created.content.decode()
    assert "secret" not in tech.get(f"{URL}/den-api-moi").json()
    assert report("den-api-moi", secret, powerState="off") == 200
    entry = AuditEntry.objects.get(model__iendswith="device", object_pk=str(device.pk), action="create")
    assert entry.channel == "api" and entry.actor == "kythuat.soxd"

    # Errors name the field, in Vietnamese and English; nothing is stored.
    bad = tech.post(
        URL,
        json.dumps({**body, "device_id": "den-api-moi", "latitude": 48.85, "longitude": 2.35}),
        content_type="application/json",
    )
    assert bad.status_code == 422
    errors = bad.json()["errors"]
    assert errors["device_id"][0]["code"] == "unique"
    assert errors["latitude"][0]["code"] == "outside_province"
    assert "ngoài tỉnh Lạng Sơn" in errors["latitude"][0]["message"]
    assert errors["latitude"][0]["message_en"]
    nul = tech.post(
        URL, json.dumps({**body, "device_id": "x1", "name": "a\u0000b"}), content_type="application/json"
    )
    assert nul.status_code == 422 and nul.json()["errors"]["name"][0]["code"] == "null_characters"
    other_owner = tech.post(
        URL, json.dumps({**body, "device_id": "x2", "owner": "SO-YT"}), content_type="application/json"
    )
    assert other_owner.status_code == 422 and "owner" in other_owner.json()["errors"]
    assert (
        with_key(people["leader"]).post(URL, json.dumps(body), content_type="application/json").status_code
        == 403
    )
    assert Device.objects.count() == 1


def test_updates_deactivation_and_new_secret(people, devices):
    tech = with_key(people["tech"])
    path = f"{URL}/den-api-001"
    changed = tech.patch(
        path, json.dumps({"name": "Đèn đổi tên", "offline_after_s": 300}), content_type="application/json"
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["name"] == "Đèn đổi tên" and changed.json()["offline_after_s"] == 300
    device = Device.objects.get(device_id="den-api-001")
    assert device.commune.code == "5983" and device.attributes == {"powerConsumption": 90}  # untouched
    assert AuditEntry.objects.filter(
        model__iendswith="device", object_pk=str(device.pk), action="update"
    ).exists()

    off = tech.patch(path, json.dumps({"active": False}), content_type="application/json")
    assert off.status_code == 200 and off.json()["active"] is False
    assert report("den-api-001", powerState="on") == 401
    assert tech.patch(path, json.dumps({"active": True}), content_type="application/json").json()["active"]

    assert tech.patch(path, json.dumps({"name": None}), content_type="application/json").status_code == 422
    assert (
        tech.patch(path, json.dumps({"commune": "6184"}), content_type="application/json").status_code == 422
    )
    # In sight but not theirs to change: 403; out of sight: 404.
    assert (
        with_key(people["lvt"])
        .patch(path, json.dumps({"name": "x"}), content_type="application/json")
        .status_code
        == 403
    )
    assert (
        with_key(people["dd"])
        .patch(path, json.dumps({"name": "x"}), content_type="application/json")
        .status_code
        == 404
    )

    fresh = tech.post(f"{path}/secret")
    assert fresh.status_code == 200
    device.refresh_from_db()
    assert verify_password(fresh.json()["secret"], device.secret_hash)
    assert report("den-api-001", powerState="on") == 401  # the old secret
    assert report("den-api-001", fresh.json()["secret"], powerState="on") == 200
    assert with_key(people["lvt"]).post(f"{path}/secret").status_code == 403
