// Replay of a recorded run: why an asset failed and came back (the causal chain), and the state of
// the run at any moment, found fast (periodic checkpoints). Pure functions of (scenario, trace
// records): no SFML, no JSON; `cyberdrill replay` draws them.
//
// Causal chain (causal_chain()). An asset's *episode* is a stretch below full service
// (kFullServiceLevel): it opens with the asset_level record that took the asset below 0.99 and
// closes with the first one that brought it back to 0.99 or above. For (asset, at) the chain
// explains the last episode that opened at or before `at`:
//  - failure: the record of the episode that took the asset into outage (level < kOutageLevel), or
//    its opening record when it never went that low. Its cause (asset_level's cause_kind/cause,
//    world.hpp "Trace") is followed back: a supplier asset's change is a dependency hop, explained
//    by that supplier's last drop at or before the hop (a record before it in the trace), and so
//    on until a cause that is not an asset (the root: an attack step, an inject, a procedure step,
//    an operator's action, the scenario). Each hop carries the time the dependent changed, the
//    time its supplier had dropped, the delay between them (what the buffer actually held) and the
//    buffer and type the scenario declares on that edge.
//  - recovery: the record that closed the episode, when it closed at or before `at`, explained
//    the same way through the suppliers' last rises (root: the procedure step that restored, the
//    operator's own repair, the end of a timed attack).
//  Chains are listed root first, the asset's own change last. A cause that cannot be followed
//  (a supplier with no matching change in the trace) ends the chain there with `unexplained` set.
//  Cycles are cut (a record is never visited twice); at most kMaxCausalHops hops.
//
// Replay state (ReplayIndex). The state at T applies every record with time <= T (as
// viz::snapshot_at does). The index keeps a full checkpoint of that state every
// `checkpoint_every` records, so seek(T) costs one copy of a checkpoint, at most
// `checkpoint_every` records applied and one impact evaluation: O(assets + checkpoint_every),
// independent of how far into the run T lies.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cyberdrill/run.hpp"
#include "cyberdrill/scenario.hpp"
#include "cyberdrill/time.hpp"
#include "cyberdrill/trace.hpp"

namespace cyberdrill {

class ImpactModel;

inline constexpr std::size_t kMaxCausalHops = 64;

/// One change in a causal chain: an asset's level change (asset != kNone) with its cause as the
/// record names it.
struct CausalLink {
  std::size_t record = 0;  ///< index of the asset_level record in the trace
  Index asset = kNone;
  SimTime at;
  double from = 1, to = 1;  ///< service level before and after
  CauseKind cause_kind = CauseKind::none;
  Index cause = kNone;
  // A dependency hop (cause_kind == asset): the edge cause -> asset as the scenario declares it,
  // and when the supplier's own change (the previous link) happened.
  bool hop = false;
  DependencyType type = DependencyType::logical;
  Duration buffer;     ///< declared on the edge (ride-through on loss)
  Duration restart;    ///< declared on the edge (delay after the supplier's return)
  SimTime supplier_at; ///< when the supplier changed
  Duration delay;      ///< at - supplier_at: how long the edge held the supplier's change back
};

struct CausalChain {
  Index asset = kNone;
  SimTime at;
  bool failed = false;     ///< an episode opened at or before `at`
  bool recovered = false;  ///< ... and closed at or before `at`
  std::vector<CausalLink> failure;   ///< root first, the asset's failure last
  std::vector<CausalLink> recovery;  ///< root first, the asset's recovery last (empty unless recovered)
  bool failure_unexplained = false;   ///< the failure's root cause could not be followed to its end
  bool recovery_unexplained = false;
  /// The attack step at the root of the failure, if the root is one (global step index), and the
  /// asset it compromised (asset_compromised record with that cause), else kNone.
  Index attack_step = kNone;
};

/// The causal chain of `asset` at `at` (see the contract above). `records` in emission order.
[[nodiscard]] CausalChain causal_chain(const Scenario& scenario, const std::vector<TraceRecord>& records,
                                       Index asset, SimTime at);

/// The chain in words, one line per link (for the replay panel and tests), e.g.
///   "T+00:45  attack step grid-attack/trip-breakers (T0831, disrupt) on ems-north: 100% -> 0%"
///   "T+04:45  hospital-a: 100% -> 0%  power from ems-north (buffer 4h, held 4h)"
/// Headed "Why it failed" / "Why it came back"; scenario strings are passed through unchanged
/// (the caller makes them printable).
[[nodiscard]] std::vector<std::string> describe_causal_chain(const Scenario& scenario, const CausalChain& chain);

/// The state of a recorded run at one moment.
struct ReplayState {
  SimTime at;
  std::size_t applied = 0;           ///< records applied (those with time <= at)
  std::vector<double> level;         ///< true service level per asset (1 before any record)
  std::vector<std::uint8_t> compromised;
  std::vector<std::uint8_t> contained;
  std::vector<double> believed;      ///< the observer's believed level, NaN where it knew nothing
  Index escalation = kNone;          ///< plan level index in force (kNone before any escalation)
  double population_affected = 0;    ///< distinct people (ImpactModel) over the true levels
  double population_believed = 0;    ///< distinct people over the believed levels (unknown = full)
  std::size_t below_full = 0, in_outage = 0, known_below_full = 0;
};

/// What the replay can jump to.
enum class ReplayMark : std::uint8_t { inject, decision, escalation, outage };

/// Seekable replay of one recorded run. Keeps references to `scenario` and `records`, which must
/// outlive it. `observer`: the organisation whose knowledge record (actor) gives `believed`
/// (kNone: nobody's).
class ReplayIndex {
 public:
  ReplayIndex(const Scenario& scenario, const std::vector<TraceRecord>& records, Index observer,
              std::size_t checkpoint_every = 0 /* 0: chosen from the run's size */);

