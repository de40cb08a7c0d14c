// Base64 (RFC 4648 section 4, the standard alphabet, '=' padding, no line breaks): the HTML
// report embeds its figures as data: URIs. No Debian-packaged C/C++ base64 library is among the
// project's dependencies; Boost's archive/iterators/base64_from_binary would bring Boost.Archive
// into the report room and does not pad, so the encoder is these few lines, checked against the
// RFC's test vectors (tests/report/escaping.test.cpp).
#pragma once

#include <string>
#include <string_view>

namespace cyberdrill {

/// Base64 of the bytes of `data` (any bytes, not only text).
[[nodiscard]] inline std::string base64_encode(std::string_view data) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    const unsigned v = static_cast<unsigned char>(data[i]) << 16 | static_cast<unsigned char>(data[i + 1]) << 8 |
                       static_cast<unsigned char>(data[i + 2]);
    out += kAlphabet[v >> 18 & 63];
    out += kAlphabet[v >> 12 & 63];
    out += kAlphabet[v >> 6 & 63];
    out += kAlphabet[v & 63];
  }
  const std::size_t rest = data.size() - i;
  if (rest > 0) {
    unsigned v = static_cast<unsigned char>(data[i]) << 16;
    if (rest == 2) v |= static_cast<unsigned char>(data[i + 1]) << 8;
    out += kAlphabet[v >> 18 & 63];
    out += kAlphabet[v >> 12 & 63];
    out += rest == 2 ? kAlphabet[v >> 6 & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace cyberdrill
