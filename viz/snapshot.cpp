#include "snapshot.hpp"

#include "cyberdrill/impact.hpp"

namespace cyberdrill::viz {

Index observer_org(const Scenario& scenario, const std::vector<TraceRecord>& records) {
  Index any = kNone;
  for (const TraceRecord& r : records) {
    if (r.kind != RecordKind::triaged || r.actor == kNone || r.actor >= scenario.organisations.size()) continue;
    if (r.subject < kBackgroundIncidentBase) return r.actor;
    if (any == kNone) any = r.actor;
  }
  if (any != kNone) return any;
  for (Index i = 0; i < scenario.organisations.size(); ++i)
    if (scenario.organisations[i].kind == OrgKind::csirt) return i;
  return kNone;
}

Snapshot snapshot_at(const Scenario& scenario, const std::vector<TraceRecord>& records, SimTime at, Index observer) {
  const std::size_t n = scenario.assets.size();
  Snapshot s;
  s.at = at;
  s.observer = observer;
  s.level.assign(n, 1.0);
  s.compromised.assign(n, 0);
  s.contained.assign(n, 0);
  s.believed.assign(n, std::nullopt);
  for (const TraceRecord& r : records) {
    if (r.time > at) break;
    const bool asset_subject = r.subject < n;
    switch (r.kind) {
      case RecordKind::asset_level:
        if (asset_subject) s.level[r.subject] = r.value;
        break;
      case RecordKind::asset_compromised:
        if (asset_subject) s.compromised[r.subject] = 1;
        break;
      case RecordKind::asset_contained:
        if (asset_subject) s.contained[r.subject] = 1;
        break;
      case RecordKind::knowledge:
        if (asset_subject && observer != kNone && r.actor == observer) s.believed[r.subject] = r.value;
        break;
      case RecordKind::escalated:
      case RecordKind::deescalated:
        s.escalation = r.subject;
        break;
      default:
        break;
    }
  }
  s.population_affected = ImpactModel(scenario).evaluate_all(s.level).people;  // distinct people
  for (std::size_t i = 0; i < n; ++i) {
    if (s.level[i] < kFullService) ++s.below_full;
    if (s.level[i] < 0.5) ++s.in_outage;
    if (s.believed[i] && *s.believed[i] < kFullService) ++s.known_below_full;
  }
  return s;
}

Peak peak_population(const Scenario& scenario, const std::vector<TraceRecord>& records) {
  const std::size_t n = scenario.assets.size();
  ImpactModel impact(scenario);  // distinct people, as the run counts them
  double affected = 0;
  Peak peak;
  for (std::size_t k = 0; k < records.size(); ++k) {
    const TraceRecord& r = records[k];
    if (r.kind == RecordKind::asset_level && r.subject < n) {
      impact.set_level(r.subject, r.value);
      affected = impact.people_affected();
    }
    const bool end_of_instant = k + 1 == records.size() || records[k + 1].time != r.time;
    // Compare with a relative tolerance so float noise of the running sum cannot move the peak.
    if (end_of_instant && affected > peak.population * (1 + 1e-9) + 1e-6) {
      peak.population = affected;
      peak.at = r.time;
    }
  }
  return peak;
}

}  // namespace cyberdrill::viz
