"""IOC data hub: datasets and their ingestion runs, quarantine, the lake manifest, indicators and alerts."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from langson.core.models import AuditedModel, OrgUnit


class Dataset(AuditedModel):
    """A declared table the IOC accepts: its schema (columns, types, ranges, code lists), owner and rhythm.

    ``schema`` = {"columns": [{"name", "type", "required", "min", "max", "choices"}], "key": [...],
    "time_column": "..."}; types: integer, number, string, date, datetime, boolean, commune (a GSO code of
    one of Lạng Sơn's 65 units).
    """

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=200, blank=True)
    owner = models.ForeignKey(OrgUnit, verbose_name=_("đơn vị chủ quản"), on_delete=models.PROTECT)
    schema = models.JSONField(_("lược đồ"))
    expected_every_hours = models.PositiveIntegerField(_("tần suất cập nhật dự kiến (giờ)"), default=24)
    last_received_at = models.DateTimeField(_("nhận dữ liệu lần cuối"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    audit_exclude = ("last_received_at", "created_at")

    class Meta:
        ordering = ["code"]
        verbose_name = _("bộ dữ liệu")
        verbose_name_plural = _("bộ dữ liệu")

    def __str__(self) -> str:
        return self.name

    def audit_scope_path(self) -> str:
        return self.owner.path if self.owner_id else ""


class IngestionRun(models.Model):
    """One arrival of data: who sent what, how many rows were accepted and rejected, how long it took."""

    class Source(models.TextChoices):
        UPLOAD = "upload", _("Tải tệp lên")
        PUSH = "push", _("Hệ thống ngoài gửi")
        PULL = "pull", _("Kéo định kỳ")
        APP = "app", _("Phân hệ nội bộ")

    class Status(models.TextChoices):
        RUNNING = "running", _("Đang nhận")
        DONE = "done", _("Hoàn tất")
        DUPLICATE = "duplicate", _("Lô trùng, bỏ qua")
        FAILED = "failed", _("Lỗi")

    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="runs")
    source = models.CharField(_("nguồn"), max_length=10, choices=Source.choices)
    source_detail = models.CharField(_("chi tiết nguồn"), max_length=300, blank=True)
    batch_key = models.CharField(_("mã lô"), max_length=128)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    rows_received = models.PositiveIntegerField(_("số dòng nhận"), default=0)
    rows_accepted = models.PositiveIntegerField(_("số dòng hợp lệ"), default=0)
    rows_rejected = models.PositiveIntegerField(_("số dòng bị loại"), default=0)
    started_at = models.DateTimeField(_("bắt đầu"), auto_now_add=True)
    duration_ms = models.PositiveIntegerField(_("thời gian (ms)"), default=0)
    error = models.TextField(_("lỗi"), blank=True)
    started_by = models.ForeignKey(
        "core.User", verbose_name=_("người gửi"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-id"]
        verbose_name = _("lần nhận dữ liệu")
        verbose_name_plural = _("lần nhận dữ liệu")
        constraints = [
            # The same batch twice is recognised and not stored again.
            models.UniqueConstraint(
                fields=["dataset", "batch_key"],
                condition=models.Q(status="done"),
                name="one_done_run_per_batch",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dataset.code} #{self.pk}"

    def audit_scope_path(self) -> str:
        return self.dataset.owner.path


class QuarantinedRow(models.Model):
    """A rejected row, kept with its reasons so the sender can fix and resend it."""

    run = models.ForeignKey(IngestionRun, on_delete=models.CASCADE, related_name="quarantine")
    row_number = models.PositiveIntegerField(_("dòng số"))
    data = models.JSONField(_("dữ liệu"))
    reasons = models.JSONField(_("lý do"))

    class Meta:
        ordering = ["run", "row_number"]
        verbose_name = _("dòng bị loại")
        verbose_name_plural = _("dòng bị loại")

    def __str__(self) -> str:
        return f"{self.run} dòng {self.row_number}"


class LakeFile(models.Model):
    """Manifest of the lake: a Parquet file is visible to readers only once its row is committed here."""

    dataset = models.CharField(max_length=60, db_index=True)
    partition = models.CharField(max_length=40)  # date=YYYY-MM-DD
    path = models.CharField(max_length=400, unique=True)  # relative to the lake root
    rows = models.PositiveIntegerField()
    bytes = models.PositiveBigIntegerField()
    run = models.ForeignKey(IngestionRun, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    replaced_by_compaction = models.BooleanField(default=False)

    class Meta:
        ordering = ["dataset", "partition", "id"]

    def __str__(self) -> str:
        return self.path

    def as_dict(self) -> dict[str, Any]:
        return {"dataset": self.dataset, "partition": self.partition, "path": self.path, "rows": self.rows}
