// "Did you mean ...": the closest candidate by edit distance (Levenshtein, case-insensitive).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cyberdrill::cli {

[[nodiscard]] std::size_t edit_distance(std::string_view a, std::string_view b);
/// The closest candidate within max(2, len/3) edits, or "" when nothing is close.
[[nodiscard]] std::string closest(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace cyberdrill::cli
