"""Fresh training layouts (fresh4, ci/pl): two more papers of the Lạng Sơn–Guangxi trade, written without
reference to the held-out set or to the extractor.

- ``ci_fresh4_caption_strip``: a "HÓA ĐƠN THƯƠNG MẠI / 商业发票" as the Sino-Vietnamese trading houses type
  it, in two of Vietnamese, Chinese and English (Vietnamese with Chinese most often, the importer's language
  first on a Chinese seller's paper about half of the time). No letterhead: a centred title in up to three
  languages, a form code and the page count in small grey type. Under it a strip of four ruled cells (number,
  date, contract, payment) whose typed value sits on a fill-in rule with its caption in small capitals
  *under* it. Seller and buyer in two boxes side by side, each with its caption in a shaded band across
  the top. The trade term with its named place, the border gate and the country of origin are not in
  labelled cells but inside a typed paragraph of delivery and payment terms set off by a bar at its left
  ("Hàng được giao theo điều kiện DAP Bằng Tường …, làm thủ tục thông quan tại cửa khẩu Hữu Nghị. Hàng
  hóa có xuất xứ Việt Nam …"; "按 DAP 凭祥 条件交货，…经友谊关口岸办理通关手续…"), Chinese wrapped between
  characters. A goods grid whose unit-price and amount heads sit under one spanning head carrying the
  currency, each description followed by a grey specification line in the paper's other language
  ("规格：10-12公斤/箱，一级"), dotted rules between rows and no total row; the total in a boxed cell at
  the right (shaded caption | amount with its currency), the amount in words across the page, the buyer's
  confirmation at the left and the seller's signature at the right with the round seal over the printed
  name, and "Trang 1/2 · 第1页 共2页" at the foot of every page.
- ``pl_fresh4_gwnw``: a packing list under a dark title band with the title reversed out in white (the
  seller's language at the left, the others at the right), the shipper at the left, a caption over the
  number in large type and the place and date written together ("Lạng Sơn, ngày 12 tháng 11 năm 2025",
  "凭祥，2025年11月12日") at the right; the consignee and the truck / contract / gate in a ruled block;
  the invoice referred to in a shaded strip ("Theo hóa đơn số / As per Invoice No. … ngày / dated …").
  The goods grid has a marks-and-numbers column (the buyer's mark, destination, carton range), the
  quantity with its unit, the package count with its kind in one cell ("120 thùng", "86 箱"), the gross
  and net weights in ONE cell under a "G.W. / N.W. (kg)" head ("1.250,50 / 1.200,00"), an optional
  measurement column, and no total row: the totals are in a boxed summary at the right under the grid
  beside the remarks. The footer is Chinese (a conformity statement, the shipper's chop, the copies
  note) and every page carries "第 n 页 共 N 页".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from langson.border.schema import COMMERCIAL_INVOICE, PACKING_LIST
from langson.border.synth.layouts import L, R, gate_text, origin_text
from langson.border.synth.layouts_fresh3_ci_pl import company_seal, date_style, short_place, term_place
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
    party_address,
    party_name,
    register,
)

Rgb = tuple[int, int, int]
GREY: Rgb = (92, 92, 100)
BAND: Rgb = (226, 229, 234)
DARK: Rgb = (44, 52, 66)
WHITE: Rgb = (255, 255, 255)
FOOT_Y = A4_PX[1] - 80  # baseline of the page-count footer
PAGE_BOTTOM = A4_PX[1] - 130  # lowest baseline the body may use
TABLE_BOTTOM = A4_PX[1] - 190  # lowest edge of a goods row


# ==========================================================================================================
# Shared pieces: trilingual captions, a paragraph with fields inside it, a goods grid with segmented cells


def is_han_char(ch: str) -> bool:
    return "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"


def caption(words: dict[str, str], langs: tuple[str, ...], sep: str = " / ", upper: bool = False) -> str:
    """One caption in the paper's languages, in their order: "Số hóa đơn / 发票号"."""
    parts = [words[lang] for lang in langs if lang in words]
    if upper:
        parts = [p.upper() for p in parts]
    return sep.join(dict.fromkeys(parts))


@dataclass
class Piece:
    """A piece of running text; ``field`` names the document field it prints (recorded with its box)."""

    text: str
    field: str = ""
    canonical: str = ""


def paragraph(
    b: Builder,
    c: Canvas,
    x: float,
    y: float,
    width: float,
    pieces: list[Piece],
    size: int,
    line_h: int,
    *,
    bold_fields: bool = False,
) -> int:
    """``pieces`` typeset as one paragraph from ``x`` and wrapped to ``width``: lines break at spaces and
    between two Han characters, never inside a field. Returns the baseline after the last line."""
    # Atoms: (text, piece index or -1, space before it).
    atoms: list[tuple[str, int, bool]] = []
    pending_space = False
    for k, piece in enumerate(pieces):
        if piece.field:
            atoms.append((piece.text, k, pending_space))
            pending_space = False
            continue
        word = ""
        for ch in piece.text:
            if ch == " ":
                if word:
                    atoms.append((word, -1, pending_space))
                    word = ""
                pending_space = True
            elif is_han_char(ch):
                if word and not is_han_char(word[-1]):
                    atoms.append((word, -1, pending_space))
                    pending_space = False
                    word = ""
                if word:
                    atoms.append((word, -1, pending_space))
                    pending_space = False
                word = ch
            else:
                if word and is_han_char(word[-1]) and ch not in "，。、；：）)":
                    atoms.append((word, -1, pending_space))
                    pending_space = False
                    word = ""
                word += ch
        if word:
            atoms.append((word, -1, pending_space))
            pending_space = False

    def heavy(k: int) -> bool:
        return bold_fields and k >= 0

    space = c.measure(" ", size)
    lines: list[list[tuple[str, int, bool]]] = []
    current: list[tuple[str, int, bool]] = []
    used = 0.0
    for atom in atoms:
        text, k, spaced = atom
        w = c.measure(text, size, bold=heavy(k)) + (space if spaced and current else 0)
        if current and used + w > width:
            lines.append(current)
            current, used = [atom], c.measure(text, size, bold=heavy(k))
        else:
            current.append(atom)
            used += w
    if current:
        lines.append(current)
    for line in lines:
        cursor = float(x)
        for i, (text, k, spaced) in enumerate(line):
            if spaced and i > 0:
                cursor += space
            if k >= 0:
                piece = pieces[k]
                b.put(c, piece.field, cursor, y, text, piece.canonical, size=size, bold=heavy(k))
            else:
                c.text(cursor, y, text, size)
            cursor += c.measure(text, size, bold=heavy(k))
        y += line_h
    return int(y)


