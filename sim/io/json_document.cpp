#include "json_document.hpp"

#include <algorithm>
#include <set>

namespace cyberdrill::io {
namespace {

/// SAX pre-pass: checks syntax, nesting depth, value count and duplicate keys without building a
/// DOM, so a hostile file never allocates more than its own size.
class LimitChecker {
 public:
  LimitChecker(std::size_t max_depth, std::size_t max_values) : max_depth_(max_depth), max_values_(max_values) {}

  bool null() { return value(); }
  bool boolean(bool) { return value(); }
  bool number_integer(Json::number_integer_t) { return value(); }
  bool number_unsigned(Json::number_unsigned_t) { return value(); }
  bool number_float(Json::number_float_t, const std::string&) { return value(); }
  bool string(std::string&) { return value(); }
  bool binary(Json::binary_t&) { return value(); }
  bool start_object(std::size_t) { return open(true); }
  bool end_object() { return close(); }
  bool start_array(std::size_t) { return open(false); }
  bool end_array() { return close(); }
  bool key(std::string& k) {
    Frame& f = frames_.back();
    f.token = escape_pointer_token(k);
    if (!f.keys.insert(k).second) duplicates_.push_back(path() + ": duplicate key \"" + k + "\"");
    return true;
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) {
    error_offset_ = position == 0 ? 0 : position - 1;
    std::string what = ex.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error while parsing
    // value - invalid literal; last read: '1,]'" -> keep what follows "parse error ...: ".
    const std::size_t colon = what.find(": ");
    if (what.rfind("[json.exception.parse_error", 0) == 0 && colon != std::string::npos) what = what.substr(colon + 2);
    else if (const std::size_t close = what.find("] "); what.rfind("[json.exception", 0) == 0 && close != std::string::npos)
      what = what.substr(close + 2);
    error_ = "JSON " + what;
    return false;
  }

  std::string error_;
  std::size_t error_offset_ = 0;
  bool limit_hit_ = false;
  std::vector<std::string> duplicates_;  ///< "pointer: message"

 private:
  struct Frame {
    bool object = false;
    std::size_t index = 0;
    std::string token;
    std::set<std::string> keys;
  };

  std::string path() const {
    std::string p;
    for (const Frame& f : frames_) p += "/" + (f.object ? f.token : std::to_string(f.index));
    return p;
  }
  bool count() {
    if (++values_ > max_values_) {
      limit_hit_ = true;
      error_ = "more than " + std::to_string(max_values_) + " JSON values: a scenario file may hold at most " +
               std::to_string(max_values_);
      return false;
    }
    return true;
  }
  void advance() {
    if (!frames_.empty() && !frames_.back().object) ++frames_.back().index;
  }
  bool value() {
    if (!count()) return false;
    advance();
    return true;
  }
  bool open(bool object) {
    if (!count()) return false;
    if (frames_.size() >= max_depth_) {
      limit_hit_ = true;
      error_ = "JSON nested deeper than " + std::to_string(max_depth_) + " levels: refused";
      return false;
    }
    frames_.push_back(Frame{object, 0, {}, {}});
    return true;
  }
  bool close() {
    frames_.pop_back();
    advance();
    return true;
  }

