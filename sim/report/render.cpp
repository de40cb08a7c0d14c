// Rendering the Report: one document outline (blocks of spans of plain text), written out as
// Markdown or as HTML. Every span's text is escaped by the writer, so no scenario string can
// become markup.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "cyberdrill/base64.hpp"
#include "cyberdrill/metrics.hpp"
#include "cyberdrill/report.hpp"
#include "text.hpp"

namespace cyberdrill {

using report_text::clock;
using report_text::format;
using report_text::from_hours;
using report_text::hours;
using report_text::percent;
using report_text::plural;
using report_text::thousands;

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string markdown_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (const char c : text) {
    if (c == '\n' || c == '\r' || c == '\t') {
      if (!space) out += ' ';
      space = true;
      continue;
    }
    space = false;
    switch (c) {
      case '\\':
      case '|':
      case '*':
      case '_':
      case '`':
      case '<':
      case '>':
      case '[':
      case ']':
      case '#':
      case '&':
      case '~':
        out += '\\';
        out += c;
        break;
      default: out += c;
    }
  }
  return out;
}

namespace {

// ---------------------------------------------------------------------------------------------
// The outline
// ---------------------------------------------------------------------------------------------

struct Span {
  enum class Style : std::uint8_t { plain, strong, rating };
  std::string text;
  Style style = Style::plain;
};
using Spans = std::vector<Span>;

Span plain(std::string t) { return {std::move(t), Span::Style::plain}; }
Span strong(std::string t) { return {std::move(t), Span::Style::strong}; }
Span rating_span(Rating r) { return {std::string(1, rating_letter(r)), Span::Style::rating}; }

struct Table {
  std::vector<std::string> head;
  std::vector<bool> numeric;  // right-aligned columns
  std::vector<std::vector<Spans>> rows;
  std::string css;            // extra class for HTML
};

struct Block {
  enum class Kind : std::uint8_t { heading, paragraph, bullets, table, figure, note, toc };
  Kind kind = Kind::paragraph;
  int level = 2;              // heading
  std::string anchor;         // heading (our own identifier, never scenario text)
  Spans spans;                // heading, paragraph, note
  std::vector<Spans> items;   // bullets, toc
  Table table;
  std::string file;           // figure
  std::string caption;        // figure
  std::string css;            // paragraph: extra class for HTML (e.g. "finding")
};

class Outline {
 public:
  std::vector<Block> blocks;
  std::vector<std::pair<std::string, std::string>> toc;  // (anchor, title)

  void heading(int level, std::string text, std::string anchor = {}) {
    Block b;
    b.kind = Block::Kind::heading;
    b.level = level;
    b.anchor = anchor;
    b.spans = {plain(text)};
    if (level == 2 && !anchor.empty()) toc.push_back({anchor, text});
    blocks.push_back(std::move(b));
  }
  void paragraph(Spans spans, std::string css = {}) {
    Block b;
    b.kind = Block::Kind::paragraph;
    b.spans = std::move(spans);
    b.css = std::move(css);
    blocks.push_back(std::move(b));
  }
  void note(Spans spans) {
    Block b;
    b.kind = Block::Kind::note;
    b.spans = std::move(spans);
    blocks.push_back(std::move(b));
  }
  void bullets(std::vector<Spans> items) {
    Block b;
    b.kind = Block::Kind::bullets;
    b.items = std::move(items);
    blocks.push_back(std::move(b));
  }
  void table(Table t) {
    Block b;
    b.kind = Block::Kind::table;
    b.table = std::move(t);
    blocks.push_back(std::move(b));
  }
  void figure(std::string file, std::string caption) {
    Block b;
    b.kind = Block::Kind::figure;
    b.file = std::move(file);
    b.caption = std::move(caption);
    blocks.push_back(std::move(b));
  }
};

std::string local(const Report& r, SimTime t) {
  return report_text::wall_clock(t, r.overview.start_utc_s, r.overview.time_zone);
}

MetricUnit unit_of(const std::string& metric) {
  const MetricInfo* m = find_metric(metric);
  return m != nullptr ? m->unit : MetricUnit::count;
}

std::string threshold_text(const ObjectiveSection& o, double v) {
  if (unit_of(o.metric) == MetricUnit::hours) return format("%g h", v);
  if (unit_of(o.metric) == MetricUnit::fraction) return percent(v);
  if (v >= 10000) return thousands(v);
  return format("%g", v);
}

std::string value_text(const ObjectiveSection& o) {
  if (!o.value) return "never happened";
  if (unit_of(o.metric) == MetricUnit::hours) return format("%.1f h", *o.value);
  if (unit_of(o.metric) == MetricUnit::fraction) return percent(*o.value);
  if (*o.value >= 10000) return thousands(*o.value);
  return format("%g", *o.value);
}

/// Which section a figure belongs in, and its caption, by the viz library's file names.
struct FigurePlace {
  const char* file;
  const char* section;
  const char* caption;
};
constexpr FigurePlace kFigurePlaces[] = {
    {"service-levels.png", "summary", "Service level per sector over the run, with escalations and decisions."},
    {"cascade-peak.png", "known", "The cascade at the moment of peak population affected: ground truth beside what the CSIRT knew."},
    {"timeline.png", "timeline", "Key events of the run, by lane."},
    {"impact-curves.png", "summary",
     "People without each service and economic loss over the run, with the obligations' deadlines and the escalations."},
};

}  // namespace

