"""Telemetry as stored: one row per data point, the latest value per attribute, and rejected messages."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Reading(models.Model):
    """One data point of one message. (device, attribute, observed_at) is unique: a replayed message
    carries the same times, so storing it again changes nothing (at-least-once delivery, idempotent store).
    Machine data, written in batches by the ingest worker: not an AuditedModel."""

    device_id = models.CharField(_("mã thiết bị"), max_length=64)
    attribute = models.CharField(_("thuộc tính"), max_length=64)
    observed_at = models.DateTimeField(_("thời điểm đo"))
    value = models.FloatField(_("giá trị"), null=True)
    text = models.CharField(_("giá trị chữ"), max_length=200, blank=True)
    received_at = models.DateTimeField(_("nhận lúc"))

    class Meta:
        verbose_name = _("số đo")
        verbose_name_plural = _("số đo")
        constraints = [
            models.UniqueConstraint(
                fields=["device_id", "attribute", "observed_at"], name="city_reading_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.device_id}.{self.attribute}@{self.observed_at:%Y-%m-%d %H:%M:%S}"


class LatestValue(models.Model):
    """The newest value of each attribute of each device, for live views and rules."""

    device_id = models.CharField(_("mã thiết bị"), max_length=64)
    attribute = models.CharField(_("thuộc tính"), max_length=64)
    observed_at = models.DateTimeField(_("thời điểm đo"))
    value = models.FloatField(_("giá trị"), null=True)
    text = models.CharField(_("giá trị chữ"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("giá trị mới nhất")
        verbose_name_plural = _("giá trị mới nhất")
        constraints = [models.UniqueConstraint(fields=["device_id", "attribute"], name="city_latest_once")]

    def __str__(self) -> str:
        return f"{self.device_id}.{self.attribute}"


class DeadLetter(models.Model):
    """A message that could not be stored, kept whole with the reason, for a person to look at."""

    received_at = models.DateTimeField(_("nhận lúc"), db_index=True)
    channel = models.CharField(_("kênh"), max_length=10)  # mqtt | http
    topic = models.CharField(_("chủ đề"), max_length=300, blank=True)
    device_id = models.CharField(_("mã thiết bị"), max_length=64, blank=True)
    payload = models.BinaryField(_("nội dung"))
    reason = models.CharField(_("lý do"), max_length=500)

    class Meta:
        verbose_name = _("tin nhắn bị loại")
        verbose_name_plural = _("tin nhắn bị loại")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.channel}:{self.topic or self.device_id}: {self.reason}"
