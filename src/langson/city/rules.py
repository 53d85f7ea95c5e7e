"""The city's rules: the street-lighting schedule, lamp faults, and attribute thresholds (water level).

Pure parts (no database): :func:`lighting_target`, :func:`lamp_is_faulty`, :func:`threshold_state`,
:func:`matches_target`. The job :func:`run_rules` (every 60 s, ``city.rules``) applies them to the latest
values and:

- **lighting** (rule ``lighting.schedule``): each lamp's target is "on" from sunset to sunrise at the lamp's
  own coordinates (``city.sun``), dimmed to 50 % from 23:00 to 05:00 local time (Asia/Ho_Chi_Minh) and full
  at other hours of darkness, "off" in daylight. A command goes only to a lamp whose reported state differs
  from its target, that is online, that has no open command already asking for it, and that no person has
  overridden: a technician's command holds until the schedule's target changes (or for 12 h at most).
- **lamp faults** (IOC event ``lamp.fault``): a lamp reporting "on" with almost no power (below 5 % of its
  rated power ``Device.attributes["powerConsumption"]``, or 2 W when that is unknown); cleared when it
  reports normal power again or reports "off".
- **thresholds** (table :data:`THRESHOLDS`; IOC event ``water.level_high``, critical): an attribute above a
  limit kept in ``Device.attributes`` (``alarmHeight`` for a water-level sensor); cleared only once the
  value is back below the limit minus a small hysteresis, so a level hovering at the limit does not flap.

Alerts go to the device's commune (``unit_code`` = commune code), with ``key`` = device id; each condition
is kept in :class:`RuleCondition` while it lasts, so the IOC hears of it once when it begins and once when
it ends.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from langson.city import commands, sun
from langson.city.models import Command, Device, LatestValue, RuleCondition
from langson.core import contract
from langson.core.models import OrgUnit

logger = logging.getLogger("langson.city.rules")

APP = "city"
RULE_LIGHTING = "lighting.schedule"
KIND_LAMP_FAULT = "lamp.fault"
KIND_WATER_HIGH = "water.level_high"

DIM_FROM = time(23, 0)  # local time: dimmed from 23:00 ...
DIM_UNTIL = time(5, 0)  # ... to 05:00
DIM_LEVEL = 50
FULL_LEVEL = 100
FAULT_SHARE = 0.05  # "on" below 5 % of the rated power is a dead lamp
FAULT_WATTS_UNKNOWN = 2.0  # ... or below 2 W when the rated power is unknown
OVERRIDE_MAX = timedelta(hours=12)  # a technician's command holds at most this long against the schedule

LAMP_ATTRIBUTES = ("powerState", "dimmingLevel", "illuminanceLevel", "powerConsumption")


# -- pure functions ------------------------------------------------------------------------------------


def lighting_target(
    at: datetime, latitude: float = sun.LANG_SON_LATITUDE, longitude: float = sun.LANG_SON_LONGITUDE
) -> dict[str, Any]:
    """What a street light at this place should be doing at ``at`` (aware): ``{"powerState": "on",
    "dimmingLevel": 100 | 50}`` between sunset and sunrise (50 from 23:00 to 05:00 local time), else
    ``{"powerState": "off", "dimmingLevel": 0}``."""
    if not isinstance(at, datetime) or at.utcoffset() is None:
        raise ValueError(f"at must be a timezone-aware datetime: {at!r}")
    if sun.is_sun_up(at, latitude, longitude):
        return {"powerState": "off", "dimmingLevel": 0}
    local = at.astimezone(sun.VIETNAM_TZ).time()
    dimmed = local >= DIM_FROM or local < DIM_UNTIL
    return {"powerState": "on", "dimmingLevel": DIM_LEVEL if dimmed else FULL_LEVEL}


def lamp_is_faulty(power_state: str | None, power_w: float | None, rated_w: float | None) -> bool:
    """A lamp that says it is on but draws (almost) nothing: below 5 % of its rated power, or below 2 W
    when the rated power is unknown. Unknown state or power is not a fault."""
    if power_state is None or power_state.lower() != "on" or power_w is None or not math.isfinite(power_w):
        return False
    usable_rating = rated_w is not None and math.isfinite(rated_w) and rated_w > 0
    bound = FAULT_SHARE * rated_w if usable_rating and rated_w is not None else FAULT_WATTS_UNKNOWN
    return power_w < bound


def threshold_state(value: float | None, limit: float | None, hysteresis: float) -> bool | None:
    """True above ``limit``, False below ``limit − hysteresis``, None in between or when unknown (the
    condition stays as it was)."""
    if value is None or limit is None or not math.isfinite(value):
        return None
    if value > limit:
        return True
    if value < limit - hysteresis:
        return False
    return None


def matches_target(power_state: str | None, dimming_level: float | None, target: dict[str, Any]) -> bool:
    """Whether a lamp's reported state is its target (the dimming level matters only when on)."""
    if power_state is None or power_state.lower() != target["powerState"]:
        return False
    if target["powerState"] == "off":
        return True
    return (
        dimming_level is not None
        and abs(dimming_level - target["dimmingLevel"]) <= commands.DIMMING_TOLERANCE
    )


