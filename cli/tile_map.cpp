// The tile map (contract in tile_map.hpp), moved here from live_window.cpp unchanged so the
// replay window draws the same map.
#include "tile_map.hpp"

#include <SFML/Graphics.hpp>

#include <algorithm>
#include <cstdio>
#include <limits>
#include <map>

#include "canvas.hpp"
#include "cyberdrill/viz.hpp"
#include "timeline.hpp"
#include "live_model.hpp"
#include "palette.hpp"

namespace cyberdrill::cli {

namespace col = viz::colours;

std::string level_text(std::optional<double> l) {
  if (!l) return "no report";
  if (*l >= 0.99) return "ok";
  if (*l <= 0.01) return "DOWN";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.0f%%", *l * 100);
  return buf;
}


namespace {

// A sector's name for the gutter: the longest of its name, its name before " (", ",", " and ",
// its first word and its id that fits on `lines` lines of `width` pixels.
std::vector<std::string> sector_label(viz::Canvas& c, const Sector& sec, float size, float width, int lines) {
  auto wrap = [&](const std::string& text) {
    std::vector<std::string> out;
    std::string line;
    std::size_t i = 0;
    while (i < text.size()) {
      std::size_t sp = text.find(' ', i);
      if (sp == std::string::npos) sp = text.size();
      const std::string word = text.substr(i, sp - i);
      const std::string cand = line.empty() ? word : line + " " + word;
      if (c.measure(cand, size, true).x <= width) line = cand;
      else {
        if (!line.empty()) out.push_back(line);
        line = word;
      }
      i = sp + 1;
    }
    if (!line.empty()) out.push_back(line);
    bool fits = static_cast<int>(out.size()) <= lines;
    for (const std::string& l : out) fits = fits && c.measure(l, size, true).x <= width;
    return fits ? out : std::vector<std::string>{};
  };
  const std::string name = printable(sec.name);
  std::vector<std::string> cands = {name};
  for (const char* cut : {" (", ",", " and "})
    if (const std::size_t at = name.find(cut); at != std::string::npos && at > 0) cands.push_back(name.substr(0, at));
  cands.push_back(name.substr(0, name.find(' ')));
  std::string id = printable(sec.id);
  if (!id.empty() && id[0] >= 'a' && id[0] <= 'z') id[0] = static_cast<char>(id[0] - 'a' + 'A');
  cands.push_back(id);
  for (const std::string& cand : cands)
    if (!cand.empty())
      if (auto l = wrap(cand); !l.empty()) return l;
  return {c.clip(printable(sec.id), size, true, width)};
}

// An asset id on up to two lines of `width` pixels: its words (split at '-', '_', ' '), the split
// between the lines that needs the least shortening, then the longest words of a line still too
// wide shortened letter by letter ("kanaal-flanders" -> "kana.-flan."), so the last word (often
// what tells siblings apart: -north, -brussels) stays visible.
std::pair<std::string, std::string> tile_label(viz::Canvas& c, const std::string& id, float size, float width) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i <= id.size()) {
    const std::size_t e = std::min(id.find_first_of("-_ ", i), id.size());
    if (e > i) words.push_back(id.substr(i, e - i));
    i = e + 1;
  }
  if (words.empty()) return {};
  auto join = [](const std::vector<std::string>& ws, std::size_t from, std::size_t to) {
    std::string s;
    for (std::size_t k = from; k < to; ++k) s += (k > from ? "-" : "") + ws[k];
    return s;
  };
  auto over = [&](const std::string& s) { return std::max(0.f, c.measure(s, size, true).x - width); };
  // One line when it fits; else the split with the least overflow, then the most even lines.
  std::size_t split = words.size();
  if (over(join(words, 0, words.size())) > 0) {
    float least = std::numeric_limits<float>::max();
    for (std::size_t k = 1; k < words.size(); ++k) {
      const std::string a = join(words, 0, k), b = join(words, k, words.size());
      const float score = (over(a) + over(b)) * 1000 +
                          std::max(c.measure(a, size, true).x, c.measure(b, size, true).x);
      if (score < least) least = score, split = k;
    }
  }
  auto fit = [&](std::vector<std::string> ws) {
    std::vector<std::size_t> keep(ws.size());
    for (std::size_t k = 0; k < ws.size(); ++k) keep[k] = ws[k].size();
    auto text = [&] {
      std::string s;
      for (std::size_t k = 0; k < ws.size(); ++k)
        s += (k > 0 ? "-" : "") + ws[k].substr(0, keep[k]) + (keep[k] < ws[k].size() ? "." : "");
      return s;
    };
    std::string s = text();
    while (over(s) > 0) {
      std::size_t longest = 0;
      for (std::size_t k = 1; k < ws.size(); ++k)
        if (keep[k] > keep[longest]) longest = k;
      if (keep[longest] <= 2) break;
      --keep[longest];
      s = text();
    }
    return s;
  };
  const std::vector<std::string> first(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(split));
  const std::vector<std::string> second(words.begin() + static_cast<std::ptrdiff_t>(split), words.end());
  return {fit(first), second.empty() ? std::string() : fit(second)};
}

}  // namespace