@dataclass
class Seg:
    """A run of a cell's line: ``line_key`` records it as that line column of the row, ``field`` as a
    document field; ``wrap`` lets a lone run break over several lines inside its cell."""

    text: str
    line_key: str = ""
    field: str = ""
    canonical: str = ""
    bold: bool = False
    fill: Rgb = INK
    scale: float = 1.0
    wrap: bool = False


Cells = dict[str, list[list[Seg]]]  # column key → its lines, each line a list of runs


@dataclass
class GCol:
    key: str
    head: tuple[str, ...]
    width: int
    align: str = "left"


class GoodsGrid:
    """A ruled goods grid: heads (some columns may sit under one spanning head), rows of segmented cells
    separated by dotted or solid rules, the frame and column lines drawn when a page's part is closed. A
    row that does not fit goes to ``next_page()`` under the repeated heads."""

    def __init__(
        self,
        b: Builder,
        c: Canvas,
        x: int,
        y: int,
        cols: list[GCol],
        *,
        size: int = 21,
        head_size: int = 17,
        pad: int = 9,
        head_fill: Rgb | None = None,
        group: tuple[str, tuple[str, ...]] | None = None,
        rules: str = "dotted",
        next_page: Callable[[], tuple[Canvas, int]] | None = None,
    ) -> None:
        self.b, self.c, self.x, self.y = b, c, x, y
        self.cols = cols
        self.size, self.head_size, self.pad = size, head_size, pad
        self.head_fill, self.group, self.rules = head_fill, group, rules
        self.next_page = next_page
        self.top = y
        self.group_bottom = y

    @property
    def width(self) -> int:
        return sum(col.width for col in self.cols)

    @property
    def line_h(self) -> int:
        return int(self.size * 1.38)

    def span(self, key: str) -> tuple[int, int]:
        x = self.x
        for col in self.cols:
            if col.key == key:
                return x, x + col.width
            x += col.width
        raise KeyError(key)

    # -- heads ------------------------------------------------------------------------------------------
    def _head_lh(self) -> int:
        return int(self.head_size * 1.3)

    def _group_h(self) -> int:
        return self._head_lh() + 2 * self.pad if self.group else 0

    def head_height(self) -> int:
        lines = max(len(col.head) for col in self.cols)
        return self._group_h() + lines * self._head_lh() + 2 * self.pad

    def header(self) -> None:
        c = self.c
        top = self.top = self.y
        height = self.head_height()
        if self.head_fill:
            c.rect(self.x, top, self.x + self.width, top + height, width=0, outline=None, fill=self.head_fill)
        lh = self._head_lh()
        gh = self._group_h()
        grouped = set(self.group[1]) if self.group else set()
        if self.group:
            gx0 = self.span(self.group[1][0])[0]
            gx1 = self.span(self.group[1][-1])[1]
            label = self.group[0]
            size = c.fit(label, gx1 - gx0 - 12, self.head_size, bold=True)
            c.text(
                (gx0 + gx1) / 2,
                top + self.pad + int(self.head_size * 1.02),
                label,
                size,
                bold=True,
                align="center",
            )
            c.hline(gx0, gx1, top + gh, 1)
        x = self.x
        for col in self.cols:
            y0 = top + gh if col.key in grouped else top
            room = top + height - y0
            first = y0 + (room - len(col.head) * lh) / 2 + self.head_size * 1.0
            for k, part in enumerate(col.head):
                size = c.fit(part, col.width - 2 * self.pad + 6, self.head_size, bold=k == 0)
                c.text(x + col.width / 2, first + k * lh, part, size, bold=k == 0, align="center")
            x += col.width
        self.group_bottom = top + gh
        c.hline(self.x, self.x + self.width, top, 2)
        self.y = top + height
        c.hline(self.x, self.x + self.width, self.y, 2)
        c.hline(self.x, self.x + self.width, self.y + 4, 1)
        self.y += 4

    # -- rows -------------------------------------------------------------------------------------------
    def seg_size(self, seg: Seg) -> int:
        return max(12, round(self.size * seg.scale))

    def lay(self, cells: Cells) -> dict[str, list[list[Seg]]]:
        """Each column's printed lines, a wrapping run broken at spaces to the cell's width."""
        laid: dict[str, list[list[Seg]]] = {}
        for col in self.cols:
            lines: list[list[Seg]] = []
            for line in cells.get(col.key, []):
                if len(line) == 1 and line[0].wrap:
                    seg = line[0]
                    for part in self.c.wrap(
                        seg.text, col.width - 2 * self.pad, self.seg_size(seg), bold=seg.bold
                    ):
                        lines.append(
                            [Seg(part, seg.line_key, seg.field, seg.canonical, seg.bold, seg.fill, seg.scale)]
                        )
                else:
                    lines.append(line)
            laid[col.key] = lines
        return laid

    def row_height(self, cells: Cells) -> int:
        n = max([len(lines) for lines in self.lay(cells).values()] + [1])
        return 2 * self.pad + self.size + (n - 1) * self.line_h + int(self.size * 0.3)

    def _draw_line(self, x0: int, x1: int, baseline: int, align: str, segs: list[Seg], index: int) -> None:
        c = self.c
        room = x1 - x0 - 2 * self.pad
        shrink = 0
        while True:
            sizes = [max(12, self.seg_size(seg) - shrink) for seg in segs]
            total = sum(c.measure(seg.text, s, bold=seg.bold) for seg, s in zip(segs, sizes, strict=True))
            if total <= room or min(sizes) <= 12:
                break
            shrink += 1
        if align == "right":
            cursor = x1 - self.pad - total
        elif align == "center":
            cursor = (x0 + x1) / 2 - total / 2
        else:
            cursor = x0 + self.pad
        for seg, s in zip(segs, sizes, strict=True):
            box = c.text(cursor, baseline, seg.text, s, bold=seg.bold, fill=seg.fill)
            if seg.line_key:
                self.b.record_line(index, seg.line_key, seg.canonical, box, c.page)
            if seg.field:
                self.b.record(seg.field, seg.canonical, box, c.page, seg.text)
            cursor += c.measure(seg.text, s, bold=seg.bold)

    def row(self, cells: Cells, index: int) -> None:
        height = self.row_height(cells)
        if self.next_page is not None and self.y + height > TABLE_BOTTOM:
            self.close()
            self.c, self.y = self.next_page()
            self.header()
        laid = self.lay(cells)
        x = self.x
        for col in self.cols:
            for k, segs in enumerate(laid[col.key]):
                baseline = self.y + self.pad + self.size + k * self.line_h
                self._draw_line(x, x + col.width, baseline, col.align, segs, index)
            x += col.width
        self.y += height
        if self.rules == "solid":
            self.c.hline(self.x, self.x + self.width, self.y, 1)
        elif self.rules == "dotted":
            dx = self.x + 4
            while dx < self.x + self.width - 4:
                self.c.hline(dx, min(dx + 5, self.x + self.width - 4), self.y, 1, fill=GREY)
                dx += 11

    def close(self) -> int:
        c = self.c
        c.hline(self.x, self.x + self.width, self.y, 2)
        grouped = self.group[1][1:] if self.group else ()
        x = self.x
        for k, col in enumerate(self.cols):
            if k:
                c.vline(x, self.group_bottom if col.key in grouped else self.top, self.y, 1)
            x += col.width
        c.vline(self.x, self.top, self.y, 2)
        c.vline(self.x + self.width, self.top, self.y, 2)
        return self.y

    def fit(self, rows: list[Cells], room: int, sizes: tuple[int, ...]) -> bool:
        """Set the largest of ``sizes`` at which the heads and ``rows`` take at most ``room``."""
        for size in sizes:
            self.size = size
            if self.head_height() + 4 + sum(self.row_height(cells) for cells in rows) <= room:
                return True
        return False


