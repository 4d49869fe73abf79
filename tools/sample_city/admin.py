"""Administrative layers (district / streets / communities) from a road network.

Method
1. Linework = centre lines of the selected road classes (`BOUNDARY_ROAD_CLASSES`)
   + the district boundary.  Ways clipped by the extract's bounding box end a few
   metres short of it; their clipped ends are extended (<= 150 m) to the boundary so that
   the roads actually split the district.
2. The linework is noded and snap-rounded to the 1e-7 degree output grid, then
   polygonized into faces (city blocks).  The faces tile the district exactly and
   share identical vertices along every edge.
3. Every face is assigned to the nearest community seed (a named point in a real
   neighbourhood, distance measured in the metric CRS from the face's
   representative point); slivers (mean width under 8 m, or long strips under
   20 m, e.g. between dual carriageways) instead join the neighbouring
   community they share the longest edge with.  A community whose faces fall apart into several
   pieces keeps the piece containing its seed; the other pieces go to the
   neighbouring community sharing the longest boundary with them.
4. Communities are unions of their faces, streets unions of whole communities,
   the district the union of the streets - all on the same grid, so shared
   boundaries have identical coordinates.
"""
from __future__ import annotations

from dataclasses import dataclass

import shapely
from shapely.geometry import LineString, Point, Polygon
from shapely.ops import nearest_points, polygonize
from shapely.strtree import STRtree

from .geo import GRID, Metric, snap
from .osm import OsmData

# Roads whose centre lines may carry a community boundary.  Primary/secondary/
# tertiary alone leave one 1.3 km2 face (76 % of the extract) in this part of
# Helsinki, so the urban street classes below them are used as well.
BOUNDARY_ROAD_CLASSES = (
    "primary", "primary_link", "secondary", "secondary_link",
    "tertiary", "tertiary_link", "unclassified", "residential",
    "living_street", "pedestrian",
)


@dataclass(frozen=True)
class Seed:
    street: int          # 1-based street number
    name_en: str
    name_zh: str
    lon: float
    lat: float


@dataclass
class Community:
    code: str
    name_zh: str
    name_en: str
    street_code: str
    geom: Polygon
    seed: Seed


def _is_boundary_road(way) -> bool:
    t = way.tags
    if t.get("highway") not in BOUNDARY_ROAD_CLASSES:
        return False
    if t.get("area") == "yes":
        return False
    if t.get("tunnel", "no") != "no" or t.get("covered", "no") != "no":
        return False
    try:
        if int(t.get("layer", "0")) < 0:
            return False
    except ValueError:
        pass
    return True


def _extend_to_boundary(coords, at_start: bool, ring: LineString):
    """Extend a clipped line end to the district boundary: along the direction of
    its last segment when that hits the boundary reasonably close, otherwise
    straight to the nearest boundary point."""
    p = Point(coords[0] if at_start else coords[-1])
    q = Point(coords[1] if at_start else coords[-2])
    near = nearest_points(ring, p)[0]
    dx, dy = p.x - q.x, p.y - q.y
    norm = (dx * dx + dy * dy) ** 0.5
    if norm > 0:
        far = (p.x + dx / norm * 0.05, p.y + dy / norm * 0.05)
        hit = LineString([(p.x, p.y), far]).intersection(ring)
        if not hit.is_empty:
            pts = [hit] if hit.geom_type == "Point" else [g for g in hit.geoms if g.geom_type == "Point"]
            if pts:
                h = min(pts, key=lambda g: g.distance(p))
                if h.distance(p) <= 3 * near.distance(p) + 1e-9:
                    return (h.x, h.y)
    return (near.x, near.y)


MAX_EXTENSION_M = 150.0  # longer gaps to the boundary are left open


def boundary_linework(osm: OsmData, district: Polygon, metric: Metric) -> list[LineString]:
    """Centre lines of the boundary roads, plus short extensions (at most
    MAX_EXTENSION_M) from every point where a road leaves the extract (a present
    node next to a missing one) to the district boundary."""
    ring = district.exterior
    lines = []
    for wid in sorted(osm.ways):
        way = osm.ways[wid]
        if not _is_boundary_road(way):
            continue
        c = osm.way_coords(way)
        if len(c) >= 2:
            lines.append(LineString(c))
        refs = way.refs
        for i, r in enumerate(refs):
            n = osm.nodes.get(r)
            if n is None:
                continue
            for step in (-1, 1):
                j = i + step
                if not (0 <= j < len(refs)) or refs[j] in osm.nodes:
                    continue
                k = i - step  # the present neighbour on the other side gives the direction
                other = osm.nodes.get(refs[k]) if 0 <= k < len(refs) else None
                p = (n.lon, n.lat)
                if other is not None and (other.lon, other.lat) != p:
                    end = _extend_to_boundary([p, (other.lon, other.lat)], True, ring)
                else:
                    q = nearest_points(ring, Point(p))[0]
                    end = (q.x, q.y)
                ext = LineString([p, end])
                if end != p and metric.length(ext) <= MAX_EXTENSION_M:
                    lines.append(ext)
    return lines


