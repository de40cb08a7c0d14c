// Limits and horizon lint over a typed scenario (issue 15), called once from read_scenario:
//  - errors (the scenario is refused): a horizon beyond kMaxHorizon, a background load beyond
//    kMaxBackgroundRatePerDay (include/cyberdrill/limits.hpp);
//  - warnings (only when there is no error): a horizon beyond the default --max-sim-time, a
//    background load implausible for a national CSIRT or large enough to reach the default
//    --max-events, an inject timed after the horizon, a decision asked after the horizon or whose
//    deadline falls after it (its default is then never applied).
// Private to sim/input.
#pragma once

#include "composition.hpp"
#include "cyberdrill/scenario.hpp"

namespace cyberdrill::io {

/// Reports into `c` (pointers of the merged document). `s` is the reader's typed scenario.
void check_limits_and_lint(Composition& c, const Scenario& s);

}  // namespace cyberdrill::io
