"""Minimal reader for OpenStreetMap data via `osmium cat -f opl`.

We read the extract through osmium-tool's OPL text output instead of
`osmium export` because the extract is clipped to a bounding box: many ways
reference nodes outside it.  `osmium export` silently drops such ways, while we
want (like GDAL's OSM driver) to keep them built from the nodes that are
present.  Parsing OPL also gives us ids, timestamps and every tag verbatim.
"""
from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field

_ESC = re.compile(r"%([0-9a-fA-F]+)%")


def _unescape(s: str) -> str:
    if "%" not in s:
        return s
    return _ESC.sub(lambda m: chr(int(m.group(1), 16)), s)


def _tags(s: str) -> dict[str, str]:
    if not s:
        return {}
    out: dict[str, str] = {}
    for kv in s.split(","):
        k, _, v = kv.partition("=")
        out[_unescape(k)] = _unescape(v)
    return out


@dataclass
class Node:
    id: int
    timestamp: str  # ISO 8601, UTC ("2019-04-21T09:50:14Z") or ""
    tags: dict[str, str]
    lon: float | None
    lat: float | None


@dataclass
class Way:
    id: int
    timestamp: str
    tags: dict[str, str]
    refs: list[int]


@dataclass
class Member:
    type: str  # "n" / "w" / "r"
    ref: int
    role: str


@dataclass
class Relation:
    id: int
    timestamp: str
    tags: dict[str, str]
    members: list[Member] = field(default_factory=list)


@dataclass
class OsmData:
    nodes: dict[int, Node]
    ways: dict[int, Way]
    relations: dict[int, Relation]

    def way_coords(self, way: Way) -> list[tuple[float, float]]:
        """Coordinates of the way's nodes that are present in the extract,
        consecutive duplicates removed."""
        out: list[tuple[float, float]] = []
        for r in way.refs:
            n = self.nodes.get(r)
            if n is None or n.lon is None:
                continue
            c = (n.lon, n.lat)
            if not out or out[-1] != c:
                out.append(c)
        return out

    def way_missing(self, way: Way) -> int:
        return sum(1 for r in way.refs if r not in self.nodes)


def read_opl(pbf_path: str) -> OsmData:
    txt = subprocess.run(
        ["osmium", "cat", "--no-progress", "-f", "opl", pbf_path],
        check=True, capture_output=True, text=True, encoding="utf-8",
    ).stdout
    nodes: dict[int, Node] = {}
    ways: dict[int, Way] = {}
    rels: dict[int, Relation] = {}
    for line in txt.splitlines():
        if not line:
            continue
        fields = line.split(" ")
        kind = fields[0][0]
        oid = int(fields[0][1:])
        f: dict[str, str] = {}
        for tok in fields[1:]:
            if tok:
                f[tok[0]] = tok[1:]
        ts = f.get("t", "")
        tags = _tags(f.get("T", ""))
        if kind == "n":
            x, y = f.get("x", ""), f.get("y", "")
            nodes[oid] = Node(oid, ts, tags,
                              float(x) if x else None, float(y) if y else None)
        elif kind == "w":
            refs = [int(r[1:]) for r in f.get("N", "").split(",") if r]
            ways[oid] = Way(oid, ts, tags, refs)
        elif kind == "r":
            members = []
            for m in f.get("M", "").split(","):
                if not m:
                    continue
                ref, _, role = m.partition("@")
                members.append(Member(ref[0], int(ref[1:]), _unescape(role)))
            rels[oid] = Relation(oid, ts, tags, members)
    return OsmData(nodes, ways, rels)
