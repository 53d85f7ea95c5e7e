"""The platform's JSON API at /api/: one NinjaAPI, one router per app, the same errors everywhere."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from langson import __version__
from langson.border.api import router as border_router
from langson.city.api import router as city_router
from langson.core.api import router as core_router
from langson.core.api_auth import BearerToken, SessionAuth
from langson.core.errors import error_body
from langson.core.ratelimit import ApiThrottle, api_auth_failed
from langson.ioc.api import router as ioc_router
from langson.ioc.api_reports import router as ioc_reports_router
from langson.ops.api import router as ops_router
from langson.services.api import router as services_router

api = NinjaAPI(
    title="Lạng Sơn digital province platform API",
    version="1.0.0",
    description=(
        "API của nền tảng tỉnh số Lạng Sơn. Xác thực bằng phiên đăng nhập (kèm CSRF) hoặc khóa API "
        "`Authorization: Bearer <khóa>`. / Authenticate with a session (plus CSRF) or an API key."
    ),
    auth=[BearerToken(), SessionAuth()],
    throttle=[ApiThrottle()],  # per key / person / address, shared by every web process (core/ratelimit.py)
    urls_namespace="api-1.0.0",
)


@api.get("/", auth=None, summary="API index", include_in_schema=True)
def index(request: HttpRequest) -> dict[str, Any]:
    return {"name": "langson", "version": __version__, "openapi": "/api/openapi.json", "docs": "/api/docs"}


api.add_router("/core/", core_router)
api.add_router("/ioc/", ioc_router)
api.add_router("/ioc/reports/", ioc_reports_router)
api.add_router("/services/", services_router)
api.add_router("/border/", border_router)
api.add_router("/city/", city_router)
api.add_router("/ops/", ops_router)


def _too_many(request: HttpRequest, retry_after: int) -> HttpResponse:
    response = api.create_response(
        request,
        error_body(
            "rate_limited",
            f"Quá nhiều yêu cầu. Vui lòng thử lại sau {retry_after} giây.",
            f"Too many requests. Try again in {retry_after} seconds.",
            retry_after=retry_after,
        ),
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


@api.exception_handler(Throttled)
def on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    return _too_many(request, int(exc.wait or 1))


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Refused credentials count against the address, like anonymous calls (a device secret costs a hash).
    decision = api_auth_failed(request)
    if not decision.allowed:
        return _too_many(request, decision.retry_after)
    return api.create_response(
        request, error_body("unauthenticated", "Cần đăng nhập.", "Authentication required."), status=401
    )


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(
        request,
        error_body(
            "invalid", "Dữ liệu gửi lên không hợp lệ.", "The request data is invalid.", errors=exc.errors
        ),
        status=422,
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, error_body.from_http_error(exc), status=exc.status_code)
