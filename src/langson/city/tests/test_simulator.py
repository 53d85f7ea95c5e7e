"""The simulator: a realistic fleet whose every message passes validation, registered in the registry, and
sending over MQTT (each device with its own account, through the ACL) or HTTP."""

from __future__ import annotations

import json
import random
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest
from django.test import Client

from langson.city import simulator
from langson.city.ingest.broker import INGEST_USER, verify_password
from langson.city.ingest.mosquitto import Mosquitto
from langson.city.ingest.mqtt_worker import IngestWorker
from langson.city.ingest.payload import now_us, parse
from langson.city.ingest.store import Store
from langson.city.models import DeadLetter, Device, LatestValue, Reading
from langson.city.sun import VIETNAM_TZ
from langson.city.tests import test_ingest_http

RNG = random.Random(1)


def _at(clock: str, *, day: str = "2026-12-05", started: float = 0.0) -> simulator.Conditions:
    moment = datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=VIETNAM_TZ)
    from langson.city.sun import is_sun_up

    return simulator.Conditions(moment, not is_sun_up(moment), started, 120.0, 1200.0)


@pytest.mark.nodb
def test_the_fleet_has_every_kind_in_the_city_s_communes():
    fleet = simulator.fleet(100)
    kinds = {d.kind for d in fleet}
    assert kinds == {"light", "spot", "lot", "water", "power", "air", "level"}
    assert sum(d.kind != "lot" for d in fleet) == 100
    assert len({d.device_id for d in fleet}) == len(fleet)
    assert {d.commune for d in fleet} == set(simulator.COMMUNES)
    assert all(d.parent for d in fleet if d.kind == "spot")
    assert [d.device_id for d in simulator.fleet(100)] == [d.device_id for d in fleet]  # stable ids


@pytest.mark.nodb
def test_street_lights_follow_the_sun_and_dim_at_night():
    light = next(d for d in simulator.fleet(20) if d.kind == "light")
    light.state.update(rated_w=120.0, dead_lamp=False)
    noon = simulator.measure(light, _at("12:00"), RNG, 60)
    evening = simulator.measure(light, _at("19:00"), RNG, 60)
    late = simulator.measure(light, _at("23:30"), RNG, 60)
    assert noon["powerState"] == "off" and noon["powerConsumption"] < 1
    assert evening == {
        "powerState": "on",
        "illuminanceLevel": 1.0,
        "powerConsumption": pytest.approx(123, rel=0.1),
    }
    assert late["illuminanceLevel"] == 0.5 and late["powerConsumption"] == pytest.approx(63, rel=0.1)
    light.state["dead_lamp"] = True
    dead = simulator.measure(light, _at("19:00"), RNG, 60)
    assert dead["powerState"] == "on" and dead["powerConsumption"] <= 1.5


@pytest.mark.nodb
def test_parking_is_busier_by_day_and_air_is_plausible():
    assert (
        simulator.parking_demand(_at("09:30").moment)
        > 0.6
        > 0.2
        > simulator.parking_demand(_at("03:00").moment)
    )
    station = next(d for d in simulator.fleet(40) if d.kind == "air")
    rush = [simulator.measure(station, _at("07:30"), RNG, 60) for _ in range(50)]
    night = [simulator.measure(station, _at("14:00"), RNG, 60) for _ in range(50)]
    mean = lambda rows, key: sum(r[key] for r in rows) / len(rows)  # noqa: E731
    assert 15 < mean(night, "pm25") < mean(rush, "pm25") < 120
    assert all(r["pm10"] > r["pm25"] for r in rush)
    assert mean(night, "o3") > mean(rush, "o3")  # afternoon ozone
    assert 300 < mean(rush, "co") < 3000 and 2 < mean(rush, "so2") < 30


@pytest.mark.nodb
def test_the_river_rises_above_the_alarm_during_the_rain_and_recedes():
    sensor = next(d for d in simulator.fleet(40) if d.kind == "level")
    start = time.monotonic()

    def height(seconds_after_start: float) -> float:
        at = _at("12:00", started=start - seconds_after_start)
        return simulator.measure(sensor, at, RNG, 60)["height"]

    before, peak, after = height(60), height(120 + 0.35 * 1200), height(120 + 1200)
    assert before < 2 and peak > simulator.ALARM_HEIGHT_M and after < 2


