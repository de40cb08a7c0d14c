// The response acts on the world: each effect model through whole runs (a small built scenario
// for exact times, the shipped exercises for the figures DOMAIN.md gives), judged by the trace.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cyberdrill/run.hpp"
#include "cyberdrill/world.hpp"
#include "run_helpers.hpp"

using namespace cyberdrill;
using namespace cyberdrill::literals;
using namespace cyberdrill::testing;

namespace {

std::filesystem::path exercise(const std::string& name) {
  for (const auto& p : shipped_exercises())
    if (p.filename() == name) return p;
  return {};
}

Index asset_index(const Scenario& sc, const std::string& id) {
  for (Index i = 0; i < sc.assets.size(); ++i)
    if (sc.assets[i].id == id) return i;
  FAIL("no asset " << id);
  return kNone;
}

double median(std::vector<double> v) {
  REQUIRE(!v.empty());
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/// One outage of an asset in a run's records: start (level < 0.5), end (back to >= 0.5), the level
/// reached at the end, when it was back at full service, and the cause of the end.
struct Outage {
  SimTime start;
  std::optional<SimTime> end;
  double end_level = 0;
  std::optional<SimTime> full;
  CauseKind end_cause = CauseKind::none;
};

/// `outage_level`: the level below which the asset counts as out (default kOutageLevel).
std::optional<Outage> first_outage(const std::vector<TraceRecord>& recs, Index asset, double outage_level = kOutageLevel) {
  std::optional<Outage> o;
  for (const TraceRecord& r : recs) {
    if (r.kind != RecordKind::asset_level || r.subject != asset) continue;
    if (!o) {
      if (r.value < outage_level) o = Outage{r.time, std::nullopt, 0, std::nullopt, CauseKind::none};
      continue;
    }
    if (!o->end && r.value >= outage_level) {
      o->end = r.time;
      o->end_level = r.value;
      o->end_cause = r.cause_kind;
    }
    if (o->end && r.value >= kFullServiceLevel) {
      o->full = r.time;
      break;
    }
  }
  return o;
}

// --- a small scenario: one operator, one asset, one attack step, one procedure ----------------

struct Small {
  Scenario sc;
  Index asset = 0;
};

Small small(AttackEffect effect, std::vector<Effect> step_effects, std::vector<Duration> step_durations) {
  Small s;
  Scenario& sc = s.sc;
  sc.metadata.name = "small";
  sc.metadata.duration = Duration::days(30);
  sc.sectors.push_back(Sector{"energy", "Energy", {}});
  Organisation cert;
  cert.id = "cert";
  cert.kind = OrgKind::csirt;
  cert.staff = 4;
  sc.organisations.push_back(cert);
  Organisation op;
  op.id = "op";
  op.kind = OrgKind::operator_;
  op.staff = 4;
  op.sector = 0;
  sc.organisations.push_back(op);
  Asset a;
  a.id = "plant";
  a.sector = 0;
  a.operator_org = 1;
  a.population = 1000;
  a.restore = DurationDist::fixed(Duration::days(60));  // the operator's own repair never comes first
  sc.assets.push_back(a);
  Campaign c;
  c.id = "apt";
  AttackStep st;
  st.id = "hit";
  st.targets = {0};
  st.time_to_compromise = DurationDist::fixed(1_h);
  st.effect = effect;
  c.steps.push_back(st);
  sc.campaigns.push_back(c);
  Procedure p;
  p.id = "respond";
  p.owner = 1;
  p.trigger.kind = Trigger::Kind::outage;
  p.trigger.ref = 0;
  for (std::size_t i = 0; i < step_effects.size(); ++i) {
    ProcedureStep ps;
    ps.id = "s" + std::to_string(i);
    ps.org = 1;
    ps.duration = DurationDist::fixed(step_durations[i]);
    if (i > 0) ps.after = {static_cast<Index>(i - 1)};
    ps.effect = step_effects[i];
    p.steps.push_back(ps);
  }
  sc.plan.procedures.push_back(p);
  return s;
}

std::vector<TraceRecord> run_records(const Scenario& sc, std::uint64_t seed = 1) {
  RunOptions o;
  o.seed = seed;
  return run_scenario(sc, o).records;
}

std::vector<TraceRecord> of(const std::vector<TraceRecord>& recs, RecordKind k, Index subject) {
  std::vector<TraceRecord> out;
  for (const auto& r : recs)
    if (r.kind == k && r.subject == subject) out.push_back(r);
  return out;
}

Effect effect(Effect::Kind k) {
  Effect e;
  e.kind = k;
  return e;
}

SimTime at(Duration d) { return SimTime::zero() + d; }

}  // namespace

TEST_CASE("manual operation: the asset runs at its level after the crew-dispatch delay, restore brings it back") {
  AttackEffect wipe;
  wipe.kind = AttackEffect::Kind::disrupt;  // untimed: only the response or the operator end it
  Effect manual = effect(Effect::Kind::manual_operation);
  manual.level = 0.8;
  manual.delay = 30_min;
  const Small s = small(wipe, {manual, effect(Effect::Kind::restore)}, {1_h, 3_h});
  const auto recs = run_records(s.sc);
  const auto levels = of(recs, RecordKind::asset_level, 0);
  REQUIRE(levels.size() == 3);
  CHECK(levels[0].time == at(1_h));  // the attack
  CHECK(levels[0].value == 0.0);
  CHECK(levels[1].time == at(1_h + 1_h + 30_min));  // step done, crews arrive 30 min later
  CHECK(levels[1].value == doctest::Approx(0.8));
  CHECK(levels[1].cause_kind == CauseKind::procedure_step);
  CHECK(levels[2].time == at(1_h + 1_h + 3_h));
  CHECK(levels[2].value == 1.0);
}

TEST_CASE("isolation degrades the isolated service and a restore step ends it") {
  AttackEffect foothold;  // the attacker only sits there; an inject-free outage trigger needs a level
  foothold.kind = AttackEffect::Kind::degrade;
  foothold.level = 0.3;
  Effect iso = effect(Effect::Kind::isolate);
  iso.level = 0.4;
  const Small s = small(foothold, {iso, effect(Effect::Kind::restore)}, {1_h, 6_h});
  const auto recs = run_records(s.sc);
  const auto contained = of(recs, RecordKind::asset_contained, 0);
  REQUIRE(contained.size() == 1);
  CHECK(contained[0].time == at(2_h));
  const auto levels = of(recs, RecordKind::asset_level, 0);
  REQUIRE(levels.size() == 2);
  CHECK(levels[0].value == doctest::Approx(0.3));  // the degrade (isolation at 0.4 keeps the min 0.3)
  CHECK(levels[1].time == at(8_h));                  // restored, isolation ended: not 12 days isolated
  CHECK(levels[1].value == 1.0);
}

TEST_CASE("rebuild time grows with the hosts and with lost backups") {
  AttackEffect wipe;
  wipe.kind = AttackEffect::Kind::wipe;
  Effect rebuild = effect(Effect::Kind::rebuild);
  rebuild.delay = 12_h;
  auto restored_after_h = [&](std::uint32_t hosts, BackupState backup) {
    Small s = small(wipe, {rebuild}, {1_h});
    s.sc.assets[0].hosts = hosts;
    s.sc.assets[0].backup = backup;
    const auto restored = of(run_records(s.sc), RecordKind::asset_restored, 0);
    REQUIRE(restored.size() == 1);
    CHECK(restored[0].cause_kind == CauseKind::procedure_step);
    return (restored[0].time - at(2_h)).to_hours();  // since the rebuild step completed
  };
  // delay + hosts / 4,900 a day x factor (offline 1, online 3.5, none 5).
  CHECK(restored_after_h(4900, BackupState::offline) == doctest::Approx(12 + 24));
  CHECK(restored_after_h(9800, BackupState::offline) == doctest::Approx(12 + 48));
  CHECK(restored_after_h(4900, BackupState::online) == doctest::Approx(12 + 3.5 * 24));
  CHECK(restored_after_h(4900, BackupState::none) == doctest::Approx(12 + 5 * 24));
}

TEST_CASE("an outage ends by the response or by the attack's own end, whichever comes first, with its cause") {
  AttackEffect ddos;
  ddos.kind = AttackEffect::Kind::ddos;
  ddos.level = 0.1;
  ddos.duration = 10_h;
  SUBCASE("the response first: the attacker's pending end is cancelled") {
    const Small s = small(ddos, {effect(Effect::Kind::restore)}, {2_h});
    const auto recs = run_records(s.sc);
    const auto restored = of(recs, RecordKind::asset_restored, 0);
    REQUIRE(restored.size() == 1);
    CHECK(restored[0].time == at(3_h));
    CHECK(restored[0].cause_kind == CauseKind::procedure_step);
    CHECK(of(recs, RecordKind::asset_level, 0).back().time == at(3_h));  // nothing happens at 11 h
  }
  SUBCASE("the attack's own end first") {
    const Small s = small(ddos, {effect(Effect::Kind::restore)}, {20_h});
    const auto restored = of(run_records(s.sc), RecordKind::asset_restored, 0);
    REQUIRE(restored.size() == 1);
    CHECK(restored[0].time == at(11_h));
    CHECK(restored[0].cause_kind == CauseKind::attack_step);
    CHECK(restored[0].cause == 0);
  }
  SUBCASE("the operator's own repair first") {
    AttackEffect wipe;
    wipe.kind = AttackEffect::Kind::wipe;
    Small s = small(wipe, {effect(Effect::Kind::restore)}, {20_h});
    s.sc.assets[0].restore = DurationDist::fixed(5_h);
    const auto restored = of(run_records(s.sc), RecordKind::asset_restored, 0);
    REQUIRE(restored.size() == 1);
    CHECK(restored[0].time == at(6_h));
    CHECK(restored[0].cause_kind == CauseKind::organisation);
    CHECK(restored[0].cause == 1);  // the operator
  }
}

TEST_CASE("flagship: every run with an outage ends with every asset back at full service (time_to_recover_h set), 30 seeds") {
  const Scenario sc = load(flagship());
  int recovered = 0, hit = 0;
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    RunOptions o;
    o.seed = seed;
    o.keep_records = false;
    const RunResult r = run_scenario(sc, o);
    const auto peak = r.metrics.values.at("peak_outages");
    if (!peak || *peak == 0) continue;  // the attack failed before any impact: nothing to recover
    ++hit;
    recovered += r.metrics.values.at("time_to_recover_h").has_value();
  }
  CHECK(hit >= 25);
  CHECK(recovered == hit);
}