# -- the lamps as they report ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LampStatus:
    device_id: str
    name: str
    power_state: str | None  # "on" | "off" | None (never reported)
    dimming_level: float | None  # % (dimmingLevel, or illuminanceLevel × 100)
    power_w: float | None  # powerConsumption, W
    faulty: bool
    observed_at: datetime | None  # the newest of these reports
    latitude: float
    longitude: float
    commune_code: str
    rated_w: float | None = None  # Device.attributes["powerConsumption"]


def _rated(device: Device) -> float | None:
    rated = (device.attributes or {}).get("powerConsumption")
    if isinstance(rated, int | float) and not isinstance(rated, bool) and math.isfinite(rated):
        return float(rated)
    return None


def _latest(device_ids: list[str], attributes: Iterable[str]) -> dict[str, dict[str, LatestValue]]:
    """device id → attribute → latest value; one query per 2,000 devices."""
    found: dict[str, dict[str, LatestValue]] = {}
    names = sorted(set(attributes))
    for start in range(0, len(device_ids), 2000):
        chunk = device_ids[start : start + 2000]
        for value in LatestValue.objects.filter(device_id__in=chunk, attribute__in=names):
            found.setdefault(value.device_id, {})[value.attribute] = value
    return found


def _communes(devices: list[Device]) -> dict[int, str]:
    ids = sorted({d.commune_id for d in devices})
    return dict(OrgUnit.objects.filter(pk__in=ids).values_list("pk", "code")) if ids else {}


def _lamps(devices: Iterable[Device] | None) -> list[tuple[Device, LampStatus]]:
    if devices is None:
        devices = Device.objects.filter(type=Device.Type.STREETLIGHT, active=True)
    lamps = list(devices.order_by("device_id") if isinstance(devices, QuerySet) else devices)
    latest = _latest([d.device_id for d in lamps], LAMP_ATTRIBUTES)
    communes = _communes(lamps)
    found = []
    for device in lamps:
        values = latest.get(device.device_id, {})
        state = values.get("powerState")
        power = values.get("powerConsumption")
        dimming, _dimmed_at = commands.reported_dimming(values)
        power_state = state.text.lower() if state is not None and state.text else None
        power_w = power.value if power is not None else None
        rated = _rated(device)
        observed = max((v.observed_at for v in values.values()), default=None)
        found.append(
            (
                device,
                LampStatus(
                    device_id=device.device_id,
                    name=device.name,
                    power_state=power_state,
                    dimming_level=dimming,
                    power_w=power_w,
                    faulty=lamp_is_faulty(power_state, power_w, rated),
                    observed_at=observed,
                    latitude=device.latitude,
                    longitude=device.longitude,
                    commune_code=communes.get(device.commune_id, ""),
                    rated_w=rated,
                ),
            )
        )
    return found


