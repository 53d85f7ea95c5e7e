"""Rate limits shared by every web process: fixed windows counted in one database table.

Why the database: the platform already depends on it from every process, and one upsert
(``INSERT … ON CONFLICT DO UPDATE … RETURNING``, SQLite ≥ 3.35 and PostgreSQL) counts atomically, so
several uvicorn workers behind the proxy see the same numbers without a cache server. Fixed windows are
simple and cheap; a client may get up to twice a limit across a window boundary, which is fine for
brute-force and flood protection.

Buckets: ``login:addr:<address>`` (failed sign-ins per address, on top of axes' username+address lock),
``api:key:<digest>`` (per API key), ``api:user:<id>`` (per signed-in session), ``api:addr:<address>``
(anonymous and public endpoints, and failed API authentication). IPv6 clients count per /64, the block
one subscriber gets, so rotating addresses inside it does not reset the count.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import random
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from langson.core.models import RateLimitCounter, User

PRUNE_AFTER_SECONDS = 24 * 3600  # counters older than a day are deleted now and then
PRUNE_CHANCE = 0.01  # on about one new window in a hundred


@dataclass(frozen=True)
class Rate:
    """``limit`` hits per ``seconds``; ``limit`` 0 switches the limit off."""

    limit: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        """``"20/900"`` (20 per 900 s); ``"off"`` or ``"0"`` for no limit."""
        text = text.strip().lower()
        if text in {"", "0", "off", "none"}:
            return cls(0, 1)
        count, _, seconds = text.partition("/")
        try:
            rate = cls(int(count), int(seconds or "60"))
        except ValueError:
            raise ValueError(
                f"Giới hạn tần suất không hợp lệ: {text!r} (dạng 20/900). / "
                f"Invalid rate limit {text!r} (expected e.g. 20/900)."
            ) from None
        if rate.limit < 0 or rate.seconds <= 0:
            raise ValueError(f"Giới hạn tần suất không hợp lệ: {text!r}. / Invalid rate limit {text!r}.")
        return rate

    @property
    def enabled(self) -> bool:
        return self.limit > 0

    @property
    def lease(self) -> int:
        """Hits one process reserves at once: 1 for small limits (exact), up to 10 for busy ones (≤ 2 %)."""
        return max(1, min(10, self.limit // 50))


@dataclass(frozen=True)
class Decision:
    allowed: bool
    hits: int
    retry_after: int  # seconds until the window ends (Retry-After)


def _window(rate: Rate, now: float) -> tuple[int, int]:
    start = int(now // rate.seconds) * rate.seconds
    return start, max(1, math.ceil(start + rate.seconds - now))


@dataclass
class _Lease:
    """Numbers of a bucket's window reserved by this process and not handed out yet."""

    window_start: int
    next_number: int
    last_number: int


_leases: dict[str, _Lease] = {}
_leases_lock = threading.Lock()
MAX_LEASES = 10_000  # buckets remembered by one process; past this, leases of ended windows are dropped


def _reserve(bucket: str, window_start: int, count: int) -> int:
    """Add ``count`` hits to the shared counter; the new total (this process owns the last ``count``)."""
    table = connection.ops.quote_name(RateLimitCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (bucket, window_start, hits) VALUES (%s, %s, %s) "  # noqa: S608 - our table
            f"ON CONFLICT (bucket, window_start) DO UPDATE SET hits = {table}.hits + %s RETURNING hits",
            [bucket, window_start, count, count],
        )
        return int(cursor.fetchone()[0])


def hit(bucket: str, rate: Rate, now: float | None = None) -> Decision:
    """Count one hit in the bucket's current window; allowed while its number stays within the limit.

    Every hit gets a number in its window, unique across processes. A busy bucket reserves its numbers a
    few at a time (``rate.lease``): one upsert serves several requests, so a popular public endpoint does
    not write at every call. Numbers reserved and not used before the window ends are lost, which can only
    refuse early (at most ``lease - 1`` per process), never let more than the limit through.
    """
    if not rate.enabled:
        return Decision(True, 0, 0)
    now = time.time() if now is None else now
    start, retry_after = _window(rate, now)
    bucket = bucket[:200]
    with _leases_lock:  # one reservation at a time in this process: no thread strands another's numbers
        lease = _leases.get(bucket)
        if lease is None or lease.window_start != start or lease.next_number > lease.last_number:
            total = _reserve(bucket, start, rate.lease)
            lease = _Lease(start, total - rate.lease + 1, total)
            if len(_leases) >= MAX_LEASES:
                for name in [name for name, old in _leases.items() if old.window_start < start]:
                    del _leases[name]
            _leases[bucket] = lease
            if total == rate.lease and random.random() < PRUNE_CHANCE:  # noqa: S311 - housekeeping
                RateLimitCounter.objects.filter(window_start__lt=now - PRUNE_AFTER_SECONDS).delete()
        number = lease.next_number
        lease.next_number += 1
    return Decision(number <= rate.limit, number, retry_after)


