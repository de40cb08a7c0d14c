#pragma once
/// Text from files (scenario ids, names, messages, CSV cells) made safe to print on a terminal:
/// every control character that could move the cursor, recolour, retitle the window or hide text
/// is removed before it is written to stdout/stderr.
///
/// Removed: C0 controls (0x00-0x1F) except tab, and newline when `keep_newlines`; DEL (0x7F);
/// escape sequences whole (ESC [ ... final byte, ESC ] ... BEL or ESC \, ESC P/X/^/_ ... ESC \,
/// and two-byte ESC x); C1 controls (U+0080-U+009F, in UTF-8 C2 80..C2 9F, including CSI U+009B);
/// and stray bytes 0x80-0x9F that are not part of a valid UTF-8 sequence. Everything else (all
/// printable UTF-8) is kept byte for byte.
#include <string>
#include <string_view>

namespace cyberdrill {

[[nodiscard]] inline std::string terminal_safe(std::string_view s, bool keep_newlines = false) {
  std::string out;
  out.reserve(s.size());
  const std::size_t n = s.size();
  auto skip_string_to_st = [&](std::size_t i) {  // i: first byte of the body; returns index after ST/BEL
    while (i < n) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c == 0x07) return i + 1;
      if (c == 0x1B && i + 1 < n && s[i + 1] == '\\') return i + 2;
      if (c == 0xC2 && i + 1 < n && static_cast<unsigned char>(s[i + 1]) == 0x9C) return i + 2;  // C1 ST
      ++i;
    }
    return n;
  };
  auto skip_csi = [&](std::size_t i) {  // parameters and intermediates, then one final byte
    while (i < n) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c >= 0x40 && c <= 0x7E) return i + 1;
      if (c < 0x20 || c > 0x3F) return i;  // malformed: stop here, the rest is judged on its own
      ++i;
    }
    return n;
  };
  std::size_t i = 0;
  while (i < n) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == 0x1B) {
      if (i + 1 >= n) break;
      const char k = s[i + 1];
      if (k == '[') i = skip_csi(i + 2);
      else if (k == ']' || k == 'P' || k == 'X' || k == '^' || k == '_') i = skip_string_to_st(i + 2);
      else i += 2;
      continue;
    }
    if (c == '\t' || (c == '\n' && keep_newlines)) {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    if (c < 0x20 || c == 0x7F) {
      ++i;
      continue;
    }
    if (c == 0xC2 && i + 1 < n) {
      const auto d = static_cast<unsigned char>(s[i + 1]);
      if (d >= 0x80 && d <= 0x9F) {
        if (d == 0x9B) i = skip_csi(i + 2);
        else if (d == 0x9D || d == 0x90 || d == 0x98 || d == 0x9E || d == 0x9F) i = skip_string_to_st(i + 2);
        else i += 2;
        continue;
      }
    }
    if (c >= 0x80) {
      // A UTF-8 sequence is copied whole; a stray C1-range byte outside one is dropped.
      const std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
      bool valid = len > 0 && i + len <= n;
      for (std::size_t k = 1; valid && k < len; ++k) valid = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
      if (valid) {
        out.append(s.substr(i, len));
        i += len;
      } else {
        if (c > 0x9F) out += static_cast<char>(c);
        ++i;
      }
      continue;
    }
    out += static_cast<char>(c);
    ++i;
  }
  return out;
}

}  // namespace cyberdrill