def page_counts(b: Builder, pattern: str, size: int = 17) -> None:
    """The page count at the foot of every page, centred: ``pattern`` has {n} and {total}."""
    total = len(b.pages)
    for page in b.pages:
        page.text(
            A4_PX[0] / 2, FOOT_Y, pattern.format(n=page.page, total=total), size, align="center", fill=GREY
        )


def continued_page(b: Builder, heading: str) -> Callable[[], tuple[Canvas, int]]:
    def next_page() -> tuple[Canvas, int]:
        page = b.new_page()
        page.text(L, 140, heading, page.fit(heading, R - L, 22, bold=True), bold=True)
        page.hline(L, R, 158, 1)
        page.hline(L, R, 163, 1)
        return page, 196

    return next_page


def unit_word(unit: str, lang: str) -> str:
    return UNITS.get(unit, {}).get(lang, unit)


def package_word(kind: str, lang: str) -> str:
    return PACKAGES.get(kind, PACKAGES["carton"])[lang]


# ==========================================================================================================
# Commercial invoice: captions under the values, parties in banded boxes, terms in a paragraph

CI_LABELS: dict[str, dict[str, str]] = {
    "title": {"vi": "HÓA ĐƠN THƯƠNG MẠI", "zh": "商 业 发 票", "en": "COMMERCIAL INVOICE"},
    "number": {"vi": "Số hóa đơn", "zh": "发票号码", "en": "Invoice No."},
    "date": {"vi": "Ngày lập", "zh": "开票日期", "en": "Date of issue"},
    "contract": {"vi": "Số hợp đồng", "zh": "合同号", "en": "Contract No."},
    "payment": {"vi": "Thanh toán", "zh": "付款方式", "en": "Payment"},
    "seller": {"vi": "Bên bán", "zh": "卖方", "en": "Seller"},
    "buyer": {"vi": "Bên mua", "zh": "买方", "en": "Buyer"},
    "tax": {"vi": "MST", "zh": "税号", "en": "Tax code"},
    "tel": {"vi": "ĐT", "zh": "电话", "en": "Tel"},
    "terms": {
        "vi": "Điều kiện giao hàng và thanh toán",
        "zh": "交货及付款条件",
        "en": "Terms of delivery and payment",
    },
    "no": {"vi": "STT", "zh": "序号", "en": "No."},
    "description": {"vi": "Tên hàng, quy cách", "zh": "品名及规格", "en": "Description of goods"},
    "hs_code": {"vi": "Mã HS", "zh": "商品编码", "en": "HS code"},
    "quantity": {"vi": "Số lượng", "zh": "数量", "en": "Quantity"},
    "unit": {"vi": "ĐVT", "zh": "单位", "en": "Unit"},
    "unit_price": {"vi": "Đơn giá", "zh": "单价", "en": "Unit price"},
    "amount": {"vi": "Thành tiền", "zh": "金额", "en": "Amount"},
    "value": {"vi": "Trị giá", "zh": "价值", "en": "Value"},
    "total": {"vi": "Tổng cộng", "zh": "合计", "en": "Total"},
    "words": {"vi": "Bằng chữ", "zh": "大写金额", "en": "In words"},
    "buyer_sign": {"vi": "Xác nhận của bên mua", "zh": "买方确认", "en": "Accepted by the buyer"},
    "seller_sign": {"vi": "Đại diện bên bán", "zh": "卖方签章", "en": "For the seller"},
    "hint": {"vi": "(Ký, ghi rõ họ tên)", "zh": "（签字）", "en": "(signature)"},
    "hint_seal": {"vi": "(Ký, đóng dấu)", "zh": "（签字盖章）", "en": "(signature and chop)"},
    "continued": {"vi": "(tiếp theo)", "zh": "（续）", "en": "(continued)"},
    "form": {"vi": "Mẫu HĐTM-01", "zh": "表 CI-01", "en": "Form CI-01"},
}
PAYMENTS: dict[str, tuple[str, ...]] = {  # the same four terms in each language, in the same order
    "vi": ("T/T trả sau 30 ngày", "Chuyển khoản T/T", "TTr 100%", "T/T trước khi giao hàng"),
    "zh": ("T/T 货到30天", "电汇 T/T", "100% 电汇", "发货前电汇"),
    "en": ("T/T 30 days", "By T/T", "100% T/T", "T/T in advance"),
}
PAGE_PATTERN = {
    "vi": "Trang {n}/{total}",
    "zh": "第{n}页 共{total}页",
    "en": "Page {n} of {total}",
}


def _languages(b: Builder) -> tuple[str, str]:
    """The paper's two languages, its main one first."""
    rng = b.rng
    if b.facts.seller.country == "VN":
        return ("vi", rng.choices(("zh", "en"), weights=(6, 4))[0])
    first = rng.choice(("zh", "vi"))
    other = "vi" if first == "zh" else "zh"
    return (first, rng.choices((other, "en"), weights=(6, 4))[0])


def _spec(b: Builder, good: Any, lang: str) -> str:
    """A grey specification line for a good: its packing and, for fruit, its grade."""
    lo, hi = good.per_package
    amount = f"{lo}-{hi}" if lo != hi else str(lo)
    unit = unit_word(good.unit, {"vi": "vi", "zh": "zh", "en": "code"}[lang])
    kind = package_word(good.package, lang)
    if lang != "zh":
        kind = kind.lower()
    fruit = b.facts.direction == "export" and good.unit == "kg" and good.package == "carton"
    if lang == "zh":
        text = f"规格：{amount}{unit}/{kind}"
        return text + ("，一级" if fruit else "，全新" if good.unit == "pcs" else "")
    if lang == "vi":
        text = f"Quy cách: {amount} {unit}/{kind}"
        return text + (", loại 1" if fruit else ", hàng mới 100%" if good.unit == "pcs" else "")
    text = f"Packing: {amount} {unit}/{kind.rstrip('s')}"
    return text + (", grade A" if fruit else ", brand new" if good.unit == "pcs" else "")


