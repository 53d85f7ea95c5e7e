"""Indicator values from datasets: one Ibis expression per indicator over the lake (DuckDB here), stored
per period and commune so dashboards read small tables and never scan raw rows."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import ibis
from django.db import transaction

from langson.ioc.models import Dataset, Indicator, IndicatorValue

TRUNCATE_UNITS = {"day": "D", "week": "W", "month": "M", "year": "Y"}
LOCAL_OFFSET_HOURS = 7  # Vietnam keeps UTC+7 all year (no daylight saving), so a fixed shift is exact


def _measure(column: Any, measure: str) -> Any:
    if measure == "sum":
        return column.sum()
    if measure == "avg":
        return column.mean()
    if measure == "min":
        return column.min()
    if measure == "max":
        return column.max()
    if measure == "count":
        return column.count()
    raise ValueError(f"unknown measure {measure!r}")


def compute_expression(indicator: Indicator) -> tuple[Any, Any] | None:
    """(by-commune expression or None, province expression) for a computed indicator."""
    from langson.ioc.lake import scan

    definition = indicator.definition
    dataset = Dataset.objects.get(code=definition["dataset"])
    table = scan(dataset.code)
    if table is None:
        return None
    time_column = dataset.schema["time_column"]
    kind = next(c["type"] for c in dataset.schema["columns"] if c["name"] == time_column)
    moment = table[time_column]
    if kind == "datetime":
        moment = (moment + ibis.interval(hours=LOCAL_OFFSET_HOURS)).cast("date")
    period = moment.truncate(TRUNCATE_UNITS[indicator.grain]).cast("date").name("period")
    value = _measure(table[definition.get("column", time_column)], definition.get("measure", "sum")).name(
        "value"
    )
    province = table.group_by(period).aggregate(value)
    by = definition.get("by")
    by_commune = None
    if indicator.by_commune and by:
        by_commune = table.group_by([period, table[by].cast("string").name("commune")]).aggregate(value)
    return by_commune, province


@transaction.atomic
def compute(indicator: Indicator) -> int:
    """Recompute every period of a computed indicator; returns the number of values written."""
    expressions = compute_expression(indicator)
    if expressions is None:
        return 0
    by_commune, province = expressions
    rows: list[tuple[date, str, float]] = [
        (r["period"], "", float(r["value"]))
        for r in province.to_pyarrow().to_pylist()
        if r["value"] is not None
    ]
    if by_commune is not None:
        rows += [
            (r["period"], r["commune"], float(r["value"]))
            for r in by_commune.to_pyarrow().to_pylist()
            if r["value"] is not None
        ]
    return store_values(indicator, rows)


def store_values(indicator: Indicator, rows: list[tuple[date, str, float]]) -> int:
    """Insert or update values by (period, commune): recomputing a period replaces it, never duplicates it."""
    IndicatorValue.objects.bulk_create(
        [IndicatorValue(indicator=indicator, period=p, commune=c, value=v) for p, c, v in rows],
        update_conflicts=True,
        unique_fields=["indicator", "period", "commune"],
        update_fields=["value", "updated_at"],
    )
    return len(rows)


def status_of(indicator: Indicator, value: float | None) -> str:
    """ok | warning | critical | unknown, from the indicator's thresholds."""
    if value is None:
        return "unknown"
    if (indicator.critical_below is not None and value < indicator.critical_below) or (
        indicator.critical_above is not None and value > indicator.critical_above
    ):
        return "critical"
    if (indicator.warning_below is not None and value < indicator.warning_below) or (
        indicator.warning_above is not None and value > indicator.warning_above
    ):
        return "warning"
    return "ok"


def series(indicator: Indicator, commune: str = "") -> list[tuple[date, float]]:
    return list(
        IndicatorValue.objects.filter(indicator=indicator, commune=commune)
        .order_by("period")
        .values_list("period", "value")
    )


def period_start(day: date, grain: str) -> date:
    if grain == "week":
        return day - timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    if grain == "year":
        return day.replace(month=1, day=1)
    return day


def retention_window(dataset: Dataset, today: date | None = None) -> int:
    """Days of raw rows to keep: the dataset's retention, stretched back to the start of the period of its
    coarsest indicator, so that no period is left half in the lake. Periods wholly dropped keep their stored
    values (recomputing upserts only the periods it finds), and a period still open stays whole."""
    from django.utils import timezone

    today = today or timezone.localdate()
    cutoff = today - timedelta(days=dataset.retention_days)
    for indicator in Indicator.objects.filter(definition__dataset=dataset.code):
        cutoff = period_start(cutoff, indicator.definition.get("grain") or indicator.grain)
    return (today - cutoff).days
