#include <cstdio>
#include <stdexcept>

#include "cyberdrill/time.hpp"

namespace cyberdrill {
namespace {

struct Unit {
  std::string_view name;
  std::int64_t us;
};
// Longest names first so "ms" is not read as "m" followed by garbage.
constexpr Unit kUnits[] = {{"us", 1},           {"ms", 1'000},           {"w", 604'800'000'000},
                           {"d", 86'400'000'000}, {"h", 3'600'000'000},    {"m", 60'000'000},
                           {"s", 1'000'000}};
constexpr int rank_of(std::int64_t us) {  // larger units rank lower: must appear in order
  switch (us) {
    case 604'800'000'000: return 0;
    case 86'400'000'000: return 1;
    case 3'600'000'000: return 2;
    case 60'000'000: return 3;
    case 1'000'000: return 4;
    case 1'000: return 5;
    default: return 6;
  }
}

DurationParse fail(std::string msg) { return DurationParse{std::nullopt, std::move(msg)}; }

constexpr std::string_view kExpected =
    "expected a duration such as \"90s\", \"15m\", \"4h\", \"2d\", \"1w\" or \"1h30m\" (also accepted: \"3h30\", "
    "\"03:30\", \"1d 06:00\" and a \"T+\" prefix, as in \"T+3h30\" or \"T+03:30\")";

/// The clock body "[Nd ]H:MM[:SS[.ffffff]]" (hours may exceed 24) as microseconds; the whole of
/// `text` must match. nullopt with `why` set otherwise.
std::optional<std::int64_t> clock_us(std::string_view text, std::string& why) {
  std::size_t i = 0;
  auto number = [&](std::uint64_t& out, std::size_t max_digits) -> bool {
    const std::size_t start = i;
    out = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9' && i - start < max_digits) out = out * 10 + static_cast<std::uint64_t>(text[i++] - '0');
    return i > start;
  };
  std::uint64_t days = 0, hh = 0, mm = 0, ss = 0, frac = 0, first = 0;
  if (!number(first, 9)) return why = "missing hours", std::nullopt;
  if (i < text.size() && text[i] == 'd') {
    days = first;
    ++i;
    while (i < text.size() && text[i] == ' ') ++i;
    if (!number(hh, 9)) return why = "missing hours after days", std::nullopt;
  } else {
    hh = first;
  }
  if (i >= text.size() || text[i] != ':') return why = "missing \":\" between hours and minutes", std::nullopt;
  ++i;
  if (!number(mm, 2) || mm > 59) return why = "minutes must be 00-59", std::nullopt;
  if (i < text.size() && text[i] == ':') {
    ++i;
    if (!number(ss, 2) || ss > 59) return why = "seconds must be 00-59", std::nullopt;
    if (i < text.size() && text[i] == '.') {
      ++i;
      const std::size_t start = i;
      if (!number(frac, 6)) return why = "missing fraction digits", std::nullopt;
      for (std::size_t k = i - start; k < 6; ++k) frac *= 10;
    }
  }
  while (i < text.size() && text[i] == ' ') ++i;
  if (i != text.size()) return why = "unexpected trailing text", std::nullopt;
  // Bounded as a whole (days and hours together), so that every accepted time formats back to text
  // that parses: fuzz_duration found "T+80954d480950:0" (80,954 days + 480,950 h = 100,993 days).
  if (days > 100'000 || hh > 24ULL * 100'000 || days * 24 + hh > 24ULL * 100'000)
    return why = "time too large (at most 100,000 days)", std::nullopt;
  return static_cast<std::int64_t>(((days * 24 + hh) * 60 + mm) * 60'000'000ULL + ss * 1'000'000ULL + frac);
}

}  // namespace

DurationParse try_parse_duration(std::string_view text, bool allow_negative) {
  const std::string quoted = "\"" + std::string(text) + "\"";
  std::size_t i = 0;
  auto skip_space = [&] { while (i < text.size() && text[i] == ' ') ++i; };
  skip_space();
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
    negative = text[i] == '-';
    if (negative && !allow_negative) return fail("negative duration " + quoted + " is not allowed here");
    ++i;
  }
  skip_space();
  // "T+3h30", "T+03:30": a time from T+0 written as a scenario time is that duration.
  if (i + 1 < text.size() && (text[i] == 'T' || text[i] == 't') && text[i + 1] == '+') {
    i += 2;
    skip_space();
  }
  if (i >= text.size()) return fail(std::string(kExpected) + ", got " + quoted);
  if (text.find(':', i) != std::string_view::npos) {  // the clock form "03:30", "1d 06:00"
    std::string why;
    const std::optional<std::int64_t> us = clock_us(text.substr(i), why);
    if (!us) return fail(why + " in " + quoted + ": " + std::string(kExpected));
    return DurationParse{Duration::from_us(negative ? -*us : *us), {}};
  }
  std::int64_t total = 0;
  int last_rank = -1;
  bool any = false;
  while (i < text.size()) {
    if (text[i] < '0' || text[i] > '9') return fail(std::string(kExpected) + ", got " + quoted);
    std::int64_t n = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      const int digit = text[i] - '0';
      if (n > (std::numeric_limits<std::int64_t>::max() - digit) / 10)
        return fail("duration " + quoted + " is too large");
      n = n * 10 + digit;
      ++i;
    }
    std::size_t j = i;
    while (j < text.size() && text[j] >= 'a' && text[j] <= 'z') ++j;
    std::string_view unit = text.substr(i, j - i);
    if (unit.empty()) {
      if (!any && j == text.size() && n == 0) { total = 0; any = true; i = j; break; }  // plain "0"
      // A bare number last, after hours or minutes, is the next unit down: "3h30" is 3h30m.
      std::size_t k = j;
      while (k < text.size() && text[k] == ' ') ++k;
      if (k == text.size() && last_rank == rank_of(3'600'000'000)) unit = "m";
      else if (k == text.size() && last_rank == rank_of(60'000'000)) unit = "s";
      else return fail("missing unit in " + quoted + ": " + std::string(kExpected));
    }
    const Unit* found = nullptr;
    for (const Unit& u : kUnits)
      if (u.name == unit) found = &u;
    if (found == nullptr)
      return fail("unknown unit \"" + std::string(unit) + "\" in " + quoted + ": use w, d, h, m, s, ms or us");
    const int rank = rank_of(found->us);
    if (rank <= last_rank) return fail("units out of order in " + quoted + ": write the largest unit first, each once");
    last_rank = rank;
    if (n > std::numeric_limits<std::int64_t>::max() / found->us ||
        total > std::numeric_limits<std::int64_t>::max() - n * found->us)
      return fail("duration " + quoted + " is too large");
    total += n * found->us;
    any = true;
    i = j;
    skip_space();
  }
  if (!any) return fail(std::string(kExpected) + ", got " + quoted);
  return DurationParse{Duration::from_us(negative ? -total : total), {}};
}

Duration parse_duration(std::string_view text, bool allow_negative) {
  DurationParse p = try_parse_duration(text, allow_negative);
  if (!p) throw std::invalid_argument(p.error);
  return *p.value;
}

std::string format_duration(Duration d) {
  std::int64_t v = d.us();
  if (v == 0) return "0s";
  std::string out;
  std::uint64_t u;
  if (v < 0) {
    out = "-";
    u = static_cast<std::uint64_t>(-(v + 1)) + 1;  // safe for INT64_MIN
  } else {
    u = static_cast<std::uint64_t>(v);
  }
  constexpr struct { const char* name; std::uint64_t us; } order[] = {
      {"w", 604'800'000'000}, {"d", 86'400'000'000}, {"h", 3'600'000'000}, {"m", 60'000'000},
      {"s", 1'000'000},       {"ms", 1'000},         {"us", 1}};
  for (const auto& unit : order) {
    if (u >= unit.us) {
      out += std::to_string(u / unit.us);
      out += unit.name;
      u %= unit.us;
    }
  }
  return out;
}

std::string format_sim_time(SimTime t) {
  std::int64_t v = t.us();
  std::string out = v < 0 ? "T-" : "T+";
  std::uint64_t u = v < 0 ? static_cast<std::uint64_t>(-(v + 1)) + 1 : static_cast<std::uint64_t>(v);
  const std::uint64_t days = u / 86'400'000'000ULL;
  u %= 86'400'000'000ULL;
  const std::uint64_t hh = u / 3'600'000'000ULL;
  u %= 3'600'000'000ULL;
  const std::uint64_t mm = u / 60'000'000ULL;
  u %= 60'000'000ULL;
  const std::uint64_t ss = u / 1'000'000ULL;
  const std::uint64_t frac = u % 1'000'000ULL;
  char buf[64];
  if (days > 0) {
    std::snprintf(buf, sizeof buf, "%llud ", static_cast<unsigned long long>(days));
    out += buf;
  }
  std::snprintf(buf, sizeof buf, "%02llu:%02llu", static_cast<unsigned long long>(hh), static_cast<unsigned long long>(mm));
  out += buf;
  if (ss != 0 || frac != 0) {
    std::snprintf(buf, sizeof buf, ":%02llu", static_cast<unsigned long long>(ss));
    out += buf;
  }
  if (frac != 0) {
    std::snprintf(buf, sizeof buf, ".%06llu", static_cast<unsigned long long>(frac));
    out += buf;
  }
  return out;
}

std::optional<SimTime> try_parse_sim_time(std::string_view text, std::string* error) {
  auto fail = [&](const std::string& m) -> std::optional<SimTime> {
    // A duration from T+0 ("T+3h30", "6h", "3h30m") is that scenario time.
    // Bounded as the clock form is (at most 100,000 days), so every scenario time formats back to
    // text that parses (fuzz_duration found "15250w" = 106,750 days reading but not round-tripping).
    constexpr std::int64_t kMaxUs = 100'000LL * 86'400'000'000LL;
    if (const DurationParse d = try_parse_duration(text); d && d.value->us() <= kMaxUs) return SimTime::zero() + *d.value;
    if (error) *error = m + ": expected a scenario time such as \"T+03:15\", \"T+2d 03:15\" or \"T+49:30\", or a duration "
                        "from T+0 such as \"T+3h30\", \"3h30m\" or \"6h\", got \"" +
                        std::string(text) + "\"";
    return std::nullopt;
  };
  std::size_t i = 0;
  while (i < text.size() && text[i] == ' ') ++i;
  if (text.size() < i + 2 || (text[i] != 'T' && text[i] != 't')) return fail("missing \"T+\"");
  const bool negative = text[i + 1] == '-';
  if (text[i + 1] != '+' && !negative) return fail("missing \"+\" after T");
  std::string why;
  const std::optional<std::int64_t> us = clock_us(text.substr(i + 2), why);
  if (!us) return fail(why);
  const std::int64_t v = *us;
  return SimTime::from_us(negative ? -v : v);
}

}  // namespace cyberdrill
