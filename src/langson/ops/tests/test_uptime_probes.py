"""Probes against real servers on loopback: HTTP over IPv4 and IPv6, TCP connect, DNS queries, the A/AAAA
resolution, IPv6 readiness, and rounds that run concurrently within their timeouts."""

from __future__ import annotations

import socket
import time
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from langson.ops.models import Check, MonitoredSystem
from langson.ops.tests.uptime_servers import *  # noqa: F403
from langson.ops.tests.uptime_servers import DnsServer, HttpSite, free_port
from langson.ops.uptime import dns as uptime_dns
from langson.ops.uptime.scheduling import run_due_checks
from langson.ops.uptime.targets import Target


@pytest.fixture
def zone(use_dns: DnsServer) -> DnsServer:
    use_dns.add("dual.langson.test", "A", "127.0.0.1")
    use_dns.add("dual.langson.test", "AAAA", "::1")
    use_dns.add("v4only.langson.test", "A", "127.0.0.1")
    use_dns.add("v4only.langson.test", "AAAA", "::1")  # published, but nothing answers there
    use_dns.add("legacy.langson.test", "A", "127.0.0.1")  # no AAAA at all
    use_dns.add("langson.test", "MX", "10 mail.langson.test.")
    return use_dns


def _checks(system: MonitoredSystem) -> dict[int, Check]:
    return {c.family: c for c in Check.objects.filter(system=system)}


def test_resolution_asks_the_configured_server_for_a_and_aaaa(zone: DnsServer) -> None:
    found = uptime_dns.resolve(Target("http", "dual.langson.test", 80), timeout=1)
    assert (found.ipv4, found.ipv6, found.error) == (["127.0.0.1"], ["::1"], "")
    assert ("dual.langson.test.", "AAAA") in zone.queries
    missing = uptime_dns.resolve(Target("http", "khong-co.langson.test", 80), timeout=1)
    assert missing.ipv4 == missing.ipv6 == [] and "NXDOMAIN" in missing.error
    literal = uptime_dns.resolve(Target("http", "::1", 80), timeout=1)
    assert (literal.ipv4, literal.ipv6) == ([], ["::1"])


def test_http_on_both_families_is_ipv6_ready(zone: DnsServer, dual_site: HttpSite, make_system: Any) -> None:
    system = make_system("cong-dual", url=f"http://dual.langson.test:{dual_site.port}/trang?x=1")
    dual_site.requests.clear()
    assert run_due_checks().as_dict() == {"checked": 1, "up": 1, "failed": 0}
    system.refresh_from_db()
    checks = _checks(system)
    assert checks[4].ok and checks[4].address == "127.0.0.1" and checks[4].status_code == 200
    assert checks[6].ok and checks[6].address == "::1" and checks[6].latency_ms is not None
    assert system.state == "up" and system.has_aaaa and system.ipv6_ready
    # Each family got a real request for the system's own name and path.
    assert dual_site.requests == [
        {"path": "/trang?x=1", "host": f"dual.langson.test:{dual_site.port}"},
        {"path": "/trang?x=1", "host": f"dual.langson.test:{dual_site.port}"},
    ]


def test_reachable_on_ipv4_only_is_not_ipv6_ready(
    zone: DnsServer, v4_site: HttpSite, make_system: Any
) -> None:
    published = make_system("cong-v4", url=f"http://v4only.langson.test:{v4_site.port}/")
    legacy = make_system("cong-cu", url=f"http://legacy.langson.test:{v4_site.port}/")
    run_due_checks()
    published.refresh_from_db()
    legacy.refresh_from_db()
    checks = _checks(published)
    assert checks[4].ok and not checks[6].ok and "từ chối" in checks[6].detail
    # Users still reach it (browsers fall back to IPv4): partly up, not down, and not IPv6-ready.
    assert published.state == "degraded" and published.has_aaaa and not published.ipv6_ready
    assert legacy.state == "up" and not legacy.has_aaaa and not legacy.ipv6_ready
    assert set(_checks(legacy)) == {4}


