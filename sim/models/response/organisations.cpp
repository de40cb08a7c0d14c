// The response model: organisations, their work queues and the background load (see response_impl.hpp).
#include <algorithm>
#include <cmath>

#include "response_impl.hpp"

namespace cyberdrill {

void Response::Impl::start(Simulation& sim, EventHandler& self) {
  handler = sim.add_handler(self);
  for (std::uint32_t l = 0; l < listeners.size(); ++l) {
    if (listeners[l].trigger->kind != Trigger::Kind::at_time) continue;
    sim.schedule_at(std::max(listeners[l].trigger->at, sim.now()), handler, kTimedTrigger, l);
  }
  last_truth_change = sim.now();
  schedule_background(sim);
}

void Response::Impl::schedule_wake(Simulation& sim, Index org, SimTime at) {
  Org& o = orgs[org];
  if (at == SimTime::max()) return;
  if (sim.is_pending(o.wake) && o.wake_at <= at) return;
  sim.cancel(o.wake);
  o.wake = sim.schedule_at(std::max(at, sim.now()), handler, kWake, org);
  o.wake_at = at;
}

// Whether `org` can start new work now; if not, arranges a wake-up (and a callout).
bool Response::Impl::available(Simulation& sim, Index org) {
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

std::uint32_t Response::Impl::new_task(const Task& t) {
  if (!free_tasks.empty()) {
    const std::uint32_t id = free_tasks.back();
    free_tasks.pop_back();
    tasks[id] = t;
    return id;
  }
  tasks.push_back(t);
  return static_cast<std::uint32_t>(tasks.size() - 1);
}

void Response::Impl::enqueue(Simulation& sim, Task t, int rank) {
  t.enqueued = sim.now();
  const Index org = t.org;
  const std::uint32_t id = new_task(t);
  orgs[org].queue.push(QueuedTask{rank, queue_seq++, id});
  try_start(sim, org);
}

void Response::Impl::try_start(Simulation& sim, Index org) {
  while (!orgs[org].queue.empty()) {
    if (!available(sim, org)) return;
    Org& o = orgs[org];
    const QueuedTask top = o.queue.top();
    if (o.capacity - o.busy < tasks[top.task].staff) return;  // head-of-line
    o.queue.pop();
    start_task(sim, top.task);
  }
}

void Response::Impl::start_task(Simulation& sim, std::uint32_t id) {
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

void Response::Impl::task_done(Simulation& sim, std::uint32_t id) {
  const Task t = tasks[id];
  free_tasks.push_back(id);
  orgs[t.org].busy -= t.staff;
  if (t.kind == Task::Kind::triage) {
    if (t.background) {
      emit_triaged(sim, kBackgroundIncidentBase + t.ref, t.org, t.wait, t.severity);
    } else {
      triage_complete(sim, t.ref, t.wait);
    }
  } else {
    step_complete(sim, t.ref);
  }
  try_start(sim, t.org);
}

void Response::Impl::schedule_background(Simulation& sim) {
  const BackgroundLoad& bg = sc.background;
  const double rate = bg.rate_per_day * knob("background_rate_scale", 1.0);
  if (!(rate > 0) || bg.org == kNone || bg.org >= orgs.size()) return;
  const double mean_us = 86'400e6 / rate;
  const double gap = -mean_us * std::log(bg_arrivals.uniform01_open_low());
  sim.schedule_in(Duration::from_us(std::llround(std::min(gap, 4e18))), handler, kBackgroundArrival);
}

void Response::Impl::background_arrival(Simulation& sim) {
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

}  // namespace cyberdrill
