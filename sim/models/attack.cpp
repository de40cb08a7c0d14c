#include "attack.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace cyberdrill {
namespace detail {

namespace {

// The engine's horizon (Simulation: times in [0, 2^55) us). Events beyond it never happen.
constexpr std::int64_t kHorizonUs = (std::int64_t{1} << 55) - 1;
constexpr double kUsPerDay = 86'400e6;

bool within_horizon(SimTime now, Duration d) {
  return d.us() <= kHorizonUs - now.us();
}

bool is_visible(AttackEffect::Kind k) {
  switch (k) {
    case AttackEffect::Kind::degrade:
    case AttackEffect::Kind::disrupt:
    case AttackEffect::Kind::encrypt:
    case AttackEffect::Kind::wipe:
    case AttackEffect::Kind::ddos:
      return true;
    case AttackEffect::Kind::foothold:
    case AttackEffect::Kind::exfiltrate:
      return false;
  }
  return false;
}

bool is_terminal(AttackStepState s) {
  return s == AttackStepState::succeeded || s == AttackStepState::failed || s == AttackStepState::blocked ||
         s == AttackStepState::unreachable;
}

std::string stream_entity(const Campaign& c, const AttackStep& s) { return c.id + "/" + s.id; }

}  // namespace

AttackKernel::AttackKernel(Simulation& sim, const std::vector<Campaign>& campaigns, std::uint64_t seed,
                           AttackTarget& target, AttackListener* listener)
    : specs_(campaigns), seed_(seed), target_(target), listener_(listener) {
  campaigns_.resize(campaigns.size());
  Index offset = 0;
  for (Index c = 0; c < campaigns.size(); ++c) {
    campaigns_[c].spec = &campaigns[c];
    campaigns_[c].offset = offset;
    offset += static_cast<Index>(campaigns[c].steps.size());
  }
  steps_.resize(offset);
  for (Index c = 0; c < campaigns.size(); ++c) {
    const Campaign& camp = campaigns[c];
    const Index n = static_cast<Index>(camp.steps.size());
    const Index base = campaigns_[c].offset;
    for (Index s = 0; s < n; ++s) {
      StepRuntime& rt = steps_[base + s];
      rt.campaign = c;
      rt.spec = &camp.steps[s];
      for (Index r : camp.steps[s].requires_steps) {
        if (r >= n) {
          throw std::invalid_argument("campaign '" + camp.id + "' step '" + camp.steps[s].id +
                                      "' requires a step outside its campaign");
        }
        if (r == s) {
          throw std::invalid_argument("campaign '" + camp.id + "' step '" + camp.steps[s].id + "' requires itself");
        }
        std::vector<Index>& deps = steps_[base + r].dependents;
        if (deps.empty() || deps.back() != base + s) deps.push_back(base + s);  // ascending by construction
      }
      for (Index a : camp.steps[s].targets) {
        std::vector<Index>& v = steps_by_asset_[a];
        if (v.empty() || v.back() != base + s) v.push_back(base + s);
      }
    }
    for (Index g : camp.goals) {
      if (g >= n) throw std::invalid_argument("campaign '" + camp.id + "' names a goal outside its steps");
      steps_[base + g].goal = true;
    }
    check_acyclic(c);
  }
  // Registered last: a rejected campaign set leaves no dangling handler in the simulation.
  handler_ = sim.add_handler(*this);
}

void AttackKernel::check_acyclic(Index campaign) const {
  // Kahn's algorithm over the campaign's prerequisite graph.
  const Campaign& camp = *campaigns_[campaign].spec;
  const Index base = campaigns_[campaign].offset;
  const std::size_t n = camp.steps.size();
  std::vector<std::size_t> indegree(n, 0);
  for (std::size_t s = 0; s < n; ++s) indegree[s] = camp.steps[s].requires_steps.size();
  std::vector<Index> ready;
  for (Index s = 0; s < n; ++s) {
    if (indegree[s] == 0) ready.push_back(s);
  }
  std::size_t seen = 0;
  while (!ready.empty()) {
    const Index s = ready.back();
    ready.pop_back();
    ++seen;
    for (Index d : steps_[base + s].dependents) {
      const Index local = d - base;
      // A dependent may list the same prerequisite twice; count every listing.
      const auto times = std::count(camp.steps[local].requires_steps.begin(), camp.steps[local].requires_steps.end(), s);
      indegree[local] -= static_cast<std::size_t>(times);
      if (indegree[local] == 0) ready.push_back(local);
    }
  }
  if (seen != n) throw std::invalid_argument("campaign '" + camp.id + "' has a cycle in its step prerequisites");
}

Index AttackKernel::step_index(Index campaign, Index step) const {
  if (campaign >= campaigns_.size() || step >= campaigns_[campaign].spec->steps.size()) {
    throw std::out_of_range("AttackCampaigns::step_index: no such campaign step");
  }
  return campaigns_[campaign].offset + step;
}

Index AttackKernel::campaign_of(Index global_step) const { return steps_.at(global_step).campaign; }

const AttackStepStatus& AttackKernel::status(Index global_step) const { return steps_.at(global_step).status; }

std::optional<SimTime> AttackKernel::goal_time(Index campaign) const { return campaigns_.at(campaign).goal_time; }

bool AttackKernel::finished(Index campaign) const {
  const CampaignRuntime& c = campaigns_.at(campaign);
  if (!c.started) return false;
  const Index n = static_cast<Index>(c.spec->steps.size());
  for (Index s = 0; s < n; ++s) {
    if (!is_terminal(steps_[c.offset + s].status.state)) return false;
  }
  return true;
}

void AttackKernel::start(Simulation& sim) {
  for (Index c = 0; c < campaigns_.size(); ++c) static_cast<void>(start_campaign(sim, c));
}

bool AttackKernel::start_campaign(Simulation& sim, Index campaign) {
  CampaignRuntime& c = campaigns_.at(campaign);
  if (c.scheduled) return false;
  c.scheduled = true;
  const SimTime at = std::max(sim.now(), c.spec->start);
  sim.schedule_at(at, handler_, kStart, campaign, Priority::world);
  return true;
}

void AttackKernel::handle(Simulation& sim, const Event& ev) {
  switch (ev.tag) {
    case kStart:
      begin_campaign(sim, static_cast<Index>(ev.arg));
      return;
    case kComplete:
      complete(sim, static_cast<Index>(ev.arg));
      return;
    case kDetect: {
      const Index step = static_cast<Index>(ev.arg);
      StepRuntime& rt = steps_[step];
      rt.detection = EventId{};
      if (rt.status.state == AttackStepState::in_progress) detect(sim, step, rt.detect_asset, false);
      return;
    }
    case kEndEffect: {
      effect_ends_.erase(ev.arg);
      const Index step = arg_hi(ev.arg);
      target_.end_effect(sim, arg_lo(ev.arg), steps_[step].spec->effect, step);
      return;
    }
    default:
      throw std::logic_error("AttackKernel: unknown event tag");
  }
}

void AttackKernel::begin_campaign(Simulation& sim, Index campaign) {
  CampaignRuntime& c = campaigns_[campaign];
  c.started = true;
  c.started_at = sim.now();
  const Index n = static_cast<Index>(c.spec->steps.size());
  for (Index s = 0; s < n; ++s) {
    if (c.spec->steps[s].requires_steps.empty()) resolve(sim, c.offset + s);
  }
}

bool AttackKernel::all_targets_contained(const AttackStep& spec) const {
  if (spec.targets.empty()) return false;
  return std::all_of(spec.targets.begin(), spec.targets.end(), [&](Index a) { return target_.is_contained(a); });
}

void AttackKernel::resolve(Simulation& sim, Index step) {
  StepRuntime& rt = steps_[step];
  if (rt.status.state != AttackStepState::waiting || !campaigns_[rt.campaign].started) return;
  const Index base = campaigns_[rt.campaign].offset;
  const std::vector<Index>& req = rt.spec->requires_steps;
  std::size_t succeeded = 0, dead = 0;
  for (Index r : req) {
    const AttackStepState st = steps_[base + r].status.state;
    if (st == AttackStepState::succeeded) ++succeeded;
    else if (is_terminal(st)) ++dead;
  }
  bool eligible = false, impossible = false;
  if (req.empty()) {
    eligible = true;
  } else if (rt.spec->requires_all) {
    eligible = succeeded == req.size();
    impossible = dead > 0;
  } else {
    eligible = succeeded > 0;
    impossible = dead == req.size();
  }
  if (eligible) {
    attempt(sim, step);
  } else if (impossible) {
    finish(sim, step, AttackStepState::unreachable);
  }
}

void AttackKernel::attempt(Simulation& sim, Index step) {
  StepRuntime& rt = steps_[step];
  const AttackStep& spec = *rt.spec;
  if (all_targets_contained(spec)) {
    block(sim, step, spec.targets.front());
    return;
  }
  const Campaign& camp = *campaigns_[rt.campaign].spec;
  rt.status.state = AttackStepState::in_progress;
  rt.status.started = sim.now();
  TraceRecord rec;
  rec.kind = RecordKind::attack_step_started;
  rec.subject = step;
  rec.detail = rt.campaign;
  sim.emit(rec);

  const std::string entity = stream_entity(camp, spec);
  RandomStream ttc_rng(seed_, entity, "ttc");
  const Duration ttc = spec.time_to_compromise.sample(ttc_rng);
  const bool completes = within_horizon(sim.now(), ttc);
  if (completes) rt.completion = sim.schedule_in(ttc, handler_, kComplete, step, Priority::world);

  // Detection hazard: scaled by the best-monitored uncontained target.
  double m = 0;
  Index watched = kNone;
  for (Index a : spec.targets) {
    if (target_.is_contained(a)) continue;
    const double ma = std::clamp(target_.monitoring(a), 0.0, 1.0);
    if (watched == kNone || ma > m) {
      m = ma;
      watched = a;
    }
  }
  const double rate_per_day = spec.detection_per_day * m;
  if (watched != kNone && rate_per_day > 0) {
    RandomStream det_rng(seed_, entity, "detect");
    const DurationDist dist{Distribution::exponential(kUsPerDay / rate_per_day)};
    const Duration t = dist.sample(det_rng);
    if (within_horizon(sim.now(), t) && (!completes || t < ttc)) {
      rt.detect_asset = watched;
      rt.detection = sim.schedule_in(t, handler_, kDetect, step, Priority::world);
    }
  }
}

void AttackKernel::complete(Simulation& sim, Index step) {
  StepRuntime& rt = steps_[step];
  rt.completion = EventId{};
  if (rt.status.state != AttackStepState::in_progress) return;
  const AttackStep& spec = *rt.spec;
  if (all_targets_contained(spec)) {
    block(sim, step, spec.targets.front());
    return;
  }
  // A detection strictly before completion has run already; one at the same instant would not have
  // been scheduled. Nothing to cancel, but keep the handle clean.
  sim.cancel(rt.detection);
  rt.detection = EventId{};

  std::vector<Index> active;
  active.reserve(spec.targets.size());
  for (Index a : spec.targets) {
    if (!target_.is_contained(a)) active.push_back(a);
  }
  const Campaign& camp = *campaigns_[rt.campaign].spec;
  RandomStream success_rng(seed_, stream_entity(camp, spec), "success");
  if (!success_rng.bernoulli(spec.success)) {
    TraceRecord rec;
    rec.kind = RecordKind::attack_step_failed;
    rec.subject = step;
    rec.detail = active.empty() ? kNone : active.front();
    sim.emit(rec);
    finish(sim, step, AttackStepState::failed);
    return;
  }

  rt.status.state = AttackStepState::succeeded;
  rt.status.finished = sim.now();
  const AttackEffect& effect = spec.effect;
  const bool timed_end = (effect.kind == AttackEffect::Kind::ddos || effect.kind == AttackEffect::Kind::disrupt) &&
                         effect.duration > Duration::zero() && within_horizon(sim.now(), effect.duration);
  for (Index a : active) {
    TraceRecord rec;
    rec.kind = RecordKind::attack_step_succeeded;
    rec.cause_kind = CauseKind::attack_step;
    rec.cause = step;
    rec.subject = step;
    rec.detail = a;
    sim.emit(rec);
    target_.apply(sim, a, effect, step);
    if (timed_end) {
      const std::uint64_t key = pack_arg(step, a);
      effect_ends_[key] = PendingEnd{sim.schedule_in(effect.duration, handler_, kEndEffect, key, Priority::world),
                                     sim.now() + effect.duration};
    }
  }
  if (active.empty()) {
    TraceRecord rec;
    rec.kind = RecordKind::attack_step_succeeded;
    rec.cause_kind = CauseKind::attack_step;
    rec.cause = step;
    rec.subject = step;
    rec.detail = kNone;
    sim.emit(rec);
  }
  if (is_visible(effect.kind)) {
    for (Index a : active) detect(sim, step, a, true);
  }
  CampaignRuntime& c = campaigns_[rt.campaign];
  if (rt.goal) {
    if (!c.goal_time) c.goal_time = sim.now();
    TraceRecord rec;
    rec.kind = RecordKind::campaign_goal_reached;
    rec.subject = rt.campaign;
    rec.detail = step;
    rec.value = (sim.now() - *c.started_at).to_hours();
    sim.emit(rec);
  }
  for (Index d : rt.dependents) resolve(sim, d);
}

void AttackKernel::detect(Simulation& sim, Index step, Index asset, bool visible) {
  StepRuntime& rt = steps_[step];
  if (!rt.status.detected) rt.status.detected = sim.now();
  TraceRecord rec;
  rec.kind = RecordKind::attack_detected;
  rec.subject = rt.campaign;
  rec.actor = kNone;
  rec.cause_kind = CauseKind::attack_step;
  rec.cause = step;
  rec.detail = asset;
  rec.value = visible ? 1.0 : 0.0;
  sim.emit(rec);
  if (listener_ != nullptr) listener_->on_detected(sim, rt.campaign, step, asset, visible);
}

void AttackKernel::block(Simulation& sim, Index step, Index asset) {
  StepRuntime& rt = steps_[step];
  sim.cancel(rt.completion);
  sim.cancel(rt.detection);
  rt.completion = EventId{};
  rt.detection = EventId{};
  TraceRecord rec;
  rec.kind = RecordKind::attack_step_blocked;
  rec.subject = step;
  rec.detail = asset;
  sim.emit(rec);
  finish(sim, step, AttackStepState::blocked);
}

void AttackKernel::finish(Simulation& sim, Index step, AttackStepState state) {
  StepRuntime& rt = steps_[step];
  rt.status.state = state;
  rt.status.finished = sim.now();
  for (Index d : rt.dependents) resolve(sim, d);
}

void AttackKernel::on_contained(Simulation& sim, Index asset) {
  const auto it = steps_by_asset_.find(asset);
  if (it == steps_by_asset_.end()) return;
  // Copy: blocking resolves dependents, which never changes this table, but keep iteration simple.
  const std::vector<Index> candidates = it->second;
  for (Index step : candidates) {
    if (steps_[step].status.state != AttackStepState::in_progress) continue;
    if (all_targets_contained(*steps_[step].spec)) block(sim, step, asset);
  }
}

bool AttackKernel::end_effect_early(Simulation& sim, Index step, Index asset) {
  const auto it = effect_ends_.find(pack_arg(step, asset));
  if (it == effect_ends_.end()) return false;
  sim.cancel(it->second.id);
  effect_ends_.erase(it);
  return true;
}

std::optional<SimTime> AttackKernel::effect_end(Index step, Index asset) const {
  const auto it = effect_ends_.find(pack_arg(step, asset));
  if (it == effect_ends_.end()) return std::nullopt;
  return it->second.at;
}

}  // namespace detail

