"""Batched export of stored readings to the IOC lake (dataset ``city-readings``, decision 0012).

The database is the hot store (idempotent ingestion, latest values, rules, live views); the lake is the
history for analytics. A periodic job copies the readings stored since its last run, in large batches,
through the lake's atomic writer (Parquet per Vietnam date of ``observed_at`` + manifest rows).

- **Which readings.** Those with ``received_at`` in ``[watermark, now − lag)``. ``received_at`` is stamped
  by the store right before its inserts, and a batch whose transaction outlives
  ``store.MAX_TRANSACTION_SECONDS`` is rolled back, so after ``lag`` every reading stamped earlier is
  committed: none can appear behind the export.
- **The watermark** is the newest ``received_at`` already in the lake, read from the newest files of the
  dataset. The readings stamped exactly at the watermark are exported again (``>=``): a batch may have been
  cut between two lake writes. A reading exported twice is stored once by every reader of the lake, which
  keeps one row per ``_row_key`` (device, attribute, observed_at), and compaction removes the copy. An
  underestimated watermark costs duplicates, never a loss.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

import pyarrow as pa
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from langson.city.ingest.store import MAX_TRANSACTION_SECONDS
from langson.city.models import Reading

logger = logging.getLogger(__name__)

DATASET = "city-readings"
KEY = ("device_id", "attribute", "observed_at")
LAG = timedelta(seconds=max(120, 2 * MAX_TRANSACTION_SECONDS))
CHUNK_ROWS = 200_000
NEWEST_FILES = 64

_UTC_US = pa.timestamp("us", tz="UTC")
SCHEMA = pa.schema(
    [
        ("device_id", pa.string()),
        ("attribute", pa.string()),
        ("observed_at", _UTC_US),
        ("value", pa.float64()),
        ("text", pa.string()),
        ("received_at", _UTC_US),
    ]
)


def watermark() -> datetime | None:
    """The newest ``received_at`` in the dataset's newest files; None for an empty dataset."""
    from langson.ioc.lake import connect
    from langson.ioc.lake.common import absolute
    from langson.ioc.models import LakeFile

    paths = list(
        LakeFile.objects.filter(dataset=DATASET, replaced_by_compaction=False)
        .order_by("-id")
        .values_list("path", flat=True)[:NEWEST_FILES]
    )
    if not paths:
        return None
    con = connect()
    try:
        table = con.read_parquet([str(absolute(p)) for p in paths])
        value = table.received_at.max().to_pyarrow().as_py()
    finally:
        con.disconnect()
    return value


def _table(rows: list[tuple[Any, ...]]) -> pa.Table:
    columns = list(zip(*rows, strict=True))
    return pa.Table.from_arrays(
        [pa.array(column, type=field.type) for column, field in zip(columns, SCHEMA, strict=True)],
        schema=SCHEMA,
    )


def export_readings(
    *, now: datetime | None = None, lag: timedelta = LAG, chunk_rows: int = CHUNK_ROWS
) -> int:
    """Copy the readings stored since the last export (and older than ``lag``) to the lake; rows written."""
    from langson.ioc.lake import write_batch

    cutoff = (now or timezone.now()) - lag
    since = watermark()
    readings = Reading.objects.filter(received_at__lt=cutoff)
    if since is not None:
        readings = readings.filter(received_at__gte=since)
    fields = ("device_id", "attribute", "observed_at", "value", "text", "received_at", "id")
    written = 0
    after: tuple[datetime, int] | None = None
    while True:
        page = readings
        if after is not None:
            page = page.filter(Q(received_at__gt=after[0]) | Q(received_at=after[0], id__gt=after[1]))
        rows = list(page.order_by("received_at", "id").values_list(*fields)[:chunk_rows])
        if not rows:
            break
        write_batch(
            DATASET,
            _table([r[:6] for r in rows]),
            time_column="observed_at",
            key_columns=KEY,
            keys_unique=True,
        )
        written += len(rows)
        after = (rows[-1][5], rows[-1][6])
        if len(rows) < chunk_rows:
            break
    if written:
        logger.info("exported %d readings to the lake dataset %s", written, DATASET)
    return written


@task()
def export_readings_task() -> int:
    """The periodic export (schedule ``city.export_readings`` registered by the city app)."""
    return export_readings()
