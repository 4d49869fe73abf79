#!/usr/bin/env python3
"""Real third-party clients against the features API of a running UrbanGrid server (loopback).

GDAL's OAPIF driver (ogrinfo, ogr2ogr) and OWSLib read every collection and must agree with the
database: counts, a bbox, an attribute filter, CQL2 filters, single items and paging. The
database is read directly with SpatiaLite for the expected numbers.

Usage: features_clients.py BASE_URL DB_PATH KEY_ALL
"""
import json
import os
import sqlite3
import subprocess
import sys
import tempfile

from owslib.ogcapi.features import Features

BASE, DB, KEY = sys.argv[1], sys.argv[2], sys.argv[3]
AUTH = {"Authorization": f"Bearer {KEY}"}
TABLES = {"grids": "grid", "communities": "community", "streets": "street", "districts": "district",
          "components": "component", "addresses": "address", "roads": "road", "buildings": "building",
          "cases": "case_record"}
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def db():
    con = sqlite3.connect(f"file:{DB}?mode=ro", uri=True)
    con.enable_load_extension(True)
    con.load_extension("mod_spatialite")
    return con


def db_count(sql, args=()):
    with db() as con:
        return con.execute(sql, args).fetchone()[0]


def gdal(*args):
    env = dict(os.environ, GDAL_HTTP_HEADERS=f"Authorization: Bearer {KEY}", CPL_DEBUG="OFF")
    out = subprocess.run(args, capture_output=True, text=True, env=env, timeout=300)
    if out.returncode != 0:
        print(out.stderr, file=sys.stderr)
    return out


def feature_count(ogrinfo_output):
    for line in ogrinfo_output.splitlines():
        if line.startswith("Feature Count:"):
            return int(line.split(":")[1])
    return None


# A box in the middle of the city, and an attribute value that exists.
with db() as con:
    minx, miny, maxx, maxy = con.execute("SELECT min(xmin), min(ymin), max(xmax), max(ymax) FROM idx_grid_geom").fetchone()
    status = con.execute("SELECT status FROM component GROUP BY status ORDER BY count(*) ASC LIMIT 1").fetchone()[0]
    type_code = con.execute("SELECT type_code FROM component GROUP BY type_code ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
bx = (minx + (maxx - minx) * 0.3, miny + (maxy - miny) * 0.3, minx + (maxx - minx) * 0.6, miny + (maxy - miny) * 0.6)

print("== GDAL OAPIF: every collection, counted and read in full")
for cid, table in TABLES.items():
    expected = db_count(f"SELECT count(*) FROM {table}")
    info = gdal("ogrinfo", "-ro", "-so", "-al", f"OAPIF:{BASE}/collections/{cid}")
    check(feature_count(info.stdout) == expected, f"ogrinfo {cid}: {feature_count(info.stdout)} features, database {expected}")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, f"{cid}.gpkg")
        copied = gdal("ogr2ogr", "-f", "GPKG", out, f"OAPIF:{BASE}/collections/{cid}", "-oo", "PAGE_SIZE=1000")
        got = None
        if copied.returncode == 0:
            with sqlite3.connect(out) as g:
                got = g.execute(f'SELECT count(*) FROM "{cid}"').fetchone()[0]
        check(got == expected, f"ogr2ogr {cid} → GeoPackage: {got} features, database {expected}")

print("== GDAL OAPIF: bbox and attribute filter")
expected = db_count("""SELECT count(*) FROM component WHERE fid IN (SELECT pkid FROM idx_component_geom
                       WHERE xmin <= ?3 AND xmax >= ?1 AND ymin <= ?4 AND ymax >= ?2)
                       AND ST_Intersects(geom, BuildMbr(?1, ?2, ?3, ?4))""", bx)
info = gdal("ogrinfo", "-ro", "-al", "-so", "-spat", *map(str, bx), f"OAPIF:{BASE}/collections/components")
check(feature_count(info.stdout) == expected, f"ogrinfo components -spat: {feature_count(info.stdout)}, database {expected}")
expected = db_count("SELECT count(*) FROM component WHERE type_code = ?", (type_code,))
info = gdal("ogrinfo", "-ro", "-al", "-so", "-where", f"type_code = '{type_code}'", f"OAPIF:{BASE}/collections/components")
check(0 < feature_count(info.stdout) == expected,
      f"ogrinfo components -where type_code = '{type_code}': {feature_count(info.stdout)}, database {expected}")

print("== OWSLib")
api = Features(BASE, headers=dict(AUTH))
ids = [c["id"] for c in api.collections()["collections"]]
check(sorted(ids) == sorted(list(TABLES) + ["grid-case-counts"]), f"collections listed: {ids}")
counts = api.collection_items("grid-case-counts")
check(counts["numberReturned"] == db_count("SELECT count(*) FROM grid"), "OWSLib grid-case-counts: one feature per grid")
queryables = api.collection_queryables("components")
check(queryables.get("additionalProperties") is False and "status" in queryables["properties"],
      "components queryables: a closed JSON Schema with status")
got = api.collection_items("components", bbox=list(bx), limit=10000)
expected = db_count("""SELECT count(*) FROM component WHERE ST_Intersects(geom, BuildMbr(?1, ?2, ?3, ?4))
                       AND fid IN (SELECT pkid FROM idx_component_geom WHERE xmin <= ?3 AND xmax >= ?1 AND ymin <= ?4 AND ymax >= ?2)""", bx)
check(got["numberReturned"] == expected == got["numberMatched"], f"OWSLib bbox: {got['numberReturned']} returned, database {expected}")
cql = f"status = '{status}' AND type_code <> 'none' OR type_code = '{type_code}'"
got = api.collection_items("components", filter=cql, limit=10000, **{"filter-lang": "cql2-text"})
expected = db_count("SELECT count(*) FROM component WHERE (status = ? AND type_code <> 'none') OR type_code = ?", (status, type_code))
check(got["numberMatched"] == expected, f"OWSLib CQL2 {cql!r}: {got['numberMatched']}, database {expected}")
cql = f"S_INTERSECTS(geom, BBOX({bx[0]}, {bx[1]}, {bx[2]}, {bx[3]})) AND status = '{status}'"
got = api.collection_items("components", filter=cql, limit=10000)
expected = db_count("SELECT count(*) FROM component WHERE ST_Intersects(geom, BuildMbr(?, ?, ?, ?)) AND status = ?", (*bx, status))
check(got["numberMatched"] == expected, f"OWSLib CQL2 spatial {cql!r}: {got['numberMatched']}, database {expected}")
one = got["features"][0]["id"] if got["features"] else None
if one:
    item = api.collection_item("components", one)
    check(item["id"] == one and item["properties"]["status"] == status, f"OWSLib single item {one}")
# Paging: follow next links through all roads and see each once.
seen, page, pages = [], api.collection_items("roads", limit=500), 0
while True:
    pages += 1
    seen += [f["id"] for f in page["features"]]
    nxt = [l["href"] for l in page["links"] if l["rel"] == "next"]
    if not nxt or pages > 100:
        break
    cursor = nxt[0].split("cursor=")[1].split("&")[0]
    page = api.collection_items("roads", limit=500, cursor=cursor)
expected = db_count("SELECT count(*) FROM road")
check(len(seen) == len(set(seen)) == expected, f"OWSLib paging over roads: {len(seen)} features in {pages} pages, database {expected}")

if failures:
    print(f"{len(failures)} failures", file=sys.stderr)
    sys.exit(1)
print("all client checks passed")
