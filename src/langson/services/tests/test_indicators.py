"""The services' IOC indicators (Bộ chỉ số 766) by month and commune; deadline events become IOC alerts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from langson.core.models import OrgUnit
from langson.services import indicators, workflow
from langson.services.deadlines import LOCAL_TZ
from langson.services.models import Dossier, Procedure
from langson.services.storage import Attachment

pytestmark = pytest.mark.django_db

DONG_DANG, LUONG_VAN_TRI = "6184", "5983"
PROVINCE_CENTRE = "TTPVHCC-TINH"
NOV, DEC = date(2026, 11, 1), date(2026, 12, 1)
APPLICANT = {"applicant_name": "Hoàng Văn Pác", "applicant_id": "020090001234"}


@pytest.fixture(autouse=True)
def files_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.DOSSIER_FILES_DIR = tmp_path / "dossiers"


def t(month: int, day: int, hh: int = 9, mm: int = 0) -> datetime:
    return datetime(2026, month, day, hh, mm, tzinfo=LOCAL_TZ)


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def procedure(
    code: str, agency: str | None = None, documents: bool = True, online: str = "partial"
) -> Procedure:
    return Procedure.objects.create(
        code=code,
        name=f"Thủ tục {code}",
        field="Thử nghiệm",
        level="province" if agency else "commune",
        agency=unit(agency) if agency else None,
        deadline_days=3,
        documents=[{"code": "TK", "name": "Tờ khai", "required": True, "copies": 1}] if documents else [],
        online=online,
        anywhere=False,
    )


def new(proc: Procedure, place: str, when: datetime, channel: str = "counter") -> Dossier:
    attachments = [Attachment("TK", "to-khai.pdf", b"%PDF-1.7\n% to khai\n")] if proc.documents else []
    return workflow.submit(proc, APPLICANT, attachments, channel=channel, received_unit=unit(place), now=when)


@pytest.fixture
def dossiers(make_user: Any) -> dict[str, Dossier]:
    """November and December 2026 in Đồng Đăng (6184), Lương Văn Tri (5983), at the border gate Hữu Nghị
    (a unit located in Đồng Đăng) and at the Sở Tư pháp (no commune: the province total only)."""
    officer = make_user("cb.chiso", "commune_officer", DONG_DANG)
    local = procedure("T.LOCAL")
    paperless = procedure("T.NOFILES", documents=False)
    gate = procedure("T.GATE", agency="CK-HUU-NGHI")
    justice = procedure("T.JUSTICE", agency="SO-TP", documents=False, online="none")
    d: dict[str, Dossier] = {}

    def done(key: str, finished: datetime) -> None:
        workflow.claim(d[key], officer, now=finished)
        workflow.finish(d[key], officer, now=finished)

    # November: received Mon 02/11, due Thu 05/11 17:00.
    d["A"] = new(local, DONG_DANG, t(11, 2))
    done("A", t(11, 4))  # early
    workflow.hand_back(d["A"], officer, now=t(11, 4, 15))  # returned counts as finished too
    d["B"] = new(local, DONG_DANG, t(11, 2), channel="online")
    workflow.receive(d["B"], officer, now=t(11, 2, 10))
    done("B", t(11, 5, 16))  # on time
    d["C"] = new(local, LUONG_VAN_TRI, t(11, 2))
    done("C", t(11, 6))  # late
    d["D"] = new(gate, PROVINCE_CENTRE, t(11, 2))
    done("D", t(11, 9))  # late, processed by the gate: Đồng Đăng
    d["E"] = new(justice, PROVINCE_CENTRE, t(11, 2))
    done("E", t(11, 3))  # early, Sở Tư pháp: the province only
    # Received Fri 27/11 (due Wed 02/12), result at 00:30 on 01/12 local time: December, not November (UTC).
    d["F"] = new(local, LUONG_VAN_TRI, t(11, 27))
    done("F", t(12, 1, 0, 30))
    # Online, received in November; the supplement in December restarts the clock but not the reception.
    d["K"] = new(local, LUONG_VAN_TRI, t(11, 27), channel="online")
    workflow.receive(d["K"], officer, now=t(11, 27, 10))
    workflow.request_supplement(d["K"], officer, "Tờ khai thiếu chữ ký.", now=t(11, 27, 11))
    workflow.supplement(d["K"], [Attachment("TK", "to-khai-2.pdf", b"%PDF-1.7\n% lan 2\n")], now=t(12, 2))
    assert d["K"].due_at == t(12, 7, 17) and d["K"].status == "received"

    # December.
    d["G"] = new(paperless, DONG_DANG, t(12, 1))  # no file
    done("G", t(12, 4, 10))  # on time
    d["H"] = new(local, DONG_DANG, t(12, 3))
    workflow.refuse(d["H"], officer, "Không thuộc thẩm quyền.", now=t(12, 3, 11))  # no outcome
    d["I"] = new(local, LUONG_VAN_TRI, t(11, 30, 20), channel="online")  # submitted in November...
    workflow.receive(d["I"], officer, now=t(12, 1, 8))  # ...received in December, due Fri 04/12
    d["J"] = new(local, DONG_DANG, t(12, 5), channel="online")  # waiting: never received
    d["L"] = new(local, DONG_DANG, t(12, 3))  # due Tue 08/12 17:00
    workflow.claim(d["L"], officer, now=t(12, 3, 10))
    d["M"] = new(local, DONG_DANG, t(12, 1))  # due 04/12, moved by an apology to Fri 11/12
    workflow.apologise(d["M"], officer, "Chờ ý kiến cơ quan liên quan.", 5, now=t(12, 2))
    assert d["M"].extended_due_at == t(12, 11, 17)
    d["N"] = new(gate, PROVINCE_CENTRE, t(12, 1))  # due 04/12
    d["O"] = new(justice, PROVINCE_CENTRE, t(12, 2))  # due 07/12, no file
    d["P"] = new(local, LUONG_VAN_TRI, t(12, 1))  # due 04/12 but waiting for a supplement
    workflow.request_supplement(d["P"], officer, "Thiếu bản sao.", now=t(12, 2))

    # Ratings: November A 5, B 3, E 5, C 4 (23:30 on 30/11); December F 2 (01:00 on 01/12), H 1.
    for key, stars, when in (
        ("A", 5, t(11, 5)),
        ("B", 3, t(11, 6)),
        ("E", 5, t(11, 4)),
        ("C", 4, t(11, 30, 23, 30)),
        ("F", 2, t(12, 1, 1)),
        ("H", 1, t(12, 3, 12)),
    ):
        workflow.rate(d[key], stars, now=when)
    return d


def as_map(values: list[tuple[date, str, float]]) -> dict[tuple[date, str], float]:
    found = {(period, commune): value for period, commune, value in values}
    assert len(found) == len(values)  # one value per period and place
    return found


def test_on_time_rate_by_month_and_commune(dossiers):
    assert as_map(indicators.on_time_rate()) == {
        (NOV, ""): 60.0,  # A, B, E of A–E
        (NOV, DONG_DANG): 66.67,  # A, B of A, B, D (the gate is in Đồng Đăng)
        (NOV, LUONG_VAN_TRI): 0.0,  # C late
        (DEC, ""): 100.0,  # F (local December), G; H refused has no outcome
        (DEC, DONG_DANG): 100.0,
        (DEC, LUONG_VAN_TRI): 100.0,
    }


def test_online_and_digitised_rates_by_month_of_reception(dossiers):
    # November: A B C D E F K received (B and K online; E without a file). December: G H I L M N O P
    # (I online; G and O without a file); J is still waiting and not counted.
    assert as_map(indicators.online_rate()) == {
        (NOV, ""): 28.57,
        (NOV, DONG_DANG): 33.33,
        (NOV, LUONG_VAN_TRI): 33.33,
        (DEC, ""): 12.5,
        (DEC, DONG_DANG): 0.0,
        (DEC, LUONG_VAN_TRI): 50.0,
    }
    assert as_map(indicators.digitised_rate()) == {
        (NOV, ""): 85.71,
        (NOV, DONG_DANG): 100.0,
        (NOV, LUONG_VAN_TRI): 100.0,
        (DEC, ""): 75.0,
        (DEC, DONG_DANG): 80.0,
        (DEC, LUONG_VAN_TRI): 100.0,
    }


def test_satisfaction_by_month_of_rating(dossiers):
    assert as_map(indicators.satisfaction()) == {
        (NOV, ""): 75.0,
        (NOV, DONG_DANG): 50.0,
        (NOV, LUONG_VAN_TRI): 100.0,
        (DEC, ""): 0.0,
        (DEC, DONG_DANG): 0.0,
        (DEC, LUONG_VAN_TRI): 0.0,
    }


def test_overdue_open_today_in_every_commune(dossiers):
    values = as_map(indicators.overdue_open(now=t(12, 8, 10)))
    assert len(values) == 1 + 65
    # I, K (Lương Văn Tri), N (the gate, Đồng Đăng), O (Sở Tư pháp). Not M (extended), L (due at 17:00),
    # P (waiting for a supplement) nor J (not received).
    nonzero = {place: n for (day, place), n in values.items() if n and day == date(2026, 12, 8)}
    assert nonzero == {"": 4.0, LUONG_VAN_TRI: 2.0, DONG_DANG: 1.0}


def test_the_ioc_discovers_and_computes_the_indicators(dossiers):
    from langson.ioc.models import IndicatorValue
    from langson.ioc.services import contract

    declared = {code: spec for code, (app, spec) in contract.discover().items() if app == "services"}
    assert set(declared) == {
        "services-on-time-rate",
        "services-online-rate",
        "services-digitised-rate",
        "services-online-payment-rate",
        "services-satisfaction",
        "services-overdue-open",
    }
    catalog = {i.code: i for i in contract.sync_catalog() if i.code in declared}
    on_time = catalog["services-on-time-rate"]
    assert on_time.owner.code == PROVINCE_CENTRE and on_time.sector == "services" and on_time.by_commune
    assert (on_time.grain, on_time.target, on_time.warning_below, on_time.critical_below) == (
        "month",
        95,
        90,
        80,
    )
    overdue = catalog["services-overdue-open"]
    assert (overdue.grain, overdue.direction, overdue.warning_above, overdue.critical_above) == (
        "day",
        "down",
        1,
        10,
    )
    Dossier.objects.filter(pk=dossiers["A"].pk).update(fee_vnd=20_000)  # a fee owed, not paid online
    for code, indicator in catalog.items():
        assert contract.compute_app_indicator(indicator, declared[code]) > 0
    stored = dict(
        IndicatorValue.objects.filter(indicator=on_time, period=NOV).values_list("commune", "value")
    )
    assert stored == {"": 60.0, DONG_DANG: 66.67, LUONG_VAN_TRI: 0.0}


def test_check_deadlines_raises_one_alert_per_dossier_and_kind(
    dossiers, monkeypatch, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from langson.core.models import Schedule
    from langson.core.services.jobs import SCHEDULES, store_schedules
    from langson.ioc.models import Alert
    from langson.services.tasks import check_deadlines

    assert SCHEDULES["services.check_deadlines"] == ("langson.services.tasks.check_deadlines", 900)
    store_schedules()
    assert Schedule.objects.filter(name="services.check_deadlines").exists()

    d = dossiers
    monkeypatch.setattr(timezone, "now", lambda: t(12, 8, 10))
    assert check_deadlines.call() == {"at_risk": 1, "overdue": 4}
    assert check_deadlines.call() == {"at_risk": 1, "overdue": 4}  # emitted again, de-duplicated by the IOC
    events = Alert.objects.filter(kind="event")
    assert sorted((a.title, a.severity, a.unit.code, a.detail) for a in events) == sorted(
        [
            (
                f"Hồ sơ {d['I'].code} quá hạn (hẹn trả 17:00 04/12/2026)",
                "critical",
                LUONG_VAN_TRI,
                "services: dossier.overdue",
            ),
            (
                f"Hồ sơ {d['K'].code} quá hạn (hẹn trả 17:00 07/12/2026)",
                "critical",
                LUONG_VAN_TRI,
                "services: dossier.overdue",
            ),
            (
                f"Hồ sơ {d['N'].code} quá hạn (hẹn trả 17:00 04/12/2026)",
                "critical",
                "CK-HUU-NGHI",
                "services: dossier.overdue",
            ),
            (
                f"Hồ sơ {d['O'].code} quá hạn (hẹn trả 17:00 07/12/2026)",
                "critical",
                "SO-TP",
                "services: dossier.overdue",
            ),
            (
                f"Hồ sơ {d['L'].code} sắp quá hạn (hẹn trả 17:00 08/12/2026)",
                "warning",
                DONG_DANG,
                "services: dossier.at_risk",
            ),
        ]
    )
    assert events.get(title__contains=d["I"].code).dedup_key == f"event:dossier.overdue:{d['I'].code}"
    # The next day L is late too: a new alert of the other kind for it, nothing new for the others; M's new
    # date (Fri 11/12) is still two working days away.
    monkeypatch.setattr(timezone, "now", lambda: t(12, 9, 10))
    assert check_deadlines.call() == {"at_risk": 0, "overdue": 5}
    assert Alert.objects.filter(kind="event").count() == 6
    assert events.filter(title=f"Hồ sơ {d['L'].code} quá hạn (hẹn trả 17:00 08/12/2026)").exists()
    # L's warning is superseded by its overdue alert; the result of I ends I's overdue alert.
    assert events.get(dedup_key=f"event:dossier.at_risk:{d['L'].code}").state == "resolved"
    officer = d["L"].assignee
    workflow.claim(d["I"], officer, now=t(12, 9, 11))
    with django_capture_on_commit_callbacks(execute=True):
        workflow.finish(d["I"], officer, now=t(12, 9, 11))
    assert events.get(dedup_key=f"event:dossier.overdue:{d['I'].code}").state == "resolved"
    assert check_deadlines.call() == {"at_risk": 0, "overdue": 4}  # I is not raised again
    assert events.exclude(state="resolved").count() == 4
