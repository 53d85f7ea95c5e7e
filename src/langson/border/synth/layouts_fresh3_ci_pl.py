"""Fresh training layouts (fresh3, ci/pl): two more ways traders at the Lạng Sơn crossings print their papers.

- ``ci_fresh3_messrs``: an invoice on the seller's letterhead (a round logo with the company's initials,
  the company's own name in large type as the only mention of the seller, its English name, address, and a
  phone / fax / tax line), a title in the seller's language over its English translation, the buyer in a
  rounded frame under "TO Messrs. 致:" / "Kính gửi (To Messrs.):" at the left and a colon-aligned
  "No. / Date / S/C No. / Payment" list at the right (English label first); the route in one sentence that
  names the border gate ("Shipped per truck from … to … via …", "由…经友谊关口岸运至…"); a goods table
  with item codes, English-over-native heads, shaded alternate rows and no total row, whose unit-price
  head carries the trade term ("Unit Price / 单价 (USD) / DAP PINGXIANG"); the total in a sentence with
  the currency before the amount, the amount in words, numbered remarks holding the country of origin,
  the beneficiary's bank and an "Authorized Signature" block.
- ``pl_fresh3_cartons``: a pre-printed packing / weight list filled in by a printer: a small letterhead at
  the top left and the form's copy mark at the right, a centred title, two columns of labels each followed
  by a dotted fill-in line carrying the typed value (in a typewriter face), a table that starts with the
  carton number ranges ("C/No. 1-120"), gives the quantity with its unit before the package count and the
  net weight before the gross, with no total row: the totals are stated in one sentence under it
  ("共计 TOTAL: 1,234 箱 CARTONS，毛重 G.W. … KGS，净重 N.W. … KGS。"), then a "SAY TOTAL" line, a
  drawn carton side mark and the shipper's signature.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from langson.border.schema import COMMERCIAL_INVOICE, PACKING_LIST
from langson.border.synth.layouts import L, R, gate_text, origin_text
from langson.border.synth.layouts_fresh_ci import cn_amount_words, vi_amount_words
from langson.border.synth.render import (
    A4_PX,
    INK,
    PACKAGES,
    UNITS,
    Builder,
    Canvas,
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

GREY = (78, 78, 86)
SHADE = (240, 241, 244)
PAGE_BOTTOM = A4_PX[1] - 110  # lowest baseline a footer may use
TABLE_BOTTOM = A4_PX[1] - 170  # lowest edge of a table row

Segment = tuple[str, str, str]  # printed text, field name ("" for plain text), canonical value


# ==========================================================================================================
# Shared pieces


def flow(
    b: Builder,
    c: Canvas,
    x: float,
    y: float,
    width: float,
    segments: list[Segment],
    size: int,
    line_h: int,
    *,
    bold: bool = False,
    bold_fields: bool = True,
    family: str | None = None,
) -> int:
    """A sentence made of ``segments`` set from ``x`` and wrapped at spaces to ``width``; a segment naming a
    field is recorded with its own box and never broken. Returns the baseline after the last line."""
    text = ""
    spans: list[tuple[int, int, str, str]] = []
    for piece, name, canonical in segments:
        if name:
            spans.append((len(text), len(text) + len(piece), name, canonical))
        text += piece

    def protected(i: int) -> bool:
        return any(s <= i < e for s, e, _, _ in spans)

    def span_at(a: int, z: int) -> tuple[int, int, str, str] | None:
        return next((sp for sp in spans if sp[0] <= a and z <= sp[1]), None)

    def width_of(a: int, z: int) -> float:
        total = 0.0
        cuts = sorted({a, z} | {p for sp in spans for p in sp[:2] if a < p < z})
        for p, q in pairwise(cuts):
            heavy = bold or (bold_fields and span_at(p, q) is not None)
            total += c.measure(text[p:q], size, family=family, bold=heavy)
        return total

    chunks: list[tuple[int, int]] = []
    start = 0
    for i, ch in enumerate(text):
        if ch == " " and not protected(i):
            if i > start:
                chunks.append((start, i))
            start = i + 1
    if start < len(text):
        chunks.append((start, len(text)))
    lines: list[tuple[int, int]] = []
    current: tuple[int, int] | None = None
    for chunk in chunks:
        if current is None:
            current = chunk
        elif width_of(current[0], chunk[1]) > width:
            lines.append(current)
            current = chunk
        else:
            current = (current[0], chunk[1])
    if current is not None:
        lines.append(current)
    for a, z in lines:
        cuts = sorted({a, z} | {p for sp in spans for p in sp[:2] if a < p < z})
        cursor = float(x)
        for p, q in pairwise(cuts):
            piece = text[p:q]
            span = span_at(p, q)
            heavy = bold or (bold_fields and span is not None)
            if span is not None:
                b.put(c, span[2], cursor, y, piece, span[3], size=size, bold=heavy, family=family)
            else:
                c.text(cursor, y, piece, size, bold=heavy, family=family)
            cursor += c.measure(piece, size, family=family, bold=heavy)
        y += line_h
    return int(y)


def date_style(b: Builder) -> str:
    """The document's date style, except that a Chinese seller does not write the Vietnamese "ngày … tháng"
    form nor a Vietnamese seller the "年月日" one: each writes its own instead."""
    style = b.style.date
    if style == "zh" and b.facts.seller.country == "VN":
        return "vi"
    if style == "vi" and b.facts.seller.country == "CN":
        return "zh"
    return style


def short_place(place: Any, language: str) -> str:
    """A place as a route line names it: "Bằng Tường", "PINGXIANG", "中国广西凭祥市"."""
    if language == "zh":
        return str(place.zh)
    text = str(getattr(place, language)).split(",")[0]
    return text.upper() if language == "en" else text


def term_place(b: Builder, language: str) -> str:
    """The place after the trade term: the frontier for DAF, where the goods are taken over for EXW and FOB,
    where they are delivered otherwise."""
    f = b.facts
    if f.incoterm == "DAF":
        return str({"vi": f.gate.vi, "zh": f.gate.zh, "en": f.gate.en.upper()}[language])
    place = f.place_of_loading if f.incoterm in ("EXW", "FOB", "FCA") else f.place_of_delivery
    return short_place(place, language)


def company_seal(b: Builder, c: Canvas, cx: float, cy: float, radius: int) -> None:
    party = b.facts.seller
    ring = party.name.upper() if party.country == "VN" else party.name
    draw_stamp(c, cx, cy, radius, ring, party.tax_code if party.country == "VN" else "*", b.rng)


@dataclass
class Col:
    key: str  # a line column of the schema, or a free key that is not recorded
    head: tuple[str, ...]  # the header's lines, top first
    width: int
    align: str = "left"


class Ledger:
    """A goods table drawn row by row: heads centred in a band (optionally shaded), rows optionally shaded
    one in two or separated by thin rules, the frame and column lines drawn when a page's part of it is
    closed. A row that does not fit goes to a new page (``next_page``) under the repeated heads;
    ``on_head(ledger, first)`` draws what the heads carry beyond their text."""

    def __init__(
        self,
        b: Builder,
        c: Canvas,
        x: int,
        y: int,
        cols: list[Col],
        *,
        size: int,
        head_size: int = 19,
        pad: int = 9,
        head_fill: tuple[int, int, int] | None = None,
        zebra: tuple[int, int, int] | None = None,
        row_rule: int = 0,
        frame: int = 2,
        next_page: Callable[[], tuple[Canvas, int]] | None = None,
        on_head: Callable[[Ledger, bool], None] | None = None,
    ) -> None:
        self.b, self.c, self.x, self.y = b, c, x, y
        self.cols = cols
        self.size, self.head_size, self.pad = size, head_size, pad
        self.head_fill, self.zebra, self.row_rule, self.frame = head_fill, zebra, row_rule, frame
        self.next_page = next_page
        self.on_head = on_head
        self.top = y
        self.head_top = y
        self.rows_drawn = 0
        self.first_head = True

    @property
    def width(self) -> int:
        return sum(col.width for col in self.cols)

    @property
    def line_h(self) -> int:
        return int(self.size * 1.36)

    @property
    def head_line_h(self) -> int:
        return int(self.head_size * 1.3)

    def col_x(self, key: str) -> tuple[int, int]:
        x = self.x
        for col in self.cols:
            if col.key == key:
                return x, x + col.width
            x += col.width
        raise KeyError(key)

    def head_lines(self) -> int:
        return max(len(col.head) for col in self.cols)

    def head_height(self) -> int:
        return self.head_lines() * self.head_line_h + 2 * self.pad

    def head_baseline(self, k: int) -> int:
        """The baseline of the heads' ``k``-th line (from 0)."""
        return self.head_top + self.pad + int(self.head_size * 1.02) + k * self.head_line_h

    def header(self) -> None:
        c = self.c
        self.top = self.head_top = self.y
        height = self.head_height()
        if self.head_fill:
            c.rect(
                self.x,
                self.y,
                self.x + self.width,
                self.y + height,
                width=0,
                outline=None,
                fill=self.head_fill,
            )
        x = self.x
        for col in self.cols:
            for k, part in enumerate(col.head):
                size = c.fit(part, col.width - 2 * self.pad + 4, self.head_size, bold=True)
                c.text(x + col.width / 2, self.head_baseline(k), part, size, bold=True, align="center")
            x += col.width
        c.hline(self.x, self.x + self.width, self.y, self.frame)
        self.y += height
        c.hline(self.x, self.x + self.width, self.y, self.frame)
        c.hline(self.x, self.x + self.width, self.y + 4, 1)
        self.y += 4
        if self.on_head is not None:
            self.on_head(self, self.first_head)
        self.first_head = False

    def lay(self, cells: dict[str, list[str]], bold: bool = False) -> dict[str, list[str]]:
        """Each column's printed lines: every part of a cell starts a new line and wraps at spaces."""
        laid: dict[str, list[str]] = {}
        for col in self.cols:
            lines: list[str] = []
            for part in cells.get(col.key, []):
                lines += self.c.wrap(part, col.width - 2 * self.pad, self.size, bold=bold)
            laid[col.key] = lines
        return laid

    def row_height(self, cells: dict[str, list[str]], bold: bool = False) -> int:
        n = max([len(lines) for lines in self.lay(cells, bold).values()] + [1])
        return 2 * self.pad + self.size + (n - 1) * self.line_h + int(self.size * 0.3)

    def row(
        self,
        cells: dict[str, list[str]],
        *,
        truth: dict[str, str] | None = None,
        line: int | None = None,
        fields: dict[str, tuple[str, str]] | None = None,
        bold: bool = False,
    ) -> None:
        height = self.row_height(cells, bold)
        if self.next_page is not None and self.y + height > TABLE_BOTTOM:
            self.close()
            self.c, self.y = self.next_page()
            self.header()
        c = self.c
        if self.zebra and self.rows_drawn % 2 == 1:
            c.rect(
                self.x, self.y, self.x + self.width, self.y + height, width=0, outline=None, fill=self.zebra
            )
        laid = self.lay(cells, bold)
        x = self.x
        for col in self.cols:
            for k, text in enumerate(laid[col.key]):
                baseline = self.y + self.pad + self.size + k * self.line_h
                tx: float
                if col.align == "right":
                    tx, align = x + col.width - self.pad, "right"
                elif col.align == "center":
                    tx, align = x + col.width / 2, "center"
                else:
                    tx, align = x + self.pad, "left"
                box = c.text(tx, baseline, text, self.size, bold=bold, align=align)
                if truth is not None and line is not None and col.key in truth:
                    self.b.record_line(line, col.key, truth[col.key], box, c.page)
                if fields is not None and col.key in fields:
                    name, canonical = fields[col.key]
                    self.b.record(name, canonical, box, c.page, text)
            x += col.width
        self.y += height
        self.rows_drawn += 1
        if self.row_rule:
            c.hline(self.x, self.x + self.width, self.y, self.row_rule)

    def close(self) -> int:
        c = self.c
        c.hline(self.x, self.x + self.width, self.y, self.frame)
        x = self.x
        for k, col in enumerate(self.cols):
            c.vline(x, self.top, self.y, self.frame if k == 0 else 1)
            x += col.width
        c.vline(x, self.top, self.y, self.frame)
        return self.y


