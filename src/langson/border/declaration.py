"""Draft customs declaration (tờ khai nháp) of one shipment, built from its documents' extractions.

The header and the lines follow the VNACCS/VCIS fields of an import (IDA) or export (EDA) declaration
(Circular 38/2015/TT-BTC Appendix II as amended by Circular 39/2018/TT-BTC; type codes of Decision
1357/QĐ-TCHQ): only the fields a road shipment's commercial invoice, packing list, Form E and CMR can fill.
Fields the system assigns (số tờ khai, phân luồng, tỷ giá, thuế) are left to VNACCS.

Every value says where it came from: ``{"document_type", "field", "document_id", "corrected", "confidence"}``
for a value read on a document (``field`` is the schema's name, or ``line_items[i].column``), the
shipment itself (``document_type == "shipment"``), or a fixed rule of this module (``document_type is None``).
When several documents can fill a field, a value the declarant corrected wins over one only read by the
OCR, then the documents' order of precedence for that field decides.

The module is pure (no database): ``apply_corrections`` turns an extraction and the declarant's corrections
into the extraction the pages, the checks and the declaration use; ``build_declaration`` makes the draft.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from langson.border.schema import CMR, COMMERCIAL_INVOICE, FIELDS, FORM_E, LINE_FIELDS, PACKING_LIST

IMPORT: Final = "import"
EXPORT: Final = "export"
# Decision 1357/QĐ-TCHQ: A11 nhập kinh doanh tiêu dùng, B11 xuất kinh doanh (the ordinary trade flows).
TYPE_CODES: Final = {IMPORT: "A11", EXPORT: "B11"}
KINDS: Final = {IMPORT: "IDA", EXPORT: "EDA"}
ROAD: Final = "4"  # Mã hiệu phương thức vận chuyển: 4 = đường bộ
PACKAGE_UNIT: Final = "PK"  # UN/ECE Rec. 21 "package": the documents do not say which kind of package
WEIGHT_UNIT: Final = "KGM"
ACFTA: Final = "ACFTA"
MFN: Final = "MFN"

DOCUMENT_LABELS: Final = {
    COMMERCIAL_INVOICE: _("Hóa đơn thương mại"),
    PACKING_LIST: _("Phiếu đóng gói"),
    FORM_E: _("C/O mẫu E (ACFTA)"),
    CMR: _("Vận đơn đường bộ (CMR)"),
    "shipment": _("Lô hàng"),
}

# What each schema field is called on the pages and in the draft's "source" column.
FIELD_LABELS: Final = {
    "invoice_number": _("Số hóa đơn"),
    "invoice_date": _("Ngày hóa đơn"),
    "seller_name": _("Người bán"),
    "buyer_name": _("Người mua"),
    "currency": _("Đồng tiền"),
    "total_amount": _("Tổng trị giá"),
    "incoterm": _("Điều kiện giao hàng"),
    "country_of_origin": _("Nước xuất xứ"),
    "border_gate": _("Cửa khẩu"),
    "packing_list_number": _("Số phiếu đóng gói"),
    "packing_list_date": _("Ngày phiếu đóng gói"),
    "total_packages": _("Tổng số kiện"),
    "total_gross_weight_kg": _("Tổng trọng lượng cả bì (kg)"),
    "total_net_weight_kg": _("Tổng trọng lượng tịnh (kg)"),
    "certificate_number": _("Số C/O"),
    "issue_date": _("Ngày cấp C/O"),
    "exporter_name": _("Người xuất khẩu"),
    "importer_name": _("Người nhập khẩu"),
    "vehicle_plate": _("Biển số xe"),
    "origin_criterion": _("Tiêu chí xuất xứ"),
    "fob_value": _("Trị giá FOB"),
    "cmr_number": _("Số CMR"),
    "cmr_date": _("Ngày CMR"),
    "consignor_name": _("Người gửi hàng"),
    "consignee_name": _("Người nhận hàng"),
    "trailer_plate": _("Biển số rơ moóc"),
    "place_of_loading": _("Nơi xếp hàng"),
    "place_of_delivery": _("Nơi giao hàng"),
    "description": _("Mô tả hàng hóa"),
    "hs_code": _("Mã HS"),
    "quantity": _("Số lượng"),
    "unit": _("Đơn vị tính"),
    "unit_price": _("Đơn giá"),
    "amount": _("Thành tiền"),
    "packages": _("Số kiện"),
    "gross_weight_kg": _("Trọng lượng cả bì (kg)"),
    "net_weight_kg": _("Trọng lượng tịnh (kg)"),
}

LINE_PATH = re.compile(r"^line_items\[(\d{1,4})\]\.([a-z_]+)$")


# --- Corrections --------------------------------------------------------------------------------------------


def parse_field_path(name: str) -> tuple[int | None, str]:
    """``"invoice_number"`` → ``(None, "invoice_number")``; ``"line_items[2].amount"`` → ``(2, "amount")``."""
    match = LINE_PATH.match(name)
    if match:
        return int(match.group(1)), match.group(2)
    return None, name


def field_label(name: str) -> str:
    """The words for a field path: "Số hóa đơn", "Dòng 2 · Thành tiền" (in the active language)."""
    line, column = parse_field_path(name)
    label = str(FIELD_LABELS.get(column, column))
    if line is None:
        return label
    return _("Dòng %(n)s · %(field)s") % {"n": line + 1, "field": label}


def is_valid_field(document_type: str, name: str, line_count: int) -> bool:
    """Whether ``name`` names a field of this document type (a line column only for an existing line)."""
    line, column = parse_field_path(name)
    if line is None:
        return column in FIELDS.get(document_type, ())
    return column in LINE_FIELDS.get(document_type, ()) and 0 <= line < line_count


def apply_corrections(extraction: Mapping[str, Any], corrections: Mapping[str, str]) -> dict[str, Any]:
    """A copy of ``extraction`` where each corrected field holds the declarant's value.

    A corrected field keeps its box and page (the place on the image the value belongs to), gets confidence
    1.0, ``"corrected": True`` and ``"extracted"``: what the OCR had read (None when it found nothing).
    Corrections naming no field of the document are ignored. ``issues`` are left as they were: the caller
    recomputes them on the corrected values (``checks.check_document``).
    """
    result = copy.deepcopy(dict(extraction))
    result.setdefault("fields", {})
    result.setdefault("line_items", [])
    document_type = str(result.get("document_type") or "")
    for name, value in corrections.items():
        if not is_valid_field(document_type, name, len(result["line_items"])):
            continue
        line, column = parse_field_path(name)
        target = result["fields"] if line is None else result["line_items"][line]
        before = target.get(column) or {}
        target[column] = {
            "value": value,
            "confidence": 1.0,
            "bbox": before.get("bbox"),
            "page": before.get("page"),
            "corrected": True,
            "extracted": before.get("value"),
        }
    return result


# --- Value normalisation for the declaration ----------------------------------------------------------------

# Units of quantity as VNACCS wants them (UN/ECE Recommendation 20 codes), from what invoices print.
UNIT_CODES: Final = {
    "KGM": ("kg", "kgs", "kilogram", "kilograms", "kilôgam", "ki-lô-gam", "公斤", "千克"),
    "TNE": ("t", "mt", "ton", "tons", "tonne", "tonnes", "tấn", "吨"),
    "PCE": ("pc", "pcs", "piece", "pieces", "cái", "chiếc", "个", "件"),
    "SET": ("set", "sets", "bộ", "套"),
    "LTR": ("l", "lit", "litre", "liter", "litres", "liters", "lít", "升"),
    "MTR": ("m", "metre", "meter", "metres", "meters", "mét", "米"),
}
_UNIT_LOOKUP: Final = {
    alias: code for code, aliases in UNIT_CODES.items() for alias in (code.lower(), *aliases)
}

COUNTRY_CODES: Final = {
    "CN": (
        "cn",
        "china",
        "prc",
        "p.r.china",
        "p.r. china",
        "people's republic of china",
        "trung quốc",
        "中国",
    ),
    "VN": ("vn", "vietnam", "viet nam", "việt nam", "越南", "socialist republic of viet nam"),
    "TH": ("th", "thailand", "thái lan", "泰国"),
    "LA": ("la", "laos", "lao pdr", "lào", "老挝"),
}
_COUNTRY_LOOKUP: Final = {alias: code for code, aliases in COUNTRY_CODES.items() for alias in aliases}


def unit_code(unit: str) -> str:
    """The VNACCS unit code of a printed unit ("kgs" → "KGM", "cái" → "PCE"); unknown units as printed."""
    text = unit.strip()
    return _UNIT_LOOKUP.get(text.lower().rstrip("."), text.upper())


def country_code(country: str) -> str:
    """ISO 3166 alpha-2 of a printed country ("Trung Quốc", "CHINA", "中国" → "CN"); unknown as printed."""
    text = " ".join(country.split())
    return _COUNTRY_LOOKUP.get(text.lower(), text)


def hs_digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _plain(number: Decimal) -> str:
    """The canonical decimal string of the extraction schema: no exponent, no trailing zeros."""
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


# --- Building the draft -------------------------------------------------------------------------------------


def _source(document_type: str | None, field: str | None, **more: Any) -> dict[str, Any]:
    return {
        "document_type": document_type,
        "field": field,
        "document_id": more.get("document_id"),
        "corrected": bool(more.get("corrected", False)),
        "confidence": more.get("confidence"),
    }


def _entry(label: Any, value: Any, source: dict[str, Any] | None, unit: str | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"label": str(label), "value": value, "source": source}
    if unit is not None:
        entry["unit"] = unit
    return entry


class _Documents:
    """The shipment's extractions by type (the first of each type: one declaration, one invoice)."""

    def __init__(self, extractions: Iterable[Mapping[str, Any]]) -> None:
        self.by_type: dict[str, Mapping[str, Any]] = {}
        self.extra: list[Mapping[str, Any]] = []
        for extraction in extractions:
            kind = str(extraction.get("document_type") or "")
            if kind in self.by_type:
                self.extra.append(extraction)
            elif kind:
                self.by_type[kind] = extraction

    def pick(self, candidates: Sequence[tuple[str, str]]) -> tuple[Any, dict[str, Any] | None]:
        """The value of the first corrected candidate, else of the first candidate with a value."""
        found: list[tuple[Any, dict[str, Any]]] = []
        for document_type, field in candidates:
            extraction = self.by_type.get(document_type)
            if extraction is None:
                continue
            item = (extraction.get("fields") or {}).get(field) or {}
            value = item.get("value")
            if value in (None, ""):
                continue
            source = _source(
                document_type,
                field,
                document_id=extraction.get("document_id"),
                corrected=item.get("corrected", False),
                confidence=item.get("confidence"),
            )
            found.append((value, source))
        for value, source in found:
            if source["corrected"]:
                return value, source
        return found[0] if found else (None, None)


