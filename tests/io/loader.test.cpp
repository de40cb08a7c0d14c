// The loader as a specification: what a valid scenario becomes, how problems are reported, and
// the semantic lint's definitions (damping, reachability, triggers that can never fire).
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "cyberdrill/scenario_io.hpp"
#include "scenario_reader.hpp"
#include "temp_tree.hpp"

namespace fs = std::filesystem;
using namespace cyberdrill;
using cyberdrill::testing::minimal_with;
using cyberdrill::testing::TempTree;

namespace {

const fs::path kValid = fs::path(CYBERDRILL_SOURCE_DIR) / "tests/fixtures/valid";

Index index_of(const auto& vec, const std::string& id) {
  for (std::size_t i = 0; i < vec.size(); ++i)
    if (vec[i].id == id) return static_cast<Index>(i);
  return kNone;
}

/// Messages (with pointer) of every diagnostic of one scenario text.
std::vector<std::string> messages(const std::string& text) {
  TempTree t;
  std::vector<std::string> out;
  for (const Diagnostic& d : load_scenario(t.write("s.json", text)).diagnostics)
    out.push_back(d.pointer + ": " + (d.severity == Diagnostic::Severity::warning ? "warning: " : "") + d.message);
  return out;
}

bool any_contains(const std::vector<std::string>& v, const std::string& needle) {
  return std::any_of(v.begin(), v.end(), [&](const std::string& s) { return s.find(needle) != std::string::npos; });
}

}  // namespace

TEST_CASE("the minimal scenario loads with its defaults and its start converted to UTC") {
  const LoadResult r = load_scenario(kValid / "minimal.json");
  REQUIRE(r.scenario.has_value());
  CHECK(r.diagnostics.empty());
  const Scenario& s = *r.scenario;
  CHECK(s.metadata.name == "Minimal");
  CHECK(s.metadata.start_local == "2026-03-10T09:00");
  CHECK(s.metadata.start_utc_s == 1773129600);  // 08:00 UTC: Brussels is UTC+1 in March before the 29th
  CHECK(s.metadata.duration == Duration::days(1));
  CHECK(s.metadata.seed == 1);
  REQUIRE(s.assets.size() == 1);
  CHECK(s.assets[0].sector == 0);
  CHECK(s.assets[0].operator_org == kNone);
  CHECK(s.assets[0].rule == CombineRule::all);
  CHECK(s.assets[0].restore.mean() == Duration::hours(24));
  CHECK(s.organisations[0].kind == OrgKind::csirt);
  CHECK(s.organisations[0].calendar.always);
  CHECK(s.plan.procedures[0].trigger.kind == Trigger::Kind::detection);
  CHECK(s.plan.procedures[0].trigger.org == kNone);
  CHECK(s.plan.procedures[0].steps[0].duration.mean() == Duration::hours(1));
}

