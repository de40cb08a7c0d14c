// Censored outcomes (Kaplan-Meier) and sensitivity (standardised regression coefficients and
// partial rank correlations) of a study. Pure functions of the study and its rows, in index order.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <stdexcept>

#include "cyberdrill/batch.hpp"
#include "cyberdrill/metrics.hpp"

namespace cyberdrill::batch {
namespace {

// Solves the symmetric system a x = b (n x n, row-major) by Gaussian elimination with partial
// pivoting; also returns the inverse's diagonal. Empty when singular.
std::optional<std::pair<std::vector<double>, std::vector<double>>> solve_with_inverse_diagonal(std::vector<double> a,
                                                                                               std::vector<double> b) {
  const std::size_t n = b.size();
  // Augment with the identity to get the inverse.
  std::vector<double> inv(n * n, 0.0);
  for (std::size_t i = 0; i < n; ++i) inv[i * n + i] = 1;
  double scale = 0;
  for (const double v : a) scale = std::max(scale, std::abs(v));
  for (std::size_t c = 0; c < n; ++c) {
    std::size_t piv = c;
    for (std::size_t r = c + 1; r < n; ++r)
      if (std::abs(a[r * n + c]) > std::abs(a[piv * n + c])) piv = r;
    if (!(std::abs(a[piv * n + c]) > 1e-12 * std::max(scale, 1e-300))) return std::nullopt;
    if (piv != c) {
      for (std::size_t k = 0; k < n; ++k) {
        std::swap(a[piv * n + k], a[c * n + k]);
        std::swap(inv[piv * n + k], inv[c * n + k]);
      }
      std::swap(b[piv], b[c]);
    }
    const double d = a[c * n + c];
    for (std::size_t k = 0; k < n; ++k) {
      a[c * n + k] /= d;
      inv[c * n + k] /= d;
    }
    b[c] /= d;
    for (std::size_t r = 0; r < n; ++r) {
      if (r == c) continue;
      const double f = a[r * n + c];
      if (f == 0) continue;
      for (std::size_t k = 0; k < n; ++k) {
        a[r * n + k] -= f * a[c * n + k];
        inv[r * n + k] -= f * inv[c * n + k];
      }
      b[r] -= f * b[c];
    }
  }
  std::vector<double> diag(n);
  for (std::size_t i = 0; i < n; ++i) diag[i] = inv[i * n + i];
  return std::make_pair(std::move(b), std::move(diag));
}

struct Fit {
  std::vector<double> coef;       // intercept first
  std::vector<double> se;         // standard errors, same order
  std::vector<double> residuals;  // per observation
};

// Ordinary least squares of y on the columns x (with an intercept).
std::optional<Fit> least_squares(const std::vector<std::vector<double>>& x, const std::vector<double>& y) {
  const std::size_t n = y.size();
  const std::size_t p = x.size() + 1;
  std::vector<double> xtx(p * p, 0.0), xty(p, 0.0);
  auto at = [&](std::size_t j, std::size_t i) { return j == 0 ? 1.0 : x[j - 1][i]; };
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < p; ++j) {
      xty[j] += at(j, i) * y[i];
      for (std::size_t k = 0; k < p; ++k) xtx[j * p + k] += at(j, i) * at(k, i);
    }
  const auto sol = solve_with_inverse_diagonal(xtx, xty);
  if (!sol) return std::nullopt;
  Fit f;
  f.coef = sol->first;
  f.residuals.resize(n);
  double rss = 0;
  for (std::size_t i = 0; i < n; ++i) {
    double yhat = 0;
    for (std::size_t j = 0; j < p; ++j) yhat += f.coef[j] * at(j, i);
    f.residuals[i] = y[i] - yhat;
    rss += f.residuals[i] * f.residuals[i];
  }
  const double s2 = n > p ? rss / static_cast<double>(n - p) : 0.0;
  f.se.resize(p);
  for (std::size_t j = 0; j < p; ++j) f.se[j] = std::sqrt(std::max(0.0, s2 * sol->second[j]));
  return f;
}

double mean_of(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size()); }

