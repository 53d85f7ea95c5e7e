"""The operations JSON API at /api/ops/: backups and drills (api_backup), uptime and status (api_uptime)."""

from __future__ import annotations

from ninja import Router

from langson.ops.api_backup import router as backup_router
from langson.ops.api_uptime import router as uptime_router

router = Router(tags=["ops"])
router.add_router("/", backup_router)
router.add_router("/", uptime_router)
