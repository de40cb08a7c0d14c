#include "time_zone.hpp"

#include <algorithm>
#include <array>

#include "cyberdrill/zones.hpp"

namespace cyberdrill::io {
namespace {

bool digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}
int num(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
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

bool is_supported_zone(std::string_view zone) { return is_time_zone(zone); }

const std::vector<std::string>& supported_zone_names() { return time_zone_names(); }

std::int64_t utc_offset_s(std::string_view zone, std::int64_t utc_s) {
  return is_time_zone(zone) ? time_zone_offset_s(zone, utc_s) : 0;
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
  if (!is_time_zone(zone)) {
    r.error = "unknown time zone \"" + std::string(zone) + "\"";
    return r;
  }
  const LocalInstant at = time_zone_local_to_utc(zone, local_s);
  switch (at.kind) {
    case LocalInstant::Kind::unique: r.utc_s = at.utc_s; break;
    case LocalInstant::Kind::repeated:
      r.utc_s = at.utc_s;
      r.warning = "local time " + std::string(local) + " occurs twice in " + std::string(zone) +
                  " (clocks go back): the first, summer-time instant is used";
      break;
    case LocalInstant::Kind::skipped:
      r.error = "local time " + std::string(local) + " does not exist in " + std::string(zone) +
                " (clocks go forward one hour)";
      break;
  }
  return r;
}

}  // namespace cyberdrill::io
