"""A shipment's trade documents kept: the uploaded files and their page images on disk, the extraction and
the declarant's corrections in the database, and who may see or change them.

Files are content-addressed (SHA-256) under ``settings.BORDER_FILES_DIR`` (default ``DATA_DIR/border``),
written durably before the row that refers to them commits: temporary name, fsync, rename, fsync of the
directory (the discipline of ``langson.services.storage``, whose folder is the hồ sơ's own). Page images are
the exact images the extraction's boxes refer to (``extract.page_images``), kept as JPEG beside the file so
the review page never renders a PDF again; a missing one is rendered again from the file.

Extraction runs in the upload request: a page takes at most about 2 s on one core (issue 5's target), a
shipment's four one-page documents less than ten seconds, and the declarant wants to see the result at once.
A file the extractor refuses (``ExtractionError``: empty, too large, not PDF/PNG/JPEG, corrupt, blank, not a
trade document) is not stored at all; a failure of the engine itself keeps the file and a ``failed``
document with its reason, so the declarant sees what happened and the operators can look at the file.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import secrets
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from langson.border import checks, extract, normalize
from langson.border.declaration import apply_corrections, build_declaration, is_valid_field, parse_field_path
from langson.border.models import Document, FieldCorrection, Shipment
from langson.border.schema import DATE_FIELDS, DOCUMENT_TYPES, NUMBER_FIELDS, PLATE_FIELDS
from langson.core.models import OrgUnit, User, scoped
from langson.core.services.durable_files import write_durably

logger = logging.getLogger(__name__)

PAGE_QUALITY = 82  # JPEG quality of the page images: text stays sharp at a fraction of PNG's size
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at the gate
SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}


class DocumentRefused(ValueError):
    """An upload or a correction the rules refuse; the message is Vietnamese (gettext)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


# --- Files on disk ------------------------------------------------------------------------------------------


def root() -> Path:
    return Path(getattr(settings, "BORDER_FILES_DIR", settings.DATA_DIR / "border"))


def file_path(sha256: str) -> Path:
    return root() / sha256[:2] / sha256


def page_path(sha256: str, number: int) -> Path:
    return root() / sha256[:2] / f"{sha256}.p{number}.jpg"


def store_file(data: bytes) -> str:
    """Keep ``data`` durably under its SHA-256 (once, however often it is sent) and return the digest."""
    digest = hashlib.sha256(data).hexdigest()
    write_durably(file_path(digest), data)
    return digest


def store_pages(sha256: str, images: list[Image.Image]) -> int:
    for number, image in enumerate(images, start=1):
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, "JPEG", quality=PAGE_QUALITY, optimize=True)
        write_durably(page_path(sha256, number), buffer.getvalue())
    return len(images)


def page_file(document: Document, number: int) -> Path | None:
    """The stored image of page ``number`` (from 1) of the document; rendered again if it went missing."""
    if not 1 <= number <= document.pages:
        return None
    path = page_path(document.sha256, number)
    if path.exists():
        return path
    original = file_path(document.sha256)
    if not original.exists():
        return None
    try:
        store_pages(document.sha256, extract.page_images(original.read_bytes(), document.original_name))
    except extract.ExtractionError:
        return None
    return path if path.exists() else None


def content_type_of(data: bytes) -> str:
    for content_type, prefixes in SIGNATURES.items():
        if data.startswith(prefixes):
            return content_type
    return "application/octet-stream"


def read_upload(upload: Any) -> bytes:
    """The bytes of an uploaded file, at most one byte more than the extractor accepts: a 50-MB file is
    refused by ``extract_bytes`` (too large) without being read into memory whole."""
    return bytes(upload.read(extract.MAX_FILE_BYTES + 1))


# --- Who sees what ------------------------------------------------------------------------------------------


def visible_shipments(user: Any) -> QuerySet[Shipment]:
    """A business sees the shipments it declared; officers those of their border gate (or all below
    their unit: province-level people see every gate); anyone else none."""
    base = Shipment.objects.select_related("border_gate", "declarant")
    if not getattr(user, "is_authenticated", False):
        return base.none()
    if user.role in User.PUBLIC_ROLES:
        return base.filter(declarant=user)
    return scoped(base, user, "border_gate__path")


def may_declare(user: Any, shipment: Shipment) -> bool:
    """Uploads and corrections belong to the declarant of the shipment."""
    return bool(getattr(user, "is_authenticated", False)) and shipment.declarant_id == user.pk


