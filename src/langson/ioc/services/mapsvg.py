"""The communes map as server-rendered SVG from the project's own GeoJSON: no tiles, no network, no JS."""

from __future__ import annotations

import math
from functools import lru_cache

from langson.core.services import geo

WIDTH = 600.0


@lru_cache(maxsize=1)
def commune_paths() -> tuple[tuple[tuple[str, str, str], ...], float]:
    """((code, name, svg path), …) and the map height, projected equirectangularly at Lạng Sơn's latitude."""
    features = geo.commune_features()
    lons = [p[0] for f in features for p in f["geometry"]["coordinates"][0]]
    lats = [p[1] for f in features for p in f["geometry"]["coordinates"][0]]
    kx = math.cos(
        math.radians((min(lats) + max(lats)) / 2)
    )  # shrink longitudes so shapes keep their proportions
    scale = WIDTH / ((max(lons) - min(lons)) * kx)
    west, north = min(lons), max(lats)
    height = (north - min(lats)) * scale

    def ring_path(ring: list[list[float]]) -> str:
        # Drop vertices closer than a pixel to the last kept one: the page stays small, the shape the same.
        kept: list[tuple[float, float]] = []
        for lon, lat in ring:
            x, y = (lon - west) * kx * scale, (north - lat) * scale
            if not kept or abs(x - kept[-1][0]) + abs(y - kept[-1][1]) >= 1.0:
                kept.append((x, y))
        return "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in kept) + " Z"

    paths = []
    for feature in features:
        d = " ".join(ring_path(ring) for ring in feature["geometry"]["coordinates"])
        props = feature["properties"]
        paths.append((str(props["code"]), str(props["name"]), d))
    return tuple(paths), height


@lru_cache(maxsize=1)
def _frame() -> tuple[float, float, float, float]:
    features = geo.commune_features()
    lons = [p[0] for f in features for p in f["geometry"]["coordinates"][0]]
    lats = [p[1] for f in features for p in f["geometry"]["coordinates"][0]]
    kx = math.cos(math.radians((min(lats) + max(lats)) / 2))
    return min(lons), max(lats), kx, WIDTH / ((max(lons) - min(lons)) * kx)


def project_point(lon: float, lat: float) -> tuple[float, float]:
    """(x, y) of a point on the map of ``commune_paths`` (the same projection, the same SVG units)."""
    west, north, kx, scale = _frame()
    return (lon - west) * kx * scale, (north - lat) * scale


PALETTE = ["#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c"]  # light to dark: more of the indicator


def colour_for(value: float | None, low: float, high: float) -> str:
    if value is None:
        return "#e0e0e0"
    if high <= low:
        return PALETTE[2]
    index = min(len(PALETTE) - 1, int((value - low) / (high - low) * len(PALETTE)))
    return PALETTE[index]
