// Planners' analyses: the synthetic generator, the knockout criticality ranking and the sector
// IIM; and the two commands end to end.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <set>

#include "cyberdrill/analysis.hpp"
#include "cyberdrill/generate.hpp"
#include "cli_helpers.hpp"
#include "cyberdrill/scenario_io.hpp"
#include "cyberdrill/world.hpp"
#include "world_fixtures.hpp"

using namespace cyberdrill;
using namespace cyberdrill::literals;
using namespace cyberdrill::testing;

TEST_CASE("generate: deterministic - the requested size and mean degree - valid references") {
  GenerateOptions o;
  o.assets = 5000;
  o.mean_degree = 2.5;
  o.seed = 11;
  const Scenario a = generate_infrastructure(o), b = generate_infrastructure(o);
  REQUIRE(a.assets.size() == 5000);
  std::size_t edges = 0;
  std::set<std::string> ids;
  for (std::size_t i = 0; i < a.assets.size(); ++i) {
    const Asset& x = a.assets[i];
    ids.insert(x.id);
    CHECK(x.sector < a.sectors.size());
    CHECK(x.operator_org < a.organisations.size());
    for (const Dependency& d : x.depends_on) {
      CHECK(d.supplier < a.assets.size());
      CHECK(d.supplier != i);
      CHECK(!d.buffer.is_negative());
    }
    edges += x.depends_on.size();
    CHECK(x.depends_on.size() == b.assets[i].depends_on.size());
    CHECK(x.population == b.assets[i].population);
  }
  CHECK(ids.size() == a.assets.size());
  CHECK(static_cast<double>(edges) / 5000.0 == doctest::Approx(2.5).epsilon(0.05));
  o.seed = 12;
  CHECK(generate_infrastructure(o).assets[17].population != a.assets[17].population);
  o.assets = 0;
  CHECK_THROWS_AS((void)generate_infrastructure(o), std::invalid_argument);
}

TEST_CASE("generate: hospitals ride 96 h on power - mobile sites 1-3 h - payments none on telecom") {
  GenerateOptions o;
  o.assets = 3000;
  o.mean_degree = 3;
  const Scenario s = generate_infrastructure(o);
  int checked = 0;
  for (const Asset& a : s.assets)
    for (const Dependency& d : a.depends_on) {
      const std::string& sup = s.assets[d.supplier].id;
      if (a.id.rfind("hosp-", 0) == 0 && d.type == DependencyType::power) {
        CHECK(d.buffer == 96_h);
        ++checked;
      }
      if (a.id.rfind("mob-", 0) == 0 && d.type == DependencyType::power) {
        CHECK(d.buffer >= 1_h);
        CHECK(d.buffer <= 3_h);
        ++checked;
      }
      if (a.id.rfind("pay-", 0) == 0 && sup.rfind("core-", 0) == 0) {
        CHECK(d.buffer == 0_h);
        ++checked;
      }
    }
  CHECK(checked > 100);
}

TEST_CASE("criticality: the root of a chain hurts most: buffers longer than the horizon hide a loss") {
  Scenario s;
  const Index sec = add_sector(s, "energy");
  const Index grid = add_asset(s, CombineRule::all, 1000, sec);
  const Index city = add_asset(s, CombineRule::all, 5000, sec);
  const Index hosp = add_asset(s, CombineRule::all, 100, sec);
  depend(s, city, grid);
  depend(s, hosp, grid, 96_h);
  CriticalityOptions o;
  o.top = 0;
  o.horizon = 24_h;
  const auto r = rank_criticality(s, o);
  REQUIRE(r.size() == 3);
  CHECK(r[0].asset == grid);
  CHECK(r[0].population_hours == doctest::Approx(24.0 * 6000));  // the hospital's 96 h buffer holds
  CHECK(r[0].assets_out == 2);
  CHECK(r[0].downstream == 3);
  CHECK(r[1].asset == city);
  CHECK(r[2].asset == hosp);
  o.top = 1;  // the cheap score also puts the grid first
  CHECK(rank_criticality(s, o).at(0).asset == grid);
}

