// The cascade map: assets as circles sized by population and coloured by service level, over
// their dependency edges, with the most important assets labelled without overlap.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <numeric>

#include "cyberdrill/impact.hpp"
#include "layout.hpp"
#include "snapshot.hpp"
#include "timeline.hpp"
#include "views.hpp"

namespace cyberdrill::viz {
namespace {

sf::Vector2f v(Vec2 p) { return {static_cast<float>(p.x), static_cast<float>(p.y)}; }

/// Assets worth a label at this moment, most important first: affected or attacked assets by
/// population affected (then population), then the others by population.
std::vector<std::size_t> label_order(const Scenario& sc, const Snapshot& s, std::size_t count) {
  std::vector<std::size_t> idx(sc.assets.size());
  std::iota(idx.begin(), idx.end(), 0);
  auto key = [&](std::size_t i) {
    const bool hot = s.level[i] < kFullService || s.compromised[i] || s.contained[i];
    const double pop = people_served(sc, static_cast<Index>(i));
    return std::make_tuple(hot ? 1 : 0, pop * (1 - s.level[i]), pop, s.compromised[i]);
  };
  std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return key(a) > key(b); });
  if (idx.size() > count) idx.resize(count);
  return idx;
}

enum class PanelMode { truth, known };

/// The grouped map (more than kGroupAssetsAbove assets): per area a wheel of sector glyphs
/// (sector_groups()), each sized by its number of assets, filled by their mean service level in
/// this view (unknown where none is known), crossed when at least half are out, ringed purple
/// when any is compromised (truth only), with its count inside when it fits; the area's name in
/// the middle of its wheel.
void draw_groups(Canvas& cv, const Scenario& sc, const Snapshot& s, const MapGeometry& g, bool known) {
  const float u = cv.u();
  const SectorWheels w = sector_groups(sc, g, u);
  for (const SectorGroup& grp : w.groups) {
    double sum = 0;
    std::size_t seen = 0, out = 0, compromised = 0;
    for (const Index i : grp.members) {
      const std::optional<double> l = known ? s.believed[i] : std::optional<double>(s.level[i]);
      if (l) sum += *l, ++seen, out += *l < 0.5;
      compromised += !known && s.compromised[i] != 0;
    }
    const std::optional<double> mean = seen > 0 ? std::optional<double>(sum / static_cast<double>(seen)) : std::nullopt;
    const sf::Vector2f c = v(grp.centre);
    const auto r = static_cast<float>(grp.radius);
    if (compromised > 0) cv.circle(c, r + 3 * u, colours::panel, colours::compromised, 2.5f * u);
    cv.circle(c, r, level_colour(mean), Rgb{255, 255, 255, 230}, std::max(1.0f, 1.0f * u));
    if (seen > 0 && out * 2 >= seen && r >= 6 * u) {
      const float a = r * 0.45f, t = std::max(1.5f, r * 0.14f);
      cv.line({c.x - a, c.y - a}, {c.x + a, c.y + a}, t, Rgb{255, 255, 255, 235});
      cv.line({c.x - a, c.y + a}, {c.x + a, c.y - a}, t, Rgb{255, 255, 255, 235});
    } else if (r >= 11 * u) {
      const std::string count = std::to_string(grp.members.size());
      const float fs = std::min(13 * u, r * 0.9f);
      if (cv.measure(count, fs, true).x <= 1.8f * r)
        cv.text(count, c.x, c.y - fs * 0.62f, fs, colours::text, true, Align::centre);
    }
  }
  const auto name_w = static_cast<float>(2 * (w.wheel_radius - w.glyph_max) - 2 * u);
  for (std::size_t a = 0; a < w.area_used.size(); ++a) {
    if (!w.area_used[a] || name_w < 20 * u) continue;
    const std::string name = short_name(sc.areas[a].name, sc.areas[a].id);
    const float fs = 12 * u;
    cv.text(name, static_cast<float>(w.area_centre[a].x), static_cast<float>(w.area_centre[a].y) - fs * 0.62f, fs,
            colours::muted, false, Align::centre, name_w);
  }
}

