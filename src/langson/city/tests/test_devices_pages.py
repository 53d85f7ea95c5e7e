"""The device registry's pages (/do-thi/thiet-bi/) and the device map (/do-thi/ban-do/): who sees and manages
which device, the list's filters, registration with a secret shown once, edit, deactivation, a street light's
commands followed to "applied" through the real HTTP paths a lamp uses, and the map's markers and zoom."""

from __future__ import annotations

import base64
import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from langson.city.api_ingest import store
from langson.city.commands import mark_applied
from langson.city.ingest.broker import hash_password, verify_password
from langson.city.models import Command, Device
from langson.core.models import AuditEntry, OrgUnit

pytestmark = pytest.mark.django_db

LIST = "/do-thi/thiet-bi/"
MAP = "/do-thi/ban-do/"
SECRET = "bi-mat-den-thu"
# Inside Lương Văn Tri ward (5983) and Đồng Đăng commune (6184).
LVT = (21.8480, 106.7560)
DD = (21.9560, 106.6980)


def page(device_id: str, suffix: str = "") -> str:
    return f"{LIST}{device_id}/{suffix}"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def device_client(device_id: str, secret: str = SECRET) -> Client:
    token = base64.b64encode(f"{device_id}:{secret}".encode()).decode()
    return Client(headers={"Authorization": f"Basic {token}"})


def make_device(
    device_id: str, *, kind=Device.Type.STREETLIGHT, commune="5983", owner="SO-XD", where=LVT, **extra
):
    device = Device(
        device_id=device_id,
        name=f"Đèn {device_id}",
        type=kind,
        commune=OrgUnit.objects.get(code=commune),
        owner=OrgUnit.objects.get(code=owner),
        latitude=where[0],
        longitude=where[1],
        attributes={"powerConsumption": 120} if kind == Device.Type.STREETLIGHT else {},
        secret_hash=hash_password(SECRET),
        **extra,
    )
    device.save()
    return device


def report(device_id: str, **data) -> None:
    """The device posts its telemetry as a lamp does: HTTP Basic with its own secret."""
    body = {"ts": int(timezone.now().timestamp() * 1000), "data": data}
    answer = device_client(device_id).post(
        "/api/city/telemetry", json.dumps(body), content_type="application/json"
    )
    assert answer.status_code == 200, answer.content


@pytest.fixture(autouse=True)
def _fresh_store():
    store().forget()


@pytest.fixture
def people(make_user):
    return {
        "tech": make_user("kythuat.soxd", "department_officer", "SO-XD"),
        "env": make_user("canbo.sonnmt", "department_officer", "SO-NNMT"),
        "lvt": make_user("canbo.lvt", "commune_officer", "5983"),
        "dd": make_user("canbo.dongdang", "commune_officer", "6184"),
        "leader": make_user("lanhdao.tinh", "leader", "20"),
        "operator": make_user("vanhanh.tinh", "operator", "20"),
        "citizen": make_user("nguoidan", "citizen"),
    }


@pytest.fixture
def lamps():
    """Three street lights of Sở Xây dựng: one lit, one dead (on at 0 W), one never heard from; an
    air-quality station of Sở Nông nghiệp và Môi trường in Đồng Đăng; a lamp owned by Đồng Đăng."""
    lit = make_device("den-lvt-001")
    dead = make_device("den-lvt-002")
    silent = make_device("den-lvt-003")
    station = make_device("aq-dd-01", kind=Device.Type.AIR_QUALITY, commune="6184", owner="SO-NNMT", where=DD)
    ward_lamp = make_device("den-dd-001", commune="6184", owner="6184", where=DD)
    report(lit.device_id, powerState="on", dimmingLevel=100, powerConsumption=118.5)
    report(dead.device_id, powerState="on", dimmingLevel=100, powerConsumption=0.3)
    report(station.device_id, pm25=31.5, pm10=52.0)
    report(ward_lamp.device_id, powerState="off", powerConsumption=0.4)
    return {"lit": lit, "dead": dead, "silent": silent, "station": station, "ward_lamp": ward_lamp}


