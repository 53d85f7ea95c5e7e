"""Shared pieces of the lake: system column names, the root, safe names and durable file commits."""

from __future__ import annotations

import os
import re
import threading
import uuid
from collections.abc import Iterable
from datetime import date
from pathlib import Path, PurePosixPath
from typing import BinaryIO

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from django.conf import settings

ROW_KEY = "_row_key"
INGESTED_AT = "_ingested_at"
RUN_ID = "_run_id"
SYSTEM_COLUMNS = (ROW_KEY, INGESTED_AT, RUN_ID)

LOCAL_TZ = "Asia/Ho_Chi_Minh"
COMPRESSION = "zstd"
TMP_PREFIX = ".part-"  # a leading dot hides work in progress from Spark/Hive folder readers
TMP_SUFFIX = ".tmp"

MAX_THREADS = 4  # one query per web/worker process must not take every core of a shared machine

# Same alphabet as Django's SlugField, but never starting with "_" or "-" (hidden to Spark/Hive, or
# mistaken for an option) and never "." or "/": no path traversal. 60 = LakeFile.dataset max_length.
_DATASET_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,59}")
_PARTITION_RE = re.compile(r"date=(\d{4}-\d{2}-\d{2})")


def available_cpus() -> int:
    """CPUs this process may use: its affinity, lowered by a cgroup v2 quota (containers)."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()[:2]
        if quota != "max":
            cpus = min(cpus, max(1, int(quota) // int(period)))
    except (OSError, ValueError):
        pass
    return max(1, cpus)


def engine_threads() -> int:
    return min(available_cpus(), MAX_THREADS)


_scratch = threading.local()


def scratch_duckdb() -> duckdb.DuckDBPyConnection:
    """This thread's in-memory DuckDB for column work on Arrow data (hashing keys): opening one costs
    ~15 ms, more than hashing a 10,000-row batch, so it is opened once per thread. Register a table,
    query it, unregister it."""
    con = getattr(_scratch, "con", None)
    if con is None:
        con = duckdb.connect(config={"threads": engine_threads(), "preserve_insertion_order": True})
        _scratch.con = con
    return con


def few_distinct(values: pa.Array) -> bool:
    """True when a column has few distinct values (dates, gates, communes), judged on a sample: work done
    per distinct value through dictionary encoding then costs far less than work done per cell."""
    if len(values) < 4096:
        return False
    sample = values.slice(0, 4096)
    return pc.count_distinct(sample).as_py() * 8 <= len(sample)


def lake_root() -> Path:
    """settings.LAKE_DIR, created if missing (read on every call so tests can point it elsewhere)."""
    root = Path(settings.LAKE_DIR)
    root.mkdir(parents=True, exist_ok=True)
    return root


def check_dataset(dataset: str) -> str:
    if not isinstance(dataset, str) or not _DATASET_RE.fullmatch(dataset):
        raise ValueError(f"unsafe lake dataset name {dataset!r}: use letters, digits, '-' and '_' only")
    return dataset


def partition_name(day: date) -> str:
    return f"date={day.isoformat()}"


def partition_date(partition: str) -> date:
    """The day of a partition name; ValueError for anything but date=YYYY-MM-DD (also guards paths)."""
    match = _PARTITION_RE.fullmatch(partition)
    if match is None:
        raise ValueError(f"not a lake partition: {partition!r}")
    return date.fromisoformat(match.group(1))


def absolute(relative: str) -> Path:
    """Manifest path → file; a tampered manifest row must never reach outside the lake."""
    parts = PurePosixPath(relative)
    if parts.is_absolute() or ".." in parts.parts:
        raise ValueError(f"lake path outside the lake: {relative!r}")
    return lake_root().joinpath(*parts.parts)


def is_lake_file(name: str) -> bool:
    """Files the lake writes (and may therefore remove): final Parquet files and their temporary twins."""
    return name.endswith(".parquet") or (name.startswith(TMP_PREFIX) and name.endswith(TMP_SUFFIX))


def fsync_dir(directory: Path) -> None:
    """Make a rename or a new entry in the directory durable, not only the file's bytes."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
    fd = os.open(directory, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def ensure_dir(root: Path, parts: Iterable[str]) -> Path:
    current = root
    for part in parts:
        child = current / part
        try:
            child.mkdir()
        except FileExistsError:
            pass
        else:
            fsync_dir(current)
        current = child
    return current


def _open_new(root: Path, dataset: str, partition: str, name: str) -> tuple[Path, BinaryIO]:
    # Retention may remove an empty partition folder between our mkdir and open: recreate it once.
    for attempt in range(2):
        directory = ensure_dir(root, (dataset, partition))
        try:
            return directory, open(directory / name, "xb")
        except FileNotFoundError:
            if attempt:
                raise
    raise AssertionError("unreachable")


def commit_file(table: pa.Table, dataset: str, partition: str) -> tuple[str, int]:
    """Write one Parquet file atomically; returns (path relative to the lake root, size in bytes).

    temp file in the same folder → flush + fsync → os.replace → fsync the folder. A crash leaves either
    nothing, a temp file, or a complete file that no manifest row lists yet: all invisible to readers.
    """
    root = lake_root()
    token = uuid.uuid4().hex
    name = f"part-{token}.parquet"
    tmp_name = f"{TMP_PREFIX}{token}.parquet{TMP_SUFFIX}"
    directory, handle = _open_new(root, dataset, partition, tmp_name)
    tmp, final = directory / tmp_name, directory / name
    try:
        with handle:
            pq.write_table(table, handle, compression=COMPRESSION)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, final)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(directory)
    return f"{dataset}/{partition}/{name}", final.stat().st_size


def unlink_all(paths: Iterable[Path]) -> int:
    removed = 0
    for path in paths:
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        removed += 1
    return removed
