// Palette: service levels map to a green -> amber -> red ramp that stays readable for red-green
// colour-blind viewers; unknown is grey; sector colours are distinct.
#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <set>
#include <tuple>

#include "palette.hpp"

using namespace cyberdrill::viz;

namespace {

/// Deuteranopia simulation (Machado, Oliveira & Fernandes 2009, severity 1) in linear RGB.
std::array<double, 3> deuteranope(Rgb c) {
  auto lin = [](std::uint8_t v) {
    const double x = v / 255.0;
    return x <= 0.04045 ? x / 12.92 : std::pow((x + 0.055) / 1.055, 2.4);
  };
  const double r = lin(c.r), g = lin(c.g), b = lin(c.b);
  return {0.367322 * r + 0.860646 * g - 0.227968 * b, 0.280085 * r + 0.672501 * g + 0.047413 * b,
          -0.011820 * r + 0.042940 * g + 0.968881 * b};
}

double distance(const std::array<double, 3>& a, const std::array<double, 3>& b) {
  return std::sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]));
}

}  // namespace

TEST_CASE("full service is green and an outage is red") {
  const Rgb up = level_colour(1.0), down = level_colour(0.0), half = level_colour(0.5);
  CHECK(up.g > up.r);
  CHECK(down.r > 150);
  CHECK(down.g < 60);
  CHECK(down.b < 60);
  CHECK(half == colours::warn);  // amber in the middle
}

TEST_CASE("levels outside 0..1 are clamped and unknown levels are grey") {
  CHECK(level_colour(1.7) == level_colour(1.0));
  CHECK(level_colour(-0.3) == level_colour(0.0));
  CHECK(level_colour(std::nullopt) == colours::unknown);
  CHECK(level_colour(std::nan("")) == colours::unknown);
  const Rgb u = colours::unknown;
  CHECK(std::abs(int(u.r) - int(u.g)) < 10);  // a neutral grey, not a level colour
  CHECK(std::abs(int(u.g) - int(u.b)) < 10);
}

TEST_CASE("the ramp is continuous: small level steps give small colour steps") {
  for (int i = 0; i < 1000; ++i) {
    const Rgb a = level_colour(i / 1000.0), b = level_colour((i + 1) / 1000.0);
    CHECK(std::abs(int(a.r) - int(b.r)) <= 3);
    CHECK(std::abs(int(a.g) - int(b.g)) <= 3);
    CHECK(std::abs(int(a.b) - int(b.b)) <= 3);
  }
}

TEST_CASE("the red end gets steadily darker and redder: lower level, less green") {
  // Between amber (0.5) and red (0) the green channel falls monotonically.
  for (int i = 0; i < 50; ++i) CHECK(level_colour(i / 100.0).g <= level_colour((i + 1) / 100.0).g);
}

TEST_CASE("full service, half service and outage stay apart for a deuteranope") {
  const auto up = deuteranope(level_colour(1.0)), half = deuteranope(level_colour(0.5)),
             down = deuteranope(level_colour(0.0));
  CHECK(distance(up, down) > 0.15);
  CHECK(distance(up, half) > 0.15);
  CHECK(distance(half, down) > 0.15);
  // And outage contrasts with the white circle outline and the light background.
  CHECK(contrast_ratio(level_colour(0.0), colours::background) > 4.5);
}

TEST_CASE("sector colours are distinct and deterministic, cycling after the palette") {
  std::set<std::tuple<int, int, int>> seen;
  for (std::size_t s = 0; s < kSectorColourCount; ++s) {
    const Rgb c = sector_colour(s);
    seen.insert(std::make_tuple(int(c.r), int(c.g), int(c.b)));
    CHECK(contrast_ratio(c, colours::background) > 1.8);  // visible as a line on the background
    for (std::size_t t = 0; t < s; ++t) {
      const Rgb d = sector_colour(t);
      CHECK(std::abs(int(c.r) - int(d.r)) + std::abs(int(c.g) - int(d.g)) + std::abs(int(c.b) - int(d.b)) > 60);
    }
  }
  CHECK(seen.size() == kSectorColourCount);
  CHECK(sector_colour(kSectorColourCount + 3) == sector_colour(3));
}

TEST_CASE("text colours meet WCAG contrast on the background") {
  CHECK(contrast_ratio(colours::text, colours::background) >= 7.0);
  CHECK(contrast_ratio(colours::muted, colours::background) >= 4.5);
}
