// The response model's private state (contract and rules in include/cyberdrill/response.hpp):
// one Response::Impl whose behaviour is split by concern over the files of this folder:
//   organisations.cpp    organisations, their work queues and the background load
//   triage.cpp           knowledge, reports between organisations, triage, detections and outages
//   escalation.cpp       the national picture's response level
//   procedures.cpp       triggers, procedures and their steps, effects on the world
//   obligations.cpp      reporting obligations and their clocks, typed reports
//   decision_points.cpp  injects and the decisions put to the organisations
//   response.cpp         the public API (Response), event dispatch and the metrics
// Private to sim/models/response: nothing else includes it.
#pragma once

#include "cyberdrill/response.hpp"
#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <limits>
#include <queue>
#include <set>
#include <stdexcept>

#include "cyberdrill/calendar.hpp"
#include "cyberdrill/impact.hpp"
#include "cyberdrill/random.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cyberdrill {

/// Event tags, constants and small helpers shared by the response's files.
namespace response_detail {

enum Tag : std::uint16_t {
  kWake = 1,
  kTaskDone,
  kBackgroundArrival,
  kReportArrival,
  kStepDeadline,
  kAssistance,
  kObligationDue,
  kDecisionTake,
  kDecisionDue,
  kDeescalate,
  kTimedTrigger,
  kWorldCall,
  kReportFiled,
  kClassified,
};

// An asset counts as degraded below 99 % service: a ripple under 1 % (e.g. the long tail of a
// dynamic-IIM recovery) is not an outage anyone notices, reports or waits for.
constexpr double kFullService = 0.99;
inline bool below_full(double level) { return level < kFullService; }
// A sector counts towards severity only below kSeveritySectorLevel (response.hpp).
inline bool sector_hit_for_severity(double level) { return counts_for_severity(level); }
constexpr int kStepRank = -100;  // procedure steps go ahead of triage tasks
constexpr int kEssentialRank = -200;  // essential operators' incidents go ahead of everything

inline Duration scale(Duration d, double factor) {
  if (factor == 1.0) return d;
  const double us = static_cast<double>(d.us()) * std::max(0.0, factor);
  if (us >= 9.2e18) return Duration::max();
  return Duration::from_us(std::llround(us));
}

inline bool same_calendar(const Calendar& a, const Calendar& b) {
  static_assert(sizeof(Calendar) == 64, "same_calendar compares every member of Calendar: add the new one");
  return a.always == b.always && a.weekdays == b.weekdays && a.open == b.open && a.close == b.close &&
         a.holidays == b.holidays && a.on_call == b.on_call && a.callout == b.callout;
}

}  // namespace response_detail

using namespace response_detail;  // NOLINT: private header of the response room only

/// The response's run-independent state of a scenario (response.hpp): made once, read by every run.
struct ResponsePrep::Data {
  explicit Data(const Scenario& s);
  // The purposes of the response's streams, hashed once (name_hash of the literal).
  static constexpr std::uint64_t kCoverage = name_hash("coverage"), kLatency = name_hash("latency"),
                                 kDuration = name_hash("duration"), kPreparation = name_hash("preparation"),
                                 kClassification = name_hash("classification"),
                                 kDeliberation = name_hash("deliberation"), kBackground = name_hash("background"),
                                 kArrivals = name_hash("arrivals"), kService = name_hash("service"),
                                 kSeverity = name_hash("severity"), kTriage = name_hash("triage");
  const Scenario* scenario;
  // One clock per distinct calendar (a clock is a const function of its calendar, the zone and the
  // start): organisations with equal calendars share it.
  std::vector<CalendarClock> calendar_clocks;
  std::vector<std::uint32_t> org_clock;  // per organisation: its clock in calendar_clocks
  // The streams' entity names hashed (name_hash): per channel its id, per flat plan step
  // "procedure/step", per obligation and per decision its id.
  std::vector<std::uint64_t> channel_hash, step_hash, obligation_hash, decision_hash;
  ImpactModel impact;  // at full service
};

