// The escalation state machine: thresholds on severity, population and sectors; de-escalation.
#include <doctest/doctest.h>

#include "response_fixture.hpp"

using namespace cyberdrill;
using namespace cyberdrill::test;

namespace {

struct Country {
  Builder b;
  Index op, cert;
  Index energy, health, finance;
  Index small, big, hospital, bank;
  Index baseline, incident, crisis;
  Country() {
    op = b.org("op", OrgKind::operator_, 1);
    cert = b.org("cert", OrgKind::csirt, 4);
    energy = b.sector("energy");
    health = b.sector("health");
    finance = b.sector("finance");
    small = b.asset("small", energy, op, 50'000);
    big = b.asset("big", energy, op, 600'000);
    hospital = b.asset("hospital", health, op, 0);
    bank = b.asset("bank", finance, op, 0);
    b.channel("op-cert", {op}, cert, 1.0, DurationDist::fixed(Duration::zero()));
    b.triage(cert, 30_min);
    // Declared out of rank order on purpose: ranks decide, not positions.
    crisis = b.level("national-crisis", 2, 99, 500'000, 3, 6_h);
    baseline = b.level("baseline", 0);
    incident = b.level("national-incident", 1, 3, 0, 0, 12_h);
  }
  void out(Run& r, SimTime at, Index asset, double level) {
    r.script.actions.emplace_back(at, [&r, asset, level](Simulation& sim) {
      r.world.feed(sim, asset, level);
    });
  }
};

struct Step {
  SimTime at;
  RecordKind kind;
  Index level;
  Index from;
};

std::vector<Step> level_changes(const std::vector<TraceRecord>& recs) {
  std::vector<Step> out;
  for (const auto& r : recs)
    if (r.kind == RecordKind::escalated || r.kind == RecordKind::deescalated)
      out.push_back(Step{r.time, r.kind, r.subject, static_cast<Index>(r.value)});
  return out;
}

}  // namespace

TEST_CASE("escalation climbs with the picture and steps down one level per calm period") {
  Country c;
  Run r(c.b.sc);
  CHECK(r.resp.current_level() == c.baseline);
  c.out(r, T(1_h), c.small, 0.0);   // 50,000 people: severity 3 -> national incident
  c.out(r, T(3_h), c.big, 0.0);     // 650,000 people: national crisis
  c.out(r, T(10_h), c.big, 1.0);    // big back: 50,000 again -> calm for the crisis level
  c.out(r, T(12_h), c.small, 1.0);  // all back
  r.go(T(3_d));
  const auto steps = level_changes(r.rec.records());
  REQUIRE(steps.size() == 4);
  CHECK((steps[0].at == T(1_h + 30_min) && steps[0].kind == RecordKind::escalated && steps[0].level == c.incident &&
         steps[0].from == c.baseline));
  CHECK((steps[1].at == T(3_h + 30_min) && steps[1].level == c.crisis && steps[1].from == c.incident));
  // Crisis calm from 10 h (the update is not queued: triaged incidents are re-rated at once),
  // 6 h later one step down; national incident calm since 12 h, 12 h after stepping down.
  CHECK((steps[2].at == T(16_h) && steps[2].kind == RecordKind::deescalated && steps[2].level == c.incident));
  CHECK((steps[3].at == T(28_h) && steps[3].kind == RecordKind::deescalated && steps[3].level == c.baseline));
  CHECK(r.resp.current_level() == c.baseline);

  const MetricValues v = r.resp.metrics(r.sim.now()).values;
  CHECK(*v.at("time_to_escalate_h") == doctest::Approx(1.5));
  CHECK(*v.at("time_to_crisis_h") == doctest::Approx(3.5));
  CHECK(*v.at("max_severity") == 4.0);  // 650,000 people in the national picture: 4 (5 needs 1M)
}

TEST_CASE("a worse picture during the calm period cancels the step down") {
  Country c;
  Run r(c.b.sc);
  c.out(r, T(1_h), c.small, 0.0);
  c.out(r, T(5_h), c.small, 1.0);   // calm from 5 h: would step down at 17 h
  c.out(r, T(10_h), c.small, 0.0);  // worse again at 10 h: calm cancelled
  r.go(T(16_h + 59_min));
  const auto steps = level_changes(r.rec.records());
  REQUIRE(steps.size() == 1);
  CHECK(steps[0].kind == RecordKind::escalated);
  r.sim.run_until(T(3_d));
  CHECK(level_changes(r.rec.records()).size() == 1);  // still out: no step down ever
  CHECK(r.resp.current_level() == c.incident);
}

TEST_CASE("three sectors with an outage reach the crisis level, the crisis structure shortens hand-offs") {
  Country c;
  c.b.sc.plan.crisis_handoff_factor = 0.5;
  const Index ncc = c.b.org("ncc", OrgKind::crisis_centre, 2);
  c.b.channel("cert-ncc", {c.cert}, ncc, 1.0, DurationDist::fixed(4_h));
  Run r(c.b.sc);
  c.out(r, T(1_h), c.hospital, 0.0);
  c.out(r, T(1_h), c.bank, 0.0);
  c.out(r, T(1_h), c.small, 0.5);  // 25,000 people, third sector
  r.go(T(1_d));
  CHECK(r.resp.current_level() == c.crisis);
  CHECK(r.resp.crisis_structure_active());
  // Four staff triage all three at once (done at 1h30, in detection order). The third triage
  // completes the picture (three sectors): the crisis is declared before that incident is
  // forwarded, so its report takes 2 h; the two forwarded before the crisis take 4 h.
  std::vector<SimTime> at_ncc;
  for (const auto& rec : of_kind(r.rec.records(), RecordKind::reported))
    if (rec.actor == ncc) at_ncc.push_back(rec.time);
  REQUIRE(at_ncc.size() == 3);
  CHECK(at_ncc[0] == T(3_h + 30_min));
  CHECK(at_ncc[1] == T(5_h + 30_min));
  CHECK(at_ncc[2] == T(5_h + 30_min));
}

TEST_CASE("an escalate effect raises the level, a plan without levels never escalates") {
  Country c;
  Procedure p;
  p.id = "declare";
  p.owner = c.cert;
  p.trigger.kind = Trigger::Kind::at_time;
  p.trigger.at = T(2_h);
  ProcedureStep s;
  s.id = "declare-crisis";
  s.duration = DurationDist::fixed(15_min);
  s.effect.kind = Effect::Kind::escalate;
  s.effect.ref = c.crisis;
  p.steps.push_back(s);
  c.b.sc.plan.procedures.push_back(p);
  Run r(c.b.sc);
  r.go(T(2_h + 15_min));
  CHECK(r.resp.current_level() == c.crisis);
  const auto steps = level_changes(r.rec.records());
  REQUIRE(steps.size() == 1);
  CHECK(steps[0].at == T(2_h + 15_min));
  // Nothing in the picture holds the crisis: it steps down after 6 h, then 12 h more.
  r.sim.run_until(T(3_d));
  CHECK(r.resp.current_level() == c.baseline);

  Builder none;
  const Index cert = none.org("cert", OrgKind::csirt, 1);
  const Index op = none.org("op", OrgKind::operator_, 1);
  const Index a = none.asset("a", none.sector("s"), op, 5'000'000);
  none.channel("c", {op}, cert, 1.0, DurationDist::fixed(Duration::zero()));
  none.triage(cert, 1_min);
  Run r2(none.sc);
  r2.script.actions.emplace_back(T(1_h), [&](Simulation& sim) { r2.world.feed(sim, a, 0.0); });
  r2.go(T(1_d));
  CHECK(r2.resp.current_level() == kNone);
  CHECK(of_kind(r2.rec.records(), RecordKind::escalated).empty());
  CHECK(r2.resp.national_severity() == 5);
}

TEST_CASE("a sector counts for severity and escalation only below 90 % service (kSeveritySectorLevel)") {
  CHECK(kSeveritySectorLevel == doctest::Approx(0.9));
  for (const double level : {0.98, 0.95, 0.85}) {
    CAPTURE(level);
    Country c;
    Run r(c.b.sc);
    c.out(r, T(1_h), c.hospital, level);
    c.out(r, T(1_h), c.bank, level);
    c.out(r, T(1_h), c.small, level);
    r.go(T(1_d));
    // Three sectors with an outage (below 0.99) in every case: detected and counted as outages.
    CHECK(r.resp.metrics(T(1_d)).values.at("peak_outages").value_or(0) == 3);
    if (level >= kSeveritySectorLevel) {
      // A 2-5 % dip in three sectors: not three "affected" sectors, so no crisis and severity
      // stays at "some impact" (a few thousand people).
      CHECK(r.resp.current_level() != c.crisis);
      CHECK(r.resp.national_severity() <= 3);
    } else {
      CHECK(r.resp.current_level() == c.crisis);  // min_sectors 3
      CHECK(r.resp.national_severity() >= 4);     // >= 3 sectors
    }
  }
}
