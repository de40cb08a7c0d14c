// The response model: reporting obligations, their clocks and the typed reports that meet them (see response_impl.hpp).
#include <algorithm>
#include <cmath>

#include "response_impl.hpp"

namespace cyberdrill {

Index Response::Impl::obligation_to(Index o) const { return sc.plan.obligations[o].to != kNone ? sc.plan.obligations[o].to : triage; }

void Response::Impl::check_obligation_start(Simulation& sim, Index incident) {
  const Incident& inc = incidents[incident];
  const Index asset = inc.info.asset;
  const Index op = sc.assets[asset].operator_org;
  if (op == kNone) return;
  auto it = orgs[op].picture.find(asset);
  if (it == orgs[op].picture.end()) return;
  // The incident's severity as it stands on entry, rated only once an obligation passes the
  // other tests (they are side-effect free; most calls find every clock already running).
  const double level = it->second.level;
  const bool malicious = inc.malicious;
  std::optional<int> sev;
  for (Index o = 0; o < sc.plan.obligations.size(); ++o) {
    const Obligation& ob = sc.plan.obligations[o];
    if (!ob.sectors.empty() && std::find(ob.sectors.begin(), ob.sectors.end(), sector_of(asset)) == ob.sectors.end())
      continue;
    if (ob.regime_kind == Regime::gdpr && !incidents[inc.group].personal_data) continue;  // breaches only
    if (obligation_is_taken(o, op)) continue;  // one per (obligation, entity)
    if (!sev) sev = severity_at(asset, malicious, level);
    if (*sev < ob.min_severity) continue;
    switch (ob.starts) {
      case Obligation::Start::awareness: start_clock(sim, o, op, incident, sim.now()); break;
      case Obligation::Start::classification: {
        pending_clocks[{o, op}] = PendingClock{incident, sim.now()};
        mark_obligation_taken(o, op);
        classifications.push_back(Filing{o, op, incident});
        sim.schedule_in(ob.classification.sample(class_rng[o]), handler, kClassified, classifications.size() - 1);
        break;
      }
      case Obligation::Start::after_report:
        pending_clocks[{o, op}] = PendingClock{incident, sim.now()};
        mark_obligation_taken(o, op);
        if (filed.count({op, static_cast<int>(ob.after)})) start_pending(sim, o, op);
        break;
    }
  }
}

void Response::Impl::start_pending(Simulation& sim, Index o, Index op) {
  auto it = pending_clocks.find({o, op});
  if (it == pending_clocks.end()) return;
  const PendingClock pc = it->second;
  pending_clocks.erase(it);
  start_clock(sim, o, op, pc.incident, pc.aware);
}

// Whether `op`'s channel to `to` stayed silent for this incident (its coverage draw failed):
// an operator that does not report an incident files none of its typed reports either.
bool Response::Impl::silent_towards(Index op, Index to, Index group) const {
  if (op >= channels_from.size()) return false;
  for (Index c : channels_from[op])
    if (sc.channels[c].to == to && incidents[group].channel_state[c] == 1) return true;
  return false;
}

void Response::Impl::start_clock(Simulation& sim, Index o, Index op, Index incident, SimTime aware) {
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
  mark_obligation_taken(o, op);
  if (ob.report == ReportType::incident) {
    if (op >= incident_clocks_of_op.size()) incident_clocks_of_op.resize(std::size_t{op} + 1);
    incident_clocks_of_op[op].push_back(idx);
  }
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
void Response::Impl::report_filed(Simulation& sim, std::uint32_t f) {
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

void Response::Impl::classified(Simulation& sim, std::uint32_t k) {
  const Filing c = classifications[k];
  start_pending(sim, c.obligation, c.op);
}

// Whether `org` knows of an incident on an asset operated by `op`.
bool Response::Impl::knows_incident_of(Index org, Index op) const {
  for (const auto& [a, b] : orgs[org].picture)
    if (sc.assets[a].operator_org == op) return true;
  return false;
}

void Response::Impl::check_obligations_met(Simulation& sim, Index org, Index incident) {
  const Index op = sc.assets[incidents[incident].info.asset].operator_org;
  if (op >= incident_clocks_of_op.size()) return;  // no incident-report clock of this operator
  // Typed reports are met in report_filed; only incident-report clocks are listed here.
  const std::vector<std::uint32_t>& mine = incident_clocks_of_op[op];
  for (std::size_t k = 0; k < mine.size(); ++k) {
    const std::uint32_t i = mine[k];
    if (clocks[i].state != ObligationClock::State::running) continue;
    if (obligation_to(clocks[i].obligation) == org) obligation_met(sim, i);
  }
}

void Response::Impl::obligation_met(Simulation& sim, std::uint32_t i) {
  ObligationClock& c = clocks[i];
  c.state = ObligationClock::State::met;
  c.met_at = sim.now();
  emit(sim, RecordKind::obligation_met, c.obligation, c.org, c.incident, (sim.now() - c.started).to_hours());
}

void Response::Impl::obligation_due(Simulation& sim, std::uint32_t i) {
  ObligationClock& c = clocks[i];
  if (c.state != ObligationClock::State::running) return;
  c.state = ObligationClock::State::missed;
  emit(sim, RecordKind::obligation_missed, c.obligation, c.org, c.incident);
}

}  // namespace cyberdrill
