// Output that appears complete or not at all.
//
// Contract
//  - write_folder_atomically(dir, fill): `fill` writes into a fresh temporary folder beside `dir`
//    (hidden, named after it and the process id); when it returns, the temporary folder replaces
//    `dir`: a previous `dir` is moved aside, the new one renamed into place, and the old one removed
//    (if that rename fails, the previous `dir` is put back). If `fill` or a rename throws, the
//    temporary folder is removed and `dir` is as it was; the exception propagates.
//  - Callers decide beforehand whether an existing `dir` may be replaced.
#pragma once

#include <filesystem>
#include <functional>

namespace cyberdrill {

void write_folder_atomically(const std::filesystem::path& dir,
                             const std::function<void(const std::filesystem::path& tmp)>& fill);

}  // namespace cyberdrill
