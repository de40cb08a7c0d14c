#include "time_zone.hpp"

#include <algorithm>
#include <array>

namespace cyberdrill::io {
namespace {

struct Zone {
  const char* name;
  int standard_offset_h;
};

// Zones following the EU rule (Directive 2000/84/EC), with their standard (winter) offset.
constexpr std::array<Zone, 47> kZones{{
    {"Atlantic/Canary", 0},     {"Atlantic/Faroe", 0},       {"Atlantic/Madeira", 0},     {"Europe/Dublin", 0},
    {"Europe/Guernsey", 0},     {"Europe/Isle_of_Man", 0},   {"Europe/Jersey", 0},        {"Europe/Lisbon", 0},
    {"Europe/London", 0},       {"Africa/Ceuta", 1},         {"Arctic/Longyearbyen", 1},  {"Europe/Amsterdam", 1},
    {"Europe/Andorra", 1},      {"Europe/Belgrade", 1},      {"Europe/Berlin", 1},        {"Europe/Bratislava", 1},
    {"Europe/Brussels", 1},     {"Europe/Budapest", 1},      {"Europe/Busingen", 1},      {"Europe/Copenhagen", 1},
    {"Europe/Gibraltar", 1},    {"Europe/Ljubljana", 1},     {"Europe/Luxembourg", 1},    {"Europe/Madrid", 1},
    {"Europe/Malta", 1},        {"Europe/Monaco", 1},        {"Europe/Oslo", 1},          {"Europe/Paris", 1},
    {"Europe/Podgorica", 1},    {"Europe/Prague", 1},        {"Europe/Rome", 1},          {"Europe/San_Marino", 1},
    {"Europe/Sarajevo", 1},     {"Europe/Skopje", 1},        {"Europe/Stockholm", 1},     {"Europe/Tirane", 1},
    {"Europe/Vaduz", 1},        {"Europe/Vatican", 1},       {"Europe/Vienna", 1},        {"Europe/Warsaw", 1},
    {"Europe/Zagreb", 1},       {"Europe/Zurich", 1},        {"Asia/Nicosia", 2},         {"Europe/Athens", 2},
    {"Europe/Bucharest", 2},    {"Europe/Helsinki", 2},      {"Europe/Kyiv", 2},
}};
constexpr std::array<Zone, 6> kMoreEet{{
    {"Europe/Kiev", 2}, {"Europe/Mariehamn", 2}, {"Europe/Riga", 2},
    {"Europe/Sofia", 2}, {"Europe/Tallinn", 2}, {"Europe/Vilnius", 2},
}};

const Zone* find_zone(std::string_view name) {
  for (const Zone& z : kZones)
    if (name == z.name) return &z;
  for (const Zone& z : kMoreEet)
    if (name == z.name) return &z;
  return nullptr;
}

bool digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}
int num(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

/// "+HH:MM" / "-HH:MM" -> seconds.
std::optional<std::int64_t> fixed_offset(std::string_view z) {
  if (z.size() != 6 || (z[0] != '+' && z[0] != '-') || z[3] != ':' || !digits(z.substr(1, 2)) || !digits(z.substr(4, 2)))
    return std::nullopt;
  const int h = num(z.substr(1, 2));
  const int m = num(z.substr(4, 2));
  if (m > 59 || h * 60 + m > 14 * 60) return std::nullopt;
  const std::int64_t s = (h * 60 + m) * 60;
  return z[0] == '-' ? -s : s;
}

/// Weekday of a day count since the epoch, 0 = Monday (1970-01-01 was a Thursday).
int weekday(std::int64_t days) { return static_cast<int>(((days % 7) + 7 + 3) % 7); }

/// Day count of the last Sunday of month m in year y.
std::int64_t last_sunday(std::int64_t y, unsigned m) {
  const std::int64_t first_next = m == 12 ? days_from_civil(y + 1, 1, 1) : days_from_civil(y, m + 1, 1);
  std::int64_t d = first_next - 1;
  while (weekday(d) != 6) --d;
  return d;
}

bool eu_summer_time(std::int64_t utc_s) {
  // Year of the UTC instant.
  const std::int64_t days = utc_s >= 0 ? utc_s / 86400 : (utc_s - 86399) / 86400;
  std::int64_t y = 1970 + days / 366;  // lower bound, then walk forward
  while (days_from_civil(y + 1, 1, 1) <= days) ++y;
  const std::int64_t begin = last_sunday(y, 3) * 86400 + 3600;
  const std::int64_t end = last_sunday(y, 10) * 86400 + 3600;
  return utc_s >= begin && utc_s < end;
}

}  // namespace

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::optional<std::int64_t> parse_date(std::string_view t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-' || !digits(t.substr(0, 4)) || !digits(t.substr(5, 2)) ||
      !digits(t.substr(8, 2)))
    return std::nullopt;
  const int y = num(t.substr(0, 4));
  const int m = num(t.substr(5, 2));
  const int d = num(t.substr(8, 2));
  if (y < 1970 || m < 1 || m > 12 || d < 1) return std::nullopt;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  const int max_d = kDays[m - 1] + (m == 2 && leap ? 1 : 0);
  if (d > max_d) return std::nullopt;
  return days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

bool is_supported_zone(std::string_view zone) {
  return zone == "UTC" || fixed_offset(zone).has_value() || find_zone(zone) != nullptr;
}

const std::vector<std::string>& supported_zone_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const Zone& z : kZones) v.emplace_back(z.name);
    for (const Zone& z : kMoreEet) v.emplace_back(z.name);
    std::sort(v.begin(), v.end());
    return v;
  }();
  return names;
}

