// `cyberdrill report`: the AAR folder appears complete or not at all, and bad input is exit 2.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "cli_helpers.hpp"
#include "report_helpers.hpp"

using cyberdrill::testing::run_cyberdrill;
using cyberdrill::testing::slurp;
namespace fs = std::filesystem;

namespace {

/// Entries of `dir` (names), to check that nothing was left behind.
std::vector<std::string> entries(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("cyberdrill report writes report.md and report.html from a run folder") {
  const fs::path tmp = cyberdrill::testing::temp_folder("cli");
  const std::string scenario = cyberdrill::testing::scenario_file("tutorial.json").string();
  REQUIRE(run_cyberdrill("-q run " + scenario + " -o " + (tmp / "run").string()).code == 0);
  const auto r = run_cyberdrill("report " + (tmp / "run").string() + " -o " + (tmp / "aar").string() + " --no-figures");
  CAPTURE(r.err);
  REQUIRE(r.code == 0);
  CHECK(fs::is_regular_file(tmp / "aar" / "report.md"));
  CHECK(fs::is_regular_file(tmp / "aar" / "report.html"));
  CHECK_FALSE(fs::exists(tmp / "aar" / "figures"));
  const std::string md = slurp(tmp / "aar" / "report.md");
  CHECK(md.find("# After-Action Report / Improvement Plan") == 0);
  CHECK(md.find("Tutorial: one breaker, one cascade") != std::string::npos);
  CHECK(slurp(tmp / "aar" / "report.html").find("</html>") != std::string::npos);
  CHECK(entries(tmp) == std::vector<std::string>{"aar", "run"});  // no temporary folder left behind
  // A second report replaces the first (same content: the run is replayed exactly).
  REQUIRE(run_cyberdrill("-q report " + (tmp / "run").string() + " -o " + (tmp / "aar").string() + " --no-figures").code == 0);
  CHECK(slurp(tmp / "aar" / "report.md") == md);
  CHECK(entries(tmp) == std::vector<std::string>{"aar", "run"});
}

TEST_CASE("cyberdrill report refuses a folder that is not a run folder with exit 2 and writes nothing") {
  const fs::path tmp = cyberdrill::testing::temp_folder("cli-bad");
  fs::create_directories(tmp / "notes");
  { std::ofstream(tmp / "notes" / "readme.txt") << "not a run"; }
  auto r = run_cyberdrill("report " + (tmp / "notes").string() + " -o " + (tmp / "aar").string() + " --no-figures");
  CHECK(r.code == 2);
  CHECK(r.err.find("not a cyberdrill run folder") != std::string::npos);
  r = run_cyberdrill("report " + (tmp / "missing").string() + " -o " + (tmp / "aar").string() + " --no-figures");
  CHECK(r.code == 2);
  CHECK(entries(tmp) == std::vector<std::string>{"notes"});
  // An -o that holds something else is refused and left untouched.
  const std::string scenario = cyberdrill::testing::scenario_file("tutorial.json").string();
  REQUIRE(run_cyberdrill("-q run " + scenario + " -o " + (tmp / "run").string()).code == 0);
  r = run_cyberdrill("report " + (tmp / "run").string() + " -o " + (tmp / "notes").string() + " --no-figures");
  CHECK(r.code == 2);
  CHECK(entries(tmp / "notes") == std::vector<std::string>{"readme.txt"});
  CHECK(entries(tmp) == std::vector<std::string>{"notes", "run"});
  // Missing -o is a usage error.
  CHECK(run_cyberdrill("report " + (tmp / "run").string()).code == 2);
}

TEST_CASE("cyberdrill report help teaches with an example") {
  const auto r = run_cyberdrill("report --help");
  CHECK(r.code == 0);
  CHECK(r.out.find("After-Action Report") != std::string::npos);
  CHECK(r.out.find("cyberdrill report runs/grid -o runs/grid-aar") != std::string::npos);
  CHECK(r.out.find("--no-figures") != std::string::npos);
}
