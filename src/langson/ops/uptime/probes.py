"""Probes: one check of one address of a system (HTTP(S), TCP connect, DNS query), each bounded by the
system's timeout, and a round: the host resolved (A and AAAA), then one check per address family.

Nothing here touches the database: rounds run in threads (``scheduling``), their results are stored by the
caller.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass, field

from langson.ops.uptime import dns as uptime_dns
from langson.ops.uptime.targets import Target
from langson.ops.uptime.tls import Certificate, handshake

USER_AGENT = "langson-uptime/1 (+https://langson.gov.vn)"


@dataclass(frozen=True)
class Probe:
    family: int  # 4, 6, or 0 when the host could not be resolved
    address: str
    ok: bool
    latency_ms: float | None = None
    status_code: int | None = None
    detail: str = ""
    certificate: Certificate | None = None


@dataclass
class Round:
    """One round of a system: its addresses and a probe per family checked."""

    addresses: uptime_dns.Addresses
    probes: list[Probe] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Answered on at least one family: users reach it (browsers fall back to the other family)."""
        return any(p.ok for p in self.probes)

    def family_ok(self, family: int) -> bool | None:
        found = [p.ok for p in self.probes if p.family == family]
        return found[0] if found else None

    @property
    def certificate(self) -> Certificate | None:
        return next((p.certificate for p in self.probes if p.certificate is not None), None)


def _failure(error: BaseException) -> str:
    if isinstance(error, socket.timeout | TimeoutError):
        return "Quá thời gian chờ / timed out"
    if isinstance(error, ConnectionRefusedError):
        return "Bị từ chối kết nối / connection refused"
    if isinstance(error, ssl.SSLError):
        return f"Lỗi TLS / TLS error: {error}"
    if isinstance(error, http.client.HTTPException):
        return f"Trả lời HTTP không hợp lệ / invalid HTTP answer: {error!r}"
    return f"Không kết nối được / cannot connect: {error}"


def check_http(target: Target, family: int, address: str, timeout: float) -> Probe:
    """GET the URL from ``address``; up when the answer's status is ``expected`` (checked by the caller)."""
    started = time.monotonic()
    certificate = None
    try:
        sock: socket.socket
        if target.tls:
            sock, certificate = handshake(address, target.port, target.host, timeout)
        else:
            sock = socket.create_connection((address, target.port), timeout=timeout)
        # The rest of the exchange gets what is left of the timeout, so one probe never exceeds it much.
        sock.settimeout(max(0.05, timeout - (time.monotonic() - started)))
        connection = http.client.HTTPConnection(target.host, target.port, timeout=timeout)
        connection.sock = sock
        try:
            connection.putrequest("GET", target.path, skip_host=True, skip_accept_encoding=True)
            connection.putheader("Host", target.host_header)
            connection.putheader("User-Agent", USER_AGENT)
            connection.putheader("Connection", "close")
            connection.endheaders()
            response = connection.getresponse()
            status = response.status
        finally:
            connection.close()
    except (OSError, http.client.HTTPException) as error:
        return Probe(family, address, False, detail=_failure(error)[:300], certificate=certificate)
    latency = (time.monotonic() - started) * 1000
    return Probe(family, address, True, latency, status, f"HTTP {status}", certificate)


def check_tcp(target: Target, family: int, address: str, timeout: float) -> Probe:
    started = time.monotonic()
    try:
        with socket.create_connection((address, target.port), timeout=timeout):
            pass
    except OSError as error:
        return Probe(family, address, False, detail=_failure(error)[:300])
    return Probe(family, address, True, (time.monotonic() - started) * 1000, detail="TCP OK")


def check_dns(target: Target, family: int, address: str, timeout: float) -> Probe:
    answer = uptime_dns.query(target, address, timeout)
    return Probe(family, address, answer.ok, answer.latency_ms, detail=answer.detail)


PROBES = {"http": check_http, "tcp": check_tcp, "dns": check_dns}


def run_round(target: Target, timeout: float, expected_status: int = 200) -> Round:
    """Resolve the host, then check the first address of each family found."""
    addresses = uptime_dns.resolve(target, timeout)
    result = Round(addresses)
    if not addresses.ipv4 and not addresses.ipv6:
        result.probes.append(Probe(0, "", False, detail=addresses.error[:300]))
        return result
    probe = PROBES[target.kind]
    for family, found in ((4, addresses.ipv4), (6, addresses.ipv6)):
        if not found:
            continue
        outcome = probe(target, family, found[0], timeout)
        if target.kind == "http" and outcome.ok and outcome.status_code != expected_status:
            outcome = Probe(
                family,
                outcome.address,
                False,
                outcome.latency_ms,
                outcome.status_code,
                f"HTTP {outcome.status_code} (mong đợi / expected {expected_status})",
                outcome.certificate,
            )
        result.probes.append(outcome)
    return result