def border_gates() -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(kind=OrgUnit.Kind.BORDER_GATE, is_active=True).order_by("name")


def new_reference() -> str:
    """ "LH" + the day + six random letters/digits, e.g. LH261205-K7QX2M: unique without a counter."""
    day = timezone.localdate()
    tail = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
    return f"LH{day:%y%m%d}-{tail}"


def create_shipment(user: Any, direction: str, border_gate: OrgUnit) -> Shipment:
    if direction not in Shipment.Direction.values:
        raise DocumentRefused("invalid_direction", _("Chiều hàng phải là nhập khẩu hoặc xuất khẩu."))
    if border_gate.kind != OrgUnit.Kind.BORDER_GATE:
        raise DocumentRefused("not_a_border_gate", _("Đơn vị đã chọn không phải cửa khẩu."))
    for _attempt in range(5):
        reference = new_reference()
        if not Shipment.objects.filter(reference=reference).exists():
            break
    shipment = Shipment(reference=reference, direction=direction, border_gate=border_gate, declarant=user)
    shipment.save()
    return shipment


# --- Uploading and reading ----------------------------------------------------------------------------------


def upload_document(shipment: Shipment, filename: str, data: bytes) -> Document:
    """Read one uploaded file and keep it with its extraction.

    Raises ``extract.ExtractionError`` (nothing stored) for a file the extractor refuses, and
    ``DocumentRefused`` for the same file sent twice to the shipment.
    """
    name = (os.path.basename(filename or "").strip() or "tep")[-255:]
    digest = hashlib.sha256(data).hexdigest()
    if len(data) <= extract.MAX_FILE_BYTES and shipment.documents.filter(sha256=digest).exists():
        raise DocumentRefused(
            "duplicate", _("Tệp “%(name)s” đã được tải lên cho lô hàng này.") % {"name": name}
        )
    started = time.perf_counter()
    error = ""
    extraction: dict[str, Any] = {}
    try:
        extraction = extract.extract_bytes(data, name)
    except extract.ExtractionError:
        raise
    except Exception as exc:  # the engine failed, not the file: keep it, say so
        logger.exception("extraction of %s (%s) failed", name, digest)
        error = (_("Lỗi khi đọc chứng từ: %(reason)s") % {"reason": exc.__class__.__name__})[:500]
    seconds = time.perf_counter() - started
    document_type = str(extraction.get("document_type") or "")
    if not error and document_type not in DOCUMENT_TYPES:
        raise DocumentRefused(
            "unknown_document_type",
            _("Không nhận ra loại chứng từ của tệp “%(name)s”.") % {"name": name},
        )
    try:
        images = extract.page_images(data, name)
    except Exception:  # the page images only serve the review page; the extraction stands without them
        logger.exception("page images of %s (%s) failed", name, digest)
        images = []
    store_file(data)
    pages = store_pages(digest, images)
    document = Document(
        shipment=shipment,
        original_name=name,
        content_type=content_type_of(data),
        sha256=digest,
        size=len(data),
        pages=pages,
        document_type=document_type,
        status=Document.Status.FAILED if error else Document.Status.EXTRACTED,
        error=error,
        extraction=extraction,
        seconds=round(seconds, 3),
    )
    try:
        document.save()  # in its own savepoint (AuditedModel), so a refusal leaves the request usable
    except IntegrityError:  # the same file sent twice at once: the other upload won
        raise DocumentRefused(
            "duplicate", _("Tệp “%(name)s” đã được tải lên cho lô hàng này.") % {"name": name}
        ) from None
    return document


def corrections_of(document: Document) -> dict[str, str]:
    """The latest corrected value of each corrected field of the document."""
    latest: dict[str, str] = {}
    for correction in document.corrections.order_by("corrected_at", "id"):
        latest[correction.field] = correction.value
    return latest


