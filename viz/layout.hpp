// Where things go on a figure. No SFML: pure geometry, unit-testable without a display.
//
// Contract
//  - asset_positions(): one point per asset in the unit square, y pointing down. An asset with a
//    map position (Asset::x, y not both 0) keeps it; the others are placed deterministically on a
//    ring, grouped by sector (sectors in scenario order around the ring, assets in scenario order
//    inside their sector's arc; assets without a sector last). Same scenario, same layout.
//  - fit_to(): maps unit-square points into a pixel rectangle preserving the aspect ratio of their
//    bounding box, centred, with `margin` pixels kept free on every side.
//  - separate_circles(): nudges circles apart until no two overlap by more than `gap` pixels
//    (bounded iterations; deterministic: pairs visited in index order); keeps centres inside
//    `bounds`. Circles with identical centres are split along a fixed, index-derived direction.
//  - place_labels(): greedy, in request order (most important first). Each label tries candidate
//    boxes around its circle (right, left, above, below, then diagonals, then the same farther out
//    with a leader line, up to 220 pixels away). A box is accepted only if it lies inside `bounds`, overlaps no label
//    placed before, and no circle other than its own; if no candidate avoids circles, the one
//    overlapping the least weighted circle area that still avoids every label is taken; if even that
//    fails, the label is dropped (nullopt). Placed labels never overlap each other.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "cyberdrill/scenario.hpp"

