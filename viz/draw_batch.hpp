// Retained, batched geometry for frames drawn many times a second (the live window).
//
// A Batch is a list of layers; each layer holds a triangle array of opaque shapes (drawn without
// blending), one of translucent shapes, and one triangle array per glyph texture (font and
// character size), drawn in that order. A shape recorded after something of the layer it
// overlaps that is drawn later (a text; for an opaque shape, a translucent one) starts a new
// layer, so the picture is the one immediate drawing in recording order would give, in a
// handful of draw calls.
// Cleared batches keep their storage (no allocation once a frame's size has been reached).
//
// Why: under software OpenGL (Mesa llvmpipe, the Xvfb of the tests and the benchmark) a draw
// call and a bilinear texture fetch per pixel are what a frame costs; glyph textures are drawn
// with nearest sampling (draw()), exact because every glyph quad lies on whole pixels.
#pragma once

#include <SFML/Graphics.hpp>

#include <cstddef>
#include <utility>
#include <vector>

namespace cyberdrill::viz {

class Batch {
 public:
  /// Forgets the geometry, keeps the storage.
  void clear();
  /// The shape array to append triangles covering `bounds` to: opaque ones (every vertex alpha
  /// 255) are drawn without blending.
  sf::VertexArray& shapes(const sf::FloatRect& bounds, bool opaque);
  /// The array of glyph quads drawn with `texture`, for a text covering `bounds`.
  sf::VertexArray& text(const sf::Texture* texture, const sf::FloatRect& bounds);
  /// Appends a copy of `other` (its layers after this batch's).
  void append(const Batch& other);
  void draw(sf::RenderTarget& target) const;
  [[nodiscard]] std::size_t draw_calls() const;
  [[nodiscard]] std::size_t vertices() const;
  [[nodiscard]] bool empty() const { return used_ == 0; }

 private:
  struct Layer {
    sf::VertexArray shapes{sf::Triangles};   ///< opaque
    sf::VertexArray blended{sf::Triangles};  ///< translucent
    std::vector<std::pair<const sf::Texture*, sf::VertexArray>> texts;
    std::size_t texts_used = 0;
    std::vector<sf::FloatRect> text_boxes, blended_boxes;
    void clear();
  };
  Layer& open();
  Layer& push();
  std::vector<Layer> layers_;
  std::size_t used_ = 0;
};

}  // namespace cyberdrill::viz
