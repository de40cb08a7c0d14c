// Determinism: a run is a pure function of (campaigns, seed, target answers).
#include <doctest/doctest.h>

#include "attack_fixture.hpp"

using namespace cyberdrill;
using namespace cyberdrill::literals;
using namespace attack_test;

namespace {

// A campaign exercising every random draw: exponential and lognormal times, partial success,
// detection hazards, AND and OR joins, visible and silent effects.
Campaign rich_campaign(const std::string& id, Index asset_base) {
  std::vector<AttackStep> steps{
      step("phish", {asset_base}, exponential(2_d)),
      step("exploit", {asset_base + 1}, DurationDist{Distribution::lognormal_median_p90(6 * 3.6e9, 30 * 3.6e9)}),
      step("pivot", {asset_base + 2, asset_base + 3}, exponential(3_d), {0, 1}, false),
      step("creds", {asset_base + 2}, exponential(1_d), {0}),
      step("wipe", {asset_base + 3}, exponential(12_h), {2, 3}, true),
      step("exfil", {asset_base + 4}, exponential(4_d), {3})};
  for (AttackStep& s : steps) {
    s.success = 0.8;
    s.detection_per_day = 0.3;
  }
  steps[4].effect.kind = AttackEffect::Kind::wipe;
  steps[5].effect.kind = AttackEffect::Kind::exfiltrate;
  return campaign(id, steps, {4, 5});
}

std::vector<TraceRecord> run(const std::vector<Campaign>& campaigns, std::uint64_t seed) {
  Simulation sim;
  FakeWorld world;
  for (Index a = 0; a < 20; ++a) world.monitoring_of[a] = 0.2 + 0.04 * a;
  TraceRecorder rec;
  sim.add_trace_observer(rec);
  AttackCampaigns attack(sim, campaigns, seed, world);
  attack.start(sim);
  sim.run();
  return rec.records();
}

}  // namespace

TEST_CASE("the same seed gives identical records - different seeds give different ones") {
  const std::vector<Campaign> campaigns{rich_campaign("apt", 0), rich_campaign("crime", 10)};
  const auto a = run(campaigns, 42);
  const auto b = run(campaigns, 42);
  REQUIRE(a.size() > 6);
  CHECK(a == b);
  CHECK(fingerprint(a) == fingerprint(b));
  int differing = 0;
  for (std::uint64_t seed = 43; seed < 53; ++seed) {
    if (fingerprint(run(campaigns, seed)) != fingerprint(a)) ++differing;
  }
  CHECK(differing == 10);
}

TEST_CASE("a campaign's draws do not depend on the other campaigns of the run") {
  // Campaign "apt" alone, and followed by "crime": apt's records (steps 0..5) are the same.
  const auto alone = run({rich_campaign("apt", 0)}, 7);
  const auto both = run({rich_campaign("apt", 0), rich_campaign("crime", 10)}, 7);
  std::vector<TraceRecord> apt_part;
  for (const TraceRecord& r : both) {
    const bool apt = r.kind == RecordKind::attack_step_started ? r.detail == 0
                     : r.kind == RecordKind::campaign_goal_reached || r.kind == RecordKind::attack_detected
                         ? r.subject == 0
                         : r.subject < 6;
    if (apt) apt_part.push_back(r);
  }
  CHECK(apt_part == alone);
}
