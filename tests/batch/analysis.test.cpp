// Censored outcomes (Kaplan-Meier against a hand computation) and sensitivity (SRC and PRCC against
// a linear toy model with a known answer), and the study files that carry them.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <string>

#include "cyberdrill/batch.hpp"
#include "cyberdrill/random.hpp"

using namespace cyberdrill;
using namespace cyberdrill::batch;

TEST_CASE("kaplan_meier equals the hand computation with ties and censoring") {
  // t:  1  2  2  3+ 4  5+ 6   (+ = censored)
  const std::vector<double> t{2, 1, 3, 2, 6, 5, 4};
  const std::vector<bool> seen{true, true, false, true, true, false, true};
  const KaplanMeier km = kaplan_meier(t, seen, 10);
  CHECK(km.n == 7);
  CHECK(km.events == 5);
  CHECK(km.censored == 2);
  REQUIRE(km.steps.size() == 6);
  CHECK(km.steps[0].survival == doctest::Approx(6.0 / 7));
  CHECK(km.steps[1].at_risk == 6);
  CHECK(km.steps[1].events == 2);
  CHECK(km.steps[1].survival == doctest::Approx(6.0 / 7 * 4 / 6));
  CHECK(km.steps[3].at_risk == 3);  // at t = 4, after the censoring at 3
  CHECK(km.steps[3].survival == doctest::Approx(6.0 / 7 * 4 / 6 * 2 / 3));
  CHECK(km.steps[5].survival == doctest::Approx(0.0));
  REQUIRE(km.median);
  CHECK(*km.median == 4);  // S(2) = 0.571 > 0.5, S(4) = 0.381 <= 0.5
  // Area under S to 10: 1*1 + 6/7*1 + 4/7*2 + 8/21*2 + 0*4.
  CHECK(km.restricted_mean == doctest::Approx(1 + 6.0 / 7 + 8.0 / 7 + 16.0 / 21));
}

TEST_CASE("kaplan_meier: no median when half never reach the event, and the restricted mean counts them") {
  const KaplanMeier km = kaplan_meier({1, 2, 10, 10}, {true, true, false, false}, 10);
  CHECK(km.steps.back().survival == doctest::Approx(0.5));
  REQUIRE(km.median);  // S reaches exactly 0.5 at t = 2
  CHECK(*km.median == 2);
  const KaplanMeier fewer = kaplan_meier({1, 10, 10, 10}, {true, false, false, false}, 10);
  CHECK_FALSE(fewer.median);
  // Mean of the reached times would be 1; the restricted mean counts the censored runs at 10.
  CHECK(fewer.restricted_mean == doctest::Approx(1 + 0.75 * 9));
  CHECK(fewer.censored == 3);
}

TEST_CASE("sensitivity: SRC is exact on a noise-free balanced design, PRCC is 1 for a monotone output") {
  std::vector<std::vector<double>> x(2);
  std::vector<double> y, z;
  for (int a = 0; a < 5; ++a)
    for (int b = 0; b < 4; ++b) {
      x[0].push_back(a);
      x[1].push_back(b);
      y.push_back(3.0 * a - 2.0 * b);
      z.push_back(std::exp(static_cast<double>(a)) + 1e-3 * b * b);
    }
  auto sd = [](const std::vector<double>& v) {
    double m = 0, s = 0;
    for (double e : v) m += e;
    m /= static_cast<double>(v.size());
    for (double e : v) s += (e - m) * (e - m);
    return std::sqrt(s / static_cast<double>(v.size() - 1));
  };
  const auto s = sensitivity(x, y);
  REQUIRE(s);
  CHECK((*s)[0].src == doctest::Approx(3.0 * sd(x[0]) / sd(y)).epsilon(1e-9));
  CHECK((*s)[1].src == doctest::Approx(-2.0 * sd(x[1]) / sd(y)).epsilon(1e-9));
  // Orthogonal inputs and R^2 = 1: the squared SRCs sum to 1.
  CHECK((*s)[0].src * (*s)[0].src + (*s)[1].src * (*s)[1].src == doctest::Approx(1.0).epsilon(1e-9));
  const auto m = sensitivity(x, z);
  REQUIRE(m);
  CHECK((*m)[0].prcc == doctest::Approx(1.0).epsilon(1e-6));
  CHECK((*m)[1].prcc > 0.5);  // the small b^2 term is the only variation left once a is fixed
  // A constant input has no sensitivity.
  CHECK_FALSE(sensitivity({std::vector<double>(20, 1.0)}, y));
}

