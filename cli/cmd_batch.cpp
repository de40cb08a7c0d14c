// cyberdrill batch: many seeded runs of a scenario over variants -> runs.csv, summary.json/.csv.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>
#include <thread>

#include "run_caps.hpp"
#include "batch_wall_limit.hpp"
#include "cyberdrill/batch_writer.hpp"
#include "commands.hpp"
#include "integer_range.hpp"
#include "cyberdrill/atomic_output.hpp"
#include "cyberdrill/terminal_text.hpp"
#include "cyberdrill/batch.hpp"
#include "cyberdrill/drill_journal.hpp"
#include "cyberdrill/scenario_io.hpp"
#include "cyberdrill/version.hpp"
#include "scenario_loading.hpp"

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
  double max_wall_per_run = 0;  ///< --max-wall-per-run (batch_wall_limit.hpp)
};

std::atomic<bool> g_interrupted{false};

extern "C" void on_interrupt(int /*signal*/) { g_interrupted.store(true); }

std::string duration_text(double s) {
  char buf[32];
  if (s < 60)
    std::snprintf(buf, sizeof buf, "%.0f s", s);
  else if (s < 3600)
    std::snprintf(buf, sizeof buf, "%.0f min %02.0f s", std::floor(s / 60), std::fmod(s, 60));
  else
    std::snprintf(buf, sizeof buf, "%.0f h %02.0f min", std::floor(s / 3600), std::floor(std::fmod(s, 3600) / 60));
  return buf;
}

// The command that defines the study (execution options -j, --mpi, --resume do not change results
// and are left out, so the whole output folder is identical however it was computed).
std::string study_command(const BatchArgs& a) {
  std::string s = "cyberdrill batch " + a.scenario + " --runs " + std::to_string(a.runs);
  for (const std::string& v : a.vary) s += " --vary " + v;
  if (a.seed >= 0) s += " --seed " + std::to_string(a.seed);
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
    return batch::make_study(a.scenario, std::move(axes), static_cast<std::uint32_t>(a.runs),
                             a.seed >= 0 ? std::optional<std::uint64_t>(static_cast<std::uint64_t>(a.seed))
                                         : std::nullopt,
                             lo);
  } catch (const ScenarioError& e) {
    for (const Diagnostic& d : e.diagnostics()) std::cerr << terminal_safe(to_string(d), true) << "\n";
    throw UsageError(a.scenario + ": " + std::to_string(e.diagnostics().size()) +
                     " problem(s) loading the scenario; run 'cyberdrill validate' on it (with --plan for a plan "
                     "variant) for the full report");
  }
}

// Statistics, the output folder and the table on stdout, from complete slots.
void write_outputs(const BatchArgs& a, const batch::Study& study, std::vector<std::optional<batch::RunRow>> slots) {
  std::vector<batch::RunRow> rows;
  rows.reserve(slots.size());
  for (auto& s : slots) rows.push_back(std::move(*s));
  const std::vector<batch::VariantSummary> summary = batch::summarise(study, rows);
  batch::write_study_folder(a.out, study, rows, summary, {build::version, build::git_commit, study_command(a)});
  std::cout << "cyberdrill batch: " << terminal_safe(study.variants.front().scenario.metadata.name) << "\n"
            << terminal_safe(batch::summary_table(study, summary), true) << "\noutput folder " << a.out << "\n";
}

// The same from a complete RowStore (memory flat in the number of runs).
void write_outputs(const BatchArgs& a, const batch::Study& study, const batch::RowStore& rows) {
  const std::vector<batch::VariantSummary> summary = batch::summarise(study, rows);
  batch::write_study_folder(a.out, study, rows, summary, {build::version, build::git_commit, study_command(a)});
  std::cout << "cyberdrill batch: " << terminal_safe(study.variants.front().scenario.metadata.name) << "\n"
            << terminal_safe(batch::summary_table(study, summary), true) << "\noutput folder " << a.out << "\n";
}

int run(BatchArgs& a) {
  if (a.mpi && !batch::built_with_mpi())
    throw UsageError("this cyberdrill was built without MPI (configure with -DCYBERDRILL_WITH_MPI=ON)");
  if (a.mpi && (a.resume || a.stop_after > 0))
    throw UsageError("--resume and --stop-after work with threads only, not with --mpi");
  if (a.runs < 1 || a.runs > std::int64_t{UINT32_MAX})
    throw UsageError("--runs " + std::to_string(a.runs) + ": out of range (1.." + std::to_string(UINT32_MAX) + ")");

  std::unique_ptr<batch::MpiSession> mpi;
  if (a.mpi) mpi = std::make_unique<batch::MpiSession>();
  const bool root = !mpi || mpi->rank() == 0;

  batch::Study study;
  try {
    batch::check_output_folder(a.out);
    study = make_study_or_usage_error(a);
    if (!a.journal.empty()) study.drill = read_drill_journal_for_batch(a, study);
  } catch (const batch::StudyError& e) {
    throw UsageError(e.what());
  }
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
  eo.progress_every = std::chrono::milliseconds(3000);
  if (root) {
    const std::string who = mpi ? "batch (rank 0's share)" : "batch";
    eo.on_progress = [who](const batch::Progress& p) {
      spdlog::info("{}: {}/{} runs ({:.0f} %), {:.0f} runs/s{}", who, p.done, p.total,
                   p.total ? 100.0 * static_cast<double>(p.done) / static_cast<double>(p.total) : 100.0, p.runs_per_s,
                   p.eta_s ? ", ETA " + duration_text(*p.eta_s) : std::string());
    };
  }
  if (mpi) {
    std::vector<std::optional<batch::RunRow>> slots(total);
    mpi->execute(study, slots, eo);
    if (!root) return Exit::ok;
    write_outputs(a, study, std::move(slots));
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
    if (done < total) {
      checkpoint->sync();
      spdlog::error("{} after {} of {} runs; the completed runs are in {}; run the same command with --resume to "
                    "continue",
                    g_interrupted.load() ? "interrupted" : "stopped (--stop-after)", done, total, partial.string());
      return Exit::runtime_failure;
    }
    write_outputs(a, study, rows);
    checkpoint->remove();
    return Exit::ok;
  }
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
Results do not depend on -j, --mpi or --resume: the output folder is byte-identical.

--vary PATH=V1,V2,...   (repeat for a Cartesian product)
  policy.NAME=...   a policy knob (numbers >= 0, replacing the scenario's own value), e.g.
                    policy.reporting_coverage_scale=0.5,1   policy.mandatory_reporting=0,1
                    policy.csirt_staff_scale=1,2            (all knobs: below)
  plan=A.json,B.json  run the exercise against each plan version
  decide.ID=OPT1,OPT2 force decision ID to each option

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
  sub->add_option("scenario", args->scenario, "Scenario file (JSON)")->required()->check(CLI::ExistingFile);
  sub->add_option("-o,--out", args->out, "Output folder (replaced if it holds a previous output)")->required();
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