TEST_CASE("the rich scenario merges its includes and resolves every reference to an index") {
  const LoadResult r = load_scenario(kValid / "rich/exercise.json");
  REQUIRE(r.scenario.has_value());
  const Scenario& s = *r.scenario;
  CHECK(s.metadata.start_utc_s == 1793088000);  // 2026-10-27 09:00 CET (after the autumn change)
  CHECK(s.metadata.seed == 20261025);
  // Included sectors/assets; the exercise overrides one field of "hospital" and keeps the rest.
  CHECK(s.sectors.size() == 4);
  const Index hospital = index_of(s.assets, "hospital");
  REQUIRE(hospital != kNone);
  CHECK(s.assets[hospital].population == 450000);
  CHECK(s.assets[hospital].rule == CombineRule::threshold);
  CHECK(s.assets[hospital].depends_on.size() == 2);
  CHECK(s.assets[hospital].restore.dist.kind == Distribution::Kind::triangular);
  const Index grid = index_of(s.assets, "grid-tso");
  CHECK(s.assets[hospital].depends_on[0].supplier == grid);
  CHECK(s.assets[hospital].depends_on[0].buffer == Duration::hours(96));
  CHECK(s.assets[grid].restore.dist.kind == Distribution::Kind::lognormal);
  CHECK(s.assets[grid].x == doctest::Approx(0.5));
  // Organisations from both building blocks; calendar with office hours.
  const Index cert = index_of(s.organisations, "cert");
  REQUIRE(cert != kNone);
  const Calendar& cal = s.organisations[cert].calendar;
  CHECK_FALSE(cal.always);
  CHECK(cal.weekdays == 0x1F);
  CHECK(cal.open == Duration::minutes(9 * 60 + 30));
  CHECK(cal.close == Duration::minutes(16 * 60 + 30));
  CHECK(cal.on_call);
  CHECK(cal.callout == Duration::minutes(45));
  CHECK(cal.holidays == std::vector<std::string>{"2026-07-21"});
  // A channel from a kind covers every organisation of that kind.
  const Channel& ops = s.channels[static_cast<std::size_t>(index_of(s.channels, "op-to-cert"))];
  CHECK(ops.from.size() == 4);
  CHECK(ops.to == cert);
  CHECK(ops.latency.dist.kind == Distribution::Kind::exponential);
  // Plan: levels, step ordering, a selector resolved to assets.
  CHECK(s.plan.id == "plan-2026");
  CHECK(s.plan.crisis_handoff_factor == doctest::Approx(0.5));
  CHECK(s.plan.levels[1].min_severity == 3);
  CHECK(s.plan.levels[2].min_population == 100000);
  const Procedure& crisis = s.plan.procedures[static_cast<std::size_t>(index_of(s.plan.procedures, "crisis"))];
  CHECK(crisis.trigger.kind == Trigger::Kind::escalation);
  CHECK(crisis.trigger.ref == index_of(s.plan.levels, "national-crisis"));
  CHECK(crisis.steps[1].after == std::vector<Index>{0});
  CHECK(crisis.steps[1].effect.kind == Effect::Kind::contain);
  CHECK(crisis.steps[1].effect.assets == std::vector<Index>{grid});
  CHECK(crisis.steps[0].deadline == Duration::hours(2));
  CHECK(s.plan.obligations[1].sectors == std::vector<Index>{static_cast<Index>(index_of(s.sectors, "finance"))});
  CHECK(s.plan.obligations[1].marking.tlp == Tlp::amber);
  // Attack graph.
  const Campaign& c = s.campaigns.at(0);
  CHECK(c.steps[2].requires_all == false);
  CHECK(c.steps[2].requires_steps == std::vector<Index>{0, 1});
  CHECK(c.steps[3].effect.kind == AttackEffect::Kind::disrupt);
  CHECK(c.steps[3].effect.duration == Duration::hours(6));
  CHECK(c.steps[3].marking.tlp == Tlp::red);
  CHECK(c.steps[3].marking.audience == Audience::controller);
  CHECK(c.goals == std::vector<Index>{3});
  CHECK(c.steps[0].selector == "operator=gridco");
  CHECK(c.steps[0].targets == std::vector<Index>{grid});
  // Background, injects, decisions, objectives.
  CHECK(s.background.rate_per_day == doctest::Approx(43));
  CHECK(s.background.severity_first);
  CHECK(s.background.severity.mean() == doctest::Approx(1.51));
  CHECK(s.injects[0].when.kind == Trigger::Kind::at_time);
  CHECK(s.injects[0].when.at == SimTime::zero() + Duration::minutes(30));
  CHECK(s.injects[0].effect.kind == Effect::Kind::inform);
  CHECK(s.injects[1].contingency);
  CHECK(s.injects[1].effect.kind == Effect::Kind::set_policy);
  CHECK(s.decisions[0].default_option == 1);
  CHECK(s.decisions[0].options[0].effects[0].kind == Effect::Kind::escalate);
  CHECK(s.objectives[1].lower_is_better == false);
  CHECK(s.objectives[0].m == doctest::Approx(24));
  CHECK(s.policy.at("csirt_staff_scale") == doctest::Approx(1.5));
}

