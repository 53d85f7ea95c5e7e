"""The city's rules: the lighting schedule against city.sun (on at sunset, off at sunrise, 50 % from 23:00
to 05:00), commands only to the lamps that differ and never twice, a technician's order respected until
the schedule moves on, lamp faults and the water alarm raised and cleared once each through the IOC
contract, and the lamps' status read in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from langson.city import commands, rules
from langson.city.ingest.store import Store
from langson.city.ingest.testing import make_devices
from langson.city.models import Command, Device, RuleCondition
from langson.city.rules import lamp_is_faulty, lamp_statuses, lighting_target, threshold_state
from langson.city.sun import LANG_SON_LATITUDE, LANG_SON_LONGITUDE, VIETNAM_TZ, is_sun_up, sun_times
from langson.core.contract import platform_event, platform_event_cleared

ON_FULL = {"powerState": "on", "dimmingLevel": 100}
ON_DIM = {"powerState": "on", "dimmingLevel": 50}
OFF = {"powerState": "off", "dimmingLevel": 0}


def _local(day: str, clock: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=VIETNAM_TZ)


def _target(moment: datetime) -> dict[str, Any]:
    return lighting_target(moment, LANG_SON_LATITUDE, LANG_SON_LONGITUDE)


# -- pure ----------------------------------------------------------------------------------------------


@pytest.mark.nodb
@pytest.mark.parametrize("day", [date(2026, 6, 21), date(2026, 12, 21)])
def test_lights_go_on_at_sunset_and_off_at_sunrise_as_city_sun_computes(day: date):
    times = sun_times(day)
    assert times.sunrise is not None and times.sunset is not None
    minute = timedelta(minutes=1)
    assert _target(times.sunset - minute) == OFF
    assert _target(times.sunset + minute) == ON_FULL
    assert times.sunrise.hour >= 5  # so the last minute of darkness is at full power again
    assert _target(times.sunrise - minute) == ON_FULL
    assert _target(times.sunrise + minute) == OFF
    # Over the whole day, the lamps are on exactly when the Sun is down.
    moment = datetime.combine(day, datetime.min.time(), tzinfo=VIETNAM_TZ)
    for _step in range(24 * 6):
        assert (_target(moment)["powerState"] == "on") is (not is_sun_up(moment))
        moment += timedelta(minutes=10)


@pytest.mark.nodb
def test_the_sunset_moves_through_the_year_and_with_the_place():
    june, december = sun_times(date(2026, 6, 21)), sun_times(date(2026, 12, 21))
    assert june.sunset is not None and december.sunset is not None
    assert (june.sunset.hour, december.sunset.hour) == (18, 17)  # 18:38 and 17:14 in Lạng Sơn
    assert _target(_local("2026-06-21", "18:00")) == OFF
    assert _target(_local("2026-12-21", "18:00")) == ON_FULL
    # The same clock time 20° further west (same time zone) is still daylight.
    assert lighting_target(_local("2026-12-21", "17:20"), 21.85, 86.76) == OFF


@pytest.mark.nodb
@pytest.mark.parametrize(
    ("day", "clock", "expected"),
    [
        ("2026-12-21", "22:59:59", ON_FULL),
        ("2026-12-21", "23:00:00", ON_DIM),
        ("2026-12-22", "00:30:00", ON_DIM),
        ("2026-12-22", "04:59:59", ON_DIM),
        ("2026-12-22", "05:00:00", ON_FULL),  # still dark in December: full again
        ("2026-12-22", "06:20:00", ON_FULL),
        ("2026-06-21", "22:59:00", ON_FULL),
        ("2026-06-21", "23:00:00", ON_DIM),
        ("2026-06-22", "04:59:00", ON_DIM),
        ("2026-06-22", "05:00:00", ON_FULL),  # sunrise 05:10 in June
        ("2026-06-22", "05:15:00", OFF),
    ],
)
def test_dimming_window_edges(day: str, clock: str, expected: dict[str, Any]):
    assert _target(_local(day, clock)) == expected
    assert _target(_local(day, clock).astimezone(UTC)) == expected  # the zone of the input does not matter


@pytest.mark.nodb
def test_a_time_without_a_zone_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        lighting_target(datetime(2026, 12, 21, 20, 0), LANG_SON_LATITUDE, LANG_SON_LONGITUDE)


@pytest.mark.nodb
@pytest.mark.parametrize(
    ("state", "watts", "rated", "faulty"),
    [
        ("on", 0.0, 120.0, True),
        ("on", 5.9, 120.0, True),  # below 5 % of 120 W
        ("on", 6.0, 120.0, False),
        ("on", 63.0, 120.0, False),  # dimmed to 50 %
        ("ON", 0.5, 120.0, True),
        ("off", 0.0, 120.0, False),
        ("on", 1.9, None, True),  # rated power unknown: below 2 W
        ("on", 2.0, None, False),
        ("on", 1.0, 0.0, True),  # a rated power of 0 is unknown too
        ("on", None, 120.0, False),  # no power reading: not a fault
        (None, 0.0, 120.0, False),
    ],
)
def test_a_lamp_on_at_almost_no_power_is_faulty(
    state: str | None, watts: float | None, rated: float | None, faulty: bool
):
    assert lamp_is_faulty(state, watts, rated) is faulty


@pytest.mark.nodb
def test_thresholds_have_a_hysteresis():
    assert threshold_state(4.01, 4.0, 0.1) is True
    assert threshold_state(4.0, 4.0, 0.1) is None  # at the limit: unchanged
    assert threshold_state(3.95, 4.0, 0.1) is None  # within the hysteresis: unchanged
    assert threshold_state(3.89, 4.0, 0.1) is False
    assert threshold_state(None, 4.0, 0.1) is None
    assert threshold_state(5.0, None, 0.1) is None


# -- with the database ---------------------------------------------------------------------------------


def _us(moment: datetime) -> int:
    return int(moment.timestamp() * 1_000_000)


def _report(device_id: str, at: datetime, **data: Any) -> None:
    """Telemetry observed at ``at``, through the ingest store (rows built directly: ``at`` may be any day)."""
    rows = [
        (device_id, name, _us(at), None, value)
        if isinstance(value, str)
        else (device_id, name, _us(at), value, "")
        for name, value in data.items()
    ]
    Store().save(rows, contacts=[device_id])


@pytest.fixture
def events() -> Iterator[dict[str, list[tuple[Any, ...]]]]:
    """What the city tells the IOC through the contract."""
    seen: dict[str, list[tuple[Any, ...]]] = {"raised": [], "cleared": []}

    def on_event(sender: str, **kwargs: Any) -> None:
        if sender == "city":
            payload = kwargs["payload"]
            seen["raised"].append((kwargs["kind"], payload["key"], kwargs["unit_code"], kwargs["severity"]))

    def on_cleared(sender: str, **kwargs: Any) -> None:
        if sender == "city":
            seen["cleared"].append((kwargs["kind"], kwargs["key"]))

    platform_event.connect(on_event, dispatch_uid="test-city-rules-event")
    platform_event_cleared.connect(on_cleared, dispatch_uid="test-city-rules-cleared")
    try:
        yield seen
    finally:
        platform_event.disconnect(dispatch_uid="test-city-rules-event")
        platform_event_cleared.disconnect(dispatch_uid="test-city-rules-cleared")


@pytest.fixture(autouse=True)
def http_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LANGSON_MQTT_COMMAND_URL", raising=False)
    commands._open_devices.forget()


def _lamps(*ids: str, rated: float | None = 120.0) -> list[Device]:
    lamps = make_devices(ids)
    for lamp in lamps:
        lamp.attributes = {"powerConsumption": rated} if rated is not None else {}
        lamp.save()
    return lamps


def _open(device_id: str) -> list[dict[str, Any]]:
    return [
        c.payload
        for c in Command.objects.filter(device__device_id=device_id, state__in=Command.OPEN_STATES).order_by(
            "id"
        )
    ]


DAY = "2026-11-20"  # sunset 17:15, sunrise 06:10 the next morning


@pytest.mark.django_db
def test_the_schedule_commands_only_the_lamps_that_differ_and_never_twice():
    _lamps("den-001", "den-002", "den-003", "den-004")
    evening = _local(DAY, "20:00")
    _report("den-001", evening - timedelta(seconds=30), powerState="off", illuminanceLevel=0.0)
    _report("den-002", evening - timedelta(seconds=30), powerState="on", illuminanceLevel=1.0)
    _report("den-004", evening - timedelta(hours=2), powerState="off")  # silent for 2 h: offline
    # den-003 never reported: nothing to compare with

    assert rules.apply_lighting_schedule(now=evening) == 1
    command = Command.objects.get()
    assert (command.device.device_id, command.payload, command.rule) == (
        "den-001",
        ON_FULL,
        "lighting.schedule",
    )
    assert command.requested_by is None
    # Every minute after: no new command while the first is on its way.
    for minutes in (1, 2, 3):
        assert rules.apply_lighting_schedule(now=evening + timedelta(minutes=minutes)) == 0
    assert Command.objects.count() == 1

    _report("den-001", evening + timedelta(minutes=3), powerState="on", illuminanceLevel=1.0)
    command.refresh_from_db()
    assert command.state == Command.State.APPLIED  # seen by the ingest store's check
    assert rules.apply_lighting_schedule(now=evening + timedelta(minutes=4)) == 0

    # 23:00: both lamps at full power are dimmed, once.
    late = _local(DAY, "23:00:30")
    for lamp in ("den-001", "den-002"):
        _report(lamp, late - timedelta(seconds=20), powerState="on", illuminanceLevel=1.0)
    assert rules.apply_lighting_schedule(now=late) == 2
    assert rules.apply_lighting_schedule(now=late + timedelta(minutes=1)) == 0
    assert _open("den-001") == _open("den-002") == [ON_DIM]


@pytest.mark.django_db
def test_an_expired_command_is_sent_again():
    _lamps("den-001")
    evening = _local(DAY, "20:00")
    _report("den-001", evening, powerState="off")
    assert rules.apply_lighting_schedule(now=evening) == 1
    later = evening + commands.COMMAND_TTL + timedelta(seconds=1)
    _report("den-001", later, powerState="off")  # the lamp did not obey
    assert commands.expire_commands(now=later) == 1
    assert rules.apply_lighting_schedule(now=later) == 1
    assert Command.objects.filter(state=Command.State.EXPIRED).count() == 1
    assert _open("den-001") == [ON_FULL]


@pytest.mark.django_db
def test_a_technician_s_order_holds_until_the_schedule_moves_on(make_user: Any):
    technician = make_user("kythuat.den", "department_officer", "SO-XD")
    lamp = _lamps("den-001")[0]
    evening = _local(DAY, "20:00")
    _report("den-001", evening, powerState="on", illuminanceLevel=1.0)
    order = commands.send_command(lamp, {"dimmingLevel": 30}, user=technician, now=evening)
    assert rules.apply_lighting_schedule(now=evening + timedelta(minutes=1)) == 0  # on its way
    _report("den-001", evening + timedelta(minutes=1), powerState="on", illuminanceLevel=0.3)
    order.refresh_from_db()
    assert order.state == Command.State.APPLIED
    for minutes in (2, 30, 170):
        _report("den-001", evening + timedelta(minutes=minutes), powerState="on", illuminanceLevel=0.3)
        assert rules.apply_lighting_schedule(now=evening + timedelta(minutes=minutes, seconds=5)) == 0
    # At 23:00 the schedule moves on (dimmed to 50 %): the rule takes over again.
    late = _local(DAY, "23:00:30")
    _report("den-001", late, powerState="on", illuminanceLevel=0.3)
    assert rules.apply_lighting_schedule(now=late) == 1
    assert _open("den-001") == [ON_DIM]


@pytest.mark.django_db
def test_a_faulty_lamp_is_raised_once_and_cleared_when_it_draws_power_or_is_switched_off(events: Any):
    _lamps("den-001", "den-002")
    _lamps("den-003", rated=None)
    now = datetime.now(UTC)
    _report("den-001", now, powerState="on", illuminanceLevel=1.0, powerConsumption=0.8)
    _report("den-002", now, powerState="on", illuminanceLevel=1.0, powerConsumption=121.0)
    _report("den-003", now, powerState="on", powerConsumption=1.2)
    rules.run_rules()
    assert sorted(events["raised"]) == [
        ("lamp.fault", "den-001", "5983", "warning"),
        ("lamp.fault", "den-003", "5983", "warning"),
    ]
    assert set(RuleCondition.objects.values_list("rule", "device_id")) == {
        ("lamp.fault", "den-001"),
        ("lamp.fault", "den-003"),
    }
    rules.run_rules()
    assert len(events["raised"]) == 2 and events["cleared"] == []  # told once, not every minute

    _report("den-001", now + timedelta(seconds=60), powerState="on", powerConsumption=118.5)  # repaired
    _report("den-003", now + timedelta(seconds=60), powerState="off", powerConsumption=0.0)  # switched off
    rules.run_rules()
    assert sorted(events["cleared"]) == [("lamp.fault", "den-001"), ("lamp.fault", "den-003")]
    assert not RuleCondition.objects.exists()
    status = {s.device_id: s for s in lamp_statuses()}
    assert not any(s.faulty for s in status.values())


@pytest.mark.django_db
def test_the_ioc_opens_and_resolves_the_lamp_fault_alert():
    """The contract end to end: the IOC turns the event into an alert of the commune, then resolves it."""
    from django.apps import apps

    alert = apps.get_model("ioc", "Alert")  # through the app registry: the city does not import the IOC
    _lamps("den-001")
    now = datetime.now(UTC)
    _report("den-001", now, powerState="on", powerConsumption=0.0)
    rules.run_rules()
    opened = alert.objects.get(dedup_key="event:lamp.fault:den-001")
    assert opened.unit.code == "5983" and opened.state == "open" and "den-001" in opened.title
    _report("den-001", now + timedelta(seconds=30), powerState="on", powerConsumption=100.0)
    rules.run_rules()
    opened.refresh_from_db()
    assert opened.state == "resolved"


@pytest.mark.django_db
def test_the_water_level_alarm_is_critical_above_the_alarm_and_clears_below_with_a_hysteresis(events: Any):
    sensors = make_devices(["muc-nuoc-001", "muc-nuoc-002"], kind=Device.Type.WATER_LEVEL, commune="6184")
    sensors[0].attributes = {"alarmHeight": 4.0}
    sensors[0].save()  # muc-nuoc-002 has no alarm level: not evaluated
    now = datetime.now(UTC)
    steps = [
        (3.8, [], []),
        (4.2, ["muc-nuoc-001"], []),
        (3.95, [], []),
        (4.3, [], []),
        (3.85, [], ["muc-nuoc-001"]),
    ]
    for index, (height, raised, cleared) in enumerate(steps):
        before = (len(events["raised"]), len(events["cleared"]))
        for sensor in ("muc-nuoc-001", "muc-nuoc-002"):
            _report(sensor, now + timedelta(seconds=index), height=height, flow=40.0)
        rules.run_rules()
        assert [e[1] for e in events["raised"][before[0] :]] == raised, height
        assert [e[1] for e in events["cleared"][before[1] :]] == cleared, height
    assert events["raised"] == [("water.level_high", "muc-nuoc-001", "6184", "critical")]


@pytest.mark.django_db
def test_a_condition_of_a_removed_device_is_cleared(events: Any):
    lamp = _lamps("den-001")[0]
    _report("den-001", datetime.now(UTC), powerState="on", powerConsumption=0.0)
    rules.run_rules()
    lamp.active = False
    lamp.save()
    rules.run_rules()
    assert events["cleared"] == [("lamp.fault", "den-001")]


@pytest.mark.django_db
def test_lamp_statuses_read_the_latest_values_in_a_fixed_number_of_queries(django_assert_num_queries: Any):
    _lamps(*(f"den-{n:03d}" for n in range(1, 4)))
    now = datetime.now(UTC)
    _report("den-001", now, powerState="on", illuminanceLevel=0.5, powerConsumption=63.0)
    _report("den-002", now, powerState="on", dimmingLevel=40, powerConsumption=0.0)
    with django_assert_num_queries(3):
        few = {s.device_id: s for s in lamp_statuses()}
    assert few["den-001"].power_state == "on" and few["den-001"].dimming_level == 50.0
    assert few["den-001"].power_w == 63.0 and not few["den-001"].faulty and few["den-001"].rated_w == 120.0
    assert few["den-002"].dimming_level == 40.0 and few["den-002"].faulty
    assert few["den-003"].power_state is None and few["den-003"].observed_at is None
    assert few["den-001"].commune_code == "5983" and few["den-001"].latitude == 21.85
    _lamps(*(f"den-{n:03d}" for n in range(4, 30)))
    with django_assert_num_queries(3):
        assert len(lamp_statuses()) == 29
    chosen = list(Device.objects.filter(device_id__in=["den-002", "den-005"]))
    assert [s.device_id for s in lamp_statuses(chosen)] == ["den-002", "den-005"]


@pytest.mark.django_db
def test_the_rules_run_every_minute_in_the_worker():
    from langson.city.tasks import run_rules_task
    from langson.core.services.jobs import SCHEDULES

    assert SCHEDULES["city.rules"] == ("langson.city.tasks.run_rules_task", 60)
    assert run_rules_task.call() == {
        "applied": 0,
        "expired": 0,
        "republished": 0,
        "lighting_commands": 0,
        "lamp_faults_raised": 0,
        "lamp_faults_cleared": 0,
        "thresholds_raised": 0,
        "thresholds_cleared": 0,
    }
