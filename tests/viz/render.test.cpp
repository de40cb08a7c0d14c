// Rendering needs an X display: these tests obtain one through ensure_display() (a private Xvfb
// on a machine without DISPLAY). No Xvfb installed is a test failure, never a skip.
#include <doctest/doctest.h>

#include <SFML/Graphics/Image.hpp>
#include <dlfcn.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>
#include <vector>

#include "cyberdrill/viz.hpp"
#include "layout.hpp"
#include "palette.hpp"
#include "snapshot.hpp"
#include "views.hpp"
#include "viz_helpers.hpp"

using namespace cyberdrill;
using namespace cyberdrill::viz;
using namespace cyberdrill::literals;

namespace {

void require_display() {
  std::string why;
  REQUIRE_MESSAGE(ensure_display(&why), why);
}

sf::Image load_png(const std::filesystem::path& p) {
  sf::Image img;
  REQUIRE_MESSAGE(img.loadFromFile(p.string()), p.string());
  return img;
}

std::size_t distinct_colours(const sf::Image& img) {
  std::set<std::uint32_t> seen;
  for (unsigned y = 0; y < img.getSize().y; y += 7)
    for (unsigned x = 0; x < img.getSize().x; x += 7) seen.insert(img.getPixel(x, y).toInteger());
  return seen.size();
}

bool redish(sf::Color c) { return c.r > 140 && c.g < 80 && c.b < 80; }
bool greenish(sf::Color c) { return c.g > 120 && c.r < 80 && c.b > 80; }  // bluish green
bool greyish(sf::Color c) {
  return std::abs(int(c.r) - int(c.g)) < 12 && std::abs(int(c.g) - int(c.b)) < 12 && c.r > 150 && c.r < 230;
}

/// The pixel inside asset `a`'s circle, off its centre (clear of the outage cross).
sf::Color asset_pixel(const sf::Image& img, const MapGeometry& g, Index a) {
  const auto x = static_cast<unsigned>(g.centre[a].x);
  const auto y = static_cast<unsigned>(g.centre[a].y + 0.6 * g.radius[a]);
  return img.getPixel(x, y);
}

}  // namespace

TEST_CASE("a display is available: the DISPLAY given or a private Xvfb") {
  require_display();
  const char* d = std::getenv("DISPLAY");
  REQUIRE(d != nullptr);
  CHECK(std::string(d).rfind(':') != std::string::npos);
  std::string why;
  CHECK(ensure_display(&why));  // idempotent
}

// Sanitizer builds keep Mesa's DRI driver mapped (RTLD_NODELETE) so that LeakSanitizer, which
// checks at exit after the GL stack has dlclose'd the driver, still sees the driver's globals and
// can name its frames (viz/display.cpp, docs/reliability.md). Without ASan nothing is loaded.
#if defined(__SANITIZE_ADDRESS__)
#define CYBERDRILL_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CYBERDRILL_TEST_ASAN 1
#endif
#endif
TEST_CASE("a sanitizer build keeps the GL driver mapped after drawing, a normal build loads nothing extra") {
  require_display();
  testing::TempDir dir("driver");
  const RecordedRun run = testing::recorded(testing::tutorial_path(), dir.path);
  RenderOptions o;
  o.view = View::levels;
  o.width = 640;
  o.height = 480;
  render_png(run, o, dir.path / "levels.png");
  const std::string kept = gl_driver_kept_loaded();
#ifdef CYBERDRILL_TEST_ASAN
  REQUIRE_MESSAGE(!kept.empty(), "no Mesa DRI driver found to keep loaded (swrast_dri.so)");
  CHECK(kept.find("_dri.so") != std::string::npos);
  // Still mapped: RTLD_NOLOAD finds it without loading it again (and leaves it loaded).
  CHECK(::dlopen(kept.c_str(), RTLD_NOW | RTLD_NOLOAD) != nullptr);
#else
  CHECK(kept.empty());
#endif
}

