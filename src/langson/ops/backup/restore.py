"""``langson restore``: a chosen snapshot brought back, verified before anything live moves.

1. restic restores the snapshot into a scratch folder *next to* the data directory (same file system, so
   the swap is a rename);
2. every file is checked against the snapshot's manifest (SHA-256 and size), and for SQLite every table
   (row count and checksum); any mismatch stops here, nothing live touched;
3. the swap: each live part (database file with its -wal/-shm, lake, uploads, secret key) is renamed aside,
   the restored one renamed into its place; a failure puts everything back. For PostgreSQL the dump then
   goes into the configured database with ``pg_restore --clean --single-transaction`` (all or nothing; a
   failure puts the files back), and the tables are checked against the manifest;
4. only then the set-aside parts are deleted, and the restored database records the restore (audit) and
   the outcome of the backup runs that were running when its copy was taken.

The platform must be stopped (web and worker): a restore refuses while a worker's heartbeat is fresh.
"""

from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

from langson.ops.backup import checksums, postgres, restic, snapshot
from langson.ops.backup.config import BackupError, is_sqlite, secret_key_file, sqlite_path, upload_roots

logger = logging.getLogger(__name__)


@dataclass
class RestoreResult:
    target: str
    snapshot_id: str
    data_time: str
    files: int
    tables: int


def scratch_folder(prefix: str) -> Path:
    data = Path(settings.DATA_DIR)
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    return data.parent / f".{data.name}-{prefix}-{stamp}"


def _has_files(path: Path) -> bool:
    if path.is_file():
        return path.stat().st_size > 0
    return path.is_dir() and any(p.is_file() for p in path.rglob("*"))


def live_data_exists() -> bool:
    parts = [Path(settings.LAKE_DIR), *upload_roots().values()]
    if is_sqlite():
        parts.append(sqlite_path())
    elif _postgres_has_tables():
        return True
    return any(_has_files(part) for part in parts)


def _postgres_has_tables() -> bool:
    try:
        with postgres.connect() as conn:
            row = conn.execute(
                "SELECT count(*) FROM pg_tables "
                "WHERE schemaname = 'public' AND tablename = 'django_migrations'"
            ).fetchone()
    except Exception:  # an unreachable or missing database holds no live data to protect
        return False
    return bool(row and row[0])


def _worker_running() -> bool:
    try:
        from langson.core.models import WorkerHeartbeat

        cutoff = timezone.now() - timedelta(seconds=settings.WORKER_STALE_SECONDS)
        return WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).exists()
    except Exception:  # no database yet (the main site was lost): nothing is running on it
        return False
    finally:
        connections.close_all()


def _move(source: Path, destination: Path) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.rename(source, destination)
    except OSError:
        shutil.move(str(source), str(destination))  # another file system (a LANGSON_LAKE_DIR elsewhere)


def _parts(restored: Path, manifest: dict[str, Any]) -> list[tuple[Path | None, Path]]:
    """(restored path or None: the live part goes away, live path) for every part of the platform."""

    def found(relative: str) -> Path | None:
        path = restored / relative
        return path if path.exists() else None

    parts: list[tuple[Path | None, Path]] = []
    if manifest["database"]["engine"] == "sqlite":
        live = sqlite_path()
        parts.append((found(manifest["database"]["file"]), live))
        for suffix in ("-wal", "-shm", "-journal"):
            parts.append((None, live.with_name(live.name + suffix)))  # a stale WAL would corrupt the copy
    parts.append((found("lake"), Path(settings.LAKE_DIR)))
    for label, root in upload_roots().items():
        parts.append((found(f"uploads/{label}"), root))
    parts.append((found("instance/secret_key"), secret_key_file()))
    return parts


def swap_in(parts: list[tuple[Path | None, Path]], stamp: str) -> list[Path]:
    """Rename each live part aside and the restored one into place; all undone on failure. Returns the
    set-aside paths, for the caller to delete once everything succeeded."""
    done: list[tuple[Path | None, Path, Path | None]] = []
    try:
        for staged, live in parts:
            aside = None
            if live.exists() or live.is_symlink():
                aside = live.with_name(f".{live.name}.before-restore-{stamp}")
                os.rename(live, aside)
            done.append((staged, live, aside))
            if staged is not None:
                _move(staged, live)
    except BaseException:
        for staged, live, aside in reversed(done):
            if staged is not None and live.exists() and not staged.exists():
                _move(live, staged)
            if aside is not None:
                os.rename(aside, live)
        raise
    return [aside for _staged, _live, aside in done if aside is not None]


