// Attack graphs: AND/OR prerequisites against closed forms, containment and alternate paths,
// failure, the global step index.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>

#include "attack_fixture.hpp"

using namespace cyberdrill;
using namespace cyberdrill::literals;
using namespace attack_test;

namespace {

// Two parallel steps with exponential time to compromise (mean 10 days) joined by a goal step with
// zero time to compromise; the campaign's completion time is the goal's success time.
Campaign join_campaign(bool requires_all) {
  return campaign("apt", {step("a", {0}, exponential(10_d)), step("b", {1}, exponential(10_d)),
                          step("goal", {}, DurationDist::fixed(0_s), {0, 1}, requires_all)},
                  {2});
}

struct Moments {
  double mean = 0;
  double se = 0;  // standard error of the mean
};

// Completion time in days over `runs` fresh simulations, seeds 1..runs.
Moments completion_days(const Campaign& c, int runs) {
  const std::vector<Campaign> campaigns{c};
  double sum = 0, sum2 = 0;
  for (int i = 1; i <= runs; ++i) {
    Simulation sim;
    FakeWorld world;
    AttackCampaigns attack(sim, campaigns, static_cast<std::uint64_t>(i), world);
    attack.start(sim);
    sim.run();
    const auto t = attack.goal_time(0);
    REQUIRE(t.has_value());
    const double d = t->since_start().to_hours() / 24.0;
    sum += d;
    sum2 += d * d;
  }
  const double n = runs;
  const double mean = sum / n;
  const double var = (sum2 - n * mean * mean) / (n - 1);
  return {mean, std::sqrt(var / n)};
}

}  // namespace

TEST_CASE("AND of two exponential steps (mean 10 d) completes in 15 d on average, OR in 5 d") {
  // E[max of two iid Exp(10 d)] = 10 + 10/2 = 15 d (sd 11.2 d); E[min] = 10/2 = 5 d (sd 5 d).
  // 100,000 replications: SE = 0.035 d (AND) and 0.016 d (OR), so 2 % is > 6 standard errors.
  constexpr int kRuns = 100'000;
  const Moments all = completion_days(join_campaign(true), kRuns);
  const Moments any = completion_days(join_campaign(false), kRuns);
  MESSAGE("AND mean " << all.mean << " d (SE " << all.se << "), OR mean " << any.mean << " d (SE " << any.se << ")");
  CHECK(0.02 * 15.0 > 4 * all.se);
  CHECK(0.02 * 5.0 > 4 * any.se);
  CHECK(std::abs(all.mean - 15.0) < 0.02 * 15.0);
  CHECK(std::abs(any.mean - 5.0) < 0.02 * 5.0);
}

TEST_CASE("an AND goal completes exactly when its slower prerequisite does, an OR when the faster does") {
  for (const bool requires_all : {true, false}) {
    const std::vector<Campaign> campaigns{join_campaign(requires_all)};
    Simulation sim;
    FakeWorld world;
    TraceRecorder rec;
    sim.add_trace_observer(rec);
    AttackCampaigns attack(sim, campaigns, 7, world);
    attack.start(sim);
    sim.run();
    const SimTime a = *attack.status(0).finished;
    const SimTime b = *attack.status(1).finished;
    CHECK(*attack.goal_time(0) == (requires_all ? std::max(a, b) : std::min(a, b)));
    const auto goals = of_kind(rec.records(), RecordKind::campaign_goal_reached);
    REQUIRE(goals.size() == 1);
    CHECK(goals[0].subject == 0);
    CHECK(goals[0].detail == 2);
    CHECK(goals[0].value == doctest::Approx(attack.goal_time(0)->to_hours()));
    // The slower branch still runs to completion under OR: the attacker does not stop.
    CHECK(attack.status(0).state == AttackStepState::succeeded);
    CHECK(attack.status(1).state == AttackStepState::succeeded);
    CHECK(attack.finished(0));
  }
}

