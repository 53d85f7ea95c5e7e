"""More training layouts (2026-12-06): structures the first train layouts did not have.

The first train set had one structure for every CMR (the IRU boxes) and packing lists whose header fields
all sat left of their values. These add what border papers also look like: a packing list in Vietnamese only
with its totals stated in sentences under an unruled table, a Chinese-first packing list with a ruled
key/value grid of two pairs per row and weights printed with their unit in the cells, and a national
waybill that lists its fields in a two-column label | value table instead of the numbered CMR boxes.
Later (2026-12-06, evening): a packing list exported from a spreadsheet, whose tall rows keep the figures
on their last line (the description wraps above them), with terse labels ("Inv. ref", "Truck / Trailer");
and a Chinese carrier's waybill with the parties in boxes side by side, the route on one line ("起运地 From:
… 目的地 To: …") and the totals stated with Chinese units under a goods grid that has no total row.
"""

from __future__ import annotations

from decimal import Decimal

from langson.border.schema import CMR, PACKING_LIST
from langson.border.synth.layouts import L, R, next_page_for, packing_rows, packing_total_row, signatures
from langson.border.synth.render import (
    PACKAGES,
    Builder,
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
)


def _package_word(b: Builder, language: str) -> str:
    kinds = {line.good.package for line in b.facts.lines}
    if len(kinds) == 1:
        return PACKAGES[next(iter(kinds))][language]
    return {"vi": "kiện", "zh": "件", "en": "PACKAGES", "short": "PKGS"}[language]


# ==========================================================================================================
# Packing lists


def pl_vn_summary(b: Builder) -> None:
    """Vietnamese-only packing list: centred national heading, number under the title, date written out
    with the place ("Lạng Sơn, ngày … tháng … năm …"), the invoice in a sentence, a table ruled only above
    and below, and the totals stated in sentences under it ("Tổng khối lượng cả bì: … kg")."""
    f = b.facts
    c = b.new_page()
    seller = f.seller.name.upper() if f.seller.country == "VN" else f.seller.name
    c.text(L, 140, seller, c.fit(seller, 760, 24, bold=True), bold=True)
    c.text(L, 174, party_address(f.seller, f.seller.name), c.fit(f.seller.address, 760, 19))
    c.text(R - 330, 140, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 21, bold=True, align="center")
    c.text(R - 330, 172, "Độc lập - Tự do - Hạnh phúc", 21, bold=True, align="center")
    c.hline(R - 450, R - 210, 184, 1)
    date_text = b.date(f.packing_list_date, "vi")
    where = "Lạng Sơn, "
    x = R - 330 - c.measure(where + date_text, 22) / 2
    c.text(x, 240, where, 22)
    b.put(
        c,
        "packing_list_date",
        x + c.measure(where, 22),
        240,
        date_text,
        f.packing_list_date.isoformat(),
        size=22,
    )
    c.text(827, 350, "BẢNG KÊ CHI TIẾT HÀNG HÓA", 40, bold=True, align="center")
    number_label = "Số: "
    width = c.measure(number_label + f.packing_list_number, 26)
    x = 827 - width / 2
    c.text(x, 396, number_label, 26)
    b.put(
        c,
        "packing_list_number",
        x + c.measure(number_label, 26),
        396,
        f.packing_list_number,
        canon_text(f.packing_list_number),
        size=26,
    )
    y = 470
    label = "Kèm theo hóa đơn thương mại số:"
    c.text(L, y, label, 24)
    b.put(
        c,
        "invoice_number",
        L + c.measure(label, 24) + 14,
        y,
        f.invoice_number,
        canon_text(f.invoice_number),
        size=24,
        bold=True,
    )
    y += 40
    buyer = party_name(b, f.buyer, ("vi",), native_share=0.6)
    c.text(L, y, "Bên mua:", 24)
    c.text(L + 140, y, buyer, c.fit(buyer, R - L - 140, 24))
    y += 40
    c.text(L, y, f"Cửa khẩu: {f.gate.vi}      Phương tiện: ô tô {b.plate(f.vehicle_plate)}", 24)
    y += 36
    columns = [
        Column("no", "TT", 70, "center"),
        Column("description", "Tên hàng hóa, quy cách", 560),
        Column("packages", "Số lượng kiện", 200, "right"),
        Column("kind_vi", "Loại bao bì", 170, "center"),
        Column("gross_weight_kg", "KL cả bì (kg)", 217, "right"),
        Column("net_weight_kg", "KL tịnh (kg)", 217, "right"),
    ]
    t = Table(
        b,
        c,
        L,
        y,
        columns,
        size=23,
        header_size=22,
        rules="open",
        header_align="left",
        next_page=next_page_for(b, f"Bảng kê {f.packing_list_number}"),
    )
    t.header()
    for i, (cells, truth) in enumerate(packing_rows(b)):
        t.row(cells, truth=truth, line=i, rule=False)
    c = t.canvas
    y = t.finish() + 60
    kind = _package_word(b, "vi")
    statements = (
        ("Tổng số kiện:", "total_packages", b.num(f.total_packages), canon_number(f.total_packages), kind),
        (
            "Tổng khối lượng cả bì:",
            "total_gross_weight_kg",
            b.weight(f.total_gross_kg),
            canon_number(f.total_gross_kg),
            "kg",
        ),
        (
            "Tổng khối lượng tịnh:",
            "total_net_weight_kg",
            b.weight(f.total_net_kg),
            canon_number(f.total_net_kg),
            "kg",
        ),
    )
    for label, name, printed, canonical, unit in statements:
        c.text(L, y, label, 24)
        x = L + c.measure(label, 24) + 14
        b.put(c, name, x, y, printed, canonical, size=24, bold=True)
        c.text(x + c.measure(printed, 24, bold=True) + 12, y, unit, 24)
        y += 40
    signatures(
        b,
        c,
        max(y + 120, 1850),
        "NGƯỜI LẬP BẢNG",
        "ĐẠI DIỆN BÊN BÁN",
        stamp_party=f.seller,
        note="(Ký, ghi rõ họ tên)",
    )


