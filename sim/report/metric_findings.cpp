// The findings per metric (see metric_findings.hpp): one function per metric family, each built
// from the trace facts; where the trace cannot tell a root cause, the finding says so.
#include "metric_findings.hpp"

namespace cyberdrill::report_build {

std::string threshold_sentence(const Objective& o, std::optional<double> value, const std::string& unit_value) {
  const char* cmp = o.lower_is_better ? "\u2264" : "\u2265";
  auto num = [&](double v) {
    const MetricInfo* info = find_metric(o.metric);
    if (info != nullptr && info->unit == MetricUnit::hours) return format("%g h", v);
    if (info != nullptr && info->unit == MetricUnit::fraction) return percent(v);
    if (std::fabs(v) >= 10000) return thousands(v);
    return format("%g", v);
  };
  std::string s = value ? "Measured " + unit_value : "It never happened in this run";
  s += format(" against a P target of %s %s (S %s %s, M %s %s).", cmp, num(o.p).c_str(), cmp, num(o.s).c_str(), cmp,
              num(o.m).c_str());
  return s;
}

std::string metric_value_text(const std::string& metric, std::optional<double> v) {
  if (!v) return "never";
  const MetricInfo* info = find_metric(metric);
  switch (info != nullptr ? info->unit : MetricUnit::count) {
    case MetricUnit::hours:
      if (metric == metric::mean_triage_wait) return hours(v);  // a wait, not a time since T+0
      return hours(v) + " (" + clock(from_hours(*v)) + ")";
    case MetricUnit::fraction: return percent(*v);
    case MetricUnit::person_hours: return thousands(*v) + " person-hours";
    case MetricUnit::people: return thousands(*v) + " people";
    case MetricUnit::asset_hours: return format("%.1f asset-hours", *v);
    case MetricUnit::count:
    case MetricUnit::severity:
    case MetricUnit::euros: break;
  }
  return format("%g", *v);
}

std::string capability_of_step(const TraceFacts& f, Index flat) {
  const StepRef r = step_of_flat_index(f.sc.plan, flat);
  if (r.procedure == kNone) return "Operational Coordination";
  const ProcedureStep& st = f.sc.plan.procedures[r.procedure].steps[r.step];
  switch (st.effect.kind) {
    case Effect::Kind::contain:
    case Effect::Kind::isolate: return "Cybersecurity";
    case Effect::Kind::fail_over:
    case Effect::Kind::restore: return "Infrastructure Systems";
    case Effect::Kind::notify:
    case Effect::Kind::inform: return "Intelligence and Information Sharing";
    case Effect::Kind::warn_public: return "Public Information and Warning";
    default: break;
  }
  const Index o = st.org != kNone ? st.org : f.sc.plan.procedures[r.procedure].owner;
  if (o < f.sc.organisations.size()) {
    if (f.sc.organisations[o].kind == OrgKind::csirt) return "Situational Assessment";
    if (f.sc.organisations[o].kind == OrgKind::police) return "Forensics and Attribution";
  }
  return "Operational Coordination";
}

namespace {

class MetricFindings {
 public:
  explicit MetricFindings(const TraceFacts& f) : f_(f) {}

  FindingDraft of(const std::string& metric) const {
    if (metric == metric::time_to_detect) return detect();
    if (metric == metric::time_to_report) return report();
    if (metric == metric::time_to_triage || metric == metric::mean_triage_wait) return triage(metric);
    if (metric == metric::time_to_escalate) return escalate(false);
    if (metric == metric::time_to_crisis) return escalate(true);
    if (metric == metric::time_to_contain) return contain();
    if (metric == metric::time_to_recover) return recover();
    if (metric == metric::population_hours_lost || metric == metric::peak_population_affected || metric == metric::service_hours_lost ||
        metric == metric::peak_outages || metric == metric::sectors_affected)
      return impact();
    if (metric == metric::obligations_met_fraction || metric == metric::obligations_missed) return obligations();
    if (metric == metric::decisions_on_time_fraction) return decisions();
    if (metric == metric::plan_coverage) return coverage();
    if (metric == metric::max_severity) return severity();
    FindingDraft s;
    s.observation = "The metric " + metric + " measured " + metric_value_text(metric, f_.metric(metric)) + ".";
    s.root_cause = "Not established from the trace; to be discussed in the after-action meeting.";
    s.action = "Analyse " + metric + " in the after-action meeting and re-test it in the next exercise.";
    s.element = CapabilityElement::exercise;
    s.responsible = f_.triage;
    return s;
  }

  /// Why the CSIRT learned late: the gap between the first truth and the CSIRT's first knowledge.
  struct Segments {
    std::optional<SimTime> truth, csirt_knew, triaged, escalated;
  };

 private:
  const TraceFacts& f_;

