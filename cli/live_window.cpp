#include "live_window.hpp"

#include <SFML/Graphics.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cctype>
#include <cstdio>
#include <map>
#include <stdexcept>

#include "canvas.hpp"
#include "cyberdrill/viz.hpp"
#include "palette.hpp"

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

std::string level_text(std::optional<double> l) {
  if (!l) return "no report";
  if (*l >= 0.99) return "ok";
  if (*l <= 0.01) return "DOWN";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.0f%%", *l * 100);
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

void LiveWindow::tick(double wall_seconds) {
  if (paused_ || mode_ == Mode::jump || mode_ == Mode::note) return;
  RunSession& s = drill_.session();
  const auto us = static_cast<std::int64_t>(std::llround(wall_seconds * speed_ * 1e6));
  if (s.advance_to_next(false, true, s.now() + Duration::from_us(us)) == RunSession::Stop::decision) {
    paused_ = true;
    message_ = "paused: a decision is open";
  }
  if (s.at_end()) paused_ = true;
}

std::vector<MapTile> LiveWindow::tiles() const {
  const SessionSnapshot snap = drill_.session().snapshot();
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

void LiveWindow::draw_map(viz::Canvas& c, float u, float W, float H, const std::vector<MapTile>& tile) const {
  const Scenario& sc = drill_.scenario();
  // --- the map: assets by sector, coloured by level, with a text cue --------------------------
  const float mx = 0, my = 0, mw = W, mh = H;
  c.target().clear(viz::to_sf(col::panel));
  c.rect(1, 1, mw - 2, mh - 2, col::panel, col::grid, 1);
  std::map<Index, std::vector<Index>> by_sector;
  for (Index a = 0; a < sc.assets.size(); ++a) by_sector[sc.assets[a].sector].push_back(a);
  // The largest tiles (aspect 0.55) whose rows, each sector starting a row, fit the panel.
  int cols = 1;
  float tw = 0, th = 0;
  for (cols = 1; cols < 400; ++cols) {
    tw = (mw - 32 * u) / static_cast<float>(cols);
    th = tw * 0.55f;
    std::size_t rows = 0;
    for (const auto& [sector, assets] : by_sector) rows += (assets.size() + cols - 1) / cols;
    if (static_cast<float>(rows) * th <= mh - 60 * u) break;
  }
  const bool labels = th >= 28 * u;
  int slot = 0;
  for (const auto& [sector, assets] : by_sector) {
    if (slot % cols != 0) slot += cols - slot % cols;  // each sector starts a row
    for (Index a : assets) {
      const float x = mx + 16 * u + static_cast<float>(slot % cols) * tw;
      const float y = my + 48 * u + static_cast<float>(slot / cols) * th;
      ++slot;
      const MapTile& t = tile[a];
      const viz::Rgb fill = viz::level_colour(t.level);
      const viz::Rgb outline = t.hidden ? col::bad : t.compromised ? col::compromised : col::grid;
      c.rect(x + 2 * u, y + 2 * u, tw - 4 * u, th - 4 * u, fill, outline, t.hidden || t.compromised ? 4 * u : 1);
      if (labels) {
        const std::string cue = (t.hidden ? "HIDDEN " : t.compromised ? "HACKED " : "") + level_text(t.level);
        c.text(printable(sc.assets[a].id), x + 8 * u, y + 4 * u, std::min(20 * u, th * 0.35f), col::text, true,
               viz::Align::left, tw - 16 * u);
        c.text(cue, x + 8 * u, y + th * 0.5f, std::min(18 * u, th * 0.32f), col::text, false, viz::Align::left,
               tw - 16 * u);
      }
    }
  }

  c.target().display();
}

void LiveWindow::draw(viz::Canvas& c) const {
  const LiveModel m = model();
  const Scenario& sc = drill_.scenario();
  const float u = c.u(), W = c.width(), H = c.height();
  const bool controller = view_ == LiveView::controller;
  c.target().clear(viz::to_sf(col::background));

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

  // --- the map: assets by sector, coloured by level, with a text cue --------------------------
  const float mx = 20 * u, my = 140 * u, mw = 1080 * u, mh = H - 220 * u;
  const std::vector<MapTile> tile = tiles();
  const auto cw = static_cast<unsigned>(mw), ch = static_cast<unsigned>(mh);
  if (!map_canvas_ || map_canvas_->width() != static_cast<float>(cw) || map_canvas_->height() != static_cast<float>(ch)) {
    map_canvas_ = std::make_unique<viz::Canvas>(cw, ch);
    map_tiles_.clear();
  }
  if (tile != map_tiles_) {
    draw_map(*map_canvas_, u, static_cast<float>(cw), static_cast<float>(ch), tile);
    map_tiles_ = tile;
  }
  sf::Sprite map_sprite(map_canvas_->target().getTexture());
  map_sprite.setPosition(mx, my);
  c.target().draw(map_sprite);
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
    case Mode::normal: break;
  }
  c.target().display();
}

std::vector<sf::Event> parse_key_script(const std::string& text) {
  using K = sf::Keyboard;
  static const std::map<std::string, K::Key> named = {
      {"space", K::Space}, {"enter", K::Enter}, {"esc", K::Escape}, {"escape", K::Escape},
      {"backspace", K::BackSpace}, {"f1", K::F1}, {"f2", K::F2}, {"f3", K::F3}, {"f4", K::F4}};
  std::vector<sf::Event> out;
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
        out.push_back(e);
      }
      continue;
    }
    if (line.rfind("click ", 0) == 0) {
      int x = -1, y = -1;
      char extra = 0;
      if (std::sscanf(line.c_str() + 6, "%d %d %c", &x, &y, &extra) != 2 || x < 0 || y < 0)
        throw std::runtime_error("line " + std::to_string(line_no) + ": 'click X Y' needs two pixel coordinates");
      e.type = sf::Event::MouseButtonPressed;
      e.mouseButton.button = sf::Mouse::Left;
      e.mouseButton.x = x;
      e.mouseButton.y = y;
      out.push_back(e);
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
                               "' (a key name, 'type TEXT' or 'click X Y')");
    out.push_back(e);
  }
  return out;
}

