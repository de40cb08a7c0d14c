// TraceFacts: one pass over a recorded run's trace (see trace_facts.hpp).
#include "trace_facts.hpp"

namespace cyberdrill::report_build {

const char* org_kind_name(OrgKind k) {
  switch (k) {
    case OrgKind::csirt: return "CSIRT";
    case OrgKind::crisis_centre: return "crisis centre";
    case OrgKind::authority: return "authority";
    case OrgKind::operator_: return "operator";
    case OrgKind::police: return "police";
    case OrgKind::intelligence: return "intelligence";
    case OrgKind::liaison: return "liaison";
    case OrgKind::government: return "government";
    case OrgKind::other: return "other";
  }
  return "other";
}

std::string attack_effect_text(std::uint32_t e) { return std::string(attack_effect_name(e, "effect")); }

/// A name for running text: a trailing parenthetical gloss is dropped ("Energy Inspectorate
/// (sector authority, energy)" -> "Energy Inspectorate"); tables keep the full name.
std::string short_name(const std::string& name) {
  if (name.size() < 4 || name.back() != ')') return name;
  int depth = 0;
  for (std::size_t i = name.size(); i-- > 0;) {
    if (name[i] == ')') ++depth;
    if (name[i] == '(' && --depth == 0) {
      if (i < 2 || name[i - 1] != ' ') return name;
      return name.substr(0, i - 1);
    }
  }
  return name;
}

/// How a decision was taken, from the recorded journal's `who`.
std::string who_text(const std::string& who) {
  if (who == "policy") return "the default option, taken as soon as the owner could act";
  if (who == "override") return "chosen for this run (--decide)";
  if (who == "default") return "default applied at the deadline: nobody chose";
  if (who == "journal") return "replayed from a journal";
  return "chosen by " + who;
}

void TraceFacts::scan() {
  const std::size_t na = sc.assets.size();
  first_compromise.assign(na, std::nullopt);
  first_degraded.assign(na, std::nullopt);
  first_attacked.assign(na, std::nullopt);
  compromise_effect.assign(na, 0);
  compromise_step.assign(na, kNone);
  attacked_step.assign(na, kNone);
  first_degraded_level.assign(na, 1.0);
  final_level.assign(na, 1.0);
  pop_hours.assign(na, 0.0);
  degraded_cause_kind.assign(na, CauseKind::none);
  degraded_cause.assign(na, kNone);
  reported_to_triage.assign(res.incidents.size(), std::nullopt);
  reported_to_triage_from.assign(res.incidents.size(), kNone);
  std::vector<SimTime> level_since(na, SimTime::zero());

  for (const TraceRecord& r : res.records) {
    switch (r.kind) {
      case RecordKind::asset_level: {
        if (r.subject >= na) break;
        const Index a = r.subject;
        pop_hours[a] += people_served(sc, a) * (1.0 - final_level[a]) * (r.time - level_since[a]).to_hours();
        level_since[a] = r.time;
        final_level[a] = r.value;
        if (r.value < kFullService && !first_degraded[a]) {
          first_degraded[a] = r.time;
          first_degraded_level[a] = r.value;
          degraded_cause_kind[a] = r.cause_kind;
          degraded_cause[a] = r.cause;
          if (!first_outage) {
            first_outage = r.time;
            first_outage_asset = a;
          }
        }
        break;
      }
      case RecordKind::asset_compromised:
        if (r.subject < na && !first_compromise[r.subject]) {
          first_compromise[r.subject] = r.time;
          compromise_effect[r.subject] = r.detail;
          compromise_step[r.subject] = r.cause_kind == CauseKind::attack_step ? r.cause : kNone;
        }
        break;
      case RecordKind::attack_step_started:
        if (const AttackStep* s = attack_step_or_null(r.subject))
          for (Index a : s->targets)
            if (a < na && !first_attacked[a]) {
              first_attacked[a] = r.time;
              attacked_step[a] = r.subject;
            }
        break;
      case RecordKind::attack_step_succeeded: succeeded_steps.push_back(&r); break;
      case RecordKind::attack_step_blocked: blocked_attack_steps.push_back(&r); break;
      case RecordKind::attack_detected:
        if (r.value < 0.5) ++hidden_detections;
        break;
      case RecordKind::knowledge: first_known.emplace(std::make_pair(r.actor, r.subject), r.time); break;
      case RecordKind::reported:
        if (r.actor == triage && r.subject < reported_to_triage.size() && !reported_to_triage[r.subject]) {
          reported_to_triage[r.subject] = r.time;
          reported_to_triage_from[r.subject] = r.detail;
        }
        break;
      case RecordKind::escalated:
      case RecordKind::deescalated: escalations.push_back(&r); break;
      case RecordKind::asset_contained: contained.push_back(&r); break;
      case RecordKind::step_blocked: {
        auto it = std::find_if(blocked_steps.begin(), blocked_steps.end(),
                               [&](const BlockedStep& b) { return b.step == r.subject && b.reason == r.detail; });
        if (it == blocked_steps.end()) blocked_steps.push_back({r.subject, r.actor, r.detail, 1, r.time});
        else ++it->count;
        break;
      }
      case RecordKind::step_timed_out: {
        auto it = std::find_if(timed_out.begin(), timed_out.end(), [&](const TimedOut& b) { return b.step == r.subject; });
        if (it == timed_out.end()) timed_out.push_back({r.subject, r.actor, 1, r.time});
        else ++it->count;
        break;
      }
      default: break;
    }
  }
  for (Index a = 0; a < na; ++a)
    pop_hours[a] += people_served(sc, a) * (1.0 - final_level[a]) * std::max(0.0, (res.end - level_since[a]).to_hours());
}

}  // namespace cyberdrill::report_build
