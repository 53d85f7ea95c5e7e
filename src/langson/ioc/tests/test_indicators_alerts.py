"""From rows to indicator values to a threshold alert, and the alert's lifecycle."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django_tasks_db.models import DBTaskResult

from langson.core.models import OrgUnit
from langson.ioc.models import Alert, Dataset, Indicator, IndicatorValue
from langson.ioc.services import alerts, indicators
from langson.ioc.services.ingestion import ingest

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


@pytest.fixture(autouse=True)
def lake_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.LAKE_DIR = tmp_path / "lake"


@pytest.fixture
def visits() -> Indicator:
    owner = OrgUnit.objects.get(code="SO-YT")
    Dataset.objects.create(code="health-visits", name="Lượt khám", owner=owner, schema=SCHEMA)
    return Indicator.objects.create(
        code="health-visits-monthly",
        name="Lượt khám ngoại trú",
        name_en="Outpatient visits",
        unit="lượt",
        sector="health",
        grain="month",
        by_commune=True,
        owner=owner,
        warning_above=500,
        critical_above=800,
        definition={"dataset": "health-visits", "measure": "sum", "column": "visits", "by": "commune_code"},
    )


def rows(month: int, per_day: dict[str, int]) -> list[dict[str, Any]]:
    return [
        {"date": date(2026, month, day).isoformat(), "commune_code": code, "visits": n}
        for day in (3, 10, 17)
        for code, n in per_day.items()
    ]


def test_values_by_month_and_commune_then_threshold_alert_lifecycle(
    visits, make_user, django_capture_on_commit_callbacks
):
    dataset = Dataset.objects.get(code="health-visits")
    ingest(dataset, rows(9, {"6184": 50, "5983": 40}), source="upload")
    with django_capture_on_commit_callbacks(execute=True):
        run = ingest(dataset, rows(10, {"6184": 100, "5983": 300}), source="upload")
    assert run.status == "done"
    assert DBTaskResult.objects.filter(task_path__endswith="recompute_for_dataset").exists()
    assert indicators.compute(visits) == 6  # 2 months × (province + 2 communes)
    october = {
        v.commune: v.value for v in IndicatorValue.objects.filter(indicator=visits, period=date(2026, 10, 1))
    }
    assert october == {"": 1200.0, "6184": 300.0, "5983": 900.0}
    raised = alerts.evaluate_thresholds(visits)
    # A sum's thresholds are for the province total: Phường Lương Văn Tri's 900 alone raises nothing.
    assert {(a.commune, a.severity) for a in raised} == {("", "critical")}
    assert alerts.evaluate_thresholds(visits) == []  # one live alert per condition
    province = next(a for a in raised if a.commune == "")
    assert province.title == "Lượt khám ngoại trú: 1.200,0 lượt (01/10/2026)"
    leader = make_user("lanhdao.ioc", "leader", "20")
    alerts.acknowledge(province, leader, "Đã giao Sở Y tế kiểm tra")
    with pytest.raises(alerts.TransitionError):
        alerts.acknowledge(province, leader)
    with pytest.raises(alerts.TransitionError, match="Cần ghi nội dung"):
        alerts.resolve(province, leader, "  ")
    alerts.resolve(province, leader, "Dịch cúm mùa, đã tăng cường bàn khám")
    province.refresh_from_db()
    assert province.state == "resolved" and province.assignee == leader
    assert [c.text for c in province.comments.all()] == [
        "Đã giao Sở Y tế kiểm tra",
        "Dịch cúm mùa, đã tăng cường bàn khám",
    ]


def test_alert_api_for_the_leader(visits, make_user, api_client):
    dataset = Dataset.objects.get(code="health-visits")
    ingest(dataset, rows(10, {"6184": 100, "5983": 300}), source="upload")
    indicators.compute(visits)
    alerts.evaluate_thresholds(visits)
    client = api_client(make_user("lanhdao.api2", "leader", "20"))
    feed = client.get("/api/ioc/alerts?state=open").json()["items"]
    assert len(feed) == 1
    alert_id = feed[0]["id"]
    post = lambda path, body: client.post(path, data=json.dumps(body), content_type="application/json")  # noqa: E731
    assert post(f"/api/ioc/alerts/{alert_id}/acknowledge", {"comment": "Đã nhận"}).status_code == 200
    assert post(f"/api/ioc/alerts/{alert_id}/acknowledge", {}).status_code == 409
    done = post(f"/api/ioc/alerts/{alert_id}/resolve", {"comment": "Đã xử lý"}).json()
    assert done["state"] == "resolved" and [c["text"] for c in done["comments"]] == ["Đã nhận", "Đã xử lý"]
    values = client.get("/api/ioc/indicators/health-visits-monthly/values?commune=5983").json()["items"]
    assert values == [{"period": "2026-10-01", "commune": "5983", "value": 900.0}]
    officer = api_client(make_user("cb.xa.ioc", "commune_officer", "6184"))
    assert (
        officer.get("/api/ioc/alerts").json()["count"] == 0
    )  # owned by Sở Y tế, outside the commune's scope
    assert Alert.objects.count() == 1


def test_late_data_raises_a_freshness_alert_that_closes_when_data_arrives(visits):
    from datetime import timedelta

    from django.utils import timezone

    dataset = Dataset.objects.get(code="health-visits")
    dataset.expected_every_hours = 24
    dataset.save()
    assert alerts.check_freshness(now=timezone.now() + timedelta(hours=30)) == []
    late = alerts.check_freshness(now=timezone.now() + timedelta(hours=40))
    assert [a.kind for a in late] == ["freshness"] and "Lượt khám" in late[0].title
    assert alerts.check_freshness(now=timezone.now() + timedelta(hours=41)) == []  # still the same live alert
    ingest(dataset, rows(11, {"6184": 10}), source="push")
    late[0].refresh_from_db()
    assert late[0].state == "resolved"


def test_schedules_of_every_app_are_stored_by_seed():
    from langson.core.models import Schedule
    from langson.core.services.seed import load_reference_data

    load_reference_data()
    assert {
        "core.verify_audit_chain",
        "ioc.pull_due_sources",
        "ioc.check_freshness",
        "ioc.lake_maintenance",
    } <= set(Schedule.objects.values_list("name", flat=True))


def test_app_indicators_are_discovered_computed_and_app_events_become_alerts(commune_officer, api_client):
    from langson.core.contract import emit
    from langson.ioc.services import contract

    api_client(commune_officer).patch(
        "/api/core/units/6184", data=json.dumps({"phone": "0205 1"}), content_type="application/json"
    )
    declared = contract.discover()
    assert declared["core-changes-by-people"][0] == "core"
    (indicator,) = [i for i in contract.sync_catalog() if i.code == "core-changes-by-people"]
    assert indicator.owner.code == "VP-UBND" and indicator.definition == {"source": "app", "app": "core"}
    assert contract.compute_app_indicator(indicator, declared[indicator.code][1]) >= 1
    assert sum(v.value for v in IndicatorValue.objects.filter(indicator=indicator)) >= 1
    emit(
        "services",
        "dossier.overdue",
        "Hồ sơ 000.00.20.H12-261128-0001 quá hạn",
        unit_code="6184",
        key="H12-0001",
    )
    emit(
        "services",
        "dossier.overdue",
        "Hồ sơ 000.00.20.H12-261128-0001 quá hạn",
        unit_code="6184",
        key="H12-0001",
    )
    events = Alert.objects.filter(kind="event")
    assert events.count() == 1 and events.get().unit.code == "6184"


def test_a_spike_in_the_newest_month_raises_an_anomaly_alert_the_normal_season_does_not(visits):
    import math

    visits.by_commune = False
    visits.critical_above = visits.warning_above = None
    visits.save()
    months = [date(2022 + m // 12, m % 12 + 1, 1) for m in range(48)]

    def seasonal(m: int) -> float:
        return 1000 + 300 * math.sin(2 * math.pi * (m % 12) / 12) + 10 * (m % 5)

    values = [(p, "", seasonal(m)) for m, p in enumerate(months)]
    indicators.store_values(visits, values)
    assert alerts.evaluate_anomalies(visits) == []  # an ordinary season is silent
    spike = date(2026, 1, 1)
    indicators.store_values(visits, [(spike, "", seasonal(48) * 2.5)])
    (alert,) = alerts.evaluate_anomalies(visits)
    assert alert.kind == "anomaly" and alert.period == spike and "cao bất thường" in alert.title


def test_averages_are_judged_in_every_commune_and_named(make_user):
    owner = OrgUnit.objects.get(code="SO-NNMT")
    Dataset.objects.create(
        code="air",
        name="Bụi mịn",
        owner=owner,
        schema={
            "columns": [
                {"name": "date", "type": "date", "required": True},
                {"name": "commune_code", "type": "commune", "required": True},
                {"name": "pm25", "type": "number", "required": True},
            ],
            "key": ["date", "commune_code"],
            "time_column": "date",
        },
    )
    pm25 = Indicator.objects.create(
        code="pm25",
        name="Bụi mịn PM2.5",
        name_en="PM2.5",
        unit="µg/m³",
        sector="environment",
        grain="day",
        by_commune=True,
        owner=owner,
        critical_above=75,
        definition={"dataset": "air", "measure": "avg", "column": "pm25", "by": "commune_code"},
    )
    ingest(
        Dataset.objects.get(code="air"),
        [
            {"date": "2026-01-15", "commune_code": "5983", "pm25": 95.0},
            {"date": "2026-01-15", "commune_code": "6184", "pm25": 30.0},
        ],
        source="push",
    )
    indicators.compute(pm25)
    titles = sorted(a.title for a in alerts.evaluate_thresholds(pm25))
    assert titles == [
        "Bụi mịn PM2.5 — Phường Lương Văn Tri: 95,0 µg/m³ (15/01/2026)",  # the province mean, 62.5, is fine
    ]


def test_indicator_page_shows_history_and_a_forecast_band(visits, make_user):
    from django.test import Client

    values = [
        (date(2023 + m // 12, m % 12 + 1, 1), "", 1000.0 + 200 * (m % 12 in (5, 6, 7)) + m) for m in range(36)
    ]
    indicators.store_values(visits, values)
    client = Client()
    client.force_login(make_user("lanhdao.chart", "leader", "20"))
    page = client.get("/ioc/indicators/health-visits-monthly/").content.decode()
    assert 'class="band"' in page and 'class="forecast"' in page
    assert "Dự báo kỳ tới" in page


def test_retention_job_drops_old_raw_rows_but_never_half_a_period(
    visits, django_capture_on_commit_callbacks, monkeypatch
):
    from django.utils import timezone

    from langson.ioc.lake import scan
    from langson.ioc.tasks import lake_maintenance

    dataset = Dataset.objects.get(code="health-visits")
    for month in (9, 10, 11):
        ingest(dataset, rows(month, {"6184": 10 * month}), source="upload")
    indicators.compute(visits)
    before = dict(IndicatorValue.objects.filter(indicator=visits, commune="").values_list("period", "value"))
    assert before == {date(2026, 9, 1): 270.0, date(2026, 10, 1): 300.0, date(2026, 11, 1): 330.0}

    # On 28 Nov, keeping 45 days means keeping from 14 Oct; the monthly indicator stretches that to
    # 1 Oct, so October stays whole (3, 10, 17 Oct) and only September's three days go.
    monkeypatch.setattr(timezone, "localdate", lambda *args: date(2026, 11, 28))
    dataset.retention_days = 45
    dataset.save()
    assert indicators.retention_window(dataset) == 58
    with django_capture_on_commit_callbacks(execute=True):
        result = lake_maintenance.call()
    assert result["expired"] == 3
    kept = sorted(str(d) for d in scan("health-visits").to_pyarrow().column("date").to_pylist())
    assert kept[0] == "2026-10-03" and len(kept) == 6
    # Recomputing after retention keeps September's stored value and October's whole value.
    indicators.compute(visits)
    after = dict(IndicatorValue.objects.filter(indicator=visits, commune="").values_list("period", "value"))
    assert after == before
