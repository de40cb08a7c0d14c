// Layout: map positions are kept, missing ones are placed deterministically by sector, clusters
// are spread without changing the geographic order, circles do not overlap and labels never do.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "cyberdrill/impact.hpp"
#include "cyberdrill/random.hpp"
#include "cyberdrill/scenario_io.hpp"
#include "layout.hpp"
#include "viz_helpers.hpp"

using namespace cyberdrill;
using namespace cyberdrill::viz;

namespace {

Scenario unpositioned(std::size_t n, std::size_t sectors) {
  Scenario sc;
  for (std::size_t s = 0; s < sectors; ++s) sc.sectors.push_back(Sector{"s" + std::to_string(s), "", {}});
  for (std::size_t i = 0; i < n; ++i) {
    Asset a;
    a.id = "a" + std::to_string(i);
    a.sector = static_cast<Index>((i * 7) % sectors);
    sc.assets.push_back(a);
  }
  return sc;
}

double angle_of(Vec2 p) { return std::atan2(p.y - 0.5, p.x - 0.5); }

}  // namespace

TEST_CASE("assets with a map position keep it") {
  const Scenario sc = load_scenario_or_throw(testing::tutorial_path());
  const auto pos = asset_positions(sc);
  REQUIRE(pos.size() == 3);
  CHECK(pos[0].x == doctest::Approx(0.3));
  CHECK(pos[0].y == doctest::Approx(0.5));
  CHECK(pos[2].x == doctest::Approx(0.7));
}

TEST_CASE("assets without a position go on a ring, grouped by sector, the same every time") {
  const Scenario sc = unpositioned(40, 5);
  const auto a = asset_positions(sc), b = asset_positions(sc);
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].x == b[i].x);
    CHECK(a[i].y == b[i].y);
    CHECK(a[i].x >= 0.0);
    CHECK(a[i].x <= 1.0);
    CHECK(a[i].y >= 0.0);
    CHECK(a[i].y <= 1.0);
    CHECK(std::hypot(a[i].x - 0.5, a[i].y - 0.5) == doctest::Approx(0.45));
  }
  // Each sector occupies one contiguous arc: walking the ring, the sector changes 5 times.
  std::vector<std::size_t> order(a.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return angle_of(a[x]) < angle_of(a[y]); });
  int changes = 0;
  for (std::size_t k = 0; k < order.size(); ++k)
    changes += sc.assets[order[k]].sector != sc.assets[order[(k + 1) % order.size()]].sector;
  CHECK(changes == 5);
}

TEST_CASE("spreading by rank keeps west-east and north-south order and the unit square") {
  const Scenario sc = load_scenario_or_throw(testing::flagship_path());
  const auto pos = asset_positions(sc);
  const auto spread = spread_ranks(pos, 0.5);
  for (std::size_t i = 0; i < pos.size(); ++i) {
    CHECK(spread[i].x >= 0.0);
    CHECK(spread[i].x <= 1.0);
    for (std::size_t j = 0; j < pos.size(); ++j) {
      if (pos[i].x < pos[j].x) CHECK(spread[i].x < spread[j].x);
      if (pos[i].y == pos[j].y) CHECK(spread[i].y == spread[j].y);
    }
  }
  // The Brussels cluster (most assets within 0.1 of the centre) is spread over more of the map.
  auto iqr = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() * 3 / 4] - v[v.size() / 4];
  };
  std::vector<double> before, after;
  for (std::size_t i = 0; i < pos.size(); ++i) before.push_back(pos[i].x), after.push_back(spread[i].x);
  const double span = *std::max_element(before.begin(), before.end()) - *std::min_element(before.begin(), before.end());
  CHECK(iqr(after) > 1.5 * iqr(before) / span);
}

TEST_CASE("fit_to keeps every point inside the area with its margin") {
  const std::vector<Vec2> pts = {{0.1, 0.2}, {0.9, 0.3}, {0.4, 0.8}};
  const Box area{100, 50, 800, 400};
  const auto out = fit_to(pts, area, 20);
  for (const Vec2& p : out) {
    CHECK(p.x >= 120 - 1e-9);
    CHECK(p.x <= 880 + 1e-9);
    CHECK(p.y >= 70 - 1e-9);
    CHECK(p.y <= 430 + 1e-9);
  }
  // Aspect ratio preserved: the x/y distances scale by the same factor.
  CHECK((out[1].x - out[0].x) / 0.8 == doctest::Approx((out[2].y - out[0].y) / 0.6));
  // A single point is centred.
  const auto one = fit_to({{0.3, 0.3}}, area, 20);
  CHECK(one[0].x == doctest::Approx(500));
  CHECK(one[0].y == doctest::Approx(250));
}

TEST_CASE("separated circles do not overlap and stay inside the bounds") {
  RandomStream rs(7, "viz-test", "circles");
  std::vector<Vec2> c;
  std::vector<double> r;
  for (int i = 0; i < 150; ++i) {
    // A dense cluster plus coincident pairs.
    c.push_back({400 + rs.uniform01() * 120, 300 + rs.uniform01() * 80});
    r.push_back(4 + rs.uniform01() * 20);
  }
  c[10] = c[11];
  const Box bounds{0, 0, 1400, 900};
  const auto out = separate_circles(c, r, 2.0, bounds);
  const auto again = separate_circles(c, r, 2.0, bounds);
  for (std::size_t i = 0; i < out.size(); ++i) {
    CHECK(out[i].x == again[i].x);  // deterministic
    CHECK(out[i].x - r[i] >= -1e-9);
    CHECK(out[i].x + r[i] <= 1400 + 1e-9);
    for (std::size_t j = i + 1; j < out.size(); ++j)
      CHECK(std::hypot(out[i].x - out[j].x, out[i].y - out[j].y) >= r[i] + r[j] + 2.0 - 0.5);
  }
}

