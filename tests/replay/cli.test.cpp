// cyberdrill replay from the command line: a still as PNG, videos checked with ffprobe (frame
// count and size as the options ask), the window driven by a key script, and exit 2 for bad
// input, including a PATH without ffmpeg.
#include <doctest/doctest.h>

#include <SFML/Graphics/Image.hpp>

#include <filesystem>
#include <sstream>
#include <string>

#include "cli_helpers.hpp"

using namespace cyberdrill::testing;

namespace {

/// The flagship's run folder, written once by the binary itself.
const ScratchDir& run_dir() {
  static ScratchDir d("cyberdrill-replay-cli");
  static const bool made = [] {
    const auto r = run_cyberdrill("-q run " + std::string(CYBERDRILL_SOURCE_DIR) +
                                  "/scenarios/belgium/grid-blackout.json -o " + (d / "run"));
    REQUIRE_MESSAGE(r.code == 0, r.err);
    return true;
  }();
  (void)made;
  return d;
}

struct Probe {
  int width = 0, height = 0, frames = 0;
};
Probe ffprobe(const std::string& file) {
  const auto r = run_command("ffprobe -v error -count_frames -select_streams v:0 -show_entries "
                             "stream=width,height,nb_read_frames -of csv=p=0 " + file);
  REQUIRE_MESSAGE(r.code == 0, r.err);
  Probe p;
  char comma = 0;
  std::istringstream in(r.out);
  in >> p.width >> comma >> p.height >> comma >> p.frames;
  return p;
}

}  // namespace

TEST_CASE("replay --export: the GIF and the MP4 have the frame count and size the options ask for") {
  const ScratchDir& d = run_dir();
  ScratchDir out("cyberdrill-replay-video");
  SUBCASE("gif: 2 simulated hours at 3600 s a second, 5 fps -> 10 frames") {
    const std::string gif = out / "grid.gif";
    const auto r = run_cyberdrill("replay " + (d / "run") + " --export " + gif +
                                  " --from T+05:00 --to T+07:00 --speed 3600 --fps 5 --size 480x270 --select dso-liege");
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(r.err.find("exporting [") != std::string::npos);  // the progress bar
    CHECK(r.err.find("100%") != std::string::npos);
    const Probe p = ffprobe(gif);
    CHECK(p.width == 480);
    CHECK(p.height == 270);
    CHECK(p.frames == 10);
  }
  SUBCASE("mp4: 1 simulated hour at 1800 s a second, 12 fps -> 24 frames") {
    const std::string mp4 = out / "grid.mp4";
    const auto r = run_cyberdrill("replay " + (d / "run") + " --export " + mp4 +
                                  " --from T+06:00 --to T+07:00 --speed 1800 --fps 12 --size 640x360");
    REQUIRE_MESSAGE(r.code == 0, r.err);
    const Probe p = ffprobe(mp4);
    CHECK(p.width == 640);
    CHECK(p.height == 360);
    CHECK(p.frames == 24);
    // Nothing left beside it (the temporary file was renamed).
    int files = 0;
    for (const auto& e : std::filesystem::directory_iterator(out.dir)) files += e.is_regular_file() ? 1 : 0;
    CHECK(files == 1);
  }
}

TEST_CASE("replay --export without ffmpeg in PATH exits 2 naming the package, bad options exit 2") {
  const ScratchDir& d = run_dir();
  ScratchDir out("cyberdrill-replay-bad");
  const auto r = run_command("/usr/bin/env PATH=" + out.dir.string() + " " + std::string(CYBERDRILL_EXE) + " replay " +
                             (d / "run") + " --export " + (out / "x.mp4"));
  CHECK(r.code == 2);
  CHECK(r.err.find("ffmpeg") != std::string::npos);
  CHECK(r.err.find("apt-get install ffmpeg") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(out / "x.mp4"));
  CHECK(run_cyberdrill("replay " + (d / "run") + " --export " + (out / "x.avi")).code == 2);
  CHECK(run_cyberdrill("replay " + (d / "run") + " --export " + (out / "x.mp4") + " --size 641x360").code == 2);
  CHECK(run_cyberdrill("replay " + (d / "run") + " --export " + (out / "x.mp4") + " --from T+05:00 --to T+04:00").code == 2);
  CHECK(run_cyberdrill("replay " + out.dir.string() + " --png " + (out / "x.png")).code == 2);  // not a run folder
  CHECK(run_cyberdrill("replay " + (d / "run") + " --view both").code == 2);
  CHECK(run_cyberdrill("replay " + (d / "run") + " --select no-such-asset --png " + (out / "x.png")).code == 2);
}

TEST_CASE("replay --png draws the screen at --at, the window plays a key script and saves its last frame") {
  const ScratchDir& d = run_dir();
  ScratchDir out("cyberdrill-replay-png");
  const std::string png = out / "hospital.png";
  const auto r = run_cyberdrill("replay " + (d / "run") + " --at T+07:00 --select dso-liege --png " + png);
  REQUIRE_MESSAGE(r.code == 0, r.err);
  sf::Image img;
  REQUIRE(img.loadFromFile(png));
  CHECK(img.getSize().x == 1920);
  CHECK(img.getSize().y == 1080);

  write_text(out / "keys.txt", "f4\nspace\nwait 0.3\ni\no\nv\nq\n");
  const std::string shot = out / "window.png";
  const auto w = run_cyberdrill("replay " + (d / "run") + " --script " + (out / "keys.txt") + " --screenshot " + shot);
  REQUIRE_MESSAGE(w.code == 0, w.err);
  sf::Image last;
  REQUIRE(last.loadFromFile(shot));
  CHECK(last.getSize().x == 1920);
  write_text(out / "bad.txt", "f4\nfly\n");
  CHECK(run_cyberdrill("replay " + (d / "run") + " --script " + (out / "bad.txt")).code == 2);
}