# (key, label, candidates in order of precedence) of the header fields read on the documents.
_Spec = tuple[str, Any, tuple[tuple[str, str], ...]]
# Import and export use the same sources: the seller is the exporter either way.
_PARTIES: Final[tuple[_Spec, ...]] = (
    (
        "importer_name",
        _("Tên người nhập khẩu"),
        ((COMMERCIAL_INVOICE, "buyer_name"), (FORM_E, "importer_name"), (CMR, "consignee_name")),
    ),
    (
        "exporter_name",
        _("Tên người xuất khẩu"),
        ((COMMERCIAL_INVOICE, "seller_name"), (FORM_E, "exporter_name"), (CMR, "consignor_name")),
    ),
)
_TRANSPORT: Final[tuple[_Spec, ...]] = (
    ("bill_number", _("Số vận đơn"), ((CMR, "cmr_number"),)),
    ("bill_date", _("Ngày vận đơn"), ((CMR, "cmr_date"),)),
    (
        "vehicle",
        _("Tên phương tiện vận chuyển (biển số)"),
        ((CMR, "vehicle_plate"), (FORM_E, "vehicle_plate")),
    ),
    ("trailer", _("Biển số rơ moóc"), ((CMR, "trailer_plate"),)),
    ("loading_place", _("Địa điểm xếp hàng"), ((CMR, "place_of_loading"),)),
)
_INVOICE: Final[tuple[_Spec, ...]] = (
    (
        "invoice_number",
        _("Số hóa đơn"),
        (
            (COMMERCIAL_INVOICE, "invoice_number"),
            (PACKING_LIST, "invoice_number"),
            (FORM_E, "invoice_number"),
        ),
    ),
    ("invoice_date", _("Ngày phát hành hóa đơn"), ((COMMERCIAL_INVOICE, "invoice_date"),)),
    ("incoterm", _("Điều kiện giá hóa đơn"), ((COMMERCIAL_INVOICE, "incoterm"),)),
    ("currency", _("Mã đồng tiền của hóa đơn"), ((COMMERCIAL_INVOICE, "currency"),)),
)
_FORM_E: Final[tuple[_Spec, ...]] = (
    ("co_number", _("Số C/O mẫu E"), ((FORM_E, "certificate_number"),)),
    ("co_date", _("Ngày cấp C/O"), ((FORM_E, "issue_date"),)),
    ("origin_criterion", _("Tiêu chí xuất xứ"), ((FORM_E, "origin_criterion"),)),
    ("fob_value", _("Trị giá FOB trên C/O"), ((FORM_E, "fob_value"),)),
)
# Header fields a declaration cannot be lodged without: a warning names each one still empty.
REQUIRED: Final = (
    "importer_name",
    "exporter_name",
    "bill_number",
    "packages",
    "gross_weight",
    "vehicle",
    "invoice_number",
    "invoice_date",
    "incoterm",
    "currency",
    "total_value",
)


