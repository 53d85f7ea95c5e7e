"""Roles → permissions, and the organisation scope every check goes through.

A role says *what kind* of data a person may read or change; the organisation tree says *whose*. One
backend answers both for pages, the API and the Django admin, so no view filters by hand.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import BaseBackend

from langson.core.models import User, scope_path_of

Role = User.Role

# Administrators hold every permission; see RoleBackend.
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.LEADER: frozenset(
        {"core.view_orgunit", "core.view_user", "core.view_auditentry", "core.view_calendaroverride"}
    ),
    Role.DEPARTMENT_OFFICER: frozenset(
        {"core.view_orgunit", "core.change_orgunit", "core.view_calendaroverride"}
    ),
    Role.COMMUNE_OFFICER: frozenset(
        {"core.view_orgunit", "core.change_orgunit", "core.view_calendaroverride"}
    ),
    Role.OPERATOR: frozenset(
        {
            "core.view_orgunit",
            "core.change_orgunit",
            "core.view_user",
            "core.view_auditentry",
            "core.view_calendaroverride",
            "core.add_calendaroverride",
            "core.change_calendaroverride",
            "core.delete_calendaroverride",
            "core.view_workerheartbeat",
            "core.view_schedule",
            "django_tasks_db.view_dbtaskresult",
        }
    ),
    Role.CITIZEN: frozenset(),
    Role.BUSINESS: frozenset(),
}


def grant(role: str, *permissions: str) -> None:
    """Apps add their permissions to the roles from their AppConfig.ready()."""
    ROLE_PERMISSIONS[role] = ROLE_PERMISSIONS.get(role, frozenset()) | frozenset(permissions)


def object_scope_path(obj: Any) -> str | None:
    """The tree path an object belongs to, or None for objects outside the tree (province-wide)."""
    getter = getattr(obj, "audit_scope_path", None)
    if callable(getter):
        return str(getter()) or None
    scope = getattr(obj, "scope_path", None)
    return str(scope) if scope else None


def in_scope(user: Any, obj: Any) -> bool:
    scope = scope_path_of(user)
    if scope is None:
        return False
    if scope == "":
        return True
    path = object_scope_path(obj)
    # Province-wide objects (no path) are visible to every internal user but only changed by
    # those scoped at the province root, whose path is the shortest.
    return path is None or path.startswith(scope)


class RoleBackend(BaseBackend):
    """Authenticates by username/password and answers permissions from the role and the scope."""

    def authenticate(
        self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        if username is None or password is None:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            User().set_password(password)  # same work as a real check, so timing reveals nothing
            return None
        if user.check_password(password) and user.is_active:
            return user
        return None

    def get_user(self, user_id: Any) -> User | None:
        return User.objects.filter(pk=user_id, is_active=True).select_related("org_unit").first()

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not getattr(user_obj, "is_active", False) or getattr(user_obj, "is_anonymous", True):
            return set()
        if user_obj.is_superuser or user_obj.role == Role.ADMINISTRATOR:
            from django.contrib.auth.models import Permission

            perms = Permission.objects.values_list("content_type__app_label", "codename")
            return {f"{app}.{codename}" for app, codename in perms}
        return set(ROLE_PERMISSIONS.get(user_obj.role, frozenset()))

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        if not getattr(user_obj, "is_active", False) or getattr(user_obj, "is_anonymous", True):
            return False
        if user_obj.role == Role.ADMINISTRATOR or user_obj.is_superuser:
            return True
        if perm not in ROLE_PERMISSIONS.get(user_obj.role, frozenset()):
            return False
        return obj is None or in_scope(user_obj, obj)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        if not getattr(user_obj, "is_active", False) or getattr(user_obj, "is_anonymous", True):
            return False
        if user_obj.role == Role.ADMINISTRATOR or user_obj.is_superuser:
            return True
        return any(p.startswith(f"{app_label}.") for p in ROLE_PERMISSIONS.get(user_obj.role, frozenset()))
