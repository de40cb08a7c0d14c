// The replay window's front end under a private Xvfb (viz::ensure_display): synthetic key and
// mouse events move the clock, jump to marks, open an asset's causal chain and scrub; two runs
// share one clock. Screens are saved under build/replay-screens (looked at by hand).
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <vector>

#include "../run/run_helpers.hpp"
#include "canvas.hpp"
#include "cyberdrill/generate.hpp"
#include "cyberdrill/replay.hpp"
#include "cyberdrill/run_folder.hpp"
#include "cyberdrill/viz.hpp"
#include "cyberdrill/world.hpp"
#include "live_model.hpp"
#include "palette.hpp"
#include "replay_window.hpp"

using namespace cyberdrill;
using namespace cyberdrill::cli;
using namespace cyberdrill::testing;
namespace fs = std::filesystem;

namespace {

sf::Event key(sf::Keyboard::Key k) {
  sf::Event e{};
  e.type = sf::Event::KeyPressed;
  e.key.code = k;
  return e;
}
sf::Event mouse(sf::Event::EventType type, float x, float y) {
  sf::Event e{};
  e.type = type;
  if (type == sf::Event::MouseMoved) {
    e.mouseMove.x = static_cast<int>(x);
    e.mouseMove.y = static_cast<int>(y);
  } else {
    e.mouseButton.button = sf::Mouse::Left;
    e.mouseButton.x = static_cast<int>(x);
    e.mouseButton.y = static_cast<int>(y);
  }
  return e;
}

/// The flagship (and, for --compare, the flagship against the 2017 plan) written as run folders
/// and read back: the replay sees only what a folder holds.
struct Folders {
  fs::path dir;
  RecordedRun a, b;
  Folders() {
    dir = fs::temp_directory_path() / ("cyberdrill-replay-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    a = write_and_read(flagship(), {}, "nis2");
    b = write_and_read(flagship(), source_dir() / "scenarios" / "belgium" / "plan-2017.json", "plan2017");
  }
  RecordedRun write_and_read(const fs::path& scenario, const fs::path& plan, const std::string& name) {
    const Scenario sc = load(scenario, plan);
    RunOptions o;
    o.seed = sc.metadata.seed;
    const RunResult r = run_scenario(sc, o);
    RunManifest m;
    m.scenario_path = scenario.string();
    m.plan_path = plan.string();
    m.command_line = "test";
    write_run_folder(dir / name, sc, r, m);
    return read_run_folder(dir / name);
  }
  ~Folders() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

Folders& folders() {
  static Folders f;
  return f;
}

std::optional<SimTime> first_of(const RecordedRun& run, RecordKind k) {
  for (const TraceRecord& r : run.result.records)
    if (r.kind == k) return r.time;
  return std::nullopt;
}

fs::path screens() {
  const fs::path p = fs::path(CYBERDRILL_BINARY_DIR) / "replay-screens";
  fs::create_directories(p);
  return p;
}

}  // namespace

TEST_CASE("replay window: play moves the clock by wall time x speed, pause stops it, keys jump to the marks") {
  const RecordedRun& run = folders().a;
  ReplayWindow w(run);
  CHECK_FALSE(w.playing());
  CHECK(w.now() == SimTime::zero());
  CHECK(w.end() == run.result.end);
  w.tick(10.0);
  CHECK(w.now() == SimTime::zero());  // paused: the clock stands still

  REQUIRE(w.handle(key(sf::Keyboard::F2)));  // x600
  REQUIRE(w.handle(key(sf::Keyboard::Space)));
  CHECK(w.playing());
  w.tick(1.0);
  CHECK(w.now() == SimTime::zero() + Duration::minutes(10));
  REQUIRE(w.handle(key(sf::Keyboard::Space)));
  w.tick(5.0);
  CHECK(w.now() == SimTime::zero() + Duration::minutes(10));

  // Jumps: the next mark of each kind after now, paused there.
  REQUIRE(w.handle(key(sf::Keyboard::R)));
  CHECK(w.now() == SimTime::zero());
  const auto inject = first_of(run, RecordKind::inject_delivered);
  REQUIRE(inject);
  REQUIRE(w.handle(key(sf::Keyboard::I)));
  CHECK(w.now() == *inject);
  CHECK_FALSE(w.playing());
  REQUIRE(w.handle(key(sf::Keyboard::R)));
  REQUIRE(w.handle(key(sf::Keyboard::E)));
  CHECK(w.now() == *first_of(run, RecordKind::escalated));
  CHECK(w.state(0).escalation != kNone);
  REQUIRE(w.handle(key(sf::Keyboard::R)));
  REQUIRE(w.handle(key(sf::Keyboard::D)));
  CHECK(w.now() == *first_of(run, RecordKind::decision_taken));
  REQUIRE(w.handle(key(sf::Keyboard::R)));
  REQUIRE(w.handle(key(sf::Keyboard::O)));
  const SimTime outage = w.now();
  CHECK(w.state(0).in_outage >= 1);
  w.seek(outage - Duration::from_us(1));
  CHECK(w.state(0).in_outage < ReplayIndex(run.scenario, run.result.records, kNone).seek(outage).in_outage);

  // n / p: the next and previous record time.
  w.seek(outage);
  REQUIRE(w.handle(key(sf::Keyboard::N)));
  const SimTime next = w.now();
  CHECK(next > outage);
  CHECK(std::none_of(run.result.records.begin(), run.result.records.end(),
                     [&](const TraceRecord& r) { return r.time > outage && r.time < next; }));
  CHECK(std::any_of(run.result.records.begin(), run.result.records.end(),
                    [&](const TraceRecord& r) { return r.time == next; }));
  REQUIRE(w.handle(key(sf::Keyboard::P)));
  CHECK(w.now() == outage);

  // Playing to the end pauses there.
  w.seek(w.end() - Duration::minutes(1));
  REQUIRE(w.handle(key(sf::Keyboard::Space)));
  w.tick(10.0);
  CHECK(w.now() == w.end());
  CHECK_FALSE(w.playing());
  CHECK_FALSE(w.handle(key(sf::Keyboard::Q)));
}

TEST_CASE("replay window: the known view shows only what the observer knew") {
  const RecordedRun& run = folders().a;
  ReplayWindow w(run);
  w.seek(run.result.end);
  const auto truth = w.tiles(0);
  REQUIRE(w.handle(key(sf::Keyboard::V)));
  CHECK(w.view() == ReplayView::known);
  const auto known = w.tiles(0);
  const ReplayState& s = w.state(0);
  bool some_unknown = false, some_compromised = false;
  for (Index a = 0; a < known.size(); ++a) {
    CHECK_FALSE(known[a].compromised);
    CHECK_FALSE(known[a].hidden);
    if (std::isnan(s.believed[a])) {
      CHECK_FALSE(known[a].level.has_value());
      some_unknown = true;
    } else {
      CHECK(known[a].level == s.believed[a]);
    }
    CHECK(truth[a].level == s.level[a]);
    some_compromised = some_compromised || truth[a].compromised;
  }
  CHECK(some_unknown);
  CHECK(some_compromised);
}

TEST_CASE("replay window: clicking a failed tile opens its causal chain, the scrubber seeks and scrubs") {
  std::string why;
  REQUIRE_MESSAGE(viz::ensure_display(&why), why);
  const RecordedRun& run = folders().a;
  ReplayWindow w(run);
  // The moment of the longest failure chain among the assets below full service then.
  const ReplayIndex index(run.scenario, run.result.records, kNone);
  SimTime when;
  Index target = kNone;
  std::size_t longest = 0;
  for (const SimTime t : index.marks(ReplayMark::outage)) {
    const ReplayState s = index.seek(t + Duration::hours(1));
    for (Index a = 0; a < s.level.size(); ++a) {
      if (s.level[a] >= kFullServiceLevel) continue;
      const CausalChain c = causal_chain(run.scenario, run.result.records, a, t + Duration::hours(1));
      if (c.failure.size() > longest) longest = c.failure.size(), target = a, when = t + Duration::hours(1);
    }
  }
  REQUIRE(target != kNone);
  CHECK(longest >= 2);
  w.seek(when);
  viz::Canvas canvas(1920, 1080, 0);  // as the window: no multisampling
  w.draw(canvas);
  const auto box = w.tile_box(0, target);
  REQUIRE(box);
  REQUIRE(w.handle(mouse(sf::Event::MouseButtonPressed, box->x + box->w / 2, box->y + box->h / 2)));
  REQUIRE(w.handle(mouse(sf::Event::MouseButtonReleased, box->x + box->w / 2, box->y + box->h / 2)));
  CHECK(w.selected() == target);
  CHECK(w.selected_run() == 0);
  const auto lines = w.chain_lines();
  std::vector<std::string> expected;
  for (const std::string& l :
       describe_causal_chain(run.scenario, causal_chain(run.scenario, run.result.records, target, when)))
    expected.push_back(printable(l));
  CHECK(lines == expected);
  REQUIRE_FALSE(lines.empty());
  CHECK(lines.front() == "Why it failed");
  w.draw(canvas);
  canvas.save_png(screens() / "chain.png");
  {
    // The selected tile is framed in the text colour just outside its box.
    const sf::Image img = canvas.target().getTexture().copyToImage();
    const auto b = *w.tile_box(0, target);
    const sf::Color px = img.getPixel(static_cast<unsigned>(b.x + b.w / 2), static_cast<unsigned>(b.y - 2));
    CHECK(px == viz::to_sf(viz::colours::text));
  }
  // Pressing c closes the panel.
  REQUIRE(w.handle(key(sf::Keyboard::C)));
  CHECK(w.selected() == kNone);
  CHECK(w.chain_lines().empty());

  // The scrubber: a click seeks to the time under the pointer, a drag scrubs, release stops.
  const TileBox track = w.scrubber();
  REQUIRE(track.w > 1000);
  const double px_us = static_cast<double>(w.end().us()) / track.w;  // one pixel of the track
  REQUIRE(w.handle(mouse(sf::Event::MouseButtonPressed, track.x + track.w / 2, track.y + track.h / 2)));
  CHECK(std::abs(static_cast<double>(w.now().us()) - static_cast<double>(w.end().us()) / 2.0) <= px_us);
  REQUIRE(w.handle(mouse(sf::Event::MouseMoved, track.x + track.w * 3 / 4, track.y + 5)));
  CHECK(std::abs(static_cast<double>(w.now().us()) - static_cast<double>(w.end().us()) * 0.75) <= px_us);
  REQUIRE(w.handle(mouse(sf::Event::MouseButtonReleased, track.x + track.w * 3 / 4, track.y + 5)));
  const SimTime scrubbed = w.now();
  REQUIRE(w.handle(mouse(sf::Event::MouseMoved, track.x + 10, track.y + 5)));
  CHECK(w.now() == scrubbed);  // released: moving no longer scrubs
  // z: the scrubber spans the action only (the first outage and escalation on it), then the
  // whole run again.
  REQUIRE(w.handle(key(sf::Keyboard::Z)));
  CHECK(w.focused());
  CHECK(w.scrubber_end() < w.end());
  CHECK(w.scrubber_end() > index.marks(ReplayMark::outage).front());
  CHECK(w.scrubber_end() > index.marks(ReplayMark::escalation).front());
  w.draw(canvas);
  canvas.save_png(screens() / "focused.png");
  REQUIRE(w.handle(mouse(sf::Event::MouseButtonPressed, track.x + track.w / 2, track.y + track.h / 2)));
  REQUIRE(w.handle(mouse(sf::Event::MouseButtonReleased, track.x + track.w / 2, track.y + track.h / 2)));
  CHECK(std::abs(static_cast<double>(w.now().us()) - static_cast<double>(w.scrubber_end().us()) / 2.0) <=
        static_cast<double>(w.scrubber_end().us()) / track.w);
  REQUIRE(w.handle(key(sf::Keyboard::Z)));
  CHECK(w.scrubber_end() == w.end());
  // The banner toggles the view.
  REQUIRE(w.handle(mouse(sf::Event::MouseButtonPressed, 1700, 60)));
  CHECK(w.view() == ReplayView::known);
  w.draw(canvas);
  canvas.save_png(screens() / "known.png");

  // Seek and redraw at random times (figures in bench/README.md come from bench/replay_seek).
  std::vector<double> ms, seek_ms, draw_ms;
  std::uint64_t x = 7;
  for (int i = 0; i < 20; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    const auto t = SimTime::from_us(static_cast<std::int64_t>((x >> 11) % static_cast<std::uint64_t>(w.end().us())));
    using Clock = std::chrono::steady_clock;
    const auto t0 = Clock::now();
    w.seek(t);
    (void)w.state(0);
    const auto t1 = Clock::now();
    w.draw(canvas);
    const auto t2 = Clock::now();
    (void)canvas.target().getTexture().copyToImage();  // wait for the GPU (software GL) to finish
    const auto t3 = Clock::now();
    ms.push_back(std::chrono::duration<double, std::milli>(t3 - t0).count());
    seek_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    draw_ms.push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
  }
  std::sort(ms.begin(), ms.end());
  std::sort(seek_ms.begin(), seek_ms.end());
  std::sort(draw_ms.begin(), draw_ms.end());
  MESSAGE("of which seek (median) " << seek_ms[seek_ms.size() / 2] << " ms, recording and draw calls "
                                    << draw_ms[draw_ms.size() / 2] << " ms");
  MESSAGE("flagship: seek + draw + read-back at 1920x1080: min " << ms.front() << " ms, median " << ms[ms.size() / 2]
                                                                  << " ms, max " << ms.back() << " ms");
}

TEST_CASE("replay window: --compare puts two runs side by side on one clock") {
  std::string why;
  REQUIRE_MESSAGE(viz::ensure_display(&why), why);
  const RecordedRun& a = folders().a;
  const RecordedRun& b = folders().b;
  ReplayWindow w(a, &b);
  CHECK(w.runs() == 2);
  CHECK(w.end() == std::max(a.result.end, b.result.end));
  const ReplayIndex ib(b.scenario, b.result.records, kNone);
  for (const double f : {0.1, 0.3, 0.6}) {
    const auto t = SimTime::from_us(static_cast<std::int64_t>(static_cast<double>(w.end().us()) * f));
    w.seek(t);
    CHECK(w.state(0).at == t);
    CHECK(w.state(1).at == t);
    CHECK(w.state(1).level == ib.seek(t).level);
  }
  // Jumps consider both runs: the earliest next escalation of either.
  w.seek(SimTime::zero());
  REQUIRE(w.handle(key(sf::Keyboard::E)));
  CHECK(w.now() == std::min(*first_of(a, RecordKind::escalated), *first_of(b, RecordKind::escalated)));

  const ReplayIndex ia(a.scenario, a.result.records, kNone);
  w.seek(ia.marks(ReplayMark::outage).front() + Duration::hours(1));
  viz::Canvas canvas(1920, 1080, 0);  // as the window: no multisampling
  w.draw(canvas);
  // Run B's map is the right half; a click on one of its failed tiles opens B's chain.
  Index failed = kNone;
  for (Index i = 0; i < w.state(1).level.size() && failed == kNone; ++i)
    if (w.state(1).level[i] < kFullServiceLevel) failed = i;
  REQUIRE(failed != kNone);
  const auto box = w.tile_box(1, failed);
  REQUIRE(box);
  CHECK(box->x > 960);
  CHECK(w.tile_box(0, failed)->x < 960);
  REQUIRE(w.handle(mouse(sf::Event::MouseButtonPressed, box->x + box->w / 2, box->y + box->h / 2)));
  CHECK(w.selected() == failed);
  CHECK(w.selected_run() == 1);
  const std::vector<std::string> lines = w.chain_lines();
  REQUIRE_FALSE(lines.empty());
  CHECK(lines.front() == "Why it failed");
  w.draw(canvas);
  canvas.save_png(screens() / "compare.png");
}

TEST_CASE("replay window: seek and redraw at random times in a generated 10^4-asset world (timed, figures in bench/README.md)") {
  std::string why;
  REQUIRE_MESSAGE(viz::ensure_display(&why), why);
  // The world of bench/replay_seek.cpp: 24 six-hour DDoS on the assets with the most dependents.
  GenerateOptions g;
  g.assets = 10'000;
  Scenario sc = generate_infrastructure(g);
  std::vector<std::size_t> dependents(sc.assets.size(), 0);
  for (const Asset& a : sc.assets)
    for (const Dependency& d : a.depends_on) ++dependents[d.supplier];
  std::vector<Index> order(sc.assets.size());
  for (Index i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](Index a, Index b) { return dependents[a] > dependents[b]; });
  Campaign c;
  c.id = "bench";
  for (int k = 0; k < 24; ++k) {
    AttackStep st;
    st.id = "ddos-" + std::to_string(k);
    st.targets = {order[static_cast<std::size_t>(k)]};
    st.time_to_compromise = DurationDist::fixed(Duration::hours(2 * (k + 1)));
    st.effect.kind = AttackEffect::Kind::ddos;
    st.effect.level = 0.1;
    st.effect.duration = Duration::hours(6);
    c.steps.push_back(st);
  }
  sc.campaigns.push_back(c);
  RecordedRun run;
  run.scenario = sc;
  RunOptions o;
  run.result = run_scenario(run.scenario, o);
  REQUIRE(run.result.records.size() > 1000);
  ReplayWindow w(run);
  viz::Canvas canvas(1920, 1080, 0);
  w.draw(canvas);
  std::vector<double> seek_ms, frame_ms, draw_ms;
  std::uint64_t x = 11;
  for (int i = 0; i < 10; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    const auto t = SimTime::from_us(static_cast<std::int64_t>((x >> 11) % static_cast<std::uint64_t>(w.end().us())));
    using Clock = std::chrono::steady_clock;
    const auto t0 = Clock::now();
    w.seek(t);
    (void)w.state(0);
    const auto t1 = Clock::now();
    w.draw(canvas);
    const auto td = Clock::now();
    (void)canvas.target().getTexture().copyToImage();
    const auto t2 = Clock::now();
    seek_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    frame_ms.push_back(std::chrono::duration<double, std::milli>(t2 - t0).count());
    draw_ms.push_back(std::chrono::duration<double, std::milli>(td - t1).count());
    CHECK(w.state(0).level == ReplayIndex(run.scenario, run.result.records, kNone).seek(t).level);
  }
  canvas.save_png(screens() / "generated-10k.png");
  std::sort(seek_ms.begin(), seek_ms.end());
  std::sort(frame_ms.begin(), frame_ms.end());
  std::sort(draw_ms.begin(), draw_ms.end());
  MESSAGE("10^4 assets: recording and draw calls (median) " << draw_ms[draw_ms.size() / 2] << " ms");
  MESSAGE("10^4 assets, " << run.result.records.size() << " records: seek min/median/max " << seek_ms.front() << " / "
                          << seek_ms[seek_ms.size() / 2] << " / " << seek_ms.back()
                          << " ms; seek + draw + read-back at 1920x1080 " << frame_ms.front() << " / "
                          << frame_ms[frame_ms.size() / 2] << " / " << frame_ms.back() << " ms");
}
