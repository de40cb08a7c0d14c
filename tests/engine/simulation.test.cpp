#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <thread>
#include <tuple>
#include <vector>

#include "cyberdrill/engine.hpp"
#include "cyberdrill/random.hpp"

using namespace cyberdrill;
using namespace cyberdrill::literals;

namespace {

// Records (time, tag, arg) of every event it handles.
struct Log final : EventHandler {
  std::vector<std::tuple<std::int64_t, std::uint16_t, std::uint64_t>> seen;
  void handle(Simulation& sim, const Event& ev) override {
    CHECK(sim.now() == ev.time);
    seen.emplace_back(ev.time.us(), ev.tag, ev.arg);
  }
};

// Invariant observer: time never goes backwards, and (time, priority, seq) order holds.
struct Monotone final : EngineObserver {
  SimTime last;
  std::uint64_t count = 0;
  bool ok = true;
  void on_dispatch(const Simulation&, const Event& ev) override {
    if (ev.time < last) ok = false;
    last = ev.time;
    ++count;
  }
};

}  // namespace

TEST_CASE("events run in time order, then priority, then FIFO") {
  Simulation sim;
  Log log;
  const HandlerId h = sim.add_handler(log);
  sim.schedule_at(SimTime::zero() + 5_s, h, 1);
  sim.schedule_at(SimTime::zero() + 1_s, h, 2);
  sim.schedule_at(SimTime::zero() + 5_s, h, 3, 0, Priority::world);   // earlier priority at 5 s
  sim.schedule_at(SimTime::zero() + 5_s, h, 4);                       // FIFO after tag 1
  sim.schedule_at(SimTime::zero() + 5_s, h, 5, 0, Priority::last);
  sim.run();
  std::vector<std::uint16_t> tags;
  for (auto& [t, tag, a] : log.seen) tags.push_back(tag);
  CHECK(tags == std::vector<std::uint16_t>{2, 3, 1, 4, 5});
  CHECK(sim.now() == SimTime::zero() + 5_s);
}

TEST_CASE("many events at the same time keep insertion order") {
  Simulation sim;
  Log log;
  const HandlerId h = sim.add_handler(log);
  for (std::uint64_t i = 0; i < 10000; ++i) sim.schedule_at(SimTime::zero() + 1_h, h, 0, i);
  sim.run();
  REQUIRE(log.seen.size() == 10000);
  for (std::uint64_t i = 0; i < 10000; ++i) CHECK(std::get<2>(log.seen[i]) == i);
}

TEST_CASE("cancel removes a pending event, is O(1) and safe on stale ids") {
  Simulation sim;
  Log log;
  const HandlerId h = sim.add_handler(log);
  const EventId a = sim.schedule_in(1_s, h, 1);
  const EventId b = sim.schedule_in(2_s, h, 2);
  CHECK(sim.pending() == 2);
  CHECK(sim.is_pending(a));
  CHECK(sim.cancel(a));
  CHECK_FALSE(sim.cancel(a));  // already cancelled
  CHECK_FALSE(sim.is_pending(a));
  CHECK(sim.pending() == 1);
  // The freed slot is reused; the old id must not cancel the new event.
  sim.run();
  const EventId c = sim.schedule_in(1_s, h, 3);
  CHECK_FALSE(sim.cancel(a));
  CHECK_FALSE(sim.cancel(b));  // already ran
  CHECK(sim.is_pending(c));
  CHECK_FALSE(sim.cancel(EventId{}));
  sim.run();
  REQUIRE(log.seen.size() == 2);
  CHECK(std::get<1>(log.seen[0]) == 2);
  CHECK(std::get<1>(log.seen[1]) == 3);
}

TEST_CASE("mass cancellation compacts the heap and keeps the order of survivors") {
  Simulation sim;
  Log log;
  const HandlerId h = sim.add_handler(log);
  RandomStream rng(3);
  std::vector<EventId> ids;
  std::vector<std::pair<std::int64_t, std::uint64_t>> expect;
  for (std::uint64_t i = 0; i < 20000; ++i) {
    const auto t = static_cast<std::int64_t>(rng.below(1000));
    ids.push_back(sim.schedule_at(SimTime::from_us(t), h, 0, i));
    expect.emplace_back(t, i);
  }
  std::vector<std::pair<std::int64_t, std::uint64_t>> kept;
  for (std::uint64_t i = 0; i < 20000; ++i) {
    if (i % 10 != 0) CHECK(sim.cancel(ids[i]));
    else kept.push_back(expect[i]);
  }
  CHECK(sim.pending() == 2000);
  std::stable_sort(kept.begin(), kept.end(), [](auto& x, auto& y) { return x.first < y.first; });
  sim.run();
  REQUIRE(log.seen.size() == kept.size());
  for (std::size_t i = 0; i < kept.size(); ++i) {
    CHECK(std::get<0>(log.seen[i]) == kept[i].first);
    CHECK(std::get<2>(log.seen[i]) == kept[i].second);
  }
}