TEST_CASE("sensitivity recovers a linear toy model's coefficients within their intervals") {
  // y = 3 x1 - 2 x2 + 0.5 e, x ~ U(0, 1), e ~ N(0, 1): var y = 9/12 + 4/12 + 1/4 = 4/3, so the true
  // SRCs are 3 sqrt(1/12) / sqrt(4/3) = 0.75 and -0.5; the partial correlations (Pearson) are
  // 0.75 / sqrt(0.75^2 + 0.25 * 3/4)... = b sd(x) / sqrt(b^2 var x + 0.25): 0.866 and -0.756.
  RandomStream rng(42, "toy", "sensitivity");
  const std::size_t n = 4000;
  std::vector<std::vector<double>> x(3);
  std::vector<double> y;
  for (std::size_t i = 0; i < n; ++i) {
    const double a = rng.uniform01(), b = rng.uniform01(), c = rng.uniform01();
    x[0].push_back(a);
    x[1].push_back(b);
    x[2].push_back(c);  // no effect
    y.push_back(3 * a - 2 * b + 0.5 * rng.normal());
  }
  const auto s = sensitivity(x, y);
  REQUIRE(s);
  const double truth[3] = {0.75, -0.5, 0.0};
  for (int j = 0; j < 3; ++j) {
    CHECK((*s)[j].src_low <= truth[j]);
    CHECK((*s)[j].src_high >= truth[j]);
    CHECK((*s)[j].src == doctest::Approx(truth[j]).epsilon(0.04));
    CHECK((*s)[j].src_high - (*s)[j].src_low < 0.05);
  }
  CHECK((*s)[0].prcc == doctest::Approx(3 * std::sqrt(1.0 / 12) / std::sqrt(0.75 + 0.25)).epsilon(0.03));
  CHECK((*s)[1].prcc == doctest::Approx(-2 * std::sqrt(1.0 / 12) / std::sqrt(4.0 / 12 + 0.25)).epsilon(0.03));
  CHECK((*s)[2].prcc_low < 0);
  CHECK((*s)[2].prcc_high > 0);
}

TEST_CASE("a study reports censored runs and sensitivity per numeric axis") {
  const auto flagship = std::filesystem::path(CYBERDRILL_SOURCE_DIR) / "scenarios" / "belgium" / "grid-blackout.json";
  const Study st = make_study(flagship, {parse_vary("policy.reporting_coverage_scale=0,1")}, 12, 5);
  std::vector<std::optional<RunRow>> slots(st.total_runs());
  ExecuteOptions o;
  o.threads = 2;
  (void)execute(st, slots, o);
  std::vector<RunRow> rows;
  for (auto& r : slots) rows.push_back(*r);
  const MetricColumn col = metric_column(st, rows);
  const std::string cens = censoring_csv(st, col);
  // With reporting coverage 0 no report ever arrives: every run censored at the horizon.
  const std::string horizon = format_number(st.variants[0].scenario.metadata.duration.to_hours());
  CHECK(cens.find("v0,0,time_to_report_h,12,0,12," + horizon + ",," + horizon + ",\n") != std::string::npos);
  CHECK(survival_csv(st, col).find("v1,time_to_report_h,") != std::string::npos);
  const std::string sens = sensitivity_csv(st, col);
  CHECK(sens.find("policy.reporting_coverage_scale,time_to_detect_h,") != std::string::npos);
  CHECK(numeric_axes(st) == std::vector<std::size_t>{0});
}

