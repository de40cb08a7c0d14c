// The causal chain of an asset's failure and recovery, read from the trace records alone.
// Contract in include/cyberdrill/replay.hpp.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unordered_set>

#include "cyberdrill/dependency_names.hpp"
#include "cyberdrill/replay.hpp"
#include "cyberdrill/world.hpp"

namespace cyberdrill {
namespace {

double old_level(const TraceRecord& r) { return r.previous_value; }

bool is_level(const TraceRecord& r, Index asset) { return r.kind == RecordKind::asset_level && r.subject == asset; }

CausalLink link_of(const std::vector<TraceRecord>& records, std::size_t k) {
  const TraceRecord& r = records[k];
  CausalLink l;
  l.record = k;
  l.asset = r.subject;
  l.at = r.time;
  l.from = old_level(r);
  l.to = r.value;
  l.cause_kind = r.cause_kind;
  l.cause = r.cause;
  return l;
}

// The supplier's change that explains a hop at record `before` (time t): its last level change in
// the direction `down` (a drop for a failure, a rise for a recovery) recorded before `before`.
std::optional<std::size_t> supplier_change(const std::vector<TraceRecord>& records, Index supplier,
                                           std::size_t before, bool down) {
  for (std::size_t k = before; k-- > 0;) {
    const TraceRecord& r = records[k];
    if (!is_level(r, supplier)) continue;
    if (down ? r.value < old_level(r) : r.value > old_level(r)) return k;
  }
  return std::nullopt;
}

// Follows the causes of record `start` back to a root; returns the links root first and whether
// the chain ended at a cause it could not follow.
std::vector<CausalLink> follow(const Scenario& sc, const std::vector<TraceRecord>& records, std::size_t start,
                               bool down, bool& unexplained) {
  std::vector<CausalLink> out;
  std::unordered_set<std::size_t> seen;
  std::size_t k = start;
  unexplained = false;
  for (;;) {
    seen.insert(k);
    CausalLink l = link_of(records, k);
    if (l.cause_kind != CauseKind::asset || l.cause >= sc.assets.size() || out.size() >= kMaxCausalHops) {
      out.push_back(l);
      break;
    }
    l.hop = true;
    if (l.asset < sc.assets.size())
      for (const Dependency& d : sc.assets[l.asset].depends_on)
        if (d.supplier == l.cause) {
          l.type = d.type;
          l.buffer = d.buffer;
          l.restart = d.restart;
          break;
        }
    const std::optional<std::size_t> prev = supplier_change(records, l.cause, k, down);
    if (!prev || seen.count(*prev) != 0) {
      l.supplier_at = l.at;
      out.push_back(l);
      unexplained = true;
      break;
    }
    l.supplier_at = records[*prev].time;
    l.delay = l.at - l.supplier_at;
    out.push_back(l);
    k = *prev;
  }
  return {out.rbegin(), out.rend()};
}

// Whole percent; one decimal when the change is under 2 points (99.5% -> 99.0%, not 99% -> 99%).
std::string pct(double v, bool fine = false) {
  char b[16];
  std::snprintf(b, sizeof b, fine ? "%.1f%%" : "%.0f%%", std::clamp(v, 0.0, 1.0) * 100);
  return b;
}

std::string clock(SimTime t) { return format_sim_time(SimTime::from_us(t.us() / 60'000'000 * 60'000'000)); }

std::string duration_text(Duration d) {
  if (d.us() <= 0) return "0";
  // Whole minutes are enough in a panel.
  return format_duration(Duration::minutes(std::max<std::int64_t>(1, (d.us() + 30'000'000) / 60'000'000)));
}

std::string root_text(const Scenario& sc, const RecordNames& names, const CausalLink& l) {
  switch (l.cause_kind) {
    case CauseKind::attack_step: {
      std::string s = "attack step " + names.attack_step(l.cause);
      Index g = 0;
      for (const Campaign& c : sc.campaigns)
        for (const AttackStep& st : c.steps) {
          if (g++ != l.cause) continue;
          if (!st.technique.empty()) s += " (" + st.technique + ")";
        }
      return s;
    }
    case CauseKind::procedure_step: return "plan step " + names.plan_step(l.cause);
    case CauseKind::organisation:
      return "operator " + (l.cause < sc.organisations.size() ? sc.organisations[l.cause].id : std::string("?")) +
             " (own repair)";
    case CauseKind::inject: return "inject " + (l.cause < sc.injects.size() ? sc.injects[l.cause].id : std::string("?"));
    case CauseKind::decision:
      return "decision " + (l.cause < sc.decisions.size() ? sc.decisions[l.cause].id : std::string("?"));
    case CauseKind::incident: return "incident " + std::to_string(l.cause);
    case CauseKind::scenario: return "the scenario's initial conditions";
    case CauseKind::asset: return "supplier " + (l.cause < sc.assets.size() ? sc.assets[l.cause].id : std::string("?"));
    case CauseKind::none: return "no recorded cause";
  }
  return "?";
}

std::vector<std::string> describe(const Scenario& sc, const RecordNames& names, const std::vector<CausalLink>& chain,
                                  bool unexplained) {
  std::vector<std::string> out;
  for (const CausalLink& l : chain) {
    const std::string asset = l.asset < sc.assets.size() ? sc.assets[l.asset].id : "?";
    const bool fine = std::abs(l.from - l.to) < 0.02;
    std::string s = clock(l.at) + "  " + asset + ": " + pct(l.from, fine) + " -> " + pct(l.to, fine);
    if (l.hop) {
      const std::string sup = l.cause < sc.assets.size() ? sc.assets[l.cause].id : "?";
      s += "  " + std::string(dependency_type_name(l.type)) + " from " + sup;
      const bool loss = l.to < l.from;
      const Duration declared = loss ? l.buffer : l.restart;
      if (declared.us() <= 0 && l.delay.us() <= 0) s += loss ? " (no buffer: at once)" : " (no restart delay: at once)";
      else if (loss) s += " (buffer " + duration_text(l.buffer) + ", held " + duration_text(l.delay) + ")";
      else s += " (restart " + duration_text(l.restart) + ", after " + duration_text(l.delay) + ")";
    } else {
      s += "  by " + root_text(sc, names, l);
    }
    out.push_back(std::move(s));
  }
  if (unexplained) out.emplace_back("(the supplier's own change is not in the trace: chain ends here)");
  return out;
}

}  // namespace

CausalChain causal_chain(const Scenario& sc, const std::vector<TraceRecord>& records, Index asset, SimTime at) {
  CausalChain c;
  c.asset = asset;
  c.at = at;
  // The last episode opening at or before `at`.
  std::optional<std::size_t> open;
  for (std::size_t k = 0; k < records.size() && records[k].time <= at; ++k) {
    const TraceRecord& r = records[k];
    if (is_level(r, asset) && old_level(r) >= kFullServiceLevel && r.value < kFullServiceLevel) open = k;
  }
  if (!open) return c;
  c.failed = true;
  // Its worst moment: the first record taking it into outage, before the episode closed.
  std::size_t fail = *open;
  std::optional<std::size_t> close;
  for (std::size_t k = *open; k < records.size(); ++k) {
    const TraceRecord& r = records[k];
    if (!is_level(r, asset)) continue;
    if (k > *open && r.value >= kFullServiceLevel) {
      close = k;
      break;
    }
    if (records[fail].value >= kOutageLevel && r.value < kOutageLevel) fail = k;
  }
  if (records[fail].time > at) fail = *open;  // the outage came after `at`: explain the opening
  c.failure = follow(sc, records, fail, true, c.failure_unexplained);
  const CausalLink& root = c.failure.front();
  if (root.cause_kind == CauseKind::attack_step) c.attack_step = root.cause;
  if (close && records[*close].time <= at) {
    c.recovered = true;
    c.recovery = follow(sc, records, *close, false, c.recovery_unexplained);
  }
  return c;
}

std::vector<std::string> describe_causal_chain(const Scenario& sc, const CausalChain& c) {
  const RecordNames names(sc);
  std::vector<std::string> out;
  const std::string id = c.asset < sc.assets.size() ? sc.assets[c.asset].id : "?";
  if (!c.failed) {
    out.push_back(id + " stayed at full service up to " + clock(c.at));
    return out;
  }
  out.emplace_back("Why it failed");
  for (std::string& s : describe(sc, names, c.failure, c.failure_unexplained)) out.push_back(std::move(s));
  if (c.recovered) {
    out.emplace_back("Why it came back");
    for (std::string& s : describe(sc, names, c.recovery, c.recovery_unexplained)) out.push_back(std::move(s));
  } else {
    out.push_back("Not back at full service by " + clock(c.at));
  }
  return out;
}

}  // namespace cyberdrill
