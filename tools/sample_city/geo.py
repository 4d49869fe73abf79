"""Geometry helpers: precision, metric areas, deterministic GeoJSON output."""
from __future__ import annotations

import json
import math
from typing import Any, Iterable

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import GeometryCollection, MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

GRID = 1e-7  # 7 decimals for lon/lat (OSM's own precision, ~1 cm)


def snap(geom: BaseGeometry) -> BaseGeometry:
    """Snap-round to the 1e-7 degree grid (keeps the result valid)."""
    return shapely.set_precision(geom, GRID)


def polygonal(geom: BaseGeometry) -> BaseGeometry | None:
    """Keep only the polygonal part of a geometry: Polygon, MultiPolygon or None."""
    if geom is None or geom.is_empty:
        return None
    if isinstance(geom, (Polygon, MultiPolygon)):
        return geom
    if isinstance(geom, GeometryCollection):
        parts: list[Polygon] = []
        for g in geom.geoms:
            p = polygonal(g)
            if p is None:
                continue
            parts.extend(p.geoms if isinstance(p, MultiPolygon) else [p])
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else shapely.union_all(parts, grid_size=GRID)
    return None


def clean_polygon(geom: BaseGeometry) -> BaseGeometry | None:
    """make_valid + snap to the output grid + drop non-polygonal leftovers."""
    g = polygonal(shapely.make_valid(geom))
    if g is None:
        return None
    g = polygonal(snap(g))
    if g is None or g.area == 0:
        return None
    return g


class Metric:
    """Transform lon/lat geometries into a metric CRS (for areas/lengths)."""

    def __init__(self, src_epsg: int, dst_epsg: int):
        self.fwd = Transformer.from_crs(src_epsg, dst_epsg, always_xy=True)
        self.inv = Transformer.from_crs(dst_epsg, src_epsg, always_xy=True)

    def to_metric(self, geom: BaseGeometry) -> BaseGeometry:
        return shapely.transform(
            geom, lambda a: np.column_stack(self.fwd.transform(a[:, 0], a[:, 1])))

    def area(self, geom: BaseGeometry) -> float:
        return self.to_metric(geom).area

    def length(self, geom: BaseGeometry) -> float:
        return self.to_metric(geom).length

    def lonlat(self, x: float, y: float) -> tuple[float, float]:
        lon, lat = self.inv.transform(x, y)
        return lon, lat


# --------------------------------------------------------------------------
# GeoJSON output (RFC 7946): lon/lat, 7 decimals, CCW exteriors, one feature
# per line, properties in the order given by the caller.

def _r(v: float) -> float:
    r = round(v, 7)
    return 0.0 if r == 0 else r


def _ring(coords: Iterable) -> list[list[float]]:
    return [[_r(x), _r(y)] for x, y, *_ in coords]


def geometry_json(geom: BaseGeometry) -> dict[str, Any]:
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        geom = shapely.orient_polygons(geom, exterior_cw=False)
    t = geom.geom_type
    if t == "Point":
        return {"type": "Point", "coordinates": [_r(geom.x), _r(geom.y)]}
    if t == "LineString":
        return {"type": "LineString", "coordinates": _ring(geom.coords)}
    if t == "Polygon":
        return {"type": "Polygon",
                "coordinates": [_ring(geom.exterior.coords)]
                + [_ring(i.coords) for i in geom.interiors]}
    if t == "MultiPolygon":
        return {"type": "MultiPolygon",
                "coordinates": [[_ring(p.exterior.coords)] + [_ring(i.coords) for i in p.interiors]
                                for p in geom.geoms]}
    raise ValueError(f"unsupported geometry type {t}")


def feature(props: dict[str, Any], geom: BaseGeometry) -> dict[str, Any]:
    return {"type": "Feature", "properties": props, "geometry": geometry_json(geom)}


def write_feature_collection(path: str, features: list[dict[str, Any]]) -> None:
    """One FeatureCollection, one feature per line (diff-friendly, deterministic)."""
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
             for f in features]
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write('{"type":"FeatureCollection","features":[\n')
        fh.write(",\n".join(lines))
        fh.write("\n]}\n")


def write_json(path: str, obj: Any) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        json.dump(obj, fh, ensure_ascii=False, indent=2, allow_nan=False)
        fh.write("\n")


def bounds_of(geoms: Iterable[BaseGeometry]) -> list[float]:
    b = [math.inf, math.inf, -math.inf, -math.inf]
    for g in geoms:
        x0, y0, x1, y1 = g.bounds
        b = [min(b[0], x0), min(b[1], y0), max(b[2], x1), max(b[3], y1)]
    return [_r(v) for v in b]
