"""Fresh training layouts (cmr), written without reference to the held-out set.

Two road consignment notes unlike the first train CMRs (IRU boxes, a label | value table, parties side by
side with the route on one line):

* ``cmr_vn_transport_co``: a Vietnamese transport company's "Giấy vận chuyển hàng hóa quốc tế bằng đường
  bộ" in the administrative style: two-column heading (company and "Số: …" on the left, the national motto on
  the right), numbered sections whose values sit on the lines under their headings, both plates on one line
  after terse labels, a route table whose places sit under the column headings ("Điểm đi | Cửa khẩu | Điểm
  đến"), a goods table closed by a "Cộng" row, and the date written with the place above the signatures
  ("Lạng Sơn, ngày 28 tháng 11 năm 2026").
* ``cmr_cn_grid_captions``: a Chinese carrier's pre-printed waybill "国际道路货物运单 INTERNATIONAL ROAD
  WAYBILL" filled on a printer: a dense ruled grid whose every cell carries a small bilingual caption in the
  form's green with the typed value under it (the date too), the serial number in red at the top right, a
  goods grid of eight fixed rows, and the totals in their own captioned cells under it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from langson.border.schema import CMR
from langson.border.synth.render import (
    PACKAGES,
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
    register,
)

VN_DRIVERS = (
    ("Hoàng Văn Thắng", "0912 486 305"),
    ("Nông Văn Hùng", "0985 217 640"),
    ("Lương Đức Mạnh", "0868 330 912"),
    ("Vi Văn Tuấn", "0977 154 826"),
    ("Lộc Văn Phúc", "0399 612 078"),
    ("Triệu Quốc Khánh", "0916 903 451"),
)
CN_DRIVERS = (
    ("黄志强", "HUANG ZHIQIANG", "138 7713 2046"),
    ("韦国华", "WEI GUOHUA", "139 7819 5520"),
    ("农建新", "NONG JIANXIN", "135 1771 8364"),
    ("梁文斌", "LIANG WENBIN", "186 7806 1193"),
    ("陆永胜", "LU YONGSHENG", "177 7714 6028"),
)


def _volume(packages: int) -> Decimal:
    return (Decimal(packages) * Decimal("0.048")).quantize(Decimal("0.01"))


def _stamp(b: Builder, c: Canvas, party: Any, cx: float, cy: float, radius: int) -> None:
    ring = party.name.upper() if party.country == "VN" else party.name
    centre = "*" if party.country == "CN" else party.tax_code
    draw_stamp(c, cx + b.rng.randint(-25, 25), cy + b.rng.randint(-10, 10), radius, ring, centre, b.rng)


# ==========================================================================================================
# A Vietnamese transport company's consignment note, administrative style

VA_L, VA_R, VA_MID = 120, 1534, 827


def cmr_vn_transport_co(b: Builder) -> None:
    """Two-column heading with the number under the company, numbered sections with the values on their own
    lines, plates after terse labels on one line, a route table with the places under the headings, a goods
    table with a "Cộng" row, and "<place>, ngày … tháng … năm …" above three signature blocks."""
    f = b.facts
    c = b.new_page()
    rng = b.rng
    left_c, right_c = VA_L + 330, VA_R - 330
    carrier = f.carrier

    # Heading, left: the carrier, its tax code, a short rule, the number.
    if carrier.country == "VN":
        head = carrier.name.upper()
        c.text(left_c, 128, head, c.fit(head, 680, 25, bold=True), bold=True, align="center")
        sub = f"MST: {carrier.tax_code} - ĐT: {carrier.phone}"
    else:
        c.text(left_c, 128, carrier.name, 26, bold=True, align="center")
        sub = carrier.name_en
    c.text(left_c, 164, sub, c.fit(sub, 680, 19), align="center")
    c.hline(left_c - 110, left_c + 110, 182, 2)
    number_label = "Số:"
    size = c.fit(f.cmr_number, 420, 24)
    width = c.measure(number_label, 24) + 10 + c.measure(f.cmr_number, size)
    x = left_c - width / 2
    c.text(x, 232, number_label, 24)
    x += c.measure(number_label, 24) + 10
    b.put(c, "cmr_number", x, 232, f.cmr_number, canon_text(f.cmr_number), size=size)

    # Heading, right: the national motto (a Vietnamese company) or the copy of a Chinese carrier's form.
    if carrier.country == "VN":
        c.text(right_c, 128, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 24, bold=True, align="center")
        c.text(right_c, 162, "Độc lập - Tự do - Hạnh phúc", 24, bold=True, align="center")
        motto_w = c.measure("Độc lập - Tự do - Hạnh phúc", 24, bold=True)
        c.hline(right_c - motto_w / 2, right_c + motto_w / 2, 176, 2)
    else:
        c.text(right_c, 128, "Liên 2 / 第二联: Giao lái xe", 22, bold=True, align="center")
        c.text(right_c, 162, "(Lái xe mang theo xe khi qua cửa khẩu)", 20, align="center")
    c.text(right_c, 232, "Mẫu số: 01/GVC-QT", 20, align="center")

    # Title.
    c.text(VA_MID, 330, "GIẤY VẬN CHUYỂN HÀNG HÓA QUỐC TẾ BẰNG ĐƯỜNG BỘ", 33, bold=True, align="center")
    c.text(
        VA_MID,
        372,
        "(Kiêm biên bản giao nhận hàng hóa - International road consignment note)",
        22,
        align="center",
    )
    contract = f"{rng.randint(1, 60):02d}/{f.contract_date.year}/HĐVC-{carrier.abbr}"
    y = 432
    c.text(VA_L, y, f"Căn cứ Hợp đồng vận chuyển số {contract} ký ngày {f.contract_date:%d/%m/%Y};", 22)
    y += 36
    c.text(
        VA_L,
        y,
        "Hôm nay, các bên tiến hành giao nhận hàng hóa để vận chuyển qua biên giới với nội dung sau:",
        c.fit(
            "Hôm nay, các bên tiến hành giao nhận hàng hóa để vận chuyển qua biên giới với nội dung sau:",
            VA_R - VA_L,
            22,
        ),
    )
    y += 62
    indent = VA_L + 36
    value_w = VA_R - indent
    sec = 24  # section heading size
    val = 24  # value size

    def section(number: int, title: str, y: int) -> int:
        c.text(VA_L, y, f"{number}. {title}", sec, bold=True)
        return y

    def party(number: int, title: str, who: Any, field: str, y: int) -> int:
        section(number, title, y)
        y += 40
        own = who.country == "VN"
        printed = who.name if rng.random() < (0.7 if own else 0.5) else who.name_en
        y = b.put_wrapped(c, field, indent, y, printed, value_w, val, 34, bold=True)
        address = party_address(who, printed)
        lines = c.wrap(f"Địa chỉ: {address}", value_w, 21)
        for line in lines[:2]:
            c.text(indent, y, line, 21)
            y += 30
        c.text(indent, y, f"Mã số thuế: {who.tax_code}", 21)
        c.text(indent + 560, y, f"Điện thoại: {who.phone}", 21)
        return y + 52

    y = party(
        1,
        rng.choice(("Người gửi hàng (Consignor):", "Bên gửi hàng / Chủ hàng:", "Người gửi hàng:")),
        f.seller,
        "consignor_name",
        y,
    )
    y = party(
        2,
        rng.choice(("Người nhận hàng (Consignee):", "Bên nhận hàng:", "Người nhận hàng:")),
        f.buyer,
        "consignee_name",
        y,
    )

    # 3. Carrier, vehicle and driver.
    section(3, "Đơn vị vận chuyển và phương tiện:", y)
    y += 40
    carrier_name = carrier.name if carrier.country == "VN" or rng.random() < 0.5 else carrier.name_en
    c.text(indent, y, carrier_name, c.fit(carrier_name, value_w, 22), bold=False)
    y += 38
    tractor_label = rng.choice(("- Xe đầu kéo BKS:", "- Xe ô tô đầu kéo số:", "- Đầu kéo:"))
    trailer_label = rng.choice(("Sơ mi rơ moóc BKS:", "Rơ moóc số:", "Biển số rơ moóc:"))
    c.text(indent, y, tractor_label, 22)
    b.put(
        c,
        "vehicle_plate",
        indent + c.measure(tractor_label, 22) + 14,
        y,
        b.plate(f.vehicle_plate),
        f.vehicle_plate,
        size=val,
        bold=True,
    )
    trailer_x = VA_MID + 60
    c.text(trailer_x, y, trailer_label, 22)
    b.put(
        c,
        "trailer_plate",
        trailer_x + c.measure(trailer_label, 22) + 14,
        y,
        b.plate(f.trailer_plate),
        f.trailer_plate,
        size=val,
        bold=True,
    )
    y += 38
    if f.plate_country == "VN":
        driver, phone = rng.choice(VN_DRIVERS)
    else:
        zh, pinyin, phone = rng.choice(CN_DRIVERS)
        driver = f"{pinyin} ({zh})"
    licence = "".join(str(rng.randint(0, 9)) for _ in range(12))
    c.text(indent, y, f"- Lái xe: {driver}", 22)
    c.text(trailer_x, y, f"Số GPLX: {licence}", 22)
    c.text(VA_R, y, f"ĐT: {phone}", 22, align="right")
    y += 56

    # 4. Route: the places under the headings of a small table.
    section(4, rng.choice(("Tuyến đường vận chuyển:", "Hành trình vận chuyển:")), y)
    y += 18
    place_lang = rng.choice(("vi", "vi", "en"))
    loading = str(getattr(f.place_of_loading, place_lang))
    delivery = str(getattr(f.place_of_delivery, place_lang))
    gate = f.gate
    exit_gate = (
        f"Cửa khẩu {gate.vi} (VN) - {gate.cn_side.vi} (TQ)"
        if place_lang == "vi"
        else f"{gate.en} - {gate.cn_side.en}"
    )
    route = Table(
        b,
        c,
        VA_L,
        y,
        [
            Column("from", "Điểm đi\n(Nơi xếp hàng)", 560),
            Column("gate", "Cửa khẩu xuất / nhập", 314, "center"),
            Column("to", "Điểm đến\n(Nơi giao hàng)", 560),
        ],
        size=23,
        header_size=21,
        rules="grid",
        header_fill=(236, 236, 236),
    )
    route.header()
    route.row(
        {"from": loading, "gate": exit_gate, "to": delivery},
        fields={
            "from": ("place_of_loading", canon_text(loading)),
            "to": ("place_of_delivery", canon_text(delivery)),
        },
    )
    y = route.finish() + 58

    # 5. Goods, closed by a "Cộng" row.
    section(5, "Hàng hóa vận chuyển:", y)
    y += 18
    many = len(f.lines) > 5
    goods = Table(
        b,
        c,
        VA_L,
        y,
        [
            Column("no", "STT", 70, "center"),
            Column("description", "Tên hàng, quy cách", 560),
            Column("kind", "Loại bao bì", 190, "center"),
            Column("packages", "Số lượng\n(kiện)", 200, "right"),
            Column("gross", "Trọng lượng\ncả bì (kg)", 260, "right"),
            Column("note", "Ghi chú", 154, "center"),
        ],
        size=21 if many else 22,
        header_size=20,
        pad=7 if many else 9,
        rules="grid",
        header_fill=(236, 236, 236),
    )
    goods.header()
    for i, line in enumerate(f.lines):
        name = line.good.vi if place_lang == "vi" else line.good.en
        goods.row(
            {
                "no": str(i + 1),
                "description": name,
                "kind": PACKAGES[line.good.package]["vi"],
                "packages": b.num(line.packages),
                "gross": b.weight(line.gross_kg),
            }
        )
    goods.row(
        {"description": "Cộng", "packages": b.num(f.total_packages), "gross": b.weight(f.total_gross_kg)},
        bold=True,
        fields={
            "packages": ("total_packages", canon_number(f.total_packages)),
            "gross": ("total_gross_weight_kg", canon_number(f.total_gross_kg)),
        },
    )
    y = goods.finish() + 50

    # 6, 7: documents and seal.
    docs = (
        f"6. Chứng từ kèm theo: Hóa đơn số {f.invoice_number}; Phiếu đóng gói; "
        f"C/O mẫu E số {f.certificate_number}."
    )
    for line in c.wrap(docs, VA_R - VA_L, 22):
        c.text(VA_L, y, line, 22)
        y += 32
    seal = f"{rng.choice(('VN', 'LS', 'HQ'))} {rng.randint(100000, 999999)}"
    c.text(
        VA_L,
        y + 4,
        f"7. Số niêm phong (kẹp chì): {seal}. Tình trạng hàng khi nhận: nguyên đai, nguyên kiện.",
        c.fit(
            f"7. Số niêm phong (kẹp chì): {seal}. Tình trạng hàng khi nhận: nguyên đai, nguyên kiện.",
            VA_R - VA_L,
            22,
        ),
    )
    y += 60 if many else 80

    # Place and date above the signatures.
    where = rng.choice(("Lạng Sơn", "Lạng Sơn", "Đồng Đăng")) if f.plate_country == "VN" else "Bằng Tường"
    d = f.cmr_date
    if b.style.date == "vi":
        when = rng.choice((b.date(d), f"ngày {d.day} tháng {d.month} năm {d.year}"))
    else:
        when = b.date(d)
    prefix = f"{where}, "
    size = 23
    total = c.measure(prefix, size) + c.measure(when, size)
    x = right_c - total / 2
    c.text(x, y, prefix, size)
    b.put(c, "cmr_date", x + c.measure(prefix, size), y, when, d.isoformat(), size=size)
    y += 50
    third = (VA_R - VA_L) // 3
    titles = (
        ("ĐẠI DIỆN BÊN GỬI HÀNG", "(Ký, ghi rõ họ tên, đóng dấu)"),
        ("LÁI XE", "(Ký, ghi rõ họ tên)"),
        ("ĐẠI DIỆN BÊN NHẬN HÀNG", "(Ký, ghi rõ họ tên, đóng dấu)"),
    )
    for k, (title, note) in enumerate(titles):
        cx = VA_L + k * third + third // 2
        c.text(cx, y, title, 22, bold=True, align="center")
        c.text(cx, y + 32, note, 19, align="center")
    seller_x = VA_L + third // 2
    driver_x = VA_L + third + third // 2
    draw_signature(c, seller_x - 110, y + 130, 200, rng)
    _stamp(b, c, f.seller, seller_x + 40, y + 150, 92)
    draw_signature(c, driver_x - 100, y + 125, 190, rng)
    c.text(driver_x, y + 215, driver, c.fit(driver, third - 30, 21), bold=True, align="center")


register(
    Layout(
        "cmr_vn_transport_co",
        CMR,
        "train",
        "liberation_serif",
        cmr_vn_transport_co,
        numbers=("vi", "vi", "en"),
        dates=("vi", "vi", "dmy_slash", "dmy_dot"),
    )
)


# ==========================================================================================================
# A Chinese carrier's pre-printed waybill: a ruled grid of captioned cells, filled on a printer

GX0, GX1 = 80, 1574
FORM_GREEN = (24, 110, 78)
SERIAL_RED = (185, 28, 38)
TYPED = "liberation_mono"


def cmr_cn_grid_captions(b: Builder) -> None:
    """Every field in a ruled cell under a small bilingual caption (托运人 Consignor, 装货地点 Place of
    loading, 车牌号 Truck No., …), the serial number in red at the top right, a goods grid of fixed rows,
    and the totals in captioned cells of their own below it."""
    f = b.facts
    c = b.new_page()
    rng = b.rng
    carrier = f.carrier

    def caption(x: float, y: float, zh: str, en: str) -> None:
        c.text(x + 8, y + 24, zh, 18, fill=FORM_GREEN)
        c.text(x + 14 + c.measure(zh, 18), y + 24, en, 16, family="dejavu_condensed", fill=FORM_GREEN)

    def box(x0: float, y0: float, x1: float, y1: float) -> None:
        c.rect(x0, y0, x1, y1, width=2, outline=FORM_GREEN)

    def typed(x: float, y: float, text: str, width: float, size: int = 23, bold: bool = False) -> None:
        c.text(x, y, text, c.fit(text, width, size, family=TYPED, bold=bold), family=TYPED, bold=bold)

    def put(
        name: str, x: float, y: float, printed: str, canonical: str, width: float, size: int = 23
    ) -> None:
        size = c.fit(printed, width, size, family=TYPED, bold=True)
        b.put(c, name, x, y, printed, canonical, size=size, family=TYPED, bold=True)

    # Form heading (pre-printed in green) and the red serial number.
    c.text(GX0, 96, "中越国际道路运输", 20, bold=True, fill=FORM_GREEN)
    c.text(GX0, 124, "China - Viet Nam International Road Transport", 16, fill=FORM_GREEN)
    c.text(827, 120, "国际道路货物运单", 46, bold=True, fill=FORM_GREEN, align="center")
    c.text(827, 162, "INTERNATIONAL ROAD WAYBILL", 26, bold=True, fill=FORM_GREEN, align="center")
    copy = rng.choice(("第一联 托运人存根 Copy 1: Consignor", "第二联 承运人存根 Copy 2: Carrier"))
    c.text(827, 196, copy, 17, fill=FORM_GREEN, align="center")
    number = f.cmr_number
    size = c.fit(number, 300, 30, bold=True)
    c.text(GX1 - 20 - c.measure(number, size, bold=True) - 64, 130, "No.", 26, bold=True, fill=SERIAL_RED)
    b.put(
        c,
        "cmr_number",
        GX1 - 20 - c.measure(number, size, bold=True),
        130,
        number,
        canon_text(number),
        size=size,
        bold=True,
        fill=SERIAL_RED,
    )
    licence = f"桂交运管许可凭字 4514{rng.randint(10000000, 99999999)} 号"
    c.text(GX1 - 20, 168, licence, 16, fill=FORM_GREEN, align="right")

    # Grid rows 1-2: parties, their telephones, the date and the invoice.
    a, b2 = GX0 + 900, GX0 + 1200
    y0 = 232
    rows = [
        ("托运人", "Consignor (name, address)", f.seller, "consignor_name", "运单日期", "Date"),
        ("收货人", "Consignee (name, address)", f.buyer, "consignee_name", "发票号", "Invoice No."),
    ]
    h = 150
    for k, (zh, en, who, field, zh3, en3) in enumerate(rows):
        top = y0 + k * h
        box(GX0, top, a, top + h)
        box(a, top, b2, top + h)
        box(b2, top, GX1, top + h)
        caption(GX0, top, zh, en)
        caption(a, top, "电话", "Tel.")
        caption(b2, top, zh3, en3)
        printed = who.name if rng.random() < 0.55 else who.name_en
        put(field, GX0 + 14, top + 66, printed, canon_text(printed), a - GX0 - 28, 24)
        for j, line in enumerate(c.wrap(party_address(who, printed), a - GX0 - 28, 18, family=TYPED)[:2]):
            c.text(GX0 + 14, top + 100 + j * 26, line, 18, family=TYPED)
        typed(a + 14, top + 66, who.phone, b2 - a - 28, 21)
        if k == 0:
            put("cmr_date", b2 + 14, top + 66, b.date(f.cmr_date), f.cmr_date.isoformat(), GX1 - b2 - 28)
        else:
            typed(b2 + 14, top + 66, f.invoice_number, GX1 - b2 - 28, 20)
    top = y0 + 2 * h

    # Row 3: places of loading and unloading.
    place_lang = rng.choice(("zh", "en"))
    loading = str(getattr(f.place_of_loading, place_lang))
    delivery = str(getattr(f.place_of_delivery, place_lang))
    half = (GX0 + GX1) // 2
    h = 100
    box(GX0, top, half, top + h)
    box(half, top, GX1, top + h)
    caption(GX0, top, "装货地点", "Place of loading")
    caption(half, top, "卸货地点", "Place of unloading")
    put("place_of_loading", GX0 + 14, top + 70, loading, canon_text(loading), half - GX0 - 28)
    put("place_of_delivery", half + 14, top + 70, delivery, canon_text(delivery), GX1 - half - 28)
    top += h

    # Row 4: border crossing, the two plates, the vehicle type.
    q = (GX1 - GX0) // 4
    xs = [GX0 + i * q for i in range(4)] + [GX1]
    for i in range(4):
        box(xs[i], top, xs[i + 1], top + h)
    caption(xs[0], top, "出入境口岸", "Border crossing")
    caption(xs[1], top, "车牌号", "Truck No.")
    caption(xs[2], top, "挂车号", "Trailer No.")
    caption(xs[3], top, "车辆类型", "Vehicle type")
    gate = f.gate
    crossing = f"{gate.zh} - {gate.vi}" if place_lang == "zh" else f"{gate.en} / {gate.cn_side.en}"
    typed(xs[0] + 14, top + 70, crossing, q - 28, 21)
    put("vehicle_plate", xs[1] + 14, top + 70, b.plate(f.vehicle_plate), f.vehicle_plate, q - 28, 25)
    put("trailer_plate", xs[2] + 14, top + 70, b.plate(f.trailer_plate), f.trailer_plate, q - 28, 25)
    typed(
        xs[3] + 14,
        top + 70,
        rng.choice(("半挂牵引车", "重型半挂牵引车", "Tractor + semi-trailer")),
        q - 28,
        21,
    )
    top += h

    # Row 5: carrier, driver, driver's mobile.
    box(GX0, top, a, top + h)
    box(a, top, b2, top + h)
    box(b2, top, GX1, top + h)
    caption(GX0, top, "承运人", "Carrier")
    caption(a, top, "驾驶员", "Driver")
    caption(b2, top, "联系电话", "Mobile")
    carrier_name = carrier.name if carrier.country == "CN" or rng.random() < 0.4 else carrier.name_en
    typed(GX0 + 14, top + 70, carrier_name, a - GX0 - 28, 22)
    if f.plate_country == "CN":
        zh, pinyin, phone = rng.choice(CN_DRIVERS)
        driver = zh if rng.random() < 0.5 else pinyin
    else:
        driver, phone = rng.choice(VN_DRIVERS)
    typed(a + 14, top + 70, driver, b2 - a - 28, 21)
    typed(b2 + 14, top + 70, phone, GX1 - b2 - 28, 21)
    top += h

    # Row 6: customs declaration, seal, declared value, insurance.
    for i in range(4):
        box(xs[i], top, xs[i + 1], top + h)
    caption(xs[0], top, "报关单号", "Customs decl. No.")
    caption(xs[1], top, "封志号", "Seal No.")
    caption(xs[2], top, "货物价值", "Declared value")
    caption(xs[3], top, "保险", "Insurance")
    declaration = f"7216{f.cmr_date.year}{rng.randint(0, 9)}{rng.randint(0, 999_999_999):09d}"
    typed(xs[0] + 14, top + 70, declaration, q - 28, 21)
    typed(xs[1] + 14, top + 70, f"CN{rng.randint(1_000_000, 9_999_999)}", q - 28, 21)
    typed(xs[2] + 14, top + 70, f"{b.currency('code')} {b.money(f.total_amount)}", q - 28, 21)
    typed(xs[3] + 14, top + 70, rng.choice(("无 None", "已投保 Insured")), q - 28, 21)
    top += h + 24

    # Goods grid: pre-printed rows, as many as the form has, filled from the top.
    widths = (80, 560, 180, 190, 250, 234)
    heads = (
        ("序号", "No."),
        ("货物名称", "Description of goods"),
        ("包装", "Packing"),
        ("件数", "Packages"),
        ("毛重(公斤)", "Gross weight (kg)"),
        ("体积(立方米)", "Volume (m³)"),
    )
    gx = [GX0]
    for w in widths:
        gx.append(gx[-1] + w)
    head_h, row_h, n_rows = 70, 46, 10
    for i, (zh, en) in enumerate(heads):
        box(gx[i], top, gx[i + 1], top + head_h)
        mid = (gx[i] + gx[i + 1]) / 2
        c.text(mid, top + 28, zh, 18, bold=True, fill=FORM_GREEN, align="center")
        c.text(
            mid,
            top + 56,
            en,
            c.fit(en, gx[i + 1] - gx[i] - 10, 16, family="dejavu_condensed"),
            family="dejavu_condensed",
            fill=FORM_GREEN,
            align="center",
        )
    grid_top = top + head_h
    rows_needed = max(n_rows, len(f.lines))
    for r in range(rows_needed):
        for i in range(len(widths)):
            box(gx[i], grid_top + r * row_h, gx[i + 1], grid_top + (r + 1) * row_h)
    mode = rng.choice(("zh", "en", "zh_en"))
    for r, line in enumerate(f.lines):
        base = grid_top + r * row_h + 32
        good = line.good
        name = {"zh": good.zh, "en": good.en.upper(), "zh_en": f"{good.zh} {good.en}"}[mode]
        pack = PACKAGES[good.package]
        cells = (
            str(r + 1),
            name,
            f"{pack['zh']} {pack['short']}",
            b.num(line.packages),
            b.weight(line.gross_kg),
            b.num(_volume(line.packages), 2),
        )
        for i, text in enumerate(cells):
            width = gx[i + 1] - gx[i] - 20
            size = c.fit(text, width, 21, family=TYPED)
            if i in (0, 1, 2):
                x = gx[i] + 10 if i else (gx[0] + gx[1]) / 2 - c.measure(text, size, family=TYPED) / 2
            else:
                x = gx[i + 1] - 10 - c.measure(text, size, family=TYPED)
            c.text(x, base, text, size, family=TYPED)
    top = grid_top + rows_needed * row_h

    # Totals in captioned cells.
    h = 100
    for i in range(4):
        box(xs[i], top, xs[i + 1], top + h)
    caption(xs[0], top, "件数合计", "Total packages")
    caption(xs[1], top, "毛重合计", "Total gross weight")
    caption(xs[2], top, "体积合计", "Total volume")
    caption(xs[3], top, "运费", "Freight")
    packages = b.num(f.total_packages)
    put("total_packages", xs[0] + 14, top + 72, packages, canon_number(f.total_packages), q - 110, 25)
    unit = "件" if rng.random() < 0.6 else "PKGS"
    c.text(
        xs[0]
        + 14
        + c.measure(packages, c.fit(packages, q - 110, 25, family=TYPED, bold=True), family=TYPED, bold=True)
        + 10,
        top + 72,
        unit,
        21,
        family=TYPED,
    )
    gross = b.weight(f.total_gross_kg)
    put("total_gross_weight_kg", xs[1] + 14, top + 72, gross, canon_number(f.total_gross_kg), q - 90, 25)
    gross_size = c.fit(gross, q - 90, 25, family=TYPED, bold=True)
    c.text(
        xs[1] + 14 + c.measure(gross, gross_size, family=TYPED, bold=True) + 10,
        top + 72,
        "kg",
        21,
        family=TYPED,
    )
    volume = sum((_volume(line.packages) for line in f.lines), Decimal(0))
    typed(xs[2] + 14, top + 72, f"{b.num(volume, 2)} m³", q - 28, 23)
    typed(xs[3] + 14, top + 72, rng.choice(("已付 Prepaid", "到付 Collect", "月结 Monthly")), q - 28, 21)
    top += h

    # Documents attached and special agreements.
    h = 120
    box(GX0, top, half, top + h)
    box(half, top, GX1, top + h)
    caption(GX0, top, "随附单证", "Documents attached")
    caption(half, top, "特约事项", "Special agreements")
    documents = f"Invoice {f.invoice_number}; P/L; Form E {f.certificate_number}"
    for j, line in enumerate(c.wrap(documents, half - GX0 - 28, 19, family=TYPED)[:2]):
        c.text(GX0 + 14, top + 64 + j * 28, line, 19, family=TYPED)
    typed(
        half + 14,
        top + 64,
        rng.choice(("防潮 防压 Keep dry", "冷链运输 Keep cool", "轻装轻卸 Handle with care")),
        GX1 - half - 28,
        20,
    )
    top += h

    # Signatures: three cells with blank date slots.
    h = 300
    third = (GX1 - GX0) // 3
    sx = [GX0, GX0 + third, GX0 + 2 * third, GX1]
    signs = (
        ("托运人签章", "Consignor's signature & stamp"),
        ("承运人签章", "Carrier's signature & stamp"),
        ("收货人签收", "Consignee's signature"),
    )
    for i, (zh, en) in enumerate(signs):
        box(sx[i], top, sx[i + 1], top + h)
        caption(sx[i], top, zh, en)
        c.text(sx[i + 1] - 20, top + h - 20, "年      月      日", 18, fill=FORM_GREEN, align="right")
    _stamp(b, c, f.seller, sx[0] + third / 2 + 40, top + 150, 95)
    draw_signature(c, sx[0] + 70, top + 160, 190, rng)
    _stamp(b, c, carrier, sx[1] + third / 2 + 40, top + 150, 95)
    draw_signature(c, sx[1] + 80, top + 170, 180, rng)
    top += h
    note = "注：本运单一式四联，第一联托运人存根，第二联承运人存根，第三联随货同行，第四联收货人留存。"
    c.text(GX0, top + 36, note, 16, fill=FORM_GREEN)
    c.text(
        GX0,
        top + 62,
        "This waybill is made out in four copies; the carriage is subject to the CMR Convention.",
        15,
        family="dejavu_condensed",
        fill=FORM_GREEN,
    )
    c.text(GX1, top + 62, "Form CN-VN/RW", 15, family="dejavu_condensed", fill=FORM_GREEN, align="right")


register(
    Layout(
        "cmr_cn_grid_captions",
        CMR,
        "train",
        "dejavu_condensed",
        cmr_cn_grid_captions,
        numbers=("en", "vi"),
        groups=(True, False),
        dates=("zh", "iso", "dmy_dot", "mon_d_y"),
    )
)