  FindingDraft detect() const {
    FindingDraft s;
    const Index inc = f_.first_incident();
    if (inc == kNone) {
      s.observation = "No operator detected anything during the run.";
      s.analysis = plural(static_cast<long>(f_.succeeded_steps.size()), "attack step", "attack steps") +
                   " succeeded without being noticed.";
      s.root_cause = "Detection rests on monitoring (Organisation::monitoring) and the steps' detection hazards; "
                     "neither produced a detection in this run.";
      s.action = "Deploy monitoring on the targeted networks and share the campaign's indicators with operators.";
      s.element = CapabilityElement::equipment;
      s.responsible = f_.triage;
      return s;
    }
    const IncidentInfo& i = f_.res.incidents[inc];
    const bool by_outage = i.cause_kind == CauseKind::asset;
    s.observation = "The first incident was detected at " + clock(i.detected) + " (" + hours(i.detected.to_hours()) +
                    ") by " + f_.org(i.detector) + " on " + f_.asset(i.asset) + ", " +
                    (by_outage ? (i.cause == i.asset ? "from its visible outage" : "from the loss of " + f_.asset(i.cause))
                               : "through " + f_.cause(i.cause_kind, i.cause)) +
                    ".";
    Index first_asset = kNone;
    const auto first = f_.first_compromise_any(&first_asset);
    std::vector<std::string> techniques;
    std::vector<std::string> monitors;
    std::set<Index> operators;
    int before = 0;
    std::set<Index> seen_steps;
    for (const TraceRecord* r : f_.succeeded_steps) {
      if (r->time > i.detected) break;
      if (seen_steps.insert(r->subject).second) ++before;
      if (const AttackStep* st = f_.attack_step_or_null(r->subject)) {
        if (!st->technique.empty() && std::find(techniques.begin(), techniques.end(), st->technique) == techniques.end())
          techniques.push_back(st->technique);
        if (r->detail < f_.sc.assets.size()) operators.insert(f_.sc.assets[r->detail].operator_org);
      }
    }
    for (Index o : operators)
      if (o < f_.sc.organisations.size())
        monitors.push_back(f_.org(o) + " " + format("%.2f", f_.sc.organisations[o].monitoring));
    if (first && *first < i.detected) {
      s.analysis = "The attacker had been inside since " + clock(*first) + " (" + f_.asset(first_asset) + ", " +
                   attack_effect_text(f_.compromise_effect[first_asset]) + " through " +
                   f_.attack_step(f_.compromise_step[first_asset]) + "): " +
                   plural(before, "attack step", "attack steps") + " succeeded before the first detection, " +
                   format("%.1f h", (i.detected - *first).to_hours()) + " of dwell time.";
      if (f_.hidden_detections > 0)
        s.analysis += " " + plural(f_.hidden_detections, "intrusion step was", "intrusion steps were") +
                      " noticed before causing an outage during the run.";
    } else {
      s.analysis = "Detection came before or with the first compromise: no dwell time.";
    }
    if (by_outage && first && *first < i.detected) {
      s.root_cause = "The intrusion was seen only through its visible effect: none of the " +
                     plural(before, "step", "steps") + " before the impact was detected. Monitoring of the " +
                     "compromised operators (0 = none, 1 = full): " + join_and(monitors) +
                     (techniques.empty() ? "." : "; techniques that went unseen: " + join_and(techniques) + ".");
    } else if (by_outage) {
      s.root_cause = "The first sign was the outage itself (no intrusion preceded it in the trace).";
    } else {
      s.root_cause = "The intrusion was detected through the attacker's activity.";
    }
    s.action = "Raise monitoring of the targeted IT and control networks at " +
               join_and([&] {
                 std::vector<std::string> v;
                 for (Index o : operators) v.push_back(f_.org(o));
                 return v;
               }()) +
               " and share indicators for " + (techniques.empty() ? std::string("the campaign") : join_and(techniques)) +
               " with the sector.";
    if (operators.empty()) s.action = "Raise monitoring on the assets the campaign targets.";
    s.element = CapabilityElement::equipment;
    s.responsible = first_asset != kNone && f_.sc.assets[first_asset].operator_org != kNone ? f_.sc.assets[first_asset].operator_org
                    : operators.empty()                                                       ? i.detector
                                                                                              : *operators.begin();
    return s;
  }

  /// Channels that stayed silent for at least one incident: "id (from -> to, coverage c): n of m".
  std::vector<std::string> silent_channels(Index to, int* silent_total) const {
    std::vector<std::string> out;
    int total = 0;
    for (Index c = 0; c < f_.sc.channels.size() && c < f_.res.metrics.channels.size(); ++c) {
      const Channel& ch = f_.sc.channels[c];
      const ChannelStats& st = f_.res.metrics.channels[c];
      if (to != kNone && ch.to != to) continue;
      const int silent = st.attempts - st.sent;
      if (silent <= 0) continue;
      total += silent;
      out.push_back(format("%s (to %s, coverage %.2f): %d of %d incidents never reported", ch.id.c_str(),
                           f_.org(ch.to).c_str(), ch.coverage, silent, st.attempts));
    }
    if (silent_total != nullptr) *silent_total = total;
    return out;
  }

