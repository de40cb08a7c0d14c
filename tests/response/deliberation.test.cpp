// Decisions by people: the owner decides after deliberating, only once it knows of the
// incident; decisions can be late or not taken; a journal replays at its journaled times.
#include <doctest/doctest.h>

#include "response_fixture.hpp"

using namespace cyberdrill;
using namespace cyberdrill::test;

namespace {

struct Room {
  Builder b;
  Index op, cert, ncc, grid;
  Room(Duration deliberation, Duration deadline, Duration report_latency = 30_min) {
    op = b.org("op", OrgKind::operator_, 2);
    cert = b.org("cert", OrgKind::csirt, 2);
    ncc = b.org("ncc", OrgKind::crisis_centre, 4);
    grid = b.asset("grid", b.sector("energy"), op, 50'000);
    b.channel("op-ncc", {op}, ncc, 1.0, DurationDist::fixed(report_latency));
    b.triage(cert, 30_min);
    Decision d;
    d.id = "D-01";
    d.question = "Warn the public?";
    d.owner = ncc;
    d.when.kind = Trigger::Kind::outage;  // ground truth: fires at the outage itself
    d.deadline = deadline;
    DecisionOption warn;
    warn.id = "warn";
    Effect e;
    e.kind = Effect::Kind::warn_public;
    warn.effects = {e};
    d.options = {warn};
    d.default_option = 0;
    d.deliberation = DurationDist::fixed(deliberation);
    b.sc.decisions = {d};
  }
  void fail_at(Run& r, Duration at) {
    r.script.actions.emplace_back(T(at), [&r, this](Simulation& sim) { r.world.feed(sim, grid, 0.0); });
  }
};

}  // namespace

TEST_CASE("the owner decides after its deliberation time, not before it knows of the incident") {
  Room room(75_min, 6_h, 3_h);
  Run r(room.b.sc);
  room.fail_at(r, 1_h);
  r.go(T(2_d));
  const auto taken = of_kind(r.rec.records(), RecordKind::decision_taken);
  REQUIRE(taken.size() == 1);
  // The decision opens at the outage (T+1h); the crisis centre learns at T+4h (report latency
  // 3 h) and decides 75 min later.
  CHECK(taken[0].time == T(4_h + 75_min));
  const auto& j = r.resp.journal().entries;
  REQUIRE(j.size() == 1);
  CHECK(j[0].opened == T(1_h));
  CHECK(j[0].on_time);
  REQUIRE(r.resp.metrics(r.sim.now()).public_warned.has_value());
  CHECK(*r.resp.metrics(r.sim.now()).public_warned >= T(4_h));  // no warning before any report reached it
}

TEST_CASE("a deliberation beyond the deadline is taken late and counted late") {
  Room room(3_h, 1_h, 0_h);
  Run r(room.b.sc);
  room.fail_at(r, 1_h);
  r.go(T(2_d));
  const auto taken = of_kind(r.rec.records(), RecordKind::decision_taken);
  REQUIRE(taken.size() == 1);
  CHECK(taken[0].time == T(4_h));
  const ResponseMetrics m = r.resp.metrics(r.sim.now());
  CHECK(m.decisions_taken == 1);
  CHECK(m.decisions_on_time == 0);
  CHECK(*m.values.at("decisions_on_time_fraction") == 0.0);
  CHECK_FALSE(r.resp.journal().entries[0].on_time);
}

TEST_CASE("a decision still in deliberation at the horizon is not taken") {
  Room room(5_d, 1_h, 0_h);
  Run r(room.b.sc);
  room.fail_at(r, 1_h);
  r.go(T(2_d));
  CHECK(of_kind(r.rec.records(), RecordKind::decision_taken).empty());
  const ResponseMetrics m = r.resp.metrics(r.sim.now());
  CHECK(m.decisions_taken == 0);
  CHECK(m.decisions_not_taken == 1);
  CHECK_FALSE(m.values.at("decisions_on_time_fraction").has_value());
}

TEST_CASE("an owner who never learns of the incident never decides, not even by default") {
  Room room(10_min, 1_h, 0_h);
  room.b.sc.channels.clear();  // nobody tells the crisis centre
  Run r(room.b.sc);
  room.fail_at(r, 1_h);
  r.go(T(2_d));
  CHECK(of_kind(r.rec.records(), RecordKind::decision_taken).empty());
  CHECK(r.resp.metrics(r.sim.now()).decisions_not_taken == 1);
}

TEST_CASE("a journaled decision applies at its journaled time, without deliberation") {
  Room room(5_h, 6_h, 0_h);
  DecisionJournal j;
  j.entries.push_back(DecisionEntry{T(1_h + 20_min), "D-01", "warn", "alice", T(1_h), true});
  DefaultDecisionPolicy fallback;
  JournalReplayPolicy replay(room.b.sc, j, std::nullopt, fallback);
  Run r(room.b.sc, 7, &replay);
  room.fail_at(r, 1_h);
  r.go(T(2_d));
  const auto taken = of_kind(r.rec.records(), RecordKind::decision_taken);
  REQUIRE(taken.size() == 1);
  CHECK(taken[0].time == T(1_h + 20_min));
  CHECK(r.resp.journal().entries[0].who == "journal");
}

TEST_CASE("sampled deliberation makes decisions_on_time vary between seeds") {
  Room room(0_h, 90_min, 0_h);
  room.b.sc.decisions[0].deliberation.dist =
      Distribution::lognormal_median_p90(static_cast<double>((75_min).us()), static_cast<double>((2_h).us()));
  int on_time = 0, late = 0;
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    Run r(room.b.sc, seed);
    room.fail_at(r, 1_h);
    r.go(T(2_d));
    const ResponseMetrics m = r.resp.metrics(r.sim.now());
    REQUIRE(m.decisions_taken == 1);
    (m.decisions_on_time == 1 ? on_time : late) += 1;
  }
  CHECK(on_time > 0);
  CHECK(late > 0);
}
