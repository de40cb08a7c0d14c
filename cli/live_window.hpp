// The projector window of a live drill (SFML; built with CYBERDRILL_BUILD_VIZ).
//
// LiveWindow is the front end without the OS window: it takes SFML events (handle), advances
// the drill by wall-clock time x speed (tick: the only place pacing lives; the work per call can
// be capped in wall time, so a fast speed slows the simulated clock instead of the frames), and
// draws the current state onto a 1920x1080 canvas (draw: a function of the drill's snapshot).
// Drawing is batched (viz::Batch): the screen is recorded once per change of what it shows (the
// snapshot is taken again only when the session moved) and replayed in a few draw calls; the map
// is recorded only when a tile changed.
// run_live_window() puts it in a real window. Keys (also in the help overlay, h):
//   space pause/resume · F1 real time · F2 x10 · F3 x60 · F4 x600 · n next inject or decision
//   s step one event · 1..9 take option N of the current decision · i ad hoc inject (then its
//   number; Esc cancels) · j jump to a time (type hh:mm, Enter; then paused) · t note (type,
//   Enter) · v participant/controller view · h help · q or closing the window ends the drill.
// Mouse (left button): clicking an option of the shown decision takes it; clicking the view
// banner (top right) toggles the view. Pointing at a map tile shows the asset's full name, sector
// and status in a tooltip. handle() takes mouse positions in canvas coordinates
// (1920x1080 layout; run_live_window() maps window pixels to them).
#pragma once

#include <SFML/Window/Event.hpp>

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "live_drill.hpp"
#include "tile_map.hpp"

#include "draw_batch.hpp"

namespace cyberdrill::viz {
class Canvas;
}

namespace cyberdrill::cli {

class LiveWindow {
 public:
  LiveWindow(LiveDrill& drill, std::string who);

  /// One input event. Returns false when the drill should end (q, window closed).
  bool handle(const sf::Event& event);
  /// Advances the simulated clock by wall_seconds x speed unless paused; pauses at a decision.
  /// `budget_seconds` caps the wall time spent: the session is advanced one event time at a time
  /// and stops once the budget is spent (after at least one), short of the target; the next call
  /// continues from there. The trace does not depend on where it stopped.
  void tick(double wall_seconds, double budget_seconds = std::numeric_limits<double>::infinity());
  /// Draws the whole screen (canvas of any size; laid out for 1920x1080), then canvas.present().
  void draw(viz::Canvas& canvas) const;
  /// Draw calls and vertices of the last frame drawn (for the benchmark).
  [[nodiscard]] std::size_t last_draw_calls() const { return frame_.draw_calls(); }
  [[nodiscard]] std::size_t last_vertices() const { return frame_.vertices(); }

  [[nodiscard]] bool paused() const { return paused_; }
  [[nodiscard]] double speed() const { return speed_; }
  [[nodiscard]] LiveView view() const { return view_; }
  [[nodiscard]] LiveModel model() const { return drill_.model(view_); }
  [[nodiscard]] std::vector<MapTile> tiles() const;
  /// The asset whose tile the pointer is on (as the last draw() laid the map out), or kNone.
  [[nodiscard]] Index hovered() const { return hovered_asset(); }
  /// The last message shown in the status line (errors, confirmations).
  [[nodiscard]] const std::string& message() const { return message_; }

 private:
  enum class Mode : unsigned char { normal, help, inject_menu, jump, note };
  void key(sf::Keyboard::Key code);
  [[nodiscard]] std::vector<MapTile> tiles_of(const SessionSnapshot& snap) const;
  void refresh() const;
  void record(viz::Canvas& c) const;
  void draw_map(viz::Canvas& c, float x, float y, float w, float h) const;
  void draw_tooltip(viz::Canvas& c) const;
  void text(std::uint32_t unicode);
  void click(float x, float y);
  LiveDrill& drill_;
  std::string who_;
  bool paused_ = true;
  double speed_ = 60;
  LiveView view_ = LiveView::participant;
  Mode mode_ = Mode::normal;
  std::string entry_;
  std::string message_;
  float hover_x_ = -1, hover_y_ = -1;  ///< pointer position (canvas coordinates)
  // What the screen shows, rebuilt only when the session moved or the view changed.
  struct ModelKey {
    std::int64_t now_us = -1;
    std::uint64_t dispatched = 0;
    std::size_t actions = 0;
    LiveView view = LiveView::participant;
    friend bool operator==(const ModelKey&, const ModelKey&) = default;
  };
  mutable ModelKey model_key_;
  mutable LiveModel model_;
  mutable std::vector<MapTile> tiles_;
  // The recorded screen and what it was recorded from; the map is recorded apart.
  struct FrameKey {
    ModelKey model;
    bool paused = true;
    double speed = 0;
    Mode mode = Mode::normal;
    std::string entry, message;
    Index hover = kNone;
    friend bool operator==(const FrameKey&, const FrameKey&) = default;
  };
  mutable FrameKey frame_key_;
  mutable std::uint64_t frame_canvas_ = 0;  ///< Canvas::id() the frame was recorded on
  mutable viz::Batch frame_;
  mutable viz::Batch map_;
  mutable std::vector<MapTile> map_tiles_;
  mutable bool map_valid_ = false;
  mutable LiveView map_view_ = LiveView::participant;
  // Where the last draw() put what a click or the pointer can hit (canvas coordinates).
  using Hit = TileBox;
  mutable Hit banner_hit_;
  mutable std::vector<Hit> option_hits_;
  mutable std::vector<Hit> tile_hits_;  ///< by asset index
  [[nodiscard]] Index hovered_asset() const;
};

/// One entry of a key script: an input event, or a pause of the script (the window runs on).
struct ScriptEntry {
  sf::Event event{};
  double wait_seconds = -1;  ///< >= 0: no event, the script waits this long
};

/// A key script (`cyberdrill live --script FILE`): input the window plays before the facilitator's
/// own, one entry per frame. One entry a line; blank lines and lines starting with '#' are
/// skipped:
///   KEY          a key press by the names on screen: space, enter, esc, backspace, f1..f4, a..z,
///                0..9 (e.g. "f4", "n", "1", "v", "q")
///   type TEXT    the characters of TEXT typed (after t: a note; after j: a time such as 02:00)
///   click X Y    a left click at canvas coordinates (1920x1080 layout)
///   move X Y     the pointer moved to X Y (a map tile shows its tooltip)
///   wait S       the script waits S seconds (wall clock; the window keeps running)
/// Throws std::runtime_error naming the line of an entry it does not know.
[[nodiscard]] std::vector<ScriptEntry> parse_key_script(const std::string& text);

struct LiveWindowOptions {
  std::vector<ScriptEntry> script;  ///< played first, one entry per frame
  unsigned max_fps = 60;            ///< frame pacing; 0: as fast as it draws (benchmark)
  double sim_budget_seconds = 0.004;  ///< wall time the simulation may take per frame
  /// When set: per-frame timings and pause latencies written here at the end (bench/live_frames.sh).
  std::string stats_path;
  std::string screenshot_path;  ///< when set: the last frame saved as PNG at the end
};

/// Runs the drill in a 1920x1080 window until it is closed or 'q' is pressed (by the facilitator
/// or by the script).
void run_live_window(LiveDrill& drill, const std::string& who, const LiveWindowOptions& options = {});

}  // namespace cyberdrill::cli
