#include "live_window.hpp"

#include <SFML/Graphics.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cctype>
#include <cstdio>
#include <map>
#include <optional>
#include <stdexcept>
#include <thread>

#include "canvas.hpp"
#include "cyberdrill/viz.hpp"
#include "palette.hpp"
#include "timeline.hpp"

namespace cyberdrill::cli {
namespace {

namespace col = viz::colours;

constexpr const char* kKeys[] = {
    "space    pause / resume the clock",
    "F1 F2 F3 F4   speed: real time, x10, x60, x600",
    "n        run to the next inject or decision",
    "s        step one event",
    "1 .. 9   take option N of the current decision",
    "i        ad hoc inject from the contingency list (then its number)",
    "j        jump to a time (type hh:mm, Enter), then paused",
    "t        write a note for the after-action report (Enter)",
    "v        participant view / controller view (ground truth)",
    "h        this help          Esc  close a menu",
    "q        end the drill and write the run folder",
};

std::string speed_label(double s) {
  if (s == 1) return "real time";
  char buf[32];
  std::snprintf(buf, sizeof buf, "x%g", s);
  return buf;
}

}  // namespace

LiveWindow::LiveWindow(LiveDrill& drill, std::string who) : drill_(drill), who_(std::move(who)) {}

bool LiveWindow::handle(const sf::Event& e) {
  if (e.type == sf::Event::Closed) return false;
  if (e.type == sf::Event::TextEntered && (mode_ == Mode::jump || mode_ == Mode::note)) {
    text(e.text.unicode);
    return true;
  }
  if (e.type == sf::Event::MouseMoved) {
    hover_x_ = static_cast<float>(e.mouseMove.x);
    hover_y_ = static_cast<float>(e.mouseMove.y);
    return true;
  }
  if (e.type == sf::Event::MouseLeft) {
    hover_x_ = hover_y_ = -1;
    return true;
  }
  if (e.type == sf::Event::MouseButtonPressed && e.mouseButton.button == sf::Mouse::Left) {
    click(static_cast<float>(e.mouseButton.x), static_cast<float>(e.mouseButton.y));
    return true;
  }
  if (e.type != sf::Event::KeyPressed) return true;
  if (mode_ == Mode::normal && e.key.code == sf::Keyboard::Q) return false;
  key(e.key.code);
  return true;
}

void LiveWindow::click(float x, float y) {
  if (mode_ != Mode::normal) return;  // a menu or an entry is open: keys only
  if (banner_hit_.contains(x, y)) {
    key(sf::Keyboard::V);
    return;
  }
  for (std::size_t i = 0; i < option_hits_.size() && i < 9; ++i)
    if (option_hits_[i].contains(x, y)) {
      key(static_cast<sf::Keyboard::Key>(sf::Keyboard::Num1 + static_cast<int>(i)));
      return;
    }
}

void LiveWindow::text(std::uint32_t c) {
  if (c == '\r' || c == '\n' || c == 27) return;  // handled as keys
  if (c == 8) {
    if (!entry_.empty()) entry_.pop_back();
    return;
  }
  if (c >= 32 && c < 127 && entry_.size() < 200) entry_ += static_cast<char>(c);
}

void LiveWindow::key(sf::Keyboard::Key k) {
  using K = sf::Keyboard;
  RunSession& s = drill_.session();
  auto digit = [&]() -> int {
    if (k >= K::Num1 && k <= K::Num9) return k - K::Num1 + 1;
    if (k >= K::Numpad1 && k <= K::Numpad9) return k - K::Numpad1 + 1;
    return 0;
  };
  if (k == K::Escape) {
    mode_ = Mode::normal;
    entry_.clear();
    return;
  }
  switch (mode_) {
    case Mode::help:
      mode_ = Mode::normal;
      return;
    case Mode::inject_menu: {
      const int d = digit();
      const auto list = drill_.contingency_injects();
      if (d >= 1 && static_cast<std::size_t>(d) <= list.size()) {
        const std::string err = drill_.inject(drill_.scenario().injects[list[d - 1]].id);
        message_ = err.empty() ? "inject " + printable(drill_.scenario().injects[list[d - 1]].id) + " delivered" : err;
      }
      mode_ = Mode::normal;
      return;
    }
    case Mode::jump:
    case Mode::note:
      if (k == K::Enter) {
        if (mode_ == Mode::note) {
          if (!entry_.empty()) drill_.note(entry_);
          message_ = "note written at " + format_sim_time(s.now());
        } else {
          std::string err;
          const std::string t = entry_.rfind("T+", 0) == 0 ? entry_ : "T+" + entry_;
          const auto at = try_parse_sim_time(t, &err);
          if (!at) message_ = "jump: " + err;
          else if (*at < s.now()) message_ = "jump: " + t + " is in the past";
          else {
            s.advance_to(*at);
            paused_ = true;
            message_ = "jumped to " + format_sim_time(s.now()) + " (paused)";
          }
        }
        entry_.clear();
        mode_ = Mode::normal;
      } else if (k == K::BackSpace && !entry_.empty()) {
        entry_.pop_back();
      }
      return;
    case Mode::normal: break;
  }
  if (const int d = digit()) {
    const auto open = s.response().open_decision_info();
    if (open.empty()) {
      message_ = "no decision is open";
      return;
    }
    const std::string err = drill_.decide("1", std::to_string(d), who_);
    message_ = err.empty() ? "decided " + printable(drill_.scenario().decisions[open.front().decision].id) +
                                 " option " + std::to_string(d)
                           : err;
    return;
  }
  switch (k) {
    case K::Space: paused_ = !paused_; message_ = paused_ ? "paused" : "running " + speed_label(speed_); break;
    case K::F1: speed_ = 1; break;
    case K::F2: speed_ = 10; break;
    case K::F3: speed_ = 60; break;
    case K::F4: speed_ = 600; break;
    case K::N: {
      paused_ = true;
      const auto stop = s.advance_to_next(true, true, s.end());
      message_ = stop == RunSession::Stop::limit ? "no further inject or decision" : "paused at " + format_sim_time(s.now());
      break;
    }
    case K::S: (void)s.step(); paused_ = true; break;
    case K::I: mode_ = Mode::inject_menu; break;
    case K::J: mode_ = Mode::jump; entry_.clear(); break;
    case K::T: mode_ = Mode::note; entry_.clear(); break;
    case K::V: view_ = view_ == LiveView::participant ? LiveView::controller : LiveView::participant; break;
    case K::H: mode_ = Mode::help; break;
    default: break;
  }
}

void LiveWindow::tick(double wall_seconds, double budget_seconds) {
  if (paused_ || mode_ == Mode::jump || mode_ == Mode::note) return;
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  RunSession& s = drill_.session();
  const auto us = static_cast<std::int64_t>(std::llround(wall_seconds * speed_ * 1e6));
  const SimTime target = std::min(s.now() + Duration::from_us(us), s.end());
  // One event time at a time, so the wall-time budget is checked between them.
  for (;;) {
    const SimTime next = s.next_event_time();
    if (next > target) {
      s.advance_to(target);
      break;
    }
    if (s.advance_to_next(false, true, next) == RunSession::Stop::decision) {
      paused_ = true;
      message_ = "paused: a decision is open";
      break;
    }
    if (std::chrono::duration<double>(Clock::now() - start).count() >= budget_seconds) break;
  }
  if (s.at_end()) paused_ = true;
}

std::vector<MapTile> LiveWindow::tiles() const { return tiles_of(drill_.session().snapshot()); }

std::vector<MapTile> LiveWindow::tiles_of(const SessionSnapshot& snap) const {
  const Scenario& sc = drill_.scenario();
  std::vector<MapTile> out(sc.assets.size());
  for (Index a = 0; a < sc.assets.size(); ++a) out[a].asset = a;
  if (view_ == LiveView::controller) {
    for (Index a = 0; a < sc.assets.size(); ++a) {
      out[a].level = snap.asset_level[a];
      out[a].compromised = snap.compromised[a] != 0;
    }
    for (Index a : snap.undetected_footholds) out[a].hidden = true;
  } else {
    for (const OrgSnapshot& o : snap.orgs)
      for (const auto& [asset, level] : o.known)
        out[asset].level = out[asset].level ? std::min(*out[asset].level, level) : level;
  }
  return out;
}

void LiveWindow::refresh() const {
  RunSession& s = drill_.session();
  const ModelKey key{s.now().us(), s.dispatched(), s.actions().size(), view_};
  if (key == model_key_) return;
  const SessionSnapshot snap = s.snapshot();
  model_ = build_live_model(drill_.scenario(), snap, view_, 6, &drill_.impact());
  tiles_ = tiles_of(snap);
  model_key_ = key;
}

Index LiveWindow::hovered_asset() const {
  if (mode_ != Mode::normal) return kNone;
  for (Index a = 0; a < tile_hits_.size(); ++a)
    if (tile_hits_[a].contains(hover_x_, hover_y_)) return a;
  return kNone;
}

// The map (tile_map.hpp), recorded into map_ (screen coordinates).
void LiveWindow::draw_map(viz::Canvas& c, float mx, float my, float mw, float mh) const {
  const bool controller = view_ == LiveView::controller;
  draw_tile_map(c, drill_.scenario(), tiles_, mx, my, mw, mh, tile_hits_,
                TileMapText{controller ? "All assets at full service" : "No service loss reported",
                            controller ? "bar: true service level (empty: down) \u00b7 C compromised \u00b7 H undetected foothold"
                                       : "bar: service level reported (empty: down) \u00b7 grey, no bar: nothing reported \u00b7 point at a tile: its name"});
}

void LiveWindow::draw_tooltip(viz::Canvas& c) const {
  const Index a = hovered_asset();
  if (a == kNone || a >= tiles_.size()) return;
  const Scenario& sc = drill_.scenario();
  const float u = c.u();
  const Asset& as = sc.assets[a];
  const std::string title = printable(as.name.empty() ? as.id : as.name);
  std::string sub = printable(as.id);
  if (as.sector < sc.sectors.size()) sub += " \u00b7 " + printable(sc.sectors[as.sector].name);
  const std::string status = (view_ == LiveView::controller ? "true level: " : "reported: ") + tile_status(tiles_[a]);
  const float w = std::min(900 * u, std::max({c.measure(title, 28 * u, true).x, c.measure(sub, 22 * u).x,
                                              c.measure(status, 24 * u).x}) + 36 * u);
  const float h = 124 * u;
  const Hit& t = tile_hits_[a];
  float x = std::clamp(t.x + t.w / 2 - w / 2, 10 * u, c.width() - w - 10 * u);
  float y = t.y + t.h + 8 * u;
  if (y + h > c.height() - 70 * u) y = t.y - h - 8 * u;
  c.rect(x, y, w, h, viz::Rgb{255, 255, 240}, col::text, 2 * u);
  c.text(title, x + 18 * u, y + 10 * u, 28 * u, col::text, true, viz::Align::left, w - 36 * u);
  c.text(sub, x + 18 * u, y + 50 * u, 22 * u, col::muted, false, viz::Align::left, w - 36 * u);
  c.text(status, x + 18 * u, y + 82 * u, 24 * u, tiles_[a].hidden ? col::bad : col::text, true, viz::Align::left,
         w - 36 * u);
}

void LiveWindow::draw(viz::Canvas& c) const {
  refresh();
  const FrameKey key{model_key_, paused_, speed_, mode_, entry_, message_, hovered_asset()};
  if (c.id() != frame_canvas_ || !(key == frame_key_)) {
    if (c.id() != frame_canvas_) map_valid_ = false;  // glyph textures belong to the canvas
    frame_.clear();
    c.begin_batch(frame_);
    record(c);
    c.end_batch();
    frame_key_ = key;
    frame_canvas_ = c.id();
  }
  c.surface().clear(viz::to_sf(col::background));
  c.draw(frame_);
  c.present();
}

void LiveWindow::record(viz::Canvas& c) const {
  const LiveModel& m = model_;
  const Scenario& sc = drill_.scenario();
  const float u = c.u(), W = c.width(), H = c.height();
  const bool controller = view_ == LiveView::controller;

  // --- top bar: clock, speed, phase, the view banner ---------------------------------------
  c.rect(0, 0, W, 120 * u, col::panel, col::grid, 1);
  c.text(m.clock, 24 * u, 14 * u, 44 * u, col::text, true);
  c.text((paused_ ? "PAUSED" : "RUNNING") + std::string("  ") + speed_label(speed_), 24 * u, 72 * u, 28 * u,
         paused_ ? col::bad : col::good, true);
  c.text("phase: " + m.phase, 420 * u, 72 * u, 28 * u, col::text, false, viz::Align::left, 900 * u);
  const viz::Rgb banner = controller ? viz::Rgb{213, 94, 0} : viz::Rgb{0, 114, 178};
  c.rect(W - 560 * u, 14 * u, 540 * u, 92 * u, banner);
  banner_hit_ = Hit{W - 560 * u, 14 * u, 540 * u, 92 * u};
  option_hits_.clear();
  c.text(controller ? "CONTROLLER VIEW" : "PARTICIPANT VIEW", W - 290 * u, 20 * u, 38 * u, col::panel, true,
         viz::Align::centre);
  c.text(controller ? "ground truth: not for the players" : "what the players know", W - 290 * u, 66 * u, 24 * u,
         col::panel, false, viz::Align::centre);

  // --- the map: recorded apart, again only when a tile changed -------------------------------
  const float mx = 20 * u, my = 140 * u, mw = 1080 * u, mh = H - 220 * u;
  if (!map_valid_ || map_view_ != view_ || tiles_ != map_tiles_) {
    map_.clear();
    c.begin_batch(map_);
    draw_map(c, mx, my, mw, mh);
    c.begin_batch(frame_);
    map_tiles_ = tiles_;
    map_view_ = view_;
    map_valid_ = true;
  }
  c.draw(map_);
  c.text(controller ? "Cascade: true service levels" : "Cascade: service levels as reported", mx + 16 * u, my + 8 * u,
         26 * u, col::text, true);

  // --- right column: decision, injects, obligations, organisations, people -----------------
  const float rx = 1120 * u, rw = W - rx - 20 * u;
  float y = 140 * u;
  auto panel_title = [&](const std::string& t) {
    c.text(t, rx, y, 28 * u, col::muted, true);
    y += 40 * u;
  };
  if (!m.decisions.empty()) {
    const LiveDecisionView& d = m.decisions.front();
    const float h = (110 + 44 * static_cast<float>(d.options.size())) * u;
    c.rect(rx - 10 * u, y - 6 * u, rw + 20 * u, h, viz::Rgb{255, 244, 214}, col::warn, 3 * u);
    c.text("DECISION " + d.id + " (owner " + d.owner + ", deadline " + d.deadline + ")", rx, y, 24 * u, col::text,
           true, viz::Align::left, rw);
    c.text(d.question, rx, y + 34 * u, 28 * u, col::text, false, viz::Align::left, rw);
    float oy = y + 76 * u;
    for (const std::string& o : d.options) {
      c.text(o, rx + 20 * u, oy, 28 * u, col::text, true, viz::Align::left, rw - 20 * u);
      option_hits_.push_back(Hit{rx, oy - 4 * u, rw, 44 * u});
      oy += 44 * u;
    }
    y += h + 12 * u;
    if (m.decisions.size() > 1)
      c.text("+" + std::to_string(m.decisions.size() - 1) + " more open decision(s)", rx, y - 6 * u, 22 * u, col::muted);
    y += 20 * u;
  }
  panel_title("People affected, economic loss");
  // Believed and (controller) true figures each on a line of their own.
  auto figure_lines = [&](const std::string& text, float size, bool bold) {
    std::size_t from = 0;
    for (;;) {
      const std::size_t bar = text.find("  |  ", from);
      c.text(text.substr(from, bar == std::string::npos ? std::string::npos : bar - from), rx, y, size * u, col::text,
             bold, viz::Align::left, rw);
      y += (size + 10) * u;
      if (bar == std::string::npos) break;
      from = bar + 5;
    }
  };
  figure_lines(m.people, 26, true);
  if (!m.loss.empty()) figure_lines(m.loss, 24, false);
  y += 10 * u;
  panel_title("Injects");
  for (std::size_t i = 0; i < std::min<std::size_t>(m.injects.size(), 3); ++i) {
    // The newest inject in full (up to 4 lines), older ones on one line.
    std::string rest = m.injects[i];
    for (int line = 0; line < (i == 0 ? 4 : 1) && !rest.empty(); ++line) {
      std::size_t cut = rest.size();
      while (cut > 0 && c.measure(rest.substr(0, cut), 24 * u, i == 0).x > rw) {
        const std::size_t sp = rest.rfind(' ', cut - 1);
        cut = sp == std::string::npos || sp == 0 ? cut - 1 : sp;
      }
      if (cut == 0) cut = rest.size();
      c.text(rest.substr(0, cut), rx, y, 24 * u, i == 0 ? col::text : col::muted, i == 0, viz::Align::left, rw);
      rest = cut < rest.size() ? rest.substr(cut + (rest[cut] == ' ' ? 1 : 0)) : std::string();
      y += 32 * u;
    }
    y += 4 * u;
  }
  if (m.injects.empty()) y += 34 * u;
  y += 10 * u;
  panel_title("Obligations running");
  for (std::size_t i = 0; i < std::min<std::size_t>(m.obligations.size(), controller ? 2 : 4) && y < H - 140 * u + 1; ++i) {
    c.text(m.obligations[i], rx, y, 24 * u, col::text, false, viz::Align::left, rw);
    y += 34 * u;
  }
  if (m.obligations.empty()) y += 34 * u;
  y += 10 * u;
  const bool orgs_fit = y < H - 180 * u;  // else no room left above the status line
  if (orgs_fit) panel_title("Organisations (staff, queue)");
  for (std::size_t i = 0; orgs_fit && i < std::min<std::size_t>(m.organisations.size(), controller ? 2 : 5) && y < H - 140 * u + 1; ++i) {
    c.text(m.organisations[i], rx, y, 24 * u, col::text, false, viz::Align::left, rw);
    y += 34 * u;
  }
  y += 10 * u;
  if (controller && y < H - 180 * u) {  // else no room left above the status line
    y += 10 * u;
    panel_title("Ground truth");
    for (const std::string& f : m.undetected) {
      if (y > H - 120 * u) break;
      c.text("UNDETECTED FOOTHOLD: " + f, rx, y, 24 * u, col::bad, true, viz::Align::left, rw);
      y += 34 * u;
    }
    for (const std::string& t : m.truth) {
      if (y > H - 120 * u) break;
      c.text(t, rx, y, 22 * u, col::text, false, viz::Align::left, rw);
      y += 30 * u;
    }
  }

  // --- bottom: status line and key hint ------------------------------------------------------
  c.rect(0, H - 64 * u, W, 64 * u, col::panel, col::grid, 1);
  c.text(message_, 24 * u, H - 50 * u, 26 * u, col::text, false, viz::Align::left, 1000 * u);
  c.text("space pause · F1-F4 speed · n next · s step · 1-9 decide · i inject · j jump · t note · v view · h help",
         W - 24 * u, H - 48 * u, 22 * u, col::muted, false, viz::Align::right);

  // --- overlays ------------------------------------------------------------------------------
  auto overlay = [&](const std::string& title, const std::vector<std::string>& lines) {
    const float ow = 1300 * u, oh = (120 + 46 * static_cast<float>(lines.size())) * u;
    const float ox = (W - ow) / 2, oy = (H - oh) / 2;
    c.rect(0, 0, W, H, viz::Rgb{0, 0, 0, 110});
    c.rect(ox, oy, ow, oh, col::panel, col::text, 3 * u);
    c.text(title, ox + 30 * u, oy + 24 * u, 34 * u, col::text, true);
    float ly = oy + 84 * u;
    for (const std::string& l : lines) {
      c.text(l, ox + 40 * u, ly, 28 * u, col::text, false, viz::Align::left, ow - 80 * u);
      ly += 46 * u;
    }
  };
  switch (mode_) {
    case Mode::help: overlay("Keys (any key closes)", std::vector<std::string>(std::begin(kKeys), std::end(kKeys))); break;
    case Mode::inject_menu: {
      std::vector<std::string> lines;
      const auto list = drill_.contingency_injects();
      for (std::size_t i = 0; i < list.size() && i < 9; ++i)
        lines.push_back(std::to_string(i + 1) + ") " + printable(sc.injects[list[i]].id) + "  " +
                        printable(sc.injects[list[i]].synopsis));
      if (lines.empty()) lines.push_back("no contingency inject left (Esc)");
      overlay("Ad hoc inject: press its number (Esc cancels)", lines);
      break;
    }
    case Mode::jump: overlay("Jump to (hh:mm, Enter; Esc cancels)", {"T+" + entry_ + "_"}); break;
    case Mode::note: overlay("Note for the after-action report (Enter; Esc cancels)", {entry_ + "_"}); break;
    case Mode::normal: draw_tooltip(c); break;
  }
}

std::vector<ScriptEntry> parse_key_script(const std::string& text) {
  using K = sf::Keyboard;
  static const std::map<std::string, K::Key> named = {
      {"space", K::Space}, {"enter", K::Enter}, {"esc", K::Escape}, {"escape", K::Escape},
      {"backspace", K::BackSpace}, {"f1", K::F1}, {"f2", K::F2}, {"f3", K::F3}, {"f4", K::F4}};
  std::vector<ScriptEntry> out;
  auto push = [&](const sf::Event& e) { out.push_back(ScriptEntry{e, -1}); };
  std::size_t start = 0;
  for (int line_no = 1; start <= text.size(); ++line_no) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    std::string line = text.substr(start, nl - start);
    start = nl + 1;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
    const std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    line.erase(0, first);
    sf::Event e{};
    if (line.rfind("type ", 0) == 0) {
      for (const char ch : line.substr(5)) {
        e.type = sf::Event::TextEntered;
        e.text.unicode = static_cast<unsigned char>(ch);
        push(e);
      }
      continue;
    }
    if (line.rfind("wait ", 0) == 0) {
      double secs = -1;
      char extra = 0;
      if (std::sscanf(line.c_str() + 5, "%lf %c", &secs, &extra) != 1 || !(secs >= 0) || secs > 86400)
        throw std::runtime_error("line " + std::to_string(line_no) + ": 'wait S' needs seconds (0 .. 86400)");
      out.push_back(ScriptEntry{e, secs});
      continue;
    }
    const bool is_click = line.rfind("click ", 0) == 0, is_move = line.rfind("move ", 0) == 0;
    if (is_click || is_move) {
      int x = -1, y = -1;
      char extra = 0;
      if (std::sscanf(line.c_str() + (is_click ? 6 : 5), "%d %d %c", &x, &y, &extra) != 2 || x < 0 || y < 0)
        throw std::runtime_error("line " + std::to_string(line_no) + ": '" + (is_click ? "click" : "move") +
                                 " X Y' needs two pixel coordinates");
      if (is_click) {
        e.type = sf::Event::MouseButtonPressed;
        e.mouseButton.button = sf::Mouse::Left;
        e.mouseButton.x = x;
        e.mouseButton.y = y;
      } else {
        e.type = sf::Event::MouseMoved;
        e.mouseMove.x = x;
        e.mouseMove.y = y;
      }
      push(e);
      continue;
    }
    std::string name = line;
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    e.type = sf::Event::KeyPressed;
    e.key.alt = e.key.control = e.key.shift = e.key.system = false;
    if (const auto it = named.find(name); it != named.end()) e.key.code = it->second;
    else if (name.size() == 1 && name[0] >= 'a' && name[0] <= 'z') e.key.code = static_cast<K::Key>(K::A + (name[0] - 'a'));
    else if (name.size() == 1 && name[0] >= '0' && name[0] <= '9') e.key.code = static_cast<K::Key>(K::Num0 + (name[0] - '0'));
    else
      throw std::runtime_error("line " + std::to_string(line_no) + ": unknown key '" + line +
                               "' (a key name, 'type TEXT', 'click X Y', 'move X Y' or 'wait S')");
    push(e);
  }
  return out;
}

