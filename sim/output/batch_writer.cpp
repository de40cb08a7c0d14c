#include "cyberdrill/batch_writer.hpp"

#include "cyberdrill/atomic_output.hpp"
#include "cyberdrill/files.hpp"


#include <functional>
#include <nlohmann/json.hpp>

namespace cyberdrill::batch {

namespace {
// The manifest's and summary's words for Study::seeds.
const char* seed_rule_text(const Study& study) {
  return study.seeds == SeedMode::crn
             ? "run i of every variant uses seed base_seed + i (common random numbers)"
             : "run i of variant v uses seed mix64(mix64(mix64(base_seed) ^ (v + 1)) ^ (i * 0x9e3779b97f4a7c15)) "
               "(independent configurations)";
}
}  // namespace

namespace {

namespace fs = std::filesystem;
using ojson = nlohmann::ordered_json;

ojson number_or_null(const std::optional<double>& v) { return v ? ojson(*v) : ojson(nullptr); }

ojson stats_json(const SampleStats& s) {
  ojson j;
  j["n"] = s.n;
  j["mean"] = s.mean;
  j["sd"] = number_or_null(s.sd);
  j["ci95"] = s.ci_low ? ojson::array({*s.ci_low, *s.ci_high}) : ojson(nullptr);
  return j;
}

ojson settings_json(const Study& study, const Variant& v) {
  ojson j = ojson::object();
  for (std::size_t i = 0; i < study.axes.size(); ++i) j[study.axes[i].path] = v.values[i];
  return j;
}

std::string dump(const ojson& j) { return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n"; }

}  // namespace

void check_output_folder(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return;
  if (!fs::is_directory(dir, ec)) throw StudyError("-o " + dir.string() + ": exists and is not a folder");
  if (!fs::is_empty(dir, ec) && !fs::exists(dir / "manifest.json", ec))
    throw StudyError("-o " + dir.string() + ": exists and is not a cyberdrill output folder; choose another folder");
}

std::string summary_json(const Study& study, const std::vector<VariantSummary>& summary) {
  ojson j;
  j["scenario"] = study.scenario_path.string();
  j["runs_per_variant"] = study.runs;
  j["base_seed"] = study.base_seed;
  j["seeds"] = seed_rule_text(study);
  j["baseline"] = study.variants.front().id;
  j["statistics"] =
      "over the runs where the metric happened: mean, sample sd (n - 1), 95 % CI of the mean (Student t), "
      "min, p10, median, p90, max (linear interpolation, type 7); vs_baseline: the variant minus the baseline "
      "paired by run over runs where both happened";
  ojson variants = ojson::array();
  for (std::size_t v = 0; v < summary.size(); ++v) {
    const Variant& var = study.variants.at(v);
    ojson jv;
    jv["id"] = var.id;
    jv["settings"] = settings_json(study, var);
    ojson metrics = ojson::object();
    for (std::size_t m = 0; m < study.metrics.size(); ++m) {
      const MetricSummary& ms = summary[v].metrics.at(m);
      ojson jm;
      jm["runs"] = ms.runs;
      jm["happened"] = ms.stats ? ms.stats->n : 0;
      if (ms.stats) {
        const SampleStats& s = *ms.stats;
        jm["mean"] = s.mean;
        jm["sd"] = number_or_null(s.sd);
        jm["ci95"] = s.ci_low ? ojson::array({*s.ci_low, *s.ci_high}) : ojson(nullptr);
        jm["min"] = s.min;
        jm["p10"] = s.p10;
        jm["median"] = s.median;
        jm["p90"] = s.p90;
        jm["max"] = s.max;
      }
      if (v > 0) jm["vs_baseline"] = ms.diff ? stats_json(*ms.diff) : ojson(nullptr);
      metrics[study.metrics[m]] = std::move(jm);
    }
    jv["metrics"] = std::move(metrics);
    ojson objectives = ojson::object();
    for (std::size_t o = 0; o < study.objectives.size(); ++o) {
      const auto& c = summary[v].ratings.at(o);
      objectives[study.objectives[o]] = {{"metric", study.objective_metrics.at(o)},
                                         {"P", c[0]}, {"S", c[1]}, {"M", c[2]}, {"U", c[3]}};
    }
    jv["objectives"] = std::move(objectives);
    variants.push_back(std::move(jv));
  }
  j["variants"] = std::move(variants);
  return dump(j);
}

namespace {

// The folder, with runs.csv written by `write_runs` (from rows in memory or from a RowStore).
void write_folder(const fs::path& dir, const Study& study, const std::function<void(const fs::path&)>& write_runs,
                  const std::vector<VariantSummary>& summary, const BatchManifest& manifest) {
  check_output_folder(dir);
  write_folder_atomically(dir, [&](const fs::path& tmp) {
    write_runs(tmp / "runs.csv");
    write_file(tmp / "summary.csv", summary_csv(study, summary));
    write_file(tmp / "summary.json", summary_json(study, summary));
    for (const auto& [name, text] : manifest.extra_files) write_file(tmp / name, text);
    {
      ojson j;
      j["kind"] = "cyberdrill batch";
      j["version"] = manifest.version;
      j["git_commit"] = manifest.git_commit;
      j["scenario"] = {{"path", study.scenario_path.string()},
                       {"name", study.variants.front().scenario.metadata.name},
                       {"hash", study.variants.front().scenario_hash}};
      j["study_key"] = study.key();
      j["runs_per_variant"] = study.runs;
      j["variant_count"] = study.variants.size();
      j["total_runs"] = study.total_runs();
      j["base_seed"] = study.base_seed;
      j["seeds"] = seed_rule_text(study);
      ojson axes = ojson::array();
      for (const VaryAxis& a : study.axes) axes.push_back({{"path", a.path}, {"values", a.values}});
      j["axes"] = std::move(axes);
      ojson variants = ojson::array();
      for (const Variant& v : study.variants) {
        ojson jv;
        jv["id"] = v.id;
        jv["settings"] = settings_json(study, v);
        jv["plan"] = v.plan_path.empty() ? ojson(nullptr) : ojson(v.plan_path);
        jv["scenario_hash"] = v.scenario_hash;
        variants.push_back(std::move(jv));
      }
      j["variants"] = std::move(variants);
      j["command_line"] = manifest.command_line;
      j["files"] = {"runs.csv", "summary.json", "summary.csv"};
      for (const auto& extra : manifest.extra_files) j["files"].push_back(extra.first);
      write_file(tmp / "manifest.json", dump(j));
    }
  });
}

}  // namespace

void write_study_folder(const fs::path& dir, const Study& study, const std::vector<RunRow>& rows,
                        const std::vector<VariantSummary>& summary, const BatchManifest& manifest) {
  write_folder(dir, study, [&](const fs::path& file) { write_file(file, runs_csv(study, rows)); }, summary, manifest);
}

void write_study_folder(const fs::path& dir, const Study& study, const RowStore& rows,
                        const std::vector<VariantSummary>& summary, const BatchManifest& manifest) {
  write_folder(dir, study, [&](const fs::path& file) { write_runs_csv(file, study, rows); }, summary, manifest);
}

}  // namespace cyberdrill::batch