TEST_CASE("the map at T+03:00 shows the failed power supply red where the layout put it") {
  require_display();
  testing::TempDir dir("map");
  const RecordedRun run = testing::recorded(testing::tutorial_path(), dir.path);
  RenderOptions o;
  o.view = View::map;
  o.at = SimTime::zero() + 3_h;
  render_png(run, o, dir.path / "map.png");
  const sf::Image img = load_png(dir.path / "map.png");
  CHECK(img.getSize().x == 1920);
  CHECK(img.getSize().y == 1080);
  CHECK(distinct_colours(img) > 50);
  const MapGeometry g = map_geometry(run.scenario, map_area(1920, 1080), 1.0);
  CHECK(redish(asset_pixel(img, g, 0)));  // power: out since T+1h
  CHECK(redish(asset_pixel(img, g, 1)));  // mobile: out since T+3h (battery ran out)
  // Before the attack the same pixel is green.
  o.at = SimTime::zero() + 30_min;
  render_png(run, o, dir.path / "before.png");
  const sf::Image before = load_png(dir.path / "before.png");
  CHECK(greenish(asset_pixel(before, g, 0)));
  // No temporary file is left beside the pictures.
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path)) files += e.is_regular_file();
  CHECK(files == 2);
}

TEST_CASE("known vs true: truth red on the left, the CSIRT's picture on the right") {
  require_display();
  testing::TempDir dir("kvt");
  const RecordedRun run = testing::recorded(testing::tutorial_path(), dir.path);
  const auto [left, right] = known_vs_true_areas(1920, 1080);
  const MapGeometry gl = map_geometry(run.scenario, left, 1.0);
  MapGeometry gr = gl;
  for (Vec2& c : gr.centre) c.x += right.x - left.x;
  const Index csirt = observer_org(run.scenario, run.result.records);
  for (const SimTime at : {SimTime::zero() + 1_h + 30_min, SimTime::zero() + 4_h}) {
    RenderOptions o;
    o.view = View::known_vs_true;
    o.at = at;
    render_png(run, o, dir.path / "kvt.png");
    const sf::Image img = load_png(dir.path / "kvt.png");
    CHECK(redish(asset_pixel(img, gl, 0)));
    const Snapshot s = snapshot_at(run.scenario, run.result.records, at, csirt);
    const sf::Color known = asset_pixel(img, gr, 0);
    if (!s.believed[0]) CHECK(greyish(known));
    else if (*s.believed[0] < 0.25) CHECK(redish(known));
    else if (*s.believed[0] > 0.99) CHECK(greenish(known));
  }
  // At T+1h30 the CSIRT has not heard of the blackout yet: the two panels differ.
  CHECK_FALSE(snapshot_at(run.scenario, run.result.records, SimTime::zero() + 1_h + 30_min, csirt).believed[0]);
}

TEST_CASE("levels, timeline and impact curves render at the requested size and are not blank") {
  require_display();
  testing::TempDir dir("charts");
  const RecordedRun run = testing::recorded(testing::tutorial_path(), dir.path);
  for (const View v : {View::levels, View::timeline, View::impact}) {
    RenderOptions o;
    o.view = v;
    o.width = 1280;
    o.height = 720;
    const auto file = dir.path / (std::string(view_name(v)) + ".png");
    render_png(run, o, file);
    const sf::Image img = load_png(file);
    CHECK(img.getSize().x == 1280);
    CHECK(img.getSize().y == 720);
    CHECK(distinct_colours(img) > 20);
  }
}

TEST_CASE("the after-action figures: four PNGs in a folder created on demand") {
  require_display();
  testing::TempDir dir("report");
  const RecordedRun run = testing::recorded(testing::tutorial_path(), dir.path);
  const auto out = dir.path / "figures" / "nested";
  const auto files = render_report_figures(run, out);
  REQUIRE(files.size() == 4);
  CHECK(files[0].filename() == "service-levels.png");
  CHECK(files[1].filename() == "cascade-peak.png");
  CHECK(files[2].filename() == "timeline.png");
  CHECK(files[3].filename() == "impact-curves.png");
  for (const auto& f : files) {
    CHECK(std::filesystem::exists(f));
    CHECK(load_png(f).getSize().x == 1920);
  }
  // The peak of the tutorial is when the mobile network's battery runs out (all three down).
  CHECK(peak_time(run) == SimTime::zero() + 3_h);
}

