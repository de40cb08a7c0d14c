// libFuzzer target: the duration distribution parser (a duration "4h" or one of {"lognormal":
// {"median", "p90"}}, {"exponential": {"mean"}}, {"triangular": [min, mode, max]}, {"uniform":
// [low, high]}, {"empirical": [[duration, weight], ...]}) and the distribution it builds. The
// input is the JSON text of one distribution, placed as a procedure step's "duration" in the
// smallest valid scenario (the parser is private to the reader, so it is reached through it).
// Contract checked: the reader never crashes or throws and gives a scenario exactly when there is
// no error; a distribution it accepts samples durations in [0, Duration::max()] that lie inside
// its support (uniform and triangular between their ends, empirical on a table value, fixed on its
// value), and its mean is a duration >= 0.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "cyberdrill/random.hpp"
#include "cyberdrill/scenario_io.hpp"
#include "fuzz_common.hpp"

namespace {

constexpr std::string_view kBefore = R"({"schema_version": 1,
"metadata": {"name": "Fuzz", "start": "2026-03-10T09:00", "time_zone": "UTC", "duration": "1d"},
"sectors": [{"id": "energy", "name": "Energy"}],
"organisations": [{"id": "cert", "name": "CSIRT", "kind": "csirt", "staff": 2, "calendar": "24/7"}],
"assets": [{"id": "grid", "sector": "energy", "population": 1000}],
"plan": {"id": "plan", "levels": [{"id": "baseline", "rank": 0}],
 "procedures": [{"id": "triage", "owner": "cert", "trigger": {"on": "detection"},
  "steps": [{"id": "assess", "duration":
)";
constexpr std::string_view kAfter = "\n}]}]}}\n";

// The support of `d` in microseconds, widened by one microsecond for rounding ([lo, hi]).
void support(const cyberdrill::Distribution& d, double& lo, double& hi) {
  using Kind = cyberdrill::Distribution::Kind;
  lo = 0;
  hi = HUGE_VAL;
  switch (d.kind) {
    case Kind::fixed: lo = hi = d.a; break;
    case Kind::uniform: lo = d.a; hi = d.b; break;
    case Kind::triangular: lo = d.a; hi = d.c; break;
    case Kind::empirical:
      lo = HUGE_VAL;
      hi = -HUGE_VAL;
      for (const auto& [value, weight] : d.table) {
        lo = std::min(lo, value);
        hi = std::max(hi, value);
      }
      break;
    default: break;
  }
  lo = std::max(0.0, lo - 1);
  hi = hi + 1;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string text;
  text.reserve(kBefore.size() + size + kAfter.size());
  text.append(kBefore).append(input).append(kAfter);
  const auto file = cyberdrill::fuzz::scratch("distribution") / "scenario.json";
  cyberdrill::fuzz::write_file(file, text);
  cyberdrill::LoadOptions options;
  options.max_file_bytes = 1 << 20;
  const cyberdrill::LoadResult r = cyberdrill::load_scenario(file, options);
  if (r.scenario.has_value() == r.has_errors()) std::abort();
  for (const auto& d : r.diagnostics)
    if (d.message.empty()) std::abort();
  if (!r.scenario) return 0;
  const auto& procedures = r.scenario->plan.procedures;
  if (procedures.size() != 1 || procedures[0].steps.size() != 1) std::abort();
  const cyberdrill::DurationDist& dist = procedures[0].steps[0].duration;
  double lo = 0, hi = 0;
  support(dist.dist, lo, hi);
  cyberdrill::RandomStream rng(std::uint64_t{size}, "fuzz", "distribution");
  for (int i = 0; i < 16; ++i) {
    const cyberdrill::Duration d = dist.sample(rng);
    if (d < cyberdrill::Duration::zero()) std::abort();
    const double us = static_cast<double>(d.us());
    if (d != cyberdrill::Duration::max() && (us < lo || us > hi)) std::abort();
  }
  if (dist.mean() < cyberdrill::Duration::zero()) std::abort();
  return 0;
}
