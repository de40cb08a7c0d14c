// The public loader API of include/cyberdrill/scenario_io.hpp.
#include "cyberdrill/scenario_io.hpp"

#include <algorithm>
#include <cstdio>
#include <exception>

#include <nlohmann/json.hpp>

#include "composition.hpp"
#include "heap_pages.hpp"
#include "scenario_reader.hpp"
#include "value_override.hpp"

namespace cyberdrill {

std::string to_string(const Diagnostic& d) {
  std::string out = d.file;
  if (d.line > 0) out += ":" + std::to_string(d.line) + ":" + std::to_string(d.column);
  out += ": ";
  if (!d.pointer.empty()) out += d.pointer + ": ";
  if (d.severity == Diagnostic::Severity::warning) out += "warning: ";
  out += d.message;
  return out;
}

bool LoadResult::has_errors() const { return error_count() > 0; }

std::size_t LoadResult::error_count() const {
  return static_cast<std::size_t>(std::count_if(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& d) {
    return d.severity == Diagnostic::Severity::error;
  }));
}

std::size_t LoadResult::warning_count() const { return diagnostics.size() - error_count(); }

namespace {
std::string join_diagnostics(const std::vector<Diagnostic>& ds) {
  std::string out;
  for (const Diagnostic& d : ds) out += (out.empty() ? "" : "\n") + to_string(d);
  return out;
}
}  // namespace

ScenarioError::ScenarioError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(join_diagnostics(diagnostics)), diagnostics_(std::move(diagnostics)) {}

LoadResult load_scenario(const std::filesystem::path& path, const LoadOptions& options) {
  LoadResult result;
  try {
    // The reader copes with the assets kept as text (a large file): allow it, and type them as
    // they are parsed (each asset's text parsed once).
    io::LazyAssetTyper typer;
    io::Composition c = io::compose(path, options, false, true, &typer);
    std::vector<io::OverrideProblem> override_problems;
    if (!c.fatal && !options.overrides.empty()) override_problems = io::apply_overrides(c, options.overrides);
    if (!c.fatal && override_problems.empty()) {
      Scenario s = io::read_scenario(c, path.string(), &typer);
      if (!c.has_errors()) result.scenario = std::move(s);
    }
    io::end_heap_padding();  // the typed assets are in; the heap trims its top as usual again
    result.diagnostics = c.diagnostics();
    for (const io::OverrideProblem& p : override_problems)
      result.diagnostics.push_back(Diagnostic{Diagnostic::Severity::error, path.string(), 0, 0, p.path, p.message});
  } catch (const std::bad_alloc&) {
    result.scenario.reset();
    result.diagnostics.push_back(Diagnostic{Diagnostic::Severity::error, path.string(), 0, 0, "",
                                            "out of memory while reading the scenario"});
  } catch (const std::exception& e) {  // a bug, never bad input: still no crash for the caller
    result.scenario.reset();
    result.diagnostics.push_back(Diagnostic{Diagnostic::Severity::error, path.string(), 0, 0, "",
                                            std::string("internal error while reading the scenario: ") + e.what()});
  }
  return result;
}

Scenario load_scenario_or_throw(const std::filesystem::path& path, const LoadOptions& options) {
  LoadResult r = load_scenario(path, options);
  if (r.has_errors() || !r.scenario) throw ScenarioError(std::move(r.diagnostics));
  return std::move(*r.scenario);
}

std::string scenario_hash(const std::filesystem::path& path, const LoadOptions& options) {
  // FNV-1a 64 over every file's bytes in read order, each followed by its length, then mixed.
  const io::Composition c = io::compose(path, options, false);
  std::uint64_t h = 0xcbf29ce484222325ULL;
  auto feed = [&](unsigned char byte) {
    h ^= byte;
    h *= 0x100000001b3ULL;
  };
  for (const io::SourceFile& f : c.files) {
    for (char ch : f.text) feed(static_cast<unsigned char>(ch));
    std::uint64_t n = f.text.size();
    for (int k = 0; k < 8; ++k, n >>= 8) feed(static_cast<unsigned char>(n & 0xFF));
  }
  h = mix64(h);
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string validation_report_json(const std::string& scenario, const std::string& plan, const std::string& hash,
                                   const std::vector<Diagnostic>& diagnostics, bool ok) {
  nlohmann::json out;
  out["scenario"] = scenario;
  if (!plan.empty()) out["plan"] = plan;
  if (!hash.empty()) out["hash"] = hash;
  nlohmann::json list = nlohmann::json::array();
  std::size_t errors = 0, warnings = 0;
  for (const Diagnostic& d : diagnostics) {
    const bool error = d.severity == Diagnostic::Severity::error;
    (error ? errors : warnings) += 1;
    list.push_back({{"file", d.file},
                    {"line", d.line},
                    {"column", d.column},
                    {"pointer", d.pointer},
                    {"severity", error ? "error" : "warning"},
                    {"message", d.message}});
  }
  out["diagnostics"] = std::move(list);
  out["errors"] = errors;
  out["warnings"] = warnings;
  out["ok"] = ok;
  // Scenario text may hold invalid UTF-8 in messages only through file names: replace it.
  return out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace cyberdrill
