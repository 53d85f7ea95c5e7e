"""A shipment's trade documents (chứng từ), what the OCR read on them, and the declarant's corrections."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from langson.core.models import AuditedModel, OrgUnit


class Shipment(AuditedModel):
    """One truck's consignment through a cửa khẩu: the documents that together make one declaration."""

    class Direction(models.TextChoices):
        IMPORT = "import", _("Nhập khẩu")
        EXPORT = "export", _("Xuất khẩu")

    reference = models.CharField(_("số tham chiếu"), max_length=40, unique=True)
    direction = models.CharField(_("chiều"), max_length=6, choices=Direction.choices)
    border_gate = models.ForeignKey(
        OrgUnit,
        verbose_name=_("cửa khẩu"),
        on_delete=models.PROTECT,
        limit_choices_to={"kind": OrgUnit.Kind.BORDER_GATE},
        related_name="+",
    )
    declarant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người khai"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("lô hàng")
        verbose_name_plural = _("lô hàng")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.reference


class Document(AuditedModel):
    """One uploaded file (PDF, PNG or JPEG) and its extraction in the shape of ``border.schema``."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ đọc")
        EXTRACTED = "extracted", _("Đã đọc")
        FAILED = "failed", _("Không đọc được")

    audit_exclude = ("extraction",)  # machine output; a person's changes are the FieldCorrection rows

    shipment = models.ForeignKey(
        Shipment, verbose_name=_("lô hàng"), on_delete=models.CASCADE, related_name="documents"
    )
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(_("loại tệp"), max_length=40)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    pages = models.PositiveSmallIntegerField(_("số trang"), default=0)
    document_type = models.CharField(_("loại chứng từ"), max_length=40, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING)
    error = models.CharField(_("lỗi"), max_length=500, blank=True)
    extraction = models.JSONField(_("kết quả đọc"), default=dict, blank=True)
    seconds = models.FloatField(_("thời gian đọc (giây)"), null=True, blank=True)
    created_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("chứng từ")
        verbose_name_plural = _("chứng từ")
        ordering = ["shipment", "id"]
        constraints = [
            # The same file twice in one shipment is one document, even under concurrent uploads.
            models.UniqueConstraint(fields=["shipment", "sha256"], name="border_document_once_per_shipment")
        ]

    def __str__(self) -> str:
        return f"{self.shipment.reference}/{self.original_name}"


class FieldCorrection(AuditedModel):
    """A declarant's correction of one extracted value, kept beside the original so that accuracy can be
    measured on real corrections over time. ``field`` is a field name or ``line_items[i].column``."""

    document = models.ForeignKey(
        Document, verbose_name=_("chứng từ"), on_delete=models.CASCADE, related_name="corrections"
    )
    field = models.CharField(_("trường"), max_length=80)
    original = models.JSONField(_("giá trị đọc được"), default=dict, blank=True)
    value = models.CharField(_("giá trị sửa"), max_length=500)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người sửa"), on_delete=models.PROTECT, related_name="+"
    )
    corrected_at = models.DateTimeField(_("sửa lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("sửa giá trị")
        verbose_name_plural = _("sửa giá trị")
        ordering = ["document", "corrected_at"]
