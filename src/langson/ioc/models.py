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
    # Raw rows older than this leave the lake (indicator values computed from them stay); 0 keeps them.
    retention_days = models.PositiveIntegerField(_("lưu dữ liệu gốc (ngày, 0 = mãi mãi)"), default=0)
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


class DatasetToken(AuditedModel):
    """A push key for one external system and one dataset only; only its SHA-256 is stored."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="tokens")
    name = models.CharField(_("tên hệ thống gửi"), max_length=100)
    prefix = models.CharField(_("tiền tố"), max_length=16, db_index=True)
    key_hash = models.CharField(_("mã băm khóa"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    revoked = models.BooleanField(_("đã thu hồi"), default=False)

    audit_exclude = ("created_at",)
    audit_mask = ("key_hash",)

    class Meta:
        verbose_name = _("khóa gửi dữ liệu")
        verbose_name_plural = _("khóa gửi dữ liệu")

    def __str__(self) -> str:
        return f"{self.name} → {self.dataset.code}"

    def audit_scope_path(self) -> str:
        return self.dataset.owner.path


class PullSource(AuditedModel):
    """A JSON/REST endpoint the worker pulls on schedule, page by page, from the last cursor on."""

    class Pagination(models.TextChoices):
        NONE = "none", _("Không phân trang")
        PAGE = "page", _("Theo số trang")
        NEXT_LINK = "next", _("Theo liên kết trang sau")

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="pull_sources")
    url = models.URLField(_("địa chỉ"), max_length=500)
    auth_header = models.CharField(
        _("tiêu đề xác thực"), max_length=500, blank=True, help_text=_("Ví dụ: Authorization: Bearer …")
    )
    items_path = models.CharField(_("trường chứa danh sách"), max_length=100, default="items")
    pagination = models.CharField(
        _("phân trang"), max_length=10, choices=Pagination.choices, default=Pagination.NONE
    )
    page_param = models.CharField(_("tham số trang"), max_length=50, default="page")
    next_path = models.CharField(_("trường liên kết trang sau"), max_length=100, default="next")
    cursor_param = models.CharField(_("tham số con trỏ"), max_length=50, blank=True)
    cursor_field = models.CharField(_("trường con trỏ"), max_length=100, blank=True)
    last_cursor = models.CharField(_("con trỏ gần nhất"), max_length=200, blank=True)
    interval_minutes = models.PositiveIntegerField(_("chu kỳ (phút)"), default=60)
    next_pull_at = models.DateTimeField(_("lần kéo tiếp theo"), null=True, blank=True)
    enabled = models.BooleanField(_("đang bật"), default=True)

    audit_exclude = ("last_cursor", "next_pull_at")
    audit_mask = ("auth_header",)

    class Meta:
        verbose_name = _("nguồn kéo dữ liệu")
        verbose_name_plural = _("nguồn kéo dữ liệu")

    def __str__(self) -> str:
        return f"{self.dataset.code} ← {self.url}"

    def audit_scope_path(self) -> str:
        return self.dataset.owner.path


class Indicator(AuditedModel):
    """An indicator of the catalog: computed from a dataset on schedule, or supplied by an app.

    ``definition`` for computed indicators: {"dataset": code, "measure": sum|avg|count|min|max,
    "column": value column, "grain": day|week|month|year, "by": optional commune column}.
    """

    class Sector(models.TextChoices):
        IOC = "ioc", _("Điều hành chung")
        SERVICES = "services", _("Dịch vụ công")
        BORDER = "border", _("Cửa khẩu")
        CITY = "city", _("Đô thị thông minh")
        EDUCATION = "education", _("Giáo dục")
        HEALTH = "health", _("Y tế")
        TOURISM = "tourism", _("Du lịch")
        COMMUNITY = "community", _("Cộng đồng")
        SECURITY = "security", _("An ninh mạng")
        ENVIRONMENT = "environment", _("Môi trường")

    class Grain(models.TextChoices):
        DAY = "day", _("Ngày")
        WEEK = "week", _("Tuần")
        MONTH = "month", _("Tháng")
        YEAR = "year", _("Năm")

    class Direction(models.TextChoices):
        HIGHER_BETTER = "up", _("Càng cao càng tốt")
        LOWER_BETTER = "down", _("Càng thấp càng tốt")

    code = models.SlugField(_("mã"), max_length=80, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=200)
    unit = models.CharField(_("đơn vị tính"), max_length=40)
    sector = models.CharField(_("lĩnh vực"), max_length=20, choices=Sector.choices)
    grain = models.CharField(_("kỳ"), max_length=10, choices=Grain.choices)
    by_commune = models.BooleanField(_("theo xã, phường"), default=False)
    owner = models.ForeignKey(OrgUnit, verbose_name=_("đơn vị chủ quản"), on_delete=models.PROTECT)
    direction = models.CharField(
        _("chiều tốt"), max_length=4, choices=Direction.choices, default=Direction.HIGHER_BETTER
    )
    target = models.FloatField(_("chỉ tiêu"), null=True, blank=True)
    warning_below = models.FloatField(_("cảnh báo khi dưới"), null=True, blank=True)
    critical_below = models.FloatField(_("nghiêm trọng khi dưới"), null=True, blank=True)
    warning_above = models.FloatField(_("cảnh báo khi trên"), null=True, blank=True)
    critical_above = models.FloatField(_("nghiêm trọng khi trên"), null=True, blank=True)
    definition = models.JSONField(_("cách tính"), default=dict, blank=True)
    description = models.TextField(_("định nghĩa"), blank=True)

    class Meta:
        ordering = ["sector", "code"]
        verbose_name = _("chỉ số")
        verbose_name_plural = _("chỉ số")

    def __str__(self) -> str:
        return self.name

    def audit_scope_path(self) -> str:
        return self.owner.path if self.owner_id else ""


class IndicatorValue(models.Model):
    """One value of an indicator for a period (its first day) and a dimension ('' = whole province)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    period = models.DateField(_("kỳ"))
    commune = models.CharField(_("xã, phường"), max_length=10, blank=True, default="")
    value = models.FloatField(_("giá trị"))
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        ordering = ["indicator", "period", "commune"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "commune"], name="one_value_per_period_and_place"
            )
        ]
        indexes = [models.Index(fields=["indicator", "commune", "period"])]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period} {self.commune or 'tỉnh'} = {self.value}"


