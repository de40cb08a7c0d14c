// Impact curves: people affected (distinct, and per service class) and the economic loss over
// the run, on one time axis (focused on the first hours when the action is there), with the
// obligations' deadlines and the escalations marked.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "impact_series.hpp"
#include "layout.hpp"
#include "timeline.hpp"
#include "views.hpp"

namespace cyberdrill::viz {
namespace {

/// A round step (1, 2, 2.5, 5 x 10^k) giving at most 5 divisions up to v, and the axis maximum
/// (a multiple of it, >= v).
std::pair<double, double> nice_max(double v) {
  if (v <= 0) return {1, 0.25};
  const double raw = v / 5;
  const double p = std::pow(10.0, std::floor(std::log10(raw)));
  double step = 10 * p;
  for (const double k : {1.0, 2.0, 2.5, 5.0})
    if (k * p >= raw) {
      step = k * p;
      break;
    }
  return {std::ceil(v / step - 1e-9) * step, step};
}

std::string euros(double v) {
  char buf[48];
  if (v >= 1e9) std::snprintf(buf, sizeof buf, "EUR %.2f bn", v / 1e9);
  else if (v >= 1e6) std::snprintf(buf, sizeof buf, "EUR %.1f M", v / 1e6);
  else if (v >= 1e3) std::snprintf(buf, sizeof buf, "EUR %.0f k", v / 1e3);
  else std::snprintf(buf, sizeof buf, "EUR %.0f", v);
  return buf;
}

std::string class_label(std::size_t c) {
  std::string s = service_class_names()[c];
  std::replace(s.begin(), s.end(), '_', ' ');
  return s;
}

}  // namespace

void draw_impact(Canvas& cv, const RecordedRun& run) {
  const Scenario& sc = run.scenario;
  const RunResult& res = run.result;
  const float u = cv.u();
  const float m = 48 * u;
  const float top = cv.header(sc.metadata.name.empty() ? std::string("Impact") : sc.metadata.name,
                              "People affected and economic loss  \u00b7  " + run_subtitle(run),
                              "T+0 \u2013 " + tick_label(res.end));
  const std::vector<ImpactPoint> series = impact_series(sc, res.records, res.end);
  const std::vector<ObligationMark> deadlines = obligation_marks(sc, res);
  const std::vector<ChartMarker> markers = chart_markers(sc, res);

  // The axis focuses where the impact changes and the marks are.
  // The axis focuses where people lose or regain a service (the loss keeps rising with every
  // asset still degraded, people or not, so it would pull the focus into the tail).
  std::vector<SimTime> times;
  for (std::size_t k = 1; k < series.size(); ++k)
    if (series[k].at < res.end && (series[k].people != series[k - 1].people || series[k].without != series[k - 1].without))
      times.push_back(series[k].at);
  const TimeAxis axis = focus_axis(times, res.end);

  const float legend_w = 420 * u;
  const float label_zone = 96 * u;
  const float px0 = m + 110 * u, px1 = cv.width() - m - legend_w - 24 * u;
  const float p1y0 = top + label_zone + 10 * u;
  const float p2y1 = cv.height() - 86 * u;
  const float gap = 46 * u;
  const float total_h = p2y1 - p1y0 - gap;
  const float p1y1 = p1y0 + total_h * 0.62f;
  const float p2y0 = p1y1 + gap;
  auto X = [&](SimTime t) { return axis_x(axis, t, px0, px1); };

  double people_max = 0, loss_max = 0;
  std::array<double, kServiceClassCount> class_max{};
  for (const ImpactPoint& p : series) {
    people_max = std::max(people_max, p.people);
    loss_max = std::max(loss_max, p.loss_eur);
    for (std::size_t c = 0; c < kServiceClassCount; ++c) class_max[c] = std::max(class_max[c], p.without[c]);
  }
  const auto [ymax1, ystep1] = nice_max(people_max);
  const auto [ymax2, ystep2] = nice_max(loss_max);
  // 8 % headroom above the top grid line keeps the panel titles clear of it.
  auto Y1 = [&](double v) { return p1y1 - static_cast<float>(v / (ymax1 * 1.08)) * (p1y1 - p1y0); };
  auto Y2 = [&](double v) { return p2y1 - static_cast<float>(v / (ymax2 * 1.08)) * (p2y1 - p2y0); };

  // Panels, value grid and axes.
  cv.rect(px0, p1y0, px1 - px0, p1y1 - p1y0, colours::panel, colours::grid, 1.0f);
  cv.rect(px0, p2y0, px1 - px0, p2y1 - p2y0, colours::panel, colours::grid, 1.0f);
  draw_time_axis(cv, axis, px0, px1, p1y0, p1y1, false);
  draw_time_axis(cv, axis, px0, px1, p2y0, p2y1, true);
  for (double v = 0; v <= ymax1 + 1e-9; v += ystep1) {
    cv.line({px0, Y1(v)}, {px1, Y1(v)}, 1.0f * u, colours::grid);
    cv.text(format_people(v), px0 - 12 * u, Y1(v) - 11 * u, 17 * u, colours::muted, false, Align::right);
  }
  for (double v = 0; v <= ymax2 + 1e-9; v += ystep2) {
    cv.line({px0, Y2(v)}, {px1, Y2(v)}, 1.0f * u, colours::grid);
    cv.text(euros(v), px0 - 12 * u, Y2(v) - 11 * u, 17 * u, colours::muted, false, Align::right);
  }
  cv.line({px0, p1y0}, {px0, p1y1}, 1.5f * u, colours::axis);
  cv.line({px0, p2y0}, {px0, p2y1}, 1.5f * u, colours::axis);
  cv.text("People without the service (distinct people affected in black)", px0 + 10 * u, p1y0 + 6 * u, 17 * u,
          colours::muted, true);
  cv.text("Economic loss since T+0 (output lost, cumulative)", px0 + 10 * u, p2y0 + 4 * u, 17 * u, colours::muted, true);

  // Marks: escalations (dashed, purple) and obligation deadlines (dotted: red when a clock due
  // then was missed, green when all were met, grey while running), through both panels; labels
  // in rows above the top panel, deadlines first.
  IntervalRows rows(4, 10 * u);
  auto label_above = [&](float x, const std::string& text, Rgb c) {
    const std::string t = cv.clip(text, 15 * u, false, 330 * u);
    const float w = cv.measure(t, 15 * u).x;
    const float lx = std::clamp(x - w / 2, px0 - 80 * u, px1 + legend_w - w);
    if (const auto r = rows.place(lx, lx + w)) {
      const float ly = p1y0 - 24 * u - static_cast<float>(*r) * 21 * u;
      cv.line({x, ly + 18 * u}, {x, p1y0}, 1.0f * u, with_alpha(c, 140));
      cv.text(t, lx, ly, 15 * u, c);
    }
  };
  for (const ObligationMark& d : deadlines) {
    const float x = X(d.due);
    const Rgb c = d.missed > 0 ? colours::bad : d.running > 0 ? colours::axis : colours::good;
    for (const auto& [a, b] : {std::pair{p1y0, p1y1}, std::pair{p2y0, p2y1}})
      cv.dashed({x, a}, {x, b}, 2.0f * u, with_alpha(c, 210), 2.5f * u, 4 * u);
    std::string text = short_name(d.name, d.name) + " due";
    if (d.clocks > 1) text += " \u00d7" + std::to_string(d.clocks);
    if (d.missed > 0) text += ": " + std::to_string(d.missed) + " missed";
    label_above(x, text, c);
  }
  for (const ChartMarker& mk : markers) {
    if (!mk.escalation) continue;
    const float x = X(mk.at);
    for (const auto& [a, b] : {std::pair{p1y0, p1y1}, std::pair{p2y0, p2y1}})
      cv.dashed({x, a}, {x, b}, 2.0f * u, with_alpha(colours::escalation, 200), 9 * u, 6 * u);
    label_above(x, short_name(mk.label, mk.label), colours::escalation);
  }

  // Curves: step lines (the state holds until the next change).
  auto steps = [&](auto value, auto Y, float w, Rgb c) {
    for (std::size_t k = 1; k < series.size(); ++k) {
      const float xa = X(series[k - 1].at), xb = X(series[k].at);
      const float ya = Y(value(series[k - 1])), yb = Y(value(series[k]));
      cv.line({xa, ya}, {xb, ya}, w, c);
      cv.line({xb, ya}, {xb, yb}, w, c);
    }
  };
  std::vector<std::size_t> classes;
  for (std::size_t c = 0; c < kServiceClassCount; ++c)
    if (class_max[c] > 0) classes.push_back(c);
  std::sort(classes.begin(), classes.end(), [&](std::size_t a, std::size_t b) { return class_max[a] > class_max[b]; });
  for (const std::size_t c : classes)
    steps([c](const ImpactPoint& p) { return p.without[c]; }, Y1, 2.6f * u, sector_colour(c));
  steps([](const ImpactPoint& p) { return p.people; }, Y1, 4.0f * u, colours::text);
  // Loss: the rising cumulative curve (linear between points: the rate is constant there).
  for (std::size_t k = 1; k < series.size(); ++k)
    cv.line({X(series[k - 1].at), Y2(series[k - 1].loss_eur)}, {X(series[k].at), Y2(series[k].loss_eur)}, 3.5f * u,
            colours::bad);
  if (!series.empty()) {
    const ImpactPoint& last = series.back();
    cv.text(euros(last.loss_eur), X(last.at) - 8 * u, Y2(last.loss_eur) + 8 * u, 18 * u, colours::bad, true, Align::right);
  }

  // Legend.
  const float lx = cv.width() - m - legend_w + 16 * u;
  float ly = p1y0;
  cv.text("People without (peak)", lx, ly, 17 * u, colours::muted, true);
  ly += 30 * u;
  auto legend_line = [&](Rgb c, float w, const std::string& name, const std::string& detail) {
    cv.line({lx, ly + 11 * u}, {lx + 30 * u, ly + 11 * u}, w, c);
    cv.text(name, lx + 42 * u, ly, 18 * u, colours::text, false, Align::left, legend_w - 170 * u);
    cv.text(detail, lx + legend_w - 30 * u, ly, 18 * u, colours::text, true, Align::right);
    ly += 28 * u;
  };
  legend_line(colours::text, 4.5f * u, "anything (distinct people)", format_people(people_max));
  for (const std::size_t c : classes) legend_line(sector_colour(c), 3 * u, class_label(c), format_people(class_max[c]));
  if (classes.empty() && people_max > 0) {
    cv.text("(no areas in this scenario: people", lx, ly, 15 * u, colours::muted);
    ly += 20 * u;
    cv.text("counted per asset, no classes)", lx, ly, 15 * u, colours::muted);
    ly += 26 * u;
  }
  ly = std::max(ly + 14 * u, p2y0);
  cv.text("Economic loss", lx, ly, 17 * u, colours::muted, true);
  ly += 30 * u;
  legend_line(colours::bad, 3.5f * u, "cumulative", euros(loss_max));
  ly += 16 * u;
  cv.text("Marks", lx, ly, 17 * u, colours::muted, true);
  ly += 30 * u;
  auto legend_dash = [&](Rgb c, float dash, float gap_px, const std::string& name) {
    cv.dashed({lx, ly + 11 * u}, {lx + 30 * u, ly + 11 * u}, 2.2f * u, c, dash, gap_px);
    cv.text(name, lx + 42 * u, ly, 16 * u, colours::text, false, Align::left, legend_w - 60 * u);
    ly += 26 * u;
  };
  legend_dash(colours::escalation, 9 * u, 6 * u, "escalation");
  legend_dash(colours::good, 2.5f * u, 4 * u, "obligation deadline, all met");
  legend_dash(colours::bad, 2.5f * u, 4 * u, "obligation deadline, missed");
  legend_dash(colours::axis, 2.5f * u, 4 * u, "obligation deadline, running");
}

}  // namespace cyberdrill::viz
