// Text formatting shared by the report builder and its renderers (private to sim/report).
// Plain text only: escaping is the renderers' job.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cyberdrill/time.hpp"

namespace cyberdrill::report_text {

/// printf into a std::string (the format is always a literal of ours).
[[nodiscard]] std::string format(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

/// "6.3 h" (one decimal; "0.0 h" for tiny values); "never" when empty.
[[nodiscard]] std::string hours(std::optional<double> h);

/// Scenario clock to the minute: "T+06:52", "T+1d 13:51" (rounded down to the minute).
[[nodiscard]] std::string clock(SimTime t);
/// SimTime from hours since T+0 (rounded to the microsecond).
[[nodiscard]] SimTime from_hours(double h);

/// Local wall clock of a run instant: "Tue 15 Dec 2026 13:52" in the scenario's zone (falls back
/// to UTC, marked " UTC", when the zone is unknown).
[[nodiscard]] std::string wall_clock(SimTime t, std::int64_t start_utc_s, const std::string& zone);

/// "YYYY-MM-DD" of a day number (days since 1970-01-01).
[[nodiscard]] std::string civil_date(std::int64_t days);

/// 24182192 -> "24,182,192" (rounded to an integer).
[[nodiscard]] std::string thousands(double v);

/// "a, b and c"; "" for none.
[[nodiscard]] std::string join_and(const std::vector<std::string>& items);
[[nodiscard]] std::string join(const std::vector<std::string>& items, const std::string& sep);

/// "1 incident" / "3 incidents".
[[nodiscard]] std::string plural(long n, const std::string& one, const std::string& many);

/// The report's stylesheet (render.cpp), shared by the comparison page (compare.cpp).
[[nodiscard]] const char* stylesheet();

/// 0.875 -> "88 %".
[[nodiscard]] std::string percent(double fraction);

}  // namespace cyberdrill::report_text