def ids_in(html: str) -> set[str]:
    return set(re.findall(r'data-testid="device-row" data-device="([^"]+)"', html))


def test_sight_and_management_follow_the_organisation(people, lamps):
    dead = lamps["dead"].device_id
    assert Client().get(LIST).status_code == 302  # to the login page
    assert signed_in(people["citizen"]).get(LIST).status_code == 403
    assert signed_in(people["citizen"]).get(page(dead)).status_code == 403

    tech = signed_in(people["tech"])
    assert ids_in(tech.get(LIST).content.decode()) == {"den-lvt-001", "den-lvt-002", "den-lvt-003"}
    assert tech.get(page(dead)).status_code == 200
    assert tech.get(page("aq-dd-01")).status_code == 404  # another department's device

    # A ward's officer sees the devices standing in the ward (they answer its residents) but manages only
    # those their ward owns; another commune's officer does not even learn the lamp exists.
    lvt = signed_in(people["lvt"])
    assert ids_in(lvt.get(LIST).content.decode()) == {"den-lvt-001", "den-lvt-002", "den-lvt-003"}
    assert lvt.get(page(dead)).status_code == 200
    assert lvt.get(page(dead, "sua/")).status_code == 403
    assert lvt.post(page(dead, "lenh/"), {"action": "off"}).status_code == 403
    dd = signed_in(people["dd"])
    assert ids_in(dd.get(LIST).content.decode()) == {"aq-dd-01", "den-dd-001"}
    for suffix in ("", "trang-thai/", "sua/"):
        assert dd.get(page(dead, suffix)).status_code == 404
    assert dd.post(page(dead, "lenh/"), {"action": "off"}).status_code == 404
    assert dd.post(page(dead, "hoat-dong/"), {"active": "0"}).status_code == 404
    assert dd.get(page("den-dd-001", "sua/")).status_code == 200  # their ward's own lamp
    assert not Command.objects.exists()

    # The province sees everything; its leader looks but does not command.
    leader = signed_in(people["leader"])
    assert len(ids_in(leader.get(LIST).content.decode())) == 5
    assert leader.post(page(dead, "lenh/"), {"action": "off"}).status_code == 403
    assert signed_in(people["operator"]).get(page("aq-dd-01", "sua/")).status_code == 200


def test_the_list_filters_by_type_commune_contact_and_fault(people, lamps):
    client = signed_in(people["operator"])
    assert ids_in(client.get(LIST, {"loai": "AirQualityObserved"}).content.decode()) == {"aq-dd-01"}
    assert ids_in(client.get(LIST, {"xa": "6184"}).content.decode()) == {"aq-dd-01", "den-dd-001"}
    assert ids_in(client.get(LIST, {"hong": "1"}).content.decode()) == {"den-lvt-002"}
    online = ids_in(client.get(LIST, {"ket_noi": "on"}).content.decode())
    assert online == {"den-lvt-001", "den-lvt-002", "aq-dd-01", "den-dd-001"}
    assert ids_in(client.get(LIST, {"ket_noi": "off"}).content.decode()) == {"den-lvt-003"}
    # Contact older than the device's own offline delay counts as lost.
    lit = Device.objects.get(device_id="den-lvt-001")
    lit.last_seen_at = timezone.now() - timedelta(seconds=lit.offline_after_s + 5)
    lit.save(update_fields=["last_seen_at"])
    assert "den-lvt-001" in ids_in(client.get(LIST, {"ket_noi": "off"}).content.decode())
    html = client.get(LIST, {"q": "lvt-002"}).content.decode()
    assert ids_in(html) == {"den-lvt-002"}
    assert 'data-testid="badge-faulty"' in html


