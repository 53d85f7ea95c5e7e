"""The IOC side of the contract: discover the apps' indicators, compute them, turn app events into alerts."""

from __future__ import annotations

import importlib
import logging
from typing import Any

from django.apps import apps
from django.db import transaction

from langson.core.contract import IndicatorSpec
from langson.core.models import OrgUnit
from langson.ioc.models import Alert, Indicator
from langson.ioc.services.indicators import store_values

logger = logging.getLogger(__name__)


def discover() -> dict[str, tuple[str, IndicatorSpec]]:
    """code → (app label, spec) for every installed app that has an indicators.py."""
    found: dict[str, tuple[str, IndicatorSpec]] = {}
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.indicators")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.indicators":
                raise
            continue
        for spec in getattr(module, "INDICATORS", []):
            found[spec.code] = (config.label, spec)
    return found


def sync_catalog() -> list[Indicator]:
    """Create or update catalog rows from the declarations (the declaration is the source of truth)."""
    synced = []
    for code, (app, spec) in discover().items():
        values = {
            "name": spec.name,
            "name_en": spec.name_en,
            "unit": spec.unit,
            "sector": spec.sector,
            "grain": spec.grain,
            "by_commune": spec.by_commune,
            "owner": OrgUnit.objects.get(code=spec.owner),
            "direction": spec.direction,
            "target": spec.target,
            "warning_above": spec.warning_above,
            "critical_above": spec.critical_above,
            "warning_below": spec.warning_below,
            "critical_below": spec.critical_below,
            "description": spec.description,
            "definition": {"source": "app", "app": app},
        }
        indicator = Indicator.objects.filter(code=code).first()
        if indicator is None:
            indicator = Indicator.objects.create(code=code, **values)
        elif any(getattr(indicator, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(indicator, key, value)
            indicator.save()
        synced.append(indicator)
    return synced


@transaction.atomic
def compute_app_indicator(indicator: Indicator, spec: IndicatorSpec) -> int:
    return store_values(indicator, spec.compute())


def on_platform_event(
    sender: str,
    kind: str,
    title: str,
    unit_code: str,
    severity: str = "warning",
    payload: dict[str, Any] | None = None,
    **kwargs: Any,
) -> None:
    from langson.ioc.services.alerts import raise_alert

    unit = OrgUnit.objects.filter(code=unit_code).first()
    if unit is None:
        logger.error("event %s from %s names unknown unit %s", kind, sender, unit_code)
        return
    key = (payload or {}).get("key", title)
    raise_alert(
        kind=Alert.Kind.EVENT,
        severity=severity if severity in Alert.Severity.values else "warning",
        title=title[:300],
        detail=f"{sender}: {kind}",
        unit=unit,
        dedup_key=f"event:{kind}:{key}"[:200],
    )


def on_platform_event_cleared(sender: str, kind: str, key: str, reason: str = "", **kwargs: Any) -> None:
    from langson.ioc.services.alerts import close_event

    close_event(kind, key)
