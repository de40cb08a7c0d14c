// Recorded runs for the report tests: run a shipped scenario, write its run folder to a temporary
// folder and rebuild it, exactly as `cyberdrill report` does.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <map>
#include <string>
#include <system_error>
#include <vector>

#include "cyberdrill/run.hpp"
#include "cyberdrill/run_folder.hpp"
#include "cyberdrill/scenario_io.hpp"

namespace cyberdrill::testing {

inline std::filesystem::path scenario_file(const std::string& relative) {
  return std::filesystem::path(CYBERDRILL_SOURCE_DIR) / "scenarios" / relative;
}

/// A temporary folder unique to this process and name (removed first if left over, and again
/// when the test process exits).
inline std::filesystem::path temp_folder(const std::string& name) {
  struct Cleanup {
    std::vector<std::filesystem::path> dirs;
    ~Cleanup() {
      std::error_code ec;
      for (const auto& d : dirs) std::filesystem::remove_all(d, ec);
    }
  };
  static Cleanup cleanup;
  const auto dir = std::filesystem::temp_directory_path() /
                   ("cyberdrill-report-test-" + std::to_string(::getpid()) + "-" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  cleanup.dirs.push_back(dir);
  return dir;
}

/// The recorded run of `scenario` (relative to scenarios/), optionally against `plan`; built once
/// per process and kept.
inline const RecordedRun& recorded_run(const std::string& scenario, const std::string& plan = {}) {
  static std::map<std::string, RecordedRun> cache;
  const std::string key = scenario + "|" + plan;
  if (auto it = cache.find(key); it != cache.end()) return it->second;
  LoadOptions lo;
  if (!plan.empty()) lo.plan_override = scenario_file(plan);
  const Scenario sc = load_scenario_or_throw(scenario_file(scenario), lo);
  RunOptions ro;
  ro.seed = sc.metadata.seed;
  const RunResult res = run_scenario(sc, ro);
  RunManifest man;
  man.version = "test";
  man.git_commit = "test";
  man.scenario_path = scenario_file(scenario).string();
  man.scenario_hash = scenario_hash(scenario_file(scenario), lo);
  if (!plan.empty()) man.plan_path = scenario_file(plan).string();
  man.command_line = "test " + scenario;
  std::string folder = key;
  for (char& c : folder)
    if (c == '/' || c == '|' || c == '.') c = '-';
  const auto dir = temp_folder(folder) / "run";
  write_run_folder(dir, sc, res, man);
  return cache.emplace(key, read_run_folder(dir)).first->second;
}

}  // namespace cyberdrill::testing