  FindingDraft report() const {
    FindingDraft s;
    s.responsible = f_.triage;
    Index first = kNone;
    int reached = 0;
    std::vector<double> lags;
    for (Index i = 0; i < f_.reported_to_triage.size(); ++i) {
      if (!f_.reported_to_triage[i]) continue;
      ++reached;
      lags.push_back((*f_.reported_to_triage[i] - f_.res.incidents[i].detected).to_hours());
      if (first == kNone || *f_.reported_to_triage[i] < *f_.reported_to_triage[first]) first = i;
    }
    const int total = static_cast<int>(f_.res.incidents.size());
    int direct_knowledge = 0;  // incidents the CSIRT knew without a report (e.g. its own detection)
    for (Index i = 0; i < f_.res.incidents.size(); ++i)
      if (!f_.reported_to_triage[i] && f_.knew(f_.triage, f_.res.incidents[i].asset)) ++direct_knowledge;
    if (first == kNone) {
      s.observation = "No report of a scenario incident reached " + f_.org(f_.triage) + ".";
    } else {
      const IncidentInfo& i = f_.res.incidents[first];
      s.observation = "The first report reached " + f_.org(f_.triage) + " at " + clock(*f_.reported_to_triage[first]) +
                      " (" + hours(f_.reported_to_triage[first]->to_hours()) + "), from " +
                      f_.org(f_.reported_to_triage_from[first]) + " about " + f_.asset(i.asset) + ", " +
                      format("%.1f h", (*f_.reported_to_triage[first] - i.detected).to_hours()) +
                      " after that incident was detected.";
    }
    std::sort(lags.begin(), lags.end());
    s.analysis = format("%d of %d scenario incidents reached %s by a report", reached, total, f_.org(f_.triage).c_str());
    if (!lags.empty()) s.analysis += format(" (median %.1f h after detection)", lags[lags.size() / 2]);
    s.analysis += ".";
    if (direct_knowledge > 0)
      s.analysis += " " + plural(direct_knowledge, "more was", "more were") + " known to it without a report.";
    int silent = 0;
    const std::vector<std::string> channels = silent_channels(f_.triage, &silent);
    if (!channels.empty()) s.analysis += " Silent channels (coverage draw): " + report_text::join(channels, "; ") + ".";
    if (!channels.empty()) {
      s.root_cause = "Reporting to " + f_.org(f_.triage) + " is not mandatory for every sender: " +
                     plural(silent, "report was", "reports were") + " never sent on channels with coverage below 1.";
      if (f_.policy("mandatory_reporting", 0) >= 0.5) s.root_cause += " (mandatory_reporting is set; other senders remain.)";
      s.action = "Make incident reporting to " + f_.org(f_.triage) +
                 " mandatory for the senders of the silent channels and give them a 24/7 reporting line.";
      s.element = CapabilityElement::planning;
    } else if (!lags.empty() && lags[lags.size() / 2] > 1.0) {
      s.root_cause = "Every report was sent, but reports took a median " + format("%.1f h", lags[lags.size() / 2]) +
                     " from detection to arrival (channel latency and hand-offs).";
      s.action = "Agree a one-hour initial-report target with the reporting operators and rehearse it.";
      s.element = CapabilityElement::training;
    } else {
      s.root_cause = "Reports were sent promptly once incidents were detected; the time to report follows the time "
                     "to detect.";
      s.action = "Keep the reporting arrangements; work on earlier detection (see the detection objective).";
      s.element = CapabilityElement::planning;
    }
    return s;
  }

  FindingDraft triage(const std::string& metric) const {
    FindingDraft s;
    s.responsible = f_.triage;
    const QueueStats& q = f_.res.metrics.scenario_triage;
    const QueueStats& b = f_.res.metrics.background_triage;
    const auto first = f_.metric(metric::time_to_triage);
    s.observation = "The first scenario incident was triaged at " +
                    (first ? clock(from_hours(*first)) + " (" + hours(first) + ")" : std::string("no time (never)")) +
                    format("; %llu scenario incidents were triaged, %llu of them after waiting in the queue",
                           static_cast<unsigned long long>(q.served), static_cast<unsigned long long>(q.waited));
    if (auto w = q.mean_wait_h()) s.observation += format(" (mean wait %.1f h)", *w);
    s.observation += ".";
    s.analysis = f_.org(f_.triage) + " works with " + f_.staff_and_hours(f_.triage) +
                 format(". The same queue served %llu background incidents", static_cast<unsigned long long>(b.served));
    if (auto w = b.mean_wait_h()) s.analysis += format(" (mean wait %.1f h)", *w);
    s.analysis += format(" at %.0f a day, %s.", f_.sc.background.rate_per_day * f_.policy("background_rate_scale", 1.0),
                         f_.sc.background.severity_first ? "highest severity first" : "first come, first served");
    const bool waits = q.waited > 0 && q.mean_wait_h().value_or(0) > 0.5;
    const Organisation* o = f_.triage < f_.sc.organisations.size() ? &f_.sc.organisations[f_.triage] : nullptr;
    if (waits) {
      s.root_cause = "Triage capacity: " + (o ? plural(o->staff, "analyst", "analysts") : std::string("the analysts")) +
                     " share one queue with the background load" +
                     (o && !o->calendar.always ? ", and outside office hours work starts only after a call-out" : std::string()) +
                     ", so scenario incidents waited for a free analyst.";
      s.action = "Add a surge roster to " + f_.org(f_.triage) + "'s triage" +
                 (f_.sc.background.severity_first ? std::string() : " and triage by severity rather than first come, first served") +
                 ".";
      s.element = CapabilityElement::organisation;
    } else {
      s.root_cause = "Scenario incidents were triaged with little waiting; the " + metric +
                     " value follows from when reports arrived.";
      s.action = "Keep the triage arrangements; shorten reporting (see the reporting objective).";
      s.element = CapabilityElement::planning;
    }
    return s;
  }

