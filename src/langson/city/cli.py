"""The verbs of `langson city`: ingest, simulate, broker-config, export-lake.

langson city ingest [--processes N]          the MQTT ingest worker (LANGSON_MQTT_URL)
langson city simulate --devices N --rate R   a simulated fleet (MQTT if a broker is configured, else HTTP)
langson city broker-config DIR               Mosquitto's mosquitto.conf, passwd and acl from the registry
langson city export-lake                     copy the stored readings to the IOC lake now
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError

HTTP_ONLY = (
    "Chưa cấu hình máy chủ MQTT (LANGSON_MQTT_URL): nền tảng chạy ở chế độ chỉ HTTP, thiết bị gửi số đo "
    "tới POST /api/city/telemetry. / No MQTT broker configured (LANGSON_MQTT_URL): HTTP-only mode, devices "
    "POST to /api/city/telemetry."
)


def add_arguments(parser: Any) -> None:
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")

    ingest = verbs.add_parser("ingest", help="tiến trình nhận số đo MQTT / the MQTT ingest worker")
    ingest.add_argument("--url", default="", help="mqtt://user:password@host:port (default LANGSON_MQTT_URL)")
    ingest.add_argument("--processes", type=int, default=1, help="worker processes sharing the stream")
    ingest.add_argument("--index", type=int, default=0, help="this process's number (its client id)")
    ingest.add_argument("--client-prefix", default="langson-ingest", help="client ids are PREFIX-<index>")
    ingest.add_argument("--max-batch", type=int, default=5000, help="messages per transaction at most")
    ingest.add_argument("--linger", type=float, default=0.05, help="seconds to wait for a fuller batch")
    ingest.add_argument("--stats", default="", help="append one line per committed batch to this file")
    ingest.add_argument(
        "--shared", action="store_true", help="share the stream with other processes (set with --processes)"
    )

    simulate = verbs.add_parser("simulate", help="đội thiết bị mô phỏng / a simulated fleet")
    simulate.add_argument("--devices", type=int, required=True)
    simulate.add_argument("--rate", type=float, required=True, help="messages per second, whole fleet")
    simulate.add_argument("--duration", type=float, default=None, help="seconds (default: until stopped)")
    simulate.add_argument("--url", default="", help="mqtt://host:port or http://host:port")
    simulate.add_argument("--seed", type=int, default=7)
    simulate.add_argument("--register-only", action="store_true", help="register the fleet, send nothing")
    simulate.add_argument("--rain-after", type=float, default=120.0, help="seconds before the rain event")
    simulate.add_argument("--rain-duration", type=float, default=1200.0, help="length of the flood wave (s)")

    broker = verbs.add_parser("broker-config", help="tệp cấu hình Mosquitto / Mosquitto's files")
    broker.add_argument("directory")
    broker.add_argument("--port", type=int, default=1883)
    broker.add_argument("--bind", default="127.0.0.1")
    broker.add_argument("--max-inflight", type=int, default=20_000)
    broker.add_argument("--max-queued", type=int, default=0, help="0 = no limit (no silent drops)")
    broker.add_argument("--autosave", type=int, default=60, help="seconds between saves of the store")
    broker.add_argument("--run-as", default=None, help="user Mosquitto switches to (default mosquitto)")
    broker.add_argument("--certfile", default=None)
    broker.add_argument("--keyfile", default=None)
    broker.add_argument("--tls-port", type=int, default=8883)

    export = verbs.add_parser("export-lake", help="chép số đo sang kho dữ liệu / export readings to the lake")
    export.add_argument("--lag", type=float, default=None, help="only readings stored this many seconds ago")


def handle(command: Any, options: dict[str, Any]) -> None:
    out: Any = command.stdout
    verb = options["verb"]
    if verb == "ingest":
        _ingest(out, options)
    elif verb == "simulate":
        _simulate(out, options)
    elif verb == "broker-config":
        _broker_config(out, options)
    elif verb == "export-lake":
        _export(out, options)
    else:  # pragma: no cover - argparse refuses other verbs
        raise CommandError(verb)


def _stop_on_signals() -> threading.Event:
    stop = threading.Event()

    def on_signal(signum: int, frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    return stop


def _ingest(out: Any, options: dict[str, Any]) -> None:
    url = options["url"] or settings.MQTT_URL
    if not url:
        raise CommandError(HTTP_ONLY)
    stop = _stop_on_signals()
    if options["processes"] > 1:
        _supervise(out, url, options, stop)
        return

    from langson.city.ingest.mqtt_worker import IngestWorker
    from langson.city.ingest.store import Saved

    epoch = datetime(1970, 1, 1, tzinfo=UTC)

    stats = open(options["stats"], "a", buffering=1) if options["stats"] else None  # noqa: SIM115

    def on_batch(saved: Saved, messages: int, committed: float) -> None:
        if stats is not None:
            stamp = (saved.received_at - epoch) // timedelta(microseconds=1)  # exact: a key for received_at
            stats.write(f"{stamp} {committed:.6f} {messages} {saved.rows} {saved.inserted}\n")

    client_id = f"{options['client_prefix']}-{options['index']}"
    worker = IngestWorker(
        url,
        client_id=client_id,
        max_batch=options["max_batch"],
        linger=options["linger"],
        on_batch=on_batch,
        shared=options["shared"],
    )
    out.write(f"ingest worker {client_id} (pid {os.getpid()}) → {worker.broker.host}:{worker.broker.port}\n")
    out.flush()
    try:
        totals = worker.run(stop)
    finally:
        if stats is not None:
            stats.close()
    out.write(
        f"ingest worker {client_id} stopped: {totals.messages} messages, {totals.inserted} new readings, "
        f"{totals.dead} dead letters\n"
    )


def _supervise(out: Any, url: str, options: dict[str, Any], stop: threading.Event) -> None:
    """Run ``processes`` workers (client ids PREFIX-0 … PREFIX-N-1), restarting any that dies."""

    def spawn(index: int) -> subprocess.Popen[bytes]:
        args = [
            sys.executable,
            "-m",
            "langson.cli",
            "city",
            "ingest",
            "--index",
            str(index),
            "--client-prefix",
            options["client_prefix"],
            "--max-batch",
            str(options["max_batch"]),
            "--linger",
            str(options["linger"]),
            "--shared",
        ]
        if options["stats"]:
            args += ["--stats", f"{options['stats']}.{index}"]
        # The URL carries a password: through the environment, never the process list.
        return subprocess.Popen(args, env={**os.environ, "LANGSON_MQTT_URL": url})  # noqa: S603

    children = {index: spawn(index) for index in range(options["processes"])}
    out.write(
        f"ingest: {len(children)} worker processes ({', '.join(str(c.pid) for c in children.values())})\n"
    )
    out.flush()
    while not stop.wait(0.5):
        for index, child in list(children.items()):
            if child.poll() is not None:
                out.write(f"ingest worker {index} exited ({child.returncode}); restarting\n")
                out.flush()
                time.sleep(1.0)
                children[index] = spawn(index)
    for child in children.values():
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 30
    for child in children.values():
        try:
            child.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def _simulate(out: Any, options: dict[str, Any]) -> None:
    from langson.city import simulator

    if options["devices"] < 1 or options["rate"] <= 0:
        raise CommandError("--devices ≥ 1 và --rate > 0 / --devices must be ≥ 1 and --rate > 0")
    devices = simulator.fleet(options["devices"], seed=options["seed"])
    try:
        registered = simulator.register(devices)
    except RuntimeError as error:
        raise CommandError(str(error)) from error
    out.write(
        f"Đội thiết bị mô phỏng / simulated fleet: {registered['devices']} "
        f"({registered['created']} mới / new)\n"
    )
    if options["register_only"]:
        return
    url = options["url"] or simulator.default_url()
    if url.startswith(("mqtt://", "mqtts://")) and registered["created"] + registered["secrets_set"]:
        out.write(
            "Thiết bị mới: hãy chạy lại `langson city broker-config DIR` và nạp lại Mosquitto (SIGHUP). / "
            "New devices: rerun `langson city broker-config DIR` and reload Mosquitto (SIGHUP).\n"
        )
    stop = _stop_on_signals()
    out.write(f"→ {url.split('@')[-1]}: {options['rate']} tin/giây / msg/s\n")
    out.flush()

    def report(counters: simulator.Counters) -> None:
        out.write(
            f"  đã gửi / sent {counters.generated}, xác nhận / acknowledged {counters.acknowledged}, "
            f"bị từ chối / refused {counters.refused + counters.rejected}\n"
        )
        out.flush()

    counters = simulator.run(
        devices,
        rate=options["rate"],
        url=url,
        duration=options["duration"],
        seed=options["seed"],
        rain_after=options["rain_after"],
        rain_duration=options["rain_duration"],
        should_stop=stop.is_set,
        report=report,
    )
    report(counters)


def _broker_config(out: Any, options: dict[str, Any]) -> None:
    from langson.city.ingest.broker import INGEST_USER, PLATFORM_USER, write_broker_files

    files = write_broker_files(
        Path(options["directory"]),
        port=options["port"],
        bind=options["bind"],
        run_as=options["run_as"],
        max_queued=options["max_queued"],
        max_inflight=options["max_inflight"],
        autosave_seconds=options["autosave"],
        certfile=options["certfile"],
        keyfile=options["keyfile"],
        tls_port=options["tls_port"],
    )
    out.write(f"{files.config}\n{files.passwd} ({files.devices} thiết bị / devices)\n{files.acl}\n")
    if files.skipped:
        out.write(f"Bỏ qua (không có mật khẩu hoặc mã không hợp lệ) / skipped: {', '.join(files.skipped)}\n")
    out.write(
        f"Mật khẩu dịch vụ / service passwords: {files.config.parent / 'service-passwords.json'}\n"
        f"LANGSON_MQTT_URL={files.url(INGEST_USER)}\n"
        f"LANGSON_MQTT_COMMAND_URL={files.url(PLATFORM_USER)}\n"
        "Nạp lại / reload: kill -HUP <pid của mosquitto>\n"
    )


def _export(out: Any, options: dict[str, Any]) -> None:
    from langson.city.ingest.lake import LAG, export_readings

    lag = timedelta(seconds=options["lag"]) if options["lag"] is not None else LAG
    written = export_readings(lag=lag)
    out.write(f"{written} số đo đã chép sang kho dữ liệu / readings exported to the lake\n")
