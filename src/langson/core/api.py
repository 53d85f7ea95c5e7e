"""Core API: the organisation tree, the working-day calendar, the audit log and the current person."""

import json
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from langson.core.errors import ApiError, forbidden, not_found
from langson.core.models import AuditEntry, OrgUnit, User, scoped
from langson.core.pagination import Pages
from langson.core.parsing import InputSchema
from langson.core.services import workdays
from langson.core.services.calendar import calendar_for

router = Router(tags=["core"])


class UnitOut(Schema):
    code: str
    name: str
    kind: str
    kind_label: str
    parent_code: str | None
    gso_code: int | None
    commune_code: str | None
    latitude: float | None
    longitude: float | None
    address: str
    phone: str
    email: str
    saturday_reception: bool
    is_active: bool

    @staticmethod
    def resolve_kind_label(unit: OrgUnit) -> str:
        return str(unit.get_kind_display())

    @staticmethod
    def resolve_parent_code(unit: OrgUnit) -> str | None:
        return unit.parent.code if unit.parent else None

    @staticmethod
    def resolve_commune_code(unit: OrgUnit) -> str | None:
        return unit.commune.code if unit.commune else None


class UnitPatch(InputSchema):
    """Contact details and reception a unit maintains itself; structure is changed by administrators."""

    address: str | None = Field(None, max_length=300)
    phone: str | None = Field(None, max_length=40, pattern=r"^[0-9 +().-]*$")
    email: str | None = Field(None, max_length=254)
    saturday_reception: bool | None = None


class UnitFilter(Schema):
    kind: OrgUnit.Kind | None = None
    parent: str | None = Field(None, max_length=40, description="mã đơn vị cấp trên / parent code")
    q: str | None = Field(None, max_length=100, description="tìm theo tên / name contains")


class MeOut(Schema):
    username: str
    full_name: str
    role: str
    role_label: str
    org_unit: UnitOut | None
    permissions: list[str]


class DueDateOut(Schema):
    received_at: datetime
    working_days: int
    unit: str | None
    counting_start: date
    due_date: date


class CalendarDayOut(Schema):
    date: date
    working_day: bool
    reason: str | None


class AuditOut(Schema):
    id: int
    at: datetime
    actor: str
    channel: str
    action: str
    model: str
    object_pk: str
    object_repr: str
    changes: dict[str, Any]
    hash: str

    @staticmethod
    def resolve_changes(entry: AuditEntry) -> dict[str, Any]:
        return dict(json.loads(entry.changes or "{}"))


def _visible_unit(request: HttpRequest, code: str) -> OrgUnit:
    if not request.user.has_perm("core.view_orgunit"):
        raise forbidden()
    unit = (
        OrgUnit.objects.visible_to(request.user).select_related("parent", "commune").filter(code=code).first()
    )
    if unit is None:
        raise not_found("đơn vị", "unit")
    return unit


@router.get("/me", response=MeOut, summary="Người dùng hiện tại / current user")
def me(request: HttpRequest) -> dict[str, Any]:
    user: User = request.user  # type: ignore[assignment]
    return {
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role,
        "role_label": str(user.get_role_display()),
        "org_unit": user.org_unit,
        "permissions": sorted(user.get_all_permissions()),
    }


@router.get("/units", response=list[UnitOut], summary="Danh sách đơn vị trong phạm vi / units in scope")
@paginate(Pages)
def list_units(request: HttpRequest, filters: Query[UnitFilter]) -> QuerySet[OrgUnit]:
    if not request.user.has_perm("core.view_orgunit"):
        raise forbidden()
    units = OrgUnit.objects.visible_to(request.user).select_related("parent", "commune")
    if filters.kind:
        units = units.filter(kind=filters.kind)
    if filters.parent:
        units = units.filter(parent__code=filters.parent)
    if filters.q:
        units = units.filter(name__icontains=filters.q)
    return units


