// Trace records: the only way information leaves a simulation.
//
// Models emit typed records through Simulation::emit(); observers (the JSONL writer, metrics, the
// live view, tests) subscribe. A record is a flat plain struct; what `subject`, `actor`, `cause`,
// `value`, `detail`, `previous_value` and `duration` mean depends on `kind` and is written beside
// each kind below (a field not named there is left at its default). `detail` holds an index or an
// enumerator, never an encoded quantity: quantities are in `value`, `previous_value`, `duration`. Indices refer
// to the run's name tables (assets, steps, organisations, ...) so records stay small and
// comparable; writers resolve names.
#pragma once

#include <cstdint>

#include "cyberdrill/trace_record.hpp"

namespace cyberdrill {

/// What kind of entity a record's `cause` refers to: the causal chain of the after-action review.
enum class CauseKind : std::uint8_t {
  none = 0,
  asset,          ///< a supplier asset's change
  attack_step,    ///< an attacker step's effect
  inject,         ///< an MSEL inject
  decision,       ///< a decision's option
  procedure_step, ///< a response-plan step's effect
  organisation,   ///< an organisation's action (e.g. a report)
  incident,       ///< a (background or scenario) incident
  scenario,       ///< the scenario itself (initial conditions)
};

enum class RecordKind : std::uint16_t {
  // --- engine / test records (no cyber meaning) -------------------------------------------
  marker = 0,             ///< subject, value, detail: free for tests and tools
  // --- world ------------------------------------------------------------------------------
  asset_level = 10,       ///< subject=asset, value=new service level [0,1],
                          ///< previous_value=old service level [0,1]
  asset_compromised = 11, ///< subject=asset, cause=attack step, detail=effect
  asset_contained = 12,   ///< subject=asset, actor=org, cause=procedure step
  asset_restored = 13,    ///< subject=asset, cause=procedure step or supplier
  // --- attacker ---------------------------------------------------------------------------
  attack_step_started = 20,   ///< subject=step, detail=campaign
  attack_step_succeeded = 21, ///< subject=step, detail=target asset
  attack_step_failed = 22,    ///< subject=step, detail=target asset
  attack_step_blocked = 23,   ///< subject=step (its target was contained), detail=target asset
  campaign_goal_reached = 24, ///< subject=campaign
  attack_detected = 25,       ///< subject=campaign, cause=attack step, detail=asset, value=1 if visible
                              ///< (ground truth of the attacker being noticed; the response's own
                              ///< `detected` record names the incident and the detecting org)
  // --- knowledge and response -------------------------------------------------------------
  detected = 30,          ///< subject=incident, actor=org that detected, cause=asset/attack step,
                          ///< detail=the incident (group) it belongs to (itself when it opened one)
  reported = 31,          ///< subject=incident, actor=receiving org, detail=sending org
  triaged = 32,           ///< subject=incident, actor=org, value=severity,
                          ///< duration=the incident's wait in the triage queue
  knowledge = 33,         ///< subject=asset, actor=org, value=believed level, cause=how known
  escalated = 34,         ///< subject=new level index, actor=org, value=old level index
  deescalated = 35,       ///< subject=new level index, actor=org, value=old level index
  procedure_started = 36, ///< subject=procedure, actor=org, cause=trigger
  step_started = 37,      ///< subject=step, actor=org, detail=procedure
  step_completed = 38,    ///< subject=step, actor=org, detail=procedure
  step_blocked = 39,      ///< subject=step, actor=org, detail=reason
  step_timed_out = 40,    ///< subject=step, actor=org, detail=procedure
  obligation_started = 41,///< subject=obligation, actor=org
  obligation_met = 42,    ///< subject=obligation, actor=org, value=hours taken
  obligation_missed = 43, ///< subject=obligation, actor=org
  report_filed = 44,      ///< subject=incident, actor=filing operator, cause=organisation (recipient),
                          ///< detail=ReportType (scenario.hpp), value=obligation index
  inject_delivered = 50,  ///< subject=inject, actor=to org, detail=from org
  decision_taken = 51,    ///< subject=decision, detail=option index, actor=owner org
  objective_rated = 52,   ///< subject=objective, value=metric value, detail=rating P0/S1/M2/U3
};

}  // namespace cyberdrill
