"""Mosquitto's password file and ACL, against a real Mosquitto of our own: a device publishes only on its own
topics and reads only its own commands, a wrong password is refused, the hash is Mosquitto's own."""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
import pytest
from django.core.management import call_command

from langson.city.ingest.broker import (
    GATEWAY_USER,
    INGEST_USER,
    PLATFORM_USER,
    hash_password,
    verify_password,
)
from langson.city.ingest.mosquitto import Mosquitto

SECRETS = {"den-a": "bi-mat-a", "den-b": "bi-mat-b"}


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Mosquitto]:
    with Mosquitto(
        tmp_path / "broker", devices=[(d, hash_password(s)) for d, s in SECRETS.items()]
    ) as running:
        yield running


class Probe:
    """A paho client that records its CONNACK, SUBACKs, PUBACKs and messages."""

    def __init__(self, broker: Mosquitto, user: str, password: str, *, v5: bool = False) -> None:
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2,
            client_id=f"probe-{user}-{time.monotonic_ns()}",
            protocol=mqtt.MQTTv5 if v5 else mqtt.MQTTv311,
        )
        self.client.username_pw_set(user, password)
        self.connack: Any = None
        self.answered = threading.Event()
        self.messages: list[tuple[str, bytes]] = []
        self.pubacks: dict[int, Any] = {}
        self.client.on_connect = self._on_connect
        self.client.on_message = lambda c, u, m: self.messages.append((m.topic, m.payload))
        self.client.on_publish = lambda c, u, mid, reason, props: self.pubacks.__setitem__(mid, reason)
        self.client.connect("127.0.0.1", broker.port)
        self.client.loop_start()
        assert self.answered.wait(5), "no CONNACK"
        # paho calls on_connect a moment before it marks itself connected: wait for both, or an immediate
        # publish may be refused as "not currently connected" on a busy machine.
        deadline = time.monotonic() + 5
        while not self.connack.is_failure and not self.client.is_connected() and time.monotonic() < deadline:
            time.sleep(0.01)

    def _on_connect(self, client: Any, userdata: Any, flags: Any, reason: Any, properties: Any) -> None:
        self.connack = reason
        self.answered.set()
        if reason.is_failure:
            client.disconnect()

    def subscribe(self, topic: str) -> None:
        done = threading.Event()
        self.client.on_subscribe = lambda *args: done.set()
        self.client.subscribe(topic, qos=1)
        assert done.wait(5)

    def publish(self, topic: str, body: bytes) -> int:
        info = self.client.publish(topic, body, qos=1)
        info.wait_for_publish(5)
        return info.mid

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def _settle(probe: Probe, count: int, timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while len(probe.messages) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.3)  # and anything that would come after


@pytest.mark.nodb
def test_the_hash_is_mosquittos_own(tmp_path: Path, broker: Mosquitto):
    passwd = tmp_path / "passwd"
    passwd.touch()
    subprocess.run(["mosquitto_passwd", "-b", str(passwd), "den-x", "bi mật x"], check=True)  # noqa: S603, S607
    written = passwd.read_text().strip().split(":", 1)[1]
    assert written.startswith("$7$101$")
    assert verify_password("bi mật x", written) and not verify_password("bi mat x", written)
    ours = hash_password("bi-mat-a")
    assert ours.startswith("$7$101$") and verify_password("bi-mat-a", ours)
    # and Mosquitto accepts the hashes we wrote (the fixture's broker knows den-a by our hash only)
    probe = Probe(broker, "den-a", "bi-mat-a")
    assert not probe.connack.is_failure
    probe.close()


@pytest.mark.nodb
def test_a_device_publishes_only_on_its_own_topics(broker: Mosquitto):
    platform = Probe(broker, PLATFORM_USER, broker.files.service_passwords[PLATFORM_USER])
    platform.subscribe("langson/+/telemetry")
    ingest = Probe(broker, INGEST_USER, broker.files.service_passwords[INGEST_USER])
    ingest.subscribe("$share/ingest/langson/+/telemetry")
    # Mosquitto drops the forged message and closes an MQTT 3.1.1 connection that tried: one per attempt.
    for topic, body in (
        ("langson/den-b/telemetry", b'{"forged": true}'),
        ("langson/den-a/command", b"forged"),
    ):
        forger = Probe(broker, "den-a", SECRETS["den-a"])
        forger.client.publish(topic, body, qos=1)
        time.sleep(0.3)
        forger.close()
    device = Probe(broker, "den-a", SECRETS["den-a"])
    device.publish("langson/den-a/telemetry", b'{"own": true}')
    _settle(platform, 1)
    _settle(ingest, 1)
    assert platform.messages == [("langson/den-a/telemetry", b'{"own": true}')]
    assert ingest.messages == [("langson/den-a/telemetry", b'{"own": true}')]
    # MQTT 5 lets the broker say so: PUBACK "Not authorized" for the other device's topic.
    v5 = Probe(broker, "den-a", SECRETS["den-a"], v5=True)
    # Its own topic first: Mosquitto may close the connection after a refusal (seen once in CI).
    accepted = v5.publish("langson/den-a/state", b'{"powerState": "on"}')
    refused = v5.publish("langson/den-b/telemetry", b"{}")
    assert v5.pubacks[refused].value == 0x87 and v5.pubacks[accepted].value in (0, 0x10)
    for probe in (platform, ingest, device, v5):
        probe.close()


