"""Helpers shared by the ingestion tests, the fault tests and the benchmark: devices and messages."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any

from langson.city.ingest.broker import hash_password
from langson.city.models import Device, Reading


def make_devices(
    ids: Iterable[str],
    *,
    kind: str = Device.Type.STREETLIGHT,
    commune: str = "5983",
    owner: str = "SO-XD",
    secret: str | None = "mat-khau-thiet-bi",  # noqa: S107 - test devices only
) -> list[Device]:
    """Register devices (audited saves, like a technician's), all with the same secret unless None."""
    from langson.core.models import OrgUnit

    commune_unit = OrgUnit.objects.get(code=commune)
    owner_unit = OrgUnit.objects.get(code=owner)
    secret_hash = hash_password(secret) if secret is not None else ""
    devices = []
    for device_id in ids:
        device = Device(
            device_id=device_id,
            name=f"Thiết bị thử {device_id}",
            type=kind,
            commune=commune_unit,
            owner=owner_unit,
            latitude=21.85,
            longitude=106.76,
            secret_hash=secret_hash,
        )
        device.save()
        devices.append(device)
    return devices


def payload(ts_ms: int, **data: Any) -> bytes:
    return json.dumps({"ts": ts_ms, "data": data}, separators=(",", ":")).encode()


def stream(devices: list[str], count: int, *, start_ms: int) -> Iterator[tuple[str, bytes]]:
    """``count`` telemetry messages (3 data points each) spread over ``devices``; message i of device d has
    time start + i ms, so every reading of the stream has its own key."""
    width = len(devices)
    for n in range(count):
        device_id = devices[n % width]
        ms = start_ms + n // width
        body = payload(ms, powerState="on", powerConsumption=float(n % 997), illuminanceLevel=0.5)
        yield f"langson/{device_id}/telemetry", body


QUARTERS = (5, 20, 35, 50)  # one reading in each quarter of an hour


def fill(
    device_id: str,
    attribute: str,
    value: float,
    last_hour_end: datetime,
    hours: int,
    minutes: Iterable[int] = QUARTERS,
) -> None:
    """Store ``value`` in every listed minute of the ``hours`` clock hours ending at ``last_hour_end``."""
    rows = []
    for h in range(hours):
        start = last_hour_end - timedelta(hours=h + 1)
        for minute in minutes:
            at = start + timedelta(minutes=minute)
            rows.append(
                Reading(device_id=device_id, attribute=attribute, observed_at=at, value=value, received_at=at)
            )
    Reading.objects.bulk_create(rows)
