"""The XLSX report: sheets "Chỉ số", "Cảnh báo" and "Thông tin", numbers as numbers, dates as Excel dates."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from langson.ioc.reports.data import (
    STATUS_CRITICAL,
    STATUS_OK,
    STATUS_UNKNOWN,
    STATUS_WARNING,
    ReportData,
)
from langson.ioc.reports.formatting import (
    NO_DATA,
    SECTOR_LABELS,
    SEVERITY_LABELS,
    STATE_LABELS,
    STATUS_LABELS,
    by_sector,
    change,
    finite,
    label,
    local,
    period_dates,
    status_of,
    target_ratio,
    text,
)

SHEET_INDICATORS = "Chỉ số"
SHEET_ALERTS = "Cảnh báo"
SHEET_INFO = "Thông tin"

INDICATOR_HEADER: tuple[str, ...] = (
    "Mã chỉ số",
    "Tên chỉ số",
    "Đơn vị",
    "Lĩnh vực",
    "Giá trị kỳ này",
    "Giá trị kỳ trước",
    "Mục tiêu",
    "Thay đổi so với kỳ trước",
    "Thay đổi (%)",
    "Tỷ lệ so với mục tiêu (%)",
    "Trạng thái",
)
HISTORY_HEADER = "Lịch sử kỳ {n}"
ALERT_HEADER: tuple[str, ...] = ("Thời điểm phát sinh", "Chỉ số", "Mức độ", "Nội dung", "Trạng thái")

DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
DATE_FORMAT = "dd/mm/yyyy"
PERCENT_FORMAT = "0.0%"
STATUS_FILLS: dict[str, str] = {
    STATUS_OK: "C8E6C9",
    STATUS_WARNING: "FFE082",
    STATUS_CRITICAL: "FFCDD2",
    STATUS_UNKNOWN: "E0E0E0",
}
SEVERITY_STATUS = {"critical": STATUS_CRITICAL, "warning": STATUS_WARNING}
HEADER_FONT = Font(bold=True, color="1F4E79")
HEADER_FILL = PatternFill("solid", fgColor="E3EAF2")
MUTED_FONT = Font(italic=True, color="757575")


def _number_format(value: float) -> str:
    return "#,##0" if float(value).is_integer() else "#,##0.0##"


def _put_number(sheet: Worksheet, row: int, column: int, value: float | None) -> None:
    number = finite(value)
    if number is None:
        return
    cell = sheet.cell(row=row, column=column, value=number)
    cell.number_format = _number_format(number)


def _put_percent(sheet: Worksheet, row: int, column: int, fraction: float | None) -> None:
    if fraction is None:
        return
    cell = sheet.cell(row=row, column=column, value=fraction)
    cell.number_format = PERCENT_FORMAT


def _header(sheet: Worksheet, names: Sequence[str]) -> None:
    for column, name in enumerate(names, start=1):
        cell = sheet.cell(row=1, column=column, value=name)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    sheet.freeze_panes = "A2"
    sheet.row_dimensions[1].height = 30


def _shown(value: Any) -> int:
    """The rough width in characters of a cell as Excel shows it."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    if isinstance(value, float | int):
        return len(f"{value:,.3f}".rstrip("0").rstrip(".")) + 1
    return max((len(part) for part in str(value).splitlines()), default=0)


def _fit_columns(sheet: Worksheet, minimum: int = 8, maximum: int = 60, header_cap: int = 18) -> None:
    widths: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            size = _shown(cell.value)
            if cell.row == 1:
                size = min(size, header_cap)  # headers wrap
            widths[cell.column] = max(widths.get(cell.column, 0), size)
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = max(minimum, min(maximum, width + 2))


def _empty_message(sheet: Worksheet, message: str) -> None:
    cell = sheet.cell(row=2, column=1, value=message)
    cell.font = MUTED_FONT


