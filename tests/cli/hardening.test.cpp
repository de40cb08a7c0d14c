// Hardening (issue 15) from the command line: exit 2 for every usage and input error with a
// message naming the culprit, control characters from scenario text never reach the terminal,
// and formula-led ids are neutralised in the CSVs the tool writes.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "cli_helpers.hpp"

namespace fs = std::filesystem;
using cyberdrill::testing::run_cyberdrill;
using cyberdrill::testing::slurp;

namespace {

const std::string kTutorial = std::string(CYBERDRILL_SOURCE_DIR) + "/scenarios/tutorial.json";

struct TempDir : cyberdrill::testing::ScratchDir {
  TempDir() : cyberdrill::testing::ScratchDir("cyberdrill-harden") {}
};

void write(const std::string& p, const std::string& text) { cyberdrill::testing::write_text(p, text); }

std::string replace_first(std::string s, const std::string& from, const std::string& to) {
  const auto at = s.find(from);
  REQUIRE(at != std::string::npos);
  return s.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("an unknown option is named, with the closest real option") {
  TempDir t;
  auto r = run_cyberdrill("run " + kTutorial + " -o " + (t / "r") + " --seeed 3");
  CHECK(r.code == 2);
  CHECK(r.err.find("unknown option \"--seeed\"; did you mean \"--seed\"?") != std::string::npos);
  CHECK(r.err.find("unknown command") == std::string::npos);
  r = run_cyberdrill("batch " + kTutorial + " -o " + (t / "b") + " --runz 3");
  CHECK(r.code == 2);
  CHECK(r.err.find("unknown option \"--runz\"; did you mean \"--runs\"?") != std::string::npos);
  // Values that look like options are not mistaken for them.
  r = run_cyberdrill("validate " + kTutorial + " --strictt");
  CHECK(r.code == 2);
  CHECK(r.err.find("unknown option \"--strictt\"; did you mean \"--strict\"?") != std::string::npos);
}

TEST_CASE("out-of-range numbers and duplicate decisions are usage errors (exit 2), never silently accepted") {
  TempDir t;
  auto r = run_cyberdrill("batch " + kTutorial + " --runs 4294967297 -o " + (t / "b"));
  CHECK(r.code == 2);
  CHECK(r.err.find("out of range") != std::string::npos);
  CHECK(!fs::exists(t / "b"));
  r = run_cyberdrill("run " + kTutorial + " --until T-01:00 -o " + (t / "u"));
  CHECK(r.code == 2);
  CHECK(!fs::exists(t / "u"));
  r = run_cyberdrill("run " + kTutorial + " --decide D-01=declare --decide D-01=wait -o " + (t / "d"));
  CHECK(r.code == 2);
  CHECK(r.err.find("D-01") != std::string::npos);
  CHECK(r.err.find("already decided") != std::string::npos);
  CHECK(!fs::exists(t / "d"));
  for (const char* seed : {"18446744073709551616", "99999999999999999999999", "-1"}) {
    CAPTURE(seed);
    r = run_cyberdrill("run " + kTutorial + " --seed " + seed + " -o " + (t / "s"));
    CHECK(r.code == 2);
    CHECK(!fs::exists(t / "s"));
  }
}

TEST_CASE("a journal time that overflows is an input error (exit 2) naming the file and line") {
  TempDir t;
  for (const char* us : {"1e30", "9223372036854775807", "18446744073709551615", "-5", "1.5"}) {
    CAPTURE(us);
    write(t / "j.jsonl", std::string("{\"us\": ") + us + ", \"decision\": \"D-01\", \"option\": \"wait\"}\n");
    const auto r = run_cyberdrill("run " + kTutorial + " --journal " + (t / "j.jsonl") + " -o " + (t / "r"));
    CHECK(r.code == 2);
    CHECK(r.err.find("j.jsonl:1") != std::string::npos);
    CHECK(!fs::exists(t / "r"));
  }
}

TEST_CASE("control characters in scenario text never reach the terminal") {
  TempDir t;
  const std::string evil = "Evil\\u001b]0;pwned\\u0007\\u001b[2J\\u001b[31mRED\\u009b1mC1\\u0008";
  std::string text = slurp(kTutorial);
  text = replace_first(text, "\"Tutorial: one breaker, one cascade\"", "\"" + evil + "\"");
  write(t / "evil.json", text);
  auto r = run_cyberdrill("run " + (t / "evil.json") + " -o " + (t / "r"));
  REQUIRE(r.code == 0);
  CHECK(r.out.find("EvilREDC1") != std::string::npos);
  auto clean = [](const std::string& s) {
    for (const char c : s) {
      const auto u = static_cast<unsigned char>(c);
      if ((u < 0x20 && c != '\n' && c != '\t') || u == 0x7F) return false;
    }
    return s.find("\xC2\x9B") == std::string::npos;
  };
  CHECK(clean(r.out));
  CHECK(clean(r.err));
  // validate quotes scenario ids in its messages: an unknown reference with escapes in it.
  std::string bad = replace_first(slurp(kTutorial), "\"owner\": \"csirt\"", "\"owner\": \"x\\u001b[2Jy\\u001b]8;;http://e\\u0007\"");
  write(t / "bad.json", bad);
  r = run_cyberdrill("validate " + (t / "bad.json"));
  CHECK(r.code == 2);
  CHECK(r.err.find("xy") != std::string::npos);
  CHECK(clean(r.out));
  CHECK(clean(r.err));
  r = run_cyberdrill("batch " + (t / "evil.json") + " --runs 2 -o " + (t / "b"));
  CHECK(r.code == 0);
  CHECK(clean(r.out));
  CHECK(clean(r.err));
}

TEST_CASE("formula-led sector and asset ids are neutralised and quoted in service_levels.csv and analyze --csv") {
  TempDir t;
  std::string text = slurp(kTutorial);
  // Rename every occurrence of one sector id to a formula with a comma.
  const std::string from = "\"energy\"";
  REQUIRE(text.find(from) != std::string::npos);
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at)) {
    text.replace(at, from.size(), "\"=cmd,x\"");
    at += 9;
  }
  write(t / "f.json", text);
  auto r = run_cyberdrill("run " + (t / "f.json") + " -o " + (t / "r"));
  REQUIRE_MESSAGE(r.code == 0, r.err);
  const std::string levels = slurp(t.dir / "r" / "service_levels.csv");
  const std::string header = levels.substr(0, levels.find('\n'));
  CHECK(header.find(",\"'=cmd,x\"") != std::string::npos);
  CHECK(header.find(",=cmd") == std::string::npos);
  r = run_cyberdrill("analyze " + (t / "f.json") + " --csv " + (t / "rank.csv"));
  REQUIRE_MESSAGE(r.code == 0, r.err);
  const std::string rank = slurp(t.dir / "rank.csv");
  CHECK(rank.find(",\"'=cmd,x\",") != std::string::npos);
  CHECK(rank.find(",=cmd") == std::string::npos);
}

