"""Who may look at backups and drills (page, API, admin): administrators and operators, and leaders at the
province level. A leader of a commune or a department has the role's permissions for their own unit, but
the province's backups are the province leadership's concern, not theirs."""

from __future__ import annotations

from typing import Any

from langson.core.models import User, scope_path_of


def may_view(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.has_perm("ops.view_backuprun"):
        return False
    if getattr(user, "role", None) != User.Role.LEADER:
        return True
    scope = scope_path_of(user)
    if scope == "":
        return True
    unit = getattr(user, "org_unit", None)
    return unit is not None and unit.parent_id is None  # the root of the tree: the province
