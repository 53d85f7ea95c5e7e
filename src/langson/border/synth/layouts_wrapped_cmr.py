"""Training layouts whose free text wraps (cmr, Form E), written without reference to the held-out set.

* ``cmr_vn_boxes_wrapped``: a Vietnamese–Chinese road consignment note "GIẤY GỬI HÀNG ĐƯỜNG BỘ QUỐC TẾ /
  国际道路运输托运单" drawn as a grid of boxes of moderate width: the number in a box of its own at the top
  left, the three parties side by side (a long name wraps over two lines), the places of loading and
  delivery wrapping inside their boxes the way an address is typed ("Xã Đồng Đăng, tỉnh Lạng Sơn," /
  "Việt Nam"; "中国广西壮族自治区" / "凭祥市"), both plates in one box ("Xe/车: 12C-123.45  Mooc/挂: …" on
  one line or on two), a goods table without a total row and the totals under it in figures and words
  ("Tổng cộng / 合计: 1.250 thùng (Một nghìn hai trăm năm mươi thùng)"), and the place and date in a
  box of their own ("Lạng Sơn, ngày 28 tháng 11 năm 2026", "凭祥, 2026年11月28日").
* ``fe_vn_moit``: a Form E as a Vietnamese MoIT regional office prints it (Phòng Quản lý Xuất nhập khẩu
  khu vực Lạng Sơn; on a Chinese-origin certificate the customs district instead): the office's heading
  above the frame with "No. VN-CN 26/02/12345" at the top right, box 1 beside the title, box 2 beside
  box 4, box 3 across the whole width listing its items with bilingual captions ("Ngày khởi hành /
  Departure date", "Phương tiện / Vessel's name / Aircraft etc.: Truck 12C-123.45", the port of discharge
  wrapping in its own column), item descriptions wrapping as one paragraph, box 9 with the gross weight and
  the FOB value on separate lines, box 10 with the invoice number over its date, boxes 11 | 12 split at the
  middle of the page ("Lạng Sơn, 28/11/2026" over the certifier's line) and box 13 as a strip at the foot.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from langson.border.schema import CMR, FORM_E
from langson.border.synth.render import (
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
    format_date,
    party_address,
    register,
    words,
)

# ----------------------------------------------------------------------------------------------------------
# Numbers in words, as Vietnamese and Chinese papers write them next to the figures

VI_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
VI_SCALES = ("", "nghìn", "triệu", "tỷ")


def _vi_below_thousand(n: int, full: bool) -> str:
    """0 < n < 1000 in Vietnamese; ``full`` reads the hundreds even when zero ("không trăm linh năm")."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    parts: list[str] = []
    if full or hundreds:
        parts.append(f"{VI_DIGITS[hundreds]} trăm")
    if tens == 0:
        if units:
            parts.append(("linh " if parts else "") + VI_DIGITS[units])
    elif tens == 1:
        parts.append("mười")
        if units:
            parts.append("lăm" if units == 5 else VI_DIGITS[units])
    else:
        parts.append(f"{VI_DIGITS[tens]} mươi")
        if units:
            parts.append({1: "mốt", 4: "tư", 5: "lăm"}.get(units, VI_DIGITS[units]))
    return " ".join(parts)


def vi_words(n: int) -> str:
    """A whole number in Vietnamese words, lower case: 1250 → "một nghìn hai trăm năm mươi"."""
    if n == 0:
        return VI_DIGITS[0]
    groups: list[int] = []
    while n:
        n, rest = divmod(n, 1000)
        groups.append(rest)
    out: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if not group:
            continue
        text = _vi_below_thousand(group, full=bool(out))
        out.append(f"{text} {VI_SCALES[index]}".strip())
    return " ".join(out)


def vi_weight_words(value: Decimal) -> str:
    """A weight in Vietnamese words: 12960.5 → "mười hai nghìn chín trăm sáu mươi phẩy năm"."""
    whole = int(value)
    text = vi_words(whole)
    fraction = format(value.normalize(), "f").partition(".")[2]
    if fraction:
        if fraction.startswith("0"):
            text += " phẩy " + " ".join(VI_DIGITS[int(d)] for d in fraction)
        else:
            text += " phẩy " + vi_words(int(fraction))
    return text


ZH_CAPITALS = "零壹贰叁肆伍陆柒捌玖"
ZH_UNITS = ("", "拾", "佰", "仟")


def _zh_group(n: int) -> str:
    text, zero = "", False
    for position in range(3, -1, -1):
        digit = n // 10**position % 10
        if digit == 0:
            zero = zero or bool(text)
            continue
        if zero:
            text += "零"
            zero = False
        text += ZH_CAPITALS[digit] + ZH_UNITS[position]
    return text


def zh_capital(n: int) -> str:
    """A whole number in the capital numerals of Chinese receipts: 1250 → "壹仟贰佰伍拾"."""
    if n == 0:
        return ZH_CAPITALS[0]
    high, low = divmod(n, 10000)
    if not high:
        return _zh_group(low)
    text = _zh_group(high) + "万"
    if low:
        text += ("零" if low < 1000 else "") + _zh_group(low)
    return text


def _package_word(b: Builder, language: str) -> str:
    kinds = {line.good.package for line in b.facts.lines}
    if len(kinds) == 1:
        return PACKAGES[next(iter(kinds))][language]
    return {"vi": "kiện", "zh": "件", "en": "PACKAGES"}[language]


def _put_lines(
    b: Builder,
    c: Canvas,
    name: str,
    x: float,
    y: float,
    lines: list[str],
    line_height: int,
    **kw: Any,
) -> int:
    """A value typed over the given lines (its truth is the lines joined by single spaces); returns the
    baseline after the last line."""
    canonical = canon_text(" ".join(lines))
    for line in lines:
        b.put(c, name, x, y, line, canonical, **kw)
        y += line_height
    return int(y)


# ==========================================================================================================
# A Vietnamese–Chinese road consignment note in boxes of moderate width

CX0, CX1, CY0, CY1 = 80, 1574, 80, 2272
C_LABEL = "dejavu_condensed"
C_VALUE = "dejavu_serif"
C_RULE = (40, 40, 48)

CMR_DRIVERS_VN = ("Hoàng Văn Thắng", "Nông Văn Hùng", "Lương Đức Mạnh", "Vi Văn Tuấn", "Lộc Văn Phúc")
CMR_DRIVERS_CN = ("黄志强", "韦国华", "农建新", "梁文斌", "陆永胜")


