// Time zones by arithmetic: UTC, fixed offsets and the EU summer-time rule, checked against
// known instants (tzdata's answers for 2026).
#include <doctest/doctest.h>

#include "time_zone.hpp"

using namespace cyberdrill::io;

namespace {
std::int64_t utc(std::string_view local, std::string_view zone) {
  const LocalToUtc r = local_to_utc(local, zone);
  REQUIRE_MESSAGE(r.utc_s.has_value(), r.error);
  return *r.utc_s;
}
constexpr std::int64_t kJan1_2026 = 1767225600;  // 2026-01-01T00:00Z
}  // namespace

TEST_CASE("civil dates") {
  CHECK(days_from_civil(1970, 1, 1) == 0);
  CHECK(days_from_civil(2026, 1, 1) * 86400 == kJan1_2026);
  CHECK(parse_date("2024-02-29").has_value());
  CHECK_FALSE(parse_date("2026-02-29").has_value());
  CHECK_FALSE(parse_date("2026-13-01").has_value());
  CHECK_FALSE(parse_date("1969-12-31").has_value());
}

TEST_CASE("UTC and fixed offsets") {
  CHECK(utc("2026-01-01T00:00", "UTC") == kJan1_2026);
  CHECK(utc("2026-01-01T01:00", "+01:00") == kJan1_2026);
  CHECK(utc("2025-12-31T18:30", "-05:30") == kJan1_2026);
  CHECK(utc("2026-01-01T00:00:30", "UTC") == kJan1_2026 + 30);
  CHECK_FALSE(is_supported_zone("+15:00"));
  CHECK_FALSE(is_supported_zone("+1:00"));
}

TEST_CASE("EU zones: standard offset in winter, one hour more between the last Sundays of March and October") {
  // 2026: summer time from 2026-03-29T01:00Z to 2026-10-25T01:00Z.
  CHECK(utc("2026-03-10T09:00", "Europe/Brussels") == 1773129600);  // 08:00Z
  CHECK(utc("2026-07-01T12:00", "Europe/Brussels") == 1782900000);  // 10:00Z
  CHECK(utc("2026-07-01T12:00", "Europe/London") == 1782903600);    // 11:00Z
  CHECK(utc("2026-07-01T12:00", "Europe/Athens") == 1782896400);    // 09:00Z
  CHECK(utc("2026-01-15T12:00", "Europe/Lisbon") == 1768478400);    // 12:00Z
  CHECK(utc("2026-03-29T01:59", "Europe/Brussels") == 1774745940);  // 00:59Z, still winter
  CHECK(utc("2026-03-29T03:00", "Europe/Brussels") == 1774746000);  // 01:00Z, summer begins
  CHECK(utc_offset_s("Europe/Paris", 1774746000 - 1) == 3600);
  CHECK(utc_offset_s("Europe/Paris", 1774746000) == 7200);
  CHECK(utc_offset_s("Europe/Paris", 1792890000 - 1) == 7200);      // 2026-10-25T00:59:59Z
  CHECK(utc_offset_s("Europe/Paris", 1792890000) == 3600);
}

TEST_CASE("the spring gap is an error, the autumn overlap picks the summer-time instant with a warning") {
  const LocalToUtc gap = local_to_utc("2026-03-29T02:30", "Europe/Berlin");
  CHECK_FALSE(gap.utc_s.has_value());
  CHECK(gap.error == "local time 2026-03-29T02:30 does not exist in Europe/Berlin (clocks go forward one hour)");
  const LocalToUtc overlap = local_to_utc("2026-10-25T02:30", "Europe/Berlin");
  REQUIRE(overlap.utc_s.has_value());
  CHECK(*overlap.utc_s == 1792888200);  // 00:30Z (CEST)
  CHECK(overlap.warning.find("occurs twice") != std::string::npos);
  // London changes at 01:00 local: 01:30 on 2026-03-29 does not exist there.
  CHECK_FALSE(local_to_utc("2026-03-29T01:30", "Europe/London").utc_s.has_value());
}

TEST_CASE("unknown zones and malformed times are errors, never guesses") {
  CHECK(local_to_utc("2026-03-10T09:00", "Mars/Olympus_Mons").error == "unknown time zone \"Mars/Olympus_Mons\"");
  CHECK_FALSE(local_to_utc("2026-03-10 09:00", "UTC").utc_s.has_value());
  CHECK_FALSE(local_to_utc("2026-03-10T24:00", "UTC").utc_s.has_value());
  CHECK_FALSE(local_to_utc("", "UTC").utc_s.has_value());
  CHECK(supported_zone_names().size() >= 40);
  CHECK(is_supported_zone("Europe/Luxembourg"));
}

TEST_CASE("an exercise in another country gets its local time right across daylight saving time") {
  // New York: EST (-05:00) until 2026-03-08 02:00 local, then EDT (-04:00) (US rule, tz database).
  const LocalToUtc before = local_to_utc("2026-03-07T09:00", "America/New_York");
  REQUIRE(before.utc_s.has_value());
  CHECK(*before.utc_s == 1772892000);  // 2026-03-07T14:00Z
  const LocalToUtc after = local_to_utc("2026-03-09T09:00", "America/New_York");
  REQUIRE(after.utc_s.has_value());
  CHECK(*after.utc_s == 1773061200);  // 2026-03-09T13:00Z: one hour less than a day after a day
  CHECK(*after.utc_s - *before.utc_s == 2 * 86400 - 3600);
  CHECK_FALSE(local_to_utc("2026-03-08T02:30", "America/New_York").utc_s.has_value());  // skipped
  CHECK(utc_offset_s("America/New_York", 1772953200 - 1) == -5 * 3600);                 // 06:59:59Z
  CHECK(utc_offset_s("America/New_York", 1772953200) == -4 * 3600);                     // 07:00Z
  // The EU changes on 2026-03-29: in between, New York is 5 h behind Brussels, not 6.
  CHECK(utc_offset_s("Europe/Brussels", 1773061200) - utc_offset_s("America/New_York", 1773061200) == 5 * 3600);
  // Tokyo: +09:00 all year, no DST.
  const LocalToUtc tokyo = local_to_utc("2026-07-01T09:00", "Asia/Tokyo");
  REQUIRE(tokyo.utc_s.has_value());
  CHECK(*tokyo.utc_s == 1782864000);  // 2026-07-01T00:00Z
  CHECK(utc_offset_s("Asia/Tokyo", 1772953200) == 9 * 3600);
  CHECK(utc_offset_s("Asia/Tokyo", 1782864000) == 9 * 3600);
  CHECK(is_supported_zone("America/New_York"));
  CHECK(is_supported_zone("Asia/Tokyo"));
}
