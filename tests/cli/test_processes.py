"""The command line and the long-running processes, as an operator runs them."""

from __future__ import annotations

import signal
import socket
import time
import urllib.request

import pytest

from tests.cli.conftest import Platform


def test_seed_prints_demo_accounts_once(platform: Platform):
    first = platform.run("seed").stdout
    assert "65 xã, phường" in first
    assert "lanhdao" in first and "Lãnh đạo" in first and "Cán bộ xã, phường · Phường Lương Văn Tri" in first
    second = platform.run("seed").stdout
    assert "lanhdao" not in second


def test_audit_verify_names_the_tampered_row(platform: Platform):
    platform.run("seed", "--no-demo")
    ok = platform.run("audit", "verify")
    assert ok.returncode == 0 and ok.stdout.startswith("OK:")
    vendor = platform.python("from django.db import connection; print(connection.vendor)")
    if vendor == "postgresql":
        platform.sql("ALTER TABLE core_auditentry DISABLE TRIGGER core_auditentry_append_only")
    else:
        platform.sql("DROP TRIGGER core_auditentry_no_update")
    platform.sql("UPDATE core_auditentry SET object_repr = 'Xã Giả Mạo' WHERE id = 42")
    failed = platform.run("audit", "verify", check=False)
    assert failed.returncode == 1
    assert "#42" in failed.stderr and "41 mục trước đó toàn vẹn" in failed.stderr


def test_worker_runs_scheduled_jobs(platform: Platform):
    platform.run("seed", "--no-demo")
    result = platform.run("worker", "--batch", "--interval", "0.2")
    assert result.returncode == 0
    done = platform.python(
        "from django_tasks_db.models import DBTaskResult\n"
        "print(sorted((r.task_path.rsplit('.', 1)[1], r.status) for r in DBTaskResult.objects.all()))"
    )
    assert done == (
        "[('alerts_task', 'SUCCESSFUL'), ('backup_task', 'SUCCESSFUL'), "
        "('check_clearance', 'SUCCESSFUL'), "
        "('check_deadlines', 'SUCCESSFUL'), ('check_freshness', 'SUCCESSFUL'), "
        "('compute_app_indicators', 'SUCCESSFUL'), ('deliver_applicant_messages', 'SUCCESSFUL'), "
        "('deliver_notifications', 'SUCCESSFUL'), ('drill_task', 'SUCCESSFUL'), "
        "('evaluate_air_quality', 'SUCCESSFUL'), "
        "('export_readings_task', 'SUCCESSFUL'), "
        "('generate_due_reports', 'SUCCESSFUL'), "
        "('lake_maintenance', 'SUCCESSFUL'), "
        "('prune_task_results', 'SUCCESSFUL'), ('pull_due_sources', 'SUCCESSFUL'), "
        "('retention_task', 'SUCCESSFUL'), ('roll_up_days', 'SUCCESSFUL'), "
        "('run_due_checks', 'SUCCESSFUL'), ('run_rules_task', 'SUCCESSFUL'), "
        "('verify_audit_chain', 'SUCCESSFUL')]"
    )
    # A second worker right after must not run the periodic jobs again.
    platform.run("worker", "--batch", "--interval", "0.2")
    count = platform.python(
        "from django_tasks_db.models import DBTaskResult; print(DBTaskResult.objects.count())"
    )
    assert count == "20"  # the twenty jobs above, once each
    assert (
        platform.python(
            "from langson.core.models import WorkerHeartbeat; print(WorkerHeartbeat.objects.count())"
        )
        == "0"
    )


def test_a_killed_worker_loses_no_task(platform: Platform, tmp_path):
    trace = tmp_path / "trace.txt"
    platform.python(
        "from langson.core.tests.tasks_for_tests import slow_append\n"
        f"slow_append.enqueue({str(trace)!r}, 'hồ sơ 1')"
    )
    worker = platform.popen("worker", "--interval", "0.2", extra_env={"LANGSON_TEST_TASK_SLEEP": "60"})
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        status = platform.python(
            "from django_tasks_db.models import DBTaskResult; print(DBTaskResult.objects.get().status)"
        )
        if status == "RUNNING":
            break
        time.sleep(0.3)
    assert status == "RUNNING"
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    assert not trace.exists()
    time.sleep(2.5)  # let the dead worker's heartbeat go stale (threshold set to 2 s below)
    rerun = platform.run(
        "worker", "--batch", "--interval", "0.2", extra_env={"LANGSON_WORKER_STALE_SECONDS": "2"}
    )
    assert rerun.returncode == 0
    assert trace.read_text(encoding="utf-8") == "hồ sơ 1\n"
    status = platform.python(
        "from django_tasks_db.models import DBTaskResult; print(DBTaskResult.objects.get().status)"
    )
    assert status == "SUCCESSFUL"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
        return response.status, response.read().decode()


@pytest.mark.parametrize("with_worker", [True])
def test_serve_answers_on_ipv4_and_ipv6_with_its_worker(platform: Platform, with_worker: bool):
    platform.run("seed", "--no-demo")
    port = _free_port()
    server = platform.popen("serve", "--port", str(port), "--with-worker")
    try:
        deadline = time.monotonic() + 30
        body = ""
        while time.monotonic() < deadline:
            try:
                status, body = _get(f"http://127.0.0.1:{port}/healthz")
                if '"worker": {"state": "ok"' in body:
                    break
            except OSError:
                pass
            time.sleep(0.3)
        assert '"status": "ok"' in body, body
        status6, body6 = _get(f"http://[::1]:{port}/healthz")
        assert status6 == 200 and '"database": {"state": "ok"' in body6
        status, page = _get(f"http://127.0.0.1:{port}/login/")
        assert status == 200 and 'lang="vi"' in page and "Đăng nhập" in page
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except Exception:
            server.kill()
