"""The PDF report: A4 portrait, DejaVu Sans embedded, vector sparklines, "Trang X/Y" on every page."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence
from functools import partial
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from langson.core import pdf as fonts
from langson.ioc.reports.data import (
    STATUS_CRITICAL,
    STATUS_OK,
    STATUS_UNKNOWN,
    STATUS_WARNING,
    STATUSES,
    AlertLine,
    IndicatorLine,
    ReportData,
)
from langson.ioc.reports.formatting import (
    NO_DATA,
    SECTOR_LABELS,
    SEVERITY_LABELS,
    STATE_LABELS,
    STATUS_LABELS,
    by_sector,
    format_change,
    format_datetime,
    format_number,
    format_value,
    history_values,
    label,
    status_of,
    target_ratio,
    text,
    trend_arrow,
)

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 15 * mm
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 17 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
FRAME_PADDING = 6  # points, platypus' default Frame padding
ORGANISATION = "Trung tâm điều hành thông minh tỉnh Lạng Sơn"

STATUS_COLOURS: dict[str, Any] = {
    STATUS_OK: colors.HexColor("#2E7D32"),
    STATUS_WARNING: colors.HexColor("#F9A825"),
    STATUS_CRITICAL: colors.HexColor("#C62828"),
    STATUS_UNKNOWN: colors.HexColor("#9E9E9E"),
}
# Text drawn on a status colour: dark on amber, white elsewhere, for contrast.
STATUS_TEXT_COLOURS: dict[str, Any] = {
    STATUS_OK: colors.white,
    STATUS_WARNING: colors.HexColor("#212121"),
    STATUS_CRITICAL: colors.white,
    STATUS_UNKNOWN: colors.white,
}
SEVERITY_STATUS = {"critical": STATUS_CRITICAL, "warning": STATUS_WARNING}
INK = colors.HexColor("#212121")
MUTED = colors.HexColor("#616161")
RULE = colors.HexColor("#BDBDBD")
HEADER_FILL = colors.HexColor("#E3EAF2")
ZEBRA_FILL = colors.HexColor("#F7F9FB")
ACCENT = colors.HexColor("#1F4E79")

SPARK_WIDTH = 21 * mm
SPARK_HEIGHT = 7 * mm


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle(
        "body", fontName=fonts.REGULAR, bulletFontName=fonts.REGULAR, fontSize=9, leading=12, textColor=INK
    )
    return {
        "body": base,
        "title": ParagraphStyle(
            "title", parent=base, fontName=fonts.BOLD, fontSize=15, leading=19, textColor=ACCENT, spaceAfter=4
        ),
        "meta": ParagraphStyle("meta", parent=base, fontSize=9.5, leading=13, textColor=MUTED),
        "h1": ParagraphStyle(
            "h1",
            parent=base,
            fontName=fonts.BOLD,
            fontSize=12,
            leading=15,
            textColor=ACCENT,
            spaceBefore=10,
            spaceAfter=5,
        ),
        "h2": ParagraphStyle(
            "h2", parent=base, fontName=fonts.BOLD, fontSize=10, leading=13, spaceBefore=7, spaceAfter=3
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10),
        "cell_bold": ParagraphStyle("cell_bold", parent=base, fontName=fonts.BOLD, fontSize=8, leading=10),
        "cell_right": ParagraphStyle("cell_right", parent=base, fontSize=8, leading=10, alignment=TA_RIGHT),
        "cell_center": ParagraphStyle(
            "cell_center", parent=base, fontSize=8, leading=10, alignment=TA_CENTER
        ),
        "small": ParagraphStyle("small", parent=base, fontSize=7, leading=9, textColor=MUTED),
        "small_right": ParagraphStyle(
            "small_right", parent=base, fontSize=7, leading=9, textColor=MUTED, alignment=TA_RIGHT
        ),
        "head": ParagraphStyle("head", parent=base, fontName=fonts.BOLD, fontSize=8, leading=10),
        "head_right": ParagraphStyle(
            "head_right", parent=base, fontName=fonts.BOLD, fontSize=8, leading=10, alignment=TA_RIGHT
        ),
        "head_center": ParagraphStyle(
            "head_center", parent=base, fontName=fonts.BOLD, fontSize=8, leading=10, alignment=TA_CENTER
        ),
        "empty": ParagraphStyle("empty", parent=base, fontSize=9.5, leading=13, textColor=MUTED),
        "note": ParagraphStyle("note", parent=base, leftIndent=10, bulletIndent=0, spaceAfter=3),
    }


def _p(value: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text(value)), style)


def _status_style(base: ParagraphStyle, status: str) -> ParagraphStyle:
    return ParagraphStyle(
        f"{base.name}-{status}",
        parent=base,
        fontName=fonts.BOLD,
        textColor=STATUS_TEXT_COLOURS[status],
        alignment=TA_CENTER,
    )


Point = tuple[float, float]


def sparkline_geometry(
    history: Sequence[float | None], width: float, height: float, pad: float = 2.0
) -> tuple[list[list[Point]], Point | None]:
    """The line segments of a sparkline (broken where a period has no data) and its latest point."""
    points = history_values(history)
    known = [value for value in points if value is not None]
    if not known:
        return [], None
    low, high = min(known), max(known)
    span = max(len(points) - 1, 1)

    def xy(index: int, value: float) -> Point:
        x = pad + (width - 2 * pad) * (index / span if len(points) > 1 else 0.5)
        y = height / 2 if high == low else pad + (height - 2 * pad) * (value - low) / (high - low)
        return x, y

    segments: list[list[Point]] = [[]]
    last: Point | None = None
    for index, value in enumerate(points):
        if value is None:
            segments.append([])
            continue
        last = xy(index, value)
        segments[-1].append(last)
    return [segment for segment in segments if segment], last


class Sparkline(Flowable):
    """A small vector line chart drawn straight on the page (no font state, unlike reportlab.graphics)."""

    def __init__(self, history: Sequence[float | None], status: str) -> None:
        super().__init__()
        self.width = SPARK_WIDTH
        self.height = SPARK_HEIGHT
        self._history = list(history)
        self._status = status

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        segments, last = sparkline_geometry(self._history, self.width, self.height)
        canvas.saveState()
        if last is None:
            canvas.setStrokeColor(RULE)
            canvas.setLineWidth(0.6)
            canvas.setDash(1.5, 1.5)
            canvas.line(2, self.height / 2, self.width - 2, self.height / 2)
            canvas.restoreState()
            return
        line_colour = colors.HexColor("#546E7A")
        canvas.setStrokeColor(line_colour)
        canvas.setFillColor(line_colour)
        canvas.setLineWidth(0.9)
        canvas.setLineJoin(1)
        canvas.setLineCap(1)
        for segment in segments:
            if len(segment) == 1:
                canvas.circle(*segment[0], 0.7, stroke=0, fill=1)
                continue
            path = canvas.beginPath()
            path.moveTo(*segment[0])
            for point in segment[1:]:
                path.lineTo(*point)
            canvas.drawPath(path, stroke=1, fill=0)
        canvas.setFillColor(STATUS_COLOURS[self._status])
        canvas.setStrokeColor(colors.white)
        canvas.setLineWidth(0.4)
        canvas.circle(*last, 1.6, stroke=1, fill=1)
        canvas.restoreState()


def sparkline(history: Sequence[float | None], status: str) -> Sparkline:
    return Sparkline(history, status if status in STATUS_COLOURS else STATUS_UNKNOWN)


class _NumberedCanvas(fonts.PagedCanvas):
    """Every page gets the report's title at the top and "Trang X/Y" at the foot."""

    def __init__(self, *args: Any, report_title: str, generated: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._report_title = report_title
        self._generated = generated

    def draw_page(self, number: int, total: int) -> None:
        self._draw_furniture(number, total)

    def _fit(self, value: str, font: str, size: float, width: float) -> str:
        if self.stringWidth(value, font, size) <= width:
            return value
        while value and self.stringWidth(value + "…", font, size) > width:
            value = value[:-1]
        return value.rstrip() + "…"

    def _draw_furniture(self, number: int, total: int) -> None:
        self.saveState()
        top = PAGE_HEIGHT - 12 * mm
        self.setFillColor(ACCENT)
        self.setFont(fonts.BOLD, 8.5)
        self.drawString(MARGIN_X, top, self._fit(self._report_title, fonts.BOLD, 8.5, CONTENT_WIDTH))
        self.setStrokeColor(ACCENT)
        self.setLineWidth(0.8)
        self.line(MARGIN_X, top - 2.5 * mm, PAGE_WIDTH - MARGIN_X, top - 2.5 * mm)
        bottom = 10 * mm
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN_X, bottom + 4 * mm, PAGE_WIDTH - MARGIN_X, bottom + 4 * mm)
        self.setFillColor(MUTED)
        self.setFont(fonts.REGULAR, 7.5)
        self.drawString(MARGIN_X, bottom, f"{ORGANISATION} · Lập lúc {self._generated}")
        self.drawRightString(PAGE_WIDTH - MARGIN_X, bottom, f"Trang {number}/{total}")
        self.restoreState()


