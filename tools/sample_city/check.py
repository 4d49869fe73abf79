"""Validation of a generated city directory (reads the files back)."""
from __future__ import annotations

import csv
import json
import os
import re

import shapely
from shapely.geometry import shape

from .geo import Metric

PROPS = {
    "district.geojson": ["code", "name_zh", "name_en"],
    "streets.geojson": ["code", "name_zh", "name_en", "district_code"],
    "communities.geojson": ["code", "name_zh", "name_en", "street_code"],
    "grids.geojson": ["code", "community_code", "area_m2"],
    "roads.geojson": ["id", "name", "class"],
    "buildings.geojson": ["id", "name", "levels"],
    "addresses.geojson": ["id", "street", "housenumber", "postcode", "name"],
    "components.geojson": ["id", "type_code", "name", "competent_dept", "owner_dept", "maintainer_dept",
                           "status", "initial_date", "change_date", "data_source", "note", "osm_id"],
}
GEOM = {
    "district.geojson": {"Polygon", "MultiPolygon"}, "streets.geojson": {"Polygon", "MultiPolygon"},
    "communities.geojson": {"Polygon", "MultiPolygon"}, "grids.geojson": {"Polygon", "MultiPolygon"},
    "roads.geojson": {"LineString"}, "buildings.geojson": {"Polygon", "MultiPolygon"},
    "addresses.geojson": {"Point"}, "components.geojson": {"Point"},
}
TOL = 1e-4  # 0.01 %


class CheckError(Exception):
    pass


def _req(cond: bool, msg: str) -> None:
    if not cond:
        raise CheckError(msg)


def _load(path: str):
    with open(path, encoding="utf-8") as fh:
        fc = json.load(fh)
    _req(fc.get("type") == "FeatureCollection", f"{path}: not a FeatureCollection")
    return fc["features"]


def _vertices(g) -> set[tuple[float, float]]:
    return {tuple(c) for c in shapely.get_coordinates(g).tolist()}


def _check_tiling(name: str, parts: list, whole, metric: Metric, report: list,
                  shared_vertices: bool = True) -> None:
    """parts tile whole: union area == whole area, sum of areas == union area,
    and (with shared_vertices) where two parts touch, each vertex of one on the
    other's boundary is a vertex of the other (identical shared boundaries).
    Generated grids have T-junctions where a block was cut or a road meets a
    community boundary, so they are checked by area only (as `urbangrid grids check` does)."""
    u = shapely.union_all(parts)
    a_whole, a_union = metric.area(whole), metric.area(u)
    a_sum = sum(metric.area(p) for p in parts)
    d1, d2 = abs(a_union - a_whole) / a_whole, abs(a_sum - a_union) / a_union
    report.append(f"{name}: {len(parts)} parts, whole {a_whole:,.2f} m², union {a_union:,.2f} m², "
                  f"sum {a_sum:,.2f} m² (|union-whole| {d1:.2e}, |sum-union| {d2:.2e})")
    _req(d1 < TOL and d2 < TOL, f"{name}: parts do not tile the whole")
    _req(metric.area(shapely.symmetric_difference(u, whole)) / a_whole < TOL, f"{name}: union differs from whole")
    if not shared_vertices:
        return
    verts = [_vertices(p) for p in parts]
    for i, p in enumerate(parts):
        for j, q in enumerate(parts):
            if i == j or not p.intersects(q):
                continue
            qb = q.boundary
            for v in verts[i]:
                if qb.distance(shapely.Point(v)) < 1e-9:
                    _req(v in verts[j], f"{name}: vertex {v} of part {i} lies on part {j} but is not its vertex")
    # outer boundary of the parts = boundary of the whole: same vertex rule
    wb, wv = whole.boundary, _vertices(whole)
    for v in set().union(*verts):
        if wb.distance(shapely.Point(v)) < 1e-9:
            _req(v in wv, f"{name}: boundary vertex {v} missing from the whole")


