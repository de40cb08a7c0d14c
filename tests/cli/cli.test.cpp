#include <doctest/doctest.h>

#include "cli_helpers.hpp"

using cyberdrill::testing::run_cyberdrill;

TEST_CASE("--version prints the version and the git commit") {
  const auto r = run_cyberdrill("--version");
  CHECK(r.code == 0);
  CHECK(r.out.rfind("cyberdrill 0.", 0) == 0);
  CHECK(r.out.find("(git ") != std::string::npos);
}

TEST_CASE("--help teaches: it names the users and the subcommands") {
  const auto r = run_cyberdrill("--help");
  CHECK(r.code == 0);
  CHECK(r.out.find("Planners:") != std::string::npos);
  CHECK(r.out.find("version") != std::string::npos);
}

TEST_CASE("misuse exits 2 with a usage hint") {
  auto r = run_cyberdrill("--no-such-flag");
  CHECK(r.code == 2);
  CHECK(r.err.find("cyberdrill --help") != std::string::npos);
  r = run_cyberdrill("");
  CHECK(r.code == 2);
}

TEST_CASE("an unknown subcommand suggests the closest one") {
  const auto r = run_cyberdrill("versoin");
  CHECK(r.code == 2);
  CHECK(r.err.find("unknown command \"versoin\"; did you mean \"version\"?") != std::string::npos);
}

TEST_CASE("validating a building block names the scenarios that include it") {
  const std::string plan = std::string(CYBERDRILL_SOURCE_DIR) + "/scenarios/belgium/plan-2017.json";
  const auto r = run_cyberdrill("validate " + plan);
  CHECK(r.code == 2);
  CHECK(r.err.find("looks like a building block") != std::string::npos);
  CHECK(r.err.find("--plan " + plan) != std::string::npos);
  // A complete scenario gets no such hint.
  const auto ok = run_cyberdrill("validate " + std::string(CYBERDRILL_SOURCE_DIR) + "/scenarios/tutorial.json");
  CHECK(ok.code == 0);
  CHECK(ok.err.find("building block") == std::string::npos);
}