  /// The state after every record with time <= at.
  [[nodiscard]] ReplayState seek(SimTime at) const;
  /// Distinct record times, ascending (T+0 first even when no record is at T+0).
  [[nodiscard]] const std::vector<SimTime>& event_times() const { return times_; }
  /// The first record time > t, or nullopt.
  [[nodiscard]] std::optional<SimTime> next_event(SimTime t) const;
  /// The last record time < t, or nullopt.
  [[nodiscard]] std::optional<SimTime> previous_event(SimTime t) const;
  /// Times of the marks of one kind, ascending: inject_delivered, decision_taken, escalated, and
  /// outage onsets (an asset_level record taking an asset below kOutageLevel from at or above it).
  [[nodiscard]] const std::vector<SimTime>& marks(ReplayMark kind) const { return marks_[static_cast<int>(kind)]; }
  /// The first mark of `kind` later than t, or nullopt.
  [[nodiscard]] std::optional<SimTime> next_mark(ReplayMark kind, SimTime t) const;
  /// The time of the last record (T+0 when there is none).
  [[nodiscard]] SimTime last_time() const { return times_.back(); }
  [[nodiscard]] std::size_t checkpoint_count() const { return checkpoints_.size(); }
  [[nodiscard]] std::size_t checkpoint_every() const { return every_; }
  [[nodiscard]] Index observer() const { return observer_; }

 private:
  struct Checkpoint {
    std::size_t applied = 0;  ///< records applied (a prefix of the trace)
    std::vector<double> level;
    std::vector<std::uint8_t> compromised, contained;
    std::vector<double> believed;
    Index escalation = kNone;
  };
  void apply(Checkpoint& s, const TraceRecord& r) const;
  const Scenario& sc_;
  const std::vector<TraceRecord>& records_;
  Index observer_;
  std::size_t every_;
  std::vector<Checkpoint> checkpoints_;  ///< checkpoints_[k].applied == k * every_
  std::vector<SimTime> times_;
  std::vector<SimTime> marks_[4];
  std::shared_ptr<const ImpactModel> impact_;  ///< built once (O(assets))
};

}  // namespace cyberdrill
