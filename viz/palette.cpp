#include "palette.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace cyberdrill::viz {
namespace {

std::uint8_t lerp8(std::uint8_t a, std::uint8_t b, double t) {
  return static_cast<std::uint8_t>(std::lround(static_cast<double>(a) + (static_cast<double>(b) - a) * t));
}

double linear_channel(std::uint8_t c) {
  const double v = static_cast<double>(c) / 255.0;
  return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
}

}  // namespace

Rgb mix(Rgb a, Rgb b, double t) {
  t = std::clamp(t, 0.0, 1.0);
  return Rgb{lerp8(a.r, b.r, t), lerp8(a.g, b.g, t), lerp8(a.b, b.b, t), lerp8(a.a, b.a, t)};
}

Rgb level_colour(std::optional<double> level) {
  if (!level || std::isnan(*level)) return colours::unknown;
  // Stops every 0.25 (interpolating green and amber directly in sRGB gives a muddy olive).
  static constexpr std::array<Rgb, 5> stops{{colours::bad, {214, 84, 30}, colours::warn, {150, 190, 60}, colours::good}};
  const double l = std::clamp(*level, 0.0, 1.0) * 4;
  const auto k = std::min<std::size_t>(3, static_cast<std::size_t>(l));
  return mix(stops[k], stops[k + 1], l - static_cast<double>(k));
}

Rgb sector_colour(std::size_t sector) {
  // Okabe-Ito (yellow darkened for lines on a light background), then Paul Tol's muted colours.
  static constexpr std::array<Rgb, kSectorColourCount> k{{
      {0, 114, 178},    // blue
      {230, 159, 0},    // orange
      {0, 158, 115},    // bluish green
      {213, 94, 0},     // vermillion
      {204, 121, 167},  // reddish purple
      {86, 180, 233},   // sky blue
      {68, 68, 68},     // dark grey
      {176, 152, 0},    // dark yellow
      {136, 34, 85},    // wine
      {51, 34, 136},    // indigo
      {68, 170, 153},   // teal
      {153, 153, 51},   // olive
  }};
  return k[sector % k.size()];
}

double luminance(Rgb c) {
  return 0.2126 * linear_channel(c.r) + 0.7152 * linear_channel(c.g) + 0.0722 * linear_channel(c.b);
}

double contrast_ratio(Rgb a, Rgb b) {
  const double la = luminance(a), lb = luminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

}  // namespace cyberdrill::viz
