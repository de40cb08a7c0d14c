// The response model: knowledge, reports between organisations, triage; detections and outages coming in (see response_impl.hpp).
#include <algorithm>
#include <cmath>

#include "response_impl.hpp"

namespace cyberdrill {

int Response::Impl::incident_severity(const Incident& inc, double level) const {
  return severity_at(inc.info.asset, inc.malicious, level);
}

int Response::Impl::severity_at(Index asset, bool malicious, double level) const {
  double people = 0;
  if (asset < severity_memo_level.size() && severity_memo_level[asset] == level) {
    people = severity_memo_people[asset];  // the same evaluation as last time (a pure function)
  } else {
    const std::pair<Index, double> one{asset, level};
    people = impact.evaluate_people(std::span(&one, 1));
    if (asset < severity_memo_level.size()) {
      severity_memo_level[asset] = level;
      severity_memo_people[asset] = people;
    }
  }
  const int hit = sector_hit_for_severity(level) ? 1 : 0;
  if (impact.uses_areas()) return severity_relative(people, impact.residents(), hit, true, malicious);
  return severity_of(static_cast<std::uint64_t>(std::llround(people)), hit, true, malicious);
}

Response::Impl::Picture Response::Impl::national_picture() const {
  static const ImpactModel::Evaluation kNothing;  // no triage organisation: nobody pictures anything
  Picture p;
  p.impact = &kNothing;
  if (triage == kNone) return p;
  std::vector<std::pair<Index, double>>& believed = picture_scratch;
  believed.clear();
  // Distinct sectors hit: a mark per sector, the last slot standing for kNone (counted as one
  // sector, as the std::set this replaces did).
  std::vector<std::uint8_t>& seen = picture_sector_seen;
  seen.assign(sc.sectors.size() + 1, 0);
  int distinct = 0;
  bool any = false, malicious = false;
  for (const auto& [asset, b] : orgs[triage].picture) {
    const Incident& inc = incidents[b.incident];
    if (!inc.info.triaged) continue;
    any = true;
    malicious = malicious || inc.malicious;
    believed.emplace_back(asset, b.level);
    if (sector_hit_for_severity(b.level)) {
      const Index s = sector_of(asset);
      std::uint8_t& mark = seen[s < sc.sectors.size() ? s : sc.sectors.size()];
      if (!mark) {
        mark = 1;
        ++distinct;
      }
    }
    p.severity = std::max(p.severity, inc.info.severity);
  }
  // people counted once (impact.hpp); the evaluation depends on the believed levels only, so the
  // last one stands while they are the same.
  if (!picture_tracker) picture_tracker.emplace(impact);
  p.impact = &picture_tracker->update(believed);  // = impact.evaluate(believed), bit for bit
  p.population = static_cast<std::uint64_t>(std::llround(p.impact->people));
  p.sectors = distinct;
  const int whole = impact.uses_areas()
                        ? severity_relative(p.impact->people, impact.residents(), p.sectors, any, malicious)
                        : severity_of(p.population, p.sectors, any, malicious);
  p.severity = std::max(p.severity, whole);
  return p;
}

// `essential`: the knowledge came over an essential channel or in a typed report (its triage
// goes ahead of procedure steps and the background load).
void Response::Impl::learn(Simulation& sim, Index org, Index incident, double level, std::uint32_t version, Index from,
           bool via_report, bool essential) {
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
  if (first) picture.emplace(asset, Belief{level, version, sim.now(), from, incident});
  else it->second = Belief{level, version, sim.now(), from, incident};
  bool first_of_group = false;
  if (first) {
    std::vector<std::uint8_t>& known = knows_group[org];
    if (known.size() <= group) known.resize(std::size_t{group} + 1, 0);
    first_of_group = known[group] == 0;
    known[group] = 1;
  }
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
void Response::Impl::forward(Simulation& sim, Index org, Index incident, bool initial) {
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
          hot_knob(kMandatoryReporting, 0.0) >= 0.5 && sc.organisations[org].kind == OrgKind::operator_;
      const double p =
          std::clamp((mandatory ? 1.0 : ch.coverage) * hot_knob(kCoverageScale, 1.0), 0.0, 1.0);
      state = coverage_rng[c].bernoulli(p) ? 2 : 1;
      if (state != 2) continue;
      ++channel_stats[c].sent;
    } else if (state != 2) {
      continue;
    }
    const Duration latency =
        scale(ch.latency.sample(latency_rng[c]), handoff_factor() * hot_knob(kLatencyScale, 1.0));
    reports.push_back(Report{incident, org, ch.to, c, belief.level, belief.version});
    // (an essential channel's report is triaged in the essential class: report_arrival)
    sim.schedule_in(latency, handler, kReportArrival, reports.size() - 1, Priority::knowledge);
  }
}

