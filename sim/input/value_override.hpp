// Setting values of a composed scenario before typing (LoadOptions::overrides, `batch --vary`).
// Private to sim/input.
#pragma once

#include <string>
#include <vector>

#include "composition.hpp"

namespace cyberdrill::io {

struct OverrideProblem {
  std::string path;     ///< the override's path as given
  std::string message;  ///< what is wrong and what is expected
};

/// Applies `overrides` to c.root in order. An override whose path does not resolve to an existing
/// value, or whose value does not parse or has another JSON type than the value it replaces, is
/// left out and returned as a problem.
[[nodiscard]] std::vector<OverrideProblem> apply_overrides(Composition& c, const std::vector<ValueOverride>& overrides);

/// The tokens of a JSON pointer ("/a/b~1c" -> a, b/c) or a dotted path ("a.b" -> a, b); empty
/// tokens are kept (an error for the caller). The empty path has no tokens.
[[nodiscard]] std::vector<std::string> path_tokens(std::string_view path);

}  // namespace cyberdrill::io
