// The live window's front end under a private Xvfb: synthetic key events, the view model it
// draws from, and screenshots of both views.
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <memory>

#include "canvas.hpp"
#include "cyberdrill/scenario_io.hpp"
#include "cyberdrill/viz.hpp"
#include "live_window.hpp"

using namespace cyberdrill;
using namespace cyberdrill::cli;
namespace fs = std::filesystem;

namespace {

sf::Event key(sf::Keyboard::Key k) {
  sf::Event e;
  e.type = sf::Event::KeyPressed;
  e.key.code = k;
  e.key.alt = e.key.control = e.key.shift = e.key.system = false;
  return e;
}

struct Fixture {
  fs::path dir;
  Scenario sc;
  LiveDecisionPolicy policy;
  RunOptions options;
  std::unique_ptr<LiveDrill> drill;
  Fixture() {
    dir = fs::temp_directory_path() / ("cyberdrill-window-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path path = fs::path(CYBERDRILL_SOURCE_DIR) / "scenarios" / "belgium" / "grid-blackout.json";
    sc = load_scenario_or_throw(path);
    options.seed = sc.metadata.seed;
    options.policy = &policy;
    drill = std::make_unique<LiveDrill>(
        sc, options, DrillJournalWriter::create(dir / "drill.jsonl", DrillJournalHeader{path.string(), "x", options.seed}));
  }
  ~Fixture() {
    drill.reset();
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

}  // namespace

TEST_CASE("live window: pause stops the clock, a decision key takes the option") {
  Fixture f;
  LiveWindow w(*f.drill, "facilitator");
  RunSession& s = f.drill->session();
  CHECK(w.paused());  // a drill starts paused
  w.tick(10.0);
  CHECK(s.now() == SimTime::zero());

  REQUIRE(w.handle(key(sf::Keyboard::Space)));
  CHECK_FALSE(w.paused());
  REQUIRE(w.handle(key(sf::Keyboard::F4)));  // x600
  w.tick(1.0);
  const SimTime running = s.now();
  CHECK(running > SimTime::zero());
  CHECK(running <= SimTime::zero() + Duration::minutes(10));
  REQUIRE(w.handle(key(sf::Keyboard::Space)));
  CHECK(w.paused());
  w.tick(5.0);
  CHECK(s.now() == running);  // paused: the simulated clock stands still

  // n runs to the next inject or decision; repeat until a decision is open.
  for (int i = 0; i < 50 && s.response().open_decision_info().empty(); ++i) REQUIRE(w.handle(key(sf::Keyboard::N)));
  const auto open = s.response().open_decision_info();
  REQUIRE_FALSE(open.empty());
  const Decision& d = f.sc.decisions[open.front().decision];
  REQUIRE(d.options.size() >= 2);
  REQUIRE(w.handle(key(sf::Keyboard::Num2)));
  const DecisionJournal& j = s.response().journal();
  REQUIRE_FALSE(j.entries.empty());
  CHECK(j.entries.back().decision == d.id);
  CHECK(j.entries.back().option == d.options[1].id);
  CHECK(j.entries.back().who == "facilitator");
  CHECK(s.actions().back().kind == DrillAction::Kind::decide);
  // q ends the drill.
  CHECK_FALSE(w.handle(key(sf::Keyboard::Q)));
}

TEST_CASE("live window: the participant view hides an undetected foothold the controller view shows") {
  Fixture f;
  LiveWindow w(*f.drill, "facilitator");
  RunSession& s = f.drill->session();
  Index hidden = kNone;
  while (hidden == kNone && s.step()) {
    const SessionSnapshot snap = s.snapshot();
    if (!snap.undetected_footholds.empty()) hidden = snap.undetected_footholds.front();
  }
  REQUIRE(hidden != kNone);
  CHECK(w.view() == LiveView::participant);
  const std::string id = f.sc.assets[hidden].id;
  {
    const auto tiles = w.tiles();
    CHECK_FALSE(tiles[hidden].hidden);
    CHECK_FALSE(tiles[hidden].compromised);
    CHECK_FALSE(tiles[hidden].level.has_value());  // nobody reported anything there
    CHECK(w.model().undetected.empty());
    CHECK(w.model().truth.empty());
  }
  REQUIRE(w.handle(key(sf::Keyboard::V)));
  CHECK(w.view() == LiveView::controller);
  {
    const auto tiles = w.tiles();
    CHECK(tiles[hidden].hidden);
    CHECK(tiles[hidden].compromised);
    const auto m = w.model();
    CHECK(std::find(m.undetected.begin(), m.undetected.end(), id) != m.undetected.end());
  }

  // Screenshots of both views (looked at by hand; here: they are written and differ).
  std::string why;
  if (!viz::ensure_display(&why)) {
    MESSAGE("no display, screenshots skipped: " << why);
    return;
  }
  const fs::path shots = fs::path(CYBERDRILL_BINARY_DIR) / "live-screens";
  fs::create_directories(shots);
  viz::Canvas controller(1920, 1080);
  w.draw(controller);
  controller.save_png(shots / "controller.png");
  REQUIRE(w.handle(key(sf::Keyboard::V)));
  REQUIRE(w.handle(key(sf::Keyboard::H)));
  viz::Canvas help(1920, 1080);
  w.draw(help);
  help.save_png(shots / "participant-help.png");
  REQUIRE(w.handle(key(sf::Keyboard::H)));  // any key closes the help
  viz::Canvas participant(1920, 1080);
  w.draw(participant);
  participant.save_png(shots / "participant.png");
  CHECK(fs::file_size(shots / "controller.png") > 10000);
  CHECK(participant.target().getTexture().copyToImage().getPixelsPtr() != nullptr);
  const sf::Image a = participant.target().getTexture().copyToImage();
  const sf::Image b = controller.target().getTexture().copyToImage();
  CHECK(std::memcmp(a.getPixelsPtr(), b.getPixelsPtr(), 1920 * 1080 * 4) != 0);
}

TEST_CASE("live window: frames at x600 (timed; figures in bench/README.md)") {
  std::string why;
  if (!viz::ensure_display(&why)) {
    MESSAGE("no display: " << why);
    return;
  }
  Fixture f;
  LiveWindow w(*f.drill, "facilitator");
  viz::Canvas canvas(1920, 1080);
  REQUIRE(w.handle(key(sf::Keyboard::F4)));
  REQUIRE(w.handle(key(sf::Keyboard::Space)));
  constexpr int kFrames = 120;
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < kFrames; ++i) {
    w.tick(1.0 / 60.0);  // each frame advances 10 simulated seconds at x600
    w.draw(canvas);
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  CHECK(f.drill->session().now() == SimTime::zero() + Duration::minutes(20));
  // Pause latency: the key is handled and the next frame shows the clock stopped.
  const auto p0 = std::chrono::steady_clock::now();
  REQUIRE(w.handle(key(sf::Keyboard::Space)));
  w.tick(1.0 / 60.0);
  w.draw(canvas);
  const double pause_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - p0).count();
  CHECK(w.paused());
  CHECK(f.drill->session().now() == SimTime::zero() + Duration::minutes(20));
  MESSAGE("flagship at x600: " << kFrames / s << " frames/s (draw + tick, 1920x1080 off-screen), pause to next frame "
                               << pause_ms << " ms");
}
