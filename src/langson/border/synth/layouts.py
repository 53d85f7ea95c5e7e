"""Training layouts: three or more ways of printing each document type.

Commercial invoices and packing lists: a Vietnamese exporter's bilingual (vi/en) paper, a Chinese exporter's
bilingual (zh/en) paper with labelled cells, and an English one. Form E: the official box structure 1–13 in
three renderings. CMR: the numbered IRU boxes with Vietnamese/Chinese/English labels in three renderings.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from langson.border.schema import CMR, COMMERCIAL_INVOICE, FORM_E, PACKING_LIST
from langson.border.synth.render import (
    COUNTRY_NAMES,
    INK,
    PACKAGES,
    UNITS,
    Box,
    Builder,
    Canvas,
    Column,
    Layout,
    Table,
    amount_in_words,
    canon_number,
    canon_text,
    draw_signature,
    draw_stamp,
    party_address,
    party_name,
    register,
)

L, R = 110, 1544  # text margins on A4 at 200 dpi
MID = 827


def label_value(
    b: Builder,
    c: Canvas,
    x: float,
    y: float,
    label: str,
    name: str,
    printed: str,
    canonical: str,
    *,
    size: int = 26,
    label_size: int | None = None,
    value_x: float | None = None,
    bold_value: bool = False,
    bold_label: bool = False,
    family: str | None = None,
    max_x: float | None = None,
) -> Box | None:
    """``label`` then its value on the same baseline (at ``value_x`` when given, else after the label),
    the value shrunk if needed to end before ``max_x`` (the right margin by default)."""
    ls = label_size or size
    c.text(x, y, label, ls, bold=bold_label)
    if value_x is None:
        value_x = x + c.measure(label, ls, bold=bold_label) + 12
    size = c.fit(printed, (max_x or R + 40) - value_x, size, family=family, bold=bold_value)
    return b.put(c, name, value_x, y, printed, canonical, size=size, bold=bold_value, family=family)


def origin_text(b: Builder, language: str) -> str:
    return b.rng.choice(COUNTRY_NAMES[b.facts.origin_country][language])


def gate_text(b: Builder, language: str) -> str:
    g = b.facts.gate
    if language == "vi":
        return b.rng.choice(
            (f"Cửa khẩu {g.vi}", g.vi, f"Cửa khẩu quốc tế {g.vi}" if g.key == "huu_nghi" else g.vi)
        )
    if language == "zh":
        return b.rng.choice((f"{g.zh}口岸", g.zh)) if b.facts.direction == "import" else f"{g.zh}口岸"
    return b.rng.choice((f"{g.en} Border Gate", f"{g.en}, Lang Son", g.en.upper()))


def unit_text(b: Builder, unit: str, language: str) -> str:
    return UNITS[unit][language]


def invoice_rows(b: Builder, language: str) -> list[tuple[dict[str, str], dict[str, str]]]:
    """Printed cells and canonical values of each invoice line."""
    rows = []
    unit_language = language if language in ("vi", "zh") else b.rng.choice(("en", "code"))
    for i, line in enumerate(b.facts.lines):
        unit = unit_text(b, line.good.unit, unit_language)
        cells = {
            "no": str(i + 1),
            "description": line.description,
            "hs_code": b.hs(line.good.hs8),
            "unit": unit,
            "quantity": b.num(line.quantity),
            "unit_price": b.price(line.unit_price),
            "amount": b.money(line.amount),
        }
        truth = {
            "description": canon_text(line.description),
            "hs_code": line.good.hs8,
            "unit": canon_text(unit),
            "quantity": canon_number(line.quantity),
            "unit_price": canon_number(line.unit_price),
            "amount": canon_number(line.amount),
        }
        rows.append((cells, truth))
    return rows


def packing_rows(b: Builder) -> list[tuple[dict[str, str], dict[str, str]]]:
    rows = []
    for i, line in enumerate(b.facts.lines):
        cells = {
            "no": str(i + 1),
            "description": line.description,
            "packages": b.num(line.packages),
            "gross_weight_kg": b.weight(line.gross_kg),
            "net_weight_kg": b.weight(line.net_kg),
            "kind": PACKAGES[line.good.package]["short"],
            "kind_vi": PACKAGES[line.good.package]["vi"],
            "kind_zh": PACKAGES[line.good.package]["zh"],
            "cbm": b.num((Decimal(line.packages) * Decimal("0.048")).quantize(Decimal("0.01")), 2),
            "marks": "N/M",
        }
        truth = {
            "description": canon_text(line.description),
            "packages": canon_number(line.packages),
            "gross_weight_kg": canon_number(line.gross_kg),
            "net_weight_kg": canon_number(line.net_kg),
        }
        rows.append((cells, truth))
    return rows


def packing_total_row(t: Table, b: Builder, label: str, **extra: str) -> None:
    """The packing list's total row (packages, net and gross weight under their columns, and their truth)."""
    f = b.facts
    t.row(
        {
            "description": label,
            "packages": b.num(f.total_packages),
            "net_weight_kg": b.weight(f.total_net_kg),
            "gross_weight_kg": b.weight(f.total_gross_kg),
            **extra,
        },
        bold=True,
        fields={
            "packages": ("total_packages", canon_number(f.total_packages)),
            "net_weight_kg": ("total_net_weight_kg", canon_number(f.total_net_kg)),
            "gross_weight_kg": ("total_gross_weight_kg", canon_number(f.total_gross_kg)),
        },
    )


def next_page_for(b: Builder, title: str) -> Any:
    def next_page() -> tuple[Canvas, int]:
        c = b.new_page()
        c.text(L, 150, title, 26, bold=True)
        c.text(R, 150, f"Trang / Page {c.page}", 22, align="right")
        return c, 190

    return next_page


def signatures(
    b: Builder,
    c: Canvas,
    y: int,
    left: str,
    right: str,
    *,
    stamp_party: Any,
    note: str = "",
    stamp_right: bool = True,
) -> None:
    c.text(L + 300, y, left, 26, bold=True, align="center")
    c.text(R - 300, y, right, 26, bold=True, align="center")
    if note:
        c.text(L + 300, y + 34, note, 20, align="center")
        c.text(R - 300, y + 34, note, 20, align="center")
    x = R - 300 if stamp_right else L + 300
    draw_signature(c, x - 120, y + 120, 220, b.rng)
    ring = stamp_party.name.upper() if stamp_party.country == "VN" else stamp_party.name
    centre = "*" if stamp_party.country == "CN" else stamp_party.tax_code
    draw_stamp(c, x + b.rng.randint(-40, 40), y + 130, 125, ring, centre, b.rng)


# ==========================================================================================================
# Commercial invoices


def ci_vn_classic(b: Builder) -> None:
    """Vietnamese exporter's invoice: company letterhead, bilingual title, number/date block on the right,
    label-value party lines, fully ruled table, amount in words, two signature blocks."""
    f = b.facts
    c = b.new_page()
    header = f.seller.name.upper() if f.seller.country == "VN" else f.seller.name
    c.text(827, 160, header, c.fit(header, 1400, 36, bold=True), bold=True, align="center")
    c.text(
        827, 205, party_address(f.seller, f.seller.name), c.fit(f.seller.address, 1400, 22), align="center"
    )
    c.text(827, 240, f"MST / Tax code: {f.seller.tax_code}    ĐT / Tel: {f.seller.phone}", 22, align="center")
    c.hline(L, R, 268, 3)
    c.hline(L, R, 275, 1)
    c.text(827, 350, "HÓA ĐƠN THƯƠNG MẠI", 44, bold=True, align="center")
    c.text(827, 395, "COMMERCIAL INVOICE", 30, bold=True, align="center")
    label_value(
        b,
        c,
        1060,
        470,
        "Số (No.):",
        "invoice_number",
        f.invoice_number,
        canon_text(f.invoice_number),
        value_x=1250,
        bold_value=True,
    )
    label_value(
        b,
        c,
        1060,
        512,
        "Ngày (Date):",
        "invoice_date",
        b.date(f.invoice_date),
        f.invoice_date.isoformat(),
        value_x=1250,
    )
    c.text(L, 470, f"Hợp đồng số (Contract No.): {f.contract_number}", 24)
    c.text(L, 512, f"Ngày hợp đồng (Contract date): {b.date(f.contract_date)}", 24)
    y = 590
    for label, party, name in (
        ("Người bán (Seller):", f.seller, "seller_name"),
        ("Người mua (Buyer):", f.buyer, "buyer_name"),
    ):
        printed = party_name(b, party, ("vi",))
        c.text(L, y, label, 26, bold=True)
        y2 = b.put_wrapped(c, name, L + 300, y, printed, R - L - 300, 26, 36, bold=True)
        address = party_address(party, printed)
        c.text(L + 300, y2, address, c.fit(address, R - L - 300, 22))
        y = int(y2 + 54)
    c.hline(L, R, y - 20, 1)
    y += 14
    label_value(
        b, c, L, y, "Điều kiện giao hàng (Terms of delivery):", "incoterm", f.incoterm, f.incoterm, size=25
    )
    c.text(
        L + c.measure("Điều kiện giao hàng (Terms of delivery):", 25) + 12 + c.measure(f.incoterm, 25) + 10,
        y,
        f"{f.gate.en} Border Gate" if f.incoterm in ("DAP", "DAF") else "",
        25,
    )
    label_value(b, c, 1000, y, "Tiền tệ (Currency):", "currency", b.currency(), f.currency, size=25)
    y += 42
    label_value(
        b,
        c,
        L,
        y,
        "Xuất xứ (Origin):",
        "country_of_origin",
        (o := origin_text(b, "vi")),
        canon_text(o),
        size=25,
    )
    label_value(
        b,
        c,
        700,
        y,
        "Cửa khẩu (Border gate):",
        "border_gate",
        (g := gate_text(b, "vi")),
        canon_text(g),
        size=25,
    )
    y += 42
    c.text(L, y, "Phương thức thanh toán (Payment): T/T", 25)
    y += 40
    cur = b.currency("code")
    columns = [
        Column("no", "STT\nNo.", 80, "center"),
        Column("description", "Tên hàng\nDescription of goods", 470),
        Column("hs_code", "Mã HS\nHS code", 170, "center"),
        Column("unit", "ĐVT\nUnit", 100, "center"),
        Column("quantity", "Số lượng\nQuantity", 170, "right"),
        Column("unit_price", f"Đơn giá\nUnit price ({cur})", 200, "right"),
        Column("amount", f"Thành tiền\nAmount ({cur})", 244, "right"),
    ]
    t = Table(
        b,
        c,
        L,
        y,
        columns,
        size=24,
        rules="grid",
        header_fill=(236, 236, 236),
        next_page=next_page_for(b, f"Commercial Invoice {f.invoice_number}"),
    )
    t.header()
    for i, (cells, truth) in enumerate(invoice_rows(b, "vi")):
        t.row(cells, truth=truth, line=i)
    t.row(
        {"description": "Tổng cộng (Total):", "amount": b.money(f.total_amount)},
        bold=True,
        fields={"amount": ("total_amount", canon_number(f.total_amount))},
    )
    c = t.canvas
    y = t.finish() + 46
    c.text(L, y, "Bằng chữ (In words):", 24, bold=True)
    indent = int(c.measure("Bằng chữ (In words):", 24, bold=True)) + 14
    for line in c.wrap(amount_in_words(f.total_amount, f.currency), R - L - indent, 24):
        c.text(L + indent, y, line, 24)
        y += 34
    y += 60
    signatures(
        b,
        c,
        max(y, 1850),
        "NGƯỜI MUA / BUYER",
        "NGƯỜI BÁN / SELLER",
        stamp_party=f.seller,
        note="(Ký, ghi rõ họ tên / Signature)",
    )


