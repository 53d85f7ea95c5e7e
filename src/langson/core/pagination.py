"""The API's one pagination: bounded limit/offset, so no request asks the database for absurd ranges."""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 1000
MAX_OFFSET = 10_000_000  # far beyond any table here; SQLite overflows past 2**63


class Pages(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT, description="số bản ghi mỗi trang / page size (≤ 1000)")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="bỏ qua / skip")

    def __init__(self, **kwargs: object) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