void Response::Impl::report_arrival(Simulation& sim, std::uint64_t idx) {
  const Report r = reports[idx];
  learn(sim, r.to, r.incident, r.level, r.version, r.from, true, sc.channels[r.channel].essential);
  evaluate_conditions(sim);
}

// One triage per incident (group): every member the triage organisation knows is rated.
void Response::Impl::triage_complete(Simulation& sim, Index group, Duration wait) {
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
  emit_triaged(sim, group, triage, wait, severity, CauseKind::asset, incidents[group].info.asset);
  if (!t_triage) t_triage = sim.now();
  evaluate_escalation(sim, triage);  // rate, set the national level, then report onward
  for (Index m : known) forward(sim, triage, m, true);
  TriggerEvent ev{Trigger::Kind::triage, triage, kNone, kNone, incidents[group].info.asset, group,
                  CauseKind::incident, group};
  fire(sim, ev);
  evaluate_conditions(sim);
}

// Whether attack step `step` (global index) on `asset` breaches personal data: exfiltration
// anywhere, encryption or wiping of an asset that holds personal data.
bool Response::Impl::breaches_personal_data(Index asset, Index step) const {
  if (step >= attack_step.size()) return false;
  const AttackEffect::Kind k = attack_step[step]->effect.kind;
  return k == AttackEffect::Kind::exfiltrate ||
         ((k == AttackEffect::Kind::encrypt || k == AttackEffect::Kind::wipe) && sc.assets[asset].personal_data);
}

// The incident a new detection joins (the rule in response.hpp), or `self` to open one.
Index Response::Impl::group_for(SimTime now, Index asset, CauseKind ck, Index cause, Index detector, Index self) const {
  if (ck == CauseKind::attack_step && cause < campaign_of_step.size()) {
    const Index camp = campaign_of_step[cause];
    for (const Incident& inc : incidents)
      if (inc.campaign == camp) return inc.group;
  }
  for (const Dependency& d : sc.assets[asset].depends_on) {
    const Index i = incident_on(d.supplier);
    if (i != kNone && below_full(levels[d.supplier])) return incidents[i].group;
  }
  if (sc.plan.incident_window > Duration::zero() && detector != kNone) {
    auto it = last_at_operator.find(detector);
    if (it != last_at_operator.end() && now - it->second.second <= sc.plan.incident_window) return it->second.first;
  }
  return self;
}

void Response::Impl::on_detected(Simulation& sim, Index asset, CauseKind ck, Index cause, bool visible) {
  if (asset >= sc.assets.size()) return;
  Index detector = sc.assets[asset].operator_org;
  if (detector == kNone) detector = triage;
  const bool breach = ck == CauseKind::attack_step && breaches_personal_data(asset, cause);
  if (const Index known = incident_on(asset); known != kNone) {
    Incident& inc = incidents[known];
    emit(sim, RecordKind::detected, known, detector, inc.group, 0, ck, cause);
    if (ck == CauseKind::attack_step) inc.malicious = true;
    if (breach && !incidents[inc.group].personal_data) {
      incidents[inc.group].personal_data = true;
      check_obligation_start(sim, known);
    }
    if (visible && inc.level != levels[asset]) observe(sim, known, levels[asset]);
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
  if (inc.group == id) inc.channel_state.assign(sc.channels.size(), 0);  // read on group roots only
  incident_infos.push_back(inc.info);
  incidents.push_back(std::move(inc));  // (only its scalars are read below)
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
void Response::Impl::observe(Simulation& sim, Index incident, double level) {
  Incident& inc = incidents[incident];
  inc.level = level;
  ++inc.version;
  learn(sim, inc.info.detector, incident, level, inc.version, inc.info.detector, false);
}

void Response::Impl::integrate_truth(SimTime now) {
  const double h = (now - last_truth_change).to_hours();
  if (h > 0) {
    population_hours += static_cast<double>(population) * h;
    service_hours += loss_sum * h;
    economic_loss += impact.loss_per_day() * h / 24.0;
    for (std::size_t s = 0; s < sector_loss.size(); ++s) sector_loss[s] += impact.sector_loss_per_day(static_cast<Index>(s)) * h / 24.0;
  }
  last_truth_change = now;
}

void Response::Impl::on_outage_changed(Simulation& sim, Index asset, double level, std::uint64_t pop, int nsectors) {
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
  if (const Index known = incident_on(asset); known != kNone) {
    if (incidents[known].level != level) observe(sim, known, level);
  } else if (options.detect_visible_outages && below_full(level)) {
    on_detected(sim, asset, CauseKind::asset, asset, true);
  }
  evaluate_conditions(sim);
}

}  // namespace cyberdrill
