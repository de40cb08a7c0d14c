// A run is a pure function of (scenario, seed, decision policy).
#include <doctest/doctest.h>

#include "response_fixture.hpp"

using namespace cyberdrill;
using namespace cyberdrill::test;

namespace {

Scenario busy_country() {
  Builder b;
  const Index ops = b.org("op", OrgKind::operator_, 2);
  const Index cert = b.org("cert", OrgKind::csirt, 3, office_hours(true, 45_min));
  const Index ncc = b.org("ncc", OrgKind::crisis_centre, 4);
  const Index s1 = b.sector("energy");
  const Index s2 = b.sector("health");
  for (int i = 0; i < 6; ++i) b.asset("a" + std::to_string(i), i % 2 ? s1 : s2, ops, 40'000 * (i + 1));
  const auto lat = DurationDist{Distribution::lognormal_median_p90(3.6e9, 4 * 3.6e9)};
  b.channel("op-cert", {ops}, cert, 0.7, lat);
  b.channel("cert-ncc", {cert}, ncc, 0.9, lat);
  b.sc.background.org = cert;
  b.sc.background.rate_per_day = 43;
  b.sc.background.service = DurationDist{Distribution::exponential(1.5 * 3.6e9)};
  b.sc.background.severity_first = true;
  b.sc.background.severity = Distribution::empirical({{1, 60}, {2, 30}, {3, 9}, {4, 1}});
  b.level("baseline", 0);
  b.level("incident", 1, 3, 0, 0, 12_h);
  b.level("crisis", 2, 99, 300'000, 2, 6_h);
  Procedure p;
  p.id = "P";
  p.owner = cert;
  p.trigger.kind = Trigger::Kind::report;
  p.trigger.org = cert;
  ProcedureStep st;
  st.id = "contain";
  st.org = ops;
  st.duration = DurationDist{Distribution::triangular(3.6e9, 2 * 3.6e9, 6 * 3.6e9)};
  st.effect.kind = Effect::Kind::contain;
  p.steps.push_back(st);
  b.sc.plan.procedures.push_back(p);
  Obligation o;
  o.id = "nis2";
  o.deadline = 24_h;
  o.to = cert;
  b.sc.plan.obligations.push_back(o);
  return b.sc;
}

std::uint64_t run_fingerprint(const Scenario& sc, std::uint64_t seed, std::vector<TraceRecord>* out = nullptr) {
  Run r(sc, seed);
  for (Index a = 0; a < 6; ++a)
    r.script.actions.emplace_back(T(Duration::hours(2 + 5 * a)), [&r, a](Simulation& sim) { r.world.feed(sim, a, 0.0); });
  for (Index a = 0; a < 6; ++a)
    r.script.actions.emplace_back(T(Duration::hours(40 + 3 * a)), [&r, a](Simulation& sim) { r.world.feed(sim, a, 1.0); });
  r.go(T(5_d));
  if (out) *out = r.rec.records();
  CHECK(r.fingerprint.count() > 100);
  return r.fingerprint.value();
}

}  // namespace

TEST_CASE("same scenario and seed: identical traces, record by record") {
  const Scenario sc = busy_country();
  std::vector<TraceRecord> a, b;
  const auto fa = run_fingerprint(sc, 42, &a);
  const auto fb = run_fingerprint(sc, 42, &b);
  CHECK(fa == fb);
  CHECK(a == b);
  CHECK(fingerprint(a) == fa);
}

TEST_CASE("another seed gives another run") {
  const Scenario sc = busy_country();
  CHECK(run_fingerprint(sc, 42) != run_fingerprint(sc, 43));
}
