// Seeking the replay (cyberdrill/replay.hpp, ReplayIndex::seek) to random times: the flagship's
// run, and a generated 10^4-asset world under attack. Prints min / median / max milliseconds per
// seek (the targets: < 50 ms flagship, < 200 ms for 10^4 assets) and the index's size.
//
//   build/bench/bench_replay_seek [SEEKS=200]
//
// The generated world (cyberdrill generate: infrastructure only) gets a bench-only campaign: 24
// steps, one every 2 h, each a 6 h DDoS at level 0.1 on one of the 24 assets with the most
// dependents, so the trace holds cascades and recoveries across the 3-day horizon.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <vector>

#include "cyberdrill/generate.hpp"
#include "cyberdrill/replay.hpp"
#include "cyberdrill/run.hpp"
#include "cyberdrill/scenario_io.hpp"

using namespace cyberdrill;

namespace {

void measure(const char* name, const Scenario& sc, std::size_t seeks) {
  RunOptions o;
  o.seed = sc.metadata.seed;
  const RunResult r = run_scenario(sc, o);
  const auto b0 = std::chrono::steady_clock::now();
  const ReplayIndex index(sc, r.records, 0);
  const double build_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - b0).count();
  std::vector<double> ms;
  std::uint64_t x = 88172645463325252ULL;
  double sink = 0;
  for (std::size_t i = 0; i < seeks; ++i) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    const auto t = SimTime::from_us(static_cast<std::int64_t>(x % static_cast<std::uint64_t>(r.end.us() + 1)));
    const auto t0 = std::chrono::steady_clock::now();
    const ReplayState s = index.seek(t);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    sink += s.population_affected;
  }
  std::sort(ms.begin(), ms.end());
  std::printf("%-32s assets %6zu  records %7zu  checkpoints %4zu (every %zu records, built in %.1f ms)  "
              "seek ms min %.3f  median %.3f  max %.3f  (%zu seeks; %.0f)\n",
              name, sc.assets.size(), r.records.size(), index.checkpoint_count(), index.checkpoint_every(), build_ms,
              ms.front(), ms[ms.size() / 2], ms.back(), seeks, sink > 0 ? 1.0 : 0.0);
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t seeks = argc > 1 ? static_cast<std::size_t>(std::atoi(argv[1])) : 200;
  measure("flagship (grid-blackout)",
          load_scenario_or_throw(std::string(CYBERDRILL_SOURCE_DIR) + "/scenarios/belgium/grid-blackout.json"), seeks);

  GenerateOptions g;
  g.assets = 10'000;
  Scenario gen = generate_infrastructure(g);
  std::vector<Index> order(gen.assets.size());
  std::iota(order.begin(), order.end(), Index{0});
  std::vector<std::size_t> dependents(gen.assets.size(), 0);
  for (const Asset& a : gen.assets)
    for (const Dependency& d : a.depends_on) ++dependents[d.supplier];
  std::stable_sort(order.begin(), order.end(), [&](Index a, Index b) { return dependents[a] > dependents[b]; });
  Campaign c;
  c.id = "bench";
  for (int k = 0; k < 24; ++k) {
    AttackStep st;
    st.id = "ddos-" + std::to_string(k);
    st.targets = {order[static_cast<std::size_t>(k)]};
    st.time_to_compromise = DurationDist::fixed(Duration::hours(2 * (k + 1)));
    st.effect.kind = AttackEffect::Kind::ddos;
    st.effect.level = 0.1;
    st.effect.duration = Duration::hours(6);
    c.steps.push_back(st);
  }
  gen.campaigns.push_back(c);
  measure("generated world (10^4 assets)", gen, seeks);
  return 0;
}
