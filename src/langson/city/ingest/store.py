"""The durable, batched, idempotent store of telemetry: readings, latest values, last contact, dead letters.

One call of :meth:`Store.save` is one database transaction: every reading of the batch (a replayed one changes
nothing: (device, attribute, observed_at) is unique), the latest value of each attribute that got newer,
the last contact of the devices heard from, and the dead letters. When it returns, the batch is committed
(PostgreSQL: synchronous commit; SQLite: WAL with ``synchronous=FULL`` for this transaction), so the
caller may then acknowledge the messages (MQTT PUBACK, HTTP 2xx) — never before.

Statements per batch, whatever its size. PostgreSQL: the readings go straight into their table with one
binary COPY inside a savepoint (the cheapest way in: no staging, no conflict arbiter). A replayed reading
makes the unique index refuse that COPY; the savepoint is rolled back and the batch goes the careful way:
COPY into a temporary table, then one ``INSERT … SELECT … ON CONFLICT DO NOTHING``. Replays come in runs
(a restarted worker, a reconnected publisher), so after one the store stays careful until a batch has no
replay. Then one upsert of the latest values (the newest row per attribute, picked here) and one update of
the devices. SQLite: ``executemany`` of ``INSERT OR IGNORE``.

``received_at`` is stamped right before the inserts, and a transaction that took longer than
``MAX_TRANSACTION_SECONDS`` from that stamp to its commit is rolled back and retried with a new stamp: so
once ``received_at`` is older than that bound (plus clock skew), every reading stamped earlier is committed.
The lake export relies on it (see lake.py).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import DatabaseError, IntegrityError, OperationalError, connection, transaction

from langson.city.commands import notice_readings
from langson.city.ingest.payload import Row
from langson.city.models import DeadLetter, Device, LatestValue, Reading

logger = logging.getLogger(__name__)

MAX_TRANSACTION_SECONDS = 30.0
DEVICE_REFRESH_SECONDS = 60.0  # a device deactivated in the registry is refused within this delay
UNKNOWN_RECHECK_SECONDS = 10.0  # an unknown device id is looked up again at most this often
LAST_SEEN_EVERY_SECONDS = 30.0  # Device.last_seen_at is written at most this often per device and process

READING = Reading._meta.db_table
LATEST = LatestValue._meta.db_table
DEVICE = Device._meta.db_table

_PG_STAGE = "city_ingest_stage"
_PG_CREATE_STAGE = (
    f"CREATE TEMPORARY TABLE IF NOT EXISTS {_PG_STAGE} "
    "(d varchar(64), a varchar(64), o bigint, v double precision, t varchar(200)) ON COMMIT DELETE ROWS"
)
_PG_TIME = "('epoch'::timestamptz + s.o * interval '1 microsecond')"
# Binary COPY straight into the readings. A binary timestamptz is an int64 of microseconds since
# 2000-01-01 UTC (integer datetimes, the only kind since PostgreSQL 10): sent as int8, shifted by this offset.
_PG_EPOCH_SHIFT_US = 946_684_800_000_000
_PG_COPY_READINGS = (
    f"COPY {READING} (device_id, attribute, observed_at, value, text, received_at) FROM STDIN (FORMAT BINARY)"
)
_PG_COPY_TYPES = ["varchar", "varchar", "int8", "float8", "varchar", "int8"]
_PG_INSERT = (
    f"INSERT INTO {READING} (device_id, attribute, observed_at, value, text, received_at) "  # noqa: S608
    f"SELECT s.d, s.a, {_PG_TIME}, s.v, s.t, %s FROM {_PG_STAGE} s "
    "ON CONFLICT (device_id, attribute, observed_at) DO NOTHING"
)
# The stage then holds the newest row per (device, attribute); sorted here, so that several ingest processes
# lock the same rows in the same order.
_PG_LATEST = (
    f"INSERT INTO {LATEST} AS l (device_id, attribute, observed_at, value, text) "  # noqa: S608
    f"SELECT s.d, s.a, {_PG_TIME}, s.v, s.t FROM {_PG_STAGE} s ORDER BY s.d, s.a "
    "ON CONFLICT (device_id, attribute) DO UPDATE SET observed_at = EXCLUDED.observed_at, "
    "value = EXCLUDED.value, text = EXCLUDED.text WHERE l.observed_at < EXCLUDED.observed_at"
)
_PG_SEEN = (
    f"UPDATE {DEVICE} AS d SET last_seen_at = %s FROM "  # noqa: S608
    "(SELECT unnest(%s::varchar[]) AS id ORDER BY 1) AS u "
    "WHERE d.device_id = u.id AND (d.last_seen_at IS NULL OR d.last_seen_at < %s)"
)

_SQLITE_INSERT = (
    f"INSERT OR IGNORE INTO {READING} (device_id, attribute, observed_at, value, text, received_at) "  # noqa: S608
    "VALUES (%s, %s, %s, %s, %s, %s)"
)
_SQLITE_LATEST = (
    f"INSERT INTO {LATEST} (device_id, attribute, observed_at, value, text) "  # noqa: S608
    "VALUES (%s, %s, %s, %s, %s) "
    "ON CONFLICT (device_id, attribute) DO UPDATE SET observed_at = excluded.observed_at, "
    f"value = excluded.value, text = excluded.text WHERE {LATEST}.observed_at < excluded.observed_at"
)

_NAIVE_EPOCH = datetime(1970, 1, 1)
_UTC_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_US = timedelta(microseconds=1)


class TooSlow(Exception):
    """The transaction outlived MAX_TRANSACTION_SECONDS: rolled back, to be retried with a new stamp."""


@dataclass(frozen=True)
class DeadRow:
    channel: str  # mqtt | http
    topic: str
    device_id: str
    payload: bytes
    reason: str  # Vietnamese, with its details


@dataclass(frozen=True)
class Saved:
    rows: int  # readings given
    inserted: int  # readings new to the store (rows - inserted were replays)
    dead: int
    received_at: datetime
    seconds: float


def sqlite_time(us: int) -> str:
    """Django's text form of a UTC datetime in SQLite (str of the naive UTC value)."""
    return str(_NAIVE_EPOCH + timedelta(microseconds=us))


