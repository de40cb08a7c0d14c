// A run of a study under a wall-clock limit (Study::max_wall_per_run_s). Private to sim/batch.
#pragma once

#include <vector>

#include "cyberdrill/run.hpp"
#include "cyberdrill/session.hpp"

namespace cyberdrill::batch {

/// As run_scenario (drill == nullptr) or replay_drill (the drill's actions), with the same records
/// and result, but throws RunTimedOut once the run has taken more than `limit_s` seconds of wall
/// clock. The clock is read every 4,096 dispatched events and after each replayed action (a
/// replayed action's advance is not interrupted).
[[nodiscard]] RunResult run_within_wall_limit(const Scenario& scenario, const RunOptions& options,
                                              const std::vector<DrillAction>* drill, double limit_s);

}  // namespace cyberdrill::batch
