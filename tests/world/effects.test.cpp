// The world side of the response's effects and the buffer/dependency-type rules of world.hpp:
// buffers with a state of charge (drain, partial recharge), fuel buffers (run dry, resupply),
// control dependencies (no level loss, slower restoration), ends of outages with their cause,
// manual operation, isolation with a level, DDoS mitigation and the DIIM's full-service snap.
#include <doctest/doctest.h>

#include <vector>

#include "cyberdrill/world.hpp"
#include "world_fixtures.hpp"

using namespace cyberdrill;
using namespace cyberdrill::literals;
using namespace cyberdrill::testing;

namespace {

SimTime at(Duration d) { return SimTime::zero() + d; }
constexpr Cause kAttack{CauseKind::attack_step, 3};
constexpr Cause kStep{CauseKind::procedure_step, 7};
constexpr Cause kOperator{CauseKind::organisation, 2};

struct Run {
  World world;
  Simulation sim;
  TraceRecorder rec;
  CascadeModel model;
  explicit Run(const Scenario& s) : world(s), model(sim, world) { sim.add_trace_observer(rec); }
  std::vector<TraceRecord> of(RecordKind k, Index subject) const {
    std::vector<TraceRecord> out;
    for (const auto& r : rec.records())
      if (r.kind == k && r.subject == subject) out.push_back(r);
    return out;
  }
};

// The first time `asset` reaches a level below (`below` true) or at least `level`, from records.
std::optional<SimTime> first_level(const Run& r, Index asset, double level, bool below) {
  for (const auto& x : r.of(RecordKind::asset_level, asset))
    if (below ? x.value < level : x.value >= level) return x.time;
  return std::nullopt;
}

}  // namespace

TEST_CASE("buffer: a second outage soon after the first finds the buffer partly charged (closed form)") {
  Scenario s;
  const Index grid = add_asset(s), core = add_asset(s);
  Dependency& d = depend(s, core, grid, 8_h);
  d.type = DependencyType::power;
  d.recharge = 16_h;
  Run r(s);
  // Down 1h..5h: 4 h of an 8 h buffer drained (charge 0.5); up 5h..9h: recharged 4/16 (0.75).
  r.model.schedule_impose(at(1_h), grid, 0.0, kAttack);
  r.model.schedule_impose(at(5_h), grid, -1.0, kAttack);
  r.model.schedule_impose(at(9_h), grid, 0.0, kAttack);
  r.sim.run_until(at(5_h));
  CHECK(r.world.level(core) == 1.0);
  CHECK(r.world.buffer_charge(core, grid, at(5_h)) == doctest::Approx(0.5));
  r.sim.run_until(at(9_h));
  CHECK(r.world.buffer_charge(core, grid, at(9_h)) == doctest::Approx(0.75));
  // The second outage rides 0.75 x 8 h = 6 h: the dependent drops at 15 h, not at 17 h.
  r.sim.run_until(at(15_h) - 1_s);
  CHECK(r.world.level(core) == 1.0);
  r.sim.run_until(at(15_h));
  CHECK(r.world.level(core) == 0.0);
  CHECK(r.world.buffer_charge(core, grid, at(15_h)) == 0.0);
  REQUIRE(first_level(r, core, 0.5, true));
  CHECK(*first_level(r, core, 0.5, true) == at(15_h));
}

TEST_CASE("buffer: an exhausted buffer recharges from the supplier's return, charge is capped at 1") {
  Scenario s;
  const Index grid = add_asset(s), core = add_asset(s);
  Dependency& d = depend(s, core, grid, 2_h);
  d.recharge = 10_h;
  Run r(s);
  r.model.schedule_impose(at(0_h), grid, 0.0, kAttack);
  r.model.schedule_impose(at(5_h), grid, -1.0, kAttack);
  r.sim.run_until(at(5_h));
  CHECK(r.world.buffer_charge(core, grid, at(5_h)) == 0.0);
  CHECK(r.world.buffer_charge(core, grid, at(10_h)) == doctest::Approx(0.5));
  CHECK(r.world.buffer_charge(core, grid, at(40_h)) == 1.0);
}