TEST_CASE("analyze --csv leaves no .tmp behind when it cannot write") {
  TempDir t;
  fs::create_directories(t.dir / "ro");
  // The target is a directory: the rename fails after the .tmp was written.
  fs::create_directories(t.dir / "ro" / "rank.csv");
  const auto r = run_cyberdrill("analyze " + kTutorial + " --csv " + (t / "ro/rank.csv"));
  CHECK(r.code != 0);
  CHECK(!fs::exists(t.dir / "ro" / "rank.csv.tmp"));
}

TEST_CASE("generate refuses arguments outside its ranges (exit 2), never runs away or gives nonsense") {
  TempDir t;
  for (const char* args : {"--mean-degree 1e308", "--mean-degree 101", "--mean-degree -1", "--mean-degree nan",
                           "--assets 10000001", "--assets 4294967294"}) {
    CAPTURE(args);
    const auto r = run_cyberdrill(std::string("generate ") + args + " -o " + (t / "g.json"));
    CHECK(r.code == 2);
    CHECK(r.err.find("out of range") != std::string::npos);
    CHECK(!fs::exists(t / "g.json"));
  }
  CHECK(run_cyberdrill("generate --assets 50 --mean-degree 100 -o " + (t / "g.json")).code == 0);
}

TEST_CASE("-o DIR/ with a trailing slash writes DIR for run and batch") {
  TempDir t;
  auto r = run_cyberdrill("run " + kTutorial + " -o " + (t / "r/"));
  CHECK(r.code == 0);
  CHECK(fs::exists(t.dir / "r" / "manifest.json"));
  r = run_cyberdrill("batch " + kTutorial + " --runs 2 -o " + (t / "b/"));
  CHECK(r.code == 0);
  CHECK(fs::exists(t.dir / "b" / "runs.csv"));
  CHECK(!fs::exists(t.dir / "b" / ".partial"));
  // And again over the previous output.
  CHECK(run_cyberdrill("run " + kTutorial + " -o " + (t / "r/")).code == 0);
}

TEST_CASE("stale .partial-PID folders of killed runs are cleaned by the next run writing there, a live one is kept") {
  TempDir t;
  // 999999999 is above Linux's pid_max (at most 2^22), so no process has it.
  const fs::path stale = t.dir / ".r.partial-999999999";
  const fs::path live = t.dir / (".r.partial-" + std::to_string(::getppid()));
  fs::create_directories(stale / "x");
  fs::create_directories(live);
  const auto r = run_cyberdrill("run " + kTutorial + " -o " + (t / "r"));
  CHECK(r.code == 0);
  CHECK(!fs::exists(stale));
  CHECK(fs::exists(live));
}

TEST_CASE("msel export refuses to overwrite its input, msel import keeps the file mode and writes through a symlink") {
  TempDir t;
  fs::copy_file(kTutorial, t.dir / "s.json");
  const std::string before = slurp(t.dir / "s.json");
  auto r = run_cyberdrill("msel export " + (t / "s.json") + " -o " + (t / "s.json"));
  CHECK(r.code == 2);
  CHECK(r.err.find("refusing to overwrite") != std::string::npos);
  CHECK(slurp(t.dir / "s.json") == before);
  // Through another path to the same file.
  r = run_cyberdrill("msel export " + (t / "s.json") + " -o " + (t / "./s.json"));
  CHECK(r.code == 2);

  // Import through a symlink into a file with mode 0640.
  fs::create_directories(t.dir / "real");
  fs::copy_file(kTutorial, t.dir / "real" / "s.json");
  fs::permissions(t.dir / "real" / "s.json", fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read,
                  fs::perm_options::replace);
  fs::create_symlink(t.dir / "real" / "s.json", t.dir / "link.json");
  REQUIRE(run_cyberdrill("msel export " + (t / "link.json") + " -o " + (t / "m.csv") + " --lf --no-bom").code == 0);
  write(t / "m.csv", replace_first(slurp(t.dir / "m.csv"), "The utility reports a blackout", "The utility reports a dark city"));
  r = run_cyberdrill("msel import " + (t / "m.csv") + " --into " + (t / "link.json"));
  REQUIRE_MESSAGE(r.code == 0, r.err);
  CHECK(fs::is_symlink(t.dir / "link.json"));
  CHECK(slurp(t.dir / "real" / "s.json").find("The utility reports a dark city") != std::string::npos);
  CHECK(fs::status(t.dir / "real" / "s.json").permissions() ==
        (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read));
}
