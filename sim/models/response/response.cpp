// The response model (contract and rules in include/cyberdrill/response.hpp).
#include "cyberdrill/response.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <queue>
#include <set>
#include <stdexcept>

#include "cyberdrill/calendar.hpp"
#include "cyberdrill/impact.hpp"
#include "cyberdrill/random.hpp"

namespace cyberdrill {

namespace {

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
bool below_full(double level) { return level < kFullService; }
// A sector counts towards severity only below kSeveritySectorLevel (response.hpp).
bool sector_hit_for_severity(double level) { return counts_for_severity(level); }
constexpr int kStepRank = -100;  // procedure steps go ahead of triage tasks
constexpr int kEssentialRank = -200;  // essential operators' incidents go ahead of everything

Duration scale(Duration d, double factor) {
  if (factor == 1.0) return d;
  const double us = static_cast<double>(d.us()) * std::max(0.0, factor);
  if (us >= 9.2e18) return Duration::max();
  return Duration::from_us(std::llround(us));
}

std::uint32_t wait_seconds(Duration wait) {
  const std::int64_t s = wait.us() / 1'000'000;
  return static_cast<std::uint32_t>(std::clamp<std::int64_t>(s, 0, 0xFFFF'FFFFLL));
}

}  // namespace

struct Response::Impl {
  // --- types ----------------------------------------------------------------------------------
  struct Belief {
    double level = 1.0;
    std::uint32_t version = 0;
    SimTime since;
    Index from = kNone;
    Index incident = kNone;
  };
  struct QEntry {
    int rank;
    std::uint64_t seq;
    std::uint32_t task;
    friend bool operator>(const QEntry& a, const QEntry& b) {
      return a.rank != b.rank ? a.rank > b.rank : a.seq > b.seq;
    }
  };
  struct Org {
    explicit Org(CalendarClock c) : clock(std::move(c)) {}
    CalendarClock clock;
    int capacity = 0;
    int busy = 0;
    std::priority_queue<QEntry, std::vector<QEntry>, std::greater<>> queue;
    std::vector<std::uint32_t> blocked;  // step runs waiting for staff
    EventId wake;
    SimTime wake_at = SimTime::max();
    SimTime callout_ready = SimTime::max();
    SimTime callout_until = SimTime::zero();
    std::map<Index, Belief> picture;  // asset -> belief
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
    ImpactModel::Evaluation impact;  ///< of the believed levels
  };

  // --- state ----------------------------------------------------------------------------------
  const Scenario& sc;
  std::uint64_t seed;
  ResponseWorld& world;
  const DecisionPolicy& policy;
  ResponseOptions options;
  HandlerId handler = 0;
  Policy knobs;

  std::vector<Org> orgs;
  std::vector<std::vector<Index>> channels_from;  // org -> channels it sends on
  Index triage = kNone;

  std::vector<Task> tasks;
  std::vector<std::uint32_t> free_tasks;
  std::uint64_t queue_seq = 0;

  std::vector<Incident> incidents;
  std::vector<IncidentInfo> incident_infos;  // mirror for the public accessor
  std::map<Index, Index> incident_of_asset;
  std::vector<Report> reports;

  std::vector<Instance> instances;
  std::vector<StepRun> runs;
  std::set<std::pair<Index, Index>> started_keys;  // (procedure, asset or kNone)
  std::vector<Index> flat_base;                     // per procedure
  std::vector<StepCoverage> step_cov;
  std::vector<int> proc_instances;

  std::vector<Listener> listeners;
  std::vector<OpenDecision> open;
  DecisionJournal journal;
  int decisions_taken = 0, decisions_on_time = 0;

  std::vector<WorldCall> world_calls;
  std::vector<Assistance> assistance;

  std::vector<ObligationClock> clocks;
  std::map<std::pair<Index, Index>, std::uint32_t> clock_of;
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
  std::set<std::pair<Index, int>> filed;                            // (operator, report type)
  std::vector<RandomStream> prep_rng, class_rng, deliberation_rng;
  std::vector<Index> campaign_of_step;                              // global attack step -> campaign
  std::vector<const AttackStep*> attack_step;                       // global attack step
  std::vector<std::optional<SimTime>> first_known;                  // per org: first knowledge
  std::set<std::pair<Index, Index>> knows_group;                    // (org, incident group)
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

  Impl(const Scenario& s, std::uint64_t sd, ResponseWorld& w, const DecisionPolicy& pol, ResponseOptions o)
      : sc(s), seed(sd), world(w), policy(pol), options(o), knobs(s.policy),
        bg_arrivals(sd, "background", "arrivals"), bg_service(sd, "background", "service"),
        bg_severity(sd, "background", "severity"), triage_service(sd, "triage", "service"), impact(s),
        sector_loss(s.sectors.size(), 0.0) {
    const double csirt_scale = knob("csirt_staff_scale", 1.0);
    const double staff_scale = knob("staff_scale", 1.0);
    for (const Organisation& org : sc.organisations) {
      Org st(CalendarClock(org.calendar, sc.metadata.time_zone, sc.metadata.start_utc_s));
      const double f = staff_scale * (org.kind == OrgKind::csirt ? csirt_scale : 1.0);
      st.capacity = static_cast<int>(std::max<long long>(0, std::llround(static_cast<double>(org.staff) * f)));
      orgs.push_back(std::move(st));
    }
    channels_from.resize(sc.organisations.size());
    for (Index c = 0; c < sc.channels.size(); ++c) {
      for (Index f : sc.channels[c].from)
        if (f < channels_from.size()) channels_from[f].push_back(c);
      coverage_rng.emplace_back(sd, sc.channels[c].id, "coverage");
      latency_rng.emplace_back(sd, sc.channels[c].id, "latency");
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
        step_rng.emplace_back(sd, proc.id + "/" + proc.steps[s2].id, "duration");
      }
      listeners.push_back(Listener{Listener::Target::procedure, p, &proc.trigger});
    }
    proc_instances.assign(sc.plan.procedures.size(), 0);
    for (Index i = 0; i < sc.injects.size(); ++i)
      listeners.push_back(Listener{Listener::Target::inject, i, &sc.injects[i].when});
    for (Index i = 0; i < sc.decisions.size(); ++i)
      listeners.push_back(Listener{Listener::Target::decision, i, &sc.decisions[i].when});

    for (Index l = 0; l < sc.plan.levels.size(); ++l) level_order.push_back(l);
    std::stable_sort(level_order.begin(), level_order.end(),
                     [&](Index a, Index b) { return sc.plan.levels[a].rank < sc.plan.levels[b].rank; });
    if (!level_order.empty()) {
      current = level_order.front();
      baseline_rank = sc.plan.levels[level_order.front()].rank;
      top_rank = sc.plan.levels[level_order.back()].rank;
    }
    levels.assign(sc.assets.size(), 1.0);
    for (const Obligation& ob : sc.plan.obligations) {
      prep_rng.emplace_back(sd, ob.id, "preparation");
      class_rng.emplace_back(sd, ob.id, "classification");
    }
    for (const Decision& dec : sc.decisions) deliberation_rng.emplace_back(sd, dec.id, "deliberation");
    for (Index c = 0; c < sc.campaigns.size(); ++c)
      for (const AttackStep& st : sc.campaigns[c].steps) {
        campaign_of_step.push_back(c);
        attack_step.push_back(&st);
      }
    first_known.resize(sc.organisations.size());
  }

  double knob(const std::string& name, double fallback) const {
    auto it = knobs.find(name);
    return it == knobs.end() ? fallback : it->second;
  }
  int rank_of(Index level) const { return level == kNone ? baseline_rank : sc.plan.levels[level].rank; }
  Index sector_of(Index asset) const { return asset < sc.assets.size() ? sc.assets[asset].sector : kNone; }
  bool crisis_active() const {
    if (!cells.empty()) return true;
    return !level_order.empty() && top_rank > baseline_rank && rank_of(current) == top_rank;
  }
  double handoff_factor() const {
    return crisis_active() ? knob("crisis_handoff_factor", sc.plan.crisis_handoff_factor) : 1.0;
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

  // --- start ----------------------------------------------------------------------------------
  void start(Simulation& sim, EventHandler& self) {
    handler = sim.add_handler(self);
    for (std::uint32_t l = 0; l < listeners.size(); ++l) {
      if (listeners[l].trigger->kind != Trigger::Kind::at_time) continue;
      sim.schedule_at(std::max(listeners[l].trigger->at, sim.now()), handler, kTimedTrigger, l);
    }
    last_truth_change = sim.now();
    schedule_background(sim);
  }

  // --- organisations and their queues ---------------------------------------------------------
  void schedule_wake(Simulation& sim, Index org, SimTime at) {
    Org& o = orgs[org];
    if (at == SimTime::max()) return;
    if (sim.is_pending(o.wake) && o.wake_at <= at) return;
    sim.cancel(o.wake);
    o.wake = sim.schedule_at(std::max(at, sim.now()), handler, kWake, org);
    o.wake_at = at;
  }

  // Whether `org` can start new work now; if not, arranges a wake-up (and a callout).
  bool available(Simulation& sim, Index org) {
    Org& o = orgs[org];
    const SimTime now = sim.now();
    if (o.clock.always() || o.clock.is_open(now)) return true;
    const Calendar& cal = o.clock.calendar();
    if (!cal.on_call) {
      schedule_wake(sim, org, o.clock.next_open(now));
      return false;
    }
    if (o.callout_ready == SimTime::max() || now >= o.callout_until) {
      o.callout_ready = saturating_add(now, cal.callout);
      o.callout_until = o.clock.next_open(now);
    }
    if (now >= o.callout_ready && now < o.callout_until) return true;
    schedule_wake(sim, org, std::min(o.callout_ready, o.callout_until));
    return false;
  }

  std::uint32_t new_task(const Task& t) {
    if (!free_tasks.empty()) {
      const std::uint32_t id = free_tasks.back();
      free_tasks.pop_back();
      tasks[id] = t;
      return id;
    }
    tasks.push_back(t);
    return static_cast<std::uint32_t>(tasks.size() - 1);
  }

  void enqueue(Simulation& sim, Task t, int rank) {
    t.enqueued = sim.now();
    const Index org = t.org;
    const std::uint32_t id = new_task(t);
    orgs[org].queue.push(QEntry{rank, queue_seq++, id});
    try_start(sim, org);
  }

  void try_start(Simulation& sim, Index org) {
    while (!orgs[org].queue.empty()) {
      if (!available(sim, org)) return;
      Org& o = orgs[org];
      const QEntry top = o.queue.top();
      if (o.capacity - o.busy < tasks[top.task].staff) return;  // head-of-line
      o.queue.pop();
      start_task(sim, top.task);
    }
  }

  void start_task(Simulation& sim, std::uint32_t id) {
    Task& t = tasks[id];
    orgs[t.org].busy += t.staff;
    t.wait = sim.now() - t.enqueued;
    Duration service = t.service;
    if (t.kind == Task::Kind::triage) {
      QueueStats& qs = t.background ? background_stats : scenario_stats;
      ++qs.served;
      if (t.wait > Duration::zero()) ++qs.waited;
      qs.total_wait_h += t.wait.to_hours();
      if (!t.background) service = sc.background.service.sample(triage_service);
      service = scale(service, knob("triage_service_scale", 1.0));
    } else {
      StepRun& run = runs[t.ref];
      run.state = StepRun::State::running;
      const Instance& inst = instances[run.instance];
      const Index flat = flat_base[inst.procedure] + run.step;
      const ProcedureStep& step = sc.plan.procedures[inst.procedure].steps[run.step];
      service = step.duration.sample(step_rng[flat]);
      if (step.effect.kind == Effect::Kind::notify) service = scale(service, handoff_factor());
      ++step_cov[flat].started;
      emit(sim, RecordKind::step_started, flat, t.org, inst.procedure);
    }
    sim.schedule_in(service, handler, kTaskDone, id);
  }

  void task_done(Simulation& sim, std::uint32_t id) {
    const Task t = tasks[id];
    free_tasks.push_back(id);
    orgs[t.org].busy -= t.staff;
    if (t.kind == Task::Kind::triage) {
      if (t.background) {
        emit(sim, RecordKind::triaged, kBackgroundIncidentBase + t.ref, t.org, wait_seconds(t.wait),
             static_cast<double>(t.severity));
      } else {
        triage_complete(sim, t.ref, t.wait);
      }
    } else {
      step_complete(sim, t.ref);
    }
    try_start(sim, t.org);
  }

  // --- background load ------------------------------------------------------------------------
  void schedule_background(Simulation& sim) {
    const BackgroundLoad& bg = sc.background;
    const double rate = bg.rate_per_day * knob("background_rate_scale", 1.0);
    if (!(rate > 0) || bg.org == kNone || bg.org >= orgs.size()) return;
    const double mean_us = 86'400e6 / rate;
    const double gap = -mean_us * std::log(bg_arrivals.uniform01_open_low());
    sim.schedule_in(Duration::from_us(std::llround(std::min(gap, 4e18))), handler, kBackgroundArrival);
  }

  void background_arrival(Simulation& sim) {
    const BackgroundLoad& bg = sc.background;
    Task t;
    t.kind = Task::Kind::triage;
    t.background = true;
    t.org = bg.org;
    t.ref = bg_count++;
    t.severity = static_cast<int>(std::clamp(std::lround(bg.severity.sample(bg_severity)), 0L, 5L));
    t.service = bg.service.sample(bg_service);
    schedule_background(sim);
    enqueue(sim, t, bg.severity_first ? -t.severity : 0);
  }

  // --- knowledge, reports, triage -------------------------------------------------------------
  int incident_severity(const Incident& inc, double level) const {
    const std::pair<Index, double> one{inc.info.asset, level};
    const double people = impact.evaluate(std::span(&one, 1)).people;
    const int hit = sector_hit_for_severity(level) ? 1 : 0;
    if (impact.uses_areas()) return severity_relative(people, impact.residents(), hit, true, inc.malicious);
    return severity_of(static_cast<std::uint64_t>(std::llround(people)), hit, true, inc.malicious);
  }

  Picture national_picture() const {
    Picture p;
    if (triage == kNone) return p;
    std::vector<std::pair<Index, double>> believed;
    std::set<Index> out;
    bool any = false, malicious = false;
    for (const auto& [asset, b] : orgs[triage].picture) {
      const Incident& inc = incidents[b.incident];
      if (!inc.info.triaged) continue;
      any = true;
      malicious = malicious || inc.malicious;
      believed.emplace_back(asset, b.level);
      if (sector_hit_for_severity(b.level)) out.insert(sector_of(asset));
      p.severity = std::max(p.severity, inc.info.severity);
    }
    p.impact = impact.evaluate(believed);  // people counted once (impact.hpp)
    p.population = static_cast<std::uint64_t>(std::llround(p.impact.people));
    p.sectors = static_cast<int>(out.size());
    const int whole = impact.uses_areas()
                          ? severity_relative(p.impact.people, impact.residents(), p.sectors, any, malicious)
                          : severity_of(p.population, p.sectors, any, malicious);
    p.severity = std::max(p.severity, whole);
    return p;
  }

  // `essential`: the knowledge came over an essential channel or in a typed report (its triage
  // goes ahead of procedure steps and the background load).
  void learn(Simulation& sim, Index org, Index incident, double level, std::uint32_t version, Index from,
             bool via_report, bool essential = false) {
    if (org == kNone || org >= orgs.size()) return;
    // time_to_report_h: the first report reaching the triage organisation, also when it already
    // knew of the incident (an asset without operator is detected by the triage org itself).
    if (via_report && org == triage && from != org && !t_report) t_report = sim.now();
    Incident& inc = incidents[incident];
    const Index asset = inc.info.asset;
    const Index group = inc.group;
    auto& picture = orgs[org].picture;
    auto it = picture.find(asset);
    const bool first = it == picture.end();
    if (!first && version <= it->second.version) return;
    const bool changed = first || it->second.level != level;
    picture[asset] = Belief{level, version, sim.now(), from, incident};
    const bool first_of_group = first && knows_group.insert({org, group}).second;
    const bool first_ever = !first_known[org];
    if (first_ever) first_known[org] = sim.now();
    if (first_of_group && via_report) emit(sim, RecordKind::reported, group, org, from, 0, CauseKind::organisation, from);
    if (changed) emit(sim, RecordKind::knowledge, asset, org, group, level, CauseKind::organisation, from);

    if (org == triage) {
      Incident& root = incidents[group];
      if (!root.info.triaged) {
        if (!root.triage_queued) {
          root.triage_queued = true;
          Task t;
          t.kind = Task::Kind::triage;
          t.org = org;
          t.ref = group;
          enqueue(sim, t,
                  essential ? kEssentialRank : (sc.background.severity_first ? -incident_severity(inc, level) : 0));
        }
      } else {
        Incident& m = incidents[incident];
        if (!m.info.triaged) m.info.triaged = root.info.triaged;  // joined an incident already triaged
        m.info.severity = incident_severity(m, level);
        incident_infos[incident] = m.info;
        evaluate_escalation(sim, triage);
        forward(sim, org, incident, first);
      }
    } else {
      forward(sim, org, incident, first);
    }
    if (sc.assets[asset].operator_org == org) check_obligation_start(sim, incident);
    check_obligations_met(sim, org, incident);
    if (first_of_group && via_report) {
      TriggerEvent ev{Trigger::Kind::report, org, kNone, kNone, asset, group, CauseKind::incident, group};
      fire(sim, ev);
    }
    if (first_ever) owner_informed(sim, org);
  }

  // Offers an incident to `org`'s channels (initial) or sends an update over the channels used.
  void forward(Simulation& sim, Index org, Index incident, bool initial) {
    if (org >= channels_from.size()) return;
    const Index asset = incidents[incident].info.asset;
    const Belief belief = orgs[org].picture.at(asset);
    for (Index c : channels_from[org]) {
      const Channel& ch = sc.channels[c];
      if (ch.to == org || ch.to == kNone) continue;
      std::uint8_t& state = incidents[incidents[incident].group].channel_state[c];  // one report per incident
      if (initial) {
        if (state != 0) continue;
        ++channel_stats[c].attempts;
        const bool mandatory =
            knob("mandatory_reporting", 0.0) >= 0.5 && sc.organisations[org].kind == OrgKind::operator_;
        const double p =
            std::clamp((mandatory ? 1.0 : ch.coverage) * knob("reporting_coverage_scale", 1.0), 0.0, 1.0);
        state = coverage_rng[c].bernoulli(p) ? 2 : 1;
        if (state != 2) continue;
        ++channel_stats[c].sent;
      } else if (state != 2) {
        continue;
      }
      const Duration latency =
          scale(ch.latency.sample(latency_rng[c]), handoff_factor() * knob("reporting_latency_scale", 1.0));
      reports.push_back(Report{incident, org, ch.to, c, belief.level, belief.version});
      // (an essential channel's report is triaged in the essential class: report_arrival)
      sim.schedule_in(latency, handler, kReportArrival, reports.size() - 1, Priority::knowledge);
    }
  }

  void report_arrival(Simulation& sim, std::uint64_t idx) {
    const Report r = reports[idx];
    learn(sim, r.to, r.incident, r.level, r.version, r.from, true, sc.channels[r.channel].essential);
    evaluate_conditions(sim);
  }

  // One triage per incident (group): every member the triage organisation knows is rated.
  void triage_complete(Simulation& sim, Index group, Duration wait) {
    incidents[group].info.triaged = sim.now();
    incident_infos[group].triaged = sim.now();
    int severity = 0;
    std::vector<Index> known;
    for (Index m : incidents[group].members) {
      Incident& inc = incidents[m];
      auto it = orgs[triage].picture.find(inc.info.asset);
      if (it == orgs[triage].picture.end()) continue;
      inc.info.triaged = sim.now();
      inc.info.severity = incident_severity(inc, it->second.level);
      incident_infos[m] = inc.info;
      severity = std::max(severity, inc.info.severity);
      known.push_back(m);
    }
    emit(sim, RecordKind::triaged, group, triage, wait_seconds(wait), static_cast<double>(severity), CauseKind::asset,
         incidents[group].info.asset);
    if (!t_triage) t_triage = sim.now();
    evaluate_escalation(sim, triage);  // rate, set the national level, then report onward
    for (Index m : known) forward(sim, triage, m, true);
    TriggerEvent ev{Trigger::Kind::triage, triage, kNone, kNone, incidents[group].info.asset, group,
                    CauseKind::incident, group};
    fire(sim, ev);
    evaluate_conditions(sim);
  }

  // --- inputs ---------------------------------------------------------------------------------
  // Whether attack step `step` (global index) on `asset` breaches personal data: exfiltration
  // anywhere, encryption or wiping of an asset that holds personal data.
  bool breaches_personal_data(Index asset, Index step) const {
    if (step >= attack_step.size()) return false;
    const AttackEffect::Kind k = attack_step[step]->effect.kind;
    return k == AttackEffect::Kind::exfiltrate ||
           ((k == AttackEffect::Kind::encrypt || k == AttackEffect::Kind::wipe) && sc.assets[asset].personal_data);
  }

  // The incident a new detection joins (the rule in response.hpp), or `self` to open one.
  Index group_for(SimTime now, Index asset, CauseKind ck, Index cause, Index detector, Index self) const {
    if (ck == CauseKind::attack_step && cause < campaign_of_step.size()) {
      const Index camp = campaign_of_step[cause];
      for (const Incident& inc : incidents)
        if (inc.campaign == camp) return inc.group;
    }
    for (const Dependency& d : sc.assets[asset].depends_on) {
      auto it = incident_of_asset.find(d.supplier);
      if (it != incident_of_asset.end() && below_full(levels[d.supplier])) return incidents[it->second].group;
    }
    if (sc.plan.incident_window > Duration::zero() && detector != kNone) {
      auto it = last_at_operator.find(detector);
      if (it != last_at_operator.end() && now - it->second.second <= sc.plan.incident_window) return it->second.first;
    }
    return self;
  }

  void on_detected(Simulation& sim, Index asset, CauseKind ck, Index cause, bool visible) {
    if (asset >= sc.assets.size()) return;
    Index detector = sc.assets[asset].operator_org;
    if (detector == kNone) detector = triage;
    const bool breach = ck == CauseKind::attack_step && breaches_personal_data(asset, cause);
    if (auto it = incident_of_asset.find(asset); it != incident_of_asset.end()) {
      Incident& inc = incidents[it->second];
      emit(sim, RecordKind::detected, it->second, detector, inc.group, 0, ck, cause);
      if (ck == CauseKind::attack_step) inc.malicious = true;
      if (breach && !incidents[inc.group].personal_data) {
        incidents[inc.group].personal_data = true;
        check_obligation_start(sim, it->second);
      }
      if (visible && inc.level != levels[asset]) observe(sim, it->second, levels[asset]);
      return;
    }
    const auto id = static_cast<Index>(incidents.size());
    Incident inc;
    inc.info = IncidentInfo{asset, ck, cause, detector, sim.now(), -1, std::nullopt};
    inc.malicious = ck == CauseKind::attack_step;
    inc.campaign = ck == CauseKind::attack_step && cause < campaign_of_step.size() ? campaign_of_step[cause] : kNone;
    inc.group = group_for(sim.now(), asset, ck, cause, detector, id);
    inc.info.group = inc.group;
    inc.level = visible ? levels[asset] : 1.0;
    inc.version = 1;
    inc.channel_state.assign(sc.channels.size(), 0);
    incidents.push_back(inc);
    incident_infos.push_back(inc.info);
    incidents[inc.group].members.push_back(id);
    if (breach) incidents[inc.group].personal_data = true;
    incident_of_asset[asset] = id;
    if (detector != kNone) last_at_operator[detector] = {inc.group, sim.now()};
    emit(sim, RecordKind::detected, id, detector, inc.group, 0, ck, cause);
    if (!t_detect) t_detect = sim.now();
    learn(sim, detector, id, inc.level, 1, detector, false);
    if (inc.group == id) {  // a new incident (a joining detection is part of one already open)
      TriggerEvent ev{Trigger::Kind::detection, detector, kNone, kNone, asset, id, CauseKind::incident, id};
      fire(sim, ev);
    }
    evaluate_conditions(sim);
  }

  // The operator observes a new level of an asset it has an incident on.
  void observe(Simulation& sim, Index incident, double level) {
    Incident& inc = incidents[incident];
    inc.level = level;
    ++inc.version;
    learn(sim, inc.info.detector, incident, level, inc.version, inc.info.detector, false);
  }

  void integrate_truth(SimTime now) {
    const double h = (now - last_truth_change).to_hours();
    if (h > 0) {
      population_hours += static_cast<double>(population) * h;
      service_hours += loss_sum * h;
      economic_loss += impact.loss_per_day() * h / 24.0;
      for (std::size_t s = 0; s < sector_loss.size(); ++s) sector_loss[s] += impact.sector_loss_per_day(static_cast<Index>(s)) * h / 24.0;
    }
    last_truth_change = now;
  }

  void on_outage_changed(Simulation& sim, Index asset, double level, std::uint64_t pop, int nsectors) {
    if (asset >= levels.size()) return;
    integrate_truth(sim.now());
    level = std::clamp(level, 0.0, 1.0);
    const double old = levels[asset];
    levels[asset] = level;
    loss_sum += old - level;
    impact.set_level(asset, level);
    for (std::size_t c = 0; c < kServiceClassCount; ++c)
      peak_without[c] = std::max(peak_without[c], impact.people_without(static_cast<ServiceClass>(c)));
    if (below_full(old) != below_full(level)) degraded += below_full(level) ? 1 : -1;
    population = pop;
    sectors = nsectors;
    peak_degraded = std::max(peak_degraded, degraded);
    peak_population = std::max(peak_population, pop);
    peak_sectors = std::max(peak_sectors, nsectors);
    if (degraded > 0) {
      if (!t_first_outage) t_first_outage = sim.now();
      had_outage = true;
      recovered_at.reset();
    } else if (had_outage && !recovered_at) {
      recovered_at = sim.now();
    }
    if (!below_full(old) && below_full(level)) {
      TriggerEvent ev{Trigger::Kind::outage, kNone, kNone, kNone, asset, kNone, CauseKind::asset, asset};
      fire(sim, ev);
    }
    if (auto it = incident_of_asset.find(asset); it != incident_of_asset.end()) {
      if (incidents[it->second].level != level) observe(sim, it->second, level);
    } else if (options.detect_visible_outages && below_full(level)) {
      on_detected(sim, asset, CauseKind::asset, asset, true);
    }
    evaluate_conditions(sim);
  }

  // --- escalation -----------------------------------------------------------------------------
  Index level_for(const Picture& p) const {
    Index target = level_order.front();
    for (Index l : level_order) {
      const EscalationLevel& lv = sc.plan.levels[l];
      if (lv.rank <= baseline_rank) continue;
      const double residents = impact.residents(), output = impact.national_output_per_day();
      const bool met = (lv.min_severity != 99 && p.severity >= lv.min_severity) ||
                       (lv.min_population > 0 && p.population >= lv.min_population) ||
                       (lv.min_sectors > 0 && p.sectors >= lv.min_sectors) ||
                       (lv.min_areas > 0 && p.impact.areas_at_least(lv.min_area_share) >= lv.min_areas) ||
                       (lv.min_population_share > 0 && residents > 0 &&
                        p.impact.people >= lv.min_population_share * residents) ||
                       (lv.min_loss_share_per_day > 0 && output > 0 &&
                        p.impact.loss_per_day >= lv.min_loss_share_per_day * output);
      if (met && lv.rank >= rank_of(target)) target = l;
    }
    return target;
  }

  void set_level(Simulation& sim, Index level, Index actor) {
    const Index old = current;
    current = level;
    const bool up = rank_of(level) > rank_of(old);
    emit(sim, up ? RecordKind::escalated : RecordKind::deescalated, level, actor, 0, static_cast<double>(old));
    if (!up) return;
    if (rank_of(level) > baseline_rank && !t_escalate) t_escalate = sim.now();
    max_rank = std::max(max_rank, rank_of(level));
    if (rank_of(level) == top_rank && !t_crisis) t_crisis = sim.now();
    TriggerEvent ev{Trigger::Kind::escalation, actor, level, kNone, kNone, kNone, CauseKind::organisation, actor};
    fire(sim, ev);
  }

  void evaluate_escalation(Simulation& sim, Index actor) {
    const Picture p = national_picture();
    national = p.severity;
    max_severity = std::max(max_severity, p.severity);
    if (level_order.empty()) return;
    const Index target = level_for(p);
    if (rank_of(target) > rank_of(current)) {
      sim.cancel(calm);
      set_level(sim, target, actor);
    } else if (rank_of(target) < rank_of(current)) {
      const Duration after = sc.plan.levels[current].deescalate_after;
      if (after > Duration::zero() && !sim.is_pending(calm)) calm = sim.schedule_in(after, handler, kDeescalate);
    } else {
      sim.cancel(calm);
    }
  }

  void force_level(Simulation& sim, Index level, Index actor) {
    if (level == kNone || level >= sc.plan.levels.size()) return;
    if (rank_of(level) > rank_of(current)) set_level(sim, level, actor);
    evaluate_escalation(sim, actor);
  }

  void deescalate(Simulation& sim) {
    const Picture p = national_picture();
    const Index target = level_for(p);
    if (!(rank_of(target) < rank_of(current))) return;
    Index next = target;  // the highest level ranked below the current one
    for (Index l : level_order)
      if (sc.plan.levels[l].rank < rank_of(current)) next = l;
    set_level(sim, next, triage);
    evaluate_escalation(sim, triage);
    evaluate_conditions(sim);
  }

  // --- triggers -------------------------------------------------------------------------------
  bool matches(const Trigger& t, const TriggerEvent& ev) const {
    if (t.kind != ev.kind) return false;
    switch (t.kind) {
      case Trigger::Kind::detection:
      case Trigger::Kind::report:
      case Trigger::Kind::triage: return t.org == kNone || t.org == ev.org;
      case Trigger::Kind::escalation: return t.ref == kNone || rank_of(ev.ref) >= rank_of(t.ref);
      case Trigger::Kind::inject:
      case Trigger::Kind::procedure_done: return t.ref == ev.ref;
      case Trigger::Kind::decision: return t.ref == ev.ref && (t.option == kNone || t.option == ev.option);
      case Trigger::Kind::outage:
        return (t.ref == kNone || t.ref == ev.asset) && (t.sector == kNone || t.sector == sector_of(ev.asset));
      case Trigger::Kind::at_time:
      case Trigger::Kind::condition: return false;
    }
    return false;
  }

  void fire(Simulation& sim, const TriggerEvent& ev) {
    for (std::size_t l = 0; l < listeners.size(); ++l)
      if (matches(*listeners[l].trigger, ev)) fire_listener(sim, l, ev);
  }

  void fire_listener(Simulation& sim, std::size_t l, const TriggerEvent& ev) {
    Listener& li = listeners[l];
    switch (li.target) {
      case Listener::Target::procedure: {
        const bool per_asset = ev.kind == Trigger::Kind::detection || ev.kind == Trigger::Kind::report ||
                               (ev.kind == Trigger::Kind::outage && !sc.plan.procedures[li.index].trigger.once) ||
                               ev.kind == Trigger::Kind::triage;
        li.fired = true;
        start_procedure(sim, li.index, per_asset ? ev.asset : kNone, ev.incident, ev.cause_kind, ev.cause);
        break;
      }
      case Listener::Target::inject:
        if (li.fired) return;
        li.fired = true;
        deliver_inject(sim, li.index);
        break;
      case Listener::Target::decision:
        if (li.fired) return;
        li.fired = true;
        open_decision(sim, li.index);
        break;
    }
  }

  std::optional<double> condition_value(const std::string& name, SimTime now) const {
    if (name == "population_affected") return static_cast<double>(population);
    if (name == "outages") return static_cast<double>(degraded);
    if (name == "sectors_affected") return static_cast<double>(sectors);
    if (name == "severity") return static_cast<double>(national);
    if (name == "level") return static_cast<double>(rank_of(current));
    const MetricValues v = values(now);
    if (auto it = v.find(name); it != v.end()) return it->second;
    return std::nullopt;
  }

  void evaluate_conditions(Simulation& sim) {
    for (std::size_t l = 0; l < listeners.size(); ++l) {
      const Trigger& t = *listeners[l].trigger;
      if (t.kind != Trigger::Kind::condition || listeners[l].fired) continue;
      const auto v = condition_value(t.metric, sim.now());
      if (!v || *v < t.at_least) continue;
      TriggerEvent ev{Trigger::Kind::condition, kNone, kNone, kNone, kNone, kNone, CauseKind::scenario, kNone};
      fire_listener(sim, l, ev);
    }
  }

  // --- procedures -----------------------------------------------------------------------------
  void start_procedure(Simulation& sim, Index p, Index asset, Index incident, CauseKind ck, Index cause) {
    if (p >= sc.plan.procedures.size()) return;
    if (!started_keys.insert({p, asset}).second) return;
    const Procedure& proc = sc.plan.procedures[p];
    if (asset != kNone && incident == kNone) {
      if (auto it = incident_of_asset.find(asset); it != incident_of_asset.end()) incident = it->second;
    }
    ++proc_instances[p];
    emit(sim, RecordKind::procedure_started, p, proc.owner, 0, 0, ck, cause);
    const auto inst = static_cast<std::uint32_t>(instances.size());
    const auto first = static_cast<std::uint32_t>(runs.size());
    instances.push_back(Instance{p, asset, incident, sim.now(), first, static_cast<int>(proc.steps.size())});
    for (Index s = 0; s < proc.steps.size(); ++s) {
      runs.push_back(StepRun{inst, s});
      if (proc.steps[s].deadline > Duration::zero())
        sim.schedule_in(proc.steps[s].deadline, handler, kStepDeadline, first + s);
    }
    if (proc.steps.empty()) {
      procedure_done(sim, inst);
      return;
    }
    for (Index s = 0; s < proc.steps.size(); ++s)
      if (proc.steps[s].after.empty()) make_ready(sim, first + s);
  }

  void make_ready(Simulation& sim, std::uint32_t r) {
    const Instance& inst = instances[runs[r].instance];
    const Procedure& proc = sc.plan.procedures[inst.procedure];
    const ProcedureStep& step = proc.steps[runs[r].step];
    const Index flat = flat_base[inst.procedure] + runs[r].step;
    const Index org = step.org != kNone ? step.org : proc.owner;
    runs[r].org = org;
    if (org == kNone || org >= orgs.size() || step.staff > orgs[org].capacity) {
      runs[r].state = StepRun::State::blocked;
      ++step_cov[flat].blocked;
      emit(sim, RecordKind::step_blocked, flat, org, 1);
      if (org != kNone && org < orgs.size()) orgs[org].blocked.push_back(r);
      return;
    }
    const Org& o = orgs[org];
    if (!o.clock.always() && !o.clock.calendar().on_call && !o.clock.is_open(sim.now())) {
      ++step_cov[flat].blocked;
      emit(sim, RecordKind::step_blocked, flat, org, 2);
    }
    runs[r].state = StepRun::State::queued;
    Task t;
    t.kind = Task::Kind::step;
    t.org = org;
    t.staff = std::max(0, step.staff);
    t.ref = r;
    enqueue(sim, t, kStepRank);
  }

  void step_complete(Simulation& sim, std::uint32_t r) {
    runs[r].state = StepRun::State::done;
    const std::uint32_t inst_idx = runs[r].instance;
    const Index p = instances[inst_idx].procedure;
    const Index s = runs[r].step;
    const Index flat = flat_base[p] + s;
    const ProcedureStep& step = sc.plan.procedures[p].steps[s];
    ++step_cov[flat].completed;
    emit(sim, RecordKind::step_completed, flat, runs[r].org, p);
    apply_effect(sim, step.effect, EffectSource{runs[r].org, CauseKind::procedure_step, flat},
                 instances[inst_idx].asset, instances[inst_idx].incident);
    const Procedure& proc = sc.plan.procedures[p];
    const std::uint32_t first = instances[inst_idx].first_run;
    for (Index s2 = 0; s2 < proc.steps.size(); ++s2) {
      if (runs[first + s2].state != StepRun::State::waiting) continue;
      const auto& after = proc.steps[s2].after;
      if (std::find(after.begin(), after.end(), s) == after.end()) continue;
      const bool ready = std::all_of(after.begin(), after.end(), [&](Index a) {
        return a < proc.steps.size() && runs[first + a].state == StepRun::State::done;
      });
      if (ready) make_ready(sim, first + s2);
    }
    if (--instances[inst_idx].remaining == 0) procedure_done(sim, inst_idx);
    evaluate_conditions(sim);
  }

  void procedure_done(Simulation& sim, std::uint32_t inst) {
    const Index p = instances[inst].procedure;
    TriggerEvent ev{Trigger::Kind::procedure_done, kNone, p, kNone, kNone, kNone, CauseKind::none, kNone};
    fire(sim, ev);
  }

  void step_deadline(Simulation& sim, std::uint32_t r) {
    if (runs[r].state == StepRun::State::done) return;
    const Instance& inst = instances[runs[r].instance];
    const Index flat = flat_base[inst.procedure] + runs[r].step;
    ++step_cov[flat].timed_out;
    const ProcedureStep& step = sc.plan.procedures[inst.procedure].steps[runs[r].step];
    const Index org = step.org != kNone ? step.org : sc.plan.procedures[inst.procedure].owner;
    emit(sim, RecordKind::step_timed_out, flat, org, inst.procedure);
  }

  void assistance_arrives(Simulation& sim, std::uint64_t idx) {
    const Assistance a = assistance[idx];
    Org& o = orgs[a.org];
    o.capacity += a.staff;
    std::vector<std::uint32_t> still;
    std::vector<std::uint32_t> now_fit;
    for (std::uint32_t r : o.blocked) {
      const Instance& inst = instances[runs[r].instance];
      const int need = sc.plan.procedures[inst.procedure].steps[runs[r].step].staff;
      (need <= o.capacity ? now_fit : still).push_back(r);
    }
    o.blocked = std::move(still);
    for (std::uint32_t r : now_fit) {
      runs[r].state = StepRun::State::queued;
      Task t;
      t.kind = Task::Kind::step;
      t.org = a.org;
      t.staff = std::max(0, sc.plan.procedures[instances[runs[r].instance].procedure].steps[runs[r].step].staff);
      t.ref = r;
      enqueue(sim, t, kStepRank);
    }
    try_start(sim, a.org);
  }

  // --- effects --------------------------------------------------------------------------------
  void world_call(Simulation& sim, Effect::Kind kind, Index target, double value, const EffectSource& src,
                  const Effect* effect = nullptr) {
    world_calls.push_back(WorldCall{kind, target, value, src, effect});
    sim.schedule_at(sim.now(), handler, kWorldCall, world_calls.size() - 1, Priority::world);
  }

  void run_world_call(Simulation& sim, std::uint64_t idx) {
    const WorldCall c = world_calls[idx];
    switch (c.kind) {
      case Effect::Kind::contain:
        if (!t_contain) t_contain = sim.now();
        world.contain(sim, c.target, c.source);
        break;
      case Effect::Kind::isolate:
        if (!t_contain) t_contain = sim.now();
        if (c.effect != nullptr && c.effect->level >= 0) world.isolate_at(sim, c.target, c.effect->level, c.source);
        else world.isolate(sim, c.target, c.source);
        break;
      case Effect::Kind::manual_operation:
        world.manual_operation(sim, c.target, c.effect->level, c.effect->delay, c.source);
        break;
      case Effect::Kind::mitigate: world.mitigate(sim, c.target, c.effect->level, c.effect->delay, c.source); break;
      case Effect::Kind::rebuild: world.rebuild(sim, c.target, *c.effect, c.source); break;
      case Effect::Kind::resupply: world.resupply(sim, c.target, c.source); break;
      case Effect::Kind::fail_over: world.fail_over(sim, c.target, c.source); break;
      case Effect::Kind::restore: world.restore(sim, c.target, c.source); break;
      case Effect::Kind::fail_asset: world.fail_asset(sim, c.target, c.source); break;
      case Effect::Kind::degrade_asset: world.degrade_asset(sim, c.target, c.value, c.source); break;
      case Effect::Kind::start_campaign: world.start_campaign(sim, c.target, c.source); break;
      default: break;
    }
  }

  void apply_effect(Simulation& sim, const Effect& e, const EffectSource& src, Index asset, Index incident) {
    switch (e.kind) {
      case Effect::Kind::none:
      case Effect::Kind::inform: return;
      case Effect::Kind::contain:
      case Effect::Kind::isolate:
      case Effect::Kind::fail_over:
      case Effect::Kind::restore:
      case Effect::Kind::fail_asset:
      case Effect::Kind::degrade_asset:
      case Effect::Kind::manual_operation:
      case Effect::Kind::mitigate:
      case Effect::Kind::rebuild:
      case Effect::Kind::resupply: {
        if (!e.assets.empty()) {
          for (Index a : e.assets) world_call(sim, e.kind, a, e.value, src, &e);
        } else if (asset != kNone) {
          world_call(sim, e.kind, asset, e.value, src, &e);
        }
        return;
      }
      case Effect::Kind::start_campaign:
        if (e.ref != kNone) world_call(sim, e.kind, e.ref, 0, src);
        return;
      case Effect::Kind::escalate: force_level(sim, e.ref, src.org); return;
      case Effect::Kind::convene_cell: cells.emplace_back(e.name, sim.now()); return;
      case Effect::Kind::notify: notify(sim, src.org, e.org, incident); return;
      case Effect::Kind::warn_public:
        if (!public_warned) public_warned = sim.now();
        return;
      case Effect::Kind::request_assistance: {
        const Index org = e.org != kNone ? e.org : src.org;
        if (org == kNone || org >= orgs.size() || e.staff <= 0) return;
        assistance.push_back(Assistance{org, e.staff});
        sim.schedule_in(e.delay, handler, kAssistance, assistance.size() - 1);
        return;
      }
      case Effect::Kind::trigger_procedure:
        start_procedure(sim, e.ref, asset, incident, src.cause_kind, src.cause);
        return;
      case Effect::Kind::set_policy: knobs[e.name] = e.value; return;
    }
  }

  void notify(Simulation& sim, Index from, Index to, Index incident) {
    if (from == kNone || to == kNone || from == to || from >= orgs.size() || to >= orgs.size()) return;
    std::vector<Belief> beliefs;
    for (const auto& [asset, b] : orgs[from].picture)
      if (incident == kNone || incidents[b.incident].group == incidents[incident].group) beliefs.push_back(b);
    for (const Belief& b : beliefs) learn(sim, to, b.incident, b.level, b.version, from, true);
  }

  // --- obligations ----------------------------------------------------------------------------
  Index obligation_to(Index o) const { return sc.plan.obligations[o].to != kNone ? sc.plan.obligations[o].to : triage; }

  void check_obligation_start(Simulation& sim, Index incident) {
    const Incident& inc = incidents[incident];
    const Index asset = inc.info.asset;
    const Index op = sc.assets[asset].operator_org;
    if (op == kNone) return;
    auto it = orgs[op].picture.find(asset);
    if (it == orgs[op].picture.end()) return;
    const int sev = incident_severity(inc, it->second.level);
    for (Index o = 0; o < sc.plan.obligations.size(); ++o) {
      const Obligation& ob = sc.plan.obligations[o];
      if (sev < ob.min_severity) continue;
      if (!ob.sectors.empty() && std::find(ob.sectors.begin(), ob.sectors.end(), sector_of(asset)) == ob.sectors.end())
        continue;
      if (ob.regime_kind == Regime::gdpr && !incidents[inc.group].personal_data) continue;  // breaches only
      if (clock_of.count({o, op}) || pending_clocks.count({o, op})) continue;  // one per (obligation, entity)
      switch (ob.starts) {
        case Obligation::Start::awareness: start_clock(sim, o, op, incident, sim.now()); break;
        case Obligation::Start::classification: {
          pending_clocks[{o, op}] = PendingClock{incident, sim.now()};
          classifications.push_back(Filing{o, op, incident});
          sim.schedule_in(ob.classification.sample(class_rng[o]), handler, kClassified, classifications.size() - 1);
          break;
        }
        case Obligation::Start::after_report:
          pending_clocks[{o, op}] = PendingClock{incident, sim.now()};
          if (filed.count({op, static_cast<int>(ob.after)})) start_pending(sim, o, op);
          break;
      }
    }
  }

  void start_pending(Simulation& sim, Index o, Index op) {
    auto it = pending_clocks.find({o, op});
    if (it == pending_clocks.end()) return;
    const PendingClock pc = it->second;
    pending_clocks.erase(it);
    start_clock(sim, o, op, pc.incident, pc.aware);
  }

  // Whether `op`'s channel to `to` stayed silent for this incident (its coverage draw failed):
  // an operator that does not report an incident files none of its typed reports either.
  bool silent_towards(Index op, Index to, Index group) const {
    if (op >= channels_from.size()) return false;
    for (Index c : channels_from[op])
      if (sc.channels[c].to == to && incidents[group].channel_state[c] == 1) return true;
    return false;
  }

  void start_clock(Simulation& sim, Index o, Index op, Index incident, SimTime aware) {
    const Obligation& ob = sc.plan.obligations[o];
    const auto idx = static_cast<std::uint32_t>(clocks.size());
    ObligationClock c;
    c.obligation = o;
    c.incident = incident;
    c.org = op;
    c.started = sim.now();
    c.due = saturating_add(sim.now(), ob.deadline);
    if (ob.cap > Duration::zero()) c.due = std::min(c.due, saturating_add(aware, ob.cap));
    clocks.push_back(c);
    clock_of[{o, op}] = idx;
    emit(sim, RecordKind::obligation_started, o, op, incident);
    const Index to = obligation_to(o);
    if (ob.report == ReportType::incident && to != kNone && to < orgs.size() && knows_incident_of(to, op)) {
      obligation_met(sim, idx);
      return;
    }
    if (ob.report != ReportType::incident && !silent_towards(op, to, incidents[incident].group)) {
      filings.push_back(Filing{o, op, incident});
      sim.schedule_in(ob.preparation.sample(prep_rng[o]), handler, kReportFiled, filings.size() - 1,
                      Priority::knowledge);
    }
    if (clocks[idx].due != SimTime::max())
      sim.schedule_at(std::max(clocks[idx].due, sim.now()), handler, kObligationDue, idx, Priority::last);
  }

  // The operator files a typed report: it carries the operator's picture of the incident to the
  // obligation's recipient, meets that recipient's clocks of the same type and starts the clocks
  // waiting for it.
  void report_filed(Simulation& sim, std::uint32_t f) {
    const Filing fl = filings[f];
    const Obligation& ob = sc.plan.obligations[fl.obligation];
    const Index to = obligation_to(fl.obligation);
    const Index group = incidents[fl.incident].group;
    emit(sim, RecordKind::report_filed, group, fl.op, static_cast<std::uint32_t>(ob.report),
         static_cast<double>(fl.obligation), CauseKind::organisation, to);
    filed.insert({fl.op, static_cast<int>(ob.report)});
    if (to != kNone && to < orgs.size()) {
      std::vector<Belief> beliefs;
      for (const auto& [a, b] : orgs[fl.op].picture)
        if (incidents[b.incident].group == group) beliefs.push_back(b);
      for (const Belief& b : beliefs) learn(sim, to, b.incident, b.level, b.version, fl.op, true, true);
    }
    for (std::uint32_t i = 0; i < clocks.size(); ++i) {
      const ObligationClock& c = clocks[i];
      if (c.org != fl.op || c.state != ObligationClock::State::running) continue;
      if (sc.plan.obligations[c.obligation].report == ob.report && obligation_to(c.obligation) == to)
        obligation_met(sim, i);
    }
    std::vector<Index> waiting;
    for (const auto& [key, pc] : pending_clocks) {
      const Obligation& w = sc.plan.obligations[key.first];
      if (key.second == fl.op && w.starts == Obligation::Start::after_report && w.after == ob.report)
        waiting.push_back(key.first);
    }
    for (Index o : waiting) start_pending(sim, o, fl.op);
    evaluate_conditions(sim);
  }

  void classified(Simulation& sim, std::uint32_t k) {
    const Filing c = classifications[k];
    start_pending(sim, c.obligation, c.op);
  }

  // Whether `org` knows of an incident on an asset operated by `op`.
  bool knows_incident_of(Index org, Index op) const {
    for (const auto& [a, b] : orgs[org].picture)
      if (sc.assets[a].operator_org == op) return true;
    return false;
  }

  void check_obligations_met(Simulation& sim, Index org, Index incident) {
    const Index op = sc.assets[incidents[incident].info.asset].operator_org;
    for (std::uint32_t i = 0; i < clocks.size(); ++i) {
      if (clocks[i].org != op || clocks[i].state != ObligationClock::State::running) continue;
      if (sc.plan.obligations[clocks[i].obligation].report != ReportType::incident) continue;  // typed: report_filed
      if (obligation_to(clocks[i].obligation) == org) obligation_met(sim, i);
    }
  }

  void obligation_met(Simulation& sim, std::uint32_t i) {
    ObligationClock& c = clocks[i];
    c.state = ObligationClock::State::met;
    c.met_at = sim.now();
    emit(sim, RecordKind::obligation_met, c.obligation, c.org, c.incident, (sim.now() - c.started).to_hours());
  }

  void obligation_due(Simulation& sim, std::uint32_t i) {
    ObligationClock& c = clocks[i];
    if (c.state != ObligationClock::State::running) return;
    c.state = ObligationClock::State::missed;
    emit(sim, RecordKind::obligation_missed, c.obligation, c.org, c.incident);
  }

  // --- injects and decisions ------------------------------------------------------------------
  void deliver_inject(Simulation& sim, Index i) {
    const Inject& inj = sc.injects[i];
    emit(sim, RecordKind::inject_delivered, i, inj.to, inj.from, 0, CauseKind::inject, i);
    const Index org = inj.to != kNone ? inj.to : inj.from;
    apply_effect(sim, inj.effect, EffectSource{org, CauseKind::inject, i}, kNone, kNone);
    TriggerEvent ev{Trigger::Kind::inject, inj.to, i, kNone, kNone, kNone, CauseKind::inject, i};
    fire(sim, ev);
    evaluate_conditions(sim);
  }

  bool owner_knows(Index owner) const { return owner == kNone || owner >= orgs.size() || first_known[owner]; }

  void open_decision(Simulation& sim, Index d) {
    const Decision& dec = sc.decisions[d];
    OpenDecision od;
    od.decision = d;
    od.opened = sim.now();
    od.deadline = dec.deadline > Duration::zero() ? saturating_add(sim.now(), dec.deadline) : SimTime::max();
    od.waiting_owner = !owner_knows(dec.owner);
    const auto idx = static_cast<std::uint32_t>(open.size());
    open.push_back(od);
    if (!od.waiting_owner) ask_policy(sim, idx);
    if (od.deadline != SimTime::max()) sim.schedule_at(od.deadline, handler, kDecisionDue, idx, Priority::last);
  }

  // Asks the policy once the decision is open and its owner knows of an incident.
  void ask_policy(Simulation& sim, std::uint32_t idx) {
    OpenDecision& od = open[idx];
    od.waiting_owner = false;
    const Decision& dec = sc.decisions[od.decision];
    DecisionRequest req;
    req.decision = od.decision;
    req.opened = od.opened;
    req.deadline = od.deadline;
    req.owner_informed = sim.now();
    if (dec.owner != kNone && dec.owner < orgs.size()) {
      req.owner_informed = std::max(od.opened, *first_known[dec.owner]);
      req.owner_available = orgs[dec.owner].clock.next_available(sim.now());
    } else {
      req.owner_available = sim.now();
    }
    req.deliberation = dec.deliberation.sample(deliberation_rng[od.decision]);
    const DecisionChoice choice = policy.decide(sc, req);
    if (choice.option != kNone && choice.option < dec.options.size()) {
      od.choice_pending = true;
      od.choice = choice;
      od.choice.at = std::max(choice.at, sim.now());
      sim.schedule_at(od.choice.at, handler, kDecisionTake, idx);
    }
  }

  // `org` has just learned of its first incident: its decisions waiting for that are put to it.
  void owner_informed(Simulation& sim, Index org) {
    for (std::uint32_t i = 0; i < open.size(); ++i)
      if (open[i].waiting_owner && !open[i].taken && sc.decisions[open[i].decision].owner == org) ask_policy(sim, i);
  }

  void take_decision(Simulation& sim, std::uint32_t idx, Index option, const std::string& who, bool by_default) {
    OpenDecision& od = open[idx];
    if (od.taken) return;
    od.taken = true;
    const Decision& dec = sc.decisions[od.decision];
    const bool on_time = !by_default && sim.now() <= od.deadline;
    ++decisions_taken;
    if (on_time) ++decisions_on_time;
    emit(sim, RecordKind::decision_taken, od.decision, dec.owner, option, 0, CauseKind::decision, od.decision);
    journal.entries.push_back(DecisionEntry{sim.now(), dec.id, dec.options[option].id, who, od.opened, on_time});
    const Index d = od.decision;
    for (const Effect& e : dec.options[option].effects)
      apply_effect(sim, e, EffectSource{dec.owner, CauseKind::decision, d}, kNone, kNone);
    TriggerEvent ev{Trigger::Kind::decision, dec.owner, d, option, kNone, kNone, CauseKind::decision, d};
    fire(sim, ev);
    evaluate_conditions(sim);
  }

  void decision_due(Simulation& sim, std::uint32_t idx) {
    const OpenDecision& od = open[idx];
    if (od.taken || od.choice_pending || od.waiting_owner) return;  // nobody may decide for an owner who does not know
    const Decision& dec = sc.decisions[od.decision];
    if (dec.default_option == kNone || dec.default_option >= dec.options.size()) return;
    take_decision(sim, idx, dec.default_option, "default", true);
  }

  // --- metrics --------------------------------------------------------------------------------
  MetricValues values(SimTime end) const {
    auto hours = [](const std::optional<SimTime>& t) -> std::optional<double> {
      if (!t) return std::nullopt;
      return t->to_hours();
    };
    const double tail = std::max(0.0, (end - last_truth_change).to_hours());
    int met = 0, missed = 0;
    for (const auto& c : clocks) {
      met += c.state == ObligationClock::State::met ? 1 : 0;
      missed += c.state == ObligationClock::State::missed ? 1 : 0;
    }
    MetricValues v;
    v["time_to_detect_h"] = hours(t_detect);
    v["time_to_report_h"] = hours(t_report);
    v["time_to_triage_h"] = hours(t_triage);
    v["time_to_escalate_h"] = hours(t_escalate);
    v["time_to_crisis_h"] = hours(t_crisis);
    v["time_to_contain_h"] = hours(t_contain);
    v["time_to_recover_h"] = (had_outage && degraded == 0) ? hours(recovered_at) : std::nullopt;
    v["time_to_first_restore_h"] =
        t_first_restore && t_first_outage ? std::optional<double>((*t_first_restore - *t_first_outage).to_hours()) : std::nullopt;
    v["max_level_rank"] = level_order.empty() ? std::nullopt : std::optional<double>(std::max(max_rank, baseline_rank));
    v["population_hours_lost"] = population_hours + static_cast<double>(population) * tail;
    v["service_hours_lost"] = service_hours + loss_sum * tail;
    v["peak_outages"] = static_cast<double>(peak_degraded);
    v["peak_population_affected"] = static_cast<double>(peak_population);
    v["obligations_met_fraction"] =
        met + missed > 0 ? std::optional<double>(static_cast<double>(met) / (met + missed)) : std::nullopt;
    v["obligations_missed"] = static_cast<double>(missed);
    v["mean_triage_wait_h"] = scenario_stats.mean_wait_h();
    v["max_severity"] = static_cast<double>(max_severity);
    v["sectors_affected"] = static_cast<double>(peak_sectors);
    v["plan_coverage"] = coverage().completed_fraction();
    v["decisions_on_time_fraction"] =
        decisions_taken > 0 ? std::optional<double>(static_cast<double>(decisions_on_time) / decisions_taken)
                            : std::nullopt;
    v["economic_loss_eur"] = economic_loss + impact.loss_per_day() * tail / 24.0;
    for (std::size_t c = 0; c < kServiceClassCount; ++c)
      v["peak_people_without_" + service_class_names()[c]] = std::round(peak_without[c]);
    return v;
  }

  PlanCoverage coverage() const {
    PlanCoverage c;
    c.procedure_instances = proc_instances;
    c.steps = step_cov;
    for (const auto& s : step_cov) {
      c.never_fired += s.started == 0 ? 1 : 0;
      c.blocked += s.blocked > 0 ? 1 : 0;
      c.timed_out += s.timed_out > 0 ? 1 : 0;
    }
    return c;
  }
};

// --- the public facade ----------------------------------------------------------------------

Response::Response(const Scenario& scenario, std::uint64_t seed, ResponseWorld& world, const DecisionPolicy& policy,
                   ResponseOptions options)
    : impl_(std::make_unique<Impl>(scenario, seed, world, policy, options)) {}

Response::~Response() = default;

void Response::start(Simulation& sim) { impl_->start(sim, *this); }

void Response::on_detected(Simulation& sim, Index asset, CauseKind cause_kind, Index cause, bool visible) {
  impl_->on_detected(sim, asset, cause_kind, cause, visible);
}

void Response::on_outage_changed(Simulation& sim, Index asset, double level, std::uint64_t population_affected,
                                 int sectors_affected) {
  impl_->on_outage_changed(sim, asset, level, population_affected, sectors_affected);
}

void Response::on_restored(Simulation& sim, Index) {
  if (impl_->t_first_outage && !impl_->t_first_restore) impl_->t_first_restore = sim.now();
}

std::vector<Index> Response::open_decisions() const {
  std::vector<Index> out;
  for (const auto& od : impl_->open)
    if (!od.taken) out.push_back(od.decision);
  return out;
}

bool Response::decide(Simulation& sim, Index decision, Index option, std::string_view who) {
  for (std::uint32_t i = 0; i < impl_->open.size(); ++i) {
    const auto& od = impl_->open[i];
    if (od.decision != decision || od.taken) continue;
    if (option >= impl_->sc.decisions[decision].options.size()) return false;
    impl_->take_decision(sim, i, option, std::string(who), false);
    return true;
  }
  return false;
}

bool Response::deliver_inject(Simulation& sim, Index inject) {
  if (inject >= impl_->sc.injects.size()) return false;
  for (auto& li : impl_->listeners) {
    if (li.target != Impl::Listener::Target::inject || li.index != inject) continue;
    if (li.fired) return false;
    li.fired = true;
    impl_->deliver_inject(sim, inject);
    return true;
  }
  return false;
}

bool Response::inject_delivered(Index inject) const {
  for (const auto& li : impl_->listeners)
    if (li.target == Impl::Listener::Target::inject && li.index == inject) return li.fired;
  return false;
}

std::vector<Response::OpenDecisionInfo> Response::open_decision_info() const {
  std::vector<OpenDecisionInfo> out;
  for (const auto& od : impl_->open)
    if (!od.taken) out.push_back(OpenDecisionInfo{od.decision, od.opened, od.deadline});
  return out;
}

std::size_t Response::queue_length(Index org) const {
  return org < impl_->orgs.size() ? impl_->orgs[org].queue.size() : 0;
}

Index Response::current_level() const { return impl_->current; }
int Response::national_severity() const { return impl_->national; }
bool Response::crisis_structure_active() const { return impl_->crisis_active(); }
int Response::staff(Index org) const { return org < impl_->orgs.size() ? impl_->orgs[org].capacity : 0; }
Index Response::triage_org() const { return impl_->triage; }
const std::vector<IncidentInfo>& Response::incidents() const { return impl_->incident_infos; }
const DecisionJournal& Response::journal() const { return impl_->journal; }

std::optional<double> Response::believed_level(Index org, Index asset) const {
  if (org >= impl_->orgs.size()) return std::nullopt;
  const auto& pic = impl_->orgs[org].picture;
  auto it = pic.find(asset);
  if (it == pic.end()) return std::nullopt;
  return it->second.level;
}

ResponseMetrics Response::metrics(SimTime end) const {
  ResponseMetrics m;
  m.values = impl_->values(end);
  m.scenario_triage = impl_->scenario_stats;
  m.background_triage = impl_->background_stats;
  m.channels = impl_->channel_stats;
  m.obligations = impl_->clocks;
  m.coverage = impl_->coverage();
  m.decisions_taken = impl_->decisions_taken;
  m.decisions_on_time = impl_->decisions_on_time;
  for (const auto& od : impl_->open) m.decisions_not_taken += od.taken ? 0 : 1;
  m.cells_convened = impl_->cells;
  m.public_warned = impl_->public_warned;
  const double tail = std::max(0.0, (end - impl_->last_truth_change).to_hours());
  m.sector_economic_loss_eur = impl_->sector_loss;
  for (std::size_t s = 0; s < m.sector_economic_loss_eur.size(); ++s)
    m.sector_economic_loss_eur[s] += impl_->impact.sector_loss_per_day(static_cast<Index>(s)) * tail / 24.0;
  return m;
}

void Response::handle(Simulation& sim, const Event& ev) {
  Impl& m = *impl_;
  switch (ev.tag) {
    case kWake:
      m.orgs[static_cast<Index>(ev.arg)].wake_at = SimTime::max();
      m.try_start(sim, static_cast<Index>(ev.arg));
      break;
    case kTaskDone: m.task_done(sim, static_cast<std::uint32_t>(ev.arg)); break;
    case kBackgroundArrival: m.background_arrival(sim); break;
    case kReportArrival: m.report_arrival(sim, ev.arg); break;
    case kStepDeadline: m.step_deadline(sim, static_cast<std::uint32_t>(ev.arg)); break;
    case kAssistance: m.assistance_arrives(sim, ev.arg); break;
    case kObligationDue: m.obligation_due(sim, static_cast<std::uint32_t>(ev.arg)); break;
    case kDecisionTake: {
      auto& od = m.open[ev.arg];
      if (od.taken) break;
      od.choice_pending = false;
      const DecisionChoice choice = od.choice;  // take_decision may grow `open`
      m.take_decision(sim, static_cast<std::uint32_t>(ev.arg), choice.option, choice.who, false);
      break;
    }
    case kDecisionDue: m.decision_due(sim, static_cast<std::uint32_t>(ev.arg)); break;
    case kDeescalate: m.deescalate(sim); break;
    case kTimedTrigger: {
      const auto l = static_cast<std::size_t>(ev.arg);
      Impl::TriggerEvent te{Trigger::Kind::at_time, kNone, kNone, kNone, kNone, kNone, CauseKind::scenario, kNone};
      m.fire_listener(sim, l, te);
      break;
    }
    case kWorldCall: m.run_world_call(sim, ev.arg); break;
    case kReportFiled: m.report_filed(sim, static_cast<std::uint32_t>(ev.arg)); break;
    case kClassified: m.classified(sim, static_cast<std::uint32_t>(ev.arg)); break;
    default: throw std::logic_error("Response: unknown event tag");
  }
}

}  // namespace cyberdrill