struct Response::Impl {
  // --- types ----------------------------------------------------------------------------------
  struct Belief {
    double level = 1.0;
    std::uint32_t version = 0;
    SimTime since;
    Index from = kNone;
    Index incident = kNone;
  };
  /// An organisation's picture, asset -> belief, ascending by asset in one vector: the interface
  /// of the std::map it replaces as used here (find, end, emplace, at, ascending iteration), one
  /// allocation per doubling instead of a node per belief. Entries are never removed.
  class BeliefMap {
   public:
    using value_type = std::pair<Index, Belief>;
    using iterator = std::vector<value_type>::iterator;
    using const_iterator = std::vector<value_type>::const_iterator;
    iterator begin() { return v_.begin(); }
    iterator end() { return v_.end(); }
    const_iterator begin() const { return v_.begin(); }
    const_iterator end() const { return v_.end(); }
    [[nodiscard]] std::size_t size() const { return v_.size(); }
    iterator find(Index a) {
      auto it = lower(a);
      return it != v_.end() && it->first == a ? it : v_.end();
    }
    const_iterator find(Index a) const {
      auto it = std::lower_bound(v_.begin(), v_.end(), a, [](const value_type& x, Index k) { return x.first < k; });
      return it != v_.end() && it->first == a ? it : v_.end();
    }
    /// Inserts (a, b) unless `a` is there already (std::map::emplace).
    void emplace(Index a, const Belief& b) {
      auto it = lower(a);
      if (it == v_.end() || it->first != a) v_.insert(it, value_type{a, b});
    }
    const Belief& at(Index a) const {
      auto it = find(a);
      if (it == v_.end()) throw std::out_of_range("BeliefMap::at");
      return it->second;
    }

   private:
    iterator lower(Index a) {
      return std::lower_bound(v_.begin(), v_.end(), a, [](const value_type& x, Index k) { return x.first < k; });
    }
    std::vector<value_type> v_;
  };
  /// A task waiting in an organisation's queue: lower rank first, then arrival order.
  struct QueuedTask {
    int rank;
    std::uint64_t seq;
    std::uint32_t task;
    friend bool operator>(const QueuedTask& a, const QueuedTask& b) {
      return a.rank != b.rank ? a.rank > b.rank : a.seq > b.seq;
    }
  };
  struct Org {
    explicit Org(const CalendarClock& c) : clock(c) {}
    const CalendarClock& clock;  ///< in the prep's calendar_clocks (one per distinct calendar)
    int capacity = 0;
    int busy = 0;
    std::priority_queue<QueuedTask, std::vector<QueuedTask>, std::greater<>> queue;
    std::vector<std::uint32_t> blocked;  // step runs waiting for staff
    EventId wake;
    SimTime wake_at = SimTime::max();
    SimTime callout_ready = SimTime::max();
    SimTime callout_until = SimTime::zero();
    BeliefMap picture;  // asset -> belief
  };
  struct Task {
    enum class Kind : std::uint8_t { triage, step } kind = Kind::triage;
    bool background = false;
    int staff = 1;
    int severity = 0;         // background triage
    std::uint32_t ref = 0;    // incident / background number / step run
    Index org = kNone;
    SimTime enqueued;
    Duration service;         // pre-sampled for background triage
    Duration wait;
  };
  struct Incident {
    IncidentInfo info;
    Index group = kNone;              // the incident (group root) this detection belongs to
    Index campaign = kNone;           // campaign of the detecting attack step, if any
    bool personal_data = false;       // group root: a personal-data breach is known
    std::vector<Index> members;       // group root: its members in detection order (itself first)
    bool malicious = false;
    double level = 1.0;               // the operator's observation
    std::uint32_t version = 0;
    bool triage_queued = false;
    std::vector<std::uint8_t> channel_state;  // 0 not offered, 1 offered and silent, 2 sent
  };
  struct Report {
    Index incident, from, to, channel;
    double level;
    std::uint32_t version;
  };
  struct Instance {
    Index procedure;
    Index asset;
    Index incident;
    SimTime started;
    std::uint32_t first_run;
    int remaining;
  };
  struct StepRun {
    std::uint32_t instance;
    Index step;
    enum class State : std::uint8_t { waiting, queued, blocked, running, done } state = State::waiting;
    Index org = kNone;
  };
  struct Listener {
    enum class Target : std::uint8_t { procedure, inject, decision } target;
    Index index;
    const Trigger* trigger;
    bool fired = false;
  };
  struct OpenDecision {
    Index decision;
    SimTime opened;
    SimTime deadline;
    bool waiting_owner = false;  // opened before the owner knew of any incident
    bool taken = false;
    bool choice_pending = false;
    DecisionChoice choice;
  };
  struct WorldCall {
    Effect::Kind kind;
    Index target;
    double value;
    EffectSource source;
    const Effect* effect = nullptr;  ///< the scenario's effect, for parameterised world effects
  };
  struct TriggerEvent {
    Trigger::Kind kind = Trigger::Kind::at_time;
    Index org = kNone;
    Index ref = kNone;
    Index option = kNone;
    Index asset = kNone;
    Index incident = kNone;
    CauseKind cause_kind = CauseKind::none;
    Index cause = kNone;
  };
  struct Assistance {
    Index org;
    int staff;
  };
  struct Picture {
    int severity = 0;
    std::uint64_t population = 0;
    int sectors = 0;
    /// Of the believed levels: the picture tracker's evaluation, valid until the next
    /// national_picture() call (a pointer, not a copy: no allocation per picture).
    const ImpactModel::Evaluation* impact = nullptr;
  };

