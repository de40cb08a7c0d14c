// The response model: injects and the decisions put to the organisations (the policy answers them) (see response_impl.hpp).
#include <algorithm>
#include <cmath>

#include "response_impl.hpp"

namespace cyberdrill {

void Response::Impl::deliver_inject(Simulation& sim, Index i) {
  const Inject& inj = sc.injects[i];
  emit(sim, RecordKind::inject_delivered, i, inj.to, inj.from, 0, CauseKind::inject, i);
  const Index org = inj.to != kNone ? inj.to : inj.from;
  apply_effect(sim, inj.effect, EffectSource{org, CauseKind::inject, i}, kNone, kNone);
  TriggerEvent ev{Trigger::Kind::inject, inj.to, i, kNone, kNone, kNone, CauseKind::inject, i};
  fire(sim, ev);
  evaluate_conditions(sim);
}

bool Response::Impl::owner_knows(Index owner) const { return owner == kNone || owner >= orgs.size() || first_known[owner]; }

void Response::Impl::open_decision(Simulation& sim, Index d) {
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
void Response::Impl::ask_policy(Simulation& sim, std::uint32_t idx) {
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
void Response::Impl::owner_informed(Simulation& sim, Index org) {
  for (std::uint32_t i = 0; i < open.size(); ++i)
    if (open[i].waiting_owner && !open[i].taken && sc.decisions[open[i].decision].owner == org) ask_policy(sim, i);
}

void Response::Impl::take_decision(Simulation& sim, std::uint32_t idx, Index option, const std::string& who, bool by_default) {
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

void Response::Impl::decision_due(Simulation& sim, std::uint32_t idx) {
  const OpenDecision& od = open[idx];
  if (od.taken || od.choice_pending || od.waiting_owner) return;  // nobody may decide for an owner who does not know
  const Decision& dec = sc.decisions[od.decision];
  if (dec.default_option == kNone || dec.default_option >= dec.options.size()) return;
  take_decision(sim, idx, dec.default_option, "default", true);
}

}  // namespace cyberdrill
