"""Ingestion: one batch of rows from any channel (upload, push, pull, app) → validated → lake + quarantine.

A batch is identified by its key (the sender's batch id, or the SHA-256 of its content): a batch already
stored is answered as a duplicate and stores nothing. Rows also carry a key from the dataset's key columns,
so overlapping batches (a pull that re-reads a page) never count a row twice in the lake.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Sequence
from typing import Any

import pyarrow as pa
from django.db import IntegrityError, transaction
from django.utils import timezone

from langson.core.models import OrgUnit
from langson.ioc.models import Dataset, IngestionRun, QuarantinedRow
from langson.ioc.services.alerts import close_freshness
from langson.ioc.services.validation import SchemaError, check_header, validate_rows

logger = logging.getLogger(__name__)

ARROW_TYPES: dict[str, pa.DataType] = {
    "integer": pa.int64(),
    "number": pa.float64(),
    "string": pa.string(),
    "date": pa.date32(),
    "datetime": pa.timestamp("us", tz="UTC"),
    "boolean": pa.bool_(),
    "commune": pa.string(),
}


def commune_codes() -> frozenset[str]:
    return frozenset(
        str(code)
        for code in OrgUnit.objects.filter(gso_code__isnull=False).values_list("gso_code", flat=True)
    )


def to_arrow(schema: dict[str, Any], rows: Sequence[dict[str, Any]]) -> pa.Table:
    """Typed rows → an Arrow table, column by column (never row by row into the engine)."""
    return pa.table(
        {
            c["name"]: pa.array([row.get(c["name"]) for row in rows], type=ARROW_TYPES[c["type"]])
            for c in schema["columns"]
        }
    )


def content_key(rows: Sequence[dict[str, Any]]) -> str:
    payload = json.dumps(rows, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(payload.encode()).hexdigest()


def ingest(
    dataset: Dataset,
    rows: Sequence[dict[str, Any]],
    *,
    source: str,
    source_detail: str = "",
    batch_key: str | None = None,
    header: Sequence[str] | None = None,
    user: Any = None,
) -> IngestionRun:
    """Store one batch. Returns the run; its status says done, duplicate or failed (with the error)."""
    from langson.ioc.lake import write_batch

    started = time.perf_counter()
    key = batch_key or content_key(list(rows))
    person = user if getattr(user, "is_authenticated", False) else None
    if IngestionRun.objects.filter(dataset=dataset, batch_key=key, status=IngestionRun.Status.DONE).exists():
        return IngestionRun.objects.create(
            dataset=dataset,
            source=source,
            source_detail=source_detail[:300],
            batch_key=key,
            status=IngestionRun.Status.DUPLICATE,
            rows_received=len(rows),
            started_by=person,
        )
    run = IngestionRun.objects.create(
        dataset=dataset,
        source=source,
        source_detail=source_detail[:300],
        batch_key=key,
        rows_received=len(rows),
        started_by=person,
    )
    try:
        if header is not None:
            check_header(dataset.schema, header)
        accepted, rejected = validate_rows(dataset.schema, rows, communes=commune_codes())
        with transaction.atomic():
            QuarantinedRow.objects.bulk_create(
                QuarantinedRow(
                    run=run,
                    row_number=r.row_number,
                    data=r.data,
                    reasons=[reason.as_dict() for reason in r.reasons],
                )
                for r in rejected
            )
            if accepted:
                write_batch(
                    dataset.code,
                    to_arrow(dataset.schema, accepted),
                    time_column=dataset.schema["time_column"],
                    key_columns=dataset.schema.get("key", []),
                    run_id=run.pk,
                )
            run.rows_accepted = len(accepted)
            run.rows_rejected = len(rejected)
            run.status = IngestionRun.Status.DONE
            run.duration_ms = int((time.perf_counter() - started) * 1000)
            run.save()
            Dataset.objects.filter(pk=dataset.pk).update(last_received_at=timezone.now())
            if accepted:
                transaction.on_commit(lambda: _recompute(dataset.code))
            close_freshness(dataset.pk)
    except IntegrityError:
        # The same batch finished in another process meanwhile: nothing of ours was stored.
        run.status = IngestionRun.Status.DUPLICATE
        run.save(update_fields=["status"])
    except SchemaError as exc:
        _fail(run, f"{exc.vi} / {exc.en}", started)
    except Exception as exc:
        logger.exception("ingestion of %s failed", dataset.code)
        _fail(
            run,
            f"Lỗi hệ thống khi nhận dữ liệu / internal error: {type(exc).__name__}: {exc}"[:2000],
            started,
        )
    return run


def _recompute(dataset_code: str) -> None:
    from langson.ioc.tasks import recompute_for_dataset

    recompute_for_dataset.enqueue(dataset_code)


def _fail(run: IngestionRun, message: str, started: float) -> None:
    run.status = IngestionRun.Status.FAILED
    run.error = message
    run.duration_ms = int((time.perf_counter() - started) * 1000)
    run.save(update_fields=["status", "error", "duration_ms"])