TEST_CASE("the attacker takes the alternate path when one branch's target is contained") {
  // phish(IT 0) -> {pivot-a(OT 1), pivot-b(OT 2)} -> OR -> disrupt(OT 3)
  Campaign c = campaign("apt",
                        {step("phish", {0}, DurationDist::fixed(1_d)),
                         step("pivot-a", {1}, DurationDist::fixed(2_d), {0}),
                         step("pivot-b", {2}, DurationDist::fixed(5_d), {0}),
                         step("disrupt", {3}, DurationDist::fixed(1_h), {1, 2}, false)},
                        {3});
  c.steps[3].effect.kind = AttackEffect::Kind::disrupt;
  const std::vector<Campaign> campaigns{c};

  SUBCASE("one branch contained: blocked there, the goal is reached through the other") {
    Simulation sim;
    FakeWorld world;
    world.contained = {1};
    TraceRecorder rec;
    sim.add_trace_observer(rec);
    AttackCampaigns attack(sim, campaigns, 1, world);
    attack.start(sim);
    sim.run();
    const auto blocked = of_kind(rec.records(), RecordKind::attack_step_blocked);
    REQUIRE(blocked.size() == 1);
    CHECK(blocked[0].subject == 1);
    CHECK(blocked[0].detail == 1);
    CHECK(blocked[0].time == SimTime::zero() + 1_d);  // blocked as soon as it became eligible
    CHECK(attack.status(1).state == AttackStepState::blocked);
    CHECK_FALSE(attack.status(1).started.has_value());
    CHECK(attack.status(2).state == AttackStepState::succeeded);
    CHECK(*attack.goal_time(0) == SimTime::zero() + 1_d + 5_d + 1_h);
    REQUIRE(world.calls.size() == 3);  // phish, pivot-b, disrupt: nothing applied to asset 1
    for (const EffectCall& call : world.calls) CHECK(call.asset != 1);
  }
  SUBCASE("both branches contained: the goal becomes unreachable and the campaign ends") {
    Simulation sim;
    FakeWorld world;
    world.contained = {1, 2};
    AttackCampaigns attack(sim, campaigns, 1, world);
    attack.start(sim);
    sim.run();
    CHECK(attack.status(1).state == AttackStepState::blocked);
    CHECK(attack.status(2).state == AttackStepState::blocked);
    CHECK(attack.status(3).state == AttackStepState::unreachable);
    CHECK_FALSE(attack.goal_time(0).has_value());
    CHECK(attack.finished(0));
  }
  SUBCASE("an AND join needs both branches: one contained branch makes the goal unreachable") {
    std::vector<Campaign> and_campaigns{c};
    and_campaigns[0].steps[3].requires_all = true;
    Simulation sim;
    FakeWorld world;
    world.contained = {1};
    AttackCampaigns attack(sim, and_campaigns, 1, world);
    attack.start(sim);
    sim.run();
    CHECK(attack.status(3).state == AttackStepState::unreachable);
    CHECK_FALSE(attack.goal_time(0).has_value());
  }
}

TEST_CASE("containment arriving mid-attempt blocks the step and cancels its events") {
  const std::vector<Campaign> campaigns{
      campaign("apt", {step("long", {5}, DurationDist::fixed(10_d)), step("next", {6}, DurationDist::fixed(1_h), {0})},
               {1})};
  Simulation sim;
  FakeWorld world;
  world.monitoring_of[5] = 1.0;
  TraceRecorder rec;
  sim.add_trace_observer(rec);
  AttackCampaigns attack(sim, campaigns, 3, world);
  attack.start(sim);
  At contain(sim, SimTime::zero() + 3_d, [&](Simulation& s) {
    world.contained.insert(5);
    attack.on_contained(s, 5);
  });
  sim.run();
  CHECK(attack.status(0).state == AttackStepState::blocked);
  CHECK(*attack.status(0).finished == SimTime::zero() + 3_d);
  CHECK(attack.status(1).state == AttackStepState::unreachable);
  CHECK(world.calls.empty());
  CHECK(of_kind(rec.records(), RecordKind::attack_step_succeeded).empty());
  const auto blocked = of_kind(rec.records(), RecordKind::attack_step_blocked);
  REQUIRE(blocked.size() == 1);
  CHECK(blocked[0].detail == 5);
  CHECK(sim.now() == SimTime::zero() + 3_d);  // the completion at 10 d was cancelled, not run
  CHECK(sim.pending() == 0);
}

TEST_CASE("a step with several targets goes on against the ones not contained") {
  const std::vector<Campaign> campaigns{campaign("apt", {step("spread", {1, 2, 3}, DurationDist::fixed(2_d))}, {0})};
  Simulation sim;
  FakeWorld world;
  TraceRecorder rec;
  sim.add_trace_observer(rec);
  AttackCampaigns attack(sim, campaigns, 3, world);
  attack.start(sim);
  At contain(sim, SimTime::zero() + 1_d, [&](Simulation& s) {
    world.contained.insert(2);
    attack.on_contained(s, 2);
  });
  sim.run();
  CHECK(attack.status(0).state == AttackStepState::succeeded);
  const auto ok = of_kind(rec.records(), RecordKind::attack_step_succeeded);
  REQUIRE(ok.size() == 2);
  CHECK(ok[0].detail == 1);
  CHECK(ok[1].detail == 3);
  REQUIRE(world.calls.size() == 2);
  CHECK(world.calls[0].asset == 1);
  CHECK(world.calls[1].asset == 3);
}

