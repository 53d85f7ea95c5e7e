"""Commands to devices: validated, stored, published over MQTT or fetched over HTTP, followed to the end.

- :func:`send_command` checks a payload against what the device's type accepts (a street light:
  ``powerState`` "on"/"off", ``dimmingLevel`` 0–100), stores it (a person's command is audited; a rule's
  names its rule) and, when a broker is configured for commands (``LANGSON_MQTT_COMMAND_URL``, the
  ``langson-platform`` account), publishes it with QoS 1 on ``langson/<device_id>/command`` as
  ``{"commandId": <id>, ...payload}`` and marks it ``sent`` once the broker acknowledged it. Without a broker
  (HTTP-only mode, ``make run``) it stays ``pending`` until the device fetches it
  (``GET /api/city/commands``, which marks it ``sent``).
- :func:`mark_applied`: a command is ``applied`` when the device's latest reported values are the ones it
  asked for. The ingest store calls :func:`notice_readings` after each committed batch; it costs nothing
  while no command is open (a cached set of devices with open commands, refreshed every few seconds), and
  the rules job checks every open command once a minute as well.
- :func:`expire_commands`: a command not applied within :data:`COMMAND_TTL` becomes ``expired``.

A newer command to a device supersedes its older open commands on the same attributes (they expire at once),
so a device never fetches an outdated order.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import secrets
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from langson.city.ingest.payload import COMMAND, TOPIC_ROOT
from langson.city.models import Command, Device, LatestValue

logger = logging.getLogger("langson.city.commands")

COMMAND_TTL = timedelta(minutes=10)  # a command not applied within this is expired
CLOCK_SKEW = timedelta(seconds=30)  # a report this much older than the command still proves it applied
PUBLISH_TIMEOUT_S = 5.0  # connection and PUBACK, per attempt
OPEN_REFRESH_SECONDS = 2.0  # how stale the ingest path's set of devices with open commands may be
DIMMING_TOLERANCE = 1.0  # percentage points between the asked and the reported dimming level

State = Command.State


# -- what each device type accepts ---------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    values: tuple[str, ...]


@dataclass(frozen=True)
class Percent:
    low: int = 0
    high: int = 100


Check = Choice | Percent

ACCEPTED: dict[str, dict[str, Check]] = {
    Device.Type.STREETLIGHT: {"powerState": Choice(("on", "off")), "dimmingLevel": Percent(0, 100)},
}

# code → (Vietnamese msgid, English); English twins also in tools/translations/city_rules.json.
REASONS: dict[str, tuple[Any, str]] = {
    "not_commandable": (
        _("Thiết bị loại %(type)s không nhận lệnh điều khiển."),
        "Devices of type %(type)s take no commands.",
    ),
    "inactive": (
        _("Thiết bị %(device)s đã ngừng hoạt động."),
        "Device %(device)s is no longer active.",
    ),
    "not_object": (
        _("Lệnh phải là một đối tượng JSON có ít nhất một thuộc tính."),
        "A command must be a JSON object with at least one attribute.",
    ),
    "unknown_attribute": (
        _("Không điều khiển được thuộc tính %(names)s (chỉ có: %(allowed)s)."),
        "Attribute %(names)s cannot be commanded (only: %(allowed)s).",
    ),
    "bad_choice": (
        _("%(name)s phải là một trong các giá trị: %(choices)s."),
        "%(name)s must be one of: %(choices)s.",
    ),
    "bad_percent": (
        _("%(name)s phải là số nguyên từ %(low)s đến %(high)s."),
        "%(name)s must be a whole number from %(low)s to %(high)s.",
    ),
}


class InvalidCommand(ValueError):
    """A command refused before it is stored. ``str()`` gives Vietnamese / English; ``vietnamese``,
    ``english`` and ``message()`` (the active language) each give one."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(f"{self.vietnamese} / {self.english}")

    @property
    def vietnamese(self) -> str:
        with translation.override("vi"):
            return str(REASONS[self.code][0]) % self.params

    @property
    def english(self) -> str:
        return REASONS[self.code][1] % self.params

    def message(self) -> str:
        language = translation.get_language() or "vi"
        return self.english if language.startswith("en") else self.vietnamese