def check_city(city_dir: str, metric_srid: int, geo_srid: int = 4326) -> list[str]:
    report: list[str] = []
    metric = Metric(geo_srid, metric_srid)
    with open(os.path.join(city_dir, "city.json"), encoding="utf-8") as fh:
        city = json.load(fh)
    region = city["region_code"]
    feats = {}
    for name in PROPS:
        path = os.path.join(city_dir, name)
        if not os.path.exists(path):
            _req(name == "grids.geojson", f"missing {name}")
            continue
        fs = _load(path)
        feats[name] = fs
        for f in fs:
            _req(list(f["properties"]) == PROPS[name], f"{name}: property order {list(f['properties'])}")
            _req(f["geometry"]["type"] in GEOM[name], f"{name}: geometry {f['geometry']['type']}")
            g = shape(f["geometry"])
            _req(g.is_valid and not g.is_empty, f"{name}: invalid geometry in {f['properties']}")
        ids = [f["properties"].get("id", f["properties"].get("code")) for f in fs]
        _req(len(ids) == len(set(ids)), f"{name}: duplicate ids")
        report.append(f"{name}: {len(fs)} features")

    with open(os.path.join(city_dir, "departments.csv"), encoding="utf-8") as fh:
        dept_codes = {row["code"] for row in csv.DictReader(fh)}

    # codes
    (district,) = feats["district.geojson"]
    _req(district["properties"]["code"] == region, "district code")
    streets = feats["streets.geojson"]
    comms = feats["communities.geojson"]
    for s in streets:
        c = s["properties"]["code"]
        _req(re.fullmatch(r"\d{9}", c) and c.startswith(region), f"street code {c}")
        _req(s["properties"]["district_code"] == region, f"street {c} district_code")
    street_codes = [s["properties"]["code"] for s in streets]
    for s in street_codes:
        seqs = sorted(c["properties"]["code"][9:] for c in comms if c["properties"]["street_code"] == s)
        _req(seqs == [f"{i:03d}" for i in range(1, len(seqs) + 1)], f"community sequences of {s}: {seqs}")
    for c in comms:
        code = c["properties"]["code"]
        _req(re.fullmatch(r"\d{12}", code) and code[:9] == c["properties"]["street_code"], f"community {code}")
        _req(c["properties"]["street_code"] in street_codes, f"community {code}: unknown street")
    for f in feats["components.geojson"]:
        p = f["properties"]
        _req(re.fullmatch(r"\d{17}", p["id"]) and p["id"].startswith(region + p["type_code"]), f"component {p['id']}")
        for k in ("competent_dept", "owner_dept", "maintainer_dept"):
            _req(p[k] in dept_codes, f"component {p['id']}: unknown department {p[k]}")
        _req(re.fullmatch(r"\d{4}-\d{2}-\d{2}", p["initial_date"]), f"component {p['id']} date")

    # topology
    dg = shape(district["geometry"])
    cg = {c["properties"]["code"]: shape(c["geometry"]) for c in comms}
    sg = {s["properties"]["code"]: shape(s["geometry"]) for s in streets}
    _check_tiling("communities/district", list(cg.values()), dg, metric, report)
    _check_tiling("streets/district", list(sg.values()), dg, metric, report)
    for s, g in sg.items():
        parts = [cg[c["properties"]["code"]] for c in comms if c["properties"]["street_code"] == s]
        _check_tiling(f"communities/{s}", parts, g, metric, report)
    if "grids.geojson" in feats:
        grids = feats["grids.geojson"]
        for code, g in cg.items():
            parts = [shape(x["geometry"]) for x in grids if x["properties"]["community_code"] == code]
            _check_tiling(f"grids/{code}", parts, g, metric, report, shared_vertices=False)
        areas = [metric.area(shape(x["geometry"])) for x in grids]
        report.append(f"grid areas in EPSG:{metric_srid}: min {min(areas):.4f} m², max {max(areas):.4f} m²")
        for x in grids:
            _req(x["properties"]["code"][:12] == x["properties"]["community_code"], "grid code prefix")
    return report
