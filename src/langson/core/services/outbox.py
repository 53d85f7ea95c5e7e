"""Delivery of outbox rows (messages written in the same transaction as what they announce), shared by the
IOC's alert notifications and the one-stop services' messages to applicants.

An outbox model has ``status`` (pending / sent / failed), ``attempts``, ``sent_at``, a due-time column, an
error column and optionally a lease column. Delivery is at least once: each try first claims its row with a
lease (a conditional update, with ``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL; SQLite's write lock
serialises the claim), so two workers never send the same row at the same time, and a row held by a worker
that died comes back when its lease runs out. A failed try is retried after 1, 2, 4, 8 and 16 minutes; the
sixth failed try gives up (status failed, error kept). A sender raises ``GiveUp`` for a row that can never
be sent (no retry).
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar

from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6  # the sixth failed try marks the row failed
FIRST_BACKOFF = timedelta(minutes=1)  # then 2, 4, 8, 16 minutes
LEASE = timedelta(minutes=5)  # a claimed row is due again after this if its worker died mid-send

PENDING, SENT, FAILED = "pending", "sent", "failed"

M = TypeVar("M", bound=models.Model)


class GiveUp(Exception):
    """Raised by a sender when the row can never be sent: it is marked failed at once, with this message."""


@dataclass(frozen=True)
class Outbox(Generic[M]):
    """How to claim, retry and close the rows of one outbox model.

    ``due_field`` holds the time of the next try. With ``lease_field`` the claim sets that column and leaves
    the due time alone; without it the claim moves the due time ahead by the lease (one column for both).
    """

    model: type[M]
    due_field: str
    error_field: str
    lease_field: str | None = None
    related: Sequence[str] = ()  # select_related of the row handed to the sender
    max_attempts: int = MAX_ATTEMPTS
    first_backoff: timedelta = FIRST_BACKOFF
    lease: timedelta = LEASE

    def _claimable(self, now: datetime) -> Q:
        due = Q(**{f"{self.due_field}__isnull": True}) | Q(**{f"{self.due_field}__lte": now})
        if self.lease_field:
            due &= Q(**{f"{self.lease_field}__isnull": True}) | Q(**{f"{self.lease_field}__lte": now})
        return Q(status=PENDING) & due

    def claim_next(self, now: datetime) -> int | None:
        """Take one due row for this worker: its lease moves ahead and its attempts count up."""
        manager = self.model._default_manager
        with transaction.atomic():
            pk = (
                manager.select_for_update(skip_locked=True)
                .filter(self._claimable(now))
                .order_by(self.due_field, "id")
                .values_list("pk", flat=True)
                .first()
            )
            if pk is None:
                return None
            # Conditional on the row still being claimable: of two workers that picked it, one wins.
            held = {self.lease_field or self.due_field: now + self.lease}
            claimed = manager.filter(self._claimable(now), pk=pk).update(attempts=F("attempts") + 1, **held)
            return pk if claimed else None

    def deliver_pending(self, send: Callable[[M], None], now: datetime | None = None) -> dict[str, int]:
        """Send every pending row that is due; returns how many were sent, will retry, failed."""
        now = now or timezone.now()
        counts = {SENT: 0, "retrying": 0, FAILED: 0}
        while (pk := self.claim_next(now)) is not None:
            counts[self.deliver(pk, send, now)] += 1
        return counts

    def deliver(self, pk: int, send: Callable[[M], None], now: datetime) -> str:
        """One try of a claimed row: sent, retrying (with backoff) or failed."""
        manager = self.model._default_manager
        row = manager.select_related(*self.related).get(pk=pk)
        mine = manager.filter(pk=pk, status=PENDING)
        released = {self.lease_field: None} if self.lease_field else {}
        try:
            send(row)
        except GiveUp as exc:
            mine.update(status=FAILED, **{self.due_field: None, self.error_field: str(exc)}, **released)
            return FAILED
        except Exception as exc:
            if isinstance(exc, urllib.error.HTTPError):
                exc.close()  # the answer's body stays unread
            error = f"{type(exc).__name__}: {exc}"[:2000]
            attempts: int = getattr(row, "attempts", 0)
            label = self.model._meta.label
            logger.warning("%s %s (try %s) failed: %s", label, pk, attempts, error)
            if attempts >= self.max_attempts:
                mine.update(status=FAILED, **{self.due_field: None, self.error_field: error}, **released)
                return FAILED
            backoff = self.first_backoff * 2 ** (attempts - 1)
            mine.update(**{self.due_field: now + backoff, self.error_field: error}, **released)
            return "retrying"
        mine.update(status=SENT, sent_at=timezone.now(), **{self.due_field: None}, **released)
        return SENT


# --- HTTP ----------------------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is a failure: a POST must not silently turn into a GET somewhere else."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


# For POSTs to webhooks and gateways: answers outside 2xx raise ``urllib.error.HTTPError`` (3xx included).
no_redirect_opener = urllib.request.build_opener(_NoRedirect)