def _vn_place(text: str, with_province_word: bool) -> str:
    """A Vietnamese place as a typed address: "Xã Đồng Đăng, Lạng Sơn, Việt Nam" → "Xã Đồng Đăng, tỉnh Lạng
    Sơn, Việt Nam" (the province named as such, as addresses have been written since July 2025)."""
    parts = text.split(", ")
    if with_province_word and len(parts) == 3 and parts[2] == "Việt Nam":
        parts[1] = f"tỉnh {parts[1]}"
    return ", ".join(parts)


def _place_lines(c: Canvas, b: Builder, place: Any, language: str, width: float, size: int) -> list[str]:
    """A place typed over the lines of its box: an address breaks before the country (or where the box
    ends); a Chinese place names the region in full on its first line and the city on the second."""
    rng = b.rng
    if language == "zh":
        text = str(place.zh)
        if text.startswith("中国广西"):
            return ["中国广西壮族自治区", text[len("中国广西") :]]
        return [text]
    text = str(getattr(place, language))
    if language == "vi" and text.endswith("Việt Nam"):
        text = _vn_place(text, rng.random() < 0.7)
    if language == "en" and rng.random() < 0.4:
        text = text.upper()
    wrapped = c.wrap(text, width, size, family=C_VALUE)
    if len(wrapped) > 1 and rng.random() < 0.35:
        return wrapped
    head, _, country = text.rpartition(", ")
    if head and c.measure(f"{head},", size, family=C_VALUE) <= width:
        return [f"{head},", country]
    return wrapped


def _hard_wrap(c: Canvas, text: str, width: float, size: int, family: str) -> list[str]:
    """Lines of ``text`` broken at spaces, and inside a run without spaces (a Chinese address) where the
    box ends."""
    lines: list[str] = []
    for line in c.wrap(text, width, size, family=family):
        rest = line
        while c.measure(rest, size, family=family) > width and len(rest) > 1:
            cut = len(rest) - 1
            while cut > 1 and c.measure(rest[:cut], size, family=family) > width:
                cut -= 1
            lines.append(rest[:cut])
            rest = rest[cut:]
        lines.append(rest)
    return lines