void run_live_window(LiveDrill& drill, const std::string& who, const LiveWindowOptions& opt) {
  using Clock = std::chrono::steady_clock;
  std::string why;
  if (!viz::ensure_display(&why)) throw std::runtime_error("no display for the window: " + why + " (or use --console)");
  // No multisampling: the screen is axis-aligned rectangles and text (which has its own
  // antialiasing); under software OpenGL 4x multisampling cost most of a frame.
  sf::ContextSettings settings;
  settings.antialiasingLevel = 0;
  sf::RenderWindow window(sf::VideoMode(1920, 1080), "cyberdrill live", sf::Style::Default, settings);
  window.setVerticalSyncEnabled(opt.max_fps > 0);
  // Drawn straight into the window, laid out for 1920x1080 (the view stretches it to the window).
  viz::Canvas canvas(window, 1920, 1080);
  LiveWindow live(drill, who);
  const auto t_start = Clock::now();
  auto last = t_start;
  auto next_frame = t_start;
  std::size_t scripted = 0;
  bool waiting = false;
  Clock::time_point wait_until{};
  // Benchmark figures: when each frame was displayed, whether the clock ran, and for each pause
  // the time from the key being handled to the display of the first frame drawn after it.
  struct Frame {
    double at, draw_ms, sim_s;
    bool running;
  };
  std::vector<Frame> frames;
  std::vector<double> pause_ms;
  bool pause_pending = false;
  Clock::time_point pause_key{};
  const bool stats = !opt.stats_path.empty();
  if (stats) frames.reserve(1 << 16);
  auto handle = [&](const sf::Event& e) {
    const bool was_paused = live.paused();
    const bool go_on = live.handle(e);
    if (stats && !was_paused && live.paused() && !pause_pending) {
      pause_pending = true;
      pause_key = Clock::now();
    }
    return go_on;
  };
  while (window.isOpen()) {
    const auto frame_start = Clock::now();
    // Input first: a key pressed during the last frame takes effect in this one.
    sf::Event e;
    bool quit = false;
    while (window.pollEvent(e)) {
      if (e.type == sf::Event::MouseButtonPressed || e.type == sf::Event::MouseMoved) {
        // Window pixels to the canvas's 1920x1080 layout (the canvas is stretched to the window).
        const sf::Vector2u ws = window.getSize();
        int& x = e.type == sf::Event::MouseMoved ? e.mouseMove.x : e.mouseButton.x;
        int& y = e.type == sf::Event::MouseMoved ? e.mouseMove.y : e.mouseButton.y;
        x = static_cast<int>(static_cast<float>(x) * 1920.f / static_cast<float>(std::max(1u, ws.x)));
        y = static_cast<int>(static_cast<float>(y) * 1080.f / static_cast<float>(std::max(1u, ws.y)));
      }
      if (!handle(e)) quit = true;
    }
    if (waiting && frame_start >= wait_until) waiting = false;
    if (!quit && !waiting && scripted < opt.script.size()) {
      const ScriptEntry& s = opt.script[scripted++];
      if (s.wait_seconds >= 0) {
        waiting = true;
        wait_until = frame_start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s.wait_seconds));
      } else if (!handle(s.event))
        quit = true;
    }
    if (quit) break;
    const auto now = Clock::now();
    // The simulation's share of a frame is capped: at x600 a busy stretch of the scenario slows
    // the simulated clock for a moment instead of stalling the picture.
    const bool running = !live.paused();
    live.tick(std::chrono::duration<double>(now - last).count(), opt.sim_budget_seconds);
    last = now;
    live.draw(canvas);
    window.display();
    const auto shown = Clock::now();
    if (stats) {
      frames.push_back(Frame{std::chrono::duration<double>(shown - t_start).count(),
                             std::chrono::duration<double, std::milli>(shown - now).count(),
                             static_cast<double>(drill.session().now().us()) / 1e6, running});
      if (pause_pending) {
        pause_ms.push_back(std::chrono::duration<double, std::milli>(shown - pause_key).count());
        pause_pending = false;
      }
    }
    if (opt.max_fps > 0) {
      // Frame deadlines on a fixed grid (no drift: max_fps frames a second when drawing keeps
      // up on average; a late frame is caught up by not sleeping); more than 4 frames behind
      // (a stall), the grid starts again from now.
      const auto period = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / opt.max_fps));
      next_frame += period;
      const auto after = Clock::now();
      if (next_frame < after - 4 * period) next_frame = after;
      else std::this_thread::sleep_until(next_frame);
    }
  }
  if (!opt.screenshot_path.empty()) {
    sf::Texture shot;
    if (shot.create(window.getSize().x, window.getSize().y)) {
      shot.update(window);
      if (!shot.copyToImage().saveToFile(opt.screenshot_path))
        throw std::runtime_error("cannot write " + opt.screenshot_path);
    }
  }
  window.close();
  if (stats) {
    std::FILE* f = std::fopen(opt.stats_path.c_str(), "w");
    if (f == nullptr) throw std::runtime_error("cannot write " + opt.stats_path);
    std::fprintf(f, "# last frame: %zu draw calls, %zu vertices\n", live.last_draw_calls(), live.last_vertices());
    std::fprintf(f, "# frame N displayed_at_s tick_draw_display_ms simulated_s running (1: the clock ran)\n");
    for (std::size_t i = 0; i < frames.size(); ++i)
      std::fprintf(f, "frame %zu %.6f %.3f %.3f %d\n", i, frames[i].at, frames[i].draw_ms, frames[i].sim_s,
                   frames[i].running ? 1 : 0);
    for (const double ms : pause_ms) std::fprintf(f, "pause_latency_ms %.3f\n", ms);
    if (std::fclose(f) != 0) throw std::runtime_error("cannot write " + opt.stats_path);
  }
}

}  // namespace cyberdrill::cli
