// The drill journal: every facilitator action of a live drill, one JSON object a line, written
// (flushed and fsync'd) before the action takes effect, so a crash loses nothing that happened.
//
//   {"cyberdrill_drill": 1, "scenario": PATH, "scenario_hash": HEX16, "seed": N}      header line
//   {"t": "T+01:30", "us": N, "event": N, "action": "decide", "decision": ID, "option": ID, "who": S}
//   {"t": ..., "us": N, "event": N, "action": "inject", "inject": ID}
//   {"t": ..., "us": N, "event": N, "action": "note", "text": S}
//
// "us" is the simulated time, "event" the engine events dispatched before the action (its exact
// place between two events; optional: without it the action applies after every event up to
// its time). A decide line is also a decision-journal line (us, decision, option, who), so
// read_decision_journal() accepts a drill journal (it skips the header, injects and notes).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "cyberdrill/session.hpp"

namespace cyberdrill {

struct DrillJournalHeader {
  std::string scenario_path;
  std::string scenario_hash;
  std::uint64_t seed = 0;
};

struct DrillJournal {
  DrillJournalHeader header;
  std::vector<DrillAction> actions;
  /// Set when the last line was torn (no newline, or not valid JSON: a crash mid-write). The
  /// lines before it are kept; `valid_bytes` is where the torn line starts.
  std::optional<std::string> torn;
  std::uintmax_t valid_bytes = 0;
};

/// Whether `file`'s first line is a drill journal header.
[[nodiscard]] bool is_drill_journal(const std::filesystem::path& file);

/// Reads a drill journal. Throws std::runtime_error naming the file and line when the header is
/// missing or a line other than the last is malformed (a torn last line is reported in
/// DrillJournal::torn instead).
[[nodiscard]] DrillJournal read_drill_journal(const std::filesystem::path& file);

/// One action as its journal line (without the newline).
[[nodiscard]] std::string drill_action_json(const DrillAction& action);

/// Appends to a drill journal; each line is written, flushed and fsync'd before append returns.
class DrillJournalWriter {
 public:
  /// Creates (or truncates) `file` and writes the header. Throws std::runtime_error.
  static DrillJournalWriter create(const std::filesystem::path& file, const DrillJournalHeader& header);
  /// Opens an existing journal to continue it, cut to `valid_bytes` (dropping a torn last line).
  static DrillJournalWriter resume(const std::filesystem::path& file, std::uintmax_t valid_bytes);
  DrillJournalWriter(DrillJournalWriter&& other) noexcept;
  DrillJournalWriter& operator=(DrillJournalWriter&& other) noexcept;
  DrillJournalWriter(const DrillJournalWriter&) = delete;
  DrillJournalWriter& operator=(const DrillJournalWriter&) = delete;
  ~DrillJournalWriter();

  /// Writes one action line durably. Throws std::runtime_error on a write or sync failure.
  void append(const DrillAction& action);
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  DrillJournalWriter(std::filesystem::path path, int fd) : path_(std::move(path)), fd_(fd) {}
  void write_line(const std::string& line);
  std::filesystem::path path_;
  int fd_ = -1;
};

}  // namespace cyberdrill
