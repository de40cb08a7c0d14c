#!/usr/bin/env python3
"""Derives a scenario basemap (a country's outline) from Natural Earth's 1:10m admin-0 countries as
redistributed by the npm package world-atlas (countries-10m.json, TopoJSON).

  npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
  python3 scripts/derive_basemap.py package/countries-10m.json Belgium 0.01 > outline.json

Prints {"outline": [[[lon, lat], ...]], "bbox": [west, south, east, north]}: every ring of the
country, simplified with Douglas-Peucker at TOLERANCE degrees, coordinates rounded to 1e-4 degree.
Natural Earth is in the public domain; world-atlas is ISC-licensed packaging of it."""
import json
import sys


def decode_arc(arc, transform):
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    x = y = 0
    out = []
    for dx, dy in arc:
        x += dx
        y += dy
        out.append((x * sx + tx, y * sy + ty))
    return out


def ring(arc_ids, arcs):
    pts = []
    for i in arc_ids:
        a = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        pts.extend(a if not pts else a[1:])
    return pts


def simplify(pts, tol):
    if len(pts) < 3:
        return pts
    (x0, y0), (x1, y1) = pts[0], pts[-1]
    dx, dy = x1 - x0, y1 - y0
    norm = (dx * dx + dy * dy) ** 0.5
    best, idx = -1.0, 0
    for k in range(1, len(pts) - 1):
        px, py = pts[k]
        d = abs(dy * (px - x0) - dx * (py - y0)) / norm if norm > 0 else ((px - x0) ** 2 + (py - y0) ** 2) ** 0.5
        if d > best:
            best, idx = d, k
    if best <= tol:
        return [pts[0], pts[-1]]
    return simplify(pts[: idx + 1], tol)[:-1] + simplify(pts[idx:], tol)


def main():
    path, name, tol = sys.argv[1], sys.argv[2], float(sys.argv[3])
    topo = json.load(open(path))
    arcs = [decode_arc(a, topo["transform"]) for a in topo["arcs"]]
    geom = next(g for g in topo["objects"]["countries"]["geometries"] if g.get("properties", {}).get("name") == name)
    polys = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
    rings = []
    for poly in polys:
        outer = ring(poly[0], arcs)
        half = len(outer) // 2  # closed ring: simplify the two halves so the ends stay put
        simple = simplify(outer[: half + 1], tol)[:-1] + simplify(outer[half:], tol)
        rings.append([[round(x, 4), round(y, 4)] for x, y in simple])
    xs = [p[0] for r in rings for p in r]
    ys = [p[1] for r in rings for p in r]
    json.dump({"outline": rings, "bbox": [min(xs), min(ys), max(xs), max(ys)]}, sys.stdout)


if __name__ == "__main__":
    main()