double sd_of(const std::vector<double>& v) {
  const double m = mean_of(v);
  double ss = 0;
  for (const double x : v) ss += (x - m) * (x - m);
  return std::sqrt(ss / static_cast<double>(v.size() - 1));
}

double correlation(const std::vector<double>& a, const std::vector<double>& b) {
  const double ma = mean_of(a), mb = mean_of(b);
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  if (!(saa > 0 && sbb > 0)) return 0;
  return sab / std::sqrt(saa * sbb);
}

// Mid-ranks (1-based) of v.
std::vector<double> ranks(const std::vector<double>& v) {
  std::vector<std::size_t> order(v.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
  std::vector<double> r(v.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) ++j;
    const double mid = (static_cast<double>(i) + static_cast<double>(j)) / 2.0 + 1.0;
    for (std::size_t k = i; k <= j; ++k) r[order[k]] = mid;
    i = j + 1;
  }
  return r;
}

std::string settings_cells(const Study& study, const Variant& v) {
  std::string out = csv_field(v.id);
  for (std::size_t i = 0; i < study.axes.size(); ++i) out += "," + csv_field(v.values[i]);
  return out;
}

std::string settings_header(const Study& study) {
  std::string out = "variant";
  for (const VaryAxis& a : study.axes) out += "," + csv_field(a.path);
  return out;
}

}  // namespace

KaplanMeier kaplan_meier(const std::vector<double>& times, const std::vector<bool>& observed, double horizon) {
  if (times.size() != observed.size()) throw std::invalid_argument("kaplan_meier: times and observed differ in size");
  KaplanMeier km;
  km.n = times.size();
  km.horizon = horizon;
  std::vector<std::size_t> order(times.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return times[a] < times[b]; });
  std::size_t at_risk = km.n;
  double s = 1;
  double area = 0, last_t = 0;
  for (std::size_t i = 0; i < order.size();) {
    const double t = times[order[i]];
    SurvivalStep step;
    step.time = t;
    step.at_risk = at_risk;
    std::size_t j = i;
    for (; j < order.size() && times[order[j]] == t; ++j) (observed[order[j]] ? step.events : step.censored) += 1;
    const double clipped = std::min(std::max(t, 0.0), horizon);
    area += s * std::max(0.0, clipped - last_t);
    last_t = std::max(last_t, clipped);
    if (step.events > 0) s *= 1.0 - static_cast<double>(step.events) / static_cast<double>(at_risk);
    step.survival = s;
    if (!km.median && step.events > 0 && s <= 0.5) km.median = t;
    km.events += step.events;
    km.censored += step.censored;
    at_risk -= step.events + step.censored;
    km.steps.push_back(step);
    i = j;
  }
  if (horizon > last_t) area += s * (horizon - last_t);
  km.restricted_mean = km.n > 0 ? area : 0.0;
  return km;
}

const std::vector<std::string>& survival_metrics() {
  static const std::vector<std::string> v{std::string(metric::time_to_detect),   std::string(metric::time_to_report),
                                          std::string(metric::time_to_triage),   std::string(metric::time_to_escalate),
                                          std::string(metric::time_to_crisis),   std::string(metric::time_to_contain),
                                          std::string(metric::time_to_recover)};
  return v;
}

double censoring_hours(const Study& study, std::size_t variant) {
  double h = study.variants.at(variant).scenario.metadata.duration.to_hours();
  if (study.max_sim_time) h = std::min(h, study.max_sim_time->to_hours());
  return h;
}

MetricColumn metric_column(const Study& study, const std::vector<RunRow>& rows) {
  return [&study, &rows](std::size_t variant, std::size_t metric) {
    std::vector<std::optional<double>> out(study.runs);
    for (std::uint32_t r = 0; r < study.runs; ++r) out[r] = rows.at(variant * study.runs + r).metrics.at(metric);
    return out;
  };
}

MetricColumn metric_column(const Study& study, const RowStore& rows) {
  return [&study, &rows](std::size_t variant, std::size_t metric) {
    std::vector<std::optional<double>> out(study.runs);
    rows.read_metric(variant * study.runs, study.runs, metric, out.data());
    return out;
  };
}

