"""Django admin of the IOC: datasets and pull sources (declared by operators), where alerts are announced
(targets) and what was sent (the read-only outbox)."""

from __future__ import annotations

import urllib.parse
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import ForeignKey, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from langson.core.admin import ReadOnlyScopedAdmin, ScopedAdmin
from langson.core.models import OrgUnit
from langson.ioc.lake.common import check_dataset
from langson.ioc.models import Dataset, Notification, NotificationTarget, PullSource
from langson.ioc.services.notify import recipients
from langson.ioc.services.validation import SchemaError, check_schema


class NotificationTargetForm(forms.ModelForm):
    class Meta:
        model = NotificationTarget
        fields = ("name", "channel", "address", "unit", "min_severity", "sector", "secret", "enabled")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        channel, address = data.get("channel"), (data.get("address") or "").strip()
        if channel == NotificationTarget.Channel.EMAIL and address:
            addresses = recipients(address)
            try:
                for recipient in addresses:
                    validate_email(recipient)
            except ValidationError:
                self.add_error(
                    "address", _("Địa chỉ thư điện tử không hợp lệ (nhiều địa chỉ cách nhau bởi dấu phẩy).")
                )
            data["address"] = ", ".join(addresses)
        elif channel == NotificationTarget.Channel.WEBHOOK and address:
            parsed = urllib.parse.urlparse(address)
            if parsed.scheme not in ("http", "https") or not parsed.netloc:
                self.add_error("address", _("Địa chỉ webhook phải bắt đầu bằng http:// hoặc https://."))
            data["address"] = address
        return data


class OwnUnitsOnly(ScopedAdmin):
    """A person can only give a record to a unit of their own part of the tree."""

    unit_fields: tuple[str, ...] = ("unit",)

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.name in self.unit_fields:
            kwargs["queryset"] = OrgUnit.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(NotificationTarget)
class NotificationTargetAdmin(OwnUnitsOnly):
    scope_lookup = "unit__path"
    form = NotificationTargetForm
    list_display = ("name", "channel", "address", "unit", "min_severity", "sector", "enabled")
    list_filter = ("channel", "enabled", "min_severity", "sector")
    search_fields = ("name", "address")
    autocomplete_fields = ("unit",)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyScopedAdmin):
    """Read-only: the outbox is written by alert events and the worker."""

    scope_lookup = "target__unit__path"
    list_display = ("id", "alert", "target", "event", "status", "attempts", "next_attempt_at", "sent_at")
    list_filter = ("status", "event", "target__channel")
    search_fields = ("alert__title", "target__name", "last_error")
    readonly_fields = [f.name for f in Notification._meta.fields]
    list_select_related = ("alert", "target")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).select_related("alert", "target")


class DatasetForm(forms.ModelForm):
    """A dataset's schema is checked before it is saved: a broken schema would refuse every batch later."""

    class Meta:
        model = Dataset
        fields = ("code", "name", "name_en", "owner", "schema", "expected_every_hours", "retention_days")

    def clean_code(self) -> str:
        code = str(self.cleaned_data.get("code") or "")
        try:
            check_dataset(code)
        except ValueError as exc:
            raise ValidationError(
                _("Mã gồm chữ, số, dấu - và _, bắt đầu bằng chữ hoặc số (tối đa 60 ký tự).")
            ) from exc
        if self.instance.pk and code != self.instance.code:
            # The code names the dataset's folder in the lake and its indicators' source.
            raise ValidationError(_("Không đổi mã của bộ dữ liệu đã có."))
        return code

    def clean_schema(self) -> Any:
        schema = self.cleaned_data.get("schema")
        if not isinstance(schema, dict):
            raise ValidationError(_("Lược đồ phải là một đối tượng JSON."))
        try:
            check_schema(schema)
        except SchemaError as exc:
            raise ValidationError(exc.vi) from exc
        if not schema.get("time_column"):
            raise ValidationError(_("Lược đồ cần cột thời gian (time_column) để chia dữ liệu theo ngày."))
        return schema


@admin.register(Dataset)
class DatasetAdmin(OwnUnitsOnly):
    scope_lookup = "owner__path"
    unit_fields = ("owner",)
    form = DatasetForm
    list_display = ("code", "name", "owner", "expected_every_hours", "retention_days", "last_received_at")
    search_fields = ("code", "name")
    autocomplete_fields = ("owner",)


@admin.register(PullSource)
class PullSourceAdmin(ScopedAdmin):
    scope_lookup = "dataset__owner__path"
    list_display = ("dataset", "url", "interval_minutes", "enabled", "next_pull_at")
    list_filter = ("enabled",)
    readonly_fields = ("last_cursor", "next_pull_at")