TEST_CASE("a size out of range is refused before anything is drawn") {
  testing::TempDir dir("size");
  const RecordedRun run = testing::recorded(testing::tutorial_path(), dir.path);
  RenderOptions o;
  o.width = 100;
  CHECK_THROWS_AS(render_png(run, o, dir.path / "x.png"), std::invalid_argument);
  CHECK_FALSE(std::filesystem::exists(dir.path / "x.png"));
}

TEST_CASE("view names round-trip") {
  for (const View v : {View::map, View::known_vs_true, View::levels, View::timeline, View::impact})
    CHECK(view_from_name(view_name(v)) == v);
  CHECK_FALSE(view_from_name("pie").has_value());
}

namespace {

/// Whether any pixel within `radius` of p satisfies `pred`.
template <class Pred>
bool any_near(const sf::Image& img, Vec2 p, int radius, Pred pred) {
  for (int dy = -radius; dy <= radius; ++dy)
    for (int dx = -radius; dx <= radius; ++dx) {
      const int x = static_cast<int>(p.x) + dx, y = static_cast<int>(p.y) + dy;
      if (x >= 0 && y >= 0 && x < static_cast<int>(img.getSize().x) && y < static_cast<int>(img.getSize().y) &&
          pred(img.getPixel(static_cast<unsigned>(x), static_cast<unsigned>(y))))
        return true;
    }
  return false;
}

}  // namespace

TEST_CASE("an edge from a failed supplier ends in a red arrow head at its dependent") {
  require_display();
  testing::TempDir dir("arrow");
  const RecordedRun run = testing::recorded(testing::tutorial_path(), dir.path);
  RenderOptions o;
  o.view = View::map;
  o.at = SimTime::zero() + 3_h;  // power (asset 0) is out
  render_png(run, o, dir.path / "map.png");
  const sf::Image img = load_png(dir.path / "map.png");
  const MapGeometry g = map_geometry(run.scenario, map_area(1920, 1080), 1.0);
  int checked = 0, red_heads = 0;
  for (std::size_t i = 0; i < run.scenario.assets.size(); ++i)
    for (const Dependency& d : run.scenario.assets[i].depends_on) {
      if (d.supplier != 0) continue;
      const ArrowHead h = arrow_head(g.centre[0], g.centre[i], g.radius[i] + 2.0, 11.0, 0.45);
      const Vec2 mid{(h.tip.x + h.left.x) / 2, (h.tip.y + h.left.y) / 2};
      CAPTURE(run.scenario.assets[i].id);
      red_heads += any_near(img, mid, 1, redish);  // a label plate may lie over one
      // The head is at the dependent's end: the same spot at the supplier's end has none.
      const ArrowHead back = arrow_head(g.centre[i], g.centre[0], g.radius[0] + 2.0, 11.0, 0.45);
      const Vec2 bmid{(back.tip.x + back.left.x) / 2, (back.tip.y + back.left.y) / 2};
      CHECK_FALSE(any_near(img, bmid, 0, redish));
      ++checked;
    }
  CHECK(checked >= 2);
  CHECK(red_heads >= 1);  // the tutorial: power -> mobile is clear of labels
}

