// --max-events and --max-sim-time for the commands that simulate (run, batch, live): caps that
// stop a runaway scenario with a clear message (exit 2, nothing written) instead of eating the
// machine's memory. Defaults: kDefaultMaxEvents, kDefaultMaxSimTime (include/cyberdrill/run.hpp).
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>

#include "commands.hpp"
#include "cyberdrill/run.hpp"
#include "cyberdrill/time.hpp"
#include "integer_range.hpp"

namespace cyberdrill::cli {

struct RunCaps {
  std::int64_t max_events = static_cast<std::int64_t>(kDefaultMaxEvents);
  std::string max_sim_time = format_duration(kDefaultMaxSimTime);
};

inline void add_cap_options(CLI::App* sub, RunCaps& caps) {
  sub->add_option("--max-events", caps.max_events,
                  "Stop with an error (exit 2, nothing written) after this many engine events per run (0 = no cap; "
                  "default " + std::to_string(kDefaultMaxEvents) + ")")
      ->check(integer_range(0, INT64_MAX));
  sub->add_option("--max-sim-time", caps.max_sim_time,
                  "Refuse (exit 2, nothing written) a run longer than this in simulated time, e.g. 30d, 52w "
                  "(0 = no cap; default " + format_duration(kDefaultMaxSimTime) + ")");
}

/// Sets the caps on `ro`; throws UsageError for an unreadable --max-sim-time.
inline void apply_caps(const RunCaps& caps, RunOptions& ro) {
  ro.max_events = static_cast<std::uint64_t>(caps.max_events);
  const DurationParse d = try_parse_duration(caps.max_sim_time);
  if (!d) throw UsageError("--max-sim-time " + caps.max_sim_time + ": " + d.error);
  if (d.value->us() == 0) ro.max_sim_time.reset();
  else ro.max_sim_time = *d.value;
}

/// The hint appended to a LimitExceeded message.
inline std::string cap_hint() {
  return "; raise --max-events / --max-sim-time (0 = no cap) if the scenario is meant to be this large";
}

}  // namespace cyberdrill::cli
