// Shared by the libFuzzer targets: a private scratch folder per process (readers take paths), and
// writing one input into it. Only public headers of the project are used by the targets.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace cyberdrill::fuzz {

/// A folder of its own under $TMPDIR, removed at exit. Holds nothing but what the target writes,
/// so a scenario's "include" finds no other file (includes are effectively off).
inline const std::filesystem::path& scratch(const char* target) {
  static const std::filesystem::path dir = [target] {
    auto d = std::filesystem::temp_directory_path() /
             (std::string("cyberdrill-fuzz-") + target + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(d);
    std::filesystem::create_directories(d);
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    });
    return d;
  }();
  return dir;
}

inline void write_file(const std::filesystem::path& p, std::string_view bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

/// Splits `bytes` at every `separator` (a line of its own in the seed corpus: several files in one
/// input). Missing parts are empty.
inline std::vector<std::string_view> split(std::string_view bytes, std::string_view separator, std::size_t parts) {
  std::vector<std::string_view> out;
  while (out.size() + 1 < parts) {
    const auto at = bytes.find(separator);
    if (at == std::string_view::npos) break;
    out.push_back(bytes.substr(0, at));
    bytes.remove_prefix(at + separator.size());
  }
  out.push_back(bytes);
  out.resize(parts);
  return out;
}

/// The separator scripts/fuzz.sh puts between the files of a multi-file input.
inline constexpr std::string_view kFileSeparator = "\n%%cyberdrill-fuzz-file%%\n";

}  // namespace cyberdrill::fuzz
