// Decision points: who decides, the journal of what was decided, and replaying a journal.
//
// Contract
//  - When a decision's trigger fires it "opens". A decision is taken by its owner, only from what
//    the owner knows: the response asks its DecisionPolicy once, when the decision is open and
//    its owner knows of an incident (its knowledge picture is not empty; a decision opening before
//    that waits for the owner's first knowledge, and its default is not applied at the deadline
//    meanwhile), with the time the decision opened, its deadline, when the owner first knew, when
//    the owner can first act from then on (its calendar: office hours or the on-call callout) and
//    a deliberation time sampled from Decision::deliberation (stream (decision id,
//    "deliberation")).
//  - DefaultDecisionPolicy and OverrideDecisionPolicy take their choice at owner_available +
//    deliberation: a person deliberates, so a decision can be late (taken after its deadline:
//    counted not on time) or not taken at all (the horizon ends first). An override ("--decide")
//    changes which option the owner picks, not when (so a fork at a decision's time keeps
//    everything before it). A journaled choice (replay) and a live Response::decide() are a
//    person's decision already made: they apply at the journaled time, or at once.
//  - The policy answers an option and a time (>= opened; earlier times are raised to `opened`),
//    or defers (option == kNone): a deferred decision waits for Response::decide() (live play)
//    and otherwise the decision's default option is applied at its deadline (who = "default").
//  - A decision taken at or before its deadline is on time. A policy's choice later than the
//    deadline is still taken, late. A default applied at the deadline because nobody chose counts
//    as not on time.
//  - Every decision taken is appended to the run's DecisionJournal (time, decision id, option id,
//    who) and emitted as a RecordKind::decision_taken trace record.
//  - Replaying: JournalReplayPolicy(journal, until, fallback) answers from the journal for every
//    decision the journal holds with a time < until (all of them when until is empty), at the
//    journaled time (or when the decision opens, if later); every other decision goes to the
//    fallback policy: the counterfactual fork at `until`.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cyberdrill/scenario.hpp"
#include "cyberdrill/time.hpp"

namespace cyberdrill {

/// One decision taken in a run.
struct DecisionEntry {
  SimTime time;              ///< when the option took effect
  std::string decision;      ///< Decision::id
  std::string option;        ///< DecisionOption::id
  std::string who;           ///< "policy" | "override" | "journal" | "default" | a live caller's name
  SimTime opened;            ///< when the decision opened
  bool on_time = true;       ///< time <= opened + deadline (always true without a deadline)
};

/// The decisions of one run, in the order taken.
struct DecisionJournal {
  std::vector<DecisionEntry> entries;
  /// The entry for a decision id, or nullptr.
  [[nodiscard]] const DecisionEntry* find_or_null(std::string_view decision) const;
};

/// What the response asks a policy.
struct DecisionRequest {
  Index decision = kNone;          ///< index into Scenario::decisions
  SimTime opened;
  SimTime deadline = SimTime::max();  ///< SimTime::max() when the decision has none
  SimTime owner_available;         ///< when the owner organisation can first act (>= opened, >= owner_informed)
  SimTime owner_informed;          ///< when the owner first knew of an incident (>= opened when it knew later)
  Duration deliberation;           ///< the owner's deliberation time, for policies that model it
};

/// A policy's answer. option == kNone defers (see the contract above).
struct DecisionChoice {
  Index option = kNone;
  SimTime at;
  std::string who;
};

class DecisionPolicy {
 public:
  virtual ~DecisionPolicy() = default;
  /// Must be a pure function of its arguments (a run is a pure function of scenario, seed and
  /// journal). Called from inside the run loop.
  [[nodiscard]] virtual DecisionChoice decide(const Scenario& scenario, const DecisionRequest& request) const = 0;
};

/// The decision's default option, taken at owner_available + deliberation (who = "policy").
/// A decision without a default defers.
class DefaultDecisionPolicy final : public DecisionPolicy {
 public:
  [[nodiscard]] DecisionChoice decide(const Scenario& scenario, const DecisionRequest& request) const override;
};

/// Overrides "D-02=option" for some decisions (who = "override"); the others as
/// DefaultDecisionPolicy. Throws std::invalid_argument naming an unknown decision or option id.
class OverrideDecisionPolicy final : public DecisionPolicy {
 public:
  OverrideDecisionPolicy(const Scenario& scenario, const std::map<std::string, std::string>& overrides);
  [[nodiscard]] DecisionChoice decide(const Scenario& scenario, const DecisionRequest& request) const override;

 private:
  std::map<Index, Index> option_of_;  // decision -> option
};

/// Replays a journal up to `until` and asks `fallback` afterwards. Throws std::invalid_argument
/// when the journal names a decision or option the scenario does not have. `fallback` must
/// outlive this policy.
class JournalReplayPolicy final : public DecisionPolicy {
 public:
  JournalReplayPolicy(const Scenario& scenario, const DecisionJournal& journal, std::optional<SimTime> until,
                      const DecisionPolicy& fallback);
  [[nodiscard]] DecisionChoice decide(const Scenario& scenario, const DecisionRequest& request) const override;

 private:
  struct Replayed {
    Index option;
    SimTime time;
  };
  std::map<Index, Replayed> replay_;  // decision -> journaled choice (only those before `until`)
  const DecisionPolicy* fallback_;
};

/// Parses "D-02=option" into ("D-02", "option"). Throws std::invalid_argument when there is no
/// '=' or either side is empty.
[[nodiscard]] std::pair<std::string, std::string> parse_decision_override(std::string_view text);

}  // namespace cyberdrill