def test_registering_a_device_shows_its_secret_once_and_keeps_only_the_hash(people):
    tech = signed_in(people["tech"])
    form = {
        "device_id": "den-lvt-moi-01",
        "name": "Đèn đường Lê Lợi 01",
        "type": "Streetlight",
        "commune": "5983",
        "owner": "SO-XD",
        "latitude": str(LVT[0]),
        "longitude": str(LVT[1]),
        "offline_after_s": "900",
        "attributes": '{"powerConsumption": 150}',
    }
    answer = tech.post(f"{LIST}them/", form)
    assert answer.status_code == 201
    assert answer["Cache-Control"] == "no-store"
    secret = re.search(r'data-testid="device-secret">([^<]+)<', answer.content.decode()).group(1)
    device = Device.objects.get(device_id="den-lvt-moi-01")
    assert device.secret_hash.startswith("$7$") and secret not in device.secret_hash
    assert verify_password(secret, device.secret_hash)
    assert device.attributes == {"powerConsumption": 150}
    assert secret not in tech.get(page(device.device_id)).content.decode()
    entry = AuditEntry.objects.get(model__iendswith="device", object_pk=str(device.pk), action="create")
    assert entry.actor == "kythuat.soxd" and entry.channel == "web"
    assert device.secret_hash not in entry.changes  # masked
    # The new device can send with that secret at once.
    body = json.dumps({"ts": int(timezone.now().timestamp() * 1000), "data": {"powerState": "off"}})
    assert (
        device_client(device.device_id, secret)
        .post("/api/city/telemetry", body, content_type="application/json")
        .status_code
        == 200
    )

    # Bad input is refused with its reason, nothing stored.
    refused = tech.post(f"{LIST}them/", {**form, "device_id": "langson-ingest", "latitude": "10.77"})
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "không được bắt đầu bằng" in html and "nằm ngoài tỉnh Lạng Sơn" in html
    again = tech.post(f"{LIST}them/", {**form, "device_id": "DEN-LVT-MOI-01"})
    assert "đã có" in again.content.decode()
    elsewhere = tech.post(
        f"{LIST}them/", {**form, "device_id": "den-x", "latitude": str(DD[0]), "longitude": str(DD[1])}
    )
    assert "không phải Phường Lương Văn Tri" in elsewhere.content.decode()
    # Owners are limited to the technician's own unit and below.
    other_owner = tech.post(f"{LIST}them/", {**form, "device_id": "den-y", "owner": "SO-YT"})
    assert other_owner.status_code == 200 and "owner" in other_owner.context["form"].errors
    assert Device.objects.count() == 1
    assert signed_in(people["leader"]).get(f"{LIST}them/").status_code == 403


def test_edit_deactivate_and_reset_secret_are_audited(people, lamps):
    tech = signed_in(people["tech"])
    lit = lamps["lit"]
    form = tech.get(page(lit.device_id, "sua/")).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data.update(name="Đèn đường Bà Triệu 01", device_id="doi-ma", attributes=json.dumps(lit.attributes))
    data = {k: ("" if v is None else v) for k, v in data.items()}
    answer = tech.post(page(lit.device_id, "sua/"), data)
    assert answer.status_code == 302, answer.context["form"].errors if answer.context else answer
    lit.refresh_from_db()
    assert lit.name == "Đèn đường Bà Triệu 01" and lit.device_id == "den-lvt-001"  # the id cannot change
    update = AuditEntry.objects.get(model__iendswith="device", object_pk=str(lit.pk), action="update")
    assert "Bà Triệu" in update.changes and update.actor == "kythuat.soxd"

    # Deactivated: the device's own secret no longer lets it send; its page says so.
    assert tech.post(page(lit.device_id, "hoat-dong/"), {"active": "0"}).status_code == 302
    lit.refresh_from_db()
    assert not lit.active
    body = json.dumps({"ts": int(timezone.now().timestamp() * 1000), "data": {"powerState": "on"}})
    assert (
        device_client(lit.device_id)
        .post("/api/city/telemetry", body, content_type="application/json")
        .status_code
        == 401
    )
    assert 'data-testid="badge-inactive"' in tech.get(page(lit.device_id)).content.decode()
    assert tech.post(page(lit.device_id, "lenh/"), {"action": "on"}).status_code == 302
    assert not Command.objects.filter(device=lit).exists()
    tech.post(page(lit.device_id, "hoat-dong/"), {"active": "1"})
    lit.refresh_from_db()
    assert lit.active
    assert (
        AuditEntry.objects.filter(model__iendswith="device", object_pk=str(lit.pk), action="update").count()
        == 3
    )

    # A new secret: shown once, the old one stops working.
    answer = tech.post(page(lit.device_id, "mat-khau/"))
    secret = re.search(r'data-testid="device-secret">([^<]+)<', answer.content.decode()).group(1)
    lit.refresh_from_db()
    assert verify_password(secret, lit.secret_hash) and not verify_password(SECRET, lit.secret_hash)
    assert tech.get(page(lit.device_id, "mat-khau/")).status_code == 405  # never by GET


