// The run session: run_scenario() advanced piece by piece, live actions, snapshots, and the
// drill journal that makes a drill replayable.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "cli_helpers.hpp"
#include "cyberdrill/drill_journal.hpp"
#include "cyberdrill/run.hpp"
#include "cyberdrill/session.hpp"
#include "run_helpers.hpp"

using namespace cyberdrill;
using namespace cyberdrill::testing;

namespace {

RunOptions quiet(const Scenario& sc) {
  RunOptions o;
  o.seed = sc.metadata.seed;
  o.keep_records = false;
  return o;
}

// A drill on the flagship: the first decision to open is taken with its last option (not the
// default) the moment it opens, the first contingency inject is delivered at T+1h, a note.
struct Drill {
  RunResult result;
  std::vector<DrillAction> actions;
};
Drill flagship_drill(const Scenario& sc) {
  const LiveDecisionPolicy live;
  RunOptions o = quiet(sc);
  o.keep_records = true;
  o.policy = &live;
  RunSession s(sc, o);
  s.advance_to(SimTime::zero() + Duration::hours(1));
  for (Index i = 0; i < sc.injects.size(); ++i)
    if (sc.injects[i].contingency && !s.response().inject_delivered(i)) {
      REQUIRE(s.deliver_inject(i));
      CHECK_FALSE(s.deliver_inject(i));  // once only
      break;
    }
  s.note("first hour done");
  while (s.advance_to_next(false, true, s.end()) == RunSession::Stop::decision) {
    const auto open = s.response().open_decision_info();
    REQUIRE_FALSE(open.empty());
    const Decision& d = sc.decisions[open.back().decision];
    REQUIRE(s.decide(open.back().decision, static_cast<Index>(d.options.size() - 1), "facilitator"));
  }
  Drill out;
  out.actions = s.actions();
  out.result = s.finish();
  return out;
}

}  // namespace

TEST_CASE("session: advanced in pieces, by steps or by jumps, it gives run_scenario's trace") {
  for (const auto& path : shipped_exercises()) {
    CAPTURE(path.string());
    const Scenario sc = load(path);
    const RunResult whole = run_scenario(sc, quiet(sc));
    REQUIRE(whole.record_count > 0);
    {
      RunSession s(sc, quiet(sc));
      const Duration piece = Duration::from_us(sc.metadata.duration.us() / 97 + 1);
      for (SimTime t = SimTime::zero(); t < s.end(); t = t + piece) s.advance_to(t);
      const RunResult r = s.finish();
      CHECK(r.fingerprint == whole.fingerprint);
      CHECK(r.record_count == whole.record_count);
      CHECK(r.events == whole.events);
    }
    {
      RunSession s(sc, quiet(sc));
      std::uint64_t steps = 0;
      while (s.step()) ++steps;
      CHECK(steps > 0);
      CHECK(s.next_event_time() == SimTime::max());
      const RunResult r = s.finish();
      CHECK(r.fingerprint == whole.fingerprint);
      CHECK(r.metrics.values == whole.metrics.values);
    }
    {
      RunSession s(sc, quiet(sc));
      int stops = 0;
      while (s.advance_to_next(true, true, s.end()) != RunSession::Stop::limit) ++stops;
      CHECK(stops > 0);
      CHECK(s.now() == s.end());
      const RunResult r = s.finish();
      CHECK(r.fingerprint == whole.fingerprint);
      CHECK(r.journal.entries.size() == whole.journal.entries.size());
    }
  }
}

TEST_CASE("session: time never passes the end, and stepping stops there") {
  const Scenario sc = load(flagship());
  RunOptions o = quiet(sc);
  o.until = SimTime::zero() + Duration::hours(2);
  RunSession s(sc, o);
  s.advance_to(SimTime::zero() + Duration::hours(50));
  CHECK(s.now() == *o.until);
  CHECK_FALSE(s.step());
  CHECK(s.at_end());
}