class Alert(AuditedModel):
    """Cảnh báo from a rule or an app event; lifecycle open → acknowledged → resolved."""

    class Kind(models.TextChoices):
        THRESHOLD = "threshold", _("Vượt ngưỡng")
        ANOMALY = "anomaly", _("Bất thường")
        FRESHNESS = "freshness", _("Dữ liệu trễ")
        EVENT = "event", _("Sự kiện từ phân hệ")

    class Severity(models.TextChoices):
        WARNING = "warning", _("Cảnh báo")
        CRITICAL = "critical", _("Nghiêm trọng")

    class State(models.TextChoices):
        OPEN = "open", _("Mới")
        ACKNOWLEDGED = "acknowledged", _("Đã tiếp nhận")
        RESOLVED = "resolved", _("Đã xử lý")

    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices)
    severity = models.CharField(_("mức độ"), max_length=10, choices=Severity.choices)
    state = models.CharField(_("trạng thái"), max_length=14, choices=State.choices, default=State.OPEN)
    title = models.CharField(_("tiêu đề"), max_length=300)
    detail = models.TextField(_("chi tiết"), blank=True)
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.CASCADE, related_name="alerts"
    )
    dataset = models.ForeignKey(
        Dataset, null=True, blank=True, on_delete=models.CASCADE, related_name="alerts"
    )
    unit = models.ForeignKey(OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT)
    period = models.DateField(_("kỳ"), null=True, blank=True)
    commune = models.CharField(_("xã, phường"), max_length=10, blank=True)
    value = models.FloatField(_("giá trị"), null=True, blank=True)
    dedup_key = models.CharField(max_length=200, db_index=True)
    assignee = models.ForeignKey(
        "core.User",
        verbose_name=_("người phụ trách"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_alerts",
    )
    opened_at = models.DateTimeField(_("mở lúc"), auto_now_add=True)
    acknowledged_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("xử lý xong lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("cảnh báo")
        verbose_name_plural = _("cảnh báo")
        constraints = [
            # One live alert per condition: re-evaluating does not flood the feed.
            models.UniqueConstraint(
                fields=["dedup_key"],
                condition=~models.Q(state="resolved"),
                name="one_live_alert_per_condition",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def audit_scope_path(self) -> str:
        return self.unit.path if self.unit_id else ""


class AlertComment(AuditedModel):
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey("core.User", on_delete=models.PROTECT)
    text = models.TextField(_("nội dung"), max_length=4000)
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)

    audit_exclude = ("created_at",)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.alert_id}: {self.text[:40]}"

    def audit_scope_path(self) -> str:
        return self.alert.audit_scope_path()


class NotificationTarget(AuditedModel):
    """Where alerts go besides the in-app feed: an e-mail address or a webhook URL.

    A target hears the alerts of its unit and of every unit below it (the same scoping rule as people),
    from ``min_severity`` up, optionally of one sector only.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("Thư điện tử")
        WEBHOOK = "webhook", _("Webhook")

    name = models.CharField(_("tên"), max_length=100)
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("địa chỉ"), max_length=500)
    unit = models.ForeignKey(OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT)
    min_severity = models.CharField(
        _("mức độ tối thiểu"), max_length=10, choices=Alert.Severity.choices, default=Alert.Severity.WARNING
    )
    sector = models.CharField(_("lĩnh vực"), max_length=20, choices=Indicator.Sector.choices, blank=True)
    # Signs webhook bodies (HMAC-SHA256) so the receiver can tell them from forgeries.
    secret = models.CharField(_("khóa ký"), max_length=100, blank=True)
    enabled = models.BooleanField(_("đang bật"), default=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    audit_exclude = ("created_at",)
    audit_mask = ("secret",)

    class Meta:
        ordering = ["name"]
        verbose_name = _("nơi nhận thông báo")
        verbose_name_plural = _("nơi nhận thông báo")

    def __str__(self) -> str:
        return self.name

    def audit_scope_path(self) -> str:
        return self.unit.path if self.unit_id else ""


class Notification(models.Model):
    """The outbox: one message about one alert event for one target, sent (and retried) by the worker."""

    class Event(models.TextChoices):
        OPENED = "opened", _("Mở")
        ACKNOWLEDGED = "acknowledged", _("Tiếp nhận")
        RESOLVED = "resolved", _("Xử lý xong")

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi không được")

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="notifications")
    target = models.ForeignKey(NotificationTarget, on_delete=models.CASCADE, related_name="notifications")
    event = models.CharField(_("sự kiện"), max_length=14, choices=Event.choices)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0)
    next_attempt_at = models.DateTimeField(_("thử lại lúc"), null=True, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        constraints = [
            # An event is announced once per target, however often the sender retries.
            models.UniqueConstraint(fields=["alert", "target", "event"], name="one_notification_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.alert_id} → {self.target_id} ({self.event})"


class Report(models.Model):
    """A generated weekly or monthly report (báo cáo), kept as PDF and XLSX for download."""

    class Kind(models.TextChoices):
        WEEKLY = "weekly", _("Báo cáo tuần")
        MONTHLY = "monthly", _("Báo cáo tháng")

    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    # The unit whose scope the report covers (the province for the scheduled reports).
    unit = models.ForeignKey(OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT)
    scheduled = models.BooleanField(_("theo lịch"), default=False)
    pdf = models.BinaryField(_("PDF"))
    xlsx = models.BinaryField(_("XLSX"))
    generated_at = models.DateTimeField(_("lập lúc"), auto_now_add=True)
    requested_by = models.ForeignKey(
        "core.User", verbose_name=_("người yêu cầu"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-period_start", "-id"]
        verbose_name = _("báo cáo")
        verbose_name_plural = _("báo cáo")
        constraints = [
            # The schedule writes a period's report once, whichever worker runs it.
            models.UniqueConstraint(
                fields=["kind", "period_start", "unit"],
                condition=models.Q(scheduled=True),
                name="one_scheduled_report_per_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_start:%d/%m/%Y}"
