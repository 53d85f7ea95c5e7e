"""Who may see and act on a hồ sơ: officers of the units it touches, and the account that submitted it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from langson.core.models import User, scoped
from langson.services.models import Dossier

OFFICER_ROLES = (User.Role.COMMUNE_OFFICER, User.Role.DEPARTMENT_OFFICER, User.Role.OPERATOR)


def is_officer(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        user.is_superuser or user.role in (*OFFICER_ROLES, User.Role.ADMINISTRATOR, User.Role.LEADER)
    )


def visible_to_officer(user: Any) -> QuerySet[Dossier]:
    """Hồ sơ processed, received or returned in the person's part of the tree (one-stop without borders:
    the commune that received a hồ sơ keeps following it while another commune processes it)."""
    base = Dossier.objects.select_related("procedure", "processing_unit", "received_unit", "return_unit")
    return (
        scoped(base, user, "processing_unit__path")
        | scoped(base, user, "received_unit__path")
        | scoped(base, user, "return_unit__path")
    ).distinct()


def may_process(user: Any, dossier: Dossier) -> bool:
    """Actions on the processing itself belong to the processing unit's officers."""
    if not getattr(user, "is_authenticated", False) or user.role not in OFFICER_ROLES:
        return False  # leaders and administrators look; officers act
    return scoped(Dossier.objects.filter(pk=dossier.pk), user, "processing_unit__path").exists()


def own_dossiers(user: Any) -> QuerySet[Dossier]:
    if not getattr(user, "is_authenticated", False):
        return Dossier.objects.none()
    return Dossier.objects.filter(submitted_by=user).select_related("procedure")
