"""TLS certificates of HTTPS systems: the handshake (verified, or not when the certificate is self-signed or
invalid, so its expiry is still read), the expiry level, and the IOC alert ``uptime.tls_expiring``.

Levels: *expired* (notAfter passed: a critical alert), *warning* (under ``LANGSON_UPTIME_TLS_WARNING_DAYS``,
14 by default: a warning), *ok*. The alert follows the level: it is raised when the level becomes warning
or expired and cleared when it goes back to ok (a renewed certificate) or the system is no longer checked.
"""

from __future__ import annotations

import socket
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cryptography import x509
from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _

from langson.core.contract import clear, emit

ALERT_KIND = "uptime.tls_expiring"


@dataclass(frozen=True)
class Certificate:
    not_after: datetime
    verified: bool
    error: str = ""  # why it did not verify


def _verifying_context() -> ssl.SSLContext:
    context = ssl.create_default_context()
    ca_file = getattr(settings, "LANGSON_UPTIME_CA_FILE", "")
    if ca_file:
        context.load_verify_locations(cafile=ca_file)  # the province's own PKI, besides the public CAs
    return context


def _unverified_context() -> ssl.SSLContext:
    # Only to read an invalid certificate's dates: nothing is sent but the probe's GET.
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def handshake(address: str, port: int, hostname: str, timeout: float) -> tuple[ssl.SSLSocket, Certificate]:
    """A TLS connection to ``address`` for ``hostname`` (SNI) and its certificate. A certificate that does not
    verify costs a second handshake without verification, to read it; the connection is still used."""
    error = ""
    for verify in (True, False):
        raw = socket.create_connection((address, port), timeout=timeout)
        context = _verifying_context() if verify else _unverified_context()
        try:
            tls = context.wrap_socket(raw, server_hostname=hostname)
        except ssl.SSLCertVerificationError as refused:
            raw.close()
            error = str(refused.verify_message or refused)[:300]
            continue
        except BaseException:
            raw.close()
            raise
        der = tls.getpeercert(binary_form=True)
        if der is None:  # pragma: no cover - a TLS server always sends one
            tls.close()
            raise ssl.SSLError("no certificate")
        not_after = x509.load_der_x509_certificate(der).not_valid_after_utc
        return tls, Certificate(not_after=not_after, verified=verify, error=error)
    raise AssertionError("unreachable")  # pragma: no cover


def level(not_after: datetime | None, now: datetime) -> str:
    """ "" (no certificate known), "ok", "warning" or "expired"."""
    if not_after is None:
        return ""
    if not_after <= now:
        return "expired"
    if not_after - now < timedelta(days=settings.LANGSON_UPTIME_TLS_WARNING_DAYS):
        return "warning"
    return "ok"


def days_left(not_after: datetime, now: datetime) -> int:
    return int((not_after - now).total_seconds() // 86400)


def follow_level(system: Any, new_level: str, now: datetime) -> None:
    """Raise, change or clear the system's certificate alert when its level changed (the caller saves)."""
    old = system.tls_level or ""
    system.tls_level = new_level
    if old == new_level:
        return
    if old in ("warning", "expired"):
        clear("ops", ALERT_KIND, key=system.code, reason=f"tls {old} -> {new_level or 'none'}")
    if new_level not in ("warning", "expired"):
        return
    when = formats.date_format(system.tls_not_after, "d/m/Y")
    if new_level == "expired":
        title = _("Chứng chỉ TLS của %(name)s đã hết hạn ngày %(date)s") % {"name": system.name, "date": when}
    else:
        title = _("Chứng chỉ TLS của %(name)s hết hạn sau %(days)s ngày (%(date)s)") % {
            "name": system.name,
            "days": days_left(system.tls_not_after, now),
            "date": when,
        }
    emit(
        "ops",
        ALERT_KIND,
        title,
        unit_code=system.owner.code,
        severity="critical" if new_level == "expired" else "warning",
        key=system.code,
        not_after=system.tls_not_after.isoformat(),
    )
