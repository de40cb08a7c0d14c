// Loading a scenario for a subcommand: diagnostics to stderr, exit 2 on any error.
#pragma once

#include <iostream>
#include <string>

#include "commands.hpp"
#include "cyberdrill/scenario_io.hpp"

namespace cyberdrill::cli {

/// Loads `path`; prints every diagnostic (errors and warnings) to stderr; throws UsageError
/// (exit 2) when there is any error.
inline Scenario load_or_usage_error(const std::string& path, const LoadOptions& options = {}) {
  LoadResult r = load_scenario(path, options);
  for (const Diagnostic& d : r.diagnostics) std::cerr << to_string(d) << "\n";
  if (r.has_errors() || !r.scenario) {
    throw UsageError(path + ": " + std::to_string(r.error_count()) +
                     " error(s); run 'cyberdrill validate " + path + "' for the full report");
  }
  return std::move(*r.scenario);
}

}  // namespace cyberdrill::cli
