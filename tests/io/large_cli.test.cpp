// --large: the default limits still protect planners' files, and a generated scale-study file
// over 64 MiB loads with --large (validate and analyze).
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "cli_helpers.hpp"
#include "temp_tree.hpp"

using cyberdrill::testing::run_cyberdrill;
using cyberdrill::testing::TempTree;

TEST_CASE("a generated 200000-asset file is refused by default and accepted with --large") {
  TempTree t;
  const std::string file = (t.root() / "g200k.json").string();
  REQUIRE(run_cyberdrill("generate --assets 200000 --mean-degree 3 --seed 5 -o " + file).code == 0);
  const auto bytes = std::filesystem::file_size(file);
  REQUIRE(bytes > 64ULL * 1024 * 1024);  // the point of the test: over the default limit

  auto r = run_cyberdrill("validate " + file);
  CHECK(r.code == 2);
  CHECK(r.out == "failed: 1 error, 0 warnings\n");
  CHECK(r.err == file + ": file \"" + file + "\" is " + std::to_string(bytes) +
                     " bytes; scenario files may be at most 64 MiB\n"
                     "hint: a generated scale-study file? --large accepts scenario files up to 4 GiB and 10^9 JSON "
                     "values\n");

  r = run_cyberdrill("validate --large " + file);
  CHECK(r.code == 0);
  CHECK(r.out == "ok: 0 errors, 0 warnings\n");
  CHECK(r.err.empty());

  r = run_cyberdrill("analyze " + file);
  CHECK(r.code == 2);
  CHECK(r.err.find("--large") != std::string::npos);

  r = run_cyberdrill("analyze --large --top 1 --horizon 1d " + file);
  CHECK(r.code == 0);
  CHECK(r.out.find("Criticality ranking: 1 knockout(s)") != std::string::npos);
}
