// Loading a scenario for a subcommand: diagnostics to stderr, exit 2 on any error; the shared
// --large flag of the commands that load scenarios.
#pragma once

#include <CLI/CLI.hpp>

#include <iostream>
#include <string>

#include "commands.hpp"
#include "cyberdrill/scenario_io.hpp"

namespace cyberdrill::cli {

inline constexpr const char* kLargeHelp =
    "Accept scenario files up to 4 GiB and 10^9 JSON values, for generated scale studies "
    "(default: 64 MiB and 10^7, which protects planners' files)";

/// Registers --large on `cmd`; the flag lands in `large`, which must outlive the parse.
inline void add_large_flag(CLI::App* cmd, bool& large) { cmd->add_flag("--large", large, kLargeHelp); }

/// The limits of --large when `large`, else the defaults (other options untouched).
inline void apply_large(LoadOptions& options, bool large) {
  if (!large) return;
  options.max_file_bytes = kLargeMaxFileBytes;
  options.max_values = kLargeMaxValues;
}

/// After the diagnostics: when the file was refused for its size or value count under the default
/// limits, says (on stderr) that --large accepts generated scale-study files.
inline void hint_large(const LoadResult& r, const LoadOptions& options) {
  if (options.max_file_bytes >= kLargeMaxFileBytes && options.max_values >= kLargeMaxValues) return;
  for (const Diagnostic& d : r.diagnostics) {
    if (d.severity != Diagnostic::Severity::error) continue;
    if (d.message.find("scenario files may be at most") != std::string::npos ||
        d.message.find("JSON values: a scenario file may hold at most") != std::string::npos) {
      std::cerr << "hint: a generated scale-study file? --large accepts scenario files up to 4 GiB and 10^9 JSON "
                   "values\n";
      return;
    }
  }
}

/// Loads `path`; prints every diagnostic (errors and warnings) to stderr; throws UsageError
/// (exit 2) when there is any error.
inline Scenario load_or_usage_error(const std::string& path, const LoadOptions& options = {}) {
  LoadResult r = load_scenario(path, options);
  for (const Diagnostic& d : r.diagnostics) std::cerr << to_string(d) << "\n";
  hint_large(r, options);
  if (r.has_errors() || !r.scenario) {
    throw UsageError(path + ": " + std::to_string(r.error_count()) +
                     " error(s); run 'cyberdrill validate " + path + "' for the full report");
  }
  return std::move(*r.scenario);
}

}  // namespace cyberdrill::cli