TEST_CASE("placed labels never overlap each other and stay inside the bounds") {
  RandomStream rs(11, "viz-test", "labels");
  std::vector<Circle> circles;
  std::vector<LabelRequest> req;
  for (std::size_t i = 0; i < 80; ++i) {
    circles.push_back(Circle{{200 + rs.uniform01() * 600, 150 + rs.uniform01() * 400}, 5 + rs.uniform01() * 15});
    req.push_back(LabelRequest{i, 60 + rs.uniform01() * 160, 22});
  }
  const Box bounds{0, 0, 1000, 700};
  const auto placed = place_labels(req, circles, bounds);
  int n = 0;
  for (std::size_t i = 0; i < placed.size(); ++i) {
    if (!placed[i]) continue;
    ++n;
    CHECK(bounds.contains(placed[i]->box));
    CHECK(placed[i]->box.w == doctest::Approx(req[i].w));
    for (std::size_t j = 0; j < i; ++j)
      if (placed[j]) CHECK_FALSE(placed[i]->box.intersects(placed[j]->box));
  }
  CHECK(n >= 20);  // the most important ones (first requested) find room
  for (std::size_t i = 0; i < 20; ++i) CHECK(placed[i].has_value());
}

TEST_CASE("on the Belgian map the 20 most populous assets all get a label, none overlapping") {
  const Scenario sc = load_scenario_or_throw(testing::flagship_path());
  const Box area = map_area(1920, 1080);
  const MapGeometry g = map_geometry(sc, area, 1.0);
  REQUIRE(g.centre.size() == sc.assets.size());
  std::vector<std::size_t> idx(sc.assets.size());
  for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::stable_sort(idx.begin(), idx.end(),
                   [&](std::size_t a, std::size_t b) {
                     return people_served(sc, static_cast<Index>(a)) > people_served(sc, static_cast<Index>(b));
                   });
  std::vector<Circle> circles;
  for (std::size_t i = 0; i < g.centre.size(); ++i) {
    CHECK(area.contains(Box{g.centre[i].x - g.radius[i], g.centre[i].y - g.radius[i], 2 * g.radius[i],
                            2 * g.radius[i]}));
    circles.push_back(Circle{g.centre[i], g.radius[i]});
  }
  std::vector<LabelRequest> req;
  for (std::size_t k = 0; k < 20; ++k)  // ~9.5 px per character at 17 px DejaVu Sans, capped like the view
    req.push_back(LabelRequest{idx[k], std::min(300.0, 10.0 + 9.5 * static_cast<double>(sc.assets[idx[k]].name.size())), 23});
  const auto placed = place_labels(req, circles, area);
  for (std::size_t k = 0; k < placed.size(); ++k) {
    CHECK_MESSAGE(placed[k].has_value(), sc.assets[idx[k]].id);
    for (std::size_t j = 0; j < k; ++j)
      if (placed[k] && placed[j]) CHECK_FALSE(placed[k]->box.intersects(placed[j]->box));
  }
}

TEST_CASE("circle area grows with population") {
  CHECK(population_radius(0, 1000, 4, 20) == doctest::Approx(4));
  CHECK(population_radius(1000, 1000, 4, 20) == doctest::Approx(20));
  CHECK(population_radius(250, 1000, 4, 20) == doctest::Approx(12));  // sqrt(1/4) of the way
  CHECK(population_radius(5000, 1000, 4, 20) == doctest::Approx(20)); // capped
  CHECK(population_radius(10, 0, 4, 20) == doctest::Approx(4));
}

TEST_CASE("interval rows put overlapping intervals on different rows and refuse when full") {
  IntervalRows rows(2, 5);
  CHECK(rows.place(0, 100) == std::optional<std::size_t>(0));
  CHECK(rows.place(50, 150) == std::optional<std::size_t>(1));
  CHECK_FALSE(rows.place(104, 120).has_value());  // within the gap of row 0, overlapping row 1
  CHECK(rows.place(200, 300) == std::optional<std::size_t>(0));
  CHECK(rows.place(-100, -10) == std::optional<std::size_t>(0));  // any order of calls
}

TEST_CASE("arrow heads sit on the dependent's circle and point along the edge") {
  const ArrowHead h = arrow_head(Vec2{0, 0}, Vec2{100, 0}, 10, 8, 0.5);
  CHECK(h.tip.x == doctest::Approx(90));
  CHECK(h.tip.y == doctest::Approx(0));
  CHECK(h.left.x < h.tip.x);
  CHECK(h.right.x < h.tip.x);
  CHECK(h.left.y == doctest::Approx(-h.right.y));  // symmetric about the edge
  CHECK(std::hypot(h.left.x - h.tip.x, h.left.y - h.tip.y) == doctest::Approx(8));
  const ArrowHead same = arrow_head(Vec2{5, 5}, Vec2{5, 5}, 3, 8, 0.5);
  CHECK(same.tip.x == 5);
  CHECK(same.left.x == 5);
}

TEST_CASE("a basemap frame keeps its aspect ratio: Belgium is wider than tall") {
  Basemap b;
  b.west = 2.5218, b.south = 49.4944, b.east = 6.3739, b.north = 51.4954;
  // 3.85 degrees of longitude at 50.5 N (x cos 50.5 = 2.45) over 2.0 degrees of latitude.
  CHECK(frame_aspect(b) == doctest::Approx(1.2247).epsilon(0.002));
  CHECK(frame_aspect(Basemap{}) == 1.0);
}
