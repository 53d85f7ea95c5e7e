"""Drawing trade documents: fonts, mixed-script text, ruled tables, stamps, and the record of ground truth.

Text is drawn in runs: Han characters with Noto Sans CJK SC (index 2 of the .ttc), everything else with the
layout's Latin font (DejaVu or Liberation, which cover Vietnamese), all on one baseline (``anchor="ls"``).
Every value a layout prints through ``Builder.put`` is recorded with its canonical value (computed from the
facts, not parsed back from the print) and the exact ink box of the printed text.
"""

from __future__ import annotations

import math
import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from langson.border.schema import FIELDS, LINE_FIELDS

A4_PX = (1654, 2339)  # A4 at 200 dpi
DPI = 200
INK = (22, 22, 28)
FONT_ROOT = "/usr/share/fonts/truetype"
CJK_REGULAR = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
CJK_BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
CJK_SC_INDEX = 2

FAMILIES: dict[str, tuple[str, str]] = {
    "dejavu_sans": ("dejavu/DejaVuSans.ttf", "dejavu/DejaVuSans-Bold.ttf"),
    "dejavu_serif": ("dejavu/DejaVuSerif.ttf", "dejavu/DejaVuSerif-Bold.ttf"),
    "dejavu_condensed": ("dejavu/DejaVuSansCondensed.ttf", "dejavu/DejaVuSansCondensed-Bold.ttf"),
    "dejavu_serif_condensed": ("dejavu/DejaVuSerifCondensed.ttf", "dejavu/DejaVuSerifCondensed-Bold.ttf"),
    "dejavu_mono": ("dejavu/DejaVuSansMono.ttf", "dejavu/DejaVuSansMono-Bold.ttf"),
    "liberation_sans": ("liberation2/LiberationSans-Regular.ttf", "liberation2/LiberationSans-Bold.ttf"),
    "liberation_serif": ("liberation2/LiberationSerif-Regular.ttf", "liberation2/LiberationSerif-Bold.ttf"),
    "liberation_mono": ("liberation2/LiberationMono-Regular.ttf", "liberation2/LiberationMono-Bold.ttf"),
}

Box = tuple[int, int, int, int]


