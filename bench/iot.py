"""IoT ingestion end to end: MQTT QoS 1 from a publisher to durable, queryable rows, 3 data points a message.

Two measurements in one run, each on a fresh Mosquitto of our own (``max_queued_messages 0``, persistence
on), with the same publisher (paho, QoS 1, flow control: at most ``WINDOW`` messages unacknowledged) and the
same messages (``{"ts": <publish time, ms>, "data": {3 numbers}}`` on ``langson/<device>/telemetry``):

1. **ceiling**: raw paho → Mosquitto → paho: one subscriber process, QoS 1 persistent session, paho's own
   automatic PUBACK, counting messages and doing nothing else. Rate = messages / (first publish → last
   message received).
2. **platform**: the same stream into ``langson city ingest`` (``WORKERS`` processes sharing the stream with
   ``$share/ingest/...``, manual PUBACK after each batch's commit) into the bench database. Rate = messages /
   (first publish → last batch committed). Then checked: every message's 3 readings stored (loss), none
   twice (duplicates), and each message's publish-to-queryable latency = commit time of its batch − its
   ``ts``.

CPU per message of each process (publisher, Mosquitto, ingest workers, their PostgreSQL backends; from
/proc) is reported too: on a shared machine it says more than the rates. Peer: ThingsBoard's published
5,000 msg/s (15,000 data points/s) on 2 vCPU with Kafka and PostgreSQL (not runnable here).
Targets (issue 6): ≥ 10,000 msg/s, ≥ 80 % of the ceiling, no loss, no duplicate, p99 < 2 s.
Use LANGSON_BENCH_DATABASE_URL (PostgreSQL) for the figures that count; LANGSON_BENCH_IOT_WORKERS sets the
number of ingest processes (default 1, as `langson city ingest`), LANGSON_BENCH_IOT_PUBLISHERS the number of
publisher processes (default 2).

A third figure, ``backlog_drain_msgs_per_s``, is the platform without the load generator competing for the
cores: the same number of messages published while the workers are down (queued in their persistent
sessions), then drained.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from langson.city.ingest.broker import GATEWAY_USER, INGEST_USER
from langson.city.ingest.mosquitto import Mosquitto
from langson.city.ingest.publisher import Publisher
from langson.city.ingest.testing import make_devices
from langson.city.models import DeadLetter, Device, LatestValue, Reading
from langson.core.services.seed import load_reference_data

WINDOW = 2000
PACED_RATE = 10_000  # the target rate: latency is measured on a stream paced at it
PUBLISHERS = int(os.environ.get("LANGSON_BENCH_IOT_PUBLISHERS", "2"))
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)
TICKS = os.sysconf("SC_CLK_TCK")

SUBSCRIBER = r"""
import json, os, sys, threading, time
import paho.mqtt.client as mqtt
from urllib.parse import urlsplit
url = urlsplit(os.environ["BENCH_URL"]); expected = int(sys.argv[1])
count = 0; last = 0.0; done = threading.Event(); ready = threading.Event()
def on_connect(c, u, f, rc, p):
    c.subscribe("$share/ingest/langson/+/telemetry", qos=1)
def on_subscribe(*a): ready.set()
def on_message(c, u, m):
    global count, last
    count += 1
    if count >= expected:
        last = time.time(); done.set()
c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="bench-ceiling", clean_session=False)
c.username_pw_set(url.username, url.password)
c.on_connect, c.on_subscribe, c.on_message = on_connect, on_subscribe, on_message
c.connect(url.hostname, url.port); c.loop_start()
ready.wait(10); print("ready", flush=True)
done.wait(600); time.sleep(0.2); c.disconnect(); c.loop_stop()
print(json.dumps({"count": count, "last": last}), flush=True)
"""


def _cpu_seconds(pid: int) -> float:
    """utime + stime of a process (and of its finished children), in seconds."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(f) for f in fields[11:15]) / TICKS


