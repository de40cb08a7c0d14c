#include "layout.hpp"

#include "cyberdrill/impact.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace cyberdrill::viz {

bool has_map_position(const Asset& a) { return a.x != 0 || a.y != 0; }

std::vector<Vec2> asset_positions(const Scenario& scenario) {
  const std::size_t n = scenario.assets.size();
  std::vector<Vec2> out(n);
  // Ring order: by sector (scenario order; no sector last), then scenario order.
  std::vector<std::size_t> ring;
  for (std::size_t s = 0; s <= scenario.sectors.size(); ++s)
    for (std::size_t i = 0; i < n; ++i) {
      const Asset& a = scenario.assets[i];
      if (has_map_position(a)) continue;
      const std::size_t sector = a.sector == kNone || a.sector >= scenario.sectors.size() ? scenario.sectors.size()
                                                                                          : a.sector;
      if (sector == s) ring.push_back(i);
    }
  // Leave a gap of one slot between sectors so the groups read as groups.
  std::size_t slots = ring.size();
  for (std::size_t k = 1; k < ring.size(); ++k)
    if (scenario.assets[ring[k]].sector != scenario.assets[ring[k - 1]].sector) ++slots;
  std::size_t slot = 0;
  for (std::size_t k = 0; k < ring.size(); ++k) {
    if (k > 0 && scenario.assets[ring[k]].sector != scenario.assets[ring[k - 1]].sector) ++slot;
    const double angle = -std::numbers::pi / 2 + 2 * std::numbers::pi * static_cast<double>(slot) /
                                                     static_cast<double>(std::max<std::size_t>(slots, 1));
    out[ring[k]] = Vec2{0.5 + 0.45 * std::cos(angle), 0.5 + 0.45 * std::sin(angle)};
    ++slot;
  }
  for (std::size_t i = 0; i < n; ++i)
    if (has_map_position(scenario.assets[i])) out[i] = Vec2{scenario.assets[i].x, scenario.assets[i].y};
  return out;
}

double population_radius(std::uint64_t population, std::uint64_t max_population, double r_min, double r_max) {
  if (max_population == 0) return r_min;
  const double f = std::sqrt(static_cast<double>(std::min(population, max_population)) /
                             static_cast<double>(max_population));
  return r_min + (r_max - r_min) * f;
}

std::vector<Vec2> spread_ranks(const std::vector<Vec2>& pts, double amount) {
  const std::size_t n = pts.size();
  std::vector<Vec2> out(n);
  if (n == 0) return out;
  amount = std::clamp(amount, 0.0, 1.0);
  auto axis = [&](double Vec2::*c) {
    std::vector<std::size_t> idx(n);
    for (std::size_t i = 0; i < n; ++i) idx[i] = i;
    std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return pts[a].*c < pts[b].*c; });
    const double lo = pts[idx.front()].*c, hi = pts[idx.back()].*c;
    const double span = hi - lo;
    for (std::size_t k = 0; k < n;) {
      std::size_t e = k;
      while (e + 1 < n && pts[idx[e + 1]].*c == pts[idx[k]].*c) ++e;
      const double rank = n == 1 ? 0.5 : (static_cast<double>(k + e) / 2) / static_cast<double>(n - 1);
      for (std::size_t j = k; j <= e; ++j) {
        const double norm = span > 0 ? (pts[idx[j]].*c - lo) / span : 0.5;
        out[idx[j]].*c = (1 - amount) * norm + amount * rank;
      }
      k = e + 1;
    }
  };
  axis(&Vec2::x);
  axis(&Vec2::y);
  return out;
}

