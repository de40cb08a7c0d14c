// SFML drawing helpers shared by the views: an off-screen RenderTexture (or a window) with the
// project's fonts, text with clipping, lines, and atomic PNG output. Only constructed after
// ensure_display() succeeded (the constructor checks and throws std::runtime_error otherwise).
//
// Two ways to draw. Immediate (the default, the figures): each call draws at once. Batched
// (begin_batch() .. end_batch(), the live window): calls record into a Batch drawn later in a few
// draw calls; text is laid out once per (string, size, weight, width limit) and kept in a cache
// (measure() and clip() use it too), so an unchanged string costs a copy of its glyph quads.
// Both give the same picture (text positions are the same whole pixels).
#pragma once

#include <SFML/Graphics.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <unordered_map>
#include <vector>

#include "draw_batch.hpp"
#include "palette.hpp"

namespace cyberdrill::viz {

inline sf::Color to_sf(Rgb c) { return sf::Color(c.r, c.g, c.b, c.a); }

enum class Align { left, centre, right };

class Canvas {
 public:
  /// Throws std::runtime_error (no display, font missing, texture not creatable).
  /// `antialiasing`: multisampling level of the texture (0: none).
  Canvas(unsigned width, unsigned height, unsigned antialiasing = 4);
  /// Draws onto `window` (not owned) laid out for width x height; target() must not be used.
  Canvas(sf::RenderTarget& window, unsigned width, unsigned height);

  /// The off-screen texture (the first constructor only).
  [[nodiscard]] sf::RenderTexture& target() { return rt_; }
  /// What is drawn on: the texture or the window.
  [[nodiscard]] sf::RenderTarget& surface() { return *surface_; }
  /// Ends a frame: displays the off-screen texture (a window is displayed by its owner).
  void present();

  /// Unique among the canvases of this process (recorded batches hold this canvas's textures).
  [[nodiscard]] std::uint64_t id() const { return id_; }
  /// Records every drawing call into `into` (appended) until end_batch().
  void begin_batch(Batch& into) { batch_ = &into; }
  void end_batch() { batch_ = nullptr; }
  /// Draws a recorded batch now (into the open batch when one is being recorded).
  void draw(const Batch& batch);
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
  /// One laid-out string (batched mode): glyph quads relative to the text's origin.
  struct TextEntry {
    std::string text, shown;
    unsigned size = 0;
    bool bold = false;
    float max_width = 0;
    float width = 0;  ///< of `shown`, as measure() reports it
    std::vector<sf::Vertex> quads;
    std::uint64_t used = 0;  ///< frame it was last used in
  };
  const TextEntry& layout(const std::string& text, float size, bool bold, float max_width);
  /// Width as sf::Text's bounds give it (left + width); appends glyph quads when `out` is set.
  float lay_out(const sf::String& s, unsigned size, bool bold, std::vector<sf::Vertex>* out);
  sf::VertexArray& shapes(float x, float y, float w, float h, bool opaque);
  void load_fonts();

  DisplayCheck check_;
  unsigned w_, h_;
  float u_;
  sf::RenderTexture rt_;
  sf::RenderTarget* surface_ = nullptr;
  bool offscreen_ = true;
  sf::Font regular_;
  sf::Font bold_;
  Batch* batch_ = nullptr;
  std::unordered_map<std::uint64_t, TextEntry> texts_;
  std::uint64_t frame_ = 0;
  std::uint64_t id_ = 0;
};

}  // namespace cyberdrill::viz
