"""One-stop public services (thủ tục hành chính, TTHC): the procedure catalog and the hồ sơ (dossiers).

Rules: Decree 118/2025/NĐ-CP, Circular 03/2025/TT-VPCP, Circular 04/2025/TT-VPCP, summarised in
``shared/reference/public-services-tthc.md``. A dossier's life: submitted online (waiting for reception) or
received at a counter → processing with hand-overs → result → returned; with a request to supplement (the
clock stops), a refusal, a stop, and at most one apology with a new date.
"""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from langson.core.models import AuditedModel, OrgUnit


class Procedure(AuditedModel):
    """A thủ tục hành chính of the catalog, with its legal deadline, fees, required documents and steps.

    ``documents`` = [{"code", "name", "required", "copies"}]; ``steps`` = [{"name", "days"}] (the internal
    process, quy trình nội bộ; the days add up to at most the legal deadline).
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("Cấp tỉnh")
        COMMUNE = "commune", _("Cấp xã")

    class Online(models.TextChoices):
        FULL = "full", _("Toàn trình")
        PARTIAL = "partial", _("Một phần")
        NONE = "none", _("Trực tiếp")

    code = models.CharField(_("mã thủ tục"), max_length=40, unique=True)
    name = models.CharField(_("tên thủ tục"), max_length=400)
    field = models.CharField(_("lĩnh vực"), max_length=120)
    level = models.CharField(_("cấp thực hiện"), max_length=10, choices=Level.choices)
    agency = models.ForeignKey(
        OrgUnit,
        verbose_name=_("cơ quan có thẩm quyền"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Để trống với thủ tục cấp xã: mỗi xã, phường giải quyết."),
    )
    deadline_days = models.PositiveSmallIntegerField(_("thời hạn (ngày làm việc, 0 = trong ngày)"))
    fee_vnd = models.PositiveIntegerField(_("phí, lệ phí (đồng)"), default=0)
    fee_note = models.CharField(_("ghi chú phí"), max_length=300, blank=True)
    documents = models.JSONField(_("thành phần hồ sơ"), default=list)
    steps = models.JSONField(_("các bước xử lý"), default=list)
    online = models.CharField(_("mức dịch vụ trực tuyến"), max_length=10, choices=Online.choices)
    anywhere = models.BooleanField(_("tiếp nhận không phụ thuộc địa giới hành chính"), default=False)
    sample = models.BooleanField(
        _("dữ liệu mẫu"), default=True, help_text=_("Thay bằng danh mục chính thức của tỉnh.")
    )
    active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        ordering = ["field", "name"]
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def audit_scope_path(self) -> str:
        return self.agency.path if self.agency is not None else ""


def due_in_force() -> Coalesce:
    """The return date in force in a query: the apology's new date when there is one, else the hẹn trả."""
    return Coalesce("extended_due_at", "due_at")