def _terms_pieces(b: Builder, lang: str, payment: str) -> list[Piece]:
    f = b.facts
    rng = b.rng
    place = term_place(b, lang)
    gate = gate_text(b, lang)
    origin = origin_text(b, lang)
    inc = Piece(f.incoterm, "incoterm", f.incoterm)
    gate_p = Piece(gate, "border_gate", canon_text(gate))
    origin_p = Piece(origin, "country_of_origin", canon_text(origin))
    export = f.direction == "export"
    if lang == "vi":
        tail = (
            "đóng gói theo tiêu chuẩn xuất khẩu, đạt yêu cầu kiểm dịch thực vật"
            if export
            else "hàng mới 100%, đóng gói theo tiêu chuẩn của nhà sản xuất"
        )
        return [
            Piece("Hàng được giao theo điều kiện "),
            inc,
            Piece(f" {place} (Incoterms 2020), vận chuyển bằng ô tô và làm thủ tục thông quan tại "),
            gate_p,
            Piece(". Hàng hóa có xuất xứ "),
            origin_p,
            Piece(f", {tail}. Thanh toán: {payment}. Mọi tranh chấp được giải quyết theo hợp đồng đã ký."),
        ]
    if lang == "zh":
        tail = "按出口标准包装，符合植物检疫要求" if export else "全新未使用，按厂家标准包装"
        return [
            Piece("按 "),
            inc,
            Piece(f" {place} 条件交货（2020年国际贸易术语解释通则），汽车运输，经"),
            gate_p,
            Piece("办理通关手续。货物原产国为"),
            origin_p,
            Piece(f"，{tail}。付款方式：{payment}。如有争议，按双方所签合同解决。"),
        ]
    lead = rng.choice(("Delivery", "Goods delivered", "Terms of delivery:"))
    return [
        Piece(f"{lead} "),
        inc,
        Piece(f" {place} (Incoterms 2020), carried by truck and cleared through "),
        gate_p,
        Piece(". Country of origin of the goods: "),
        origin_p,
        Piece(
            f"; packed to export standard. Payment: {payment}. Disputes settled as per the signed contract."
        ),
    ]


