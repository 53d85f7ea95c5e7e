"""The operations page, the API and the IOC alerts of backups, on recorded runs and drills (the runs
themselves are made for real by test_backup_restore)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from langson.ioc.models import Alert
from langson.ops.backup import alerts
from langson.ops.backup.runs import run_backup
from langson.ops.indicators_backup import backup_age_hours, drill_rto_seconds
from langson.ops.models import BackupRun, DrillRun

pytestmark = pytest.mark.django_db


def good_backup(hours_ago: float, target: str = "local") -> BackupRun:
    at = timezone.now() - timedelta(hours=hours_ago)
    return BackupRun.objects.create(
        target=target,
        status=BackupRun.Status.SUCCEEDED,
        started_at=at,
        finished_at=at + timedelta(seconds=4),
        data_time=at,
        snapshot_id="a1b2c3d4" * 8,
        bytes_total=2048,
    )


def drill(verified: bool, **fields: Any) -> DrillRun:
    now = timezone.now()
    return DrillRun.objects.create(
        target="local",
        started_at=now,
        finished_at=now + timedelta(seconds=12),
        verified=verified,
        rpo_seconds=fields.pop("rpo_seconds", 1800.0),
        rto_seconds=fields.pop("rto_seconds", 11.25 if verified else None),
        **fields,
    )


def open_alerts(kind: str) -> list[Alert]:
    return list(
        Alert.objects.filter(dedup_key__startswith=f"event:{kind}:").exclude(state=Alert.State.RESOLVED)
    )


def test_a_stale_backup_raises_an_alert_that_the_next_good_backup_clears():
    assert alerts.evaluate()["stale"] == 0  # never attempted: nothing to judge yet
    good_backup(hours_ago=2.5)  # the hourly schedule allows 2 h
    alerts.evaluate()
    [alert] = open_alerts(alerts.STALE)
    assert alert.severity == "critical" and alert.unit.code == "SO-KHCN"
    assert alert.title.startswith("Sao lưu kho cục bộ quá hạn: bản tốt gần nhất đã 2,5 giờ")
    assert backup_age_hours()[0][2] == pytest.approx(2.5, abs=0.01)
    alerts.evaluate()
    assert len(open_alerts(alerts.STALE)) == 1  # one alert per condition, not one per evaluation
    good_backup(hours_ago=0.1)
    alerts.evaluate()
    assert open_alerts(alerts.STALE) == []


def test_backups_that_never_succeed_alert_after_twice_the_schedule():
    BackupRun.objects.create(
        target="local",
        status=BackupRun.Status.FAILED,
        started_at=timezone.now() - timedelta(hours=1),
        error="Sai mật khẩu kho sao lưu",
    )
    alerts.evaluate()
    assert open_alerts(alerts.STALE) == []
    BackupRun.objects.filter(target="local").update(started_at=timezone.now() - timedelta(hours=3))
    alerts.evaluate()
    [alert] = open_alerts(alerts.STALE)
    assert "chưa có bản sao lưu thành công nào" in alert.title


def test_a_failed_drill_raises_an_alert_that_a_good_drill_clears():
    drill(
        False, error="Bản sao lưu bị hỏng", error_en="The snapshot is corrupt", mismatches=["file x: missing"]
    )
    alerts.evaluate()
    [alert] = open_alerts(alerts.DRILL_FAILED)
    assert "Bản sao lưu bị hỏng" in alert.title and alert.severity == "critical"
    drill(True)
    alerts.evaluate()
    assert open_alerts(alerts.DRILL_FAILED) == []
    assert drill_rto_seconds()[-1][2] == 11.2


@pytest.mark.parametrize(
    ("role", "unit", "status"),
    [
        ("administrator", None, 200),
        ("operator", "20", 200),
        ("leader", "20", 200),  # the province's leadership
        ("leader", "6184", 403),  # a commune's chairman: not their concern
        ("commune_officer", "6184", 403),
        ("citizen", None, 403),
    ],
)
def test_page_and_api_are_for_operators_and_provincial_leaders(make_user, api_client, role, unit, status):
    good_backup(hours_ago=0.5)
    drill(True, rpo_seconds=1805.0, rto_seconds=42.5)
    person = make_user(f"saoluu.{role}.{unit}", role, unit)
    client = Client()
    client.force_login(person)
    page = client.get("/van-hanh/sao-luu/")
    assert page.status_code == status
    api = api_client(person)
    answer = api.get("/api/ops/backups/status")
    assert answer.status_code == status
    if status != 200:
        assert answer.json()["code"] == "forbidden"
        return
    html = page.content.decode()
    assert 'data-testid="drill-rpo" data-seconds="1805.0">30 phút</dd>' in html
    assert 'data-testid="drill-rto" data-seconds="42.5">42,5 giây</dd>' in html
    assert 'data-target="local" class="status-ok"' in html and "30 phút" in html
    body = answer.json()
    assert body["last_drill"]["rto_seconds"] == 42.5 and body["last_drill"]["verified"] is True
    assert [t["target"] for t in body["targets"]] == ["local"] and body["targets"][0]["stale"] is False
    assert body["retention"] == {"keep_hourly": 48, "keep_daily": 30, "keep_monthly": 12}
    runs = api.get("/api/ops/backups/runs?status=succeeded").json()
    assert runs["count"] == 1 and runs["items"][0]["snapshot_id"] == "a1b2c3d4" * 8


def test_pages_need_login():
    response = Client().get("/van-hanh/sao-luu/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert Client().get("/api/ops/backups/status").status_code == 401


def test_admin_lists_runs_read_only(administrator):
    run = good_backup(hours_ago=1)
    client = Client()
    administrator.is_staff = True
    administrator.save()
    client.force_login(administrator)
    assert client.get("/admin/ops/backuprun/").status_code == 200
    assert client.get(f"/admin/ops/backuprun/{run.pk}/change/").status_code == 200
    assert client.post(f"/admin/ops/backuprun/{run.pk}/delete/", {"post": "yes"}).status_code == 403
    assert BackupRun.objects.filter(pk=run.pk).exists()


def test_a_missing_restic_is_said_plainly_and_recorded(settings, tmp_path):
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.BACKUP_RESTIC = "/nonexistent/restic"
    [run] = run_backup("local")
    assert run.status == BackupRun.Status.FAILED and run.finished_at is not None
    assert run.error.startswith("Chưa cài restic (/nonexistent/restic): chạy `apt-get install restic`")
    assert run.error_en.startswith("restic (/nonexistent/restic) is not installed")
    assert not (tmp_path / "backups" / "staging").exists()


def test_a_remote_without_configuration_is_refused(settings, tmp_path):
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.BACKUP_S3_URL = ""
    [run] = run_backup("remote")
    assert run.status == BackupRun.Status.FAILED and "LANGSON_BACKUP_S3_URL" in run.error
