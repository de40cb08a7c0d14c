// cyberdrill batch: many seeded runs of a scenario over variants -> runs.csv, summary.json/.csv.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>

#include <unistd.h>

#include "run_caps.hpp"
#include "batch_wall_limit.hpp"
#include "cyberdrill/batch_writer.hpp"
#include "commands.hpp"
#include "integer_range.hpp"
#include "cyberdrill/atomic_output.hpp"
#include "cyberdrill/files.hpp"
#include "cyberdrill/terminal_text.hpp"
#include "cyberdrill/batch.hpp"
#include "cyberdrill/drill_journal.hpp"
#include "cyberdrill/scenario_io.hpp"
#include "cyberdrill/version.hpp"
#include "scenario_loading.hpp"
#ifdef CYBERDRILL_HAVE_VIZ
#include "cyberdrill/study_figures.hpp"
#endif

namespace cyberdrill::cli {
namespace {

struct BatchArgs {
  std::string scenario;
  std::string out;
  std::vector<std::string> vary;
  std::int64_t runs = 100;
  std::int64_t seed = -1;
  unsigned jobs = 0;
  bool mpi = false;
  bool resume = false;
  std::int64_t stop_after = 0;
  bool large = false;
  std::string journal;  ///< a live drill's journal, replayed in every run
  RunCaps caps;
  std::string design = "grid";  ///< grid | lhs
  std::int64_t samples = 0;     ///< lhs configurations
  std::string shard;            ///< "i/n": run only the i-th of n shares (1-based), for job arrays
  std::vector<std::string> merge_dirs;  ///< batch merge DIR...
  bool plots = false;           ///< --plots: PNG figures in OUT/plots
  std::string seeds = "crn";    ///< --seeds crn | independent (batch::SeedMode)
  double max_wall_per_run = 0;  ///< --max-wall-per-run (batch_wall_limit.hpp)
};

std::atomic<bool> g_interrupted{false};

extern "C" void on_interrupt(int /*signal*/) { g_interrupted.store(true); }

// The command that defines the study (execution options -j, --mpi, --resume do not change results
// and are left out, so the whole output folder is identical however it was computed).
std::string study_command(const BatchArgs& a) {
  std::string s = "cyberdrill batch " + a.scenario + " --runs " + std::to_string(a.runs);
  for (const std::string& v : a.vary) s += " --vary " + v;
  if (a.design != "grid") s += " --design " + a.design + " --samples " + std::to_string(a.samples);
  if (a.seed >= 0) s += " --seed " + std::to_string(a.seed);
  if (a.seeds != "crn") s += " --seeds " + a.seeds;
  if (a.large) s += " --large";
  if (!a.journal.empty()) s += " --journal " + a.journal;
  return s + " -o " + a.out;
}

// `--journal`: a live drill's journal (`cyberdrill live`), replayed in every run as by
// `run --journal`. A decisions.jsonl is refused (batch varies decisions with decide.ID axes).
std::vector<DrillAction> read_drill_journal_for_batch(const BatchArgs& a, const batch::Study& study) {
  if (!is_drill_journal(a.journal))
    throw UsageError("--journal " + a.journal + ": not a live drill's journal (vary decisions with --vary decide.ID=...)");
  for (const batch::VaryAxis& x : study.axes)
    if (x.kind == batch::VaryAxis::Kind::decide)
      throw UsageError("--journal: not with --vary " + x.path + " (edit the journal's decide lines instead)");
  DrillJournal j;
  try {
    j = read_drill_journal(a.journal);
  } catch (const std::exception& e) {
    throw UsageError(std::string("--journal: ") + e.what());
  }
  if (j.torn) std::cerr << "warning: " << *j.torn << "\n";
  if (j.header.scenario_hash != study.variants.front().scenario_hash)
    std::cerr << "warning: the drill journal was recorded with another scenario; its actions are applied where they "
                 "still apply\n";
  return std::move(j.actions);
}

batch::Study make_study_or_usage_error(const BatchArgs& a) {
  std::vector<batch::VaryAxis> axes;
  for (const std::string& v : a.vary) axes.push_back(batch::parse_vary(v));
  LoadOptions lo;
  apply_large(lo, a.large);
  try {
    batch::Design design;
    if (a.design == "lhs") {
      design.kind = batch::Design::Kind::lhs;
      design.samples = static_cast<std::uint32_t>(a.samples);
    } else if (a.samples > 0) {
      throw UsageError("--samples goes with --design lhs (a grid runs every combination of the --vary values)");
    }
    return batch::make_study(a.scenario, std::move(axes), static_cast<std::uint32_t>(a.runs),
                             a.seed >= 0 ? std::optional<std::uint64_t>(static_cast<std::uint64_t>(a.seed))
                                         : std::nullopt,
                             lo, design);
  } catch (const ScenarioError& e) {
    for (const Diagnostic& d : e.diagnostics()) std::cerr << terminal_safe(to_string(d), true) << "\n";
    throw UsageError(a.scenario + ": " + std::to_string(e.diagnostics().size()) +
                     " problem(s) loading the scenario; run 'cyberdrill validate' on it (with --plan for a plan "
                     "variant) for the full report");
  }
}

// Censored outcomes and sensitivity: the extra files of the study folder, and a line per key time
// metric that some runs never reached.
// The censoring figures come from `each` (a stream of the store: memory flat in the number of runs).
batch::BatchManifest study_manifest(const BatchArgs& a, const batch::Study& study, const batch::MetricColumn& column,
                                    const batch::MetricEach& each, const std::vector<batch::ImpactBand>& bands,
                                    std::string& censored_text) {
  batch::BatchManifest m{build::version, build::git_commit, study_command(a), {}};
  m.extra_files.emplace_back("censoring.csv", batch::censoring_csv_streamed(study, each));
  m.extra_files.emplace_back("survival.csv", batch::survival_csv_streamed(study, each));
  m.extra_files.emplace_back("impact_bands.csv", batch::impact_bands_csv(study, bands));
  m.extra_files.emplace_back("sensitivity.csv", batch::sensitivity_csv(study, column));
  for (std::size_t v = 0; v < study.variants.size() && v < 8; ++v)
    for (const std::string& name : {std::string("time_to_escalate_h"), std::string("time_to_contain_h")}) {
      const auto it = std::find(study.metrics.begin(), study.metrics.end(), name);
      if (it == study.metrics.end()) continue;
      const auto metric = static_cast<std::size_t>(it - study.metrics.begin());
      const double horizon = batch::censoring_hours(study, v);
      const batch::KaplanMeier km = batch::kaplan_meier_passes(
          [&](const std::function<void(const std::optional<double>&)>& g) { each(v, metric, g); }, horizon, nullptr);
      char buf[256];
      std::snprintf(buf, sizeof buf, "  %s %s: reached in %zu/%zu runs, never (censored at %.0f h) in %zu; KM median %s h\n",
                    study.variants[v].id.c_str(), name.c_str(), km.events, km.n, horizon, km.censored,
                    km.median ? batch::format_number(std::round(*km.median * 100) / 100).c_str() : "> horizon");
      censored_text += buf;
    }
  return m;
}

// --plots: OUT/plots/cdf-METRIC.png per key metric, tornado.png of the sensitivities (|SRC|) and
// impact-bands-SERIES.png (median and 10-90 % band over time per configuration).
void write_plots(const BatchArgs& a, const batch::Study& study, const batch::MetricColumn& column,
                 const std::string& sensitivity_text, const std::vector<batch::ImpactBand>& bands) {
  if (!a.plots) return;
#ifdef CYBERDRILL_HAVE_VIZ
  const std::filesystem::path dir = std::filesystem::path(a.out) / "plots";
  std::filesystem::create_directories(dir);
  const std::string name = study.variants.front().scenario.metadata.name;
  // A configuration as people read it: "mandatory_reporting=1, csirt_staff_scale=2" (knob or
  // decision id, or the path), its id when nothing varies.
  auto variant_label = [&](std::size_t v) {
    std::string label;
    for (std::size_t i = 0; i < study.axes.size(); ++i)
      label += (i ? ", " : "") + (study.axes[i].name.empty() ? study.axes[i].path : study.axes[i].name) + "=" +
               study.variants[v].values[i];
    return label.empty() ? study.variants[v].id : label;
  };
  for (const std::string& metric : {std::string("time_to_escalate_h"), std::string("time_to_contain_h"),
                                    std::string("population_hours_lost"), std::string("economic_loss_eur")}) {
    const auto it = std::find(study.metrics.begin(), study.metrics.end(), metric);
    if (it == study.metrics.end()) continue;
    std::vector<viz::CdfSeries> series;
    for (std::size_t v = 0; v < study.variants.size() && v < 8; ++v) {
      viz::CdfSeries s;
      s.label = variant_label(v);
      for (const auto& x : column(v, static_cast<std::size_t>(it - study.metrics.begin())))
        if (x) s.values.push_back(*x);
      s.runs = study.runs;
      series.push_back(std::move(s));
    }
    const bool time = metric.starts_with("time_to_");
    viz::render_cdf_png(name, metric, series, time ? batch::censoring_hours(study, 0) : 0, dir / ("cdf-" + metric + ".png"));
  }
  // sensitivity.csv rows: parameter,metric,n,src,lo,hi,prcc,lo,hi (split from the right).
  std::vector<viz::TornadoBar> bars;
  std::size_t start = sensitivity_text.find('\n') + 1;
  while (start < sensitivity_text.size()) {
    const std::size_t end = sensitivity_text.find('\n', start);
    std::string line = sensitivity_text.substr(start, end - start);
    start = end == std::string::npos ? sensitivity_text.size() : end + 1;
    std::vector<std::string> f;
    for (int k = 0; k < 8; ++k) {
      const auto c = line.rfind(',');
      if (c == std::string::npos) break;
      f.push_back(line.substr(c + 1));
      line.erase(c);
    }
    if (f.size() < 8) continue;
    // f: prcc_hi, prcc_lo, prcc, src_hi, src_lo, src, n, metric; line: parameter
    bars.push_back({line + " -> " + f[7], std::stod(f[5]), std::stod(f[4]), std::stod(f[3])});
  }
  std::stable_sort(bars.begin(), bars.end(),
                   [](const viz::TornadoBar& x, const viz::TornadoBar& y) { return std::abs(x.value) > std::abs(y.value); });
  viz::render_tornado_png(name, "standardised regression coefficients with 95 % intervals, largest first",
                          bars, dir / "tornado.png");
  for (const std::string& series : batch::impact_series_names()) {
    std::vector<viz::BandSeries> lines;
    for (const batch::ImpactBand& b : bands) {
      if (b.series != series || b.variant >= 8) continue;
      viz::BandSeries s{variant_label(b.variant), b.time_h, b.p10, b.median, b.p90};
      lines.push_back(std::move(s));
    }
    viz::render_bands_png(name, series == "people_affected" ? "people affected" : "economic loss so far (EUR)", lines,
                          dir / ("impact-bands-" + series + ".png"));
  }
  std::cout << "plots in " << dir.string() << "\n";
#else
  (void)study;
  (void)column;
  (void)sensitivity_text;
  (void)bands;
  throw UsageError("--plots: this cyberdrill was built without the viz layer");
#endif
}

// Statistics, the output folder and the table on stdout, from a complete RowStore (memory flat in
// the number of runs).
void write_outputs(const BatchArgs& a, const batch::Study& study, const batch::RowStore& rows) {
  const std::vector<batch::VariantSummary> summary = batch::summarise(study, rows);
  std::string censored;
  const std::vector<batch::ImpactBand> bands = batch::impact_bands(study, rows);  // in passes: flat in N
  const batch::BatchManifest manifest = study_manifest(a, study, batch::metric_column(study, rows), batch::metric_each(study, rows), bands, censored);
  batch::write_study_folder(a.out, study, rows, summary, manifest);
  write_plots(a, study, batch::metric_column(study, rows), manifest.extra_files.back().second, bands);
  std::cout << "cyberdrill batch: " << terminal_safe(study.variants.front().scenario.metadata.name) << "\n"
            << terminal_safe(batch::summary_table(study, summary), true) << "\ncensored outcomes (Kaplan-Meier):\n"
            << censored << "\noutput folder " << a.out << "\n";
}

// --shard i/n: run index k belongs to shard (k % n) + 1.
std::pair<std::size_t, std::size_t> parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  std::size_t i = 0, n = 0;
  try {
    if (slash == std::string::npos) throw std::invalid_argument("no /");
    std::size_t used = 0;
    i = std::stoul(text.substr(0, slash), &used);
    if (used != slash) throw std::invalid_argument("i");
    n = std::stoul(text.substr(slash + 1), &used);
    if (used != text.size() - slash - 1) throw std::invalid_argument("n");
  } catch (const std::exception&) {
    throw UsageError("--shard " + text + ": expected i/n with 1 <= i <= n (e.g. --shard 3/8)");
  }
  if (n < 1 || i < 1 || i > n || n > 100000) throw UsageError("--shard " + text + ": expected i/n with 1 <= i <= n <= 100000");
  return {i, n};
}

// The study-defining arguments of a shard, one "key=value" per line (shard.args in its folder):
// `batch merge` rebuilds the study from them.
std::string shard_args_text(const BatchArgs& a) {
  std::string s = "scenario=" + a.scenario + "\nruns=" + std::to_string(a.runs) + "\nseed=" + std::to_string(a.seed) +
                  "\ndesign=" + a.design + "\nsamples=" + std::to_string(a.samples) + "\nlarge=" +
                  (a.large ? "1" : "0") + "\njournal=" + a.journal + "\nmax_events=" + std::to_string(a.caps.max_events) +
                  "\nmax_sim_time=" + a.caps.max_sim_time + "\nshard=" + a.shard + "\nseeds=" + a.seeds + "\n";
  for (const std::string& v : a.vary) s += "vary=" + v + "\n";
  return s;
}

BatchArgs read_shard_args(const std::filesystem::path& dir) {
  std::ifstream in(dir / "shard.args");
  if (!in) throw UsageError(dir.string() + ": not a shard folder of 'cyberdrill batch --shard' (no shard.args)");
  BatchArgs a;
  std::string line;
  try {
    while (std::getline(in, line)) {
      const auto eq = line.find('=');
      if (eq == std::string::npos) continue;
      const std::string k = line.substr(0, eq), v = line.substr(eq + 1);
      if (k == "scenario") a.scenario = v;
      else if (k == "runs") a.runs = std::stoll(v);
      else if (k == "seed") a.seed = std::stoll(v);
      else if (k == "design") a.design = v;
      else if (k == "samples") a.samples = std::stoll(v);
      else if (k == "large") a.large = v == "1";
      else if (k == "journal") a.journal = v;
      else if (k == "max_events") a.caps.max_events = std::stoll(v);
      else if (k == "max_sim_time") a.caps.max_sim_time = v;
      else if (k == "shard") a.shard = v;
      else if (k == "seeds") a.seeds = v;
      else if (k == "vary") a.vary.push_back(v);
    }
  } catch (const std::exception&) {
    throw UsageError((dir / "shard.args").string() + ": unreadable line \"" + line + "\"");
  }
  return a;
}

int run_merge(BatchArgs& m);

// The study of `batch` and `batch merge`: the output folder checked, the study made, the drill
// journal read; a study error is a usage error (exit 2).
batch::Study prepare_study(const BatchArgs& a) {
  batch::Study study;
  try {
    batch::check_output_folder(a.out);
    study = make_study_or_usage_error(a);
    study.seeds = a.seeds == "independent" ? batch::SeedMode::independent : batch::SeedMode::crn;
    if (!a.journal.empty()) study.drill = read_drill_journal_for_batch(a, study);
  } catch (const batch::StudyError& e) {
    throw UsageError(e.what());
  }
  return study;
}

int run(BatchArgs& a) {
  if (!a.merge_dirs.empty()) return run_merge(a);
  if (a.scenario.empty()) throw UsageError("batch: a SCENARIO file is required (or: batch merge DIR... -o OUT)");
  if (a.out.empty()) throw UsageError("batch: -o/--out is required");
  if (!std::filesystem::is_regular_file(a.scenario))
    throw UsageError("batch: scenario file " + a.scenario + " does not exist or is not a file");
  std::optional<std::pair<std::size_t, std::size_t>> shard;
  if (!a.shard.empty()) shard = parse_shard(a.shard);
  if (shard && a.mpi) throw UsageError("--shard and --mpi: use one way of splitting the study");
  if (a.mpi && !batch::built_with_mpi())
    throw UsageError("this cyberdrill was built without MPI (configure with -DCYBERDRILL_WITH_MPI=ON)");
  if (a.mpi && (a.resume || a.stop_after > 0))
    throw UsageError("--resume and --stop-after work with threads only, not with --mpi");
  if (a.runs < 1 || a.runs > std::int64_t{UINT32_MAX})
    throw UsageError("--runs " + std::to_string(a.runs) + ": out of range (1.." + std::to_string(UINT32_MAX) + ")");

  std::unique_ptr<batch::MpiSession> mpi;
  if (a.mpi) mpi = std::make_unique<batch::MpiSession>();
  const bool root = !mpi || mpi->rank() == 0;

  batch::Study study = prepare_study(a);
  {  // Caps: a horizon beyond --max-sim-time is refused before any run or checkpoint.
    RunOptions caps;
    apply_caps(a.caps, caps);
    study.max_events = caps.max_events;
    study.max_sim_time = caps.max_sim_time;
    for (const batch::Variant& v : study.variants) check_run_caps(v.scenario, caps);
    apply_wall_limit(a.max_wall_per_run, a.mpi, study);
  }
  const unsigned threads = a.jobs > 0 ? a.jobs : std::max(1u, std::thread::hardware_concurrency());
  const std::size_t total = study.total_runs();
  if (root)
    spdlog::info("{}: {} variant(s) x {} runs = {} runs on {} thread(s){}", terminal_safe(study.variants.front().scenario.metadata.name),
                 study.variants.size(), study.runs, total, threads,
                 mpi ? " per rank, " + std::to_string(mpi->size()) + " MPI ranks" : std::string());

  batch::ExecuteOptions eo;
  eo.threads = threads;
  // Progress: a bar redrawn in place on a terminal, periodic plain lines otherwise (logs, CI).
  const bool tty = ::isatty(STDERR_FILENO) == 1;
  eo.progress_every = std::chrono::milliseconds(tty ? 250 : 3000);
  if (root) {
    const std::string who = mpi ? "batch (all ranks)" : "batch";
    eo.on_progress = [who, tty](const batch::Progress& p) {
      if (tty) {
        std::fprintf(stderr, "\r%s: %s\033[K%s", who.c_str(), batch::progress_text(p, true, 100).c_str(),
                     p.done >= p.total ? "\n" : "");
        std::fflush(stderr);
        return;
      }
      spdlog::info("{}: {}", who, batch::progress_text(p, false));
    };
  }
  if (mpi) {
    // Rank 0 streams the rows into a RowStore (a temporary file beside the output folder, as the
    // -j path's is in DIR.partial) and writes the outputs from it, as -j does: its memory does
    // not grow with the number of runs.
    std::unique_ptr<batch::RowStore> rows;
    if (root) {
      std::filesystem::path where = std::filesystem::path(a.out).parent_path();
      if (where.empty()) where = ".";
      std::filesystem::create_directories(where);
      rows = std::make_unique<batch::RowStore>(study, where);
    }
    mpi->execute(study, rows.get(), eo);
    if (!root) return Exit::ok;
    write_outputs(a, study, *rows);
    return Exit::ok;
  }
  {
    const std::filesystem::path partial = a.out + ".partial";
    std::unique_ptr<batch::Checkpoint> checkpoint;
    try {
      checkpoint = std::make_unique<batch::Checkpoint>(partial, study, a.resume);
    } catch (const batch::StudyError& e) {
      throw UsageError(e.what());
    }
    if (a.resume) {
      if (checkpoint->restored_count() > 0)
        spdlog::info("resuming: {} of {} runs restored from {}", checkpoint->restored_count(), total, partial.string());
      else
        spdlog::info("nothing to resume in {}; starting from the first run", partial.string());
    }
    // The rows live in a temporary file in the checkpoint folder, not in memory.
    batch::RowStore rows(study, partial);
    (void)checkpoint->restore_into(rows);
    eo.on_row = [&checkpoint](const batch::RunRow& row) { checkpoint->append(row); };
    std::size_t expected = total;
    if (shard) {
      for (std::size_t k = shard->first - 1; k < total; k += shard->second) eo.indices.push_back(k);
      expected = eo.indices.size();
      if (expected == 0) throw UsageError("--shard " + a.shard + ": this shard has no runs (more shards than runs)");
    }
    eo.stop_after = static_cast<std::size_t>(a.stop_after);
    eo.cancel = &g_interrupted;
    TimedOutRuns timed_out;
    timed_out.attach(eo);
    struct sigaction action {};
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    struct sigaction old_int {}, old_term {};
    sigaction(SIGINT, &action, &old_int);
    sigaction(SIGTERM, &action, &old_term);
    try {
      (void)batch::execute(study, rows, eo);
    } catch (const LimitExceeded&) {
      sigaction(SIGINT, &old_int, nullptr);
      sigaction(SIGTERM, &old_term, nullptr);
      // A run hit a cap: with nothing completed there is nothing to resume, so no folder stays.
      if (rows.count() == 0) checkpoint->remove();
      else checkpoint->sync();
      throw;
    } catch (...) {
      sigaction(SIGINT, &old_int, nullptr);
      sigaction(SIGTERM, &old_term, nullptr);
      checkpoint->sync();
      throw;
    }
    sigaction(SIGINT, &old_int, nullptr);
    sigaction(SIGTERM, &old_term, nullptr);
    const std::size_t done = rows.count();
    if (!timed_out.runs.empty()) {
      checkpoint->sync();
      throw UsageError(timed_out.message(study, partial.string()));
    }
    if (done < expected) {
      checkpoint->sync();
      spdlog::error("{} after {} of {} runs; the completed runs are in {}; run the same command with --resume to "
                    "continue",
                    g_interrupted.load() ? "interrupted" : "stopped (--stop-after)", done, total, partial.string());
      return Exit::runtime_failure;
    }
    if (shard) {
      // The shard's folder is its completed checkpoint (study.key, runs.csv) with shard.args.
      checkpoint->sync();
      checkpoint.reset();
      write_file(partial / "shard.args", shard_args_text(a));
      write_file(partial / "manifest.json", "{\"kind\": \"cyberdrill batch shard\"}\n");
      std::error_code ec;
      std::filesystem::remove_all(a.out, ec);
      std::filesystem::rename(partial, a.out);
      std::cout << "shard " << a.shard << ": " << done << " runs in " << a.out
                << "; combine the shards with 'cyberdrill batch merge DIR... -o OUT'\n";
      return Exit::ok;
    }
    write_outputs(a, study, rows);
    checkpoint->remove();
    return Exit::ok;
  }
}

// batch merge DIR... -o OUT: the study folder from its shards, byte-identical to the unsharded study.
int run_merge(BatchArgs& m) {
  std::vector<BatchArgs> shards;
  for (const std::string& d : m.merge_dirs) shards.push_back(read_shard_args(d));
  BatchArgs a = shards.front();
  a.out = m.out;
  a.shard.clear();
  const std::size_t n = parse_shard(shards.front().shard).second;
  std::vector<int> seen(n + 1, 0);
  for (std::size_t k = 0; k < shards.size(); ++k) {
    BatchArgs b = shards[k];
    const auto [i, nn] = parse_shard(b.shard);
    if (nn != n) throw UsageError(m.merge_dirs[k] + ": shard " + b.shard + " of another split (" + std::to_string(n) + " shards)");
    if (seen[i]++ > 0) throw UsageError(m.merge_dirs[k] + ": shard " + b.shard + " is given twice");
    b.shard.clear();
    b.out = a.out;
    if (shard_args_text(b) != shard_args_text(a))
      throw UsageError(m.merge_dirs[k] + ": a shard of another study (its scenario, --runs or --vary differ)");
  }
  std::string missing;
  for (std::size_t i = 1; i <= n; ++i)
    if (seen[i] == 0) missing += (missing.empty() ? "" : ", ") + std::to_string(i) + "/" + std::to_string(n);
  if (!missing.empty()) throw UsageError("batch merge: missing shard(s) " + missing);

  batch::Study study = prepare_study(a);
  RunOptions caps;
  apply_caps(a.caps, caps);
  study.max_events = caps.max_events;
  study.max_sim_time = caps.max_sim_time;
  const std::filesystem::path scratch = a.out + ".merging";
  std::filesystem::create_directories(scratch);
  {
    batch::RowStore rows(study, scratch);
    for (const std::string& d : m.merge_dirs) {
      try {
        const batch::Checkpoint shard(d, study, true);
        (void)shard.restore_into(rows);
      } catch (const batch::StudyError& e) {
        throw UsageError(d + ": " + e.what() + " (was the scenario changed since the shards ran?)");
      }
    }
    if (rows.count() != study.total_runs())
      throw UsageError("batch merge: the shards hold " + std::to_string(rows.count()) + " of " +
                       std::to_string(study.total_runs()) + " runs (an unfinished shard?)");
    write_outputs(a, study, rows);
  }
  std::error_code ec;
  std::filesystem::remove_all(scratch, ec);
  return Exit::ok;
}

}  // namespace