TEST_CASE("fuel buffer: runs dry after its buffer unless resupplied, a resupply restarts a dry generator") {
  Scenario s;
  const Index grid = add_asset(s), hosp = add_asset(s), radio = add_asset(s);
  Dependency& f = depend(s, hosp, grid, 72_h);
  f.type = DependencyType::power;
  f.fuel = true;
  depend(s, radio, grid, 8_h);  // a battery: resupply does nothing for it

  SUBCASE("no resupply: dry after 72 h (DOMAIN.md: fresh diesel after at most 72 h)") {
    Run r(s);
    r.model.impose(grid, 0.0, kAttack);
    r.sim.run_until(at(72_h) - 1_s);
    CHECK(r.world.level(hosp) == 1.0);
    r.sim.run_until(at(72_h));
    CHECK(r.world.level(hosp) == 0.0);
  }
  SUBCASE("resupplied at 48 h: a full tank then, dry at 120 h") {
    Run r(s);
    r.model.impose(grid, 0.0, kAttack);
    r.sim.run_until(at(48_h));
    r.model.resupply(hosp, kStep);
    r.model.resupply(radio, kStep);
    CHECK(r.world.buffer_charge(hosp, grid, at(48_h)) == 1.0);
    r.sim.run_until(at(120_h) - 1_s);
    CHECK(r.world.level(hosp) == 1.0);
    CHECK(r.world.level(radio) == 0.0);  // the battery ran out at 8 h regardless
    r.sim.run_until(at(120_h));
    CHECK(r.world.level(hosp) == 0.0);
  }
  SUBCASE("resupplied after running dry: the generator restarts, cause = the logistics step") {
    Run r(s);
    r.model.impose(grid, 0.0, kAttack);
    r.sim.run_until(at(80_h));
    CHECK(r.world.level(hosp) == 0.0);
    r.model.resupply(hosp, kStep);
    CHECK(r.world.level(hosp) == 1.0);
    const auto recs = r.of(RecordKind::asset_level, hosp);
    REQUIRE(!recs.empty());
    CHECK(recs.back().cause_kind == CauseKind::procedure_step);
    CHECK(recs.back().cause == kStep.index);
    r.sim.run_until(at(152_h));
    CHECK(r.world.level(hosp) == 0.0);
  }
}

TEST_CASE("control dependency: the dependent keeps running, but its restoration is manual and slower") {
  Scenario s;
  const Index scada = add_asset(s), dso = add_asset(s);
  Dependency& c = depend(s, dso, scada);
  c.type = DependencyType::control;
  c.degradation = 1.0;  // ignored for control edges
  c.manual = 2_h;
  Run r(s);
  r.model.impose(scada, 0.0, kAttack);
  CHECK(r.world.level(dso) == 1.0);  // remote control lost, power still flows
  CHECK(r.world.remote_control_lost(dso));
  r.model.impose(dso, 0.0, Cause{CauseKind::attack_step, 4});
  r.sim.run_until(at(3_h));
  r.model.end_imposition(dso, Cause{CauseKind::attack_step, 4}, Cause{CauseKind::attack_step, 4});
  CHECK(r.world.level(dso) == 0.0);  // crews are on their way
  r.sim.run_until(at(5_h) - 1_s);
  CHECK(r.world.level(dso) == 0.0);
  r.sim.run_until(at(5_h));
  CHECK(r.world.level(dso) == 1.0);
  const auto restored = r.of(RecordKind::asset_restored, dso);
  REQUIRE(restored.size() == 1);
  CHECK(restored[0].time == at(5_h));
  CHECK(restored[0].cause_kind == CauseKind::attack_step);
  CHECK(restored[0].detail == 4);

  SUBCASE("with remote control the same end applies at once") {
    r.model.lift(scada, kAttack);
    CHECK_FALSE(r.world.remote_control_lost(dso));
    r.model.impose(dso, 0.0, kAttack);
    r.model.end_imposition(dso, kAttack, kOperator);
    CHECK(r.world.level(dso) == 1.0);
    const auto again = r.of(RecordKind::asset_restored, dso);
    REQUIRE(again.size() == 2);
    CHECK(again[1].time == r.sim.now());
    CHECK(again[1].cause_kind == CauseKind::organisation);  // the operator's own repair
  }
}

