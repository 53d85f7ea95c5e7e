"""TLS expiry against HTTPS servers on loopback with self-signed certificates made by the test: a certificate
expiring in 5 days raises the IOC warning, a long-lived one does not, an expired one is critical; the expiry
is read even though the certificate does not verify, and a trusted one verifies."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import override_settings

from langson.ops.models import Check
from langson.ops.tests.uptime_servers import *  # noqa: F403
from langson.ops.tests.uptime_servers import Events, self_signed
from langson.ops.uptime.scheduling import run_due_checks


def _https(make_site: Any, make_system: Any, code: str, days: float, names: list[str] | None = None) -> Any:
    not_after = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=days)
    context = self_signed(names or ["127.0.0.1"], not_after)
    site = make_site(("127.0.0.1",), tls=context)
    system = make_system(code, url=f"https://127.0.0.1:{site.port}/")
    return system, not_after, context


def test_certificate_expiring_in_five_days_raises_the_warning(
    make_site: Any, make_system: Any, events: Events
) -> None:
    system, not_after, _context = _https(make_site, make_system, "cong-sap-het-han", days=5)
    run_due_checks()
    system.refresh_from_db()
    assert system.tls_not_after == not_after
    assert system.tls_level == "warning" and system.tls_verified is False
    assert "self" in system.tls_error.lower()  # "self-signed certificate"
    # Still up: an invalid certificate is reported, the site answers.
    assert system.state == "up" and Check.objects.get(system=system).status_code == 200
    [alert] = events.of("uptime.tls_expiring")
    assert alert["severity"] == "warning" and alert["payload"]["key"] == "cong-sap-het-han"
    assert "hết hạn sau 4 ngày" in alert["title"] or "hết hạn sau 5 ngày" in alert["title"]
    run_due_checks(system.next_check_at)  # the next round does not raise it again
    assert len(events.of("uptime.tls_expiring")) == 1


def test_long_lived_certificate_raises_nothing(make_site: Any, make_system: Any, events: Events) -> None:
    system, not_after, _context = _https(make_site, make_system, "cong-dai-han", days=300)
    run_due_checks()
    system.refresh_from_db()
    assert system.tls_not_after == not_after and system.tls_level == "ok"
    assert not events.of("uptime.tls_expiring")


def test_expired_certificate_is_critical_and_renewal_clears_it(
    make_site: Any, make_system: Any, events: Events
) -> None:
    system, _not_after, _context = _https(make_site, make_system, "cong-het-han", days=-2)
    run_due_checks()
    system.refresh_from_db()
    assert system.tls_level == "expired"
    [alert] = events.of("uptime.tls_expiring")
    assert alert["severity"] == "critical" and "đã hết hạn" in alert["title"]
    # The certificate is renewed (a new server on another port stands for it).
    renewed = dt.datetime.now(dt.UTC) + dt.timedelta(days=90)
    site = make_site(("127.0.0.1",), tls=self_signed(["127.0.0.1"], renewed))
    system.url = f"https://127.0.0.1:{site.port}/"
    system.save()
    run_due_checks(system.next_check_at)
    system.refresh_from_db()
    assert system.tls_level == "ok"
    assert [c["key"] for c in events.cleared_of("uptime.tls_expiring")] == ["cong-het-han"]


def test_certificate_of_a_trusted_authority_verifies(make_site: Any, make_system: Any) -> None:
    system, _not_after, context = _https(
        make_site, make_system, "cong-tin-cay", days=60, names=["localhost", "127.0.0.1"]
    )
    with override_settings(LANGSON_UPTIME_CA_FILE=context.ca_file):
        run_due_checks()
    system.refresh_from_db()
    assert system.tls_verified is True and system.tls_error == "" and system.tls_level == "ok"
