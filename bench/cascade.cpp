// Threshold cascade on the cyberdrill world, following the ENGINE_CASCADE_CMD contract of
// ../shared/bench/peers/README.md: `bench_cascade [--reps=R] PATH` reads the peers' graph (PATH:
// little-endian uint32 pairs u v, "v depends on u"; PATH.seeds; PATH.need: per node the number of
// failed dependencies that fail it) and prints
//   RESULT name=cyberdrill_cascade nodes=.. edges=.. reached=.. edges_scanned=.. wall_s=.. edges_per_s=..
//
// It runs the same code a simulation runs: a Scenario of threshold-rule assets, a World built from
// it, and a CascadeModel on a Simulation; the seeds are imposed at T+0 by scheduled events and
// sim.run() propagates (all buffers zero, so the cascade settles at T+0). The peers' absolute
// thresholds map onto the threshold rule exactly: weight 1 per dependency, phi = need / in-degree,
// so "failed weight >= phi x total weight" is "failed count >= need" (the world subtracts a 1e-9
// tolerance, far below one dependency). A node without dependencies never fails unless seeded, as
// in the peers. reached = assets in outage; edges_scanned = edges examined by the model (the sum of
// out-degrees of failed assets, the peers' measure). wall_s times scheduling + run only (the median
// of --reps runs, the world reset between them); world construction is reported separately.
//
// `bench_cascade --generate=N` is the national-scale figure (see run_national below).
//
// `bench_cascade --csr-build PATH` times the peer's CSR construction alone, in this process's CPU
// time (the peer prints only wall time): exactly cascade_bgl.cpp's
// `compressed_sparse_row_graph<directedS, ..., uint32_t, uint32_t>(edges_are_sorted, ...)` from the
// same sorted (u, v) pair list, read from PATH first. Prints
//   RESULT name=bgl_csr_build_cpu nodes=.. edges=.. build_s=.. build_cpu_s=.. csr_mib=.. build_rss_mib=..
// csr_mib: the CSR's row starts and column (4 B each); build_rss_mib: resident-set growth over the
// construction. The world-build row of bench/run_all.sh divides the World's build_cpu_s by it.
#include <boost/graph/compressed_sparse_row_graph.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "cyberdrill/engine.hpp"
#include "cyberdrill/scenario.hpp"
#include "cyberdrill/world.hpp"
#include "cyberdrill/generate.hpp"

namespace {

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// CPU time of the process (user + sys), seconds.
double cpu_s() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// The process's resident set now and its peak so far (/proc/self/status, KiB; 0 if unreadable).
std::pair<long, long> rss_kib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  long rss = 0, hwm = 0;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) rss = std::atol(line.c_str() + 6);
    else if (line.rfind("VmHWM:", 0) == 0) hwm = std::atol(line.c_str() + 6);
  }
  return {rss, hwm};
}

std::vector<std::uint32_t> read_u32(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw std::runtime_error("cannot open " + path);
  const auto bytes = static_cast<std::size_t>(in.tellg());
  std::vector<std::uint32_t> v(bytes / 4);
  in.seekg(0);
  in.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(v.size() * 4));
  return v;
}

