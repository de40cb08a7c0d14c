// The time of a journal line ("us": integer microseconds since T+0), read without undefined
// behaviour: a float, a negative value or a value past kMaxJournalTime is an error (the caller
// turns it into file:line: message, exit 2), never a conversion of an out-of-range double.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "cyberdrill/time.hpp"

namespace cyberdrill::io {

/// 100 years in microseconds: no exercise horizon comes near it, and any sum of it with a
/// scenario duration stays far from int64 overflow.
inline constexpr std::int64_t kMaxJournalTimeUs = std::int64_t{100} * 36525 * 24 * 3600 * 1000000;

inline SimTime journal_time(const nlohmann::json& j, const char* key = "us") {
  const nlohmann::json& v = j.at(key);
  const std::string range = "0.." + std::to_string(kMaxJournalTimeUs) + " (100 years)";
  if (v.is_number_unsigned()) {
    if (v.get<std::uint64_t>() > static_cast<std::uint64_t>(kMaxJournalTimeUs))
      throw std::runtime_error(std::string("\"") + key + "\" out of range: " + v.dump() + " (expected " + range + ")");
    return SimTime::from_us(static_cast<std::int64_t>(v.get<std::uint64_t>()));
  }
  if (v.is_number_integer()) {
    const std::int64_t us = v.get<std::int64_t>();
    if (us < 0 || us > kMaxJournalTimeUs)
      throw std::runtime_error(std::string("\"") + key + "\" out of range: " + v.dump() + " (expected " + range + ")");
    return SimTime::from_us(us);
  }
  throw std::runtime_error(std::string("\"") + key + "\" is not an integer number of microseconds: " + v.dump() +
                           " (expected " + range + ")");
}

}  // namespace cyberdrill::io
