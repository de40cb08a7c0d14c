// Simulated time: integer microseconds in strong types.
//
// Contract
//  - Duration is a signed span of simulated time; SimTime is a point on the run's clock, counted
//    from the scenario start (T+0). Both hold int64 microseconds: +-292,000 years, exact.
//  - Arithmetic that overflows int64 is a programmer error (asserted in debug builds); inputs from
//    people go through parse_duration, which rejects overflow with a message.
//  - No API of cyberdrill takes or returns raw double seconds; to_seconds() exists for reports.
#pragma once

#include <compare>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace cyberdrill {

class Duration {
 public:
  constexpr Duration() = default;
  static constexpr Duration from_us(std::int64_t us) { return Duration(us); }
  static constexpr Duration milliseconds(std::int64_t v) { return Duration(v * 1'000); }
  static constexpr Duration seconds(std::int64_t v) { return Duration(v * 1'000'000); }
  static constexpr Duration minutes(std::int64_t v) { return seconds(v * 60); }
  static constexpr Duration hours(std::int64_t v) { return minutes(v * 60); }
  static constexpr Duration days(std::int64_t v) { return hours(v * 24); }
  static constexpr Duration weeks(std::int64_t v) { return days(v * 7); }
  static constexpr Duration zero() { return Duration(0); }
  static constexpr Duration max() { return Duration(std::numeric_limits<std::int64_t>::max()); }

  [[nodiscard]] constexpr std::int64_t us() const { return us_; }
  [[nodiscard]] constexpr double to_seconds() const { return static_cast<double>(us_) / 1e6; }
  [[nodiscard]] constexpr double to_hours() const { return static_cast<double>(us_) / 3.6e9; }
  [[nodiscard]] constexpr bool is_negative() const { return us_ < 0; }

  constexpr auto operator<=>(const Duration&) const = default;
  constexpr Duration operator-() const { return Duration(-us_); }
  constexpr Duration& operator+=(Duration o) { us_ += o.us_; return *this; }
  constexpr Duration& operator-=(Duration o) { us_ -= o.us_; return *this; }
  friend constexpr Duration operator+(Duration a, Duration b) { return Duration(a.us_ + b.us_); }
  friend constexpr Duration operator-(Duration a, Duration b) { return Duration(a.us_ - b.us_); }
  friend constexpr Duration operator*(Duration a, std::int64_t k) { return Duration(a.us_ * k); }
  friend constexpr Duration operator*(std::int64_t k, Duration a) { return Duration(a.us_ * k); }
  friend constexpr Duration operator/(Duration a, std::int64_t k) { return Duration(a.us_ / k); }
  friend constexpr std::int64_t operator/(Duration a, Duration b) { return a.us_ / b.us_; }

 private:
  constexpr explicit Duration(std::int64_t us) : us_(us) {}
  std::int64_t us_ = 0;
};

class SimTime {
 public:
  constexpr SimTime() = default;
  static constexpr SimTime from_us(std::int64_t us) { return SimTime(us); }
  static constexpr SimTime zero() { return SimTime(0); }
  static constexpr SimTime max() { return SimTime(std::numeric_limits<std::int64_t>::max()); }

  [[nodiscard]] constexpr std::int64_t us() const { return us_; }
  [[nodiscard]] constexpr Duration since_start() const { return Duration::from_us(us_); }
  [[nodiscard]] constexpr double to_hours() const { return static_cast<double>(us_) / 3.6e9; }

  constexpr auto operator<=>(const SimTime&) const = default;
  constexpr SimTime& operator+=(Duration d) { us_ += d.us(); return *this; }
  friend constexpr SimTime operator+(SimTime t, Duration d) { return SimTime(t.us_ + d.us()); }
  friend constexpr SimTime operator+(Duration d, SimTime t) { return SimTime(t.us_ + d.us()); }
  friend constexpr SimTime operator-(SimTime t, Duration d) { return SimTime(t.us_ - d.us()); }
  friend constexpr Duration operator-(SimTime a, SimTime b) { return Duration::from_us(a.us_ - b.us_); }

 private:
  constexpr explicit SimTime(std::int64_t us) : us_(us) {}
  std::int64_t us_ = 0;
};

/// Saturating addition: t + d, or SimTime::max() when it would overflow. For "never" deadlines.
[[nodiscard]] constexpr SimTime saturating_add(SimTime t, Duration d) {
  if (d.us() > 0 && t.us() > std::numeric_limits<std::int64_t>::max() - d.us()) return SimTime::max();
  return t + d;
}

namespace literals {
constexpr Duration operator""_us(unsigned long long v) { return Duration::from_us(static_cast<std::int64_t>(v)); }
constexpr Duration operator""_ms(unsigned long long v) { return Duration::milliseconds(static_cast<std::int64_t>(v)); }
constexpr Duration operator""_s(unsigned long long v) { return Duration::seconds(static_cast<std::int64_t>(v)); }
constexpr Duration operator""_min(unsigned long long v) { return Duration::minutes(static_cast<std::int64_t>(v)); }
constexpr Duration operator""_h(unsigned long long v) { return Duration::hours(static_cast<std::int64_t>(v)); }
constexpr Duration operator""_d(unsigned long long v) { return Duration::days(static_cast<std::int64_t>(v)); }
constexpr Duration operator""_w(unsigned long long v) { return Duration::weeks(static_cast<std::int64_t>(v)); }
}  // namespace literals

/// Result of parsing a planner's duration; on failure `error` says what was expected.
struct DurationParse {
  std::optional<Duration> value;
  std::string error;
  explicit operator bool() const { return value.has_value(); }
};

/// Parses planner units: a sequence of <integer><unit> groups, largest unit first, where unit is
/// one of w, d, h, m, s, ms, us ("90s", "15m", "4h", "2d", "1w", "1h30m", "2d 4h"). Also accepts
/// "0". Spaces between groups are allowed. Also the forms people write: a bare number last after
/// hours or minutes is the next unit down ("3h30" = 3h30m, "1m30" = 1m30s), the clock form
/// "[Nd ]H:MM[:SS[.ffffff]]" ("03:30", "1d 06:00"), and a "T+" prefix on any of them ("T+3h30",
/// "T+03:30": a time from T+0 is that duration). A rejected form's message names the accepted
/// ones. Negative values are rejected unless allow_negative,
/// in which case one leading '-' applies to the whole value. Overflow of int64 microseconds is
/// rejected. Never throws.
[[nodiscard]] DurationParse try_parse_duration(std::string_view text, bool allow_negative = false);

/// As try_parse_duration, but throws std::invalid_argument carrying the error message.
[[nodiscard]] Duration parse_duration(std::string_view text, bool allow_negative = false);

/// Canonical planner form, the inverse of parse_duration: "1h30m", "2d", "90ms", "0s", "-4h".
/// parse_duration(format_duration(d)) == d for every d.
[[nodiscard]] std::string format_duration(Duration d);

/// Scenario clock form "T+2d 03:15" (days omitted when zero: "T+03:15"; seconds appended when
/// non-zero: "T+03:15:20"; sub-second digits when present: "T+00:00:00.250000").
/// Negative times print as "T-...".
[[nodiscard]] std::string format_sim_time(SimTime t);

/// Parses the scenario clock form written by format_sim_time, the HSEEP MSEL form "T+hh:mm"
/// (hours may exceed 24), and a duration from T+0 in any form try_parse_duration accepts ("T+3h30",
/// "3h30m", "6h"). Never throws.
[[nodiscard]] std::optional<SimTime> try_parse_sim_time(std::string_view text, std::string* error = nullptr);

}  // namespace cyberdrill
