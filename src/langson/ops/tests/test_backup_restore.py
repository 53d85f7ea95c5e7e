"""Backups, restore and drills as an operator runs them: `langson backup/restore/drill` subprocesses against
a platform of their own (SQLite in a temporary data directory, or a scratch PostgreSQL database in the
PostgreSQL pass), the remote repository on a real SeaweedFS with SigV4 auth, restic from Debian."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from typing import Any

import pytest
from tests.cli.conftest import Platform

from langson.ops.tests.conftest import SeaweedFS

CREATE_DATA = r"""
import datetime as dt, hashlib
import pyarrow as pa
from langson.core.models import OrgUnit
from langson.core.services.durable_files import write_durably
from langson.ioc.lake.writer import write_batch
from langson.services.storage import path_of

OrgUnit.objects.create(code="SAO-LUU-1", name="Trung tâm dữ liệu tỉnh", kind="department")
OrgUnit.objects.create(code="SAO-LUU-2", name="Phòng Hạ tầng số", kind="unit",
                       parent=OrgUnit.objects.get(code="SAO-LUU-1"))
at = dt.datetime(2026, 3, 2, 8, 30, tzinfo=dt.timezone.utc)
write_batch("backup_probe", pa.table({"at": [at, at], "k": ["a", "b"], "v": [1.5, 2.5]}),
            time_column="at", key_columns=["k"])
scan = "Đơn đề nghị cấp phép — bản quét".encode() * 50
write_durably(path_of(hashlib.sha256(scan).hexdigest()), scan)
from django.conf import settings
border = settings.DATA_DIR / "border" / "ab" / ("ab" + "0" * 62)
write_durably(border, b"%PDF-1.4 commercial invoice")
"""

STATE = r"""
import json
from pathlib import Path
from django.conf import settings
from langson.ops.backup import checksums, config
if config.is_sqlite():
    tables = checksums.sqlite_tables(config.sqlite_path(), live=True)
else:
    from langson.ops.backup import postgres
    with postgres.connect() as conn:
        tables = checksums.postgres_tables(conn)
files = {}
roots = {"lake": Path(settings.LAKE_DIR), **{f"uploads/{k}": v for k, v in config.upload_roots().items()}}
for label, root in roots.items():
    for path in sorted(root.rglob("*")) if root.exists() else []:
        if path.is_file():
            files[f"{label}/{path.relative_to(root)}"] = checksums.file_sha256(path)
