// Summary statistics: Student t and normal quantiles (Boost.Math), descriptive statistics, per-variant
// summaries with paired differences against the baseline.
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

#include "cyberdrill/batch.hpp"

namespace cyberdrill::batch {

// The quantiles come from Boost.Math (boost/math/distributions), which inverts the CDFs to full
// double precision; the domain checks stay here so the messages name our functions.
double normal_quantile(double p) {
  if (!(p > 0 && p < 1)) throw std::domain_error("normal_quantile: p must be in (0, 1)");
  if (p == 0.5) return 0;
  return boost::math::quantile(boost::math::normal_distribution<double>(0.0, 1.0), p);
}

double t_quantile(double p, double df) {
  if (!(p > 0 && p < 1)) throw std::domain_error("t_quantile: p must be in (0, 1)");
  if (!(df > 0) || !std::isfinite(df)) throw std::domain_error("t_quantile: df must be a positive number");
  // Beyond 1e7 degrees of freedom t and normal differ by under 1e-7 relative: the normal quantile,
  // as before (summaries of that many runs stay comparable with earlier ones).
  if (df > 1e7) return normal_quantile(p);
  if (p == 0.5) return 0;
  return boost::math::quantile(boost::math::students_t_distribution<double>(df), p);
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