def effective_extraction(document: Document, corrections: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The document's extraction with its corrections applied and its own checks run again on them;
    ``document_id`` added. A failed document gives an empty extraction."""
    if document.status != Document.Status.EXTRACTED:
        return {"document_type": document.document_type, "fields": {}, "line_items": [], "issues": []}
    if corrections is None:
        corrections = corrections_of(document)
    result = apply_corrections(document.extraction, corrections)
    result["issues"] = checks.check_document(result)
    result["document_id"] = document.pk
    return result


def _value_error(column: str) -> str:
    if column in DATE_FIELDS:
        return _("Ngày không hợp lệ: hãy nhập ngày/tháng/năm, ví dụ 28/11/2026.")
    if column in NUMBER_FIELDS:
        return _("Số không hợp lệ: hãy nhập một số, ví dụ 1250,5.")
    if column in PLATE_FIELDS:
        return _("Biển số không hợp lệ: ví dụ 12C-123.45 hoặc 桂F12345.")
    if column == "currency":
        return _("Mã tiền tệ không hợp lệ: ví dụ USD, CNY, VND.")
    if column == "incoterm":
        return _("Điều kiện giao hàng không hợp lệ: ví dụ DAP, FOB, CIF.")
    return _("Giá trị không hợp lệ.")


def correct_field(document: Document, field: str, value: str, user: Any) -> FieldCorrection:
    """Save the declarant's value of one field beside what was read (normalised like an extracted value).

    Raises ``DocumentRefused`` for a document that was not read, a field the document type does not have,
    or a value that is empty or not of the field's kind (a date, a number, a plate...).
    """
    if document.status != Document.Status.EXTRACTED:
        raise DocumentRefused("not_extracted", _("Chứng từ chưa đọc được nên chưa sửa được."))
    extraction = document.extraction or {}
    line_items = extraction.get("line_items") or []
    if not is_valid_field(document.document_type, field, len(line_items)):
        raise DocumentRefused(
            "unknown_field", _("Chứng từ này không có trường “%(field)s”.") % {"field": field}
        )
    text = (value or "").strip()
    if not text:
        raise DocumentRefused("empty_value", _("Hãy nhập giá trị đúng của trường."))
    line, column = parse_field_path(field)
    canonical = normalize.normalize_field(column, text)
    if not canonical:
        raise DocumentRefused("invalid_value", _value_error(column))
    source = (extraction.get("fields") or {}) if line is None else line_items[line]
    original = dict(source.get(column) or {})
    with transaction.atomic():
        correction = FieldCorrection(
            document=document, field=field, original=original, value=canonical[:500], corrected_by=user
        )
        correction.save()
    return correction


# --- A shipment as a whole ----------------------------------------------------------------------------------


def shipment_extractions(shipment: Shipment) -> list[tuple[Document, dict[str, Any]]]:
    """Each document of the shipment (upload order) with its effective extraction."""
    documents = list(shipment.documents.prefetch_related("corrections").order_by("id"))
    result = []
    for document in documents:
        latest: dict[str, str] = {}
        for correction in sorted(document.corrections.all(), key=lambda c: (c.corrected_at, c.pk)):
            latest[correction.field] = correction.value
        result.append((document, effective_extraction(document, latest)))
    return result


def shipment_review(shipment: Shipment) -> dict[str, Any]:
    """The documents' effective extractions and the findings: per document, and across the documents."""
    pairs = shipment_extractions(shipment)
    read = [extraction for document, extraction in pairs if document.status == Document.Status.EXTRACTED]
    return {
        "documents": pairs,
        "document_issues": {document.pk: extraction["issues"] for document, extraction in pairs},
        "shipment_issues": checks.check_shipment(read) if len(read) > 1 else [],
    }


def shipment_declaration(shipment: Shipment, review: dict[str, Any] | None = None) -> dict[str, Any]:
    """The draft declaration of the shipment (``declaration.build_declaration``) from the corrected values,
    carrying the cross-document findings."""
    review = review or shipment_review(shipment)
    read = [e for document, e in review["documents"] if document.status == Document.Status.EXTRACTED]
    # A document's own findings travel with the draft too, naming the document they are about.
    issues = [
        {**issue, "documents": [extraction["document_type"]]}
        for extraction in read
        for issue in extraction["issues"]
    ]
    return build_declaration(
        read,
        direction=shipment.direction,
        border_gate=shipment.border_gate.name,
        reference=shipment.reference,
        prepared_on=timezone.localdate(),
        issues=[*issues, *review["shipment_issues"]],
    )


__all__ = [
    "DocumentRefused",
    "border_gates",
    "content_type_of",
    "correct_field",
    "corrections_of",
    "create_shipment",
    "effective_extraction",
    "file_path",
    "may_declare",
    "page_file",
    "page_path",
    "read_upload",
    "root",
    "shipment_declaration",
    "shipment_extractions",
    "shipment_review",
    "store_file",
    "store_pages",
    "upload_document",
    "visible_shipments",
]
