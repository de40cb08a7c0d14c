// SFML drawing helpers shared by the views: an off-screen RenderTexture with the project's
// fonts, text with clipping, lines, and atomic PNG output. Only constructed after
// ensure_display() succeeded (the constructor checks and throws std::runtime_error otherwise).
#pragma once

#include <SFML/Graphics.hpp>

#include <filesystem>
#include <string>

#include "palette.hpp"

namespace cyberdrill::viz {

inline sf::Color to_sf(Rgb c) { return sf::Color(c.r, c.g, c.b, c.a); }

enum class Align { left, centre, right };

class Canvas {
 public:
  /// Throws std::runtime_error (no display, font missing, texture not creatable).
  Canvas(unsigned width, unsigned height);

  [[nodiscard]] sf::RenderTexture& target() { return rt_; }
  [[nodiscard]] float width() const { return static_cast<float>(w_); }
  [[nodiscard]] float height() const { return static_cast<float>(h_); }
  /// Size unit: 1 at 1080 pixels of height (fonts and strokes scale with it).
  [[nodiscard]] float u() const { return u_; }

  /// `text` (UTF-8) shortened with an ellipsis until it is at most max_width pixels wide
  /// (max_width <= 0: no limit). Returns the drawn bounds. `y` is the top of the line box.
  sf::FloatRect text(const std::string& text, float x, float y, float size, Rgb colour, bool bold = false,
                     Align align = Align::left, float max_width = 0);
  /// Width and height of `text` as text() would draw it (unclipped).
  [[nodiscard]] sf::Vector2f measure(const std::string& text, float size, bool bold = false);
  /// `text` clipped to max_width as text() would draw it.
  [[nodiscard]] std::string clip(const std::string& text, float size, bool bold, float max_width);

  void rect(float x, float y, float w, float h, Rgb fill, Rgb outline = {0, 0, 0, 0}, float thickness = 0);
  void line(sf::Vector2f a, sf::Vector2f b, float thickness, Rgb colour);
  void dashed(sf::Vector2f a, sf::Vector2f b, float thickness, Rgb colour, float dash, float gap);
  void circle(sf::Vector2f c, float r, Rgb fill, Rgb outline = {0, 0, 0, 0}, float thickness = 0);

  /// Draws the figure header: title (left, bold), subtitle below, `right` large on the right.
  /// Returns the y where content may start.
  float header(const std::string& title, const std::string& subtitle, const std::string& right);

  /// Writes the picture as PNG to `out` atomically. Throws std::runtime_error.
  void save_png(const std::filesystem::path& out);

 private:
  /// Checks the display before any SFML member is constructed (throws std::runtime_error).
  struct DisplayCheck {
    DisplayCheck();
  };
  DisplayCheck check_;
  unsigned w_, h_;
  float u_;
  sf::RenderTexture rt_;
  sf::Font regular_;
  sf::Font bold_;
};

}  // namespace cyberdrill::viz
