"""Availability per day and per month on a known pattern of rounds and incidents, the daily rollups that
outlive the raw checks, and the province-wide IOC indicators."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings

from langson.ops import indicators_uptime
from langson.ops.models import Check, DailyRollup, Incident, MonitoredSystem
from langson.ops.tests.uptime_servers import *  # noqa: F403
from langson.ops.uptime import availability

VN = ZoneInfo("Asia/Ho_Chi_Minh")
D = date(2025, 6, 29)  # a Sunday; D+1 is the last day of June, D+2 the first of July
NOW = datetime(2025, 7, 2, 12, 0, tzinfo=VN)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=VN)


@pytest.fixture
def pattern(make_system: Any) -> MonitoredSystem:
    """Rounds every hour on D and D+1 (none on D+2); down 06:00–07:00 on D and 23:30 (D) – 00:30 (D+1)."""
    system = make_system("cong-mau", url="http://127.0.0.1:9/")
    system.monitored_since = at(D, 0)
    system.save()
    for offset in (0, 1):
        for hour in range(24):
            moment = at(D + timedelta(days=offset), hour)
            down = hour == 6 and offset == 0
            Check.objects.create(system=system, at=moment, family=4, address="127.0.0.1", ok=not down)
            Check.objects.create(system=system, at=moment, family=6, address="::1", ok=not down)
    Incident.objects.create(system=system, started_at=at(D, 6), ended_at=at(D, 7))
    Incident.objects.create(
        system=system, started_at=at(D, 23, 30), ended_at=at(D + timedelta(days=1), 0, 30)
    )
    return system


def test_daily_availability_is_time_weighted(pattern: MonitoredSystem) -> None:
    days = availability.daily([pattern], D, D + timedelta(days=3), NOW)[pattern.pk]
    first, second, empty, today = days
    assert (first.checks, first.failed_checks) == (24, 1)  # a round counts once, whatever its families
    assert (first.monitored_seconds, first.down_seconds) == (86400, 5400)
    assert first.availability == pytest.approx(93.75)
    assert second.down_seconds == 1800 and second.availability == pytest.approx(100 * 84600 / 86400)
    assert empty.availability is None and empty.level == "none"  # no rounds: no data, not 100 %
    assert today.availability is None
    assert (first.level, second.level) == ("major", "major")
    june, july = availability.monthly(days)
    assert june.month == date(2025, 6, 1) and june.availability == pytest.approx(
        100 * (172800 - 7200) / 172800
    )
    assert july.availability is None


def test_monitoring_that_starts_mid_day_counts_from_its_start(make_system: Any) -> None:
    system = make_system("cong-moi", url="http://127.0.0.1:9/")
    system.monitored_since = at(D, 12)
    system.save()
    Check.objects.create(system=system, at=at(D, 12), family=4, ok=True)
    Incident.objects.create(system=system, started_at=at(D, 18), ended_at=None)  # still open at NOW
    [day] = availability.daily([system], D, D, NOW)[system.pk]
    assert (day.monitored_seconds, day.down_seconds) == (43200, 21600)
    assert day.availability == pytest.approx(50.0)


def test_rollups_outlive_the_raw_checks(pattern: MonitoredSystem) -> None:
    before = availability.daily([pattern], D, D + timedelta(days=1), NOW)[pattern.pk]
    with override_settings(LANGSON_UPTIME_RAW_DAYS=1):
        assert availability.roll_up(NOW, days_back=4) == 2  # D and D+1; D+2 had no rounds
    assert not Check.objects.filter(system=pattern).exists()  # older than one day: pruned
    assert availability.daily([pattern], D, D + timedelta(days=1), NOW)[pattern.pk] == before
    assert DailyRollup.objects.get(system=pattern, day=D).down_seconds == 5400
    availability.roll_up(NOW, days_back=4)  # idempotent
    assert DailyRollup.objects.filter(system=pattern).count() == 2


def test_indicators_for_the_ioc(make_system: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    ready = make_system("sd-ready", url="http://127.0.0.1:9/")
    legacy = make_system("sd-legacy", url="http://127.0.0.1:9/")
    expiring = make_system("sd-tls", url="https://127.0.0.1:9/")
    never = make_system("sd-never", url="http://127.0.0.1:9/")  # not checked yet: not counted
    # Noon in Vietnam today: run in the half hour after Vietnam's midnight, the check half an hour ago fell on
    # yesterday and today had no figure yet (the test failed then, and only then).
    now = datetime.now(VN).replace(hour=12, minute=0, second=0, microsecond=0)
    monkeypatch.setattr(indicators_uptime.timezone, "now", lambda: now)
    for system, v6, state, tls in (
        (ready, ["::1"], "up", "ok"),
        (legacy, [], "down", ""),
        (expiring, ["::1"], "up", "warning"),
    ):
        system.monitored_since = now - timedelta(hours=1)
        system.ipv6_addresses = v6
        system.ipv6_ok = bool(v6) and system is ready
        system.state = state
        system.tls_level = tls
        system.save()
        Check.objects.create(system=system, at=now - timedelta(minutes=30), family=4, ok=state == "up")
    Incident.objects.create(system=legacy, started_at=now - timedelta(minutes=30))
    today = now.date()
    assert indicators_uptime.systems_down() == [(today, "", 1.0)]
    assert indicators_uptime.ipv6_ready() == [(today, "", pytest.approx(33.3))]
    assert indicators_uptime.tls_expiring() == [(today, "", 1.0)]
    [(_day, _place, value)] = [row for row in indicators_uptime.province_availability() if row[0] == today]
    # Three systems monitored for the same time today, one of them down for the last half of it.
    monitored = (now - max(now - timedelta(hours=1), availability.day_bounds(today)[0])).total_seconds()
    down = min(1800.0, monitored)
    assert value == pytest.approx(100 * (3 * monitored - down) / (3 * monitored), abs=0.01)
    assert never.monitored_since is None
    codes = {spec.code for spec in indicators_uptime.INDICATORS}
    assert codes == {"ops-availability", "ops-systems-down", "ops-ipv6-ready", "ops-tls-expiring"}
