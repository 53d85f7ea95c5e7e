"""Fresh training layouts (Form E, cmr), written without reference to the held-out set.

* ``fe_fresh3_selfprint``: a Form E printed on plain A4 from the issuing system (a Chinese certificate
  self-printed by the exporter under the customs e-certificate scheme; a Vietnamese one from the MoIT
  regional office's e-C/O system), using the newer "Products consigned from …" captions. Boxes 1–3 stack in
  a narrow left column; on the right the reference number sits in a captioned box at the very top with a
  barcode under it, then the title and "Issued in", then box 4 beside box 3. Box 3 is a small ruled grid of
  caption | value rows (departure date, vehicle, port of loading, port of discharge, transit). Box 13 is a
  strip of tick boxes *above* the items. The items table splits box 7 into packages | description | HS
  code and box 9 into gross weight | FOB value (currency in the heading), with a TOTAL row under several
  lines. Box 12 lists "Place of issue" and "Date of issue" at its top, above the electronic seal.
* ``cmr_fresh3_sidebar``: a Chinese–Vietnamese–English road consignment note "国际道路货物运单 / GIẤY GỬI
  HÀNG ĐƯỜNG BỘ QUỐC TẾ" of a cross-border forwarder, with circled box numbers in its own order: a strip of
  number | date | contract under the title, the parties (consignor, consignee, carrier) in boxes whose
  captions sit in a grey label column on the left, a sidebar on the right holding the vehicle (tractor and
  trailer plates each drawn in a plate-shaped yellow frame, then the driver) and the route as a timeline
  (loading → border crossing → delivery), documents and instructions, a goods grid whose packages column
  reads "605 袋 / bao", a totals strip with the package count also in Chinese capital numerals, and the
  signature row.
"""

from __future__ import annotations

import zlib
from decimal import Decimal
from typing import Any

from langson.border.schema import CMR, FORM_E
from langson.border.synth.layouts_wrapped_cmr import zh_capital
from langson.border.synth.render import (
    INK,
    PACKAGES,
    Box,
    Builder,
    Canvas,
    Layout,
    canon_number,
    canon_text,
    draw_signature,
    draw_stamp,
    register,
)

# ==========================================================================================================
# Form E printed from the issuing system on plain paper

SX0, SX1, SY0, SY1 = 76, 1578, 84, 2262
S_SPLIT = 862  # between the left boxes (1–3) and the right column
S_REF_B = 262  # bottom of the reference box (right column)
S_R1 = 352  # bottom of box 1
S_R2 = 616  # bottom of box 2 (and top of box 4)
S_R3 = 910  # bottom of boxes 3 and 4
S_13 = 974  # bottom of the box 13 strip
S_HEAD_B = 1092  # bottom of the item heads
S_ITEMS_B = 1700  # bottom of the items
S_LABEL = "dejavu_serif"
S_VALUE = "dejavu_condensed"
S_GREY = (232, 232, 232)

S_EN = {
    "1": "1. Products consigned from (Exporter's business name, address, country)",
    "2": "2. Products consigned to (Importer's/Consignee's name, address, country)",
    "3": "3. Means of transport and route (if known)",
    "4": "4. For Official Use",
    "5": "5. Item No.",
    "6": "6. Marks and numbers on packages",
    "7": "7. Number and type of packages, description of products (including quantity where appropriate) "
    "and HS code of the importing Party",
    "8": "8. Origin criterion",
    "9": "9. Gross weight or other quantity, and value (FOB) only when RVC criterion is applied",
    "10": "10. Number and date of invoices",
    "11": "11. Declaration by the exporter",
    "12": "12. Certification",
}
S_LOCAL = {
    "CN": {
        "1": "出口商",
        "2": "进口商/收货人",
        "3": "运输方式及路线",
        "4": "官方使用",
        "5": "项目号",
        "6": "唛头及包装号",
        "7": "包装数量及种类、商品描述及进口方HS编码",
        "8": "原产地标准",
        "9": "毛重或其他数量及FOB价值",
        "10": "发票号码及日期",
        "11": "出口商声明",
        "12": "证明",
        "ref": "证书编号",
        "title": "中国—东盟自由贸易区优惠原产地证明书",
        "place": "签证地点",
        "date": "签证日期",
    },
    "VN": {
        "1": "Người xuất khẩu",
        "2": "Người nhập khẩu / nhận hàng",
        "3": "Phương tiện và tuyến vận tải",
        "4": "Dành cho cơ quan chức năng",
        "5": "STT",
        "6": "Ký mã hiệu",
        "7": "Số lượng, loại kiện, mô tả hàng hóa và mã HS của nước nhập khẩu",
        "8": "Tiêu chí xuất xứ",
        "9": "Trọng lượng cả bì hoặc số lượng khác và trị giá FOB",
        "10": "Số và ngày hóa đơn",
        "11": "Khai báo của nhà xuất khẩu",
        "12": "Xác nhận của tổ chức cấp C/O",
        "ref": "Số tham chiếu",
        "title": "GIẤY CHỨNG NHẬN XUẤT XỨ HÀNG HÓA ƯU ĐÃI ASEAN - TRUNG QUỐC",
        "place": "Nơi cấp",
        "date": "Ngày cấp",
    },
}
S_BOX13 = {
    "CN": (
        ("Issued Retroactively", "补发"),
        ("Exhibition", "展览"),
        ("Movement Certificate", "背对背"),
        ("Third Party Invoicing", "第三方发票"),
    ),
    "VN": (
        ("Issued Retroactively", "Cấp sau"),
        ("Exhibition", "Triển lãm"),
        ("Movement Certificate", "Giáp lưng"),
        ("Third Party Invoicing", "HĐ bên thứ ba"),
    ),
}
S_COUNTRY = {"CN": "CHINA", "VN": "VIET NAM"}
S_ISSUED_IN = {"CN": ("CHINA", "P.R. CHINA", "THE PEOPLE'S REPUBLIC OF CHINA"), "VN": ("VIET NAM", "VIETNAM")}
S_CROSSING = {"huu_nghi": "YOUYIGUAN", "tan_thanh": "PUZHAI", "chi_ma": "AIDIAN"}
S_CN_OFFICES = {
    "NANNING": ("中华人民共和国南宁海关", "NANNING CUSTOMS DISTRICT P.R. CHINA"),
    "CHONGZUO": ("中华人民共和国崇左海关", "CHONGZUO CUSTOMS P.R. CHINA"),
    "PINGXIANG": ("中华人民共和国凭祥海关", "PINGXIANG CUSTOMS P.R. CHINA"),
}
S_VN_OFFICES = {
    "HO CHI MINH CITY": "PHÒNG QUẢN LÝ XUẤT NHẬP KHẨU KHU VỰC TP. HỒ CHÍ MINH",
    "HA NOI": "PHÒNG QUẢN LÝ XUẤT NHẬP KHẨU KHU VỰC HÀ NỘI",
    "LANG SON": "PHÒNG QUẢN LÝ XUẤT NHẬP KHẨU KHU VỰC LẠNG SƠN",
}
# Columns of the items: key, width (the last takes what is left).
S_COLS = (("5", 62), ("6", 122), ("7a", 150), ("7b", 322), ("7c", 122), ("8", 104), ("9a", 164), ("9b", 176))


