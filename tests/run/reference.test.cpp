// Reference timelines as acceptance tests (issue 9 point 10): every shipped Belgian exercise
// carries its bands as data (the "reference" section, include/cyberdrill/scenario.hpp
// ReferenceBand, each with its DOMAIN.md source); this test runs each exercise over its seeds
// (1..reference.seeds, 30 or more) and FAILS when a statistic falls outside its band. Each check
// prints its value beside its band, so a CI log is the calibration record.
#include <doctest/doctest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "cyberdrill/run.hpp"
#include "run_helpers.hpp"

using namespace cyberdrill;
using namespace cyberdrill::testing;

namespace {

constexpr const char* kExercises[] = {"isp-ddos.json", "grid-blackout.json", "hospital-ransomware.json",
                                      "port-wiper.json", "faulty-update.json"};

struct Runs {
  std::vector<RunResult> results;
  double residents = 0;
};

Runs run_all(const Scenario& sc) {
  Runs r;
  for (const Area& a : sc.areas) r.residents += static_cast<double>(a.residents);
  for (int seed = 1; seed <= sc.reference.seeds; ++seed) {
    RunOptions opt;
    opt.seed = static_cast<std::uint64_t>(seed);
    r.results.push_back(run_scenario(sc, opt));
  }
  return r;
}

std::vector<double> happened(const Runs& r, const std::string& metric) {
  std::vector<double> v;
  for (const RunResult& x : r.results)
    if (auto it = x.metrics.values.find(metric); it != x.metrics.values.end() && it->second) v.push_back(*it->second);
  return v;
}

/// The band's statistic over the runs; nullopt for a median of a metric that happened in fewer
/// than half of the runs (a median of "never" is "never": the band is missed).
std::optional<double> statistic(const Runs& r, const ReferenceBand& b) {
  std::vector<double> v = happened(r, b.metric);
  const auto n = static_cast<double>(r.results.size());
  switch (b.statistic) {
    case ReferenceBand::Statistic::median:
      if (v.size() * 2 < r.results.size()) return std::nullopt;
      std::sort(v.begin(), v.end());
      return v[v.size() / 2];
    case ReferenceBand::Statistic::share_happened: return static_cast<double>(v.size()) / n;
    case ReferenceBand::Statistic::share_at_most:
      return static_cast<double>(std::count_if(v.begin(), v.end(), [&](double x) { return x <= b.value; })) / n;
  }
  return std::nullopt;
}

const char* name_of(ReferenceBand::Statistic s) {
  switch (s) {
    case ReferenceBand::Statistic::median: return "median";
    case ReferenceBand::Statistic::share_happened: return "share of runs where it happened";
    case ReferenceBand::Statistic::share_at_most: return "share of runs at most";
  }
  return "?";
}

void check_exercise(const char* file) {
  const Scenario sc = load(source_dir() / "scenarios/belgium" / file);
  CAPTURE(file);
  REQUIRE_MESSAGE(sc.reference.seeds >= 30, "every shipped exercise states its reference bands over 30+ seeds");
  REQUIRE(!sc.reference.bands.empty());
  const Runs r = run_all(sc);
  for (const ReferenceBand& b : sc.reference.bands) {
    const auto s = statistic(r, b);
    const std::string shown = s ? std::to_string(*s) : std::string("never (happened in fewer than half of the runs)");
    const std::string bound =
        b.statistic == ReferenceBand::Statistic::share_at_most ? " " + std::to_string(b.value) : std::string();
    MESSAGE(std::string(file) << ": " << b.metric << " " << std::string(name_of(b.statistic)) << bound << " = " << shown << " over "
                 << sc.reference.seeds << " seeds, band [" << b.lo << ", " << b.hi << "] (" << b.source << ")");
    CHECK_MESSAGE(s.has_value(), b.metric << ": missed (never)");
    if (s) {
      CHECK_MESSAGE(*s >= b.lo, b.metric << " below its band");
      CHECK_MESSAGE(*s <= b.hi, b.metric << " above its band");
    }
  }
  // An invariant, not a band: people are counted once and never exceed the residents.
  double worst = 0;
  for (const RunResult& x : r.results)
    worst = std::max(worst, x.metrics.values.at("peak_population_affected").value_or(0));
  MESSAGE(std::string(file) << ": highest peak_population_affected " << worst << " <= residents " << r.residents);
  CHECK(r.residents > 0);
  CHECK(worst <= r.residents);
}

}  // namespace

TEST_CASE("reference: ISP DDoS (Belnet, May 2021)") { check_exercise(kExercises[0]); }
TEST_CASE("reference: distribution grid attack, the flagship (Ukraine 2015, Kyiv 2016)") { check_exercise(kExercises[1]); }
TEST_CASE("reference: hospital group ransomware (AZ Monica, Jan 2026)") { check_exercise(kExercises[2]); }
TEST_CASE("reference: supply-chain wiper at the port (NotPetya, June 2017)") { check_exercise(kExercises[3]); }
TEST_CASE("reference: faulty security-software update (July 2024)") { check_exercise(kExercises[4]); }

TEST_CASE("reference: a band a run cannot meet is reported as missed (the check can fail)") {
  Scenario sc = load(source_dir() / "scenarios/belgium/isp-ddos.json");
  sc.reference.seeds = 3;
  const Runs r = run_all(sc);
  ReferenceBand never{"time_to_crisis_h", ReferenceBand::Statistic::median, 0, 1000, 0, "test"};
  CHECK_FALSE(statistic(r, never).has_value());  // no run of the ISP DDoS reaches the crisis level
  ReferenceBand recover{"time_to_recover_h", ReferenceBand::Statistic::median, 0, 1, 0, "test"};
  REQUIRE(statistic(r, recover).has_value());
  CHECK(*statistic(r, recover) > recover.hi);  // recovered after about a day, not within 1 h
  ReferenceBand share{"time_to_recover_h", ReferenceBand::Statistic::share_at_most, 0, 0, 1.0, "test"};
  CHECK(*statistic(r, share) == 0.0);
}
