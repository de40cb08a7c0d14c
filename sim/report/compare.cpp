// Two runs side by side: the comparison model (compare_runs) and its Markdown and HTML.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "cyberdrill/metrics.hpp"
#include "cyberdrill/report_compare.hpp"
#include "text.hpp"

namespace cyberdrill {

using report_text::format;
using report_text::thousands;

namespace {

/// A value in a metric's unit, as the comparison shows it.
std::string show(MetricUnit unit, std::optional<double> v) {
  if (!v) return "never";
  switch (unit) {
    case MetricUnit::hours: return format("%.1f h", *v);
    case MetricUnit::person_hours: return thousands(*v) + " person-h";
    case MetricUnit::asset_hours: return format("%.1f asset-h", *v);
    case MetricUnit::people: return thousands(*v);
    case MetricUnit::fraction: return report_text::percent(*v);
    case MetricUnit::severity: return format("%.0f", *v);
    case MetricUnit::euros: return "EUR " + thousands(*v);
    case MetricUnit::count: return format("%g", *v);
  }
  return format("%g", *v);
}

/// B - A in the unit, signed ("+2.5 h").
std::string delta(MetricUnit unit, double d) {
  const char* sign = d > 0 ? "+" : d < 0 ? "-" : "";
  const double m = std::fabs(d);
  switch (unit) {
    case MetricUnit::hours: return format("%s%.1f h", sign, m);
    case MetricUnit::fraction: return format("%s%.0f points", sign, m * 100);
    case MetricUnit::euros: return std::string(sign) + "EUR " + thousands(m);
    case MetricUnit::person_hours: return std::string(sign) + thousands(m) + " person-h";
    case MetricUnit::asset_hours: return format("%s%.1f asset-h", sign, m);
    case MetricUnit::people: return std::string(sign) + thousands(m);
    case MetricUnit::severity:
    case MetricUnit::count: return format("%s%g", sign, m);
  }
  return format("%s%g", sign, m);
}

CompareRow metric_row(std::string item, MetricUnit unit, Better better, std::optional<double> a, std::optional<double> b) {
  CompareRow row{std::move(item), show(unit, a), show(unit, b), CompareVerdict::same, {}};
  if (row.a == row.b) return row;  // equal as printed
  if (!a || !b) {
    row.verdict = CompareVerdict::differs;
    return row;
  }
  row.difference = delta(unit, *b - *a);
  const bool b_lower = *b < *a;
  row.verdict = (better == Better::lower) == b_lower ? CompareVerdict::b_better : CompareVerdict::a_better;
  return row;
}

CompareRow text_row(std::string item, std::string a, std::string b) {
  CompareRow row{std::move(item), std::move(a), std::move(b), CompareVerdict::same, {}};
  if (row.a != row.b) row.verdict = CompareVerdict::differs;
  return row;
}

std::optional<double> value(const RecordedRun& r, std::string_view name) {
  const auto it = r.result.metrics.values.find(std::string(name));
  return it == r.result.metrics.values.end() ? std::nullopt : it->second;
}

CompareRow named_metric_row(const RecordedRun& a, const RecordedRun& b, std::string_view name, std::string item) {
  const MetricInfo* m = find_metric(name);
  const MetricUnit unit = m != nullptr ? m->unit : MetricUnit::count;
  const Better better = m != nullptr ? m->better : Better::lower;
  return metric_row(std::move(item), unit, better, value(a, name), value(b, name));
}

std::string run_label(const char* letter, const RecordedRun& r) {
  std::string name = r.dir.filename().string();
  if (name.empty()) name = r.dir.parent_path().filename().string();
  return std::string(letter) + ": " + (name.empty() ? r.scenario.metadata.name : name);
}

std::string plan_text(const Scenario& sc) {
  std::string s = sc.plan.name.empty() ? sc.plan.id : sc.plan.name;
  if (!sc.plan.version.empty()) s += " v" + sc.plan.version;
  return s;
}

/// Rows of (obligation, operator) clocks: "met m of n" per obligation name.
std::vector<std::pair<std::string, std::pair<int, int>>> obligation_tallies(const Report& r) {
  std::vector<std::pair<std::string, std::pair<int, int>>> out;
  for (const ObligationRow& o : r.obligations) {
    const std::string key = o.regime + ": " + o.obligation;
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& e) { return e.first == key; });
    if (it == out.end()) it = out.insert(out.end(), {key, {0, 0}});
    it->second.first += o.state == "met";
    it->second.second += 1;
  }
  return out;
}

}  // namespace

