#include "replay_window.hpp"

#include <SFML/Graphics.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

#include "canvas.hpp"
#include "cyberdrill/world.hpp"
#include "live_model.hpp"
#include "palette.hpp"
#include "snapshot.hpp"

namespace cyberdrill::cli {
namespace {

namespace col = viz::colours;

constexpr const char* kKeys[] = {
    "space    play / pause",
    "F1 F2 F3 F4   speed: x60, x600, x3600, x21600 (simulated seconds a second)",
    "n  p     next / previous event",
    "i d e o  jump to the next inject, decision, escalation, outage",
    "r        back to T+0          z  scrubber: the action only / the whole run",
    "v        true state / what the national level knew",
    "click    a tile: why it failed and came back; the scrubber: go there (drag to scrub)",
    "c Esc    close the chain panel          h  this help",
    "q        quit",
};

// Whole minutes are enough on a screen.
std::string minute_clock(SimTime t) { return format_sim_time(SimTime::from_us(t.us() / 60'000'000 * 60'000'000)); }

std::string speed_label(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "x%g", s);
  return buf;
}

std::string people_text(double p) {
  char buf[32];
  if (p >= 1e6) std::snprintf(buf, sizeof buf, "%.2f M", p / 1e6);
  else if (p >= 1e4) std::snprintf(buf, sizeof buf, "%.0f k", p / 1e3);
  else std::snprintf(buf, sizeof buf, "%.0f", p);
  return buf;
}

std::string run_label(const RecordedRun& r) {
  const Scenario& sc = r.scenario;
  std::string s = printable(sc.plan.name.empty() ? sc.plan.id : sc.plan.name);
  if (!sc.plan.version.empty()) s += " v" + printable(sc.plan.version);
  s += (s.empty() ? "" : " \u00b7 ") + std::string("seed ") + std::to_string(r.result.seed);
  if (!r.dir.empty()) s += " \u00b7 " + printable(r.dir.filename().string());
  return s;
}

std::string level_name(const Scenario& sc, Index l) {
  if (l == kNone || l >= sc.plan.levels.size()) return "no escalation";
  const EscalationLevel& lv = sc.plan.levels[l];
  return printable(lv.name.empty() ? lv.id : lv.name);
}

}  // namespace

ReplayWindow::Run::Run(const RecordedRun& r, Index observer)
    : run(&r), index(r.scenario, r.result.records, observer), label(run_label(r)) {
  const Scenario& sc = r.scenario;
  const RecordNames names(sc);
  const std::vector<TraceRecord>& recs = r.result.records;
  std::vector<double> level(sc.assets.size(), 1.0);
  std::uint32_t below = 0;
  below_full.emplace_back(SimTime::zero(), 0);
  for (std::size_t k = 0; k < recs.size(); ++k) {
    const TraceRecord& rec = recs[k];
    std::string text;
    bool pub = true;
    const std::string subject = printable(names.subject(rec)), actor = printable(names.actor(rec));
    switch (rec.kind) {
      case RecordKind::attack_step_succeeded:
        text = "attack step " + subject + " succeeded";
        if (rec.detail < sc.assets.size()) text += " on " + printable(sc.assets[rec.detail].id);
        pub = false;
        break;
      case RecordKind::detected: text = actor + " detected " + subject; break;
      case RecordKind::escalated: text = "escalated to " + level_name(sc, rec.subject) + " by " + actor; break;
      case RecordKind::deescalated: text = "de-escalated to " + level_name(sc, rec.subject) + " by " + actor; break;
      case RecordKind::inject_delivered: text = "inject " + subject + " to " + actor; break;
      case RecordKind::decision_taken: {
        std::string opt;
        if (rec.subject < sc.decisions.size() && rec.detail < sc.decisions[rec.subject].options.size())
          opt = ": " + printable(sc.decisions[rec.subject].options[rec.detail].id);
        text = "decision " + subject + opt;
        break;
      }
      case RecordKind::asset_contained: text = subject + " contained by " + actor; break;
      case RecordKind::procedure_started: text = "procedure " + subject + " started by " + actor; break;
      case RecordKind::obligation_met: text = "obligation " + subject + " met by " + actor; break;
      case RecordKind::obligation_missed: text = "obligation " + subject + " MISSED by " + actor; break;
      case RecordKind::asset_level:
        if (rec.subject < level.size()) {
          const double old = level[rec.subject];
          level[rec.subject] = rec.value;
          if (old >= kFullServiceLevel && rec.value < kFullServiceLevel) ++below;
          if (old < kFullServiceLevel && rec.value >= kFullServiceLevel) --below;
          if (old >= kOutageLevel && rec.value < kOutageLevel) text = subject + " out of service";
          else if (old < kFullServiceLevel && rec.value >= kFullServiceLevel) text = subject + " back at full service";
          pub = false;
        }
        if (below_full.back().first == rec.time) below_full.back().second = below;
        else below_full.emplace_back(rec.time, below);
        break;
      default: break;
    }
    if (!text.empty()) {
      events.emplace_back(rec.time, std::move(text));
      public_event.push_back(pub);
    }
  }
}

