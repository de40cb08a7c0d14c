#include "draw_batch.hpp"

namespace cyberdrill::viz {

void Batch::Layer::clear() {
  shapes.clear();
  blended.clear();
  for (auto& [tex, va] : texts) va.clear();
  texts_used = 0;
  text_boxes.clear();
  blended_boxes.clear();
}

void Batch::clear() {
  for (std::size_t i = 0; i < used_; ++i) layers_[i].clear();
  used_ = 0;
}

Batch::Layer& Batch::push() {
  if (used_ == layers_.size()) layers_.emplace_back();
  Layer& l = layers_[used_++];
  l.clear();
  return l;
}

Batch::Layer& Batch::open() { return used_ == 0 ? push() : layers_[used_ - 1]; }

sf::VertexArray& Batch::shapes(const sf::FloatRect& bounds, bool opaque) {
  Layer* l = &open();
  auto hits = [&](const std::vector<sf::FloatRect>& boxes) {
    for (const sf::FloatRect& b : boxes)
      if (b.intersects(bounds)) return true;
    return false;
  };
  if (hits(l->text_boxes) || (opaque && hits(l->blended_boxes))) l = &push();
  if (opaque) return l->shapes;
  l->blended_boxes.push_back(bounds);
  return l->blended;
}

sf::VertexArray& Batch::text(const sf::Texture* texture, const sf::FloatRect& bounds) {
  Layer& l = open();
  l.text_boxes.push_back(bounds);
  for (std::size_t i = 0; i < l.texts_used; ++i)
    if (l.texts[i].first == texture) return l.texts[i].second;
  if (l.texts_used == l.texts.size()) l.texts.emplace_back(texture, sf::VertexArray(sf::Triangles));
  auto& slot = l.texts[l.texts_used++];
  slot.first = texture;
  slot.second.clear();
  return slot.second;
}

void Batch::append(const Batch& other) {
  for (std::size_t i = 0; i < other.used_; ++i) {
    const Layer& from = other.layers_[i];
    Layer& to = push();
    for (std::size_t v = 0; v < from.shapes.getVertexCount(); ++v) to.shapes.append(from.shapes[v]);
    for (std::size_t v = 0; v < from.blended.getVertexCount(); ++v) to.blended.append(from.blended[v]);
    for (std::size_t t = 0; t < from.texts_used; ++t) {
      if (to.texts_used == to.texts.size()) to.texts.emplace_back(nullptr, sf::VertexArray(sf::Triangles));
      auto& slot = to.texts[to.texts_used++];
      slot.first = from.texts[t].first;
      slot.second.clear();
      for (std::size_t v = 0; v < from.texts[t].second.getVertexCount(); ++v) slot.second.append(from.texts[t].second[v]);
    }
    to.text_boxes = from.text_boxes;
    to.blended_boxes = from.blended_boxes;
  }
}

void Batch::draw(sf::RenderTarget& target) const {
  for (std::size_t i = 0; i < used_; ++i) {
    const Layer& l = layers_[i];
    // Opaque shapes replace what is under them: no blending (half the cost under llvmpipe).
    if (l.shapes.getVertexCount() > 0) target.draw(l.shapes, sf::RenderStates(sf::BlendNone));
    if (l.blended.getVertexCount() > 0) target.draw(l.blended);
    for (std::size_t t = 0; t < l.texts_used; ++t) {
      const auto& [tex, va] = l.texts[t];
      if (va.getVertexCount() == 0) continue;
      // Font pages are created smooth (and made smooth again when they grow); glyph quads lie on
      // whole pixels, so nearest sampling draws the same picture at a fraction of the cost.
      const_cast<sf::Texture*>(tex)->setSmooth(false);
      sf::RenderStates states;
      states.texture = tex;
      target.draw(va, states);
    }
  }
}

std::size_t Batch::draw_calls() const {
  std::size_t n = 0;
  for (std::size_t i = 0; i < used_; ++i)
    n += (layers_[i].shapes.getVertexCount() > 0) + (layers_[i].blended.getVertexCount() > 0) + layers_[i].texts_used;
  return n;
}

std::size_t Batch::vertices() const {
  std::size_t n = 0;
  for (std::size_t i = 0; i < used_; ++i) {
    n += layers_[i].shapes.getVertexCount() + layers_[i].blended.getVertexCount();
    for (std::size_t t = 0; t < layers_[i].texts_used; ++t) n += layers_[i].texts[t].second.getVertexCount();
  }
  return n;
}

}  // namespace cyberdrill::viz
