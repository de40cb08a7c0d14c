// Output that appears complete or not at all.
//
// Contract
//  - write_folder_atomically(dir, fill): `fill` writes into a fresh temporary folder beside `dir`
//    (hidden, named after it and the process id); when it returns, the temporary folder replaces
//    `dir`: a previous `dir` is moved aside, the new one renamed into place, and the old one removed
//    (if that rename fails, the previous `dir` is put back). If `fill` or a rename throws, the
//    temporary folder is removed and `dir` is as it was; the exception propagates.
//  - Callers decide beforehand whether an existing `dir` may be replaced.
//  - `dir` may end with a separator ("runs/x/" is the folder runs/x).
//  - Before writing, stale temporary folders of `dir` left by killed processes
//    (".NAME.partial-PID" / ".NAME.old-PID" whose PID no longer exists) are removed; those of a
//    live process are left alone.
#pragma once

#include <filesystem>
#include <functional>
#include <stdexcept>

namespace cyberdrill {

/// An output file could not be written completely (disk full, no permission, I/O error): a
/// failure of the machine, not of the input (the CLI exits 1). Nothing truncated is left behind
/// by the writer that throws it. Callers that tolerate a missing optional output (the report's
/// figures without a display) must still let this one through.
class WriteError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// `p` without trailing separators ("runs/x/" -> "runs/x"; "/" stays "/").
[[nodiscard]] std::filesystem::path without_trailing_separators(const std::filesystem::path& p);

/// Removes the stale ".NAME.partial-PID" and ".NAME.old-PID" folders beside `dir` whose process is
/// gone; returns how many were removed.
std::size_t remove_stale_partials(const std::filesystem::path& dir);

void write_folder_atomically(const std::filesystem::path& dir,
                             const std::function<void(const std::filesystem::path& tmp)>& fill);

}  // namespace cyberdrill
