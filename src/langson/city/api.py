"""The smart city's JSON API at /api/city/: ingestion (HTTP batches), devices, rules, parking, air quality."""

from __future__ import annotations

from ninja import Router

from langson.city.api_commands import router as commands_router
from langson.city.api_devices import router as devices_router
from langson.city.api_ingest import router as ingest_router
from langson.city.api_parking import router as parking_router

router = Router(tags=["city"])
router.add_router("/", ingest_router)
router.add_router("/", commands_router)
router.add_router("/", devices_router)
router.add_router("/", parking_router)