ReplayWindow::ReplayWindow(const RecordedRun& a, const RecordedRun* b) {
  runs_.reserve(2);
  for (const RecordedRun* r : {&a, b}) {
    if (r == nullptr) continue;
    runs_.emplace_back(*r, viz::observer_org(r->scenario, r->result.records));
    end_ = std::max(end_, r->result.end);
  }
  tile_hits_.resize(runs_.size());
  map_boxes_.resize(runs_.size());
  maps_.resize(runs_.size());
  // The end of the action: by when 90 % of the marks and of the changes in the number of assets
  // below full service (of every run) had happened.
  std::vector<SimTime> action;
  for (const Run& r : runs_) {
    for (const auto& p : r.below_full) action.push_back(p.first);
    for (const ReplayMark m : {ReplayMark::inject, ReplayMark::decision, ReplayMark::escalation, ReplayMark::outage})
      action.insert(action.end(), r.index.marks(m).begin(), r.index.marks(m).end());
  }
  std::sort(action.begin(), action.end());
  const SimTime last = action.empty() ? end_ : action[action.size() * 9 / 10];
  focus_end_ = std::min(end_, std::max(last + Duration::hours(1),
                                       SimTime::from_us(static_cast<std::int64_t>(static_cast<double>(last.us()) * 1.1))));
  if (focus_end_ <= SimTime::zero()) focus_end_ = end_;
}

const ReplayState& ReplayWindow::state(std::size_t r) const {
  refresh();
  return states_[r];
}

void ReplayWindow::refresh() const {
  if (states_at_ == now_ && states_.size() == runs_.size()) return;
  states_.clear();
  for (const Run& r : runs_) states_.push_back(r.index.seek(now_));
  states_at_ = now_;
}

void ReplayWindow::seek(SimTime t) { now_ = std::clamp(t, SimTime::zero(), end_); }

void ReplayWindow::select(std::size_t run, Index a) {
  if (run >= runs_.size() || a == kNone || a >= runs_[run].run->scenario.assets.size()) {
    selected_ = kNone;
    return;
  }
  selected_run_ = run;
  selected_ = a;
}

std::vector<MapTile> ReplayWindow::tiles(std::size_t r) const {
  const ReplayState& s = state(r);
  std::vector<MapTile> out(s.level.size());
  for (Index a = 0; a < out.size(); ++a) {
    out[a].asset = a;
    const bool known = !std::isnan(s.believed[a]);
    if (view_ == ReplayView::truth) {
      out[a].level = s.level[a];
      out[a].compromised = s.compromised[a] != 0;
      out[a].hidden = out[a].compromised && s.contained[a] == 0 && !known;
    } else if (known) {
      out[a].level = s.believed[a];
    }
  }
  return out;
}

std::vector<std::string> ReplayWindow::chain_lines() const {
  if (selected_ == kNone) return {};
  const Run& r = runs_[selected_run_];
  const CausalChain c = causal_chain(r.run->scenario, r.run->result.records, selected_, now_);
  std::vector<std::string> out;
  for (const std::string& l : describe_causal_chain(r.run->scenario, c)) out.push_back(printable(l));
  return out;
}

std::optional<TileBox> ReplayWindow::tile_box(std::size_t r, Index a) const {
  if (r >= tile_hits_.size() || a >= tile_hits_[r].size()) return std::nullopt;
  return tile_hits_[r][a];
}

