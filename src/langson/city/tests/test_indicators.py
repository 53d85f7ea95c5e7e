"""What the city publishes to the IOC, each indicator computed on a small data set checked by hand, and the
declarations discovered, stored and computed by the IOC like every app's."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from langson.city import indicators
from langson.city.ingest.testing import fill, make_devices
from langson.city.models import Device, LatestValue
from langson.city.sun import VIETNAM_TZ
from langson.core.models import OrgUnit
from langson.ioc.models import Indicator, IndicatorValue
from langson.ioc.services import contract as ioc_contract

pytestmark = [pytest.mark.django_db]

NOW = datetime(2026, 1, 14, 21, 25, tzinfo=VIETNAM_TZ)
TODAY = date(2026, 1, 14)
YESTERDAY = date(2026, 1, 13)
CITY, BORDER = "5983", "6184"  # Lương Văn Tri ward, Đồng Đăng commune


def devices(ids: list[str], kind: str, commune: str = CITY, **attributes: object) -> list[Device]:
    made = make_devices(ids, kind=kind, commune=commune)
    for device in made:
        device.attributes = dict(attributes)
        device.save()
    return made


def latest(
    device_id: str, at: datetime, *, text: str = "", value: float | None = None, attribute: str
) -> None:
    LatestValue.objects.create(
        device_id=device_id, attribute=attribute, observed_at=at, value=value, text=text
    )


def seen(device: Device, at: datetime | None) -> None:
    device.last_seen_at = at
    device.save(update_fields=["last_seen_at"])


def as_dict(values: list[tuple[date, str, float]]) -> dict[tuple[date, str], float]:
    found = {(day, place): value for day, place, value in values}
    assert len(found) == len(values)  # one value per day and place
    return found


def test_every_indicator_is_declared_completely_and_discovered_by_the_ioc():
    codes = [spec.code for spec in indicators.INDICATORS]
    assert codes == [
        "city-aqi-daily",
        "city-aqi-hourly-max",
        "city-lights-on",
        "city-lights-faulty",
        "city-lighting-energy",
        "city-parking-occupancy",
        "city-devices-offline",
    ]
    for spec in indicators.INDICATORS:
        assert spec.name and spec.name_en and spec.unit and spec.description
        assert spec.sector == "city" and spec.grain == "day" and spec.by_commune
        assert OrgUnit.objects.filter(code=spec.owner).exists()
    discovered = ioc_contract.discover()
    assert {code for code, (app, _spec) in discovered.items() if app == "city"} == set(codes)
    aqi_daily = next(s for s in indicators.INDICATORS if s.code == "city-aqi-daily")
    assert (aqi_daily.warning_above, aqi_daily.critical_above, aqi_daily.unit) == (100, 150, "VN_AQI")


def test_daily_aqi_is_the_worst_station_of_each_commune_and_of_the_province():
    a, b = devices(["tram-a", "tram-b"], Device.Type.AIR_QUALITY, CITY)
    (c,) = devices(["tram-c"], Device.Type.AIR_QUALITY, BORDER)
    end_of_yesterday = datetime(2026, 1, 14, 0, 0, tzinfo=VIETNAM_TZ)
    fill(a.device_id, "pm25", 55.7, end_of_yesterday, 24)  # 24 h mean 55.7 → 110 (the decision's example)
    fill(b.device_id, "pm25", 40.0, end_of_yesterday, 24)  # 80
    fill(c.device_id, "pm25", 10.0, end_of_yesterday, 24)  # 20
    fill(c.device_id, "pm25", 10.0, end_of_yesterday - timedelta(days=1), 24)  # the day before too: 20
    values = as_dict(indicators.aqi_daily(NOW))
    assert values == {
        (YESTERDAY, ""): 110,
        (YESTERDAY, CITY): 110,
        (YESTERDAY, BORDER): 20,
        (YESTERDAY - timedelta(days=1), ""): 20,
        (YESTERDAY - timedelta(days=1), BORDER): 20,
    }


def test_hourly_aqi_max_of_the_day():
    (a,) = devices(["tram-gio"], Device.Type.AIR_QUALITY, CITY)
    last_end = datetime(2026, 1, 14, 21, 0, tzinfo=VIETNAM_TZ)
    fill(a.device_id, "pm25", 10.0, last_end, 12)  # 09:00–21:00: NowCast 10 → 20
    fill(a.device_id, "pm25", 40.0, last_end - timedelta(hours=12), 4)  # 05:00–09:00: NowCast 40 → 80
    values = as_dict(indicators.aqi_hourly_max(NOW))
    # The highest hour of today is the hour ending 09:00 (four hours of 40: 80); nothing yesterday.
    assert values == {(TODAY, ""): 80, (TODAY, CITY): 80}


def test_lights_on_and_faulty_count_only_lamps_in_contact():
    on, dead, off = devices(["den-1", "den-2", "den-3"], Device.Type.STREETLIGHT, CITY, powerConsumption=100)
    (far,) = devices(["den-4"], Device.Type.STREETLIGHT, BORDER, powerConsumption=100)
    recent = NOW - timedelta(minutes=2)
    for lamp, state, watts in ((on, "on", 98.0), (dead, "on", 0.5), (off, "off", 0.4), (far, "on", 0.3)):
        latest(lamp.device_id, recent, text=state, attribute="powerState")
        latest(lamp.device_id, recent, value=watts, attribute="powerConsumption")
        seen(lamp, recent)
    # The border lamp went silent an hour ago: its last report ("on", 0.3 W) is not its state now.
    LatestValue.objects.filter(device_id=far.device_id).update(observed_at=NOW - timedelta(hours=1))
    seen(far, NOW - timedelta(hours=1))
    assert as_dict(indicators.lights_on(NOW)) == {(TODAY, ""): 2, (TODAY, CITY): 2, (TODAY, BORDER): 0}
    assert as_dict(indicators.lights_faulty(NOW)) == {(TODAY, ""): 1, (TODAY, CITY): 1, (TODAY, BORDER): 0}


def test_lighting_energy_integrates_power_over_the_hours_covered():
    a, b = devices(["den-a", "den-b"], Device.Type.STREETLIGHT, CITY)
    (c,) = devices(["den-c"], Device.Type.STREETLIGHT, BORDER)
    evening = datetime(2026, 1, 13, 20, 0, tzinfo=VIETNAM_TZ)
    fill(a.device_id, "powerConsumption", 100.0, evening, 2)  # 2 full hours at 100 W: 0.2 kWh
    fill(b.device_id, "powerConsumption", 60.0, evening, 1, minutes=(5, 20))  # half an hour at 60 W: 0.03
    fill(c.device_id, "powerConsumption", 150.0, datetime(2026, 1, 14, 20, 0, tzinfo=VIETNAM_TZ), 1)  # 0.15
    values = as_dict(indicators.lighting_energy(NOW))
    assert values == {
        (YESTERDAY, ""): 0.23,
        (YESTERDAY, CITY): 0.23,
        (YESTERDAY, BORDER): 0.0,
        (TODAY, ""): 0.15,
        (TODAY, CITY): 0.0,
        (TODAY, BORDER): 0.15,
    }


def test_parking_occupancy_is_the_capacity_weighted_mean_of_the_day():
    (small,) = devices(["bai-nho"], Device.Type.PARKING_LOT, CITY, totalSpotNumber=10)
    (large,) = devices(["bai-lon"], Device.Type.PARKING_LOT, CITY, totalSpotNumber=30)
    morning = datetime(2026, 1, 13, 10, 0, tzinfo=VIETNAM_TZ)
    fill(small.device_id, "occupancy", 0.4, morning, 1)  # 09:00–10:00
    fill(small.device_id, "occupancy", 0.6, morning + timedelta(hours=1), 1)  # 10:00–11:00: mean 0.5
    fill(large.device_id, "occupancy", 0.9, morning, 2)  # 0.9
    for lot in (small, large):
        latest(lot.device_id, NOW - timedelta(minutes=1), value=0.5, attribute="occupancy")
        seen(lot, NOW)
    values = as_dict(indicators.parking_occupancy(NOW))
    # (10 × 0.5 + 30 × 0.9) / 40 = 0.8
    assert values == {(YESTERDAY, ""): 80.0, (YESTERDAY, CITY): 80.0}


def test_devices_offline_by_commune():
    fresh, stale, _never = devices(["may-1", "may-2", "may-3"], Device.Type.WATER_METER, CITY)
    (border,) = devices(["may-4"], Device.Type.WATER_LEVEL, BORDER)
    seen(fresh, NOW - timedelta(minutes=5))
    seen(stale, NOW - timedelta(minutes=16))  # beyond the default 900 s
    seen(border, NOW - timedelta(minutes=16))
    border.offline_after_s = 3600  # a river gauge reporting hourly is still in contact
    border.save()
    (retired,) = devices(["may-5"], Device.Type.WATER_METER, CITY)
    retired.active = False
    retired.save()
    assert as_dict(indicators.devices_offline(NOW)) == {(TODAY, ""): 2, (TODAY, CITY): 2, (TODAY, BORDER): 0}


def test_the_ioc_stores_the_city_values():
    devices(["den-ioc"], Device.Type.STREETLIGHT, CITY)
    ioc_contract.sync_catalog()
    indicator = Indicator.objects.get(code="city-devices-offline")
    assert (indicator.owner.code, indicator.sector, indicator.by_commune) == ("SO-KHCN", "city", True)
    spec = ioc_contract.discover()["city-devices-offline"][1]
    assert ioc_contract.compute_app_indicator(indicator, spec) == 2  # province and Lương Văn Tri
    stored = dict(IndicatorValue.objects.filter(indicator=indicator).values_list("commune", "value"))
    assert stored == {"": 1.0, CITY: 1.0}  # the lamp never reported
