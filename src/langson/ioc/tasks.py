"""Background jobs of the IOC: recompute indicators after data arrives, evaluate alerts, lake upkeep."""

from __future__ import annotations

from django.db.models import Count
from django_tasks import task

from langson.ioc.models import Indicator
from langson.ioc.services import alerts, indicators


@task()
def recompute_for_dataset(dataset_code: str) -> dict[str, int]:
    """Idempotent: recomputes every period of the dataset's indicators, then checks their thresholds."""
    written = raised = 0
    for indicator in Indicator.objects.filter(definition__dataset=dataset_code):
        written += indicators.compute(indicator)
        raised += len(alerts.evaluate_thresholds(indicator)) + len(alerts.evaluate_anomalies(indicator))
    return {"values": written, "alerts": raised}


@task()
def pull_due_sources() -> int:
    """Pull every enabled source whose time has come; one failing source does not stop the others."""
    import logging

    from django.db.models import Q
    from django.utils import timezone

    from langson.ioc.models import PullSource
    from langson.ioc.services.pull import PullError, pull

    pulled = 0
    due = PullSource.objects.filter(enabled=True).filter(
        Q(next_pull_at__isnull=True) | Q(next_pull_at__lte=timezone.now())
    )
    for source in due.select_related("dataset"):
        try:
            pull(source)
            pulled += 1
        except PullError:
            logging.getLogger(__name__).exception("pull of %s failed", source)
    return pulled


@task()
def check_freshness() -> int:
    return len(alerts.check_freshness())


@task()
def lake_maintenance() -> dict[str, int]:
    """Compact busy partitions, drop raw rows past each dataset's retention, and remove orphans (files of
    batches whose transaction rolled back)."""
    from langson.ioc import lake
    from langson.ioc.models import Dataset, LakeFile

    compacted = 0
    busy = (
        LakeFile.objects.filter(replaced_by_compaction=False)
        .values("dataset", "partition")
        .annotate(files=Count("id"))
        .filter(files__gte=4)
    )
    for row in busy:
        if lake.compact(row["dataset"], row["partition"]):
            compacted += 1
    expired = 0
    for dataset in Dataset.objects.filter(retention_days__gt=0):
        expired += lake.apply_retention(dataset.code, indicators.retention_window(dataset))
    return {"compacted": compacted, "expired": expired, "orphans_removed": lake.remove_orphans()}


@task()
def compute_app_indicators() -> dict[str, int]:
    """Keep the catalog in step with the apps' declarations, compute them, check their thresholds."""
    from langson.ioc.services import contract

    declared = contract.discover()
    written = raised = 0
    for indicator in contract.sync_catalog():
        written += contract.compute_app_indicator(indicator, declared[indicator.code][1])
        raised += len(alerts.evaluate_thresholds(indicator))
    return {"indicators": len(declared), "values": written, "alerts": raised}
