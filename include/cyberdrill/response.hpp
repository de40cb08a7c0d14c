// The national response: organisations, reporting, triage, escalation, the executable plan,
// obligations and the exercise layer (injects, decisions), as one model on the engine.
//
// The response does not know the world or the attacker. The run assembly
//  - implements ResponseWorld (the effects the response asks of the world), and
//  - calls the inputs on_detected() and on_outage_changed() when the world or the attacker
//    changes (in any handler, at any priority; the response never calls back into the world from
//    inside these calls: world effects are deferred to their own event at Priority::world).
//
// Time and order
//  - start() registers the model and schedules timed triggers and the background load.
//  - Reports arrive at Priority::knowledge (after the truth of the same instant settled); world
//    effects run at Priority::world of the instant they are asked; obligation and decision
//    deadlines at Priority::last (a report or a choice at the deadline instant is in time); other
//    response events at Priority::normal.
//  - A run is a pure function of (scenario, seed, decision policy): randomness comes only from
//    RandomStream(seed, entity id, purpose) streams: ("background", "arrivals" | "service" |
//    "severity"), ("triage", "service"), (channel id, "coverage" | "latency"),
//    (procedure id + "/" + step id, "duration").
//
// The model, precisely
//  Full service. An asset is at full service at level >= 0.99; below that it is degraded
//    ("below full service" in what follows): a ripple under 1 % goes unnoticed.
//  Organisations. Each organisation is a pool of `staff` servers with a calendar (see
//    calendar.hpp). One work queue per organisation holds triage tasks and procedure steps.
//    Queue order: procedure steps first (in arrival order), then triage tasks: FIFO, or by
//    severity (highest first, then FIFO) when BackgroundLoad::severity_first. The head of the
//    queue starts when the organisation is available and has enough free staff (head-of-line:
//    nothing overtakes a waiting head). A started task runs to completion even after closing
//    time; new tasks wait for the opening time. An on-call organisation outside hours is called
//    out by the first task that waits: its whole staff is available `callout` later and until the
//    next opening time.
//  Policy knobs (Scenario::policy, see known_policies()), read when used unless noted:
//    "staff_scale" (every organisation) and "csirt_staff_scale" (csirt organisations) multiply
//    staff, rounded, read at construction; "reporting_coverage_scale" multiplies channel coverage;
//    "mandatory_reporting" >= 0.5 makes every operator's channels' coverage 1 (before the scale);
//    "reporting_latency_scale" multiplies report latencies; "background_rate_scale" multiplies the
//    background arrival rate; "triage_service_scale" multiplies triage service times;
//    "crisis_handoff_factor" overrides Plan::crisis_handoff_factor. Effect set_policy changes a
//    knob during the run.
//  Incidents. One scenario incident per asset: the first detection on an asset (on_detected, or a
//    visible outage when ResponseOptions::detect_visible_outages) opens it; later detections on
//    the same asset add `detected` records to the same incident. The detecting organisation is
//    the asset's operator (the triage organisation when the asset has none). Background
//    incidents are numbered from kBackgroundIncidentBase in the trace and are not stored.
//  Knowledge. Each organisation has a picture: for each asset it knows an incident on, the
//    believed service level, since when and from whom, with a version number. The operator
//    observes its own asset's level from its first detection on (visible detection: the true
//    level; a non-visible one: 1.0 until an outage is observed). Every change of a picture is a
//    RecordKind::knowledge record: subject = asset, actor = organisation, value = believed level,
//    cause_kind = organisation, cause = the organisation it came from (itself when observed),
//    detail = incident.
//  Reporting. When an organisation first learns of an incident it sends a report over every
//    channel it is a sender of (the triage organisation does so after triaging it): with
//    probability coverage x policy "reporting_coverage_scale" (clipped to [0, 1]) the report is
//    sent and arrives after the channel's latency (x the crisis hand-off factor while the crisis
//    structure is active); otherwise that channel stays silent for this incident. Later changes
//    of the sender's belief follow as updates over the channels actually used. The receiver
//    forwards in turn. A channel carries one incident at most once (no loops): the coverage draw
//    is made once per incident (group); its other assets follow as updates over a channel used.
//    First arrival of an incident at an organisation: RecordKind::reported (subject = incident,
//    actor = receiver, detail = sender). Typed reports: see Obligations.
//  Triage. The triage organisation (ResponseOptions::triage_org, else BackgroundLoad::org, else
//    the first csirt) queues every scenario incident it learns of once (one triage per incident,
//    however many of its assets are reported) beside the background load (Poisson arrivals at
//    BackgroundLoad::rate_per_day, service times BackgroundLoad::service for both kinds,
//    background severity from BackgroundLoad::severity). Completing triage rates every asset of
//    the incident the organisation knows: RecordKind::triaged (subject = incident, actor = org,
//    value = the highest severity, detail = wait in whole seconds, cause_kind = asset and cause =
//    the incident's first asset for scenario incidents, none for background ones), then fires
//    the "triage" trigger. Later updates, and assets joining a triaged incident, are re-rated at
//    once.
//  Severity (0-5, the US CISS levels) of a picture: severity_relative() when the scenario declares
//    areas (people affected counted once by ImpactModel over the believed levels), else
//    severity_of():
//    0 nothing known; 1 an incident without outage; 2 an outage or confirmed malicious activity
//    (detected through an attack step); 3 population affected >= 10,000 or >= 2 sectors with an
//    outage; 4 >= 100,000 or >= 3 sectors; 5 >= 1,000,000 or >= 5 sectors. Population affected in
//    a picture = sum over assets of population x (1 - believed level); a sector has an outage
//    when one of its assets is believed below full service. An incident's severity is that of
//    its own asset; the national severity is the max of the triaged incidents' severities and of
//    the severity of the triage organisation's whole picture of triaged incidents.
//  Escalation. The triage organisation escalates to the highest-rank level any of whose
//    thresholds (severity, population, sectors; with areas also min_areas = areas with at least
//    min_area_share of residents affected, min_population_share of the residents, and
//    min_loss_share_per_day = the believed economic loss rate over the national daily output)
//    its national picture meets - the picture, never ground truth; rank 0 (the lowest)
//    is the baseline. Effect "escalate" raises the level to at least its target. When the
//    picture's level stays below the current one for the current level's deescalate_after
//    (0 = never), the level steps down one rank and the rule is applied again.
//    The crisis structure is active while the top-rank level holds or once a cell has been
//    convened; hand-off delays (report latencies and durations of notify steps) are then
//    multiplied by Plan::crisis_handoff_factor (policy "crisis_handoff_factor" overrides it).
//  Procedures. A trigger starts a procedure; triggers tied to an asset (detection, report,
//    outage) start one instance per asset, the others one instance per run. A step becomes ready
//    when the steps it comes `after` completed; it runs at its organisation (the owner when
//    unset) with `staff` servers for a sampled duration, and applies its effect when it
//    completes. A step needing more staff than the organisation has is blocked (step_blocked,
//    detail 1) until assistance makes it fit; a step ready while its organisation is closed
//    without on-call is recorded blocked (detail 2) and waits for the opening. A step not
//    completed by its deadline (since the instance started) is recorded timed out and still
//    completes later. Effects without assets (contain, isolate, fail_over, restore,
//    fail_asset, degrade_asset) apply to the instance's asset.
//  Effects. contain/isolate/fail_over/restore/fail_asset/degrade_asset/start_campaign and the
//    parameterised world effects manual_operation/mitigate/rebuild/resupply (and isolate with a
//    level) go to ResponseWorld, which models them; escalate, convene_cell, notify (hands the source organisation's picture -
//    or the instance's incident - to Effect::org), warn_public, request_assistance (Effect::staff
//    servers join Effect::org - else the source organisation - after Effect::delay),
//    trigger_procedure, set_policy and inform are the response's own.
//  Obligations. One clock per (obligation, obliged operator): NIS2 obliges the entity, which
//    reports its significant incident once however many of its assets are hit. The operator is
//    aware when it first knows an incident on one of its assets whose severity (its own picture)
//    reaches min_severity (sector filter applied; a GDPR obligation only once the incident is
//    known to breach personal data: an exfiltrate attack step, or encrypt/wipe of an asset with
//    personal_data). The clock then starts (Obligation::starts) at awareness, after the
//    classification time, or when the operator files its report of type Obligation::after; it
//    is due deadline after its start, and at most Obligation::cap after awareness. A typed
//    clock (report != incident) makes the operator file its report `preparation` after the
//    clock's start (unless its channel to the recipient stayed silent for this incident: an
//    operator that does not report an incident files none of its typed reports either): RecordKind::report_filed (subject = incident, actor = operator, cause =
//    the recipient, detail = ReportType, value = obligation index); the report hands the
//    operator's picture of the incident to Obligation::to (the triage organisation when unset),
//    in the essential triage class, and meets that recipient's running clocks of the operator
//    with the same report type, never another type's. An untyped clock (report == incident) is
//    met when `to` knows an incident on any of the operator's assets. Met by the due time
//    (inclusive), missed otherwise; clocks still running at the end are neither. Records
//    obligation_started/met/missed carry actor = operator, detail = the detection that made
//    the operator aware (met: value = hours since the clock started).
//  Injects are delivered once, when their trigger fires (inject_delivered, then their effect,
//    then the "inject" trigger). Decisions: see decisions.hpp; an organisation "knows of an
//    incident" once its picture holds one.
//  Triggers: detection (a new incident, not a detection joining one)/report (an incident's first
//    arrival) by (or to) an organisation; triage (an incident's triage completed, one procedure
//    instance per incident); escalation to a level or above;
//    inject; decision (and option); outage = an asset's true level falling below full service
//    (on_outage_changed), by asset or sector; procedure_done; at_time; condition = a value
//    reaching at_least, evaluated whenever the response's state changes: "population_affected",
//    "outages", "sectors_affected" (current truth), "severity" (current national), "level" (current
//    rank), or any metric name below.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cyberdrill/decisions.hpp"
#include "cyberdrill/engine.hpp"
#include "cyberdrill/scenario.hpp"

