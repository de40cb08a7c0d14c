#include <string>

#include "cyberdrill/response.hpp"
#include "cyberdrill/run.hpp"

namespace cyberdrill {

RecordNames::RecordNames(const Scenario& scenario) : scenario_(&scenario) {
  for (const Campaign& c : scenario.campaigns)
    for (const AttackStep& s : c.steps) attack_steps_.push_back(c.id + "/" + s.id);
  for (const Procedure& p : scenario.plan.procedures)
    for (const ProcedureStep& s : p.steps) plan_steps_.push_back(p.id + "/" + s.id);
}

const char* RecordNames::kind_name(RecordKind k) {
  switch (k) {
    case RecordKind::marker: return "marker";
    case RecordKind::asset_level: return "asset_level";
    case RecordKind::asset_compromised: return "asset_compromised";
    case RecordKind::asset_contained: return "asset_contained";
    case RecordKind::asset_restored: return "asset_restored";
    case RecordKind::attack_step_started: return "attack_step_started";
    case RecordKind::attack_step_succeeded: return "attack_step_succeeded";
    case RecordKind::attack_step_failed: return "attack_step_failed";
    case RecordKind::attack_step_blocked: return "attack_step_blocked";
    case RecordKind::campaign_goal_reached: return "campaign_goal_reached";
    case RecordKind::attack_detected: return "attack_detected";
    case RecordKind::detected: return "detected";
    case RecordKind::reported: return "reported";
    case RecordKind::triaged: return "triaged";
    case RecordKind::knowledge: return "knowledge";
    case RecordKind::escalated: return "escalated";
    case RecordKind::deescalated: return "deescalated";
    case RecordKind::procedure_started: return "procedure_started";
    case RecordKind::step_started: return "step_started";
    case RecordKind::step_completed: return "step_completed";
    case RecordKind::step_blocked: return "step_blocked";
    case RecordKind::step_timed_out: return "step_timed_out";
    case RecordKind::obligation_started: return "obligation_started";
    case RecordKind::obligation_met: return "obligation_met";
    case RecordKind::obligation_missed: return "obligation_missed";
    case RecordKind::report_filed: return "report_filed";
    case RecordKind::inject_delivered: return "inject_delivered";
    case RecordKind::decision_taken: return "decision_taken";
    case RecordKind::objective_rated: return "objective_rated";
  }
  return "unknown";
}

const char* RecordNames::cause_kind_name(CauseKind k) {
  switch (k) {
    case CauseKind::none: return "none";
    case CauseKind::asset: return "asset";
    case CauseKind::attack_step: return "attack_step";
    case CauseKind::inject: return "inject";
    case CauseKind::decision: return "decision";
    case CauseKind::procedure_step: return "procedure_step";
    case CauseKind::organisation: return "organisation";
    case CauseKind::incident: return "incident";
    case CauseKind::scenario: return "scenario";
  }
  return "unknown";
}

namespace {

template <class V>
std::string id_at(const V& v, Index i) {
  return i < v.size() ? v[i].id : std::string();
}

std::string incident_name(Index i) {
  if (i == kNone) return {};
  if (i >= kBackgroundIncidentBase) return "background-" + std::to_string(i - kBackgroundIncidentBase);
  return "incident-" + std::to_string(i);
}

}  // namespace

std::string RecordNames::attack_step(Index g) const { return g < attack_steps_.size() ? attack_steps_[g] : std::string(); }
std::string RecordNames::plan_step(Index f) const { return f < plan_steps_.size() ? plan_steps_[f] : std::string(); }

std::string RecordNames::subject(const TraceRecord& r) const {
  const Scenario& sc = *scenario_;
  switch (r.kind) {
    case RecordKind::marker: return r.subject == kNone ? std::string() : std::to_string(r.subject);
    case RecordKind::asset_level:
    case RecordKind::asset_compromised:
    case RecordKind::asset_contained:
    case RecordKind::asset_restored:
    case RecordKind::knowledge: return id_at(sc.assets, r.subject);
    case RecordKind::attack_step_started:
    case RecordKind::attack_step_succeeded:
    case RecordKind::attack_step_failed:
    case RecordKind::attack_step_blocked: return attack_step(r.subject);
    case RecordKind::campaign_goal_reached:
    case RecordKind::attack_detected: return id_at(sc.campaigns, r.subject);
    case RecordKind::detected:
    case RecordKind::reported:
    case RecordKind::report_filed:
    case RecordKind::triaged: return incident_name(r.subject);
    case RecordKind::escalated:
    case RecordKind::deescalated: return id_at(sc.plan.levels, r.subject);
    case RecordKind::procedure_started: return id_at(sc.plan.procedures, r.subject);
    case RecordKind::step_started:
    case RecordKind::step_completed:
    case RecordKind::step_blocked:
    case RecordKind::step_timed_out: return plan_step(r.subject);
    case RecordKind::obligation_started:
    case RecordKind::obligation_met:
    case RecordKind::obligation_missed: return id_at(sc.plan.obligations, r.subject);
    case RecordKind::inject_delivered: return id_at(sc.injects, r.subject);
    case RecordKind::decision_taken: return id_at(sc.decisions, r.subject);
    case RecordKind::objective_rated: return id_at(sc.objectives, r.subject);
  }
  return {};
}

std::string RecordNames::actor(const TraceRecord& r) const { return id_at(scenario_->organisations, r.actor); }

std::string RecordNames::cause(const TraceRecord& r) const {
  const Scenario& sc = *scenario_;
  switch (r.cause_kind) {
    case CauseKind::none: return {};
    case CauseKind::asset: return id_at(sc.assets, r.cause);
    case CauseKind::attack_step: return attack_step(r.cause);
    case CauseKind::inject: return id_at(sc.injects, r.cause);
    case CauseKind::decision: return id_at(sc.decisions, r.cause);
    case CauseKind::procedure_step: return plan_step(r.cause);
    case CauseKind::organisation: return id_at(sc.organisations, r.cause);
    case CauseKind::incident: return incident_name(r.cause);
    case CauseKind::scenario: return "scenario";
  }
  return {};
}

}  // namespace cyberdrill
