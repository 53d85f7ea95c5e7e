"""A living demo for `make run`: the generated Lạng Sơn series of `langson.ioc.demo` fed through the
ingestion path (never written into tables directly), and the indicators leaders see on the overview.
Magnitudes are estimates for a plausible picture, not official statistics (see `ioc/demo.py`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from langson.ioc import demo

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
    {
        "code": "school-attendance-rate",
        "name": "Tỷ lệ học sinh đi học",
        "name_en": "School attendance rate",
        "unit": "tỷ lệ",
        "sector": "education",
        "grain": "week",
        "by_commune": True,
        "owner": "SO-GDDT",
        "target": 0.97,
        "warning_below": 0.9,
        "critical_below": 0.8,
        "definition": {
            "dataset": "school-attendance",
            "measure": "avg",
            "column": "rate",
            "by": "commune_code",
        },
    },
    {
        "code": "health-outpatient-weekly",
        "name": "Lượt khám tại trạm y tế",
        "name_en": "Health station visits",
        "unit": "lượt",
        "sector": "health",
        "grain": "week",
        "by_commune": True,
        "owner": "SO-YT",
        "definition": {
            "dataset": "health-visits",
            "measure": "sum",
            "column": "visits",
            "by": "commune_code",
        },
    },
]


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
    for spec in demo.DEMO_DATASETS:
        dataset = Dataset.objects.filter(code=spec["code"]).first() or Dataset.objects.create(
            **{**spec, "owner": OrgUnit.objects.get(code=spec["owner"])}
        )
        rows = demo.generate(spec["code"], start, today)
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
    return {"rows": accepted, "datasets": len(demo.DEMO_DATASETS), "indicators": len(INDICATORS)}


def load_demo() -> dict[str, int]:
    from django.utils import timezone

    return load(timezone.localdate())
