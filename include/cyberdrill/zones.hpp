// Time zones: the one implementation every room asks (the scenario reader for the start time, the
// calendars for office hours, the report and the live window for wall-clock times).
//
// A zone is "UTC" (also "Etc/UTC", "GMT", "Z"), a fixed offset "+hh:mm" / "-hh:mm" within
// +-14:00, or an IANA name ("Europe/Brussels", "America/New_York", "Asia/Tokyo"). IANA zones
// come from the system's tz database (Debian's tzdata under /usr/share/zoneinfo, read offline,
// through Howard Hinnant's date library built with USE_OS_TZDB=1), so every rule the database
// knows applies: EU summer time, US daylight saving time, zones without DST, historic changes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cyberdrill {

/// True when `zone` is UTC, a fixed offset or an IANA name in the tz database.
[[nodiscard]] bool is_time_zone(std::string_view zone);

/// The IANA zone names of the tz database (sorted), for "did you mean".
[[nodiscard]] const std::vector<std::string>& time_zone_names();

/// UTC offset in seconds in effect at `utc_s` (seconds since the epoch). Throws
/// std::invalid_argument for an unknown zone.
[[nodiscard]] std::int64_t time_zone_offset_s(std::string_view zone, std::int64_t utc_s);

/// A local wall-clock time (seconds since the epoch as if the zone were UTC) as an instant.
struct LocalInstant {
  enum class Kind { unique, skipped, repeated };
  Kind kind = Kind::unique;
  /// unique: the instant; repeated (clocks went back): the first instant (the offset before the
  /// change, summer time); skipped (clocks went forward): local - the offset before the change.
  std::int64_t utc_s = 0;
};

/// Resolves a local time in `zone`. Throws std::invalid_argument for an unknown zone.
[[nodiscard]] LocalInstant time_zone_local_to_utc(std::string_view zone, std::int64_t local_s);

}  // namespace cyberdrill