// --- facade ---------------------------------------------------------------------------------------

AttackCampaigns::AttackCampaigns(Simulation& sim, const std::vector<Campaign>& campaigns, std::uint64_t seed,
                                 AttackTarget& target, AttackListener* listener)
    : kernel_(std::make_unique<detail::AttackKernel>(sim, campaigns, seed, target, listener)) {}
AttackCampaigns::~AttackCampaigns() = default;

void AttackCampaigns::start(Simulation& sim) { kernel_->start(sim); }
bool AttackCampaigns::start_campaign(Simulation& sim, Index campaign) { return kernel_->start_campaign(sim, campaign); }
void AttackCampaigns::on_contained(Simulation& sim, Index asset) { kernel_->on_contained(sim, asset); }
bool AttackCampaigns::end_effect_early(Simulation& sim, Index global_step, Index asset) {
  return kernel_->end_effect_early(sim, global_step, asset);
}
std::optional<SimTime> AttackCampaigns::effect_end(Index global_step, Index asset) const {
  return kernel_->effect_end(global_step, asset);
}
std::size_t AttackCampaigns::campaign_count() const { return kernel_->campaign_count(); }
std::size_t AttackCampaigns::step_count() const { return kernel_->step_count(); }
Index AttackCampaigns::step_index(Index campaign, Index step) const { return kernel_->step_index(campaign, step); }
Index AttackCampaigns::campaign_of(Index global_step) const { return kernel_->campaign_of(global_step); }
const AttackStepStatus& AttackCampaigns::status(Index global_step) const { return kernel_->status(global_step); }
std::optional<SimTime> AttackCampaigns::goal_time(Index campaign) const { return kernel_->goal_time(campaign); }
bool AttackCampaigns::finished(Index campaign) const { return kernel_->finished(campaign); }

}  // namespace cyberdrill
