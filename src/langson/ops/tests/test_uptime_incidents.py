"""Incidents from real outages of a loopback server, driven by explicit ticks: one incident per outage,
dated from the first failed round to the first good one, with its IOC alert raised and cleared once."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from langson.ops.models import Incident, MonitoredSystem
from langson.ops.tests.uptime_servers import *  # noqa: F403
from langson.ops.tests.uptime_servers import Events, HttpSite
from langson.ops.uptime.scheduling import run_due_checks

T0 = datetime(2025, 7, 1, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def tick(minutes: float) -> None:
    run_due_checks(T0 + timedelta(minutes=minutes))


@pytest.fixture
def site(make_site: Any) -> HttpSite:
    return make_site(("127.0.0.1",))


@pytest.fixture
def system(site: HttpSite, make_system: Any) -> MonitoredSystem:
    return make_system(
        "cong-dich-vu-cong", owner="VP-UBND", url=f"http://127.0.0.1:{site.port}/", public=True
    )


def test_an_outage_gives_one_incident_with_its_duration(
    site: HttpSite, system: MonitoredSystem, events: Events
) -> None:
    tick(0)
    site.stop()  # the server goes away: connection refused
    tick(1)
    system.refresh_from_db()
    assert system.state == "up" and system.failure_streak == 1  # one failure is not an outage yet
    assert not Incident.objects.exists() and not events.of("uptime.down")
    tick(2)
    system.refresh_from_db()
    incident = Incident.objects.get()
    assert system.state == "down" and system.state_since == T0 + timedelta(minutes=1)
    assert incident.started_at == T0 + timedelta(minutes=1) and incident.ended_at is None
    [alert] = events.of("uptime.down")
    assert alert["severity"] == "critical" and alert["unit_code"] == "VP-UBND"
    assert alert["payload"]["key"] == "cong-dich-vu-cong" and "refused" in alert["payload"]["cause"]
    for minute in (3, 4, 5):
        tick(minute)  # still down: the same incident, no new alert
    site.start()  # back on the same port
    tick(6)
    system.refresh_from_db()
    incident.refresh_from_db()
    assert Incident.objects.count() == 1
    assert incident.ended_at == T0 + timedelta(minutes=6)
    assert incident.duration_seconds() == 5 * 60
    assert system.state == "up" and system.failure_streak == 0
    assert len(events.of("uptime.down")) == 1
    assert [c["key"] for c in events.cleared_of("uptime.down")] == ["cong-dich-vu-cong"]


def test_single_failures_between_good_rounds_open_nothing(
    site: HttpSite, system: MonitoredSystem, events: Events
) -> None:
    for minute in range(8):
        if minute % 2:
            site.stop()
        tick(minute)
        if minute % 2:
            site.start()
    assert not Incident.objects.exists() and not events.of("uptime.down")


def test_two_outages_are_two_incidents(site: HttpSite, system: MonitoredSystem, events: Events) -> None:
    tick(0)
    for start in (1, 10):
        site.stop()
        tick(start)
        tick(start + 1)
        tick(start + 2)
        site.start()
        tick(start + 3)
    spans = [(i.started_at, i.ended_at) for i in Incident.objects.order_by("started_at")]
    assert spans == [
        (T0 + timedelta(minutes=1), T0 + timedelta(minutes=4)),
        (T0 + timedelta(minutes=10), T0 + timedelta(minutes=13)),
    ]
    assert len(events.of("uptime.down")) == len(events.cleared_of("uptime.down")) == 2


def test_deactivating_a_down_system_ends_its_incident_and_alert(
    site: HttpSite, system: MonitoredSystem, events: Events
) -> None:
    site.stop()
    tick(0)
    tick(1)
    assert Incident.objects.get().ended_at is None
    system.refresh_from_db()
    system.active = False
    system.save()
    tick(2)
    system.refresh_from_db()
    # It ends where monitoring last saw it, not at the tick after deactivation.
    assert Incident.objects.get().ended_at == T0 + timedelta(minutes=1)
    assert system.state == "unknown"
    assert [c["key"] for c in events.cleared_of("uptime.down")] == ["cong-dich-vu-cong"]