class Store:
    """One per process: caches which devices exist and when their last contact was written."""

    def __init__(self, *, last_seen_every: float = LAST_SEEN_EVERY_SECONDS) -> None:
        self.last_seen_every = last_seen_every
        self._known: set[str] = set()
        self._known_at = -1e9
        self._unknown: dict[str, float] = {}
        self._seen_written: dict[str, float] = {}
        self._careful = False  # PostgreSQL: the last batch held a replay, so this one may too

    # -- the registry -------------------------------------------------------------------------------

    def forget(self) -> None:
        """Drop the caches (tests; a registry change that must apply at once)."""
        self._known = set()
        self._known_at = -1e9
        self._unknown.clear()
        self._seen_written.clear()

    def _refresh(self) -> None:
        self._known = set(Device.objects.filter(active=True).values_list("device_id", flat=True))
        self._known_at = time.monotonic()
        self._unknown.clear()

    def known(self, device_id: str) -> bool:
        """True for an active device of the registry (cached; a new device is found at once)."""
        now = time.monotonic()
        if now - self._known_at > DEVICE_REFRESH_SECONDS:
            self._refresh()
        if device_id in self._known:
            return True
        checked = self._unknown.get(device_id)
        if checked is not None and now - checked < UNKNOWN_RECHECK_SECONDS:
            return False
        if Device.objects.filter(device_id=device_id, active=True).exists():
            self._known.add(device_id)
            return True
        if len(self._unknown) > 10_000:
            self._unknown.clear()
        self._unknown[device_id] = now
        return False

    # -- writing ------------------------------------------------------------------------------------

    def _contacts_due(self, contacts: Iterable[str]) -> list[str]:
        now = time.monotonic()
        every = self.last_seen_every
        written = self._seen_written
        return sorted({d for d in contacts if now - written.get(d, -1e9) >= every})

    def save(self, rows: Sequence[Row], dead: Sequence[DeadRow] = (), contacts: Iterable[str] = ()) -> Saved:
        """Store a batch in one transaction (see the module docstring); retried on a transaction that
        outlived its bound. Database errors propagate: the caller must not acknowledge, and may retry."""
        due = self._contacts_due(contacts)
        for attempt in range(5):
            try:
                saved = self._save_once(rows, dead, due)
            except TooSlow:
                logger.warning(
                    "telemetry batch of %d rows too slow to commit; retrying (%d)", len(rows), attempt
                )
                continue
            now = time.monotonic()
            for device_id in due:
                self._seen_written[device_id] = now
            notice_readings(rows)  # commands the readings show applied (nothing while none is open)
            return saved
        raise OperationalError("telemetry batch could not commit within its time bound")

    def _save_once(self, rows: Sequence[Row], dead: Sequence[DeadRow], due: list[str]) -> Saved:
        started = time.monotonic()
        vendor = connection.vendor
        # SQLite refuses to change it inside a transaction: a caller's outer transaction decides then.
        full_sync = vendor == "sqlite" and not connection.in_atomic_block
        if full_sync:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous=FULL")
        try:
            with transaction.atomic():
                stamp = datetime.now(UTC)
                stamped = time.monotonic()
                if vendor == "postgresql":
                    inserted = self._postgres(rows, due, stamp)
                else:
                    inserted = self._sqlite(rows, due, stamp)
                if dead:
                    DeadLetter.objects.bulk_create(
                        DeadLetter(
                            received_at=stamp,
                            channel=d.channel,
                            topic=_printable(d.topic)[:300],
                            device_id=_printable(d.device_id)[:64],
                            payload=d.payload,
                            reason=_printable(d.reason)[:500],
                        )
                        for d in dead
                    )
                if time.monotonic() - stamped > MAX_TRANSACTION_SECONDS:
                    raise TooSlow
        finally:
            if full_sync:
                with connection.cursor() as cursor:
                    cursor.execute("PRAGMA synchronous=NORMAL")
        return Saved(len(rows), inserted, len(dead), stamp, time.monotonic() - started)

    def _postgres(self, rows: Sequence[Row], due: list[str], stamp: datetime) -> int:
        inserted = 0
        with connection.cursor() as cursor:
            if rows:
                raw: Any = cursor.cursor  # psycopg's own cursor, for COPY
                cursor.execute(_PG_CREATE_STAGE)
                copied = not self._careful and _copy_new_readings(raw, rows, stamp)
                if copied:
                    inserted = len(rows)
                else:
                    _stage(cursor, raw, rows)
                    cursor.execute(_PG_INSERT, [stamp])
                    inserted = max(cursor.rowcount, 0)
                    if inserted < len(rows) and not self._careful:
                        logger.info("replayed readings: batches take the conflict checks until one has none")
                    self._careful = inserted < len(rows)
                _stage(cursor, raw, _newest(rows).values())
                cursor.execute(_PG_LATEST)
            if due:
                cursor.execute(_PG_SEEN, [stamp, due, stamp])
        return inserted

    def _sqlite(self, rows: Sequence[Row], due: list[str], stamp: datetime) -> int:
        received = str(stamp.astimezone(UTC).replace(tzinfo=None))
        inserted = 0
        with connection.cursor() as cursor:
            if rows:
                before = connection.connection.total_changes
                cursor.executemany(
                    _SQLITE_INSERT, [(d, a, sqlite_time(o), v, t, received) for d, a, o, v, t in rows]
                )
                inserted = connection.connection.total_changes - before
                latest = _newest(rows)
                cursor.executemany(
                    _SQLITE_LATEST,
                    [(d, a, sqlite_time(o), v, t) for (d, a, o, v, t) in (latest[k] for k in sorted(latest))],
                )
            for start in range(0, len(due), 500):
                chunk = due[start : start + 500]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"UPDATE {DEVICE} SET last_seen_at = %s WHERE device_id IN ({marks}) "  # noqa: S608
                    "AND (last_seen_at IS NULL OR last_seen_at < %s)",
                    [received, *chunk, received],
                )
        return inserted


