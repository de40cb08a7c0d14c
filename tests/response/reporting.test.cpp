// Detection, reporting channels, knowledge records and the triage queue's calendar.
#include <doctest/doctest.h>

#include <cmath>

#include "response_fixture.hpp"

using namespace cyberdrill;
using namespace cyberdrill::test;

namespace {

struct Net {
  Builder b;
  Index op, cert, ncc, energy, grid;
  Net() {
    op = b.org("op", OrgKind::operator_, 2);
    cert = b.org("cert", OrgKind::csirt, 2);
    ncc = b.org("ncc", OrgKind::crisis_centre, 4);
    energy = b.sector("energy");
    grid = b.asset("grid", energy, op, 50'000);
    b.channel("op-cert", {op}, cert, 1.0, DurationDist::fixed(2_h));
    b.channel("cert-ncc", {cert}, ncc, 1.0, DurationDist::fixed(1_h));
    b.triage(cert, 30_min);
  }
};


}  // namespace

TEST_CASE("an outage is detected, reported, triaged and forwarded, knowledge sits beside the truth") {
  Net n;
  Run r(n.b.sc);
  r.script.actions.emplace_back(T(1_h), [&](Simulation& sim) { r.resp.on_outage_changed(sim, n.grid, 0.0, 50'000, 1); });
  r.script.actions.emplace_back(T(10_h), [&](Simulation& sim) { r.resp.on_outage_changed(sim, n.grid, 1.0, 0, 0); });
  r.go(T(2_d));
  const auto& recs = r.rec.records();

  const auto detected = of_kind(recs, RecordKind::detected);
  REQUIRE(detected.size() == 1);
  CHECK(detected[0].time == T(1_h));
  CHECK(detected[0].actor == n.op);

  const auto reported = of_kind(recs, RecordKind::reported);
  REQUIRE(reported.size() == 2);
  CHECK(reported[0].time == T(3_h));  // 2 h channel latency
  CHECK(reported[0].actor == n.cert);
  CHECK(reported[0].detail == n.op);
  CHECK(reported[1].time == T(4_h + 30_min));  // after 30 min triage, then 1 h to the crisis centre
  CHECK(reported[1].actor == n.ncc);

  const auto triaged = of_kind(recs, RecordKind::triaged);
  REQUIRE(triaged.size() == 1);
  CHECK(triaged[0].time == T(3_h + 30_min));
  CHECK(triaged[0].value == 3.0);  // 50,000 people out: severity 3
  CHECK(triaged[0].duration == Duration::zero());  // no wait

  // The operator knows at once, the CSIRT 2 h later, the crisis centre after triage + 1 h; the
  // recovery at 10 h reaches the CSIRT at 12 h and the crisis centre at 13 h.
  struct K {
    SimTime at;
    Index org;
    double level;
  };
  std::vector<K> seen;
  for (const auto& k : of_kind(recs, RecordKind::knowledge)) {
    CHECK(k.subject == n.grid);
    CHECK(k.cause_kind == CauseKind::organisation);
    seen.push_back(K{k.time, k.actor, k.value});
  }
  REQUIRE(seen.size() == 6);
  CHECK((seen[0].at == T(1_h) && seen[0].org == n.op && seen[0].level == 0.0));
  CHECK((seen[1].at == T(3_h) && seen[1].org == n.cert && seen[1].level == 0.0));
  CHECK((seen[2].at == T(4_h + 30_min) && seen[2].org == n.ncc));
  CHECK((seen[3].at == T(10_h) && seen[3].org == n.op && seen[3].level == 1.0));
  CHECK((seen[4].at == T(12_h) && seen[4].org == n.cert && seen[4].level == 1.0));
  CHECK((seen[5].at == T(13_h) && seen[5].org == n.ncc && seen[5].level == 1.0));
  CHECK(r.resp.believed_level(n.ncc, n.grid) == 1.0);

  const MetricValues v = r.resp.metrics(r.sim.now()).values;
  CHECK(*v.at("time_to_detect_h") == doctest::Approx(1.0));
  CHECK(*v.at("time_to_report_h") == doctest::Approx(3.0));
  CHECK(*v.at("time_to_triage_h") == doctest::Approx(3.5));
  CHECK(*v.at("mean_triage_wait_h") == doctest::Approx(0.0));
  CHECK(*v.at("max_severity") == 3.0);
  CHECK(*v.at("time_to_recover_h") == doctest::Approx(10.0));
  CHECK(*v.at("population_hours_lost") == doctest::Approx(50'000.0 * 9));
  CHECK(*v.at("service_hours_lost") == doctest::Approx(9.0));
  CHECK(*v.at("peak_outages") == 1.0);
  CHECK(*v.at("peak_population_affected") == 50'000.0);
  CHECK(*v.at("sectors_affected") == 1.0);
  CHECK_FALSE(v.at("time_to_escalate_h").has_value());  // no levels in this plan
}

TEST_CASE("every metric name is reported, exactly the documented set") {
  Net n;
  Run r(n.b.sc);
  r.go(T(1_h));
  const MetricValues v = r.resp.metrics(r.sim.now()).values;
  CHECK(v.size() == response_metric_names().size());
  for (const auto& name : response_metric_names()) CHECK(v.count(name) == 1);
  CHECK(response_metric_names().size() == 30);
}

TEST_CASE("channel coverage: the fraction of incidents reported matches the coverage") {
  Builder b;
  const Index op = b.org("op", OrgKind::operator_, 1);
  const Index cert = b.org("cert", OrgKind::csirt, 50);
  const Index s = b.sector("health");
  constexpr int kAssets = 4000;
  for (int i = 0; i < kAssets; ++i) b.asset("a" + std::to_string(i), s, op, 10);
  b.channel("partial", {op}, cert, 0.4, DurationDist::fixed(1_h));
  b.triage(cert, 1_min);

  for (const double scale : {1.0, 0.5}) {
    CAPTURE(scale);
    Scenario sc = b.sc;
    sc.policy["reporting_coverage_scale"] = scale;
    Run r(sc);
    r.script.actions.emplace_back(T(1_h), [&](Simulation& sim) {
      for (Index a = 0; a < kAssets; ++a) r.resp.on_detected(sim, a, CauseKind::attack_step, 0, false);
    });
    r.go(T(1_d));
    const ResponseMetrics m = r.resp.metrics(r.sim.now());
    REQUIRE(m.channels.size() == 1);
    CHECK(m.channels[0].attempts == kAssets);
    const double p = 0.4 * scale;
    const double frac = static_cast<double>(m.channels[0].sent) / kAssets;
    CHECK(std::abs(frac - p) < 4 * std::sqrt(p * (1 - p) / kAssets));
    CHECK(of_kind(r.rec.records(), RecordKind::reported).size() == static_cast<std::size_t>(m.channels[0].sent));
  }
}

TEST_CASE("triage waits for office hours, an on-call desk answers after its callout") {
  for (const bool on_call : {false, true}) {
    CAPTURE(on_call);
    Builder b;
    const Index op = b.org("op", OrgKind::operator_, 1);
    const Index cert = b.org("cert", OrgKind::csirt, 2, office_hours(on_call, 45_min));
    const Index a = b.asset("a", b.sector("s"), op, 20'000);
    b.channel("c", {op}, cert, 1.0, DurationDist::fixed(Duration::zero()));
    b.triage(cert, 1_h);
    Run r(b.sc);
    // Tuesday 17:00 local (T+8h): the CSIRT closed at 16:30.
    r.script.actions.emplace_back(T(8_h), [&](Simulation& sim) { r.resp.on_outage_changed(sim, a, 0.0, 20'000, 1); });
    r.go(T(3_d));
    const auto triaged = of_kind(r.rec.records(), RecordKind::triaged);
    REQUIRE(triaged.size() == 1);
    // Office hours: starts Wednesday 09:30 (T+24h30m), ends an hour later (a started task runs on).
    const Duration wait = on_call ? 45_min : 16_h + 30_min;
    CHECK(triaged[0].time == T(8_h) + wait + 1_h);
    CHECK(triaged[0].duration == wait);  // exact, in microseconds
    CHECK(triaged[0].detail == 0);
    CHECK(*r.resp.metrics(r.sim.now()).values.at("mean_triage_wait_h") == doctest::Approx(wait.to_hours()));
  }
}

TEST_CASE("a detection that is not visible is believed at full service, severity 2 for an attack") {
  Net n;
  Run r(n.b.sc);
  r.script.actions.emplace_back(T(1_h), [&](Simulation& sim) {
    r.resp.on_detected(sim, n.grid, CauseKind::attack_step, 5, false);
  });
  r.go(T(1_d));
  const auto k = of_kind(r.rec.records(), RecordKind::knowledge);
  REQUIRE_FALSE(k.empty());
  CHECK(k[0].value == 1.0);
  const auto d = of_kind(r.rec.records(), RecordKind::detected);
  REQUIRE(d.size() == 1);
  CHECK(d[0].cause_kind == CauseKind::attack_step);
  CHECK(d[0].cause == 5);
  const auto t = of_kind(r.rec.records(), RecordKind::triaged);
  REQUIRE(t.size() == 1);
  CHECK(t[0].value == 2.0);
  REQUIRE(r.resp.incidents().size() == 1);
  CHECK(r.resp.incidents()[0].severity == 2);
}

TEST_CASE("severity rule") {
  CHECK(severity_of(0, 0, false, false) == 0);
  CHECK(severity_of(0, 0, true, false) == 1);
  CHECK(severity_of(0, 0, true, true) == 2);
  CHECK(severity_of(500, 1, true, false) == 2);
  CHECK(severity_of(10'000, 1, true, false) == 3);
  CHECK(severity_of(10, 2, true, false) == 3);
  CHECK(severity_of(100'000, 1, true, false) == 4);
  CHECK(severity_of(10, 3, true, false) == 4);
  CHECK(severity_of(1'000'000, 1, true, false) == 5);
  CHECK(severity_of(10, 5, true, false) == 5);
}

TEST_CASE("policy knobs: mandatory reporting, latency, staff and triage service scales") {
  Net n;
  n.b.sc.channels[0].coverage = 0.0;  // voluntary and nobody reports
  {
    Run r(n.b.sc);
    r.script.actions.emplace_back(T(1_h), [&](Simulation& sim) { r.world.feed(sim, n.grid, 0.0); });
    r.go(T(1_d));
    CHECK(of_kind(r.rec.records(), RecordKind::reported).empty());
    CHECK(r.resp.staff(n.cert) == 2);
  }
  n.b.sc.policy = {{"mandatory_reporting", 1},
                   {"reporting_latency_scale", 2},
                   {"staff_scale", 2},
                   {"triage_service_scale", 3}};
  Run r(n.b.sc);
  r.script.actions.emplace_back(T(1_h), [&](Simulation& sim) { r.world.feed(sim, n.grid, 0.0); });
  r.go(T(1_d));
  const auto reported = of_kind(r.rec.records(), RecordKind::reported);
  REQUIRE(reported.size() == 2);
  CHECK(reported[0].time == T(5_h));  // 2 h x 2
  const auto triaged = of_kind(r.rec.records(), RecordKind::triaged);
  REQUIRE(triaged.size() == 1);
  CHECK(triaged[0].time == T(6_h + 30_min));  // 30 min x 3
  CHECK(r.resp.staff(n.cert) == 4);
  CHECK(r.resp.staff(n.ncc) == 8);
}

TEST_CASE("a set_policy effect during the run changes the report knobs from then on") {
  // The knobs read per report are looked up once and again after each set_policy: here an inject
  // at T+30min makes reporting mandatory and doubles latencies, before the outage at T+1h.
  Net n;
  n.b.sc.channels[0].coverage = 0.0;  // voluntary and nobody reports (previous case)
  auto policy_inject = [&](const char* id, const char* name, double value) {
    Inject in;
    in.id = id;
    in.when.kind = Trigger::Kind::at_time;
    in.when.at = T(30_min);
    in.to = n.cert;
    in.effect.kind = Effect::Kind::set_policy;
    in.effect.name = name;
    in.effect.value = value;
    n.b.sc.injects.push_back(in);
  };
  policy_inject("I-1", "mandatory_reporting", 1);
  policy_inject("I-2", "reporting_latency_scale", 2);
  Run r(n.b.sc);
  r.script.actions.emplace_back(T(1_h), [&](Simulation& sim) { r.world.feed(sim, n.grid, 0.0); });
  r.go(T(1_d));
  const auto reported = of_kind(r.rec.records(), RecordKind::reported);
  REQUIRE(reported.size() == 2);
  CHECK(reported[0].time == T(5_h));            // the operator's report: 2 h x 2, sent although coverage is 0
  CHECK(reported[1].time == T(5_h + 30_min + 2_h));  // triaged 30 min later, then 1 h x 2 onward
}
