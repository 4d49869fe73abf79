"""Helsinki centre sample city (real OSM data, ODbL) -> gis-data/helsinki/."""
from __future__ import annotations

import hashlib
import os
from collections import Counter, defaultdict

import shapely
from shapely.geometry import LineString, Point, Polygon, box
from shapely.ops import linemerge

from . import admin, components, departments, readme
from .geo import (Metric, bounds_of, clean_polygon, feature, snap, write_feature_collection,
                  write_json)
from .osm import OsmData, Relation, Way, read_opl

REGION = "990101"          # placeholder, NOT a real GB/T 2260 county code
DISTRICT_NAME_ZH = "赫尔辛基中心示范区"
DISTRICT_NAME_EN = "Helsinki Centre (demo district)"
# The extract's own bounding box (PBF header) = the district.
BBOX = (24.9351762, 60.164155, 24.9534145, 60.179113)
METRIC_SRID = 3879         # ETRS89 / GK25FIN, the Helsinki city CRS
DEFAULT_DATE = "2019-04-21"  # the extract's last edit, when an element has no timestamp

STREETS = (  # (sequence, name_zh, name_en)
    ("001", "港湾街道", "Satama (Harbour)"),
    ("002", "中心街道", "Keskusta (City Centre)"),
    ("003", "西城街道", "West Town (Kamppi-Töölönlahti)"),
)

# Community seeds: real neighbourhood names, a point inside each, the street it
# belongs to.  Order within a street = community sequence 001, 002, ...
SEEDS = (
    admin.Seed(1, "Kaartinkaupunki", "卡尔廷考蓬基社区", 24.9485, 60.1655),
    admin.Seed(1, "Kruununhaka", "克鲁努哈卡社区", 24.9520, 60.1715),
    admin.Seed(1, "Siltasaari", "锡尔塔萨里社区", 24.9510, 60.1778),
    admin.Seed(2, "Kluuvi", "克卢维社区", 24.9460, 60.1695),
    admin.Seed(2, "Rautatientori", "火车站广场社区", 24.9425, 60.1712),
    admin.Seed(2, "Kaisaniemi", "凯萨涅米社区", 24.9470, 60.1745),
    admin.Seed(3, "Kamppi", "坎皮社区", 24.9380, 60.1690),
    admin.Seed(3, "Punavuori", "红山社区", 24.9390, 60.1650),
    admin.Seed(3, "Töölönlahti", "图洛湾社区", 24.9390, 60.1760),
)

# Closed highway ways of these kinds are areas by OSM convention (like GDAL's
# osmconf: closed public_transport=platform ways are polygons).
IMPLIED_AREA_HIGHWAYS = {"platform", "rest_area", "services"}


def sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# ---------------------------------------------------------------- geometry

def way_polygon(osm: OsmData, way: Way):
    c = osm.way_coords(way)
    if len(c) < 3:
        return None
    return clean_polygon(Polygon(c))  # rings of clipped ways are closed straight


def relation_polygon(osm: OsmData, rel: Relation):
    outer, inner = [], []
    for m in rel.members:
        if m.type != "w" or m.ref not in osm.ways:
            continue
        c = osm.way_coords(osm.ways[m.ref])
        if len(c) >= 2:
            (inner if m.role == "inner" else outer).append(LineString(c))

    def rings(lines):
        if not lines:
            return []
        merged = linemerge(lines)
        out = []
        for ln in shapely.get_parts(merged):
            c = list(ln.coords)
            if len(set(c)) >= 3:
                p = clean_polygon(Polygon(c))
                if p is not None:
                    out.append(p)
        return out

    outers = rings(outer)
    if not outers:
        return None
    g = shapely.union_all(outers, grid_size=1e-7)
    inners = rings(inner)
    if inners:
        g = shapely.difference(g, shapely.union_all(inners, grid_size=1e-7), grid_size=1e-7)
    return clean_polygon(g)


def _is_line_highway(way: Way) -> bool:
    t = way.tags
    if "highway" not in t or t.get("area") == "yes":
        return False
    closed = len(way.refs) > 2 and way.refs[0] == way.refs[-1]
    if closed and t["highway"] in IMPLIED_AREA_HIGHWAYS and t.get("area") != "no":
        return False
    return True


def _levels(v: str | None):
    if v is None:
        return None
    v = v.strip()
    return int(v) if v.isdigit() else None


