"""The declaration draft (IDA/EDA) built from a shipment's extractions, and its PDF."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import Any

import pypdfium2 as pdfium
import pytest

from langson.border.declaration import (
    ACFTA,
    MFN,
    REQUIRED,
    apply_corrections,
    build_declaration,
    country_code,
    field_label,
    is_valid_field,
    parse_field_path,
    unit_code,
)
from langson.border.declaration_pdf import declaration_pdf, format_number, markup, source_text
from langson.border.schema import CMR, COMMERCIAL_INVOICE, FIELDS, FORM_E, LINE_FIELDS, PACKING_LIST

pytestmark = pytest.mark.nodb

SELLER = "凭祥市友谊进出口贸易有限公司"
BUYER = "Công ty TNHH Thương mại Đồng Đăng"


def cell(
    value: str, confidence: float = 0.97, box: tuple[int, int, int, int] = (10, 20, 200, 40)
) -> dict[str, Any]:
    return {"value": value, "confidence": confidence, "bbox": list(box), "page": 1}


def extraction(
    kind: str, fields: dict[str, str], lines: Sequence[dict[str, str]] = (), **extra: Any
) -> dict[str, Any]:
    assert set(fields) <= set(FIELDS[kind])
    for line in lines:
        assert set(line) <= set(LINE_FIELDS[kind])
    return {
        "document_type": kind,
        "fields": {name: cell(value) for name, value in fields.items()},
        "line_items": [{name: cell(value) for name, value in line.items()} for line in lines],
        "issues": [],
        **extra,
    }


def shipment() -> list[dict[str, Any]]:
    invoice = extraction(
        COMMERCIAL_INVOICE,
        {
            "invoice_number": "PX-2026-1128",
            "invoice_date": "2026-11-28",
            "seller_name": SELLER,
            "buyer_name": BUYER,
            "currency": "USD",
            "total_amount": "13450",
            "incoterm": "DAP",
            "country_of_origin": "Trung Quốc",
            "border_gate": "Hữu Nghị",
        },
        [
            {
                "description": "Táo tươi 苹果",
                "hs_code": "0808.10.00",
                "quantity": "10000",
                "unit": "kgs",
                "unit_price": "0.95",
                "amount": "9500",
            },
            {
                "description": "Lê tươi 梨",
                "hs_code": "0808.30.00",
                "quantity": "5000",
                "unit": "KGM",
                "unit_price": "0.79",
                "amount": "3950",
            },
        ],
        document_id=11,
    )
    packing = extraction(
        PACKING_LIST,
        {
            "packing_list_number": "PL-1128",
            "invoice_number": "PX-2026-1128",
            "total_packages": "1500",
            "total_gross_weight_kg": "16200",
            "total_net_weight_kg": "15000",
        },
        document_id=12,
    )
    form_e = extraction(
        FORM_E,
        {
            "certificate_number": "E264700ZC41091001",
            "issue_date": "2026-11-29",
            "exporter_name": SELLER,
            "importer_name": BUYER,
            "vehicle_plate": "桂F12345",
            "origin_criterion": "WO",
            "fob_value": "13000",
            "invoice_number": "PX-2026-1128",
        },
        document_id=13,
    )
    cmr = extraction(
        CMR,
        {
            "cmr_number": "CMR-PX-0921",
            "cmr_date": "2026-11-30",
            "consignor_name": SELLER,
            "consignee_name": BUYER,
            "vehicle_plate": "桂F12345",
            "trailer_plate": "桂F6789挂",
            "place_of_loading": "Pingxiang 凭祥",
            "place_of_delivery": "Lạng Sơn",
            "total_packages": "1500",
            "total_gross_weight_kg": "16200",
        },
        document_id=14,
    )
    return [invoice, packing, form_e, cmr]


def build(documents: list[dict[str, Any]], direction: str = "import", **kw: Any) -> dict[str, Any]:
    return build_declaration(
        documents,
        direction=direction,
        border_gate="Cửa khẩu quốc tế Hữu Nghị",
        reference="LH261205-TEST01",
        prepared_on=date(2026, 12, 5),
        **kw,
    )


def read_value(documents: list[dict[str, Any]], source: dict[str, Any]) -> Any:
    """What the named document holds in the named field or line cell."""
    document = next(d for d in documents if d["document_type"] == source["document_type"])
    line, column = parse_field_path(source["field"])
    holder = document["fields"] if line is None else document["line_items"][line]
    return holder[column]["value"]


# --- header and provenance ----------------------------------------------------------------------------------


def test_every_value_read_on_a_document_names_the_document_and_field_holding_it():
    documents = shipment()
    draft = build(documents)
    checked = 0
    for entry in draft["header"].values():
        source = entry["source"]
        if entry["value"] is None or source is None or source["document_type"] not in FIELDS:
            continue
        assert entry["value"] == read_value(documents, source), entry
        assert source["document_id"] == next(
            d["document_id"] for d in documents if d["document_type"] == source["document_type"]
        )
        checked += 1
    assert checked >= 15  # parties, transport, invoice and Form E fields all came from the documents
    for line in draft["lines"]:
        for key in ("description", "quantity", "unit_price", "amount"):
            assert line[key]["value"] == read_value(documents, line[key]["source"])


def test_import_is_an_ida_a11_by_road_with_the_vnaccs_header_fields():
    draft = build(shipment())
    header = draft["header"]
    assert (draft["kind"], header["kind"]["value"], header["type_code"]["value"]) == ("IDA", "IDA", "A11")
    assert header["transport_mode"]["value"] == "4"
    assert header["importer_name"]["value"] == BUYER
    assert header["exporter_name"]["value"] == SELLER
    assert header["bill_number"]["value"] == "CMR-PX-0921"
    assert (header["packages"]["value"], header["packages"]["unit"]) == ("1500", "PK")
    assert (header["gross_weight"]["value"], header["gross_weight"]["unit"]) == ("16200", "KGM")
    assert header["vehicle"]["value"] == "桂F12345"
    assert header["loading_place"]["value"] == "Pingxiang 凭祥"
    # The invoice names the gate; that is where the goods are unloaded for clearance.
    assert header["unloading_place"]["source"]["field"] == "border_gate"
    assert header["invoice_number"]["value"] == "PX-2026-1128"
    assert header["invoice_date"]["value"] == "2026-11-28"
    assert (header["incoterm"]["value"], header["currency"]["value"]) == ("DAP", "USD")
    assert header["total_value"]["value"] == "13450"
    assert header["co_number"]["value"] == "E264700ZC41091001"
    assert draft["warnings"] == []
    assert [d["document_type"] for d in draft["documents"]] == [COMMERCIAL_INVOICE, PACKING_LIST, FORM_E, CMR]


def test_export_is_an_eda_b11_without_import_tariff_lines():
    draft = build(shipment(), direction="export")
    assert (draft["kind"], draft["header"]["type_code"]["value"]) == ("EDA", "B11")
    # Exported goods are unloaded where the CMR delivers them, not at our gate.
    assert draft["header"]["unloading_place"]["value"] == "Lạng Sơn"
    assert all("tariff_schedule" not in line for line in draft["lines"])
    with pytest.raises(ValueError):
        build(shipment(), direction="transit")


def test_a_corrected_value_wins_over_a_value_only_read_on_a_document_of_higher_precedence():
    documents = shipment()
    documents[1] = apply_corrections(documents[1], {"invoice_number": "PX-2026-1129"})  # packing list
    entry = build(documents)["header"]["invoice_number"]
    assert entry["value"] == "PX-2026-1129"
    assert entry["source"]["document_type"] == PACKING_LIST
    assert entry["source"]["corrected"] is True
    # Without the correction the invoice's own number comes first.
    assert build(shipment())["header"]["invoice_number"]["source"]["document_type"] == COMMERCIAL_INVOICE


def test_missing_fields_fall_back_to_the_next_document_in_precedence():
    invoice, _packing, form_e, cmr = shipment()
    del invoice["fields"]["buyer_name"]
    draft = build([invoice, form_e, cmr])  # no packing list
    assert draft["header"]["importer_name"]["value"] == BUYER
    assert draft["header"]["importer_name"]["source"]["document_type"] == FORM_E
    assert draft["header"]["gross_weight"]["source"]["document_type"] == CMR
    assert draft["header"]["packages"]["source"]["document_type"] == CMR


def test_lines_carry_hs_8_digits_unit_codes_origin_and_the_acfta_preference_of_the_form_e():
    draft = build(shipment())
    first, second = draft["lines"]
    assert first["hs_code"]["value"] == "08081000"
    assert first["unit"]["value"] == "KGM" and second["unit"]["value"] == "KGM"
    assert first["origin_country"]["value"] == "CN"
    assert first["tariff_schedule"]["value"] == ACFTA
    assert first["co_reference"]["value"] == "E264700ZC41091001"
    assert [line["number"] for line in draft["lines"]] == [1, 2]
    invoice, packing, _form_e, cmr = shipment()
    without_form_e = build([invoice, packing, cmr])
    assert {line["tariff_schedule"]["value"] for line in without_form_e["lines"]} == {MFN}
    assert "co_number" not in without_form_e["header"]


def test_warnings_name_missing_required_fields_short_hs_codes_and_a_missing_invoice():
    invoice, packing, form_e, cmr = shipment()
    invoice["line_items"][0]["hs_code"] = cell("0808100000")  # a Chinese 10-digit code
    del invoice["fields"]["incoterm"]
    draft = build([invoice, packing, form_e, cmr])
    codes = {(w["code"], w["field"]) for w in draft["warnings"]}
    assert ("hs_not_8_digits", "lines[0].hs_code") in codes
    assert ("missing_value", "header.incoterm") in codes
    assert not any(field == "lines[1].hs_code" for _code, field in codes)
    no_invoice = build([packing, cmr])
    assert no_invoice["warnings"][0]["code"] == "no_invoice"
    assert no_invoice["lines"] == []
    missing = {w["field"] for w in no_invoice["warnings"] if w["code"] == "missing_value"}
    assert {"header.invoice_date", "header.currency", "header.total_value"} <= missing
    assert "header.invoice_number" not in missing  # the packing list names the invoice
    assert missing <= {f"header.{key}" for key in REQUIRED}


def test_total_value_and_line_amounts_are_computed_only_when_not_printed():
    invoice, *others = shipment()
    del invoice["fields"]["total_amount"]
    del invoice["line_items"][1]["amount"]
    draft = build([invoice, *others])
    assert draft["lines"][1]["amount"]["value"] == "3950"  # 5000 × 0.79
    assert draft["header"]["total_value"]["value"] == "13450"
    assert draft["header"]["total_value"]["source"]["field"] == "line_items[*].amount"


def test_issues_are_carried_and_extra_documents_of_a_type_are_named():
    issue = {
        "field": "vehicle_plate",
        "code": "vehicle_plate_mismatch",
        "message": "Biển số khác",
        "severity": "error",
    }
    documents = shipment()
    second_invoice = extraction(COMMERCIAL_INVOICE, {"invoice_number": "OTHER-1"})
    draft = build([*documents, second_invoice], issues=[issue])
    assert draft["issues"] == [issue]
    assert draft["header"]["invoice_number"]["value"] == "PX-2026-1128"  # the first invoice is used
    assert any(w["code"] == "extra_document" for w in draft["warnings"])


# --- corrections --------------------------------------------------------------------------------------------


def test_apply_corrections_keeps_the_box_and_the_value_read_and_leaves_the_input_alone():
    invoice = shipment()[0]
    invoice["fields"]["incoterm"]["confidence"] = 0.41
    corrected = apply_corrections(
        invoice,
        {
            "incoterm": "CIF",
            "line_items[1].amount": "3951",
            "cmr_number": "X",  # not a field of an invoice: ignored
            "line_items[7].amount": "1",  # no such line: ignored
        },
    )
    item = corrected["fields"]["incoterm"]
    assert item == {
        "value": "CIF",
        "confidence": 1.0,
        "bbox": invoice["fields"]["incoterm"]["bbox"],
        "page": 1,
        "corrected": True,
        "extracted": "DAP",
    }
    assert corrected["line_items"][1]["amount"]["extracted"] == "3950"
    assert "cmr_number" not in corrected["fields"]
    assert len(corrected["line_items"]) == 2
    assert invoice["fields"]["incoterm"]["value"] == "DAP"  # the input is not changed
    # A field the OCR did not find can be filled in: no box, nothing read.
    filled = apply_corrections(extraction(CMR, {}), {"trailer_plate": "12R-004.56"})
    assert filled["fields"]["trailer_plate"]["bbox"] is None
    assert filled["fields"]["trailer_plate"]["extracted"] is None


def test_field_paths():
    assert parse_field_path("line_items[12].hs_code") == (12, "hs_code")
    assert parse_field_path("invoice_number") == (None, "invoice_number")
    assert is_valid_field(COMMERCIAL_INVOICE, "line_items[1].hs_code", 2)
    assert not is_valid_field(COMMERCIAL_INVOICE, "line_items[2].hs_code", 2)
    assert not is_valid_field(PACKING_LIST, "line_items[0].hs_code", 2)  # not a packing-list column
    assert not is_valid_field(FORM_E, "line_items[0].description", 1)  # Form E has no lines here
    assert is_valid_field(CMR, "trailer_plate", 0)
    assert not is_valid_field(CMR, "invoice_number", 0)
    assert field_label("line_items[1].amount").endswith("Thành tiền")
    assert "2" in field_label("line_items[1].amount")


def test_units_and_countries_as_vnaccs_codes():
    assert [unit_code(u) for u in ("kgs", "KG", "Tấn", "cái", "pcs.", "套", "thùng")] == [
        "KGM",
        "KGM",
        "TNE",
        "PCE",
        "PCE",
        "SET",
        "THÙNG",
    ]
    assert [country_code(c) for c in ("CHINA", "Trung  Quốc", "中国", "Việt Nam", "Mông Cổ")] == [
        "CN",
        "CN",
        "CN",
        "VN",
        "Mông Cổ",
    ]


# --- PDF ----------------------------------------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    document = pdfium.PdfDocument(io.BytesIO(data))
    return "\n".join(page.get_textpage().get_text_range() for page in document)


def test_the_pdf_prints_the_values_their_sources_the_corrections_and_the_findings():
    documents = shipment()
    documents[0] = apply_corrections(documents[0], {"incoterm": "CIF"})
    issue = {
        "field": "vehicle_plate",
        "code": "vehicle_plate_mismatch",
        "message": "Biển số xe trên C/O mẫu E (桂F12345) khác CMR (桂F12346)",
        "severity": "error",
    }
    data = declaration_pdf(build(documents, issues=[issue]))
    assert data.startswith(b"%PDF-")
    text = " ".join(pdf_text(data).split())
    for expected in (
        "TỜ KHAI HÀNG HÓA NHẬP KHẨU",
        "LH261205-TEST01",
        "A11",
        "CMR-PX-0921",
        "16.200 KGM",  # Vietnamese number print
        "13.450",
        "28/11/2026",
        "08081000",
        SELLER,  # Chinese text is real, extractable text
        "ACFTA",
        "(đã sửa)",
        "Biển số xe trên C/O mẫu E (桂F12345) khác CMR (桂F12346)",
    ):
        assert expected in text, expected
    export = " ".join(pdf_text(declaration_pdf(build(shipment(), direction="export"))).split())
    assert "TỜ KHAI HÀNG HÓA XUẤT KHẨU" in export and "B11" in export
    assert "Không có sai lệch" in export


def test_pdf_helpers():
    assert format_number("12500.5") == "12.500,5"
    assert format_number("-1234567") == "-1.234.567"
    assert format_number("0.75") == "0,75"
    assert format_number("n/a") == "n/a"
    assert markup("Pingxiang 凭祥 & co") == 'Pingxiang <font name="STSong-Light">凭祥</font> &amp; co'
    entry = {
        "value": "X",
        "source": {"document_type": CMR, "field": "cmr_number", "corrected": False, "confidence": 0.5},
    }
    assert "cần kiểm tra" in source_text(entry)
    entry["source"]["corrected"] = True
    assert source_text(entry).endswith("(đã sửa)")
