// build_report: from a recorded run to the AAR/IP model. Every sentence is assembled from the
// scenario, the run's metrics and its trace records; where the trace cannot tell a root cause,
// the finding says so instead of guessing. One function per report section; the trace facts
// (trace_facts.cpp) and the findings per metric (metric_findings.cpp) live beside it.
#include "metric_findings.hpp"
#include "trace_facts.hpp"

namespace cyberdrill {

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

using namespace report_build;  // NOLINT: the report room's private helpers

/// The report's sections, each filled from the trace facts.
struct ReportBuilder {
  const RecordedRun& run;
  const ReportOptions& options;
  const TraceFacts& f;
  Report& rep;
  const Scenario& sc = run.scenario;
  const RunResult& res = run.result;

  void overview();
  void executive_summary();
  void objectives();
  void known_versus_true();
  void timeline();
  void obligations();
  void plan_coverage();
  void systemic_issues();
  void dates();
};

// Overview.
void ReportBuilder::overview() {
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
}

// Executive summary.
void ReportBuilder::executive_summary() {
  const ReportOverview& ov = rep.overview;
  ExecutiveSummary& es = rep.summary;
  const std::pair<const char*, std::string_view> times[] = {
      {"Detect (first detection by an operator)", metric::time_to_detect},
      {"Report (first report reaches the CSIRT)", metric::time_to_report},
      {"Triage (first triage completed)", metric::time_to_triage},
      {"Escalate (first level above the baseline)", metric::time_to_escalate},
      {"Crisis (top escalation level)", metric::time_to_crisis},
      {"Contain (first containment or isolation)", metric::time_to_contain},
      {"Recover (every asset back at full service)", metric::time_to_recover},
  };
  for (const auto& [label, name] : times) es.times.push_back({label, std::string(name), f.metric(name)});
  es.peak_population_affected = f.metric(metric::peak_population_affected);
  es.population_hours_lost = f.metric(metric::population_hours_lost);
  es.max_severity = f.metric(metric::max_severity);
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
    const auto report_h = f.metric(metric::time_to_report);
    if (report_h && first)
      h.push_back("The first report reached " + rep.triage_org + " at " + clock(from_hours(*report_h)) +
                  format(", %.1f h after the first compromise.", *report_h - first->to_hours()));
    else if (!report_h)
      h.push_back("No report reached " + rep.triage_org + ".");
    const auto crisis_h = f.metric(metric::time_to_crisis);
    const auto esc_h = f.metric(metric::time_to_escalate);
    if (esc_h) h.push_back("Escalated at " + clock(from_hours(*esc_h)) + (crisis_h ? "; top level at " + clock(from_hours(*crisis_h)) + "." : "; the top level was never reached."));
    h.push_back(format("Reporting obligations: %d met, %d missed", es.obligations_met, es.obligations_missed) +
                (es.obligations_running > 0 ? format(", %d still running.", es.obligations_running) : std::string(".")));
    h.push_back(format("Objectives: %d P, %d S, %d M, %d U.", counts[0], counts[1], counts[2], counts[3]));
  }
}

// Objectives.
void ReportBuilder::objectives() {
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
    const FindingDraft st = metric_finding(f, o.metric);
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
}

// Known versus true.
void ReportBuilder::known_versus_true() {
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
      consider(f.first_compromise[inc.asset], std::string("compromised (") + attack_effect_text(f.compromise_effect[inc.asset]) + ")");
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
}

// Timeline.
void ReportBuilder::timeline() {
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
                                    format(": severity %.0f (waited %.1f h).", r.value, r.duration.to_hours()), 1);
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
  if (const auto rec = f.metric(metric::time_to_recover)) add(from_hours(*rec), "impact", "Every asset is back at full service.", 0);
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
}

// Obligations.
void ReportBuilder::obligations() {
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
}

// Plan coverage.
void ReportBuilder::plan_coverage() {
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
}

// Systemic issues.
void ReportBuilder::systemic_issues() {
  for (const TraceFacts::BlockedStep& b : f.blocked_steps) {
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
  for (const TraceFacts::TimedOut& t : f.timed_out) {
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
}

// Dates.
void ReportBuilder::dates() {
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
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// build_report
// ---------------------------------------------------------------------------------------------

Report build_report(const RecordedRun& run, const ReportOptions& options) {
  const TraceFacts f(run, options);
  Report rep;
  rep.triage_org = f.triage == kNone ? std::string() : f.org(f.triage);
  rep.crisis_org = f.crisis == kNone ? std::string() : f.org(f.crisis);
  ReportBuilder b{run, options, f, rep};
  b.overview();
  b.executive_summary();
  b.objectives();
  b.known_versus_true();
  b.timeline();
  b.obligations();
  b.plan_coverage();
  b.systemic_issues();
  b.dates();
  return rep;
}

}  // namespace cyberdrill
