// The tile map of the live drill's window, shared with the replay window: one tile per asset,
// rows grouped by sector (named in the gutter), coloured by service level with a second cue (a
// level bar; none when the level is unknown), the asset id on the tile, the assets below full
// service by name underneath, a one-line legend. SFML through viz::Canvas; cli only.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cyberdrill/scenario.hpp"

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

/// A rectangle in canvas coordinates (what a click or the pointer can hit).
struct TileBox {
  float x = 0, y = 0, w = 0, h = 0;
  [[nodiscard]] bool contains(float px, float py) const { return px >= x && px < x + w && py >= y && py < y + h; }
};

/// The words under the map, by view.
struct TileMapText {
  std::string all_full;  ///< shown when no tile is below full service
  std::string legend;    ///< the legend line
};

/// "ok", "DOWN", "40%", "no report" (nullopt).
[[nodiscard]] std::string level_text(std::optional<double> l);
/// level_text plus ", compromised" / ", undetected foothold".
[[nodiscard]] std::string tile_status(const MapTile& t);

/// Draws `tiles` (one per scenario asset, by index) into the frame (x, y, w, h): a compromised
/// tile framed purple ("C"), a hidden one red ("H"). `hits` gets each asset's tile rectangle, by
/// asset index.
void draw_tile_map(viz::Canvas& c, const Scenario& sc, const std::vector<MapTile>& tiles, float x, float y, float w,
                   float h, std::vector<TileBox>& hits, const TileMapText& words);

}  // namespace cyberdrill::cli