def fit_size(ledger: Ledger, rows: list[dict[str, list[str]]], room: int, sizes: tuple[int, ...]) -> int:
    """The largest of ``sizes`` at which the heads and ``rows`` take at most ``room``."""
    for size in sizes:
        ledger.size = size
        if ledger.head_height() + 4 + sum(ledger.row_height(cells) for cells in rows) <= room:
            return size
    return sizes[-1]


def continuation(b: Builder, heading: str, page_label: str) -> Callable[[], tuple[Canvas, int]]:
    def next_page() -> tuple[Canvas, int]:
        page = b.new_page()
        page.text(L, 150, heading, page.fit(heading, 1050, 24, bold=True), bold=True)
        page.text(R, 150, page_label.format(n=page.page), 21, align="right")
        page.hline(L, R, 168, 1)
        return page, 200

    return next_page


def stacked_description(description: str, language: str) -> list[str]:
    """A bilingual description cut where its languages meet ("鲜榴莲 Fresh durian" → the Chinese, then the
    English; "Sầu riêng tươi (Fresh durian)" → the Vietnamese, then the bracket); one language stays whole.
    Joined with single spaces the parts give the description back."""
    if language == "vi_en" and description.endswith(")") and " (" in description:
        head, tail = description.split(" (", 1)
        return [head, "(" + tail]
    if language == "zh_en":
        words_ = description.split(" ")
        han = [w for w in words_ if any("\u4e00" <= ch <= "\u9fff" for ch in w)]
        if han and words_[: len(han)] == han and len(han) < len(words_):
            return [" ".join(han), " ".join(words_[len(han) :])]
    return [description]