void run_live_window(LiveDrill& drill, const std::string& who, const std::vector<sf::Event>& script) {
  std::string why;
  if (!viz::ensure_display(&why)) throw std::runtime_error("no display for the window: " + why + " (or use --console)");
  sf::RenderWindow window(sf::VideoMode(1920, 1080), "cyberdrill live", sf::Style::Default);
  window.setVerticalSyncEnabled(true);
  window.setFramerateLimit(60);
  viz::Canvas canvas(1920, 1080);
  LiveWindow live(drill, who);
  auto last = std::chrono::steady_clock::now();
  std::size_t scripted = 0;
  while (window.isOpen()) {
    sf::Event e;
    bool quit = false;
    while (window.pollEvent(e)) {
      if (e.type == sf::Event::MouseButtonPressed) {
        // Window pixels to the canvas's 1920x1080 layout (the canvas is stretched to the window).
        const sf::Vector2u ws = window.getSize();
        e.mouseButton.x = static_cast<int>(static_cast<float>(e.mouseButton.x) * 1920.f / static_cast<float>(std::max(1u, ws.x)));
        e.mouseButton.y = static_cast<int>(static_cast<float>(e.mouseButton.y) * 1080.f / static_cast<float>(std::max(1u, ws.y)));
      }
      if (!live.handle(e)) quit = true;
    }
    if (!quit && scripted < script.size() && !live.handle(script[scripted++])) quit = true;
    if (quit) break;
    const auto now = std::chrono::steady_clock::now();
    live.tick(std::chrono::duration<double>(now - last).count());
    last = now;
    live.draw(canvas);
    window.clear();
    sf::Sprite sprite(canvas.target().getTexture());
    const sf::Vector2u ws = window.getSize();
    sprite.setScale(static_cast<float>(ws.x) / 1920.f, static_cast<float>(ws.y) / 1080.f);
    window.draw(sprite);
    window.display();
  }
  window.close();
}

}  // namespace cyberdrill::cli
