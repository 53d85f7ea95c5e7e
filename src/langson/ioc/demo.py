"""Realistic, deterministic demo data for the Lạng Sơn IOC. Pure Python + numpy: no Django, no database.

Five datasets, each declared the way the IOC declares a ``Dataset`` (code, names, owner OrgUnit code, rhythm,
schema) and generated as rows of JSON-friendly values (ISO date strings, ints, floats, commune codes as
strings), ready for the push API or, through :func:`to_csv`, for the CSV upload connector.

How the generator works
-----------------------
Every dataset is first computed on a fixed *canvas* covering 2021-01-01 … 2027-12-31 (the years whose lunar
new-year dates are known below), with random streams seeded by ``(seed, dataset)``. ``generate`` then slices
the canvas. Hence a given day has the same values whatever range is asked for, the same seed always gives the
same rows, and a whole canvas costs a few tens of milliseconds (numpy, vectorised; canvases are cached).

Honesty about magnitudes
------------------------
No official series were available for any of these datasets. Every base magnitude below is an **estimate**
chosen to be plausible for a northern mountain border province of ~0.88 million people; each one says so.
Only the calendar facts are facts: the lunar new-year dates 2021–2027 and the 65 post-2025 commune codes
(GSO codes from ``vietnam-provinces`` 2025.10.1, see ``langson-units.md``). Earlier years are back-filled on
the 65 post-2025 units as if they had existed then; the 2021–2022 pandemic disruptions are not modelled.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Final

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

# ----------------------------------------------------------------------------------------------------
# Calendar facts
# ----------------------------------------------------------------------------------------------------

# First day of the lunar new year (mùng 1 Tết) — the only years the demo covers.
NGAY_TET: Final[dict[int, dt.date]] = {
    2021: dt.date(2021, 2, 12),
    2022: dt.date(2022, 2, 1),
    2023: dt.date(2023, 1, 22),
    2024: dt.date(2024, 2, 10),
    2025: dt.date(2025, 1, 29),
    2026: dt.date(2026, 2, 17),
    2027: dt.date(2027, 2, 6),
}
FIRST_DAY: Final = dt.date(2021, 1, 1)
LAST_DAY: Final = dt.date(2027, 12, 31)
BASE_YEAR: Final = 2025  # magnitudes below are stated for 2025; growth rates scale other years

# The 65 communes and wards of Lạng Sơn after 01/07/2025 (GSO codes, langson-units.md §2).
DON_VI_HANH_CHINH: Final[tuple[tuple[str, str], ...]] = (
    ("5977", "Phường Đông Kinh"),
    ("5983", "Phường Lương Văn Tri"),
    ("5986", "Phường Tam Thanh"),
    ("6001", "Xã Đoàn Kết"),
    ("6016", "Xã Quốc Khánh"),
    ("6019", "Xã Tân Tiến"),
    ("6037", "Xã Kháng Chiến"),
    ("6040", "Xã Thất Khê"),
    ("6046", "Xã Tràng Định"),
    ("6058", "Xã Quốc Việt"),
    ("6073", "Xã Hoa Thám"),
    ("6076", "Xã Quý Hòa"),
    ("6079", "Xã Hồng Phong"),
    ("6085", "Xã Thiện Hòa"),
    ("6091", "Xã Thiện Thuật"),
    ("6103", "Xã Thiện Long"),
    ("6112", "Xã Bình Gia"),
    ("6115", "Xã Tân Văn"),
    ("6148", "Xã Thụy Hùng"),
    ("6151", "Xã Hội Hoan"),
    ("6154", "Xã Văn Lãng"),
    ("6172", "Xã Hoàng Văn Thụ"),
    ("6184", "Xã Đồng Đăng"),
    ("6187", "Phường Kỳ Lừa"),
    ("6193", "Xã Cao Lộc"),
    ("6202", "Xã Ba Sơn"),
    ("6214", "Xã Na Sầm"),
    ("6220", "Xã Công Sơn"),
    ("6253", "Xã Văn Quan"),
    ("6280", "Xã Điềm He"),
    ("6286", "Xã Khánh Khê"),
    ("6298", "Xã Yên Phúc"),
    ("6313", "Xã Tri Lễ"),
    ("6316", "Xã Tân Đoàn"),
    ("6325", "Xã Bắc Sơn"),
    ("6337", "Xã Tân Tri"),
    ("6349", "Xã Hưng Vũ"),
    ("6364", "Xã Vũ Lễ"),
    ("6367", "Xã Vũ Lăng"),
    ("6376", "Xã Nhất Hòa"),
    ("6385", "Xã Hữu Lũng"),
    ("6391", "Xã Yên Bình"),
    ("6400", "Xã Hữu Liên"),
    ("6415", "Xã Vân Nham"),
    ("6421", "Xã Thiện Tân"),
    ("6427", "Xã Cai Kinh"),
    ("6445", "Xã Tân Thành"),
    ("6457", "Xã Tuấn Sơn"),
    ("6463", "Xã Chi Lăng"),
    ("6475", "Xã Bằng Mạc"),
    ("6481", "Xã Chiến Thắng"),
    ("6496", "Xã Nhân Lý"),
    ("6505", "Xã Vạn Linh"),
    ("6517", "Xã Quan Sơn"),
    ("6526", "Xã Na Dương"),
    ("6529", "Xã Lộc Bình"),
    ("6541", "Xã Mẫu Sơn"),
    ("6565", "Xã Khuất Xá"),
    ("6577", "Xã Thống Nhất"),
    ("6601", "Xã Lợi Bác"),
    ("6607", "Xã Xuân Dương"),
    ("6613", "Xã Đình Lập"),
    ("6616", "Xã Thái Bình"),
    ("6625", "Xã Kiên Mộc"),
    ("6637", "Xã Châu Sơn"),
)
MA_XA: Final[tuple[str, ...]] = tuple(code for code, _ in DON_VI_HANH_CHINH)
MA_PHUONG: Final[frozenset[str]] = frozenset({"5977", "5983", "5986", "6187"})  # the four urban wards

# ----------------------------------------------------------------------------------------------------
# Domain tables (names are data, in Vietnamese; magnitudes are estimates unless a comment says otherwise)
# ----------------------------------------------------------------------------------------------------

# Tourist sites: (name, commune code, ordinary-month visitors in 2025 [estimate], foreign share [estimate],
# festival-season weight, winter weight).
# Communes: Động Tam Thanh / Nhị Thanh are in Phường Tam Thanh; Thành nhà Mạc sits by them (approximate).
# Markets and places named after a unit are mapped to that unit (approximate where the site spans several
# communes, e.g. the Mẫu Sơn massif, the Chi Lăng pass, the Bắc Sơn valley).
DIEM_DU_LICH: Final[tuple[tuple[str, str, int, float, float, float], ...]] = (
    ("Động Tam Thanh", "5986", 25_000, 0.03, 1.0, 1.0),
    ("Động Nhị Thanh", "5986", 12_000, 0.03, 1.0, 1.0),
    ("Thành nhà Mạc", "5986", 6_000, 0.02, 0.8, 1.0),  # commune approximate
    ("Chợ Đông Kinh", "5977", 45_000, 0.08, 0.9, 1.0),
    ("Chợ Kỳ Lừa", "6187", 30_000, 0.05, 0.9, 1.0),
    ("Mẫu Sơn", "6541", 15_000, 0.02, 0.8, 1.6),  # commune approximate; frost/snow visitors in Dec–Jan
    ("Ải Chi Lăng", "6463", 5_000, 0.01, 0.8, 1.0),  # commune approximate
    ("Đền Mẫu Đồng Đăng", "6184", 15_000, 0.03, 1.8, 1.0),  # spring-festival temple: strongest Tết season
    ("Cửa khẩu Hữu Nghị", "6184", 20_000, 0.12, 0.6, 1.0),  # border-gate landmark, many Chinese visitors
    ("Thung lũng Bắc Sơn", "6325", 8_000, 0.02, 0.6, 1.0),  # commune approximate
    ("Khu bảo tồn thiên nhiên Hữu Liên", "6400", 3_000, 0.02, 0.5, 0.8),  # commune approximate
)
# Monthly seasonal factor for tourism outside the Tết festival window (estimate): summer holidays Jun–Aug.
MUA_DU_LICH: Final = np.array([0.9, 0.9, 0.95, 1.0, 1.0, 1.35, 1.45, 1.35, 0.9, 0.9, 0.85, 0.85])
TANG_TRUONG_DU_LICH: Final = 0.08  # ~8 %/year (brief)
LE_HOI_TET: Final = (-2, 15)  # festival window in days around mùng 1 Tết (spring festivals), estimate
CONG_THEM_LE_HOI: Final = 1.1  # extra daily factor inside the window, times the site's festival weight

# Border gates: (gate, direction, trucks/day on an ordinary weekday of 2025) — ALL ESTIMATES. Hữu Nghị is the
# largest (order of 1,000–1,500 trucks/day both directions), Tân Thanh second (border trade, fruit exports),
# Chi Ma and Cốc Nam far smaller.
CUA_KHAU: Final[tuple[str, ...]] = ("Hữu Nghị", "Tân Thanh", "Chi Ma", "Cốc Nam")
HUONG: Final[tuple[str, ...]] = ("xuất", "nhập")
XE_MOI_NGAY: Final[dict[tuple[str, str], float]] = {
    ("Hữu Nghị", "xuất"): 700.0,
    ("Hữu Nghị", "nhập"): 550.0,
    ("Tân Thanh", "xuất"): 450.0,
    ("Tân Thanh", "nhập"): 200.0,
    ("Chi Ma", "xuất"): 120.0,
    ("Chi Ma", "nhập"): 80.0,
    ("Cốc Nam", "xuất"): 60.0,
    ("Cốc Nam", "nhập"): 40.0,
}
HE_SO_THU_XE: Final = np.array([1.02, 1.03, 1.03, 1.02, 1.0, 0.88, 0.55])  # Mon..Sun (estimate)
TANG_TRUONG_XE: Final = 0.04  # %/year, estimate
# Tết at the gates (estimate): a pre-holiday rush, about a week almost closed, then a gradual restart.
TET_CUA_KHAU: Final[tuple[tuple[int, int, float], ...]] = (
    (-7, -3, 1.15),
    (-2, 4, 0.01),  # "the Tết week": near zero
    (5, 9, 0.45),
    (10, 14, 0.8),
)

# Schools: ~200,000 pupils, pre-school to upper secondary, province-wide (≈ 22 % of the people): estimate.
SI_SO_PHUONG: Final = 9_000  # median pupils per urban ward, estimate
SI_SO_XA: Final = 2_500  # median pupils per rural commune, estimate
NGHI_TET_TRUONG: Final = (-6, 7)  # Tết school break around mùng 1 (≈ 2 weeks; set yearly by the province)

# Health stations: outpatient visits per day at the commune/ward health station, weekday of 2025 (estimate).
KHAM_PHUONG: Final = 55.0
KHAM_XA: Final = 30.0
HE_SO_THU_KHAM: Final = np.array([1.1, 1.0, 1.0, 1.0, 0.95, 0.6, 0.35])  # Mon..Sun (estimate)
TANG_TRUONG_KHAM: Final = 0.02  # %/year, estimate

# Air-quality stations (demo labels, not official station names): (name, commune code, annual median PM2.5
# µg/m³, PM10/PM2.5 ratio) — estimates for a northern mountain province: ~15 µg/m³ in summer, 35–45 in winter,
# winter episodes 70–120; the Đồng Đăng station sees truck traffic and road dust (higher PM10 share).
TRAM_QUAN_TRAC: Final[tuple[tuple[str, str, float, float], ...]] = (
    ("Trạm Lương Văn Tri", "5983", 22.0, 1.55),
    ("Trạm Đông Kinh", "5977", 24.0, 1.6),
    ("Trạm Đồng Đăng", "6184", 26.0, 1.85),
)
# Log-factor of PM2.5 by local hour (estimate): morning (7–8 h) and evening (18–20 h) rush, night inversion.
NHIP_NGAY_PM: Final = np.array(
    [0.08, 0.04, 0.0, -0.04, -0.02, 0.06, 0.2, 0.3, 0.26, 0.1, -0.05, -0.15,
     -0.2, -0.22, -0.2, -0.12, 0.0, 0.14, 0.3, 0.32, 0.25, 0.18, 0.14, 0.1]
)  # fmt: skip

# ----------------------------------------------------------------------------------------------------
# Dataset declarations
# ----------------------------------------------------------------------------------------------------


def _col(name: str, kind: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": kind, "required": True, **extra}


DEMO_DATASETS: Final[list[dict[str, Any]]] = [
    {
        "code": "tourism-visits",
        "name": "Lượt khách tham quan theo điểm du lịch (tháng)",
        "name_en": "Monthly visits by tourist site",
        "owner": "SO-VHTTDL",
        "expected_every_hours": 24 * 31,
        "schema": {
            "columns": [
                _col("month", "date"),
                _col("site", "string", choices=[s[0] for s in DIEM_DU_LICH]),
                _col("commune_code", "commune"),
                _col("visitors", "integer", min=0),
                _col("of_which_foreign", "integer", min=0),
            ],
            "key": ["month", "site"],
            "time_column": "month",
        },
    },
    {
        "code": "border-trucks",
        "name": "Lượt xe hàng qua cửa khẩu theo ngày",
        "name_en": "Daily trucks by border gate and direction",
        "owner": "BQL-KKT",
        "expected_every_hours": 24,
        "schema": {
            "columns": [
                _col("date", "date"),
                _col("gate", "string", choices=list(CUA_KHAU)),
                _col("direction", "string", choices=list(HUONG)),
                _col("trucks", "integer", min=0),
            ],
            "key": ["date", "gate", "direction"],
            "time_column": "date",
        },
    },
    {
        "code": "school-attendance",
        "name": "Tỷ lệ chuyên cần học sinh theo xã, phường (ngày học)",
        "name_en": "Daily school attendance by commune",
        "owner": "SO-GDDT",
        "expected_every_hours": 24,
        "schema": {
            "columns": [
                _col("date", "date"),
                _col("commune_code", "commune"),
                _col("enrolled", "integer", min=0),
                _col("present", "integer", min=0),
                _col("rate", "number", min=0, max=1),
            ],
            "key": ["date", "commune_code"],
            "time_column": "date",
        },
    },
    {
        "code": "health-visits",
        "name": "Lượt khám ngoại trú tại trạm y tế xã, phường (ngày)",
        "name_en": "Daily outpatient visits at commune health stations",
        "owner": "SO-YT",
        "expected_every_hours": 24,
        "schema": {
            "columns": [
                _col("date", "date"),
                _col("commune_code", "commune"),
                _col("visits", "integer", min=0),
                _col("of_which_children", "integer", min=0),
            ],
            "key": ["date", "commune_code"],
            "time_column": "date",
        },
    },
    {
        "code": "air-quality",
        "name": "Bụi mịn PM2.5, PM10 theo giờ tại trạm quan trắc tự động",
        "name_en": "Hourly PM2.5 and PM10 at automatic monitoring stations",
        "owner": "SO-NNMT",
        "expected_every_hours": 1,
        "schema": {
            "columns": [
                _col("datetime", "datetime"),
                _col("station", "string", choices=[t[0] for t in TRAM_QUAN_TRAC]),
                _col("commune_code", "commune"),
                _col("pm25", "number", min=0),
                _col("pm10", "number", min=0),
            ],
            "key": ["datetime", "station"],
            "time_column": "datetime",
        },
    },
]
_BY_CODE: Final[dict[str, dict[str, Any]]] = {d["code"]: d for d in DEMO_DATASETS}
_SALT: Final[dict[str, int]] = {code: i + 1 for i, code in enumerate(_BY_CODE)}


def dataset(code: str) -> dict[str, Any]:
    """The declaration of one demo dataset; ValueError for an unknown code."""
    try:
        return _BY_CODE[code]
    except KeyError:
        raise ValueError(f"Unknown demo dataset {code!r}; known: {', '.join(_BY_CODE)}") from None


def column_names(code: str) -> list[str]:
    return [c["name"] for c in dataset(code)["schema"]["columns"]]


# ----------------------------------------------------------------------------------------------------
# Calendar canvas
# ----------------------------------------------------------------------------------------------------

_DAYS: Final = np.arange(np.datetime64(FIRST_DAY, "D"), np.datetime64(LAST_DAY, "D") + 1)
_N_DAYS: Final = len(_DAYS)


def _calendar() -> dict[str, IntArray]:
    years = _DAYS.astype("datetime64[Y]").astype(np.int64) + 1970
    months = _DAYS.astype("datetime64[M]").astype(np.int64) % 12 + 1
    days = (_DAYS - _DAYS.astype("datetime64[M]")).astype(np.int64) + 1
    doy = (_DAYS - _DAYS.astype("datetime64[Y]")).astype(np.int64) + 1
    weekday = (_DAYS.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
    tet = np.array([np.datetime64(d, "D").astype(np.int64) for d in NGAY_TET.values()])
    day_numbers = _DAYS.astype(np.int64)
    nearest = np.abs(day_numbers[:, None] - tet[None, :]).argmin(axis=1)
    tet_offset = day_numbers - tet[nearest]  # days since (or, negative, before) the nearest mùng 1 Tết
    return {
        "year": years,
        "month": months,
        "day": days,
        "doy": doy,
        "weekday": weekday,
        "tet_offset": tet_offset,
    }


_CAL: Final = _calendar()


def _between(values: IntArray, low: int, high: int) -> BoolArray:
    return (values >= low) & (values <= high)


def _years_since_base(cal: dict[str, IntArray]) -> FloatArray:
    return (cal["year"] - BASE_YEAR + (cal["doy"] - 1) / 365.25).astype(np.float64)


def _bump(doy: IntArray, centre: float, half_width: float) -> FloatArray:
    """Smooth seasonal bump in 0..1 (cos² window), circular over the year."""
    distance = np.abs(((doy - centre + 182.6) % 365.25) - 182.6)
    shape = np.cos(np.pi * np.minimum(distance, half_width) / (2 * half_width)) ** 2
    return shape.astype(np.float64)


def _smooth_noise(rng: np.random.Generator, length: int, series: int, tau: float) -> FloatArray:
    """Unit-variance noise with memory ``tau`` steps (exponential kernel ≈ AR(1)), shape (length, series)."""
    width = max(1, int(5 * tau))
    kernel = np.exp(-np.arange(width) / tau)
    kernel /= np.sqrt((kernel**2).sum())
    white = rng.standard_normal((length + width - 1, series))
    out = np.empty((length, series))
    for j in range(series):
        out[:, j] = np.convolve(white[:, j], kernel, mode="valid")
    return out


def _rng(code: str, seed: int, part: int) -> np.random.Generator:
    return np.random.default_rng([seed, _SALT[code], part])


def _holiday_mask(cal: dict[str, IntArray]) -> BoolArray:
    """Solar public holidays: 1/1, 30/4, 1/5, 2/9 (the lunar Hùng Kings day is not modelled)."""
    m, d = cal["month"], cal["day"]
    return ((m == 1) & (d == 1)) | ((m == 4) & (d == 30)) | ((m == 5) & (d == 1)) | ((m == 9) & (d == 2))


# ----------------------------------------------------------------------------------------------------
# Canvases (whole 2021–2027 span per dataset and seed)
# ----------------------------------------------------------------------------------------------------


@lru_cache(maxsize=32)
def _tourism(seed: int) -> tuple[IntArray, IntArray]:
    """(visitors, foreign), shape (84 months, sites)."""
    cal = _CAL
    month_index = (cal["year"] - FIRST_DAY.year) * 12 + cal["month"] - 1
    n_months = int(month_index[-1]) + 1
    days_in_month = np.bincount(month_index, minlength=n_months).astype(np.float64)
    festival = _between(cal["tet_offset"], *LE_HOI_TET).astype(np.float64)
    festival_share = np.bincount(month_index, weights=festival, minlength=n_months) / days_in_month
    winter = np.isin(cal["month"], (12, 1)).astype(np.float64)
    winter_share = np.bincount(month_index, weights=winter, minlength=n_months) / days_in_month
    month_of_year = np.arange(n_months) % 12
    years = np.arange(n_months) // 12 + FIRST_DAY.year - BASE_YEAR + month_of_year / 12
    growth = (1 + TANG_TRUONG_DU_LICH) ** years
    rng = _rng("tourism-visits", seed, 0)
    noise = np.exp(rng.normal(0.0, 0.07, (n_months, len(DIEM_DU_LICH))))
    visitors = np.empty((n_months, len(DIEM_DU_LICH)), dtype=np.int64)
    foreign = np.empty_like(visitors)
    for j, (_, _, base, share, festival_weight, winter_weight) in enumerate(DIEM_DU_LICH):
        season = MUA_DU_LICH[month_of_year] * (1 + (winter_weight - 1) * winter_share)
        season = season + CONG_THEM_LE_HOI * festival_weight * festival_share
        visitors[:, j] = np.rint(base * season * growth * noise[:, j]).astype(np.int64)
        shares = np.clip(share * np.exp(rng.normal(0.0, 0.15, n_months)), 0.0, 1.0)
        foreign[:, j] = rng.binomial(visitors[:, j], shares)
    return visitors, foreign


@lru_cache(maxsize=32)
def _border(seed: int) -> IntArray:
    """Trucks, shape (days, gate × direction) in the order of ``XE_MOI_NGAY``."""
    cal = _CAL
    pairs = list(XE_MOI_NGAY)
    base = np.array([XE_MOI_NGAY[p] for p in pairs])
    is_export = np.array([direction == "xuất" for _, direction in pairs])
    weekday = HE_SO_THU_XE[cal["weekday"]]
    fruit = 1 + 0.45 * _bump(cal["doy"], centre=182.0, half_width=70.0)  # May–Aug fruit exports (estimate)
    tet = np.ones(_N_DAYS)
    for low, high, factor in TET_CUA_KHAU:
        tet[_between(cal["tet_offset"], low, high)] = factor
    growth = (1 + TANG_TRUONG_XE) ** _years_since_base(cal)
    common = weekday * tet * growth  # day factor shared by every series
    season = np.where(is_export[None, :], fruit[:, None], 1.0)
    rng = _rng("border-trucks", seed, 0)
    noise = np.exp(0.1 * _smooth_noise(rng, _N_DAYS, len(pairs), tau=3.0) + rng.normal(0, 0.05, (_N_DAYS, 1)))
    lam = base[None, :] * common[:, None] * season * noise
    return rng.poisson(lam).astype(np.int64)


def _school_days(cal: dict[str, IntArray]) -> BoolArray:
    m, d = cal["month"], cal["day"]
    in_year = ((m >= 9) & ~((m == 9) & (d < 5))) | (m <= 5)  # 5 September … 31 May
    weekday = cal["weekday"] < 5
    tet_break = _between(cal["tet_offset"], *NGHI_TET_TRUONG)
    return in_year & weekday & ~tet_break & ~_holiday_mask(cal)


@lru_cache(maxsize=32)
def _school(seed: int) -> tuple[BoolArray, IntArray, IntArray]:
    """(school-day mask, enrolled, present), the arrays shaped (days, communes)."""
    cal = _CAL
    rng = _rng("school-attendance", seed, 0)
    n = len(MA_XA)
    is_ward = np.array([code in MA_PHUONG for code in MA_XA])
    median = np.where(is_ward, SI_SO_PHUONG, SI_SO_XA)
    base = median * np.exp(rng.normal(0.0, 0.35, n))
    # Enrolment is fixed within a school year (starting in September) and drifts a little between years.
    school_year = cal["year"] - (cal["month"] < 9) - (FIRST_DAY.year - 1)  # 0 for 2020-21 … 7 for 2027-28
    drift = np.exp(np.cumsum(rng.normal(0.01, 0.015, (8, n)), axis=0))
    enrolled = np.rint(base[None, :] * drift[school_year]).astype(np.int64)
    # Attendance probability: ~96–97 % in wards, lower in remote communes; dips in winter cold spells,
    # right after Tết and on Mondays (all estimates).
    remoteness = np.where(is_ward, 0.0, rng.uniform(0.0, 1.0, n))
    p_commune = 0.972 - 0.025 * remoteness
    winter = _bump(cal["doy"], centre=20.0, half_width=50.0)
    cold_spell = (rng.uniform(size=_N_DAYS) < 0.06 * winter) * rng.uniform(0.02, 0.08, _N_DAYS)
    after_tet = _between(cal["tet_offset"], NGHI_TET_TRUONG[1] + 1, NGHI_TET_TRUONG[1] + 7) * 0.02
    monday = (cal["weekday"] == 0) * 0.004
    province_day = 0.004 * _smooth_noise(rng, _N_DAYS, 1, tau=2.0)[:, 0]
    day_effect = -0.012 * winter - after_tet - monday + province_day
    cold_exposure = 0.5 + remoteness  # remote highland communes feel cold spells more
    p = (
        p_commune[None, :]
        + day_effect[:, None]
        - cold_spell[:, None] * cold_exposure[None, :]
        + rng.normal(0.0, 0.006, (_N_DAYS, n))
    )
    present = rng.binomial(enrolled, np.clip(p, 0.5, 0.995)).astype(np.int64)
    return _school_days(cal), enrolled, present


@lru_cache(maxsize=32)
def _health(seed: int) -> tuple[IntArray, IntArray]:
    """(visits, of which children), shape (days, communes)."""
    cal = _CAL
    rng = _rng("health-visits", seed, 0)
    n = len(MA_XA)
    is_ward = np.array([code in MA_PHUONG for code in MA_XA])
    base = np.where(is_ward, KHAM_PHUONG, KHAM_XA) * np.exp(rng.normal(0.0, 0.3, n))
    respiratory = _bump(cal["doy"], centre=15.0, half_width=75.0)  # winter respiratory season (Nov–Mar)
    tet = np.ones(_N_DAYS)
    tet[_between(cal["tet_offset"], -1, 3)] = 0.3
    tet[_between(cal["tet_offset"], 4, 6)] = 0.8
    holiday = np.where(_holiday_mask(cal), 0.4, 1.0)
    growth = (1 + TANG_TRUONG_KHAM) ** _years_since_base(cal)
    waves = np.exp(0.08 * _smooth_noise(rng, _N_DAYS, 1, tau=10.0)[:, 0])  # province-wide epidemic waves
    day = HE_SO_THU_KHAM[cal["weekday"]] * (1 + 0.25 * respiratory) * tet * holiday * growth * waves
    local = np.exp(0.08 * _smooth_noise(rng, _N_DAYS, n, tau=4.0))
    visits = rng.poisson(base[None, :] * day[:, None] * local).astype(np.int64)
    p_child = np.clip(0.25 + 0.08 * respiratory + rng.normal(0.0, 0.02, _N_DAYS), 0.05, 0.6)
    children = rng.binomial(visits, p_child[:, None]).astype(np.int64)
    return visits, children


@lru_cache(maxsize=32)
def _air(seed: int) -> tuple[FloatArray, FloatArray]:
    """(pm25, pm10) in µg/m³, shape (hours, stations); hour 0 = 2021-01-01 00:00 local time."""
    cal = _CAL
    rng = _rng("air-quality", seed, 0)
    n = len(TRAM_QUAN_TRAC)
    hours = _N_DAYS * 24
    day_of_hour = np.repeat(np.arange(_N_DAYS), 24)
    hour = np.tile(np.arange(24), _N_DAYS)
    doy = cal["doy"][day_of_hour]
    # Winter high (dry season, inversions), spring biomass-burning bump (March), rainy summer clean: estimate.
    season = 0.45 * np.cos(2 * np.pi * (doy - 15) / 365.25) + 0.15 * _bump(doy, centre=75.0, half_width=30.0)
    winter = _bump(doy, centre=15.0, half_width=90.0)
    diurnal = NHIP_NGAY_PM[hour] * (1 + 0.4 * winter)
    weekday = np.where(cal["weekday"][day_of_hour] == 6, -0.05, 0.0)
    regional = 0.3 * _smooth_noise(rng, _N_DAYS, 1, tau=2.5)[:, 0]  # weather regimes shared by stations
    local_day = 0.12 * _smooth_noise(rng, _N_DAYS, n, tau=2.0)
    hourly = 0.2 * _smooth_noise(rng, hours, n, tau=3.0)
    median = np.array([t[2] for t in TRAM_QUAN_TRAC])
    log_pm25 = (
        np.log(median)[None, :]
        + (season + diurnal + weekday + regional[day_of_hour])[:, None]
        + local_day[day_of_hour]
        + hourly
    )
    pm25 = np.round(np.clip(np.exp(log_pm25), 2.0, 350.0), 1)
    ratio = np.array([t[3] for t in TRAM_QUAN_TRAC])[None, :] * np.exp(rng.normal(0.0, 0.08, (hours, n)))
    pm10 = np.round(pm25 * np.clip(ratio, 1.15, 3.0), 1)
    return pm25, pm10


# ----------------------------------------------------------------------------------------------------
# Public API
# ----------------------------------------------------------------------------------------------------


def _as_date(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def generate(dataset_code: str, start: dt.date, end: dt.date, *, seed: int = 2025) -> list[dict[str, Any]]:
    """Rows of one demo dataset for ``start`` … ``end`` (both inclusive), deterministic for ``seed``.

    Rows are those whose time column falls in the range (for monthly tourism: months whose first day does),
    ordered by time then by the other key columns. Values are JSON-friendly: ISO dates ("2025-03-01"),
    ISO date-times with the +07:00 offset, ints, floats, commune codes as strings.
    ValueError for an unknown dataset, ``start > end``, or dates outside 2021-01-01 … 2027-12-31.
    """
    dataset(dataset_code)
    start, end = _as_date(start), _as_date(end)
    if start > end:
        raise ValueError(f"start {start} is after end {end}")
    if start < FIRST_DAY or end > LAST_DAY:
        raise ValueError(f"demo data covers {FIRST_DAY} … {LAST_DAY} (known lunar new-year dates) only")
    first = (start - FIRST_DAY).days
    last = (end - FIRST_DAY).days  # inclusive day indices on the canvas
    dates = np.datetime_as_string(_DAYS[first : last + 1], unit="D").tolist()
    if dataset_code == "tourism-visits":
        return _tourism_rows(start, end, seed)
    if dataset_code == "border-trucks":
        trucks = _border(seed)[first : last + 1].tolist()
        pairs = list(XE_MOI_NGAY)
        return [
            {"date": day, "gate": gate, "direction": direction, "trucks": count}
            for day, counts in zip(dates, trucks, strict=True)
            for (gate, direction), count in zip(pairs, counts, strict=True)
        ]
    if dataset_code == "school-attendance":
        mask, enrolled, present = _school(seed)
        rows: list[dict[str, Any]] = []
        for i in np.flatnonzero(mask[first : last + 1]).tolist():
            day = dates[i]
            for code, total, here in zip(
                MA_XA, enrolled[first + i].tolist(), present[first + i].tolist(), strict=True
            ):
                rows.append(
                    {
                        "date": day,
                        "commune_code": code,
                        "enrolled": total,
                        "present": here,
                        "rate": round(here / total, 4) if total else 0.0,
                    }
                )
        return rows
    if dataset_code == "health-visits":
        visits, children = _health(seed)
        return [
            {"date": day, "commune_code": code, "visits": count, "of_which_children": kids}
            for day, counts, kids_row in zip(
                dates, visits[first : last + 1].tolist(), children[first : last + 1].tolist(), strict=True
            )
            for code, count, kids in zip(MA_XA, counts, kids_row, strict=True)
        ]
    pm25, pm10 = _air(seed)
    hours = slice(first * 24, (last + 1) * 24)
    stamps = np.datetime_as_string(
        np.datetime64(FIRST_DAY, "h") + np.arange(hours.start, hours.stop), unit="s"
    ).tolist()
    stations = [(name, code) for name, code, _, _ in TRAM_QUAN_TRAC]
    return [
        {"datetime": f"{stamp}+07:00", "station": name, "commune_code": code, "pm25": fine, "pm10": coarse}
        for stamp, fine_row, coarse_row in zip(
            stamps, pm25[hours].tolist(), pm10[hours].tolist(), strict=True
        )
        for (name, code), fine, coarse in zip(stations, fine_row, coarse_row, strict=True)
    ]


def _tourism_rows(start: dt.date, end: dt.date, seed: int) -> list[dict[str, Any]]:
    visitors, foreign = _tourism(seed)
    rows: list[dict[str, Any]] = []
    for index in range(visitors.shape[0]):
        month = dt.date(FIRST_DAY.year + index // 12, index % 12 + 1, 1)
        if not start <= month <= end:
            continue
        for j, (site, code, *_) in enumerate(DIEM_DU_LICH):
            rows.append(
                {
                    "month": month.isoformat(),
                    "site": site,
                    "commune_code": code,
                    "visitors": int(visitors[index, j]),
                    "of_which_foreign": int(foreign[index, j]),
                }
            )
    return rows


def to_csv(rows: Sequence[dict[str, Any]], *, dataset_code: str | None = None) -> str:
    """CSV text (comma, UTF-8 when encoded, ISO dates): header = column names in schema order.

    The header comes from ``dataset_code``'s schema when given (so an empty list still gets a header), else
    from the first row (rows from :func:`generate` keep schema order). Booleans are written true/false and
    missing values as empty cells.
    """
    if dataset_code is not None:
        header = column_names(dataset_code)
    elif rows:
        header = list(rows[0])
    else:
        return ""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(row.get(name)) for name in header])
    return buffer.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)
