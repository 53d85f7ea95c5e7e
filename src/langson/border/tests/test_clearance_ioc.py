"""What the clearance tracking publishes to the IOC: the indicators' values on the hand-checked CSV, and the
alerts on a long queue or a truck too long in the yard, raised once and resolved when the condition ends."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from langson.border import clearance

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 28, 16, 0, tzinfo=VN)
DATA = Path(__file__).parent / "data"
NOV27, NOV28 = date(2026, 11, 27), date(2026, 11, 28)


@pytest.fixture
def board_officer(make_user):
    return make_user("canbo.bqlkkt", "department_officer", "BQL-KKT")


@pytest.fixture
def loaded(board_officer):
    content = (DATA / "truck-events.csv").read_bytes()
    return clearance.ingest(
        clearance.read_csv(content),
        source="csv",
        user=board_officer,
        gates=clearance.recording_gates(board_officer),
        now=NOW,
    )


def test_the_ioc_discovers_the_indicators_per_gate_and_for_the_province(loaded):
    from langson.ioc.models import IndicatorValue
    from langson.ioc.services import contract

    declared = {code: spec for code, (app, spec) in contract.discover().items() if app == "border"}
    measures = (
        "border-trucks-cleared",
        "border-clearance-median",
        "border-clearance-p90",
        "border-green-share",
    )
    for measure in (*measures, "border-queue"):
        assert measure in declared
        for gate in ("ck-huu-nghi", "ck-tan-thanh", "ck-chi-ma"):
            assert f"{measure}-{gate}" in declared
    catalog = {i.code: i for i in contract.sync_catalog() if i.code in declared}
    hn = catalog["border-clearance-p90-ck-huu-nghi"]
    assert (hn.owner.code, hn.sector, hn.grain, hn.unit, hn.direction) == (
        "CK-HUU-NGHI",
        "border",
        "day",
        "phút",
        "down",
    )
    assert catalog["border-queue"].owner.code == "BQL-KKT"

    # Stored through the IOC's own path, then read back.
    contract.compute_app_indicator(hn, declared[hn.code])
    assert IndicatorValue.objects.filter(indicator=hn).count() >= 1  # computed at the real "now" too


def values(code: str) -> list:
    from langson.border.indicators import INDICATORS

    (spec,) = [s for s in INDICATORS if s.code == code]
    return spec.compute.func(*spec.compute.args, now=NOW)  # type: ignore[attr-defined]


def test_indicator_values_on_the_hand_checked_csv(loaded):
    # Days recomputed: today (28/11), yesterday, and the batch's days (27/11 arrival of TT-006, 28/11).
    # Trucks out per day (zero included): Hữu Nghị 6, Tân Thanh 5, Chi Ma 0; all gates 11.
    assert values("border-trucks-cleared-ck-huu-nghi") == [(NOV27, "", 0.0), (NOV28, "", 6.0)]
    assert values("border-trucks-cleared-ck-tan-thanh") == [(NOV27, "", 0.0), (NOV28, "", 5.0)]
    assert values("border-trucks-cleared-ck-chi-ma") == [(NOV27, "", 0.0), (NOV28, "", 0.0)]
    assert values("border-trucks-cleared") == [(NOV27, "", 0.0), (NOV28, "", 11.0)]
    # Median / p90 (see test_clearance for the arithmetic): HN 105 / 270, TT 90 / 490, all 97.5 / 270;
    # no value on a day without a timed truck.
    assert values("border-clearance-median-ck-huu-nghi") == [(NOV28, "", 105.0)]
    assert values("border-clearance-p90-ck-huu-nghi") == [(NOV28, "", 270.0)]
    assert values("border-clearance-median-ck-tan-thanh") == [(NOV28, "", 90.0)]
    assert values("border-clearance-p90-ck-tan-thanh") == [(NOV28, "", 490.0)]
    assert values("border-clearance-median") == [(NOV28, "", 97.5)]
    assert values("border-clearance-p90") == [(NOV28, "", 270.0)]
    assert values("border-clearance-median-ck-chi-ma") == []
    # Green share: HN 3 of 5 with a channel, TT 4 of 5, all 7 of 10.
    assert values("border-green-share-ck-huu-nghi") == [(NOV28, "", 60.0)]
    assert values("border-green-share-ck-tan-thanh") == [(NOV28, "", 80.0)]
    assert values("border-green-share") == [(NOV28, "", 70.0)]
    # Queue at 16:00: HN-007 and HN-008 wait (HN-006 is inside, HN-009 not arrived); TT-005 waits.
    assert values("border-queue-ck-huu-nghi") == [(NOV28, "", 2.0)]
    assert values("border-queue-ck-tan-thanh") == [(NOV28, "", 1.0)]
    assert values("border-queue") == [(NOV28, "", 3.0)]


def test_alerts_on_thresholds_are_raised_once_and_cleared(loaded, board_officer, settings):
    from langson.core.services.jobs import SCHEDULES
    from langson.ioc.models import Alert

    assert SCHEDULES["border.check_clearance"] == ("langson.border.tasks.check_clearance", 300)
    settings.BORDER_QUEUE_ALERT_TRUCKS = 1
    settings.BORDER_CLEARANCE_ALERT_MINUTES = 180

    # At 16:00: Hữu Nghị has 2 waiting > 1; Tân Thanh 1 (not above). In the yard: TT-005 for 210 min > 180;
    # HN-006 for exactly 180 (not above), HN-007 120, HN-008 50.
    assert clearance.evaluate_alerts(NOW) == {"queues": 1, "slow_trucks": 1, "cleared": 0}
    assert clearance.evaluate_alerts(NOW) == {"queues": 1, "slow_trucks": 1, "cleared": 0}  # no duplicates
    live = Alert.objects.filter(kind="event").exclude(state="resolved")
    assert sorted((a.unit.code, a.title) for a in live) == [
        ("CK-HUU-NGHI", "Hàng chờ tại Cửa khẩu quốc tế Hữu Nghị: 2 xe chưa vào cổng (ngưỡng 1 xe)"),
        (
            "CK-TAN-THANH",
            "Xe 12C-555.66 (TT-005) tại Cửa khẩu chính Tân Thanh chưa qua cửa khẩu sau 3 giờ 30 phút "
            "(ngưỡng 180 phút)",
        ),
    ]

    # One minute later HN-006 passes 180 minutes too.
    later = datetime(2026, 11, 28, 16, 1, tzinfo=VN)
    assert clearance.evaluate_alerts(later)["slow_trucks"] == 2

    # HN-007 gates in (queue back to 1), TT-005 and HN-006 go out: every alert resolves.
    gates = clearance.recording_gates(board_officer)
    rows = [
        {
            "gate": "CK-HUU-NGHI",
            "visit": "HN-007",
            "plate": "20C-678.90",
            "event": "gate_in",
            "at": "28/11/2026 15:55",
        },
        {
            "gate": "CK-TAN-THANH",
            "visit": "TT-005",
            "plate": "12C-555.66",
            "event": "gate_in",
            "at": "28/11/2026 15:50",
        },
        {
            "gate": "CK-TAN-THANH",
            "visit": "TT-005",
            "plate": "12C-555.66",
            "event": "gate_out",
            "at": "28/11/2026 16:00",
        },
        {
            "gate": "CK-HUU-NGHI",
            "visit": "HN-006",
            "plate": "12C-567.89",
            "event": "gate_out",
            "at": "28/11/2026 16:01",
        },
    ]
    clearance.ingest(list(enumerate(rows, 1)), source="api", user=board_officer, gates=gates, now=later)
    assert clearance.evaluate_alerts(later) == {"queues": 0, "slow_trucks": 0, "cleared": 2}
    assert not Alert.objects.filter(kind="event").exclude(state="resolved").exists()
    assert Alert.objects.filter(kind="event", state="resolved").count() == 3
    assert clearance.evaluate_alerts(later) == {"queues": 0, "slow_trucks": 0, "cleared": 0}


def test_thresholds_have_documented_defaults(settings, monkeypatch):
    for name in ("BORDER_QUEUE_ALERT_TRUCKS", "BORDER_CLEARANCE_ALERT_MINUTES"):
        if hasattr(settings, name):
            delattr(settings, name)
    monkeypatch.delenv("LANGSON_BORDER_QUEUE_ALERT_TRUCKS", raising=False)
    monkeypatch.delenv("LANGSON_BORDER_CLEARANCE_ALERT_MINUTES", raising=False)
    assert (clearance.queue_alert_trucks(), clearance.clearance_alert_minutes()) == (100, 240)
    monkeypatch.setenv("LANGSON_BORDER_QUEUE_ALERT_TRUCKS", "40")
    assert clearance.queue_alert_trucks() == 40
    settings.BORDER_QUEUE_ALERT_TRUCKS = 25
    assert clearance.queue_alert_trucks() == 25


def test_the_task_and_its_wake_up_after_a_batch(board_officer, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    from langson.border import tasks

    row = {
        "gate": "CK-CHI-MA",
        "visit": "C1",
        "plate": "12C-1234",
        "event": "arrival",
        "at": "28/11/2026 07:00",
    }
    with django_capture_on_commit_callbacks(execute=True):
        clearance.ingest(
            [(1, row)], source="api", user=board_officer, gates=clearance.recording_gates(board_officer)
        )
    assert DBTaskResult.objects.filter(task_path="langson.border.tasks.check_clearance").count() == 1
    # At the real "now" (days after 28/11) the truck has been in Chi Ma's yard far beyond 240 minutes.
    assert tasks.check_clearance.call() == {"queues": 0, "slow_trucks": 1, "cleared": 0}


def test_days_recomputed_are_today_yesterday_and_those_of_recent_batches(loaded):
    from datetime import timedelta

    from langson.border.models import ClearanceBatch

    # The CSV's batch (received "now") changed 27/11 and 28/11; seen from 30/11 both are still recomputed.
    later = datetime(2026, 11, 30, 9, 0, tzinfo=VN)
    ClearanceBatch.objects.update(created_at=later - timedelta(hours=1))
    assert clearance.days_to_recompute(later) == [NOV27, NOV28, date(2026, 11, 29), date(2026, 11, 30)]
    # Two days later the batch is out of the window: only today and yesterday remain.
    ClearanceBatch.objects.update(created_at=later - timedelta(days=3))
    assert clearance.days_to_recompute(later) == [date(2026, 11, 29), date(2026, 11, 30)]
