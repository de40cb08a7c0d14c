// Time zones through the system tz database (include/cyberdrill/zones.hpp).
#include "cyberdrill/zones.hpp"

#include <date/tz.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <stdexcept>

namespace cyberdrill {
namespace {

/// "+hh:mm" / "-hh:mm" within +-14:00 -> seconds.
std::optional<std::int64_t> fixed_offset(std::string_view z) {
  if (z == "UTC" || z == "Etc/UTC" || z == "GMT" || z == "Z") return 0;
  if (z.size() != 6 || (z[0] != '+' && z[0] != '-') || z[3] != ':') return std::nullopt;
  for (std::size_t i : {1u, 2u, 4u, 5u})
    if (z[i] < '0' || z[i] > '9') return std::nullopt;
  const int h = (z[1] - '0') * 10 + (z[2] - '0');
  const int m = (z[4] - '0') * 10 + (z[5] - '0');
  if (m > 59 || h * 60 + m > 14 * 60) return std::nullopt;
  const std::int64_t s = (h * 60 + m) * 60;
  return z[0] == '-' ? -s : s;
}

/// The tz database zone, or nullptr when the name is not in it. Never throws.
const date::time_zone* iana_zone(std::string_view name) {
  if (name.empty() || name.size() > 64) return nullptr;
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;
  }
}

[[noreturn]] void unknown(std::string_view zone) {
  throw std::invalid_argument("unknown time zone \"" + std::string(zone) +
                              "\" (expected UTC, +hh:mm or an IANA zone such as Europe/Brussels)");
}

}  // namespace

bool is_time_zone(std::string_view zone) { return fixed_offset(zone).has_value() || iana_zone(zone) != nullptr; }

const std::vector<std::string>& time_zone_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    try {
      const date::tzdb& db = date::get_tzdb();
      for (const date::time_zone& z : db.zones) v.emplace_back(z.name());
#if !USE_OS_TZDB
      for (const date::time_zone_link& l : db.links) v.emplace_back(l.name());
#endif
    } catch (const std::exception&) {
      // no tz database: only UTC and fixed offsets
    }
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return v;
  }();
  return names;
}

std::int64_t time_zone_offset_s(std::string_view zone, std::int64_t utc_s) {
  if (const auto f = fixed_offset(zone)) return *f;
  const date::time_zone* z = iana_zone(zone);
  if (z == nullptr) unknown(zone);
  const date::sys_seconds t{std::chrono::seconds(utc_s)};
  return z->get_info(t).offset.count();
}

LocalInstant time_zone_local_to_utc(std::string_view zone, std::int64_t local_s) {
  LocalInstant r;
  if (const auto f = fixed_offset(zone)) {
    r.utc_s = local_s - *f;
    return r;
  }
  const date::time_zone* z = iana_zone(zone);
  if (z == nullptr) unknown(zone);
  const date::local_seconds t{std::chrono::seconds(local_s)};
  const date::local_info info = z->get_info(t);
  // In every case `first` is the offset in force before the instant (or the only one).
  r.utc_s = local_s - info.first.offset.count();
  if (info.result == date::local_info::nonexistent) r.kind = LocalInstant::Kind::skipped;
  if (info.result == date::local_info::ambiguous) r.kind = LocalInstant::Kind::repeated;
  return r;
}

}  // namespace cyberdrill
