// `cyberdrill validate` end to end: exit codes, human and --json output, --plan, --strict, help.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "cli_helpers.hpp"

using cyberdrill::testing::run_cyberdrill;

namespace {
const std::string kFixtures = std::string(CYBERDRILL_SOURCE_DIR) + "/tests/fixtures/";
}

TEST_CASE("validate: a valid scenario exits 0 with a one-line summary") {
  const auto r = run_cyberdrill("validate --no-list " + kFixtures + "valid/rich/exercise.json");
  CHECK(r.code == 0);
  CHECK(r.out == "ok: 0 errors, 0 warnings\n");
  CHECK(r.err.empty());
}

TEST_CASE("validate: errors go to stderr as file:line:col: pointer: message, exit 2") {
  const auto r = run_cyberdrill("validate " + kFixtures + "invalid/unknown-asset-reference.json");
  CHECK(r.code == 2);
  CHECK(r.err == kFixtures + "invalid/unknown-asset-reference.json:52:20: /assets/1/depends_on/0/asset: unknown asset "
                             "\"gird\"; did you mean \"grid\"?\n");
  CHECK(r.out == "failed: 1 error, 0 warnings\n");
}

TEST_CASE("validate: warnings pass unless --strict") {
  const std::string f = kFixtures + "invalid/zero-buffer-cycle-undamped.json";
  auto r = run_cyberdrill("validate --no-list " + f);
  CHECK(r.code == 0);
  CHECK(r.out == "ok: 0 errors, 1 warning\n");
  CHECK(r.err.find(": warning: zero-buffer dependency cycle") != std::string::npos);
  r = run_cyberdrill("validate --strict " + f);
  CHECK(r.code == 2);
  CHECK(r.out == "failed (--strict): 0 errors, 1 warning\n");
}

TEST_CASE("validate --json prints one machine-readable object on stdout") {
  const auto r = run_cyberdrill("validate --json " + kFixtures + "invalid/unreachable-attack-goal.json");
  CHECK(r.code == 2);
  const nlohmann::json j = nlohmann::json::parse(r.out);
  CHECK(j["ok"] == false);
  CHECK(j["errors"] == 1);
  CHECK(j["warnings"] == 1);
  REQUIRE(j["diagnostics"].size() == 2);
  const auto& d = j["diagnostics"][1];
  CHECK(d["severity"] == "error");
  CHECK(d["pointer"] == "/attackers/0/goals/0");
  CHECK(d["line"] == 159);
  CHECK(d["column"] == 9);
  CHECK(d["file"] == kFixtures + "invalid/unreachable-attack-goal.json");
  CHECK(d["message"].get<std::string>().rfind("attack goal \"breakers\" is unreachable", 0) == 0);
  CHECK(r.err == "failed: 1 error, 1 warning\n");
  const auto ok = run_cyberdrill("validate --json " + kFixtures + "valid/minimal.json");
  CHECK(ok.code == 0);
  const nlohmann::json k = nlohmann::json::parse(ok.out);
  CHECK(k["ok"] == true);
  CHECK(k["hash"].get<std::string>().size() == 16);
  CHECK(k["diagnostics"].empty());
}

TEST_CASE("validate --plan checks the exercise against another plan version") {
  const auto r = run_cyberdrill("validate --no-list " + kFixtures + "valid/rich/exercise.json --plan " + kFixtures +
                                "valid/rich/plan-2017.json");
  CHECK(r.code == 0);
  // The 2017 plan has no obligations: the exercise's objective on obligations met can never happen.
  CHECK(r.out == "ok: 0 errors, 1 warning\n");
  CHECK(r.err.find("objective \"O-2\" is unreachable") != std::string::npos);
  const auto bad = run_cyberdrill("validate " + kFixtures + "valid/rich/exercise.json --plan " + kFixtures + "valid/minimal.json");
  CHECK(bad.code == 2);
  CHECK(bad.err.find("\"metadata\" is ignored in a plan override file") != std::string::npos);
}

TEST_CASE("validate: a missing file exits 2 and --help teaches with examples") {
  const auto r = run_cyberdrill("validate /no/such/scenario.json");
  CHECK(r.code == 2);
  CHECK(r.err == "/no/such/scenario.json: cannot open: no such file\n");
  const auto h = run_cyberdrill("validate --help");
  CHECK(h.code == 0);
  CHECK(h.out.find("Examples:") != std::string::npos);
  CHECK(h.out.find("cyberdrill validate exercise.json --plan") != std::string::npos);
  CHECK(h.out.find("file:line:col: /json/pointer: message") != std::string::npos);
  const auto usage = run_cyberdrill("validate");
  CHECK(usage.code == 2);
}

TEST_CASE("validate lists the decision ids with their options, the injects and the objectives it found") {
  // Every Belgian exercise: each ID=OPTION as --decide takes it, the default marked; each inject
  // and objective id. Read from the file itself, so the test follows the scenarios.
  for (const char* rel : {"belgium/grid-blackout.json", "belgium/port-wiper.json", "tutorial.json"}) {
    CAPTURE(rel);
    const std::string file = std::string(CYBERDRILL_SOURCE_DIR) + "/scenarios/" + rel;
    const auto r = run_cyberdrill("validate " + file);
    REQUIRE(r.code == 0);
    std::ifstream in(file);
    const nlohmann::json doc = nlohmann::json::parse(in);
    for (const auto& d : doc.value("decisions", nlohmann::json::array())) {
      for (const auto& o : d.at("options")) {
        const std::string pair = d.at("id").get<std::string>() + "=" + o.at("id").get<std::string>();
        CAPTURE(pair);
        const std::size_t at = r.out.find("      " + pair);
        REQUIRE(at != std::string::npos);
        const std::string line = r.out.substr(at, r.out.find('\n', at) - at);
        CHECK((line.find("(default)") != std::string::npos) == (o.at("id") == d.at("default")));
      }
    }
    for (const char* section : {"injects", "objectives"})
      for (const auto& x : doc.value(section, nlohmann::json::array()))
        CHECK(r.out.find("\n  " + x.at("id").get<std::string>() + "  ") != std::string::npos);
    // The summary stays the last line.
    CHECK(r.out.substr(r.out.rfind('\n', r.out.size() - 2) + 1) == "ok: 0 errors, 0 warnings\n");
  }
  // --no-list: the summary alone; --json is unchanged.
  const auto quiet = run_cyberdrill("validate --no-list " + std::string(CYBERDRILL_SOURCE_DIR) + "/scenarios/tutorial.json");
  CHECK(quiet.out == "ok: 0 errors, 0 warnings\n");
}
