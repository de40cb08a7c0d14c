// report --compare, the improvement plan as CSV, and the self-contained HTML (figures as data:
// URIs, base64 per RFC 4648; columns that wrap words).
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "cli_helpers.hpp"
#include "cyberdrill/base64.hpp"
#include "cyberdrill/metrics.hpp"
#include "cyberdrill/report.hpp"
#include "cyberdrill/report_compare.hpp"
#include "report_helpers.hpp"

using namespace cyberdrill;
using cyberdrill::testing::run_cyberdrill;
using cyberdrill::testing::slurp;
namespace fs = std::filesystem;

namespace {

const CompareRow* find_row(const RunComparison& c, const std::string& section, const std::string& item_prefix) {
  for (const CompareSection& s : c.sections)
    if (s.anchor == section)
      for (const CompareRow& r : s.rows)
        if (r.item.rfind(item_prefix, 0) == 0) return &r;
  return nullptr;
}

double metric_of(const RecordedRun& r, std::string_view name) {
  return r.result.metrics.values.at(std::string(name)).value();
}

}  // namespace

TEST_CASE("base64_encode matches the RFC 4648 test vectors and encodes any byte") {
  CHECK(base64_encode("") == "");
  CHECK(base64_encode("f") == "Zg==");
  CHECK(base64_encode("fo") == "Zm8=");
  CHECK(base64_encode("foo") == "Zm9v");
  CHECK(base64_encode("foob") == "Zm9vYg==");
  CHECK(base64_encode("fooba") == "Zm9vYmE=");
  CHECK(base64_encode("foobar") == "Zm9vYmFy");
  CHECK(base64_encode(std::string("\x00\xff\xfe", 3)) == "AP/+");
  CHECK(base64_encode("\x89PNG\r\n\x1a\n") == "iVBORw0KGgo=");  // the PNG signature
}

TEST_CASE("the comparison of two plans on the flagship names both runs and sides with the better metric") {
  const RecordedRun& a = cyberdrill::testing::recorded_run("belgium/grid-blackout.json");
  const RecordedRun& b = cyberdrill::testing::recorded_run("belgium/grid-blackout.json", "belgium/plan-2017.json");
  const RunComparison c = compare_runs(a, b);
  // Every section the issue asks for, in order.
  std::vector<std::string> anchors;
  for (const CompareSection& s : c.sections) anchors.push_back(s.anchor);
  CHECK(anchors == std::vector<std::string>{"runs", "objectives", "obligations", "times", "people", "loss"});
  CHECK(c.sections[1].rows.size() == a.scenario.objectives.size());
  // The verdicts follow the metrics (lower loss and fewer people affected are better).
  const double loss_a = metric_of(a, metric::economic_loss), loss_b = metric_of(b, metric::economic_loss);
  const CompareRow* loss = find_row(c, "loss", "Total");
  REQUIRE(loss != nullptr);
  CHECK(loss_a != loss_b);
  CHECK(loss->verdict == (loss_a < loss_b ? CompareVerdict::a_better : CompareVerdict::b_better));
  const double pop_a = metric_of(a, metric::peak_population_affected), pop_b = metric_of(b, metric::peak_population_affected);
  const CompareRow* pop = find_row(c, "people", "Peak people affected");
  REQUIRE(pop != nullptr);
  CHECK(pop->verdict == (pop_a < pop_b ? CompareVerdict::a_better : pop_a > pop_b ? CompareVerdict::b_better : CompareVerdict::same));
  // The plans differ, and the row says so without taking sides.
  const CompareRow* plan = find_row(c, "runs", "Response plan");
  REQUIRE(plan != nullptr);
  CHECK(plan->verdict == CompareVerdict::differs);
  CHECK(plan->a.find(a.scenario.plan.name) != std::string::npos);
  CHECK(plan->b.find(b.scenario.plan.name) != std::string::npos);
  // An objective rated better in one run sides with that run.
  for (const CompareRow& r : c.sections[1].rows) {
    CAPTURE(r.item);
    if (r.a[0] != r.b[0]) CHECK(r.verdict == (r.a[0] < r.b[0] ? CompareVerdict::a_better : CompareVerdict::b_better));
  }
  int a_wins = 0, b_wins = 0;
  for (const CompareSection& s : c.sections)
    for (const CompareRow& r : s.rows) a_wins += r.verdict == CompareVerdict::a_better, b_wins += r.verdict == CompareVerdict::b_better;
  CHECK(a_wins == c.a_better);
  CHECK(b_wins == c.b_better);
  CHECK(c.a_better + c.b_better > 0);

  const std::string md = to_markdown(c);
  CHECK(md.find(markdown_escape(c.label_a)) != std::string::npos);
  CHECK(md.find(markdown_escape(c.label_b)) != std::string::npos);
  CHECK(md.find("**" + markdown_escape(loss_a < loss_b ? loss->a : loss->b) + "**") != std::string::npos);
  const std::string html = to_html(c);
  CHECK(html.find("class=\"better\"") != std::string::npos);
  CHECK(html.find("class=\"worse\"") != std::string::npos);
  CHECK(html.find("</html>") != std::string::npos);
}

TEST_CASE("a run compared with itself has no winner") {
  const RecordedRun& a = cyberdrill::testing::recorded_run("tutorial.json");
  const RunComparison c = compare_runs(a, a);
  CHECK(c.a_better == 0);
  CHECK(c.b_better == 0);
  for (const CompareSection& s : c.sections)
    for (const CompareRow& r : s.rows) {
      CAPTURE(r.item);
      CHECK(r.verdict == CompareVerdict::same);
      CHECK(r.a == r.b);
    }
}

