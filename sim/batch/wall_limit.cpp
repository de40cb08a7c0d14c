#include "wall_limit.hpp"

#include <chrono>
#include <cstdio>
#include <string>

#include "cyberdrill/batch.hpp"

namespace cyberdrill::batch {

RunResult run_within_wall_limit(const Scenario& scenario, const RunOptions& options,
                                const std::vector<DrillAction>* drill, double limit_s) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point start = Clock::now();
  const auto limit = std::chrono::duration<double>(limit_s);
  RunSession session(scenario, options);
  auto check = [&] {
    const std::chrono::duration<double> took = Clock::now() - start;
    if (took <= limit) return;
    char buf[160];
    std::snprintf(buf, sizeof buf, "seed %llu: stopped at %s after %llu events and %.3g s of wall clock, over the limit of %g s",
                  static_cast<unsigned long long>(options.seed), format_sim_time(session.now()).c_str(),
                  static_cast<unsigned long long>(session.dispatched()), took.count(), limit_s);
    throw RunTimedOut(buf);
  };
  if (drill != nullptr) {
    for (const DrillAction& a : *drill) {
      (void)session.replay(a);
      check();
    }
  }
  // Step to the end (the same events in the same order as finish() would run), reading the clock
  // every 4,096 events.
  constexpr std::uint64_t kCheckEvery = 4096;
  for (std::uint64_t n = 1; session.step(); ++n)
    if (n % kCheckEvery == 0) check();
  return session.finish();
}

}  // namespace cyberdrill::batch
