"""The plain data a report is rendered from; the caller fills it from the database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

STATUS_OK = "ok"
STATUS_WARNING = "warning"
STATUS_CRITICAL = "critical"
STATUS_UNKNOWN = "unknown"
STATUSES: tuple[str, ...] = (STATUS_OK, STATUS_WARNING, STATUS_CRITICAL, STATUS_UNKNOWN)


@dataclass(frozen=True)
class IndicatorLine:
    """One indicator of the period.

    ``sector`` is a sector code of ``Indicator.Sector`` (shown with its Vietnamese label) or any free text.
    ``history`` holds the last periods, oldest first; ``None`` marks a period without data.
    """

    code: str
    name: str
    unit: str
    sector: str
    value: float | None
    previous: float | None
    target: float | None
    status: str  # "ok" | "warning" | "critical" | "unknown"
    history: Sequence[float | None]


@dataclass(frozen=True)
class AlertLine:
    """One alert of the period; ``severity`` and ``state`` are codes of ``Alert`` or free text."""

    opened_at: datetime
    indicator: str
    severity: str
    title: str
    state: str


@dataclass(frozen=True)
class ReportData:
    """A weekly or monthly report. Naive datetimes are taken as Vietnam time (UTC+7)."""

    title: str
    period_label: str
    generated_at: datetime
    indicators: Sequence[IndicatorLine]
    alerts: Sequence[AlertLine]
    notes: Sequence[str] = ()
