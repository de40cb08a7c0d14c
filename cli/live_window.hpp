// The projector window of a live drill (SFML; built with CYBERDRILL_BUILD_VIZ).
//
// LiveWindow is the front end without the OS window: it takes SFML events (handle), advances
// the drill by wall-clock time x speed (tick: the only place pacing lives), and draws the
// current state onto a 1920x1080 canvas (draw: a const function of the drill's snapshot).
// run_live_window() puts it in a real window. Keys (also in the help overlay, h):
//   space pause/resume · F1 real time · F2 x10 · F3 x60 · F4 x600 · n next inject or decision
//   s step one event · 1..9 take option N of the current decision · i ad hoc inject (then its
//   number; Esc cancels) · j jump to a time (type hh:mm, Enter; then paused) · t note (type,
//   Enter) · v participant/controller view · h help · q or closing the window ends the drill.
// Mouse (left button): clicking an option of the shown decision takes it; clicking the view
// banner (top right) toggles the view. handle() takes mouse positions in canvas coordinates
// (1920x1080 layout; run_live_window() maps window pixels to them).
#pragma once

#include <SFML/Window/Event.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "live_drill.hpp"

namespace cyberdrill::viz {
class Canvas;
}

namespace cyberdrill::cli {

/// One asset on the map as the current view shows it.
struct MapTile {
  Index asset = kNone;
  std::optional<double> level;  ///< participant: the lowest level any organisation believes; nullopt = not known
  bool compromised = false;     ///< controller only
  bool hidden = false;          ///< controller only: an undetected foothold
  friend bool operator==(const MapTile&, const MapTile&) = default;
};

class LiveWindow {
 public:
  LiveWindow(LiveDrill& drill, std::string who);

  /// One input event. Returns false when the drill should end (q, window closed).
  bool handle(const sf::Event& event);
  /// Advances the simulated clock by wall_seconds x speed unless paused; pauses at a decision.
  void tick(double wall_seconds);
  /// Draws the whole screen (canvas of any size; laid out for 1920x1080).
  void draw(viz::Canvas& canvas) const;

  [[nodiscard]] bool paused() const { return paused_; }
  [[nodiscard]] double speed() const { return speed_; }
  [[nodiscard]] LiveView view() const { return view_; }
  [[nodiscard]] LiveModel model() const { return drill_.model(view_); }
  [[nodiscard]] std::vector<MapTile> tiles() const;
  /// The last message shown in the status line (errors, confirmations).
  [[nodiscard]] const std::string& message() const { return message_; }

 private:
  enum class Mode : unsigned char { normal, help, inject_menu, jump, note };
  void key(sf::Keyboard::Key code);
  void draw_map(viz::Canvas& c, float u, float w, float h, const std::vector<MapTile>& tiles) const;
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
  // The map is redrawn only when a tile changed (a frame is then a few dozen draw calls).
  mutable std::unique_ptr<viz::Canvas> map_canvas_;
  mutable std::vector<MapTile> map_tiles_;
  // Where the last draw() put what a click can hit (canvas coordinates).
  struct Hit {
    float x = 0, y = 0, w = 0, h = 0;
    [[nodiscard]] bool contains(float px, float py) const { return px >= x && px < x + w && py >= y && py < y + h; }
  };
  mutable Hit banner_hit_;
  mutable std::vector<Hit> option_hits_;
};

/// A key script (`cyberdrill live --script FILE`): input the window plays before the facilitator's
/// own, one entry per frame. One entry a line; blank lines and lines starting with '#' are
/// skipped:
///   KEY          a key press by the names on screen: space, enter, esc, backspace, f1..f4, a..z,
///                0..9 (e.g. "f4", "n", "1", "v", "q")
///   type TEXT    the characters of TEXT typed (after t: a note; after j: a time such as 02:00)
///   click X Y    a left click at canvas coordinates (1920x1080 layout)
/// Throws std::runtime_error naming the line of an entry it does not know.
[[nodiscard]] std::vector<sf::Event> parse_key_script(const std::string& text);

/// Runs the drill in a 1920x1080 window until it is closed or 'q' is pressed (by the facilitator
/// or by `script`, played first, one event per frame).
void run_live_window(LiveDrill& drill, const std::string& who, const std::vector<sf::Event>& script = {});

}  // namespace cyberdrill::cli
