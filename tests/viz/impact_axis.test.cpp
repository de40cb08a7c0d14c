// The broken time axis that gives the first hours room, and the impact curves' data.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "cyberdrill/metrics.hpp"
#include "impact_series.hpp"
#include "timeline.hpp"
#include "viz_helpers.hpp"

using namespace cyberdrill;
using namespace cyberdrill::viz;
using namespace cyberdrill::literals;

TEST_CASE("a four-day run acting in its first hours gets a broken axis focused on them") {
  std::vector<SimTime> times;
  for (int m = 10; m <= 300; m += 10) times.push_back(SimTime::zero() + Duration::minutes(m));  // T+10m .. T+5h
  times.push_back(SimTime::zero() + 3_d);  // one late event does not move the focus
  const SimTime end = SimTime::zero() + 4_d;
  const TimeAxis axis = focus_axis(times, end);
  REQUIRE(axis.broken());
  CHECK(axis.focus_end == SimTime::zero() + 6_h);  // 80 % of the events by T+5h, 10 % spare: 6 h
  CHECK(axis.fraction(SimTime::zero()) == 0.0);
  CHECK(axis.fraction(axis.focus_end) == doctest::Approx(0.65));
  CHECK(axis.fraction(end) == doctest::Approx(1.0));
  CHECK(axis.fraction(end + 1_h) == doctest::Approx(1.0));  // clamped
  // Monotone, and the first hours are wider than on a linear axis by the compression factor.
  double last = -1;
  for (SimTime t = SimTime::zero(); t <= end; t += 30_min) {
    CHECK(axis.fraction(t) > last);
    last = axis.fraction(t);
  }
  CHECK(axis.compression() == doctest::Approx((90.0 / 0.35) / (6.0 / 0.65)));
  // Ticks: increasing, the break itself labelled, both parts present.
  const auto ticks = axis.ticks(6, 3);
  CHECK(std::is_sorted(ticks.begin(), ticks.end(), [](const TimeTick& a, const TimeTick& b) { return a.at < b.at; }));
  CHECK(std::any_of(ticks.begin(), ticks.end(), [&](const TimeTick& t) { return t.at == axis.focus_end; }));
  CHECK(std::any_of(ticks.begin(), ticks.end(), [&](const TimeTick& t) { return t.at > axis.focus_end; }));
}

TEST_CASE("the axis stays linear for short runs and for events spread over the run") {
  std::vector<SimTime> early{SimTime::zero() + 1_h, SimTime::zero() + 2_h};
  CHECK_FALSE(focus_axis(early, SimTime::zero() + 12_h).broken());  // under a day
  std::vector<SimTime> spread;
  for (int h = 0; h < 96; h += 4) spread.push_back(SimTime::zero() + Duration::hours(h));
  const TimeAxis linear = focus_axis(spread, SimTime::zero() + 4_d);
  CHECK_FALSE(linear.broken());
  CHECK(linear.fraction(SimTime::zero() + 2_d) == doctest::Approx(0.5));
  CHECK(linear.compression() == 1.0);
  CHECK_FALSE(focus_axis({}, SimTime::zero() + 4_d).broken());
}

TEST_CASE("the impact curves of the flagship end on the run's own loss and peak at its own peaks") {
  testing::TempDir dir("impact");
  const RecordedRun run = testing::recorded(testing::flagship_path(), dir.path);
  const auto series = impact_series(run.scenario, run.result.records, run.result.end);
  REQUIRE(series.size() > 2);
  CHECK(series.front().at == SimTime::zero());
  CHECK(series.back().at == run.result.end);
  CHECK(std::is_sorted(series.begin(), series.end(), [](const ImpactPoint& a, const ImpactPoint& b) { return a.at < b.at; }));
  const auto metric = [&](std::string_view name) { return run.result.metrics.values.at(std::string(name)).value(); };
  CHECK(series.back().loss_eur == doctest::Approx(metric(metric::economic_loss)).epsilon(1e-6));
  double people = 0;
  std::array<double, kServiceClassCount> without{};
  for (const ImpactPoint& p : series) {
    people = std::max(people, p.people);
    for (std::size_t c = 0; c < kServiceClassCount; ++c) without[c] = std::max(without[c], p.without[c]);
  }
  CHECK(std::abs(people - metric(metric::peak_population_affected)) <= 0.5);
  CHECK(people > 0);
  for (std::size_t c = 0; c < kServiceClassCount; ++c) {
    CAPTURE(service_class_names()[c]);
    // The metrics count whole people (rounded).
    CHECK(std::abs(without[c] - metric(std::string(metric::peak_people_without_prefix) + service_class_names()[c])) <= 0.5);
  }
  // Deadlines: every clock due within the run, once.
  int clocks = 0, missed = 0;
  for (const ObligationClock& c : run.result.metrics.obligations)
    if (c.due <= run.result.end) ++clocks, missed += c.state == ObligationClock::State::missed;
  int marked = 0, marked_missed = 0;
  for (const ObligationMark& m : obligation_marks(run.scenario, run.result)) marked += m.clocks, marked_missed += m.missed;
  CHECK(marked == clocks);
  CHECK(marked_missed == missed);
  CHECK(clocks > 0);
}
