"""The device registry's rules, shared by the pages, the API and the admin: who sees and manages which
device, whether a device is online, its credentials, and its latest values.

Scope (decision 0004, role for *what*, organisation tree for *whose*):

- a device is **seen** by the people of its owner unit (and the units above it: the province sees every
  device) and by the people of the commune or ward it stands in, who answer the residents about it;
- it is **managed** (edited, deactivated, its secret reset, commands sent) only by the people of its owner
  unit and above, holding the role's permission. A device outside a person's sight answers 404; one in
  sight that they may not manage answers 403.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from langson.city.ingest.broker import hash_password
from langson.city.models import Device, LatestValue, Reading
from langson.city.rules import LampStatus, lamp_statuses
from langson.core.models import OrgUnit, scope_path_of

VIEW = "city.view_device"
ADD = "city.add_device"
CHANGE = "city.change_device"
COMMAND = "city.add_command"  # sending a command to a device is creating a Command

SECRET_BYTES = 18  # 24 URL-safe characters, ~144 bits


def _in_scope(user: Any, permission: str, where: Any) -> QuerySet[Device]:
    """The devices ``where(scope path)`` selects for a person holding ``permission``; all for the province."""
    devices = Device.objects.select_related("commune", "owner", "parent")
    if not getattr(user, "is_authenticated", False) or not user.has_perm(permission):
        return devices.none()
    scope = scope_path_of(user)
    if scope is None:
        return devices.none()
    return devices if scope == "" else devices.filter(where(scope))


def visible_devices(user: Any) -> QuerySet[Device]:
    """The devices the person may see: their owner unit's or their commune's subtree; all for the province."""
    return _in_scope(
        user, VIEW, lambda scope: Q(owner__path__startswith=scope) | Q(commune__path__startswith=scope)
    )


def managed_devices(user: Any, permission: str = CHANGE) -> QuerySet[Device]:
    """The devices the person may manage with ``permission``: those owned by their unit or below."""
    return _in_scope(user, permission, lambda scope: Q(owner__path__startswith=scope))


def may_manage(user: Any, device: Device, permission: str = CHANGE) -> bool:
    return managed_devices(user, permission).filter(pk=device.pk).exists()


def owner_choices(user: Any) -> QuerySet[OrgUnit]:
    """Units a person may name as a device's owner: their own unit and those below it."""
    return OrgUnit.objects.visible_to(user).filter(is_active=True)


def commune_choices() -> QuerySet[OrgUnit]:
    """Where a device may stand: any of the province's communes and wards."""
    return OrgUnit.objects.filter(kind__in=[OrgUnit.Kind.COMMUNE, OrgUnit.Kind.WARD]).order_by("name")


# -- online / offline ------------------------------------------------------------------------------------


def is_online(device: Device, now: datetime | None = None) -> bool:
    """Online when its last contact is at most ``offline_after_s`` old (never seen: offline)."""
    if device.last_seen_at is None:
        return False
    now = now or timezone.now()
    return now - device.last_seen_at <= timedelta(seconds=device.offline_after_s)


def filter_online(devices: QuerySet[Device], online: bool, now: datetime | None = None) -> QuerySet[Device]:
    """The same rule as ``is_online`` in SQL. ``offline_after_s`` differs per device, so the bound is
    computed per distinct threshold (a handful of values in practice)."""
    now = now or timezone.now()
    thresholds = set(devices.values_list("offline_after_s", flat=True).distinct())
    fresh = Q(pk__in=[])
    for seconds in thresholds:
        fresh |= Q(offline_after_s=seconds, last_seen_at__gte=now - timedelta(seconds=seconds))
    return devices.filter(fresh) if online else devices.exclude(fresh)


# -- credentials -----------------------------------------------------------------------------------------


def new_secret() -> str:
    return secrets.token_urlsafe(SECRET_BYTES)


def give_secret(device: Device) -> str:
    """Set a fresh secret (the caller saves): the plain secret is returned to be shown once, only its
    Mosquitto-format hash is kept."""
    secret = new_secret()
    device.secret_hash = hash_password(secret)
    return secret


# -- telemetry for the pages -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    attribute: str
    observed_at: datetime
    value: float | None
    text: str

    @property
    def shown(self) -> str:
        if self.text:
            return self.text
        if self.value is None:
            return "—"
        return f"{self.value:g}"


def latest_values(device_ids: Iterable[str]) -> dict[str, dict[str, Value]]:
    """device_id → attribute → its newest value."""
    out: dict[str, dict[str, Value]] = {}
    rows = LatestValue.objects.filter(device_id__in=list(device_ids)).order_by("device_id", "attribute")
    for row in rows:
        out.setdefault(row.device_id, {})[row.attribute] = Value(
            row.attribute, row.observed_at, row.value, row.text
        )
    return out


def recent_readings(device_id: str, attributes: Iterable[str], limit: int = 50) -> list[Value]:
    """The newest ``limit`` readings of a device. One query per attribute, each an index range scan of
    (device_id, attribute, observed_at): a device's whole history is never sorted."""
    values: list[Value] = []
    for attribute in attributes:
        rows = Reading.objects.filter(device_id=device_id, attribute=attribute).order_by("-observed_at")
        values.extend(Value(r.attribute, r.observed_at, r.value, r.text) for r in rows[:limit])
    values.sort(key=lambda v: (v.observed_at, v.attribute), reverse=True)
    return values[:limit]


# -- street lights ---------------------------------------------------------------------------------------


def lamp_states(devices: Iterable[Device]) -> dict[str, LampStatus]:
    """device_id → the reported state of each street light among ``devices`` (``rules.lamp_statuses``)."""
    lights = [d for d in devices if d.type == Device.Type.STREETLIGHT]
    if not lights:
        return {}
    return {status.device_id: status for status in lamp_statuses(lights)}


def filter_faulty(devices: QuerySet[Device], faulty: bool) -> QuerySet[Device]:
    """The street lights among ``devices`` that report "on" at ~0 W (``faulty``), or all the others."""
    lights = devices.filter(type=Device.Type.STREETLIGHT, active=True)
    ids = [status.device_id for status in lamp_statuses(lights) if status.faulty]
    return devices.filter(device_id__in=ids) if faulty else devices.exclude(device_id__in=ids)
