// Civil time and organisations' availability calendars.
//
// Contract
//  - Pure arithmetic, no TZ database and no environment: the same answer on every machine.
//  - Supported time zones: "UTC" (also "Etc/UTC", "GMT"), fixed offsets "+hh:mm" / "-hh:mm"
//    (within +-14:00), and European IANA zones with the EU summer-time rule: summer time from the
//    last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC. CET zones
//    (Europe/Brussels, Paris, Berlin, ...) are +1 / +2, Europe/London, Dublin, Lisbon (and the
//    Atlantic islands) 0 / +1, EET zones (Europe/Helsinki, Athens, ...) +2 / +3.
//  - A CalendarClock maps simulated time (T+0 = Metadata::start_utc_s) to the organisation's
//    local wall clock and answers when it is open and when it can start new work.
//
// Availability semantics (what the response model does with a calendar)
//  - 24/7 ("always"): always open.
//  - Office hours: open on the listed weekdays (local time), from `open` to `close`, except on the
//    listed public holidays. When close <= open the window runs overnight into the next day; the
//    weekday and holiday of the day the window opens decide.
//  - A task that has started continues to completion, even past closing time. A new task waits
//    for the next opening time, or, for an on-call organisation, for the callout delay
//    (whichever is earlier); see next_available().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cyberdrill/scenario.hpp"
#include "cyberdrill/time.hpp"

namespace cyberdrill {

/// True when local_offset() understands `time_zone`.
[[nodiscard]] bool is_known_time_zone(std::string_view time_zone);

/// Offset of local time from UTC in seconds (local = utc + offset) in effect at the instant
/// `utc_seconds` (seconds since the Unix epoch). Throws std::invalid_argument for an unknown zone.
[[nodiscard]] std::int64_t local_offset(std::string_view time_zone, std::int64_t utc_seconds);

/// UTC seconds of a local wall-clock time (seconds since the epoch, counted as if local were UTC).
/// A local time skipped by the spring change resolves with the offset in force before it; a
/// repeated one (autumn) resolves to the first (summer-time) instant. Throws like local_offset.
[[nodiscard]] std::int64_t utc_from_local_seconds(std::string_view time_zone, std::int64_t local_seconds);

/// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's algorithm).
[[nodiscard]] std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day);

/// Day of the week of a day number: 0 = Monday ... 6 = Sunday.
[[nodiscard]] int weekday_from_days(std::int64_t days);

/// "YYYY-MM-DD" (a valid date) -> days since the epoch; nullopt when malformed.
[[nodiscard]] std::optional<std::int64_t> parse_civil_date(std::string_view text);

/// An organisation's calendar placed on the run's clock.
class CalendarClock {
 public:
  /// `start_utc_s` is T+0 (Metadata::start_utc_s). Holidays that do not parse as dates are
  /// ignored (the loader rejects them). Throws std::invalid_argument for an unknown zone unless
  /// the calendar is 24/7 (which never needs the zone).
  CalendarClock(const Calendar& calendar, std::string time_zone, std::int64_t start_utc_s);

  [[nodiscard]] const Calendar& calendar() const { return calendar_; }
  [[nodiscard]] bool always() const { return calendar_.always; }

  /// Whether `t` lies inside an office-hours window (always true for 24/7).
  [[nodiscard]] bool is_open(SimTime t) const;
  /// The earliest time >= t that is open; SimTime::max() when the calendar never opens
  /// (no weekday set, searched up to 400 days ahead).
  [[nodiscard]] SimTime next_open(SimTime t) const;
  /// When a new task arriving at `t` can start: t if open; for on-call,
  /// min(t + callout, next_open(t)); otherwise next_open(t).
  [[nodiscard]] SimTime next_available(SimTime t) const;

 private:
  struct Window {
    std::int64_t start_us;  // SimTime microseconds
    std::int64_t end_us;
  };
  [[nodiscard]] std::optional<Window> window_of_local_day(std::int64_t day) const;
  [[nodiscard]] std::int64_t local_day_of(SimTime t) const;

  Calendar calendar_;
  std::string zone_;
  std::int64_t start_utc_s_ = 0;
  std::vector<std::int64_t> holidays_;  // sorted day numbers
};

}  // namespace cyberdrill
