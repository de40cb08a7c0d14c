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

TEST_CASE("run --journal --fork-at --decide forks a recorded drill at T") {
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
                                " --fork-at \"" + until + "\" --decide " + decision + "=" + other + " -o " + fork.string());
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

TEST_CASE("--until T stops the run at T, with and without --journal, --fork-at needs --journal") {
  const auto base = scratch("until-base");
  REQUIRE(run_cyberdrill("run " + flagship().string() + " -o " + base.string()).code == 0);
  const std::string journal = (base / "decisions.jsonl").string();
  const std::int64_t t_us = 10LL * 3600 * 1'000'000;  // T+10:00, in the middle of the flagship
  auto last_record_us = [](const fs::path& events) {
    std::string line, last;
    std::istringstream in(slurp(events));
    while (std::getline(in, line))
      if (!line.empty()) last = line;
    return nlohmann::json::parse(last).at("us").get<std::int64_t>();
  };
  REQUIRE(last_record_us(base / "events.jsonl") > t_us);  // the full run goes past T
  const auto plain = scratch("until-plain");
  const auto replayed = scratch("until-journal");
  REQUIRE(run_cyberdrill("run " + flagship().string() + " --until T+10:00 -o " + plain.string()).code == 0);
  // The same time in another accepted form, with the recorded decisions replayed.
  REQUIRE(run_cyberdrill("run " + flagship().string() + " --journal " + journal + " --until 10h -o " + replayed.string()).code == 0);
  for (const fs::path& dir : {plain, replayed}) {
    CAPTURE(dir);
    CHECK(last_record_us(dir / "events.jsonl") <= t_us);
    // The folder verifies: the stop is recorded and re-applied.
    CHECK(run_cyberdrill("report " + dir.string() + " --verify -o " + (dir / "aar").string()).code == 0);
  }
  // One meaning: the same stop, the same trace (the journal holds the default decisions).
  CHECK(slurp(plain / "events.jsonl") == slurp(replayed / "events.jsonl"));
  // --fork-at without a journal is a usage error; --help documents both.
  const auto bad = run_cyberdrill("run " + flagship().string() + " --fork-at T+04:00 -o " + scratch("until-bad").string());
  CHECK(bad.code == 2);
  CHECK(bad.err.find("--fork-at") != std::string::npos);
  const auto help = run_cyberdrill("run --help");
  CHECK(help.out.find("--until T always stops the run") != std::string::npos);
  CHECK(help.out.find("--fork-at") != std::string::npos);
}

TEST_CASE("the README's counterfactual example changes the outcome") {
  // README.md, "A short tour": isp-ddos forked at T+04:00 with D-01=filter-upstream.
  const fs::path ex = fs::path(CYBERDRILL_SOURCE_DIR) / "scenarios/belgium/isp-ddos.json";
  REQUIRE(slurp(fs::path(CYBERDRILL_SOURCE_DIR) / "README.md").find("--fork-at T+04:00 \\\n    --decide D-01=filter-upstream") !=
          std::string::npos);
  const auto base = scratch("readme-isp");
  const auto fork = scratch("readme-isp-fork");
  REQUIRE(run_cyberdrill("run " + ex.string() + " -o " + base.string()).code == 0);
  REQUIRE(run_cyberdrill("run " + ex.string() + " --journal " + (base / "decisions.jsonl").string() +
                         " --fork-at T+04:00 --decide D-01=filter-upstream -o " + fork.string())
              .code == 0);
  const auto a = nlohmann::json::parse(slurp(base / "metrics.json"));
  const auto b = nlohmann::json::parse(slurp(fork / "metrics.json"));
  CHECK(a.at("metrics").at("population_hours_lost") != b.at("metrics").at("population_hours_lost"));
  CHECK(slurp(fork / "decisions.jsonl").find("\"option\":\"filter-upstream\"") != std::string::npos);
}