  // --- state ----------------------------------------------------------------------------------
  const Scenario& sc;
  std::uint64_t seed;
  ResponseWorld& world;
  const DecisionPolicy& policy;
  ResponseOptions options;
  std::unique_ptr<const ResponsePrep> own_prep;  // when options.prep is not given
  const ResponsePrep::Data& prep;
  HandlerId handler = 0;
  std::map<std::string, double, std::less<>> knobs;  // the policy; heterogeneous lookup: knob() allocates nothing

  std::vector<Org> orgs;
  std::vector<std::vector<Index>> channels_from;  // org -> channels it sends on
  Index triage = kNone;

  std::vector<Task> tasks;
  std::vector<std::uint32_t> free_tasks;
  std::uint64_t queue_seq = 0;

  std::vector<Incident> incidents;
  std::vector<IncidentInfo> incident_infos;  // mirror for the public accessor
  std::vector<Index> incident_of_asset;  // per asset: its incident, kNone (was a std::map: a node per incident)
  Index incident_on(Index asset) const { return asset < incident_of_asset.size() ? incident_of_asset[asset] : kNone; }
  std::vector<Report> reports;

  std::vector<Instance> instances;
  std::vector<StepRun> runs;
  std::set<std::pair<Index, Index>> started_keys;  // (procedure, asset or kNone)
  std::vector<Index> flat_base;                     // per procedure
  std::vector<StepCoverage> step_cov;
  std::vector<int> proc_instances;

  std::vector<Listener> listeners;
  // The condition listeners' indices, ascending (evaluate_conditions visits only these, in the
  // order the loop over every listener did), fixed at construction like `listeners`.
  std::vector<std::uint32_t> condition_listeners;
  std::vector<OpenDecision> open;
  DecisionJournal journal;
  int decisions_taken = 0, decisions_on_time = 0;

  std::vector<WorldCall> world_calls;
  std::vector<Assistance> assistance;

