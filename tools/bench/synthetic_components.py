"""Write N synthetic components for the sample city as GeoJSON (deterministic, stdlib only).

Usage: python3 synthetic_components.py N OUT.geojson CITY_JSON
Ids use sequences from 100001 upwards so they never collide with the sample city's own components.
"""
import json
import random
import sys

TYPES = ["01037", "04002", "03005", "01001", "01023", "02010", "04007", "02014", "01050", "02021"]


def main() -> None:
    n, out, city = int(sys.argv[1]), sys.argv[2], json.load(open(sys.argv[3]))
    minx, miny, maxx, maxy = city["extent"]
    region = city["region_code"]
    rng = random.Random(20261123)
    per_type = -(-n // len(TYPES))
    with open(out, "w") as f:
        f.write('{"type":"FeatureCollection","features":[\n')
        for i in range(n):
            t = TYPES[i % len(TYPES)]
            seq = 100001 + i // len(TYPES)
            assert seq <= 999999 and per_type <= 899999
            x = minx + rng.random() * (maxx - minx) * 0.999 + (maxx - minx) * 0.0005
            y = miny + rng.random() * (maxy - miny) * 0.999 + (maxy - miny) * 0.0005
            feature = {"type": "Feature", "properties": {
                "id": f"{region}{t}{seq:06d}", "competent_dept": "CGZF", "maintainer_dept": "HW",
                "status": "完好", "initial_date": "2026-01-01", "data_source": "其他"},
                "geometry": {"type": "Point", "coordinates": [round(x, 7), round(y, 7)]}}
            f.write(("," if i else "") + json.dumps(feature, ensure_ascii=False, separators=(",", ":")) + "\n")
        f.write("]}\n")


if __name__ == "__main__":
    main()