std::string tile_status(const MapTile& t) {
  std::string s = level_text(t.level);
  if (t.hidden) s += ", undetected foothold";
  else if (t.compromised) s += ", compromised";
  return s;
}

// The map: one tile per asset, rows grouped by sector (named in the gutter), coloured by level
// with a second cue (a level bar; none when nothing is reported), the id on the tile, the
// assets below full service by name underneath. Contract in tile_map.hpp.
void draw_tile_map(viz::Canvas& c, const Scenario& sc, const std::vector<MapTile>& tile, float mx, float my, float mw,
                   float mh, std::vector<TileBox>& hits, const TileMapText& words) {
  const float u = c.u();
  // The panel is the page's background (a frame only): no pixel filled twice.
  c.rect(mx, my, mw, mh, viz::Rgb{0, 0, 0, 0}, col::grid, 1);
  std::map<Index, std::vector<Index>> by_sector;
  for (Index a = 0; a < sc.assets.size(); ++a) by_sector[sc.assets[a].sector].push_back(a);
  const float foot = 84 * u;
  const float gx = mx + 12 * u, gw = mw - 24 * u, gy = my + 44 * u, gh = mh - 44 * u - foot;
  // Tiles flow in rows; each sector opens with a header two tiles wide (its name).
  auto slots_for = [&](int cols) {
    int slot = 0;
    for (const auto& [sector, assets] : by_sector) {
      if (cols >= 2 && slot % cols == cols - 1) ++slot;  // a header does not wrap
      slot += (cols >= 2 ? 2 : 1) + static_cast<int>(assets.size());
    }
    return slot;
  };
  // The columns that give the largest label font: two lines of it and a level bar must fit the
  // tile's height, about eight bold characters its width (DejaVu Sans Bold: ~0.63 em each).
  int cols = 1;
  float best = -1;
  for (int k = 1; k <= 400; ++k) {
    const float w = gw / static_cast<float>(k);
    const float h = std::min(w * 0.75f, gh / static_cast<float>((slots_for(k) + k - 1) / k));
    const float f = std::min((h - 13 * u) / 2.3f, (w - 10 * u) / (8 * 0.63f));
    if (f > best + 0.01f) best = f, cols = k;
  }
  if (best < 12 * u) {  // no room for labels: the largest tiles of aspect 0.75 that fit
    for (cols = 1; cols < 100000; ++cols) {
      const float w = gw / static_cast<float>(cols);
      if (static_cast<float>((slots_for(cols) + cols - 1) / cols) * w * 0.75f <= gh) break;
    }
  }
  const float tw = gw / static_cast<float>(cols);
  const int rows = (slots_for(cols) + cols - 1) / cols;
  const float th = std::min(tw * 0.75f, gh / static_cast<float>(std::max(1, rows)));
  const float fs = std::min(20 * u, std::max(best, 0.f));
  const bool labels = fs >= 12 * u;
  const float gap = tw >= 12 * u ? 2 * u : 0;
  const bool bars = th >= 14 * u;
  hits.assign(sc.assets.size(), TileBox{});
  std::vector<std::pair<double, Index>> affected;
  int slot = 0;
  auto at = [&](int s) { return sf::Vector2f(gx + static_cast<float>(s % cols) * tw, gy + static_cast<float>(s / cols) * th); };
  float run_x = 0, run_y = 0, run_w = 0;
  viz::Rgb run_fill;
  auto flush_run = [&] {
    if (run_w > 0) c.rect(run_x, run_y, run_w, th, run_fill);
    run_w = 0;
  };
  for (const auto& [sector, assets] : by_sector) {
    if (cols >= 2 && slot % cols == cols - 1) ++slot;
    flush_run();
    {  // the sector's header
      const int span = cols >= 2 ? 2 : 1;
      const sf::Vector2f p = at(slot);
      const float w = tw * static_cast<float>(span);
      c.rect(p.x + gap, p.y + gap, w - 2 * gap, th - 2 * gap, viz::Rgb{70, 74, 82});
      if (labels && sector < sc.sectors.size()) {
        const float ls = std::min(fs, 19 * u);
        const auto lines = sector_label(c, sc.sectors[sector], ls, w - 2 * gap - 10 * u, th >= 2.3f * ls + 8 * u ? 2 : 1);
        float ly = p.y + (th - static_cast<float>(lines.size()) * ls * 1.15f) / 2 - 2 * u;
        for (const std::string& l : lines) {
          c.text(l, p.x + gap + 6 * u, ly, ls, viz::Rgb{255, 255, 255}, true);
          ly += ls * 1.15f;
        }
      }
      slot += span;
    }
    for (Index a : assets) {
      const sf::Vector2f p = at(slot++);
      const float x = p.x, y = p.y;
      const MapTile& t = tile[a];
      hits[a] = TileBox{x, y, tw, th};
      if (t.level && *t.level < 0.99) affected.emplace_back(*t.level, a);
      const viz::Rgb fill = viz::level_colour(t.level);
      const bool marked = t.hidden || t.compromised;
      const float f = marked ? std::min(4 * u, tw / 4) : 0;
      const float in = gap + f;
      if (gap == 0 && !marked && !labels && !bars) {
        // Dense maps (10^4 assets): neighbours of one colour in a row are one rectangle.
        if (run_w > 0 && (run_y != y || !(run_fill == fill) || run_x + run_w < x - 0.01f)) flush_run();
        if (run_w == 0) run_x = x, run_y = y, run_fill = fill;
        run_w = x + tw - run_x;
        continue;
      }
      flush_run();
      c.rect(x + gap, y + gap, tw - 2 * gap, th - 2 * gap, fill);
      if (marked) {  // a thick frame: purple compromised, red an undetected foothold
        const viz::Rgb o = t.hidden ? col::bad : col::compromised;
        c.rect(x + gap, y + gap, tw - 2 * gap, f, o);
        c.rect(x + gap, y + th - gap - f, tw - 2 * gap, f, o);
        c.rect(x + gap, y + gap, f, th - 2 * gap, o);
        c.rect(x + tw - gap - f, y + gap, f, th - 2 * gap, o);
      }
      const bool dark = viz::luminance(fill) < 0.25;
      const viz::Rgb ink = dark ? viz::Rgb{255, 255, 255} : col::text;
      if (bars && t.level) {  // second cue: the level as a bar (an empty track when down)
        const float bh = std::max(2 * u, std::min(5 * u, th * 0.09f)), bw = tw - 2 * in - 8 * u;
        const float bx = x + in + 4 * u, by = y + th - in - bh - 2 * u;
        c.rect(bx, by, bw, bh, dark ? viz::Rgb{255, 255, 255, 90} : viz::Rgb{255, 255, 255, 200}, ink, 1);
        c.rect(bx, by, bw * static_cast<float>(std::clamp(*t.level, 0.0, 1.0)), bh, ink);
      }
      if (labels) {
        const float w = tw - 2 * in - 8 * u;
        // A framed tile has less room: its two lines shrink so the level bar stays clear.
        const float ts = marked ? std::max(0.85f * fs, std::min(fs, (th - 2 * in - 11 * u) / 2.3f)) : fs;
        const auto [l1, l2] = tile_label(c, printable(sc.assets[a].id), ts, w);
        const float ty = y + in + std::max(0.f, (th - 2 * in - 9 * u - 2.25f * ts) / 2);
        c.text(l1, x + in + 4 * u, ty, ts, ink, true, viz::Align::left, marked ? w - 0.8f * ts : w);
        if (!l2.empty()) c.text(l2, x + in + 4 * u, ty + ts * 1.1f, ts, ink, true, viz::Align::left, w);
        if (marked) c.text(t.hidden ? "H" : "C", x + tw - in - 2 * u, ty, ts, ink, true, viz::Align::right);
      }
    }
  }
  flush_run();
  // Below the tiles: the assets not at full service by name (lowest level first), the legend.
  std::stable_sort(affected.begin(), affected.end());
  float fy = my + mh - foot + 2 * u;
  // Two lines of names, then "+N more".
  std::string line = affected.empty() ? words.all_full
                                      : "Below full service (" + std::to_string(affected.size()) + "): ";
  const float lw = mw - 32 * u, ls = 21 * u;
  int shown_lines = 0;
  for (std::size_t k = 0; k < affected.size(); ++k) {
    const Asset& as = sc.assets[affected[k].second];
    const std::string item = printable(viz::short_name(as.name, as.id)) + " " + level_text(affected[k].first) +
                             (k + 1 < affected.size() ? "," : "");
    const std::string more = k + 1 < affected.size() ? " +" + std::to_string(affected.size() - k - 1) + " more" : "";
    const std::string cand = line + (line.empty() || line.back() == ' ' ? "" : " ") + item;
    if (c.measure(cand + (shown_lines == 1 ? more : ""), ls, false).x <= lw || (line.empty() && shown_lines == 0)) {
      line = cand;
      continue;
    }
    if (shown_lines == 1) {
      line += " +" + std::to_string(affected.size() - k) + " more";
      break;
    }
    c.text(line, mx + 16 * u, fy, ls, col::text, false, viz::Align::left, lw);
    fy += ls * 1.25f;
    ++shown_lines;
    line = item;
  }
  c.text(line, mx + 16 * u, fy, ls, col::text, false, viz::Align::left, lw);
  c.text(words.legend, mx + 16 * u, my + mh - 29 * u, 19 * u, col::muted, false, viz::Align::left, mw - 32 * u);
}

}  // namespace cyberdrill::cli
