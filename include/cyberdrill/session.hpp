// An incremental run: the same run as run_scenario(), advanced piece by piece, with facilitator
// actions (live play) applied between events and a snapshot of truth and knowledge at any time.
//
// Contract
//  - A session advanced to its end and finished gives exactly run_scenario()'s RunResult (the
//    same records, fingerprint, metrics and journal) however it was advanced: in one piece, in
//    many advance_to() pieces, by step() or by advance_to_next(). run_scenario() is this session
//    used in one piece.
//  - Time never passes the run's end (min(metadata.duration, RunOptions::until)); step() and the
//    advance functions do nothing there.
//  - Actions (decide, deliver_inject, note) take effect at now(), between two events: after
//    every event already dispatched and before the next one. Each applied action is kept, with
//    its position (now() and dispatched()), in actions(); replay() applies an action at its
//    recorded position, so a journal of actions replays to the same trace. Wall-clock pacing
//    belongs to front ends, never here.
//  - A session is single-threaded; the scenario and RunOptions::policy must outlive it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cyberdrill/attack.hpp"
#include "cyberdrill/decisions.hpp"
#include "cyberdrill/response.hpp"
#include "cyberdrill/run.hpp"
#include "cyberdrill/scenario.hpp"
#include "cyberdrill/time.hpp"

namespace cyberdrill {

/// Live play: every decision waits for a person (Response::decide); one nobody takes by its
/// deadline gets its default option then (who = "default"), one without a deadline stays open.
///
/// Knowledge and deliberation in a drill. DefaultDecisionPolicy models a simulated owner: it
/// decides only once the owner organisation knows of an incident (owner_informed) and after its
/// deliberation time. In a drill the room plays the owner, so neither applies here:
///  - a decision is shown to the facilitator (both views) from the moment it opens, whether or
///    not the simulated owner organisation knows of the incident yet; the facilitator decides
///    when to put it to the room, and the room decides when it is put to it;
///  - the room's deliberation is real time (pacing, pauses), not simulated time: a decision taken
///    at T takes effect at T, nothing is added;
///  - at the deadline nobody took it: the default applies at the deadline, as the response does
///    for every deferring policy (no deliberation is added there either).
/// So a drill journal replays exactly (replay_drill, `run --journal`): every decision is at its
/// journaled position, independent of DecisionRequest::owner_informed and ::deliberation.
class LiveDecisionPolicy final : public DecisionPolicy {
 public:
  [[nodiscard]] DecisionChoice decide(const Scenario& scenario, const DecisionRequest& request) const override;
};

/// One facilitator action, as journaled.
struct DrillAction {
  enum class Kind : std::uint8_t { decide, inject, note };
  Kind kind = Kind::note;
  SimTime time;                        ///< simulated time it took effect
  std::optional<std::uint64_t> event;  ///< engine events dispatched before it (exact position)
  std::string decision;                ///< decide: Decision::id
  std::string option;                  ///< decide: DecisionOption::id
  std::string inject;                  ///< inject: Inject::id
  std::string who;                     ///< decide: who took it (journaled in the decision journal)
  std::string text;                    ///< note: free text for the after-action report
};

/// What a snapshot shows of one organisation.
struct OrgSnapshot {
  Index org = kNone;
  int staff = 0;
  std::size_t queue = 0;
  /// Assets it knows an incident on and the level it believes, by asset index.
  std::vector<std::pair<Index, double>> known;
};

struct InjectSeen {
  SimTime time;
  Index inject = kNone;
};

/// Truth and knowledge at the session's current time.
struct SessionSnapshot {
  SimTime now;
  SimTime end;
  std::uint64_t dispatched = 0;
  // --- knowledge and the response (what the players can know) -------------------------------
  Index level = kNone;  ///< Plan::levels index
  int national_severity = 0;
  bool crisis_structure = false;
  Index triage_org = kNone;       ///< the organisation that triages and escalates
  std::vector<OrgSnapshot> orgs;  ///< per Scenario::organisations
  std::vector<Response::OpenDecisionInfo> open_decisions;
  std::vector<ObligationClock> obligations;
  std::vector<InjectSeen> injects;  ///< delivered, in order
  MetricValues metrics;             ///< so far (integrals up to now)
  // --- ground truth (controller view) --------------------------------------------------------
  std::vector<double> asset_level;       ///< per asset
  std::vector<std::uint8_t> compromised; ///< per asset: an attacker effect applied there
  std::vector<std::uint8_t> contained;   ///< per asset: contained or isolated
  std::vector<Index> undetected_footholds;  ///< compromised, not contained, known to no organisation
  std::vector<Index> steps_done;         ///< attack steps (global index) succeeded
  std::vector<Index> steps_in_progress;  ///< attack steps under way
  std::uint64_t people_affected = 0;     ///< population unserved now (truth)
  std::size_t outages = 0;               ///< assets below full service now (truth)
};

class RunSession {
 public:
  /// Builds the run at T+0 (nothing dispatched yet). Throws as run_scenario does.
  RunSession(const Scenario& scenario, const RunOptions& options);
  ~RunSession();
  RunSession(const RunSession&) = delete;
  RunSession& operator=(const RunSession&) = delete;

