"""Reference data (province, departments, 65 communes and wards, one-stop centres, border gates) and
demo accounts. Loading is idempotent: a row is saved only when something in it changed."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models, transaction
from vietnam_provinces import Province, ProvinceCode, Ward

from langson.core.models import OrgUnit, User
from langson.core.services import geo, jobs

PROVINCE_CODE = 20
M = TypeVar("M", bound=models.Model)

# Provincial agencies after the 2025 restructuring (Sở, ban, ngành). Codes are ours, stable and short.
DEPARTMENTS: list[tuple[str, str]] = [
    ("VP-UBND", "Văn phòng Ủy ban nhân dân tỉnh"),
    ("SO-NV", "Sở Nội vụ"),
    ("SO-TC", "Sở Tài chính"),
    ("SO-TP", "Sở Tư pháp"),
    ("SO-XD", "Sở Xây dựng"),
    ("SO-CT", "Sở Công Thương"),
    ("SO-NNMT", "Sở Nông nghiệp và Môi trường"),
    ("SO-KHCN", "Sở Khoa học và Công nghệ"),
    ("SO-GDDT", "Sở Giáo dục và Đào tạo"),
    ("SO-YT", "Sở Y tế"),
    ("SO-VHTTDL", "Sở Văn hóa, Thể thao và Du lịch"),
    ("SO-DTTG", "Sở Dân tộc và Tôn giáo"),
    ("THANH-TRA", "Thanh tra tỉnh"),
    ("BQL-KKT", "Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng - Lạng Sơn"),
    ("CA-TINH", "Công an tỉnh"),
]

# Border gates under the economic-zone board. Only gates whose commune is certain carry one; the border
# module fills the rest from survey data.
BORDER_GATES: list[tuple[str, str, int | None]] = [
    ("CK-HUU-NGHI", "Cửa khẩu quốc tế Hữu Nghị", 6184),
    ("CK-GA-DONG-DANG", "Cửa khẩu quốc tế đường sắt Đồng Đăng", 6184),
    ("CK-TAN-THANH", "Cửa khẩu chính Tân Thanh", None),
    ("CK-CHI-MA", "Cửa khẩu chính Chi Ma", None),
]


def upsert(model: type[M], lookup: dict[str, Any], values: dict[str, Any]) -> tuple[M, bool]:
    """Create or update without touching unchanged rows, so re-seeding writes no audit noise."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.save()
        return obj, True
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save()
    return obj, False


def one_stop_name(unit_name: str) -> str:
    return f"Trung tâm Phục vụ hành chính công {unit_name[0].lower()}{unit_name[1:]}"


@transaction.atomic
def load_reference_data() -> dict[str, int]:
    province_info = Province.from_code(ProvinceCode(PROVINCE_CODE))
    province, _ = upsert(
        OrgUnit,
        {"code": str(PROVINCE_CODE)},
        {
            "name": f"Tỉnh {province_info.name}",
            "kind": OrgUnit.Kind.PROVINCE,
            "parent": None,
            "latitude": 21.8478,
            "longitude": 106.7614,
        },  # UBND tỉnh, 2 Hùng Vương, phường Lương Văn Tri
    )
    departments = {}
    for code, name in DEPARTMENTS:
        departments[code], _ = upsert(
            OrgUnit, {"code": code}, {"name": name, "kind": OrgUnit.Kind.DEPARTMENT, "parent": province}
        )
    upsert(
        OrgUnit,
        {"code": "TTPVHCC-TINH"},
        {
            "name": "Trung tâm Phục vụ hành chính công tỉnh",
            "kind": OrgUnit.Kind.ONE_STOP,
            "parent": departments["VP-UBND"],
        },
    )
    centroids = {
        int(f["properties"]["code"]): geo.polygon_centroid(f["geometry"]["coordinates"])
        for f in geo.commune_features()
    }
    communes = {}
    for ward in sorted(Ward.iter_by_province(ProvinceCode(PROVINCE_CODE)), key=lambda w: int(w.code)):
        gso = int(ward.code)
        lon, lat = centroids[gso]
        kind = OrgUnit.Kind.WARD if ward.division_type.value == "phường" else OrgUnit.Kind.COMMUNE
        communes[gso], _ = upsert(
            OrgUnit,
            {"code": str(gso)},
            {
                "name": ward.name,
                "kind": kind,
                "parent": province,
                "gso_code": gso,
                "latitude": round(lat, 6),
                "longitude": round(lon, 6),
            },
        )
        upsert(
            OrgUnit,
            {"code": f"{gso}-TTPVHCC"},
            {
                "name": one_stop_name(ward.name),
                "kind": OrgUnit.Kind.ONE_STOP,
                "parent": communes[gso],
                "commune": communes[gso],
            },
        )
    for code, name, gso_code in BORDER_GATES:
        upsert(
            OrgUnit,
            {"code": code},
            {
                "name": name,
                "kind": OrgUnit.Kind.BORDER_GATE,
                "parent": departments["BQL-KKT"],
                "commune": communes[gso_code] if gso_code else None,
            },
        )
    jobs.store_schedules()
    return {"communes": len(communes), "departments": len(departments), "units": OrgUnit.objects.count()}


# Apps add their demo data loaders (called by `langson seed` unless --no-demo) from AppConfig.ready().
DEMO_LOADERS: list[Callable[[], dict[str, int]]] = []
# Apps add loaders of reference data needed in production too (e.g. the procedure catalog) from
# AppConfig.ready(); `langson seed` calls them right after `load_reference_data`, also with --no-demo.
# (Not from inside it: the test database gets only the units, so tests make the procedures they need.)
REFERENCE_LOADERS: list[Callable[[], dict[str, int]]] = []


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    unit: str


DEMO_ACCOUNTS: list[tuple[str, str, str, str | None]] = [
    ("quantri", "Quản trị hệ thống", User.Role.ADMINISTRATOR, None),
    ("lanhdao", "Nguyễn Văn Lãnh", User.Role.LEADER, "20"),
    ("vanhanh", "Hoàng Thị Hành", User.Role.OPERATOR, "20"),
    ("soyte", "Lương Thị Hoa", User.Role.DEPARTMENT_OFFICER, "SO-YT"),
    ("luongvantri", "Vi Văn Tri", User.Role.COMMUNE_OFFICER, "5983"),
    ("dongdang", "Hoàng Văn Đăng", User.Role.COMMUNE_OFFICER, "6184"),
    ("congdan", "Nông Thị Dân", User.Role.CITIZEN, None),
    ("doanhnghiep", "Công ty TNHH Xuất nhập khẩu Biên Cương", User.Role.BUSINESS, None),
]


@transaction.atomic
def create_demo_accounts() -> list[DemoAccount]:
    """Create the demo people once (only into an empty user table); passwords are random and shown once."""
    if User.objects.exists():
        return []
    created = []
    for username, full_name, role, unit_code in DEMO_ACCOUNTS:
        password = secrets.token_urlsafe(9)
        unit = OrgUnit.objects.get(code=unit_code) if unit_code else None
        user = User(username=username, full_name=full_name, role=role, org_unit=unit)
        user.set_password(password)
        user.save()
        created.append(
            DemoAccount(username, password, str(User.Role(role).label), unit.name if unit else "—")
        )
    return created
