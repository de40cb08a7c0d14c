// Time axes and the key events of a run.
#include <doctest/doctest.h>

#include <algorithm>

#include "cyberdrill/scenario_io.hpp"
#include "snapshot.hpp"
#include "timeline.hpp"
#include "viz_helpers.hpp"

using namespace cyberdrill;
using namespace cyberdrill::viz;
using namespace cyberdrill::literals;

TEST_CASE("tick labels read in hours under a day and in days beyond") {
  CHECK(tick_label(SimTime::zero()) == "T+0");
  CHECK(tick_label(SimTime::zero() + 30_min) == "T+30m");
  CHECK(tick_label(SimTime::zero() + 6_h) == "T+6h");
  CHECK(tick_label(SimTime::zero() + 2_d) == "T+2d");
  CHECK(tick_label(SimTime::zero() + 1_d + 6_h) == "T+1d 6h");
}

TEST_CASE("the clock label is to the minute") {
  CHECK(clock_label(SimTime::zero() + 9_h + 9_min + 18_s) == "T+09:09");
  CHECK(clock_label(SimTime::zero() + 1_d + 2_h + 5_min) == "T+1d 02:05");
  CHECK(clock_label(SimTime::zero()) == "T+00:00");
}

TEST_CASE("ticks are nice steps from T+0, at most the number asked for") {
  const auto t12 = time_ticks(SimTime::zero(), SimTime::zero() + 12_h, 13);
  REQUIRE(t12.size() == 13);
  CHECK(t12[1].at == SimTime::zero() + 1_h);
  CHECK(t12.back().label == "T+12h");
  const auto t4d = time_ticks(SimTime::zero(), SimTime::zero() + 4_d, 9);
  REQUIRE(t4d.size() == 9);
  CHECK(t4d[2].label == "T+1d");
  for (int max : {2, 5, 10, 30}) {
    const auto t = time_ticks(SimTime::zero(), SimTime::zero() + 5_d + 3_h, max);
    CHECK(static_cast<int>(t.size()) <= max);
    CHECK(t.size() >= 1);
  }
}

TEST_CASE("short names drop a trailing parenthetical only when enough remains") {
  CHECK(short_name("Scheldenet corporate IT (mail, ERP)", "x") == "Scheldenet corporate IT");
  CHECK(short_name("CERT (BE)", "x") == "CERT (BE)");
  CHECK(short_name("", "fallback-id") == "fallback-id");
  CHECK(short_name("Mobile network", "x") == "Mobile network");
}

TEST_CASE("the tutorial's key events: breaker, detection, escalation, decision, inject, obligation") {
  const Scenario sc = load_scenario_or_throw(testing::tutorial_path());
  RunOptions o;
  o.seed = sc.metadata.seed;
  const RunResult res = run_scenario(sc, o);
  const auto events = timeline_events(sc, res, observer_org(sc, res.records));
  CHECK(std::is_sorted(events.begin(), events.end(),
                       [](const TimelineEvent& a, const TimelineEvent& b) { return a.at < b.at; }));
  auto has = [&](Lane l, const std::string& label) {
    return std::any_of(events.begin(), events.end(),
                       [&](const TimelineEvent& e) { return e.lane == l && e.label == label; });
  };
  CHECK(has(Lane::attacker, "saboteur/open-breaker"));
  CHECK(has(Lane::escalation, "\u2191 National cyber incident"));
  CHECK(has(Lane::decisions, "D-01: declare"));
  CHECK(has(Lane::injects, "I-01 The utility reports a blackout"));
  CHECK(has(Lane::obligations, "met early-warning (utility)"));
  CHECK(has(Lane::reporting, "power \u2192 csirt"));
  // The breaker opens at T+1h; the background load's incidents never appear.
  for (const TimelineEvent& e : events) {
    if (e.lane == Lane::attacker) CHECK(e.at == SimTime::zero() + 1_h);
    CHECK(e.label.find("?") == std::string::npos);
  }
  const auto markers = chart_markers(sc, res);
  REQUIRE(markers.size() == 2);
  CHECK(std::count_if(markers.begin(), markers.end(), [](const ChartMarker& m) { return m.escalation; }) == 1);
}