  FindingDraft escalate(bool crisis) const {
    FindingDraft s;
    // The first escalation reaching the target (any level above baseline; the top rank for crisis).
    const TraceRecord* hit = nullptr;
    const TraceRecord* highest = nullptr;
    for (const TraceRecord* r : f_.escalations) {
      if (r->kind != RecordKind::escalated || r->subject >= f_.sc.plan.levels.size()) continue;
      const int rank = f_.sc.plan.levels[r->subject].rank;
      if (!highest || rank > f_.sc.plan.levels[highest->subject].rank) highest = r;
      if (!hit && (crisis ? rank >= f_.top_rank : rank > 0)) hit = r;
    }
    const std::string what = crisis ? "the top level" : "a level above the baseline";
    if (hit) {
      s.observation = f_.org(hit->actor) + " raised the response to " + f_.level(hit->subject) + " at " +
                      clock(hit->time) + " (" + hours(hit->time.to_hours()) + ")";
      if (f_.first_outage)
        s.observation += format(", %.1f h after the first outage (%s at %s)", (hit->time - *f_.first_outage).to_hours(),
                                f_.asset(f_.first_outage_asset).c_str(), clock(*f_.first_outage).c_str());
      s.observation += ".";
    } else {
      s.observation = "The response never reached " + what + ".";
      if (highest) s.observation += " The highest level reached was " + f_.level(highest->subject) + " at " + clock(highest->time) + ".";
    }
    // Segments from the first outage to the escalation.
    std::optional<SimTime> csirt_first;
    for (const auto& [key, t] : f_.first_known)
      if (key.first == f_.triage && (!csirt_first || t < *csirt_first)) csirt_first = t;
    const auto triaged_h = f_.metric(metric::time_to_triage);
    std::vector<std::pair<double, std::string>> segments;  // (hours, explanation), in time order
    const SimTime end = hit ? hit->time : f_.res.end;
    const std::optional<SimTime> triaged_at = triaged_h ? std::optional<SimTime>(from_hours(*triaged_h)) : std::nullopt;
    // Segment [a, b) clipped to the escalation; skipped when it lies after it or is empty.
    auto segment = [&](SimTime a, SimTime b, std::string text) {
      const SimTime stop = std::min(b, end);
      if (a < stop) segments.push_back({(stop - a).to_hours(), std::move(text)});
    };
    if (f_.first_outage && csirt_first)
      segment(*f_.first_outage, *csirt_first,
              "from the first outage until " + f_.org(f_.triage) + " first knew of an affected asset (" + clock(*csirt_first) + ")");
    if (csirt_first && triaged_at)
      segment(*csirt_first, *triaged_at, "in " + f_.org(f_.triage) + "'s triage queue (first triage " + clock(*triaged_at) + ")");
    if (triaged_at)
      segment(*triaged_at, end, "between the first triage and " + std::string(hit ? "the escalation" : "the end of the run") +
                                    " (thresholds, decisions and further reports)");
    std::string through;  // the escalation came from a decision's effect
    if (hit)
      for (const TraceRecord& r : f_.res.records) {
        if (r.time > hit->time) break;
        if (r.kind != RecordKind::decision_taken || r.time != hit->time || r.subject >= f_.sc.decisions.size()) continue;
        const Decision& dec = f_.sc.decisions[r.subject];
        if (r.detail >= dec.options.size()) continue;
        for (const Effect& e : dec.options[r.detail].effects)
          if (e.kind == Effect::Kind::escalate && e.ref == hit->subject) through = dec.id;
      }
    // Decisions that could escalate, with what was chosen.
    std::vector<std::string> decision_notes;
    Index decision_owner = kNone;
    for (Index d = 0; d < f_.sc.decisions.size(); ++d) {
      const Decision& dec = f_.sc.decisions[d];
      int best_rank = -1;
      Index best_option = kNone;
      Index best_level = kNone;
      for (Index o = 0; o < dec.options.size(); ++o)
        for (const Effect& e : dec.options[o].effects)
          if (e.kind == Effect::Kind::escalate && e.ref < f_.sc.plan.levels.size() &&
              f_.sc.plan.levels[e.ref].rank > best_rank) {
            best_rank = f_.sc.plan.levels[e.ref].rank;
            best_option = o;
            best_level = e.ref;
          }
      if (best_option == kNone) continue;
      const DecisionEntry* entry = f_.journal.find_or_null(dec.id);
      if (entry == nullptr) {
        decision_notes.push_back(dec.id + " ('" + dec.question + "') never opened");
        continue;
      }
      const auto chosen = std::find_if(dec.options.begin(), dec.options.end(),
                                       [&](const DecisionOption& op) { return op.id == entry->option; });
      const Index chosen_index = static_cast<Index>(chosen - dec.options.begin());
      std::string note = dec.id + " opened at " + clock(entry->opened) + "; " + f_.org(dec.owner) + " took '" +
                         f_.option(d, chosen_index) + "' at " + clock(entry->time) + " (" + who_text(entry->who) + ")";
      if (chosen_index != best_option) {
        note += ", not '" + f_.option(d, best_option) + "' which escalates to " + f_.level(best_level);
        decision_owner = dec.owner;
      }
      decision_notes.push_back(note);
    }
    // When triage ratings first reached the target level's severity threshold.
    Index target = kNone;
    for (Index l = 0; l < f_.sc.plan.levels.size(); ++l) {
      const int rank = f_.sc.plan.levels[l].rank;
      if (crisis ? rank == f_.top_rank : rank > 0) {
        if (target == kNone || (!crisis && rank < f_.sc.plan.levels[target].rank)) target = l;
      }
    }
    std::string severity_note = "the national picture met the level's thresholds late";
    if (target != kNone && f_.sc.plan.levels[target].min_severity <= 5) {
      const int need = f_.sc.plan.levels[target].min_severity;
      std::optional<SimTime> reached;
      int best = -1;
      for (const TraceRecord& r : f_.res.records)
        if (r.kind == RecordKind::triaged && r.subject < f_.res.incidents.size()) {
          best = std::max(best, static_cast<int>(std::lround(r.value)));
          if (!reached && r.value + 0.5 >= need) reached = r.time;
        }
      severity_note = reached ? format("triage first rated an incident at severity %d or more (the threshold of ", need) +
                                    f_.level(target) + ") at " + clock(*reached)
                              : format("no incident was triaged at severity %d or more (the threshold of ", need) +
                                    f_.level(target) + format("; highest %d)", best);
    }
    s.analysis = segments.empty() ? (hit && !through.empty() ? "The escalation was decided (" + through + ") before " +
                                                                   f_.org(f_.triage) + " had triaged a report."
                                                             : std::string("The trace holds no outage before the escalation."))
                                  : std::string();
    if (!segments.empty() && !through.empty()) s.analysis = "The escalation came through decision " + through + ".";
    for (const auto& [h, text] : segments) {
      if (!s.analysis.empty()) s.analysis += " ";
      s.analysis += format("%.1f h", h) + " " + text + ".";
    }
    if (!decision_notes.empty()) s.analysis += " Escalation decisions: " + report_text::join(decision_notes, "; ") + ".";
    const auto largest = std::max_element(segments.begin(), segments.end(),
                                          [](const auto& a, const auto& b) { return a.first < b.first; });
    if (largest == segments.end()) {
      s.root_cause = "Not established from the trace (no outage preceded the escalation).";
      s.action = "Review the escalation thresholds with " + f_.org(f_.triage) + ".";
      s.element = CapabilityElement::planning;
      s.responsible = f_.triage;
    } else if (largest == segments.begin() && f_.first_outage && csirt_first && *csirt_first > *f_.first_outage) {
      s.root_cause = format("Late knowledge: the largest share of the delay (%.1f h) passed ", largest->first) +
                     largest->second + ".";
      s.action = "Give the operators of the affected sectors a direct, mandatory reporting line to " + f_.org(f_.triage) +
                 " and the crisis centre for outages of critical assets.";
      s.element = CapabilityElement::planning;
      s.responsible = f_.triage;
    } else if (largest->second.rfind("in ", 0) == 0) {
      s.root_cause = format("Triage: the largest share of the delay (%.1f h) passed ", largest->first) + largest->second + ".";
      s.action = "Fast-track reports of outages at critical assets past the routine triage queue of " + f_.org(f_.triage) + ".";
      s.element = CapabilityElement::organisation;
      s.responsible = f_.triage;
    } else if (decision_owner != kNone) {
      s.root_cause = format("Thresholds and decisions: the largest share of the delay (%.1f h) passed ", largest->first) +
                     largest->second + "; " + severity_note + ", and an escalation decision chose a lower level than it could.";
      s.action = "Agree escalation criteria in advance and rehearse the escalation decision with " + f_.org(decision_owner) + ".";
      s.element = CapabilityElement::training;
      s.responsible = decision_owner;
    } else {
      s.root_cause = format("Thresholds: the largest share of the delay (%.1f h) passed ", largest->first) + largest->second +
                     "; " + severity_note + ".";
      s.action = "Review the thresholds of " + (crisis ? std::string("the crisis levels") : std::string("the national-incident level")) +
                 " so that outages of critical assets escalate without waiting for population totals.";
      s.element = CapabilityElement::planning;
      s.responsible = crisis && f_.crisis != kNone ? f_.crisis : f_.triage;
    }
    return s;
  }

