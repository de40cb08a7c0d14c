// Test doubles and builders for the attack model: a world made of a containment set and a
// monitoring table, a listener that records (and may react to) detections.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "cyberdrill/attack.hpp"
#include "cyberdrill/engine.hpp"

namespace attack_test {

using namespace cyberdrill;

/// One call to apply() or end_effect().
struct EffectCall {
  SimTime time;
  Index asset = kNone;
  AttackEffect::Kind kind = AttackEffect::Kind::foothold;
  Index step = kNone;
  bool ended = false;  ///< false: apply, true: end_effect
};

class FakeWorld final : public AttackTarget {
 public:
  std::set<Index> contained;
  std::map<Index, double> monitoring_of;  ///< default 0 (unmonitored)
  std::vector<EffectCall> calls;

  bool is_contained(Index asset) const override { return contained.count(asset) != 0; }
  double monitoring(Index asset) const override {
    const auto it = monitoring_of.find(asset);
    return it == monitoring_of.end() ? 0.0 : it->second;
  }
  void apply(Simulation& sim, Index asset, const AttackEffect& e, Index step) override {
    calls.push_back({sim.now(), asset, e.kind, step, false});
  }
  void end_effect(Simulation& sim, Index asset, const AttackEffect& e, Index step) override {
    calls.push_back({sim.now(), asset, e.kind, step, true});
  }
};

struct Detection {
  SimTime time;
  Index campaign = kNone;
  Index step = kNone;
  Index asset = kNone;
  bool visible = false;
};

class RecordingListener final : public AttackListener {
 public:
  std::vector<Detection> seen;
  /// Optional reaction (e.g. contain the asset), run after recording.
  std::function<void(Simulation&, const Detection&)> react;
  void on_detected(Simulation& sim, Index campaign, Index step, Index asset, bool visible) override {
    seen.push_back({sim.now(), campaign, step, asset, visible});
    if (react) react(sim, seen.back());
  }
};

/// Runs a callable at a given time (e.g. "contain asset 5 at T+3d").
class At final : public EventHandler {
 public:
  At(Simulation& sim, SimTime t, std::function<void(Simulation&)> f) : f_(std::move(f)) {
    sim.schedule_at(t, sim.add_handler(*this), 0, 0, Priority::normal);
  }
  void handle(Simulation& sim, const Event&) override { f_(sim); }

 private:
  std::function<void(Simulation&)> f_;
};

/// Builder for a step: AttackStep with the fields the tests vary.
inline AttackStep step(std::string id, std::vector<Index> targets, DurationDist ttc,
                       std::vector<Index> requires_steps = {}, bool requires_all = true) {
  AttackStep s;
  s.id = std::move(id);
  s.technique = "T0000";
  s.targets = std::move(targets);
  s.time_to_compromise = std::move(ttc);
  s.requires_steps = std::move(requires_steps);
  s.requires_all = requires_all;
  return s;
}

inline DurationDist exponential(Duration mean) {
  return DurationDist{Distribution::exponential(static_cast<double>(mean.us()))};
}

inline Campaign campaign(std::string id, std::vector<AttackStep> steps, std::vector<Index> goals,
                         SimTime start = SimTime::zero()) {
  Campaign c;
  c.id = std::move(id);
  c.steps = std::move(steps);
  c.goals = std::move(goals);
  c.start = start;
  return c;
}

/// Records of one kind, in order.
inline std::vector<TraceRecord> of_kind(const std::vector<TraceRecord>& recs, RecordKind k) {
  std::vector<TraceRecord> out;
  for (const TraceRecord& r : recs) {
    if (r.kind == k) out.push_back(r);
  }
  return out;
}

}  // namespace attack_test