std::vector<Vec2> fit_to(const std::vector<Vec2>& pts, const Box& area, double margin) {
  std::vector<Vec2> out(pts.size());
  if (pts.empty()) return out;
  double x0 = std::numeric_limits<double>::max(), y0 = x0, x1 = -x0, y1 = -x0;
  for (const Vec2& p : pts) {
    x0 = std::min(x0, p.x), x1 = std::max(x1, p.x);
    y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
  }
  const double w = std::max(x1 - x0, 1e-9), h = std::max(y1 - y0, 1e-9);
  const double aw = std::max(area.w - 2 * margin, 1.0), ah = std::max(area.h - 2 * margin, 1.0);
  // A single point (or a line) is centred rather than blown up.
  const double scale = std::min(x1 - x0 < 1e-9 ? 1e18 : aw / w, y1 - y0 < 1e-9 ? 1e18 : ah / h);
  const double s = scale > 1e17 ? 0 : scale;
  const double ox = area.x + margin + (aw - w * s) / 2, oy = area.y + margin + (ah - h * s) / 2;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    out[i] = Vec2{ox + (pts[i].x - x0) * s, oy + (pts[i].y - y0) * s};
    if (s == 0) out[i] = Vec2{area.x + area.w / 2, area.y + area.h / 2};
  }
  return out;
}

std::vector<Vec2> separate_circles(std::vector<Vec2> c, const std::vector<double>& r, double gap, const Box& bounds,
                                   int iterations) {
  const std::size_t n = c.size();
  auto clamp_in = [&](std::size_t i) {
    c[i].x = std::clamp(c[i].x, bounds.x + r[i], std::max(bounds.x + r[i], bounds.right() - r[i]));
    c[i].y = std::clamp(c[i].y, bounds.y + r[i], std::max(bounds.y + r[i], bounds.bottom() - r[i]));
  };
  for (int it = 0; it < iterations; ++it) {
    bool moved = false;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = i + 1; j < n; ++j) {
        double dx = c[j].x - c[i].x, dy = c[j].y - c[i].y;
        const double want = r[i] + r[j] + gap;
        double d2 = dx * dx + dy * dy;
        if (d2 >= want * want) continue;
        double d = std::sqrt(d2);
        if (d < 1e-9) {  // coincident: a fixed direction per pair
          const double a = 2.399963 * static_cast<double>(i * 7 + j);  // golden angle steps
          dx = std::cos(a), dy = std::sin(a), d = 1;
          d2 = 1;
        }
        // Each moves by half the overlap (a bit more so the loop converges), the larger one less.
        const double push = (want - d) / d * 0.52;
        const double wi = r[j] / (r[i] + r[j]), wj = r[i] / (r[i] + r[j]);
        c[i].x -= dx * push * wi * 2, c[i].y -= dy * push * wi * 2;
        c[j].x += dx * push * wj * 2, c[j].y += dy * push * wj * 2;
        clamp_in(i), clamp_in(j);
        moved = true;
      }
    if (!moved) break;
  }
  return c;
}

Box map_area(double width, double height) {
  const double u = height / 1080.0, m = 48 * u, side = 430 * u;
  const double top = kHeaderUnits * u + 10 * u;
  return Box{m, top, width - 2 * m - side - 30 * u, height - top - 36 * u};
}

std::pair<Box, Box> known_vs_true_areas(double width, double height) {
  const double u = height / 1080.0, m = 48 * u, gap = 28 * u, legend_h = 118 * u, head = 66 * u;
  const double top = kHeaderUnits * u + head;
  const double pw = (width - 2 * m - gap) / 2;
  const double ph = height - top - legend_h - 20 * u;
  return {Box{m, top, pw, ph}, Box{m + pw + gap, top, pw, ph}};
}