  FindingDraft contain() const {
    FindingDraft s;
    if (f_.contained.empty()) {
      s.observation = "No asset was contained or isolated during the run.";
    } else {
      const TraceRecord* r = f_.contained.front();
      s.observation = "The first containment was at " + clock(r->time) + " (" + hours(r->time.to_hours()) + "): " +
                      f_.asset(r->subject) + " contained by " + f_.org(r->actor) + " through " +
                      f_.cause(r->cause_kind, r->cause) + format("; %zu containments in all.", f_.contained.size());
    }
    Index first_asset = kNone;
    const auto first = f_.first_compromise_any(&first_asset);
    const Index inc = f_.first_incident();
    std::vector<std::string> parts;
    if (!f_.contained.empty() && first)
      parts.push_back(format("%.1f h after the first compromise", (f_.contained.front()->time - *first).to_hours()));
    if (!f_.contained.empty() && inc != kNone)
      parts.push_back(format("%.1f h after the first detection", (f_.contained.front()->time - f_.res.incidents[inc].detected).to_hours()));
    if (!parts.empty()) s.analysis = "Containment came " + join_and(parts) + ".";
    if (!f_.blocked_attack_steps.empty())
      s.analysis += " It stopped " + plural(static_cast<long>(f_.blocked_attack_steps.size()), "attack step", "attack steps") +
                    " (their targets were contained).";
    std::set<Index> after_steps;
    for (const TraceRecord* r : f_.succeeded_steps)
      if (!f_.contained.empty() && r->time > f_.contained.front()->time) after_steps.insert(r->subject);
    const int after = static_cast<int>(after_steps.size());
    if (after > 0) s.analysis += " " + plural(after, "attack step", "attack steps") + " still succeeded after it.";
    s.responsible = f_.triage;
    if (!f_.contained.empty()) {
      const TraceRecord* r = f_.contained.front();
      s.responsible = r->actor;
      if (r->cause_kind == CauseKind::decision && r->cause < f_.sc.decisions.size()) {
        const DecisionEntry* e = f_.journal.find_or_null(f_.sc.decisions[r->cause].id);
        if (e != nullptr)
          s.root_cause = "Containment waited for decision " + f_.sc.decisions[r->cause].id + ", which opened at " +
                         clock(e->opened) + " (triggered by the impact, not the detection) and was taken at " + clock(e->time) + ".";
        s.action = "Pre-authorise the containment measure of " + f_.sc.decisions[r->cause].id +
                   " so it can be ordered at the first detection of an intrusion, before the impact.";
      } else {
        s.root_cause = "Containment came from " + f_.cause(r->cause_kind, r->cause) + ".";
        s.action = "Start the containment procedure at the first detection of an intrusion rather than at the impact.";
      }
    } else {
      s.root_cause = "No containment effect was triggered in the plan or by a decision.";
      s.action = "Add a containment step to the plan, triggered by the detection of an intrusion.";
    }
    s.element = CapabilityElement::planning;
    return s;
  }