def _issuer(f: Any, rng: Any) -> tuple[str, str, str]:
    """Place of issue, the authority's seal text and its English name, from where the exporter is."""
    if f.origin_country == "CN":
        address = f.seller.address_en.upper()
        city = next((c for c in ("PINGXIANG", "CHONGZUO", "NANNING") if c in address), "NANNING")
        zh, en = S_CN_OFFICES[city]
        return city, zh, en
    loading = f.place_of_loading.en.upper()
    if "TAY NINH" in loading or "DONG THAP" in loading:
        city = "HO CHI MINH CITY"
    else:
        city = rng.choice(("LANG SON", "LANG SON", "HA NOI"))
    office = S_VN_OFFICES[city]
    return city, office, "MINISTRY OF INDUSTRY AND TRADE OF VIET NAM"


def _barcode(c: Canvas, x: float, y: float, width: float, height: int, text: str) -> None:
    """A linear barcode of the reference number (bars from a hash of the text: stable for a certificate)."""
    state = zlib.crc32(text.encode()) or 1
    cursor = x
    dark = True
    while cursor < x + width:
        state = (state * 1103515245 + 12345) & 0x7FFFFFFF
        bar = 2 + state % 4 * 2
        if dark and cursor + bar <= x + width:
            c.rect(cursor, y, cursor + bar - 1, y + height, width=0, outline=None, fill=INK)
        cursor += bar
        dark = not dark


