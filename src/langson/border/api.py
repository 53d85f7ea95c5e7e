"""The border gate's JSON API at /api/border/: documents and extraction, truck clearance events."""

from __future__ import annotations

from ninja import Router

from langson.border.api_clearance import router as clearance_router
from langson.border.api_documents import router as documents_router

router = Router(tags=["border"])
router.add_router("/", documents_router)
router.add_router("/", clearance_router)
