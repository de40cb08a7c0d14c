// Objective ratings P/S/M/U (the rule of Objective in scenario.hpp).
#include <doctest/doctest.h>

#include "response_fixture.hpp"

using namespace cyberdrill;
using namespace cyberdrill::test;

namespace {

Objective objective(const std::string& metric, bool lower, double p, double s, double m) {
  Objective o;
  o.id = "O-" + metric;
  o.metric = metric;
  o.lower_is_better = lower;
  o.p = p;
  o.s = s;
  o.m = m;
  return o;
}

Rating rate(const Objective& o, std::optional<double> value, bool present = true) {
  Scenario sc;
  sc.objectives = {o};
  MetricValues v;
  if (present) v[o.metric] = value;
  const auto r = rate_objectives(sc, v);
  REQUIRE(r.size() == 1);
  CHECK(r[0].value == (present ? value : std::nullopt));
  return r[0].rating;
}

}  // namespace

TEST_CASE("lower is better: value <= P rates P, <= S rates S, <= M rates M, else U") {
  const Objective o = objective("time_to_escalate_h", true, 4, 8, 24);
  CHECK(rate(o, 3.0) == Rating::P);
  CHECK(rate(o, 4.0) == Rating::P);  // the target itself is met
  CHECK(rate(o, 6.0) == Rating::S);
  CHECK(rate(o, 8.0) == Rating::S);
  CHECK(rate(o, 20.0) == Rating::M);
  CHECK(rate(o, 24.5) == Rating::U);
}

TEST_CASE("higher is better mirrors the rule") {
  const Objective o = objective("obligations_met_fraction", false, 0.9, 0.75, 0.5);
  CHECK(rate(o, 0.95) == Rating::P);
  CHECK(rate(o, 0.9) == Rating::P);
  CHECK(rate(o, 0.8) == Rating::S);
  CHECK(rate(o, 0.6) == Rating::M);
  CHECK(rate(o, 0.2) == Rating::U);
}

TEST_CASE("a metric that never happened, or is missing, rates U") {
  const Objective o = objective("time_to_crisis_h", true, 4, 8, 24);
  CHECK(rate(o, std::nullopt) == Rating::U);
  CHECK(rate(o, std::nullopt, false) == Rating::U);
  CHECK(rating_letter(Rating::P) == 'P');
  CHECK(rating_letter(Rating::S) == 'S');
  CHECK(rating_letter(Rating::M) == 'M');
  CHECK(rating_letter(Rating::U) == 'U');
}

TEST_CASE("a run's metrics rate its objectives, ratings are emitted as trace records") {
  Builder b;
  const Index op = b.org("op", OrgKind::operator_, 1);
  const Index cert = b.org("cert", OrgKind::csirt, 1);
  const Index a = b.asset("a", b.sector("s"), op, 20'000);
  b.channel("c", {op}, cert, 1.0, DurationDist::fixed(3_h));
  b.triage(cert, 1_h);
  b.sc.objectives = {objective("time_to_report_h", true, 2, 4, 8), objective("time_to_triage_h", true, 2, 4, 8),
                     objective("time_to_crisis_h", true, 2, 4, 8)};
  Run r(b.sc);
  r.script.actions.emplace_back(T(1_h), [&](Simulation& sim) { r.world.feed(sim, a, 0.0); });
  r.go(T(1_d));
  const auto ratings = rate_objectives(b.sc, r.resp.metrics(r.sim.now()).values);
  REQUIRE(ratings.size() == 3);
  CHECK(ratings[0].rating == Rating::S);  // reported at 1 h + 3 h = 4 h: <= S
  CHECK(*ratings[0].value == doctest::Approx(4.0));
  CHECK(ratings[1].rating == Rating::M);  // triaged at 5 h
  CHECK(ratings[2].rating == Rating::U);  // never a crisis
  emit_objective_ratings(r.sim, ratings);
  const auto recs = of_kind(r.rec.records(), RecordKind::objective_rated);
  REQUIRE(recs.size() == 3);
  CHECK((recs[0].subject == 0 && recs[0].detail == 1 && recs[0].value == doctest::Approx(4.0)));
  CHECK(recs[2].value == -1.0);
  CHECK(recs[2].detail == 3);
}