def test_unexpected_http_status_fails_the_check(v4_site: HttpSite, make_system: Any) -> None:
    system = make_system("cong-tao", url=f"http://127.0.0.1:{v4_site.port}/", expected_status=204)
    run_due_checks()
    check = Check.objects.get(system=system)
    assert not check.ok and check.status_code == 200 and "expected 204" in check.detail


def test_tcp_connect_up_and_refused(v4_site: HttpSite, make_system: Any) -> None:
    up = make_system("smtp-up", kind="tcp", host="127.0.0.1", port=v4_site.port)
    refused = make_system("smtp-down", kind="tcp", host="127.0.0.1", port=free_port())
    run_due_checks()
    assert Check.objects.get(system=up).ok
    failed = Check.objects.get(system=refused)
    assert not failed.ok and "refused" in failed.detail


def test_dns_probe_queries_the_given_server(zone: DnsServer, make_system: Any) -> None:
    common = {"kind": "dns", "host": "127.0.0.1", "port": zone.port}
    good = make_system("dns-a", query_name="dual.langson.test", record_type="AAAA", **common)
    mx = make_system("dns-mx", query_name="langson.test", record_type="MX", **common)
    nxdomain = make_system("dns-nx", query_name="khong-co.langson.test", **common)
    no_record = make_system("dns-txt", query_name="langson.test", record_type="TXT", **common)
    run_due_checks()
    assert Check.objects.get(system=good).detail == "::1"
    assert Check.objects.get(system=mx).ok
    assert "NXDOMAIN" in Check.objects.get(system=nxdomain).detail
    missing = Check.objects.get(system=no_record)
    assert not missing.ok and "no TXT record" in missing.detail


def test_dns_server_that_never_answers_times_out(make_system: Any) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:
        silent.bind(("127.0.0.1", 0))  # bound, never read: the query is swallowed
        system = make_system(
            "dns-cam",
            kind="dns",
            host="127.0.0.1",
            port=silent.getsockname()[1],
            query_name="langson.test",
            timeout_seconds=0.3,
        )
        started = time.monotonic()
        run_due_checks()
    assert time.monotonic() - started < 2
    check = Check.objects.get(system=system)
    assert not check.ok and "timed out" in check.detail


def test_slow_systems_do_not_delay_the_others(v4_site: HttpSite, make_system: Any) -> None:
    """Three servers that accept and never answer, each with a 1 s timeout, and a fast one: the run takes
    about one timeout, not three, and the fast system is up."""
    listeners = []
    for n in range(3):
        listener = socket.create_server(("127.0.0.1", 0))
        listeners.append(listener)
        make_system(f"cham-{n}", url=f"http://127.0.0.1:{listener.getsockname()[1]}/", timeout_seconds=1.0)
    fast = make_system("nhanh", url=f"http://127.0.0.1:{v4_site.port}/")
    try:
        started = time.monotonic()
        summary = run_due_checks()
        elapsed = time.monotonic() - started
    finally:
        for listener in listeners:
            listener.close()
    assert summary.as_dict() == {"checked": 4, "up": 1, "failed": 3}
    assert 0.9 < elapsed < 2.5
    assert Check.objects.get(system=fast).ok
    assert all("timed out" in c.detail for c in Check.objects.filter(system__code__startswith="cham-"))


def test_each_system_keeps_its_own_interval(v4_site: HttpSite, make_system: Any) -> None:
    every_minute = make_system("moi-phut", url=f"http://127.0.0.1:{v4_site.port}/", interval_seconds=60)
    every_five = make_system("nam-phut", url=f"http://127.0.0.1:{v4_site.port}/", interval_seconds=300)
    start = timezone.now()
    for tick in range(0, 330, 30):  # the worker's 30 s ticks for five and a half minutes
        run_due_checks(start + timedelta(seconds=tick))
    assert Check.objects.filter(system=every_minute).count() == 6  # 0, 60, …, 300
    assert Check.objects.filter(system=every_five).count() == 2  # 0, 300
    # An inactive system is not checked.
    every_five.active = False
    every_five.save()
    run_due_checks(start + timedelta(seconds=600))
    assert Check.objects.filter(system=every_five).count() == 2
