"""Pages of uptime: the public status page (no login, only public systems), the registry within the
organisation scope, audited changes, the read API, the public JSON, and the worker job."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from langson.core.models import AuditEntry, Schedule
from langson.ops.models import Check, Incident, MonitoredSystem
from langson.ops.tests.uptime_servers import *  # noqa: F403
from langson.ops.tests.uptime_servers import HttpSite


@pytest.fixture
def systems(make_system: Any) -> dict[str, MonitoredSystem]:
    return {
        "public": make_system("cong-dvc", owner="VP-UBND", url="http://127.0.0.1:9/", public=True),
        "internal": make_system("qlvb", owner="VP-UBND", url="http://127.0.0.1:9/qlvb", public=False),
        "retired": make_system("cu", owner="VP-UBND", url="http://127.0.0.1:9/", public=True, active=False),
        "justice": make_system("ly-lich-tu-phap", owner="SO-TP", url="http://127.0.0.1:9/", public=True),
        "commune": make_system("xa-dong-dang", owner="6184", url="http://127.0.0.1:9/"),
    }


@pytest.fixture
def officer(make_user: Any) -> Any:
    return make_user("canbo.sotp", "department_officer", "SO-TP")


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_status_page_is_public_and_shows_only_public_systems(systems: dict[str, MonitoredSystem]) -> None:
    down = systems["justice"]
    now = timezone.now()
    down.state, down.state_since, down.monitored_since = (
        "down",
        now - timedelta(minutes=5),
        now - timedelta(hours=2),
    )
    down.save()
    Check.objects.create(system=down, at=now - timedelta(minutes=5), family=4, ok=False)
    Incident.objects.create(system=down, started_at=now - timedelta(minutes=5))
    response = Client().get("/van-hanh/trang-thai/")
    assert response.status_code == 200
    page = response.content.decode()
    shown = {s.system.code for s in response.context["board"].systems}
    assert shown == {"cong-dvc", "ly-lich-tu-phap"}  # not the internal one, not the retired one
    assert "Quản lý văn bản" not in page and "Qlvb" not in page
    assert "<script" not in page.split('<main id="content">')[1]  # nothing of its own needs JavaScript
    assert "Có hệ thống đang gián đoạn." in page and "✖ Gián đoạn" in page
    assert 'data-testid="open-incidents"' in page
    # The day bars say in words what their colour shows; 90 days each.
    assert page.count('<li class="none"') + page.count('<li class="major"') == 180
    assert "chưa có số liệu" in page and "gián đoạn, sẵn sàng" in page
    short = Client().get("/trang-thai/")
    assert short.status_code == 302 and short.url == "/van-hanh/trang-thai/"


def test_public_status_json(systems: dict[str, MonitoredSystem]) -> None:
    Incident.objects.create(system=systems["internal"], started_at=timezone.now())  # never shown
    body = Client().get("/api/ops/status").json()
    assert [s["code"] for s in body["systems"]] == ["cong-dvc", "ly-lich-tu-phap"]
    assert len(body["systems"][0]["days"]) == 90 and body["systems"][0]["state"] == "unknown"
    assert body["open_incidents"] == []


def test_registry_follows_the_organisation(
    systems: dict[str, MonitoredSystem],
    officer: Any,
    commune_officer: Any,
    administrator: Any,
    make_user: Any,
) -> None:
    client = _client(officer)
    listed = {r["system"].code for r in client.get("/van-hanh/he-thong/").context["rows"]}
    assert listed == {"ly-lich-tu-phap"}
    assert client.get("/van-hanh/he-thong/qlvb/").status_code == 404  # another department's: not disclosed
    assert client.get("/van-hanh/he-thong/ly-lich-tu-phap/").status_code == 200
    assert client.get("/van-hanh/he-thong/ly-lich-tu-phap/sua/").status_code == 200
    # A commune officer sees the commune's systems but does not keep the registry.
    commune = _client(commune_officer)
    assert {r["system"].code for r in commune.get("/van-hanh/he-thong/").context["rows"]} == {"xa-dong-dang"}
    assert commune.get("/van-hanh/he-thong/xa-dong-dang/sua/").status_code == 403
    assert commune.get("/van-hanh/he-thong/them/").status_code == 403
    admin_rows = _client(administrator).get("/van-hanh/he-thong/").context["rows"]
    assert len(admin_rows) == 4  # every active system
    assert _client(make_user("dan", "citizen")).get("/van-hanh/he-thong/").status_code == 403
    assert Client().get("/van-hanh/he-thong/").status_code == 302  # to the login page


# The registry's form for a department's web portal, as a person fills it in.
REGISTRATION = {
    "code": "cong-tu-phap",
    "name": "Cổng thông tin Sở Tư pháp",
    "owner": "SO-TP",
    "kind": "http",
    "url": "https://stp.langson.gov.vn/",
    "record_type": "A",
    "expected_status": "200",
    "interval_seconds": "60",
    "timeout_seconds": "10",
    "public": "on",
    "active": "on",
}


def test_owning_department_registers_and_edits_with_audit(officer: Any, systems: Any) -> None:
    client = _client(officer)
    form = REGISTRATION
    response = client.post("/van-hanh/he-thong/them/", form)
    assert response.status_code == 302 and response.url == "/van-hanh/he-thong/cong-tu-phap/"
    created = MonitoredSystem.objects.get(code="cong-tu-phap")
    entry = AuditEntry.objects.get(model__iendswith="monitoredsystem", object_pk=str(created.pk))
    assert entry.action == "create" and entry.actor_id == officer.pk and entry.channel == "web"
    # Edits are audited too; the worker's bookkeeping is not.
    response = client.post("/van-hanh/he-thong/cong-tu-phap/sua/", {**form, "interval_seconds": "120"})
    assert response.status_code == 302
    update = AuditEntry.objects.get(object_pk=str(created.pk), action="update")
    assert "interval_seconds" in update.changes and "next_check_at" not in update.changes
    # Not for another department, and not with a definition that cannot be checked.
    refused = client.post("/van-hanh/he-thong/them/", {**form, "code": "khac", "owner": "VP-UBND"})
    assert refused.status_code == 200 and "owner" in refused.context["form"].errors
    bad = client.post("/van-hanh/he-thong/them/", {**form, "code": "sai", "url": "ftp://x"})
    assert "http:// hoặc https://" in str(bad.context["form"].errors["url"])
    slow = client.post("/van-hanh/he-thong/them/", {**form, "code": "cham", "timeout_seconds": "60"})
    assert "timeout_seconds" in slow.context["form"].errors
    assert not MonitoredSystem.objects.filter(code__in=["khac", "sai", "cham"]).exists()


def test_fields_of_another_kind_of_check_are_not_kept(officer: Any) -> None:
    """An HTTP check registered with a host and a DNS name typed in their (hidden) fields: neither was
    checked, so neither is stored; a DNS check keeps its name and no URL."""
    client = _client(officer)
    form = {**REGISTRATION, "host": "<b>not checked</b>", "port": "8080", "query_name": "not..a..name",
            "record_type": "MX"}  # fmt: skip
    assert client.post("/van-hanh/he-thong/them/", form).status_code == 302
    http = MonitoredSystem.objects.get(code="cong-tu-phap")
    assert (http.host, http.port, http.query_name, http.record_type) == ("", None, "", "A")
    dns = {**form, "code": "dns-tinh", "kind": "dns", "host": "127.0.0.1", "port": "53",
           "query_name": "langson.gov.vn"}  # fmt: skip
    assert client.post("/van-hanh/he-thong/them/", dns).status_code == 302
    saved = MonitoredSystem.objects.get(code="dns-tinh")
    assert (saved.url, saved.host, saved.query_name, saved.record_type) == (
        "",
        "127.0.0.1",
        "langson.gov.vn",
        "MX",
    )


def test_read_api_is_scoped(systems: dict[str, MonitoredSystem], officer: Any, api_client: Any) -> None:
    client = api_client(officer)
    listed = client.get("/api/ops/systems").json()
    assert [s["code"] for s in listed["items"]] == ["ly-lich-tu-phap"]
    assert listed["items"][0]["owner"] == {"code": "SO-TP", "name": "Sở Tư pháp"}
    assert client.get("/api/ops/systems/qlvb").status_code == 404
    detail = client.get("/api/ops/systems/ly-lich-tu-phap").json()
    assert len(detail["days"]) == 30 and detail["ipv6_ready"] is False
    assert client.get("/api/ops/systems/ly-lich-tu-phap/incidents").json()["count"] == 0
    assert Client().get("/api/ops/systems").status_code == 401


def test_the_worker_job_runs_the_due_checks(v4_site: HttpSite, make_system: Any) -> None:
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    from langson.core.services import jobs

    system = make_system("cong-worker", url=f"http://127.0.0.1:{v4_site.port}/")
    jobs.store_schedules()
    assert Schedule.objects.get(name="ops.uptime_checks").interval_seconds == 30
    Schedule.objects.exclude(name="ops.uptime_checks").update(enabled=False)
    assert jobs.enqueue_due_schedules() == ["ops.uptime_checks"]
    # The queued task is run as the database worker runs it (its loop closes connections between tasks,
    # which a test's transaction cannot allow; the real loop is exercised in tests/cli/test_processes.py).
    [queued] = DBTaskResult.objects.ready()
    assert queued.task_path == "langson.ops.uptime.tasks.run_due_checks"
    Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="pytest-uptime",
        excluded_queue_names=[],
    ).run_task(queued)
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL" and queued.return_value == {"checked": 1, "up": 1, "failed": 0}
    system.refresh_from_db()
    assert system.state == "up" and system.last_checked_at is not None
    assert Check.objects.filter(system=system, ok=True).count() == 1
    assert system.next_check_at == system.last_checked_at + timedelta(seconds=system.interval_seconds)