# ==========================================================================================================
# Commercial invoice on the seller's letterhead, "TO Messrs.", the trade term in the price head

CI_WORDS: dict[str, dict[str, Any]] = {
    "CN": {
        "titles": (("发  票", "INVOICE"), ("出口发票", "EXPORT INVOICE"), ("销售发票", "SALES INVOICE")),
        "to": ("TO Messrs. 致:", "Invoice to 客户:", "Bill to 付款方:"),
        "number": ("No. 编号", "Invoice No. 票号", "Our Ref. 编号"),
        "date": ("Date 日期", "Issued on 开具日期", "Dated 日期"),
        "contract": ("S/C No. 合同号", "Order No. 订单号"),
        "payment": ("Payment 付款", "Terms 付款条件"),
        "payment_values": ("T/T", "T/T 30 days", "100% T/T before delivery", "电汇 T/T"),
        "tax": "税号",
        "fax": "传真 Fax",
        "tel": "电话 Tel",
        "heads": {
            "item": ("Item No.", "货号"),
            "description": ("Description & Specification", "品名及规格"),
            "hs_code": ("H.S. Code", "海关编码"),
            "quantity": ("Quantity", "数量"),
            "unit": ("Unit", "单位"),
            "unit_price": ("Unit Price", "单价 ({cur})"),
            "amount": ("Amount", "金额 ({cur})"),
        },
        "total": ("TOTAL AMOUNT 总金额:", "Total invoice value 本发票总值:", "GRAND TOTAL 总计:"),
        "words": "SAY 大写:",
        "remarks": "REMARKS 备注:",
        "origin": ("Country of origin 原产国:", "Origin 产地:"),
        "marks": "Shipping marks 唛头: N/M",
        "packing": "Packing 包装: export standard cartons/bags 出口标准包装",
        "bank": "Beneficiary's bank 收款银行:",
        "banks": (
            ("Bank of China, Pingxiang Branch", "BKCHCNBJ48A"),
            ("Guangxi Beibu Gulf Bank, Chongzuo Branch", "BGBKCNBN"),
            ("Industrial and Commercial Bank of China, Nanning", "ICBKCNBJGXI"),
        ),
        "account": "A/C No. 账号:",
        "beneficiary": "Beneficiary 收款人:",
        "sign": ("For and on behalf of", "Authorized Signature 授权签字"),
        "page": "第{n}页 Page {n}",
        "continued": "(续 continued)",
    },
    "VN": {
        "titles": (
            ("HÓA ĐƠN XUẤT KHẨU", "EXPORT INVOICE"),
            ("HÓA ĐƠN BÁN HÀNG", "SALES INVOICE"),
            ("HÓA ĐƠN", "INVOICE"),
        ),
        "to": ("Kính gửi (To Messrs.):", "Xuất cho (Invoice to):", "Khách hàng (Bill to):"),
        "number": ("Số / No.", "Số chứng từ / Ref. No.", "Số HĐXK / No."),
        "date": ("Ngày / Date", "Ngày phát hành / Issued", "Lập ngày / Dated"),
        "contract": ("Hợp đồng / S/C No.", "Đơn hàng / Order No."),
        "payment": ("Thanh toán / Payment", "Điều khoản TT / Terms"),
        "payment_values": ("T/T", "T/T 30 ngày", "Chuyển khoản T/T", "TTr 100%"),
        "tax": "MST",
        "fax": "Fax",
        "tel": "ĐT / Tel",
        "heads": {
            "item": ("Item No.", "Mã hàng"),
            "description": ("Description & Specification", "Tên hàng, quy cách"),
            "hs_code": ("H.S. Code", "Mã HS"),
            "quantity": ("Quantity", "Số lượng"),
            "unit": ("Unit", "ĐVT"),
            "unit_price": ("Unit Price", "Đơn giá ({cur})"),
            "amount": ("Amount", "Trị giá ({cur})"),
        },
        "total": (
            "Tổng trị giá hóa đơn (Total value):",
            "Tổng giá trị lô hàng (Total amount):",
            "TỔNG CỘNG (TOTAL):",
        ),
        "words": "Bằng chữ (Say):",
        "remarks": "Ghi chú / Remarks:",
        "origin": ("Xuất xứ hàng hóa (Origin):", "Nước sản xuất (Made in):"),
        "marks": "Ký mã hiệu (Marks): N/M",
        "packing": "Đóng gói: theo tiêu chuẩn xuất khẩu (Export packing)",
        "bank": "Ngân hàng thụ hưởng (Beneficiary bank):",
        "banks": (
            ("Vietcombank - CN Lạng Sơn", "BFTVVNVX"),
            ("BIDV - CN Lạng Sơn", "BIDVVNVX"),
            ("Agribank - CN Lạng Sơn", "VBAAVNVX"),
        ),
        "account": "Số tài khoản (A/C No.):",
        "beneficiary": "Đơn vị thụ hưởng:",
        "sign": ("For and on behalf of", "Authorized Signature / Chữ ký"),
        "page": "Trang {n} / Page {n}",
        "continued": "(tiếp theo / continued)",
    },
}