namespace cyberdrill::viz {

struct Vec2 {
  double x = 0, y = 0;
};

struct Box {
  double x = 0, y = 0, w = 0, h = 0;
  [[nodiscard]] double right() const { return x + w; }
  [[nodiscard]] double bottom() const { return y + h; }
  [[nodiscard]] bool intersects(const Box& o) const {
    return x < o.right() && o.x < right() && y < o.bottom() && o.y < bottom();
  }
  [[nodiscard]] bool contains(const Box& o) const {
    return o.x >= x && o.y >= y && o.right() <= right() && o.bottom() <= bottom();
  }
};

struct Circle {
  Vec2 c;
  double r = 0;
  double weight = 1;  ///< how much covering it with a label costs (place_labels)
};

[[nodiscard]] bool has_map_position(const Asset& a);
[[nodiscard]] std::vector<Vec2> asset_positions(const Scenario& scenario);

/// Radius in pixels for a population, by area (sqrt) between r_min (nobody served) and r_max
/// (max_population); max_population 0 gives r_min.
[[nodiscard]] double population_radius(std::uint64_t population, std::uint64_t max_population, double r_min,
                                       double r_max);

/// Spreads dense clusters while keeping the map readable as geography: each coordinate becomes
/// (1 - amount) x its position normalised to the bounding box + amount x its rank among all
/// points (ties share their mean rank), both in [0, 1]. The west-east and north-south order of
/// points is preserved exactly (ties stay ties). amount in [0, 1]; 0 only normalises.
[[nodiscard]] std::vector<Vec2> spread_ranks(const std::vector<Vec2>& points, double amount);

[[nodiscard]] std::vector<Vec2> fit_to(const std::vector<Vec2>& unit_points, const Box& area, double margin);

[[nodiscard]] std::vector<Vec2> separate_circles(std::vector<Vec2> centres, const std::vector<double>& radii,
                                                 double gap, const Box& bounds, int iterations = 300);

struct LabelRequest {
  std::size_t circle = 0;  ///< index into the circles passed to place_labels (its own circle)
  double w = 0, h = 0;     ///< label size in pixels
};

struct PlacedLabel {
  Box box;
  bool leader = false;     ///< placed away from its circle: draw a line from circle to box
};

[[nodiscard]] std::vector<std::optional<PlacedLabel>> place_labels(const std::vector<LabelRequest>& requests,
                                                                   const std::vector<Circle>& circles,
                                                                   const Box& bounds);

// --- the map figures' geometry (pure, so tests can find an asset's circle in a PNG) ----------

/// Figure header height in size units (1 unit = 1 pixel at 1080 pixels of height).
inline constexpr double kHeaderUnits = 130;
/// The map panel of the single map view on a width x height figure (sidebar on the right).
[[nodiscard]] Box map_area(double width, double height);
/// The two panels (ground truth, known) of the known-vs-true view.
[[nodiscard]] std::pair<Box, Box> known_vs_true_areas(double width, double height);

/// Pixel geometry of one map panel: circle centres and radii, by asset index.
struct MapGeometry {
  std::vector<Vec2> centre;
  std::vector<double> radius;
  std::uint64_t max_population = 0;
  double r_min = 0, r_max = 0;
  /// With a basemap (Scenario::basemap): positions are geography, drawn in the frame's aspect
  /// ratio (no rank spreading), and `outline` holds its rings in pixels.
  bool geographic = false;
  std::vector<std::vector<Vec2>> outline;
  /// The basemap's province rings in pixels (Basemap::provinces, all rings of all provinces).
  std::vector<std::vector<Vec2>> provinces;
};

/// Width over height of a basemap frame on an equirectangular map (longitudes shortened by the
/// cosine of the mid latitude).
[[nodiscard]] double frame_aspect(const Basemap& basemap);

/// An arrow head at the end of the edge from `from` to `to`, its tip on the circle of radius
/// `r_to` around `to`: the tip and the two barb ends (`length` long, `half_angle` radians off the
/// edge). Coincident points give the tip at `to` and barbs of zero length.
struct ArrowHead {
  Vec2 tip, left, right;
};
[[nodiscard]] ArrowHead arrow_head(Vec2 from, Vec2 to, double r_to, double length, double half_angle);

/// Circles sized by population (area), at asset_positions() fitted into `area`. With a basemap,
/// the frame [0, 1]^2 is fitted into `area` keeping frame_aspect() (positions stay geography) and
/// the outline is projected the same way. Without one, when most assets have map positions,
/// clusters are spread by rank (spread_ranks, 0.7) and the map fills the panel. Then circles are
/// separated (up to 3000 assets). `u` = pixels per size unit.
[[nodiscard]] MapGeometry map_geometry(const Scenario& scenario, const Box& area, double u);

/// Above this many assets the map draws sector groups (sector_groups()) instead of one circle
/// per asset: 10^4 overlapping dots explain nothing.
inline constexpr std::size_t kGroupAssetsAbove = 2000;

/// One glyph of the grouped map: the assets of one sector in one area.
struct SectorGroup {
  Index area = kNone;     ///< scenario area (kNone: assets that serve no area and have no located area)
  Index sector = kNone;   ///< scenario sector (kNone: no sector)
  std::vector<Index> members;  ///< asset indices, ascending
  Vec2 centre;            ///< pixels
  double radius = 0;      ///< pixels, by sqrt(member count)
};

/// A "wheel" per area: the area's centre (mean of its assets' positions on the map) with one
/// glyph per sector present there, sector k of the scenario at angle -90 + 360 k / S degrees
/// (S = sectors of the scenario, the same place in every wheel). An asset's area is the area of
/// its first "serves"; an asset that serves none joins the area whose centre is nearest its own
/// position. Glyph radii grow from 0.35 to 1 times a maximum with sqrt(members / largest group);
/// the maximum keeps neighbouring wheels apart (by the smallest distance between two area
/// centres) and lies between 4u and 24u.
struct SectorWheels {
  std::vector<SectorGroup> groups;  ///< by area (scenario order), then sector
  std::vector<Vec2> area_centre;    ///< pixels, by area index (unused areas: the map's centre)
  std::vector<std::uint8_t> area_used;
  double wheel_radius = 0;          ///< centre to glyph centre
  double glyph_max = 0;             ///< largest glyph radius
};
[[nodiscard]] SectorWheels sector_groups(const Scenario& scenario, const MapGeometry& g, double u);

/// Rows of horizontal intervals (label rows of the charts): place() puts [a, b) into the first row
/// where it overlaps no interval placed before (with `gap` between), in any order of calls.
class IntervalRows {
 public:
  IntervalRows(std::size_t rows, double gap) : rows_(rows), gap_(gap) {}
  /// Row index used, or nullopt when every row is taken there.
  [[nodiscard]] std::optional<std::size_t> place(double a, double b);

 private:
  std::vector<std::vector<std::pair<double, double>>> rows_;
  double gap_;
};

/// Whether a box and a circle overlap.
[[nodiscard]] bool overlaps(const Box& b, const Circle& c);

}  // namespace cyberdrill::viz
