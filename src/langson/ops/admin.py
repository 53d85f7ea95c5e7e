"""Django admin of ops, scoped as the pages and the API are (``ops.uptime.access``). Checks, incidents and
rollups are written by the platform: read-only here. Systems are never deleted (their history stays):
deactivate them instead."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from langson.core.admin import ReadOnlyMixin
from langson.ops.models import Check, DailyRollup, Incident, MonitoredSystem
from langson.ops.uptime import access


@admin.register(MonitoredSystem)
class MonitoredSystemAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "owner",
        "kind",
        "state",
        "tls_level",
        "public",
        "active",
        "last_checked_at",
    )
    list_filter = ("kind", "state", "public", "active")
    search_fields = ("code", "name")
    readonly_fields = MonitoredSystem.MONITOR_FIELDS
    autocomplete_fields = ("owner",)
    list_select_related = ("owner",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return access.visible_systems(request.user)

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        return (*self.readonly_fields, "code") if obj is not None else self.readonly_fields

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if obj is None:
            return super().has_change_permission(request)
        return isinstance(obj, MonitoredSystem) and access.may_manage(request.user, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class MonitorRecordAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Platform-written records of the systems a person sees."""

    list_select_related = ("system",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).filter(system__in=access.visible_systems(request.user))


@admin.register(Check)
class CheckAdmin(MonitorRecordAdmin):
    list_display = ("at", "system", "family", "address", "ok", "latency_ms", "status_code", "detail")
    list_filter = ("ok", "family")
    search_fields = ("=system__code",)
    show_full_result_count = False


@admin.register(Incident)
class IncidentAdmin(MonitorRecordAdmin):
    list_display = ("system", "started_at", "ended_at", "cause")
    search_fields = ("=system__code",)


@admin.register(DailyRollup)
class DailyRollupAdmin(MonitorRecordAdmin):
    list_display = ("system", "day", "checks", "failed_checks", "monitored_seconds", "down_seconds")
    search_fields = ("=system__code",)
