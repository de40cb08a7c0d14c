// cyberdrill render: exit codes, atomic output and a clear message without a display.
#include <doctest/doctest.h>

#include <SFML/Graphics/Image.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "cli_helpers.hpp"
#include "viz_helpers.hpp"

using namespace cyberdrill::testing;

namespace {

/// A run folder of the tutorial, written by the binary itself.
struct RunFolder {
  TempDir dir{"cli"};
  std::filesystem::path run = dir.path / "run";
  RunFolder() {
    const auto r = run_cyberdrill("-q run " + tutorial_path().string() + " -o " + run.string());
    REQUIRE_MESSAGE(r.code == 0, r.err);
  }
};

}  // namespace

TEST_CASE("render writes the PNG at the requested size") {
  RunFolder f;
  const auto png = f.dir.path / "map.png";
  const auto r = run_cyberdrill("render " + f.run.string() + " --at T+03:00 -o " + png.string() + " --size 1280x720");
  REQUIRE_MESSAGE(r.code == 0, r.err);
  sf::Image img;
  REQUIRE(img.loadFromFile(png.string()));
  CHECK(img.getSize().x == 1280);
  CHECK(img.getSize().y == 720);
  const auto peak = f.dir.path / "peak.png";
  const auto r2 = run_cyberdrill("render " + f.run.string() + " --at peak --view known-vs-true -o " + peak.string());
  REQUIRE_MESSAGE(r2.code == 0, r2.err);
  CHECK(std::filesystem::exists(peak));
}

TEST_CASE("bad arguments exit 2 and write nothing") {
  RunFolder f;
  const auto png = f.dir.path / "x.png";
  const std::string base = "render " + f.run.string() + " -o " + png.string();
  const auto bad_time = run_cyberdrill(base + " --at 3pm");
  CHECK(bad_time.code == 2);
  CHECK(bad_time.err.find("T+hh:mm") != std::string::npos);
  const auto bad_view = run_cyberdrill(base + " --view pie");
  CHECK(bad_view.code == 2);
  CHECK(bad_view.err.find("known-vs-true") != std::string::npos);
  const auto bad_size = run_cyberdrill(base + " --size big");
  CHECK(bad_size.code == 2);
  const auto not_run = run_cyberdrill("render " + f.dir.path.string() + " -o " + png.string());
  CHECK(not_run.code == 2);
  CHECK(not_run.err.find("not a cyberdrill run folder") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(png));
}

TEST_CASE("no display and no Xvfb: exit 1 with how to fix it, no file") {
  RunFolder f;
  const auto png = f.dir.path / "x.png";
  const auto r = run_command("env -u DISPLAY CYBERDRILL_XVFB=/nonexistent/Xvfb " + std::string(CYBERDRILL_EXE) +
                             " render " + f.run.string() + " -o " + png.string());
  CHECK(r.code == 1);
  CHECK(r.err.find("apt-get install xvfb") != std::string::npos);
  CHECK(r.err.find("DISPLAY") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(png));
}

TEST_CASE("an Xvfb that fails: its complaint is quoted from a private log that is removed afterwards") {
  RunFolder f;
  const auto png = f.dir.path / "x.png";
  const auto tmp = f.dir.path / "tmp";
  std::filesystem::create_directories(tmp);
  const auto fake = f.dir.path / "fake-xvfb";
  {
    std::ofstream(fake) << "#!/bin/sh\necho 'fake Xvfb: no screens found' >&2\nexit 1\n";
  }
  std::filesystem::permissions(fake, std::filesystem::perms::owner_all);
  const auto r = run_command("env -u DISPLAY TMPDIR=" + tmp.string() + " CYBERDRILL_XVFB=" + fake.string() + " " +
                             std::string(CYBERDRILL_EXE) + " render " + f.run.string() + " -o " + png.string());
  CHECK(r.code == 1);
  CHECK(r.err.find("fake Xvfb: no screens found") != std::string::npos);  // read back from the log
  CHECK(std::filesystem::is_empty(tmp));                                  // and the log is gone
  CHECK_FALSE(std::filesystem::exists(png));
}

TEST_CASE("render --help teaches with examples") {
  const auto r = run_cyberdrill("render --help");
  CHECK(r.code == 0);
  CHECK(r.out.find("Examples:") != std::string::npos);
  CHECK(r.out.find("known-vs-true") != std::string::npos);
  CHECK(r.out.find("--at") != std::string::npos);
}

TEST_CASE("render reads only the run folder: moved, its scenario deleted, the same PNG, --verify refuses an edited trace") {
  TempDir dir{"cli-moved"};
  std::filesystem::copy_file(tutorial_path(), dir.path / "tutorial.json");
  const auto run = dir.path / "run";
  auto r = run_cyberdrill("-q run " + (dir.path / "tutorial.json").string() + " -o " + run.string());
  REQUIRE_MESSAGE(r.code == 0, r.err);
  const auto before = dir.path / "before.png";
  r = run_cyberdrill("-q render " + run.string() + " --at T+03:00 -o " + before.string() + " --size 640x360");
  REQUIRE_MESSAGE(r.code == 0, r.err);

  std::filesystem::create_directories(dir.path / "elsewhere");
  const auto moved = dir.path / "elsewhere" / "run";
  std::filesystem::rename(run, moved);
  std::filesystem::remove(dir.path / "tutorial.json");
  const auto after = dir.path / "after.png";
  r = run_cyberdrill("-q render " + moved.string() + " --at T+03:00 -o " + after.string() + " --size 640x360 --verify");
  REQUIRE_MESSAGE(r.code == 0, r.err);
  CHECK(slurp(after) == slurp(before));
  CHECK(slurp(after).size() > 1000);

  // One byte of the trace edited (a digit of a record's time): --verify exits 2, nothing written.
  std::string trace = slurp(moved / "events.jsonl");
  const std::size_t digit = trace.find_first_of("0123456789", trace.find("\"us\":", trace.find('\n') + 1));
  trace[digit] = trace[digit] == '9' ? '8' : static_cast<char>(trace[digit] + 1);
  { std::ofstream(moved / "events.jsonl", std::ios::binary | std::ios::trunc) << trace; }
  const auto tampered = dir.path / "tampered.png";
  r = run_cyberdrill("render " + moved.string() + " -o " + tampered.string() + " --size 640x360 --verify");
  CHECK(r.code == 2);
  CHECK(r.err.find("does not match its scenario") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(tampered));
}
