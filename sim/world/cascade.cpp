// The cascade model: event-driven propagation of service levels through the world's dependency
// graph. Contract in include/cyberdrill/world.hpp.
#include <algorithm>
#include <cassert>
#include <cmath>
#include <stdexcept>

#include "cyberdrill/world.hpp"
#include "world_impl.hpp"

namespace cyberdrill {

using namespace world_detail;

namespace {
constexpr std::uint16_t kTagEdge = 1;       // arg = edge index: a buffer or restart delay ran out
constexpr std::uint16_t kTagTick = 2;       // the dynamic-IIM hourly tick
constexpr std::uint16_t kTagScheduled = 3;  // arg = index into scheduled_
constexpr std::uint16_t kTagEnd = 4;        // arg = index into pending_ends_: a manual restoration is done
constexpr double kPropEps = 1e-12;          // smallest change that propagates
constexpr double kEmitEps = 1e-9;           // smallest change that is recorded

// An asset's own level: the lowest level any imposition holds it at (1 with none).
double own_level(const std::vector<Imposition>& list) {
  double own = 1.0;
  for (const Imposition& i : list) own = std::min(own, i.level);
  return own;
}

// The asset_restored record (contract in world.hpp): what ended an imposition, and the asset's own
// level afterwards.
void emit_restored(Simulation& sim, Index asset, Cause by, std::uint32_t detail, double own) {
  TraceRecord rec;
  rec.kind = RecordKind::asset_restored;
  rec.subject = asset;
  rec.cause_kind = by.kind;
  rec.cause = by.index;
  rec.detail = detail;
  rec.value = own;
  sim.emit(rec);
}
// The key of the imposition made by isolation (not a cause any model names).
constexpr Cause kIsolationKey{CauseKind::none, kNone - 1};

double threshold_bit(const NodeHot& nd) { return nd.agg <= 0.0 ? 0.0 : 1.0; }
}  // namespace

CascadeModel::CascadeModel(Simulation& sim, World& world)
    : sim_(sim), world_(world), w_(*world.impl_), self_(sim.add_handler(*this)) {}

CascadeModel::~CascadeModel() = default;

bool CascadeModel::relaxing() const { return sim_.is_pending(diim_tick_); }

void CascadeModel::enqueue(Index v, Cause cause) {
  std::uint8_t& f = w_.nflags[v];
  if (f & kQueued) return;
  f |= kQueued;
  queue_.push_back(Queued{v, cause});
}

void CascadeModel::enqueue_with(Index v, Cause cause) {
  if (!(w_.nflags[v] & kQueued)) {
    enqueue(v, cause);
    return;
  }
  for (std::size_t i = queue_.size(); i-- > head_;)
    if (queue_[i].asset == v) {
      queue_[i].cause = cause;
      return;
    }
}

void CascadeModel::touch(Index v, Cause cause) {
  std::uint8_t& f = w_.nflags[v];
  if (f & kTouched) return;
  f |= kTouched;
  touched_.push_back(Touched{v, w_.nodes[v].level, cause});
}

// What dependent v perceives through edge k changed from `old` to `now` (the supplier is the
// cause): update the threshold aggregate and queue v if its level can change.
inline void CascadeModel::input_changed(Index v, std::uint32_t k, double old, double now, Index supplier) {
  ++edge_updates_;
  const std::uint8_t f = w_.nflags[v];
  if (rule_of(f) == CombineRule::threshold) {
    const bool was_failed = old < kOutageLevel;
    const bool is_failed = now < kOutageLevel;
    if (was_failed == is_failed) return;
    NodeHot& nd = w_.nodes[v];
    const double weight = w_.has_extra(k) ? w_.kind(w_.x(k)).weight : 1.0;  // a plain edge: 1
    nd.agg += is_failed ? -weight : weight;
    // Without an own cap the level is the threshold bit: queue only if that flips.
    if (!(f & kCapped) && threshold_bit(nd) == nd.level) return;
  }
  enqueue(v, Cause{CauseKind::asset, supplier});
}

// A stateful edge's perceived level becomes e, now.
void CascadeModel::apply_edge(std::uint32_t k, double e) {
  EdgeExtra& es = w_.x(k);
  const double old = es.perceived;
  es.perceived = e;
  input_changed(w_.target(k), k, old, e, es.source);
}

// The supplier of stateful edge k now offers e: compare with what the dependent perceives and
// apply, schedule or cancel per the buffer/restart contract.
// Buffers keep a state of charge (world.hpp, "Buffers"): the drop comes when what is left of the
// charge has drained, and the charge refills from the moment the supplier rises again.
void CascadeModel::edge_changed(std::uint32_t k, double e) {
  EdgeExtra& bc = w_.x(k);  // a stateful edge has a record
  const EdgeKind& kd = w_.kind(bc);
  std::uint8_t& f = bc.flags;
  if (f & kFailedOver) return;
  const double p = bc.perceived;
  const bool buffered = (f & kHasBuffer) != 0;
  if (!(f & kPendingMask)) {
    if (e < p - kPropEps) {
      if (buffered && p >= 1.0 - kPropEps) {
        bc.set_mode(ChargeMode::draining, sim_.now(), kd);
        const auto left = static_cast<std::int64_t>(std::llround(bc.charge * static_cast<double>(kd.buffer_us)));
        if (left > 0) {
          f |= kPendingDrop;
          bc.pending_id = sim_.schedule_in(Duration::from_us(left), self_, kTagEdge, k, Priority::world);
        } else {
          apply_edge(k, e);
        }
      } else {
        if (buffered && bc.mode == ChargeMode::charging) bc.set_mode(ChargeMode::draining, sim_.now(), kd);
        apply_edge(k, e);
      }
    } else if (e > p + kPropEps) {
      if (buffered) bc.set_mode(ChargeMode::charging, sim_.now(), kd);
      if (f & kHasRestart) {
        f |= kPendingRestart;
        bc.pending_id = sim_.schedule_in(Duration::from_us(kd.restart_us), self_, kTagEdge, k, Priority::world);
      } else {
        apply_edge(k, e);
      }
    }
  } else if (f & kPendingDrop) {
    if (e >= p - kPropEps) {  // back before the buffer ran out
      sim_.cancel(bc.pending_id);
      f &= static_cast<std::uint8_t>(~kPendingMask);
      bc.set_mode(ChargeMode::charging, sim_.now(), kd);
    }
  } else if (e <= p + kPropEps) {  // restart pending, supplier fell back
    sim_.cancel(bc.pending_id);
    f &= static_cast<std::uint8_t>(~kPendingMask);
    if (buffered) bc.set_mode(ChargeMode::draining, sim_.now(), kd);
    if (e < p - kPropEps) apply_edge(k, e);
  }
}

double CascadeModel::effective(std::uint32_t k) const { return w_.effective(k); }

// Supplier u's level changed from `old_level` to its current level: scan its out-edges (one
// contiguous CSR range; the BGL column gives the dependents).
void CascadeModel::propagate(Index u, double old_level) {
  auto [b, e] = boost::out_edges(static_cast<std::uint32_t>(u), w_.graph);
  if (b == e) return;
  const auto first = static_cast<std::uint32_t>(boost::get(boost::edge_index, w_.graph, *b));
  const double new_loss = 1.0 - w_.nodes[u].level, old_loss = 1.0 - old_level;
  std::uint32_t k = first;
  for (auto it = b; it != e; ++it, ++k) {
    ++edges_scanned_;
    double d = 1.0;  // a plain edge: degradation 1, immediate
    if (w_.has_extra(k)) {
      const EdgeExtra& x = w_.x(k);
      d = (x.flags & kUnit) ? 1.0 : w_.kind(x).degradation;
      if (x.flags & kStateful) {
        edge_changed(k, 1.0 - d * new_loss);
        continue;
      }
    }
    const double old_e = 1.0 - d * old_loss, new_e = 1.0 - d * new_loss;
    if (std::abs(new_e - old_e) <= kPropEps) continue;
    input_changed(boost::target(*it, w_.graph), k, old_e, new_e, u);
  }
}

double CascadeModel::evaluate(Index v) {
  const NodeHot& nd = w_.nodes[v];
  const std::uint8_t f = w_.nflags[v];
  if (rule_of(f) == CombineRule::threshold)
    return (f & kCapped) ? std::min(threshold_bit(nd), w_.own(v)) : threshold_bit(nd);
  const double own = w_.own(v);
  // Not bare (only threshold-rule assets are): the list is v's in_ref range.
  const std::uint32_t* const in = w_.in_ref.data();
  const std::uint32_t b = w_.in_offset[v], e = w_.in_offset[v + 1];
  switch (rule_of(f)) {
    case CombineRule::threshold:
      return (f & kCapped) ? std::min(threshold_bit(nd), own) : threshold_bit(nd);
    case CombineRule::all: {
      double l = own;
      for (std::uint32_t p = b; p < e; ++p) l = std::min(l, w_.ref_perceived(in[p]));
      return l;
    }
    case CombineRule::any: {
      double l = b == e ? 1.0 : 0.0;
      for (std::uint32_t p = b; p < e; ++p) l = std::max(l, w_.ref_perceived(in[p]));
      return std::min(l, own);
    }
    case CombineRule::linear: {
      const double target = linear_target(v);
      DiimRec* diim = w_.diim_of(v);
      if (diim == nullptr) return target;  // resilience 0: no relaxation
      if (std::abs(target - nd.level) > kPropEps && !(f & kDiim)) {
        w_.nflags[v] |= kDiim;
        diim->cause = current_cause_;
        diim_active_.push_back(v);
        if (!sim_.is_pending(diim_tick_))
          diim_tick_ = sim_.schedule_in(Duration::hours(1), self_, kTagTick, 0, Priority::world);
      }
      return nd.level;  // relaxes on the tick
    }
  }
  return nd.level;
}

double CascadeModel::linear_target(Index v) const {
  double q = 1.0 - w_.own(v);
  for (std::uint32_t p = w_.in_offset[v]; p < w_.in_offset[v + 1]; ++p) {  // linear: not bare
    const std::uint32_t r = w_.in_ref[p];
    q += w_.ref_weight(r) * (1.0 - w_.ref_perceived(r));
  }
  return 1.0 - std::clamp(q, 0.0, 1.0);
}

void CascadeModel::settle() {
  if (in_settle_) return;  // re-entrant call: the outer settle drains the queue
  in_settle_ = true;
  const std::size_t budget = 64 * (w_.n() + w_.m()) + 1'000'000;
  std::size_t steps = 0;
  // Software pipeline over the FIFO: row start 12 entries ahead, the out-edge range 8 ahead, the
  // dependents' state 4 ahead (every miss of a million-asset graph is a DRAM round trip).
  while (head_ < queue_.size()) {
    const std::size_t ahead = queue_.size() - head_;
    if (ahead > 12) __builtin_prefetch(&w_.rowstart[queue_[head_ + 12].asset]);
    if (ahead > 8) {
      const Index a = queue_[head_ + 8].asset;
      __builtin_prefetch(&w_.nodes[a]);
      __builtin_prefetch(&w_.column[w_.rowstart[a]]);
      __builtin_prefetch(&w_.xany[w_.rowstart[a] >> 6]);
    }
    if (ahead > 4) {
      const Index a = queue_[head_ + 4].asset;
      for (std::uint32_t k = w_.rowstart[a], end = std::min(w_.rowstart[a + 1], k + 8); k < end; ++k) {
        __builtin_prefetch(&w_.nodes[w_.column[k]], 1);
        __builtin_prefetch(&w_.nflags[w_.column[k]], 1);
      }
    }
    const Queued entry = queue_[head_++];
    const Index v = entry.asset;
    w_.nflags[v] &= static_cast<std::uint8_t>(~kQueued);
    if (++steps > budget) break;
    NodeHot& nd = w_.nodes[v];
    current_cause_ = entry.cause;
    const double nl = evaluate(v);
    if (std::abs(nl - nd.level) <= kPropEps) continue;
    touch(v, entry.cause);
    const double old = nd.level;
    nd.level = nl;
    propagate(v, old);
    if (head_ > 4096 && 2 * head_ > queue_.size()) {  // keep the FIFO compact in long settles
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
  }
  for (std::size_t i = head_; i < queue_.size(); ++i) w_.nflags[queue_[i].asset] &= static_cast<std::uint8_t>(~kQueued);
  queue_.clear();
  head_ = 0;
  in_settle_ = false;
  finish();
}

// Applies the settle's level changes to the aggregates and emits one record per changed asset.
void CascadeModel::finish() {
  if (touched_.empty()) return;
  w_.advance(sim_.now());
  for (std::size_t i = 0; i < touched_.size(); ++i) {
    if (i + 8 < touched_.size()) {  // every array below is a random access in a large world
      const Index ahead = touched_[i + 8].asset;
      __builtin_prefetch(&w_.nodes[ahead]);
      __builtin_prefetch(&w_.nflags[ahead], 1);
      w_.impact->prefetch(ahead);
    }
    const Touched& t = touched_[i];
    w_.nflags[t.asset] &= static_cast<std::uint8_t>(~kTouched);
    const double now_level = w_.nodes[t.asset].level;
    w_.impact->set_level(t.asset, now_level);  // distinct people (impact.hpp)
    w_.population_unserved = w_.impact->people_affected();
    w_.service_unserved += t.old_level - now_level;
    const bool was_out = t.old_level < kOutageLevel, is_out = now_level < kOutageLevel;
    if (was_out != is_out) {
      std::size_t& in_sector = w_.outages_by_sector[w_.sector_slot(t.asset)];
      const bool counted = w_.sector_of(t.asset) != kNone;
      if (is_out) {
        ++w_.outage_count;
        w_.population_in_outage += w_.population(t.asset);
        if (in_sector++ == 0 && counted) ++w_.sectors_with_outage;
      } else {
        --w_.outage_count;
        w_.population_in_outage -= w_.population(t.asset);
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
      rec.previous_value = t.old_level;
      sim_.emit(rec);
    }
  }
  if (std::abs(w_.service_unserved) < 1e-9) w_.service_unserved = 0;
  touched_.clear();
}

void CascadeModel::set_own(Index asset, double own, Cause cause) {
  assert(asset < w_.n());
  if (own == w_.own(asset)) return;
  if (own < 1.0) {
    w_.imposed[asset].own = own;  // the record exists: an imposition below 1 made `own`
    w_.nflags[asset] |= kCapped;
  } else {
    w_.nflags[asset] &= static_cast<std::uint8_t>(~kCapped);
  }
  // The cause of the asset's own change is the external cause, even if it was queued already.
  enqueue_with(asset, cause);
  settle();
}

void CascadeModel::update_imposition(Index asset, Cause key, double level, Cause cause) {
  assert(asset < w_.n());
  if (level < 0 && w_.find_imposed(asset) == nullptr) {  // nothing to lift: own level 1 already
    set_own(asset, 1.0, cause);
    return;
  }
  auto& list = w_.imposed[asset].list;
  auto it = std::find_if(list.begin(), list.end(), [&](const Imposition& i) { return i.cause == key; });
  if (level < 0) {
    if (it != list.end()) list.erase(it);
  } else if (it == list.end()) {
    list.push_back(Imposition{key, std::min(level, 1.0)});
  } else {
    it->level = std::min(level, 1.0);
  }
  set_own(asset, own_level(list), cause);
}

void CascadeModel::impose(Index asset, double level, Cause cause) {
  update_imposition(asset, cause, std::max(level, 0.0), cause);
}

void CascadeModel::lift(Index asset, Cause cause) { update_imposition(asset, cause, -1.0, cause); }

void CascadeModel::restore(Index asset, Cause cause) {
  assert(asset < w_.n());
  ImposedRec* rec = w_.find_imposed(asset);
  if (rec == nullptr || rec->list.empty()) return;
  rec->list.clear();
  w_.nflags[asset] &= static_cast<std::uint8_t>(~kIsolated);  // restoring ends isolation
  emit_restored(sim_, asset, cause, 0, 0.0);
  set_own(asset, 1.0, cause);
}

void CascadeModel::fail_over(Index asset, Index supplier, Cause cause) {
  assert(asset < w_.n());
  const std::span<std::uint32_t> list = w_.in_list_kept(asset);
  for (std::size_t j = 0; j < list.size(); ++j) {
    if (supplier != kNone && w_.ref_source(list[j]) != supplier) continue;
    const std::uint32_t k = w_.in_k(asset, list, j);
    if (w_.has_extra(k) && (w_.x(k).flags & kFailedOver)) continue;
    const double old = w_.ref_perceived(list[j]);
    EdgeExtra& rec = w_.ensure_extra(asset, list, j);  // a plain edge gets one (flags kUnit)
    if (rec.flags & kPendingMask) {
      sim_.cancel(rec.pending_id);
      rec.flags &= static_cast<std::uint8_t>(~kPendingMask);
    }
    rec.flags |= kFailedOver;
    rec.perceived = old;
    if (old < 1.0) {
      apply_edge(k, 1.0);
      if (w_.nflags[asset] & kQueued) enqueue_with(asset, cause);
    }
  }
  settle();
}

void CascadeModel::end_fail_over(Index asset, Index supplier, Cause cause) {
  assert(asset < w_.n());
  for (const std::uint32_t r : w_.in_refs(asset)) {
    EdgeExtra* rec = w_.ref_extra(r);  // a failed-over edge always has a record
    if (rec == nullptr || (supplier != kNone && rec->source != supplier)) continue;
    const std::uint32_t k = rec->edge;
    std::uint8_t& f = rec->flags;
    if (!(f & kFailedOver)) continue;
    f &= static_cast<std::uint8_t>(~kFailedOver);
    if (f & kStateful) {
      edge_changed(k, effective(k));
    } else {  // immediate again: the dependent sees the supplier as it is now
      apply_edge(k, effective(k));
    }
  }
  if (w_.nflags[asset] & kQueued) enqueue_with(asset, cause);
  settle();
}

void CascadeModel::set_contained(Index asset, bool contained, Index actor, Cause cause) {
  assert(asset < w_.n());
  std::uint8_t& f = w_.nflags[asset];
  const bool was = (f & kContained) != 0;
  if (contained == was) return;
  if (contained) {
    f |= kContained;
    TraceRecord rec;
    rec.kind = RecordKind::asset_contained;
    rec.subject = asset;
    rec.actor = actor;
    rec.cause_kind = cause.kind;
    rec.cause = cause.index;
    sim_.emit(rec);
  } else {
    f &= static_cast<std::uint8_t>(~kContained);
  }
}

void CascadeModel::set_isolated(Index asset, bool isolated, Index actor, Cause cause, double level) {
  assert(asset < w_.n());
  std::uint8_t& f = w_.nflags[asset];
  if (isolated) {
    set_contained(asset, true, actor, cause);
    f |= kIsolated;
    update_imposition(asset, kIsolationKey, std::clamp(level, 0.0, 1.0), cause);
  } else if (f & kIsolated) {
    f &= static_cast<std::uint8_t>(~kIsolated);
    update_imposition(asset, kIsolationKey, -1.0, cause);
  }
}

bool CascadeModel::imposed(Index asset, Cause key) const {
  if (asset >= w_.n()) throw std::out_of_range("CascadeModel::imposed: asset index out of range");
  const ImposedRec* rec = w_.find_imposed(asset);
  if (rec == nullptr) return false;
  const auto& list = rec->list;
  return std::any_of(list.begin(), list.end(), [&](const Imposition& i) { return i.cause == key; });
}

void CascadeModel::end_imposition(Index asset, Cause key, Cause by) {
  assert(asset < w_.n());
  if (!imposed(asset, key)) return;
  std::int64_t delay = 0;
  for (const std::uint32_t r : w_.in_refs(asset)) {  // a bare asset's list: none, or made by fail-over
    const EdgeExtra* rec = w_.ref_extra(r);
    if (rec == nullptr) continue;  // a plain edge is not a control dependency
    const EdgeExtra& c = *rec;
    const EdgeKind& kd = w_.kind(c);
    if (kd.type == DependencyType::control && w_.nodes[c.source].level < kFullServiceLevel)
      delay = std::max(delay, kd.manual_us);
  }
  if (delay > 0) {
    pending_ends_.push_back(PendingEnd{asset, key, by});
    sim_.schedule_in(Duration::from_us(delay), self_, kTagEnd, pending_ends_.size() - 1, Priority::world);
    return;
  }
  finish_end(asset, key, by);
}

void CascadeModel::finish_end(Index asset, Cause key, Cause by) {
  ImposedRec* rec = w_.find_imposed(asset);
  if (rec == nullptr) return;
  auto& list = rec->list;
  const auto it = std::find_if(list.begin(), list.end(), [&](const Imposition& i) { return i.cause == key; });
  if (it == list.end()) return;
  list.erase(it);
  const double own = own_level(list);
  emit_restored(sim_, asset, by, key.index, own);
  set_own(asset, own, by);
}

void CascadeModel::operate_manually(Index asset, double level, Cause by) {
  assert(asset < w_.n());
  ImposedRec* rec = w_.find_imposed(asset);
  const double cur = w_.own(asset);
  if (rec == nullptr || rec->list.empty() || cur >= level) return;
  auto& list = rec->list;  // nothing of its own to restore, or already above `level`
  const double target = std::clamp(std::max(cur, level), 0.0, 1.0);
  std::erase_if(list, [](const Imposition& i) { return !(i.cause == kIsolationKey); });
  if (target < 1.0) list.push_back(Imposition{by, target});
  const double own = own_level(list);
  emit_restored(sim_, asset, by, kNone, own);
  set_own(asset, own, by);
}

void CascadeModel::mitigate(Index asset, Cause key, double level, Cause by) {
  assert(asset < w_.n());
  ImposedRec* rec = w_.find_imposed(asset);
  if (rec == nullptr) return;
  auto& list = rec->list;
  const auto it = std::find_if(list.begin(), list.end(), [&](const Imposition& i) { return i.cause == key; });
  if (it == list.end()) return;
  it->level = std::clamp(std::max(it->level, level), 0.0, 1.0);
  set_own(asset, own_level(list), by);
}

void CascadeModel::resupply(Index asset, Cause by) {
  assert(asset < w_.n());
  const SimTime now = sim_.now();
  for (const std::uint32_t r : w_.in_refs(asset)) {  // a bare asset has no fuel buffer
    EdgeExtra* rec = w_.ref_extra(r);
    if (rec == nullptr) continue;  // a plain edge is not a fuel buffer
    EdgeExtra& c = *rec;
    const EdgeKind& kd = w_.kind(c);
    const std::uint32_t k = c.edge;
    std::uint8_t& f = c.flags;
    if (!kd.fuel || !(f & kHasBuffer) || (f & kFailedOver)) continue;
    if (f & kPendingDrop) {  // the generator runs: a full tank from now
      sim_.cancel(c.pending_id);
      c.charge = 1.0;
      c.charge_since = now;
      c.mode = ChargeMode::draining;
      c.pending_id = sim_.schedule_in(Duration::from_us(kd.buffer_us), self_, kTagEdge, k, Priority::world);
    } else if (!(f & kPendingMask) && c.perceived < 1.0 - kPropEps &&
               w_.effective(k) < 1.0 - kPropEps) {  // ran dry, supplier still down: restart the generator
      c.charge = 1.0;
      c.charge_since = now;
      c.mode = ChargeMode::draining;
      apply_edge(k, 1.0);
      f |= kPendingDrop;
      c.pending_id = sim_.schedule_in(Duration::from_us(kd.buffer_us), self_, kTagEdge, k, Priority::world);
      if (w_.nflags[asset] & kQueued) enqueue_with(asset, by);
    } else {  // supplier up (recharging) or restart pending: top the tank up
      c.set_mode(c.mode, now, kd);
      c.charge = 1.0;
    }
  }
  settle();
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
    diim_target_[i] = linear_target(diim_active_[i]);
  }
  assert(queue_.empty());
  diim_old_.clear();
  diim_changed_.clear();
  for (std::size_t i = 0; i < diim_active_.size(); ++i) {
    const Index v = diim_active_[i];
    NodeHot& nd = w_.nodes[v];
    DiimRec& diim = *w_.diim_of(v);  // an active asset has resilience > 0
    const double k = std::min(1.0, diim.resilience);
    double nl = nd.level + k * (diim_target_[i] - nd.level);
    // Snap when within the tolerance of the target, or when the step itself is below it (the
    // relaxation would otherwise stall short of the target).
    if (std::abs(diim_target_[i] - nl) <= kPropEps || std::abs(nl - nd.level) <= kPropEps ||
        (nl >= kFullServiceLevel && diim_target_[i] >= kFullServiceLevel)) {
      nl = diim_target_[i];
      w_.nflags[v] &= static_cast<std::uint8_t>(~kDiim);
    }
    if (nl != nd.level) {
      touch(v, diim.cause);
      const bool visible = std::abs(nl - nd.level) > kPropEps;
      if (visible) {
        diim_changed_.push_back(v);
        diim_old_.push_back(nd.level);
      }
      nd.level = nl;
    }
  }
  std::erase_if(diim_active_, [&](Index v) { return !(w_.nflags[v] & kDiim); });
  // Propagate the updated assets, then settle what that queued.
  for (std::size_t i = 0; i < diim_changed_.size(); ++i) propagate(diim_changed_[i], diim_old_[i]);
  settle();
  if (!diim_active_.empty() && !sim_.is_pending(diim_tick_))
    diim_tick_ = sim_.schedule_in(Duration::hours(1), self_, kTagTick, 0, Priority::world);
}

void CascadeModel::handle(Simulation&, const Event& ev) {
  switch (ev.tag) {
    case kTagEdge: {
      const auto k = static_cast<std::uint32_t>(ev.arg);
      EdgeExtra& c = w_.x(k);  // an edge with a pending event has a record
      if (c.flags & kPendingDrop) {  // the buffer ran out
        c.charge = 0.0;
        c.charge_since = sim_.now();
        c.mode = ChargeMode::idle;
      }
      c.flags &= static_cast<std::uint8_t>(~kPendingMask);
      c.pending_id = EventId{};
      const double e = effective(k);
      if (std::abs(e - c.perceived) > kPropEps) apply_edge(k, e);
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
    case kTagEnd: {
      const PendingEnd pe = pending_ends_.at(ev.arg);
      finish_end(pe.asset, pe.key, pe.by);
      break;
    }
    default:
      assert(false && "CascadeModel: unknown event tag");
  }
}

}  // namespace cyberdrill
