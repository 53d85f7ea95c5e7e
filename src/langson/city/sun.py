"""Sunrise, sunset and civil twilight for a date and place, in local time (street lights on at sunset).

The Sun's position uses NOAA's solar calculator equations (NOAA Global Monitoring Laboratory, "General
Solar Position Calculations" / the NOAA_Solar_Calculations_day spreadsheet, after Meeus, "Astronomical
Algorithms", 1991): mean longitude and anomaly, equation of centre, apparent longitude, obliquity with the
nutation term, declination and the equation of time. An event is the instant when the Sun's centre is at a
given altitude: −0.833° for sunrise and sunset (34′ of refraction at the horizon plus the 16′ semi-diameter,
as NOAA and almanacs use) and −6° for civil twilight. Each instant is solved by iterating on the hour angle,
so the declination and the equation of time are those of the event itself, not of noon. NOAA gives its
sunrise and sunset as accurate to about a minute between ±72° of latitude (years 1800–2100); time is UTC and
ΔT is ignored (a few thousandths of a degree of the Sun's position).

Not modelled: the observer's height and the real horizon (hills make sunrise later and sunset earlier), and
the weather: they change the light level, not the astronomy, so lighting rules should add their margins.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Final
from zoneinfo import ZoneInfo

# Lạng Sơn city (the former thành phố, now the wards Lương Văn Tri, Đông Kinh, Tam Thanh, Kỳ Lừa): its centre
# at about 21°51′N 106°46′E. A hundredth of a degree moves the times by a few seconds.
LANG_SON_LATITUDE: Final = 21.85
LANG_SON_LONGITUDE: Final = 106.76
VIETNAM_TZ: Final = ZoneInfo("Asia/Ho_Chi_Minh")

SUNRISE_ALTITUDE: Final = -0.833  # degrees of the Sun's centre when its upper limb meets the horizon
CIVIL_TWILIGHT_ALTITUDE: Final = -6.0
_ITERATIONS: Final = 4  # the Sun's coordinates barely move in an hour: 4 steps converge far below a second


class Crossing(StrEnum):
    """Whether the Sun crosses an altitude on a day (it may not, near and beyond the polar circles)."""

    NORMAL = "normal"
    ALWAYS_ABOVE = "always_above"  # polar day (or, for twilight, a night that never gets dark)
    ALWAYS_BELOW = "always_below"  # polar night


@dataclass(frozen=True)
class SunTimes:
    """The Sun on one local date at one place; datetimes are aware, in the requested time zone."""

    day: date
    latitude: float
    longitude: float
    solar_noon: datetime
    sunrise: datetime | None
    sunset: datetime | None
    civil_dawn: datetime | None  # start of civil twilight, Sun's centre at −6°
    civil_dusk: datetime | None
    sun: Crossing  # for sunrise/sunset; sunrise and sunset are None unless NORMAL
    civil_twilight: Crossing

    @property
    def day_length(self) -> timedelta:
        if self.sunrise is not None and self.sunset is not None:
            return self.sunset - self.sunrise
        return timedelta(days=1) if self.sun is Crossing.ALWAYS_ABOVE else timedelta(0)


def sun_times(
    day: date,
    latitude: float = LANG_SON_LATITUDE,
    longitude: float = LANG_SON_LONGITUDE,
    tz: tzinfo = VIETNAM_TZ,
) -> SunTimes:
    """Solar noon, sunrise, sunset and civil dawn and dusk of ``day`` (a local date in ``tz``).

    ``latitude`` is north positive, ``longitude`` east positive, both in degrees; the defaults are Lạng Sơn
    city and Asia/Ho_Chi_Minh (UTC+7, no daylight saving). The events are those around the solar noon that
    falls on ``day`` (so a sunset near a polar circle may fall after local midnight). Where the Sun does not
    cross an altitude that day, both of its events are None and ``sun`` / ``civil_twilight`` say whether it
    stayed above or below; on the few days at the polar limits when it crosses on one side of noon only, that
    side's event alone is given.
    """
    if isinstance(day, datetime) or not isinstance(day, date):
        raise TypeError(f"day must be a date (not a datetime): {day!r}")
    _check_place(latitude, longitude)
    if not isinstance(tz, tzinfo):
        raise TypeError(f"tz must be a tzinfo such as ZoneInfo('Asia/Ho_Chi_Minh'): {tz!r}")

    start = datetime.combine(day, time(12), tzinfo=tz).astimezone(UTC)
    noon = _solve(start, latitude, longitude, lambda _declination: 0.0)
    sunrise, sunset, sun = _crossings(noon, latitude, longitude, SUNRISE_ALTITUDE)
    dawn, dusk, twilight = _crossings(noon, latitude, longitude, CIVIL_TWILIGHT_ALTITUDE)

    def local(moment: datetime | None) -> datetime | None:
        return None if moment is None else moment.astimezone(tz)

    return SunTimes(
        day=day,
        latitude=latitude,
        longitude=longitude,
        solar_noon=noon.astimezone(tz),
        sunrise=local(sunrise),
        sunset=local(sunset),
        civil_dawn=local(dawn),
        civil_dusk=local(dusk),
        sun=sun,
        civil_twilight=twilight,
    )


def solar_elevation(
    moment: datetime, latitude: float = LANG_SON_LATITUDE, longitude: float = LANG_SON_LONGITUDE
) -> float:
    """Geometric elevation of the Sun's centre in degrees (no refraction) at an aware ``moment``."""
    if not isinstance(moment, datetime) or moment.utcoffset() is None:
        raise ValueError(f"moment must be a timezone-aware datetime: {moment!r}")
    _check_place(latitude, longitude)
    return _elevation_at(moment, latitude, longitude)