def validate(device: Device, payload: Any) -> dict[str, Any]:
    """The payload as it will be stored and sent, or :class:`InvalidCommand`."""
    accepted = ACCEPTED.get(device.type)
    if accepted is None:
        raise InvalidCommand("not_commandable", type=device.type)
    if not device.active:
        raise InvalidCommand("inactive", device=device.device_id)
    if not isinstance(payload, dict) or not payload:
        raise InvalidCommand("not_object")
    unknown = sorted(str(key) for key in payload if key not in accepted)
    if unknown:
        raise InvalidCommand(
            "unknown_attribute", names=", ".join(unknown)[:200], allowed=", ".join(sorted(accepted))
        )
    clean: dict[str, Any] = {}
    for name, check in accepted.items():
        if name not in payload:
            continue
        value = payload[name]
        if isinstance(check, Choice):
            if not isinstance(value, str) or value not in check.values:
                raise InvalidCommand("bad_choice", name=name, choices=", ".join(check.values))
            clean[name] = value
        else:
            number = value if isinstance(value, int | float) and not isinstance(value, bool) else None
            if number is None or not math.isfinite(number) or number != int(number):
                raise InvalidCommand("bad_percent", name=name, low=check.low, high=check.high)
            if not check.low <= number <= check.high:
                raise InvalidCommand("bad_percent", name=name, low=check.low, high=check.high)
            clean[name] = int(number)
    return clean


# -- the broker ----------------------------------------------------------------------------------------


def broker_url() -> str:
    """mqtt://langson-platform:<password>@host:port, or "" when commands go over HTTP only.

    ``LANGSON_MQTT_COMMAND_URL`` (the ``langson-platform`` account of ``service-passwords.json``; the ingest
    worker's ``LANGSON_MQTT_URL`` may not publish commands under the generated ACL)."""
    return str(getattr(settings, "MQTT_COMMAND_URL", "") or os.environ.get("LANGSON_MQTT_COMMAND_URL", ""))


def command_topic(device_id: str) -> str:
    return f"{TOPIC_ROOT}/{device_id}/{COMMAND}"


def message_of(command: Command) -> dict[str, Any]:
    """What the device receives, over MQTT or HTTP."""
    return {"commandId": command.pk, **command.payload}