  std::vector<ObligationClock> clocks;
  std::map<std::pair<Index, Index>, std::uint32_t> clock_of;
  // Per operator, its clocks of incident-report obligations in start order (check_obligations_met
  // visits these instead of every clock: the same clocks in the same order).
  std::vector<std::vector<std::uint32_t>> incident_clocks_of_op;
  // Typed reports: a report being prepared, clocks waiting for their start, reports filed.
  struct Filing {
    Index obligation, op, incident;
  };
  struct PendingClock {
    Index incident;
    SimTime aware;
  };
  std::vector<Filing> filings;
  std::vector<Filing> classifications;
  std::map<std::pair<Index, Index>, PendingClock> pending_clocks;  // (obligation, operator)
  // Per (obligation, operator), o x organisations + op: 1 once clock_of or pending_clocks holds
  // it (never cleared: clock_of only grows, and a pending clock leaves only to become a clock).
  std::vector<std::uint8_t> obligation_taken;
  void mark_obligation_taken(Index o, Index op) {
    if (op < sc.organisations.size()) obligation_taken[std::size_t{o} * sc.organisations.size() + op] = 1;
  }
  bool obligation_is_taken(Index o, Index op) const {
    if (op < sc.organisations.size()) return obligation_taken[std::size_t{o} * sc.organisations.size() + op] != 0;
    return clock_of.count({o, op}) || pending_clocks.count({o, op});
  }
  std::set<std::pair<Index, int>> filed;                            // (operator, report type)
  std::vector<RandomStream> prep_rng, class_rng, deliberation_rng;
  std::vector<Index> campaign_of_step;                              // global attack step -> campaign
  std::vector<const AttackStep*> attack_step;                       // global attack step
  std::vector<std::optional<SimTime>> first_known;                  // per org: first knowledge
  std::vector<std::vector<std::uint8_t>> knows_group;  // per org, per incident group: 1 once it knows of it
  std::map<Index, std::pair<Index, SimTime>> last_at_operator;      // detector -> (group, time)

  // Escalation.
  std::vector<Index> level_order;  // level indices by rank (stable)
  Index current = kNone;
  int baseline_rank = 0, top_rank = 0;
  EventId calm;
  int national = 0;
  int max_severity = 0;

  std::vector<std::pair<std::string, SimTime>> cells;
  std::optional<SimTime> public_warned;

  // Streams.
  RandomStream bg_arrivals, bg_service, bg_severity, triage_service;
  std::vector<RandomStream> coverage_rng, latency_rng, step_rng;
  std::uint32_t bg_count = 0;

  // Ground truth from on_outage_changed.
  ImpactModel impact;  // truth state; evaluate() also serves the pictures (believed levels)
  double economic_loss = 0;
  std::vector<double> sector_loss;
  std::array<double, kServiceClassCount> peak_without{};
  std::vector<double> levels;
  int degraded = 0, peak_degraded = 0;
  std::uint64_t population = 0, peak_population = 0;
  int sectors = 0, peak_sectors = 0;
  double loss_sum = 0;  // sum over assets of (1 - level)
  double population_hours = 0, service_hours = 0;
  SimTime last_truth_change;
  bool had_outage = false;
  std::optional<SimTime> recovered_at;

  // Metric times.
  std::optional<SimTime> t_detect, t_report, t_triage, t_escalate, t_crisis, t_contain;
  std::optional<SimTime> t_first_outage, t_first_restore;  // time_to_first_restore_h
  int max_rank = std::numeric_limits<int>::min();           // max_level_rank (with the baseline)
  QueueStats scenario_stats, background_stats;
  std::vector<ChannelStats> channel_stats;

  // Memos of pure functions (same inputs, same result, bit for bit; they only skip the work):
  // the impact evaluation of the national picture's believed levels (national_picture), the
  // people one asset at one level leaves without service (incident_severity), and the scratch
  // of the picture's distinct sectors.
  // (the picture's evaluation: a tracker that re-adds only the areas of the believed levels that
  // changed since the last picture, made on the first picture)
  mutable std::optional<ImpactModel::Tracker> picture_tracker;
  mutable std::vector<std::pair<Index, double>> picture_scratch;
  mutable std::vector<std::uint8_t> picture_sector_seen;
  mutable std::vector<double> severity_memo_level;   // per asset: the level last evaluated (NaN: none)
  mutable std::vector<double> severity_memo_people;  // per asset: its people at that level

