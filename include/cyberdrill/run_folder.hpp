// The run folder: what one `cyberdrill run` leaves behind (../shared/DESIGN.md, "Outputs"), and the
// only contract between a run and the stages after it (report, render, replay).
//
//   manifest.json        format_version, cyberdrill version, git commit, scenario path/name/hash,
//                        the composed scenario's file and hash, seed, plan, command line, end time,
//                        event and record counts, trace fingerprint
//   scenario.json        the composed scenario: every include resolved, a --plan override applied;
//                        one JSON document that load_scenario reads without any other file
//   events.jsonl         every trace record, one JSON object a line, in emission order, with ids
//                        resolved (subject, actor, cause) beside the raw indices; previous_value
//                        and duration_us when the record has them
//   metrics.json         every metric, per-sector impact, queues, obligations, coverage, ratings,
//                        the scenario incidents
//   service_levels.csv   per-sector service level over time
//   decisions.jsonl      the decision journal (replayable with `run --journal`)
//   drill.jsonl          live drills only: the drill journal (facilitator actions and notes)
//
// Contract: the folder appears complete or not at all. Files are written into a sibling
// temporary folder which is renamed onto DIR at the end; an existing DIR is replaced only if it
// is empty or holds a manifest.json (a previous run), otherwise nothing is written and
// std::runtime_error is thrown. Output is byte-identical for identical inputs.
//
// Reading: read_run_folder() gives everything a later stage needs from the folder alone (the
// scenario's original files may be gone). It never re-simulates; verify_run_folder() does.
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "cyberdrill/decisions.hpp"
#include "cyberdrill/run.hpp"
#include "cyberdrill/scenario.hpp"
#include "cyberdrill/session.hpp"

namespace cyberdrill {

/// The run folder format this cyberdrill writes and reads (manifest.json "format_version"). A
/// folder with another version (or none: written before the folder held its composed scenario) is
/// refused by read_run_folder with a RunFolderError.
/// 2: events.jsonl carries a record's typed previous_value and duration (duration_us) instead of
///    quantities encoded in the raw detail (1: asset_level's old level x 1e6, triaged's wait in s).
inline constexpr int kRunFolderFormatVersion = 2;

/// A run folder that cannot be read or does not hold up (bad input: the CLI exits 2). what()
/// names the file, and the line for JSONL files.
class RunFolderError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct RunManifest {
  std::string version;
  std::string git_commit;
  std::string scenario_path;
  std::string scenario_hash;
  std::string plan_path;     ///< --plan, empty when the scenario's own plan ran
  std::string journal_path;  ///< --journal, empty when none
  std::string command_line;
  std::string until;         ///< --until as given: the run stopped there (empty when none). Folders
                             ///< written before --fork-at used it with --journal for the fork time;
                             ///< verify_run_folder applies it only when the recorded run ended by then
  std::string fork_at;       ///< --fork-at as given (journal replayed before it), empty when none
  /// A live drill (`cyberdrill live`): decisions waited for the facilitator (LiveDecisionPolicy)
  /// and `drill` holds every facilitator action, written as drill.jsonl (a drill journal, notes
  /// included); read_run_folder reads it back and verify_run_folder replays it.
  bool live = false;
  std::vector<DrillAction> drill;
  /// The composed scenario as one JSON document. Empty: write_run_folder composes it from
  /// scenario_path and plan_path (which must then name the files the run was loaded from).
  std::string composed_scenario;
  // Filled by read_run_folder (ignored by the writer, which takes them from the RunResult):
  int format_version = kRunFolderFormatVersion;
  std::string composed_hash;  ///< scenario_hash of scenario.json as written
  std::string fingerprint;    ///< 16 hex digits, the trace fingerprint at writing time
};

/// A recorded run as its folder holds it: the composed scenario, the manifest, and a RunResult
/// whose every field comes from the folder's files (records from events.jsonl, metrics, ratings,
/// incidents and queues from metrics.json, service levels from service_levels.csv, the journal
/// from decisions.jsonl, seed, end, counts and fingerprint from manifest.json).
struct RecordedRun {
  std::filesystem::path dir;
  RunManifest manifest;
  Scenario scenario;
  RunResult result;
  /// Fingerprint of the records as read from events.jsonl (equals result.fingerprint, the
  /// manifest's, unless the trace was edited).
  std::uint64_t trace_fingerprint = 0;
  /// Hash of the folder's scenario.json as read (equals manifest.composed_hash unless edited).
  std::string composed_hash;
};

/// Reads the run folder `dir` without re-simulating. Throws RunFolderError naming the file (and
/// line) when the folder is not a run folder, was written by another format version, or a file
/// is missing or garbled. A trace or scenario that no longer matches the manifest is read as it
/// is (see trace_fingerprint, composed_hash); verify_run_folder() checks it.
[[nodiscard]] RecordedRun read_run_folder(const std::filesystem::path& dir);

/// Re-simulates the folder's composed scenario with its seed and journal (and --until when the
/// run was cut short without a journal) and checks that the fingerprint of the re-simulated trace
/// equals the manifest's and that of events.jsonl. Throws RunFolderError("the trace in DIR does
/// not match its scenario: ... (tampered or written by another version)") otherwise. Returns the
/// re-simulated result.
RunResult verify_run_folder(const RecordedRun& run);

void write_run_folder(const std::filesystem::path& dir, const Scenario& scenario, const RunResult& result,
                      const RunManifest& manifest);

/// Reads a decisions.jsonl written by write_run_folder, or the decisions of a drill journal (its
/// header, inject and note lines are skipped). Throws std::runtime_error naming the file
/// and line on malformed input.
[[nodiscard]] DecisionJournal read_decision_journal(const std::filesystem::path& file);

/// The JSON line of one trace record as events.jsonl holds it (for tests and viewers).
[[nodiscard]] std::string record_json(const TraceRecord& r, const RecordNames& names);

}  // namespace cyberdrill
