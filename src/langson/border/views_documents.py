"""Pages of a shipment's documents (/cua-khau/lo-hang/): the declarant's shipments, one shipment with its
upload, findings and declaration draft, and the review page of one document (its pages with every field
boxed, flagged fields first, and the correction form)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from langson.border import extract
from langson.border.declaration import DOCUMENT_LABELS, field_label
from langson.border.declaration_pdf import declaration_pdf as render_pdf
from langson.border.declaration_pdf import format_value
from langson.border.forms_documents import MAX_FILES, CorrectionForm, ShipmentForm, UploadForm
from langson.border.models import Document, Shipment
from langson.border.schema import FIELDS, LINE_FIELDS
from langson.border.storage_documents import (
    DocumentRefused,
    correct_field,
    create_shipment,
    file_path,
    may_declare,
    page_file,
    read_upload,
    shipment_declaration,
    shipment_review,
    upload_document,
    visible_shipments,
)

LOW_CONFIDENCE = 0.8  # below this a value is flagged for the declarant to check


View = Callable[..., HttpResponseBase]


def needs(permission: str) -> Callable[[View], View]:
    """Login, then the permission (403 without it); which shipments a person sees is decided per query."""

    def decorate(view: View) -> View:
        @login_required
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.__name__ = view.__name__
        wrapped.__doc__ = view.__doc__
        return wrapped

    return decorate


def _shipment(request: HttpRequest, reference: str) -> Shipment:
    return get_object_or_404(visible_shipments(request.user), reference=reference)


def _document(shipment: Shipment, document_id: int) -> Document:
    if not 0 < document_id < 2**63:  # beyond the database's integers: no such document
        raise Http404
    return get_object_or_404(shipment.documents.all(), pk=document_id)


@needs("border.view_shipment")
def shipment_list(request: HttpRequest) -> HttpResponse:
    can_create = request.user.has_perm("border.add_shipment")
    form = ShipmentForm(request.POST or None, initial={"direction": Shipment.Direction.IMPORT})
    if request.method == "POST":
        if not can_create:
            raise PermissionDenied
        if form.is_valid():
            shipment = create_shipment(
                request.user, form.cleaned_data["direction"], form.cleaned_data["border_gate"]
            )
            messages.success(request, _("Đã tạo lô hàng %(ref)s.") % {"ref": shipment.reference})
            return redirect("border:shipment", reference=shipment.reference)
    shipments = (
        visible_shipments(request.user).annotate(document_count=Count("documents")).order_by("-created_at")
    )
    page = Paginator(shipments, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "border/shipment_list.html",
        {"page": page, "form": form if can_create else None},
        status=422 if request.method == "POST" else 200,
    )


def _issue_rows(issues: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Issues with the words of their field and of the documents' values, for the templates."""
    rows = []
    for issue in issues:
        values = issue.get("values") or {}
        rows.append(
            {
                **issue,
                "field_label": field_label(str(issue.get("field") or "")) if issue.get("field") else "",
                "value_rows": [
                    (str(DOCUMENT_LABELS.get(kind, kind)), value) for kind, value in values.items()
                ],
            }
        )
    return rows