namespace cyberdrill {

/// Who asked for a world effect: the organisation acting and the causal link for the trace.
struct EffectSource {
  Index org = kNone;
  CauseKind cause_kind = CauseKind::none;
  Index cause = kNone;  ///< procedure_step: flat step index (see flat_step_index); inject; decision
};

/// The effects the response asks of the world. Implemented by the run assembly over the world
/// and the attacker; tests implement it directly. Called from the response's own events at
/// Priority::world; implementations may call back into Response's inputs.
class ResponseWorld {
 public:
  virtual ~ResponseWorld() = default;
  virtual void contain(Simulation& sim, Index asset, const EffectSource& source) = 0;
  virtual void isolate(Simulation& sim, Index asset, const EffectSource& source) = 0;
  virtual void fail_over(Simulation& sim, Index asset, const EffectSource& source) = 0;
  virtual void restore(Simulation& sim, Index asset, const EffectSource& source) = 0;
  /// Injects and decisions: an asset fails (level 0) or degrades to `level`.
  virtual void fail_asset(Simulation& sim, Index asset, const EffectSource& source) = 0;
  virtual void degrade_asset(Simulation& sim, Index asset, double level, const EffectSource& source) = 0;
  virtual void start_campaign(Simulation& sim, Index campaign, const EffectSource& source) = 0;

