// The timeline: one lane per kind of key event, markers at their times, labels placed in rows
// without overlap (the rest counted, not drawn on top of each other).
#include <algorithm>
#include <array>

#include "layout.hpp"
#include "snapshot.hpp"
#include "timeline.hpp"
#include "views.hpp"

namespace cyberdrill::viz {
namespace {

Rgb lane_colour(Lane l) {
  switch (l) {
    case Lane::attacker: return colours::bad;
    case Lane::detection: return Rgb{204, 132, 0};
    case Lane::reporting: return Rgb{40, 140, 200};
    case Lane::escalation: return colours::escalation;
    case Lane::decisions: return colours::decision;
    case Lane::injects: return Rgb{80, 84, 92};
    case Lane::obligations: return colours::good;
    case Lane::response: return Rgb{0, 140, 110};
  }
  return colours::text;
}

}  // namespace

void draw_timeline(Canvas& cv, const RecordedRun& run) {
  const Scenario& sc = run.scenario;
  const RunResult& res = run.result;
  const float u = cv.u();
  const float m = 48 * u;
  const float top = cv.header(sc.metadata.name.empty() ? std::string("Timeline") : sc.metadata.name,
                              "Key events  \u00b7  " + run_subtitle(run), "T+0 \u2013 " + tick_label(res.end));
  const std::vector<TimelineEvent> events = timeline_events(sc, res, observer_org(sc, res.records));
  std::array<int, kLaneCount> counts{};
  for (const TimelineEvent& e : events) ++counts[static_cast<std::size_t>(e.lane)];
  std::vector<Lane> lanes;
  for (int l = 0; l < kLaneCount; ++l)
    if (counts[static_cast<std::size_t>(l)] > 0) lanes.push_back(static_cast<Lane>(l));

  const float name_w = 230 * u;
  const float px0 = m + name_w, px1 = cv.width() - m - 20 * u;
  const float py0 = top + 12 * u, py1 = cv.height() - 80 * u;
  // Most exercises act in the first hours of a multi-day horizon: those hours get the room.
  std::vector<SimTime> times;
  for (const TimelineEvent& e : events) times.push_back(e.at);
  const TimeAxis axis = focus_axis(times, res.end);
  auto X = [&](SimTime t) { return axis_x(axis, t, px0, px1); };

  if (lanes.empty()) {
    cv.text("no key events in this run", cv.width() / 2, (py0 + py1) / 2, 24 * u, colours::muted, false, Align::centre);
    return;
  }
  const float lane_h = std::min(150 * u, (py1 - py0) / static_cast<float>(lanes.size()));
  const float plot_bottom = py0 + lane_h * static_cast<float>(lanes.size());
  for (std::size_t k = 0; k < lanes.size(); ++k) {
    const float y = py0 + lane_h * static_cast<float>(k);
    cv.rect(m, y, px1 - m, lane_h, k % 2 == 0 ? colours::panel : Rgb{240, 241, 238});
    const Lane l = lanes[k];
    cv.rect(m, y + 8 * u, 6 * u, lane_h - 16 * u, lane_colour(l));
    cv.text(lane_name(l), m + 18 * u, y + lane_h / 2 - 24 * u, 21 * u, colours::text, true, Align::left, name_w - 30 * u);
    cv.text(std::to_string(counts[static_cast<std::size_t>(l)]) + " event" +
                (counts[static_cast<std::size_t>(l)] == 1 ? "" : "s"),
            m + 18 * u, y + lane_h / 2 + 2 * u, 16 * u, colours::muted);
  }
  draw_time_axis(cv, axis, px0, px1, py0, plot_bottom, true);

  // Per lane: label rows; failures (missed obligations, the attacker's goal) claim rows first,
  // then the rest in time order. An event whose label fits in no row is drawn as a dot only.
  const float fs = 16 * u;
  const float row_h = 23 * u;
  for (std::size_t k = 0; k < lanes.size(); ++k) {
    const Lane l = lanes[k];
    const float y = py0 + lane_h * static_cast<float>(k);
    const int rows = std::clamp(static_cast<int>((lane_h - 12 * u) / row_h), 1, 6);
    const float first_row = y + (lane_h - 8 * u - static_cast<float>(rows) * row_h) / 2;
    IntervalRows packer(static_cast<std::size_t>(rows), 12 * u);
    std::vector<const TimelineEvent*> order;
    for (const TimelineEvent& e : events)
      if (e.lane == l) order.push_back(&e);
    std::stable_sort(order.begin(), order.end(), [](const TimelineEvent* a, const TimelineEvent* b) {
      return a->bad && !b->bad;
    });
    int hidden = 0;
    for (const TimelineEvent* e : order) {
      const float x = X(e->at);
      const Rgb c = e->bad ? colours::bad : lane_colour(l);
      const std::string text = cv.clip(e->label, fs, false, 280 * u);
      const float w = cv.measure(text, fs).x;
      float lx = x + 11 * u;
      const bool flip = lx + w > px1 + 20 * u;  // near the right edge: label left of the marker
      if (flip) lx = x - 11 * u - w;
      const auto row = packer.place(std::min(lx, x - 8 * u), std::max(lx + w, x + 8 * u));
      if (!row) {
        ++hidden;
        cv.circle({x, y + lane_h - 6 * u}, 3.5f * u, with_alpha(c, 200));
        continue;
      }
      const float ry = first_row + static_cast<float>(*row) * row_h;
      const sf::Vector2f mc(x, ry + row_h / 2);
      cv.circle(mc, e->bad ? 7.5f * u : 6.5f * u, c, Rgb{255, 255, 255}, 1.5f * u);
      if (e->bad) {
        const float a = 3.5f * u;
        cv.line({x - a, mc.y - a}, {x + a, mc.y + a}, 2 * u, Rgb{255, 255, 255});
        cv.line({x - a, mc.y + a}, {x + a, mc.y - a}, 2 * u, Rgb{255, 255, 255});
      }
      cv.text(text, lx, ry + 1 * u, fs, e->bad ? colours::bad : colours::text, e->bad);
    }
    if (hidden > 0)
      cv.text("+" + std::to_string(hidden) + " unlabelled (dots)", m + 18 * u, y + lane_h / 2 + 22 * u, 14 * u,
              colours::muted);
  }
}

}  // namespace cyberdrill::viz
