"""The MQTT ingest worker against a real Mosquitto: stored once, acknowledged only after the commit, replays
change nothing, malformed messages become dead letters and are acknowledged (never redelivered)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from langson.city.ingest.broker import GATEWAY_USER, INGEST_USER
from langson.city.ingest.mosquitto import Mosquitto
from langson.city.ingest.mqtt_worker import IngestWorker
from langson.city.ingest.payload import now_us
from langson.city.ingest.publisher import Publisher
from langson.city.ingest.store import Saved, Store
from langson.city.ingest.testing import make_devices, payload, stream
from langson.city.models import DeadLetter, LatestValue, Reading

pytestmark = pytest.mark.django_db

DEVICES = ["den-001", "den-002", "den-003"]


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Mosquitto]:
    with Mosquitto(tmp_path / "broker") as running:
        yield running


def _publish(broker: Mosquitto, messages: list[tuple[str, bytes]]) -> threading.Thread:
    def send() -> None:
        publisher = Publisher(broker.url(GATEWAY_USER), "test-gateway", window=500).connect()
        for topic, body in messages:
            publisher.publish(topic, body)
        assert publisher.drain(30)
        publisher.close()

    thread = threading.Thread(target=send, daemon=True)
    thread.start()
    return thread


def _ingest(broker: Mosquitto, expected: int, *, timeout: float = 60, acks: bool = True) -> IngestWorker:
    """Run a worker (client id langson-ingest-0) here until it has handled ``expected`` messages."""
    stop = threading.Event()
    worker: IngestWorker

    def on_batch(saved: Saved, messages: int, committed: float) -> None:
        if worker.totals.messages >= expected:
            stop.set()

    worker = IngestWorker(
        broker.url(INGEST_USER), store=Store(), on_batch=on_batch, linger=0.02, max_batch=700
    )
    if not acks:
        worker.acknowledge = lambda mids: None  # type: ignore[method-assign]  # dies before its PUBACKs
    timer = threading.Timer(timeout, stop.set)
    timer.start()
    try:
        worker.run(stop)
    finally:
        timer.cancel()
    return worker


def _nothing_left(broker: Mosquitto) -> int:
    """Messages the broker still holds for the worker's session (redelivered to the next worker)."""
    worker = _ingest(broker, 1, timeout=1.5)
    return worker.totals.messages


def test_every_message_is_stored_once_and_the_queue_is_empty_after(broker: Mosquitto):
    make_devices(DEVICES)
    start = now_us() // 1000 - 600_000
    messages = list(stream(DEVICES, 3000, start_ms=start))
    # The same messages twice (a device resending after a lost PUBACK), and rubbish.
    messages += messages[:200]
    messages += [
        ("langson/den-001/telemetry", b"not json"),
        ("langson/den-404/telemetry", payload(start, powerState="on")),
        ("langson/den-002/telemetry", b'{"ts": "2026-11-28T19:00:00", "data": {"x": 1}}'),
    ]
    _ingest(broker, 0, timeout=3)  # creates the persistent session before anything is published
    sender = _publish(broker, messages)
    worker = _ingest(broker, len(messages))
    sender.join(30)
    assert worker.totals.messages == len(messages)
    assert Reading.objects.count() == 3000 * 3
    assert worker.totals.inserted == 9000 and worker.totals.rows == 3200 * 3
    assert LatestValue.objects.count() == 3 * 3
    reasons = dict(DeadLetter.objects.values_list("device_id", "reason"))
    assert set(reasons) == {"den-001", "den-404", "den-002"}
    assert reasons["den-404"] == "Thiết bị chưa đăng ký hoặc đã ngừng hoạt động: den-404"
    assert reasons["den-001"] == "Nội dung không phải JSON hợp lệ (UTF-8)."
    assert _nothing_left(broker) == 0  # dead letters were acknowledged as well


def test_unacknowledged_messages_come_again_and_change_nothing(broker: Mosquitto):
    make_devices(DEVICES)
    _ingest(broker, 0, timeout=2)
    messages = list(stream(DEVICES, 600, start_ms=now_us() // 1000 - 600_000))
    sender = _publish(broker, messages)
    first = _ingest(broker, len(messages), acks=False)  # stores everything, acknowledges nothing
    sender.join(30)
    assert first.totals.inserted == 1800
    again = _ingest(broker, len(messages))  # Mosquitto sends the whole session's backlog again
    assert again.totals.messages == len(messages) and again.totals.inserted == 0
    assert Reading.objects.count() == 1800
    assert _nothing_left(broker) == 0


def test_acknowledging_one_by_one_works_too(broker: Mosquitto, monkeypatch):
    """paho's own ack(), used when its packet queue is not the one this code knows."""
    from langson.city.ingest import mqtt_worker

    monkeypatch.setattr(mqtt_worker, "BATCHED_ACKS", False)
    assert _ingest_a_short_stream(broker).totals.inserted == 900
    assert _nothing_left(broker) == 0


def _ingest_a_short_stream(broker: Mosquitto) -> IngestWorker:
    """300 messages of 3 devices published to the worker's session, then ingested: the worker."""
    make_devices(DEVICES)
    _ingest(broker, 0, timeout=2)
    sender = _publish(broker, list(stream(DEVICES, 300, start_ms=now_us() // 1000 - 600_000)))
    worker = _ingest(broker, 300)
    sender.join(30)
    return worker


def test_packets_cut_anywhere_by_the_read_buffer_arrive_whole(broker: Mosquitto, monkeypatch):
    """The worker's buffered reads: with a 7-byte buffer every packet straddles reads, and the longest
    text a reading may hold spans dozens of them; every message must still arrive once and intact."""
    from langson.city.ingest import mqtt_worker

    assert mqtt_worker.BUFFERED_READS  # the pinned paho: the buffered client is the one in service
    monkeypatch.setattr(mqtt_worker, "READ_CHUNK", 7)
    make_devices(DEVICES)
    _ingest(broker, 0, timeout=2)
    start = now_us() // 1000 - 600_000
    messages = list(stream(DEVICES, 300, start_ms=start))
    long_text = "đèn " * 50  # 200 characters (250 bytes in UTF-8)
    messages += [(f"langson/{DEVICES[0]}/telemetry", payload(start - 1, note=long_text))]
    sender = _publish(broker, messages)
    worker = _ingest(broker, len(messages))
    sender.join(30)
    assert isinstance(worker.client, mqtt_worker.BufferedClient)
    assert worker.totals.inserted == 901 and worker.totals.dead == 0
    assert Reading.objects.get(attribute="note").text == long_text
    assert _nothing_left(broker) == 0


def test_unbuffered_reads_work_too(broker: Mosquitto, monkeypatch):
    """paho's own reads, used when its socket reading is not the one this code knows."""
    from langson.city.ingest import mqtt_worker

    monkeypatch.setattr(mqtt_worker, "BUFFERED_READS", False)
    worker = _ingest_a_short_stream(broker)
    assert not isinstance(worker.client, mqtt_worker.BufferedClient)
    assert worker.totals.inserted == 900
    assert _nothing_left(broker) == 0
