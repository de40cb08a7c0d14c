// People affected per level change: the cost of ImpactModel::set_level (include/cyberdrill/impact.hpp)
// on generated infrastructures of 10^4 and 10^6 assets (cyberdrill generate's areas and serves),
// against the full evaluation it replaces. Usage: bench_impact [assets ...] (default 10000 1000000).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "cyberdrill/generate.hpp"
#include "cyberdrill/impact.hpp"
#include "cyberdrill/random.hpp"

using namespace cyberdrill;

int main(int argc, char** argv) {
  std::vector<std::size_t> sizes;
  for (int i = 1; i < argc; ++i) sizes.push_back(std::strtoull(argv[i], nullptr, 10));
  if (sizes.empty()) sizes = {10'000, 1'000'000};
  for (const std::size_t n : sizes) {
    GenerateOptions o;
    o.assets = n;
    o.mean_degree = 3;
    o.seed = 1;
    const Scenario sc = generate_infrastructure(o);
    std::size_t serves = 0;
    for (const Asset& a : sc.assets) serves += a.serves.size();
    ImpactModel m(sc);
    RandomStream rng(1, "bench", "levels");
    const std::size_t changes = 2'000'000;
    std::vector<Index> asset(changes);
    std::vector<double> level(changes);
    for (std::size_t k = 0; k < changes; ++k) {
      asset[k] = static_cast<Index>(rng.below(n));
      level[k] = rng.uniform01() < 0.5 ? 1.0 : rng.uniform01();
    }
    const auto t0 = std::chrono::steady_clock::now();
    double sink = 0;
    for (std::size_t k = 0; k < changes; ++k) {
      m.set_level(asset[k], level[k]);
      sink += m.people_affected();
    }
    const double inc_ns =
        std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count() / static_cast<double>(changes);
    std::vector<double> levels(n, 1.0);
    for (std::size_t k = 0; k < changes; ++k) levels[asset[k]] = level[k];
    const int full_reps = n <= 100'000 ? 50 : 3;
    const auto t1 = std::chrono::steady_clock::now();
    for (int r = 0; r < full_reps; ++r) sink += m.evaluate_all(levels).people;
    const double full_ns =
        std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t1).count() / full_reps;
    std::printf("RESULT impact assets=%zu areas=%zu serves=%zu set_level_ns=%.1f evaluate_all_ms=%.3f "
                "people=%.0f residents=%.0f (checksum %.3g)\n",
                n, sc.areas.size(), serves, inc_ns, full_ns / 1e6, m.people_affected(), m.residents(), sink);
  }
  return 0;
}