TEST_CASE("session: a live drill's actions replay to the same trace") {
  const Scenario sc = load(flagship());
  const Drill d = flagship_drill(sc);
  REQUIRE(d.actions.size() >= 3);
  CHECK(d.actions[0].kind == DrillAction::Kind::inject);
  CHECK(d.actions[1].kind == DrillAction::Kind::note);
  bool took_non_default = false;
  for (const DecisionEntry& e : d.result.journal.entries) took_non_default |= e.who == "facilitator";
  CHECK(took_non_default);

  const LiveDecisionPolicy live;
  RunOptions o = quiet(sc);
  o.keep_records = true;
  o.policy = &live;
  const RunResult again = replay_drill(sc, o, d.actions);
  CHECK(again.fingerprint == d.result.fingerprint);
  CHECK(again.records == d.result.records);
  CHECK(again.journal.entries.size() == d.result.journal.entries.size());

  // The facilitator's choices change the run (else the test above would prove little).
  const RunResult untouched = run_scenario(sc, o);
  CHECK(untouched.fingerprint != d.result.fingerprint);
}

TEST_CASE("session: a live decision is the room's, taken when it opens, with no simulated deliberation or knowledge gate") {
  const Scenario sc = load(flagship());
  const Drill d = flagship_drill(sc);
  int by_room = 0;
  for (const DecisionEntry& e : d.result.journal.entries) {
    if (e.who != "facilitator") {
      // Not taken by the room: only the default at the deadline.
      CHECK(e.who == "default");
      continue;
    }
    ++by_room;
    // flagship_drill takes each decision the moment it opens: it takes effect then, even though
    // the default policy's owner would only decide after learning of the incident and deliberating.
    CHECK(e.time == e.opened);
    CHECK(e.on_time);
  }
  CHECK(by_room >= 1);

  // The default policy's owner deliberates: the same decisions are taken later there.
  RunOptions o = quiet(sc);
  o.keep_records = true;
  const RunResult simulated = run_scenario(sc, o);
  bool later = false;
  for (const DecisionEntry& e : simulated.journal.entries)
    if (e.who == "policy" && e.time > e.opened) later = true;
  CHECK(later);

  // And the drill's journal, replayed with the live policy (as `run --journal` does), gives the
  // same decision journal entry for entry.
  const LiveDecisionPolicy live;
  o.policy = &live;
  const RunResult again = replay_drill(sc, o, d.actions);
  REQUIRE(again.journal.entries.size() == d.result.journal.entries.size());
  for (std::size_t i = 0; i < again.journal.entries.size(); ++i) {
    CHECK(again.journal.entries[i].decision == d.result.journal.entries[i].decision);
    CHECK(again.journal.entries[i].option == d.result.journal.entries[i].option);
    CHECK(again.journal.entries[i].time == d.result.journal.entries[i].time);
  }
}

TEST_CASE("session: a decision that is not open and an unknown id change nothing") {
  const Scenario sc = load(flagship());
  const LiveDecisionPolicy live;
  RunOptions o = quiet(sc);
  o.policy = &live;
  RunSession s(sc, o);
  REQUIRE_FALSE(sc.decisions.empty());
  CHECK_FALSE(s.decide(0, 0, "facilitator"));  // nothing is open at T+0
  DrillAction a;
  a.kind = DrillAction::Kind::inject;
  a.inject = "no-such-inject";
  CHECK_FALSE(s.apply(a));
  CHECK(s.actions().empty());
  CHECK(s.finish().fingerprint == run_scenario(sc, o).fingerprint);
}

TEST_CASE("session: the snapshot shows undetected footholds to the controller only") {
  // Some shipped exercise has an attacker foothold nobody knows of at some instant.
  bool seen = false;
  for (const auto& path : shipped_exercises()) {
    const Scenario sc = load(path);
    RunSession s(sc, quiet(sc));
    while (!seen && s.step()) {
      const SessionSnapshot snap = s.snapshot();
      if (snap.undetected_footholds.empty()) continue;
      seen = true;
      const Index a = snap.undetected_footholds.front();
      CHECK(snap.compromised[a] == 1);
      CHECK(snap.contained[a] == 0);
      for (const OrgSnapshot& o : snap.orgs)
        for (const auto& [asset, level] : o.known) CHECK(asset != a);
    }
    if (seen) break;
  }
  CHECK(seen);
}

