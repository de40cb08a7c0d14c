// The cascade model: combination rules, buffers, restart delays, cycles, fail-over and the causal
// trace, judged by levels and by the records it emits.
#include <doctest/doctest.h>

#include <vector>

#include "cyberdrill/world.hpp"
#include "world_fixtures.hpp"

using namespace cyberdrill;
using namespace cyberdrill::literals;
using namespace cyberdrill::testing;

namespace {

SimTime at(Duration d) { return SimTime::zero() + d; }
constexpr Cause kInject{CauseKind::inject, 5};

std::vector<TraceRecord> level_records(const TraceRecorder& r) {
  std::vector<TraceRecord> out;
  for (const auto& rec : r.records())
    if (rec.kind == RecordKind::asset_level) out.push_back(rec);
  return out;
}

// A harness: world + simulation + recorder + model.
struct Run {
  World world;
  Simulation sim;
  TraceRecorder rec;
  CascadeModel model;
  explicit Run(const Scenario& s) : world(s), model(sim, world) { sim.add_trace_observer(rec); }
};

}  // namespace

TEST_CASE("rule all: a dependent follows its weakest supplier at once when there is no buffer") {
  Scenario s;
  const Index grid = add_asset(s), water = add_asset(s), hosp = add_asset(s);
  depend(s, hosp, grid);
  depend(s, hosp, water);
  Run r(s);
  r.model.impose(water, 0.4, kInject);
  CHECK(r.world.level(hosp) == doctest::Approx(0.4));
  r.model.impose(grid, 0.0, kInject);
  CHECK(r.world.level(hosp) == 0.0);
  r.model.lift(grid, kInject);
  CHECK(r.world.level(hosp) == doctest::Approx(0.4));
}

TEST_CASE("rule any: redundant suppliers keep the dependent up until the last one fails") {
  Scenario s;
  const Index isp1 = add_asset(s), isp2 = add_asset(s), portal = add_asset(s, CombineRule::any);
  depend(s, portal, isp1);
  depend(s, portal, isp2);
  Run r(s);
  r.model.impose(isp1, 0.0, kInject);
  CHECK(r.world.level(portal) == 1.0);
  r.model.impose(isp2, 0.3, kInject);
  CHECK(r.world.level(portal) == doctest::Approx(0.3));
  r.model.impose(isp2, 0.0, kInject);
  CHECK(r.world.level(portal) == 0.0);
}

TEST_CASE("rule threshold: fails once the weighted failed fraction reaches phi") {
  Scenario s;
  const Index a = add_asset(s), b = add_asset(s), c = add_asset(s), d = add_asset(s, CombineRule::threshold);
  s.assets[d].phi = 0.5;
  depend(s, d, a, 0_h, 1.0);
  depend(s, d, b, 0_h, 1.0);
  depend(s, d, c, 0_h, 2.0);
  Run r(s);
  r.model.impose(a, 0.0, kInject);  // 1/4 failed
  CHECK(r.world.level(d) == 1.0);
  r.model.impose(b, 0.4, kInject);  // 2/4 = phi: fails (e < 0.5 counts as failed)
  CHECK(r.world.level(d) == 0.0);
  r.model.impose(b, 0.6, kInject);  // 0.6 is not failed
  CHECK(r.world.level(d) == 1.0);
  r.model.lift(a, kInject);
  r.model.impose(c, 0.0, kInject);  // weight 2 of 4
  CHECK(r.world.level(d) == 0.0);
  r.model.impose(d, 0.7, kInject);  // own cap applies on top of the rule
  r.model.lift(c, kInject);
  CHECK(r.world.level(d) == doctest::Approx(0.7));
}

TEST_CASE("degradation passes on only a share of the supplier's loss") {
  Scenario s;
  const Index tel = add_asset(s), grid = add_asset(s);
  depend(s, grid, tel).degradation = 0.2;  // loss of SCADA: manual operation
  Run r(s);
  r.model.impose(tel, 0.0, kInject);
  CHECK(r.world.level(grid) == doctest::Approx(0.8));
}

TEST_CASE("a buffer rides through the supplier's loss - and the drop happens when it runs out") {
  Scenario s;
  const Index grid = add_asset(s), mast = add_asset(s);
  depend(s, mast, grid, 3_h);
  Run r(s);
  r.model.schedule_impose(at(1_h), grid, 0.0, kInject);
  r.sim.run_until(at(4_h) - 1_s);
  CHECK(r.world.level(mast) == 1.0);
  CHECK(r.world.perceived(mast, grid) == 1.0);
  r.sim.run_until(at(4_h));
  CHECK(r.world.level(mast) == 0.0);
  const auto recs = level_records(r.rec);
  REQUIRE(recs.size() == 2);
  CHECK(recs[1].time == at(4_h));
  CHECK(recs[1].subject == mast);
  CHECK(recs[1].cause_kind == CauseKind::asset);
  CHECK(recs[1].cause == grid);
}