@pytest.mark.nodb
def test_a_device_reads_only_its_own_commands(broker: Mosquitto):
    den_a = Probe(broker, "den-a", SECRETS["den-a"])
    den_a.subscribe("langson/+/command")
    den_a.subscribe("langson/den-b/telemetry")
    den_b = Probe(broker, "den-b", SECRETS["den-b"])
    den_b.publish("langson/den-b/telemetry", b"{}")  # den-a may not read it either
    platform = Probe(broker, PLATFORM_USER, broker.files.service_passwords[PLATFORM_USER])
    platform.publish("langson/den-b/command", b'{"illuminanceLevel": 0.5}')
    platform.publish("langson/den-a/command", b'{"illuminanceLevel": 0.5}')
    _settle(den_a, 1)
    assert den_a.messages == [("langson/den-a/command", b'{"illuminanceLevel": 0.5}')]
    for probe in (den_a, den_b, platform):
        probe.close()


@pytest.mark.nodb
def test_a_wrong_password_or_an_unknown_user_is_refused(broker: Mosquitto):
    for user, password in (("den-a", "bi-mat-b"), ("den-a", ""), ("den-z", "bi-mat-a"), (GATEWAY_USER, "x")):
        probe = Probe(broker, user, password)
        assert probe.connack.is_failure and probe.connack.getName() == "Not authorized", (user, probe.connack)
        probe.close()
    v5 = Probe(broker, "den-a", "sai", v5=True)
    assert v5.connack.value == 0x87  # Not authorized
    v5.close()


@pytest.mark.nodb
def test_a_new_device_is_admitted_after_a_reload(broker: Mosquitto):
    assert Probe(broker, "den-c", "bi-mat-c").connack.is_failure
    broker.configure(
        [*((d, hash_password(s)) for d, s in SECRETS.items()), ("den-c", hash_password("bi-mat-c"))]
    )
    broker.reload()
    time.sleep(0.3)
    probe = Probe(broker, "den-c", "bi-mat-c")
    assert not probe.connack.is_failure
    probe.close()


@pytest.mark.django_db
def test_broker_config_writes_the_files_from_the_registry(tmp_path: Path):
    from langson.city.ingest.testing import make_devices

    make_devices(["den-luong-van-tri-001"], secret="bi-mat")
    make_devices(["den-khong-mat-khau"], secret=None)
    call_command("city", "broker-config", str(tmp_path), "--port", "18830")
    passwd = (tmp_path / "passwd").read_text().splitlines()
    users = [line.split(":", 1)[0] for line in passwd]
    assert users == [INGEST_USER, GATEWAY_USER, PLATFORM_USER, "den-luong-van-tri-001"]
    assert verify_password("bi-mat", passwd[3].split(":", 1)[1])
    config = (tmp_path / "mosquitto.conf").read_text()
    for line in (
        "allow_anonymous false",
        "max_queued_messages 0",
        "persistence true",
        "listener 18830 127.0.0.1",
    ):
        assert line in config
    assert "pattern write langson/%u/telemetry" in (tmp_path / "acl").read_text()
    assert (tmp_path / "service-passwords.json").stat().st_mode & 0o777 == 0o600
    services = (tmp_path / "service-passwords.json").read_text()
    call_command("city", "broker-config", str(tmp_path), "--port", "18830")
    assert (tmp_path / "service-passwords.json").read_text() == services  # kept across runs


@pytest.mark.nodb
def test_without_a_broker_the_ingest_verb_says_http_only_mode(settings):
    from django.core.management.base import CommandError

    settings.MQTT_URL = ""
    with pytest.raises(CommandError, match="HTTP-only"):
        call_command("city", "ingest")
