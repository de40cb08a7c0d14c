// Strings from a scenario are data, never markup: a hostile scenario cannot inject HTML or break a
// Markdown table.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "cyberdrill/report.hpp"
#include "report_helpers.hpp"

using namespace cyberdrill;

namespace {

const std::string kHostile = "<script>alert('x')</script> | *bold* _it_ `code` [link](http://x) & #h\nsecond line";

/// The tutorial with every name a report prints replaced by a hostile string, run in memory.
RecordedRun hostile_run() {
  Scenario sc = load_scenario_or_throw(cyberdrill::testing::scenario_file("tutorial.json"));
  sc.metadata.name = kHostile;
  sc.metadata.description = kHostile;
  for (Sector& s : sc.sectors) s.name = kHostile + " " + s.id;
  for (Organisation& o : sc.organisations) o.name = kHostile + " " + o.id;
  for (Asset& a : sc.assets) a.name = kHostile + " " + a.id;
  for (Campaign& c : sc.campaigns) {
    c.name = kHostile;
    c.actor = kHostile;
    for (AttackStep& s : c.steps) s.name = kHostile;
  }
  for (Procedure& p : sc.plan.procedures) {
    p.name = kHostile;
    for (ProcedureStep& s : p.steps) s.name = kHostile;
  }
  for (EscalationLevel& l : sc.plan.levels) l.name = kHostile;
  for (Obligation& o : sc.plan.obligations) {
    o.name = kHostile;
    o.regime = kHostile;
  }
  for (Inject& i : sc.injects) i.synopsis = kHostile;
  for (Decision& d : sc.decisions) {
    d.question = kHostile;
    for (DecisionOption& o : d.options) o.label = kHostile;
  }
  for (Objective& o : sc.objectives) {
    o.name = kHostile;
    o.capability = kHostile;
  }
  sc.plan.name = kHostile;
  RecordedRun run;
  run.scenario = sc;
  RunOptions ro;
  ro.seed = sc.metadata.seed;
  run.result = run_scenario(run.scenario, ro);
  run.manifest.scenario_path = kHostile;
  run.manifest.command_line = kHostile;
  return run;
}

/// Unescaped '|' in a Markdown line (a backslash escapes the next character).
int unescaped_pipes(const std::string& line) {
  int n = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\') {
      ++i;
      continue;
    }
    n += line[i] == '|';
  }
  return n;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = text.find('\n', start);
    out.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

}  // namespace

TEST_CASE("html_escape and markdown_escape neutralise markup characters") {
  CHECK(html_escape("<a href=\"x\">Tom & 'Jerry'</a>") == "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;");
  CHECK(markdown_escape("a|b *c* _d_ `e` <f> [g] #h & i~") == "a\\|b \\*c\\* \\_d\\_ \\`e\\` \\<f\\> \\[g\\] \\#h \\& i\\~");
  CHECK(markdown_escape("one\ntwo\r\nthree") == "one two three");
  CHECK(markdown_escape("back\\slash") == "back\\\\slash");
}

TEST_CASE("a scenario with hostile names renders as text in HTML") {
  const RecordedRun run = hostile_run();
  const Report rep = build_report(run);
  const std::string html = to_html(rep);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("[link](http://x)") != std::string::npos);  // Markdown syntax is plain text in HTML
  CHECK(html.find("<a href=\"http://x\"") == std::string::npos);
  // The only tags are ours: every '<' starts one of the tags the renderer writes.
  for (std::size_t i = html.find('<'); i != std::string::npos; i = html.find('<', i + 1)) {
    const std::string tag = html.substr(i, 12);
    CAPTURE(tag);
    const bool ours = tag.rfind("<!DOCTYPE", 0) == 0 || tag.rfind("</", 0) == 0 || tag.rfind("<html", 0) == 0 ||
                      tag.rfind("<head", 0) == 0 || tag.rfind("<meta", 0) == 0 || tag.rfind("<title", 0) == 0 ||
                      tag.rfind("<style", 0) == 0 || tag.rfind("<body", 0) == 0 || tag.rfind("<h", 0) == 0 ||
                      tag.rfind("<p", 0) == 0 || tag.rfind("<strong", 0) == 0 || tag.rfind("<span", 0) == 0 ||
                      tag.rfind("<table", 0) == 0 || tag.rfind("<thead", 0) == 0 || tag.rfind("<tbody", 0) == 0 ||
                      tag.rfind("<tr", 0) == 0 || tag.rfind("<th", 0) == 0 || tag.rfind("<td", 0) == 0 ||
                      tag.rfind("<ul", 0) == 0 || tag.rfind("<ol", 0) == 0 || tag.rfind("<li", 0) == 0 ||
                      tag.rfind("<nav", 0) == 0 || tag.rfind("<a href=\"#", 0) == 0 || tag.rfind("<blockquote", 0) == 0;
    CHECK(ours);
  }
}

TEST_CASE("a scenario with hostile names cannot break Markdown tables or inject HTML") {
  const RecordedRun run = hostile_run();
  const std::string md = to_markdown(build_report(run));
  // Every '<' from the scenario is backslash-escaped (Markdown would pass raw HTML through).
  for (std::size_t i = md.find('<'); i != std::string::npos; i = md.find('<', i + 1)) {
    CAPTURE(md.substr(i, 20));
    CHECK((i > 0 && md[i - 1] == '\\'));
  }
  CHECK(md.find("\\<script\\>") != std::string::npos);
  CHECK(md.find("\\*bold\\*") != std::string::npos);
  CHECK(md.find("second line") != std::string::npos);
  // Every table row has as many cell separators as its header row: no '|' or newline leaked.
  const std::vector<std::string> ls = lines(md);
  int tables = 0;
  for (std::size_t i = 0; i + 1 < ls.size(); ++i) {
    if (ls[i].empty() || ls[i][0] != '|' || ls[i + 1].rfind("| ---", 0) != 0) continue;
    ++tables;
    const int columns = unescaped_pipes(ls[i]);
    for (std::size_t j = i + 2; j < ls.size() && !ls[j].empty(); ++j) {
      CAPTURE(ls[j]);
      CHECK(ls[j][0] == '|');
      CHECK(unescaped_pipes(ls[j]) == columns);
    }
  }
  CHECK(tables >= 8);
  // No line starts with scenario text that could become a heading, list or quote.
  for (const std::string& l : ls) CHECK(l.rfind("second line", 0) != 0);
}
