"""IOC ingestion throughput: rows/s from a CSV upload and from the push API, next to DuckDB's own Arrow
ingestion of the same rows measured in the same run (the ceiling). Target: ≥ 50 % of the ceiling."""

from __future__ import annotations

import io
import json
import random
import time
from datetime import date, timedelta
from typing import Any

import duckdb
import pyarrow as pa
from django.conf import settings
from django.test import Client

from langson.core.services.seed import load_reference_data
from langson.ioc.api_auth import issue_dataset_token
from langson.ioc.models import Dataset
from langson.ioc.services.files import read_table
from langson.ioc.services.ingestion import ingest, to_arrow
from langson.ioc.services.validation import validate_rows

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
            "date": (start + timedelta(days=i % 90)).isoformat(),
            "gate": gates[i % 4],
            "vehicle": i,
            "weight_t": round(rng.uniform(5, 40), 2),
        }
        for i in range(n)
    ]


def run(quick: bool) -> dict[str, Any]:
    n = 20_000 if quick else 200_000
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
    run_ = ingest(csv_set, parsed, source="upload", header=header)
    csv_rate = run_.rows_accepted / (time.perf_counter() - started)

    _, key = issue_dataset_token(push_set, "bench")
    client = Client(headers={"Authorization": f"Bearer {key}"})
    push_rows = _rows(n, 2)
    batch = 10_000
    started = time.perf_counter()
    for i in range(0, n, batch):
        response = client.post(
            "/api/ioc/datasets/bench-push/batches",
            data=json.dumps({"batch_id": f"b{i}", "rows": push_rows[i : i + batch]}),
            content_type="application/json",
        )
        if response.status_code != 201:
            raise RuntimeError(response.content[:300])
    push_rate = n / (time.perf_counter() - started)

    # The ceiling: DuckDB ingesting the same rows as one Arrow table (columnar, no validation).
    accepted, _ = validate_rows(SCHEMA, rows)
    arrow_rows: pa.Table = to_arrow(SCHEMA, accepted)
    con = duckdb.connect()
    con.register("arrow_rows", arrow_rows)
    started = time.perf_counter()
    con.execute("CREATE TABLE t AS SELECT * FROM arrow_rows")
    ceiling = n / (time.perf_counter() - started)

    return {
        "metrics": {
            "csv_rows_per_s": round(csv_rate),
            "push_rows_per_s": round(push_rate),
            "csv_share_of_ceiling": round(csv_rate / ceiling, 4),
            "push_share_of_ceiling": round(push_rate / ceiling, 4),
            "rows": n,
        },
        "baseline": {
            "duckdb_arrow_rows_per_s": round(ceiling),
            "peer": "DuckDB CREATE TABLE from Arrow, same rows",
        },
        "targets": [
            {"metric": "csv_share_of_ceiling", "min": 0.5},
            {"metric": "push_share_of_ceiling", "min": 0.5},
        ],
    }
