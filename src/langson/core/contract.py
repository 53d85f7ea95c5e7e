"""The IOC contract: what an app publishes (indicators and events), without importing the IOC.

An app declares ``INDICATORS: list[IndicatorSpec]`` in its ``indicators.py``; the IOC discovers them at start,
keeps its catalog in step, computes the values on the declared rhythm and alerts on the thresholds. An app
emits events with :func:`emit` (e.g. ``dossier.overdue``); the IOC turns them into alerts, and resolves them
when the app says with :func:`clear` that the condition is over (e.g. the hồ sơ got its result).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.dispatch import Signal

# (period start, commune GSO code or "" for the whole province, value)
Value = tuple[date, str, float]

platform_event = Signal()  # sender: app label; kwargs: kind, title, unit_code, severity, payload
platform_event_cleared = Signal()  # sender: app label; kwargs: kind, key, reason


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name: str
    name_en: str
    unit: str
    sector: str
    grain: str  # day | week | month | year
    owner: str  # OrgUnit code
    compute: Callable[[], list[Value]]
    by_commune: bool = False
    target: float | None = None
    direction: str = "up"
    warning_above: float | None = None
    critical_above: float | None = None
    warning_below: float | None = None
    critical_below: float | None = None
    description: str = ""
    dimensions: tuple[str, ...] = field(default=())


def emit(
    app: str, kind: str, title: str, *, unit_code: str, severity: str = "warning", **payload: Any
) -> None:
    """Publish an event to whoever listens (the IOC): e.g. emit("services", "dossier.overdue", ...)."""
    platform_event.send(
        sender=app, kind=kind, title=title, unit_code=unit_code, severity=severity, payload=payload
    )


def clear(app: str, kind: str, *, key: str, reason: str = "") -> None:
    """The condition behind the events of this ``kind`` and ``key`` is over: their live alert is resolved."""
    platform_event_cleared.send(sender=app, kind=kind, key=key, reason=reason)
