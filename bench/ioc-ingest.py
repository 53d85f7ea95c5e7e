"""IOC ingestion throughput: rows/s from a CSV upload and from the push API, next to DuckDB's own ingestion
of the same input measured in the same run (the ceiling). Target: ≥ 50 % of the ceiling.

The ceiling does the same job as the platform minus everything the platform adds: DuckDB reads the same
CSV file (or the same JSON rows) through Arrow and writes one zstd Parquet file, with no validation, row
keys, manifest or ingestion record. DuckDB building a table from rows already in Arrow memory is printed
too, for information: it parses nothing, so no ingestion of text can approach it (decision 0008).
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
from django.conf import settings
from django.test import Client

from langson.core.services.seed import load_reference_data
from langson.ioc.api_auth import issue_dataset_token
from langson.ioc.models import Dataset
from langson.ioc.services.files import read_table
from langson.ioc.services.ingestion import ingest
from langson.ioc.services.validation import validate

SCHEMA = {
    "columns": [
        {"name": "date", "type": "date", "required": True},
        {
            "name": "gate",
            "type": "string",
            "required": True,
            "choices": ["Hữu Nghị", "Tân Thanh", "Chi Ma", "Cốc Nam"],
        },
        {"name": "vehicle", "type": "integer", "required": True, "min": 0},
        {"name": "weight_t", "type": "number", "min": 0},
    ],
    "key": ["date", "gate", "vehicle"],
    "time_column": "date",
}


def _rows(n: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)  # noqa: S311 - test data, not security
    start = date(2026, 1, 1)
    gates = SCHEMA["columns"][1]["choices"]
    return [
        {
            # In time order, as a gate's system sends them: 90 days, about 11,000 trucks a day.
            "date": (start + timedelta(days=i * 90 // n)).isoformat(),
            "gate": gates[i % 4],
            "vehicle": i,
            "weight_t": round(rng.uniform(5, 40), 2),
        }
        for i in range(n)
    ]


def _duckdb_rate(sql: str, n: int) -> float:
    con = duckdb.connect()
    try:
        started = time.perf_counter()
        con.execute(sql)
        return n / (time.perf_counter() - started)
    finally:
        con.close()


# The platform's job written for DuckDB alone, for comparison: type and check every cell, refuse repeated
# keys, a SHA-256 key per row in the lake's format, one zstd Parquet file per day. No reasons, no fallback
# for unusual forms, no fsync, no manifest: a lower bound on the work, not a replacement for it.
SAME_JOB_SQL = r"""
CREATE TEMP TABLE checked AS
SELECT
  CASE WHEN regexp_full_match(trim("date"), '\d{4}-\d{2}-\d{2}')
    THEN TRY_CAST(trim("date") AS DATE) END AS "date",
  trim(gate) AS gate,
  TRY_CAST(CASE WHEN regexp_full_match(trim(vehicle), '-?\d{1,18}')
    THEN trim(vehicle) END AS BIGINT) AS vehicle,
  TRY_CAST(trim(weight_t) AS DOUBLE) AS weight_t
FROM read_csv('{folder}/rows.csv', header = true, all_varchar = true);
CREATE TEMP TABLE keyed AS
SELECT *,
  sha256(
    length(CAST("date" AS VARCHAR))::VARCHAR || ':' || CAST("date" AS VARCHAR)
    || length(nfc_normalize(gate))::VARCHAR || ':' || nfc_normalize(gate)
    || length(CAST(vehicle AS VARCHAR))::VARCHAR || ':' || CAST(vehicle AS VARCHAR)
  ) AS _row_key,
  count(*) OVER (PARTITION BY "date", gate, vehicle) AS repeats
FROM checked
WHERE "date" IS NOT NULL AND vehicle IS NOT NULL AND vehicle >= 0 AND (weight_t IS NULL OR weight_t >= 0)
  AND gate IN ('Hữu Nghị', 'Tân Thanh', 'Chi Ma', 'Cốc Nam');
