// The plan matters: the flagship exercise against plan-2017 and plan-nis2 over several seeds.
#include <doctest/doctest.h>

#include "cyberdrill/run.hpp"
#include "run_helpers.hpp"

using namespace cyberdrill;
using namespace cyberdrill::testing;

namespace {

struct Summary {
  double escalate_h = 0;   // mean over seeds (a run that never escalated counts as the horizon)
  int never_escalated = 0;
  int met = 0;
  int missed = 0;
};

Summary summarise(const Scenario& sc, int seeds) {
  Summary s;
  for (int i = 1; i <= seeds; ++i) {
    RunOptions o;
    o.seed = static_cast<std::uint64_t>(i);
    o.keep_records = false;
    const RunResult r = run_scenario(sc, o);
    const auto esc = r.metrics.values.at("time_to_escalate_h");
    if (!esc) ++s.never_escalated;
    s.escalate_h += esc ? *esc : sc.metadata.duration.to_hours();
    for (const ObligationClock& c : r.metrics.obligations) {
      s.met += c.state == ObligationClock::State::met;
      s.missed += c.state == ObligationClock::State::missed;
    }
  }
  s.escalate_h /= seeds;
  return s;
}

}  // namespace

TEST_CASE("the NIS2 plan escalates earlier and meets more of its obligations than the 2017 plan") {
  const auto ex = flagship();
  REQUIRE(!ex.empty());
  const auto plans = ex.parent_path();
  const Scenario nis2 = load(ex, plans / "plan-nis2.json");
  const Scenario old = load(ex, plans / "plan-2017.json");
  constexpr int kSeeds = 20;
  const Summary a = summarise(old, kSeeds);
  const Summary b = summarise(nis2, kSeeds);
  MESSAGE("plan-2017: escalate " << a.escalate_h << " h (never " << a.never_escalated << "), obligations met " << a.met
                                 << " missed " << a.missed);
  MESSAGE("plan-nis2: escalate " << b.escalate_h << " h (never " << b.never_escalated << "), obligations met " << b.met
                                 << " missed " << b.missed);
  CHECK(b.escalate_h < a.escalate_h);
  const double fa = a.met + a.missed > 0 ? static_cast<double>(a.met) / (a.met + a.missed) : 0.0;
  const double fb = b.met + b.missed > 0 ? static_cast<double>(b.met) / (b.met + b.missed) : 0.0;
  CHECK(b.met + b.missed > 0);
  CHECK(fb > fa);
}