def ci_fresh4_caption_strip(b: Builder) -> None:
    f = b.facts
    rng = b.rng
    langs = _languages(b)
    main, second = langs
    c = b.new_page()

    def cap(key: str, upper: bool = False, sep: str = " / ") -> str:
        return caption(CI_LABELS[key], langs, sep, upper)

    # -- form code at the top left, the title centred in up to three languages ---------------------------
    c.text(L, 120, CI_LABELS["form"][main], 17, fill=GREY)
    titles = list(
        dict.fromkeys((CI_LABELS["title"][main], CI_LABELS["title"][second], CI_LABELS["title"]["en"]))
    )
    c.text(827, 190, titles[0], 44, bold=True, align="center")
    y = 234
    for k, title in enumerate(titles[1:]):
        size = 24 if k == 0 else 20
        c.text(827, y, title, size, bold=k == 0, align="center", fill=INK if k == 0 else GREY)
        y += 32
    c.hline(827 - 170, 827 + 170, y - 14, 2)

    # -- the reference strip: values on fill-in rules, captions in small capitals under them --------------
    top = y + 8
    term = rng.randrange(len(PAYMENTS[main]))
    payment = PAYMENTS[main][term]
    date_text = b.date(f.invoice_date, date_style(b))
    cells = (
        ("number", 380, f.invoice_number, "invoice_number", canon_text(f.invoice_number)),
        ("date", 400, date_text, "invoice_date", f.invoice_date.isoformat()),
        ("contract", 384, f.contract_number, "", ""),
        ("payment", R - L - 1164, payment, "", ""),
    )
    height = 104
    c.rect(L, top, R, top + height, width=2)
    x = L
    for k, (key, width, printed, name, canonical) in enumerate(cells):
        if k:
            c.vline(x, top, top + height, 1)
        size = c.fit(printed, width - 30, 26, bold=bool(name))
        if name:
            b.put(c, name, x + 15, top + 48, printed, canonical, size=size, bold=True)
        else:
            c.text(x + 15, top + 48, printed, size)
        c.hline(x + 12, x + width - 12, top + 62, 1, fill=GREY)
        label = cap(key, upper=True, sep=" · ")
        c.text(x + 15, top + 88, label, c.fit(label, width - 26, 16), fill=GREY)
        x += width
    y = top + height + 34

    # -- seller and buyer side by side, each caption in a shaded band --------------------------------------
    gap = 30
    box_w = (R - L - gap) // 2
    band_h = 44
    sides = (
        ("seller", f.seller, "seller_name", L),
        ("buyer", f.buyer, "buyer_name", L + box_w + gap),
    )
    bottoms = []
    drawn: list[tuple[int, str]] = []
    for key, party, name, bx in sides:
        inner = box_w - 36
        printed = party_name(b, party, langs, native_share=0.6)
        py = b.put_wrapped(c, name, bx + 18, y + band_h + 40, printed, inner, 25, 33, bold=True)
        for line in c.wrap(party_address(party, printed), inner, 20)[:3]:
            c.text(bx + 18, py, line, 20)
            py += 27
        # A party's tax number under its own country's word, in a language the paper prints.
        tax_lang = "vi" if party.country == "VN" and "vi" in langs else "zh" if "zh" in langs else "en"
        if party.country == "VN" and tax_lang != "vi":
            tax_lang = "en"
        tax = CI_LABELS["tax"][tax_lang]
        tel = CI_LABELS["tel"][tax_lang]
        info = f"{tax}: {party.tax_code}    {tel}: {party.phone}"
        c.text(bx + 18, py, info, c.fit(info, inner, 20))
        bottoms.append(py + 20)
        drawn.append((bx, cap(key, upper=True)))
    bottom = max(bottoms)
    for bx, label in drawn:
        c.rect(bx, y, bx + box_w, y + band_h, width=0, outline=None, fill=BAND)
        c.text(bx + 18, y + 30, label, c.fit(label, box_w - 36, 20, bold=True), bold=True)
        c.rect(bx, y, bx + box_w, bottom, width=2)
        c.hline(bx, bx + box_w, y + band_h, 1)
    y = bottom + 50

    # -- the terms of delivery and payment as a typed paragraph, a bar at its left ------------------------
    terms_head = cap("terms") + ":"
    c.text(L, y, terms_head, c.fit(terms_head, R - L, 22, bold=True), bold=True)
    terms_lang = main if rng.random() < 0.75 else rng.choice((second, "en"))
    pieces = _terms_pieces(b, terms_lang, PAYMENTS[terms_lang][term])
    py = paragraph(b, c, L + 26, y + 38, R - L - 26, pieces, 21, 31, bold_fields=rng.random() < 0.4)
    c.rect(L, y + 14, L + 5, py - 22, width=0, outline=None, fill=GREY)
    y = py + 6

    # -- goods: the price heads under one spanning head with the currency, a grey spec line per good ------
    cur = b.currency("code")
    spec_lang = second if second != main else "en"
    unit_lang = main if rng.random() < 0.6 else rng.choice(("en", "code"))
    if unit_lang == "vi" and main != "vi":
        unit_lang = "code"

    def head(key: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(CI_LABELS[key][lang] for lang in langs))

    widths = {"no": 74, "description": 470, "hs_code": 170, "quantity": 170, "unit": 100, "unit_price": 200}
    widths["amount"] = R - L - sum(widths.values())
    aligns = {
        "no": "center",
        "hs_code": "center",
        "unit": "center",
        "quantity": "right",
        "unit_price": "right",
        "amount": "right",
    }
    cols = [GCol(key, head(key), width, aligns.get(key, "left")) for key, width in widths.items()]
    group = f"{caption(CI_LABELS['value'], langs)} ({cur})"

    def goods_rows(with_spec: bool) -> list[Cells]:
        rows: list[Cells] = []
        for i, line in enumerate(f.lines):
            unit = unit_word(line.good.unit, unit_lang)
            description: list[list[Seg]] = [
                [Seg(line.description, "description", canonical=canon_text(line.description), wrap=True)]
            ]
            if with_spec:
                description.append([Seg(_spec(b, line.good, spec_lang), fill=GREY, scale=0.85, wrap=True)])
            rows.append(
                {
                    "no": [[Seg(str(i + 1))]],
                    "description": description,
                    "hs_code": [[Seg(b.hs(line.good.hs8), "hs_code", canonical=line.good.hs8)]],
                    "quantity": [
                        [Seg(b.num(line.quantity), "quantity", canonical=canon_number(line.quantity))]
                    ],
                    "unit": [[Seg(unit, "unit", canonical=canon_text(unit))]],
                    "unit_price": [
                        [Seg(b.price(line.unit_price), "unit_price", canonical=canon_number(line.unit_price))]
                    ],
                    "amount": [[Seg(b.money(line.amount), "amount", canonical=canon_number(line.amount))]],
                }
            )
        return rows

    footer_h = 560
    title_line = f"{titles[0]} No. {f.invoice_number} {CI_LABELS['continued'][main]}"
    grid = GoodsGrid(
        b, c, L, y, cols, size=21, head_size=17, head_fill=BAND, group=(group, ("unit_price", "amount"))
    )
    rows = goods_rows(True)
    if b.single_page:
        room = PAGE_BOTTOM - footer_h - y
        if not grid.fit(rows, room, (21, 19, 17, 15)):
            rows = goods_rows(False)
            grid.fit(rows, room, (21, 19, 17, 15))
    else:
        grid.next_page = continued_page(b, title_line)
    grid.header()
    for i, cells_ in enumerate(rows):
        grid.row(cells_, i)
    y = grid.close()
    c = grid.c
    compact = b.single_page and y + footer_h > PAGE_BOTTOM
    if not b.single_page and y + footer_h > PAGE_BOTTOM:
        c, y = continued_page(b, title_line)()

    # -- the total in a boxed cell at the right: shaded caption | amount with its currency ----------------
    y += 30
    cur_text = b.currency(b.style.currency)
    amount = b.money(f.total_amount)
    after = b.style.currency == "zh" or rng.random() < 0.4
    label = cap("total", upper=True)
    size = 27
    gap_w = c.measure(" ", size, bold=True)
    value_w = c.measure(amount, size, bold=True) + gap_w + c.measure(cur_text, size, bold=True)
    label_w = c.measure(label, 21, bold=True) + 36
    box_x1 = R
    box_x0 = int(R - value_w - 40 - label_w)
    box_h = 60
    c.rect(box_x0, y, box_x0 + label_w, y + box_h, width=0, outline=None, fill=BAND)
    c.rect(box_x0, y, box_x1, y + box_h, width=2)
    c.vline(box_x0 + label_w, y, y + box_h, 1)
    c.text(box_x0 + 18, y + 39, label, 21, bold=True)
    vx = R - 20 - value_w
    first, first_name, first_canon = (amount, "total_amount", canon_number(f.total_amount))
    second_, second_name, second_canon = (cur_text, "currency", f.currency)
    if not after:
        first, first_name, first_canon, second_, second_name, second_canon = (
            second_, second_name, second_canon, first, first_name, first_canon,
        )  # fmt: skip
    box = b.put(c, first_name, vx, y + 42, first, first_canon, size=size, bold=True)
    right = box[2] if box else vx + c.measure(first, size, bold=True)
    b.put(c, second_name, right + gap_w, y + 42, second_, second_canon, size=size, bold=True)
    n_items = f"{caption({'vi': 'Số mặt hàng', 'zh': '品种数', 'en': 'Items'}, langs)}: {len(f.lines)}"
    if box_x0 - L > c.measure(n_items, 20) + 30:
        c.text(L, y + 40, n_items, 20, fill=GREY)
    y += box_h + 44

    # -- the amount in words across the page -------------------------------------------------------------
    if main == "vi":
        say = vi_amount_words(f.total_amount, f.currency)
    elif main == "zh":
        say = cn_amount_words(f.total_amount, f.currency)
    else:
        say = amount_in_words(f.total_amount, f.currency)
    words_label = cap("words") + ":"
    indent = c.measure(words_label, 21, bold=True) + 12
    c.text(L, y, words_label, 21, bold=True)
    for line in c.wrap(say, R - L - indent, 21):
        c.text(L + indent, y, line, 21)
        y += 30
    y += 20 if compact else 44

    # -- the buyer's confirmation at the left, the seller's signature with the seal over its name --------
    if not compact and c.page == 1:
        y = max(y, rng.choice((0, 1700, 1800)))
    y = min(y, PAGE_BOTTOM - 260)
    lx, rx = L + 260, R - 300
    for x, key, hint in ((lx, "buyer_sign", "hint"), (rx, "seller_sign", "hint_seal")):
        text = caption(CI_LABELS[key], (main,)).upper()
        c.text(x, y, text, 22, bold=True, align="center")
        c.text(x, y + 30, caption(CI_LABELS[key], (second,)), 19, align="center", fill=GREY)
        c.text(x, y + 56, CI_LABELS[hint][main], 18, align="center", fill=GREY)
    sy = y + (160 if not compact else 140)
    draw_signature(c, rx - 130, sy - 30, 230, rng)
    c.hline(rx - 230, rx + 230, sy + 8, 1)
    signer = f.seller.name_en if rng.random() < 0.5 else f.seller.name
    c.text(rx, sy + 38, signer, c.fit(signer, 520, 19, bold=True), bold=True, align="center")
    company_seal(b, c, rx + rng.randint(-60, 60), sy + rng.randint(-10, 20), 98 if compact else 108)
    c.hline(lx - 200, lx + 200, sy + 8, 1)

    page_counts(b, " · ".join(dict.fromkeys(PAGE_PATTERN[lang] for lang in langs)))


