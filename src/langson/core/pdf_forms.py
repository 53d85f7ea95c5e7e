"""The furniture of the province's printed forms (administrative style of Decree 30/2020/NĐ-CP): the
national header, paragraph styles, plain tables, the page-numbered canvas, the document with embedded
fonts. Shared by every app that prints forms (hồ sơ papers, customs declaration drafts)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from langson.core import pdf as fonts
from langson.core.services.workdays import LOCAL_TZ

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
PLACE = "Lạng Sơn"
CREATOR = "Nền tảng tỉnh số Lạng Sơn"
INK = colors.HexColor("#111111")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#9E9E9E")
HEADER_FILL = colors.HexColor("#E8E8E8")
FRAME_PADDING = 6  # points: platypus pads its frame, so the usable width is the page less margins and this


# Page furniture -----------------------------------------------------------------------------------------


class FormCanvas(fonts.PagedCanvas):
    """The footer says "Trang X/Y" (only when there are several pages, unless ``always``)."""

    def __init__(self, *args: Any, footer: str, always: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._always = always

    def draw_page(self, number: int, total: int) -> None:
        if self._always or total > 1:
            self._draw_footer(number, total)

    def _draw_footer(self, number: int, total: int) -> None:
        width, _height = self._pagesize
        self.saveState()
        self.setFont(fonts.REGULAR, 6.5)
        self.setFillColor(MUTED)
        self.drawString(10 * mm, 6 * mm, self._footer)
        self.drawRightString(width - 10 * mm, 6 * mm, f"Trang {number}/{total}")
        self.restoreState()


def form_styles(size: float) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle(
        "body", fontName=fonts.REGULAR, fontSize=size, leading=size * 1.3, textColor=INK, spaceAfter=1.2
    )
    small = size - 1.5
    return {
        "body": base,
        "bold": ParagraphStyle("bold", parent=base, fontName=fonts.BOLD),
        "head": ParagraphStyle(
            "head", parent=base, fontSize=small, leading=small * 1.3, alignment=TA_CENTER, spaceAfter=0
        ),
        "head_bold": ParagraphStyle(
            "head_bold",
            parent=base,
            fontName=fonts.BOLD,
            fontSize=small,
            leading=small * 1.3,
            alignment=TA_CENTER,
            spaceAfter=0,
        ),
        "centre": ParagraphStyle("centre", parent=base, alignment=TA_CENTER),
        "centre_bold": ParagraphStyle("centre_bold", parent=base, fontName=fonts.BOLD, alignment=TA_CENTER),
        "title": ParagraphStyle(
            "title",
            parent=base,
            fontName=fonts.BOLD,
            fontSize=size + 3,
            leading=(size + 3) * 1.3,
            alignment=TA_CENTER,
            spaceBefore=3 * mm,
            spaceAfter=1,
        ),
        "small": ParagraphStyle("small", parent=base, fontSize=small, leading=small * 1.3, textColor=MUTED),
        "small_centre": ParagraphStyle(
            "small_centre", parent=base, fontSize=small, leading=small * 1.3, alignment=TA_CENTER
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=small, leading=small * 1.25, spaceAfter=0),
        "cell_head": ParagraphStyle(
            "cell_head",
            parent=base,
            fontName=fonts.BOLD,
            fontSize=small,
            leading=small * 1.25,
            alignment=TA_CENTER,
            spaceAfter=0,
        ),
    }


def para(value: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(value), style)


def field(label: str, value: str, style: ParagraphStyle) -> Paragraph:
    """A "label: value" line, the value in bold."""
    return Paragraph(f"{escape(label)}: <b>{escape(value)}</b>", style)


def plain_table(rows: list[list[Any]], widths: Sequence[float], commands: list[tuple[Any, ...]]) -> Table:
    table = Table(rows, colWidths=list(widths))
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),  # else the cells' default font is Helvetica
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                *commands,
            ]
        )
    )
    return table


class _Rule(Flowable):
    """A short centred line under a heading, as on Vietnamese administrative documents."""

    def __init__(self, length: float) -> None:
        super().__init__()
        self.length = length

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self._available = available_width
        return available_width, 4

    def draw(self) -> None:
        start = (self._available - self.length) / 2
        self.canv.setLineWidth(0.5)
        self.canv.line(start, 1, start + self.length, 1)


def national_header(
    lines: tuple[str, str], day: datetime | None, styles: dict[str, ParagraphStyle], width: float
) -> Table:
    """The top of a form: the issuing body's two lines (authority, section) on the left, the national name,
    the motto and "Lạng Sơn, ngày … tháng … năm …" of ``day`` on the right."""
    authority, section = lines
    left: list[Any] = []
    if authority:
        left.append(para(authority.upper(), styles["head"]))
    left += [para(section.upper(), styles["head_bold"]), _Rule(18 * mm)]
    right: list[Any] = [para(NATION, styles["head_bold"]), para(MOTTO, styles["head_bold"]), _Rule(30 * mm)]
    if day is not None:
        local = day.astimezone(LOCAL_TZ)
        right.append(
            para(f"{PLACE}, ngày {local:%d} tháng {local:%m} năm {local:%Y}", styles["small_centre"])
        )
    return plain_table([[left, right]], [width * 0.44, width * 0.56], [])


def form_document(
    buffer: io.BytesIO, pagesize: tuple[float, float], margin: float, **meta: str
) -> SimpleDocTemplate:
    return SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        creator=CREATOR,
        lang="vi-VN",
        initialFontName=fonts.REGULAR,  # else the page preamble references an unembedded Helvetica
        **meta,
    )
