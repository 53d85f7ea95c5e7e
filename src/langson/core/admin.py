"""Django admin, scoped like the pages and the API: a person sees only their part of the tree."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from langson.core.models import (
    ApiToken,
    AuditEntry,
    CalendarOverride,
    OrgUnit,
    Schedule,
    User,
    WorkerHeartbeat,
    scope_path_of,
    scoped,
)
from langson.core.permissions import in_scope


class ScopedAdmin(admin.ModelAdmin):
    """Restricts the change list and every object view to the person's organisation scope."""

    scope_lookup = "path"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return scoped(super().get_queryset(request), request.user, self.scope_lookup)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_change_permission(request, obj) and (obj is None or in_scope(request.user, obj))

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_delete_permission(request, obj) and (obj is None or in_scope(request.user, obj))


@admin.register(OrgUnit)
class OrgUnitAdmin(ScopedAdmin):
    list_display = ("code", "name", "kind", "parent", "commune", "saturday_reception", "is_active")
    list_filter = ("kind", "saturday_reception", "is_active")
    search_fields = ("code", "name")
    readonly_fields = ("path", "created_at", "updated_at")
    autocomplete_fields = ("parent", "commune")


@admin.register(User)
class PersonAdmin(UserAdmin, ScopedAdmin):
    scope_lookup = "org_unit__path"
    list_display = ("username", "full_name", "role", "org_unit", "is_active", "last_login")
    list_filter = ("role", "is_active")
    search_fields = ("username", "full_name", "email")
    autocomplete_fields = ("org_unit",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Thông tin cá nhân"), {"fields": ("full_name", "email", "phone")}),
        (_("Vai trò và đơn vị"), {"fields": ("role", "org_unit", "is_active", "is_superuser")}),
        (_("Thời điểm"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2", "role", "org_unit")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return ScopedAdmin.get_queryset(self, request)


class ReadOnlyMixin:
    """For records only the platform writes (logs, outboxes, telemetry): people may look, never change."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ReadOnlyScopedAdmin(ReadOnlyMixin, ScopedAdmin):
    """Platform-written records seen within the person's organisation."""


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyScopedAdmin):
    """Read-only: the log is append-only."""

    scope_lookup = "scope_path"
    list_display = ("id", "at", "actor", "channel", "action", "model", "object_repr")
    list_filter = ("action", "channel", "model")
    search_fields = ("actor", "object_pk", "object_repr")
    readonly_fields = [f.name for f in AuditEntry._meta.fields]


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(ScopedAdmin):
    scope_lookup = "unit__path"
    list_display = ("date", "kind", "reason", "unit")
    list_filter = ("kind",)
    autocomplete_fields = ("unit",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        # Province-wide rows (no unit) are visible to everyone who may view overrides.
        qs = admin.ModelAdmin.get_queryset(self, request)
        scope = scope_path_of(request.user)
        if scope is None:
            return qs.none()
        if scope == "":
            return qs
        return qs.filter(unit__isnull=True) | qs.filter(unit__path__startswith=scope)


@admin.register(ApiToken)
class ApiTokenAdmin(ScopedAdmin):
    scope_lookup = "user__org_unit__path"
    list_display = ("name", "user", "prefix", "created_at", "expires_at", "last_used_at", "revoked")
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # keys are issued by `langson token create`, which shows the key once


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ("worker_id", "started_at", "seen_at")


@admin.register(Schedule)
class ScheduleAdmin(admin.ModelAdmin):
    list_display = ("name", "task_path", "interval_seconds", "next_run_at", "last_enqueued_at", "enabled")
