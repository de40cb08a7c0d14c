// Procedures: steps with staff, durations, dependencies, deadlines; blocked and timed-out steps;
// request_assistance; plan coverage.
#include <doctest/doctest.h>

#include "response_fixture.hpp"

using namespace cyberdrill;
using namespace cyberdrill::test;

namespace {

ProcedureStep step(const std::string& id, Index org, Duration d, int staff, Duration deadline = Duration::zero(),
                   std::vector<Index> after = {}, Effect::Kind effect = Effect::Kind::none) {
  ProcedureStep s;
  s.id = id;
  s.name = id;
  s.org = org;
  s.duration = DurationDist::fixed(d);
  s.staff = staff;
  s.deadline = deadline;
  s.after = std::move(after);
  s.effect.kind = effect;
  return s;
}

std::vector<TraceRecord> for_step(const std::vector<TraceRecord>& recs, RecordKind k, Index flat) {
  std::vector<TraceRecord> out;
  for (const auto& r : of_kind(recs, k))
    if (r.subject == flat) out.push_back(r);
  return out;
}

}  // namespace

TEST_CASE("a procedure's steps: staff, dependencies, a deadline missed, blocked steps and coverage") {
  Builder b;
  const Index op = b.org("op", OrgKind::operator_, 2);
  const Index cert = b.org("cert", OrgKind::csirt, 2);
  const Index ministry = b.org("ministry", OrgKind::government, 3, office_hours());
  const Index empty = b.org("empty", OrgKind::other, 0);
  const Index grid = b.asset("grid", b.sector("energy"), op, 50'000);
  b.channel("op-cert", {op}, cert, 1.0, DurationDist::fixed(Duration::zero()));
  b.triage(cert, 30_min);

  Procedure p;
  p.id = "P-contain";
  p.owner = cert;
  p.trigger.kind = Trigger::Kind::detection;
  p.steps.push_back(step("assess", cert, 1_h, 1, 2_h));
  p.steps.push_back(step("contain", op, 2_h, 2, 2_h, {0}, Effect::Kind::contain));
  p.steps.push_back(step("brief-ministry", ministry, 30_min, 1));
  p.steps.push_back(step("big-team", cert, 1_h, 5));
  p.steps.push_back(step("nobody", empty, 1_h, 1, 4_h));
  b.sc.plan.procedures.push_back(p);

  Run r(b.sc);
  // Tuesday 17:00 local: the ministry has closed.
  r.script.actions.emplace_back(T(8_h), [&](Simulation& sim) { r.world.feed(sim, grid, 0.0); });
  r.go(T(3_d));
  const auto& recs = r.rec.records();

  const auto started = of_kind(recs, RecordKind::procedure_started);
  REQUIRE(started.size() == 1);
  CHECK(started[0].time == T(8_h));
  CHECK(started[0].cause_kind == CauseKind::incident);

  // assess 8h-9h at the CSIRT; contain after it, 9h-11h with both operator staff.
  CHECK(for_step(recs, RecordKind::step_started, 0).at(0).time == T(8_h));
  CHECK(for_step(recs, RecordKind::step_completed, 0).at(0).time == T(9_h));
  CHECK(for_step(recs, RecordKind::step_started, 1).at(0).time == T(9_h));
  CHECK(for_step(recs, RecordKind::step_started, 1).at(0).actor == op);
  CHECK(for_step(recs, RecordKind::step_completed, 1).at(0).time == T(11_h));
  // contain's deadline (2 h after the procedure started) passed at 10 h.
  const auto timed_out = of_kind(recs, RecordKind::step_timed_out);
  REQUIRE(timed_out.size() == 2);
  CHECK((timed_out[0].subject == 1 && timed_out[0].time == T(10_h)));
  CHECK((timed_out[1].subject == 4 && timed_out[1].time == T(12_h)));  // "nobody" never runs

  // The containment reached the world at 11 h, naming the step and its organisation.
  REQUIRE(r.world.count("contain") == 1);
  CHECK(r.world.calls.back().what == "contain");
  CHECK(r.world.calls.back().target == grid);
  CHECK(r.world.calls.back().at == T(11_h));
  CHECK(r.world.calls.back().source.org == op);
  CHECK(r.world.calls.back().source.cause_kind == CauseKind::procedure_step);
  CHECK(r.world.calls.back().source.cause == flat_step_index(b.sc.plan, 0, 1));

  // Blocked: the closed ministry (reason 2, runs at Wednesday's opening), too few staff
  // (reason 1) and an organisation without staff (reason 1).
  const auto blocked = of_kind(recs, RecordKind::step_blocked);
  REQUIRE(blocked.size() == 3);
  CHECK((blocked[0].subject == 2 && blocked[0].detail == 2 && blocked[0].actor == ministry));
  CHECK((blocked[1].subject == 3 && blocked[1].detail == 1));
  CHECK((blocked[2].subject == 4 && blocked[2].detail == 1 && blocked[2].actor == empty));
  CHECK(for_step(recs, RecordKind::step_started, 2).at(0).time == T(24_h + 30_min));
  CHECK(for_step(recs, RecordKind::step_started, 3).empty());

  const ResponseMetrics m = r.resp.metrics(r.sim.now());
  CHECK(m.coverage.procedure_instances == std::vector<int>{1});
  CHECK(m.coverage.never_fired == 2);
  CHECK(m.coverage.blocked == 3);
  CHECK(m.coverage.timed_out == 2);
  CHECK(m.coverage.steps[1].completed == 1);
  CHECK(*m.values.at("plan_coverage") == doctest::Approx(0.6));
  CHECK(*m.values.at("time_to_contain_h") == doctest::Approx(11.0));
  // The step went ahead of the triage task in the CSIRT's queue, but two staff served both.
  CHECK(*m.values.at("mean_triage_wait_h") == doctest::Approx(0.0));
}

TEST_CASE("detection-triggered procedures run once per asset, other triggers once per run") {
  Builder b;
  const Index op = b.org("op", OrgKind::operator_, 4);
  const Index cert = b.org("cert", OrgKind::csirt, 4);
  const Index s = b.sector("s");
  const Index a1 = b.asset("a1", s, op, 10);
  const Index a2 = b.asset("a2", s, op, 10);
  b.triage(cert, 1_min);
  Procedure per_asset;
  per_asset.id = "isolate";
  per_asset.owner = op;
  per_asset.trigger.kind = Trigger::Kind::detection;
  per_asset.steps.push_back(step("isolate", op, 10_min, 1, Duration::zero(), {}, Effect::Kind::isolate));
  Procedure once;
  once.id = "convene";
  once.owner = cert;
  once.trigger.kind = Trigger::Kind::outage;  // by asset, so once per asset as well
  once.trigger.sector = s;
  once.steps.push_back(step("cell", cert, 10_min, 1, Duration::zero(), {}, Effect::Kind::convene_cell));
  Procedure after_done;
  after_done.id = "after";
  after_done.owner = cert;
  after_done.trigger.kind = Trigger::Kind::procedure_done;
  after_done.trigger.ref = 0;
  after_done.steps.push_back(step("wrap-up", cert, 10_min, 1));
  b.sc.plan.procedures = {per_asset, once, after_done};
  Run r(b.sc);
  r.script.actions.emplace_back(T(1_h), [&](Simulation& sim) { r.world.feed(sim, a1, 0.0); });
  r.script.actions.emplace_back(T(2_h), [&](Simulation& sim) { r.world.feed(sim, a2, 0.0); });
  r.script.actions.emplace_back(T(3_h), [&](Simulation& sim) {
    r.resp.on_detected(sim, a1, CauseKind::attack_step, 3, true);  // same asset: same incident
  });
  r.go(T(1_d));
  CHECK(r.world.count("isolate") == 2);
  CHECK(r.resp.incidents().size() == 2);
  CHECK(of_kind(r.rec.records(), RecordKind::detected).size() == 3);
  const ResponseMetrics m = r.resp.metrics(r.sim.now());
  CHECK(m.coverage.procedure_instances == std::vector<int>{2, 2, 1});
  CHECK(m.cells_convened.size() == 2);
  CHECK(r.resp.crisis_structure_active());
}

TEST_CASE("request_assistance adds staff after its delay and unblocks a step that needs them") {
  Builder b;
  const Index cert = b.org("cert", OrgKind::csirt, 1);
  Procedure p;
  p.id = "P-surge";
  p.owner = cert;
  p.trigger.kind = Trigger::Kind::at_time;
  p.trigger.at = T(1_h);
  ProcedureStep ask = step("ask-help", cert, 10_min, 1);
  ask.effect.kind = Effect::Kind::request_assistance;
  ask.effect.org = cert;
  ask.effect.staff = 3;
  ask.effect.delay = 6_h;
  p.steps.push_back(ask);
  p.steps.push_back(step("forensics", cert, 2_h, 4));
  b.sc.plan.procedures.push_back(p);
  Run r(b.sc);
  r.go(T(7_h));
  CHECK(r.resp.staff(cert) == 1);
  r.sim.run_until(T(1_d));
  CHECK(r.resp.staff(cert) == 4);
  const auto& recs = r.rec.records();
  const auto blocked = for_step(recs, RecordKind::step_blocked, 1);
  REQUIRE(blocked.size() == 1);
  CHECK(blocked[0].time == T(1_h));
  const auto started = for_step(recs, RecordKind::step_started, 1);
  REQUIRE(started.size() == 1);
  CHECK(started[0].time == T(7_h + 10_min));
  CHECK(for_step(recs, RecordKind::step_completed, 1).at(0).time == T(9_h + 10_min));
  CHECK(*r.resp.metrics(r.sim.now()).values.at("plan_coverage") == doctest::Approx(1.0));
}

TEST_CASE("flat step numbering and its inverse") {
  Plan plan;
  plan.procedures.resize(3);
  plan.procedures[0].steps.resize(2);
  plan.procedures[2].steps.resize(3);
  CHECK(flat_step_index(plan, 0, 1) == 1);
  CHECK(flat_step_index(plan, 2, 0) == 2);
  CHECK(flat_step_index(plan, 2, 2) == 4);
  CHECK(step_of_flat_index(plan, 3).procedure == 2);
  CHECK(step_of_flat_index(plan, 3).step == 1);
  CHECK(step_of_flat_index(plan, 5).procedure == kNone);
}