RunComparison compare_runs(const RecordedRun& a, const RecordedRun& b, const ReportOptions& options) {
  const Report ra = build_report(a, options), rb = build_report(b, options);
  RunComparison c;
  c.label_a = run_label("A", a);
  c.label_b = run_label("B", b);
  c.exercise_a = ra.overview.name;
  c.exercise_b = rb.overview.name;

  CompareSection runs{"The two runs", "runs", {}};
  runs.rows.push_back(text_row("Run folder", a.dir.string(), b.dir.string()));
  runs.rows.push_back(text_row("Exercise", ra.overview.name, rb.overview.name));
  runs.rows.push_back(text_row("Response plan", plan_text(a.scenario), plan_text(b.scenario)));
  runs.rows.push_back(text_row("Seed", std::to_string(ra.overview.seed), std::to_string(rb.overview.seed)));
  runs.rows.push_back(text_row("Run ended", report_text::clock(ra.overview.end), report_text::clock(rb.overview.end)));
  c.sections.push_back(std::move(runs));

  // Objectives: A's order, then those only B has.
  CompareSection obj{"Objectives' ratings", "objectives", {}};
  auto find_obj = [](const Report& r, const std::string& id) -> const ObjectiveSection* {
    for (const ObjectiveSection& o : r.objectives)
      if (o.id == id) return &o;
    return nullptr;
  };
  std::vector<std::string> ids;
  for (const Report* r : {&ra, &rb})
    for (const ObjectiveSection& o : r->objectives)
      if (std::find(ids.begin(), ids.end(), o.id) == ids.end()) ids.push_back(o.id);
  for (const std::string& id : ids) {
    const ObjectiveSection* oa = find_obj(ra, id);
    const ObjectiveSection* ob = find_obj(rb, id);
    auto text = [](const ObjectiveSection* o) {
      if (o == nullptr) return std::string("not an objective of this run");
      const MetricInfo* m = find_metric(o->metric);
      return std::string(1, rating_letter(o->rating)) + " (" + show(m != nullptr ? m->unit : MetricUnit::count, o->value) + ")";
    };
    CompareRow row{id + " " + (oa != nullptr ? oa->name : ob->name), text(oa), text(ob), CompareVerdict::same, {}};
    if (oa == nullptr || ob == nullptr) row.verdict = CompareVerdict::differs;
    else if (oa->rating != ob->rating) {
      row.verdict = ob->rating < oa->rating ? CompareVerdict::b_better : CompareVerdict::a_better;
      row.difference = std::string(1, rating_letter(oa->rating)) + " to " + rating_letter(ob->rating);
    } else if (row.a != row.b) {
      // Same rating: the metric's direction decides (when both values exist).
      const MetricInfo* m = find_metric(oa->metric);
      const CompareRow by_value = metric_row(row.item, m != nullptr ? m->unit : MetricUnit::count,
                                             m != nullptr ? m->better : Better::lower, oa->value, ob->value);
      row.verdict = by_value.verdict;
      row.difference = by_value.difference;
    }
    obj.rows.push_back(std::move(row));
  }
  c.sections.push_back(std::move(obj));

  CompareSection obl{"Reporting obligations", "obligations", {}};
  obl.rows.push_back(metric_row("Clocks met", MetricUnit::count, Better::higher, ra.summary.obligations_met, rb.summary.obligations_met));
  obl.rows.push_back(metric_row("Clocks missed", MetricUnit::count, Better::lower, ra.summary.obligations_missed, rb.summary.obligations_missed));
  // A clock still running (a one-month final report) is neither good nor bad: no direction.
  obl.rows.push_back(text_row("Clocks still running at the end", std::to_string(ra.summary.obligations_running),
                              std::to_string(rb.summary.obligations_running)));
  obl.rows.push_back(named_metric_row(a, b, metric::obligations_met_fraction, "Share met on time"));
  {
    const auto ta = obligation_tallies(ra), tb = obligation_tallies(rb);
    std::vector<std::string> keys;
    for (const auto* t : {&ta, &tb})
      for (const auto& [k, v] : *t)
        if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
    for (const std::string& k : keys) {
      auto tally = [&](const auto& t) -> std::optional<std::pair<int, int>> {
        for (const auto& [kk, v] : t)
          if (kk == k) return v;
        return std::nullopt;
      };
      const auto va = tally(ta), vb = tally(tb);
      auto text = [](const std::optional<std::pair<int, int>>& v) {
        return v ? format("met %d of %d", v->first, v->second) : std::string("no clock started");
      };
      CompareRow row{k, text(va), text(vb), CompareVerdict::same, {}};
      if (row.a != row.b) {
        row.verdict = CompareVerdict::differs;
        if (va && vb) {
          const double fa = static_cast<double>(va->first) / va->second, fb = static_cast<double>(vb->first) / vb->second;
          if (fa != fb) row.verdict = fb > fa ? CompareVerdict::b_better : CompareVerdict::a_better;
        }
      }
      obl.rows.push_back(std::move(row));
    }
  }
  c.sections.push_back(std::move(obl));

  CompareSection times{"Key times (hours after T+0)", "times", {}};
  for (const KeyTime& k : ra.summary.times) {
    std::optional<double> vb;
    for (const KeyTime& kb : rb.summary.times)
      if (kb.metric == k.metric) vb = kb.hours;
    const MetricInfo* m = find_metric(k.metric);
    times.rows.push_back(metric_row(k.label, MetricUnit::hours, m != nullptr ? m->better : Better::lower, k.hours, vb));
  }
  c.sections.push_back(std::move(times));

  CompareSection people{"People affected (each person counted once)", "people", {}};
  people.rows.push_back(named_metric_row(a, b, metric::peak_population_affected, "Peak people affected at once"));
  people.rows.push_back(named_metric_row(a, b, metric::population_hours_lost, "Person-hours without service"));
  for (const std::string& cls : service_class_names()) {
    const std::string name = std::string(metric::peak_people_without_prefix) + cls;
    const auto va = value(a, name), vb = value(b, name);
    if (va.value_or(0) == 0 && vb.value_or(0) == 0) continue;  // a class neither run touched
    std::string label = cls;
    std::replace(label.begin(), label.end(), '_', ' ');
    people.rows.push_back(metric_row("Peak without " + label, MetricUnit::people, Better::lower, va, vb));
  }
  people.rows.push_back(named_metric_row(a, b, metric::peak_outages, "Most assets below full service at once"));
  people.rows.push_back(named_metric_row(a, b, metric::max_severity, "Highest national severity assessed (0-5)"));
  c.sections.push_back(std::move(people));

  CompareSection loss{"Economic loss (output lost)", "loss", {}};
  loss.rows.push_back(named_metric_row(a, b, metric::economic_loss, "Total"));
  {
    std::vector<std::string> names;
    auto sector_loss = [](const RecordedRun& r, const std::string& name) -> std::optional<double> {
      for (std::size_t i = 0; i < r.scenario.sectors.size(); ++i)
        if (r.scenario.sectors[i].name == name)
          return i < r.result.metrics.sector_economic_loss_eur.size() ? r.result.metrics.sector_economic_loss_eur[i] : 0.0;
      return std::nullopt;
    };
    for (const RecordedRun* r : {&a, &b})
      for (const Sector& s : r->scenario.sectors)
        if (std::find(names.begin(), names.end(), s.name) == names.end()) names.push_back(s.name);
    for (const std::string& n : names) {
      const auto va = sector_loss(a, n), vb = sector_loss(b, n);
      if (va.value_or(0) < 0.5 && vb.value_or(0) < 0.5) continue;
      loss.rows.push_back(metric_row(n, MetricUnit::euros, Better::lower, va, vb));
    }
  }
  c.sections.push_back(std::move(loss));

  std::vector<std::string> b_wins, a_wins;
  for (const CompareSection& s : c.sections)
    for (const CompareRow& r : s.rows) {
      if (r.verdict == CompareVerdict::a_better) ++c.a_better, a_wins.push_back(r.item);
      if (r.verdict == CompareVerdict::b_better) ++c.b_better, b_wins.push_back(r.item);
    }
  c.headline.push_back(c.label_a + " (" + plan_text(a.scenario) + ", seed " + std::to_string(a.result.seed) + ") against " +
                       c.label_b + " (" + plan_text(b.scenario) + ", seed " + std::to_string(b.result.seed) + ").");
  c.headline.push_back(format("B did better on %d compared items and worse on %d; rows with no winner are the same or "
                              "have no direction.",
                              c.b_better, c.a_better));
  auto first = [](const std::vector<std::string>& v) {
    std::vector<std::string> out(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(v.size(), 5)));
    return report_text::join(out, "; ") + (v.size() > 5 ? "; ..." : "");
  };
  if (!b_wins.empty()) c.headline.push_back("Better in B: " + first(b_wins) + ".");
  if (!a_wins.empty()) c.headline.push_back("Better in A: " + first(a_wins) + ".");
  return c;
}

