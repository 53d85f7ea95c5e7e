"""``langson drill``: prove a backup can be restored, and measure how long it takes.

The latest snapshot of a target is restored into a scratch folder (in the backup folder, away from the live
data), verified against its manifest (every file's SHA-256; every table's row count and checksum, for
PostgreSQL after ``pg_restore`` into a scratch database of its own), laid out as a data directory, and
**served**: ``langson serve`` runs on it on a free loopback port until ``/healthz`` answers 200 with the
database and the lake up. That is the "working restored instance": the same code path users hit, on the
restored data only. Then everything scratch is removed (the scratch database dropped).

- **RPO** (recovery point): the drill's start minus the snapshot's data time, i.e. the data that would be
  lost had the main site been lost when the drill began;
- **RTO** (recovery time): from the drill's start to the restored instance answering.

Each drill is a ``DrillRun``; a failed one raises the IOC alert ``backup.drill_failed``, a good one clears it.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from django.utils import timezone

from langson.ops.backup import checksums, postgres, restic, snapshot
from langson.ops.backup.config import BackupError, backup_dir
from langson.ops.models import DrillRun

logger = logging.getLogger(__name__)

SERVE_TIMEOUT = 90.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _lay_out(restored: Path, manifest: dict[str, Any], data: Path) -> None:
    """The restored parts where a fresh data directory keeps them (the settings' defaults)."""
    data.mkdir(parents=True)
    moves = {"lake": "lake", "uploads/dossiers": "dossiers", "uploads/border": "border"}
    moves["instance/secret_key"] = "secret_key"
    if manifest["database"]["engine"] == "sqlite":
        moves[manifest["database"]["file"]] = "langson.sqlite3"
    for source, destination in moves.items():
        if (restored / source).exists():
            os.rename(restored / source, data / destination)


def _health(url: str) -> dict[str, Any] | None:
    try:
        with urllib.request.urlopen(url, timeout=3) as response:  # noqa: S310 - loopback, our own instance
            if response.status == 200:
                return dict(json.loads(response.read()))
    except (OSError, ValueError, urllib.error.URLError):
        return None
    return None


def serve_until_healthy(data: Path, database_url: str | None) -> None:
    """Start the platform on the restored data and wait for /healthz 200 (database and lake ok)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LANGSON_", "DATABASE_URL"))}
    env["LANGSON_DATA_DIR"] = str(data)
    if database_url:
        env["DATABASE_URL"] = database_url
        env["LANGSON_DB_POOL"] = "0"
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "langson.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + SERVE_TIMEOUT
        while time.monotonic() < deadline:
            body = _health(f"http://127.0.0.1:{port}/healthz")
            checks = (body or {}).get("checks", {})
            if (
                body
                and checks.get("database", {}).get("state") == "ok"
                and checks.get("lake", {}).get("state") in ("ok", "not_checked")
            ):
                return
            if process.poll() is not None:
                break
            time.sleep(0.2)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            _out, errors = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            _out, errors = process.communicate()
    detail = (errors or "").strip().splitlines()[-1:] or ["no answer"]
    raise BackupError(
        "instance_failed",
        f"Bản khôi phục không chạy được: /healthz không trả lời 200 ({detail[0][:200]}).",
        f"The restored instance does not work: /healthz did not answer 200 ({detail[0][:200]}).",
    )


def _restore_postgres(folder: Path, manifest: dict[str, Any], name: str) -> list[str]:
    postgres.create_database(name)
    postgres.restore(folder / manifest["database"]["file"], name, clean=False)
    with postgres.connect(name) as conn:
        return checksums.compare_tables(manifest["database"]["tables"], checksums.postgres_tables(conn))


def _drill(drill: DrillRun, started: float) -> None:
    scratch = backup_dir() / f"drill-{uuid.uuid4().hex[:12]}"
    scratch_db = None
    try:
        repo = restic.open_repository(drill.target, create=False)
        with snapshot.exclusive():
            snap = restic.find_snapshot(repo, "latest")
            drill.snapshot_id = snap.id
            restored = scratch / "restored"
            restic.restore(repo, snap, restored)
            manifest = snapshot.read_manifest(restored)
            drill.data_time = datetime.fromisoformat(manifest["data_time"])
            problems = snapshot.verify(restored, manifest)
            database_url = None
            if manifest["database"]["engine"] == "postgresql" and not problems:
                scratch_db = f"{postgres.connect_kwargs()['dbname']}_drill_{uuid.uuid4().hex[:8]}"[:63]
                problems += _restore_postgres(restored, manifest, scratch_db)
                database_url = postgres.database_url(scratch_db)
            drill.mismatches = problems
            if problems:
                raise snapshot.mismatch_error(problems)
            _lay_out(restored, manifest, scratch / "data")
            serve_until_healthy(scratch / "data", database_url)
            drill.rto_seconds = round(time.monotonic() - started, 3)
            drill.verified = True
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        if scratch_db:
            try:
                postgres.drop_database(scratch_db)
            except Exception:
                logger.exception("could not drop the drill's scratch database %s", scratch_db)


def run_drill(target: str = "local") -> DrillRun:
    started = time.monotonic()
    drill = DrillRun.objects.create(target=target, started_at=timezone.now())
    try:
        _drill(drill, started)
    except BackupError as exc:
        drill.verified = False
        drill.error, drill.error_en = exc.message_vi, exc.message_en
    except Exception as exc:
        logger.exception("drill failed")
        drill.verified = False
        drill.error = f"Lỗi không lường trước: {type(exc).__name__}: {exc}"
        drill.error_en = f"Unexpected error: {type(exc).__name__}: {exc}"
    drill.finished_at = timezone.now()
    if drill.data_time is not None:
        drill.rpo_seconds = round((drill.started_at - drill.data_time).total_seconds(), 3)
    drill.save()
    from langson.ops.backup.alerts import drill_alert

    drill_alert(drill)
    return drill


def as_json(drill: DrillRun) -> str:
    return json.dumps(
        {
            "verified": drill.verified,
            "rpo_seconds": drill.rpo_seconds,
            "rto_seconds": drill.rto_seconds,
            "target": drill.target,
            "snapshot_id": drill.snapshot_id,
            "data_time": drill.data_time.isoformat() if drill.data_time else None,
            "mismatches": drill.mismatches,
            "error": drill.error,
            "error_en": drill.error_en,
        },
        ensure_ascii=False,
    )
