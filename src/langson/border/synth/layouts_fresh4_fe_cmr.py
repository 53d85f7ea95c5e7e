"""Fresh training layouts (fresh4: Form E, cmr), written without reference to the held-out set.

* ``fe_fresh4_guilloche``: a Form E on the issuing authority's security paper: a pale guilloche of wavy
  lines tints the whole frame with a rosette behind the items, the form's serial number pre-printed in red
  above the frame and the copy's status ("ORIGINAL", "DUPLICATE", "CERTIFIED TRUE COPY") in a ruled tag at
  the top left. Box captions are in English only, in small serif type, each box number in a small square.
  The reference number is typed large in the top-right "Reference No." cell. Box 3 is one free-text
  paragraph ("DEPARTURE DATE: … BY TRUCK 桂A·12345 FROM … TO … VIA …"), so the plate sits mid-sentence and
  may wrap to any line. Each item of box 7 is one long wrapped paragraph ("SIX HUNDRED AND FIVE (605) BAGS
  OF TAPIOCA STARCH, H.S. CODE 1108.14"), closed by a "TOTAL … ONLY." paragraph and a row of asterisks;
  box 9 gives "G.W." and "FOB" per item and the FOB total after a "TOTAL FOB" caption; box 10 types the
  invoice number and its date on one line. Box 12 types the place and the date of issue on one line with
  the authority's round seal and signature stamped over it; box 13 is a strip of tick boxes at the foot.
* ``cmr_fresh4_phieugui``: a Vietnamese carrier's own "PHIẾU GỬI HÀNG / GIẤY VẬN TẢI" for a cross-border
  truck, in the domestic style: the carrier's letterhead with a logo block at the top left, the form code,
  series and a pre-numbered red "Số / No." at the top right, a centred title with the Chinese and English
  names under it and the date of issue under the title. Sender and receiver are free-text paragraphs (name,
  address, tax code, phone, contact person with a mobile number, one running sentence); the places where
  the goods are taken over ("Nơi nhận hàng") and handed over ("Nơi giao hàng") are typed as addresses
  (Vietnamese with the province word, or 中国广西凭祥市) each followed by a contact line; the truck and the
  trailer ("Số rơ-moóc / 挂车号") sit in a small vehicle table with the driver, licence, phone and truck
  type; the goods table lists packages and weights per row without a total row, the totals appear only in
  the summary band of the signature block (figures and Vietnamese words); handwritten notes in blue ink.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from langson.border.schema import CMR, FORM_E
from langson.border.synth.layouts_wrapped_cmr import vi_words
from langson.border.synth.render import (
    FONT_ROOT,
    INK,
    PACKAGES,
    SIGN_BLUE,
    STAMP_RED,
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
    register,
    words,
)

# ==========================================================================================================
# Shared: a paragraph that flows plain text and recorded values together


@dataclass
class Seg:
    """A piece of a paragraph: plain text (broken at spaces) or a recorded value (kept whole when it fits a
    line). ``glue``: no space before it (a comma or a full stop after a value)."""

    text: str
    name: str = ""
    canonical: str = ""
    bold: bool = False
    glue: bool = False
    br: bool = False  # a line break (its text is not printed)
    keep: bool = False  # plain text kept on one line (a phone number)


def flow(
    b: Builder,
    c: Canvas,
    x: float,
    y: float,
    width: float,
    segs: list[Seg],
    size: int,
    family: str,
    line_height: int,
    *,
    fill: tuple[int, int, int] = INK,
    draw: bool = True,
) -> int:
    """Typeset ``segs`` as one paragraph from the baseline ``y``; values are recorded with the box of their
    ink. A value wider than the line starts a line of its own, wraps at its spaces and ends its line.
    Returns the baseline of the line after the paragraph (with ``draw=False`` it only measures)."""
    # Atoms: (text, seg, glue, alone) where ``alone`` marks the words of a value too long for one line.
    atoms: list[tuple[str, Seg, bool, bool]] = []
    for seg in segs:
        if seg.br:
            atoms.append(("", seg, False, False))
            continue
        if (seg.name or seg.keep) and c.measure(seg.text, size, family=family, bold=seg.bold) <= width:
            atoms.append((seg.text, seg, seg.glue, False))
            continue
        parts = seg.text.split()
        for k, part in enumerate(parts):
            atoms.append((part, seg, seg.glue if k == 0 else False, bool(seg.name)))
    groups: list[list[tuple[str, Seg, bool]]] = []
    for text, seg, glue, alone in atoms:
        if glue and groups:
            groups[-1].append((text, seg, alone))
        else:
            groups.append([(text, seg, alone)])
    space = c.measure(" ", size, family=family)
    cursor = x
    fresh = True
    previous_alone = False
    for group in groups:
        if group[0][1].br:
            if not fresh:
                y += line_height
                cursor = x
                fresh = True
            previous_alone = False
            continue
        alone = group[0][2]
        w = sum(c.measure(t, size, family=family, bold=s.bold) for t, s, _ in group)
        starts_long = alone and not previous_alone
        ends_long = previous_alone and not alone
        if not fresh and (cursor + space + w > x + width or starts_long or ends_long):
            y += line_height
            cursor = x
            fresh = True
        if not fresh:
            cursor += space
        for text, seg, _ in group:
            if draw:
                box = c.text(cursor, y, text, size, family=family, bold=seg.bold, fill=fill)
                if seg.name:
                    b.record(seg.name, seg.canonical, box, c.page, text)
            cursor += c.measure(text, size, family=family, bold=seg.bold)
        fresh = False
        previous_alone = alone
    return int(y + line_height)


@dataclass
class Cell:
    """One cell of a Form E item row: a paragraph, or a single centred value."""

    segs: list[Seg]
    align: str = "left"


def upper_place(text: str) -> str:
    return text.upper().replace("VIETNAM", "VIET NAM")


# ==========================================================================================================
# Form E on security paper: guilloche tint, English-only captions, free-text box 3, paragraph items

GX0, GX1, GY0, GY1 = 78, 1576, 132, 2252
G_SPLIT = 822  # between the left boxes (1–3, 11) and the right ones
G_REF_B = 246  # bottom of the reference number cell
G_R1 = 388  # bottom of box 1
G_R2 = 640  # bottom of box 2 (and of the title block)
G_R3 = 912  # bottom of boxes 3 and 4
G_ITEMS_B = 1700  # bottom of the items
G_13 = 2140  # top of box 13
G_LABEL = "liberation_serif"
G_VALUE = "liberation_sans"
G_COLS = (70, 148, 560, 112, 268)  # widths of boxes 5–9 (box 10 takes what is left)
G_HEADS = (
    "Item number",
    "Marks and numbers on packages",
    "Number and type of packages, description of products (including quantity where appropriate) and HS "
    "code of the importing Party",
    "Origin criterion (see Overleaf Notes)",
    "Gross weight or other quantity, and value (FOB) only when RVC criterion is applied",
    "Number and date of invoices",
)
G_TINT = {"CN": (196, 228, 206), "VN": (242, 220, 198)}
G_COUNTRY = {"CN": "CHINA", "VN": "VIET NAM"}
G_ISSUED_IN = {
    "CN": ("THE PEOPLE'S REPUBLIC OF CHINA", "CHINA"),
    "VN": ("VIET NAM", "THE SOCIALIST REPUBLIC OF VIET NAM"),
}
G_CN_CITY = {"huu_nghi": "PINGXIANG", "tan_thanh": "PINGXIANG", "chi_ma": "NINGMING"}
G_CN_CROSSING = {"huu_nghi": "YOUYIGUAN", "tan_thanh": "PUZHAI", "chi_ma": "AIDIAN"}
G_CN_AUTHORITIES = (
    ("中华人民共和国凭祥海关", "PINGXIANG"),
    ("中华人民共和国南宁海关", "NANNING"),
    ("中国国际贸易促进委员会广西壮族自治区分会", "NANNING"),
    ("中国国际贸易促进委员会凭祥市支会", "PINGXIANG"),
)
G_VN_AUTHORITIES = (
    ("PHÒNG QUẢN LÝ XUẤT NHẬP KHẨU KHU VỰC LẠNG SƠN", "LANG SON"),
    ("PHÒNG QUẢN LÝ XUẤT NHẬP KHẨU KHU VỰC HÀ NỘI", "HA NOI"),
)
G_COPIES = ("ORIGINAL", "ORIGINAL", "DUPLICATE", "TRIPLICATE", "CERTIFIED TRUE COPY")


def _guilloche(c: Canvas, box: tuple[int, int, int, int], colour: tuple[int, int, int], seed: int) -> None:
    """The security tint of certificate paper: bands of crossing sine waves over ``box`` and a rosette in
    the middle of the items, drawn before anything else so the print lies on top of it."""
    x0, y0, x1, y1 = box
    phase = (seed % 97) / 15.0
    period = 150 + seed % 60
    step = 26
    for k, base in enumerate(range(y0 - 40, y1 + 40, step)):
        for sign in (1, -1):
            pts: list[tuple[float, float]] = []
            for x in range(x0, x1 + 1, 6):
                t = (x - x0) / period * 2 * math.pi
                dy = 14 * math.sin(t + phase + sign * k * 0.35) + 5 * math.sin(2.7 * t + k)
                pts.append((float(x), min(max(base + dy, y0), y1)))
            c.draw.line(pts, fill=colour, width=1)
    cx, cy = (x0 + x1) / 2, (G_R3 + G_ITEMS_B) / 2 + 40
    for ring in range(14):
        r0 = 120 + ring * 16
        pts = []
        for s in range(0, 721):
            a = s / 720 * 2 * math.pi
            r = r0 + 22 * math.sin(12 * a + ring * 0.5)
            pts.append((cx + r * math.cos(a), cy + r * math.sin(a)))
        c.draw.line(pts, fill=colour, width=1)


def _g_authority(f: Any, rng: Any) -> tuple[str, str]:
    """The authority's seal text and its city (the place of issue)."""
    if f.origin_country == "CN":
        seal, city = rng.choice(G_CN_AUTHORITIES)
        return seal, city
    loading = f.place_of_loading.en.upper()
    if "TAY NINH" in loading or "DONG THAP" in loading:
        return "PHÒNG QUẢN LÝ XUẤT NHẬP KHẨU KHU VỰC TP. HỒ CHÍ MINH", "HO CHI MINH CITY"
    seal, city = rng.choice(G_VN_AUTHORITIES)
    return seal, city