std::int64_t utc_offset_s(std::string_view zone, std::int64_t utc_s) {
  if (const auto f = fixed_offset(zone)) return *f;
  const Zone* z = find_zone(zone);
  if (z == nullptr) return 0;
  return z->standard_offset_h * 3600 + (eu_summer_time(utc_s) ? 3600 : 0);
}

LocalToUtc local_to_utc(std::string_view local, std::string_view zone) {
  LocalToUtc r;
  const std::string expected = "expected a local date-time \"YYYY-MM-DDTHH:MM\" (seconds optional), got \"" +
                               std::string(local) + "\"";
  if ((local.size() != 16 && local.size() != 19) || (local[10] != 'T' && local[10] != 't')) {
    r.error = expected;
    return r;
  }
  const auto day = parse_date(local.substr(0, 10));
  if (!day || local[13] != ':' || !digits(local.substr(11, 2)) || !digits(local.substr(14, 2)) ||
      (local.size() == 19 && (local[16] != ':' || !digits(local.substr(17, 2))))) {
    r.error = expected + " (a real calendar date, years 1970-9999)";
    return r;
  }
  const int hh = num(local.substr(11, 2));
  const int mm = num(local.substr(14, 2));
  const int ss = local.size() == 19 ? num(local.substr(17, 2)) : 0;
  if (hh > 23 || mm > 59 || ss > 59) {
    r.error = expected + " (time of day out of range)";
    return r;
  }
  const std::int64_t local_s = *day * 86400 + hh * 3600 + mm * 60 + ss;
  if (zone == "UTC") {
    r.utc_s = local_s;
    return r;
  }
  if (const auto f = fixed_offset(zone)) {
    r.utc_s = local_s - *f;
    return r;
  }
  const Zone* z = find_zone(zone);
  if (z == nullptr) {
    r.error = "unknown time zone \"" + std::string(zone) + "\"";
    return r;
  }
  const std::int64_t std_off = z->standard_offset_h * 3600;
  const std::int64_t as_winter = local_s - std_off;         // instant if standard time applies
  const std::int64_t as_summer = local_s - std_off - 3600;  // instant if summer time applies
  const bool winter_ok = !eu_summer_time(as_winter);
  const bool summer_ok = eu_summer_time(as_summer);
  if (summer_ok && winter_ok) {
    r.utc_s = as_summer;
    r.warning = "local time " + std::string(local) + " occurs twice in " + std::string(zone) +
                " (clocks go back): the first, summer-time instant is used";
  } else if (summer_ok) {
    r.utc_s = as_summer;
  } else if (winter_ok) {
    r.utc_s = as_winter;
  } else {
    r.error = "local time " + std::string(local) + " does not exist in " + std::string(zone) +
              " (clocks go forward one hour)";
  }
  return r;
}

}  // namespace cyberdrill::io
