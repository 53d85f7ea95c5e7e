"""Plane geometry on lon/lat polygons, enough for map anchors (centroids) and point-in-polygon."""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
Ring = Sequence[Sequence[float]]


def ring_centroid(ring: Ring) -> tuple[float, float, float]:
    """Area-weighted centroid (lon, lat) and signed area of a closed ring (shoelace formula).

    At Lạng Sơn's size (about 150 km) treating degrees as planar moves a centroid by metres only.
    """
    area2 = cx = cy = 0.0
    for (x0, y0), (x1, y1) in itertools.pairwise(ring):
        cross = x0 * y1 - x1 * y0
        area2 += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if area2 == 0:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return sum(xs) / len(xs), sum(ys) / len(ys), 0.0
    return cx / (3 * area2), cy / (3 * area2), area2 / 2


def polygon_centroid(rings: Sequence[Ring]) -> tuple[float, float]:
    """Centroid of a polygon with holes: exterior minus holes, each weighted by its area."""
    total = sx = sy = 0.0
    for index, ring in enumerate(rings):
        x, y, area = ring_centroid(ring)
        weight = abs(area) if index == 0 else -abs(area)
        total += weight
        sx += x * weight
        sy += y * weight
    return sx / total, sy / total


def point_in_ring(lon: float, lat: float, ring: Ring) -> bool:
    inside = False
    for (x0, y0), (x1, y1) in itertools.pairwise(ring):
        if (y0 > lat) != (y1 > lat) and lon < x0 + (lat - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def point_in_polygon(lon: float, lat: float, rings: Sequence[Ring]) -> bool:
    return point_in_ring(lon, lat, rings[0]) and not any(point_in_ring(lon, lat, hole) for hole in rings[1:])


@lru_cache(maxsize=1)
def commune_features() -> list[dict[str, Any]]:
    with (DATA_DIR / "langson-communes.geojson").open(encoding="utf-8") as handle:
        return list(json.load(handle)["features"])


def commune_at(lon: float, lat: float) -> int | None:
    """GSO code of the commune or ward containing the point, if any."""
    for feature in commune_features():
        if point_in_polygon(lon, lat, feature["geometry"]["coordinates"]):
            return int(feature["properties"]["code"])
    return None