@needs("border.view_shipment")
def shipment_detail(request: HttpRequest, reference: str) -> HttpResponse:
    shipment = _shipment(request, reference)
    may_upload = may_declare(request.user, shipment) and request.user.has_perm("border.add_document")
    errors: list[str] = []
    if request.method == "POST":
        if not may_upload:
            raise PermissionDenied
        uploads = request.FILES.getlist("upload")
        if not uploads:
            errors.append(_("Hãy chọn ít nhất một tệp chứng từ."))
        elif len(uploads) > MAX_FILES:
            errors.append(_("Mỗi lần tải lên tối đa %(n)s tệp.") % {"n": MAX_FILES})
        else:
            added = 0
            for upload in uploads:
                name = upload.name or "tep"
                try:
                    upload_document(shipment, name, read_upload(upload))
                    added += 1
                except (extract.ExtractionError, DocumentRefused) as exc:
                    errors.append(f"{name}: {exc}")
            if added:
                messages.success(request, _("Đã đọc %(n)s chứng từ.") % {"n": added})
            if not errors:
                return redirect("border:shipment", reference=shipment.reference)
    review = shipment_review(shipment)
    documents = []
    for document, extraction in review["documents"]:
        documents.append(
            {
                "document": document,
                "label": DOCUMENT_LABELS.get(document.document_type, document.document_type or "—"),
                "issue_count": len(extraction["issues"]),
                "flagged": sum(
                    1
                    for row in _field_rows(document, extraction, review["shipment_issues"])
                    if row["flagged"]
                ),
            }
        )
    declaration = shipment_declaration(shipment, review)
    return render(
        request,
        "border/shipment_detail.html",
        {
            "shipment": shipment,
            "documents": documents,
            "shipment_issues": _issue_rows(review["shipment_issues"]),
            "declaration": declaration,
            "header_rows": _declaration_rows(declaration),
            "may_upload": may_upload,
            "upload_form": UploadForm(),
            "errors": errors,
        },
        status=422 if errors else 200,
    )


