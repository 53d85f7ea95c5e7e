"""Deadlines of a hồ sơ, composed from the core working-day calendar (decision 0005) and decision 0009.

- The promised return (hẹn trả) is the office's closing time on the due working day: n working days after
  the day of receipt, or the same day for a same-day procedure received by 15:00 (after 15:00: the next
  working day).
- A request to supplement (Phiếu yêu cầu bổ sung) stops the clock; the count starts again, in full, from the
  receipt of the complete dossier (the rules count from "nhận đủ hồ sơ hợp lệ").
- At most one apology with a new date (Phiếu xin lỗi và hẹn lại ngày trả kết quả); it must be sent at the
  latest one working day before the due date.
- A result is early, on time or late against the due date in force (the new date after an apology).
- The steps of the internal process (quy trình nội bộ) run back to back from receipt, each due when the
  working days of the steps up to it have passed; the last step (trả kết quả) is due at the date in force.
  Each hand-over is marked early, on time or late against its step's due time (phiếu kiểm soát, BM.05).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from langson.core.services.workdays import (
    LOCAL_TZ,
    WorkCalendar,
    add_working_days,
    due_date,
    is_working_day,
    working_days_between,
)

EARLY = "early"
ON_TIME = "on_time"
LATE = "late"


def closing_time(cal: WorkCalendar, day: date) -> datetime:
    return datetime.combine(day, cal.office_close, tzinfo=LOCAL_TZ)


def promised_return(cal: WorkCalendar, received_at: datetime, working_days: int) -> datetime:
    """Hẹn trả: closing time of the due working day of a procedure of ``working_days`` days."""
    return closing_time(cal, due_date(cal, received_at, working_days))


def outcome(cal: WorkCalendar, finished_at: datetime, due_at: datetime) -> str:
    """Trước hạn (a working day or more before the due day), đúng hạn (on the due day) or quá hạn."""
    finished = finished_at.astimezone(LOCAL_TZ)
    due = due_at.astimezone(LOCAL_TZ)
    if finished > due:
        return LATE
    return EARLY if finished.date() < due.date() else ON_TIME


def step_due(
    cal: WorkCalendar, received_at: datetime, steps: list[dict], index: int, due_in_force: datetime
) -> datetime:
    """Hạn của bước ``index``: the closing time of the day when the steps up to it have used their days,
    never later than the date in force; the last step is due at the date in force."""
    if index >= len(steps) - 1:
        return due_in_force
    days = sum(int(s["days"]) for s in steps[: index + 1])
    return min(promised_return(cal, received_at, days), due_in_force)


def at_risk(cal: WorkCalendar, now: datetime, due_at: datetime, *, warn_days: int = 1) -> bool:
    """Sắp quá hạn: the due day is at most ``warn_days`` working days away and not yet passed.

    The apology must be sent no later than one working day before the due day, so a hồ sơ is flagged from
    then on.
    """
    today = now.astimezone(LOCAL_TZ).date()
    due_day = due_at.astimezone(LOCAL_TZ).date()
    if now > due_at:
        return False
    return working_days_between(cal, today, due_day) <= warn_days


def latest_apology_day(cal: WorkCalendar, due_at: datetime) -> date:
    """The last day the apology may be sent: the working day before the due day."""
    day = due_at.astimezone(LOCAL_TZ).date() - timedelta(days=1)
    while not is_working_day(cal, day):
        day -= timedelta(days=1)
    return day


def extended_return(cal: WorkCalendar, due_at: datetime, extra_working_days: int) -> datetime:
    """The new date promised in the apology: ``extra_working_days`` after the original due day."""
    if extra_working_days < 1:
        raise ValueError("an extension is at least one working day")
    due_day = due_at.astimezone(LOCAL_TZ).date()
    return closing_time(cal, add_working_days(cal, due_day, extra_working_days))
