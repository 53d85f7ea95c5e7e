"""Commands to devices: validation with Vietnamese and English reasons, a person's command audited and a
rule's named, HTTP fetch with the device's own secret, QoS 1 publication to a real Mosquitto that the
device's account receives through the ACL, applied when the device reports the asked values (through the
ingest store), superseded and expired commands."""

from __future__ import annotations

import base64
import json
import random
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
import pytest
from django.test import Client
from django.urls import Resolver404, path, resolve
from ninja import NinjaAPI

from langson.city import commands, rules, simulator
from langson.city.api_commands import router as commands_router
from langson.city.commands import InvalidCommand, send_command
from langson.city.ingest.broker import INGEST_USER, PLATFORM_USER
from langson.city.ingest.mosquitto import Mosquitto
from langson.city.ingest.mqtt_worker import IngestWorker, make_client, parse_url
from langson.city.ingest.payload import now_us, rows_of
from langson.city.ingest.store import Store
from langson.city.ingest.testing import make_devices
from langson.city.models import Command, Device
from langson.city.sun import VIETNAM_TZ, is_sun_up
from langson.city.tests import test_ingest_http
from langson.core.models import AuditEntry

try:  # mounted under /api/city/ by the platform's API once the city router is added there
    resolve("/api/city/commands")
    urlpatterns: list = []
except Resolver404:
    _api = NinjaAPI(urls_namespace="city-commands-tests")
    _api.add_router("/city/", commands_router)
    # and /api/city/telemetry for the simulated lamps' reports (Django tries the next "api/" on a miss)
    urlpatterns = [path("api/", _api.urls), *test_ingest_http.urlpatterns]
    pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]
else:
    pytestmark = [pytest.mark.django_db]

SECRET = "mat-khau-thiet-bi"
State = Command.State


@pytest.fixture(autouse=True)
def http_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """No broker unless a test starts one; the process's cache of open commands starts empty."""
    monkeypatch.delenv("LANGSON_MQTT_COMMAND_URL", raising=False)
    commands._open_devices.forget()


@pytest.fixture
def lamps() -> list[Device]:
    return make_devices(["den-001", "den-002"], secret=SECRET)


@pytest.fixture
def technician(make_user: Any) -> Any:
    return make_user("kythuat.xaydung", "department_officer", "SO-XD")


def _report(device_id: str, at_ms: int | None = None, **data: Any) -> None:
    """The device's telemetry, stored the way the ingest worker and the HTTP endpoint store it."""
    ms = now_us() // 1000 if at_ms is None else at_ms
    Store().save(rows_of(device_id, [{"ts": ms, "data": data}], now_us()), contacts=[device_id])


def _fetch(device_id: str, secret: str = SECRET) -> Any:
    token = base64.b64encode(f"{device_id}:{secret}".encode()).decode()
    return Client(headers={"Authorization": f"Basic {token}"}).get("/api/city/commands")


# -- validation ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({}, "not_object"),
        ([], "not_object"),
        ({"dimmingLevel": 101}, "bad_percent"),
        ({"dimmingLevel": -1}, "bad_percent"),
        ({"dimmingLevel": 50.5}, "bad_percent"),
        ({"dimmingLevel": "50"}, "bad_percent"),
        ({"dimmingLevel": True}, "bad_percent"),
        ({"dimmingLevel": float("nan")}, "bad_percent"),
        ({"powerState": "ON"}, "bad_choice"),
        ({"powerState": 1}, "bad_choice"),
        ({"powerState": "on", "colour": "red"}, "unknown_attribute"),
    ],
)
def test_a_bad_payload_is_refused_in_both_languages_and_nothing_is_stored(
    lamps: list[Device], technician: Any, payload: Any, code: str
):
    with pytest.raises(InvalidCommand) as refused:
        send_command(lamps[0], payload, user=technician)
    error = refused.value
    assert error.code == code and isinstance(error, ValueError)
    assert error.vietnamese != error.english and error.english
    assert str(error) == f"{error.vietnamese} / {error.english}"
    assert Command.objects.count() == 0


