"""The consistent copy that restic stores, and its manifest.

Order matters (the lake's rule is write, rename, then record in the ``ioc_lakefile`` manifest table):

1. the database first, as one consistent state: SQLite's online backup API into a staging file, or
   ``pg_dump`` of a snapshot exported by a REPEATABLE READ transaction that also computes the checksums;
   its start is the snapshot's **data time** (the consistency point);
2. then the lake files *that copy of the database lists* (current rows of ``ioc_lakefile``): every one was
   complete on disk before its row committed, so it is there; retention deletes rows before files, so a
   file may have gone since: the whole copy is taken again once, and a file still missing is named in the
   manifest rather than silently dropped;
3. then the uploads (hồ sơ attachments, border documents): written durably before the rows that refer to
   them commit and never changed, so all files present now include every one the copy refers to.

Files are hard-linked into the staging folder (no second copy on disk; a file removed from the live tree
meanwhile keeps its content for us), copied when the staging folder is on another file system. The manifest
records per table the row count and checksum, per file its SHA-256 and size, the data time and versions.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import platform
import shutil
import socket
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

import django
from django.conf import settings
from django.utils import timezone

from langson import __version__
from langson.ops.backup import checksums, postgres
from langson.ops.backup.config import (
    BackupError,
    backup_dir,
    is_sqlite,
    secret_key_file,
    sqlite_path,
    upload_roots,
)

MANIFEST = "manifest.json"
SQLITE_FILE = "database/langson.sqlite3"
POSTGRES_FILE = "database/langson.dump"
FORMAT = 1


@dataclass
class Staged:
    folder: Path
    manifest: dict[str, Any]

    @property
    def data_time(self) -> datetime:
        return datetime.fromisoformat(self.manifest["data_time"])


def disk_full(exc: BaseException) -> BackupError:
    return BackupError(
        "disk_full",
        f"Hết chỗ trên đĩa khi chuẩn bị bản sao lưu ({exc}); dữ liệu đang chạy không bị động tới.",
        f"No space left on the disk while staging the backup ({exc}); the live data was not touched.",
    )


@contextlib.contextmanager
def exclusive() -> Iterator[None]:
    """One backup, restore or drill at a time on this machine (the worker's and an operator's)."""
    lock_path = backup_dir() / "backup.lock"
    with open(lock_path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise BackupError(
                "busy",
                "Một lần sao lưu, khôi phục hay diễn tập khác đang chạy; thử lại sau.",
                "Another backup, restore or drill is running; try again later.",
            ) from exc
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _place(source: Path, destination: Path) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, destination)
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOSPC):
            raise
        shutil.copy2(source, destination)  # another file system, or links not allowed


def _record(files: dict[str, dict[str, Any]], folder: Path, relative: str) -> None:
    path = folder / relative
    files[relative] = {"sha256": checksums.file_sha256(path), "bytes": path.stat().st_size}


def _safe_relative(text: str) -> PurePosixPath | None:
    parts = PurePosixPath(text)
    return None if parts.is_absolute() or ".." in parts.parts else parts


def _stage_sqlite(folder: Path) -> tuple[datetime, dict[str, Any], list[str]]:
    target = folder / SQLITE_FILE
    target.parent.mkdir(parents=True)
    live = sqlite_path()
    if not live.exists():
        raise BackupError(
            "no_database",
            f"Không thấy cơ sở dữ liệu {live}.",
            f"The database {live} does not exist.",
        )
    source = sqlite3.connect(f"file:{live}?mode=ro", uri=True, timeout=60)
    copy = sqlite3.connect(target)
    try:
        data_time = timezone.now()
        source.backup(copy)  # one step: a single read transaction, hence one consistent state
        copy.execute("PRAGMA journal_mode=DELETE")  # a self-contained file, no -wal beside it
    finally:
        copy.close()
        source.close()
    tables = checksums.sqlite_tables(target)
    lake: list[str] = []
    if "ioc_lakefile" in tables:
        reader = checksums.open_sqlite_readonly(target)
        try:
            lake = [
                r[0] for r in reader.execute("SELECT path FROM ioc_lakefile WHERE NOT replaced_by_compaction")
            ]
            version = reader.execute("SELECT sqlite_version()").fetchone()[0]
        finally:
            reader.close()
    else:
        version = sqlite3.sqlite_version
    return data_time, {"engine": "sqlite", "file": SQLITE_FILE, "server": version, "tables": tables}, lake


def _stage_postgres(folder: Path) -> tuple[datetime, dict[str, Any], list[str]]:
    from psycopg import IsolationLevel

    target = folder / POSTGRES_FILE
    target.parent.mkdir(parents=True)
    connection = postgres.connect()
    try:
        connection.isolation_level = IsolationLevel.REPEATABLE_READ
        connection.read_only = True
        data_time = timezone.now()
        exported = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
        postgres.dump(target, exported)  # the same snapshot as every query below
        server = connection.execute("SHOW server_version").fetchone()[0]
        tables = checksums.postgres_tables(connection)
        lake: list[str] = []
        if "ioc_lakefile" in tables:
            lake = [
                r[0]
                for r in connection.execute("SELECT path FROM ioc_lakefile WHERE NOT replaced_by_compaction")
            ]
        connection.rollback()
    finally:
        connection.close()
    return (
        data_time,
        {"engine": "postgresql", "file": POSTGRES_FILE, "server": server, "tables": tables},
        lake,
    )


def _stage_files(folder: Path, lake: list[str], files: dict[str, dict[str, Any]]) -> list[str]:
    missing = []
    lake_root = Path(settings.LAKE_DIR)
    for text in sorted(lake):
        relative = _safe_relative(text)
        if relative is None:
            missing.append(f"lake/{text}")
            continue
        name = f"lake/{relative.as_posix()}"
        try:
            _place(lake_root.joinpath(*relative.parts), folder / name)
        except FileNotFoundError:
            missing.append(name)
            continue
        _record(files, folder, name)
    for label, root in upload_roots().items():
        if not root.is_dir():
            continue
        for directory, _subdirectories, names in os.walk(root):
            for file_name in sorted(names):
                if file_name.startswith("."):
                    continue  # a write in flight (write_durably's temporary name)
                source = Path(directory) / file_name
                name = f"uploads/{label}/{source.relative_to(root).as_posix()}"
                try:
                    _place(source, folder / name)
                except FileNotFoundError:
                    continue
                _record(files, folder, name)
    key = secret_key_file()
    if key.is_file():
        _place(key, folder / "instance" / "secret_key")
        _record(files, folder, "instance/secret_key")
    return missing


def _versions(database: dict[str, Any]) -> dict[str, str]:
    from langson.ops.backup import restic

    return {
        "langson": __version__,
        "django": django.get_version(),
        "python": platform.python_version(),
        "database": f"{database['engine']} {database['server']}",
        "restic": restic.version(),
    }


def stage(run_ids: list[int]) -> Staged:
    """The consistent copy in ``<backup dir>/staging`` (a fixed path, so restic finds its parent
    snapshot and re-reads only changed files). The caller holds ``exclusive()`` and removes it after."""
    folder = backup_dir() / "staging"
    for attempt in range(2):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        try:
            data_time, database, lake = _stage_sqlite(folder) if is_sqlite() else _stage_postgres(folder)
            files: dict[str, dict[str, Any]] = {}
            _record(files, folder, database["file"])
            missing = _stage_files(folder, lake, files)
        except OSError as exc:
            shutil.rmtree(folder, ignore_errors=True)
            if exc.errno == errno.ENOSPC:
                raise disk_full(exc) from exc
            raise
        except sqlite3.Error as exc:
            shutil.rmtree(folder, ignore_errors=True)
            if "full" in str(exc):
                raise disk_full(exc) from exc
            raise BackupError(
                "database_failed", f"Không sao được cơ sở dữ liệu: {exc}", f"Cannot copy the database: {exc}"
            ) from exc
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        if not missing or attempt:
            break  # a lake file went since the copy (retention): one more, consistent, try
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "data_time": data_time.isoformat(),
        "host": socket.gethostname(),
        "database": database,
        "files": files,
        "missing": missing,
        "runs": run_ids,
        "versions": _versions(database),
    }
    try:
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    except OSError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise disk_full(exc) if exc.errno == errno.ENOSPC else exc from exc
    return Staged(folder=folder, manifest=manifest)


def read_manifest(folder: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(
            "no_manifest",
            "Bản sao lưu không có bảng kê hợp lệ (manifest.json): không phải bản của nền tảng, hoặc bị hỏng.",
            "The snapshot has no valid manifest (manifest.json): not one of the platform's, or damaged.",
        ) from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(
            "manifest_format",
            f"Bảng kê định dạng {manifest.get('format')} không được hỗ trợ.",
            f"Manifest format {manifest.get('format')} is not supported.",
        )
    return dict(manifest)


def verify(folder: Path, manifest: dict[str, Any], *, database_checksums: bool = True) -> list[str]:
    """Mismatches between a restored folder and its manifest (empty: identical)."""
    problems = checksums.compare_files(manifest["files"], folder)
    database = manifest["database"]
    if database_checksums and database["engine"] == "sqlite" and (folder / database["file"]).is_file():
        try:
            problems += checksums.compare_tables(
                database["tables"], checksums.sqlite_tables(folder / database["file"])
            )
        except sqlite3.Error as exc:
            problems.append(f"database: {exc}")
    return problems


def mismatch_error(problems: list[str]) -> BackupError:
    shown = "; ".join(problems[:5]) + (f" (+{len(problems) - 5})" if len(problems) > 5 else "")
    return BackupError(
        "verify_failed",
        f"Bản khôi phục không khớp bảng kê ({len(problems)} sai khác: {shown}); "
        "dữ liệu đang chạy giữ nguyên.",
        f"The restored copy does not match its manifest ({len(problems)} mismatches: {shown}); the live data "
        "was kept as it was.",
    )