TEST_CASE("flagship: the grid is restored by hand within 1-6 h of the breakers opening (median over 30 seeds)") {
  const Scenario sc = load(flagship());
  std::vector<Index> dsos;
  for (Index i = 0; i < sc.assets.size(); ++i)
    if (sc.assets[i].id.rfind("dso-", 0) == 0 && std::find(sc.assets[i].tags.begin(), sc.assets[i].tags.end(),
                                                               "distribution") != sc.assets[i].tags.end())
      dsos.push_back(i);
  REQUIRE(dsos.size() == 8);
  std::vector<double> restore_h;
  int by_procedure = 0, outages = 0;
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    RunOptions o;
    o.seed = seed;
    const RunResult r = run_scenario(sc, o);
    double worst = -1;
    for (Index d : dsos) {
      // The breakers cut about a fifth of an area's load (grid-blackout.json, Kyiv 2016 scale):
      // the area is "out" below 0.9, back once the crews have closed most of them.
      const auto out = first_outage(r.records, d, 0.9);
      if (!out) continue;
      REQUIRE(out->end);
      ++outages;
      by_procedure += out->end_cause == CauseKind::procedure_step;
      worst = std::max(worst, (*out->end - out->start).to_hours());
    }
    if (worst >= 0) restore_h.push_back(worst);
  }
  REQUIRE(restore_h.size() >= 15);  // the blackout happens in most runs
  const double m = median(restore_h);
  MESSAGE("median hours until every area is back (manual operation): " << m);
  CHECK(m >= 1.0);
  CHECK(m <= 6.0);
  CHECK(by_procedure * 2 > outages);  // mostly ended by the crews, not by the attacker
}