def _logo(c: Canvas, cx: float, cy: float, radius: int, text: str) -> None:
    c.draw.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], outline=INK, width=5)
    c.draw.ellipse([cx - radius + 9, cy - radius + 9, cx + radius - 9, cy + radius - 9], outline=INK, width=1)
    size = c.fit(text, radius * 1.45, 34, bold=True)
    c.text(cx, cy + size * 0.36, text, size, bold=True, align="center")


def _fax(phone: str) -> str:
    """The fax line of a company: its phone number with the last digit moved on by one."""
    return phone[:-1] + str((int(phone[-1]) + 1) % 10)


def ci_fresh3_messrs(b: Builder) -> None:
    f = b.facts
    rng = b.rng
    side = "VN" if f.seller.country == "VN" else "CN"
    own = "vi" if side == "VN" else "zh"
    w = CI_WORDS[side]
    c = b.new_page()

    # -- letterhead: logo, the company's own name (the seller, unlabelled), English name, contacts ---------
    _logo(c, L + 64, 186, 64, f.seller.abbr)
    hx = L + 158
    room = R - hx
    seller = party_name(b, f.seller, (own,)) if rng.random() < 0.85 else f.seller.name_en
    name_lines = c.wrap(seller, room, 34, bold=True)
    name_size = 34 if len(name_lines) == 1 else 30
    name_lines = c.wrap(seller, room, name_size, bold=True)
    y = 160
    for line in name_lines:
        size = c.fit(line, room, name_size, bold=True)
        b.put(c, "seller_name", hx, y, line, canon_text(seller), size=size, bold=True)
        y += name_size + 6
    if seller != f.seller.name_en:
        c.text(hx, y, f.seller.name_en, c.fit(f.seller.name_en, room, 21, bold=True), bold=True, fill=GREY)
        y += 30
    address = party_address(f.seller, seller) if rng.random() < 0.5 else f.seller.address
    c.text(hx, y, address, c.fit(address, room, 20))
    y += 29
    contact = (
        f"{w['tel']}: {f.seller.phone}   {w['fax']}: {_fax(f.seller.phone)}   {w['tax']}: {f.seller.tax_code}"
    )
    c.text(hx, y, contact, c.fit(contact, room, 20))
    y = max(y + 22, 262)
    c.hline(L, R, y, 4)
    c.hline(L, R, y + 7, 1)

    # -- title in the seller's language with its translation ---------------------------------------------
    native, english = rng.choice(w["titles"])
    y += 88
    c.text(827, y, native, 44, bold=True, align="center")
    c.text(827, y + 44, english, 26, bold=True, align="center")
    c.text(R, y + 44, w["page"].format(n=1), 18, align="right", fill=GREY)
    top = y + 100

    # -- right: colon-aligned number / date / order / payment ----------------------------------------------
    kx, colon, vx = 955, 1190, 1206
    payment = rng.choice(w["payment_values"])
    rows = (
        (rng.choice(w["number"]), "invoice_number", f.invoice_number, canon_text(f.invoice_number)),
        (
            rng.choice(w["date"]),
            "invoice_date",
            b.date(f.invoice_date, date_style(b)),
            f.invoice_date.isoformat(),
        ),
        (rng.choice(w["contract"]), "", f.contract_number, ""),
        (rng.choice(w["payment"]), "", payment, ""),
    )
    ry = top + 40
    for label, name, printed, canonical in rows:
        c.text(kx, ry, label, c.fit(label, colon - kx - 8, 21))
        c.text(colon, ry, ":", 21)
        size = c.fit(printed, R - vx, 24, bold=bool(name))
        if name:
            b.put(c, name, vx, ry, printed, canonical, size=size, bold=True)
        else:
            c.text(vx, ry, printed, size)
        ry += 44

    # -- left: the buyer in a rounded frame under its label ----------------------------------------------
    fx0, fx1 = L, 900
    c.text(fx0, top + 16, rng.choice(w["to"]), 22, bold=True)
    buyer = party_name(b, f.buyer, (own,), native_share=0.5)
    inner = fx1 - fx0 - 40
    by = b.put_wrapped(c, "buyer_name", fx0 + 20, top + 76, buyer, inner, 25, 33, bold=True)
    for line in c.wrap(party_address(f.buyer, buyer), inner, 20)[:3]:
        c.text(fx0 + 20, by, line, 20)
        by += 27
    tax = "MST" if f.buyer.country == "VN" else "Tax ID"
    c.text(fx0 + 20, by, f"Tel: {f.buyer.phone}    {tax}: {f.buyer.tax_code}", 20)
    frame_bottom = by + 22
    c.draw.rounded_rectangle([fx0, top + 32, fx1, frame_bottom], radius=18, outline=INK, width=2)
    y = max(frame_bottom, ry - 20) + 50

    # -- the route in one sentence that names the border gate ---------------------------------------------
    route_language = rng.choice(("en", own)) if side == "CN" else rng.choice(("en", "vi", "vi"))
    gate = gate_text(b, route_language)
    loading = short_place(f.place_of_loading, route_language)
    delivery = short_place(f.place_of_delivery, route_language)
    segments: list[Segment]
    if route_language == "zh":
        segments = [
            ("运输 Shipment: 由" + loading + "经", "", ""),
            (gate, "border_gate", canon_text(gate)),
            ("运至" + delivery + "，汽车运输 (by truck)。", "", ""),
        ]
    elif route_language == "vi":
        segments = [
            (f"Vận chuyển (Shipment): bằng ô tô từ {loading} đến {delivery} qua ", "", ""),
            (gate, "border_gate", canon_text(gate)),
            (".", "", ""),
        ]
    else:
        lead = rng.choice(("Shipment: by truck", "Shipped per truck", "Transport: by road"))
        segments = [
            (f"{lead} from {loading} to {delivery} via ", "", ""),
            (gate, "border_gate", canon_text(gate)),
            (".", "", ""),
        ]
    y = flow(b, c, L, y, R - L, segments, 22, 31) + 8

    # -- goods: item codes, English over native heads, the trade term under the price head ----------------
    cur = b.currency("code")
    heads = w["heads"]
    widths = {"item": 132, "description": 416, "hs_code": 160, "quantity": 170, "unit": 92, "unit_price": 222}
    widths["amount"] = R - L - sum(widths.values())
    aligns = {
        "quantity": "right",
        "unit_price": "right",
        "amount": "right",
        "unit": "center",
        "item": "center",
    }
    cols = []
    for key in ("item", "description", "hs_code", "quantity", "unit", "unit_price", "amount"):
        head = tuple(part.format(cur=cur) for part in heads[key])
        if key == "unit_price":
            head = (*head, "")  # the trade term and its place are drawn on this line
        cols.append(Col(key, head, widths[key], aligns.get(key, "left")))
    unit_language = own if rng.random() < 0.6 else rng.choice(("en", "code"))
    prefix = f.seller.abbr[:2]
    rows_: list[tuple[dict[str, list[str]], dict[str, str]]] = []
    for i, line in enumerate(f.lines):
        unit = UNITS.get(line.good.unit, {}).get(unit_language, line.good.unit)
        cells = {
            "item": [f"{prefix}-{line.good.hs8[:2]}{i + 1:02d}"],
            "description": stacked_description(line.description, f.description_language),
            "hs_code": [b.hs(line.good.hs8)],
            "quantity": [b.num(line.quantity)],
            "unit": [unit],
            "unit_price": [b.price(line.unit_price)],
            "amount": [b.money(line.amount)],
        }
        truth = {
            "description": canon_text(line.description),
            "hs_code": line.good.hs8,
            "quantity": canon_number(line.quantity),
            "unit": canon_text(unit),
            "unit_price": canon_number(line.unit_price),
            "amount": canon_number(line.amount),
        }
        rows_.append((cells, truth))

    term_language = "zh" if side == "CN" and rng.random() < 0.3 else "en"

    def term_head(ledger: Ledger, first: bool) -> None:
        x0, x1 = ledger.col_x("unit_price")
        place = term_place(b, term_language)
        baseline = ledger.head_baseline(2)
        size = ledger.c.fit(f"{f.incoterm} {place}", x1 - x0 - 14, ledger.head_size, bold=True)
        gap = ledger.c.measure(" ", size, bold=True)
        total = ledger.c.measure(f.incoterm, size, bold=True) + gap + ledger.c.measure(place, size, bold=True)
        start = (x0 + x1) / 2 - total / 2
        if first:
            box = b.put(ledger.c, "incoterm", start, baseline, f.incoterm, f.incoterm, size=size, bold=True)
        else:
            box = ledger.c.text(start, baseline, f.incoterm, size, bold=True)
        right = box[2] if box else start
        ledger.c.text(right + gap, baseline, place, size, bold=True)

    footer_h = 650
    ledger = Ledger(
        b,
        c,
        L,
        y,
        cols,
        size=22,
        head_size=19,
        head_fill=(228, 230, 236),
        zebra=SHADE,
        frame=2,
        on_head=term_head,
    )
    sizes = (22, 20, 18, 16) if b.single_page else (22,)
    ledger.size = fit_size(ledger, [cells for cells, _ in rows_], PAGE_BOTTOM - footer_h - y, sizes)
    next_page = continuation(b, f"{english} No. {f.invoice_number} {w['continued']}", w["page"])
    ledger.next_page = None if b.single_page else next_page
    ledger.header()
    for i, (cells, truth) in enumerate(rows_):
        ledger.row(cells, truth=truth, line=i)
    y = ledger.close()
    c = ledger.c
    compact = b.single_page and y + footer_h > PAGE_BOTTOM
    if not b.single_page and y + footer_h > PAGE_BOTTOM:
        c, y = next_page()

    # -- the total in a sentence, then in words -----------------------------------------------------------
    y += 56
    cur_style = b.style.currency if side == "CN" or b.style.currency != "zh" else "code"
    cur_text = b.currency(cur_style)
    segments = [
        (rng.choice(w["total"]) + " ", "", ""),
        (cur_text, "currency", f.currency),
        (" ", "", ""),
        (b.money(f.total_amount), "total_amount", canon_number(f.total_amount)),
    ]
    y = flow(b, c, L, y, R - L, segments, 25, 34, bold=False) + 4
    if side == "CN" and rng.random() < 0.5:
        say = cn_amount_words(f.total_amount, f.currency)
    elif side == "VN" and rng.random() < 0.5:
        say = vi_amount_words(f.total_amount, f.currency)
    else:
        say = amount_in_words(f.total_amount, f.currency)
    label = w["words"]
    indent = c.measure(label, 21, bold=True) + 12
    c.text(L, y, label, 21, bold=True)
    for line in c.wrap(say, R - L - indent, 21):
        c.text(L + indent, y, line, 21)
        y += 29
    y += 22 if compact else 40

    # -- remarks (with the country of origin) at the left, the bank at the right -------------------------
    left_w = 780
    c.text(L, y, w["remarks"], 22, bold=True)
    origin_language = rng.choice(("en", own))
    origin = origin_text(b, origin_language)
    ly = y + 36
    label = "1. " + rng.choice(w["origin"]) + " "
    c.text(L, ly, label, 21)
    b.put(
        c, "country_of_origin", L + c.measure(label, 21), ly, origin, canon_text(origin), size=21, bold=True
    )
    ly += 31
    for k, text in enumerate((w["marks"], w["packing"]), start=2):
        line = f"{k}. {text}"
        c.text(L, ly, line, c.fit(line, left_w, 21))
        ly += 31
    bank, swift = rng.choice(w["banks"])
    account = "".join(str(rng.randint(0, 9)) for _ in range(13))
    bx = L + left_w + 40
    c.text(bx, y, w["bank"], c.fit(w["bank"], R - bx, 21, bold=True), bold=True)
    by = y + 36
    for text in (
        bank,
        f"SWIFT: {swift}",
        f"{w['account']} {account}",
        f"{w['beneficiary']} {f.seller.name_en}",
    ):
        for line in c.wrap(text, R - bx, 20)[:2]:
            c.text(bx, by, line, 20)
            by += 28
    y = max(ly, by)

    # -- signature block at the bottom right --------------------------------------------------------------
    floor = rng.choice((0, 1500, 1880)) if c.page == 1 else 0
    y = y + 40 if compact else min(max(y + 60, floor), PAGE_BOTTOM - 250)
    sx = R - 560
    c.text(sx, y, w["sign"][0], 21)
    c.text(sx, y + 32, f.seller.name_en, c.fit(f.seller.name_en, R - sx, 22, bold=True), bold=True)
    draw_signature(c, sx + 70, y + 150, 220, rng)
    company_seal(b, c, sx + 380 + rng.randint(-30, 30), y + 130, 95 if compact else 105)
    c.hline(sx, R, y + 215, 1)
    c.text(sx + (R - sx) / 2, y + 245, w["sign"][1], 20, align="center")
    c.text(L, y + 245, "E. & O.E.", 19, fill=GREY)


