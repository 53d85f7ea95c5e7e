"""Server time of the leaders' overview and of an indicator page over a realistic volume: 100 million
telemetry rows in the lake and five years of daily indicator history per commune (quick: 1 M rows, 1 year).

Peer: the architecture's budget, overview p95 < 150 ms. The overview reads the per-period rollups
(IndicatorValue), never the raw rows; this benchmark shows it stays that way as the lake grows.
"""

from __future__ import annotations

import statistics
import time
from datetime import date, timedelta
from typing import Any

import numpy as np
import pyarrow as pa
from django.conf import settings
from django.test import Client

from langson.core.models import OrgUnit, User
from langson.core.services.seed import load_reference_data
from langson.ioc.lake import write_batch
from langson.ioc.models import Dataset, Indicator, IndicatorValue

SECTORS = ["tourism", "border", "health", "education", "environment", "services", "city"]


def _telemetry(total: int) -> int:
    """Write `total` sensor readings (device, time, PM2.5) to the lake in columnar chunks."""
    owner = OrgUnit.objects.get(code="SO-NNMT")
    schema = {
        "columns": [
            {"name": "at", "type": "datetime", "required": True},
            {"name": "device", "type": "string", "required": True},
            {"name": "pm25", "type": "number"},
        ],
        "key": ["at", "device"],
        "time_column": "at",
    }
    Dataset.objects.create(code="telemetry", name="Quan trắc", owner=owner, schema=schema)
    rng = np.random.default_rng(7)
    chunk = 5_000_000
    start = np.datetime64("2026-01-01T00:00:00", "us")
    written = 0
    while written < total:
        n = min(chunk, total - written)
        idx = np.arange(written, written + n)
        table = pa.table(
            {
                "at": pa.array(
                    start + (idx // 500) * np.timedelta64(60, "s"), type=pa.timestamp("us", tz="UTC")
                ),
                "device": pa.array((idx % 500).astype(str)),
                "pm25": pa.array(rng.gamma(4.0, 8.0, n)),
            }
        )
        write_batch("telemetry", table, time_column="at", key_columns=["at", "device"])
        written += n
    return written


def _history(years: int) -> int:
    owner = OrgUnit.objects.get(code="VP-UBND")
    communes = list(OrgUnit.objects.filter(gso_code__isnull=False).values_list("code", flat=True))
    days = [date(2026, 11, 27) - timedelta(days=d) for d in range(365 * years)]
    rows = 0
    for i in range(20):
        indicator = Indicator.objects.create(
            code=f"bench-{i}",
            name=f"Chỉ số đo {i}",
            name_en=f"Bench {i}",
            unit="lượt",
            sector=SECTORS[i % 7],
            grain="day",
            by_commune=True,
            owner=owner,
            warning_above=1e9,
        )
        values = [
            IndicatorValue(indicator=indicator, period=d, commune="", value=float(k))
            for k, d in enumerate(days)
        ]
        if i == 0:  # one indicator broken down by commune every day: the map's worst case
            values += [
                IndicatorValue(indicator=indicator, period=d, commune=c, value=float(k))
                for k, d in enumerate(days)
                for c in communes
            ]
        IndicatorValue.objects.bulk_create(values, batch_size=20_000)
        rows += len(values)
    return rows


def _timings(client: Client, path: str, n: int) -> list[float]:
    client.get(path)  # warm caches (the map geometry)
    out = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.get(path)
        out.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: {response.status_code}")
    return out


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18]


def run(quick: bool) -> dict[str, Any]:
    settings.ALLOWED_HOSTS = ["*"]
    load_reference_data()
    lake_rows = _telemetry(1_000_000 if quick else 100_000_000)
    history_rows = _history(1 if quick else 5)
    leader = User(username="bench-leader", role="leader", org_unit=OrgUnit.objects.get(code="20"))
    leader.save()
    client = Client()
    client.force_login(leader)
    overview = _timings(client, "/ioc/", 30 if quick else 100)
    indicator = _timings(client, "/ioc/indicators/bench-0/", 30 if quick else 100)
    return {
        "metrics": {
            "overview_p50_ms": round(statistics.median(overview), 1),
            "overview_p95_ms": round(_p95(overview), 1),
            "indicator_p50_ms": round(statistics.median(indicator), 1),
            "indicator_p95_ms": round(_p95(indicator), 1),
            "lake_rows": lake_rows,
            "indicator_values": history_rows,
        },
        "baseline": {"budget": "architecture: overview p95 < 150 ms"},
        "targets": [{"metric": "overview_p95_ms", "max": 150}],
    }
