"""What the backup part of ops publishes to the IOC (see indicators.py)."""

from __future__ import annotations

from langson.core.contract import IndicatorSpec

INDICATORS: list[IndicatorSpec] = []
