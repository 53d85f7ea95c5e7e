"""HTTP ingestion at /api/city/telemetry: the same validation and the same store as MQTT.

Two ways to authenticate (decision 0012):

- **A device** sends its own readings with HTTP Basic ``<device_id>:<secret>`` (the secret of its MQTT
  account, checked against ``Device.secret_hash``). The body is what it would publish on MQTT: one
  ``{"ts": ..., "data": {...}}`` or a list of them.
- **A gateway** (a vendor platform, a LoRaWAN network server, the simulator) sends readings of many devices
  with a platform API key (``Authorization: Bearer ls_…``) of an account holding ``city.add_reading``; each
  item names its device: ``[{"device_id": "...", "ts": ..., "data": {...}}, ...]``.

Each item is accepted or rejected whole; rejected items are kept as dead letters with their reason and
listed in the answer. The answer (200) comes after the commit: a client that gets no answer sends the batch
again, and storing it again changes nothing.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import DatabaseError
from django.http import HttpRequest
from django.utils import translation
from ninja import Router, Status
from ninja.security import HttpBasicAuth

from langson.city.ingest.broker import verify_password
from langson.city.ingest.payload import DEVICE_RE, Rejected, Row, decode, entries_of, now_us, rows_of
from langson.city.ingest.store import DeadRow, Store, reset_connection
from langson.city.models import Device
from langson.core.api_auth import BearerToken

router = Router(tags=["city"])

MAX_ITEMS = 10_000
GATEWAY_PERMISSION = "city.add_reading"

_store = Store()


def store() -> Store:
    """The process's store (its caches of the registry are shared by the requests of this process)."""
    return _store


class DeviceBasic(HttpBasicAuth):
    """HTTP Basic with a device's id and its MQTT secret."""

    def authenticate(self, request: HttpRequest, username: str, password: str) -> Device | None:
        device = (
            Device.objects.filter(device_id=username, active=True).only("device_id", "secret_hash").first()
        )
        if device is None or not device.secret_hash or not verify_password(password, device.secret_hash):
            return None
        return device


def _both(code: str, vi: str, en: str, **extra: Any) -> dict[str, Any]:
    return {"code": code, "detail": vi, "detail_en": en, **extra}


def _in(language: str, rejected: Rejected) -> str:
    with translation.override(language):
        return rejected.message()


_ITEM = {
    "type": "object",
    "required": ["ts", "data"],
    "properties": {
        "device_id": {"type": "string", "description": "gateway only / chỉ khi gửi bằng khóa API"},
        "ts": {"oneOf": [{"type": "string", "format": "date-time"}, {"type": "integer"}]},
        "data": {
            "type": "object",
            "additionalProperties": {"oneOf": [{"type": "number"}, {"type": "string"}, {"type": "boolean"}]},
        },
    },
}
TELEMETRY_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {"oneOf": [_ITEM, {"type": "array", "items": _ITEM, "maxItems": MAX_ITEMS}]},
                "example": [
                    {
                        "device_id": "den-luong-van-tri-001",
                        "ts": "2026-11-28T19:00:00+07:00",
                        "data": {"powerState": "on", "powerConsumption": 42.1, "illuminanceLevel": 0.5},
                    }
                ],
            }
        },
    },
}


@router.post(
    "/telemetry",
    auth=[DeviceBasic(), BearerToken()],
    response={200: dict, 400: dict, 403: dict, 422: dict, 503: dict},
    summary="Gửi số đo của thiết bị / send device telemetry",
    openapi_extra=TELEMETRY_BODY,
)
def post_telemetry(request: HttpRequest) -> Status:
    auth = request.auth  # type: ignore[attr-defined]
    gateway = not isinstance(auth, Device)
    if gateway and not auth.has_perm(GATEWAY_PERMISSION):
        return Status(
            403,
            _both(
                "forbidden",
                "Tài khoản này không được gửi số đo thay thiết bị.",
                "This account may not send readings on behalf of devices.",
            ),
        )
    sender = "" if gateway else auth.device_id
    try:
        items = entries_of(decode(request.body))
    except Rejected as rejected:
        return Status(400, _both("invalid", _in("vi", rejected), _in("en", rejected)))
    if len(items) > MAX_ITEMS:
        return Status(
            400,
            _both(
                "too_many", f"Tối đa {MAX_ITEMS} mục mỗi lần gửi.", f"At most {MAX_ITEMS} items per request."
            ),
        )

    the_store = store()
    received = now_us()
    rows: list[Row] = []
    dead: list[DeadRow] = []
    rejected_items: list[dict[str, Any]] = []
    contacts: set[str] = set()
    for index, item in enumerate(items):
        device_id = sender
        try:
            if type(item) is not dict:
                raise Rejected("bad_shape")
            if gateway:
                device_id = item.get("device_id")
                if type(device_id) is not str or not DEVICE_RE.fullmatch(device_id):
                    raise Rejected("unknown_device", device=repr(device_id)[:80])
                if not the_store.known(device_id):
                    raise Rejected("unknown_device", device=device_id[:80])
            contacts.add(device_id)
            rows.extend(rows_of(device_id, [item], received))
        except Rejected as rejected:
            reason = _in("vi", rejected)
            rejected_items.append({"index": index, "reason": reason, "reason_en": _in("en", rejected)})
            body = json.dumps(item, ensure_ascii=False, separators=(",", ":")).encode()
            known_id = device_id if type(device_id) is str and DEVICE_RE.fullmatch(device_id) else ""
            dead.append(DeadRow("http", request.path[:300], known_id, body, reason))
    try:
        saved = the_store.save(rows, dead, contacts)
    except DatabaseError:
        reset_connection()
        return Status(
            503,
            _both(
                "unavailable",
                "Chưa lưu được, hãy gửi lại sau ít phút.",
                "Not stored; send the batch again in a few minutes.",
            ),
        )
    accepted = len(items) - len(rejected_items)
    answer = {
        "accepted": accepted,
        "rejected": rejected_items,
        "readings": saved.rows,
        "new": saved.inserted,
        "duplicates": saved.rows - saved.inserted,
    }
    return Status(422 if not accepted else 200, answer)
