// The cascade model: event-driven propagation of service levels through the world's dependency
// graph. Contract in include/cyberdrill/world.hpp.
#include <algorithm>
#include <cassert>
#include <cmath>

#include "cyberdrill/world.hpp"
#include "world_impl.hpp"

namespace cyberdrill {

using namespace world_detail;

namespace {
constexpr std::uint16_t kTagEdge = 1;       // arg = edge index: a buffer or restart delay ran out
constexpr std::uint16_t kTagTick = 2;       // the dynamic-IIM hourly tick
constexpr std::uint16_t kTagScheduled = 3;  // arg = index into scheduled_
constexpr double kPropEps = 1e-12;          // smallest change that propagates
constexpr double kEmitEps = 1e-9;           // smallest change that is recorded
// The key of the imposition made by isolation (not a cause any model names).
constexpr Cause kIsolationKey{CauseKind::none, kNone - 1};

double threshold_level(const Node& nd) {
  const double l = (nd.failed_weight > 1e-12 && nd.failed_weight >= nd.fail_at) ? 0.0 : 1.0;
  return std::min(l, nd.own);
}
}  // namespace

CascadeModel::CascadeModel(Simulation& sim, World& world)
    : sim_(sim), world_(world), w_(*world.impl_), self_(sim.add_handler(*this)) {}

CascadeModel::~CascadeModel() = default;

bool CascadeModel::relaxing() const { return sim_.is_pending(diim_tick_); }

void CascadeModel::enqueue(Index v, Cause cause) {
  Node& nd = w_.nodes[v];
  if (nd.flags & kQueued) return;
  nd.flags |= kQueued;
  nd.cause = cause;
  queue_.push_back(v);
}

void CascadeModel::touch(Index v, Cause cause) {
  Node& nd = w_.nodes[v];
  if (nd.touched_epoch == epoch_) return;
  nd.touched_epoch = epoch_;
  touched_.push_back(Touched{v, nd.level, cause});
}

// Perceived value of edge k changes to e (now). Updates the dependent's aggregate and queues its
// re-evaluation if that can change its level.
void CascadeModel::apply_edge(std::uint32_t k, double e) {
  EdgeHot& eh = w_.edges[k];
  const double old = eh.perceived;
  eh.perceived = e;
  ++edge_updates_;
  const Index v = w_.edge_target[k];
  Node& nd = w_.nodes[v];
  if (nd.rule == CombineRule::threshold) {
    const bool was_failed = old < kOutageLevel;
    const bool is_failed = e < kOutageLevel;
    if (was_failed == is_failed) return;
    nd.failed_weight += is_failed ? eh.weight : -eh.weight;
    if (threshold_level(nd) == nd.level) return;
  }
  enqueue(v, Cause{CauseKind::asset, w_.edge_source[k]});
}

// The supplier of edge k changed (or its fail-over ended): compare its effective value with what
// the dependent perceives and apply, schedule or cancel per the buffer/restart contract.
void CascadeModel::edge_changed(std::uint32_t k) {
  EdgeHot& eh = w_.edges[k];
  if (eh.failed_over) return;
  const double e = 1.0 - eh.degradation * (1.0 - w_.nodes[w_.edge_source[k]].level);
  if (eh.pending == kNoPending) {
    if (e < eh.perceived - kPropEps) {
      if (eh.buffer_us > 0 && eh.perceived >= 1.0 - kPropEps) {
        eh.pending = kPendingDrop;
        w_.edge_cold[k].pending_id =
            sim_.schedule_in(Duration::from_us(eh.buffer_us), self_, kTagEdge, k, Priority::world);
      } else {
        apply_edge(k, e);
      }
    } else if (e > eh.perceived + kPropEps) {
      const std::int64_t restart = w_.edge_cold[k].restart_us;
      if (restart > 0) {
        eh.pending = kPendingRestart;
        w_.edge_cold[k].pending_id = sim_.schedule_in(Duration::from_us(restart), self_, kTagEdge, k, Priority::world);
      } else {
        apply_edge(k, e);
      }
    }
  } else if (eh.pending == kPendingDrop) {
    if (e >= eh.perceived - kPropEps) {  // back before the buffer ran out
      sim_.cancel(w_.edge_cold[k].pending_id);
      eh.pending = kNoPending;
    }
  } else if (e <= eh.perceived + kPropEps) {  // restart pending, supplier fell back
    sim_.cancel(w_.edge_cold[k].pending_id);
    eh.pending = kNoPending;
    if (e < eh.perceived - kPropEps) apply_edge(k, e);
  }
}

void CascadeModel::propagate(Index u) {
  auto [b, e] = boost::out_edges(static_cast<std::uint32_t>(u), w_.graph);
  for (auto it = b; it != e; ++it) {
    ++edges_scanned_;
    edge_changed(static_cast<std::uint32_t>(boost::get(boost::edge_index, w_.graph, *it)));
  }
}

double CascadeModel::evaluate(Index v) {
  Node& nd = w_.nodes[v];
  const std::uint32_t b = w_.in_offset[v], e = w_.in_offset[v + 1];
  switch (nd.rule) {
    case CombineRule::threshold:
      return threshold_level(nd);
    case CombineRule::all: {
      double l = nd.own;
      for (std::uint32_t p = b; p < e; ++p) l = std::min(l, w_.edges[w_.in_edge[p]].perceived);
      return l;
    }
    case CombineRule::any: {
      double l = b == e ? 1.0 : 0.0;
      for (std::uint32_t p = b; p < e; ++p) l = std::max(l, w_.edges[w_.in_edge[p]].perceived);
      return std::min(l, nd.own);
    }
    case CombineRule::linear: {
      double q = 1.0 - nd.own;
      for (std::uint32_t p = b; p < e; ++p) {
        const EdgeHot& eh = w_.edges[w_.in_edge[p]];
        q += eh.weight * (1.0 - eh.perceived);
      }
      const double target = 1.0 - std::clamp(q, 0.0, 1.0);
      if (w_.resilience[v] <= 0.0) return target;
      if (std::abs(target - nd.level) > kPropEps && !(nd.flags & kDiim)) {
        nd.flags |= kDiim;
        diim_active_.push_back(v);
        if (!sim_.is_pending(diim_tick_))
          diim_tick_ = sim_.schedule_in(Duration::hours(1), self_, kTagTick, 0, Priority::world);
      }
      return nd.level;  // relaxes on the tick
    }
  }
  return nd.level;
}

void CascadeModel::settle() {
  if (in_settle_) return;  // re-entrant call: the outer settle drains the queue
  in_settle_ = true;
  const std::size_t budget = 64 * (w_.n() + w_.edges.size()) + 1'000'000;
  std::size_t steps = 0;
  while (head_ < queue_.size()) {
    const Index v = queue_[head_++];
    Node& nd = w_.nodes[v];
    nd.flags &= static_cast<std::uint8_t>(~kQueued);
    if (++steps > budget) break;
    const double nl = evaluate(v);
    if (std::abs(nl - nd.level) <= kPropEps) continue;
    touch(v, nd.cause);
    nd.level = nl;
    propagate(v);
    if (head_ > 4096 && 2 * head_ > queue_.size()) {  // keep the FIFO compact in long settles
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
  }
  for (std::size_t i = head_; i < queue_.size(); ++i) w_.nodes[queue_[i]].flags &= static_cast<std::uint8_t>(~kQueued);
  queue_.clear();
  head_ = 0;
  in_settle_ = false;
  finish();
}

// Applies the settle's level changes to the aggregates and emits one record per changed asset.
void CascadeModel::finish() {
  if (++epoch_ == 0) {
    for (Node& nd : w_.nodes) nd.touched_epoch = 0;
    epoch_ = 1;
  }
  if (touched_.empty()) return;
  w_.advance(sim_.now());
  for (const Touched& t : touched_) {
    const double now_level = w_.nodes[t.asset].level;
    const double pop = static_cast<double>(w_.population[t.asset]);
    w_.population_unserved += pop * (t.old_level - now_level);
    w_.service_unserved += t.old_level - now_level;
    const bool was_out = t.old_level < kOutageLevel, is_out = now_level < kOutageLevel;
    if (was_out != is_out) {
      std::size_t& in_sector = w_.outages_by_sector[w_.sector_slot(t.asset)];
      const bool counted = w_.sector[t.asset] != kNone;
      if (is_out) {
        ++w_.outage_count;
        w_.population_in_outage += w_.population[t.asset];
        if (in_sector++ == 0 && counted) ++w_.sectors_with_outage;
      } else {
        --w_.outage_count;
        w_.population_in_outage -= w_.population[t.asset];
        if (--in_sector == 0 && counted) --w_.sectors_with_outage;
      }
    }
    if (std::abs(now_level - t.old_level) > kEmitEps) {
      TraceRecord rec;
      rec.kind = RecordKind::asset_level;
      rec.cause_kind = t.cause.kind;
      rec.cause = t.cause.index;
      rec.subject = t.asset;
      rec.value = now_level;
      rec.detail = static_cast<std::uint32_t>(std::lround(t.old_level * 1e6));
      sim_.emit(rec);
    }
  }
  if (std::abs(w_.population_unserved) < 1e-6) w_.population_unserved = 0;  // drift of +/- sums
  if (std::abs(w_.service_unserved) < 1e-9) w_.service_unserved = 0;
  touched_.clear();
}

void CascadeModel::set_own(Index asset, double own, Cause cause) {
  assert(asset < w_.n());
  Node& nd = w_.nodes[asset];
  if (own == nd.own) return;
  nd.own = own;
  // The cause of the asset's own change is the external cause, even if it was queued already.
  enqueue(asset, cause);
  nd.cause = cause;
  settle();
}

void CascadeModel::update_imposition(Index asset, Cause key, double level, Cause cause) {
  assert(asset < w_.n());
  auto& list = w_.imposed[asset];
  auto it = std::find_if(list.begin(), list.end(), [&](const Imposition& i) { return i.cause == key; });
  if (level < 0) {
    if (it != list.end()) list.erase(it);
  } else if (it == list.end()) {
    list.push_back(Imposition{key, std::min(level, 1.0)});
  } else {
    it->level = std::min(level, 1.0);
  }
  double own = 1.0;
  for (const Imposition& i : list) own = std::min(own, i.level);
  set_own(asset, own, cause);
}

void CascadeModel::impose(Index asset, double level, Cause cause) {
  update_imposition(asset, cause, std::max(level, 0.0), cause);
}

void CascadeModel::lift(Index asset, Cause cause) { update_imposition(asset, cause, -1.0, cause); }

void CascadeModel::restore(Index asset, Cause cause) {
  assert(asset < w_.n());
  auto& list = w_.imposed[asset];
  if (list.empty()) return;
  list.clear();
  TraceRecord rec;
  rec.kind = RecordKind::asset_restored;
  rec.subject = asset;
  rec.cause_kind = cause.kind;
  rec.cause = cause.index;
  sim_.emit(rec);
  set_own(asset, 1.0, cause);
}

void CascadeModel::fail_over(Index asset, Index supplier, Cause cause) {
  assert(asset < w_.n());
  for (std::uint32_t p = w_.in_offset[asset]; p < w_.in_offset[asset + 1]; ++p) {
    const std::uint32_t k = w_.in_edge[p];
    if (supplier != kNone && w_.edge_source[k] != supplier) continue;
    EdgeHot& eh = w_.edges[k];
    if (eh.failed_over) continue;
    if (eh.pending != kNoPending) {
      sim_.cancel(w_.edge_cold[k].pending_id);
      eh.pending = kNoPending;
    }
    eh.failed_over = 1;
    if (eh.perceived < 1.0) {
      apply_edge(k, 1.0);
      w_.nodes[asset].cause = cause;
    }
  }
  settle();
}

void CascadeModel::end_fail_over(Index asset, Index supplier, Cause cause) {
  assert(asset < w_.n());
  const std::size_t before = queue_.size();
  for (std::uint32_t p = w_.in_offset[asset]; p < w_.in_offset[asset + 1]; ++p) {
    const std::uint32_t k = w_.in_edge[p];
    if (supplier != kNone && w_.edge_source[k] != supplier) continue;
    EdgeHot& eh = w_.edges[k];
    if (!eh.failed_over) continue;
    eh.failed_over = 0;
    edge_changed(k);
  }
  if (queue_.size() > before) w_.nodes[asset].cause = cause;
  settle();
}

void CascadeModel::set_contained(Index asset, bool contained, Index actor, Cause cause) {
  assert(asset < w_.n());
  Node& nd = w_.nodes[asset];
  const bool was = (nd.flags & kContained) != 0;
  if (contained == was) return;
  if (contained) {
    nd.flags |= kContained;
    TraceRecord rec;
    rec.kind = RecordKind::asset_contained;
    rec.subject = asset;
    rec.actor = actor;
    rec.cause_kind = cause.kind;
    rec.cause = cause.index;
    sim_.emit(rec);
  } else {
    nd.flags &= static_cast<std::uint8_t>(~kContained);
  }
}

void CascadeModel::set_isolated(Index asset, bool isolated, Index actor, Cause cause) {
  assert(asset < w_.n());
  Node& nd = w_.nodes[asset];
  if (isolated) {
    set_contained(asset, true, actor, cause);
    nd.flags |= kIsolated;
    update_imposition(asset, kIsolationKey, 0.0, cause);
  } else if (nd.flags & kIsolated) {
    nd.flags &= static_cast<std::uint8_t>(~kIsolated);
    update_imposition(asset, kIsolationKey, -1.0, cause);
  }
}

void CascadeModel::schedule_impose(SimTime at, Index asset, double level, Cause cause) {
  assert(asset < w_.n());
  scheduled_.push_back(Scheduled{asset, level, cause});
  sim_.schedule_at(at, self_, kTagScheduled, scheduled_.size() - 1, Priority::world);
}

void CascadeModel::diim_tick() {
  // Synchronous step: every target from the current inputs first, then every update.
  diim_target_.resize(diim_active_.size());
  for (std::size_t i = 0; i < diim_active_.size(); ++i) {
    const Index v = diim_active_[i];
    const Node& nd = w_.nodes[v];
    double q = 1.0 - nd.own;
    for (std::uint32_t p = w_.in_offset[v]; p < w_.in_offset[v + 1]; ++p) {
      const EdgeHot& eh = w_.edges[w_.in_edge[p]];
      q += eh.weight * (1.0 - eh.perceived);
    }
    diim_target_[i] = 1.0 - std::clamp(q, 0.0, 1.0);
  }
  assert(queue_.empty());
  for (std::size_t i = 0; i < diim_active_.size(); ++i) {
    const Index v = diim_active_[i];
    Node& nd = w_.nodes[v];
    const double k = std::min(1.0, w_.resilience[v]);
    double nl = nd.level + k * (diim_target_[i] - nd.level);
    // Snap when within the tolerance of the target, or when the step itself is below it (the
    // relaxation would otherwise stall short of the target).
    if (std::abs(diim_target_[i] - nl) <= kPropEps || std::abs(nl - nd.level) <= kPropEps) {
      nl = diim_target_[i];
      nd.flags &= static_cast<std::uint8_t>(~kDiim);
    }
    if (nl != nd.level) {
      touch(v, nd.cause);
      const bool visible = std::abs(nl - nd.level) > kPropEps;
      nd.level = nl;
      if (visible) queue_.push_back(v);  // marker for the propagation pass below (not flagged kQueued)
    }
  }
  std::erase_if(diim_active_, [&](Index v) { return !(w_.nodes[v].flags & kDiim); });
  // Propagate the updated assets, then settle what that queued.
  const std::size_t changed = queue_.size();
  for (std::size_t i = 0; i < changed; ++i) propagate(queue_[i]);
  head_ = changed;  // the markers are not to be re-evaluated
  settle();
  if (!diim_active_.empty() && !sim_.is_pending(diim_tick_))
    diim_tick_ = sim_.schedule_in(Duration::hours(1), self_, kTagTick, 0, Priority::world);
}

void CascadeModel::handle(Simulation&, const Event& ev) {
  switch (ev.tag) {
    case kTagEdge: {
      const auto k = static_cast<std::uint32_t>(ev.arg);
      EdgeHot& eh = w_.edges[k];
      eh.pending = kNoPending;
      w_.edge_cold[k].pending_id = EventId{};
      const double e = 1.0 - eh.degradation * (1.0 - w_.nodes[w_.edge_source[k]].level);
      if (std::abs(e - eh.perceived) > kPropEps) apply_edge(k, e);
      settle();
      break;
    }
    case kTagTick:
      diim_tick_ = EventId{};
      diim_tick();
      break;
    case kTagScheduled: {
      const Scheduled s = scheduled_.at(ev.arg);
      if (s.level < 0) lift(s.asset, s.cause);
      else impose(s.asset, s.level, s.cause);
      break;
    }
    default:
      assert(false && "CascadeModel: unknown event tag");
  }
}

}  // namespace cyberdrill
