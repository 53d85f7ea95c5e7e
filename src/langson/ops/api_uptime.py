"""The uptime part of the operations API (mounted at /api/ops/)."""

from __future__ import annotations

from ninja import Router

router = Router()