TEST_CASE("--plan replaces the plan and merges the organisations and channels its file brings") {
  LoadOptions o;
  o.plan_override = kValid / "rich/plan-2017.json";
  const LoadResult r = load_scenario(kValid / "rich/exercise.json", o);
  for (const Diagnostic& d : r.diagnostics) MESSAGE(to_string(d));
  REQUIRE(r.scenario.has_value());
  const Scenario& s = *r.scenario;
  CHECK(s.plan.id == "plan-2017");
  CHECK(s.plan.procedures.size() == 1);
  CHECK(s.plan.obligations.empty());
  CHECK(s.plan.levels.size() == 2);
  const Index cert = index_of(s.organisations, "cert");
  CHECK(s.organisations[cert].name == "National CSIRT (2017)");
  CHECK(s.organisations[cert].calendar.always);
  CHECK(s.organisations.size() == 7);  // nothing lost from the exercise's own organisations
  const Channel& ops = s.channels[static_cast<std::size_t>(index_of(s.channels, "op-to-cert"))];
  CHECK(ops.coverage == doctest::Approx(0.3));
  CHECK(index_of(s.channels, "cert-to-nccn") != kNone);
}

TEST_CASE("a problem in the plan override file is reported in that file") {
  TempTree t;
  const fs::path plan = t.write("plan.json", R"({"schema_version": 1,
  "plan": {"id": "p2", "procedures": [{"id": "x", "owner": "certt", "trigger": {"on": "detection"}, "steps": []}]}})");
  const fs::path top = t.write("s.json", minimal_with(""));
  LoadOptions o;
  o.plan_override = plan;
  const LoadResult r = load_scenario(top, o);
  REQUIRE(r.error_count() == 1);
  const Diagnostic& d = r.diagnostics[0];
  CHECK(d.file == plan.string());
  CHECK(d.line == 2);
  CHECK(d.pointer == "/plan/procedures/0/owner");
  CHECK(d.message == "unknown organisation \"certt\"; did you mean \"cert\"?");
}

TEST_CASE("to_string prints file:line:col: pointer: message, with warning: for lint") {
  Diagnostic d{Diagnostic::Severity::error, "a.json", 3, 7, "/assets/0/sector", "unknown sector \"x\""};
  CHECK(to_string(d) == "a.json:3:7: /assets/0/sector: unknown sector \"x\"");
  d.severity = Diagnostic::Severity::warning;
  CHECK(to_string(d) == "a.json:3:7: /assets/0/sector: warning: unknown sector \"x\"");
  d.line = 0;
  d.pointer.clear();
  CHECK(to_string(d) == "a.json: warning: unknown sector \"x\"");
}

