"""Lake upkeep: compaction of small files, retention of old partitions, removal of orphan files.

Deletion always follows the manifest: a file disappears from the manifest first (committed), and only then
from disk, so a reader that listed files from a committed manifest never finds one missing because of
retention; a query started before a compaction and run after it may (retry it).
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from datetime import date, timedelta
from functools import partial
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from langson.ioc.lake.common import (
    absolute,
    check_dataset,
    commit_file,
    is_lake_file,
    lake_root,
    partition_date,
    unlink_all,
)
from langson.ioc.lake.reader import connect, latest_rows, read_files
from langson.ioc.models import LakeFile

logger = logging.getLogger(__name__)


class _Conflict(Exception):
    """Another compaction of the same partition committed first."""


def compact(dataset: str, partition: str, *, min_files: int = 4) -> LakeFile | None:
    """Merge a partition's current files into one de-duplicated file; None if below ``min_files``.

    The new manifest row and the marking of the old ones commit together; the old files are deleted once
    that commit happened (``transaction.on_commit``), so a rolled-back caller loses nothing.
    """
    check_dataset(dataset)
    partition_date(partition)
    old = list(LakeFile.objects.filter(dataset=dataset, partition=partition, replaced_by_compaction=False))
    if not old or len(old) < min_files:
        return None
    con = connect()
    try:
        merged = latest_rows(read_files(con, [f.path for f in old])).to_pyarrow()
    finally:
        con.disconnect()
    relative, size = commit_file(merged, dataset, partition)
    try:
        with transaction.atomic():
            marked = LakeFile.objects.filter(pk__in=[f.pk for f in old], replaced_by_compaction=False).update(
                replaced_by_compaction=True
            )
            if marked != len(old):
                raise _Conflict
            new = LakeFile.objects.create(
                dataset=dataset, partition=partition, path=relative, rows=merged.num_rows, bytes=size
            )
            transaction.on_commit(partial(unlink_all, [absolute(f.path) for f in old]))
    except BaseException as exc:
        absolute(relative).unlink(missing_ok=True)
        if isinstance(exc, _Conflict):
            logger.info("compaction of %s/%s skipped: another compaction won", dataset, partition)
            return None
        raise
    return new


def apply_retention(dataset: str, keep_days: int, *, today: date | None = None) -> int:
    """Drop the partitions more than ``keep_days`` days before ``today`` (Vietnam date by default).

    keep_days=7 on 17 Feb keeps 10–17 Feb. Manifest rows go first (committed), then the files and the
    emptied folders. Returns the number of files removed (scheduled, if called inside a transaction).
    """
    check_dataset(dataset)
    if keep_days < 0:
        raise ValueError("keep_days must not be negative")
    cutoff = (today or timezone.localdate()) - timedelta(days=keep_days)
    stored = LakeFile.objects.filter(dataset=dataset).order_by().values_list("partition", flat=True)
    partitions = sorted(p for p in stored.distinct() if partition_date(p) < cutoff)
    if not partitions:
        return 0
    with transaction.atomic():
        doomed = LakeFile.objects.filter(dataset=dataset, partition__in=partitions)
        paths = [absolute(p) for p in doomed.values_list("path", flat=True)]
        files = [path for path in paths if path.exists()]
        doomed.delete()
        folders = [lake_root() / dataset / p for p in partitions]
        transaction.on_commit(partial(_remove, files, folders))
    return len(files)


def _remove(files: list[Path], folders: list[Path]) -> None:
    unlink_all(files)
    for folder in folders:
        # Not empty (a late batch, or an orphan for remove_orphans) or already gone: leave it.
        with contextlib.suppress(OSError):
            folder.rmdir()


def remove_orphans(grace_seconds: int = 3600) -> int:
    """Delete lake files (Parquet and temp) that no current manifest row lists and older than the grace.

    The grace protects writes in flight: a file renamed into place whose manifest row is not committed
    yet. Files of rows replaced by a compaction count as orphans (their deletion may have been cut short).
    """
    root = lake_root()
    # Manifest first, then the disk: a file committed in between is recent, hence inside the grace.
    current = set(LakeFile.objects.filter(replaced_by_compaction=False).values_list("path", flat=True))
    deadline = time.time() - grace_seconds
    removed = 0
    for folder, _subfolders, names in os.walk(root):
        for name in names:
            if not is_lake_file(name):
                continue
            path = Path(folder) / name
            if path.relative_to(root).as_posix() in current:
                continue
            try:
                if path.stat().st_mtime > deadline:
                    continue
                path.unlink()
            except FileNotFoundError:
                continue
            removed += 1
    if removed:
        logger.info("removed %d orphan lake files", removed)
    return removed
