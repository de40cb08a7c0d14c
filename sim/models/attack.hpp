// Private kernel of the attack model (include/cyberdrill/attack.hpp states the contract).
// Plain per-step tables indexed by the global step index; one EventHandler for every campaign.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "cyberdrill/attack.hpp"

namespace cyberdrill::detail {

class AttackKernel final : public EventHandler {
 public:
  AttackKernel(Simulation& sim, const std::vector<Campaign>& campaigns, std::uint64_t seed,
               AttackTarget& target, AttackListener* listener);

  void start(Simulation& sim);
  bool start_campaign(Simulation& sim, Index campaign);
  void on_contained(Simulation& sim, Index asset);
  bool end_effect_early(Simulation& sim, Index step, Index asset);
  [[nodiscard]] std::optional<SimTime> effect_end(Index step, Index asset) const;
  void handle(Simulation& sim, const Event& ev) override;

  [[nodiscard]] std::size_t campaign_count() const { return campaigns_.size(); }
  [[nodiscard]] std::size_t step_count() const { return steps_.size(); }
  [[nodiscard]] Index step_index(Index campaign, Index step) const;
  [[nodiscard]] Index campaign_of(Index global_step) const;
  [[nodiscard]] const AttackStepStatus& status(Index global_step) const;
  [[nodiscard]] std::optional<SimTime> goal_time(Index campaign) const;
  [[nodiscard]] bool finished(Index campaign) const;

 private:
  // Event tags. Arguments: campaign index (start), global step (complete, detect),
  // pack_arg(global step, asset) (end_effect).
  enum Tag : std::uint16_t { kStart = 1, kComplete = 2, kDetect = 3, kEndEffect = 4 };

  struct StepRuntime {
    Index campaign = kNone;
    const AttackStep* spec = nullptr;
    std::vector<Index> dependents;  // global indices of the steps requiring this one, ascending
    bool goal = false;
    AttackStepStatus status;
    EventId completion;
    EventId detection;
    Index detect_asset = kNone;     // asset named by an in-progress detection
  };
  struct CampaignRuntime {
    const Campaign* spec = nullptr;
    Index offset = 0;
    bool scheduled = false;
    bool started = false;
    std::optional<SimTime> started_at;
    std::optional<SimTime> goal_time;
  };

  void check_acyclic(Index campaign) const;
  void begin_campaign(Simulation& sim, Index campaign);
  // A waiting step whose prerequisites changed: attempt it, mark it unreachable, or leave it.
  void resolve(Simulation& sim, Index step);
  void attempt(Simulation& sim, Index step);
  void complete(Simulation& sim, Index step);
  void detect(Simulation& sim, Index step, Index asset, bool visible);
  // Terminal states: records the finish time and resolves the dependents.
  void finish(Simulation& sim, Index step, AttackStepState state);
  void block(Simulation& sim, Index step, Index asset);
  [[nodiscard]] bool all_targets_contained(const AttackStep& spec) const;

  const std::vector<Campaign>& specs_;
  std::uint64_t seed_;
  AttackTarget& target_;
  AttackListener* listener_;
  HandlerId handler_ = 0;
  std::vector<CampaignRuntime> campaigns_;
  std::vector<StepRuntime> steps_;
  std::map<Index, std::vector<Index>> steps_by_asset_;  // asset -> global steps targeting it
  struct PendingEnd {
    EventId id;
    SimTime at;
  };
  std::map<std::uint64_t, PendingEnd> effect_ends_;     // pack_arg(step, asset) -> pending end_effect
};

}  // namespace cyberdrill::detail
