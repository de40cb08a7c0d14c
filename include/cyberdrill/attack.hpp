// Attacker campaigns as attack graphs, run on the engine.
//
// The attack model knows the campaigns (Scenario::campaigns, targets already resolved by the
// loader) and nothing of the infrastructure: it reaches the world only through AttackTarget (is an
// asset contained, how well is it monitored, apply/end an effect) and tells the response side what
// was detected through AttackListener. The run assembly wires both to the world; tests implement
// them directly.
//
// Step indices
//   Records and callbacks name steps by a *global step index*: the campaigns' steps numbered in
//   order, campaign 0's steps first. global = offset(campaign) + local step index, where
//   offset(c) = sum of the step counts of campaigns 0 .. c-1 (AttackCampaigns::step_index()).
//   Campaigns are named by their index in the campaign vector.
//
// Semantics (the contract)
//  - Start. A campaign starts at Campaign::start (start()) or when start_campaign() is called;
//    each campaign starts at most once. At its start every step without prerequisites becomes
//    eligible, in step order.
//  - Eligibility. A step with requires_all (JSON "join": "and") becomes eligible when every
//    required step has succeeded; otherwise (OR) when any one has. A step whose prerequisites can
//    no longer be met (an AND input failed or was blocked; every OR input failed or was blocked)
//    becomes `unreachable` silently (no record); unreachability propagates downstream.
//  - Attempt. An eligible step is attempted once, immediately. If it has targets and every
//    target is contained, it is blocked at once. Otherwise attack_step_started is emitted, the
//    time to compromise is drawn from the step's distribution and the attempt completes that much
//    later. At completion the step acts on its targets that are not contained then; if all are
//    contained it is blocked. Otherwise it succeeds with probability `success`; a failed attempt
//    fails the step permanently (no retry): the attacker progresses only through other branches
//    (OR alternatives), which is what makes alternatives meaningful.
//  - Containment. Progress through a contained asset stops: a step whose every target is contained
//    is blocked (attack_step_blocked) and never resumes, even if containment is later lifted.
//    on_contained() blocks steps in progress whose targets are now all contained, cancelling their
//    pending completion and detection events (O(1) each). A step keeps acting on its remaining
//    uncontained targets when only some are contained. Other branches continue: when an OR
//    alternative exists the attacker takes it (the "alternate path").
//  - Steps without targets (e.g. a goal step that only joins branches) are never blocked and never
//    detected; they act on nothing.
//  - Detection while in progress. A step's detection hazard is detection_per_day x m per day, where
//    m = the highest monitoring() among its uncontained targets at the attempt's start (clipped to
//    [0, 1]; the first target attaining it is the asset named in the detection). The detection time
//    is exponential with that rate; if it falls strictly before the completion, a detection event is
//    scheduled (it is cancelled if the step is blocked first). The rate is fixed for the attempt.
//  - Visible effects. A successful degrade, disrupt, encrypt, wipe or ddos is an outage and counts
//    as a detection at once, on every target acted on (visible = true). Foothold and exfiltrate are
//    silent: only the in-progress hazard can detect them.
//  - Effects. On success AttackTarget::apply is called for each target acted on, in target order.
//    A ddos or disrupt with duration > 0 calls AttackTarget::end_effect that long afterwards (even
//    if the asset was contained meanwhile), unless the response ended the effect first
//    (end_effect_early(): the pending end is cancelled, the attacker's own end never comes). The attack model emits no asset_* records: the target
//    (the world) does, with cause = the global step index.
//  - Goals. Each time a step listed in Campaign::goals succeeds, campaign_goal_reached is emitted;
//    goal_time() is the first such time.
//  - Order of effects at one completion: the step's state is set, then per target the succeeded
//    record and apply() (so the world's records follow their cause), then (visible effects) the detections and listener calls, then the goal
//    record, then dependents become eligible in step order. Listener and target callbacks may call
//    on_contained() re-entrantly.
//
// Records emitted (TraceRecord fields; every event runs at Priority::world)
//   attack_step_started   subject=global step, detail=campaign
//   attack_step_succeeded subject=global step, detail=target asset (one record per target acted
//                         on; kNone for a step without targets), cause_kind=attack_step
//   attack_step_failed    subject=global step, detail=first uncontained target (kNone if none)
//   attack_step_blocked   subject=global step, detail=the contained asset that blocked it (at
//                         eligibility or completion: the first target)
//   campaign_goal_reached subject=campaign, detail=global goal step, value=hours since the
//                         campaign's start
//   attack_detected       subject=campaign (the incident), actor=kNone (the defending
//                         organisation is the world's business), cause_kind=attack_step,
//                         cause=global step, detail=asset, value=1 if visible else 0
//
// A completion, detection or effect end that would fall beyond the engine's horizon (about 1,141
// years) never happens.
//
// Randomness: per step, RandomStream(seed, "<campaign id>/<step id>", purpose) with purposes
// "ttc" (time to compromise), "success" and "detect". A step is attempted at most once, so its draws
// never depend on other steps' draws or on event order. Identical (campaigns, seed, target
// answers) give identical records.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "cyberdrill/engine.hpp"
#include "cyberdrill/scenario.hpp"

