// The findings per metric: for an objective's metric, what the trace shows happened (observation),
// why (analysis, root cause where the trace can tell) and what to do (action). Private to sim/report.
#pragma once

#include <string>

#include "trace_facts.hpp"

namespace cyberdrill::report_build {

/// "Target: <= 4 h; measured 5.2 h." for an objective and its value.
std::string threshold_sentence(const Objective& o, std::optional<double> value, const std::string& unit_value);
/// A metric's value in words with its unit ("5.2 h", "80 %", "not reached").
std::string metric_value_text(const std::string& metric, std::optional<double> v);
/// The core capability a plan step (flat index) exercises.
std::string capability_of_step(const TraceFacts& f, Index flat);

/// The finding for `metric` (an objective's metric): observation, analysis, root cause where the
/// trace can tell, action, capability element and who is responsible.
FindingDraft metric_finding(const TraceFacts& f, const std::string& metric);

}  // namespace cyberdrill::report_build