def forget_leases() -> None:
    """Drop this process's reserved numbers (tests that reset the counters)."""
    with _leases_lock:
        _leases.clear()


def peek(bucket: str, rate: Rate, now: float | None = None) -> Decision:
    """The bucket's state without counting: is one more hit still allowed?"""
    if not rate.enabled:
        return Decision(True, 0, 0)
    now = time.time() if now is None else now
    start, retry_after = _window(rate, now)
    row = RateLimitCounter.objects.filter(bucket=bucket[:200], window_start=start).first()
    hits = row.hits if row else 0
    return Decision(hits < rate.limit, hits, retry_after)


def client_address(request: HttpRequest) -> str:
    """The client's address as the bucket names it: IPv4 as is, IPv6 by its /64.

    REMOTE_ADDR is the client's own address: `langson serve` takes X-Forwarded-For only from the
    reverse proxy on loopback (uvicorn's forwarded_allow_ips).
    """
    raw = str(request.META.get("REMOTE_ADDR", ""))
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw[:64] or "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def rate(name: str) -> Rate:
    """One of the configured rates (settings.RATE_LIMITS, from LANGSON_RATELIMIT_* variables)."""
    return Rate.parse(str(settings.RATE_LIMITS.get(name, "off")))


# --- sign-in ---------------------------------------------------------------------------------------


def login_bucket(request: HttpRequest) -> str:
    return f"login:addr:{client_address(request)}"


def login_blocked(request: HttpRequest) -> Decision:
    """Has this address used up its failed sign-ins (passwords and two-factor codes alike)?"""
    return peek(login_bucket(request), rate("login"))


def login_failed(request: HttpRequest) -> Decision:
    return hit(login_bucket(request), rate("login"))


# --- API -------------------------------------------------------------------------------------------


def _bearer(request: HttpRequest) -> str:
    header = str(request.META.get("HTTP_AUTHORIZATION", ""))
    scheme, _, credential = header.partition(" ")
    return credential.strip() if scheme.lower() == "bearer" else ""


def api_bucket(request: HttpRequest) -> tuple[str, str] | None:
    """(bucket, rate name) for an API request whose authentication has run; None when exempt.

    Devices (HTTP Basic with their own secret) are exempt: their readings are the telemetry the platform
    must not lose, their number is bounded by the device registry, and the ingest path is benchmarked
    without an extra write per request. Failed device logins still count per address (api_auth_failed).
    """
    auth = getattr(request, "auth", None)
    if auth is not None:
        if str(request.META.get("HTTP_AUTHORIZATION", "")).lower().startswith("basic "):
            return None
        bearer = _bearer(request)
        if bearer:  # the key that just authenticated (API token or dataset key)
            return f"api:key:{hashlib.sha256(bearer.encode()).hexdigest()[:32]}", "api"
    user = getattr(request, "user", None)
    if isinstance(user, User) and user.is_authenticated:
        return f"api:user:{user.pk}", "api"
    return f"api:addr:{client_address(request)}", "api_anonymous"


def api_auth_failed(request: HttpRequest) -> Decision:
    """A request whose credentials were refused counts against its address, like an anonymous one."""
    return hit(f"api:addr:{client_address(request)}", rate("api_anonymous"))


class ApiThrottle(BaseThrottle):
    """django-ninja throttle over the shared counters; ninja answers 429 with Retry-After from wait().

    One instance serves every request, so the wait of the request being checked is kept per thread.
    """

    def __init__(self) -> None:
        self._local = threading.local()

    def allow_request(self, request: HttpRequest) -> bool:
        self._local.wait = None
        chosen = api_bucket(request)
        if chosen is None:
            return True
        bucket, name = chosen
        decision = hit(bucket, rate(name))
        if not decision.allowed:
            self._local.wait = decision.retry_after
        return decision.allowed

    def wait(self) -> float | None:
        return getattr(self._local, "wait", None)
