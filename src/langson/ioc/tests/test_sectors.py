"""Sector pages (cards, open alerts, dataset freshness, scoping) and the indicator CSV/XLSX exports."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from langson.core.models import OrgUnit
from langson.ioc.models import Alert, Dataset, Indicator
from langson.ioc.services.indicators import store_values

pytestmark = pytest.mark.django_db

SCHEMA = {
    "columns": [
        {"name": "date", "type": "date", "required": True},
        {"name": "commune_code", "type": "commune", "required": True},
        {"name": "visits", "type": "integer", "required": True, "min": 0},
    ],
    "key": ["date", "commune_code"],
    "time_column": "date",
}


def _indicator(code: str, sector: str, owner: str, dataset: str | None = None, **extra: Any) -> Indicator:
    definition = {"dataset": dataset, "measure": "sum", "column": "visits"} if dataset else {}
    return Indicator.objects.create(
        code=code,
        name=extra.pop("name", code),
        name_en=code,
        unit="lượt",
        sector=sector,
        grain="month",
        by_commune=True,
        owner=OrgUnit.objects.get(code=owner),
        definition=definition,
        **extra,
    )


@pytest.fixture
def catalog() -> dict[str, Any]:
    """Two health indicators (Sở Y tế's, and one owned by Phường Đồng Đăng), one tourism indicator,
    their datasets (one on time, one late) and an open alert per sector."""
    now = timezone.now()
    on_time = Dataset.objects.create(
        code="health-visits", name="Lượt khám", owner=OrgUnit.objects.get(code="SO-YT"), schema=SCHEMA
    )
    late = Dataset.objects.create(
        code="dongdang-clinic",
        name="Trạm y tế Đồng Đăng",
        owner=OrgUnit.objects.get(code="6184"),
        schema=SCHEMA,
    )
    Dataset.objects.filter(pk=on_time.pk).update(last_received_at=now - timedelta(hours=2))
    Dataset.objects.filter(pk=late.pk).update(last_received_at=now - timedelta(hours=72))
    visits = _indicator(
        "health-visits-monthly", "health", "SO-YT", "health-visits", name="Lượt khám ngoại trú", target=900
    )
    clinic = _indicator("dongdang-clinic-visits", "health", "6184", "dongdang-clinic", name="Khám tại trạm")
    guests = _indicator("tourism-guests", "tourism", "SO-VHTTDL", name="Lượt khách du lịch")
    store_values(
        visits,
        [
            (date(2026, 9, 1), "", 500.0),
            (date(2026, 9, 1), "6184", 150.0),
            (date(2026, 9, 1), "5983", 350.0),
            (date(2026, 10, 1), "", 1200.5),
            (date(2026, 10, 1), "6184", 300.0),
            (date(2026, 10, 1), "5983", 900.5),
        ],
    )
    store_values(clinic, [(date(2026, 9, 1), "", 40.0), (date(2026, 10, 1), "", 55.0)])
    store_values(guests, [(date(2026, 10, 1), "", 70000.0)])
    for indicator, title in ((visits, "Lượt khám vượt ngưỡng"), (guests, "Khách du lịch giảm mạnh")):
        Alert.objects.create(
            kind=Alert.Kind.THRESHOLD,
            severity=Alert.Severity.WARNING,
            title=title,
            indicator=indicator,
            unit=indicator.owner,
            dedup_key=f"test:{indicator.code}",
        )
    return {"visits": visits, "clinic": clinic, "guests": guests}


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_sector_page_shows_its_indicators_alerts_and_dataset_freshness(catalog, make_user):
    page = _client(make_user("lanhdao.linhvuc", "leader", "20")).get("/ioc/sectors/health/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="card-health-visits-monthly"' in html
    assert 'data-testid="card-dongdang-clinic-visits"' in html
    assert "card-tourism-guests" not in html  # another sector's indicator
    assert "1.200,5" in html and "/ioc/indicators/health-visits-monthly/" in html  # value and link
    assert "Lượt khám vượt ngưỡng" in html and "Khách du lịch giảm mạnh" not in html
    datasets = html.split('data-testid="sector-datasets"')[1].split("</table>")[0]
    rows = {r.split("</a>")[0].rsplit(">", 1)[-1]: r for r in datasets.split("<tr")[2:]}
    assert "Đúng hạn" in rows["Lượt khám"] and "status-ok" in rows["Lượt khám"]
    assert "Trễ (dự kiến mỗi 24 giờ)" in rows["Trạm y tế Đồng Đăng"]


def test_unknown_sector_is_404_and_anonymous_goes_to_login(catalog, make_user):
    leader = _client(make_user("lanhdao.khongco", "leader", "20"))
    assert leader.get("/ioc/sectors/khong-co/").status_code == 404
    anonymous = Client().get("/ioc/sectors/health/")
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
    assert Client().get("/ioc/indicators/health-visits-monthly/export.csv").status_code == 302
    citizen = _client(make_user("nguoidan.linhvuc", "citizen"))
    assert citizen.get("/ioc/sectors/health/").status_code == 403


def test_commune_officer_sees_only_the_sector_within_scope(catalog, commune_officer):
    html = _client(commune_officer).get("/ioc/sectors/health/").content.decode()
    assert 'data-testid="card-dongdang-clinic-visits"' in html
    assert "card-health-visits-monthly" not in html  # owned by Sở Y tế, outside the commune
    assert "Lượt khám vượt ngưỡng" not in html  # that alert belongs to Sở Y tế too
    assert "Trạm y tế Đồng Đăng" in html and ">Lượt khám</a>" not in html


def test_overview_card_links_to_its_sector_and_indicator_page_links_to_exports(catalog, make_user):
    client = _client(make_user("lanhdao.lienket", "leader", "20"))
    assert 'href="/ioc/sectors/tourism/"' in client.get("/ioc/").content.decode()
    html = client.get("/ioc/indicators/health-visits-monthly/").content.decode()
    assert 'href="/ioc/indicators/health-visits-monthly/export.csv"' in html
    assert 'href="/ioc/indicators/health-visits-monthly/export.xlsx"' in html


def test_csv_export_has_bom_header_and_vietnamese_commune_names(catalog, make_user):
    response = _client(make_user("lanhdao.csv", "leader", "20")).get(
        "/ioc/indicators/health-visits-monthly/export.csv"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="chi-tieu-health-visits-monthly.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Kỳ", "Mã xã", "Tên xã", "Giá trị"]
    dong_dang = OrgUnit.objects.get(code="6184").name
    luong_van_tri = OrgUnit.objects.get(code="5983").name
    assert "Đồng Đăng" in dong_dang and "Lương Văn Tri" in luong_van_tri
    assert rows[1:] == [
        ["2026-09-01", "", "Toàn tỉnh", "500"],
        ["2026-09-01", "5983", luong_van_tri, "350"],
        ["2026-09-01", "6184", dong_dang, "150"],
        ["2026-10-01", "", "Toàn tỉnh", "1200.5"],
        ["2026-10-01", "5983", luong_van_tri, "900.5"],
        ["2026-10-01", "6184", dong_dang, "300"],
    ]


def test_xlsx_export_reads_back_with_dates_and_numbers(catalog, make_user):
    response = _client(make_user("lanhdao.xlsx", "leader", "20")).get(
        "/ioc/indicators/health-visits-monthly/export.xlsx?commune=5983"
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="chi-tieu-health-visits-monthly.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    name = OrgUnit.objects.get(code="5983").name
    assert rows == [
        ("Kỳ", "Mã xã", "Tên xã", "Giá trị"),
        (datetime(2026, 9, 1), "5983", name, 350),
        (datetime(2026, 10, 1), "5983", name, 900.5),
    ]
    assert sheet["A2"].is_date and isinstance(sheet["D3"].value, float)


def test_export_filters_by_dates_and_commune(catalog, make_user):
    client = _client(make_user("lanhdao.loc", "leader", "20"))

    def rows(query: str) -> list[list[str]]:
        response = client.get(f"/ioc/indicators/health-visits-monthly/export.csv?{query}")
        assert response.status_code == 200
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:]

    assert {r[0] for r in rows("from=2026-10-01")} == {"2026-10-01"}
    assert {r[0] for r in rows("to=2026-09-30")} == {"2026-09-01"}
    assert [r[0] for r in rows("from=2026-09-01&to=2026-09-01&commune=6184")] == ["2026-09-01"]
    assert [(r[0], r[3]) for r in rows("commune=6184")] == [("2026-09-01", "150"), ("2026-10-01", "300")]
    assert rows("from=2027-01-01") == []


@pytest.mark.parametrize(
    "query",
    ["from=01/10/2026", "to=2026-02-30", "from=20261001", "from=2026-10-01&to=2026-09-01", "commune=99999"],
)
def test_bad_export_parameters_are_400_with_a_bilingual_message(catalog, make_user, query):
    client = _client(make_user("lanhdao.sai", "leader", "20"))
    for fmt in ("csv", "xlsx"):
        response = client.get(f"/ioc/indicators/health-visits-monthly/export.{fmt}?{query}")
        assert response.status_code == 400
        text = response.content.decode()
        assert " / " in text and any(w in text for w in ("phải", "không có")), text


def test_export_of_an_indicator_outside_the_scope_is_404(catalog, commune_officer):
    client = _client(commune_officer)
    assert client.get("/ioc/indicators/health-visits-monthly/export.csv").status_code == 404
    assert client.get("/ioc/indicators/health-visits-monthly/export.xlsx").status_code == 404
    assert client.get("/ioc/indicators/khong-co/export.csv").status_code == 404
    own = client.get("/ioc/indicators/dongdang-clinic-visits/export.csv")
    assert own.status_code == 200
    assert own.content.decode("utf-8-sig").splitlines()[1:] == [
        "2026-09-01,,Toàn tỉnh,40",
        "2026-10-01,,Toàn tỉnh,55",
    ]
