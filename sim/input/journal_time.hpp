// The time of a journal line ("us": integer microseconds since T+0), read without undefined
// behaviour: a float, a negative value or a value past kMaxJournalTime is an error (the caller
// turns it into file:line: message, exit 2), never a conversion of an out-of-range double.
#pragma once

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>

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

/// An integer of type T read from a journal or run-folder value, range-checked. nlohmann's
/// get<T>() converts a float by a bare cast, undefined behaviour out of range (fuzz_journal found
/// "seed": 7.67e56 in a drill journal header), and wraps a negative into an unsigned T: both are
/// errors here ("<what> is not an integer" / "out of range"), which the caller reports as
/// file:line: message, exit 2.
template <typename T>
T json_integer(const nlohmann::json& v, const char* what) {
  static_assert(std::is_integral_v<T> && sizeof(T) <= 8);
  if (v.is_number_unsigned()) {
    const std::uint64_t u = v.get<std::uint64_t>();
    if (u <= static_cast<std::uint64_t>(std::numeric_limits<T>::max())) return static_cast<T>(u);
  } else if (v.is_number_integer()) {
    const std::int64_t i = v.get<std::int64_t>();
    if constexpr (std::is_signed_v<T>) {
      if (i >= std::numeric_limits<T>::min() && i <= std::numeric_limits<T>::max()) return static_cast<T>(i);
    } else {
      if (i >= 0 && static_cast<std::uint64_t>(i) <= std::numeric_limits<T>::max()) return static_cast<T>(i);
    }
  } else {
    throw std::runtime_error(std::string("\"") + what + "\" is not an integer: " + v.dump());
  }
  throw std::runtime_error(std::string("\"") + what + "\" out of range: " + v.dump());
}

}  // namespace cyberdrill::io
