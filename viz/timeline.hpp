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

/// A time axis over [T+0, end] that can give the first hours more room: a piecewise-linear map
/// of time to [0, 1]. [T+0, focus_end] takes `focus_share` of the width and (focus_end, end] the
/// rest, so a multi-day run whose action is in its first hours shows those hours in detail and
/// the tail at a smaller scale, with the change of scale marked (a broken axis). When
/// focus_end == end the axis is linear.
struct TimeAxis {
  SimTime end;
  SimTime focus_end;
  double focus_share = 1.0;
  [[nodiscard]] bool broken() const { return focus_end < end; }
  /// Where `t` is on the axis, in [0, 1] (clamped to [T+0, end]); monotone increasing.
  [[nodiscard]] double fraction(SimTime t) const;
  /// Hours of scenario time per unit of width in the tail, over the same in the focus: > 1 when
  /// the tail is compressed (1 for a linear axis).
  [[nodiscard]] double compression() const;
  /// Ticks: nice ticks of the focus part (at most `max_focus`) and of the tail (at most
  /// `max_tail`, none closer to focus_end than a fifth of the tail's width), focus_end included.
  [[nodiscard]] std::vector<TimeTick> ticks(int max_focus, int max_tail) const;
};

/// The axis for events at `times` (any order) on a run ending at `end`: linear for runs shorter
/// than 24 h or when the events spread over the run; otherwise focus_end is the smallest of 2, 3,
/// 4, 6, 8, 12, 18, 24, 36 and 48 h that holds 80 % of the events (nearest rank) with 10 % to
/// spare, kept only when it is at most a third of the run, and it gets 65 % of the width.
[[nodiscard]] TimeAxis focus_axis(std::vector<SimTime> times, SimTime end);

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
