// The after-action replay window (`cyberdrill replay DIR`; SFML, built with CYBERDRILL_BUILD_VIZ):
// the live drill's look over a recorded run folder, moved by a time scrubber instead of a running
// simulation.
//
// ReplayWindow is the front end without the OS window: handle() takes SFML events, tick() moves
// the clock by wall-clock time x speed while playing, draw() draws the screen at now() onto a
// canvas laid out for 1920x1080 (any size; it scales with the height). Drawing is a const
// function of (runs, now, view, selection): the state at now() comes from ReplayIndex::seek (one
// checkpoint copy, not a replay from T+0), the chain panel from causal_chain().
//
// Keys (also in the help overlay, h):
//   space play/pause · F1 x60 · F2 x600 · F3 x3600 · F4 x21600 (simulated seconds a second)
//   n / p next / previous event (any record time) · i d e o jump to the next inject, decision,
//   escalation, outage onset · r back to T+0 · v true state / what the national level knew
//   z scrubber over the action only / the whole run · c or Esc close the chain panel · h help
//   q or closing the window quits.
// Mouse (left button): a tile selects its asset (the chain panel: why it failed and came back at
// now()); the scrubber (bottom) seeks, dragging scrubs; the view banner (top right) toggles the
// view. handle() takes positions in canvas coordinates (1920x1080 layout).
//
// --compare: two runs side by side on one clock (the same now() for both), each its own map; the
// chain panel of a tile of one run opens over the other run's map.
#pragma once

#include <SFML/Window/Event.hpp>

#include <optional>
#include <string>
#include <vector>

#include "cyberdrill/replay.hpp"
#include "cyberdrill/run_folder.hpp"
#include "draw_batch.hpp"
#include "tile_map.hpp"

namespace cyberdrill::viz {
class Canvas;
}

namespace cyberdrill::cli {

enum class ReplayView : unsigned char {
  truth,  ///< ground truth: true levels, compromised assets, undetected footholds
  known,  ///< what the observer organisation (the triage organisation) knew: believed levels only
};

/// The speeds of F1..F4, simulated seconds per wall second.
inline constexpr double kReplaySpeeds[] = {60, 600, 3600, 21600};

class ReplayWindow {
 public:
  /// `b` (may be null: no comparison) and `a` must outlive the window. Builds each run's index
  /// (O(records)) and starts paused at T+0, x600, in the true view.
  explicit ReplayWindow(const RecordedRun& a, const RecordedRun* b = nullptr);

  /// One input event. Returns false when the window should close (q, closed).
  bool handle(const sf::Event& event);
  /// While playing: now += wall_seconds x speed (stops at the end and pauses there).
  void tick(double wall_seconds);
  /// Draws the whole screen at now() (laid out for 1920x1080, scaled to the canvas), then
  /// canvas.present().
  void draw(viz::Canvas& canvas) const;

  /// Moves the clock to `t` clamped to [T+0, end()].
  void seek(SimTime t);
  void set_view(ReplayView v) { view_ = v; }
  void set_speed(double simulated_seconds_per_second) { speed_ = simulated_seconds_per_second; }
  void set_playing(bool on) { playing_ = on; }
  /// Selects asset `a` of run `run` (the chain panel); kNone closes the panel.
  void select(std::size_t run, Index a);

  [[nodiscard]] SimTime now() const { return now_; }
  /// The later of the runs' ends.
  [[nodiscard]] SimTime end() const { return end_; }
  [[nodiscard]] bool playing() const { return playing_; }
  [[nodiscard]] double speed() const { return speed_; }
  [[nodiscard]] ReplayView view() const { return view_; }
  [[nodiscard]] std::size_t runs() const { return runs_.size(); }
  [[nodiscard]] Index selected() const { return selected_; }
  [[nodiscard]] std::size_t selected_run() const { return selected_run_; }
  [[nodiscard]] const std::string& message() const { return message_; }
  /// The state of run `r` at now().
  [[nodiscard]] const ReplayState& state(std::size_t r) const;
  /// The tiles of run `r` as the current view shows them.
  [[nodiscard]] std::vector<MapTile> tiles(std::size_t r) const;
  /// The chain panel's lines (empty when nothing is selected).
  [[nodiscard]] std::vector<std::string> chain_lines() const;
  /// Where the last draw() put asset `a`'s tile of run `r`.
  [[nodiscard]] std::optional<TileBox> tile_box(std::size_t r, Index a) const;
  /// The scrubber's track as the last draw() laid it out (x maps linearly to T+0 .. scrubber_end()).
  [[nodiscard]] TileBox scrubber() const { return track_; }
  /// The time at the right end of the scrubber: end(), or with the focus on (z) the end of the
  /// action: the time by which 90 % of the marks and of the changes in the number of assets below
  /// full service (of every run) had happened, plus 10 % (at least 1 h), at most end().
  [[nodiscard]] SimTime scrubber_end() const { return focus_ ? focus_end_ : end_; }
  [[nodiscard]] bool focused() const { return focus_; }

 private:
  struct Run {
    const RecordedRun* run = nullptr;
    ReplayIndex index;
    std::string label;
    /// Key events in words (time, text, shown in the known view too), in time order.
    std::vector<std::pair<SimTime, std::string>> events;
    std::vector<bool> public_event;
    /// Assets below full service after each record time (for the scrubber's curve).
    std::vector<std::pair<SimTime, std::uint32_t>> below_full;
    Run(const RecordedRun& r, Index observer);
  };
  enum class Mode : unsigned char { normal, help };
  void key(sf::Keyboard::Key code);
  void click(float x, float y);
  void jump(std::optional<SimTime> t, const char* what);
  void refresh() const;
  void record(viz::Canvas& c) const;
  void draw_scrubber(viz::Canvas& c, float x, float y, float w, float h) const;
  void draw_scrubber_background(viz::Canvas& c, float x, float y, float w, float h) const;
  void draw_chain(viz::Canvas& c, float x, float y, float w, float h) const;
  void draw_events(viz::Canvas& c, const Run& run, float x, float y, float w, float h) const;
  [[nodiscard]] SimTime time_at_x(float x) const;

  std::vector<Run> runs_;
  SimTime now_;
  SimTime end_;
  bool playing_ = false;
  double speed_ = 600;
  ReplayView view_ = ReplayView::truth;
  Mode mode_ = Mode::normal;
  Index selected_ = kNone;
  std::size_t selected_run_ = 0;
  bool dragging_ = false;
  bool focus_ = false;
  SimTime focus_end_;
  std::string message_;
  double carry_us_ = 0;  ///< sub-microsecond remainder of tick()
  // The state at now(), per run (recomputed when now() moved).
  mutable std::vector<ReplayState> states_;
  mutable SimTime states_at_ = SimTime::max();
  // Where the last draw() put what a click can hit (canvas coordinates).
  mutable std::vector<std::vector<TileBox>> tile_hits_;
  mutable std::vector<TileBox> map_boxes_;
  mutable TileBox banner_;
  mutable TileBox track_;
  mutable viz::Batch frame_;
  // Recorded apart and again only when what they show changed: each run's map (tiles, view,
  // canvas) and the scrubber's background (canvas).
  struct MapCache {
    viz::Batch batch;
    std::vector<MapTile> tiles;
    ReplayView view = ReplayView::truth;
    std::uint64_t canvas = 0;
  };
  mutable std::vector<MapCache> maps_;
  mutable viz::Batch scrub_;
  mutable std::uint64_t scrub_canvas_ = 0;
  mutable SimTime scrub_span_;
};

}  // namespace cyberdrill::cli
