// Parsing one JSON text with limits, and finding where a JSON pointer's value sits in that text.
//
// nlohmann's DOM carries no positions, so positions come from a second, tiny scanner over the
// (already validated) text: locate() resolves many JSON pointers in one pass. Private to sim/io.
//
// Contract
//  - parse_json_text() never throws and never recurses on the input: nlohmann's parser is
//    iterative, the limits are enforced by a SAX pre-pass before any DOM is built.
//  - Limits: nesting deeper than kMaxDepth or more than kMaxValues JSON values are refused with a
//    message; file size is checked by the caller before reading (kMaxFileBytes).
//  - Duplicate object keys are reported (the DOM keeps the last value, as nlohmann does).
//  - Columns are 1-based and count UTF-8 code points, lines are 1-based.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

namespace cyberdrill::io {

using Json = nlohmann::json;

inline constexpr std::uintmax_t kMaxFileBytes = 64ULL * 1024 * 1024;
inline constexpr std::size_t kMaxDepth = 256;
inline constexpr std::size_t kMaxValues = 10'000'000;

struct TextPosition {
  int line = 0;    ///< 1-based; 0 = unknown
  int column = 0;  ///< 1-based; 0 = unknown
};

/// A problem found while parsing: at a byte offset (syntax, limits) or a pointer (duplicate key).
struct ParseProblem {
  std::size_t offset = 0;  ///< byte offset into the text (valid when pointer is empty or at_offset)
  bool at_offset = true;
  std::string pointer;     ///< JSON pointer (duplicate keys)
  std::string message;
};

struct ParsedJson {
  std::optional<Json> value;           ///< set when the text is valid JSON within the limits
  std::vector<ParseProblem> problems;  ///< syntax error / limit (fatal) and duplicate keys
};

/// Parses `text` as strict JSON (no comments, no trailing commas) under the limits.
[[nodiscard]] ParsedJson parse_json_text(std::string_view text, std::size_t max_depth = kMaxDepth,
                                         std::size_t max_values = kMaxValues);

/// Line/column lookup for one text.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);
  [[nodiscard]] TextPosition at(std::size_t offset) const;

 private:
  std::string_view text_;
  std::vector<std::size_t> line_starts_;
};

/// Byte offsets of the values named by `pointers` inside the valid JSON `text` (the last
/// occurrence when a key repeats). Pointers that name nothing are absent from the result.
[[nodiscard]] std::unordered_map<std::string, std::size_t> locate_pointers(
    std::string_view text, const std::vector<std::string>& pointers);

/// RFC 6901 escaping of one reference token ("~" -> "~0", "/" -> "~1").
[[nodiscard]] std::string escape_pointer_token(std::string_view token);

}  // namespace cyberdrill::io
