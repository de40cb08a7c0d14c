#include <doctest/doctest.h>

#include "cyberdrill/engine.hpp"
#include "cyberdrill/trace.hpp"

using namespace cyberdrill;

TEST_CASE("fingerprint covers every field and the order of records") {
  TraceRecord a;
  a.kind = RecordKind::asset_level;
  a.subject = 3;
  a.value = 0.5;
  TraceRecord b = a;
  b.value = 0.25;
  const std::uint64_t ab = fingerprint({a, b});
  CHECK(ab == fingerprint({a, b}));
  CHECK(ab != fingerprint({b, a}));
  CHECK(ab != fingerprint({a}));
  TraceRecord c = a;
  c.cause_kind = CauseKind::asset;
  CHECK(fingerprint({c}) != fingerprint({a}));
  TraceRecord d = a;
  d.time = SimTime::from_us(1);
  CHECK(fingerprint({d}) != fingerprint({a}));
  TraceRecord e = a;
  e.previous_value = 1.0;
  CHECK(fingerprint({e}) != fingerprint({a}));
  TraceRecord f = a;
  f.duration = Duration::seconds(1);
  CHECK(fingerprint({f}) != fingerprint({a}));
}

TEST_CASE("emit stamps records with the simulation time and reaches every observer") {
  struct Emitter final : EventHandler {
    void handle(Simulation& sim, const Event& ev) override {
      TraceRecord r;
      r.subject = static_cast<std::uint32_t>(ev.arg);
      sim.emit(r);
    }
  } emitter;
  Simulation sim;
  TraceRecorder rec;
  Fingerprint fp;
  sim.add_trace_observer(rec);
  sim.add_trace_observer(fp);
  const HandlerId h = sim.add_handler(emitter);
  sim.schedule_at(SimTime::from_us(7), h, 0, 1);
  sim.schedule_at(SimTime::from_us(9), h, 0, 2);
  sim.run();
  REQUIRE(rec.records().size() == 2);
  CHECK(rec.records()[0].time == SimTime::from_us(7));
  CHECK(rec.records()[1].subject == 2);
  CHECK(fp.value() == fingerprint(rec.records()));
  CHECK(fp.count() == 2);
}