void ReplayWindow::tick(double wall_seconds) {
  if (!playing_ || mode_ != Mode::normal) return;
  const double us = wall_seconds * speed_ * 1e6 + carry_us_;
  const auto whole = static_cast<std::int64_t>(std::floor(us));
  carry_us_ = us - static_cast<double>(whole);
  seek(now_ + Duration::from_us(whole));
  if (now_ >= end_) {
    playing_ = false;
    message_ = "end of the run (" + minute_clock(end_) + ")";
  }
}

bool ReplayWindow::handle(const sf::Event& e) {
  if (e.type == sf::Event::Closed) return false;
  if (e.type == sf::Event::MouseButtonPressed && e.mouseButton.button == sf::Mouse::Left) {
    click(static_cast<float>(e.mouseButton.x), static_cast<float>(e.mouseButton.y));
    return true;
  }
  if (e.type == sf::Event::MouseButtonReleased) {
    dragging_ = false;
    return true;
  }
  if (e.type == sf::Event::MouseMoved) {
    if (dragging_) seek(time_at_x(static_cast<float>(e.mouseMove.x)));
    return true;
  }
  if (e.type != sf::Event::KeyPressed) return true;
  if (mode_ == Mode::help) {
    mode_ = Mode::normal;
    return true;
  }
  if (e.key.code == sf::Keyboard::Q) return false;
  key(e.key.code);
  return true;
}

void ReplayWindow::jump(std::optional<SimTime> t, const char* what) {
  if (!t) {
    message_ = std::string("no further ") + what;
    return;
  }
  playing_ = false;
  seek(*t);
  message_ = std::string(what) + " at " + minute_clock(now_) + " (paused)";
}

void ReplayWindow::key(sf::Keyboard::Key k) {
  using K = sf::Keyboard;
  // Jumps look at every run on the clock: the earliest next mark of any of them.
  auto next_mark = [&](ReplayMark m) {
    std::optional<SimTime> best;
    for (const Run& r : runs_)
      if (const auto t = r.index.next_mark(m, now_); t && (!best || *t < *best)) best = t;
    return best;
  };
  switch (k) {
    case K::Space:
      if (!playing_ && now_ >= end_) seek(SimTime::zero());
      playing_ = !playing_;
      message_ = playing_ ? "playing " + speed_label(speed_) : "paused";
      break;
    case K::F1: speed_ = kReplaySpeeds[0]; break;
    case K::F2: speed_ = kReplaySpeeds[1]; break;
    case K::F3: speed_ = kReplaySpeeds[2]; break;
    case K::F4: speed_ = kReplaySpeeds[3]; break;
    case K::N: case K::Right: {
      std::optional<SimTime> best;
      for (const Run& r : runs_)
        if (const auto t = r.index.next_event(now_); t && (!best || *t < *best)) best = t;
      jump(best, "event");
      break;
    }
    case K::P: case K::Left: {
      std::optional<SimTime> best;
      for (const Run& r : runs_)
        if (const auto t = r.index.previous_event(now_); t && (!best || *t > *best)) best = t;
      jump(best, "event");
      break;
    }
    case K::I: jump(next_mark(ReplayMark::inject), "inject"); break;
    case K::D: jump(next_mark(ReplayMark::decision), "decision"); break;
    case K::E: jump(next_mark(ReplayMark::escalation), "escalation"); break;
    case K::O: jump(next_mark(ReplayMark::outage), "outage"); break;
    case K::R: case K::Home: playing_ = false; seek(SimTime::zero()); message_ = "back to T+0"; break;
    case K::End: playing_ = false; seek(end_); break;
    case K::V: view_ = view_ == ReplayView::truth ? ReplayView::known : ReplayView::truth; break;
    case K::Z:
      focus_ = !focus_;
      message_ = focus_ ? "scrubber: T+0 to " + minute_clock(focus_end_) + " (z: the whole run)" : "scrubber: the whole run";
      break;
    case K::C: case K::Escape:
      if (selected_ != kNone) message_ = "chain panel closed";
      selected_ = kNone;
      break;
    case K::H: mode_ = Mode::help; break;
    default: break;
  }
}

SimTime ReplayWindow::time_at_x(float x) const {
  if (track_.w <= 0) return now_;
  const double f = std::clamp((x - track_.x) / track_.w, 0.f, 1.f);
  return SimTime::from_us(static_cast<std::int64_t>(std::llround(f * static_cast<double>(scrubber_end().us()))));
}