# A header row on a tinted band, thin rules between rows: the look of every list table in the report.
LIST_TABLE_COMMANDS: tuple[tuple[Any, ...], ...] = (
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
    ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
    ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
    ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
)


def _table_style(commands: list[tuple[Any, ...]]) -> TableStyle:
    """Every cell holds flowables, but a table still sets its cells' font: make it ours, not Helvetica."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR), *commands])


def _summary(report: ReportData, styles: dict[str, ParagraphStyle]) -> Table:
    counts = Counter(status_of(line) for line in report.indicators)
    open_alerts = sum(1 for alert in report.alerts if alert.state.strip().lower() != "resolved")
    labels: list[Any] = [_p(STATUS_LABELS[status], styles["head_center"]) for status in STATUSES]
    labels.append(_p("Cảnh báo chưa xử lý", styles["head_center"]))
    values: list[Any] = []
    for status in STATUSES:
        style = ParagraphStyle(
            f"count-{status}", parent=_status_style(styles["cell_center"], status), fontSize=14, leading=17
        )
        values.append(Paragraph(format_number(counts[status]), style))
    values.append(
        Paragraph(
            format_number(open_alerts),
            ParagraphStyle(
                "count-alerts",
                parent=styles["cell_center"],
                fontName=fonts.BOLD,
                fontSize=14,
                leading=17,
                textColor=ACCENT,
            ),
        )
    )
    table = Table([labels, values], colWidths=[CONTENT_WIDTH / 5] * 5)
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("BOX", (0, 0), (-1, -1), 0.5, RULE),
        ("INNERGRID", (0, 0), (-1, -1), 0.5, colors.white),
        ("TOPPADDING", (0, 1), (-1, 1), 5),
        ("BOTTOMPADDING", (0, 1), (-1, 1), 6),
    ]
    for column, status in enumerate(STATUSES):
        commands.append(("BACKGROUND", (column, 1), (column, 1), STATUS_COLOURS[status]))
    table.setStyle(_table_style(commands))
    return table


INDICATOR_COLUMNS = (20 * mm, 47 * mm, 29 * mm, 27 * mm, 33 * mm, 24 * mm)


def _indicator_table(lines: Sequence[IndicatorLine], styles: dict[str, ParagraphStyle]) -> Table:
    rows: list[list[Any]] = [
        [
            _p("Trạng thái", styles["head_center"]),
            _p("Chỉ số", styles["head"]),
            _p("Giá trị kỳ này", styles["head_right"]),
            _p("Mục tiêu", styles["head_right"]),
            _p("So với kỳ trước", styles["head_right"]),
            _p("Diễn biến", styles["head_center"]),
        ]
    ]
    commands: list[tuple[Any, ...]] = [
        *LIST_TABLE_COMMANDS,
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("ALIGN", (5, 1), (5, -1), "CENTER"),
    ]
    for row_number, line in enumerate(lines, start=1):
        status = status_of(line)
        ratio = target_ratio(line.value, line.target)
        target_cell: list[Any] = [_p(format_value(line.target, line.unit), styles["cell_right"])]
        if ratio is not None:
            target_cell.append(_p(f"{format_number(ratio * 100, 1)}% mục tiêu", styles["small_right"]))
        previous_text = format_number(line.previous)
        change_text = format_change(line.value, line.previous, line.unit)
        arrow = trend_arrow(line.value, line.previous)
        rows.append(
            [
                _p(STATUS_LABELS[status], _status_style(styles["cell"], status)),
                [_p(line.name, styles["cell_bold"]), _p(line.code, styles["small"])],
                _p(
                    format_value(line.value, line.unit),
                    ParagraphStyle("value", parent=styles["cell_right"], fontName=fonts.BOLD),
                ),
                target_cell,
                [
                    _p(f"{arrow} {change_text}".strip(), styles["cell_right"]),
                    _p(f"kỳ trước: {previous_text}", styles["small_right"]),
                ],
                sparkline(line.history, status),
            ]
        )
        commands.append(("BACKGROUND", (0, row_number), (0, row_number), STATUS_COLOURS[status]))
        if row_number % 2 == 0:
            commands.append(("BACKGROUND", (1, row_number), (-1, row_number), ZEBRA_FILL))
    table = Table(rows, colWidths=INDICATOR_COLUMNS, repeatRows=1)
    table.setStyle(_table_style(commands))
    return table


def _indicator_section(report: ReportData, styles: dict[str, ParagraphStyle]) -> list[Any]:
    story: list[Any] = [CondPageBreak(45 * mm), _p("1. Chỉ số theo lĩnh vực", styles["h1"])]
    if not report.indicators:
        story.append(_p(f"{NO_DATA} chỉ số trong kỳ báo cáo.", styles["empty"]))
        return story
    for position, (sector, lines) in enumerate(by_sector(report.indicators)):
        # A heading never ends a page alone: start a new page when too little room is left (the first
        # sector heading goes with the section heading, which made that check).
        if position:
            story.append(CondPageBreak(35 * mm))
        story.append(_p(f"{label(SECTOR_LABELS, sector) or 'Khác'} ({len(lines)} chỉ số)", styles["h2"]))
        story.append(_indicator_table(lines, styles))
    return story


ALERT_COLUMNS = (30 * mm, 38 * mm, 24 * mm, 62 * mm, 26 * mm)


def _ordered(found: Sequence[str], known: dict[str, str]) -> list[str]:
    codes = list(known)
    codes.extend(sorted({code for code in found if code not in known}))
    return codes


def _alert_counts(alerts: Sequence[AlertLine], styles: dict[str, ParagraphStyle]) -> Table:
    severities = _ordered([a.severity.strip().lower() for a in alerts], SEVERITY_LABELS)
    states = _ordered([a.state.strip().lower() for a in alerts], STATE_LABELS)
    counts = Counter((a.severity.strip().lower(), a.state.strip().lower()) for a in alerts)
    header = [_p("Mức độ \\ Trạng thái", styles["head"])]
    header += [_p(label(STATE_LABELS, state), styles["head_right"]) for state in states]
    header.append(_p("Tổng", styles["head_right"]))
    rows: list[list[Any]] = [header]
    for severity in severities:
        row: list[Any] = [_p(label(SEVERITY_LABELS, severity), styles["cell_bold"])]
        row += [_p(format_number(counts[(severity, state)]), styles["cell_right"]) for state in states]
        total = sum(counts[(severity, state)] for state in states)
        row.append(_p(format_number(total), styles["cell_right"]))
        rows.append(row)
    footer: list[Any] = [_p("Tổng", styles["head"])]
    footer += [
        _p(format_number(sum(counts[(severity, state)] for severity in severities)), styles["head_right"])
        for state in states
    ]
    footer.append(_p(format_number(len(alerts)), styles["head_right"]))
    rows.append(footer)
    first = 45 * mm
    other = (CONTENT_WIDTH - first) / (len(states) + 1)
    table = Table(rows, colWidths=[first] + [other] * (len(states) + 1))
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
        ("LINEBELOW", (0, 1), (-1, -2), 0.3, RULE),
        ("LINEABOVE", (0, -1), (-1, -1), 0.8, ACCENT),
        ("BACKGROUND", (0, -1), (-1, -1), ZEBRA_FILL),
    ]
    for row_number, severity in enumerate(severities, start=1):
        status = SEVERITY_STATUS.get(severity, STATUS_UNKNOWN)
        commands.append(("LINEBEFORE", (0, row_number), (0, row_number), 4, STATUS_COLOURS[status]))
    table.setStyle(_table_style(commands))
    return table


def _alert_list(alerts: Sequence[AlertLine], styles: dict[str, ParagraphStyle]) -> Table:
    rows: list[list[Any]] = [
        [
            _p("Thời điểm", styles["head"]),
            _p("Chỉ số", styles["head"]),
            _p("Mức độ", styles["head_center"]),
            _p("Nội dung", styles["head"]),
            _p("Trạng thái", styles["head"]),
        ]
    ]
    commands: list[tuple[Any, ...]] = [*LIST_TABLE_COMMANDS]
    for row_number, alert in enumerate(alerts, start=1):
        status = SEVERITY_STATUS.get(alert.severity.strip().lower(), STATUS_UNKNOWN)
        rows.append(
            [
                _p(format_datetime(alert.opened_at), styles["cell"]),
                _p(alert.indicator, styles["cell"]),
                _p(label(SEVERITY_LABELS, alert.severity), _status_style(styles["cell"], status)),
                _p(alert.title, styles["cell"]),
                _p(label(STATE_LABELS, alert.state), styles["cell"]),
            ]
        )
        commands.append(("BACKGROUND", (2, row_number), (2, row_number), STATUS_COLOURS[status]))
        if row_number % 2 == 0:
            commands.append(("BACKGROUND", (3, row_number), (-1, row_number), ZEBRA_FILL))
            commands.append(("BACKGROUND", (0, row_number), (1, row_number), ZEBRA_FILL))
    table = Table(rows, colWidths=ALERT_COLUMNS, repeatRows=1)
    table.setStyle(_table_style(commands))
    return table


def _alert_section(report: ReportData, styles: dict[str, ParagraphStyle]) -> list[Any]:
    story: list[Any] = [CondPageBreak(45 * mm), _p("2. Tổng hợp cảnh báo", styles["h1"])]
    if not report.alerts:
        story.append(_p("Không có cảnh báo nào trong kỳ báo cáo.", styles["empty"]))
        return story
    story.append(
        KeepTogether(
            [_p("Số cảnh báo theo mức độ và trạng thái", styles["h2"]), _alert_counts(report.alerts, styles)]
        )
    )
    story.append(CondPageBreak(25 * mm))
    story.append(_p(f"Danh sách cảnh báo ({format_number(len(report.alerts))})", styles["h2"]))
    story.append(_alert_list(report.alerts, styles))
    return story


def _notes_section(report: ReportData, styles: dict[str, ParagraphStyle]) -> list[Any]:
    notes = [note.strip() for note in report.notes if note.strip()]
    story: list[Any] = [CondPageBreak(25 * mm), _p("3. Ghi chú", styles["h1"])]
    if not notes:
        story.append(_p("Không có ghi chú.", styles["empty"]))
        return story
    story.extend(Paragraph(escape(text(note)), styles["note"], bulletText="•") for note in notes)
    return story


def render_pdf(report: ReportData) -> bytes:
    """The report as an A4 portrait PDF with embedded DejaVu Sans (real, extractable Vietnamese text)."""
    fonts.register_fonts()
    styles = _styles()
    title = text(report.title)
    generated = format_datetime(report.generated_at)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        # The frame pads its content by 6 pt: tables of CONTENT_WIDTH then line up with the header rule.
        leftMargin=MARGIN_X - FRAME_PADDING,
        rightMargin=MARGIN_X - FRAME_PADDING,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=title,
        author=ORGANISATION,
        subject=text(f"Kỳ báo cáo: {report.period_label}"),
        creator="Nền tảng tỉnh số Lạng Sơn",
        lang="vi-VN",
        initialFontName=fonts.REGULAR,  # else the page preamble references an unembedded Helvetica
    )
    story: list[Any] = [
        _p(title, styles["title"]),
        _p(f"Kỳ báo cáo: {report.period_label}", styles["meta"]),
        _p(f"Thời điểm lập: {generated}", styles["meta"]),
        Spacer(1, 4 * mm),
        _summary(report, styles),
    ]
    story += _indicator_section(report, styles)
    story += _alert_section(report, styles)
    story += _notes_section(report, styles)
    canvas_maker = partial(_NumberedCanvas, report_title=title, generated=generated)
    document.build(story, canvasmaker=canvas_maker)
    return buffer.getvalue()


__all__ = ["Sparkline", "render_pdf", "sparkline", "sparkline_geometry"]
