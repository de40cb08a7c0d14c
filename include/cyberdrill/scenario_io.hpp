// Loading and validating scenario files. No JSON types here: sim/input owns the parser.
//
// Contract
//  - load_scenario() never throws for bad input and never crashes or hangs on any file: every
//    problem is returned as a Diagnostic, all at once (errors and lint warnings).
//  - A Diagnostic names the file, the 1-based line and column of the offending JSON value (0 when
//    unknown, e.g. a missing file), the RFC 6901 JSON pointer inside that file, and a message that
//    says what is expected ("did you mean ..." for unknown ids).
//  - Printed form (to_string): "file:line:col: /json/pointer: message" ("warning: " before the
//    message for lint warnings).
//  - Limits: files over 64 MiB, nesting deeper than 256, more than 10^7 JSON values are refused
//    (file size and value count are LoadOptions; the CLI's --large raises them for generated
//    scale studies).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "cyberdrill/scenario.hpp"

namespace cyberdrill {

struct Diagnostic {
  enum class Severity : std::uint8_t { error, warning };
  Severity severity = Severity::error;
  std::string file;      ///< as given / relative to the working directory
  int line = 0;          ///< 1-based; 0 = unknown
  int column = 0;        ///< 1-based; 0 = unknown
  std::string pointer;   ///< JSON pointer inside `file`, "" for the whole document
  std::string message;
};

[[nodiscard]] std::string to_string(const Diagnostic& d);

/// One value set in the composed scenario after every include and the plan override are merged
/// and before typing (`batch --vary PATH=...`): the typed reader then checks it as if written there.
struct ValueOverride {
  /// A JSON pointer ("/organisations/0/staff") or a dotted path ("organisations.CSIRT.staff").
  /// Array elements by index or by their "id". The value must already exist in the composition.
  std::string path;
  /// JSON text (3, 0.5, true, "x", {...}) or, for a string value, the bare text (4h). It must have
  /// the JSON type of the value it replaces (a number for a number, an integer for an integer, ...).
  std::string value;
};

struct LoadOptions {
  /// Replaces the scenario's "plan" (and the organisations/channels it brings) by this file, so the
  /// same exercise runs against another plan version (`--plan FILE`). Empty = as written.
  std::filesystem::path plan_override;
  /// Largest scenario file (and included file) read, in bytes; larger files are refused unread.
  std::uint64_t max_file_bytes = 64ULL * 1024 * 1024;
  /// Most JSON values (scalars, objects and arrays) one file may hold.
  std::uint64_t max_values = 10'000'000;
  /// Values set in the composition before typing, in order (see ValueOverride). A path that does
  /// not exist or a value of the wrong type is an error diagnostic whose pointer is the path.
  std::vector<ValueOverride> overrides;
  /// A scenario file of at least this many bytes (without overrides or a plan override) has its
  /// "assets" kept as text after the syntax checks and typed one asset at a time, instead of as
  /// a DOM of the whole array (about 1 KB an asset). The diagnostics and the Scenario are the
  /// same either way; tests lower it to read small files that way too.
  std::uint64_t lazy_assets_from_bytes = 16ULL * 1024 * 1024;
};

/// The limits of `--large`: scenario files up to 4 GiB and 10^9 JSON values (generated scale
/// studies; planners' files keep the defaults).
inline constexpr std::uint64_t kLargeMaxFileBytes = 4ULL * 1024 * 1024 * 1024;
inline constexpr std::uint64_t kLargeMaxValues = 1'000'000'000;

struct LoadResult {
  std::optional<Scenario> scenario;     ///< set when there is no error (warnings allowed)
  std::vector<Diagnostic> diagnostics;  ///< every error and warning, in file order
  [[nodiscard]] bool has_errors() const;
  [[nodiscard]] std::size_t error_count() const;
  [[nodiscard]] std::size_t warning_count() const;
};

[[nodiscard]] LoadResult load_scenario(const std::filesystem::path& path, const LoadOptions& options = {});

/// Thrown by load_scenario_or_throw; what() is every diagnostic, one per line.
class ScenarioError : public std::runtime_error {
 public:
  explicit ScenarioError(std::vector<Diagnostic> diagnostics);
  [[nodiscard]] const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

/// As load_scenario, but throws ScenarioError when there is any error.
[[nodiscard]] Scenario load_scenario_or_throw(const std::filesystem::path& path, const LoadOptions& options = {});

/// A 64-bit content hash (16 hex digits) of the scenario file and every file it includes, in
/// include order: for run manifests.
[[nodiscard]] std::string scenario_hash(const std::filesystem::path& path, const LoadOptions& options = {});

/// Loader limits for a scenario that already loaded once (possibly with --large): the generous
/// limits (a run folder's own scenario.json).
[[nodiscard]] inline LoadOptions large_load_options() {
  LoadOptions lo;
  lo.max_file_bytes = kLargeMaxFileBytes;
  lo.max_values = kLargeMaxValues;
  return lo;
}

/// The composed scenario as one JSON text (indented, in the order its author wrote, invalid UTF-8
/// replaced): every include resolved, the plan override `plan_path` (may be empty) applied, with
/// the generous limits. Throws std::runtime_error when it does not compose. For the run folder.
[[nodiscard]] std::string composed_scenario_json(const std::filesystem::path& scenario, const std::string& plan_path);

/// The member `key` of a scenario's composition (every include merged, as the loader sees it) as
/// compact JSON text, or "" when the composition has no such member. For the MSEL export.
[[nodiscard]] std::string composed_member_json(const std::filesystem::path& scenario, const LoadOptions& options,
                                               const std::string& key);

/// What `validate --json` prints: one JSON object (indented, invalid UTF-8 replaced) with
/// "scenario", "plan" (when not empty), "hash" (when `hash` is not empty), "diagnostics" (file,
/// line, column, pointer, severity, message), "errors", "warnings" and "ok".
[[nodiscard]] std::string validation_report_json(const std::string& scenario, const std::string& plan,
                                                 const std::string& hash, const std::vector<Diagnostic>& diagnostics,
                                                 bool ok);

}  // namespace cyberdrill
