// Shared helpers for the run tests: the shipped exercises and loading them.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cyberdrill/scenario_io.hpp"

namespace cyberdrill::testing {

inline std::filesystem::path source_dir() { return CYBERDRILL_SOURCE_DIR; }

/// Every shipped exercise: a scenario file under scenarios/ (not schema/) with injects, plus
/// the tutorial. Sorted by path.
inline std::vector<std::filesystem::path> shipped_exercises() {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(source_dir() / "scenarios")) {
    if (!e.is_regular_file() || e.path().extension() != ".json") continue;
    if (e.path().string().find("/schema/") != std::string::npos) continue;
    std::ifstream in(e.path());
    const auto j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.is_object()) continue;
    const bool exercise = j.contains("metadata") && j["metadata"].contains("start") && j.contains("injects");
    if (exercise) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

inline Scenario load(const std::filesystem::path& p, const std::filesystem::path& plan = {}) {
  LoadOptions o;
  o.plan_override = plan;
  return load_scenario_or_throw(p, o);
}

/// The flagship exercise.
inline std::filesystem::path flagship() {
  for (const auto& p : shipped_exercises())
    if (p.filename() == "grid-blackout.json") return p;
  return {};
}

}  // namespace cyberdrill::testing
