#include <doctest/doctest.h>

#include <stdexcept>

#include "cyberdrill/calendar.hpp"

using namespace cyberdrill;
using namespace cyberdrill::literals;

namespace {

std::int64_t utc(std::int64_t y, unsigned m, unsigned d, int hh, int mm = 0) {
  return days_from_civil(y, m, d) * 86'400 + hh * 3'600 + mm * 60;
}

// T+0 = Tuesday 2026-03-10 09:00 in Brussels (08:00 UTC, winter time).
const std::int64_t kStart = utc(2026, 3, 10, 8);

SimTime at(Duration d) { return SimTime::zero() + d; }

Calendar office() {
  Calendar c;
  c.always = false;
  c.weekdays = 0x1F;  // Monday-Friday
  c.open = 9_h + 30_min;
  c.close = 16_h + 30_min;
  c.holidays = {"2026-03-12"};  // a Thursday
  return c;
}

}  // namespace

TEST_CASE("civil dates: day numbers and weekdays") {
  CHECK(days_from_civil(1970, 1, 1) == 0);
  CHECK(days_from_civil(2000, 3, 1) == 11017);
  CHECK(weekday_from_days(0) == 3);                              // Thursday
  CHECK(weekday_from_days(days_from_civil(2026, 3, 10)) == 1);   // Tuesday
  CHECK(weekday_from_days(days_from_civil(2026, 3, 29)) == 6);   // Sunday
  CHECK(parse_civil_date("2026-02-29") == std::nullopt);
  CHECK(parse_civil_date("2024-02-29") == days_from_civil(2024, 2, 29));
  CHECK(parse_civil_date("2026-3-1") == std::nullopt);
}

