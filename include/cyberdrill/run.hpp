// One seeded run of a scenario: the world, its cascades, the attacker's campaigns and the
// national response wired together on one Simulation.
//
// Contract
//  - run_scenario() is a pure function of (scenario, seed, decision policy): the same inputs give
//    the same records, metrics and journal on every run, thread count and machine.
//  - Wiring (the only place the models meet):
//      attacker effects  -> world: degrade/ddos impose a service level on the target; disrupt,
//                           encrypt and wipe impose 0; foothold and exfiltrate mark it compromised
//                           only. A timed ddos/disrupt lifts at its end. A disrupt, encrypt or wipe
//                           without a duration is repaired by the operator after the asset's
//                           `restore` time (stream (seed, asset id, "restore")), unless a plan step
//                           restores it earlier.
//      attacker detections -> response.on_detected (cause = the attack step).
//      world level changes -> response.on_outage_changed (ground truth, national totals).
//      response effects  -> world (contain, isolate, fail over, restore, fail/degrade an asset)
//                           and attacker (containment and isolation block its progress through
//                           the asset; start_campaign starts a campaign).
//  - The run ends at min(metadata.duration, options.until) or when nothing is pending.
//  - Service levels per sector (population-weighted mean of asset levels; unweighted when the
//    sector serves nobody) are sampled every `sample_every` from T+0 through the end.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cyberdrill/decisions.hpp"
#include "cyberdrill/engine.hpp"
#include "cyberdrill/limits.hpp"
#include "cyberdrill/response.hpp"
#include "cyberdrill/scenario.hpp"
#include "cyberdrill/trace.hpp"

namespace cyberdrill {

class RunPrep;

struct RunOptions {
  std::uint64_t seed = 1;
  /// Decides decision points; nullptr = DefaultDecisionPolicy.
  const DecisionPolicy* policy = nullptr;
  /// Stop the run here even if the scenario's horizon is later.
  std::optional<SimTime> until;
  Duration sample_every = Duration::minutes(15);
  /// Keep every trace record in RunResult::records (the run folder needs them; batch runs may not).
  bool keep_records = true;
  /// Caps (0 / none = no cap; the CLI's --max-events and --max-sim-time set them, with the
  /// defaults of limits.hpp): more engine events than max_events throws LimitExceeded mid-run; a run whose
  /// end (the horizon, or `until` when earlier) lies beyond max_sim_time throws it before any
  /// event runs.
  std::uint64_t max_events = 0;
  std::optional<Duration> max_sim_time;
  /// The scenario's run-independent state made once (RunPrep), for many runs of one scenario
  /// (batch, benchmarks); nullptr = each run makes its own. Must be made from the very Scenario
  /// object the run is given (std::invalid_argument otherwise). The results are the same.
  const RunPrep* prep = nullptr;
  /// Keep every sample of the sector service levels in RunResult::service_levels; false keeps
  /// only the last one (batch and the benchmarks read none: a row allocated per sample saved).
  /// Nothing else of the run changes.
  bool keep_service_levels = true;
};

/// What every run of one scenario derives from the scenario alone, made once and shared read-only
/// by any number of runs on any threads (RunOptions::prep): the copy of the scenario with the
/// world-side policy knobs applied (when some knob differs from 1) and the response's
/// ResponsePrep. `scenario` must outlive it and stay unchanged.
class RunPrep {
 public:
  explicit RunPrep(const Scenario& scenario);
  ~RunPrep();
  RunPrep(const RunPrep&) = delete;
  RunPrep& operator=(const RunPrep&) = delete;
  /// The scenario it was made from.
  [[nodiscard]] const Scenario& source() const;

  struct Data;  // private to sim/run
  [[nodiscard]] const Data& data() const { return *data_; }

 private:
  std::unique_ptr<Data> data_;
};

/// Throws LimitExceeded when `scenario` run with `options` would end beyond options.max_sim_time.
void check_run_caps(const Scenario& scenario, const RunOptions& options);

struct SectorLevels {
  SimTime time;
  std::vector<double> level;  ///< per Scenario::sectors
};

/// National impact at a sampling instant (taken with the service levels, every sample_every).
struct ImpactSample {
  SimTime time;
  double people_affected = 0;   ///< distinct people lacking an essential service (impact.hpp) at `time`
  double economic_loss_eur = 0; ///< economic loss from T+0 to `time` (World::economic_loss_eur)
};

struct RunResult {
  std::uint64_t seed = 0;
  SimTime end;
  std::uint64_t events = 0;               ///< engine events dispatched
  std::uint64_t record_count = 0;
  std::uint64_t fingerprint = 0;          ///< Fingerprint over every record
  std::vector<TraceRecord> records;       ///< empty unless keep_records
  ResponseMetrics metrics;
  std::vector<ObjectiveRating> ratings;
  DecisionJournal journal;
  std::vector<SectorLevels> service_levels;
  std::vector<IncidentInfo> incidents;          ///< the response's scenario incidents
  std::vector<double> sector_population_hours;  ///< per sector: integral of population x (1 - level)
  std::vector<double> sector_service_hours;     ///< per sector: integral over assets of (1 - level)
  std::vector<ImpactSample> impact_samples;     ///< at the times of service_levels
};

[[nodiscard]] RunResult run_scenario(const Scenario& scenario, const RunOptions& options);

/// Names for trace records: what `subject`, `actor` and `cause` of a record refer to, as ids.
/// Used by the writers and viewers; independent of any run.
class RecordNames {
 public:
  explicit RecordNames(const Scenario& scenario);
  [[nodiscard]] static const char* kind_name(RecordKind kind);
  [[nodiscard]] static const char* cause_kind_name(CauseKind kind);
  /// Id of the record's subject ("" when it has none).
  [[nodiscard]] std::string subject(const TraceRecord& r) const;
  [[nodiscard]] std::string actor(const TraceRecord& r) const;
  [[nodiscard]] std::string cause(const TraceRecord& r) const;
  [[nodiscard]] std::string attack_step(Index global_step) const;
  [[nodiscard]] std::string plan_step(Index flat_step) const;

 private:
  const Scenario* scenario_;
  std::vector<std::string> attack_steps_;  // global step index -> "campaign/step"
  std::vector<std::string> plan_steps_;    // flat step index -> "procedure/step"
};

}  // namespace cyberdrill
