// The study report (report STUDY_DIR): ranking rules, censored runs, escaping, and bad input, on
// hand-written study CSV files whose answer is known.
#include <doctest/doctest.h>

#include <string>

#include "cyberdrill/study_report.hpp"

using namespace cyberdrill;

namespace {

const std::string kHead =
    "variant,policy.csirt_staff_scale,metric,runs,happened,mean,sd,ci95_low,ci95_high,min,p10,median,p90,max,"
    "diff_n,diff_mean,diff_sd,diff_ci95_low,diff_ci95_high\n";

// Three configurations. On the mean over the runs that escalated, v2 looks best (2 h) but it
// escalated in only 2 of 10 runs; v1 escalated in every run with a mean of 4 h. Economic loss:
// v0 lowest.
StudyReportInput three_configurations() {
  StudyReportInput in;
  in.title = "toy";
  in.summary_csv = kHead +
                   "v0,1,time_to_escalate_h,10,10,6,1,5.3,6.7,4,5,6,7,8,,,,,\n"
                   "v0,1,economic_loss_eur,10,10,100,1,99,101,98,99,100,101,102,,,,,\n"
                   "v1,2,time_to_escalate_h,10,10,4,1,3.3,4.7,2,3,4,5,6,10,-2,0.5,-2.4,-1.6\n"
                   "v1,2,economic_loss_eur,10,10,300,1,299,301,298,299,300,301,302,10,200,1,199,201\n"
                   "v2,3,time_to_escalate_h,10,2,2,0,,,2,2,2,2,2,2,-4,0,,\n"
                   "v2,3,economic_loss_eur,10,10,200,1,199,201,198,199,200,201,202,10,100,1,99,101\n";
  in.censoring_csv =
      "variant,policy.csirt_staff_scale,metric,runs,reached,censored,censor_h,km_median_h,restricted_mean_h,mean_reached_h\n"
      "v0,1,time_to_escalate_h,10,10,0,48,6,6,6\n"
      "v1,2,time_to_escalate_h,10,10,0,48,4,4,4\n"
      "v2,3,time_to_escalate_h,10,2,8,48,,38.8,2\n";
  in.sensitivity_csv = "parameter,metric,n,src,src_ci95_low,src_ci95_high,prcc,prcc_ci95_low,prcc_ci95_high\n"
                       "policy.csirt_staff_scale,time_to_escalate_h,22,-0.1,-0.3,0.1,-0.2,-0.5,0.1\n"
                       "policy.csirt_staff_scale,economic_loss_eur,30,0.9,0.8,1,0.95,0.9,0.98\n";
  return in;
}

}  // namespace

TEST_CASE("study report ranks a time metric by the Kaplan-Meier restricted mean, so censored runs count") {
  StudyReportInput in = three_configurations();
  const StudyReportText t = render_study_report(in);
  // Restricted means 6, 4, 38.8 h: v1 first, v2 (8 runs never escalated) last despite its 2 h mean.
  REQUIRE(t.ranking.size() == 3);
  CHECK(t.ranking[0] == "v1");
  CHECK(t.ranking[1] == "v0");
  CHECK(t.ranking[2] == "v2");
  CHECK(t.markdown.find("Kaplan-Meier restricted mean") != std::string::npos);
  CHECK(t.markdown.find("| v2 | time\\_to\\_escalate\\_h | 2/10 | 8 |") != std::string::npos);  // censored counts
  CHECK(t.markdown.find("> horizon") != std::string::npos);                                       // KM median not reached
}

TEST_CASE("study report ranks another metric by its mean, lower first, with the paired difference") {
  StudyReportInput in = three_configurations();
  in.rank_by = "economic_loss_eur";
  const StudyReportText t = render_study_report(in);
  REQUIRE(t.ranking.size() == 3);
  CHECK(t.ranking == std::vector<std::string>{"v0", "v2", "v1"});
  CHECK(t.html.find("200.00 [199.00, 201.00]") != std::string::npos);  // v1 - v0 with its interval
  CHECK(t.markdown.find("200.00 \\[199.00, 201.00\\]") != std::string::npos);
}

TEST_CASE("study report: sensitivity sorted by |SRC|, an unknown metric and broken CSV are bad input") {
  StudyReportInput in = three_configurations();
  const StudyReportText t = render_study_report(in);
  const auto loss = t.markdown.find("| policy.csirt\\_staff\\_scale | economic\\_loss\\_eur | 30 | 0.90 |");
  const auto esc = t.markdown.find("| policy.csirt\\_staff\\_scale | time\\_to\\_escalate\\_h | 22 | -0.10 |");
  REQUIRE(loss != std::string::npos);
  REQUIRE(esc != std::string::npos);
  CHECK(loss < esc);
  in.rank_by = "no_such_metric";
  CHECK_THROWS_AS((void)render_study_report(in), StudyReportError);
  in.rank_by = "economic_loss_eur";
  in.summary_csv += "v3,\"unterminated\n";
  CHECK_THROWS_AS((void)render_study_report(in), StudyReportError);
}

TEST_CASE("study report escapes the study's strings and embeds its figures") {
  StudyReportInput in;
  in.title = "t";
  in.summary_csv = "variant,plan,metric,runs,happened,mean,sd,ci95_low,ci95_high,min,p10,median,p90,max,"
                   "diff_n,diff_mean,diff_sd,diff_ci95_low,diff_ci95_high\n"
                   "v0,\"<script>alert(1)</script>|x, y\",time_to_escalate_h,1,1,1,,,,1,1,1,1,1,,,,,\n";
  in.figures.push_back({"figures/tornado.png", "a <b> caption", std::string("\x89PNG\r\n", 6)});
  const StudyReportText t = render_study_report(in);
  CHECK(t.html.find("<script>") == std::string::npos);
  CHECK(t.html.find("&lt;script&gt;") != std::string::npos);
  CHECK(t.markdown.find("\\<script\\>alert(1)\\</script\\>\\|x, y") != std::string::npos);
  CHECK(t.html.find("data:image/png;base64,iVBORw0K") != std::string::npos);
  CHECK(t.html.find("src=\"figures/") == std::string::npos);  // self-contained
  CHECK(t.markdown.find("](figures/tornado.png)") != std::string::npos);
}

TEST_CASE("parse_csv reads RFC 4180 quoting") {
  const auto rows = parse_csv("a,\"b,c\",\"d \"\"e\"\"\"\r\n1,,\"x\ny\"\n");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0] == std::vector<std::string>{"a", "b,c", "d \"e\""});
  CHECK(rows[1] == std::vector<std::string>{"1", "", "x\ny"});
}