TEST_CASE("local_offset: UTC, fixed offsets and the EU summer-time rule") {
  CHECK(local_offset("UTC", kStart) == 0);
  CHECK(local_offset("+05:30", kStart) == 19'800);
  CHECK(local_offset("-03:00", kStart) == -10'800);
  // Last Sunday of March 2026 is the 29th; the change is at 01:00 UTC.
  CHECK(local_offset("Europe/Brussels", utc(2026, 3, 29, 0, 59)) == 3'600);
  CHECK(local_offset("Europe/Brussels", utc(2026, 3, 29, 1)) == 7'200);
  // Last Sunday of October 2026 is the 25th.
  CHECK(local_offset("Europe/Brussels", utc(2026, 10, 25, 0, 59)) == 7'200);
  CHECK(local_offset("Europe/Brussels", utc(2026, 10, 25, 1)) == 3'600);
  CHECK(local_offset("Europe/London", utc(2026, 1, 15, 12)) == 0);
  CHECK(local_offset("Europe/London", utc(2026, 7, 15, 12)) == 3'600);
  CHECK(local_offset("Europe/Helsinki", utc(2026, 1, 15, 12)) == 7'200);
  CHECK(local_offset("Europe/Helsinki", utc(2026, 7, 15, 12)) == 10'800);
  CHECK(is_known_time_zone("Europe/Lisbon"));
  CHECK(is_known_time_zone("America/New_York"));  // any zone of the tz database (zones.hpp)
  CHECK(local_offset("America/New_York", utc(2026, 1, 15, 12)) == -5 * 3'600);
  CHECK(local_offset("America/New_York", utc(2026, 7, 15, 12)) == -4 * 3'600);
  CHECK_FALSE(is_known_time_zone("Europe/Brusels"));
  CHECK_FALSE(is_known_time_zone("+25:00"));
  CHECK_THROWS_AS((void)local_offset("Mars/Olympus", 0), std::invalid_argument);
}

TEST_CASE("utc_from_local_seconds inverts the offset, summer time first in the autumn overlap") {
  const std::int64_t local_9 = days_from_civil(2026, 3, 10) * 86'400 + 9 * 3'600;
  CHECK(utc_from_local_seconds("Europe/Brussels", local_9) == kStart);
  const std::int64_t local_summer = days_from_civil(2026, 7, 1) * 86'400 + 12 * 3'600;
  CHECK(utc_from_local_seconds("Europe/Brussels", local_summer) == utc(2026, 7, 1, 10));
  // 02:30 on 2026-10-25 happens twice in Brussels: the first one is 00:30 UTC.
  const std::int64_t overlap = days_from_civil(2026, 10, 25) * 86'400 + 2 * 3'600 + 30 * 60;
  CHECK(utc_from_local_seconds("Europe/Brussels", overlap) == utc(2026, 10, 25, 0, 30));
}

TEST_CASE("office hours: opening, closing, weekends and public holidays") {
  const CalendarClock c(office(), "Europe/Brussels", kStart);
  CHECK_FALSE(c.is_open(at(0_h)));                    // Tue 09:00
  CHECK(c.next_open(at(0_h)) == at(30_min));          // Tue 09:30
  CHECK(c.is_open(at(30_min)));
  CHECK(c.is_open(at(7_h + 29_min)));                 // Tue 16:29
  CHECK_FALSE(c.is_open(at(7_h + 30_min)));           // Tue 16:30: closed (half-open window)
  CHECK(c.next_open(at(7_h + 30_min)) == at(24_h + 30_min));  // Wed 09:30
  // Wednesday 16:30 -> Thursday is a holiday -> Friday 09:30.
  CHECK(c.next_open(at(31_h + 30_min)) == at(72_h + 30_min));
  CHECK_FALSE(c.is_open(at(48_h + 2_h)));             // Thu 11:00, holiday
  // Friday 16:30 -> Monday 2026-03-16 09:30.
  CHECK(c.next_open(at(79_h + 30_min)) == at(6_d + 30_min));
  CHECK_FALSE(c.is_open(at(4_d + 3_h)));              // Saturday noon
  CHECK(c.next_available(at(4_d + 3_h)) == at(6_d + 30_min));
}

TEST_CASE("office hours follow local time across the spring DST change") {
  const CalendarClock c(office(), "Europe/Brussels", kStart);
  // Friday 2026-03-27 17:00 local (16:00 UTC) -> Monday 2026-03-30 09:30 CEST = 07:30 UTC,
  // which is T+20d - 30 min (it would be T+20d + 30 min without the change).
  const SimTime friday_evening = SimTime::zero() + Duration::seconds(utc(2026, 3, 27, 16) - kStart);
  CHECK(c.next_open(friday_evening) == at(20_d - 30_min));
  CHECK(c.is_open(at(20_d - 30_min)));
  CHECK_FALSE(c.is_open(at(20_d - 31_min)));
}

TEST_CASE("on-call: outside hours new work starts after the callout, or at opening if sooner") {
  Calendar cal = office();
  cal.on_call = true;
  cal.callout = 45_min;
  const CalendarClock c(cal, "Europe/Brussels", kStart);
  CHECK(c.next_available(at(4_d + 3_h)) == at(4_d + 3_h + 45_min));  // Saturday noon
  CHECK(c.next_available(at(10_min)) == at(30_min));                  // Tue 09:10: opening is sooner
  CHECK(c.next_available(at(1_h)) == at(1_h));                        // open: at once
}

TEST_CASE("24/7 is always open, an overnight window spans midnight, no weekday never opens") {
  const CalendarClock always(Calendar{}, "Nowhere/Unknown", kStart);  // 24/7 ignores the zone
  CHECK(always.is_open(at(3_d + 3_h)));
  CHECK(always.next_available(at(5_h)) == at(5_h));

  Calendar night;
  night.always = false;
  night.weekdays = 0x7F;
  night.open = 22_h;
  night.close = 6_h;
  const CalendarClock n(night, "UTC", kStart);  // T+0 = 08:00 UTC
  CHECK_FALSE(n.is_open(at(0_h)));
  CHECK(n.next_open(at(0_h)) == at(14_h));      // 22:00
  CHECK(n.is_open(at(21_h)));                   // 05:00 next day
  CHECK_FALSE(n.is_open(at(22_h)));             // 06:00

  Calendar never = office();
  never.weekdays = 0;
  const CalendarClock z(never, "UTC", kStart);
  CHECK(z.next_open(at(0_h)) == SimTime::max());
  CHECK_THROWS_AS(CalendarClock(office(), "Mars/Olympus", kStart), std::invalid_argument);
}
