"""Training layouts whose free text wraps: names and descriptions set in narrow cells, as real papers do.

- ``ci_narrow_wrapped``: a commercial invoice with the title at the top left and the number and date in a
  ruled box at the top right (label over value); seller, buyer and the terms of sale in three narrow boxes
  side by side, so that long company names run over two or three lines; a goods grid whose description
  column is narrow, each description stacked by language (Vietnamese over the English name in brackets,
  Chinese over English) and wrapped inside its cell, with the figures set on the cell's top line or centred
  in the row (one choice per document); a stacked "Cộng tiền hàng / Total" row, the amount in words, the
  bank account and two signature places.
- ``pl_bilingual_stacked``: a packing list with the seller's letterhead at the top left and the number and
  date in two label-over-value cells at the top right, a centred two-language title, the consignee on the
  left and the invoice reference, contract, truck and route on the right; a goods grid whose marks cells
  span several lines (consignee's mark, destination, carton numbers, origin) and whose descriptions stack
  two languages and wrap; a total row, a "TỔNG CỘNG / TOTAL" line with the packages in words, wrapped
  remarks and the shipper's signature.

A description prints the shipment's own text (``LineFacts.description``): a bilingual one is cut where its
languages meet and each language starts a new line; joined with single spaces the lines give it back, which
is the truth recorded for it (and what the other documents of the shipment print).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from langson.border.schema import COMMERCIAL_INVOICE, PACKING_LIST
from langson.border.synth.facts import EXPORT_GOODS, IMPORT_GOODS, describe
from langson.border.synth.layouts import L, R, gate_text, invoice_rows, origin_text
from langson.border.synth.layouts_fresh_ci import cn_amount_words, vi_amount_words
from langson.border.synth.render import (
    A4_PX,
    INK,
    PACKAGES,
    Builder,
    Canvas,
    Column,
    Layout,
    amount_in_words,
    canon_number,
    canon_text,
    draw_signature,
    draw_stamp,
    party_address,
    party_name,
    register,
    words,
)

GREY = (82, 82, 90)
HEAD_FILL = (236, 237, 240)
PAGE_BOTTOM = A4_PX[1] - 110  # lowest baseline the footer may use
TABLE_BOTTOM = A4_PX[1] - 170  # lowest edge of a table row

Cells = dict[str, list[str]]  # column key → the parts of its text, each part starting a new line


# ==========================================================================================================
# Shared pieces


def stacked(description: str, language: str) -> list[str]:
    """A description cut where its languages meet: "Sầu riêng tươi (Fresh durian)" → the Vietnamese and
    the bracketed English; "鲜榴莲 Fresh durian" → the Chinese and the English. A one-language text (or one
    this shipment's goods do not explain) stays whole. Joined by single spaces the parts give it back."""
    if language in ("vi_en", "zh_en"):
        for good in (*EXPORT_GOODS, *IMPORT_GOODS):
            if describe(good, language) == description:
                return [good.vi, f"({good.en})"] if language == "vi_en" else [good.zh, good.en]
    return [description]


def lines_within(
    c: Canvas, text: str, width: float, size: int, *, bold: bool = False, floor: int = 13
) -> tuple[list[str], int]:
    """``text`` broken at spaces to ``width``, at ``size`` or, when one word is wider than that, at the
    largest smaller size at which every line fits."""
    while True:
        lines = c.wrap(text, width, size, bold=bold)
        if size <= floor or all(c.measure(line, size, bold=bold) <= width for line in lines):
            return lines, size
        size -= 1


def term_place(b: Builder, language: str) -> str:
    """The place named after the trade term: where the goods are taken over (EXW, FCA, FOB), the frontier
    (DAF) or where they are delivered (DAP, CIF)."""
    f = b.facts
    if f.incoterm == "DAF":
        return str({"vi": f.gate.vi, "zh": f.gate.zh, "en": f.gate.en}[language])
    place = f.place_of_loading if f.incoterm in ("EXW", "FCA", "FOB") else f.place_of_delivery
    if language == "zh":
        return str(place.zh)
    return str(getattr(place, language)).split(",")[0]


def own_date_style(b: Builder) -> str:
    """The document's date style, except that a Vietnamese paper does not write its dates the Chinese way
    nor a Chinese paper the Vietnamese way: those print day, month and year with dots instead."""
    style = b.style.date
    if (style == "zh" and b.facts.seller.country == "VN") or (
        style == "vi" and b.facts.seller.country == "CN"
    ):
        return "dmy_dot"
    return style


def continuation(b: Builder, heading: str, page_label: str) -> Callable[[], tuple[Canvas, int]]:
    """A new page for the rest of the goods: ``heading`` at the top left, ``page_label`` (with "{n}" for
    the page number) at the top right, a rule under them."""

    def next_page() -> tuple[Canvas, int]:
        page = b.new_page()
        page.text(L, 150, heading, page.fit(heading, 1100, 24, bold=True), bold=True)
        page.text(R, 150, page_label.format(n=page.page), 21, align="right")
        page.hline(L, R, 166, 2)
        return page, 196

    return next_page


def seal(b: Builder, c: Canvas, cx: float, cy: float, radius: int) -> None:
    party = b.facts.seller
    ring = party.name.upper() if party.country == "VN" else party.name
    draw_stamp(c, cx, cy, radius, ring, party.tax_code if party.country == "VN" else "*", b.rng)


class Grid:
    """A ruled goods table whose cells hold one or more parts (a description's languages, a mark's lines),
    each part starting a new line and wrapped at spaces inside the cell. ``valign``: "top" sets every cell
    from the row's first line, "middle" centres each cell's lines in the row. ``row_rules``: a rule under
    every row, or only the column lines (rows told apart by their spacing). A row that does not fit goes to
    a new page (``next_page``) under the repeated heads."""

    def __init__(
        self,
        b: Builder,
        c: Canvas,
        x: int,
        y: int,
        columns: list[Column],
        *,
        size: int,
        head_size: int = 19,
        pad: int = 9,
        valign: str = "top",
        row_rules: bool = True,
        rule_width: int = 2,
        fill: tuple[int, int, int] | None = HEAD_FILL,
        next_page: Callable[[], tuple[Canvas, int]] | None = None,
    ) -> None:
        self.b, self.c, self.x, self.y = b, c, x, y
        self.columns = columns
        self.size, self.head_size, self.pad = size, head_size, pad
        self.line_h = int(size * 1.34)
        self.valign, self.row_rules, self.rule_width, self.fill = valign, row_rules, rule_width, fill
        self.next_page = next_page
        self.top = y

    @property
    def width(self) -> int:
        return sum(col.width for col in self.columns)

    def head_height(self) -> int:
        lines = max(col.header.count("\n") + 1 for col in self.columns)
        return lines * int(self.head_size * 1.28) + 2 * self.pad

    def lay(self, cells: Cells, bold: bool = False) -> dict[str, tuple[list[str], int]]:
        """Each column's printed lines and their size."""
        laid = {}
        for col in self.columns:
            room = col.width - 2 * self.pad
            size = self.size
            lines: list[str] = []
            for part in cells.get(col.key, []):
                part_lines, part_size = lines_within(self.c, part, room, self.size, bold=bold)
                lines += part_lines
                size = min(size, part_size)
            laid[col.key] = (lines, size)
        return laid

    def row_height(self, cells: Cells, bold: bool = False) -> int:
        n = max([len(lines) for lines, _ in self.lay(cells, bold).values()] + [1])
        return 2 * self.pad + self.size + (n - 1) * self.line_h + int(self.size * 0.32)

    def header(self) -> None:
        c = self.c
        self.top = self.y
        height = self.head_height()
        if self.fill:
            c.rect(
                self.x, self.y, self.x + self.width, self.y + height, width=0, outline=None, fill=self.fill
            )
        lh = int(self.head_size * 1.28)
        n = max(col.header.count("\n") + 1 for col in self.columns)
        x = self.x
        for col in self.columns:
            parts = col.header.split("\n")
            first = self.y + self.pad + self.head_size + (n - len(parts)) * lh // 2
            for k, part in enumerate(parts):
                size = c.fit(part, col.width - 2 * self.pad + 2, self.head_size, bold=True)
                c.text(x + col.width / 2, first + k * lh, part, size, bold=True, align="center")
            x += col.width
        c.hline(self.x, self.x + self.width, self.y, self.rule_width)
        self.y += height
        c.hline(self.x, self.x + self.width, self.y, self.rule_width)

    def row(
        self,
        cells: Cells,
        *,
        truth: dict[str, str] | None = None,
        line: int | None = None,
        fields: dict[str, tuple[str, str]] | None = None,
        bold: bool = False,
        rule_above: bool = False,
    ) -> None:
        """One row; ``truth`` maps line columns to the canonical values of line item ``line``, ``fields``
        maps column keys to (field name, canonical value) of document fields (the totals)."""
        height = self.row_height(cells, bold)
        if self.next_page is not None and self.y + height > TABLE_BOTTOM:
            self.close()
            self.c, self.y = self.next_page()
            self.header()
        c = self.c
        if rule_above:
            c.hline(self.x, self.x + self.width, self.y, self.rule_width)
        laid = self.lay(cells, bold)
        n = max([len(lines) for lines, _ in laid.values()] + [1])
        x = self.x
        for col in self.columns:
            lines, size = laid[col.key]
            drop = (n - len(lines)) * self.line_h / 2 if self.valign == "middle" else 0
            for k, text in enumerate(lines):
                baseline = self.y + self.pad + self.size + drop + k * self.line_h
                tx: float
                if col.align == "right":
                    tx, align = x + col.width - self.pad, "right"
                elif col.align == "center":
                    tx, align = x + col.width / 2, "center"
                else:
                    tx, align = x + self.pad, "left"
                box = c.text(tx, baseline, text, size, bold=bold, align=align)
                if truth is not None and line is not None and col.key in truth:
                    self.b.record_line(line, col.key, truth[col.key], box, c.page)
                if fields is not None and col.key in fields:
                    name, canonical = fields[col.key]
                    self.b.record(name, canonical, box, c.page, text)
            x += col.width
        self.y += height
        if self.row_rules:
            c.hline(self.x, self.x + self.width, self.y, 1)

    def close(self) -> int:
        """The bottom rule and the column lines of the part of the table on this page."""
        c = self.c
        c.hline(self.x, self.x + self.width, self.y, self.rule_width)
        x = self.x
        for col in self.columns:
            c.vline(x, self.top, self.y, self.rule_width)
            x += col.width
        c.vline(x, self.top, self.y, self.rule_width)
        return self.y


def fitting_size(grid: Grid, rows: list[tuple[Cells, bool]], room: int, sizes: tuple[int, ...]) -> int:
    """The largest of ``sizes`` at which the heads and ``rows`` (cells, bold) take at most ``room``."""
    for size in sizes:
        grid.size, grid.line_h = size, int(size * 1.34)
        if grid.head_height() + sum(grid.row_height(cells, bold) for cells, bold in rows) <= room:
            return size
    return sizes[-1]


# ==========================================================================================================
# Commercial invoice: narrow boxes and a narrow description column

CI_LABELS: dict[str, dict[str, Any]] = {
    "VN": {
        "title": (("HÓA ĐƠN THƯƠNG MẠI", "COMMERCIAL INVOICE"), ("COMMERCIAL INVOICE", "Hóa đơn thương mại")),
        "copy": ("BẢN CHÍNH / ORIGINAL", "LIÊN 1 / ORIGINAL", "BẢN SAO / COPY"),
        "number": ("Số hóa đơn / Invoice No.", "Số HĐTM / Inv. No.", "Hóa đơn số / No."),
        "date": ("Ngày lập / Date of issue", "Ngày HĐ / Inv. date", "Lập ngày / Dated"),
        "seller": ("Người xuất khẩu / Exporter", "Bên bán hàng / The Seller", "Đơn vị bán / Vendor"),
        "buyer": ("Người nhập khẩu / Importer", "Bên mua hàng / The Buyer", "Đơn vị mua / Purchaser"),
        "terms": ("Điều kiện bán hàng / Terms of sale", "Điều khoản / Conditions"),
        "incoterm": ("ĐK cơ sở giao hàng / Incoterms 2020", "Giao hàng theo / Delivery basis"),
        "currency": ("Đồng tiền thanh toán / Currency", "Loại tiền / Currency of payment"),
        "origin": ("Nước xuất xứ / Made in", "Hàng có xuất xứ / Origin of goods"),
        "gate": ("Cửa khẩu thông quan / Clearance gate", "Qua cửa khẩu / Via border gate"),
        "tax": "MST",
        "contract": "Hợp đồng số / Contract No.",
        "dated": "ngày / dated",
        "payment": ("Thanh toán / Payment: T/T", "Hình thức TT / Payment: chuyển khoản T/T"),
        "transport": "Vận chuyển / Transport: ô tô tải / by truck",
        "heads": {
            "no": "STT\nNo.",
            "description": "Tên hàng\nDescription",
            "packing": "Số kiện\nPackages",
            "hs_code": "Mã số HS\nH.S. code",
            "quantity": "Số lượng\nQuantity",
            "unit": "ĐVT\nUnit",
            "unit_price": "Đơn giá\nUnit price",
            "amount": "Thành tiền\nAmount",
        },
        "total": ["Cộng tiền hàng", "Total"],
        "words": ("Số tiền bằng chữ / In words:", "Viết bằng chữ / Say:"),
        "bank": "Ngân hàng / Bank:",
        "bank_name": ("Vietcombank", "BIDV", "Agribank", "VietinBank"),
        "account": "Số TK / A/C No.:",
        "sign_left": ("XÁC NHẬN CỦA BÊN MUA", "(Buyer's confirmation)"),
        "sign_right": ("ĐẠI DIỆN BÊN BÁN", "(For and on behalf of the Seller)"),
        "hint": "(Ký, đóng dấu, ghi rõ họ tên)",
        "continued": "(tiếp theo / continued)",
        "page": "Trang / Page {n}",
    },
    "CN": {
        "title": (("商业发票", "COMMERCIAL INVOICE"), ("COMMERCIAL INVOICE", "商 业 发 票")),
        "copy": ("正本 ORIGINAL", "第一联 ORIGINAL", "副本 COPY"),
        "number": ("发票号 / Invoice No.", "票据编号 / Inv. Ref. No.", "发票编码 / No."),
        "date": ("出票日期 / Issued on", "日期 / Inv. Date", "签发日期 / Dated"),
        "seller": ("售货方 / Vendor", "发货人 / Shipper", "出口商 / Exporter"),
        "buyer": ("购货方 / Purchaser", "收货人 / Consignee", "进口商 / Importer"),
        "terms": ("销售条件 / Terms of sale", "交易条件 / Conditions"),
        "incoterm": ("贸易术语 / Incoterms 2020", "交货方式 / Delivery basis"),
        "currency": ("结算货币 / Currency", "币制 / Currency of payment"),
        "origin": ("原产地 / Made in", "货物原产国 / Origin of goods"),
        "gate": ("出境口岸 / Port of exit", "经由口岸 / Via border gate"),
        "tax": "税号",
        "contract": "合同号 / Contract No.",
        "dated": "日期 / dated",
        "payment": ("付款方式 / Payment: T/T", "结算方式 / Payment: 电汇 T/T"),
        "transport": "运输方式 / Transport: 汽车运输 / by truck",
        "heads": {
            "no": "序号\nItem",
            "description": "货物名称\nCommodity",
            "packing": "件数\nPkgs",
            "hs_code": "税则号\nHS No.",
            "quantity": "数量\nQty",
            "unit": "单位\nUnit",
            "unit_price": "单价\nPrice",
            "amount": "金额\nAmount",
        },
        "total": ["合计", "TOTAL"],
        "words": ("大写金额 / Say:", "金额大写 / In words:"),
        "bank": "开户银行 / Bank:",
        "bank_name": ("中国银行凭祥支行", "中国工商银行南宁分行", "广西北部湾银行崇左分行"),
        "account": "账号 / A/C No.:",
        "sign_left": ("买方确认", "(Buyer's acknowledgement)"),
        "sign_right": ("卖方签章", "(Seller's chop & signature)"),
        "hint": "(签字盖章 / Signature & stamp)",
        "continued": "(续页 / continued)",
        "page": "第{n}页 / Page {n}",
    },
}


def ci_narrow_wrapped(b: Builder) -> None:
    f = b.facts
    rng = b.rng
    side = "VN" if f.seller.country == "VN" else "CN"
    own = "vi" if side == "VN" else "zh"
    lab = CI_LABELS[side]
    pick = rng.choice
    dates = own_date_style(b)
    c = b.new_page()

    # -- title at the top left, a copy mark under it; number and date in a ruled box at the top right ------
    title, subtitle = pick(lab["title"])
    c.text(L, 170, title, c.fit(title, 820, 44, bold=True), bold=True)
    c.text(L, 214, subtitle, 26, bold=True)
    copy = pick(lab["copy"])
    c.text(L, 252, copy, 19, fill=GREY)
    bx0, bx1, row_h = 1010, R, 78
    block = (
        (pick(lab["number"]), "invoice_number", f.invoice_number, canon_text(f.invoice_number)),
        (pick(lab["date"]), "invoice_date", b.date(f.invoice_date, dates), f.invoice_date.isoformat()),
    )
    c.rect(bx0, 118, bx1, 118 + 2 * row_h, width=2)
    c.hline(bx0, bx1, 118 + row_h, 1)
    for k, (label, name, printed, canonical) in enumerate(block):
        y0 = 118 + k * row_h
        c.text(bx0 + 12, y0 + 25, label, 17, fill=GREY)
        size = c.fit(printed, bx1 - bx0 - 28, 26, bold=True)
        b.put(c, name, bx0 + 14, y0 + 64, printed, canonical, size=size, bold=True)

    # -- seller, buyer and the terms of sale in three narrow boxes ----------------------------------------
    top = 300
    widths = (500, 500, R - L - 1000)
    lh_name, lh_addr = 31, 25
    parties = []
    for key, party, name in (("seller", f.seller, "seller_name"), ("buyer", f.buyer, "buyer_name")):
        printed = party_name(b, party, (own,), native_share=0.45)
        address, address_size = lines_within(c, party_address(party, printed), widths[0] - 28, 19)
        parties.append((pick(lab[key]), party, name, printed, address[:3], address_size))
    name_lines = [len(c.wrap(p[3], widths[0] - 28, 24, bold=True)) for p in parties]
    height = max(
        [44 + n * lh_name + len(p[4]) * lh_addr + 40 for n, p in zip(name_lines, parties, strict=True)]
        + [4 * 66 + 30]
    )
    x0 = L
    for label, party, name, printed, address, address_size in parties:
        c.rect(x0, top, x0 + widths[0], top + height, width=2)
        c.text(x0 + 12, top + 26, label, 17, fill=GREY)
        y = b.put_wrapped(c, name, x0 + 14, top + 60, printed, widths[0] - 28, 24, lh_name, bold=True)
        y += 2
        for text in address:
            c.text(x0 + 14, y, text, address_size)
            y += lh_addr
        tax = f"{lab['tax']}: {party.tax_code}" if party.country == "VN" else f"Tel: {party.phone}"
        c.text(x0 + 14, min(y + 6, top + height - 14), tax, 18, fill=GREY)
        x0 += widths[0]
    # The terms box: label over value, four pairs.
    tx0, tx1 = x0, R
    c.rect(tx0, top, tx1, top + height, width=2)
    term_language = pick((own, "en"))
    origin = origin_text(b, pick((own, "en")))
    gate = gate_text(b, pick((own, "en")))
    terms = (
        (pick(lab["incoterm"]), "incoterm", f.incoterm, f.incoterm),
        (pick(lab["currency"]), "currency", b.currency(), f.currency),
        (pick(lab["origin"]), "country_of_origin", origin, canon_text(origin)),
        (pick(lab["gate"]), "border_gate", gate, canon_text(gate)),
    )
    y = top + 24 + (height - 4 * 66 - 20) // 2
    for label, name, printed, canonical in terms:
        c.text(tx0 + 12, y, label, c.fit(label, tx1 - tx0 - 24, 17), fill=GREY)
        size = c.fit(printed, tx1 - tx0 - 28, 23, bold=True)
        box = b.put(c, name, tx0 + 14, y + 33, printed, canonical, size=size, bold=True)
        if name == "incoterm" and box is not None:
            place = term_place(b, term_language)
            room = tx1 - box[2] - 24
            c.text(box[2] + 10, y + 33, place, c.fit(place, room, 21))
        y += 66
    y = top + height + 44

    # -- contract, payment and transport, not part of the extraction --------------------------------------
    contract = f"{lab['contract']}: {f.contract_number}  {lab['dated']} {b.date(f.contract_date, dates)}"
    c.text(L, y, contract, c.fit(contract, 900, 21))
    payment = pick(lab["payment"])
    c.text(R, y, payment, c.fit(payment, R - L - 940, 21), align="right")
    y += 32
    route = f"{lab['transport']}  -  {f.place_of_loading.en} → {f.place_of_delivery.en}"
    c.text(L, y, route, c.fit(route, R - L, 20), fill=GREY)
    y += 24

    # -- the goods grid: a narrow description column -------------------------------------------------------
    heads = lab["heads"]
    described = rng.randint(228, 290)
    cur = b.currency("code")
    fixed = (
        ("no", 62, "center"),
        ("description", described, "left"),
        ("packing", 136, "center"),
        ("hs_code", 158, "center"),
        ("quantity", 170, "right"),
        ("unit", 92, "center"),
        ("unit_price", 176, "right"),
    )
    priced = {"unit_price": f"{heads['unit_price']}\n({cur})", "amount": f"{heads['amount']}\n({cur})"}
    columns = [Column(key, priced.get(key, heads[key]), width, align) for key, width, align in fixed]
    columns.append(Column("amount", priced["amount"], R - L - sum(w for _, w, _ in fixed), "right"))
    unit_language = pick((own, "en")) if side == "VN" else pick(("zh", "en", "en"))
    kind_language = own if unit_language == own else "short"
    rows: list[tuple[Cells, dict[str, str]]] = []
    for (printed, truth), line in zip(invoice_rows(b, unit_language), f.lines, strict=True):
        row = {key: [text] for key, text in printed.items()}
        row["description"] = stacked(line.description, f.description_language)
        row["packing"] = [f"{b.num(line.packages)} {PACKAGES[line.good.package][kind_language]}"]
        rows.append((row, truth))
    total: Cells = {"description": lab["total"], "amount": [b.money(f.total_amount)]}
    if len({line.good.unit for line in f.lines}) == 1 and len(f.lines) > 1:
        total["quantity"] = [b.num(sum((line.quantity for line in f.lines), Decimal(0)))]
    if len({line.good.package for line in f.lines}) == 1:
        total["packing"] = [f"{b.num(f.total_packages)} {PACKAGES[f.lines[0].good.package][kind_language]}"]
    else:
        total["packing"] = [b.num(f.total_packages)]

    footer = 470
    continued = continuation(b, f"{title} {f.invoice_number} {lab['continued']}", lab["page"])
    grid = Grid(
        b,
        c,
        L,
        y,
        columns,
        size=22,
        head_size=19,
        valign=pick(("top", "middle")),
        row_rules=rng.random() < 0.6,
        next_page=None if b.single_page else continued,
    )
    sizes = (22, 21, 20, 19, 18, 17, 16, 15) if b.single_page else (22,)
    body = [(cells, False) for cells, _ in rows] + [(total, True)]
    compact = b.single_page and y + grid.head_height() + sum(grid.row_height(r, bd) for r, bd in body) > (
        PAGE_BOTTOM - footer
    )
    room = PAGE_BOTTOM - (380 if compact else footer) - y
    grid.size = fitting_size(grid, body, room, sizes)
    grid.line_h = int(grid.size * 1.34)
    grid.header()
    for i, (cells, truth) in enumerate(rows):
        grid.row(cells, truth=truth, line=i)
    grid.row(
        total,
        bold=True,
        fields={"amount": ("total_amount", canon_number(f.total_amount))},
        rule_above=not grid.row_rules,
    )
    y = grid.close()
    c = grid.c
    if not b.single_page and y + footer > PAGE_BOTTOM:
        c, y = continued()

    # -- amount in words -----------------------------------------------------------------------------------
    y += 44
    label = pick(lab["words"])
    c.text(L, y, label, 21, bold=True)
    indent = int(c.measure(label, 21, bold=True)) + 12
    if rng.random() < 0.5:
        said = amount_in_words(f.total_amount, f.currency)
    elif side == "VN":
        said = vi_amount_words(f.total_amount, f.currency)
    else:
        said = cn_amount_words(f.total_amount, f.currency)
    said_lines, said_size = lines_within(c, said, R - L - indent, 21)
    for text in said_lines:
        c.text(L + indent, y, text, said_size)
        y += 30
    y += 8
    account = f"{rng.randint(10, 99)}{rng.randint(10**9, 10**10 - 1)}"
    bank = f"{lab['bank']} {pick(lab['bank_name'])}    {lab['account']} {account}"
    c.text(L, y, bank, c.fit(bank, R - L, 19), fill=GREY)

    # -- two signature places, the seller's seal over the right one ----------------------------------------
    y = min(max(y + 90, 1780 if c.page == 1 and not compact else 0), PAGE_BOTTOM - 250)
    for x, (head, note) in ((L + 260, lab["sign_left"]), (R - 300, lab["sign_right"])):
        c.text(x, y, head, 23, bold=True, align="center")
        c.text(x, y + 30, note, 19, align="center")
        c.text(x, y + 56, lab["hint"], 17, fill=GREY, align="center")
    sign_y = y + (140 if compact else 165)
    draw_signature(c, R - 430, sign_y, 230, rng)
    seal(b, c, R - 260 + rng.randint(-30, 30), sign_y - 10, 92 if compact else 108)
    signer = f.seller.name_en
    c.text(R - 300, min(sign_y + 95, PAGE_BOTTOM), signer, c.fit(signer, 520, 18), align="center", fill=INK)


register(
    Layout(
        "ci_narrow_wrapped",
        COMMERCIAL_INVOICE,
        "train",
        "dejavu_condensed",
        ci_narrow_wrapped,
        numbers=("en", "vi"),
        dates=("dmy_slash", "dmy_dash", "d_mon_y", "mon_d_y", "zh", "vi"),
        currencies=("code", "symbol", "zh"),
    )
)


# ==========================================================================================================
# Packing list: marks over several lines, descriptions stacked by language

PL_LABELS: dict[str, dict[str, Any]] = {
    "VN": {
        "title": (("PHIẾU ĐÓNG GÓI HÀNG HÓA", "PACKING LIST"), ("PACKING LIST", "Phiếu đóng gói / 装箱单")),
        "number": ("Số phiếu / P/L No.", "Số / No.", "Phiếu số / Ref."),
        "date": ("Ngày / Date", "Ngày lập / Issued", "Ngày đóng hàng / Date"),
        "consignee": (
            "Người nhận hàng / Consignee / 收货人",
            "Giao cho / Deliver to",
            "Khách hàng / Messrs.",
        ),
        "invoice": ("Theo hóa đơn số / Invoice ref.", "Kèm HĐTM số / Inv. No.", "HĐ thương mại / Invoice"),
        "contract": "Hợp đồng / Contract",
        "truck": "Xe / Truck",
        "route": ("Từ / From", "Đến / To"),
        "tax": "MST",
        "heads": {
            "no": "TT\nNo.",
            "marks": "Ký mã hiệu\nMarks & Nos.",
            "description": "Tên hàng\nDescription",
            "packages": "Số kiện\nPackages",
            "kind": "Bao bì\nPacking",
            "net_weight_kg": "KL tịnh (kg)\nN.W.",
            "gross_weight_kg": "KL cả bì (kg)\nG.W.",
            "cbm": "Thể tích\nMeas. (m³)",
        },
        "sum": ["Cộng", "Sum"],
        "total": "TỔNG CỘNG / TOTAL:",
        "remarks": "Ghi chú / Remarks:",
        "remark_text": (
            "Hàng được đóng gói theo quy cách xuất khẩu, phù hợp vận chuyển đường bộ qua cửa khẩu. "
            "Goods packed in export packing suitable for road transport across the border.",
            "Trọng lượng cân tại kho khi xếp hàng lên xe; sai số cho phép ±0,5%. "
            "Weights taken at loading; tolerance ±0.5%.",
        ),
        "sign": ("NGƯỜI GIAO HÀNG / SHIPPER", "(Ký, đóng dấu / Signature & stamp)"),
        "continued": "(tiếp theo / continued)",
        "page": "Tờ {n}",
    },
    "CN": {
        "title": (("装 箱 单", "PACKING LIST"), ("PACKING LIST", "装箱单 / Phiếu đóng gói")),
        "number": ("装箱单号 / P/L No.", "编号 / No.", "单号 / Ref."),
        "date": ("日期 / Date", "制单日期 / Issued", "装货日期 / Date"),
        "consignee": ("收货人 / Consignee / Người nhận", "致 / Messrs.", "客户 / Customer"),
        "invoice": ("发票号 / Invoice ref.", "对应发票 / Inv. No.", "商业发票 / Invoice"),
        "contract": "合同 / Contract",
        "truck": "车号 / Truck",
        "route": ("起运 / From", "运至 / To"),
        "tax": "统一社会信用代码",
        "heads": {
            "no": "序\nNo.",
            "marks": "唛头\nMarks & Nos.",
            "description": "品名\nDescription",
            "packages": "件数\nPackages",
            "kind": "包装\nPacking",
            "net_weight_kg": "净重 (公斤)\nN.W.",
            "gross_weight_kg": "毛重 (公斤)\nG.W.",
            "cbm": "体积\nMeas. (m³)",
        },
        "sum": ["共计", "Sum"],
        "total": "合计 / TỔNG CỘNG / TOTAL:",
        "remarks": "备注 / Remarks:",
        "remark_text": (
            "货物均按出口标准包装，适合公路运输。Goods packed to export standard for road transport "
            "through the border crossing.",
            "重量以装车时过磅为准，允许误差±0.5%。Weights as weighed at loading, tolerance ±0.5%.",
        ),
        "sign": ("发货人签章 / SHIPPER", "(签字盖章 / Signature & stamp)"),
        "continued": "(续 / continued)",
        "page": "第{n}页",
    },
}
MEASURE_PER_PACKAGE = {
    "carton": Decimal("0.046"),
    "bag": Decimal("0.058"),
    "roll": Decimal("0.085"),
    "pallet": Decimal("1.28"),
}


def pl_bilingual_stacked(b: Builder) -> None:
    f = b.facts
    rng = b.rng
    side = "VN" if f.seller.country == "VN" else "CN"
    own = "vi" if side == "VN" else "zh"
    lab = PL_LABELS[side]
    pick = rng.choice
    dates = own_date_style(b)
    c = b.new_page()

    # -- number and date: two label-over-value cells at the top right --------------------------------------
    cells_x = (1000, 1290, R)
    block = (
        (
            pick(lab["number"]),
            "packing_list_number",
            f.packing_list_number,
            canon_text(f.packing_list_number),
        ),
        (
            pick(lab["date"]),
            "packing_list_date",
            b.date(f.packing_list_date, dates),
            f.packing_list_date.isoformat(),
        ),
    )
    c.rect(cells_x[0], 112, cells_x[2], 204, width=2)
    c.vline(cells_x[1], 112, 204, 1)
    for k, (label, name, printed, canonical) in enumerate(block):
        x0, x1 = cells_x[k], cells_x[k + 1]
        c.text(x0 + 10, 138, label, c.fit(label, x1 - x0 - 20, 17), fill=GREY)
        size = c.fit(printed, x1 - x0 - 22, 25, bold=True)
        b.put(c, name, x0 + 11, 184, printed, canonical, size=size, bold=True)

    # -- the seller's letterhead at the top left, its name over two lines when long ------------------------
    head = party_name(b, f.seller, (own,), native_share=0.5)
    head_text = head.upper() if f.seller.country == "VN" and head == f.seller.name else head
    y = 140
    head_lines, head_size = lines_within(c, head_text, 840, 27, bold=True)
    for text in head_lines[:2]:
        c.text(L, y, text, head_size, bold=True)
        y += 34
    address_lines, address_size = lines_within(c, party_address(f.seller, head), 840, 19)
    for text in address_lines[:2]:
        c.text(L, y, text, address_size)
        y += 25
    contact = f"Tel: {f.seller.phone}   {lab['tax']}: {f.seller.tax_code}"
    c.text(L, y, contact, 19)
    y = max(y + 24, 230)
    c.hline(L, R, y, 3)

    # -- centred title in two languages -------------------------------------------------------------------
    title, subtitle = pick(lab["title"])
    y += 76
    c.text(827, y, title, c.fit(title, 1200, 42, bold=True), bold=True, align="center")
    y += 42
    c.text(827, y, subtitle, 26, align="center")
    y += 62

    # -- consignee on the left, the invoice reference, contract, truck and route on the right --------------
    top = y
    buyer = party_name(b, f.buyer, (own,), native_share=0.5)
    c.text(L, y, pick(lab["consignee"]), 20, bold=True)
    y += 36
    for text in c.wrap(buyer, 700, 24, bold=True)[:3]:
        c.text(L, y, text, 24, bold=True)
        y += 31
    buyer_address, buyer_size = lines_within(c, party_address(f.buyer, buyer), 700, 19)
    for text in buyer_address[:3]:
        c.text(L, y, text, buyer_size)
        y += 25
    left_end = y
    rx, vx = 860, 1130
    plates = b.plate(f.vehicle_plate) + (" / " + b.plate(f.trailer_plate) if rng.random() < 0.5 else "")
    place = pick((own, "en"))
    loading = str(getattr(f.place_of_loading, place))
    delivery = str(getattr(f.place_of_delivery, place))
    facts_rows = (
        (pick(lab["invoice"]), "invoice_number", f.invoice_number, canon_text(f.invoice_number)),
        (lab["contract"], "", f.contract_number, ""),
        (lab["truck"], "", plates, ""),
        (lab["route"][0], "", loading, ""),
        (lab["route"][1], "", delivery, ""),
    )
    y = top
    for label, name, printed, canonical in facts_rows:
        c.text(rx, y, label, c.fit(label, vx - rx - 12, 20), fill=GREY)
        size = c.fit(printed, R - vx, 23, bold=bool(name))
        if name:
            b.put(c, name, vx, y, printed, canonical, size=size, bold=True)
        else:
            c.text(vx, y, printed, size)
        y += 36
    y = max(left_end, y) + 18

    # -- the goods grid -----------------------------------------------------------------------------------
    heads = lab["heads"]
    weights = ["net_weight_kg", "gross_weight_kg"]
    if rng.random() < 0.5:
        weights.reverse()
    described = rng.randint(250, 305)
    fixed = [
        ("no", 58, "center"),
        ("marks", 196, "left"),
        ("description", described, "left"),
        ("packages", 140, "right"),
        ("kind", 118, "center"),
        (weights[0], 186, "right"),
        (weights[1], 186, "right"),
    ]
    columns = [Column(key, heads[key], width, align) for key, width, align in fixed]
    columns.append(Column("cbm", heads["cbm"], R - L - sum(w for _, w, _ in fixed), "right"))
    kind_language = pick((own, "short"))
    mark_head = pick(
        (
            [f"{f.buyer.abbr}-{f.seller.abbr}"],
            [f.buyer.abbr, f.place_of_delivery.en.split(",")[0].upper()],
            [f"{f.buyer.abbr} / {f.invoice_number}"],
        )
    )
    made_in = "MADE IN VIET NAM" if f.origin_country == "VN" else "MADE IN CHINA"
    first = 1
    rows: list[tuple[Cells, dict[str, str]]] = []
    measures = []
    for i, line in enumerate(f.lines):
        last = first + line.packages - 1
        number = "C/No." if line.good.package == "carton" else "No."
        marks = [*mark_head, f"{number} {first}-{last}"]
        if i == 0 or rng.random() < 0.3:
            marks.append(made_in)
        first = last + 1
        measure = (
            Decimal(line.packages) * MEASURE_PER_PACKAGE.get(line.good.package, Decimal("0.05"))
        ).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        measures.append(measure)
        cells: Cells = {
            "no": [str(i + 1)],
            "marks": marks,
            "description": stacked(line.description, f.description_language),
            "packages": [b.num(line.packages)],
            "kind": [PACKAGES[line.good.package][kind_language]],
            "net_weight_kg": [b.weight(line.net_kg)],
            "gross_weight_kg": [b.weight(line.gross_kg)],
            "cbm": [b.num(measure, 2)],
        }
        truth = {
            "description": canon_text(line.description),
            "packages": canon_number(line.packages),
            "net_weight_kg": canon_number(line.net_kg),
            "gross_weight_kg": canon_number(line.gross_kg),
        }
        rows.append((cells, truth))
    total: Cells = {
        "description": lab["sum"],
        "packages": [b.num(f.total_packages)],
        "net_weight_kg": [b.weight(f.total_net_kg)],
        "gross_weight_kg": [b.weight(f.total_gross_kg)],
        "cbm": [b.num(sum(measures, Decimal(0)), 2)],
    }

    footer = 430

    continued = continuation(b, f"{title} {f.packing_list_number} {lab['continued']}", lab["page"])
    grid = Grid(
        b,
        c,
        L,
        y,
        columns,
        size=22,
        head_size=19,
        valign=pick(("top", "middle")),
        row_rules=rng.random() < 0.7,
        rule_width=pick((1, 2)),
        fill=pick((HEAD_FILL, None)),
        next_page=None if b.single_page else continued,
    )
    body = [(cells, False) for cells, _ in rows] + [(total, True)]
    compact = b.single_page and y + grid.head_height() + sum(grid.row_height(r, bd) for r, bd in body) > (
        PAGE_BOTTOM - footer
    )
    sizes = (22, 21, 20, 19, 18, 17, 16, 15) if b.single_page else (22,)
    grid.size = fitting_size(grid, body, PAGE_BOTTOM - (340 if compact else footer) - y, sizes)
    grid.line_h = int(grid.size * 1.34)
    grid.header()
    for i, (cells, truth) in enumerate(rows):
        grid.row(cells, truth=truth, line=i)
    grid.row(
        total,
        bold=True,
        fields={
            "packages": ("total_packages", canon_number(f.total_packages)),
            "net_weight_kg": ("total_net_weight_kg", canon_number(f.total_net_kg)),
            "gross_weight_kg": ("total_gross_weight_kg", canon_number(f.total_gross_kg)),
        },
        rule_above=not grid.row_rules,
    )
    y = grid.close()
    c = grid.c
    if not b.single_page and y + footer > PAGE_BOTTOM:
        c, y = continued()

    # -- TOTAL line: the packages in words; remarks that wrap; the shipper's signature ---------------------
    y += 48
    kinds = {line.good.package for line in f.lines}
    kind = PACKAGES[next(iter(kinds))]["en"] if len(kinds) == 1 else "PACKAGES"
    label = lab["total"]
    c.text(L, y, label, 22, bold=True)
    indent = int(c.measure(label, 22, bold=True)) + 12
    said = f"{words(f.total_packages)} ({b.num(f.total_packages)}) {kind} ONLY."
    said_lines, said_size = lines_within(c, said, R - L - indent, 22, bold=True)
    for text in said_lines:
        c.text(L + indent, y, text, said_size, bold=True)
        y += 31
    y += 14
    label = lab["remarks"]
    c.text(L, y, label, 20)
    indent = int(c.measure(label, 20)) + 10
    remark_lines, remark_size = lines_within(c, pick(lab["remark_text"]), R - L - indent - 300, 20)
    for text in remark_lines:
        c.text(L + indent, y, text, remark_size, fill=GREY)
        y += 28
    y = min(max(y + 70, 1900 if c.page == 1 and not compact else 0), PAGE_BOTTOM - 220)
    head, note = lab["sign"]
    sx = R - 320
    c.text(sx, y, head, 22, bold=True, align="center")
    c.text(sx, y + 30, note, 18, fill=GREY, align="center")
    draw_signature(c, sx - 130, y + (130 if compact else 150), 240, rng)
    seal(b, c, sx + 90 + rng.randint(-25, 25), y + (120 if compact else 140), 90 if compact else 105)


register(
    Layout(
        "pl_bilingual_stacked",
        PACKING_LIST,
        "train",
        "liberation_serif",
        pl_bilingual_stacked,
        numbers=("en", "vi"),
        dates=("dmy_dot", "iso", "d_mon_y", "mon_d_y", "zh", "dmy_slash"),
        groups=(True, False),
        weight_decimals=(None, 2),
    )
)
