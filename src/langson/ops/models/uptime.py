"""Models of the uptime part of ops: the registry of the province's information systems (hệ thống thông tin),
their checks (raw, kept ``LANGSON_UPTIME_RAW_DAYS``), incidents (sự cố, start and end) and daily rollups.

A system's definition is changed by people and audited; the fields the worker writes after each round
(state, addresses, certificate, streak) are listed in ``audit_exclude`` and saved with ``update_fields``, so
the monitoring itself writes no audit noise.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from langson.core.models import AuditedModel, OrgUnit

__all__ = ["Check", "DailyRollup", "Incident", "MonitoredSystem"]

CODE_VALIDATOR = RegexValidator(
    r"^[a-z0-9][a-z0-9-]{1,62}$",
    _("Mã gồm chữ thường không dấu, chữ số và dấu gạch ngang (2–63 ký tự)."),
)


class MonitoredSystem(AuditedModel):
    """One information system of the province, checked over IPv4 and IPv6 on its own interval."""

    class Kind(models.TextChoices):
        HTTP = "http", _("Trang web, API (HTTP/HTTPS)")
        TCP = "tcp", _("Cổng TCP")
        DNS = "dns", _("Máy chủ tên miền (DNS)")

    class State(models.TextChoices):
        UNKNOWN = "unknown", _("Chưa kiểm tra")
        UP = "up", _("Hoạt động")
        DEGRADED = "degraded", _("Hoạt động một phần")
        DOWN = "down", _("Gián đoạn")

    class TlsLevel(models.TextChoices):
        NONE = "", _("Không áp dụng")
        OK = "ok", _("Còn hạn")
        WARNING = "warning", _("Sắp hết hạn")
        EXPIRED = "expired", _("Đã hết hạn")

    class RecordType(models.TextChoices):
        A = "A", "A"
        AAAA = "AAAA", "AAAA"
        CNAME = "CNAME", "CNAME"
        MX = "MX", "MX"
        NS = "NS", "NS"
        SOA = "SOA", "SOA"
        TXT = "TXT", "TXT"

    code = models.CharField(_("mã"), max_length=63, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(_("tên hệ thống"), max_length=200)
    owner = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị chủ quản"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("loại kiểm tra"), max_length=10, choices=Kind.choices, default=Kind.HTTP)
    url = models.CharField(
        _("địa chỉ URL"),
        max_length=500,
        blank=True,
        help_text=_("Với HTTP(S): ví dụ https://dichvucong.langson.gov.vn/"),
    )
    host = models.CharField(
        _("máy chủ"),
        max_length=253,
        blank=True,
        help_text=_("Với TCP: tên miền hoặc địa chỉ IP; với DNS: máy chủ DNS được hỏi."),
    )
    port = models.PositiveIntegerField(
        _("cổng"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(65535)]
    )
    query_name = models.CharField(
        _("tên miền cần phân giải"), max_length=253, blank=True, help_text=_("Với DNS: tên được hỏi.")
    )
    record_type = models.CharField(
        _("loại bản ghi"), max_length=5, choices=RecordType.choices, default=RecordType.A
    )
    expected_status = models.PositiveSmallIntegerField(
        _("mã trạng thái HTTP mong đợi"),
        default=200,
        validators=[MinValueValidator(100), MaxValueValidator(599)],
    )
    interval_seconds = models.PositiveIntegerField(
        _("chu kỳ kiểm tra (giây)"),
        default=60,
        validators=[MinValueValidator(30), MaxValueValidator(86_400)],
    )
    timeout_seconds = models.FloatField(
        _("thời gian chờ tối đa (giây)"),
        default=10,
        validators=[MinValueValidator(0.1), MaxValueValidator(60)],
    )
    public = models.BooleanField(_("hiện trên trang trạng thái công khai"), default=False)
    active = models.BooleanField(_("đang theo dõi"), default=True)
    description = models.CharField(_("mô tả"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    # Written by the worker after each round (not a person's change).
    next_check_at = models.DateTimeField(_("lần kiểm tra tới"), null=True, blank=True, db_index=True)
    last_checked_at = models.DateTimeField(_("kiểm tra lần cuối"), null=True, blank=True)
    monitored_since = models.DateTimeField(_("theo dõi từ"), null=True, blank=True)
    state = models.CharField(_("tình trạng"), max_length=10, choices=State.choices, default=State.UNKNOWN)
    state_since = models.DateTimeField(_("tình trạng từ"), null=True, blank=True)
    failure_streak = models.PositiveIntegerField(_("số lần lỗi liên tiếp"), default=0)
    failing_since = models.DateTimeField(_("lỗi từ"), null=True, blank=True)
    ipv4_addresses = models.JSONField(_("địa chỉ IPv4"), default=list, blank=True)
    ipv6_addresses = models.JSONField(_("địa chỉ IPv6"), default=list, blank=True)
    ipv4_ok = models.BooleanField(_("truy cập được qua IPv4"), null=True, blank=True)
    ipv6_ok = models.BooleanField(_("truy cập được qua IPv6"), null=True, blank=True)
    tls_not_after = models.DateTimeField(_("chứng chỉ hết hạn lúc"), null=True, blank=True)
    tls_verified = models.BooleanField(_("chứng chỉ hợp lệ"), null=True, blank=True)
    tls_error = models.CharField(_("lỗi xác thực chứng chỉ"), max_length=300, blank=True)
    tls_level = models.CharField(
        _("hạn chứng chỉ"), max_length=10, choices=TlsLevel.choices, default=TlsLevel.NONE, blank=True
    )

    MONITOR_FIELDS = (
        "next_check_at",
        "last_checked_at",
        "monitored_since",
        "state",
        "state_since",
        "failure_streak",
        "failing_since",
        "ipv4_addresses",
        "ipv6_addresses",
        "ipv4_ok",
        "ipv6_ok",
        "tls_not_after",
        "tls_verified",
        "tls_error",
        "tls_level",
    )
    audit_exclude = ("created_at", *MONITOR_FIELDS)

    class Meta:
        ordering = ["name"]
        verbose_name = _("hệ thống thông tin")
        verbose_name_plural = _("hệ thống thông tin")

    def __str__(self) -> str:
        return self.name

    def audit_scope_path(self) -> str:
        return self.owner.path if self.owner_id and self.owner else ""

    @property
    def target(self) -> str:
        """What is checked, in one line (for lists)."""
        if self.kind == self.Kind.HTTP:
            return self.url
        if self.kind == self.Kind.TCP:
            return f"{self.host}:{self.port}"
        return f"{self.query_name} {self.record_type} @ {self.host}:{self.port or 53}"

    @property
    def has_aaaa(self) -> bool:
        return bool(self.ipv6_addresses)

    @property
    def ipv6_ready(self) -> bool:
        """IPv6-ready: the name has an AAAA record (or the host is an IPv6 address) and answered over IPv6 at
        the last round."""
        return self.has_aaaa and bool(self.ipv6_ok)

    def clean(self) -> None:
        from langson.ops.uptime.targets import TargetError, parse_target

        try:
            parse_target(self)
        except TargetError as error:
            raise ValidationError({error.field: error.message}) from error
        # The fields of another kind of check were never checked: they are not kept (a stale host or name
        # would show on the pages and come back if the kind were changed).
        if self.kind == self.Kind.HTTP:
            self.host, self.port, self.query_name = "", None, ""
        if self.kind != self.Kind.HTTP:
            self.url = ""
        if self.kind != self.Kind.DNS:
            self.query_name, self.record_type = "", self.RecordType.A
        timing = (self.timeout_seconds, self.interval_seconds)
        if None not in timing and self.timeout_seconds >= self.interval_seconds:
            raise ValidationError({"timeout_seconds": _("Thời gian chờ phải ngắn hơn chu kỳ kiểm tra.")})


class Check(models.Model):
    """One probe of one address family at one round. Kept ``LANGSON_UPTIME_RAW_DAYS`` days."""

    system = models.ForeignKey(MonitoredSystem, on_delete=models.CASCADE, related_name="checks")
    at = models.DateTimeField(_("thời điểm"))
    family = models.PositiveSmallIntegerField(
        _("họ địa chỉ"), help_text=_("4: IPv4, 6: IPv6, 0: không phân giải được")
    )
    address = models.CharField(_("địa chỉ"), max_length=45, blank=True)
    ok = models.BooleanField(_("đạt"))
    latency_ms = models.FloatField(_("độ trễ (ms)"), null=True, blank=True)
    status_code = models.PositiveSmallIntegerField(_("mã HTTP"), null=True, blank=True)
    detail = models.CharField(_("chi tiết"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "family"]
        indexes = [models.Index(fields=["system", "at"]), models.Index(fields=["at"])]
        verbose_name = _("lần kiểm tra")
        verbose_name_plural = _("lần kiểm tra")

    def __str__(self) -> str:
        return f"{self.system_id} {self.at:%Y-%m-%d %H:%M:%S} IPv{self.family} {'OK' if self.ok else 'FAIL'}"


class Incident(models.Model):
    """An outage: from the first failed round of the run that opened it to the first successful round."""

    system = models.ForeignKey(MonitoredSystem, on_delete=models.CASCADE, related_name="incidents")
    started_at = models.DateTimeField(_("bắt đầu"), db_index=True)
    ended_at = models.DateTimeField(_("kết thúc"), null=True, blank=True, db_index=True)
    cause = models.CharField(_("nguyên nhân ghi nhận"), max_length=300, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            # One open incident per system at a time: an outage is one incident, never a storm.
            models.UniqueConstraint(
                fields=["system"], condition=models.Q(ended_at__isnull=True), name="ops_one_open_incident"
            )
        ]
        verbose_name = _("sự cố")
        verbose_name_plural = _("sự cố")

    def __str__(self) -> str:
        return f"{self.system_id} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    def duration_seconds(self, now: Any = None) -> float:
        from django.utils import timezone

        end = self.ended_at or now or timezone.now()
        return max(0.0, (end - self.started_at).total_seconds())


class DailyRollup(models.Model):
    """A system's local day (Asia/Ho_Chi_Minh) summed up, kept for years after its raw checks are pruned."""

    system = models.ForeignKey(MonitoredSystem, on_delete=models.CASCADE, related_name="rollups")
    day = models.DateField(_("ngày"))
    checks = models.PositiveIntegerField(_("số lần kiểm tra"), default=0)
    failed_checks = models.PositiveIntegerField(_("số lần lỗi"), default=0)
    monitored_seconds = models.FloatField(_("thời gian theo dõi (giây)"), default=0)
    down_seconds = models.FloatField(_("thời gian gián đoạn (giây)"), default=0)

    class Meta:
        ordering = ["system", "day"]
        constraints = [models.UniqueConstraint(fields=["system", "day"], name="ops_one_rollup_per_day")]
        verbose_name = _("tổng hợp ngày")
        verbose_name_plural = _("tổng hợp ngày")

    def __str__(self) -> str:
        return f"{self.system_id} {self.day}"
