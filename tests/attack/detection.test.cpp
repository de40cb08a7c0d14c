// Detection: the in-progress hazard scaled by monitoring, visible effects, effect durations.
#include <doctest/doctest.h>

#include <cmath>

#include "attack_fixture.hpp"

using namespace cyberdrill;
using namespace cyberdrill::literals;
using namespace attack_test;

namespace {

// Mean detection time (days) of a very long silent step over `runs` seeds; every run must detect.
double mean_detection_days(double hazard_per_day, const std::map<Index, double>& monitoring,
                           std::vector<Index> targets, int runs, Index* detected_asset = nullptr) {
  AttackStep s = step("recon", std::move(targets), DurationDist::fixed(Duration::days(100'000)));
  s.detection_per_day = hazard_per_day;
  s.effect.kind = AttackEffect::Kind::foothold;
  const std::vector<Campaign> campaigns{campaign("apt", {s}, {0})};
  double sum = 0;
  for (int i = 1; i <= runs; ++i) {
    Simulation sim;
    FakeWorld world;
    world.monitoring_of = monitoring;
    RecordingListener listener;
    AttackCampaigns attack(sim, campaigns, static_cast<std::uint64_t>(i), world, &listener);
    attack.start(sim);
    sim.run_until(SimTime::zero() + 1_d * 1000);
    REQUIRE(listener.seen.size() == 1);
    if (detected_asset != nullptr) *detected_asset = listener.seen[0].asset;
    sum += listener.seen[0].time.since_start().to_hours() / 24.0;
  }
  return sum / runs;
}

}  // namespace

TEST_CASE("the detection time of a long step has mean 1/(h m) for hazard h per day and monitoring m") {
  // Exponential: SE = mean / sqrt(runs) = 0.5 % at 40,000 runs; tolerance 3 % = 6 SE.
  constexpr int kRuns = 40'000;
  const double h = 2.0, m = 0.25;  // expected mean 2 days
  const double mean = mean_detection_days(h, {{7, m}}, {7}, kRuns);
  MESSAGE("mean detection time " << mean << " d, expected " << 1 / (h * m));
  CHECK(std::abs(mean - 1 / (h * m)) < 0.03 * (1 / (h * m)));
}

TEST_CASE("the hazard scales with the best-monitored target, which is the one named") {
  constexpr int kRuns = 20'000;  // SE 0.7 %; tolerance 4 % = 5.7 SE
  Index asset = kNone;
  const double mean = mean_detection_days(1.0, {{1, 0.1}, {2, 0.8}, {3, 0.4}}, {1, 2, 3}, kRuns, &asset);
  CHECK(asset == 2);
  CHECK(std::abs(mean - 1.25) < 0.04 * 1.25);
}

TEST_CASE("unmonitored assets and zero hazards never detect a step in progress") {
  for (const auto& [hazard, m] : {std::pair{5.0, 0.0}, std::pair{0.0, 1.0}}) {
    AttackStep s = step("recon", {1}, DurationDist::fixed(30_d));
    s.detection_per_day = hazard;
    const std::vector<Campaign> campaigns{campaign("apt", {s}, {0})};
    for (std::uint64_t seed = 1; seed <= 50; ++seed) {
      Simulation sim;
      FakeWorld world;
      world.monitoring_of[1] = m;
      RecordingListener listener;
      AttackCampaigns attack(sim, campaigns, seed, world, &listener);
      attack.start(sim);
      sim.run();
      CHECK(listener.seen.empty());
      CHECK_FALSE(attack.status(0).detected.has_value());
    }
  }
}

TEST_CASE("visible effects count as detection at once - foothold and exfiltrate are silent") {
  using K = AttackEffect::Kind;
  for (const K kind : {K::foothold, K::degrade, K::disrupt, K::encrypt, K::wipe, K::ddos, K::exfiltrate}) {
    CAPTURE(static_cast<int>(kind));
    AttackStep s = step("act", {1, 2}, DurationDist::fixed(6_h));
    s.effect.kind = kind;
    s.effect.level = 0.2;
    const std::vector<Campaign> campaigns{campaign("apt", {s}, {0})};
    Simulation sim;
    FakeWorld world;  // unmonitored: only a visible effect can be detected
    RecordingListener listener;
    TraceRecorder rec;
    sim.add_trace_observer(rec);
    AttackCampaigns attack(sim, campaigns, 9, world, &listener);
    attack.start(sim);
    sim.run();
    const bool visible = kind != K::foothold && kind != K::exfiltrate;
    const auto det = of_kind(rec.records(), RecordKind::attack_detected);
    if (visible) {
      REQUIRE(listener.seen.size() == 2);  // one per target acted on
      REQUIRE(det.size() == 2);
      for (std::size_t i = 0; i < 2; ++i) {
        CHECK(listener.seen[i].visible);
        CHECK(listener.seen[i].time == SimTime::zero() + 6_h);
        CHECK(listener.seen[i].asset == i + 1);
        CHECK(det[i].subject == 0);             // the campaign is the incident
        CHECK(det[i].actor == kNone);
        CHECK(det[i].cause_kind == CauseKind::attack_step);
        CHECK(det[i].cause == 0);
        CHECK(det[i].detail == i + 1);
        CHECK(det[i].value == 1.0);
      }
      CHECK(*attack.status(0).detected == SimTime::zero() + 6_h);
    } else {
      CHECK(listener.seen.empty());
      CHECK(det.empty());
    }
    REQUIRE(world.calls.size() == 2);
    CHECK(world.calls[0].kind == kind);
  }
}

TEST_CASE("a ddos ends after its duration - a disrupt without duration lasts until restored") {
  AttackStep ddos = step("flood", {1}, DurationDist::fixed(2_h));
  ddos.effect = {AttackEffect::Kind::ddos, 0.1, 10_h};
  AttackStep disrupt = step("stop", {2}, DurationDist::fixed(3_h));
  disrupt.effect = {AttackEffect::Kind::disrupt, 0.0, Duration::zero()};
  AttackStep timed = step("pause", {3}, DurationDist::fixed(1_h));
  timed.effect = {AttackEffect::Kind::disrupt, 0.0, 4_h};
  AttackStep degrade = step("slow", {4}, DurationDist::fixed(1_h));
  degrade.effect = {AttackEffect::Kind::degrade, 0.5, 4_h};  // duration applies to ddos/disrupt only
  const std::vector<Campaign> campaigns{campaign("apt", {ddos, disrupt, timed, degrade}, {})};
  Simulation sim;
  FakeWorld world;
  AttackCampaigns attack(sim, campaigns, 2, world);
  attack.start(sim);
  sim.run();
  std::vector<EffectCall> ends;
  for (const EffectCall& c : world.calls) {
    if (c.ended) ends.push_back(c);
  }
  REQUIRE(ends.size() == 2);
  CHECK(ends[0].asset == 3);
  CHECK(ends[0].time == SimTime::zero() + 1_h + 4_h);
  CHECK(ends[0].kind == AttackEffect::Kind::disrupt);
  CHECK(ends[1].asset == 1);
  CHECK(ends[1].time == SimTime::zero() + 2_h + 10_h);
  CHECK(ends[1].kind == AttackEffect::Kind::ddos);
  CHECK(ends[1].step == 0);
}

TEST_CASE("a ddos ends on time even when its target is contained meanwhile") {
  AttackStep ddos = step("flood", {1}, DurationDist::fixed(1_h));
  ddos.effect = {AttackEffect::Kind::ddos, 0.1, 10_h};
  const std::vector<Campaign> campaigns{campaign("apt", {ddos}, {0})};
  Simulation sim;
  FakeWorld world;
  AttackCampaigns attack(sim, campaigns, 2, world);
  attack.start(sim);
  At contain(sim, SimTime::zero() + 5_h, [&](Simulation& s) {
    world.contained.insert(1);
    attack.on_contained(s, 1);
  });
  sim.run();
  REQUIRE(world.calls.size() == 2);
  CHECK(world.calls[1].ended);
  CHECK(world.calls[1].time == SimTime::zero() + 11_h);
  CHECK(attack.status(0).state == AttackStepState::succeeded);  // containment after success blocks nothing
}