std::string figure_caption(std::string_view file_name) {
  for (const FigurePlace& p : kFigurePlaces)
    if (file_name == p.file) return p.caption;
  return std::string(file_name);
}

namespace {

void place_figures(Outline& out, const Report& r, const char* section) {
  for (const ReportFigure& f : r.figures) {
    const std::string name = std::filesystem::path(f.file).filename().string();
    const char* placed = "appendix";
    for (const FigurePlace& p : kFigurePlaces)
      if (name == p.file) placed = p.section;
    if (std::string_view(placed) == section) out.figure(f.file, f.caption);
  }
}

// One function per section of the report, in the order outline() calls them; each appends its
// blocks to `out`.

// The title block: heading, facts table and handling note (the table of contents follows it).
void title_block(Outline& out, const Report& r) {
  const ReportOverview& ov = r.overview;
  out.heading(1, "After-Action Report / Improvement Plan");
  out.paragraph({strong(ov.name)}, "subtitle");
  {
    Table t;
    t.css = "facts";
    t.head = {"Item", "Value"};
    t.rows.push_back({{plain("Exercise")}, {plain(ov.name)}});
    t.rows.push_back({{plain("Start (T+0)")}, {plain(local(r, SimTime::zero()) + " (" + ov.time_zone + "; scenario start " + ov.start_local + ")")}});
    t.rows.push_back({{plain("Duration")}, {plain(format_duration(ov.horizon) + " planned; the run ended at " + clock(ov.end) + ", " + local(r, ov.end))}});
    t.rows.push_back({{plain("Response plan")}, {plain(ov.plan_name + " (" + ov.plan_id + ", version " + ov.plan_version + ")")}});
    t.rows.push_back({{plain("Seed")}, {plain(std::to_string(ov.seed))}});
    t.rows.push_back({{plain("Evaluated by")}, {plain("cyberdrill " + ov.cyberdrill_version + " (git " + ov.git_commit + "), scenario hash " + ov.scenario_hash)}});
    out.table(std::move(t));
  }
  out.note({strong("Handling. "),
            plain("This report evaluates a simulated exercise run. Every observation below is derived from the run's "
                  "trace records and metrics; times are given on the exercise clock (T+) with the local wall-clock time. "
                  "Ratings follow HSEEP: P performed without challenges, S performed with some challenges, M performed "
                  "with major challenges, U unable to be performed.")});
}

// ---- 1. overview -----------------------------------------------------------------------
void overview_section(Outline& out, const Report& r) {
  const ReportOverview& ov = r.overview;
  out.heading(2, "1. Exercise overview", "overview");
  out.heading(3, "Scenario");
  out.paragraph({plain(ov.description)});
  out.heading(3, "Participating organisations");
  {
    Table t;
    t.head = {"Organisation", "Kind"};
    std::vector<std::string> idle;
    for (const ReportOverview::Org& o : ov.organisations) {
      if (o.took_part) t.rows.push_back({{plain(o.name)}, {plain(o.kind)}});
      else idle.push_back(o.name);
    }
    out.paragraph({plain(plural(static_cast<long>(t.rows.size()), "organisation", "organisations") +
                         " acted or were informed during the run.")});
    out.table(std::move(t));
    if (!idle.empty() && idle.size() <= 12)
      out.paragraph({plain(plural(static_cast<long>(idle.size()), "organisation of the scenario", "organisations of the scenario") +
                           " took no part in this run: " + report_text::join(idle, "; ") + ".")});
    else if (!idle.empty())
      out.paragraph({plain(plural(static_cast<long>(idle.size()), "other organisation of the scenario", "other organisations of the scenario") +
                           " (operators and authorities of sectors this run did not reach) took no part in it.")});
  }
  out.heading(3, "Threat");
  {
    Table t;
    t.head = {"Campaign", "Actor", "Steps succeeded", "ATT&CK techniques used", "Planned, not achieved"};
    t.numeric = {false, false, true, false, false};
    for (const ReportOverview::Threat& th : ov.threats) {
      std::vector<std::string> unused;
      for (const std::string& tech : th.techniques_planned)
        if (std::find(th.techniques_used.begin(), th.techniques_used.end(), tech) == th.techniques_used.end()) unused.push_back(tech);
      t.rows.push_back({{plain(th.campaign)},
                        {plain(th.actor)},
                        {plain(format("%d of %d", th.steps_succeeded, th.steps))},
                        {plain(th.techniques_used.empty() ? "none" : report_text::join(th.techniques_used, ", "))},
                        {plain(unused.empty() ? "-" : report_text::join(unused, ", "))}});
    }
    if (t.rows.empty()) out.paragraph({plain("The scenario has no attacker campaign.")});
    else out.table(std::move(t));
  }
}

// ---- 2. executive summary --------------------------------------------------------------
void summary_section(Outline& out, const Report& r) {
  const ExecutiveSummary& es = r.summary;
  out.heading(2, "2. Executive summary", "summary");
  {
    std::vector<Spans> items;
    for (const std::string& h : es.headline) items.push_back({plain(h)});
    out.bullets(std::move(items));
  }
  out.heading(3, "Key times");
  {
    Table t;
    t.head = {"Milestone", "Hours after T+0", "Exercise clock", "Local time"};
    t.numeric = {false, true, false, false};
    for (const KeyTime& k : es.times) {
      if (k.hours)
        t.rows.push_back({{plain(k.label)}, {plain(format("%.1f", *k.hours))}, {plain(clock(from_hours(*k.hours)))},
                          {plain(local(r, from_hours(*k.hours)))}});
      else
        t.rows.push_back({{plain(k.label)}, {plain("never")}, {plain("-")}, {plain("-")}});
    }
    out.table(std::move(t));
  }
  out.heading(3, "Impact");
  {
    Spans s;
    s.push_back(strong("Peak population affected: "));
    s.push_back(plain(es.peak_population_affected ? thousands(*es.peak_population_affected) + " distinct people (each counted once, however many services they lacked). " : "none. "));
    s.push_back(strong("Population-hours lost: "));
    s.push_back(plain(es.population_hours_lost ? thousands(*es.population_hours_lost) + " person-hours. " : "none. "));
    s.push_back(strong("Highest national severity assessed: "));
    s.push_back(plain(es.max_severity ? format("%.0f (0-5, US CISS levels).", *es.max_severity) : "none."));
    out.paragraph(std::move(s));
    Table t;
    t.head = {"Sector", "Person-hours lost", "Asset-hours lost"};
    t.numeric = {false, true, true};
    for (const SectorImpact& si : es.sectors)
      t.rows.push_back({{plain(si.sector)}, {plain(thousands(si.population_hours))}, {plain(format("%.1f", si.service_hours))}});
    out.table(std::move(t));
  }
  out.heading(3, "Obligations and objectives at a glance");
  out.paragraph({strong("Reporting obligations: "),
                 plain(format("%d met, %d missed", es.obligations_met, es.obligations_missed) +
                       (es.obligations_running > 0 ? format(", %d still running at the end.", es.obligations_running) : std::string(".")))});
  {
    Table t;
    t.head = {"Objective", "Rating", "HSEEP rating"};
    for (const ObjectiveGlance& g : es.objectives)
      t.rows.push_back({{plain(g.id + " " + g.name)}, {rating_span(g.rating)}, {plain(rating_wording(g.rating))}});
    if (t.rows.empty()) out.paragraph({plain("The scenario defines no objectives.")});
    else out.table(std::move(t));
  }
  place_figures(out, r, "summary");
}

// ---- 3. objectives ---------------------------------------------------------------------
void objectives_section(Outline& out, const Report& r) {
  out.heading(2, "3. Analysis of objectives and core capabilities", "objectives");
  out.paragraph({plain("Each objective is rated from its metric against the thresholds the planners set. Strengths and "
                       "areas for improvement give the observation, the analysis and (for areas) the root cause, all "
                       "taken from the run's trace.")});
  if (r.objectives.empty()) out.paragraph({plain("The scenario defines no objectives.")});
  for (const ObjectiveSection& o : r.objectives) {
    out.heading(3, o.id + " " + o.name);
    out.paragraph({strong("Core capability: "), plain(o.capability.empty() ? "-" : o.capability), plain(". "),
                   strong("Rating: "), rating_span(o.rating), plain(std::string(" ") + rating_wording(o.rating) + ".")},
                  "rating-line");
    Table t;
    const std::string cmp = o.lower_is_better ? "\u2264" : "\u2265";
    t.head = {"Metric", "Value", "P if " + cmp, "S if " + cmp, "M if " + cmp};
    t.numeric = {false, true, true, true, true};
    t.rows.push_back({{plain(o.metric)}, {plain(value_text(o))}, {plain(threshold_text(o, o.p))}, {plain(threshold_text(o, o.s))},
                      {plain(threshold_text(o, o.m))}});
    out.table(std::move(t));
    out.heading(4, "Strengths");
    if (o.strengths.empty()) out.paragraph({plain("None identified for this objective.")});
    for (std::size_t i = 0; i < o.strengths.size(); ++i) {
      const Finding& fd = o.strengths[i];
      out.paragraph({strong(format("Strength %zu. Observation: ", i + 1)), plain(fd.observation)}, "finding strength");
      if (!fd.analysis.empty()) out.paragraph({strong("Analysis: "), plain(fd.analysis)}, "finding strength");
    }
    out.heading(4, "Areas for improvement");
    if (o.areas_for_improvement.empty()) out.paragraph({plain("None identified for this objective.")});
    for (std::size_t i = 0; i < o.areas_for_improvement.size(); ++i) {
      const Finding& fd = o.areas_for_improvement[i];
      out.paragraph({strong(format("Area %zu. Observation: ", i + 1)), plain(fd.observation)}, "finding area");
      if (!fd.analysis.empty()) out.paragraph({strong("Analysis: "), plain(fd.analysis)}, "finding area");
      if (!fd.root_cause.empty()) out.paragraph({strong("Root cause: "), plain(fd.root_cause)}, "finding area");
    }
  }

  if (!r.facilitator_observations.empty()) {
    out.heading(3, "Facilitator's observations");
    out.paragraph({plain("Notes the facilitator took during the live drill, at their simulated times.")});
    for (std::size_t i = 0; i < r.facilitator_observations.size(); ++i) {
      const TimelineEntry& e = r.facilitator_observations[i];
      out.paragraph({strong(format("Observation %zu (%s, %s): ", i + 1, clock(e.time).c_str(), local(r, e.time).c_str())),
                     plain(e.text)},
                    "finding note");
    }
  }
}

// ---- 4. known versus true --------------------------------------------------------------
void known_section(Outline& out, const Report& r) {
  const std::string csirt = r.triage_org.empty() ? std::string("the CSIRT") : r.triage_org;
  out.heading(2, "4. Known versus true", "known");
  out.paragraph({plain("For every incident of the scenario: when the truth began (the attacker starting on the asset, "
                       "compromising it, or its service falling), when its operator detected it, when " + csirt +
                       (r.crisis_org.empty() ? std::string() : " and " + r.crisis_org) +
                       " first knew of it, and the gap between the truth and " + csirt +
                       "'s knowledge. Largest populations first.")});
  {
    Table t;
    t.head = {"Asset", "Sector", "Operator", "Population", "True start", "What happened first", "Operator detected",
              "CSIRT knew", "Crisis centre knew", "Gap to CSIRT (h)"};
    t.numeric = {false, false, false, true, false, false, false, false, false, true};
    for (const KnownVersusTrue& k : r.known_versus_true) {
      t.rows.push_back({{plain(k.asset)},
                        {plain(k.sector)},
                        {plain(k.operator_name)},
                        {plain(thousands(static_cast<double>(k.population)))},
                        {plain(k.true_start ? clock(*k.true_start) : "-")},
                        {plain(k.true_event.empty() ? "-" : k.true_event)},
                        {plain(clock(k.operator_knew) + " by " + k.detected_by)},
                        {plain(k.csirt_knew ? clock(*k.csirt_knew) : "never")},
                        {plain(k.crisis_knew ? clock(*k.crisis_knew) : "never")},
                        {k.gap_h ? plain(format("%.1f", *k.gap_h)) : strong("never known")}});
    }
    if (t.rows.empty()) out.paragraph({plain("No incident was opened during the run.")});
    else out.table(std::move(t));
  }
  place_figures(out, r, "known");
}

// ---- 5. timeline -----------------------------------------------------------------------
void timeline_section(Outline& out, const Report& r) {
  out.heading(2, "5. Timeline of key events", "timeline");
  out.paragraph({plain(r.timeline.size() < r.timeline_total
                           ? format("The %zu most significant of %zu key events (escalations, decisions, injects, "
                                    "attack steps, first outages and missed obligations are always kept), in time order.",
                                    r.timeline.size(), r.timeline_total)
                           : format("All %zu key events, in time order.", r.timeline.size()))});
  {
    Table t;
    t.head = {"Exercise clock", "Local time", "Category", "Event"};
    for (const TimelineEntry& e : r.timeline)
      t.rows.push_back({{plain(clock(e.time))}, {plain(local(r, e.time))}, {plain(e.category)}, {plain(e.text)}});
    t.css = "timeline";
    out.table(std::move(t));
  }
  place_figures(out, r, "timeline");
}

// ---- 6. obligations --------------------------------------------------------------------
void obligations_section(Outline& out, const Report& r) {
  const ExecutiveSummary& es = r.summary;
  out.heading(2, "6. Reporting obligations", "obligations");
  if (r.obligations.empty()) {
    out.paragraph({plain("No reporting clock started during the run.")});
  } else {
    out.paragraph({plain(format("%zu clocks started: %d met, %d missed, %d still running at the end. A clock runs per "
                                "obligation and obliged operator from its awareness of a significant incident.",
                                r.obligations.size(), es.obligations_met, es.obligations_missed, es.obligations_running))});
    Table t;
    t.head = {"Regime", "Obligation", "Operator", "Started", "Due", "State", "Met at"};
    for (const ObligationRow& o : r.obligations)
      t.rows.push_back({{plain(o.regime)}, {plain(o.obligation)}, {plain(o.operator_name)}, {plain(clock(o.started))},
                        {plain(clock(o.due))}, {o.state == "met" ? plain(o.state) : strong(o.state)},
                        {plain(o.met_at ? clock(*o.met_at) : "-")}});
    out.table(std::move(t));
  }
}

// ---- 7. plan coverage ------------------------------------------------------------------
void coverage_section(Outline& out, const Report& r) {
  out.heading(2, "7. Plan coverage", "coverage");
  {
    const CoverageSummary& c = r.coverage;
    out.paragraph({plain(c.completed_fraction ? percent(*c.completed_fraction) + " of the plan's steps completed at least once."
                                              : std::string("The plan has no steps."))});
    auto list = [](const std::vector<std::string>& v) { return v.empty() ? std::string("none") : report_text::join(v, "; "); };
    out.bullets({
        {strong("Procedures that ran: "), plain(list(c.procedures_fired))},
        {strong("Procedures never triggered: "), plain(list(c.procedures_never_fired))},
        {strong("Steps blocked (staff or closed organisation): "), plain(list(c.steps_blocked))},
        {strong("Steps that missed their deadline: "), plain(list(c.steps_timed_out))},
    });
    Table t;
    t.head = {"Procedure", "Step", "Performed by", "Started", "Completed", "Blocked", "Missed deadline"};
    t.numeric = {false, false, false, true, true, true, true};
    for (const CoverageSummary::StepRow& row : c.steps) {
      auto n = [](int v) { return v == 0 ? plain("-") : plain(std::to_string(v)); };
      auto bad = [](int v) { return v == 0 ? plain("-") : strong(std::to_string(v)); };
      t.rows.push_back({{plain(row.procedure)}, {plain(row.step)}, {plain(row.org)}, {row.started == 0 ? strong("never") : n(row.started)},
                        {n(row.completed)}, {bad(row.blocked)}, {bad(row.timed_out)}});
    }
    if (!t.rows.empty()) out.table(std::move(t));
  }
}

// ---- appendix A: improvement plan ------------------------------------------------------
void improvement_plan_section(Outline& out, const Report& r) {
  out.heading(2, "Appendix A: Improvement plan", "improvement-plan");
  out.paragraph({plain("One row per objective rated S, M or U and per systemic issue found in the trace (blocked or late "
                       "plan steps, missed obligations, silent reporting channels). " + r.date_rule)});
  {
    Table t;
    t.head = {"Capability", "Issue / area for improvement", "Corrective action", "Capability element", "Responsible organisation",
              "Start", "Completion"};
    for (const ImprovementItem& i : r.improvement_plan)
      t.rows.push_back({{plain(i.capability)}, {plain(i.issue)}, {plain(i.corrective_action)},
                        {plain(capability_element_name(i.element))}, {plain(i.responsible)}, {plain(i.start_date)},
                        {plain(i.completion_date)}});
    t.css = "ip";
    if (t.rows.empty()) out.paragraph({plain("Every objective was performed without challenges and no systemic issue was found.")});
    else out.table(std::move(t));
  }
}

// ---- other figures and provenance ------------------------------------------------------
void closing_appendices(Outline& out, const Report& r) {
  const ReportOverview& ov = r.overview;
  bool other = false;
  for (const ReportFigure& f : r.figures) {
    const std::string name = std::filesystem::path(f.file).filename().string();
    bool known = false;
    for (const FigurePlace& p : kFigurePlaces) known = known || name == p.file;
    other = other || !known;
  }
  if (other) {
    out.heading(2, "Appendix B: Further figures", "figures");
    place_figures(out, r, "appendix");
  }
  out.heading(2, other ? "Appendix C: Run provenance" : "Appendix B: Run provenance", "provenance");
  {
    Table t;
    t.head = {"Item", "Value"};
    t.css = "facts";
    t.rows.push_back({{plain("cyberdrill version")}, {plain(ov.cyberdrill_version + " (git " + ov.git_commit + ")")}});
    t.rows.push_back({{plain("Scenario file")}, {plain(ov.scenario_path)}});
    t.rows.push_back({{plain("Scenario hash")}, {plain(ov.scenario_hash)}});
    t.rows.push_back({{plain("Seed")}, {plain(std::to_string(ov.seed))}});
    t.rows.push_back({{plain("Trace fingerprint")}, {plain(format("%016llx", static_cast<unsigned long long>(ov.fingerprint)))}});
    t.rows.push_back({{plain("Command line")}, {plain(ov.command_line)}});
    out.table(std::move(t));
    out.paragraph({plain("The report was rebuilt by replaying the run folder; the replayed trace matched the recorded "
                         "fingerprint, so every figure above is the recorded run's.")});
  }
}

Outline outline(const Report& r) {
  Outline out;
  title_block(out, r);
  const std::size_t toc_at = out.blocks.size();
  overview_section(out, r);
  summary_section(out, r);
  objectives_section(out, r);
  known_section(out, r);
  timeline_section(out, r);
  obligations_section(out, r);
  coverage_section(out, r);
  improvement_plan_section(out, r);
  closing_appendices(out, r);

  // Table of contents after the title block.
  Block toc;
  toc.kind = Block::Kind::toc;
  for (const auto& [anchor, title] : out.toc) toc.items.push_back({plain(title)});
  out.blocks.insert(out.blocks.begin() + static_cast<std::ptrdiff_t>(toc_at), std::move(toc));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------------------------

std::string md_spans(const Spans& spans) {
  std::string out;
  for (const Span& s : spans) {
    switch (s.style) {
      case Span::Style::plain: out += markdown_escape(s.text); break;
      case Span::Style::strong: {
        // Keep emphasis markers tight against text: move edge spaces outside the markers.
        std::string t = markdown_escape(s.text);
        std::size_t b = 0, e = t.size();
        while (b < e && t[b] == ' ') ++b;
        while (e > b && t[e - 1] == ' ') --e;
        if (b == e) {
          out += t;
        } else {
          out += t.substr(0, b) + "**" + t.substr(b, e - b) + "**" + t.substr(e);
        }
        break;
      }
      case Span::Style::rating: out += "**" + markdown_escape(s.text) + "**"; break;
    }
  }
  return out;
}

}  // namespace

std::string to_markdown(const Report& report) {
  const Outline o = outline(report);
  std::string md;
  for (const Block& b : o.blocks) {
    switch (b.kind) {
      case Block::Kind::heading: md += std::string(static_cast<std::size_t>(b.level), '#') + " " + md_spans(b.spans) + "\n\n"; break;
      case Block::Kind::paragraph: md += md_spans(b.spans) + "\n\n"; break;
      case Block::Kind::note: md += "> " + md_spans(b.spans) + "\n\n"; break;
      case Block::Kind::bullets:
        for (const Spans& item : b.items) md += "- " + md_spans(item) + "\n";
        md += "\n";
        break;
      case Block::Kind::toc:
        md += "**Contents:** ";
        for (std::size_t i = 0; i < b.items.size(); ++i) md += (i ? " · " : "") + md_spans(b.items[i]);
        md += "\n\n";
        break;
      case Block::Kind::figure:
        md += "![" + markdown_escape(b.caption) + "](" + b.file + ")\n\n*" + markdown_escape(b.caption) + "*\n\n";
        break;
      case Block::Kind::table: {
        const Table& t = b.table;
        md += "|";
        for (const std::string& h : t.head) md += " " + markdown_escape(h) + " |";
        md += "\n|";
        for (std::size_t c = 0; c < t.head.size(); ++c) md += (c < t.numeric.size() && t.numeric[c]) ? " ---: |" : " --- |";
        md += "\n";
        for (const auto& row : t.rows) {
          md += "|";
          for (const Spans& cell : row) md += " " + md_spans(cell) + " |";
          md += "\n";
        }
        md += "\n";
        break;
      }
    }
  }
  while (md.size() > 1 && md[md.size() - 1] == '\n' && md[md.size() - 2] == '\n') md.pop_back();
  return md;
}

// ---------------------------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------------------------

namespace {

constexpr const char* kCss = R"css(
:root { --ink: #1a1a1a; --muted: #555; --rule: #c8c8c8; --band: #f3f5f8; --accent: #1f3a5f;
        --p: #1b7f3b; --s: #b58900; --m: #d9660b; --u: #b3261e; }
* { box-sizing: border-box; }
html { font-size: 17px; }
body { margin: 0 auto; max-width: 72rem; padding: 2rem 2.5rem 4rem; color: var(--ink); background: #fff;
       font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; line-height: 1.5; }
h1 { font-size: 2rem; color: var(--accent); border-bottom: 4px solid var(--accent); padding-bottom: .3rem; margin-bottom: .2rem; }
p.subtitle { font-size: 1.35rem; margin-top: .3rem; }
h2 { font-size: 1.5rem; color: var(--accent); border-bottom: 2px solid var(--rule); margin-top: 2.5rem; padding-bottom: .2rem; }
h3 { font-size: 1.2rem; margin-top: 1.8rem; }
h4 { font-size: 1rem; margin: 1.1rem 0 .3rem; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1.2rem; font-size: .9rem; }
th, td { border: 1px solid var(--rule); padding: .35rem .5rem; text-align: left; vertical-align: top;
         overflow-wrap: break-word; word-break: normal; hyphens: manual; }
th { background: var(--band); font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
table.facts td:first-child { width: 14rem; font-weight: 600; background: var(--band); }
table.timeline td:nth-child(1), table.timeline td:nth-child(2) { white-space: nowrap; }
table.ip td:nth-child(6), table.ip td:nth-child(7) { white-space: nowrap; }
blockquote { margin: 1rem 0; padding: .6rem 1rem; border-left: 4px solid var(--accent); background: var(--band); }
nav.toc { margin: 1rem 0 1.5rem; padding: .6rem 1rem; border: 1px solid var(--rule); }
nav.toc ol { margin: .3rem 0 0; padding-left: 1.3rem; }
.rating { display: inline-block; min-width: 1.7em; padding: .05em .45em; border-radius: .3em; color: #fff; font-weight: 700;
          text-align: center; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.r-P { background: var(--p); } .r-S { background: var(--s); } .r-M { background: var(--m); } .r-U { background: var(--u); }
p.finding { margin: .25rem 0 .25rem; padding-left: .8rem; border-left: 3px solid var(--rule); }
p.finding.strength { border-left-color: var(--p); }
p.finding.area { border-left-color: var(--m); }
figure { margin: 1rem 0 1.5rem; text-align: center; page-break-inside: avoid; break-inside: avoid; }
figure img { max-width: 100%; border: 1px solid var(--rule); }
figcaption { color: var(--muted); font-size: .9rem; margin-top: .3rem; }
@media screen and (min-width: 1600px) { html { font-size: 19px; } }
@media print {
  @page { size: A4; margin: 16mm 14mm; }
  html { font-size: 10pt; }
  body { max-width: none; padding: 0; }
  h2 { page-break-before: auto; break-after: avoid; }
  h3, h4 { break-after: avoid; }
  thead { display: table-header-group; }
  tr, p.finding { page-break-inside: avoid; break-inside: avoid; }
  nav.toc { display: none; }
  a { color: inherit; text-decoration: none; }
}
)css";

}  // namespace

const char* report_text::stylesheet() { return kCss; }

namespace {

std::string html_spans(const Spans& spans) {
  std::string out;
  for (const Span& s : spans) {
    switch (s.style) {
      case Span::Style::plain: out += html_escape(s.text); break;
      case Span::Style::strong: out += "<strong>" + html_escape(s.text) + "</strong>"; break;
      case Span::Style::rating: {
        const std::string letter = s.text == "P" || s.text == "S" || s.text == "M" ? s.text : std::string("U");
        out += "<span class=\"rating r-" + letter + "\">" + html_escape(s.text) + "</span>";
        break;
      }
    }
  }
  return out;
}

/// Figure paths are ours ("figures/x.png"), but percent-encode anything unusual anyway.
std::string url_path(const std::string& p) {
  std::string out;
  for (const char c : p) {
    const auto u = static_cast<unsigned char>(c);
    if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || c == '/' || c == '.' || c == '-' || c == '_')
      out += c;
    else
      out += format("%%%02X", u);
  }
  return out;
}

/// A figure's img src: its PNG as a data: URI when embedded (one self-contained file), else the
/// relative path.
std::string figure_source(const Report& r, const std::string& file) {
  for (const ReportFigure& f : r.figures)
    if (f.file == file && !f.png.empty()) return "data:image/png;base64," + base64_encode(f.png);
  return url_path(file);
}

}  // namespace

std::string to_html(const Report& report) {
  const Outline o = outline(report);
  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  h += "<title>After-Action Report: " + html_escape(report.overview.name) + "</title>\n";
  h += "<style>" + std::string(kCss) + "</style>\n</head>\n<body>\n";
  std::size_t figure_no = 0;
  for (const Block& b : o.blocks) {
    switch (b.kind) {
      case Block::Kind::heading: {
        const std::string tag = "h" + std::to_string(b.level);
        h += "<" + tag + (b.anchor.empty() ? std::string() : " id=\"" + b.anchor + "\"") + ">" + html_spans(b.spans) + "</" + tag + ">\n";
        break;
      }
      case Block::Kind::paragraph:
        h += "<p" + (b.css.empty() ? std::string() : " class=\"" + b.css + "\"") + ">" + html_spans(b.spans) + "</p>\n";
        break;
      case Block::Kind::note: h += "<blockquote>" + html_spans(b.spans) + "</blockquote>\n"; break;
      case Block::Kind::bullets:
        h += "<ul>\n";
        for (const Spans& item : b.items) h += "<li>" + html_spans(item) + "</li>\n";
        h += "</ul>\n";
        break;
      case Block::Kind::toc:
        h += "<nav class=\"toc\"><strong>Contents</strong>\n<ol>\n";
        for (std::size_t i = 0; i < b.items.size() && i < o.toc.size(); ++i)
          h += "<li><a href=\"#" + o.toc[i].first + "\">" + html_spans(b.items[i]) + "</a></li>\n";
        h += "</ol></nav>\n";
        break;
      case Block::Kind::figure:
        ++figure_no;
        h += "<figure><img src=\"" + figure_source(report, b.file) + "\" alt=\"" + html_escape(b.caption) + "\"><figcaption>Figure " +
             std::to_string(figure_no) + ". " + html_escape(b.caption) + "</figcaption></figure>\n";
        break;
      case Block::Kind::table: {
        const Table& t = b.table;
        h += "<table" + (t.css.empty() ? std::string() : " class=\"" + t.css + "\"") + ">\n<thead><tr>";
        for (std::size_t c = 0; c < t.head.size(); ++c)
          h += std::string(c < t.numeric.size() && t.numeric[c] ? "<th class=\"num\">" : "<th>") + html_escape(t.head[c]) + "</th>";
        h += "</tr></thead>\n<tbody>\n";
        for (const auto& row : t.rows) {
          h += "<tr>";
          for (std::size_t c = 0; c < row.size(); ++c)
            h += std::string(c < t.numeric.size() && t.numeric[c] ? "<td class=\"num\">" : "<td>") + html_spans(row[c]) + "</td>";
          h += "</tr>\n";
        }
        h += "</tbody></table>\n";
        break;
      }
    }
  }
  h += "</body>\n</html>\n";
  return h;
}

}  // namespace cyberdrill
