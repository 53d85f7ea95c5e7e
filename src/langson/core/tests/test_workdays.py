"""Working-day calendar: real Vietnamese holidays from ``holidays`` 0.108 plus provincial overrides.

Pure Python: no database, no Django settings needed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from langson.core.services.workdays import (
    WorkCalendar,
    add_working_days,
    counting_start,
    day_off_reason,
    due_date,
    is_reception_time,
    is_working_day,
    next_working_day,
    vietnam_calendar,
    working_days_between,
)

pytestmark = pytest.mark.nodb

PROVINCIAL_DAY_OFF = date(2026, 12, 4)  # Friday
PROVINCIAL_REASON = "Nghỉ theo quyết định của UBND tỉnh (giả định trong kiểm thử)"
PROVINCIAL_MAKEUP = date(2026, 12, 5)  # Saturday

CAL = vietnam_calendar([2025, 2026])
PROVINCIAL = vietnam_calendar(
    [2025, 2026],
    makeup_workdays=[PROVINCIAL_MAKEUP],
    extra_days_off={PROVINCIAL_DAY_OFF: PROVINCIAL_REASON},
)
SATURDAY_UNIT = vietnam_calendar([2025, 2026], saturday_reception=True)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(date(2026, 2, 13), True, id="2026-tet-eve-friday-works"),
        pytest.param(date(2026, 2, 16), False, id="2026-tet-mon-16-02"),
        pytest.param(date(2026, 2, 17), False, id="2026-tet-tue-17-02"),
        pytest.param(date(2026, 2, 18), False, id="2026-tet-wed-18-02"),
        pytest.param(date(2026, 2, 19), False, id="2026-tet-thu-19-02"),
        pytest.param(date(2026, 2, 20), False, id="2026-tet-fri-20-02"),
        pytest.param(date(2026, 2, 23), True, id="2026-after-tet-mon-23-02"),
        pytest.param(date(2026, 4, 27), False, id="2026-hung-kings-nghi-bu-mon-27-04"),
        pytest.param(date(2026, 4, 30), False, id="2026-30-04-thu"),
        pytest.param(date(2026, 5, 1), False, id="2026-01-05-fri"),
        pytest.param(date(2026, 8, 22), True, id="2026-makeup-sat-22-08"),
        pytest.param(date(2026, 8, 31), False, id="2026-swapped-mon-31-08"),
        pytest.param(date(2026, 9, 1), False, id="2026-national-day-tue-01-09"),
        pytest.param(date(2026, 9, 2), False, id="2026-national-day-wed-02-09"),
        pytest.param(date(2026, 11, 24), False, id="2026-culture-day-tue-24-11"),
        pytest.param(date(2025, 1, 27), False, id="2025-tet-mon-27-01"),
        pytest.param(date(2025, 1, 31), False, id="2025-tet-fri-31-01"),
        pytest.param(date(2025, 4, 26), True, id="2025-makeup-sat-26-04"),
        pytest.param(date(2025, 5, 2), False, id="2025-swapped-fri-02-05"),
        pytest.param(date(2025, 9, 1), False, id="2025-national-day-mon-01-09"),
        pytest.param(date(2025, 9, 2), False, id="2025-national-day-tue-02-09"),
        pytest.param(date(2026, 3, 7), False, id="ordinary-saturday"),
        pytest.param(date(2026, 3, 8), False, id="ordinary-sunday"),
        pytest.param(date(2026, 3, 9), True, id="ordinary-monday"),
    ],
)
def test_is_working_day(day: date, expected: bool) -> None:
    assert is_working_day(CAL, day) is expected


@pytest.mark.parametrize(
    ("cal", "day", "expected"),
    [
        pytest.param(CAL, date(2026, 2, 17), "Tết Nguyên Đán", id="tet"),
        pytest.param(CAL, date(2026, 4, 27), "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)", id="nghi-bu"),
        pytest.param(CAL, date(2026, 8, 31), "Ngày nghỉ (thay cho ngày 22/08/2026)", id="swapped-day"),
        pytest.param(CAL, date(2026, 11, 24), "Ngày Văn hóa Việt Nam", id="culture-day"),
        pytest.param(CAL, date(2025, 2, 1), "Mùng bốn Tết Nguyên Đán", id="holiday-name-beats-saturday"),
        pytest.param(CAL, date(2026, 3, 7), "Thứ bảy", id="saturday"),
        pytest.param(CAL, date(2026, 3, 8), "Chủ nhật", id="sunday"),
        pytest.param(CAL, date(2026, 3, 9), None, id="working-monday"),
        pytest.param(CAL, date(2026, 8, 22), None, id="makeup-saturday"),
        pytest.param(PROVINCIAL, PROVINCIAL_DAY_OFF, PROVINCIAL_REASON, id="provincial-day-off"),
        pytest.param(PROVINCIAL, PROVINCIAL_MAKEUP, None, id="provincial-makeup-saturday"),
    ],
)
def test_day_off_reason(cal: WorkCalendar, day: date, expected: str | None) -> None:
    assert day_off_reason(cal, day) == expected


@pytest.mark.parametrize(
    ("cal", "start", "n", "expected"),
    [
        pytest.param(CAL, date(2026, 2, 13), 1, date(2026, 2, 23), id="2026-over-tet"),
        pytest.param(CAL, date(2026, 4, 24), 1, date(2026, 4, 28), id="2026-over-hung-kings-nghi-bu"),
        pytest.param(CAL, date(2026, 4, 29), 1, date(2026, 5, 4), id="2026-over-30-04-and-01-05"),
        pytest.param(CAL, date(2026, 8, 21), 1, date(2026, 8, 22), id="2026-onto-makeup-saturday"),
        pytest.param(CAL, date(2026, 8, 28), 1, date(2026, 9, 3), id="2026-over-national-day"),
        pytest.param(CAL, date(2025, 1, 20), 10, date(2025, 2, 10), id="2025-10-days-over-tet"),
        pytest.param(CAL, date(2025, 4, 25), 1, date(2025, 4, 26), id="2025-onto-makeup-saturday"),
        pytest.param(CAL, date(2025, 4, 29), 1, date(2025, 5, 5), id="2025-over-30-04-to-02-05"),
        pytest.param(CAL, date(2025, 8, 29), 1, date(2025, 9, 3), id="2025-over-national-day"),
        pytest.param(CAL, date(2026, 3, 9), 0, date(2026, 3, 9), id="zero-on-working-day"),
        pytest.param(CAL, date(2026, 3, 7), 0, date(2026, 3, 9), id="zero-on-saturday"),
        pytest.param(CAL, date(2026, 12, 3), 1, date(2026, 12, 4), id="no-provincial-day-off"),
        pytest.param(PROVINCIAL, date(2026, 12, 3), 1, date(2026, 12, 5), id="provincial-day-off-shifts"),
        pytest.param(PROVINCIAL, date(2026, 12, 3), 2, date(2026, 12, 7), id="provincial-makeup-counts"),
        pytest.param(CAL, date(2026, 12, 3), 2, date(2026, 12, 7), id="national-two-days-same-end"),
    ],
)
def test_add_working_days(cal: WorkCalendar, start: date, n: int, expected: date) -> None:
    assert add_working_days(cal, start, n) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        pytest.param(date(2026, 2, 12), date(2026, 2, 24), 3, id="over-tet-2026"),
        pytest.param(date(2025, 1, 20), date(2025, 2, 10), 10, id="over-tet-2025"),
        pytest.param(date(2026, 3, 9), date(2026, 3, 9), 0, id="same-day"),
        pytest.param(date(2026, 3, 10), date(2026, 3, 9), 0, id="end-before-start"),
        pytest.param(date(2026, 8, 21), date(2026, 8, 22), 1, id="makeup-saturday-counts"),
    ],
)
def test_working_days_between(start: date, end: date, expected: int) -> None:
    assert working_days_between(CAL, start, end) == expected


def test_next_working_day_is_strictly_after() -> None:
    assert next_working_day(CAL, date(2026, 3, 9)) == date(2026, 3, 10)
    assert next_working_day(CAL, date(2026, 2, 13)) == date(2026, 2, 23)


VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.parametrize(
    ("cal", "received_at", "n", "expected"),
    [
        pytest.param(CAL, datetime(2025, 1, 20, 9, 0), 10, date(2025, 2, 10), id="10-days-over-tet-2025"),
        pytest.param(CAL, datetime(2026, 2, 13, 14, 59), 0, date(2026, 2, 13), id="same-day-before-cutoff"),
        pytest.param(CAL, datetime(2026, 2, 13, 15, 0), 0, date(2026, 2, 13), id="same-day-at-cutoff"),
        pytest.param(CAL, datetime(2026, 2, 13, 15, 1), 0, date(2026, 2, 23), id="same-day-after-cutoff"),
        pytest.param(CAL, datetime(2026, 2, 13, 16, 30), 1, date(2026, 2, 23), id="cutoff-not-for-1-day"),
        pytest.param(CAL, datetime(2026, 3, 7, 9, 0), 0, date(2026, 3, 9), id="same-day-online-saturday"),
        pytest.param(CAL, datetime(2026, 2, 17, 10, 0), 0, date(2026, 2, 23), id="same-day-online-tet"),
        pytest.param(CAL, datetime(2026, 2, 17, 10, 0), 1, date(2026, 2, 24), id="1-day-online-tet"),
        pytest.param(
            SATURDAY_UNIT, datetime(2026, 3, 7, 9, 0), 1, date(2026, 3, 10), id="saturday-reception-1-day"
        ),
        pytest.param(
            SATURDAY_UNIT, datetime(2026, 3, 7, 9, 0), 0, date(2026, 3, 9), id="saturday-reception-same-day"
        ),
        pytest.param(
            CAL, datetime(2026, 2, 13, 7, 59, tzinfo=UTC), 0, date(2026, 2, 13), id="aware-utc-1459-local"
        ),
        pytest.param(
            CAL, datetime(2026, 2, 13, 8, 1, tzinfo=UTC), 0, date(2026, 2, 23), id="aware-utc-1501-local"
        ),
        pytest.param(
            CAL, datetime(2026, 2, 13, 14, 59, tzinfo=VN), 0, date(2026, 2, 13), id="aware-local-zone"
        ),
        pytest.param(
            CAL, datetime(2026, 3, 6, 20, 0, tzinfo=UTC), 1, date(2026, 3, 10), id="aware-utc-crosses-date"
        ),
        pytest.param(
            PROVINCIAL, datetime(2026, 12, 3, 9, 0), 1, date(2026, 12, 5), id="provincial-day-off-shifts"
        ),
    ],
)
def test_due_date(cal: WorkCalendar, received_at: datetime, n: int, expected: date) -> None:
    assert due_date(cal, received_at, n) == expected


@pytest.mark.parametrize(
    ("received_at", "same_day", "expected"),
    [
        pytest.param(datetime(2026, 2, 13, 16, 0), False, date(2026, 2, 13), id="late-multi-day-keeps-day"),
        pytest.param(datetime(2026, 2, 13, 16, 0), True, date(2026, 2, 23), id="late-same-day-moves"),
        pytest.param(datetime(2026, 3, 8, 10, 0), False, date(2026, 3, 9), id="sunday-moves"),
    ],
)
def test_counting_start(received_at: datetime, same_day: bool, expected: date) -> None:
    assert counting_start(CAL, received_at, same_day=same_day) == expected


@pytest.mark.parametrize(
    ("cal", "at", "expected"),
    [
        pytest.param(SATURDAY_UNIT, datetime(2026, 3, 7, 9, 0), True, id="saturday-morning"),
        pytest.param(SATURDAY_UNIT, datetime(2026, 3, 7, 14, 0), False, id="saturday-afternoon"),
        pytest.param(SATURDAY_UNIT, datetime(2026, 3, 7, 11, 30), False, id="saturday-at-1130"),
        pytest.param(SATURDAY_UNIT, datetime(2025, 2, 1, 9, 0), False, id="saturday-holiday-tet-2025"),
        pytest.param(CAL, datetime(2026, 3, 7, 9, 0), False, id="no-saturday-reception"),
        pytest.param(CAL, datetime(2026, 3, 9, 7, 30), True, id="weekday-opening"),
        pytest.param(CAL, datetime(2026, 3, 9, 16, 59), True, id="weekday-before-close"),
        pytest.param(CAL, datetime(2026, 3, 9, 17, 0), False, id="weekday-at-close"),
        pytest.param(CAL, datetime(2026, 3, 9, 7, 0), False, id="weekday-before-opening"),
        pytest.param(CAL, datetime(2026, 2, 17, 9, 0), False, id="tet"),
        pytest.param(CAL, datetime(2026, 8, 22, 14, 0), True, id="makeup-saturday-full-day"),
        pytest.param(CAL, datetime(2026, 3, 9, 2, 0, tzinfo=UTC), True, id="aware-utc-0900-local"),
    ],
)
def test_is_reception_time(cal: WorkCalendar, at: datetime, expected: bool) -> None:
    assert is_reception_time(cal, at) is expected


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: add_working_days(CAL, date(2026, 3, 9), -1), id="add-negative"),
        pytest.param(lambda: due_date(CAL, datetime(2026, 3, 9, 9, 0), -1), id="due-negative"),
    ],
)
def test_negative_days_rejected(call: Callable[[], object]) -> None:
    with pytest.raises(ValueError, match=">= 0"):
        call()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        pytest.param({"makeup_workdays": [date(2026, 3, 9)]}, "weekend", id="makeup-on-weekday"),
        pytest.param(
            {"makeup_workdays": [date(2025, 2, 1)]}, "also days off", id="makeup-on-statutory-holiday"
        ),
        pytest.param(
            {"makeup_workdays": [PROVINCIAL_MAKEUP], "extra_days_off": {PROVINCIAL_MAKEUP: "x"}},
            "also days off",
            id="makeup-and-day-off",
        ),
    ],
)
def test_contradictory_overrides_rejected(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        vietnam_calendar([2025, 2026], **kwargs)  # type: ignore[arg-type]


def test_national_makeup_days_come_from_the_package() -> None:
    assert {date(2025, 4, 26), date(2026, 8, 22)} <= CAL.makeup_workdays
    # Only the requested years are kept.
    assert all(d.year in (2025, 2026) for d in CAL.makeup_workdays)


def test_saturday_reception_does_not_make_saturday_a_working_day() -> None:
    assert not is_working_day(SATURDAY_UNIT, date(2026, 3, 7))
    assert working_days_between(SATURDAY_UNIT, date(2026, 3, 6), date(2026, 3, 9)) == 1


def test_counting_properties_over_2025_and_2026() -> None:
    # 2027 included so that deadlines running past New Year see its holidays too.
    cal = vietnam_calendar([2025, 2026, 2027])
    day = date(2025, 1, 1)
    while day.year < 2027:
        for n in range(1, 16):
            end = add_working_days(cal, day, n)
            assert is_working_day(cal, end), (day, n, end)
            assert working_days_between(cal, day, end) == n, (day, n, end)
        day += timedelta(days=1)
