"""Acceptance of issue 6: every reading stored exactly once through faults, with real processes.

A stream of 100,000 QoS 1 telemetry messages (3 data points each, 20 devices) goes from a flow-controlled
paho publisher through our own Mosquitto to `langson city ingest`, while

- the ingest worker is killed with SIGKILL in the middle of the stream and started again;
- Mosquitto is restarted in the middle of the stream (publisher and worker reconnect);
- one of two worker processes sharing the stream is killed and restarted by their supervisor.

In every case the database ends with exactly 300,000 readings, one per (device, attribute, time) of the
stream: no reading lost, none twice. SQLite by default, PostgreSQL when DATABASE_URL says so.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from langson.city.ingest.broker import GATEWAY_USER, INGEST_USER
from langson.city.ingest.mosquitto import Mosquitto
from langson.city.ingest.payload import now_us
from langson.city.ingest.publisher import Publisher
from langson.city.ingest.testing import stream
from tests.cli.conftest import Platform

MESSAGES = 100_000
DEVICES = [f"den-{n:04d}" for n in range(1, 21)]
EXPECTED_ROWS = MESSAGES * 3


class Stream:
    """Publishes the whole stream from a thread; ``acknowledged`` counts the broker's PUBACKs."""

    def __init__(self, url: str) -> None:
        self.publisher = Publisher(url, "fault-test-gateway", window=1000)
        self.messages = list(stream(DEVICES, MESSAGES, start_ms=now_us() // 1000 - 3_600_000))
        self.done = threading.Event()
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        try:
            for topic, body in self.messages:
                self.publisher.publish(topic, body, timeout=120)
            if not self.publisher.drain(120):
                raise TimeoutError("messages left unacknowledged")
        except BaseException as error:  # reported by the test
            self.error = error
        finally:
            self.done.set()

    def start(self) -> Stream:
        self.publisher.connect()
        self.thread.start()
        return self

    def wait_acknowledged(self, count: int, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while self.publisher.acknowledged < count:
            assert not self.done.is_set() or self.error is None, self.error
            assert time.monotonic() < deadline, f"only {self.publisher.acknowledged} acknowledged"
            time.sleep(0.05)

    def finish(self, timeout: float = 180) -> None:
        assert self.done.wait(timeout), "the publisher did not finish"
        assert self.error is None, self.error
        assert self.publisher.acknowledged >= MESSAGES
        self.publisher.close()


class Database:
    """Reads the platform's own database directly (the worker keeps writing meanwhile)."""

    def __init__(self, platform: Platform) -> None:
        self.url = platform.env.get("DATABASE_URL", "")
        self.path = platform.data_dir / "langson.sqlite3"

    def query(self, sql: str) -> list[tuple]:
        if self.url.startswith("postgres"):
            import psycopg

            with psycopg.connect(self.url) as conn:
                return conn.execute(sql).fetchall()
        with sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30) as conn:
            return conn.execute(sql).fetchall()

    def count(self) -> int:
        return int(self.query("SELECT count(*) FROM city_reading")[0][0])


class Worker:
    def __init__(self, platform: Platform, url: str, *options: str) -> None:
        self.process = platform.popen(
            "city", "ingest", "--max-batch", "2000", *options, extra_env={"LANGSON_MQTT_URL": url}
        )
        self.output: list[str] = []
        assert self.process.stdout is not None
        stdout = self.process.stdout
        threading.Thread(target=lambda: self.output.extend(stdout), daemon=True).start()

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _wait_connected(
    broker: Mosquitto, times: int, timeout: float = 60, client: str = "langson-ingest-0"
) -> None:
    """Until Mosquitto has logged ``times`` connections of the ingest worker's client id."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        log = broker.log.read_text(errors="replace") if broker.log.exists() else ""
        if log.count(f"as {client} ") >= times:
            return
        time.sleep(0.1)
    raise AssertionError(f"the ingest worker did not connect:\n{log[-2000:]}")


def _wait_stored(db: Database, expected: int, timeout: float = 180) -> int:
    deadline = time.monotonic() + timeout
    count = db.count()
    while count < expected and time.monotonic() < deadline:
        time.sleep(0.5)
        count = db.count()
    time.sleep(1.0)  # anything more would be a duplicate: let it arrive before counting again
    return db.count()


def _assert_exactly_once(db: Database) -> None:
    total, distinct = db.query(
        "SELECT count(*), count(DISTINCT device_id || '|' || attribute || '|' "
        "|| CAST(observed_at AS VARCHAR(40))) FROM city_reading"
    )[0]
    assert (total, distinct) == (EXPECTED_ROWS, EXPECTED_ROWS)
    per_device = db.query(
        "SELECT device_id, count(*) FROM city_reading GROUP BY device_id ORDER BY device_id"
    )
    assert per_device == [(device, EXPECTED_ROWS // len(DEVICES)) for device in DEVICES]
    assert db.query("SELECT count(*) FROM city_deadletter")[0][0] == 0
    # the values are the stream's: message n carried powerConsumption n % 997
    assert (
        db.query("SELECT count(*) FROM city_reading WHERE attribute = 'powerConsumption'")[0][0] == MESSAGES
    )


@pytest.fixture
def city(platform: Platform, tmp_path: Path) -> Iterator[tuple[Platform, Mosquitto, Database]]:
    platform.run("seed", "--no-demo")
    platform.python(
        f"from langson.city.ingest.testing import make_devices\nmake_devices({DEVICES!r})\nprint('ok')"
    )
    broker = Mosquitto(tmp_path / "broker")
    broker.start()
    try:
        yield platform, broker, Database(platform)
    finally:
        broker.stop()


def test_killing_the_ingest_worker_mid_stream_loses_and_duplicates_nothing(city):
    platform, broker, db = city
    worker = Worker(platform, broker.url(INGEST_USER))
    _wait_connected(broker, 1)
    sending = Stream(broker.url(GATEWAY_USER)).start()
    sending.wait_acknowledged(MESSAGES * 2 // 5)
    deadline = time.monotonic() + 60
    while db.count() == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    before = db.count()
    assert 0 < before < EXPECTED_ROWS, before
    worker.kill()  # SIGKILL: no clean-up, batches half-done, PUBACKs never sent
    time.sleep(1.0)
    restarted = Worker(platform, broker.url(INGEST_USER))
    try:
        sending.finish()
        assert _wait_stored(db, EXPECTED_ROWS) == EXPECTED_ROWS
        _assert_exactly_once(db)
    finally:
        restarted.stop()
    summary = "".join(restarted.output)
    assert "stopped:" in summary, summary[-2000:]


def test_restarting_mosquitto_mid_stream_loses_and_duplicates_nothing(city):
    platform, broker, db = city
    worker = Worker(platform, broker.url(INGEST_USER))
    _wait_connected(broker, 1)
    sending = Stream(broker.url(GATEWAY_USER)).start()
    try:
        sending.wait_acknowledged(MESSAGES * 2 // 5)
        assert db.count() < EXPECTED_ROWS
        broker.stop()  # SIGTERM: Mosquitto writes its persistent store (the worker's session) and exits
        time.sleep(2.0)  # publisher and worker see the connection drop and retry
        broker.start()
        _wait_connected(broker, 2)
        sending.finish()
        assert _wait_stored(db, EXPECTED_ROWS) == EXPECTED_ROWS
        _assert_exactly_once(db)
        assert sending.publisher.published == MESSAGES
    finally:
        worker.stop()


def test_several_worker_processes_share_the_stream_and_one_killed_is_restarted(city):
    """`--processes 2`: a shared subscription; Mosquitto keeps the share of a dead member for it, and the
    supervisor starts it again, so a worker killed mid-stream still loses nothing."""
    platform, broker, db = city
    supervisor = Worker(platform, broker.url(INGEST_USER), "--processes", "2")
    deadline = time.monotonic() + 60
    while not any("worker processes" in line for line in supervisor.output) and time.monotonic() < deadline:
        time.sleep(0.1)
    line = next(line for line in supervisor.output if "worker processes" in line)
    children = [int(pid) for pid in line.split("(")[1].rstrip(")\n").split(", ")]
    _wait_connected(broker, 1, client="langson-ingest-1")
    _wait_connected(broker, 1)
    sending = Stream(broker.url(GATEWAY_USER)).start()
    try:
        sending.wait_acknowledged(MESSAGES * 2 // 5)
        os.kill(children[1], signal.SIGKILL)
        sending.finish()
        assert _wait_stored(db, EXPECTED_ROWS) == EXPECTED_ROWS
        _assert_exactly_once(db)
    finally:
        supervisor.stop()
    assert "ingest worker 1 exited" in "".join(supervisor.output)