register(
    Layout(
        "ci_fresh3_messrs",
        COMMERCIAL_INVOICE,
        "train",
        "dejavu_serif",
        ci_fresh3_messrs,
        numbers=("en", "vi"),
        dates=("mon_d_y", "dmy_slash", "iso", "zh", "vi", "d_mon_y"),
        currencies=("code", "symbol", "zh"),
    )
)


# ==========================================================================================================
# Packing / weight list: a pre-printed form with dotted fill-in lines, carton ranges, totals in a sentence

PL_WORDS: dict[str, dict[str, Any]] = {
    "CN": {
        "titles": (
            ("装  箱  单", "PACKING LIST"),
            ("装箱明细单", "PACKING & WEIGHT LIST"),
            ("包装明细表", "DETAILED PACKING LIST"),
        ),
        "copy": ("第一联 存根", "第二联 随货", "正本 ORIGINAL"),
        "number": ("单号 P/L No.", "编号 Ref. No.", "装箱单号 No."),
        "date": ("日期 Date", "制单日期 Date"),
        "invoice": ("发票编号 Invoice No.", "对应发票 Ref. Inv.", "发票 Inv. No."),
        "contract": ("合同号 S/C No.", "订单号 Order No."),
        "consignee": ("收货单位 Consignee", "收货人 Consignee"),
        "truck": "车号 Truck No.",
        "gate": "出境口岸 Exit Port",
        "from": "起运地 From",
        "to": "目的地 To",
        "heads": {
            "cno": ("箱号", "C/No."),
            "description": ("品名及规格", "Description"),
            "qty": ("数量", "Quantity"),
            "packages": ("件数", "Pkgs"),
            "kind": ("包装", "Packing"),
            "net_weight_kg": ("净重 (KGS)", "N.W."),
            "gross_weight_kg": ("毛重 (KGS)", "G.W."),
        },
        "kind_language": "zh",
        "unit_language": "code",
        "marks": "唛头 Shipping Marks:",
        "made_in": "MADE IN CHINA",
        "sign": ("制单 Prepared by", "发货人签章 Shipper's Chop"),
        "hint": "(签字 Signature)",
        "page": "第{n}页 Page {n}",
        "continued": "(续)",
    },
    "VN": {
        "titles": (
            ("BẢNG KÊ ĐÓNG GÓI", "PACKING LIST"),
            ("CHI TIẾT ĐÓNG HÀNG", "PACKING & WEIGHT LIST"),
            ("DANH SÁCH ĐÓNG GÓI", "DETAILED PACKING LIST"),
        ),
        "copy": ("Liên 1: Lưu", "Liên 2: Giao khách hàng", "Bản chính / Original"),
        "number": ("Số phiếu / Ref. No.", "Số / P/L No.", "Số bảng kê / No."),
        "date": ("Ngày lập / Date", "Ngày / Date"),
        "invoice": ("Thuộc hóa đơn / For Inv.", "HĐ thương mại / Inv. No.", "Theo hóa đơn / Invoice"),
        "contract": ("Hợp đồng / S/C No.", "Đơn hàng / Order No."),
        "consignee": ("Đơn vị nhận hàng / Consignee", "Người nhận / Consignee"),
        "truck": "Biển số xe / Truck No.",
        "gate": "Cửa khẩu xuất / Exit Gate",
        "from": "Nơi đi / From",
        "to": "Nơi đến / To",
        "heads": {
            "cno": ("Số thùng", "C/No."),
            "description": ("Tên hàng, quy cách", "Description"),
            "qty": ("Số lượng", "Quantity"),
            "packages": ("Số kiện", "Pkgs"),
            "kind": ("Bao bì", "Packing"),
            "net_weight_kg": ("KL tịnh (kg)", "N.W."),
            "gross_weight_kg": ("KL cả bì (kg)", "G.W."),
        },
        "kind_language": "vi",
        "unit_language": "vi",
        "marks": "Ký mã hiệu / Shipping Marks:",
        "made_in": "MADE IN VIETNAM",
        "sign": ("Người lập / Prepared by", "Bên giao hàng / Shipper"),
        "hint": "(Ký, ghi rõ họ tên)",
        "page": "Trang {n} / Page {n}",
        "continued": "(tiếp theo)",
    },
}
PL_WIDTHS = (
    ("cno", 150, "center"),
    ("description", 444, "left"),
    ("qty", 196, "right"),
    ("packages", 130, "right"),
    ("kind", 118, "center"),
    ("net_weight_kg", 198, "right"),
    ("gross_weight_kg", 198, "right"),
)


