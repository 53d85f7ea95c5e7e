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
from langson.ioc.services.validation import SchemaError, check_header, validate

logger = logging.getLogger(__name__)


def commune_codes() -> frozenset[str]:
    return frozenset(
        str(code)
        for code in OrgUnit.objects.filter(gso_code__isnull=False).values_list("gso_code", flat=True)
    )


def content_key(rows: Sequence[dict[str, Any]] | pa.Table) -> str:
    """The batch key of a batch sent without one: a digest of its content."""
    digest = hashlib.sha256()
    if isinstance(rows, pa.Table):
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, rows.schema) as writer:
            writer.write_table(rows)
        digest.update(sink.getvalue())
    else:
        payload = json.dumps(rows, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
        digest.update(payload.encode())
    return "sha256:" + digest.hexdigest()


def ingest(
    dataset: Dataset,
    rows: Sequence[dict[str, Any]] | pa.Table,
    *,
    source: str,
    source_detail: str = "",
    batch_key: str | None = None,
    header: Sequence[str] | None = None,
    user: Any = None,
) -> IngestionRun:
    """Store one batch: a list of rows (JSON, XLSX) or a table of raw columns (CSV).

    Returns the run; its status says done, duplicate or failed (with the error).
    """
    from langson.ioc.lake import write_batch

    started = time.perf_counter()
    received = rows.num_rows if isinstance(rows, pa.Table) else len(rows)
    key = batch_key or content_key(rows)
    person = user if getattr(user, "is_authenticated", False) else None
    if IngestionRun.objects.filter(dataset=dataset, batch_key=key, status=IngestionRun.Status.DONE).exists():
        return IngestionRun.objects.create(
            dataset=dataset,
            source=source,
            source_detail=source_detail[:300],
            batch_key=key,
            status=IngestionRun.Status.DUPLICATE,
            rows_received=received,
            started_by=person,
        )
    run = IngestionRun.objects.create(
        dataset=dataset,
        source=source,
        source_detail=source_detail[:300],
        batch_key=key,
        rows_received=received,
        started_by=person,
    )
    try:
        if header is not None:
            check_header(dataset.schema, header)
        accepted, rejected = validate(dataset.schema, rows, communes=commune_codes())
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
            if accepted.num_rows:
                write_batch(
                    dataset.code,
                    accepted,
                    time_column=dataset.schema["time_column"],
                    key_columns=dataset.schema.get("key", []),
                    run_id=run.pk,
                    keys_unique=bool(dataset.schema.get("key")),
                )
            run.rows_accepted = accepted.num_rows
            run.rows_rejected = len(rejected)
            run.status = IngestionRun.Status.DONE
            run.duration_ms = int((time.perf_counter() - started) * 1000)
            run.save()
            Dataset.objects.filter(pk=dataset.pk).update(last_received_at=timezone.now())
            if accepted.num_rows:
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
