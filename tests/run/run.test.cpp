#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <thread>

#include "cli_helpers.hpp"
#include "cyberdrill/run.hpp"
#include "cyberdrill/run_folder.hpp"
#include "run_helpers.hpp"

using namespace cyberdrill;
using namespace cyberdrill::testing;

namespace {

std::vector<TraceRecord> before(const std::vector<TraceRecord>& rs, SimTime t) {
  std::vector<TraceRecord> out;
  for (const TraceRecord& r : rs)
    if (r.time < t) out.push_back(r);
  return out;
}

/// Runs o1 and o2 on two threads at once and checks each fingerprint equals the same run done
/// alone first: runs share nothing mutable.
void check_two_threads_equal_serial(const Scenario& sc, const RunOptions& o1, const RunOptions& o2,
                                    const RunOptions& serial1, const RunOptions& serial2) {
  const std::uint64_t s1 = run_scenario(sc, serial1).fingerprint;
  const std::uint64_t s2 = run_scenario(sc, serial2).fingerprint;
  std::uint64_t t1 = 0, t2 = 0;
  std::thread x([&] { t1 = run_scenario(sc, o1).fingerprint; });
  std::thread y([&] { t2 = run_scenario(sc, o2).fingerprint; });
  x.join();
  y.join();
  CHECK(t1 == s1);
  CHECK(t2 == s2);
}

}  // namespace

TEST_CASE("a run is a pure function of scenario and seed") {
  const Scenario sc = load(flagship());
  RunOptions o;
  o.seed = sc.metadata.seed;
  const RunResult a = run_scenario(sc, o);
  const RunResult b = run_scenario(sc, o);
  REQUIRE(a.records.size() > 100);
  CHECK(a.records == b.records);
  CHECK(a.fingerprint == b.fingerprint);
  CHECK(a.fingerprint == fingerprint(a.records) );
  o.seed += 1;
  const RunResult c = run_scenario(sc, o);
  CHECK(c.fingerprint != a.fingerprint);
}

TEST_CASE("runs in two threads equal the same runs one after the other") {
  const Scenario sc = load(flagship());
  RunOptions o1, o2;
  o1.seed = 11;
  o2.seed = 12;
  check_two_threads_equal_serial(sc, o1, o2, o1, o2);
}

TEST_CASE("the run folder is byte-identical for identical inputs") {
  const Scenario sc = load(flagship());
  RunOptions o;
  o.seed = 3;
  const auto tmp = std::filesystem::temp_directory_path() / ("cyberdrill-run-test-" + std::to_string(::getpid()));
  RunManifest man;
  man.scenario_path = flagship().string();
  write_run_folder(tmp / "a", sc, run_scenario(sc, o), man);
  write_run_folder(tmp / "b", sc, run_scenario(sc, o), man);
  for (const char* f : {"events.jsonl", "metrics.json", "service_levels.csv", "decisions.jsonl", "manifest.json"}) {
    CAPTURE(f);
    CHECK(slurp(tmp / "a" / f) == slurp(tmp / "b" / f));
  }
  CHECK(slurp(tmp / "a" / "events.jsonl").size() > 1000);
  // Rewriting over a previous run folder replaces it; a folder that is not a run folder is refused.
  write_run_folder(tmp / "a", sc, run_scenario(sc, o), man);
  std::filesystem::create_directories(tmp / "precious");
  { std::ofstream(tmp / "precious" / "notes.txt") << "keep me"; }
  CHECK_THROWS_AS(write_run_folder(tmp / "precious", sc, run_scenario(sc, o), man), std::runtime_error);
  CHECK(slurp(tmp / "precious" / "notes.txt") == "keep me");
  CHECK_FALSE(std::filesystem::exists(tmp / "precious" / "events.jsonl"));
  std::filesystem::remove_all(tmp);
}

TEST_CASE("replaying a journal reproduces the run, forking at T keeps everything before T") {
  const Scenario sc = load(flagship());
  REQUIRE(sc.decisions.size() >= 2);
  RunOptions o;
  o.seed = sc.metadata.seed;
  const RunResult a = run_scenario(sc, o);
  REQUIRE(!a.journal.entries.empty());

  DefaultDecisionPolicy defaults;
  const JournalReplayPolicy replay(sc, a.journal, std::nullopt, defaults);
  RunOptions r = o;
  r.policy = &replay;
  const RunResult b = run_scenario(sc, r);
  CHECK(b.records.size() == a.records.size());
  CHECK(b.fingerprint == a.fingerprint);

  // Fork at the first decision: choose another option from then on.
  const DecisionEntry& first = a.journal.entries.front();
  Index d = kNone;
  for (Index i = 0; i < sc.decisions.size(); ++i)
    if (sc.decisions[i].id == first.decision) d = i;
  REQUIRE(d != kNone);
  std::string other;
  for (const DecisionOption& opt : sc.decisions[d].options)
    if (opt.id != first.option) other = opt.id;
  REQUIRE(!other.empty());
  const OverrideDecisionPolicy changed(sc, {{first.decision, other}});
  const JournalReplayPolicy fork(sc, a.journal, first.time, changed);
  RunOptions f = o;
  f.policy = &fork;
  const RunResult c = run_scenario(sc, f);
  CHECK(before(c.records, first.time) == before(a.records, first.time));
  const DecisionEntry* e = c.journal.find_or_null(first.decision);
  REQUIRE(e != nullptr);
  CHECK(e->option == other);
  CHECK(c.fingerprint != a.fingerprint);
}