/// The key to the wheels of the grouped map: a sample wheel with the sector names around it.
float draw_wheel_key(Canvas& cv, const Scenario& sc, float x, float y, float width) {
  const float u = cv.u();
  cv.text("Grouped by area and sector", x, y, 17 * u, colours::muted, true);
  y += 24 * u;
  cv.text("one wheel per area (named inside), one glyph per sector,", x, y, 14 * u, colours::muted, false, Align::left,
          width);
  cv.text("sized by its assets, coloured by their mean level", x, y + 18 * u, 14 * u, colours::muted, false, Align::left,
          width);
  y += 42 * u;
  const std::size_t slots = std::max<std::size_t>(sc.sectors.size() + 1, 3);
  const float R = 72 * u, r = 8 * u;
  const sf::Vector2f c(x + width / 2, y + R + 16 * u);
  for (std::size_t k = 0; k < sc.sectors.size(); ++k) {
    const double ang = -std::numbers::pi / 2 + 2 * std::numbers::pi * static_cast<double>(k) / static_cast<double>(slots);
    const sf::Vector2f p(c.x + R * static_cast<float>(std::cos(ang)), c.y + R * static_cast<float>(std::sin(ang)));
    cv.circle(p, r, level_colour(1.0));
    const bool right = std::cos(ang) > 0.2, left = std::cos(ang) < -0.2;
    const float tx = p.x + (right ? r + 4 * u : left ? -r - 4 * u : 0);
    const float ty = p.y - 8 * u + (std::abs(std::cos(ang)) <= 0.2 ? (std::sin(ang) < 0 ? -14 * u : 14 * u) : 0);
    cv.text(short_name(sc.sectors[k].name, sc.sectors[k].id), tx, ty, 13 * u, colours::text, false,
            right ? Align::left : left ? Align::right : Align::centre, width / 2 - R - r - 8 * u);
  }
  return c.y + R + 30 * u;
}

struct Labels {
  std::vector<std::size_t> asset;
  std::vector<std::string> text;
  std::vector<std::optional<PlacedLabel>> placed;
};

Labels layout_labels(Canvas& cv, const Scenario& sc, const Snapshot& s, const MapGeometry& g, const Box& area,
                     std::size_t count, float size) {
  Labels L;
  L.asset = label_order(sc, s, count);
  std::vector<Circle> circles(sc.assets.size());
  for (std::size_t i = 0; i < circles.size(); ++i) {
    // Covering an affected or attacked asset hides the story: much costlier than a green one.
    const bool hot = s.level[i] < kFullService || s.compromised[i] || s.contained[i];
    circles[i] = Circle{g.centre[i], g.radius[i] + 1.5 * cv.u(), hot ? 8.0 : 1.0};
  }
  std::vector<LabelRequest> req;
  const float pad = 5 * cv.u();
  for (const std::size_t a : L.asset) {
    L.text.push_back(cv.clip(short_name(sc.assets[a].name, sc.assets[a].id), size, false, 300 * cv.u()));
    const sf::Vector2f m = cv.measure(L.text.back(), size);
    req.push_back(LabelRequest{a, m.x + 2 * pad, size * 1.25 + 2});
  }
  L.placed = place_labels(req, circles, area);
  return L;
}