def fe_fresh4_guilloche(b: Builder) -> None:
    """Guilloche tint, red serial and copy tag above the frame; boxes 1 | reference and title, 2, 3 (free
    text) | 4; items 5–10 with paragraph descriptions; 11 | 12 (seal over the date of issue); 13 strip."""
    f = b.facts
    rng = b.rng
    country = f.origin_country
    importing = "VN" if country == "CN" else "CN"
    c = b.new_page()
    tint = G_TINT[country]
    _guilloche(c, (GX0 + 3, GY0 + 3, GX1 - 3, GY1 - 3), tint, f.seed)
    seal_text, city = _g_authority(f, rng)
    if country == "CN" and rng.random() < 0.5:
        city = G_CN_CITY.get(f.gate.key, city)
    vs = 21  # typed value size
    ls = 14  # caption size

    def label(x: float, y: float, text: str, size: int = ls, bold: bool = False, align: str = "left") -> None:
        c.text(x, y, text, size, family=G_LABEL, bold=bold, align=align)

    def typed(
        x: float, y: float, text: str, size: int = vs, bold: bool = False, align: str = "left"
    ) -> Box | None:
        return c.text(x, y, text, size, family=G_VALUE, bold=bold, align=align)

    def fit(text: str, width: float, size: int = vs, bold: bool = False) -> int:
        return c.fit(text, width, size, family=G_VALUE, bold=bold)

    def caption(x0: float, x1: float, top: float, number: str, text: str) -> int:
        """A box number in a small square, then its English caption wrapped in small serif type; returns
        the baseline under the caption."""
        c.rect(x0 + 8, top + 8, x0 + 30, top + 28, width=1)
        c.text(x0 + 19, top + 24, number, 13, family=G_LABEL, bold=True, align="center")
        y = top + 23
        for line in c.wrap(text, x1 - x0 - 52, ls, family=G_LABEL):
            label(x0 + 38, y, line)
            y += 18
        return int(y)

    # -- above the frame: copy tag and the paper's red serial ----------------------------------------------
    copy = rng.choice(G_COPIES)
    cw = c.measure(copy, 18, family=G_LABEL, bold=True) + 28
    c.rect(GX0, GY0 - 58, GX0 + cw, GY0 - 22, width=2)
    label(GX0 + cw / 2, GY0 - 32, copy, 18, bold=True, align="center")
    serial = (
        f"No. 45{rng.randint(0, 99999999):08d}"
        if country == "CN"
        else f"Serial No. {rng.randint(0, 9999999):07d}"
    )
    c.text(GX1, GY0 - 30, serial, 20, family="dejavu_serif", fill=STAMP_RED, align="right")

    # -- frame and rules -----------------------------------------------------------------------------------
    c.rect(GX0, GY0, GX1, GY1, width=3)
    c.vline(G_SPLIT, GY0, G_R3, 2)
    c.hline(G_SPLIT, GX1, G_REF_B, 2)
    c.hline(GX0, G_SPLIT, G_R1, 2)
    c.hline(GX0, GX1, G_R2, 2)
    c.hline(GX0, GX1, G_R3, 2)
    c.hline(GX0, GX1, G_ITEMS_B, 2)
    c.vline(G_SPLIT, G_ITEMS_B, G_13, 2)
    c.hline(GX0, GX1, G_13, 2)

    # -- boxes 1 and 2 -------------------------------------------------------------------------------------
    inner = G_SPLIT - GX0 - 40

    def party(top: int, bottom: int, number: str, text: str, who: Any, name: str) -> None:
        y = caption(GX0, G_SPLIT, top, number, text) + 20
        upper = rng.random() < 0.6
        printed = who.name_en.upper() if upper else who.name_en
        y = flow(
            b, c, GX0 + 20, y, inner, [Seg(printed, name, canon_text(printed), bold=True)], vs, G_VALUE, 28
        )
        address = who.address_en.upper() if upper else who.address_en
        for line in c.wrap(address, inner, vs - 2, family=G_VALUE):
            if y > bottom - 40:
                break
            typed(GX0 + 20, y, line, vs - 2)
            y += 26
        if y <= bottom - 14:
            tel = f"TEL: {who.phone}" + (f"   TAX ID: {who.tax_code}" if rng.random() < 0.5 else "")
            typed(GX0 + 20, y, tel, fit(tel, inner, vs - 3))

    party(
        GY0,
        G_R1,
        "1",
        "Products consigned from (Exporter's business name, address, country)",
        f.seller,
        "exporter_name",
    )
    party(
        G_R1,
        G_R2,
        "2",
        "Products consigned to (Importer's/Consignee's name, address, country)",
        f.buyer,
        "importer_name",
    )

    # -- reference number cell and title -------------------------------------------------------------------
    label(G_SPLIT + 12, GY0 + 24, rng.choice(("Reference No.", "Reference No.", "Certificate No.")), 15)
    number = f.certificate_number
    size = fit(number, GX1 - G_SPLIT - 60, 34, bold=True)
    b.put(
        c,
        "certificate_number",
        G_SPLIT + 36,
        GY0 + 84,
        number,
        canon_text(number),
        size=size,
        family=G_VALUE,
        bold=True,
    )
    mid = (G_SPLIT + GX1) / 2
    y = G_REF_B + 48
    for text, sz, bold in (
        ("ASEAN-CHINA FREE TRADE AREA", 25, True),
        ("PREFERENTIAL TARIFF CERTIFICATE OF ORIGIN", 22, True),
        ("(Combined Declaration and Certificate)", 16, False),
    ):
        c.text(
            mid,
            y,
            text,
            c.fit(text, GX1 - G_SPLIT - 40, sz, family=G_LABEL, bold=bold),
            family=G_LABEL,
            bold=bold,
            align="center",
        )
        y += 34
    c.text(mid, y + 36, "FORM E", 46, family=G_LABEL, bold=True, align="center")
    y += 96
    issued = rng.choice(G_ISSUED_IN[country])
    label(G_SPLIT + 50, y, "Issued in", 16)
    ix = G_SPLIT + 50 + c.measure("Issued in", 16, family=G_LABEL) + 14
    typed((ix + GX1 - 40) / 2, y - 3, issued, fit(issued, GX1 - ix - 60), align="center")
    c.hline(ix, GX1 - 40, y + 6, 1)
    label((ix + GX1 - 40) / 2, y + 26, "(Country)", 13, align="center")
    label(mid, G_R2 - 14, "See Overleaf Notes", 13, align="center")

    # -- box 3: transport and route as one typed paragraph -------------------------------------------------
    y = caption(GX0, G_SPLIT, G_R2, "3", "Means of transport and route (as far as known)") + 22
    when = b.date(f.cmr_date)
    plate = b.plate(f.vehicle_plate)
    trailer = b.plate(f.trailer_plate)
    loading = upper_place(f.place_of_loading.en)
    delivery = upper_place(f.place_of_delivery.en)
    cn_cross = G_CN_CROSSING.get(f.gate.key, f.gate.cn_side.en.upper())
    vn_gate = f.gate.en.upper()
    via = f"{cn_cross} - {vn_gate}" if country == "CN" else f"{vn_gate} - {cn_cross}"
    truck = [
        Seg(rng.choice(("BY TRUCK", "BY TRUCK NO.", "BY ROAD, VEHICLE NO.", "BY LORRY"))),
        Seg(plate, "vehicle_plate", f.vehicle_plate),
    ]
    if rng.random() < 0.45:
        truck.append(Seg(f"/ {trailer}"))
    template = rng.randrange(3)
    segs: list[Seg]
    if template == 0:
        segs = [
            Seg(f"DEPARTURE DATE: {when}."),
            *truck,
            Seg(f"FROM {loading} TO {delivery} VIA {via} BORDER GATE."),
        ]
    elif template == 1:
        discharge = f"{vn_gate} BORDER GATE, VIET NAM" if country == "CN" else f"{cn_cross}, GUANGXI, CHINA"
        segs = [
            Seg(f"ON OR AFTER {when}"),
            *truck,
            Seg(f"FROM {loading.split(',')[0]} TO {delivery}. PORT OF DISCHARGE: {discharge}."),
        ]
    else:
        segs = [
            Seg(
                f"SHIPMENT BY LAND. PORT OF LOADING: {loading}; PORT OF DISCHARGE: {delivery}; ROUTE: {via};"
            ),
            Seg(f"DEPARTURE: {when};"),
            *truck,
            Seg(".", glue=True),
        ]
    flow(b, c, GX0 + 20, y, inner, segs, vs - 1, G_VALUE, 29)

    # -- box 4 ---------------------------------------------------------------------------------------------
    y = caption(G_SPLIT, GX1, G_R2, "4", "For Official Use") + 16
    for text in (
        "Preferential Treatment Given Under ASEAN-China Free Trade Area Preferential Tariff",
        "Preferential Treatment Not Given (Please state reason/s)",
    ):
        c.checkbox(G_SPLIT + 40, y - 15, 17)
        for line in c.wrap(text, GX1 - G_SPLIT - 110, 15, family=G_LABEL):
            label(G_SPLIT + 70, y, line, 15)
            y += 20
        y += 12
    c.hline(G_SPLIT + 40, GX1 - 40, G_R3 - 42, 1)
    label(mid, G_R3 - 20, "Signature of Authorised Signatory of the Importing Party", 13, align="center")

    # -- items: heads ----------------------------------------------------------------------------------------
    xs = [GX0]
    for w in G_COLS:
        xs.append(xs[-1] + w)
    xs.append(GX1)
    head_b = G_R3
    for k, text in enumerate(G_HEADS):
        yy = caption(xs[k], xs[k + 1], G_R3, str(k + 5), text)
        head_b = max(head_b, yy)
    head_b += 4
    c.hline(GX0, GX1, head_b, 1)
    for xx in xs[1:-1]:
        c.vline(xx, G_R3, G_ITEMS_B, 1)

    # -- items: what each item types -------------------------------------------------------------------------
    cur = b.currency("code") if rng.random() < 0.8 else b.currency("symbol")
    crit = f.origin_criterion
    many = len(f.lines) > 1
    marks = rng.choice(
        (["N/M"], ["NO MARKS"], [f.buyer.abbr, delivery.split(",")[0], "MADE IN", G_COUNTRY[country]])
    )
    kinds = {line.good.package for line in f.lines}
    unit = PACKAGES[next(iter(kinds))]["en"] if len(kinds) == 1 else "PACKAGES"
    form = rng.randrange(3)
    hs_caption = rng.choice(("H.S. CODE", "HS CODE:", "HS"))
    invoice_date = b.date(f.invoice_date)

    def item_text(line: Any, compact: bool) -> str:
        count = b.num(line.packages)
        kind = PACKAGES[line.good.package]["en"]
        goods = line.good.en.upper()
        hs = b.hs(line.good.hs8[:6])
        if compact:
            return f"{count} {kind} OF {goods}, {hs_caption} {hs}"
        if form == 0:
            return f"{words(line.packages)} ({count}) {kind} OF {goods}, {hs_caption} {hs}"
        if form == 1:
            net = b.weight(line.net_kg)
            return f"{count} ({words(line.packages)}) {kind} {goods}; {hs_caption} {hs}; N.W. {net} KGS"
        return f"{goods} PACKED IN {count} {kind} ({words(line.packages)}) {hs_caption} {hs}"

    def rows(compact: bool) -> list[dict[int, Cell]]:
        out: list[dict[int, Cell]] = []
        for i, line in enumerate(f.lines):
            row: dict[int, Cell] = {
                0: Cell([Seg(str(i + 1))], "center"),
                2: Cell([Seg(item_text(line, compact))]),
                3: Cell([Seg(crit, "origin_criterion" if i == 0 else "", canon_text(crit))], "center"),
            }
            nine = [Seg(f"G.W. {b.weight(line.gross_kg)} KGS"), Seg("", br=True)]
            if many:
                nine.append(Seg(f"FOB {cur} {b.money(line.amount)}"))
            else:
                nine += [
                    Seg(f"FOB VALUE: {cur}"),
                    Seg(b.money(f.fob_value), "fob_value", canon_number(f.fob_value)),
                ]
            row[4] = Cell(nine)
            if i == 0:
                row[1] = Cell([Seg(" ".join(marks))])
                row[5] = Cell(
                    [
                        Seg(f.invoice_number, "invoice_number", canon_text(f.invoice_number)),
                        Seg(invoice_date),
                    ]
                )
            out.append(row)
        total = {
            2: Cell([Seg(f"TOTAL: {words(f.total_packages)} ({b.num(f.total_packages)}) {unit} ONLY.")]),
        }
        if many:
            total[4] = Cell(
                [Seg(f"TOTAL FOB: {cur}"), Seg(b.money(f.fob_value), "fob_value", canon_number(f.fob_value))]
            )
        out.append(total)
        return out

    def cell_lines(k: int, cell: Cell, size: int, draw: bool, x: float, y: float, lh: int) -> int:
        """Typeset one cell; returns how many lines it took."""
        width = xs[k + 1] - xs[k] - 16
        if cell.align == "center":
            text = cell.segs[0].text
            if draw:
                sz = fit(text, width, size)
                box = typed((xs[k] + xs[k + 1]) / 2, y, text, sz, align="center")
                seg = cell.segs[0]
                if seg.name:
                    b.record(seg.name, seg.canonical, box, c.page, text)
            return 1
        end = flow(b, c, x, y, width, cell.segs, size, G_VALUE, lh, draw=draw)
        return (end - int(y)) // lh

    def height(size: int, compact: bool, gap: int) -> int:
        lh = int(size * 1.3)
        total = 0
        for row in rows(compact):
            n = max(cell_lines(k, cell, size, False, xs[k] + 8, 0, lh) for k, cell in row.items())
            total += n * lh + gap
        return total + lh + 24

    room = G_ITEMS_B - head_b - 20
    size, compact, gap = 20, False, 16
    while height(size, compact, gap) > room:
        if not compact and size <= 18:
            compact, size, gap = True, 20, 12
        elif size > 12:
            size -= 1
            gap = max(6, gap - 1)
        else:
            break
    lh = int(size * 1.3)
    y = head_b + size + 14
    item_rows = rows(compact)
    for r, row in enumerate(item_rows):
        if r == len(item_rows) - 1:
            y += 4
        n = 1
        for k, cell in row.items():
            n = max(n, cell_lines(k, cell, size, True, xs[k] + 8, y, lh))
        y += n * lh + gap
    typed(xs[2] + 8, y - gap + 4, "*" * 30, size)

    # -- box 11: declaration by the exporter -----------------------------------------------------------------
    y = caption(GX0, G_SPLIT, G_ITEMS_B, "11", "Declaration by the exporter") + 10
    lw = G_SPLIT - GX0 - 50
    lmid = (GX0 + G_SPLIT) / 2

    def para(x: float, y: float, text: str, width: float) -> int:
        for line in c.wrap(text, width, 15, family=G_LABEL):
            label(x, y, line, 15)
            y += 19
        return int(y)

    y = para(
        GX0 + 38,
        y,
        "The undersigned hereby declares that the above details and statements are correct; that all the "
        "products were produced in",
        lw,
    )
    typed(lmid, y + 12, G_COUNTRY[country], vs, align="center")
    c.hline(lmid - 180, lmid + 180, y + 20, 1)
    label(lmid, y + 38, "(Country)", 13, align="center")
    y = para(
        GX0 + 38,
        y + 62,
        "and that they comply with the rules of origin, as provided in the ACFTA for the products "
        "exported to",
        lw,
    )
    typed(lmid, y + 12, G_COUNTRY[importing], vs, align="center")
    c.hline(lmid - 180, lmid + 180, y + 20, 1)
    label(lmid, y + 38, "(Importing Party)", 13, align="center")
    seller = f.seller
    ring = seller.name if seller.country == "CN" else seller.name_en
    draw_stamp(
        c, G_SPLIT - 150, G_13 - 110, 72, ring, "*" if seller.country == "CN" else seller.tax_code, rng
    )
    draw_signature(c, GX0 + 330, G_13 - 120, 160, rng)
    if country == "VN":
        exporter_city = f.place_of_loading.en.split(",")[0].upper()
    else:
        address = f.seller.address_en.upper()
        exporter_city = next((t for t in ("PINGXIANG", "CHONGZUO", "NANNING") if t in address), city)
    where = f"{exporter_city}, {G_COUNTRY[country]}  {b.date(f.invoice_date)}"
    typed(GX0 + 40, G_13 - 56, where, fit(where, G_SPLIT - GX0 - 260, vs - 2))
    c.hline(GX0 + 30, G_SPLIT - 30, G_13 - 44, 1)
    label(lmid, G_13 - 22, "Place and date, signature of authorised signatory", 13, align="center")

    # -- box 12: certification, the seal over the place and date of issue ------------------------------------
    y = caption(G_SPLIT, GX1, G_ITEMS_B, "12", "Certification") + 10
    y = para(
        G_SPLIT + 38,
        y,
        "It is hereby certified, on the basis of control carried out, that the declaration by the exporter "
        "is correct.",
        GX1 - G_SPLIT - 70,
    )
    place = f"{city}, {G_COUNTRY[country]}" if rng.random() < 0.6 else city
    issue_y = G_13 - 56
    x = G_SPLIT + 40
    typed(x, issue_y, place)
    dx = x + c.measure(place, vs, family=G_VALUE) + rng.choice((18, 30, 48))
    issue = b.date(f.issue_date)
    b.put(c, "issue_date", dx, issue_y, issue, f.issue_date.isoformat(), size=vs, family=G_VALUE)
    c.hline(G_SPLIT + 30, GX1 - 30, G_13 - 44, 1)
    label(
        (G_SPLIT + GX1) / 2,
        G_13 - 22,
        "Place and date, signature and stamp of certifying authority",
        13,
        align="center",
    )
    draw_signature(c, G_SPLIT + 120 + rng.randint(0, 140), issue_y - 80, 200, rng)
    draw_stamp(
        c, G_SPLIT + 470 + rng.randint(-40, 120), issue_y - 70 + rng.randint(-20, 20), 92, seal_text, "*", rng
    )

    # -- box 13: tick boxes at the foot ----------------------------------------------------------------------
    caption(GX0, GX0 + 60, G_13, "13", "")
    bx = GX0 + 70
    ticked = rng.random() < 0.15
    for k, text in enumerate(
        ("Issued Retroactively", "Exhibition", "Movement Certificate", "Third Party Invoicing")
    ):
        c.checkbox(bx, G_13 + 40, 20, ticked=ticked and k == 0)
        label(bx + 30, G_13 + 57, text, 16)
        bx += 30 + int(c.measure(text, 16, family=G_LABEL)) + 60
    label(GX0 + 70, G_13 + 100, "(Please tick where appropriate)", 13)

    # -- under the frame -------------------------------------------------------------------------------------
    label(GX1, GY1 + 34, "Page 1 of 1", 14, align="right")


