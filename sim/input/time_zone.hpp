// Local civil time -> UTC for scenario start times: the date-time text checked here, the zone
// rules from include/cyberdrill/zones.hpp (the system tz database, read offline).
//
// Supported zones
//  - "UTC"
//  - fixed offsets "+01:00", "-05:30" (within +-14:00)
//  - IANA names of the tz database ("Europe/Brussels", "America/New_York", "Asia/Tokyo"), with
//    every rule the database knows (supported_zone_names() lists them).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cyberdrill::io {

/// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil).
[[nodiscard]] std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d);

/// Valid calendar date "YYYY-MM-DD" (years 1970-9999) -> days since the epoch.
[[nodiscard]] std::optional<std::int64_t> parse_date(std::string_view text);

struct LocalToUtc {
  std::optional<std::int64_t> utc_s;  ///< seconds since the epoch
  std::string error;                  ///< when utc_s is empty
  std::string warning;                ///< e.g. an ambiguous local time in the autumn overlap
};

/// Converts "YYYY-MM-DDTHH:MM" or "YYYY-MM-DDTHH:MM:SS" in `zone` to UTC seconds. A local time
/// skipped by the spring change is an error; one repeated by the autumn change resolves to the
/// first (summer-time) instant with a warning.
[[nodiscard]] LocalToUtc local_to_utc(std::string_view local, std::string_view zone);

/// True when `zone` is one of the supported forms.
[[nodiscard]] bool is_supported_zone(std::string_view zone);

/// The IANA names accepted (sorted), for error messages and the schema.
[[nodiscard]] const std::vector<std::string>& supported_zone_names();

/// UTC offset in seconds in effect at `utc_s` for a supported zone (0 for an unknown one).
[[nodiscard]] std::int64_t utc_offset_s(std::string_view zone, std::int64_t utc_s);

}  // namespace cyberdrill::io