def lamp_statuses(devices: Iterable[Device] | None = None) -> list[LampStatus]:
    """The reported state of these street lights (default: every active one), from the latest values:
    three queries whatever the number of lamps (one more per 2,000 lamps)."""
    return [status for _device, status in _lamps(devices)]


# -- conditions to the IOC -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """What a rule found on one device now: ``active`` True (the condition holds), False (it is over) or
    None (unknown or within the hysteresis: unchanged)."""

    active: bool | None
    unit_code: str
    title: str = ""
    severity: str = "warning"
    value: float | None = None


def sync_conditions(kind: str, findings: dict[str, Finding]) -> tuple[int, int]:
    """Raise the IOC event of each condition that begins and clear each that ends (also those of devices
    no longer evaluated: removed, deactivated). Returns (raised, cleared)."""
    existing = {c.device_id: c for c in RuleCondition.objects.filter(rule=kind)}
    raised = cleared = 0
    for device_id, finding in findings.items():
        condition = existing.get(device_id)
        if finding.active and condition is None and finding.unit_code:
            with transaction.atomic():
                RuleCondition.objects.create(
                    rule=kind,
                    device_id=device_id,
                    severity=finding.severity,
                    unit_code=finding.unit_code,
                    value=finding.value,
                )
                contract.emit(
                    APP,
                    kind,
                    finding.title,
                    unit_code=finding.unit_code,
                    severity=finding.severity,
                    key=device_id,
                    device_id=device_id,
                    value=finding.value,
                )
            raised += 1
        elif finding.active is False and condition is not None:
            cleared += _clear(condition, "normal")
    for device_id in set(existing) - set(findings):
        cleared += _clear(existing[device_id], "device removed")
    return raised, cleared


def _clear(condition: RuleCondition, reason: str) -> int:
    with transaction.atomic():
        condition.delete()
        contract.clear(APP, condition.rule, key=condition.device_id, reason=reason)
    return 1


def _vi(template: Any, **params: Any) -> str:
    with translation.override("vi"):
        return str(template) % params


LAMP_FAULT_TITLE = _("Đèn %(name)s (%(device)s) báo bật nhưng chỉ tiêu thụ %(watts)s W: nghi hỏng bóng")


def evaluate_lamp_faults(statuses: Iterable[LampStatus]) -> tuple[int, int]:
    findings: dict[str, Finding] = {}
    for lamp in statuses:
        if lamp.power_state is None:
            active: bool | None = None
        else:
            active = lamp.faulty
        findings[lamp.device_id] = Finding(
            active=active,
            unit_code=lamp.commune_code,
            title=_vi(
                LAMP_FAULT_TITLE, name=lamp.name, device=lamp.device_id, watts=f"{lamp.power_w or 0:g}"
            ),
            severity="warning",
            value=lamp.power_w,
        )
    return sync_conditions(KIND_LAMP_FAULT, findings)


@dataclass(frozen=True)
class Threshold:
    """An attribute of a device type above a limit kept in the device's static attributes."""

    kind: str  # IOC event kind
    device_type: str
    attribute: str  # the reported attribute
    limit_attribute: str  # Device.attributes key holding the limit
    default_limit: float | None  # when the device has none (None: not evaluated)
    hysteresis: float  # cleared only below limit − hysteresis
    severity: str
    title: Any  # Vietnamese msgid with %(name)s %(device)s %(value)s %(limit)s


THRESHOLDS: tuple[Threshold, ...] = (
    Threshold(
        kind=KIND_WATER_HIGH,
        device_type=Device.Type.WATER_LEVEL,
        attribute="height",
        limit_attribute="alarmHeight",
        default_limit=None,
        hysteresis=0.1,
        severity="critical",
        title=_("Mực nước tại %(name)s (%(device)s) %(value)s m, vượt mức báo động %(limit)s m"),
    ),
)