def test_the_reasons_name_what_is_wrong(lamps: list[Device], technician: Any):
    with pytest.raises(InvalidCommand) as refused:
        send_command(lamps[0], {"dimmingLevel": 150}, user=technician)
    assert refused.value.vietnamese == "dimmingLevel phải là số nguyên từ 0 đến 100."
    assert refused.value.english == "dimmingLevel must be a whole number from 0 to 100."
    with pytest.raises(InvalidCommand) as refused:
        send_command(lamps[0], {"colour": "red"}, user=technician)
    assert refused.value.english == "Attribute colour cannot be commanded (only: dimmingLevel, powerState)."
    sensor = make_devices(["muc-nuoc-001"], kind=Device.Type.WATER_LEVEL)[0]
    with pytest.raises(InvalidCommand) as refused:
        send_command(sensor, {"powerState": "on"}, user=technician)
    assert refused.value.code == "not_commandable"
    assert refused.value.vietnamese == "Thiết bị loại WaterObserved không nhận lệnh điều khiển."
    lamps[1].active = False
    lamps[1].save()
    with pytest.raises(InvalidCommand) as refused:
        send_command(lamps[1], {"powerState": "on"}, user=technician)
    assert refused.value.code == "inactive"


def test_a_command_comes_from_a_person_or_a_rule_never_both_or_neither(lamps: list[Device], technician: Any):
    with pytest.raises(TypeError):
        send_command(lamps[0], {"powerState": "on"})
    with pytest.raises(TypeError):
        send_command(lamps[0], {"powerState": "on"}, user=technician, rule="lighting.schedule")


# -- stored, audited, fetched over HTTP ----------------------------------------------------------------


def test_a_person_s_command_is_audited_in_their_name_and_a_rule_s_is_not(
    lamps: list[Device], technician: Any
):
    before = AuditEntry.objects.count()
    mine = send_command(lamps[0], {"powerState": "on", "dimmingLevel": 30.0}, user=technician)
    assert mine.payload == {"powerState": "on", "dimmingLevel": 30}  # a whole number as an int
    assert mine.state == State.PENDING and mine.requested_by == technician and mine.rule == ""
    assert mine.expires_at - mine.created_at == commands.COMMAND_TTL
    entry = AuditEntry.objects.filter(model="city.command").get()
    assert (entry.actor_id, entry.actor, entry.action) == (technician.pk, "kythuat.xaydung", "create")
    assert json.loads(entry.changes)["after"]["payload"] == {"powerState": "on", "dimmingLevel": 30}
    ruled = send_command(lamps[1], {"powerState": "off"}, rule="lighting.schedule")
    assert ruled.rule == "lighting.schedule" and ruled.requested_by is None
    assert AuditEntry.objects.count() == before + 1  # the rule's command is recorded by its rule code


def test_without_a_broker_the_device_fetches_its_own_commands_over_http(lamps: list[Device], technician: Any):
    first = send_command(lamps[0], {"dimmingLevel": 30}, user=technician)
    second = send_command(lamps[0], {"powerState": "on"}, user=technician)
    send_command(lamps[1], {"powerState": "off"}, user=technician)
    assert first.state == State.PENDING  # HTTP-only mode: nothing published

    assert _fetch("den-001", "sai-mat-khau").status_code == 401
    assert Client().get("/api/city/commands").status_code == 401
    answer = _fetch("den-001")
    assert answer.status_code == 200
    assert answer.json() == [
        {"commandId": first.pk, "dimmingLevel": 30},
        {"commandId": second.pk, "powerState": "on"},
    ]
    first.refresh_from_db()
    assert first.state == State.SENT and first.sent_at is not None
    # Listed again until applied (the device may have missed the answer); another device sees its own only.
    assert [c["commandId"] for c in _fetch("den-001").json()] == [first.pk, second.pk]
    assert [c["powerState"] for c in _fetch("den-002").json()] == ["off"]
    Device.objects.filter(device_id="den-002").update(active=False)
    assert _fetch("den-002").status_code == 401


