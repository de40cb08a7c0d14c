// JSON -> Scenario: typed conversion of a composed document with every check the format allows
// (types, units, ranges, references) plus the semantic lint (dependency cycles, attack-graph
// reachability, triggers that can never fire, ...). Private to sim/input.
#pragma once

#include <string>
#include <string_view>

#include "composition.hpp"
#include "cyberdrill/scenario.hpp"

namespace cyberdrill::io {

/// Converts `c.merged` into a Scenario, reporting every problem into `c`. The returned scenario
/// is only meaningful when `c.has_errors()` is false afterwards.
[[nodiscard]] Scenario read_scenario(Composition& c, std::string source_path);

/// Live quantities a condition trigger may also test (besides known_metrics()).
[[nodiscard]] const std::vector<std::string>& live_quantities();

/// Parses a scenario clock time: "T+03:15", "T+2d 03:15", "T+49:30" (try_parse_sim_time) or
/// "T+" followed by a planner duration ("T+2h", "T+1d12h", "T+0"). Negative times are refused.
[[nodiscard]] std::optional<SimTime> parse_scenario_time(std::string_view text, std::string* error);

}  // namespace cyberdrill::io
