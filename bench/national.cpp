// The flagship exercise at national scale: seeded replications of the whole run (world, cascade,
// attacker, response) single-threaded, every run sharing one RunPrep (as batch's runs do). Prints events/s and runs/s as RESULT lines; run it beside
// bench_phold in one invocation of bench/run_national.sh so the two figures share a machine state.
//
// usage: bench_national [--runs=N] [--seed=S] [SCENARIO]   (default: the flagship, 50 runs)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "cyberdrill/run.hpp"
#include "cyberdrill/scenario_io.hpp"

int main(int argc, char** argv) {
  std::string scenario = std::string(CYBERDRILL_SOURCE_DIR) + "/scenarios/belgium/grid-blackout.json";
  int runs = 50;
  std::uint64_t seed = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--runs=", 7) == 0) runs = std::atoi(argv[i] + 7);
    else if (std::strncmp(argv[i], "--seed=", 7) == 0) seed = std::strtoull(argv[i] + 7, nullptr, 10);
    else if (argv[i][0] != '-') scenario = argv[i];
    else {
      std::fprintf(stderr, "usage: %s [--runs=N] [--seed=S] [SCENARIO]\n", argv[0]);
      return 2;
    }
  }
  if (runs <= 0) {
    std::fprintf(stderr, "bench_national: --runs must be positive\n");
    return 2;
  }
  cyberdrill::LoadResult lr = cyberdrill::load_scenario(scenario);
  if (lr.has_errors() || !lr.scenario) {
    for (const auto& d : lr.diagnostics) std::fprintf(stderr, "%s\n", cyberdrill::to_string(d).c_str());
    return 2;
  }
  const cyberdrill::Scenario& sc = *lr.scenario;
  std::uint64_t events = 0, records = 0, checksum = 0;
  const auto t0 = std::chrono::steady_clock::now();
  const cyberdrill::RunPrep prep(sc);  // the per-scenario state, made once (inside the timing)
  for (int i = 0; i < runs; ++i) {
    cyberdrill::RunOptions o;
    o.prep = &prep;
    o.keep_service_levels = false;  // as batch's runs
    o.seed = seed + static_cast<std::uint64_t>(i);
    o.keep_records = false;
    const cyberdrill::RunResult r = cyberdrill::run_scenario(sc, o);
    events += r.events;
    records += r.record_count;
    checksum ^= r.fingerprint;
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("RESULT name=national_flagship runs=%d events=%llu records=%llu wall_s=%.4f events_per_s=%.0f "
              "runs_per_s=%.2f checksum=%016llx assets=%zu\n",
              runs, static_cast<unsigned long long>(events), static_cast<unsigned long long>(records), wall,
              static_cast<double>(events) / wall, runs / wall, static_cast<unsigned long long>(checksum),
              sc.assets.size());
  return 0;
}
