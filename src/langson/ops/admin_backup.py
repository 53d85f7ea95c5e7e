"""Read-only admin of backup runs and drills (only the platform writes them), for the same people as the
page (``backup.access``). Registered from ``setup_backup.register`` so the uptime part keeps its own room."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from langson.core.admin import ReadOnlyMixin
from langson.ops.backup import access
from langson.ops.models import BackupRun, DrillRun


class _BackupAdmin(ReadOnlyMixin, admin.ModelAdmin):
    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.may_view(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return access.may_view(request.user) or super().has_module_permission(request)


class BackupRunAdmin(_BackupAdmin):
    list_display = ("started_at", "target", "status", "trigger", "data_time", "snapshot_id", "bytes_total")
    list_filter = ("target", "status", "trigger")
    search_fields = ("snapshot_id", "error", "error_en")
    date_hierarchy = "started_at"


class DrillRunAdmin(_BackupAdmin):
    list_display = ("started_at", "target", "verified", "rpo_seconds", "rto_seconds", "snapshot_id")
    list_filter = ("target", "verified")
    search_fields = ("snapshot_id", "error", "error_en")
    date_hierarchy = "started_at"


def register() -> None:
    if not admin.site.is_registered(BackupRun):
        admin.site.register(BackupRun, BackupRunAdmin)
        admin.site.register(DrillRun, DrillRunAdmin)