TEST_CASE("the flagship map draws Belgium's outline from its basemap, in the frame's aspect ratio") {
  require_display();
  testing::TempDir dir("basemap");
  const RecordedRun run = testing::recorded(testing::flagship_path(), dir.path);
  REQUIRE(run.scenario.basemap.present());
  const Box area = map_area(1920, 1080);
  const MapGeometry g = map_geometry(run.scenario, area, 1.0);
  REQUIRE(g.geographic);
  REQUIRE(g.outline.size() == run.scenario.basemap.outline.size());
  // Aspect ratio: the outline's pixel box has the frame's width over height.
  double x0 = 1e9, x1 = -1e9, y0 = 1e9, y1 = -1e9;
  for (const Vec2& p : g.outline[0]) x0 = std::min(x0, p.x), x1 = std::max(x1, p.x), y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
  CHECK((x1 - x0) / (y1 - y0) == doctest::Approx(frame_aspect(run.scenario.basemap)).epsilon(0.02));
  CHECK(area.contains(Box{x0, y0, x1 - x0, y1 - y0}));
  RenderOptions o;
  o.view = View::map;
  o.at = peak_time(run);
  render_png(run, o, dir.path / "map.png");
  const sf::Image img = load_png(dir.path / "map.png");
  // The border: at the midpoints of the outline's segments farthest from any asset, the pixels
  // are the border's blue-grey, not the white panel.
  auto border = [](sf::Color c) { return c.b > c.r + 10 && c.r < 190; };
  std::vector<std::pair<double, Vec2>> mids;
  const auto& ring = g.outline[0];
  for (std::size_t k = 0; k < ring.size(); ++k) {
    const Vec2 m{(ring[k].x + ring[(k + 1) % ring.size()].x) / 2, (ring[k].y + ring[(k + 1) % ring.size()].y) / 2};
    double nearest = 1e9;
    for (std::size_t i = 0; i < g.centre.size(); ++i)
      nearest = std::min(nearest, std::hypot(m.x - g.centre[i].x, m.y - g.centre[i].y) - g.radius[i]);
    mids.push_back({nearest, m});
  }
  std::sort(mids.begin(), mids.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  int on_border = 0;
  for (std::size_t k = 0; k < 10; ++k) on_border += any_near(img, mids[k].second, 1, border);
  CHECK(on_border >= 8);  // a label plate may cover one or two
  CHECK_FALSE(border(img.getPixel(static_cast<unsigned>(area.x + 4), static_cast<unsigned>(area.y + 4))));
}

namespace {

double segment_distance(Vec2 p, Vec2 a, Vec2 b) {
  const double dx = b.x - a.x, dy = b.y - a.y, l2 = dx * dx + dy * dy;
  const double t = l2 > 0 ? std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / l2, 0.0, 1.0) : 0.0;
  return std::hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/// Midpoints of province boundary segments inside the country (>= 14 px from its border), clear
/// of the dependency edges (>= 4 px) and of the label plates drawn (`labels`, draw_map's), the
/// `count` farthest from any asset's circle.
std::vector<Vec2> inner_province_points(const Scenario& sc, const MapGeometry& g, const std::vector<Box>& labels,
                                        std::size_t count) {
  std::vector<std::pair<double, Vec2>> mids;
  for (const auto& ring : g.provinces)
    for (std::size_t k = 0; k < ring.size(); ++k) {
      const Vec2 a = ring[k], b = ring[(k + 1) % ring.size()];
      if (std::hypot(b.x - a.x, b.y - a.y) < 6) continue;  // too short to aim at
      const Vec2 m{(a.x + b.x) / 2, (a.y + b.y) / 2};
      double to_border = 1e9;
      for (const auto& o : g.outline)
        for (std::size_t j = 0; j < o.size(); ++j) to_border = std::min(to_border, segment_distance(m, o[j], o[(j + 1) % o.size()]));
      if (to_border < 14) continue;
      double to_edge = 1e9;
      for (std::size_t i = 0; i < sc.assets.size(); ++i)
        for (const Dependency& d : sc.assets[i].depends_on)
          if (d.supplier < g.centre.size()) to_edge = std::min(to_edge, segment_distance(m, g.centre[d.supplier], g.centre[i]));
      if (to_edge < 4) continue;
      if (std::any_of(labels.begin(), labels.end(), [&](const Box& plate) { return plate.intersects(Box{m.x - 3, m.y - 3, 6, 6}); }))
        continue;
      double nearest = 1e9;
      for (std::size_t i = 0; i < g.centre.size(); ++i)
        nearest = std::min(nearest, std::hypot(m.x - g.centre[i].x, m.y - g.centre[i].y) - g.radius[i]);
      mids.push_back({nearest, m});
    }
  std::sort(mids.begin(), mids.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<Vec2> out;
  for (std::size_t k = 0; k < std::min(count, mids.size()); ++k) out.push_back(mids[k].second);
  return out;
}

bool province_line(sf::Color c) {
  const Rgb p = colours::province;
  return std::abs(int(c.r) - p.r) <= 16 && std::abs(int(c.g) - p.g) <= 16 && std::abs(int(c.b) - p.b) <= 16;
}
bool border_line(sf::Color c) { return c.b > c.r + 10 && c.r < 150; }

}  // namespace

namespace {

/// A map view of `run` at `at`, drawn to a PNG and read back, with the label and credit boxes the
/// view reports for the same moment.
struct DrawnMap {
  sf::Image img;
  std::vector<Box> boxes;
};
DrawnMap drawn_map(const RecordedRun& run, View view, SimTime at, const std::filesystem::path& png) {
  RenderOptions o;
  o.view = view;
  o.at = at;
  render_png(run, o, png);
  DrawnMap d{load_png(png), {}};
  Canvas cv(1920, 1080);
  draw_map(cv, run, at, view == View::known_vs_true, &d.boxes);
  return d;
}

}  // namespace

TEST_CASE("the flagship map draws the provinces' boundaries from the basemap, thin, inside the border") {
  require_display();
  testing::TempDir dir("provinces");
  const RecordedRun run = testing::recorded(testing::flagship_path(), dir.path);
  const Basemap& b = run.scenario.basemap;
  REQUIRE(b.provinces.size() == 11);  // Belgium: ten provinces and the Brussels-Capital Region
  CHECK_FALSE(b.provinces_source.empty());
  CHECK_FALSE(b.provinces_licence.empty());
  const Box area = map_area(1920, 1080);
  const MapGeometry g = map_geometry(run.scenario, area, 1.0);
  std::size_t rings = 0;
  for (const auto& p : b.provinces) rings += p.outline.size();
  REQUIRE(g.provinces.size() == rings);
  // Every province point lies within the border's pixel box (same projection as the outline).
  double x0 = 1e9, x1 = -1e9, y0 = 1e9, y1 = -1e9;
  for (const Vec2& p : g.outline[0]) x0 = std::min(x0, p.x), x1 = std::max(x1, p.x), y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
  for (const auto& ring : g.provinces)
    for (const Vec2& p : ring) {
      CHECK(p.x >= x0 - 3);
      CHECK(p.x <= x1 + 3);
      CHECK(p.y >= y0 - 3);
      CHECK(p.y <= y1 + 3);
    }
  const auto [img, labels] = drawn_map(run, View::map, peak_time(run), dir.path / "map.png");
  // Between two provinces, away from the border and the assets, the line has the province colour.
  const std::vector<Vec2> pts = inner_province_points(run.scenario, g, labels, 12);
  REQUIRE(pts.size() == 12);
  int on_line = 0, off_line = 0;
  for (const Vec2& p : pts) {
    on_line += any_near(img, p, 1, province_line);
    // 6 px to the side (perpendicular to nothing in particular): the plain panel, mostly.
    off_line += any_near(img, Vec2{p.x + 6, p.y + 6}, 0, province_line);
  }
  CHECK(on_line >= 10);  // an edge or a label plate may cross one or two
  CHECK(off_line <= 3);  // the line is thin, not a fill
}

TEST_CASE("known vs true: the border and the provinces are drawn under the known picture too") {
  require_display();
  testing::TempDir dir("kvt-basemap");
  const RecordedRun run = testing::recorded(testing::flagship_path(), dir.path);
  const auto [left, right] = known_vs_true_areas(1920, 1080);
  const MapGeometry gl = map_geometry(run.scenario, left, 1.0);
  const auto [img, labels] = drawn_map(run, View::known_vs_true, peak_time(run), dir.path / "kvt.png");
  const double shift = right.x - left.x;
  const std::vector<Vec2> pts = inner_province_points(run.scenario, gl, labels, 10);
  REQUIRE(pts.size() == 10);
  int left_hits = 0, right_hits = 0;
  for (const Vec2& p : pts) {
    left_hits += any_near(img, p, 1, province_line);
    right_hits += any_near(img, Vec2{p.x + shift, p.y}, 1, province_line);
  }
  CHECK(left_hits >= 8);
  CHECK(right_hits >= 8);
  // The border: the outline's vertices farthest from the assets, in the right-hand panel.
  std::vector<std::pair<double, Vec2>> verts;
  for (const Vec2& p : gl.outline[0]) {
    double nearest = 1e9;
    for (std::size_t i = 0; i < gl.centre.size(); ++i)
      nearest = std::min(nearest, std::hypot(p.x - gl.centre[i].x, p.y - gl.centre[i].y) - gl.radius[i]);
    verts.push_back({nearest, Vec2{p.x + shift, p.y}});
  }
  std::sort(verts.begin(), verts.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  int border_hits = 0;
  for (std::size_t k = 0; k < 10; ++k) border_hits += any_near(img, verts[k].second, 1, border_line);
  CHECK(border_hits >= 8);
}

TEST_CASE("known vs true credits the basemap's sources once, on the left panel's bottom lines") {
  require_display();
  testing::TempDir dir("kvt-credits");
  const RecordedRun run = testing::recorded(testing::flagship_path(), dir.path);
  REQUIRE_FALSE(run.scenario.basemap.provinces.empty());
  const auto [left, right] = known_vs_true_areas(1920, 1080);
  const auto [img, boxes] = drawn_map(run, View::known_vs_true, peak_time(run), dir.path / "kvt.png");
  // The two credit lines (outline, provinces): inside the left panel's bottom 46 px, none in the right.
  std::vector<Box> credits;
  for (const Box& b : boxes) {
    if (b.y >= left.bottom() - 46 && left.contains(b)) credits.push_back(b);
    CHECK_FALSE((b.y >= right.bottom() - 46 && right.contains(b) && b.x < right.x + 10));
  }
  REQUIRE(credits.size() == 2);
  CHECK(credits[0].w > 300);  // a sentence, not a stub
  // Text is drawn there: dark pixels on the white panel inside each credit's box.
  for (const Box& b : credits) {
    int ink = 0;
    for (auto y = static_cast<unsigned>(b.y); y < static_cast<unsigned>(b.bottom()); ++y)
      for (auto x = static_cast<unsigned>(b.x); x < static_cast<unsigned>(b.right()); ++x) {
        const sf::Color c = img.getPixel(x, y);
        ink += c.r + c.g + c.b < 3 * 200;
      }
    CHECK(ink > 100);
  }
}

TEST_CASE("no two labels drawn on the flagship map overlap at 1920x1080, at any moment") {
  require_display();
  testing::TempDir dir("labels");
  const RecordedRun run = testing::recorded(testing::flagship_path(), dir.path);
  const SimTime end = SimTime::zero() + run.scenario.metadata.duration;
  std::size_t most = 0;
  for (const bool kvt : {false, true})
    for (const SimTime at : {SimTime::zero(), SimTime::zero() + 1_h, peak_time(run), SimTime::zero() + 12_h, end}) {
      Canvas cv(1920, 1080);
      std::vector<Box> boxes;
      draw_map(cv, run, at, kvt, &boxes);
      CAPTURE(kvt);
      CAPTURE(at.us());
      most = std::max(most, boxes.size());
      CHECK(boxes.size() >= 8);
      const Box frame{0, 0, 1920, 1080};
      for (std::size_t i = 0; i < boxes.size(); ++i) {
        CHECK(frame.contains(boxes[i]));
        for (std::size_t j = i + 1; j < boxes.size(); ++j) {
          CAPTURE(i);
          CAPTURE(j);
          CHECK_FALSE(boxes[i].intersects(boxes[j]));
        }
      }
    }
  CHECK(most >= 12);  // the single map wants 20 asset labels and two data credits
}

TEST_CASE("a generated 10^4-asset world is drawn as wheels of sector glyphs per area, not 10^4 dots") {
  require_display();
  testing::TempDir dir("grouped");
  const auto scenario = dir.path / "gen10k.json";
  const std::string cmd = std::string("\"") + CYBERDRILL_EXE + "\" generate --assets 10000 --seed 1 -o \"" +
                          scenario.string() + "\" 2>/dev/null";
  REQUIRE(std::system(cmd.c_str()) == 0);
  const RecordedRun run = testing::recorded(scenario, dir.path);
  const Scenario& sc = run.scenario;
  REQUIRE(sc.assets.size() > kGroupAssetsAbove);
  const Box area = map_area(1920, 1080);
  const MapGeometry g = map_geometry(sc, area, 1.0);
  const SectorWheels w = sector_groups(sc, g, 1.0);
  // Every asset in exactly one group; one group per (area, sector) present; a few hundred glyphs.
  std::vector<int> seen(sc.assets.size(), 0);
  std::set<std::pair<Index, Index>> keys;
  for (const SectorGroup& grp : w.groups) {
    CHECK(keys.insert({grp.area, grp.sector}).second);
    for (const Index i : grp.members) {
      ++seen[i];
      if (!sc.assets[i].serves.empty()) CHECK(sc.assets[i].serves.front().area == grp.area);
      CHECK(sc.assets[i].sector == grp.sector);
    }
  }
  CHECK(std::all_of(seen.begin(), seen.end(), [](int k) { return k == 1; }));
  CHECK(w.groups.size() <= sc.areas.size() * sc.sectors.size());
  CHECK(w.groups.size() >= sc.areas.size());
  // Readable: no two glyphs overlap, all inside the map panel, none smaller than 4 px across.
  for (std::size_t a = 0; a < w.groups.size(); ++a) {
    const SectorGroup& p = w.groups[a];
    CHECK(area.contains(Box{p.centre.x - p.radius, p.centre.y - p.radius, 2 * p.radius, 2 * p.radius}));
    CHECK(p.radius >= 2.0);
    for (std::size_t b = a + 1; b < w.groups.size(); ++b) {
      const SectorGroup& q = w.groups[b];
      CHECK(std::hypot(p.centre.x - q.centre.x, p.centre.y - q.centre.y) >= p.radius + q.radius);
    }
  }
  // The PNG: each glyph is filled with the level colour (all at full service at T+0).
  RenderOptions o;
  o.view = View::map;
  o.at = SimTime::zero();
  render_png(run, o, dir.path / "map.png");
  const sf::Image img = load_png(dir.path / "map.png");
  int filled = 0, big = 0;
  for (const SectorGroup& grp : w.groups) {
    if (grp.radius < 6) continue;
    ++big;
    filled += greenish(img.getPixel(static_cast<unsigned>(grp.centre.x), static_cast<unsigned>(grp.centre.y + 0.7 * grp.radius)));
  }
  CHECK(big >= static_cast<int>(w.groups.size()) / 2);
  CHECK(filled == big);
  // Between two wheels (a point no glyph covers), the panel stays white: no carpet of dots.
  int blank = 0, probes = 0;
  for (std::size_t a = 0; a + 1 < w.area_centre.size(); ++a) {
    if (!w.area_used[a] || !w.area_used[a + 1]) continue;
    const Vec2 m{(w.area_centre[a].x + w.area_centre[a + 1].x) / 2, (w.area_centre[a].y + w.area_centre[a + 1].y) / 2};
    const bool covered = std::any_of(w.groups.begin(), w.groups.end(), [&](const SectorGroup& grp) {
      return std::hypot(m.x - grp.centre.x, m.y - grp.centre.y) < grp.radius + 3;
    });
    if (covered) continue;
    ++probes;
    const sf::Color c = img.getPixel(static_cast<unsigned>(m.x), static_cast<unsigned>(m.y));
    blank += c.r > 240 && c.g > 240 && c.b > 240;
  }
  CHECK(probes >= 5);
  CHECK(blank >= probes - 1);
}