register(
    Layout(
        "ci_fresh4_caption_strip",
        COMMERCIAL_INVOICE,
        "train",
        "liberation_sans",
        ci_fresh4_caption_strip,
        numbers=("en", "vi"),
        groups=(True, True, False),
        dates=("dmy_slash", "dmy_dot", "iso", "zh", "vi", "d_mon_y", "mon_d_y"),
        currencies=("code", "symbol", "zh"),
    )
)


# ==========================================================================================================
# Packing list: dark title band, G.W./N.W. in one cell, marks column, totals in a boxed summary

PL_LABELS: dict[str, dict[str, str]] = {
    "title": {"vi": "PHIẾU ĐÓNG GÓI HÀNG HÓA", "zh": "装 箱 单", "en": "PACKING LIST"},
    "number": {"vi": "Số phiếu", "zh": "单号", "en": "P/L No."},
    "shipper": {"vi": "Người gửi hàng", "zh": "发货人", "en": "Shipper"},
    "consignee": {"vi": "Người nhận hàng", "zh": "收货人", "en": "Consignee"},
    "invoice": {"vi": "Theo hóa đơn số", "zh": "依据发票号", "en": "As per Invoice No."},
    "dated": {"vi": "ngày", "zh": "日期", "en": "dated"},
    "contract": {"vi": "Hợp đồng", "zh": "合同号", "en": "Contract"},
    "truck": {"vi": "Xe / Rơ moóc", "zh": "车号 / 挂车", "en": "Truck / Trailer"},
    "gate": {"vi": "Cửa khẩu", "zh": "口岸", "en": "Border gate"},
    "route": {"vi": "Tuyến", "zh": "路线", "en": "Route"},
    "marks": {"vi": "Ký mã hiệu", "zh": "唛头", "en": "Marks & Nos."},
    "description": {"vi": "Tên hàng", "zh": "品名", "en": "Description"},
    "quantity": {"vi": "Số lượng", "zh": "数量", "en": "Quantity"},
    "packages": {"vi": "Số kiện", "zh": "件数", "en": "Packages"},
    "weights": {"vi": "KL cả bì / tịnh (kg)", "zh": "毛重 / 净重 (公斤)", "en": "G.W. / N.W. (kg)"},
    "cbm": {"vi": "Thể tích (m³)", "zh": "体积 (立方米)", "en": "Meas. (m³)"},
    "summary": {"vi": "Tổng cộng", "zh": "合计", "en": "Total"},
    "total_packages": {"vi": "Tổng số kiện", "zh": "总件数", "en": "Total packages"},
    "total_gross": {"vi": "Tổng trọng lượng cả bì", "zh": "总毛重", "en": "Total gross weight"},
    "total_net": {"vi": "Tổng trọng lượng tịnh", "zh": "总净重", "en": "Total net weight"},
    "total_cbm": {"vi": "Tổng thể tích", "zh": "总体积", "en": "Total measurement"},
    "remarks": {"vi": "Ghi chú", "zh": "备注", "en": "Remarks"},
    "continued": {"vi": "(tiếp theo)", "zh": "（续页）", "en": "(continued)"},
}
PL_REMARKS: dict[str, tuple[str, ...]] = {
    "vi": (
        "Hàng đóng gói đồng nhất, nguyên đai nguyên kiện.",
        "Mỗi kiện đều có ký mã hiệu như trên.",
        "Trọng lượng cân tại kho người gửi hàng.",
    ),
    "zh": ("货物包装完好，箱上唛头与本单一致。", "每件均刷有上述唛头。", "重量以发货人仓库过磅为准。"),
    "en": (
        "All packages in good order and uniformly packed.",
        "Every package bears the marks shown above.",
        "Weights as weighed at the shipper's warehouse.",
    ),
}
CN_FOOTER = (
    "兹证明本装箱单所列货物数量、重量及包装与实际装运相符。",
    "本装箱单所列内容真实无误，如有不符，由发货人负责。",
)
CN_COPIES = ("本单一式三份：发货人、收货人、承运人各执一份。", "本单一式两份，随货同行一份。")
CBM_PER_PACKAGE = {
    "carton": ("0.035", "0.062"),
    "bag": ("0.045", "0.065"),
    "roll": ("0.09", "0.14"),
    "pallet": ("1.1", "1.6"),
}


def _pl_languages(b: Builder) -> tuple[str, str, str]:
    """The paper's three caption languages: the seller's, the other side's or English, then English."""
    own = "vi" if b.facts.seller.country == "VN" else "zh"
    other = "zh" if own == "vi" else "vi"
    if b.rng.random() < 0.7:
        return (own, other, "en")
    return (own, "en", other)


