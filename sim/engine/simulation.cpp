#include <algorithm>
#include <cassert>
#include <stdexcept>
#include <string>

#include "cyberdrill/engine.hpp"

namespace cyberdrill {
namespace {

constexpr std::int64_t kMaxTimeUs = (std::int64_t{1} << 55) - 1;
constexpr std::size_t kArity = 4;

std::uint64_t make_key(SimTime t, std::int8_t priority) {
  return (static_cast<std::uint64_t>(t.us()) << 8) |
         static_cast<std::uint64_t>(static_cast<std::uint8_t>(static_cast<int>(priority) + 128));
}
SimTime key_time(std::uint64_t key) { return SimTime::from_us(static_cast<std::int64_t>(key >> 8)); }

}  // namespace

HandlerId Simulation::add_handler(EventHandler& h) {
  if (handlers_.size() >= kFree) throw std::logic_error("Simulation: too many event handlers");
  handlers_.push_back(&h);
  return static_cast<HandlerId>(handlers_.size() - 1);
}

std::uint32_t Simulation::alloc_slot() {
  if (free_head_ != kNoSlot) {
    const std::uint32_t s = free_head_;
    free_head_ = static_cast<std::uint32_t>(slots_[s].arg);
    return s;
  }
  if (slots_.size() >= kNoSlot) throw std::length_error("Simulation: too many pending events");
  slots_.push_back(Slot{kFree, 0, 0, 0});
  return static_cast<std::uint32_t>(slots_.size() - 1);
}

void Simulation::free_slot(std::uint32_t s) {
  Slot& sl = slots_[s];
  sl.handler = kFree;
  ++sl.generation;
  sl.arg = free_head_;
  free_head_ = s;
}

EventId Simulation::schedule_at(SimTime at, HandlerId handler, std::uint16_t tag, std::uint64_t arg,
                                std::int8_t priority) {
  if (at < now_) {
    throw std::logic_error("Simulation::schedule_at: time " + format_sim_time(at) + " is before now " +
                           format_sim_time(now_));
  }
  if (at.us() > kMaxTimeUs) throw std::logic_error("Simulation::schedule_at: time beyond the engine's horizon");
  assert(handler < handlers_.size());
  if (next_seq_ == std::numeric_limits<std::uint32_t>::max()) renumber();
  const std::uint32_t s = alloc_slot();
  Slot& sl = slots_[s];
  sl.handler = handler;
  sl.tag = tag;
  sl.arg = arg;
  push(Entry{make_key(at, priority), next_seq_++, s});
  ++live_;
  return EventId{s, sl.generation};
}

bool Simulation::is_pending(EventId id) const {
  if (id.slot >= slots_.size()) return false;
  const Slot& sl = slots_[id.slot];
  return sl.generation == id.generation && sl.handler != kFree && sl.handler != kCancelled;
}

bool Simulation::cancel(EventId id) {
  if (!is_pending(id)) return false;
  Slot& sl = slots_[id.slot];
  sl.handler = kCancelled;
  ++sl.generation;  // the handle is stale from now on; the slot is freed when its entry pops
  --live_;
  ++cancelled_;
  if (cancelled_ > 1024 && cancelled_ > live_) compact();
  return true;
}

// 4-ary min-heap with hole-based sifting (one move per level instead of a swap).
void Simulation::push(Entry e) {
  std::size_t i = heap_.size();
  heap_.push_back(e);
  Entry* h = heap_.data();
  while (i > 0) {
    const std::size_t parent = (i - 1) / kArity;
    if (!before(e, h[parent])) break;
    h[i] = h[parent];
    i = parent;
  }
  h[i] = e;
}

void Simulation::pop_top() {
  const Entry last = heap_.back();
  heap_.pop_back();
  const std::size_t n = heap_.size();
  if (n == 0) return;
  Entry* h = heap_.data();
  std::size_t i = 0;
  for (;;) {
    const std::size_t first = i * kArity + 1;
    if (first >= n) break;
    std::size_t best = first;
    const std::size_t end = std::min(first + kArity, n);
    for (std::size_t c = first + 1; c < end; ++c)
      if (before(h[c], h[best])) best = c;
    if (!before(h[best], last)) break;
    h[i] = h[best];
    i = best;
  }
  h[i] = last;
}

void Simulation::drop_cancelled_top() {
  while (!heap_.empty() && slots_[heap_.front().slot].handler == kCancelled) {
    free_slot(heap_.front().slot);
    --cancelled_;
    pop_top();
  }
}

void Simulation::compact() {
  std::size_t out = 0;
  for (const Entry& e : heap_) {
    if (slots_[e.slot].handler == kCancelled) {
      free_slot(e.slot);
    } else {
      heap_[out++] = e;
    }
  }
  heap_.resize(out);
  cancelled_ = 0;
  // Rebuild the heap bottom-up (Floyd), sifting each internal node down.
  if (heap_.size() < 2) return;
  const std::size_t n = heap_.size();
  for (std::size_t k = (n - 2) / kArity + 1; k-- > 0;) {
    const Entry e = heap_[k];
    std::size_t i = k;
    for (;;) {
      const std::size_t first = i * kArity + 1;
      if (first >= n) break;
      std::size_t best = first;
      const std::size_t end = std::min(first + kArity, n);
      for (std::size_t c = first + 1; c < end; ++c)
        if (before(heap_[c], heap_[best])) best = c;
      if (!before(heap_[best], e)) break;
      heap_[i] = heap_[best];
      i = best;
    }
    heap_[i] = e;
  }
}

// The sequence counter is 32 bits: when it is exhausted, pending entries are renumbered 0..n-1 in
// their current total order, which preserves every future comparison. Handles are unaffected.
void Simulation::renumber() {
  std::sort(heap_.begin(), heap_.end(), before);  // a sorted array is a valid heap
  for (std::size_t i = 0; i < heap_.size(); ++i) heap_[i].seq = static_cast<std::uint32_t>(i);
  next_seq_ = static_cast<std::uint32_t>(heap_.size());
}

SimTime Simulation::next_time() {
  drop_cancelled_top();
  return heap_.empty() ? SimTime::max() : key_time(heap_.front().key);
}

void Simulation::dispatch_top() {
  const Entry top = heap_.front();
  pop_top();
  Slot& sl = slots_[top.slot];
  Event ev;
  ev.time = key_time(top.key);
  ev.handler = sl.handler;
  ev.tag = sl.tag;
  ev.arg = sl.arg;
  ev.id = EventId{top.slot, sl.generation};
  free_slot(top.slot);
  --live_;
  now_ = ev.time;
  ++dispatched_;
  if (!engine_observers_.empty()) {
    for (EngineObserver* o : engine_observers_) o->on_dispatch(*this, ev);
  }
  handlers_[ev.handler]->handle(*this, ev);
}

bool Simulation::step() {
  drop_cancelled_top();
  if (heap_.empty()) return false;
  dispatch_top();
  return true;
}

void Simulation::run_until(SimTime until) {
  stop_requested_ = false;
  for (;;) {
    drop_cancelled_top();
    if (heap_.empty() || key_time(heap_.front().key) > until) break;
    dispatch_top();
    if (stop_requested_) return;
  }
  if (until > now_) now_ = until;
}

void Simulation::run() {
  stop_requested_ = false;
  for (;;) {
    if (cancelled_ != 0) drop_cancelled_top();
    if (heap_.empty()) return;
    dispatch_top();
    if (stop_requested_) return;
  }
}

}  // namespace cyberdrill