  // Effects with parameters (Effect::level, Effect::delay, ...; the run assembly implements the
  // models, see sim/run/run.cpp). The defaults do nothing beyond the plain effect, so a world that
  // does not model them (a test's) need not implement them.
  /// isolate with an explicit service level while isolated (Effect::level >= 0).
  virtual void isolate_at(Simulation& sim, Index asset, double level, const EffectSource& source) {
    (void)level;
    isolate(sim, asset, source);
  }
  /// manual_operation: after `delay` field crews run `asset` by hand at `level`.
  virtual void manual_operation(Simulation& sim, Index asset, double level, Duration delay, const EffectSource& source) {
    (void)sim, (void)asset, (void)level, (void)delay, (void)source;
  }
  /// mitigate: after `delay` the asset's DDoS impact is cut to the residual `level`.
  virtual void mitigate(Simulation& sim, Index asset, double level, Duration delay, const EffectSource& source) {
    (void)sim, (void)asset, (void)level, (void)delay, (void)source;
  }
  /// rebuild: reimage the asset from backups (time from Effect's rebuild parameters).
  virtual void rebuild(Simulation& sim, Index asset, const Effect& effect, const EffectSource& source) {
    (void)sim, (void)asset, (void)effect, (void)source;
  }
  /// resupply: refill the asset's fuel buffers.
  virtual void resupply(Simulation& sim, Index asset, const EffectSource& source) {
    (void)sim, (void)asset, (void)source;
  }
};

class ResponsePrep;

struct ResponseOptions {
  /// A visible outage (on_outage_changed below full service) is detected by the asset's operator
  /// at once. Turn off when the assembly reports such detections itself through on_detected.
  bool detect_visible_outages = true;
  /// The organisation that triages and escalates; kNone = BackgroundLoad::org, else the first
  /// organisation of kind csirt.
  Index triage_org = kNone;
  /// The scenario's prepared, run-independent state (see ResponsePrep), shared by every run of
  /// it; nullptr = the Response makes its own. Must be made from the Response's scenario and
  /// outlive the Response.
  const ResponsePrep* prep = nullptr;
};

/// What the response derives from its scenario alone, never from the seed or the run: the
/// calendar clocks, the random streams' name hashes, the impact model at full service. Made once
/// per scenario and shared read-only by any number of runs on any threads (ResponseOptions::prep),
/// so a run does not rebuild it. A Response given one draws exactly what it draws without.
class ResponsePrep {
 public:
  /// Throws std::invalid_argument for an unknown time zone in a calendar (as Response does).
  explicit ResponsePrep(const Scenario& scenario);
  ~ResponsePrep();
  ResponsePrep(const ResponsePrep&) = delete;
  ResponsePrep& operator=(const ResponsePrep&) = delete;
  /// The scenario it was made from.
  [[nodiscard]] const Scenario& scenario() const;
  struct Data;  // private to sim/models/response
  [[nodiscard]] const Data& data() const { return *data_; }