namespace {

template <class F>
void for_survival(const Study& study, const MetricColumn& column, F&& f) {
  for (std::size_t v = 0; v < study.variants.size(); ++v) {
    const double horizon = censoring_hours(study, v);
    for (const std::string& name : survival_metrics()) {
      const auto it = std::find(study.metrics.begin(), study.metrics.end(), name);
      if (it == study.metrics.end()) continue;
      const std::vector<std::optional<double>> values = column(v, static_cast<std::size_t>(it - study.metrics.begin()));
      std::vector<double> times;
      std::vector<bool> observed;
      double sum = 0;
      std::size_t reached = 0;
      for (const auto& x : values) {
        times.push_back(x ? *x : horizon);
        observed.push_back(x.has_value());
        if (x) {
          sum += *x;
          ++reached;
        }
      }
      const KaplanMeier km = kaplan_meier(times, observed, horizon);
      f(v, name, km, reached > 0 ? std::optional<double>(sum / static_cast<double>(reached)) : std::nullopt);
    }
  }
}

}  // namespace

MetricEach metric_each(const Study& study, const RowStore& rows) {
  return [&study, &rows](std::size_t variant, std::size_t metric, const std::function<void(const std::optional<double>&)>& f) {
    constexpr std::size_t kChunk = 512;
    std::array<std::optional<double>, kChunk> buf;
    for (std::size_t at = 0; at < study.runs; at += kChunk) {
      const std::size_t m = std::min<std::size_t>(kChunk, study.runs - at);
      rows.read_metric(variant * study.runs + at, m, metric, buf.data());
      for (std::size_t i = 0; i < m; ++i) f(buf[i]);
    }
  };
}

KaplanMeier kaplan_meier_passes(const SampleEach& each, double horizon, const std::function<void(const SurvivalStep&)>& on_step) {
  constexpr std::size_t kDistinct = 4096;  // distinct times gathered per pass
  struct Entry {
    double time;
    std::size_t events, censored;
  };
  KaplanMeier km;
  km.horizon = horizon;
  each([&](const std::optional<double>&) { ++km.n; });
  std::size_t at_risk = km.n;
  double s = 1;
  double area = 0, last_t = 0;
  std::optional<double> after;  // every time up to this one is done
  std::vector<Entry> entries;
  entries.reserve(2 * kDistinct);
  while (at_risk > 0) {
    entries.clear();
    std::optional<double> cut;  // once kDistinct distinct times are held, later larger ones are not needed
    auto compact = [&] {
      std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.time < b.time; });
      std::size_t out = 0;
      for (std::size_t i = 0; i < entries.size(); ++i) {
        if (out > 0 && entries[out - 1].time == entries[i].time) {
          entries[out - 1].events += entries[i].events;
          entries[out - 1].censored += entries[i].censored;
        } else {
          entries[out++] = entries[i];
        }
      }
      entries.resize(std::min(out, kDistinct));
      if (entries.size() == kDistinct) cut = entries.back().time;
    };
    each([&](const std::optional<double>& x) {
      const double t = x ? *x : horizon;
      if (after && !(t > *after)) return;
      if (cut && t > *cut) return;
      entries.push_back({t, x ? std::size_t{1} : 0, x ? 0 : std::size_t{1}});
      if (entries.size() == entries.capacity()) compact();
    });
    compact();
    if (entries.empty()) break;  // only values that compare false (NaN): nothing more to order
    for (const Entry& e : entries) {
      SurvivalStep step;
      step.time = e.time;
      step.at_risk = at_risk;
      step.events = e.events;
      step.censored = e.censored;
      const double clipped = std::min(std::max(e.time, 0.0), horizon);
      area += s * std::max(0.0, clipped - last_t);
      last_t = std::max(last_t, clipped);
      if (step.events > 0) s *= 1.0 - static_cast<double>(step.events) / static_cast<double>(at_risk);
      step.survival = s;
      if (!km.median && step.events > 0 && s <= 0.5) km.median = e.time;
      km.events += step.events;
      km.censored += step.censored;
      at_risk -= step.events + step.censored;
      if (on_step) on_step(step);
    }
    after = entries.back().time;
  }
  if (horizon > last_t) area += s * (horizon - last_t);
  km.restricted_mean = km.n > 0 ? area : 0.0;
  return km;
}