def test_a_newer_command_supersedes_the_older_on_the_same_attributes(lamps: list[Device], technician: Any):
    old = send_command(lamps[0], {"dimmingLevel": 30}, user=technician)
    kept = send_command(lamps[0], {"powerState": "on"}, user=technician)
    new = send_command(lamps[0], {"dimmingLevel": 60, "powerState": "on"}, user=technician)
    old.refresh_from_db()
    kept.refresh_from_db()
    assert old.state == kept.state == State.EXPIRED and f"#{new.pk}" in old.reason
    assert [c["commandId"] for c in _fetch("den-001").json()] == [new.pk]


# -- applied, expired ----------------------------------------------------------------------------------


def test_a_command_is_applied_when_the_device_reports_the_asked_values(lamps: list[Device], technician: Any):
    command = send_command(lamps[0], {"powerState": "on", "dimmingLevel": 40}, user=technician)
    _report("den-001", powerState="on", illuminanceLevel=1.0, powerConsumption=90.0)  # not yet
    command.refresh_from_db()
    assert command.state == State.PENDING
    _report("den-002", powerState="on", illuminanceLevel=0.4)  # another lamp
    command.refresh_from_db()
    assert command.state == State.PENDING
    _report("den-001", powerState="on", illuminanceLevel=0.4, powerConsumption=40.0)  # FIWARE's 0–1
    command.refresh_from_db()
    assert command.state == State.APPLIED and command.applied_at is not None

    dim = send_command(lamps[0], {"dimmingLevel": 75}, user=technician)
    _report("den-001", dimmingLevel=75)  # a lamp that reports dimmingLevel itself
    dim.refresh_from_db()
    assert dim.state == State.APPLIED
    off = send_command(lamps[0], {"powerState": "off", "dimmingLevel": 0}, user=technician)
    _report("den-001", powerState="off", illuminanceLevel=0.75)  # off: its dimming no longer matters
    off.refresh_from_db()
    assert off.state == State.APPLIED


