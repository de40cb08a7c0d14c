// Helpers for the response tests: a scenario builder (plain structs, no JSON) and a fake world
// that records what the response asks of it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "cyberdrill/calendar.hpp"
#include "cyberdrill/engine.hpp"
#include "cyberdrill/response.hpp"
#include "cyberdrill/scenario.hpp"
#include "cyberdrill/trace.hpp"

namespace cyberdrill::test {

using namespace cyberdrill::literals;

/// T+0 = Tuesday 2026-03-10 09:00 in Brussels (08:00 UTC).
inline std::int64_t brussels_start() { return days_from_civil(2026, 3, 10) * 86'400 + 8 * 3'600; }

inline SimTime T(Duration d) { return SimTime::zero() + d; }

inline Calendar office_hours(bool on_call = false, Duration callout = Duration::zero()) {
  Calendar c;
  c.always = false;
  c.weekdays = 0x1F;
  c.open = 9_h + 30_min;
  c.close = 16_h + 30_min;
  c.on_call = on_call;
  c.callout = callout;
  return c;
}

struct Builder {
  Scenario sc;

  Builder() {
    sc.metadata.name = "test";
    sc.metadata.time_zone = "Europe/Brussels";
    sc.metadata.start_utc_s = brussels_start();
    sc.metadata.duration = 10_d;
  }
  Index org(const std::string& id, OrgKind kind, int staff, Calendar cal = Calendar{}) {
    Organisation o;
    o.id = id;
    o.name = id;
    o.kind = kind;
    o.staff = staff;
    o.calendar = std::move(cal);
    sc.organisations.push_back(o);
    return static_cast<Index>(sc.organisations.size() - 1);
  }
  Index sector(const std::string& id) {
    sc.sectors.push_back(Sector{id, id, {}});
    return static_cast<Index>(sc.sectors.size() - 1);
  }
  Index asset(const std::string& id, Index sector, Index op, std::uint64_t population) {
    Asset a;
    a.id = id;
    a.name = id;
    a.sector = sector;
    a.operator_org = op;
    a.population = population;
    sc.assets.push_back(a);
    return static_cast<Index>(sc.assets.size() - 1);
  }
  Index channel(const std::string& id, std::vector<Index> from, Index to, double coverage, DurationDist latency) {
    Channel c;
    c.id = id;
    c.from = std::move(from);
    c.to = to;
    c.coverage = coverage;
    c.latency = latency;
    sc.channels.push_back(c);
    return static_cast<Index>(sc.channels.size() - 1);
  }
  Index level(const std::string& id, int rank, int min_severity = 99, std::uint64_t min_population = 0,
              int min_sectors = 0, Duration deescalate_after = Duration::zero()) {
    EscalationLevel l;
    l.id = id;
    l.name = id;
    l.rank = rank;
    l.min_severity = min_severity;
    l.min_population = min_population;
    l.min_sectors = min_sectors;
    l.deescalate_after = deescalate_after;
    sc.plan.levels.push_back(l);
    return static_cast<Index>(sc.plan.levels.size() - 1);
  }
  /// Triage at `org` with a fixed service time and no background arrivals.
  void triage(Index org, Duration service) {
    sc.background.org = org;
    sc.background.rate_per_day = 0;
    sc.background.service = DurationDist::fixed(service);
  }
};

/// A world that records the effects asked of it. When `response` is set, fail_asset and
/// degrade_asset feed the new level back as ground truth (population = the asset's own).
struct FakeWorld final : ResponseWorld {
  struct Call {
    std::string what;
    Index target;
    double value;
    EffectSource source;
    SimTime at;
  };
  const Scenario* sc = nullptr;
  Response* response = nullptr;
  std::vector<Call> calls;

  void record(Simulation& sim, const char* what, Index target, double value, const EffectSource& s) {
    calls.push_back(Call{what, target, value, s, sim.now()});
  }
  void contain(Simulation& sim, Index a, const EffectSource& s) override { record(sim, "contain", a, 0, s); }
  void isolate(Simulation& sim, Index a, const EffectSource& s) override { record(sim, "isolate", a, 0, s); }
  void fail_over(Simulation& sim, Index a, const EffectSource& s) override { record(sim, "fail_over", a, 0, s); }
  void restore(Simulation& sim, Index a, const EffectSource& s) override {
    record(sim, "restore", a, 1, s);
    feed(sim, a, 1.0);
  }
  void fail_asset(Simulation& sim, Index a, const EffectSource& s) override {
    record(sim, "fail_asset", a, 0, s);
    feed(sim, a, 0.0);
  }
  void degrade_asset(Simulation& sim, Index a, double level, const EffectSource& s) override {
    record(sim, "degrade_asset", a, level, s);
    feed(sim, a, level);
  }
  void start_campaign(Simulation& sim, Index c, const EffectSource& s) override {
    record(sim, "start_campaign", c, 0, s);
  }
  void feed(Simulation& sim, Index a, double level) {
    if (!response || !sc) return;
    const auto pop = static_cast<std::uint64_t>(static_cast<double>(sc->assets[a].population) * (1.0 - level));
    response->on_outage_changed(sim, a, level, pop, level < 1.0 ? 1 : 0);
  }
  [[nodiscard]] std::size_t count(const std::string& what) const {
    return static_cast<std::size_t>(
        std::count_if(calls.begin(), calls.end(), [&](const Call& c) { return c.what == what; }));
  }
};

/// Calls a function at a given time (to script world inputs).
struct Script final : EventHandler {
  std::vector<std::pair<SimTime, std::function<void(Simulation&)>>> actions;
  HandlerId id = 0;
  void install(Simulation& sim) {
    id = sim.add_handler(*this);
    for (std::size_t i = 0; i < actions.size(); ++i) sim.schedule_at(actions[i].first, id, 0, i, Priority::world);
  }
  void handle(Simulation& sim, const Event& ev) override { actions[ev.arg].second(sim); }
};

/// One response on its own simulation, with a recorder and a script of world inputs.
struct Run {
  Simulation sim;
  TraceRecorder rec;
  FakeWorld world;
  DefaultDecisionPolicy default_policy;
  Response resp;
  Script script;
  Fingerprint fingerprint;
  explicit Run(const Scenario& sc, std::uint64_t seed = 7, const DecisionPolicy* policy = nullptr,
               ResponseOptions opt = {})
      : resp(sc, seed, world, policy ? *policy : default_policy, opt) {
    world.sc = &sc;
    world.response = &resp;
    sim.add_trace_observer(rec);
    sim.add_trace_observer(fingerprint);
  }
  void go(SimTime until) {
    resp.start(sim);
    script.install(sim);
    sim.run_until(until);
  }
};

inline std::vector<TraceRecord> of_kind(const std::vector<TraceRecord>& recs, RecordKind k) {
  std::vector<TraceRecord> out;
  for (const auto& r : recs)
    if (r.kind == k) out.push_back(r);
  return out;
}

}  // namespace cyberdrill::test