def _cbm(b: Builder, kind: str, packages: int) -> Decimal:
    lo, hi = CBM_PER_PACKAGE.get(kind, CBM_PER_PACKAGE["carton"])
    per = Decimal(str(round(b.rng.uniform(float(lo), float(hi)), 3)))
    return (per * packages).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def pl_fresh4_gwnw(b: Builder) -> None:
    f = b.facts
    rng = b.rng
    langs = _pl_languages(b)
    main, second, third = langs
    two = (main, second)
    c = b.new_page()

    def cap(key: str, which: tuple[str, ...] = two, upper: bool = False, sep: str = " / ") -> str:
        return caption(PL_LABELS[key], which, sep, upper)

    # -- the dark title band, title reversed out in white ---------------------------------------------
    c.rect(L - 20, 104, R + 20, 196, width=0, outline=None, fill=DARK)
    own_title = PL_LABELS["title"][main]
    c.text(L + 10, 168, own_title, c.fit(own_title, 700, 40, bold=True), bold=True, fill=WHITE)
    others = " · ".join(PL_LABELS["title"][lang] for lang in (second, third))
    c.text(R - 10, 164, others, c.fit(others, 640, 27, bold=True), bold=True, align="right", fill=WHITE)

    # -- the shipper at the left -----------------------------------------------------------------------
    lx1 = 930
    label = cap("shipper", upper=True) + ":"
    c.text(L, 248, label, 17, fill=GREY)
    shipper = party_name(b, f.seller, (main,), native_share=0.8)
    y = 248 + 36
    for line in c.wrap(shipper, lx1 - L, 26, bold=True)[:2]:
        c.text(L, y, line, c.fit(line, lx1 - L, 26, bold=True), bold=True)
        y += 33
    for line in c.wrap(party_address(f.seller, shipper), lx1 - L, 19)[:2]:
        c.text(L, y, line, 19)
        y += 26
    tel = f"Tel / 电话: {f.seller.phone}"
    c.text(L, y, tel, 19, fill=GREY)
    left_bottom = y

    # -- at the right: a caption over the number in large type, then the place and the date -------------
    num_cap = cap("number", langs, upper=True, sep=" · ")
    c.text(R, 248, num_cap, c.fit(num_cap, R - lx1 - 40, 17), fill=GREY, align="right")
    size = c.fit(f.packing_list_number, R - lx1 - 60, 34, bold=True)
    width = c.measure(f.packing_list_number, size, bold=True)
    c.text(R - width - 12, 296, "№", 26, align="right")
    b.put(
        c,
        "packing_list_number",
        R - width,
        296,
        f.packing_list_number,
        canon_text(f.packing_list_number),
        size=size,
        bold=True,
    )
    style = date_style(b)
    place_lang = "zh" if style == "zh" else ("vi" if style == "vi" else rng.choice((main, "en")))
    town = short_place(f.place_of_loading, place_lang)
    if place_lang == "zh":
        town = town.removeprefix("中国").removeprefix("越南")
        lead = f"{town}，"
    elif place_lang == "vi":
        lead = f"{town.split(',')[0]}, "
    else:
        lead = f"{town.title() if town.isupper() else town}, "
    date_text = b.date(f.packing_list_date, style)
    dsize = 22
    lead_w = c.measure(lead, dsize)
    date_w = c.measure(date_text, dsize, bold=True)
    if lead_w + date_w > R - lx1:
        dsize = 19
        lead_w = c.measure(lead, dsize)
        date_w = c.measure(date_text, dsize, bold=True)
    c.text(R - date_w - lead_w, 342, lead, dsize, fill=INK)
    b.put(
        c,
        "packing_list_date",
        R - date_w,
        342,
        date_text,
        f.packing_list_date.isoformat(),
        size=dsize,
        bold=True,
    )
    y = max(left_bottom, 342) + 40

    # -- the consignee and the transport in one ruled block ------------------------------------------------
    top = y
    mid = 900
    c.text(L + 16, top + 30, cap("consignee", upper=True) + ":", 17, fill=GREY)
    consignee = party_name(b, f.buyer, (main,), native_share=0.5)
    cy = top + 64
    for line in c.wrap(consignee, mid - L - 32, 23, bold=True)[:2]:
        c.text(L + 16, cy, line, 23, bold=True)
        cy += 30
    for line in c.wrap(party_address(f.buyer, consignee), mid - L - 32, 19)[:2]:
        c.text(L + 16, cy, line, 19)
        cy += 26
    plates = f"{b.plate(f.vehicle_plate)} / {b.plate(f.trailer_plate)}"
    gate = str(
        {"vi": f"Cửa khẩu {f.gate.vi}", "zh": f"{f.gate.zh}口岸", "en": f"{f.gate.en} Border Gate"}[main]
    )
    route_lang = "en" if main == "zh" and rng.random() < 0.5 else main
    route = f"{short_place(f.place_of_loading, route_lang)} → {short_place(f.place_of_delivery, route_lang)}"
    refs = (
        (cap("contract", (main,)), f.contract_number),
        (cap("truck", (main,)), plates),
        (cap("gate", (main,)), gate),
        (cap("route", (main,)), route),
    )
    ry = top + 34
    label_w = max(c.measure(lab + ":", 19) for lab, _ in refs) + 12
    for lab, value in refs:
        c.text(mid + 18, ry, lab + ":", 19, fill=GREY)
        c.text(mid + 18 + label_w, ry, value, c.fit(value, R - mid - 34 - label_w, 21))
        ry += 34
    bottom = max(cy, ry) + 4
    c.rect(L, top, R, bottom, width=2)
    c.vline(mid, top, bottom, 1)
    y = bottom

    # -- the invoice reference in a shaded strip ---------------------------------------------------------
    strip_h = 54
    c.rect(L, y, R, y + strip_h, width=0, outline=None, fill=BAND)
    c.rect(L, y, R, y + strip_h, width=2)
    inv_label = cap("invoice", (main, "en") if main != "en" else (main,)) + ":"
    c.text(L + 16, y + 36, inv_label, 21, bold=True)
    ix = L + 16 + c.measure(inv_label, 21, bold=True) + 14
    box = b.put(
        c, "invoice_number", ix, y + 36, f.invoice_number, canon_text(f.invoice_number), size=23, bold=True
    )
    invoice_date = b.date(f.invoice_date, style)
    dated = invoice_date if style == "vi" else f"{PL_LABELS['dated'][main]} / dated  {invoice_date}"
    dx = (box[2] if box else ix + 300) + 30
    c.text(dx, y + 36, dated, c.fit(dated, R - dx - 16, 21))
    y += strip_h + 34

    # -- goods: marks | description | quantity | packages with kind | G.W. / N.W. in one cell | (cbm) ------
    with_cbm = rng.random() < 0.5
    kind_lang = main if rng.random() < 0.7 else rng.choice(("short", "zh" if main == "vi" else "vi"))
    unit_lang = (
        {"vi": "vi", "zh": "zh"}.get(main, "code") if rng.random() < 0.5 else rng.choice(("en", "code"))
    )
    slash = rng.choice((" / ", "/", " - "))

    def head(key: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(PL_LABELS[key][lang] for lang in two))

    widths = {"marks": 236, "description": 0, "quantity": 190, "packages": 188, "weights": 340}
    if with_cbm:
        widths["cbm"] = 130
    widths["description"] = R - L - sum(widths.values())
    aligns = {"marks": "left", "quantity": "right", "packages": "right", "weights": "center", "cbm": "right"}
    cols = [GCol(key, head(key), width, aligns.get(key, "left")) for key, width in widths.items()]
    mark_top = f"{f.buyer.abbr}/{short_place(f.place_of_delivery, 'en')}"
    made_in = "MADE IN VIETNAM" if f.origin_country == "VN" else "MADE IN CHINA"
    rows: list[Cells] = []
    cbm_total = Decimal(0)
    first_no = 1
    for line in f.lines:
        last = first_no + line.packages - 1
        kind = package_word(line.good.package, kind_lang)
        unit = unit_word(line.good.unit, unit_lang)
        cbm = _cbm(b, line.good.package, line.packages)
        numbering = "C/No." if line.good.package == "carton" else "No."
        cbm_total += cbm
        rows.append(
            {
                "marks": [
                    [Seg(mark_top, bold=True)],
                    [Seg(f"{numbering} {first_no}-{last}" if last > first_no else f"{numbering} {first_no}")],
                    [Seg(made_in, scale=0.8, fill=GREY)],
                ],
                "description": [
                    [Seg(line.description, "description", canonical=canon_text(line.description), wrap=True)]
                ],
                "quantity": [[Seg(f"{b.num(line.quantity)} {unit}")]],
                "packages": [
                    [
                        Seg(
                            b.num(line.packages), "packages", canonical=canon_number(line.packages), bold=True
                        ),
                        Seg(f" {kind}"),
                    ]
                ],
                "weights": [
                    [
                        Seg(
                            b.weight(line.gross_kg), "gross_weight_kg", canonical=canon_number(line.gross_kg)
                        ),
                        Seg(slash),
                        Seg(b.weight(line.net_kg), "net_weight_kg", canonical=canon_number(line.net_kg)),
                    ]
                ],
                "cbm": [[Seg(b.num(cbm, 2))]],
            }
        )
        first_no = last + 1

    footer_h = 640
    continued = f"{PL_LABELS['title'][main]} {f.packing_list_number} {PL_LABELS['continued'][main]}"
    grid = GoodsGrid(
        b, c, L, y, cols, size=21, head_size=18, head_fill=None, rules=rng.choice(("dotted", "solid"))
    )
    if b.single_page:
        grid.fit(rows, PAGE_BOTTOM - footer_h - y, (21, 19, 17, 15))
    else:
        grid.next_page = continued_page(b, continued)
    grid.header()
    for i, cells in enumerate(rows):
        grid.row(cells, i)
    y = grid.close()
    c = grid.c
    compact = b.single_page and y + footer_h > PAGE_BOTTOM
    if not b.single_page and y + footer_h > PAGE_BOTTOM:
        c, y = continued_page(b, continued)()

    # -- remarks at the left, the boxed summary of the totals at the right -------------------------------
    y += 36
    sx0 = 900
    sx1 = R
    band = 44
    c.rect(sx0, y, sx1, y + band, width=0, outline=None, fill=DARK)
    summary = cap("summary", langs, upper=True, sep=" · ")
    c.text(
        (sx0 + sx1) / 2,
        y + 30,
        summary,
        c.fit(summary, sx1 - sx0 - 20, 20, bold=True),
        bold=True,
        align="center",
        fill=WHITE,
    )
    pkg_kinds = {line.good.package for line in f.lines}
    total_kind = (
        package_word(next(iter(pkg_kinds)), kind_lang)
        if len(pkg_kinds) == 1
        else {"vi": "kiện", "zh": "件", "en": "PKGS", "short": "PKGS"}[kind_lang]
    )
    totals: list[tuple[str, str, str, str, str]] = [
        (
            "total_packages",
            b.num(f.total_packages),
            "total_packages",
            canon_number(f.total_packages),
            total_kind,
        ),
        (
            "total_gross",
            b.weight(f.total_gross_kg),
            "total_gross_weight_kg",
            canon_number(f.total_gross_kg),
            "kg",
        ),
        ("total_net", b.weight(f.total_net_kg), "total_net_weight_kg", canon_number(f.total_net_kg), "kg"),
    ]
    if with_cbm:
        totals.append(("total_cbm", b.num(cbm_total, 2), "", "", "m³"))
    row_h = 58
    ty = y + band
    unit_x = sx1 - 16
    unit_w = max(c.measure(t[4], 21) for t in totals)
    value_right = unit_x - unit_w - 10
    for k, (key, printed, name, canonical, unit) in enumerate(totals):
        lab1 = PL_LABELS[key][main]
        lab2 = PL_LABELS[key][second]
        c.text(sx0 + 14, ty + 25, lab1, c.fit(lab1, 300, 19, bold=True), bold=True)
        c.text(sx0 + 14, ty + 47, lab2, c.fit(lab2, 300, 16), fill=GREY)
        if name:
            b.put(c, name, value_right, ty + 38, printed, canonical, size=24, bold=True, align="right")
        else:
            c.text(value_right, ty + 38, printed, 24, bold=True, align="right")
        c.text(unit_x, ty + 38, unit, 21, align="right")
        ty += row_h
        if k < len(totals) - 1:
            c.hline(sx0, sx1, ty, 1)
    c.rect(sx0, y, sx1, ty, width=2)
    c.vline(sx0 + 320, y + band, ty, 1)
    # remarks at the left of the summary
    ry = y + 28
    c.text(L, ry, cap("remarks") + ":", 20, bold=True)
    ry += 34
    remarks = list(PL_REMARKS[main])
    rng.shuffle(remarks)
    for k, text in enumerate(remarks[:2], start=1):
        for line in c.wrap(f"{k}. {text}", sx0 - L - 40, 19):
            c.text(L, ry, line, 19)
            ry += 28
    c.text(L, ry, f"{k + 1}. {made_in}", 19)
    ry += 28
    y = max(ty, ry) + (30 if compact else 50)

    # -- the Chinese footer: a conformity statement, the signatures with the shipper's chop, the copies --
    statement = rng.choice(CN_FOOTER)
    c.text(L, y, statement, c.fit(statement, R - L, 20))
    y += 40 if compact else 60
    if not compact and c.page == 1:
        y = max(y, rng.choice((0, 1780, 1860)))
    y = min(y, PAGE_BOTTOM - 230)
    left_x, right_x = L + 230, R - 300
    c.text(left_x, y, "收货人签收", 22, bold=True, align="center")
    c.text(
        left_x, y + 30, PL_LABELS["consignee"]["vi" if main != "vi" else "en"], 18, fill=GREY, align="center"
    )
    c.text(right_x, y, "发货人（签章）", 22, bold=True, align="center")
    c.text(
        right_x,
        y + 30,
        "Người gửi hàng (ký, đóng dấu)" if main == "vi" else "Shipper's signature & chop",
        18,
        fill=GREY,
        align="center",
    )
    sy = y + (140 if compact else 160)
    c.hline(left_x - 190, left_x + 190, sy, 1)
    c.hline(right_x - 220, right_x + 220, sy, 1)
    draw_signature(c, right_x - 120, sy - 30, 220, rng)
    company_seal(
        b, c, right_x + 80 + rng.randint(-40, 40), sy - 30 + rng.randint(-15, 15), 92 if compact else 100
    )
    copies = rng.choice(CN_COPIES)
    c.text(L, min(sy + 50, FOOT_Y - 34), copies, 17, fill=GREY)
    c.hline(L, R, FOOT_Y - 24, 1, fill=GREY)

    page_counts(b, "第 {n} 页 共 {total} 页")


register(
    Layout(
        "pl_fresh4_gwnw",
        PACKING_LIST,
        "train",
        "dejavu_sans",
        pl_fresh4_gwnw,
        numbers=("en", "vi"),
        groups=(True, True, False),
        dates=("dmy_slash", "dmy_dot", "dmy_dash", "iso", "zh", "vi", "d_mon_y"),
        weight_decimals=(None, 2),
    )
)
