"""Build the UrbanGrid sample cities.

    python -m sample_city --pbf helsinki_centre.osm.pbf --out gis-data
"""
from __future__ import annotations

import argparse
import sys
import time

from . import check, helsinki, testcity


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="sample_city")
    ap.add_argument("--pbf", required=True, help="OSM extract of central Helsinki (.osm.pbf)")
    ap.add_argument("--out", required=True, help="gis-data directory (writes helsinki/ and testcity/)")
    ap.add_argument("--no-check", action="store_true", help="skip validation of the output")
    args = ap.parse_args(argv)

    t0 = time.monotonic()
    info = helsinki.build(args.pbf, f"{args.out}/helsinki")
    t1 = time.monotonic()
    print(f"helsinki: {info['counts']} ({t1 - t0:.1f} s)")
    tinfo = testcity.build(f"{args.out}/testcity")
    print(f"testcity: {tinfo['counts']} (cell area {tinfo['cell_area_min']:.4f}–"
          f"{tinfo['cell_area_max']:.4f} m² in EPSG:4544)")
    if not args.no_check:
        try:
            for line in check.check_city(f"{args.out}/helsinki", helsinki.METRIC_SRID):
                print("  check helsinki:", line)
            for line in check.check_city(f"{args.out}/testcity", testcity.METRIC_SRID, testcity.GEO_SRID):
                print("  check testcity:", line)
        except check.CheckError as e:
            print(f"CHECK FAILED: {e}", file=sys.stderr)
            return 1
    print(f"done in {time.monotonic() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
