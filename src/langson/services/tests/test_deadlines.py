"""Deadlines of hồ sơ with the real cases of the reference: Tết, the 15:00 rule, a make-up Saturday, a
supplement pause, the one apology, early / on time / late."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from langson.core.services.workdays import vietnam_calendar
from langson.services import deadlines
from langson.services.deadlines import LOCAL_TZ

pytestmark = pytest.mark.nodb

CAL = vietnam_calendar(range(2024, 2028))


def at(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=LOCAL_TZ)


def test_ten_working_days_across_tet_2025():
    # Reference §9: 10 working days after 20/01/2025 is 10/02/2025 (Tết 25/01–02/02 in between).
    assert deadlines.promised_return(CAL, at(2025, 1, 20), 10) == at(2025, 2, 10, 17)


def test_three_days_received_just_before_tet_2026():
    # Tết 2026 is Mon 16/02 – Fri 20/02: Thu 12/02 + 3 working days = Fri 13/02, Mon 23/02, Tue 24/02.
    assert deadlines.promised_return(CAL, at(2026, 2, 12, 16, 30), 3) == at(2026, 2, 24, 17)


@pytest.mark.parametrize(
    "received,due",
    [
        (at(2025, 11, 27, 14, 59), at(2025, 11, 27, 17)),  # same day before 15:00
        (at(2025, 11, 27, 15, 0), at(2025, 11, 27, 17)),  # at 15:00 sharp: still today
        (at(2025, 11, 27, 15, 1), at(2025, 11, 28, 17)),  # after 15:00: next working day
        (at(2025, 11, 28, 16, 0), at(2025, 12, 1, 17)),  # Friday afternoon: Monday
        (at(2025, 11, 29, 9, 0), at(2025, 12, 1, 17)),  # Saturday reception counts from Monday
    ],
)
def test_the_1500_rule_for_same_day_procedures(received, due):
    assert deadlines.promised_return(CAL, received, 0) == due


def test_a_make_up_saturday_is_a_working_day():
    # 2025: Fri 02/05 off, Sat 26/04 worked (swap). One working day after Fri 25/04 is Sat 26/04.
    assert deadlines.promised_return(CAL, at(2025, 4, 25), 1) == at(2025, 4, 26, 17)
    # 30/04, 01/05 and the swapped 02/05 are off, Sat 03/05 is not worked: after Tue 29/04 comes Mon 05/05.
    assert deadlines.promised_return(CAL, at(2025, 4, 29), 1) == at(2025, 5, 5, 17)


def test_supplement_restarts_the_count_from_the_complete_dossier():
    # 5 working days, received Mon 03/11/2025: due Mon 10/11. A supplement is asked on Wed 05/11 and
    # brought on Mon 10/11: the dossier is complete that day, due 5 working days later, Mon 17/11.
    first = deadlines.promised_return(CAL, at(2025, 11, 3), 5)
    assert first == at(2025, 11, 10, 17)
    assert deadlines.promised_return(CAL, at(2025, 11, 10, 10), 5) == at(2025, 11, 17, 17)


def test_outcome_early_on_time_late():
    due = at(2025, 11, 17, 17)
    assert deadlines.outcome(CAL, at(2025, 11, 14, 16), due) == "early"
    assert deadlines.outcome(CAL, at(2025, 11, 17, 16, 59), due) == "on_time"
    assert deadlines.outcome(CAL, at(2025, 11, 17, 17, 1), due) == "late"


def test_at_risk_from_one_working_day_before_the_due_day():
    due = at(2025, 11, 17, 17)  # Monday
    assert not deadlines.at_risk(CAL, at(2025, 11, 13, 9), due)  # Thursday: two working days left
    assert deadlines.at_risk(CAL, at(2025, 11, 14, 9), due)  # Friday: one working day left
    assert deadlines.at_risk(CAL, at(2025, 11, 17, 9), due)  # the due day itself
    assert not deadlines.at_risk(CAL, at(2025, 11, 18, 9), due)  # already late: no longer "at risk"


def test_apology_deadline_and_new_date():
    due = at(2025, 11, 17, 17)  # Monday
    assert deadlines.latest_apology_day(CAL, due) == date(2025, 11, 14)  # the Friday before
    assert deadlines.extended_return(CAL, due, 3) == at(2025, 11, 20, 17)
    with pytest.raises(ValueError):
        deadlines.extended_return(CAL, due, 0)