  [[nodiscard]] SimTime now() const;
  [[nodiscard]] SimTime end() const;
  [[nodiscard]] std::uint64_t dispatched() const;
  /// Time of the next event, SimTime::max() when none is left before the end.
  [[nodiscard]] SimTime next_event_time();
  /// True once no event is left before the end and now() == end().
  [[nodiscard]] bool at_end();

  /// Dispatches every event up to `t` (clamped to end()) and sets now() to it.
  void advance_to(SimTime t);
  /// Dispatches one event (none past the end). Returns false when none was left.
  bool step();
  enum class Stop : std::uint8_t { inject, decision, limit };
  /// Steps until an event delivered an inject (when `on_inject`) or opened a decision (when
  /// `on_decision`), else to `limit` (as advance_to(limit)).
  Stop advance_to_next(bool on_inject, bool on_decision, SimTime limit);

  /// The scenario as run (the world policy applied).
  [[nodiscard]] const Scenario& scenario() const;
  /// Live play, at now(): see Response::decide. Returns false (nothing changes) when the
  /// decision is not open or the option does not exist.
  [[nodiscard]] bool decide(Index decision, Index option, std::string_view who);
  /// Live play, at now(): see Response::deliver_inject.
  [[nodiscard]] bool deliver_inject(Index inject);
  /// A note: kept in actions(), no effect on the run.
  void note(std::string_view text);
  /// Applies an action at now() by its ids. Returns false (nothing changes) when an id is
  /// unknown, the decision is not open or the inject was delivered.
  [[nodiscard]] bool apply(const DrillAction& action);
  /// Advances to the action's recorded position (exact when it holds `event`, else every event
  /// up to its time) and applies it. Returns false when it does not apply there (or lies in the
  /// past or past the end).
  [[nodiscard]] bool replay(const DrillAction& action);
  /// The actions applied so far, with their positions.
  [[nodiscard]] const std::vector<DrillAction>& actions() const;

  [[nodiscard]] SessionSnapshot snapshot() const;
  [[nodiscard]] const Response& response() const;

  /// Runs to the end and returns the result; call once, last.
  [[nodiscard]] RunResult finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  // For run_scenario and replay_drill, whose sessions nobody inspects (no snapshot(), no
  // advance_to_next()): without the trace watch only those read. The same run.
  struct Unwatched {};
  RunSession(const Scenario& scenario, const RunOptions& options, Unwatched);
  friend RunResult run_scenario(const Scenario& scenario, const RunOptions& options);
  friend RunResult replay_drill(const Scenario& scenario, const RunOptions& options,
                                const std::vector<DrillAction>& actions);
};

/// A whole run with a journal of actions replayed at their positions (what `run --journal` does
/// with a drill journal). Actions that no longer apply are skipped.
[[nodiscard]] RunResult replay_drill(const Scenario& scenario, const RunOptions& options,
                                     const std::vector<DrillAction>& actions);

}  // namespace cyberdrill
