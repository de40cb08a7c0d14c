// Subcommand registration. Each subcommand lives in its own cmd_*.cpp: it adds itself to the app
// and returns the action to run once argv is parsed and logging is set up. Actions return the
// process exit code; they may throw (main maps exceptions to exit codes).
#pragma once

#include <functional>
#include <stdexcept>
#include <string>

namespace CLI {
class App;
}

namespace cyberdrill::cli {

/// Exit codes of the cyberdrill binary.
enum Exit : int { ok = 0, runtime_failure = 1, bad_input = 2 };

/// Thrown by an action for bad input it detected itself (exit 2).
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

using Action = std::function<int()>;

/// Every subcommand's registration function: adds the subcommand to `app`, returns its action.
Action add_version(CLI::App& app);
Action add_run(CLI::App& app);
Action add_validate(CLI::App& app);
Action add_generate(CLI::App& app);
Action add_analyze(CLI::App& app);
Action add_msel(CLI::App& app);
Action add_batch(CLI::App& app);
Action add_report(CLI::App& app);
Action add_render(CLI::App& app);
Action add_live(CLI::App& app);
Action add_replay(CLI::App& app);  ///< built with the viz (CYBERDRILL_HAVE_VIZ)
Action add_complete(CLI::App& app);  ///< hidden: words for bash completion

}  // namespace cyberdrill::cli
