// What the time-based figures show, extracted from a run. No SFML: pure and unit-testable.
//
// Contract
//  - time_ticks(): "nice" ticks over [begin, end]: the smallest step from 15m, 30m, 1h, 2h, 3h, 6h,
//    12h, 1d, 2d, 7d that gives at most `max_ticks` ticks, at multiples of the step from T+0.
//    Labels: "T+6h" under a day, "T+2d" on whole days, "T+1d 6h" otherwise ("T+30m" style below
//    an hour).
//  - timeline_events(): the key events of a run, in time order (then record order), one lane
//    each: the attacker's successes (and the first goal each campaign reached), detections of scenario incidents and their reports to
//    `observer` (the triage organisation; background incidents and reports between other
//    organisations left out; every report when observer is kNone), escalations, decisions,
//    injects, obligations met/missed and containment. Labels are ids and names from the scenario
//    (may be long; the renderer clips).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cyberdrill/run.hpp"
#include "cyberdrill/scenario.hpp"
#include "cyberdrill/time.hpp"

namespace cyberdrill::viz {

struct TimeTick {
  SimTime at;
  std::string label;
};

[[nodiscard]] std::vector<TimeTick> time_ticks(SimTime begin, SimTime end, int max_ticks);
[[nodiscard]] std::string tick_label(SimTime t);
/// Clock form for figures, to the minute (truncated): "T+09:09", "T+1d 09:09".
[[nodiscard]] std::string clock_label(SimTime t);
/// A display name: `name` without a trailing parenthetical ("Scheldenet corporate IT (mail,
/// ERP)" -> "Scheldenet corporate IT") when at least 8 characters remain; `fallback` when empty.
[[nodiscard]] std::string short_name(const std::string& name, const std::string& fallback);

enum class Lane : std::uint8_t { attacker, detection, reporting, escalation, decisions, injects, obligations, response };
inline constexpr int kLaneCount = 8;
[[nodiscard]] const char* lane_name(Lane lane);

struct TimelineEvent {
  SimTime at;
  Lane lane = Lane::attacker;
  RecordKind kind = RecordKind::marker;
  std::string label;
  bool bad = false;   ///< a missed obligation, a timed-out step: drawn as a failure
};

[[nodiscard]] std::vector<TimelineEvent> timeline_events(const Scenario& scenario, const RunResult& run,
                                                        Index observer);

/// A vertical marker on the service-level chart: an escalation or a decision.
struct ChartMarker {
  SimTime at;
  bool escalation = false;  ///< else a decision
  std::string label;
};
[[nodiscard]] std::vector<ChartMarker> chart_markers(const Scenario& scenario, const RunResult& run);

}  // namespace cyberdrill::viz
