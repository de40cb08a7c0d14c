// The World: topology built from a Scenario, read access, aggregates and reset.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <stdexcept>
#include <utility>

#include "cyberdrill/world.hpp"
#include "world_fixtures.hpp"

using namespace cyberdrill;
using namespace cyberdrill::literals;
using namespace cyberdrill::testing;

TEST_CASE("the topology lists suppliers in depends_on order and dependents per edge") {
  Scenario s;
  const Index grid = add_asset(s), telecom = add_asset(s), bank = add_asset(s), atm = add_asset(s);
  depend(s, telecom, grid);
  depend(s, bank, telecom);
  depend(s, bank, grid);
  depend(s, atm, bank);
  depend(s, grid, telecom);  // SCADA: a cycle
  const World w(s);
  CHECK(w.asset_count() == 4);
  CHECK(w.edge_count() == 5);
  CHECK(w.suppliers(bank) == std::vector<Index>{telecom, grid});
  CHECK(w.dependents(grid) == std::vector<Index>{telecom, bank});
  CHECK(w.out_degree(atm) == 0);
  auto down = w.downstream(telecom);
  std::sort(down.begin(), down.end());
  CHECK(down == std::vector<Index>{grid, telecom, bank, atm});
  CHECK(w.downstream(atm) == std::vector<Index>{atm});
}

TEST_CASE("a world starts with every asset fully up and nothing lost") {
  Scenario s;
  const Index sec = add_sector(s, "energy");
  const Index a = add_asset(s, CombineRule::threshold, 100, sec);
  const Index b = add_asset(s, CombineRule::linear, 50);
  depend(s, b, a);
  const World w(s);
  CHECK(w.level(a) == 1.0);
  CHECK(w.level(b) == 1.0);
  CHECK(w.outage_count() == 0);
  CHECK(w.outages_in_sector(sec) == 0);
  CHECK(w.population_unserved() == 0.0);
  CHECK(w.population_hours_lost(SimTime::zero() + 5_h) == 0.0);
  CHECK(w.population(a) == 100);
  CHECK(w.sector(a) == sec);
  CHECK(w.sector(b) == kNone);
}

TEST_CASE("bad indices in a scenario are rejected with the asset named") {
  Scenario s;
  const Index a = add_asset(s);
  depend(s, a, 7);
  CHECK_THROWS_WITH_AS(World{s}, doctest::Contains("a0"), std::invalid_argument);
  Scenario t;
  add_asset(t, CombineRule::all, 0, 3);
  CHECK_THROWS_AS(World{t}, std::invalid_argument);
}

TEST_CASE("population-hours lost integrate population x (1 - level) over time") {
  Scenario s;
  const Index sec = add_sector(s, "health");
  const Index grid = add_asset(s, CombineRule::all, 1000, sec);
  const Index hosp = add_asset(s, CombineRule::all, 200, sec);
  depend(s, hosp, grid, 2_h);
  World w(s);
  Simulation sim;
  CascadeModel m(sim, w);
  m.schedule_impose(SimTime::zero() + 1_h, grid, 0.0, Cause{CauseKind::inject, 0});
  m.schedule_impose(SimTime::zero() + 5_h, grid, -1.0, Cause{CauseKind::inject, 0});  // lift
  sim.run_until(SimTime::zero() + 2_h);
  CHECK(w.outage_count() == 1);
  CHECK(w.population_in_outage() == 1000);
  CHECK(w.outages_in_sector(sec) == 1);
  CHECK(w.sectors_with_outage() == 1);
  CHECK(w.population_hours_lost(sim.now()) == doctest::Approx(1000.0));
  sim.run_until(SimTime::zero() + 4_h);  // hospital's 2 h buffer ran out at 3 h
  CHECK(w.outage_count() == 2);
  CHECK(w.population_hours_lost(sim.now()) == doctest::Approx(3000.0 + 200.0));
  sim.run_until(SimTime::zero() + 10_h);
  CHECK(w.outage_count() == 0);
  CHECK(w.sectors_with_outage() == 0);
  // grid out 1h..5h (4000), hospital out 3h..5h (400)
  CHECK(w.population_hours_lost(sim.now()) == doctest::Approx(4400.0));
  CHECK(w.service_hours_lost(sim.now()) == doctest::Approx(6.0));
}

