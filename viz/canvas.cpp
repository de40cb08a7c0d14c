#include "canvas.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <SFML/System/Err.hpp>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <system_error>

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

Canvas::Canvas(unsigned width, unsigned height) : w_(width), h_(height), u_(static_cast<float>(height) / 1080.f) {
  load_font(regular_, "DejaVuSans.ttf");
  load_font(bold_, "DejaVuSans-Bold.ttf");
  sf::ContextSettings settings;
  settings.antialiasingLevel = 4;
  if (!rt_.create(width, height, settings))
    throw std::runtime_error("cannot create a " + std::to_string(width) + "x" + std::to_string(height) +
                             " off-screen render texture (OpenGL unavailable on this display?)");
  rt_.setSmooth(true);
  rt_.clear(to_sf(colours::background));
}

sf::Vector2f Canvas::measure(const std::string& s, float size, bool bold) {
  sf::Text t(utf8(s), bold ? bold_ : regular_, static_cast<unsigned>(std::lround(size)));
  const sf::FloatRect b = t.getLocalBounds();
  return {b.left + b.width, size * 1.2f};
}

std::string Canvas::clip(const std::string& s, float size, bool bold, float max_width) {
  if (max_width <= 0) return s;
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

void Canvas::rect(float x, float y, float w, float h, Rgb fill, Rgb outline, float thickness) {
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
  sf::VertexArray quad(sf::TriangleStrip, 4);
  const sf::Color c = to_sf(colour);
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

void Canvas::save_png(const std::filesystem::path& out) {
  rt_.display();
  const sf::Image img = rt_.getTexture().copyToImage();
  // sf::Image picks the format by extension: the temporary name ends in .png too.
  const std::filesystem::path tmp =
      out.parent_path() / ("." + out.filename().string() + "." + std::to_string(::getpid()) + ".tmp.png");
  auto fail = [&](const std::string& why) {
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    throw WriteError("cannot write " + out.string() + ": " + why);
  };
  // SFML's messages go to sf::err(); ours say more, so silence them while we check.
  struct QuietSfml {
    std::streambuf* old = sf::err().rdbuf(nullptr);
    ~QuietSfml() { sf::err().rdbuf(old); }
  } quiet;
  if (!img.saveToFile(tmp.string())) fail("the file cannot be created (folder not writable, or disk full)");
  // SFML 2.5 writes through stb_image_write, which ignores fwrite/fclose errors: a full disk leaves a
  // truncated file and reports success. So read the file back and compare every pixel, then sync.
  sf::Image back;
  const sf::Vector2u size = img.getSize();
  if (!back.loadFromFile(tmp.string()) || back.getSize() != size ||
      std::memcmp(back.getPixelsPtr(), img.getPixelsPtr(), std::size_t{size.x} * size.y * 4) != 0)
    fail("the file written is incomplete (disk full?)");
  const int fd = ::open(tmp.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) {
    const std::string why = std::generic_category().message(errno);
    if (fd >= 0) ::close(fd);
    fail(why);
  }
  ::close(fd);
  std::error_code ec;
  std::filesystem::rename(tmp, out, ec);
  if (ec) fail(ec.message());
}

}  // namespace cyberdrill::viz
