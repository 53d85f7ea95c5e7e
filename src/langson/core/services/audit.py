"""Audit log (nhật ký thay đổi): who changed what, when, through which channel, with before/after.

Entries are append-only and hash-chained: each entry's SHA-256 covers its own content and the previous
entry's hash, so editing or deleting a stored row breaks the chain at that row and `langson audit verify`
names it. Appends are serialised (PostgreSQL advisory lock; SQLite's IMMEDIATE transactions) so two
writers never fork the chain.

The lock is held until the appending transaction ends, so every change that is audited is serialised from its
append to its commit. ``atomic_audit_last`` lets a hot transaction (a hồ sơ submission) do its other writes
first and append its entries as its last statements, so the lock covers the append and the commit only.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection, models, transaction
from django.utils import timezone

if TYPE_CHECKING:
    from django.http import HttpRequest

    from langson.core.models import AuditEntry

GENESIS_HASH = "0" * 64
MASKED = "<đã thay đổi / changed>"
_PG_LOCK_KEY = 2005_0001  # arbitrary constant shared by every process appending to the chain


@dataclass
class AuditContext:
    """Where a change comes from. A request, when present, names the person at record time."""

    channel: str
    request: HttpRequest | None = None
    actor_label: str = ""
    actor_id: int | None = None


_context: ContextVar[AuditContext | None] = ContextVar("langson_audit_context", default=None)


@dataclass
class _Deferred:
    """The entries of an ``atomic_audit_last`` block, appended when the block ends."""

    depth: int  # len(connection.savepoint_ids) just inside the block
    entries: list[AuditEntry]


_deferred: ContextVar[_Deferred | None] = ContextVar("langson_audit_deferred", default=None)


def current_context() -> AuditContext:
    return _context.get() or AuditContext(channel="system", actor_label="system")


@contextmanager
def acting(context: AuditContext) -> Iterator[AuditContext]:
    token = _context.set(context)
    try:
        yield context
    finally:
        _context.reset(token)


def _actor(context: AuditContext) -> tuple[int | None, str, str]:
    if context.request is None:
        return context.actor_id, context.actor_label or context.channel, ""
    request = context.request
    user = getattr(request, "audit_user", None) or getattr(request, "user", None)
    addr = str(request.META.get("REMOTE_ADDR", ""))[:45]
    if user is not None and getattr(user, "is_authenticated", False):
        return int(user.pk), str(user.get_username()), addr
    return None, "anonymous", addr


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return hashlib.sha256(bytes(value)).hexdigest()
    return value


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_json_value)


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The audited fields of an instance as JSON-safe values (foreign keys by id)."""
    exclude = set(getattr(instance, "audit_exclude", ()))
    masked = set(getattr(instance, "audit_mask", ()))
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in exclude:
            continue
        value = field.value_from_object(instance)
        if field.name in masked:
            # Keep a digest so a change shows up, never the secret itself.
            value = hashlib.sha256(str(value).encode()).hexdigest()[:12] if value else ""
        data[field.attname] = _json_value(value)
    return data


def snapshot_from_db(instance: models.Model) -> dict[str, Any] | None:
    if instance._state.adding or instance.pk is None:
        return None
    stored = type(instance)._default_manager.filter(pk=instance.pk).first()
    return snapshot(stored) if stored is not None else None


def _unmask(instance: models.Model, changes: dict[str, Any]) -> dict[str, Any]:
    masked = set(getattr(instance, "audit_mask", ()))  # plain fields: attname == name
    return {key: (MASKED if key in masked else value) for key, value in changes.items()}


def _scope_of(instance: models.Model) -> str:
    scope = getattr(instance, "audit_scope_path", None)
    try:
        return str(scope()) if callable(scope) else ""
    except Exception:  # a half-built object must never stop the change from being recorded
        return ""


def record_save(instance: models.Model, before: dict[str, Any] | None) -> AuditEntry | None:
    after = snapshot(instance)
    if before is None:
        return append("create", instance=instance, changes={"after": _unmask(instance, after)})
    changed = sorted(key for key in after if before.get(key) != after[key])
    if not changed:
        return None
    return append(
        "update",
        instance=instance,
        changes={
            "before": _unmask(instance, {key: before.get(key) for key in changed}),
            "after": _unmask(instance, {key: after[key] for key in changed}),
        },
    )


def record_delete(instance: models.Model) -> AuditEntry:
    return append("delete", instance=instance, changes={"before": _unmask(instance, snapshot(instance))})


# Every stored column but the id and the hash itself: editing any of them breaks the entry's hash.
HASHED_FIELDS = (
    "actor_id",
    "actor",
    "channel",
    "action",
    "model",
    "object_pk",
    "object_repr",
    "scope_path",
    "changes",
    "remote_addr",
    "prev_hash",
)


def entry_hash(entry: AuditEntry) -> str:
    payload = {name: getattr(entry, name) for name in HASHED_FIELDS}
    payload["at"] = entry.at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


def deferring() -> bool:
    """True inside ``atomic_audit_last`` when no savepoint was opened since the block began: a change made
    here can only be undone with the whole block, so its entry may wait for the block's end."""
    state = _deferred.get()
    if state is None or not connection.in_atomic_block:
        return False
    ids = connection.savepoint_ids
    return len(ids) >= state.depth and all(sid is None for sid in ids[state.depth :])