# ---------------------------------------------------------------- layers

def build_admin(osm: OsmData, metric: Metric):
    district_box = box(*BBOX)
    lines = admin.boundary_linework(osm, district_box, metric)
    faces = admin.faces_from_linework(lines, district_box)
    assign = admin.assign_faces(faces, list(SEEDS), metric)

    street_codes = {i + 1: REGION + s[0] for i, s in enumerate(STREETS)}
    communities: list[admin.Community] = []
    seq_in_street: Counter = Counter()
    for k, seed in enumerate(SEEDS):
        members = [faces[i] for i, a in enumerate(assign) if a == k]
        if not members:
            raise SystemExit(f"community {seed.name_en} received no faces")
        g = admin.union(members)
        if g.geom_type != "Polygon":
            raise SystemExit(f"community {seed.name_en} is {g.geom_type}, expected one Polygon")
        seq_in_street[seed.street] += 1
        sc = street_codes[seed.street]
        communities.append(admin.Community(f"{sc}{seq_in_street[seed.street]:03d}",
                                           seed.name_zh, seed.name_en, sc, g, seed))
    communities.sort(key=lambda c: c.code)

    streets = []
    for i, (seq, zh, en) in enumerate(STREETS):
        code = REGION + seq
        g = admin.union(c.geom for c in communities if c.street_code == code)
        streets.append((code, zh, en, g))
    district = admin.union(s[3] for s in streets)
    stats = {"faces": len(faces), "boundary_lines": len(lines)}
    return district, streets, communities, stats


def build_roads(osm: OsmData):
    feats = []
    for wid in sorted(osm.ways):
        w = osm.ways[wid]
        if not _is_line_highway(w):
            continue
        c = osm.way_coords(w)
        if len(c) < 2:
            continue
        feats.append(feature({"id": w.id, "name": w.tags.get("name"), "class": w.tags["highway"]},
                             LineString(c)))
    return feats


def build_buildings(osm: OsmData):
    feats, dropped = [], []
    for kind, objs in (("w", osm.ways), ("r", osm.relations)):
        for oid in sorted(objs):
            o = objs[oid]
            if "building" not in o.tags:
                continue
            if kind == "r" and o.tags.get("type") != "multipolygon":
                continue
            g = way_polygon(osm, o) if kind == "w" else relation_polygon(osm, o)
            if g is None:
                dropped.append(f"{kind}{oid}")
                continue
            feats.append(feature({"id": f"{kind}{oid}", "name": o.tags.get("name"),
                                  "levels": _levels(o.tags.get("building:levels"))}, g))
    return feats, dropped


def build_addresses(osm: OsmData):
    feats = []
    no_street = 0
    for kind, objs in (("n", osm.nodes), ("w", osm.ways), ("r", osm.relations)):
        for oid in sorted(objs):
            o = objs[oid]
            t = o.tags
            if "addr:housenumber" not in t:
                continue
            if not t.get("addr:street"):
                no_street += 1
                continue
            if kind == "n":
                if o.lon is None:
                    continue
                pt = Point(o.lon, o.lat)
            else:
                if kind == "w":
                    closed = len(o.refs) > 3 and o.refs[0] == o.refs[-1]
                    g = way_polygon(osm, o) if closed else None
                    if g is None:
                        c = osm.way_coords(o)
                        g = LineString(c) if len(c) >= 2 else (Point(c[0]) if c else None)
                else:
                    g = relation_polygon(osm, o) if t.get("type") == "multipolygon" else None
                if g is None:
                    continue
                pt = snap(g.representative_point())
            feats.append(feature({"id": f"{kind}{oid}", "street": t["addr:street"],
                                  "housenumber": t["addr:housenumber"],
                                  "postcode": t.get("addr:postcode"), "name": t.get("name")}, pt))
    return feats, no_street


