// The seekable replay state: seeking to a time gives the same state as running the scenario to
// that time (RunSession), and as folding every record up to it, whatever the checkpoint spacing.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "../run/run_helpers.hpp"
#include "cyberdrill/impact.hpp"
#include "cyberdrill/replay.hpp"
#include "cyberdrill/run.hpp"
#include "cyberdrill/session.hpp"

using namespace cyberdrill;
using namespace cyberdrill::testing;

namespace {

// The reference: every record with time <= at folded from T+0 (no checkpoints).
struct Folded {
  std::vector<double> level, believed;
  std::vector<std::uint8_t> compromised, contained;
  Index escalation = kNone;
};
Folded fold(const Scenario& sc, const std::vector<TraceRecord>& recs, SimTime at, Index observer) {
  const std::size_t n = sc.assets.size();
  Folded f{std::vector<double>(n, 1.0), std::vector<double>(n, std::nan("")), std::vector<std::uint8_t>(n, 0),
           std::vector<std::uint8_t>(n, 0), kNone};
  for (const TraceRecord& r : recs) {
    if (r.time > at) break;
    if (r.kind == RecordKind::asset_level) f.level[r.subject] = r.value;
    if (r.kind == RecordKind::asset_compromised) f.compromised[r.subject] = 1;
    if (r.kind == RecordKind::asset_contained) f.contained[r.subject] = 1;
    if (r.kind == RecordKind::knowledge && r.actor == observer && r.subject < n) f.believed[r.subject] = r.value;
    if (r.kind == RecordKind::escalated || r.kind == RecordKind::deescalated) f.escalation = r.subject;
  }
  return f;
}

bool same_believed(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::isnan(a[i]) != std::isnan(b[i]) || (!std::isnan(a[i]) && a[i] != b[i])) return false;
  return true;
}

Index triage_observer(const std::vector<TraceRecord>& recs) {
  for (const TraceRecord& r : recs)
    if (r.kind == RecordKind::triaged && r.actor != kNone) return r.actor;
  return kNone;
}

}  // namespace

TEST_CASE("replay: seeking to a time gives the same snapshot as running the flagship to it") {
  const Scenario sc = load(flagship());
  RunOptions o;
  o.seed = sc.metadata.seed;
  const RunResult result = run_scenario(sc, o);
  const std::vector<TraceRecord>& recs = result.records;
  REQUIRE(recs.size() > 100);
  const Index observer = triage_observer(recs);
  REQUIRE(observer != kNone);
  const ReplayIndex index(sc, recs, observer, 64);  // small spacing: many checkpoints crossed
  CHECK(index.checkpoint_count() > 1);
  const ReplayIndex dense(sc, recs, observer, 1);
  const ReplayIndex coarse(sc, recs, observer);     // the default spacing

  // Times in order (the session only moves forward): record times, just before them, between.
  std::vector<SimTime> times;
  std::uint64_t x = 12345;
  for (int i = 0; i < 40; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    times.push_back(recs[(x >> 33) % recs.size()].time);
  }
  times.push_back(SimTime::zero());
  times.push_back(result.end);
  std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end()), times.end());

  RunSession session(sc, o);
  const ImpactModel impact(sc);
  for (const SimTime t : times) {
    CAPTURE(format_sim_time(t));
    session.advance_to(t);
    const SessionSnapshot snap = session.snapshot();
    const ReplayState s = index.seek(t);
    CHECK(s.level == snap.asset_level);
    CHECK(s.compromised == snap.compromised);
    CHECK(s.contained == snap.contained);
    if (s.escalation != kNone) CHECK(s.escalation == snap.level);
    CHECK(std::abs(s.population_affected - static_cast<double>(snap.people_affected)) <= 1.0);  // the session rounds down
    const Folded f = fold(sc, recs, t, observer);
    CHECK(s.level == f.level);
    CHECK(same_believed(s.believed, f.believed));
    const ReplayState d = dense.seek(t), c = coarse.seek(t);
    CHECK(d.level == s.level);
    CHECK(c.level == s.level);
    CHECK(same_believed(d.believed, s.believed));
    CHECK(same_believed(c.believed, s.believed));
    CHECK(d.applied == s.applied);
    CHECK(c.applied == s.applied);
  }
}

TEST_CASE("replay: event times, steps and marks come from the trace") {
  const Scenario sc = load(flagship());
  RunOptions o;
  o.seed = sc.metadata.seed;
  const std::vector<TraceRecord> recs = run_scenario(sc, o).records;
  const ReplayIndex index(sc, recs, kNone);
  const auto& times = index.event_times();
  REQUIRE(times.size() > 2);
  CHECK(std::is_sorted(times.begin(), times.end()));
  CHECK(std::adjacent_find(times.begin(), times.end()) == times.end());
  CHECK(index.last_time() == recs.back().time);
  // next/previous step one distinct record time.
  CHECK(index.next_event(times[0]) == times[1]);
  CHECK(index.previous_event(times[2]) == times[1]);
  CHECK_FALSE(index.next_event(index.last_time()).has_value());
  CHECK_FALSE(index.previous_event(SimTime::zero()).has_value());
  // Marks: the first of each kind is the first record of that kind.
  auto first = [&](RecordKind k) -> std::optional<SimTime> {
    for (const TraceRecord& r : recs)
      if (r.kind == k) return r.time;
    return std::nullopt;
  };
  const auto inject = first(RecordKind::inject_delivered);
  REQUIRE(inject);
  CHECK(index.next_mark(ReplayMark::inject, SimTime::zero() - Duration::from_us(1)) == inject);
  CHECK(index.marks(ReplayMark::escalation).front() == *first(RecordKind::escalated));
  CHECK(index.marks(ReplayMark::decision).front() == *first(RecordKind::decision_taken));
  REQUIRE_FALSE(index.marks(ReplayMark::outage).empty());
  const SimTime out = index.marks(ReplayMark::outage).front();
  const ReplayState before = index.seek(out - Duration::from_us(1)), after = index.seek(out);
  CHECK(after.in_outage > before.in_outage);
}