class Channel:
    """One connection to the broker as ``langson-platform``, for one or many commands (the rules job)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._publisher: Any = None

    def _connected(self) -> Any:
        if self._publisher is None:
            from langson.city.ingest.publisher import Publisher

            client_id = f"langson-platform-{os.getpid()}-{secrets.token_hex(3)}"
            self._publisher = Publisher(self.url, client_id, window=100).connect(PUBLISH_TIMEOUT_S)
        return self._publisher

    def publish(self, commands: Sequence[Command]) -> None:
        """QoS 1, and wait for every PUBACK; raises ConnectionError or TimeoutError."""
        publisher = self._connected()
        for command in commands:
            body = json.dumps(message_of(command), separators=(",", ":")).encode()
            publisher.publish(command_topic(command.device.device_id), body, timeout=PUBLISH_TIMEOUT_S)
        if not publisher.drain(PUBLISH_TIMEOUT_S):
            raise TimeoutError("no PUBACK from the MQTT broker")

    def close(self) -> None:
        if self._publisher is not None:
            with contextlib.suppress(Exception):
                self._publisher.close()
            self._publisher = None


@contextlib.contextmanager
def channel() -> Iterator[Channel | None]:
    """A broker connection opened on first use, or None in HTTP-only mode."""
    url = broker_url()
    if not url:
        yield None
        return
    opened = Channel(url)
    try:
        yield opened
    finally:
        opened.close()


def publish(commands: Sequence[Command], via: Channel | None = None) -> int:
    """Publish open commands and mark them ``sent``; on failure they stay ``pending`` with the reason
    (the rules job tries again, and the device can fetch them over HTTP). Returns how many were sent."""
    commands = [c for c in commands if c.state == State.PENDING]
    if not commands:
        return 0
    with contextlib.ExitStack() as stack:
        if via is None:
            via = stack.enter_context(channel())
        if via is None:
            return 0
        try:
            via.publish(commands)
        except (ConnectionError, TimeoutError, OSError, ValueError) as error:
            logger.warning("commands %s not published: %s", [c.pk for c in commands], error)
            via.close()
            for command in commands:
                _transition(command, (State.PENDING,), reason=f"MQTT: {error}"[:500])
            return 0
    now = timezone.now()
    sent = 0
    for command in commands:
        sent += _transition(command, (State.PENDING,), state=State.SENT, sent_at=now, reason="")
    return sent


def _transition(command: Command, from_states: Iterable[str], **fields: Any) -> int:
    """Change a command's bookkeeping fields (``Command.audit_exclude``) only if it is still in one of
    ``from_states``: a conditional UPDATE, so two processes (ingest, web, rules) never move it back."""
    done = Command.objects.filter(pk=command.pk, state__in=list(from_states)).update(**fields)
    if done:
        for name, value in fields.items():
            setattr(command, name, value)
    return done


# -- sending -------------------------------------------------------------------------------------------


def send_command(
    device: Device,
    payload: dict[str, Any],
    *,
    user: Any = None,
    rule: str = "",
    via: Channel | None = None,
    now: datetime | None = None,
) -> Command:
    """Validate, store and (with a broker) publish a command; see the module docstring.

    ``user`` is the person who asks (the command is audited in their name), ``rule`` the code of the rule
    that asks (no person). ``via`` reuses an open broker connection (the rules job sends many). The broker
    is used once the command is committed (at once outside a transaction)."""
    if bool(user) == bool(rule):
        raise TypeError("send_command needs exactly one of user= (a person) or rule= (a rule's code)")
    clean = validate(device, payload)
    now = now or timezone.now()
    command = Command(
        device=device,
        payload=clean,
        rule=rule[:64],
        requested_by=user,
        created_at=now,
        expires_at=now + COMMAND_TTL,
    )
    with transaction.atomic():
        if user is not None:
            with _acting_as(user):
                command.save()
        else:
            # A rule's command is the platform's own act, recorded by its rule code rather than in the
            # audit chain (a sunset may switch hundreds of lamps).
            Command.objects.bulk_create([command])
        older = Command.objects.filter(device=device, state__in=Command.OPEN_STATES, created_at__lte=now)
        for previous in older.exclude(pk=command.pk):
            if set(previous.payload) <= set(clean):
                _transition(
                    previous,
                    Command.OPEN_STATES,
                    state=State.EXPIRED,
                    reason=f"Thay bằng lệnh #{command.pk} / superseded by command #{command.pk}",
                )
    _open_devices.add(device.device_id)
    transaction.on_commit(lambda: _publish_quietly(command, via), robust=True)
    return command


def _publish_quietly(command: Command, via: Channel | None) -> None:
    try:
        publish([command], via)
    except DatabaseError:
        logger.exception("command %s: could not record its publication", command.pk)


@contextlib.contextmanager
def _acting_as(user: Any) -> Iterator[None]:
    """The audit entry names the person: a request already does (its context is kept); otherwise
    (a script, a test, a job acting for someone) a context naming the user is set."""
    from langson.core.services import audit

    context = audit.current_context()
    if context.request is not None or context.actor_id == getattr(user, "pk", None):
        yield
        return
    with audit.acting(
        audit.AuditContext(channel=context.channel, actor_id=user.pk, actor_label=user.get_username())
    ):
        yield


# -- fetching over HTTP --------------------------------------------------------------------------------


def fetch_for_device(device_id: str, *, now: datetime | None = None) -> list[dict[str, Any]]:
    """The device's open commands, oldest first (what ``GET /api/city/commands`` answers); the pending
    ones become ``sent``. A fetched command is fetched again until it is applied or expires (the device may
    not have got the answer): applying it twice changes nothing."""
    now = now or timezone.now()
    commands = list(
        Command.objects.filter(
            device__device_id=device_id, state__in=Command.OPEN_STATES, expires_at__gt=now
        ).order_by("created_at", "id")
    )
    for command in commands:
        if command.state == State.PENDING:
            _transition(command, (State.PENDING,), state=State.SENT, sent_at=now, reason="")
    return [message_of(c) for c in commands]


# -- applied, expired ----------------------------------------------------------------------------------


REPORTED = ("powerState", "dimmingLevel", "illuminanceLevel")


def reported_dimming(latest: dict[str, LatestValue]) -> tuple[float | None, datetime | None]:
    """The dimming level a lamp reports, in %: ``dimmingLevel``, or FIWARE's ``illuminanceLevel`` (0–1)
    × 100, whichever is newer."""
    found: list[tuple[datetime, float]] = []
    dimming = latest.get("dimmingLevel")
    if dimming is not None and dimming.value is not None:
        found.append((dimming.observed_at, float(dimming.value)))
    illuminance = latest.get("illuminanceLevel")
    if illuminance is not None and illuminance.value is not None:
        found.append((illuminance.observed_at, float(illuminance.value) * 100.0))
    if not found:
        return None, None
    observed, value = max(found, key=lambda pair: pair[0])
    return value, observed


def satisfied(payload: dict[str, Any], latest: dict[str, LatestValue], since: datetime) -> bool:
    """Whether the reported values (newer than ``since`` − CLOCK_SKEW) are those the payload asks for.
    A lamp asked to switch off needs only to report "off" (its dimming level no longer matters)."""
    oldest = since - CLOCK_SKEW
    wanted = dict(payload)
    if wanted.get("powerState") == "off":
        wanted.pop("dimmingLevel", None)
    for name, value in wanted.items():
        if name == "dimmingLevel":
            level, observed = reported_dimming(latest)
            if level is None or observed is None or observed < oldest:
                return False
            if abs(level - float(value)) > DIMMING_TOLERANCE:
                return False
            continue
        reported = latest.get(name)
        if reported is None or reported.observed_at < oldest:
            return False
        if isinstance(value, str):
            if reported.text.lower() != value.lower():
                return False
        elif reported.value is None or abs(reported.value - float(value)) > 1e-9:
            return False
    return True


def mark_applied(device_ids: Iterable[str] | None = None, *, now: datetime | None = None) -> int:
    """Mark ``applied`` the open commands (of these devices, or all) whose device reported what they asked
    for. Two queries whatever the number of commands, plus one update per applied command."""
    now = now or timezone.now()
    commands = Command.objects.filter(state__in=Command.OPEN_STATES).select_related("device")
    if device_ids is not None:
        ids = sorted(set(device_ids))
        if not ids:
            return 0
        commands = commands.filter(device__device_id__in=ids)
    open_commands = list(commands.only("id", "payload", "created_at", "state", "device__device_id"))
    if not open_commands:
        return 0
    names = {name for c in open_commands for name in c.payload} | set(REPORTED)
    latest: dict[str, dict[str, LatestValue]] = {}
    for value in LatestValue.objects.filter(
        device_id__in=sorted({c.device.device_id for c in open_commands}), attribute__in=sorted(names)
    ):
        latest.setdefault(value.device_id, {})[value.attribute] = value
    applied = 0
    for command in open_commands:
        if satisfied(command.payload, latest.get(command.device.device_id, {}), command.created_at):
            applied += _transition(command, Command.OPEN_STATES, state=State.APPLIED, applied_at=now)
    return applied


def expire_commands(*, now: datetime | None = None) -> int:
    """Open commands past their time limit become ``expired``."""
    now = now or timezone.now()
    expired = 0
    for command in Command.objects.filter(state__in=Command.OPEN_STATES, expires_at__lte=now):
        expired += _transition(
            command,
            Command.OPEN_STATES,
            state=State.EXPIRED,
            reason="Thiết bị không thực hiện trong thời hạn / not applied in time",
        )
    return expired


def publish_pending(*, now: datetime | None = None, via: Channel | None = None) -> int:
    """Publish again the pending commands a broker failure left behind (rules job); 0 in HTTP-only mode."""
    if via is None and not broker_url():
        return 0
    now = now or timezone.now()
    pending = list(
        Command.objects.filter(state=State.PENDING, expires_at__gt=now)
        .select_related("device")
        .order_by("created_at", "id")[:1000]
    )
    return publish(pending, via)


# -- the ingest path's cheap check ---------------------------------------------------------------------


class _OpenDevices:
    """The device ids with open commands, as seen at most OPEN_REFRESH_SECONDS ago (per process)."""

    def __init__(self) -> None:
        self.ids: frozenset[str] = frozenset()
        self.at = -1e9

    def current(self) -> frozenset[str]:
        now = time.monotonic()
        if now - self.at >= OPEN_REFRESH_SECONDS:
            self.ids = frozenset(
                Command.objects.filter(state__in=Command.OPEN_STATES)
                .values_list("device__device_id", flat=True)
                .distinct()
            )
            self.at = now
        return self.ids

    def add(self, device_id: str) -> None:
        self.ids = self.ids | {device_id}

    def forget(self) -> None:
        self.ids = frozenset()
        self.at = -1e9


_open_devices = _OpenDevices()


def notice_readings(rows: Sequence[tuple[Any, ...]]) -> int:
    """Called by the store after a committed batch: check the commands of the devices heard from that have
    open ones. One indexed query every OPEN_REFRESH_SECONDS at most while none is open; never raises."""
    try:
        open_ids = _open_devices.current()
        if not open_ids or not rows:
            return 0
        heard = {row[0] for row in rows if row[0] in open_ids}
        return mark_applied(heard) if heard else 0
    except DatabaseError:
        logger.warning("could not check open commands after a batch", exc_info=True)
        return 0