@contextmanager
def atomic_audit_last() -> Iterator[None]:
    """``transaction.atomic()`` whose audit entries are appended together at its end, just before it commits.

    Appending takes the chain's lock, held until the transaction ends: appended last, the lock covers the
    append and the commit instead of every write of the block. Each entry still records the change exactly as
    saved (its content is taken at save time); it gets its place in the chain, its time and its hash at the
    end. A save inside a nested savepoint (``atomic()`` in the block) is appended at once as usual, since that
    savepoint could be rolled back alone. If the block fails, its entries go with its changes. Only for the
    default database; manual ``transaction.savepoint()`` calls inside the block are not supported.
    """
    with transaction.atomic():
        state = _Deferred(depth=len(connection.savepoint_ids), entries=[])
        token = _deferred.set(state)
        try:
            yield
        finally:
            _deferred.reset(token)
        if state.entries:
            _chain(state.entries)


def _chain(entries: list[AuditEntry]) -> None:
    """Link the entries at the head of the chain and store them, in one transaction with the caller's."""
    from langson.core.models import AuditEntry

    with transaction.atomic(savepoint=False):  # a failed append must fail the change: no savepoint
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
            # A new statement after the lock: under READ COMMITTED it sees the previous holder's entries.
            table = connection.ops.quote_name(AuditEntry._meta.db_table)
            cursor.execute(f"SELECT hash FROM {table} ORDER BY id DESC LIMIT 1")  # noqa: S608 - our table
            row = cursor.fetchone()
        prev_hash = row[0] if row else GENESIS_HASH
        for entry in entries:
            entry.at = timezone.now()
            entry.prev_hash = prev_hash
            entry.hash = entry_hash(entry)
            entry.save()
            prev_hash = entry.hash


def append(
    action: str,
    *,
    instance: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    model: str = "",
    object_pk: str = "",
    object_repr: str = "",
    scope_path: str = "",
    context: AuditContext | None = None,
) -> AuditEntry:
    from langson.core.models import AuditEntry

    context = context or current_context()
    actor_id, actor, remote_addr = _actor(context)
    if instance is not None:
        model = instance._meta.label_lower
        object_pk = str(instance.pk)
        object_repr = str(instance)[:200]
        scope_path = _scope_of(instance)
    entry = AuditEntry(
        actor_id=actor_id,
        actor=actor[:150],
        channel=context.channel,
        action=action,
        model=model,
        object_pk=object_pk[:64],
        object_repr=object_repr[:200],
        scope_path=scope_path[:400],
        changes=canonical_json(changes or {}),
        remote_addr=remote_addr,
    )
    state = _deferred.get()
    if state is not None and deferring():
        state.entries.append(entry)  # stored (and given its id and hash) when the block ends
    else:
        _chain([entry])
    return entry


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    bad_id: int | None = None
    reason: str = ""
    head_hash: str = GENESIS_HASH


def verify() -> VerifyResult:
    """Walk the chain from the first entry; report the first entry whose content or link is wrong."""
    from langson.core.models import AuditEntry

    prev = GENESIS_HASH
    checked = 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        if entry.prev_hash != prev:
            return VerifyResult(
                False,
                checked,
                entry.pk,
                "liên kết với mục trước bị phá vỡ (một mục đã bị xóa hoặc chèn) / "
                "link to the previous entry is broken (an entry was deleted or inserted)",
                prev,
            )
        if entry_hash(entry) != entry.hash:
            return VerifyResult(
                False,
                checked,
                entry.pk,
                "nội dung đã bị sửa sau khi ghi / content was changed after it was written",
                prev,
            )
        prev = entry.hash
        checked += 1
    return VerifyResult(True, checked, head_hash=prev)


def _on_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if hasattr(sender, "audit_exclude"):
        record_delete(instance)


def _on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    context = current_context()
    if request is not None:
        request.audit_user = user  # type: ignore[attr-defined]
        context = AuditContext(channel=context.channel, request=request)
    append("login", model="core.user", object_pk=str(user.pk), object_repr=str(user)[:200], context=context)


def _on_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    context = current_context()
    if request is not None:
        request.audit_user = user  # type: ignore[attr-defined]
        context = AuditContext(channel=context.channel, request=request)
    append("logout", model="core.user", object_pk=str(user.pk), object_repr=str(user)[:200], context=context)


def _on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    context = current_context()
    if request is not None:
        context = AuditContext(channel=context.channel, request=request)
    username = str(credentials.get("username", ""))[:150]
    append("login_failed", model="core.user", object_repr=username, context=context)


def connect_signals() -> None:
    from django.contrib.auth import signals as auth_signals
    from django.db.models.signals import post_delete

    post_delete.connect(_on_delete, dispatch_uid="langson_audit_delete")
    auth_signals.user_logged_in.connect(_on_login, dispatch_uid="langson_audit_login")
    auth_signals.user_logged_out.connect(_on_logout, dispatch_uid="langson_audit_logout")
    auth_signals.user_login_failed.connect(_on_login_failed, dispatch_uid="langson_audit_login_failed")