MapGeometry map_geometry(const Scenario& sc, const Box& area, double u) {
  MapGeometry g;
  const std::size_t n = sc.assets.size();
  std::vector<std::uint64_t> served(n);  // people each asset serves (impact.hpp), the circle size
  for (std::size_t i = 0; i < n; ++i) {
    served[i] = static_cast<std::uint64_t>(std::llround(people_served(sc, static_cast<Index>(i))));
    g.max_population = std::max(g.max_population, served[i]);
  }
  // Fewer, larger circles for small scenarios; shrink for crowded ones.
  const double k = std::clamp(std::min(area.w / (1300.0 * u), area.h / (880.0 * u)), 0.55, 1.6);
  const double crowd = n > 400 ? std::sqrt(400.0 / static_cast<double>(n)) : 1.0;
  g.r_min = std::max(2.0, 5.0 * u * k * crowd);
  g.r_max = std::max(g.r_min + 1, (n <= 12 ? 42.0 : n <= 60 ? 26.0 : 21.0) * u * k * crowd);
  g.radius.resize(n);
  for (std::size_t i = 0; i < n; ++i)
    g.radius[i] = population_radius(served[i], g.max_population, g.r_min, g.r_max);
  std::vector<Vec2> unit = asset_positions(sc);
  if (sc.basemap.present()) {
    // Geography: the frame keeps its aspect ratio, centred in the panel; the outline with it.
    g.geographic = true;
    const double aspect = frame_aspect(sc.basemap);
    const double margin = g.r_max + 6 * u;
    const double aw = std::max(area.w - 2 * margin, 1.0), ah = std::max(area.h - 2 * margin, 1.0);
    const double sy = std::min(ah, aw / aspect), sx = sy * aspect;  // pixels per unit of x and y
    const double ox = area.x + margin + (aw - sx) / 2, oy = area.y + margin + (ah - sy) / 2;
    g.centre.resize(n);
    for (std::size_t i = 0; i < n; ++i) g.centre[i] = Vec2{ox + unit[i].x * sx, oy + unit[i].y * sy};
    const Basemap& b = sc.basemap;
    auto project = [&](const std::vector<std::pair<double, double>>& ring) {
      std::vector<Vec2> px;
      px.reserve(ring.size());
      for (const auto& [lon, lat] : ring)
        px.push_back(Vec2{ox + (lon - b.west) / (b.east - b.west) * sx, oy + (b.north - lat) / (b.north - b.south) * sy});
      return px;
    };
    for (const auto& ring : b.outline) g.outline.push_back(project(ring));
    for (const Basemap::Province& p : b.provinces)
      for (const auto& ring : p.outline) g.provinces.push_back(project(ring));
    if (n <= 3000) g.centre = separate_circles(g.centre, g.radius, 1.0 * u, area, n <= 600 ? 300 : 60);
    return g;
  }
  const auto positioned = static_cast<std::size_t>(std::count_if(sc.assets.begin(), sc.assets.end(), has_map_position));
  if (n >= 10 && positioned * 2 >= n) {
    // Geography clusters around cities: spread by rank (order kept), then fill the panel.
    unit = spread_ranks(unit, 0.7);
    for (Vec2& p : unit) p.x *= area.w / std::max(area.h, 1.0);
  }
  g.centre = fit_to(unit, area, g.r_max + 6 * u);
  if (n <= 3000) {
    const int iterations = n <= 600 ? 300 : 60;
    g.centre = separate_circles(g.centre, g.radius, 2.0 * u, area, iterations);
  }
  return g;
}