def faces_from_linework(lines: list[LineString], district: Polygon) -> list[Polygon]:
    net = shapely.union_all([district.exterior] + [l.intersection(district) for l in lines])
    net = snap(net)  # nodes all crossings on the 1e-7 grid
    faces = [f for f in polygonize(shapely.get_parts(net)) if f.area > 0]
    faces.sort(key=lambda f: (round(f.representative_point().y, 7),
                              round(f.representative_point().x, 7), round(f.area, 14)))
    return faces


def _adjacency(faces: list[Polygon]) -> dict[int, dict[int, float]]:
    tree = STRtree(faces)
    adj: dict[int, dict[int, float]] = {i: {} for i in range(len(faces))}
    for i, f in enumerate(faces):
        for j in tree.query(f):
            j = int(j)
            if j <= i:
                continue
            shared = f.boundary.intersection(faces[j].boundary).length
            if shared > 0:
                adj[i][j] = shared
                adj[j][i] = shared
    return adj


def _components(members: set[int], adj) -> list[set[int]]:
    seen: set[int] = set()
    comps = []
    for s in sorted(members):
        if s in seen:
            continue
        comp, stack = set(), [s]
        while stack:
            k = stack.pop()
            if k in comp:
                continue
            comp.add(k)
            stack.extend(n for n in adj[k] if n in members and n not in comp)
        seen |= comp
        comps.append(comp)
    return comps


# A face is a sliver when its mean width (2*area/perimeter) is under 8 m, or
# under 20 m while it is also very elongated (perimeter^2/area > 40, a 9:1 strip).
SLIVER_WIDTH_M = 8.0
STRIP_WIDTH_M = 20.0
STRIP_ELONGATION = 40.0


def _is_sliver(g) -> bool:
    width = 2 * g.area / g.length
    return width < SLIVER_WIDTH_M or (
        width < STRIP_WIDTH_M and g.length ** 2 / g.area > STRIP_ELONGATION)


def assign_faces(faces: list[Polygon], seeds: list[Seed], metric: Metric) -> list[int]:
    adj = _adjacency(faces)
    mfaces = [metric.to_metric(f) for f in faces]
    sliver = [_is_sliver(g) for g in mfaces]
    sx = [metric.fwd.transform(s.lon, s.lat) for s in seeds]
    assign: list[int] = []
    for i, g in enumerate(mfaces):
        if sliver[i]:
            assign.append(-1)
            continue
        x, y = g.representative_point().coords[0]
        assign.append(min(((x - a) ** 2 + (y - b) ** 2, k) for k, (a, b) in enumerate(sx))[1])
    # Slivers (strips between dual carriageways, traffic islands) join the
    # neighbouring community they share the longest boundary with.
    while -1 in assign:
        progress = False
        for i in range(len(faces)):
            if assign[i] != -1:
                continue
            border: dict[int, float] = {}
            for j, ln in adj[i].items():
                if assign[j] >= 0:
                    border[assign[j]] = border.get(assign[j], 0.0) + ln
            if border:
                assign[i] = max(sorted(border), key=lambda t: border[t])
                progress = True
        if not progress:  # isolated slivers only: fall back to nearest seed
            for i in range(len(faces)):
                if assign[i] == -1:
                    x, y = mfaces[i].representative_point().coords[0]
                    assign[i] = min(((x - a) ** 2 + (y - b) ** 2, k) for k, (a, b) in enumerate(sx))[1]
    adj = _adjacency(faces)
    for _ in range(100):
        changed = False
        for k, seed in enumerate(seeds):
            members = {i for i, c in enumerate(assign) if c == k}
            comps = _components(members, adj)
            if len(comps) <= 1:
                continue
            sp = Point(seed.lon, seed.lat)
            home = [c for c in comps if any(faces[i].covers(sp) for i in c)]
            keep = home[0] if home else max(comps, key=lambda c: (sum(faces[i].area for i in c), -min(c)))
            for comp in comps:
                if comp is keep:
                    continue
                border: dict[int, float] = {}
                for i in comp:
                    for j, ln in adj[i].items():
                        if assign[j] != k:
                            border[assign[j]] = border.get(assign[j], 0.0) + ln
                if not border:
                    continue
                target = max(sorted(border), key=lambda t: border[t])
                for i in comp:
                    assign[i] = target
                changed = True
        if not changed:
            break
    return assign


def union(polys) -> Polygon:
    return shapely.union_all(list(polys), grid_size=GRID)
