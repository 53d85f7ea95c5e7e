"""What the smart city publishes to the IOC: air quality, street lighting, parking and the devices' health.

Every indicator has a daily grain (a local day, Asia/Ho_Chi_Minh) and is given for the province ("") and for
each commune or ward (its GSO code) where the city has devices of that kind, zero included, so that a later
run the same day overwrites a count that has since fallen. Each run (``ioc.compute_app_indicators``, every
15 minutes) recomputes today and yesterday (the day before too for the daily VN_AQI), so late readings are
counted. Definitions:

- **VN_AQI by station → per commune.** The IOC stores one value per period and commune, and stations are
  devices added at any time (not declared in code like the border gates), so the station is folded into the
  IOC's commune dimension: a commune's value is the *highest* index among its stations, the province's the
  highest of all stations (the worst air anyone breathes there: averaging would hide a bad station; with one
  station per commune, as now, it is simply that station's index). Station by station, with the hour and the
  dominant pollutant, is the air-quality page (/do-thi/khong-khi/). Two indicators:
  ``city-aqi-daily``, the daily VN_AQI (AQI^d, Decision 1459) of complete days only (yesterday and the day
  before: today's is not a day yet), and ``city-aqi-hourly-max``, the highest hourly VN_AQI (AQI^h) of the
  day, today's so far included. Both are computed by ``city.air`` with ``city.aqi``'s functions; thresholds:
  warning above 100 (band "Kém", unhealthy for sensitive people), critical above 150 (band "Xấu"), the
  threshold of the stations' own alert ``aqi.high``.
- **Lights on, lights faulty** (from ``city.rules.lamp_statuses``): street lights reporting "on", and those
  reporting "on" with almost no power (the rule's lamp fault), counted at the time of the run among lamps in
  contact (last contact within their ``offline_after_s``: an offline lamp's last report is not its state);
  each run overwrites today's value, so a past day keeps its last count (late evening, when lamps are on).
  No thresholds: a count depends on the size of the fleet, and each faulty lamp is already an IOC event.
- **Energy used by street lighting** (kWh per day): integrated from the lamps' ``powerConsumption`` (W)
  readings, not from electricity meters: the meters of the registry are households' and the lighting
  cabinets have none yet, while every lamp reports its power. Per lamp and clock hour the database gives the
  mean power and the quarters of the hour with a report; the hour's energy is mean W × (quarters / 4) h. A
  lamp reporting throughout the hour thus counts a full hour at its mean power; one silent for half the
  hour (offline) counts half, rather than assuming what it did meanwhile (error at most a quarter hour per
  gap edge).
  Sensors report periodically (the default ``offline_after_s`` is 15 minutes). Today's value is the energy
  so far.
- **Parking occupancy** (%): the day's mean occupancy of the lots, each lot's mean of its hourly occupancy
  (``city.parking``, from its spots or its counter), weighted by the lots' capacities. Warning above 85 %
  and critical above 95 % on average over a day: lots that are full most of the day need more spaces or
  pricing (only the province value is checked by the IOC for such counts and shares).
- **Devices offline**: active devices whose last contact is older than their ``offline_after_s``, or that
  never reported, counted at the time of the run (today's value is overwritten by each run).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any, Final

from django.utils import timezone

from langson.city import air, aqi, parking
from langson.city.models import Device
from langson.city.sun import VIETNAM_TZ
from langson.core.contract import IndicatorSpec, Value

ENVIRONMENT: Final = "SO-NNMT"  # Sở Nông nghiệp và Môi trường: the air-quality network
CONSTRUCTION: Final = "SO-XD"  # Sở Xây dựng: street lighting and parking
TECHNOLOGY: Final = "SO-KHCN"  # Sở Khoa học và Công nghệ: the IoT platform and its devices
SECTOR: Final = "city"


def _today(now: datetime) -> date:
    return now.astimezone(VIETNAM_TZ).date()


def _commune_code(device: Device) -> str:
    """The GSO code the IOC keys communes by ("" for a device whose commune field is not a commune)."""
    gso = device.commune.gso_code if device.commune_id else None
    return str(gso) if gso is not None else ""


class _Tally:
    """Values per commune and for the province, zero for every commune that has a device of the kind."""

    def __init__(self, reducer: Callable[[float, float], float] = lambda a, b: a + b) -> None:
        self.reducer = reducer
        self.values: dict[tuple[date, str], float] = {}

    def touch(self, day: date, commune: str, start: float = 0.0) -> None:
        for place in {"", commune}:
            self.values.setdefault((day, place), start)

    def add(self, day: date, commune: str, value: float) -> None:
        for place in {"", commune}:
            key = (day, place)
            self.values[key] = self.reducer(self.values[key], value) if key in self.values else value

    def rows(self, digits: int = 2) -> list[Value]:
        return [(day, place, round(value, digits)) for (day, place), value in sorted(self.values.items())]


# --- air quality ---------------------------------------------------------------------------------------


def _station_hours(start: datetime, end: datetime) -> list[tuple[Device, dict[Any, dict[datetime, float]]]]:
    found = list(air.stations())
    stats = air.hourly_stats([s.device_id for s in found], air.POLLUTANT_ATTRIBUTES, start, end)
    return [(station, air.station_hours(station, stats)) for station in found]


def aqi_daily(now: datetime | None = None) -> list[Value]:
    """Highest daily VN_AQI among the stations of each commune and of the province, yesterday and the day
    before (complete days). A day without any station's index has no value."""
    now = now or timezone.now()
    yesterday = _today(now) - timedelta(days=1)
    days = [yesterday - timedelta(days=1), yesterday]
    tally = _Tally(max)
    for station, hours in _station_hours(
        air.local_midnight(days[0] - timedelta(days=1)), air.local_midnight(_today(now))
    ):
        for day in days:
            value = air.daily_index(hours, day).value
            if value is not None:
                tally.add(day, _commune_code(station), float(value))
    return tally.rows(0)