TEST_CASE("ISP DDoS: mitigated in 6-12 h and services back within about a day (median over 30 seeds)") {
  const Scenario sc = load(exercise("isp-ddos.json"));
  const Index backbone = asset_index(sc, "resnet-backbone");
  std::vector<double> mitigated_h, back_h;
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    RunOptions o;
    o.seed = seed;
    const RunResult r = run_scenario(sc, o);
    const auto out = first_outage(r.records, backbone);
    REQUIRE(out);
    REQUIRE(out->end);
    REQUIRE(out->full);
    mitigated_h.push_back((*out->end - out->start).to_hours());
    back_h.push_back((*out->full - out->start).to_hours());
  }
  MESSAGE("median mitigated after " << median(mitigated_h) << " h, back after " << median(back_h) << " h");
  CHECK(median(mitigated_h) >= 6.0);
  CHECK(median(mitigated_h) <= 12.0);
  CHECK(median(back_h) >= 12.0);
  CHECK(median(back_h) <= 30.0);
}

TEST_CASE("ISP DDoS: scrubbing and upstream filtering end the outage at different times with different residuals") {
  const Scenario sc = load(exercise("isp-ddos.json"));
  const Index backbone = asset_index(sc, "resnet-backbone");
  auto measure = [&](const std::string& option) {
    const OverrideDecisionPolicy policy(sc, {{"D-01", option}});
    std::vector<double> end_h, level;
    for (std::uint64_t seed = 1; seed <= 30; ++seed) {
      RunOptions o;
      o.seed = seed;
      o.policy = &policy;
      const RunResult r = run_scenario(sc, o);
      const auto out = first_outage(r.records, backbone);
      REQUIRE(out);
      REQUIRE(out->end);
      end_h.push_back((*out->end - out->start).to_hours());
      level.push_back(out->end_level);
    }
    return std::pair{median(end_h), median(level)};
  };
  const auto [scrub_h, scrub_level] = measure("scrub");
  const auto [filter_h, filter_level] = measure("filter-upstream");
  MESSAGE("scrub: " << scrub_h << " h to level " << scrub_level << "; filter-upstream: " << filter_h << " h to level "
                    << filter_level);
  CHECK(filter_h + 0.5 < scrub_h);          // filtering upstream is quicker to set up ...
  CHECK(filter_level + 0.2 < scrub_level);  // ... but drops legitimate traffic with the attack
  CHECK(scrub_level >= 0.9);
}
