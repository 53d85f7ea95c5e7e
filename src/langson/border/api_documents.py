"""Shipments and their trade documents at /api/border/: create a shipment, upload a document (read at once),
its extraction, corrections, the shipment's findings and its declaration draft (JSON and PDF).

The same rules as the pages (``views_documents``): a business sees and changes only the shipments it
declared; officers see their border gate's; a shipment outside a person's view is "not found". Extraction
errors answer 422 with the extractor's code and Vietnamese message; nothing is stored for such a file.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import override
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from langson.border import extract
from langson.border.declaration_pdf import declaration_pdf
from langson.border.models import Document, FieldCorrection, Shipment
from langson.border.storage_documents import (
    DocumentRefused,
    border_gates,
    correct_field,
    create_shipment,
    may_declare,
    read_upload,
    shipment_declaration,
    shipment_review,
    upload_document,
    visible_shipments,
)
from langson.core.errors import ApiError, forbidden, not_found
from langson.core.pagination import Pages
from langson.core.parsing import InputSchema

router = Router(tags=["border"])


# English twins of the refusals' messages (the API's errors carry both); the Vietnamese one is the
# exception's own, with its particulars (file name, size, field).
ENGLISH = {
    "empty_file": "The file is empty.",
    "too_large": f"The file is larger than {extract.MAX_FILE_BYTES // 1024 // 1024} MB.",
    "unsupported_type": "Only PDF, PNG and JPEG files are accepted.",
    "corrupt_pdf": "The PDF file is damaged and cannot be opened.",
    "corrupt_image": "The image file is damaged and cannot be read.",
    "encrypted_pdf": "The PDF file is password-protected: send an unlocked copy.",
    "too_many_pages": "The PDF file has too many pages for one document.",
    "too_many_pixels": "The image is abnormally large.",
    "blank_page": "The page is blank: there is nothing to read.",
    "not_a_trade_document": "This is not an invoice, packing list, Form E or CMR.",
    "ocr_unavailable": "The OCR engine is not installed on the server.",
    "duplicate": "This file was already uploaded to the shipment.",
    "unknown_document_type": "The type of this document was not recognised.",
    "not_extracted": "The document was not read, so it cannot be corrected.",
    "unknown_field": "This document has no such field.",
    "empty_value": "Enter the right value of the field.",
    "invalid_value": "The value is not valid for this field.",
    "invalid_direction": "The direction must be import or export.",
    "not_a_border_gate": "The unit chosen is not a border gate.",
}


def _refused(status: int, code: str, message: str) -> ApiError:
    return ApiError(status, code, message, ENGLISH.get(code, f"The request was refused ({code})."))


class ShipmentIn(InputSchema):
    direction: Shipment.Direction = Field(description="import | export")
    border_gate: str = Field(
        max_length=40, description="mã cửa khẩu / border gate unit code, e.g. CK-HUU-NGHI"
    )


class DocumentSummaryOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    pages: int
    document_type: str
    status: str
    error: str
    seconds: float | None
    created_at: datetime


class ShipmentOut(Schema):
    reference: str
    direction: str
    border_gate: str
    border_gate_name: str
    declarant: str
    created_at: datetime
    documents: list[DocumentSummaryOut]

    @staticmethod
    def resolve_border_gate(shipment: Shipment) -> str:
        return shipment.border_gate.code

    @staticmethod
    def resolve_border_gate_name(shipment: Shipment) -> str:
        return shipment.border_gate.name

    @staticmethod
    def resolve_declarant(shipment: Shipment) -> str:
        return shipment.declarant.username

    @staticmethod
    def resolve_documents(shipment: Shipment) -> list[Document]:
        return list(shipment.documents.order_by("id"))


class CorrectionOut(Schema):
    id: int
    field: str
    value: str
    original: dict[str, Any]
    corrected_by: str
    corrected_at: datetime

    @staticmethod
    def resolve_corrected_by(correction: FieldCorrection) -> str:
        return correction.corrected_by.username


class DocumentOut(DocumentSummaryOut):
    extraction: dict[str, Any] = Field(
        description="đã áp dụng các giá trị sửa, kiểm tra lại / with corrections applied, checks re-run"
    )
    original_extraction: dict[str, Any] = Field(description="kết quả đọc ban đầu / as read")
    corrections: list[CorrectionOut]


class CorrectionIn(InputSchema):
    field: str = Field(max_length=80, description="tên trường hoặc line_items[i].cột / field name")
    value: str = Field(min_length=1, max_length=500)


class IssuesOut(Schema):
    documents: dict[str, list[dict[str, Any]]] = Field(description="document id → its own issues")
    shipment: list[dict[str, Any]] = Field(description="cross-document issues")


def _shipment(request: HttpRequest, reference: str) -> Shipment:
    if not request.user.has_perm("border.view_shipment"):
        raise forbidden()
    shipment = visible_shipments(request.user).filter(reference=reference).first()
    if shipment is None:
        raise not_found("lô hàng", "shipment")
    return shipment


def _document(shipment: Shipment, document_id: int) -> Document:
    # An id beyond the database's 64-bit integers names no document (and must not reach the query).
    document = shipment.documents.filter(pk=document_id).first() if 0 < document_id < 2**63 else None
    if document is None:
        raise not_found("chứng từ", "document")
    return document


def _declarant(request: HttpRequest, shipment: Shipment, permission: str) -> None:
    if not (may_declare(request.user, shipment) and request.user.has_perm(permission)):
        raise forbidden()


def _document_out(shipment: Shipment, document: Document) -> dict[str, Any]:
    review = shipment_review(shipment)
    extraction = next(e for d, e in review["documents"] if d.pk == document.pk)
    extraction = {k: v for k, v in extraction.items() if k != "document_id"}
    return {
        **{name: getattr(document, name) for name in DocumentSummaryOut.model_fields},
        "extraction": extraction,
        "original_extraction": document.extraction,
        "corrections": list(
            document.corrections.select_related("corrected_by").order_by("corrected_at", "id")
        ),
    }


@router.get("/shipments", response=list[ShipmentOut], summary="Lô hàng / shipments")
@paginate(Pages)
def list_shipments(request: HttpRequest) -> Any:
    if not request.user.has_perm("border.view_shipment"):
        raise forbidden()
    return visible_shipments(request.user).prefetch_related("documents")


@router.post("/shipments", response={201: ShipmentOut}, summary="Tạo lô hàng / create a shipment")
def post_shipment(request: HttpRequest, payload: ShipmentIn) -> Status:
    if not request.user.has_perm("border.add_shipment"):
        raise forbidden()
    gate = border_gates().filter(code=payload.border_gate).first()
    if gate is None:
        raise ApiError(
            422, "unknown_border_gate", _("Không có cửa khẩu mã này."), "No border gate has this code."
        )
    try:
        shipment = create_shipment(request.user, payload.direction, gate)
    except DocumentRefused as exc:
        raise _refused(422, exc.code, str(exc)) from exc
    return Status(201, shipment)


@router.get("/shipments/{reference}", response=ShipmentOut, summary="Một lô hàng / one shipment")
def get_shipment(request: HttpRequest, reference: str) -> Shipment:
    return _shipment(request, reference)


@router.post(
    "/shipments/{reference}/documents",
    response={201: DocumentOut},
    summary="Tải lên và đọc một chứng từ / upload and read a document",
)
def post_document(request: HttpRequest, reference: str, file: File[UploadedFile]) -> Status:
    shipment = _shipment(request, reference)
    _declarant(request, shipment, "border.add_document")
    try:
        document = upload_document(shipment, file.name or "", read_upload(file))
    except extract.ExtractionError as exc:
        raise _refused(422, exc.code, str(exc)) from exc
    except DocumentRefused as exc:
        raise _refused(409 if exc.code == "duplicate" else 422, exc.code, str(exc)) from exc
    return Status(201, _document_out(shipment, document))


@router.get(
    "/shipments/{reference}/documents/{document_id}",
    response=DocumentOut,
    summary="Một chứng từ và kết quả đọc / one document with its extraction",
)
def get_document(request: HttpRequest, reference: str, document_id: int) -> dict[str, Any]:
    shipment = _shipment(request, reference)
    return _document_out(shipment, _document(shipment, document_id))


@router.get(
    "/shipments/{reference}/documents/{document_id}/extraction",
    response=dict[str, Any],
    summary="Kết quả đọc (đã áp dụng giá trị sửa) / extraction with corrections applied",
)
def get_extraction(request: HttpRequest, reference: str, document_id: int) -> dict[str, Any]:
    shipment = _shipment(request, reference)
    return dict(_document_out(shipment, _document(shipment, document_id))["extraction"])


@router.post(
    "/shipments/{reference}/documents/{document_id}/corrections",
    response={201: CorrectionOut},
    summary="Sửa giá trị một trường / correct one field",
)
def post_correction(request: HttpRequest, reference: str, document_id: int, payload: CorrectionIn) -> Status:
    shipment = _shipment(request, reference)
    document = _document(shipment, document_id)
    _declarant(request, shipment, "border.add_fieldcorrection")
    try:
        correction = correct_field(document, payload.field, payload.value, request.user)
    except DocumentRefused as exc:
        raise _refused(422, exc.code, str(exc)) from exc
    return Status(201, correction)


@router.get(
    "/shipments/{reference}/issues",
    response=IssuesOut,
    summary="Lỗi và sai lệch giữa các chứng từ / document and cross-document issues",
)
def get_issues(request: HttpRequest, reference: str) -> dict[str, Any]:
    review = shipment_review(_shipment(request, reference))
    return {
        "documents": {str(pk): issues for pk, issues in review["document_issues"].items()},
        "shipment": review["shipment_issues"],
    }


@router.get(
    "/shipments/{reference}/declaration",
    response=dict[str, Any],
    summary="Bản nháp tờ khai (JSON) / declaration draft",
)
def get_declaration(request: HttpRequest, reference: str) -> dict[str, Any]:
    return shipment_declaration(_shipment(request, reference))


@router.get(
    "/shipments/{reference}/declaration.pdf",
    summary="Bản nháp tờ khai (PDF) / declaration draft as PDF",
    response={200: None},
)
def get_declaration_pdf(request: HttpRequest, reference: str) -> HttpResponse:
    shipment = _shipment(request, reference)
    with override("vi"):
        body = declaration_pdf(shipment_declaration(shipment))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="to-khai-ban-nhap-{shipment.reference}.pdf"'
    return response
