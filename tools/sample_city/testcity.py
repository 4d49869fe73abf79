"""Synthetic CGCS2000 test city -> gis-data/testcity/.

Six unit grids, exact 100 m squares in EPSG:4544 (CGCS2000 / 3-degree
Gauss-Krüger CM 105°E), 3 columns x 2 rows near 104.39°E 31.13°N; the north
row is community 001, the south row community 002.  Everything else is placed
relative to the grid in metres and converted with pyproj (EPSG:4544 -> 4490,
always_xy).
"""
from __future__ import annotations

import math
import os

from pyproj import Transformer
from shapely.geometry import LineString, Point, Polygon

from . import admin, components, departments, readme
from .geo import bounds_of, feature, write_feature_collection, write_json, _r

REGION = "990201"          # placeholder, NOT a real GB/T 2260 code
STREET = REGION + "001"
COMMUNITIES = (  # (code, name_zh, name_en) - row 0 (north), row 1 (south)
    (STREET + "001", "北苑社区", "Beiyuan Community"),
    (STREET + "002", "南苑社区", "Nanyuan Community"),
)
CELL = 100.0               # metres
COLS, ROWS = 3, 2
TARGET = (104.39, 31.13)   # lon, lat near which the grid is placed
GEO_SRID, METRIC_SRID = 4490, 4544
DATE = "2024-01-01"


class _Xf:
    def __init__(self):
        self.inv = Transformer.from_crs(METRIC_SRID, GEO_SRID, always_xy=True)
        self.fwd = Transformer.from_crs(GEO_SRID, METRIC_SRID, always_xy=True)

    def ll(self, x: float, y: float) -> tuple[float, float]:
        lon, lat = self.inv.transform(x, y)
        return _r(lon), _r(lat)

    def area(self, ring_ll) -> float:
        xs, ys = self.fwd.transform([p[0] for p in ring_ll], [p[1] for p in ring_ll])
        return Polygon(list(zip(xs, ys))).area


def _choose_origin(xf: _Xf) -> tuple[float, float]:
    """NW grid corner on a 100 m lattice near TARGET.  Among the lattice points
    within +-300 m, take the one whose cells, after rounding the corners to
    1e-7 degrees, measure closest to 10,000 m² (deterministic)."""
    x, y = xf.fwd.transform(*TARGET)
    bx, by = math.floor(x / CELL) * CELL, math.ceil(y / CELL) * CELL
    best = None
    for dx in range(-3, 4):
        for dy in range(-3, 4):
            ox, oy = bx + dx * CELL, by + dy * CELL
            nodes = {(c, r): xf.ll(ox + c * CELL, oy - r * CELL)
                     for c in range(COLS + 1) for r in range(ROWS + 1)}
            err = max(abs(xf.area(_cell_ring(nodes, c, r)) - CELL * CELL)
                      for c in range(COLS) for r in range(ROWS))
            key = (round(err, 9), abs(dx) + abs(dy), dx, dy)
            if best is None or key < best[0]:
                best = (key, (ox, oy))
    return best[1]


def _cell_ring(nodes, c, r):
    # NW, SW, SE, NE, NW (counter-clockwise)
    return [nodes[(c, r)], nodes[(c, r + 1)], nodes[(c + 1, r + 1)], nodes[(c + 1, r)], nodes[(c, r)]]