Action add_batch(CLI::App& app) {
  auto args = std::make_shared<BatchArgs>();
  CLI::App* sub = app.add_subcommand(
      "batch", "Many seeded runs of a scenario, swept over variants, with distributions and confidence intervals");
  std::string knobs;
  for (const std::string& k : known_policies()) knobs += (knobs.empty() ? "" : ", ") + k;
  sub->footer(std::string(R"(
A study runs every variant (the Cartesian product of the --vary axes; the first value of each axis
is the baseline) --runs times. Run i of every variant uses seed BASE+i (common random numbers), so
variants are compared on the same draws and the difference against the baseline is paired.
--seeds independent instead derives run i of configuration v's seed from (BASE, v, i): the
configurations are then independent samples (use it when a method assumes independence, e.g. a
design where configurations are treated as unrelated draws; CRN gives narrower difference CIs).
Results do not depend on -j, --mpi, --shard or --resume: the output folder is byte-identical.

--vary PATH=V1,V2,...   (repeat for a Cartesian product)
  policy.NAME=...   a policy knob (numbers >= 0, replacing the scenario's own value), e.g.
                    policy.reporting_coverage_scale=0.5,1   policy.mandatory_reporting=0,1
                    policy.csirt_staff_scale=1,2            (all knobs: below)
  plan=A.json,B.json  run the exercise against each plan version
  decide.ID=OPT1,OPT2 force decision ID to each option
  PATH=...          any value of the composed scenario, by JSON pointer or dotted path (array
                    elements by index or id), set before the scenario is checked, e.g.
                    organisations.CSIRT.staff=2,4,6   /channels/0/coverage=0.2:1:0.2
                    A path that does not exist or a value of the wrong type exits 2.
  Values: V1,V2,... or a range LO:HI:STEP (inclusive) or LO:HI.
--design lhs --samples K   a Latin hypercube of K configurations over the axes' ranges LO:HI
                    (snapped to STEP when given) or lists, instead of every combination

Output folder: manifest.json, runs.csv (one row per variant and run: settings, seed, every metric,
objective ratings, trace fingerprint), summary.json and summary.csv (per variant and metric: runs
where it happened, mean, sd, 95 % CI of the mean, min, p10, median, p90, max, and the paired
difference against the baseline with its 95 % CI). A table of the key metrics goes to stdout,
progress to stderr. Completed runs are checkpointed in DIR.partial; after an interruption (Ctrl-C)
the same command with --resume continues where it stopped.

Examples:
  cyberdrill batch scenarios/belgium/grid-blackout.json --runs 1000 -o studies/base
  cyberdrill batch EX.json --runs 500 --vary policy.reporting_coverage_scale=0.3,0.6,1 \
                   --vary policy.csirt_staff_scale=1,2 -j 2 -o studies/sweep
  cyberdrill batch EX.json --runs 300 --vary plan=scenarios/belgium/plan-2017.json,scenarios/belgium/plan-nis2.json -o studies/plans
  mpirun -np 4 cyberdrill batch EX.json --runs 10000 --mpi -o studies/big

Policy knobs: )") + knobs);
  sub->add_option("scenario", args->scenario, "Scenario file (JSON)");
  sub->add_option("-o,--out", args->out, "Output folder (replaced if it holds a previous output); required");
  sub->add_option("--shard", args->shard,
                  "i/n: run only shard i of n (runs k with k % n == i - 1) into the -o folder; combine with 'batch "
                  "merge' (Slurm job arrays: docs/slurm-batch.sh)");
  CLI::App* merge = sub->add_subcommand("merge", "Combine the folders of 'batch --shard i/n' into the study folder "
                                                 "(identical to the unsharded study)");
  merge->add_option("dirs", args->merge_dirs, "Shard folders")->required()->check(CLI::ExistingDirectory);
  merge->add_option("-o,--out", args->out, "Output folder of the study")->required();
  sub->require_subcommand(0, 1);
  sub->add_option("--runs", args->runs, "Runs per variant (default 100)")->check(integer_range(1, UINT32_MAX));
  sub->add_option("--vary", args->vary, "PATH=V1,V2,...: a sweep axis (repeatable; see below)")
      ->allow_extra_args(false);
  sub->add_option("--seed", args->seed, "Base seed (default: the scenario's metadata.seed)")
      ->check(integer_range(0, INT64_MAX));
  sub->add_option("-j,--jobs", args->jobs, "Worker threads (default: all cores; per rank with --mpi)");
  sub->add_flag("--mpi", args->mpi, "Distribute the runs over MPI ranks (start with mpirun); rank 0 writes");
  sub->add_flag("--resume", args->resume, "Continue an interrupted study from DIR.partial");
  sub->add_option("--stop-after", args->stop_after, "Stop after this many runs (testing interruption)")
      ->group("")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--journal", args->journal,
                  "A live drill's journal (cyberdrill live): every run replays the facilitator's actions where they "
                  "were taken (the drill under other draws); not with decide axes");
  sub->add_option("--design", args->design,
                  "grid (default: every combination of the --vary values) or lhs (a Latin hypercube of --samples "
                  "configurations over the ranges)")
      ->check(CLI::IsMember({"grid", "lhs"}));
  sub->add_option("--samples", args->samples, "Configurations of --design lhs")->check(integer_range(2, 100000));
  sub->add_flag("--plots", args->plots,
                "Also draw PNG figures into OUT/plots: CDF per configuration of key metrics, tornado chart, impact "
                "bands (median and 10-90 % of people affected and economic loss over time)");
  sub->add_option("--seeds", args->seeds,
                  "crn (default): run i of every configuration uses seed BASE+i (common random numbers, paired "
                  "differences); independent: a seed hashed from (BASE, configuration, replication)")
      ->check(CLI::IsMember({"crn", "independent"}));
  add_large_flag(sub, args->large);
  add_cap_options(sub, args->caps);
  add_wall_limit_option(sub, args->max_wall_per_run);
  return [args] {
    // "-o runs/x/" names the folder runs/x (its checkpoint is runs/x.partial, not inside it).
    args->out = without_trailing_separators(args->out).string();
    return run(*args);
  };
}

}  // namespace cyberdrill::cli