void ReplayWindow::click(float x, float y) {
  if (mode_ != Mode::normal) {
    mode_ = Mode::normal;
    return;
  }
  if (banner_.contains(x, y)) {
    key(sf::Keyboard::V);
    return;
  }
  if (track_.w > 0 && x >= track_.x - 10 && x <= track_.x + track_.w + 10 && y >= track_.y && y < track_.y + track_.h) {
    seek(time_at_x(x));
    dragging_ = true;
    return;
  }
  for (std::size_t r = 0; r < runs_.size(); ++r) {
    if (!map_boxes_[r].contains(x, y)) continue;
    for (Index a = 0; a < tile_hits_[r].size(); ++a)
      if (tile_hits_[r][a].contains(x, y)) {
        select(r, a);
        message_ = printable(runs_[r].run->scenario.assets[a].id) + " selected (c closes)";
        return;
      }
  }
}

void ReplayWindow::draw(viz::Canvas& c) const {
  refresh();
  frame_.clear();
  c.begin_batch(frame_);
  record(c);
  c.end_batch();
  c.surface().clear(viz::to_sf(col::background));
  c.draw(frame_);
  c.present();
}

void ReplayWindow::record(viz::Canvas& c) const {
  const float u = c.u(), W = c.width(), H = c.height();
  const bool truth = view_ == ReplayView::truth;
  const bool compare = runs_.size() > 1;
  const Run& first = runs_.front();
  const Scenario& sc = first.run->scenario;

  // --- top bar: clock, play state, phase and people, the view banner --------------------------
  c.rect(0, 0, W, 120 * u, col::panel, col::grid, 1);
  std::string clock = minute_clock(now_) + "  " + local_time(sc, now_);
  if (!sc.metadata.time_zone.empty()) clock += " " + printable(sc.metadata.time_zone);
  c.text(clock, 24 * u, 14 * u, 44 * u, col::text, true, viz::Align::left, W - 620 * u);
  c.text((playing_ ? "PLAYING " : "PAUSED ") + speed_label(speed_), 24 * u, 72 * u, 28 * u,
         playing_ ? col::good : col::bad, true);
  std::string phase;
  for (std::size_t r = 0; r < runs_.size(); ++r) {
    const ReplayState& s = states_[r];
    if (compare) phase += (r == 0 ? "A: " : "   B: ");
    phase += people_text(truth ? s.population_affected : s.population_believed) +
             (compare ? " affected" : truth ? " people affected" : " people affected (as known)") + ", " +
             level_name(runs_[r].run->scenario, s.escalation);
  }
  c.text(phase, 300 * u, 72 * u, 28 * u, col::text, false, viz::Align::left, W - 300 * u - 590 * u);
  const viz::Rgb banner = truth ? viz::Rgb{213, 94, 0} : viz::Rgb{0, 114, 178};
  banner_ = TileBox{W - 560 * u, 14 * u, 540 * u, 92 * u};
  c.rect(banner_.x, banner_.y, banner_.w, banner_.h, banner);
  const Index obs = first.index.observer();
  const std::string observer =
      obs < sc.organisations.size() ? printable(sc.organisations[obs].id) : std::string("the national level");
  c.text(truth ? "TRUE STATE" : "KNOWN TO " + observer, W - 290 * u, 20 * u, 38 * u, col::panel, true,
         viz::Align::centre, 520 * u);
  c.text(truth ? "ground truth: what was really down" : "what the national level knew then", W - 290 * u, 66 * u,
         24 * u, col::panel, false, viz::Align::centre, 520 * u);

  // --- the maps --------------------------------------------------------------------------------
  const float top = 140 * u, bottom = H - 250 * u;
  const TileMapText words{truth ? "All assets at full service" : "No service loss known",
                          truth ? "bar: true service level (empty: down) \u00b7 C compromised \u00b7 H undetected foothold "
                                  "\u00b7 click a tile: why it failed"
                                : "bar: level as known (empty: down) \u00b7 grey, no bar: not known \u00b7 click a tile: "
                                  "why it failed"};
  const float map_w = compare ? (W - 60 * u) / 2 : 1080 * u;
  for (std::size_t r = 0; r < runs_.size(); ++r) {
    const float mx = 20 * u + static_cast<float>(r) * (map_w + 20 * u);
    map_boxes_[r] = TileBox{mx, top, map_w, bottom - top};
    MapCache& m = maps_[r];
    std::vector<MapTile> now_tiles = tiles(r);
    if (m.canvas != c.id() || m.view != view_ || m.tiles != now_tiles) {
      m.batch.clear();
      c.begin_batch(m.batch);
      draw_tile_map(c, runs_[r].run->scenario, now_tiles, mx, top, map_w, bottom - top, tile_hits_[r], words);
      c.begin_batch(frame_);
      m.tiles = std::move(now_tiles);
      m.view = view_;
      m.canvas = c.id();
    }
    c.draw(m.batch);
    const std::string title = (compare ? std::string(r == 0 ? "A: " : "B: ") : std::string()) +
                              (truth ? "True service levels" : "Service levels as known") + "  \u00b7  " +
                              runs_[r].label;
    c.text(title, mx + 16 * u, top + 8 * u, 24 * u, col::text, true, viz::Align::left, map_w - 32 * u);
    if (selected_ != kNone && selected_run_ == r && selected_ < tile_hits_[r].size()) {
      const TileBox& b = tile_hits_[r][selected_];
      const float t = 4 * u;
      c.rect(b.x - t, b.y - t, b.w + 2 * t, t, col::text);
      c.rect(b.x - t, b.y + b.h, b.w + 2 * t, t, col::text);
      c.rect(b.x - t, b.y, t, b.h, col::text);
      c.rect(b.x + b.w, b.y, t, b.h, col::text);
    }
  }

  // --- right column (single run) or an overlay (compare): the chain, else the events -----------
  if (!compare) {
    const float rx = 1120 * u;
    if (selected_ != kNone) draw_chain(c, rx, top, W - rx - 20 * u, bottom - top);
    else draw_events(c, first, rx, top, W - rx - 20 * u, bottom - top);
  } else if (selected_ != kNone) {
    const std::size_t other = selected_run_ == 0 ? 1 : 0;
    const TileBox& b = map_boxes_[other];
    c.rect(b.x, b.y, b.w, b.h, viz::Rgb{255, 255, 255, 235}, col::text, 2 * u);
    draw_chain(c, b.x + 20 * u, b.y + 10 * u, b.w - 40 * u, b.h - 20 * u);
  }

  // --- the scrubber ------------------------------------------------------------------------------
  draw_scrubber(c, 20 * u, H - 237 * u, W - 40 * u, 162 * u);

  // --- bottom: status line and key hint ---------------------------------------------------------
  c.rect(0, H - 64 * u, W, 64 * u, col::panel, col::grid, 1);
  c.text(message_, 24 * u, H - 50 * u, 26 * u, col::text, false, viz::Align::left, 760 * u);
  c.text("space play \u00b7 F1-F4 speed \u00b7 n/p event \u00b7 i d e o next inject/decision/escalation/outage "
         "\u00b7 v view \u00b7 h help",
         W - 24 * u, H - 48 * u, 22 * u, col::muted, false, viz::Align::right, W - 820 * u);

  if (mode_ == Mode::help) {
    const float ow = 1300 * u, oh = (120 + 46 * static_cast<float>(std::size(kKeys))) * u;
    const float ox = (W - ow) / 2, oy = (H - oh) / 2;
    c.rect(0, 0, W, H, viz::Rgb{0, 0, 0, 110});
    c.rect(ox, oy, ow, oh, col::panel, col::text, 3 * u);
    c.text("Replay keys (any key closes)", ox + 30 * u, oy + 24 * u, 34 * u, col::text, true);
    float ly = oy + 84 * u;
    for (const char* l : kKeys) {
      c.text(l, ox + 40 * u, ly, 28 * u, col::text, false, viz::Align::left, ow - 80 * u);
      ly += 46 * u;
    }
  }
}