TEST_CASE("drill journal: written line by line, read back, a torn last line dropped") {
  const Scenario sc = load(flagship());
  const Drill d = flagship_drill(sc);
  const auto dir = std::filesystem::temp_directory_path() / ("cyberdrill-journal-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto file = dir / "drill.jsonl";
  {
    DrillJournalWriter w = DrillJournalWriter::create(file, DrillJournalHeader{"x.json", "00ff", 7});
    for (const DrillAction& a : d.actions) w.append(a);
  }
  CHECK(is_drill_journal(file));
  const DrillJournal j = read_drill_journal(file);
  CHECK_FALSE(j.torn);
  CHECK(j.header.seed == 7);
  CHECK(j.header.scenario_hash == "00ff");
  REQUIRE(j.actions.size() == d.actions.size());
  for (std::size_t i = 0; i < j.actions.size(); ++i) {
    CHECK(j.actions[i].time == d.actions[i].time);
    CHECK(j.actions[i].event == d.actions[i].event);
    CHECK(drill_action_json(j.actions[i]) == drill_action_json(d.actions[i]));
  }
  // A crash mid-write: the last line is cut short.
  const auto size = std::filesystem::file_size(file);
  std::filesystem::resize_file(file, size - 5);
  const DrillJournal torn = read_drill_journal(file);
  REQUIRE(torn.torn);
  CHECK(torn.actions.size() == d.actions.size() - 1);
  CHECK(torn.valid_bytes < size - 5);
  // Continuing it drops the torn part.
  {
    DrillJournalWriter w = DrillJournalWriter::resume(file, torn.valid_bytes);
    w.append(d.actions.back());
  }
  const DrillJournal healed = read_drill_journal(file);
  CHECK_FALSE(healed.torn);
  CHECK(healed.actions.size() == d.actions.size());
  std::filesystem::remove_all(dir);
}

TEST_CASE("drill journal: a seed or an event that is not an integer in range is an error, never a conversion") {
  // fuzz_journal (CI, 2026-12-05) found "seed": 7.67e56 converted to an unsigned integer by a bare
  // cast: undefined behaviour. Each such value is now a runtime_error naming the field (exit 2).
  const auto dir = std::filesystem::temp_directory_path() / ("cyberdrill-journal-int-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto file = dir / "drill.jsonl";
  auto expect_error = [&](const std::string& text, const std::string& field, const std::string& what) {
    std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
    std::string message;
    try {
      (void)read_drill_journal(file);
    } catch (const std::runtime_error& e) {
      message = e.what();
    }
    INFO(text);
    CHECK(message.find("\"" + field + "\" " + what) != std::string::npos);
    CHECK(message.find("drill.jsonl:") != std::string::npos);
  };
  const std::string header = R"({"cyberdrill_drill": 1, "scenario": "x.json", "scenario_hash": "00ff", "seed": )";
  expect_error(header + "7666666666666666666666666666666666666666666666666666666666}\n", "seed", "is not an integer");
  expect_error(header + "-3}\n", "seed", "out of range");
  expect_error(header + "1.5}\n", "seed", "is not an integer");
  const std::string ok = header + "7}\n";
  expect_error(ok + R"({"us": 5400000000, "event": 1e300, "action": "note", "text": "x"})" + "\n" + ok, "event", "is not an integer");
  expect_error(ok + R"({"us": 5400000000, "event": -1, "action": "note", "text": "x"})" + "\n" + ok, "event", "out of range");
  // In range, the same header reads back.
  std::ofstream(file, std::ios::binary | std::ios::trunc) << ok;
  CHECK(read_drill_journal(file).header.seed == 7);
  std::filesystem::remove_all(dir);
}