def undo_swap(parts: list[tuple[Path | None, Path]], asides: list[Path], stamp: str) -> None:
    for staged, live in reversed(parts):
        aside = live.with_name(f".{live.name}.before-restore-{stamp}")
        if staged is not None and live.exists():
            _move(live, staged)
        if aside in asides:
            os.rename(aside, live)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def fetch_and_verify(repo: restic.Target, snap: restic.Snapshot, folder: Path) -> dict[str, Any]:
    """The snapshot restored into ``folder`` and checked; BackupError (folder removed) on any mismatch."""
    try:
        restic.restore(repo, snap, folder)
        manifest = snapshot.read_manifest(folder)
        problems = snapshot.verify(folder, manifest)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    if problems:
        shutil.rmtree(folder, ignore_errors=True)
        raise snapshot.mismatch_error(problems)
    return manifest


def _record(target: str, snap: restic.Snapshot, manifest: dict[str, Any]) -> None:
    """In the restored database: the restore itself (audit), and the runs its copy caught running."""
    from langson.core.services import audit
    from langson.ops.models import BackupRun

    with transaction.atomic():
        for run in BackupRun.objects.filter(pk__in=manifest.get("runs", []), status=BackupRun.Status.RUNNING):
            if run.target == target:
                run.status, run.snapshot_id, run.finished_at = BackupRun.Status.SUCCEEDED, snap.id, snap.time
                run.data_time = datetime.fromisoformat(manifest["data_time"])
            else:
                run.status, run.finished_at = BackupRun.Status.FAILED, snap.time
                run.error = "Không rõ kết quả: dữ liệu đã được khôi phục từ bản chụp lấy trong lần chạy này."
                run.error_en = "Outcome unknown: the data was restored from the copy taken during this run."
            run.save()
        audit.append(
            "restore",
            model="ops.backuprun",
            object_pk=snap.id[:64],
            object_repr=f"restic {snap.short_id} ({target})",
            changes={"target": target, "snapshot": snap.id, "data_time": manifest["data_time"]},
        )


def restore(wanted: str = "latest", target_name: str = "local", *, yes: bool = False) -> RestoreResult:
    restic.binary()
    if live_data_exists() and not yes:
        raise BackupError(
            "live_data",
            "Đang có dữ liệu: khôi phục sẽ thay thế nó. Chạy lại với --yes nếu đúng ý.",
            "Live data exists and would be replaced. Run again with --yes if that is intended.",
        )
    if _worker_running():
        raise BackupError(
            "platform_running",
            "Nền tảng đang chạy (có worker): dừng web và worker trước khi khôi phục.",
            "The platform is running (a worker is alive): stop the web and worker processes first.",
        )
    repo = restic.open_repository(target_name, create=False)
    with snapshot.exclusive():
        snap = restic.find_snapshot(repo, wanted)
        folder = scratch_folder("restore")
        manifest = fetch_and_verify(repo, snap, folder)
        stamp = folder.name.rsplit("-", 1)[1]
        parts = _parts(folder, manifest)
        connections.close_all()  # no connection of ours may keep the old database file open
        try:
            asides = swap_in(parts, stamp)
            if manifest["database"]["engine"] == "postgresql":
                try:
                    postgres.restore(folder / manifest["database"]["file"], clean=True)
                except BaseException:
                    undo_swap(parts, asides, stamp)
                    raise
                with postgres.connect() as conn:
                    problems = checksums.compare_tables(
                        manifest["database"]["tables"], checksums.postgres_tables(conn)
                    )
                if problems:
                    raise snapshot.mismatch_error(problems)
            for aside in asides:
                _remove(aside)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        _record(target_name, snap, manifest)
    return RestoreResult(
        target=target_name,
        snapshot_id=snap.id,
        data_time=manifest["data_time"],
        files=len(manifest["files"]),
        tables=len(manifest["database"]["tables"]),
    )