def build_components(osm: OsmData, streets):
    street_geoms = [(code, g) for code, _, _, g in streets]
    matched: dict[str, list[int]] = defaultdict(list)
    for nid in sorted(osm.nodes):
        n = osm.nodes[nid]
        if not n.tags or n.lon is None:
            continue
        for rule in components.matching_rules(n.tags):
            matched[rule.code].append(nid)

    def street_of(pt: Point) -> str:
        for code, g in street_geoms:
            if g.covers(pt):
                return code
        # outside the district (cannot happen for this extract): nearest street
        return min(street_geoms, key=lambda s: s[1].distance(pt))[0]

    feats = []
    for code in sorted(matched):
        rule = components.RULE_BY_CODE[code]
        for seq, nid in enumerate(matched[code], start=1):
            n = osm.nodes[nid]
            pt = Point(n.lon, n.lat)
            depts = tuple(departments.street_office_code(street_of(pt)) if d == departments.STREET_OFFICE
                          else d for d in rule.depts)
            date = n.timestamp[:10] if n.timestamp else DEFAULT_DATE
            note = f"OSM node {nid}: {rule.matched_tag(n.tags)}"
            feats.append(feature(components.component_props(REGION, rule, seq, depts, date, note, nid), pt))
    return feats


# ---------------------------------------------------------------- main

def build(pbf: str, out_dir: str) -> dict:
    os.makedirs(out_dir, exist_ok=True)
    osm = read_opl(pbf)
    metric = Metric(4326, METRIC_SRID)

    district, streets, communities, admin_stats = build_admin(osm, metric)

    district_feats = [feature({"code": REGION, "name_zh": DISTRICT_NAME_ZH,
                               "name_en": DISTRICT_NAME_EN}, district)]
    street_feats = [feature({"code": code, "name_zh": zh, "name_en": en, "district_code": REGION}, g)
                    for code, zh, en, g in streets]
    community_feats = [feature({"code": c.code, "name_zh": c.name_zh, "name_en": c.name_en,
                                "street_code": c.street_code}, c.geom) for c in communities]
    roads = build_roads(osm)
    buildings, dropped_buildings = build_buildings(osm)
    addresses, no_street = build_addresses(osm)
    comps = build_components(osm, streets)

    depts = list(departments.CITY_DEPARTMENTS) + departments.street_offices(
        [(code, zh, en) for code, zh, en, _ in streets])

    layers = {
        "district.geojson": district_feats,
        "streets.geojson": street_feats,
        "communities.geojson": community_feats,
        "roads.geojson": roads,
        "buildings.geojson": buildings,
        "addresses.geojson": addresses,
        "components.geojson": comps,
    }
    for name, feats in layers.items():
        write_feature_collection(os.path.join(out_dir, name), feats)
    departments.write_csv(os.path.join(out_dir, "departments.csv"), depts)

    extent = bounds_of([district])
    write_json(os.path.join(out_dir, "city.json"), {
        "id": "helsinki",
        "name_zh": "赫尔辛基市中心(示范)",
        "name_en": "Helsinki centre (demo)",
        "region_code": REGION,
        "region_code_placeholder": True,
        "storage_srid": 4326,
        "metric_srid": METRIC_SRID,
        "time_zone": "Europe/Helsinki",
        "locale": "zh-CN",
        "grid_target_area_m2": 10000,
        "extent": extent,
        "attribution": "© OpenStreetMap contributors, ODbL 1.0",
        # Collections readable only with a department key (features API); others are public.
        "feature_access": {},
    })

    info = {
        "pbf_name": os.path.basename(pbf),
        "pbf_size": os.path.getsize(pbf),
        "pbf_sha256": sha256(pbf),
        "counts": {name: len(f) for name, f in layers.items()},
        "departments": depts,
        "component_counts": Counter(f["properties"]["type_code"] for f in comps),
        "component_dept_rows": _dept_rows(comps),
        "communities": [(c.code, c.name_zh, c.name_en, c.street_code, metric.area(c.geom))
                        for c in communities],
        "streets": [(code, zh, en, metric.area(g)) for code, zh, en, g in streets],
        "district_area": metric.area(district),
        "extent": extent,
        "dropped_buildings": dropped_buildings,
        "addresses_without_street": no_street,
        "admin_stats": admin_stats,
        "seeds": SEEDS,
        "road_classes": admin.BOUNDARY_ROAD_CLASSES,
    }
    readme.write_helsinki(out_dir, info)
    readme.write_odbl(out_dir)
    return info


def _dept_rows(comps):
    rows: dict[str, Counter] = defaultdict(Counter)
    for f in comps:
        p = f["properties"]
        rows[p["type_code"]][(p["competent_dept"], p["owner_dept"], p["maintainer_dept"])] += 1
    return rows