void draw_panel(Canvas& cv, const Scenario& sc, const Snapshot& s, const MapGeometry& g, const Labels& L,
                PanelMode mode, float label_size) {
  const float u = cv.u();
  const std::size_t n = sc.assets.size();
  auto shown_level = [&](std::size_t i) -> std::optional<double> {
    if (mode == PanelMode::truth) return s.level[i];
    return s.believed[i];
  };
  // The country under everything: its provinces as thin lines, then its border as a soft band
  // with a crisp line on it.
  for (const std::vector<Vec2>& ring : g.provinces)
    for (std::size_t k = 0; k < ring.size(); ++k)
      cv.line(v(ring[k]), v(ring[(k + 1) % ring.size()]), std::max(1.0f, 1.2f * u), colours::province);
  for (const std::vector<Vec2>& ring : g.outline)
    for (std::size_t k = 0; k < ring.size(); ++k) {
      const Vec2 a = ring[k], b = ring[(k + 1) % ring.size()];
      cv.line(v(a), v(b), 7.0f * u, colours::land_halo);
      cv.line(v(a), v(b), 1.6f * u, colours::border);
    }
  if (n > kGroupAssetsAbove) {
    draw_groups(cv, sc, s, g, mode == PanelMode::known);
    return;
  }
  // Edges: light, reddish where the supplier is out (in this panel's view), with an arrow head
  // at the dependent asset (dependence flows from supplier to dependent); heads only up to 600
  // assets, beyond that they would be noise.
  const float edge_w = std::max(1.0f, 1.1f * u);
  const bool heads = n <= 600;
  for (std::size_t i = 0; i < n; ++i)
    for (const Dependency& d : sc.assets[i].depends_on) {
      if (d.supplier >= n) continue;
      const std::optional<double> sl = shown_level(d.supplier);
      const bool down = sl && *sl < 0.5;
      const float w = down ? edge_w * 1.6f : edge_w;
      const Rgb c = down ? colours::edge_down : colours::edge;
      cv.line(v(g.centre[d.supplier]), v(g.centre[i]), w, c);
      if (!heads) continue;
      const ArrowHead h = arrow_head(g.centre[d.supplier], g.centre[i], g.radius[i] + 2.0 * u, (down ? 11.0 : 8.0) * u, 0.45);
      const Rgb hc = down ? Rgb{200, 60, 60, 235} : Rgb{120, 126, 138, 170};
      cv.line(v(h.tip), v(h.left), w * 1.4f, hc);
      cv.line(v(h.tip), v(h.right), w * 1.4f, hc);
    }
  // Circles: large first so small ones stay visible on top.
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return g.radius[a] > g.radius[b]; });
  for (const std::size_t i : order) {
    const sf::Vector2f c = v(g.centre[i]);
    const float r = static_cast<float>(g.radius[i]);
    const std::optional<double> lvl = shown_level(i);
    float ring = r;
    const bool contained = s.contained[i] != 0;
    const bool compromised = mode == PanelMode::truth && s.compromised[i] != 0;
    if (contained) {
      ring += 3.0f * u;
      cv.circle(c, ring, colours::panel, colours::contained, 3.0f * u);
    }
    if (compromised) {
      const float cr = r + (contained ? 0.5f : 3.0f) * u;
      cv.circle(c, cr, colours::panel, colours::compromised, 3.0f * u);
    }
    cv.circle(c, r, level_colour(lvl), Rgb{255, 255, 255, 230}, std::max(1.0f, 1.2f * u));
    // Redundant, colour-free cue for an outage: a white cross.
    if (lvl && *lvl < 0.5 && r >= 6 * u) {
      const float a = r * 0.45f;
      const float t = std::max(1.5f, r * 0.16f);
      cv.line({c.x - a, c.y - a}, {c.x + a, c.y + a}, t, Rgb{255, 255, 255, 235});
      cv.line({c.x - a, c.y + a}, {c.x + a, c.y - a}, t, Rgb{255, 255, 255, 235});
    }
  }
  // Labels on a light plate, with a leader line when placed away from the circle.
  const float pad = 5 * u;
  for (std::size_t k = 0; k < L.asset.size(); ++k) {
    if (!L.placed[k]) continue;
    const PlacedLabel& p = *L.placed[k];
    const std::size_t a = L.asset[k];
    if (p.leader) {
      const sf::Vector2f c = v(g.centre[a]);
      const sf::Vector2f b(static_cast<float>(std::clamp(c.x * 1.0, p.box.x, p.box.right())),
                           static_cast<float>(std::clamp(c.y * 1.0, p.box.y, p.box.bottom())));
      cv.line(c, b, std::max(1.0f, 1.2f * u), colours::axis);
    }
    cv.rect(static_cast<float>(p.box.x), static_cast<float>(p.box.y), static_cast<float>(p.box.w),
            static_cast<float>(p.box.h), Rgb{255, 255, 255, 205}, Rgb{200, 202, 206, 255}, 1.0f);
    cv.text(L.text[k], static_cast<float>(p.box.x) + pad, static_cast<float>(p.box.y) + 1, label_size, colours::text);
  }
}