 private:
  std::unique_ptr<Data> data_;
};

/// Background incidents appear in trace records as kBackgroundIncidentBase + n (n = 0, 1, ...).
inline constexpr std::uint32_t kBackgroundIncidentBase = 0x8000'0000u;

/// A scenario incident as the response tracks it (index = trace subject of incident records).
struct IncidentInfo {
  Index asset = kNone;
  CauseKind cause_kind = CauseKind::none;  ///< first detection's cause
  Index cause = kNone;
  Index detector = kNone;                  ///< organisation that detected it
  SimTime detected;
  int severity = -1;                       ///< triage severity 0-5; -1 until triaged
  std::optional<SimTime> triaged;
  Index group = kNone;                     ///< the incident it joined (its own index when it opened one)
};

/// Severity 0-5 of a picture (rule in the header comment), with absolute population thresholds:
/// the rule for scenarios without areas.
[[nodiscard]] int severity_of(std::uint64_t population_affected, int sectors_affected, bool incident_known,
                              bool malicious);

/// Severity 0-5 relative to the country, for scenarios with areas (residents > 0): with
/// s = people affected / residents (distinct people, include/cyberdrill/impact.hpp):
///   0 nothing known; 1 an incident without impact; 2 some impact (people or a sector) or
///   malicious activity; 3 s >= 0.1 %, >= 2 sectors, or malicious activity with an outage
///   (NIS2: malicious access risking severe disruption is significant); 4 s >= 1 %, or >= 3 sectors with
///   s >= 0.1 %; 5 s >= 10 %, or >= 5 sectors with s >= 5 %.
/// For Belgium (11.76 M residents) 0.1 / 1 / 10 % are about 12,000 / 118,000 / 1.18 M people,
/// close to the absolute 10,000 / 100,000 / 1,000,000 of severity_of(); unlike it, many sectors
/// alone do not make a national emergency: they must also touch a noticeable share of people.
[[nodiscard]] int severity_relative(double people_affected, double residents, int sectors_affected,
                                    bool incident_known, bool malicious);

/// Service level below which an asset's sector counts among the "sectors affected" of the
/// severity rules (0.9). An asset below 0.99 is an outage (reported, waited for, recovered from)
/// but a sector whose assets all stay at 0.9 or above is not "affected" in the sense of a severe
/// national incident (NIS2 "severe disruption", DOMAIN.md): a 2 % dip in five sectors must not
/// make severity 5. A modelling threshold, not a published figure.
inline constexpr double kSeveritySectorLevel = 0.9;
[[nodiscard]] inline bool counts_for_severity(double level) { return level < kSeveritySectorLevel; }

/// Steps numbered across the plan: procedures in order, their steps in order.
[[nodiscard]] Index flat_step_index(const Plan& plan, Index procedure, Index step);
struct StepRef {
  Index procedure = kNone;
  Index step = kNone;
};
/// Inverse of flat_step_index; {kNone, kNone} when out of range.
[[nodiscard]] StepRef step_of_flat_index(const Plan& plan, Index flat);

// ---------------------------------------------------------------------------------------------
// Metrics
// ---------------------------------------------------------------------------------------------

/// The metric names (exactly these; objectives and conditions reference them). Times are hours
/// since T+0; "never happened" is an empty optional.
///  time_to_detect_h     first detection of a scenario incident
///  time_to_report_h     first report of a scenario incident reaching the triage organisation
///  time_to_triage_h     first triage of a scenario incident completed
///  time_to_escalate_h   first level above the baseline
///  time_to_crisis_h     first time at the top-rank level
///  time_to_contain_h    first contain or isolate effect applied
///  time_to_recover_h    last time every asset was back at full service after the first outage
///                       (empty if none happened or some asset is still degraded at the end)
///  time_to_first_restore_h  hours FROM THE FIRST OUTAGE (not from T+0) to the first
///                       asset_restored record after it (on_restored): how long the first outage
///                       lasted before anything was won back (empty when nothing was restored)
///  max_level_rank       highest escalation level reached, as its rank (the baseline's rank when
///                       it never escalated; empty when the plan has no levels)
///  population_hours_lost  integral of the people affected (on_outage_changed: distinct people,
///                       impact.hpp), person-hours
///  service_hours_lost   integral over assets of (1 - level), asset-hours
///  peak_outages         most assets below full service at once
///  peak_population_affected  most people affected at once
///  obligations_met_fraction  met / (met + missed); empty when no clock ended
///  obligations_missed   clocks missed
///  mean_triage_wait_h   mean queue wait of triaged scenario incidents (empty when none)
///  max_severity         highest national severity assessed (0 when nothing was triaged)
///  sectors_affected     most sectors with an outage at once (on_outage_changed)
///  plan_coverage        fraction of the plan's steps that completed at least once (empty
///                       when the plan has no steps)
///  decisions_on_time_fraction  decisions taken by their deadline / decisions taken (a decision
///                       still open at the end is in ResponseMetrics::decisions_not_taken)
///  economic_loss_eur    integral over the run of sum_assets (1 - true level) x output per day
///  peak_people_without_<class>  per service class, most people without it at once (truth;
///                       0 for scenarios without areas)
[[nodiscard]] const std::vector<std::string>& response_metric_names();

/// Metric name -> value; every name of response_metric_names() is present.
using MetricValues = std::map<std::string, std::optional<double>>;

struct StepCoverage {
  Index procedure = kNone;
  Index step = kNone;
  int started = 0;
  int completed = 0;
  int blocked = 0;
  int timed_out = 0;
};

/// Which parts of the plan ran.
struct PlanCoverage {
  std::vector<int> procedure_instances;  ///< per procedure: instances started
  std::vector<StepCoverage> steps;       ///< per flat step index
  int never_fired = 0;                   ///< steps never started
  int blocked = 0;                       ///< steps blocked at least once
  int timed_out = 0;                     ///< steps that missed a deadline at least once
  [[nodiscard]] std::optional<double> completed_fraction() const;
};

struct ObligationClock {
  Index obligation = kNone;
  Index incident = kNone;
  Index org = kNone;        ///< the obliged operator
  SimTime started;
  SimTime due;
  enum class State : std::uint8_t { running, met, missed } state = State::running;
  std::optional<SimTime> met_at;
};

struct ChannelStats {
  int attempts = 0;  ///< incidents offered to the channel
  int sent = 0;      ///< of which reported (coverage draw succeeded)
};

struct QueueStats {
  std::uint64_t served = 0;   ///< tasks that started service
  std::uint64_t waited = 0;   ///< of which had to wait (wait > 0)
  double total_wait_h = 0;
  [[nodiscard]] std::optional<double> mean_wait_h() const;
  [[nodiscard]] std::optional<double> waited_fraction() const;
};

/// Everything the response measured, up to a given end time.
struct ResponseMetrics {
  MetricValues values;
  QueueStats scenario_triage;
  QueueStats background_triage;
  std::vector<ChannelStats> channels;   ///< per Scenario::channels
  std::vector<ObligationClock> obligations;
  PlanCoverage coverage;
  int decisions_taken = 0;
  int decisions_on_time = 0;
  int decisions_not_taken = 0;          ///< opened and still not taken at the end (the horizon came first)
  std::vector<std::pair<std::string, SimTime>> cells_convened;
  std::optional<SimTime> public_warned;
  /// Per Scenario::sectors: integral of the sector's loss rate (impact.hpp) over the run, euros.
  std::vector<double> sector_economic_loss_eur;
};

// ---------------------------------------------------------------------------------------------
// Objectives
// ---------------------------------------------------------------------------------------------

enum class Rating : std::uint8_t { P = 0, S = 1, M = 2, U = 3 };
[[nodiscard]] char rating_letter(Rating r);

struct ObjectiveRating {
  Index objective = kNone;
  std::optional<double> value;
  Rating rating = Rating::U;
};

/// Rates every objective by the rule of Objective (scenario.hpp): for lower-is-better,
/// value <= P -> P, <= S -> S, <= M -> M, else U (mirrored for higher-is-better); a metric that is
/// absent or never happened rates U.
[[nodiscard]] std::vector<ObjectiveRating> rate_objectives(const Scenario& scenario, const MetricValues& metrics);

/// Emits one RecordKind::objective_rated record per rating (subject = objective, value = metric
/// value, -1 when it never happened, detail = 0 P, 1 S, 2 M, 3 U).
void emit_objective_ratings(Simulation& sim, const std::vector<ObjectiveRating>& ratings);

// ---------------------------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------------------------

class Response final : public EventHandler {
 public:
  /// `scenario`, `world` and `policy` must outlive the Response; the Response must outlive the
  /// simulation's run. Throws std::invalid_argument for an unknown time zone in a calendar.
  Response(const Scenario& scenario, std::uint64_t seed, ResponseWorld& world, const DecisionPolicy& policy,
           ResponseOptions options = {});
  ~Response() override;
  Response(const Response&) = delete;
  Response& operator=(const Response&) = delete;