void ReplayWindow::draw_chain(viz::Canvas& c, float x, float y, float w, float h) const {
  const float u = c.u();
  const Run& r = runs_[selected_run_];
  const Asset& as = r.run->scenario.assets[selected_];
  c.text(printable(as.name.empty() ? as.id : as.name), x, y, 30 * u, col::text, true, viz::Align::left, w);
  c.text(printable(as.id) + "  \u00b7  level now " + level_text(states_[selected_run_].level[selected_]) +
             "  \u00b7  c closes",
         x, y + 40 * u, 22 * u, col::muted, false, viz::Align::left, w);
  float ly = y + 84 * u;
  const float bottom = y + h - 10 * u;
  for (const std::string& line : chain_lines()) {
    if (ly > bottom - 30 * u) break;
    const bool heading = line == "Why it failed" || line == "Why it came back";
    if (heading) {
      ly += 6 * u;
      c.text(line, x, ly, 26 * u, line == "Why it failed" ? col::bad : col::good, true);
      ly += 38 * u;
      continue;
    }
    // A link: its time, then the rest wrapped on up to three lines.
    std::string rest = line;
    for (int n = 0; n < 3 && !rest.empty() && ly <= bottom - 30 * u; ++n) {
      std::size_t cut = rest.size();
      while (cut > 0 && c.measure(rest.substr(0, cut), 22 * u).x > w - 20 * u) {
        const std::size_t sp = rest.rfind(' ', cut - 1);
        cut = sp == std::string::npos || sp == 0 ? cut - 1 : sp;
      }
      if (cut == 0) cut = rest.size();
      c.text(rest.substr(0, cut), x + (n > 0 ? 20 * u : 0), ly, 22 * u, col::text, false, viz::Align::left,
             w - 20 * u);
      rest = cut < rest.size() ? rest.substr(cut + (rest[cut] == ' ' ? 1 : 0)) : std::string();
      ly += 30 * u;
    }
    ly += 6 * u;
  }
}