def test_a_dim_command_is_followed_until_the_lamp_reports_it(people, lamps):
    tech = signed_in(people["tech"])
    dead = lamps["dead"]
    detail = tech.get(page(dead.device_id)).content.decode()
    assert 'data-testid="lamp-faulty"' in detail and 'data-testid="command-form"' in detail
    assert 'data-poll-url="/do-thi/thiet-bi/den-lvt-002/trang-thai/"' in detail

    assert tech.post(page(dead.device_id, "lenh/"), {"action": "dim", "level": "50"}).status_code == 302
    command = Command.objects.get(device=dead)
    assert command.payload == {"powerState": "on", "dimmingLevel": 50}
    assert command.state == "pending" and command.requested_by == people["tech"]
    assert AuditEntry.objects.filter(
        model__iendswith="command", object_pk=str(command.pk), actor="kythuat.soxd"
    ).exists()
    live = tech.get(page(dead.device_id, "trang-thai/"))
    assert live["Cache-Control"] == "no-store"
    assert (
        'data-state="pending"' in live.content.decode() and "Giảm độ sáng còn 50 %" in live.content.decode()
    )

    # The lamp fetches its commands with its own credentials, applies, and reports.
    fetched = device_client(dead.device_id).get("/api/city/commands")
    assert fetched.status_code == 200
    assert fetched.json() == [{"commandId": command.pk, "powerState": "on", "dimmingLevel": 50}]
    assert 'data-state="sent"' in tech.get(page(dead.device_id, "trang-thai/")).content.decode()
    report(dead.device_id, powerState="on", dimmingLevel=50, powerConsumption=61.0)
    mark_applied([dead.device_id])  # the ingest path does it too, within a couple of seconds
    live = tech.get(page(dead.device_id, "trang-thai/")).content.decode()
    assert 'data-state="applied"' in live
    assert 'data-testid="lamp-dimming" data-value="50"' in live
    assert 'data-testid="lamp-faulty"' not in live  # 61 W: the lamp works again

    # Bad levels are refused with the reason, nothing stored; other types have no commands here.
    answer = tech.post(page(dead.device_id, "lenh/"), {"action": "dim", "level": "150"}, follow=True)
    assert "Mức sáng từ 1 đến 100 %" in answer.content.decode()
    answer = tech.post(page(dead.device_id, "lenh/"), {"action": "dim"}, follow=True)
    assert "Hãy nhập mức sáng." in answer.content.decode()
    assert Command.objects.count() == 1
    assert signed_in(people["operator"]).post(page("aq-dd-01", "lenh/"), {"action": "on"}).status_code == 404


def test_the_device_page_shows_identity_values_and_readings(people, lamps):
    html = signed_in(people["tech"]).get(page("den-lvt-001")).content.decode()
    assert "Sở Xây dựng" in html and "Phường Lương Văn Tri" in html
    assert 'data-testid="badge-online"' in html
    assert 'data-attribute="powerConsumption"' in html and "118.5" in html
    assert 'data-testid="recent-readings"' in html
    assert 'data-testid="lamp-power-state" data-value="on"' in html
    silent = signed_in(people["tech"]).get(page("den-lvt-003")).content.decode()
    assert 'data-testid="badge-offline"' in silent and "Thiết bị chưa gửi số đo nào." in silent


