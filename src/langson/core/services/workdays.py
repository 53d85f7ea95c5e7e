"""Working-day calendar for Vietnamese public services (ngày làm việc).

Pure Python, no Django: the calendar is built from the ``holidays`` package (statutory holidays,
lunar Tết, nghỉ bù and swapped days, national làm bù Saturdays) plus provincial overrides (extra
days off, provincial làm bù days) and the receiving unit's Saturday-morning reception.

A day is a working day when it is Monday–Friday and neither a holiday nor a provincial day off, or
when it is a make-up working day (làm bù) even though it falls on a weekend.

Deadline rules used by :func:`due_date` (hồ sơ = dossier, thủ tục = procedure):

* Time limits are counted in working days from receipt of a complete, valid hồ sơ. The day of
  receipt itself is not counted: a 10-day thủ tục received Mon 20/01/2025 is due Mon 10/02/2025
  (Tết 2025 takes 27/01–31/01 off).
* Same-day procedures (``working_days == 0``): received on a working day at or before 15:00 → due
  that day; after 15:00 → due the next working day. Received on a non-working day (Saturday
  reception, online submission at the weekend or on a holiday) → due the next working day.
* ``working_days >= 1``: received on a non-working day → counted as if received on the next
  working day, i.e. ``add_working_days(next_working_day(d), n)``; otherwise
  ``add_working_days(d, n)``. The 15:00 cut-off does not apply: the regulations name it only for
  procedures settled within the day.
* ``received_at`` is local time (Asia/Ho_Chi_Minh). Aware datetimes are converted to UTC+7 first;
  naive ones are taken as already local.
* Saturday reception never makes Saturday a working day for counting; it only allows reception.

The calendar only knows the years it was built for: build it for every year a deadline can reach
(typically the current and the next year), otherwise later holidays are silently missed.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from types import MappingProxyType
from zoneinfo import ZoneInfo

import holidays

__all__ = [
    "WorkCalendar",
    "add_working_days",
    "counting_start",
    "day_off_reason",
    "due_date",
    "is_reception_time",
    "is_working_day",
    "next_working_day",
    "vietnam_calendar",
    "working_days_between",
]

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

_SATURDAY = 5
_SUNDAY = 6
_WEEKEND_NAMES = {_SATURDAY: "Thứ bảy", _SUNDAY: "Chủ nhật"}


@dataclass(frozen=True)
class WorkCalendar:
    """Statutory holidays + provincial overrides + a unit's Saturday reception.

    ``holidays``: days off with their Vietnamese names (statutory, including nghỉ bù and swapped
    days). ``makeup_workdays``: weekend days that are working days (làm bù), national and
    provincial. ``extra_days_off``: provincial extra days off with their reason.
    """

    holidays: Mapping[date, str]
    makeup_workdays: frozenset[date]
    extra_days_off: Mapping[date, str]
    saturday_reception: bool = False
    saturday_reception_until: time = time(11, 30)
    cutoff: time = time(15, 0)
    office_open: time = time(7, 30)
    office_close: time = time(17, 0)

    def __post_init__(self) -> None:
        # A make-up day that is also a day off is contradictory data; fail at build time rather
        # than silently picking one and computing wrong deadlines.
        weekdays = sorted(d for d in self.makeup_workdays if d.weekday() < _SATURDAY)
        if weekdays:
            raise ValueError(f"make-up workdays must fall on a weekend: {weekdays}")
        clashes = sorted(d for d in self.makeup_workdays if d in self.holidays or d in self.extra_days_off)
        if clashes:
            raise ValueError(f"make-up workdays that are also days off: {clashes}")


@functools.lru_cache(maxsize=32)
def _statutory(years: tuple[int, ...]) -> tuple[Mapping[date, str], frozenset[date]]:
    vn = holidays.country_holidays("VN", years=years, language="vi")
    # weekend_workdays spans every year the package knows; keep the requested years only, so the
    # calendar describes one consistent range.
    makeup = frozenset(d for d in vn.weekend_workdays if d.year in years)
    # A plain read-only copy: the holidays object expands itself on lookups outside its years,
    # which would make the calendar mutable behind our back.
    return MappingProxyType(dict(vn.items())), makeup


def vietnam_calendar(
    years: Iterable[int],
    *,
    makeup_workdays: Iterable[date] = (),
    extra_days_off: Mapping[date, str] | None = None,
    saturday_reception: bool = False,
) -> WorkCalendar:
    """Build the calendar for ``years`` with provincial overrides.

    ``makeup_workdays`` adds provincial làm bù days to the national ones; ``extra_days_off`` adds
    provincial days off (date → reason). Pass every year a deadline can reach.
    """
    key = tuple(sorted(set(years)))
    if not key:
        raise ValueError("at least one year is required")
    statutory, national_makeup = _statutory(key)
    return WorkCalendar(
        holidays=statutory,
        makeup_workdays=national_makeup | frozenset(makeup_workdays),
        extra_days_off=MappingProxyType(dict(extra_days_off or {})),
        saturday_reception=saturday_reception,
    )


def is_working_day(cal: WorkCalendar, d: date) -> bool:
    """Whether ``d`` is a ngày làm việc."""
    if d in cal.makeup_workdays:
        return True
    return d.weekday() < _SATURDAY and d not in cal.holidays and d not in cal.extra_days_off


def day_off_reason(cal: WorkCalendar, d: date) -> str | None:
    """Vietnamese reason ``d`` is not a working day, or ``None`` when it is one."""
    if d in cal.makeup_workdays:
        return None
    # Statutory names win over the generic weekday name (e.g. "Mùng bốn Tết Nguyên Đán" on a Saturday).
    if d in cal.holidays:
        return cal.holidays[d]
    if d in cal.extra_days_off:
        return cal.extra_days_off[d]
    return _WEEKEND_NAMES.get(d.weekday())


def next_working_day(cal: WorkCalendar, d: date) -> date:
    """The first working day strictly after ``d``."""
    d += timedelta(days=1)
    while not is_working_day(cal, d):
        d += timedelta(days=1)
    return d


def add_working_days(cal: WorkCalendar, start: date, n: int) -> date:
    """The ``n``-th working day after ``start`` (``start`` itself is not counted).

    ``n == 0`` returns ``start`` when it is a working day, else the next working day.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    if n == 0:
        return start if is_working_day(cal, start) else next_working_day(cal, start)
    d = start
    for _ in range(n):
        d = next_working_day(cal, d)
    return d


