"""Telemetry payloads: what is accepted, what is refused and why (Vietnamese reasons with English twins)."""

from __future__ import annotations

import ast
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from langson.city.ingest import payload
from langson.city.ingest.payload import Rejected, device_of, parse, parse_ts, to_datetime

pytestmark = pytest.mark.nodb

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
NOW_US = (NOW - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)
REPO = Path(__file__).resolve().parents[4]


def _parse(body: object, device: str = "den-001") -> list[payload.Row]:
    return parse(device, json.dumps(body).encode(), NOW_US)


def _reason(body: object | bytes) -> str:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    with pytest.raises(Rejected) as caught:
        parse("den-001", raw, NOW_US)
    return caught.value.code


def test_one_message_with_fiware_attributes():
    rows = _parse(
        {
            "ts": "2026-11-28T19:00:00+07:00",
            "data": {"powerState": "on", "powerConsumption": 42.1, "illuminanceLevel": 1, "faulty": False},
        }
    )
    observed = to_datetime(rows[0][2])
    assert observed == datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    assert [(r[1], r[3], r[4]) for r in rows] == [
        ("powerState", None, "on"),
        ("powerConsumption", 42.1, ""),
        ("illuminanceLevel", 1.0, ""),
        ("faulty", 0.0, "false"),
    ]
    assert {r[0] for r in rows} == {"den-001"}


def test_epoch_milliseconds_and_several_times_in_one_message():
    ms = NOW_US // 1000
    rows = _parse([{"ts": ms, "data": {"pm25": 35.2}}, {"ts": ms + 60_000, "data": {"pm25": 36}}])
    assert [to_datetime(r[2]) for r in rows] == [NOW, NOW + timedelta(minutes=1)]
    assert parse_ts(ms + 0.5) == NOW_US + 500  # fractions of a millisecond are kept


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"{not json", "bad_json"),
        (b"\xff\xfe", "bad_json"),
        (b'{"ts": 1, "data": {"x": NaN}}', "bad_json"),
        (b'{"ts": 1795867200000, "data": {"x": 1e400}}', "not_finite"),
        ("a string", "bad_shape"),
        ([], "empty"),
        ([1, 2], "bad_shape"),
        ({"data": {"x": 1}}, "missing_ts"),
        ({"ts": "2026-11-28T19:00:00", "data": {"x": 1}}, "naive_ts"),
        ({"ts": "hôm qua", "data": {"x": 1}}, "bad_ts"),
        ({"ts": True, "data": {"x": 1}}, "bad_ts"),
        ({"ts": "1990-01-01T00:00:00Z", "data": {"x": 1}}, "ts_out_of_range"),
        ({"ts": "2026-11-28T12:30:00Z", "data": {"x": 1}}, "ts_out_of_range"),
        ({"ts": "2026-11-28T12:00:00Z"}, "bad_data"),
        ({"ts": "2026-11-28T12:00:00Z", "data": {}}, "bad_data"),
        ({"ts": "2026-11-28T12:00:00Z", "data": [1]}, "bad_data"),
        ({"ts": "2026-11-28T12:00:00Z", "data": {"pm2.5": 1}}, "bad_attribute"),
        ({"ts": "2026-11-28T12:00:00Z", "data": {"x": None}}, "bad_value"),
        ({"ts": "2026-11-28T12:00:00Z", "data": {"x": {"value": 1}}}, "bad_value"),
        ({"ts": "2026-11-28T12:00:00Z", "data": {"x": "é" * 201}}, "text_too_long"),
        ({"ts": "2026-11-28T12:00:00Z", "data": {"x": "on\u0000"}}, "nul_text"),
        ({"ts": 1e306, "data": {"x": 1}}, "bad_ts"),
        ({"ts": 10**30, "data": {"x": 1}}, "ts_out_of_range"),
        ({"ts": "2026-11-28T12:00:00Z", "data": {"x": 1}, "timestamp": 1}, "unknown_keys"),
        ({"ts": "2026-11-28T12:00:00Z", "data": {"x": 1}, "device_id": "den-002"}, "other_device"),
    ],
)
def test_refused_whole_with_a_reason(body, code):
    assert _reason(body) == code


def test_a_bad_entry_refuses_the_whole_message():
    ok = {"ts": "2026-11-28T12:00:00Z", "data": {"x": 1}}
    assert _reason([ok, {"ts": "2026-11-28T12:00:00Z", "data": {"x": [1]}}]) == "bad_value"


def test_limits():
    assert _reason(b" " * (payload.MAX_PAYLOAD_BYTES + 1)) == "too_large"
    many = [{"ts": NOW_US // 1000 - i, "data": {"x": 1}} for i in range(payload.MAX_ENTRIES + 1)]
    assert _reason(many) == "too_many"


def test_topics():
    assert device_of("langson/den-001/telemetry") == "den-001"
    for topic in (
        "langson/den-001/command",
        "langson/a/b/telemetry",
        "other/den-001/telemetry",
        "langson//telemetry",
    ):
        with pytest.raises(Rejected):
            device_of(topic)


def test_reasons_are_vietnamese_with_details():
    with pytest.raises(Rejected) as caught:
        parse("den-001", b'{"ts": "2026-11-28T19:00:00", "data": {"x": 1}}', NOW_US)
    reason = caught.value.vietnamese()
    assert reason.startswith("Thời điểm đo thiếu múi giờ") and "2026-11-28T19:00:00" in reason


def _msgids(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"_", "gettext", "gettext_lazy"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            found.add(node.args[0].value)
    return found


def test_every_message_has_an_english_translation_with_the_same_placeholders():
    table = json.loads((REPO / "tools/translations/city_ingest.json").read_text(encoding="utf-8"))
    package = REPO / "src/langson/city"
    files = [*sorted((package / "ingest").glob("*.py")), package / "api_ingest.py", package / "cli.py"]
    msgids = set().union(*(_msgids(f) for f in files))
    assert len(msgids) >= len(payload.REASONS)
    assert msgids <= set(table), sorted(msgids - set(table))
    for msgid in msgids:
        placeholders = sorted(re.findall(r"%\(\w+\)s|%%", msgid))
        assert sorted(re.findall(r"%\(\w+\)s|%%", table[msgid])) == placeholders, msgid
