"""The IOC lake: hive-partitioned Parquet (``<dataset>/date=YYYY-MM-DD/part-<uuid>.parquet``) + a manifest.

A file becomes visible only once its LakeFile row is committed; readers list files from the manifest,
never from the folders, so they never see half a batch. See writer, reader and maintenance.
"""

from __future__ import annotations

from langson.ioc.lake.common import INGESTED_AT, ROW_KEY, RUN_ID, SYSTEM_COLUMNS, lake_root
from langson.ioc.lake.maintenance import apply_retention, compact, remove_orphans
from langson.ioc.lake.reader import connect, latest_rows, scan
from langson.ioc.lake.writer import row_keys, write_batch

__all__ = [
    "INGESTED_AT",
    "ROW_KEY",
    "RUN_ID",
    "SYSTEM_COLUMNS",
    "apply_retention",
    "compact",
    "connect",
    "lake_root",
    "latest_rows",
    "remove_orphans",
    "row_keys",
    "scan",
    "write_batch",
]
