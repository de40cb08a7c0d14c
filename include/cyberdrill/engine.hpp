// The discrete-event engine: a clock, a pending-event set and a run loop. Knows nothing of cyber.
//
// Total event order (the determinism contract)
//   Events are dispatched in increasing (time, priority, insertion sequence):
//     1. earlier time first;
//     2. at equal time, lower priority value first (Priority::first = -128 ... last = 127);
//     3. at equal time and priority, the event scheduled first is dispatched first (FIFO).
//   The sequence is a per-simulation counter, so the order is a pure function of the calls made on
//   this Simulation: a run is a pure function of (scenario, seed, decision journal).
//
// Events are small plain structs (handler, tag, one 64-bit argument). The pending set is a 4-ary
// min-heap of 16-byte entries (key and slot index; child groups fill one 64-byte line) plus a slot
// table holding the payload; above 32,768 pending events the heap holds only the current time
// bucket of a two-level calendar (simulation.cpp), same order. Dispatch is one virtual call on the
// handler registered for the event's handler id. Tables grow geometrically. The dispatched event's
// heap entry is removed lazily: when its handler schedules an event, that event replaces it in one
// sift (the common "handle one, schedule one" step costs one heap operation, not two).
//
// Cancellation is O(1): cancel() marks the event's slot; the heap entry is discarded when it
// reaches the top (lazy deletion), and the heap is compacted when cancelled entries outnumber live
// ones. A stale EventId (the event ran or was cancelled) is detected by a generation counter.
//
// There is no global simulator: every model receives the Simulation& it runs in, so independent
// simulations run side by side in threads. A Simulation is not itself thread-safe.
//
// Limits: times are in [0, 2^55) microseconds (about 1,141 years); schedule_at() before now()
// throws std::logic_error (a programmer error: models compute times from validated data).
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <stdexcept>
#include <vector>

#include "cyberdrill/time.hpp"
#include "cyberdrill/trace_record.hpp"

namespace cyberdrill {

class Simulation;

/// A cap set on a run was reached (Simulation::set_event_limit, RunOptions::max_events /
/// max_sim_time): the run stops with this instead of eating memory or time. Bad input for the CLI
/// (exit 2); what() says which cap and where the run was.
class LimitExceeded : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Index of a registered EventHandler.
using HandlerId = std::uint16_t;

/// Tie-break at equal time: lower values run first. Models name their levels from these.
struct Priority {
  static constexpr std::int8_t first = -128;
  static constexpr std::int8_t world = -64;      ///< ground-truth state changes (assets, attacker)
  static constexpr std::int8_t normal = 0;
  static constexpr std::int8_t knowledge = 32;   ///< what organisations learn, after the truth settled
  static constexpr std::int8_t last = 127;
};

/// Handle of a scheduled event; stays valid (and cancel() safe) after the event ran.
struct EventId {
  std::uint32_t slot = std::numeric_limits<std::uint32_t>::max();
  std::uint32_t generation = 0;
  [[nodiscard]] bool is_null() const { return slot == std::numeric_limits<std::uint32_t>::max(); }
  friend bool operator==(const EventId&, const EventId&) = default;
};

/// What a handler receives. `tag` and `arg` are the handler's own (e.g. tag = what to do,
/// arg = which asset); pack two 32-bit values with pack_arg().
struct Event {
  SimTime time;
  HandlerId handler = 0;
  std::uint16_t tag = 0;
  std::uint64_t arg = 0;
  EventId id;
};

[[nodiscard]] constexpr std::uint64_t pack_arg(std::uint32_t hi, std::uint32_t lo) {
  return (static_cast<std::uint64_t>(hi) << 32) | lo;
}
[[nodiscard]] constexpr std::uint32_t arg_hi(std::uint64_t a) { return static_cast<std::uint32_t>(a >> 32); }
[[nodiscard]] constexpr std::uint32_t arg_lo(std::uint64_t a) { return static_cast<std::uint32_t>(a); }

/// A model (or test) that handles events. Called only from Simulation's run loop.
class EventHandler {
 public:
  virtual ~EventHandler() = default;
  virtual void handle(Simulation& sim, const Event& ev) = 0;
};

/// Watches the run loop (tests use it to check invariants). Called before each dispatch.
class EngineObserver {
 public:
  virtual ~EngineObserver() = default;
  virtual void on_dispatch(const Simulation& sim, const Event& ev) = 0;
};

class Simulation {
 public:
  Simulation() = default;
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  /// Registers a handler; the handler must outlive the simulation's run.
  [[nodiscard]] HandlerId add_handler(EventHandler& h);
  /// Observers of the run loop and of trace records; they must outlive the run.
  void add_engine_observer(EngineObserver& o) { engine_observers_.push_back(&o); }
  void add_trace_observer(TraceObserver& o) { trace_observers_.push_back(&o); }

