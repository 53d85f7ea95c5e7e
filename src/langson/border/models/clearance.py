"""Truck clearance at the border gates (thông quan xe hàng): each truck's passage and its timed events.

A ``TruckVisit`` is one passage of one truck through one gate, keyed by the gate and the visit reference (the
pre-arrival registration number or the yard's ticket), since the same truck comes back many times. Its events
(``TruckEvent``) are stored as they arrive, in any order, once each; the visit keeps the stage times and
the durations derived from them (``border.clearance.summarise``) so that figures are plain queries. Every
arrival of events is a ``ClearanceBatch`` (audited: who sent what), and the rows it refused are kept with
their reasons.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from langson.core.models import AuditedModel, OrgUnit


class ClearanceBatch(AuditedModel):
    """One arrival of truck events: a JSON batch of the API, a CSV file, or an officer's entry on the page."""

    class Source(models.TextChoices):
        API = "api", _("API")
        CSV = "csv", _("Tệp CSV")
        MANUAL = "manual", _("Nhập tay")

    audit_exclude = ("days",)  # bookkeeping for the IOC's recomputation, not a person's change

    source = models.CharField(_("nguồn"), max_length=10, choices=Source.choices)
    file_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    received = models.PositiveIntegerField(_("số dòng nhận"), default=0)
    stored = models.PositiveIntegerField(_("số sự kiện mới"), default=0)
    duplicates = models.PositiveIntegerField(_("số sự kiện trùng"), default=0)
    rejected = models.PositiveIntegerField(_("số dòng bị loại"), default=0)
    # Local dates (YYYY-MM-DD) whose daily figures this batch may have changed: the IOC recomputes them.
    days = models.JSONField(_("ngày bị ảnh hưởng"), default=list, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("nhận lúc"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("lô sự kiện xe")
        verbose_name_plural = _("lô sự kiện xe")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_source_display()} {self.file_name}".strip()

    def audit_scope_path(self) -> str:
        user = self.recorded_by
        unit = getattr(user, "org_unit", None) if user is not None else None
        return unit.path if unit is not None else ""


class TruckVisit(models.Model):
    """One passage of one truck through one gate. The times and minutes are derived from the events
    (recomputed whenever one arrives); ``flags`` lists impossible sequences found in them."""

    class Channel(models.TextChoices):
        GREEN = "green", _("Luồng xanh")
        YELLOW = "yellow", _("Luồng vàng")
        RED = "red", _("Luồng đỏ")

    gate = models.ForeignKey(
        OrgUnit,
        verbose_name=_("cửa khẩu"),
        on_delete=models.PROTECT,
        limit_choices_to={"kind": OrgUnit.Kind.BORDER_GATE},
        related_name="+",
    )
    reference = models.CharField(_("mã lượt xe"), max_length=60)
    plate = models.CharField(_("biển số"), max_length=20, db_index=True)
    pre_registered_at = models.DateTimeField(_("khai báo trước lúc"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("vào bãi lúc"), null=True, blank=True)
    gated_in_at = models.DateTimeField(_("vào cổng lúc"), null=True, blank=True)
    released_at = models.DateTimeField(_("thông quan lúc"), null=True, blank=True)
    gated_out_at = models.DateTimeField(_("ra cổng lúc"), null=True, blank=True)
    channel = models.CharField(_("phân luồng"), max_length=6, choices=Channel.choices, blank=True)
    clearance_minutes = models.FloatField(_("thời gian thông quan (phút)"), null=True, blank=True)
    from_registration_minutes = models.FloatField(_("tính từ khai báo trước (phút)"), null=True, blank=True)
    yard_wait_minutes = models.FloatField(_("chờ trong bãi (phút)"), null=True, blank=True)
    inspection_minutes = models.FloatField(_("kiểm tra (phút)"), null=True, blank=True)
    exit_minutes = models.FloatField(_("ra cửa khẩu (phút)"), null=True, blank=True)
    flags = models.JSONField(_("bất thường"), default=list, blank=True)  # [{"code", "params"}]
    slow_alert = models.BooleanField(_("đang cảnh báo chậm"), default=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("lượt xe qua cửa khẩu")
        verbose_name_plural = _("lượt xe qua cửa khẩu")
        ordering = ["gate", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["gate", "reference"], name="one_truck_visit_per_reference"),
        ]
        indexes = [
            models.Index(fields=["gate", "gated_out_at"], name="border_visit_gate_out"),
            models.Index(fields=["gate", "arrived_at"], name="border_visit_gate_arrival"),
            # The yard and the alerts look at the few visits not out yet among years of history.
            models.Index(
                fields=["gate", "arrived_at"],
                condition=models.Q(gated_out_at__isnull=True),
                name="border_visit_not_out",
            ),
            models.Index(fields=["gate"], condition=models.Q(slow_alert=True), name="border_visit_slow"),
        ]

    def __str__(self) -> str:
        return f"{self.plate} ({self.reference})"

    def audit_scope_path(self) -> str:
        return self.gate.path


class TruckEvent(models.Model):
    """One timed event of a visit, as sent. The same event (visit, kind, time, channel) is stored once."""

    class Kind(models.TextChoices):
        PRE_ARRIVAL = "pre_arrival", _("Khai báo trước")
        ARRIVAL = "arrival", _("Vào bãi")
        GATE_IN = "gate_in", _("Vào cổng")
        CHANNEL = "channel", _("Phân luồng")
        RELEASE = "release", _("Thông quan")
        GATE_OUT = "gate_out", _("Ra cổng")

    visit = models.ForeignKey(
        TruckVisit, verbose_name=_("lượt xe"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("sự kiện"), max_length=12, choices=Kind.choices)
    at = models.DateTimeField(_("thời điểm"))
    channel = models.CharField(
        _("luồng"), max_length=6, choices=TruckVisit.Channel.choices, blank=True, default=""
    )
    source = models.CharField(_("nguồn"), max_length=10, choices=ClearanceBatch.Source.choices)
    note = models.CharField(_("ghi chú"), max_length=200, blank=True)
    batch = models.ForeignKey(
        ClearanceBatch, verbose_name=_("lô"), on_delete=models.PROTECT, related_name="events"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("sự kiện xe")
        verbose_name_plural = _("sự kiện xe")
        ordering = ["visit", "at", "id"]
        constraints = [
            # Idempotent ingestion: a resent event is recognised by the database, even under concurrency.
            models.UniqueConstraint(fields=["visit", "kind", "at", "channel"], name="one_truck_event"),
        ]

    def __str__(self) -> str:
        return f"{self.visit} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class RejectedTruckRow(models.Model):
    """A row a batch refused, kept as it was sent with its reasons, so that the sender can fix and resend."""

    batch = models.ForeignKey(
        ClearanceBatch, verbose_name=_("lô"), on_delete=models.CASCADE, related_name="rejected_rows"
    )
    row_number = models.PositiveIntegerField(_("dòng số"))
    data = models.JSONField(_("dữ liệu"))
    reasons = models.JSONField(_("lý do"))  # [{"field", "code", "params", "message"}]

    class Meta:
        verbose_name = _("dòng sự kiện bị loại")
        verbose_name_plural = _("dòng sự kiện bị loại")
        ordering = ["batch", "row_number"]

    def __str__(self) -> str:
        return f"{self.batch} dòng {self.row_number}"
