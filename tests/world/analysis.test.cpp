// Planners' analyses: the synthetic generator, the knockout criticality ranking and the sector
// IIM; and the two commands end to end.
#include <doctest/doctest.h>

#include <filesystem>
#include <set>

#include "analysis/criticality.hpp"
#include "analysis/generate.hpp"
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
  depend(s, b, a, 0_h, 0.5);  // telecom <- energy, a = 0.5
  depend(s, a, b, 0_h, 0.2);  // energy <- telecom, a = 0.2
  const auto r = iim_by_sector(s, 0.1);
  // Perturb energy: q_a = 0.1 + 0.2 q_b, q_b = 0.5 q_a  =>  q_a = 0.1 / 0.9, q_b = 0.05 / 0.9.
  CHECK(r.response[e][e] == doctest::Approx(0.1 / 0.9));
  CHECK(r.response[e][t] == doctest::Approx(0.05 / 0.9));
  CHECK(r.response[t][t] == doctest::Approx(0.1 / 0.9));
  CHECK(r.response[t][e] == doctest::Approx(0.02 / 0.9));
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
