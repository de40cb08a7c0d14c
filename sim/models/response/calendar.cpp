#include "cyberdrill/calendar.hpp"
#include "cyberdrill/zones.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

namespace cyberdrill {

namespace {

constexpr std::int64_t kDay = 86'400;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

}  // namespace

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = floor_div(y, 400);
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = m > 2 ? static_cast<std::int64_t>(m) - 3 : static_cast<std::int64_t>(m) + 9;
  const std::int64_t doy = (153 * mp + 2) / 5 + static_cast<std::int64_t>(d) - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int weekday_from_days(std::int64_t days) {
  // 1970-01-01 was a Thursday (3 when Monday = 0).
  return static_cast<int>(((days % 7) + 7 + 3) % 7);
}

std::optional<std::int64_t> parse_civil_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto num = [&](std::size_t from, std::size_t len) -> std::optional<int> {
    int v = 0;
    for (std::size_t i = from; i < from + len; ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  auto y = num(0, 4), m = num(5, 2), d = num(8, 2);
  if (!y || !m || !d || *m < 1 || *m > 12 || *d < 1) return std::nullopt;
  static constexpr std::array<int, 12> kLen = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
  const int len = kLen[static_cast<std::size_t>(*m - 1)] + ((*m == 2 && leap) ? 1 : 0);
  if (*d > len) return std::nullopt;
  return days_from_civil(*y, static_cast<unsigned>(*m), static_cast<unsigned>(*d));
}

bool is_known_time_zone(std::string_view time_zone) { return is_time_zone(time_zone); }

std::int64_t local_offset(std::string_view time_zone, std::int64_t utc_seconds) {
  return time_zone_offset_s(time_zone, utc_seconds);
}

std::int64_t utc_from_local_seconds(std::string_view time_zone, std::int64_t local_seconds) {
  // A repeated autumn hour resolves to the first (summer-time) instant; a skipped spring hour
  // uses the offset before the change (standard time).
  return time_zone_local_to_utc(time_zone, local_seconds).utc_s;
}

CalendarClock::CalendarClock(const Calendar& calendar, std::string time_zone, std::int64_t start_utc_s)
    : calendar_(calendar), zone_(std::move(time_zone)), start_utc_s_(start_utc_s) {
  if (!calendar_.always) (void)time_zone_offset_s(zone_, 0);  // throws for an unknown zone
  holidays_.reserve(calendar_.holidays.size());  // one allocation (a clock per organisation per run)
  for (const std::string& h : calendar_.holidays)
    if (auto d = parse_civil_date(h)) holidays_.push_back(*d);
  std::sort(holidays_.begin(), holidays_.end());
}

std::optional<CalendarClock::Window> CalendarClock::window_of_local_day(std::int64_t day) const {
  const int wd = weekday_from_days(day);
  if ((calendar_.weekdays & (1u << wd)) == 0) return std::nullopt;
  if (std::binary_search(holidays_.begin(), holidays_.end(), day)) return std::nullopt;
  const std::int64_t open_s = calendar_.open.us() / 1'000'000;
  std::int64_t close_s = calendar_.close.us() / 1'000'000;
  if (close_s <= open_s) close_s += kDay;
  const std::int64_t start_utc = utc_from_local_seconds(zone_, day * kDay + open_s);
  const std::int64_t end_utc = utc_from_local_seconds(zone_, day * kDay + close_s);
  return Window{(start_utc - start_utc_s_) * 1'000'000, (end_utc - start_utc_s_) * 1'000'000};
}

std::int64_t CalendarClock::local_day_of(SimTime t) const {
  const std::int64_t utc = start_utc_s_ + floor_div(t.us(), 1'000'000);
  return floor_div(utc + local_offset(zone_, utc), kDay);
}

bool CalendarClock::is_open(SimTime t) const {
  if (calendar_.always) return true;
  const std::int64_t day = local_day_of(t);
  for (std::int64_t d = day - 1; d <= day; ++d) {
    if (auto w = window_of_local_day(d); w && w->start_us <= t.us() && t.us() < w->end_us) return true;
  }
  return false;
}

SimTime CalendarClock::next_open(SimTime t) const {
  if (is_open(t)) return t;
  const std::int64_t day = local_day_of(t);
  for (std::int64_t d = day; d <= day + 400; ++d) {
    if (auto w = window_of_local_day(d); w && w->start_us >= t.us()) return SimTime::from_us(w->start_us);
  }
  return SimTime::max();
}

SimTime CalendarClock::next_available(SimTime t) const {
  if (calendar_.always || is_open(t)) return t;
  const SimTime opening = next_open(t);
  if (calendar_.on_call) return std::min(saturating_add(t, calendar_.callout), opening);
  return opening;
}

}  // namespace cyberdrill
