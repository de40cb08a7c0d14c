// Summary statistics: Student t and normal quantiles, descriptive statistics, per-variant
// summaries with paired differences against the baseline.
#include <algorithm>
#include <cmath>

#include "cyberdrill/batch.hpp"

namespace cyberdrill::batch {
namespace {

// Continued fraction of the regularised incomplete beta function (modified Lentz), valid and fast
// for x < (a + 1) / (a + b + 2).
double beta_continued_fraction(double a, double b, double x) {
  constexpr int kMaxIterations = 100'000;
  constexpr double kEps = 1e-16;
  constexpr double kTiny = 1e-300;
  const double qab = a + b, qap = a + 1, qam = a - 1;
  double c = 1, d = 1 - qab * x / qap;
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= kMaxIterations; ++m) {
    const double md = m;
    const double m2 = 2 * md;
    double aa = md * (b - md) * x / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + md) * (qab + md) * x / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1) < kEps) break;
  }
  return h;
}

// I_x(a, b), the regularised incomplete beta function.
double incomplete_beta(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const double log_front = std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  const double front = std::exp(log_front);
  if (x < (a + 1) / (a + b + 2)) return front * beta_continued_fraction(a, b, x) / a;
  return 1 - front * beta_continued_fraction(b, a, 1 - x) / b;
}

// Bisection of a function increasing on [lo, hi] (lo >= 0) for the point where it reaches
// `target`, until the interval is within 1e-15 relative (or cannot shrink in double precision).
template <typename F>
double bisect_increasing(F f, double lo, double hi, double target) {
  for (int i = 0; i < 2000; ++i) {
    const double mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi || hi - lo <= 1e-15 * hi) break;
    (f(mid) < target ? lo : hi) = mid;
  }
  return lo + (hi - lo) / 2;
}

}  // namespace

double normal_quantile(double p) {
  if (!(p > 0 && p < 1)) throw std::domain_error("normal_quantile: p must be in (0, 1)");
  if (p == 0.5) return 0;
  // Upper tail q = P(Z > z) = erfc(z / sqrt 2) / 2, decreasing in z >= 0: bisect -tail.
  const double q = p > 0.5 ? 1 - p : p;
  const double z = bisect_increasing([](double x) { return -0.5 * std::erfc(x / std::sqrt(2.0)); }, 0.0, 40.0, -q);
  return p > 0.5 ? z : -z;
}

double t_quantile(double p, double df) {
  if (!(p > 0 && p < 1)) throw std::domain_error("t_quantile: p must be in (0, 1)");
  if (!(df > 0) || !std::isfinite(df)) throw std::domain_error("t_quantile: df must be a positive number");
  if (df > 1e7) return normal_quantile(p);
  if (p == 0.5) return 0;
  // Two-sided tail: P(|T| > t) = I_x(df/2, 1/2) with x = df / (df + t^2), increasing in x.
  const double tail = 2 * (p > 0.5 ? 1 - p : p);
  const double x = bisect_increasing([df](double v) { return incomplete_beta(df / 2, 0.5, v); }, 0.0, 1.0, tail);
  const double t = std::sqrt(df * (1 - x) / x);
  return p > 0.5 ? t : -t;
}

double quantile_sorted(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) throw std::invalid_argument("quantile_sorted: no values");
  const double h = (static_cast<double>(sorted.size()) - 1) * std::clamp(p, 0.0, 1.0);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  if (lo + 1 >= sorted.size()) return sorted.back();
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[lo + 1] - sorted[lo]);
}

std::optional<SampleStats> describe(const std::vector<double>& values) {
  if (values.empty()) return std::nullopt;
  SampleStats s;
  s.n = values.size();
  const auto n = static_cast<double>(s.n);
  double sum = 0;
  for (const double v : values) sum += v;
  s.mean = sum / n;
  if (s.n >= 2) {
    double ss = 0;
    for (const double v : values) ss += (v - s.mean) * (v - s.mean);
    s.sd = std::sqrt(ss / (n - 1));
    const double half = t_quantile(0.975, n - 1) * *s.sd / std::sqrt(n);
    s.ci_low = s.mean - half;
    s.ci_high = s.mean + half;
  }
  std::vector<double> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  s.min = sorted.front();
  s.max = sorted.back();
  s.p10 = quantile_sorted(sorted, 0.10);
  s.median = quantile_sorted(sorted, 0.50);
  s.p90 = quantile_sorted(sorted, 0.90);
  return s;
}

std::vector<VariantSummary> summarise(const Study& study, const std::vector<RunRow>& rows) {
  if (rows.size() != study.total_runs())
    throw std::invalid_argument("summarise: " + std::to_string(rows.size()) + " rows for a study of " +
                                std::to_string(study.total_runs()) + " runs");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (static_cast<std::size_t>(rows[i].variant) * study.runs + rows[i].run != i ||
        rows[i].metrics.size() != study.metrics.size() || rows[i].ratings.size() != study.objectives.size())
      throw std::invalid_argument("summarise: row " + std::to_string(i) + " does not belong there");
  }
  std::vector<VariantSummary> out(study.variants.size());
  for (std::size_t v = 0; v < study.variants.size(); ++v) {
    VariantSummary& vs = out[v];
    const std::size_t base = v * study.runs;
    for (std::size_t m = 0; m < study.metrics.size(); ++m) {
      MetricSummary ms;
      ms.runs = study.runs;
      std::vector<double> values;
      std::vector<double> diffs;
      for (std::size_t i = 0; i < study.runs; ++i) {
        const std::optional<double>& x = rows[base + i].metrics[m];
        if (x) values.push_back(*x);
        if (v > 0) {
          const std::optional<double>& b = rows[i].metrics[m];
          if (x && b) diffs.push_back(*x - *b);
        }
      }
      ms.stats = describe(values);
      if (v > 0) ms.diff = describe(diffs);
      vs.metrics.push_back(std::move(ms));
    }
    vs.ratings.assign(study.objectives.size(), {0, 0, 0, 0});
    for (std::size_t i = 0; i < study.runs; ++i)
      for (std::size_t o = 0; o < study.objectives.size(); ++o)
        ++vs.ratings[o][static_cast<std::size_t>(rows[base + i].ratings[o])];
  }
  return out;
}

}  // namespace cyberdrill::batch
