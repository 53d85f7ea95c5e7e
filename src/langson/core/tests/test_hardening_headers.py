"""Security headers on every kind of response, and no template that the Content-Security-Policy would
break (inline scripts, on…= handlers, <style> elements)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from langson.core.security_headers import STYLE_BLOCK, content_security_policy, style_blocks, style_hash

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2]


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


@pytest.mark.parametrize(
    "path",
    ["/login/", "/healthz", "/api/", "/api/core/units", "/khong-co-trang-nay/", "/static/langson/site.css"],
)
def test_every_response_carries_the_security_headers(path):
    response = Client().get(path)
    csp = directives(response["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert csp["style-src"][0] == "'self'" and "'unsafe-inline'" not in csp["style-src"]
    assert all(source.startswith("'sha256-") for source in csp["style-src"][1:])
    assert csp["img-src"] == ["'self'", "data:"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["base-uri"] == ["'self'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert (
        "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    )
    # The embedded set-up speaks plain HTTP: no HSTS outside production (a browser would remember it).
    assert "Strict-Transport-Security" not in response


def test_no_hsts_outside_production_even_over_https():
    response = Client().get("/login/", secure=True)
    assert "Strict-Transport-Security" not in response


def test_the_payment_gateway_joins_form_action(settings):
    # The applicant's "Thanh toán" form is answered by a redirect to the gateway: browsers check it.
    settings.PAYMENT_URL = "https://cong-thanh-toan.example.vn:8443/pay?x=1"
    assert directives(content_security_policy())["form-action"] == [
        "'self'",
        "https://cong-thanh-toan.example.vn:8443",
    ]
    settings.CSP_REPORT_URI = "/csp-report"
    assert directives(content_security_policy())["report-uri"] == ["/csp-report"]


def test_a_view_may_send_its_own_policy(settings):
    from django.http import HttpResponse

    from langson.core.security_headers import security_headers_middleware

    def view(request):
        response = HttpResponse("x")
        response["Content-Security-Policy"] = "default-src 'none'"
        return response

    response = security_headers_middleware(view)(None)  # type: ignore[arg-type]
    assert response["Content-Security-Policy"] == "default-src 'none'"


def test_health_metrics_and_public_pages_need_no_login():
    client = Client()
    assert client.get("/healthz").status_code in (200, 503)  # 503 only says a part is down, never a login
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200
    assert client.get("/login/").status_code == 200
    assert client.get("/api/").status_code == 200
    assert client.get("/").status_code == 302  # the home page itself still asks for a login


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.I)
JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.I)


def test_no_template_has_what_the_policy_blocks():
    """Inline scripts, on…= handlers and javascript: links would be refused by browsers under the policy:
    behaviour belongs in static files (langson/site.js: data-autosubmit, data-confirm). A <style> element
    is allowed only as a fixed block, by its hash: no attributes, no template syntax inside."""
    allowed_styles = directives(content_security_policy())["style-src"]
    offenders = []
    for template in sorted(SRC.rglob("templates/**/*.html")):
        text = template.read_text(encoding="utf-8")
        if len(STYLE_ELEMENT.findall(text)) != len(STYLE_BLOCK.findall(text)):
            offenders.append(f"{template.relative_to(SRC)}: <style> with attributes")
        for block in STYLE_BLOCK.findall(text):
            if style_hash(block) not in allowed_styles:
                offenders.append(f"{template.relative_to(SRC)}: <style> block with template syntax")
        for pattern, what in (
            (INLINE_SCRIPT, "inline <script>"),
            (HANDLER, "on…= handler"),
            (JS_URL, "javascript: URL"),
        ):
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                offenders.append(f"{template.relative_to(SRC)}:{line}: {what}")
        if ("data-autosubmit" in text or "data-confirm" in text) and "langson/site.js" not in text:
            offenders.append(
                f"{template.relative_to(SRC)}: uses data-autosubmit/data-confirm without site.js"
            )
    assert offenders == []


def test_fixed_style_blocks_are_allowed_by_their_hash():
    blocks = style_blocks()
    assert any(path.name == "parking.html" for path, _ in blocks)  # the public car-park page has one
    policy = directives(content_security_policy())["style-src"]
    page = Client().get("/do-thi/bai-do-xe/").content.decode()
    rendered = STYLE_BLOCK.findall(page)
    assert rendered and all(style_hash(block) in policy for block in rendered)
    assert style_hash("body { background: url(/x) }") not in policy  # anything else is refused


def test_the_scanner_sees_what_it_must():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/x.js" defer></script>')
    assert not INLINE_SCRIPT.search('<script type="application/json" id="d">{}</script>')
    assert HANDLER.search('<select onchange="this.form.submit()">')
    assert not HANDLER.search('<select data-autosubmit name="on">')
    assert STYLE_ELEMENT.search("<style>\nbody{}</style>")
    assert JS_URL.search('<a href="javascript:void(0)">')
