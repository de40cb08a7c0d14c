// ImpactModel (include/cyberdrill/impact.hpp): people counted once under the stated overlap
// model, the population fallback, economic output and loss rates.
#include <doctest/doctest.h>

#include <map>
#include <random>
#include <span>
#include <vector>

#include "cyberdrill/impact.hpp"
#include "cyberdrill/world.hpp"

using namespace cyberdrill;

namespace {

Asset asset(const char* id, Index sector, std::vector<Serve> serves, double output = -1) {
  Asset a;
  a.id = id;
  a.sector = sector;
  a.serves = std::move(serves);
  a.daily_output_eur = output;
  return a;
}

/// Two areas (A: 1000 residents, B: 500), one sector with EUR 100 a day:
///   0 power:  electricity A 1.0           (declares EUR 30 a day)
///   1 mob-1:  mobile A 0.6, mobile B 0.5   (35: half of the unassigned 70)
///   2 mob-2:  mobile A 0.4                 (35)
///   3 backbone: serves nobody              (0: in no sector)
Scenario two_areas() {
  Scenario sc;
  Sector s;
  s.id = "all";
  s.daily_output_eur = 100;
  sc.sectors.push_back(s);
  sc.areas.push_back(Area{"a", "A", 1000, {}});
  sc.areas.push_back(Area{"b", "B", 500, {}});
  using C = ServiceClass;
  sc.assets.push_back(asset("power", 0, {{C::electricity, 0, 1.0}}, 30));
  sc.assets.push_back(asset("mob-1", 0, {{C::mobile, 0, 0.6}, {C::mobile, 1, 0.5}}));
  sc.assets.push_back(asset("mob-2", 0, {{C::mobile, 0, 0.4}}));
  sc.assets.push_back(asset("backbone", kNone, {}));
  return sc;
}

}  // namespace

TEST_CASE("people affected: the overlap model against a hand computation") {
  ImpactModel m(two_areas());
  CHECK(m.uses_areas());
  CHECK(m.residents() == doctest::Approx(1500));
  m.set_level(0, 0.5);  // A lacks electricity: 0.5
  m.set_level(1, 0.0);  // A lacks mobile 0.6 (mob-1's customers), B lacks mobile 0.5
  // A: 1 - (1 - 0.5)(1 - 0.6) = 0.8 -> 800; B: 0.5 -> 250.
  CHECK(m.people_affected() == doctest::Approx(1050));
  CHECK(m.people_in_area(0) == doctest::Approx(800));
  CHECK(m.people_in_area(1) == doctest::Approx(250));
  CHECK(m.people_without(ServiceClass::electricity) == doctest::Approx(500));
  CHECK(m.people_without(ServiceClass::mobile) == doctest::Approx(600 + 250));
  // mob-2 at 0.5 adds 0.2 to A's mobile: 0.8 -> A = 1 - 0.5 x 0.2 = 0.9.
  m.set_level(2, 0.5);
  CHECK(m.people_affected() == doctest::Approx(900 + 250));
  // Both mobile networks down: A lacks mobile entirely (1.0), so all of A is affected, never more.
  m.set_level(2, 0.0);
  CHECK(m.people_in_area(0) == doctest::Approx(1000));
  CHECK(m.people_affected() == doctest::Approx(1250));
  // The stateless evaluation agrees with the incremental state.
  const std::vector<double> levels{0.5, 0.0, 0.0, 1.0};
  const auto ev = m.evaluate_all(levels);
  CHECK(ev.people == doctest::Approx(m.people_affected()));
  CHECK(ev.areas.size() == 2);
  CHECK(ev.areas_at_least(0.9) == 1);
  CHECK(ev.areas_at_least(0.5) == 2);
  // Back to full service: nobody affected.
  for (Index a = 0; a < 4; ++a) m.set_level(a, 1.0);
  CHECK(m.people_affected() == 0);
  CHECK(m.people_without(ServiceClass::mobile) == 0);
}

