"""Platform gauges read at scrape time from the database, so every web process reports the same truth."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from prometheus_client import REGISTRY
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

_registered = False


class PlatformCollector(Collector):
    def collect(self) -> Iterator[GaugeMetricFamily]:
        from django_tasks_db.models import DBTaskResult

        from langson.core.models import AuditEntry, WorkerHeartbeat

        queue = GaugeMetricFamily("langson_tasks", "Background tasks by status", labels=["status"])
        for status in ("READY", "RUNNING", "FAILED"):
            queue.add_metric([status.lower()], DBTaskResult.objects.filter(status=status).count())
        yield queue
        cutoff = timezone.now() - timedelta(seconds=settings.WORKER_STALE_SECONDS)
        yield GaugeMetricFamily(
            "langson_workers_alive",
            "Workers with a fresh heartbeat",
            value=WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).count(),
        )
        yield GaugeMetricFamily(
            "langson_audit_entries", "Entries in the audit log", value=AuditEntry.objects.count()
        )


def register_collectors() -> None:
    global _registered
    if not _registered:
        REGISTRY.register(PlatformCollector())
        _registered = True
