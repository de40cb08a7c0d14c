#include "canvas.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <SFML/System/Err.hpp>
#include <png.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <system_error>
#include <vector>

#include "cyberdrill/atomic_output.hpp"
#include "cyberdrill/viz.hpp"

namespace cyberdrill::viz {
namespace {

constexpr const char* kFontDir = "/usr/share/fonts/truetype/dejavu/";

void load_font(sf::Font& f, const char* file) {
  const std::string path = std::string(kFontDir) + file;
  if (!std::filesystem::exists(path) || !f.loadFromFile(path))
    throw std::runtime_error("font " + path + " not found; install the Debian package fonts-dejavu-core");
}

sf::String utf8(const std::string& s) { return sf::String::fromUtf8(s.begin(), s.end()); }

std::string to_utf8(const sf::String& s) {
  std::string out;
  sf::Utf32::toUtf8(s.begin(), s.end(), std::back_inserter(out));
  return out;
}

}  // namespace

Canvas::DisplayCheck::DisplayCheck() {
  std::string why;
  if (!ensure_display(&why)) throw std::runtime_error("cannot render: " + why);
}

namespace {
std::atomic<std::uint64_t> g_canvases{0};
}

void Canvas::load_fonts() {
  id_ = ++g_canvases;
  load_font(regular_, "DejaVuSans.ttf");
  load_font(bold_, "DejaVuSans-Bold.ttf");
}

Canvas::Canvas(unsigned width, unsigned height, unsigned antialiasing)
    : w_(width), h_(height), u_(static_cast<float>(height) / 1080.f) {
  load_fonts();
  sf::ContextSettings settings;
  settings.antialiasingLevel = antialiasing;
  if (!rt_.create(width, height, settings))
    throw std::runtime_error("cannot create a " + std::to_string(width) + "x" + std::to_string(height) +
                             " off-screen render texture (OpenGL unavailable on this display?)");
  rt_.setSmooth(true);
  rt_.clear(to_sf(colours::background));
  surface_ = &rt_;
}

Canvas::Canvas(sf::RenderTarget& window, unsigned width, unsigned height)
    : w_(width), h_(height), u_(static_cast<float>(height) / 1080.f), surface_(&window), offscreen_(false) {
  load_fonts();
}

void Canvas::present() {
  if (offscreen_) rt_.display();
  ++frame_;
  // Strings not drawn for a while (old clock readings) leave the cache.
  if (texts_.size() > 4096)
    for (auto it = texts_.begin(); it != texts_.end();) it = frame_ - it->second.used > 120 ? texts_.erase(it) : std::next(it);
}

void Canvas::draw(const Batch& batch) {
  if (batch_ != nullptr) batch_->append(batch);
  else batch.draw(*surface_);
}

float Canvas::lay_out(const sf::String& s, unsigned size, bool bold, std::vector<sf::Vertex>* out) {
  // sf::Text's geometry (SFML 2.5): baseline at `size`, kerning; whitespace only advances.
  const sf::Font& font = bold ? bold_ : regular_;
  const float space = font.getGlyph(L' ', size, false).advance;
  float x = 0, max_x = 0;
  const auto y = static_cast<float>(size);
  sf::Uint32 prev = 0;
  for (std::size_t i = 0; i < s.getSize(); ++i) {
    const sf::Uint32 c = s[i];
    if (c == '\r') continue;
    x += font.getKerning(prev, c, size);
    prev = c;
    if (c == ' ' || c == '\t' || c == '\n') {
      x += c == '\t' ? space * 4 : c == ' ' ? space : 0;
      max_x = std::max(max_x, x);
      continue;
    }
    const sf::Glyph& g = font.getGlyph(c, size, false);
    const float l = g.bounds.left, t = g.bounds.top, r = l + g.bounds.width, b = t + g.bounds.height;
    max_x = std::max(max_x, x + r);
    if (out != nullptr) {
      // Exactly the glyph's pixels (sf::Text pads each quad by a pixel for bilinear filtering;
      // drawn with nearest sampling on whole pixels, the padding is only more pixels to fill).
      const auto u1 = static_cast<float>(g.textureRect.left), v1 = static_cast<float>(g.textureRect.top);
      const auto u2 = static_cast<float>(g.textureRect.left + g.textureRect.width);
      const auto v2 = static_cast<float>(g.textureRect.top + g.textureRect.height);
      const sf::Color w = sf::Color::White;
      const sf::Vertex tl({x + l, y + t}, w, {u1, v1}), tr({x + r, y + t}, w, {u2, v1});
      const sf::Vertex bl({x + l, y + b}, w, {u1, v2}), br({x + r, y + b}, w, {u2, v2});
      out->insert(out->end(), {tl, tr, bl, bl, tr, br});
    }
    x += g.advance;
  }
  return max_x;
}

const Canvas::TextEntry& Canvas::layout(const std::string& s, float size, bool bold, float max_width) {
  const auto px = static_cast<unsigned>(std::lround(size));
  const float limit = max_width > 0 ? max_width : 0;
  std::uint64_t h = std::hash<std::string>{}(s);
  std::uint32_t lbits = 0;
  static_assert(sizeof lbits == sizeof limit);
  std::memcpy(&lbits, &limit, sizeof lbits);
  h ^= (static_cast<std::uint64_t>(px) << 1 | (bold ? 1u : 0u)) * 0x9E3779B97F4A7C15ULL;
  h ^= static_cast<std::uint64_t>(lbits) * 0xC2B2AE3D27D4EB4FULL + (h << 6) + (h >> 2);
  TextEntry& e = texts_[h];
  e.used = frame_;
  if (e.size == px && e.bold == bold && e.max_width == limit && e.text == s) return e;
  e.text = s;
  e.size = px;
  e.bold = bold;
  e.max_width = limit;
  e.quads.clear();
  sf::String str = utf8(s);
  float w = lay_out(str, px, bold, nullptr);
  if (limit > 0 && w > limit) {
    // Binary search on the number of characters kept before the ellipsis (as clip()).
    std::size_t lo = 0, hi = str.getSize();
    while (lo < hi) {
      const std::size_t mid = (lo + hi + 1) / 2;
      if (lay_out(str.substring(0, mid) + sf::String(L"\u2026"), px, bold, nullptr) <= limit) lo = mid;
      else hi = mid - 1;
    }
    sf::String kept = str.substring(0, lo);
    while (!kept.isEmpty() && kept[kept.getSize() - 1] == ' ') kept.erase(kept.getSize() - 1);
    str = kept + sf::String(L"\u2026");
    e.shown = to_utf8(str);
  } else {
    e.shown = s;
  }
  e.width = lay_out(str, px, bold, &e.quads);
  return e;
}

sf::VertexArray& Canvas::shapes(float x, float y, float w, float h, bool opaque) {
  return batch_->shapes(sf::FloatRect(x, y, w, h), opaque);
}

sf::Vector2f Canvas::measure(const std::string& s, float size, bool bold) {
  if (batch_ != nullptr) return {layout(s, size, bold, 0).width, size * 1.2f};
  sf::Text t(utf8(s), bold ? bold_ : regular_, static_cast<unsigned>(std::lround(size)));
  const sf::FloatRect b = t.getLocalBounds();
  return {b.left + b.width, size * 1.2f};
}

std::string Canvas::clip(const std::string& s, float size, bool bold, float max_width) {
  if (max_width <= 0) return s;
  if (batch_ != nullptr) return layout(s, size, bold, max_width).shown;
  sf::String str = utf8(s);
  sf::Text t(str, bold ? bold_ : regular_, static_cast<unsigned>(std::lround(size)));
  auto width = [&] {
    const sf::FloatRect b = t.getLocalBounds();
    return b.left + b.width;
  };
  if (width() <= max_width) return s;
  // Binary search on the number of characters kept before the ellipsis.
  std::size_t lo = 0, hi = str.getSize();
  while (lo < hi) {
    const std::size_t mid = (lo + hi + 1) / 2;
    t.setString(str.substring(0, mid) + sf::String(L"\u2026"));
    if (width() <= max_width) lo = mid;
    else hi = mid - 1;
  }
  sf::String kept = str.substring(0, lo);
  while (!kept.isEmpty() && kept[kept.getSize() - 1] == ' ') kept.erase(kept.getSize() - 1);
  return to_utf8(kept + sf::String(L"\u2026"));
}

sf::FloatRect Canvas::text(const std::string& s, float x, float y, float size, Rgb colour, bool bold, Align align,
                           float max_width) {
  if (batch_ != nullptr) {
    const TextEntry& e = layout(s, size, bold, max_width);
    float left = x;
    if (align == Align::centre) left = x - e.width / 2;
    if (align == Align::right) left = x - e.width;
    const float ox = std::round(left), oy = std::round(y);
    const sf::Texture* tex = &(bold ? bold_ : regular_).getTexture(e.size);
    sf::VertexArray& va = batch_->text(tex, sf::FloatRect(ox - 2, oy - 2, e.width + 4, size * 1.35f + 4));
    const sf::Color c = to_sf(colour);
    for (sf::Vertex v : e.quads) {
      v.position.x += ox;
      v.position.y += oy;
      v.color = c;
      va.append(v);
    }
    return {left, y, e.width, size * 1.2f};
  }
  const std::string shown = clip(s, size, bold, max_width);
  sf::Text t(utf8(shown), bold ? bold_ : regular_, static_cast<unsigned>(std::lround(size)));
  t.setFillColor(to_sf(colour));
  const sf::FloatRect b = t.getLocalBounds();
  const float w = b.left + b.width;
  float left = x;
  if (align == Align::centre) left = x - w / 2;
  if (align == Align::right) left = x - w;
  t.setPosition(std::round(left), std::round(y));
  rt_.draw(t);
  return {left, y, w, size * 1.2f};
}

namespace {
void quad(sf::VertexArray& va, float x, float y, float w, float h, sf::Color c) {
  va.append(sf::Vertex({x, y}, c));
  va.append(sf::Vertex({x + w, y}, c));
  va.append(sf::Vertex({x, y + h}, c));
  va.append(sf::Vertex({x, y + h}, c));
  va.append(sf::Vertex({x + w, y}, c));
  va.append(sf::Vertex({x + w, y + h}, c));
}
}  // namespace

void Canvas::rect(float x, float y, float w, float h, Rgb fill, Rgb outline, float thickness) {
  if (batch_ != nullptr) {
    // As sf::RectangleShape: the outline lies outside the rectangle.
    const float t = thickness > 0 ? thickness : 0;
    if (fill.a > 0) quad(shapes(x, y, w, h, fill.a == 255), x, y, w, h, to_sf(fill));
    if (t > 0 && outline.a > 0) {
      sf::VertexArray& va = shapes(x - t, y - t, w + 2 * t, h + 2 * t, outline.a == 255);
      const sf::Color o = to_sf(outline);
      quad(va, x - t, y - t, w + 2 * t, t, o);
      quad(va, x - t, y + h, w + 2 * t, t, o);
      quad(va, x - t, y, t, h, o);
      quad(va, x + w, y, t, h, o);
    }
    return;
  }
  sf::RectangleShape r({w, h});
  r.setPosition(x, y);
  r.setFillColor(to_sf(fill));
  if (thickness > 0) {
    r.setOutlineColor(to_sf(outline));
    r.setOutlineThickness(thickness);
  }
  rt_.draw(r);
}

void Canvas::line(sf::Vector2f a, sf::Vector2f b, float thickness, Rgb colour) {
  const sf::Vector2f d = b - a;
  const float len = std::sqrt(d.x * d.x + d.y * d.y);
  if (len <= 0) return;
  const sf::Vector2f n(-d.y / len * thickness / 2, d.x / len * thickness / 2);
  const sf::Color c = to_sf(colour);
  if (batch_ != nullptr) {
    // Slanted edges are antialiased by nobody here: opaque unless the colour is translucent.
    sf::VertexArray& va = shapes(std::min(a.x, b.x) - thickness, std::min(a.y, b.y) - thickness,
                                 std::abs(d.x) + 2 * thickness, std::abs(d.y) + 2 * thickness, colour.a == 255);
    for (const sf::Vector2f& p : {a + n, a - n, b + n, a - n, b + n, b - n}) va.append(sf::Vertex(p, c));
    return;
  }
  sf::VertexArray quad(sf::TriangleStrip, 4);
  quad[0] = sf::Vertex(a + n, c);
  quad[1] = sf::Vertex(a - n, c);
  quad[2] = sf::Vertex(b + n, c);
  quad[3] = sf::Vertex(b - n, c);
  rt_.draw(quad);
}

void Canvas::dashed(sf::Vector2f a, sf::Vector2f b, float thickness, Rgb colour, float dash, float gap) {
  const sf::Vector2f d = b - a;
  const float len = std::sqrt(d.x * d.x + d.y * d.y);
  if (len <= 0) return;
  const sf::Vector2f dir = d / len;
  for (float s = 0; s < len; s += dash + gap) line(a + dir * s, a + dir * std::min(len, s + dash), thickness, colour);
}

void Canvas::circle(sf::Vector2f c, float r, Rgb fill, Rgb outline, float thickness) {
  if (batch_ != nullptr) {
    const std::size_t n = std::max<std::size_t>(24, static_cast<std::size_t>(r * 1.5f));
    const float t = thickness > 0 ? thickness : 0;
    sf::VertexArray& va = shapes(c.x - r - t, c.y - r - t, 2 * (r + t), 2 * (r + t),
                                 (fill.a == 255 || fill.a == 0) && (t == 0 || outline.a == 255 || outline.a == 0));
    const sf::Color f = to_sf(fill), o = to_sf(outline);
    for (std::size_t i = 0; i < n; ++i) {
      const float a0 = 6.2831853f * static_cast<float>(i) / static_cast<float>(n);
      const float a1 = 6.2831853f * static_cast<float>(i + 1) / static_cast<float>(n);
      const sf::Vector2f d0(std::cos(a0), std::sin(a0)), d1(std::cos(a1), std::sin(a1));
      if (fill.a > 0) {
        va.append(sf::Vertex(c, f));
        va.append(sf::Vertex(c + d0 * r, f));
        va.append(sf::Vertex(c + d1 * r, f));
      }
      if (t > 0 && outline.a > 0)
        for (const sf::Vector2f& p : {c + d0 * r, c + d0 * (r + t), c + d1 * r, c + d1 * r, c + d0 * (r + t), c + d1 * (r + t)})
          va.append(sf::Vertex(p, o));
    }
    return;
  }
  sf::CircleShape s(r, std::max<std::size_t>(24, static_cast<std::size_t>(r * 1.5f)));
  s.setOrigin(r, r);
  s.setPosition(c);
  s.setFillColor(to_sf(fill));
  if (thickness > 0) {
    s.setOutlineColor(to_sf(outline));
    s.setOutlineThickness(thickness);
  }
  rt_.draw(s);
}

float Canvas::header(const std::string& title, const std::string& subtitle, const std::string& right) {
  const float m = 48 * u_;
  const sf::Vector2f rs = measure(right, 44 * u_, true);
  text(right, width() - m, 22 * u_, 44 * u_, colours::text, true, Align::right);
  const float room = width() - 2 * m - rs.x - 40 * u_;
  text(title, m, 24 * u_, 36 * u_, colours::text, true, Align::left, room);
  text(subtitle, m, 74 * u_, 21 * u_, colours::muted, false, Align::left, room);
  line({m, 114 * u_}, {width() - m, 114 * u_}, 1.5f * u_, colours::grid);
  return 130 * u_;
}

namespace {

/// RGBA pixels (rows top-down) as a PNG file image, encoded by libpng's simplified API into
/// memory (one pass: the buffer is libpng's own upper bound for the image). Throws
/// std::runtime_error with libpng's message.
std::string encode_png(const std::uint8_t* rgba, unsigned w, unsigned h) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  image.width = w;
  image.height = h;
  image.format = PNG_FORMAT_RGBA;
  png_alloc_size_t size = PNG_IMAGE_PNG_SIZE_MAX(image);
  std::string png(size, '\0');
  if (!::png_image_write_to_memory(&image, png.data(), &size, /*convert_to_8bit=*/0, rgba,
                                   /*row_stride=*/0, /*colormap=*/nullptr)) {
    const std::string why = image.message;
    ::png_image_free(&image);
    throw std::runtime_error("PNG encoding failed: " + why);
  }
  png.resize(size);
  return png;
}

}  // namespace

