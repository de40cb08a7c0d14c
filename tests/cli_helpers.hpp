// Runs the cyberdrill binary (or any command) and captures its exit code, stdout and stderr.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace cyberdrill::testing {

struct CommandResult {
  int code = -1;
  std::string out;
  std::string err;
};

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Runs `args` (a shell-quoted string) through /bin/sh with stdin from /dev/null.
inline CommandResult run_command(const std::string& args) {
  static int counter = 0;
  const auto dir = std::filesystem::temp_directory_path() /
                   ("cyberdrill-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::create_directories(dir);
  const std::string cmd = args + " </dev/null >" + (dir / "out").string() + " 2>" + (dir / "err").string();
  const int status = std::system(cmd.c_str());
  CommandResult r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(dir / "out");
  r.err = slurp(dir / "err");
  std::filesystem::remove_all(dir);
  return r;
}

inline CommandResult run_cyberdrill(const std::string& args) {
  return run_command(std::string(CYBERDRILL_EXE) + " " + args);
}

/// A fresh folder under the system temp dir, removed with everything in it at scope exit.
struct ScratchDir {
  std::filesystem::path dir;
  explicit ScratchDir(const std::string& prefix = "cyberdrill-cli") {
    static int counter = 0;
    dir = std::filesystem::temp_directory_path() /
          (prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  [[nodiscard]] std::string operator/(const std::string& name) const { return (dir / name).string(); }
};

/// Writes `text` to `p` (binary, truncating).
inline void write_text(const std::string& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
}

}  // namespace cyberdrill::testing