def build(out_dir: str) -> dict:
    os.makedirs(out_dir, exist_ok=True)
    xf = _Xf()
    ox, oy = _choose_origin(xf)
    nodes = {(c, r): xf.ll(ox + c * CELL, oy - r * CELL)
             for c in range(COLS + 1) for r in range(ROWS + 1)}

    def ll(mx: float, my: float) -> tuple[float, float]:
        """metres east / south of the NW corner -> lon/lat."""
        return xf.ll(ox + mx, oy - my)

    # ---- grids, communities, street, district
    grids, grid_feats = [], []
    for r in range(ROWS):
        ccode = COMMUNITIES[r][0]
        for c in range(COLS):
            ring = _cell_ring(nodes, c, r)
            g = Polygon(ring)
            grids.append((ccode, g))
            grid_feats.append(feature({"code": f"{ccode}{c + 1:03d}", "community_code": ccode,
                                       "area_m2": CELL * CELL}, g))
    comm_geoms = {code: admin.union(g for cc, g in grids if cc == code) for code, _, _ in COMMUNITIES}
    street_geom = admin.union(comm_geoms.values())
    district_geom = admin.union([street_geom])

    district = [feature({"code": REGION, "name_zh": "测试区", "name_en": "Test District"}, district_geom)]
    streets = [feature({"code": STREET, "name_zh": "人民街道", "name_en": "Renmin Street",
                        "district_code": REGION}, street_geom)]
    communities = [feature({"code": code, "name_zh": zh, "name_en": en, "street_code": STREET},
                           comm_geoms[code]) for code, zh, en in COMMUNITIES]

    # ---- roads along grid edges (vertices = grid corners)
    roads = [
        feature({"id": 1, "name": "人民路", "class": "primary"},
                LineString([nodes[(c, 1)] for c in range(COLS + 1)])),
        feature({"id": 2, "name": "建设路", "class": "secondary"},
                LineString([nodes[(1, r)] for r in range(ROWS + 1)])),
        feature({"id": 3, "name": "解放路", "class": "secondary"},
                LineString([nodes[(2, r)] for r in range(ROWS + 1)])),
        feature({"id": 4, "name": "文化巷", "class": "residential"},
                LineString([nodes[(0, 0)], nodes[(1, 0)]])),
    ]

    # ---- buildings (rectangles inside cells)
    def rect(x0, y0, x1, y1):
        return Polygon([ll(x0, y0), ll(x0, y1), ll(x1, y1), ll(x1, y0), ll(x0, y0)])

    buildings = [
        feature({"id": "w1", "name": "北苑综合楼", "levels": 6}, rect(20, 20, 80, 75)),
        feature({"id": "w2", "name": "人民大厦", "levels": 18}, rect(225, 120, 275, 180)),
    ]

    # ---- addresses on 人民路 (odd numbers north side, even south side)
    addresses = []
    for i, (mx, my) in enumerate(((50, 85), (50, 115), (150, 85), (150, 115), (250, 85), (250, 115)), start=1):
        addresses.append(feature({"id": f"n{i}", "street": "人民路", "housenumber": str(i),
                                  "postcode": "618000", "name": None}, Point(ll(mx, my))))

    # ---- components
    placed = (  # (type code, metres east, metres south)
        ("01001", 30, 98), ("01001", 170, 102), ("01002", 120, 99), ("01003", 260, 101),
        ("01023", 98, 40), ("01037", 25, 96), ("01037", 125, 104), ("01037", 225, 96),
        ("03005", 60, 104), ("04002", 190, 96),
    )
    seqs: dict[str, int] = {}
    comps = []
    for code, mx, my in placed:
        rule = components.RULE_BY_CODE[code]
        seqs[code] = seqs.get(code, 0) + 1
        depts = tuple(departments.street_office_code(STREET) if d == departments.STREET_OFFICE else d
                      for d in rule.depts)
        comps.append(feature(components.component_props(
            REGION, rule, seqs[code], depts, DATE, "synthetic test component", None), Point(ll(mx, my))))
    comps.sort(key=lambda f: f["properties"]["id"])

    depts = list(departments.CITY_DEPARTMENTS) + departments.street_offices([(STREET, "人民街道", "Renmin Street")])

    layers = {
        "district.geojson": district,
        "streets.geojson": streets,
        "communities.geojson": communities,
        "grids.geojson": grid_feats,
        "roads.geojson": roads,
        "buildings.geojson": buildings,
        "addresses.geojson": addresses,
        "components.geojson": comps,
    }
    for name, feats in layers.items():
        write_feature_collection(os.path.join(out_dir, name), feats)
    departments.write_csv(os.path.join(out_dir, "departments.csv"), depts)
    extent = bounds_of([district_geom])
    write_json(os.path.join(out_dir, "city.json"), {
        "id": "testcity",
        "name_zh": "测试市(合成数据)",
        "name_en": "Test City (synthetic)",
        "region_code": REGION,
        "region_code_placeholder": True,
        "storage_srid": GEO_SRID,
        "metric_srid": METRIC_SRID,
        "time_zone": "Asia/Shanghai",
        "locale": "zh-CN",
        "grid_target_area_m2": 10000,
        "extent": extent,
        "attribution": "Synthetic test data (UrbanGrid), no third-party sources",
        # Collections readable only with a department key (features API); others are public.
        "feature_access": {"buildings": "key"},
    })
    cell_areas = [xf.area(list(g.exterior.coords)) for _, g in grids]
    info = {"counts": {n: len(f) for n, f in layers.items()}, "origin": (ox, oy),
            "cell_area_min": min(cell_areas), "cell_area_max": max(cell_areas)}
    readme.write_testcity(out_dir, info)
    return info