/// The colour ramp, outline, size and edge legend, laid out top-down from (x, y) in `width`.
float draw_legend(Canvas& cv, float x, float y, float width, const MapGeometry& g, bool with_unknown,
                  bool horizontal, std::size_t unlabelled) {
  const float u = cv.u();
  const float fs = 17 * u;
  float cx = x, cy = y;
  // Ramp.
  cv.text("Service level", cx, cy, fs, colours::muted, true);
  cy += 26 * u;
  const float rw = horizontal ? 230 * u : width - 10 * u, rh = 16 * u;
  for (int i = 0; i < 100; ++i) {
    const float fx = cx + rw * static_cast<float>(i) / 100.f;
    cv.rect(fx, cy, rw / 100.f + 0.6f, rh, level_colour(static_cast<double>(i) / 99.0));
  }
  for (const double t : {0.0, 0.5, 1.0}) {
    const float fx = cx + rw * static_cast<float>(t);
    cv.line({fx, cy + rh}, {fx, cy + rh + 5 * u}, 1.2f * u, colours::axis);
    cv.text(std::to_string(static_cast<int>(t * 100)) + "%", fx, cy + rh + 5 * u, 15 * u, colours::muted, false,
            t == 0 ? Align::left : t == 1 ? Align::right : Align::centre);
  }
  cy += rh + 30 * u;
  // Outlines and markers.
  struct Item {
    int kind;
    std::string text;
  };
  std::vector<Item> items = {{0, "out of service (< 50%)"}, {1, "compromised by the attacker"},
                             {2, "contained by the response"}};
  if (with_unknown) items.push_back({3, "not known to the organisation"});
  items.push_back({4, "supplier \u2192 dependent (supplier out)"});
  float col = 0;
  if (horizontal) {
    cx = x + rw + 50 * u;
    cy = y;
  }
  for (std::size_t k = 0; k < items.size(); ++k) {
    const float r = 9 * u;
    const sf::Vector2f c(cx + col + r + 3 * u, cy + 11 * u);
    switch (items[k].kind) {
      case 0:
        cv.circle(c, r, level_colour(0.0));
        cv.line({c.x - r * .45f, c.y - r * .45f}, {c.x + r * .45f, c.y + r * .45f}, 2 * u, Rgb{255, 255, 255});
        cv.line({c.x - r * .45f, c.y + r * .45f}, {c.x + r * .45f, c.y - r * .45f}, 2 * u, Rgb{255, 255, 255});
        break;
      case 1:
        cv.circle(c, r + 3 * u, colours::panel, colours::compromised, 3 * u);
        cv.circle(c, r, level_colour(1.0));
        break;
      case 2:
        cv.circle(c, r + 3 * u, colours::panel, colours::contained, 3 * u);
        cv.circle(c, r, level_colour(1.0));
        break;
      case 3:
        cv.circle(c, r, level_colour(std::nullopt));
        break;
      default: {
        const sf::Vector2f a(c.x - r - 3 * u, c.y), b(c.x + r + 3 * u, c.y);
        cv.line(a, b, 2.2f * u, colours::edge_down);
        const ArrowHead h = arrow_head(Vec2{a.x, a.y}, Vec2{b.x, b.y}, 0, 9.0 * u, 0.45);
        cv.line(v(h.tip), v(h.left), 2.6f * u, colours::edge_down);
        cv.line(v(h.tip), v(h.right), 2.6f * u, colours::edge_down);
        break;
      }
    }
    cv.text(items[k].text, cx + col + 2 * r + 14 * u, cy, fs, colours::text, false, Align::left,
            horizontal ? 330 * u : width - 40 * u);
    if (horizontal && k % 2 == 1) {
      col += 380 * u;
      cy = y;
    } else {
      cy += 30 * u;
    }
  }
  if (horizontal) {
    cx = x + rw + 50 * u + col + 380 * u;
    cy = y;
  } else {
    cy += 10 * u;
  }
  // Sizes.
  if (g.max_population > 0) {
    cv.text("People served", cx, cy, fs, colours::muted, true);
    cy += 24 * u;
    float sx = cx;
    // Round numbers: the largest power of ten not above the maximum, and two decades below.
    const double top = std::pow(10.0, std::floor(std::log10(static_cast<double>(g.max_population))));
    for (const double pop : {top / 100, top / 10, top}) {
      if (pop < 1) continue;
      const float r = static_cast<float>(
          population_radius(static_cast<std::uint64_t>(pop), g.max_population, g.r_min, g.r_max));
      const std::string label = format_people(pop);
      const float tw = cv.measure(label, 14 * u).x;
      const float slot = std::max(2 * r, tw);
      cv.circle({sx + slot / 2, cy + static_cast<float>(g.r_max) * 2 - r}, r, Rgb{0, 0, 0, 0}, colours::axis, 1.5f * u);
      cv.text(label, sx + slot / 2, cy + 2 * static_cast<float>(g.r_max) + 4 * u, 14 * u, colours::muted, false,
              Align::centre);
      sx += slot + 22 * u;
    }
    cy += 2 * static_cast<float>(g.r_max) + 28 * u;
  }
  // Labels the placer could not fit without covering another: said, not hidden.
  if (unlabelled > 0)
    cv.text(std::to_string(unlabelled) + (unlabelled == 1 ? " label" : " labels") + " left out (no room)", cx, cy, 15 * u,
            colours::muted, false, Align::left, horizontal ? 330 * u : width);
  return cy;
}

