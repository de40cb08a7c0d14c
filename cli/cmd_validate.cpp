// `cyberdrill validate`: every problem of a scenario at once, as file:line:col: /pointer: message.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <vector>
#include <string>

#include "commands.hpp"
#include "cyberdrill/terminal_text.hpp"
#include "scenario_loading.hpp"
#include "scenario_listing.hpp"
#include "cyberdrill/scenario_io.hpp"

namespace cyberdrill::cli {
namespace {

constexpr const char* kHelp = R"(Check a scenario file: JSON syntax, the format (types, units, ranges),
every reference between elements, and a semantic lint (undamped zero-buffer dependency cycles,
unreachable attack goals, procedures no trigger can fire, injects to organisations outside the plan).
All problems are reported at once, each as

  file:line:col: /json/pointer: message

naming the file where the value was written (an included file when it came from one), then a
one-line summary. Exit 0 when there is no error (warnings allowed unless --strict), 2 otherwise.

Examples:
  cyberdrill validate scenarios/tutorial.json
  cyberdrill validate exercise.json --plan plans/plan-2026.json    # the same exercise, another plan
  cyberdrill validate exercise.json --strict --json > report.json  # machine-readable, warnings fail

Without --json, a scenario without errors is followed by what it holds: its decision ids with
their options as --decide takes them (ID=OPTION, the default marked), its injects (when, to whom,
synopsis) and its objectives (metric), so a planner can write --decide without opening the file
(--no-list: the diagnostics and the summary only).

--json prints one object on stdout:
  {"scenario": ..., "hash": ..., "diagnostics": [{"file", "line", "column", "pointer",
   "severity": "error"|"warning", "message"}, ...], "errors": N, "warnings": M, "ok": true|false})";

// A building block (an infrastructure model, a plan version) is not a scenario on its own: it has
// no metadata or no plan, and ids it uses are defined by its siblings. When validation of such a
// file fails for that reason, name the scenarios beside it that include it.
void hint_building_block(const std::string& file, const LoadResult& r) {
  bool incomplete = false;
  for (const Diagnostic& d : r.diagnostics)
    if (d.pointer.empty() && (d.message.rfind("missing \"metadata\"", 0) == 0 || d.message.rfind("missing \"plan\"", 0) == 0))
      incomplete = true;
  if (!incomplete) return;
  namespace fs = std::filesystem;
  const fs::path self(file);
  std::error_code ec;
  std::vector<std::string> users;     // siblings that include this file
  std::vector<std::string> complete;  // siblings that are scenarios of their own
  for (const auto& e : fs::directory_iterator(self.has_parent_path() ? self.parent_path() : fs::path("."), ec)) {
    if (!e.is_regular_file(ec) || e.path().extension() != ".json" || e.path().filename() == self.filename()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (text.find("\"metadata\"") == std::string::npos) continue;
    complete.push_back(e.path().string());
    if (text.find("\"" + self.filename().string() + "\"") != std::string::npos) users.push_back(e.path().string());
  }
  std::sort(users.begin(), users.end());
  std::sort(complete.begin(), complete.end());
  if (users.empty()) users = complete;
  std::cerr << "hint: " << file
            << " looks like a building block (no metadata or no plan of its own): validate it through a "
               "scenario that includes it";
  if (!users.empty()) {
    std::cerr << ", e.g.\n  cyberdrill validate " << users.front();
    if (self.filename().string().find("plan") != std::string::npos)
      std::cerr << "\n  cyberdrill validate " << users.front() << " --plan " << file;
  }
  std::cerr << "\n";
}

std::string plural(std::size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

}  // namespace

Action add_validate(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("validate", "Check a scenario and report every problem at once");
  cmd->footer(kHelp);
  struct Options {
    std::string scenario;
    std::string plan;
    bool strict = false;
    bool json = false;
    bool large = false;
    bool no_list = false;
  };
  auto opt = std::make_shared<Options>();
  cmd->add_option("SCENARIO", opt->scenario, "The scenario file (JSON)")->required();
  cmd->add_option("--plan", opt->plan, "Replace the scenario's plan by the \"plan\" of this file (and merge its organisations and channels)");
  cmd->add_flag("--strict", opt->strict, "Treat warnings as errors (exit 2 when there is any)");
  cmd->add_flag("--json", opt->json, "Print the diagnostics as one JSON object on stdout");
  add_large_flag(cmd, opt->large);
  cmd->add_flag("--no-list", opt->no_list, "Do not list the decisions, injects and objectives found");
  return [opt]() -> int {
    LoadOptions options;
    options.plan_override = opt->plan;
    apply_large(options, opt->large);
    const LoadResult r = load_scenario(opt->scenario, options);
    const std::size_t errors = r.error_count();
    const std::size_t warnings = r.warning_count();
    const bool ok = errors == 0 && (!opt->strict || warnings == 0);
    const std::string summary = std::string(ok ? "ok" : opt->strict && errors == 0 ? "failed (--strict)" : "failed") +
                                ": " + plural(errors, "error") + ", " + plural(warnings, "warning");
    if (opt->json) {
      const std::string hash = r.scenario ? scenario_hash(opt->scenario, options) : std::string();
      std::cout << validation_report_json(opt->scenario, opt->plan, hash, r.diagnostics, ok) << "\n";
      std::cerr << summary << "\n";
    } else {
      for (const Diagnostic& d : r.diagnostics) std::cerr << terminal_safe(to_string(d), true) << "\n";
      hint_large(r, options);
      hint_building_block(opt->scenario, r);
      if (ok && r.scenario && !opt->no_list) print_listing(std::cout, *r.scenario);
      std::cout << summary << "\n";
    }
    return ok ? Exit::ok : Exit::bad_input;
  };
}

}  // namespace cyberdrill::cli
