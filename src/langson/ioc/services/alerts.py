"""Raising and handling alerts. Threshold rules read the indicator's thresholds; each live condition has one
alert (dedup key), and the lifecycle is open → acknowledged → resolved with comments."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from langson.ioc.models import Alert, AlertComment, Indicator, IndicatorValue
from langson.ioc.services.indicators import status_of


class TransitionError(ValueError):
    def __init__(self, vi: str, en: str) -> None:
        super().__init__(f"{vi} / {en}")
        self.vi = vi
        self.en = en


def _format(value: float) -> str:
    return f"{value:,.1f}".replace(",", "\u202f").replace(".", ",").replace("\u202f", ".")


def raise_alert(**fields: Any) -> Alert | None:
    """Create the alert unless the same condition already has a live one (then None)."""
    if Alert.objects.filter(dedup_key=fields["dedup_key"]).exclude(state=Alert.State.RESOLVED).exists():
        return None
    try:
        with transaction.atomic():
            return Alert.objects.create(**fields)
    except IntegrityError:
        return None  # raised concurrently by another worker


def evaluate_thresholds(indicator: Indicator) -> list[Alert]:
    """Check the latest period's values (province and each commune) against the thresholds."""
    latest = (
        IndicatorValue.objects.filter(indicator=indicator)
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    if latest is None:
        return []
    raised = []
    for value in IndicatorValue.objects.filter(indicator=indicator, period=latest):
        status = status_of(indicator, value.value)
        if status not in ("warning", "critical"):
            continue
        place = f" — xã/phường {value.commune}" if value.commune else ""
        alert = raise_alert(
            kind=Alert.Kind.THRESHOLD,
            severity=status,
            indicator=indicator,
            unit=indicator.owner,
            period=value.period,
            commune=value.commune,
            value=value.value,
            title=f"{indicator.name}{place}: {_format(value.value)} {indicator.unit} "
            f"({value.period:%d/%m/%Y})",
            detail=_threshold_detail(indicator),
            dedup_key=f"threshold:{indicator.code}:{value.commune}:{value.period.isoformat()}",
        )
        if alert:
            raised.append(alert)
    return raised


def _threshold_detail(indicator: Indicator) -> str:
    parts = []
    for label, bound in (
        ("nghiêm trọng khi dưới", indicator.critical_below),
        ("cảnh báo khi dưới", indicator.warning_below),
        ("cảnh báo khi trên", indicator.warning_above),
        ("nghiêm trọng khi trên", indicator.critical_above),
    ):
        if bound is not None:
            parts.append(f"{label} {_format(bound)}")
    return "Ngưỡng: " + "; ".join(parts) if parts else ""


@transaction.atomic
def acknowledge(alert: Alert, user: Any, comment: str = "") -> Alert:
    if alert.state != Alert.State.OPEN:
        raise TransitionError("Chỉ tiếp nhận được cảnh báo mới.", "Only an open alert can be acknowledged.")
    alert.state = Alert.State.ACKNOWLEDGED
    alert.acknowledged_at = timezone.now()
    alert.assignee = alert.assignee or user
    alert.save()
    if comment:
        AlertComment.objects.create(alert=alert, author=user, text=comment)
    return alert


@transaction.atomic
def resolve(alert: Alert, user: Any, comment: str) -> Alert:
    if alert.state == Alert.State.RESOLVED:
        raise TransitionError("Cảnh báo đã được xử lý.", "The alert is already resolved.")
    if not comment.strip():
        raise TransitionError("Cần ghi nội dung xử lý.", "A resolution comment is required.")
    alert.state = Alert.State.RESOLVED
    alert.resolved_at = timezone.now()
    alert.save()
    AlertComment.objects.create(alert=alert, author=user, text=comment.strip())
    return alert


FRESHNESS_GRACE = 1.5  # a source is late when silent for 1.5 × its expected interval


def check_freshness(now: Any = None) -> list[Alert]:
    """A freshness alert per dataset whose data is late; it closes itself when data arrives."""
    from langson.ioc.models import Dataset

    now = now or timezone.now()
    raised = []
    for dataset in Dataset.objects.select_related("owner"):
        since = dataset.last_received_at or dataset.created_at
        hours = (now - since).total_seconds() / 3600
        if hours < dataset.expected_every_hours * FRESHNESS_GRACE:
            continue
        alert = raise_alert(
            kind=Alert.Kind.FRESHNESS,
            severity=Alert.Severity.WARNING,
            dataset=dataset,
            unit=dataset.owner,
            title=f"Dữ liệu trễ: {dataset.name} chưa cập nhật {hours:.0f} giờ "
            f"(dự kiến mỗi {dataset.expected_every_hours} giờ)",
            dedup_key=f"freshness:{dataset.code}",
        )
        if alert:
            raised.append(alert)
    return raised


def close_freshness(dataset_id: int) -> int:
    """Data arrived: the lateness is over (recorded as the system's action)."""
    closed = 0
    for alert in Alert.objects.filter(dataset_id=dataset_id, kind=Alert.Kind.FRESHNESS).exclude(
        state=Alert.State.RESOLVED
    ):
        alert.state = Alert.State.RESOLVED
        alert.resolved_at = timezone.now()
        alert.save()
        closed += 1
    return closed