def ci_cn_bilingual(b: Builder) -> None:
    """Chinese exporter's invoice: Chinese/English header, a 2×4 grid of labelled cells (label small at the
    top of the cell, value below), table with horizontal rules only and Chinese/English column heads."""
    f = b.facts
    c = b.new_page()
    head = f.seller.name if f.seller.country == "CN" else f.seller.name.upper()
    c.text(827, 150, head, c.fit(head, 1400, 40, bold=True), bold=True, align="center")
    c.text(827, 195, f.seller.name_en, c.fit(f.seller.name_en, 1400, 26), align="center")
    c.text(827, 230, f.seller.address_en, c.fit(f.seller.address_en, 1400, 21), align="center")
    c.text(827, 320, "商业发票", 46, bold=True, align="center")
    c.text(827, 368, "COMMERCIAL INVOICE", 32, bold=True, align="center")
    top = 410
    cells = [
        ("发票号码 Invoice No.", "invoice_number", f.invoice_number, canon_text(f.invoice_number)),
        ("开票日期 Invoice Date", "invoice_date", b.date(f.invoice_date), f.invoice_date.isoformat()),
        ("币种 Currency", "currency", b.currency(), f.currency),
        ("价格条款 Price Terms", "incoterm", f.incoterm, f.incoterm),
        (
            "原产国 Country of Origin",
            "country_of_origin",
            (o := origin_text(b, b.rng.choice(("zh", "en")))),
            canon_text(o),
        ),
        ("口岸 Border Gate", "border_gate", (g := gate_text(b, b.rng.choice(("zh", "en")))), canon_text(g)),
        ("合同号 Contract No.", "", f.contract_number, ""),
        ("付款方式 Payment", "", "T/T 30 DAYS", ""),
    ]
    w, h = (R - L) // 4, 96
    for k, (label, name, printed, canonical) in enumerate(cells):
        x0 = L + (k % 4) * w
        y0 = top + (k // 4) * h
        c.rect(x0, y0, x0 + w, y0 + h, width=2)
        c.text(x0 + 10, y0 + 28, label, 19, fill=(70, 70, 70))
        size = c.fit(printed, w - 24, 26)
        if name:
            b.put(c, name, x0 + 12, y0 + 74, printed, canonical, size=size, bold=True)
        else:
            c.text(x0 + 12, y0 + 74, printed, size)
    y = top + 2 * h + 20
    half = (R - L) // 2
    for k, (label, party, name) in enumerate(
        (("卖方 Seller", f.seller, "seller_name"), ("买方 Buyer", f.buyer, "buyer_name"))
    ):
        x0 = L + k * half
        c.rect(x0, y, x0 + half, y + 210, width=2)
        c.text(x0 + 10, y + 30, label, 20, fill=(70, 70, 70))
        printed = party_name(b, party, ("zh",), native_share=0.4)
        yy = b.put_wrapped(c, name, x0 + 12, y + 72, printed, half - 30, 25, 34, bold=True)
        for line in c.wrap(party_address(party, printed), half - 30, 21):
            c.text(x0 + 12, yy, line, 21)
            yy += 29
    y += 250
    cur = b.currency("code")
    columns = [
        Column("no", "序号\nNo.", 80, "center"),
        Column("description", "品名\nDescription", 430),
        Column("hs_code", "海关编码\nH.S. Code", 180, "center"),
        Column("quantity", "数量\nQty", 180, "right"),
        Column("unit", "单位\nUnit", 100, "center"),
        Column("unit_price", f"单价\nUnit Price ({cur})", 210, "right"),
        Column("amount", f"金额\nAmount ({cur})", 254, "right"),
    ]
    t = Table(
        b,
        c,
        L,
        y,
        columns,
        size=24,
        rules="horizontal",
        header_align="center",
        next_page=next_page_for(b, f"INVOICE {f.invoice_number}"),
    )
    t.header()
    for i, (cells_, truth) in enumerate(invoice_rows(b, b.rng.choice(("zh", "en")))):
        t.row(cells_, truth=truth, line=i)
    prefix = {"USD": "USD", "CNY": "CNY", "VND": "VND"}[f.currency]
    t.row(
        {"description": "合计 TOTAL", "unit_price": prefix, "amount": b.money(f.total_amount)},
        bold=True,
        fields={"amount": ("total_amount", canon_number(f.total_amount))},
    )
    c = t.canvas
    y = t.finish() + 50
    for line in c.wrap("TOTAL AMOUNT: " + amount_in_words(f.total_amount, f.currency), R - L, 23):
        c.text(L, y, line, 23, bold=True)
        y += 32
    y += 20
    c.text(L, y, "唛头 Shipping Marks: N/M        运输方式 Transport: BY TRUCK / 汽车运输", 23)
    y += 120
    c.text(R - 420, max(y, 1900), "卖方签章 For and on behalf of", 23)
    c.text(R - 420, max(y, 1900) + 32, f.seller.name_en, c.fit(f.seller.name_en, 420, 21), bold=True)
    draw_signature(c, R - 400, max(y, 1900) + 120, 240, b.rng)
    if f.seller.country == "CN":
        draw_stamp(c, R - 260, max(y, 1900) + 110, 120, f.seller.name, "*", b.rng)


def ci_en_plain(b: Builder) -> None:
    """English invoice: big INVOICE title on the left, number/date stacked at the top right, seller and
    buyer side by side under rules, table framed without row lines, totals block at the right."""
    f = b.facts
    c = b.new_page()
    c.text(L, 190, "INVOICE", 64, bold=True)
    c.text(L, 240, "Commercial invoice for cross-border road shipment", 22, fill=(90, 90, 90))
    label_value(
        b,
        c,
        1030,
        150,
        "Invoice No.",
        "invoice_number",
        f.invoice_number,
        canon_text(f.invoice_number),
        value_x=1250,
        bold_value=True,
        size=25,
    )
    label_value(
        b,
        c,
        1030,
        190,
        "Date",
        "invoice_date",
        b.date(f.invoice_date),
        f.invoice_date.isoformat(),
        value_x=1250,
        size=25,
    )
    c.text(1030, 230, "Contract No.", 25)
    c.text(1250, 230, f.contract_number, c.fit(f.contract_number, R - 1250, 25))
    c.hline(L, R, 280, 4)
    y = 330
    half = (R - L) // 2
    for k, (label, party, name) in enumerate(
        (("SELLER / EXPORTER", f.seller, "seller_name"), ("BUYER / IMPORTER", f.buyer, "buyer_name"))
    ):
        x0 = L + k * (half + 20)
        c.text(x0, y, label, 22, bold=True, fill=(90, 90, 90))
        printed = party_name(b, party, ("en",), native_share=0.3)
        yy = b.put_wrapped(c, name, x0, y + 42, printed, half - 40, 26, 34, bold=True)
        for line in c.wrap(party_address(party, printed), half - 40, 22):
            c.text(x0, yy, line, 22)
            yy += 30
        c.text(x0, yy, f"Tel: {party.phone}", 22)
    y += 250
    c.hline(L, R, y - 30, 1)
    rows = (
        ("Terms of Delivery:", "incoterm", f.incoterm, f.incoterm),
        ("Currency:", "currency", b.currency(), f.currency),
        ("Country of Origin:", "country_of_origin", (o := origin_text(b, "en")), canon_text(o)),
        ("Border Gate:", "border_gate", (g := gate_text(b, "en")), canon_text(g)),
    )
    for k, (label, name, printed, canonical) in enumerate(rows):
        x0 = L + (k % 2) * (half + 20)
        yy = y + (k // 2) * 42
        label_value(b, c, x0, yy, label, name, printed, canonical, value_x=x0 + 260, size=25)
    y += 110
    prefix = b.rng.choice(("", "sym"))
    sym = {"USD": "$", "CNY": "¥", "VND": ""}[f.currency] if prefix else ""
    columns = [
        Column("no", "Item", 80, "center"),
        Column("hs_code", "HS Code", 170, "left"),
        Column("description", "Description of Goods", 480, "left"),
        Column("quantity", "Quantity", 170, "right"),
        Column("unit", "Unit", 100, "left"),
        Column("unit_price", "Unit Price", 200, "right"),
        Column("amount", "Amount", 234, "right"),
    ]
    t = Table(
        b,
        c,
        L,
        y,
        columns,
        size=24,
        rules="frame",
        header_fill=(40, 40, 48),
        header_align="left",
        next_page=next_page_for(b, f"Invoice {f.invoice_number}"),
    )
    # White header text on a dark band.
    t.canvas.rect(L, y, L + t.width, y + 62, width=0, outline=None, fill=(40, 40, 48))
    x = L
    for col in columns:
        tx = x + col.width - 10 if col.align == "right" else x + 10
        c.text(
            tx,
            y + 40,
            col.header,
            22,
            bold=True,
            fill=(255, 255, 255),
            align="right" if col.align == "right" else "left",
        )
        x += col.width
    t.y = y + 62
    t._top = y
    for i, (cells, truth) in enumerate(invoice_rows(b, "en")):
        t.row(cells, truth=truth, line=i, rule=False)
    t.row({}, rule=False)
    c = t.canvas
    y = t.finish()
    c.text(R - 260, y + 50, f"TOTAL ({b.currency('code')})", 26, bold=True, align="right")
    box = b.put(
        c,
        "total_amount",
        R - 10,
        y + 50,
        b.money(f.total_amount),
        canon_number(f.total_amount),
        size=26,
        bold=True,
        align="right",
    )
    if box and sym:  # the symbol is drawn apart so that the recorded box holds the number only
        c.text(box[0] - 6, y + 50, sym, 26, bold=True, align="right")
    c.hline(R - 500, R, y + 68, 2)
    y += 130
    c.text(L, y, "Payment: T/T in advance. Goods carried by truck via the border gate named above.", 22)
    c.text(L, y + 34, "We certify that this invoice is true and correct.", 22)
    y = max(y + 200, 1900)
    c.text(R - 450, y, "Authorised signature", 23)
    draw_signature(c, R - 430, y + 90, 260, b.rng)
    c.hline(R - 450, R, y + 150, 1)
    c.text(R - 450, y + 185, f.seller.name_en, c.fit(f.seller.name_en, 450, 21))


register(
    Layout(
        "ci_vn_classic",
        COMMERCIAL_INVOICE,
        "train",
        "dejavu_sans",
        ci_vn_classic,
        dates=("dmy_slash", "vi", "dmy_dot"),
        currencies=("code", "symbol"),
    )
)
register(
    Layout(
        "ci_cn_bilingual",
        COMMERCIAL_INVOICE,
        "train",
        "liberation_sans",
        ci_cn_bilingual,
        dates=("zh", "iso", "d_mon_y"),
        currencies=("code", "zh", "symbol"),
    )
)
register(
    Layout(
        "ci_en_plain",
        COMMERCIAL_INVOICE,
        "train",
        "liberation_serif",
        ci_en_plain,
        dates=("d_mon_y", "dmy_slash", "iso"),
        currencies=("code", "symbol"),
    )
)


# ==========================================================================================================
# Packing lists


def pl_vn_classic(b: Builder) -> None:
    """Vietnamese exporter's packing list: letterhead on the left, bilingual title, label-value header
    fields in one column, fully ruled table (packages, net then gross weight), total row."""
    f = b.facts
    c = b.new_page()
    name = f.seller.name.upper() if f.seller.country == "VN" else f.seller.name
    c.text(L, 150, name, c.fit(name, 1100, 30, bold=True), bold=True)
    c.text(L, 188, party_address(f.seller, f.seller.name), c.fit(f.seller.address, 1100, 21))
    c.text(L, 220, f"Mã số thuế: {f.seller.tax_code} - Điện thoại: {f.seller.phone}", 21)
    c.rect(R - 250, 120, R, 230, width=2)
    c.text(R - 125, 165, "Mẫu / Form", 20, align="center")
    c.text(R - 125, 205, "PL-01", 26, bold=True, align="center")
    c.hline(L, R, 250, 2)
    c.text(827, 330, "PHIẾU ĐÓNG GÓI HÀNG HÓA", 42, bold=True, align="center")
    c.text(827, 372, "PACKING LIST", 30, bold=True, align="center")
    y = 450
    rows = [
        ("Số (No.):", "packing_list_number", f.packing_list_number, canon_text(f.packing_list_number)),
        ("Ngày (Date):", "packing_list_date", b.date(f.packing_list_date), f.packing_list_date.isoformat()),
        (
            "Kèm theo hóa đơn số (Invoice No.):",
            "invoice_number",
            f.invoice_number,
            canon_text(f.invoice_number),
        ),
    ]
    for label, field_name, printed, canonical in rows:
        label_value(b, c, L, y, label, field_name, printed, canonical, value_x=L + 560, size=25)
        y += 42
    consignee = party_name(b, f.buyer, ("vi",))
    c.text(L, y, "Người nhận hàng (Consignee):", 25)
    c.text(L + 560, y, consignee, c.fit(consignee, R - L - 560, 25), bold=True)
    y += 42
    c.text(L, y, "Phương tiện vận tải (Means of transport):", 25)
    c.text(L + 560, y, f"Ô tô / Truck {b.plate(f.vehicle_plate)}", 25)
    y += 42
    c.text(L, y, "Ký mã hiệu (Shipping marks):", 25)
    c.text(L + 560, y, "N/M", 25)
    y += 40
    columns = [
        Column("no", "STT\nNo.", 80, "center"),
        Column("description", "Tên hàng\nDescription", 520),
        Column("kind_vi", "Bao bì\nPacking", 160, "center"),
        Column("packages", "Số kiện\nPackages", 180, "right"),
        Column("net_weight_kg", "T.lượng tịnh (kg)\nN.W. (kg)", 247, "right"),
        Column("gross_weight_kg", "T.lượng cả bì (kg)\nG.W. (kg)", 247, "right"),
    ]
    t = Table(
        b,
        c,
        L,
        y,
        columns,
        size=24,
        rules="grid",
        header_fill=(232, 236, 240),
        next_page=next_page_for(b, f"Packing list {f.packing_list_number}"),
    )
    t.header()
    for i, (cells, truth) in enumerate(packing_rows(b)):
        t.row(cells, truth=truth, line=i)
    packing_total_row(t, b, "Tổng cộng (Total):")
    c = t.canvas
    y = t.finish() + 60
    c.text(L, y, "Hàng được đóng gói phù hợp vận chuyển đường bộ qua cửa khẩu.", 23)
    c.text(L, y + 34, "Goods packed for road transport across the border gate.", 23)
    signatures(
        b,
        c,
        max(y + 160, 1850),
        "NGƯỜI LẬP PHIẾU / PREPARED BY",
        "GIÁM ĐỐC / DIRECTOR",
        stamp_party=f.seller,
        note="(Ký, ghi rõ họ tên)",
    )


def pl_cn_bilingual(b: Builder) -> None:
    """Chinese exporter's packing list: title left, a small ruled box of number/date/invoice at the top
    right, buyer block, table with marks and measurement columns, horizontal rules, total row."""
    f = b.facts
    c = b.new_page()
    head = f.seller.name if f.seller.country == "CN" else f.seller.name.upper()
    c.text(827, 140, head, c.fit(head, 1400, 34, bold=True), bold=True, align="center")
    c.text(827, 180, f.seller.address_en, c.fit(f.seller.address_en, 1400, 21), align="center")
    c.hline(L, R, 205, 2)
    c.text(L, 300, "装箱单", 50, bold=True)
    c.text(L, 350, "PACKING LIST", 34, bold=True)
    x0, x1, y0 = 900, R, 240
    rows = [
        ("编号 No.", "packing_list_number", f.packing_list_number, canon_text(f.packing_list_number)),
        ("日期 Date", "packing_list_date", b.date(f.packing_list_date), f.packing_list_date.isoformat()),
        ("发票号 Invoice No.", "invoice_number", f.invoice_number, canon_text(f.invoice_number)),
    ]
    for k, (label, field_name, printed, canonical) in enumerate(rows):
        yy = y0 + k * 56
        c.rect(x0, yy, x1, yy + 56, width=2)
        c.vline(x0 + 250, yy, yy + 56, 2)
        c.text(x0 + 12, yy + 37, label, 21)
        b.put(c, field_name, x0 + 262, yy + 38, printed, canonical, size=c.fit(printed, x1 - x0 - 275, 25))
    y = 450
    buyer = party_name(b, f.buyer, ("zh",), native_share=0.5)
    c.text(L, y, "买方 To:", 24, bold=True)
    c.text(L + 150, y, buyer, c.fit(buyer, R - L - 150, 25), bold=True)
    c.text(
        L + 150, y + 34, party_address(f.buyer, buyer), c.fit(party_address(f.buyer, buyer), R - L - 150, 21)
    )
    c.text(
        L,
        y + 80,
        f"运输方式 By: TRUCK   起运地 From: {f.place_of_loading.en}   目的地 To: {f.place_of_delivery.en}",
        22,
    )
    y += 120
    columns = [
        Column("marks", "唛头\nMarks", 120, "center"),
        Column("description", "品名\nDescription", 470),
        Column("packages", "件数\nPackages", 170, "right"),
        Column("kind_zh", "包装\nPacking", 110, "center"),
        Column("gross_weight_kg", "毛重(公斤)\nG.W.(KGS)", 200, "right"),
        Column("net_weight_kg", "净重(公斤)\nN.W.(KGS)", 200, "right"),
        Column("cbm", "体积\nMeas.(CBM)", 164, "right"),
    ]
    t = Table(
        b,
        c,
        L,
        y,
        columns,
        size=24,
        rules="horizontal",
        next_page=next_page_for(b, f"PACKING LIST {f.packing_list_number}"),
    )
    t.header()
    for i, (cells, truth) in enumerate(packing_rows(b)):
        t.row(cells, truth=truth, line=i)
    total_cbm = sum((Decimal(line.packages) * Decimal("0.048")).quantize(Decimal("0.01")) for line in f.lines)
    packing_total_row(t, b, "合计 TOTAL", cbm=b.num(total_cbm, 2))
    c = t.canvas
    y = t.finish() + 60
    c.text(L, y, f"SAY TOTAL: {b.num(f.total_packages)} PACKAGES ONLY.", 23, bold=True)
    y = max(y + 200, 1900)
    c.text(R - 420, y, "签字盖章 Signature & Stamp", 23)
    draw_signature(c, R - 400, y + 110, 240, b.rng)
    if f.seller.country == "CN":
        draw_stamp(c, R - 230, y + 100, 120, f.seller.name, "*", b.rng)


def pl_en_plain(b: Builder) -> None:
    """English packing list: grey title band, shipper/consignee stacked on the left and a two-column field
    box on the right, framed table without row lines, totals stated under the table."""
    f = b.facts
    c = b.new_page()
    c.rect(0, 100, c.width, 210, width=0, outline=None, fill=(225, 225, 225))
    c.text(L, 180, "PACKING LIST", 56, bold=True)
    c.text(R, 175, f.seller.name_en, c.fit(f.seller.name_en, 700, 24, bold=True), bold=True, align="right")
    y = 290
    for label, party in (("Shipper:", f.seller), ("Consignee:", f.buyer)):
        name = party_name(b, party, ("en",), native_share=0.3)
        c.text(L, y, label, 22, bold=True)
        yy = y + 36
        for line in c.wrap(name, 760, 24):
            c.text(L, yy, line, 24)
            yy += 32
        for line in c.wrap(party_address(party, name), 760, 21):
            c.text(L, yy, line, 21)
            yy += 28
        y = yy + 26
    x0, y0 = 960, 270
    rows = [
        ("Packing List No.", "packing_list_number", f.packing_list_number, canon_text(f.packing_list_number)),
        ("Date", "packing_list_date", b.date(f.packing_list_date), f.packing_list_date.isoformat()),
        ("Invoice No.", "invoice_number", f.invoice_number, canon_text(f.invoice_number)),
        ("Vehicle", "", b.plate(f.vehicle_plate), ""),
    ]
    c.rect(x0, y0, R, y0 + 4 * 60, width=2)
    for k, (label, field_name, printed, canonical) in enumerate(rows):
        yy = y0 + k * 60
        if k:
            c.hline(x0, R, yy, 1)
        c.text(x0 + 14, yy + 40, label, 22)
        size = c.fit(printed, R - x0 - 250, 24)
        if field_name:
            b.put(c, field_name, x0 + 236, yy + 40, printed, canonical, size=size, bold=True)
        else:
            c.text(x0 + 236, yy + 40, printed, size, bold=True)
    y = max(y, y0 + 280) + 20
    columns = [
        Column("no", "No.", 80, "center"),
        Column("description", "Description of Goods", 560),
        Column("packages", "Packages", 170, "right"),
        Column("kind", "Kind", 140, "center"),
        Column("gross_weight_kg", "Gross Wt (kg)", 242, "right"),
        Column("net_weight_kg", "Net Wt (kg)", 242, "right"),
    ]
    t = Table(
        b,
        c,
        L,
        y,
        columns,
        size=24,
        rules="frame",
        header_align="left",
        next_page=next_page_for(b, f"Packing list {f.packing_list_number}"),
    )
    t.header()
    for i, (cells, truth) in enumerate(packing_rows(b)):
        t.row(cells, truth=truth, line=i, rule=False)
    c = t.canvas
    y = t.finish() + 56
    kinds = {line.good.package for line in f.lines}
    unit = PACKAGES[next(iter(kinds))]["en"] if len(kinds) == 1 else "PACKAGES"
    label_value(
        b,
        c,
        L,
        y,
        "Total number of packages:",
        "total_packages",
        b.num(f.total_packages),
        canon_number(f.total_packages),
        value_x=L + 420,
        bold_value=True,
        size=25,
    )
    c.text(L + 420 + c.measure(b.num(f.total_packages), 25, bold=True) + 12, y, unit, 25)
    label_value(
        b,
        c,
        L,
        y + 42,
        "Total gross weight:",
        "total_gross_weight_kg",
        b.weight(f.total_gross_kg),
        canon_number(f.total_gross_kg),
        value_x=L + 420,
        bold_value=True,
        size=25,
    )
    c.text(L + 420 + c.measure(b.weight(f.total_gross_kg), 25, bold=True) + 12, y + 42, "kg", 25)
    label_value(
        b,
        c,
        L,
        y + 84,
        "Total net weight:",
        "total_net_weight_kg",
        b.weight(f.total_net_kg),
        canon_number(f.total_net_kg),
        value_x=L + 420,
        bold_value=True,
        size=25,
    )
    c.text(L + 420 + c.measure(b.weight(f.total_net_kg), 25, bold=True) + 12, y + 84, "kg", 25)
    y = max(y + 260, 1950)
    c.text(R - 450, y, "For the shipper", 23)
    draw_signature(c, R - 430, y + 90, 250, b.rng)
    c.hline(R - 450, R, y + 150, 1)


register(
    Layout(
        "pl_vn_classic",
        PACKING_LIST,
        "train",
        "dejavu_sans",
        pl_vn_classic,
        dates=("dmy_slash", "vi", "dmy_dot"),
    )
)
register(
    Layout(
        "pl_cn_bilingual",
        PACKING_LIST,
        "train",
        "liberation_sans",
        pl_cn_bilingual,
        dates=("zh", "iso", "dmy_slash"),
    )
)
register(
    Layout(
        "pl_en_plain",
        PACKING_LIST,
        "train",
        "dejavu_condensed",
        pl_en_plain,
        dates=("d_mon_y", "dmy_slash", "dmy_dot"),
        groups=(True, False),
    )
)


# ==========================================================================================================
# Certificates of origin, Form E (English only; the official box structure 1–13)

FE_ITEM_HEADS = (
    "5. Item\nnumber",
    "6. Marks and\nnumbers on\npackages",
    "7. Number and type of packages,\ndescription of goods (including\nquantity where appropriate and HS\n"
    "number of the importing Party)",
    "8. Origin\ncriteria (see\nNotes\noverleaf)",
    "9. Gross weight\nor other quantity\nand value (FOB)\nonly when RVC\ncriterion is used",
    "10. Number\nand date of\ninvoices",
)


@dataclass(frozen=True)
class FormEStyle:
    label_family: str
    value_family: str
    label_size: int
    value_size: int
    split: int  # x of the line between the left boxes (1–3) and the right ones
    heights: tuple[int, int, int]  # boxes 1, 2, 3
    columns: tuple[int, int, int, int, int, int]  # widths of boxes 5–10
    typed_offset: int = 0  # a pre-printed form filled on a printer: values land a few pixels off
    qr: bool = False  # the issuing authority's verification code next to the reference number


FE_X0, FE_X1, FE_Y0, FE_Y1 = 90, 1564, 80, 2262
ISSUERS = {
    "VN": ("VIET NAM", ("LANG SON", "HA NOI"), "BỘ CÔNG THƯƠNG - PHÒNG QUẢN LÝ XNK KHU VỰC LẠNG SƠN"),
    "CN": ("THE PEOPLE'S REPUBLIC OF CHINA", ("PINGXIANG", "NANNING"), "中华人民共和国凭祥海关"),
}
IMPORTING = {"VN": "CHINA", "CN": "VIET NAM"}


def _para(c: Canvas, x: float, y: float, text: str, width: float, size: int, family: str) -> int:
    """A paragraph wrapped to ``width``; returns the baseline after its last line."""
    for line in c.wrap(text, width, size, family=family):
        c.text(x, y, line, size, family=family)
        y += int(size * 1.3)
    return int(y)


def _qr(c: Canvas, x: int, y: int, size: int, b: Builder) -> None:
    n = 25
    cell = size // n
    for i in range(n):
        for j in range(n):
            finder = any(i0 <= i < i0 + 7 and j0 <= j < j0 + 7 for i0, j0 in ((0, 0), (0, n - 7), (n - 7, 0)))
            if finder:
                on = (
                    i in (0, 6, n - 7, n - 1)
                    or j in (0, 6, n - 7, n - 1)
                    or (2 <= i % (n - 7 if i >= 7 else n) <= 4 and 2 <= j % (n - 7 if j >= 7 else n) <= 4)
                )
            else:
                on = b.rng.random() < 0.5
            if on:
                c.rect(
                    x + j * cell,
                    y + i * cell,
                    x + (j + 1) * cell - 1,
                    y + (i + 1) * cell - 1,
                    width=0,
                    outline=None,
                    fill=INK,
                )


def form_e(b: Builder, st: FormEStyle) -> None:
    f = b.facts
    c = b.new_page()
    lf, vf, ls, vs = st.label_family, st.value_family, st.label_size, st.value_size
    dx = b.rng.randint(-st.typed_offset, st.typed_offset)
    dy = b.rng.randint(-st.typed_offset, st.typed_offset)
    issued_in, places, authority = ISSUERS[f.origin_country]
    place = b.rng.choice(places)

    def put(name: str, x: float, y: float, printed: str, canonical: str, **kw: Any) -> Box | None:
        return b.put(c, name, x + dx, y + dy, printed, canonical, family=vf, size=kw.pop("size", vs), **kw)

    def typed(x: float, y: float, text: str, size: int | None = None) -> Box | None:
        return c.text(x + dx, y + dy, text, size or vs, family=vf)

    def label(x: float, y: float, text: str, size: int | None = None, bold: bool = False) -> None:
        c.text(x, y, text, size or ls, family=lf, bold=bold)

    x0, x1, sx = FE_X0, FE_X1, st.split
    h1, h2, h3 = st.heights
    y1, y2, y3 = FE_Y0 + h1, FE_Y0 + h1 + h2, FE_Y0 + h1 + h2 + h3
    c.rect(x0, FE_Y0, x1, FE_Y1, width=3)
    c.vline(sx, FE_Y0, y3, 2)
    for yy in (y1, y2):
        c.hline(x0, sx, yy, 2)
    c.hline(sx, x1, y2 - 20, 2)
    c.hline(x0, x1, y3, 2)
    lw = sx - x0 - 24  # text width in the left boxes

    def party_box(top: int, head: str, party: Any, name: str) -> None:
        label(x0 + 10, top + 26, head)
        yy = top + 26 + int(ls * 1.6) + vs
        for line in c.wrap(party.name_en, lw, vs, family=vf):
            put(name, x0 + 14, yy, line, canon_text(party.name_en))
            yy += int(vs * 1.3)
        for line in c.wrap(party.address_en.upper(), lw, vs - 2, family=vf):
            typed(x0 + 14, yy, line, vs - 2)
            yy += int(vs * 1.25)

    party_box(
        FE_Y0,
        "1. Goods consigned from (Exporter's business name, address, country)",
        f.seller,
        "exporter_name",
    )
    party_box(
        y1, "2. Goods consigned to (Importer's/Consignee's name, address, country)", f.buyer, "importer_name"
    )
    # Box 3: transport and route.
    label(x0 + 10, y2 + 26, "3. Means of transport and route (as far as known)")
    yy = y2 + 26 + int(ls * 1.8)
    label(x0 + 14, yy, "Departure date")
    typed(x0 + 260, yy, b.date(f.cmr_date))
    yy += int(vs * 1.7)
    label(x0 + 14, yy, "Vessel's name/Aircraft etc.")
    yy += int(vs * 1.35)
    prefix = "BY TRUCK NO. "
    typed(x0 + 14, yy, prefix)
    box = put(
        "vehicle_plate",
        x0 + 14 + c.measure(prefix, vs, family=vf),
        yy,
        b.plate(f.vehicle_plate),
        f.vehicle_plate,
    )
    if box and b.rng.random() < 0.5:
        typed(box[2] - dx + 10, yy, "/ " + b.plate(f.trailer_plate))
    yy += int(vs * 1.7)
    label(x0 + 14, yy, "Port of Discharge")
    discharge = f.place_of_delivery.en.upper() if b.rng.random() < 0.5 else f"{f.gate.en.upper()} BORDER GATE"
    typed(x0 + 260, yy, discharge, c.fit(discharge, x0 + lw - 260, vs, family=vf))
    # Right top: reference number and title.
    rx = sx + 14
    label(rx, FE_Y0 + 34, "Reference No.", ls + 2)
    put(
        "certificate_number",
        rx + c.measure("Reference No.", ls + 2, family=lf) + 16,
        FE_Y0 + 36,
        f.certificate_number,
        canon_text(f.certificate_number),
        size=vs + 2,
    )
    title_y = FE_Y0 + 100
    if st.qr:
        _qr(c, x1 - 150, FE_Y0 + 60, 125, b)
    mid = (sx + x1) / 2 - (70 if st.qr else 0)
    for k, (text, size, bold) in enumerate(
        (
            ("ASEAN-CHINA FREE TRADE AREA", ls + 7, True),
            ("PREFERENTIAL TARIFF", ls + 7, True),
            ("CERTIFICATE OF ORIGIN", ls + 7, True),
            ("(Combined Declaration and Certificate)", ls + 1, False),
            ("FORM E", ls + 12, True),
        )
    ):
        c.text(mid, title_y + k * int(ls * 2.0), text, size, family=lf, bold=bold, align="center")
    iy = title_y + 5 * int(ls * 2.0) + 16
    label(rx + 40, iy, "Issued in")
    typed(rx + 160, iy, issued_in, c.fit(issued_in, x1 - rx - 200, vs, family=vf))
    c.hline(rx + 150, x1 - 30, iy + 8, 1)
    c.text((sx + x1) / 2, iy + 34, "(Country)", ls, family=lf, align="center")
    c.text((sx + x1) / 2, y2 - 40, "See Notes Overleaf", ls, family=lf, align="center")
    # Box 4: for official use.
    label(rx, y2 + 8, "4. For Official Use")
    yy = y2 + 8 + int(ls * 1.9)
    for text in (
        "Preferential Treatment Given Under ASEAN-China Free Trade Area Preferential Tariff",
        "Preferential Treatment Not Given (Please state reason/s)",
    ):
        c.checkbox(rx + 6, yy - ls, ls)
        yy = _para(c, rx + ls + 20, yy, text, x1 - rx - ls - 40, ls, lf) + 10
    c.hline(rx + 20, x1 - 30, yy + 40, 1)
    c.text(
        (sx + x1) / 2,
        y3 - 14,
        "Signature of Authorised Signatory of the Importing Party",
        ls - 1,
        family=lf,
        align="center",
    )
    # Items: boxes 5–10.
    xs = [x0]
    for w in st.columns:
        xs.append(xs[-1] + w)
    xs[-1] = x1
    head_lines = max(h.count("\n") + 1 for h in FE_ITEM_HEADS)
    head_bottom = y3 + head_lines * int(ls * 1.25) + 22
    for k, head in enumerate(FE_ITEM_HEADS):
        for j, part in enumerate(head.split("\n")):
            c.text(xs[k] + 8, y3 + 12 + ls + j * int(ls * 1.25), part, ls, family=lf)
    c.hline(x0, x1, head_bottom, 2)
    items_bottom = 1640
    for xx in xs[1:-1]:
        c.vline(xx, y3, items_bottom, 2)
    # Box 13 and boxes 11–12.
    c.hline(x0, x1, items_bottom, 2)
    y13 = items_bottom + 66
    label(x0 + 10, items_bottom + 40, "13.")
    xx = x0 + 70
    for text in ("Issued Retroactively", "Exhibition", "Movement Certificate", "Third Party Invoicing"):
        c.checkbox(xx, items_bottom + 40 - ls, ls)
        c.text(xx + ls + 10, items_bottom + 40, text, ls, family=lf)
        xx += ls + 30 + int(c.measure(text, ls, family=lf)) + 20
    c.hline(x0, x1, y13, 2)
    c.vline(sx, y13, FE_Y1, 2)
    label(x0 + 10, y13 + 28, "11. Declaration by the exporter")
    yy = _para(
        c,
        x0 + 14,
        y13 + 28 + int(ls * 1.7),
        "The undersigned hereby declares that the above details and statement are correct; that all the "
        "goods were produced in",
        lw,
        ls,
        lf,
    )
    typed((x0 + sx) / 2 - c.measure(issued_in, vs, family=vf) / 2, yy + 6, issued_in)
    c.text((x0 + sx) / 2, yy + 36, "(Country)", ls, family=lf, align="center")
    yy = _para(
        c,
        x0 + 14,
        yy + 36 + int(ls * 1.5),
        "and that they comply with the origin requirements specified for these goods in the ASEAN-China "
        "Free Trade Area Preferential Tariff for the goods exported to",
        lw,
        ls,
        lf,
    )
    importing = IMPORTING[f.origin_country]
    typed((x0 + sx) / 2 - c.measure(importing, vs, family=vf) / 2, yy + 6, importing)
    c.text((x0 + sx) / 2, yy + 36, "(Importing Country)", ls, family=lf, align="center")
    decl_y = FE_Y1 - 60
    typed(x0 + 30, decl_y - 10, f"{place}, {b.date(f.invoice_date)}")
    draw_signature(c, x0 + 380, decl_y - 70, 200, b.rng)
    c.hline(x0 + 20, sx - 20, decl_y + 6, 1)
    c.text(
        (x0 + sx) / 2,
        decl_y + 36,
        "Place and date, signature of authorised signatory",
        ls,
        family=lf,
        align="center",
    )
    label(sx + 10, y13 + 28, "12. Certification")
    _para(
        c,
        sx + 14,
        y13 + 28 + int(ls * 1.7),
        "It is hereby certified, on the basis of control carried out, "
        "that the declaration by the exporter is correct.",
        x1 - sx - 30,
        ls,
        lf,
    )
    place_text = f"{place}, "
    typed(sx + 30, decl_y - 10, place_text)
    put(
        "issue_date",
        sx + 30 + c.measure(place_text, vs, family=vf),
        decl_y - 10,
        b.date(f.issue_date),
        f.issue_date.isoformat(),
    )
    draw_stamp(c, sx + 480 + b.rng.randint(-40, 40), decl_y - 150, 115, authority, "*", b.rng)
    c.hline(sx + 20, x1 - 20, decl_y + 6, 1)
    c.text(
        (sx + x1) / 2,
        decl_y + 36,
        "Place and date, signature and stamp of certifying authority",
        ls,
        family=lf,
        align="center",
    )

    def continuation() -> tuple[int, int]:
        """A continuation sheet for the items that do not fit: frame, reference number, boxes 5–10 heads."""
        nonlocal c
        c = b.new_page()
        c.rect(x0, FE_Y0, x1, FE_Y1, width=3)
        c.text(
            (x0 + x1) / 2,
            FE_Y0 + 46,
            "FORM E - CONTINUATION SHEET",
            ls + 8,
            family=lf,
            bold=True,
            align="center",
        )
        label(x0 + 10, FE_Y0 + 90, "Reference No.", ls + 2)
        typed(x0 + 30 + c.measure("Reference No.", ls + 2, family=lf), FE_Y0 + 90, f.certificate_number)
        label(x1 - 200, FE_Y0 + 90, f"Page {c.page}", ls + 2)
        top = FE_Y0 + 116
        c.hline(x0, x1, top, 2)
        for k, head in enumerate(FE_ITEM_HEADS):
            for j, part in enumerate(head.split("\n")):
                c.text(xs[k] + 8, top + 12 + ls + j * int(ls * 1.25), part, ls, family=lf)
        bottom = FE_Y1 - 240
        head_end = top + head_lines * int(ls * 1.25) + 22
        c.hline(x0, x1, head_end, 2)
        for xx in xs[1:-1]:
            c.vline(xx, top, bottom, 2)
        c.hline(x0, x1, bottom, 2)
        c.text(
            (x0 + x1) / 2,
            FE_Y1 - 30,
            "Signature and stamp of certifying authority",
            ls,
            family=lf,
            align="center",
        )
        draw_stamp(c, (x0 + x1) / 2 + 260, FE_Y1 - 130, 95, authority, "*", b.rng)
        return head_end + vs + 16, bottom

    compact, gap = False, 18

    def item_text(line: Any) -> str:
        kind = PACKAGES[line.good.package]["en"]
        count = b.num(line.packages) if compact else f"{b.num(line.packages)} ({amount_words(line.packages)})"
        return f"{count} {kind} OF {line.good.en.upper()}"

    def draw_items(yy: int, bottom: int) -> None:
        cur = b.currency("code")
        lh = int(vs * 1.3)
        n_lines = len(f.lines)
        closing = (2 * lh + 10 if n_lines > 1 else 0) + lh + 20
        for i, line in enumerate(f.lines):
            desc = item_text(line)
            parts = c.wrap(desc, xs[3] - xs[2] - 20, vs, family=vf)
            height = max(len(parts) + 1, 2) * lh + gap
            if yy - vs + height + (closing if i == n_lines - 1 else 0) > bottom - 10:
                yy, bottom = continuation()
            typed(xs[0] + 20, yy, str(i + 1))
            if i == 0:
                typed(xs[1] + 10, yy, "N/M")
            dy_desc = yy
            for part in parts:
                typed(xs[2] + 10, dy_desc, part)
                dy_desc += lh
            typed(xs[2] + 10, dy_desc, f"HS CODE: {b.hs(line.good.hs8[:6])}")
            dy_desc += lh
            crit = f.origin_criterion
            if i == 0:
                put(
                    "origin_criterion",
                    xs[3] + 10,
                    yy,
                    crit,
                    canon_text(crit),
                    size=c.fit(crit, xs[4] - xs[3] - 16, vs, family=vf),
                )
            else:
                typed(xs[3] + 10, yy, crit, c.fit(crit, xs[4] - xs[3] - 16, vs, family=vf))
            w9 = xs[5] - xs[4] - 16
            gw = f"{b.weight(line.gross_kg)} KGS G.W."
            typed(xs[4] + 8, yy, gw, c.fit(gw, w9, vs, family=vf))
            fob_text = b.money(f.fob_value if n_lines == 1 else line.amount)
            size9 = c.fit(f"FOB {cur} {fob_text}", w9, vs, family=vf)
            typed(xs[4] + 8, yy + lh, f"FOB {cur}", size9)
            fob_x = xs[4] + 8 + c.measure(f"FOB {cur} ", size9, family=vf)
            if n_lines == 1:
                put("fob_value", fob_x, yy + lh, fob_text, canon_number(f.fob_value), size=size9)
            else:
                typed(fob_x, yy + lh, fob_text, size9)
            if i == 0:
                w10 = xs[6] - xs[5] - 16
                put(
                    "invoice_number",
                    xs[5] + 8,
                    yy,
                    f.invoice_number,
                    canon_text(f.invoice_number),
                    size=c.fit(f.invoice_number, w10, vs, family=vf),
                )
                typed(
                    xs[5] + 8,
                    yy + lh,
                    b.date(f.invoice_date),
                    c.fit(b.date(f.invoice_date), w10, vs, family=vf),
                )
            yy = max(dy_desc, yy + 2 * lh) + gap
        if n_lines > 1:
            kinds = {line.good.package for line in f.lines}
            unit = PACKAGES[next(iter(kinds))]["en"] if len(kinds) == 1 else "PACKAGES"
            typed(xs[2] + 10, yy, f"TOTAL: {b.num(f.total_packages)} {unit}")
            w9 = xs[5] - xs[4] - 16
            size9 = c.fit(f"{cur} {b.money(f.fob_value)}", w9, vs, family=vf)
            typed(xs[4] + 8, yy, "TOTAL FOB:", size9)
            typed(xs[4] + 8, yy + lh, cur, size9)
            put(
                "fob_value",
                xs[4] + 8 + c.measure(cur + " ", size9, family=vf),
                yy + lh,
                b.money(f.fob_value),
                canon_number(f.fob_value),
                size=size9,
            )
            yy += 2 * lh + 10
        typed(xs[2] + 10, yy + 10, "*" * 18)

    def items_height(size: int) -> int:
        lh = int(size * 1.3)
        total = (2 * lh + 10 if len(f.lines) > 1 else 0) + lh + 20
        for line in f.lines:
            desc = item_text(line)
            total += max(len(c.wrap(desc, xs[3] - xs[2] - 20, size, family=vf)) + 1, 2) * lh + gap
        return total

    if b.single_page and items_height(vs) > items_bottom - head_bottom - 30:
        # One image file: the items are typed tighter and smaller instead of going to a continuation sheet.
        compact, gap = True, 6
        while vs > 14 and items_height(vs) > items_bottom - head_bottom - 30:
            vs -= 1
    draw_items(head_bottom + vs + 16, items_bottom)


def amount_words(n: int) -> str:
    from langson.border.synth.render import words

    return words(n)


FE_OFFICIAL = FormEStyle(
    "dejavu_sans",
    "liberation_mono",
    17,
    23,
    860,
    (250, 250, 300),
    (110, 190, 440, 170, 290, 264),
    typed_offset=9,
)
FE_SERIF = FormEStyle(
    "liberation_serif", "liberation_serif", 19, 25, 820, (240, 260, 290), (100, 180, 470, 160, 300, 264)
)
FE_CUSTOMS = FormEStyle(
    "liberation_sans", "dejavu_sans", 18, 22, 900, (260, 240, 310), (105, 175, 455, 175, 300, 264), qr=True
)

register(
    Layout(
        "fe_official",
        FORM_E,
        "train",
        "dejavu_sans",
        lambda b: form_e(b, FE_OFFICIAL),
        dates=("dmy_slash", "d_mon_y"),
        upper_dates=True,
        hs_dotted=(True,),
    )
)
register(
    Layout(
        "fe_serif",
        FORM_E,
        "train",
        "liberation_serif",
        lambda b: form_e(b, FE_SERIF),
        dates=("d_mon_y", "dmy_dot"),
        hs_dotted=(True, False),
    )
)
register(
    Layout(
        "fe_customs",
        FORM_E,
        "train",
        "liberation_sans",
        lambda b: form_e(b, FE_CUSTOMS),
        dates=("iso", "dmy_slash", "d_mon_y"),
        upper_dates=True,
        hs_dotted=(False,),
    )
)


# ==========================================================================================================
# CMR consignment notes (numbered IRU boxes; Vietnamese / Chinese / English labels)

CMR_LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    "vi_zh_en": {
        "title": ("GIẤY GỬI HÀNG QUỐC TẾ ĐƯỜNG BỘ / 国际道路货物运单", "INTERNATIONAL CONSIGNMENT NOTE"),
        "1": ("1  Người gửi / 发货人", "Sender (name, address, country)"),
        "2": ("2  Người nhận / 收货人", "Consignee (name, address, country)"),
        "3": ("3  Nơi giao hàng / 交货地点", "Place of delivery of the goods (place, country)"),
        "4": ("4  Nơi và ngày nhận hàng / 接货地点和日期", "Place and date of taking over the goods"),
        "5": ("5  Chứng từ kèm theo / 随附单证", "Documents attached"),
        "6": ("6 Ký mã hiệu", "标记 Marks"),
        "7": ("7 Số kiện", "件数 Packages"),
        "8": ("8 Đóng gói", "包装 Packing"),
        "9": ("9 Tên hàng / 货物名称", "Nature of the goods"),
        "10": ("10 Mã thống kê", "统计号 Stat. No."),
        "11": ("11 T.lượng cả bì", "毛重 Gross wt, kg"),
        "12": ("12 Thể tích", "体积 Volume, m³"),
        "13": ("13  Chỉ dẫn của người gửi / 发货人指示", "Sender's instructions"),
        "16": ("16  Người vận chuyển / 承运人", "Carrier (name, address, country)"),
        "17": ("17  Người vận chuyển kế tiếp / 后续承运人", "Successive carriers"),
        "18": ("18  Bảo lưu của người vận chuyển / 承运人保留", "Carrier's reservations and observations"),
        "19": ("19  Thỏa thuận đặc biệt / 特别约定", "Special agreements"),
        "21": ("21  Lập tại / 签发于", "Established in"),
        "21on": ("ngày / 日期 / on",),
        "22": ("22  Chữ ký, dấu người gửi", "发货人签章 Signature and stamp of the sender"),
        "23": ("23  Chữ ký, dấu người vận chuyển", "承运人签章 Signature and stamp of the carrier"),
        "24": ("24  Hàng đã nhận / 货物已收到", "Goods received"),
        "25": ("25  Biển số xe / 车牌号", "Registration numbers"),
        "tractor": ("Đầu kéo / 牵引车 / Tractor:",),
        "trailer": ("Rơ moóc / 挂车 / Trailer:",),
        "total": ("Tổng / 合计 / Total",),
        "no": ("Số / 编号 / No.",),
    },
    "vi_en": {
        "title": ("GIẤY VẬN CHUYỂN HÀNG HÓA QUỐC TẾ", "INTERNATIONAL CONSIGNMENT NOTE"),
        "1": ("1  Người gửi hàng", "Sender (name, address, country)"),
        "2": ("2  Người nhận hàng", "Consignee (name, address, country)"),
        "3": ("3  Địa điểm giao hàng", "Place of delivery of the goods"),
        "4": ("4  Địa điểm và ngày nhận hàng", "Place and date of taking over the goods"),
        "5": ("5  Chứng từ kèm theo", "Documents attached"),
        "6": ("6 Ký hiệu", "Marks & Nos"),
        "7": ("7 Số kiện", "No. of packages"),
        "8": ("8 Bao bì", "Packing"),
        "9": ("9 Tên hàng", "Nature of the goods"),
        "10": ("10 Số thống kê", "Statistical No."),
        "11": ("11 Trọng lượng", "Gross weight, kg"),
        "12": ("12 Thể tích", "Volume, m³"),
        "13": ("13  Chỉ dẫn của người gửi", "Sender's instructions"),
        "16": ("16  Người vận chuyển", "Carrier (name, address, country)"),
        "17": ("17  Người vận chuyển tiếp theo", "Successive carriers"),
        "18": ("18  Ghi chú của người vận chuyển", "Carrier's reservations and observations"),
        "19": ("19  Thỏa thuận riêng", "Special agreements"),
        "21": ("21  Lập tại", "Established in"),
        "21on": ("ngày / on",),
        "22": ("22  Người gửi hàng", "Signature and stamp of the sender"),
        "23": ("23  Người vận chuyển", "Signature and stamp of the carrier"),
        "24": ("24  Người nhận hàng", "Goods received"),
        "25": ("25  Biển kiểm soát", "Registration numbers"),
        "tractor": ("Xe đầu kéo / Tractor:",),
        "trailer": ("Sơ mi rơ moóc / Trailer:",),
        "total": ("Cộng / Total",),
        "no": ("Số / No.",),
    },
    "zh_en_vi": {
        "title": ("国际道路货物运单 / GIẤY GỬI HÀNG QUỐC TẾ", "INTERNATIONAL ROAD WAYBILL (CMR)"),
        "1": ("1  发货人 Sender / Người gửi", "名称、地址、国家 name, address, country"),
        "2": ("2  收货人 Consignee / Người nhận", "名称、地址、国家 name, address, country"),
        "3": ("3  交货地点 Place of delivery", "Nơi giao hàng"),
        "4": ("4  接货地点和日期 Place and date of taking over", "Nơi và ngày nhận hàng"),
        "5": ("5  随附单证 Documents attached", "Chứng từ kèm theo"),
        "6": ("6 标记", "Marks"),
        "7": ("7 件数", "Packages"),
        "8": ("8 包装", "Packing"),
        "9": ("9 货物名称", "Nature of goods"),
        "10": ("10 统计号", "Stat. No."),
        "11": ("11 毛重(公斤)", "Gross wt, kg"),
        "12": ("12 体积(m³)", "Volume, m³"),
        "13": ("13  发货人指示 Sender's instructions", "Chỉ dẫn của người gửi"),
        "16": ("16  承运人 Carrier", "Người vận chuyển"),
        "17": ("17  后续承运人 Successive carriers", "Người vận chuyển kế tiếp"),
        "18": ("18  承运人保留 Carrier's reservations", "Bảo lưu của người vận chuyển"),
        "19": ("19  特别约定 Special agreements", "Thỏa thuận đặc biệt"),
        "21": ("21  签发于 Established in", "Lập tại"),
        "21on": ("日期 on / ngày",),
        "22": ("22  发货人签章", "Sender's signature / Người gửi"),
        "23": ("23  承运人签章", "Carrier's signature / Người vận chuyển"),
        "24": ("24  收货人签收", "Goods received / Người nhận"),
        "25": ("25  车牌号 Registration Nos.", "Biển số xe"),
        "tractor": ("牵引车 Tractor / Đầu kéo:",),
        "trailer": ("挂车 Trailer / Rơ moóc:",),
        "total": ("合计 Total / Tổng",),
        "no": ("编号 No. / Số",),
    },
}

REDDISH = (150, 30, 40)


@dataclass(frozen=True)
class CmrStyle:
    labels: str  # key of CMR_LABELS
    label_family: str
    value_family: str
    label_size: int
    value_size: int
    label_color: tuple[int, int, int] = INK
    plates_top: bool = False  # box 25 at the top right (some national prints) instead of next to box 21
    places: tuple[str, ...] = ("en", "vi")  # languages the places are written in


CX0, CX1, CY0, CY1 = 90, 1564, 90, 2262


def cmr(b: Builder, st: CmrStyle) -> None:
    f = b.facts
    c = b.new_page()
    lab = CMR_LABELS[st.labels]
    lf, vf, ls, vs = st.label_family, st.value_family, st.label_size, st.value_size
    mid = (CX0 + CX1) // 2
    place_lang = b.rng.choice(st.places)

    def label(key: str, x: float, y: float) -> int:
        for k, part in enumerate(lab[key]):
            c.text(
                x,
                y + k * int(ls * 1.25),
                part,
                ls if k == 0 else ls - 2,
                family=lf,
                bold=k == 0 and key.isdigit(),
                fill=st.label_color,
            )
        return int(y + (len(lab[key]) - 1) * int(ls * 1.25) + int(vs * 1.5))

    def typed(
        x: float, y: float, text: str, width: float | None = None, size: int | None = None
    ) -> Box | None:
        size = size or vs
        if width:
            size = c.fit(text, width, size, family=vf)
        return c.text(x, y, text, size, family=vf)

    def put(
        name: str, x: float, y: float, printed: str, canonical: str, width: float | None = None
    ) -> Box | None:
        size = c.fit(printed, width, vs, family=vf) if width else vs
        return b.put(c, name, x, y, printed, canonical, size=size, family=vf)

    def place(p: Any) -> str:
        return str(getattr(p, place_lang))

    # Title strip and number.
    c.rect(CX0, CY0, CX1, CY1, width=3, outline=st.label_color)
    c.text(CX0 + 12, CY0 + 36, lab["title"][0], ls + 5, family=lf, bold=True, fill=st.label_color)
    c.text(CX0 + 12, CY0 + 70, lab["title"][1], ls + 2, family=lf, bold=True, fill=st.label_color)
    c.text(CX1 - 280, CY0 + 62, "CMR", 54, family=lf, bold=True, fill=st.label_color)
    top = CY0 + 96
    c.hline(CX0, CX1, top, 2, fill=st.label_color)
    rows = (top, top + 230, top + 460, top + 600, top + 760, top + 880)
    for yy in rows[1:]:
        c.hline(CX0, CX1, yy, 2, fill=st.label_color)
    c.vline(mid, top, rows[-1], 2, fill=st.label_color)
    w = mid - CX0 - 28
    # 1, 2: sender and consignee.
    for key, party, name, y0 in (
        ("1", f.seller, "consignor_name", rows[0]),
        ("2", f.buyer, "consignee_name", rows[1]),
    ):
        yy = label(key, CX0 + 10, y0 + 26)
        printed = party.name if b.rng.random() < 0.5 else party.name_en
        for line in c.wrap(printed, w, vs, family=vf):
            put(name, CX0 + 14, yy, line, canon_text(printed))
            yy += int(vs * 1.3)
        for line in c.wrap(party_address(party, printed), w, vs - 3, family=vf)[:2]:
            typed(CX0 + 14, yy, line, size=vs - 3)
            yy += int(vs * 1.2)
    # Right of 1: the CMR convention line and the number (box 25 too, in some prints).
    yy = rows[0] + 34
    c.text(mid + 14, yy, lab["no"][0], ls + 2, family=lf, fill=st.label_color)
    number_x = mid + 20 + c.measure(lab["no"][0], ls + 2, family=lf)
    put("cmr_number", number_x, yy + 2, f.cmr_number, canon_text(f.cmr_number), CX1 - number_x - 20)
    if not st.plates_top:
        yy = _para(
            c,
            mid + 14,
            yy + 46,
            "This carriage is subject, notwithstanding any clause to the contrary, to "
            "the Convention on the Contract for the International Carriage of Goods by Road (CMR).",
            w,
            ls - 2,
            lf,
        )

    def plates(x: float, y: float) -> None:
        yy = label("25", x, y)
        for key, name, value in (
            ("tractor", "vehicle_plate", f.vehicle_plate),
            ("trailer", "trailer_plate", f.trailer_plate),
        ):
            c.text(x + 4, yy, lab[key][0], ls, family=lf, fill=st.label_color)
            put(name, x + 18 + c.measure(lab[key][0], ls, family=lf), yy + 2, b.plate(value), value)
            yy += int(vs * 1.5)

    if st.plates_top:
        plates(mid + 14, yy + 44)
    # 16: carrier.
    yy = label("16", mid + 14, rows[1] + 26)
    carrier = f.carrier.name if b.rng.random() < 0.5 else f.carrier.name_en
    for line in c.wrap(carrier, w, vs, family=vf):
        typed(mid + 18, yy, line)
        yy += int(vs * 1.3)
    typed(mid + 18, yy, party_address(f.carrier, carrier), w, vs - 3)
    # 3, 17: place of delivery.
    yy = label("3", CX0 + 10, rows[2] + 26)
    put(
        "place_of_delivery",
        CX0 + 14,
        yy,
        place(f.place_of_delivery),
        canon_text(place(f.place_of_delivery)),
        w,
    )
    label("17", mid + 14, rows[2] + 26)
    # 4, 18: place and date of taking over.
    yy = label("4", CX0 + 10, rows[3] + 26)
    put("place_of_loading", CX0 + 14, yy, place(f.place_of_loading), canon_text(place(f.place_of_loading)), w)
    typed(CX0 + 14, yy + int(vs * 1.35), b.date(f.invoice_date))
    label("18", mid + 14, rows[3] + 26)
    # 5, 19: documents attached.
    yy = label("5", CX0 + 10, rows[4] + 26)
    typed(
        CX0 + 14,
        yy,
        f"Invoice {f.invoice_number}; Packing list; C/O Form E {f.certificate_number}",
        w,
        vs - 3,
    )
    label("19", mid + 14, rows[4] + 26)
    # 6–12: goods.
    gx = [CX0, CX0 + 150, CX0 + 330, CX0 + 480, CX0 + 900, CX0 + 1060, CX0 + 1300, CX1]
    keys = ("6", "7", "8", "9", "10", "11", "12")
    g0 = rows[5]
    for k, key in enumerate(keys):
        for j, part in enumerate(lab[key]):
            c.text(
                gx[k] + 8,
                g0 + 26 + j * int(ls * 1.2),
                part,
                c.fit(part, gx[k + 1] - gx[k] - 12, ls - 1, family=lf),
                family=lf,
                bold=j == 0,
                fill=st.label_color,
            )
    gh = g0 + 26 + int(ls * 1.2) + 16
    c.hline(CX0, CX1, gh, 1, fill=st.label_color)
    goods_bottom = g0 + 520
    natures = [line.good.en.upper() if b.rng.random() < 0.6 else line.description for line in f.lines]
    # Many lines: typed smaller so that they stay inside boxes 6–12.
    gv = vs
    while gv > 15:
        need = sum(
            min(len(c.wrap(n, gx[4] - gx[3] - 20, gv - 2, family=vf)), 3) * int(gv * 1.2) + 12
            for n in natures
        )
        if gh + gv + 12 + need < goods_bottom - gv - 40:
            break
        gv -= 1
    yy = gh + gv + 12
    for i, (line, nature) in enumerate(zip(f.lines, natures, strict=True)):
        kind = PACKAGES[line.good.package]["short"]
        typed(gx[0] + 10, yy, "N/M" if i == 0 else "", size=gv)
        typed(gx[1] + 10, yy, b.num(line.packages), gx[2] - gx[1] - 20, gv)
        typed(gx[2] + 10, yy, kind, gx[3] - gx[2] - 20, gv)
        lines_ = c.wrap(nature, gx[4] - gx[3] - 20, gv - 2, family=vf)[:3]
        for j, part in enumerate(lines_):
            typed(gx[3] + 10, yy + j * int(gv * 1.2), part, size=gv - 2)
        typed(gx[4] + 10, yy, line.good.hs8, gx[5] - gx[4] - 20, gv)
        typed(gx[5] + 10, yy, b.weight(line.gross_kg), gx[6] - gx[5] - 20, gv)
        typed(
            gx[6] + 10,
            yy,
            b.num((Decimal(line.packages) * Decimal("0.048")).quantize(Decimal("0.01")), 2),
            gx[7] - gx[6] - 20,
            gv,
        )
        yy += max(len(lines_), 1) * int(gv * 1.2) + 12
    total_y = max(yy + 10, goods_bottom - 30)
    c.hline(CX0, CX1, total_y - vs - 14, 1, fill=st.label_color)
    c.text(gx[3] + 10, total_y, lab["total"][0], vs - 2, family=lf, bold=True, fill=st.label_color)
    put(
        "total_packages",
        gx[1] + 10,
        total_y,
        b.num(f.total_packages),
        canon_number(f.total_packages),
        gx[2] - gx[1] - 20,
    )
    put(
        "total_gross_weight_kg",
        gx[5] + 10,
        total_y,
        b.weight(f.total_gross_kg),
        canon_number(f.total_gross_kg),
        gx[6] - gx[5] - 20,
    )
    for xx in gx[1:-1]:
        c.vline(xx, g0, goods_bottom, 1, fill=st.label_color)
    c.hline(CX0, CX1, goods_bottom, 2, fill=st.label_color)
    # 13 / 20.
    r13 = goods_bottom + 170
    yy = label("13", CX0 + 10, goods_bottom + 26)
    typed(CX0 + 14, yy, "Keep dry / Giữ khô / 防潮", w, vs - 3)
    c.vline(mid, goods_bottom, r13, 2, fill=st.label_color)
    c.text(
        mid + 14,
        goods_bottom + 26,
        "20  Thanh toán / To be paid by",
        ls,
        family=lf,
        bold=True,
        fill=st.label_color,
    )
    typed(mid + 18, goods_bottom + 26 + int(vs * 1.5), f"Sender / {f.incoterm}", w, vs - 3)
    c.hline(CX0, CX1, r13, 2, fill=st.label_color)
    # 21 and 25 (or 24).
    r21 = r13 + 170
    yy = label("21", CX0 + 10, r13 + 26)
    where = {"VN": "Lạng Sơn", "CN": "凭祥 Pingxiang"}[f.plate_country]
    typed(CX0 + 14, yy, where)
    on = lab["21on"][0]
    on_x = CX0 + 14 + c.measure(where, vs, family=vf) + 30
    c.text(on_x, yy, on, ls, family=lf, fill=st.label_color)
    put("cmr_date", on_x + c.measure(on, ls, family=lf) + 12, yy, b.date(f.cmr_date), f.cmr_date.isoformat())
    c.vline(mid, r13, r21, 2, fill=st.label_color)
    if not st.plates_top:
        plates(mid + 14, r13 + 26)
    else:
        label("24", mid + 14, r13 + 26)
    c.hline(CX0, CX1, r21, 2, fill=st.label_color)
    # 22–24: signatures.
    third = (CX1 - CX0) // 3
    for k, key in enumerate(("22", "23", "24")):
        x = CX0 + k * third
        if k:
            c.vline(x, r21, CY1, 2, fill=st.label_color)
        for j, part in enumerate(lab[key]):
            c.text(
                x + 10,
                r21 + 26 + j * int(ls * 1.2),
                part,
                c.fit(part, third - 20, ls - 1, family=lf),
                family=lf,
                fill=st.label_color,
            )
    draw_signature(c, CX0 + 90, r21 + 170, 200, b.rng)
    seller = f.seller
    draw_stamp(
        c,
        CX0 + third // 2 + b.rng.randint(-30, 30),
        r21 + 160,
        100,
        seller.name.upper() if seller.country == "VN" else seller.name,
        "*" if seller.country == "CN" else seller.tax_code,
        b.rng,
    )
    draw_signature(c, CX0 + third + 90, r21 + 180, 200, b.rng)


CMR_TRILINGUAL = CmrStyle(
    "vi_zh_en", "dejavu_sans", "liberation_mono", 18, 24, REDDISH, places=("en", "vi", "zh")
)
CMR_VI_EN = CmrStyle(
    "vi_en", "dejavu_condensed", "dejavu_sans", 19, 24, INK, plates_top=True, places=("vi", "en")
)
CMR_ZH = CmrStyle(
    "zh_en_vi", "liberation_sans", "liberation_sans", 19, 25, (30, 60, 130), places=("zh", "en")
)

register(
    Layout(
        "cmr_iru_trilingual",
        CMR,
        "train",
        "dejavu_sans",
        lambda b: cmr(b, CMR_TRILINGUAL),
        dates=("dmy_slash", "dmy_dot", "iso"),
    )
)
register(
    Layout(
        "cmr_vi_en",
        CMR,
        "train",
        "dejavu_condensed",
        lambda b: cmr(b, CMR_VI_EN),
        dates=("dmy_slash", "vi", "dmy_dash"),
    )
)
register(
    Layout(
        "cmr_cn_waybill",
        CMR,
        "train",
        "liberation_sans",
        lambda b: cmr(b, CMR_ZH),
        dates=("zh", "iso", "dmy_slash"),
    )
)
