#include "timeline.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

namespace cyberdrill::viz {

std::string tick_label(SimTime t) {
  const std::int64_t min = t.us() / 60'000'000;
  const std::int64_t d = min / (24 * 60), h = (min / 60) % 24, m = min % 60;
  std::string s = "T+";
  if (d > 0) s += std::to_string(d) + "d";
  if (h > 0) s += (d > 0 ? " " : "") + std::to_string(h) + "h";
  if (m > 0) s += (d > 0 || h > 0 ? " " : "") + std::to_string(m) + "m";
  if (d == 0 && h == 0 && m == 0) s += "0";
  return s;
}

std::string clock_label(SimTime t) {
  const bool negative = t.us() < 0;
  const std::int64_t min = (negative ? -t.us() : t.us()) / 60'000'000;
  const std::int64_t d = min / (24 * 60), h = (min / 60) % 24, m = min % 60;
  char buf[48];
  if (d > 0)
    std::snprintf(buf, sizeof buf, "T%c%lldd %02lld:%02lld", negative ? '-' : '+', static_cast<long long>(d),
                  static_cast<long long>(h), static_cast<long long>(m));
  else
    std::snprintf(buf, sizeof buf, "T%c%02lld:%02lld", negative ? '-' : '+', static_cast<long long>(h),
                  static_cast<long long>(m));
  return buf;
}

std::string short_name(const std::string& name, const std::string& fallback) {
  if (name.empty()) return fallback;
  if (!name.empty() && name.back() == ')') {
    const std::size_t open = name.rfind(" (");
    if (open != std::string::npos && open >= 8) return name.substr(0, open);
  }
  return name;
}

std::vector<TimeTick> time_ticks(SimTime begin, SimTime end, int max_ticks) {
  static constexpr std::array<Duration, 10> steps{Duration::minutes(15), Duration::minutes(30), Duration::hours(1),
                                                  Duration::hours(2),    Duration::hours(3),    Duration::hours(6),
                                                  Duration::hours(12),   Duration::days(1),     Duration::days(2),
                                                  Duration::days(7)};
  std::vector<TimeTick> out;
  if (end < begin || max_ticks < 1) return out;
  Duration step = steps.back();
  for (const Duration s : steps) {
    const std::int64_t first = (begin.us() + s.us() - 1) / s.us();
    const std::int64_t last = end.us() / s.us();
    if (last - first + 1 <= max_ticks) {
      step = s;
      break;
    }
  }
  while ((end.us() / step.us()) - (begin.us() + step.us() - 1) / step.us() + 1 > max_ticks) step = step * 2;
  for (std::int64_t k = (begin.us() + step.us() - 1) / step.us(); k * step.us() <= end.us(); ++k) {
    const SimTime t = SimTime::from_us(k * step.us());
    out.push_back(TimeTick{t, tick_label(t)});
  }
  return out;
}

double TimeAxis::fraction(SimTime t) const {
  const double e = static_cast<double>(std::max<std::int64_t>(end.us(), 1));
  const double x = std::clamp(static_cast<double>(t.us()), 0.0, e);
  if (!broken()) return x / e;
  const double f = static_cast<double>(std::max<std::int64_t>(focus_end.us(), 1));
  if (x <= f) return focus_share * x / f;
  return focus_share + (1 - focus_share) * (x - f) / (e - f);
}

double TimeAxis::compression() const {
  if (!broken() || focus_end.us() <= 0 || focus_share >= 1) return 1.0;
  const double focus_rate = static_cast<double>(focus_end.us()) / focus_share;
  const double tail_rate = static_cast<double>(end.us() - focus_end.us()) / (1 - focus_share);
  return tail_rate / focus_rate;
}

std::vector<TimeTick> TimeAxis::ticks(int max_focus, int max_tail) const {
  if (!broken()) return time_ticks(SimTime::zero(), end, max_focus + max_tail);
  std::vector<TimeTick> out = time_ticks(SimTime::zero(), focus_end, max_focus);
  if (out.empty() || out.back().at != focus_end) out.push_back(TimeTick{focus_end, tick_label(focus_end)});
  const double min_gap = (1 - focus_share) / 5;
  for (const TimeTick& t : time_ticks(focus_end, end, max_tail))
    if (fraction(t.at) - focus_share >= min_gap - 1e-12) out.push_back(t);
  return out;
}

TimeAxis focus_axis(std::vector<SimTime> times, SimTime end) {
  TimeAxis axis{end, end, 1.0};
  if (end < SimTime::zero() + Duration::hours(24) || times.empty()) return axis;
  std::sort(times.begin(), times.end());
  const std::size_t rank = (times.size() * 8 + 9) / 10;  // nearest rank of the 80th percentile
  const SimTime q = times[std::min(rank, times.size()) - 1];
  static constexpr int kHours[] = {2, 3, 4, 6, 8, 12, 18, 24, 36, 48};
  for (const int h : kHours) {
    const SimTime f = SimTime::zero() + Duration::hours(h);
    if (static_cast<double>(q.us()) * 1.1 > static_cast<double>(f.us())) continue;
    if (f.us() * 3 > end.us()) break;
    axis.focus_end = f;
    axis.focus_share = 0.65;
    break;
  }
  return axis;
}

const char* lane_name(Lane lane) {
  switch (lane) {
    case Lane::attacker: return "Attacker";
    case Lane::detection: return "Detection";
    case Lane::reporting: return "Reports";
    case Lane::escalation: return "Escalation";
    case Lane::decisions: return "Decisions";
    case Lane::injects: return "Injects";
    case Lane::obligations: return "Obligations";
    case Lane::response: return "Containment";
  }
  return "";
}

namespace {

std::string asset_id(const Scenario& sc, Index a) { return a < sc.assets.size() ? sc.assets[a].id : std::string("?"); }
std::string org_id(const Scenario& sc, Index o) {
  return o < sc.organisations.size() ? sc.organisations[o].id : std::string("?");
}
std::string level_name(const Scenario& sc, Index l) {
  return l < sc.plan.levels.size() ? sc.plan.levels[l].name : std::string("level ") + std::to_string(l);
}

}  // namespace

std::vector<TimelineEvent> timeline_events(const Scenario& sc, const RunResult& run, Index observer) {
  std::vector<TimelineEvent> out;
  const RecordNames names(sc);
  auto incident_asset = [&](std::uint32_t inc) -> Index {
    return inc < run.incidents.size() ? run.incidents[inc].asset : kNone;
  };
  std::vector<std::uint8_t> goal_seen(sc.campaigns.size(), 0);
  for (const TraceRecord& r : run.records) {
    TimelineEvent e;
    e.at = r.time;
    e.kind = r.kind;
    switch (r.kind) {
      case RecordKind::attack_step_succeeded:
        e.lane = Lane::attacker;
        e.label = names.attack_step(r.subject);
        break;
      case RecordKind::campaign_goal_reached:
        // One event per campaign: the first goal it reached.
        if (r.subject < goal_seen.size() && goal_seen[r.subject]++ > 0) continue;
        e.lane = Lane::attacker;
        e.label = "goal: " + (r.subject < sc.campaigns.size() ? sc.campaigns[r.subject].id : std::string("?"));
        e.bad = true;
        break;
      case RecordKind::detected:
        if (r.subject >= kBackgroundIncidentBase) continue;
        e.lane = Lane::detection;
        e.label = asset_id(sc, incident_asset(r.subject)) + " by " + org_id(sc, r.actor);
        break;
      case RecordKind::reported:
        if (r.subject >= kBackgroundIncidentBase || (observer != kNone && r.actor != observer)) continue;
        e.lane = Lane::reporting;
        e.label = asset_id(sc, incident_asset(r.subject)) + " \u2192 " + org_id(sc, r.actor);
        break;
      case RecordKind::escalated:
        e.lane = Lane::escalation;
        e.label = "\u2191 " + level_name(sc, r.subject);
        break;
      case RecordKind::deescalated:
        e.lane = Lane::escalation;
        e.label = "\u2193 " + level_name(sc, r.subject);
        break;
      case RecordKind::decision_taken: {
        e.lane = Lane::decisions;
        if (r.subject >= sc.decisions.size()) continue;
        const Decision& d = sc.decisions[r.subject];
        e.label = d.id + ": " + (r.detail < d.options.size() ? d.options[r.detail].id : std::string("?"));
        break;
      }
      case RecordKind::inject_delivered:
        e.lane = Lane::injects;
        if (r.subject >= sc.injects.size()) continue;
        e.label = sc.injects[r.subject].id + " " + sc.injects[r.subject].synopsis;
        break;
      case RecordKind::obligation_met:
      case RecordKind::obligation_missed:
        e.lane = Lane::obligations;
        e.bad = r.kind == RecordKind::obligation_missed;
        e.label = (e.bad ? "missed " : "met ") +
                  (r.subject < sc.plan.obligations.size() ? sc.plan.obligations[r.subject].id : std::string("?")) +
                  " (" + org_id(sc, r.actor) + ")";
        break;
      case RecordKind::asset_contained:
        e.lane = Lane::response;
        e.label = "contained " + asset_id(sc, r.subject);
        break;
      case RecordKind::asset_restored:
        e.lane = Lane::response;
        e.label = "restored " + asset_id(sc, r.subject);
        break;
      default:
        continue;
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<ChartMarker> chart_markers(const Scenario& sc, const RunResult& run) {
  std::vector<ChartMarker> out;
  for (const TraceRecord& r : run.records) {
    if (r.kind == RecordKind::escalated || r.kind == RecordKind::deescalated) {
      out.push_back(ChartMarker{r.time, true,
                                std::string(r.kind == RecordKind::escalated ? "\u2191 " : "\u2193 ") +
                                    level_name(sc, r.subject)});
    } else if (r.kind == RecordKind::decision_taken && r.subject < sc.decisions.size()) {
      const Decision& d = sc.decisions[r.subject];
      out.push_back(ChartMarker{r.time, false,
                                d.id + ": " + (r.detail < d.options.size() ? d.options[r.detail].id : std::string("?"))});
    }
  }
  return out;
}

}  // namespace cyberdrill::viz
