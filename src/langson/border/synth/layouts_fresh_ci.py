"""Fresh training layouts (ci): two more ways border traders print a commercial invoice.

- ``ci_cn_boxed``: a Chinese exporter's form-style "商业发票 COMMERCIAL INVOICE" drawn as one continuous ruled
  form: the title at the top left with an "正本 ORIGINAL" mark, the exporter and importer boxes on the left
  with the invoice number / date and contract / payment boxes stacked at their right, a strip of four term
  boxes and a transport strip, each box with its label in small type at its top left and the value under it;
  the goods grid joined to the form with a marks column and three-line bilingual heads, then the amount in
  Chinese capital numerals and English words, remarks and the exporter's chop in boxes of the same form.
- ``ci_vn_trader``: a Vietnamese trader's "HÓA ĐƠN THƯƠNG MẠI" with a two-column header: the parties on the
  left with each value on the line under its label ("Bên bán (Seller):"), a right-aligned key/value block
  ("Số HĐ:", "Ngày xuất HĐ:") and the delivery terms, gate and origin (label over value) on the right; a goods
  table ruled only with horizontal lines, HS code before the name, heads in Vietnamese over English, no total
  row but a "Cộng tiền hàng" line with the currency after the amount, the amount in Vietnamese words and three
  signature places (prepared by, chief accountant, director).
"""

from __future__ import annotations

from decimal import Decimal