def test_a_report_older_than_the_command_does_not_apply_it(lamps: list[Device], technician: Any):
    command = send_command(lamps[0], {"powerState": "off"}, user=technician)
    _report("den-001", at_ms=now_us() // 1000 - 120_000, powerState="off")  # two minutes before
    command.refresh_from_db()
    assert command.state == State.PENDING
    assert commands.mark_applied() == 0  # the rules job's check agrees


def test_the_ingest_path_checks_commands_only_when_some_are_open(
    lamps: list[Device], django_assert_num_queries: Any
):
    _report("den-001", powerState="on")  # loads the cache of open commands: none
    rows = rows_of("den-001", [{"ts": now_us() // 1000, "data": {"powerState": "on"}}], now_us())
    with django_assert_num_queries(0):
        assert commands.notice_readings(rows) == 0  # no open command: no query at all


def test_commands_not_applied_in_time_expire(lamps: list[Device], technician: Any):
    late = send_command(lamps[0], {"dimmingLevel": 20}, user=technician)
    done = send_command(lamps[1], {"powerState": "on"}, user=technician)
    _report("den-002", powerState="on")
    assert commands.expire_commands(now=late.created_at + timedelta(minutes=9)) == 0
    assert commands.expire_commands(now=late.created_at + commands.COMMAND_TTL) == 1
    late.refresh_from_db()
    done.refresh_from_db()
    assert late.state == State.EXPIRED and "not applied in time" in late.reason
    assert done.state == State.APPLIED
    assert _fetch("den-001").json() == []  # an expired command is no longer handed out


# -- MQTT ----------------------------------------------------------------------------------------------


@pytest.fixture
def broker(tmp_path: Path, lamps: list[Device], monkeypatch: pytest.MonkeyPatch) -> Iterator[Mosquitto]:
    with Mosquitto(tmp_path / "broker", devices=None) as running:  # the registry's lamps and their secret
        monkeypatch.setenv("LANGSON_MQTT_COMMAND_URL", running.url(PLATFORM_USER))
        yield running


class Lamp:
    """A device's own MQTT client (its account, through the ACL) that collects what it receives."""

    def __init__(self, broker: Mosquitto, device_id: str, topic: str) -> None:
        url = parse_url(f"mqtt://{device_id}:{SECRET}@127.0.0.1:{broker.port}")
        self.received: list[tuple[str, dict[str, Any], int]] = []
        self.got = threading.Event()
        subscribed = threading.Event()
        self.client = make_client(url, device_id, clean_session=True)
        self.client.on_connect = lambda c, *_: c.subscribe(topic, qos=1)
        self.client.on_subscribe = lambda *_: subscribed.set()

        def on_message(c: mqtt.Client, userdata: Any, message: mqtt.MQTTMessage) -> None:
            self.received.append((message.topic, json.loads(message.payload), message.qos))
            self.got.set()

        self.client.on_message = on_message
        self.client.connect("127.0.0.1", broker.port)
        self.client.loop_start()
        assert subscribed.wait(10)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def test_a_command_is_published_qos1_on_the_device_s_topic_and_marked_sent(
    broker: Mosquitto, lamps: list[Device], technician: Any, django_capture_on_commit_callbacks: Any
):
    own = Lamp(broker, "den-001", "langson/den-001/command")
    nosy = Lamp(broker, "den-002", "langson/+/command")  # the ACL lets it read its own commands only
    try:
        with django_capture_on_commit_callbacks(execute=True):
            command = send_command(lamps[0], {"powerState": "on", "dimmingLevel": 50}, user=technician)
        assert own.got.wait(10)
        assert own.received == [
            ("langson/den-001/command", {"commandId": command.pk, "powerState": "on", "dimmingLevel": 50}, 1)
        ]
        command.refresh_from_db()
        assert command.state == State.SENT and command.sent_at is not None and command.reason == ""
        assert not nosy.got.wait(0.5)
    finally:
        own.close()
        nosy.close()


def test_a_command_the_broker_did_not_take_stays_pending_and_is_published_later(
    broker: Mosquitto, lamps: list[Device], technician: Any, django_capture_on_commit_callbacks: Any
):
    broker.stop()
    with django_capture_on_commit_callbacks(execute=True):
        command = send_command(lamps[0], {"dimmingLevel": 10}, user=technician)
    command.refresh_from_db()
    assert command.state == State.PENDING and command.reason.startswith("MQTT:")
    broker.start()
    own = Lamp(broker, "den-001", "langson/den-001/command")
    try:
        assert commands.publish_pending() == 1
        assert own.got.wait(10)
        assert own.received[0][1] == {"commandId": command.pk, "dimmingLevel": 10}
    finally:
        own.close()
    command.refresh_from_db()
    assert command.state == State.SENT
    assert commands.publish_pending() == 0


# -- the simulated lamps obey --------------------------------------------------------------------------


def _at(clock: str) -> simulator.Conditions:
    moment = datetime.fromisoformat(f"2026-11-20T{clock}").replace(tzinfo=VIETNAM_TZ)
    return simulator.Conditions(moment, not is_sun_up(moment), 0.0, 120.0, 1200.0)


@pytest.mark.nodb
def test_a_simulated_lamp_obeys_until_its_schedule_moves_on():
    lamp = next(d for d in simulator.fleet(10) if d.kind == "light")
    lamp.state.update(rated_w=100.0, dead_lamp=False)
    rng = random.Random(3)
    assert simulator.measure(lamp, _at("20:00"), rng, 60)["illuminanceLevel"] == 1.0
    assert simulator.apply_command(lamp, {"commandId": 1, "dimmingLevel": 30})
    dimmed = simulator.measure(lamp, _at("20:01"), rng, 60)
    assert dimmed["powerState"] == "on" and dimmed["illuminanceLevel"] == 0.3
    assert dimmed["powerConsumption"] == pytest.approx(33, rel=0.1)  # power follows the dimming
    assert simulator.measure(lamp, _at("22:59"), rng, 60)["illuminanceLevel"] == 0.3
    assert simulator.measure(lamp, _at("23:01"), rng, 60)["illuminanceLevel"] == 0.5  # schedule moved on
    assert simulator.apply_command(lamp, {"commandId": 2, "powerState": "off"})
    assert simulator.measure(lamp, _at("23:02"), rng, 60)["powerState"] == "off"
    assert not simulator.apply_command(lamp, {"commandId": 3, "dimmingLevel": 300})  # not a valid order
    assert not simulator.apply_command(lamp, ["on"])
    lamp.state["dead_lamp"] = True
    assert simulator.apply_command(lamp, {"commandId": 4, "powerState": "on", "dimmingLevel": 100})
    dead = simulator.measure(lamp, _at("23:03"), rng, 60)
    assert dead["powerState"] == "on" and dead["powerConsumption"] <= 1.5  # a dead lamp stays dead


def test_over_http_a_simulated_lamp_fetches_its_command_obeys_and_is_seen_applied(technician: Any):
    test_ingest_http.store().forget()
    fleet = simulator.fleet(6)
    simulator.register(fleet)
    lamp = Device.objects.get(device_id="sim-light-0001")
    command = send_command(lamp, {"powerState": "on", "dimmingLevel": 30}, user=technician)
    client = Client()

    def post(path: str, body: bytes, headers: dict[str, str]) -> int:
        return int(client.post(path, data=body, content_type="application/json", headers=headers).status_code)

    def get(path: str, headers: dict[str, str]) -> tuple[int, bytes]:
        answer = client.get(path, headers=headers)
        return int(answer.status_code), answer.content

    counters = simulator.run(
        fleet, rate=30, url="http://testserver", duration=1.5, http_post=post, http_get=get
    )
    assert counters.commands == 1 and counters.refused == counters.rejected == 0
    command.refresh_from_db()
    assert command.state == Command.State.APPLIED and command.sent_at is not None
    status = {s.device_id: s for s in rules.lamp_statuses()}["sim-light-0001"]
    assert (status.power_state, status.dimming_level) == ("on", 30.0)


def test_over_mqtt_a_simulated_lamp_receives_its_command_obeys_and_is_seen_applied(
    tmp_path: Path, technician: Any, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
):
    fleet = simulator.fleet(6)
    simulator.register(fleet)
    lamp = Device.objects.get(device_id="sim-light-0001")
    with Mosquitto(tmp_path / "broker", devices=None) as broker:
        monkeypatch.setenv("LANGSON_MQTT_COMMAND_URL", broker.url(PLATFORM_USER))
        worker = IngestWorker(broker.url(INGEST_USER), store=Store(), linger=0.02)
        worker.start()
        worker.connected.wait(10)
        worker.close()  # the ingest session exists; the worker below takes it over
        counters: list[simulator.Counters] = []
        url = f"mqtt://127.0.0.1:{broker.port}"
        sim = threading.Thread(
            target=lambda: counters.append(simulator.run(fleet, rate=12, url=url, duration=8))
        )
        sim.start()
        time.sleep(1.5)  # the lamps connect and subscribe to their command topics
        with django_capture_on_commit_callbacks(execute=True):
            command = send_command(lamp, {"powerState": "on", "dimmingLevel": 30}, user=technician)
        assert command.state == Command.State.SENT
        stop = threading.Event()

        def on_batch(saved: Any, messages: int, committed: float) -> None:
            if Command.objects.filter(pk=command.pk, state=Command.State.APPLIED).exists():
                stop.set()

        timer = threading.Timer(20, stop.set)
        timer.start()
        worker = IngestWorker(broker.url(INGEST_USER), store=Store(), linger=0.02, on_batch=on_batch)
        try:
            worker.run(stop)
        finally:
            timer.cancel()
            sim.join(30)
    command.refresh_from_db()
    assert command.state == Command.State.APPLIED
    assert counters[0].commands == 1 and counters[0].refused == 0
