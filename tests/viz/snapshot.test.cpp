// The state at time T, rebuilt from trace records: levels, flags and the CSIRT's knowledge agree
// with the tutorial's story and with the run's own sampled service levels.
#include <doctest/doctest.h>

#include <cmath>

#include "cyberdrill/impact.hpp"
#include "cyberdrill/scenario_io.hpp"
#include "snapshot.hpp"
#include "viz_helpers.hpp"

using namespace cyberdrill;
using namespace cyberdrill::viz;
using namespace cyberdrill::literals;

namespace {

struct Tutorial {
  Scenario sc = load_scenario_or_throw(testing::tutorial_path());
  RunResult res;
  Index power = 0, mobile = 1, payments = 2, csirt = 1;
  Tutorial() {
    RunOptions o;
    o.seed = sc.metadata.seed;
    res = run_scenario(sc, o);
  }
};

/// Sector means of the snapshot's levels weighted by the people each asset serves (impact.hpp's
/// people_served: population without areas), as the run samples them.
std::vector<double> sector_levels(const Scenario& sc, const Snapshot& s) {
  std::vector<double> num(sc.sectors.size(), 0), den(sc.sectors.size(), 0);
  std::vector<double> pop(sc.sectors.size(), 0);
  for (std::size_t i = 0; i < sc.assets.size(); ++i)
    pop[sc.assets[i].sector] += std::round(people_served(sc, static_cast<Index>(i)));
  for (std::size_t i = 0; i < sc.assets.size(); ++i) {
    const Index sec = sc.assets[i].sector;
    const double w = pop[sec] > 0 ? people_served(sc, static_cast<Index>(i)) : 1.0;
    num[sec] += w * s.level[i];
    den[sec] += w;
  }
  for (std::size_t k = 0; k < num.size(); ++k) num[k] = den[k] > 0 ? num[k] / den[k] : 1.0;
  return num;
}

}  // namespace

TEST_CASE("before the attack everything is up, uncompromised and unknown") {
  const Tutorial t;
  const Snapshot s = snapshot_at(t.sc, t.res.records, SimTime::zero() + 30_min, t.csirt);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(s.level[i] == 1.0);
    CHECK_FALSE(s.compromised[i]);
    CHECK_FALSE(s.contained[i]);
    CHECK_FALSE(s.believed[i].has_value());
  }
  CHECK(s.population_affected == 0);
  CHECK(s.escalation == kNone);
}

TEST_CASE("the breaker opens at T+1h: power and payments fall at once, mobile after its 2 h battery") {
  const Tutorial t;
  const Snapshot at1 = snapshot_at(t.sc, t.res.records, SimTime::zero() + 1_h, t.csirt);
  CHECK(at1.level[t.power] == 0.0);
  CHECK(at1.compromised[t.power]);
  CHECK(at1.level[t.payments] == 0.0);
  CHECK(at1.level[t.mobile] == 1.0);
  CHECK(at1.population_affected == doctest::Approx(200000));
  const Snapshot before3 = snapshot_at(t.sc, t.res.records, SimTime::zero() + 3_h - 1_s, t.csirt);
  CHECK(before3.level[t.mobile] == 1.0);
  const Snapshot at3 = snapshot_at(t.sc, t.res.records, SimTime::zero() + 3_h, t.csirt);
  CHECK(at3.level[t.mobile] == 0.0);
  CHECK(at3.in_outage == 3);
  CHECK(at3.population_affected == doctest::Approx(280000));
  // Power is back 4 h after the breaker opened; the compromise stays on record.
  const Snapshot at6 = snapshot_at(t.sc, t.res.records, SimTime::zero() + 6_h, t.csirt);
  CHECK(at6.level[t.power] == 1.0);
  CHECK(at6.compromised[t.power]);
}

TEST_CASE("the triage organisation is the one that triaged: the tutorial's CSIRT") {
  const Tutorial t;
  CHECK(observer_org(t.sc, t.res.records) == t.csirt);
  // Without triage records, the first csirt.
  CHECK(observer_org(t.sc, {}) == t.csirt);
}

TEST_CASE("knowledge at T is the last knowledge record of the observer at or before T") {
  const Tutorial t;
  const Index obs = observer_org(t.sc, t.res.records);
  // Walk the records: after each knowledge record, the snapshot at its time shows it (unless a
  // later record at the same instant replaced it), and nothing is known before its first record.
  bool any = false;
  for (std::size_t k = 0; k < t.res.records.size(); ++k) {
    const TraceRecord& r = t.res.records[k];
    if (r.kind != RecordKind::knowledge || r.actor != obs) continue;
    bool replaced = false;
    for (std::size_t j = k + 1; j < t.res.records.size() && t.res.records[j].time == r.time; ++j)
      replaced = replaced || (t.res.records[j].kind == RecordKind::knowledge && t.res.records[j].actor == obs &&
                              t.res.records[j].subject == r.subject);
    const Snapshot s = snapshot_at(t.sc, t.res.records, r.time, obs);
    REQUIRE(s.believed[r.subject].has_value());
    if (!replaced) CHECK(*s.believed[r.subject] == r.value);
    if (!any) {
      const Snapshot before = snapshot_at(t.sc, t.res.records, r.time - 1_s, obs);
      for (const auto& b : before.believed) CHECK_FALSE(b.has_value());
    }
    any = true;
  }
  CHECK(any);  // the CSIRT learns something in the tutorial
  // The CSIRT learns later than the truth: at T+1h it knows of no outage yet.
  CHECK(snapshot_at(t.sc, t.res.records, SimTime::zero() + 1_h, obs).known_below_full == 0);
}

TEST_CASE("snapshot levels reproduce the run's sampled sector service levels at every sample") {
  for (const auto& path : {testing::tutorial_path(), testing::flagship_path()}) {
    const Scenario sc = load_scenario_or_throw(path);
    RunOptions o;
    o.seed = sc.metadata.seed;
    const RunResult res = run_scenario(sc, o);
    REQUIRE(!res.service_levels.empty());
    for (std::size_t k = 0; k < res.service_levels.size(); k += 7) {
      const SectorLevels& row = res.service_levels[k];
      const auto mine = sector_levels(sc, snapshot_at(sc, res.records, row.time, kNone));
      for (std::size_t s = 0; s < mine.size(); ++s) CHECK(mine[s] == doctest::Approx(row.level[s]).epsilon(1e-9));
    }
  }
}

TEST_CASE("the peak is the first moment of the largest population affected") {
  const Scenario sc = load_scenario_or_throw(testing::flagship_path());
  RunOptions o;
  o.seed = sc.metadata.seed;
  const RunResult res = run_scenario(sc, o);
  const Peak p = peak_population(sc, res.records);
  CHECK(p.population > 0);
  CHECK(snapshot_at(sc, res.records, p.at, kNone).population_affected == doctest::Approx(p.population));
  // No instant with records exceeds it, and every earlier instant is strictly below it.
  for (std::size_t k = 0; k < res.records.size(); ++k) {
    if (k + 1 < res.records.size() && res.records[k + 1].time == res.records[k].time) continue;
    if (res.records[k].kind != RecordKind::asset_level) continue;
    const double v = snapshot_at(sc, res.records, res.records[k].time, kNone).population_affected;
    CHECK(v <= p.population * (1 + 1e-9) + 1e-6);
    if (res.records[k].time < p.at) CHECK(v < p.population);
  }
  // Nothing affected at all: T+0.
  CHECK(peak_population(sc, {}).at == SimTime::zero());
}
