"""Rate limits: shared counters (atomic across connections), sign-in per address, the API per key, per
person and per address, with 429 + Retry-After and the project's error body; devices and probes spared."""

from __future__ import annotations

import base64
import json
import os
import sqlite3
import subprocess
import sys
import uuid

import pytest
from django.db import connection
from django.test import Client, RequestFactory

from langson.core import ratelimit
from langson.core.models import RateLimitCounter
from langson.core.ratelimit import Rate

PASSWORD = "mat-khau-thu-nghiem"


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # the hasher is not tested


@pytest.fixture
def limits(settings):
    def set_limits(**rates: str) -> None:
        settings.RATE_LIMITS = {"login": "off", "api": "off", "api_anonymous": "off", **rates}

    return set_limits


def test_rates_parse_and_refuse_nonsense():
    assert Rate.parse("20/900") == Rate(20, 900)
    assert Rate.parse(" 5 ") == Rate(5, 60)
    assert not Rate.parse("off").enabled and not Rate.parse("0").enabled
    for bad in ("abc", "5/x", "-1/60", "5/0"):
        with pytest.raises(ValueError, match=r"Giới hạn tần suất không hợp lệ.*Invalid rate limit"):
            Rate.parse(bad)


@pytest.mark.django_db
def test_fixed_windows_count_and_tell_when_to_retry():
    rate = Rate(3, 60)
    t0 = 1_000_020.0  # 20 s into a window that starts at 1_000_020 - 1_000_020 % 60 = 999_960 + 60
    start = int(t0 // 60) * 60
    decisions = [ratelimit.hit("t:a", rate, now=t0 + i) for i in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert decisions[-1].hits == 4 and decisions[-1].retry_after == start + 60 - int(t0 + 3)
    assert not ratelimit.peek("t:a", rate, now=t0 + 5).allowed
    assert ratelimit.peek("t:b", rate, now=t0).allowed  # another bucket is untouched
    assert ratelimit.hit("t:a", rate, now=start + 60).allowed  # the next window starts afresh
    assert ratelimit.hit("t:a", Rate.parse("off"), now=t0).allowed


# What migration core 0003 creates on SQLite (its schema editor cannot run inside the test's transaction).
SQLITE_TABLE = """
CREATE TABLE "core_ratelimitcounter" (
  "id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "bucket" varchar(200) NOT NULL,
  "window_start" bigint NOT NULL, "hits" integer unsigned NOT NULL CHECK ("hits" >= 0),
  CONSTRAINT "one_counter_per_bucket_window" UNIQUE ("bucket", "window_start"))
"""

# One web process with several request threads, each on its own database connection.
HITTER = """
import json, os, sys, threading, traceback
import django
django.setup()
from django.db import connection
from langson.core import ratelimit
rate, allowed, failures = ratelimit.Rate(500, 3600), [], []  # numbers reserved 10 at a time
def serve():
    try:
        for _ in range(150):
            allowed.append(ratelimit.hit(os.environ["BUCKET"], rate).allowed)
    except Exception:  # a request thread that dies must fail the process, not shorten its answer
        failures.append(traceback.format_exc())
    finally:
        connection.close()
threads = [threading.Thread(target=serve) for _ in range(2)]
[t.start() for t in threads]
[t.join() for t in threads]
if failures:
    sys.exit("".join(failures))
print(json.dumps(allowed))
"""


@pytest.mark.django_db
def test_counts_are_exact_when_several_processes_hit_at_once(tmp_path):
    """Several web processes share the counters: the upsert must count every hit exactly once.

    Real processes with the platform's own settings: on PostgreSQL against the test database, on SQLite
    against a database file (the test database lives in memory, out of other processes' reach).
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env["DJANGO_SETTINGS_MODULE"] = "langson.settings"
    # Rows the other processes commit outlive this test's rolled-back transaction: a bucket of its own.
    env["BUCKET"] = bucket = f"t:shared:{uuid.uuid4().hex}"
    if connection.vendor == "postgresql":
        database = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        )
    else:
        with sqlite3.connect(tmp_path / "shared.sqlite3") as db:
            db.execute(SQLITE_TABLE)
            # As `langson migrate` leaves the platform's file before any web process starts. Four connections
            # switching a fresh file to WAL at once can get "database is locked" without waiting (SQLite takes
            # no busy wait there): 15 of 300 such starts here, none of 300 on a file already in WAL.
            db.execute("PRAGMA journal_mode=WAL")
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    workers = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", HITTER], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    allowed: list[bool] = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err[-2000:]
        allowed += json.loads(out.strip().splitlines()[-1])
    # Each process used every number it reserved (300 hits = 30 leases of 10), so the limit is exact.
    assert len(allowed) == 600 and allowed.count(True) == 500
    if connection.vendor == "postgresql":
        assert RateLimitCounter.objects.get(bucket=bucket).hits == 600
    else:
        with sqlite3.connect(tmp_path / "shared.sqlite3") as db:
            assert db.execute("SELECT hits FROM core_ratelimitcounter").fetchall() == [(600,)]


@pytest.mark.django_db
def test_busy_buckets_reserve_numbers_ten_at_a_time(django_assert_num_queries):
    """A popular public endpoint does not write at every call; small limits stay exact (one at a time)."""
    assert Rate(3000, 60).lease == 10 and Rate(300, 60).lease == 6 and Rate(30, 900).lease == 1
    busy = Rate(3000, 60)
    with django_assert_num_queries(1):
        decisions = [ratelimit.hit("t:busy", busy, now=1_000_000.0) for _ in range(10)]
    assert [d.hits for d in decisions] == list(range(1, 11))
    with django_assert_num_queries(1):
        assert ratelimit.hit("t:busy", busy, now=1_000_001.0).hits == 11
    assert RateLimitCounter.objects.get(bucket="t:busy").hits == 20
    # Numbers never carry into the next window.
    assert ratelimit.hit("t:busy", busy, now=1_000_060.0).hits == 1


def test_ipv6_clients_count_per_64_and_mapped_ipv4_as_ipv4():
    factory = RequestFactory()
    one = factory.get("/", REMOTE_ADDR="2001:db8:1:2::a")
    two = factory.get("/", REMOTE_ADDR="2001:db8:1:2:ffff::b")
    other = factory.get("/", REMOTE_ADDR="2001:db8:1:3::a")
    assert ratelimit.client_address(one) == ratelimit.client_address(two) == "2001:db8:1:2::/64"
    assert ratelimit.client_address(other) != ratelimit.client_address(one)
    assert ratelimit.client_address(factory.get("/", REMOTE_ADDR="::ffff:10.1.2.3")) == "10.1.2.3"


def test_device_requests_are_exempt_and_keys_count_apart():
    factory = RequestFactory()
    device = factory.post("/api/city/telemetry", HTTP_AUTHORIZATION="Basic ZGV2OnNlY3JldA==")
    device.auth = object()  # type: ignore[attr-defined]  # as DeviceBasic leaves it
    assert ratelimit.api_bucket(device) is None
    keyed = factory.get("/api/core/units", HTTP_AUTHORIZATION="Bearer ls_abc")
    keyed.auth = object()  # type: ignore[attr-defined]
    bucket, name = ratelimit.api_bucket(keyed)  # type: ignore[misc]
    assert bucket.startswith("api:key:") and "ls_abc" not in bucket and name == "api"
    # An unverified bearer on a public endpoint (auth never ran) counts against the address, not the key.
    unverified = factory.get("/api/", HTTP_AUTHORIZATION="Bearer made-up", REMOTE_ADDR="10.9.9.9")
    assert ratelimit.api_bucket(unverified) == ("api:addr:10.9.9.9", "api_anonymous")


def login(client: Client, username: str, password: str = PASSWORD, **extra: str):
    return client.post("/login/", {"username": username, "password": password}, **extra)


@pytest.mark.django_db
def test_failed_sign_ins_are_limited_per_address(limits, make_user):
    limits(login="3/900")
    make_user("canbo.a", "commune_officer", "6184")
    client = Client(REMOTE_ADDR="10.0.0.50")
    # Three wrong passwords for three different names: under axes' per-name lock, over the address limit.
    for name in ("canbo.a", "canbo.b", "canbo.c"):
        assert login(client, name, "sai-mat-khau-1").status_code == 200
    blocked = login(client, "canbo.a")  # even the right password waits
    assert blocked.status_code == 429
    assert 0 < int(blocked["Retry-After"]) <= 900
    assert "Có quá nhiều lần đăng nhập sai từ địa chỉ của bạn" in blocked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address is not affected, and a successful sign-in is not counted.
    elsewhere = Client(REMOTE_ADDR="10.0.0.51")
    assert login(elsewhere, "canbo.a").status_code == 302
    assert RateLimitCounter.objects.filter(bucket="login:addr:10.0.0.51").count() == 0


@pytest.mark.django_db
def test_api_keys_are_limited_each_on_its_own(limits, api_client, commune_officer, make_user):
    limits(api="3/60")
    first = api_client(commune_officer)
    second = api_client(make_user("canbo.khac", "commune_officer", "5983"))
    statuses = [first.get("/api/core/units").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = first.get("/api/core/units")
    body = refused.json()
    assert body["code"] == "rate_limited"
    assert body["detail"].startswith("Quá nhiều yêu cầu") and body["detail_en"].startswith(
        "Too many requests"
    )
    assert 0 < int(refused["Retry-After"]) <= 60 and body["retry_after"] == int(refused["Retry-After"])
    assert second.get("/api/core/units").status_code == 200  # another key has its own count


@pytest.mark.django_db
def test_session_callers_count_per_person(limits, commune_officer):
    limits(api="2/60")
    client = Client()
    client.force_login(commune_officer)
    assert [client.get("/api/core/units").status_code for _ in range(3)] == [200, 200, 429]


@pytest.mark.django_db
def test_anonymous_and_refused_calls_count_per_address(limits):
    limits(api_anonymous="3/60", api="1/60")
    client = Client(REMOTE_ADDR="10.0.0.60")
    assert client.get("/api/").status_code == 200  # public
    assert client.get("/api/core/units").status_code == 401  # no credentials
    bad = Client(REMOTE_ADDR="10.0.0.60", headers={"Authorization": "Bearer ls_khong-phai-khoa"})
    assert bad.get("/api/core/units").status_code == 401
    # A device's wrong secret costs a password hash on our side: it counts too.
    device = base64.b64encode(b"khong-co-thiet-bi:sai").decode()
    refused = Client(REMOTE_ADDR="10.0.0.60", headers={"Authorization": f"Basic {device}"}).post(
        "/api/city/telemetry", "{}", content_type="application/json"
    )
    assert refused.status_code == 429 and refused.json()["code"] == "rate_limited"
    assert client.get("/api/").status_code == 429
    assert Client(REMOTE_ADDR="10.0.0.61").get("/api/").status_code == 200


@pytest.mark.django_db
def test_probes_and_pages_are_never_throttled_by_the_api_limits(limits):
    limits(api="1/60", api_anonymous="1/60")
    client = Client(REMOTE_ADDR="10.0.0.70")
    for _ in range(5):
        assert client.get("/healthz").status_code in (200, 503)
        assert client.get("/login/").status_code == 200
    assert not RateLimitCounter.objects.filter(bucket__startswith="api:").exists()


@pytest.mark.django_db
def test_counters_prune_old_windows(monkeypatch):
    monkeypatch.setattr(ratelimit, "PRUNE_CHANCE", 1.0)
    RateLimitCounter.objects.create(bucket="t:old", window_start=1_000, hits=9)
    ratelimit.hit("t:new", Rate(5, 60), now=1_000 + ratelimit.PRUNE_AFTER_SECONDS + 120)
    buckets = set(RateLimitCounter.objects.values_list("bucket", flat=True))
    assert "t:old" not in buckets and "t:new" in buckets


def test_the_counter_sql_runs_on_this_database_engine():
    assert connection.vendor in ("sqlite", "postgresql")  # the two the upsert is written for