TEST_CASE("reset returns the world to its initial state for the next replication") {
  Scenario s;
  const Index a = add_asset(s, CombineRule::all, 10), b = add_asset(s, CombineRule::all, 10);
  depend(s, b, a, 3_h);
  World w(s);
  {
    Simulation sim;
    CascadeModel m(sim, w);
    m.impose(a, 0.0, Cause{CauseKind::inject, 1});
    m.fail_over(b, a, Cause{CauseKind::procedure_step, 2});
    m.set_contained(a, true, kNone, Cause{CauseKind::procedure_step, 3});
    sim.run_until(SimTime::zero() + 1_h);
    CHECK(w.level(a) == 0.0);
  }
  w.reset();
  CHECK(w.level(a) == 1.0);
  CHECK(w.own_level(a) == 1.0);
  CHECK_FALSE(w.contained(a));
  CHECK_FALSE(w.failed_over(b));
  CHECK(w.outage_count() == 0);
  CHECK(w.population_hours_lost(SimTime::zero() + 10_h) == 0.0);
  // And it runs again identically.
  Simulation sim;
  CascadeModel m(sim, w);
  m.impose(a, 0.0, Cause{CauseKind::inject, 1});
  sim.run_until(SimTime::zero() + 4_h);
  CHECK(w.level(b) == 0.0);
}

TEST_CASE("a plain edge stores no per-edge record, an edge with a role does") {
  // 1,000 assets, each depending on the next four: 4,000 edges, plain or all buffered.
  auto make = [](bool buffered, bool edges) {
    Scenario s;
    for (int i = 0; i < 1000; ++i) add_asset(s);
    if (edges)
      for (Index i = 0; i < 1000; ++i)
        for (Index j = 1; j <= 4; ++j) depend(s, i, (i + j) % 1000, buffered ? 1_h : Duration::zero());
    return World(s).memory_bytes();
  };
  const double none = static_cast<double>(make(false, false));
  const double plain = (static_cast<double>(make(false, true)) - none) / 4000.0;
  const double buffered = (static_cast<double>(make(true, true)) - none) / 4000.0;
  CHECK(plain <= 24.0);           // flag, supplier, record index, reverse index, CSR column
  CHECK(buffered >= plain + 40);  // plus the record (48 B: its state; the parameters are shared)
  CHECK(buffered <= plain + 56);  // the 4,000 edges' one set of parameters is kept once
  // Side-table layout (world_impl.hpp): a plain edge is its CSR column and reverse-index slot (8 B)
  // plus the two record bitmaps' bits and rank (its flags are implied: it has no record); an asset without impositions, population or
  // dynamic IIM holds no cold record: level, aggregate, flags, fail_at, two offsets and a bit (33 B;
  // the sector is the impact model's).
  CHECK(plain <= 8.5);
  CHECK(none / 1000.0 <= 34.0);
}