TEST_CASE("every problem is reported at once, in file order") {
  const auto m = messages(minimal_with(R"(
  "assets": [{"id": "a", "sector": "energi", "population": -5},
             {"id": "b", "sector": "energy", "depends_on": [{"asset": "c", "type": "pwr", "buffer": "1x"}]}],)"));
  REQUIRE(m.size() == 5);
  CHECK(m[0] == "/assets/0/sector: unknown sector \"energi\"; did you mean \"energy\"?");
  CHECK(m[1] == "/assets/0/population: population must be at least 0, got -5");
  CHECK(m[2] == "/assets/1/depends_on/0/asset: unknown asset \"c\"");
  CHECK(m[3] == "/assets/1/depends_on/0/type: unknown value \"pwr\"; did you mean \"power\"?");
  CHECK(m[4] == "/assets/1/depends_on/0/buffer: unknown unit \"x\" in \"1x\": use w, d, h, m, s, ms or us");
}

TEST_CASE("load_scenario_or_throw throws ScenarioError carrying every diagnostic") {
  TempTree t;
  const fs::path p = t.write("s.json", minimal_with(R"("assets": [{"id": "a", "sector": "x"}, {"id": "b", "sector": "y"}],)"));
  try {
    (void)load_scenario_or_throw(p);
    FAIL("expected ScenarioError");
  } catch (const ScenarioError& e) {
    CHECK(e.diagnostics().size() == 2);
    CHECK(std::string(e.what()).find("\n") != std::string::npos);
  }
  CHECK_NOTHROW((void)load_scenario_or_throw(kValid / "minimal.json"));
}

TEST_CASE("lint: a zero-buffer cycle warns unless some edge damps it") {
  const std::string a_needs_b = R"({"id": "a", "sector": "energy", "depends_on": [{"asset": "b", "type": "power"}]})";
  auto cycle = [&](const std::string& b_edge, const std::string& b_rule) {
    return messages(minimal_with(R"("assets": [)" + a_needs_b + R"(, {"id": "b", "sector": "telecom", "rule": ")" +
                                 b_rule + R"(", "depends_on": [)" + b_edge + "]}],"));
  };
  const std::string undamped = "/assets/0/depends_on: warning: zero-buffer dependency cycle with no damping: "
                               "\"a\" needs \"b\" needs \"a\" (give one edge a buffer, a degradation below 1, or a "
                               "linear-rule weight below 1)";
  CHECK(cycle(R"({"asset": "a", "type": "telecom"})", "all") == std::vector<std::string>{undamped});
  CHECK(cycle(R"({"asset": "a", "type": "telecom", "buffer": "0"})", "any") == std::vector<std::string>{undamped});
  CHECK(cycle(R"({"asset": "a", "type": "telecom", "buffer": "1h"})", "all").empty());
  CHECK(cycle(R"({"asset": "a", "type": "telecom", "degradation": 0.5})", "all").empty());
  CHECK(cycle(R"({"asset": "a", "type": "telecom", "weight": 0.5})", "linear").empty());
  // A weight below 1 damps only through the linear rule.
  CHECK(cycle(R"({"asset": "a", "type": "telecom", "weight": 0.5})", "all") == std::vector<std::string>{undamped});
}

TEST_CASE("lint: attack goals must be reachable through the AND/OR graph") {
  auto goal = [](const std::string& steps, const std::string& goals) {
    return messages(minimal_with(R"("attackers": [{"id": "c", "steps": )" + steps + R"(, "goals": )" + goals + "}],"));
  };
  // OR: one reachable prerequisite is enough.
  CHECK(goal(R"([{"id": "a"}, {"id": "b", "success": 0}, {"id": "g", "join": "or", "requires": ["a", "b"]}])", R"(["g"])") ==
        std::vector<std::string>{"/attackers/0/steps/1: warning: attack step \"b\" can never be reached"});
  // AND: every prerequisite is needed.
  CHECK(any_contains(goal(R"([{"id": "a"}, {"id": "b", "success": 0}, {"id": "g", "requires": ["a", "b"]}])", R"(["g"])"),
                     "/attackers/0/goals/0: attack goal \"g\" is unreachable: it requires \"b\", which can never succeed"));
  // A requires cycle never starts.
  CHECK(any_contains(goal(R"([{"id": "a", "requires": ["b"]}, {"id": "b", "requires": ["a"]}])", R"(["b"])"),
                     "attack goal \"b\" is unreachable"));
  // A goal with success 0.
  CHECK(any_contains(goal(R"([{"id": "g", "success": 0}])", R"(["g"])"),
                     "attack goal \"g\" is unreachable: its success probability is 0"));
}