TEST_CASE("people affected never exceed the residents, and incremental equals evaluation, over random levels") {
  // A denser world: 3 areas, 40 assets each serving 1-3 (area, class) slots with shares that sum
  // to at most 1 per slot.
  Scenario sc;
  sc.sectors.push_back(Sector{"s", "S", {}, 1000});
  for (int r = 0; r < 3; ++r) sc.areas.push_back(Area{"r" + std::to_string(r), "", 1000u * (r + 1), {}});
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<double> left(3 * kServiceClassCount, 1.0);
  for (int i = 0; i < 40; ++i) {
    Asset a = asset("x", 0, {});
    const int k = 1 + static_cast<int>(u(rng) * 3);
    for (int j = 0; j < k; ++j) {
      const auto area = static_cast<Index>(u(rng) * 3);
      const auto cls = static_cast<std::size_t>(u(rng) * kServiceClassCount);
      double& l = left[area * kServiceClassCount + cls];
      const double share = std::min(l, 0.5 * u(rng));
      l -= share;
      a.serves.push_back({static_cast<ServiceClass>(cls), area, share});
    }
    sc.assets.push_back(a);
  }
  ImpactModel m(sc);
  std::vector<double> levels(sc.assets.size(), 1.0);
  double peak = 0;
  for (int step = 0; step < 5000; ++step) {
    const auto a = static_cast<Index>(u(rng) * static_cast<double>(levels.size()));
    levels[a] = u(rng) < 0.3 ? 0.0 : u(rng);
    m.set_level(a, levels[a]);
    REQUIRE(m.people_affected() <= m.residents() + 1e-6);
    REQUIRE(m.people_affected() >= 0);
    peak = std::max(peak, m.people_affected());
    if (step % 97 == 0) {
      const auto ev = m.evaluate_all(levels);
      REQUIRE(ev.people == doctest::Approx(m.people_affected()).epsilon(1e-9));
      for (std::size_t c = 0; c < kServiceClassCount; ++c)
        REQUIRE(ev.without[c] == doctest::Approx(m.people_without(static_cast<ServiceClass>(c))).epsilon(1e-9));
    }
  }
  CHECK(peak > 0);
  // Everything down: at most every resident, each counted once.
  for (Index a = 0; a < levels.size(); ++a) m.set_level(a, 0.0);
  CHECK(m.people_affected() <= m.residents() + 1e-6);
}

TEST_CASE("without areas the per-asset population is the fallback") {
  Scenario sc;
  sc.assets.push_back(asset("a", kNone, {}));
  sc.assets.push_back(asset("b", kNone, {}));
  sc.assets[0].population = 100;
  sc.assets[1].population = 40;
  ImpactModel m(sc);
  CHECK_FALSE(m.uses_areas());
  CHECK(m.residents() == 0);
  m.set_level(0, 0.25);
  m.set_level(1, 0.0);
  CHECK(m.people_affected() == doctest::Approx(75 + 40));  // counted per asset, as before areas
}

TEST_CASE("economic output: declared per asset, the sector's rest spread evenly, loss rate = (1 - level) x output") {
  ImpactModel m(two_areas());
  CHECK(m.output_per_day(0) == doctest::Approx(30));
  CHECK(m.output_per_day(1) == doctest::Approx(35));
  CHECK(m.output_per_day(2) == doctest::Approx(35));
  CHECK(m.output_per_day(3) == 0);
  CHECK(m.national_output_per_day() == doctest::Approx(100));
  m.set_level(0, 0.0);
  m.set_level(1, 0.5);
  CHECK(m.loss_per_day() == doctest::Approx(30 + 17.5));
  CHECK(m.sector_loss_per_day(0) == doctest::Approx(47.5));
  const std::vector<std::pair<Index, double>> believed{{1, 0.5}};
  CHECK(m.evaluate(believed).loss_per_day == doctest::Approx(17.5));
}

