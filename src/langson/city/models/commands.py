"""Commands sent to devices (a technician's or a rule's), and the live conditions the city's rules raised.

A command's life: ``pending`` (stored; waits for the device to fetch it over HTTP, or for the broker) →
``sent`` (published on ``langson/<device_id>/command`` and acknowledged by the broker, or fetched by the
device) → ``applied`` (the device reported the values it asked for) | ``failed`` (could not be delivered) |
``expired`` (not applied within its time limit).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from langson.core.models import AuditedModel


class Command(AuditedModel):
    """One command to one device. A person's command is audited when it is created (who asked, what);
    a rule's command names its rule and no person. The later changes of state are the platform's own
    bookkeeping (``audit_exclude``), saved with ``update_fields``."""

    class State(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENT = "sent", _("Đã gửi")
        APPLIED = "applied", _("Đã thực hiện")
        FAILED = "failed", _("Thất bại")
        EXPIRED = "expired", _("Hết hạn")

    OPEN_STATES = (State.PENDING, State.SENT)

    device = models.ForeignKey(
        "city.Device", verbose_name=_("thiết bị"), on_delete=models.CASCADE, related_name="commands"
    )
    payload = models.JSONField(
        _("nội dung lệnh"), help_text=_('Thuộc tính FIWARE, ví dụ {"powerState": "on", "dimmingLevel": 50}.')
    )
    rule = models.CharField(
        _("quy tắc gửi"), max_length=64, blank=True, help_text=_("Để trống nếu do người gửi.")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    applied_at = models.DateTimeField(_("thực hiện lúc"), null=True, blank=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    reason = models.CharField(_("ghi chú"), max_length=500, blank=True)

    # The platform's bookkeeping after creation, not a person's change.
    audit_exclude = ("state", "sent_at", "applied_at", "reason")

    class Meta:
        verbose_name = _("lệnh điều khiển")
        verbose_name_plural = _("lệnh điều khiển")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The open commands (few at any time): what the ingest path and the rules job look up.
            models.Index(
                fields=["device", "created_at"],
                name="city_command_open",
                condition=Q(state__in=["pending", "sent"]),
            )
        ]

    def __str__(self) -> str:
        return f"{self.device_id}: {self.payload} ({self.state})"

    def audit_scope_path(self) -> Any:
        return self.device.owner.path

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES


class RuleCondition(models.Model):
    """A condition a rule found on a device and reported to the IOC (e.g. a lamp on at 0 W), kept while it
    lasts, so the rules job raises an alert once when it begins and clears it once when it ends."""

    rule = models.CharField(_("quy tắc"), max_length=64)
    device_id = models.CharField(_("mã thiết bị"), max_length=64)
    severity = models.CharField(_("mức độ"), max_length=10)
    unit_code = models.CharField(_("đơn vị nhận cảnh báo"), max_length=40)
    value = models.FloatField(_("giá trị"), null=True, blank=True)
    since = models.DateTimeField(_("từ lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("tình trạng bất thường")
        verbose_name_plural = _("tình trạng bất thường")
        constraints = [models.UniqueConstraint(fields=["rule", "device_id"], name="city_condition_once")]

    def __str__(self) -> str:
        return f"{self.rule}:{self.device_id}"