def is_sun_up(
    moment: datetime, latitude: float = LANG_SON_LATITUDE, longitude: float = LANG_SON_LONGITUDE
) -> bool:
    """Whether ``moment`` lies between sunrise and sunset (the Sun's centre above −0.833°).

    Street lights should be on exactly when this is False; unlike a schedule it also holds on polar days.
    """
    return solar_elevation(moment, latitude, longitude) > SUNRISE_ALTITUDE


# --- NOAA's equations --------------------------------------------------------------------------------------


def _julian_century(moment: datetime) -> float:
    # Julian day from the Unix epoch (JD 2440587.5), then centuries from J2000.0 (JD 2451545.0).
    julian_day = moment.timestamp() / 86400.0 + 2440587.5
    return (julian_day - 2451545.0) / 36525.0


def _sun(moment: datetime) -> tuple[float, float]:
    """Declination (degrees) and equation of time (minutes) of the Sun at ``moment``."""
    t = _julian_century(moment)
    mean_longitude = (280.46646 + t * (36000.76983 + 0.0003032 * t)) % 360.0
    mean_anomaly = 357.52911 + t * (35999.05029 - 0.0001537 * t)
    eccentricity = 0.016708634 - t * (0.000042037 + 0.0000001267 * t)
    m = math.radians(mean_anomaly)
    centre = (
        math.sin(m) * (1.914602 - t * (0.004817 + 0.000014 * t))
        + math.sin(2 * m) * (0.019993 - 0.000101 * t)
        + math.sin(3 * m) * 0.000289
    )
    omega = math.radians(125.04 - 1934.136 * t)
    apparent_longitude = mean_longitude + centre - 0.00569 - 0.00478 * math.sin(omega)
    mean_obliquity = 23.0 + (26.0 + (21.448 - t * (46.815 + t * (0.00059 - t * 0.001813))) / 60.0) / 60.0
    obliquity = math.radians(mean_obliquity + 0.00256 * math.cos(omega))
    declination = math.degrees(math.asin(math.sin(obliquity) * math.sin(math.radians(apparent_longitude))))
    y = math.tan(obliquity / 2) ** 2
    l0 = math.radians(mean_longitude)
    equation_of_time = 4.0 * math.degrees(
        y * math.sin(2 * l0)
        - 2 * eccentricity * math.sin(m)
        + 4 * eccentricity * y * math.sin(m) * math.cos(2 * l0)
        - 0.5 * y * y * math.sin(4 * l0)
        - 1.25 * eccentricity * eccentricity * math.sin(2 * m)
    )
    return declination, equation_of_time


def _hour_angle(moment: datetime, longitude: float, equation_of_time: float) -> float:
    """The Sun's hour angle in degrees, in [−180, 180): 0 at solar noon, negative in the morning."""
    utc = moment.astimezone(UTC)
    minutes = utc.hour * 60 + utc.minute + (utc.second + utc.microsecond / 1e6) / 60
    true_solar_time = minutes + equation_of_time + 4.0 * longitude
    return _wrap(true_solar_time / 4.0 - 180.0)