int run_peers(const std::string& path, int reps) {
  using namespace cyberdrill;
  const double t0 = now_s();
  const std::vector<std::uint32_t> edges = read_u32(path);
  const std::vector<std::uint32_t> seeds = read_u32(path + ".seeds");
  const std::vector<std::uint32_t> need = read_u32(path + ".need");
  const std::size_t n = need.size(), m = edges.size() / 2;

  Scenario s;
  s.assets.resize(n);
  std::vector<std::uint32_t> indeg(n, 0);
  for (std::size_t k = 0; k < m; ++k) ++indeg[edges[2 * k + 1]];
  for (std::size_t i = 0; i < n; ++i) {
    Asset& a = s.assets[i];
    a.rule = CombineRule::threshold;
    a.phi = indeg[i] > 0 ? static_cast<double>(need[i]) / indeg[i] : 1.0;
    a.depends_on.reserve(indeg[i]);
  }
  for (std::size_t k = 0; k < m; ++k) {
    Dependency d;
    d.supplier = edges[2 * k];
    s.assets[edges[2 * k + 1]].depends_on.push_back(d);
  }
  const auto [rss0, hwm0] = rss_kib();
  const double t1 = now_s(), c1 = cpu_s();
  World world(s);
  const double t2 = now_s(), c2 = cpu_s();
  const auto [rss1, hwm1] = rss_kib();
  s = Scenario{};
  // world_mib: the World's own arrays (World::memory_bytes); build_rss_mib: resident-set growth
  // over the build; build_peak_mib: peak growth over the build (the World plus its temporaries;
  // the Scenario is resident before and not counted).
  std::printf("RESULT name=cyberdrill_world_build nodes=%zu edges=%zu load_s=%.4f build_s=%.4f build_cpu_s=%.4f world_mib=%.1f "
              "build_rss_mib=%.1f build_peak_mib=%.1f scenario_rss_mib=%.1f\n",
              n, m, t1 - t0, t2 - t1, c2 - c1, static_cast<double>(world.memory_bytes()) / 1048576.0,
              static_cast<double>(rss1 - rss0) / 1024.0, static_cast<double>(std::max(hwm1, rss0) - rss0) / 1024.0,
              static_cast<double>(rss0) / 1024.0);

  std::vector<double> walls;
  std::size_t reached = 0;
  std::uint64_t scanned = 0;
  for (int r = 0; r < reps; ++r) {
    world.reset();
    Simulation sim;
    CascadeModel model(sim, world);
    const double a = now_s();
    for (std::uint32_t seed : seeds) model.schedule_impose(SimTime::zero(), seed, 0.0, Cause{CauseKind::inject, 0});
    sim.run();
    walls.push_back(now_s() - a);
    reached = world.outage_count();
    scanned = model.edges_scanned();
  }
  // Cross-check the work measure: the sum of out-degrees of failed assets.
  std::uint64_t check = 0;
  for (Index i = 0; i < n; ++i)
    if (world.in_outage(i)) check += world.out_degree(i);
  if (check != scanned) {
    std::fprintf(stderr, "bench_cascade: edges scanned %llu != sum of failed out-degrees %llu\n",
                 static_cast<unsigned long long>(scanned), static_cast<unsigned long long>(check));
    return 1;
  }
  std::sort(walls.begin(), walls.end());
  const double w = walls[walls.size() / 2];
  std::printf(
      "RESULT name=cyberdrill_cascade nodes=%zu edges=%zu reached=%zu edges_scanned=%llu wall_s=%.4f "
      "edges_per_s=%.0f min_wall_s=%.4f reps=%d\n",
      n, m, reached, static_cast<unsigned long long>(scanned), w, static_cast<double>(scanned) / w, walls.front(),
      reps);
  return 0;
}

// --csr-build PATH: the peer's CSR construction, timed in CPU time (see the header).
int run_csr_build(const std::string& path) {
  const std::vector<std::uint32_t> raw = read_u32(path);
  const std::size_t n = read_u32(path + ".need").size(), m = raw.size() / 2;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> edges(m);
  for (std::size_t k = 0; k < m; ++k) edges[k] = {raw[2 * k], raw[2 * k + 1]};
  using G = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                               boost::no_property, std::uint32_t, std::uint32_t>;
  const auto [rss0, hwm0] = rss_kib();
  const double t1 = now_s(), c1 = cpu_s();
  const G g(boost::edges_are_sorted, edges.begin(), edges.end(), static_cast<std::uint32_t>(n));
  const double t2 = now_s(), c2 = cpu_s();
  const auto [rss1, hwm1] = rss_kib();
  (void)hwm0;
  (void)hwm1;
  std::printf("RESULT name=bgl_csr_build_cpu nodes=%zu edges=%zu build_s=%.4f build_cpu_s=%.4f csr_mib=%.1f "
              "build_rss_mib=%.1f\n",
              static_cast<std::size_t>(num_vertices(g)), static_cast<std::size_t>(num_edges(g)), t2 - t1, c2 - c1,
              static_cast<double>((n + 1 + m) * sizeof(std::uint32_t)) / 1048576.0,
              static_cast<double>(rss1 - rss0) / 1024.0);
  return 0;
}

