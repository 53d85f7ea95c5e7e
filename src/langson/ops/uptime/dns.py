"""Names and the DNS: the A and AAAA addresses of a system's host, and the DNS probe (a query to a server).

Addresses are looked up with dnspython against ``LANGSON_UPTIME_RESOLVERS`` when set (the data centre's own
resolvers, or a test's loopback server), else with the operating system's resolver (``getaddrinfo``, which
also reads /etc/hosts). An IP literal is its own address and is not looked up.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass, field

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.nameserver
import dns.query
import dns.rcode
import dns.rdatatype
import dns.resolver
from django.conf import settings

from langson.ops.uptime.targets import Target

MAX_ADDRESSES = 8  # per family: a name with more is still checked on the first one


@dataclass
class Addresses:
    ipv4: list[str] = field(default_factory=list)
    ipv6: list[str] = field(default_factory=list)
    error: str = ""  # why nothing was found (both lists empty)


def nameservers() -> list[tuple[str, int]]:
    """``LANGSON_UPTIME_RESOLVERS`` as (address, port): "10.0.0.53", "127.0.0.1:5353", "[::1]:5353"."""
    found = []
    for item in getattr(settings, "LANGSON_UPTIME_RESOLVERS", []):
        item = item.strip()
        if not item:
            continue
        if item.startswith("["):
            address, _, port = item[1:].partition("]:")
            found.append((address.rstrip("]"), int(port or 53)))
        elif item.count(":") == 1:
            address, port = item.split(":")
            found.append((address, int(port)))
        else:
            found.append((item, 53))
    return found


def resolve(target: Target, timeout: float) -> Addresses:
    """The IPv4 and IPv6 addresses the target's host is checked on."""
    family = target.literal_family
    if family == 4:
        return Addresses(ipv4=[target.host])
    if family == 6:
        return Addresses(ipv6=[str(ipaddress.ip_address(target.host))])
    servers = nameservers()
    if servers:
        return _resolve_with_dnspython(target.host, servers, timeout)
    return _resolve_with_system(target.host)


def _resolve_with_dnspython(host: str, servers: list[tuple[str, int]], timeout: float) -> Addresses:
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = [dns.nameserver.Do53Nameserver(address, port) for address, port in servers]
    resolver.lifetime = timeout
    resolver.timeout = timeout
    found = Addresses()
    errors = []
    for rdtype, into in (("A", found.ipv4), ("AAAA", found.ipv6)):
        try:
            answer = resolver.resolve(host, rdtype, search=False)
        except dns.resolver.NXDOMAIN:
            errors.append(f"Tên miền không tồn tại / NXDOMAIN ({host})")
            break  # the other type cannot exist either
        except dns.resolver.NoAnswer:
            continue
        except dns.exception.Timeout:
            errors.append(f"Máy chủ DNS không trả lời / DNS timeout ({rdtype})")
            continue
        except dns.exception.DNSException as error:
            errors.append(f"Lỗi DNS / DNS error ({rdtype}): {error}")
            continue
        into.extend(rdata.to_text() for rdata in list(answer)[:MAX_ADDRESSES])
    if not found.ipv4 and not found.ipv6:
        found.error = "; ".join(errors) or f"Không có bản ghi A hoặc AAAA / no A or AAAA record ({host})"
    return found


def _resolve_with_system(host: str) -> Addresses:
    found = Addresses()
    errors = []
    for family, into in ((socket.AF_INET, found.ipv4), (socket.AF_INET6, found.ipv6)):
        try:
            infos = socket.getaddrinfo(host, None, family, socket.SOCK_STREAM)
        except socket.gaierror as error:
            errors.append(str(error))
            continue
        for info in infos:
            address = str(info[4][0]).split("%")[0]
            if address not in into and len(into) < MAX_ADDRESSES:
                into.append(address)
    if not found.ipv4 and not found.ipv6:
        found.error = f"Không phân giải được tên / cannot resolve {host}: {'; '.join(errors)}"[:300]
    return found


@dataclass(frozen=True)
class DnsAnswer:
    ok: bool
    latency_ms: float | None
    detail: str


def query(target: Target, address: str, timeout: float) -> DnsAnswer:
    """Ask the server at ``address`` for ``target.query_name`` / ``target.record_type`` (UDP, then TCP when
    the answer is truncated). Up when it answers NOERROR with at least one record of that type."""
    request = dns.message.make_query(target.query_name, target.record_type)
    started = time.monotonic()
    try:
        response = dns.query.udp(request, address, timeout=timeout, port=target.port)
        if response.flags & dns.flags.TC:
            remaining = max(0.05, timeout - (time.monotonic() - started))
            response = dns.query.tcp(request, address, timeout=remaining, port=target.port)
    except dns.exception.Timeout:
        return DnsAnswer(False, None, "Máy chủ DNS không trả lời / DNS query timed out")
    except (OSError, dns.exception.DNSException) as error:
        return DnsAnswer(False, None, f"Lỗi truy vấn DNS / DNS query failed: {error}"[:300])
    latency = (time.monotonic() - started) * 1000
    rcode = response.rcode()
    if rcode != dns.rcode.NOERROR:
        text = dns.rcode.to_text(rcode)
        return DnsAnswer(False, latency, f"Máy chủ DNS trả lời lỗi / DNS answered {text}")
    wanted = dns.rdatatype.from_text(target.record_type)
    records = [rdata.to_text() for rrset in response.answer if rrset.rdtype == wanted for rdata in rrset]
    if not records:
        return DnsAnswer(
            False, latency, f"Không có bản ghi {target.record_type} / no {target.record_type} record"
        )
    return DnsAnswer(True, latency, ", ".join(records)[:300])
