// Caps and limits (issue 15) from the command line: inputs built to exhaust the machine (deep
// nesting in a scenario or in an MSEL cell, a runaway background load, an endless horizon) are
// refused or stopped with exit 2 and nothing written; image writes on a full disk fail (exit 1)
// and leave no truncated file.
#include <doctest/doctest.h>

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "cli_helpers.hpp"

namespace fs = std::filesystem;
using cyberdrill::testing::CommandResult;
using cyberdrill::testing::run_command;
using cyberdrill::testing::run_cyberdrill;
using cyberdrill::testing::slurp;

namespace {

const std::string kTutorial = std::string(CYBERDRILL_SOURCE_DIR) + "/scenarios/tutorial.json";

struct TempDir : cyberdrill::testing::ScratchDir {
  TempDir() : cyberdrill::testing::ScratchDir("cyberdrill-caps") {}
};

void write(const std::string& p, const std::string& text) { cyberdrill::testing::write_text(p, text); }

/// Runs cyberdrill and returns the result with the wall time it took.
struct Timed {
  CommandResult r;
  double seconds = 0;
};
Timed timed(const std::string& args) {
  const auto t0 = std::chrono::steady_clock::now();
  Timed t{run_cyberdrill(args), 0};
  t.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return t;
}

/// Largest resident set of any finished child process so far, in MiB (Linux: ru_maxrss in KiB).
double max_child_rss_mib() {
  rusage u{};
  getrusage(RUSAGE_CHILDREN, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

}  // namespace

TEST_CASE("msel import of a deeply nested scenario or a deeply nested Effect cell: exit 2, fast, small") {
  TempDir t;
  fs::copy_file(kTutorial, t.dir / "s.json");
  REQUIRE(run_cyberdrill("msel export " + (t / "s.json") + " -o " + (t / "m.csv") + " --lf --no-bom").code == 0);
  const std::string scenario = slurp(t.dir / "s.json");

  SUBCASE("a scenario nested 100,000 deep") {
    std::string deep = scenario.substr(0, scenario.rfind('}'));
    deep += ",\"x\": " + std::string(100'000, '[') + std::string(100'000, ']') + "}\n";
    write(t / "deep.json", deep);
    const Timed r = timed("msel import " + (t / "m.csv") + " --into " + (t / "deep.json"));
    CHECK(r.r.code == 2);
    CHECK(r.r.err.find("nested deeper than") != std::string::npos);
    CHECK(r.seconds < 20);
    CHECK(slurp(t.dir / "deep.json") == deep);
  }
  SUBCASE("an Effect cell nested 200,000 deep (used to take 50 s and 4 GB, then SIGSEGV)") {
    const std::string edited = "Inject ID,Effect\nI-01,\"" + std::string(200'000, '[') + std::string(200'000, ']') + "\"\n";
    write(t / "deep.csv", edited);
    const Timed r = timed("msel import " + (t / "deep.csv") + " --into " + (t / "s.json"));
    CHECK(r.r.code == 2);
    CHECK(r.r.err.find("\"Effect\" is refused: JSON nested deeper than") != std::string::npos);
    CHECK(r.seconds < 20);
    CHECK(slurp(t.dir / "s.json") == scenario);
  }
  // Generous for a sanitizer build; the unbounded import reached 4 GB.
  CHECK(max_child_rss_mib() < 1024);
}

namespace {

std::string replace_first(std::string s, const std::string& from, const std::string& to) {
  const auto at = s.find(from);
  REQUIRE(at != std::string::npos);
  return s.replace(at, from.size(), to);
}

/// The tutorial with a background load of 10^6 tickets a day (below the reader's hard limit, so
/// only the run caps stop it).
std::string runaway_tutorial() {
  return replace_first(slurp(kTutorial), "\"rate_per_day\": 10,", "\"rate_per_day\": 1000000,");
}

/// Nothing named DIR, DIR.partial or .DIR.partial-* beside it.
bool nothing_written(const fs::path& dir) {
  if (fs::exists(dir) || fs::exists(dir.string() + ".partial")) return false;
  for (const auto& e : fs::directory_iterator(dir.parent_path()))
    if (e.path().filename().string().rfind("." + dir.filename().string() + ".", 0) == 0) return false;
  return true;
}

}  // namespace

TEST_CASE("--max-events stops a runaway run, batch and live with exit 2 and writes nothing") {
  TempDir t;
  write(t / "runaway.json", runaway_tutorial());
  auto r = run_cyberdrill("run " + (t / "runaway.json") + " -o " + (t / "out") + " --max-events 20000");
  CHECK(r.code == 2);
  CHECK(r.err.find("after 20000 events, the event limit") != std::string::npos);
  CHECK(r.err.find("--max-events") != std::string::npos);
  CHECK(nothing_written(t.dir / "out"));

  r = run_cyberdrill("batch " + (t / "runaway.json") + " -o " + (t / "study") + " --runs 3 -j 1 --max-events 20000");
  CHECK(r.code == 2);
  CHECK(r.err.find("the event limit") != std::string::npos);
  CHECK(nothing_written(t.dir / "study"));

  // The same scenario within a generous cap runs (the cap is what stopped it).
  write(t / "busy.json", replace_first(slurp(kTutorial), "\"rate_per_day\": 10,", "\"rate_per_day\": 2000,"));
  r = run_cyberdrill("run " + (t / "busy.json") + " -o " + (t / "busy") + " --max-events 1000000");
  CHECK_MESSAGE(r.code == 0, r.err);
  r = run_cyberdrill("run " + (t / "busy.json") + " -o " + (t / "busy2") + " --max-events 100");
  CHECK(r.code == 2);
}

TEST_CASE("--max-sim-time refuses a run longer than the cap before it starts, --until within it runs") {
  TempDir t;
  auto r = run_cyberdrill("run " + kTutorial + " -o " + (t / "out") + " --max-sim-time 6h");
  CHECK(r.code == 2);
  CHECK(r.err.find("the run would last 12h") != std::string::npos);
  CHECK(r.err.find("more than the limit of 6h") != std::string::npos);
  CHECK(nothing_written(t.dir / "out"));
  r = run_cyberdrill("run " + kTutorial + " -o " + (t / "cut") + " --max-sim-time 6h --until T+05:00");
  CHECK_MESSAGE(r.code == 0, r.err);
  r = run_cyberdrill("batch " + kTutorial + " -o " + (t / "study") + " --runs 2 --max-sim-time 6h");
  CHECK(r.code == 2);
  CHECK(nothing_written(t.dir / "study"));
  // live: refused before its journal is created.
  r = run_cyberdrill("live " + kTutorial + " --console -o " + (t / "drill") + " --max-sim-time 6h");
  CHECK(r.code == 2);
  CHECK(r.err.find("more than the limit of 6h") != std::string::npos);
  CHECK(nothing_written(t.dir / "drill"));
  CHECK_FALSE(fs::exists(t.dir / "drill.journal.jsonl"));
  // A 400-day horizon is refused by default (366d) and warned about by validate.
  write(t / "long.json", replace_first(slurp(kTutorial), "\"duration\": \"12h\"", "\"duration\": \"400d\""));
  r = run_cyberdrill("run " + (t / "long.json") + " -o " + (t / "long"));
  CHECK(r.code == 2);
  CHECK(r.err.find("more than the limit of 366d") != std::string::npos);
  r = run_cyberdrill("validate " + (t / "long.json"));
  CHECK(r.code == 0);
  CHECK((r.out + r.err).find("warning: horizon 400d is longer than the default run cap of 366d") != std::string::npos);
  // Unreadable caps are usage errors.
  CHECK(run_cyberdrill("run " + kTutorial + " -o " + (t / "x") + " --max-sim-time 5days").code == 2);
  CHECK(run_cyberdrill("run " + kTutorial + " -o " + (t / "x") + " --max-events -1").code == 2);
}

TEST_CASE("validate refuses a 100,000-week horizon and a background load of 10^9 a day (exit 2), run never starts") {
  TempDir t;
  write(t / "weeks.json", replace_first(slurp(kTutorial), "\"duration\": \"12h\"", "\"duration\": \"100000w\""));
  auto r = timed("validate " + (t / "weeks.json"));
  CHECK(r.r.code == 2);
  CHECK((r.r.out + r.r.err).find("/metadata/duration: horizon 700000d is longer than the limit of 3653d") != std::string::npos);
  r = timed("run " + (t / "weeks.json") + " -o " + (t / "out"));
  CHECK(r.r.code == 2);
  CHECK(r.seconds < 20);
  write(t / "rate.json", replace_first(slurp(kTutorial), "\"rate_per_day\": 10,", "\"rate_per_day\": 1e9,"));
  r = timed("run " + (t / "rate.json") + " -o " + (t / "out"));
  CHECK(r.r.code == 2);
  CHECK(r.r.err.find("rate_per_day 1000000000 is above the limit of 1000000") != std::string::npos);
  CHECK(nothing_written(t.dir / "out"));
}

TEST_CASE("render --at before T+0 is a usage error (exit 2)") {
  TempDir t;
  REQUIRE(run_cyberdrill("run " + kTutorial + " -o " + (t / "run")).code == 0);
  const auto r = run_cyberdrill("render " + (t / "run") + " --at T-01:00 -o " + (t / "x.png"));
  CHECK(r.code == 2);
  CHECK(r.err.find("--at T-01:00: before the start of the exercise") != std::string::npos);
  CHECK_FALSE(fs::exists(t.dir / "x.png"));
}

TEST_CASE("render and report on a full disk: exit 1, a clear message, no truncated file") {
  TempDir t;
  REQUIRE(run_cyberdrill("run " + kTutorial + " -o " + (t / "run")).code == 0);
  fs::create_directories(t.dir / "small");
  // A 64 KiB tmpfs: a figure (about 100 KiB) cannot fit. Needs root; skipped otherwise.
  if (run_command("mount -t tmpfs -o size=64k tmpfs " + (t / "small")).code != 0) {
    MESSAGE("cannot mount a tmpfs here (not root?): the full-disk case is skipped");
    return;
  }
  struct Unmount {
    std::string dir;
    ~Unmount() { (void)run_command("umount " + dir); }
  } unmount{t / "small"};
  auto r = run_cyberdrill("render " + (t / "run") + " --view levels -o " + (t / "small/levels.png"));
  CHECK(r.code == 1);
  CHECK(r.err.find("cannot write") != std::string::npos);
  CHECK(r.err.find("incomplete (disk full?)") != std::string::npos);
  CHECK(fs::is_empty(t.dir / "small"));
  r = run_cyberdrill("report " + (t / "run") + " -o " + (t / "small/aar"));
  CHECK(r.code == 1);
  CHECK(r.err.find("cannot write") != std::string::npos);
  CHECK(fs::is_empty(t.dir / "small"));
}
