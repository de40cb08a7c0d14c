// Incidents: detections about one event join one incident, triaged once; essential operators'
// reports go ahead of the background load; steps needing triage start after it.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "response_fixture.hpp"

using namespace cyberdrill;
using namespace cyberdrill::test;

namespace {

struct Cascade {
  Builder b;
  Index isp_op, gov_op, uni_op, other_op, cert, sector;
  Index backbone, gov, uni, unrelated;
  Cascade() {
    isp_op = b.org("isp", OrgKind::operator_, 1);
    gov_op = b.org("gov", OrgKind::operator_, 1);
    uni_op = b.org("uni", OrgKind::operator_, 1);
    other_op = b.org("other", OrgKind::operator_, 1);
    cert = b.org("cert", OrgKind::csirt, 4);
    sector = b.sector("government");
    b.triage(cert, 20_min);
    backbone = b.asset("backbone", sector, isp_op, 1000);
    gov = b.asset("gov-portal", sector, gov_op, 1000);
    uni = b.asset("uni-network", sector, uni_op, 1000);
    unrelated = b.asset("elsewhere", sector, other_op, 1000);
    Dependency on_backbone;
    on_backbone.supplier = backbone;
    Dependency on_gov;
    on_gov.supplier = gov;  // two hops from the backbone
    b.sc.assets[gov].depends_on.push_back(on_backbone);
    b.sc.assets[uni].depends_on.push_back(on_gov);
    for (Index op : {isp_op, gov_op, uni_op, other_op})
      b.channel("ch-" + b.sc.organisations[op].id, {op}, cert, 1.0, DurationDist::fixed(30_min));
  }
};

}  // namespace

TEST_CASE("outages cascading from one supplier join its incident, which is triaged once") {
  Cascade c;
  Run r(c.b.sc);
  r.script.actions.emplace_back(T(1_h), [&](Simulation& sim) { r.world.feed(sim, c.backbone, 0.0); });
  r.script.actions.emplace_back(T(1_h), [&](Simulation& sim) { r.world.feed(sim, c.gov, 0.0); });
  r.script.actions.emplace_back(T(1_h), [&](Simulation& sim) { r.world.feed(sim, c.uni, 0.0); });
  r.script.actions.emplace_back(T(3_d), [&](Simulation& sim) { r.world.feed(sim, c.unrelated, 0.0); });
  r.go(T(5_d));
  const auto& inc = r.resp.incidents();
  REQUIRE(inc.size() == 4);
  CHECK(inc[0].group == 0);
  CHECK(inc[1].group == 0);
  CHECK(inc[2].group == 0);
  CHECK(inc[3].group == 3);  // another operator, two days later, no failed supplier
  const auto triaged = of_kind(r.rec.records(), RecordKind::triaged);
  REQUIRE(triaged.size() == 2);
  CHECK(triaged[0].subject == 0);
  CHECK(triaged[1].subject == 3);
  // Every asset of the incident the CSIRT knows is rated by that one triage.
  CHECK(inc[1].triaged.has_value());
  CHECK(inc[2].triaged.has_value());
  const ResponseMetrics m = r.resp.metrics(r.sim.now());
  CHECK(m.scenario_triage.served == 2);
  // One `reported` record per incident at the CSIRT, not one per asset.
  std::size_t to_cert = 0;
  for (const auto& rec : of_kind(r.rec.records(), RecordKind::reported)) to_cert += rec.actor == c.cert ? 1 : 0;
  CHECK(to_cert == 2);
}

TEST_CASE("detections of one campaign join one incident across operators") {
  Cascade c;
  c.b.sc.plan.incident_window = Duration::zero();
  Campaign camp;
  camp.id = "apt";
  AttackStep s1, s2;
  s1.id = "phish";
  s2.id = "vpn";
  camp.steps = {s1, s2};
  c.b.sc.campaigns = {camp};
  Run r(c.b.sc);
  r.script.actions.emplace_back(
      T(1_h), [&](Simulation& sim) { r.resp.on_detected(sim, c.gov, CauseKind::attack_step, 0, false); });
  r.script.actions.emplace_back(
      T(2_d), [&](Simulation& sim) { r.resp.on_detected(sim, c.unrelated, CauseKind::attack_step, 1, false); });
  r.script.actions.emplace_back(T(2_d), [&](Simulation& sim) {
    r.resp.on_detected(sim, c.uni, CauseKind::asset, c.uni, false);  // not the campaign's, no failed supplier
  });
  r.go(T(4_d));
  const auto& inc = r.resp.incidents();
  REQUIRE(inc.size() == 3);
  CHECK(inc[1].group == 0);
  CHECK(inc[2].group == 2);
  CHECK(of_kind(r.rec.records(), RecordKind::triaged).size() == 2);
}