def _indicators_sheet(sheet: Worksheet, report: ReportData) -> None:
    lines = [line for _, group in by_sector(report.indicators) for line in group]
    history_length = max((len(line.history) for line in lines), default=0)
    history_names = [HISTORY_HEADER.format(n=n) for n in range(1, history_length + 1)]
    _header(sheet, [*INDICATOR_HEADER, *history_names])
    if not lines:
        _empty_message(sheet, f"{NO_DATA} chỉ số trong kỳ báo cáo.")
    for row, line in enumerate(lines, start=2):
        status = status_of(line)
        sheet.cell(row=row, column=1, value=text(line.code))
        sheet.cell(row=row, column=2, value=text(line.name))
        sheet.cell(row=row, column=3, value=text(line.unit))
        sheet.cell(row=row, column=4, value=label(SECTOR_LABELS, line.sector))
        _put_number(sheet, row, 5, line.value)
        _put_number(sheet, row, 6, line.previous)
        _put_number(sheet, row, 7, line.target)
        delta, ratio = change(line.value, line.previous)
        _put_number(sheet, row, 8, delta)
        _put_percent(sheet, row, 9, ratio)
        _put_percent(sheet, row, 10, target_ratio(line.value, line.target))
        status_cell = sheet.cell(row=row, column=11, value=STATUS_LABELS[status])
        status_cell.fill = PatternFill("solid", fgColor=STATUS_FILLS[status])
        # Histories are aligned on their latest period, so that a column is the same period for every row.
        first = len(INDICATOR_HEADER) + 1 + history_length - len(line.history)
        for offset, point in enumerate(line.history):
            _put_number(sheet, row, first + offset, point)
    if lines:
        sheet.auto_filter.ref = f"A1:{get_column_letter(sheet.max_column)}{sheet.max_row}"
    _fit_columns(sheet)
    sheet.column_dimensions["B"].width = max(sheet.column_dimensions["B"].width or 0, 30)


def _alerts_sheet(sheet: Worksheet, report: ReportData) -> None:
    _header(sheet, ALERT_HEADER)
    if not report.alerts:
        _empty_message(sheet, "Không có cảnh báo nào trong kỳ báo cáo.")
    for row, alert in enumerate(report.alerts, start=2):
        opened = sheet.cell(row=row, column=1, value=local(alert.opened_at))
        opened.number_format = DATETIME_FORMAT
        sheet.cell(row=row, column=2, value=text(alert.indicator))
        severity = sheet.cell(row=row, column=3, value=label(SEVERITY_LABELS, alert.severity))
        status = SEVERITY_STATUS.get(alert.severity.strip().lower(), STATUS_UNKNOWN)
        severity.fill = PatternFill("solid", fgColor=STATUS_FILLS[status])
        sheet.cell(row=row, column=4, value=text(alert.title))
        sheet.cell(row=row, column=5, value=label(STATE_LABELS, alert.state))
    if report.alerts:
        sheet.auto_filter.ref = f"A1:{get_column_letter(sheet.max_column)}{sheet.max_row}"
    _fit_columns(sheet, maximum=80)


def _info_sheet(sheet: Worksheet, report: ReportData) -> None:
    rows: list[tuple[str, Any, str | None]] = [
        ("Tiêu đề", text(report.title), None),
        ("Kỳ báo cáo", text(report.period_label), None),
    ]
    dates = period_dates(report.period_label)
    if dates:
        rows += [("Từ ngày", dates[0], DATE_FORMAT), ("Đến ngày", dates[1], DATE_FORMAT)]
    rows += [
        ("Thời điểm lập", local(report.generated_at), DATETIME_FORMAT),
        ("Số chỉ số", len(report.indicators), "#,##0"),
        ("Số cảnh báo", len(report.alerts), "#,##0"),
    ]
    notes = [note.strip() for note in report.notes if note.strip()]
    rows += [(f"Ghi chú {n}", text(note), None) for n, note in enumerate(notes, start=1)]
    rows.append(
        (
            "Giải thích",
            "Các cột “Lịch sử kỳ 1…N” của trang “Chỉ số” là giá trị các kỳ gần nhất, từ cũ đến mới; "
            "thời gian theo giờ Việt Nam (UTC+7).",
            None,
        )
    )
    for row, (name, value, number_format) in enumerate(rows, start=1):
        sheet.cell(row=row, column=1, value=name).font = Font(bold=True)
        cell = sheet.cell(row=row, column=2, value=value)
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
        if number_format:
            cell.number_format = number_format
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 90


def render_xlsx(report: ReportData) -> bytes:
    """The report as an XLSX workbook with the sheets "Chỉ số", "Cảnh báo" and "Thông tin"."""
    workbook = Workbook()
    indicators = workbook.active
    assert indicators is not None  # noqa: S101 - a new workbook always has one sheet
    indicators.title = SHEET_INDICATORS
    _indicators_sheet(indicators, report)
    _alerts_sheet(workbook.create_sheet(SHEET_ALERTS), report)
    _info_sheet(workbook.create_sheet(SHEET_INFO), report)
    workbook.properties.title = text(report.title)
    workbook.properties.creator = "Trung tâm điều hành thông minh tỉnh Lạng Sơn"
    workbook.properties.language = "vi-VN"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


__all__ = ["SHEET_ALERTS", "SHEET_INDICATORS", "SHEET_INFO", "render_xlsx"]
