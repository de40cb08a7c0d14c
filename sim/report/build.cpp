// build_report: from a recorded run to the AAR/IP model. Every sentence is assembled from the
// scenario, the run's metrics and its trace records; where the trace cannot tell a root cause,
// the finding says so instead of guessing.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>

#include "cyberdrill/impact.hpp"
#include "cyberdrill/calendar.hpp"
#include "cyberdrill/report.hpp"
#include "text.hpp"

namespace cyberdrill {

using report_text::clock;
using report_text::format;
using report_text::from_hours;
using report_text::hours;
using report_text::join_and;
using report_text::percent;
using report_text::plural;
using report_text::thousands;

const char* rating_wording(Rating r) {
  switch (r) {
    case Rating::P: return "Performed without challenges";
    case Rating::S: return "Performed with some challenges";
    case Rating::M: return "Performed with major challenges";
    case Rating::U: return "Unable to be performed";
  }
  return "Unable to be performed";
}

const char* capability_element_name(CapabilityElement e) {
  switch (e) {
    case CapabilityElement::planning: return "Planning";
    case CapabilityElement::organisation: return "Organisation";
    case CapabilityElement::equipment: return "Equipment";
    case CapabilityElement::training: return "Training";
    case CapabilityElement::exercise: return "Exercise";
  }
  return "Planning";
}

namespace {

constexpr double kFullService = 0.99;  // response.hpp: full service means level >= 0.99

const char* org_kind_name(OrgKind k) {
  switch (k) {
    case OrgKind::csirt: return "CSIRT";
    case OrgKind::crisis_centre: return "crisis centre";
    case OrgKind::authority: return "authority";
    case OrgKind::operator_: return "operator";
    case OrgKind::police: return "police";
    case OrgKind::intelligence: return "intelligence";
    case OrgKind::liaison: return "liaison";
    case OrgKind::government: return "government";
    case OrgKind::other: return "other";
  }
  return "other";
}

const char* attack_effect_name(std::uint32_t e) {
  static constexpr const char* names[] = {"foothold", "degrade", "disrupt", "encrypt", "wipe", "ddos", "exfiltrate"};
  return e < 7 ? names[e] : "effect";
}

/// A name for running text: a trailing parenthetical gloss is dropped ("Energy Inspectorate
/// (sector authority, energy)" -> "Energy Inspectorate"); tables keep the full name.
std::string short_name(const std::string& name) {
  if (name.size() < 4 || name.back() != ')') return name;
  int depth = 0;
  for (std::size_t i = name.size(); i-- > 0;) {
    if (name[i] == ')') ++depth;
    if (name[i] == '(' && --depth == 0) {
      if (i < 2 || name[i - 1] != ' ') return name;
      return name.substr(0, i - 1);
    }
  }
  return name;
}

/// How a decision was taken, from the recorded journal's `who`.
std::string who_text(const std::string& who) {
  if (who == "policy") return "the default option, taken as soon as the owner could act";
  if (who == "override") return "chosen for this run (--decide)";
  if (who == "default") return "default applied at the deadline: nobody chose";
  if (who == "journal") return "replayed from a journal";
  return "chosen by " + who;
}

struct Story {
  std::string observation;
  std::string analysis;
  std::string root_cause;
  std::string action;
  CapabilityElement element = CapabilityElement::planning;
  Index responsible = kNone;
};

/// Everything derived from one pass over the trace, plus the scenario's name lookups.
class Facts {
 public:
  Facts(const RecordedRun& run, const ReportOptions& options)
      : sc(run.scenario), res(run.result), man(run.manifest), opt(options) {
    if (res.records.empty()) throw std::invalid_argument("build_report: the run holds no trace records");
    triage = sc.background.org;
    if (triage == kNone)
      for (Index i = 0; i < sc.organisations.size(); ++i)
        if (sc.organisations[i].kind == OrgKind::csirt) { triage = i; break; }
    for (Index i = 0; i < sc.organisations.size(); ++i)
      if (sc.organisations[i].kind == OrgKind::crisis_centre) { crisis = i; break; }
    for (Index c = 0; c < sc.campaigns.size(); ++c)
      for (Index s = 0; s < sc.campaigns[c].steps.size(); ++s) attack_steps.push_back({c, s});
    journal = res.journal;  // read_run_folder filled it from decisions.jsonl
    top_rank = 0;
    for (const EscalationLevel& l : sc.plan.levels) top_rank = std::max(top_rank, l.rank);
    scan();
  }

  const Scenario& sc;
  const RunResult& res;
  const RunManifest& man;
  const ReportOptions& opt;
  Index triage = kNone;
  Index crisis = kNone;
  int top_rank = 0;
  DecisionJournal journal;  // as recorded (decisions.jsonl): who decided, on time or not
  std::vector<std::pair<Index, Index>> attack_steps;  // global step -> (campaign, step)

  // Per asset (ground truth).
  std::vector<std::optional<SimTime>> first_compromise, first_degraded, first_attacked;
  std::vector<std::uint32_t> compromise_effect;
  std::vector<Index> compromise_step, attacked_step;
  std::vector<double> first_degraded_level, final_level, pop_hours;
  std::vector<CauseKind> degraded_cause_kind;
  std::vector<Index> degraded_cause;
  // Knowledge: first time an organisation's picture held an asset.
  std::map<std::pair<Index, Index>, SimTime> first_known;  // (org, asset) -> time
  // Per incident: first report reaching the triage organisation.
  std::vector<std::optional<SimTime>> reported_to_triage;
  std::vector<Index> reported_to_triage_from;
  // Overall.
  std::optional<SimTime> first_outage;
  Index first_outage_asset = kNone;
  std::vector<const TraceRecord*> escalations;  // escalated and deescalated, in order
  std::vector<const TraceRecord*> contained;
  std::vector<const TraceRecord*> succeeded_steps;
  std::vector<const TraceRecord*> blocked_attack_steps;
  struct BlockedStep {
    Index step = kNone;
    Index org = kNone;
    std::uint32_t reason = 0;
    int count = 0;
    SimTime first;
  };
  std::vector<BlockedStep> blocked_steps;  // per (step, reason), first-occurrence order
  struct TimedOut {
    Index step = kNone;
    Index org = kNone;
    int count = 0;
    SimTime first;
  };
  std::vector<TimedOut> timed_out;
  int hidden_detections = 0;  // attack_detected with value 0 (an intrusion step noticed, no outage)

  // ---- names ------------------------------------------------------------------------------
  std::string asset(Index i) const {
    if (i >= sc.assets.size()) return "an unknown asset";
    return sc.assets[i].name.empty() ? sc.assets[i].id : sc.assets[i].name;
  }
  std::string org(Index i) const {
    if (i >= sc.organisations.size()) return "an unknown organisation";
    return sc.organisations[i].name.empty() ? sc.organisations[i].id : short_name(sc.organisations[i].name);
  }
  std::string org_full(Index i) const {
    if (i >= sc.organisations.size()) return "an unknown organisation";
    return sc.organisations[i].name.empty() ? sc.organisations[i].id : sc.organisations[i].name;
  }
  std::string sector(Index i) const {
    if (i >= sc.sectors.size()) return "no sector";
    return sc.sectors[i].name.empty() ? sc.sectors[i].id : sc.sectors[i].name;
  }
  std::string level(Index i) const {
    if (i >= sc.plan.levels.size()) return "level " + std::to_string(i);
    return sc.plan.levels[i].name.empty() ? sc.plan.levels[i].id : short_name(sc.plan.levels[i].name);
  }
  const AttackStep* attack_step_or_null(Index g) const {
    if (g >= attack_steps.size()) return nullptr;
    return &sc.campaigns[attack_steps[g].first].steps[attack_steps[g].second];
  }
  std::string attack_step(Index g) const {
    const AttackStep* s = attack_step_or_null(g);
    if (s == nullptr) return "an unknown attack step";
    std::string n = "'" + (s->name.empty() ? s->id : s->name) + "'";
    if (!s->technique.empty()) n += " (" + s->technique + ")";
    return n;
  }
  std::string plan_step(Index flat) const {
    const StepRef r = step_of_flat_index(sc.plan, flat);
    if (r.procedure == kNone) return "an unknown plan step";
    const Procedure& p = sc.plan.procedures[r.procedure];
    const ProcedureStep& s = p.steps[r.step];
    return (p.name.empty() ? p.id : p.name) + ": " + (s.name.empty() ? s.id : s.name);
  }
  std::string decision(Index d) const {
    if (d >= sc.decisions.size()) return "an unknown decision";
    return sc.decisions[d].id;
  }
  std::string option(Index d, Index o) const {
    if (d >= sc.decisions.size() || o >= sc.decisions[d].options.size()) return "an unknown option";
    const DecisionOption& op = sc.decisions[d].options[o];
    return op.label.empty() ? op.id : op.label;
  }
  std::string cause(CauseKind k, Index c) const {
    switch (k) {
      case CauseKind::asset: return "the asset " + asset(c);
      case CauseKind::attack_step: return "attack step " + attack_step(c);
      case CauseKind::inject: return c < sc.injects.size() ? "inject " + sc.injects[c].id : "an inject";
      case CauseKind::decision: return "decision " + decision(c);
      case CauseKind::procedure_step: return "plan step '" + plan_step(c) + "'";
      case CauseKind::organisation: return org(c);
      case CauseKind::incident: return "incident " + std::to_string(c);
      case CauseKind::scenario: return "the scenario's initial conditions";
      case CauseKind::none: break;
    }
    return "an unrecorded cause";
  }
  std::string incident_asset(Index inc) const {
    return inc < res.incidents.size() ? asset(res.incidents[inc].asset) : "a background incident";
  }