  /// Schedules an event at absolute time `at` (>= now()).
  EventId schedule_at(SimTime at, HandlerId handler, std::uint16_t tag = 0, std::uint64_t arg = 0,
                      std::int8_t priority = Priority::normal);
  /// Schedules an event `delay` (>= 0) after now().
  EventId schedule_in(Duration delay, HandlerId handler, std::uint16_t tag = 0, std::uint64_t arg = 0,
                      std::int8_t priority = Priority::normal) {
    return schedule_at(now_ + delay, handler, tag, arg, priority);
  }
  /// Cancels a pending event. Returns true if it was pending; false for a null, stale (already
  /// dispatched or cancelled) id. O(1).
  bool cancel(EventId id);
  [[nodiscard]] bool is_pending(EventId id) const;

  /// Emits a trace record (stamped with now()) to every trace observer.
  void emit(TraceRecord rec) {
    rec.time = now_;
    for (TraceObserver* o : trace_observers_) o->on_record(rec);
  }

  [[nodiscard]] SimTime now() const { return now_; }
  /// Events scheduled and not yet dispatched or cancelled.
  [[nodiscard]] std::size_t pending() const { return live_; }
  [[nodiscard]] std::uint64_t dispatched() const { return dispatched_; }
  /// Time of the next pending event, or SimTime::max() when none.
  [[nodiscard]] SimTime next_time();

  /// Dispatches the next event. Returns false (and does nothing) when none is pending.
  bool step();
  /// Dispatches every event with time <= until, then sets now() to `until` (if later).
  /// Stops early if stop() is called; then now() is the time of the last dispatched event.
  void run_until(SimTime until);
  /// Dispatches events until none is pending or stop() is called.
  void run();
  /// Asks the running loop to return after the current event.
  void stop() { stop_requested_ = true; }
  /// Most events this simulation dispatches: dispatching one more throws LimitExceeded before
  /// the event runs (state stays consistent). 0 = no limit (the default).
  void set_event_limit(std::uint64_t limit) { event_limit_ = limit == 0 ? std::numeric_limits<std::uint64_t>::max() : limit; }
  [[nodiscard]] std::uint64_t event_limit() const { return event_limit_; }

 private:
  // Heap entry, ordered as the 128-bit number (key, ord): key = time << 8 | (priority + 128),
  // ord = insertion sequence << 32 | slot. Sequences are unique, so the order is total.
  struct Entry {
    std::uint64_t ord;
    std::uint64_t key;
  };
  // Slot: the event's payload and the generation its EventId must match.
  struct Slot {
    std::uint16_t handler;   // kFree / kCancelled, or a handler id
    std::uint16_t tag;
    std::uint32_t generation;
    std::uint64_t arg;       // payload, or the next free slot when free
  };
  struct AlignedFree {
    void operator()(Entry* p) const;
  };
  static constexpr std::uint16_t kCancelled = 0xFFFF;
  static constexpr std::uint16_t kFree = 0xFFFE;
  static constexpr std::uint32_t kNoSlot = std::numeric_limits<std::uint32_t>::max();