def _dotted(c: Canvas, x0: float, x1: float, y: float) -> None:
    """A dotted fill-in line, as pre-printed forms have under each blank."""
    x = x0
    while x < x1:
        c.draw.rectangle([x, y, x + 1, y + 1], fill=GREY)
        x += 7


def _blank(
    b: Builder,
    c: Canvas,
    x0: float,
    x1: float,
    y: float,
    label: str,
    printed: str,
    *,
    name: str = "",
    canonical: str = "",
    typed: str,
) -> None:
    """A form's label, then the typed value on a dotted line that runs to ``x1``."""
    c.text(x0, y, label, c.fit(label, 300, 20), fill=INK)
    vx = x0 + min(c.measure(label, 20), 300) + 10
    _dotted(c, vx, x1, y + 7)
    size = c.fit(printed, x1 - vx - 16, 23, family=typed)
    if name:
        b.put(c, name, vx + 12, y - 2, printed, canonical, size=size, family=typed)
    else:
        c.text(vx + 12, y - 2, printed, size, family=typed)


def _package_word(b: Builder, language: str) -> str:
    kinds = {line.good.package for line in b.facts.lines}
    if len(kinds) == 1:
        return str(PACKAGES[next(iter(kinds))][language])
    return {"vi": "kiện", "zh": "件", "en": "PACKAGES", "short": "PKGS"}[language]