def test_the_map_marks_faulty_lamps_by_shape_and_lists_them(people, lamps):
    client = signed_in(people["tech"])
    html = client.get(MAP).content.decode()
    markers = dict(re.findall(r'data-testid="marker" data-device="([^"]+)" data-kind="([^"]+)"', html))
    assert markers == {"den-lvt-001": "light-on", "den-lvt-002": "faulty", "den-lvt-003": "light-unknown"}
    faulty = re.search(
        r'data-device="den-lvt-002" data-kind="faulty"><title>([^<]+)</title>'
        r"<polygon[^>]+/><text[^>]*>!</text>",
        html,
    )
    assert faulty and "ĐÈN HỎNG" in faulty.group(1)
    assert 'class="marker m-light-unknown offline"' in html  # never heard from: dashed outline
    rows = re.findall(r'data-testid="faulty-row" data-device="([^"]+)"', html)
    assert rows == ["den-lvt-002"]
    assert 'href="/do-thi/thiet-bi/den-lvt-002/"' in html
    province_box = re.search(r'class="devices-map" viewBox="([^"]+)"', html).group(1)

    zoomed = client.get(MAP, {"xa": "5983"}).content.decode()
    box = [
        float(v) for v in re.search(r'class="devices-map zoomed" viewBox="([^"]+)"', zoomed).group(1).split()
    ]
    assert box[2] < 60 < float(province_box.split()[2])  # a ward, not the province's 600 units
    assert re.findall(r'data-testid="faulty-row" data-device="([^"]+)"', zoomed) == ["den-lvt-002"]
    # Zoomed elsewhere: the same lamps are not in that commune's list; an unknown code shows the province.
    assert "faulty-row" not in client.get(MAP, {"xa": "6184"}).content.decode()
    assert 'class="devices-map" viewBox="0.000 0.000 600.000' in client.get(MAP, {"xa": "x"}).content.decode()

    # Another commune's officer sees only what stands in or belongs to their commune.
    dd = signed_in(people["dd"]).get(MAP).content.decode()
    assert set(re.findall(r'data-testid="marker" data-device="([^"]+)"', dd)) == {"aq-dd-01", "den-dd-001"}
    assert signed_in(people["citizen"]).get(MAP).status_code == 403


def test_the_demo_fills_the_map_with_the_simulated_fleet_and_faulty_lamps(people):
    from langson.city.demo import DEAD_LAMPS, DEMO_FLEET, load_city_demo

    first = load_city_demo()
    fleet = first["devices"]  # the simulator's count, plus the parking lots of its spots
    assert fleet >= DEMO_FLEET and first["created"] == fleet == Device.objects.count()
    assert first["readings"] > fleet and first["faulty_lamps"] >= len(DEAD_LAMPS)
    again = load_city_demo()  # `langson seed` runs at every `make run`: nothing registered twice
    assert again["created"] == 0 and Device.objects.count() == fleet

    html = signed_in(people["operator"]).get(MAP).content.decode()
    markers = dict(re.findall(r'data-testid="marker" data-device="([^"]+)" data-kind="([^"]+)"', html))
    assert len(markers) == fleet
    assert {markers[d] for d in DEAD_LAMPS} == {"faulty"}
    assert set(DEAD_LAMPS) <= set(re.findall(r'data-testid="faulty-row" data-device="([^"]+)"', html))
    kinds = set(markers.values())
    assert {"parking", "air", "water", "meter"} <= kinds
    # The city centre's lamps separate once the map is zoomed to their ward.
    zoomed = signed_in(people["operator"]).get(MAP, {"xa": "5983"}).content.decode()
    assert re.findall(r'data-testid="faulty-row" data-device="([^"]+)"', zoomed)[:1] == ["sim-light-0006"]


def test_the_admin_is_scoped_and_never_shows_the_secret_hash(make_user, lamps):
    operator = make_user("vanhanh.soxd", "operator", "SO-XD")
    client = signed_in(operator)
    listing = client.get("/admin/city/device/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "den-lvt-002" in html and "aq-dd-01" not in html and "den-dd-001" not in html
    change = client.get(f"/admin/city/device/{lamps['dead'].pk}/change/")
    assert change.status_code == 200
    assert "secret_hash" not in change.content.decode() and "$7$" not in change.content.decode()
    assert client.get(f"/admin/city/device/{lamps['station'].pk}/change/").status_code in (302, 404)
    assert client.get(f"/admin/city/device/{lamps['dead'].pk}/delete/").status_code == 403
