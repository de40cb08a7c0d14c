// The response model (contract and rules in include/cyberdrill/response.hpp): the public API,
// the event dispatch and the metrics. The behaviour is split by concern (see response_impl.hpp).
#include "cyberdrill/metrics.hpp"
#include "response_impl.hpp"

namespace cyberdrill {

MetricValues Response::Impl::values(SimTime end) const {
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
  v[std::string(metric::time_to_detect)] = hours(t_detect);
  v[std::string(metric::time_to_report)] = hours(t_report);
  v[std::string(metric::time_to_triage)] = hours(t_triage);
  v[std::string(metric::time_to_escalate)] = hours(t_escalate);
  v[std::string(metric::time_to_crisis)] = hours(t_crisis);
  v[std::string(metric::time_to_contain)] = hours(t_contain);
  v[std::string(metric::time_to_recover)] = (had_outage && degraded == 0) ? hours(recovered_at) : std::nullopt;
  v[std::string(metric::time_to_first_restore)] =
      t_first_restore && t_first_outage ? std::optional<double>((*t_first_restore - *t_first_outage).to_hours()) : std::nullopt;
  v[std::string(metric::max_level_rank)] =
      level_order.empty() ? std::nullopt : std::optional<double>(std::max(max_rank, baseline_rank));
  v[std::string(metric::population_hours_lost)] = population_hours + static_cast<double>(population) * tail;
  v[std::string(metric::service_hours_lost)] = service_hours + loss_sum * tail;
  v[std::string(metric::peak_outages)] = static_cast<double>(peak_degraded);
  v[std::string(metric::peak_population_affected)] = static_cast<double>(peak_population);
  v[std::string(metric::obligations_met_fraction)] =
      met + missed > 0 ? std::optional<double>(static_cast<double>(met) / (met + missed)) : std::nullopt;
  v[std::string(metric::obligations_missed)] = static_cast<double>(missed);
  v[std::string(metric::mean_triage_wait)] = scenario_stats.mean_wait_h();
  v[std::string(metric::max_severity)] = static_cast<double>(max_severity);
  v[std::string(metric::sectors_affected)] = static_cast<double>(peak_sectors);
  v[std::string(metric::plan_coverage)] = coverage().completed_fraction();
  v[std::string(metric::decisions_on_time_fraction)] =
      decisions_taken > 0 ? std::optional<double>(static_cast<double>(decisions_on_time) / decisions_taken)
                          : std::nullopt;
  v[std::string(metric::economic_loss)] = economic_loss + impact.loss_per_day() * tail / 24.0;
  for (std::size_t c = 0; c < kServiceClassCount; ++c)
    v[std::string(metric::peak_people_without_prefix) + service_class_names()[c]] = std::round(peak_without[c]);
  return v;
}

PlanCoverage Response::Impl::coverage() const {
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

// --- the public facade ----------------------------------------------------------------------

ResponsePrep::Data::Data(const Scenario& s) : scenario(&s), impact(s) {
  calendar_clocks.reserve(s.organisations.size());
  org_clock.reserve(s.organisations.size());
  for (const Organisation& org : s.organisations) {
    std::size_t k = 0;
    while (k < calendar_clocks.size() && !same_calendar(calendar_clocks[k].calendar(), org.calendar)) ++k;
    if (k == calendar_clocks.size()) calendar_clocks.emplace_back(org.calendar, s.metadata.time_zone, s.metadata.start_utc_s);
    org_clock.push_back(static_cast<std::uint32_t>(k));
  }
  channel_hash.reserve(s.channels.size());
  for (const Channel& ch : s.channels) channel_hash.push_back(name_hash(ch.id));
  for (const Procedure& proc : s.plan.procedures)
    for (const ProcedureStep& st : proc.steps) step_hash.push_back(name_hash(proc.id + "/" + st.id));
  obligation_hash.reserve(s.plan.obligations.size());
  for (const Obligation& ob : s.plan.obligations) obligation_hash.push_back(name_hash(ob.id));
  decision_hash.reserve(s.decisions.size());
  for (const Decision& d : s.decisions) decision_hash.push_back(name_hash(d.id));
}

ResponsePrep::ResponsePrep(const Scenario& scenario) : data_(std::make_unique<Data>(scenario)) {}
ResponsePrep::~ResponsePrep() = default;
const Scenario& ResponsePrep::scenario() const { return *data_->scenario; }

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