TEST_CASE("kaplan_meier_passes equals kaplan_meier over several passes, and the streamed study files equal the in-memory ones") {
  // 6,000 runs per configuration, a tenth censored at the horizon, the others on a 0.0001 h grid
  // (about 5,250 distinct times and some 160 ties: two passes of at most 4,096).
  const auto flagship = std::filesystem::path(CYBERDRILL_SOURCE_DIR) / "scenarios" / "belgium" / "grid-blackout.json";
  const Study st = make_study(flagship, {parse_vary("policy.reporting_coverage_scale=0.5,1")}, 6'000, 5);
  RandomStream rng(42);
  std::vector<RunRow> rows;
  for (std::uint32_t v = 0; v < 2; ++v)
    for (std::uint32_t i = 0; i < st.runs; ++i) {
      RunRow r;
      r.variant = v;
      r.run = i;
      r.seed = st.seed_for(v, i);
      r.metrics.resize(st.metrics.size());
      for (auto& m : r.metrics)
        if (!rng.bernoulli(0.1)) m = std::round(rng.uniform01() * 90'000) / 10'000;
      r.ratings.assign(st.objectives.size(), Rating::P);
      r.impact.assign(2 * std::size_t{st.impact_points}, 0.0);
      rows.push_back(std::move(r));
    }
  const double horizon = censoring_hours(st, 0);
  std::vector<double> times;
  std::vector<bool> seen;
  for (std::uint32_t i = 0; i < st.runs; ++i) {
    const auto& x = rows[i].metrics[0];
    times.push_back(x ? *x : horizon);
    seen.push_back(x.has_value());
  }
  const KaplanMeier whole = kaplan_meier(times, seen, horizon);
  REQUIRE(whole.steps.size() > 4096);
  REQUIRE(whole.steps.size() < times.size() - 1);  // ties
  std::vector<SurvivalStep> steps;
  const KaplanMeier passes = kaplan_meier_passes(
      [&](const std::function<void(const std::optional<double>&)>& f) {
        for (std::uint32_t i = 0; i < st.runs; ++i) f(rows[i].metrics[0]);
      },
      horizon, [&](const SurvivalStep& s) { steps.push_back(s); });
  CHECK(passes.steps.empty());
  CHECK(passes.n == whole.n);
  CHECK(passes.events == whole.events);
  CHECK(passes.censored == whole.censored);
  CHECK(passes.median == whole.median);
  CHECK(passes.restricted_mean == whole.restricted_mean);  // bit for bit: the same sums in the same order
  REQUIRE(steps.size() == whole.steps.size());
  for (std::size_t k = 0; k < steps.size(); ++k) {
    CAPTURE(k);
    CHECK(steps[k].time == whole.steps[k].time);
    CHECK(steps[k].at_risk == whole.steps[k].at_risk);
    CHECK(steps[k].events == whole.steps[k].events);
    CHECK(steps[k].censored == whole.steps[k].censored);
    CHECK(steps[k].survival == whole.steps[k].survival);
  }

  const auto dir = std::filesystem::temp_directory_path();
  RowStore store(st, dir);
  for (const RunRow& r : rows) store.put(r);
  const MetricColumn col = metric_column(st, rows);
  const MetricEach each = metric_each(st, store);
  CHECK(censoring_csv_streamed(st, each) == censoring_csv(st, col));
  const std::string survival = survival_csv(st, col);
  CHECK(survival_csv_streamed(st, each) == survival);
  CHECK(std::count(survival.begin(), survival.end(), '\n') > 1000);  // thinned, yet several curves
}

TEST_CASE("progress_text: a bar with runs done, runs/s and ETA, or a plain line") {
  Progress p;
  p.done = 250;
  p.total = 1000;
  p.runs_per_s = 125;
  p.eta_s = 6;
  const std::string bar = progress_text(p, true, 80);
  CHECK(bar.starts_with("["));
  CHECK(bar.find("250/1000 runs") != std::string::npos);
  CHECK(bar.find("25 %") != std::string::npos);
  CHECK(bar.find("125 runs/s") != std::string::npos);
  CHECK(bar.find("ETA 6 s") != std::string::npos);
  const auto hashes = std::count(bar.begin(), bar.end(), '#');
  const auto dots = std::count(bar.begin(), bar.end(), '.');
  CHECK(hashes * 4 == hashes + dots);  // a quarter filled
  CHECK(bar.size() <= 80);
  CHECK(progress_text(p, false) == "250/1000 runs (25 %), 125 runs/s, ETA 6 s");
  p.eta_s = 3725;
  CHECK(progress_text(p, false).find("ETA 1 h 02 min") != std::string::npos);
}
