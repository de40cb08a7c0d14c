#include <algorithm>
#include <cassert>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>

#include "cyberdrill/engine.hpp"

#if defined(__linux__)
#include <sys/mman.h>
#endif

// The pending set: a 4-ary min-heap laid out so that each node's four children fill one 64-byte
// cache line. Node i (0 = root) lives at position i + kRoot; its children i*4+1 .. i*4+4 live at
// positions 4p - 8 .. 4p - 5 for the parent's position p, a multiple of 4, and the array is 64-byte
// aligned. The positions after the last entry in its group of four hold a sentinel (all bits set)
// that compares greater than any entry, so a child group is always read whole without bounds
// checks; groups past the last one are never read (their memory is not touched until used).
//
// Removing the top sifts a hole from the root to a leaf along the smallest children (three
// branch-free comparisons per level, none against the moving entry), then sifts the moving entry up
// from there: the moving entry is a leaf's or a new, later event, so it rarely rises more than a
// level (Floyd's bottom-up heapsort trick; libstdc++'s pop_heap does the same on binary heaps).
// The order is a 128-bit comparison of (key, ord), compiled to one compare and one subtract.

namespace cyberdrill {
namespace {

constexpr std::int64_t kMaxTimeUs = (std::int64_t{1} << 55) - 1;
constexpr std::size_t kRoot = 3;
constexpr std::size_t kMinHeapCap = 64;
// With more pending events than this, the slot table no longer fits the core's caches: dispatch
// prefetches the slot of the likely next event while the current handler runs.
constexpr std::size_t kPrefetchFrom = 1u << 15;
constexpr std::align_val_t kLine{64};

__extension__ using U128 = unsigned __int128;

template <class E>
inline bool before(const E& x, const E& y) {
  return ((static_cast<U128>(x.key) << 64) | x.ord) < ((static_cast<U128>(y.key) << 64) | y.ord);
}

// Position of the smallest of the four entries at c .. c+3 (c a multiple of 4), branch-free.
template <class E>
inline std::size_t min_of_group(const E* h, std::size_t c) {
  const std::size_t a = c + static_cast<std::size_t>(before(h[c + 1], h[c]));
  const std::size_t b = c + 2 + static_cast<std::size_t>(before(h[c + 3], h[c + 2]));
  return before(h[b], h[a]) ? b : a;
}

constexpr std::size_t first_child(std::size_t p) { return 4 * p - 8; }
constexpr std::size_t parent_of(std::size_t p) { return (p + 8) >> 2; }

// Moves `e` up from the hole at `p` while it comes before its parent, stopping at `top`.
template <class E>
inline void sift_up(E* h, std::size_t top, std::size_t p, E e) {
  while (p > top) {
    const std::size_t up = parent_of(p);
    if (!before(e, h[up])) break;
    h[p] = h[up];
    p = up;
  }
  h[p] = e;
}

// The one sift-down: places `e` in the hole at `top`, whose subtrees within [kRoot, end) are
// heaps. Walks byte offsets so that each level is a handful of instructions (the child group of
// the entry at offset o is at 4 * o - 128): the hole goes to a leaf along the smallest children
// (branch-free, none compared with `e`), then `e` sifts up from there, never above `top`.
// `prefetch`: request the grandchildren ahead (large heaps, where each level misses the cache).
template <class E>
inline void sift_down(E* heap, std::size_t top, std::size_t end_pos, E e, bool prefetch) {
  char* const base = reinterpret_cast<char*>(heap);
  const std::size_t end = end_pos * sizeof(E);
  std::size_t hole = top * sizeof(E);
  for (std::size_t c = 4 * hole - 8 * sizeof(E); c < end; c = 4 * hole - 8 * sizeof(E)) {
    const E* g = reinterpret_cast<const E*>(base + c);
    if (prefetch) {
      // The grandchildren (the child groups of these four) are the next 256 contiguous bytes the
      // walk may need: request them now so that each level's miss overlaps the previous level.
      const std::size_t gc = 4 * c - 8 * sizeof(E);
      if (gc < end) {
        __builtin_prefetch(base + gc, 1);
        __builtin_prefetch(base + gc + 64, 1);
        __builtin_prefetch(base + gc + 128, 1);
        __builtin_prefetch(base + gc + 192, 1);
      }
    }
    // Branch-free: each comparison is a coin toss, which a branch would mispredict half the time.
    const std::size_t a = static_cast<std::size_t>(before(g[1], g[0]));
    const std::size_t b = 2 + static_cast<std::size_t>(before(g[3], g[2]));
    const std::size_t take_b = std::size_t{0} - static_cast<std::size_t>(before(g[b], g[a]));
    const std::size_t m = c + ((a ^ ((a ^ b) & take_b)) * sizeof(E));
    std::memcpy(base + hole, base + m, sizeof(E));
    hole = m;
  }
  sift_up(heap, top, hole / sizeof(E), e);
}

// Large tables are accessed at random (one heap path and one slot per event): ask for transparent
// huge pages so that those accesses do not also miss the TLB. Only whole 2 MiB pages inside the
// range are advised; a no-op where unsupported.
void advise_huge_pages(void* p, std::size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr std::uintptr_t kHuge = std::uintptr_t{1} << 21;
  if (bytes < 2 * kHuge) return;
  const auto begin = (reinterpret_cast<std::uintptr_t>(p) + kHuge - 1) & ~(kHuge - 1);
  const auto end = (reinterpret_cast<std::uintptr_t>(p) + bytes) & ~(kHuge - 1);
  if (end > begin) (void)::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
  (void)p;
  (void)bytes;
#endif
}

std::uint64_t make_key(SimTime t, std::int8_t priority) {
  return (static_cast<std::uint64_t>(t.us()) << 8) |
         static_cast<std::uint64_t>(static_cast<std::uint8_t>(static_cast<int>(priority) + 128));
}
SimTime key_time(std::uint64_t key) { return SimTime::from_us(static_cast<std::int64_t>(key >> 8)); }
std::uint32_t ord_slot(std::uint64_t ord) { return static_cast<std::uint32_t>(ord); }

[[noreturn, gnu::cold, gnu::noinline]] void throw_bad_time(SimTime at, SimTime now) {
  if (at < now) {
    throw std::logic_error("Simulation::schedule_at: time " + format_sim_time(at) + " is before now " +
                           format_sim_time(now));
  }
  throw std::logic_error("Simulation::schedule_at: time beyond the engine's horizon");
}

}  // namespace

void Simulation::AlignedFree::operator()(Entry* p) const { ::operator delete(p, kLine); }

HandlerId Simulation::add_handler(EventHandler& h) {
  if (handlers_.size() >= kFree) throw std::logic_error("Simulation: too many event handlers");
  handlers_.push_back(&h);
  return static_cast<HandlerId>(handlers_.size() - 1);
}

inline std::uint32_t Simulation::alloc_slot() {
  if (free_head_ != kNoSlot) [[likely]] {
    const std::uint32_t s = free_head_;
    free_head_ = static_cast<std::uint32_t>(slots_[s].arg);
    return s;
  }
  return append_slot();
}

std::uint32_t Simulation::append_slot() {
  if (slots_.size() >= kNoSlot) throw std::length_error("Simulation: too many pending events");
  const std::size_t capacity = slots_.capacity();
  slots_.push_back(Slot{kFree, 0, 0, 0});
  if (slots_.capacity() != capacity) advise_huge_pages(slots_.data(), slots_.capacity() * sizeof(Slot));
  return static_cast<std::uint32_t>(slots_.size() - 1);
}

inline void Simulation::free_slot(std::uint32_t s) {
  Slot& sl = slots_[s];
  sl.handler = kFree;
  ++sl.generation;
  sl.arg = free_head_;
  free_head_ = s;
}

EventId Simulation::schedule_at(SimTime at, HandlerId handler, std::uint16_t tag, std::uint64_t arg,
                                std::int8_t priority) {
  if (at < now_ || at.us() > kMaxTimeUs) [[unlikely]] throw_bad_time(at, now_);
  assert(handler < handlers_.size());
  if (next_seq_ == std::numeric_limits<std::uint32_t>::max()) {
    settle();
    renumber();
  }
  const std::uint32_t s = alloc_slot();
  Slot& sl = slots_[s];
  sl.handler = handler;
  sl.tag = tag;
  sl.arg = arg;
  const Entry e{(static_cast<std::uint64_t>(next_seq_++) << 32) | s, make_key(at, priority)};
  if (top_done_) {
    // The dispatched event's entry is still the top: the new event takes its place.
    top_done_ = false;
    sift_from_root(e);
  } else {
    push(e);
  }
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

void Simulation::grow_heap() {
  const std::size_t cap = std::max(kMinHeapCap, 2 * heap_cap_);  // a multiple of 4
  if (cap > std::numeric_limits<std::size_t>::max() / sizeof(Entry)) throw std::bad_alloc();
  std::unique_ptr<Entry, AlignedFree> bigger(static_cast<Entry*>(::operator new(cap * sizeof(Entry), kLine)));
  advise_huge_pages(bigger.get(), cap * sizeof(Entry));  // before the pages are first touched
  // The old array is full (push grows only then); the new part is not touched until used, so
  // memory is committed as the heap fills, not by capacity.
  if (heap_cap_ != 0) std::memcpy(bigger.get(), heap_.get(), heap_cap_ * sizeof(Entry));
  heap_ = std::move(bigger);
  heap_cap_ = cap;
}

void Simulation::push(Entry e) {
  if (kRoot + size_ + 1 > heap_cap_) grow_heap();
  Entry* h = heap_.get();
  std::size_t p = kRoot + size_;
  ++size_;
  // Opening a new child group: its other three positions become sentinels.
  if ((p & 3) == 0) std::memset(static_cast<void*>(h + p + 1), 0xFF, 3 * sizeof(Entry));
  sift_up(h, kRoot, p, e);
}

// Places `e` in the hole at the root (size_ counts it already). Walks byte offsets so that each
// level is a handful of instructions: the child group of the entry at offset o is at 4 * o - 128.
void Simulation::sift_from_root(Entry e) { sift_down(heap_.get(), kRoot, kRoot + size_, e, size_ > kPrefetchFrom); }

void Simulation::pop_top() {
  Entry* h = heap_.get();
  --size_;
  const std::size_t last = kRoot + size_;
  const Entry e = h[last];
  std::memset(static_cast<void*>(h + last), 0xFF, sizeof(Entry));
  if (size_ != 0) sift_from_root(e);
}

// Precondition: settled (no dispatched entry left at the top).
void Simulation::drop_cancelled_top() {
  while (size_ != 0) {
    const std::uint32_t s = ord_slot(heap_.get()[kRoot].ord);
    if (slots_[s].handler != kCancelled) return;
    free_slot(s);
    --cancelled_;
    pop_top();
  }
}

void Simulation::compact() {
  settle();
  Entry* h = heap_.get();
  const std::size_t end = kRoot + size_;
  std::size_t out = kRoot;
  for (std::size_t p = kRoot; p < end; ++p) {
    if (slots_[ord_slot(h[p].ord)].handler == kCancelled) {
      free_slot(ord_slot(h[p].ord));
    } else {
      h[out++] = h[p];
    }
  }
  std::memset(static_cast<void*>(h + out), 0xFF, (end - out) * sizeof(Entry));
  size_ = out - kRoot;
  cancelled_ = 0;
  if (size_ < 2) return;
  // Rebuild bottom-up (Floyd): sift every internal node down, the last one first.
  for (std::size_t k = parent_of(out - 1) + 1; k-- > kRoot;) sift_down(h, k, out, h[k], false);
}

// The sequence counter is 32 bits: when it is exhausted, pending entries are renumbered 0..n-1 in
// their current total order, which preserves every future comparison. Handles are unaffected.
// Precondition: settled.
void Simulation::renumber() {
  Entry* h = heap_.get() + kRoot;
  std::sort(h, h + size_, [](const Entry& x, const Entry& y) { return before(x, y); });  // sorted = a heap
  for (std::size_t i = 0; i < size_; ++i) h[i].ord = (static_cast<std::uint64_t>(i) << 32) | ord_slot(h[i].ord);
  next_seq_ = static_cast<std::uint32_t>(size_);
}

SimTime Simulation::next_time() {
  settle();
  drop_cancelled_top();
  return size_ == 0 ? SimTime::max() : key_time(heap_.get()[kRoot].key);
}

// Precondition: settled, the top pending and not cancelled. Leaves the top's entry in place
// (top_done_): the handler's first schedule_at() overwrites it, or settle() removes it.
void Simulation::dispatch_top() {
  if (dispatched_ >= event_limit_) [[unlikely]]
    throw LimitExceeded("stopped at " + format_sim_time(now_) + " after " + std::to_string(dispatched_) +
                        " events, the event limit (a runaway scenario, or raise the limit)");
  const Entry* h = heap_.get();
  const Entry top = h[kRoot];
  const std::uint32_t s = ord_slot(top.ord);
  Slot& sl = slots_[s];
  Event ev;
  ev.time = key_time(top.key);
  ev.handler = sl.handler;
  ev.tag = sl.tag;
  ev.arg = sl.arg;
  ev.id = EventId{s, sl.generation};
  free_slot(s);
  top_done_ = true;
  --live_;
  now_ = ev.time;
  ++dispatched_;
  if (size_ > kPrefetchFrom) {
    // The next event is most likely the root's smallest child: fetch its payload meanwhile.
    __builtin_prefetch(&slots_[ord_slot(h[min_of_group(h, first_child(kRoot))].ord)], 1);
  }
  if (!engine_observers_.empty()) {
    for (EngineObserver* o : engine_observers_) o->on_dispatch(*this, ev);
  }
  handlers_[ev.handler]->handle(*this, ev);
}

bool Simulation::step() {
  settle();
  drop_cancelled_top();
  if (size_ == 0) return false;
  dispatch_top();
  return true;
}

void Simulation::run_until(SimTime until) {
  stop_requested_ = false;
  for (;;) {
    settle();
    if (cancelled_ != 0) drop_cancelled_top();
    if (size_ == 0 || key_time(heap_.get()[kRoot].key) > until) break;
    dispatch_top();
    if (stop_requested_) return;
  }
  if (until > now_) now_ = until;
}

void Simulation::run() {
  stop_requested_ = false;
  for (;;) {
    settle();
    if (cancelled_ != 0) drop_cancelled_top();
    if (size_ == 0) return;
    dispatch_top();
    if (stop_requested_) return;
  }
}

}  // namespace cyberdrill