namespace {

// for_survival over a stream: f(variant, name, km without steps, mean of the reached values), the
// steps to on_step(variant, name, step, last) as they come (last: the curve's final step).
template <class F, class G>
void for_survival_streamed(const Study& study, const MetricEach& each, F&& f, G&& on_step) {
  for (std::size_t v = 0; v < study.variants.size(); ++v) {
    const double horizon = censoring_hours(study, v);
    for (const std::string& name : survival_metrics()) {
      const auto it = std::find(study.metrics.begin(), study.metrics.end(), name);
      if (it == study.metrics.end()) continue;
      const auto m = static_cast<std::size_t>(it - study.metrics.begin());
      double sum = 0;
      std::size_t reached = 0;
      each(v, m, [&](const std::optional<double>& x) {
        if (x) {
          sum += *x;
          ++reached;
        }
      });
      // One step of look-ahead, so that the last step is known as the last.
      std::optional<SurvivalStep> held;
      const KaplanMeier km = kaplan_meier_passes(
          [&](const std::function<void(const std::optional<double>&)>& g) { each(v, m, g); }, horizon,
          [&](const SurvivalStep& step) {
            if (held) on_step(v, name, *held, false);
            held = step;
          });
      if (held) on_step(v, name, *held, true);
      f(v, name, km, reached > 0 ? std::optional<double>(sum / static_cast<double>(reached)) : std::nullopt);
    }
  }
}

}  // namespace

std::string censoring_csv_streamed(const Study& study, const MetricEach& each) {
  std::string out = settings_header(study) +
                    ",metric,runs,reached,censored,censor_h,km_median_h,restricted_mean_h,mean_reached_h\n";
  for_survival_streamed(
      study, each,
      [&](std::size_t v, const std::string& name, const KaplanMeier& km, std::optional<double> mean) {
        out += settings_cells(study, study.variants[v]) + "," + csv_field(name) + "," + std::to_string(km.n) + "," +
               std::to_string(km.events) + "," + std::to_string(km.censored) + "," + format_number(km.horizon) + "," +
               (km.median ? format_number(*km.median) : std::string()) + "," + format_number(km.restricted_mean) + "," +
               (mean ? format_number(*mean) : std::string()) + "\n";
      },
      [](std::size_t, const std::string&, const SurvivalStep&, bool) {});
  return out;
}

std::string survival_csv_streamed(const Study& study, const MetricEach& each) {
  std::string out = "variant,metric,time_h,at_risk,events,censored,survival\n";
  // The thinning of survival_csv: a step is kept when S dropped by at least 1/1000 since the last
  // kept one, the first and the last step always.
  constexpr double kSurvivalPoints = 1000;
  double last_kept = 2;
  bool first = true;
  for_survival_streamed(
      study, each,
      [&](std::size_t, const std::string&, const KaplanMeier&, std::optional<double>) {
        last_kept = 2;
        first = true;
      },
      [&](std::size_t v, const std::string& name, const SurvivalStep& s, bool last) {
        const bool keep = first || last || !(last_kept - s.survival < 1.0 / kSurvivalPoints);
        first = false;
        if (!keep) return;
        last_kept = s.survival;
        out += csv_field(study.variants[v].id) + "," + csv_field(name) + "," + format_number(s.time) + "," +
               std::to_string(s.at_risk) + "," + std::to_string(s.events) + "," + std::to_string(s.censored) + "," +
               format_number(s.survival) + "\n";
      });
  return out;
}

std::string censoring_csv(const Study& study, const MetricColumn& column) {
  std::string out = settings_header(study) +
                    ",metric,runs,reached,censored,censor_h,km_median_h,restricted_mean_h,mean_reached_h\n";
  for_survival(study, column, [&](std::size_t v, const std::string& name, const KaplanMeier& km, std::optional<double> mean) {
    out += settings_cells(study, study.variants[v]) + "," + csv_field(name) + "," + std::to_string(km.n) + "," +
           std::to_string(km.events) + "," + std::to_string(km.censored) + "," + format_number(km.horizon) + "," +
           (km.median ? format_number(*km.median) : std::string()) + "," + format_number(km.restricted_mean) + "," +
           (mean ? format_number(*mean) : std::string()) + "\n";
  });
  return out;
}