  // ---- values -------------------------------------------------------------------------------
  std::optional<double> metric(const std::string& name) const {
    const auto it = res.metrics.values.find(name);
    return it == res.metrics.values.end() ? std::optional<double>{} : it->second;
  }
  std::optional<SimTime> knew(Index o, Index a) const {
    const auto it = first_known.find({o, a});
    return it == first_known.end() ? std::optional<SimTime>{} : it->second;
  }
  /// When `o` first knew of any asset of operator `op`.
  std::optional<SimTime> knew_operator(Index o, Index op) const {
    std::optional<SimTime> best;
    for (Index a = 0; a < sc.assets.size(); ++a) {
      if (sc.assets[a].operator_org != op) continue;
      if (auto t = knew(o, a); t && (!best || *t < *best)) best = t;
    }
    return best;
  }
  std::optional<SimTime> first_compromise_any(Index* asset_out) const {
    std::optional<SimTime> best;
    for (Index a = 0; a < first_compromise.size(); ++a)
      if (first_compromise[a] && (!best || *first_compromise[a] < *best)) {
        best = first_compromise[a];
        if (asset_out != nullptr) *asset_out = a;
      }
    return best;
  }
  Index first_incident() const {
    Index best = kNone;
    for (Index i = 0; i < res.incidents.size(); ++i)
      if (best == kNone || res.incidents[i].detected < res.incidents[best].detected) best = i;
    return best;
  }
  std::string staff_and_hours(Index o) const {
    if (o >= sc.organisations.size()) return "";
    const Organisation& g = sc.organisations[o];
    std::string s = plural(g.staff, "person", "people") + " on its queue";
    if (g.calendar.always) {
      s += ", 24/7";
    } else {
      s += format(", office hours %02lld:%02lld-%02lld:%02lld",
                  static_cast<long long>(g.calendar.open.us() / 3'600'000'000LL),
                  static_cast<long long>(g.calendar.open.us() / 60'000'000LL % 60),
                  static_cast<long long>(g.calendar.close.us() / 3'600'000'000LL),
                  static_cast<long long>(g.calendar.close.us() / 60'000'000LL % 60));
      s += g.calendar.on_call ? " with on-call (call-out " + format_duration(g.calendar.callout) + ")"
                              : " and no on-call";
    }
    return s;
  }
  double policy(const std::string& name, double fallback) const {
    const auto it = sc.policy.find(name);
    return it == sc.policy.end() ? fallback : it->second;
  }

 private:
  void scan();
};

void Facts::scan() {
  const std::size_t na = sc.assets.size();
  first_compromise.assign(na, std::nullopt);
  first_degraded.assign(na, std::nullopt);
  first_attacked.assign(na, std::nullopt);
  compromise_effect.assign(na, 0);
  compromise_step.assign(na, kNone);
  attacked_step.assign(na, kNone);
  first_degraded_level.assign(na, 1.0);
  final_level.assign(na, 1.0);
  pop_hours.assign(na, 0.0);
  degraded_cause_kind.assign(na, CauseKind::none);
  degraded_cause.assign(na, kNone);
  reported_to_triage.assign(res.incidents.size(), std::nullopt);
  reported_to_triage_from.assign(res.incidents.size(), kNone);
  std::vector<SimTime> level_since(na, SimTime::zero());

  for (const TraceRecord& r : res.records) {
    switch (r.kind) {
      case RecordKind::asset_level: {
        if (r.subject >= na) break;
        const Index a = r.subject;
        pop_hours[a] += people_served(sc, a) * (1.0 - final_level[a]) * (r.time - level_since[a]).to_hours();
        level_since[a] = r.time;
        final_level[a] = r.value;
        if (r.value < kFullService && !first_degraded[a]) {
          first_degraded[a] = r.time;
          first_degraded_level[a] = r.value;
          degraded_cause_kind[a] = r.cause_kind;
          degraded_cause[a] = r.cause;
          if (!first_outage) {
            first_outage = r.time;
            first_outage_asset = a;
          }
        }
        break;
      }
      case RecordKind::asset_compromised:
        if (r.subject < na && !first_compromise[r.subject]) {
          first_compromise[r.subject] = r.time;
          compromise_effect[r.subject] = r.detail;
          compromise_step[r.subject] = r.cause_kind == CauseKind::attack_step ? r.cause : kNone;
        }
        break;
      case RecordKind::attack_step_started:
        if (const AttackStep* s = attack_step_or_null(r.subject))
          for (Index a : s->targets)
            if (a < na && !first_attacked[a]) {
              first_attacked[a] = r.time;
              attacked_step[a] = r.subject;
            }
        break;
      case RecordKind::attack_step_succeeded: succeeded_steps.push_back(&r); break;
      case RecordKind::attack_step_blocked: blocked_attack_steps.push_back(&r); break;
      case RecordKind::attack_detected:
        if (r.value < 0.5) ++hidden_detections;
        break;
      case RecordKind::knowledge: first_known.emplace(std::make_pair(r.actor, r.subject), r.time); break;
      case RecordKind::reported:
        if (r.actor == triage && r.subject < reported_to_triage.size() && !reported_to_triage[r.subject]) {
          reported_to_triage[r.subject] = r.time;
          reported_to_triage_from[r.subject] = r.detail;
        }
        break;
      case RecordKind::escalated:
      case RecordKind::deescalated: escalations.push_back(&r); break;
      case RecordKind::asset_contained: contained.push_back(&r); break;
      case RecordKind::step_blocked: {
        auto it = std::find_if(blocked_steps.begin(), blocked_steps.end(),
                               [&](const BlockedStep& b) { return b.step == r.subject && b.reason == r.detail; });
        if (it == blocked_steps.end()) blocked_steps.push_back({r.subject, r.actor, r.detail, 1, r.time});
        else ++it->count;
        break;
      }
      case RecordKind::step_timed_out: {
        auto it = std::find_if(timed_out.begin(), timed_out.end(), [&](const TimedOut& b) { return b.step == r.subject; });
        if (it == timed_out.end()) timed_out.push_back({r.subject, r.actor, 1, r.time});
        else ++it->count;
        break;
      }
      default: break;
    }
  }
  for (Index a = 0; a < na; ++a)
    pop_hours[a] += people_served(sc, a) * (1.0 - final_level[a]) * std::max(0.0, (res.end - level_since[a]).to_hours());
}

// ---------------------------------------------------------------------------------------------
// Stories per metric
// ---------------------------------------------------------------------------------------------

std::string threshold_sentence(const Objective& o, std::optional<double> value, const std::string& unit_value) {
  const char* cmp = o.lower_is_better ? "\u2264" : "\u2265";
  auto num = [&](double v) {
    if (o.metric.size() > 2 && o.metric.compare(o.metric.size() - 2, 2, "_h") == 0) return format("%g h", v);
    if (o.metric.find("fraction") != std::string::npos || o.metric == "plan_coverage") return percent(v);
    if (std::fabs(v) >= 10000) return thousands(v);
    return format("%g", v);
  };
  std::string s = value ? "Measured " + unit_value : "It never happened in this run";
  s += format(" against a P target of %s %s (S %s %s, M %s %s).", cmp, num(o.p).c_str(), cmp, num(o.s).c_str(), cmp,
              num(o.m).c_str());
  return s;
}

std::string metric_value_text(const std::string& metric, std::optional<double> v) {
  if (!v) return "never";
  if (metric.size() > 2 && metric.compare(metric.size() - 2, 2, "_h") == 0) {
    if (metric == "mean_triage_wait_h") return hours(v);
    return hours(v) + " (" + clock(from_hours(*v)) + ")";
  }
  if (metric.find("fraction") != std::string::npos || metric == "plan_coverage") return percent(*v);
  if (metric == "population_hours_lost") return thousands(*v) + " person-hours";
  if (metric == "peak_population_affected") return thousands(*v) + " people";
  if (metric == "service_hours_lost") return format("%.1f asset-hours", *v);
  return format("%g", *v);
}

class Stories {
 public:
  explicit Stories(const Facts& f) : f_(f) {}

  Story of(const std::string& metric) const {
    if (metric == "time_to_detect_h") return detect();
    if (metric == "time_to_report_h") return report();
    if (metric == "time_to_triage_h" || metric == "mean_triage_wait_h") return triage(metric);
    if (metric == "time_to_escalate_h") return escalate(false);
    if (metric == "time_to_crisis_h") return escalate(true);
    if (metric == "time_to_contain_h") return contain();
    if (metric == "time_to_recover_h") return recover();
    if (metric == "population_hours_lost" || metric == "peak_population_affected" || metric == "service_hours_lost" ||
        metric == "peak_outages" || metric == "sectors_affected")
      return impact();
    if (metric == "obligations_met_fraction" || metric == "obligations_missed") return obligations();
    if (metric == "decisions_on_time_fraction") return decisions();
    if (metric == "plan_coverage") return coverage();
    if (metric == "max_severity") return severity();
    Story s;
    s.observation = "The metric " + metric + " measured " + metric_value_text(metric, f_.metric(metric)) + ".";
    s.root_cause = "Not established from the trace; to be discussed in the after-action meeting.";
    s.action = "Analyse " + metric + " in the after-action meeting and re-test it in the next exercise.";
    s.element = CapabilityElement::exercise;
    s.responsible = f_.triage;
    return s;
  }

  /// Why the CSIRT learned late: the gap between the first truth and the CSIRT's first knowledge.
  struct Segments {
    std::optional<SimTime> truth, csirt_knew, triaged, escalated;
  };

 private:
  const Facts& f_;

  Story detect() const {
    Story s;
    const Index inc = f_.first_incident();
    if (inc == kNone) {
      s.observation = "No operator detected anything during the run.";
      s.analysis = plural(static_cast<long>(f_.succeeded_steps.size()), "attack step", "attack steps") +
                   " succeeded without being noticed.";
      s.root_cause = "Detection rests on monitoring (Organisation::monitoring) and the steps' detection hazards; "
                     "neither produced a detection in this run.";
      s.action = "Deploy monitoring on the targeted networks and share the campaign's indicators with operators.";
      s.element = CapabilityElement::equipment;
      s.responsible = f_.triage;
      return s;
    }
    const IncidentInfo& i = f_.res.incidents[inc];
    const bool by_outage = i.cause_kind == CauseKind::asset;
    s.observation = "The first incident was detected at " + clock(i.detected) + " (" + hours(i.detected.to_hours()) +
                    ") by " + f_.org(i.detector) + " on " + f_.asset(i.asset) + ", " +
                    (by_outage ? (i.cause == i.asset ? "from its visible outage" : "from the loss of " + f_.asset(i.cause))
                               : "through " + f_.cause(i.cause_kind, i.cause)) +
                    ".";
    Index first_asset = kNone;
    const auto first = f_.first_compromise_any(&first_asset);
    std::vector<std::string> techniques;
    std::vector<std::string> monitors;
    std::set<Index> operators;
    int before = 0;
    std::set<Index> seen_steps;
    for (const TraceRecord* r : f_.succeeded_steps) {
      if (r->time > i.detected) break;
      if (seen_steps.insert(r->subject).second) ++before;
      if (const AttackStep* st = f_.attack_step_or_null(r->subject)) {
        if (!st->technique.empty() && std::find(techniques.begin(), techniques.end(), st->technique) == techniques.end())
          techniques.push_back(st->technique);
        if (r->detail < f_.sc.assets.size()) operators.insert(f_.sc.assets[r->detail].operator_org);
      }
    }
    for (Index o : operators)
      if (o < f_.sc.organisations.size())
        monitors.push_back(f_.org(o) + " " + format("%.2f", f_.sc.organisations[o].monitoring));
    if (first && *first < i.detected) {
      s.analysis = "The attacker had been inside since " + clock(*first) + " (" + f_.asset(first_asset) + ", " +
                   attack_effect_name(f_.compromise_effect[first_asset]) + " through " +
                   f_.attack_step(f_.compromise_step[first_asset]) + "): " +
                   plural(before, "attack step", "attack steps") + " succeeded before the first detection, " +
                   format("%.1f h", (i.detected - *first).to_hours()) + " of dwell time.";
      if (f_.hidden_detections > 0)
        s.analysis += " " + plural(f_.hidden_detections, "intrusion step was", "intrusion steps were") +
                      " noticed before causing an outage during the run.";
    } else {
      s.analysis = "Detection came before or with the first compromise: no dwell time.";
    }
    if (by_outage && first && *first < i.detected) {
      s.root_cause = "The intrusion was seen only through its visible effect: none of the " +
                     plural(before, "step", "steps") + " before the impact was detected. Monitoring of the " +
                     "compromised operators (0 = none, 1 = full): " + join_and(monitors) +
                     (techniques.empty() ? "." : "; techniques that went unseen: " + join_and(techniques) + ".");
    } else if (by_outage) {
      s.root_cause = "The first sign was the outage itself (no intrusion preceded it in the trace).";
    } else {
      s.root_cause = "The intrusion was detected through the attacker's activity.";
    }
    s.action = "Raise monitoring of the targeted IT and control networks at " +
               join_and([&] {
                 std::vector<std::string> v;
                 for (Index o : operators) v.push_back(f_.org(o));
                 return v;
               }()) +
               " and share indicators for " + (techniques.empty() ? std::string("the campaign") : join_and(techniques)) +
               " with the sector.";
    if (operators.empty()) s.action = "Raise monitoring on the assets the campaign targets.";
    s.element = CapabilityElement::equipment;
    s.responsible = first_asset != kNone && f_.sc.assets[first_asset].operator_org != kNone ? f_.sc.assets[first_asset].operator_org
                    : operators.empty()                                                       ? i.detector
                                                                                              : *operators.begin();
    return s;
  }

  /// Channels that stayed silent for at least one incident: "id (from -> to, coverage c): n of m".
  std::vector<std::string> silent_channels(Index to, int* silent_total) const {
    std::vector<std::string> out;
    int total = 0;
    for (Index c = 0; c < f_.sc.channels.size() && c < f_.res.metrics.channels.size(); ++c) {
      const Channel& ch = f_.sc.channels[c];
      const ChannelStats& st = f_.res.metrics.channels[c];
      if (to != kNone && ch.to != to) continue;
      const int silent = st.attempts - st.sent;
      if (silent <= 0) continue;
      total += silent;
      out.push_back(format("%s (to %s, coverage %.2f): %d of %d incidents never reported", ch.id.c_str(),
                           f_.org(ch.to).c_str(), ch.coverage, silent, st.attempts));
    }
    if (silent_total != nullptr) *silent_total = total;
    return out;
  }

  Story report() const {
    Story s;
    s.responsible = f_.triage;
    Index first = kNone;
    int reached = 0;
    std::vector<double> lags;
    for (Index i = 0; i < f_.reported_to_triage.size(); ++i) {
      if (!f_.reported_to_triage[i]) continue;
      ++reached;
      lags.push_back((*f_.reported_to_triage[i] - f_.res.incidents[i].detected).to_hours());
      if (first == kNone || *f_.reported_to_triage[i] < *f_.reported_to_triage[first]) first = i;
    }
    const int total = static_cast<int>(f_.res.incidents.size());
    int direct_knowledge = 0;  // incidents the CSIRT knew without a report (e.g. its own detection)
    for (Index i = 0; i < f_.res.incidents.size(); ++i)
      if (!f_.reported_to_triage[i] && f_.knew(f_.triage, f_.res.incidents[i].asset)) ++direct_knowledge;
    if (first == kNone) {
      s.observation = "No report of a scenario incident reached " + f_.org(f_.triage) + ".";
    } else {
      const IncidentInfo& i = f_.res.incidents[first];
      s.observation = "The first report reached " + f_.org(f_.triage) + " at " + clock(*f_.reported_to_triage[first]) +
                      " (" + hours(f_.reported_to_triage[first]->to_hours()) + "), from " +
                      f_.org(f_.reported_to_triage_from[first]) + " about " + f_.asset(i.asset) + ", " +
                      format("%.1f h", (*f_.reported_to_triage[first] - i.detected).to_hours()) +
                      " after that incident was detected.";
    }
    std::sort(lags.begin(), lags.end());
    s.analysis = format("%d of %d scenario incidents reached %s by a report", reached, total, f_.org(f_.triage).c_str());
    if (!lags.empty()) s.analysis += format(" (median %.1f h after detection)", lags[lags.size() / 2]);
    s.analysis += ".";
    if (direct_knowledge > 0)
      s.analysis += " " + plural(direct_knowledge, "more was", "more were") + " known to it without a report.";
    int silent = 0;
    const std::vector<std::string> channels = silent_channels(f_.triage, &silent);
    if (!channels.empty()) s.analysis += " Silent channels (coverage draw): " + report_text::join(channels, "; ") + ".";
    if (!channels.empty()) {
      s.root_cause = "Reporting to " + f_.org(f_.triage) + " is not mandatory for every sender: " +
                     plural(silent, "report was", "reports were") + " never sent on channels with coverage below 1.";
      if (f_.policy("mandatory_reporting", 0) >= 0.5) s.root_cause += " (mandatory_reporting is set; other senders remain.)";
      s.action = "Make incident reporting to " + f_.org(f_.triage) +
                 " mandatory for the senders of the silent channels and give them a 24/7 reporting line.";
      s.element = CapabilityElement::planning;
    } else if (!lags.empty() && lags[lags.size() / 2] > 1.0) {
      s.root_cause = "Every report was sent, but reports took a median " + format("%.1f h", lags[lags.size() / 2]) +
                     " from detection to arrival (channel latency and hand-offs).";
      s.action = "Agree a one-hour initial-report target with the reporting operators and rehearse it.";
      s.element = CapabilityElement::training;
    } else {
      s.root_cause = "Reports were sent promptly once incidents were detected; the time to report follows the time "
                     "to detect.";
      s.action = "Keep the reporting arrangements; work on earlier detection (see the detection objective).";
      s.element = CapabilityElement::planning;
    }
    return s;
  }

  Story triage(const std::string& metric) const {
    Story s;
    s.responsible = f_.triage;
    const QueueStats& q = f_.res.metrics.scenario_triage;
    const QueueStats& b = f_.res.metrics.background_triage;
    const auto first = f_.metric("time_to_triage_h");
    s.observation = "The first scenario incident was triaged at " +
                    (first ? clock(from_hours(*first)) + " (" + hours(first) + ")" : std::string("no time (never)")) +
                    format("; %llu scenario incidents were triaged, %llu of them after waiting in the queue",
                           static_cast<unsigned long long>(q.served), static_cast<unsigned long long>(q.waited));
    if (auto w = q.mean_wait_h()) s.observation += format(" (mean wait %.1f h)", *w);
    s.observation += ".";
    s.analysis = f_.org(f_.triage) + " works with " + f_.staff_and_hours(f_.triage) +
                 format(". The same queue served %llu background incidents", static_cast<unsigned long long>(b.served));
    if (auto w = b.mean_wait_h()) s.analysis += format(" (mean wait %.1f h)", *w);
    s.analysis += format(" at %.0f a day, %s.", f_.sc.background.rate_per_day * f_.policy("background_rate_scale", 1.0),
                         f_.sc.background.severity_first ? "highest severity first" : "first come, first served");
    const bool waits = q.waited > 0 && q.mean_wait_h().value_or(0) > 0.5;
    const Organisation* o = f_.triage < f_.sc.organisations.size() ? &f_.sc.organisations[f_.triage] : nullptr;
    if (waits) {
      s.root_cause = "Triage capacity: " + (o ? plural(o->staff, "analyst", "analysts") : std::string("the analysts")) +
                     " share one queue with the background load" +
                     (o && !o->calendar.always ? ", and outside office hours work starts only after a call-out" : std::string()) +
                     ", so scenario incidents waited for a free analyst.";
      s.action = "Add a surge roster to " + f_.org(f_.triage) + "'s triage" +
                 (f_.sc.background.severity_first ? std::string() : " and triage by severity rather than first come, first served") +
                 ".";
      s.element = CapabilityElement::organisation;
    } else {
      s.root_cause = "Scenario incidents were triaged with little waiting; the " + metric +
                     " value follows from when reports arrived.";
      s.action = "Keep the triage arrangements; shorten reporting (see the reporting objective).";
      s.element = CapabilityElement::planning;
    }
    return s;
  }

  Story escalate(bool crisis) const {
    Story s;
    // The first escalation reaching the target (any level above baseline; the top rank for crisis).
    const TraceRecord* hit = nullptr;
    const TraceRecord* highest = nullptr;
    for (const TraceRecord* r : f_.escalations) {
      if (r->kind != RecordKind::escalated || r->subject >= f_.sc.plan.levels.size()) continue;
      const int rank = f_.sc.plan.levels[r->subject].rank;
      if (!highest || rank > f_.sc.plan.levels[highest->subject].rank) highest = r;
      if (!hit && (crisis ? rank >= f_.top_rank : rank > 0)) hit = r;
    }
    const std::string what = crisis ? "the top level" : "a level above the baseline";
    if (hit) {
      s.observation = f_.org(hit->actor) + " raised the response to " + f_.level(hit->subject) + " at " +
                      clock(hit->time) + " (" + hours(hit->time.to_hours()) + ")";
      if (f_.first_outage)
        s.observation += format(", %.1f h after the first outage (%s at %s)", (hit->time - *f_.first_outage).to_hours(),
                                f_.asset(f_.first_outage_asset).c_str(), clock(*f_.first_outage).c_str());
      s.observation += ".";
    } else {
      s.observation = "The response never reached " + what + ".";
      if (highest) s.observation += " The highest level reached was " + f_.level(highest->subject) + " at " + clock(highest->time) + ".";
    }
    // Segments from the first outage to the escalation.
    std::optional<SimTime> csirt_first;
    for (const auto& [key, t] : f_.first_known)
      if (key.first == f_.triage && (!csirt_first || t < *csirt_first)) csirt_first = t;
    const auto triaged_h = f_.metric("time_to_triage_h");
    std::vector<std::pair<double, std::string>> segments;  // (hours, explanation), in time order
    const SimTime end = hit ? hit->time : f_.res.end;
    const std::optional<SimTime> triaged_at = triaged_h ? std::optional<SimTime>(from_hours(*triaged_h)) : std::nullopt;
    // Segment [a, b) clipped to the escalation; skipped when it lies after it or is empty.
    auto segment = [&](SimTime a, SimTime b, std::string text) {
      const SimTime stop = std::min(b, end);
      if (a < stop) segments.push_back({(stop - a).to_hours(), std::move(text)});
    };
    if (f_.first_outage && csirt_first)
      segment(*f_.first_outage, *csirt_first,
              "from the first outage until " + f_.org(f_.triage) + " first knew of an affected asset (" + clock(*csirt_first) + ")");
    if (csirt_first && triaged_at)
      segment(*csirt_first, *triaged_at, "in " + f_.org(f_.triage) + "'s triage queue (first triage " + clock(*triaged_at) + ")");
    if (triaged_at)
      segment(*triaged_at, end, "between the first triage and " + std::string(hit ? "the escalation" : "the end of the run") +
                                    " (thresholds, decisions and further reports)");
    std::string through;  // the escalation came from a decision's effect
    if (hit)
      for (const TraceRecord& r : f_.res.records) {
        if (r.time > hit->time) break;
        if (r.kind != RecordKind::decision_taken || r.time != hit->time || r.subject >= f_.sc.decisions.size()) continue;
        const Decision& dec = f_.sc.decisions[r.subject];
        if (r.detail >= dec.options.size()) continue;
        for (const Effect& e : dec.options[r.detail].effects)
          if (e.kind == Effect::Kind::escalate && e.ref == hit->subject) through = dec.id;
      }
    // Decisions that could escalate, with what was chosen.
    std::vector<std::string> decision_notes;
    Index decision_owner = kNone;
    for (Index d = 0; d < f_.sc.decisions.size(); ++d) {
      const Decision& dec = f_.sc.decisions[d];
      int best_rank = -1;
      Index best_option = kNone;
      Index best_level = kNone;
      for (Index o = 0; o < dec.options.size(); ++o)
        for (const Effect& e : dec.options[o].effects)
          if (e.kind == Effect::Kind::escalate && e.ref < f_.sc.plan.levels.size() &&
              f_.sc.plan.levels[e.ref].rank > best_rank) {
            best_rank = f_.sc.plan.levels[e.ref].rank;
            best_option = o;
            best_level = e.ref;
          }
      if (best_option == kNone) continue;
      const DecisionEntry* entry = f_.journal.find_or_null(dec.id);
      if (entry == nullptr) {
        decision_notes.push_back(dec.id + " ('" + dec.question + "') never opened");
        continue;
      }
      const auto chosen = std::find_if(dec.options.begin(), dec.options.end(),
                                       [&](const DecisionOption& op) { return op.id == entry->option; });
      const Index chosen_index = static_cast<Index>(chosen - dec.options.begin());
      std::string note = dec.id + " opened at " + clock(entry->opened) + "; " + f_.org(dec.owner) + " took '" +
                         f_.option(d, chosen_index) + "' at " + clock(entry->time) + " (" + who_text(entry->who) + ")";
      if (chosen_index != best_option) {
        note += ", not '" + f_.option(d, best_option) + "' which escalates to " + f_.level(best_level);
        decision_owner = dec.owner;
      }
      decision_notes.push_back(note);
    }
    // When triage ratings first reached the target level's severity threshold.
    Index target = kNone;
    for (Index l = 0; l < f_.sc.plan.levels.size(); ++l) {
      const int rank = f_.sc.plan.levels[l].rank;
      if (crisis ? rank == f_.top_rank : rank > 0) {
        if (target == kNone || (!crisis && rank < f_.sc.plan.levels[target].rank)) target = l;
      }
    }
    std::string severity_note = "the national picture met the level's thresholds late";
    if (target != kNone && f_.sc.plan.levels[target].min_severity <= 5) {
      const int need = f_.sc.plan.levels[target].min_severity;
      std::optional<SimTime> reached;
      int best = -1;
      for (const TraceRecord& r : f_.res.records)
        if (r.kind == RecordKind::triaged && r.subject < f_.res.incidents.size()) {
          best = std::max(best, static_cast<int>(std::lround(r.value)));
          if (!reached && r.value + 0.5 >= need) reached = r.time;
        }
      severity_note = reached ? format("triage first rated an incident at severity %d or more (the threshold of ", need) +
                                    f_.level(target) + ") at " + clock(*reached)
                              : format("no incident was triaged at severity %d or more (the threshold of ", need) +
                                    f_.level(target) + format("; highest %d)", best);
    }
    s.analysis = segments.empty() ? (hit && !through.empty() ? "The escalation was decided (" + through + ") before " +
                                                                   f_.org(f_.triage) + " had triaged a report."
                                                             : std::string("The trace holds no outage before the escalation."))
                                  : std::string();
    if (!segments.empty() && !through.empty()) s.analysis = "The escalation came through decision " + through + ".";
    for (const auto& [h, text] : segments) {
      if (!s.analysis.empty()) s.analysis += " ";
      s.analysis += format("%.1f h", h) + " " + text + ".";
    }
    if (!decision_notes.empty()) s.analysis += " Escalation decisions: " + report_text::join(decision_notes, "; ") + ".";
    const auto largest = std::max_element(segments.begin(), segments.end(),
                                          [](const auto& a, const auto& b) { return a.first < b.first; });
    if (largest == segments.end()) {
      s.root_cause = "Not established from the trace (no outage preceded the escalation).";
      s.action = "Review the escalation thresholds with " + f_.org(f_.triage) + ".";
      s.element = CapabilityElement::planning;
      s.responsible = f_.triage;
    } else if (largest == segments.begin() && f_.first_outage && csirt_first && *csirt_first > *f_.first_outage) {
      s.root_cause = format("Late knowledge: the largest share of the delay (%.1f h) passed ", largest->first) +
                     largest->second + ".";
      s.action = "Give the operators of the affected sectors a direct, mandatory reporting line to " + f_.org(f_.triage) +
                 " and the crisis centre for outages of critical assets.";
      s.element = CapabilityElement::planning;
      s.responsible = f_.triage;
    } else if (largest->second.rfind("in ", 0) == 0) {
      s.root_cause = format("Triage: the largest share of the delay (%.1f h) passed ", largest->first) + largest->second + ".";
      s.action = "Fast-track reports of outages at critical assets past the routine triage queue of " + f_.org(f_.triage) + ".";
      s.element = CapabilityElement::organisation;
      s.responsible = f_.triage;
    } else if (decision_owner != kNone) {
      s.root_cause = format("Thresholds and decisions: the largest share of the delay (%.1f h) passed ", largest->first) +
                     largest->second + "; " + severity_note + ", and an escalation decision chose a lower level than it could.";
      s.action = "Agree escalation criteria in advance and rehearse the escalation decision with " + f_.org(decision_owner) + ".";
      s.element = CapabilityElement::training;
      s.responsible = decision_owner;
    } else {
      s.root_cause = format("Thresholds: the largest share of the delay (%.1f h) passed ", largest->first) + largest->second +
                     "; " + severity_note + ".";
      s.action = "Review the thresholds of " + (crisis ? std::string("the crisis levels") : std::string("the national-incident level")) +
                 " so that outages of critical assets escalate without waiting for population totals.";
      s.element = CapabilityElement::planning;
      s.responsible = crisis && f_.crisis != kNone ? f_.crisis : f_.triage;
    }
    return s;
  }

  Story contain() const {
    Story s;
    if (f_.contained.empty()) {
      s.observation = "No asset was contained or isolated during the run.";
    } else {
      const TraceRecord* r = f_.contained.front();
      s.observation = "The first containment was at " + clock(r->time) + " (" + hours(r->time.to_hours()) + "): " +
                      f_.asset(r->subject) + " contained by " + f_.org(r->actor) + " through " +
                      f_.cause(r->cause_kind, r->cause) + format("; %zu containments in all.", f_.contained.size());
    }
    Index first_asset = kNone;
    const auto first = f_.first_compromise_any(&first_asset);
    const Index inc = f_.first_incident();
    std::vector<std::string> parts;
    if (!f_.contained.empty() && first)
      parts.push_back(format("%.1f h after the first compromise", (f_.contained.front()->time - *first).to_hours()));
    if (!f_.contained.empty() && inc != kNone)
      parts.push_back(format("%.1f h after the first detection", (f_.contained.front()->time - f_.res.incidents[inc].detected).to_hours()));
    if (!parts.empty()) s.analysis = "Containment came " + join_and(parts) + ".";
    if (!f_.blocked_attack_steps.empty())
      s.analysis += " It stopped " + plural(static_cast<long>(f_.blocked_attack_steps.size()), "attack step", "attack steps") +
                    " (their targets were contained).";
    std::set<Index> after_steps;
    for (const TraceRecord* r : f_.succeeded_steps)
      if (!f_.contained.empty() && r->time > f_.contained.front()->time) after_steps.insert(r->subject);
    const int after = static_cast<int>(after_steps.size());
    if (after > 0) s.analysis += " " + plural(after, "attack step", "attack steps") + " still succeeded after it.";
    s.responsible = f_.triage;
    if (!f_.contained.empty()) {
      const TraceRecord* r = f_.contained.front();
      s.responsible = r->actor;
      if (r->cause_kind == CauseKind::decision && r->cause < f_.sc.decisions.size()) {
        const DecisionEntry* e = f_.journal.find_or_null(f_.sc.decisions[r->cause].id);
        if (e != nullptr)
          s.root_cause = "Containment waited for decision " + f_.sc.decisions[r->cause].id + ", which opened at " +
                         clock(e->opened) + " (triggered by the impact, not the detection) and was taken at " + clock(e->time) + ".";
        s.action = "Pre-authorise the containment measure of " + f_.sc.decisions[r->cause].id +
                   " so it can be ordered at the first detection of an intrusion, before the impact.";
      } else {
        s.root_cause = "Containment came from " + f_.cause(r->cause_kind, r->cause) + ".";
        s.action = "Start the containment procedure at the first detection of an intrusion rather than at the impact.";
      }
    } else {
      s.root_cause = "No containment effect was triggered in the plan or by a decision.";
      s.action = "Add a containment step to the plan, triggered by the detection of an intrusion.";
    }
    s.element = CapabilityElement::planning;
    return s;
  }

  Story recover() const {
    Story s;
    const auto v = f_.metric("time_to_recover_h");
    std::vector<Index> down;
    for (Index a = 0; a < f_.sc.assets.size(); ++a)
      if (f_.final_level[a] < kFullService) down.push_back(a);
    std::sort(down.begin(), down.end(), [&](Index a, Index b) {
      const double pa = people_served(f_.sc, a), pb = people_served(f_.sc, b);
      return pa != pb ? pa > pb : a < b;
    });
    if (v) {
      s.observation = "Every asset was back at full service at " + clock(from_hours(*v)) + " (" + hours(v) + ").";
    } else {
      s.observation = "At the end of the run (" + clock(f_.res.end) + ") " +
                      plural(static_cast<long>(down.size()), "asset was", "assets were") + " still below full service";
      std::vector<std::string> names;
      for (std::size_t i = 0; i < down.size() && i < 5; ++i)
        names.push_back(f_.asset(down[i]) + format(" (%.0f %%)", f_.final_level[down[i]] * 100));
      if (!names.empty()) s.observation += ": " + join_and(names) + (down.size() > 5 ? " and others" : "");
      s.observation += ".";
    }
    std::vector<std::string> rebuilt;
    std::set<Index> operators;
    for (Index a : down) {
      if (f_.first_compromise[a] && (f_.compromise_effect[a] == 3 || f_.compromise_effect[a] == 4)) {
        rebuilt.push_back(f_.asset(a) + " (" + attack_effect_name(f_.compromise_effect[a]) + format(", mean rebuild %.1f h)", f_.sc.assets[a].restore.mean().to_hours()));
      }
      operators.insert(f_.sc.assets[a].operator_org);
    }
    if (!rebuilt.empty()) {
      s.analysis = "Assets destroyed by the attacker need rebuilding: " + join_and(rebuilt) + ".";
      s.root_cause = "Destructive attack effects (wipe/encrypt) outlast the exercise window: systems are rebuilt, not restarted.";
      s.action = "Keep offline images and spare equipment for " + join_and([&] {
                   std::vector<std::string> n;
                   for (Index o : operators) n.push_back(f_.org(o));
                   return n;
                 }()) + " so rebuilt systems return within a day.";
      s.element = CapabilityElement::equipment;
    } else if (!down.empty()) {
      s.analysis = "The remaining degradations follow from dependencies or timed effects still in force at the end.";
      s.root_cause = "Recovery of the listed assets had not completed when the run ended; the trace does not show a "
                     "restoring action for them.";
      s.action = "Add restoration steps for the listed assets to the plan.";
      s.element = CapabilityElement::planning;
    } else {
      s.analysis = "All outages ended within the run.";
      s.root_cause = "";
      s.action = "Keep the restoration arrangements.";
    }
    s.responsible = operators.empty() ? f_.triage : *operators.begin();
    return s;
  }

  Story impact() const {
    Story s;
    s.observation = "At the peak " + thousands(f_.metric("peak_population_affected").value_or(0)) +
                    " distinct people were affected (each counted once: someone without power and without mobile "
                    "service counts once), " +
                    plural(std::lround(f_.metric("peak_outages").value_or(0)), "asset was", "assets were") +
                    " below full service at once and " +
                    plural(std::lround(f_.metric("sectors_affected").value_or(0)), "sector", "sectors") +
                    " had an outage at once.";
    std::vector<std::pair<double, std::string>> sectors;
    for (Index i = 0; i < f_.sc.sectors.size() && i < f_.res.sector_population_hours.size(); ++i)
      if (f_.res.sector_population_hours[i] > 0) sectors.push_back({f_.res.sector_population_hours[i], f_.sector(i)});
    std::sort(sectors.begin(), sectors.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<std::string> top;
    for (std::size_t i = 0; i < sectors.size() && i < 3; ++i)
      top.push_back(sectors[i].second + " " + thousands(sectors[i].first));
    double total = 0, cascade = 0;
    std::vector<Index> assets;
    for (Index a = 0; a < f_.sc.assets.size(); ++a) {
      total += f_.pop_hours[a];
      if (f_.degraded_cause_kind[a] == CauseKind::asset) cascade += f_.pop_hours[a];
      if (f_.pop_hours[a] > 0) assets.push_back(a);
    }
    std::sort(assets.begin(), assets.end(), [&](Index a, Index b) {
      return f_.pop_hours[a] != f_.pop_hours[b] ? f_.pop_hours[a] > f_.pop_hours[b] : a < b;
    });
    if (!top.empty()) s.analysis = "Person-hours lost by sector: " + join_and(top) + ".";
    if (total > 0) {
      std::vector<std::string> worst;
      for (std::size_t i = 0; i < assets.size() && i < 3; ++i)
        worst.push_back(f_.asset(assets[i]) + " (" + percent(f_.pop_hours[assets[i]] / total) + ")");
      s.analysis += " The largest contributors were " + join_and(worst) + "; " + percent(cascade / total) +
                    " of the loss fell on assets that failed through a dependency rather than by direct attack.";
    }
    if (total > 0 && cascade / total >= 0.5) {
      s.root_cause = "The cascade: most of the loss came from dependent services that failed when their suppliers did "
                     "(buffers ran out or were absent).";
      s.action = "Extend backup power and redundant supply for the largest dependent contributors (" +
                 (assets.empty() ? std::string("dependent services") : f_.asset(assets.front())) + ").";
      s.element = CapabilityElement::equipment;
    } else if (total > 0) {
      s.root_cause = "Direct attack effects: most of the loss fell on assets the attacker hit directly.";
      s.action = "Shorten restoration of directly attacked services (manual fallback, pre-staged crews) at " +
                 (assets.empty() ? std::string("the targeted operators") : f_.org(f_.sc.assets[assets.front()].operator_org)) + ".";
      s.element = CapabilityElement::planning;
    } else {
      s.root_cause = "";
      s.action = "No service was lost.";
    }
    s.responsible = assets.empty() ? f_.triage : f_.sc.assets[assets.front()].operator_org;
    return s;
  }

  Story obligations() const {
    Story s;
    int met = 0, missed = 0, running = 0;
    for (const ObligationClock& c : f_.res.metrics.obligations) {
      met += c.state == ObligationClock::State::met;
      missed += c.state == ObligationClock::State::missed;
      running += c.state == ObligationClock::State::running;
    }
    s.observation = format("%d of %d reporting clocks that ended were met", met, met + missed);
    if (running > 0) s.observation += format(" (%d still running at the end)", running);
    s.observation += ".";
    std::vector<std::string> missed_notes;
    std::vector<std::string> causes;
    Index recipient = kNone;
    std::vector<std::string> recipients;
    for (const ObligationClock& c : f_.res.metrics.obligations) {
      if (c.state != ObligationClock::State::missed || c.obligation >= f_.sc.plan.obligations.size()) continue;
      const Obligation& ob = f_.sc.plan.obligations[c.obligation];
      const Index to = ob.to == kNone ? f_.triage : ob.to;
      if (recipient == kNone) recipient = to;
      if (std::find(recipients.begin(), recipients.end(), f_.org(to)) == recipients.end()) recipients.push_back(f_.org(to));
      const auto knew = f_.knew_operator(to, c.org);
      std::string note = f_.org(c.org) + " missed '" + (ob.name.empty() ? ob.id : ob.name) + "' (due " + clock(c.due) + "): " +
                         f_.org(to) + (knew ? " learned of its incident at " + clock(*knew) : std::string(" never learned of its incident"));
      missed_notes.push_back(note);
      std::vector<const Channel*> direct;
      for (const Channel& ch : f_.sc.channels)
        if (ch.to == to && std::find(ch.from.begin(), ch.from.end(), c.org) != ch.from.end()) direct.push_back(&ch);
      if (direct.empty()) {
        causes.push_back("no reporting channel from " + f_.org(c.org) + " to " + f_.org(to) +
                         " in the plan (it could learn only by forwarding)");
      } else if (!knew) {
        causes.push_back(f_.org(c.org) + "'s report over " + direct.front()->id + " was never sent (coverage " +
                         format("%.2f", direct.front()->coverage) + ")");
      } else {
        causes.push_back(f_.org(c.org) + "'s report arrived after the deadline");
      }
    }
    if (!missed_notes.empty()) s.analysis = "Missed: " + report_text::join(missed_notes, "; ") + ".";
    else s.analysis = "Every clock that ended was met by a report reaching its recipient in time.";
    std::sort(causes.begin(), causes.end());
    causes.erase(std::unique(causes.begin(), causes.end()), causes.end());
    if (!causes.empty()) {
      s.root_cause = "Root causes in the trace: " + report_text::join(causes, "; ") + ".";
      s.action = "Establish mandatory reporting channels from every obliged operator to " + join_and(recipients) +
                 " and rehearse the notification deadlines with them.";
    } else {
      s.root_cause = "";
      s.action = "Keep the reporting arrangements.";
    }
    s.element = CapabilityElement::planning;
    s.responsible = recipient == kNone ? f_.triage : recipient;
    return s;
  }

  Story decisions() const {
    Story s;
    int late = 0;
    std::vector<std::string> notes;
    Index owner = kNone;
    for (const DecisionEntry& e : f_.journal.entries) {
      const auto d = std::find_if(f_.sc.decisions.begin(), f_.sc.decisions.end(), [&](const Decision& x) { return x.id == e.decision; });
      if (d == f_.sc.decisions.end()) continue;
      if (e.on_time) continue;
      ++late;
      if (owner == kNone) owner = d->owner;
      notes.push_back(d->id + " ('" + d->question + "', owner " + f_.org(d->owner) + ") opened at " + clock(e.opened) +
                      " with a " + format_duration(d->deadline) + " deadline and was taken at " + clock(e.time) +
                      " (" + who_text(e.who) + ")");
    }
    const int taken = static_cast<int>(f_.journal.entries.size());
    s.observation = format("%d of %d decisions were taken by their deadline.", taken - late, taken);
    int never = 0;
    for (const Decision& d : f_.sc.decisions)
      if (f_.journal.find_or_null(d.id) == nullptr) ++never;
    if (never > 0) s.observation += " " + plural(never, "decision point never opened", "decision points never opened") + ".";
    s.analysis = late > 0 ? "Late: " + report_text::join(notes, "; ") + "." : "Every decision taken was on time.";
    s.responsible = owner == kNone ? f_.triage : owner;
    if (late > 0) {
      s.root_cause = "The owners were not available or did not decide before the deadline (calendar and call-out of the "
                     "owning organisations, or no choice made).";
      s.action = "Rehearse the late decisions with their owners and agree a delegate who can decide out of hours.";
      s.element = CapabilityElement::training;
    } else {
      s.action = "Keep the decision arrangements.";
      s.element = CapabilityElement::training;
    }
    return s;
  }

  Story coverage() const {
    Story s;
    const PlanCoverage& c = f_.res.metrics.coverage;
    s.observation = format("%d steps never ran, %d were blocked and %d missed a deadline at least once.", c.never_fired,
                           c.blocked, c.timed_out);
    if (auto v = c.completed_fraction()) s.observation = percent(*v) + " of the plan's steps completed at least once; " + s.observation;
    s.analysis = "Steps that never ran belong to procedures whose trigger did not occur in this scenario; see Plan coverage.";
    s.root_cause = c.blocked > 0 ? "Blocked steps lacked staff or waited for an organisation to open."
                                 : "Parts of the plan address other scenarios.";
    s.action = "Review the blocked and timed-out steps (see the systemic issues).";
    s.element = CapabilityElement::planning;
    s.responsible = f_.triage;
    return s;
  }

  Story severity() const {
    Story s;
    s.observation = "The highest national severity assessed was " + metric_value_text("max_severity", f_.metric("max_severity")) +
                    " (0-5, US CISS levels).";
    s.analysis = "Severity is assessed from " + f_.org(f_.triage) + "'s picture of triaged incidents.";
    s.root_cause = "Assessed severity depends on what reached the CSIRT (see Known versus true).";
    s.action = "Compare the assessed severity with the true impact in the after-action meeting.";
    s.element = CapabilityElement::exercise;
    s.responsible = f_.triage;
    return s;
  }
};

std::string capability_of_step(const Facts& f, Index flat) {
  const StepRef r = step_of_flat_index(f.sc.plan, flat);
  if (r.procedure == kNone) return "Operational Coordination";
  const ProcedureStep& st = f.sc.plan.procedures[r.procedure].steps[r.step];
  switch (st.effect.kind) {
    case Effect::Kind::contain:
    case Effect::Kind::isolate: return "Cybersecurity";
    case Effect::Kind::fail_over:
    case Effect::Kind::restore: return "Infrastructure Systems";
    case Effect::Kind::notify:
    case Effect::Kind::inform: return "Intelligence and Information Sharing";
    case Effect::Kind::warn_public: return "Public Information and Warning";
    default: break;
  }
  const Index o = st.org != kNone ? st.org : f.sc.plan.procedures[r.procedure].owner;
  if (o < f.sc.organisations.size()) {
    if (f.sc.organisations[o].kind == OrgKind::csirt) return "Situational Assessment";
    if (f.sc.organisations[o].kind == OrgKind::police) return "Forensics and Attribution";
  }
  return "Operational Coordination";
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// build_report
// ---------------------------------------------------------------------------------------------

Report build_report(const RecordedRun& run, const ReportOptions& options) {
  const Facts f(run, options);
  const Scenario& sc = run.scenario;
  const RunResult& res = run.result;
  Report rep;
  rep.triage_org = f.triage == kNone ? std::string() : f.org(f.triage);
  rep.crisis_org = f.crisis == kNone ? std::string() : f.org(f.crisis);

  // ---- overview --------------------------------------------------------------------------
  ReportOverview& ov = rep.overview;
  ov.name = sc.metadata.name;
  ov.description = sc.metadata.description;
  ov.plan_id = sc.plan.id;
  ov.plan_name = sc.plan.name;
  ov.plan_version = sc.plan.version;
  ov.seed = res.seed;
  ov.start_local = sc.metadata.start_local;
  ov.time_zone = sc.metadata.time_zone;
  ov.start_utc_s = sc.metadata.start_utc_s;
  ov.horizon = sc.metadata.duration;
  ov.end = res.end;
  ov.cyberdrill_version = run.manifest.version;
  ov.git_commit = run.manifest.git_commit;
  ov.scenario_path = run.manifest.scenario_path;
  ov.scenario_hash = run.manifest.scenario_hash;
  ov.command_line = run.manifest.command_line;
  ov.fingerprint = res.fingerprint;
  std::vector<bool> took_part(sc.organisations.size(), false);
  auto mark = [&](std::uint32_t o) {
    if (o < took_part.size()) took_part[o] = true;
  };
  for (const TraceRecord& r : res.records) {
    mark(r.actor);
    if (r.kind == RecordKind::reported || r.kind == RecordKind::inject_delivered) mark(r.detail);
  }
  for (Index i = 0; i < sc.organisations.size(); ++i) {
    const Organisation& o = sc.organisations[i];
    ov.organisations.push_back({o.id, f.org_full(i), org_kind_name(o.kind), took_part[i]});
  }
  for (Index c = 0; c < sc.campaigns.size(); ++c) {
    const Campaign& camp = sc.campaigns[c];
    ReportOverview::Threat t;
    t.campaign = camp.name.empty() ? camp.id : camp.name;
    t.actor = camp.actor;
    t.steps = static_cast<int>(camp.steps.size());
    for (const AttackStep& st : camp.steps)
      if (!st.technique.empty() &&
          std::find(t.techniques_planned.begin(), t.techniques_planned.end(), st.technique) == t.techniques_planned.end())
        t.techniques_planned.push_back(st.technique);
    std::set<Index> succeeded;
    for (const TraceRecord* r : f.succeeded_steps) {
      if (r->subject >= f.attack_steps.size() || f.attack_steps[r->subject].first != c) continue;
      if (!succeeded.insert(r->subject).second) continue;
      ++t.steps_succeeded;
      const std::string& tech = camp.steps[f.attack_steps[r->subject].second].technique;
      if (!tech.empty() && std::find(t.techniques_used.begin(), t.techniques_used.end(), tech) == t.techniques_used.end())
        t.techniques_used.push_back(tech);
    }
    ov.threats.push_back(std::move(t));
  }

  // ---- executive summary -----------------------------------------------------------------
  ExecutiveSummary& es = rep.summary;
  const std::pair<const char*, const char*> times[] = {
      {"Detect (first detection by an operator)", "time_to_detect_h"},
      {"Report (first report reaches the CSIRT)", "time_to_report_h"},
      {"Triage (first triage completed)", "time_to_triage_h"},
      {"Escalate (first level above the baseline)", "time_to_escalate_h"},
      {"Crisis (top escalation level)", "time_to_crisis_h"},
      {"Contain (first containment or isolation)", "time_to_contain_h"},
      {"Recover (every asset back at full service)", "time_to_recover_h"},
  };
  for (const auto& [label, metric] : times) es.times.push_back({label, metric, f.metric(metric)});
  es.peak_population_affected = f.metric("peak_population_affected");
  es.population_hours_lost = f.metric("population_hours_lost");
  es.max_severity = f.metric("max_severity");
  for (Index i = 0; i < sc.sectors.size(); ++i)
    es.sectors.push_back({f.sector(i), i < res.sector_population_hours.size() ? res.sector_population_hours[i] : 0.0,
                          i < res.sector_service_hours.size() ? res.sector_service_hours[i] : 0.0});
  for (const ObligationClock& c : res.metrics.obligations) {
    es.obligations_met += c.state == ObligationClock::State::met;
    es.obligations_missed += c.state == ObligationClock::State::missed;
    es.obligations_running += c.state == ObligationClock::State::running;
  }
  int counts[4] = {0, 0, 0, 0};
  for (const ObjectiveRating& r : res.ratings) {
    if (r.objective >= sc.objectives.size()) continue;
    const Objective& o = sc.objectives[r.objective];
    es.objectives.push_back({o.id, o.name, r.rating});
    ++counts[static_cast<int>(r.rating)];
  }
  {
    std::vector<std::string>& h = es.headline;
    for (const ReportOverview::Threat& t : ov.threats)
      h.push_back(t.campaign + (t.actor.empty() ? "" : ", by " + t.actor) + format(": %d of %d attack steps succeeded.", t.steps_succeeded, t.steps));
    Index first_asset = kNone;
    const auto first = f.first_compromise_any(&first_asset);
    if (first) h.push_back("First compromise at " + clock(*first) + " (" + f.asset(first_asset) + ").");
    if (f.first_outage) {
      int sectors_hit = 0;
      for (double v : res.sector_population_hours) sectors_hit += v > 0;
      h.push_back("First outage at " + clock(*f.first_outage) + " (" + f.asset(f.first_outage_asset) + "); at the peak " +
                  thousands(es.peak_population_affected.value_or(0)) + " people were affected; " +
                  plural(sectors_hit, "sector", "sectors") + " lost service.");
    } else {
      h.push_back("No service was lost.");
    }
    const auto report_h = f.metric("time_to_report_h");
    if (report_h && first)
      h.push_back("The first report reached " + rep.triage_org + " at " + clock(from_hours(*report_h)) +
                  format(", %.1f h after the first compromise.", *report_h - first->to_hours()));
    else if (!report_h)
      h.push_back("No report reached " + rep.triage_org + ".");
    const auto crisis_h = f.metric("time_to_crisis_h");
    const auto esc_h = f.metric("time_to_escalate_h");
    if (esc_h) h.push_back("Escalated at " + clock(from_hours(*esc_h)) + (crisis_h ? "; top level at " + clock(from_hours(*crisis_h)) + "." : "; the top level was never reached."));
    h.push_back(format("Reporting obligations: %d met, %d missed", es.obligations_met, es.obligations_missed) +
                (es.obligations_running > 0 ? format(", %d still running.", es.obligations_running) : std::string(".")));
    h.push_back(format("Objectives: %d P, %d S, %d M, %d U.", counts[0], counts[1], counts[2], counts[3]));
  }

  // ---- objectives ------------------------------------------------------------------------
  const Stories stories(f);
  std::vector<std::string> metric_done;
  for (const ObjectiveRating& r : res.ratings) {
    if (r.objective >= sc.objectives.size()) continue;
    const Objective& o = sc.objectives[r.objective];
    ObjectiveSection sec;
    sec.id = o.id;
    sec.name = o.name;
    sec.capability = o.capability;
    sec.metric = o.metric;
    sec.lower_is_better = o.lower_is_better;
    sec.p = o.p;
    sec.s = o.s;
    sec.m = o.m;
    sec.value = r.value;
    sec.rating = r.rating;
    const Story st = stories.of(o.metric);
    const std::string threshold = threshold_sentence(o, r.value, metric_value_text(o.metric, r.value));
    if (r.rating == Rating::P) {
      sec.strengths.push_back({threshold + " " + st.observation, st.analysis, ""});
    } else {
      sec.areas_for_improvement.push_back({threshold + " " + st.observation, st.analysis, st.root_cause});
      ImprovementItem item;
      item.capability = o.capability.empty() ? "Operational Coordination" : o.capability;
      item.issue = o.id + " " + o.name + ": " + metric_value_text(o.metric, r.value) + " (rated " + rating_letter(r.rating) + ")";
      item.corrective_action = st.action;
      item.element = st.element;
      item.responsible = f.org(st.responsible == kNone ? f.triage : st.responsible);
      item.source = o.id;
      rep.improvement_plan.push_back(std::move(item));
    }
    rep.objectives.push_back(std::move(sec));
  }

  // ---- known versus true -----------------------------------------------------------------
  for (Index i = 0; i < res.incidents.size(); ++i) {
    const IncidentInfo& inc = res.incidents[i];
    KnownVersusTrue k;
    k.incident = i;
    k.asset = f.asset(inc.asset);
    if (inc.asset < sc.assets.size()) {
      const Asset& a = sc.assets[inc.asset];
      k.asset_id = a.id;
      k.sector = f.sector(a.sector);
      k.operator_name = a.operator_org == kNone ? std::string("-") : f.org(a.operator_org);
      k.population = static_cast<std::uint64_t>(std::llround(people_served(sc, inc.asset)));
      // Truth: the attacker starting on it, compromising it, or its service falling.
      std::optional<SimTime> t;
      auto consider = [&](const std::optional<SimTime>& c, std::string what) {
        if (c && (!t || *c < *t)) {
          t = c;
          k.true_event = std::move(what);
        }
      };
      consider(f.first_attacked[inc.asset], "attacker began " + f.attack_step(f.attacked_step[inc.asset]));
      consider(f.first_compromise[inc.asset], std::string("compromised (") + attack_effect_name(f.compromise_effect[inc.asset]) + ")");
      consider(f.first_degraded[inc.asset], format("service fell to %.0f %%", f.first_degraded_level[inc.asset] * 100) +
                                                (f.degraded_cause_kind[inc.asset] == CauseKind::asset && f.degraded_cause[inc.asset] != inc.asset
                                                     ? " (loss of " + f.asset(f.degraded_cause[inc.asset]) + ")"
                                                     : std::string()));
      k.true_start = t;
      k.csirt_knew = f.knew(f.triage, inc.asset);
      if (f.crisis != kNone) k.crisis_knew = f.knew(f.crisis, inc.asset);
    }
    k.operator_knew = inc.detected;
    k.detected_by = f.org(inc.detector);
    if (k.true_start && k.csirt_knew) k.gap_h = (*k.csirt_knew - *k.true_start).to_hours();
    rep.known_versus_true.push_back(std::move(k));
  }
  std::stable_sort(rep.known_versus_true.begin(), rep.known_versus_true.end(),
                   [](const KnownVersusTrue& a, const KnownVersusTrue& b) { return a.population > b.population; });

  // ---- timeline --------------------------------------------------------------------------
  struct Candidate {
    TimelineEntry entry;
    int tier;  // -1 escalations and decisions (never cut), 0 kept first, 1 next, 2 last
    std::size_t order;
  };
  std::vector<Candidate> cand;
  std::size_t order = 0;
  auto add = [&](SimTime t, const char* category, std::string text, int tier) {
    cand.push_back({{t, category, std::move(text)}, tier, order++});
  };
  std::vector<bool> sector_out(sc.sectors.size(), false);
  std::vector<bool> incident_seen(res.incidents.size(), false);
  std::vector<bool> crisis_reported(res.incidents.size(), false);
  std::vector<const TraceRecord*> met_group;
  auto flush_met = [&] {
    if (met_group.empty()) return;
    std::vector<std::string> names;
    for (const TraceRecord* r : met_group)
      if (r->subject < sc.plan.obligations.size()) {
        const Obligation& ob = sc.plan.obligations[r->subject];
        names.push_back(ob.name.empty() ? ob.id : ob.name);
      }
    add(met_group.front()->time, "obligation",
        f.org(met_group.front()->actor) + " met " + join_and(names) + format(" (%.1f h after awareness)", met_group.front()->value), 2);
    met_group.clear();
  };
  for (const TraceRecord& r : res.records) {
    if (r.kind != RecordKind::obligation_met ||
        (!met_group.empty() && (met_group.front()->time != r.time || met_group.front()->actor != r.actor)))
      flush_met();
    switch (r.kind) {
      case RecordKind::attack_step_succeeded:
        add(r.time, "attack", "Attack step " + f.attack_step(r.subject) + " succeeded" +
                                  (r.detail < sc.assets.size() ? " on " + f.asset(r.detail) : std::string(" (no target left)")) + ".", 0);
        break;
      case RecordKind::attack_step_blocked:
        add(r.time, "attack", "Attack step " + f.attack_step(r.subject) + " blocked: " + f.asset(r.detail) + " was contained.", 1);
        break;
      case RecordKind::campaign_goal_reached:
        add(r.time, "attack", (r.subject < sc.campaigns.size() ? sc.campaigns[r.subject].name : std::string("A campaign")) +
                                  " reached its goal " + f.attack_step(r.detail) + ".", 0);
        break;
      case RecordKind::asset_level:
        if (r.subject < sc.assets.size() && r.value < kFullService) {
          const Index s = sc.assets[r.subject].sector;
          if (s < sector_out.size() && !sector_out[s]) {
            sector_out[s] = true;
            add(r.time, "impact", "First outage in " + f.sector(s) + ": " + f.asset(r.subject) +
                                      format(" at %.0f %% service", r.value * 100) + " (cause: " + f.cause(r.cause_kind, r.cause) + ").", 0);
          }
        }
        break;
      case RecordKind::detected:
        if (r.subject < incident_seen.size() && !incident_seen[r.subject]) {
          incident_seen[r.subject] = true;
          const Index a = r.subject < res.incidents.size() ? res.incidents[r.subject].asset : kNone;
          const std::string how = r.cause_kind == CauseKind::asset
                                      ? (r.cause == a ? "its visible outage" : "the loss of " + f.asset(r.cause))
                                      : f.cause(r.cause_kind, r.cause);
          add(r.time, "detection", f.org(r.actor) + " detects an incident on " + f.incident_asset(r.subject) + " (from " + how + ").", 1);
        }
        break;
      case RecordKind::reported:
        if (r.subject < res.incidents.size()) {
          if (r.actor == f.triage)
            add(r.time, "report", f.org(r.detail) + " reports the incident on " + f.incident_asset(r.subject) + " to " + f.org(r.actor) + ".", 1);
          else if (r.actor == f.crisis && !crisis_reported[r.subject]) {
            crisis_reported[r.subject] = true;
            add(r.time, "report", f.org(r.detail) + " informs " + f.org(r.actor) + " of the incident on " + f.incident_asset(r.subject) + ".", 2);
          }
        }
        break;
      case RecordKind::triaged:
        if (r.subject < res.incidents.size())
          add(r.time, "triage", f.org(r.actor) + " triages the incident on " + f.incident_asset(r.subject) +
                                    format(": severity %.0f (waited %.1f h).", r.value, static_cast<double>(r.detail) / 3600.0), 1);
        break;
      case RecordKind::escalated:
        add(r.time, "escalation", f.org(r.actor) + " escalates to " + f.level(r.subject) + " (from " +
                                      f.level(static_cast<Index>(std::lround(r.value))) + ").", -1);
        break;
      case RecordKind::deescalated:
        add(r.time, "escalation", f.org(r.actor) + " de-escalates to " + f.level(r.subject) + " (from " +
                                      f.level(static_cast<Index>(std::lround(r.value))) + ").", -1);
        break;
      case RecordKind::decision_taken:
        if (r.subject < sc.decisions.size()) {
          const Decision& d = sc.decisions[r.subject];
          const DecisionEntry* e = f.journal.find_or_null(d.id);
          std::string text = d.id + " (" + f.org(r.actor) + "): '" + f.option(r.subject, r.detail) + "'";
          if (e != nullptr)
            text += std::string(e->on_time ? ", on time" : ", late") + " (opened " + clock(e->opened) + "; " + who_text(e->who) + ")";
          add(r.time, "decision", text + ".", -1);
        }
        break;
      case RecordKind::inject_delivered:
        if (r.subject < sc.injects.size()) {
          const Inject& in = sc.injects[r.subject];
          add(r.time, "inject", "Inject " + std::to_string(in.number) + " (" + in.id + ") from " + f.org(r.detail) + " to " +
                                    f.org(r.actor) + (in.method.empty() ? "" : " by " + in.method) + ": " + in.synopsis, 0);
        }
        break;
      case RecordKind::asset_contained:
        add(r.time, "containment", f.asset(r.subject) + " contained by " + f.org(r.actor) + " (" + f.cause(r.cause_kind, r.cause) + ").", 1);
        break;
      case RecordKind::obligation_missed:
        add(r.time, "obligation", f.org(r.actor) + " missed " +
                                      (r.subject < sc.plan.obligations.size() ? sc.plan.obligations[r.subject].name : std::string("an obligation")) + ".", 0);
        break;
      case RecordKind::obligation_met: met_group.push_back(&r); break;
      default: break;
    }
  }
  flush_met();
  for (const auto& [cell, t] : res.metrics.cells_convened) add(t, "cell", "Crisis cell convened: " + cell + ".", 0);
  if (res.metrics.public_warned) add(*res.metrics.public_warned, "warning", "The public is warned.", 0);
  if (const auto rec = f.metric("time_to_recover_h")) add(from_hours(*rec), "impact", "Every asset is back at full service.", 0);
  // A live drill: the facilitator's notes and ad hoc injects (always kept).
  for (const DrillAction& a : run.manifest.drill) {
    if (a.kind == DrillAction::Kind::note) {
      add(a.time, "note", "Facilitator's note: " + a.text, 0);
      rep.facilitator_observations.push_back(TimelineEntry{a.time, "note", a.text});
    }
    else if (a.kind == DrillAction::Kind::inject) add(a.time, "inject", "Ad hoc inject " + a.inject + " delivered by the facilitator.", 0);
  }
  rep.timeline_total = cand.size();
  std::stable_sort(cand.begin(), cand.end(), [](const Candidate& a, const Candidate& b) {
    return a.tier != b.tier ? a.tier < b.tier : a.entry.time != b.entry.time ? a.entry.time < b.entry.time : a.order < b.order;
  });
  if (cand.size() > options.timeline_limit) cand.resize(options.timeline_limit);
  std::stable_sort(cand.begin(), cand.end(), [](const Candidate& a, const Candidate& b) {
    return a.entry.time != b.entry.time ? a.entry.time < b.entry.time : a.order < b.order;
  });
  for (Candidate& c : cand) rep.timeline.push_back(std::move(c.entry));

  // ---- obligations -----------------------------------------------------------------------
  std::vector<ObligationClock> clocks = res.metrics.obligations;
  std::stable_sort(clocks.begin(), clocks.end(), [](const ObligationClock& a, const ObligationClock& b) {
    if (a.started != b.started) return a.started < b.started;
    if (a.obligation != b.obligation) return a.obligation < b.obligation;
    return a.org < b.org;
  });
  for (const ObligationClock& c : clocks) {
    ObligationRow row;
    if (c.obligation < sc.plan.obligations.size()) {
      const Obligation& ob = sc.plan.obligations[c.obligation];
      row.regime = ob.regime;
      row.obligation = ob.name.empty() ? ob.id : ob.name;
    }
    row.operator_name = f.org(c.org);
    row.started = c.started;
    row.due = c.due;
    row.state = c.state == ObligationClock::State::met ? "met" : c.state == ObligationClock::State::missed ? "missed" : "running";
    row.met_at = c.met_at;
    rep.obligations.push_back(std::move(row));
  }

  // ---- plan coverage ---------------------------------------------------------------------
  const PlanCoverage& cov = res.metrics.coverage;
  for (Index p = 0; p < sc.plan.procedures.size(); ++p) {
    const Procedure& proc = sc.plan.procedures[p];
    const int n = p < cov.procedure_instances.size() ? cov.procedure_instances[p] : 0;
    const std::string name = proc.name.empty() ? proc.id : proc.name;
    if (n > 0) rep.coverage.procedures_fired.push_back(name + " (" + plural(n, "instance", "instances") + ")");
    else rep.coverage.procedures_never_fired.push_back(name);
  }
  for (Index s = 0; s < cov.steps.size(); ++s) {
    const StepCoverage& st = cov.steps[s];
    const std::string name = f.plan_step(s);
    if (st.procedure < sc.plan.procedures.size() && st.step < sc.plan.procedures[st.procedure].steps.size()) {
      const Procedure& proc = sc.plan.procedures[st.procedure];
      const ProcedureStep& ps = proc.steps[st.step];
      rep.coverage.steps.push_back({proc.name.empty() ? proc.id : proc.name, ps.name.empty() ? ps.id : ps.name,
                                    f.org(ps.org != kNone ? ps.org : proc.owner), st.started, st.completed, st.blocked,
                                    st.timed_out});
    }
    if (st.started == 0) rep.coverage.steps_never_fired.push_back(name);
    else if (st.completed > 0) rep.coverage.steps_completed.push_back(name + format(" (%d)", st.completed));
    if (st.blocked > 0) rep.coverage.steps_blocked.push_back(name + format(" (%dx)", st.blocked));
    if (st.timed_out > 0) rep.coverage.steps_timed_out.push_back(name + format(" (%dx)", st.timed_out));
  }
  rep.coverage.completed_fraction = cov.completed_fraction();

  // ---- systemic issues -------------------------------------------------------------------
  for (const Facts::BlockedStep& b : f.blocked_steps) {
    ImprovementItem item;
    item.capability = capability_of_step(f, b.step);
    const StepRef ref = step_of_flat_index(sc.plan, b.step);
    const int need = ref.procedure == kNone ? 1 : sc.plan.procedures[ref.procedure].steps[ref.step].staff;
    const int have = b.org < sc.organisations.size() ? sc.organisations[b.org].staff : 0;
    if (b.reason == 1) {
      item.issue = "Step '" + f.plan_step(b.step) + "' was blocked " + plural(b.count, "time", "times") + " at " + f.org(b.org) +
                   format(" (first at %s): it needs %d staff, the organisation has %d.", clock(b.first).c_str(), need, have);
      item.corrective_action = "Give " + f.org(b.org) + " the staff this step needs (surge roster or a standing assistance agreement).";
      item.element = CapabilityElement::organisation;
    } else {
      item.issue = "Step '" + f.plan_step(b.step) + "' was blocked " + plural(b.count, "time", "times") + " at " + f.org(b.org) +
                   " (first at " + clock(b.first) + "): the organisation was closed, without on-call.";
      item.corrective_action = "Give " + f.org(b.org) + " an on-call rota for this procedure, or move the step to a 24/7 organisation.";
      item.element = CapabilityElement::organisation;
    }
    item.responsible = f.org(b.org);
    item.source = "systemic";
    rep.improvement_plan.push_back(std::move(item));
  }
  for (const Facts::TimedOut& t : f.timed_out) {
    ImprovementItem item;
    item.capability = capability_of_step(f, t.step);
    const StepRef ref = step_of_flat_index(sc.plan, t.step);
    const Duration deadline = ref.procedure == kNone ? Duration::zero() : sc.plan.procedures[ref.procedure].steps[ref.step].deadline;
    item.issue = "Step '" + f.plan_step(t.step) + "' missed its " + format_duration(deadline) + " deadline " +
                 plural(t.count, "time", "times") + " (first at " + clock(t.first) + ").";
    item.corrective_action = "Review the step's deadline and resourcing with " + f.org(t.org) + " and train the step under load.";
    item.element = CapabilityElement::training;
    item.responsible = f.org(t.org);
    item.source = "systemic";
    rep.improvement_plan.push_back(std::move(item));
  }
  {
    std::map<Index, std::vector<Index>> missed;  // obligation -> operators
    for (const ObligationClock& c : res.metrics.obligations)
      if (c.state == ObligationClock::State::missed) missed[c.obligation].push_back(c.org);
    for (const auto& [ob_index, ops] : missed) {
      if (ob_index >= sc.plan.obligations.size()) continue;
      const Obligation& ob = sc.plan.obligations[ob_index];
      const Index to = ob.to == kNone ? f.triage : ob.to;
      std::vector<std::string> names;
      for (Index o : ops) names.push_back(f.org(o));
      ImprovementItem item;
      item.capability = "Intelligence and Information Sharing";
      item.issue = join_and(names) + " missed '" + (ob.name.empty() ? ob.id : ob.name) + "' (" + ob.regime + ", " +
                   format_duration(ob.deadline) + ", to " + f.org(to) + ").";
      bool any_channel = false;
      for (Index o : ops)
        for (const Channel& ch : sc.channels)
          any_channel = any_channel || (ch.to == to && std::find(ch.from.begin(), ch.from.end(), o) != ch.from.end());
      item.corrective_action = any_channel
                                   ? "Make the report to " + f.org(to) + " mandatory and rehearse the " + format_duration(ob.deadline) +
                                         " notification with the operators concerned."
                                   : "Establish a reporting channel from the operators concerned to " + f.org(to) + " for this regime.";
      item.element = CapabilityElement::planning;
      item.responsible = f.org(to);
      item.source = "systemic";
      rep.improvement_plan.push_back(std::move(item));
    }
  }
  {
    // Silent channels, one row per receiving organisation (who would set up the protocol).
    std::map<Index, std::vector<Index>> by_recipient;
    for (Index c = 0; c < sc.channels.size() && c < res.metrics.channels.size(); ++c)
      if (res.metrics.channels[c].attempts > res.metrics.channels[c].sent) by_recipient[sc.channels[c].to].push_back(c);
    for (const auto& [to, channels] : by_recipient) {
      int silent = 0, offered = 0;
      std::vector<std::string> parts;
      for (Index c : channels) {
        const Channel& ch = sc.channels[c];
        const ChannelStats& st = res.metrics.channels[c];
        silent += st.attempts - st.sent;
        offered += st.attempts;
        std::string from = ch.from.size() == 1 ? f.org(ch.from.front()) : plural(static_cast<long>(ch.from.size()), "sender", "senders");
        parts.push_back(ch.id + " from " + from + format(": %d of %d, coverage %.2f", st.attempts - st.sent, st.attempts, ch.coverage));
      }
      ImprovementItem item;
      item.capability = "Intelligence and Information Sharing";
      item.issue = "Reports to " + f.org(to) + ": " + plural(static_cast<long>(channels.size()), "channel", "channels") +
                   format(" stayed silent for %d of %d incidents offered (", silent, offered) + report_text::join(parts, "; ") + ").";
      item.corrective_action = "Agree a reporting protocol with the senders that makes these reports mandatory for significant "
                               "incidents, with a 24/7 contact point at " + f.org(to) + ".";
      item.element = CapabilityElement::planning;
      item.responsible = f.org(to);
      item.source = "systemic";
      rep.improvement_plan.push_back(std::move(item));
    }
  }

  // ---- dates -----------------------------------------------------------------------------
  std::int64_t start_day = 0;
  if (sc.metadata.start_local.size() >= 10) {
    if (auto d = parse_civil_date(std::string_view(sc.metadata.start_local).substr(0, 10))) start_day = *d;
  }
  if (start_day == 0) start_day = sc.metadata.start_utc_s / 86400;
  for (ImprovementItem& item : rep.improvement_plan) {
    const std::int64_t begin = start_day + options.action_start_days;
    const int span = item.element == CapabilityElement::equipment  ? options.equipment_days
                     : item.element == CapabilityElement::exercise ? options.exercise_days
                                                                   : options.planning_days;
    item.start_date = report_text::civil_date(begin);
    item.completion_date = report_text::civil_date(begin + span);
  }
  rep.date_rule = format("Every action starts %d days after the exercise start date (%s), once this report has been "
                         "discussed; it is due %d days later for planning, organisation and training, %d days for "
                         "equipment and %d days for exercise items (validated in the next exercise).",
                         options.action_start_days, report_text::civil_date(start_day).c_str(), options.planning_days,
                         options.equipment_days, options.exercise_days);
  return rep;
}

}  // namespace cyberdrill