def _publish_share(
    url: str, client_id: str, devices: list[str], count: int, rate: float | None, go: Any, results: Any
) -> None:
    """A publisher process: ``count`` messages round-robin over ``devices``, as fast as flow control lets,
    or paced at ``rate`` messages/s."""
    publisher = Publisher(url, client_id, window=WINDOW).connect()
    last_ms = dict.fromkeys(devices, 0)
    topics = [f"langson/{d}/telemetry" for d in devices]
    width = len(devices)
    go.wait()
    cpu = time.process_time()
    started = time.time()
    publish = publisher.publish
    for n in range(count):
        if rate is not None and n % 32 == 0:
            ahead = started + n / rate - time.time()
            if ahead > 0:
                time.sleep(ahead)
        index = n % width
        device = devices[index]
        ms = int(time.time() * 1000)
        if ms <= last_ms[device]:
            ms = last_ms[device] + 1
        last_ms[device] = ms
        data = f'"powerConsumption":{n % 997}.5,"illuminanceLevel":0.5,"voltage":229.{n % 10}'
        publish(topics[index], f'{{"ts":{ms},"data":{{{data}}}}}'.encode())
    drained = publisher.drain(300)
    ended = time.time()
    results.put((started, ended, time.process_time() - cpu, drained))
    publisher.close()


