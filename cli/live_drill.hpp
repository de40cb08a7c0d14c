// A live drill: the run session, the drill journal and the facilitator's commands, shared by the
// console and the window front ends. Wall-clock pacing lives in the front ends; a drill only
// moves when told to.
//
// Every action (decide, inject, note) is checked first, then written to the journal (flushed
// and fsync'd), then applied: an action that would not apply is neither journaled nor applied.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cyberdrill/drill_journal.hpp"
#include "cyberdrill/impact.hpp"
#include "cyberdrill/session.hpp"
#include "live_model.hpp"

namespace cyberdrill::cli {

class LiveDrill {
 public:
  /// `scenario` and `policy` (LiveDecisionPolicy) must outlive the drill.
  LiveDrill(const Scenario& scenario, const RunOptions& options, DrillJournalWriter journal);

  RunSession& session() { return session_; }
  const Scenario& scenario() const { return sc_; }

  /// Takes open decision `decision` (id, or its 1-based number among the open decisions) with
  /// `option` (id or 1-based number). Returns an error message, empty on success.
  [[nodiscard]] std::string decide(const std::string& decision, const std::string& option, const std::string& who);
  /// Delivers inject `id` (an id, not yet delivered) now.
  [[nodiscard]] std::string inject(const std::string& id);
  void note(const std::string& text);

  /// Injects not yet delivered that the scenario marks as contingency, in scenario order.
  [[nodiscard]] std::vector<Index> contingency_injects() const;

  [[nodiscard]] LiveModel model(LiveView view) const;
  /// The scenario's impact model (kept: building one costs O(assets)).
  [[nodiscard]] const ImpactModel& impact() const { return impact_; }

 private:
  void journal_then_apply(DrillAction a);
  const Scenario& sc_;
  RunSession session_;
  DrillJournalWriter journal_;
  ImpactModel impact_;
};

}  // namespace cyberdrill::cli
