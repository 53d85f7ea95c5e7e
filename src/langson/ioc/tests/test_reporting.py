"""IOC reports from the database: periods, values per period, PDF and XLSX contents, the schedule, the page
and the API, each seen through the scope of the person asking."""

from __future__ import annotations

import io
import json
import re
import statistics
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from langson.core.models import AuditEntry, OrgUnit
from langson.ioc import demo
from langson.ioc.models import Alert, Dataset, Indicator, Report
from langson.ioc.services import demo_data, indicators, reporting
from langson.ioc.services.ingestion import ingest

TODAY = date(2026, 11, 28)  # a Saturday: the last complete week is 16–22/11 (ISO week 47), the month October
WEEK_47 = (date(2026, 11, 16), date(2026, 11, 22))
WEEK_46 = (date(2026, 11, 9), date(2026, 11, 15))
OCTOBER = (date(2026, 10, 1), date(2026, 10, 31))
SEPTEMBER = (date(2026, 9, 1), date(2026, 9, 30))
ALL_DEMO = ("tourism-visits", "border-trucks", "school-attendance", "health-visits", "air-quality")


@pytest.fixture(autouse=True)
def lake_and_clock(settings: Any, tmp_path: Any, monkeypatch: Any) -> None:
    settings.LAKE_DIR = tmp_path / "lake"
    monkeypatch.setattr(reporting, "today", lambda: TODAY)


def load_demo(codes: tuple[str, ...], first: date = date(2026, 8, 24)) -> dict[str, list[dict[str, Any]]]:
    """The demo datasets and indicators of ``services/demo_data.py``, ingested up to the day before TODAY."""
    raw: dict[str, list[dict[str, Any]]] = {}
    for spec in demo.DEMO_DATASETS:
        if spec["code"] not in codes:
            continue
        dataset = Dataset.objects.create(**{**spec, "owner": OrgUnit.objects.get(code=spec["owner"])})
        rows = demo.generate(spec["code"], first, TODAY - timedelta(days=1))
        run = ingest(dataset, rows, source="push", batch_key=f"test:{spec['code']}")
        assert run.status == "done" and run.rows_rejected == 0, run.error
        raw[spec["code"]] = rows
    for spec in demo_data.INDICATORS:
        if spec["definition"]["dataset"] in codes:
            indicator = Indicator.objects.create(**{**spec, "owner": OrgUnit.objects.get(code=spec["owner"])})
            assert indicators.compute(indicator) > 0
    return raw


def opened(title: str, moment: datetime, *, indicator: Indicator | None = None, **fields: Any) -> Alert:
    """An alert as the rules raise it, opened at ``moment`` (opened_at is set by the database on create)."""
    unit = fields.pop("unit", None) or (indicator.owner if indicator else OrgUnit.objects.get(code="20"))
    values = {"kind": "threshold", "severity": "warning", **fields}
    alert = Alert.objects.create(title=title, indicator=indicator, unit=unit, dedup_key=title, **values)
    Alert.objects.filter(pk=alert.pk).update(opened_at=moment)
    alert.refresh_from_db()
    return alert


def local(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour), timezone.get_default_timezone())


def in_range(rows: list[dict[str, Any]], column: str, first: date, last: date) -> list[dict[str, Any]]:
    return [r for r in rows if first.isoformat() <= r[column][:10] <= last.isoformat()]


def vietnamese(number: int) -> str:
    """12345 → "12.345" (written out here, not taken from the renderer under test)."""
    return f"{number:,}".replace(",", ".")


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


def sheet_rows(data: bytes, name: str) -> list[tuple[Any, ...]]:
    return list(load_workbook(io.BytesIO(data))[name].iter_rows(values_only=True))


def by_code(data: bytes) -> dict[str, tuple[Any, ...]]:
    return {row[0]: row for row in sheet_rows(data, "Chỉ số")[1:]}


# --- Periods and titles ---------------------------------------------------------------------------------


