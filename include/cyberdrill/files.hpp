// Whole files in and out: the one place that writes a file's content and reads one back (the run
// folder, batch and checkpoint writers, the MSEL import and export, the report command).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace cyberdrill {

/// Writes `content` to `p` (created or truncated, binary). Throws std::runtime_error "cannot write
/// P" when it cannot be opened and "error writing P" when a write or the flush fails.
void write_file(const std::filesystem::path& p, std::string_view content);

/// Reads the whole file `p` (binary) into `out`. Returns false when it cannot be opened or read.
[[nodiscard]] bool read_file(const std::filesystem::path& p, std::string& out);

}  // namespace cyberdrill