TEST_CASE("sector IIM equals the closed form on a two-sector chain") {
  Scenario s;
  const Index e = add_sector(s, "energy"), t = add_sector(s, "telecom");
  const Index a = add_asset(s, CombineRule::all, 0, e), b = add_asset(s, CombineRule::all, 0, t);
  depend(s, b, a, 0_h, 0.5);  // telecom <- energy: a*_te = 0.5 / (1 + 0.5) = 1/3
  depend(s, a, b, 0_h, 0.2);  // energy <- telecom: a*_et = 0.2 / (1 + 0.2) = 1/6
  const auto r = iim_by_sector(s, 0.1);
  CHECK(r.a_star[t][e] == doctest::Approx(1.0 / 3));
  CHECK(r.a_star[e][t] == doctest::Approx(1.0 / 6));
  // Perturb energy: q_e = 0.1 + q_t / 6, q_t = q_e / 3  =>  q_e = 0.1 x 18/17, q_t = q_e / 3.
  CHECK(r.response[e][e] == doctest::Approx(0.1 * 18 / 17));
  CHECK(r.response[e][t] == doctest::Approx(0.1 * 6 / 17));
  CHECK(r.response[t][t] == doctest::Approx(0.1 * 18 / 17));
  CHECK(r.response[t][e] == doctest::Approx(0.1 * 3 / 17));
}

namespace {
/// x = M^-1 b by Gaussian elimination with partial pivoting (3 x 3).
std::vector<double> solve3(std::vector<std::vector<double>> m, std::vector<double> b) {
  const std::size_t n = b.size();
  for (std::size_t c = 0; c < n; ++c) {
    std::size_t p = c;
    for (std::size_t r = c + 1; r < n; ++r)
      if (std::abs(m[r][c]) > std::abs(m[p][c])) p = r;
    std::swap(m[c], m[p]);
    std::swap(b[c], b[p]);
    for (std::size_t r = c + 1; r < n; ++r) {
      const double f = m[r][c] / m[c][c];
      for (std::size_t k = c; k < n; ++k) m[r][k] -= f * m[c][k];
      b[r] -= f * b[c];
    }
  }
  std::vector<double> x(n);
  for (std::size_t i = n; i-- > 0;) {
    double v = b[i];
    for (std::size_t k = i + 1; k < n; ++k) v -= m[i][k] * x[k];
    x[i] = v / m[i][i];
  }
  return x;
}
}  // namespace

TEST_CASE("sector IIM: A* is output-weighted, and q = (I - A*)^-1 c* on three sectors") {
  Scenario s;
  const Index E = add_sector(s, "energy"), T = add_sector(s, "telecom"), F = add_sector(s, "finance");
  const Index e1 = add_asset(s, CombineRule::all, 0, E);
  const Index t1 = add_asset(s, CombineRule::all, 0, T), t2 = add_asset(s, CombineRule::all, 0, T);
  const Index f1 = add_asset(s, CombineRule::all, 0, F);
  s.assets[e1].daily_output_eur = 100;
  s.assets[t1].daily_output_eur = 60;
  s.assets[t2].daily_output_eur = 40;
  s.assets[f1].daily_output_eur = 300;
  depend(s, t1, e1);            // W = 1: 60 % of telecom's output x 1/2 on energy
  depend(s, t2, e1);            // W = 2: 40 % x 1/3 on energy, 40 % x 1/3 on finance
  depend(s, t2, f1);
  depend(s, f1, t1);            // W = 1.5: 1/2.5 on telecom, 0.5/2.5 on energy
  depend(s, f1, e1, 0_h, 0.5);
  depend(s, e1, t2, 0_h, 0.5);  // W = 0.5: 0.5/1.5 on telecom
  const std::vector<std::vector<double>> want{{0, 1.0 / 3, 0}, {0.3 + 0.4 / 3, 0, 0.4 / 3}, {0.2, 0.4, 0}};
  const auto r = iim_by_sector(s, 0.1);
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t j = 0; j < 3; ++j) CHECK(r.a_star[i][j] == doctest::Approx(want[i][j]));
  std::vector<std::vector<double>> ia(3, std::vector<double>(3, 0.0));
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t j = 0; j < 3; ++j) ia[i][j] = (i == j ? 1.0 : 0.0) - want[i][j];
  for (Index p = 0; p < 3; ++p) {
    std::vector<double> c(3, 0.0);
    c[p] = 0.1;
    const auto q = solve3(ia, c);
    for (std::size_t t = 0; t < 3; ++t) CHECK(r.response[p][t] == doctest::Approx(q[t]).epsilon(1e-9));
  }
}