def _header(documents: _Documents, direction: str, gate_name: str, prepared_on: date) -> dict[str, Any]:
    header: dict[str, Any] = {
        "kind": _entry(_("Nghiệp vụ khai báo"), KINDS[direction], _source("shipment", "direction")),
        "type_code": _entry(_("Mã loại hình"), TYPE_CODES[direction], _source("shipment", "direction")),
        "transport_mode": _entry(_("Mã hiệu phương thức vận chuyển"), ROAD, _source(None, None)),
        "border_gate": _entry(
            _("Cửa khẩu làm thủ tục"), gate_name or None, _source("shipment", "border_gate")
        ),
        "declared_on": _entry(_("Ngày khai báo (dự kiến)"), prepared_on.isoformat(), _source(None, None)),
    }
    for key, label, candidates in _PARTIES:
        value, source = documents.pick(candidates)
        header[key] = _entry(label, value, source)
    for key, label, candidates in _TRANSPORT:
        value, source = documents.pick(candidates)
        header[key] = _entry(label, value, source)
    value, source = documents.pick(((PACKING_LIST, "total_packages"), (CMR, "total_packages")))
    header["packages"] = _entry(_("Số lượng kiện"), value, source, unit=PACKAGE_UNIT)
    value, source = documents.pick(((PACKING_LIST, "total_gross_weight_kg"), (CMR, "total_gross_weight_kg")))
    header["gross_weight"] = _entry(_("Tổng trọng lượng hàng (Gross)"), value, source, unit=WEIGHT_UNIT)
    if direction == IMPORT:
        # Goods come in through the gate: it is where they are unloaded for clearance.
        value, source = documents.pick(((COMMERCIAL_INVOICE, "border_gate"),))
        if value is None and gate_name:
            value, source = gate_name, _source("shipment", "border_gate")
        header["unloading_place"] = _entry(_("Địa điểm dỡ hàng"), value, source)
    else:
        value, source = documents.pick(((CMR, "place_of_delivery"),))
        header["unloading_place"] = _entry(_("Địa điểm nhận hàng cuối cùng"), value, source)
    for key, label, candidates in _INVOICE:
        value, source = documents.pick(candidates)
        header[key] = _entry(label, value, source)
    return header