TEST_CASE("the improvement plan CSV has one row per action, quoted per RFC 4180 and formula cells neutralised") {
  const RecordedRun& run = cyberdrill::testing::recorded_run("belgium/grid-blackout.json");
  Report rep = build_report(run);
  REQUIRE_FALSE(rep.improvement_plan.empty());
  std::string csv = improvement_plan_csv(rep);
  CHECK(csv.rfind("Capability,Issue / area for improvement,Corrective action,", 0) == 0);
  CHECK(static_cast<std::size_t>(std::count(csv.begin(), csv.end(), '\n')) == rep.improvement_plan.size() + 1);
  CHECK(static_cast<std::size_t>(std::count(csv.begin(), csv.end(), '\r')) == rep.improvement_plan.size() + 1);
  CHECK(csv.find(rep.improvement_plan.front().start_date) != std::string::npos);
  // Hostile cells: a formula, a comma and quotes, a line break.
  rep.improvement_plan.front().capability = "=HYPERLINK(\"http://x\")";
  rep.improvement_plan.front().issue = "late, \"very\" late";
  rep.improvement_plan.front().corrective_action = "two\nlines";
  csv = improvement_plan_csv(rep);
  CHECK(csv.find("\r\n\"'=HYPERLINK(\"\"http://x\"\")\",\"late, \"\"very\"\" late\",\"two\nlines\",") != std::string::npos);
}

TEST_CASE("the HTML report embeds its figures as data: URIs and wraps table cells at words") {
  const RecordedRun& run = cyberdrill::testing::recorded_run("tutorial.json");
  Report rep = build_report(run);
  const std::string png("\x89PNG\r\n\x1a\n-not-really-a-picture", 29);
  rep.figures.push_back({"figures/timeline.png", figure_caption("timeline.png"), png});
  const std::string html = to_html(rep);
  CHECK(html.find("src=\"data:image/png;base64," + base64_encode(png) + "\"") != std::string::npos);
  CHECK(html.find("src=\"figures/") == std::string::npos);
  // Cells break between words; a token is only broken when it cannot fit at all.
  CHECK(html.find("overflow-wrap: anywhere") == std::string::npos);
  CHECK(html.find("overflow-wrap: break-word") != std::string::npos);
  // Without the bytes the figure stays a link (Markdown and old callers).
  rep.figures.back().png.clear();
  CHECK(to_html(rep).find("src=\"figures/timeline.png\"") != std::string::npos);
}

TEST_CASE("cyberdrill report --compare writes compare.md and compare.html naming both runs, and the IP as CSV") {
  const fs::path tmp = cyberdrill::testing::temp_folder("cli-compare");
  const std::string scenario = cyberdrill::testing::scenario_file("belgium/grid-blackout.json").string();
  const std::string plan = cyberdrill::testing::scenario_file("belgium/plan-2017.json").string();
  REQUIRE(run_cyberdrill("-q run " + scenario + " -o " + (tmp / "nis2").string()).code == 0);
  REQUIRE(run_cyberdrill("-q run " + scenario + " --plan " + plan + " -o " + (tmp / "baseline").string()).code == 0);
  const auto r = run_cyberdrill("report " + (tmp / "nis2").string() + " --compare " + (tmp / "baseline").string() + " -o " +
                                (tmp / "aar").string() + " --no-figures");
  CAPTURE(r.err);
  REQUIRE(r.code == 0);
  const std::string md = slurp(tmp / "aar" / "compare.md");
  CHECK(md.find("A: nis2") != std::string::npos);
  CHECK(md.find("B: baseline") != std::string::npos);
  CHECK(md.find("(2017 baseline)") != std::string::npos);
  CHECK(slurp(tmp / "aar" / "compare.html").find("B: baseline") != std::string::npos);
  CHECK(fs::is_regular_file(tmp / "aar" / "report.md"));
  CHECK(slurp(tmp / "aar" / "improvement-plan.csv").rfind("Capability,", 0) == 0);
  // A missing second folder is bad input, and nothing is written.
  const auto bad = run_cyberdrill("report " + (tmp / "nis2").string() + " --compare " + (tmp / "nope").string() + " -o " +
                                  (tmp / "aar2").string() + " --no-figures");
  CHECK(bad.code == 2);
  CHECK(bad.err.find("nope") != std::string::npos);
  CHECK_FALSE(fs::exists(tmp / "aar2"));
}

TEST_CASE("cyberdrill report on a batch study folder writes the study report, and --compare with one is refused") {
  const fs::path tmp = cyberdrill::testing::temp_folder("cli-study");
  const std::string scenario = cyberdrill::testing::scenario_file("tutorial.json").string();
  REQUIRE(run_cyberdrill("-q batch " + scenario + " --runs 2 -j 1 -o " + (tmp / "study").string()).code == 0);
  REQUIRE(fs::is_regular_file(tmp / "study" / "manifest.json"));
  const auto r = run_cyberdrill("report " + (tmp / "study").string() + " -o " + (tmp / "aar").string() + " --no-figures");
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(fs::is_regular_file(tmp / "aar" / "study-report.md"));
  CHECK(fs::is_regular_file(tmp / "aar" / "study-report.html"));
  // A study folder is not a run: comparing it with one is bad input, and nothing is written.
  const auto c = run_cyberdrill("report " + (tmp / "study").string() + " --compare " + (tmp / "study").string() +
                                " -o " + (tmp / "cmp").string() + " --no-figures");
  CHECK(c.code == 2);
  CHECK(c.err.find("batch study folder") != std::string::npos);
  CHECK_FALSE(fs::exists(tmp / "cmp"));
}
