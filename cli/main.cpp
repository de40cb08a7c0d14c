// The one cyberdrill binary: parses argv, sets up logging, dispatches to a subcommand.
// Exit codes: 0 ok, 1 runtime failure, 2 bad input or usage.
#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "run_caps.hpp"
#include "cyberdrill/version.hpp"
#include "cyberdrill/library_path.hpp"
#include "cyberdrill/suggest.hpp"
#include "cyberdrill/terminal_text.hpp"

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

/// "unknown option \"--seeed\"; did you mean \"--seed\"?" for the first option on the command
/// line that neither the (sub)command it follows nor its parents know; "" when there is none.
std::string describe_unknown_option(const CLI::App& app, int argc, char** argv) {
  std::vector<const CLI::App*> chain{&app};
  auto find_option = [&](const std::string& token) -> const CLI::Option* {
    for (const CLI::App* a : chain)
      for (const CLI::Option* o : a->get_options()) {
        if (token.rfind("--", 0) == 0) {
          for (const std::string& n : o->get_lnames())
            if (token.substr(2) == n) return o;
        } else {
          for (const std::string& n : o->get_snames())
            if (token.substr(1, 1) == n) return o;
        }
      }
    return nullptr;
  };
  bool value_next = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--") break;
    if (value_next) {
      value_next = false;
      continue;
    }
    if (arg.size() < 2 || arg[0] != '-' || (arg[1] >= '0' && arg[1] <= '9') || arg[1] == '.') {
      for (const CLI::App* sub : chain.back()->get_subcommands({}))
        if (sub->get_name() == arg) chain.push_back(sub);
      continue;
    }
    const std::string name = arg.substr(0, arg.find('='));
    const CLI::Option* o = find_option(name);
    if (o == nullptr) {
      std::vector<std::string> names;
      for (const CLI::App* a : chain)
        for (const CLI::Option* opt : a->get_options()) {
          for (const std::string& n : opt->get_lnames()) names.push_back("--" + n);
          for (const std::string& n : opt->get_snames()) names.push_back("-" + n);
        }
      std::string message = "unknown option \"" + name + "\"";
      const std::string guess = cyberdrill::closest_match(name, names);
      if (!guess.empty()) message += "; did you mean \"" + guess + "\"?";
      return message;
    }
    // A value follows unless it is attached ("--seed=3", "-j2") or the option is a flag.
    const bool attached = arg.find('=') != std::string::npos || (arg.rfind("--", 0) != 0 && arg.size() > 2);
    value_next = !attached && o->get_type_size_max() > 0 && o->get_expected_min() > 0;
  }
  return "";
}

/// Every SCENARIO argument and --plan of every (sub)command names a file, a scenario id of the
/// library search path ("tutorial", "belgium/grid-blackout") or "library:REL"
/// (cyberdrill/library_path.hpp); the id is resolved before any check sees the value.
void resolve_scenario_ids(CLI::App& app) {
  for (CLI::App* sub : app.get_subcommands({})) {
    for (CLI::Option* o : sub->get_options()) {
      const std::string& n = o->get_name();
      if (n == "scenario" || n == "SCENARIO" || n == "--plan")
        o->transform([](std::string v) { return cyberdrill::resolve_scenario_argument(v); });
    }
    resolve_scenario_ids(*sub);
  }
}

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
  add(add_replay);
#endif
  add(add_batch);
  add(add_generate);
  add(add_version);
  add(add_complete);
  resolve_scenario_ids(app);

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
    const bool extras = dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr;
    // An unknown option of a known (sub)command: name it and suggest the closest real one.
    std::string unknown_option;
    if (extras) unknown_option = describe_unknown_option(app, argc, argv);
    if (!unknown_option.empty()) {
      message = unknown_option;
    } else if (extras && argc > 1 && argv[1][0] != '-') {
      // An unknown first word: suggest the closest subcommand.
      std::vector<std::string> names;
      for (const CLI::App* sub : app.get_subcommands({})) names.push_back(sub->get_name());
      const std::string guess = cyberdrill::closest_match(argv[1], names);
      message = std::string("unknown command \"") + argv[1] + "\"";
      if (!guess.empty()) message += "; did you mean \"" + guess + "\"?";
    }
    std::fprintf(stderr, "cyberdrill: %s\nRun 'cyberdrill --help' for usage.\n", cyberdrill::terminal_safe(message).c_str());
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
    spdlog::error("{}", cyberdrill::terminal_safe(e.what(), true));
    return Exit::bad_input;
  } catch (const cyberdrill::LimitExceeded& e) {  // a cap (--max-events, --max-sim-time): nothing was written
    spdlog::error("{}{}", cyberdrill::terminal_safe(e.what(), true), cap_hint());
    return Exit::bad_input;
  } catch (const std::exception& e) {
    spdlog::error("{}", cyberdrill::terminal_safe(e.what(), true));
    return Exit::runtime_failure;
  }
}
