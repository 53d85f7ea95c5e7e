"""Who may see and act on a hồ sơ: officers of the units it touches, and the account that submitted it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

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


# What the counter returning the result may do for a hồ sơ another unit processed.
AT_ANY_COUNTER = ("hand_back", "collect_fee")


def may_act(user: Any, dossier: Dossier, action: str) -> bool:
    """Officers act (leaders and administrators look); only the processing unit works on the hồ sơ, while
    any counter that returns results may collect the fee and hand back."""
    if getattr(user, "role", "") not in OFFICER_ROLES:
        return False
    return action in AT_ANY_COUNTER or may_process(user, dossier)


def own_dossiers(user: Any) -> QuerySet[Dossier]:
    if not getattr(user, "is_authenticated", False):
        return Dossier.objects.none()
    return Dossier.objects.filter(submitted_by=user).select_related("procedure")


def dossier_for_person(user: Any, code: str) -> Dossier:
    """The hồ sơ ``code`` if the person submitted it or sees it in the office; 404 otherwise, as if there
    were none (a code must not tell a stranger that the hồ sơ exists)."""
    dossier = own_dossiers(user).filter(code=code).first()
    if dossier is None and is_officer(user):
        dossier = visible_to_officer(user).filter(code=code).first()
    if dossier is None:
        raise Http404
    return dossier