class Dossier(AuditedModel):
    """A hồ sơ: who asked for which procedure, where it was received, who processes it, its dates."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("Trực tuyến")
        COUNTER = "counter", _("Trực tiếp tại Bộ phận Một cửa")
        POSTAL = "postal", _("Qua bưu chính công ích")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Chờ tiếp nhận trực tuyến")
        RECEIVED = "received", _("Mới tiếp nhận")
        PROCESSING = "processing", _("Đang xử lý")
        SUPPLEMENT = "supplement", _("Yêu cầu bổ sung")
        REFUSED = "refused", _("Từ chối")
        STOPPED = "stopped", _("Dừng xử lý")
        RESULT = "result", _("Có kết quả")
        RETURNED = "returned", _("Đã trả kết quả")

    class Outcome(models.TextChoices):
        EARLY = "early", _("Trước hạn")
        ON_TIME = "on_time", _("Đúng hạn")
        LATE = "late", _("Quá hạn")

    code = models.CharField(_("mã hồ sơ"), max_length=60, unique=True)
    procedure = models.ForeignKey(Procedure, verbose_name=_("thủ tục"), on_delete=models.PROTECT)
    channel = models.CharField(_("hình thức nộp"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, db_index=True)
    applicant_name = models.CharField(_("người nộp"), max_length=200)
    applicant_id = models.CharField(_("số định danh"), max_length=20)
    applicant_phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    request = models.TextField(_("nội dung yêu cầu"), blank=True, max_length=4000)
    received_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("nơi tiếp nhận"), on_delete=models.PROTECT, related_name="+"
    )
    processing_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị xử lý"), on_delete=models.PROTECT, related_name="+"
    )
    return_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("nơi trả kết quả"), on_delete=models.PROTECT, related_name="+"
    )
    assignee = models.ForeignKey(
        "core.User", verbose_name=_("cán bộ xử lý"), null=True, blank=True, on_delete=models.PROTECT
    )
    # Index in ``procedure.steps`` of the step the hồ sơ is at (quy trình nội bộ); reception is step 0.
    step = models.PositiveSmallIntegerField(_("bước đang xử lý"), default=0)
    # The account that submitted online (the applicant follows, supplements and rates through it).
    submitted_by = models.ForeignKey(
        "core.User",
        verbose_name=_("tài khoản nộp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submitted_dossiers",
    )
    submitted_at = models.DateTimeField(_("nộp lúc"))
    received_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    due_at = models.DateTimeField(_("hẹn trả"), null=True, blank=True, db_index=True)
    extended_due_at = models.DateTimeField(_("hẹn lại"), null=True, blank=True)
    paused_at = models.DateTimeField(_("tạm dừng tính thời gian từ"), null=True, blank=True)
    completed_at = models.DateTimeField(_("có kết quả lúc"), null=True, blank=True)
    outcome = models.CharField(_("kết quả đúng hạn"), max_length=8, choices=Outcome.choices, blank=True)
    # The fee and charge owed (nghĩa vụ tài chính), fixed at submission from the catalog.
    fee_vnd = models.PositiveIntegerField(_("phí, lệ phí phải nộp (đồng)"), default=0)
    rating = models.PositiveSmallIntegerField(_("mức hài lòng (1–5)"), null=True, blank=True)
    rating_comment = models.CharField(_("góp ý"), max_length=1000, blank=True)

    audit_exclude = ("paused_at",)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        indexes = [models.Index(fields=["processing_unit", "status"])]

    def __str__(self) -> str:
        return self.code

    def audit_scope_path(self) -> str:
        return self.processing_unit.path if self.processing_unit_id else ""

    @property
    def fee_payment(self) -> Payment | None:
        """The payment that settled the fee, if any."""
        return self.payments.filter(status=Payment.Status.PAID).first()

    @property
    def current_step(self) -> str:
        """The name of the step the hồ sơ is at while it is being handled ("" otherwise)."""
        steps = self.procedure.steps or []
        handled = self.status in (self.Status.RECEIVED, self.Status.PROCESSING, self.Status.RESULT)
        return steps[self.step]["name"] if handled and self.step < len(steps) else ""


class DossierDocument(models.Model):
    """One file of a hồ sơ (a thành phần hồ sơ), stored under the data directory by its SHA-256."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("thành phần"), max_length=40)
    name = models.CharField(_("tên tệp"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    round = models.PositiveSmallIntegerField(_("lần nộp"), default=0)  # 0 = first, 1.. = supplements
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "id"]

    def __str__(self) -> str:
        return self.name


class DossierEvent(models.Model):
    """One line of the phiếu kiểm soát quá trình (BM.05): who passed the hồ sơ to whom, when, and whether
    the step was early, on time or late."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("Nộp trực tuyến")
        RECEIVE = "receive", _("Tiếp nhận")
        ASSIGN = "assign", _("Phân công")
        HANDOVER = "handover", _("Chuyển bước")
        SUPPLEMENT_REQUEST = "supplement_request", _("Yêu cầu bổ sung")
        SUPPLEMENT = "supplement", _("Bổ sung hồ sơ")
        REFUSE = "refuse", _("Từ chối")
        APOLOGY = "apology", _("Xin lỗi, hẹn lại")
        RESULT = "result", _("Có kết quả")
        RETURN = "return", _("Trả kết quả")
        STOP = "stop", _("Dừng xử lý")
        RATE = "rate", _("Đánh giá")
        PAY = "pay", _("Nộp phí, lệ phí")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("việc"), max_length=20, choices=Action.choices)
    at = models.DateTimeField(_("lúc"))
    actor = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.PROTECT)
    from_unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    step = models.CharField(_("bước"), max_length=200, blank=True)
    step_due_at = models.DateTimeField(_("hạn của bước"), null=True, blank=True)
    outcome = models.CharField(
        _("kết quả đúng hạn"), max_length=8, choices=Dossier.Outcome.choices, blank=True
    )
    note = models.TextField(_("ghi chú"), blank=True, max_length=4000)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.action}"


class Payment(AuditedModel):
    """A payment of a hồ sơ's fee: online through the payment gateway (pending until the gateway confirms
    it) or collected at the counter with a receipt (biên lai). A hồ sơ has at most one paid payment."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("Trực tuyến")
        COUNTER = "counter", _("Tại Bộ phận Một cửa")

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ xác nhận")
        PAID = "paid", _("Đã thanh toán")
        FAILED = "failed", _("Không thành công")

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="payments")
    order_id = models.CharField(_("mã giao dịch"), max_length=80, unique=True)
    amount_vnd = models.PositiveIntegerField(_("số tiền (đồng)"))
    channel = models.CharField(_("hình thức"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices)
    reference = models.CharField(_("mã tham chiếu, số biên lai"), max_length=80, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"))
    paid_at = models.DateTimeField(_("thanh toán lúc"), null=True, blank=True)
    recorded_by = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("thanh toán")
        verbose_name_plural = _("thanh toán")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"], condition=models.Q(status="paid"), name="one_paid_payment_per_dossier"
            )
        ]

    def __str__(self) -> str:
        return self.order_id

    def audit_scope_path(self) -> str:
        return self.dossier.processing_unit.path