TEST_CASE("fail-over finds each of several plain edges from one supplier, beside an edge with a record") {
  // a supplies d once and c twice (plain edges); c also depends on b through a buffered edge (a
  // record). In a's CSR range c's two edges follow d's: fail-over must give each its own record.
  Scenario s;
  const Index a = add_asset(s), b = add_asset(s), d = add_asset(s), c = add_asset(s);
  depend(s, d, a);
  depend(s, c, a);
  depend(s, c, b, 1_h);
  depend(s, c, a);
  World w(s);
  CHECK(w.suppliers(c) == std::vector<Index>{a, b, a});
  for (int pass = 0; pass < 2; ++pass) {
    CAPTURE(pass);
    w.reset();
    Simulation sim;
    CascadeModel m(sim, w);
    m.fail_over(c, a, Cause{CauseKind::procedure_step, 1});
    CHECK(w.failed_over(c, a));
    CHECK_FALSE(w.failed_over(c, b));
    CHECK_FALSE(w.failed_over(d, a));
    m.impose(a, 0.0, Cause{CauseKind::inject, 2});
    CHECK(w.level(d) == 0.0);
    CHECK(w.level(c) == 1.0);  // both of a's edges into c are failed over
    CHECK(w.perceived(c, a) == 1.0);
    m.end_fail_over(c, a, Cause{CauseKind::procedure_step, 3});
    CHECK_FALSE(w.failed_over(c, a));
    CHECK(w.perceived(c, a) == 0.0);
    CHECK(w.level(c) == 0.0);
    CHECK(w.perceived(c, b) == 1.0);
    CHECK(w.buffer_charge(c, b, sim.now()) == 1.0);
    CHECK(w.buffer_charge(c, a, sim.now()) == 0.0);
    m.lift(a, Cause{CauseKind::inject, 2});
    CHECK(w.level(c) == 1.0);
    CHECK(w.level(d) == 1.0);
  }
}

TEST_CASE("a plain edge fails over and back, also after a reset") {
  Scenario s;
  const Index a = add_asset(s), b = add_asset(s);
  depend(s, b, a);
  World w(s);
  for (int pass = 0; pass < 2; ++pass) {
    CAPTURE(pass);
    w.reset();
    Simulation sim;
    CascadeModel m(sim, w);
    m.impose(a, 0.0, Cause{CauseKind::inject, 1});
    CHECK(w.level(b) == 0.0);
    m.fail_over(b, a, Cause{CauseKind::procedure_step, 2});
    CHECK(w.failed_over(b, a));
    CHECK(w.perceived(b, a) == 1.0);
    CHECK(w.level(b) == 1.0);
    m.end_fail_over(b, a, Cause{CauseKind::procedure_step, 3});
    CHECK_FALSE(w.failed_over(b, a));
    CHECK(w.perceived(b, a) == 0.0);
    CHECK(w.level(b) == 0.0);
    m.lift(a, Cause{CauseKind::inject, 1});
    CHECK(w.level(b) == 1.0);
  }
}