TEST_CASE("detections at one operator within the incident window join its incident") {
  Cascade c;
  c.b.sc.plan.incident_window = 6_h;
  const Index second = c.b.asset("isp-dns", c.sector, c.isp_op, 10);
  const Index third = c.b.asset("isp-mail", c.sector, c.isp_op, 10);
  Run r(c.b.sc);
  r.script.actions.emplace_back(T(1_h), [&](Simulation& sim) { r.world.feed(sim, c.backbone, 0.5); });
  r.script.actions.emplace_back(T(5_h), [&](Simulation& sim) { r.world.feed(sim, second, 0.5); });
  r.script.actions.emplace_back(T(20_h), [&](Simulation& sim) { r.world.feed(sim, third, 0.5); });
  r.go(T(2_d));
  const auto& inc = r.resp.incidents();
  REQUIRE(inc.size() == 3);
  CHECK(inc[1].group == 0);  // 4 h after the operator's last detection
  CHECK(inc[2].group == 2);  // 15 h after it: a new incident
}

TEST_CASE("an essential operator's report overtakes the background load") {
  // One analyst, background 60 a day at 30 min each: the queue grows without bound.
  auto wait_of = [](bool essential) {
    Builder b;
    const Index op = b.org("op", OrgKind::operator_, 1);
    const Index cert = b.org("cert", OrgKind::csirt, 1);
    const Index sec = b.sector("energy");
    b.triage(cert, 30_min);
    b.sc.background.rate_per_day = 60;
    const Index a = b.asset("grid", sec, op, 1000);
    const Index ch = b.channel("op-cert", {op}, cert, 1.0, DurationDist::fixed(10_min));
    b.sc.channels[ch].essential = essential;
    Run r(b.sc);
    r.script.actions.emplace_back(T(2_d), [&](Simulation& sim) { r.world.feed(sim, a, 0.0); });
    r.go(T(6_d));
    for (const auto& rec : of_kind(r.rec.records(), RecordKind::triaged))
      if (rec.subject < kBackgroundIncidentBase) return rec.duration.to_hours();
    return 1e9;  // never triaged
  };
  const double essential = wait_of(true);
  const double ordinary = wait_of(false);
  CHECK(essential <= 0.5);  // at most one background task in service ahead of it
  CHECK(ordinary > 4.0);    // behind the backlog of about a day's arrivals
}

TEST_CASE("a procedure triggered by triage starts only after the incident's triage") {
  Builder b;
  const Index op = b.org("op", OrgKind::operator_, 1);
  const Index cert = b.org("cert", OrgKind::csirt, 2);
  const Index sec = b.sector("energy");
  b.triage(cert, 2_h);
  const Index a = b.asset("grid", sec, op, 1000);
  b.channel("op-cert", {op}, cert, 1.0, DurationDist::fixed(30_min));
  Procedure advise;
  advise.id = "advise";
  advise.owner = cert;
  advise.trigger.kind = Trigger::Kind::triage;
  ProcedureStep st;
  st.id = "advise";
  st.duration = DurationDist::fixed(1_h);
  advise.steps = {st};
  b.sc.plan.procedures = {advise};
  Run r(b.sc);
  r.script.actions.emplace_back(T(1_h), [&](Simulation& sim) { r.world.feed(sim, a, 0.0); });
  r.go(T(1_d));
  const auto triaged = of_kind(r.rec.records(), RecordKind::triaged);
  const auto started = of_kind(r.rec.records(), RecordKind::step_started);
  REQUIRE(triaged.size() == 1);
  REQUIRE(started.size() == 1);
  CHECK(triaged[0].time == T(3_h + 30_min));  // report at T+1h30, 2 h of triage
  CHECK(started[0].time == triaged[0].time);
  CHECK(of_kind(r.rec.records(), RecordKind::procedure_started).size() == 1);
}