@router.get("/units/{code}", response=UnitOut, summary="Một đơn vị / one unit")
def get_unit(request: HttpRequest, code: str) -> OrgUnit:
    return _visible_unit(request, code)


@router.patch(
    "/units/{code}", response=UnitOut, summary="Cập nhật thông tin liên hệ / update contact details"
)
def patch_unit(request: HttpRequest, code: str, payload: UnitPatch) -> OrgUnit:
    with transaction.atomic():
        unit = _visible_unit(request, code)
        if not request.user.has_perm("core.change_orgunit", unit):
            raise forbidden()
        for field, value in payload.model_dump(exclude_unset=True).items():
            if value is None:
                raise ApiError(
                    422, "invalid", f"Trường {field} không được để trống.", f"{field} may not be null."
                )
            setattr(unit, field, value)
        try:
            unit.full_clean()
        except DjangoValidationError as exc:
            raise ApiError(
                422, "invalid", "Dữ liệu không hợp lệ.", "The data is invalid.", errors=exc.message_dict
            ) from exc
        unit.save()
    return unit


class DueDateQuery(Schema):
    received_at: datetime = Field(
        ..., description="thời điểm tiếp nhận hồ sơ hợp lệ / when the valid dossier was received"
    )
    working_days: int = Field(..., ge=0, le=365, description="thời hạn giải quyết (ngày làm việc)")
    unit: str | None = Field(None, max_length=40, description="mã đơn vị tiếp nhận / receiving unit code")


def _check_year(year: int) -> None:
    # The holiday tables are meaningful for the present era only; refuse nonsense rather than guess.
    if not 2010 <= year <= 2099:
        raise ApiError(
            422, "invalid", "Năm phải trong khoảng 2010–2099.", "The year must be within 2010–2099."
        )


@router.get("/calendar/due-date", response=DueDateOut, summary="Tính hạn giải quyết / deadline of a dossier")
def due_date(request: HttpRequest, query: Query[DueDateQuery]) -> DueDateOut:
    unit = _visible_unit(request, query.unit) if query.unit else None
    received = query.received_at
    _check_year(received.year)  # before any time-zone arithmetic, which overflows at the ends of time
    if timezone.is_naive(received):
        received = timezone.make_aware(received)
    local = timezone.localtime(received)
    cal = calendar_for(unit, range(local.year, local.year + 3))
    return DueDateOut(
        received_at=received,
        working_days=query.working_days,
        unit=unit.code if unit else None,
        counting_start=workdays.counting_start(cal, local, same_day=query.working_days == 0),
        due_date=workdays.due_date(cal, local, query.working_days),
    )


@router.get(
    "/calendar/{year}",
    response=list[CalendarDayOut],
    summary="Ngày nghỉ, ngày làm bù / days off and make-up days",
)
def calendar_year(request: HttpRequest, year: int, unit: str | None = None) -> list[CalendarDayOut]:
    _check_year(year)
    found = _visible_unit(request, unit) if unit else None
    cal = calendar_for(found, [year])
    special = sorted({*cal.holidays, *cal.extra_days_off, *cal.makeup_workdays})
    return [
        CalendarDayOut(
            date=d, working_day=workdays.is_working_day(cal, d), reason=workdays.day_off_reason(cal, d)
        )
        for d in special
        if d.year == year
    ]


@router.get("/audit", response=list[AuditOut], summary="Nhật ký thay đổi / audit log")
@paginate(Pages)
def audit_log(
    request: HttpRequest, model: str | None = None, object_pk: str | None = None
) -> QuerySet[AuditEntry]:
    if not request.user.has_perm("core.view_auditentry"):
        raise forbidden()
    entries = scoped(AuditEntry.objects.all(), request.user, "scope_path")
    if model:
        entries = entries.filter(model=model)
    if object_pk:
        entries = entries.filter(object_pk=object_pk)
    return entries
