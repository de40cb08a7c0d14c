// Study figures: per-configuration CDFs and the tornado chart (include/cyberdrill/study_figures.hpp).
#include "cyberdrill/study_figures.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "canvas.hpp"
#include "cyberdrill/viz.hpp"
#include "palette.hpp"

namespace cyberdrill::viz {
namespace {

constexpr unsigned kWidth = 1600, kHeight = 1000;

void need_display() {
  std::string why;
  if (!ensure_display(&why)) throw std::runtime_error("cannot draw the study figures: " + why);
}

// Axis numbers as people read them: 1.5 M, 250 k, 12.5, 0.02 (no exponent notation).
std::string tick_text(double v) {
  char buf[32];
  const double a = std::abs(v);
  if (a >= 1e9) std::snprintf(buf, sizeof buf, "%.3g G", v / 1e9);
  else if (a >= 1e6) std::snprintf(buf, sizeof buf, "%.3g M", v / 1e6);
  else if (a >= 1e4) std::snprintf(buf, sizeof buf, "%.3g k", v / 1e3);
  else if (a < 1e-2 && v != 0) std::snprintf(buf, sizeof buf, "%.2g", v);
  else std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

// A "nice" step for about `n` ticks over `span`.
double nice_step(double span, int n) {
  const double raw = span / n;
  const double p = std::pow(10.0, std::floor(std::log10(raw)));
  for (const double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * p >= raw) return m * p;
  return 10 * p;
}

Rgb series_colour(std::size_t i) {
  static const Rgb c[] = {{0, 114, 178}, {213, 94, 0}, {0, 158, 115}, {204, 121, 167}, {86, 180, 233},
                          {230, 159, 0}, {28, 30, 34}, {178, 24, 43}};
  return c[i % (sizeof c / sizeof c[0])];
}

}  // namespace

void render_cdf_png(const std::string& title, const std::string& metric, const std::vector<CdfSeries>& series,
                    double horizon, const std::filesystem::path& out) {
  need_display();
  Canvas cv(kWidth, kHeight);
  const float u = cv.u();
  cv.rect(0, 0, cv.width(), cv.height(), colours::background);
  const float top = cv.header(title, "cumulative share of runs that reached " + metric + " (never reached: the gap below 1)", "");
  const float left = 120 * u, right = cv.width() - 500 * u, bottom = cv.height() - 110 * u, y0 = top + 20 * u;
  cv.rect(left, y0, right - left, bottom - y0, colours::panel, colours::grid, 1);
  double hi = horizon > 0 ? horizon : 1;
  double seen_max = 0;
  for (const CdfSeries& s : series)
    for (const double v : s.values) seen_max = std::max(seen_max, v);
  if (seen_max > 0 && seen_max < hi) hi = std::min(hi, seen_max * 1.15);
  auto X = [&](double t) { return left + static_cast<float>(std::clamp(t / hi, 0.0, 1.0)) * (right - left); };
  auto Y = [&](double f) { return bottom - static_cast<float>(f) * (bottom - y0); };
  for (int k = 0; k <= 4; ++k) {
    const double f = k / 4.0;
    cv.line({left, Y(f)}, {right, Y(f)}, 1, colours::grid);
    cv.text(tick_text(f), left - 10 * u, Y(f) - 12 * u, 20 * u, colours::muted, false, Align::right);
  }
  const double step = nice_step(hi, 8);
  for (double t = 0; t <= hi + 1e-9; t += step) {
    cv.line({X(t), bottom}, {X(t), bottom + 6 * u}, 1, colours::axis);
    cv.text(tick_text(t), X(t), bottom + 10 * u, 20 * u, colours::muted, false, Align::centre);
  }
  cv.text(metric, (left + right) / 2, bottom + 45 * u, 22 * u, colours::text, false, Align::centre);
  for (std::size_t i = 0; i < series.size(); ++i) {
    const CdfSeries& s = series[i];
    if (s.runs == 0) continue;
    std::vector<double> v = s.values;
    std::sort(v.begin(), v.end());
    const Rgb c = series_colour(i);
    double f = 0, t = 0;
    for (std::size_t k = 0; k < v.size(); ++k) {
      const double nf = static_cast<double>(k + 1) / static_cast<double>(s.runs);
      cv.line({X(t), Y(f)}, {X(v[k]), Y(f)}, 3 * u, c);
      cv.line({X(v[k]), Y(f)}, {X(v[k]), Y(nf)}, 3 * u, c);
      t = v[k];
      f = nf;
    }
    cv.dashed({X(t), Y(f)}, {right, Y(f)}, 2 * u, c, 10 * u, 6 * u);
    const float ly = y0 + 10 * u + static_cast<float>(i) * 34 * u;
    cv.line({right + 20 * u, ly + 12 * u}, {right + 60 * u, ly + 12 * u}, 4 * u, c);
    char buf[64];
    std::snprintf(buf, sizeof buf, " (%zu/%zu never)", s.runs - s.values.size(), s.runs);
    cv.text(s.label + buf, right + 70 * u, ly, 19 * u, colours::text, false, Align::left, 420 * u);
  }
  cv.save_png(out);
}

void render_tornado_png(const std::string& title, const std::string& subtitle, const std::vector<TornadoBar>& bars,
                        const std::filesystem::path& out) {
  need_display();
  Canvas cv(kWidth, kHeight);
  const float u = cv.u();
  cv.rect(0, 0, cv.width(), cv.height(), colours::background);
  const float top = cv.header(title, subtitle, "");
  const float left = 620 * u, right = cv.width() - 80 * u, bottom = cv.height() - 90 * u, y0 = top + 20 * u;
  cv.rect(left, y0, right - left, bottom - y0, colours::panel, colours::grid, 1);
  auto X = [&](double v) { return left + static_cast<float>((std::clamp(v, -1.0, 1.0) + 1) / 2) * (right - left); };
  for (int k = -4; k <= 4; ++k) {
    const double v = k / 4.0;
    cv.line({X(v), y0}, {X(v), bottom}, k == 0 ? 2 : 1, k == 0 ? colours::axis : colours::grid);
    cv.text(tick_text(v), X(v), bottom + 10 * u, 20 * u, colours::muted, false, Align::centre);
  }
  const std::size_t n = std::min<std::size_t>(bars.size(), 20);
  if (n == 0) cv.text("no numeric parameter varied: nothing to rank", (left + right) / 2, (y0 + bottom) / 2, 26 * u, colours::muted, false, Align::centre);
  const float row = n > 0 ? (bottom - y0) / static_cast<float>(n) : 0;
  for (std::size_t i = 0; i < n; ++i) {
    const TornadoBar& b = bars[i];
    const float yc = y0 + (static_cast<float>(i) + 0.5f) * row;
    const float h = std::min(row * 0.6f, 40 * u);
    const Rgb c = b.value >= 0 ? colours::bad : colours::contained;
    const float x0 = X(0), x1 = X(b.value);
    cv.rect(std::min(x0, x1), yc - h / 2, std::abs(x1 - x0), h, c);
    cv.line({X(b.low), yc}, {X(b.high), yc}, 2 * u, colours::text);
    cv.line({X(b.low), yc - h / 3}, {X(b.low), yc + h / 3}, 2 * u, colours::text);
    cv.line({X(b.high), yc - h / 3}, {X(b.high), yc + h / 3}, 2 * u, colours::text);
    cv.text(b.label, left - 14 * u, yc - 12 * u, 20 * u, colours::text, false, Align::right, 590 * u);
  }
  cv.save_png(out);
}

void render_bands_png(const std::string& title, const std::string& quantity, const std::vector<BandSeries>& series,
                      const std::filesystem::path& out) {
  need_display();
  Canvas cv(kWidth, kHeight);
  const float u = cv.u();
  cv.rect(0, 0, cv.width(), cv.height(), colours::background);
  const float top = cv.header(title, quantity + " over time: median (line) and 10-90 % of runs (band), per configuration", "");
  const float left = 140 * u, right = cv.width() - 500 * u, bottom = cv.height() - 110 * u, y0 = top + 20 * u;
  cv.rect(left, y0, right - left, bottom - y0, colours::panel, colours::grid, 1);
  double t_hi = 0, v_hi = 0;
  for (const BandSeries& s : series) {
    if (!s.time_h.empty()) t_hi = std::max(t_hi, s.time_h.back());
    for (const double v : s.p90) v_hi = std::max(v_hi, v);
  }
  if (t_hi <= 0) t_hi = 1;
  if (v_hi <= 0) v_hi = 1;
  v_hi *= 1.05;
  auto X = [&](double t) { return left + static_cast<float>(std::clamp(t / t_hi, 0.0, 1.0)) * (right - left); };
  auto Y = [&](double v) { return bottom - static_cast<float>(std::clamp(v / v_hi, 0.0, 1.0)) * (bottom - y0); };
  const double vstep = nice_step(v_hi, 5);
  for (double v = 0; v <= v_hi + 1e-9; v += vstep) {
    cv.line({left, Y(v)}, {right, Y(v)}, 1, colours::grid);
    cv.text(tick_text(v), left - 10 * u, Y(v) - 12 * u, 20 * u, colours::muted, false, Align::right);
  }
  const double tstep = nice_step(t_hi, 8);
  for (double t = 0; t <= t_hi + 1e-9; t += tstep) {
    cv.line({X(t), bottom}, {X(t), bottom + 6 * u}, 1, colours::axis);
    cv.text(tick_text(t), X(t), bottom + 10 * u, 20 * u, colours::muted, false, Align::centre);
  }
  cv.text("hours since T+0", (left + right) / 2, bottom + 45 * u, 22 * u, colours::text, false, Align::centre);
  for (std::size_t i = 0; i < series.size(); ++i) {
    const BandSeries& s = series[i];
    Rgb c = series_colour(i);
    Rgb shade = c;
    shade.a = 56;
    // The band: thin vertical strips between consecutive grid times, linearly interpolated.
    for (std::size_t k = 0; k + 1 < s.time_h.size(); ++k) {
      const float xa = X(s.time_h[k]), xb = X(s.time_h[k + 1]);
      const int strips = std::max(1, static_cast<int>((xb - xa) / (2 * u)));
      for (int j = 0; j < strips; ++j) {
        const double f = (j + 0.5) / strips;
        const double lo = s.p10[k] + f * (s.p10[k + 1] - s.p10[k]), hi = s.p90[k] + f * (s.p90[k + 1] - s.p90[k]);
        const float x = xa + static_cast<float>(j) * (xb - xa) / static_cast<float>(strips);
        cv.rect(x, Y(hi), (xb - xa) / static_cast<float>(strips), std::max(0.0f, Y(lo) - Y(hi)), shade);
      }
    }
    for (std::size_t k = 0; k + 1 < s.time_h.size(); ++k)
      cv.line({X(s.time_h[k]), Y(s.median[k])}, {X(s.time_h[k + 1]), Y(s.median[k + 1])}, 3 * u, c);
    const float ly = y0 + 10 * u + static_cast<float>(i) * 34 * u;
    cv.line({right + 20 * u, ly + 12 * u}, {right + 60 * u, ly + 12 * u}, 4 * u, c);
    cv.text(s.label, right + 70 * u, ly, 19 * u, colours::text, false, Align::left, 420 * u);
  }
  cv.save_png(out);
}

}  // namespace cyberdrill::viz