TEST_CASE("a bare threshold asset (no reverse index stored) acts as one with an index") {
  // c: threshold rule, phi 0.5, suppliers a, a, b (ascending: bare) in one world and a, b, a (not
  // ascending: indexed) in its twin. Both must fail, fail over, come back and answer queries alike.
  auto make = [](bool ascending) {
    Scenario s;
    const Index a = add_asset(s), b = add_asset(s), c = add_asset(s, CombineRule::threshold), d = add_asset(s);
    s.assets[c].phi = 0.5;
    depend(s, c, a);
    depend(s, c, ascending ? a : b);
    depend(s, c, ascending ? b : a);
    depend(s, d, c);
    return std::pair{s, std::array<Index, 4>{a, b, c, d}};
  };
  auto [sb, ib] = make(true);
  auto [si, ii] = make(false);
  World wb(sb), wi(si);
  const Index a = ib[0], b = ib[1], c = ib[2], d = ib[3];
  CHECK(ii == ib);
  CHECK(wb.suppliers(c) == std::vector<Index>{a, a, b});
  CHECK(wi.suppliers(c) == std::vector<Index>{a, b, a});
  CHECK(wb.memory_bytes() < wi.memory_bytes());  // c's three reverse-index slots are not stored
  for (int pass = 0; pass < 2; ++pass) {
    CAPTURE(pass);
    wb.reset();
    wi.reset();
    Simulation simb, simi;
    CascadeModel mb(simb, wb), mi(simi, wi);
    auto same = [&](const char* step) {
      CAPTURE(step);
      for (Index v = 0; v < 4; ++v) CHECK(wb.level(v) == wi.level(v));
      CHECK(wb.failed_over(c, a) == wi.failed_over(c, a));
      CHECK(wb.failed_over(c) == wi.failed_over(c));
      CHECK(wb.perceived(c, a) == wi.perceived(c, a));
      CHECK(wb.perceived(c, b) == wi.perceived(c, b));
      CHECK(wb.perceived(c, d) == 1.0);
      CHECK(wb.buffer_charge(c, a, SimTime::zero()) == 0.0);
      CHECK_FALSE(wb.remote_control_lost(c));
      CHECK(wb.outage_count() == wi.outage_count());
    };
    mb.impose(b, 0.0, Cause{CauseKind::inject, 1});
    mi.impose(b, 0.0, Cause{CauseKind::inject, 1});
    same("b down: 1 of 3 failed");
    CHECK(wb.level(c) == 1.0);
    mb.impose(a, 0.0, Cause{CauseKind::inject, 2});
    mi.impose(a, 0.0, Cause{CauseKind::inject, 2});
    same("a down too: 3 of 3 failed");
    CHECK(wb.level(c) == 0.0);
    CHECK(wb.level(d) == 0.0);
    mb.fail_over(c, a, Cause{CauseKind::procedure_step, 3});
    mi.fail_over(c, a, Cause{CauseKind::procedure_step, 3});
    same("both of a's edges failed over: 1 of 3 failed");
    CHECK(wb.failed_over(c, a));
    CHECK(wb.level(c) == 1.0);
    mb.end_imposition(c, Cause{CauseKind::inject, 9}, Cause{CauseKind::inject, 9});  // none: a no-op
    mb.resupply(c, Cause{CauseKind::inject, 9});                                     // no fuel: a no-op
    same("no-ops on the bare asset");
    mb.end_fail_over(c, kNone, Cause{CauseKind::procedure_step, 4});
    mi.end_fail_over(c, kNone, Cause{CauseKind::procedure_step, 4});
    same("fail-over ended");
    CHECK(wb.level(c) == 0.0);
    mb.fail_over(c, kNone, Cause{CauseKind::procedure_step, 5});
    mi.fail_over(c, kNone, Cause{CauseKind::procedure_step, 5});
    same("every edge failed over");
    CHECK(wb.level(c) == 1.0);
    CHECK(wb.suppliers(c) == std::vector<Index>{a, a, b});  // also once the list is kept
  }
}

TEST_CASE("edges share a set of parameters only when every parameter is the same") {
  // Six dependents of one grid: three with a 1 h buffer, two with 2 h, one with 1 h and a
  // weight of 0.5 (its own parameters). Each drains its own buffer; the shared ones alike.
  Scenario s;
  const Index grid = add_asset(s);
  std::vector<Index> deps;
  for (int i = 0; i < 6; ++i) deps.push_back(add_asset(s));
  for (int i = 0; i < 3; ++i) depend(s, deps[i], grid, 1_h);
  for (int i = 3; i < 5; ++i) depend(s, deps[i], grid, 2_h);
  depend(s, deps[5], grid, 1_h).weight = 0.5;
  World w(s);
  Simulation sim;
  CascadeModel m(sim, w);
  m.impose(grid, 0.0, Cause{CauseKind::inject, 0});
  sim.run_until(SimTime::zero() + 30_min);
  for (int i = 0; i < 3; ++i) CHECK(w.buffer_charge(deps[i], grid, sim.now()) == doctest::Approx(0.5));
  for (int i = 3; i < 5; ++i) CHECK(w.buffer_charge(deps[i], grid, sim.now()) == doctest::Approx(0.75));
  CHECK(w.buffer_charge(deps[5], grid, sim.now()) == doctest::Approx(0.5));
  sim.run_until(SimTime::zero() + 90_min);
  for (int i = 0; i < 3; ++i) CHECK(w.level(deps[i]) == 0.0);
  for (int i = 3; i < 5; ++i) CHECK(w.level(deps[i]) == 1.0);
  CHECK(w.level(deps[5]) == 0.0);
  CHECK(w.perceived(deps[5], grid) == 0.0);
}