def pl_zh_grid(b: Builder) -> None:
    """Chinese-first packing list: letter-spaced title, a ruled grid of two label | value pairs per row,
    a fully ruled table whose weight cells carry their unit ("1,234.50 KGS"), a total row, and a
    "SAY TOTAL" line."""
    f = b.facts
    c = b.new_page()
    head = f.seller.name if f.seller.country == "CN" else f.seller.name_en
    c.text(827, 140, head, c.fit(head, 1400, 32, bold=True), bold=True, align="center")
    address = party_address(f.seller, head)
    c.text(827, 178, address, c.fit(address, 1400, 20), align="center")
    c.text(827, 270, "装 箱 单", 48, bold=True, align="center")
    c.text(827, 316, "PACKING LIST", 28, bold=True, align="center")
    buyer = party_name(b, f.buyer, ("zh",), native_share=0.5)
    pairs = (
        (
            (
                "装箱单号 P/L No.",
                "packing_list_number",
                f.packing_list_number,
                canon_text(f.packing_list_number),
            ),
            ("日期 Date", "packing_list_date", b.date(f.packing_list_date), f.packing_list_date.isoformat()),
        ),
        (
            ("发票号码 Invoice No.", "invoice_number", f.invoice_number, canon_text(f.invoice_number)),
            ("合同号 Contract No.", "", f.contract_number, ""),
        ),
    )
    x0, x1, x2, x3, x4 = L, L + 270, 827, 827 + 250, R
    y = 360
    row_h = 58
    c.rect(x0, y, x4, y + row_h * 3, width=2)
    for k, pair in enumerate(pairs):
        yy = y + k * row_h
        if k:
            c.hline(x0, x4, yy, 1)
        for (label, name, printed, canonical), (lx, vx, vend) in zip(
            pair, ((x0, x1, x2), (x2, x3, x4)), strict=True
        ):
            c.text(lx + 10, yy + 38, label, c.fit(label, vx - lx - 16, 20), bold=True)
            size = c.fit(printed, vend - vx - 20, 23)
            if name:
                b.put(c, name, vx + 10, yy + 39, printed, canonical, size=size)
            else:
                c.text(vx + 10, yy + 39, printed, size)
    yy = y + 2 * row_h
    c.hline(x0, x4, yy, 1)
    c.text(x0 + 10, yy + 38, "收货人 Consignee", 20, bold=True)
    c.text(x1 + 10, yy + 39, buyer, c.fit(buyer, x4 - x1 - 20, 23))
    for xx in (x1, x3):
        c.vline(xx, y, y + row_h * (2 if xx == x3 else 3), 1)
    c.vline(x2, y, y + row_h * 2, 1)
    y += row_h * 3 + 40
    columns = [
        Column("no", "序号\nNo.", 80, "center"),
        Column("description", "货物名称及规格\nDescription", 500),
        Column("packages", "件数\nQty", 150, "right"),
        Column("kind_zh", "包装\nPkg", 110, "center"),
        Column("net_weight_kg", "净重\nNet Weight", 282, "right"),
        Column("gross_weight_kg", "毛重\nGross Weight", 282, "right"),
    ]
    t = Table(
        b,
        c,
        L,
        y,
        columns,
        size=22,
        header_size=21,
        rules="grid",
        next_page=next_page_for(b, f"装箱单 P/L {f.packing_list_number}"),
    )
    t.header()
    for i, (cells, truth) in enumerate(packing_rows(b)):
        cells = dict(cells)
        for key in ("net_weight_kg", "gross_weight_kg"):
            cells[key] = f"{cells[key]} KGS"
        t.row(cells, truth=truth, line=i)
    t.row(
        {
            "description": "合计 TOTAL",
            "packages": b.num(f.total_packages),
            "net_weight_kg": f"{b.weight(f.total_net_kg)} KGS",
            "gross_weight_kg": f"{b.weight(f.total_gross_kg)} KGS",
        },
        bold=True,
        fields={
            "packages": ("total_packages", canon_number(f.total_packages)),
            "net_weight_kg": ("total_net_weight_kg", canon_number(f.total_net_kg)),
            "gross_weight_kg": ("total_gross_weight_kg", canon_number(f.total_gross_kg)),
        },
    )
    c = t.canvas
    y = t.finish() + 56
    c.text(L, y, f"SAY TOTAL: {b.num(f.total_packages)} {_package_word(b, 'en')} ONLY", 22, bold=True)
    y = max(y + 160, 1900)
    c.text(R - 420, y, "出口商签章 Exporter's signature", 22)
    draw_signature(c, R - 400, y + 100, 240, b.rng)
    if f.seller.country == "CN":
        draw_stamp(c, R - 230, y + 90, 115, f.seller.name, "*", b.rng)