  std::size_t max_depth_;
  std::size_t max_values_;
  std::size_t values_ = 0;
  std::vector<Frame> frames_;
};

/// Counts bytes consumed, so a limit violation can be given a position.
struct CountingIterator {
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;
  const char* p = nullptr;
  std::size_t* consumed = nullptr;
  reference operator*() const { return *p; }
  CountingIterator& operator++() {
    ++p;
    ++*consumed;
    return *this;
  }
  CountingIterator operator++(int) {
    CountingIterator old = *this;
    ++*this;
    return old;
  }
  bool operator==(const CountingIterator& o) const { return p == o.p; }
  bool operator!=(const CountingIterator& o) const { return p != o.p; }
};

}  // namespace

std::string escape_pointer_token(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (char c : token) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

ParsedJson parse_json_text(std::string_view text, std::size_t max_depth, std::size_t max_values) {
  ParsedJson out;
  LimitChecker checker(max_depth, max_values);
  std::size_t consumed = 0;
  bool ok = false;
  try {
    CountingIterator first{text.data(), &consumed};
    CountingIterator last{text.data() + text.size(), &consumed};
    ok = Json::sax_parse(first, last, &checker, nlohmann::json::input_format_t::json, true, false);
  } catch (const std::exception& e) {  // defensive: the SAX parser reports through parse_error()
    checker.error_ = std::string("JSON ") + e.what();
  }
  if (!ok) {
    ParseProblem p;
    p.offset = checker.limit_hit_ ? (consumed == 0 ? 0 : consumed - 1) : checker.error_offset_;
    p.message = checker.error_.empty() ? "JSON could not be parsed" : checker.error_;
    out.problems.push_back(std::move(p));
    return out;
  }
  for (const std::string& d : checker.duplicates_) {
    const std::size_t colon = d.find(": duplicate key");
    ParseProblem p;
    p.at_offset = false;
    p.pointer = d.substr(0, colon);
    p.message = d.substr(colon + 2) + " in one object: the last value would silently win";
    out.problems.push_back(std::move(p));
  }
  try {
    out.value = Json::parse(text.begin(), text.end(), nullptr, true, false);
  } catch (const std::exception& e) {  // cannot happen after a successful pre-pass; never crash
    out.problems.push_back(ParseProblem{0, true, {}, std::string("JSON ") + e.what()});
    out.value.reset();
  }
  return out;
}

LineIndex::LineIndex(std::string_view text) : text_(text) {
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') line_starts_.push_back(i + 1);
}

TextPosition LineIndex::at(std::size_t offset) const {
  offset = std::min(offset, text_.size());
  const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const std::size_t line = static_cast<std::size_t>(it - line_starts_.begin());  // >= 1
  const std::size_t start = line_starts_[line - 1];
  int column = 1;
  for (std::size_t i = start; i < offset; ++i)
    if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;  // skip UTF-8 continuation bytes
  return TextPosition{static_cast<int>(line), column};
}

namespace {

/// Appends code point `cp` as UTF-8.
void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

/// Scanner over text that is known to be valid JSON; every access is still bounds-checked.
class Scanner {
 public:
  explicit Scanner(std::string_view t) : t_(t) {}
  std::size_t pos = 0;
  [[nodiscard]] bool done() const { return pos >= t_.size(); }
  [[nodiscard]] char peek() const { return done() ? '\0' : t_[pos]; }
  void skip_ws() {
    while (!done() && (t_[pos] == ' ' || t_[pos] == '\t' || t_[pos] == '\n' || t_[pos] == '\r')) ++pos;
  }
  std::uint32_t hex4() {
    std::uint32_t v = 0;
    for (int k = 0; k < 4 && !done(); ++k, ++pos) {
      const char c = t_[pos];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= static_cast<std::uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f') v |= static_cast<std::uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= static_cast<std::uint32_t>(c - 'A' + 10);
    }
    return v;
  }
  /// At '"': reads the string, returns it decoded.
  std::string string() {
    std::string out;
    ++pos;
    while (!done() && t_[pos] != '"') {
      if (t_[pos] != '\\') {
        out += t_[pos++];
        continue;
      }
      ++pos;
      if (done()) break;
      const char e = t_[pos++];
      switch (e) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'u': {
          std::uint32_t cp = hex4();
          if (cp >= 0xD800 && cp < 0xDC00 && pos + 1 < t_.size() && t_[pos] == '\\' && t_[pos + 1] == 'u') {
            pos += 2;
            const std::uint32_t lo = hex4();
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          }
          append_utf8(out, cp);
          break;
        }
        default: out += e; break;  // \" \\ \/
      }
    }
    if (!done()) ++pos;  // closing quote
    return out;
  }
  void skip_scalar() {
    if (peek() == '"') {
      ++pos;
      while (!done() && t_[pos] != '"') pos += t_[pos] == '\\' ? 2 : 1;
      if (!done()) ++pos;
      return;
    }
    while (!done()) {
      const char c = t_[pos];
      if (c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r') break;
      ++pos;
    }
  }

 private:
  std::string_view t_;
};

}  // namespace

std::unordered_map<std::string, std::size_t> locate_pointers(std::string_view text,
                                                              const std::vector<std::string>& pointers) {
  std::unordered_map<std::string, std::size_t> found;
  if (pointers.empty()) return found;
  std::unordered_map<std::string, bool> wanted;
  for (const std::string& p : pointers) wanted.emplace(p, true);
  auto record = [&](const std::string& path, std::size_t offset) {
    if (wanted.count(path) != 0) found[path] = offset;
  };

  struct Frame {
    bool object;
    std::size_t base;  ///< path length of the container itself
    std::size_t index;
  };
  std::vector<Frame> frames;
  std::string path;
  Scanner s(text);
  // Reads `"key" :` and points `path` at the member.
  auto member = [&](Frame& f) {
    s.skip_ws();
    const std::string key = s.peek() == '"' ? s.string() : std::string();
    s.skip_ws();
    if (s.peek() == ':') ++s.pos;
    path.resize(f.base);
    path += "/" + escape_pointer_token(key);
  };
  bool expect_value = true;
  std::size_t guard = text.size() * 4 + 16;  // every iteration consumes input or closes a frame
  while (guard-- > 0) {
    s.skip_ws();
    if (s.done()) break;
    if (expect_value) {
      record(path, s.pos);
      const char c = s.peek();
      if (c == '{' || c == '[') {
        const bool object = c == '{';
        ++s.pos;
        frames.push_back(Frame{object, path.size(), 0});
        s.skip_ws();
        if (s.peek() == (object ? '}' : ']')) {
          ++s.pos;
          frames.pop_back();
          expect_value = false;
          continue;
        }
        if (object) member(frames.back());
        else path += "/0";
        continue;
      }
      s.skip_scalar();
      expect_value = false;
      continue;
    }
    // After a value: ',' or a closing bracket.
    if (frames.empty()) break;
    const char c = s.peek();
    Frame& f = frames.back();
    if (c == ',') {
      ++s.pos;
      if (f.object) {
        member(f);
      } else {
        ++f.index;
        path.resize(f.base);
        path += "/" + std::to_string(f.index);
      }
      expect_value = true;
    } else if (c == '}' || c == ']') {
      ++s.pos;
      path.resize(f.base);
      frames.pop_back();
    } else {
      break;  // not valid JSON: stop rather than guess
    }
  }
  return found;
}

}  // namespace cyberdrill::io