COPY (
  SELECT "date", gate, vehicle, weight_t, _row_key, strftime("date", '%Y-%m-%d') AS day
  FROM keyed WHERE repeats = 1 ORDER BY "date"
) TO '{folder}/same-job' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (day));
"""


def run(quick: bool) -> dict[str, Any]:
    n = 100_000 if quick else 1_000_000
    batch = 10_000
    settings.ALLOWED_HOSTS = ["*"]
    load_reference_data()
    from langson.core.models import OrgUnit

    owner = OrgUnit.objects.get(code="BQL-KKT")
    csv_set = Dataset.objects.create(code="bench-csv", name="bench csv", owner=owner, schema=SCHEMA)
    push_set = Dataset.objects.create(code="bench-push", name="bench push", owner=owner, schema=SCHEMA)

    rows = _rows(n, 1)
    out = io.StringIO()
    out.write("date,gate,vehicle,weight_t\n")
    out.writelines(f"{r['date']},{r['gate']},{r['vehicle']},{r['weight_t']}\n" for r in rows)
    content = out.getvalue().encode()

    started = time.perf_counter()
    header, parsed = read_table("bench.csv", content)
    key = "sha256:" + hashlib.sha256(content).hexdigest()
    run_ = ingest(csv_set, parsed, source="upload", header=header, batch_key=key)
    csv_rate = run_.rows_accepted / (time.perf_counter() - started)
    if run_.rows_accepted != n:
        raise RuntimeError(f"CSV run accepted {run_.rows_accepted} of {n}: {run_.error}")

    _, token = issue_dataset_token(push_set, "bench")
    client = Client(headers={"Authorization": f"Bearer {token}"})
    push_rows = _rows(n, 2)
    bodies = [json.dumps({"batch_id": f"b{i}", "rows": push_rows[i : i + batch]}) for i in range(0, n, batch)]
    started = time.perf_counter()
    for body in bodies:
        response = client.post(
            "/api/ioc/datasets/bench-push/batches", data=body, content_type="application/json"
        )
        if response.status_code != 201:
            raise RuntimeError(response.content[:300])
    push_rate = n / (time.perf_counter() - started)

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        (folder / "rows.csv").write_bytes(content)
        (folder / "rows.json").write_text(json.dumps(push_rows))
        csv_ceiling = _duckdb_rate(
            f"COPY (SELECT * FROM read_csv('{folder}/rows.csv', header = true)) "  # noqa: S608 - our temp dir
            f"TO '{folder}/csv.parquet' (FORMAT parquet, COMPRESSION zstd)",
            n,
        )
        push_ceiling = _duckdb_rate(
            f"COPY (SELECT * FROM read_json('{folder}/rows.json')) "  # noqa: S608 - our temp dir
            f"TO '{folder}/json.parquet' (FORMAT parquet, COMPRESSION zstd)",
            n,
        )
        same_job = _duckdb_rate(SAME_JOB_SQL.replace("{folder}", str(folder)), n)
    in_memory, _ = validate(SCHEMA, rows)
    con = duckdb.connect()
    con.register("arrow_rows", in_memory)
    started = time.perf_counter()
    con.execute("CREATE TABLE t AS SELECT * FROM arrow_rows")
    arrow_table_rate = n / (time.perf_counter() - started)
    con.close()

    return {
        "metrics": {
            "csv_rows_per_s": round(csv_rate),
            "push_rows_per_s": round(push_rate),
            "csv_share_of_ceiling": round(csv_rate / csv_ceiling, 4),
            "push_share_of_ceiling": round(push_rate / push_ceiling, 4),
            "rows": n,
            "push_batch_rows": batch,
        },
        "baseline": {
            "duckdb_csv_to_parquet_rows_per_s": round(csv_ceiling),
            "duckdb_json_to_parquet_rows_per_s": round(push_ceiling),
            "duckdb_arrow_memory_to_table_rows_per_s": round(arrow_table_rate),
            "duckdb_same_job_csv_rows_per_s": round(same_job),
            "csv_share_of_duckdb_same_job": round(csv_rate / same_job, 4),
            "peer": "DuckDB read_csv / read_json of the same rows → zstd Parquet, same run",
        },
        "targets": [
            {"metric": "csv_share_of_ceiling", "min": 0.5},
            {"metric": "push_share_of_ceiling", "min": 0.5},
        ],
    }