std::string survival_csv(const Study& study, const MetricColumn& column) {
  std::string out = "variant,metric,time_h,at_risk,events,censored,survival\n";
  for_survival(study, column, [&](std::size_t v, const std::string& name, const KaplanMeier& km, std::optional<double>) {
    // At most about kSurvivalPoints rows per curve: a step is kept when S dropped by at least
    // 1/kSurvivalPoints since the last kept one, and the last step always (memory and file size stay
    // flat in the number of runs).
    constexpr double kSurvivalPoints = 1000;
    double last_kept = 2;
    for (std::size_t k = 0; k < km.steps.size(); ++k) {
      const SurvivalStep& s = km.steps[k];
      if (k + 1 < km.steps.size() && last_kept - s.survival < 1.0 / kSurvivalPoints && k > 0) continue;
      last_kept = s.survival;
      out += csv_field(study.variants[v].id) + "," + csv_field(name) + "," + format_number(s.time) + "," +
             std::to_string(s.at_risk) + "," + std::to_string(s.events) + "," + std::to_string(s.censored) + "," +
             format_number(s.survival) + "\n";
    }
  });
  return out;
}

std::optional<std::vector<Sensitivity>> sensitivity(const std::vector<std::vector<double>>& x, const std::vector<double>& y) {
  const std::size_t p = x.size();
  const std::size_t n = y.size();
  if (p == 0 || n < p + 3) return std::nullopt;
  for (const auto& col : x)
    if (col.size() != n) throw std::invalid_argument("sensitivity: input columns and output differ in length");
  const double sy = sd_of(y);
  if (!(sy > 0)) return std::nullopt;
  std::vector<double> sx(p);
  for (std::size_t j = 0; j < p; ++j) {
    sx[j] = sd_of(x[j]);
    if (!(sx[j] > 0)) return std::nullopt;
  }
  const std::optional<Fit> fit = least_squares(x, y);
  if (!fit) return std::nullopt;
  const double tq = t_quantile(0.975, static_cast<double>(n - p - 1));
  std::vector<Sensitivity> out(p);
  for (std::size_t j = 0; j < p; ++j) {
    const double k = sx[j] / sy;
    out[j].src = fit->coef[j + 1] * k;
    out[j].src_low = (fit->coef[j + 1] - tq * fit->se[j + 1]) * k;
    out[j].src_high = (fit->coef[j + 1] + tq * fit->se[j + 1]) * k;
  }
  // PRCC on ranks.
  std::vector<std::vector<double>> rx(p);
  for (std::size_t j = 0; j < p; ++j) rx[j] = ranks(x[j]);
  const std::vector<double> ry = ranks(y);
  const double zq = normal_quantile(0.975);
  for (std::size_t j = 0; j < p; ++j) {
    std::vector<std::vector<double>> others;
    for (std::size_t k = 0; k < p; ++k)
      if (k != j) others.push_back(rx[k]);
    const std::optional<Fit> fx = least_squares(others, rx[j]);
    const std::optional<Fit> fy = least_squares(others, ry);
    if (!fx || !fy) return std::nullopt;
    const double r = std::clamp(correlation(fx->residuals, fy->residuals), -1.0, 1.0);
    out[j].prcc = r;
    const double dof = static_cast<double>(n) - 3.0 - static_cast<double>(p - 1);
    if (dof > 0 && std::abs(r) < 1) {
      const double z = std::atanh(r);
      const double half = zq / std::sqrt(dof);
      out[j].prcc_low = std::tanh(z - half);
      out[j].prcc_high = std::tanh(z + half);
    } else {
      out[j].prcc_low = out[j].prcc_high = r;
    }
  }
  return out;
}