register(
    Layout(
        "fe_fresh4_guilloche",
        FORM_E,
        "train",
        G_VALUE,
        fe_fresh4_guilloche,
        numbers=("en", "en", "vi"),
        dates=("mon_d_y", "d_mon_y", "dmy_slash", "dmy_dot", "iso"),
        upper_dates=True,
        hs_dotted=(True, False),
        weight_decimals=(None, 2),
        currencies=("code", "symbol"),
    )
)


# ==========================================================================================================
# A Vietnamese carrier's "PHIẾU GỬI HÀNG / GIẤY VẬN TẢI": letterhead, paragraphs, vehicle table, summary

PL, PR = 84, 1570
P_VALUE = "dejavu_sans"
P_GREY = (235, 235, 235)
P_NAVY = (28, 58, 118)
P_CONTACTS_VN = (
    ("Anh Tuấn", "0912 458 306"),
    ("Chị Hằng", "0983 276 514"),
    ("Anh Quý", "0868 102 775"),
    ("Chị Ngọc", "0977 645 028"),
)
P_CONTACTS_CN = (
    ("黄先生", "139 7718 2604"),
    ("李女士", "188 7710 5273"),
    ("陈经理", "135 0781 6419"),
)
P_DRIVERS_VN = (
    ("Triệu Văn Khánh", "020 078 004 153", "0915 603 882"),
    ("Hà Đức Trung", "020 085 011 276", "0397 214 560"),
    ("Nguyễn Văn Bảy", "001 082 021 945", "0988 415 037"),
    ("Lăng Văn Hải", "020 090 007 318", "0359 880 641"),
)
P_DRIVERS_CN = (
    ("韦志明", "450 122 1984 0316", "138 7716 0429"),
    ("黄德勇", "451 481 1979 1102", "177 6412 3308"),
    ("农永福", "451 402 1988 0725", "150 7713 9462"),
)
P_TRUCKS = (
    "Đầu kéo + sơ mi rơ-moóc",
    "Đầu kéo / 牵引车 + rơ-moóc",
    "Sơ mi rơ-moóc thùng kín",
    "Rơ-moóc lạnh / 冷藏挂车",
)
P_NOTES = (
    "Hàng đã kiểm đếm đủ, niêm phong nguyên vẹn",
    "Giao hàng trước 17h",
    "Xếp nhẹ tay, không quăng quật",
    "Chì niêm phong số {seal}",
    "Đã nhận đủ chứng từ gốc",
)