def cmr_vn_boxes_wrapped(b: Builder) -> None:
    """The number boxed at the top left, the title beside it, then rows of boxes: parties (1–3), places and
    plates (4–6), gate and documents (7–8), a goods table reaching down to the totals in figures and
    words, the sender's instructions and special agreements (9–10), place and date and freight (11–12),
    and the signature boxes (13–15) at the foot."""
    f = b.facts
    rng = b.rng
    c = b.new_page()
    zh_first = rng.random() < 0.3
    width = CX1 - CX0

    def caption(x: float, y: float, first: str, second: str = "") -> int:
        """A box's caption: the numbered bilingual title in bold, an optional smaller gloss under it;
        returns the baseline of the first value line."""
        c.text(x + 10, y + 26, first, 20, family=C_LABEL, bold=True, fill=C_RULE)
        if second:
            c.text(x + 10, y + 50, second, 17, family=C_LABEL, fill=C_RULE)
            return int(y + 90)
        return int(y + 66)

    def typed(x: float, y: float, text: str, size: int = 22, bold: bool = False) -> Box | None:
        return c.text(x, y, text, size, family=C_VALUE, bold=bold)

    def frame(xs: list[int], top: int, bottom: int) -> None:
        c.hline(CX0, CX1, bottom, 2, fill=C_RULE)
        for x in xs[1:-1]:
            c.vline(x, top, bottom, 2, fill=C_RULE)

    c.rect(CX0, CY0, CX1, CY1, width=3, outline=C_RULE)

    # -- heading: the number in its box at the top left, the title beside it -------------------------------
    nb = CX0 + 440
    head_b = CY0 + 180
    c.vline(nb, CY0, head_b, 2, fill=C_RULE)
    c.text(CX0 + 12, CY0 + 30, "Số / 编号 / CMR No.", 19, family=C_LABEL, bold=True, fill=C_RULE)
    number = f.cmr_number
    size = c.fit(number, nb - CX0 - 30, 34, family=C_VALUE, bold=True)
    b.put(
        c, "cmr_number", CX0 + 16, CY0 + 98, number, canon_text(number), size=size, family=C_VALUE, bold=True
    )
    copy = rng.choice(("Liên 1: Người gửi hàng / 第一联 托运人", "Liên 2: Người vận chuyển / 第二联 承运人"))
    c.text(CX0 + 12, CY0 + 158, copy, c.fit(copy, nb - CX0 - 24, 17, family=C_LABEL), family=C_LABEL)
    mid = (nb + CX1) / 2
    titles = ("GIẤY GỬI HÀNG ĐƯỜNG BỘ QUỐC TẾ", "国际道路运输托运单")
    if zh_first:
        titles = (titles[1], titles[0])
    c.text(mid, CY0 + 60, titles[0], 36, bold=True, align="center")
    c.text(mid, CY0 + 110, titles[1], 31, bold=True, align="center")
    note = "Vận chuyển hàng hóa qua cửa khẩu Việt Nam - Trung Quốc / 中越口岸货物运输"
    c.text(
        mid, CY0 + 152, note, c.fit(note, CX1 - nb - 40, 19, family=C_LABEL), family=C_LABEL, align="center"
    )
    top = head_b
    c.hline(CX0, CX1, top, 2, fill=C_RULE)

    # -- row 1: consignor, consignee, carrier side by side (a long name wraps) ---------------------------
    third = width // 3
    xs = [CX0, CX0 + third, CX0 + 2 * third, CX1]
    inner = third - 28
    parties = (
        ("1. Người gửi hàng / 托运人", "Tên, địa chỉ, nước / 名称、地址、国家", f.seller, "consignor_name"),
        ("2. Người nhận hàng / 收货人", "Tên, địa chỉ, nước / 名称、地址、国家", f.buyer, "consignee_name"),
        ("3. Người vận chuyển / 承运人", "Tên, địa chỉ / 名称、地址", f.carrier, ""),
    )
    bottom = top
    for k, (title, gloss, who, field) in enumerate(parties):
        x = xs[k] + 14
        y = caption(xs[k], top, title, gloss)
        own = who.country == ("CN" if zh_first else "VN")
        printed = who.name if rng.random() < (0.75 if own else 0.45) else who.name_en
        size = 25
        while size > 19 and len(c.wrap(printed, inner, size, family=C_VALUE, bold=True)) > 2:
            size -= 1
        if field:
            y = b.put_wrapped(c, field, x, y, printed, inner, size, 33, family=C_VALUE, bold=True)
        else:
            for line in c.wrap(printed, inner, size, family=C_VALUE, bold=True):
                typed(x, y, line, size, bold=True)
                y += 33
        y -= 2
        for line in _hard_wrap(c, party_address(who, printed), inner, 20, C_VALUE)[:3]:
            typed(x, y, line, 20)
            y += 27
        tax = f"MST: {who.tax_code}" if who.country == "VN" else f"统一社会信用代码: {who.tax_code}"
        typed(x, y, tax, c.fit(tax, inner, 19, family=C_VALUE))
        y += 27
        typed(x, y, f"ĐT / 电话: {who.phone}", 19)
        bottom = max(bottom, y + 24)
    frame(xs, top, bottom)
    top = bottom

    # -- row 2: places of loading and delivery (wrapping in their boxes), both plates in one box ------------
    xs = [CX0, CX0 + 440, CX0 + 880, CX1]
    vn_lang = rng.choice(("vi", "vi", "en"))
    cn_lang = rng.choice(("zh", "zh", "vi", "en"))

    def place_language(place: Any) -> str:
        return cn_lang if str(place.zh).startswith("中国") else vn_lang

    places = (
        ("4. Nơi xếp hàng / 装货地点", "Place of loading", f.place_of_loading, "place_of_loading"),
        ("5. Nơi giao hàng / 交货地点", "Place of delivery", f.place_of_delivery, "place_of_delivery"),
    )
    bottom = top
    for k, (title, gloss, place, field) in enumerate(places):
        y = caption(xs[k], top, title, gloss)
        lines = _place_lines(c, b, place, place_language(place), xs[k + 1] - xs[k] - 32, 25)
        y = _put_lines(b, c, field, xs[k] + 14, y, lines, 34, size=25, family=C_VALUE)
        bottom = max(bottom, y - 8)
    y = caption(xs[2], top, "6. Biển số xe / 车牌号", "Đầu kéo - Rơ moóc / 牵引车 - 挂车")
    x = xs[2] + 14
    truck, trailer = b.plate(f.vehicle_plate), b.plate(f.trailer_plate)
    if rng.random() < 0.55:
        # Both on one line: "Xe/车: 12C-123.45  Mooc/挂: 12R-012.34".
        first, second = "Xe/车: ", "  Mooc/挂: "
        typed(x, y, first, 23)
        tx = x + c.measure(first, 23, family=C_VALUE)
        box = b.put(c, "vehicle_plate", tx, y, truck, f.vehicle_plate, size=25, family=C_VALUE, bold=True)
        tx = (box[2] if box else tx + 160) + 2
        typed(tx, y, second, 23)
        tx += c.measure(second, 23, family=C_VALUE)
        b.put(c, "trailer_plate", tx, y, trailer, f.trailer_plate, size=25, family=C_VALUE, bold=True)
        y += 38
    else:
        labels = rng.choice((("Xe đầu kéo / 牵引车:", "Rơ moóc / 挂车:"), ("Xe/车:", "Mooc/挂:")))
        vx = x + max(c.measure(t, 23, family=C_VALUE) for t in labels) + 14
        for label, name, printed, canonical in (
            (labels[0], "vehicle_plate", truck, f.vehicle_plate),
            (labels[1], "trailer_plate", trailer, f.trailer_plate),
        ):
            typed(x, y, label, 23)
            b.put(c, name, vx, y, printed, canonical, size=25, family=C_VALUE, bold=True)
            y += 36
    driver = rng.choice(CMR_DRIVERS_VN if f.plate_country == "VN" else CMR_DRIVERS_CN)
    typed(x, y, f"Lái xe / 司机: {driver}", 20)
    bottom = max(bottom, y + 22)
    frame(xs, top, bottom)
    top = bottom

    # -- row 3: border gate, documents attached ---------------------------------------------------------
    xs = [CX0, CX0 + 440, CX1]
    gate = f.gate
    y = caption(xs[0], top, "7. Cửa khẩu xuất / nhập / 出入境口岸")
    gate_text = rng.choice(
        (
            f"Cửa khẩu {gate.vi} (Việt Nam) - {gate.zh}口岸 (Trung Quốc)",
            f"{gate.vi} - {gate.cn_side.vi}",
            f"{gate.zh}口岸 / Cửa khẩu {gate.vi}",
        )
    )
    gy = y
    for line in c.wrap(gate_text, xs[1] - xs[0] - 28, 22, family=C_VALUE):
        typed(xs[0] + 14, gy, line, 22)
        gy += 30
    y = caption(xs[1], top, "8. Chứng từ kèm theo / 随附单证")
    docs = (
        f"Hóa đơn thương mại số {f.invoice_number} ngày {f.invoice_date:%d/%m/%Y}; Phiếu đóng gói / 装箱单; "
        f"C/O mẫu E số {f.certificate_number}; Hợp đồng số {f.contract_number}"
    )
    dy = y
    for line in c.wrap(docs, xs[2] - xs[1] - 28, 21, family=C_VALUE)[:3]:
        typed(xs[1] + 14, dy, line, 21)
        dy += 29
    bottom = max(gy, dy) - 6
    frame(xs, top, bottom)
    top = bottom

    # -- the totals, in figures and words (measured first: the goods area takes the room left) -----------
    if zh_first:
        unit = _package_word(b, "zh")
        totals = (
            (
                "合计 / Tổng cộng: ",
                b.num(f.total_packages),
                f"{unit}（{zh_capital(f.total_packages)}{unit}）",
                "",
            ),
            ("总毛重 / Tổng trọng lượng cả bì: ", b.weight(f.total_gross_kg), "公斤", " "),
        )
    else:
        unit = _package_word(b, "vi")
        said = vi_words(f.total_packages)
        weight_said = vi_weight_words(f.total_gross_kg)
        weight_tail = (
            f"kg ({weight_said[0].upper()}{weight_said[1:]} ki-lô-gam)" if rng.random() < 0.5 else "kg"
        )
        totals = (
            (
                "Tổng cộng / 合计: ",
                b.num(f.total_packages),
                f"{unit} ({said[0].upper()}{said[1:]} {unit})",
                " ",
            ),
            ("Tổng trọng lượng cả bì / 总毛重: ", b.weight(f.total_gross_kg), weight_tail, " "),
        )
    fields = (
        ("total_packages", canon_number(f.total_packages)),
        ("total_gross_weight_kg", canon_number(f.total_gross_kg)),
    )
    ts, vs = 22, 24  # sizes of the label and words, of the figure
    planned: list[tuple[str, str, str, list[str]]] = []
    for label, figure, tail, gap in totals:
        start = c.measure(label, ts, family=C_LABEL, bold=True) + 4
        start += c.measure(figure, vs, family=C_VALUE, bold=True) + c.measure(gap, ts, family=C_VALUE)
        room = width - 28 - start
        tokens = tail.split(" ")
        same_line: list[str] = []
        while tokens and c.measure(" ".join([*same_line, tokens[0]]), ts, family=C_VALUE) <= room:
            same_line.append(tokens.pop(0))
        more = c.wrap(" ".join(tokens), width - 80, ts, family=C_VALUE) if tokens else []
        planned.append((label, figure, gap + " ".join(same_line), more))
    totals_h = sum(40 + 32 * len(more) for *_, more in planned) + 18
    lower_h = totals_h + 2 * 92 + 330  # totals, rows 9–10 and 11–12, signatures
    goods_target = CY1 - lower_h

    # -- goods: a ruled table without a total row, its columns drawn down to the totals ----------------------
    many = len(f.lines) > 4
    columns = [
        Column("marks", "Ký mã hiệu\n标记", 140, "center"),
        Column("packages", "Số kiện\n件数", 130, "right"),
        Column("kind", "Bao bì\n包装", 130, "center"),
        Column("description", "Tên hàng / 货物名称\nNature of the goods", 524),
        Column("hs", "Mã HS\n税号", 160, "center"),
        Column("gross", "T.lượng cả bì (kg)\n毛重(公斤)", 230, "right"),
        Column("volume", "Thể tích (m³)\n体积", 180, "right"),
    ]
    goods = Table(
        b,
        c,
        CX0,
        top,
        columns,
        size=21 if many else 23,
        header_size=19,
        pad=7 if many else 10,
        rules="grid",
        header_fill=(238, 238, 238),
        family=C_VALUE,
    )
    goods.header()
    mode = rng.choice(("vi", "zh", "vi_zh"))
    for i, line in enumerate(f.lines):
        good = line.good
        name = {"vi": good.vi, "zh": good.zh, "vi_zh": f"{good.vi} / {good.zh}"}[mode]
        pack = PACKAGES[good.package]
        goods.row(
            {
                "marks": "N/M" if i == 0 else "",
                "packages": b.num(line.packages),
                "kind": pack["zh"] if mode == "zh" else pack["vi"],
                "description": name,
                "hs": b.hs(good.hs8),
                "gross": b.weight(line.gross_kg),
                "volume": b.num((Decimal(line.packages) * Decimal("0.048")).quantize(Decimal("0.01")), 2),
            }
        )
    top = goods.y
    if top < goods_target:  # the form's empty rows: its column lines run on down to the totals
        x = CX0
        for column in columns[:-1]:
            x += column.width
            c.vline(x, top, goods_target, 2)
        top = goods_target
    c.hline(CX0, CX1, top, 2)

    x = CX0 + 14
    y = top + 40
    for (label, figure, tail, more), (name, canonical) in zip(planned, fields, strict=True):
        c.text(x, y, label, ts, family=C_LABEL, bold=True)
        vx = x + c.measure(label, ts, family=C_LABEL, bold=True) + 4
        b.put(c, name, vx, y, figure, canonical, size=vs, family=C_VALUE, bold=True)
        typed(vx + c.measure(figure, vs, family=C_VALUE, bold=True), y, tail, ts)
        for part in more:
            y += 32
            typed(x + 40, y, part, ts)
        y += 40
    bottom = y - 22
    c.hline(CX0, CX1, bottom, 2, fill=C_RULE)
    top = bottom

    # -- row: sender's instructions, special agreements -------------------------------------------------
    half = CX0 + width // 2
    xs = [CX0, half, CX1]
    y = caption(xs[0], top, "9. Chỉ dẫn của người gửi / 托运人指示")
    fresh = all(line.good.en.startswith("Fresh") for line in f.lines)
    instruction = (
        rng.choice(("Hàng tươi, giữ mát / 冷链运输", "Hàng tươi, giao ngay / 鲜货, 即到即卸"))
        if fresh
        else "Giữ khô, tránh va đập / 防潮防压"
    )
    typed(xs[0] + 14, y, instruction, 21)
    caption(xs[1], top, "10. Thỏa thuận đặc biệt / 特别约定")
    agreement = rng.choice(("Giao hàng tại kho người nhận / 送货到收货人仓库", "Không / 无"))
    typed(xs[1] + 14, y, agreement, 21)
    bottom = top + 92
    frame(xs, top, bottom)
    top = bottom

    # -- row: place and date, freight ---------------------------------------------------------------------
    y = caption(xs[0], top, "11. Lập tại, ngày / 签发地点及日期")
    d = f.cmr_date
    if b.style.date == "vi":
        when = rng.choice((b.date(d), f"ngày {d.day} tháng {d.month} năm {d.year}"))
    else:
        when = b.date(d)
    if b.style.date == "zh":
        where = "谅山" if f.plate_country == "VN" else "凭祥"
    elif f.plate_country == "VN":
        where = rng.choice(("Lạng Sơn", "Đồng Đăng, Lạng Sơn"))
    else:
        where = "Bằng Tường"
    prefix = f"{where}, "
    typed(xs[0] + 14, y, prefix, 23)
    date_x = xs[0] + 14 + c.measure(prefix, 23, family=C_VALUE)
    b.put(c, "cmr_date", date_x, y, when, d.isoformat(), size=23, family=C_VALUE)
    caption(xs[1], top, "12. Cước phí / 运费")
    freight = rng.choice(
        ("Người gửi trả / 发货人支付", "Người nhận trả / 收货人支付", f"Theo điều kiện {f.incoterm}")
    )
    typed(xs[1] + 14, y, freight, 21)
    bottom = top + 92
    frame(xs, top, bottom)
    top = bottom

    # -- signatures ---------------------------------------------------------------------------------------
    xs = [CX0, CX0 + third, CX0 + 2 * third, CX1]
    for k, (title, gloss) in enumerate(
        (
            ("13. Người gửi hàng / 托运人", "Ký, đóng dấu / 签字盖章"),
            ("14. Người vận chuyển / 承运人", "Ký, ghi rõ họ tên / 签字"),
            ("15. Người nhận hàng / 收货人", "Ký nhận, đóng dấu / 签收盖章"),
        )
    ):
        caption(xs[k], top, title, gloss)
        if k > 0:
            c.vline(xs[k], top, CY1, 2, fill=C_RULE)
        c.text(
            xs[k + 1] - 16,
            CY1 - 18,
            "Ngày ... tháng ... năm ... / 年  月  日",
            16,
            family=C_LABEL,
            align="right",
        )
    room = CY1 - top
    sy = top + min(180, room // 2 + 30)
    seller = f.seller
    ring = seller.name.upper() if seller.country == "VN" else seller.name
    centre = seller.tax_code if seller.country == "VN" else "*"
    radius = max(66, min(100, room // 2 - 60))
    draw_stamp(c, xs[0] + third // 2 + rng.randint(0, 50), sy, radius, ring, centre, rng)
    draw_signature(c, xs[0] + 70, sy + 10, 190, rng)
    draw_signature(c, xs[1] + 90, sy + 10, 180, rng)
    c.text(xs[1] + third / 2, sy + 90, driver, 20, family=C_VALUE, align="center")


register(
    Layout(
        "cmr_vn_boxes_wrapped",
        CMR,
        "train",
        "dejavu_serif",
        cmr_vn_boxes_wrapped,
        numbers=("vi", "vi", "en"),
        dates=("vi", "vi", "zh", "dmy_slash", "dmy_dot"),
    )
)


# ==========================================================================================================
# Form E as a Vietnamese MoIT regional office prints it: heading above the frame, box 3 across the page

EX0, EX1, EY0, EY1 = 80, 1574, 236, 2272
E_SPLIT = 700  # between box 1 / box 2 and the title / box 4
E_MID = 827  # between boxes 11 and 12
E_R1 = EY0 + 312  # bottom of box 1 and the title
E_R2 = E_R1 + 262  # bottom of boxes 2 and 4
E_R3 = E_R2 + 228  # bottom of box 3
E_ITEMS_B = 1700  # bottom of boxes 5–10
E_13 = EY1 - 92  # top of box 13
E_COLS = (90, 170, 540, 140, 290, 264)  # widths of boxes 5–10
E_LABEL = "dejavu_serif_condensed"
E_VALUE = "liberation_sans"

E_EN = {
    "1": "1. Goods consigned from (Exporter's business name, address, country)",
    "2": "2. Goods consigned to (Importer's/Consignee's name, address, country)",
    "3": "3. Means of transport and route (as far as known)",
    "4": "4. For Official Use",
    "5": "5. Item number",
    "6": "6. Marks and numbers on packages",
    "7": "7. Number and type of packages, description of goods (including quantity where appropriate and "
    "HS number of the importing Party)",
    "8": "8. Origin criteria (see Notes overleaf)",
    "9": "9. Gross weight or other quantity and value (FOB) only when RVC criterion is used",
    "10": "10. Number and date of invoices",
    "11": "11. Declaration by the exporter",
    "12": "12. Certification",
}
E_LOCAL = {
    "VN": {
        "1": "Người xuất khẩu (tên, địa chỉ, quốc gia)",
        "2": "Người nhập khẩu / người nhận hàng (tên, địa chỉ, quốc gia)",
        "3": "Phương tiện vận tải và tuyến đường (nếu biết)",
        "4": "Dành cho cơ quan có thẩm quyền",
        "5": "Số TT",
        "6": "Ký hiệu và số hiệu kiện",
        "7": "Số lượng, loại kiện, mô tả hàng hóa, mã HS",
        "8": "Tiêu chí xuất xứ",
        "9": "Trọng lượng cả bì hoặc số lượng khác; trị giá FOB",
        "10": "Số và ngày hóa đơn",
        "11": "Khai báo của người xuất khẩu",
        "12": "Chứng nhận của cơ quan cấp",
        "departure": "Ngày khởi hành / Departure date:",
        "vessel": "Phương tiện / Vessel's name / Aircraft etc.:",
        "discharge": "Cảng dỡ hàng / Port of Discharge:",
        "route": "Tuyến đường / Route:",
        "title": "GIẤY CHỨNG NHẬN XUẤT XỨ HÀNG HÓA MẪU E",
        "original": "ORIGINAL / BẢN GỐC",
    },
    "CN": {
        "1": "出口商名称、地址、国家",
        "2": "进口商/收货人名称、地址、国家",
        "3": "运输方式及路线（就所知而言）",
        "4": "供官方使用",
        "5": "项目号",
        "6": "唛头及包装号",
        "7": "包装件数及种类、商品名称、HS编码",
        "8": "原产地标准",
        "9": "毛重或其他数量及FOB价格",
        "10": "发票号码及日期",
        "11": "出口商声明",
        "12": "签证机构证明",
        "departure": "离港日期 / Departure date:",
        "vessel": "运输工具 / Vessel's name / Aircraft etc.:",
        "discharge": "卸货口岸 / Port of Discharge:",
        "route": "运输路线 / Route:",
        "title": "中国—东盟自由贸易区优惠原产地证明书",
        "original": "ORIGINAL / 正本",
    },
}
E_BOX13 = ("Issued Retroactively", "Exhibition", "Movement Certificate", "Third Party Invoicing")
E_BOX13_LOCAL = {
    "VN": ("Cấp sau", "Triển lãm", "C/O giáp lưng", "Hóa đơn bên thứ ba"),
    "CN": ("补发", "展览", "背对背证书", "第三方发票"),
}
E_HEADING = {
    "VN": (
        ("BỘ CÔNG THƯƠNG", False),
        ("PHÒNG QUẢN LÝ XUẤT NHẬP KHẨU", True),
        ("KHU VỰC LẠNG SƠN", True),
        ("MINISTRY OF INDUSTRY AND TRADE - LANG SON REGIONAL IMPORT-EXPORT MANAGEMENT OFFICE", False),
    ),
    "CN": (
        ("中华人民共和国海关总署", False),
        ("中华人民共和国凭祥海关", True),
        ("PINGXIANG CUSTOMS", True),
        ("GENERAL ADMINISTRATION OF CUSTOMS OF THE PEOPLE'S REPUBLIC OF CHINA", False),
    ),
}
E_STAMP = {"VN": "PHÒNG QUẢN LÝ XUẤT NHẬP KHẨU KHU VỰC LẠNG SƠN", "CN": "中华人民共和国凭祥海关"}
E_COUNTRY = {"VN": "VIET NAM", "CN": "CHINA"}
E_PORTS = {"huu_nghi": "YOUYIGUAN", "tan_thanh": "PUZHAI", "chi_ma": "AIDIAN"}


@dataclass
class _Typed:
    """One typed line in an item column: a leading text, the value (recorded when ``field`` is set), and a
    trailing text, all on one baseline."""

    lead: str
    value: str = ""
    field: str = ""
    canonical: str = ""
    tail: str = ""

    @property
    def text(self) -> str:
        return self.lead + self.value + self.tail


def fe_vn_moit(b: Builder) -> None:
    """The office's heading and the reference number above the frame; box 1 beside the title, box 2 beside
    box 4, box 3 across the page (departure date and vehicle listed left, the port of discharge wrapping
    right, the route under them), boxes 5–10 with the descriptions wrapping as a paragraph, 11 | 12 split
    at the middle, and box 13 as a strip of tick boxes at the foot."""
    f = b.facts
    rng = b.rng
    country = f.origin_country
    local = E_LOCAL[country]
    c = b.new_page()
    vs = 22

    def label(x: float, y: float, text: str, size: int = 16, bold: bool = False, align: str = "left") -> None:
        c.text(x, y, text, size, family=E_LABEL, bold=bold, align=align)

    def typed(x: float, y: float, text: str, size: int = vs, bold: bool = False) -> Box | None:
        return c.text(x, y, text, size, family=E_VALUE, bold=bold)

    def fit(text: str, width: float, size: int = vs, bold: bool = False) -> int:
        return c.fit(text, width, size, family=E_VALUE, bold=bold)

    def head(x0: float, x1: float, y: float, key: str) -> int:
        """A box's numbered English heading (wrapped) and its local line; returns the first value baseline."""
        for line in c.wrap(E_EN[key], x1 - x0 - 24, 16, family=E_LABEL):
            label(x0 + 10, y, line, 16, bold=True)
            y += 20
        label(x0 + 10, y, local[key], 15)
        return int(y + 36)

    # -- heading above the frame: the issuing office left, the reference number right ----------------------
    lines = E_HEADING[country]
    hx = 400
    for k, (text, bold) in enumerate(lines[:3]):
        c.text(hx, 92 + k * 32, text, 22 if k else 21, bold=bold, align="center")
    c.hline(hx - 90, hx + 90, 170, 2)
    english = lines[3][0]
    c.text(EX0, 206, english, c.fit(english, 860, 14, family=E_LABEL), family=E_LABEL)
    number = f.certificate_number
    size = fit(number, 500, 31, bold=True)
    nx = EX1 - c.measure(number, size, family=E_VALUE, bold=True)
    b.put(c, "certificate_number", nx, 120, number, canon_text(number), size=size, family=E_VALUE, bold=True)
    c.text(nx - 12, 120, "No.", 26, family=E_VALUE, bold=True, align="right")
    original = local["original"]
    ow = c.measure(original, 17, family=E_LABEL) + 24
    c.rect(EX1 - ow, 150, EX1, 186, width=2)
    label(EX1 - ow / 2, 176, original, 17, align="center")

    # -- frame and rules ---------------------------------------------------------------------------------
    c.rect(EX0, EY0, EX1, EY1, width=3)
    c.vline(E_SPLIT, EY0, E_R2, 2)
    c.hline(EX0, EX1, E_R1, 2)
    c.hline(EX0, EX1, E_R2, 2)
    c.hline(EX0, EX1, E_R3, 2)
    c.hline(EX0, EX1, E_ITEMS_B, 2)
    c.vline(E_MID, E_ITEMS_B, E_13, 2)
    c.hline(EX0, EX1, E_13, 2)

    # -- boxes 1 and 2: names wrapping over two lines, addresses under them -------------------------------
    inner = E_SPLIT - EX0 - 28

    def party(top: int, key: str, who: Any, field: str, bottom: int) -> None:
        y = head(EX0, E_SPLIT, top + 26, key)
        printed = who.name_en if rng.random() < 0.75 else who.name
        size = 26
        while size > 19 and len(c.wrap(printed, inner, size, family=E_VALUE, bold=True)) > 2:
            size -= 1
        y = b.put_wrapped(c, field, EX0 + 14, y, printed, inner, size, 31, family=E_VALUE, bold=True)
        address = party_address(who, printed)
        if address.isascii():
            address = address.upper()
        lines = _hard_wrap(c, address, inner, 19, E_VALUE)
        for line in lines[:3]:
            typed(EX0 + 14, y, line, 19)
            y += 25
        if y + 10 < bottom:
            typed(EX0 + 14, y, f"TEL: {who.phone}", 18)

    party(EY0, "1", f.seller, "exporter_name", E_R1)
    party(E_R1, "2", f.buyer, "importer_name", E_R2)

    # -- the title beside box 1 -----------------------------------------------------------------------------
    tm = (E_SPLIT + EX1) / 2
    tw = EX1 - E_SPLIT - 30
    c.text(tm, EY0 + 46, "ASEAN-CHINA FREE TRADE AREA", 25, family=E_LABEL, bold=True, align="center")
    second = "PREFERENTIAL TARIFF CERTIFICATE OF ORIGIN"
    size = c.fit(second, tw, 25, family=E_LABEL, bold=True)
    c.text(tm, EY0 + 80, second, size, family=E_LABEL, bold=True, align="center")
    c.text(tm, EY0 + 110, "(Combined Declaration and Certificate)", 18, family=E_LABEL, align="center")
    c.text(tm, EY0 + 162, "FORM E", 44, family=E_LABEL, bold=True, align="center")
    size = c.fit(local["title"], tw, 19, family=E_LABEL)
    c.text(tm, EY0 + 198, local["title"], size, family=E_LABEL, align="center")
    issued = E_COUNTRY[country] if country == "VN" else "THE PEOPLE'S REPUBLIC OF CHINA"
    lx = E_SPLIT + 110
    label(lx, EY0 + 250, "Issued in", 17)
    ix = lx + c.measure("Issued in", 17, family=E_LABEL) + 14
    typed(ix + 20, EY0 + 248, issued, fit(issued, EX1 - ix - 150), bold=True)
    c.hline(ix, EX1 - 110, EY0 + 258, 1)
    label((ix + EX1 - 110) / 2, EY0 + 280, "(Country)", 14, align="center")
    label(EX1 - 14, EY0 + 300, "See Notes Overleaf", 14, align="right")

    # -- box 4 beside box 2 -------------------------------------------------------------------------------
    rx = E_SPLIT + 10
    label(rx, E_R1 + 28, f"{E_EN['4']} / {local['4']}", 16, bold=True)
    y = E_R1 + 66
    for text in (
        "Preferential Treatment Given Under ASEAN-China Free Trade Area Preferential Tariff",
        "Preferential Treatment Not Given (Please state reason/s)",
    ):
        c.checkbox(rx + 8, y - 17, 19)
        for line in c.wrap(text, EX1 - rx - 70, 16, family=E_LABEL):
            label(rx + 40, y, line, 16)
            y += 21
        y += 8
    c.hline(rx + 30, EX1 - 30, E_R2 - 40, 1)
    signatory = "Signature of Authorised Signatory of the Importing Party"
    label((E_SPLIT + EX1) / 2, E_R2 - 14, signatory, 15, align="center")

    # -- box 3 across the page: departure and vehicle listed left, the port of discharge right -------------
    label(EX0 + 10, E_R2 + 26, f"{E_EN['3']} / {local['3']}", 16, bold=True)
    split3 = 1000
    c.vline(split3, E_R2 + 40, E_R3, 1)
    y = E_R2 + 72
    x: float = EX0 + 14
    departure_style = rng.choice(("d_mon_y", "dmy_slash", "mon_d_y", "dmy_dot"))
    cap = local["departure"]
    label(x, y, cap, 17)
    typed(
        x + c.measure(cap, 17, family=E_LABEL) + 12,
        y,
        format_date(f.cmr_date, departure_style, rng.random() < 0.5),
    )
    y += 44
    cap = local["vessel"]
    label(x, y, cap, 17)
    vx = x + c.measure(cap, 17, family=E_LABEL) + 12
    lead = rng.choice(("Truck ", "By truck ", "BY TRUCK NO. "))
    typed(vx, y, lead)
    vx += c.measure(lead, vs, family=E_VALUE)
    box = b.put(c, "vehicle_plate", vx, y, b.plate(f.vehicle_plate), f.vehicle_plate, size=vs, family=E_VALUE)
    trailer = f" / {b.plate(f.trailer_plate)}"
    if box and rng.random() < 0.5 and box[2] + c.measure(trailer, vs, family=E_VALUE) < split3 - 12:
        typed(box[2] + 2, y, trailer)
    y += 44
    cap = local["route"]
    label(x, y, cap, 17)
    gate = f.gate
    cn_side = E_PORTS.get(gate.key, gate.cn_side.en.upper())
    origin_city = f.place_of_loading.en.split(",")[0].upper()
    destination_city = f.place_of_delivery.en.split(",")[0].upper()
    route = (
        f"FROM {origin_city} TO {destination_city} VIA {gate.en.upper()} BORDER GATE"
        if country == "VN"
        else f"FROM {origin_city} TO {destination_city} VIA {cn_side} - {gate.en.upper()}"
    )
    rx3 = x + c.measure(cap, 17, family=E_LABEL) + 12
    for line in c.wrap(route, split3 - rx3 - 14, 20, family=E_VALUE)[:2]:
        typed(rx3, y, line, 20)
        y += 27
    label(split3 + 12, E_R2 + 72, local["discharge"], 17)
    discharge = rng.choice(
        (
            f.place_of_delivery.en.upper(),
            f"{cn_side} BORDER GATE, {f.place_of_delivery.en.upper()}"
            if country == "VN"
            else f"{gate.en.upper()} BORDER GATE, LANG SON, VIET NAM",
        )
    )
    y = E_R2 + 112
    for line in c.wrap(discharge, EX1 - split3 - 30, vs, family=E_VALUE)[:3]:
        typed(split3 + 14, y, line)
        y += 30

    # -- boxes 5–10: heads ------------------------------------------------------------------------------
    xs = [EX0]
    for w in E_COLS:
        xs.append(xs[-1] + w)
    xs[-1] = EX1
    blocks_h = []
    for k in range(6):
        key = str(k + 5)
        width = xs[k + 1] - xs[k] - 12
        en = c.wrap(E_EN[key], width, 15, family=E_LABEL)
        second_lines = _hard_wrap(c, local[key], width, 14, E_LABEL)
        blocks_h.append((en, second_lines))
    n_head = max(len(en) + len(loc) for en, loc in blocks_h)
    for k, (en, loc) in enumerate(blocks_h):
        cx = (xs[k] + xs[k + 1]) / 2
        yy = E_R3 + 22
        for line in en:
            label(cx, yy, line, 15, align="center")
            yy += 19
        for line in loc:
            label(cx, yy, line, 14, align="center")
            yy += 19
    head_b = E_R3 + 22 + n_head * 19 - 4
    c.hline(EX0, EX1, head_b, 1)
    for xx in xs[1:-1]:
        c.vline(xx, E_R3, E_ITEMS_B, 1)

    # -- boxes 5–10: what each item types ------------------------------------------------------------------
    cur = b.currency()
    many = len(f.lines) > 1
    crit = f.origin_criterion
    marks = rng.choice((["N/M"], ["NO MARKS"], [f.buyer.abbr, destination_city]))
    fob_lead = rng.choice(("FOB: ", "FOB VALUE: ", "FOB "))
    gw_form = rng.choice(("G.W.: {} KGS", "{} KGS G.W.", "GROSS WEIGHT: {} KGS"))
    invoice_date = format_date(
        f.invoice_date, rng.choice(("dmy_slash", "d_mon_y", "mon_d_y")), rng.random() < 0.5
    )
    invoice_date = rng.choice((invoice_date, f"DATED: {invoice_date}"))

    def blocks(size: int, compact: bool) -> list[dict[int, list[_Typed]]]:
        width7 = xs[3] - xs[2] - 20
        out: list[dict[int, list[_Typed]]] = []
        for i, line in enumerate(f.lines):
            kind = PACKAGES[line.good.package]["en"]
            count = b.num(line.packages)
            packed = f"{count} {kind}" if compact else f"{count} ({words(line.packages)}) {kind}"
            text = f"{line.good.en.upper()}; PACKED IN {packed}; HS CODE: {b.hs(line.good.hs8[:6])}"
            col9 = [_Typed(gw_form.format(b.weight(line.gross_kg)))]
            if many:
                col9.append(_Typed(f"{fob_lead}{cur} {b.money(line.amount)}"))
            else:
                col9.append(
                    _Typed(f"{fob_lead}{cur} ", b.money(f.fob_value), "fob_value", canon_number(f.fob_value))
                )
            cells: dict[int, list[_Typed]] = {
                0: [_Typed(f"{i + 1}.")],
                2: [_Typed(part) for part in c.wrap(text, width7, size, family=E_VALUE)],
                3: [_Typed("", crit, "origin_criterion" if i == 0 else "", canon_text(crit))],
                4: col9,
            }
            if i == 0:
                cells[1] = [_Typed(m) for m in marks]
                cells[5] = [
                    _Typed("", f.invoice_number, "invoice_number", canon_text(f.invoice_number)),
                    _Typed(invoice_date),
                ]
            out.append(cells)
        if many:
            kinds = {line.good.package for line in f.lines}
            unit = PACKAGES[next(iter(kinds))]["en"] if len(kinds) == 1 else "PACKAGES"
            total = f"TOTAL: {b.num(f.total_packages)} {unit}"
            if not compact:
                total += f" ({words(f.total_packages)} {unit} ONLY)"
            out.append(
                {
                    2: [_Typed(part) for part in c.wrap(total, width7, size, family=E_VALUE)],
                    4: [
                        _Typed(f"TOTAL G.W.: {b.weight(f.total_gross_kg)} KGS"),
                        _Typed("TOTAL FOB VALUE:"),
                        _Typed(f"{cur} ", b.money(f.fob_value), "fob_value", canon_number(f.fob_value)),
                    ],
                }
            )
        return out

    def height(size: int, compact: bool, gap: int) -> int:
        lh = int(size * 1.3)
        return sum(max(len(col) for col in cells.values()) * lh + gap for cells in blocks(size, compact)) + lh

    room = E_ITEMS_B - head_b - 30
    size, compact, gap = vs, False, 16
    while height(size, compact, gap) > room:
        if not compact:
            compact, gap = True, 10
        elif size > 13:
            size -= 1
        else:
            break
    lh = int(size * 1.3)
    y = head_b + size + 16
    for cells in blocks(size, compact):
        for col, lines_ in cells.items():
            x0 = xs[col] + 10
            width = xs[col + 1] - x0 - 8
            for k, cell in enumerate(lines_):
                sz = c.fit(cell.text, width, size, family=E_VALUE)
                yy = y + k * lh
                if col == 3:  # the criterion centred in its narrow box
                    x = (xs[3] + xs[4]) / 2 - c.measure(cell.text, sz, family=E_VALUE) / 2
                elif col == 0:
                    x = xs[0] + 16
                else:
                    x = x0
                typed(x, yy, cell.lead, sz)
                vx = x + c.measure(cell.lead, sz, family=E_VALUE)
                if cell.field:
                    b.put(c, cell.field, vx, yy, cell.value, cell.canonical, size=sz, family=E_VALUE)
                else:
                    typed(vx, yy, cell.value, sz)
                typed(vx + c.measure(cell.value, sz, family=E_VALUE), yy, cell.tail, sz)
        y += max(len(col) for col in cells.values()) * lh + gap
    if y < E_ITEMS_B - 20:
        typed(xs[2] + 10, y, "*" * 24, size)

    # -- box 11: the exporter's declaration ---------------------------------------------------------------
    pw = E_MID - EX0 - 30
    mid11 = (EX0 + E_MID) / 2
    y = head(EX0, E_MID, E_ITEMS_B + 28, "11")
    for line in c.wrap(
        "The undersigned hereby declares that the above details and statement are correct; that all the "
        "goods were produced in",
        pw,
        16,
        family=E_LABEL,
    ):
        label(EX0 + 14, y - 8, line, 16)
        y += 21
    produced = E_COUNTRY[country]
    typed(mid11 - c.measure(produced, vs, family=E_VALUE, bold=True) / 2, y + 6, produced, bold=True)
    label(mid11, y + 28, "(Country)", 14, align="center")
    y += 58
    for line in c.wrap(
        "and that they comply with the origin requirements specified for these goods in the ASEAN-China "
        "Free Trade Area Preferential Tariff for the goods exported to",
        pw,
        16,
        family=E_LABEL,
    ):
        label(EX0 + 14, y, line, 16)
        y += 21
    importing = E_COUNTRY["CN" if country == "VN" else "VN"]
    typed(mid11 - c.measure(importing, vs, family=E_VALUE, bold=True) / 2, y + 8, importing, bold=True)
    label(mid11, y + 30, "(Importing Country)", 14, align="center")
    line_y = E_13 - 46
    seller = f.seller
    draw_stamp(
        c,
        E_MID - 150 + rng.randint(-20, 20),
        line_y - 70,
        72,
        seller.name.upper() if seller.country == "VN" else seller.name,
        seller.tax_code if seller.country == "VN" else "*",
        rng,
    )
    draw_signature(c, EX0 + 330, line_y - 96, 170, rng)
    city = "LANG SON" if country == "VN" else rng.choice(("PINGXIANG", "NANNING"))
    typed(EX0 + 24, line_y - 10, f"{city}, {format_date(f.invoice_date, 'dmy_slash')}", 20)
    c.hline(EX0 + 20, E_MID - 20, line_y, 1)
    label(mid11, line_y + 26, "Place and date, signature of authorised signatory", 15, align="center")

    # -- box 12: the certification, "Lạng Sơn, 28/11/2026" over the certifier's line -------------------
    rx = E_MID + 10
    y = head(E_MID, EX1, E_ITEMS_B + 28, "12")
    for line in c.wrap(
        "It is hereby certified, on the basis of control carried out, that the declaration by the exporter "
        "is correct.",
        EX1 - rx - 30,
        16,
        family=E_LABEL,
    ):
        label(rx + 4, y - 8, line, 16)
        y += 21
    mid12 = (E_MID + EX1) / 2
    draw_stamp(c, mid12 + rng.randint(60, 160), line_y - 120, 100, E_STAMP[country], "*", rng)
    draw_signature(c, E_MID + 110, line_y - 112, 200, rng)
    place = "Lạng Sơn, " if country == "VN" else rng.choice(("Pingxiang, ", "凭祥, "))
    when = b.date(f.issue_date)
    px = E_MID + 40
    typed(px, line_y - 10, place, vs)
    date_x = px + c.measure(place, vs, family=E_VALUE)
    b.put(c, "issue_date", date_x, line_y - 10, when, f.issue_date.isoformat(), size=vs, family=E_VALUE)
    c.hline(E_MID + 20, EX1 - 20, line_y, 1)
    label(
        mid12, line_y + 26, "Place and date, signature and stamp of certifying authority", 15, align="center"
    )

    # -- box 13: a strip of tick boxes at the foot --------------------------------------------------------
    label(EX0 + 10, E_13 + 34, "13.", 17, bold=True)
    step = (EX1 - EX0 - 70) / 4
    for k, (english, translated) in enumerate(zip(E_BOX13, E_BOX13_LOCAL[country], strict=True)):
        bx = EX0 + 60 + k * step
        c.checkbox(bx, E_13 + 16, 20)
        label(bx + 32, E_13 + 34, english, 16)
        label(bx + 32, E_13 + 60, translated, 15)


register(
    Layout(
        "fe_vn_moit",
        FORM_E,
        "train",
        "liberation_sans",
        fe_vn_moit,
        numbers=("en", "en", "vi"),
        dates=("dmy_slash", "dmy_slash", "dmy_dot", "d_mon_y"),
        currencies=("code", "code", "symbol"),
        hs_dotted=(True, False),
        weight_decimals=(None, 2),
    )
)
