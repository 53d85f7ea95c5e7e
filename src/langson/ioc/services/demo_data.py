"""A living demo for `make run`: realistic Lạng Sơn series fed through the ingestion path, never written
into tables directly. Magnitudes are our estimates for a plausible picture, not official statistics.

- tourism-visits: monthly visitors per site, with the Tết peak (the lunar new-year month) and a summer peak.
- border-trucks: daily trucks per gate and direction; a Sunday dip, a Tết pause, fruit exports in May–Aug.
- air-quality: daily mean PM2.5 per station, higher in the dry winter.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from typing import Any

LUNAR_NEW_YEAR = {
    2021: date(2021, 2, 12),
    2022: date(2022, 2, 1),
    2023: date(2023, 1, 22),
    2024: date(2024, 2, 10),
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
}

# (site, commune GSO code). Communes are those the sites' names and places make plain.
SITES = [
    ("Động Tam Thanh", "5986"),
    ("Chợ Đông Kinh", "5977"),
    ("Khu du lịch Mẫu Sơn", "6541"),
    ("Ải Chi Lăng", "6463"),
]
GATES = ["Hữu Nghị", "Tân Thanh", "Chi Ma", "Cốc Nam"]
GATE_SCALE = {
    "Hữu Nghị": 700,
    "Tân Thanh": 450,
    "Chi Ma": 150,
    "Cốc Nam": 60,
}  # trucks a day each way (estimate)
STATIONS = [("Trạm Lương Văn Tri", "5983"), ("Trạm Đông Kinh", "5977"), ("Trạm Đồng Đăng", "6184")]

DATASETS: list[dict[str, Any]] = [
    {
        "code": "tourism-visits",
        "name": "Lượt khách du lịch theo điểm",
        "name_en": "Tourist visits by site",
        "owner": "SO-VHTTDL",
        "expected_every_hours": 24 * 31,
        "schema": {
            "columns": [
                {"name": "month", "type": "date", "required": True},
                {"name": "site", "type": "string", "required": True, "choices": [s for s, _ in SITES]},
                {"name": "commune_code", "type": "commune", "required": True},
                {"name": "visitors", "type": "integer", "required": True, "min": 0},
            ],
            "key": ["month", "site"],
            "time_column": "month",
        },
    },
    {
        "code": "border-trucks",
        "name": "Xe hàng qua cửa khẩu",
        "name_en": "Trucks through the border gates",
        "owner": "BQL-KKT",
        "expected_every_hours": 24,
        "schema": {
            "columns": [
                {"name": "date", "type": "date", "required": True},
                {"name": "gate", "type": "string", "required": True, "choices": GATES},
                {"name": "direction", "type": "string", "required": True, "choices": ["xuất", "nhập"]},
                {"name": "trucks", "type": "integer", "required": True, "min": 0},
            ],
            "key": ["date", "gate", "direction"],
            "time_column": "date",
        },
    },
    {
        "code": "air-quality",
        "name": "Bụi mịn PM2.5 trung bình ngày",
        "name_en": "Daily mean PM2.5",
        "owner": "SO-NNMT",
        "expected_every_hours": 24,
        "schema": {
            "columns": [
                {"name": "date", "type": "date", "required": True},
                {"name": "station", "type": "string", "required": True, "choices": [s for s, _ in STATIONS]},
                {"name": "commune_code", "type": "commune", "required": True},
                {"name": "pm25", "type": "number", "required": True, "min": 0, "max": 1000},
            ],
            "key": ["date", "station"],
            "time_column": "date",
        },
    },
]

INDICATORS: list[dict[str, Any]] = [
    {
        "code": "tourism-visitors-monthly",
        "name": "Lượt khách du lịch",
        "name_en": "Tourist visits",
        "unit": "lượt",
        "sector": "tourism",
        "grain": "month",
        "by_commune": True,
        "owner": "SO-VHTTDL",
        "target": 90000,
        "warning_below": 40000,
        "definition": {
            "dataset": "tourism-visits",
            "measure": "sum",
            "column": "visitors",
            "by": "commune_code",
        },
    },
    {
        "code": "border-trucks-daily",
        "name": "Xe hàng qua cửa khẩu",
        "name_en": "Trucks through the gates",
        "unit": "xe",
        "sector": "border",
        "grain": "day",
        "owner": "BQL-KKT",
        "target": 2600,
        "warning_below": 1200,
        "critical_below": 400,
        "definition": {"dataset": "border-trucks", "measure": "sum", "column": "trucks"},
    },
    {
        "code": "air-pm25-daily",
        "name": "Bụi mịn PM2.5",
        "name_en": "PM2.5",
        "unit": "µg/m³",
        "sector": "environment",
        "grain": "day",
        "by_commune": True,
        "owner": "SO-NNMT",
        "direction": "down",
        "target": 25,
        "warning_above": 50,
        "critical_above": 75,
        "definition": {"dataset": "air-quality", "measure": "avg", "column": "pm25", "by": "commune_code"},
    },
]


def _tet_month(year: int) -> int:
    return LUNAR_NEW_YEAR[year].month


def tourism(start: date, end: date, rng: random.Random) -> list[dict[str, Any]]:
    rows = []
    month = date(start.year, start.month, 1)
    base = {
        "Động Tam Thanh": 30000,
        "Chợ Đông Kinh": 25000,
        "Khu du lịch Mẫu Sơn": 15000,
        "Ải Chi Lăng": 6000,
    }
    while month <= end:
        growth = 1.08 ** (month.year - 2023)
        season = 2.0 if month.month == _tet_month(month.year) else 1.5 if month.month in (6, 7, 8) else 1.0
        for site, commune in SITES:
            visitors = base[site] * growth * season * rng.uniform(0.9, 1.1)
            rows.append(
                {"month": month.isoformat(), "site": site, "commune_code": commune, "visitors": int(visitors)}
            )
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return rows


def trucks(start: date, end: date, rng: random.Random) -> list[dict[str, Any]]:
    rows = []
    day = start
    while day <= end:
        tet = LUNAR_NEW_YEAR[day.year]
        pause = 0.05 if -1 <= (day - tet).days <= 5 else 1.0  # gates nearly idle over Tết
        weekday = 0.6 if day.weekday() == 6 else 1.0
        for gate in GATES:
            for direction in ("xuất", "nhập"):
                fruit = 1.3 if direction == "xuất" and day.month in (5, 6, 7, 8) else 1.0
                n = GATE_SCALE[gate] * pause * weekday * fruit * rng.uniform(0.85, 1.15)
                rows.append({"date": day.isoformat(), "gate": gate, "direction": direction, "trucks": int(n)})
        day += timedelta(days=1)
    return rows


def air(start: date, end: date, rng: random.Random) -> list[dict[str, Any]]:
    rows = []
    day = start
    while day <= end:
        winter = 1 + 0.6 * math.cos(2 * math.pi * (day.timetuple().tm_yday - 15) / 365)  # peaks mid-January
        for station, commune in STATIONS:
            level = 22 * winter * rng.lognormvariate(0, 0.25)
            rows.append(
                {
                    "date": day.isoformat(),
                    "station": station,
                    "commune_code": commune,
                    "pm25": round(level, 1),
                }
            )
        day += timedelta(days=1)
    return rows


GENERATORS = {"tourism-visits": tourism, "border-trucks": trucks, "air-quality": air}


def generate(code: str, start: date, end: date, seed: int = 2025) -> list[dict[str, Any]]:
    if code not in GENERATORS:
        raise ValueError(f"unknown demo dataset {code!r}")
    if start > end:
        raise ValueError("start must not be after end")
    return GENERATORS[code](start, end, random.Random(f"{seed}:{code}"))  # noqa: S311 - demo data


def load(today: date, years: int = 3) -> dict[str, int]:
    """Declare the demo datasets and indicators, then feed month by month through ingestion.

    Batch ids are per month, so running it again stores nothing twice.
    """
    from langson.core.models import OrgUnit
    from langson.ioc.models import Dataset, Indicator, IngestionRun
    from langson.ioc.services import alerts, indicators
    from langson.ioc.services.ingestion import ingest

    start = date(today.year - years, today.month, 1)
    accepted = 0
    for spec in DATASETS:
        dataset = Dataset.objects.filter(code=spec["code"]).first() or Dataset.objects.create(
            **{**spec, "owner": OrgUnit.objects.get(code=spec["owner"])}
        )
        rows = generate(spec["code"], start, today)
        time_column = spec["schema"]["time_column"]
        by_month: dict[str, list[dict[str, Any]]] = {}
        for row in rows:
            by_month.setdefault(row[time_column][:7], []).append(row)
        for month, batch in sorted(by_month.items()):
            run = ingest(
                dataset,
                batch,
                source=IngestionRun.Source.PUSH,
                source_detail="demo",
                batch_key=f"demo:{spec['code']}:{month}",
            )
            accepted += run.rows_accepted
    for spec in INDICATORS:
        indicator = Indicator.objects.filter(code=spec["code"]).first() or Indicator.objects.create(
            **{**spec, "owner": OrgUnit.objects.get(code=spec["owner"])}
        )
        indicators.compute(indicator)
        alerts.evaluate_thresholds(indicator)
        alerts.evaluate_anomalies(indicator)
    return {"rows": accepted, "datasets": len(DATASETS), "indicators": len(INDICATORS)}


def load_demo() -> dict[str, int]:
    from django.utils import timezone

    return load(timezone.localdate())
