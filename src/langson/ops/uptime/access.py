"""Who sees and manages which system (decision 0004: the role says what, the organisation tree whose).

Officials see the systems of their own unit and the units below it (the province's people, operators and
administrators all of them); the owning department's officers and the operators register and edit them.
Shared by the pages, the API and the admin.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from langson.core.models import OrgUnit, scoped
from langson.ops.models import MonitoredSystem

VIEW = "ops.view_monitoredsystem"
ADD = "ops.add_monitoredsystem"
CHANGE = "ops.change_monitoredsystem"


def _with(user: Any, permission: str) -> QuerySet[MonitoredSystem]:
    systems = MonitoredSystem.objects.select_related("owner")
    if not getattr(user, "is_authenticated", False) or not user.has_perm(permission):
        return systems.none()
    return scoped(systems, user, "owner__path")


def visible_systems(user: Any) -> QuerySet[MonitoredSystem]:
    return _with(user, VIEW)


def managed_systems(user: Any) -> QuerySet[MonitoredSystem]:
    return _with(user, CHANGE)


def may_manage(user: Any, system: MonitoredSystem) -> bool:
    return managed_systems(user).filter(pk=system.pk).exists()


def owner_choices(user: Any) -> QuerySet[OrgUnit]:
    """Units a person may name as a system's owner: their own unit and those below it."""
    return OrgUnit.objects.visible_to(user).filter(is_active=True)
