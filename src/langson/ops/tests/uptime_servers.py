"""Real servers on loopback for the uptime tests: HTTP(S) on 127.0.0.1 and/or ::1 (same port), a TCP
listener, a DNS server (dnspython messages over UDP and TCP), and self-signed certificates made with
``cryptography``. Import the fixtures into a test module: ``from langson.ops.tests.uptime_servers import *``.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import socketserver
import ssl
import struct
import tempfile
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import dns.flags
import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ZONE_SUFFIX = "langson.test."


# --- HTTP(S) ----------------------------------------------------------------------------------------------


class _V6Server(ThreadingHTTPServer):
    address_family = socket.AF_INET6


class _V4Server(ThreadingHTTPServer):
    address_family = socket.AF_INET


class HttpSite:
    """One site answering on the same port on each of ``hosts`` ("127.0.0.1", "::1"). ``status`` is what it
    answers; ``stop()`` closes its sockets (connection refused), ``start()`` opens them again on that port."""

    def __init__(self, hosts: tuple[str, ...], tls: ssl.SSLContext | None = None) -> None:
        self.hosts = hosts
        self.tls = tls
        self.status = 200
        self.requests: list[dict[str, str]] = []
        self.port = 0
        self._servers: list[ThreadingHTTPServer] = []
        self.start()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.requests.append({"path": self.path, "host": self.headers.get("Host", "")})
                body = b"ok"
                self.send_response(site.status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler

    def _bind(self, host: str, port: int) -> ThreadingHTTPServer:
        cls = _V6Server if ":" in host else _V4Server
        server = cls((host, port), self._handler())
        server.daemon_threads = True
        if self.tls is not None:
            server.socket = self.tls.wrap_socket(server.socket, server_side=True)
        return server

    def start(self) -> None:
        for _attempt in range(20):
            servers: list[ThreadingHTTPServer] = []
            try:
                port = self.port
                for host in self.hosts:
                    server = self._bind(host, port)
                    port = server.server_address[1]
                    servers.append(server)
            except OSError:
                for server in servers:
                    server.server_close()
                if self.port:
                    raise
                continue  # the port the first family got is taken on the other: try another
            self.port = port
            self._servers = servers
            for server in servers:
                threading.Thread(
                    target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
                ).start()
            return
        raise RuntimeError("no common free port on the loopback addresses")

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()
        self._servers = []


# --- certificates -----------------------------------------------------------------------------------------


def self_signed(
    names: list[str], not_after: dt.datetime, not_before: dt.datetime | None = None
) -> ssl.SSLContext:
    """A server context with a fresh self-signed certificate for ``names`` (DNS names or IP addresses)."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    alt: list[x509.GeneralName] = []
    for name in names:
        try:
            alt.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            alt.append(x509.DNSName(name))
    start = not_before or min(
        dt.datetime.now(dt.UTC) - dt.timedelta(days=1), not_after - dt.timedelta(days=1)
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectAlternativeName(alt), critical=False)
        .sign(key, hashes.SHA256())
    )
    folder = Path(tempfile.mkdtemp(prefix="langson-tls-"))
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    context.ca_file = str(cert_file)  # type: ignore[attr-defined] - for tests that trust it
    return context


# --- DNS --------------------------------------------------------------------------------------------------


