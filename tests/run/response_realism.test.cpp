// The response model on the shipped Belgian exercises: reporting regimes and background load by
// era, incidents that group, crisis triage in minutes, decisions taken by people.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <vector>

#include "cyberdrill/run.hpp"
#include "run_helpers.hpp"

using namespace cyberdrill;
using namespace cyberdrill::testing;

namespace {

std::filesystem::path exercise(const char* name) { return source_dir() / "scenarios" / "belgium" / name; }

RunResult run(const Scenario& sc, std::uint64_t seed, bool records = true) {
  RunOptions o;
  o.seed = seed;
  o.keep_records = records;
  return run_scenario(sc, o);
}

double median(std::vector<double> v) {
  if (v.empty()) return -1;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

}  // namespace

TEST_CASE("the plan's era sets the regimes in force and the background rate") {
  const Scenario nis2 = load(exercise("grid-blackout.json"));
  const Scenario old = load(exercise("grid-blackout.json"), exercise("plan-2017.json"));
  // 2016: about 1,300 reports a month; 2025: 635 incidents at national level a year.
  CHECK(old.background.rate_per_day == doctest::Approx(43.0));
  CHECK(nis2.background.rate_per_day == doctest::Approx(635.0 / 365.0).epsilon(0.01));
  CHECK(nis2.plan.regimes == std::vector<Regime>{Regime::nis2, Regime::dora, Regime::gdpr});
  CHECK(old.plan.regimes == std::vector<Regime>{Regime::national});
  for (const Obligation& o : old.plan.obligations) CHECK(o.regime_kind == Regime::national);
  std::set<ReportType> types;
  for (const Obligation& o : nis2.plan.obligations) types.insert(o.report);
  CHECK(types.count(ReportType::early_warning) == 1);
  CHECK(types.count(ReportType::notification) == 1);
  CHECK(types.count(ReportType::final_report) == 1);
  CHECK(types.count(ReportType::initial_notification) == 1);
  CHECK(types.count(ReportType::breach_notification) == 1);
}

TEST_CASE("the flagship under NIS2 files each report type on its own, GDPR only for breaches") {
  const Scenario sc = load(exercise("grid-blackout.json"));
  const RunResult r = run(sc, sc.metadata.seed);
  std::set<std::uint32_t> types;
  for (const TraceRecord& rec : r.records)
    if (rec.kind == RecordKind::report_filed) types.insert(rec.detail);
  CHECK(types.count(static_cast<std::uint32_t>(ReportType::early_warning)) == 1);
  // No step of the flagship exfiltrates and no asset declares personal data: no GDPR clock.
  for (const ObligationClock& c : r.metrics.obligations) CHECK(sc.plan.obligations[c.obligation].regime_kind != Regime::gdpr);
}

TEST_CASE("the ISP DDoS is one or a few incidents, triaged once each") {
  const Scenario sc = load(exercise("isp-ddos.json"));
  const RunResult r = run(sc, sc.metadata.seed);
  std::set<Index> groups;
  for (const IncidentInfo& i : r.incidents) groups.insert(i.group);
  std::size_t triaged = 0;
  for (const TraceRecord& rec : r.records)
    triaged += rec.kind == RecordKind::triaged && rec.subject < kBackgroundIncidentBase ? 1 : 0;
  MESSAGE("isp-ddos: " << r.incidents.size() << " detections in " << groups.size() << " incidents, " << triaged
                       << " triaged");
  CHECK(r.incidents.size() > 10);  // many organisations cut off
  CHECK(groups.size() <= 3);
  CHECK(triaged <= groups.size());
}

TEST_CASE("under the NIS2 plan a crisis incident waits minutes for triage, not hours") {
  const Scenario sc = load(exercise("grid-blackout.json"));
  std::vector<double> waits_h;
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    const RunResult r = run(sc, seed);
    for (const TraceRecord& rec : r.records)
      if (rec.kind == RecordKind::triaged && rec.subject < kBackgroundIncidentBase)
        waits_h.push_back(rec.duration.to_hours());
  }
  REQUIRE(!waits_h.empty());
  const double m = median(waits_h);
  MESSAGE("flagship, plan-nis2: median triage wait " << m * 60 << " min over " << waits_h.size() << " incidents");
  CHECK(m <= 1.0);
}

TEST_CASE("decisions_on_time_fraction varies over 30 seeds of the flagship") {
  const Scenario sc = load(exercise("grid-blackout.json"));
  std::set<double> fractions;
  double sum = 0;
  int n = 0;
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    const RunResult r = run(sc, seed, false);
    const auto f = r.metrics.values.at("decisions_on_time_fraction");
    if (!f) continue;
    fractions.insert(*f);
    sum += *f;
    ++n;
  }
  MESSAGE("flagship: decisions_on_time_fraction takes " << fractions.size() << " values over 30 seeds, mean "
                                                         << (n > 0 ? sum / n : -1));
  CHECK(fractions.size() >= 2);
  CHECK(n > 0);
  CHECK(sum / n < 1.0);
}

TEST_CASE("the government does not warn the public before a report reached it") {
  const Scenario sc = load(exercise("grid-blackout.json"));
  Index gov = kNone;
  for (Index i = 0; i < sc.organisations.size(); ++i)
    if (sc.organisations[i].id == "government") gov = i;
  REQUIRE(gov != kNone);
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const RunResult r = run(sc, seed);
    std::optional<SimTime> first_known, decided;
    for (const TraceRecord& rec : r.records) {
      if (rec.kind == RecordKind::knowledge && rec.actor == gov && !first_known) first_known = rec.time;
      if (rec.kind == RecordKind::decision_taken && rec.actor == gov && !decided) decided = rec.time;
    }
    if (decided) {
      REQUIRE(first_known.has_value());
      CHECK(*decided > *first_known);
    }
  }
}