  Impl(const Scenario& s, std::uint64_t sd, ResponseWorld& w, const DecisionPolicy& pol, ResponseOptions o)
      : sc(s), seed(sd), world(w), policy(pol), options(o),
        own_prep(o.prep ? nullptr : std::make_unique<const ResponsePrep>(s)),
        prep(o.prep ? o.prep->data() : own_prep->data()), knobs(s.policy.begin(), s.policy.end()),
        bg_arrivals(sd, ResponsePrep::Data::kBackground, ResponsePrep::Data::kArrivals),
        bg_service(sd, ResponsePrep::Data::kBackground, ResponsePrep::Data::kService),
        bg_severity(sd, ResponsePrep::Data::kBackground, ResponsePrep::Data::kSeverity),
        triage_service(sd, ResponsePrep::Data::kTriage, ResponsePrep::Data::kService), impact(prep.impact),
        sector_loss(s.sectors.size(), 0.0) {
    if (prep.scenario != &s) throw std::invalid_argument("Response: the prep was made from another scenario");
    refresh_hot_knobs();
    // Sizes known up front: one allocation per table of the per-run setup, not a growth series.
    orgs.reserve(sc.organisations.size());
    coverage_rng.reserve(sc.channels.size());
    latency_rng.reserve(sc.channels.size());
    flat_base.reserve(sc.plan.procedures.size());
    listeners.reserve(sc.plan.procedures.size() + sc.injects.size() + sc.decisions.size());
    {
      std::size_t steps = 0;
      for (const Procedure& proc : sc.plan.procedures) steps += proc.steps.size();
      step_cov.reserve(steps);
      step_rng.reserve(steps);
      std::size_t attack_steps = 0;
      for (const Campaign& c : sc.campaigns) attack_steps += c.steps.size();
      campaign_of_step.reserve(attack_steps);
      attack_step.reserve(attack_steps);
    }
    level_order.reserve(sc.plan.levels.size());
    prep_rng.reserve(sc.plan.obligations.size());
    class_rng.reserve(sc.plan.obligations.size());
    deliberation_rng.reserve(sc.decisions.size());
    const double csirt_scale = knob("csirt_staff_scale", 1.0);
    const double staff_scale = knob("staff_scale", 1.0);
    for (std::size_t i = 0; i < sc.organisations.size(); ++i) {
      const Organisation& org = sc.organisations[i];
      Org st(prep.calendar_clocks[prep.org_clock[i]]);
      const double f = staff_scale * (org.kind == OrgKind::csirt ? csirt_scale : 1.0);
      st.capacity = static_cast<int>(std::max<long long>(0, std::llround(static_cast<double>(org.staff) * f)));
      orgs.push_back(std::move(st));
    }
    channels_from.resize(sc.organisations.size());
    {
      std::vector<std::uint32_t> sends(sc.organisations.size(), 0);  // each list allocated once
      for (const Channel& ch : sc.channels)
        for (Index f : ch.from)
          if (f < sends.size()) ++sends[f];
      for (std::size_t f = 0; f < sends.size(); ++f) channels_from[f].reserve(sends[f]);
    }
    for (Index c = 0; c < sc.channels.size(); ++c) {
      for (Index f : sc.channels[c].from)
        if (f < channels_from.size()) channels_from[f].push_back(c);
      coverage_rng.emplace_back(sd, prep.channel_hash[c], ResponsePrep::Data::kCoverage);
      latency_rng.emplace_back(sd, prep.channel_hash[c], ResponsePrep::Data::kLatency);
    }
    channel_stats.resize(sc.channels.size());
    triage = options.triage_org;
    if (triage == kNone) triage = sc.background.org;
    if (triage == kNone) {
      for (Index i = 0; i < sc.organisations.size(); ++i)
        if (sc.organisations[i].kind == OrgKind::csirt) { triage = i; break; }
    }
    Index flat = 0;
    for (Index p = 0; p < sc.plan.procedures.size(); ++p) {
      flat_base.push_back(flat);
      const Procedure& proc = sc.plan.procedures[p];
      for (Index s2 = 0; s2 < proc.steps.size(); ++s2, ++flat) {
        step_cov.push_back(StepCoverage{p, s2, 0, 0, 0, 0});
        step_rng.emplace_back(sd, prep.step_hash[flat], ResponsePrep::Data::kDuration);
      }
      listeners.push_back(Listener{Listener::Target::procedure, p, &proc.trigger});
    }
    proc_instances.assign(sc.plan.procedures.size(), 0);
    for (Index i = 0; i < sc.injects.size(); ++i)
      listeners.push_back(Listener{Listener::Target::inject, i, &sc.injects[i].when});
    for (Index i = 0; i < sc.decisions.size(); ++i)
      listeners.push_back(Listener{Listener::Target::decision, i, &sc.decisions[i].when});
    for (std::uint32_t l = 0; l < listeners.size(); ++l)
      if (listeners[l].trigger->kind == Trigger::Kind::condition) condition_listeners.push_back(l);

    for (Index l = 0; l < sc.plan.levels.size(); ++l) level_order.push_back(l);
    std::stable_sort(level_order.begin(), level_order.end(),
                     [&](Index a, Index b) { return sc.plan.levels[a].rank < sc.plan.levels[b].rank; });
    if (!level_order.empty()) {
      current = level_order.front();
      baseline_rank = sc.plan.levels[level_order.front()].rank;
      top_rank = sc.plan.levels[level_order.back()].rank;
    }
    levels.assign(sc.assets.size(), 1.0);
    incident_of_asset.assign(sc.assets.size(), kNone);
    obligation_taken.assign(sc.plan.obligations.size() * sc.organisations.size(), 0);
    knows_group.resize(sc.organisations.size());
    severity_memo_level.assign(sc.assets.size(), std::numeric_limits<double>::quiet_NaN());
    severity_memo_people.assign(sc.assets.size(), 0.0);
    for (std::size_t ob = 0; ob < sc.plan.obligations.size(); ++ob) {
      prep_rng.emplace_back(sd, prep.obligation_hash[ob], ResponsePrep::Data::kPreparation);
      class_rng.emplace_back(sd, prep.obligation_hash[ob], ResponsePrep::Data::kClassification);
    }
    for (std::size_t d = 0; d < sc.decisions.size(); ++d)
      deliberation_rng.emplace_back(sd, prep.decision_hash[d], ResponsePrep::Data::kDeliberation);
    for (Index c = 0; c < sc.campaigns.size(); ++c)
      for (const AttackStep& st : sc.campaigns[c].steps) {
        campaign_of_step.push_back(c);
        attack_step.push_back(&st);
      }
    first_known.resize(sc.organisations.size());
  }

