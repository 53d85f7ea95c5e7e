"""Clearance figures on a hand-checked CSV of truck events (acceptance point of issue 5), and the pure rules
they rest on: reading values, one visit's times and flags, median and p90."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from langson.border import clearance
from langson.border.clearance import Kind

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DATA = Path(__file__).parent / "data"
NOW = datetime(2026, 11, 28, 16, 0, tzinfo=VN)
DAY = date(2026, 11, 28)


def t(hour: int, minute: int = 0, day: int = 28) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=VN)


# --- Reading values ---------------------------------------------------------------------------------------


@pytest.mark.nodb
@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("12C-123.45", "12C-123.45"),
        ("12c 12345", "12C-123.45"),
        ("12C1234", "12C-1234"),
        ("20LD-012.34", "20LD-012.34"),
        ("12R-004.56", "12R-004.56"),
        ("桂F·12345", "桂F12345"),
        ("桂 P 12345", "桂P12345"),
        ("12CO1234", None),  # a typed letter O is not read as a zero
        ("ABC", None),
        ("12I-123.45", None),  # I is never a series letter
        ("12-B1 123.45", None),  # a motorbike, not a truck
    ],
)
def test_plates_are_normalised_strictly(typed, printed):
    assert clearance.normalise_plate(typed) == printed


@pytest.mark.nodb
def test_times_without_offset_are_vietnam_time_and_offsets_are_honoured():
    assert clearance.parse_time("28/11/2026 08:15") == t(8, 15)
    assert clearance.parse_time("28-11-2026 08:15:30") == t(8, 15).replace(second=30)
    assert clearance.parse_time("2026-11-28T08:15") == t(8, 15)
    assert clearance.parse_time("2026-11-28T01:15:00Z") == t(8, 15)
    assert clearance.parse_time("2026-11-28 09:15:00+08:00") == t(8, 15)  # Beijing time
    for bad in ("28/11/2026", "2026-11-28", "31/11/2026 08:00", "hôm qua", "08:15"):
        assert clearance.parse_time(bad) is None, bad


@pytest.mark.nodb
def test_event_and_channel_words_in_vietnamese_and_english():
    assert clearance.parse_event("Vào bãi") == (Kind.ARRIVAL, "")
    assert clearance.parse_event("VAO CONG") == (Kind.GATE_IN, "")
    assert clearance.parse_event("gate_out") == (Kind.GATE_OUT, "")
    assert clearance.parse_event("Giải phóng hàng") == (Kind.RELEASE, "")
    assert clearance.parse_event("luồng đỏ") == (Kind.CHANNEL, "red")
    assert clearance.parse_event("xếp hàng") is None
    assert [clearance.parse_channel(w) for w in ("Xanh", "vàng", "3", "tím")] == [
        "green",
        "yellow",
        "red",
        None,
    ]


@pytest.mark.nodb
def test_csv_headers_in_either_language_and_whole_file_refusals():
    english = b"gate;visit;plate;event;at\nCK-HUU-NGHI;A1;12C-123.45;arrival;2026-11-28T07:00\n\n"
    assert clearance.read_csv(english) == [
        (
            2,
            {
                "gate": "CK-HUU-NGHI",
                "visit": "A1",
                "plate": "12C-123.45",
                "event": "arrival",
                "at": "2026-11-28T07:00",
            },
        )
    ]
    vietnamese = "\ufeffBiển số xe,Sự kiện,Thời điểm,Mã lượt\n12C-123.45,vào bãi,28/11/2026 07:00,A1\n"
    rows = clearance.read_csv(vietnamese.encode(), gate_required=False)
    assert rows[0][1]["Mã lượt"] == "A1"
    for content, code in (
        (b"", "empty"),
        (b"gate,visit,plate,event,at\n", "empty"),
        ("Cửa khẩu,Biển số\nHữu Nghị,12C-123.45\n".encode("utf-16"), "encoding"),
        (b"gate,plate,event,at\nX,12C-123.45,arrival,2026-11-28T07:00\n", "columns_missing"),
        (b"gate,visit,plate,plate,event,at\n", "column_twice"),
        (b"x" * (clearance.MAX_CSV_BYTES + 1), "too_big"),
    ):
        with pytest.raises(clearance.ClearanceInputError) as caught:
            clearance.read_csv(content)
        assert caught.value.code == code
        assert caught.value.vi  # a Vietnamese sentence for the person
    with pytest.raises(clearance.ClearanceInputError) as caught:
        clearance.read_csv(b"gate,plate,event,at\nX,12C-123.45,arrival,2026-11-28T07:00\n")
    assert "mã lượt xe" in caught.value.vi


# --- One visit --------------------------------------------------------------------------------------------


@pytest.mark.nodb
def test_a_visit_in_any_order_gives_its_stages_and_they_add_up():
    events = [
        (Kind.GATE_OUT, t(9), ""),
        (Kind.RELEASE, t(8, 40), ""),
        (Kind.CHANNEL, t(8, 22), "green"),
        (Kind.GATE_IN, t(8, 20), ""),
        (Kind.ARRIVAL, t(8), ""),
        (Kind.PRE_ARRIVAL, t(7, 30), ""),
    ]
    s = clearance.summarise(events)
    assert s.flags == [] and s.channel == "green"
    # 08:00 → 09:00 = 60; from registration 07:30 → 09:00 = 90;
    # stages 08:00→08:20 = 20, 08:20→08:40 = 20, 08:40→09:00 = 20 (sum 60)
    assert (s.clearance_minutes, s.from_registration_minutes) == (60, 90)
    assert (s.yard_wait_minutes, s.inspection_minutes, s.exit_minutes) == (20, 20, 20)


@pytest.mark.nodb
def test_release_before_gate_in_counts_at_the_gate_in():
    s = clearance.summarise(
        [
            (Kind.ARRIVAL, t(11), ""),
            (Kind.RELEASE, t(11, 10), ""),
            (Kind.GATE_IN, t(11, 20), ""),
            (Kind.GATE_OUT, t(11, 50), ""),
        ]
    )
    # yard 11:00→11:20 = 20; inspection 0 (released before entering); exit 11:20→11:50 = 30; 20 + 0 + 30 = 50
    assert (s.yard_wait_minutes, s.inspection_minutes, s.exit_minutes, s.clearance_minutes) == (20, 0, 30, 50)


@pytest.mark.nodb
def test_impossible_sequences_are_flagged_and_have_no_durations():
    s = clearance.summarise(
        [(Kind.ARRIVAL, t(10), ""), (Kind.GATE_IN, t(10, 30), ""), (Kind.GATE_OUT, t(10, 20), "")]
    )
    assert [(f["code"], f["params"]["earlier"], f["params"]["later"]) for f in s.flags] == [
        ("order", "gate_in", "gate_out")
    ]
    assert s.times[Kind.GATE_OUT] == t(10, 20)  # kept as sent
    assert s.clearance_minutes is None and s.yard_wait_minutes is None
    message = clearance.flag_message(s.flags[0])
    assert "Ra cổng" in message and "Vào cổng" in message and "28/11/2026 10:20" in message


@pytest.mark.nodb
def test_repeated_stage_times_one_observation_or_a_flag():
    close = clearance.summarise(
        [(Kind.ARRIVAL, t(7), ""), (Kind.ARRIVAL, t(7, 5), ""), (Kind.GATE_OUT, t(8), "")]
    )
    assert close.flags == [] and close.clearance_minutes == 60  # the earliest of two readings 5 min apart
    far = clearance.summarise(
        [(Kind.ARRIVAL, t(7), ""), (Kind.ARRIVAL, t(9), ""), (Kind.GATE_OUT, t(10), "")]
    )
    assert [f["code"] for f in far.flags] == ["repeated"] and far.clearance_minutes is None


@pytest.mark.nodb
def test_the_latest_channel_decision_wins():
    s = clearance.summarise([(Kind.CHANNEL, t(8), "green"), (Kind.CHANNEL, t(9), "red")])
    assert s.channel == "red"  # chuyển luồng: re-routed to physical inspection


@pytest.mark.nodb
def test_median_and_nearest_rank_p90():
    assert clearance.median([]) is None and clearance.nearest_rank([], 90) is None
    assert clearance.median([60, 90, 105, 130, 270]) == 105
    assert clearance.median([50, 60, 75, 90, 90, 105, 130, 250, 270, 490]) == 97.5  # (90 + 105) / 2
    assert clearance.nearest_rank([60, 90, 105, 130, 270], 90) == 270  # rank ⌈0.9 × 5⌉ = 5
    assert clearance.nearest_rank(list(range(1, 21)), 90) == 18  # rank ⌈0.9 × 20⌉ = 18
    assert clearance.nearest_rank([5], 90) == 5


@pytest.mark.nodb
def test_minutes_are_shown_in_hours_and_minutes():
    assert clearance.format_minutes(None) == "—"
    assert clearance.format_minutes(45.4) == "45 phút"
    assert clearance.format_minutes(490) == "8 giờ 10 phút"


# --- The hand-checked CSV ---------------------------------------------------------------------------------


@pytest.fixture
def board_officer(make_user):
    """An officer of the economic-zone board: every gate below it."""
    return make_user("canbo.bqlkkt", "department_officer", "BQL-KKT")


def load_csv(user, name="truck-events.csv"):
    content = (DATA / name).read_bytes()
    return clearance.ingest(
        clearance.read_csv(content),
        source="csv",
        user=user,
        gates=clearance.recording_gates(user),
        file_name=name,
        content=content,
        now=NOW,
    )


def gate(code):
    from langson.core.models import OrgUnit

    return OrgUnit.objects.get(code=code)


@pytest.mark.django_db
def test_hand_checked_csv_counts_rows_once_and_keeps_rejections(board_officer):
    from langson.border.models import TruckEvent, TruckVisit

    batch = load_csv(board_officer)
    # 64 data rows (lines 2–65): line 25 repeats line 24 exactly; lines 38 (31/11 does not exist) and 39
    # (plate "ABC") are refused; 64 − 1 − 2 = 61 events stored, for 16 visits (HN-011/012 never valid).
    assert (batch.received, batch.stored, batch.duplicates, batch.rejected) == (64, 61, 1, 2)
    assert TruckEvent.objects.count() == 61 and TruckVisit.objects.count() == 16
    reasons = {r.row_number: [x["code"] for x in r.reasons] for r in batch.rejected_rows.all()}
    assert reasons == {38: ["at_invalid"], 39: ["plate_invalid"]}
    kept = batch.rejected_rows.get(row_number=39)
    assert kept.data["Biển số"] == "ABC" and "Biển số “ABC” không đúng dạng" in kept.reasons[0]["message"]
    assert batch.recorded_by == board_officer and batch.days == ["2026-11-27", "2026-11-28"]
    # Plates are stored in their printed form whatever the file's spelling (桂F·12345, 12C 123.45).
    assert TruckVisit.objects.get(reference="HN-003").plate == "桂F12345"
    assert TruckVisit.objects.get(reference="HN-001").plate == "12C-123.45"

    again = load_csv(board_officer)  # the same file again: nothing new, nothing doubled
    assert (again.stored, again.duplicates, again.rejected) == (0, 62, 2)
    assert TruckEvent.objects.count() == 61


@pytest.mark.django_db
def test_hand_checked_csv_figures_per_gate_and_day(board_officer):
    load_csv(board_officer)
    hn, tt = gate("CK-HUU-NGHI"), gate("CK-TAN-THANH")

    f = clearance.day_figures([hn], DAY)
    # Hữu Nghị, 28/11. Out that day: HN-001..005 and HN-010 → 6 cleared. HN-010 went out (10:20) before it
    # gated in (10:30): flagged, so 5 timed. Clearance = gate out − arrival:
    #   HN-001 07:00→08:30 = 90, HN-002 07:10→09:20 = 130, HN-003 07:30→12:00 = 270 (red),
    #   HN-004 08:00→09:00 = 60 (rows in reverse order), HN-005 09:00→10:45 = 105.
    #   Sorted 60, 90, 105, 130, 270: median 105; p90 = rank ⌈0.9 × 5⌉ = 5 → 270.
    # Arrived that day: HN-001..008 and HN-010 = 9 (HN-009 only pre-registered).
    assert (f.arrived, f.cleared, f.timed, f.flagged) == (9, 6, 5, 1)
    assert (f.median_minutes, f.p90_minutes) == (105, 270)
    # Stages. Yard wait (gate in − arrival): 40, 50, 60, 20, 45 → median 45.
    # Inspection (release − gate in; HN-001's release 01:10Z = 08:10): 30, 60, 180, 20, 20 → median 30.
    # Exit (gate out − release): 20, 20, 30, 20, 40 → median 20. From registration: HN-001 06:30→08:30 = 120.
    assert (f.median_yard_wait, f.median_inspection, f.median_exit) == (45, 30, 20)
    assert f.median_from_registration == 120
    # Channels of the cleared: green HN-001, 004, 005; yellow HN-002; red HN-003; HN-010 none → 3/5 = 60 %.
    assert (f.green, f.yellow, f.red, f.green_share) == (3, 1, 1, 60.0)

    f = clearance.day_figures([tt], DAY)
    # Tân Thanh, 28/11: TT-001 06:00→07:30 = 90, TT-002 07:00→08:15 = 75, TT-003 08:00→12:10 = 250 (red),
    # TT-004 11:00→11:50 = 50, TT-006 27/11 22:00→28/11 06:10 = 8 h 10 = 490 (counted on its gate-out day).
    # Sorted 50, 75, 90, 250, 490: median 90, p90 (rank 5) 490. Arrived on the 28th: TT-001..005 = 5.
    assert (f.arrived, f.cleared, f.timed, f.flagged) == (5, 5, 5, 0)
    assert (f.median_minutes, f.p90_minutes) == (90, 490)
    # Yard 50, 30, 60, 20, 420 → 50. Inspection 20, 5, 160, 0 (TT-004 released 11:10 before gating in 11:20),
    # 30 → 20. Exit 20, 40, 30, 30 (TT-004 from its gate in), 40 → 30. Green 4 of 5 → 80 %.
    assert (f.median_yard_wait, f.median_inspection, f.median_exit) == (50, 20, 30)
    assert (f.green, f.red, f.green_share, f.median_from_registration) == (4, 1, 80.0, None)

    f = clearance.day_figures([tt], date(2026, 11, 27))
    assert (f.arrived, f.cleared, f.median_minutes) == (1, 0, None)  # TT-006 arrived, left the next day

    f = clearance.day_figures([hn, tt], DAY)
    # Both gates pooled (not a mean of medians): 50, 60, 75, 90, 90, 105, 130, 250, 270, 490 →
    # median (90 + 105) / 2 = 97.5; p90 = rank ⌈0.9 × 10⌉ = 9 → 270; green 7 of 10 = 70 %.
    assert (f.cleared, f.timed, f.median_minutes, f.p90_minutes, f.green_share) == (11, 10, 97.5, 270, 70.0)


@pytest.mark.django_db
def test_hand_checked_csv_trucks_still_in_the_yard(board_officer):
    load_csv(board_officer)
    hn, tt = gate("CK-HUU-NGHI"), gate("CK-TAN-THANH")

    y = clearance.yard([hn], NOW)
    # At 16:00: HN-007 waits since 14:00 (120 min), HN-008 since 15:10 (50); HN-006 arrived 13:00, gated in
    # 14:30, not out: inside, 180 min in all, 90 in its current stage. HN-009 pre-registered 15:30 only.
    assert [(x.visit.reference, x.elapsed_minutes) for x in y.waiting] == [("HN-007", 120), ("HN-008", 50)]
    assert [(x.visit.reference, x.status, x.elapsed_minutes, x.stage_minutes) for x in y.inside] == [
        ("HN-006", "inside", 180, 90)
    ]
    assert y.expected == 1
    # In the yard is never cleared: none of them is among the day's cleared trucks.
    assert clearance.day_figures([hn], DAY).cleared == 6

    y = clearance.yard([tt], NOW)
    assert [(x.visit.reference, x.elapsed_minutes) for x in y.waiting] == [("TT-005", 210)]  # since 12:30
    assert y.inside == [] and y.expected == 0

    # Earlier in the day the same data shows the yard as it was: at 08:45 at Hữu Nghị, HN-003 (gate in 08:30)
    # and HN-004 (out 09:00) were inside; HN-005 not yet arrived; HN-002 (in 08:00, released 09:00) inside.
    early = clearance.yard([hn], t(8, 45))
    assert sorted(x.visit.reference for x in early.inside) == ["HN-002", "HN-003", "HN-004"]
    assert early.waiting == []
    assert clearance.waiting([hn, tt], NOW).count() == 3


@pytest.mark.django_db
def test_a_batch_is_all_or_nothing(board_officer, monkeypatch):
    from langson.border.models import ClearanceBatch, TruckEvent

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(clearance, "_refresh", boom)
    with pytest.raises(RuntimeError):
        load_csv(board_officer)
    assert TruckEvent.objects.count() == 0 and ClearanceBatch.objects.count() == 0


@pytest.mark.django_db
def test_rows_are_checked_one_by_one_with_vietnamese_reasons(board_officer):
    from langson.border.models import TruckVisit

    rows = [
        (
            1,
            {
                "gate": "CK-HUU-NGHI",
                "visit": "X1",
                "plate": "12C-111.11",
                "event": "arrival",
                "at": "2026-11-28T07:00",
            },
        ),
        (
            2,
            {
                "gate": "CK-HUU-NGHI",
                "visit": "X1",
                "plate": "12C-222.22",
                "event": "gate_in",
                "at": "2026-11-28T07:30",
            },
        ),
        (
            3,
            {
                "gate": "Móng Cái",
                "visit": "X2",
                "plate": "12C-111.11",
                "event": "arrival",
                "at": "2026-11-28T07:00",
            },
        ),
        (
            4,
            {
                "gate": "CK-HUU-NGHI",
                "visit": "X3",
                "plate": "12C-111.11",
                "event": "channel",
                "at": "2026-11-28T07:00",
            },
        ),
        (
            5,
            {
                "gate": "CK-HUU-NGHI",
                "visit": "X4",
                "plate": "12C-111.11",
                "event": "arrival",
                "at": "2026-12-01T07:00",
            },
        ),
        (6, {"gate": "CK-HUU-NGHI", "visit": "", "plate": "", "event": "ăn trưa", "at": ""}),
        (7, ["not", "an", "object"]),
        (8, {"gate": "CK-HUU-NGHI", "visit": ["X5"], "plate": "12C-111.11", "event": "arrival", "at": "x"}),
        (9, {"gate": "CK-HUU-NGHI", "visit": "X6\x00", "plate": "12C-111.11", "event": "arrival", "at": "x"}),
    ]
    batch = clearance.ingest(
        rows, source="api", user=board_officer, gates=clearance.recording_gates(board_officer), now=NOW
    )
    assert (batch.stored, batch.rejected) == (1, 8)
    codes = {r.row_number: [x["code"] for x in r.reasons] for r in batch.rejected_rows.all()}
    assert codes == {
        2: ["plate_mismatch"],  # the visit X1 is 12C-111.11 (first row)
        3: ["gate_unknown"],
        4: ["channel_missing"],
        5: ["at_future"],  # 01/12 is after "now" (28/11 16:00)
        6: ["reference_missing", "plate_missing", "event_unknown", "at_missing"],
        7: ["not_object"],
        8: ["type"],
        9: ["nul"],
    }
    stored = batch.rejected_rows.get(row_number=9)
    assert "\x00" not in stored.data["visit"]  # storable on PostgreSQL too
    assert TruckVisit.objects.get(reference="X1").plate == "12C-111.11"
    mismatch = batch.rejected_rows.get(row_number=2).reasons[0]["message"]
    assert mismatch == "Lượt xe X1 tại cửa khẩu này đã ghi biển số 12C-111.11, khác với 12C-222.22."


@pytest.mark.django_db
def test_a_later_earlier_event_moves_the_visit_and_marks_both_days(board_officer):
    from langson.border.models import TruckVisit

    base = {"gate": "CK-CHI-MA", "visit": "CM-1", "plate": "12C-101.01"}
    gates = clearance.recording_gates(board_officer)
    rows = [
        (1, {**base, "event": "arrival", "at": "27/11/2026 20:00"}),
        (2, {**base, "event": "ra cổng", "at": "28/11/2026 02:00"}),
    ]
    clearance.ingest(rows, source="api", user=board_officer, gates=gates, now=NOW)
    visit = TruckVisit.objects.get(reference="CM-1")
    assert visit.clearance_minutes == 360
    # The yard system's earlier gate-out reading arrives late: the earliest reading (5 h earlier) wins, and
    # the two readings 5 hours apart flag the visit.
    late = clearance.ingest(
        [(1, {**base, "event": "gate_out", "at": "27/11/2026 21:00"})],
        source="api",
        user=board_officer,
        gates=gates,
        now=NOW,
    )
    visit.refresh_from_db()
    assert visit.gated_out_at == t(21, 0, day=27) and visit.clearance_minutes is None
    assert [f["code"] for f in visit.flags] == ["repeated"]
    assert late.days == ["2026-11-27", "2026-11-28"]  # both gate-out days are recomputed for the IOC


@pytest.mark.nodb
def test_local_days_and_their_bounds():
    assert clearance.day_bounds(DAY) == (t(0), t(0, day=29))
    assert clearance.local_today(datetime(2026, 11, 27, 17, 30, tzinfo=UTC)) == DAY  # 00:30 in Vietnam
    assert clearance.local_today(NOW + timedelta(hours=8)) == date(2026, 11, 29)
