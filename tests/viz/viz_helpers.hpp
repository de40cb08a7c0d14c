// Shared helpers for the viz tests: the tutorial run, recorded into a temporary run folder.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>

#include "cyberdrill/run.hpp"
#include "cyberdrill/run_folder.hpp"
#include "cyberdrill/scenario_io.hpp"

namespace cyberdrill::testing {

inline std::filesystem::path source_dir() { return CYBERDRILL_SOURCE_DIR; }
inline std::filesystem::path tutorial_path() { return source_dir() / "scenarios" / "tutorial.json"; }
inline std::filesystem::path flagship_path() { return source_dir() / "scenarios" / "belgium" / "grid-blackout.json"; }

/// A fresh temporary folder, removed when the object dies.
struct TempDir {
  std::filesystem::path path;
  explicit TempDir(const std::string& tag) {
    static int counter = 0;
    path = std::filesystem::temp_directory_path() /
           ("cyberdrill-viz-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

/// Runs `scenario` with its own seed, writes the run folder into `dir`/run and reads it back.
inline RecordedRun recorded(const std::filesystem::path& scenario, const std::filesystem::path& dir) {
  const Scenario sc = load_scenario_or_throw(scenario);
  RunOptions o;
  o.seed = sc.metadata.seed;
  const RunResult res = run_scenario(sc, o);
  RunManifest man;
  man.scenario_path = scenario.string();
  man.scenario_hash = scenario_hash(scenario);
  write_run_folder(dir / "run", sc, res, man);
  return read_run_folder(dir / "run");
}

}  // namespace cyberdrill::testing
