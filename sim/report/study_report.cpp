// The report of a batch study folder: tables per configuration with intervals, censored counts,
// the sensitivity table, the figures, the configurations ranked (include/cyberdrill/study_report.hpp).
#include "cyberdrill/study_report.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>

#include "cyberdrill/base64.hpp"
#include "cyberdrill/metrics.hpp"
#include "cyberdrill/report.hpp"
#include "text.hpp"

namespace cyberdrill {
namespace {

namespace fs = std::filesystem;
using Rows = std::vector<std::vector<std::string>>;

// A Markdown table cell: pipes, backslashes and markup characters escaped, line breaks as spaces.
std::string md_escape(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '\n' || c == '\r') {
      out += ' ';
      continue;
    }
    if (c == '|' || c == '\\' || c == '*' || c == '_' || c == '`' || c == '[' || c == ']' || c == '<' || c == '>' ||
        c == '#')
      out += '\\';
    out += c;
  }
  return out;
}

std::optional<double> number(const std::string& s) {
  if (s.empty()) return std::nullopt;
  double v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// Two decimals below 10,000, whole numbers with thousands separators from there on.
std::string readable(std::optional<double> v) {
  if (!v) return "-";
  if (std::fabs(*v) >= 10'000) return (*v < 0 ? "-" : "") + report_text::thousands(std::fabs(*v));
  return report_text::format("%.2f", *v);
}

std::string interval(std::optional<double> lo, std::optional<double> hi) {
  if (!lo || !hi) return "-";
  return "[" + readable(lo) + ", " + readable(hi) + "]";
}

/// A table: header, rows of cells, which columns are numeric (right-aligned).
struct Table {
  std::vector<std::string> head;
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> numeric;
};

std::string md_table(const Table& t) {
  std::string out = "|";
  for (const std::string& h : t.head) out += " " + md_escape(h) + " |";
  out += "\n|";
  for (std::size_t c = 0; c < t.head.size(); ++c) out += c < t.numeric.size() && t.numeric[c] ? " ---: |" : " --- |";
  out += "\n";
  for (const auto& r : t.rows) {
    out += "|";
    for (const std::string& cell : r) out += " " + md_escape(cell) + " |";
    out += "\n";
  }
  return out + "\n";
}

std::string html_table(const Table& t) {
  std::string out = "<table>\n<thead><tr>";
  for (std::size_t c = 0; c < t.head.size(); ++c)
    out += std::string(c < t.numeric.size() && t.numeric[c] ? "<th class=\"num\">" : "<th>") + html_escape(t.head[c]) + "</th>";
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& r : t.rows) {
    out += "<tr>";
    for (std::size_t c = 0; c < r.size(); ++c)
      out += std::string(c < t.numeric.size() && t.numeric[c] ? "<td class=\"num\">" : "<td>") + html_escape(r[c]) + "</td>";
    out += "</tr>\n";
  }
  return out + "</tbody>\n</table>\n";
}

/// A CSV file with a header, addressed by column name.
struct Csv {
  std::string name;
  std::vector<std::string> head;
  Rows rows;
  [[nodiscard]] std::size_t col(const std::string& c) const {
    const auto it = std::find(head.begin(), head.end(), c);
    if (it == head.end()) throw StudyReportError(name + ": no column \"" + c + "\"");
    return static_cast<std::size_t>(it - head.begin());
  }
  [[nodiscard]] const std::string& at(const std::vector<std::string>& row, const std::string& c) const {
    const std::size_t k = col(c);
    if (k >= row.size()) throw StudyReportError(name + ": a row has fewer fields than the header");
    return row[k];
  }
};

Csv read_csv(const std::string& name, const std::string& text) {
  Csv c;
  c.name = name;
  Rows all = parse_csv(text);
  if (all.empty()) return c;
  c.head = std::move(all.front());
  c.rows.assign(std::make_move_iterator(all.begin() + 1), std::make_move_iterator(all.end()));
  for (const auto& r : c.rows)
    if (r.size() != c.head.size())
      throw StudyReportError(name + ": a row has " + std::to_string(r.size()) + " fields, the header " +
                             std::to_string(c.head.size()));
  return c;
}

/// One configuration: its id and settings (axis=value).
struct Configuration {
  std::string id;
  std::vector<std::string> values;
};

std::string settings_text(const std::vector<std::string>& axes, const Configuration& c) {
  std::string s;
  for (std::size_t i = 0; i < axes.size() && i < c.values.size(); ++i) s += (s.empty() ? "" : ", ") + axes[i] + "=" + c.values[i];
  return s.empty() ? "(the scenario as written)" : s;
}

// The metrics shown per configuration, in order (those present in summary.csv).
const std::vector<std::string>& shown_metrics() {
  static const std::vector<std::string> v = {"time_to_detect_h",        "time_to_report_h",  "time_to_escalate_h",
                                             "time_to_crisis_h",        "time_to_contain_h", "time_to_recover_h",
                                             "peak_population_affected", "population_hours_lost", "economic_loss_eur",
                                             "obligations_met_fraction"};
  return v;
}

}  // namespace