@lru_cache(maxsize=512)
def font(family: str, size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    regular, heavy = FAMILIES[family]
    return ImageFont.truetype(f"{FONT_ROOT}/{heavy if bold else regular}", size)


@lru_cache(maxsize=128)
def cjk_font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(CJK_BOLD if bold else CJK_REGULAR, size, index=CJK_SC_INDEX)


def is_han(ch: str) -> bool:
    """Han ideographs and CJK punctuation / full-width forms: what the Latin fonts cannot draw."""
    code = ord(ch)
    return (
        0x2E80 <= code <= 0x2FFF
        or 0x3000 <= code <= 0x303F
        or 0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF
    )


def split_runs(text: str) -> list[tuple[str, bool]]:
    """``text`` cut where the script changes between Han and everything else."""
    runs: list[tuple[str, bool]] = []
    for ch in text:
        han = is_han(ch)
        if runs and runs[-1][1] == han:
            runs[-1] = (runs[-1][0] + ch, han)
        else:
            runs.append((ch, han))
    return runs


def union(a: Box | None, b: Box | None) -> Box | None:
    if a is None:
        return b
    if b is None:
        return a
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def canon_text(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def canon_number(value: Decimal | int) -> str:
    """Plain decimal string: no grouping, "." as decimal point, no trailing fractional zeros, no exponent."""
    d = Decimal(value)
    if d == d.to_integral_value():
        return str(d.quantize(Decimal(1)))
    text = format(d.normalize(), "f")
    return text


class Canvas:
    """One page being drawn."""

    def __init__(self, page: int, family: str, size: tuple[int, int] = A4_PX) -> None:
        self.page = page
        self.family = family
        self.width, self.height = size
        self.image = Image.new("RGB", size, (255, 255, 255))
        self.draw = ImageDraw.Draw(self.image)

    def _font(self, han: bool, size: int, family: str | None, bold: bool) -> ImageFont.FreeTypeFont:
        return cjk_font(size, bold) if han else font(family or self.family, size, bold)

    def measure(self, text: str, size: int, *, family: str | None = None, bold: bool = False) -> float:
        return sum(self._font(han, size, family, bold).getlength(run) for run, han in split_runs(text))

    def text(
        self,
        x: float,
        y: float,
        text: str,
        size: int = 26,
        *,
        family: str | None = None,
        bold: bool = False,
        fill: tuple[int, int, int] = INK,
        align: str = "left",
    ) -> Box | None:
        """Draw ``text`` with its baseline at ``y``; ``x`` is its left, right or centre per ``align``.
        Returns the ink box of what was drawn."""
        if not text:
            return None
        runs = split_runs(text)
        if align != "left":
            width = self.measure(text, size, family=family, bold=bold)
            x = x - width if align == "right" else x - width / 2
        box: Box | None = None
        cursor = float(x)
        for run, han in runs:
            f = self._font(han, size, family, bold)
            if run.strip():
                left, top, right, bottom = self.draw.textbbox((cursor, y), run, font=f, anchor="ls")
                self.draw.text((cursor, y), run, font=f, fill=fill, anchor="ls")
                box = union(box, (math.floor(left), math.floor(top), math.ceil(right), math.ceil(bottom)))
            cursor += f.getlength(run)
        return box

    def wrap(
        self, text: str, width: float, size: int, *, family: str | None = None, bold: bool = False
    ) -> list[str]:
        """Lines of ``text`` that fit ``width``, broken at spaces only (joined by spaces they restore it)."""
        words = text.split()
        lines: list[str] = []
        current = ""
        for word in words:
            candidate = f"{current} {word}" if current else word
            if current and self.measure(candidate, size, family=family, bold=bold) > width:
                lines.append(current)
                current = word
            else:
                current = candidate
        if current:
            lines.append(current)
        return lines or [""]

    def fit(
        self, text: str, width: float, size: int, *, family: str | None = None, bold: bool = False
    ) -> int:
        """The largest size ≤ ``size`` at which ``text`` fits ``width`` on one line."""
        while size > 12 and self.measure(text, size, family=family, bold=bold) > width:
            size -= 1
        return size

    def hline(self, x0: float, x1: float, y: float, width: int = 2, fill: tuple[int, int, int] = INK) -> None:
        self.draw.line([(x0, y), (x1, y)], fill=fill, width=width)

    def vline(self, x: float, y0: float, y1: float, width: int = 2, fill: tuple[int, int, int] = INK) -> None:
        self.draw.line([(x, y0), (x, y1)], fill=fill, width=width)

    def rect(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        width: int = 2,
        outline: tuple[int, int, int] | None = INK,
        fill: tuple[int, int, int] | None = None,
    ) -> None:
        self.draw.rectangle([x0, y0, x1, y1], outline=outline, fill=fill, width=width)

    def checkbox(self, x: float, y: float, size: int = 22, ticked: bool = False) -> None:
        self.rect(x, y, x + size, y + size, width=2)
        if ticked:
            self.draw.line(
                [(x + 4, y + size * 0.55), (x + size * 0.4, y + size - 4), (x + size + 4, y - 6)],
                fill=INK,
                width=4,
            )


@dataclass
class PrintStyle:
    """How one document prints its values: number grouping, date form, currency, plates, HS codes."""

    number: str = "en"  # "en": 1,250.50 | "vi": 1.250,50
    group: bool = True
    date: str = "dmy_slash"
    currency: str = "code"  # "code" | "symbol" | "zh"
    plate: str = "dash"  # VN "dash" 12C-123.45 | "space" 12C 123.45 ; CN "dot" 桂F·12345 | "plain" | "space"
    hs_dotted: bool = True
    weight_decimals: int | None = None  # None: as the value is (0 or 1 decimals); 2: always two
    upper: bool = False  # dates in upper case (Form E)


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DATE_STYLES = ("dmy_slash", "dmy_dot", "dmy_dash", "iso", "d_mon_y", "mon_d_y", "zh", "vi")


def format_date(d: date, style: str, upper: bool = False) -> str:
    if style == "dmy_slash":
        text = f"{d.day:02d}/{d.month:02d}/{d.year}"
    elif style == "dmy_dot":
        text = f"{d.day:02d}.{d.month:02d}.{d.year}"
    elif style == "dmy_dash":
        text = f"{d.day:02d}-{d.month:02d}-{d.year}"
    elif style == "iso":
        text = d.isoformat()
    elif style == "d_mon_y":
        text = f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    elif style == "mon_d_y":
        text = f"{MONTHS[d.month - 1]}. {d.day}, {d.year}"
    elif style == "zh":
        text = f"{d.year}年{d.month}月{d.day}日"
    elif style == "vi":
        text = f"ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"
    else:
        raise ValueError(style)
    return text.upper() if upper else text


def format_number(value: Decimal | int, style: str, decimals: int | None = None, group: bool = True) -> str:
    """``value`` printed in the English (1,250.50) or Vietnamese (1.250,50) style."""
    d = Decimal(value)
    if decimals is None:
        exponent = d.normalize().as_tuple().exponent
        decimals = 0 if d == d.to_integral_value() or not isinstance(exponent, int) else max(0, -exponent)
    if decimals == 3:
        decimals = 2  # three decimals read as a thousands group: never print them
    text = f"{d:,.{decimals}f}" if group else f"{d:.{decimals}f}"
    if style == "vi":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


CURRENCY_TEXT = {
    ("USD", "code"): "USD",
    ("USD", "symbol"): "US$",
    ("USD", "zh"): "美元",
    ("CNY", "code"): "CNY",
    ("CNY", "symbol"): "RMB",
    ("CNY", "zh"): "人民币",
    ("VND", "code"): "VND",
    ("VND", "symbol"): "VNĐ",
    ("VND", "zh"): "越南盾",
}
AMOUNT_PREFIX = {"USD": "$", "CNY": "¥", "VND": ""}


def format_plate(canonical: str, style: str) -> str:
    if canonical[0].isdigit():  # Vietnamese "12C-123.45"
        return canonical.replace("-", " ") if style == "space" else canonical
    prefix, rest = canonical[:2], canonical[2:]
    if style == "dot":
        return f"{prefix}·{rest}"
    if style == "space":
        return f"{prefix} {rest}"
    return canonical


def format_hs(hs: str, dotted: bool) -> str:
    if not dotted:
        return hs
    if len(hs) == 8:
        return f"{hs[:4]}.{hs[4:6]}.{hs[6:]}"
    return f"{hs[:4]}.{hs[4:]}"


class Builder:
    """Draws the pages of one document and records the ground truth of every value it prints."""

    def __init__(
        self, document_type: str, facts: Any, rng: random.Random, family: str, style: PrintStyle
    ) -> None:
        self.document_type = document_type
        self.facts = facts
        self.rng = rng
        self.family = family
        self.style = style
        self.pages: list[Canvas] = []
        self.fields: dict[str, dict[str, Any]] = {}
        self.lines: dict[int, dict[str, dict[str, Any]]] = {}
        self.printed: dict[str, str] = {}
        self.single_page = False  # the file holds one image: layouts must not add pages

    def new_page(self) -> Canvas:
        canvas = Canvas(len(self.pages) + 1, self.family)
        self.pages.append(canvas)
        return canvas

    # -- recording ------------------------------------------------------------------------------------------
    def record(self, name: str, canonical: str, box: Box | None, page: int, printed: str) -> None:
        if name not in FIELDS[self.document_type]:
            raise KeyError(f"{name} is not a field of {self.document_type}")
        if box is None:
            return
        found = self.fields.get(name)
        if found and found["page"] == page:
            found["bbox"] = list(union(tuple(found["bbox"]), box))  # type: ignore[arg-type]
            self.printed[name] += " " + printed
            return
        self.fields[name] = {"value": canonical, "confidence": 1.0, "bbox": list(box), "page": page}
        self.printed[name] = printed

    def record_line(self, index: int, column: str, canonical: str, box: Box | None, page: int) -> None:
        if column not in LINE_FIELDS[self.document_type]:
            raise KeyError(f"{column} is not a line column of {self.document_type}")
        if box is None:
            return
        row = self.lines.setdefault(index, {})
        found = row.get(column)
        if found and found["page"] == page:
            found["bbox"] = list(union(tuple(found["bbox"]), box))  # type: ignore[arg-type]
            return
        row[column] = {"value": canonical, "confidence": 1.0, "bbox": list(box), "page": page}

    def put(
        self, canvas: Canvas, name: str, x: float, y: float, printed: str, canonical: str, **kw: Any
    ) -> Box | None:
        box = canvas.text(x, y, printed, **kw)
        self.record(name, canonical, box, canvas.page, printed)
        return box

    def put_wrapped(
        self,
        canvas: Canvas,
        name: str,
        x: float,
        y: float,
        printed: str,
        width: float,
        size: int,
        line_height: float,
        **kw: Any,
    ) -> int:
        """A text value over as many lines as it needs; returns the baseline after the last line."""
        for line in canvas.wrap(printed, width, size, family=kw.get("family"), bold=kw.get("bold", False)):
            box = canvas.text(x, y, line, size, **kw)
            self.record(name, canon_text(printed), box, canvas.page, line)
            y += line_height
        return int(y)

    def truth(self) -> dict[str, Any]:
        columns = LINE_FIELDS[self.document_type]
        line_items = [
            {c: self.lines[i][c] for c in columns if c in self.lines[i]} for i in sorted(self.lines)
        ]
        fields = {name: self.fields[name] for name in FIELDS[self.document_type] if name in self.fields}
        return {"document_type": self.document_type, "fields": fields, "line_items": line_items, "issues": []}

    # -- formatting -----------------------------------------------------------------------------------------
    def num(self, value: Decimal | int, decimals: int | None = None) -> str:
        return format_number(value, self.style.number, decimals, self.style.group)

    def money(self, value: Decimal) -> str:
        return self.num(value, 0 if self.facts.currency == "VND" else 2)

    def price(self, value: Decimal) -> str:
        if self.facts.currency == "VND":
            return self.num(value, 0)
        return self.num(value, 2)

    def weight(self, value: Decimal) -> str:
        return self.num(value, self.style.weight_decimals)

    def date(self, d: date, style: str | None = None) -> str:
        return format_date(d, style or self.style.date, self.style.upper)

    def currency(self, style: str | None = None) -> str:
        return CURRENCY_TEXT[(self.facts.currency, style or self.style.currency)]

    def plate(self, canonical: str) -> str:
        style = self.style.plate
        if canonical[0].isdigit() and style not in ("dash", "space"):
            style = "dash"
        if not canonical[0].isdigit() and style not in ("dot", "plain", "space"):
            style = "dot"
        return format_plate(canonical, style)

    def hs(self, hs: str) -> str:
        return format_hs(hs, self.style.hs_dotted)


# ----------------------------------------------------------------------------------------------------------
# Tables


@dataclass
class Column:
    key: str  # a line column of the schema, or a free key ("no", "marks", "cbm") that is not recorded
    header: str  # lines separated by "\n"
    width: int
    align: str = "left"


@dataclass
class Table:
    """A ruled table drawn row by row. ``rules``: "grid" (all lines), "frame" (outer frame, header line and
    column lines), "horizontal" (row lines only), "open" (lines above and below the header and at the end)."""

    builder: Builder
    canvas: Canvas
    x: int
    y: int
    columns: list[Column]
    size: int = 24
    header_size: int = 21
    pad: int = 10
    rules: str = "grid"
    header_bold: bool = True
    header_fill: tuple[int, int, int] | None = None
    header_align: str = "center"
    valign: str = "top"  # "bottom": a spreadsheet's cells, whose short values sit on a tall row's last line
    family: str | None = None
    rule_width: int = 2
    bottom_limit: int = A4_PX[1] - 180
    next_page: Callable[[], tuple[Canvas, int]] | None = None
    _top: int = field(default=0, init=False)

    @property
    def width(self) -> int:
        return sum(c.width for c in self.columns)

    def col_x(self, key: str) -> tuple[int, int]:
        x = self.x
        for c in self.columns:
            if c.key == key:
                return x, x + c.width
            x += c.width
        raise KeyError(key)

    def header(self) -> None:
        self._top = self.y
        lines = max(c.header.count("\n") + 1 for c in self.columns)
        lh = int(self.header_size * 1.3)
        height = lines * lh + 2 * self.pad
        if self.header_fill:
            self.canvas.rect(
                self.x,
                self.y,
                self.x + self.width,
                self.y + height,
                width=0,
                outline=None,
                fill=self.header_fill,
            )
        x = self.x
        for c in self.columns:
            parts = c.header.split("\n")
            start = self.y + self.pad + int(self.header_size * 1.0) + (lines - len(parts)) * lh // 2
            for k, part in enumerate(parts):
                if self.header_align == "center":
                    tx, align = x + c.width / 2, "center"
                elif c.align == "right":
                    tx, align = x + c.width - self.pad, "right"
                else:
                    tx, align = x + self.pad, "left"
                size = self.canvas.fit(
                    part,
                    c.width - 2 * self.pad + 4,
                    self.header_size,
                    family=self.family,
                    bold=self.header_bold,
                )
                self.canvas.text(
                    tx, start + k * lh, part, size, family=self.family, bold=self.header_bold, align=align
                )
            x += c.width
        self._rule_top()
        self.y += height
        self.canvas.hline(self.x, self.x + self.width, self.y, self.rule_width)
        self._verticals(self._top, self.y)

    def _rule_top(self) -> None:
        self.canvas.hline(self.x, self.x + self.width, self.y, self.rule_width)

    def _verticals(self, y0: int, y1: int) -> None:
        if self.rules in ("grid", "frame"):
            x = self.x
            for c in self.columns:
                self.canvas.vline(x, y0, y1, self.rule_width)
                x += c.width
            self.canvas.vline(x, y0, y1, self.rule_width)

    def row(
        self,
        cells: dict[str, str],
        *,
        truth: dict[str, str] | None = None,
        line: int | None = None,
        bold: bool = False,
        fields: dict[str, tuple[str, str]] | None = None,
        rule: bool | None = None,
    ) -> tuple[Canvas, int, int]:
        """One row; ``truth`` maps line columns to canonical values recorded for line item ``line``,
        ``fields`` maps column keys to (field name, canonical) for document fields (e.g. totals)."""
        line_h = int(self.size * 1.42)
        wrapped: dict[str, list[str]] = {}
        for c in self.columns:
            text = cells.get(c.key, "")
            wrapped[c.key] = (
                self.canvas.wrap(text, c.width - 2 * self.pad, self.size, family=self.family, bold=bold)
                if text
                else []
            )
        n = max([len(v) for v in wrapped.values()] + [1])
        height = n * line_h + 2 * self.pad - int(self.size * 0.3)
        if self.y + height > self.bottom_limit and self.next_page is not None:
            self._close_page()
            self.canvas, self.y = self.next_page()
            self.header()
        top = self.y
        x = self.x
        for c in self.columns:
            drop = (n - len(wrapped[c.key])) * line_h if self.valign == "bottom" else 0
            for k, text in enumerate(wrapped[c.key]):
                baseline = top + self.pad + int(self.size * 1.02) + k * line_h + drop
                tx: float
                if c.align == "right":
                    tx, align = x + c.width - self.pad, "right"
                elif c.align == "center":
                    tx, align = x + c.width / 2, "center"
                else:
                    tx, align = x + self.pad, "left"
                box = self.canvas.text(
                    tx, baseline, text, self.size, family=self.family, bold=bold, align=align
                )
                if truth and line is not None and c.key in truth:
                    self.builder.record_line(line, c.key, truth[c.key], box, self.canvas.page)
                if fields and c.key in fields:
                    name, canonical = fields[c.key]
                    self.builder.record(name, canonical, box, self.canvas.page, text)
            x += c.width
        self.y += height
        draw_rule = rule if rule is not None else self.rules in ("grid", "horizontal")
        if draw_rule:
            self.canvas.hline(self.x, self.x + self.width, self.y, self.rule_width)
        self._verticals(top, self.y)
        return self.canvas, top, self.y

    def _close_page(self) -> None:
        self.canvas.hline(self.x, self.x + self.width, self.y, self.rule_width)

    def finish(self) -> int:
        self.canvas.hline(self.x, self.x + self.width, self.y, self.rule_width)
        return self.y


# ----------------------------------------------------------------------------------------------------------
# Stamps and signatures

STAMP_RED = (205, 40, 48)
SIGN_BLUE = (30, 45, 140)


def draw_stamp(
    canvas: Canvas,
    cx: float,
    cy: float,
    radius: int,
    ring_text: str,
    centre: str,
    rng: random.Random,
    color: tuple[int, int, int] = STAMP_RED,
) -> None:
    """A round company seal: double ring, the name around the top, a star or a line in the middle."""
    size = radius * 2 + 8
    layer = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(layer)
    c = size / 2
    draw.ellipse([c - radius, c - radius, c + radius, c + radius], outline=255, width=6)
    draw.ellipse([c - radius + 12, c - radius + 12, c + radius - 12, c + radius - 12], outline=255, width=2)
    chars = list(ring_text)

    def glyph_font(ch: str, size: int) -> ImageFont.FreeTypeFont:
        return cjk_font(size, True) if is_han(ch) else font("dejavu_condensed", size, True)

    def advance(size: int) -> float:
        return sum(glyph_font(ch, size).getlength(ch) + size * 0.08 for ch in chars)

    # Size the letters so the name fits on at most 320° of the ring.
    char_size = max(12, min(30, int(radius * 0.26)))
    while char_size > 12 and advance(char_size) > math.radians(320) * (radius - 12 - char_size * 0.9):
        char_size -= 1
    text_radius = radius - 12 - char_size * 0.9
    span = math.degrees(advance(char_size) / text_radius)
    angle = -90 - span / 2
    for ch in chars:
        gf = glyph_font(ch, char_size)
        step = math.degrees((gf.getlength(ch) + char_size * 0.08) / text_radius)
        mid_angle = angle + step / 2
        angle += step
        rad = math.radians(mid_angle)
        glyph = Image.new("L", (char_size * 2, char_size * 2), 0)
        ImageDraw.Draw(glyph).text((char_size, char_size), ch, font=gf, fill=255, anchor="mm")
        glyph = glyph.rotate(-(mid_angle + 90), resample=Image.Resampling.BILINEAR)
        gx = c + text_radius * math.cos(rad) - char_size
        gy = c + text_radius * math.sin(rad) - char_size
        layer.paste(255, (int(gx), int(gy)), glyph)
    if centre == "*":
        points = []
        for k in range(10):
            r = radius * (0.28 if k % 2 == 0 else 0.11)
            a = math.radians(-90 + 36 * k)
            points.append((c + r * math.cos(a), c + r * math.sin(a)))
        draw.polygon(points, fill=255)
    else:
        draw.text(
            (c, c + radius * 0.1),
            centre,
            font=font("dejavu_sans", max(12, char_size - 4), True),
            fill=255,
            anchor="mm",
        )
    layer = layer.rotate(rng.uniform(-25, 25), resample=Image.Resampling.BILINEAR)
    # Ink is not opaque: fade it a little and let the paper through.
    alpha = layer.point(lambda v: int(v * 0.82))
    colour = Image.new("RGB", layer.size, color)
    canvas.image.paste(colour, (int(cx - c), int(cy - c)), alpha)


def draw_signature(canvas: Canvas, x: float, y: float, width: float, rng: random.Random) -> None:
    """A handwritten-looking signature: a Catmull-Rom curve through jittered points with one big opening
    loop, and an underline stroke, in blue ink."""
    n = rng.randint(7, 12)
    height = width * rng.uniform(0.18, 0.3)
    slant = rng.uniform(0.15, 0.4)
    pts = [(x, y + height * 0.3), (x + width * 0.08, y - height), (x + width * 0.14, y + height * 0.6)]
    for k in range(n):
        t = 0.14 + 0.86 * (k + 1) / n
        up = (k % 2 == 0) ^ (rng.random() < 0.25)
        py = y + (-height * rng.uniform(0.3, 0.9) if up else height * rng.uniform(0.0, 0.4))
        pts.append((x + width * t + slant * (y - py), py))
    curve: list[tuple[float, float]] = []
    for i in range(1, len(pts) - 2):
        p0, p1, p2, p3 = pts[i - 1], pts[i], pts[i + 1], pts[i + 2]
        for s in range(12):
            t = s / 12
            t2, t3 = t * t, t * t * t
            curve.append(
                tuple(  # type: ignore[arg-type]
                    0.5
                    * (
                        2 * b
                        + (-a + c) * t
                        + (2 * a - 5 * b + 4 * c - d) * t2
                        + (-a + 3 * b - 3 * c + d) * t3
                    )
                    for a, b, c, d in zip(p0, p1, p2, p3, strict=True)
                )
            )
    canvas.draw.line(curve, fill=SIGN_BLUE, width=3, joint="curve")
    y2 = y + height * rng.uniform(0.5, 0.9)
    canvas.draw.line(
        [(x + width * 0.05, y2), (x + width * 1.05, y2 - width * rng.uniform(0.0, 0.08))],
        fill=SIGN_BLUE,
        width=3,
    )


# ----------------------------------------------------------------------------------------------------------
# Layouts and what they share


@dataclass(frozen=True)
class Layout:
    """One way of printing a document type: its drawing function, Latin font and the print forms it uses
    (each document draws its own choice among them)."""

    name: str
    document_type: str
    split: str  # "train" | "heldout"
    family: str
    draw: Callable[[Builder], None]
    numbers: tuple[str, ...] = ("en", "vi")
    groups: tuple[bool, ...] = (True,)
    dates: tuple[str, ...] = ("dmy_slash", "dmy_dot", "d_mon_y")
    currencies: tuple[str, ...] = ("code",)
    vn_plates: tuple[str, ...] = ("dash", "space")
    cn_plates: tuple[str, ...] = ("dot", "plain", "space")
    hs_dotted: tuple[bool, ...] = (True, False)
    weight_decimals: tuple[int | None, ...] = (None, 2)
    upper_dates: bool = False

    def style(self, rng: random.Random, facts: Any) -> PrintStyle:
        plates = self.vn_plates if facts.plate_country == "VN" else self.cn_plates
        return PrintStyle(
            number=rng.choice(self.numbers),
            group=rng.choice(self.groups),
            date=rng.choice(self.dates),
            currency=rng.choice(self.currencies),
            plate=rng.choice(plates),
            hs_dotted=rng.choice(self.hs_dotted),
            weight_decimals=rng.choice(self.weight_decimals),
            upper=self.upper_dates,
        )


REGISTRY: dict[tuple[str, str], Layout] = {}


def register(layout: Layout) -> Layout:
    key = (layout.document_type, layout.name)
    if key in REGISTRY:
        raise ValueError(f"layout {layout.name} registered twice for {layout.document_type}")
    REGISTRY[key] = layout
    return layout


UNITS: dict[str, dict[str, str]] = {
    "kg": {"vi": "kg", "en": "KGM", "zh": "公斤", "code": "KGS"},
    "pcs": {"vi": "cái", "en": "PCS", "zh": "件", "code": "PCE"},
    "m": {"vi": "mét", "en": "MTR", "zh": "米", "code": "MTR"},
}
PACKAGES: dict[str, dict[str, str]] = {
    "carton": {"vi": "thùng", "en": "CARTONS", "zh": "箱", "short": "CTNS"},
    "bag": {"vi": "bao", "en": "BAGS", "zh": "袋", "short": "BAGS"},
    "roll": {"vi": "cuộn", "en": "ROLLS", "zh": "卷", "short": "ROLLS"},
    "pallet": {"vi": "kiện", "en": "PALLETS", "zh": "托", "short": "PLTS"},
}
COUNTRY_NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    "VN": {"vi": ("Việt Nam",), "en": ("Vietnam", "VIET NAM"), "zh": ("越南",)},
    "CN": {"vi": ("Trung Quốc",), "en": ("China", "CHINA", "P.R. China"), "zh": ("中国",)},
}


def party_name(b: Builder, party: Any, languages: tuple[str, ...], native_share: float = 0.5) -> str:
    """The name a document prints for a company: its own-language name when the document speaks that
    language, otherwise the English name, and sometimes the native name anyway (Chinese names on Vietnamese
    papers are common at the Lạng Sơn crossings)."""
    own = "vi" if party.country == "VN" else "zh"
    if own in languages or b.rng.random() < native_share:
        return str(party.name)
    return str(party.name_en)


def party_address(party: Any, name: str) -> str:
    return str(party.address_en if name == party.name_en else party.address)


_ONES = (
    "ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE", "TEN",
    "ELEVEN", "TWELVE", "THIRTEEN", "FOURTEEN", "FIFTEEN", "SIXTEEN", "SEVENTEEN", "EIGHTEEN", "NINETEEN",
)  # fmt: skip
_TENS = ("", "", "TWENTY", "THIRTY", "FORTY", "FIFTY", "SIXTY", "SEVENTY", "EIGHTY", "NINETY")


def words(n: int) -> str:
    """An integer in English words, upper case, as printed on "SAY TOTAL" lines."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else "-" + _ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return _ONES[n // 100] + " HUNDRED" + (" AND " + words(rest) if rest else "")
    for scale, name in ((10**9, "BILLION"), (10**6, "MILLION"), (1000, "THOUSAND")):
        if n >= scale:
            rest = n % scale
            return words(n // scale) + f" {name}" + ((" " + words(rest)) if rest else "")
    raise AssertionError(n)


CURRENCY_WORDS = {"USD": "US DOLLARS", "CNY": "CHINESE YUAN", "VND": "VIETNAM DONG"}


def amount_in_words(value: Decimal, currency: str) -> str:
    whole = int(value)
    cents = int((value - whole) * 100)
    text = f"SAY {CURRENCY_WORDS[currency]} {words(whole)}"
    if cents:
        text += f" AND CENTS {words(cents)}"
    return text + " ONLY."