TEST_CASE("end_imposition: whichever ends first wins, a later end of the same effect is a no-op") {
  Scenario s;
  const Index a = add_asset(s);
  Run r(s);
  r.model.impose(a, 0.0, kAttack);
  r.model.end_imposition(a, kAttack, kStep);
  r.model.end_imposition(a, kAttack, kAttack);
  const auto restored = r.of(RecordKind::asset_restored, a);
  REQUIRE(restored.size() == 1);
  CHECK(restored[0].cause_kind == CauseKind::procedure_step);
  CHECK(restored[0].cause == kStep.index);
  CHECK(restored[0].detail == kAttack.index);
  CHECK(r.of(RecordKind::asset_level, a).back().cause_kind == CauseKind::procedure_step);
}

TEST_CASE("manual operation restores at reduced capacity at once, a restore brings full service") {
  Scenario s;
  const Index scada = add_asset(s), dso = add_asset(s);
  Dependency& c = depend(s, dso, scada);
  c.type = DependencyType::control;
  Run r(s);
  r.model.impose(scada, 0.0, kAttack);
  r.model.impose(dso, 0.0, Cause{CauseKind::attack_step, 4});
  r.model.operate_manually(dso, 0.85, kStep);  // no manual delay: this is the manual work
  CHECK(r.world.level(dso) == doctest::Approx(0.85));
  CHECK(r.world.own_level(dso) == doctest::Approx(0.85));
  r.model.operate_manually(dso, 0.85, Cause{CauseKind::procedure_step, 8});  // already at that level: no-op
  CHECK(r.of(RecordKind::asset_restored, dso).size() == 1);
  r.model.restore(dso, kStep);
  CHECK(r.world.level(dso) == 1.0);
  SUBCASE("an asset with nothing imposed is not degraded by manual operation") {
    const Index other = scada;
    r.model.lift(scada, kAttack);
    r.model.operate_manually(other, 0.85, kStep);
    CHECK(r.world.level(other) == 1.0);
  }
}

TEST_CASE("isolation degrades to its level and is ended by a restore") {
  Scenario s;
  const Index scada = add_asset(s);
  Run r(s);
  r.model.set_isolated(scada, true, 1, kStep, 0.5);
  CHECK(r.world.isolated(scada));
  CHECK(r.world.contained(scada));
  CHECK(r.world.level(scada) == doctest::Approx(0.5));
  r.model.restore(scada, Cause{CauseKind::procedure_step, 9});
  CHECK_FALSE(r.world.isolated(scada));
  CHECK(r.world.contained(scada));  // the attacker stays locked out
  CHECK(r.world.level(scada) == 1.0);
}

TEST_CASE("mitigation cuts a DDoS to its residual, the better residual holds, the attack's end lifts it") {
  Scenario s;
  const Index isp = add_asset(s);
  Run r(s);
  r.model.impose(isp, 0.05, kAttack);
  r.model.mitigate(isp, kAttack, 0.6, kStep);
  CHECK(r.world.level(isp) == doctest::Approx(0.6));
  CHECK(r.of(RecordKind::asset_level, isp).back().cause_kind == CauseKind::procedure_step);
  r.model.mitigate(isp, kAttack, 0.95, kStep);
  CHECK(r.world.level(isp) == doctest::Approx(0.95));
  r.model.mitigate(isp, kAttack, 0.6, kStep);
  CHECK(r.world.level(isp) == doctest::Approx(0.95));
  r.model.end_imposition(isp, kAttack, kAttack);
  CHECK(r.world.level(isp) == 1.0);
  r.model.mitigate(isp, kAttack, 0.6, kStep);  // nothing left to mitigate
  CHECK(r.world.level(isp) == 1.0);
}

TEST_CASE("DIIM recovery snaps to full once within the full-service tolerance") {
  Scenario s;
  const Index supplier = add_asset(s), linear = add_asset(s, CombineRule::linear);
  depend(s, linear, supplier, Duration::zero(), 0.5);
  s.assets[linear].resilience = 0.1;
  Run r(s);
  r.model.impose(supplier, 0.0, kAttack);
  r.sim.run_until(at(200_h));
  CHECK(r.world.level(linear) == doctest::Approx(0.5));
  r.model.lift(supplier, kAttack);
  // q(t) = 0.5 x 0.9^t: below 0.01 (level >= 0.99) after ceil(ln 0.02 / ln 0.9) = 38 ticks.
  r.sim.run_until(at(200_h + 37_h));
  CHECK(r.world.level(linear) < kFullServiceLevel);
  r.sim.run_until(at(200_h + 38_h));
  CHECK(r.world.level(linear) == 1.0);
  CHECK_FALSE(r.model.relaxing());
}
