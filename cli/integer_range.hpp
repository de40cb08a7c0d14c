// A CLI11 validator for integer options that checks the text itself, before CLI11 converts it:
// CLI11 2.1 converts with strtoll/strtoull and ignores ERANGE, so "99999999999999999999" became
// the largest value silently (a seed clamped without a word). Decimal digits only.
#pragma once

#include <CLI/CLI.hpp>

#include <charconv>
#include <cstdint>
#include <string>

namespace cyberdrill::cli {

/// Accepts a decimal integer in [lo, hi]; otherwise "out of range (lo..hi)" (exit 2 via CLI11).
inline CLI::Validator integer_range(std::int64_t lo, std::int64_t hi) {
  const std::string range = std::to_string(lo) + ".." + std::to_string(hi);
  return CLI::Validator(
      [lo, hi, range](std::string& text) -> std::string {
        std::int64_t v = 0;
        const char* end = text.data() + text.size();
        const auto [p, ec] = std::from_chars(text.data(), end, v);
        if (ec == std::errc::invalid_argument || p != end) return text + ": not a whole number (expected " + range + ")";
        if (ec == std::errc::result_out_of_range || v < lo || v > hi) return text + ": out of range (" + range + ")";
        return {};
      },
      "INT in [" + range + "]");
}

}  // namespace cyberdrill::cli
