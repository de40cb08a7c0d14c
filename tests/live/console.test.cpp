// `cyberdrill live --console`: a drill scripted through stdin, its journal, kill -9 and --resume.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <sstream>
#include <thread>

#include "cli_helpers.hpp"

using namespace cyberdrill::testing;
namespace fs = std::filesystem;

namespace {

fs::path source_dir() { return CYBERDRILL_SOURCE_DIR; }
std::string flagship() { return (source_dir() / "scenarios" / "belgium" / "grid-blackout.json").string(); }

struct TempDir {
  fs::path path;
  TempDir() {
    static int counter = 0;
    path = fs::temp_directory_path() / ("cyberdrill-live-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

// Runs the binary with `script` on stdin.
CommandResult live(const std::string& script, const std::string& args, const fs::path& dir) {
  const fs::path in = dir / ("script-" + std::to_string(std::hash<std::string>{}(script + args)));
  std::ofstream(in, std::ios::binary) << script;
  const std::string cmd = std::string(CYBERDRILL_EXE) + " -q live " + args + " < " + in.string() + " >" +
                          (dir / "out").string() + " 2>" + (dir / "err").string();
  const int status = std::system(cmd.c_str());
  CommandResult r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(dir / "out");
  r.err = slurp(dir / "err");
  return r;
}

std::string fingerprint_of(const fs::path& run) {
  std::ifstream in(run / "manifest.json");
  const auto j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded()) return "(no manifest)";
  return j.value("fingerprint", std::string("(none)"));
}

int lines_in(const fs::path& f) {
  const std::string s = slurp(f);
  return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
}

// The first part of a drill (three journaled actions), then the rest.
const std::string kPartA =
    "next decision\n"
    "status\n"
    "decide 1 keep-remote\n"
    "note the grid operator kept remote access\n"
    "inject I-14\n";
const std::string kPartB =
    "next T+07:00\n"
    "view controller\n"
    "status\n"
    "decide D-04 2\n"
    "note second decision taken\n"
    "next T+10:00\n"
    "quit\n";

}  // namespace

TEST_CASE("console drill: a scripted drill gives an exact trace, which run --journal replays") {
  TempDir d;
  const auto run1 = d.path / "run1", run2 = d.path / "run2", replay = d.path / "replay";
  const auto j1 = d.path / "j1.jsonl", j2 = d.path / "j2.jsonl";
  const CommandResult a = live(kPartA + kPartB, flagship() + " --console --journal " + j1.string() + " -o " + run1.string(), d.path);
  INFO(a.out << a.err);
  REQUIRE(a.code == 0);
  CHECK(a.out.find("DECISION 1: D-01") != std::string::npos);
  CHECK(a.out.find("INJECT") != std::string::npos);
  CHECK(a.out.find("view: CONTROLLER") != std::string::npos);
  CHECK(lines_in(j1) == 1 + 5);  // header + 2 decisions + 1 inject + 2 notes
  CHECK(fs::exists(run1 / "drill.jsonl"));
  CHECK(slurp(run1 / "decisions.jsonl").find("\"who\":\"facilitator\"") != std::string::npos);

  // The same script again: the same trace, byte for byte.
  const CommandResult b = live(kPartA + kPartB, flagship() + " --console --journal " + j2.string() + " -o " + run2.string(), d.path);
  REQUIRE(b.code == 0);
  CHECK(fingerprint_of(run2) == fingerprint_of(run1));
  CHECK(slurp(run2 / "events.jsonl") == slurp(run1 / "events.jsonl"));

  // Headless: run --journal with the drill journal.
  const CommandResult c = run_cyberdrill("-q run " + flagship() + " --journal " + j1.string() + " -o " + replay.string());
  INFO(c.err);
  REQUIRE(c.code == 0);
  CHECK(fingerprint_of(replay) == fingerprint_of(run1));
  CHECK(slurp(replay / "events.jsonl") == slurp(run1 / "events.jsonl"));

  // The drill differs from a run with the defaults (the facilitator's choices mattered).
  const CommandResult e = run_cyberdrill("-q run " + flagship() + " -o " + (d.path / "plain").string());
  REQUIRE(e.code == 0);
  CHECK(fingerprint_of(d.path / "plain") != fingerprint_of(run1));

  // The run folder of a drill can be reported on from the folder alone; --verify replays drill.jsonl.
  const CommandResult r = run_cyberdrill("-q report " + run1.string() + " -o " + (d.path / "aar").string() + " --verify");
  INFO(r.err);
  CHECK(r.code == 0);
  // The facilitator's notes are in the report's timeline.
  CHECK(slurp(d.path / "aar" / "report.md").find("the grid operator kept remote access") != std::string::npos);
  // ... and among its observations (section 3), numbered, with their times.
  const std::string md = slurp(d.path / "aar" / "report.md");
  const auto obs = md.find("Facilitator's observations");
  REQUIRE(obs != std::string::npos);
  CHECK(md.find("5. Timeline of key events", obs) != std::string::npos);  // before the timeline section
  CHECK(md.find("Observation 1 (", obs) != std::string::npos);
  CHECK(md.find("second decision taken", obs) != std::string::npos);
}

TEST_CASE("console drill: an unknown command or a decision that is not open changes nothing") {
  TempDir d;
  const std::string script = "frobnicate now\ndecide D-04 request\ndecide 1\ninject NOPE\nspeed fast\n" + kPartA + kPartB;
  const CommandResult a = live(script, flagship() + " --console --journal " + (d.path / "ja").string() + " -o " + (d.path / "a").string(), d.path);
  REQUIRE(a.code == 0);
  CHECK(a.out.find("error: unknown command 'frobnicate' (type 'help' for the commands)") != std::string::npos);
  CHECK(a.out.find("error: decision 'D-04' is not open") != std::string::npos);
  CHECK(a.out.find("error: no inject 'NOPE'") != std::string::npos);
  const CommandResult b = live(kPartA + kPartB, flagship() + " --console --journal " + (d.path / "jb").string() + " -o " + (d.path / "b").string(), d.path);
  REQUIRE(b.code == 0);
  CHECK(fingerprint_of(d.path / "a") == fingerprint_of(d.path / "b"));
  CHECK(lines_in(d.path / "ja") == lines_in(d.path / "jb"));
}

TEST_CASE("console drill: kill -9 mid-drill, then --resume, gives the uninterrupted drill's trace") {
  TempDir d;
  const auto journal = d.path / "drill.jsonl";
  const auto out = d.path / "resumed";
  // A child fed slowly through a pipe, killed once the first part is journaled.
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::dup2(fds[0], 0);
    ::close(fds[1]);
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1);
    ::dup2(null, 2);
    ::execl(CYBERDRILL_EXE, CYBERDRILL_EXE, "live", flagship().c_str(), "--console", "--journal", journal.c_str(), "-o",
            out.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(fds[0]);
  REQUIRE(::write(fds[1], kPartA.data(), kPartA.size()) == static_cast<ssize_t>(kPartA.size()));
  const auto t0 = std::chrono::steady_clock::now();
  while (lines_in(journal) < 4 && std::chrono::steady_clock::now() - t0 < std::chrono::seconds(60))
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  REQUIRE(lines_in(journal) == 4);  // header + decide + note + inject, each synced
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::close(fds[1]);
  CHECK(WIFSIGNALED(status));
  CHECK_FALSE(fs::exists(out / "manifest.json"));

  const CommandResult resumed = live(kPartB, flagship() + " --console --resume " + journal.string() + " -o " + out.string(), d.path);
  INFO(resumed.out << resumed.err);
  REQUIRE(resumed.code == 0);
  CHECK(resumed.err.find("3 action(s) replayed") != std::string::npos);

  const CommandResult whole = live(kPartA + kPartB, flagship() + " --console --journal " + (d.path / "whole.jsonl").string() + " -o " + (d.path / "whole").string(), d.path);
  REQUIRE(whole.code == 0);
  CHECK(fingerprint_of(out) == fingerprint_of(d.path / "whole"));
  CHECK(slurp(out / "events.jsonl") == slurp(d.path / "whole" / "events.jsonl"));
  CHECK(slurp(journal) == slurp(d.path / "whole.jsonl"));  // the journal itself continued seamlessly
}

TEST_CASE("console drill: a torn last line is reported and the lines before it are kept") {
  TempDir d;
  const auto journal = d.path / "drill.jsonl";
  REQUIRE(live(kPartA + "quit\n", flagship() + " --console --journal " + journal.string() + " -o " + (d.path / "first").string(), d.path).code == 0);
  // A crash in the middle of writing a fourth action.
  { std::ofstream(journal, std::ios::binary | std::ios::app) << "{\"t\": \"T+05:00\", \"us\": 180000"; }
  const CommandResult r = live(kPartB, flagship() + " --console --resume " + journal.string() + " -o " + (d.path / "resumed").string(), d.path);
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(r.err.find("torn last line") != std::string::npos);
  CHECK(r.err.find("3 action(s) replayed") != std::string::npos);
  const CommandResult whole = live(kPartA + kPartB, flagship() + " --console --journal " + (d.path / "w.jsonl").string() + " -o " + (d.path / "whole").string(), d.path);
  REQUIRE(whole.code == 0);
  CHECK(fingerprint_of(d.path / "resumed") == fingerprint_of(d.path / "whole"));
  // The torn part was cut off before the journal continued.
  CHECK(slurp(journal).find("180000") == std::string::npos);
}

TEST_CASE("console drill: a journal of another scenario or seed is refused with exit 2") {
  TempDir d;
  const auto journal = d.path / "drill.jsonl";
  REQUIRE(live("quit\n", flagship() + " --console --journal " + journal.string() + " -o " + (d.path / "a").string(), d.path).code == 0);
  const CommandResult seed = live("quit\n", flagship() + " --console --seed 99 --resume " + journal.string() + " -o " + (d.path / "b").string(), d.path);
  CHECK(seed.code == 2);
  CHECK(seed.err.find("seed") != std::string::npos);
  const std::string other = (source_dir() / "scenarios" / "tutorial.json").string();
  const CommandResult sc = live("quit\n", other + " --console --resume " + journal.string() + " -o " + (d.path / "c").string(), d.path);
  CHECK(sc.code == 2);
  CHECK(sc.err.find("another scenario") != std::string::npos);
  // And a new drill never overwrites an existing journal.
  const CommandResult again = live("quit\n", flagship() + " --console --journal " + journal.string() + " -o " + (d.path / "d").string(), d.path);
  CHECK(again.code == 2);
}

namespace {
// The fingerprint column of runs.csv's row `row` (0-based, after the header).
std::string batch_fingerprint(const fs::path& study, int row) {
  std::istringstream in(slurp(study / "runs.csv"));
  std::string line;
  std::getline(in, line);
  for (int i = 0; i <= row; ++i)
    if (!std::getline(in, line)) return "(no row)";
  return line.substr(line.rfind(',') + 1);
}
}  // namespace

TEST_CASE("console drill: the drill journal is valid input to batch (the drill under other draws)") {
  TempDir d;
  const auto j = d.path / "j.jsonl";
  const CommandResult a = live(kPartA + kPartB, flagship() + " --console --journal " + j.string() + " -o " + (d.path / "drill").string(), d.path);
  REQUIRE(a.code == 0);
  // Run 0 of the baseline uses the scenario's seed, the drill's: its trace is the drill's.
  const CommandResult b = run_cyberdrill("-q batch " + flagship() + " --runs 2 -j 1 --journal " + j.string() + " -o " +
                                         (d.path / "study").string());
  INFO(b.err);
  REQUIRE(b.code == 0);
  CHECK(batch_fingerprint(d.path / "study", 0) == fingerprint_of(d.path / "drill"));
  CHECK(batch_fingerprint(d.path / "study", 1) != fingerprint_of(d.path / "drill"));
  // Without the journal the same seeds give other traces (the journal was used).
  const CommandResult c = run_cyberdrill("-q batch " + flagship() + " --runs 2 -j 1 -o " + (d.path / "plain").string());
  REQUIRE(c.code == 0);
  CHECK(batch_fingerprint(d.path / "plain", 0) != batch_fingerprint(d.path / "study", 0));
  CHECK(batch_fingerprint(d.path / "plain", 1) != batch_fingerprint(d.path / "study", 1));
  // A decisions.jsonl and a decide axis are refused with exit 2.
  const CommandResult e = run_cyberdrill("-q batch " + flagship() + " --runs 1 --journal " +
                                         (d.path / "drill" / "decisions.jsonl").string() + " -o " + (d.path / "bad").string());
  CHECK(e.code == 2);
  const CommandResult g = run_cyberdrill("-q batch " + flagship() + " --runs 1 --vary decide.D-01=keep-remote --journal " +
                                         j.string() + " -o " + (d.path / "bad2").string());
  CHECK(g.code == 2);
  CHECK(g.err.find("--journal") != std::string::npos);
}

#ifdef CYBERDRILL_LIVE_WINDOW
namespace {
// The binary without DISPLAY: it starts its own private Xvfb (viz::ensure_display).
CommandResult without_display(const std::string& args) {
  return run_command("env -u DISPLAY " + std::string(CYBERDRILL_EXE) + " " + args);
}
}  // namespace

TEST_CASE("live window: the real window loop, driven by a key script, writes the journal and the run folder") {
  TempDir d;
  const auto j = d.path / "w.jsonl", out = d.path / "wrun", script = d.path / "keys.txt";
  // Every entry is one frame of the real loop (under a private Xvfb: DISPLAY unset). The drill
  // stays paused throughout (no space), so the trace does not depend on wall-clock time.
  std::ofstream(script) << "# a scripted window drill\n"
                           "h\n"
                           "esc\n"
                           "n\n"                // to the first inject (paused)
                           "j\n"                // jump to T+07:00: D-01 is open there
                           "type 07:00\n"
                           "enter\n"
                           "click 1700 60\n"    // the view banner: to the controller view
                           "click 1300 280\n"   // option 2 of the decision shown (D-01 keep-remote)
                           "t\n"
                           "type a note typed in the window\n"
                           "enter\n"
                           "q\n";
  const CommandResult w = without_display("-q live " + flagship() + " --script " + script.string() + " --journal " +
                                         j.string() + " -o " + out.string());
  INFO(w.out << w.err);
  REQUIRE(w.code == 0);
  CHECK(fs::exists(out / "manifest.json"));
  CHECK(fs::exists(out / "events.jsonl"));
  CHECK(fs::exists(out / "drill.jsonl"));
  const std::string journal = slurp(j);
  CHECK(journal.find("\"cyberdrill_drill\"") != std::string::npos);
  CHECK(journal.find("a note typed in the window") != std::string::npos);
  // The click on option 2 took it, at the jumped-to time.
  CHECK(journal.find("\"t\":\"T+07:00\"") != std::string::npos);
  CHECK(journal.find("\"decision\":\"D-01\",\"option\":\"keep-remote\"") != std::string::npos);
  // The headless replay of the window's journal gives the window drill's trace.
  const CommandResult r = run_cyberdrill("-q run " + flagship() + " --journal " + j.string() + " -o " + (d.path / "replay").string());
  REQUIRE(r.code == 0);
  CHECK(fingerprint_of(d.path / "replay") == fingerprint_of(out));

  // A script with an unknown key is a usage error (exit 2) naming its line.
  std::ofstream(d.path / "bad.txt") << "n\nctrl-z\n";
  const CommandResult bad = without_display("-q live " + flagship() + " --script " + (d.path / "bad.txt").string() +
                                            " -o " + (d.path / "badrun").string());
  CHECK(bad.code == 2);
  CHECK(bad.err.find("line 2") != std::string::npos);
}
#endif