TEST_CASE("run_until includes events at the boundary and advances the clock") {
  Simulation sim;
  Log log;
  const HandlerId h = sim.add_handler(log);
  sim.schedule_at(SimTime::zero() + 10_s, h, 1);
  sim.schedule_at(SimTime::zero() + 10_s + 1_us, h, 2);
  sim.run_until(SimTime::zero() + 10_s);
  CHECK(log.seen.size() == 1);
  CHECK(sim.now() == SimTime::zero() + 10_s);
  sim.run_until(SimTime::zero() + 1_h);
  CHECK(log.seen.size() == 2);
  CHECK(sim.now() == SimTime::zero() + 1_h);  // clock moves to the boundary with nothing pending
  CHECK(sim.next_time() == SimTime::max());
  CHECK_FALSE(sim.step());
}

TEST_CASE("scheduling in the past is a programmer error") {
  Simulation sim;
  Log log;
  const HandlerId h = sim.add_handler(log);
  sim.run_until(SimTime::zero() + 1_h);
  CHECK_THROWS_AS(sim.schedule_at(SimTime::zero() + 1_s, h), std::logic_error);
  CHECK_THROWS_AS(sim.schedule_in(-(1_s), h), std::logic_error);
}

namespace {

// A random self-scheduling model: each event schedules 0-2 more at random delays, and sometimes
// cancels a pending one. Watched by the Monotone observer.
struct Chaos final : EventHandler {
  RandomStream rng;
  HandlerId self = 0;
  std::vector<EventId> ids;
  std::uint64_t budget;
  Fingerprint* fp;
  Chaos(std::uint64_t seed, std::uint64_t n, Fingerprint& f) : rng(seed, "chaos", "model"), budget(n), fp(&f) {}
  void handle(Simulation& sim, const Event& ev) override {
    TraceRecord r;
    r.subject = ev.tag;
    r.detail = static_cast<std::uint32_t>(ev.arg);
    sim.emit(r);
    const auto k = 1 + rng.below(2);  // supercritical until the budget runs out
    for (std::uint64_t i = 0; i < k && budget > 0; ++i, --budget) {
      const auto d = Duration::from_us(static_cast<std::int64_t>(rng.below(5)) * 1000);  // many ties
      ids.push_back(sim.schedule_in(d, self, static_cast<std::uint16_t>(rng.below(4)), budget,
                                    static_cast<std::int8_t>(static_cast<int>(rng.below(3)) - 1)));
    }
    if (!ids.empty() && rng.bernoulli(0.2)) sim.cancel(ids[rng.below(ids.size())]);
  }
};

std::uint64_t chaos_run(std::uint64_t seed, Monotone* mono = nullptr) {
  Simulation sim;
  Fingerprint fp;
  Chaos model(seed, 200000, fp);
  model.self = sim.add_handler(model);
  sim.add_trace_observer(fp);
  if (mono) sim.add_engine_observer(*mono);
  for (int i = 0; i < 50; ++i) sim.schedule_at(SimTime::zero(), model.self, 0, static_cast<std::uint64_t>(i));
  sim.run();
  return fp.value();
}

}  // namespace

TEST_CASE("random schedules never move time backwards") {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    Monotone mono;
    (void)chaos_run(seed, &mono);
    CHECK(mono.ok);
    CHECK(mono.count > 1000);
  }
}

TEST_CASE("determinism: same seed, same fingerprint, other seed, other fingerprint") {
  const std::uint64_t a = chaos_run(7);
  CHECK(chaos_run(7) == a);
  CHECK(chaos_run(8) != a);
}

TEST_CASE("two simulations in two threads equal the same two run one after the other") {
  const std::uint64_t s1 = chaos_run(21), s2 = chaos_run(22);
  std::uint64_t t1 = 0, t2 = 0;
  std::thread a([&] { t1 = chaos_run(21); });
  std::thread b([&] { t2 = chaos_run(22); });
  a.join();
  b.join();
  CHECK(t1 == s1);
  CHECK(t2 == s2);
}

TEST_CASE("stop() ends the run after the current event") {
  struct Stopper final : EventHandler {
    int n = 0;
    void handle(Simulation& sim, const Event&) override {
      if (++n == 3) sim.stop();
    }
  } stopper;
  Simulation sim;
  const HandlerId h = sim.add_handler(stopper);
  for (int i = 0; i < 10; ++i) sim.schedule_in(Duration::seconds(i), h);
  sim.run();
  CHECK(stopper.n == 3);
  CHECK(sim.pending() == 7);
  sim.run();
  CHECK(stopper.n == 10);
}

