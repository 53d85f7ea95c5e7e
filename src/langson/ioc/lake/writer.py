"""Writing to the lake: one Arrow batch → one Parquet file per local-date partition + manifest rows.

Row keys: ``_row_key`` is the hex SHA-256 of the UTF-8 text made of, for each key column in the given
order, ``"<n>:<text>"`` (n = number of characters of text) or ``"-"`` for a null, concatenated without a
separator (the length prefix keeps ("a:", "b") and ("a", ":b") apart). Text forms: strings in Unicode NFC;
integers and decimals in decimal notation; floats as Arrow prints them (shortest round trip, 1.0 → "1");
booleans "true"/"false"; dates "YYYY-MM-DD"; zone-aware timestamps in UTC "YYYY-MM-DDTHH:MM:SS.ffffffZ"
(nanosecond columns keep 9 digits), naive ones the same without "Z". With no key columns, all columns
of the batch in name order are the key, so a re-sent identical row is still stored once.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from django.db import transaction

from langson.ioc.lake.common import (
    INGESTED_AT,
    LOCAL_TZ,
    ROW_KEY,
    RUN_ID,
    SYSTEM_COLUMNS,
    absolute,
    check_dataset,
    commit_file,
    engine_threads,
    few_distinct,
    partition_name,
    scratch_duckdb,
    unlink_all,
)
from langson.ioc.models import LakeFile

_stamp_lock = threading.Lock()
_last_stamp: datetime | None = None


def _batch_stamp() -> datetime:
    """UTC now, strictly increasing within the process, so "latest batch wins" never ties here."""
    global _last_stamp
    with _stamp_lock:
        now = datetime.now(UTC)
        if _last_stamp is not None and now <= _last_stamp:
            now = _last_stamp + timedelta(microseconds=1)
        _last_stamp = now
        return now


def canonical_text(column: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
    """The stable text form of one key column (see the module docstring); nulls stay null."""
    kind = column.type
    if pa.types.is_dictionary(kind):
        column = column.cast(kind.value_type)
        kind = kind.value_type
    if pa.types.is_timestamp(kind):
        # One text per instant whatever the unit or zone the sender used.
        unit = "ns" if kind.unit == "ns" else "us"
        # Zone-aware values are UTC instants underneath: read them as naive UTC wall clock, since
        # formatting through a time zone (cast or strftime) is ~10x slower.
        wall = column.cast(pa.timestamp(unit, tz=kind.tz)).cast(pa.int64()).cast(pa.timestamp(unit))
        text = pc.replace_substring(wall.cast(pa.string()), " ", "T", max_replacements=1)
        return text if kind.tz is None else pc.binary_join_element_wise(text, "Z", "")
    if pa.types.is_date64(kind):
        column = column.cast(pa.date32())
    if pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind):
        # Vietnamese arrives both precomposed and decomposed ("ộ" as 1 or 3 code points): same key.
        return pc.utf8_normalize(column.cast(pa.string()), form="NFC")
    return column.cast(pa.string())


def _sha256_hex(texts: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray:
    # DuckDB hashes a column ~3x faster than a hashlib loop; it reads the Arrow buffers (columnar,
    # not row by row) and preserve_insertion_order guarantees the output order matches the input.
    con = scratch_duckdb()
    con.register("lake_key_texts", pa.table({"t": texts}))
    try:
        result = con.sql("SELECT sha256(t) AS h FROM lake_key_texts").to_arrow_table()
    finally:
        con.unregister("lake_key_texts")
    hashes = result.column("h").cast(pa.string())
    if len(hashes) != len(texts):
        raise RuntimeError("row key hashing lost rows")
    return hashes


def key_text(table: pa.Table, key_columns: Sequence[str]) -> pa.ChunkedArray | pa.Array:
    """The text a row key hashes: equal for two rows exactly when their keys are the same."""
    names = list(key_columns) or sorted(table.column_names)
    parts = []
    for name in names:
        column = table.column(name).combine_chunks()
        if few_distinct(column):
            encoded = pc.dictionary_encode(column)
            text = canonical_text(encoded.dictionary).take(encoded.indices)
        else:
            text = canonical_text(column)
        length = pc.utf8_length(text).cast(pa.string())
        parts.append(pc.fill_null(pc.binary_join_element_wise(length, text, ":"), "-"))
    return parts[0] if len(parts) == 1 else pc.binary_join_element_wise(*parts, "")


def row_keys(table: pa.Table, key_columns: Sequence[str]) -> pa.ChunkedArray:
    """``_row_key`` for every row of the table (hex SHA-256 of the key columns' canonical text)."""
    return _sha256_hex(key_text(table, key_columns))


def local_dates(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """The Vietnam calendar day of each value of the time column."""
    kind = column.type
    if column.null_count:
        raise ValueError("the time column has empty values: every row needs a date")
    if pa.types.is_date32(kind):
        return column
    if pa.types.is_date64(kind):
        return column.cast(pa.date32())
    if pa.types.is_timestamp(kind):
        if kind.tz is None:
            # A naive time could be UTC or local: guessing would file rows under the wrong day.
            raise ValueError("the time column holds timestamps without a time zone; give it one (e.g. UTC)")
        local = pc.local_timestamp(column.cast(pa.timestamp(kind.unit, tz=LOCAL_TZ)))
        return local.cast(pa.date32())
    raise ValueError(f"the time column must be a date or a timestamp, not {kind}")


def _kept_in_order(table: pa.Table, keys: pa.ChunkedArray, time_column: str, keys_unique: bool) -> np.ndarray:
    """Row positions to write: the last occurrence of each key, sorted by time (stable)."""
    positions = np.arange(table.num_rows)
    if not keys_unique and pc.count_distinct(keys).as_py() < table.num_rows:
        last = (
            pa.table({"k": keys, "i": positions})
            .group_by("k", use_threads=False)
            .aggregate([("i", "max")])
            .column("i_max")
        )
        positions = np.sort(last.to_numpy())
    # Sorted by time, a file's row groups have narrow min/max statistics for pruning.
    order = pc.sort_indices(table.column(time_column).take(positions)).to_numpy()
    return positions[order]


def write_batch(
    dataset: str,
    table: pa.Table,
    *,
    time_column: str,
    key_columns: Sequence[str],
    run_id: int | None = None,
    keys_unique: bool = False,
) -> list[LakeFile]:
    """Write a batch: one zstd Parquet file per local-date partition, then its manifest rows.

    Returns the saved LakeFile rows ([] for an empty table). The manifest rows are inserted in one
    atomic block (a savepoint inside the caller's transaction); if that transaction later rolls back,
    the files stay on disk unlisted, invisible to readers, until ``remove_orphans`` deletes them.
    A key sent twice in the same batch is stored once (its last occurrence); a caller that has already
    refused repeated keys (validation does) says ``keys_unique`` and saves the check.
    """
    check_dataset(dataset)
    if table.num_rows == 0:
        return []
    reserved = sorted(set(SYSTEM_COLUMNS) & set(table.column_names))
    if reserved:
        raise ValueError(f"columns reserved for the lake: {', '.join(reserved)}")
    missing = [c for c in (time_column, *key_columns) if c not in table.column_names]
    if missing:
        raise ValueError(f"columns not in the batch: {', '.join(missing)}")

    dates = local_dates(table.column(time_column))
    keys = row_keys(table, key_columns)
    stamp = _batch_stamp()
    positions = pa.array(_kept_in_order(table, keys, time_column, keys_unique))
    rows = table.take(positions)
    count = rows.num_rows
    rows = (
        rows.append_column(ROW_KEY, keys.take(positions))
        .append_column(INGESTED_AT, pa.repeat(pa.scalar(stamp, type=pa.timestamp("us", tz="UTC")), count))
        .append_column(RUN_ID, pa.repeat(pa.scalar(run_id, type=pa.int64()), count))
    )
    days = dates.take(positions).cast(pa.int32()).to_numpy()
    starts = [0, *(np.flatnonzero(days[1:] != days[:-1]) + 1).tolist()]
    stops = [*starts[1:], count]

    files: list[LakeFile] = []

    def commit(start: int, stop: int) -> LakeFile:
        partition = partition_name(date(1970, 1, 1) + timedelta(days=int(days[start])))
        relative, size = commit_file(rows.slice(start, stop - start), dataset, partition)
        file = LakeFile(
            dataset=dataset, partition=partition, path=relative, rows=stop - start, bytes=size, run_id=run_id
        )
        files.append(file)  # list.append is atomic: the cleanup below sees every committed file
        return file

    try:
        # Parquet encoding and fsync release the GIL: a batch spanning many days writes them side by side.
        with ThreadPoolExecutor(max_workers=min(engine_threads(), len(starts))) as pool:
            written = list(pool.map(commit, starts, stops))
        with transaction.atomic():
            return LakeFile.objects.bulk_create(written)
    except BaseException:
        # Nothing of this batch is listed: its files would only be orphans, remove them now.
        unlink_all(absolute(f.path) for f in files)
        raise