TEST_CASE("containment decided on detection stops the attacker before the step completes") {
  // Monitoring 1 and a hazard of 10 per day against a 30-day step: detection first (almost surely:
  // P(no detection in 30 d) = e^-300), then the listener contains the asset.
  AttackStep s = step("exfil", {4}, DurationDist::fixed(30_d));
  s.detection_per_day = 10;
  s.effect.kind = AttackEffect::Kind::exfiltrate;
  const std::vector<Campaign> campaigns{campaign("apt", {s}, {0})};
  Simulation sim;
  FakeWorld world;
  world.monitoring_of[4] = 1.0;
  RecordingListener listener;
  AttackCampaigns attack(sim, campaigns, 11, world, &listener);
  listener.react = [&](Simulation& sm, const Detection& d) {
    world.contained.insert(d.asset);
    attack.on_contained(sm, d.asset);
  };
  attack.start(sim);
  sim.run();
  REQUIRE(listener.seen.size() == 1);
  CHECK_FALSE(listener.seen[0].visible);
  CHECK(attack.status(0).state == AttackStepState::blocked);
  CHECK(*attack.status(0).finished == listener.seen[0].time);
  CHECK(world.calls.empty());
}

TEST_CASE("a failed attempt fails the step for good - an OR alternative still carries the attack") {
  Campaign c = campaign("apt",
                        {step("exploit", {1}, DurationDist::fixed(1_d)), step("phish", {2}, DurationDist::fixed(3_d)),
                         step("foothold", {3}, DurationDist::fixed(1_d), {0, 1}, false),
                         step("after-exploit", {4}, DurationDist::fixed(1_d), {0})},
                        {2});
  c.steps[0].success = 0.0;
  const std::vector<Campaign> campaigns{c};
  Simulation sim;
  FakeWorld world;
  TraceRecorder rec;
  sim.add_trace_observer(rec);
  AttackCampaigns attack(sim, campaigns, 5, world);
  attack.start(sim);
  sim.run();
  const auto failed = of_kind(rec.records(), RecordKind::attack_step_failed);
  REQUIRE(failed.size() == 1);
  CHECK(failed[0].subject == 0);
  CHECK(failed[0].detail == 1);
  CHECK(failed[0].time == SimTime::zero() + 1_d);
  CHECK(of_kind(rec.records(), RecordKind::attack_step_started).size() == 3);  // exploit tried once
  CHECK(attack.status(0).state == AttackStepState::failed);
  CHECK(attack.status(3).state == AttackStepState::unreachable);
  CHECK(*attack.goal_time(0) == SimTime::zero() + 4_d);
}

TEST_CASE("steps are numbered globally across campaigns - records name the campaign") {
  const std::vector<Campaign> campaigns{
      campaign("first", {step("a", {0}, DurationDist::fixed(1_h)), step("b", {1}, DurationDist::fixed(1_h), {0})}, {1}),
      campaign("second", {step("c", {2}, DurationDist::fixed(1_h))}, {0}, SimTime::zero() + 1_d)};
  Simulation sim;
  FakeWorld world;
  TraceRecorder rec;
  sim.add_trace_observer(rec);
  AttackCampaigns attack(sim, campaigns, 5, world);
  CHECK(attack.campaign_count() == 2);
  CHECK(attack.step_count() == 3);
  CHECK(attack.step_index(0, 1) == 1);
  CHECK(attack.step_index(1, 0) == 2);
  CHECK(attack.campaign_of(2) == 1);
  CHECK_THROWS_AS(static_cast<void>(attack.step_index(1, 1)), std::out_of_range);
  attack.start(sim);
  CHECK_FALSE(attack.start_campaign(sim, 1));  // already scheduled
  sim.run();
  const auto started = of_kind(rec.records(), RecordKind::attack_step_started);
  REQUIRE(started.size() == 3);
  CHECK(started[2].subject == 2);
  CHECK(started[2].detail == 1);
  CHECK(started[2].time == SimTime::zero() + 1_d);  // the second campaign starts at its own start
  const auto goals = of_kind(rec.records(), RecordKind::campaign_goal_reached);
  REQUIRE(goals.size() == 2);
  CHECK(goals[1].subject == 1);
  CHECK(goals[1].value == doctest::Approx(1.0));  // hours since that campaign's start
}

TEST_CASE("malformed campaigns are rejected at construction") {
  Simulation sim;
  FakeWorld world;
  SUBCASE("a cycle") {
    const std::vector<Campaign> c{campaign(
        "loop", {step("a", {0}, DurationDist::fixed(1_h), {1}), step("b", {0}, DurationDist::fixed(1_h), {0})}, {1})};
    CHECK_THROWS_AS(AttackCampaigns(sim, c, 1, world), std::invalid_argument);
  }
  SUBCASE("a prerequisite outside the campaign") {
    const std::vector<Campaign> c{campaign("bad", {step("a", {0}, DurationDist::fixed(1_h), {3})}, {0})};
    CHECK_THROWS_AS(AttackCampaigns(sim, c, 1, world), std::invalid_argument);
  }
  SUBCASE("a goal outside the campaign") {
    const std::vector<Campaign> c{campaign("bad", {step("a", {0}, DurationDist::fixed(1_h))}, {1})};
    CHECK_THROWS_AS(AttackCampaigns(sim, c, 1, world), std::invalid_argument);
  }
}
