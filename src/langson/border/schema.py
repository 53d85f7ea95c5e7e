"""The shape of an extraction (issue 5): document types, their field names and line-item columns.

One extraction is ``{"document_type", "fields": {NAME: {"value", "confidence", "bbox", "page"}},
"line_items": [{COLUMN: {"value", "confidence", "bbox", "page"}}],
"issues": [{"field", "code", "message"}]}``.
``bbox`` is ``[x0, y0, x1, y1]`` in pixels of the page image the OCR read (PDF pages rendered at
``PDF_DPI``), ``page`` counts from 1. Every name here is part of the public API: never rename one.
"""

from __future__ import annotations

from typing import Any, Final

PDF_DPI: Final = 200

COMMERCIAL_INVOICE: Final = "commercial_invoice"
PACKING_LIST: Final = "packing_list"
FORM_E: Final = "certificate_of_origin_form_e"
CMR: Final = "cmr"
DOCUMENT_TYPES: Final = (COMMERCIAL_INVOICE, PACKING_LIST, FORM_E, CMR)

FIELDS: Final[dict[str, tuple[str, ...]]] = {
    COMMERCIAL_INVOICE: (
        "invoice_number",
        "invoice_date",
        "seller_name",
        "buyer_name",
        "currency",
        "total_amount",
        "incoterm",
        "country_of_origin",
        "border_gate",
    ),
    PACKING_LIST: (
        "packing_list_number",
        "packing_list_date",
        "invoice_number",
        "total_packages",
        "total_gross_weight_kg",
        "total_net_weight_kg",
    ),
    FORM_E: (
        "certificate_number",
        "issue_date",
        "exporter_name",
        "importer_name",
        "vehicle_plate",
        "origin_criterion",
        "fob_value",
        "invoice_number",
    ),
    CMR: (
        "cmr_number",
        "cmr_date",
        "consignor_name",
        "consignee_name",
        "vehicle_plate",
        "trailer_plate",
        "place_of_loading",
        "place_of_delivery",
        "total_packages",
        "total_gross_weight_kg",
    ),
}

LINE_FIELDS: Final[dict[str, tuple[str, ...]]] = {
    COMMERCIAL_INVOICE: ("description", "hs_code", "quantity", "unit", "unit_price", "amount"),
    PACKING_LIST: ("description", "packages", "gross_weight_kg", "net_weight_kg"),
    FORM_E: (),
    CMR: (),
}

# Kinds of value, for normalising and comparing: anything not listed is text (as printed, NFC).
DATE_FIELDS: Final = frozenset({"invoice_date", "packing_list_date", "issue_date", "cmr_date"})
NUMBER_FIELDS: Final = frozenset(
    {
        "total_amount",
        "total_packages",
        "total_gross_weight_kg",
        "total_net_weight_kg",
        "fob_value",
        "quantity",
        "unit_price",
        "amount",
        "packages",
        "gross_weight_kg",
        "net_weight_kg",
    }
)
PLATE_FIELDS: Final = frozenset({"vehicle_plate", "trailer_plate"})


def empty_extraction(document_type: str) -> dict[str, Any]:
    """An extraction with no field found: what a blank or unreadable page of a known type yields."""
    return {"document_type": document_type, "fields": {}, "line_items": [], "issues": []}