def _elevation(latitude: float, declination: float, hour_angle: float) -> float:
    phi, delta, h = (math.radians(v) for v in (latitude, declination, hour_angle))
    sine = math.sin(phi) * math.sin(delta) + math.cos(phi) * math.cos(delta) * math.cos(h)
    return math.degrees(math.asin(max(-1.0, min(1.0, sine))))


def _semi_arc(latitude: float, declination: float, altitude: float) -> float | Crossing:
    """Hour angle (degrees) at which the Sun is at ``altitude``, or how it misses it."""
    phi, delta = math.radians(latitude), math.radians(declination)
    denominator = math.cos(phi) * math.cos(delta)
    noon_elevation = 90.0 - abs(latitude - declination)
    midnight_elevation = abs(latitude + declination) - 90.0
    if denominator < 1e-12:  # at a pole the Sun's height does not change during the day
        return Crossing.ALWAYS_ABOVE if noon_elevation > altitude else Crossing.ALWAYS_BELOW
    cosine = (math.sin(math.radians(altitude)) - math.sin(phi) * math.sin(delta)) / denominator
    if cosine > 1.0 or noon_elevation <= altitude:
        return Crossing.ALWAYS_BELOW
    if cosine < -1.0 or midnight_elevation >= altitude:
        return Crossing.ALWAYS_ABOVE
    return math.degrees(math.acos(cosine))


def _solve(start: datetime, latitude: float, longitude: float, target: Callable[[float], float]) -> datetime:
    """The instant near ``start`` whose hour angle equals ``target(declination at that instant)``."""
    moment = start
    for _step in range(_ITERATIONS):
        declination, equation_of_time = _sun(moment)
        error = _wrap(_hour_angle(moment, longitude, equation_of_time) - target(declination))
        moment -= timedelta(hours=error / 15.0)  # the hour angle grows 15° an hour
    return moment


def _crossings(
    noon: datetime, latitude: float, longitude: float, altitude: float
) -> tuple[datetime | None, datetime | None, Crossing]:
    declination, _equation = _sun(noon)
    arc = _semi_arc(latitude, declination, altitude)
    if isinstance(arc, Crossing):
        return None, None, arc
    morning = _crossing(noon, latitude, longitude, altitude, arc, -1.0)
    evening = _crossing(noon, latitude, longitude, altitude, arc, 1.0)
    return morning, evening, Crossing.NORMAL


def _crossing(
    noon: datetime, latitude: float, longitude: float, altitude: float, arc: float, sign: float
) -> datetime | None:
    """The instant before (sign −1) or after (+1) ``noon`` when the Sun's centre is at ``altitude``."""

    def target(declination: float) -> float:
        found = _semi_arc(latitude, declination, altitude)
        return sign * (arc if isinstance(found, Crossing) else found)

    moment = _solve(noon + timedelta(hours=sign * arc / 15.0), latitude, longitude, target)
    if abs(_elevation_at(moment, latitude, longitude) - altitude) < 1e-4:
        return moment
    # Near the polar circles the Sun may graze the altitude and the day's change of declination decides:
    # bisect between noon and the next lower culmination, or report no crossing on this side.
    near, far = noon, noon + timedelta(hours=sign * 12.0)
    if _elevation_at(far, latitude, longitude) >= altitude:
        return None
    for _step in range(40):  # 12 h / 2^40 is far below a millisecond
        middle = near + (far - near) / 2
        if _elevation_at(middle, latitude, longitude) >= altitude:
            near = middle
        else:
            far = middle
    return near


def _elevation_at(moment: datetime, latitude: float, longitude: float) -> float:
    declination, equation_of_time = _sun(moment)
    return _elevation(latitude, declination, _hour_angle(moment, longitude, equation_of_time))


def _wrap(angle: float) -> float:
    return (angle + 180.0) % 360.0 - 180.0


def _check_place(latitude: float, longitude: float) -> None:
    for name, value, limit in (("latitude", latitude, 90.0), ("longitude", longitude, 180.0)):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"{name} must be a number of degrees: {value!r}")
        if not math.isfinite(value) or abs(value) > limit:
            raise ValueError(f"{name} must be within ±{limit:g}°: {value!r}")