def working_days_between(cal: WorkCalendar, start: date, end: date) -> int:
    """Number of working days in ``(start, end]``; 0 when ``end <= start``."""
    count = 0
    d = start + timedelta(days=1)
    while d <= end:
        count += is_working_day(cal, d)
        d += timedelta(days=1)
    return count


def _local(at: datetime) -> datetime:
    """Naive local (UTC+7) wall-clock time; naive input is assumed to be local already."""
    if at.tzinfo is not None and at.utcoffset() is not None:
        return at.astimezone(LOCAL_TZ).replace(tzinfo=None)
    return at


def is_reception_time(cal: WorkCalendar, at: datetime) -> bool:
    """Whether the unit receives hồ sơ at ``at``.

    Working days: ``office_open <= t < office_close``. Saturdays (not a holiday or provincial day
    off) when ``saturday_reception``: ``office_open <= t < saturday_reception_until``.
    """
    local = _local(at)
    d, t = local.date(), local.time()
    if is_working_day(cal, d):
        return cal.office_open <= t < cal.office_close
    if (
        cal.saturday_reception
        and d.weekday() == _SATURDAY
        and d not in cal.holidays
        and d not in cal.extra_days_off
    ):
        return cal.office_open <= t < cal.saturday_reception_until
    return False


def counting_start(cal: WorkCalendar, received_at: datetime, *, same_day: bool = False) -> date:
    """The working day a hồ sơ counts as received on (day zero of the count).

    For ``n >= 1`` working days the deadline is ``add_working_days(counting_start(...), n)``; for a
    same-day procedure (``same_day=True``) it is the returned day itself.
    """
    local = _local(received_at)
    d = local.date()
    if not is_working_day(cal, d):
        return next_working_day(cal, d)
    # Decision: the 15:00 cut-off only applies to same-day procedures, the only case where the
    # regulations name it; longer procedures count from the day of receipt whatever the hour.
    if same_day and local.time() > cal.cutoff:
        return next_working_day(cal, d)
    return d


def due_date(cal: WorkCalendar, received_at: datetime, working_days: int) -> date:
    """Deadline of a thủ tục of ``working_days`` working days (0 = same-day) received at ``received_at``.

    See the module docstring for the rules.
    """
    if working_days < 0:
        raise ValueError(f"working_days must be >= 0, got {working_days}")
    start = counting_start(cal, received_at, same_day=working_days == 0)
    # start is always a working day, so n == 0 returns it unchanged.
    return add_working_days(cal, start, working_days)