def aqi_hourly_max(now: datetime | None = None) -> list[Value]:
    """Highest hourly VN_AQI of the day (hours ending 01:00 … 00:00 the next day), today so far and yesterday,
    among the stations of each commune and of the province."""
    now = now or timezone.now()
    today = _today(now)
    last_end = air.hour_start(now)
    first_end = air.local_midnight(today - timedelta(days=1)) + air.HOUR
    tally = _Tally(max)
    for station, hours in _station_hours(first_end - aqi.NOWCAST_HOURS * air.HOUR, last_end):
        end = first_end
        while end <= last_end:
            value = air.hourly_index(hours, end).value
            if value is not None:
                day = (end - air.HOUR).astimezone(VIETNAM_TZ).date()  # the hour ending 00:00 closes the day
                tally.add(day, _commune_code(station), float(value))
            end += air.HOUR
    return tally.rows(0)


# --- street lighting -----------------------------------------------------------------------------------


def _online(device: Device, now: datetime, observed_at: datetime | None = None) -> bool:
    contacts = [t for t in (device.last_seen_at, observed_at) if t is not None]
    return bool(contacts) and (now - max(contacts)).total_seconds() <= device.offline_after_s


def _lamp_counts(pick: Callable[[Any], bool], now: datetime | None) -> list[Value]:
    from langson.city.rules import lamp_statuses

    now = now or timezone.now()
    today = _today(now)
    lamps = {
        d.device_id: d
        for d in Device.objects.filter(type=Device.Type.STREETLIGHT, active=True).select_related("commune")
    }
    tally = _Tally()
    for status in lamp_statuses(list(lamps.values())):
        device = lamps[status.device_id]
        commune = _commune_code(device)
        tally.touch(today, commune)
        if _online(device, now, status.observed_at) and pick(status):
            tally.add(today, commune, 1.0)
    return tally.rows(0)


def lights_on(now: datetime | None = None) -> list[Value]:
    """Street lights in contact reporting "on" at the time of the run."""
    return _lamp_counts(lambda s: s.power_state == "on", now)


def lights_faulty(now: datetime | None = None) -> list[Value]:
    """Street lights in contact reporting "on" with almost no power (``city.rules.lamp_is_faulty``)."""
    return _lamp_counts(lambda s: s.faulty, now)


def lighting_energy(now: datetime | None = None) -> list[Value]:
    """kWh used by the street lights each day (today so far, yesterday): Σ mean W × quarters / 4 h."""
    now = now or timezone.now()
    today = _today(now)
    start = air.local_midnight(today - timedelta(days=1))
    lamps = {
        d.device_id: d
        for d in Device.objects.filter(type=Device.Type.STREETLIGHT, active=True).select_related("commune")
    }
    stats = air.hourly_stats(lamps, ["powerConsumption"], start, now)
    tally = _Tally()
    for day in (today - timedelta(days=1), today):
        for device in lamps.values():
            tally.touch(day, _commune_code(device))
    for (device_id, _attribute), hours in stats.items():
        commune = _commune_code(lamps[device_id])
        for hour, stat in hours.items():
            kwh = stat.mean * stat.quarters / 4 / 1000
            tally.add(hour.astimezone(VIETNAM_TZ).date(), commune, kwh)
    return tally.rows(3)


# --- parking -------------------------------------------------------------------------------------------


def parking_occupancy(now: datetime | None = None) -> list[Value]:
    """The day's mean occupancy of the lots (%), weighted by capacity, today so far and yesterday."""
    now = now or timezone.now()
    today = _today(now)
    start = air.local_midnight(today - timedelta(days=1))
    weighted: dict[tuple[date, str], float] = defaultdict(float)
    weights: dict[tuple[date, str], float] = defaultdict(float)
    for lot in parking.lots():
        history = parking.hourly_history(lot, start, now, now=now)
        by_day: dict[date, list[float]] = defaultdict(list)
        for hour, share in history.items():
            by_day[hour.astimezone(VIETNAM_TZ).date()].append(share)
        capacity = float(
            parking.capacity_of(lot, lot.children.filter(type=Device.Type.PARKING_SPOT, active=True).count())
            or 1
        )
        commune = _commune_code(lot)
        for day, shares in by_day.items():
            for place in {"", commune}:
                weighted[day, place] += capacity * sum(shares) / len(shares)
                weights[day, place] += capacity
    return [
        (day, place, round(100 * weighted[day, place] / weight, 1))
        for (day, place), weight in sorted(weights.items())
        if weight
    ]


