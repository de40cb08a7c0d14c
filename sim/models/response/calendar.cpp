#include "cyberdrill/calendar.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

namespace cyberdrill {

namespace {

constexpr std::int64_t kDay = 86'400;
constexpr std::int64_t kHour = 3'600;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

constexpr std::array<std::string_view, 33> kCetZones = {
    "Europe/Amsterdam", "Europe/Andorra",  "Europe/Belgrade",   "Europe/Berlin",     "Europe/Bratislava",
    "Europe/Brussels",  "Europe/Budapest", "Europe/Busingen",   "Europe/Copenhagen", "Europe/Gibraltar",
    "Europe/Ljubljana", "Europe/Luxembourg", "Europe/Madrid",   "Europe/Malta",      "Europe/Monaco",
    "Europe/Oslo",      "Europe/Paris",    "Europe/Podgorica",  "Europe/Prague",     "Europe/Rome",
    "Europe/San_Marino", "Europe/Sarajevo", "Europe/Skopje",    "Europe/Stockholm",  "Europe/Tirane",
    "Europe/Vaduz",     "Europe/Vatican",  "Europe/Vienna",     "Europe/Warsaw",     "Europe/Zagreb",
    "Europe/Zurich",    "Arctic/Longyearbyen", "Africa/Ceuta"};
constexpr std::array<std::string_view, 9> kWetZones = {
    "Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Guernsey", "Europe/Isle_of_Man",
    "Europe/Jersey", "Atlantic/Canary", "Atlantic/Faroe", "Atlantic/Madeira"};
constexpr std::array<std::string_view, 11> kEetZones = {
    "Europe/Athens", "Europe/Bucharest", "Europe/Helsinki", "Europe/Kiev", "Europe/Kyiv", "Europe/Mariehamn",
    "Europe/Riga", "Europe/Sofia", "Europe/Tallinn", "Europe/Vilnius", "Asia/Nicosia"};

template <std::size_t N>
bool in(const std::array<std::string_view, N>& list, std::string_view z) {
  return std::find(list.begin(), list.end(), z) != list.end();
}

// Zone description: a standard offset and whether the EU summer-time rule applies.
struct ZoneRule {
  std::int64_t standard_s = 0;
  bool eu_dst = false;
};

std::optional<ZoneRule> parse_zone(std::string_view z) {
  if (z == "UTC" || z == "Etc/UTC" || z == "GMT" || z == "Z") return ZoneRule{0, false};
  if (in(kCetZones, z)) return ZoneRule{kHour, true};
  if (in(kWetZones, z)) return ZoneRule{0, true};
  if (in(kEetZones, z)) return ZoneRule{2 * kHour, true};
  // "+hh:mm" / "-hh:mm"
  if (z.size() == 6 && (z[0] == '+' || z[0] == '-') && z[3] == ':') {
    auto digit = [&](std::size_t i) { return z[i] >= '0' && z[i] <= '9'; };
    if (!digit(1) || !digit(2) || !digit(4) || !digit(5)) return std::nullopt;
    const int hh = (z[1] - '0') * 10 + (z[2] - '0');
    const int mm = (z[4] - '0') * 10 + (z[5] - '0');
    if (mm >= 60 || hh * 60 + mm > 14 * 60) return std::nullopt;
    const std::int64_t off = static_cast<std::int64_t>(hh) * kHour + static_cast<std::int64_t>(mm) * 60;
    return ZoneRule{z[0] == '-' ? -off : off, false};
  }
  return std::nullopt;
}

// UTC seconds of the last Sunday of `month` (March or October, both 31 days) at 01:00 UTC.
std::int64_t last_sunday_0100_utc(std::int64_t year, unsigned month) {
  std::int64_t d = days_from_civil(year, month, 31);
  d -= (weekday_from_days(d) + 1) % 7;  // back to Sunday (weekday 6)
  return d * kDay + kHour;
}

std::int64_t year_of_days(std::int64_t days) {
  // Inverse of days_from_civil, year only (Hinnant's civil_from_days).
  const std::int64_t z = days + 719468;
  const std::int64_t era = floor_div(z, 146097);
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  return yoe + era * 400 + (m <= 2 ? 1 : 0);
}

std::int64_t offset_of(const ZoneRule& rule, std::int64_t utc_s) {
  if (!rule.eu_dst) return rule.standard_s;
  const std::int64_t year = year_of_days(floor_div(utc_s, kDay));
  const bool summer = utc_s >= last_sunday_0100_utc(year, 3) && utc_s < last_sunday_0100_utc(year, 10);
  return rule.standard_s + (summer ? kHour : 0);
}

ZoneRule zone_or_throw(std::string_view z) {
  auto rule = parse_zone(z);
  if (!rule) throw std::invalid_argument("unknown time zone \"" + std::string(z) +
                                         "\" (expected UTC, +hh:mm or a European IANA zone)");
  return *rule;
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

bool is_known_time_zone(std::string_view time_zone) { return parse_zone(time_zone).has_value(); }

std::int64_t local_offset(std::string_view time_zone, std::int64_t utc_seconds) {
  return offset_of(zone_or_throw(time_zone), utc_seconds);
}

std::int64_t utc_from_local_seconds(std::string_view time_zone, std::int64_t local_seconds) {
  const ZoneRule rule = zone_or_throw(time_zone);
  // Try the offset in force just before (standard or summer); the first consistent one wins, so
  // a repeated autumn hour resolves to summer time.
  const std::int64_t summer = rule.standard_s + (rule.eu_dst ? kHour : 0);
  for (std::int64_t off : {summer, rule.standard_s}) {
    const std::int64_t u = local_seconds - off;
    if (offset_of(rule, u) == off) return u;
  }
  // Skipped by the spring change: use the offset before it (standard time).
  return local_seconds - rule.standard_s;
}

CalendarClock::CalendarClock(const Calendar& calendar, std::string time_zone, std::int64_t start_utc_s)
    : calendar_(calendar), zone_(std::move(time_zone)), start_utc_s_(start_utc_s) {
  if (!calendar_.always) (void)zone_or_throw(zone_);
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