  double knob(std::string_view name, double fallback) const {
    auto it = knobs.find(name);
    return it == knobs.end() ? fallback : it->second;
  }
  // The knobs read on every report (forward, handoff_factor), looked up once and again whenever
  // the policy changes (set_policy): the same values as knob(), without a string search each.
  enum HotKnob : std::uint8_t { kMandatoryReporting, kCoverageScale, kLatencyScale, kHandoffFactor, kHotKnobs };
  std::array<std::optional<double>, kHotKnobs> hot_knobs{};
  void refresh_hot_knobs() {
    static constexpr std::array<std::string_view, kHotKnobs> kNames = {
        "mandatory_reporting", "reporting_coverage_scale", "reporting_latency_scale", "crisis_handoff_factor"};
    for (std::size_t k = 0; k < kHotKnobs; ++k) {
      auto it = knobs.find(kNames[k]);
      hot_knobs[k] = it == knobs.end() ? std::nullopt : std::optional<double>(it->second);
    }
  }
  double hot_knob(HotKnob k, double fallback) const { return hot_knobs[k] ? *hot_knobs[k] : fallback; }
  int rank_of(Index level) const { return level == kNone ? baseline_rank : sc.plan.levels[level].rank; }
  Index sector_of(Index asset) const { return asset < sc.assets.size() ? sc.assets[asset].sector : kNone; }
  bool crisis_active() const {
    if (!cells.empty()) return true;
    return !level_order.empty() && top_rank > baseline_rank && rank_of(current) == top_rank;
  }
  double handoff_factor() const {
    return crisis_active() ? hot_knob(kHandoffFactor, sc.plan.crisis_handoff_factor) : 1.0;
  }