/// Labels wanted but not placed.
std::size_t dropped(const Labels& L) {
  return static_cast<std::size_t>(std::count_if(L.placed.begin(), L.placed.end(), [](const auto& p) { return !p; }));
}

void report_boxes(const Labels& L, std::vector<Box>* out) {
  if (out == nullptr) return;
  for (const auto& p : L.placed)
    if (p) out->push_back(p->box);
}

/// Height the basemap's data credits take at the bottom of a map panel (none without a basemap).
float credit_height(const Scenario& sc, const MapGeometry& g, float u) {
  if (!g.geographic) return 0.0f;
  const float lines = sc.basemap.provinces.empty() ? 1.0f : 2.0f;
  return lines * 18 * u + 6 * u;
}

/// The basemap's sources and licences, on the panel's bottom lines (the outline, then the
/// provinces); their boxes join the drawn labels so the non-overlap check covers them.
void draw_credits(Canvas& cv, const Scenario& sc, const MapGeometry& g, const Box& area, std::vector<Box>* drawn) {
  if (!g.geographic) return;
  const float u = cv.u();
  auto credit = [&](const std::string& text, float line) {
    const sf::FloatRect r = cv.text(text, static_cast<float>(area.x) + 8 * u,
                                    static_cast<float>(area.bottom()) - (4 + 18 * line) * u, 13 * u, colours::muted,
                                    false, Align::left, static_cast<float>(area.w) - 16 * u);
    if (drawn != nullptr) drawn->push_back(Box{r.left, r.top, r.width, r.height});
  };
  credit("Outline: " + sc.basemap.source + " (" + sc.basemap.licence + ")", 1);
  if (!sc.basemap.provinces.empty())
    credit("Provinces: " + sc.basemap.provinces_source + " (" + sc.basemap.provinces_licence + ")", 2);
}

}  // namespace