TEST_CASE("lint: triggers that can never fire are warnings, unknown referents are errors") {
  const std::string base = R"({"schema_version": 1,
  "metadata": {"name": "T", "start": "2026-03-10T09:00", "duration": "1d"},
  "organisations": [{"id": "cert", "kind": "csirt"}, {"id": "nccn", "kind": "crisis_centre"}],
  "plan": {"id": "p", "levels": [{"id": "base", "rank": 0}, {"id": "crisis", "rank": 1}],
    "procedures": [)";
  auto procs = [&](const std::string& p) { return messages(base + p + "]}}"); };
  CHECK(procs(R"({"id": "x", "owner": "nccn", "trigger": {"on": "escalation", "level": "crisis"}, "steps": [{"id": "s"}]})") ==
        std::vector<std::string>{"/plan/procedures/0/trigger: warning: procedure \"x\" can never start: no threshold or "
                                 "escalate effect reaches level \"crisis\""});
  // An escalate effect somewhere makes the level reachable.
  CHECK(procs(R"({"id": "x", "owner": "nccn", "trigger": {"on": "escalation", "level": "crisis"}, "steps": [{"id": "s"}]},
                 {"id": "y", "owner": "cert", "trigger": {"on": "detection"}, "steps": [{"id": "e", "effect": {"kind": "escalate", "level": "crisis"}}]})")
            .empty());
  // Completion of a procedure that never starts, transitively.
  CHECK(any_contains(procs(R"({"id": "x", "owner": "nccn", "trigger": {"on": "escalation", "level": "crisis"}, "steps": [{"id": "s"}]},
                 {"id": "y", "owner": "cert", "trigger": {"on": "procedure_done", "procedure": "x"}, "steps": [{"id": "t"}]})"),
                     "procedure \"y\" can never start: procedure \"x\" never starts"));
  // A report nobody can send.
  CHECK(procs(R"({"id": "x", "owner": "cert", "trigger": {"on": "report", "org": "cert"}, "steps": [{"id": "s"}]})") ==
        std::vector<std::string>{"/plan/procedures/0/trigger: warning: procedure \"x\" can never start: no reporting "
                                 "channel delivers to \"cert\""});
  // An inject that does not exist is an error, not a warning.
  CHECK(procs(R"({"id": "x", "owner": "cert", "trigger": {"on": "inject", "inject": "I-1"}, "steps": [{"id": "s"}]})") ==
        std::vector<std::string>{"/plan/procedures/0/trigger/inject: unknown inject \"I-1\""});
}

TEST_CASE("conditions accept live quantities and metrics, objectives only metrics") {
  const std::string trig = R"("injects": [{"id": "i", "to": "cert", "when": {"on": "condition", "metric": "M", "at_least": 1}}],)";
  auto with_metric = [&](const std::string& m) {
    std::string t = trig;
    t.replace(t.find("\"M\""), 3, "\"" + m + "\"");
    return messages(minimal_with(t));
  };
  CHECK(with_metric("population_affected").empty());
  CHECK(with_metric("outages").empty());
  CHECK(with_metric("peak_outages").empty());
  CHECK(any_contains(with_metric("people"), "/injects/0/when/metric: unknown metric \"people\""));
  CHECK(messages(minimal_with(R"("objectives": [{"id": "o", "metric": "outages", "ratings": {"P": 1, "S": 2, "M": 3}}],)")) ==
        std::vector<std::string>{"/objectives/0/metric: unknown metric \"outages\": no model produces it (known: "
                                 "time_to_detect_h, time_to_report_h, time_to_triage_h, time_to_escalate_h, "
                                 "time_to_crisis_h, time_to_contain_h, time_to_recover_h, population_hours_lost, "
                                 "service_hours_lost, peak_outages, peak_population_affected, obligations_met_fraction, "
                                 "obligations_missed, mean_triage_wait_h, max_severity, sectors_affected, plan_coverage, "
                                 "decisions_on_time_fraction, economic_loss_eur, peak_people_without_electricity, "
                                 "peak_people_without_mobile, peak_people_without_fixed_internet, "
                                 "peak_people_without_water, peak_people_without_health_care, "
                                 "peak_people_without_emergency_calls, peak_people_without_payments, "
                                 "peak_people_without_public_services, peak_people_without_transport, "
                                 "time_to_first_restore_h, max_level_rank)"});
  CHECK(known_metrics().size() == 30);
}

TEST_CASE("duration distributions in every planner form") {
  const auto m = messages(minimal_with(R"("assets": [
    {"id": "a", "sector": "energy", "restore": {"empirical": [["1h", 3], ["4h", 1]]}},
    {"id": "b", "sector": "energy", "restore": {"uniform": ["3h", "1h"]}},
    {"id": "c", "sector": "energy", "restore": {"exponential": {"mean": "0"}}},
    {"id": "d", "sector": "energy", "restore": {"weibull": {"k": 1}}},
    {"id": "e", "sector": "energy", "restore": {"empirical": [["1h", 0]]}}],)"));
  CHECK(m == std::vector<std::string>{
                 "/assets/1/restore/uniform: uniform needs low <= high",
                 "/assets/2/restore/exponential/mean: mean must be longer than zero",
                 "/assets/3/restore/weibull: unknown distribution \"weibull\" (expected one of: lognormal, triangular, "
                 "exponential, uniform, empirical)",
                 "/assets/4/restore/empirical: empirical weights must have a positive sum"});
  TempTree t;
  const LoadResult r = load_scenario(t.write("s.json", minimal_with(R"("assets": [
    {"id": "a", "sector": "energy", "restore": {"empirical": [["1h", 3], ["5h", 1]]}}],)")));
  REQUIRE(r.scenario);
  CHECK(r.scenario->assets[0].restore.mean() == Duration::hours(2));
}

TEST_CASE("scenario times: clock form, planner form, never before T+0") {
  using io::parse_scenario_time;
  CHECK(parse_scenario_time("T+02:30", nullptr) == SimTime::zero() + Duration::minutes(150));
  CHECK(parse_scenario_time("T+1d 06:00", nullptr) == SimTime::zero() + Duration::hours(30));
  CHECK(parse_scenario_time("T+49:30", nullptr) == SimTime::zero() + Duration::minutes(49 * 60 + 30));
  CHECK(parse_scenario_time("T+2h", nullptr) == SimTime::zero() + Duration::hours(2));
  CHECK(parse_scenario_time("T+1d12h", nullptr) == SimTime::zero() + Duration::hours(36));
  CHECK(parse_scenario_time("T+0", nullptr) == SimTime::zero());
  std::string err;
  CHECK_FALSE(parse_scenario_time("T-1h", &err));
  CHECK(err == "scenario times before T+0 are not allowed, got \"T-1h\"");
  CHECK_FALSE(parse_scenario_time("02:30", &err));
  CHECK_FALSE(parse_scenario_time("T++2h", &err));
  CHECK_FALSE(parse_scenario_time("T+2 h", &err));
}

TEST_CASE("scenario_hash: 16 hex digits over every file in include order") {
  TempTree t;
  const fs::path inc = t.write("part.json", R"({"schema_version": 1, "sectors": [{"id": "energy"}]})");
  const fs::path top = t.write("s.json", R"({"schema_version": 1, "include": ["part.json"]})");
  const std::string h1 = scenario_hash(top);
  CHECK(h1.size() == 16);
  CHECK(h1.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(scenario_hash(top) == h1);
  t.write("unrelated.json", "{}");
  CHECK(scenario_hash(top) == h1);
  t.write("part.json", R"({"schema_version": 1, "sectors": [{"id": "energy2"}]})");
  const std::string h2 = scenario_hash(top);
  CHECK(h2 != h1);
  LoadOptions o;
  o.plan_override = t.write("plan.json", R"({"schema_version": 1, "plan": {"id": "p"}})");
  CHECK(scenario_hash(top, o) != h2);
  CHECK(scenario_hash(kValid / "rich/exercise.json") == scenario_hash(kValid / "rich/exercise.json"));
}
