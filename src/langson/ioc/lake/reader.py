"""Reading the lake: Ibis tables over the files the manifest lists, de-duplicated on the row key."""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import ibis.expr.types as ir
from ibis import BaseBackend

from langson.ioc.lake.common import INGESTED_AT, ROW_KEY, RUN_ID, absolute, check_dataset, engine_threads
from langson.ioc.models import LakeFile

_RANK = "_lake_rank"


def connect() -> BaseBackend:
    """An in-memory DuckDB backend for lake queries, with a bounded number of threads."""
    return ibis.duckdb.connect(threads=engine_threads())


def read_files(con: BaseBackend, paths: Sequence[str]) -> ir.Table:
    """The raw rows of the given manifest paths (no de-duplication)."""
    files = [str(absolute(p)) for p in paths]
    if con.name == "duckdb":
        # The date comes from the time column, not the folder name; files written before a column
        # was added still line up by name.
        return con.read_parquet(files, hive_partitioning=False, union_by_name=True)
    return con.read_parquet(files)


def latest_rows(table: ir.Table) -> ir.Table:
    """One row per _row_key: the latest _ingested_at wins (run id breaks a tie between processes).

    A plain window expression, so Spark or Trino can run the same thing.
    """
    rank = ibis.row_number().over(
        group_by=table[ROW_KEY],
        order_by=[ibis.desc(table[INGESTED_AT]), ibis.desc(table[RUN_ID])],
    )
    ranked = table.mutate(**{_RANK: rank})
    return ranked.filter(ranked[_RANK] == 0).drop(_RANK)


def current_paths(dataset: str, partition: str | None = None) -> list[str]:
    files = LakeFile.objects.filter(dataset=dataset, replaced_by_compaction=False)
    if partition is not None:
        files = files.filter(partition=partition)
    return list(files.values_list("path", flat=True))


def scan(dataset: str, *, con: BaseBackend | None = None) -> ir.Table | None:
    """The dataset as an Ibis table over its current manifest files; None if it has none.

    Without ``con``, each call opens its own in-memory DuckDB connection (kept alive by the table).
    """
    check_dataset(dataset)
    paths = current_paths(dataset)
    if not paths:
        return None
    return latest_rows(read_files(con if con is not None else connect(), paths))
