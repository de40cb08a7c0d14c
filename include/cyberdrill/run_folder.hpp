// The run folder: what one `cyberdrill run` leaves behind (../shared/DESIGN.md, "Outputs").
//
//   manifest.json        version, git commit, scenario path/name/hash, seed, plan, command line,
//                        end time, event and record counts, trace fingerprint
//   events.jsonl         every trace record, one JSON object a line, in emission order, with ids
//                        resolved (subject, actor, cause) beside the raw indices
//   metrics.json         every metric, per-sector impact, queues, obligations, coverage, ratings
//   service_levels.csv   per-sector service level over time
//   decisions.jsonl      the decision journal (replayable with `run --journal`)
//   drill.jsonl          live drills only: the drill journal (facilitator actions and notes)
//
// Contract: the folder appears complete or not at all. Files are written into a sibling
// temporary folder which is renamed onto DIR at the end; an existing DIR is replaced only if it
// is empty or holds a manifest.json (a previous run), otherwise nothing is written and
// std::runtime_error is thrown. Output is byte-identical for identical inputs.
#pragma once

#include <filesystem>
#include <string>

#include "cyberdrill/decisions.hpp"
#include "cyberdrill/run.hpp"
#include "cyberdrill/scenario.hpp"
#include "cyberdrill/session.hpp"

namespace cyberdrill {

struct RunManifest {
  std::string version;
  std::string git_commit;
  std::string scenario_path;
  std::string scenario_hash;
  std::string plan_path;     ///< --plan, empty when the scenario's own plan ran
  std::string journal_path;  ///< --journal, empty when none
  std::string command_line;
  std::string until;         ///< --until as given (a stop time without --journal), empty when none
  /// A live drill (`cyberdrill live`): decisions waited for the facilitator (LiveDecisionPolicy)
  /// and `drill` holds every facilitator action, written as drill.jsonl (a drill journal, notes
  /// included); rebuild_run replays it.
  bool live = false;
  std::vector<DrillAction> drill;
};

/// A recorded run rebuilt from its folder: the scenario reloaded, the run replayed from the
/// manifest's seed and the folder's decisions.jsonl. The rebuilt trace's fingerprint is checked
/// against the manifest's, so what a viewer or report shows is exactly what was recorded.
struct RecordedRun {
  std::filesystem::path dir;
  RunManifest manifest;
  Scenario scenario;
  RunResult result;
};

/// Rebuilds the run recorded in `dir`. Throws std::runtime_error with a clear message when the
/// folder is not a run folder, the scenario cannot be loaded, or the scenario changed since the
/// run (hash or fingerprint mismatch: "re-run it").
[[nodiscard]] RecordedRun rebuild_run(const std::filesystem::path& dir);

void write_run_folder(const std::filesystem::path& dir, const Scenario& scenario, const RunResult& result,
                      const RunManifest& manifest);

/// Reads a decisions.jsonl written by write_run_folder, or the decisions of a drill journal (its
/// header, inject and note lines are skipped). Throws std::runtime_error naming the file
/// and line on malformed input.
[[nodiscard]] DecisionJournal read_decision_journal(const std::filesystem::path& file);

/// The JSON line of one trace record as events.jsonl holds it (for tests and viewers).
[[nodiscard]] std::string record_json(const TraceRecord& r, const RecordNames& names);

}  // namespace cyberdrill
