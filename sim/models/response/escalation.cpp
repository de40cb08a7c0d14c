// The response model: the national response level from the national picture (see response_impl.hpp).
#include <algorithm>
#include <cmath>

#include "response_impl.hpp"

namespace cyberdrill {

Index Response::Impl::level_for(const Picture& p) const {
  Index target = level_order.front();
  for (Index l : level_order) {
    const EscalationLevel& lv = sc.plan.levels[l];
    if (lv.rank <= baseline_rank) continue;
    const double residents = impact.residents(), output = impact.national_output_per_day();
    const bool met = (lv.min_severity != 99 && p.severity >= lv.min_severity) ||
                     (lv.min_population > 0 && p.population >= lv.min_population) ||
                     (lv.min_sectors > 0 && p.sectors >= lv.min_sectors) ||
                     (lv.min_areas > 0 && p.impact->areas_at_least(lv.min_area_share) >= lv.min_areas) ||
                     (lv.min_population_share > 0 && residents > 0 &&
                      p.impact->people >= lv.min_population_share * residents) ||
                     (lv.min_loss_share_per_day > 0 && output > 0 &&
                      p.impact->loss_per_day >= lv.min_loss_share_per_day * output);
    if (met && lv.rank >= rank_of(target)) target = l;
  }
  return target;
}

void Response::Impl::set_level(Simulation& sim, Index level, Index actor) {
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

void Response::Impl::evaluate_escalation(Simulation& sim, Index actor) {
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

void Response::Impl::force_level(Simulation& sim, Index level, Index actor) {
  if (level == kNone || level >= sc.plan.levels.size()) return;
  if (rank_of(level) > rank_of(current)) set_level(sim, level, actor);
  evaluate_escalation(sim, actor);
}

void Response::Impl::deescalate(Simulation& sim) {
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

}  // namespace cyberdrill
