"""Provincial overrides and per-unit Saturday reception, read from the database into the calendar."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError

from langson.core.models import CalendarOverride, OrgUnit
from langson.core.services import workdays
from langson.core.services.calendar import calendar_for

pytestmark = pytest.mark.django_db


def test_province_day_off_applies_everywhere_and_unit_makeup_only_below_it():
    CalendarOverride.objects.create(
        date=date(2026, 12, 4),
        kind=CalendarOverride.Kind.EXTRA_DAY_OFF,
        reason="Nghỉ theo quyết định của UBND tỉnh (giả định trong kiểm thử)",
    )
    dong_dang = OrgUnit.objects.get(code="6184")
    CalendarOverride.objects.create(
        date=date(2026, 12, 5), kind=CalendarOverride.Kind.MAKEUP_WORKDAY, reason="Làm bù", unit=dong_dang
    )
    province = calendar_for(None, [2026])
    centre = calendar_for(OrgUnit.objects.get(code="6184-TTPVHCC"), [2026])
    other = calendar_for(OrgUnit.objects.get(code="5983"), [2026])
    assert not workdays.is_working_day(province, date(2026, 12, 4))
    assert workdays.is_working_day(centre, date(2026, 12, 5))  # inherited from its commune
    assert not workdays.is_working_day(other, date(2026, 12, 5))
    # Thu 03/12 + 1 working day: Fri 04/12 is off, so Sat 05/12 at Đồng Đăng, Mon 07/12 elsewhere.
    assert workdays.add_working_days(centre, date(2026, 12, 3), 1) == date(2026, 12, 5)
    assert workdays.add_working_days(other, date(2026, 12, 3), 1) == date(2026, 12, 7)


def test_saturday_reception_comes_from_the_unit():
    unit = OrgUnit.objects.get(code="5983-TTPVHCC")
    unit.saturday_reception = True
    unit.save()
    cal = calendar_for(unit, [2026])
    saturday = datetime(2026, 3, 7, 9, 0)
    assert workdays.is_reception_time(cal, saturday)
    assert workdays.due_date(cal, saturday, 1) == date(2026, 3, 10)
    assert not workdays.is_reception_time(calendar_for(OrgUnit.objects.get(code="6184"), [2026]), saturday)


@pytest.mark.parametrize(
    "day,kind,message",
    [
        (date(2026, 12, 2), "makeup_workday", "thứ Bảy hoặc Chủ nhật"),
        (date(2026, 4, 26), "makeup_workday", "trùng ngày lễ"),
        (date(2026, 8, 22), "extra_day_off", "làm bù theo lịch quốc gia"),
    ],
)
def test_contradictory_overrides_are_refused(day, kind, message):
    override = CalendarOverride(date=day, kind=kind, reason="kiểm thử")
    with pytest.raises(ValidationError, match=message):
        override.full_clean()


def test_a_new_override_is_seen_at_once_despite_the_cache():
    before = calendar_for(None, [2026])
    assert calendar_for(None, [2026]) is before  # cached
    CalendarOverride.objects.create(
        date=date(2026, 12, 11), kind=CalendarOverride.Kind.EXTRA_DAY_OFF, reason="Nghỉ đột xuất (kiểm thử)"
    )
    after = calendar_for(None, [2026])
    assert after is not before and not workdays.is_working_day(after, date(2026, 12, 11))