void ReplayWindow::draw_events(viz::Canvas& c, const Run& run, float x, float y, float w, float h) const {
  const float u = c.u();
  const bool truth = view_ == ReplayView::truth;
  c.text(truth ? "Key events up to now" : "Key events up to now (as known)", x, y, 28 * u, col::muted, true);
  c.text("click a tile for its causal chain", x, y + 38 * u, 22 * u, col::muted, false);
  // The latest events at or before now, newest first.
  const auto end = std::upper_bound(run.events.begin(), run.events.end(), now_,
                                    [](SimTime t, const auto& e) { return t < e.first; });
  float ly = y + 80 * u;
  for (auto it = end; it != run.events.begin() && ly < y + h - 34 * u;) {
    --it;
    const std::size_t k = static_cast<std::size_t>(it - run.events.begin());
    if (!truth && !run.public_event[k]) continue;
    const bool fresh = now_ - it->first < Duration::hours(1);
    c.text(minute_clock(it->first), x, ly, 22 * u, col::muted, false);
    c.text(it->second, x + 150 * u, ly, 22 * u, fresh ? col::text : col::muted, fresh, viz::Align::left, w - 150 * u);
    ly += 32 * u;
  }
  if (end == run.events.begin()) c.text("nothing yet", x, ly, 22 * u, col::muted);
}

void ReplayWindow::draw_scrubber(viz::Canvas& c, float x, float y, float w, float h) const {
  const float u = c.u();
  const float tx = x + 140 * u, tw = w - 170 * u;
  const float axis_y = y + 88 * u;
  track_ = TileBox{tx, y, tw, h};
  const double end_us = std::max<double>(1, static_cast<double>(scrubber_end().us()));
  auto x_of = [&](SimTime t) {
    return tx + static_cast<float>(std::min(1.0, static_cast<double>(t.us()) / end_us)) * tw;
  };
  // Everything but the cursor is recorded once per canvas and span.
  if (scrub_canvas_ != c.id() || scrub_span_ != scrubber_end()) {
    scrub_span_ = scrubber_end();
    scrub_.clear();
    c.begin_batch(scrub_);
    draw_scrubber_background(c, x, y, w, h);
    c.begin_batch(frame_);
    scrub_canvas_ = c.id();
  }
  c.draw(scrub_);
  // The cursor.
  const float cx = x_of(now_);
  c.rect(cx - 1.5f * u, y + 4 * u, 3 * u, h - 8 * u, col::text);
  c.circle(sf::Vector2f(cx, axis_y + 1.5f * u), 9 * u, col::text, col::panel, 2 * u);
}