class DnsServer:
    """An authoritative server for a small zone: ``records[(name, type)] = [values]``, over UDP and TCP on
    the same loopback port. Unknown names answer NXDOMAIN, known names without that type an empty NOERROR."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.records: dict[tuple[str, str], list[str]] = {}
        self.queries: list[tuple[str, str]] = []
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        server = self

        def answer(wire: bytes) -> bytes:
            query = dns.message.from_wire(wire)
            question = query.question[0]
            name, rdtype = question.name.to_text().lower(), dns.rdatatype.to_text(question.rdtype)
            server.queries.append((name, rdtype))
            response = dns.message.make_response(query)
            response.flags |= dns.flags.AA
            values = server.records.get((name, rdtype))
            if values:
                response.answer.append(dns.rrset.from_text_list(name, 60, "IN", rdtype, values))
            elif not any(known == name for known, _type in server.records):
                response.set_rcode(dns.rcode.NXDOMAIN)
            return response.to_wire()

        class Udp(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                data, sock = self.request
                sock.sendto(answer(data), self.client_address)

        class Tcp(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                length = struct.unpack("!H", self.request.recv(2))[0]
                reply = answer(self.request.recv(length))
                self.request.sendall(struct.pack("!H", len(reply)) + reply)

        class UdpServer(socketserver.ThreadingUDPServer):
            address_family = family

        class TcpServer(socketserver.ThreadingTCPServer):
            address_family = family
            allow_reuse_address = True

        # The free UDP port may be taken for TCP (a listener or an outgoing connection's port): try another.
        for _attempt in range(20):
            self.udp = UdpServer((host, 0), Udp)
            self.port = self.udp.server_address[1]
            try:
                self.tcp = TcpServer((host, self.port), Tcp)
                break
            except OSError:
                self.udp.server_close()
        else:
            raise RuntimeError("no port free for both UDP and TCP on the loopback address")
        for s in (self.udp, self.tcp):
            s.daemon_threads = True
            threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def add(self, name: str, rdtype: str, *values: str) -> None:
        self.records[(name.lower().rstrip(".") + ".", rdtype)] = list(values)

    def close(self) -> None:
        for s in (self.udp, self.tcp):
            s.shutdown()
            s.server_close()


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on (bound then released) for "connection refused" checks."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


# --- fixtures ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def dns_server() -> Iterator[DnsServer]:
    server = DnsServer("127.0.0.1")
    yield server
    server.close()


@pytest.fixture
def use_dns(dns_server: DnsServer, settings: Any) -> DnsServer:
    """The uptime resolver asks the loopback DNS server (and only it)."""
    settings.LANGSON_UPTIME_RESOLVERS = [f"127.0.0.1:{dns_server.port}"]
    return dns_server


@pytest.fixture(scope="session")
def dual_site() -> Iterator[HttpSite]:
    """An HTTP site on 127.0.0.1 and ::1, same port."""
    site = HttpSite(("127.0.0.1", "::1"))
    yield site
    site.stop()


@pytest.fixture(scope="session")
def v4_site() -> Iterator[HttpSite]:
    """An HTTP site on 127.0.0.1 only."""
    site = HttpSite(("127.0.0.1",))
    yield site
    site.stop()


@pytest.fixture
def make_site() -> Iterator[Callable[..., HttpSite]]:
    """Per-test sites (that a test may stop and start, or serve with its own certificate)."""
    made: list[HttpSite] = []

    def make(hosts: tuple[str, ...] = ("127.0.0.1",), tls: ssl.SSLContext | None = None) -> HttpSite:
        site = HttpSite(hosts, tls)
        made.append(site)
        return site

    yield make
    for site in made:
        site.stop()


@pytest.fixture
def make_system(db: Any) -> Callable[..., Any]:
    """A MonitoredSystem, validated like the form does, owned by ``owner`` (a unit code)."""
    from langson.core.models import OrgUnit
    from langson.ops.models import MonitoredSystem

    def make(code: str, owner: str = "SO-KHCN", **fields: Any) -> MonitoredSystem:
        fields.setdefault("name", code.replace("-", " ").title())
        fields.setdefault("timeout_seconds", 2.0)
        system = MonitoredSystem(code=code, owner=OrgUnit.objects.get(code=owner), **fields)
        system.full_clean()
        system.save()
        return system

    return make


class Events:
    """The IOC contract's events and clears sent by ops during a test."""

    def __init__(self) -> None:
        self.emitted: list[dict[str, Any]] = []
        self.cleared: list[dict[str, Any]] = []

    def of(self, kind: str) -> list[dict[str, Any]]:
        return [e for e in self.emitted if e["kind"] == kind]

    def cleared_of(self, kind: str) -> list[dict[str, Any]]:
        return [e for e in self.cleared if e["kind"] == kind]


@pytest.fixture
def events() -> Iterator[Events]:
    from langson.core.contract import platform_event, platform_event_cleared

    seen = Events()

    def on_event(sender: str, **kwargs: Any) -> None:
        if sender == "ops":
            seen.emitted.append(kwargs)

    def on_cleared(sender: str, **kwargs: Any) -> None:
        if sender == "ops":
            seen.cleared.append(kwargs)

    platform_event.connect(on_event, weak=False, dispatch_uid="uptime-test-events")
    platform_event_cleared.connect(on_cleared, weak=False, dispatch_uid="uptime-test-cleared")
    yield seen
    platform_event.disconnect(dispatch_uid="uptime-test-events")
    platform_event_cleared.disconnect(dispatch_uid="uptime-test-cleared")


__all__ = [
    "DnsServer",
    "Events",
    "HttpSite",
    "dns_server",
    "dual_site",
    "events",
    "free_port",
    "make_site",
    "make_system",
    "self_signed",
    "use_dns",
    "v4_site",
]
