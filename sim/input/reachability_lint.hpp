// Reachability lint over a typed scenario (issue 15), called once from read_scenario when the
// scenario has no error. Warnings only; what each one means in this model is in docs/MODEL.md,
// "What validate warns about":
//  - an obligation with no channel: no operator it applies to (its clock never starts), or an
//    untyped ("report": "incident") obligation whose recipient no reporting channel, notify
//    effect or typed report of the same operator can reach from some operator it applies to
//    (that operator's clocks are always missed);
//  - an unreachable objective: its metric can never happen in this scenario, so it always rates
//    U (no level above the baseline for the escalation metrics, no containing or isolating
//    effect for time_to_contain_h, no obligation, no decision, no triage organisation, nothing
//    reporting to the triage organisation).
// A decision waiting for an inject that is never delivered is warned by the trigger lint
// (scenario_lint.cpp), which follows inject and decision chains. Private to sim/input.
#pragma once

#include "composition.hpp"
#include "cyberdrill/scenario.hpp"

namespace cyberdrill::io {

/// Reports into `c` (pointers of the merged document). `s` is the reader's typed scenario.
void check_reachability_lint(Composition& c, const Scenario& s);

}  // namespace cyberdrill::io
