"""Demo data generator: rows match their own schemas, are deterministic, and show the intended patterns."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import statistics
import time
from collections import defaultdict
from typing import Any

import pytest

from langson.ioc import demo
from langson.ioc.services.files import read_table
from langson.ioc.services.validation import check_schema, validate_rows

pytestmark = pytest.mark.nodb

# The 65 GSO codes of langson-units.md §2, copied here on purpose (not imported from the code under test).
COMMUNE_CODES = frozenset({
    "5977", "5983", "5986", "6001", "6016", "6019", "6037", "6040", "6046", "6058", "6073", "6076", "6079",
    "6085", "6091", "6103", "6112", "6115", "6148", "6151", "6154", "6172", "6184", "6187", "6193", "6202",
    "6214", "6220", "6253", "6280", "6286", "6298", "6313", "6316", "6325", "6337", "6349", "6364", "6367",
    "6376", "6385", "6391", "6400", "6415", "6421", "6427", "6445", "6457", "6463", "6475", "6481", "6496",
    "6505", "6517", "6526", "6529", "6541", "6565", "6577", "6601", "6607", "6613", "6616", "6625", "6637",
})  # fmt: skip
CODES = ["tourism-visits", "border-trucks", "school-attendance", "health-visits", "air-quality"]
# Ranges long enough to show every pattern, short enough for a fast suite.
RANGES = {
    "tourism-visits": (dt.date(2021, 1, 1), dt.date(2027, 12, 31)),
    "border-trucks": (dt.date(2024, 1, 1), dt.date(2025, 12, 31)),
    "school-attendance": (dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
    "health-visits": (dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
    "air-quality": (dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
}


def rows_of(code: str, seed: int = 2025) -> list[dict[str, Any]]:
    start, end = RANGES[code]
    return demo.generate(code, start, end, seed=seed)


def schema_of(code: str) -> dict[str, Any]:
    return next(d for d in demo.DEMO_DATASETS if d["code"] == code)["schema"]


def check_value(column: dict[str, Any], value: Any) -> None:
    name, kind = column["name"], column["type"]
    if value is None:
        assert not column.get("required"), name
        return
    if kind == "integer":
        assert type(value) is int, (name, value)
    elif kind == "number":
        assert isinstance(value, int | float) and not isinstance(value, bool), (name, value)
        assert math.isfinite(value), (name, value)
    elif kind == "string":
        assert isinstance(value, str) and value, (name, value)
    elif kind == "date":
        assert isinstance(value, str) and len(value) == 10, (name, value)
        dt.date.fromisoformat(value)
    elif kind == "datetime":
        assert isinstance(value, str) and value.endswith("+07:00"), (name, value)
        assert dt.datetime.fromisoformat(value).utcoffset() == dt.timedelta(hours=7)
    elif kind == "commune":
        assert isinstance(value, str) and value in COMMUNE_CODES, (name, value)
    elif kind == "boolean":
        assert isinstance(value, bool), (name, value)
    else:  # pragma: no cover - the declarations only use the types above
        pytest.fail(f"unknown type {kind}")
    if "min" in column:
        assert value >= column["min"], (name, value)
    if "max" in column:
        assert value <= column["max"], (name, value)
    if "choices" in column:
        assert value in column["choices"], (name, value)


# ----------------------------------------------------------------------------------------------------
# Declarations and schema conformance
# ----------------------------------------------------------------------------------------------------


def test_declarations_are_complete_and_valid():
    assert [d["code"] for d in demo.DEMO_DATASETS] == CODES
    owners = {"SO-VHTTDL", "BQL-KKT", "SO-GDDT", "SO-YT", "SO-NNMT"}
    for declaration in demo.DEMO_DATASETS:
        assert {"code", "name", "name_en", "owner", "expected_every_hours", "schema"} <= set(declaration)
        assert declaration["owner"] in owners
        assert declaration["expected_every_hours"] >= 1
        check_schema(declaration["schema"])  # the IOC's own schema check
        assert declaration["schema"]["time_column"] in declaration["schema"]["key"]
    assert set(demo.MA_XA) == COMMUNE_CODES
    assert len(demo.MA_XA) == 65


@pytest.mark.parametrize("code", CODES)
def test_rows_match_their_schema(code: str):
    schema = schema_of(code)
    names = [c["name"] for c in schema["columns"]]
    rows = rows_of(code)
    assert rows
    for row in rows:
        assert list(row) == names
        for column in schema["columns"]:
            check_value(column, row[column["name"]])
    # The IOC's validator accepts every row as well (type coercion, ranges, choices, duplicate keys).
    accepted, rejected = validate_rows(schema, rows[:5000], communes=COMMUNE_CODES)
    assert not rejected, rejected[:3]
    assert len(accepted) == min(len(rows), 5000)


@pytest.mark.parametrize("code", CODES)
def test_keys_are_unique(code: str):
    key = schema_of(code)["key"]
    rows = rows_of(code)
    keys = {tuple(row[k] for k in key) for row in rows}
    assert len(keys) == len(rows)


def test_cross_column_consistency():
    for row in rows_of("tourism-visits"):
        assert row["of_which_foreign"] <= row["visitors"]
    for row in rows_of("school-attendance"):
        assert 0 < row["present"] <= row["enrolled"]
        assert row["rate"] == pytest.approx(row["present"] / row["enrolled"], abs=1e-4)
    for row in rows_of("health-visits"):
        assert row["of_which_children"] <= row["visits"]
    for row in rows_of("air-quality"):
        assert row["pm10"] >= row["pm25"] > 0


# ----------------------------------------------------------------------------------------------------
# Determinism and the API's edges
# ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", CODES)
def test_same_seed_same_rows_other_seed_other_rows(code: str):
    start, end = dt.date(2025, 3, 1), dt.date(2025, 3, 31)
    first = demo.generate(code, start, end, seed=11)
    demo_caches_cleared()
    assert demo.generate(code, start, end, seed=11) == first
    assert demo.generate(code, start, end, seed=12) != first


def demo_caches_cleared() -> None:
    for cached in (demo._tourism, demo._border, demo._school, demo._health, demo._air):
        cached.cache_clear()


@pytest.mark.parametrize("code", CODES)
def test_a_day_does_not_depend_on_the_range_asked(code: str):
    whole = demo.generate(code, dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    part = demo.generate(code, dt.date(2025, 3, 1), dt.date(2025, 4, 30))
    time_column = schema_of(code)["time_column"]
    assert part == [r for r in whole if "2025-03-01" <= r[time_column][:10] <= "2025-04-30"]


def test_bad_arguments_raise_value_error():
    with pytest.raises(ValueError, match="Unknown demo dataset"):
        demo.generate("no-such-dataset", dt.date(2025, 1, 1), dt.date(2025, 1, 2))
    with pytest.raises(ValueError, match="after"):
        demo.generate("air-quality", dt.date(2025, 1, 2), dt.date(2025, 1, 1))
    with pytest.raises(ValueError, match="covers"):
        demo.generate("border-trucks", dt.date(2020, 12, 31), dt.date(2021, 1, 5))
    with pytest.raises(ValueError, match="covers"):
        demo.generate("border-trucks", dt.date(2027, 12, 1), dt.date(2028, 1, 5))


def test_a_single_day_and_month_boundaries():
    assert len(demo.generate("border-trucks", dt.date(2025, 3, 3), dt.date(2025, 3, 3))) == 8
    assert len(demo.generate("air-quality", dt.date(2025, 3, 3), dt.date(2025, 3, 3))) == 72
    assert len(demo.generate("health-visits", dt.date(2025, 3, 3), dt.date(2025, 3, 3))) == 65
    months = {r["month"] for r in demo.generate("tourism-visits", dt.date(2025, 1, 15), dt.date(2025, 3, 1))}
    assert months == {"2025-02-01", "2025-03-01"}


def test_a_year_of_hourly_air_quality_is_fast():
    demo_caches_cleared()
    started = time.perf_counter()
    rows = demo.generate("air-quality", dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert time.perf_counter() - started < 1.0
    assert len(rows) == 365 * 24 * 3
    assert rows[0]["datetime"] == "2025-01-01T00:00:00+07:00"
    assert rows[-1]["datetime"] == "2025-12-31T23:00:00+07:00"


# ----------------------------------------------------------------------------------------------------
# Patterns
# ----------------------------------------------------------------------------------------------------


def test_tourism_tet_and_summer_peaks_exceed_spring():
    totals: dict[tuple[int, int], int] = defaultdict(int)
    for row in rows_of("tourism-visits"):
        month = dt.date.fromisoformat(row["month"])
        totals[month.year, month.month] += row["visitors"]
    tet_peaks, summers, springs = [], [], []
    for year in range(2021, 2028):
        spring = statistics.mean(totals[year, m] for m in (3, 4, 5))
        tet_peak = max(totals[year, 1], totals[year, 2])
        summer = statistics.mean(totals[year, m] for m in (6, 7, 8))
        assert tet_peak > spring, year
        tet_peaks.append(tet_peak)
        summers.append(summer)
        springs.append(spring)
    assert statistics.mean(tet_peaks) > 1.2 * statistics.mean(springs)
    assert statistics.mean(summers) > 1.2 * statistics.mean(springs)
    # ~8 %/year growth: 2027 well above 2022
    assert sum(totals[2027, m] for m in range(1, 13)) > 1.3 * sum(totals[2022, m] for m in range(1, 13))


def test_border_sundays_are_lower_and_the_tet_week_is_near_zero():
    by_day: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows_of("border-trucks"):
        by_day[row["date"], row["gate"]] += row["trucks"]
    tet_week = {
        (tet + dt.timedelta(days=k)).isoformat() for tet in demo.NGAY_TET.values() for k in range(-2, 5)
    }
    for gate in demo.CUA_KHAU:
        sundays, weekdays, during_tet = [], [], []
        for (day, g), trucks in by_day.items():
            if g != gate:
                continue
            if day in tet_week:
                during_tet.append(trucks)
                continue
            weekday = dt.date.fromisoformat(day).weekday()
            if weekday == 6:
                sundays.append(trucks)
            elif weekday < 5:
                weekdays.append(trucks)
        assert statistics.mean(sundays) < 0.8 * statistics.mean(weekdays), gate
        assert during_tet and statistics.mean(during_tet) < 0.05 * statistics.mean(weekdays), gate
    huu_nghi = statistics.mean(v for (d, g), v in by_day.items() if g == "Hữu Nghị" and d not in tet_week)
    assert 1000 <= huu_nghi <= 1500  # the stated (estimated) order of magnitude
    assert huu_nghi > max(
        statistics.mean(v for (_, g), v in by_day.items() if g == other) for other in demo.CUA_KHAU[1:]
    )


def test_border_fruit_season_raises_exports():
    exports: dict[int, list[int]] = defaultdict(list)
    for row in rows_of("border-trucks"):
        if row["gate"] == "Tân Thanh" and row["direction"] == "xuất":
            exports[int(row["date"][5:7])].append(row["trucks"])
    season = statistics.mean(statistics.mean(exports[m]) for m in (6, 7))
    off_season = statistics.mean(statistics.mean(exports[m]) for m in (10, 11))
    assert season > 1.2 * off_season


def test_school_data_only_on_school_days():
    rows = rows_of("school-attendance")
    days = {dt.date.fromisoformat(r["date"]) for r in rows}
    assert not [d for d in days if d.month in (6, 7, 8)]
    assert not [d for d in days if d.weekday() >= 5]
    tet = demo.NGAY_TET[2025]
    assert not [d for d in days if abs((d - tet).days) <= 3]
    assert any(d.month == 10 for d in days) and any(d.month == 5 for d in days)
    assert all(sum(1 for r in rows if r["date"] == day.isoformat()) == 65 for day in list(days)[:5])
    rates = [r["rate"] for r in rows]
    assert 0.93 < statistics.mean(rates) < 0.98


def test_health_weekends_lower_and_winter_higher():
    per_day: dict[str, int] = defaultdict(int)
    for row in rows_of("health-visits"):
        per_day[row["date"]] += row["visits"]
    weekday = [v for d, v in per_day.items() if dt.date.fromisoformat(d).weekday() < 5]
    weekend = [v for d, v in per_day.items() if dt.date.fromisoformat(d).weekday() >= 5]
    assert statistics.mean(weekend) < 0.7 * statistics.mean(weekday)

    def weekday_mean(months: tuple[int, ...]) -> float:
        return statistics.mean(
            v
            for d, v in per_day.items()
            if int(d[5:7]) in months and dt.date.fromisoformat(d).weekday() < 5 and d[:7] != "2025-01"
        )

    assert weekday_mean((11, 12, 2)) > 1.1 * weekday_mean((6, 7, 8))


def test_air_quality_winter_and_rush_hours_are_higher():
    rows = rows_of("air-quality")
    winter = [r["pm25"] for r in rows if r["datetime"][5:7] in ("12", "01", "02")]
    summer = [r["pm25"] for r in rows if r["datetime"][5:7] in ("06", "07", "08")]
    assert statistics.mean(winter) > 2 * statistics.mean(summer)
    rush = [r["pm25"] for r in rows if r["datetime"][11:13] in ("07", "08", "18", "19")]
    midday = [r["pm25"] for r in rows if r["datetime"][11:13] in ("12", "13", "14")]
    assert statistics.mean(rush) > 1.3 * statistics.mean(midday)
    assert 10 < statistics.mean(r["pm25"] for r in rows) < 50  # plausible annual mean (estimate)
    assert {r["station"] for r in rows} == {s[0] for s in demo.TRAM_QUAN_TRAC}


# ----------------------------------------------------------------------------------------------------
# CSV
# ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", CODES)
def test_csv_round_trips(code: str):
    rows = demo.generate(code, dt.date(2025, 3, 1), dt.date(2025, 3, 10))
    text = demo.to_csv(rows)
    names = [c["name"] for c in schema_of(code)["columns"]]
    reader = csv.DictReader(io.StringIO(text))
    assert reader.fieldnames == names
    back = list(reader)
    assert back == [{k: str(v) for k, v in row.items()} for row in rows]
    # … and through the IOC's own upload path: every row accepted.
    header, table = read_table(f"{code}.csv", text.encode("utf-8"))
    assert header == names
    accepted, rejected = validate_rows(schema_of(code), table, communes=COMMUNE_CODES)
    assert not rejected and len(accepted) == len(rows)


def test_csv_of_no_rows():
    assert demo.to_csv([]) == ""
    assert demo.to_csv([], dataset_code="border-trucks") == "date,gate,direction,trucks\r\n"
