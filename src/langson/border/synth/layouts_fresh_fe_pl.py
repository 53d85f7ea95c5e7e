"""Fresh training layouts (fe_pl), written without reference to the held-out set.

``fe_ccpit_boxes``: a Form E on the issuing office's own printed form, labels in English with the issuing
country's language beside them (Chinese on a Chinese certificate, Vietnamese on a Vietnamese one). A title
band runs across the top with the reference number in a ruled box at the top right and "Issued in" under
it; boxes 1 and 2 sit side by side; box 3 holds the route as typed sentences ("BY TRUCK NO. … / FROM … TO …
VIA …"); boxes 4 and 13 are stacked right of box 3; the item heads 5–10 carry both languages; the item text
puts the goods first, then the packages, then the HS code; box 12 has the place and date typed *under* the
signature line. Long shipments go to a continuation sheet (or are typed smaller on a one-image file).

``pl_wide_totals``: a packing list with a wide table of ten columns (marks, description, quantity, packages,
package type, net and gross weight per package under one spanning heading, line totals under another,
measurement) whose recorded weights are the line totals; the number and date in a right-aligned block at
the top right, the invoice reference in a strip of label-over-value cells, a "TOTAL:" row and a
"SAY TOTAL … ONLY." sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from langson.border.schema import FORM_E, PACKING_LIST
from langson.border.synth.render import (
    PACKAGES,
    UNITS,
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

# ==========================================================================================================
# Form E, issuing office's form: title band, boxes 1 | 2, box 3 | boxes 4 over 13, items, boxes 11 | 12

FX0, FX1, FY0, FY1 = 70, 1584, 70, 2270
F_SPLIT = 827  # between the left and the right boxes
F_REF_X = 1090  # left edge of the reference box in the title band
F_HEAD_B = 330  # bottom of the title band
F_ROW1_B = 610  # bottom of boxes 1 and 2
F_BOX13_T = 835  # top of box 13 (under box 4)
F_ROW2_B = 940  # bottom of boxes 3, 4 and 13
F_ITEMS_B = 1700  # bottom of the items (boxes 5–10)
F_COLS = (92, 168, 520, 150, 300, 284)  # widths of boxes 5–10
F_LABEL = "dejavu_condensed"
F_VALUE = "dejavu_mono"

F_EN = {
    "1": "1. Goods consigned from (Exporter's business name, address, country)",
    "2": "2. Goods consigned to (Importer's/Consignee's name, address, country)",
    "3": "3. Means of transport and route (as far as known)",
    "4": "4. For Official Use",
    "5": "5. Item number",
    "6": "6. Marks and numbers on packages",
    "7": "7. Number and type of packages, description of goods (including quantity where appropriate "
    "and HS number of the importing Party)",
    "8": "8. Origin criteria (see Notes overleaf)",
    "9": "9. Gross weight or other quantity and value (FOB) only when RVC criterion is used",
    "10": "10. Number and date of invoices",
    "11": "11. Declaration by the exporter",
    "12": "12. Certification",
}
F_SECOND = {
    "CN": {
        "1": "出口商名称、地址、国家",
        "2": "收货人名称、地址、国家",
        "3": "运输方式及路线（就所知而言）",
        "4": "供官方使用",
        "5": "项目编号",
        "6": "唛头及包装编号",
        "7": "包装件数及种类、货物名称、进口方HS编码",
        "8": "原产地标准",
        "9": "毛重或其他数量及FOB价格",
        "10": "发票号码及日期",
        "11": "出口商声明",
        "12": "证明",
        "ref": "证书编号",
        "title": "中国—东盟自由贸易区优惠原产地证明书",
        "continued": "续页",
    },
    "VN": {
        "1": "Người xuất khẩu (tên, địa chỉ, nước)",
        "2": "Người nhận hàng (tên, địa chỉ, nước)",
        "3": "Phương tiện vận tải và tuyến đường",
        "4": "Dành cho cơ quan có thẩm quyền",
        "5": "Số thứ tự",
        "6": "Ký hiệu, số hiệu kiện",
        "7": "Số, loại kiện; mô tả hàng hóa; mã HS",
        "8": "Tiêu chí xuất xứ",
        "9": "Trọng lượng hoặc lượng khác; trị giá FOB",
        "10": "Số và ngày hóa đơn",
        "11": "Khai báo của người xuất khẩu",
        "12": "Chứng nhận",
        "ref": "Số tham chiếu",
        "title": "GIẤY CHỨNG NHẬN XUẤT XỨ HÀNG HÓA MẪU E",
        "continued": "Tờ tiếp theo",
    },
}
F_BOX13 = {
    "CN": (
        ("Issued Retroactively", "补发"),
        ("Exhibition", "展览"),
        ("Movement Certificate", "背对背证书"),
        ("Third Party Invoicing", "第三方发票"),
    ),
    "VN": (
        ("Issued Retroactively", "Cấp sau"),
        ("Exhibition", "Triển lãm"),
        ("Movement Certificate", "C/O giáp lưng"),
        ("Third Party Invoicing", "Hóa đơn bên thứ ba"),
    ),
}
F_ISSUED_IN = {"CN": "THE PEOPLE'S REPUBLIC OF CHINA", "VN": "VIET NAM"}
F_COUNTRY = {"CN": "CHINA", "VN": "VIET NAM"}
F_CITIES = {"CN": ("PINGXIANG", "NANNING", "CHONGZUO"), "VN": ("LANG SON", "HA NOI")}
F_AUTHORITIES = {
    "CN": ("中华人民共和国凭祥海关", "中国国际贸易促进委员会广西壮族自治区分会", "中华人民共和国南宁海关"),
    "VN": ("PHÒNG QUẢN LÝ XUẤT NHẬP KHẨU KHU VỰC LẠNG SƠN", "BỘ CÔNG THƯƠNG - CỤC XUẤT NHẬP KHẨU"),
}
# The Chinese name of the crossing facing each Vietnamese border gate, as typed on a route line.
F_CN_CROSSING = {"huu_nghi": "YOUYIGUAN", "tan_thanh": "PUZHAI", "chi_ma": "AIDIAN"}


@dataclass
class _Cell:
    """One typed line in an item column: its text and, when it is a recorded value, the field and value."""

    text: str
    field: str = ""
    canonical: str = ""
    quoted: bool = False  # the origin criterion between quotation marks that are not part of the value


def _wrap_lines(c: Canvas, text: str, width: float, size: int, family: str) -> list[str]:
    return c.wrap(text, width, size, family=family)


def fe_ccpit_boxes(b: Builder) -> None:
    f = b.facts
    country = f.origin_country
    second = F_SECOND[country]
    c = b.new_page()
    dx, dy = b.rng.randint(-6, 6), b.rng.randint(-5, 5)  # the form fed into the printer a little askew
    vs = 22  # typed value size
    ls, ss = 17, 15  # label size, second-language label size
    city = b.rng.choice(F_CITIES[country])
    authority = b.rng.choice(F_AUTHORITIES[country])
    quoted = b.rng.random() < 0.5

    def label(x: float, y: float, text: str, size: int = ls, bold: bool = False) -> None:
        c.text(x, y, text, size, family=F_LABEL, bold=bold)

    def typed(x: float, y: float, text: str, size: int | None = None) -> Box | None:
        return c.text(x + dx, y + dy, text, size or vs, family=F_VALUE)

    def put(
        name: str, x: float, y: float, printed: str, canonical: str, size: int | None = None
    ) -> Box | None:
        return b.put(c, name, x + dx, y + dy, printed, canonical, size=size or vs, family=F_VALUE)

    def fit(text: str, width: float, size: int | None = None) -> int:
        return c.fit(text, width, size or vs, family=F_VALUE)

    # -- frame and rules ---------------------------------------------------------------------------------
    c.rect(FX0, FY0, FX1, FY1, width=3)
    c.hline(FX0, FX1, F_HEAD_B, 2)
    c.vline(F_REF_X, FY0, F_HEAD_B, 2)
    c.hline(F_REF_X, FX1, FY0 + 130, 2)
    c.vline(F_SPLIT, F_HEAD_B, F_ROW2_B, 2)
    c.hline(FX0, FX1, F_ROW1_B, 2)
    c.hline(F_SPLIT, FX1, F_BOX13_T, 2)
    c.hline(FX0, FX1, F_ROW2_B, 2)
    c.hline(FX0, FX1, F_ITEMS_B, 2)
    c.vline(F_SPLIT, F_ITEMS_B, FY1, 2)

    # -- title band: title on the left, reference number and "Issued in" in the box at the top right -----
    cx = (FX0 + F_REF_X) / 2
    c.text(cx, FY0 + 52, "ASEAN-CHINA FREE TRADE AREA", 30, family=F_LABEL, bold=True, align="center")
    title2 = "PREFERENTIAL TARIFF CERTIFICATE OF ORIGIN"
    c.text(
        cx,
        FY0 + 92,
        title2,
        c.fit(title2, 960, 30, family=F_LABEL, bold=True),
        family=F_LABEL,
        bold=True,
        align="center",
    )
    c.text(cx, FY0 + 134, second["title"], 24 if country == "CN" else 22, family=F_LABEL, align="center")
    c.text(cx, FY0 + 170, "(Combined Declaration and Certificate)", 19, family=F_LABEL, align="center")
    c.text(cx, FY0 + 232, "FORM E", 46, family=F_LABEL, bold=True, align="center")
    ref_label = b.rng.choice(("Reference No.", "Certificate No.", "Ref. No."))
    rx = F_REF_X + 14
    label(rx, FY0 + 32, f"{ref_label}  {second['ref']}")
    number = f.certificate_number
    put(
        "certificate_number",
        rx + 6,
        FY0 + 96,
        number,
        canon_text(number),
        size=fit(number, FX1 - rx - 30, 30),
    )
    label(rx, FY0 + 178, "Issued in")
    issued = F_ISSUED_IN[country]
    ix = rx + c.measure("Issued in", ls, family=F_LABEL) + 16
    typed(ix + 6, FY0 + 176, issued, fit(issued, FX1 - ix - 30))
    c.hline(ix, FX1 - 20, FY0 + 186, 1)
    c.text((ix + FX1) / 2, FY0 + 210, "(Country)", ss, family=F_LABEL, align="center")
    c.text((F_REF_X + FX1) / 2, F_HEAD_B - 14, "See Notes Overleaf", ss, family=F_LABEL, align="center")

    # -- boxes 1 and 2, side by side ---------------------------------------------------------------------
    def party_box(x0: float, x1: float, key: str, party: Any, name: str) -> None:
        width = x1 - x0 - 28
        label(x0 + 10, F_HEAD_B + 26, c.wrap(F_EN[key], width + 10, ls, family=F_LABEL)[0])
        label(x0 + 10, F_HEAD_B + 50, second[key], ss)
        y = F_HEAD_B + 94
        for line in _wrap_lines(c, party.name_en, width, vs, F_VALUE):
            put(name, x0 + 14, y, line, canon_text(party.name_en))
            y += int(vs * 1.3)
        for line in _wrap_lines(c, party.address_en.upper(), width, vs - 2, F_VALUE):
            typed(x0 + 14, y, line, vs - 2)
            y += int(vs * 1.2)
        if y + vs < F_ROW1_B - 10:
            typed(x0 + 14, y, f"TEL: {party.phone}", vs - 2)

    party_box(FX0, F_SPLIT, "1", f.seller, "exporter_name")
    party_box(F_SPLIT, FX1, "2", f.buyer, "importer_name")

    # -- box 3: transport and route as typed sentences ---------------------------------------------------
    label(FX0 + 10, F_ROW1_B + 26, F_EN["3"])
    label(FX0 + 10, F_ROW1_B + 50, second["3"], ss)
    lw = F_SPLIT - FX0 - 28
    y = F_ROW1_B + 96
    typed(FX0 + 14, y, f"DEPARTURE DATE: {b.date(f.cmr_date)}")
    y += int(vs * 1.75)
    prefix = b.rng.choice(("BY TRUCK NO. ", "BY ROAD, TRUCK NO. ", "BY LORRY "))
    typed(FX0 + 14, y, prefix)
    box = put(
        "vehicle_plate",
        FX0 + 14 + c.measure(prefix, vs, family=F_VALUE),
        y,
        b.plate(f.vehicle_plate),
        f.vehicle_plate,
    )
    if box and b.rng.random() < 0.4:
        trailer = f"/ {b.plate(f.trailer_plate)}"
        if box[2] - dx + 12 + c.measure(trailer, vs, family=F_VALUE) < F_SPLIT - 14:
            typed(box[2] - dx + 12, y, trailer)
    y += int(vs * 1.45)
    cn_side = F_CN_CROSSING.get(f.gate.key, f.gate.cn_side.en.upper())
    via = f"{f.gate.en.upper()} / {cn_side}" if country == "VN" else f"{cn_side} / {f.gate.en.upper()}"
    route = f"FROM {f.place_of_loading.en.upper()} TO {f.place_of_delivery.en.upper()} VIA {via}"
    for line in _wrap_lines(c, route, lw, vs, F_VALUE)[:3]:
        typed(FX0 + 14, y, line)
        y += int(vs * 1.3)

    # -- box 4 over box 13 -------------------------------------------------------------------------------
    rx = F_SPLIT + 10
    label(rx, F_ROW1_B + 26, f"{F_EN['4']}  {second['4']}")
    y = F_ROW1_B + 62
    for text in (
        "Preferential Treatment Given Under ASEAN-China Free Trade Area Preferential Tariff",
        "Preferential Treatment Not Given (Please state reason/s)",
    ):
        c.checkbox(rx + 6, y - 16, 18)
        for line in c.wrap(text, FX1 - rx - 60, 16, family=F_LABEL):
            c.text(rx + 36, y, line, 16, family=F_LABEL)
            y += 21
        y += 6
    c.hline(rx + 30, FX1 - 30, F_BOX13_T - 34, 1)
    c.text(
        (F_SPLIT + FX1) / 2,
        F_BOX13_T - 12,
        "Signature of Authorised Signatory of the Importing Party",
        ss,
        family=F_LABEL,
        align="center",
    )
    label(rx, F_BOX13_T + 30, "13.", bold=True)
    for k, (en, local) in enumerate(F_BOX13[country]):
        bx = rx + 50 + (k % 2) * 340
        by = F_BOX13_T + 40 + (k // 2) * 42
        c.checkbox(bx, by - 17, 18)
        c.text(bx + 28, by, f"{en}  {local}", 16, family=F_LABEL)

    # -- items: heads 5–10 -------------------------------------------------------------------------------
    xs = [FX0]
    for w in F_COLS:
        xs.append(xs[-1] + w)
    xs[-1] = FX1

    def heads(canvas: Canvas, top: int) -> int:
        """Both languages of each item head; returns the y of the rule under them."""
        blocks = []
        for k in range(6):
            key = str(k + 5)
            width = xs[k + 1] - xs[k] - 14
            en = canvas.wrap(F_EN[key], width, 15, family=F_LABEL)
            local = canvas.wrap(second[key], width, 14, family=F_LABEL)
            blocks.append((en, local))
        n = max(len(en) + len(local) for en, local in blocks)
        for k, (en, local) in enumerate(blocks):
            yy = top + 22
            for line in en:
                canvas.text(xs[k] + 7, yy, line, 15, family=F_LABEL)
                yy += 19
            for line in local:
                canvas.text(xs[k] + 7, yy, line, 14, family=F_LABEL)
                yy += 19
        bottom = top + 22 + n * 19
        canvas.hline(FX0, FX1, bottom - 8, 1)
        return bottom - 8

    head_b = heads(c, F_ROW2_B)

    # -- items: what each line types in boxes 5–10 -------------------------------------------------------
    cur = b.currency()
    many = len(f.lines) > 1
    destination = f.place_of_delivery.en.split(",")[0].upper()
    marks = b.rng.choice((["N/M"], ["NO MARKS"], [f.buyer.abbr, destination]))
    crit = f.origin_criterion

    def blocks(size: int, compact: bool) -> list[dict[int, list[_Cell]]]:
        out: list[dict[int, list[_Cell]]] = []
        for i, line in enumerate(f.lines):
            kind = PACKAGES[line.good.package]["en"]
            count = b.num(line.packages)
            pkgs = f"{count} {kind}" if compact else f"{count} ({words(line.packages)}) {kind}"
            desc = _wrap_lines(c, line.good.en.upper(), xs[3] - xs[2] - 20, size, F_VALUE)
            desc += _wrap_lines(c, pkgs, xs[3] - xs[2] - 20, size, F_VALUE)
            desc.append(f"H.S. CODE: {b.hs(line.good.hs8)}")
            col9 = [_Cell(f"G.W. {b.weight(line.gross_kg)} KGS")]
            if many:
                col9.append(_Cell(f"FOB {cur} {b.money(line.amount)}"))
            else:
                col9.append(_Cell(f"FOB {cur} "))
                col9.append(_Cell(b.money(f.fob_value), "fob_value", canon_number(f.fob_value)))
            cells: dict[int, list[_Cell]] = {
                0: [_Cell(str(i + 1))],
                2: [_Cell(t) for t in desc],
                3: [_Cell(crit, "origin_criterion" if i == 0 else "", canon_text(crit), quoted)],
                4: col9,
            }
            if i == 0:
                cells[1] = [_Cell(t) for t in marks]
                cells[5] = [
                    _Cell(f.invoice_number, "invoice_number", canon_text(f.invoice_number)),
                    _Cell(b.date(f.invoice_date)),
                ]
            out.append(cells)
        if many:
            kinds = {line.good.package for line in f.lines}
            unit = PACKAGES[next(iter(kinds))]["en"] if len(kinds) == 1 else "PACKAGES"
            out.append(
                {
                    2: [_Cell(f"TOTAL: {b.num(f.total_packages)} {unit}")],
                    4: [
                        _Cell("TOTAL FOB VALUE:"),
                        _Cell(f"{cur} "),
                        _Cell(b.money(f.fob_value), "fob_value", canon_number(f.fob_value)),
                    ],
                }
            )
        return out

    def rows_of(cells: dict[int, list[_Cell]]) -> int:
        """Lines a block takes (a money cell after "FOB cur " or "cur " shares that line)."""
        n = 0
        for k, col in cells.items():
            count = len(col) - (1 if k == 4 and any(cell.field for cell in col) else 0)
            n = max(n, count)
        return n

    def height(size: int, compact: bool, gap: int) -> int:
        lh = int(size * 1.3)
        return sum(rows_of(cells) * lh + gap for cells in blocks(size, compact)) + lh + 30

    room = F_ITEMS_B - head_b - 26
    size, compact, gap = vs, False, 14
    if height(size, compact, gap) > room:
        compact, gap = True, 10
        while size > 18 and height(size, compact, gap) > room:
            size -= 1
        if b.single_page:
            gap = 6
            while size > 13 and height(size, compact, gap) > room:
                size -= 1

    def continuation() -> tuple[int, int]:
        nonlocal c
        c = b.new_page()
        c.rect(FX0, FY0, FX1, FY1, width=3)
        title = f"FORM E - CONTINUATION SHEET  {second['continued']}"
        c.text((FX0 + FX1) / 2, FY0 + 48, title, 26, family=F_LABEL, bold=True, align="center")
        label(FX0 + 12, FY0 + 96, f"{ref_label}  {second['ref']}")
        c.text(FX0 + 260 + dx, FY0 + 96 + dy, f.certificate_number, vs, family=F_VALUE)
        label(FX1 - 160, FY0 + 96, f"Page {c.page}")
        top = FY0 + 120
        c.hline(FX0, FX1, top, 2)
        start = heads(c, top)
        bottom = FY1 - 260
        for xx in xs[1:-1]:
            c.vline(xx, top, bottom, 1)
        c.hline(FX0, FX1, bottom, 2)
        draw_stamp(c, F_SPLIT + 420, FY1 - 160, 95, authority, "*", b.rng)
        c.hline(F_SPLIT + 40, FX1 - 40, FY1 - 60, 1)
        c.text(
            (F_SPLIT + FX1) / 2,
            FY1 - 30,
            "Signature and stamp of certifying authority",
            ss,
            family=F_LABEL,
            align="center",
        )
        return start, bottom

    for xx in xs[1:-1]:
        c.vline(xx, F_ROW2_B, F_ITEMS_B, 1)
    lh = int(size * 1.3)
    y, bottom = head_b + size + 18, F_ITEMS_B
    items = blocks(size, compact)
    heights = [rows_of(cells) * lh + gap for cells in items]
    for k, cells in enumerate(items):
        # The last item keeps the total and the closing stars with it (no sheet holding the total alone);
        # every other item leaves a line free for the note sending the reader to the continuation sheet.
        last = k >= len(f.lines) - 1
        need = sum(heights[k:]) + lh + 30 if last else heights[k] + lh
        if y - size + need > bottom - 6 and not b.single_page:
            note = "(TO BE CONTINUED ON ATTACHED SHEET)"
            c.text(xs[2] + 10 + dx, y + dy, note, size, family=F_VALUE)
            y, bottom = continuation()
            y += size + 16
        for col, lines in cells.items():
            x: float = xs[col] + 10
            yy = y
            for cell in lines:
                sz = c.fit(cell.text, xs[col + 1] - x - 8, size, family=F_VALUE)
                if cell.quoted:
                    q = c.measure('"', sz, family=F_VALUE)
                    c.text(x + dx, yy + dy, '"', sz, family=F_VALUE)
                    c.text(
                        x + q + c.measure(cell.text, sz, family=F_VALUE) + dx,
                        yy + dy,
                        '"',
                        sz,
                        family=F_VALUE,
                    )
                    tx = x + q
                else:
                    tx = x
                if cell.field:
                    b.put(c, cell.field, tx + dx, yy + dy, cell.text, cell.canonical, size=sz, family=F_VALUE)
                else:
                    c.text(tx + dx, yy + dy, cell.text, sz, family=F_VALUE)
                if cell.text.endswith(" ") and col == 4:
                    x += c.measure(cell.text, sz, family=F_VALUE)  # the amount follows on the same line
                else:
                    x, yy = xs[col] + 10, yy + lh
        y += rows_of(cells) * lh + gap
    c.text(xs[2] + 10 + dx, y + dy, "* " * 14, size, family=F_VALUE)

    # -- boxes 11 and 12 (always on the first page) ------------------------------------------------------
    c = b.pages[0]
    label(FX0 + 10, F_ITEMS_B + 26, F_EN["11"])
    label(FX0 + 10, F_ITEMS_B + 50, second["11"], ss)
    pw = F_SPLIT - FX0 - 30
    mid = (FX0 + F_SPLIT) / 2
    y = F_ITEMS_B + 86
    for line in c.wrap(
        "The undersigned hereby declares that the above details and statement are correct; that all the "
        "goods were produced in",
        pw,
        16,
        family=F_LABEL,
    ):
        c.text(FX0 + 14, y, line, 16, family=F_LABEL)
        y += 21
    y += 20
    produced = F_COUNTRY[country]
    typed(mid - c.measure(produced, vs, family=F_VALUE) / 2, y, produced)
    c.text(mid, y + 24, "(Country)", ss, family=F_LABEL, align="center")
    y += 58
    for line in c.wrap(
        "and that they comply with the origin requirements specified for these goods in the ASEAN-China "
        "Free Trade Area Preferential Tariff for the goods exported to",
        pw,
        16,
        family=F_LABEL,
    ):
        c.text(FX0 + 14, y, line, 16, family=F_LABEL)
        y += 21
    y += 20
    importing = F_COUNTRY["VN" if country == "CN" else "CN"]
    typed(mid - c.measure(importing, vs, family=F_VALUE) / 2, y, importing)
    c.text(mid, y + 24, "(Importing Country)", ss, family=F_LABEL, align="center")
    ring = f.seller.name if f.seller.country == "CN" else f.seller.name.upper()
    draw_stamp(
        c, F_SPLIT - 150, FY1 - 175, 82, ring, "*" if f.seller.country == "CN" else f.seller.tax_code, b.rng
    )
    draw_signature(c, FX0 + 250, FY1 - 160, 190, b.rng)
    exp_place = f"{city}, {F_COUNTRY[country]}  {b.date(f.invoice_date)}"
    typed(FX0 + 24, FY1 - 72, exp_place, fit(exp_place, F_SPLIT - FX0 - 60))
    c.hline(FX0 + 20, F_SPLIT - 20, FY1 - 58, 1)
    c.text(
        mid, FY1 - 30, "Place and date, signature of authorised signatory", ss, family=F_LABEL, align="center"
    )

    rx = F_SPLIT + 10
    label(rx, F_ITEMS_B + 26, F_EN["12"])
    label(rx, F_ITEMS_B + 50, second["12"], ss)
    y = F_ITEMS_B + 86
    for line in c.wrap(
        "It is hereby certified, on the basis of control carried out, that the declaration by the exporter "
        "is correct.",
        FX1 - rx - 30,
        16,
        family=F_LABEL,
    ):
        c.text(rx + 4, y, line, 16, family=F_LABEL)
        y += 21
    rmid = (F_SPLIT + FX1) / 2
    draw_stamp(c, rmid + b.rng.randint(40, 140), FY1 - 250, 105, authority, "*", b.rng)
    draw_signature(c, F_SPLIT + 70, FY1 - 150, 200, b.rng)
    line_y = FY1 - 108
    c.hline(F_SPLIT + 20, FX1 - 20, line_y, 1)
    place = f"{city}, {F_COUNTRY[country]}" if b.rng.random() < 0.6 else city
    date_text = b.date(f.issue_date)
    gap_text = "   "
    total_w = c.measure(place + gap_text + date_text, vs, family=F_VALUE)
    px = rmid - total_w / 2
    typed(px, line_y + 36, place + gap_text)
    put(
        "issue_date",
        px + c.measure(place + gap_text, vs, family=F_VALUE),
        line_y + 36,
        date_text,
        f.issue_date.isoformat(),
    )
    c.text(
        rmid,
        FY1 - 28,
        "Place and date, signature and stamp of certifying authority",
        ss,
        family=F_LABEL,
        align="center",
    )


register(
    Layout(
        "fe_ccpit_boxes",
        FORM_E,
        "train",
        "dejavu_condensed",
        fe_ccpit_boxes,
        numbers=("en", "vi"),
        dates=("mon_d_y", "d_mon_y", "iso", "dmy_dot"),
        currencies=("code", "symbol"),
        hs_dotted=(True, False),
        weight_decimals=(None, 2),
        upper_dates=True,
    )
)


# ==========================================================================================================
# Packing list with a wide table: weights per package and line totals under spanning headings

PX0, PX1 = 96, 1558
P_MEASURE = {
    "carton": Decimal("0.045"),
    "bag": Decimal("0.06"),
    "roll": Decimal("0.09"),
    "pallet": Decimal("1.35"),
}


@dataclass
class _SpanTable(Table):
    """A table whose header has a second tier: ``groups`` (first key, last key, heading) span columns, whose
    own two-line heads sit under the spanning heading; the other heads fill both tiers."""

    groups: tuple[tuple[str, str, str], ...] = ()

    def header(self) -> None:
        self._top = top = self.y
        lh = int(self.header_size * 1.3)
        tier = lh + 2 * self.pad - 4
        height = tier + 2 * lh + 2 * self.pad
        if self.header_fill:
            self.canvas.rect(
                self.x, top, self.x + self.width, top + height, width=0, outline=None, fill=self.header_fill
            )
        spans: dict[str, tuple[int, int, str]] = {}
        for first, last, heading in self.groups:
            x0, _ = self.col_x(first)
            _, x1 = self.col_x(last)
            keys = [c.key for c in self.columns]
            for key in keys[keys.index(first) : keys.index(last) + 1]:
                spans[key] = (x0, x1, heading)
            size = self.canvas.fit(
                heading, x1 - x0 - 2 * self.pad, self.header_size, family=self.family, bold=True
            )
            self.canvas.text(
                (x0 + x1) / 2,
                top + self.pad + self.header_size,
                heading,
                size,
                family=self.family,
                bold=True,
                align="center",
            )
            self.canvas.hline(x0, x1, top + tier, self.rule_width)
        x = self.x
        for c in self.columns:
            parts = c.header.split("\n")
            if c.key in spans:
                y0 = top + tier
                self.canvas.vline(x, y0 if spans[c.key][0] != x else top, top + height, self.rule_width)
            else:
                y0 = top
                self.canvas.vline(x, top, top + height, self.rule_width)
            block = len(parts) * lh
            start = y0 + (top + height - y0 - block) // 2 + int(self.header_size * 1.0)
            for k, part in enumerate(parts):
                size = self.canvas.fit(
                    part, c.width - 2 * self.pad + 4, self.header_size, family=self.family, bold=True
                )
                self.canvas.text(
                    x + c.width / 2, start + k * lh, part, size, family=self.family, bold=True, align="center"
                )
            x += c.width
        self.canvas.vline(x, top, top + height, self.rule_width)
        self.canvas.hline(self.x, self.x + self.width, top, self.rule_width)
        self.y = top + height
        self.canvas.hline(self.x, self.x + self.width, self.y, self.rule_width)


P_LABELS: dict[str, dict[str, Any]] = {
    "CN": {
        "number": ("P/L No.:", "装箱单号 P/L No.:", "编号 No.:"),
        "date": ("Date:", "日期 Date:"),
        "invoice": ("Invoice ref.", "发票号 Invoice ref.", "Inv. ref. 发票号"),
        "contract": ("合同号 Contract No.", "Contract No."),
        "truck": ("车牌号 Truck No.", "Truck No."),
        "terms": ("交货条件 Terms", "Trade terms"),
        "consignee": ("收货人 Consignee:", "Messrs.:", "Sold to / 买方:"),
        "title": "装箱单",
        "tax": "统一社会信用代码",
        "heads": {
            "marks": "唛头\nMarks",
            "description": "品名及规格\nDescription",
            "qty": "数量\nQuantity",
            "packages": "件数\nPkgs",
            "kind": "包装\nType",
            "nw_each": "净重\nN.W.",
            "gw_each": "毛重\nG.W.",
            "net_weight_kg": "总净重\nN.W.",
            "gross_weight_kg": "总毛重\nG.W.",
            "cbm": "体积\nMeas.(m³)",
        },
        "groups": ("每件 PER PACKAGE (KGS)", "合计 TOTAL (KGS)"),
        "route": ("起运地 From:", "目的地 To:", "口岸 Via:"),
    },
    "VN": {
        "number": ("P/L No.:", "Số / P/L No.:", "Số phiếu:"),
        "date": ("Date:", "Ngày / Date:"),
        "invoice": ("Invoice ref.", "Theo HĐ số / Invoice ref.", "Hóa đơn / Inv. ref."),
        "contract": ("Hợp đồng / Contract No.", "Contract No."),
        "truck": ("Biển số xe / Truck No.", "Truck No."),
        "terms": ("Điều kiện giao hàng", "Trade terms"),
        "consignee": ("Người nhận hàng / Consignee:", "Messrs.:", "Sold to:"),
        "title": "PHIẾU ĐÓNG GÓI",
        "tax": "MST",
        "heads": {
            "marks": "Ký mã hiệu\nMarks",
            "description": "Tên hàng\nDescription",
            "qty": "Số lượng\nQuantity",
            "packages": "Số kiện\nPkgs",
            "kind": "Bao bì\nType",
            "nw_each": "Tịnh\nN.W.",
            "gw_each": "Cả bì\nG.W.",
            "net_weight_kg": "Tịnh\nN.W.",
            "gross_weight_kg": "Cả bì\nG.W.",
            "cbm": "Thể tích\nMeas.(m³)",
        },
        "groups": ("MỖI KIỆN / EACH (kg)", "TỔNG CỘNG / TOTAL (kg)"),
        "route": ("Nơi xếp hàng / From:", "Nơi giao hàng / To:", "Cửa khẩu / Via:"),
    },
}
P_EN_HEADS = {
    "marks": "Marks &\nNos.",
    "description": "Description\nof Goods",
    "qty": "Quantity\n",
    "packages": "Pkgs\n(No.)",
    "kind": "Pkg\nType",
    "nw_each": "N.W.\n(kgs)",
    "gw_each": "G.W.\n(kgs)",
    "net_weight_kg": "Total N.W.\n(kgs)",
    "gross_weight_kg": "Total G.W.\n(kgs)",
    "cbm": "Meas.\n(CBM)",
}
P_WIDTHS = (
    ("marks", 110, "center"),
    ("description", 306, "left"),
    ("qty", 150, "right"),
    ("packages", 100, "right"),
    ("kind", 84, "center"),
    ("nw_each", 120, "right"),
    ("gw_each", 120, "right"),
    ("net_weight_kg", 172, "right"),
    ("gross_weight_kg", 172, "right"),
    ("cbm", 128, "right"),
)


def pl_wide_totals(b: Builder) -> None:
    f = b.facts
    side = "CN" if f.seller.country == "CN" else "VN"
    lab = P_LABELS[side]
    pick = b.rng.choice
    c = b.new_page()

    # -- number and date, right-aligned at the top right -------------------------------------------------
    if side == "CN" and b.rng.random() < 0.3:
        date_text = b.date(f.packing_list_date, "zh")
    else:
        date_text = b.date(f.packing_list_date)
    block = (
        (
            pick(lab["number"]),
            "packing_list_number",
            f.packing_list_number,
            canon_text(f.packing_list_number),
        ),
        (pick(lab["date"]), "packing_list_date", date_text, f.packing_list_date.isoformat()),
    )
    value_w = max(c.measure(printed, 24, bold=True) for _, _, printed, _ in block)
    label_right = PX1 - value_w - 18
    label_w = max(c.measure(text, 22) for text, _, _, _ in block)
    for k, (text, name, printed, canonical) in enumerate(block):
        yy = 140 + k * 44
        c.text(label_right, yy, text, 22, align="right")
        b.put(c, name, PX1, yy, printed, canonical, size=24, bold=True, align="right")

    # -- letterhead on the left, as wide as the block leaves ---------------------------------------------
    head = party_name(b, f.seller, ("zh",) if side == "CN" else ("vi",), native_share=0.3)
    room = label_right - label_w - 40 - PX0
    c.text(PX0, 136, head, c.fit(head, room, 30, bold=True), bold=True)
    address = party_address(f.seller, head)
    c.text(PX0, 172, address, c.fit(address, room, 19))
    contact = f"Tel: {f.seller.phone}    {lab['tax']}: {f.seller.tax_code}"
    c.text(PX0, 202, contact, c.fit(contact, room, 19))
    c.hline(PX0, PX1, 236, 4)
    c.hline(PX0, PX1, 244, 1)

    # -- title with its translation, and a copy mark -----------------------------------------------------
    c.text(PX0, 318, "PACKING LIST", 46, bold=True)
    tx = PX0 + c.measure("PACKING LIST", 46, bold=True) + 28
    c.text(tx, 316, lab["title"], 32 if side == "CN" else 28)
    copy = pick(("ORIGINAL", "ORIGINAL", "COPY"))
    cw = c.measure(copy, 22, bold=True) + 36
    c.rect(PX1 - cw, 276, PX1, 326, width=2)
    c.text(PX1 - cw / 2, 310, copy, 22, bold=True, align="center")

    # -- consignee on the left, route on the right -------------------------------------------------------
    y0 = 384
    buyer = party_name(b, f.buyer, ("zh",) if side == "CN" else ("vi",), native_share=0.4)
    c.text(PX0, y0, pick(lab["consignee"]), 20, bold=True)
    y = y0 + 36
    for line in c.wrap(buyer, 700, 23, bold=True)[:2]:
        c.text(PX0, y, line, 23, bold=True)
        y += 31
    for line in c.wrap(party_address(f.buyer, buyer), 700, 19)[:2]:
        c.text(PX0, y, line, 19)
        y += 26
    left_end = y
    rx = 880
    native = side == "VN" and b.rng.random() < 0.5
    loading = f.place_of_loading.vi if native else f.place_of_loading.en
    delivery = f.place_of_delivery.vi if native else f.place_of_delivery.en
    gate = f"{f.gate.vi}" if native else f"{f.gate.en} / {f.gate.zh}"
    y = y0
    for text, value in zip(lab["route"], (loading, delivery, gate), strict=True):
        c.text(rx, y, text, 20, bold=True)
        vx = rx + c.measure(text, 20, bold=True) + 12
        c.text(vx, y, value, c.fit(value, PX1 - vx, 21))
        y += 36
    c.text(rx, y, "By truck / 陆运" if side == "CN" else "Vận chuyển: đường bộ / By road", 20)
    y = max(left_end, y + 10) + 24

    # -- strip of label-over-value cells -----------------------------------------------------------------
    plates = b.plate(f.vehicle_plate)
    if b.rng.random() < 0.5:
        plates += " / " + b.plate(f.trailer_plate)
    strip = (
        (pick(lab["invoice"]), "invoice_number", f.invoice_number, canon_text(f.invoice_number), 420),
        (pick(lab["contract"]), "", f.contract_number, "", 400),
        (pick(lab["truck"]), "", plates, "", 380),
        (pick(lab["terms"]), "", f"{f.incoterm} {f.gate.en.upper()}", "", PX1 - PX0 - 1200),
    )
    x = PX0
    c.rect(PX0, y, PX1, y + 80, width=2)
    for k, (text, name, printed, canonical, width) in enumerate(strip):
        if k:
            c.vline(x, y, y + 80, 1)
        c.text(x + 10, y + 26, text, c.fit(text, width - 20, 17), fill=(70, 70, 78))
        size = c.fit(printed, width - 20, 24, bold=True)
        if name:
            b.put(c, name, x + 10, y + 64, printed, canonical, size=size, bold=True)
        else:
            c.text(x + 10, y + 64, printed, size, bold=True)
        x += width
    y += 80 + 34

    # -- the wide table ----------------------------------------------------------------------------------
    english = b.rng.random() < 0.4
    heads = P_EN_HEADS if english else lab["heads"]
    groups = ("PER PACKAGE", "TOTAL WEIGHT") if english else lab["groups"]
    columns = [Column(key, heads[key], width, align) for key, width, align in P_WIDTHS]
    marks = pick(
        (
            "N/M",
            f"{f.buyer.abbr} {f.place_of_delivery.en.split(',')[0].upper()}",
            f"{f.seller.abbr}/{f.buyer.abbr}",
        )
    )
    kind_language = "zh" if side == "CN" and not english and b.rng.random() < 0.5 else "short"
    unit_language = "en"

    rows = []
    for i, line in enumerate(f.lines):
        per = Decimal(line.packages)
        nw_each = (line.net_kg / per).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        gw_each = (line.gross_kg / per).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        cbm = (per * P_MEASURE[line.good.package]).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        unit = UNITS.get(line.good.unit, {}).get(unit_language, line.good.unit.upper())
        cells = {
            "marks": marks if i == 0 else "",
            "description": line.description,
            "qty": f"{b.num(line.quantity)} {unit}",
            "packages": b.num(line.packages),
            "kind": PACKAGES[line.good.package][kind_language],
            "nw_each": b.num(nw_each, 2),
            "gw_each": b.num(gw_each, 2),
            "net_weight_kg": b.weight(line.net_kg),
            "gross_weight_kg": b.weight(line.gross_kg),
            "cbm": b.num(cbm, 2),
        }
        truth = {
            "description": canon_text(line.description),
            "packages": canon_number(line.packages),
            "net_weight_kg": canon_number(line.net_kg),
            "gross_weight_kg": canon_number(line.gross_kg),
        }
        rows.append((cells, truth, cbm))
    total_cbm = sum((cbm for _, _, cbm in rows), Decimal(0))

    def rows_height(size: int) -> int:
        total = 0
        for cells in [*(r[0] for r in rows), {"description": "TOTAL:"}]:
            n = max(
                len(c.wrap(cells.get(key, ""), width - 16, size)) if cells.get(key) else 1
                for key, width, _ in P_WIDTHS
            )
            total += n * int(size * 1.42) + 16 - int(size * 0.3)
        return total

    footer = 430  # SAY TOTAL, remarks and the signature block
    header_h = int(19 * 1.3) * 3 + 4 * 8
    size = 21
    while size > 15 and y + header_h + rows_height(size) + footer > c.height - 70:
        size -= 1
    if not b.single_page:
        size = max(size, 19)

    def next_page() -> tuple[Canvas, int]:
        page = b.new_page()
        page.text(PX0, 140, f"PACKING LIST {f.packing_list_number} (continued)", 24, bold=True)
        page.text(PX1, 140, f"Page {page.page}", 22, align="right")
        page.hline(PX0, PX1, 160, 2)
        return page, 200

    t = _SpanTable(
        b,
        c,
        PX0,
        y,
        columns,
        size=size,
        header_size=19,
        pad=8,
        rules="frame",
        header_fill=(236, 236, 232),
        bottom_limit=c.height - 150,
        next_page=None if b.single_page else next_page,
        groups=(("nw_each", "gw_each", groups[0]), ("net_weight_kg", "gross_weight_kg", groups[1])),
    )
    t.header()
    for i, (cells, truth, _) in enumerate(rows):
        t.row(cells, truth=truth, line=i, rule=False)
    t.canvas.hline(t.x, t.x + t.width, t.y, 2)
    t.row(
        {
            "description": "TOTAL:",
            "packages": b.num(f.total_packages),
            "net_weight_kg": b.weight(f.total_net_kg),
            "gross_weight_kg": b.weight(f.total_gross_kg),
            "cbm": b.num(total_cbm, 2),
        },
        bold=True,
        fields={
            "packages": ("total_packages", canon_number(f.total_packages)),
            "net_weight_kg": ("total_net_weight_kg", canon_number(f.total_net_kg)),
            "gross_weight_kg": ("total_gross_weight_kg", canon_number(f.total_gross_kg)),
        },
    )
    c = t.canvas
    y = t.finish() + 52
    if y + footer > c.height - 60 and not b.single_page:
        c, y = next_page()
        y += 40

    # -- SAY TOTAL, remarks, signature -------------------------------------------------------------------
    kinds = {line.good.package for line in f.lines}
    kind = PACKAGES[next(iter(kinds))]["en"] if len(kinds) == 1 else "PACKAGES"
    say = f"SAY TOTAL: {words(f.total_packages)} ({b.num(f.total_packages)}) {kind} ONLY."
    for line in c.wrap(say, PX1 - PX0, 22, bold=True):
        c.text(PX0, y, line, 22, bold=True)
        y += 32
    y += 8
    remark = pick(
        (
            "Weights in kilograms; measurement in cubic metres. E. & O.E.",
            "All goods packed in export packing, suitable for road transport across the border.",
            "N.W. / G.W. per package are averages; totals as weighed at loading.",
        )
    )
    c.text(PX0, y, remark, 19)
    y += 70
    sx = PX1 - 560
    c.text(sx, y, "For and on behalf of", 21)
    name = f.seller.name_en
    c.text(sx, y + 34, name, c.fit(name, PX1 - sx, 22, bold=True), bold=True)
    draw_signature(c, sx + 60, y + 150, 230, b.rng)
    ring = f.seller.name if f.seller.country == "CN" else f.seller.name.upper()
    draw_stamp(c, sx + 400, y + 140, 100, ring, "*" if f.seller.country == "CN" else f.seller.tax_code, b.rng)
    c.hline(sx, PX1, y + 230, 1)
    c.text(sx + 280, y + 262, "Authorized Signature", 20, align="center")


register(
    Layout(
        "pl_wide_totals",
        PACKING_LIST,
        "train",
        "dejavu_condensed",
        pl_wide_totals,
        numbers=("en", "vi"),
        dates=("d_mon_y", "mon_d_y", "dmy_dash", "iso", "dmy_slash"),
        groups=(True, False),
        weight_decimals=(None, 2),
    )
)