void Canvas::save_png(const std::filesystem::path& out) {
  rt_.display();
  const sf::Image img = rt_.getTexture().copyToImage();
  const std::filesystem::path tmp =
      out.parent_path() / ("." + out.filename().string() + "." + std::to_string(::getpid()) + ".tmp.png");
  auto fail = [&](const std::string& why) {
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    throw WriteError("cannot write " + out.string() + ": " + why);
  };
  // Encoded by libpng into memory rather than by sf::Image::saveToFile: stb_image_write was the
  // slowest step of `render` and ignores write errors, which then needed a read-back of the file.
  // Every write, the fsync and the close are checked instead.
  const std::string png = encode_png(img.getPixelsPtr(), img.getSize().x, img.getSize().y);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) fail("the file cannot be created (folder not writable, or disk full)");
  std::size_t done = 0;
  while (done < png.size()) {
    const ssize_t n = ::write(fd, png.data() + done, png.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      fail("the file written is incomplete (disk full?)");
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    const std::string why = std::generic_category().message(errno);
    ::close(fd);
    fail("the file written is incomplete (disk full?): " + why);
  }
  if (::close(fd) != 0) fail("the file written is incomplete (disk full?)");
  std::error_code ec;
  std::filesystem::rename(tmp, out, ec);
  if (ec) fail(ec.message());
}

}  // namespace cyberdrill::viz