  std::uint32_t alloc_slot();
  std::uint32_t append_slot();
  void free_slot(std::uint32_t s);
  void push(Entry e);
  void grow_heap();
  void sift_from_root(Entry e);
  void pop_top();
  void settle() {
    if (top_done_) {
      top_done_ = false;
      pop_top();
    }
  }
  void drop_cancelled_top();
  void compact();
  void renumber();
  void dispatch_top();

  // Calendar (large pending sets, see simulation.cpp): events whose bucket (key >> shift_) is
  // later than cur_ wait in a fine and a coarse ring of time buckets or, beyond them, in a far
  // heap; the heap above holds only the buckets up to cur_. Heap mode (few events): cur_ = kHeapMode.
  struct Bucket {
    std::uint32_t head;    // first block, kNoSlot when the bucket is empty
    std::uint32_t tail;    // last block
    std::uint32_t tail_n;  // entries in the last block
    std::uint32_t count;   // entries in the bucket
  };
  static constexpr std::uint64_t kHeapMode = std::numeric_limits<std::uint64_t>::max();
  static constexpr std::size_t kCalendarFrom = std::size_t{1} << 15;  // pending events
  void insert_later(Entry e);
  [[nodiscard]] bool ensure_top();
  bool refill();
  void migrate_far();
  void split_coarse(std::uint64_t cb);
  void load_bucket(Bucket& b);
  void near_full();
  void rebuild(bool renumber_all);
  void place_in_heap(const Entry* first, std::size_t n);
  void reserve_heap(std::size_t positions);
  std::uint32_t alloc_block();
  void add_chunk();
  Entry* block(std::uint32_t b);
  void append(Bucket& b, Entry e);
  template <class F>
  void drain(Bucket& b, F&& f);

  std::vector<std::unique_ptr<Entry[]>> pool_;  // chunks of blocks of entries
  std::vector<std::uint32_t> block_next_;  // per block: the next block of its bucket, or free list
  std::uint32_t free_block_ = kNoSlot;
  std::uint32_t blocks_used_ = 0;
  std::vector<Bucket> ring_;               // the fine ring
  std::vector<Bucket> coarse_;             // the coarse ring (coarse_size_ buckets)
  std::uint64_t coarse_size_ = 0;
  std::vector<Entry> far_;                 // a min-heap (std::push_heap order reversed)
  std::size_t cal_count_ = 0;              // entries in the two rings
  std::size_t fine_count_ = 0;             // entries in the fine ring
  unsigned shift_ = 0;
  std::uint64_t cur_ = kHeapMode;
  std::size_t switch_at_ = kCalendarFrom;  // heap size at which push() calls near_full()
  std::size_t n_built_ = 0;
  std::uint64_t scheduled_ = 0;
  std::uint64_t scheduled_at_build_ = 0;
  std::uint64_t empty_scans_ = 0;
  std::uint64_t loaded_ = 0;

  // The heap occupies positions [kRoot, kRoot + size_) of a 64-byte-aligned array; the rest of the
  // last group of four holds sentinels greater than any entry (see simulation.cpp).
  std::unique_ptr<Entry, AlignedFree> heap_;
  std::size_t size_ = 0;
  std::size_t heap_cap_ = 0;
  std::vector<Slot> slots_;
  std::vector<EventHandler*> handlers_;
  std::vector<EngineObserver*> engine_observers_;
  std::vector<TraceObserver*> trace_observers_;
  std::uint32_t free_head_ = kNoSlot;
  std::uint32_t next_seq_ = 0;
  std::size_t live_ = 0;
  std::size_t cancelled_ = 0;
  std::uint64_t dispatched_ = 0;
  std::uint64_t event_limit_ = std::numeric_limits<std::uint64_t>::max();
  SimTime now_;
  bool stop_requested_ = false;
  bool top_done_ = false;  // the heap's top is the event being (or last) dispatched: drop it first
};

}  // namespace cyberdrill
