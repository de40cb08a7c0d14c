// The response model: triggers, procedures and their steps, and their effects on the world (see response_impl.hpp).
#include <algorithm>
#include <cmath>

#include "response_impl.hpp"

namespace cyberdrill {

bool Response::Impl::matches(const Trigger& t, const TriggerEvent& ev) const {
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

void Response::Impl::fire(Simulation& sim, const TriggerEvent& ev) {
  for (std::size_t l = 0; l < listeners.size(); ++l)
    if (matches(*listeners[l].trigger, ev)) fire_listener(sim, l, ev);
}

void Response::Impl::fire_listener(Simulation& sim, std::size_t l, const TriggerEvent& ev) {
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

std::optional<double> Response::Impl::condition_value(const std::string& name, SimTime now) const {
  if (name == "population_affected") return static_cast<double>(population);
  if (name == "outages") return static_cast<double>(degraded);
  if (name == "sectors_affected") return static_cast<double>(sectors);
  if (name == "severity") return static_cast<double>(national);
  if (name == "level") return static_cast<double>(rank_of(current));
  const MetricValues v = values(now);
  if (auto it = v.find(name); it != v.end()) return it->second;
  return std::nullopt;
}

void Response::Impl::evaluate_conditions(Simulation& sim) {
  for (const std::uint32_t l : condition_listeners) {
    const Trigger& t = *listeners[l].trigger;
    if (listeners[l].fired) continue;
    const auto v = condition_value(t.metric, sim.now());
    if (!v || *v < t.at_least) continue;
    TriggerEvent ev{Trigger::Kind::condition, kNone, kNone, kNone, kNone, kNone, CauseKind::scenario, kNone};
    fire_listener(sim, l, ev);
  }
}

void Response::Impl::start_procedure(Simulation& sim, Index p, Index asset, Index incident, CauseKind ck, Index cause) {
  if (p >= sc.plan.procedures.size()) return;
  if (!started_keys.insert({p, asset}).second) return;
  const Procedure& proc = sc.plan.procedures[p];
  if (asset != kNone && incident == kNone) {
    if (const Index i = incident_on(asset); i != kNone) incident = i;
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

void Response::Impl::make_ready(Simulation& sim, std::uint32_t r) {
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

void Response::Impl::step_complete(Simulation& sim, std::uint32_t r) {
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

void Response::Impl::procedure_done(Simulation& sim, std::uint32_t inst) {
  const Index p = instances[inst].procedure;
  TriggerEvent ev{Trigger::Kind::procedure_done, kNone, p, kNone, kNone, kNone, CauseKind::none, kNone};
  fire(sim, ev);
}

void Response::Impl::step_deadline(Simulation& sim, std::uint32_t r) {
  if (runs[r].state == StepRun::State::done) return;
  const Instance& inst = instances[runs[r].instance];
  const Index flat = flat_base[inst.procedure] + runs[r].step;
  ++step_cov[flat].timed_out;
  const ProcedureStep& step = sc.plan.procedures[inst.procedure].steps[runs[r].step];
  const Index org = step.org != kNone ? step.org : sc.plan.procedures[inst.procedure].owner;
  emit(sim, RecordKind::step_timed_out, flat, org, inst.procedure);
}

void Response::Impl::assistance_arrives(Simulation& sim, std::uint64_t idx) {
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

void Response::Impl::world_call(Simulation& sim, Effect::Kind kind, Index target, double value, const EffectSource& src,
                const Effect* effect) {
  world_calls.push_back(WorldCall{kind, target, value, src, effect});
  sim.schedule_at(sim.now(), handler, kWorldCall, world_calls.size() - 1, Priority::world);
}

void Response::Impl::run_world_call(Simulation& sim, std::uint64_t idx) {
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

void Response::Impl::apply_effect(Simulation& sim, const Effect& e, const EffectSource& src, Index asset, Index incident) {
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
    case Effect::Kind::set_policy:
      knobs[e.name] = e.value;
      refresh_hot_knobs();
      return;
  }
}

void Response::Impl::notify(Simulation& sim, Index from, Index to, Index incident) {
  if (from == kNone || to == kNone || from == to || from >= orgs.size() || to >= orgs.size()) return;
  std::vector<Belief> beliefs;
  for (const auto& [asset, b] : orgs[from].picture)
    if (incident == kNone || incidents[b.incident].group == incidents[incident].group) beliefs.push_back(b);
  for (const Belief& b : beliefs) learn(sim, to, b.incident, b.level, b.version, from, true);
}

}  // namespace cyberdrill
