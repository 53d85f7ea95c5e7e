"""The smart city's JSON API at /api/city/: ingestion (HTTP batches), devices, rules, parking, air quality."""

from __future__ import annotations

from ninja import Router

from langson.city.api_devices import router as devices_router
from langson.city.api_ingest import router as ingest_router

router = Router(tags=["city"])
router.add_router("/", ingest_router)
router.add_router("/", devices_router)
