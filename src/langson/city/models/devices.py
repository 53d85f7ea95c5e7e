"""The registry of the city's devices. Types and attribute names follow FIWARE Smart Data Models."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from langson.core.models import AuditedModel, OrgUnit


class Device(AuditedModel):
    """One device that speaks to the platform, e.g. a street light, a parking sensor, an air-quality station.

    ``device_id`` is its MQTT client id, user name and topic segment (``langson/<device_id>/telemetry``);
    ``secret_hash`` is its MQTT password as Mosquitto's password file stores it (never the password itself).
    """

    class Type(models.TextChoices):
        # FIWARE Smart Data Models entity types (dataModel.Streetlighting, .Parking, .Environment, ...)
        STREETLIGHT = "Streetlight", _("Đèn đường")
        STREETLIGHT_CABINET = "StreetlightControlCabinet", _("Tủ điều khiển chiếu sáng")
        SMART_POLE = "Device", _("Cột thông minh")
        PARKING_SPOT = "ParkingSpot", _("Cảm biến chỗ đỗ xe")
        PARKING_LOT = "OffStreetParking", _("Bãi đỗ xe")
        AIR_QUALITY = "AirQualityObserved", _("Trạm quan trắc không khí")
        WATER_METER = "WaterConsumptionObserved", _("Đồng hồ nước")
        ELECTRICITY_METER = "EnergyMeter", _("Công tơ điện")
        WATER_LEVEL = "WaterObserved", _("Cảm biến mực nước")

    device_id = models.SlugField(_("mã thiết bị"), max_length=64, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    type = models.CharField(_("loại"), max_length=40, choices=Type.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("thuộc thiết bị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("Cảm biến trên một cột thông minh, chỗ đỗ trong một bãi, đèn của một tủ."),
    )
    commune = models.ForeignKey(
        OrgUnit, verbose_name=_("xã, phường"), on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị quản lý"), on_delete=models.PROTECT, related_name="+"
    )
    latitude = models.FloatField(_("vĩ độ"))
    longitude = models.FloatField(_("kinh độ"))
    attributes = models.JSONField(
        _("thuộc tính tĩnh"),
        default=dict,
        blank=True,
        help_text=_("Ví dụ: powerConsumption định mức, totalSpotNumber."),
    )
    secret_hash = models.CharField(_("băm mật khẩu MQTT"), max_length=200, blank=True)
    last_seen_at = models.DateTimeField(_("liên lạc lần cuối"), null=True, blank=True)
    offline_after_s = models.PositiveIntegerField(_("coi là mất kết nối sau (giây)"), default=900)
    active = models.BooleanField(_("đang hoạt động"), default=True)

    audit_exclude = ("last_seen_at",)  # bookkeeping of every message, not a person's change
    audit_mask = ("secret_hash",)

    class Meta:
        verbose_name = _("thiết bị")
        verbose_name_plural = _("thiết bị")
        ordering = ["device_id"]

    def __str__(self) -> str:
        return self.device_id
