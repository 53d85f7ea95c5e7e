"""State of the parts the platform depends on, for /healthz and `langson check`."""

from __future__ import annotations

import socket
import tempfile
from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.db import connection
from django.utils import timezone


@dataclass(frozen=True)
class Check:
    state: str  # ok | down | stale | not_configured | not_checked
    detail: str
    critical: bool


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return Check("ok", connection.vendor, True)
    except Exception as exc:
        return Check("down", f"{type(exc).__name__}: {exc}"[:200], True)


def check_lake() -> Check:
    if settings.LAKE_URL:
        # Object storage is reached through the lake adapter of the IOC; until it answers here, say so
        # rather than claim a state nobody measured.
        return Check(
            "not_checked", f"object storage {urlparse(settings.LAKE_URL).scheme}:// configured", False
        )
    lake = settings.LAKE_DIR
    try:
        lake.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=lake, prefix=".healthz-"):
            pass
        return Check("ok", str(lake), True)
    except OSError as exc:
        return Check("down", f"{lake}: {exc.strerror}", True)


def check_worker() -> Check:
    from langson.core.models import WorkerHeartbeat

    try:
        cutoff = timezone.now() - timedelta(seconds=settings.WORKER_STALE_SECONDS)
        alive = WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).count()
    except Exception as exc:
        return Check("down", f"{type(exc).__name__}", False)
    if alive:
        return Check("ok", f"{alive} worker(s)", False)
    return Check("stale", "no worker heartbeat / không có tiến trình worker", False)


def check_broker() -> Check:
    if not settings.MQTT_URL:
        return Check("not_configured", "MQTT not configured: HTTP ingestion / chưa cấu hình MQTT", False)
    url = urlparse(settings.MQTT_URL)
    host, port = url.hostname or "127.0.0.1", url.port or (8883 if url.scheme == "mqtts" else 1883)
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return Check("ok", f"{host}:{port}", False)
    except OSError as exc:
        return Check("down", f"{host}:{port}: {exc.strerror or exc}", False)


def health() -> tuple[int, dict[str, Any]]:
    """HTTP status and body: 503 only when the web process cannot serve (database or lake down)."""
    checks = {
        "database": check_database(),
        "lake": check_lake(),
        "worker": check_worker(),
        "broker": check_broker(),
    }
    critical_down = any(c.critical and c.state != "ok" for c in checks.values())
    degraded = any(c.state in ("down", "stale") for c in checks.values())
    status = "down" if critical_down else ("degraded" if degraded else "ok")
    body = {"status": status, "checks": {name: asdict(check) for name, check in checks.items()}}
    return (503 if critical_down else 200), body
