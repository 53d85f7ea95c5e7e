"""Checks on extracted trade documents (issue 5): within one document, and across a shipment's documents.

Each finding is one issue ``{"field", "code", "message", "severity"}``; cross-document issues also carry
``"documents"`` (the document types involved, the one carrying the odd value first) and ``"values"``
({document_type: value}). ``field`` is a field name or ``line_items[i].column`` (``i`` counts from 0; the
message counts lines from 1). Messages are Vietnamese (gettext; English in the catalogue).

Rules where the issue is silent (decided here, tested in ``tests/test_checks.py``):

- Values are read as canonical strings; a number that is already canonical (``"1.125"``) is trusted as it
  is, anything else goes through ``normalize``. A field that is absent or empty is never a mismatch: it is a
  ``missing_field`` warning on its own document when the field is required (``REQUIRED_FIELDS``).
- Line arithmetic: ``quantity × unit_price`` may miss ``amount`` by one minor unit of the currency (0.01 for
  USD/CNY, 1 for VND/JPY/KRW; 2 decimals when the currency is unknown), which covers an amount rounded to the
  minor unit and a unit price rounded so that a few units miss by a cent; a unit price rounded so much that
  a large quantity misses by more is reported, as customs would query it. The line amounts must add up to
  ``total_amount`` within half a minor unit per line (at least one minor unit). Packing-list sums: packages
  exactly, weights within half of the last printed digit per line (at least 0.01 kg).
- HS codes: commercial invoice lines need the 8-digit AHTN code; 6 digits is a warning (the declaration
  needs 8); a 10-digit Chinese code is a warning (only the first 6 compare); anything else, or chapter 00,
  77 or 99, is an error. Form E lines (when extracted) carry 6 digits.
- Dates: more than one day in the future is an error; older than ``MAX_AGE_YEARS`` (2) years is a warning
  (most often an OCR misread year); a Form E older than 12 months is past its validity (ACFTA rules).
- Cross-document: weights within 0.5 % of the larger value; packages exactly; FOB value equal to the
  invoice total (within one whole currency unit, as box 9 is often printed in whole units) when the invoice
  is FOB; for C and D terms (CFR, CIF, CPT, CIP, DAP, DPU, DDP, DAT, DAF, DES, DEQ, DDU) the FOB value may
  not exceed the invoice total, which already includes carriage; for E and F terms other than FOB (EXW,
  FCA, FAS) a FOB value below the invoice total is a warning; without an incoterm there is no FOB check.
  Goods: every packing-list line must share at least half of its significant words with some invoice line;
  descriptions are compared only when they are in a common language (Vietnamese, other Latin, Chinese),
  so a Chinese-only packing list is not flagged against an English invoice. HS codes (first 6 digits)
  are compared between any documents whose lines carry them. When the invoice is in kilograms or tonnes,
  its total quantity is compared with the packing list's net weight (0.5 %, warning).
- Plates: the Form E plate must equal the CMR vehicle plate; equal to the CMR trailer plate also counts
  (box 3 sometimes names the trailer).
- A shipment with two documents of one type compares the first and warns about the others.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Final

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from langson.border.normalize import (
    INCOTERMS,
    is_canonical_number,
    normalize_currency,
    normalize_date,
    normalize_hs,
    normalize_incoterm,
    normalize_number,
    normalize_plate,
    normalize_text,
    parse_plate,
)
from langson.border.schema import (
    CMR,
    COMMERCIAL_INVOICE,
    DATE_FIELDS,
    DOCUMENT_TYPES,
    FIELDS,
    FORM_E,
    NUMBER_FIELDS,
    PACKING_LIST,
    PLATE_FIELDS,
)

__all__ = [
    "DOCUMENT_NAMES",
    "FIELD_LABELS",
    "MAX_AGE_YEARS",
    "REQUIRED_FIELDS",
    "REQUIRED_LINE_FIELDS",
    "WEIGHT_TOLERANCE",
    "check_document",
    "check_shipment",
]

DOCUMENT_NAMES: Final = {
    COMMERCIAL_INVOICE: gettext_lazy("hóa đơn thương mại"),
    PACKING_LIST: gettext_lazy("phiếu đóng gói"),
    FORM_E: gettext_lazy("C/O mẫu E"),
    CMR: gettext_lazy("vận đơn CMR"),
}

FIELD_LABELS: Final = {
    "invoice_number": gettext_lazy("số hóa đơn"),
    "invoice_date": gettext_lazy("ngày hóa đơn"),
    "seller_name": gettext_lazy("người bán"),
    "buyer_name": gettext_lazy("người mua"),
    "currency": gettext_lazy("đồng tiền"),
    "total_amount": gettext_lazy("tổng trị giá"),
    "incoterm": gettext_lazy("điều kiện giao hàng"),
    "country_of_origin": gettext_lazy("nước xuất xứ"),
    "border_gate": gettext_lazy("cửa khẩu"),
    "packing_list_number": gettext_lazy("số phiếu đóng gói"),
    "packing_list_date": gettext_lazy("ngày phiếu đóng gói"),
    "total_packages": gettext_lazy("tổng số kiện"),
    "total_gross_weight_kg": gettext_lazy("tổng trọng lượng cả bì (kg)"),
    "total_net_weight_kg": gettext_lazy("tổng trọng lượng tịnh (kg)"),
    "certificate_number": gettext_lazy("số C/O"),
    "issue_date": gettext_lazy("ngày cấp"),
    "exporter_name": gettext_lazy("người xuất khẩu"),
    "importer_name": gettext_lazy("người nhập khẩu"),
    "vehicle_plate": gettext_lazy("biển số xe"),
    "origin_criterion": gettext_lazy("tiêu chí xuất xứ"),
    "fob_value": gettext_lazy("trị giá FOB"),
    "cmr_number": gettext_lazy("số CMR"),
    "cmr_date": gettext_lazy("ngày CMR"),
    "consignor_name": gettext_lazy("người gửi hàng"),
    "consignee_name": gettext_lazy("người nhận hàng"),
    "trailer_plate": gettext_lazy("biển số rơ moóc"),
    "place_of_loading": gettext_lazy("nơi xếp hàng"),
    "place_of_delivery": gettext_lazy("nơi giao hàng"),
    "description": gettext_lazy("mô tả hàng"),
    "hs_code": gettext_lazy("mã HS"),
    "quantity": gettext_lazy("số lượng"),
    "unit": gettext_lazy("đơn vị tính"),
    "unit_price": gettext_lazy("đơn giá"),
    "amount": gettext_lazy("thành tiền"),
    "packages": gettext_lazy("số kiện"),
    "gross_weight_kg": gettext_lazy("trọng lượng cả bì (kg)"),
    "net_weight_kg": gettext_lazy("trọng lượng tịnh (kg)"),
}

# What a declaration cannot do without (others, such as the border gate or a trailer, are optional).
REQUIRED_FIELDS: Final[dict[str, tuple[str, ...]]] = {
    COMMERCIAL_INVOICE: (
        "invoice_number",
        "invoice_date",
        "seller_name",
        "buyer_name",
        "currency",
        "total_amount",
        "incoterm",
    ),
    PACKING_LIST: ("invoice_number", "total_packages", "total_gross_weight_kg", "total_net_weight_kg"),
    FORM_E: (
        "certificate_number",
        "issue_date",
        "exporter_name",
        "importer_name",
        "origin_criterion",
        "invoice_number",
    ),
    CMR: (
        "cmr_number",
        "cmr_date",
        "consignor_name",
        "consignee_name",
        "vehicle_plate",
        "place_of_loading",
        "place_of_delivery",
        "total_packages",
        "total_gross_weight_kg",
    ),
}
REQUIRED_LINE_FIELDS: Final[dict[str, tuple[str, ...]]] = {
    COMMERCIAL_INVOICE: ("description", "hs_code", "quantity", "unit_price", "amount"),
    PACKING_LIST: ("description", "packages", "gross_weight_kg", "net_weight_kg"),
}

MAX_AGE_YEARS: Final = 2
WEIGHT_TOLERANCE: Final = Decimal("0.005")  # 0.5 % between documents
ZERO_DECIMAL_CURRENCIES: Final = frozenset({"VND", "JPY", "KRW"})
C_AND_D_TERMS: Final = frozenset(
    {"CFR", "CIF", "CPT", "CIP", "DAP", "DPU", "DDP", "DAT", "DAF", "DES", "DEQ", "DDU"}
)
E_AND_F_TERMS: Final = frozenset({"EXW", "FCA", "FAS"})
UNUSED_VN_PROVINCE_CODES: Final = frozenset({"13", "42", "44", "45", "46", "87", "91", "96"})
INTEGER_FIELDS: Final = frozenset({"total_packages", "packages"})
TOTAL_FIELDS: Final = frozenset(
    {"total_amount", "total_packages", "total_gross_weight_kg", "total_net_weight_kg", "fob_value"}
)
_ORIGIN_CRITERION = re.compile(
    r"(WO|PE|CTH|CTSH|CC|PSR|RVC\s*\d{2}\s*%?|\d{2}\s*%|DE\s*MINIMIS)(\b|\s|$)", re.IGNORECASE
)
_KG_UNITS: Final = frozenset({"kg", "kgs", "kgm", "kilogram", "kilograms", "kilô", "kilôgam", "公斤", "千克"})
_TONNE_UNITS: Final = frozenset({"t", "tne", "mt", "ton", "tons", "tonne", "tonnes", "tấn", "吨", "噸"})

Issue = dict[str, Any]


# ------------------------------------------------------------------------------------------------- helpers


def _issue(field: str, code: str, message: str, severity: str = "error", **extra: Any) -> Issue:
    return {"field": field, "code": code, "message": message, "severity": severity, **extra}


def _cell_value(cell: Any) -> str | None:
    """The value of a field or line cell ({"value": ...} or a bare value), stripped; None when empty."""
    value = cell.get("value") if isinstance(cell, dict) else cell
    if value is None:
        return None
    text = normalize_text(str(value))
    return text or None


def _fields(extraction: dict[str, Any]) -> dict[str, str]:
    found = extraction.get("fields") or {}
    values = {name: _cell_value(cell) for name, cell in found.items()}
    return {name: value for name, value in values.items() if value is not None}


def _lines(extraction: dict[str, Any]) -> list[dict[str, str]]:
    lines = []
    for line in extraction.get("line_items") or []:
        values = {name: _cell_value(cell) for name, cell in (line or {}).items()}
        lines.append({name: value for name, value in values.items() if value is not None})
    return lines


def _number(value: str | None) -> Decimal | None:
    if value is None:
        return None
    text = value if is_canonical_number(value) else normalize_number(value)
    return Decimal(text) if text is not None else None


def _show(value: Decimal) -> str:
    """A computed number in the canonical form of the values (plain, no trailing zeros)."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in {"", "-0"} else text


