"""The draft declaration (``declaration.build_declaration``) as a printable A4 PDF.

It is the declarant's working paper to key into VNACCS/VCIS (or to check a message built from the JSON):
every value is printed with the document and field it came from, values the declarant corrected are
marked, and the findings still open (missing fields, cross-document disagreements) are listed at the end.
Like the one-stop forms it is Vietnamese whatever the page language, uses the platform's embedded DejaVu
Sans (``langson.core.pdf``) and the form helpers of ``langson.services.receipt``. Names printed in Chinese
(common on Guangxi sellers' papers) are set in the PDF standard CID font STSong-Light, which DejaVu lacks:
it is not embedded (every PDF reader brings it), so the text stays real, extractable Unicode.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone, translation
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from langson.border.declaration import DOCUMENT_LABELS, EXPORT, field_label
from langson.core import pdf as fonts
from langson.core.pdf_forms import (
    FRAME_PADDING,
    HEADER_FILL,
    RULE,
    FormCanvas,
    form_document,
    form_styles,
    national_header,
    para,
)

HAN_FONT = "STSong-Light"
LOW_CONFIDENCE = 0.8
TITLES = {"import": "TỜ KHAI HÀNG HÓA NHẬP KHẨU", "export": "TỜ KHAI HÀNG HÓA XUẤT KHẨU"}
# Sections of the header: (title, keys in print order). Keys a declaration lacks are skipped.
SECTIONS = (
    ("1. Thông tin chung", ("kind", "type_code", "transport_mode", "border_gate", "declared_on")),
    ("2. Người xuất khẩu, người nhập khẩu", ("importer_name", "exporter_name")),
    (
        "3. Vận chuyển",
        (
            "bill_number",
            "bill_date",
            "packages",
            "gross_weight",
            "vehicle",
            "trailer",
            "loading_place",
            "unloading_place",
        ),
    ),
    ("4. Hóa đơn và trị giá", ("invoice_number", "invoice_date", "incoterm", "currency", "total_value")),
    ("5. Chứng nhận xuất xứ mẫu E (ACFTA)", ("co_number", "co_date", "origin_criterion", "fob_value")),
)
# STT, mã HS, mô tả, lượng, ĐVT, đơn giá, trị giá, xuất xứ; the tariff column takes the rest.
LINE_COLUMNS = (8 * mm, 19 * mm, 44 * mm, 18 * mm, 12 * mm, 20 * mm, 24 * mm, 13 * mm)
NUMBER_KEYS = frozenset(
    {"packages", "gross_weight", "total_value", "fob_value", "quantity", "unit_price", "amount"}
)
DATE_KEYS = frozenset({"declared_on", "bill_date", "invoice_date", "co_date"})
_han_lock = threading.Lock()


def _register_han_font() -> None:
    with _han_lock:
        if HAN_FONT not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(HAN_FONT))


def _is_han(ch: str) -> bool:
    code = ord(ch)
    return (
        0x2E80 <= code <= 0x2FDF  # radicals
        or 0x3000 <= code <= 0x303F  # CJK punctuation
        or 0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF  # full-width forms
    )


def markup(text: str) -> str:
    """Paragraph markup of ``text``: escaped, each run of Han characters in the CID font."""
    out: list[str] = []
    run: list[str] = []
    han = False
    for ch in text:
        if _is_han(ch) != han and run:
            chunk = escape("".join(run))
            out.append(f'<font name="{HAN_FONT}">{chunk}</font>' if han else chunk)
            run = []
        han = _is_han(ch)
        run.append(ch)
    if run:
        chunk = escape("".join(run))
        out.append(f'<font name="{HAN_FONT}">{chunk}</font>' if han else chunk)
    return "".join(out)


def mixed(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(markup(text), style)


def format_number(value: Any) -> str:
    """A canonical decimal ("12500.5") as Vietnamese print writes it ("12.500,5")."""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text = format(number, "f")
    whole, _dot, fraction = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    groups: list[str] = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    fraction = fraction.rstrip("0")
    return sign + ".".join(groups) + ("," + fraction if fraction else "")


def format_date(value: Any) -> str:
    try:
        return date.fromisoformat(str(value)).strftime("%d/%m/%Y")
    except ValueError:
        return str(value)


def format_value(key: str, entry: Mapping[str, Any]) -> str:
    value = entry.get("value")
    if value in (None, ""):
        return "—"
    if key in NUMBER_KEYS:
        text = format_number(value)
    elif key in DATE_KEYS:
        text = format_date(value)
    elif key == "transport_mode" and value == "4":
        text = "4 (đường bộ)"
    else:
        text = str(value)
    unit = entry.get("unit")
    return f"{text} {unit}" if unit else text


def source_text(entry: Mapping[str, Any]) -> str:
    """Where a value came from, in words: "Hóa đơn thương mại · invoice_number (đã sửa)"."""
    source = entry.get("source")
    if not source:
        return ""
    kind = source.get("document_type")
    if kind is None:
        return "Quy định khai báo"
    label = str(DOCUMENT_LABELS.get(kind, kind))
    field = str(source.get("field") or "")
    if kind == "shipment" or not field:
        text = label
    elif "*" in field:  # a value computed from every line
        text = f"{label} · tổng các dòng"
    else:
        text = f"{label} · {field_label(field)}"
    if source.get("corrected"):
        return text + " (đã sửa)"
    confidence = source.get("confidence")
    if isinstance(confidence, int | float) and confidence < LOW_CONFIDENCE:
        return text + f" (độ tin cậy {confidence:.0%}, cần kiểm tra)"
    return text


def _grid(rows: list[list[Any]], widths: list[float], header: bool = True) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL))
    table.setStyle(TableStyle(commands))
    return table


def declaration_pdf(declaration: Mapping[str, Any]) -> bytes:
    """The PDF of a draft made by ``build_declaration`` (A4 portrait, Vietnamese)."""
    fonts.register_fonts()
    _register_han_font()
    with translation.override("vi"):
        return _render(declaration)


def _render(declaration: Mapping[str, Any]) -> bytes:
    styles = form_styles(8.5)
    styles["cell_bold"] = ParagraphStyle("cell_bold", parent=styles["cell"], fontName=fonts.BOLD)
    margin = 10 * mm
    width = A4[0] - 2 * (margin + FRAME_PADDING)
    direction = str(declaration.get("direction", "import"))
    reference = str(declaration.get("reference", ""))
    gate_name = str(declaration.get("border_gate", ""))
    header: Mapping[str, Any] = declaration.get("header", {})
    prepared = date.fromisoformat(str(declaration.get("prepared_on") or date.today().isoformat()))
    moment = datetime.combine(prepared, time(12), tzinfo=timezone.get_default_timezone())
    title = TITLES.get(direction, TITLES["import"])
    kind = str(declaration.get("kind", ""))
    type_code = (header.get("type_code") or {}).get("value") or ""

    story: list[Any] = [
        national_header((gate_name, f"Lô hàng {reference}"), moment, styles, width),
        para(title, styles["title"]),
        para(
            f"BẢN NHÁP ({kind}, mã loại hình {type_code}): lập từ chứng từ của lô hàng để khai trên hệ "
            "thống VNACCS/VCIS, chưa phải tờ khai hải quan.",
            styles["small_centre"],
        ),
        Spacer(1, 3 * mm),
    ]
    label_width, source_width = 50 * mm, 62 * mm
    value_width = width - label_width - source_width
    for section, keys in SECTIONS:
        present = [key for key in keys if key in header]
        if not present:
            continue
        rows: list[list[Any]] = [
            [para(text, styles["cell_head"]) for text in ("Chỉ tiêu", "Giá trị", "Nguồn")]
        ]
        for key in present:
            entry = header[key]
            corrected = bool((entry.get("source") or {}).get("corrected"))
            rows.append(
                [
                    para(str(entry.get("label", key)), styles["cell"]),
                    mixed(format_value(key, entry), styles["cell_bold" if corrected else "cell"]),
                    para(source_text(entry), styles["small"]),
                ]
            )
        story.append(para(section, styles["bold"]))
        story.append(_grid(rows, [label_width, value_width, source_width]))
        story.append(Spacer(1, 2.5 * mm))

    story.append(para("6. Danh sách hàng", styles["bold"]))
    lines = list(declaration.get("lines") or [])
    heads = ["STT", "Mã số hàng hóa", "Mô tả hàng hóa", "Số lượng", "ĐVT", "Đơn giá", "Trị giá", "Xuất xứ"]
    heads.append("Biểu thuế / C/O" if direction != EXPORT else "Ghi chú")
    line_rows: list[list[Any]] = [[para(text, styles["cell_head"]) for text in heads]]
    for line in lines:
        tariff = (line.get("tariff_schedule") or {}).get("value") or ""
        co = (line.get("co_reference") or {}).get("value") or ""
        note: list[Any] = [para(tariff, styles["cell"])]
        if co:
            note.append(para(f"C/O {co}", styles["cell"]))
        line_rows.append(
            [
                para(str(line.get("number", "")), styles["cell"]),
                para(format_value("hs_code", line["hs_code"]), styles["cell"]),
                mixed(format_value("description", line["description"]), styles["cell"]),
                para(format_value("quantity", line["quantity"]), styles["cell"]),
                para(format_value("unit", line["unit"]), styles["cell"]),
                para(format_value("unit_price", line["unit_price"]), styles["cell"]),
                para(format_value("amount", line["amount"]), styles["cell"]),
                para(format_value("origin_country", line["origin_country"]), styles["cell"]),
                note,
            ]
        )
    if not lines:
        line_rows.append([para("Chưa có dòng hàng.", styles["cell"])] + [""] * (len(heads) - 1))
    story.append(_grid(line_rows, [*LINE_COLUMNS, width - sum(LINE_COLUMNS)]))
    story.append(Spacer(1, 3 * mm))

    findings = [*declaration.get("warnings", []), *declaration.get("issues", [])]
    if findings:
        block: list[Any] = [para("7. Cần kiểm tra trước khi khai", styles["bold"])]
        for finding in findings:
            mark = "Cần sửa" if finding.get("severity") == "error" else "Lưu ý"
            block.append(mixed(f"• {mark}: {finding.get('message', '')}", styles["body"]))
        story.append(KeepTogether(block))
    else:
        story.append(para("7. Không có sai lệch nào giữa các chứng từ.", styles["bold"]))
    story.append(Spacer(1, 2 * mm))
    story.append(
        para(
            "Giá trị in đậm là giá trị người khai đã sửa; cột “Nguồn” ghi chứng từ và trường đã đọc được. "
            "Số tờ khai, phân luồng, tỷ giá và thuế do hệ thống VNACCS/VCIS xác định.",
            styles["small"],
        )
    )

    buffer = io.BytesIO()
    document = form_document(
        buffer,
        A4,
        margin,
        title=f"{title.capitalize()} (bản nháp) {reference}",
        author=gate_name,
        subject=f"{kind} {type_code}",
    )
    maker = partial(FormCanvas, footer=f"Bản nháp tờ khai · Lô hàng {reference}", always=True)
    document.build(story, canvasmaker=maker)
    return buffer.getvalue()


__all__ = ["declaration_pdf", "format_date", "format_number", "markup", "source_text"]