def evaluate_threshold(rule: Threshold) -> tuple[int, int]:
    devices = list(Device.objects.filter(type=rule.device_type, active=True).order_by("device_id"))
    latest = _latest([d.device_id for d in devices], [rule.attribute])
    communes = _communes(devices)
    findings: dict[str, Finding] = {}
    for device in devices:
        limit = (device.attributes or {}).get(rule.limit_attribute, rule.default_limit)
        if isinstance(limit, bool) or not isinstance(limit, int | float):
            continue  # no limit: not evaluated (an open condition is cleared)
        reading = latest.get(device.device_id, {}).get(rule.attribute)
        value = reading.value if reading is not None else None
        findings[device.device_id] = Finding(
            active=threshold_state(value, float(limit), rule.hysteresis),
            unit_code=communes.get(device.commune_id, ""),
            title=_vi(
                rule.title, name=device.name, device=device.device_id, value=f"{value}", limit=f"{limit:g}"
            ),
            severity=rule.severity,
            value=value,
        )
    return sync_conditions(rule.kind, findings)


# -- the lighting schedule -----------------------------------------------------------------------------


def apply_lighting_schedule(
    *,
    now: datetime | None = None,
    lamps: list[tuple[Device, LampStatus]] | None = None,
    via: commands.Channel | None = None,
) -> int:
    """Send the schedule's target to each online lamp that differs from it (see the module docstring).
    Returns the number of commands sent. A fixed number of queries, plus one insert per command."""
    now = now or timezone.now()
    lamps = _lamps(None) if lamps is None else lamps
    if not lamps:
        return 0
    pks = [device.pk for device, _status in lamps]
    open_payloads: dict[int, list[tuple[dict[str, Any], str]]] = {}
    for device_pk, payload, rule in Command.objects.filter(
        device__in=pks, state__in=Command.OPEN_STATES
    ).values_list("device_id", "payload", "rule"):
        open_payloads.setdefault(device_pk, []).append((payload, rule))
    overrides: dict[int, datetime] = {}  # the newest person's command that may still hold
    for device_pk, created in (
        Command.objects.filter(device__in=pks, rule="", created_at__gt=now - OVERRIDE_MAX)
        .exclude(state__in=[Command.State.FAILED, Command.State.EXPIRED])
        .order_by("device_id", "-created_at")
        .values_list("device_id", "created_at")
    ):
        overrides.setdefault(device_pk, created)
    sent = 0
    for device, status in lamps:
        if status.observed_at is None or status.power_state is None:
            continue  # never reported: nothing to compare
        if now - status.observed_at > timedelta(seconds=device.offline_after_s):
            continue  # offline: a command would only expire
        target = lighting_target(now, device.latitude, device.longitude)
        if matches_target(status.power_state, status.dimming_level, target):
            continue
        pending = open_payloads.get(device.pk, [])
        if any(payload == target or not rule for payload, rule in pending):
            continue  # already asked for, or a person's command is on its way
        asked = overrides.get(device.pk)
        if asked is not None and lighting_target(asked, device.latitude, device.longitude) == target:
            continue  # a technician's order holds until the schedule moves on
        commands.send_command(device, target, rule=RULE_LIGHTING, via=via, now=now)
        sent += 1
    return sent


def run_rules(*, now: datetime | None = None) -> dict[str, int]:
    """The periodic job (every 60 s): follow up the commands, raise and clear conditions, drive the lamps."""
    now = now or timezone.now()
    with commands.channel() as via:
        applied = commands.mark_applied(now=now)
        expired = commands.expire_commands(now=now)
        republished = commands.publish_pending(now=now, via=via)
        lamps = _lamps(None)
        faults_raised, faults_cleared = evaluate_lamp_faults(status for _device, status in lamps)
        raised = cleared = 0
        for rule in THRESHOLDS:
            up, down = evaluate_threshold(rule)
            raised += up
            cleared += down
        lighting = apply_lighting_schedule(now=now, lamps=lamps, via=via)
    result = {
        "applied": applied,
        "expired": expired,
        "republished": republished,
        "lighting_commands": lighting,
        "lamp_faults_raised": faults_raised,
        "lamp_faults_cleared": faults_cleared,
        "thresholds_raised": raised,
        "thresholds_cleared": cleared,
    }
    if any(result.values()):
        logger.info("city rules: %s", result)
    return result
