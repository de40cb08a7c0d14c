// Obligations as clocks started by awareness of a significant incident.
#include <doctest/doctest.h>

#include "response_fixture.hpp"

using namespace cyberdrill;
using namespace cyberdrill::test;

namespace {

struct Regimes {
  Builder b;
  Index op, cert, energy, finance;
  Regimes(double coverage, Duration latency) {
    op = b.org("op", OrgKind::operator_, 1);
    cert = b.org("cert", OrgKind::csirt, 2);
    energy = b.sector("energy");
    finance = b.sector("finance");
    b.channel("op-cert", {op}, cert, coverage, DurationDist::fixed(latency));
    b.triage(cert, 10_min);
    Obligation nis2;
    nis2.id = "nis2-early-warning";
    nis2.regime = "NIS2 Art. 23";
    nis2.deadline = 24_h;
    nis2.to = cert;
    nis2.min_severity = 3;
    Obligation dora;
    dora.id = "dora-initial";
    dora.regime = "DORA";
    dora.deadline = 4_h;
    dora.sectors = {finance};
    dora.to = cert;
    dora.min_severity = 3;
    b.sc.plan.obligations = {nis2, dora};
  }
};

}  // namespace

TEST_CASE("a report reaching the authority within 24 h meets the clock") {
  Regimes g(1.0, 2_h);
  const Index a = g.b.asset("grid", g.energy, g.op, 50'000);
  Run r(g.b.sc);
  r.script.actions.emplace_back(T(1_h), [&](Simulation& sim) { r.world.feed(sim, a, 0.0); });
  r.go(T(3_d));
  const auto& recs = r.rec.records();
  const auto started = of_kind(recs, RecordKind::obligation_started);
  REQUIRE(started.size() == 1);  // DORA applies to finance only
  CHECK(started[0].subject == 0);
  CHECK(started[0].actor == g.op);
  CHECK(started[0].time == T(1_h));
  const auto met = of_kind(recs, RecordKind::obligation_met);
  REQUIRE(met.size() == 1);
  CHECK(met[0].time == T(3_h));
  CHECK(met[0].value == doctest::Approx(2.0));
  CHECK(of_kind(recs, RecordKind::obligation_missed).empty());
  const MetricValues v = r.resp.metrics(r.sim.now()).values;
  CHECK(*v.at("obligations_met_fraction") == 1.0);
  CHECK(*v.at("obligations_missed") == 0.0);
}

TEST_CASE("no report (coverage 0) misses the 24 h clock at its deadline") {
  Regimes g(0.0, 2_h);
  const Index a = g.b.asset("grid", g.energy, g.op, 50'000);
  Run r(g.b.sc);
  r.script.actions.emplace_back(T(1_h), [&](Simulation& sim) { r.world.feed(sim, a, 0.0); });
  r.go(T(24_h + 59_min));
  CHECK(of_kind(r.rec.records(), RecordKind::obligation_missed).empty());
  CHECK_FALSE(r.resp.metrics(r.sim.now()).values.at("obligations_met_fraction").has_value());  // still running
  r.sim.run_until(T(3_d));
  const auto missed = of_kind(r.rec.records(), RecordKind::obligation_missed);
  REQUIRE(missed.size() == 1);
  CHECK(missed[0].time == T(25_h));
  const ResponseMetrics m = r.resp.metrics(r.sim.now());
  CHECK(*m.values.at("obligations_met_fraction") == 0.0);
  CHECK(*m.values.at("obligations_missed") == 1.0);
  REQUIRE(m.obligations.size() == 1);
  CHECK(m.obligations[0].state == ObligationClock::State::missed);
}

TEST_CASE("a report arriving exactly at the deadline is in time") {
  Regimes g(1.0, 24_h);
  const Index a = g.b.asset("grid", g.energy, g.op, 50'000);
  Run r(g.b.sc);
  r.script.actions.emplace_back(T(1_h), [&](Simulation& sim) { r.world.feed(sim, a, 0.0); });
  r.go(T(3_d));
  CHECK(of_kind(r.rec.records(), RecordKind::obligation_met).size() == 1);
}

TEST_CASE("the financial sector's 4 h clock is missed while the 24 h clock is met") {
  Regimes g(1.0, 6_h);
  const Index bank = g.b.asset("bank", g.finance, g.op, 50'000);
  Run r(g.b.sc);
  r.script.actions.emplace_back(T(1_h), [&](Simulation& sim) { r.world.feed(sim, bank, 0.0); });
  r.go(T(3_d));
  const auto& recs = r.rec.records();
  CHECK(of_kind(recs, RecordKind::obligation_started).size() == 2);
  const auto missed = of_kind(recs, RecordKind::obligation_missed);
  REQUIRE(missed.size() == 1);
  CHECK((missed[0].subject == 1 && missed[0].time == T(5_h)));
  const auto met = of_kind(recs, RecordKind::obligation_met);
  REQUIRE(met.size() == 1);
  CHECK((met[0].subject == 0 && met[0].time == T(7_h)));
  const MetricValues v = r.resp.metrics(r.sim.now()).values;
  CHECK(*v.at("obligations_met_fraction") == 0.5);
  CHECK(*v.at("obligations_missed") == 1.0);
}

TEST_CASE("the clock starts only when the incident becomes significant") {
  Regimes g(1.0, 2_h);
  const Index a = g.b.asset("grid", g.energy, g.op, 50'000);
  Run r(g.b.sc);
  // 10 % degraded: 5,000 people, severity 2; fully out at 30 h: severity 3.
  r.script.actions.emplace_back(T(1_h), [&](Simulation& sim) { r.world.feed(sim, a, 0.9); });
  r.script.actions.emplace_back(T(30_h), [&](Simulation& sim) { r.world.feed(sim, a, 0.0); });
  r.go(T(3_d));
  const auto started = of_kind(r.rec.records(), RecordKind::obligation_started);
  REQUIRE(started.size() == 1);
  CHECK(started[0].time == T(30_h));
  // The CSIRT already knew of the incident (reported at 3 h): met as soon as it starts.
  const auto met = of_kind(r.rec.records(), RecordKind::obligation_met);
  REQUIRE(met.size() == 1);
  CHECK(met[0].time == T(30_h));
  CHECK(met[0].value == 0.0);
}
