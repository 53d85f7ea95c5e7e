"""Held-out layouts: used only to measure extraction on layouts it was not built on.

Do not read this module when writing or tuning extraction rules; the point of the held-out set is that its
arrangements, label wordings, column orders and print forms differ from the training layouts.
"""

from __future__ import annotations

from typing import Any

from langson.border.schema import CMR, COMMERCIAL_INVOICE, FORM_E, PACKING_LIST
from langson.border.synth.layouts import (
    FE_ITEM_HEADS,
    ISSUERS,
    gate_text,
    invoice_rows,
    next_page_for,
    origin_text,
    packing_rows,
    packing_total_row,
)
from langson.border.synth.render import (
    INK,
    PACKAGES,
    Box,
    Builder,
    Canvas,
    Column,
    Layout,
    Table,
    canon_number,
    canon_text,
    draw_signature,
    draw_stamp,
    party_address,
    party_name,
    register,
    words,
)

L, R = 120, 1534
GREY = (105, 105, 110)


def stacked(
    b: Builder,
    c: Canvas,
    x: float,
    y: float,
    label: str,
    name: str,
    printed: str,
    canonical: str,
    *,
    width: float,
    label_size: int = 19,
    size: int = 26,
    bold: bool = True,
) -> Box | None:
    """A small grey label with its value on the line below."""
    c.text(x, y, label, label_size, fill=GREY)
    size = c.fit(printed, width, size, bold=bold)
    if name:
        return b.put(c, name, x, y + int(size * 1.35), printed, canonical, size=size, bold=bold)
    return c.text(x, y + int(size * 1.35), printed, size, bold=bold)


# ==========================================================================================================
# Commercial invoices


