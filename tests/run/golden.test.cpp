// Golden trace fingerprints of every shipped exercise with its default seed.
// Update (only on purpose) with:  CYBERDRILL_UPDATE_GOLDEN=1 build/tests/run/test_run -tc='golden*'
// or scripts/update-golden.sh; the diff of tests/golden/ then shows what changed.
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "cli_helpers.hpp"
#include "cyberdrill/run.hpp"
#include "run_helpers.hpp"

using namespace cyberdrill;
using namespace cyberdrill::testing;

TEST_CASE("golden fingerprints: every shipped exercise with its default seed") {
  const bool update = std::getenv("CYBERDRILL_UPDATE_GOLDEN") != nullptr;
  const auto exercises = shipped_exercises();
  REQUIRE(exercises.size() >= 6);  // five exercises and the tutorial
  for (const auto& path : exercises) {
    CAPTURE(path.string());
    const Scenario sc = load(path);
    RunOptions o;
    o.seed = sc.metadata.seed;
    o.keep_records = false;
    const RunResult r = run_scenario(sc, o);
    char line[128];
    std::snprintf(line, sizeof line, "%016llx %llu\n", static_cast<unsigned long long>(r.fingerprint),
                  static_cast<unsigned long long>(r.record_count));
    const auto golden = source_dir() / "tests" / "golden" / (path.stem().string() + ".fingerprint");
    if (update) {
      std::ofstream(golden, std::ios::binary) << line;
      MESSAGE("updated " << golden.string());
      continue;
    }
    REQUIRE_MESSAGE(std::filesystem::exists(golden), "no golden file " << golden.string()
                                                        << " (create it with CYBERDRILL_UPDATE_GOLDEN=1)");
    CHECK(slurp(golden) == std::string(line));
  }
}
