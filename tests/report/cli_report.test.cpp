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

namespace {

/// `text` with one digit of the "us" field on trace line `line` (1-based) changed: still valid JSON.
std::string with_one_byte_edited(std::string text, int line) {
  std::size_t start = 0;
  for (int n = 1; n < line; ++n) start = text.find('\n', start) + 1;
  const std::size_t digit = text.find_first_of("0123456789", text.find("\"us\":", start));
  text[digit] = text[digit] == '9' ? '8' : static_cast<char>(text[digit] + 1);
  return text;
}

void write_file(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary | std::ios::trunc) << text; }

}  // namespace

TEST_CASE("cyberdrill report reads only the run folder: moved, its scenario deleted, the same report") {
  const fs::path tmp = cyberdrill::testing::temp_folder("cli-moved");
  // A private copy of the scenarios (the flagship includes the shared infrastructure; --plan too).
  fs::create_directories(tmp / "scenarios" / "belgium");
  fs::copy(cyberdrill::testing::scenario_file("belgium"), tmp / "scenarios" / "belgium", fs::copy_options::recursive);
  const fs::path scenario = tmp / "scenarios" / "belgium" / "grid-blackout.json";
  const fs::path plan = tmp / "scenarios" / "belgium" / "plan-2017.json";
  auto r = run_cyberdrill("-q run " + scenario.string() + " --plan " + plan.string() + " -o " + (tmp / "run").string());
  REQUIRE_MESSAGE(r.code == 0, r.err);
  r = run_cyberdrill("-q report " + (tmp / "run").string() + " -o " + (tmp / "before").string() + " --no-figures");
  REQUIRE_MESSAGE(r.code == 0, r.err);
  const std::string before = slurp(tmp / "before" / "report.md");

  fs::create_directories(tmp / "elsewhere");
  fs::rename(tmp / "run", tmp / "elsewhere" / "run");
  fs::remove_all(tmp / "scenarios");
  const fs::path moved = tmp / "elsewhere" / "run";
  r = run_cyberdrill("-q report " + moved.string() + " -o " + (tmp / "after").string() + " --no-figures");
  REQUIRE_MESSAGE(r.code == 0, r.err);
  CHECK(slurp(tmp / "after" / "report.md") == before);
  CHECK(slurp(tmp / "after" / "report.html") == slurp(tmp / "before" / "report.html"));
  // --verify re-simulates the folder's own composed scenario: it needs no other file either.
  r = run_cyberdrill("report " + moved.string() + " -o " + (tmp / "verified").string() + " --no-figures --verify");
  CHECK_MESSAGE(r.code == 0, r.err);
  CHECK(slurp(tmp / "verified" / "report.md") == before);

  // One byte of the trace edited: --verify refuses it (exit 2); without it the folder is reported as it is.
  write_file(moved / "events.jsonl", with_one_byte_edited(slurp(moved / "events.jsonl"), 5));
  r = run_cyberdrill("report " + moved.string() + " -o " + (tmp / "tampered").string() + " --no-figures --verify");
  CHECK(r.code == 2);
  CHECK(r.err.find("does not match its scenario") != std::string::npos);
  CHECK(r.err.find("events.jsonl:5") != std::string::npos);
  CHECK_FALSE(fs::exists(tmp / "tampered"));
  r = run_cyberdrill("report " + moved.string() + " -o " + (tmp / "tampered").string() + " --no-figures");
  CHECK_MESSAGE(r.code == 0, r.err);
  CHECK(fs::is_regular_file(tmp / "tampered" / "report.md"));
  CHECK(r.err.find("--verify") != std::string::npos);  // the warning says how to check it
}

TEST_CASE("cyberdrill report refuses an unknown format version or a garbled trace with exit 2") {
  const fs::path tmp = cyberdrill::testing::temp_folder("cli-format");
  const std::string scenario = cyberdrill::testing::scenario_file("tutorial.json").string();
  REQUIRE(run_cyberdrill("-q run " + scenario + " -o " + (tmp / "run").string()).code == 0);
  const std::string manifest = slurp(tmp / "run" / "manifest.json");
  std::string newer = manifest;
  const std::string key = "\"format_version\": ";
  REQUIRE(newer.find(key) != std::string::npos);
  newer.replace(newer.find(key) + key.size(), 1, "7");
  write_file(tmp / "run" / "manifest.json", newer);
  auto r = run_cyberdrill("report " + (tmp / "run").string() + " -o " + (tmp / "aar").string() + " --no-figures");
  CHECK(r.code == 2);
  CHECK(r.err.find("manifest.json: format_version 7 is newer") != std::string::npos);
  CHECK_FALSE(fs::exists(tmp / "aar"));
  write_file(tmp / "run" / "manifest.json", manifest);

  const std::string trace = slurp(tmp / "run" / "events.jsonl");
  const std::size_t second = trace.find('\n') + 1;
  write_file(tmp / "run" / "events.jsonl", trace.substr(0, second) + "{\"us\": 1, garbled\n" + trace.substr(second));
  r = run_cyberdrill("report " + (tmp / "run").string() + " -o " + (tmp / "aar").string() + " --no-figures");
  CHECK(r.code == 2);
  CHECK(r.err.find("events.jsonl:2: not a trace record") != std::string::npos);
  fs::remove(tmp / "run" / "events.jsonl");
  r = run_cyberdrill("report " + (tmp / "run").string() + " -o " + (tmp / "aar").string() + " --no-figures");
  CHECK(r.code == 2);
  CHECK(r.err.find("events.jsonl: missing") != std::string::npos);
  CHECK_FALSE(fs::exists(tmp / "aar"));
}