register(
    Layout(
        "pl_vn_summary",
        PACKING_LIST,
        "train",
        "dejavu_serif",
        pl_vn_summary,
        numbers=("vi",),
        dates=("vi",),
        weight_decimals=(None, 2),
    )
)
register(
    Layout(
        "pl_zh_grid",
        PACKING_LIST,
        "train",
        "liberation_sans",
        pl_zh_grid,
        dates=("zh", "iso", "dmy_dash"),
        groups=(True, False),
    )
)


# ==========================================================================================================
# Road consignment note, national form (no numbered CMR boxes)


def cmr_vn_table(b: Builder) -> None:
    """A Vietnamese carrier's waybill ("Giấy vận tải"): the carrier's letterhead, the number and date on
    the right of the title, then every field as a row of a two-column ruled table (bilingual label cell |
    value cell), a short goods table, and signatures."""
    f = b.facts
    c = b.new_page()
    carrier = f.carrier.name.upper() if f.carrier.country == "VN" else f.carrier.name_en
    c.text(L, 140, carrier, c.fit(carrier, 1000, 26, bold=True), bold=True)
    address = party_address(f.carrier, f.carrier.name if f.carrier.country == "VN" else f.carrier.name_en)
    c.text(L, 174, address, c.fit(address, 1000, 19))
    c.hline(L, R, 200, 3)
    c.text(L, 290, "GIẤY VẬN TẢI HÀNG HÓA QUỐC TẾ", 36, bold=True)
    c.text(L, 330, "International road waybill (CMR)", 24)
    x = R - 430
    c.text(x, 270, "Số / No.:", 23)
    b.put(
        c,
        "cmr_number",
        x + 130,
        270,
        f.cmr_number,
        canon_text(f.cmr_number),
        size=c.fit(f.cmr_number, R - x - 130, 24),
        bold=True,
    )
    c.text(x, 312, "Ngày / Date:", 23)
    b.put(c, "cmr_date", x + 160, 312, b.date(f.cmr_date), f.cmr_date.isoformat(), size=23)
    place_lang = b.rng.choice(("vi", "en"))

    def place(p: object) -> str:
        return str(getattr(p, place_lang))

    consignor = f.seller.name if b.rng.random() < 0.5 else f.seller.name_en
    consignee = f.buyer.name if b.rng.random() < 0.5 else f.buyer.name_en
    rows: list[tuple[str, str, str, str]] = [
        ("Người gửi hàng / Consignor", "consignor_name", consignor, canon_text(consignor)),
        ("Địa chỉ / Address", "", party_address(f.seller, consignor), ""),
        ("Người nhận hàng / Consignee", "consignee_name", consignee, canon_text(consignee)),
        ("Địa chỉ / Address", "", party_address(f.buyer, consignee), ""),
        (
            "Nơi xếp hàng / Place of loading",
            "place_of_loading",
            place(f.place_of_loading),
            canon_text(place(f.place_of_loading)),
        ),
        (
            "Nơi giao hàng / Place of delivery",
            "place_of_delivery",
            place(f.place_of_delivery),
            canon_text(place(f.place_of_delivery)),
        ),
        ("Cửa khẩu / Border gate", "", f"{f.gate.vi} - {f.gate.cn_side.vi}", ""),
        ("Biển số xe / Truck plate", "vehicle_plate", b.plate(f.vehicle_plate), f.vehicle_plate),
        ("Biển số rơ moóc / Trailer plate", "trailer_plate", b.plate(f.trailer_plate), f.trailer_plate),
        ("Chứng từ kèm theo / Documents", "", f"Invoice {f.invoice_number}; Packing list", ""),
    ]
    x0, x1, x2 = L, L + 520, R
    y = 380
    value_size = 23
    c.hline(x0, x2, y, 2)
    top = y
    for label, name, printed, canonical in rows:
        lines = c.wrap(printed, x2 - x1 - 24, value_size)
        height = 22 + 34 * len(lines)
        c.text(x0 + 12, y + 36, label, c.fit(label, x1 - x0 - 20, 21))
        yy = y + 37
        for line in lines:
            if name:
                b.put(c, name, x1 + 12, yy, line, canonical, size=value_size, bold=name.endswith("name"))
            else:
                c.text(x1 + 12, yy, line, value_size)
            yy += 34
        y += height
        c.hline(x0, x2, y, 1)
    for xx in (x0, x1, x2):
        c.vline(xx, top, y, 2 if xx != x1 else 1)
    y += 50
    columns = [
        Column("no", "STT\nNo.", 80, "center"),
        Column("description", "Tên hàng\nNature of goods", 640),
        Column("packages", "Số kiện\nPackages", 220, "right"),
        Column("kind", "Bao bì\nPacking", 180, "center"),
        Column("gross_weight_kg", "Trọng lượng cả bì (kg)\nGross weight (kg)", 314, "right"),
    ]
    t = Table(b, c, L, y, columns, size=22, header_size=20, rules="grid")
    t.header()
    for i, line in enumerate(f.lines):
        t.row(
            {
                "no": str(i + 1),
                "description": line.good.en.upper() if place_lang == "en" else line.good.vi,
                "packages": b.num(line.packages),
                "kind": PACKAGES[line.good.package]["short"],
                "gross_weight_kg": b.weight(line.gross_kg),
            }
        )
    t.row(
        {
            "description": "Tổng cộng / Total",
            "packages": b.num(f.total_packages),
            "gross_weight_kg": b.weight(f.total_gross_kg),
        },
        bold=True,
        fields={
            "packages": ("total_packages", canon_number(f.total_packages)),
            "gross_weight_kg": ("total_gross_weight_kg", canon_number(f.total_gross_kg)),
        },
    )
    c = t.canvas
    y = t.finish() + 70
    volume = sum((Decimal(line.packages) * Decimal("0.048") for line in f.lines), Decimal(0)).quantize(
        Decimal("0.1")
    )
    c.text(L, y, f"Thể tích / Volume: {b.num(volume, 1)} m³", 22)
    y = max(y + 100, 1900)
    third = (R - L) // 3
    for k, text in enumerate(
        ("Người gửi hàng / Sender", "Người vận chuyển / Carrier", "Người nhận / Receiver")
    ):
        c.text(L + k * third + third // 2, y, text, 21, bold=True, align="center")
    draw_signature(c, L + 60, y + 110, 200, b.rng)
    draw_signature(c, L + third + 60, y + 120, 200, b.rng)


register(
    Layout(
        "cmr_vn_table",
        CMR,
        "train",
        "dejavu_sans",
        cmr_vn_table,
        dates=("dmy_slash", "d_mon_y", "dmy_dot"),
    )
)


def pl_sheet_export(b: Builder) -> None:
    """A packing list exported from a spreadsheet: the shipment's facts in a ruled two-column block with
    terse labels ("Inv. ref", "Truck / Trailer" holding both plates), a grid whose description column is
    narrow so names wrap, figures aligned to the bottom of each tall row, and a total row."""
    f = b.facts
    c = b.new_page()
    head = f.seller.name_en if b.rng.random() < 0.6 else f.seller.name
    c.text(L, 140, head, c.fit(head, 900, 28, bold=True), bold=True)
    c.text(L, 176, party_address(f.seller, head), c.fit(party_address(f.seller, head), 900, 19))
    c.text(R, 150, "PACKING LIST", 40, bold=True, align="right")
    c.text(R, 196, "Phiếu đóng gói", 24, align="right")
    plates = b.plate(f.vehicle_plate) + " / " + b.plate(f.trailer_plate)
    block = (
        ("P/L No.", "packing_list_number", f.packing_list_number, canon_text(f.packing_list_number)),
        ("Date", "packing_list_date", b.date(f.packing_list_date), f.packing_list_date.isoformat()),
        ("Inv. ref", "invoice_number", f.invoice_number, canon_text(f.invoice_number)),
        ("Consignee", "", party_name(b, f.buyer, ("en",), native_share=0.4), ""),
        ("Truck / Trailer", "", plates, ""),
    )
    x0, x1, x2 = L, L + 280, L + 1000
    y = 260
    row_h = 50
    c.rect(x0, y, x2, y + row_h * len(block), width=1)
    c.vline(x1, y, y + row_h * len(block), 1)
    for k, (label, name, printed, canonical) in enumerate(block):
        yy = y + k * row_h
        if k:
            c.hline(x0, x2, yy, 1)
        c.text(x0 + 12, yy + 34, label, 22, bold=True)
        size = c.fit(printed, x2 - x1 - 24, 22)
        if name:
            b.put(c, name, x1 + 12, yy + 34, printed, canonical, size=size)
        else:
            c.text(x1 + 12, yy + 34, printed, size)
    y += row_h * len(block) + 50
    columns = [
        Column("no", "No.", 70, "center"),
        Column("description", "Commodity", 330),
        Column("packages", "Cartons", 170, "right"),
        Column("gross_weight_kg", "G.W. (kgs)", 230, "right"),
        Column("net_weight_kg", "N.W. (kgs)", 230, "right"),
        Column("cbm", "Meas. (m3)", 170, "right"),
    ]
    t = Table(
        b,
        c,
        L,
        y,
        columns,
        size=22,
        header_size=21,
        rules="grid",
        rule_width=1,
        valign="bottom",
        header_fill=(225, 225, 225),
        next_page=next_page_for(b, f"Packing list {f.packing_list_number}"),
    )
    t.header()
    for i, (cells, truth) in enumerate(packing_rows(b)):
        t.row(cells, truth=truth, line=i)
    packing_total_row(t, b, "TOTAL")
    c = t.canvas
    y = t.finish() + 60
    c.text(L, y, f"Say total: {b.num(f.total_packages)} cartons only.", 22)
    signatures(b, c, max(y + 140, 1900), "Prepared by", "Authorised signature", stamp_party=f.seller)


register(
    Layout(
        "pl_sheet_export",
        PACKING_LIST,
        "train",
        "liberation_sans",
        pl_sheet_export,
        dates=("dmy_slash", "iso", "d_mon_y"),
    )
)


def cmr_cn_side_by_side(b: Builder) -> None:
    """A Chinese carrier's road waybill (运单): the parties in two boxes side by side (caption, then name and
    address), the route on one line ("起运地 From: … 目的地 To: …"), both plates on one line, a goods grid
    without a total row, and the totals stated under it with Chinese units ("合计 Total: 770 件 / … kg")."""
    f = b.facts
    c = b.new_page()
    carrier = f.carrier.name if f.carrier.country == "CN" else f.carrier.name_en
    c.text(827, 140, carrier, c.fit(carrier, 1300, 28, bold=True), bold=True, align="center")
    c.text(827, 230, "国际道路货物运单", 40, bold=True, align="center")
    c.text(827, 272, "VẬN ĐƠN ĐƯỜNG BỘ QUỐC TẾ / ROAD WAYBILL", 22, align="center")
    c.text(L, 330, "运单号 Waybill No.:", 22)
    b.put(c, "cmr_number", L + 230, 330, f.cmr_number, canon_text(f.cmr_number), size=23, bold=True)
    c.text(R - 380, 330, "日期 Date:", 22)
    b.put(c, "cmr_date", R - 250, 330, b.date(f.cmr_date), f.cmr_date.isoformat(), size=22)
    mid = (L + R) // 2
    top, bottom = 360, 520
    parties = (
        ("发货人 Người gửi / Shipper", "consignor_name", f.seller, L),
        ("收货人 Người nhận / Consignee", "consignee_name", f.buyer, mid),
    )
    for caption, name, party, left in parties:
        c.rect(left, top, left + (mid - L), bottom, width=1)
        c.text(left + 12, top + 28, caption, 19)
        printed = party.name if b.rng.random() < 0.6 else party.name_en
        size = c.fit(printed, mid - L - 24, 22, bold=True)
        b.put(c, name, left + 12, top + 70, printed, canon_text(printed), size=size, bold=True)
        address = party_address(party, printed)
        c.text(left + 12, top + 108, address, c.fit(address, mid - L - 24, 18))
    y = bottom + 50
    place_lang = b.rng.choice(("zh", "en"))
    loading = str(getattr(f.place_of_loading, place_lang))
    delivery = str(getattr(f.place_of_delivery, place_lang))
    c.text(L, y, "起运地 From:", 22)
    size = c.fit(loading, mid - L - 180, 22)
    b.put(c, "place_of_loading", L + 160, y, loading, canon_text(loading), size=size)
    c.text(mid, y, "目的地 To:", 22)
    size = c.fit(delivery, R - mid - 140, 22)
    b.put(c, "place_of_delivery", mid + 130, y, delivery, canon_text(delivery), size=size)
    y += 46
    c.text(L, y, "车牌 Xe / Truck:", 22)
    b.put(c, "vehicle_plate", L + 200, y, b.plate(f.vehicle_plate), f.vehicle_plate, size=22)
    c.text(mid, y, "挂车 Mooc / Trailer:", 22)
    b.put(c, "trailer_plate", mid + 240, y, b.plate(f.trailer_plate), f.trailer_plate, size=22)
    y += 40
    columns = [
        Column("description", "品名 Goods", 760),
        Column("packages", "件数 Pkgs", 300, "right"),
        Column("gross_weight_kg", "毛重 G.W. (kg)", 354, "right"),
    ]
    t = Table(b, c, L, y, columns, size=22, header_size=20, rules="grid", rule_width=1)
    t.header()
    for line in f.lines:
        t.row(
            {
                "description": line.good.zh if place_lang == "zh" else line.good.en,
                "packages": b.num(line.packages),
                "gross_weight_kg": b.weight(line.gross_kg),
            }
        )
    c = t.canvas
    y = t.finish() + 56
    c.text(L, y, "合计 Total:", 23, bold=True)
    x = float(L + 150)
    packages = b.num(f.total_packages)
    b.put(c, "total_packages", x, y, packages, canon_number(f.total_packages), size=23, bold=True)
    x += c.measure(packages, 23, bold=True) + 10
    c.text(x, y, "件 /", 23)
    x += c.measure("件 /", 23) + 12
    gross = b.weight(f.total_gross_kg)
    b.put(c, "total_gross_weight_kg", x, y, gross, canon_number(f.total_gross_kg), size=23, bold=True)
    c.text(x + c.measure(gross, 23, bold=True) + 10, y, "kg", 23)
    y = max(y + 160, 1850)
    c.text(L + 300, y, "发货人签章 Shipper", 21, bold=True, align="center")
    c.text(R - 300, y, "承运人签章 Carrier", 21, bold=True, align="center")
    draw_signature(c, L + 200, y + 100, 200, b.rng)


register(
    Layout(
        "cmr_cn_side_by_side",
        CMR,
        "train",
        "liberation_sans",
        cmr_cn_side_by_side,
        dates=("zh", "iso", "dmy_slash"),
    )
)
