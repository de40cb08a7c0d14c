// Text outputs of a study: runs.csv, summary.csv, the stdout table, checkpoint lines.
#include <charconv>
#include <cmath>
#include <cstdio>

#include "cyberdrill/metrics.hpp"
#include "cyberdrill/batch.hpp"
#include "cyberdrill/csv.hpp"

namespace cyberdrill::batch {
namespace {

std::string hex64(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string optional_number(const std::optional<double>& v) { return v ? format_number(*v) : std::string(); }

char letter(Rating r) { return rating_letter(r); }

std::optional<Rating> rating_of(std::string_view s) {
  if (s == "P") return Rating::P;
  if (s == "S") return Rating::S;
  if (s == "M") return Rating::M;
  if (s == "U") return Rating::U;
  return std::nullopt;
}

std::vector<std::string_view> split(std::string_view line, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t p = line.find(sep, start);
    if (p == std::string_view::npos) {
      out.push_back(line.substr(start));
      return out;
    }
    out.push_back(line.substr(start, p - start));
    start = p + 1;
  }
}

template <typename T>
std::optional<T> parse_integer(std::string_view s, int base = 10) {
  T v{};
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (ec != std::errc() || ptr != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

// A readable number for the table: two decimals, none from 10,000 on.
std::string readable(double v) {
  char buf[48];
  std::snprintf(buf, sizeof buf, std::fabs(v) >= 10'000 ? "%.0f" : "%.2f", v);
  return buf;
}

std::string rtrim(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

std::string settings_of(const Study& study, const Variant& v) {
  std::string s;
  for (std::size_t i = 0; i < study.axes.size(); ++i)
    s += (s.empty() ? "" : "  ") + study.axes[i].path + "=" + v.values[i];
  return s.empty() ? "(the scenario as written)" : s;
}

}  // namespace

std::string format_number(double v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

std::string csv_field(std::string_view s) { return csv::text_cell(s); }

const std::vector<std::string>& key_metrics() {
  static const std::vector<std::string> names{
      std::string(metric::time_to_detect),  std::string(metric::time_to_escalate),      std::string(metric::time_to_crisis),
      std::string(metric::time_to_contain), std::string(metric::population_hours_lost), std::string(metric::obligations_met_fraction),
       std::string(metric::max_level_rank),  std::string(metric::time_to_first_restore)};
  return names;
}

namespace {

std::string runs_csv_header(const Study& study) {
  std::string out = "variant";
  for (const VaryAxis& a : study.axes) out += "," + csv_field(a.path);
  out += ",run,seed";
  for (const std::string& m : study.metrics) out += "," + csv_field(m);
  for (const std::string& o : study.objectives) out += "," + csv_field("objective:" + o);
  out += ",events,fingerprint\n";
  return out;
}

void append_runs_csv_line(std::string& out, const Study& study, const RunRow& r) {
  const Variant& v = study.variants.at(r.variant);
  out += csv_field(v.id);
  for (const std::string& x : v.values) out += "," + csv_field(x);
  out += "," + std::to_string(r.run) + "," + std::to_string(r.seed);
  for (const auto& m : r.metrics) out += "," + optional_number(m);
  for (const Rating g : r.ratings) {
    out += ',';
    out += letter(g);
  }
  out += "," + std::to_string(r.events) + "," + hex64(r.fingerprint) + "\n";
}

}  // namespace

std::string runs_csv(const Study& study, const std::vector<RunRow>& rows) {
  std::string out = runs_csv_header(study);
  for (const RunRow& r : rows) append_runs_csv_line(out, study, r);
  return out;
}

void write_runs_csv(const std::filesystem::path& file, const Study& study, const RowStore& rows) {
  std::FILE* f = std::fopen(file.c_str(), "wb");
  if (f == nullptr) throw std::runtime_error("cannot write " + file.string());
  std::string chunk = runs_csv_header(study);
  bool ok = true;
  auto drain = [&] {
    ok = ok && std::fwrite(chunk.data(), 1, chunk.size(), f) == chunk.size();
    chunk.clear();
  };
  rows.for_each(0, rows.total(), [&](const RunRow& r) {
    append_runs_csv_line(chunk, study, r);
    if (chunk.size() >= (1u << 16)) drain();
  });
  drain();
  ok = std::fclose(f) == 0 && ok;
  if (!ok) throw std::runtime_error("cannot write " + file.string());
}

std::string summary_csv(const Study& study, const std::vector<VariantSummary>& summary) {
  std::string out = "variant";
  for (const VaryAxis& a : study.axes) out += "," + csv_field(a.path);
  out += ",metric,runs,happened,mean,sd,ci95_low,ci95_high,min,p10,median,p90,max,"
         "diff_n,diff_mean,diff_sd,diff_ci95_low,diff_ci95_high\n";
  for (std::size_t v = 0; v < summary.size(); ++v) {
    const Variant& var = study.variants.at(v);
    for (std::size_t m = 0; m < study.metrics.size(); ++m) {
      const MetricSummary& ms = summary[v].metrics.at(m);
      out += csv_field(var.id);
      for (const std::string& x : var.values) out += "," + csv_field(x);
      out += "," + csv_field(study.metrics[m]) + "," + std::to_string(ms.runs) + "," +
             std::to_string(ms.stats ? ms.stats->n : 0);
      if (ms.stats) {
        const SampleStats& s = *ms.stats;
        out += "," + format_number(s.mean) + "," + optional_number(s.sd) + "," + optional_number(s.ci_low) + "," +
               optional_number(s.ci_high) + "," + format_number(s.min) + "," + format_number(s.p10) + "," +
               format_number(s.median) + "," + format_number(s.p90) + "," + format_number(s.max);
      } else {
        out += ",,,,,,,,,";
      }
      if (ms.diff) {
        const SampleStats& d = *ms.diff;
        out += "," + std::to_string(d.n) + "," + format_number(d.mean) + "," + optional_number(d.sd) + "," +
               optional_number(d.ci_low) + "," + optional_number(d.ci_high);
      } else {
        out += ",,,,,";
      }
      out += "\n";
    }
  }
  return out;
}

std::string summary_table(const Study& study, const std::vector<VariantSummary>& summary) {
  std::string out;
  char line[512];
  std::snprintf(line, sizeof line, "%zu variant(s) x %u runs; seeds %llu..%llu, the same for every variant\n",
                study.variants.size(), study.runs, static_cast<unsigned long long>(study.seed_of(0)),
                static_cast<unsigned long long>(study.seed_of(study.runs - 1)));
  out += line;
  std::vector<std::size_t> key;
  for (const std::string& k : key_metrics()) {
    for (std::size_t m = 0; m < study.metrics.size(); ++m)
      if (study.metrics[m] == k) key.push_back(m);
  }
  for (std::size_t v = 0; v < summary.size(); ++v) {
    const Variant& var = study.variants.at(v);
    out += "\n" + var.id + (v == 0 ? " (baseline)" : "") + "  " + settings_of(study, var) + "\n";
    std::snprintf(line, sizeof line, "  %-26s %9s %11s  %-25s %s", "metric", "happened", "mean", "95% CI of the mean",
                  v == 0 ? "" : "vs baseline (paired): mean [95% CI]");
    out += rtrim(line) + "\n";
    for (const std::size_t m : key) {
      const MetricSummary& ms = summary[v].metrics.at(m);
      const std::string happened = std::to_string(ms.stats ? ms.stats->n : 0) + "/" + std::to_string(ms.runs);
      std::string mean = "-", ci = "-", diff;
      if (ms.stats) {
        mean = readable(ms.stats->mean);
        if (ms.stats->ci_low) ci = "[" + readable(*ms.stats->ci_low) + ", " + readable(*ms.stats->ci_high) + "]";
      }
      if (ms.diff) {
        diff = (ms.diff->mean >= 0 ? "+" : "") + readable(ms.diff->mean);
        if (ms.diff->ci_low) diff += " [" + readable(*ms.diff->ci_low) + ", " + readable(*ms.diff->ci_high) + "]";
        diff += " (n=" + std::to_string(ms.diff->n) + ")";
      } else if (v > 0) {
        diff = "-";
      }
      std::snprintf(line, sizeof line, "  %-26s %9s %11s  %-25s %s", study.metrics[m].c_str(), happened.c_str(),
                    mean.c_str(), ci.c_str(), diff.c_str());
      out += rtrim(line) + "\n";
    }
    if (!study.objectives.empty()) {
      out += "  objectives (runs rated P/S/M/U):";
      for (std::size_t o = 0; o < study.objectives.size(); ++o) {
        const auto& c = summary[v].ratings.at(o);
        std::snprintf(line, sizeof line, "  %s %zu/%zu/%zu/%zu", study.objectives[o].c_str(), c[0], c[1], c[2], c[3]);
        out += line;
      }
      out += "\n";
    }
  }
  return out;
}

std::string encode_row(const RunRow& row) {
  std::string out = std::to_string(row.variant) + "," + std::to_string(row.run) + "," + std::to_string(row.seed) + "," +
                    std::to_string(row.events) + "," + hex64(row.fingerprint);
  for (const auto& m : row.metrics) out += "," + optional_number(m);
  for (const Rating g : row.ratings) {
    out += ',';
    out += letter(g);
  }
  for (const double x : row.impact) out += "," + format_number(x);
  return out;
}

std::optional<RunRow> decode_row_or_null(const Study& study, std::string_view line) {
  const std::vector<std::string_view> f = split(line, ',');
  if (f.size() != 5 + study.metrics.size() + study.objectives.size() + 2 * std::size_t{study.impact_points})
    return std::nullopt;
  RunRow row;
  const auto variant = parse_integer<std::uint32_t>(f[0]);
  const auto run = parse_integer<std::uint32_t>(f[1]);
  const auto seed = parse_integer<std::uint64_t>(f[2]);
  const auto events = parse_integer<std::uint64_t>(f[3]);
  const auto fingerprint = parse_integer<std::uint64_t>(f[4], 16);
  if (!variant || !run || !seed || !events || !fingerprint || f[4].size() != 16) return std::nullopt;
  if (*variant >= study.variants.size() || *run >= study.runs || *seed != study.seed_for(*variant, *run)) return std::nullopt;
  row.variant = *variant;
  row.run = *run;
  row.seed = *seed;
  row.events = *events;
  row.fingerprint = *fingerprint;
  std::size_t k = 5;
  for (std::size_t m = 0; m < study.metrics.size(); ++m, ++k) {
    if (f[k].empty()) {
      row.metrics.emplace_back();
      continue;
    }
    double v = 0;
    const auto [ptr, ec] = std::from_chars(f[k].data(), f[k].data() + f[k].size(), v);
    if (ec != std::errc() || ptr != f[k].data() + f[k].size()) return std::nullopt;
    row.metrics.emplace_back(v);
  }
  for (std::size_t o = 0; o < study.objectives.size(); ++o, ++k) {
    const std::optional<Rating> g = rating_of(f[k]);
    if (!g) return std::nullopt;
    row.ratings.push_back(*g);
  }
  for (std::size_t i = 0; i < 2 * std::size_t{study.impact_points}; ++i, ++k) {
    double v = 0;
    const auto [ptr, ec] = std::from_chars(f[k].data(), f[k].data() + f[k].size(), v);
    if (f[k].empty() || ec != std::errc() || ptr != f[k].data() + f[k].size()) return std::nullopt;
    row.impact.push_back(v);
  }
  return row;
}

}  // namespace cyberdrill::batch