void draw_map(Canvas& cv, const RecordedRun& run, SimTime at, bool known_vs_true, std::vector<Box>* drawn_labels) {
  const Scenario& sc = run.scenario;
  const float u = cv.u();
  const float m = 48 * u;
  const Index observer = observer_org(sc, run.result.records);
  const Snapshot s = snapshot_at(sc, run.result.records, at, observer);
  const std::string org_name = observer < sc.organisations.size() ? sc.organisations[observer].name : "no organisation";
  const std::string level_name =
      s.escalation < sc.plan.levels.size() ? sc.plan.levels[s.escalation].name : std::string("baseline");

  std::string title = sc.metadata.name.empty() ? std::string("Cascade") : sc.metadata.name;
  const float top = cv.header(title,
                              std::string(known_vs_true ? "Known vs true" : "Cascade map") + "  \u00b7  " +
                                  run_subtitle(run),
                              clock_label(at));
  const float label_size = 17 * u;

  if (!known_vs_true) {
    (void)top;
    const Box area = map_area(cv.width(), cv.height());
    cv.rect(static_cast<float>(area.x), static_cast<float>(area.y), static_cast<float>(area.w),
            static_cast<float>(area.h), colours::panel, colours::grid, 1.0f);
    const MapGeometry g = map_geometry(sc, area, u);
    // The data credits take the panel's bottom lines; labels stay above them.
    Box label_area = area;
    label_area.h -= credit_height(sc, g, u);
    const bool grouped = sc.assets.size() > kGroupAssetsAbove;  // areas named in their wheels instead
    const Labels L = layout_labels(cv, sc, s, g, label_area, grouped ? 0 : 20, label_size);
    draw_panel(cv, sc, s, g, L, PanelMode::truth, label_size);
    report_boxes(L, drawn_labels);
    draw_credits(cv, sc, g, area, drawn_labels);
    // Sidebar: the moment in numbers, then the legend.
    const float x = static_cast<float>(area.right()) + 36 * u;
    const float w = cv.width() - m - x;
    float y = top + 14 * u;
    auto stat = [&](const std::string& label, const std::string& value, Rgb colour = colours::text) {
      cv.text(label, x, y, 17 * u, colours::muted, false, Align::left, w);
      // Long values (a plan level's name) step down in size before they are clipped.
      float fs = 27 * u;
      while (fs > 19 * u && cv.measure(value, fs, true).x > w) fs -= 2 * u;
      cv.text(value, x, y + 22 * u + (27 * u - fs) * 0.6f, fs, colour, true, Align::left, w);
      y += 66 * u;
    };
    std::size_t compromised = 0, contained = 0;
    for (std::size_t i = 0; i < sc.assets.size(); ++i) compromised += s.compromised[i], contained += s.contained[i];
    stat("People affected (distinct)", format_people(s.population_affected), s.population_affected > 0 ? colours::bad : colours::text);
    stat("Assets below full service",
         std::to_string(s.below_full) + " of " + std::to_string(sc.assets.size()) + "  (" + std::to_string(s.in_outage) +
             " out)");
    stat("Compromised / contained", std::to_string(compromised) + " / " + std::to_string(contained));
    stat("Escalation level", short_name(level_name, level_name));
    stat("Known to " + short_name(org_name, org_name), std::to_string(s.known_below_full) + " assets degraded");
    y += 6 * u;
    cv.line({x, y}, {x + w, y}, 1.5f * u, colours::grid);
    y += 16 * u;
    MapGeometry sizes = g;
    if (grouped) sizes.max_population = 0;  // glyphs are sized by assets, not people: no size key
    y = draw_legend(cv, x, y, w, sizes, false, false, dropped(L));
    if (grouped) (void)draw_wheel_key(cv, sc, x, y + 8 * u, w);
    return;
  }

  // Known vs true: two panels of the same geometry; labels placed once, shown in both.
  const float legend_h = 118 * u;
  const auto [left, right] = known_vs_true_areas(cv.width(), cv.height());
  const auto pw = static_cast<float>(left.w);
  const MapGeometry gl = map_geometry(sc, left, u);
  Box left_labels = left;  // the basemap's data credits take the left panel's bottom lines
  left_labels.h -= credit_height(sc, gl, u);
  MapGeometry gr = gl;
  for (Vec2& c : gr.centre) c.x += right.x - left.x;
  // The basemap under the known picture too: the same country, shifted with the panel.
  for (auto* rings : {&gr.outline, &gr.provinces})
    for (std::vector<Vec2>& ring : *rings)
      for (Vec2& p : ring) p.x += right.x - left.x;
  const Labels Ll = layout_labels(cv, sc, s, gl, left_labels, sc.assets.size() > kGroupAssetsAbove ? 0 : 14, label_size);
  Labels Lr = Ll;
  for (auto& p : Lr.placed)
    if (p) p->box.x += right.x - left.x;
  const std::size_t known = static_cast<std::size_t>(
      std::count_if(s.believed.begin(), s.believed.end(), [](const auto& b) { return b.has_value(); }));
  const float rx = static_cast<float>(right.x);
  cv.text("Ground truth", m, top - 2 * u, 24 * u, colours::text, true, Align::left, pw);
  cv.text(format_people(s.population_affected) + " people affected  \u00b7  " + std::to_string(s.below_full) +
              (s.below_full == 1 ? " asset" : " assets") + " below full service  \u00b7  " + std::to_string(s.in_outage) + " out",
          m, top + 29 * u, 18 * u, colours::muted, false, Align::left, pw);
  cv.text("What " + short_name(org_name, org_name) + " knew", rx, top - 2 * u, 24 * u, colours::text, true,
          Align::left, pw);
  cv.text(std::to_string(known) + (known == 1 ? " asset" : " assets") + " in its picture  \u00b7  " + std::to_string(s.known_below_full) +
              " believed degraded  \u00b7  escalation: " + short_name(level_name, level_name),
          rx, top + 29 * u, 18 * u, colours::muted, false, Align::left, pw);
  for (const Box& b : {left, right})
    cv.rect(static_cast<float>(b.x), static_cast<float>(b.y), static_cast<float>(b.w), static_cast<float>(b.h),
            colours::panel, colours::grid, 1.0f);
  draw_panel(cv, sc, s, gl, Ll, PanelMode::truth, label_size);
  draw_panel(cv, sc, s, gr, Lr, PanelMode::known, label_size);
  report_boxes(Ll, drawn_labels);
  report_boxes(Lr, drawn_labels);
  draw_credits(cv, sc, gl, left, drawn_labels);  // one basemap under both panels: credited once
  MapGeometry sizes = gl;
  if (sc.assets.size() > kGroupAssetsAbove) sizes.max_population = 0;  // glyphs are sized by assets: no size key
  (void)draw_legend(cv, m, cv.height() - legend_h - 8 * u, cv.width() - 2 * m, sizes, true, true, dropped(Ll));
}

std::string format_people(double people) {
  char buf[32];
  if (people >= 1e6) std::snprintf(buf, sizeof buf, "%.2f M", people / 1e6);
  else if (people >= 1e4) std::snprintf(buf, sizeof buf, "%.0f k", people / 1e3);
  else if (people >= 1e3) std::snprintf(buf, sizeof buf, "%.1f k", people / 1e3);
  else std::snprintf(buf, sizeof buf, "%.0f", people);
  return buf;
}

std::string run_subtitle(const RecordedRun& run) {
  const Scenario& sc = run.scenario;
  std::string s = "plan: " + (sc.plan.name.empty() ? sc.plan.id : sc.plan.name);
  if (!sc.plan.version.empty()) s += " v" + sc.plan.version;
  s += "  \u00b7  seed " + std::to_string(run.result.seed);
  return s;
}

}  // namespace cyberdrill::viz
