"""Air quality from stored readings: hourly averages (3 of 4 quarters), hourly VN_AQI with NowCast and daily
VN_AQI through ``city.aqi``, the official colours, the station map and who sees which station, and the IOC
alert above 150 raised and cleared by the scheduled job."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from langson.city import air, aqi
from langson.city.ingest.testing import fill, make_devices
from langson.city.models import Device
from langson.city.sun import VIETNAM_TZ
from langson.city.tasks_air import evaluate_air_quality
from langson.core.models import OrgUnit
from langson.core.services.jobs import SCHEDULES
from langson.ioc.models import Alert

pytestmark = [pytest.mark.django_db]

NOW = datetime(2026, 1, 14, 10, 25, tzinfo=VIETNAM_TZ)  # the last complete hour ends at 10:00
HOUR_END = datetime(2026, 1, 14, 10, 0, tzinfo=VIETNAM_TZ)

# Decision 1459, Table 1, as published (not read back from aqi.py): the colours the map must show.
OFFICIAL = [
    ("Tốt", "#00E400"),
    ("Trung bình", "#FFFF00"),
    ("Kém", "#FF7E00"),
    ("Xấu", "#FF0000"),
    ("Rất xấu", "#8F3F97"),
    ("Nguy hại", "#7E0023"),
]


def station(device_id: str, commune: str = "5983") -> Device:
    (device,) = make_devices([device_id], kind=Device.Type.AIR_QUALITY, commune=commune, owner="SO-NNMT")
    unit = OrgUnit.objects.get(code=commune)
    device.name = f"Trạm {device_id}"
    assert unit.latitude is not None and unit.longitude is not None  # the seeded centroid
    device.latitude, device.longitude = unit.latitude, unit.longitude
    device.save()
    return device


def figures(device: Device, now: datetime = NOW) -> air.StationAir:
    (found,) = air.station_air([device], now)
    return found


def test_hourly_index_of_the_last_complete_hour_with_nowcast():
    device = station("tram-luong-van-tri")
    fill(device.device_id, "pm25", 40.0, HOUR_END, 12)
    fill(
        device.device_id, "pm25", 400.0, HOUR_END + timedelta(hours=1), 1, minutes=(5, 20)
    )  # hour in progress
    result = figures(device)
    # NowCast of twelve equal hours is 40 µg/m³; PM2.5 40 lies between 25 (I = 50) and 50 (I = 100):
    # 50 + 50 × (40 − 25) / 25 = 80.
    assert result.hour_end == HOUR_END
    assert result.hourly.value == 80
    assert result.hourly.band is not None and result.hourly.band.name_en == "Moderate"
    assert result.hourly.dominant == aqi.Pollutant.PM25
    assert result.hourly.pollutants[aqi.Pollutant.PM25].basis == aqi.Basis.NOWCAST
    assert result.hourly_style == {"fill": "#FFFF00", "text": "#000000"}


def test_an_hour_needs_readings_in_three_of_its_quarters():
    device = station("tram-thua")
    fill(device.device_id, "pm25", 30.0, HOUR_END, 1, minutes=(5, 20))  # c1: two quarters only
    fill(device.device_id, "pm25", 30.0, HOUR_END - timedelta(hours=1), 1, minutes=(5, 20, 35))  # c2: valid
    stats = air.hourly_stats([device.device_id], ["pm25"], HOUR_END - timedelta(hours=3), HOUR_END)
    hours = stats[device.device_id, "pm25"]
    assert hours[(HOUR_END - timedelta(hours=1)).astimezone(UTC)] == air.HourStat(30.0, 2, 2)
    assert hours[(HOUR_END - timedelta(hours=2)).astimezone(UTC)] == air.HourStat(30.0, 3, 3)
    result = figures(device)
    # Only c2 of c1, c2, c3 is valid: the NowCast needs two of them (2.2.1.a), so there is no index.
    assert result.hourly.value is None
    assert result.hourly.pollutants[aqi.Pollutant.PM25].reason == aqi.Reason.NOWCAST_RECENT_HOURS
    assert result.hourly_style["fill"] == air.NO_INDEX_FILL


def test_negative_values_are_left_out_and_co_in_mg_is_converted():
    device = station("tram-co")
    device.attributes = {"unitCode": {"co": "GP"}}
    device.save()
    fill(device.device_id, "pm25", 10.0, HOUR_END, 12)
    fill(device.device_id, "co", 12.0, HOUR_END, 1)  # 12 mg/m³ = 12,000 µg/m³
    fill(device.device_id, "no2", -5.0, HOUR_END, 1)  # fails QA/QC: no NO2 this hour
    result = figures(device)
    co = result.hourly.pollutants[aqi.Pollutant.CO]
    assert co.concentration == 12_000.0 and co.value == 55  # 50 + 50 × (12,000 − 10,000) / 20,000
    assert aqi.Pollutant.NO2 not in result.hourly.pollutants
    assert result.hourly.value == 55 and result.hourly.dominant == aqi.Pollutant.CO  # PM2.5 10 gives 20


def test_daily_index_of_yesterday_reproduces_the_decision_example():
    device = station("tram-ngay")
    midnight = datetime(2026, 1, 14, 0, 0, tzinfo=VIETNAM_TZ)  # end of 13/01, the day shown on 14/01
    fill(device.device_id, "pm25", 55.7, midnight, 24)
    fill(device.device_id, "no2", 50.0, midnight, 4)
    fill(device.device_id, "no2", 130.8, midnight - timedelta(hours=4), 1)  # the day's highest hour
    fill(device.device_id, "no2", 50.0, midnight - timedelta(hours=5), 19)
    result = figures(device)
    assert result.day.isoformat() == "2026-01-13"
    # Example 3 of the decision: PM2.5 24 h 55.7 → 109.5 → 110; NO2 max 1 h 130.8 → 65.4 → 65.
    assert result.daily.pollutants[aqi.Pollutant.PM25].value == 110
    assert result.daily.pollutants[aqi.Pollutant.NO2].value == 65
    assert result.daily.value == 110
    assert result.daily.band is not None and result.daily.band.name_en == "Poor"
    assert result.daily_style == {"fill": "#FF7E00", "text": "#000000"}


@pytest.mark.parametrize(("pm25", "level"), [(10, 0), (40, 1), (60, 2), (100, 3), (200, 4), (400, 5)])
def test_official_colours_per_category(pm25, level):
    result = aqi.hourly_aqi_from_concentrations({"PM2.5": pm25})
    name, colour = OFFICIAL[level]
    assert result.band is not None and str(result.band.name) == name
    style = air.band_style(result)
    assert style["fill"] == colour
    # Dark text on the light colours, white on purple and maroon (the higher WCAG contrast).
    assert style["text"] == ("#FFFFFF" if level >= 4 else "#000000")


def test_alert_above_150_raised_once_then_cleared():
    high = station("tram-o-nhiem")
    fill(high.device_id, "pm25", 100.0, HOUR_END, 12)  # NowCast 100 → 150 + 50 × 20 / 70 = 164.3 → 164
    severe = station("tram-rat-xau", commune="6184")
    fill(severe.device_id, "pm25", 200.0, HOUR_END, 12)  # 200 + 100 × 50 / 100 = 250: "Rất xấu"
    clean = station("tram-sach", commune="5977")
    fill(clean.device_id, "pm25", 10.0, HOUR_END, 12)

    counts = air.evaluate_alerts(NOW)
    assert counts == {"stations": 3, "high": 2, "cleared": 1, "unknown": 0}
    alerts = {a.dedup_key: a for a in Alert.objects.filter(dedup_key__startswith="event:aqi.high:")}
    assert set(alerts) == {f"event:aqi.high:{high.device_id}", f"event:aqi.high:{severe.device_id}"}
    first = alerts[f"event:aqi.high:{high.device_id}"]
    assert (first.severity, first.unit.code, first.state) == ("warning", "5983", Alert.State.OPEN)
    assert "VN_AQI giờ 164 (Xấu)" in first.title and high.name in first.title
    assert alerts[f"event:aqi.high:{severe.device_id}"].severity == "critical"

    air.evaluate_alerts(NOW + timedelta(minutes=10))  # still high: the IOC keeps one live alert
    assert Alert.objects.filter(dedup_key=first.dedup_key).count() == 1

    # Thirteen hours later the air is clean again at the first station; the two others went silent.
    later_end = HOUR_END + timedelta(hours=13)
    fill(high.device_id, "pm25", 10.0, later_end, 12)
    counts = air.evaluate_alerts(later_end + timedelta(minutes=5))
    assert counts == {"stations": 3, "high": 0, "cleared": 1, "unknown": 2}
    first.refresh_from_db()
    assert first.state == Alert.State.RESOLVED
    # No data is not "fallen back": the silent station's alert stays.
    assert Alert.objects.get(dedup_key=f"event:aqi.high:{severe.device_id}").state == Alert.State.OPEN


def test_the_scheduled_job_runs_the_alerts():
    assert SCHEDULES["city.air_quality_alerts"] == ("langson.city.tasks_air.evaluate_air_quality", 600)
    device = station("tram-that")
    end = air.hour_start(datetime.now(UTC))
    fill(device.device_id, "pm25", 120.0, end, 12)  # 150 + 50 × 40 / 70 = 178.6 → 179
    assert evaluate_air_quality.call() == {"stations": 1, "high": 1, "cleared": 0, "unknown": 0}
    assert Alert.objects.get(dedup_key=f"event:aqi.high:{device.device_id}").state == Alert.State.OPEN


# --- the map page ------------------------------------------------------------------------------------


@pytest.fixture
def two_stations():
    city = station("tram-thanh-pho", commune="5983")
    border = station("tram-dong-dang", commune="6184")
    end = air.hour_start(datetime.now(UTC))
    fill(city.device_id, "pm25", 40.0, end, 12)  # 80, "Trung bình"
    fill(border.device_id, "pm25", 60.0, end, 12)  # 100 + 50 × 10 / 30 = 116.7 → 117, "Kém"
    return city, border


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_map_needs_a_login_and_is_for_officials(two_stations, make_user):
    anonymous = Client().get("/do-thi/khong-khi/")
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    citizen = make_user("nguoi.dan", "citizen")
    assert _signed_in(citizen).get("/do-thi/khong-khi/").status_code == 403


def test_province_and_departments_see_every_station_with_official_colours(two_stations, make_user):
    city, border = two_stations
    officer = make_user("can.bo.moi.truong", "department_officer", "SO-NNMT")
    page = _signed_in(officer).get("/do-thi/khong-khi/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-testid="station-marker"') == 2
    assert f'data-station="{city.device_id}" data-fill="#FFFF00"' in html
    assert f'data-station="{border.device_id}" data-fill="#FF7E00"' in html
    assert html.count("<path ") == 65  # the 65 communes and wards
    # The table says it in words too (no colour-only information).
    assert "Trung bình" in html and "Kém" in html and ">117<" in html and ">80<" in html
    for name, colour in OFFICIAL:  # the legend
        assert name in html and f'data-fill="{colour}"' in html
    leader = make_user("lanh.dao", "leader", "20")
    assert (
        _signed_in(leader).get("/do-thi/khong-khi/").content.decode().count('data-testid="station-marker"')
        == 2
    )


def test_a_commune_officer_sees_the_stations_of_the_commune(two_stations, commune_officer):
    city, border = two_stations  # commune_officer belongs to 6184 (Đồng Đăng)
    html = _signed_in(commune_officer).get("/do-thi/khong-khi/").content.decode()
    assert html.count('data-testid="station-marker"') == 1
    assert border.device_id in html and city.device_id not in html
    assert 'class="own" data-code="6184"' in html
