"""The uptime part of the operations API (mounted at /api/ops/).

- ``GET /api/ops/status`` (public, no login): what the public status page shows.
- ``GET /api/ops/systems``, ``/systems/{code}``, ``/systems/{code}/incidents``, ``/systems/{code}/checks``
  (login, ``ops.view_monitoredsystem``): the registry within the person's organisation scope
  (``uptime.access``); a system out of scope is a 404. Changes go through the pages (audited).
"""

# No `from __future__ import annotations`: ninja resolves Query[...] of paginated operations at run time.

from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from langson.core.errors import forbidden, not_found
from langson.core.pagination import Pages
from langson.ops.models import Check, Incident, MonitoredSystem
from langson.ops.uptime import access, availability, status

router = Router(tags=["ops"])

DETAIL_DAYS = 30


# --- Schemas ----------------------------------------------------------------------------------------------


class DayOut(Schema):
    day: date
    availability: float | None = Field(
        description="% thời gian hoạt động / % of monitored time up; null: no data"
    )


class IncidentOut(Schema):
    system: str = Field(description="mã hệ thống / system code")
    started_at: datetime
    ended_at: datetime | None = Field(description="null: đang diễn ra / ongoing")
    duration_seconds: float


class PublicSystemOut(Schema):
    code: str
    name: str
    state: str = Field(description="up | degraded | down | unknown")
    state_label: str
    since: datetime | None
    availability_90d: float | None
    days: list[DayOut]


class StatusOut(Schema):
    at: datetime
    systems: list[PublicSystemOut]
    open_incidents: list[IncidentOut]
    recent_incidents: list[IncidentOut]


class UnitOut(Schema):
    code: str
    name: str


class SystemOut(Schema):
    code: str
    name: str
    owner: UnitOut
    kind: str = Field(description="http | tcp | dns")
    target: str
    url: str
    host: str
    port: int | None
    query_name: str
    record_type: str
    expected_status: int
    interval_seconds: int
    timeout_seconds: float
    public: bool
    active: bool
    state: str = Field(description="up | degraded | down | unknown")
    state_since: datetime | None
    last_checked_at: datetime | None
    ipv4_addresses: list[str]
    ipv6_addresses: list[str]
    ipv4_ok: bool | None
    ipv6_ok: bool | None
    has_aaaa: bool
    ipv6_ready: bool = Field(
        description="có AAAA và truy cập được qua IPv6 / AAAA record and reachable over IPv6"
    )
    tls_not_after: datetime | None
    tls_verified: bool | None
    tls_level: str = Field(description="'' | ok | warning | expired")


class MonthOut(Schema):
    month: date
    availability: float | None
    down_seconds: float


class SystemDetailOut(SystemOut):
    days: list[DayOut] = Field(description="30 ngày gần nhất / the last 30 days")
    months: list[MonthOut] = Field(description="12 tháng gần nhất / the last 12 months")


class CheckOut(Schema):
    at: datetime
    family: int = Field(description="4 | 6 | 0 (không phân giải được / not resolved)")
    address: str
    ok: bool
    latency_ms: float | None
    status_code: int | None
    detail: str


class SystemFilter(Schema):
    q: str | None = Field(None, max_length=100, description="tìm theo mã hoặc tên / code or name")
    state: str | None = Field(None, description="up | degraded | down | unknown")
    active: bool = True


# --- Helpers ----------------------------------------------------------------------------------------------


def _incident(incident: Incident, now: datetime) -> dict[str, Any]:
    return {
        "system": incident.system.code,
        "started_at": incident.started_at,
        "ended_at": incident.ended_at,
        "duration_seconds": incident.duration_seconds(now),
    }


def _system_body(system: MonitoredSystem) -> dict[str, Any]:
    body = {name: getattr(system, name) for name in SystemOut.model_fields if hasattr(system, name)}
    body["owner"] = {"code": system.owner.code, "name": system.owner.name}
    return body


def _visible(request: HttpRequest) -> QuerySet[MonitoredSystem]:
    if not request.user.has_perm(access.VIEW):
        raise forbidden()
    return access.visible_systems(request.user)


def _system(request: HttpRequest, code: str) -> MonitoredSystem:
    system = None if "\x00" in code else _visible(request).filter(code=code[:63]).first()
    if system is None:
        raise not_found("hệ thống", "system")
    return system


# --- Public -----------------------------------------------------------------------------------------------


@router.get(
    "/status",
    response=StatusOut,
    auth=None,
    summary="Trạng thái công khai các hệ thống thông tin / public status of the information systems",
)
def public_status(request: HttpRequest) -> dict[str, Any]:
    board = status.board()
    return {
        "at": board.at,
        "systems": [
            {
                "code": s.system.code,
                "name": s.system.name,
                "state": s.system.state,
                "state_label": str(s.system.get_state_display()),
                "since": s.system.state_since,
                "availability_90d": s.availability,
                "days": [{"day": d.day, "availability": d.availability} for d in s.days],
            }
            for s in board.systems
        ],
        "open_incidents": [_incident(i, board.at) for i in board.open_incidents],
        "recent_incidents": [_incident(i, board.at) for i in board.recent_incidents],
    }


# --- Registry (login) -------------------------------------------------------------------------------------


@router.get("/systems", response=list[SystemOut], summary="Hệ thống thông tin / information systems")
@paginate(Pages)
def list_systems(request: HttpRequest, filters: Query[SystemFilter]) -> QuerySet[MonitoredSystem]:
    systems = _visible(request).filter(active=filters.active)
    q = (filters.q or "").replace("\x00", "").strip()
    if q:
        systems = systems.filter(Q(code__icontains=q) | Q(name__icontains=q))
    if filters.state:
        systems = systems.filter(state=filters.state.replace("\x00", ""))
    return systems.order_by("name")


@router.get("/systems/{code}", response=SystemDetailOut, summary="Một hệ thống / one system")
def get_system(request: HttpRequest, code: str) -> dict[str, Any]:
    system = _system(request, code)
    now = timezone.now()
    today = timezone.localdate(now)
    first = (today.replace(day=1) - timedelta(days=31 * 11)).replace(day=1)
    days = availability.daily([system], first, today, now)[system.pk]
    body = _system_body(system)
    body["days"] = [{"day": d.day, "availability": d.availability} for d in days[-DETAIL_DAYS:]]
    body["months"] = [
        {"month": m.month, "availability": m.availability, "down_seconds": m.down_seconds}
        for m in availability.monthly(days)
    ]
    return body


@router.get(
    "/systems/{code}/incidents", response=list[IncidentOut], summary="Sự cố của hệ thống / its incidents"
)
@paginate(Pages)
def list_incidents(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    system = _system(request, code)
    now = timezone.now()
    return [_incident(i, now) for i in system.incidents.select_related("system").order_by("-started_at")]


@router.get(
    "/systems/{code}/checks", response=list[CheckOut], summary="Các lần kiểm tra / its checks, newest first"
)
@paginate(Pages)
def list_checks(request: HttpRequest, code: str) -> QuerySet[Check]:
    return _system(request, code).checks.order_by("-at", "family")
