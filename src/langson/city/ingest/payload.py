"""Telemetry messages: the topic scheme, the JSON payload, and their validation into rows.

Topics (MQTT):

- ``langson/<device_id>/telemetry`` — the device publishes its readings (QoS 1);
- ``langson/<device_id>/state`` — the device may publish its state (e.g. after a command);
- ``langson/<device_id>/command`` — the platform publishes commands; the device only reads it.

Payload of a telemetry message, UTF-8 JSON, attribute names from FIWARE Smart Data Models::

    {"ts": "2026-11-28T19:00:00+07:00", "data": {"powerState": "on", "powerConsumption": 42.1}}
    {"ts": 1795867200000, "data": {...}}                       # ts in milliseconds since 1970 (UTC)
    [{"ts": ..., "data": {...}}, {"ts": ..., "data": {...}}]   # several times in one message

``ts`` is required: (device, attribute, ts) identifies a reading, so a message delivered twice (MQTT QoS 1 is
at least once) is stored once. Values are numbers, strings (``text``, up to 200 characters) or booleans
(stored as 1/0 with text "true"/"false"). A message is accepted whole or rejected whole with one reason:
never half-stored.

Rows are plain tuples ``(device_id, attribute, observed_us, value, text)``, ``observed_us`` being
microseconds since 1970 in UTC: cheap to build, compare and convert, since this runs once per message.
"""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

TOPIC_ROOT = "langson"
TELEMETRY = "telemetry"
STATE = "state"
COMMAND = "command"

MAX_PAYLOAD_BYTES = 256 * 1024  # also Mosquitto's message_size_limit in the generated configuration
MAX_ENTRIES = 1000  # times in one message
MAX_POINTS = 10_000  # data points in one message
MAX_TEXT = 200  # Reading.text max_length
MAX_PAST = timedelta(days=366)  # a device may send a year of buffered readings after an outage
MAX_FUTURE = timedelta(minutes=10)  # clock drift of a device; beyond it the clock is wrong

ATTRIBUTE_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}")
DEVICE_RE = re.compile(r"[-a-zA-Z0-9_]{1,64}")  # Device.device_id is a SlugField(max_length=64)
ENTRY_KEYS = frozenset({"ts", "data", "device_id"})

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)

Row = tuple[str, str, int, float | None, str]

# Every reason a message can be refused for, in Vietnamese (the msgid); English in
# tools/translations/city_ingest.json. Rendered with its parameters by `describe`.
REASONS: dict[str, Any] = {
    "too_large": _("Tin nhắn quá lớn (%(size)s byte, tối đa %(max)s)."),
    "bad_topic": _("Chủ đề không đúng dạng langson/<mã thiết bị>/telemetry: %(topic)s"),
    "unknown_device": _("Thiết bị chưa đăng ký hoặc đã ngừng hoạt động: %(device)s"),
    "bad_json": _("Nội dung không phải JSON hợp lệ (UTF-8)."),
    "bad_shape": _(
        'Nội dung phải là một đối tượng {"ts": ..., "data": {...}} hoặc một danh sách các đối tượng đó.'
    ),
    "empty": _("Tin nhắn không có số đo nào."),
    "too_many": _("Tin nhắn có quá nhiều số đo (tối đa %(max)s mục thời điểm, %(points)s số đo)."),
    "unknown_keys": _("Trường không được hỗ trợ: %(keys)s (chỉ có ts, data)."),
    "other_device": _("Mã thiết bị %(given)s trong nội dung khác với thiết bị gửi %(device)s."),
    "missing_ts": _("Thiếu thời điểm đo (ts)."),
    "bad_ts": _(
        "Thời điểm đo không hợp lệ: %(value)s (cần ISO 8601 có múi giờ, hoặc số mili giây kể từ 1970 UTC)."
    ),
    "naive_ts": _("Thời điểm đo thiếu múi giờ: %(value)s."),
    "ts_out_of_range": _(
        "Thời điểm đo %(value)s nằm ngoài khoảng cho phép (từ %(days)s ngày trước đến %(minutes)s phút sau "
        "thời điểm nhận)."
    ),
    "bad_data": _("Thiếu phần dữ liệu (data) hoặc data không phải đối tượng có ít nhất một thuộc tính."),
    "bad_attribute": _("Tên thuộc tính không hợp lệ: %(name)s (chữ cái Latin, chữ số, dấu gạch dưới)."),
    "bad_value": _("Giá trị của %(name)s phải là số, chuỗi hoặc true/false."),
    "not_finite": _("Giá trị số của %(name)s không hữu hạn."),
    "text_too_long": _("Chuỗi giá trị của %(name)s dài quá %(max)s ký tự."),
    "nul_text": _("Chuỗi giá trị của %(name)s chứa ký tự NUL."),
}


