"""Raising and handling alerts. Threshold rules read the indicator's thresholds; each live condition has one
alert (dedup key), and the lifecycle is open → acknowledged → resolved with comments."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from langson.ioc.models import Alert, AlertComment, Indicator, IndicatorValue, Notification
from langson.ioc.services import notify
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
            alert = Alert.objects.create(**fields)
            notify.queue(alert, Notification.Event.OPENED)
            return alert
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
    values = IndicatorValue.objects.filter(indicator=indicator, period=latest)
    if indicator.definition.get("measure", "sum") in ("sum", "count"):
        # A province total's thresholds mean nothing for one commune's share; averages compare everywhere.
        values = values.filter(commune="")
    names = _commune_names()
    for value in values:
        status = status_of(indicator, value.value)
        if status not in ("warning", "critical"):
            continue
        place = f" — {names.get(value.commune, value.commune)}" if value.commune else ""
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


def _commune_names() -> dict[str, str]:
    from langson.core.models import OrgUnit

    return dict(OrgUnit.objects.filter(gso_code__isnull=False).values_list("code", "name"))


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
    notify.queue(alert, Notification.Event.ACKNOWLEDGED)
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
    notify.queue(alert, Notification.Event.RESOLVED)
    return alert


FRESHNESS_GRACE = 1.5  # a source is late when silent for 1.5 × its expected interval


def hours_silent(dataset: Any, now: Any) -> float:
    since = dataset.last_received_at or dataset.created_at
    return float((now - since).total_seconds() / 3600)


def is_late(dataset: Any, now: Any) -> bool:
    """A source is late when silent for FRESHNESS_GRACE × its expected interval."""
    return hours_silent(dataset, now) >= dataset.expected_every_hours * FRESHNESS_GRACE


def check_freshness(now: Any = None) -> list[Alert]:
    """A freshness alert per dataset whose data is late; it closes itself when data arrives."""
    from langson.ioc.models import Dataset

    now = now or timezone.now()
    raised = []
    for dataset in Dataset.objects.select_related("owner"):
        if not is_late(dataset, now):
            continue
        hours = hours_silent(dataset, now)
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


def _close(alerts: QuerySet[Alert]) -> int:
    """Resolve the live alerts of a condition that is over, as the system's action (no person, no comment)."""
    closed = 0
    for alert in alerts.exclude(state=Alert.State.RESOLVED):
        with transaction.atomic():
            alert.state = Alert.State.RESOLVED
            alert.resolved_at = timezone.now()
            alert.save()
            notify.queue(alert, Notification.Event.RESOLVED)
        closed += 1
    return closed


def close_event(kind: str, key: str) -> int:
    """An app says the condition of its event is over (``contract.clear``): its live alert is resolved."""
    return _close(Alert.objects.filter(kind=Alert.Kind.EVENT, dedup_key=f"event:{kind}:{key}"[:200]))


def close_freshness(dataset_id: int) -> int:
    """Data arrived: the lateness is over."""
    return _close(Alert.objects.filter(dataset_id=dataset_id, kind=Alert.Kind.FRESHNESS))


SEASON_LENGTH = {"day": 7, "week": 52, "month": 12, "year": 1}  # the cycle each grain repeats on


def evaluate_anomalies(indicator: Any, threshold: float = 3.5) -> list[Alert]:
    """An alert when the newest value of a series breaks from its own seasonal history (robust z-score)."""
    from langson.ioc.services.anomaly import detect_anomalies

    raised = []
    names = _commune_names()
    # order_by() first: the model's default ordering would otherwise make DISTINCT return every row.
    communes = (
        IndicatorValue.objects.filter(indicator=indicator)
        .order_by()
        .values_list("commune", flat=True)
        .distinct()
    )
    for commune in communes:
        history = list(
            IndicatorValue.objects.filter(indicator=indicator, commune=commune)
            .order_by("period")
            .values_list("period", "value")
        )
        # Only the newest point is judged, against a bounded window of its own past (8 cycles is plenty for a
        # robust seasonal baseline and keeps the cost flat as history grows).
        season = SEASON_LENGTH[indicator.grain]
        history = history[-(season * 8 + 1) :]
        if len(history) < 3:
            continue
        found = detect_anomalies([v for _, v in history], season, threshold=threshold)
        newest = [a for a in found if a.index == len(history) - 1]  # history was judged when it was new
        for anomaly in newest:
            period = history[anomaly.index][0]
            place = f" — {names.get(commune, commune)}" if commune else ""
            word = "cao bất thường" if anomaly.direction == "above" else "thấp bất thường"
            alert = raise_alert(
                kind=Alert.Kind.ANOMALY,
                severity=Alert.Severity.WARNING,
                indicator=indicator,
                unit=indicator.owner,
                period=period,
                commune=commune,
                value=anomaly.value,
                title=f"{indicator.name}{place} {word}: {_format(anomaly.value)} {indicator.unit} "
                f"({period:%d/%m/%Y})",
                detail=f"Mức thường gặp theo mùa: {_format(anomaly.expected)}; "
                f"độ lệch chuẩn hóa {anomaly.score:+.1f}",
                dedup_key=f"anomaly:{indicator.code}:{commune}:{period.isoformat()}",
            )
            if alert:
                raised.append(alert)
    return raised