print(json.dumps({"tables": tables, "files": files}))
"""

# Bookkeeping that a backup or a restore writes by design: the runs and the audit log.
BOOKKEEPING = {"ops_backuprun", "ops_drillrun", "core_auditentry"}


def state(platform: Platform) -> dict[str, Any]:
    return dict(json.loads(platform.python(STATE)))


def data_tables(found: dict[str, Any]) -> dict[str, Any]:
    return {name: sums for name, sums in found["tables"].items() if name not in BOOKKEEPING}


def is_postgres(platform: Platform) -> bool:
    return platform.env.get("DATABASE_URL", "").startswith("postgres")


def data_dir_digest(platform: Platform) -> dict[str, str]:
    """Every file of the data directory, byte for byte (SQLite's database included)."""
    digests = {}
    for path in sorted(platform.data_dir.rglob("*")):
        if path.is_file() and not path.name.endswith(("-shm", "-wal")):
            digests[str(path.relative_to(platform.data_dir))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


def live_fingerprint(platform: Platform) -> tuple[dict[str, str], dict[str, Any] | None]:
    """The data directory byte for byte; on PostgreSQL the tables too (the database lives elsewhere)."""
    return data_dir_digest(platform), state(platform)["tables"] if is_postgres(platform) else None


def destroy(platform: Platform) -> None:
    """The main site is lost: the data directory, and the database's tables on PostgreSQL."""
    if is_postgres(platform):
        platform.sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    shutil.rmtree(platform.data_dir)


def last_json(output: str) -> dict[str, Any]:
    return dict(json.loads(output.strip().splitlines()[-1]))


def test_backup_to_s3_survives_the_loss_of_the_data_directory(backup_platform: Platform):
    platform = backup_platform
    platform.python(CREATE_DATA)
    before = state(platform)
    assert before["tables"]["core_orgunit"]["rows"] >= 2 and before["tables"]["ioc_lakefile"]["rows"] == 1
    assert {k.split("/")[0] for k in before["files"]} == {"lake", "uploads"} and len(before["files"]) == 3

    backed = platform.run("backup", "--target", "remote")
    assert backed.stdout.startswith("OK remote: restic "), backed.stdout + backed.stderr
    runs = json.loads(
        platform.python(
            "import json; from langson.ops.models import BackupRun\n"
            "print(json.dumps([[r.target, r.status, r.snapshot_id, len(r.manifest['files'])] "
            "for r in BackupRun.objects.all()]))"
        )
    )
    assert [(t, s, n) for t, s, _id, n in runs] == [("remote", "succeeded", 5)]  # + database, secret key

    destroy(platform)
    assert not platform.data_dir.exists()
    restored = platform.run("restore", "latest", "--target", "remote")
    assert restored.stdout.startswith("OK: đã khôi phục"), restored.stdout + restored.stderr

    after = state(platform)
    assert after["files"] == before["files"]
    assert data_tables(after) == data_tables(before)
    # The audit log is the one of the snapshot plus the restore itself.
    assert after["tables"]["core_auditentry"]["rows"] == before["tables"]["core_auditentry"]["rows"] + 1
    last = platform.python(
        "from langson.core.models import AuditEntry; e = AuditEntry.objects.order_by('id').last(); "
        "print(e.action, e.channel)"
    )
    assert last == "restore cli"
    # The run that made the snapshot learns its outcome in the restored database.
    outcome = platform.python(
        "from langson.ops.models import BackupRun\n"
        "print([(r.status, r.snapshot_id) for r in BackupRun.objects.all()])"
    )
    assert outcome == str([("succeeded", runs[0][2])])

    drill = platform.run("drill", "--target", "remote", "--json", check=False)
    figures = last_json(drill.stdout)
    assert drill.returncode == 0, drill.stdout + drill.stderr
    assert figures["verified"] is True and figures["mismatches"] == []
    assert figures["rpo_seconds"] > 0 and 0 < figures["rto_seconds"] < 120

    page = platform.python(
        "from django.test import Client\n"
        "from langson.core.models import User\n"
        "admin = User.objects.create(username='quantri.saoluu', role='administrator')\n"
        "client = Client()\nclient.force_login(admin)\n"
        "response = client.get('/van-hanh/sao-luu/')\n"
        "print(response.status_code)\nprint(response.content.decode())"
    )
    status, html = page.split("\n", 1)
    assert status == "200"
    assert re.search(r'data-testid="drill-result" class="status-ok">Khôi phục được', html)
    rpo = re.search(r'data-testid="drill-rpo" data-seconds="([\d.]+)"', html)
    rto = re.search(r'data-testid="drill-rto" data-seconds="([\d.]+)"', html)
    assert rpo and float(rpo.group(1)) == pytest.approx(figures["rpo_seconds"], abs=0.001)
    assert rto and float(rto.group(1)) == pytest.approx(figures["rto_seconds"], abs=0.001)
    assert 'data-target="remote" class="status-ok"' in html


def test_backup_failures_say_why_and_touch_no_data(backup_platform: Platform, seaweedfs: SeaweedFS):
    platform = backup_platform
    platform.python(CREATE_DATA)
    platform.run("backup", "--target", "local")
    before = state(platform)

    # A wrong S3 secret is refused by the server (its SigV4 auth is real), and never printed.
    refused = platform.run(
        "backup",
        "--target",
        "remote",
        check=False,
        extra_env={"LANGSON_BACKUP_S3_SECRET_KEY": "not-the-secret"},
    )
    assert refused.returncode == 1
    assert "Kho S3 từ chối khóa truy cập" in refused.stderr and "refused the access key" in refused.stderr
    assert "not-the-secret" not in refused.stderr + refused.stdout
    wrong_key = platform.run(
        "backup", "--target", "local", check=False, extra_env={"LANGSON_BACKUP_PASSWORD": "sai-mat-khau"}
    )
    assert wrong_key.returncode == 1 and "Sai mật khẩu kho sao lưu" in wrong_key.stderr
    closed_port = seaweedfs.endpoint.rsplit(":", 1)[0] + ":9"  # discard port: nothing listens
    unreachable = platform.run(
        "backup",
        "--target",
        "remote",
        check=False,
        extra_env={"LANGSON_BACKUP_S3_URL": f"s3:{closed_port}/{seaweedfs.bucket}/nowhere"},
    )
    assert unreachable.returncode == 1 and "Không kết nối được kho sao lưu từ xa" in unreachable.stderr
    assert "Cannot reach the remote backup repository" in unreachable.stderr
    after = state(platform)
    assert after["files"] == before["files"] and data_tables(after) == data_tables(before)
    failed = platform.python(
        "from langson.ops.models import BackupRun\n"
        "print(sorted(r.error_en.split(':')[0][:40] for r in BackupRun.objects.filter(status='failed')))"
    )
    assert failed == str(
        [
            "Cannot reach the remote backup repositor",
            "The S3 server refused the access key (LA",
            "Wrong backup repository password (LANGSO",
        ]
    )


def test_restore_refuses_bad_snapshots_and_keeps_live_data_byte_identical(backup_platform: Platform):
    platform = backup_platform
    platform.python(CREATE_DATA)
    platform.run("backup", "--target", "local")
    # Live data moves on after the backup: a restore would change it, a failed one must not.
    platform.python(
        "from langson.core.models import OrgUnit; OrgUnit.objects.filter(code='SAO-LUU-2').delete()"
    )
    fingerprint = live_fingerprint(platform)

    no_yes = platform.run("restore", check=False)
    assert no_yes.returncode == 1 and "Chạy lại với --yes" in no_yes.stderr
    wrong_key = platform.run("restore", "--yes", check=False, extra_env={"LANGSON_BACKUP_PASSWORD": "sai"})
    assert wrong_key.returncode == 1 and "Sai mật khẩu kho sao lưu" in wrong_key.stderr
    unreachable = platform.run(
        "restore",
        "--yes",
        "--target",
        "remote",
        check=False,
        extra_env={"LANGSON_BACKUP_S3_URL": "s3:http://127.0.0.1:9/langson-backups/x"},
    )
    assert unreachable.returncode == 1 and "Không kết nối được kho sao lưu từ xa" in unreachable.stderr
    assert live_fingerprint(platform) == fingerprint

    # Damage every pack file of the repository (bytes flipped in the middle, as a failing disk would).
    packs = [p for p in (platform.data_dir.parent / "backups" / "restic" / "data").rglob("*") if p.is_file()]
    assert packs
    for pack in packs:
        pack.chmod(0o600)
        content = bytearray(pack.read_bytes())
        for i in range(len(content) // 3, len(content) // 3 + 64):
            content[i] ^= 0xFF
        pack.write_bytes(bytes(content))
    shutil.rmtree(platform.data_dir.parent / "backups" / "cache", ignore_errors=True)
    corrupt = platform.run("restore", "--yes", check=False)
    assert corrupt.returncode == 1, corrupt.stdout
    assert "Bản sao lưu bị hỏng" in corrupt.stderr or "không khớp bảng kê" in corrupt.stderr, corrupt.stderr
    assert live_fingerprint(platform) == fingerprint
    leftovers = [p.name for p in platform.data_dir.parent.iterdir() if "restore" in p.name]
    assert leftovers == []  # the scratch folder is gone too

    drill = platform.run("drill", "--json", check=False)
    assert drill.returncode == 1 and last_json(drill.stdout)["verified"] is False
    assert live_fingerprint(platform)[0].keys() == fingerprint[0].keys()