TEST_CASE("a supplier back before the buffer runs out causes no drop and leaves no pending event") {
  Scenario s;
  const Index grid = add_asset(s), dc = add_asset(s);
  depend(s, dc, grid, 12_h);
  Run r(s);
  r.model.schedule_impose(at(1_h), grid, 0.0, kInject);
  r.model.schedule_impose(at(6_h), grid, -1.0, kInject);
  r.sim.run();
  CHECK(r.world.level(dc) == 1.0);
  CHECK(r.sim.pending() == 0);
  CHECK(r.sim.now() == at(6_h));  // the buffer's event at 13 h was cancelled, not dispatched
  CHECK(level_records(r.rec).size() == 2);  // grid down, grid up
}

TEST_CASE("after the supplier returns - the dependent waits for its restart delay") {
  Scenario s;
  const Index grid = add_asset(s), plant = add_asset(s);
  depend(s, plant, grid, 0_h, 1.0, 30_min);
  Run r(s);
  r.model.schedule_impose(at(1_h), grid, 0.0, kInject);
  r.model.schedule_impose(at(10_h), grid, -1.0, kInject);
  r.sim.run_until(at(10_h) + 29_min);
  CHECK(r.world.level(grid) == 1.0);
  CHECK(r.world.level(plant) == 0.0);
  r.sim.run_until(at(10_h) + 30_min);
  CHECK(r.world.level(plant) == 1.0);
}

TEST_CASE("a supplier that falls again during the restart cancels it") {
  Scenario s;
  const Index grid = add_asset(s), plant = add_asset(s);
  depend(s, plant, grid, 0_h, 1.0, 2_h);
  Run r(s);
  r.model.schedule_impose(at(1_h), grid, 0.0, kInject);
  r.model.schedule_impose(at(5_h), grid, -1.0, kInject);
  r.model.schedule_impose(at(6_h), grid, 0.0, Cause{CauseKind::attack_step, 2});
  r.sim.run();
  CHECK(r.world.level(plant) == 0.0);
  CHECK(r.sim.now() == at(6_h));
}

TEST_CASE("once the backup is exhausted - a further drop applies at once") {
  Scenario s;
  const Index grid = add_asset(s), mast = add_asset(s);
  depend(s, mast, grid, 2_h);
  Run r(s);
  r.model.schedule_impose(at(0_h), grid, 0.6, kInject);
  r.model.schedule_impose(at(3_h), grid, 0.1, Cause{CauseKind::attack_step, 1});
  r.sim.run_until(at(2_h));
  CHECK(r.world.level(mast) == doctest::Approx(0.6));
  r.sim.run_until(at(3_h));
  CHECK(r.world.level(mast) == doctest::Approx(0.1));
}

TEST_CASE("the trace names the cause of every change: the causal chain of a failure") {
  Scenario s;
  const Index grid = add_asset(s), tel = add_asset(s), pay = add_asset(s), atm = add_asset(s);
  depend(s, tel, grid);
  depend(s, pay, tel);
  depend(s, atm, pay);
  Run r(s);
  r.model.impose(grid, 0.0, kInject);
  const auto recs = level_records(r.rec);
  REQUIRE(recs.size() == 4);
  CHECK(recs[0].subject == grid);
  CHECK(recs[0].cause_kind == CauseKind::inject);
  CHECK(recs[0].cause == 5);
  CHECK(recs[0].value == 0.0);
  CHECK(recs[0].previous_value == 1.0);  // the old level, typed
  CHECK(recs[0].detail == 0);           // no longer an encoding of it
  for (std::size_t i = 1; i < 4; ++i) {
    CHECK(recs[i].cause_kind == CauseKind::asset);
    CHECK(recs[i].cause == recs[i - 1].subject);
  }
}

TEST_CASE("changes below 1e-9 are not recorded") {
  Scenario s;
  const Index a = add_asset(s);
  Run r(s);
  r.model.impose(a, 1.0 - 1e-11, kInject);
  CHECK(level_records(r.rec).empty());
  r.model.impose(a, 0.5, kInject);
  CHECK(level_records(r.rec).size() == 1);
}

TEST_CASE("a power-telecom cycle settles: with full mutual dependency it holds itself down until a fail-over") {
  Scenario s;
  const Index grid = add_asset(s), tel = add_asset(s);
  depend(s, tel, grid);
  depend(s, grid, tel);
  Run r(s);
  r.model.impose(grid, 0.0, kInject);
  CHECK(r.world.level(tel) == 0.0);
  CHECK(level_records(r.rec).size() == 2);
  r.model.lift(grid, kInject);  // black start: each waits for the other
  CHECK(r.world.level(grid) == 0.0);
  r.model.fail_over(grid, tel, Cause{CauseKind::procedure_step, 9});  // manual operation
  CHECK(r.world.level(grid) == 1.0);
  CHECK(r.world.level(tel) == 1.0);
  const auto recs = level_records(r.rec);
  REQUIRE(recs.size() == 4);
  CHECK(recs[2].subject == grid);
  CHECK(recs[2].cause_kind == CauseKind::procedure_step);
  CHECK(recs[3].cause_kind == CauseKind::asset);
}