def fe_fresh3_selfprint(b: Builder) -> None:
    """Boxes 1–3 in a narrow left column, the reference box with a barcode at the top right, box 3 as a
    caption | value grid, box 13 above the items, boxes 7 and 9 split into sub-columns, and the place and
    date of issue listed at the top of box 12."""
    f = b.facts
    rng = b.rng
    country = f.origin_country
    local = S_LOCAL[country]
    c = b.new_page()
    vs = 22  # typed value size
    ls = 15  # caption size
    city, authority, authority_en = _issuer(f, rng)

    def label(x: float, y: float, text: str, size: int = ls, bold: bool = False, align: str = "left") -> None:
        c.text(x, y, text, size, family=S_LABEL, bold=bold, align=align)

    def typed(x: float, y: float, text: str, size: int = vs, bold: bool = False) -> Box | None:
        return c.text(x, y, text, size, family=S_VALUE, bold=bold)

    def fit(text: str, width: float, size: int = vs, bold: bool = False) -> int:
        return c.fit(text, width, size, family=S_VALUE, bold=bold)

    def put(
        name: str, x: float, y: float, printed: str, canonical: str, size: int = vs, bold: bool = False
    ) -> None:
        b.put(c, name, x, y, printed, canonical, size=size, family=S_VALUE, bold=bold)

    def caption(x0: float, x1: float, top: float, key: str) -> int:
        """The box's English caption (wrapped) with the local one after it; returns the first value line."""
        text = f"{S_EN[key]}  {local[key]}"
        y = top + 24
        for line in c.wrap(text, x1 - x0 - 20, ls, family=S_LABEL):
            label(x0 + 10, y, line)
            y += 20
        return int(y + 14)

    # -- frame and rules ---------------------------------------------------------------------------------
    c.rect(SX0, SY0, SX1, SY1, width=3)
    c.vline(S_SPLIT, SY0, S_R3, 2)
    c.hline(SX0, S_SPLIT, S_R1, 2)
    c.hline(SX0, SX1, S_R2, 2)
    c.hline(S_SPLIT, SX1, S_REF_B, 2)
    c.hline(SX0, SX1, S_R3, 2)
    c.hline(SX0, SX1, S_13, 2)
    c.hline(SX0, SX1, S_ITEMS_B, 2)
    c.vline(S_SPLIT, S_ITEMS_B, SY1, 2)

    # -- above the frame: who printed it ------------------------------------------------------------------
    top_note = f"{authority}  ·  {authority_en}" if country == "CN" else f"{authority_en} - {authority}"
    c.text(SX0, SY0 - 16, top_note, c.fit(top_note, 1100, 15, family=S_LABEL), family=S_LABEL)
    c.text(SX1, SY0 - 16, "ORIGINAL", 17, family=S_LABEL, bold=True, align="right")

    # -- boxes 1 and 2 -----------------------------------------------------------------------------------
    inner = S_SPLIT - SX0 - 28

    def party(top: int, bottom: int, key: str, who: Any, name: str) -> None:
        y = caption(SX0, S_SPLIT, top, key) + 8
        printed = who.name_en
        for line in c.wrap(printed, inner, vs, family=S_VALUE, bold=True):
            put(name, SX0 + 14, y, line, canon_text(printed), bold=True)
            y += 29
        for line in c.wrap(who.address_en, inner, vs - 3, family=S_VALUE):
            if y > bottom - 14:
                break
            typed(SX0 + 14, y, line, vs - 3)
            y += 25
        if y <= bottom - 14:
            tax = f"Tax code: {who.tax_code}" if who.country == "VN" else f"USCC: {who.tax_code}"
            typed(SX0 + 14, y, f"{tax}    Tel: {who.phone}", fit(f"{tax}    Tel: {who.phone}", inner, vs - 4))

    party(SY0, S_R1, "1", f.seller, "exporter_name")
    party(S_R1, S_R2, "2", f.buyer, "importer_name")

    # -- box 3: a grid of caption | value rows ------------------------------------------------------------
    y = caption(SX0, S_SPLIT, S_R2, "3") - 18
    cap_w = 232
    row_h = (S_R3 - 8 - y) // 5
    c.vline(SX0 + cap_w, y, y + 5 * row_h, 1)
    vx, vw = SX0 + cap_w + 12, S_SPLIT - SX0 - cap_w - 24
    cn_side = S_CROSSING.get(f.gate.key, f.gate.cn_side.en.upper())
    via = f"{f.gate.en.upper()} - {cn_side}" if country == "VN" else f"{cn_side} - {f.gate.en.upper()}"
    loading = f.place_of_loading.en.upper()
    discharge = rng.choice((f.place_of_delivery.en.upper(), f.place_of_delivery.en.split(",")[0].upper()))
    rows = (
        ("Departure date", b.date(f.cmr_date)),
        ("Vessel's name / Aircraft etc.", ""),
        ("Port of loading", loading),
        ("Port of discharge", discharge),
        ("Transit / Border gate", via),
    )
    for k, (cap, value) in enumerate(rows):
        top = y + k * row_h
        c.hline(SX0 + 8, S_SPLIT - 8, top, 1)
        base = top + row_h // 2 + 8
        label(SX0 + 12, base, cap, ls)
        if k == 1:
            prefix = rng.choice(("BY TRUCK ", "TRUCK NO. ", "ROAD - TRUCK "))
            size = vs
            typed(vx, base, prefix, size)
            px = vx + c.measure(prefix, size, family=S_VALUE)
            plate = b.plate(f.vehicle_plate)
            put("vehicle_plate", px, base, plate, f.vehicle_plate, size, bold=True)
            trailer = f" / {b.plate(f.trailer_plate)}"
            tx = px + c.measure(plate, size, family=S_VALUE, bold=True)
            if rng.random() < 0.5 and tx + c.measure(trailer, size, family=S_VALUE) < vx + vw:
                typed(tx, base, trailer, size)
        elif value:
            typed(vx, base, value, fit(value, vw))
    c.hline(SX0 + 8, S_SPLIT - 8, y + 5 * row_h, 1)

    # -- right column: reference box, title, issued in ---------------------------------------------------
    c.rect(S_SPLIT, SY0, SX1, SY0 + 34, width=0, outline=None, fill=S_GREY)
    c.hline(S_SPLIT, SX1, SY0 + 34, 1)
    ref_caption = rng.choice(("Reference No.", "Certificate No.", "Reference Number"))
    label(S_SPLIT + 12, SY0 + 25, f"{ref_caption}  {local['ref']}", 16, bold=True)
    number = f.certificate_number
    size = fit(number, SX1 - S_SPLIT - 40, 32, bold=True)
    put("certificate_number", S_SPLIT + 18, SY0 + 84, number, canon_text(number), size, bold=True)
    _barcode(c, S_SPLIT + 18, SY0 + 104, min(470, SX1 - S_SPLIT - 40), 44, number)
    c.text(S_SPLIT + 18, SY0 + 168, number.replace(" ", ""), 13, family="dejavu_mono")
    rmid = (S_SPLIT + SX1) / 2
    y = S_REF_B + 44
    for text, size, bold in (
        ("ASEAN-CHINA FREE TRADE AREA", 24, True),
        ("PREFERENTIAL TARIFF CERTIFICATE OF ORIGIN", 24, True),
    ):
        c.text(
            rmid,
            y,
            text,
            c.fit(text, SX1 - S_SPLIT - 30, size, family=S_LABEL, bold=bold),
            family=S_LABEL,
            bold=bold,
            align="center",
        )
        y += 34
    title = local["title"]
    c.text(rmid, y + 2, title, c.fit(title, SX1 - S_SPLIT - 40, 19), align="center")
    y += 32
    c.text(rmid, y, "(Combined Declaration and Certificate)", 16, family=S_LABEL, align="center")
    y += 56
    c.text(rmid, y, "FORM E", 42, family=S_LABEL, bold=True, align="center")
    y += 54
    issued = rng.choice(S_ISSUED_IN[country])
    label(S_SPLIT + 40, y, "Issued in", 16)
    ix = S_SPLIT + 40 + c.measure("Issued in", 16, family=S_LABEL) + 14
    typed(ix + 10, y - 2, issued, fit(issued, SX1 - ix - 50))
    c.hline(ix, SX1 - 30, y + 6, 1)
    c.text((ix + SX1 - 30) / 2, y + 26, "(Country)", 13, family=S_LABEL, align="center")
    c.text(rmid, S_R2 - 12, "See Overleaf Notes", 13, family=S_LABEL, align="center")

    # -- box 4 -------------------------------------------------------------------------------------------
    rx = S_SPLIT + 10
    y = caption(S_SPLIT, SX1, S_R2, "4")
    for text in (
        "Preferential Treatment Given Under ASEAN-China Free Trade Area Preferential Tariff",
        "Preferential Treatment Not Given (Please state reason/s)",
    ):
        c.checkbox(rx + 6, y - 15, 17)
        for line in c.wrap(text, SX1 - rx - 56, 15, family=S_LABEL):
            c.text(rx + 34, y, line, 15, family=S_LABEL)
            y += 20
        y += 10
    c.hline(rx + 30, SX1 - 30, S_R3 - 40, 1)
    c.text(
        rmid,
        S_R3 - 16,
        "Signature of Authorised Signatory of the Importing Party",
        13,
        family=S_LABEL,
        align="center",
    )

    # -- box 13: a strip above the items -----------------------------------------------------------------
    label(SX0 + 12, S_R3 + 40, "13.", 17, bold=True)
    bx = SX0 + 62
    for en, loc in S_BOX13[country]:
        c.checkbox(bx, S_R3 + 24, 18)
        text = f"{en} ({loc})"
        c.text(bx + 28, S_R3 + 40, text, 15, family=S_LABEL)
        bx += 28 + int(c.measure(text, 15, family=S_LABEL)) + 36

    # -- items: two-level heads --------------------------------------------------------------------------
    xs = [SX0]
    for _, w in S_COLS:
        xs.append(xs[-1] + w)
    xs.append(SX1)
    keys = [k for k, _ in S_COLS] + ["10"]
    sub_top = S_13 + 66
    spans = {"7": (2, 5), "9": (6, 8)}

    def head_block(x0: float, x1: float, top: float, text: str, size: int = 14) -> None:
        yy = top + 18
        for line in c.wrap(text, x1 - x0 - 12, size, family=S_LABEL):
            c.text(x0 + 6, yy, line, size, family=S_LABEL)
            yy += 17

    for key, (i0, i1) in spans.items():
        head_block(xs[i0], xs[i1], S_13, f"{S_EN[key]}  ({local[key]})", 13)
        c.hline(xs[i0], xs[i1], sub_top, 1)
    cur = b.currency("code")
    subs = {
        "7a": "Number and kind of packages",
        "7b": "Description of products",
        "7c": "HS code",
        "9a": "Gross weight / quantity",
        "9b": f"FOB value ({cur})",
    }
    for i, key in enumerate(keys):
        if key in subs:
            head_block(xs[i], xs[i + 1], sub_top - 2, subs[key], 14)
        else:
            head_block(xs[i], xs[i + 1], S_13, f"{S_EN[key]} {local[key]}", 14)
    c.hline(SX0, SX1, S_HEAD_B, 2)
    for i in range(1, len(xs) - 1):
        top = sub_top if i in (3, 4, 7) else S_13
        c.vline(xs[i], top, S_ITEMS_B, 1)

    # -- items: the typed rows ---------------------------------------------------------------------------
    crit = f.origin_criterion
    many = len(f.lines) > 1
    marks = rng.choice((["N/M"], ["NO MARKS"], [f.buyer.abbr, "MADE IN", S_COUNTRY[country]]))

    def cells(size: int) -> list[dict[str, list[tuple[str, str, str]]]]:
        """Per row, per column: typed lines as (text, field, canonical)."""
        out: list[dict[str, list[tuple[str, str, str]]]] = []
        for i, line in enumerate(f.lines):
            kind = PACKAGES[line.good.package]["en"]
            desc = c.wrap(line.good.en.upper(), xs[4] - xs[3] - 16, size, family=S_VALUE)
            row: dict[str, list[tuple[str, str, str]]] = {
                "5": [(str(i + 1), "", "")],
                "7a": [(b.num(line.packages), "", ""), (kind, "", "")],
                "7b": [(t, "", "") for t in desc],
                "7c": [(b.hs(line.good.hs8[:6]), "", "")],
                "8": [(crit, "origin_criterion" if i == 0 else "", canon_text(crit))],
                "9a": [(f"{b.weight(line.gross_kg)} KGS", "", "")],
            }
            if many:
                row["9b"] = [(b.money(line.amount), "", "")]
            else:
                row["9b"] = [(b.money(f.fob_value), "fob_value", canon_number(f.fob_value))]
            if i == 0:
                row["6"] = [(t, "", "") for t in marks]
                row["10"] = [
                    (f.invoice_number, "invoice_number", canon_text(f.invoice_number)),
                    (b.date(f.invoice_date), "", ""),
                ]
            out.append(row)
        if many:
            kinds = {line.good.package for line in f.lines}
            unit = PACKAGES[next(iter(kinds))]["en"] if len(kinds) == 1 else "PACKAGES"
            out.append(
                {
                    "7a": [(b.num(f.total_packages), "", ""), (unit, "", "")],
                    "7b": [("TOTAL", "", "")],
                    "9a": [(f"{b.weight(f.total_gross_kg)} KGS", "", "")],
                    "9b": [(b.money(f.fob_value), "fob_value", canon_number(f.fob_value))],
                }
            )
        return out

    def layout_height(size: int, gap: int) -> int:
        lh = int(size * 1.3)
        return sum(max(len(v) for v in row.values()) * lh + gap for row in cells(size)) + lh + 20

    room = S_ITEMS_B - S_HEAD_B - 16
    size, gap = 21, 14
    while size > 14 and layout_height(size, gap) > room:
        size -= 1
        gap = 8 if size < 19 else gap
    lh = int(size * 1.3)
    y = S_HEAD_B + size + 14
    item_rows = cells(size)
    for r, row in enumerate(item_rows):
        total_row = many and r == len(item_rows) - 1
        if total_row:
            c.hline(xs[2] + 6, xs[9] - 6, y - size - 6, 1)
        for key, lines in row.items():
            i = keys.index(key)
            x0, x1 = xs[i], xs[i + 1]
            for k, (text, name, canonical) in enumerate(lines):
                sz = c.fit(text, x1 - x0 - 14, size, family=S_VALUE, bold=total_row)
                right = key in ("9a", "9b")
                tx = x1 - 8 - c.measure(text, sz, family=S_VALUE, bold=total_row) if right else x0 + 8
                if key in ("5", "8"):
                    tx = (x0 + x1) / 2 - c.measure(text, sz, family=S_VALUE) / 2
                if name:
                    put(name, tx, y + k * lh, text, canonical, sz, bold=total_row)
                else:
                    typed(tx, y + k * lh, text, sz, bold=total_row)
        y += max(len(v) for v in row.values()) * lh + gap
    stars = "*" * 12
    typed(xs[3] + 8, y, stars, size)

    # -- box 11: declaration by the exporter ---------------------------------------------------------------
    y = caption(SX0, S_SPLIT, S_ITEMS_B, "11")
    lw = S_SPLIT - SX0 - 30
    mid = (SX0 + S_SPLIT) / 2

    def para(x: float, y: float, text: str, width: float) -> int:
        for line in c.wrap(text, width, 15, family=S_LABEL):
            c.text(x, y, line, 15, family=S_LABEL)
            y += 20
        return int(y)

    y = para(
        SX0 + 14,
        y,
        "The undersigned hereby declares that the above details and statements are correct; that all the "
        "products were produced in",
        lw,
    )
    y += 16
    produced = S_COUNTRY[country]
    typed(mid - c.measure(produced, vs, family=S_VALUE) / 2, y, produced)
    c.text(mid, y + 22, "(Country)", 13, family=S_LABEL, align="center")
    y = para(
        SX0 + 14,
        y + 52,
        "and that they comply with the rules of origin, as provided in the ASEAN-China Free Trade Area "
        "Preferential Tariff for the products exported to",
        lw,
    )
    y += 16
    importing = S_COUNTRY["VN" if country == "CN" else "CN"]
    typed(mid - c.measure(importing, vs, family=S_VALUE) / 2, y, importing)
    c.text(mid, y + 22, "(Importing Party)", 13, family=S_LABEL, align="center")
    seller = f.seller
    ring = seller.name if seller.country == "CN" else seller.name.upper()
    draw_stamp(c, S_SPLIT - 170, SY1 - 190, 80, ring, "*" if seller.country == "CN" else seller.tax_code, rng)
    draw_signature(c, SX0 + 300, SY1 - 150, 180, rng)
    where = f"{city}, {b.date(f.invoice_date)}"
    typed(SX0 + 24, SY1 - 64, where, fit(where, S_SPLIT - SX0 - 260))
    c.hline(SX0 + 20, S_SPLIT - 20, SY1 - 50, 1)
    c.text(
        mid, SY1 - 24, "Place and date, signature of authorised signatory", 13, family=S_LABEL, align="center"
    )

    # -- box 12: certification, with the place and date of issue at its top --------------------------------
    y = caption(S_SPLIT, SX1, S_ITEMS_B, "12")
    y = para(
        S_SPLIT + 14,
        y,
        "It is hereby certified, on the basis of control carried out, that the declaration by the exporter "
        "is correct.",
        SX1 - S_SPLIT - 30,
    )
    y += 30
    place_cap = f"Place of issue / {local['place']}:"
    date_cap = f"Date of issue / {local['date']}:"
    issue_w = max(c.measure(place_cap, 16, family=S_LABEL), c.measure(date_cap, 16, family=S_LABEL))
    px = S_SPLIT + 14 + issue_w + 16
    label(S_SPLIT + 14, y, place_cap, 16)
    place = f"{city}, {S_COUNTRY[country]}" if rng.random() < 0.5 else city
    typed(px, y, place, fit(place, SX1 - px - 20))
    y += 40
    label(S_SPLIT + 14, y, date_cap, 16)
    put("issue_date", px, y, b.date(f.issue_date), f.issue_date.isoformat())
    rmid = (S_SPLIT + SX1) / 2
    draw_stamp(c, rmid + rng.randint(60, 160), SY1 - 200, 100, authority, "*", rng)
    draw_signature(c, S_SPLIT + 80, SY1 - 120, 190, rng)
    c.hline(S_SPLIT + 20, SX1 - 20, SY1 - 50, 1)
    c.text(rmid, SY1 - 24, "Signature and stamp of certifying authority", 13, family=S_LABEL, align="center")

    # -- under the frame: how to verify it -----------------------------------------------------------------
    if country == "CN":
        note = (
            "本证书由出口商自助打印，可在海关原产地证书核查网站验证 / "
            "Self-printed certificate: verify online by its number."
        )
    else:
        note = (
            "C/O điện tử cấp qua hệ thống eCoSys / e-C/O issued via eCoSys: verify by its reference number."
        )
    c.text(SX0, SY1 + 36, note, c.fit(note, SX1 - SX0, 15, family=S_LABEL), family=S_LABEL)


