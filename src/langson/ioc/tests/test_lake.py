"""The lake: atomic writes listed in a manifest, de-duplicated reads, compaction, retention, orphans."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
import unicodedata
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.db import transaction

from langson.ioc.lake import (
    INGESTED_AT,
    ROW_KEY,
    RUN_ID,
    apply_retention,
    compact,
    connect,
    lake_root,
    remove_orphans,
    scan,
    write_batch,
)
from langson.ioc.models import LakeFile

pytestmark = pytest.mark.django_db

DATASET = "air-quality"


@pytest.fixture(autouse=True)
def lake_in_tmp(settings: Any, tmp_path: Path) -> Path:
    settings.LAKE_DIR = tmp_path / "lake"
    return settings.LAKE_DIR


def readings(rows: list[tuple[str, str, float]]) -> pa.Table:
    """(station, ISO UTC time, pm25) rows as an Arrow batch keyed by station + time."""
    return pa.table(
        {
            "station": pa.array([r[0] for r in rows]),
            "measured_at": pa.array(
                [datetime.fromisoformat(r[1]).replace(tzinfo=UTC) for r in rows],
                type=pa.timestamp("us", tz="UTC"),
            ),
            "pm25": pa.array([r[2] for r in rows], type=pa.float64()),
        }
    )


def write(table: pa.Table, dataset: str = DATASET) -> list[LakeFile]:
    return write_batch(dataset, table, time_column="measured_at", key_columns=["station", "measured_at"])


def rows_of(dataset: str = DATASET) -> list[dict[str, Any]]:
    table = scan(dataset)
    if table is None:
        return []
    result = table.drop(ROW_KEY, INGESTED_AT, RUN_ID).to_pyarrow().to_pylist()
    return sorted(result, key=lambda r: (r["station"], r["measured_at"]))


def current_files(dataset: str = DATASET) -> list[LakeFile]:
    return list(LakeFile.objects.filter(dataset=dataset, replaced_by_compaction=False))


def parquet_on_disk(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*.parquet")}


def sorted_pm25(rows: list[tuple[str, str, float]], plus: float = 0.0) -> list[float]:
    return [pm25 + plus for _, _, pm25 in sorted(rows)]


THREE_DAYS = [
    ("TP-01", "2026-02-14T03:00:00", 41.0),
    ("TP-01", "2026-02-15T03:00:00", 55.5),
    ("TP-02", "2026-02-15T09:00:00", 60.0),
    ("TP-01", "2026-02-16T03:00:00", 38.0),
    ("TP-02", "2026-02-16T04:00:00", 35.0),
    ("TP-03", "2026-02-16T05:00:00", 30.0),
]


def test_a_batch_over_three_days_lands_in_three_partitions_listed_in_the_manifest(lake_in_tmp, db):
    files = write(readings(THREE_DAYS))
    assert all(f.pk for f in files)
    assert {f.partition: f.rows for f in files} == {
        "date=2026-02-14": 1,
        "date=2026-02-15": 2,
        "date=2026-02-16": 3,
    }
    root = lake_root()
    assert root == lake_in_tmp
    assert parquet_on_disk(root) == {f.path for f in LakeFile.objects.all()}
    for f in files:
        path = root / f.path
        assert f.path.startswith(f"{DATASET}/{f.partition}/part-") and f.path.endswith(".parquet")
        assert path.stat().st_size == f.bytes
        metadata = pq.read_metadata(path)
        assert metadata.num_rows == f.rows
        assert metadata.row_group(0).column(0).compression == "ZSTD"
        assert metadata.schema.names == ["station", "measured_at", "pm25", ROW_KEY, INGESTED_AT, RUN_ID]
    assert not list(root.rglob(".part-*"))  # no temp file left behind
    table = scan(DATASET)
    assert table is not None and table.count().execute() == 6
    stamps = table.select(INGESTED_AT).distinct().to_pyarrow().column(INGESTED_AT).to_pylist()
    assert len(stamps) == 1 and stamps[0].tzinfo is not None  # one UTC stamp for the batch


def test_the_row_key_is_the_documented_sha256_and_stable(db):
    nfd_station = unicodedata.normalize("NFD", "Đồng Đăng")
    table = pa.table(
        {
            "station": [nfd_station],
            "measured_at": pa.array(
                [datetime(2026, 2, 16, 17, 30, tzinfo=UTC)], type=pa.timestamp("s", tz="UTC")
            ),
        }
    )
    (first,) = write_batch(DATASET, table, time_column="measured_at", key_columns=["station", "measured_at"])
    key = pq.read_table(lake_root() / first.path).column(ROW_KEY)[0].as_py()
    station = unicodedata.normalize("NFC", nfd_station)
    text = f"{len(station)}:{station}27:2026-02-16T17:30:00.000000Z"
    assert key == hashlib.sha256(text.encode()).hexdigest()


def test_a_resent_batch_is_counted_once_and_the_latest_values_win(db):
    write(readings(THREE_DAYS))
    assert len(rows_of()) == 6
    write(readings([(station, at, pm25 + 100) for station, at, pm25 in THREE_DAYS]))
    assert LakeFile.objects.count() == 6  # both batches are stored, 3 files each...
    assert [r["pm25"] for r in rows_of()] == sorted_pm25(THREE_DAYS, plus=100)  # ...but counted once
    # An overlapping batch: 2 keys again with newer values, 1 new key.
    write(readings([("TP-01", "2026-02-14T03:00:00", 7.0), ("TP-03", "2026-02-16T05:00:00", 8.0)]))
    write(readings([("TP-04", "2026-02-16T06:00:00", 20.0)]))
    rows = rows_of()
    assert len(rows) == 7
    by_key = {(r["station"], r["measured_at"].isoformat()): r["pm25"] for r in rows}
    assert by_key[("TP-01", "2026-02-14T03:00:00+00:00")] == 7.0
    assert by_key[("TP-03", "2026-02-16T05:00:00+00:00")] == 8.0
    assert by_key[("TP-02", "2026-02-16T04:00:00+00:00")] == 135.0  # not re-sent: the 2nd batch's value
    # The same key twice inside one batch: its last occurrence is what the lake keeps.
    write(readings([("TP-05", "2026-02-16T07:00:00", 1.0), ("TP-05", "2026-02-16T07:00:00", 2.0)]))
    assert [r["pm25"] for r in rows_of() if r["station"] == "TP-05"] == [2.0]


def test_a_rolled_back_write_is_invisible_and_its_file_is_an_orphan(db):
    class Refused(Exception):
        pass

    with pytest.raises(Refused), transaction.atomic():
        write(readings(THREE_DAYS[:2]))
        raise Refused
    assert not LakeFile.objects.exists()
    assert scan(DATASET) is None
    orphans = parquet_on_disk(lake_root())
    assert len(orphans) == 2
    assert remove_orphans() == 0  # still inside the grace period: could be a write in flight
    assert remove_orphans(grace_seconds=0) == 2
    assert parquet_on_disk(lake_root()) == set()


def test_a_file_renamed_but_never_listed_is_invisible(db):
    (listed,) = write(readings(THREE_DAYS[:1]))
    root = lake_root()
    # A crash between os.replace and the manifest insert leaves a complete file nobody lists.
    crashed = (root / listed.path).with_name("part-crashed.parquet")
    shutil.copy(root / listed.path, crashed)
    temp = crashed.with_name(".part-crashed.parquet.tmp")
    temp.write_bytes(b"half a file")
    assert len(rows_of()) == 1
    old = time.time() - 7200
    for path in (crashed, temp):
        os.utime(path, (old, old))
    assert remove_orphans() == 2
    assert parquet_on_disk(root) == {listed.path}


def test_compacting_five_small_files_gives_one_file_and_the_same_rows(db, django_capture_on_commit_callbacks):
    for i in range(5):
        # Overlapping keys across the files: the compacted file must hold each key once.
        write(
            readings(
                [("TP-01", f"2026-02-16T0{i}:00:00", float(i)), ("TP-02", "2026-02-16T09:00:00", 10.0 + i)]
            )
        )
    assert compact(DATASET, "date=2026-02-16", min_files=6) is None  # below the threshold
    before = rows_of()
    old_paths = [f.path for f in current_files()]
    assert len(old_paths) == 5 and len(before) == 6
    with django_capture_on_commit_callbacks(execute=True):
        merged = compact(DATASET, "date=2026-02-16")
    assert merged is not None and merged.rows == 6
    assert [f.path for f in current_files()] == [merged.path]
    assert LakeFile.objects.filter(replaced_by_compaction=True).count() == 5
    assert rows_of() == before
    assert parquet_on_disk(lake_root()) == {merged.path}
    assert compact(DATASET, "date=2026-02-16") is None  # one file: nothing to do
    with pytest.raises(ValueError):
        compact(DATASET, "date=../../etc")


def test_retention_drops_old_partitions_only(db, django_capture_on_commit_callbacks):
    today = date(2026, 2, 17)
    days = [today - timedelta(days=n) for n in (30, 8, 7, 0)]
    write(readings([("TP-01", f"{d.isoformat()}T03:00:00", 1.0) for d in days]))
    write(readings([("TP-02", f"{days[0].isoformat()}T03:00:00", 1.0)]))
    with django_capture_on_commit_callbacks(execute=True):
        removed = apply_retention(DATASET, keep_days=7, today=today)
    assert removed == 3  # two files of 30 days ago, one of 8 days ago
    kept = sorted(LakeFile.objects.values_list("partition", flat=True))
    assert kept == ["date=2026-02-10", "date=2026-02-17"]
    assert parquet_on_disk(lake_root()) == set(LakeFile.objects.values_list("path", flat=True))
    assert not (lake_root() / DATASET / "date=2026-01-18").exists()
    assert len(rows_of()) == 2
    assert apply_retention(DATASET, keep_days=7, today=today) == 0


@pytest.mark.parametrize("name", ["../etc", "a/b", "..", "", ".hidden", "_tmp", "x" * 61, "a b", "/etc"])
def test_unsafe_dataset_names_are_refused(db, name):
    with pytest.raises(ValueError):
        write(readings(THREE_DAYS[:1]), dataset=name)
    with pytest.raises(ValueError):
        scan(name)
    assert not LakeFile.objects.exists()


def test_times_near_midnight_utc_land_in_the_vietnam_day(db):
    files = write(
        readings(
            [
                ("TP-01", "2026-02-16T16:59:59", 1.0),  # 23:59:59 in Vietnam
                ("TP-01", "2026-02-16T17:30:00", 2.0),  # 00:30 on the 17th in Vietnam
            ]
        )
    )
    assert sorted((f.partition, f.rows) for f in files) == [("date=2026-02-16", 1), ("date=2026-02-17", 1)]


def test_date_columns_and_bad_batches(db):
    daily = pa.table({"day": pa.array([date(2026, 1, 1), date(2026, 1, 2)]), "trucks": [120, 95]})
    files = write_batch("border-trucks", daily, time_column="day", key_columns=["day"], run_id=None)
    assert [f.partition for f in files] == ["date=2026-01-01", "date=2026-01-02"]
    assert write_batch("border-trucks", daily.slice(0, 0), time_column="day", key_columns=["day"]) == []
    naive = pa.table({"at": pa.array([datetime(2026, 1, 1, 8)], type=pa.timestamp("us"))})
    with pytest.raises(ValueError, match="time zone"):
        write_batch("border-trucks", naive, time_column="at", key_columns=[])
    with pytest.raises(ValueError, match="reserved"):
        write_batch(
            "border-trucks",
            daily.append_column(ROW_KEY, pa.array(["x", "y"])),
            time_column="day",
            key_columns=[],
        )
    with pytest.raises(ValueError, match="not in the batch"):
        write_batch("border-trucks", daily, time_column="day", key_columns=["gate"])
    with pytest.raises(ValueError, match="empty values"):
        write_batch(
            "border-trucks",
            pa.table({"day": pa.array([None], type=pa.date32())}),
            time_column="day",
            key_columns=[],
        )
    assert LakeFile.objects.filter(dataset="border-trucks").count() == 2


def test_scan_on_a_given_connection(db):
    write(readings(THREE_DAYS))
    con = connect()
    table = scan(DATASET, con=con)
    assert table is not None
    per_day = table.group_by("station").aggregate(n=table.count()).order_by("station").to_pyarrow()
    assert per_day.to_pylist() == [
        {"station": "TP-01", "n": 3},
        {"station": "TP-02", "n": 2},
        {"station": "TP-03", "n": 1},
    ]
    threads = con.raw_sql("SELECT current_setting('threads')").fetchone()[0]
    assert 1 <= threads <= 4
