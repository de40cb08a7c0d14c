// Study::max_wall_per_run_s (`batch --max-wall-per-run`): a run over the wall-clock limit is
// stopped, counted and reported, and the other runs' rows are exactly what they are without it.
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli_helpers.hpp"
#include "cyberdrill/batch.hpp"

using namespace cyberdrill;
using namespace cyberdrill::batch;
namespace fs = std::filesystem;

namespace {

fs::path flagship() { return fs::path(CYBERDRILL_SOURCE_DIR) / "scenarios" / "belgium" / "grid-blackout.json"; }

}  // namespace

TEST_CASE("a generous wall-clock limit per run gives exactly the rows of no limit") {
  Study st = make_study(flagship(), {}, 3, 11);
  std::vector<std::optional<RunRow>> free(st.total_runs()), limited(st.total_runs());
  ExecuteOptions o;
  o.threads = 2;
  CHECK(execute(st, free, o) == 3);
  st.max_wall_per_run_s = 600;
  std::size_t stopped = 0;
  o.on_timed_out = [&](std::size_t, const std::string&) { ++stopped; };
  CHECK(execute(st, limited, o) == 3);
  CHECK(stopped == 0);
  CHECK(limited == free);
}

TEST_CASE("a run over the wall-clock limit is stopped and reported, the other runs are unaffected") {
  // v0: the flagship as it is (milliseconds a run); v1: a background load a million times the
  // national one (about 1.7 million tickets a day: millions of events, seconds a run).
  Study st = make_study(flagship(), {parse_vary("policy.background_rate_scale=1,1000000")}, 2, 5);
  REQUIRE(st.variants.size() == 2);
  std::vector<std::optional<RunRow>> free(st.total_runs());
  ExecuteOptions o;
  o.threads = 2;
  o.indices = {0, 1};  // v0 only: the reference rows
  CHECK(execute(st, free, o) == 2);

  st.max_wall_per_run_s = 0.5;
  std::vector<std::optional<RunRow>> rows(st.total_runs());
  std::vector<std::pair<std::size_t, std::string>> stopped;
  o.indices.clear();
  o.on_timed_out = [&](std::size_t i, const std::string& why) { stopped.emplace_back(i, why); };
  CHECK(execute(st, rows, o) == 2);  // no exception: the stopped runs are counted, not rethrown
  REQUIRE(stopped.size() == 2);
  std::sort(stopped.begin(), stopped.end());
  CHECK(stopped[0].first == 2);
  CHECK(stopped[1].first == 3);
  for (const auto& [i, why] : stopped) {
    CAPTURE(why);
    CHECK(why.find("over the limit of 0.5 s") != std::string::npos);
    CHECK(why.find("events") != std::string::npos);
    CHECK_FALSE(rows[i].has_value());
  }
  REQUIRE(rows[0].has_value());
  REQUIRE(rows[1].has_value());
  CHECK(*rows[0] == *free[0]);
  CHECK(*rows[1] == *free[1]);
}

TEST_CASE("batch --max-wall-per-run names the stopped runs, exits 2, writes no summary and keeps the completed runs") {
  const fs::path dir = fs::temp_directory_path() / ("cyberdrill-wall-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string batch = "cd '" + dir.string() + "' && " + std::string(CYBERDRILL_EXE) + " batch " + flagship().string();
  const testing::CommandResult r =
      testing::run_command(batch + " --runs 2 --vary policy.background_rate_scale=1,1000000 -j 2 --max-wall-per-run 0.5 -o out");
  INFO(r.err);
  CHECK(r.code == 2);
  CHECK(r.err.find("2 of 4 runs stopped at the wall-clock limit of 0.5") != std::string::npos);
  CHECK(r.err.find("v1 run 0, seed") != std::string::npos);
  CHECK(r.err.find("v1 run 1, seed") != std::string::npos);
  CHECK(r.err.find("--resume") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "out"));
  CHECK(fs::exists(dir / "out.partial"));
  // Bad values are usage errors.
  for (const char* bad : {"-1", "nan", "inf"}) {
    CAPTURE(bad);
    const testing::CommandResult b = testing::run_command(batch + " --runs 1 --max-wall-per-run " + bad + " -o bad");
    CHECK(b.code == 2);
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
}
