"""Django admin of the city, scoped as the pages and the API are (``city.registry``): operators and
administrators only (decision 0004). Device secrets are never edited here: they are made and shown once by
the device pages and the API; the hash is not even displayed."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from langson.city import registry
from langson.city.models import Command, DeadLetter, Device, LatestValue, Reading
from langson.core.admin import ReadOnlyMixin


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = ("device_id", "name", "type", "commune", "owner", "active", "last_seen_at")
    list_filter = ("type", "active")
    search_fields = ("device_id", "name")
    exclude = ("secret_hash",)
    readonly_fields = ("last_seen_at",)
    raw_id_fields = ("parent",)
    list_select_related = ("commune", "owner")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return registry.visible_devices(request.user)

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        # The id names the device's MQTT account and topics: fixed once created.
        return (*self.readonly_fields, "device_id") if obj is not None else self.readonly_fields

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if obj is None:
            return super().has_change_permission(request)
        return isinstance(obj, Device) and registry.may_manage(request.user, obj, registry.CHANGE)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # deactivate instead: readings and commands keep naming the device


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Records the platform writes (telemetry, dead letters, commands' states): look, never change."""


@admin.register(Command)
class CommandAdmin(ReadOnlyAdmin):
    list_display = ("device", "payload", "state", "rule", "requested_by", "created_at", "applied_at")
    list_filter = ("state",)
    search_fields = ("device__device_id", "rule")
    list_select_related = ("device", "requested_by")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).filter(device__in=registry.visible_devices(request.user))


class TelemetryAdmin(ReadOnlyAdmin):
    show_full_result_count = False  # millions of rows: no COUNT(*) per page

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        visible = registry.visible_devices(request.user).values("device_id")
        return super().get_queryset(request).filter(device_id__in=visible)


@admin.register(LatestValue)
class LatestValueAdmin(TelemetryAdmin):
    list_display = ("device_id", "attribute", "value", "text", "observed_at")
    search_fields = ("=device_id",)


@admin.register(Reading)
class ReadingAdmin(TelemetryAdmin):
    list_display = ("device_id", "attribute", "value", "text", "observed_at", "received_at")
    search_fields = ("=device_id",)


@admin.register(DeadLetter)
class DeadLetterAdmin(ReadOnlyAdmin):
    """Rejected messages with their reasons; a message of an unknown device names no owner, so only the
    province's people (whose scope is everything) see them all, the others those of their devices."""

    list_display = ("received_at", "channel", "device_id", "topic", "reason")
    list_filter = ("channel",)
    search_fields = ("=device_id",)
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if not request.user.has_perm(registry.VIEW):
            return queryset.none()
        from langson.core.models import scope_path_of

        if scope_path_of(request.user) == "":
            return queryset
        visible = registry.visible_devices(request.user).values("device_id")
        return queryset.filter(device_id__in=visible)