namespace {

// A reference pending set: a sorted set of (time, priority, sequence) with the payload, against
// which the engine's dispatch order is checked event by event.
struct Reference {
  struct Item {
    std::int64_t time;
    int priority;
    std::uint64_t seq;
    std::uint64_t arg;
    friend bool operator<(const Item& x, const Item& y) {
      return std::tie(x.time, x.priority, x.seq) < std::tie(y.time, y.priority, y.seq);
    }
  };
  std::set<Item> pending;
  std::uint64_t next_seq = 0;
};

// Schedules from inside its handler (0-3 events, many ties), cancels, asks next_time() and
// pending() mid-handler, and checks each dispatched event is the reference's smallest.
struct Mirror final : EventHandler {
  RandomStream rng;
  HandlerId self = 0;
  Reference ref;
  std::vector<std::pair<EventId, Reference::Item>> ids;
  std::uint64_t budget;
  std::uint64_t seen = 0;
  bool ok = true;
  bool wide = false;  // delays from a wide mix (large pending sets: the engine's calendar)
  Mirror(std::uint64_t seed, std::uint64_t n) : rng(seed, "mirror", "model"), budget(n) {}

  // Narrow: 0, 1 or 2 ms (many ties). Wide: a mix of same-time, tied, exponential (mean 1 s),
  // short uniform and far-future (up to 3 days) delays.
  Duration delay() {
    if (!wide) return Duration::from_us(static_cast<std::int64_t>(rng.below(3)) * 1000);
    const std::uint64_t k = rng.below(20);
    if (k < 3) return Duration::from_us(0);
    if (k < 6) return Duration::from_us(static_cast<std::int64_t>(rng.below(3)) * 1000);
    if (k < 14) return Duration::from_us(static_cast<std::int64_t>(-std::log(rng.uniform01_open_low()) * 1e6));
    if (k < 18) return Duration::from_us(static_cast<std::int64_t>(rng.below(100000)));
    return Duration::from_us(static_cast<std::int64_t>(rng.below(std::uint64_t{3} * 86400 * 1000000)));
  }

  void schedule(Simulation& sim, Duration d, int priority) {
    const std::uint64_t arg = ref.next_seq;
    const Reference::Item it{(sim.now() + d).us(), priority, ref.next_seq++, arg};
    ids.emplace_back(sim.schedule_in(d, self, 0, arg, static_cast<std::int8_t>(priority)), it);
    ref.pending.insert(it);
  }
  void handle(Simulation& sim, const Event& ev) override {
    ++seen;
    if (ref.pending.empty() || ref.pending.begin()->arg != ev.arg || ref.pending.begin()->time != ev.time.us()) {
      ok = false;
      return;
    }
    ref.pending.erase(ref.pending.begin());
    if (sim.is_pending(ev.id)) ok = false;  // the running event is no longer pending
    const auto k = rng.below(4);
    for (std::uint64_t i = 0; i < k && budget > 0; ++i, --budget) schedule(sim, delay(), static_cast<int>(rng.below(3)) - 1);
    if (!ids.empty() && rng.bernoulli(0.3)) {
      const auto& [id, item] = ids[rng.below(ids.size())];
      const bool was = ref.pending.erase(item) > 0;
      if (sim.cancel(id) != was) ok = false;
    }
    if (rng.bernoulli(0.1)) {
      const SimTime next = sim.next_time();
      if (next != (ref.pending.empty() ? SimTime::max() : SimTime::from_us(ref.pending.begin()->time))) ok = false;
    }
    if (sim.pending() != ref.pending.size()) ok = false;
  }
};

}  // namespace

TEST_CASE("dispatch order equals a reference ordered set under in-handler schedules, cancels and queries") {
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    CAPTURE(seed);
    Simulation sim;
    Mirror m(seed, 60000);
    m.self = sim.add_handler(m);
    for (int i = 0; i < 40; ++i) m.schedule(sim, Duration::from_us(i % 3), i % 2);
    // Alternate the run-loop entry points: step(), run_until() and run().
    for (int i = 0; i < 500 && sim.step(); ++i) {
    }
    sim.run_until(sim.now() + Duration::seconds(2));
    sim.run();
    CHECK(m.ok);
    CHECK(m.ref.pending.empty());
    CHECK(sim.pending() == 0);
    CHECK(m.seen > 10000);
    CHECK(m.seen == sim.dispatched());
  }
}

