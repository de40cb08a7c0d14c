// Service level per sector over time (RunResult::service_levels), with vertical markers for
// escalations and decisions.
#include <algorithm>
#include <cmath>
#include <limits>

#include "layout.hpp"
#include "timeline.hpp"
#include "views.hpp"

namespace cyberdrill::viz {
namespace {

std::string percent(double v, double step) {
  char buf[32];
  if (step >= 0.01 - 1e-12) std::snprintf(buf, sizeof buf, "%.0f%%", v * 100);
  else std::snprintf(buf, sizeof buf, "%.1f%%", v * 100);
  return buf;
}

}  // namespace

void draw_levels(Canvas& cv, const RecordedRun& run) {
  const Scenario& sc = run.scenario;
  const RunResult& res = run.result;
  const float u = cv.u();
  const float m = 48 * u;
  const float top = cv.header(sc.metadata.name.empty() ? std::string("Service levels") : sc.metadata.name,
                              "Service level per sector (population-weighted)  \u00b7  " + run_subtitle(run),
                              "T+0 \u2013 " + tick_label(res.end));
  const std::size_t ns = sc.sectors.size();
  // Per sector: minimum and when.
  std::vector<double> lo(ns, 1.0);
  std::vector<SimTime> lo_at(ns);
  double y_min = 1.0;
  for (const SectorLevels& row : res.service_levels)
    for (std::size_t s = 0; s < ns && s < row.level.size(); ++s)
      if (row.level[s] < lo[s] - 1e-12) lo[s] = row.level[s], lo_at[s] = row.time;
  for (const double l : lo) y_min = std::min(y_min, l);
  // Y range: down to 0 for a deep dip, else a zoomed window with a visible floor.
  double y_lo = 0;
  if (y_min >= 0.5) {
    const double span = std::max(1.0 - y_min, 0.01);
    y_lo = std::max(0.0, 1.0 - span * 1.25);
  }
  static constexpr double steps[] = {0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.25};
  double step = 0.25;
  for (const double st : steps)
    if ((1.0 - y_lo) / st <= 8) {
      step = st;
      break;
    }
  y_lo = std::floor(y_lo / step + 1e-9) * step;
  const double y_hi = 1.0 + (1.0 - y_lo) * 0.04;

  const float legend_w = 470 * u;
  const float marker_zone = 64 * u;
  const float px0 = m + 86 * u, px1 = cv.width() - m - legend_w - 24 * u;
  const float py0 = top + marker_zone + 10 * u, py1 = cv.height() - 86 * u;
  const double t_end = std::max<double>(1.0, static_cast<double>(res.end.us()));
  auto X = [&](SimTime t) { return px0 + static_cast<float>(static_cast<double>(t.us()) / t_end) * (px1 - px0); };
  auto Y = [&](double l) { return py1 - static_cast<float>((l - y_lo) / (y_hi - y_lo)) * (py1 - py0); };

  cv.rect(px0, py0, px1 - px0, py1 - py0, colours::panel, colours::grid, 1.0f);
  for (double l = y_lo; l <= 1.0 + 1e-9; l += step) {
    cv.line({px0, Y(l)}, {px1, Y(l)}, 1.0f * u, colours::grid);
    cv.text(percent(l, step), px0 - 12 * u, Y(l) - 11 * u, 17 * u, colours::muted, false, Align::right);
  }
  const auto ticks = time_ticks(SimTime::zero(), res.end, std::max(2, static_cast<int>((px1 - px0) / (110 * u))));
  for (const TimeTick& t : ticks) {
    cv.line({X(t.at), py0}, {X(t.at), py1}, 1.0f * u, colours::grid);
    cv.line({X(t.at), py1}, {X(t.at), py1 + 6 * u}, 1.2f * u, colours::axis);
    cv.text(t.label, X(t.at), py1 + 10 * u, 17 * u, colours::muted, false, Align::centre);
  }
  cv.text("Scenario time", (px0 + px1) / 2, py1 + 42 * u, 17 * u, colours::muted, true, Align::centre);
  cv.line({px0, py1}, {px1, py1}, 1.5f * u, colours::axis);
  cv.line({px0, py0}, {px0, py1}, 1.5f * u, colours::axis);

  // Markers: lines through the plot, labels in up to three rows above it (skipped if no room).
  std::vector<ChartMarker> markers = chart_markers(sc, res);
  // Escalations claim label rows before decisions.
  std::stable_sort(markers.begin(), markers.end(),
                   [](const ChartMarker& a, const ChartMarker& b) { return a.escalation && !b.escalation; });
  IntervalRows rows(3, 10 * u);
  for (const ChartMarker& mk : markers) {
    const float x = X(mk.at);
    const Rgb c = mk.escalation ? colours::escalation : colours::decision;
    if (mk.escalation) cv.dashed({x, py0}, {x, py1}, 2.0f * u, with_alpha(c, 200), 9 * u, 6 * u);
    else cv.dashed({x, py0}, {x, py1}, 2.0f * u, with_alpha(c, 200), 3 * u, 5 * u);
    const std::string text = cv.clip(short_name(mk.label, mk.label), 16 * u, false, 300 * u);
    const float w = cv.measure(text, 16 * u).x;
    const float lx = std::clamp(x - w / 2, px0 - 60 * u, cv.width() - m - w);
    if (const auto r = rows.place(lx, lx + w)) {
      const float ly = py0 - 26 * u - static_cast<float>(*r) * 21 * u;  // row 0 nearest the plot
      cv.line({x, ly + 19 * u}, {x, py0}, 1.0f * u, with_alpha(c, 120));
      cv.text(text, lx, ly, 16 * u, c);
    }
  }

  // Lines: unaffected sectors first (thin), then the affected ones by depth of their dip.
  std::vector<std::size_t> order(ns);
  for (std::size_t s = 0; s < ns; ++s) order[s] = s;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return lo[a] > lo[b]; });
  for (const std::size_t s : order) {
    const bool affected = lo[s] < 0.999;
    const float w = affected ? 3.2f * u : 1.8f * u;
    const Rgb c = sector_colour(s);
    for (std::size_t k = 1; k < res.service_levels.size(); ++k) {
      const SectorLevels& a = res.service_levels[k - 1];
      const SectorLevels& b = res.service_levels[k];
      if (s >= a.level.size() || s >= b.level.size()) continue;
      const sf::Vector2f pa(X(a.time), Y(a.level[s])), pb(X(b.time), Y(b.level[s]));
      cv.line(pa, pb, w, c);
      if (affected) cv.circle(pb, w / 2, c);  // round joints
    }
  }

  // Legend: sectors sorted by their lowest level, with that minimum and when.
  const float lx = cv.width() - m - legend_w + 10 * u;
  float ly = py0;
  cv.text("Sector (lowest level, when)", lx, ly - 4 * u, 17 * u, colours::muted, true);
  ly += 30 * u;
  std::vector<std::size_t> by_low = order;
  std::reverse(by_low.begin(), by_low.end());
  for (const std::size_t s : by_low) {
    const bool affected = lo[s] < 0.999;
    cv.line({lx, ly + 11 * u}, {lx + 30 * u, ly + 11 * u}, affected ? 4 * u : 2.2f * u, sector_colour(s));
    const std::string name = short_name(sc.sectors[s].name, sc.sectors[s].id);
    cv.text(name, lx + 42 * u, ly, 18 * u, colours::text, affected, Align::left, legend_w - 60 * u);
    ly += 23 * u;
    const std::string detail = affected ? "lowest " + percent(lo[s], 0.001) + " at " + clock_label(lo_at[s])
                                        : "unaffected";
    cv.text(detail, lx + 42 * u, ly, 15 * u, colours::muted);
    ly += 30 * u;
    if (ly > py1 - 120 * u) break;
  }
  ly += 8 * u;
  if (!markers.empty()) {
    cv.dashed({lx, ly + 11 * u}, {lx + 30 * u, ly + 11 * u}, 2.2f * u, colours::escalation, 9 * u, 6 * u);
    cv.text("escalation", lx + 42 * u, ly, 16 * u, colours::text);
    ly += 26 * u;
    cv.dashed({lx, ly + 11 * u}, {lx + 30 * u, ly + 11 * u}, 2.2f * u, colours::decision, 3 * u, 5 * u);
    cv.text("decision taken", lx + 42 * u, ly, 16 * u, colours::text);
  }
  if (res.service_levels.empty())
    cv.text("no service levels were sampled in this run", (px0 + px1) / 2, (py0 + py1) / 2, 22 * u, colours::muted,
            false, Align::centre);
}

}  // namespace cyberdrill::viz
