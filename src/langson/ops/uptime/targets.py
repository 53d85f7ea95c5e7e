"""What a system's definition means on the network: scheme, host name, port and path (pure, no I/O)."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

LABEL = r"[a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9])?"
HOSTNAME = re.compile(rf"^(?=.{{1,253}}$){LABEL}(\.{LABEL})*\.?$")
DNS_PORT = 53


class TargetError(Exception):
    """A definition that cannot be checked; ``field`` names the form field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Target:
    kind: str  # http | tcp | dns
    host: str  # a DNS name or an IP literal (without brackets)
    port: int
    tls: bool = False
    path: str = "/"
    query_name: str = ""
    record_type: str = "A"

    @property
    def literal_family(self) -> int | None:
        """4 or 6 when the host is an IP address (then it is not resolved), else None."""
        try:
            return ipaddress.ip_address(self.host).version
        except ValueError:
            return None

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if self.literal_family == 6 else self.host
        default = 443 if self.tls else 80
        return host if self.port == default else f"{host}:{self.port}"


def valid_host(host: str) -> bool:
    if not host:
        return False
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return bool(HOSTNAME.match(host))


def parse_target(system: Any) -> Target:
    """The ``Target`` of a ``MonitoredSystem`` (or anything with its fields); ``TargetError`` if unusable."""
    kind = system.kind
    if kind == "http":
        url = (system.url or "").strip()
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise TargetError("url", _("Địa chỉ phải bắt đầu bằng http:// hoặc https:// và có tên máy chủ."))
        if parts.username or parts.password:
            raise TargetError("url", _("Địa chỉ không được chứa tên đăng nhập hoặc mật khẩu."))
        try:
            port = parts.port
        except ValueError as error:
            raise TargetError("url", _("Cổng trong địa chỉ không hợp lệ.")) from error
        host = parts.hostname
        if not valid_host(host):
            raise TargetError("url", _("Tên máy chủ trong địa chỉ không hợp lệ."))
        tls = parts.scheme == "https"
        path = parts.path or "/"
        if parts.query:
            path = f"{path}?{parts.query}"
        return Target("http", host, port or (443 if tls else 80), tls=tls, path=path)
    host = (system.host or "").strip().strip("[]")
    if not valid_host(host):
        raise TargetError("host", _("Hãy nhập tên miền hoặc địa chỉ IP hợp lệ của máy chủ."))
    if kind == "tcp":
        if not system.port:
            raise TargetError("port", _("Kiểm tra TCP cần số cổng."))
        return Target("tcp", host, int(system.port))
    if kind == "dns":
        name = (system.query_name or "").strip()
        if not name or not HOSTNAME.match(name):
            raise TargetError("query_name", _("Hãy nhập tên miền cần phân giải."))
        return Target(
            "dns", host, int(system.port or DNS_PORT), query_name=name, record_type=system.record_type or "A"
        )
    raise TargetError("kind", _("Loại kiểm tra không hợp lệ."))
