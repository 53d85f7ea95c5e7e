"""Request middleware: the audit context (who is acting, through which channel) and request metrics."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from prometheus_client import Counter, Histogram

from langson.core.parsing import has_nul_in_url
from langson.core.services import audit

REQUESTS = Counter("langson_http_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram("langson_http_request_seconds", "HTTP request latency", ["route"])


def language_middleware(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Vietnamese unless the person chose otherwise with the switch (the language cookie).

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: many officials' browsers
    say en-US, and the province's interface is Vietnamese by default.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])
        return response

    return middleware


def reject_nul_middleware(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """A NUL character in a URL is never legitimate, and PostgreSQL cannot even compare with it."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if has_nul_in_url(request):
            if not request.path.startswith("/api/"):
                return HttpResponseBadRequest(
                    "Địa chỉ chứa ký tự không hợp lệ. / Invalid character in the address.",
                    content_type="text/plain; charset=utf-8",
                )
            return JsonResponse(
                {
                    "code": "invalid",
                    "detail": "Địa chỉ chứa ký tự không hợp lệ.",
                    "detail_en": "Invalid character in URL.",
                },
                status=400,
                json_dumps_params={"ensure_ascii": False},
            )
        return get_response(request)

    return middleware


def channel_for(path: str) -> str:
    if path.startswith("/api/"):
        return "api"
    if path.startswith("/admin/"):
        return "admin"
    return "web"


def audit_context_middleware(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        with audit.acting(audit.AuditContext(channel=channel_for(request.path), request=request)):
            return get_response(request)

    return middleware


def metrics_middleware(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = get_response(request)
        match = getattr(request, "resolver_match", None)
        # Route names, not raw paths, so record codes in URLs do not explode the label set.
        route = (match.view_name or match.route) if match else "unmatched"
        REQUESTS.labels(request.method, route, str(response.status_code)).inc()
        LATENCY.labels(route).observe(time.perf_counter() - started)
        return response

    return middleware