def _decimals(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _minor_unit(currency: str | None) -> Decimal:
    return Decimal(1) if currency in ZERO_DECIMAL_CURRENCIES else Decimal("0.01")


def _percent(difference: Decimal, base: Decimal) -> str:
    share = (difference / base * 100) if base else Decimal(100)
    return number_format(share.quantize(Decimal("0.1")), decimal_pos=1)


def _label(name: str) -> str:
    return str(FIELD_LABELS.get(name, name))


def _document(document_type: str) -> str:
    return str(DOCUMENT_NAMES.get(document_type, document_type))


def _today() -> dt.date:
    return timezone.localdate()


# ----------------------------------------------------------------------------------------- document checks


def check_document(extraction: dict[str, Any], *, today: dt.date | None = None) -> list[Issue]:
    """The issues of one extraction (schema shape): missing required fields, values that are not dates,
    numbers, currencies, incoterms or plates, HS code formats, line arithmetic and totals, gross ≥ net."""
    document_type = extraction.get("document_type")
    if document_type not in DOCUMENT_TYPES:
        message = _("Không rõ loại chứng từ (%(value)s)") % {"value": document_type}
        return [_issue("document_type", "unknown_document_type", message)]
    today = today or _today()
    fields = _fields(extraction)
    lines = _lines(extraction)
    issues: list[Issue] = []
    issues += _missing(document_type, fields, lines)
    issues += _field_formats(document_type, fields, today)
    issues += _hs_codes(document_type, lines)
    issues += _line_values(document_type, lines, today)
    if document_type == COMMERCIAL_INVOICE:
        issues += _invoice_arithmetic(fields, lines)
    if document_type == PACKING_LIST:
        issues += _packing_arithmetic(fields, lines)
    if document_type == FORM_E:
        issues += _form_e(fields, today)
    return issues


def _missing(document_type: str, fields: dict[str, str], lines: list[dict[str, str]]) -> list[Issue]:
    document = _document(document_type)
    issues = [
        _issue(
            name,
            "missing_field",
            _("Thiếu %(field)s trên %(document)s") % {"field": _label(name), "document": document},
            "warning",
        )
        for name in REQUIRED_FIELDS[document_type]
        if name not in fields
    ]
    required_columns = REQUIRED_LINE_FIELDS.get(document_type, ())
    if required_columns and not lines:
        message = _("Không đọc được dòng hàng nào trên %(document)s") % {"document": document}
        issues.append(_issue("line_items", "missing_line_items", message, "warning"))
    for i, line in enumerate(lines):
        for column in required_columns:
            if column not in line:
                message = _("Dòng %(line)s của %(document)s thiếu %(field)s") % {
                    "line": i + 1,
                    "document": document,
                    "field": _label(column),
                }
                issues.append(_issue(f"line_items[{i}].{column}", "missing_line_value", message, "warning"))
    return issues


def _value_issues(
    document_type: str, name: str, field: str, value: str, today: dt.date, line: int | None = None
) -> list[Issue]:
    """Format checks of one value, whatever document or line it sits on."""
    params = {"field": capfirst(_label(name)), "document": _document(document_type), "value": value}
    if line is not None:
        params["field"] = _("%(field)s ở dòng %(line)s") % {"field": capfirst(_label(name)), "line": line}
    if name in DATE_FIELDS:
        return _date_issues(field, value, params, today)
    if name in NUMBER_FIELDS:
        return _number_issues(name, field, value, params)
    if name in PLATE_FIELDS:
        return _plate_issues(name, field, value, params)
    if name == "currency" and normalize_currency(value) is None:
        message = _("Không nhận ra mã đồng tiền trên %(document)s (%(value)s)") % params
        return [_issue(field, "invalid_currency", message)]
    if name == "incoterm" and normalize_incoterm(value) is None:
        message = _("Không nhận ra điều kiện giao hàng (Incoterms) trên %(document)s (%(value)s)") % params
        return [_issue(field, "invalid_incoterm", message, "warning")]
    if name == "origin_criterion" and not _ORIGIN_CRITERION.match(value.strip()):
        message = _(
            "Tiêu chí xuất xứ trên %(document)s không hợp lệ (%(value)s); cần WO, PE, RVC 40%%, CTH hoặc PSR"
        ) % {"document": params["document"], "value": value}
        return [_issue(field, "invalid_origin_criterion", message, "warning")]
    return []


def _date_issues(field: str, value: str, params: dict[str, Any], today: dt.date) -> list[Issue]:
    text = normalize_date(value)
    if text is None:
        message = _("%(field)s trên %(document)s không phải là ngày hợp lệ (%(value)s)") % params
        return [_issue(field, "invalid_date", message)]
    when = dt.date.fromisoformat(text)
    if when > today + dt.timedelta(days=1):
        message = _("%(field)s trên %(document)s (%(value)s) là ngày trong tương lai") % params
        return [_issue(field, "date_in_future", message)]
    if when < today - dt.timedelta(days=round(365.25 * MAX_AGE_YEARS)):
        message = _("%(field)s trên %(document)s (%(value)s) cũ hơn %(years)s năm, hãy kiểm tra lại") % {
            **params,
            "years": MAX_AGE_YEARS,
        }
        return [_issue(field, "date_too_old", message, "warning")]
    return []


def _number_issues(name: str, field: str, value: str, params: dict[str, Any]) -> list[Issue]:
    number = _number(value)
    if number is None:
        message = _("%(field)s trên %(document)s không phải là số hợp lệ (%(value)s)") % params
        return [_issue(field, "invalid_number", message)]
    if number < 0:
        message = _("%(field)s trên %(document)s không được âm (%(value)s)") % params
        return [_issue(field, "negative_value", message)]
    if name in INTEGER_FIELDS and number != number.to_integral_value():
        message = _("%(field)s trên %(document)s phải là số nguyên (%(value)s)") % params
        return [_issue(field, "not_an_integer", message)]
    if name in TOTAL_FIELDS and number == 0:
        message = _("%(field)s trên %(document)s bằng 0") % params
        return [_issue(field, "zero_total", message, "warning")]
    return []


def _plate_issues(name: str, field: str, value: str, params: dict[str, Any]) -> list[Issue]:
    parts = parse_plate(value)
    if parts is None:
        message = (
            _("%(field)s trên %(document)s không đúng định dạng biển số Việt Nam hoặc Trung Quốc (%(value)s)")
            % params
        )
        return [_issue(field, "invalid_plate", message)]
    params = {**params, "value": parts["plate"]}
    issues = []
    if name == "vehicle_plate" and parts["trailer"]:
        message = (
            _("%(field)s trên %(document)s là biển số rơ moóc (%(value)s), không phải biển số xe") % params
        )
        issues.append(_issue(field, "vehicle_plate_is_trailer", message))
    if name == "trailer_plate" and not parts["trailer"]:
        message = (
            _(
                "Biển số rơ moóc trên %(document)s (%(value)s) không thuộc sê-ri rơ moóc "
                "(R, hoặc 挂 với xe Trung Quốc)"
            )
            % params
        )
        issues.append(_issue(field, "trailer_plate_not_trailer", message))
    if parts["country"] == "VN" and parts["province"] in UNUSED_VN_PROVINCE_CODES:
        message = _("%(field)s trên %(document)s (%(value)s) có mã tỉnh %(code)s chưa được cấp") % {
            **params,
            "code": parts["province"],
        }
        issues.append(_issue(field, "unknown_province_code", message, "warning"))
    return issues


def _field_formats(document_type: str, fields: dict[str, str], today: dt.date) -> list[Issue]:
    issues: list[Issue] = []
    for name in FIELDS[document_type]:
        if name in fields:
            issues += _value_issues(document_type, name, name, fields[name], today)
    return issues


def _line_values(document_type: str, lines: list[dict[str, str]], today: dt.date) -> list[Issue]:
    issues: list[Issue] = []
    for i, line in enumerate(lines):
        for column, value in line.items():
            if column in NUMBER_FIELDS:
                issues += _value_issues(
                    document_type, column, f"line_items[{i}].{column}", value, today, line=i + 1
                )
    return issues


def _hs_codes(document_type: str, lines: list[dict[str, str]]) -> list[Issue]:
    document = _document(document_type)
    issues: list[Issue] = []
    expected = 6 if document_type == FORM_E else 8
    for i, line in enumerate(lines):
        raw = line.get("hs_code")
        if raw is None:
            continue
        code = normalize_hs(raw)
        field = f"line_items[{i}].hs_code"
        params = {"line": i + 1, "document": document, "value": code or raw, "digits": expected}
        if not code or code != re.sub(r"[\s.\-]", "", raw) or len(code) not in (6, 8, 10):
            message = _(
                "Dòng %(line)s của %(document)s: mã HS %(value)s không hợp lệ (cần %(digits)s chữ số)"
            )
            issues.append(_issue(field, "invalid_hs_code", message % params))
            continue
        if code[:2] in {"00", "77", "99"}:
            message = _(
                "Dòng %(line)s của %(document)s: mã HS %(value)s thuộc chương %(chapter)s không tồn tại"
            )
            issues.append(_issue(field, "invalid_hs_chapter", message % {**params, "chapter": code[:2]}))
            continue
        if len(code) == 10:
            message = _(
                "Dòng %(line)s của %(document)s: mã HS %(value)s có 10 chữ số (mã Trung Quốc); chỉ 6 số đầu "
                "so sánh được, tờ khai cần mã 8 số của Việt Nam"
            )
            issues.append(_issue(field, "hs_code_10_digits", message % params, "warning"))
        elif len(code) != expected and document_type == FORM_E:
            message = _(
                "Dòng %(line)s của %(document)s: mã HS %(value)s có %(count)s chữ số; C/O mẫu E ghi mã 6 số, "
                "chỉ 6 số đầu được so sánh"
            )
            issues.append(
                _issue(field, "hs_code_not_6_digits", message % {**params, "count": len(code)}, "warning")
            )
        elif len(code) != expected:
            message = _(
                "Dòng %(line)s của %(document)s: mã HS %(value)s chỉ có 6 chữ số; tờ khai cần mã 8 số"
            )
            issues.append(_issue(field, "hs_code_6_digits", message % params, "warning"))
    return issues


def _invoice_arithmetic(fields: dict[str, str], lines: list[dict[str, str]]) -> list[Issue]:
    document = _document(COMMERCIAL_INVOICE)
    minor = _minor_unit(normalize_currency(fields.get("currency", "")))
    issues: list[Issue] = []
    amounts: list[Decimal] = []
    for i, line in enumerate(lines):
        quantity, price, amount = (_number(line.get(c)) for c in ("quantity", "unit_price", "amount"))
        if amount is not None:
            amounts.append(amount)
        if quantity is None or price is None or amount is None:
            continue
        expected = quantity * price
        if abs(expected - amount) > minor:
            message = _(
                "Dòng %(line)s của %(document)s: số lượng × đơn giá = %(expected)s, khác thành tiền %(value)s"
            ) % {"line": i + 1, "document": document, "expected": _show(expected), "value": _show(amount)}
            issues.append(_issue(f"line_items[{i}].amount", "line_amount_mismatch", message))
    total = _number(fields.get("total_amount"))
    if total is not None and lines and len(amounts) == len(lines):
        expected = sum(amounts, Decimal(0))
        tolerance = max(minor, minor * len(lines) / 2)
        if abs(expected - total) > tolerance:
            message = _(
                "Tổng thành tiền các dòng (%(expected)s) khác tổng trị giá trên %(document)s (%(value)s)"
            )
            params = {"expected": _show(expected), "document": document, "value": _show(total)}
            issues.append(_issue("total_amount", "total_amount_mismatch", message % params))
    return issues


def _packing_arithmetic(fields: dict[str, str], lines: list[dict[str, str]]) -> list[Issue]:
    document = _document(PACKING_LIST)
    issues: list[Issue] = []
    for i, line in enumerate(lines):
        gross, net = _number(line.get("gross_weight_kg")), _number(line.get("net_weight_kg"))
        if gross is not None and net is not None and gross < net:
            message = _(
                "Dòng %(line)s của %(document)s: trọng lượng cả bì (%(gross)s kg) nhỏ hơn trọng lượng tịnh "
                "(%(net)s kg)"
            ) % {"line": i + 1, "document": document, "gross": _show(gross), "net": _show(net)}
            issues.append(_issue(f"line_items[{i}].gross_weight_kg", "gross_less_than_net", message))
    gross, net = _number(fields.get("total_gross_weight_kg")), _number(fields.get("total_net_weight_kg"))
    if gross is not None and net is not None and gross < net:
        message = _(
            "Tổng trọng lượng cả bì (%(gross)s kg) nhỏ hơn tổng trọng lượng tịnh (%(net)s kg) "
            "trên %(document)s"
        ) % {"document": document, "gross": _show(gross), "net": _show(net)}
        issues.append(_issue("total_gross_weight_kg", "gross_less_than_net", message))
    for column, total_name, code in (
        ("packages", "total_packages", "total_packages_mismatch"),
        ("gross_weight_kg", "total_gross_weight_kg", "total_gross_weight_mismatch"),
        ("net_weight_kg", "total_net_weight_kg", "total_net_weight_mismatch"),
    ):
        total = _number(fields.get(total_name))
        values = [_number(line.get(column)) for line in lines]
        if total is None or not lines or any(v is None for v in values):
            continue
        numbers = [v for v in values if v is not None]
        expected = sum(numbers, Decimal(0))
        if column == "packages":
            tolerance = Decimal(0)
        else:
            digits = max(_decimals(v) for v in [*numbers, total])
            tolerance = max(Decimal("0.01"), Decimal(1).scaleb(-digits) / 2 * len(numbers))
        if abs(expected - total) > tolerance:
            message = _(
                "Tổng %(column)s các dòng (%(expected)s) khác %(field)s trên %(document)s (%(value)s)"
            ) % {
                "column": _label(column),
                "expected": _show(expected),
                "field": _label(total_name),
                "document": document,
                "value": _show(total),
            }
            issues.append(_issue(total_name, code, message))
    return issues


def _form_e(fields: dict[str, str], today: dt.date) -> list[Issue]:
    issues: list[Issue] = []
    criterion = fields.get("origin_criterion", "")
    if re.search(r"RVC|\d{2}\s*%", criterion, re.IGNORECASE) and "fob_value" not in fields:
        message = _("C/O mẫu E dùng tiêu chí RVC nhưng thiếu trị giá FOB (ô 9)")
        issues.append(_issue("fob_value", "missing_fob_value_for_rvc", message, "warning"))
    issued = normalize_date(fields.get("issue_date"))
    if issued is not None:
        when = dt.date.fromisoformat(issued)
        # Valid for 12 months from the date of issue: up to the same day a year later (28/2 for 29/2).
        expiry = when.replace(year=when.year + 1, day=min(when.day, 28 if when.month == 2 else 31))
        if today > expiry:
            message = _("C/O mẫu E cấp ngày %(value)s đã quá hạn hiệu lực 12 tháng") % {"value": issued}
            issues.append(_issue("issue_date", "form_e_expired", message, "warning"))
    return issues


# ---------------------------------------------------------------------------------------- shipment checks


def check_shipment(extractions: list[dict[str, Any]]) -> list[Issue]:
    """Cross-document issues of one shipment's extractions: invoice number, goods, packages, weights, FOB
    value and plate must agree. Document-level issues are ``check_document``'s, not repeated here."""
    issues: list[Issue] = []
    by_type: dict[str, dict[str, Any]] = {}
    counts: dict[str, int] = {}
    for extraction in extractions:
        document_type = extraction.get("document_type")
        if document_type not in DOCUMENT_TYPES:
            continue
        counts[document_type] = counts.get(document_type, 0) + 1
        by_type.setdefault(document_type, extraction)
    for document_type, count in counts.items():
        if count > 1:
            message = _("Lô hàng có %(count)s bản %(document)s; chỉ bản đầu tiên được đối chiếu")
            params = {"count": count, "document": _document(document_type)}
            issues.append(
                _issue(
                    "document_type",
                    "duplicate_document",
                    message % params,
                    "warning",
                    documents=[document_type],
                )
            )
    fields = {t: _fields(e) for t, e in by_type.items()}
    lines = {t: _lines(e) for t, e in by_type.items()}
    issues += _invoice_numbers(fields)
    issues += _goods(lines)
    issues += _hs_agreement(lines)
    issues += _quantity_vs_net(fields, lines)
    issues += _packages(fields)
    issues += _weights(fields)
    issues += _fob(fields)
    issues += _plates(fields)
    return issues


def _cross(
    field: str,
    code: str,
    message: str,
    document: str,
    reference: str,
    value: Any,
    reference_value: Any,
    **kw: Any,
) -> Issue:
    return _issue(
        field,
        code,
        message,
        kw.pop("severity", "error"),
        documents=[document, reference],
        values={document: value, reference: reference_value},
        **kw,
    )


def _pair_params(document: str, value: Any, reference: str, reference_value: Any) -> dict[str, Any]:
    return {
        "document": _document(document),
        "value": value,
        "reference": _document(reference),
        "reference_value": reference_value,
    }


def _key(text: str) -> str:
    return re.sub(r"[\W_]", "", unicodedata.normalize("NFKC", text).upper())


def _same_reference(a: str, b: str) -> bool:
    """Same document number, ignoring case, spaces and punctuation; one side may carry extra words (box 10 of
    Form E often reads "INV-2026/0815 DATED 28/11/2026")."""
    if _key(a) == _key(b):
        return True
    for short, long in ((a, b), (b, a)):
        tokens = [t for t in re.split(r"[\s,;]+", long) if t]
        keys = {_key(t) for t in tokens}
        for size in range(2, min(4, len(tokens)) + 1):
            keys |= {_key("".join(tokens[i : i + size])) for i in range(len(tokens) - size + 1)}
        if _key(short) and _key(short) in keys:
            return True
    return False


def _invoice_numbers(fields: dict[str, dict[str, str]]) -> list[Issue]:
    holders = [t for t in (COMMERCIAL_INVOICE, PACKING_LIST, FORM_E) if "invoice_number" in fields.get(t, {})]
    if len(holders) < 2:
        return []
    reference, others = holders[0], holders[1:]
    reference_value = fields[reference]["invoice_number"]
    issues = []
    for other in others:
        value = fields[other]["invoice_number"]
        if not _same_reference(value, reference_value):
            message = _("Số hóa đơn trên %(document)s (%(value)s) khác %(reference)s (%(reference_value)s)")
            params = _pair_params(other, value, reference, reference_value)
            issues.append(
                _cross(
                    "invoice_number",
                    "invoice_number_mismatch",
                    message % params,
                    other,
                    reference,
                    value,
                    reference_value,
                )
            )
    return issues


# Words that say nothing about which goods a line holds (packing, freshness, grades), in vi/en/zh.
_STOP_TEXT: Final = (
    "fresh goods of the and for new grade class type quality product products item items packed packing in "
    "with a an kg kgs net gross carton cartons ctn ctns box boxes bag bags pcs piece pieces pallet pallets "
    "hàng hóa tươi mới loại và của các đóng gói thùng hộp bao kiện sản phẩm quả trái cái chiếc tấn "
    "新鲜 鲜果 水果 货物 产品 纸箱"
)
_STOP_WORDS: Final = frozenset(_STOP_TEXT.split())
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Vietnamese letters after NFD: đ, breve (ă), circumflex (â ê ô), horn (ơ ư) and the five tone marks.
_VI_MARKS = re.compile("[đ\u0306\u0302\u031b\u0300\u0301\u0303\u0309\u0323]")


def _goods_tokens(text: str) -> tuple[set[str], set[str]]:
    """Significant words of a description (CJK as character bigrams) and its languages ("vi", "en", "zh")."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    tokens: set[str] = set()
    languages: set[str] = set()
    latin_words: list[str] = []
    for word in re.findall(r"[^\W\d_]+", folded):
        if _CJK.search(word):
            for run in re.findall(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+", word):
                tokens |= {run} if len(run) == 1 else {run[i : i + 2] for i in range(len(run) - 1)}
            languages.add("zh")
        else:
            latin_words.append(word)
            tokens.add(word)
    if latin_words:
        decomposed = unicodedata.normalize("NFD", " ".join(latin_words))
        languages.add("vi" if _VI_MARKS.search(decomposed) else "en")
    return tokens - _STOP_WORDS, languages


def _overlap(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _goods(lines: dict[str, list[dict[str, str]]]) -> list[Issue]:
    invoice_lines = lines.get(COMMERCIAL_INVOICE) or []
    packing_lines = lines.get(PACKING_LIST) or []
    invoice_goods = [_goods_tokens(line["description"]) for line in invoice_lines if "description" in line]
    if not invoice_goods:
        return []
    issues = []
    for i, line in enumerate(packing_lines):
        description = line.get("description")
        if description is None:
            continue
        tokens, languages = _goods_tokens(description)
        comparable = [t for t, langs in invoice_goods if langs & languages and t]
        if not tokens or not comparable:
            continue
        if max(_overlap(tokens, other) for other in comparable) < 0.5:
            message = _(
                "Hàng ở dòng %(line)s của %(document)s (%(value)s) không khớp hàng nào trên %(reference)s"
            )
            params = {**_pair_params(PACKING_LIST, description, COMMERCIAL_INVOICE, ""), "line": i + 1}
            invoice_descriptions = "; ".join(
                line["description"] for line in invoice_lines if "description" in line
            )
            issues.append(
                _cross(
                    f"line_items[{i}].description",
                    "goods_mismatch",
                    message % params,
                    PACKING_LIST,
                    COMMERCIAL_INVOICE,
                    description,
                    invoice_descriptions,
                    severity="warning",
                )
            )
    return issues


def _hs6(lines: Iterable[dict[str, str]]) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in lines:
        code = normalize_hs(line.get("hs_code"))
        if len(code) >= 6:
            found.setdefault(code[:6], line["hs_code"])
    return found


def _hs_agreement(lines: dict[str, list[dict[str, str]]]) -> list[Issue]:
    holders = [t for t in DOCUMENT_TYPES if _hs6(lines.get(t) or [])]
    if len(holders) < 2:
        return []
    reference = holders[0]
    reference_codes = _hs6(lines[reference])
    issues = []
    for other in holders[1:]:
        for code, printed in _hs6(lines[other]).items():
            if code not in reference_codes:
                shown = ", ".join(sorted(reference_codes))
                message = _(
                    "Mã HS %(value)s (6 số đầu) trên %(document)s không có trên %(reference)s "
                    "(%(reference_value)s)"
                )
                params = _pair_params(other, code, reference, shown)
                issues.append(
                    _cross(
                        "line_items", "hs_code_mismatch", message % params, other, reference, printed, shown
                    )
                )
    return issues


def _in_kg(unit: str | None) -> Decimal | None:
    word = normalize_text(unit).casefold().strip(". ")
    if word in _KG_UNITS:
        return Decimal(1)
    if word in _TONNE_UNITS:
        return Decimal(1000)
    return None


def _quantity_vs_net(
    fields: dict[str, dict[str, str]], lines: dict[str, list[dict[str, str]]]
) -> list[Issue]:
    invoice_lines = lines.get(COMMERCIAL_INVOICE) or []
    net = _number(fields.get(PACKING_LIST, {}).get("total_net_weight_kg"))
    if not invoice_lines or net is None:
        return []
    total = Decimal(0)
    for line in invoice_lines:
        factor, quantity = _in_kg(line.get("unit")), _number(line.get("quantity"))
        if factor is None or quantity is None:
            return []
        total += quantity * factor
    if abs(total - net) <= WEIGHT_TOLERANCE * max(total, net):
        return []
    message = _(
        "Tổng số lượng trên %(reference)s (%(reference_value)s kg) lệch %(percent)s%% so với "
        "tổng trọng lượng tịnh trên %(document)s (%(value)s kg)"
    )
    params = {
        **_pair_params(PACKING_LIST, _show(net), COMMERCIAL_INVOICE, _show(total)),
        "percent": _percent(abs(total - net), max(total, net)),
    }
    return [
        _cross(
            "total_net_weight_kg",
            "quantity_net_weight_mismatch",
            message % params,
            PACKING_LIST,
            COMMERCIAL_INVOICE,
            _show(net),
            _show(total),
            severity="warning",
        )
    ]


def _packages(fields: dict[str, dict[str, str]]) -> list[Issue]:
    packing = _number(fields.get(PACKING_LIST, {}).get("total_packages"))
    cmr = _number(fields.get(CMR, {}).get("total_packages"))
    if packing is None or cmr is None or packing == cmr:
        return []
    message = _("Tổng số kiện trên %(document)s (%(value)s) khác %(reference)s (%(reference_value)s)")
    params = _pair_params(CMR, _show(cmr), PACKING_LIST, _show(packing))
    return [
        _cross(
            "total_packages",
            "packages_mismatch",
            message % params,
            CMR,
            PACKING_LIST,
            _show(cmr),
            _show(packing),
        )
    ]


def _weights(fields: dict[str, dict[str, str]]) -> list[Issue]:
    packing = _number(fields.get(PACKING_LIST, {}).get("total_gross_weight_kg"))
    cmr = _number(fields.get(CMR, {}).get("total_gross_weight_kg"))
    if packing is None or cmr is None:
        return []
    difference, base = abs(packing - cmr), max(packing, cmr)
    if difference <= WEIGHT_TOLERANCE * base:
        return []
    message = _(
        "Tổng trọng lượng cả bì trên %(document)s (%(value)s kg) lệch %(percent)s%% so với %(reference)s "
        "(%(reference_value)s kg), quá mức cho phép 0,5%%"
    )
    params = {
        **_pair_params(CMR, _show(cmr), PACKING_LIST, _show(packing)),
        "percent": _percent(difference, base),
    }
    return [
        _cross(
            "total_gross_weight_kg",
            "gross_weight_mismatch",
            message % params,
            CMR,
            PACKING_LIST,
            _show(cmr),
            _show(packing),
        )
    ]


def _fob(fields: dict[str, dict[str, str]]) -> list[Issue]:
    invoice = fields.get(COMMERCIAL_INVOICE, {})
    fob = _number(fields.get(FORM_E, {}).get("fob_value"))
    total = _number(invoice.get("total_amount"))
    incoterm = normalize_incoterm(invoice.get("incoterm"))
    if fob is None or total is None or incoterm is None or incoterm not in INCOTERMS:
        return []
    tolerance = Decimal(1)  # one whole currency unit: box 9 is often printed without decimals
    params = {**_pair_params(FORM_E, _show(fob), COMMERCIAL_INVOICE, _show(total)), "incoterm": incoterm}
    args = (FORM_E, COMMERCIAL_INVOICE, _show(fob), _show(total))
    if incoterm == "FOB" and abs(fob - total) > tolerance:
        message = _(
            "Trị giá FOB trên %(document)s (%(value)s) khác tổng trị giá %(reference)s (%(reference_value)s) "
            "dù điều kiện giao hàng là FOB"
        )
        return [_cross("fob_value", "fob_value_mismatch", message % params, *args)]
    if incoterm in C_AND_D_TERMS and fob > total + tolerance:
        message = _(
            "Trị giá FOB trên %(document)s (%(value)s) lớn hơn tổng trị giá %(reference)s "
            "(%(reference_value)s) theo điều kiện %(incoterm)s, vốn đã gồm cước vận chuyển"
        )
        return [_cross("fob_value", "fob_value_exceeds_invoice", message % params, *args)]
    if incoterm in E_AND_F_TERMS and fob < total - tolerance:
        message = _(
            "Trị giá FOB trên %(document)s (%(value)s) nhỏ hơn tổng trị giá %(reference)s "
            "(%(reference_value)s) theo điều kiện %(incoterm)s"
        )
        return [_cross("fob_value", "fob_value_below_invoice", message % params, *args, severity="warning")]
    return []


def _plate_key(value: str) -> str:
    return normalize_plate(value) or _key(value)


def _plates(fields: dict[str, dict[str, str]]) -> list[Issue]:
    form_e = fields.get(FORM_E, {}).get("vehicle_plate")
    cmr = fields.get(CMR, {})
    vehicle = cmr.get("vehicle_plate")
    if form_e is None or vehicle is None:
        return []
    accepted = {_plate_key(vehicle)} | (
        {_plate_key(cmr["trailer_plate"])} if "trailer_plate" in cmr else set()
    )
    if _plate_key(form_e) in accepted:
        return []
    shown_form_e, shown_cmr = normalize_plate(form_e) or form_e, normalize_plate(vehicle) or vehicle
    message = _("Biển số xe trên %(document)s (%(value)s) khác %(reference)s (%(reference_value)s)")
    params = _pair_params(FORM_E, shown_form_e, CMR, shown_cmr)
    return [
        _cross(
            "vehicle_plate", "vehicle_plate_mismatch", message % params, FORM_E, CMR, shown_form_e, shown_cmr
        )
    ]
