"""Input hygiene shared by the whole platform: no NUL characters anywhere.

PostgreSQL refuses U+0000 in text (SQLite would store it), so the same request would succeed on one database
and crash on the other; refuse it up front, as Django's forms do. URLs are checked by middleware, request
bodies by `InputSchema`, the base of every API input schema.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Schema
from pydantic import model_validator

NUL_MESSAGE = "Ký tự NUL (U+0000) không được phép / NUL characters are not allowed"


def has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(has_nul(v) for v in value)
    return False


def has_nul_in_url(request: HttpRequest) -> bool:
    """Path and query string (decoded): checked by middleware for pages and API alike."""
    return "\x00" in request.path or any(has_nul(v) for v in request.GET.lists())


class InputSchema(Schema):
    @model_validator(mode="after")
    def _no_nul(self) -> InputSchema:
        if has_nul(self.model_dump()):
            raise ValueError(NUL_MESSAGE)
        return self