def pl_fresh3_cartons(b: Builder) -> None:
    f = b.facts
    rng = b.rng
    side = "VN" if f.seller.country == "VN" else "CN"
    own = "vi" if side == "VN" else "zh"
    w = PL_WORDS[side]
    typed = rng.choice(("dejavu_mono", "liberation_mono"))
    c = b.new_page()

    # -- a small letterhead at the top left, the form's copy mark at the right ---------------------------
    head = party_name(b, f.seller, (own,), native_share=0.7)
    c.text(L, 136, head, c.fit(head, 1000, 25, bold=True), bold=True)
    address = party_address(f.seller, head)
    c.text(L, 168, address, c.fit(address, 1000, 18), fill=GREY)
    c.text(L, 194, f"Tel: {f.seller.phone}", 18, fill=GREY)
    copy = rng.choice(w["copy"])
    cw = c.measure(copy, 19) + 30
    c.rect(R - cw, 118, R, 160, width=1)
    c.text(R - cw / 2, 147, copy, 19, align="center")
    c.text(R, 194, "Form PL-" + rng.choice(("02", "03", "B2")), 17, align="right", fill=GREY)

    # -- centred title with its English name under it, ruled above and below -----------------------------
    native, english = rng.choice(w["titles"])
    c.hline(L, R, 222, 1)
    c.text(827, 290, native, 42, bold=True, align="center")
    c.text(827, 334, english, 25, bold=True, align="center")
    c.hline(L + 420, R - 420, 352, 2)

    # -- labels with dotted fill-in lines, two per row -----------------------------------------------------
    mid_l, mid_r = 800, 850
    date_text = b.date(f.packing_list_date, date_style(b))
    consignee = party_name(b, f.buyer, (own,), native_share=0.5)
    gate = str({"zh": f"{f.gate.zh}口岸", "vi": f.gate.vi}[own])
    route_language = rng.choice((own, "en"))
    pairs = (
        (
            (
                rng.choice(w["number"]),
                f.packing_list_number,
                "packing_list_number",
                canon_text(f.packing_list_number),
            ),
            (rng.choice(w["date"]), date_text, "packing_list_date", f.packing_list_date.isoformat()),
        ),
        (
            (rng.choice(w["invoice"]), f.invoice_number, "invoice_number", canon_text(f.invoice_number)),
            (rng.choice(w["contract"]), f.contract_number, "", ""),
        ),
        ((rng.choice(w["consignee"]), consignee, "", ""),),
        (
            (w["truck"], b.plate(f.vehicle_plate), "", ""),
            (w["gate"], gate, "", ""),
        ),
        (
            (w["from"], short_place(f.place_of_loading, route_language), "", ""),
            (w["to"], short_place(f.place_of_delivery, route_language), "", ""),
        ),
    )
    y = 420
    for pair in pairs:
        if len(pair) == 1:
            label, printed, name, canonical = pair[0]
            _blank(b, c, L, R, y, label, printed, name=name, canonical=canonical, typed=typed)
        else:
            for (label, printed, name, canonical), (x0, x1) in zip(
                pair, ((L, mid_l), (mid_r, R)), strict=True
            ):
                _blank(b, c, x0, x1, y, label, printed, name=name, canonical=canonical, typed=typed)
        y += 50
    y += 6

    # -- the goods: carton ranges first, quantity with its unit, net before gross, no total row -----------
    heads = w["heads"]
    cols = [Col(key, heads[key], width, align) for key, width, align in PL_WIDTHS]
    kind_language = w["kind_language"] if rng.random() < 0.6 else "short"
    unit_language = w["unit_language"] if rng.random() < 0.5 else "en"
    rows: list[tuple[dict[str, list[str]], dict[str, str]]] = []
    first = 1
    for line in f.lines:
        last = first + line.packages - 1
        unit = UNITS.get(line.good.unit, {}).get(unit_language, line.good.unit)
        cells = {
            "cno": [f"{first}-{last}" if last > first else str(first)],
            "description": stacked_description(line.description, f.description_language),
            "qty": [f"{b.num(line.quantity)} {unit}"],
            "packages": [b.num(line.packages)],
            "kind": [str(PACKAGES[line.good.package][kind_language])],
            "net_weight_kg": [b.weight(line.net_kg)],
            "gross_weight_kg": [b.weight(line.gross_kg)],
        }
        truth = {
            "description": canon_text(line.description),
            "packages": canon_number(line.packages),
            "net_weight_kg": canon_number(line.net_kg),
            "gross_weight_kg": canon_number(line.gross_kg),
        }
        rows.append((cells, truth))
        first = last + 1

    footer_h = 600
    ledger = Ledger(b, c, L, y, cols, size=22, head_size=20, pad=10, row_rule=1, frame=3)
    sizes = (22, 20, 18, 16) if b.single_page else (22,)
    ledger.size = fit_size(ledger, [cells for cells, _ in rows], PAGE_BOTTOM - footer_h - y, sizes)
    next_page = continuation(b, f"{english} {f.packing_list_number} {w['continued']}", w["page"])
    ledger.next_page = None if b.single_page else next_page
    ledger.header()
    for i, (cells, truth) in enumerate(rows):
        ledger.row(cells, truth=truth, line=i)
    y = ledger.close()
    c = ledger.c
    compact = b.single_page and y + footer_h > PAGE_BOTTOM
    if not b.single_page and y + footer_h > PAGE_BOTTOM:
        c, y = next_page()

    # -- the totals in one sentence, then the packages in words ------------------------------------------
    y += 54
    packages = b.num(f.total_packages)
    gross = b.weight(f.total_gross_kg)
    net = b.weight(f.total_net_kg)
    style = rng.choice((own, "en"))
    segments: list[Segment]
    if style == "zh":
        segments = [
            ("共计 TOTAL: ", "", ""),
            (packages, "total_packages", canon_number(f.total_packages)),
            (f" {_package_word(b, 'zh')} {_package_word(b, 'en')}，毛重 G.W. ", "", ""),
            (gross, "total_gross_weight_kg", canon_number(f.total_gross_kg)),
            (" KGS，净重 N.W. ", "", ""),
            (net, "total_net_weight_kg", canon_number(f.total_net_kg)),
            (" KGS。", "", ""),
        ]
    elif style == "vi":
        segments = [
            ("Tổng cộng lô hàng gồm ", "", ""),
            (packages, "total_packages", canon_number(f.total_packages)),
            (f" {_package_word(b, 'vi')}, trọng lượng cả bì ", "", ""),
            (gross, "total_gross_weight_kg", canon_number(f.total_gross_kg)),
            (" kg, trọng lượng tịnh ", "", ""),
            (net, "total_net_weight_kg", canon_number(f.total_net_kg)),
            (" kg.", "", ""),
        ]
    else:
        segments = [
            ("TOTAL: ", "", ""),
            (packages, "total_packages", canon_number(f.total_packages)),
            (f" {_package_word(b, 'en')}, GROSS WEIGHT ", "", ""),
            (gross, "total_gross_weight_kg", canon_number(f.total_gross_kg)),
            (" KGS, NET WEIGHT ", "", ""),
            (net, "total_net_weight_kg", canon_number(f.total_net_kg)),
            (" KGS.", "", ""),
        ]
    y = flow(b, c, L, y, R - L, segments, 24, 34) + 4
    say = f"SAY TOTAL: {words(f.total_packages)} {_package_word(b, 'en')} ONLY."
    for line in c.wrap(say, R - L, 21):
        c.text(L, y, line, 21)
        y += 30
    y += 30 if compact else 50
    if not compact and c.page == 1:
        y = max(y, rng.choice((0, 1500, 1820)))

    # -- a drawn carton side mark at the left, the shipper's signature at the right -----------------------
    c.text(L, y, w["marks"], 21, bold=True)
    mx0, my0 = L + 10, y + 22
    destination = short_place(f.place_of_delivery, "en")
    mark_lines = (f.buyer.abbr, destination, "C/No.: 1-UP", w["made_in"])
    mw = max(c.measure(text, 22, bold=True) for text in mark_lines) + 60
    mh = 36 * len(mark_lines) + 28
    c.rect(mx0, my0, mx0 + mw, my0 + mh, width=2)
    c.draw.line([(mx0, my0), (mx0 + 24, my0 + 24)], fill=INK, width=1)
    c.draw.line([(mx0 + mw, my0), (mx0 + mw - 24, my0 + 24)], fill=INK, width=1)
    for k, text in enumerate(mark_lines):
        c.text(mx0 + mw / 2, my0 + 46 + 36 * k, text, 22, bold=k == 0, align="center")
    sx = R - 520
    left_title, right_title = w["sign"]
    if sx - 260 - c.measure(left_title, 20) / 2 > mx0 + mw + 30:
        c.text(sx - 260, y, left_title, 20, align="center")
        _dotted(c, sx - 400, sx - 120, y + 190)
        c.text(sx - 260, y + 220, w["hint"], 18, align="center", fill=GREY)
    c.text(sx + 260, y, right_title, 21, bold=True, align="center")
    draw_signature(c, sx + 130, y + 110, 220, rng)
    company_seal(b, c, sx + 330 + rng.randint(-25, 25), y + 105, 92 if compact else 102)
    c.hline(sx + 40, R, y + 190, 1)
    c.text(sx + 260, y + 220, f.seller.name_en, c.fit(f.seller.name_en, 500, 18), align="center", fill=GREY)


register(
    Layout(
        "pl_fresh3_cartons",
        PACKING_LIST,
        "train",
        "dejavu_sans",
        pl_fresh3_cartons,
        numbers=("en", "vi"),
        groups=(True, True, False),
        dates=("dmy_slash", "dmy_dot", "iso", "zh", "vi", "d_mon_y"),
        weight_decimals=(None, 2),
    )
)