register(
    Layout(
        "fe_fresh3_selfprint",
        FORM_E,
        "train",
        S_VALUE,
        fe_fresh3_selfprint,
        numbers=("en", "en", "vi"),
        dates=("d_mon_y", "dmy_slash", "iso", "mon_d_y"),
        upper_dates=True,
        hs_dotted=(True, False),
        weight_decimals=(None, 2),
    )
)


# ==========================================================================================================
# A cross-border forwarder's trilingual consignment note: grey label columns, a vehicle and route sidebar

MX0, MX1, MY1 = 70, 1584, 2270
M_SIDE = 1010  # left edge of the sidebar
M_LABEL_W = 178  # width of the grey label column of a party box
M_GREY = (228, 228, 228)
M_PLATE = (255, 236, 150)
M_VALUE = "liberation_sans"
M_DRIVERS_VN = (
    ("Hứa Văn Dũng", "079 088 012 345", "0912 337 806"),
    ("Mông Văn Toàn", "020 091 004 518", "0983 520 174"),
    ("Chu Văn Lực", "020 087 016 902", "0369 714 225"),
    ("Đinh Công Sơn", "034 090 008 761", "0904 166 593"),
)
M_DRIVERS_CN = (
    ("覃海明", "4514 8119 8703 2215", "137 0771 4426"),
    ("李振华", "4501 0219 8511 0637", "133 2780 9152"),
    ("蒙立新", "4514 0219 9002 1843", "181 7712 6034"),
    ("潘德才", "4514 8119 7909 3526", "158 7811 2297"),
)
M_TRUCKS = ("重型半挂牵引车 / Xe đầu kéo", "半挂牵引车 / Đầu kéo sơ mi rơ moóc", "Tractor / Xe đầu kéo")