  FindingDraft recover() const {
    FindingDraft s;
    const auto v = f_.metric(metric::time_to_recover);
    std::vector<Index> down;
    for (Index a = 0; a < f_.sc.assets.size(); ++a)
      if (f_.final_level[a] < kFullService) down.push_back(a);
    std::sort(down.begin(), down.end(), [&](Index a, Index b) {
      const double pa = people_served(f_.sc, a), pb = people_served(f_.sc, b);
      return pa != pb ? pa > pb : a < b;
    });
    if (v) {
      s.observation = "Every asset was back at full service at " + clock(from_hours(*v)) + " (" + hours(v) + ").";
    } else {
      s.observation = "At the end of the run (" + clock(f_.res.end) + ") " +
                      plural(static_cast<long>(down.size()), "asset was", "assets were") + " still below full service";
      std::vector<std::string> names;
      for (std::size_t i = 0; i < down.size() && i < 5; ++i)
        names.push_back(f_.asset(down[i]) + format(" (%.0f %%)", f_.final_level[down[i]] * 100));
      if (!names.empty()) s.observation += ": " + join_and(names) + (down.size() > 5 ? " and others" : "");
      s.observation += ".";
    }
    std::vector<std::string> rebuilt;
    std::set<Index> operators;
    for (Index a : down) {
      if (f_.first_compromise[a] && (f_.compromise_effect[a] == 3 || f_.compromise_effect[a] == 4)) {
        rebuilt.push_back(f_.asset(a) + " (" + attack_effect_text(f_.compromise_effect[a]) + format(", mean rebuild %.1f h)", f_.sc.assets[a].restore.mean().to_hours()));
      }
      operators.insert(f_.sc.assets[a].operator_org);
    }
    if (!rebuilt.empty()) {
      s.analysis = "Assets destroyed by the attacker need rebuilding: " + join_and(rebuilt) + ".";
      s.root_cause = "Destructive attack effects (wipe/encrypt) outlast the exercise window: systems are rebuilt, not restarted.";
      s.action = "Keep offline images and spare equipment for " + join_and([&] {
                   std::vector<std::string> n;
                   for (Index o : operators) n.push_back(f_.org(o));
                   return n;
                 }()) + " so rebuilt systems return within a day.";
      s.element = CapabilityElement::equipment;
    } else if (!down.empty()) {
      s.analysis = "The remaining degradations follow from dependencies or timed effects still in force at the end.";
      s.root_cause = "Recovery of the listed assets had not completed when the run ended; the trace does not show a "
                     "restoring action for them.";
      s.action = "Add restoration steps for the listed assets to the plan.";
      s.element = CapabilityElement::planning;
    } else {
      s.analysis = "All outages ended within the run.";
      s.root_cause = "";
      s.action = "Keep the restoration arrangements.";
    }
    s.responsible = operators.empty() ? f_.triage : *operators.begin();
    return s;
  }

