"""The navigation shows only what the person may use. Each app adds its entries to NAV_ITEMS."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    permission: str | None = None  # None: every signed-in person
    staff_only: bool = False


NAV_ITEMS: list[NavItem] = [
    NavItem(_("Trang chủ"), "home"),
    NavItem(_("Đơn vị"), "core:units", "core.view_orgunit"),
    NavItem(_("Lịch làm việc"), "core:calendar", "core.view_calendaroverride"),
    NavItem(_("Nhật ký thay đổi"), "core:audit", "core.view_auditentry"),
    NavItem(_("Tài liệu API"), "api-1.0.0:openapi-view", "core.view_orgunit"),
    NavItem(_("Quản trị"), "admin:index", None, staff_only=True),
]


def register(*items: NavItem, after: str = "home") -> None:
    """Apps add their entries from AppConfig.ready(), after the named entry."""
    position = next(i for i, item in enumerate(NAV_ITEMS) if item.url_name == after) + 1
    NAV_ITEMS[position:position] = items


def menu_for(user: Any, current_path: str) -> list[dict[str, Any]]:
    if not getattr(user, "is_authenticated", False):
        return []
    items = []
    for item in NAV_ITEMS:
        if item.staff_only and not user.is_staff:
            continue
        if item.permission and not user.has_perm(item.permission):
            continue
        url = reverse(item.url_name)
        active = current_path == url if url == "/" else current_path.startswith(url)
        items.append({"label": item.label, "url": url, "active": active})
    return items