def ci_h_stacked(b: Builder) -> None:
    """Seller letterhead in a box on the left, invoice particulars stacked (label above value) in a column
    on the right, "Sold to" under it; table with description first and HS code last, shaded alternate rows;
    a GRAND TOTAL box."""
    f = b.facts
    c = b.new_page()
    seller = party_name(b, f.seller, ("en",), native_share=0.5)
    c.rect(L, 120, 980, 400, width=3)
    c.text(L + 24, 180, "VENDOR", 20, fill=GREY)
    y = b.put_wrapped(c, "seller_name", L + 24, 226, seller, 820, 30, 40, bold=True)
    for line in c.wrap(party_address(f.seller, seller), 820, 21):
        c.text(L + 24, y, line, 21)
        y += 28
    c.text(L + 24, y + 4, f"Tax ID {f.seller.tax_code} · Phone {f.seller.phone}", 21)
    x = 1030
    c.text(R, 170, "COMMERCIAL", 40, bold=True, align="right")
    c.text(R, 215, "INVOICE", 40, bold=True, align="right")
    stacked(
        b,
        c,
        x,
        270,
        "No. of Invoice",
        "invoice_number",
        f.invoice_number,
        canon_text(f.invoice_number),
        width=R - x,
    )
    stacked(
        b,
        c,
        x,
        350,
        "Inv. Date",
        "invoice_date",
        b.date(f.invoice_date),
        f.invoice_date.isoformat(),
        width=R - x,
    )
    buyer = party_name(b, f.buyer, ("en",), native_share=0.5)
    y = 460
    c.text(L, y, "SOLD TO", 20, fill=GREY)
    yy = b.put_wrapped(c, "buyer_name", L, y + 40, buyer, 820, 27, 36, bold=True)
    for line in c.wrap(party_address(f.buyer, buyer), 820, 21):
        c.text(L, yy, line, 21)
        yy += 28
    terms = [
        ("Delivery terms", "incoterm", f.incoterm, f.incoterm),
        ("Invoice currency", "currency", b.currency(), f.currency),
        ("Made in", "country_of_origin", (o := origin_text(b, "en")), canon_text(o)),
        ("Crossing point", "border_gate", (g := gate_text(b, "en")), canon_text(g)),
    ]
    for k, (label, name, printed, canonical) in enumerate(terms):
        stacked(
            b, c, x + (k % 2) * 260, 460 + (k // 2) * 90, label, name, printed, canonical, width=240, size=24
        )
    y = int(max(yy, 660) + 40)
    cur = b.currency("code")
    columns = [
        Column("description", "Goods description", 470),
        Column("quantity", "Qty", 160, "right"),
        Column("unit", "UoM", 100, "center"),
        Column("unit_price", f"Price/{cur}", 190, "right"),
        Column("amount", f"Total/{cur}", 250, "right"),
        Column("hs_code", "Tariff code", 244, "center"),
    ]
    t = Table(
        b,
        c,
        L,
        y,
        columns,
        size=24,
        header_size=22,
        rules="open",
        header_align="left",
        next_page=next_page_for(b, f"Invoice {f.invoice_number}"),
    )
    t.header()
    for i, (cells, truth) in enumerate(invoice_rows(b, "en")):
        if i % 2:
            t.canvas.rect(L, t.y + 1, L + t.width, t.y + 50, width=0, outline=None, fill=(240, 240, 240))
        t.row(cells, truth=truth, line=i, rule=False)
    c = t.canvas
    y = t.finish() + 30
    c.rect(R - 560, y, R, y + 80, width=3)
    c.text(R - 540, y + 52, "GRAND TOTAL", 26, bold=True)
    box = b.put(
        c,
        "total_amount",
        R - 20,
        y + 52,
        b.money(f.total_amount),
        canon_number(f.total_amount),
        size=28,
        bold=True,
        align="right",
    )
    if box:
        c.text(box[0] - 10, y + 52, b.currency("code"), 22, align="right")
    y += 150
    c.text(L, y, f"Amount in words: {words(int(f.total_amount)).title()} {cur} only.", 22)
    y = max(y + 160, 1900)
    c.text(L, y, "Issued by", 22, fill=GREY)
    draw_signature(c, L + 20, y + 100, 260, b.rng)
    if f.seller.country == "CN":
        draw_stamp(c, L + 200, y + 90, 115, f.seller.name, "*", b.rng)


def _kv_table(
    b: Builder, c: Canvas, y: int, rows: list[tuple[str, str, str, str]], label_w: int = 330
) -> int:
    """A ruled key-value table in two column pairs: label | value | label | value."""
    half = (R - L) // 2
    h = 64
    for k, (label, name, printed, canonical) in enumerate(rows):
        x0 = L + (k % 2) * half
        y0 = y + (k // 2) * h
        c.rect(x0, y0, x0 + half, y0 + h, width=2)
        c.rect(x0, y0, x0 + label_w, y0 + h, width=0, outline=None, fill=(242, 242, 242))
        c.rect(x0, y0, x0 + half, y0 + h, width=2, outline=INK)
        c.vline(x0 + label_w, y0, y0 + h, 1)
        parts = label.split("\n")
        for j, part in enumerate(parts):
            c.text(
                x0 + 10,
                y0 + 27 + j * 24 + (12 if len(parts) == 1 else 0),
                part,
                c.fit(part, label_w - 16, 19),
                fill=GREY,
            )
        size = c.fit(printed, half - label_w - 24, 24)
        if name:
            b.put(c, name, x0 + label_w + 12, y0 + 42, printed, canonical, size=size, bold=True)
        else:
            c.text(x0 + label_w + 12, y0 + 42, printed, size, bold=True)
    return y + ((len(rows) + 1) // 2) * h


def ci_h_trilingual(b: Builder) -> None:
    """Trilingual (vi / zh / en) invoice: centred title, particulars in a shaded key-value grid, parties in
    two ruled boxes with trilingual heads, table with HS before the description and unit price before
    quantity, trilingual two-line column heads."""
    f = b.facts
    c = b.new_page()
    c.text(827, 150, "HÓA ĐƠN THƯƠNG MẠI · 商业发票 · COMMERCIAL INVOICE", 34, bold=True, align="center")
    c.hline(L + 200, R - 200, 172, 2)
    rows = [
        (
            "Số hóa đơn / 发票号码\nInvoice No.",
            "invoice_number",
            f.invoice_number,
            canon_text(f.invoice_number),
        ),
        (
            "Ngày lập / 开票日期\nDate of issue",
            "invoice_date",
            b.date(f.invoice_date),
            f.invoice_date.isoformat(),
        ),
        ("Điều kiện giá / 贸易术语\nIncoterms", "incoterm", f.incoterm, f.incoterm),
        ("Loại tiền / 货币\nCurrency", "currency", b.currency(), f.currency),
        (
            "Nước xuất xứ / 原产国\nOrigin",
            "country_of_origin",
            (o := origin_text(b, b.rng.choice(("vi", "zh")))),
            canon_text(o),
        ),
        (
            "Cửa khẩu / 口岸\nBorder crossing",
            "border_gate",
            (g := gate_text(b, b.rng.choice(("vi", "zh")))),
            canon_text(g),
        ),
    ]
    y = _kv_table(b, c, 210, rows) + 30
    half = (R - L) // 2
    for k, (label, party, name) in enumerate(
        (
            ("Bên bán / 卖方 / Seller", f.seller, "seller_name"),
            ("Bên mua / 买方 / Buyer", f.buyer, "buyer_name"),
        )
    ):
        x0 = L + k * half
        c.rect(x0, y, x0 + half, y + 200, width=2)
        c.rect(x0, y, x0 + half, y + 42, width=0, outline=None, fill=(230, 230, 230))
        c.rect(x0, y, x0 + half, y + 200, width=2)
        c.text(x0 + 12, y + 30, label, 21, bold=True)
        printed = party_name(b, party, ("vi", "zh"))
        yy = b.put_wrapped(c, name, x0 + 12, y + 80, printed, half - 30, 24, 32, bold=True)
        for line in c.wrap(party_address(party, printed), half - 30, 20)[:3]:
            c.text(x0 + 12, yy, line, 20)
            yy += 27
    y += 230
    columns = [
        Column("no", "TT\n序号", 70, "center"),
        Column("hs_code", "Mã HS\n税号 HS", 170, "center"),
        Column("description", "Mô tả hàng hóa\n品名 Description", 420),
        Column("unit_price", "Đơn giá\n单价 Price", 190, "right"),
        Column("quantity", "Lượng\n数量 Qty", 170, "right"),
        Column("unit", "ĐVT\n单位", 104, "center"),
        Column("amount", "Trị giá\n金额 Value", 290, "right"),
    ]
    t = Table(
        b,
        c,
        L,
        y,
        columns,
        size=23,
        header_size=20,
        rules="grid",
        next_page=next_page_for(b, f"HĐ / Invoice {f.invoice_number}"),
    )
    t.header()
    for i, (cells, truth) in enumerate(invoice_rows(b, b.rng.choice(("vi", "zh")))):
        t.row(cells, truth=truth, line=i)
    t.row(
        {"description": "Cộng tiền hàng / 合计金额 / Total", "amount": b.money(f.total_amount)},
        bold=True,
        fields={"amount": ("total_amount", canon_number(f.total_amount))},
    )
    c = t.canvas
    y = max(t.finish() + 200, 1850)
    for x, text, party in ((L + 300, "Bên mua / 买方", f.buyer), (R - 300, "Bên bán / 卖方", f.seller)):
        c.text(x, y, text, 24, bold=True, align="center")
        c.text(x, y + 32, "(Ký, đóng dấu / 签字盖章)", 20, align="center")
        if party is f.seller:
            draw_signature(c, x - 120, y + 130, 230, b.rng)
            ring = party.name.upper() if party.country == "VN" else party.name
            draw_stamp(c, x + 30, y + 120, 118, ring, party.tax_code if party.country == "VN" else "*", b.rng)


register(
    Layout(
        "ci_h_stacked",
        COMMERCIAL_INVOICE,
        "heldout",
        "dejavu_serif",
        ci_h_stacked,
        dates=("mon_d_y", "dmy_dash", "d_mon_y"),
        currencies=("code", "symbol", "zh"),
        groups=(True, False),
    )
)
register(
    Layout(
        "ci_h_trilingual",
        COMMERCIAL_INVOICE,
        "heldout",
        "dejavu_serif_condensed",
        ci_h_trilingual,
        dates=("vi", "zh", "dmy_slash", "dmy_dot"),
        currencies=("code", "zh", "symbol"),
    )
)


# ==========================================================================================================
# Packing lists


def pl_h_summary_first(b: Builder) -> None:
    """Totals stated first, in three boxes under the header (label above value); the table follows
    without a total row, its columns in the order description, G.W., N.W., packages."""
    f = b.facts
    c = b.new_page()
    c.text(L, 160, "PACKING / WEIGHT LIST", 44, bold=True)
    c.text(L, 200, f.seller.name_en, c.fit(f.seller.name_en, 900, 22))
    stacked(
        b,
        c,
        1100,
        130,
        "Ref. No.",
        "packing_list_number",
        f.packing_list_number,
        canon_text(f.packing_list_number),
        width=R - 1100,
    )
    stacked(
        b,
        c,
        1100,
        210,
        "Issued on",
        "packing_list_date",
        b.date(f.packing_list_date),
        f.packing_list_date.isoformat(),
        width=R - 1100,
    )
    c.hline(L, R, 290, 3)
    y = 340
    indent = int(c.measure("Against commercial invoice", 22)) + 24
    c.text(L, y, "Against commercial invoice", 22, fill=GREY)
    b.put(
        c, "invoice_number", L + indent, y, f.invoice_number, canon_text(f.invoice_number), size=25, bold=True
    )
    buyer = party_name(b, f.buyer, ("en",), native_share=0.5)
    c.text(L, y + 46, "Ship to", 22, fill=GREY)
    c.text(L + indent, y + 46, buyer, c.fit(buyer, R - L - indent, 25), bold=True)
    y += 110
    w = (R - L) // 3
    boxes = [
        ("Total packages", "total_packages", b.num(f.total_packages), canon_number(f.total_packages)),
        (
            "Total gross weight (kg)",
            "total_gross_weight_kg",
            b.weight(f.total_gross_kg),
            canon_number(f.total_gross_kg),
        ),
        (
            "Total net weight (kg)",
            "total_net_weight_kg",
            b.weight(f.total_net_kg),
            canon_number(f.total_net_kg),
        ),
    ]
    for k, (label, name, printed, canonical) in enumerate(boxes):
        x0 = L + k * w
        c.rect(x0 + 6, y, x0 + w - 6, y + 110, width=2)
        c.text(x0 + 22, y + 36, label, 20, fill=GREY)
        b.put(c, name, x0 + 22, y + 88, printed, canonical, size=34, bold=True)
    y += 150
    columns = [
        Column("description", "Item / Description", 560),
        Column("gross_weight_kg", "G.W. kg", 230, "right"),
        Column("net_weight_kg", "N.W. kg", 230, "right"),
        Column("packages", "Pkgs", 170, "right"),
        Column("kind", "Type", 224, "left"),
    ]
    t = Table(
        b,
        c,
        L,
        y,
        columns,
        size=24,
        header_size=22,
        rules="horizontal",
        header_align="left",
        rule_width=1,
        next_page=next_page_for(b, f"Packing list {f.packing_list_number}"),
    )
    t.header()
    for i, (cells, truth) in enumerate(packing_rows(b)):
        t.row(cells, truth=truth, line=i)
    c = t.canvas
    y = t.finish() + 60
    c.text(L, y, "Marks: N/M. Each package marked with the consignee's name and destination.", 22)
    y = max(y + 200, 1950)
    c.text(R - 400, y, "Packed and checked by", 22, fill=GREY)
    draw_signature(c, R - 380, y + 100, 240, b.rng)


def pl_h_trilingual(b: Builder) -> None:
    """Trilingual packing list: particulars as label-above-value cells in a ruled band, packages first in
    the table, net before gross, grid with trilingual heads, total row."""
    f = b.facts
    c = b.new_page()
    c.text(827, 150, "PHIẾU ĐÓNG GÓI · 装箱单 · PACKING LIST", 36, bold=True, align="center")
    seller = party_name(b, f.seller, ("vi", "zh"))
    c.text(827, 192, seller, c.fit(seller, 1300, 24), align="center")
    y = 230
    w = (R - L) // 3
    cells = [
        (
            "Số phiếu / 单号 / P/L No.",
            "packing_list_number",
            f.packing_list_number,
            canon_text(f.packing_list_number),
        ),
        (
            "Ngày / 日期 / Date",
            "packing_list_date",
            b.date(f.packing_list_date),
            f.packing_list_date.isoformat(),
        ),
        ("Hóa đơn số / 发票号 / Invoice", "invoice_number", f.invoice_number, canon_text(f.invoice_number)),
    ]
    for k, (label, name, printed, canonical) in enumerate(cells):
        x0 = L + k * w
        c.rect(x0, y, x0 + w, y + 100, width=2)
        stacked(b, c, x0 + 12, y + 30, label, name, printed, canonical, width=w - 24, size=26)
    y += 130
    buyer = party_name(b, f.buyer, ("vi", "zh"))
    c.text(L, y, "Người nhận / 收货人 / Consignee:", 22, fill=GREY)
    c.text(L, y + 36, buyer, c.fit(buyer, R - L, 25), bold=True)
    c.text(L, y + 72, f"Xe / 车辆 / Truck: {b.plate(f.vehicle_plate)} – {b.plate(f.trailer_plate)}", 22)
    y += 110
    columns = [
        Column("no", "TT\n序号", 70, "center"),
        Column("packages", "Số kiện\n件数 Pkgs", 170, "right"),
        Column("kind_vi", "Bao bì\n包装", 120, "center"),
        Column("description", "Tên hàng\n品名 Goods", 544),
        Column("net_weight_kg", "Tịnh (kg)\n净重 N.W.", 250, "right"),
        Column("gross_weight_kg", "Cả bì (kg)\n毛重 G.W.", 260, "right"),
    ]
    t = Table(
        b,
        c,
        L,
        y,
        columns,
        size=23,
        header_size=20,
        rules="grid",
        header_fill=(245, 240, 225),
        next_page=next_page_for(b, f"P/L {f.packing_list_number}"),
    )
    t.header()
    for i, (cells_, truth) in enumerate(packing_rows(b)):
        t.row(cells_, truth=truth, line=i)
    packing_total_row(t, b, "Cộng / 合计 / Total")
    c = t.canvas
    y = max(t.finish() + 220, 1900)
    c.text(R - 300, y, "Người lập / 制单人", 23, bold=True, align="center")
    draw_signature(c, R - 420, y + 110, 230, b.rng)
    ring = f.seller.name.upper() if f.seller.country == "VN" else f.seller.name
    draw_stamp(c, R - 260, y + 110, 110, ring, "*" if f.seller.country == "CN" else f.seller.tax_code, b.rng)


register(
    Layout(
        "pl_h_summary_first",
        PACKING_LIST,
        "heldout",
        "liberation_mono",
        pl_h_summary_first,
        dates=("mon_d_y", "d_mon_y", "iso"),
    )
)
register(
    Layout(
        "pl_h_trilingual",
        PACKING_LIST,
        "heldout",
        "dejavu_serif",
        pl_h_trilingual,
        dates=("vi", "zh", "dmy_dash"),
        weight_decimals=(2, None),
    )
)


# ==========================================================================================================
# Form E


def _para(
    c: Canvas, x: float, y: float, text: str, width: float, size: int, family: str | None = None
) -> int:
    for line in c.wrap(text, width, size, family=family):
        c.text(x, y, line, size, family=family)
        y += int(size * 1.3)
    return int(y)


def fe_h_compact(b: Builder, *, side_by_side: bool = False) -> None:
    """Form E with the reference number above the frame at the top left, a narrow left column (or, with
    ``side_by_side``, boxes 1 and 2 next to each other under a full-width title), box 9 with the FOB value
    first and quoted origin criteria; values in a monospaced font."""
    f = b.facts
    c = b.new_page()
    vf = "dejavu_mono" if not side_by_side else "liberation_sans"
    lf = "dejavu_condensed"
    ls, vs = 17, 22
    issued_in, places, authority = ISSUERS[f.origin_country]
    x0, x1, top, bottom = 100, 1554, 150, 2250

    def typed(x: float, y: float, text: str, size: int = vs) -> Box | None:
        return c.text(x, y, text, size, family=vf)

    def put(name: str, x: float, y: float, printed: str, canonical: str, size: int = vs) -> Box | None:
        return b.put(c, name, x, y, printed, canonical, size=size, family=vf)

    c.text(x0, 100, "Reference No.:", 22, family=lf, bold=True)
    put("certificate_number", x0 + 190, 100, f.certificate_number, canon_text(f.certificate_number), 24)
    c.text(x1, 100, "Original", 22, family=lf, align="right")
    c.rect(x0, top, x1, bottom, width=2)
    if side_by_side:
        c.text(
            (x0 + x1) / 2,
            top + 44,
            "ASEAN-CHINA FREE TRADE AREA PREFERENTIAL TARIFF CERTIFICATE OF ORIGIN",
            24,
            family=lf,
            bold=True,
            align="center",
        )
        c.text(
            (x0 + x1) / 2,
            top + 80,
            f"(Combined Declaration and Certificate) — FORM E — Issued in {issued_in}",
            20,
            family=lf,
            align="center",
        )
        row = top + 100
        c.hline(x0, x1, row, 2)
        midx = (x0 + x1) // 2
        boxes = [
            (x0, midx, row, row + 250, "1", f.seller, "exporter_name"),
            (midx, x1, row, row + 250, "2", f.buyer, "importer_name"),
        ]
        c.vline(midx, row, row + 250, 2)
        c.hline(x0, x1, row + 250, 2)
        t3 = row + 250
        split = midx
    else:
        split = 780
        boxes = [
            (x0, split, top, top + 260, "1", f.seller, "exporter_name"),
            (x0, split, top + 260, top + 520, "2", f.buyer, "importer_name"),
        ]
        c.vline(split, top, top + 820, 2)
        c.hline(x0, split, top + 260, 2)
        c.hline(x0, x1, top + 520, 2)
        for k, text in enumerate(
            (
                "FORM E",
                "ASEAN-CHINA FREE TRADE AREA",
                "PREFERENTIAL TARIFF",
                "CERTIFICATE OF ORIGIN",
                "(Combined Declaration and Certificate)",
            )
        ):
            c.text(
                (split + x1) / 2,
                top + 70 + k * 46,
                text,
                34 if k == 0 else 24,
                family=lf,
                bold=k < 4,
                align="center",
            )
        c.text(split + 40, top + 380, "Issued in", 20, family=lf)
        typed(split + 180, top + 380, issued_in, c.fit(issued_in, x1 - split - 220, vs, family=vf))
        c.text((split + x1) / 2, top + 440, "See Overleaf Notes", 18, family=lf, align="center")
        t3 = top + 520
    heads = {
        "1": "1. Goods consigned from (Exporter's business name, address, country)",
        "2": "2. Goods consigned to (Consignee's name, address, country)",
    }
    for bx0, bx1, by0, _by1, key, party, name in boxes:
        c.text(bx0 + 10, by0 + 26, heads[key], c.fit(heads[key], bx1 - bx0 - 20, ls, family=lf), family=lf)
        yy = by0 + 70
        for line in c.wrap(party.name_en, bx1 - bx0 - 30, vs, family=vf):
            put(name, bx0 + 14, yy, line, canon_text(party.name_en))
            yy += 30
        for line in c.wrap(party.address_en, bx1 - bx0 - 30, vs - 3, family=vf)[:3]:
            typed(bx0 + 14, yy, line, vs - 3)
            yy += 27
    # Box 3 (left) and box 4 (right).
    b3 = t3 + 300
    c.text(x0 + 10, t3 + 26, "3. Means of transport and route (as far as known)", ls, family=lf)
    lines3 = [
        ("Departure date:", b.date(f.cmr_date)),
        ("Vessel's name / Aircraft etc.:", ""),
        ("Port of loading:", f"{f.gate.en.upper()}, {'VIET NAM' if f.origin_country == 'VN' else 'CHINA'}"),
        ("Port of discharge:", f.place_of_delivery.en.upper()),
    ]
    yy = t3 + 66
    for label, value in lines3:
        c.text(x0 + 14, yy, label, ls + 1, family=lf)
        lw = c.measure(label, ls + 1, family=lf) + 12
        if value:
            typed(x0 + 14 + lw, yy, value, c.fit(value, split - x0 - 40 - lw, vs - 1, family=vf))
        else:
            typed(x0 + 14 + lw, yy, "TRUCK", vs - 1)
            put(
                "vehicle_plate",
                x0 + 14 + lw + c.measure("TRUCK ", vs - 1, family=vf),
                yy,
                b.plate(f.vehicle_plate),
                f.vehicle_plate,
                vs - 1,
            )
        yy += 48
    c.vline(split, t3, b3, 2)
    c.text(split + 10, t3 + 26, "4. For Official Use", ls, family=lf)
    c.checkbox(split + 16, t3 + 50, 18)
    _para(c, split + 46, t3 + 66, "Preferential Treatment Given", x1 - split - 60, ls, lf)
    c.checkbox(split + 16, t3 + 100, 18)
    _para(
        c,
        split + 46,
        t3 + 116,
        "Preferential Treatment Not Given (Please state reason/s)",
        x1 - split - 60,
        ls,
        lf,
    )
    c.hline(x0, x1, b3, 2)
    # Items: box 9 shows the FOB value first, then the weight.
    widths = (100, 170, 470, 150, 300, 264)
    xs = [x0]
    for w in widths:
        xs.append(xs[-1] + w)
    xs[-1] = x1
    for k, head in enumerate(FE_ITEM_HEADS):
        for j, part in enumerate(head.split("\n")):
            c.text(xs[k] + 6, b3 + 24 + j * 20, part, ls - 2, family=lf)
    hb = b3 + 24 + 5 * 20 + 6
    c.hline(x0, x1, hb, 1)
    items_bottom = bottom - 560
    for xx in xs[1:-1]:
        c.vline(xx, b3, items_bottom, 1)
    cur = b.currency("code")
    single = len(f.lines) == 1
    descs = [
        f"{line.good.en.upper()}; {b.num(line.packages)} {PACKAGES[line.good.package]['short']}; "
        f"HS {b.hs(line.good.hs8[:6])}"
        for line in f.lines
    ]
    # A crowded certificate is typed smaller rather than continued on another sheet.
    iv = vs
    while iv > 15:
        lh = int(iv * 1.27)
        need = sum(max(len(c.wrap(d, xs[3] - xs[2] - 16, iv - 1, family=vf)), 2) * lh + 16 for d in descs)
        if hb + 36 + need + (0 if single else 2 * lh + 10) < items_bottom - 10:
            break
        iv -= 1
    lh = int(iv * 1.27)
    yy = hb + 36
    for i, (line, desc) in enumerate(zip(f.lines, descs, strict=True)):
        typed(xs[0] + 14, yy, f"{i + 1:02d}", iv)
        typed(xs[1] + 8, yy, "NO MARKS" if i == 0 else "", iv - 3)
        y_desc = yy
        for part in c.wrap(desc, xs[3] - xs[2] - 16, iv - 1, family=vf):
            typed(xs[2] + 8, y_desc, part, iv - 1)
            y_desc += lh
        crit = f.origin_criterion
        q = c.text(xs[3] + 8, yy, '"', iv, family=vf)
        qx = (q[2] + 2) if q else xs[3] + 20
        if i == 0:
            box = put("origin_criterion", qx, yy, crit, canon_text(crit), iv)
        else:
            box = typed(qx, yy, crit, iv)
        if box:
            c.text(box[2] + 2, yy, '"', iv, family=vf)
        fob = f.fob_value if single else line.amount
        c.text(xs[4] + 8, yy, f"{cur}", iv - 2, family=vf)
        fx = xs[4] + 8 + c.measure(cur + " ", iv - 2, family=vf)
        if single:
            put("fob_value", fx, yy, b.money(fob), canon_number(fob), iv - 2)
        else:
            typed(fx, yy, b.money(fob), iv - 2)
        gw = f"G.W. {b.weight(line.gross_kg)} KG"
        typed(xs[4] + 8, yy + lh, gw, c.fit(gw, xs[5] - xs[4] - 14, iv - 2, family=vf))
        if i == 0:
            put(
                "invoice_number",
                xs[5] + 8,
                yy,
                f.invoice_number,
                canon_text(f.invoice_number),
                c.fit(f.invoice_number, xs[6] - xs[5] - 14, iv - 2, family=vf),
            )
            dated = "DD " + b.date(f.invoice_date)
            typed(xs[5] + 8, yy + lh, dated, c.fit(dated, xs[6] - xs[5] - 14, iv - 2, family=vf))
        yy = max(y_desc, yy + 2 * lh) + 16
    if not single:
        c.text(xs[4] + 8, yy, "TOTAL FOB VALUE", iv - 4, family=vf)
        c.text(xs[4] + 8, yy + lh, cur, iv - 2, family=vf)
        put(
            "fob_value",
            xs[4] + 8 + c.measure(cur + " ", iv - 2, family=vf),
            yy + lh,
            b.money(f.fob_value),
            canon_number(f.fob_value),
            iv - 2,
        )
    c.hline(x0, x1, items_bottom, 2)
    # 11 and 12 side by side, 13 at the very bottom.
    b13 = bottom - 70
    c.vline((x0 + x1) // 2, items_bottom, b13, 2)
    mx = (x0 + x1) // 2
    c.text(x0 + 10, items_bottom + 26, "11. Declaration by the exporter", ls, family=lf, bold=True)
    yy = _para(
        c,
        x0 + 14,
        items_bottom + 56,
        "The undersigned hereby declares that the above details and statements "
        "are correct; that all the goods were produced in",
        mx - x0 - 30,
        ls - 1,
        lf,
    )
    typed(x0 + 200, yy + 8, issued_in, c.fit(issued_in, mx - x0 - 220, vs, family=vf))
    yy = _para(
        c,
        x0 + 14,
        yy + 44,
        "and that they comply with the origin requirements specified for these goods "
        "in the ACFTA for the goods exported to",
        mx - x0 - 30,
        ls - 1,
        lf,
    )
    typed(x0 + 200, yy + 8, "CHINA" if f.origin_country == "VN" else "VIET NAM")
    place = places[-1]
    typed(x0 + 20, b13 - 60, f"{place} {b.date(f.invoice_date)}", vs - 2)
    c.text(x0 + 20, b13 - 20, "Place and date, signature of authorised signatory", ls - 2, family=lf)
    draw_signature(c, x0 + 420, b13 - 100, 180, b.rng)
    c.text(mx + 10, items_bottom + 26, "12. Certification", ls, family=lf, bold=True)
    _para(
        c,
        mx + 14,
        items_bottom + 56,
        "It is hereby certified, on the basis of control carried out, that the "
        "declaration by the exporter is correct.",
        x1 - mx - 30,
        ls - 1,
        lf,
    )
    typed(mx + 20, b13 - 60, place + " ", vs - 2)
    put(
        "issue_date",
        mx + 20 + c.measure(place + " ", vs - 2, family=vf),
        b13 - 60,
        b.date(f.issue_date),
        f.issue_date.isoformat(),
        vs - 2,
    )
    c.text(
        mx + 20, b13 - 20, "Place and date, signature and stamp of certifying authority", ls - 2, family=lf
    )
    draw_stamp(c, x1 - 190, b13 - 190, 110, authority, "*", b.rng)
    c.hline(x0, x1, b13, 2)
    xx = x0 + 14
    c.text(xx, b13 + 44, "13.", ls, family=lf)
    xx += 50
    for text in ("Issued Retroactively", "Exhibition", "Movement Certificate", "Third Party Invoicing"):
        c.checkbox(xx, b13 + 26, 18)
        c.text(xx + 28, b13 + 44, text, ls, family=lf)
        xx += 60 + int(c.measure(text, ls, family=lf))


register(
    Layout(
        "fe_h_compact",
        FORM_E,
        "heldout",
        "dejavu_condensed",
        fe_h_compact,
        dates=("dmy_dot", "mon_d_y", "dmy_slash"),
        upper_dates=True,
    )
)
register(
    Layout(
        "fe_h_side_by_side",
        FORM_E,
        "heldout",
        "dejavu_condensed",
        lambda b: fe_h_compact(b, side_by_side=True),
        dates=("d_mon_y", "iso", "mon_d_y"),
    )
)


# ==========================================================================================================
# CMR


def cmr_h_rows(b: Builder) -> None:
    """CMR printed as full-width rows: the box number in a circle in the margin, the label above the value;
    goods table with the nature of goods first and gross weight before the packages; plates on one line."""
    f = b.facts
    c = b.new_page()
    c.text(L, 140, "CMR", 48, bold=True)
    c.text(L + 150, 128, "Vận đơn đường bộ quốc tế · 国际公路运单", 24)
    c.text(L + 150, 158, "International consignment note", 22, fill=GREY)
    c.text(R - 320, 140, "No.", 22, fill=GREY)
    b.put(
        c,
        "cmr_number",
        R - 270,
        140,
        f.cmr_number,
        canon_text(f.cmr_number),
        size=c.fit(f.cmr_number, 270, 28),
        bold=True,
    )
    c.hline(L, R, 180, 3)
    y = 230

    def row(number: str, label: str, height: int) -> int:
        nonlocal y
        c.draw.ellipse([L - 4, y - 30, L + 36, y + 10], outline=INK, width=2)
        c.text(L + 16, y - 2, number, 18, bold=True, align="center")
        c.text(L + 56, y, label, 19, fill=GREY)
        top = y
        y += height
        c.hline(L + 56, R, y - 26, 1, fill=(170, 170, 170))
        return top + 36

    def place(p: Any) -> str:
        return str(p.en if b.rng.random() < 0.6 else p.vi)

    for number, label, party, name in (
        ("1", "Người gửi / 发货人 / Sender", f.seller, "consignor_name"),
        ("2", "Người nhận / 收货人 / Consignee", f.buyer, "consignee_name"),
    ):
        yy = row(number, label, 150)
        printed = party.name_en if b.rng.random() < 0.6 else party.name
        b.put(
            c, name, L + 60, yy, printed, canon_text(printed), size=c.fit(printed, R - L - 70, 26), bold=True
        )
        c.text(
            L + 60,
            yy + 36,
            party_address(party, printed),
            c.fit(party_address(party, printed), R - L - 70, 21),
        )
    yy = row("4", "Nơi nhận hàng / 接货地点 / Place of taking over the goods", 90)
    loading = place(f.place_of_loading)
    box = b.put(c, "place_of_loading", L + 60, yy, loading, canon_text(loading), size=25)
    c.text((box[2] if box else L + 600) + 30, yy, f"— {b.date(f.invoice_date)}", 25)
    yy = row("3", "Nơi giao hàng / 交货地点 / Place designated for delivery", 90)
    delivery = place(f.place_of_delivery)
    b.put(c, "place_of_delivery", L + 60, yy, delivery, canon_text(delivery), size=25)
    yy = row("16", "Người vận chuyển / 承运人 / Carrier", 90)
    c.text(L + 60, yy, f.carrier.name_en, c.fit(f.carrier.name_en, R - L - 70, 25))
    yy = row("25", "Biển số đầu kéo / rơ moóc · 车牌号 · Tractor / trailer registration", 90)
    vbox = b.put(
        c, "vehicle_plate", L + 60, yy, b.plate(f.vehicle_plate), f.vehicle_plate, size=27, bold=True
    )
    sep_x = (vbox[2] if vbox else L + 300) + 14
    c.text(sep_x, yy, "/", 27, bold=True)
    b.put(c, "trailer_plate", sep_x + 30, yy, b.plate(f.trailer_plate), f.trailer_plate, size=27, bold=True)
    y += 10
    columns = [
        Column("nature", "9 Tên hàng / 货名 / Goods", 520),
        Column("gross", "11 Cả bì / 毛重 kg", 250, "right"),
        Column("packages", "7 Số kiện / 件数", 220, "right"),
        Column("packing", "8 Bao bì / 包装", 190, "center"),
        Column("marks", "6 Ký hiệu / 标记", 234, "center"),
    ]
    t = Table(b, c, L, y, columns, size=23, header_size=19, rules="grid")
    t.header()
    for i, line in enumerate(f.lines):
        t.row(
            {
                "nature": line.good.en,
                "gross": b.weight(line.gross_kg),
                "packages": b.num(line.packages),
                "packing": PACKAGES[line.good.package]["vi"],
                "marks": "N/M" if i == 0 else "",
            }
        )
    t.row(
        {
            "nature": "Tổng cộng / 合计 / Total",
            "gross": b.weight(f.total_gross_kg),
            "packages": b.num(f.total_packages),
        },
        bold=True,
        fields={
            "gross": ("total_gross_weight_kg", canon_number(f.total_gross_kg)),
            "packages": ("total_packages", canon_number(f.total_packages)),
        },
    )
    c = t.canvas
    y = t.finish() + 60
    c.text(
        L, y, f"5 Chứng từ kèm theo / Documents: Invoice {f.invoice_number}, P/L {f.packing_list_number}", 21
    )
    y += 70
    c.text(L, y, "21 Lập tại / 签发 / Established in", 20, fill=GREY)
    where = "Đồng Đăng, Lạng Sơn" if f.plate_country == "VN" else "Pingxiang 凭祥"
    c.text(L, y + 40, where + ",", 25)
    b.put(
        c,
        "cmr_date",
        L + c.measure(where + ", ", 25) + 6,
        y + 40,
        b.date(f.cmr_date),
        f.cmr_date.isoformat(),
        size=25,
    )
    y = max(y + 160, 1950)
    third = (R - L) // 3
    for k, text in enumerate(
        ("22 Người gửi / Sender", "23 Người vận chuyển / Carrier", "24 Người nhận / Consignee")
    ):
        x = L + k * third
        c.rect(x + 4, y, x + third - 4, y + 220, width=1)
        c.text(x + 16, y + 32, text, 19, fill=GREY)
    draw_signature(c, L + 60, y + 150, 200, b.rng)
    draw_signature(c, L + third + 60, y + 150, 200, b.rng)


def cmr_h_vi_form(b: Builder) -> None:
    """A Vietnamese–Chinese print of the CMR (no English): green labels, boxes 21 (date) and 25 (plates) at
    the top right under the title, sender/consignee on the left, places on the right, goods table with
    weight before packages."""
    f = b.facts
    c = b.new_page()
    green = (20, 110, 60)
    x0, x1, y0, y1 = 100, 1554, 100, 2250
    mid = 860
    c.rect(x0, y0, x1, y1, width=3, outline=green)
    c.text(x0 + 14, y0 + 44, "VẬN ĐƠN ĐƯỜNG BỘ QUỐC TẾ (CMR)", 32, bold=True, fill=green)
    c.text(x0 + 14, y0 + 84, "国际道路运输运单", 26, fill=green)
    c.text(mid + 14, y0 + 44, "Số / 编号:", 21, fill=green)
    b.put(c, "cmr_number", mid + 150, y0 + 44, f.cmr_number, canon_text(f.cmr_number), size=26)
    c.text(mid + 14, y0 + 90, "21 Ngày lập / 签发日期:", 21, fill=green)
    b.put(
        c,
        "cmr_date",
        mid + 300,
        y0 + 90,
        b.date(f.cmr_date),
        f.cmr_date.isoformat(),
        size=c.fit(b.date(f.cmr_date), x1 - mid - 320, 26),
    )
    top = y0 + 120
    c.hline(x0, x1, top, 2, fill=green)
    c.text(mid + 14, top + 34, "25 Biển số xe / 车牌号", 21, bold=True, fill=green)
    for k, (label, name, value) in enumerate(
        (
            ("Xe kéo / 牵引车", "vehicle_plate", f.vehicle_plate),
            ("Rơ moóc / 挂车", "trailer_plate", f.trailer_plate),
        )
    ):
        c.text(mid + 30, top + 80 + k * 44, label, 21, fill=green)
        b.put(c, name, mid + 260, top + 80 + k * 44, b.plate(value), value, size=26, bold=True)
    rows = [top, top + 200, top + 400, top + 560]
    for yy in rows[1:]:
        c.hline(x0, x1, yy, 2, fill=green)
    c.vline(mid, y0, rows[-1], 2, fill=green)
    for k, (label, party, name) in enumerate(
        (
            ("1 Người gửi hàng / 发货人", f.seller, "consignor_name"),
            ("2 Người nhận hàng / 收货人", f.buyer, "consignee_name"),
        )
    ):
        yy = rows[k] + 34
        c.text(x0 + 14, yy, label, 21, bold=True, fill=green)
        printed = party.name
        yy2 = b.put_wrapped(c, name, x0 + 16, yy + 44, printed, mid - x0 - 40, 25, 34)
        c.text(x0 + 16, yy2, party.address, c.fit(party.address, mid - x0 - 40, 20))
    # Right: 16 carrier in row 1, 4 and 3 in row 2.
    c.text(mid + 14, rows[1] + 34, "16 Người vận chuyển / 承运人", 21, bold=True, fill=green)
    c.text(mid + 16, rows[1] + 78, f.carrier.name, c.fit(f.carrier.name, x1 - mid - 40, 24))
    c.text(x0 + 14, rows[2] + 34, "4 Nơi nhận hàng để chở / 接货地点", 21, bold=True, fill=green)
    loading = f.place_of_loading.vi if b.rng.random() < 0.5 else f.place_of_loading.zh
    b.put(
        c,
        "place_of_loading",
        x0 + 16,
        rows[2] + 80,
        loading,
        canon_text(loading),
        size=c.fit(loading, mid - x0 - 40, 25),
    )
    c.text(x0 + 16, rows[2] + 120, b.date(f.invoice_date), 23)
    c.text(mid + 14, rows[2] + 34, "3 Nơi giao hàng / 交货地点", 21, bold=True, fill=green)
    delivery = f.place_of_delivery.vi if b.rng.random() < 0.5 else f.place_of_delivery.zh
    b.put(
        c,
        "place_of_delivery",
        mid + 16,
        rows[2] + 80,
        delivery,
        canon_text(delivery),
        size=c.fit(delivery, x1 - mid - 40, 25),
    )
    y = rows[3] + 20
    columns = [
        Column("marks", "6 Ký hiệu\n标记", 150, "center"),
        Column("nature", "9 Loại hàng\n货物名称", 500),
        Column("hs", "10 Mã số\n统计号", 190, "center"),
        Column("gross", "11 Trọng lượng (kg)\n毛重(公斤)", 260, "right"),
        Column("packages", "7 Số kiện\n件数", 180, "right"),
        Column("packing", "8 Đóng gói\n包装", 154, "center"),
    ]
    t = Table(b, c, x0 + 10, y, columns, size=23, header_size=19, rules="frame")
    t.header()
    for i, line in enumerate(f.lines):
        t.row(
            {
                "marks": "N/M" if i == 0 else "",
                "nature": line.description,
                "hs": line.good.hs8,
                "gross": b.weight(line.gross_kg),
                "packages": b.num(line.packages),
                "packing": PACKAGES[line.good.package]["zh"],
            },
            rule=False,
        )
    t.row(
        {"nature": "Cộng / 合计", "gross": b.weight(f.total_gross_kg), "packages": b.num(f.total_packages)},
        bold=True,
        fields={
            "gross": ("total_gross_weight_kg", canon_number(f.total_gross_kg)),
            "packages": ("total_packages", canon_number(f.total_packages)),
        },
        rule=True,
    )
    c = t.canvas
    y = t.finish() + 50
    c.text(x0 + 14, y, f"5 Chứng từ / 单证: HĐ {f.invoice_number} · {f.certificate_number}", 21, fill=green)
    y = max(y + 80, 1900)
    c.hline(x0, x1, y, 2, fill=green)
    third = (x1 - x0) // 3
    for k, text in enumerate(
        ("22 Người gửi / 发货人", "23 Người vận chuyển / 承运人", "24 Người nhận / 收货人")
    ):
        x = x0 + k * third
        if k:
            c.vline(x, y, y1, 2, fill=green)
        c.text(x + 14, y + 34, text, 20, fill=green)
    draw_signature(c, x0 + third + 70, y + 190, 200, b.rng)
    carrier = f.carrier
    draw_stamp(
        c,
        x0 + third + third // 2,
        y + 170,
        100,
        carrier.name.upper() if carrier.country == "VN" else carrier.name,
        "*" if carrier.country == "CN" else carrier.tax_code,
        b.rng,
    )


register(Layout("cmr_h_rows", CMR, "heldout", "dejavu_serif", cmr_h_rows, dates=("mon_d_y", "dmy_dot", "zh")))
register(
    Layout(
        "cmr_h_vi_form", CMR, "heldout", "liberation_serif", cmr_h_vi_form, dates=("vi", "zh", "dmy_slash")
    )
)