SectorWheels sector_groups(const Scenario& sc, const MapGeometry& g, double u) {
  SectorWheels w;
  const std::size_t n = sc.assets.size(), areas = sc.areas.size(), sectors = sc.sectors.size();
  // Areas by their served assets, then the others to the nearest area centre.
  std::vector<Index> area_of(n, kNone);
  std::vector<Vec2> sum(areas);
  std::vector<std::size_t> count(areas, 0);
  for (std::size_t i = 0; i < n; ++i)
    if (!sc.assets[i].serves.empty() && sc.assets[i].serves.front().area < areas) {
      const Index a = sc.assets[i].serves.front().area;
      area_of[i] = a;
      sum[a].x += g.centre[i].x, sum[a].y += g.centre[i].y;
      ++count[a];
    }
  Vec2 mid{0, 0};
  for (const Vec2& c : g.centre) mid.x += c.x / static_cast<double>(std::max<std::size_t>(n, 1)), mid.y += c.y / static_cast<double>(std::max<std::size_t>(n, 1));
  w.area_centre.assign(areas, mid);
  w.area_used.assign(areas, 0);
  for (std::size_t a = 0; a < areas; ++a)
    if (count[a] > 0) w.area_centre[a] = Vec2{sum[a].x / static_cast<double>(count[a]), sum[a].y / static_cast<double>(count[a])};
  for (std::size_t i = 0; i < n; ++i) {
    if (area_of[i] != kNone) continue;
    double best = 1e300;
    for (std::size_t a = 0; a < areas; ++a) {
      if (count[a] == 0) continue;
      const double d = std::hypot(g.centre[i].x - w.area_centre[a].x, g.centre[i].y - w.area_centre[a].y);
      if (d < best) best = d, area_of[i] = static_cast<Index>(a);
    }
  }
  // Groups keyed (area, sector); kNone sorts last in both.
  const std::size_t ak = areas + 1, sk = sectors + 1;
  std::vector<std::vector<Index>> members(ak * sk);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t a = area_of[i] == kNone ? areas : area_of[i];
    const std::size_t s = sc.assets[i].sector < sectors ? sc.assets[i].sector : sectors;
    members[a * sk + s].push_back(static_cast<Index>(i));
  }
  // Where the assets without an area gather: their own centre.
  Vec2 lost{0, 0};
  std::size_t lost_n = 0;
  for (std::size_t s = 0; s < sk; ++s)
    for (const Index i : members[areas * sk + s]) lost.x += g.centre[i].x, lost.y += g.centre[i].y, ++lost_n;
  if (lost_n > 0) lost = Vec2{lost.x / static_cast<double>(lost_n), lost.y / static_cast<double>(lost_n)};
  std::vector<Vec2> centres;
  for (std::size_t a = 0; a < areas; ++a)
    if (count[a] > 0 || std::any_of(members.begin() + static_cast<std::ptrdiff_t>(a * sk),
                                    members.begin() + static_cast<std::ptrdiff_t>(a * sk + sk),
                                    [](const auto& m) { return !m.empty(); })) {
      w.area_used[a] = 1;
      centres.push_back(w.area_centre[a]);
    }
  if (lost_n > 0) centres.push_back(lost);
  // Sizes: a wheel with S slots of glyph radius r has radius R = (r + gap) / sin(pi / S); two
  // wheels dmin apart need R + r <= 0.46 dmin.
  double dmin = 1e300;
  for (std::size_t a = 0; a < centres.size(); ++a)
    for (std::size_t b = a + 1; b < centres.size(); ++b)
      dmin = std::min(dmin, std::hypot(centres[a].x - centres[b].x, centres[a].y - centres[b].y));
  if (centres.size() < 2) dmin = 400 * u;
  const double slots = static_cast<double>(std::max<std::size_t>(sk, 3));
  const double sn = std::sin(std::numbers::pi / slots), gap = 2 * u;
  const double r = std::clamp((0.46 * dmin * sn - gap) / (1 + sn), 4 * u, 24 * u);
  w.glyph_max = r;
  w.wheel_radius = (r + gap) / sn;
  std::size_t most = 1;
  for (const auto& m : members) most = std::max(most, m.size());
  for (std::size_t a = 0; a < ak; ++a)
    for (std::size_t s = 0; s < sk; ++s) {
      auto& m = members[a * sk + s];
      if (m.empty()) continue;
      SectorGroup grp;
      grp.area = a < areas ? static_cast<Index>(a) : kNone;
      grp.sector = s < sectors ? static_cast<Index>(s) : kNone;
      const Vec2 c = a < areas ? w.area_centre[a] : lost;
      const double ang = -std::numbers::pi / 2 + 2 * std::numbers::pi * static_cast<double>(s) / slots;
      grp.centre = Vec2{c.x + w.wheel_radius * std::cos(ang), c.y + w.wheel_radius * std::sin(ang)};
      // Area by count above a floor of a third of the largest, so a sector of a few assets stays visible.
      grp.radius = r * (0.35 + 0.65 * std::sqrt(static_cast<double>(m.size()) / static_cast<double>(most)));
      grp.members = std::move(m);
      w.groups.push_back(std::move(grp));
    }
  return w;
}

double frame_aspect(const Basemap& b) {
  if (!b.present()) return 1.0;
  const double mid = (b.north + b.south) / 2 * std::numbers::pi / 180;
  return (b.east - b.west) * std::cos(mid) / (b.north - b.south);
}

ArrowHead arrow_head(Vec2 from, Vec2 to, double r_to, double length, double half_angle) {
  const double dx = to.x - from.x, dy = to.y - from.y;
  const double d = std::sqrt(dx * dx + dy * dy);
  if (d < 1e-9) return {to, to, to};
  const double ux = dx / d, uy = dy / d;
  const Vec2 tip{to.x - ux * r_to, to.y - uy * r_to};
  const double c = std::cos(half_angle), s = std::sin(half_angle);
  // The barbs point back along the edge, rotated by +-half_angle.
  const Vec2 left{tip.x - length * (ux * c - uy * s), tip.y - length * (uy * c + ux * s)};
  const Vec2 right{tip.x - length * (ux * c + uy * s), tip.y - length * (uy * c - ux * s)};
  return {tip, left, right};
}