class Rejected(Exception):
    """A message (or an HTTP item) refused whole; ``code`` is a key of REASONS."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def message(self) -> str:
        """The reason in the active language."""
        return describe(self.code, self.params)

    def vietnamese(self) -> str:
        """The reason as the dead-letter store keeps it (Vietnamese, the platform's language)."""
        with translation.override("vi"):
            return describe(self.code, self.params)


def describe(code: str, params: dict[str, Any]) -> str:
    text = str(REASONS[code])
    return text % params if params else text


def _refuse_constant(name: str) -> float:
    raise ValueError(name)  # NaN, Infinity, -Infinity are not JSON


_decoder = json.JSONDecoder(parse_constant=_refuse_constant)
_good_names: set[str] = set()  # attribute names already checked (a fleet uses a few dozen)


def telemetry_topic(device_id: str) -> str:
    return f"{TOPIC_ROOT}/{device_id}/{TELEMETRY}"


def command_topic(device_id: str) -> str:
    return f"{TOPIC_ROOT}/{device_id}/{COMMAND}"


def state_topic(device_id: str) -> str:
    return f"{TOPIC_ROOT}/{device_id}/{STATE}"


def device_of(topic: str) -> str:
    """The device of a telemetry topic; Rejected("bad_topic") for anything else."""
    parts = topic.split("/")
    if (
        len(parts) != 3
        or parts[0] != TOPIC_ROOT
        or parts[2] != TELEMETRY
        or not DEVICE_RE.fullmatch(parts[1])
    ):
        raise Rejected("bad_topic", topic=topic[:200])
    return parts[1]


def now_us() -> int:
    return (datetime.now(UTC) - _EPOCH) // _US


def to_datetime(us: int) -> datetime:
    return _EPOCH + timedelta(microseconds=us)


def _show(value: Any) -> str:
    return repr(value)[:80]


def parse_ts(ts: Any) -> int:
    """Microseconds since 1970 (UTC) of a ``ts``: ISO 8601 with a zone, or milliseconds since 1970."""
    kind = type(ts)
    if kind is int:
        return ts * 1000
    if kind is float:
        us = ts * 1000
        if not math.isfinite(us):
            raise Rejected("bad_ts", value=_show(ts))
        return round(us)
    if kind is str:
        try:
            parsed = datetime.fromisoformat(ts)
        except ValueError:
            raise Rejected("bad_ts", value=_show(ts)) from None
        if parsed.tzinfo is None:
            raise Rejected("naive_ts", value=_show(ts))
        return (parsed - _EPOCH) // _US
    if ts is None:
        raise Rejected("missing_ts")
    raise Rejected("bad_ts", value=_show(ts))


def decode(payload: bytes) -> Any:
    """The JSON document of a payload; Rejected for anything that is not UTF-8 JSON."""
    if len(payload) > MAX_PAYLOAD_BYTES:
        raise Rejected("too_large", size=len(payload), max=MAX_PAYLOAD_BYTES)
    try:
        return _decoder.decode(payload.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise Rejected("bad_json") from None


def entries_of(document: Any) -> list[Any]:
    if type(document) is dict:
        return [document]
    if type(document) is list:
        if not document:
            raise Rejected("empty")
        if len(document) > MAX_ENTRIES:
            raise Rejected("too_many", max=MAX_ENTRIES, points=MAX_POINTS)
        return document
    raise Rejected("bad_shape")


def rows_of(device_id: str, entries: list[Any], received_us: int) -> list[Row]:
    """Validate the entries of one device's message; all its rows, or Rejected for the first problem."""
    earliest = received_us - MAX_PAST // _US
    latest = received_us + MAX_FUTURE // _US
    rows: list[Row] = []
    append = rows.append
    for entry in entries:
        if type(entry) is not dict:
            raise Rejected("bad_shape")
        if len(entry) != 2 or "ts" not in entry or "data" not in entry:
            extra = entry.keys() - ENTRY_KEYS
            if extra:
                raise Rejected("unknown_keys", keys=", ".join(sorted(_show(k) for k in extra))[:200])
            given = entry.get("device_id", device_id)
            if given != device_id:
                raise Rejected("other_device", given=_show(given), device=device_id)
        observed = parse_ts(entry.get("ts"))
        if not earliest <= observed <= latest:
            raise Rejected(
                "ts_out_of_range",
                value=_show(entry.get("ts")),
                days=MAX_PAST.days,
                minutes=MAX_FUTURE.seconds // 60,
            )
        data = entry.get("data")
        if type(data) is not dict or not data:
            raise Rejected("bad_data")
        for name, value in data.items():
            if name not in _good_names:
                if not ATTRIBUTE_RE.fullmatch(name):
                    raise Rejected("bad_attribute", name=_show(name))
                if len(_good_names) < 10_000:
                    _good_names.add(name)
            kind = type(value)
            if kind is float:
                if not math.isfinite(value):
                    raise Rejected("not_finite", name=name)
                append((device_id, name, observed, value, ""))
            elif kind is int:
                try:
                    append((device_id, name, observed, float(value), ""))
                except OverflowError:
                    raise Rejected("not_finite", name=name) from None
            elif kind is str:
                if len(value) > MAX_TEXT:
                    raise Rejected("text_too_long", name=name, max=MAX_TEXT)
                if "\x00" in value:  # PostgreSQL text cannot hold it: refused here, not by the database
                    raise Rejected("nul_text", name=name)
                append((device_id, name, observed, None, value))
            elif kind is bool:
                append((device_id, name, observed, 1.0 if value else 0.0, "true" if value else "false"))
            else:
                raise Rejected("bad_value", name=name)
        if len(rows) > MAX_POINTS:
            raise Rejected("too_many", max=MAX_ENTRIES, points=MAX_POINTS)
    return rows


def parse(device_id: str, payload: bytes, received_us: int) -> list[Row]:
    """The rows of one device's telemetry message (MQTT payload); Rejected if any part is wrong."""
    return rows_of(device_id, entries_of(decode(payload)), received_us)
