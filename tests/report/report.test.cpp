// The AAR/IP model built from recorded runs of the shipped exercises: what the report says must be
// what the run measured.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>

#include "cyberdrill/report.hpp"
#include "report_helpers.hpp"

using namespace cyberdrill;
using cyberdrill::testing::recorded_run;

namespace {

struct Case {
  const char* scenario;
  const char* plan;
};
constexpr Case kCases[] = {
    {"tutorial.json", ""},
    {"belgium/grid-blackout.json", ""},
    {"belgium/grid-blackout.json", "belgium/plan-2017.json"},
};

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("every objective appears in scenario order with the rating the run gave it") {
  for (const Case& c : kCases) {
    CAPTURE(c.scenario);
    CAPTURE(c.plan);
    const RecordedRun& run = recorded_run(c.scenario, c.plan);
    const Report rep = build_report(run);
    REQUIRE(rep.objectives.size() == run.result.ratings.size());
    REQUIRE(rep.summary.objectives.size() == run.result.ratings.size());
    const std::string md = to_markdown(rep);
    const std::string html = to_html(rep);
    for (std::size_t i = 0; i < rep.objectives.size(); ++i) {
      const ObjectiveRating& r = run.result.ratings[i];
      const Objective& o = run.scenario.objectives[r.objective];
      const ObjectiveSection& sec = rep.objectives[i];
      CAPTURE(o.id);
      CHECK(sec.id == o.id);
      CHECK(sec.rating == r.rating);
      CHECK(sec.value == r.value);
      CHECK(rep.summary.objectives[i].rating == r.rating);
      // A P objective has a strength; any other rating an area for improvement with a root cause.
      if (r.rating == Rating::P) {
        CHECK(sec.strengths.size() == 1);
        CHECK(sec.areas_for_improvement.empty());
      } else {
        REQUIRE(sec.areas_for_improvement.size() == 1);
        CHECK_FALSE(sec.areas_for_improvement[0].observation.empty());
        CHECK_FALSE(sec.areas_for_improvement[0].root_cause.empty());
      }
      // Both renderings name the objective and carry its HSEEP wording.
      CHECK(contains(md, "### " + o.id + " "));
      CHECK(contains(md, std::string("**Rating:** **") + rating_letter(r.rating) + "** " + rating_wording(r.rating)));
      CHECK(contains(html, std::string("<span class=\"rating r-") + rating_letter(r.rating) + "\">"));
    }
  }
}

TEST_CASE("the improvement plan has a row for each objective rated S M or U and none for P") {
  int non_p_seen = 0;
  for (const Case& c : kCases) {
    CAPTURE(c.scenario);
    CAPTURE(c.plan);
    const RecordedRun& run = recorded_run(c.scenario, c.plan);
    const Report rep = build_report(run);
    for (const ObjectiveSection& o : rep.objectives) {
      const auto rows = std::count_if(rep.improvement_plan.begin(), rep.improvement_plan.end(),
                                      [&](const ImprovementItem& i) { return i.source == o.id; });
      CAPTURE(o.id);
      CHECK(rows == (o.rating == Rating::P ? 0 : 1));
      non_p_seen += o.rating != Rating::P;
    }
    for (const ImprovementItem& i : rep.improvement_plan) {
      CHECK_FALSE(i.capability.empty());
      CHECK_FALSE(i.issue.empty());
      CHECK_FALSE(i.corrective_action.empty());
      CHECK_FALSE(i.responsible.empty());
      CHECK(i.start_date < i.completion_date);
    }
  }
  CHECK(non_p_seen > 0);  // the cases exercise the S/M/U path
}

TEST_CASE("against the 2017 plan the missed obligations and silent channels become systemic rows") {
  const RecordedRun& run = recorded_run("belgium/grid-blackout.json", "belgium/plan-2017.json");
  const Report rep = build_report(run);
  int missed = 0;
  for (const ObligationClock& c : run.result.metrics.obligations) missed += c.state == ObligationClock::State::missed;
  REQUIRE(missed > 0);
  CHECK(rep.summary.obligations_missed == missed);
  int silent_channels = 0;
  for (const ChannelStats& s : run.result.metrics.channels) silent_channels += s.attempts > s.sent;
  REQUIRE(silent_channels > 0);
  const auto systemic = std::count_if(rep.improvement_plan.begin(), rep.improvement_plan.end(),
                                      [](const ImprovementItem& i) { return i.source == "systemic"; });
  CHECK(systemic > 0);
  const bool has_missed_row = std::any_of(rep.improvement_plan.begin(), rep.improvement_plan.end(), [](const ImprovementItem& i) {
    return i.source == "systemic" && i.issue.find(" missed '") != std::string::npos;
  });
  CHECK(has_missed_row);
  const bool has_channel_row = std::any_of(rep.improvement_plan.begin(), rep.improvement_plan.end(), [](const ImprovementItem& i) {
    return i.source == "systemic" && i.issue.rfind("Reports to ", 0) == 0;
  });
  CHECK(has_channel_row);
}

TEST_CASE("known versus true has one row per incident and nobody knows before the truth") {
  for (const Case& c : kCases) {
    CAPTURE(c.scenario);
    CAPTURE(c.plan);
    const RecordedRun& run = recorded_run(c.scenario, c.plan);
    const Report rep = build_report(run);
    REQUIRE(rep.known_versus_true.size() == run.result.incidents.size());
    REQUIRE_FALSE(rep.known_versus_true.empty());
    std::set<Index> incidents;
    for (std::size_t i = 0; i < rep.known_versus_true.size(); ++i) {
      const KnownVersusTrue& k = rep.known_versus_true[i];
      CAPTURE(k.asset_id);
      incidents.insert(k.incident);
      CHECK(k.operator_knew == run.result.incidents[k.incident].detected);
      REQUIRE(k.true_start.has_value());
      CHECK(k.operator_knew >= *k.true_start);
      if (k.csirt_knew) CHECK(*k.csirt_knew >= *k.true_start);
      if (k.crisis_knew) CHECK(*k.crisis_knew >= *k.true_start);
      CHECK(k.gap_h.has_value() == k.csirt_knew.has_value());
      if (k.gap_h) CHECK(*k.gap_h == doctest::Approx((*k.csirt_knew - *k.true_start).to_hours()));
      if (i > 0) CHECK(rep.known_versus_true[i - 1].population >= k.population);  // largest populations first
    }
    CHECK(incidents.size() == run.result.incidents.size());
  }
}

TEST_CASE("the timeline is in time order, within its limit, and keeps escalations and decisions") {
  for (const Case& c : kCases) {
    CAPTURE(c.scenario);
    CAPTURE(c.plan);
    const RecordedRun& run = recorded_run(c.scenario, c.plan);
    const Report rep = build_report(run);
    REQUIRE_FALSE(rep.timeline.empty());
    CHECK(rep.timeline.size() <= 60);
    CHECK(rep.timeline.size() <= rep.timeline_total);
    CHECK(std::is_sorted(rep.timeline.begin(), rep.timeline.end(),
                         [](const TimelineEntry& a, const TimelineEntry& b) { return a.time < b.time; }));
    int escalations = 0, decisions = 0;
    for (const TraceRecord& r : run.result.records) {
      escalations += r.kind == RecordKind::escalated || r.kind == RecordKind::deescalated;
      decisions += r.kind == RecordKind::decision_taken;
    }
    CHECK(std::count_if(rep.timeline.begin(), rep.timeline.end(), [](const TimelineEntry& e) { return e.category == "escalation"; }) ==
          escalations);
    CHECK(std::count_if(rep.timeline.begin(), rep.timeline.end(), [](const TimelineEntry& e) { return e.category == "decision"; }) ==
          decisions);
  }
  // A small limit keeps the most significant events and stays sorted.
  ReportOptions small;
  small.timeline_limit = 5;
  const Report rep = build_report(recorded_run("belgium/grid-blackout.json"), small);
  CHECK(rep.timeline.size() == 5);
  CHECK(rep.timeline_total > 5);
  CHECK(std::is_sorted(rep.timeline.begin(), rep.timeline.end(),
                       [](const TimelineEntry& a, const TimelineEntry& b) { return a.time < b.time; }));
}

TEST_CASE("the executive summary and tables carry the run's own numbers") {
  const RecordedRun& run = recorded_run("belgium/grid-blackout.json");
  const Report rep = build_report(run);
  const MetricValues& m = run.result.metrics.values;
  REQUIRE(rep.summary.times.size() == 7);
  for (const KeyTime& k : rep.summary.times) {
    CAPTURE(k.metric);
    CHECK(k.hours == m.at(k.metric));
  }
  CHECK(rep.summary.peak_population_affected == m.at("peak_population_affected"));
  REQUIRE(rep.summary.sectors.size() == run.scenario.sectors.size());
  for (std::size_t i = 0; i < rep.summary.sectors.size(); ++i)
    CHECK(rep.summary.sectors[i].population_hours == run.result.sector_population_hours[i]);
  CHECK(rep.obligations.size() == run.result.metrics.obligations.size());
  CHECK(rep.summary.obligations_met + rep.summary.obligations_missed + rep.summary.obligations_running ==
        static_cast<int>(run.result.metrics.obligations.size()));
  CHECK(rep.coverage.steps.size() == run.result.metrics.coverage.steps.size());
  CHECK(rep.coverage.procedures_fired.size() + rep.coverage.procedures_never_fired.size() == run.scenario.plan.procedures.size());
  CHECK(rep.overview.seed == run.result.seed);
  CHECK(rep.overview.scenario_hash == run.manifest.scenario_hash);
  REQUIRE(rep.overview.threats.size() == 1);
  CHECK(rep.overview.threats[0].steps_succeeded > 0);
  CHECK_FALSE(rep.overview.threats[0].techniques_used.empty());
}

TEST_CASE("improvement-plan dates follow the documented rule from the exercise start date") {
  // Every action starts 30 days after the start date; completion by capability element.
  const RecordedRun& run = recorded_run("belgium/grid-blackout.json", "belgium/plan-2017.json");  // starts 2026-12-15
  const Report rep = build_report(run);
  REQUIRE_FALSE(rep.improvement_plan.empty());
  for (const ImprovementItem& i : rep.improvement_plan) {
    CHECK(i.start_date == "2027-01-14");
    if (i.element == CapabilityElement::equipment) CHECK(i.completion_date == "2027-07-13");
    else if (i.element == CapabilityElement::exercise) CHECK(i.completion_date == "2028-01-14");
    else CHECK(i.completion_date == "2027-04-14");
  }
  CHECK(contains(rep.date_rule, "30 days"));
  ReportOptions later;
  later.action_start_days = 60;
  later.planning_days = 10;
  const Report rep2 = build_report(run, later);
  for (const ImprovementItem& i : rep2.improvement_plan) {
    CHECK(i.start_date == "2027-02-13");
    if (i.element != CapabilityElement::equipment && i.element != CapabilityElement::exercise)
      CHECK(i.completion_date == "2027-02-23");
  }
}

TEST_CASE("a run without trace records cannot be reported") {
  RecordedRun run = recorded_run("tutorial.json");
  run.result.records.clear();
  CHECK_THROWS_AS((void)build_report(run), std::invalid_argument);
}

TEST_CASE("the Markdown and HTML documents hold every section") {
  const Report rep = build_report(recorded_run("tutorial.json"));
  const std::string md = to_markdown(rep);
  const std::string html = to_html(rep);
  for (const char* section : {"1. Exercise overview", "2. Executive summary", "3. Analysis of objectives and core capabilities",
                              "4. Known versus true", "5. Timeline of key events", "6. Reporting obligations", "7. Plan coverage",
                              "Appendix A: Improvement plan", "Run provenance"}) {
    CAPTURE(section);
    CHECK((contains(md, std::string("\n## ") + section + "\n") || contains(md, std::string(": ") + section + "\n")));
    CHECK(contains(html, std::string(section) + "</h2>"));
  }
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(contains(html, "<style>"));
  CHECK(contains(html, "@media print"));
  CHECK_FALSE(contains(html, "<script"));
  CHECK_FALSE(contains(html, "<img"));  // no figures were attached
  CHECK(contains(md, "Tutorial: one breaker, one cascade"));
}

TEST_CASE("the report from the run folder's files is the report of the run itself") {
  // recorded_run reads the folder (read_run_folder); the same run held in memory must give the
  // same report, so nothing the report uses is lost or rounded away on the way through the files.
  for (const Case& c : kCases) {
    CAPTURE(c.scenario);
    CAPTURE(c.plan);
    const RecordedRun& from_folder = recorded_run(c.scenario, c.plan);
    LoadOptions lo;
    if (*c.plan) lo.plan_override = testing::scenario_file(c.plan);
    RecordedRun in_memory;
    in_memory.manifest = from_folder.manifest;
    in_memory.scenario = load_scenario_or_throw(testing::scenario_file(c.scenario), lo);
    RunOptions ro;
    ro.seed = in_memory.scenario.metadata.seed;
    in_memory.result = run_scenario(in_memory.scenario, ro);
    REQUIRE(in_memory.result.fingerprint == from_folder.result.fingerprint);
    const Report a = build_report(from_folder);
    const Report b = build_report(in_memory);
    CHECK(to_markdown(a) == to_markdown(b));
    CHECK(to_html(a) == to_html(b));
  }
}