# --- devices -------------------------------------------------------------------------------------------


def devices_offline(now: datetime | None = None) -> list[Value]:
    """Active devices out of contact (or never in contact) at the time of the run."""
    now = now or timezone.now()
    today = _today(now)
    tally = _Tally()
    for device in Device.objects.filter(active=True).select_related("commune"):
        commune = _commune_code(device)
        tally.touch(today, commune)
        if not _online(device, now):
            tally.add(today, commune, 1.0)
    return tally.rows(0)


def _spec(
    code: str,
    name: str,
    name_en: str,
    unit: str,
    owner: str,
    compute: Callable[[], list[Value]],
    description: str,
    **kw: Any,
) -> IndicatorSpec:
    return IndicatorSpec(
        code=code,
        name=name,
        name_en=name_en,
        unit=unit,
        sector=SECTOR,
        grain="day",
        owner=owner,
        compute=compute,
        by_commune=True,
        description=description,
        dimensions=("commune",),
        **kw,
    )


INDICATORS = [
    _spec(
        "city-aqi-daily",
        "Chỉ số chất lượng không khí VN_AQI ngày",
        "Daily air quality index (VN_AQI)",
        "VN_AQI",
        ENVIRONMENT,
        aqi_daily,
        "VN_AQI ngày theo Quyết định 1459/QĐ-TCMT (trung bình 24 giờ của bụi, giá trị 1 giờ lớn nhất của "
        "khí, O3 theo 1 giờ và 8 giờ) của ngày đã trọn vẹn. Theo xã, phường: chỉ số cao nhất trong các trạm "
        "của xã, phường; toàn tỉnh: cao nhất trong tất cả các trạm.",
        direction="down",
        warning_above=100,
        critical_above=150,
    ),
    _spec(
        "city-aqi-hourly-max",
        "VN_AQI giờ cao nhất trong ngày",
        "Highest hourly VN_AQI of the day",
        "VN_AQI",
        ENVIRONMENT,
        aqi_hourly_max,
        "Giá trị lớn nhất trong ngày của VN_AQI giờ (NowCast cho bụi PM10, PM2.5) theo Quyết định "
        "1459/QĐ-TCMT; hôm nay tính đến giờ trọn vẹn gần nhất. Theo xã, phường: cao nhất trong các trạm của "
        "xã, phường; toàn tỉnh: cao nhất trong tất cả các trạm.",
        direction="down",
        warning_above=100,
        critical_above=150,
    ),
    _spec(
        "city-lights-on",
        "Số đèn đường đang sáng",
        "Street lights on",
        "đèn",
        CONSTRUCTION,
        lights_on,
        "Số đèn đường đang liên lạc báo trạng thái bật, đếm tại lần tính gần nhất trong ngày (đèn mất kết "
        "nối không tính).",
    ),
    _spec(
        "city-lights-faulty",
        "Số đèn đường hỏng",
        "Faulty street lights",
        "đèn",
        CONSTRUCTION,
        lights_faulty,
        "Số đèn đường đang liên lạc báo bật nhưng gần như không tiêu thụ điện (dưới 5% công suất định mức, "
        "hoặc dưới 2 W khi chưa biết công suất), đếm tại lần tính gần nhất trong ngày.",
        direction="down",
    ),
    _spec(
        "city-lighting-energy",
        "Điện năng chiếu sáng đô thị trong ngày",
        "Street lighting energy per day",
        "kWh",
        CONSTRUCTION,
        lighting_energy,
        "Tổng điện năng của các đèn đường trong ngày, tính từ công suất đèn báo về: mỗi giờ lấy công suất "
        "trung bình nhân với phần giờ có số liệu (theo từng 15 phút). Hôm nay: tính đến lúc tính.",
        direction="down",
    ),
    _spec(
        "city-parking-occupancy",
        "Tỷ lệ lấp đầy bãi đỗ xe",
        "Parking occupancy",
        "%",
        CONSTRUCTION,
        parking_occupancy,
        "Tỷ lệ lấp đầy trung bình trong ngày của các bãi đỗ xe (trung bình các giờ có số liệu của mỗi bãi, "
        "có trọng số theo sức chứa), theo cảm biến chỗ đỗ hoặc bộ đếm của bãi.",
        direction="down",
        warning_above=85,
        critical_above=95,
    ),
    _spec(
        "city-devices-offline",
        "Số thiết bị mất kết nối",
        "Devices offline",
        "thiết bị",
        TECHNOLOGY,
        devices_offline,
        "Số thiết bị đang hoạt động không liên lạc quá thời gian quy định của thiết bị (mặc định 15 phút) "
        "hoặc chưa từng liên lạc, đếm tại lần tính gần nhất trong ngày.",
        direction="down",
    ),
]