def _publish(
    url: str, devices: list[str], count: int, rate: float | None = None
) -> tuple[float, float, float]:
    """Publish ``count`` messages from PUBLISHERS forked processes, each with its own devices, at full speed
    or at ``rate`` messages/s in all; (first start, last end, CPU seconds of all publishers)."""
    context = multiprocessing.get_context("fork")
    go, results = context.Event(), context.Queue()
    shares = [devices[i::PUBLISHERS] for i in range(PUBLISHERS)]
    counts = [count // PUBLISHERS + (1 if i < count % PUBLISHERS else 0) for i in range(PUBLISHERS)]
    each = None if rate is None else rate / PUBLISHERS
    processes = [
        context.Process(
            target=_publish_share,
            args=(url, f"bench-publisher-{i}", shares[i], counts[i], each, go, results),
        )
        for i in range(PUBLISHERS)
    ]
    for process in processes:
        process.start()
    time.sleep(1.0)  # connected
    go.set()
    reports = [results.get(timeout=600) for _ in processes]
    for process in processes:
        process.join(30)
    if not all(r[3] for r in reports):
        raise RuntimeError("the broker did not acknowledge every message")
    return min(r[0] for r in reports), max(r[1] for r in reports), sum(r[2] for r in reports)


def _ceiling(root: Path, devices: list[str], count: int) -> dict[str, float]:
    with Mosquitto(root / "ceiling") as broker:
        env = {**os.environ, "BENCH_URL": broker.url(INGEST_USER)}
        subscriber = subprocess.Popen(  # noqa: S603 - our interpreter, our script
            [sys.executable, "-c", SUBSCRIBER, str(count)], env=env, stdout=subprocess.PIPE, text=True
        )
        if (
            subscriber.stdout is None
            or subscriber.stdout.readline().strip() != "ready"
            or broker.process is None
        ):
            raise RuntimeError("the ceiling's subscriber did not start")
        broker_cpu = _cpu_seconds(broker.process.pid)
        subscriber_cpu = _cpu_seconds(subscriber.pid)
        started, _published, publisher_cpu = _publish(broker.url(GATEWAY_USER), devices, count)
        result = json.loads(subscriber.stdout.readline())
        broker_cpu = _cpu_seconds(broker.process.pid) - broker_cpu
        subscriber_cpu = _cpu_seconds(subscriber.pid) - subscriber_cpu
        subscriber.wait(30)
    if result["count"] < count:
        raise RuntimeError(f"ceiling run lost messages: {result['count']} of {count}")
    seconds = result["last"] - started
    return {
        "msgs_per_s": count / seconds,
        "seconds": seconds,
        "cpu_ms_per_msg": (broker_cpu + subscriber_cpu + publisher_cpu) / count * 1000,
    }


def _backend_pids() -> list[int]:
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


def _count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM city_reading")
        return int(cursor.fetchone()[0])


def _start_workers(env: dict[str, str], workers: int, stats: str) -> list[subprocess.Popen[bytes]]:
    command = [sys.executable, "-m", "langson.cli", "city", "ingest"] + (["--shared"] if workers > 1 else [])
    return [
        subprocess.Popen(  # noqa: S603 - our own CLI
            [*command, "--index", str(i), "--stats", f"{stats}.{i}"], env=env, stdout=subprocess.DEVNULL
        )
        for i in range(workers)
    ]


def _stop_workers(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_connections(broker: Mosquitto, connections: int) -> None:
    deadline = time.monotonic() + 60
    while broker.log.read_text(errors="replace").count("as langson-ingest-") < connections:
        if time.monotonic() > deadline:
            raise RuntimeError("ingest workers did not connect")
        time.sleep(0.1)
    time.sleep(1.0)  # and subscribed


def _wait_stored(expected: int) -> None:
    deadline = time.monotonic() + 600
    while _count() < expected and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1.0)  # anything more would be a duplicate


def _batches(stats: str, workers: int) -> list[tuple[int, float, int, int, int]]:
    batches = []
    for i in range(workers):
        for line in Path(f"{stats}.{i}").read_text().splitlines():
            stamp, committed, messages, rows, inserted = line.split()
            batches.append((int(stamp), float(committed), int(messages), int(rows), int(inserted)))
    return batches


def _quantile(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def _platform(root: Path, devices: list[str], count: int, workers: int) -> dict[str, Any]:
    """Three streams of ``count`` messages into the same workers' sessions: at full speed (rate, CPU, the
    latency of a saturated platform), paced at PACED_RATE (latency), and a backlog published while the
    workers are down, then drained with no publisher running (the platform's own capacity)."""
    with Mosquitto(root / "platform") as broker:
        if broker.process is None:
            raise RuntimeError("mosquitto is not running")
        env = {k: v for k, v in os.environ.items() if k != "LANGSON_BENCH_CHILD"}
        env["LANGSON_MQTT_URL"] = broker.url(INGEST_USER)
        live_stats = str(root / "live")
        processes = _start_workers(env, workers, live_stats)
        try:
            _wait_connections(broker, workers)
            pids = {"mosquitto": [broker.process.pid], "ingest": [p.pid for p in processes]}
            before = {name: sum(_cpu_seconds(p) for p in group) for name, group in pids.items()}
            started, _published, publisher_cpu = _publish(broker.url(GATEWAY_USER), devices, count)
            _wait_stored(count * 3)
            cpu = {name: sum(_cpu_seconds(p) for p in group) - before[name] for name, group in pids.items()}
            # The workers' PostgreSQL backends were forked at their first batch: all their CPU is this run's.
            cpu["postgresql"] = sum(_cpu_seconds(p) for p in _backend_pids())
            live = _batches(live_stats, workers)
            paced_from = datetime.now(UTC)
            _publish(broker.url(GATEWAY_USER), devices, count, rate=PACED_RATE)
            _wait_stored(count * 6)
        finally:
            _stop_workers(processes)
        committed_at = {b[0]: b[1] for b in _batches(live_stats, workers)}
        times = Reading.objects.filter(attribute="powerConsumption").values_list("observed_at", "received_at")

        def latencies(moments: Any) -> list[float]:
            return sorted(committed_at[(r - EPOCH) // MICROSECOND] - o.timestamp() for o, r in moments)

        saturated = latencies(times.filter(observed_at__lt=paced_from))
        paced = latencies(times.filter(observed_at__gte=paced_from))

        _publish(broker.url(GATEWAY_USER), devices, count)  # queued in the sessions of the stopped workers
        backlog_stats = str(root / "backlog")
        processes = _start_workers(env, workers, backlog_stats)
        try:
            _wait_stored(count * 9)
        finally:
            _stop_workers(processes)
        backlog = _batches(backlog_stats, workers)
    drain_seconds = max(b[1] for b in backlog) - min(b[0] for b in backlog) / 1e6
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(DISTINCT device_id || '|' || attribute || '|' "
            "|| CAST(observed_at AS VARCHAR(40))) FROM city_reading"
        )
        total, distinct = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM city_reading WHERE attribute = 'powerConsumption'")
        stored_messages = cursor.fetchone()[0]
    seconds = max(b[1] for b in live) - started
    everything = _batches(live_stats, workers) + backlog
    return {
        "msgs_per_s": count / seconds,
        "backlog_msgs_per_s": sum(b[2] for b in backlog) / drain_seconds,
        "seconds": seconds,
        "stored_messages": stored_messages,
        "rows": total,
        "distinct_rows": distinct,
        "redelivered_rows": sum(b[3] - b[4] for b in everything),
        "batches": len(live),
        "batch_messages_median": statistics.median(b[2] for b in live),
        "backlog_batch_messages_median": statistics.median(b[2] for b in backlog),
        "p50_ms": _quantile(paced, 0.5) * 1000,
        "p99_ms": _quantile(paced, 0.99) * 1000,
        "saturated_p50_ms": _quantile(saturated, 0.5) * 1000,
        "saturated_p99_ms": _quantile(saturated, 0.99) * 1000,
        "cpu_ms_per_msg": {
            **{k: v / count * 1000 for k, v in cpu.items()},
            "publisher": publisher_cpu / count * 1000,
        },
    }


def run(quick: bool) -> dict[str, Any]:
    count = 30_000 if quick else 200_000
    device_count = 200 if quick else 1000
    workers = int(os.environ.get("LANGSON_BENCH_IOT_WORKERS", "0")) or 1
    load_reference_data()
    devices = [f"bench-{n:05d}" for n in range(device_count)]
    existing = set(Device.objects.filter(device_id__in=devices).values_list("device_id", flat=True))
    make_devices([d for d in devices if d not in existing], secret=None)
    tables = [model._meta.db_table for model in (Reading, LatestValue, DeadLetter)]
    with connection.cursor() as cursor:  # a bench database reused from an earlier run: start empty
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(tables)}")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - our own table names
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="langson-bench-iot-") as tmp:
        root = Path(tmp)
        ceiling = _ceiling(root, devices, count)
        platform = _platform(root, devices, count, workers)
    loss = 3 * count - platform["stored_messages"]
    cpu = platform["cpu_ms_per_msg"]
    total_cpu = sum(cpu.values())
    platform_cpu = total_cpu - cpu["publisher"]
    metrics = {
        "msgs_per_s": round(platform["msgs_per_s"]),
        "backlog_drain_msgs_per_s": round(platform["backlog_msgs_per_s"]),
        "data_points_per_s": round(platform["msgs_per_s"] * 3),
        "share_of_ceiling": round(platform["msgs_per_s"] / ceiling["msgs_per_s"], 3),
        "loss": loss,
        "duplicates": platform["rows"] - platform["distinct_rows"],
        "p50_latency_ms": round(platform["p50_ms"], 1),
        "p99_latency_ms": round(platform["p99_ms"], 1),
        "latency_measured_at_msgs_per_s": PACED_RATE,
        "saturated_p50_latency_ms": round(platform["saturated_p50_ms"], 1),
        "saturated_p99_latency_ms": round(platform["saturated_p99_ms"], 1),
        "messages": count,
        "devices": device_count,
        "ingest_processes": workers,
        "batches": platform["batches"],
        "batch_messages_median": platform["batch_messages_median"],
        "backlog_batch_messages_median": platform["backlog_batch_messages_median"],
        "redelivered_rows_ignored": platform["redelivered_rows"],
        "cpu_ms_per_msg": {k: round(v, 4) for k, v in cpu.items()},
        "cpu_ms_per_msg_total": round(total_cpu, 4),
        "cpu_ms_per_msg_platform": round(platform_cpu, 4),
        # What the cores could carry if only the platform ran on them (devices publish from elsewhere).
        "msgs_per_s_cpu_bound_platform_only": round((os.cpu_count() or 1) / platform_cpu * 1000),
        "load_average_at_start": round(load, 2),
    }
    return {
        "metrics": metrics,
        "baseline": {
            "ceiling_paho_mosquitto_paho_msgs_per_s": round(ceiling["msgs_per_s"]),
            "ceiling_cpu_ms_per_msg": round(ceiling["cpu_ms_per_msg"], 4),
            "thingsboard_msgs_per_s_2vcpu": 5000,
            "peer": "ceiling measured in this run; ThingsBoard 3.3.3 scenario B (m6a.large, Kafka, PG)",
            "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        },
        "targets": [
            {"metric": "msgs_per_s", "min": 10_000},
            {"metric": "share_of_ceiling", "min": 0.8},
            {"metric": "loss", "max": 0},
            {"metric": "duplicates", "max": 0},
            {"metric": "p99_latency_ms", "max": 2000},
        ],
    }