from langson.border.schema import COMMERCIAL_INVOICE
from langson.border.synth.layouts import L, R, gate_text, invoice_rows, next_page_for, origin_text
from langson.border.synth.render import (
    A4_PX,
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

GREY = (85, 85, 90)
PAGE_BOTTOM = A4_PX[1] - 110  # lowest baseline a footer may use

# --------------------------------------------------------------------------------------------------------
# Amounts in words: Chinese capital numerals (大写) and Vietnamese

_CN_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_CN_UNITS = ("", "拾", "佰", "仟")
_CN_GROUPS = ("", "万", "亿", "万亿")


def _cn_group(n: int) -> str:
    """0 < n < 10000 in capital numerals, inner zeros read once ("壹仟零伍")."""
    out = ""
    zero = False
    for pos in range(3, -1, -1):
        digit = n // 10**pos % 10
        if digit == 0:
            zero = zero or bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _CN_DIGITS[digit] + _CN_UNITS[pos]
    return out


def cn_capital(n: int) -> str:
    """A whole number in Chinese capital numerals, as cheques and invoices write it."""
    if n == 0:
        return "零"
    groups = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    out = ""
    gap = False
    for k in range(len(groups) - 1, -1, -1):
        group = groups[k]
        if group == 0:
            gap = gap or bool(out)
            continue
        if out and (gap or group < 1000):
            out += "零"
        out += _cn_group(group) + _CN_GROUPS[k]
        gap = False
    return out


def cn_amount_words(value: Decimal, currency: str) -> str:
    """The amount in capitals with its currency, 元/角/分 (盾 for dong): "美元捌万壹仟贰佰陆拾元陆角陆分"."""
    whole = int(value)
    cents = int((value - whole) * 100)
    prefix = {"USD": "美元", "CNY": "人民币", "VND": "越南盾"}[currency]
    text = prefix + cn_capital(whole) + ("盾" if currency == "VND" else "元")
    if not cents:
        return text + "整"
    jiao, fen = divmod(cents, 10)
    if jiao:
        text += _CN_DIGITS[jiao] + "角"
    elif whole:
        text += "零"
    return text + (_CN_DIGITS[fen] + "分" if fen else "整")


_VI_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_VI_SCALES = ("", "nghìn", "triệu", "tỷ", "nghìn tỷ")


def _vi_triple(n: int, full: bool) -> list[str]:
    """0 < n < 1000 in Vietnamese words; ``full`` reads zero hundreds too ("không trăm linh năm")."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    out: list[str] = []
    if hundreds or full:
        out += [_VI_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and out:
            out.append("linh")
    elif tens == 1:
        out.append("mười")
    else:
        out += [_VI_DIGITS[tens], "mươi"]
    if units:
        if units == 1 and tens >= 2:
            out.append("mốt")
        elif units == 5 and tens >= 1:
            out.append("lăm")
        elif units == 4 and tens >= 2:
            out.append("tư")
        else:
            out.append(_VI_DIGITS[units])
    return out


def vi_words(n: int) -> str:
    """A whole number in Vietnamese words ("một triệu không trăm linh năm")."""
    if n == 0:
        return "không"
    groups = []
    while n:
        groups.append(n % 1000)
        n //= 1000
    out: list[str] = []
    for k in range(len(groups) - 1, -1, -1):
        if groups[k] == 0:
            continue
        out += _vi_triple(groups[k], full=bool(out))
        if _VI_SCALES[k]:
            out.append(_VI_SCALES[k])
    return " ".join(out)


def vi_amount_words(value: Decimal, currency: str) -> str:
    """The amount as Vietnamese papers write it: "Tám mươi mốt nghìn … đô la Mỹ và sáu mươi sáu cent./."."""
    whole = int(value)
    cents = int((value - whole) * 100)
    name = {"USD": "đô la Mỹ", "CNY": "nhân dân tệ", "VND": "đồng"}[currency]
    text = f"{vi_words(whole)} {name}"
    if cents:
        text += f" và {vi_words(cents)} {'cent' if currency == 'USD' else 'xu'}"
    elif currency == "VND":
        text += " chẵn"
    return text[0].upper() + text[1:] + "./."


# --------------------------------------------------------------------------------------------------------
# Shared helpers


def _rows_height(c: Canvas, columns: list[Column], rows: list[dict[str, str]], size: int) -> int:
    """How tall ``rows`` print in a table of ``columns`` at ``size`` (as ``Table.row`` lays them out)."""
    line_h = int(size * 1.42)
    total = 0
    for cells in rows:
        n = max(
            [len(c.wrap(cells[col.key], col.width - 20, size)) for col in columns if cells.get(col.key)] + [1]
        )
        total += n * line_h + 20 - int(size * 0.3)
    return total


def _table_size(
    c: Canvas, b: Builder, columns: list[Column], rows: list[dict[str, str]], top: int, room: int
) -> int:
    """The table's type size: the usual one, or smaller when the whole invoice must fit one image."""
    sizes = (23, 21, 19, 17) if b.single_page else (23,)
    for size in sizes:
        if top + _rows_height(c, columns, rows, size) <= room:
            return size
    return sizes[-1]


def _named_place(b: Builder, language: str) -> str:
    """The place after the trade term: where the goods are loaded (EXW, FOB), the frontier (DAF) or the
    destination (DAP, CIF): "DAP 凭祥市", "FOB DONG DANG", "DAF Hữu Nghị"."""
    f = b.facts
    if f.incoterm == "DAF":
        return {"zh": f.gate.zh, "vi": f.gate.vi, "en": f.gate.en.upper()}[language]
    place = f.place_of_loading if f.incoterm in ("FOB", "EXW", "FCA") else f.place_of_delivery
    if language == "zh":
        return str(place.zh)
    if language == "vi":
        return str(place.vi).split(",")[0]
    return str(place.en).split(",")[0].upper()


def _stamp(b: Builder, c: Canvas, cx: float, cy: float, radius: int) -> None:
    party = b.facts.seller
    ring = party.name.upper() if party.country == "VN" else party.name
    centre = party.tax_code if party.country == "VN" else "*"
    draw_stamp(c, cx, cy, radius, ring, centre, b.rng)


# ==========================================================================================================
# A Chinese exporter's form-style invoice: one ruled form of labelled boxes


def _box_label(c: Canvas, x: float, y: float, text: str, width: float) -> None:
    c.text(x + 10, y + 27, text, c.fit(text, width - 20, 19), fill=GREY)


def ci_cn_boxed(b: Builder) -> None:
    """Form-style "商业发票": parties left with number/date and contract/payment boxes stacked at their
    right, term and transport strips, the goods grid joined to the form, amount in capitals, chop box."""
    f = b.facts
    rng = b.rng
    c = b.new_page()
    # Title band: the title at the left, the copy mark at the right; no letterhead.
    c.text(L, 172, "商业发票", 54, bold=True)
    c.text(L, 224, "COMMERCIAL INVOICE", 30, bold=True)
    mark = rng.choice(("正本 ORIGINAL", "正本 ORIGINAL", "副本 COPY"))
    w = c.measure(mark, 25, bold=True)
    c.rect(R - w - 32, 128, R, 180, width=3)
    c.text(R - 16, 166, mark, 25, bold=True, align="right")
    seller_tel = f"TEL: {f.seller.phone}"
    c.text(R, 224, seller_tel, 20, align="right", fill=GREY)

    split = L + 880
    top = 262
    # Rows A and B: a party box on the left, two stacked boxes on the right.
    number_label = rng.choice(("发票号码 Invoice No.", "发票编号 Inv. No.", "发票号 Invoice Number"))
    date_label = rng.choice(("开票日期 Date of Issue", "发票日期 Invoice Date", "日期 Date"))
    party_rows = (
        (
            rng.choice(("出口商/卖方 Exporter / Seller", "卖方 Seller / 出口商 Exporter")),
            f.seller,
            "seller_name",
            (
                (number_label, "invoice_number", f.invoice_number, canon_text(f.invoice_number)),
                (date_label, "invoice_date", b.date(f.invoice_date), f.invoice_date.isoformat()),
            ),
        ),
        (
            rng.choice(("进口商/买方 Importer / Buyer", "买方 Buyer / 收货人 Consignee")),
            f.buyer,
            "buyer_name",
            (
                ("合同号 S/C No.", "", f.contract_number, ""),
                ("付款方式 Terms of Payment", "", rng.choice(("T/T", "T/T 30 DAYS", "电汇 T/T")), ""),
            ),
        ),
    )
    inner = split - L - 26
    for label, party, name, stacked in party_rows:
        printed = party_name(b, party, ("zh",), native_share=0.45)
        name_lines = c.wrap(printed, inner, 25, bold=True)
        address = party_address(party, printed)
        address_lines = c.wrap(address, inner, 21)
        height = max(220, 68 + 34 * len(name_lines) + 28 * len(address_lines) + 40)
        c.rect(L, top, split, top + height, width=2)
        _box_label(c, L, top, label, split - L)
        y = b.put_wrapped(c, name, L + 13, top + 66, printed, inner, 25, 34, bold=True)
        for line in address_lines:
            c.text(L + 13, y, line, 21)
            y += 28
        c.text(L + 13, y, f"TEL: {party.phone}", 20)
        half = height // 2
        for k, (small, field, value, canonical) in enumerate(stacked):
            y0 = top + k * half
            c.rect(split, y0, R, y0 + half, width=2)
            _box_label(c, split, y0, small, R - split)
            size = c.fit(value, R - split - 28, 27, bold=bool(field))
            if field:
                b.put(c, field, split + 14, y0 + half - 26, value, canonical, size=size, bold=True)
            else:
                c.text(split + 14, y0 + half - 26, value, size)
        top += height

    # Row C: the trade terms strip.
    term_lang = rng.choice(("zh", "en"))
    origin = origin_text(b, rng.choice(("zh", "en")))
    gate = gate_text(b, rng.choice(("zh", "en")))
    strip = (
        (rng.choice(("价格条款 Price Terms", "成交方式 Trade Terms")), "incoterm", f.incoterm, f.incoterm),
        (rng.choice(("币别 Currency", "结算币种 Currency")), "currency", b.currency(), f.currency),
        (
            rng.choice(("原产国 Country of Origin", "产地 Origin")),
            "country_of_origin",
            origin,
            canon_text(origin),
        ),
        (
            rng.choice(("通关口岸 Border Crossing", "口岸 Port of Exit/Entry")),
            "border_gate",
            gate,
            canon_text(gate),
        ),
    )
    widths: tuple[int, ...] = (330, 290, 380, R - L - 1000)
    x0 = L
    height = 104
    for (label, field, value, canonical), width in zip(strip, widths, strict=True):
        c.rect(x0, top, x0 + width, top + height, width=2)
        _box_label(c, x0, top, label, width)
        size = c.fit(value, width - 28, 27, bold=True)
        box = b.put(c, field, x0 + 14, top + 80, value, canonical, size=size, bold=True)
        if field == "incoterm" and box:
            place = _named_place(b, term_lang)
            room = x0 + width - box[2] - 26
            c.text(box[2] + 12, top + 80, place, c.fit(place, room, 23))
        x0 += width
    top += height

    # Row D: the transport strip (not part of the extraction).
    place_lang = rng.choice(("zh", "en"))
    transport = (
        ("运输方式 Means of Transport", rng.choice(("公路运输 BY TRUCK", "汽车 BY ROAD"))),
        ("起运地 From", str(getattr(f.place_of_loading, place_lang))),
        ("目的地 To", str(getattr(f.place_of_delivery, place_lang))),
    )
    transport_widths = (400, 517, R - L - 917)
    x0 = L
    height = 92
    for (label, value), width in zip(transport, transport_widths, strict=True):
        c.rect(x0, top, x0 + width, top + height, width=2)
        _box_label(c, x0, top, label, width)
        c.text(x0 + 14, top + 72, value, c.fit(value, width - 28, 23))
        x0 += width
    top += height

    # The goods grid, joined to the form.
    cur = b.currency("code")
    columns = [
        Column("marks", "唛头\nMarks", 120, "center"),
        Column("description", "品名及规格\nDescription of Goods", 420),
        Column("hs_code", "HS编码\nHS Code", 170, "center"),
        Column("quantity", "数量\nQty", 160, "right"),
        Column("unit", "单位\nUnit", 100, "center"),
        Column("unit_price", f"单价\nU/Price\n({cur})", 200, "right"),
        Column("amount", f"金额\nAmount\n({cur})", 264, "right"),
    ]
    rows = invoice_rows(b, rng.choice(("zh", "en")))
    for k, (cells, _) in enumerate(rows):
        cells["marks"] = "N/M" if k == 0 else ""
    units = {line.good.unit for line in f.lines}
    total_cells = {"description": "合计 TOTAL", "amount": b.money(f.total_amount)}
    if len(units) == 1 and len(rows) > 1:
        total_cells["quantity"] = b.num(sum((line.quantity for line in f.lines), Decimal(0)))
    footer_h = 160 + 300
    size = _table_size(
        c, b, columns, [cells for cells, _ in rows] + [total_cells], top + 110, PAGE_BOTTOM - footer_h
    )
    next_page = next_page_for(b, f"商业发票 COMMERCIAL INVOICE No. {f.invoice_number}")
    t = Table(
        b,
        c,
        L,
        top,
        columns,
        size=size,
        header_size=20,
        rules="grid",
        header_fill=(242, 242, 242),
        next_page=None if b.single_page else next_page,
    )
    t.header()
    for i, (cells, truth) in enumerate(rows):
        t.row(cells, truth=truth, line=i)
    t.row(total_cells, bold=True, fields={"amount": ("total_amount", canon_number(f.total_amount))})
    c = t.canvas
    y = t.finish()
    compact = b.single_page and y + footer_h > PAGE_BOTTOM
    if not compact and y + footer_h > PAGE_BOTTOM:
        c, y = next_page()
        c.hline(L, R, y, 2)

    # Amount in words: capitals, then English.
    english = c.wrap(amount_in_words(f.total_amount, f.currency), R - L - 30, 21)
    height = 86 + 29 * len(english)
    c.rect(L, y, R, y + height, width=2)
    _box_label(c, L, y, "大写金额 Amount in Words", R - L)
    capitals = cn_amount_words(f.total_amount, f.currency)
    c.text(L + 14, y + 64, capitals, c.fit(capitals, R - L - 30, 23, bold=True), bold=True)
    yy = y + 64 + 30
    for line in english:
        c.text(L + 14, yy, line, 21)
        yy += 29
    y += height

    # Remarks and the exporter's chop.
    height = 220 if compact else 300
    c.rect(L, y, split, y + height, width=2)
    c.rect(split, y, R, y + height, width=2)
    _box_label(c, L, y, "备注 Remarks", split - L)
    crossing = f"{f.gate.zh}口岸"
    remarks = (
        f"1. 货物经{crossing}{'入境' if f.direction == 'export' else '出境'}，公路运输。",
        f"2. Goods transported by truck via {f.gate.en} border gate.",
        "3. 唛头 Shipping marks: N/M",
    )
    yy = y + 66
    for line in remarks:
        c.text(L + 14, yy, line, c.fit(line, split - L - 30, 21))
        yy += 32 if not compact else 28
    _box_label(c, split, y, "出口商签章 Exporter's Chop & Signature", R - split)
    name_en = f.seller.name_en
    c.text(split + 14, y + height - 16, name_en, c.fit(name_en, R - split - 28, 17), fill=GREY)
    radius = 85 if compact else 108
    _stamp(b, c, split + (R - split) * 0.6 + rng.randint(-30, 30), y + height / 2 + 6, radius)
    draw_signature(c, split + 60, y + height / 2 + 20, 200, rng)


# ==========================================================================================================
# A Vietnamese trader's invoice: two-column header, values under their labels


def ci_vn_trader(b: Builder) -> None:
    """A Vietnamese trader's "HÓA ĐƠN THƯƠNG MẠI": parties on the left (value under label), a right-aligned
    number/date block and the terms on the right, a table with horizontal rules only, "Cộng tiền hàng" with
    the currency after the amount, the amount in Vietnamese words, three signature places."""
    f = b.facts
    rng = b.rng
    c = b.new_page()
    # Letterhead at the left, a logo-like mark at the right, a double rule.
    head = party_name(b, f.seller, ("vi",), native_share=0.5)
    head_text = head.upper() if f.seller.country == "VN" else head
    c.text(L, 142, head_text, c.fit(head_text, 1150, 28, bold=True), bold=True)
    address = "Địa chỉ: " + party_address(f.seller, head)
    c.text(L, 182, address, c.fit(address, 1150, 20))
    c.text(L, 214, f"MST: {f.seller.tax_code}  -  Điện thoại: {f.seller.phone}", 20)
    logo = f.seller.abbr
    logo_w = max(120, int(c.measure(logo, 34, bold=True)) + 36)
    c.rect(R - logo_w, 112, R, 212, width=4)
    c.text(R - logo_w / 2, 178, logo, 34, bold=True, align="center")
    c.hline(L, R, 240, 3)
    c.hline(L, R, 247, 1)

    c.text(827, 330, "HÓA ĐƠN THƯƠNG MẠI", 42, bold=True, align="center")
    c.text(827, 372, "(COMMERCIAL INVOICE)", 25, align="center")

    # Right column, top: a key/value block with its labels right-aligned against the values.
    key_x = 1180
    top = 440
    block = (
        (
            rng.choice(("Số HĐ (Invoice No.):", "Số hóa đơn (No.):", "Số HĐ:")),
            "invoice_number",
            f.invoice_number,
            canon_text(f.invoice_number),
        ),
        (
            rng.choice(("Ngày xuất HĐ (Date):", "Ngày xuất HĐ:", "Ngày lập (Date):")),
            "invoice_date",
            b.date(f.invoice_date),
            f.invoice_date.isoformat(),
        ),
        ("Theo HĐ số (Contract):", "", f.contract_number, ""),
        ("Ngày HĐ (Contract date):", "", b.date(f.contract_date), ""),
    )
    y = top
    for label, field, value, canonical in block:
        c.text(key_x, y, label, 22, align="right")
        size = c.fit(value, R - key_x - 14, 25, bold=bool(field))
        if field:
            b.put(c, field, key_x + 14, y, value, canonical, size=size, bold=True)
        else:
            c.text(key_x + 14, y, value, size)
        y += 42
    right_y = y + 22

    # Right column, below: terms, each value on the line under its label.
    exit_label = (
        "Cửa khẩu xuất (Border gate of exit)" if f.direction == "export" else "Cửa khẩu nhập (Entry gate)"
    )
    gate = gate_text(b, rng.choice(("vi", "vi", "en")))
    origin = origin_text(b, rng.choice(("vi", "vi", "en")))
    terms = (
        ("Điều kiện giao hàng (Delivery terms)", "incoterm", f.incoterm, f.incoterm),
        (exit_label, "border_gate", gate, canon_text(gate)),
        ("Xuất xứ hàng hóa (Origin of goods)", "country_of_origin", origin, canon_text(origin)),
    )
    col_x = 930
    c.hline(col_x, R, right_y - 30, 1)
    for label, field, value, canonical in terms:
        c.text(col_x, right_y, label, c.fit(label, R - col_x, 21), fill=GREY)
        size = c.fit(value, R - col_x - 20, 25, bold=True)
        box = b.put(c, field, col_x + 20, right_y + 36, value, canonical, size=size, bold=True)
        if field == "incoterm" and box:
            place = _named_place(b, rng.choice(("vi", "en")))
            c.text(box[2] + 12, right_y + 36, place, c.fit(place, R - box[2] - 12, 23))
        right_y += 84

    # Left column: the parties, label on its own line, the name under it, then address and tax code.
    width = 770
    y = top
    for label, party, field in (
        (rng.choice(("Bên bán (Seller):", "Bên bán / Người xuất khẩu (Seller):")), f.seller, "seller_name"),
        (rng.choice(("Bên mua (Buyer):", "Bên mua / Người nhập khẩu (Buyer):")), f.buyer, "buyer_name"),
    ):
        c.text(L, y, label, 23, bold=True)
        printed = party_name(b, party, ("vi",), native_share=0.55)
        y = b.put_wrapped(c, field, L + 28, y + 40, printed, width - 28, 25, 33, bold=True)
        for line in c.wrap("Địa chỉ: " + party_address(party, printed), width - 28, 20):
            c.text(L + 28, y, line, 20)
            y += 27
        tax = "MST" if party.country == "VN" else "Tax ID"
        c.text(L + 28, y, f"{tax}: {party.tax_code}", 20)
        y += 58
    y = max(y, right_y) + 4
    c.text(L, y, rng.choice(("Phương thức thanh toán (Payment): T/T", "Thanh toán: chuyển khoản (T/T)")), 22)
    c.text(R, y, "Phương tiện vận chuyển: ô tô (By truck)", 22, align="right")
    y += 30

    # Goods: horizontal rules only, HS code before the name, Vietnamese heads over English ones.
    columns = [
        Column("no", "STT\nNo.", 70, "center"),
        Column("hs_code", "Mã HS\nHS Code", 160, "center"),
        Column("description", "Tên hàng, quy cách\nDescription", 470),
        Column("unit", "ĐVT\nUnit", 100, "center"),
        Column("quantity", "Số lượng\nQuantity", 180, "right"),
        Column("unit_price", "Đơn giá\nUnit price", 200, "right"),
        Column("amount", "Thành tiền\nAmount", 254, "right"),
    ]
    rows = invoice_rows(b, "vi")
    footer_h = 560
    size = _table_size(c, b, columns, [cells for cells, _ in rows], y + 80, PAGE_BOTTOM - footer_h)
    next_page = next_page_for(b, f"Hóa đơn thương mại số {f.invoice_number} (tiếp theo)")
    t = Table(
        b,
        c,
        L,
        y,
        columns,
        size=size,
        header_size=21,
        rules="horizontal",
        rule_width=1,
        header_bold=True,
        next_page=None if b.single_page else next_page,
    )
    t.header()
    c.hline(L, R, t.y + 4, 1)  # the double rule under the heads
    for i, (cells, truth) in enumerate(rows):
        t.row(cells, truth=truth, line=i)
    c = t.canvas
    y = t.finish()
    c.hline(L, R, y + 4, 1)
    compact = b.single_page and y + footer_h > PAGE_BOTTOM
    if not compact and y + footer_h > PAGE_BOTTOM:
        c, y = next_page()

    # "Cộng tiền hàng" with the currency after the amount, then the amount in words.
    y += 58
    cur = b.currency()
    cur_size = 26
    c_box = b.put(c, "currency", R, y, cur, f.currency, size=cur_size, bold=True, align="right")
    amount_right = (c_box[0] if c_box else R - 80) - 14
    a_box = b.put(
        c,
        "total_amount",
        amount_right,
        y,
        b.money(f.total_amount),
        canon_number(f.total_amount),
        size=26,
        bold=True,
        align="right",
    )
    label = rng.choice(("Cộng tiền hàng:", "Cộng tiền hàng (Total amount):", "Cộng tiền hàng (Total):"))
    c.text((a_box[0] if a_box else amount_right - 200) - 24, y, label, 24, bold=True, align="right")
    c.hline(R - 700, R, y + 16, 1)
    y += 52
    words_label = "Số tiền viết bằng chữ: "
    c.text(L, y, words_label, 22)
    indent = int(c.measure(words_label, 22)) + 4
    for line in c.wrap(vi_amount_words(f.total_amount, f.currency), R - L - indent, 22):
        c.text(L + indent, y, line, 22)
        y += 32
    y += 10 if compact else 22
    note = f"Ghi chú: Hàng giao tại cửa khẩu {f.gate.vi}, Lạng Sơn. Hàng đóng gói đúng quy cách xuất khẩu."
    c.text(L, y, note, c.fit(note, R - L, 21))

    # Three signature places, the seller's seal over the director's.
    floor = 1830 if c.page == 1 else 0  # a first page keeps its signatures low, a continuation does not
    y = y + 70 if compact else min(max(y + 110, floor), PAGE_BOTTOM - 290)
    places = (
        (L + 220, "NGƯỜI LẬP BIỂU", "(Prepared by)", "(Ký, họ tên)"),
        (827, "KẾ TOÁN TRƯỞNG", "(Chief Accountant)", "(Ký, họ tên)"),
        (R - 220, "GIÁM ĐỐC", "(Director)", "(Ký, đóng dấu, họ tên)"),
    )
    for x, title, english, hint in places:
        c.text(x, y, title, 23, bold=True, align="center")
        c.text(x, y + 30, english, 20, align="center")
        c.text(x, y + 58, hint, 19, align="center", fill=GREY)
    sign_y = y + (130 if compact else 160)
    draw_signature(c, L + 130, sign_y, 180, rng)
    draw_signature(c, R - 330, sign_y, 220, rng)
    _stamp(b, c, R - 250 + rng.randint(-30, 30), sign_y + (5 if compact else 15), 90 if compact else 110)


register(
    Layout(
        "ci_cn_boxed",
        COMMERCIAL_INVOICE,
        "train",
        "liberation_sans",
        ci_cn_boxed,
        numbers=("en", "vi"),
        dates=("zh", "iso", "dmy_dash", "mon_d_y"),
        currencies=("code", "zh", "symbol"),
    )
)
register(
    Layout(
        "ci_vn_trader",
        COMMERCIAL_INVOICE,
        "train",
        "dejavu_serif_condensed",
        ci_vn_trader,
        numbers=("en", "vi"),
        dates=("dmy_slash", "dmy_dash", "dmy_dot", "d_mon_y"),
        currencies=("code", "symbol"),
    )
)
