"""API authentication: bearer tokens for machine clients; the browser session (with CSRF) for pages."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer
from ninja.security import SessionAuth as SessionAuth  # re-exported: Django's session, CSRF on unsafe methods

from langson.core.models import ApiToken, User

TOKEN_PREFIX = "ls_"  # noqa: S105 - a public marker, not a secret


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key(prefix: str) -> tuple[str, str]:
    """A fresh secret key with its SHA-256; store only the hash and show the key once."""
    key = prefix + secrets.token_urlsafe(32)
    return key, hash_key(key)


def issue_token(user: User, name: str, expires_at: datetime | None = None) -> tuple[ApiToken, str]:
    key, digest = new_key(TOKEN_PREFIX)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=key[:10], key_hash=digest, expires_at=expires_at
    )
    return token, key


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        if not token.startswith(TOKEN_PREFIX):
            return None
        found = (
            ApiToken.objects.select_related("user", "user__org_unit").filter(key_hash=hash_key(token)).first()
        )
        if found is None or not found.is_valid or not found.user.is_active:
            return None
        if found.last_used_at is None or (timezone.now() - found.last_used_at).total_seconds() > 60:
            found.last_used_at = timezone.now()
            found.save(update_fields=["last_used_at"])
        request.user = found.user
        request.audit_user = found.user  # type: ignore[attr-defined]
        return found.user