TEST_CASE("the world reports distinct people: a supplier and its dependent serving the same residents count once") {
  // power serves electricity in A; mobile depends on power and serves mobile in A. Both down:
  // the per-asset sum would be 2000, the residents are 1000.
  Scenario sc;
  sc.sectors.push_back(Sector{"s", "S", {}, -1});
  sc.areas.push_back(Area{"a", "A", 1000, {}});
  sc.assets.push_back(asset("power", 0, {{ServiceClass::electricity, 0, 1.0}}));
  Asset mob = asset("mobile", 0, {{ServiceClass::mobile, 0, 1.0}});
  Dependency d;
  d.supplier = 0;
  mob.depends_on.push_back(d);
  sc.assets.push_back(mob);
  World w(sc);
  Simulation sim;
  CascadeModel cascade(sim, w);
  cascade.impose(0, 0.0, Cause{});
  CHECK(w.level(1) == 0.0);
  CHECK(w.population_unserved() == doctest::Approx(1000));
  CHECK(w.impact().people_without(ServiceClass::mobile) == doctest::Approx(1000));
  cascade.lift(0, Cause{});
  CHECK(w.population_unserved() == 0);
}

namespace {
/// A random world of `areas` areas (0: the population fallback) and `n` assets serving 1-3 slots.
Scenario random_world(std::mt19937& rng, int areas, int n) {
  std::uniform_real_distribution<double> u(0, 1);
  Scenario sc;
  sc.sectors.push_back(Sector{"s", "S", {}, 1000});
  for (int r = 0; r < areas; ++r) sc.areas.push_back(Area{"r" + std::to_string(r), "", 1000u * (r + 1), {}});
  for (int i = 0; i < n; ++i) {
    Asset a = asset("x", 0, {}, u(rng) < 0.5 ? -1 : 10 * u(rng));
    if (areas == 0) {
      a.population = static_cast<std::uint64_t>(u(rng) * 100);
    } else {
      const int k = 1 + static_cast<int>(u(rng) * 3);
      for (int j = 0; j < k; ++j) {
        const auto area = static_cast<Index>(u(rng) * areas);
        const auto cls = static_cast<ServiceClass>(static_cast<std::size_t>(u(rng) * kServiceClassCount));
        a.serves.push_back({cls, area, 0.6 * u(rng)});
      }
    }
    sc.assets.push_back(a);
  }
  return sc;
}
}  // namespace

TEST_CASE("the tracker's evaluation equals evaluate() bit for bit as a sparse list of levels changes") {
  for (const int areas : {0, 1, 5, 40}) {
    CAPTURE(areas);
    std::mt19937 rng(11 + static_cast<unsigned>(areas));
    std::uniform_real_distribution<double> u(0, 1);
    const Scenario sc = random_world(rng, areas, 60);
    const ImpactModel m(sc);
    ImpactModel::Tracker tracker(m);
    std::map<Index, double> listed;  // a picture: ascending, distinct
    for (int step = 0; step < 3000; ++step) {
      const auto a = static_cast<Index>(u(rng) * 60);
      const double roll = u(rng);
      if (roll < 0.2) listed.erase(a);
      else listed[a] = roll < 0.4 ? 0.0 : (roll < 0.5 ? 1.0 : u(rng));  // full service is listed too
      const std::vector<std::pair<Index, double>> list(listed.begin(), listed.end());
      const ImpactModel::Evaluation& got = tracker.update(list);
      const ImpactModel::Evaluation want = m.evaluate(list);
      REQUIRE(got.people == want.people);  // exact: the same sums in the same order
      REQUIRE(got.loss_per_day == want.loss_per_day);
      for (std::size_t c = 0; c < kServiceClassCount; ++c) REQUIRE(got.without[c] == want.without[c]);
      REQUIRE(got.areas == want.areas);
      REQUIRE(m.evaluate_people(list) == want.people);
      if (!list.empty()) REQUIRE(m.evaluate_people(std::span(list.data(), 1)) == m.evaluate(std::span(list.data(), 1)).people);
      if (step % 101 == 0 && list.size() > 1) {  // not ascending: handed to evaluate(); then back on track
        std::vector<std::pair<Index, double>> rev(list.rbegin(), list.rend());
        REQUIRE(tracker.update(rev).people == m.evaluate(rev).people);
        REQUIRE(tracker.update(list).people == want.people);
      }
    }
  }
}
