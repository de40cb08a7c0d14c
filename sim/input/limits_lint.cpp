#include "limits_lint.hpp"

#include <cmath>
#include <cstdio>
#include <string>

#include "cyberdrill/limits.hpp"
#include "cyberdrill/time.hpp"

namespace cyberdrill::io {
namespace {

using Severity = Diagnostic::Severity;

std::string q(const std::string& s) { return "\"" + s + "\""; }

std::string number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, v >= 1e4 ? "%.0f" : "%.4g", v);
  return buf;
}

/// A horizon or limit in whole days when it is one ("400d", not "57w1d").
std::string days_text(Duration d) {
  const std::int64_t day = Duration::days(1).us();
  return d.us() % day == 0 ? std::to_string(d.us() / day) + "d" : format_duration(d);
}

/// The merged document's element `i` of the top-level array `key`, or nullptr.
const Value* element(const Composition& c, const char* key, std::size_t i) {
  const Value* a = c.root.find(key);
  if (a == nullptr || !a->is_array() || i >= a->size()) return nullptr;
  return &(*a)[i];
}

/// Pointer of an at-time trigger inside `/key/i`: its "time" field when written that way
/// (injects), else "when/at".
std::string time_pointer(const Composition& c, const char* key, std::size_t i) {
  const std::string base = "/" + std::string(key) + "/" + std::to_string(i);
  const Value* e = element(c, key, i);
  if (e != nullptr && e->is_object() && e->find("time") != nullptr) return base + "/time";
  return base + "/when/at";
}

}  // namespace

void check_limits_and_lint(Composition& c, const Scenario& s) {
  const Duration horizon = s.metadata.duration;
  const double rate = s.background.rate_per_day;

  // Hard limits.
  if (horizon > kMaxHorizon)
    c.report(Severity::error, "/metadata/duration",
             "horizon " + days_text(horizon) + " is longer than the limit of " + days_text(kMaxHorizon) +
                 " (10 years): the model's staff, rates and plans do not hold over that time");
  if (rate > kMaxBackgroundRatePerDay)
    c.report(Severity::error, "/background/rate_per_day",
             "rate_per_day " + number(rate) + " is above the limit of " + number(kMaxBackgroundRatePerDay) +
                 " tickets a day (about 12 a second)");
  if (c.has_errors()) return;

  // Horizons and rates that cannot finish under the default caps, or are implausible.
  if (horizon > kDefaultMaxSimTime)
    c.report(Severity::warning, "/metadata/duration",
             "horizon " + days_text(horizon) + " is longer than the default run cap of " +
                 days_text(kDefaultMaxSimTime) + ": run, batch and live refuse it unless --max-sim-time is raised");
  if (rate > kPlausibleBackgroundRatePerDay)
    c.report(Severity::warning, "/background/rate_per_day",
             "rate_per_day " + number(rate) + " is implausible for a national CSIRT (CERT.be: about 43 a day in 2016 with vendor feeds"
             "); more than " + number(kPlausibleBackgroundRatePerDay) + " a day is likely a unit error");
  const double days = static_cast<double>(horizon.us()) / static_cast<double>(Duration::days(1).us());
  const double tickets = rate * days;
  if (tickets * 2 > static_cast<double>(kDefaultMaxEvents))  // an arrival and a completion each
    c.report(Severity::warning, "/background/rate_per_day",
             "about " + number(tickets) + " background tickets over the horizon (" + number(2 * tickets) +
                 " events) exceed the default cap of " + std::to_string(kDefaultMaxEvents) +
                 " events: runs stop unless --max-events is raised");

  // Timed injects and decisions after the horizon.
  const SimTime end = SimTime::zero() + horizon;
  for (std::size_t i = 0; i < s.injects.size(); ++i) {
    const Inject& inj = s.injects[i];
    if (inj.when.kind == Trigger::Kind::at_time && inj.when.at > end)
      c.report(Severity::warning, time_pointer(c, "injects", i),
               "inject " + q(inj.id) + " is timed at " + format_sim_time(inj.when.at) + ", after the horizon (" +
                   format_sim_time(end) + "): it is never delivered");
  }
  for (std::size_t i = 0; i < s.decisions.size(); ++i) {
    const Decision& d = s.decisions[i];
    if (d.when.kind != Trigger::Kind::at_time) continue;
    if (d.when.at > end) {
      c.report(Severity::warning, time_pointer(c, "decisions", i),
               "decision " + q(d.id) + " is asked at " + format_sim_time(d.when.at) + ", after the horizon (" +
                   format_sim_time(end) + "): it is never asked");
    } else if (d.deadline > Duration::zero() && saturating_add(d.when.at, d.deadline) > end) {
      const Value* e = element(c, "decisions", i);
      const bool has_deadline = e != nullptr && e->is_object() && e->find("deadline") != nullptr;
      c.report(Severity::warning, "/decisions/" + std::to_string(i) + (has_deadline ? "/deadline" : ""),
               "decision " + q(d.id) + "'s deadline " + format_sim_time(saturating_add(d.when.at, d.deadline)) +
                   " falls after the horizon (" + format_sim_time(end) +
                   "): if nobody decides, the run ends before its default is applied");
    }
  }
}

}  // namespace cyberdrill::io
