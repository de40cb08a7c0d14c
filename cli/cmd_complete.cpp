// `cyberdrill __complete WHAT [ARGS]` (hidden): the words bash completion offers, one a line on
// stdout, nothing on stderr, always exit 0 (a completion must never print errors into a prompt).
//   commands                 the subcommands (and "msel"'s export/import)
//   options SUB [SUB2]       the options of a subcommand, long and short
//   scenarios                the scenario ids of the library search path (cyberdrill/library_path.hpp)
//   decisions SCENARIO       ID=OPTION for every option of every decision point (for --decide)
// packaging/cyberdrill.bash calls it; packaging/make-manpage.sh uses "commands".
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"
#include "cyberdrill/library_path.hpp"
#include "cyberdrill/scenario_io.hpp"

namespace cyberdrill::cli {

Action add_complete(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("__complete", "Words for shell completion (used by the bash completion)");
  cmd->group("");  // hidden from --help
  auto words = std::make_shared<std::vector<std::string>>();
  cmd->add_option("WORDS", *words, "commands | options SUB [SUB2] | scenarios | decisions SCENARIO");
  cmd->allow_extras();
  CLI::App* root = &app;
  return [root, words]() -> int {
    const std::vector<std::string>& w = *words;
    const std::string what = w.empty() ? "" : w[0];
    if (what == "commands") {
      for (const CLI::App* sub : root->get_subcommands({}))
        if (!sub->get_group().empty()) std::cout << sub->get_name() << "\n";
    } else if (what == "options") {
      const CLI::App* at = root;
      for (std::size_t i = 1; i < w.size(); ++i) {
        const CLI::App* next = nullptr;
        for (const CLI::App* sub : at->get_subcommands({}))
          if (sub->get_name() == w[i]) next = sub;
        if (next == nullptr) break;
        at = next;
      }
      for (const CLI::App* sub : at->get_subcommands({}))
        if (at != root && !sub->get_group().empty()) std::cout << sub->get_name() << "\n";
      for (const CLI::Option* o : at->get_options()) {
        for (const std::string& n : o->get_lnames()) std::cout << "--" << n << "\n";
        for (const std::string& n : o->get_snames()) std::cout << "-" << n << "\n";
      }
    } else if (what == "scenarios") {
      for (const std::string& id : library_scenario_ids()) std::cout << id << "\n";
    } else if (what == "decisions" && w.size() >= 2) {
      try {
        const LoadResult r = load_scenario(resolve_scenario_argument(w[1]));
        if (r.scenario)
          for (const Decision& d : r.scenario->decisions)
            for (const DecisionOption& o : d.options) std::cout << d.id << "=" << o.id << "\n";
      } catch (const std::exception&) {  // completion stays silent
      }
    }
    return Exit::ok;
  };
}

}  // namespace cyberdrill::cli