namespace {

const char* verdict_words(CompareVerdict v) {
  switch (v) {
    case CompareVerdict::same: return "same";
    case CompareVerdict::a_better: return "A better";
    case CompareVerdict::b_better: return "B better";
    case CompareVerdict::differs: return "differs";
  }
  return "";
}

std::string difference_text(const CompareRow& r) {
  std::string s = verdict_words(r.verdict);
  if (!r.difference.empty()) s += " (B - A: " + r.difference + ")";
  if (r.verdict == CompareVerdict::same) s = "-";
  return s;
}

}  // namespace

std::string to_markdown(const RunComparison& c) {
  std::string md = "# Comparison of two runs\n\n";
  md += "**" + markdown_escape(c.label_a) + "** (" + markdown_escape(c.exercise_a) + ") against **" + markdown_escape(c.label_b) +
        "** (" + markdown_escape(c.exercise_b) + ")\n\n";
  for (const std::string& h : c.headline) md += "- " + markdown_escape(h) + "\n";
  md += "\nThe better value of a row is in bold; the last column names the better run and the difference B - A.\n";
  for (const CompareSection& s : c.sections) {
    md += "\n## " + markdown_escape(s.title) + "\n\n";
    if (s.rows.empty()) {
      md += "Nothing to compare.\n";
      continue;
    }
    md += "| Item | " + markdown_escape(c.label_a) + " | " + markdown_escape(c.label_b) + " | Difference |\n| --- | --- | --- | --- |\n";
    for (const CompareRow& r : s.rows) {
      const std::string a = markdown_escape(r.a), b = markdown_escape(r.b);
      md += "| " + markdown_escape(r.item) + " | " + (r.verdict == CompareVerdict::a_better ? "**" + a + "**" : a) + " | " +
            (r.verdict == CompareVerdict::b_better ? "**" + b + "**" : b) + " | " +
            (r.verdict == CompareVerdict::same ? std::string("-") : "**" + markdown_escape(difference_text(r)) + "**") + " |\n";
    }
  }
  return md;
}

