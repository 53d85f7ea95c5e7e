"""Devices fetch their commands over HTTP at GET /api/city/commands (HTTP-only mode, or a device that
cannot keep an MQTT connection). The device authenticates as it does to send telemetry: HTTP Basic
``<device_id>:<secret>`` (``DeviceBasic`` of api_ingest). The answer lists its open commands, oldest first,
each exactly as the MQTT command topic carries it: ``{"commandId": 12, "powerState": "on", ...}``; the
pending ones become ``sent``. The device applies them in order and reports its new state as telemetry,
which marks them ``applied``. A command is listed again until then (or until it expires): applying it
twice changes nothing."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from langson.city.api_ingest import DeviceBasic
from langson.city.commands import fetch_for_device

router = Router(tags=["city"])


@router.get(
    "/commands",
    auth=DeviceBasic(),
    response={200: list[dict[str, Any]]},
    summary="Thiết bị lấy lệnh điều khiển / a device fetches its commands",
)
def get_commands(request: HttpRequest) -> list[dict[str, Any]]:
    device = request.auth  # type: ignore[attr-defined]
    return fetch_for_device(device.device_id)