def _shade(c: Canvas, box: tuple[int, int, int, int], colour: tuple[int, int, int]) -> None:
    """Tint the paper (white pixels only) of ``box``: a form's grey field printed under text already drawn."""
    x0, y0, x1, y1 = box
    region = c.image.crop((x0, y0, x1, y1))
    mask = region.convert("L").point(lambda v: 255 if v >= 250 else 0)
    region.paste(colour, (0, 0, x1 - x0, y1 - y0), mask)
    c.image.paste(region, (x0, y0))


def cmr_fresh3_sidebar(b: Builder) -> None:
    """Title and a number | date | contract strip; parties in boxes with grey label columns (left), vehicle
    plates in plate-shaped frames and the route as a timeline (right sidebar); documents and instructions;
    a goods grid; a totals strip (with the count in Chinese capitals); place of issue; signatures."""
    f = b.facts
    rng = b.rng
    c = b.new_page()
    carrier = f.carrier

    def typed(x: float, y: float, text: str, size: int = 21, bold: bool = False, align: str = "left") -> None:
        c.text(x, y, text, size, family=M_VALUE, bold=bold, align=align)

    def put(
        name: str, x: float, y: float, printed: str, canonical: str, size: int, bold: bool = True
    ) -> None:
        b.put(c, name, x, y, printed, canonical, size=size, family=M_VALUE, bold=bold)

    def badge(x: float, y: float, n: int) -> float:
        """A circled box number (white on black) whose centre is at height ``y``; returns its right edge."""
        r = 14
        c.draw.ellipse([x, y - r, x + 2 * r, y + r], fill=INK)
        c.text(
            x + r, y + 7, str(n), 18, family="dejavu_sans", bold=True, fill=(255, 255, 255), align="center"
        )
        return x + 2 * r + 8

    def band(x0: float, x1: float, top: float, n: int, zh: str, vi: str, en: str) -> int:
        """A grey heading band over a box; returns its bottom."""
        c.rect(x0, top, x1, top + 40, width=0, outline=None, fill=M_GREY)
        c.hline(x0, x1, top + 40, 1)
        x = badge(x0 + 8, top + 20, n)
        text = f"{zh}  {vi} · {en}"
        c.text(x, top + 28, text, c.fit(text, x1 - x - 10, 19, bold=True), bold=True)
        return int(top + 40)

    # -- heading -----------------------------------------------------------------------------------------
    form_code = f"表号 / Mẫu số: GV-QT/{rng.choice(('03', '05', '07'))}"
    c.text(MX0, 72, form_code, 16)
    copy = rng.choice(
        ("第三联 随车同行 · Liên 3: Đi theo hàng", "第二联 承运人留存 · Liên 2: Người vận chuyển")
    )
    cw = c.measure(copy, 17) + 24
    c.rect(MX1 - cw, 50, MX1, 84, width=2)
    c.text(MX1 - cw / 2, 74, copy, 17, align="center")
    mid = (MX0 + MX1) / 2
    c.text(mid, 150, "国际道路货物运单", 46, bold=True, align="center")
    c.text(mid, 198, "GIẤY GỬI HÀNG ĐƯỜNG BỘ QUỐC TẾ", 30, bold=True, align="center")
    c.text(
        mid, 232, "INTERNATIONAL ROAD CONSIGNMENT NOTE  ·  VIỆT NAM - TRUNG QUỐC  ·  中越", 17, align="center"
    )

    # -- strip: number | date | contract -----------------------------------------------------------------
    top, bottom = 258, 336
    widths = (500, 560, MX1 - MX0 - 1060)
    captions = (
        ("运单号", "Số vận đơn / No."),
        ("签发日期", "Ngày lập / Date"),
        ("运输合同号", "Hợp đồng / Contract"),
    )
    x = MX0
    c.rect(MX0, top, MX1, bottom, width=2)
    for k, (w, (zh, vi)) in enumerate(zip(widths, captions, strict=True)):
        cap_w = 188
        c.rect(x, top, x + cap_w, bottom, width=0, outline=None, fill=M_GREY)
        c.vline(x + cap_w, top, bottom, 1)
        if k:
            c.vline(x, top, bottom, 2)
        c.text(x + 12, top + 32, zh, 19, bold=True)
        c.text(
            x + 12,
            top + 62,
            vi,
            c.fit(vi, cap_w - 20, 16),
        )
        vx, vw = x + cap_w + 14, w - cap_w - 28
        base = top + 50
        if k == 0:
            number = f.cmr_number
            put(
                "cmr_number",
                vx,
                base,
                number,
                canon_text(number),
                c.fit(number, vw, 28, family=M_VALUE, bold=True),
            )
        elif k == 1:
            d = f.cmr_date
            when = b.date(d)
            put("cmr_date", vx, base, when, d.isoformat(), c.fit(when, vw, 26, family=M_VALUE, bold=True))
        else:
            contract = f"{rng.randint(1, 80):02d}/{f.contract_date.year}/HĐVC-{carrier.abbr}"
            typed(vx, base, contract, c.fit(contract, vw, 22, family=M_VALUE))
        x += w

    # -- left column: parties in boxes with a grey label column ---------------------------------------------
    y = 356
    vx = MX0 + M_LABEL_W + 14
    vw = M_SIDE - vx - 16
    left_boxes: list[tuple[int, int]] = []

    def label_cell(top: int, n: int, zh: str, vi: str, en: str) -> int:
        x = badge(MX0 + 10, top + 28, n)
        c.text(x, top + 36, zh, 21, bold=True)
        yy = top + 66
        for line in c.wrap(vi, M_LABEL_W - 22, 16):
            c.text(MX0 + 12, yy, line, 16)
            yy += 21
        c.text(MX0 + 12, yy + 2, en, c.fit(en, M_LABEL_W - 22, 15), family="dejavu_condensed")
        return yy + 14

    def party(n: int, zh: str, vi: str, en: str, who: Any, name: str, top: int) -> int:
        label_bottom = label_cell(top, n, zh, vi, en)
        printed = who.name if rng.random() < 0.72 else who.name_en
        size = 24
        while size > 19 and len(c.wrap(printed, vw, size, family=M_VALUE, bold=True)) > 2:
            size -= 1
        yy = top + 36
        if name:
            yy = b.put_wrapped(c, name, vx, yy, printed, vw, size, 32, family=M_VALUE, bold=True)
        else:
            for line in c.wrap(printed, vw, size, family=M_VALUE, bold=True):
                typed(vx, yy, line, size, bold=True)
                yy += 32
        address = who.address if printed == who.name else who.address_en
        for line in c.wrap(address, vw, 19, family=M_VALUE)[:2]:
            typed(vx, yy, line, 19)
            yy += 26
        tax = f"MST: {who.tax_code}" if who.country == "VN" else f"统一社会信用代码: {who.tax_code}"
        typed(vx, yy, f"{tax}   ĐT/电话: {who.phone}", c.fit(f"{tax}   ĐT/电话: {who.phone}", vw, 18))
        return max(yy + 22, label_bottom)

    parties = (
        (1, "托运人", "Người gửi hàng", "Consignor", f.seller, "consignor_name"),
        (2, "收货人", "Người nhận hàng", "Consignee", f.buyer, "consignee_name"),
        (3, "承运人", "Đơn vị vận chuyển", "Carrier", carrier, ""),
    )
    for n, zh, vi, en, who, name in parties:
        bottom = party(n, zh, vi, en, who, name, y)
        left_boxes.append((y, bottom))
        y = bottom

    # 6. documents attached, 7. the sender's instructions (still in the left column).
    def text_box(n: int, zh: str, vi: str, en: str, lines: list[str], top: int) -> int:
        label_bottom = label_cell(top, n, zh, vi, en)
        yy = top + 36
        for line in lines:
            for part in c.wrap(line, vw, 19, family=M_VALUE):
                typed(vx, yy, part, 19)
                yy += 27
        return max(yy, label_bottom)

    docs = [
        f"Hóa đơn / 发票 / Invoice: {f.invoice_number}",
        f"Phiếu đóng gói / 装箱单 / Packing list: {f.packing_list_number}",
        f"C/O mẫu E / 原产地证 Form E: {f.certificate_number}",
    ]
    bottom = text_box(6, "随附单证", "Chứng từ kèm theo", "Documents attached", docs, y)
    left_boxes.append((y, bottom))
    y = bottom
    fresh = all(line.good.en.lower().startswith("fresh") for line in f.lines)
    instruction = (
        rng.choice(("Hàng tươi, giữ lạnh 2-8°C / 鲜果冷藏 2-8°C", "Giao ngay trong ngày / 当日送达"))
        if fresh
        else rng.choice(
            ("Tránh ẩm, không xếp chồng quá 3 tầng / 防潮，堆码不超过三层", "Hàng dễ vỡ / 小心轻放")
        )
    )
    bottom = text_box(7, "托运人指示", "Chỉ dẫn của người gửi", "Sender's instructions", [instruction], y)
    left_boxes.append((y, bottom))
    left_bottom = bottom

    # -- sidebar: vehicle ----------------------------------------------------------------------------------
    sx0, sx1 = M_SIDE, MX1
    y = band(sx0, sx1, 356, 4, "车辆", "Phương tiện", "Vehicle")
    plate_x0, plate_x1 = sx0 + 206, sx1 - 22
    for zh, vi, en, name, canonical in (
        ("牵引车", "Xe đầu kéo", "Tractor", "vehicle_plate", f.vehicle_plate),
        ("挂车", "Rơ moóc / Sơ mi", "Trailer", "trailer_plate", f.trailer_plate),
    ):
        top = y + 16
        c.text(sx0 + 16, top + 24, zh, 20, bold=True)
        c.text(sx0 + 16, top + 48, vi, 16)
        c.text(sx0 + 16, top + 70, en, 15, family="dejavu_condensed")
        c.draw.rounded_rectangle(
            [plate_x0, top, plate_x1, top + 76], radius=10, fill=M_PLATE, outline=INK, width=3
        )
        for sx in (plate_x0 + 14, plate_x1 - 22):
            c.draw.ellipse([sx, top + 8, sx + 8, top + 16], outline=INK, width=1)
        printed = b.plate(canonical)
        size = c.fit(printed, plate_x1 - plate_x0 - 56, 38, family=M_VALUE, bold=True)
        px = (plate_x0 + plate_x1) / 2 - c.measure(printed, size, family=M_VALUE, bold=True) / 2
        put(name, px, top + 52, printed, canonical, size)
        y = top + 76
    y += 40
    if f.plate_country == "VN":
        driver, card, phone = rng.choice(M_DRIVERS_VN)
        card_label = "CCCD/身份证"
    else:
        driver, card, phone = rng.choice(M_DRIVERS_CN)
        card_label = "身份证/CCCD"
    for cap, value in (
        ("司机 / Lái xe:", driver),
        (f"{card_label}:", card),
        ("电话 / ĐT:", phone),
        ("车型 / Loại xe:", rng.choice(M_TRUCKS)),
    ):
        c.text(sx0 + 16, y, cap, 18)
        typed(sx0 + 176, y, value, c.fit(value, sx1 - sx0 - 196, 20, family=M_VALUE))
        y += 32
    y += 6
    c.hline(sx0, sx1, y, 2)

    # -- sidebar: the route as a timeline --------------------------------------------------------------------
    y = band(sx0, sx1, y, 5, "运输路线", "Hành trình", "Route")
    place_mode = rng.choice(("native", "vi", "en"))

    def place_text(place: Any) -> str:
        if place_mode == "native":
            return str(place.zh if str(place.zh).startswith("中国") else place.vi)
        return str(getattr(place, place_mode))

    gate = f.gate
    crossing = f"{gate.vi} (VN) - {gate.zh} (CN)" if place_mode != "en" else f"{gate.en} - {gate.cn_side.en}"
    nodes = (
        ("装货地点 · Nơi xếp hàng · Place of loading", place_text(f.place_of_loading), "place_of_loading"),
        ("出入境口岸 · Cửa khẩu · Border crossing", crossing, ""),
        (
            "卸货地点 · Nơi giao hàng · Place of delivery",
            place_text(f.place_of_delivery),
            "place_of_delivery",
        ),
    )
    dot_x = sx0 + 30
    tx = sx0 + 58
    tw = sx1 - tx - 18
    centres: list[int] = []
    y += 34
    for cap, value, name in nodes:
        centres.append(y - 6)
        c.text(tx, y, cap, c.fit(cap, tw, 16), fill=(70, 70, 70))
        yy = y + 34
        if name:
            yy = b.put_wrapped(c, name, tx, yy, value, tw, 23, 31, family=M_VALUE, bold=True)
        else:
            for line in c.wrap(value, tw, 21, family=M_VALUE):
                typed(tx, yy, line, 21)
                yy += 29
        y = yy + 18
    c.vline(dot_x + 8, centres[0], centres[-1], 3)
    for k, cy in enumerate(centres):
        filled = k != 1
        paper = (255, 255, 255)
        c.draw.ellipse(
            [dot_x, cy - 8, dot_x + 16, cy + 8], fill=INK if filled else paper, outline=INK, width=3
        )
    right_bottom = y - 4

    # -- close the two columns at the same height ----------------------------------------------------------
    zone_bottom = max(left_bottom, right_bottom) + 8
    for k, (top, bottom) in enumerate(left_boxes):
        end = zone_bottom if k == len(left_boxes) - 1 else bottom
        _shade(c, (MX0, top, MX0 + M_LABEL_W, end), M_GREY)
        c.vline(MX0 + M_LABEL_W, top, end, 1)
        if k:
            c.hline(MX0, M_SIDE, top, 2)
    c.rect(MX0, 356, MX1, zone_bottom, width=2)
    c.vline(M_SIDE, 356, zone_bottom, 2)

    # -- goods grid ----------------------------------------------------------------------------------------
    y = band(MX0, MX1, zone_bottom + 18, 8, "货物明细", "Chi tiết hàng hóa", "Particulars of goods")
    c.rect(MX0, zone_bottom + 18, MX1, y, width=2)
    cols = (
        ("序号", "STT", "No.", 70),
        ("唛头", "Ký hiệu", "Marks", 140),
        ("件数及包装", "Số lượng, loại kiện", "Packages", 250),
        ("货物名称", "Tên hàng", "Description of goods", 610),
        ("毛重(公斤)", "T.lượng cả bì (kg)", "Gross weight", 230),
        ("体积(m³)", "Thể tích", "Volume", MX1 - MX0 - 1300),
    )
    gx = [MX0]
    for *_, w in cols:
        gx.append(gx[-1] + w)
    head_top = y
    for i, (zh, vi, en, _) in enumerate(cols):
        cx = (gx[i] + gx[i + 1]) / 2
        c.text(cx, head_top + 26, zh, 18, bold=True, align="center")
        c.text(cx, head_top + 50, vi, c.fit(vi, gx[i + 1] - gx[i] - 10, 15), align="center")
        c.text(
            cx,
            head_top + 72,
            en,
            c.fit(en, gx[i + 1] - gx[i] - 10, 14, family="dejavu_condensed"),
            family="dejavu_condensed",
            align="center",
        )
    y = head_top + 84
    c.hline(MX0, MX1, y, 2)
    many = len(f.lines) > 4
    mode = rng.choice(("vi", "zh", "en") if many else ("zh_vi", "zh_vi", "vi", "zh"))
    size = 20 if many else 21
    lh = int(size * 1.38)
    rows_top = y
    for i, line in enumerate(f.lines):
        good = line.good
        names = {"zh_vi": [good.zh, good.vi], "vi": [good.vi], "zh": [good.zh], "en": [good.en]}[mode]
        desc: list[str] = []
        for text in names:
            desc += c.wrap(text, gx[4] - gx[3] - 20, size, family=M_VALUE)
        pack = PACKAGES[good.package]
        volume = (Decimal(line.packages) * Decimal("0.052")).quantize(Decimal("0.01"))
        cells = {
            0: [str(i + 1)],
            1: ["N/M"] if i == 0 else [],
            2: [f"{b.num(line.packages)} {pack['zh']} / {pack['vi']}"],
            3: desc,
            4: [b.weight(line.gross_kg)],
            5: [b.num(volume, 2)],
        }
        n = max(len(v) for v in cells.values())
        for col, texts in cells.items():
            for k, text in enumerate(texts):
                base = y + 14 + size + k * lh
                sz = c.fit(text, gx[col + 1] - gx[col] - 18, size, family=M_VALUE)
                if col in (4, 5):
                    typed(gx[col + 1] - 10, base, text, sz, align="right")
                elif col == 0:
                    typed((gx[0] + gx[1]) / 2, base, text, sz, align="center")
                else:
                    typed(gx[col] + 10, base, text, sz)
        y += n * lh + 18
        c.hline(MX0, MX1, y, 1)
    blank = 46
    grid_end = MY1 - 96 - 104 - 330  # totals, agreements and the signatures keep their room
    while y + blank <= grid_end or y < rows_top + 2 * blank:  # the form's empty rows
        y += blank
        c.hline(MX0, MX1, y, 1)
    for xx in gx[1:-1]:
        c.vline(xx, head_top, y, 1)
    c.vline(MX0, head_top, y, 2)
    c.vline(MX1, head_top, y, 2)

    # -- totals strip --------------------------------------------------------------------------------------
    top = y
    h = 96
    tcol = (MX0, MX0 + 230, MX0 + 620, MX0 + 1040, MX1)
    c.rect(MX0, top, MX1, top + h, width=2)
    c.rect(MX0, top, tcol[1], top + h, width=0, outline=None, fill=M_GREY)
    for xx in tcol[1:-1]:
        c.vline(xx, top, top + h, 1)
    bx = badge(MX0 + 10, top + 30, 9)
    c.text(bx, top + 38, "合计", 21, bold=True)
    c.text(MX0 + 12, top + 68, "Tổng cộng · Total", 16)
    unit_zh = (
        PACKAGES[f.lines[0].good.package]["zh"] if len({ln.good.package for ln in f.lines}) == 1 else "件"
    )
    unit_vi = PACKAGES[f.lines[0].good.package]["vi"] if unit_zh != "件" else "kiện"
    c.text(tcol[1] + 12, top + 24, "总件数 / Tổng số kiện", 16, fill=(70, 70, 70))
    packages = b.num(f.total_packages)
    size = 30
    put("total_packages", tcol[1] + 14, top + 72, packages, canon_number(f.total_packages), size)
    typed(
        tcol[1] + 24 + c.measure(packages, size, family=M_VALUE, bold=True),
        top + 72,
        f"{unit_zh} / {unit_vi}",
        20,
    )
    c.text(tcol[2] + 12, top + 24, "总毛重 / Tổng trọng lượng cả bì", 16, fill=(70, 70, 70))
    gross = b.weight(f.total_gross_kg)
    put("total_gross_weight_kg", tcol[2] + 14, top + 72, gross, canon_number(f.total_gross_kg), size)
    typed(tcol[2] + 24 + c.measure(gross, size, family=M_VALUE, bold=True), top + 72, "kg", 20)
    c.text(tcol[3] + 12, top + 24, "件数大写 / Số kiện bằng chữ", 16, fill=(70, 70, 70))
    capital = f"{zh_capital(f.total_packages)}{unit_zh}整"
    c.text(tcol[3] + 14, top + 70, capital, c.fit(capital, MX1 - tcol[3] - 28, 24))
    top += h

    # -- 10 special agreements and freight | 11 place of issue ---------------------------------------------
    h = 104
    half = MX0 + 900
    c.rect(MX0, top, MX1, top + h, width=2)
    c.vline(half, top, top + h, 2)
    bx = badge(MX0 + 10, top + 26, 10)
    c.text(bx, top + 34, "特别约定及运费 / Thỏa thuận đặc biệt, cước phí", 17, bold=True)
    freight = rng.choice(
        (
            f"Cước phí người gửi trả / 运费由托运人支付 ({f.incoterm})",
            "Cước phí người nhận trả / 运费到付",
            "Thanh toán theo hợp đồng / 按合同结算",
        )
    )
    typed(MX0 + 20, top + 80, freight, c.fit(freight, half - MX0 - 40, 20, family=M_VALUE))
    bx = badge(half + 10, top + 26, 11)
    c.text(bx, top + 34, "签发地点 / Nơi lập", 17, bold=True)
    if f.plate_country == "VN":
        where = rng.choice(("Lạng Sơn, Việt Nam", "Đồng Đăng, Lạng Sơn", "TP. Lạng Sơn"))
    else:
        where = rng.choice(("凭祥 Bằng Tường", "中国广西凭祥", "Pingxiang, Guangxi"))
    typed(half + 20, top + 80, where, 21)
    top += h

    # -- signatures ----------------------------------------------------------------------------------------
    third = (MX1 - MX0) // 3
    xs = [MX0, MX0 + third, MX0 + 2 * third, MX1]
    c.rect(MX0, top, MX1, MY1, width=2)
    signs = (
        (12, "托运人签章", "Người gửi hàng ký, đóng dấu"),
        (13, "承运人/司机签字", "Người vận chuyển / lái xe ký"),
        (14, "收货人签收", "Người nhận hàng ký nhận"),
    )
    for k, (n, zh, vi) in enumerate(signs):
        if k:
            c.vline(xs[k], top, MY1, 2)
        bx = badge(xs[k] + 10, top + 26, n)
        c.text(bx, top + 34, zh, 18, bold=True)
        c.text(xs[k] + 14, top + 62, vi, c.fit(vi, third - 28, 16))
        c.text(xs[k + 1] - 16, MY1 - 16, "年    月    日 / ngày    tháng    năm", 15, align="right")
    room = MY1 - top
    sy = top + max(110, min(180, room // 2 + 20))
    radius = max(60, min(95, room // 2 - 50))
    seller = f.seller
    ring = seller.name.upper() if seller.country == "VN" else seller.name
    centre = seller.tax_code if seller.country == "VN" else "*"
    draw_stamp(c, xs[0] + third / 2 + rng.randint(10, 60), sy, radius, ring, centre, rng)
    draw_signature(c, xs[0] + 70, sy + 10, 180, rng)
    ring = carrier.name.upper() if carrier.country == "VN" else carrier.name
    centre = carrier.tax_code if carrier.country == "VN" else "*"
    draw_stamp(c, xs[1] + third / 2 + rng.randint(20, 70), sy, radius, ring, centre, rng)
    draw_signature(c, xs[1] + 80, sy + 14, 170, rng)
    typed(xs[1] + third / 2, min(sy + 90, MY1 - 40), driver, 19, align="center")


register(
    Layout(
        "cmr_fresh3_sidebar",
        CMR,
        "train",
        "dejavu_sans",
        cmr_fresh3_sidebar,
        numbers=("en", "vi", "vi"),
        groups=(True, False),
        dates=("dmy_slash", "zh", "vi", "dmy_dash", "iso"),
    )
)
