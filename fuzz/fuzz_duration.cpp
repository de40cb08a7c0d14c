// libFuzzer target: the planner's time units ("1h30m", "2d 4h", "-4h") and the scenario clock
// ("T+2d 03:15:20.250000", "T+02:30"). Contract: never crashes or throws; a parsed duration
// formats back to text that parses to the same value; a parsed clock time formats back to text
// that parses to the same time; a failure always says why.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "cyberdrill/time.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const bool negative : {false, true}) {
    const cyberdrill::DurationParse d = cyberdrill::try_parse_duration(text, negative);
    if (!d) {
      if (d.error.empty()) std::abort();
      continue;
    }
    if (!negative && d.value->us() < 0) std::abort();
    const cyberdrill::DurationParse back = cyberdrill::try_parse_duration(cyberdrill::format_duration(*d.value), true);
    if (!back || *back.value != *d.value) std::abort();
  }
  std::string error;
  if (const auto t = cyberdrill::try_parse_sim_time(text, &error)) {
    const auto back = cyberdrill::try_parse_sim_time(cyberdrill::format_sim_time(*t));
    if (!back || *back != *t) std::abort();
  } else if (error.empty()) {
    std::abort();
  }
  return 0;
}