std::optional<std::size_t> IntervalRows::place(double a, double b) {
  for (std::size_t r = 0; r < rows_.size(); ++r) {
    bool free = true;
    for (const auto& [x0, x1] : rows_[r])
      if (a < x1 + gap_ && x0 < b + gap_) {
        free = false;
        break;
      }
    if (free) {
      rows_[r].emplace_back(a, b);
      return r;
    }
  }
  return std::nullopt;
}

bool overlaps(const Box& b, const Circle& c) {
  const double nx = std::clamp(c.c.x, b.x, b.right()), ny = std::clamp(c.c.y, b.y, b.bottom());
  const double dx = c.c.x - nx, dy = c.c.y - ny;
  return dx * dx + dy * dy < c.r * c.r;
}

namespace {

/// Area of a box covered by a circle, approximated on a 6x6 sample grid (only for ranking).
double covered(const Box& b, const Circle& c) {
  int hit = 0;
  for (int i = 0; i < 6; ++i)
    for (int j = 0; j < 6; ++j) {
      const double x = b.x + b.w * (i + 0.5) / 6, y = b.y + b.h * (j + 0.5) / 6;
      hit += (x - c.c.x) * (x - c.c.x) + (y - c.c.y) * (y - c.c.y) < c.r * c.r;
    }
  return b.w * b.h * hit / 36.0;
}

}  // namespace

std::vector<std::optional<PlacedLabel>> place_labels(const std::vector<LabelRequest>& requests,
                                                     const std::vector<Circle>& circles, const Box& bounds) {
  std::vector<std::optional<PlacedLabel>> out(requests.size());
  std::vector<Box> placed;
  for (std::size_t k = 0; k < requests.size(); ++k) {
    const LabelRequest& q = requests[k];
    if (q.circle >= circles.size()) continue;
    const Circle& own = circles[q.circle];
    std::vector<PlacedLabel> candidates;
    for (const double extra : {3.0, 18.0, 40.0, 70.0, 110.0, 160.0, 220.0}) {
      const double d = own.r + extra;
      const double cx = own.c.x, cy = own.c.y;
      const bool leader = extra > 10;
      const double dd = d * 0.72;  // diagonals
      const Box boxes[] = {
          {cx + d, cy - q.h / 2, q.w, q.h},            // right
          {cx - d - q.w, cy - q.h / 2, q.w, q.h},      // left
          {cx - q.w / 2, cy - d - q.h, q.w, q.h},      // above
          {cx - q.w / 2, cy + d, q.w, q.h},            // below
          {cx + dd, cy - dd - q.h, q.w, q.h},          // upper right
          {cx + dd, cy + dd, q.w, q.h},                // lower right
          {cx - dd - q.w, cy - dd - q.h, q.w, q.h},    // upper left
          {cx - dd - q.w, cy + dd, q.w, q.h},          // lower left
      };
      for (const Box& b : boxes) candidates.push_back(PlacedLabel{b, leader});
    }
    std::optional<PlacedLabel> best;
    double best_cover = std::numeric_limits<double>::max();
    for (const PlacedLabel& cand : candidates) {
      if (!bounds.contains(cand.box)) continue;
      bool clash = false;
      for (const Box& p : placed)
        if (p.intersects(cand.box)) {
          clash = true;
          break;
        }
      if (clash) continue;
      double cover = 0;
      for (std::size_t i = 0; i < circles.size(); ++i)
        if (i != q.circle && overlaps(cand.box, circles[i]))
          cover += circles[i].weight * (covered(cand.box, circles[i]) + 1);
      if (cover == 0) {
        best = cand;
        break;
      }
      if (cover < best_cover) best_cover = cover, best = cand;
    }
    if (best) {
      placed.push_back(best->box);
      out[k] = best;
    }
  }
  return out;
}

}  // namespace cyberdrill::viz
