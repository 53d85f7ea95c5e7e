"""IOC reports: real Vietnamese text in the PDF, typed cells in the XLSX, empty and long reports."""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from langson.ioc.reports import AlertLine, IndicatorLine, ReportData, render_pdf, render_xlsx
from langson.ioc.reports.formatting import format_change, format_number, local, period_dates
from langson.ioc.reports.pdf import sparkline_geometry
from langson.ioc.reports.xlsx import INDICATOR_HEADER

pytestmark = pytest.mark.nodb

VN = timezone(timedelta(hours=7))
TITLE = "Báo cáo tuần 48/2026 — Trung tâm điều hành thông minh tỉnh Lạng Sơn"


def sample_report() -> ReportData:
    """A realistic week: tourism, trucks through Hữu Nghị, PM2.5 in Lương Văn Tri, dossiers on time."""
    indicators = [
        IndicatorLine(
            code="tourism.visits",
            name="Lượt khách du lịch",
            unit="lượt",
            sector="tourism",
            value=48215,
            previous=45120,
            target=50000,
            status="warning",
            history=[39870, 41250, 43980, None, 45120, 48215],
        ),
        IndicatorLine(
            code="tourism.revenue",
            name="Doanh thu du lịch",
            unit="triệu đồng",
            sector="tourism",
            value=12345.6,
            previous=11020.4,
            target=12000,
            status="ok",
            history=[10100.5, 10870.2, 11400.0, 10950.8, 11020.4, 12345.6],
        ),
        IndicatorLine(
            code="border.trucks.huu_nghi",
            name="Xe hàng qua Cửa khẩu quốc tế Hữu Nghị",
            unit="lượt xe",
            sector="border",
            value=6842,
            previous=7410,
            target=7000,
            status="warning",
            history=[7020, 7185, 7320, 7410, 6842],
        ),
        IndicatorLine(
            code="border.clearance_hours",
            name="Thời gian thông quan trung bình tại Cửa khẩu quốc tế Hữu Nghị",
            unit="giờ",
            sector="border",
            value=3.25,
            previous=3.5,
            target=3,
            status="ok",
            history=[4.1, 3.9, 3.6, 3.5, 3.25],
        ),
        IndicatorLine(
            code="env.pm25.luong_van_tri",
            name="Bụi mịn PM2.5 trung bình tại Phường Lương Văn Tri",
            unit="µg/m³",
            sector="environment",
            value=41.8,
            previous=28.4,
            target=25,
            status="critical",
            history=[22.1, 24.5, 26.0, 28.4, 41.8],
        ),
        IndicatorLine(
            code="services.on_time",
            name="Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn",
            unit="%",
            sector="services",
            value=97.4,
            previous=96.1,
            target=98,
            status="ok",
            history=[95.2, 95.8, 96.1, 97.4],
        ),
        IndicatorLine(
            code="services.backlog",
            name="Hồ sơ quá hạn chưa giải quyết",
            unit="hồ sơ",
            sector="services",
            value=None,
            previous=None,
            target=None,
            status="unknown",
            history=[],
        ),
    ]
    alerts = [
        AlertLine(
            opened_at=datetime(2026, 11, 27, 1, 15, tzinfo=UTC),
            indicator="Bụi mịn PM2.5 trung bình tại Phường Lương Văn Tri",
            severity="critical",
            title="PM2.5 vượt ngưỡng 35 µg/m³ trong 3 ngày liên tiếp",
            state="open",
        ),
        AlertLine(
            opened_at=datetime(2026, 11, 25, 9, 40, tzinfo=VN),
            indicator="Xe hàng qua Cửa khẩu quốc tế Hữu Nghị",
            severity="warning",
            title="Lượt xe hàng giảm 7,7% so với tuần trước",
            state="acknowledged",
        ),
        AlertLine(
            opened_at=datetime(2026, 11, 23, 8, 0, tzinfo=VN),
            indicator="Lượt khách du lịch",
            severity="warning",
            title="Dữ liệu khu du lịch Mẫu Sơn chậm cập nhật 2 ngày",
            state="resolved",
        ),
    ]
    return ReportData(
        title=TITLE,
        period_label="23/11/2026 – 29/11/2026",
        generated_at=datetime(2026, 11, 30, 0, 30, tzinfo=UTC),
        indicators=indicators,
        alerts=alerts,
        notes=[
            "Sở Tài nguyên và Môi trường đề nghị tăng tần suất quan trắc tại Phường Lương Văn Tri.",
            "Số liệu lượt khách tuần 47 của khu du lịch Mẫu Sơn được cập nhật bổ sung.",
        ],
    )


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page, whitespace collapsed (a wrapped cell breaks lines where the layout does)."""
    reader = PdfReader(io.BytesIO(data))
    return [re.sub(r"\s+", " ", page.extract_text() or "") for page in reader.pages]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (12345.6, "12.345,6"),
        (1234567, "1.234.567"),
        (0.25, "0,25"),
        (-9876.54, "-9.876,54"),
        (3.0, "3"),
        (-0.001, "0"),
        (None, "—"),
        (float("nan"), "—"),
    ],
)
def test_vietnamese_number_format(value: float | None, expected: str) -> None:
    assert format_number(value) == expected


def test_change_formats() -> None:
    assert format_change(48215, 45120, "lượt") == "+3.095 (+6,9%)"
    assert format_change(97.4, 96.1, "%") == "+1,3 điểm %"
    assert format_change(5, 0, "ca") == "+5"
    assert format_change(None, 3, "ca") == "—"


def test_period_dates_and_local_time() -> None:
    assert period_dates("23/11/2026 – 29/11/2026") == (date(2026, 11, 23), date(2026, 11, 29))
    assert period_dates("Tháng 11/2026") is None
    assert local(datetime(2026, 11, 30, 0, 30, tzinfo=UTC)) == datetime(2026, 11, 30, 7, 30)


def test_pdf_has_real_vietnamese_text() -> None:
    data = render_pdf(sample_report())
    assert data.startswith(b"%PDF")
    pages = pdf_pages(data)
    whole = " ".join(pages)
    for expected in (
        TITLE,
        "Phường Lương Văn Tri",
        "Cửa khẩu quốc tế Hữu Nghị",
        "Lượt khách du lịch",
        "12.345,6",
        "48.215 lượt",
        "23/11/2026 – 29/11/2026",
        "Lập lúc 30/11/2026 07:30",  # UTC converted to Vietnam time
        "Du lịch",
        "Môi trường",
        "Nghiêm trọng",
        "Đã tiếp nhận",
        "Ghi chú",
    ):
        assert expected in whole, expected
    assert "Trang 1/" in pages[0]
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        assert f"Trang {number}/{total}" in page


def test_pdf_embeds_a_truetype_font() -> None:
    reader = PdfReader(io.BytesIO(render_pdf(sample_report())))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    names = {str(font.get_object()["/BaseFont"]) for font in fonts.values()}
    assert names and all("DejaVuSans" in name for name in names), names  # no unembedded Helvetica
    for font in fonts.values():
        descriptor = font.get_object()["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor  # the TrueType program is embedded
        assert "/ToUnicode" in font.get_object()  # so the text extracts as Unicode
    assert reader.metadata is not None and reader.metadata.title == TITLE


def test_xlsx_sheets_header_and_typed_cells() -> None:
    workbook = load_workbook(io.BytesIO(render_xlsx(sample_report())))
    assert workbook.sheetnames == ["Chỉ số", "Cảnh báo", "Thông tin"]

    sheet = workbook["Chỉ số"]
    header = [cell.value for cell in sheet[1]]
    assert tuple(header[: len(INDICATOR_HEADER)]) == INDICATOR_HEADER
    assert header[len(INDICATOR_HEADER)] == "Lịch sử kỳ 1"
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width >= 30
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert len(rows) == 7
    revenue = rows["tourism.revenue"]
    assert revenue[1].value == "Doanh thu du lịch"
    assert revenue[3].value == "Du lịch"
    assert revenue[4].value == pytest.approx(12345.6)
    assert isinstance(revenue[4].value, float)
    assert revenue[5].value == pytest.approx(11020.4)
    assert revenue[6].value == 12000
    assert revenue[7].value == 1325.2  # no floating-point noise in the sheet
    assert revenue[8].number_format == "0.0%"
    assert revenue[10].value == "Đạt"
    assert revenue[-1].value == pytest.approx(12345.6)  # the latest period is the last column
    visits = rows["tourism.visits"]
    assert [cell.value for cell in visits[len(INDICATOR_HEADER) :]] == [
        39870,
        41250,
        43980,
        None,
        45120,
        48215,
    ]
    on_time = rows["services.on_time"]
    assert on_time[len(INDICATOR_HEADER)].value is None  # a shorter history is aligned on its latest period
    assert on_time[-1].value == pytest.approx(97.4)
    assert rows["services.backlog"][4].value is None
    assert rows["services.backlog"][10].value == "Chưa có số liệu"

    alerts = workbook["Cảnh báo"]
    assert [cell.value for cell in alerts[1]] == [
        "Thời điểm phát sinh",
        "Chỉ số",
        "Mức độ",
        "Nội dung",
        "Trạng thái",
    ]
    assert alerts.freeze_panes == "A2"
    assert alerts.max_row == 4
    first = alerts.cell(row=2, column=1)
    assert first.is_date and first.value == datetime(2026, 11, 27, 8, 15)
    assert alerts.cell(row=2, column=3).value == "Nghiêm trọng"
    assert alerts.cell(row=3, column=5).value == "Đã tiếp nhận"

    info = {row[0].value: row[1] for row in workbook["Thông tin"].iter_rows()}
    assert info["Tiêu đề"].value == TITLE
    assert info["Kỳ báo cáo"].value == "23/11/2026 – 29/11/2026"
    assert info["Từ ngày"].is_date and info["Từ ngày"].value == datetime(2026, 11, 23)
    assert info["Đến ngày"].value == datetime(2026, 11, 29)
    assert info["Thời điểm lập"].is_date and info["Thời điểm lập"].value == datetime(2026, 11, 30, 7, 30)


def test_empty_report_still_renders() -> None:
    empty = ReportData(
        title="Báo cáo tháng 12/2026 — Trung tâm điều hành thông minh tỉnh Lạng Sơn",
        period_label="Tháng 12/2026",
        generated_at=datetime(2027, 1, 1, 7, 0),
        indicators=[],
        alerts=[],
    )
    pages = pdf_pages(render_pdf(empty))
    assert len(pages) == 1
    assert "Không có dữ liệu" in pages[0]
    assert "Không có cảnh báo" in pages[0]
    assert "Trang 1/1" in pages[0]

    workbook = load_workbook(io.BytesIO(render_xlsx(empty)))
    assert workbook.sheetnames == ["Chỉ số", "Cảnh báo", "Thông tin"]
    assert "Không có dữ liệu" in str(workbook["Chỉ số"]["A2"].value)
    info = {row[0].value: row[1].value for row in workbook["Thông tin"].iter_rows()}
    assert "Từ ngày" not in info
    assert info["Số chỉ số"] == 0


def test_long_report_spans_pages_with_page_numbers() -> None:
    base = sample_report()
    sectors = ["tourism", "border", "environment", "services", "health", "education"]
    indicators = [
        IndicatorLine(
            code=f"demo.{n:03d}",
            name=f"Chỉ số thử nghiệm số {n} của xã Đồng Đăng",
            unit="lượt",
            sector=sectors[n % len(sectors)],
            value=1000.5 * n,
            previous=990.0 * n,
            target=1100.0 * n,
            status=("ok", "warning", "critical", "unknown")[n % 4],
            history=[float(n + k) for k in range(8)],
        )
        for n in range(1, 91)
    ]
    alerts = [
        AlertLine(
            opened_at=datetime(2026, 11, 1, 8, 0, tzinfo=VN) + timedelta(hours=n),
            indicator=f"Chỉ số thử nghiệm số {n}",
            severity=("warning", "critical")[n % 2],
            title=f"Cảnh báo thử nghiệm số {n}",
            state=("open", "acknowledged", "resolved")[n % 3],
        )
        for n in range(1, 61)
    ]
    long_report = ReportData(
        title=base.title,
        period_label="Tháng 11/2026",
        generated_at=base.generated_at,
        indicators=indicators,
        alerts=alerts,
        notes=base.notes,
    )
    pages = pdf_pages(render_pdf(long_report))
    total = len(pages)
    assert total >= 4
    for number, page in enumerate(pages, start=1):
        assert f"Trang {number}/{total}" in page
        assert "Báo cáo tuần 48/2026" in page  # the header on every page
    whole = " ".join(pages)
    assert "Chỉ số thử nghiệm số 90 của xã Đồng Đăng" in whole
    assert "Cảnh báo thử nghiệm số 60" in whole
    assert re.search(r"Trạng thái Chỉ số Giá trị kỳ này", pages[2])  # the table header repeats

    workbook = load_workbook(io.BytesIO(render_xlsx(long_report)))
    assert workbook["Chỉ số"].max_row == 91
    assert workbook["Cảnh báo"].max_row == 61


def test_markup_characters_and_decomposed_text_are_safe() -> None:
    decomposed = unicodedata.normalize("NFD", "Phường Lương Văn Tri")
    report = ReportData(
        title=unicodedata.normalize("NFD", TITLE),
        period_label="Tháng 11/2026",
        generated_at=datetime(2026, 12, 1, 7, 0),
        indicators=[
            IndicatorLine(
                code="health.u5",
                name=f"Trẻ <5 tuổi & người cao tuổi tiêm chủng tại {decomposed}",
                unit="người",
                sector="health",
                value=1520,
                previous=None,
                target=None,
                status="bogus",
                history=[None, 1520],
            )
        ],
        alerts=[],
    )
    whole = " ".join(pdf_pages(render_pdf(report)))
    assert TITLE in whole
    assert "Trẻ <5 tuổi & người cao tuổi tiêm chủng tại Phường Lương Văn Tri" in whole
    assert "Chưa có số liệu" in whole  # an unknown status code is shown as "unknown"
    sheet = load_workbook(io.BytesIO(render_xlsx(report)))["Chỉ số"]
    assert sheet["B2"].value == "Trẻ <5 tuổi & người cao tuổi tiêm chủng tại Phường Lương Văn Tri"
    assert sheet["D2"].value == "Y tế"


def test_sparkline_breaks_at_missing_periods() -> None:
    segments, last = sparkline_geometry([1.0, 2.0, None, 3.0, 5.0], width=100, height=20, pad=0)
    assert [len(segment) for segment in segments] == [2, 2]
    assert segments[0][0] == (0.0, 0.0) and last == (100.0, 20.0)
    flat, _ = sparkline_geometry([4.0, 4.0], width=100, height=20, pad=0)
    assert flat == [[(0.0, 10.0), (100.0, 10.0)]]
    assert sparkline_geometry([None, None], width=100, height=20) == ([], None)