// --generate=N: national scale. Generates the synthetic infrastructure of `cyberdrill generate` in
// memory, builds the World and runs a full national cascade: every transmission substation
// ("tso-*") loses power at T+0 and the event-driven cascade (buffers, restart delays) runs to T+3d.
int run_national(std::size_t n, double z, std::uint64_t seed) {
  using namespace cyberdrill;
  const double t0 = now_s();
  GenerateOptions g;
  g.assets = n;
  g.mean_degree = z;
  g.seed = seed;
  Scenario s = generate_infrastructure(g);
  const double t1 = now_s();
  World world(s);
  const double t2 = now_s();
  Simulation sim;
  CascadeModel model(sim, world);
  std::size_t seeds = 0;
  for (Index i = 0; i < s.assets.size(); ++i)
    if (s.assets[i].id.rfind("tso-", 0) == 0) {
      model.schedule_impose(SimTime::zero(), i, 0.0, Cause{CauseKind::scenario, 0});
      ++seeds;
    }
  sim.run_until(SimTime::zero() + Duration::days(3));
  const double t3 = now_s();
  std::printf(
      "RESULT name=cyberdrill_national assets=%zu edges=%zu seeds=%zu generate_s=%.3f build_s=%.3f cascade_s=%.3f "
      "events=%llu outages=%zu population_hours=%.4g\n",
      world.asset_count(), world.edge_count(), seeds, t1 - t0, t2 - t1, t3 - t2,
      static_cast<unsigned long long>(sim.dispatched()), world.outage_count(),
      world.population_hours_lost(sim.now()));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  int reps = 3;
  std::size_t generate = 0;
  double z = 3.0;
  std::uint64_t seed = 1;
  std::string path;
  bool csr_build = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--reps=", 7) == 0) reps = std::max(1, std::atoi(argv[i] + 7));
    else if (std::strncmp(argv[i], "--generate=", 11) == 0) generate = std::strtoull(argv[i] + 11, nullptr, 10);
    else if (std::strncmp(argv[i], "--mean-degree=", 14) == 0) z = std::strtod(argv[i] + 14, nullptr);
    else if (std::strncmp(argv[i], "--seed=", 7) == 0) seed = std::strtoull(argv[i] + 7, nullptr, 10);
    else if (std::strcmp(argv[i], "--csr-build") == 0) csr_build = true;
    else if (argv[i][0] != '-') path = argv[i];
    else {
      std::fprintf(stderr, "usage: %s [--reps=R] GRAPH_PATH   (peers' cascade graph: PATH, PATH.seeds, PATH.need)\n"
                   "       %s --csr-build GRAPH_PATH   (the peer's CSR build alone, CPU time)\n"
                   "       %s --generate=N [--mean-degree=Z] [--seed=S]   (national-scale cascade)\n",
                   argv[0], argv[0], argv[0]);
      return 2;
    }
  }
  if (generate > 0) {
    try {
      return run_national(generate, z, seed);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "bench_cascade: %s\n", e.what());
      return 1;
    }
  }
  if (path.empty()) {
    std::fprintf(stderr, "usage: %s [--reps=R] GRAPH_PATH\n", argv[0]);
    return 2;
  }
  try {
    if (csr_build) return run_csr_build(path);
    return run_peers(path, reps);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_cascade: %s\n", e.what());
    return 1;
  }
}
