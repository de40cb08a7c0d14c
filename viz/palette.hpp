// Colours of the after-action figures. No SFML here: plain RGBA so the choices are unit-testable.
//
// Contract
//  - level_colour(): service level 1 -> bluish green, 0.75 -> yellow-green, 0.5 -> amber,
//    0.25 -> orange, 0 -> dark red, interpolated piecewise-linearly in between; levels outside [0, 1] are clamped; an unknown level (nullopt or
//    NaN) is neutral grey. The green carries a blue component and the red none, and lightness falls
//    from amber to red, so the ends stay apart for red-green colour-blind viewers (tests check this
//    under a deuteranopia simulation).
//  - sector_colour(i): Okabe-Ito-based qualitative colours readable as lines on the light
//    background; deterministic, cycling after kSectorColourCount.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

namespace cyberdrill::viz {

struct Rgb {
  std::uint8_t r = 0, g = 0, b = 0, a = 255;
  friend bool operator==(const Rgb&, const Rgb&) = default;
};

[[nodiscard]] Rgb level_colour(std::optional<double> level);

inline constexpr std::size_t kSectorColourCount = 12;
[[nodiscard]] Rgb sector_colour(std::size_t sector);

/// `c` with alpha `a`.
[[nodiscard]] constexpr Rgb with_alpha(Rgb c, std::uint8_t a) { return Rgb{c.r, c.g, c.b, a}; }
/// Linear interpolation between two colours, t in [0, 1] (clamped).
[[nodiscard]] Rgb mix(Rgb a, Rgb b, double t);
/// Relative luminance (WCAG 2), in [0, 1].
[[nodiscard]] double luminance(Rgb c);
/// WCAG contrast ratio between two opaque colours, in [1, 21].
[[nodiscard]] double contrast_ratio(Rgb a, Rgb b);

namespace colours {
inline constexpr Rgb background{247, 247, 244};
inline constexpr Rgb panel{255, 255, 255};
inline constexpr Rgb text{28, 30, 34};
inline constexpr Rgb muted{96, 100, 108};
inline constexpr Rgb grid{222, 223, 226};
inline constexpr Rgb axis{120, 124, 130};
inline constexpr Rgb edge{150, 155, 165, 55};
inline constexpr Rgb edge_down{200, 60, 60, 110};
inline constexpr Rgb unknown{190, 192, 196};
inline constexpr Rgb compromised{106, 27, 154};   ///< outline: the attacker got in (purple)
inline constexpr Rgb contained{0, 114, 178};      ///< outline: contained by the response (blue)
inline constexpr Rgb escalation{106, 27, 154};    ///< escalation markers
inline constexpr Rgb decision{0, 114, 178};       ///< decision markers
inline constexpr Rgb good{27, 158, 119};
inline constexpr Rgb warn{230, 159, 0};
inline constexpr Rgb bad{178, 24, 43};
inline constexpr Rgb border{92, 104, 122, 200};    ///< a basemap's country border
inline constexpr Rgb land_halo{205, 214, 226, 140};  ///< the soft band along the border
inline constexpr Rgb province{168, 178, 194};     ///< a basemap's province boundaries (opaque, thin)
}  // namespace colours

}  // namespace cyberdrill::viz