  static void emit(Simulation& sim, RecordKind kind, std::uint32_t subject, std::uint32_t actor,
                   std::uint32_t detail = 0, double value = 0, CauseKind ck = CauseKind::none,
                   std::uint32_t cause = kNone) {
    TraceRecord r;
    r.kind = kind;
    r.subject = subject;
    r.actor = actor;
    r.detail = detail;
    r.value = value;
    r.cause_kind = ck;
    r.cause = cause;
    sim.emit(r);
  }
  /// The triaged record (trace.hpp): subject = incident, actor = the triaging org, value =
  /// severity, duration = the wait in the queue.
  static void emit_triaged(Simulation& sim, std::uint32_t incident, std::uint32_t org, Duration wait, int severity,
                           CauseKind ck = CauseKind::none, std::uint32_t cause = kNone) {
    TraceRecord r;
    r.kind = RecordKind::triaged;
    r.subject = incident;
    r.actor = org;
    r.value = static_cast<double>(severity);
    r.duration = wait;
    r.cause_kind = ck;
    r.cause = cause;
    sim.emit(r);
  }


  // --- start ----------------------------------------------------------------------------------
  void start(Simulation& sim, EventHandler& self);

  // --- organisations and their queues ---------------------------------------------------------
  void schedule_wake(Simulation& sim, Index org, SimTime at);
  // Whether `org` can start new work now; if not, arranges a wake-up (and a callout).
  bool available(Simulation& sim, Index org);
  std::uint32_t new_task(const Task& t);
  void enqueue(Simulation& sim, Task t, int rank);
  void try_start(Simulation& sim, Index org);
  void start_task(Simulation& sim, std::uint32_t id);
  void task_done(Simulation& sim, std::uint32_t id);

  // --- background load ------------------------------------------------------------------------
  void schedule_background(Simulation& sim);
  void background_arrival(Simulation& sim);

  // --- knowledge, reports, triage -------------------------------------------------------------
  int incident_severity(const Incident& inc, double level) const;
  // The same rating from what it reads: the incident's asset and whether it is malicious.
  int severity_at(Index asset, bool malicious, double level) const;
  Picture national_picture() const;
  // `essential`: the knowledge came over an essential channel or in a typed report (its triage
  // goes ahead of procedure steps and the background load).
  void learn(Simulation& sim, Index org, Index incident, double level, std::uint32_t version, Index from,
             bool via_report, bool essential = false);
  // Offers an incident to `org`'s channels (initial) or sends an update over the channels used.
  void forward(Simulation& sim, Index org, Index incident, bool initial);
  void report_arrival(Simulation& sim, std::uint64_t idx);
  // One triage per incident (group): every member the triage organisation knows is rated.
  void triage_complete(Simulation& sim, Index group, Duration wait);

  // --- inputs ---------------------------------------------------------------------------------
  // Whether attack step `step` (global index) on `asset` breaches personal data: exfiltration
  // anywhere, encryption or wiping of an asset that holds personal data.
  bool breaches_personal_data(Index asset, Index step) const;
  // The incident a new detection joins (the rule in response.hpp), or `self` to open one.
  Index group_for(SimTime now, Index asset, CauseKind ck, Index cause, Index detector, Index self) const;
  void on_detected(Simulation& sim, Index asset, CauseKind ck, Index cause, bool visible);
  // The operator observes a new level of an asset it has an incident on.
  void observe(Simulation& sim, Index incident, double level);
  void integrate_truth(SimTime now);
  void on_outage_changed(Simulation& sim, Index asset, double level, std::uint64_t pop, int nsectors);