TEST_CASE("a handler that cancels and reschedules itself, and stop() inside a handler, keep the order") {
  // After stop() the dispatched event's entry may still sit in the queue internally: the next
  // schedule and run must behave as if it were gone.
  struct Once final : EventHandler {
    std::vector<std::uint64_t> order;
    void handle(Simulation& sim, const Event& ev) override {
      order.push_back(ev.arg);
      CHECK_FALSE(sim.cancel(ev.id));  // already dispatched
      if (ev.arg == 1) sim.stop();
    }
  } once;
  Simulation sim;
  const HandlerId h = sim.add_handler(once);
  sim.schedule_in(Duration::seconds(1), h, 0, 1);
  sim.schedule_in(Duration::seconds(3), h, 0, 3);
  sim.run();
  REQUIRE(once.order == std::vector<std::uint64_t>{1});
  CHECK(sim.next_time() == SimTime::zero() + Duration::seconds(3));
  sim.schedule_in(Duration::seconds(1), h, 0, 2);  // at 2 s, before the event at 3 s
  CHECK(sim.pending() == 2);
  sim.run();
  CHECK(once.order == std::vector<std::uint64_t>{1, 2, 3});
}

TEST_CASE("large pending sets (the calendar) dispatch in the reference order under schedules, cancels and queries") {
  // 60,000 initial events (above the engine's calendar threshold of 32,768), then about one new
  // event per event with a wide mix of delays, cancels and next_time() queries, until the set
  // drains (back below the threshold: the calendar returns to the heap).
  for (std::uint64_t seed = 1; seed <= 2; ++seed) {
    CAPTURE(seed);
    Simulation sim;
    Mirror m(seed, 150000);
    m.wide = true;
    m.self = sim.add_handler(m);
    RandomStream init(seed, "mirror", "init");
    for (int i = 0; i < 60000; ++i)
      m.schedule(sim, Duration::from_us(static_cast<std::int64_t>(init.below(2000000))), static_cast<int>(init.below(3)) - 1);
    for (int i = 0; i < 20000 && sim.step(); ++i) {
    }
    sim.run_until(sim.now() + Duration::seconds(1));
    CHECK(sim.pending() > 32768);
    sim.run();
    CHECK(m.ok);
    CHECK(m.ref.pending.empty());
    CHECK(sim.pending() == 0);
    CHECK(m.seen == sim.dispatched());
    CHECK(m.seen > 150000);
    // The emptied engine takes new events as before.
    m.schedule(sim, Duration::from_us(5), 0);
    sim.run();
    CHECK(m.ok);
    CHECK(sim.pending() == 0);
  }
}

TEST_CASE("mass cancellation in a large pending set keeps the order of survivors") {
  Simulation sim;
  Log log;
  const HandlerId h = sim.add_handler(log);
  RandomStream rng(5);
  std::vector<EventId> ids;
  std::vector<std::pair<std::int64_t, std::uint64_t>> expect;
  for (std::uint64_t i = 0; i < 100000; ++i) {
    // Spread over 10 s with ties, plus a few far-future events.
    const auto t = i % 97 == 0 ? static_cast<std::int64_t>(rng.below(std::uint64_t{1} << 40))
                               : static_cast<std::int64_t>(rng.below(10000) * 1000);
    ids.push_back(sim.schedule_at(SimTime::from_us(t), h, 0, i));
    expect.emplace_back(t, i);
  }
  // Run a little (the calendar is in use), then cancel 90 % of what is left.
  for (int i = 0; i < 1000; ++i) REQUIRE(sim.step());
  std::vector<std::pair<std::int64_t, std::uint64_t>> order(expect);
  std::stable_sort(order.begin(), order.end(), [](auto& x, auto& y) { return x.first < y.first; });
  std::vector<std::pair<std::int64_t, std::uint64_t>> kept(order.begin(), order.begin() + 1000);
  std::vector<bool> ran(expect.size(), false);
  for (int i = 0; i < 1000; ++i) ran[order[static_cast<std::size_t>(i)].second] = true;
  for (std::uint64_t i = 0; i < expect.size(); ++i) {
    if (ran[i]) {
      CHECK_FALSE(sim.cancel(ids[i]));
    } else if (i % 10 != 0) {
      CHECK(sim.cancel(ids[i]));
    }
  }
  for (const auto& e : order)
    if (!ran[e.second] && e.second % 10 == 0) kept.push_back(e);
  CHECK(sim.pending() == kept.size() - 1000);
  sim.run();
  REQUIRE(log.seen.size() == kept.size());
  for (std::size_t i = 0; i < kept.size(); ++i) {
    CHECK(std::get<0>(log.seen[i]) == kept[i].first);
    CHECK(std::get<2>(log.seen[i]) == kept[i].second);
  }
}
