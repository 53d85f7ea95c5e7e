"""The store: one transaction per batch, replays change nothing, latest values never go back in time, last
contact, dead letters; and the lake export ends with exactly the stored readings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from langson.city.ingest.lake import DATASET, export_readings
from langson.city.ingest.payload import Rejected, now_us, parse, to_datetime
from langson.city.ingest.store import DeadRow, Store
from langson.city.ingest.testing import make_devices, payload
from langson.city.models import DeadLetter, Device, LatestValue, Reading

pytestmark = pytest.mark.django_db

US = 1_000_000


def _rows(device: str, ms: int, **data):
    return parse(device, payload(ms, **data), now_us())


@pytest.fixture
def devices():
    return make_devices(["den-001", "den-002"])


@pytest.fixture
def now_ms():
    return now_us() // 1000 - 3_600_000


def test_a_batch_is_stored_once_and_replays_change_nothing(devices, now_ms):
    store = Store()
    rows = _rows("den-001", now_ms, powerState="on", powerConsumption=42.1, illuminanceLevel=0.5)
    rows += _rows("den-002", now_ms, powerState="off", powerConsumption=0.4, illuminanceLevel=0)
    first = store.save(rows, contacts={"den-001", "den-002"})
    assert (first.rows, first.inserted) == (6, 6)
    again = store.save(rows, contacts={"den-001"})
    assert (again.rows, again.inserted) == (6, 0)
    assert Reading.objects.count() == 6
    reading = Reading.objects.get(device_id="den-001", attribute="powerConsumption")
    observed = datetime.fromtimestamp(now_ms / 1000, UTC)
    assert reading.observed_at == observed and reading.value == 42.1 and reading.text == ""
    # The ORM finds the rows the raw SQL wrote (same time format on SQLite).
    assert Reading.objects.filter(observed_at=observed).count() == 6
    assert Reading.objects.get(device_id="den-002", attribute="powerState").text == "off"
    assert LatestValue.objects.count() == 6
    assert Device.objects.filter(last_seen_at__isnull=False).count() == 2


def test_a_batch_mixing_replays_and_new_readings_stores_each_reading_once(devices, now_ms):
    store = Store()
    old = _rows("den-001", now_ms, powerConsumption=1.0)
    first = store.save(old)
    new = _rows("den-001", now_ms + 1000, powerConsumption=2.0)
    twice = _rows("den-002", now_ms, powerConsumption=3.0)
    mixed = store.save(old + new + twice + twice)  # a replay, a new reading, one reading twice in the batch
    assert (mixed.rows, mixed.inserted) == (4, 2)
    later = store.save(_rows("den-001", now_ms + 2000, powerConsumption=4.0))  # no replay in this one
    assert (later.rows, later.inserted) == (1, 1)
    stored = Reading.objects.order_by("device_id", "observed_at")
    assert [(r.device_id, r.value, r.received_at) for r in stored] == [
        ("den-001", 1.0, first.received_at),
        ("den-001", 2.0, mixed.received_at),
        ("den-001", 4.0, later.received_at),
        ("den-002", 3.0, mixed.received_at),
    ]
    assert stored[0].observed_at == to_datetime(now_ms * 1000)
    assert dict(LatestValue.objects.values_list("device_id", "value")) == {"den-001": 4.0, "den-002": 3.0}


def test_latest_values_never_go_back_in_time(devices, now_ms):
    store = Store()
    store.save(_rows("den-001", now_ms, powerConsumption=40.0))
    store.save(_rows("den-001", now_ms - 60_000, powerConsumption=10.0))  # a late, older reading
    store.save(
        _rows("den-001", now_ms + 60_000, powerConsumption=45.5)
        + _rows("den-001", now_ms + 1, powerConsumption=1)
    )
    latest = LatestValue.objects.get(device_id="den-001", attribute="powerConsumption")
    assert latest.value == 45.5
    assert latest.observed_at == to_datetime((now_ms + 60_000) * 1000)
    assert Reading.objects.filter(device_id="den-001").count() == 4


def test_last_contact_is_written_at_most_every_so_often(devices, now_ms):
    store = Store(last_seen_every=3600)
    store.save(_rows("den-001", now_ms, x=1), contacts={"den-001"})
    first = Device.objects.get(device_id="den-001").last_seen_at
    assert first is not None and abs((timezone.now() - first).total_seconds()) < 60
    store.save(_rows("den-001", now_ms + 1, x=1), contacts={"den-001"})
    assert Device.objects.get(device_id="den-001").last_seen_at == first
    Store(last_seen_every=0).save(_rows("den-001", now_ms + 2, x=1), contacts={"den-001"})
    assert Device.objects.get(device_id="den-001").last_seen_at > first


def test_dead_letters_are_kept_with_their_reason(devices):
    try:
        parse("den-001", b'{"ts": 1, "data": {"x": 1}}', now_us())
    except Rejected as rejected:
        reason = rejected.vietnamese()
    Store().save([], [DeadRow("mqtt", "langson/den-001/telemetry", "den-001", b'{"ts": 1}', reason)])
    letter = DeadLetter.objects.get()
    assert letter.channel == "mqtt" and bytes(letter.payload) == b'{"ts": 1}'
    assert letter.reason.startswith("Thời điểm đo") and "ngoài khoảng" in letter.reason


def test_the_registry_decides_which_devices_are_known(devices):
    store = Store()
    assert store.known("den-001")
    assert not store.known("den-999")
    make_devices(["den-999"])
    assert not store.known("den-999")  # refused ids are looked up again after a short while only
    store.forget()
    assert store.known("den-999")
    Device.objects.filter(device_id="den-001").update(active=False)
    store.forget()
    assert not store.known("den-001")


def test_the_lake_ends_with_exactly_the_stored_readings(devices, now_ms, settings, tmp_path):
    settings.LAKE_DIR = tmp_path / "lake"
    store = Store()
    for batch in range(3):
        rows = []
        for i in range(50):
            for device in ("den-001", "den-002"):
                rows += _rows(device, now_ms + batch * 1000 + i, powerState="on", powerConsumption=float(i))
        store.save(rows)
    # Readings stored before the export's lag only: nothing yet.
    assert export_readings() == 0
    later = timezone.now() + timedelta(hours=1)
    assert export_readings(now=later, chunk_rows=120) == 600
    # The next run starts from the watermark: only the readings stamped at it are copied again.
    store.save(_rows("den-001", now_ms + 10_000, powerState="off", powerConsumption=0.3))
    again = export_readings(now=later + timedelta(minutes=5))
    assert 2 <= again < 600
    from langson.ioc.lake import scan

    table = scan(DATASET)
    assert table is not None
    lake = table.to_pyarrow()
    stored = set(Reading.objects.values_list("device_id", "attribute", "observed_at", "value", "text"))
    in_lake = set(
        zip(
            lake.column("device_id").to_pylist(),
            lake.column("attribute").to_pylist(),
            lake.column("observed_at").to_pylist(),
            lake.column("value").to_pylist(),
            lake.column("text").to_pylist(),
            strict=True,
        )
    )
    assert lake.num_rows == len(stored) == 602
    assert in_lake == stored


def test_the_export_verb(devices, now_ms, settings, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    settings.LAKE_DIR = tmp_path / "lake"
    Store().save(_rows("den-001", now_ms, powerConsumption=1.0, powerState="on"))
    out = StringIO()
    call_command("city", "export-lake", "--lag", "-60", stdout=out)
    assert out.getvalue().startswith("2 số đo")


def test_a_dead_letter_always_stores(devices):
    """A NUL that slipped into a reason must not make the batch fail (it would be redelivered forever)."""
    Store().save([], [DeadRow("http", "/api/city/telemetry", "den\x00", b"\x00", "l\x00ý do")])
    letter = DeadLetter.objects.get()
    assert letter.reason == "l\\x00ý do" and bytes(letter.payload) == b"\x00"
