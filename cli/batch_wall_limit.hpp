// `batch --max-wall-per-run SECONDS`: a wall-clock limit per run (Study::max_wall_per_run_s). A
// run over it is stopped and counted; the other runs complete and are kept in the checkpoint
// (DIR.partial). With any run stopped no summary is written (the study would be biased towards the
// fast runs): the stopped runs are named and the command exits 2, like the other caps; `--resume`
// with a larger limit (or 0 = none) completes just those runs.
#pragma once

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "commands.hpp"
#include "cyberdrill/batch.hpp"

namespace cyberdrill::cli {

inline std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", s);
  return buf;
}

inline void add_wall_limit_option(CLI::App* sub, double& seconds) {
  sub->add_option("--max-wall-per-run", seconds,
                  "Stop a run that takes longer than this many seconds of wall clock; it is counted and named, "
                  "the other runs complete (0 = no limit, the default; threads only, not with --mpi)");
}

/// Sets the limit on `study`; throws UsageError for a negative or non-finite value or with --mpi.
inline void apply_wall_limit(double seconds, bool mpi, batch::Study& study) {
  if (!std::isfinite(seconds) || seconds < 0)
    throw UsageError("--max-wall-per-run " + seconds_text(seconds) + ": expected seconds >= 0 (0 = no limit)");
  if (seconds > 0 && mpi) throw UsageError("--max-wall-per-run works with threads only, not with --mpi");
  study.max_wall_per_run_s = seconds;
}

/// The runs stopped at the limit, as ExecuteOptions::on_timed_out reports them.
struct TimedOutRuns {
  std::vector<std::pair<std::size_t, std::string>> runs;  ///< (index, RunTimedOut message)

  void attach(batch::ExecuteOptions& eo) {
    eo.on_timed_out = [this](std::size_t index, const std::string& why) { runs.emplace_back(index, why); };
  }

  /// The error for the stopped runs (variant id and run number each, at most 10 named), or "" when
  /// none was stopped.
  [[nodiscard]] std::string message(const batch::Study& study, const std::string& partial) const {
    if (runs.empty()) return {};
    std::vector<std::pair<std::size_t, std::string>> sorted = runs;
    std::sort(sorted.begin(), sorted.end());
    std::string text = std::to_string(sorted.size()) + " of " + std::to_string(study.total_runs()) +
                       " runs stopped at the wall-clock limit of " + seconds_text(study.max_wall_per_run_s) +
                       " s (--max-wall-per-run):";
    for (std::size_t k = 0; k < sorted.size() && k < 10; ++k) {
      const std::size_t i = sorted[k].first;
      text += "\n  " + study.variants[i / study.runs].id + " run " + std::to_string(i % study.runs) + ", " + sorted[k].second;
    }
    if (sorted.size() > 10) text += "\n  ... and " + std::to_string(sorted.size() - 10) + " more";
    return text + "\nno summary was written; the completed runs are in " + partial +
           "; run the same command with --resume and a larger --max-wall-per-run (0 = no limit) to complete the study";
  }
};

}  // namespace cyberdrill::cli
