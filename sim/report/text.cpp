#include "text.hpp"

#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <exception>

#include "cyberdrill/calendar.hpp"

namespace cyberdrill::report_text {

std::string format(const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  va_list copy;
  va_copy(copy, args);
  const int n = std::vsnprintf(nullptr, 0, fmt, copy);
  va_end(copy);
  std::string out(n > 0 ? static_cast<std::size_t>(n) : 0U, '\0');
  if (n > 0) std::vsnprintf(out.data(), out.size() + 1, fmt, args);
  va_end(args);
  return out;
}

std::string hours(std::optional<double> h) {
  if (!h) return "never";
  return format("%.1f h", *h);
}

std::string clock(SimTime t) {
  std::int64_t us = t.us();
  const bool negative = us < 0;
  if (negative) us = -us;
  const std::int64_t minutes = us / 60'000'000;
  const std::int64_t days = minutes / (24 * 60);
  const std::int64_t hh = (minutes / 60) % 24;
  const std::int64_t mm = minutes % 60;
  const char* sign = negative ? "T-" : "T+";
  if (days > 0) return format("%s%lldd %02lld:%02lld", sign, static_cast<long long>(days), static_cast<long long>(hh),
                              static_cast<long long>(mm));
  return format("%s%02lld:%02lld", sign, static_cast<long long>(hh), static_cast<long long>(mm));
}

SimTime from_hours(double h) { return SimTime::from_us(static_cast<std::int64_t>(std::llround(h * 3.6e9))); }

namespace {

struct Civil {
  std::int64_t y;
  unsigned m;
  unsigned d;
};

// Hinnant's civil_from_days.
Civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<std::uint64_t>(z - era * 146097);
  const std::uint64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const std::uint64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::uint64_t mp = (5 * doy + 2) / 153;
  const auto d = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
  const auto m = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
  return {m <= 2 ? y + 1 : y, m, d};
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

std::string civil_date(std::int64_t days) {
  const Civil c = civil_from_days(days);
  return format("%04lld-%02u-%02u", static_cast<long long>(c.y), c.m, c.d);
}

std::string wall_clock(SimTime t, std::int64_t start_utc_s, const std::string& zone) {
  const std::int64_t utc = start_utc_s + floor_div(t.us(), 1'000'000);
  std::int64_t offset = 0;
  bool known = true;
  try {
    offset = local_offset(zone, utc);
  } catch (const std::exception&) {
    known = false;
  }
  const std::int64_t local = utc + offset;
  const std::int64_t day = floor_div(local, 86400);
  const std::int64_t sec = local - day * 86400;
  const Civil c = civil_from_days(day);
  static constexpr const char* kWeekday[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  static constexpr const char* kMonth[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  return format("%s %u %s %lld %02lld:%02lld%s", kWeekday[weekday_from_days(day)], c.d, kMonth[c.m - 1],
                static_cast<long long>(c.y), static_cast<long long>(sec / 3600), static_cast<long long>(sec / 60 % 60),
                known ? "" : " UTC");
}

std::string thousands(double v) {
  const long long n = std::llround(v);
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  const std::size_t len = digits.size();
  for (std::size_t i = 0; i < len; ++i) {
    out += digits[i];
    const std::size_t rest = len - 1 - i;
    if (rest > 0 && rest % 3 == 0) out += ',';
  }
  return n < 0 ? "-" + out : out;
}

std::string join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += sep;
    out += items[i];
  }
  return out;
}

std::string join_and(const std::vector<std::string>& items) {
  if (items.empty()) return {};
  if (items.size() == 1) return items[0];
  std::vector<std::string> head(items.begin(), items.end() - 1);
  return join(head, ", ") + " and " + items.back();
}

std::string plural(long n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string percent(double fraction) { return format("%.0f %%", fraction * 100.0); }

}  // namespace cyberdrill::report_text
