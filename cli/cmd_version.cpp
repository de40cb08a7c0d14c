#include <CLI/CLI.hpp>

#include <iostream>

#include "commands.hpp"
#include "cyberdrill/version.hpp"

namespace cyberdrill::cli {

Action add_version(CLI::App& app) {
  app.add_subcommand("version", "Print the version and the git commit this binary was built from");
  return [] {
    std::cout << "cyberdrill " << build::version << " (git " << build::git_commit << ")\n";
    return Exit::ok;
  };
}

}  // namespace cyberdrill::cli