def _total_value(documents: _Documents, lines: list[dict[str, Any]]) -> dict[str, Any]:
    label = _("Tổng trị giá hóa đơn")
    value, source = documents.pick(((COMMERCIAL_INVOICE, "total_amount"),))
    if value is not None:
        return _entry(label, value, source)
    amounts = [_decimal(line["amount"]["value"]) for line in lines]
    if lines and all(amount is not None for amount in amounts):
        total = sum((amount for amount in amounts if amount is not None), Decimal(0))
        return _entry(label, _plain(total), _source(COMMERCIAL_INVOICE, "line_items[*].amount"))
    return _entry(label, None, None)


def _line_source(
    extraction: Mapping[str, Any], index: int, column: str, item: Mapping[str, Any]
) -> dict[str, Any]:
    return _source(
        str(extraction.get("document_type")),
        f"line_items[{index}].{column}",
        document_id=extraction.get("document_id"),
        corrected=item.get("corrected", False),
        confidence=item.get("confidence"),
    )


def _cell(
    invoice: Mapping[str, Any],
    index: int,
    row: Mapping[str, Any],
    column: str,
    label: Any,
    convert: Any = None,
) -> dict[str, Any]:
    found = row.get(column) or {}
    value = found.get("value")
    if value in (None, ""):
        return _entry(label, None, None)
    return _entry(label, convert(value) if convert else value, _line_source(invoice, index, column, found))