  FindingDraft impact() const {
    FindingDraft s;
    s.observation = "At the peak " + thousands(f_.metric(metric::peak_population_affected).value_or(0)) +
                    " distinct people were affected (each counted once: someone without power and without mobile "
                    "service counts once), " +
                    plural(std::lround(f_.metric(metric::peak_outages).value_or(0)), "asset was", "assets were") +
                    " below full service at once and " +
                    plural(std::lround(f_.metric(metric::sectors_affected).value_or(0)), "sector", "sectors") +
                    " had an outage at once.";
    std::vector<std::pair<double, std::string>> sectors;
    for (Index i = 0; i < f_.sc.sectors.size() && i < f_.res.sector_population_hours.size(); ++i)
      if (f_.res.sector_population_hours[i] > 0) sectors.push_back({f_.res.sector_population_hours[i], f_.sector(i)});
    std::sort(sectors.begin(), sectors.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<std::string> top;
    for (std::size_t i = 0; i < sectors.size() && i < 3; ++i)
      top.push_back(sectors[i].second + " " + thousands(sectors[i].first));
    double total = 0, cascade = 0;
    std::vector<Index> assets;
    for (Index a = 0; a < f_.sc.assets.size(); ++a) {
      total += f_.pop_hours[a];
      if (f_.degraded_cause_kind[a] == CauseKind::asset) cascade += f_.pop_hours[a];
      if (f_.pop_hours[a] > 0) assets.push_back(a);
    }
    std::sort(assets.begin(), assets.end(), [&](Index a, Index b) {
      return f_.pop_hours[a] != f_.pop_hours[b] ? f_.pop_hours[a] > f_.pop_hours[b] : a < b;
    });
    if (!top.empty()) s.analysis = "Person-hours lost by sector: " + join_and(top) + ".";
    if (total > 0) {
      std::vector<std::string> worst;
      for (std::size_t i = 0; i < assets.size() && i < 3; ++i)
        worst.push_back(f_.asset(assets[i]) + " (" + percent(f_.pop_hours[assets[i]] / total) + ")");
      s.analysis += " The largest contributors were " + join_and(worst) + "; " + percent(cascade / total) +
                    " of the loss fell on assets that failed through a dependency rather than by direct attack.";
    }
    if (total > 0 && cascade / total >= 0.5) {
      s.root_cause = "The cascade: most of the loss came from dependent services that failed when their suppliers did "
                     "(buffers ran out or were absent).";
      s.action = "Extend backup power and redundant supply for the largest dependent contributors (" +
                 (assets.empty() ? std::string("dependent services") : f_.asset(assets.front())) + ").";
      s.element = CapabilityElement::equipment;
    } else if (total > 0) {
      s.root_cause = "Direct attack effects: most of the loss fell on assets the attacker hit directly.";
      s.action = "Shorten restoration of directly attacked services (manual fallback, pre-staged crews) at " +
                 (assets.empty() ? std::string("the targeted operators") : f_.org(f_.sc.assets[assets.front()].operator_org)) + ".";
      s.element = CapabilityElement::planning;
    } else {
      s.root_cause = "";
      s.action = "No service was lost.";
    }
    s.responsible = assets.empty() ? f_.triage : f_.sc.assets[assets.front()].operator_org;
    return s;
  }

  FindingDraft obligations() const {
    FindingDraft s;
    int met = 0, missed = 0, running = 0;
    for (const ObligationClock& c : f_.res.metrics.obligations) {
      met += c.state == ObligationClock::State::met;
      missed += c.state == ObligationClock::State::missed;
      running += c.state == ObligationClock::State::running;
    }
    s.observation = format("%d of %d reporting clocks that ended were met", met, met + missed);
    if (running > 0) s.observation += format(" (%d still running at the end)", running);
    s.observation += ".";
    std::vector<std::string> missed_notes;
    std::vector<std::string> causes;
    Index recipient = kNone;
    std::vector<std::string> recipients;
    for (const ObligationClock& c : f_.res.metrics.obligations) {
      if (c.state != ObligationClock::State::missed || c.obligation >= f_.sc.plan.obligations.size()) continue;
      const Obligation& ob = f_.sc.plan.obligations[c.obligation];
      const Index to = ob.to == kNone ? f_.triage : ob.to;
      if (recipient == kNone) recipient = to;
      if (std::find(recipients.begin(), recipients.end(), f_.org(to)) == recipients.end()) recipients.push_back(f_.org(to));
      const auto knew = f_.knew_operator(to, c.org);
      std::string note = f_.org(c.org) + " missed '" + (ob.name.empty() ? ob.id : ob.name) + "' (due " + clock(c.due) + "): " +
                         f_.org(to) + (knew ? " learned of its incident at " + clock(*knew) : std::string(" never learned of its incident"));
      missed_notes.push_back(note);
      std::vector<const Channel*> direct;
      for (const Channel& ch : f_.sc.channels)
        if (ch.to == to && std::find(ch.from.begin(), ch.from.end(), c.org) != ch.from.end()) direct.push_back(&ch);
      if (direct.empty()) {
        causes.push_back("no reporting channel from " + f_.org(c.org) + " to " + f_.org(to) +
                         " in the plan (it could learn only by forwarding)");
      } else if (!knew) {
        causes.push_back(f_.org(c.org) + "'s report over " + direct.front()->id + " was never sent (coverage " +
                         format("%.2f", direct.front()->coverage) + ")");
      } else {
        causes.push_back(f_.org(c.org) + "'s report arrived after the deadline");
      }
    }
    if (!missed_notes.empty()) s.analysis = "Missed: " + report_text::join(missed_notes, "; ") + ".";
    else s.analysis = "Every clock that ended was met by a report reaching its recipient in time.";
    std::sort(causes.begin(), causes.end());
    causes.erase(std::unique(causes.begin(), causes.end()), causes.end());
    if (!causes.empty()) {
      s.root_cause = "Root causes in the trace: " + report_text::join(causes, "; ") + ".";
      s.action = "Establish mandatory reporting channels from every obliged operator to " + join_and(recipients) +
                 " and rehearse the notification deadlines with them.";
    } else {
      s.root_cause = "";
      s.action = "Keep the reporting arrangements.";
    }
    s.element = CapabilityElement::planning;
    s.responsible = recipient == kNone ? f_.triage : recipient;
    return s;
  }

  FindingDraft decisions() const {
    FindingDraft s;
    int late = 0;
    std::vector<std::string> notes;
    Index owner = kNone;
    for (const DecisionEntry& e : f_.journal.entries) {
      const auto d = std::find_if(f_.sc.decisions.begin(), f_.sc.decisions.end(), [&](const Decision& x) { return x.id == e.decision; });
      if (d == f_.sc.decisions.end()) continue;
      if (e.on_time) continue;
      ++late;
      if (owner == kNone) owner = d->owner;
      notes.push_back(d->id + " ('" + d->question + "', owner " + f_.org(d->owner) + ") opened at " + clock(e.opened) +
                      " with a " + format_duration(d->deadline) + " deadline and was taken at " + clock(e.time) +
                      " (" + who_text(e.who) + ")");
    }
    const int taken = static_cast<int>(f_.journal.entries.size());
    s.observation = format("%d of %d decisions were taken by their deadline.", taken - late, taken);
    int never = 0;
    for (const Decision& d : f_.sc.decisions)
      if (f_.journal.find_or_null(d.id) == nullptr) ++never;
    if (never > 0) s.observation += " " + plural(never, "decision point never opened", "decision points never opened") + ".";
    s.analysis = late > 0 ? "Late: " + report_text::join(notes, "; ") + "." : "Every decision taken was on time.";
    s.responsible = owner == kNone ? f_.triage : owner;
    if (late > 0) {
      s.root_cause = "The owners were not available or did not decide before the deadline (calendar and call-out of the "
                     "owning organisations, or no choice made).";
      s.action = "Rehearse the late decisions with their owners and agree a delegate who can decide out of hours.";
      s.element = CapabilityElement::training;
    } else {
      s.action = "Keep the decision arrangements.";
      s.element = CapabilityElement::training;
    }
    return s;
  }

  FindingDraft coverage() const {
    FindingDraft s;
    const PlanCoverage& c = f_.res.metrics.coverage;
    s.observation = format("%d steps never ran, %d were blocked and %d missed a deadline at least once.", c.never_fired,
                           c.blocked, c.timed_out);
    if (auto v = c.completed_fraction()) s.observation = percent(*v) + " of the plan's steps completed at least once; " + s.observation;
    s.analysis = "Steps that never ran belong to procedures whose trigger did not occur in this scenario; see Plan coverage.";
    s.root_cause = c.blocked > 0 ? "Blocked steps lacked staff or waited for an organisation to open."
                                 : "Parts of the plan address other scenarios.";
    s.action = "Review the blocked and timed-out steps (see the systemic issues).";
    s.element = CapabilityElement::planning;
    s.responsible = f_.triage;
    return s;
  }

  FindingDraft severity() const {
    FindingDraft s;
    s.observation = "The highest national severity assessed was " + metric_value_text(std::string(metric::max_severity), f_.metric(metric::max_severity)) +
                    " (0-5, US CISS levels).";
    s.analysis = "Severity is assessed from " + f_.org(f_.triage) + "'s picture of triaged incidents.";
    s.root_cause = "Assessed severity depends on what reached the CSIRT (see Known versus true).";
    s.action = "Compare the assessed severity with the true impact in the after-action meeting.";
    s.element = CapabilityElement::exercise;
    s.responsible = f_.triage;
    return s;
  }
};

}  // namespace

FindingDraft metric_finding(const TraceFacts& f, const std::string& metric) { return MetricFindings(f).of(metric); }

}  // namespace cyberdrill::report_build