std::vector<std::size_t> numeric_axes(const Study& study) {
  std::vector<std::size_t> out;
  for (std::size_t a = 0; a < study.axes.size(); ++a) {
    const VaryAxis& axis = study.axes[a];
    if (axis.kind != VaryAxis::Kind::policy && axis.kind != VaryAxis::Kind::value) continue;
    bool numeric = true;
    std::vector<double> seen;
    for (const Variant& v : study.variants) {
      char* end = nullptr;
      const std::string& text = v.values[a];
      const double d = std::strtod(text.c_str(), &end);
      if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(d)) {
        numeric = false;
        break;
      }
      if (std::find(seen.begin(), seen.end(), d) == seen.end()) seen.push_back(d);
    }
    if (numeric && seen.size() >= 2) out.push_back(a);
  }
  return out;
}

std::string sensitivity_csv(const Study& study, const MetricColumn& column) {
  std::string out = "parameter,metric,n,src,src_ci95_low,src_ci95_high,prcc,prcc_ci95_low,prcc_ci95_high\n";
  const std::vector<std::size_t> axes = numeric_axes(study);
  if (axes.empty()) return out;
  std::vector<std::vector<double>> value(study.variants.size(), std::vector<double>(axes.size()));
  for (std::size_t v = 0; v < study.variants.size(); ++v)
    for (std::size_t j = 0; j < axes.size(); ++j) value[v][j] = std::strtod(study.variants[v].values[axes[j]].c_str(), nullptr);
  for (std::size_t m = 0; m < study.metrics.size(); ++m) {
    std::vector<std::vector<double>> x(axes.size());
    std::vector<double> y;
    for (std::size_t v = 0; v < study.variants.size(); ++v) {
      const std::vector<std::optional<double>> col = column(v, m);
      for (const auto& c : col) {
        if (!c) continue;
        y.push_back(*c);
        for (std::size_t j = 0; j < axes.size(); ++j) x[j].push_back(value[v][j]);
      }
    }
    const auto s = sensitivity(x, y);
    if (!s) continue;
    for (std::size_t j = 0; j < axes.size(); ++j) {
      const Sensitivity& e = (*s)[j];
      out += csv_field(study.axes[axes[j]].path) + "," + csv_field(study.metrics[m]) + "," + std::to_string(y.size()) + "," +
             format_number(e.src) + "," + format_number(e.src_low) + "," + format_number(e.src_high) + "," +
             format_number(e.prcc) + "," + format_number(e.prcc_low) + "," + format_number(e.prcc_high) + "\n";
    }
  }
  return out;
}

}  // namespace cyberdrill::batch

namespace cyberdrill::batch {
namespace {

std::string eta_text(double s) {
  char buf[32];
  if (s < 60)
    std::snprintf(buf, sizeof buf, "%.0f s", s);
  else if (s < 3600)
    std::snprintf(buf, sizeof buf, "%.0f min %02.0f s", std::floor(s / 60), std::floor(std::fmod(s, 60)));
  else
    std::snprintf(buf, sizeof buf, "%.0f h %02.0f min", std::floor(s / 3600), std::floor(std::fmod(s, 3600) / 60));
  return buf;
}

}  // namespace

std::string progress_text(const Progress& p, bool bar, unsigned width) {
  const double frac = p.total > 0 ? std::min(1.0, static_cast<double>(p.done) / static_cast<double>(p.total)) : 1.0;
  char buf[160];
  std::snprintf(buf, sizeof buf, "%zu/%zu runs%s%.0f %%%s %.0f runs/s", p.done, p.total, bar ? "  " : " (", 100.0 * frac,
                bar ? " " : "),", p.runs_per_s);
  std::string tail = buf;
  if (p.eta_s) tail += (bar ? "  ETA " : ", ETA ") + eta_text(*p.eta_s);
  if (!bar) return tail;
  const int room = static_cast<int>(width) - static_cast<int>(tail.size()) - 4;
  const int cells = std::clamp(room, 10, 50);
  const auto filled = static_cast<int>(std::floor(frac * cells));
  return "[" + std::string(static_cast<std::size_t>(filled), '#') + std::string(static_cast<std::size_t>(cells - filled), '.') +
         "]  " + tail;
}

}  // namespace cyberdrill::batch