void ReplayWindow::draw_scrubber_background(viz::Canvas& c, float x, float y, float w, float h) const {
  const float u = c.u();
  c.rect(x, y, w, h, col::panel, col::grid, 1);
  const float tx = x + 140 * u, tw = w - 170 * u;
  const float lane_h = 34 * u / static_cast<float>(runs_.size());
  const float curve_y = y + 42 * u;
  const SimTime span = scrubber_end();
  const double end_us = std::max<double>(1, static_cast<double>(span.us()));
  auto x_of = [&](SimTime t) { return tx + static_cast<float>(static_cast<double>(t.us()) / end_us) * tw; };
  c.text("marks", x + 12 * u, y + 10 * u, 20 * u, col::muted);
  {  // the marks' legend, bottom right
    float lx = x + w - 20 * u;
    const std::pair<const char*, viz::Rgb> legend[] = {{"outage", col::bad},
                                                       {"escalation", col::escalation},
                                                       {"decision", viz::Rgb{0, 158, 115}},
                                                       {"inject", viz::Rgb{0, 114, 178}}};
    for (const auto& [name, colour] : legend) {
      const float tw_ = c.measure(name, 18 * u).x;
      lx -= tw_;
      c.text(name, lx, y + h - 28 * u, 18 * u, col::muted);
      lx -= 18 * u;
      c.rect(lx, y + h - 24 * u, 12 * u, 12 * u, colour);
      lx -= 22 * u;
    }
  }
  c.text("below full", x + 12 * u, curve_y + 4 * u, 20 * u, col::muted);
  // Marks of every run: inject, decision, escalation, outage onset.
  struct MarkStyle {
    ReplayMark kind;
    viz::Rgb colour;
  };
  const MarkStyle styles[] = {{ReplayMark::inject, viz::Rgb{0, 114, 178}},
                              {ReplayMark::decision, viz::Rgb{0, 158, 115}},
                              {ReplayMark::escalation, col::escalation},
                              {ReplayMark::outage, col::bad}};
  for (std::size_t r = 0; r < runs_.size(); ++r)
    for (const MarkStyle& s : styles)
      for (const SimTime t : runs_[r].index.marks(s.kind))
        if (t <= span) c.rect(x_of(t) - 1.5f * u, y + 8 * u + static_cast<float>(r) * 13 * u, 3 * u, 12 * u, s.colour);
  // Assets below full service over time: one lane per run, a bar per pixel column.
  for (std::size_t r = 0; r < runs_.size(); ++r) {
    const auto& curve = runs_[r].below_full;
    std::uint32_t most = 1;
    for (const auto& p : curve) most = std::max(most, p.second);
    const float ly = curve_y + static_cast<float>(r) * (lane_h + 2 * u);
    const int columns = static_cast<int>(tw / std::max(1.f, 2 * u));
    std::size_t k = 0;
    for (int col_i = 0; col_i < columns; ++col_i) {
      const double t0 = end_us * col_i / columns, t1 = end_us * (col_i + 1) / columns;
      while (k + 1 < curve.size() && static_cast<double>(curve[k + 1].first.us()) <= t0) ++k;
      std::uint32_t v = curve[k].second;
      for (std::size_t j = k + 1; j < curve.size() && static_cast<double>(curve[j].first.us()) < t1; ++j)
        v = std::max(v, curve[j].second);
      if (v == 0) continue;
      const float bh = lane_h * static_cast<float>(v) / static_cast<float>(most);
      c.rect(tx + tw * static_cast<float>(col_i) / static_cast<float>(columns), ly + lane_h - bh,
             tw / static_cast<float>(columns) + 0.5f, bh, r == 0 ? viz::Rgb{213, 94, 0, 170} : viz::Rgb{0, 114, 178, 170});
    }
  }
  // The time axis: ticks at a round step, about ten across.
  const float axis_y = y + 88 * u;
  c.rect(tx, axis_y, tw, 3 * u, col::axis);
  const std::int64_t steps[] = {900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800};
  std::int64_t step = steps[std::size(steps) - 1];
  for (const std::int64_t s : steps)
    if (end_us / 1e6 / static_cast<double>(s) <= 12) {
      step = s;
      break;
    }
  for (std::int64_t t = 0; t * 1'000'000 <= span.us(); t += step) {
    const float px = x_of(SimTime::from_us(t * 1'000'000));
    c.rect(px - 0.5f * u, axis_y - 6 * u, 1.5f * u, 15 * u, col::axis);
    if (px > x + w - 70 * u) continue;  // a label past the panel's edge
    c.text(minute_clock(SimTime::from_us(t * 1'000'000)), px, axis_y + 12 * u, 19 * u, col::muted, false,
           viz::Align::centre);
  }
}

}  // namespace cyberdrill::cli