def _copy_new_readings(raw: Any, rows: Sequence[Row], stamp: datetime) -> bool:
    """COPY the rows straight into the readings, in a savepoint; False (and nothing written) when one of
    them is already stored or repeated in the batch."""
    shift = _PG_EPOCH_SHIFT_US
    received = (stamp - _UTC_EPOCH) // _ONE_US - shift
    try:
        with transaction.atomic(), connection.wrap_database_errors, raw.copy(_PG_COPY_READINGS) as copy:
            copy.set_types(_PG_COPY_TYPES)
            write = copy.write_row
            for d, a, o, v, t in rows:
                write((d, a, o - shift, v, t, received))
    except IntegrityError:
        return False
    return True


def _stage(cursor: Any, raw: Any, rows: Iterable[Row]) -> None:
    """Fill the temporary table with ``rows`` (emptied by every commit; emptied here too for a caller's
    outer transaction: tests, nesting)."""
    cursor.execute(f"TRUNCATE {_PG_STAGE}")
    with connection.wrap_database_errors, raw.copy(f"COPY {_PG_STAGE} (d, a, o, v, t) FROM STDIN") as copy:
        write = copy.write_row
        for row in rows:
            write(row)


def _newest(rows: Iterable[Row]) -> dict[tuple[str, str], Row]:
    """The newest row of each (device, attribute)."""
    newest: dict[tuple[str, str], Row] = {}
    for row in rows:
        key = (row[0], row[1])
        kept = newest.get(key)
        if kept is None or kept[2] < row[2]:
            newest[key] = row
    return newest


def _printable(text: str) -> str:
    """PostgreSQL text cannot hold NUL: a dead letter must never fail to store (it would block its batch)."""
    return text.replace("\x00", "\\x00")


def reset_connection() -> None:
    """After a database error outside a transaction: close the connection, so the next call reconnects
    (a restarted PostgreSQL, a dropped link) instead of failing on the dead one forever."""
    try:
        connection.close()
    except DatabaseError:
        logger.debug("closing a broken database connection failed", exc_info=True)
