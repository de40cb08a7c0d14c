#include <algorithm>
#include <bit>
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
// Calendar (see below): entries per block of a bucket's list (512 bytes), blocks per allocation,
// the fine bucket's target occupancy, fine buckets per coarse bucket (2^kCoarseBits), coarse
// widths covered by the fine ring, the heap size above which a rebuild is considered, and the
// keys sampled to estimate the width.
constexpr std::uint32_t kBlock = 32;
constexpr std::uint32_t kChunkShift = 11;
constexpr std::uint64_t kPerBucket = 128;
constexpr unsigned kCoarseBits = 6;
constexpr std::uint64_t kCoarseMask = (std::uint64_t{1} << kCoarseBits) - 1;
constexpr std::uint64_t kFineSpan = 2;
constexpr std::uint64_t kFineRing = kFineSpan << kCoarseBits;
constexpr std::uint64_t kFineMask = kFineRing - 1;
constexpr std::size_t kNearMax = 64 * kPerBucket;
constexpr std::size_t kKeySample = 1u << 16;

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

// For std::push_heap / pop_heap: a max-heap under this order keeps the earliest entry in front.
struct Later {
  template <class E>
  bool operator()(const E& x, const E& y) const {
    return before(y, x);
  }
};

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
  ++scheduled_;
  if ((e.key >> shift_) > cur_) {
    insert_later(e);  // a later bucket of the calendar (never in heap mode: cur_ is the maximum)
  } else if (top_done_) {
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
  if (size_ >= switch_at_) [[unlikely]] near_full();
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
  if (cur_ != kHeapMode) {
    rebuild(false);  // drops the cancelled entries of the heap, the ring and the far heap
    return;
  }
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
void Simulation::renumber() { rebuild(true); }

SimTime Simulation::next_time() {
  settle();
  if (!ensure_top()) return SimTime::max();
  return key_time(heap_.get()[kRoot].key);
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
  if (!ensure_top()) return false;
  dispatch_top();
  return true;
}

void Simulation::run_until(SimTime until) {
  stop_requested_ = false;
  for (;;) {
    settle();
    if ((cancelled_ != 0 || size_ == 0) && !ensure_top()) break;
    if (key_time(heap_.get()[kRoot].key) > until) break;
    dispatch_top();
    if (stop_requested_) return;
  }
  if (until > now_) now_ = until;
}

void Simulation::run() {
  stop_requested_ = false;
  for (;;) {
    settle();
    if ((cancelled_ != 0 || size_ == 0) && !ensure_top()) return;
    dispatch_top();
    if (stop_requested_) return;
  }
}

// ---- The calendar -------------------------------------------------------------------------------
//
// Above kCalendarFrom pending events a heap spends its time in cache misses (each pop walks log n
// levels of an array of n entries, the last levels in DRAM). The pending set then becomes a
// two-level calendar. The key space is cut into fine buckets of 2^shift_ keys (about kPerBucket
// events each at the density of the earliest pending events), grouped by 2^kCoarseBits into
// coarse buckets, and
//   - the heap above holds every entry whose fine bucket is <= cur_ (the current bucket): it stays
//     small and in the L1 cache, and every dispatch comes from it;
//   - the fine ring (kFineRing buckets) holds the fine buckets after cur_ up to the end of the next
//     coarse bucket, each an unsorted list of 512-byte blocks (appending is one write);
//   - the coarse ring (coarse_size_ buckets) holds the coarse buckets after those, the same way;
//     when cur_ enters a new coarse bucket, the next coarse bucket is split into the fine ring;
//   - a far heap holds the entries beyond the coarse ring (a small share), moved into the coarse
//     ring as it advances.
// So an insert writes to one of a few hundred bucket tails that stay in the cache whatever the
// pending count, each entry is copied twice more (coarse -> fine -> heap) in sequential passes, and
// when the heap runs empty the next non-empty fine bucket is moved into it and heapified (refill).
// Every entry keeps its full key (time, priority, sequence), and an entry of a later bucket has a
// larger key, so the dispatch order is exactly the heap-only order: the calendar changes speed,
// never the trace. The layout is rebuilt (every entry collected, the width re-estimated from a
// sample of the keys) when the pending count has doubled or fallen to a quarter, when the far heap
// holds over a quarter of the events, when buckets are mostly empty, or when the current bucket is
// far over target; each rebuild is O(n) and needs n/2 schedules since the previous one, so it costs
// O(1) per event amortised. Below kCalendarFrom / 2 pending events it returns to heap mode
// (cur_ = kHeapMode: every key's bucket is <= cur_).

// Blocks live in chunks of 2^kChunkShift blocks (1 MiB), allocated as needed and never moved.
void Simulation::add_chunk() {
  if (block_next_.size() + (std::size_t{1} << kChunkShift) >= kNoSlot)
    throw std::length_error("Simulation: too many pending events");
  const std::size_t entries = (std::size_t{1} << kChunkShift) * kBlock;
  pool_.push_back(std::make_unique_for_overwrite<Entry[]>(entries));
  advise_huge_pages(pool_.back().get(), entries * sizeof(Entry));
  block_next_.resize(block_next_.size() + (std::size_t{1} << kChunkShift));
}

inline Simulation::Entry* Simulation::block(std::uint32_t b) {
  return pool_[b >> kChunkShift].get() + std::size_t{b & ((1u << kChunkShift) - 1)} * kBlock;
}

inline std::uint32_t Simulation::alloc_block() {
  if (free_block_ != kNoSlot) {
    const std::uint32_t b = free_block_;
    free_block_ = block_next_[b];
    return b;
  }
  if (blocks_used_ == block_next_.size()) add_chunk();
  return blocks_used_++;
}

inline void Simulation::append(Bucket& b, Entry e) {
  if (b.head == kNoSlot) {
    b.head = b.tail = alloc_block();
    b.tail_n = 0;
  } else if (b.tail_n == kBlock) {
    const std::uint32_t nb = alloc_block();
    block_next_[b.tail] = nb;
    b.tail = nb;
    b.tail_n = 0;
  }
  block(b.tail)[b.tail_n++] = e;
  ++b.count;
}

// Frees the blocks of bucket `b` after calling f(entry) on each entry, in order; `b` becomes empty.
template <class F>
void Simulation::drain(Bucket& b, F&& f) {
  if (b.head == kNoSlot) return;
  for (std::uint32_t blk = b.head;;) {
    const std::uint32_t m = blk == b.tail ? b.tail_n : kBlock;
    const Entry* src = block(blk);
    for (std::uint32_t i = 0; i < m; ++i) f(src[i]);
    const std::uint32_t next = block_next_[blk];
    block_next_[blk] = free_block_;  // freed only now: f may allocate blocks
    free_block_ = blk;
    if (blk == b.tail) break;
    blk = next;
  }
  b = Bucket{kNoSlot, kNoSlot, 0, 0};
}

void Simulation::insert_later(Entry e) {
  const std::uint64_t fb = e.key >> shift_;
  const std::uint64_t cb = fb >> kCoarseBits;
  const std::uint64_t lo = (cur_ >> kCoarseBits) + kFineSpan;  // the coarse ring's first bucket
  if (cb < lo) [[unlikely]] {
    append(ring_[fb & kFineMask], e);
    ++fine_count_;
    ++cal_count_;
  } else if (cb - lo < coarse_size_) [[likely]] {
    append(coarse_[cb & (coarse_size_ - 1)], e);
    ++cal_count_;
  } else {
    far_.push_back(e);
    std::push_heap(far_.begin(), far_.end(), Later{});
  }
}

// Moves the far heap's entries that the rings now cover into them.
void Simulation::migrate_far() {
  const std::uint64_t end = (cur_ >> kCoarseBits) + kFineSpan + coarse_size_;
  while (!far_.empty() && (far_.front().key >> shift_ >> kCoarseBits) < end) {
    const Entry e = far_.front();
    std::pop_heap(far_.begin(), far_.end(), Later{});
    far_.pop_back();
    insert_later(e);
  }
}

// cur_ entered a new coarse bucket: the coarse bucket `cb` (the last of the fine ring's span now)
// goes into the fine ring.
void Simulation::split_coarse(std::uint64_t cb) {
  Bucket& c = coarse_[cb & (coarse_size_ - 1)];
  fine_count_ += c.count;
  drain(c, [this](const Entry& e) { append(ring_[(e.key >> shift_) & kFineMask], e); });
}

// Precondition: settled. Leaves a pending, not cancelled event at the top of the heap, or returns
// false when no event is pending.
bool Simulation::ensure_top() {
  for (;;) {
    if (cancelled_ != 0) drop_cancelled_top();
    if (size_ != 0) return true;
    if (!refill()) return false;
  }
}

// Precondition: settled, the heap empty. Moves the next non-empty fine bucket into the heap; false
// when the calendar is empty too.
bool Simulation::refill() {
  if (cur_ == kHeapMode) return false;
  for (;;) {
    if (cal_count_ == 0 && far_.empty()) return false;
    const std::size_t n = cal_count_ + far_.size();
    const bool off = n > 2 * n_built_ || n < n_built_ / 4 || far_.size() > n / 4 + 64 ||
                     empty_scans_ > 4 * (loaded_ + kFineRing + coarse_size_);
    if (off && scheduled_ - scheduled_at_build_ >= n_built_ / 2) {
      rebuild(false);
      return size_ != 0;  // a rebuild moves the earliest bucket into the heap
    }
    for (;;) {
      if (fine_count_ == 0) {
        if (cal_count_ == 0) {
          // Both rings empty: jump to just before the far heap's first bucket.
          cur_ = (far_.front().key >> shift_) - 1;
          migrate_far();
        } else if ((cur_ & kCoarseMask) != kCoarseMask) {
          cur_ |= kCoarseMask;  // the fine ring is empty: skip to the next coarse bucket
          ++empty_scans_;
        }
      }
      ++cur_;
      if ((cur_ & kCoarseMask) == 0) {
        split_coarse((cur_ >> kCoarseBits) + kFineSpan - 1);
        migrate_far();
      }
      if (ring_[cur_ & kFineMask].head != kNoSlot) break;
      ++empty_scans_;
    }
    load_bucket(ring_[cur_ & kFineMask]);
    if (size_ != 0) return true;  // else every entry of the bucket was cancelled
  }
}

void Simulation::reserve_heap(std::size_t positions) {
  while (heap_cap_ < positions) grow_heap();
}

// Moves fine bucket `b` (cur_'s) into the empty heap and heapifies it; its cancelled entries are
// freed. The slots of the bucket's events are requested now: they are all dispatched within the
// next kPerBucket or so events, and fetching them together overlaps their misses.
void Simulation::load_bucket(Bucket& b) {
  reserve_heap(kRoot + b.count + 4);
  Entry* h = heap_.get();
  std::size_t out = kRoot;
  cal_count_ -= b.count;
  fine_count_ -= b.count;
  loaded_ += b.count;
  drain(b, [&](const Entry& e) {
    const std::uint32_t s = ord_slot(e.ord);
    if (cancelled_ != 0 && slots_[s].handler == kCancelled) {
      free_slot(s);
      --cancelled_;
      return;
    }
    __builtin_prefetch(&slots_[s], 1);
    h[out++] = e;
  });
  size_ = out - kRoot;
  std::memset(static_cast<void*>(h + out), 0xFF, (((out + 3) & ~std::size_t{3}) - out) * sizeof(Entry));
  if (size_ >= 2) {
    for (std::size_t k = parent_of(out - 1) + 1; k-- > kRoot;) sift_down(h, k, out, h[k], false);
  }
  if (size_ >= switch_at_) near_full();
}

// Puts n entries into the (empty) heap.
void Simulation::place_in_heap(const Entry* first, std::size_t n) {
  reserve_heap(kRoot + n + 4);
  Entry* h = heap_.get();
  if (n != 0) std::memcpy(static_cast<void*>(h + kRoot), first, n * sizeof(Entry));
  const std::size_t out = kRoot + n;
  size_ = n;
  std::memset(static_cast<void*>(h + out), 0xFF, (((out + 3) & ~std::size_t{3}) - out) * sizeof(Entry));
  if (n >= 2) {
    for (std::size_t k = parent_of(out - 1) + 1; k-- > kRoot;) sift_down(h, k, out, h[k], n > kPrefetchFrom);
  }
}

// The heap reached switch_at_ entries (precondition: settled). In heap mode: switch to the
// calendar. In calendar mode the current bucket is far over target: re-estimate the width if
// enough has happened since the last rebuild, else wait for twice the size.
void Simulation::near_full() {
  if (cur_ == kHeapMode || scheduled_ - scheduled_at_build_ >= n_built_ / 2) {
    rebuild(false);
  } else {
    switch_at_ = 2 * size_;
  }
}

// Collects every pending entry (dropping the cancelled ones; with renumber_all, renumbering the
// sequences 0..n-1 in their total order), then lays them out again: heap mode below the threshold,
// else a calendar whose width and rings are estimated from a sample of the keys. Precondition:
// settled.
void Simulation::rebuild(bool renumber_all) {
  std::vector<Entry> all;
  all.reserve(live_ + cancelled_);
  if (size_ != 0) all.insert(all.end(), heap_.get() + kRoot, heap_.get() + kRoot + size_);
  const auto take = [&all](const Entry& e) { all.push_back(e); };
  for (Bucket& b : ring_) drain(b, take);
  for (Bucket& b : coarse_) drain(b, take);
  all.insert(all.end(), far_.begin(), far_.end());
  if (cancelled_ != 0) {
    std::size_t out = 0;
    for (const Entry& e : all) {
      if (slots_[ord_slot(e.ord)].handler == kCancelled) {
        free_slot(ord_slot(e.ord));
      } else {
        all[out++] = e;
      }
    }
    all.resize(out);
    cancelled_ = 0;
  }
  if (renumber_all) {
    // The sequence counter is 32 bits: renumbering the pending entries 0..n-1 in their current
    // total order preserves every future comparison. Handles are unaffected.
    std::sort(all.begin(), all.end(), [](const Entry& x, const Entry& y) { return before(x, y); });
    for (std::size_t i = 0; i < all.size(); ++i) all[i].ord = (static_cast<std::uint64_t>(i) << 32) | ord_slot(all[i].ord);
    next_seq_ = static_cast<std::uint32_t>(all.size());
  }
  const std::size_t n = all.size();
  far_.clear();
  cal_count_ = 0;
  fine_count_ = 0;
  size_ = 0;
  n_built_ = n;
  scheduled_at_build_ = scheduled_;
  empty_scans_ = 0;
  loaded_ = 0;
  if (n < (cur_ == kHeapMode ? kCalendarFrom : kCalendarFrom / 2)) {
    cur_ = kHeapMode;
    shift_ = 0;
    coarse_size_ = 0;
    free_block_ = kNoSlot;
    blocks_used_ = 0;
    std::vector<Bucket>().swap(ring_);
    std::vector<Bucket>().swap(coarse_);
    std::vector<std::unique_ptr<Entry[]>>().swap(pool_);
    std::vector<std::uint32_t>().swap(block_next_);
    std::vector<Entry>().swap(far_);
    switch_at_ = kCalendarFrom;
    place_in_heap(all.data(), n);
    return;
  }
  // Width: about kPerBucket events a fine bucket at the density of the earliest eighth of the
  // sampled keys. Coarse ring: enough to reach the key of rank 255/256, at most 16 n / (events a
  // coarse bucket).
  const std::size_t stride = std::max<std::size_t>(1, n / kKeySample);
  std::vector<std::uint64_t> keys;
  keys.reserve(n / stride + 1);
  for (std::size_t i = 0; i < n; i += stride) keys.push_back(all[i].key);
  const std::size_t m = keys.size();
  const std::size_t r_hi = m - 1 - m / 256;
  const std::size_t r_lo = m / 8;
  std::nth_element(keys.begin(), keys.begin() + static_cast<std::ptrdiff_t>(r_hi), keys.end());
  const std::uint64_t k_hi = keys[r_hi];
  std::nth_element(keys.begin(), keys.begin() + static_cast<std::ptrdiff_t>(r_lo),
                   keys.begin() + static_cast<std::ptrdiff_t>(r_hi));
  const std::uint64_t k_lo = keys[r_lo];
  std::uint64_t k_min = *std::min_element(keys.begin(), keys.begin() + static_cast<std::ptrdiff_t>(r_lo) + 1);
  for (const Entry& e : all) k_min = std::min(k_min, e.key);  // the sample may miss the minimum
  const std::uint64_t width =
      std::max<std::uint64_t>(1, (k_lo - k_min) / std::max<std::uint64_t>(1, r_lo * stride / kPerBucket));
  shift_ = static_cast<unsigned>(std::bit_width(width) - 1);
  const std::uint64_t max_coarse = std::bit_ceil(std::max<std::uint64_t>(16, 16 * n / (kPerBucket << kCoarseBits)));
  coarse_size_ = std::bit_ceil(std::clamp<std::uint64_t>(((k_hi - k_min) >> shift_ >> kCoarseBits) + 2, 16, max_coarse));
  ring_.assign(kFineRing, Bucket{kNoSlot, kNoSlot, 0, 0});
  coarse_.assign(coarse_size_, Bucket{kNoSlot, kNoSlot, 0, 0});
  cur_ = k_min >> shift_;
  std::size_t near = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const Entry e = all[i];
    if ((e.key >> shift_) <= cur_) {
      all[near++] = e;
    } else {
      insert_later(e);
    }
  }
  place_in_heap(all.data(), near);
  switch_at_ = std::max(kNearMax, 2 * size_);
}

}  // namespace cyberdrill