@pytest.mark.nodb
def test_periods_weeks_and_months() -> None:
    assert reporting.period_of("weekly", date(2026, 11, 18)) == WEEK_47
    assert reporting.period_of("weekly", date(2026, 11, 16)) == WEEK_47
    assert reporting.period_of("weekly", date(2026, 11, 22)) == WEEK_47
    assert reporting.period_of("monthly", date(2026, 2, 14)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert reporting.period_of("monthly", date(2028, 2, 29)) == (date(2028, 2, 1), date(2028, 2, 29))
    assert reporting.period_of("monthly", date(2026, 12, 31)) == (date(2026, 12, 1), date(2026, 12, 31))
    assert reporting.previous_period("weekly", TODAY) == WEEK_47
    assert reporting.previous_period("weekly", date(2026, 11, 23)) == WEEK_47  # Monday: last week is done
    assert reporting.previous_period("monthly", TODAY) == OCTOBER
    assert reporting.previous_period("monthly", date(2027, 1, 1)) == (date(2026, 12, 1), date(2026, 12, 31))
    with pytest.raises(reporting.ReportError) as error:
        reporting.period_of("daily", TODAY)
    assert error.value.code == "unknown_kind"


@pytest.mark.nodb
def test_titles_in_vietnamese() -> None:
    assert reporting.title_of("weekly", *WEEK_47) == "Báo cáo tuần 47/2026 (16/11–22/11/2026)"
    assert reporting.title_of("monthly", *OCTOBER) == "Báo cáo tháng 10/2026"
    # ISO week 53 of 2026 ends in 2027: both dates in full, the year of the ISO week.
    assert (
        reporting.title_of("weekly", date(2026, 12, 28), date(2027, 1, 3))
        == "Báo cáo tuần 53/2026 (28/12/2026–03/01/2027)"
    )
    assert reporting.period_label(*WEEK_47) == "16/11/2026 – 22/11/2026"


# --- Contents -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_weekly_and_monthly_reports_from_the_demo_data() -> None:
    raw = load_demo(ALL_DEMO)
    trucks = Indicator.objects.get(code="border-trucks-daily")
    air = Indicator.objects.get(code="air-pm25-daily")
    late_dataset = Dataset.objects.get(code="health-visits")
    opened("PM2.5 vượt ngưỡng 75 µg/m³ tại Phường Lương Văn Tri", local(date(2026, 11, 18)), indicator=air,
           severity="critical")  # fmt: skip
    opened(
        "Xe hàng qua cửa khẩu giảm mạnh", local(date(2026, 11, 20)), indicator=trucks, state="acknowledged"
    )
    opened("Cảnh báo của tuần trước", local(date(2026, 11, 15), 23), indicator=trucks)  # not in week 47
    opened("Lượt xe tháng Mười thấp", local(date(2026, 10, 7)), indicator=trucks, state="resolved",
           resolved_at=local(date(2026, 10, 9)))  # fmt: skip
    opened("Dữ liệu trễ: Lượt khám ngoại trú", local(date(2026, 11, 10)), kind="freshness",
           dataset=late_dataset, unit=late_dataset.owner, state="resolved",
           resolved_at=local(date(2026, 11, 17)))  # fmt: skip

    weekly = reporting.generate("weekly", date(2026, 11, 18), OrgUnit.objects.get(code="20"))
    assert (weekly.period_start, weekly.period_end, weekly.scheduled) == (*WEEK_47, False)

    week_trucks = sum(r["trucks"] for r in in_range(raw["border-trucks"], "date", *WEEK_47))
    previous_trucks = sum(r["trucks"] for r in in_range(raw["border-trucks"], "date", *WEEK_46))
    text = pdf_text(bytes(weekly.pdf))
    assert "Báo cáo tuần 47/2026 (16/11–22/11/2026)" in text
    assert "Xe hàng qua cửa khẩu" in text and "Lượt khám tại trạm y tế" in text
    assert f"{vietnamese(week_trucks)} xe" in text  # 14.xxx: dots group thousands
    assert "PM2.5 vượt ngưỡng 75 µg/m³ tại Phường Lương Văn Tri" in text
    assert "Xe hàng qua cửa khẩu giảm mạnh" in text and "Cảnh báo của tuần trước" not in text
    assert "Bộ dữ liệu chậm cập nhật trong kỳ: 1" in text

    lines = by_code(bytes(weekly.xlsx))
    assert set(lines) == {spec["code"] for spec in demo_data.INDICATORS}
    # The target is a day's (2.600 trucks): a week's is seven times that.
    assert lines["border-trucks-daily"][4:7] == (week_trucks, previous_trucks, 2600 * 7)
    assert f"{vietnamese(2600 * 7)} xe" in text
    history = [v for v in lines["border-trucks-daily"][11:] if v is not None]
    assert len(history) == 12 and history[-2:] == [previous_trucks, week_trucks]
    # Daily averages in a week: the mean of the seven daily province means.
    daily: dict[str, list[float]] = {}
    for row in in_range(raw["air-quality"], "datetime", *WEEK_47):
        daily.setdefault(row["datetime"][:10], []).append(row["pm25"])
    expected_pm25 = statistics.fmean(statistics.fmean(values) for values in daily.values())
    assert lines["air-pm25-daily"][4] == pytest.approx(expected_pm25)
    # The same grain: the week's own value; a monthly indicator: November, compared with October.
    school = in_range(raw["school-attendance"], "date", *WEEK_47)
    assert lines["school-attendance-rate"][4] == pytest.approx(statistics.fmean(r["rate"] for r in school))
    tourism = raw["tourism-visits"]
    november = sum(r["visitors"] for r in tourism if r["month"].startswith("2026-11"))
    october = sum(r["visitors"] for r in tourism if r["month"].startswith("2026-10"))
    assert lines["tourism-visitors-monthly"][4:6] == (november, october)
    alerts = sheet_rows(bytes(weekly.xlsx), "Cảnh báo")[1:]
    assert [(a[1], a[2], a[3], a[4]) for a in alerts] == [
        ("Bụi mịn PM2.5", "Nghiêm trọng", "PM2.5 vượt ngưỡng 75 µg/m³ tại Phường Lương Văn Tri", "Mới"),
        ("Xe hàng qua cửa khẩu", "Cảnh báo", "Xe hàng qua cửa khẩu giảm mạnh", "Đã tiếp nhận"),
    ]
    info = dict(row[:2] for row in sheet_rows(bytes(weekly.xlsx), "Thông tin"))
    assert info["Tiêu đề"] == "Báo cáo tuần 47/2026 (16/11–22/11/2026)"
    assert (info["Từ ngày"], info["Đến ngày"]) == (datetime(2026, 11, 16), datetime(2026, 11, 22))

    monthly = reporting.generate("monthly", date(2026, 10, 31), OrgUnit.objects.get(code="20"))
    assert (monthly.period_start, monthly.period_end) == OCTOBER
    text = pdf_text(bytes(monthly.pdf))
    october_trucks = sum(r["trucks"] for r in in_range(raw["border-trucks"], "date", *OCTOBER))
    september_trucks = sum(r["trucks"] for r in in_range(raw["border-trucks"], "date", *SEPTEMBER))
    assert "Báo cáo tháng 10/2026" in text and "Lượt xe tháng Mười thấp" in text
    assert f"{vietnamese(october_trucks)} xe" in text
    assert "Cảnh báo được xử lý xong trong kỳ: 1." in text
    assert "PM2.5 vượt ngưỡng" not in text
    lines = by_code(bytes(monthly.xlsx))
    assert lines["border-trucks-daily"][4:7] == (october_trucks, september_trucks, 2600 * 31)
    # Weekly sums in a month: the weeks whose Thursday is in October, Monday 28/09 to Sunday 01/11.
    health = in_range(raw["health-visits"], "date", date(2026, 9, 28), date(2026, 11, 1))
    assert lines["health-outpatient-weekly"][4] == sum(r["visits"] for r in health)
    assert lines["tourism-visitors-monthly"][4] == october


@pytest.mark.django_db
def test_values_targets_and_status_per_report_period() -> None:
    owner = OrgUnit.objects.get(code="BQL-KKT")

    def indicator(code: str, grain: str, measure: str | None, **fields: Any) -> Indicator:
        definition = {"dataset": "none", "measure": measure} if measure else {"source": "app", "app": "core"}
        return Indicator.objects.create(code=code, name=code, name_en=code, sector="border", grain=grain,
                                        owner=owner, definition=definition, **fields)  # fmt: skip

    trucks = indicator("trucks", "day", "sum", unit="xe", target=2000, warning_below=1200, critical_below=400)
    days = [OCTOBER[0] + timedelta(days=n) for n in range(31)] + [date(2026, 11, 1), date(2026, 11, 2)]
    indicators.store_values(trucks, [(d, "", 1000.0 + d.day) for d in days])
    indicators.store_values(trucks, [(date(2026, 10, 5), "6184", 99999.0)])  # a commune's value: not counted
    week = reporting.indicator_series(trucks, "weekly", date(2026, 10, 5), date(2026, 10, 11))
    assert week.value == sum(1000.0 + d for d in range(5, 12)) and week.target == 2000 * 7
    assert week.previous == sum(1000.0 + d for d in range(1, 5))  # 28/09–04/10 has data from 01/10 only
    assert week.compared == pytest.approx(1008.0)  # the mean day, below the 1.200 warning threshold
    assert len(week.history) == 12 and week.history[:10] == [None] * 10
    month = reporting.indicator_series(trucks, "monthly", *OCTOBER)
    assert month.value == sum(1000.0 + d for d in range(1, 32)) and month.target == 2000 * 31

    attendance = indicator("attendance", "week", "avg", unit="tỷ lệ", target=0.97)
    mondays = [date(2026, 9, 28) + timedelta(weeks=n) for n in range(6)]  # 28/09 … 02/11
    indicators.store_values(attendance, [(m, "", 0.9 + n / 100) for n, m in enumerate(mondays)])
    month = reporting.indicator_series(attendance, "monthly", *OCTOBER)
    # October's weeks are those whose Thursday is in October: 28/09 (Thursday 01/10) … 26/10.
    assert month.value == pytest.approx(statistics.fmean([0.90, 0.91, 0.92, 0.93, 0.94]))
    assert month.target == 0.97 and month.compared == month.value

    visits = indicator("visits", "week", "count", unit="lượt", target=100)
    indicators.store_values(visits, [(m, "", 100.0) for m in mondays])
    assert reporting.indicator_series(visits, "monthly", *OCTOBER).target == 100 * 5  # five Thursdays

    tourists = indicator("tourists", "month", "sum", unit="lượt", target=90000)
    indicators.store_values(tourists, [(date(2026, 10, 1), "", 80000.0), (date(2026, 11, 1), "", 95000.0)])
    week = reporting.indicator_series(tourists, "weekly", *WEEK_47)
    assert (week.value, week.previous, week.target) == (
        95000.0,
        80000.0,
        90000,
    )  # its own month and the one before

    rate = indicator("rate", "day", None, unit="%")  # declared by an app: no measure, a rate averages
    indicators.store_values(rate, [(WEEK_47[0] + timedelta(days=n), "", 90.0 + n) for n in range(7)])
    assert reporting.indicator_series(rate, "weekly", *WEEK_47).value == pytest.approx(93.0)

    data = reporting.build_report_data("weekly", date(2026, 10, 5), date(2026, 10, 11), owner)
    line = next(line for line in data.indicators if line.code == "trucks")
    assert (line.status, line.target) == ("warning", 14000)


@pytest.mark.django_db
def test_a_unit_report_holds_only_its_scope(commune_officer: Any) -> None:
    load_demo(("border-trucks", "health-visits"), first=date(2026, 11, 1))
    health = OrgUnit.objects.get(code="SO-YT")
    opened("Lượt khám tăng đột biến", local(date(2026, 11, 17)), indicator=Indicator.objects.get(
        code="health-outpatient-weekly"))  # fmt: skip
    opened(
        "Xe hàng ùn tắc",
        local(date(2026, 11, 17)),
        indicator=Indicator.objects.get(code="border-trucks-daily"),
    )
    data = reporting.build_report_data("weekly", *WEEK_47, health)
    assert data.title == "Báo cáo tuần 47/2026 (16/11–22/11/2026) — Sở Y tế"
    assert [line.code for line in data.indicators] == ["health-outpatient-weekly"]
    assert [alert.title for alert in data.alerts] == ["Lượt khám tăng đột biến"]
    province = reporting.build_report_data("weekly", *WEEK_47, OrgUnit.objects.get(code="20"))
    assert {line.code for line in province.indicators} == {"health-outpatient-weekly", "border-trucks-daily"}
    assert len(province.alerts) == 2


# --- Schedule -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_scheduled_generation_writes_each_period_once() -> None:
    from langson.core.services.jobs import SCHEDULES

    load_demo(("border-trucks",), first=date(2026, 10, 1))
    assert SCHEDULES["ioc.reports"][0] == "langson.ioc.services.reporting.generate_due_reports"
    assert reporting.generate_due_reports.call() == {"generated": 2}
    assert reporting.generate_due_reports.call() == {"generated": 0}
    reports = Report.objects.filter(scheduled=True).order_by("kind")
    assert [(r.kind, r.period_start, r.unit.code) for r in reports] == [
        ("monthly", OCTOBER[0], "20"),
        ("weekly", WEEK_47[0], "20"),
    ]
    province = OrgUnit.objects.get(code="20")
    again = reporting.generate("weekly", date(2026, 11, 20), province, scheduled=True)
    assert again.pk == reports.get(kind="weekly").pk
    assert Report.objects.count() == 2
    # On demand, the same period may be written again (the data may have changed since).
    reporting.generate("weekly", date(2026, 11, 20), province)
    assert Report.objects.count() == 3
    created = AuditEntry.objects.filter(model="ioc.report", action="create")
    assert created.count() == 3 and {e.scope_path for e in created} == {province.path}


# --- Page -----------------------------------------------------------------------------------------------


@pytest.fixture
def province_week(db: Any) -> Report:
    load_demo(("border-trucks",), first=date(2026, 11, 1))
    return reporting.generate("weekly", WEEK_47[0], OrgUnit.objects.get(code="20"), scheduled=True)


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_page_lists_downloads_and_generates_for_a_leader(
    province_week: Report, make_user: Callable[..., Any]
):
    leader = make_user("lanhdao.baocao", "leader", "20")
    client = signed_in(leader)
    page = client.get("/ioc/reports/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Báo cáo tuần 47/2026 (16/11–22/11/2026)" in html and 'href="/ioc/reports/"' in html
    pdf = client.get(f"/ioc/reports/{province_week.pk}.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == 'attachment; filename="bao-cao-tuan-2026-11-16.pdf"'
    assert pdf.content.startswith(b"%PDF")
    xlsx = client.get(f"/ioc/reports/{province_week.pk}.xlsx")
    assert xlsx["Content-Type"] == reporting.CONTENT_TYPES["xlsx"]
    assert xlsx["Content-Disposition"] == 'attachment; filename="bao-cao-tuan-2026-11-16.xlsx"'
    assert by_code(xlsx.content)["border-trucks-daily"][4] > 0
    assert client.get(f"/ioc/reports/{province_week.pk}.docx").status_code == 404

    answer = client.post("/ioc/reports/generate/", {"kind": "monthly", "day": "2026-11-10"}, follow=True)
    report = Report.objects.get(kind="monthly")
    assert (report.period_start, report.scheduled, report.requested_by, report.unit.code) == (
        date(2026, 11, 1),
        False,
        leader,
        "20",
    )
    assert "Đã lập báo cáo tháng (01/11/2026 – 30/11/2026)." in answer.content.decode()
    assert "Kỳ báo cáo chưa kết thúc" in pdf_text(bytes(report.pdf))  # November is not over on the 28th
    entry = AuditEntry.objects.get(model="ioc.report", object_pk=str(report.pk))
    assert (entry.action, entry.actor, entry.channel) == ("create", leader.username, "web")

    future = client.post("/ioc/reports/generate/", {"kind": "weekly", "day": "2026-11-29"}, follow=True)
    assert "Ngày 29/11/2026 còn ở tương lai" in future.content.decode()
    bad = client.post("/ioc/reports/generate/", {"kind": "yearly", "day": "2026-11-20"}, follow=True)
    assert "Hãy chọn loại báo cáo và một ngày hợp lệ." in bad.content.decode()
    assert Report.objects.count() == 2


def test_commune_officer_sees_no_province_report(province_week: Report, commune_officer: Any) -> None:
    client = signed_in(commune_officer)
    page = client.get("/ioc/reports/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Báo cáo tuần 47/2026" not in html and "Chưa có báo cáo nào trong phạm vi của bạn." in html
    assert 'action="/ioc/reports/generate/"' not in html  # may read reports, not generate them
    assert client.get(f"/ioc/reports/{province_week.pk}.pdf").status_code == 404
    assert client.get(f"/ioc/reports/{province_week.pk}.xlsx").status_code == 404
    assert client.post("/ioc/reports/generate/", {"kind": "weekly", "day": "2026-11-20"}).status_code == 403
    assert Client().get("/ioc/reports/").status_code == 302  # to the sign-in page


# --- API ------------------------------------------------------------------------------------------------


def test_api_generates_lists_and_downloads(
    province_week: Report, make_user: Callable[..., Any], api_client: Callable[..., Any], commune_officer: Any
) -> None:
    leader = make_user("vanhanh.baocao", "operator", "20")
    client = api_client(leader)

    def post(body: dict[str, Any]) -> Any:
        return client.post("/api/ioc/reports/", data=json.dumps(body), content_type="application/json")

    made = post({"kind": "weekly", "day": "2026-11-04"})
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["title"] == "Báo cáo tuần 45/2026 (02/11–08/11/2026)"
    assert (body["period_start"], body["period_end"], body["unit"]) == ("2026-11-02", "2026-11-08", "20")
    assert (body["scheduled"], body["requested_by"]) == (False, leader.username)
    pdf = client.get(body["pdf_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == 'attachment; filename="bao-cao-tuan-2026-11-02.pdf"'
    assert "Báo cáo tuần 45/2026 (02/11–08/11/2026)" in pdf_text(pdf.content)
    xlsx = client.get(body["xlsx_url"])
    assert xlsx.status_code == 200 and by_code(xlsx.content)["border-trucks-daily"][4] > 0
    listed = client.get("/api/ioc/reports/").json()
    assert listed["count"] == 2 and {r["id"] for r in listed["items"]} == {body["id"], province_week.pk}
    assert client.get("/api/ioc/reports/?kind=monthly").json()["count"] == 0
    assert client.get(f"/api/ioc/reports/{province_week.pk}").json()["scheduled"] is True
    entry = AuditEntry.objects.get(model="ioc.report", object_pk=str(body["id"]))
    assert (entry.actor, entry.channel) == (leader.username, "api")

    unknown = post({"kind": "daily", "day": "2026-11-04"})
    assert unknown.status_code == 422
    assert unknown.json()["code"] == "unknown_kind"
    assert unknown.json()["detail"].startswith("Loại báo cáo không hợp lệ")
    assert unknown.json()["detail_en"] == "Unknown report kind: use weekly or monthly."
    future = post({"kind": "monthly", "day": "2026-11-29"})
    assert future.status_code == 422 and future.json()["code"] == "future_date"
    assert "tương lai" in future.json()["detail"] and "future" in future.json()["detail_en"]
    garbled = post({"kind": "monthly", "day": "29/11/2026"})
    assert garbled.status_code == 422 and set(garbled.json()) >= {"code", "detail", "detail_en"}
    assert client.get(f"/api/ioc/reports/{province_week.pk}/docx").status_code == 404
    assert client.get(f"/api/ioc/reports/{2**70}").status_code == 404  # beyond any id: no database error
    assert client.get(f"/api/ioc/reports/{2**70}/pdf").status_code == 404
    assert Report.objects.count() == 2

    officer = api_client(commune_officer)
    assert officer.get("/api/ioc/reports/").json()["count"] == 0
    hidden = officer.get(f"/api/ioc/reports/{province_week.pk}/pdf")
    assert hidden.status_code == 404 and hidden.json()["code"] == "not_found"
    refused = officer.post(
        "/api/ioc/reports/",
        data=json.dumps({"kind": "weekly", "day": "2026-11-04"}),
        content_type="application/json",
    )
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
