// The threshold rule reproduces the cascade window of Watts (2002), "A simple model of global
// cascades on random networks", PNAS 99(9): on Erdos-Renyi graphs of N nodes with mean degree z
// and a uniform threshold phi = 0.18, a single random seed triggers a global cascade only for z
// inside a window, about 1 < z < 5.7 here (the condition sum_{k <= 1/phi} k (k - 1) p_k > z for
// Poisson p_k). Inside it global cascades happen with substantial frequency; well outside (z = 0.5:
// no giant component; z = 12: no vulnerable cluster) essentially never.
//
// Each undirected edge {u, v} is two dependencies (u on v, v on u) with weight 1, so the world's
// "weighted failed fraction of suppliers reaches phi" is exactly Watts's rule.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "cyberdrill/random.hpp"
#include "cyberdrill/world.hpp"
#include "world_fixtures.hpp"

using namespace cyberdrill;
using namespace cyberdrill::testing;

namespace {

constexpr std::uint32_t kNodes = 10'000;
constexpr double kPhi = 0.18;
constexpr int kGraphs = 8;
constexpr int kSeedsPerGraph = 25;

// G(N, M) with M = round(z N / 2) distinct undirected edges.
Scenario erdos_renyi(double z, std::uint64_t seed) {
  Scenario s;
  s.assets.reserve(kNodes);
  for (std::uint32_t i = 0; i < kNodes; ++i) {
    add_asset(s, CombineRule::threshold);
    s.assets.back().phi = kPhi;
  }
  RandomStream rng(seed, "erdos-renyi", "edges");
  const auto m = static_cast<std::size_t>(z * kNodes / 2.0 + 0.5);
  std::vector<std::uint64_t> keys;
  while (keys.size() < m) {
    while (keys.size() < m) {
      auto u = static_cast<std::uint32_t>(rng.below(kNodes)), v = static_cast<std::uint32_t>(rng.below(kNodes));
      if (u == v) continue;
      if (u > v) std::swap(u, v);
      keys.push_back(std::uint64_t{u} << 32 | v);
    }
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  }
  for (std::uint64_t key : keys) {
    const auto u = static_cast<Index>(key >> 32), v = static_cast<Index>(key & 0xFFFFFFFFu);
    depend(s, u, v);
    depend(s, v, u);
  }
  return s;
}

// Fraction of (graph, seed) trials whose cascade reaches more than 10% of the nodes.
double global_cascade_frequency(double z) {
  int global = 0, trials = 0;
  for (int g = 0; g < kGraphs; ++g) {
    World w(erdos_renyi(z, 1000 + static_cast<std::uint64_t>(g)));
    RandomStream pick(77, name_hash("watts-seed"), static_cast<std::uint64_t>(g));
    for (int t = 0; t < kSeedsPerGraph; ++t) {
      w.reset();
      Simulation sim;
      CascadeModel m(sim, w);
      m.impose(static_cast<Index>(pick.below(kNodes)), 0.0, Cause{CauseKind::inject, 0});
      sim.run();
      ++trials;
      if (w.outage_count() > kNodes / 10) ++global;
    }
  }
  return static_cast<double>(global) / trials;
}

}  // namespace

TEST_CASE("threshold rule - phi = 0.18: global cascades occur inside Watts's window") {
  for (double z : {2.0, 3.0, 4.0}) {
    const double f = global_cascade_frequency(z);
    MESSAGE("z = ", z, ": global cascade frequency ", f);
    CHECK(f >= 0.05);
  }
  CHECK(global_cascade_frequency(5.0) > 0.0);
}

TEST_CASE("threshold rule - phi = 0.18: essentially no global cascade well outside the window") {
  for (double z : {0.5, 12.0}) {
    const double f = global_cascade_frequency(z);
    MESSAGE("z = ", z, ": global cascade frequency ", f);
    CHECK(f <= 0.01);
  }
}