  // --- escalation -----------------------------------------------------------------------------
  Index level_for(const Picture& p) const;
  void set_level(Simulation& sim, Index level, Index actor);
  void evaluate_escalation(Simulation& sim, Index actor);
  void force_level(Simulation& sim, Index level, Index actor);
  void deescalate(Simulation& sim);

  // --- triggers -------------------------------------------------------------------------------
  bool matches(const Trigger& t, const TriggerEvent& ev) const;
  void fire(Simulation& sim, const TriggerEvent& ev);
  void fire_listener(Simulation& sim, std::size_t l, const TriggerEvent& ev);
  std::optional<double> condition_value(const std::string& name, SimTime now) const;
  void evaluate_conditions(Simulation& sim);

  // --- procedures -----------------------------------------------------------------------------
  void start_procedure(Simulation& sim, Index p, Index asset, Index incident, CauseKind ck, Index cause);
  void make_ready(Simulation& sim, std::uint32_t r);
  void step_complete(Simulation& sim, std::uint32_t r);
  void procedure_done(Simulation& sim, std::uint32_t inst);
  void step_deadline(Simulation& sim, std::uint32_t r);
  void assistance_arrives(Simulation& sim, std::uint64_t idx);

  // --- effects --------------------------------------------------------------------------------
  void world_call(Simulation& sim, Effect::Kind kind, Index target, double value, const EffectSource& src,
                  const Effect* effect = nullptr);
  void run_world_call(Simulation& sim, std::uint64_t idx);
  void apply_effect(Simulation& sim, const Effect& e, const EffectSource& src, Index asset, Index incident);
  void notify(Simulation& sim, Index from, Index to, Index incident);

  // --- obligations ----------------------------------------------------------------------------
  Index obligation_to(Index o) const;
  void check_obligation_start(Simulation& sim, Index incident);
  void start_pending(Simulation& sim, Index o, Index op);
  // Whether `op`'s channel to `to` stayed silent for this incident (its coverage draw failed):
  // an operator that does not report an incident files none of its typed reports either.
  bool silent_towards(Index op, Index to, Index group) const;
  void start_clock(Simulation& sim, Index o, Index op, Index incident, SimTime aware);
  // The operator files a typed report: it carries the operator's picture of the incident to the
  // obligation's recipient, meets that recipient's clocks of the same type and starts the clocks
  // waiting for it.
  void report_filed(Simulation& sim, std::uint32_t f);
  void classified(Simulation& sim, std::uint32_t k);
  // Whether `org` knows of an incident on an asset operated by `op`.
  bool knows_incident_of(Index org, Index op) const;
  void check_obligations_met(Simulation& sim, Index org, Index incident);
  void obligation_met(Simulation& sim, std::uint32_t i);
  void obligation_due(Simulation& sim, std::uint32_t i);

  // --- injects and decisions ------------------------------------------------------------------
  void deliver_inject(Simulation& sim, Index i);
  bool owner_knows(Index owner) const;
  void open_decision(Simulation& sim, Index d);
  // Asks the policy once the decision is open and its owner knows of an incident.
  void ask_policy(Simulation& sim, std::uint32_t idx);
  // `org` has just learned of its first incident: its decisions waiting for that are put to it.
  void owner_informed(Simulation& sim, Index org);
  void take_decision(Simulation& sim, std::uint32_t idx, Index option, const std::string& who, bool by_default);
  void decision_due(Simulation& sim, std::uint32_t idx);

  // --- metrics --------------------------------------------------------------------------------
  MetricValues values(SimTime end) const;
  PlanCoverage coverage() const;
};

}  // namespace cyberdrill