@lru_cache(maxsize=16)
def _hand_font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(f"{FONT_ROOT}/dejavu/DejaVuSansCondensed-Oblique.ttf", size)


def handwrite(c: Canvas, x: float, y: float, text: str, size: int, rng: Any) -> float:
    """``text`` written by hand in blue ink from baseline ``y``: a slanted face, each letter a little off
    the line and a little bigger or smaller, the whole line tilted. Returns its right end (page x)."""
    width = int(sum(_hand_font(size + 2).getlength(ch) for ch in text)) + 40
    height = size * 4
    layer = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(layer)
    cursor = 10.0
    base = int(size * 2.5)
    for ch in text:
        sz = size + rng.choice((-1, 0, 0, 1, 2))
        f = _hand_font(sz)
        draw.text((cursor, base + rng.uniform(-2.0, 2.0)), ch, font=f, fill=255, anchor="ls")
        cursor += f.getlength(ch) * rng.uniform(0.96, 1.06)
    layer = layer.rotate(rng.uniform(-2.5, 2.5), resample=Image.Resampling.BILINEAR)
    alpha = layer.point(lambda v: int(v * 0.88))
    colour = Image.new("RGB", layer.size, SIGN_BLUE)
    c.image.paste(colour, (int(x - 10), int(y - base)), alpha)
    return x + cursor - 10