def _declaration_rows(declaration: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for key, entry in declaration["header"].items():
        source = entry.get("source") or {}
        kind = source.get("document_type")
        where = ""
        if kind and kind != "shipment" and source.get("field") and "*" not in str(source["field"]):
            where = f"{DOCUMENT_LABELS.get(kind, kind)} · {field_label(str(source['field']))}"
        elif kind:
            where = str(DOCUMENT_LABELS.get(kind, kind))
        rows.append(
            {
                "key": key,
                **entry,
                "shown": format_value(key, entry),  # as the PDF prints it (dates dd/mm/yyyy, units)
                "where": where,
                "corrected": bool(source.get("corrected")),
            }
        )
    return rows


def _row(name: str, item: dict[str, Any] | None, issues: list[dict[str, Any]], order: int) -> dict[str, Any]:
    item = item or {}
    value = item.get("value")
    confidence = item.get("confidence")
    corrected = bool(item.get("corrected"))
    low = not corrected and isinstance(confidence, int | float) and confidence < LOW_CONFIDENCE
    missing = value in (None, "")
    bbox = item.get("bbox")
    return {
        "name": name,
        "label": field_label(name),
        "value": value,
        "confidence": confidence,
        "percent": round(confidence * 100) if isinstance(confidence, int | float) else None,
        "bbox": ",".join(str(round(float(v))) for v in bbox) if bbox and len(bbox) == 4 else "",
        "page": item.get("page") or 1,
        "corrected": corrected,
        "extracted": item.get("extracted"),
        "low": low,
        "missing": missing and not corrected,
        "issues": issues,
        "flagged": bool(issues) or low or (missing and not corrected),
        # Findings first, then values read with low confidence, then fields not found, then the rest.
        "rank": (0 if issues else 1 if low else 2 if missing and not corrected else 3, order),
    }


def _field_rows(
    document: Document, extraction: dict[str, Any], cross: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """One row per field and per line cell of the document, flagged rows first."""
    kind = document.document_type
    by_field: dict[str, list[dict[str, Any]]] = {}
    for issue in extraction.get("issues") or []:
        by_field.setdefault(str(issue.get("field")), []).append(issue)
    for issue in cross:
        if kind in (issue.get("documents") or []):
            by_field.setdefault(str(issue.get("field")), []).append(issue)
    rows = []
    fields = extraction.get("fields") or {}
    order = 0
    for name in FIELDS.get(kind, ()):
        rows.append(_row(name, fields.get(name), by_field.get(name, []), order))
        order += 1
    for index, line in enumerate(extraction.get("line_items") or []):
        for column in LINE_FIELDS.get(kind, ()):
            name = f"line_items[{index}].{column}"
            rows.append(_row(name, line.get(column), by_field.get(name, []), order))
            order += 1
    rows.sort(key=lambda row: row["rank"])
    return rows


@needs("border.view_shipment")
def document_review(request: HttpRequest, reference: str, document_id: int) -> HttpResponse:
    shipment = _shipment(request, reference)
    document = _document(shipment, document_id)
    may_correct = may_declare(request.user, shipment) and request.user.has_perm("border.add_fieldcorrection")
    review = shipment_review(shipment)
    extraction = next(e for d, e in review["documents"] if d.pk == document.pk)
    cross = review["shipment_issues"]
    rows = _field_rows(document, extraction, cross)
    choices = [(row["name"], row["label"]) for row in sorted(rows, key=lambda row: row["rank"][1])]
    first_flagged = next((row["name"] for row in rows if row["flagged"]), "")
    form = CorrectionForm(
        request.POST or None, choices=choices, initial={"field": request.GET.get("truong") or first_flagged}
    )
    error = ""
    if request.method == "POST":
        if not may_correct:
            raise PermissionDenied
        if form.is_valid():
            field = form.cleaned_data["field"]
            try:
                correct_field(document, field, form.cleaned_data["value"], request.user)
            except DocumentRefused as exc:
                error = str(exc)
            else:
                messages.success(
                    request, _("Đã lưu giá trị sửa của “%(field)s”.") % {"field": field_label(field)}
                )
                url = reverse("border:document", args=[shipment.reference, document.pk])
                return redirect(f"{url}#truong-{field}")
    pages = [
        {
            "number": number,
            "url": reverse("border:document-page", args=[shipment.reference, document.pk, number]),
            "boxes": [row for row in rows if row["bbox"] and row["page"] == number],
        }
        for number in range(1, document.pages + 1)
    ]
    own_cross = [issue for issue in cross if document.document_type in (issue.get("documents") or [])]
    return render(
        request,
        "border/document_review.html",
        {
            "shipment": shipment,
            "document": document,
            "label": DOCUMENT_LABELS.get(document.document_type, document.document_type or "—"),
            "rows": rows,
            "flagged_count": sum(1 for row in rows if row["flagged"]),
            "pages": pages,
            "document_issues": _issue_rows(extraction.get("issues") or []),
            "cross_issues": _issue_rows(own_cross),
            "form": form if may_correct and document.status == Document.Status.EXTRACTED else None,
            "error": error,
            "corrections": document.corrections.select_related("corrected_by").order_by("-corrected_at")[:50],
            "low_confidence": f"{LOW_CONFIDENCE:.0%}",
        },
        status=422 if request.method == "POST" else 200,
    )


@needs("border.view_shipment")
def document_page(request: HttpRequest, reference: str, document_id: int, number: int) -> FileResponse:
    document = _document(_shipment(request, reference), document_id)
    path = page_file(document, number)
    if path is None:
        raise Http404
    response = FileResponse(path.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"  # content-addressed: a page never changes
    return response


@needs("border.view_shipment")
def document_file(request: HttpRequest, reference: str, document_id: int) -> FileResponse:
    document = _document(_shipment(request, reference), document_id)
    path = file_path(document.sha256)
    if not path.exists():
        raise Http404
    return FileResponse(
        open(path, "rb"),
        content_type=document.content_type,
        filename=document.original_name,
        as_attachment=True,
    )


def _declaration_name(shipment: Shipment, extension: str) -> str:
    kind = "nhap" if shipment.direction == Shipment.Direction.IMPORT else "xuat"
    return f"to-khai-{kind}-ban-nhap-{shipment.reference}.{extension}"


@needs("border.view_shipment")
def declaration_json(request: HttpRequest, reference: str) -> HttpResponse:
    shipment = _shipment(request, reference)
    body = json.dumps(shipment_declaration(shipment), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_declaration_name(shipment, "json")}"'
    return response


@needs("border.view_shipment")
def declaration_pdf(request: HttpRequest, reference: str) -> HttpResponse:
    shipment = _shipment(request, reference)
    response = HttpResponse(render_pdf(shipment_declaration(shipment)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_declaration_name(shipment, "pdf")}"'
    return response
