// The exercise layer: injects (timed and conditional) and decisions (default, override, owner's
// calendar, deferral and live decisions, journal replay and the counterfactual fork).
#include <doctest/doctest.h>

#include <stdexcept>

#include "response_fixture.hpp"

using namespace cyberdrill;
using namespace cyberdrill::test;

namespace {

Trigger at_time(Duration d) {
  Trigger t;
  t.kind = Trigger::Kind::at_time;
  t.at = T(d);
  return t;
}

Effect effect(Effect::Kind k) {
  Effect e;
  e.kind = k;
  return e;
}

struct Drill {
  Builder b;
  Index op, cert, ncc, ministry, grid, crisis;
  Drill() {
    op = b.org("op", OrgKind::operator_, 2);
    cert = b.org("cert", OrgKind::csirt, 2);
    ncc = b.org("ncc", OrgKind::crisis_centre, 4);
    ministry = b.org("ministry", OrgKind::government, 2, office_hours());
    grid = b.asset("grid", b.sector("energy"), op, 50'000);
    b.channel("op-cert", {op}, cert, 1.0, DurationDist::fixed(30_min));
    b.triage(cert, 30_min);
    b.level("baseline", 0);
    crisis = b.level("crisis", 2);
  }
  Index inject(const std::string& id, Trigger when, Effect e) {
    Inject i;
    i.id = id;
    i.when = when;
    i.to = cert;
    i.effect = std::move(e);
    b.sc.injects.push_back(i);
    return static_cast<Index>(b.sc.injects.size() - 1);
  }
  Index decision(const std::string& id, Index owner, Trigger when, Duration deadline,
                 std::vector<DecisionOption> options, Index default_option) {
    Decision d;
    d.id = id;
    d.question = id + "?";
    d.owner = owner;
    d.when = when;
    d.deadline = deadline;
    d.options = std::move(options);
    d.default_option = default_option;
    b.sc.decisions.push_back(d);
    return static_cast<Index>(b.sc.decisions.size() - 1);
  }
  // Decisions are taken only by owners who know of an incident: the operator detects one at T+0
  // and reports it at once to the crisis centre and the ministry (see informed()).
  void inform_owners() {
    b.channel("op-ncc", {op}, ncc, 1.0, DurationDist::fixed(Duration::zero()));
    b.channel("op-ministry", {op}, ministry, 1.0, DurationDist::fixed(Duration::zero()));
  }
  // D-01 at T+1h (crisis centre, 24/7): declare a crisis or wait (default).
  // D-02 at T+5h (ministry, office hours): warn the public or stay silent (default).
  void two_decisions() {
    inform_owners();
    Effect esc = effect(Effect::Kind::escalate);
    esc.ref = crisis;
    decision("D-01", ncc, at_time(1_h), 2_h, {{"declare", "Declare", {esc}}, {"wait", "Wait", {}}}, 1);
    decision("D-02", ministry, at_time(5_h), 2_h,
             {{"warn", "Warn", {effect(Effect::Kind::warn_public)}}, {"silent", "Silent", {}}}, 1);
  }
};

// The operator detects an incident on the grid at T+0 (a run's first script action).
void informed(Run& r, const Drill& d) {
  const Index grid = d.grid;
  r.script.actions.emplace_back(T(Duration::zero()), [&r, grid](Simulation& sim) {
    r.resp.on_detected(sim, grid, CauseKind::scenario, kNone, false);
  });
}

std::vector<std::tuple<std::string, std::string, std::string, SimTime>> entries(const DecisionJournal& j) {
  std::vector<std::tuple<std::string, std::string, std::string, SimTime>> out;
  for (const auto& e : j.entries) out.emplace_back(e.decision, e.option, e.who, e.time);
  return out;
}

// Defers every decision: live play.
struct Defer final : DecisionPolicy {
  DecisionChoice decide(const Scenario&, const DecisionRequest&) const override { return {}; }
};

}  // namespace

TEST_CASE("injects: timed, conditional, chained, and effects on the world and the plan") {
  Drill d;
  Effect fail = effect(Effect::Kind::fail_asset);
  fail.assets = {d.grid};
  d.inject("I-01", at_time(2_h), fail);
  Trigger big;
  big.kind = Trigger::Kind::condition;
  big.metric = "population_affected";
  big.at_least = 40'000;
  Effect campaign = effect(Effect::Kind::start_campaign);
  campaign.ref = 0;
  d.inject("I-02", big, campaign);
  Trigger after2;
  after2.kind = Trigger::Kind::inject;
  after2.ref = 1;
  d.inject("I-03", after2, effect(Effect::Kind::inform));
  Trigger after1;
  after1.kind = Trigger::Kind::inject;
  after1.ref = 0;
  Effect proc = effect(Effect::Kind::trigger_procedure);
  proc.ref = 0;
  d.inject("I-04", after1, proc);
  Trigger never;
  never.kind = Trigger::Kind::condition;
  never.metric = "population_affected";
  never.at_least = 1e7;
  d.inject("I-05", never, effect(Effect::Kind::inform));
  Procedure p;
  p.id = "P-brief";
  p.owner = d.cert;
  p.trigger.kind = Trigger::Kind::at_time;
  p.trigger.at = T(100_d);  // only the inject starts it
  ProcedureStep s;
  s.id = "brief";
  s.duration = DurationDist::fixed(20_min);
  p.steps.push_back(s);
  d.b.sc.plan.procedures.push_back(p);

  Run r(d.b.sc);
  r.go(T(1_d));
  const auto delivered = of_kind(r.rec.records(), RecordKind::inject_delivered);
  std::vector<std::pair<Index, SimTime>> got;
  for (const auto& rec : delivered) got.emplace_back(rec.subject, rec.time);
  CHECK(got == std::vector<std::pair<Index, SimTime>>{{0, T(2_h)}, {3, T(2_h)}, {1, T(2_h)}, {2, T(2_h)}});
  CHECK(delivered[0].actor == d.cert);
  REQUIRE(r.world.count("fail_asset") == 1);
  CHECK(r.world.calls[0].source.cause_kind == CauseKind::inject);
  CHECK(r.world.calls[0].source.cause == 0);
  REQUIRE(r.world.count("start_campaign") == 1);
  CHECK(r.world.calls[1].at == T(2_h));
  // The failure the inject caused is detected by the operator like any outage.
  CHECK(*r.resp.metrics(r.sim.now()).values.at("time_to_detect_h") == doctest::Approx(2.0));
  const auto started = of_kind(r.rec.records(), RecordKind::procedure_started);
  REQUIRE(started.size() == 1);
  CHECK(started[0].cause_kind == CauseKind::inject);
  CHECK(started[0].cause == 3);
}

TEST_CASE("decisions: the default policy decides when the owner can act, overrides replace options") {
  Drill d;
  d.two_decisions();
  {
    Run r(d.b.sc);
    informed(r, d);
    r.go(T(1_d));
    CHECK(entries(r.resp.journal()) == std::vector<std::tuple<std::string, std::string, std::string, SimTime>>{
                                           {"D-01", "wait", "policy", T(1_h)}, {"D-02", "silent", "policy", T(5_h)}});
    CHECK(r.resp.current_level() == 0);
    const auto taken = of_kind(r.rec.records(), RecordKind::decision_taken);
    REQUIRE(taken.size() == 2);
    CHECK((taken[0].subject == 0 && taken[0].detail == 1 && taken[0].actor == d.ncc));
    CHECK(*r.resp.metrics(r.sim.now()).values.at("decisions_on_time_fraction") == 1.0);
  }
  {
    const OverrideDecisionPolicy over(d.b.sc, {{"D-01", "declare"}, {"D-02", "warn"}});
    Run r(d.b.sc, 7, &over);
    informed(r, d);
    r.go(T(1_d));
    CHECK(entries(r.resp.journal()) == std::vector<std::tuple<std::string, std::string, std::string, SimTime>>{
                                           {"D-01", "declare", "override", T(1_h)}, {"D-02", "warn", "override", T(5_h)}});
    CHECK(r.resp.current_level() == d.crisis);
    CHECK(*r.resp.metrics(r.sim.now()).values.at("time_to_crisis_h") == doctest::Approx(1.0));
    CHECK(r.resp.metrics(r.sim.now()).public_warned == T(5_h));
  }
  CHECK_THROWS_AS(OverrideDecisionPolicy(d.b.sc, {{"D-09", "x"}}), std::invalid_argument);
  CHECK_THROWS_AS(OverrideDecisionPolicy(d.b.sc, {{"D-01", "maybe"}}), std::invalid_argument);
  CHECK(parse_decision_override("D-02=warn") == std::pair<std::string, std::string>{"D-02", "warn"});
  CHECK_THROWS_AS((void)parse_decision_override("D-02"), std::invalid_argument);
  CHECK_THROWS_AS((void)parse_decision_override("=warn"), std::invalid_argument);
}

TEST_CASE("an owner out of office decides late, a deferred decision takes its default at the deadline") {
  Drill d;
  // Tuesday 17:00: the ministry reopens Wednesday 09:30, past the 2 h deadline.
  d.inform_owners();
  d.decision("D-03", d.ministry, at_time(8_h), 2_h, {{"a", "A", {}}, {"b", "B", {}}}, 0);
  {
    Run r(d.b.sc);
    informed(r, d);
    r.go(T(2_d));
    REQUIRE(r.resp.journal().entries.size() == 1);
    const DecisionEntry& e = r.resp.journal().entries[0];
    CHECK(e.time == T(24_h + 30_min));
    CHECK(e.opened == T(8_h));
    CHECK_FALSE(e.on_time);
    CHECK(*r.resp.metrics(r.sim.now()).values.at("decisions_on_time_fraction") == 0.0);
  }
  {
    const Defer defer;
    Run r(d.b.sc, 7, &defer);
    informed(r, d);
    r.go(T(9_h));
    CHECK(r.resp.open_decisions() == std::vector<Index>{0});
    r.sim.run_until(T(2_d));
    REQUIRE(r.resp.journal().entries.size() == 1);
    CHECK(r.resp.journal().entries[0].who == "default");
    CHECK(r.resp.journal().entries[0].time == T(10_h));
    CHECK_FALSE(r.resp.journal().entries[0].on_time);
    CHECK(r.resp.open_decisions().empty());
  }
  {
    const Defer defer;
    Run r(d.b.sc, 7, &defer);
    informed(r, d);
    r.go(T(9_h));
    CHECK_FALSE(r.resp.decide(r.sim, 0, 7, "live"));  // no such option
    CHECK(r.resp.decide(r.sim, 0, 1, "live"));
    CHECK_FALSE(r.resp.decide(r.sim, 0, 0, "live"));  // already taken
    r.sim.run_until(T(2_d));
    REQUIRE(r.resp.journal().entries.size() == 1);
    CHECK(entries(r.resp.journal())[0] == std::make_tuple(std::string("D-03"), std::string("b"), std::string("live"), T(9_h)));
    CHECK(r.resp.journal().entries[0].on_time);
  }
}

TEST_CASE("a journal replays a run exactly, with --until it forks into the policy afterwards") {
  Drill d;
  d.two_decisions();
  const OverrideDecisionPolicy over(d.b.sc, {{"D-01", "declare"}, {"D-02", "warn"}});
  Run original(d.b.sc, 11, &over);
  informed(original, d);
  original.go(T(2_d));
  const DecisionJournal journal = original.resp.journal();
  REQUIRE(journal.entries.size() == 2);

  const DefaultDecisionPolicy fallback;
  const JournalReplayPolicy replay_all(d.b.sc, journal, std::nullopt, fallback);
  Run replay(d.b.sc, 11, &replay_all);
  informed(replay, d);
  replay.go(T(2_d));
  CHECK(replay.rec.records() == original.rec.records());
  CHECK(replay.fingerprint.value() == original.fingerprint.value());
  CHECK(entries(replay.resp.journal()) == std::vector<std::tuple<std::string, std::string, std::string, SimTime>>{
                                              {"D-01", "declare", "journal", T(1_h)}, {"D-02", "warn", "journal", T(5_h)}});

  const JournalReplayPolicy fork_at_3h(d.b.sc, journal, T(3_h), fallback);
  Run fork(d.b.sc, 11, &fork_at_3h);
  informed(fork, d);
  fork.go(T(2_d));
  CHECK(entries(fork.resp.journal()) == std::vector<std::tuple<std::string, std::string, std::string, SimTime>>{
                                            {"D-01", "declare", "journal", T(1_h)}, {"D-02", "silent", "policy", T(5_h)}});
  CHECK(fork.resp.current_level() == d.crisis);
  CHECK_FALSE(fork.resp.metrics(fork.sim.now()).public_warned.has_value());

  DecisionJournal bad;
  bad.entries.push_back(DecisionEntry{T(1_h), "D-01", "nonsense", "policy", T(1_h), true});
  CHECK_THROWS_AS(JournalReplayPolicy(d.b.sc, bad, std::nullopt, fallback), std::invalid_argument);
  CHECK(journal.find_or_null("D-02") != nullptr);
  CHECK(journal.find_or_null("D-99") == nullptr);
}
