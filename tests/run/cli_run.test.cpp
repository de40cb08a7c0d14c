#include <doctest/doctest.h>

#include <filesystem>
#include <sstream>

#include "cyberdrill/time.hpp"

#include "cli_helpers.hpp"
#include "run_helpers.hpp"

using namespace cyberdrill::testing;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const char* name) {
  const auto p = fs::temp_directory_path() / ("cyberdrill-cli-run-" + std::to_string(::getpid())) / name;
  fs::remove_all(p);
  fs::create_directories(p.parent_path());
  return p;
}

}  // namespace

TEST_CASE("run writes the run folder and ends stdout with a summary") {
  const auto out = scratch("flagship");
  const auto r = run_cyberdrill("run " + flagship().string() + " -o " + out.string());
  REQUIRE(r.code == 0);
  for (const char* f : {"manifest.json", "events.jsonl", "metrics.json", "service_levels.csv", "decisions.jsonl"}) {
    CAPTURE(f);
    CHECK(fs::exists(out / f));
  }
  CHECK(r.out.find("detect") != std::string::npos);
  CHECK(r.out.find("escalate") != std::string::npos);
  CHECK(r.out.find("contain") != std::string::npos);
  CHECK(r.out.find("recover") != std::string::npos);
  CHECK(r.out.find("obligations met") != std::string::npos);
  CHECK(r.out.find("objectives") != std::string::npos);
  const std::string manifest = slurp(out / "manifest.json");
  CHECK(manifest.find("\"fingerprint\"") != std::string::npos);
  CHECK(manifest.find("\"hash\"") != std::string::npos);

  // Replaying the recorded decisions gives byte-identical events.
  const auto replay = scratch("replay");
  const auto r2 = run_cyberdrill("run " + flagship().string() + " --journal " + (out / "decisions.jsonl").string() +
                                 " -o " + replay.string());
  REQUIRE(r2.code == 0);
  CHECK(slurp(replay / "events.jsonl") == slurp(out / "events.jsonl"));
}

TEST_CASE("run refuses bad input with exit 2 and writes nothing") {
  const auto out = scratch("bad");
  auto r = run_cyberdrill("run " + (source_dir() / "tests/fixtures/invalid/unknown-asset-reference.json").string() +
                          " -o " + out.string());
  CHECK(r.code == 2);
  CHECK_FALSE(fs::exists(out));
  r = run_cyberdrill("run " + flagship().string() + " --decide NO-SUCH=x -o " + out.string());
  CHECK(r.code == 2);
  CHECK(r.err.find("NO-SUCH") != std::string::npos);
  CHECK_FALSE(fs::exists(out));
  r = run_cyberdrill("run " + flagship().string() + " --until soon -o " + out.string());
  CHECK(r.code == 2);
  CHECK_FALSE(fs::exists(out));
  // An existing folder that is not a run folder is not overwritten.
  fs::create_directories(out);
  { std::ofstream(out / "thesis.txt") << "precious"; }
  r = run_cyberdrill("run " + flagship().string() + " -o " + out.string());
  CHECK(r.code == 2);
  CHECK(slurp(out / "thesis.txt") == "precious");
  CHECK_FALSE(fs::exists(out / "events.jsonl"));
}

TEST_CASE("run --journal --until --decide forks a recorded drill at T") {
  const auto base = scratch("fork-base");
  REQUIRE(run_cyberdrill("run " + flagship().string() + " -o " + base.string()).code == 0);
  const std::string journal = slurp(base / "decisions.jsonl");
  REQUIRE(!journal.empty());
  // The first decision of the recorded drill, and another of its options.
  const auto first = nlohmann::json::parse(journal.substr(0, journal.find('\n')));
  const std::string decision = first.at("decision");
  const std::string taken = first.at("option");
  const std::int64_t at_us = first.at("us");
  const cyberdrill::Scenario sc = load(flagship());
  std::string other;
  for (const auto& d : sc.decisions)
    if (d.id == decision)
      for (const auto& o : d.options)
        if (o.id != taken) other = o.id;
  REQUIRE(!other.empty());
  const std::string until = cyberdrill::format_sim_time(cyberdrill::SimTime::from_us(at_us));
  const auto fork = scratch("fork");
  const auto r = run_cyberdrill("run " + flagship().string() + " --journal " + (base / "decisions.jsonl").string() +
                                " --until \"" + until + "\" --decide " + decision + "=" + other + " -o " + fork.string());
  REQUIRE(r.code == 0);
  // Everything before T is the recorded drill; the decision at T went the other way.
  auto lines_before = [&](const fs::path& f) {
    std::string out, line;
    std::istringstream in(slurp(f));
    while (std::getline(in, line))
      if (nlohmann::json::parse(line).at("us").get<std::int64_t>() < at_us) out += line + "\n";
    return out;
  };
  CHECK(lines_before(fork / "events.jsonl") == lines_before(base / "events.jsonl"));
  CHECK(slurp(fork / "decisions.jsonl").find("\"option\":\"" + other + "\"") != std::string::npos);
  CHECK(slurp(fork / "events.jsonl") != slurp(base / "events.jsonl"));
}