TEST_CASE("a cycle with partial SCADA dependency recovers by itself after the cause is lifted") {
  Scenario s;
  const Index grid = add_asset(s), tel = add_asset(s);
  depend(s, tel, grid, 0_h, 1.0, 10_min);
  depend(s, grid, tel).degradation = 0.2;
  Run r(s);
  r.model.schedule_impose(at(1_h), grid, 0.0, kInject);
  r.model.schedule_impose(at(3_h), grid, -1.0, kInject);
  r.sim.run_until(at(2_h));
  CHECK(r.world.level(tel) == 0.0);
  r.sim.run();  // settles: finitely many restart steps
  CHECK(r.world.level(grid) == doctest::Approx(1.0).epsilon(1e-9));
  CHECK(r.world.level(tel) == doctest::Approx(1.0).epsilon(1e-9));
  CHECK(r.sim.pending() == 0);
}

TEST_CASE("fail-over before the buffer runs out prevents the drop: ending it re-exposes the dependent") {
  Scenario s;
  const Index grid = add_asset(s), hosp = add_asset(s);
  depend(s, hosp, grid, 96_h);
  Run r(s);
  r.model.impose(grid, 0.0, kInject);
  r.sim.run_until(at(10_h));
  r.model.fail_over(hosp, kNone, Cause{CauseKind::procedure_step, 1});
  CHECK(r.world.failed_over(hosp, grid));
  r.sim.run_until(at(200_h));
  CHECK(r.world.level(hosp) == 1.0);
  r.model.end_fail_over(hosp, grid, Cause{CauseKind::procedure_step, 2});
  r.sim.run_until(at(200_h) + 96_h);
  CHECK(r.world.level(hosp) == 0.0);
}

TEST_CASE("containment is a flag with a record: isolation also takes the asset offline") {
  Scenario s;
  const Index scada = add_asset(s), plant = add_asset(s);
  depend(s, plant, scada);
  Run r(s);
  r.model.set_contained(scada, true, 3, Cause{CauseKind::procedure_step, 4});
  CHECK(r.world.contained(scada));
  CHECK(r.world.level(scada) == 1.0);
  REQUIRE(r.rec.records().size() == 1);
  CHECK(r.rec.records()[0].kind == RecordKind::asset_contained);
  CHECK(r.rec.records()[0].actor == 3);
  r.model.set_isolated(plant, true, 3, Cause{CauseKind::procedure_step, 6});
  CHECK(r.world.isolated(plant));
  CHECK(r.world.contained(plant));
  CHECK(r.world.level(plant) == 0.0);
  r.model.set_isolated(plant, false, 3, Cause{CauseKind::procedure_step, 7});
  CHECK(r.world.level(plant) == 1.0);
}

TEST_CASE("impositions from different causes are lifted independently: restore clears them all") {
  Scenario s;
  const Index a = add_asset(s);
  Run r(s);
  const Cause ddos{CauseKind::attack_step, 1}, wipe{CauseKind::attack_step, 2};
  r.model.impose(a, 0.1, ddos);
  r.model.impose(a, 0.0, wipe);
  r.model.lift(a, ddos);
  CHECK(r.world.level(a) == 0.0);
  r.model.impose(a, 0.1, ddos);
  r.model.restore(a, Cause{CauseKind::procedure_step, 3});
  CHECK(r.world.level(a) == 1.0);
  bool restored = false;
  for (const auto& rec : r.rec.records()) restored |= rec.kind == RecordKind::asset_restored;
  CHECK(restored);
}

TEST_CASE("two identical runs give identical traces") {
  auto run = [] {
    Scenario s;
    for (int i = 0; i < 50; ++i) add_asset(s, i % 3 == 0 ? CombineRule::any : CombineRule::all, 10);
    for (Index i = 1; i < 50; ++i) {
      depend(s, i, (i * 7) % i, Duration::minutes(i % 4 * 30), 1.0, Duration::minutes(i % 3 * 10));
      depend(s, i, (i * 13 + 5) % 50);
    }
    World w(s);
    Simulation sim;
    Fingerprint fp;
    sim.add_trace_observer(fp);
    CascadeModel m(sim, w);
    m.schedule_impose(at(1_h), 0, 0.0, kInject);
    m.schedule_impose(at(2_h), 17, 0.2, kInject);
    m.schedule_impose(at(5_h), 0, -1.0, kInject);
    sim.run_until(at(48_h));
    return std::pair{fp.value(), fp.count()};
  };
  const auto a = run(), b = run();
  CHECK(a == b);
  CHECK(a.second > 10);
}