std::string to_html(const RunComparison& c) {
  std::string h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  h += "<title>Comparison: " + html_escape(c.label_a) + " / " + html_escape(c.label_b) + "</title>\n<style>";
  h += report_text::stylesheet();
  h += "td.better { background: #d9f2df; font-weight: 600; } td.worse { background: #fbe0dd; }\n"
       "td.differs { background: #fff4d1; } table.compare td:first-child { width: 30%; }\n"
       "table.compare th:nth-child(2), table.compare th:nth-child(3) { width: 22%; }\n</style>\n</head>\n<body>\n";
  h += "<h1>Comparison of two runs</h1>\n<p class=\"subtitle\"><strong>" + html_escape(c.label_a) + "</strong> (" +
       html_escape(c.exercise_a) + ") against <strong>" + html_escape(c.label_b) + "</strong> (" + html_escape(c.exercise_b) +
       ")</p>\n<ul>\n";
  for (const std::string& l : c.headline) h += "<li>" + html_escape(l) + "</li>\n";
  h += "</ul>\n<p>Green: the better value of a row; red: the worse; amber: different with no better side.</p>\n";
  for (const CompareSection& s : c.sections) {
    h += "<h2 id=\"" + s.anchor + "\">" + html_escape(s.title) + "</h2>\n";
    if (s.rows.empty()) {
      h += "<p>Nothing to compare.</p>\n";
      continue;
    }
    h += "<table class=\"compare\">\n<thead><tr><th>Item</th><th>" + html_escape(c.label_a) + "</th><th>" + html_escape(c.label_b) +
         "</th><th>Difference</th></tr></thead>\n<tbody>\n";
    for (const CompareRow& r : s.rows) {
      auto cls = [&](bool is_a) -> std::string {
        switch (r.verdict) {
          case CompareVerdict::same: return "";
          case CompareVerdict::differs: return " class=\"differs\"";
          case CompareVerdict::a_better: return is_a ? " class=\"better\"" : " class=\"worse\"";
          case CompareVerdict::b_better: return is_a ? " class=\"worse\"" : " class=\"better\"";
        }
        return "";
      };
      h += "<tr><td>" + html_escape(r.item) + "</td><td" + cls(true) + ">" + html_escape(r.a) + "</td><td" + cls(false) + ">" +
           html_escape(r.b) + "</td><td>" + html_escape(difference_text(r)) + "</td></tr>\n";
    }
    h += "</tbody></table>\n";
  }
  h += "</body>\n</html>\n";
  return h;
}

}  // namespace cyberdrill