@pytest.mark.nodb
def test_every_message_passes_validation():
    fleet = simulator.fleet(60)
    received = now_us()
    for clock in ("05:30", "12:00", "19:00", "23:59"):
        at = _at(clock, day=datetime.now(VIETNAM_TZ).date().isoformat())
        for device in fleet:
            body = simulator.message(device, at, RNG, 60)
            rows = parse(device.device_id, body, received + 10**12)  # any day of the test is "now"
            assert rows and json.loads(body)["ts"]
    times = [json.loads(simulator.message(fleet[0], at, RNG, 60))["ts"] for _ in range(3)]
    assert times == sorted(set(times))  # strictly increasing per device: no two readings share a key


@pytest.mark.django_db
def test_registering_creates_the_fleet_once_with_secrets():
    fleet = simulator.fleet(30)
    assert simulator.register(fleet)["created"] == len(fleet)
    assert simulator.register(fleet)["created"] == 0
    lamp = Device.objects.get(device_id="sim-light-0001")
    assert lamp.type == "Streetlight" and lamp.commune.code == "5983" and lamp.owner.code == "SO-XD"
    assert verify_password(simulator.simulated_secret(lamp.device_id), lamp.secret_hash)
    spot = Device.objects.get(device_id="sim-spot-0001")
    assert spot.parent is not None and spot.parent.type == "OffStreetParking"


@pytest.mark.django_db
def test_the_fleet_sends_over_mqtt_with_its_own_accounts(tmp_path: Path):
    fleet = simulator.fleet(12)
    simulator.register(fleet)
    with Mosquitto(tmp_path / "broker", devices=None) as broker:  # the registry's devices
        counters: list[simulator.Counters] = []
        url = f"mqtt://127.0.0.1:{broker.port}"
        worker = IngestWorker(broker.url(INGEST_USER), store=Store(), linger=0.02)
        stop = threading.Event()
        sim = threading.Thread(
            target=lambda: counters.append(simulator.run(fleet, rate=40, url=url, duration=3))
        )

        def watch() -> None:
            sim.join(60)
            while counters and worker.totals.messages < counters[0].acknowledged and not stop.wait(0.1):
                pass
            stop.set()

        worker.start()
        worker.connected.wait(10)
        worker.close()  # the session exists now; the worker below takes it over
        sim.start()
        threading.Thread(target=watch, daemon=True).start()
        worker = IngestWorker(broker.url(INGEST_USER), store=Store(), linger=0.02)
        worker.run(stop)
    sent = counters[0]
    assert sent.refused == 0 and sent.generated >= 80 and sent.acknowledged == sent.generated
    assert worker.totals.messages == sent.generated
    assert DeadLetter.objects.count() == 0
    assert (
        Reading.objects.filter(device_id__startswith="sim-").count()
        == worker.totals.inserted
        > sent.generated
    )
    assert LatestValue.objects.filter(device_id="sim-light-0001", attribute="powerState").exists()


_urls = pytest.mark.urls(test_ingest_http.__name__) if test_ingest_http.urlpatterns else pytest.mark.django_db


@_urls
@pytest.mark.django_db
def test_without_a_broker_the_fleet_posts_over_http():
    test_ingest_http.store().forget()
    fleet = simulator.fleet(8)
    simulator.register(fleet)
    client = Client()

    def post(path: str, body: bytes, headers: dict[str, str]) -> int:
        # the platform's view in this test's transaction (a served process would not see its data)
        answer = client.post(path, data=body, content_type="application/json", headers=headers)
        return int(answer.status_code)

    counters = simulator.run(fleet, rate=20, url="http://testserver", duration=2, http_post=post)
    assert counters.generated >= 30 and counters.acknowledged == counters.generated
    assert counters.refused == counters.rejected == 0
    assert Reading.objects.filter(device_id__startswith="sim-").count() > counters.generated
