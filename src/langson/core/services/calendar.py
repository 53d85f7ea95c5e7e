"""The working-day calendar of a unit: national holidays + provincial overrides stored in the database."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from datetime import date

from django.db.models import Q
from django.utils import timezone

from langson.core.services.workdays import WorkCalendar, vietnam_calendar


def default_years(today: date | None = None) -> range:
    """Last year to two years ahead: wide enough for any deadline counted today."""
    year = (today or timezone.localdate()).year
    return range(year - 1, year + 3)


# Building a calendar costs a query and ~2 ms; hồ sơ deadlines ask for one at every step. Calendars are
# kept for CACHE_SECONDS and dropped at once in this process when an override changes (signals); another
# process sees the change within CACHE_SECONDS.
CACHE_SECONDS = 30.0
_cache: dict[tuple[str, bool, tuple[int, ...]], tuple[float, WorkCalendar]] = {}
_cache_lock = threading.Lock()


def forget_calendars(*args: object, **kwargs: object) -> None:
    with _cache_lock:
        _cache.clear()


def calendar_for(unit: object | None = None, years: Iterable[int] | None = None) -> WorkCalendar:
    """Calendar of a unit (None: the province).

    Overrides of the province and of the unit's ancestors apply; the deepest one wins for a date.
    """
    from langson.core.models import OrgUnit

    span = tuple(years or default_years())
    key = (unit.path, unit.saturday_reception, span) if isinstance(unit, OrgUnit) else ("", False, span)
    now = time.monotonic()
    with _cache_lock:
        cached = _cache.get(key)
    if cached is not None and now - cached[0] < CACHE_SECONDS:
        return cached[1]
    calendar = _build(unit, span)
    with _cache_lock:
        _cache[key] = (now, calendar)
    return calendar


def _build(unit: object | None, years: Iterable[int]) -> WorkCalendar:
    from langson.core.models import CalendarOverride, OrgUnit

    scope = Q(unit__isnull=True)
    saturday = False
    if isinstance(unit, OrgUnit):
        codes = [code for code in unit.path.strip("/").split("/") if code]
        scope |= Q(unit__code__in=codes)
        saturday = unit.saturday_reception
    years = list(years or default_years())
    overrides = CalendarOverride.objects.filter(scope, date__year__in=years).select_related("unit")
    # Deeper (more specific) overrides win over the province's for the same date.
    chosen: dict[date, CalendarOverride] = {}
    for override in sorted(overrides, key=lambda o: len(o.unit.path) if o.unit else 0):
        chosen[override.date] = override
    makeup = [d for d, o in chosen.items() if o.kind == CalendarOverride.Kind.MAKEUP_WORKDAY]
    days_off = {d: o.reason for d, o in chosen.items() if o.kind == CalendarOverride.Kind.EXTRA_DAY_OFF}
    return vietnam_calendar(
        years, makeup_workdays=makeup, extra_days_off=days_off, saturday_reception=saturday
    )
