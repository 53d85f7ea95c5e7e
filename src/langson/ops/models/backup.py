"""Models of the backup part of ops: each backup run to a target, and each restore drill.

Both are written by the platform only (``langson backup``/``drill`` and the worker): people read them on the
operations page, the API and the admin, never change them.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["BackupRun", "DrillRun", "Target"]


class Target(models.TextChoices):
    LOCAL = "local", _("Kho cục bộ")
    REMOTE = "remote", _("Kho từ xa (S3)")


class BackupRun(models.Model):
    """One snapshot of the database, the lake and the uploads sent to one restic repository."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Đang chạy")
        SUCCEEDED = "succeeded", _("Thành công")
        FAILED = "failed", _("Thất bại")

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("Theo lịch")
        COMMAND = "command", _("Lệnh của cán bộ vận hành")

    target = models.CharField(_("nơi lưu"), max_length=10, choices=Target.choices)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    trigger = models.CharField(
        _("khởi chạy"), max_length=10, choices=Trigger.choices, default=Trigger.COMMAND
    )
    started_at = models.DateTimeField(_("bắt đầu"), db_index=True)
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    data_time = models.DateTimeField(_("thời điểm dữ liệu"), null=True, blank=True)
    snapshot_id = models.CharField(_("mã bản sao lưu"), max_length=64, blank=True)
    files = models.PositiveIntegerField(_("số tệp"), default=0)
    bytes_total = models.PositiveBigIntegerField(_("dung lượng dữ liệu (byte)"), default=0)
    bytes_added = models.PositiveBigIntegerField(_("dung lượng mới thêm vào kho (byte)"), default=0)
    manifest = models.JSONField(_("bảng kê"), default=dict, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    error_en = models.TextField(_("lỗi (tiếng Anh)"), blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("lần sao lưu")
        verbose_name_plural = _("các lần sao lưu")

    def __str__(self) -> str:
        return f"{self.get_target_display()} {self.started_at:%Y-%m-%d %H:%M} {self.get_status_display()}"

    @property
    def duration_seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.pk,
            "target": self.target,
            "status": self.status,
            "trigger": self.trigger,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "data_time": self.data_time,
            "snapshot_id": self.snapshot_id,
            "files": self.files,
            "bytes_total": self.bytes_total,
            "bytes_added": self.bytes_added,
            "error": self.error,
            "error_en": self.error_en,
        }


class DrillRun(models.Model):
    """A restore drill: the latest snapshot restored in a scratch place, verified, and served once."""

    target = models.CharField(_("nơi lưu"), max_length=10, choices=Target.choices)
    started_at = models.DateTimeField(_("bắt đầu"), db_index=True)
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    snapshot_id = models.CharField(_("mã bản sao lưu"), max_length=64, blank=True)
    data_time = models.DateTimeField(_("thời điểm dữ liệu"), null=True, blank=True)
    verified = models.BooleanField(_("khớp bảng kê"), default=False)
    rpo_seconds = models.FloatField(_("RPO (giây)"), null=True, blank=True)
    rto_seconds = models.FloatField(_("RTO (giây)"), null=True, blank=True)
    mismatches = models.JSONField(_("sai khác"), default=list, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    error_en = models.TextField(_("lỗi (tiếng Anh)"), blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("lần diễn tập khôi phục")
        verbose_name_plural = _("các lần diễn tập khôi phục")

    def __str__(self) -> str:
        return f"{self.get_target_display()} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def running(self) -> bool:
        return self.finished_at is None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.pk,
            "target": self.target,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "snapshot_id": self.snapshot_id,
            "data_time": self.data_time,
            "verified": self.verified,
            "rpo_seconds": self.rpo_seconds,
            "rto_seconds": self.rto_seconds,
            "mismatches": self.mismatches,
            "error": self.error,
            "error_en": self.error_en,
        }
