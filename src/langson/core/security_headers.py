"""Security headers on every response: the Content-Security-Policy and the Permissions-Policy.

Django's own middleware already sends X-Frame-Options (DENY), X-Content-Type-Options, Referrer-Policy,
Cross-Origin-Opener-Policy and, in production, HSTS (settings.py). This adds the two it lacks.

The policy allows scripts and style sheets from our own origin only: no inline ``<script>`` and no
``on…=`` handlers (behaviour lives in static files such as langson/site.js). A ``<style>`` element runs
only if it is one of our templates' fixed blocks (no template tag inside): each is allowed by its SHA-256,
so a style element injected into a page is refused. Inline ``style="…"`` attributes stay allowed
(``style-src-attr``): a few pages colour an element from data (the VN_AQI swatches), and an attribute can
only restyle its own element (it cannot hold the selectors a style sheet would use to read a page), while
``url()`` loads are still held to our origin by img-src and font-src. A view may send its own policy.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)


PACKAGE_DIR = Path(__file__).resolve().parents[1]  # src/langson: every app's templates/
STYLE_BLOCK = re.compile(r"<style>(.*?)</style>", re.S)
TEMPLATE_SYNTAX = ("{%", "{{", "{#")


def style_blocks() -> list[tuple[Path, str]]:
    """Every ``<style>`` block of our templates, as written."""
    return [
        (path, block)
        for path in sorted(PACKAGE_DIR.glob("**/templates/**/*.html"))
        for block in STYLE_BLOCK.findall(path.read_text(encoding="utf-8"))
    ]


def style_hash(block: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(block.encode("utf-8")).digest()).decode() + "'"


@functools.cache
def static_style_hashes() -> tuple[str, ...]:
    """Hashes of the fixed blocks (rendered byte for byte as written); a block with template syntax in it
    would change per page and is not allowed (test_hardening_headers refuses such a template)."""
    fixed = {style_hash(block) for _, block in style_blocks() if not any(t in block for t in TEMPLATE_SYNTAX)}
    return tuple(sorted(fixed))


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else ""


def content_security_policy() -> str:
    """The policy from the current settings (a payment gateway joins form-action: the applicant's
    "Thanh toán" form is answered with a redirect there, which browsers check against form-action)."""
    form_action = ["'self'"]
    gateway = _origin(getattr(settings, "PAYMENT_URL", ""))
    if gateway:
        form_action.append(gateway)
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", *static_style_hashes()],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": form_action,
        "frame-ancestors": ["'none'"],
    }
    report_uri = getattr(settings, "CSP_REPORT_URI", "")
    if report_uri:
        directives["report-uri"] = [report_uri]
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def security_headers_middleware(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.headers.setdefault("Content-Security-Policy", content_security_policy())
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if not getattr(response, "xframe_options_exempt", False):
            # Also on what answers before Django's clickjacking middleware (static files via WhiteNoise).
            response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    return middleware
