"""The worker's uptime job: every ``TICK_SECONDS`` it runs the rounds of the systems that are due, each on its
own interval, concurrently (a slow system waits on its own timeout, never on another's), then stores them.

A system is claimed by a conditional update of its ``next_check_at`` (as ``core.services.jobs`` claims
schedules), so two workers never check it twice for the same slot. The next slot keeps the system's phase
(previous slot + k × interval), so a late tick does not push every later check back.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from langson.ops.models import Check, MonitoredSystem
from langson.ops.uptime import incidents, tls
from langson.ops.uptime.dns import Addresses
from langson.ops.uptime.probes import Probe, Round, run_round
from langson.ops.uptime.targets import TargetError, parse_target

logger = logging.getLogger(__name__)

TICK_SECONDS = 30
JOIN_MARGIN_SECONDS = 2.0  # beyond a round's own bound (resolution + one probe per family)


@dataclass(frozen=True)
class RunSummary:
    checked: int
    up: int
    failed: int

    def as_dict(self) -> dict[str, int]:
        return {"checked": self.checked, "up": self.up, "failed": self.failed}


def _next_slot(system: MonitoredSystem, now: datetime) -> datetime:
    interval = timedelta(seconds=system.interval_seconds)
    slot = system.next_check_at or now
    if slot > now:
        return slot
    missed = (now - slot) // interval
    return slot + (missed + 1) * interval


def claim_due(now: datetime) -> list[MonitoredSystem]:
    """The active systems due at ``now``, each claimed for this run."""
    due = MonitoredSystem.objects.select_related("owner").filter(
        Q(next_check_at__isnull=True) | Q(next_check_at__lte=now), active=True
    )
    claimed = []
    for system in due:
        following = _next_slot(system, now)
        # A conditional update, not save(): the claim must be atomic across workers, and next_check_at is
        # the monitor's bookkeeping (excluded from the audit), not a person's change.
        won = MonitoredSystem.objects.filter(pk=system.pk, next_check_at=system.next_check_at).update(
            next_check_at=following
        )
        if won:
            system.next_check_at = following
            claimed.append(system)
    return claimed


def _round_bound(system: MonitoredSystem) -> float:
    return 3 * system.timeout_seconds + JOIN_MARGIN_SECONDS  # resolution, IPv4, IPv6


def probe_all(systems: list[MonitoredSystem]) -> dict[int, Round]:
    """One round per system, concurrently; a round that overruns its bound counts as failed."""
    if not systems:
        return {}
    rounds: dict[int, Round] = {}
    pool = ThreadPoolExecutor(
        max_workers=min(len(systems), settings.LANGSON_UPTIME_CONCURRENCY), thread_name_prefix="uptime"
    )
    futures: dict[Future[Round], MonitoredSystem] = {}
    for system in systems:
        try:
            target = parse_target(system)
        except TargetError as error:
            rounds[system.pk] = Round(
                Addresses(), [Probe(0, "", False, detail=f"Cấu hình sai / bad definition: {error}")]
            )
            continue
        futures[pool.submit(run_round, target, system.timeout_seconds, system.expected_status)] = system
    done, late = wait(futures, timeout=max((_round_bound(s) for s in systems), default=0))
    for future in done:
        system = futures[future]
        try:
            rounds[system.pk] = future.result()
        except Exception as error:  # a probe bug must not stop the other systems' results
            logger.exception("uptime round of %s failed", system.code)
            rounds[system.pk] = Round(Addresses(), [Probe(0, "", False, detail=str(error)[:300])])
    for future in late:
        system = futures[future]
        rounds[system.pk] = Round(
            Addresses(), [Probe(0, "", False, detail="Quá thời gian chờ / round timed out")]
        )
    pool.shutdown(wait=False, cancel_futures=True)
    return rounds


def record(system: MonitoredSystem, result: Round, at: datetime) -> None:
    """Store a round: its checks, the system's addresses, families, certificate, state and incident."""
    with transaction.atomic():
        Check.objects.bulk_create(
            Check(
                system=system,
                at=at,
                family=p.family,
                address=p.address,
                ok=p.ok,
                latency_ms=p.latency_ms,
                status_code=p.status_code,
                detail=p.detail,
            )
            for p in result.probes
        )
        if result.addresses.ipv4 or result.addresses.ipv6:
            system.ipv4_addresses = result.addresses.ipv4
            system.ipv6_addresses = result.addresses.ipv6
        system.ipv4_ok = result.family_ok(4)
        system.ipv6_ok = result.family_ok(6)
        certificate = result.certificate
        if certificate is not None:
            system.tls_not_after = certificate.not_after
            system.tls_verified = certificate.verified
            system.tls_error = certificate.error
        elif not system.url.startswith("https:"):
            system.tls_not_after, system.tls_verified, system.tls_error = None, None, ""
        tls.follow_level(system, tls.level(system.tls_not_after, at), at)
        incidents.apply_round(system, result, at)
        system.last_checked_at = at
        system.monitored_since = system.monitored_since or at
        system.save(update_fields=list(MonitoredSystem.MONITOR_FIELDS))


def retire_inactive(now: datetime) -> int:
    """Systems deactivated since their last round: incident ended, alerts cleared (``incidents.retire``)."""
    retired = 0
    stale = (
        MonitoredSystem.objects.select_related("owner")
        .filter(active=False)
        .exclude(state=MonitoredSystem.State.UNKNOWN, tls_level="")
    )
    for system in stale:
        incidents.retire(system, system.last_checked_at or now)
        retired += 1
    return retired


def run_due_checks(now: datetime | None = None) -> RunSummary:
    """The job's body: claim, probe concurrently, store. ``now`` is the round's time (tests pass theirs)."""
    now = now or timezone.now()
    retire_inactive(now)
    systems = claim_due(now)
    rounds = probe_all(systems)
    up = 0
    for system in systems:
        result = rounds[system.pk]
        try:
            record(system, result, now)
        except Exception:
            logger.exception("cannot store the uptime round of %s", system.code)
            continue
        up += result.ok
    return RunSummary(checked=len(systems), up=up, failed=len(systems) - up)