def _vn_address(text: str, rng: Any) -> str:
    """A Vietnamese place typed as an address: the province named as such ("tỉnh Lạng Sơn"), sometimes
    without the country."""
    parts = text.split(", ")
    if len(parts) == 3 and parts[2] == "Việt Nam":
        parts[1] = f"tỉnh {parts[1]}"
        if rng.random() < 0.3:
            parts = parts[:2]
    return ", ".join(parts)


def cmr_fresh4_phieugui(b: Builder) -> None:
    """Letterhead and red serial number; title and date; sender and receiver paragraphs; places of taking
    over and delivery with contacts; vehicle table; goods table without totals; documents, freight and a
    handwritten note; the signature block whose summary band holds the totals."""
    f = b.facts
    rng = b.rng
    c = b.new_page()
    carrier = f.carrier
    width = PR - PL

    def typed(
        x: float,
        y: float,
        text: str,
        size: int = 21,
        bold: bool = False,
        align: str = "left",
        fill: tuple[int, int, int] = INK,
    ) -> Box | None:
        return c.text(x, y, text, size, family=P_VALUE, bold=bold, align=align, fill=fill)

    def fit(text: str, w: float, size: int, bold: bool = False) -> int:
        return c.fit(text, w, size, family=P_VALUE, bold=bold)

    # -- letterhead ------------------------------------------------------------------------------------------
    c.draw.rounded_rectangle([PL, 58, PL + 112, 170], radius=16, fill=P_NAVY)
    abbr = carrier.abbr
    c.text(
        PL + 56,
        128,
        abbr,
        fit(abbr, 96, 38, bold=True),
        family="dejavu_sans",
        bold=True,
        fill=(255, 255, 255),
        align="center",
    )
    hx = PL + 134
    head_w = 1150 - hx
    name = carrier.name if carrier.country == "VN" else f"{carrier.name}"
    c.text(hx, 86, name, fit(name, head_w, 26, bold=True), bold=True, fill=P_NAVY)
    address = carrier.address
    c.text(hx, 118, address, fit(address, head_w, 18))
    tax = "MST" if carrier.country == "VN" else "税号"
    contact = f"{tax}: {carrier.tax_code}  ·  Hotline: {carrier.phone}"
    c.text(hx, 146, contact, fit(contact, head_w, 18))
    english = carrier.name_en
    c.text(hx, 172, english, fit(english, head_w, 15), fill=(80, 80, 80))

    c.text(PR, 80, f"Mẫu số / 表号: 01-PGH/{rng.choice(('VT', 'QT'))}", 16, align="right")
    c.text(PR, 106, f"Ký hiệu / 编号: {carrier.abbr}/{f.cmr_date:%y}P", 16, align="right")
    number = f.cmr_number
    num_size = fit(number, 330, 32, bold=True)
    nw = c.measure(number, num_size, family=P_VALUE, bold=True)
    cap = "Số / No.:"
    c.text(PR - nw - 12, 156, cap, 20, align="right")
    b.put(
        c,
        "cmr_number",
        PR - nw,
        156,
        number,
        canon_text(number),
        size=num_size,
        family=P_VALUE,
        bold=True,
        fill=STAMP_RED,
    )
    c.hline(PL, PR, 196, 3)
    c.hline(PL, PR, 202, 1)

    # -- title and date ------------------------------------------------------------------------------------
    mid = (PL + PR) / 2
    title = rng.choice(
        ("PHIẾU GỬI HÀNG / GIẤY VẬN TẢI", "PHIẾU GỬI HÀNG KIÊM GIẤY VẬN TẢI", "GIẤY VẬN TẢI - PHIẾU GỬI HÀNG")
    )
    c.text(mid, 262, title, fit(title, width - 40, 40, bold=True), bold=True, align="center")
    sub = "托运单 · 道路货物运单  —  ROAD CONSIGNMENT NOTE / WAYBILL"
    c.text(mid, 300, sub, fit(sub, width - 100, 21), align="center")
    gate = f.gate
    lane = f"(Hàng hóa xuất nhập khẩu qua cửa khẩu {gate.vi} - {gate.zh})"
    c.text(mid, 332, lane, 18, align="center", fill=(60, 60, 60))
    when = b.date(f.cmr_date)
    if b.style.date == "vi":
        date_cap = rng.choice(("Lạng Sơn,", "Đồng Đăng,", "Lập tại Lạng Sơn,"))
    else:
        date_cap = rng.choice(("Ngày lập / 开单日期:", "Ngày gửi hàng / 托运日期:", "Lập ngày / Date:"))
    size = 22
    total_w = c.measure(date_cap, 19) + 12 + c.measure(when, size, family=P_VALUE, bold=True)
    dx = mid - total_w / 2
    c.text(dx, 374, date_cap, 19)
    b.put(
        c,
        "cmr_date",
        dx + c.measure(date_cap, 19) + 12,
        374,
        when,
        f.cmr_date.isoformat(),
        size=size,
        family=P_VALUE,
        bold=True,
    )

    # -- section headings ------------------------------------------------------------------------------------
    def heading(y: float, number: str, vi: str, zh: str) -> int:
        c.rect(PL, y, PR, y + 36, width=0, outline=None, fill=P_GREY)
        c.hline(PL, PR, y + 36, 1)
        c.text(PL + 12, y + 26, f"{number}. {vi} / {zh}", 20, bold=True)
        return int(y + 36)

    # -- parties as paragraphs -------------------------------------------------------------------------------
    para_size, para_lh = 21, 31
    inner = width - 40

    def party_segs(who: Any, role: str, field: str) -> list[Seg]:
        native = who.country == "VN" or rng.random() < 0.7
        printed = who.name if native else who.name_en
        address = party_address(who, printed)
        tax = f"MST: {who.tax_code}" if who.country == "VN" else f"统一社会信用代码: {who.tax_code}"
        person, mobile = rng.choice(P_CONTACTS_VN if who.country == "VN" else P_CONTACTS_CN)
        return [
            Seg(f"{role}:", bold=False),
            Seg(printed, field, canon_text(printed), bold=True),
            Seg(rng.choice((". Địa chỉ:", "; địa chỉ:", ", ĐC:")), glue=True),
            Seg(address),
            Seg(f". {tax}; điện thoại:", glue=True),
            Seg(who.phone, keep=True),
            Seg(f"; người liên hệ: {person} -", glue=True),
            Seg(mobile, keep=True),
            Seg(".", glue=True),
        ]

    y = heading(412, "1", "NGƯỜI GỬI HÀNG", "托运人 (Consignor)") + 36
    y = flow(
        b,
        c,
        PL + 20,
        y,
        inner,
        party_segs(f.seller, "Tên người gửi", "consignor_name"),
        para_size,
        P_VALUE,
        para_lh,
    )
    y = heading(y - 8, "2", "NGƯỜI NHẬN HÀNG", "收货人 (Consignee)") + 36
    y = flow(
        b,
        c,
        PL + 20,
        y,
        inner,
        party_segs(f.buyer, "Tên người nhận", "consignee_name"),
        para_size,
        P_VALUE,
        para_lh,
    )

    # -- places ----------------------------------------------------------------------------------------------
    y = heading(y - 8, "3", "ĐỊA ĐIỂM NHẬN / GIAO HÀNG", "装卸货地点") + 36
    vn_mode = rng.choice(("vi", "vi", "en"))
    cn_mode = rng.choice(("zh", "zh", "vi"))

    def place_text(place: Any) -> str:
        if str(place.zh).startswith("中国"):
            return str(getattr(place, cn_mode))
        if vn_mode == "vi":
            return _vn_address(str(place.vi), rng)
        return str(place.en)

    rows = (
        ("Nơi nhận hàng (xếp hàng lên xe) / 装货地点:", f.place_of_loading, "place_of_loading", f.seller),
        ("Nơi giao hàng (dỡ hàng) / 卸货地点:", f.place_of_delivery, "place_of_delivery", f.buyer),
    )
    cap_w = max(c.measure(r[0], 19, bold=True) for r in rows)
    vx = PL + 20 + cap_w + 16
    for cap_text, place, field, who in rows:
        c.text(PL + 20, y, cap_text, 19, bold=True)
        text = place_text(place)
        y = flow(b, c, vx, y, PR - vx - 16, [Seg(text, field, canon_text(text), bold=True)], 22, P_VALUE, 30)
        person, mobile = rng.choice(P_CONTACTS_VN if who.country == "VN" else P_CONTACTS_CN)
        typed(vx, y - 4, f"Liên hệ / 联系人: {person} - {mobile}", 17, fill=(70, 70, 70))
        y += 32
    crossing = f"Cửa khẩu / 口岸: {gate.vi} (VN) - {gate.zh} (CN)"
    c.text(PL + 20, y, crossing, 19)
    y += 22

    # -- vehicle table ---------------------------------------------------------------------------------------
    y = heading(y, "4", "PHƯƠNG TIỆN VẬN TẢI", "运输车辆") + 10
    if f.plate_country == "VN":
        driver, licence, phone = rng.choice(P_DRIVERS_VN)
    else:
        driver, licence, phone = rng.choice(P_DRIVERS_CN)
    vcols = (
        ("Biển số xe", "车牌号", 230),
        ("Số rơ-moóc", "挂车号", 230),
        ("Lái xe", "司机", 270),
        ("Số GPLX / CCCD", "驾驶证号", 260),
        ("Điện thoại", "电话", 210),
        ("Loại xe", "车型", width - 1200),
    )
    vxs = [PL]
    for *_, w in vcols:
        vxs.append(vxs[-1] + w)
    top = y
    c.rect(PL, top, PR, top + 58, width=0, outline=None, fill=P_GREY)
    for k, (vi, zh, _) in enumerate(vcols):
        cx = (vxs[k] + vxs[k + 1]) / 2
        c.text(cx, top + 24, vi, fit(vi, vxs[k + 1] - vxs[k] - 12, 17, bold=True), bold=True, align="center")
        c.text(cx, top + 48, zh, 16, align="center")
    y = top + 58
    c.hline(PL, PR, y, 1)
    base = y + 40
    for k, (field, canonical) in enumerate(
        (("vehicle_plate", f.vehicle_plate), ("trailer_plate", f.trailer_plate))
    ):
        printed = b.plate(canonical)
        sz = fit(printed, vxs[k + 1] - vxs[k] - 20, 25, bold=True)
        px = (vxs[k] + vxs[k + 1]) / 2 - c.measure(printed, sz, family=P_VALUE, bold=True) / 2
        b.put(c, field, px, base, printed, canonical, size=sz, family=P_VALUE, bold=True)
    for k, value in ((2, driver), (3, licence), (4, phone)):
        typed(vxs[k] + 10, base, value, fit(value, vxs[k + 1] - vxs[k] - 20, 20))
    kind_lines = c.wrap(rng.choice(P_TRUCKS), vxs[6] - vxs[5] - 20, 17, family=P_VALUE)
    for j, line in enumerate(kind_lines[:2]):
        typed(vxs[5] + 10, base - (10 if len(kind_lines) > 1 else 0) + j * 22, line, 17)
    y += 62
    c.rect(PL, top, PR, y, width=2)
    for xx in vxs[1:-1]:
        c.vline(xx, top, y, 1)

    # -- goods table without a total row ---------------------------------------------------------------------
    y = heading(y + 18, "5", "HÀNG HÓA VẬN CHUYỂN", "货物明细") + 8
    block_top = 2270 - 420  # the signature block keeps the foot of the page
    after_goods = 130  # documents, freight, note
    mode = rng.choice(("vi", "vi_zh", "zh_vi") if f.direction == "export" else ("zh_vi", "vi", "vi_zh"))

    def description(line: Any) -> str:
        good = line.good
        return {"vi": good.vi, "vi_zh": f"{good.vi} / {good.zh}", "zh_vi": f"{good.zh} {good.vi}"}[mode]

    gcols = [
        Column("no", "STT\n序号", 70, "center"),
        Column("desc", "Tên hàng hóa\n货物名称", 550, "left"),
        Column("hs", "Mã HS\nHS编码", 160, "center"),
        Column("kind", "Loại kiện\n包装", 150, "center"),
        Column("packages", "Số kiện\n件数", 160, "right"),
        Column("gross", "T.lượng cả bì (kg)\n毛重(公斤)", 210, "right"),
        Column("note", "Ghi chú\n备注", width - 1300, "left"),
    ]

    def goods_height(size: int) -> int:
        lh = int(size * 1.42)
        total = int(19 * 1.3) * 2 + 20
        for line in f.lines:
            n = len(c.wrap(description(line), 550 - 20, size, family=P_VALUE))
            total += n * lh + 20 - int(size * 0.3)
        return total

    gsize = 21
    while gsize > 14 and y + goods_height(gsize) + after_goods > block_top - 10:
        gsize -= 1
    table = Table(
        b,
        c,
        PL,
        y,
        gcols,
        size=gsize,
        header_size=18,
        pad=10,
        rules="grid",
        header_fill=P_GREY,
        family=P_VALUE,
    )
    table.header()
    for i, line in enumerate(f.lines):
        pack = PACKAGES[line.good.package]
        fresh = line.good.en.lower().startswith("fresh")
        table.row(
            {
                "no": str(i + 1),
                "desc": description(line),
                "hs": b.hs(line.good.hs8),
                "kind": f"{pack['vi']} / {pack['zh']}",
                "packages": b.num(line.packages),
                "gross": b.weight(line.gross_kg),
                "note": "Hàng tươi" if fresh and rng.random() < 0.5 else "",
            }
        )
    notes_top = block_top - after_goods
    blank = int(gsize * 1.42) + 20 - int(gsize * 0.3)
    while table.y + blank <= notes_top - 12:  # the form's empty rows
        table.row({})
    table.finish()

    # -- documents, freight, handwritten note -------------------------------------------------------------
    y = notes_top + 26
    docs = (
        f"Chứng từ kèm theo / 随附单证: Hóa đơn số {f.invoice_number}; Phiếu đóng gói; "
        f"C/O mẫu E số {f.certificate_number}"
    )
    typed(PL + 20, y, docs, fit(docs, width - 40, 18))
    y += 32
    contract = f"{rng.randint(1, 60):02d}/{f.contract_date.year}/HĐVC"
    freight = rng.choice(
        (
            f"Cước vận chuyển / 运费: theo hợp đồng số {contract} - người gửi thanh toán",
            "Cước vận chuyển / 运费: người nhận thanh toán khi giao hàng (到付)",
            f"Cước vận chuyển / 运费: đã thanh toán ({f.incoterm})",
        )
    )
    typed(PL + 20, y, freight, fit(freight, width - 40, 18))
    y += 36
    c.text(PL + 20, y, "Ghi chú / 备注:", 18, bold=True)
    note = rng.choice(P_NOTES).format(seal=f"{rng.randint(0, 999999):06d}")
    handwrite(c, PL + 200, y, note, 24, rng)

    # -- signature block with the totals in its summary band -------------------------------------------------
    top = block_top
    bottom = 2270
    c.rect(PL, top, PR, bottom, width=2)
    band = 96
    c.rect(PL + 1, top + 1, PR - 1, top + band, width=0, outline=None, fill=(246, 246, 246))
    c.hline(PL, PR, top + band, 1)
    kinds = {line.good.package for line in f.lines}
    unit_vi = PACKAGES[next(iter(kinds))]["vi"] if len(kinds) == 1 else "kiện"
    c.text(PL + 14, top + 36, "TỔNG CỘNG / 合计:", 20, bold=True)
    x = PL + 14 + c.measure("TỔNG CỘNG / 合计:", 20, bold=True) + 24
    cap1 = "Tổng số kiện / 总件数:"
    c.text(x, top + 36, cap1, 19)
    x += c.measure(cap1, 19) + 10
    packages = b.num(f.total_packages)
    box = b.put(
        c,
        "total_packages",
        x,
        top + 36,
        packages,
        canon_number(f.total_packages),
        size=24,
        family=P_VALUE,
        bold=True,
    )
    x = (box[2] if box else x + 80) + 8
    typed(x, top + 36, unit_vi, 19)
    x += c.measure(unit_vi, 19, family=P_VALUE) + 40
    cap2 = "Tổng trọng lượng cả bì / 总毛重:"
    c.text(x, top + 36, cap2, 19)
    x += c.measure(cap2, 19) + 10
    gross = b.weight(f.total_gross_kg)
    box = b.put(
        c,
        "total_gross_weight_kg",
        x,
        top + 36,
        gross,
        canon_number(f.total_gross_kg),
        size=24,
        family=P_VALUE,
        bold=True,
    )
    typed((box[2] if box else x + 100) + 8, top + 36, "kg", 19)
    said = vi_words(f.total_packages)
    in_words = f"(Số kiện bằng chữ: {said[0].upper()}{said[1:]} {unit_vi})"
    c.text(PL + 14, top + 74, in_words, fit(in_words, width - 28, 17), fill=(60, 60, 60))

    third = width // 3
    sx = [PL, PL + third, PL + 2 * third, PR]
    signs = (
        ("NGƯỜI GỬI HÀNG / 托运人", "(Ký, ghi rõ họ tên, đóng dấu)"),
        ("LÁI XE - NGƯỜI VẬN CHUYỂN / 承运人", "(Đã nhận đủ hàng, ký và ghi rõ họ tên)"),
        ("NGƯỜI NHẬN HÀNG / 收货人", "(Ký nhận, ghi rõ họ tên)"),
    )
    for k, (head, hint) in enumerate(signs):
        if k:
            c.vline(sx[k], top + band, bottom, 1)
        cx = (sx[k] + sx[k + 1]) / 2
        c.text(cx, top + band + 34, head, fit(head, third - 20, 19, bold=True), bold=True, align="center")
        c.text(cx, top + band + 60, hint, fit(hint, third - 20, 16), align="center", fill=(70, 70, 70))
    sy = top + band + 170
    seller = f.seller
    ring = seller.name.upper() if seller.country == "VN" else seller.name
    draw_stamp(
        c,
        sx[0] + third / 2 + rng.randint(-20, 50),
        sy,
        80,
        ring,
        seller.tax_code if seller.country == "VN" else "*",
        rng,
    )
    draw_signature(c, sx[0] + 90, sy + 16, 170, rng)
    ring = carrier.name.upper() if carrier.country == "VN" else carrier.name
    draw_stamp(
        c,
        sx[1] + third / 2 + rng.randint(30, 80),
        sy,
        80,
        ring,
        carrier.tax_code if carrier.country == "VN" else "*",
        rng,
    )
    draw_signature(c, sx[1] + 70, sy + 20, 160, rng)
    typed((sx[1] + sx[2]) / 2, bottom - 30, driver, 19, align="center")
    if rng.random() < 0.6:
        handwrite(
            c, sx[2] + 60, sy + 10, rng.choice(("Đã nhận đủ hàng", "Hàng nguyên đai", "OK, đủ")), 24, rng
        )
        draw_signature(c, sx[2] + 150, sy + 70, 150, rng)
    c.text(
        sx[3] - 14, bottom - 14, "ngày ..... tháng ..... năm .......", 15, align="right", fill=(90, 90, 90)
    )


register(
    Layout(
        "cmr_fresh4_phieugui",
        CMR,
        "train",
        P_VALUE,
        cmr_fresh4_phieugui,
        numbers=("vi", "vi", "en"),
        groups=(True, True, False),
        dates=("vi", "dmy_slash", "dmy_dot", "dmy_dash", "zh"),
        weight_decimals=(None, 2),
        vn_plates=("dash", "space"),
        cn_plates=("plain", "dot", "space"),
    )
)