TEST_CASE("sector IIM on the Belgium library: a 0.1 energy perturbation gives proportionate inoperabilities") {
  const LoadResult lr = load_scenario(std::filesystem::path(CYBERDRILL_SOURCE_DIR) / "scenarios/belgium/grid-blackout.json");
  REQUIRE_FALSE(lr.has_errors());
  const Scenario& s = *lr.scenario;
  const auto r = iim_by_sector(s, 0.1);
  Index energy = kNone;
  for (Index i = 0; i < s.sectors.size(); ++i)
    if (s.sectors[i].id == "energy") energy = i;
  REQUIRE(energy != kNone);
  for (std::size_t i = 0; i < s.sectors.size(); ++i) {
    double row = 0;
    for (double v : r.a_star[i]) row += v;
    CHECK(row < 1.0);  // each sector keeps some own value added
    CHECK(r.response[energy][i] < 0.5);  // well below 1: no sector fully inoperable from 0.1
  }
  CHECK(r.response[energy][energy] >= 0.1);
}

TEST_CASE("generate and analyze end to end: the generated file loads - validates and ranks") {
  const auto dir = std::filesystem::temp_directory_path() / ("cyberdrill-gen-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto file = (dir / "gen.json").string();
  auto g = run_cyberdrill("generate --assets 1500 --mean-degree 3 --seed 5 -o " + file);
  REQUIRE(g.code == 0);
  CHECK_FALSE(std::filesystem::exists(file + ".tmp"));
  const LoadResult loaded = load_scenario(file);
  REQUIRE_FALSE(loaded.has_errors());
  CHECK(loaded.scenario->assets.size() == 1500);
  GenerateOptions o;
  o.assets = 1500;
  o.mean_degree = 3;
  o.seed = 5;
  const Scenario direct = generate_infrastructure(o);
  CHECK(loaded.scenario->assets[700].depends_on.size() == direct.assets[700].depends_on.size());
  CHECK(loaded.scenario->assets[700].depends_on.at(0).buffer == direct.assets[700].depends_on.at(0).buffer);
  CHECK(loaded.scenario->assets[700].depends_on.at(0).weight == direct.assets[700].depends_on.at(0).weight);

  auto a = run_cyberdrill("analyze " + file + " --top 5 --horizon 2d --csv " + (dir / "r.csv").string());
  CHECK(a.code == 0);
  CHECK(a.out.find("Criticality ranking: 5 knockout(s), horizon 2d") != std::string::npos);
  CHECK(a.out.find("IIM") != std::string::npos);
  CHECK(slurp(dir / "r.csv").rfind("rank,asset,sector,population_hours_lost", 0) == 0);
  auto j = run_cyberdrill("analyze " + file + " --top 3 --json");
  CHECK(j.code == 0);
  CHECK(j.out.find("\"ranking\"") != std::string::npos);
  CHECK(run_cyberdrill("analyze " + file + " --horizon 3x").code == 2);
  CHECK(run_cyberdrill("analyze " + (dir / "missing.json").string()).code == 2);
  CHECK(run_cyberdrill("generate --assets 0 -o " + (dir / "zero.json").string()).code == 2);
  std::filesystem::remove_all(dir);
}