std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  Rows rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, any = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
      continue;
    }
    if (c == '"') {
      quoted = true;
      any = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
      any = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
      any = false;
    } else {
      field += c;
      any = true;
    }
  }
  if (quoted) throw StudyReportError("CSV: a quoted field is not closed");
  if (any || !field.empty()) {
    row.push_back(std::move(field));
    rows.push_back(std::move(row));
  }
  return rows;
}

bool is_study_folder(const fs::path& dir) {
  return fs::is_regular_file(dir / "runs.csv") && fs::is_regular_file(dir / "summary.csv") &&
         !fs::exists(dir / "events.jsonl");
}

std::string study_figure_caption(const std::string& file_name) {
  if (file_name.starts_with("cdf-") && file_name.ends_with(".png"))
    return "Share of runs that reached " + file_name.substr(4, file_name.size() - 8) +
           " by each value, per configuration (a curve ending below 1: runs that never reached it)";
  if (file_name == "tornado.png") return "Sensitivity: standardised regression coefficients with 95 % intervals";
  if (file_name.starts_with("impact-bands-") && file_name.ends_with(".png"))
    return "Impact bands: median and 10-90 % band of " + file_name.substr(13, file_name.size() - 17) +
           " over time, per configuration";
  return file_name;
}

StudyReportText render_study_report(const StudyReportInput& in) {
  const Csv summary = read_csv("summary.csv", in.summary_csv);
  if (summary.head.empty() || summary.rows.empty()) throw StudyReportError("summary.csv: empty");
  const std::size_t metric_col = summary.col("metric");
  if (metric_col < 1) throw StudyReportError("summary.csv: no variant column before \"metric\"");
  const std::vector<std::string> axes(summary.head.begin() + 1, summary.head.begin() + static_cast<std::ptrdiff_t>(metric_col));

  // Configurations in study order and the summary row of each (configuration, metric).
  std::vector<Configuration> configs;
  std::map<std::string, std::size_t> config_index;
  std::map<std::pair<std::size_t, std::string>, const std::vector<std::string>*> cell;
  std::vector<std::string> metrics_seen;
  for (const auto& r : summary.rows) {
    auto [it, fresh] = config_index.emplace(r[0], configs.size());
    if (fresh) configs.push_back({r[0], std::vector<std::string>(r.begin() + 1, r.begin() + static_cast<std::ptrdiff_t>(metric_col))});
    cell[{it->second, r[metric_col]}] = &r;
    if (it->second == 0) metrics_seen.push_back(r[metric_col]);
  }
  if (std::find(metrics_seen.begin(), metrics_seen.end(), in.rank_by) == metrics_seen.end()) {
    std::string known;
    for (const std::string& m : metrics_seen) known += (known.empty() ? "" : ", ") + m;
    throw StudyReportError("--rank-by " + in.rank_by + ": not a metric of this study (" + known + ")");
  }
  auto field = [&](std::size_t c, const std::string& metric, const std::string& column) -> std::optional<double> {
    const auto it = cell.find({c, metric});
    if (it == cell.end()) return std::nullopt;
    return number(summary.at(*it->second, column));
  };
  auto text_field = [&](std::size_t c, const std::string& metric, const std::string& column) -> std::string {
    const auto it = cell.find({c, metric});
    return it == cell.end() ? std::string() : summary.at(*it->second, column);
  };

  const Csv censoring = read_csv("censoring.csv", in.censoring_csv);
  std::map<std::pair<std::string, std::string>, const std::vector<std::string>*> censored_row;
  if (!censoring.head.empty())
    for (const auto& r : censoring.rows) censored_row[{r[0], censoring.at(r, "metric")}] = &r;

  // The ranking.
  const MetricInfo* info = find_metric(in.rank_by);
  const bool higher_better = info != nullptr && info->better == Better::higher;
  struct Ranked {
    std::size_t config;
    std::optional<double> value;
    std::string basis;
  };
  std::vector<Ranked> ranked;
  for (std::size_t c = 0; c < configs.size(); ++c) {
    const auto it = censored_row.find({configs[c].id, in.rank_by});
    if (it != censored_row.end()) {
      ranked.push_back({c, number(censoring.at(*it->second, "restricted_mean_h")), "Kaplan-Meier restricted mean"});
    } else {
      ranked.push_back({c, field(c, in.rank_by, "mean"), "mean over the runs where it happened"});
    }
  }
  std::stable_sort(ranked.begin(), ranked.end(), [&](const Ranked& a, const Ranked& b) {
    if (!a.value || !b.value) return a.value.has_value() && !b.value.has_value();
    return higher_better ? *a.value > *b.value : *a.value < *b.value;
  });

  StudyReportText out;
  for (const Ranked& r : ranked) out.ranking.push_back(configs[r.config].id);

  std::string runs_text = text_field(0, in.rank_by, "runs");
  const std::string title = "Study report: " + in.title;
  std::string md = "# " + md_escape(title) + "\n\n";
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + html_escape(title) +
                     "</title>\n<style>" + std::string(report_text::stylesheet()) + "</style>\n</head>\n<body>\n<h1>" +
                     html_escape(title) + "</h1>\n";
  auto para = [&](const std::string& text) {
    md += md_escape(text) + "\n\n";
    html += "<p>" + html_escape(text) + "</p>\n";
  };
  auto heading = [&](const std::string& text) {
    md += "## " + md_escape(text) + "\n\n";
    html += "<h2>" + html_escape(text) + "</h2>\n";
  };
  auto table = [&](const Table& t) {
    md += md_table(t);
    html += html_table(t);
  };

  std::string axes_text;
  for (const std::string& a : axes) axes_text += (axes_text.empty() ? "" : ", ") + a;
  para(std::to_string(configs.size()) + " configuration(s) x " + (runs_text.empty() ? "?" : runs_text) +
       " runs" + (axes.empty() ? "" : "; varied: " + axes_text) + ". " + configs.front().id +
       " is the baseline; differences against it are paired by run.");
  if (!in.command.empty()) {
    md += "Command: `" + in.command + "`\n\n";  // backticks: shown verbatim
    html += "<p>Command: <code>" + html_escape(in.command) + "</code></p>\n";
  }

  heading("Configurations ranked by " + in.rank_by);
  para(std::string(higher_better ? "Higher" : "Lower") + " is better; ranked by the " + ranked.front().basis +
       (ranked.front().basis.starts_with("Kaplan") ? " (runs that never reached it count at the horizon)" : "") + ".");
  {
    const bool km = ranked.front().basis.starts_with("Kaplan");
    Table t{{"rank", "configuration", "settings", in.rank_by + (km ? " (restricted mean)" : " (mean)"), "happened",
             km ? "95 % CI of the mean of reached" : "95 % CI of the mean", "vs baseline [95 % CI]"},
            {},
            {true, false, false, true, true, false, false}};
    for (std::size_t k = 0; k < ranked.size(); ++k) {
      const std::size_t c = ranked[k].config;
      std::string diff = "-";
      if (c != 0 && field(c, in.rank_by, "diff_mean"))
        diff = readable(field(c, in.rank_by, "diff_mean")) + " " +
               interval(field(c, in.rank_by, "diff_ci95_low"), field(c, in.rank_by, "diff_ci95_high"));
      t.rows.push_back({std::to_string(k + 1), configs[c].id + (c == 0 ? " (baseline)" : ""), settings_text(axes, configs[c]),
                        readable(ranked[k].value),
                        text_field(c, in.rank_by, "happened") + "/" + text_field(c, in.rank_by, "runs"),
                        interval(field(c, in.rank_by, "ci95_low"), field(c, in.rank_by, "ci95_high")), diff});
    }
    table(t);
  }

  heading("Per configuration");
  para("Mean with the 95 % confidence interval of the mean (Student t) over the runs where the metric happened; "
       "median and the 10-90 % range; the paired difference against the baseline with its 95 % interval.");
  for (std::size_t c = 0; c < configs.size(); ++c) {
    const std::string name = configs[c].id + (c == 0 ? " (baseline)" : "") + ": " + settings_text(axes, configs[c]);
    md += "### " + md_escape(name) + "\n\n";
    html += "<h3>" + html_escape(name) + "</h3>\n";
    Table t{{"metric", "happened", "mean", "95 % CI", "median", "p10 - p90", "vs baseline [95 % CI]"},
            {},
            {false, true, true, false, true, false, false}};
    for (const std::string& m : shown_metrics()) {
      if (cell.find({c, m}) == cell.end()) continue;
      std::string diff = "-";
      if (c != 0 && field(c, m, "diff_mean"))
        diff = readable(field(c, m, "diff_mean")) + " " + interval(field(c, m, "diff_ci95_low"), field(c, m, "diff_ci95_high"));
      const auto p10 = field(c, m, "p10"), p90 = field(c, m, "p90");
      t.rows.push_back({m, text_field(c, m, "happened") + "/" + text_field(c, m, "runs"), readable(field(c, m, "mean")),
                        interval(field(c, m, "ci95_low"), field(c, m, "ci95_high")), readable(field(c, m, "median")),
                        p10 ? readable(p10) + " - " + readable(p90) : "-", diff});
    }
    table(t);
  }

  if (!censoring.head.empty() && !censoring.rows.empty()) {
    heading("Censored outcomes");
    para("Runs that never reached an event are censored at the horizon, not dropped: the Kaplan-Meier median and the "
         "restricted mean (censored runs counted at the horizon) use every run; the last column is the mean over the "
         "runs that reached it only.");
    Table t{{"configuration", "metric", "reached", "censored", "censored at (h)", "KM median (h)", "restricted mean (h)",
             "mean of reached (h)"},
            {},
            {false, false, true, true, true, true, true, true}};
    for (const auto& r : censoring.rows) {
      const std::string median = censoring.at(r, "km_median_h");
      t.rows.push_back({r[0], censoring.at(r, "metric"), censoring.at(r, "reached") + "/" + censoring.at(r, "runs"),
                        censoring.at(r, "censored"), readable(number(censoring.at(r, "censor_h"))),
                        median.empty() ? "> horizon" : readable(number(median)),
                        readable(number(censoring.at(r, "restricted_mean_h"))),
                        readable(number(censoring.at(r, "mean_reached_h")))});
    }
    table(t);
  }

  const Csv sens = read_csv("sensitivity.csv", in.sensitivity_csv);
  heading("Sensitivity");
  if (sens.rows.empty()) {
    para("No sensitivity: it needs at least one numeric varied parameter with two values or more (sensitivity.csv has "
         "only its header).");
  } else {
    para("Standardised regression coefficients (SRC) and partial rank correlations (PRCC) of every varied parameter on "
         "every metric, with 95 % intervals; largest |SRC| first.");
    std::vector<const std::vector<std::string>*> order;
    for (const auto& r : sens.rows) order.push_back(&r);
    std::stable_sort(order.begin(), order.end(), [&](const auto* a, const auto* b) {
      return std::fabs(number(sens.at(*a, "src")).value_or(0)) > std::fabs(number(sens.at(*b, "src")).value_or(0));
    });
    Table t{{"parameter", "metric", "n", "SRC", "SRC 95 % CI", "PRCC", "PRCC 95 % CI"},
            {},
            {false, false, true, true, false, true, false}};
    for (const auto* r : order)
      t.rows.push_back({sens.at(*r, "parameter"), sens.at(*r, "metric"), sens.at(*r, "n"), readable(number(sens.at(*r, "src"))),
                        interval(number(sens.at(*r, "src_ci95_low")), number(sens.at(*r, "src_ci95_high"))),
                        readable(number(sens.at(*r, "prcc"))),
                        interval(number(sens.at(*r, "prcc_ci95_low")), number(sens.at(*r, "prcc_ci95_high")))});
    table(t);
  }

  if (!in.impact_bands_csv.empty()) {
    const Csv bands = read_csv("impact_bands.csv", in.impact_bands_csv);
    if (!bands.rows.empty()) {
      heading("Impact over time");
      para("Per configuration and series: the largest median over the time grid, the time it occurs and the 10-90 % "
           "band there (impact_bands.csv holds every time step).");
      Table t{{"configuration", "series", "peak median", "at (h)", "p10 - p90 there"}, {}, {false, false, true, true, false}};
      std::map<std::pair<std::string, std::string>, const std::vector<std::string>*> peak;
      std::vector<std::pair<std::string, std::string>> order;
      for (const auto& r : bands.rows) {
        const std::pair<std::string, std::string> k{r[0], bands.at(r, "series")};
        auto it = peak.find(k);
        if (it == peak.end()) {
          order.push_back(k);
          peak[k] = &r;
        } else if (number(bands.at(r, "median")).value_or(0) > number(bands.at(*it->second, "median")).value_or(0)) {
          it->second = &r;
        }
      }
      for (const auto& k : order) {
        const auto& r = *peak[k];
        t.rows.push_back({k.first, k.second, readable(number(bands.at(r, "median"))), readable(number(bands.at(r, "time_h"))),
                          readable(number(bands.at(r, "p10"))) + " - " + readable(number(bands.at(r, "p90")))});
      }
      table(t);
    }
  }

  heading("Figures");
  if (in.figures.empty()) {
    para("No figures: run the study with 'cyberdrill batch ... --plots' (or report it on a machine with a display or "
         "Xvfb) to draw them.");
  }
  int n = 0;
  for (const StudyFigure& f : in.figures) {
    ++n;
    md += "![Figure " + std::to_string(n) + ". " + md_escape(f.caption) + "](" + f.file + ")\n\n*Figure " +
          std::to_string(n) + ". " + md_escape(f.caption) + "*\n\n";
    html += "<figure><img src=\"data:image/png;base64," + base64_encode(f.png) + "\" alt=\"" + html_escape(f.caption) +
            "\"><figcaption>Figure " + std::to_string(n) + ". " + html_escape(f.caption) + "</figcaption></figure>\n";
  }
  html += "</body>\n</html>\n";
  out.markdown = std::move(md);
  out.html = std::move(html);
  return out;
}

}  // namespace cyberdrill