namespace cyberdrill {

/// The world as the attacker sees it. Implemented by the world adapter; tests implement it.
/// Called only from inside the Simulation's run loop (or from AttackCampaigns' methods).
class AttackTarget {
 public:
  virtual ~AttackTarget() = default;
  /// Whether the asset is contained now; containment blocks progress through it.
  [[nodiscard]] virtual bool is_contained(Index asset) const = 0;
  /// The defending operator's monitoring of the asset, in [0, 1] (values outside are clipped).
  [[nodiscard]] virtual double monitoring(Index asset) const = 0;
  /// A successful step's effect on one target; `step` is the global step index (the cause).
  virtual void apply(Simulation& sim, Index asset, const AttackEffect& effect, Index step) = 0;
  /// A ddos or disrupt with a positive duration ends (called `duration` after apply).
  virtual void end_effect(Simulation& sim, Index asset, const AttackEffect& effect, Index step) = 0;
};

/// The response side's ear: told of every detection, right after the `attack_detected` record.
class AttackListener {
 public:
  virtual ~AttackListener() = default;
  /// `step` is the global step index; `visible` is true for an outage (visible effect), false for
  /// detection by monitoring while the step was in progress.
  virtual void on_detected(Simulation& sim, Index campaign, Index step, Index asset, bool visible) = 0;
};

enum class AttackStepState : std::uint8_t {
  waiting,      ///< prerequisites not met yet (or the campaign has not started)
  in_progress,  ///< attempt under way
  succeeded,
  failed,       ///< the attempt failed (permanent)
  blocked,      ///< every target was contained (permanent)
  unreachable,  ///< prerequisites can no longer be met
};

/// What happened to one step so far.
struct AttackStepStatus {
  AttackStepState state = AttackStepState::waiting;
  std::optional<SimTime> started;   ///< attempt start
  std::optional<SimTime> finished;  ///< success, failure or block
  std::optional<SimTime> detected;  ///< first detection (in progress or visible effect)
};

namespace detail { class AttackKernel; }

/// All campaigns of a run. Registers one event handler on construction.
/// The campaigns, the target and the listener must outlive this object and the run.
class AttackCampaigns {
 public:
  /// Throws std::invalid_argument if a step's `requires_steps` or a goal names a step outside its
  /// campaign, or a step requires itself.
  AttackCampaigns(Simulation& sim, const std::vector<Campaign>& campaigns, std::uint64_t seed,
                  AttackTarget& target, AttackListener* listener = nullptr);
  ~AttackCampaigns();
  AttackCampaigns(const AttackCampaigns&) = delete;
  AttackCampaigns& operator=(const AttackCampaigns&) = delete;

  /// Schedules every campaign (not already started) at Campaign::start, or now if that has passed.
  void start(Simulation& sim);
  /// Schedules one campaign at max(now, Campaign::start). Returns false if it was already
  /// scheduled or started (e.g. by a start_campaign effect).
  bool start_campaign(Simulation& sim, Index campaign);
  /// Tells the model that `asset` was contained (the target's is_contained() must now say so).
  /// Blocks the steps in progress whose targets are all contained. Emits attack_step_blocked.
  void on_contained(Simulation& sim, Index asset);
  /// The response ended step `global_step`'s effect on `asset` before the attacker stopped (a
  /// restoration, a rebuild, manual operation): cancels the pending AttackTarget::end_effect call
  /// (O(1)). Returns whether one was pending.
  bool end_effect_early(Simulation& sim, Index global_step, Index asset);
  /// When the attacker's own end of step `global_step`'s effect on `asset` is due; empty when
  /// none is pending (no duration, ended early, or already over).
  [[nodiscard]] std::optional<SimTime> effect_end(Index global_step, Index asset) const;

  [[nodiscard]] std::size_t campaign_count() const;
  [[nodiscard]] std::size_t step_count() const;  ///< total over campaigns
  /// Global index of campaign `campaign`'s local step `step`.
  [[nodiscard]] Index step_index(Index campaign, Index step) const;
  /// Campaign of a global step index.
  [[nodiscard]] Index campaign_of(Index global_step) const;
  [[nodiscard]] const AttackStepStatus& status(Index global_step) const;
  /// First time a goal step of the campaign succeeded, if any.
  [[nodiscard]] std::optional<SimTime> goal_time(Index campaign) const;
  /// True when no step of the campaign is waiting (with a live path) or in progress.
  [[nodiscard]] bool finished(Index campaign) const;

 private:
  std::unique_ptr<detail::AttackKernel> kernel_;
};

}  // namespace cyberdrill