TEST_CASE("world-side policy knobs move the run in the expected direction") {
  const auto hospital = source_dir() / "scenarios" / "belgium" / "hospital-ransomware.json";
  const Scenario base = load(hospital);
  auto service_hours = [](const Scenario& sc) {
    double sum = 0;
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
      RunOptions o;
      o.seed = seed;
      o.keep_records = false;
      sum += run_scenario(sc, o).metrics.values.at("service_hours_lost").value_or(0);
    }
    return sum;
  };
  Scenario fast = base;
  fast.policy["restore_time_scale"] = 0.25;
  Scenario slow = base;
  slow.policy["restore_time_scale"] = 4.0;
  const double b = service_hours(base), f = service_hours(fast), s = service_hours(slow);
  MESSAGE("service-hours lost over 5 seeds: restore x0.25 " << f << ", x1 " << b << ", x4 " << s);
  CHECK(f < b);
  CHECK(b < s);
  // Scaling by 1 changes nothing at all.
  Scenario same = base;
  same.policy["buffer_scale"] = 1.0;
  RunOptions o;
  o.seed = 9;
  CHECK(run_scenario(same, o).fingerprint == run_scenario(base, o).fingerprint);
}


TEST_CASE("a run given the scenario's RunPrep equals the run without it") {
  // RunOptions::prep only skips rebuilding what depends on the scenario alone: the same records,
  // metrics, samples and journal, over several seeds sharing one prep, also with a world-side
  // knob (the prep then holds the scaled copy) and from two threads at once.
  Scenario sc = load(flagship());
  for (const double restore_scale : {1.0, 0.5}) {
    sc.policy["restore_time_scale"] = restore_scale;
    const RunPrep prep(sc);
    CHECK(&prep.source() == &sc);
    for (std::uint64_t seed = 1; seed <= 3; ++seed) {
      RunOptions plain;
      plain.seed = seed;
      RunOptions shared = plain;
      shared.prep = &prep;
      const RunResult a = run_scenario(sc, plain);
      const RunResult b = run_scenario(sc, shared);
      REQUIRE(a.records.size() > 100);
      CHECK(a.records == b.records);
      CHECK(a.fingerprint == b.fingerprint);
      CHECK(a.metrics.values == b.metrics.values);
      CHECK(a.impact_samples.size() == b.impact_samples.size());
      CHECK(a.sector_population_hours == b.sector_population_hours);
      CHECK(a.journal.entries.size() == b.journal.entries.size());
    }
    RunOptions o1, o2;
    o1.seed = 21;
    o2.seed = 22;
    RunOptions p1 = o1, p2 = o2;  // the same runs sharing one prep, on two threads
    p1.prep = p2.prep = &prep;
    check_two_threads_equal_serial(sc, p1, p2, o1, o2);
  }
  // A prep of another Scenario object (even an equal copy) is refused, not silently used.
  const Scenario copy = sc;
  const RunPrep other(copy);
  RunOptions o;
  o.prep = &other;
  CHECK_THROWS_AS((void)run_scenario(sc, o), std::invalid_argument);
}

TEST_CASE("keep_service_levels false keeps only the last sample and changes nothing else") {
  const Scenario sc = load(flagship());
  RunOptions all;
  all.seed = 5;
  RunOptions last = all;
  last.keep_service_levels = false;
  const RunResult a = run_scenario(sc, all);
  const RunResult b = run_scenario(sc, last);
  REQUIRE(a.service_levels.size() > 100);
  REQUIRE(b.service_levels.size() == 1);
  CHECK(b.service_levels.back().time == a.service_levels.back().time);
  CHECK(b.service_levels.back().level == a.service_levels.back().level);
  // Cut at several times, the one row kept is the full run's sample at that time (the reused
  // row is re-summed as levels change, not left at an earlier sample).
  int differs_from_first = 0;
  for (const int hours : {3, 6, 12, 24, 36, 48}) {
    RunOptions cut = last;
    cut.until = SimTime::zero() + Duration::hours(hours);
    const RunResult c = run_scenario(sc, cut);
    REQUIRE(c.service_levels.size() == 1);
    const auto at = std::find_if(a.service_levels.begin(), a.service_levels.end(),
                                 [&](const SectorLevels& r) { return r.time == c.service_levels.back().time; });
    REQUIRE(at != a.service_levels.end());
    CHECK(at->level == c.service_levels.back().level);
    differs_from_first += at->level != a.service_levels.front().level ? 1 : 0;
  }
  CHECK(differs_from_first > 0);
  CHECK(a.records == b.records);
  CHECK(a.fingerprint == b.fingerprint);
  CHECK(a.metrics.values == b.metrics.values);
  REQUIRE(a.impact_samples.size() == b.impact_samples.size());
  for (std::size_t i = 0; i < a.impact_samples.size(); ++i) {
    CHECK(a.impact_samples[i].people_affected == b.impact_samples[i].people_affected);
    CHECK(a.impact_samples[i].economic_loss_eur == b.impact_samples[i].economic_loss_eur);
  }
}
