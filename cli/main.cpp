// The one cyberdrill binary: parses argv, sets up logging, dispatches to a subcommand.
// Exit codes: 0 ok, 1 runtime failure, 2 bad input or usage.
#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <exception>
#include <iostream>

#include "commands.hpp"
#include "cyberdrill/version.hpp"
#include "cyberdrill/suggest.hpp"

namespace {

constexpr const char* kAbout = R"(cyberdrill — a national cyber exercise simulator.

One discrete-event clock runs an attacker's campaign, the cascade it causes through a country's
critical-infrastructure dependency graph, and the national response plan's procedures.

Planners:  validate a scenario, export/import the MSEL, analyze which asset hurts most.
Drills:    run an exercise, replay its decisions, fork "what if" counterfactuals,
           report (HSEEP after-action report) and render (cascade map, levels, timeline).
Analysts:  batch thousands of seeded runs over sweeps, with confidence intervals;
           generate synthetic national infrastructures for scale studies.

Start with:  cyberdrill validate scenarios/tutorial.json
             cyberdrill run scenarios/tutorial.json -o runs/tutorial
Exit codes:  0 ok, 1 runtime failure, 2 bad input or usage.)";

}  // namespace

int main(int argc, char** argv) {
  using namespace cyberdrill::cli;
  CLI::App app{kAbout, "cyberdrill"};
  app.require_subcommand(0, 1);
  app.fallthrough();
  app.set_version_flag("--version", std::string("cyberdrill ") + cyberdrill::build::version + " (git " +
                                        cyberdrill::build::git_commit + ")");
  int verbosity = 0;
  bool quiet = false;
  app.add_flag("-v,--verbose", verbosity, "More log output on stderr (repeat for more)");
  app.add_flag("-q,--quiet", quiet, "Only errors on stderr");

  // Registration order is the order of --help.
  std::vector<std::pair<CLI::App*, Action>> actions;
  auto add = [&](Action (*reg)(CLI::App&)) {
    Action a = reg(app);
    actions.emplace_back(app.get_subcommands({}).back(), std::move(a));
  };
  // Planners, then drills, then analysts, then housekeeping.
  add(add_validate);
  add(add_msel);
  add(add_analyze);
  add(add_run);
  add(add_live);
  add(add_report);
#ifdef CYBERDRILL_HAVE_VIZ
  add(add_render);
#endif
  add(add_batch);
  add(add_generate);
  add(add_version);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string message = e.what();
    // An unknown first word: suggest the closest subcommand.
    if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr && argc > 1 && argv[1][0] != '-') {
      std::vector<std::string> names;
      for (const CLI::App* sub : app.get_subcommands({})) names.push_back(sub->get_name());
      const std::string guess = cyberdrill::closest_match(argv[1], names);
      message = std::string("unknown command \"") + argv[1] + "\"";
      if (!guess.empty()) message += "; did you mean \"" + guess + "\"?";
    }
    std::fprintf(stderr, "cyberdrill: %s\nRun 'cyberdrill --help' for usage.\n", message.c_str());
    return Exit::bad_input;
  }

  auto logger = spdlog::stderr_color_mt("cyberdrill");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern("%^%l%$: %v");
  spdlog::set_level(quiet ? spdlog::level::err
                                  : verbosity >= 2 ? spdlog::level::trace
                                  : verbosity == 1 ? spdlog::level::debug
                                                           : spdlog::level::info);
  try {
    for (auto& [sub, action] : actions)
      if (sub->parsed()) return action();
    std::cout << app.help();
    return Exit::bad_input;
  } catch (const UsageError& e) {
    spdlog::error("{}", e.what());
    return Exit::bad_input;
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return Exit::runtime_failure;
  }
}