  /// Registers the handler and schedules timed triggers and the first background arrival.
  /// Call once, before running.
  void start(Simulation& sim);

  // --- inputs from the world and the attacker (called by the run assembly) --------------------
  /// The operator of `asset` detects something there: cause_kind/cause say what (attack step,
  /// supplier asset, ...); `visible` when the service impact is observable (an outage).
  void on_detected(Simulation& sim, Index asset, CauseKind cause_kind, Index cause, bool visible);
  /// Ground truth: `asset` is now at service `level` in [0, 1]; population_affected and
  /// sectors_affected are the national totals after the change.
  void on_outage_changed(Simulation& sim, Index asset, double level, std::uint64_t population_affected,
                         int sectors_affected);
  /// Ground truth: an asset_restored record (the response, the attack's end or the operator
  /// ended an imposition on `asset`); feeds time_to_first_restore_h.
  void on_restored(Simulation& sim, Index asset);

  // --- live play ------------------------------------------------------------------------------
  /// Decisions opened and not yet taken, in opening order.
  [[nodiscard]] std::vector<Index> open_decisions() const;
  /// Takes an open decision now with `option` (journaled with `who`). Returns false when the
  /// decision is not open or the option does not exist.
  [[nodiscard]] bool decide(Simulation& sim, Index decision, Index option, std::string_view who);
  /// Delivers inject `inject` now, as if its trigger had fired (inject_delivered record, its
  /// effect, then the "inject" trigger): a contingency or ad hoc inject in live play. Its own
  /// trigger no longer delivers it afterwards. Returns false (and does nothing) when the inject
  /// does not exist or was already delivered.
  [[nodiscard]] bool deliver_inject(Simulation& sim, Index inject);
  /// Whether `inject` has been delivered.
  [[nodiscard]] bool inject_delivered(Index inject) const;
  /// An open decision: when it opened and its deadline (SimTime::max() when none).
  struct OpenDecisionInfo {
    Index decision = kNone;
    SimTime opened;
    SimTime deadline = SimTime::max();
  };
  /// Decisions opened and not yet taken, in opening order, with their times.
  [[nodiscard]] std::vector<OpenDecisionInfo> open_decision_info() const;
  /// Tasks waiting in `org`'s work queue (not yet started); 0 for an unknown org.
  [[nodiscard]] std::size_t queue_length(Index org) const;

  // --- state and results ----------------------------------------------------------------------
  [[nodiscard]] Index current_level() const;        ///< index into Plan::levels; kNone if none
  [[nodiscard]] int national_severity() const;
  [[nodiscard]] bool crisis_structure_active() const;
  [[nodiscard]] int staff(Index org) const;         ///< current staff incl. assistance
  [[nodiscard]] Index triage_org() const;
  [[nodiscard]] const std::vector<IncidentInfo>& incidents() const;
  /// Believed level of `asset` in `org`'s picture; empty when the org does not know of it.
  [[nodiscard]] std::optional<double> believed_level(Index org, Index asset) const;
  [[nodiscard]] const DecisionJournal& journal() const;
  /// Metrics with time integrals taken up to `end` (>= the last input's time).
  [[nodiscard]] ResponseMetrics metrics(SimTime end) const;

  void handle(Simulation& sim, const Event& ev) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cyberdrill