class DossierSequence(models.Model):
    """The daily sequence of dossier codes per agency: codes are never reused."""

    agency_id = models.CharField(max_length=40)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency_id", "day"], name="one_sequence_per_agency_day")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day}: {self.last}"


class ApplicantMessage(models.Model):
    """The outbox of notices to the applicant (e-mail or SMS), written in the transaction of the step they
    announce and sent by the worker (``notify_applicant``); the text is fixed when the step happens."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Thư điện tử")
        SMS = "sms", _("Tin nhắn SMS")

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi không được")

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("hồ sơ"), on_delete=models.CASCADE, related_name="applicant_messages"
    )
    event = models.ForeignKey(
        DossierEvent,
        verbose_name=_("bước xử lý"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="applicant_messages",
    )
    channel = models.CharField(_("kênh"), max_length=5, choices=Channel.choices)
    address = models.CharField(_("gửi tới"), max_length=254)  # e-mail, or phone as 84xxxxxxxxx
    subject = models.CharField(_("tiêu đề"), max_length=300, blank=True)
    body = models.TextField(_("nội dung"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0)
    next_try_at = models.DateTimeField(_("thử lại lúc"), null=True, blank=True)
    lease_until = models.DateTimeField(_("giữ để gửi đến"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    error = models.TextField(_("lỗi gần nhất"), blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("thông báo cho người nộp")
        verbose_name_plural = _("thông báo cho người nộp")
        indexes = [models.Index(fields=["status", "next_try_at"], name="applicant_message_due")]
        constraints = [
            # A step is announced once per channel, however often the sender retries.
            models.UniqueConstraint(fields=["event", "channel"], name="one_applicant_message_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.channel} ({self.status})"