def _lines(documents: _Documents, direction: str, warnings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    invoice = documents.by_type.get(COMMERCIAL_INVOICE)
    if invoice is None:
        return []
    country, country_source = documents.pick(((COMMERCIAL_INVOICE, "country_of_origin"),))
    form_e = documents.by_type.get(FORM_E)
    co_number, co_source = documents.pick(((FORM_E, "certificate_number"),))
    lines: list[dict[str, Any]] = []
    for index, item in enumerate(invoice.get("line_items") or []):
        hs = _cell(invoice, index, item, "hs_code", _("Mã số hàng hóa"), hs_digits)
        line: dict[str, Any] = {
            "number": index + 1,
            "hs_code": hs,
            "description": _cell(invoice, index, item, "description", _("Mô tả hàng hóa")),
            "quantity": _cell(invoice, index, item, "quantity", _("Số lượng (1)")),
            "unit": _cell(invoice, index, item, "unit", _("Mã đơn vị tính"), unit_code),
            "unit_price": _cell(invoice, index, item, "unit_price", _("Đơn giá hóa đơn")),
            "amount": _cell(invoice, index, item, "amount", _("Trị giá hóa đơn")),
            "origin_country": _entry(
                _("Nước xuất xứ"), country_code(str(country)) if country else None, country_source
            ),
        }
        if line["amount"]["value"] is None:
            quantity = _decimal(line["quantity"]["value"])
            price = _decimal(line["unit_price"]["value"])
            if quantity is not None and price is not None:
                line["amount"] = _entry(
                    _("Trị giá hóa đơn"),
                    _plain(quantity * price),
                    _source(COMMERCIAL_INVOICE, f"line_items[{index}].quantity*unit_price"),
                )
        if direction == IMPORT:
            if form_e is not None:
                # A Form E claims the ACFTA special preferential rate for the line.
                line["tariff_schedule"] = _entry(_("Mã biểu thuế nhập khẩu"), ACFTA, _source(FORM_E, None))
                line["co_reference"] = _entry(_("Số C/O mẫu E"), co_number, co_source)
            else:
                line["tariff_schedule"] = _entry(_("Mã biểu thuế nhập khẩu"), MFN, _source(None, None))
        digits = hs["value"] or ""
        if len(digits) != 8:
            warnings.append(
                _warning(
                    f"lines[{index}].hs_code",
                    "hs_not_8_digits",
                    _("Dòng hàng %(n)s: mã HS “%(hs)s” không đủ 8 chữ số theo Danh mục AHTN của Việt Nam.")
                    % {"n": index + 1, "hs": digits or "—"},
                )
            )
        lines.append(line)
    return lines


def _warning(field: str, code: str, message: Any) -> dict[str, Any]:
    return {"field": field, "code": code, "message": str(message), "severity": "warning"}


def build_declaration(
    extractions: Iterable[Mapping[str, Any]],
    *,
    direction: str,
    border_gate: str = "",
    reference: str = "",
    prepared_on: date | None = None,
    issues: Sequence[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """The draft declaration of one shipment as a JSON-ready dict.

    ``extractions``: the shipment's documents in the schema shape, corrections already applied
    (``apply_corrections``), each optionally with a ``document_id``; the first document of each type is used.
    ``direction``: "import" (IDA, A11) or "export" (EDA, B11). ``border_gate``: the name of the gate of the
    shipment. ``issues``: the shipment's check findings, carried into the draft so that they are printed.

    Returns ``{"kind", "direction", "reference", "border_gate", "prepared_on", "header": {KEY: entry},
    "lines": [{"number", KEY: entry}], "warnings": [...], "issues": [...], "documents": [...]}`` where an
    entry is ``{"label", "value", "source"[, "unit"]}``. Labels are the Vietnamese VNACCS field names.
    """
    if direction not in TYPE_CODES:
        raise ValueError(f"direction must be 'import' or 'export', not {direction!r}")
    prepared_on = prepared_on or date.today()
    with translation.override("vi"):  # the draft is a Vietnamese customs form whatever the page language
        documents = _Documents(extractions)
        warnings: list[dict[str, Any]] = []
        header = _header(documents, direction, border_gate, prepared_on)
        lines = _lines(documents, direction, warnings)
        header["total_value"] = _total_value(documents, lines)
        if FORM_E in documents.by_type:
            for key, label, candidates in _FORM_E:
                value, source = documents.pick(candidates)
                header[key] = _entry(label, value, source)
        if COMMERCIAL_INVOICE not in documents.by_type:
            warnings.insert(
                0,
                _warning(
                    "lines",
                    "no_invoice",
                    _("Chưa có hóa đơn thương mại: tờ khai chưa có dòng hàng và trị giá."),
                ),
            )
        missing = [key for key in REQUIRED if header[key]["value"] in (None, "")]
        for key in missing:
            warnings.append(
                _warning(
                    f"header.{key}",
                    "missing_value",
                    _("Chưa có giá trị cho “%(field)s”.") % {"field": header[key]["label"]},
                )
            )
        for extra in documents.extra:
            warnings.append(
                _warning(
                    "documents",
                    "extra_document",
                    _("Lô hàng có nhiều hơn một %(type)s: tờ khai dùng chứng từ tải lên đầu tiên.")
                    % {"type": str(DOCUMENT_LABELS.get(str(extra.get("document_type")), "")).lower()},
                )
            )
        used = [
            {
                "document_type": kind,
                "label": str(DOCUMENT_LABELS[kind]),
                "document_id": documents.by_type[kind].get("document_id"),
            }
            for kind in (COMMERCIAL_INVOICE, PACKING_LIST, FORM_E, CMR)
            if kind in documents.by_type
        ]
    return {
        "kind": KINDS[direction],
        "direction": direction,
        "reference": reference,
        "border_gate": border_gate,
        "prepared_on": prepared_on.isoformat(),
        "header": header,
        "lines": lines,
        "warnings": warnings,
        "issues": [dict(issue) for issue in issues],
        "documents": used,
        "draft": True,
    }


__all__ = [
    "ACFTA",
    "DOCUMENT_LABELS",
    "EXPORT",
    "FIELD_LABELS",
    "IMPORT",
    "KINDS",
    "MFN",
    "REQUIRED",
    "TYPE_CODES",
    "apply_corrections",
    "build_declaration",
    "country_code",
    "field_label",
    "hs_digits",
    "is_valid_field",
    "parse_field_path",
    "unit_code",
]
