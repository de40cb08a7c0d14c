// A temporary folder of scenario files for one test, removed afterwards.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace cyberdrill::testing {

class TempTree {
 public:
  TempTree() {
    static int counter = 0;
    root_ = std::filesystem::temp_directory_path() /
            ("cyberdrill-io-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_);
  }
  ~TempTree() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  TempTree(const TempTree&) = delete;
  TempTree& operator=(const TempTree&) = delete;

  /// Writes `text` to root/rel (creating folders) and returns the full path.
  std::filesystem::path write(const std::string& rel, const std::string& text) const {
    const auto p = root_ / rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
  [[nodiscard]] const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;
};

/// The minimal valid scenario with `extra` members spliced in after "schema_version" (each
/// ending with a comma), or with whole sections replaced through later keys.
inline std::string minimal_with(const std::string& extra) {
  return R"({"schema_version": 1, )" + extra + R"(
  "metadata": {"name": "T", "start": "2026-03-10T09:00", "duration": "1d"},
  "sectors": [{"id": "energy"}, {"id": "telecom"}],
  "organisations": [{"id": "cert", "kind": "csirt"}],
  "plan": {"id": "p", "procedures": [{"id": "triage", "owner": "cert", "trigger": {"on": "detection"}, "steps": [{"id": "s"}]}]}
})";
}

}  // namespace cyberdrill::testing
