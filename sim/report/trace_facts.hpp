// The report's view of one recorded run: everything build_report derives from one pass over the
// trace (TraceFacts), plus the scenario's name lookups. Private to sim/report.
#pragma once

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "cyberdrill/calendar.hpp"
#include "cyberdrill/effect_names.hpp"
#include "cyberdrill/impact.hpp"
#include "cyberdrill/metrics.hpp"
#include "cyberdrill/report.hpp"
#include "text.hpp"

namespace cyberdrill::report_build {

using report_text::clock;
using report_text::format;
using report_text::from_hours;
using report_text::hours;
using report_text::join_and;
using report_text::percent;
using report_text::plural;
using report_text::thousands;

/// full service means level >= 0.99 (response.hpp)
inline constexpr double kFullService = 0.99;
const char* org_kind_name(OrgKind k);
/// An attack effect's name for running text ("effect" when unknown).
std::string attack_effect_text(std::uint32_t e);
/// A name for running text: a trailing parenthetical gloss is dropped ("Energy Inspectorate
/// (sector authority, energy)" -> "Energy Inspectorate"); tables keep the full name.
std::string short_name(const std::string& name);
/// How a decision was taken, from the recorded journal's `who`.
std::string who_text(const std::string& who);

struct FindingDraft {
  std::string observation;
  std::string analysis;
  std::string root_cause;
  std::string action;
  CapabilityElement element = CapabilityElement::planning;
  Index responsible = kNone;
};

/// Everything derived from one pass over the trace, plus the scenario's name lookups.
class TraceFacts {
 public:
  TraceFacts(const RecordedRun& run, const ReportOptions& options)
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
  std::optional<double> metric(std::string_view name) const {
    const auto it = res.metrics.values.find(std::string(name));
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

}  // namespace cyberdrill::report_build
