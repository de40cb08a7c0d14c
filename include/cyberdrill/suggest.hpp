// "Did you mean ...": the closest candidate by edit distance, for unknown ids, keys, names and
// subcommands (the loader, batch and the command line share it).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cyberdrill {

/// Levenshtein distance, case-insensitive on ASCII letters.
[[nodiscard]] std::size_t edit_distance(std::string_view a, std::string_view b);

/// The closest candidate within max(2, |word|/3) edits and fewer edits than either word has
/// characters ("" when none is that close). Ties go to
/// the candidate listed first, so the answer is deterministic.
[[nodiscard]] std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

/// "; did you mean \"x\"?" or "" when nothing is close.
[[nodiscard]] std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace cyberdrill
