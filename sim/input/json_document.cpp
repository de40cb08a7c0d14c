#include "json_document.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
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

namespace {

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

// ---------------------------------------------------------------------------------------------
// The compact DOM
// ---------------------------------------------------------------------------------------------

namespace cyberdrill::io {

Value Value::boolean(bool b) {
  Value v;
  v.type_ = Type::boolean;
  v.u_.b = b;
  return v;
}
Value Value::integer(std::int64_t i) {
  Value v;
  v.type_ = Type::integer;
  v.u_.i = i;
  return v;
}
Value Value::unsigned_integer(std::uint64_t u) {
  Value v;
  v.type_ = Type::unsigned_integer;
  v.u_.u = u;
  return v;
}
Value Value::floating(double d) {
  Value v;
  v.type_ = Type::floating;
  v.u_.d = d;
  return v;
}
Value Value::string(const char* chars, std::uint32_t size) {
  Value v;
  v.type_ = Type::string;
  v.u_.s = chars;
  v.size_ = size;
  return v;
}
Value Value::array(Value* elements, std::uint32_t size) {
  Value v;
  v.type_ = Type::array;
  v.u_.a = elements;
  v.size_ = size;
  return v;
}
Value Value::object(Member* members, std::uint32_t size) {
  Value v;
  v.type_ = Type::object;
  v.u_.m = members;
  v.size_ = size;
  return v;
}

const char* Value::type_name() const {
  switch (type_) {
    case Type::null: return "null";
    case Type::boolean: return "boolean";
    case Type::integer:
    case Type::unsigned_integer:
    case Type::floating: return "number";
    case Type::string: return "string";
    case Type::array: return "array";
    case Type::object: return "object";
  }
  return "null";
}

std::size_t Value::size() const {
  if (type_ == Type::null) return 0;
  if (type_ == Type::array || type_ == Type::object) return size_;
  return 1;
}

double Value::as_double() const {
  switch (type_) {
    case Type::integer: return static_cast<double>(u_.i);
    case Type::unsigned_integer: return static_cast<double>(u_.u);
    case Type::floating: return u_.d;
    default: return 0.0;
  }
}
std::int64_t Value::as_int64() const {
  switch (type_) {
    case Type::integer: return u_.i;
    case Type::unsigned_integer: return static_cast<std::int64_t>(u_.u);
    case Type::floating: return static_cast<std::int64_t>(u_.d);
    default: return 0;
  }
}
std::uint64_t Value::as_uint64() const {
  switch (type_) {
    case Type::integer: return static_cast<std::uint64_t>(u_.i);
    case Type::unsigned_integer: return u_.u;
    case Type::floating: return static_cast<std::uint64_t>(u_.d);
    default: return 0;
  }
}

Value* Value::find_mutable(std::string_view key) {
  if (type_ != Type::object) return nullptr;
  for (Member* m = u_.m; m != u_.m + size_; ++m)
    if (m->key.str() == key) return &m->value;
  return nullptr;
}

std::string Value::dump() const { return to_json(*this).dump(); }

void ValueStore::FreeBlock::operator()(std::byte* p) const noexcept { std::free(p); }

std::byte* ValueStore::new_block(std::size_t bytes) {
  constexpr std::size_t kHuge = std::size_t{2} << 20;
  void* p = nullptr;
  if (bytes >= 2 * kHuge) {
    bytes = (bytes + kHuge - 1) / kHuge * kHuge;
    p = std::aligned_alloc(kHuge, bytes);
#ifdef MADV_HUGEPAGE
    if (p != nullptr) ::madvise(p, bytes, MADV_HUGEPAGE);  // advice only: failure is harmless
#endif
  } else {
    p = std::malloc(bytes);
  }
  if (p == nullptr) throw std::bad_alloc();
  blocks_.push_back(std::unique_ptr<std::byte[], FreeBlock>(static_cast<std::byte*>(p)));
  return blocks_.back().get();
}

void* ValueStore::allocate(std::size_t bytes) {
  bytes = (bytes + 7) & ~std::size_t{7};
  if (bytes == 0) bytes = 8;
  bytes_ += bytes;
  // 1 MiB blocks for a scenario's few MB; once the store holds 16 MiB, 32 MiB blocks (huge pages).
  const std::size_t block = bytes_ < (std::size_t{16} << 20) ? std::size_t{1} << 20 : std::size_t{32} << 20;
  if (bytes > block / 4) return new_block(bytes);  // large: a block of its own, the current one stays open
  if (bytes > left_) {
    next_ = new_block(block);
    left_ = block;
    bump_base_ = next_;
    bump_size_ = block;
  }
  void* p = next_;
  next_ += bytes;
  left_ -= bytes;
  return p;
}

Value* ValueStore::values(std::size_t n) { return static_cast<Value*>(allocate(n * sizeof(Value))); }
Member* ValueStore::members(std::size_t n) { return static_cast<Member*>(allocate(n * sizeof(Member))); }

namespace {

/// Bytes [at, at + 8) of `s` as one word (the caller keeps at + 8 <= size).
std::uint64_t word_at(std::string_view s, std::size_t at) {
  std::uint64_t w = 0;
  std::memcpy(&w, s.data() + at, sizeof w);
  return w;
}

}  // namespace

void ValueStore::clear() {
  interned_.clear();
  bytes_ = 0;
  // Keep the block when it is the only one and the bump block (the common case); else start over.
  if (blocks_.size() == 1 && blocks_.front().get() == bump_base_) {
    next_ = bump_base_;
    left_ = bump_size_;
  } else {
    blocks_.clear();
    next_ = nullptr;
    left_ = 0;
    bump_base_ = nullptr;
    bump_size_ = 0;
  }
}

Value ValueStore::string(std::string_view s) {
  // Short strings repeat (keys, sector and type names): a direct-mapped cache shares them.
  constexpr std::size_t kSlots = 1 << 14;
  constexpr std::size_t kShort = 24;
  std::size_t slot = 0;
  if (!intern_) {
    char* p = static_cast<char*>(allocate(s.size()));
    if (!s.empty()) std::memcpy(p, s.data(), s.size());
    return Value::string(p, static_cast<std::uint32_t>(s.size()));
  }
  if (s.size() <= kShort) {
    if (interned_.empty()) interned_.resize(kSlots);
    // From 8 bytes on, three (possibly overlapping) words cover the whole string: they are the
    // hash, and equal words at equal size mean equal strings.
    const std::size_t n = s.size();
    std::uint64_t w0 = 0, w1 = 0, w2 = 0;
    if (n >= 8) {
      w0 = word_at(s, 0);
      w1 = word_at(s, (n - 8) / 2);
      w2 = word_at(s, n - 8);
    } else {
      for (std::size_t i = 0; i < n; ++i) w0 |= std::uint64_t{static_cast<unsigned char>(s[i])} << (8 * i);
    }
    std::uint64_t h = (w0 ^ (n * 0x9E3779B97F4A7C15ULL)) * 0xFF51AFD7ED558CCDULL;
    h = (h ^ w1 ^ (h >> 29)) * 0xC4CEB9FE1A85EC53ULL;
    h = (h ^ w2 ^ (h >> 32)) * 0x9E3779B97F4A7C15ULL;
    slot = static_cast<std::size_t>(h >> 50) & (kSlots - 1);
    const Interned& in = interned_[slot];
    if (in.chars != nullptr && in.size == n) {
      const std::string_view old(in.chars, in.size);
      const bool same = n >= 8 ? word_at(old, 0) == w0 && word_at(old, (n - 8) / 2) == w1 && word_at(old, n - 8) == w2
                               : old == s;
      if (same) return Value::string(in.chars, in.size);
    }
  }
  char* p = static_cast<char*>(allocate(s.size()));
  if (!s.empty()) std::memcpy(p, s.data(), s.size());
  if (s.size() <= kShort) interned_[slot] = Interned{p, static_cast<std::uint32_t>(s.size())};
  return Value::string(p, static_cast<std::uint32_t>(s.size()));
}

Value ValueStore::array(const Value* first, std::size_t n) {
  Value* p = values(n);
  if (n > 0) std::memcpy(static_cast<void*>(p), first, n * sizeof(Value));
  return Value::array(p, static_cast<std::uint32_t>(n));
}

Value ValueStore::object(const Member* first, std::size_t n) {
  Member* p = members(n);
  if (n > 0) std::memcpy(static_cast<void*>(p), first, n * sizeof(Member));
  return Value::object(p, static_cast<std::uint32_t>(n));
}

Json to_json(const Value& v) {
  switch (v.type()) {
    case Value::Type::null: return Json();
    case Value::Type::boolean: return Json(v.as_bool());
    case Value::Type::integer: return Json(v.as_int64());
    case Value::Type::unsigned_integer: return Json(v.as_uint64());
    case Value::Type::floating: return Json(v.as_double());
    case Value::Type::string: return Json(std::string(v.str()));
    case Value::Type::array: {
      Json out = Json::array();
      for (const Value& e : v) out.push_back(to_json(e));
      return out;
    }
    case Value::Type::object: {
      Json out = Json::object();
      for (const Member* m = v.members_begin(); m != v.members_end(); ++m) out[std::string(m->key.str())] = to_json(m->value);
      return out;
    }
  }
  return Json();
}

Value from_json(const Json& j, ValueStore& store) {
  switch (j.type()) {
    case Json::value_t::boolean: return Value::boolean(j.get<bool>());
    case Json::value_t::number_integer: return Value::integer(j.get<std::int64_t>());
    case Json::value_t::number_unsigned: return Value::unsigned_integer(j.get<std::uint64_t>());
    case Json::value_t::number_float: return Value::floating(j.get<double>());
    case Json::value_t::string: return store.string(j.get_ref<const std::string&>());
    case Json::value_t::array: {
      Value* p = store.values(j.size());
      std::size_t i = 0;
      for (const Json& e : j) p[i++] = from_json(e, store);
      return Value::array(p, static_cast<std::uint32_t>(j.size()));
    }
    case Json::value_t::object: {
      Member* p = store.members(j.size());
      std::size_t i = 0;
      for (const auto& [key, value] : j.items()) {
        p[i].key = store.string(key);
        p[i].value = from_json(value, store);
        ++i;
      }
      return Value::object(p, static_cast<std::uint32_t>(j.size()));
    }
    default: return Value();
  }
}

namespace {

/// SAX handler that builds the compact DOM straight from nlohmann's parser. Containers are kept
/// open on an explicit stack of frames; their children (for objects: key, value, key, value, ...)
/// collect in one reusable scratch vector and are copied into the store when the container
/// closes, so a container's elements are contiguous and nothing is recursed on.
///
/// It accepts only clean input: every callback returns false (which stops nlohmann's parser at
/// once) on a nesting or value-count limit, a duplicate key or a string over 4 GiB, and
/// parse_error() stops it on a syntax error. The caller then reruns parse_json_text for the exact
/// problems and their offsets. Values are counted as LimitChecker counts them (every scalar and
/// container, not keys), so both draw the limits at the same value.
class DomBuilder {
 public:
  DomBuilder(ValueStore& store, std::size_t max_depth, std::size_t max_values)
      : store_(store), max_depth_(max_depth), max_values_(max_values) {
    frames_.reserve(64);
    children_.reserve(1024);
  }

  bool null() { return scalar(Value()); }
  bool boolean(bool b) { return scalar(Value::boolean(b)); }
  bool number_integer(Json::number_integer_t i) { return scalar(Value::integer(i)); }
  bool number_unsigned(Json::number_unsigned_t u) { return scalar(Value::unsigned_integer(u)); }
  bool number_float(Json::number_float_t d, const Json::string_t&) { return scalar(Value::floating(d)); }
  bool string(Json::string_t& s) { return fits(s) && scalar(store_.string(s)); }
  bool binary(Json::binary_t&) { return false; }  // not produced by JSON text
  bool key(Json::string_t& k) {
    if (!fits(k)) return false;
    children_.push_back(store_.string(k));
    return true;
  }
  bool start_object(std::size_t) { return open(); }
  bool start_array(std::size_t) { return open(); }
  bool end_object() {
    const std::size_t start = frames_.back().start;
    frames_.pop_back();
    const std::size_t members = (children_.size() - start) / 2;
    Member* m = store_.members(members);
    for (std::size_t k = 0; k < members; ++k) {
      m[k].key = children_[start + 2 * k];
      m[k].value = children_[start + 2 * k + 1];
    }
    if (has_duplicate_key(m, members, keys_)) return false;
    children_.resize(start);
    children_.push_back(Value::object(m, static_cast<std::uint32_t>(members)));
    return true;
  }
  bool end_array() {
    const std::size_t start = frames_.back().start;
    frames_.pop_back();
    const Value v = store_.array(children_.data() + start, children_.size() - start);
    children_.resize(start);
    children_.push_back(v);
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) { return false; }

  /// The document, once sax_parse returned true.
  [[nodiscard]] std::optional<Value> result() const {
    if (!frames_.empty() || children_.size() != 1) return std::nullopt;
    return children_.front();
  }

 private:
  struct Frame {
    std::size_t start;  ///< index of the container's first child in children_
  };

  static bool fits(const Json::string_t& s) { return s.size() < 0xFFFFFFFFU; }
  bool count() { return ++values_ <= max_values_; }
  bool scalar(Value v) {
    if (!count()) return false;
    children_.push_back(v);
    return true;
  }
  bool open() {
    if (!count() || frames_.size() >= max_depth_) return false;
    frames_.push_back(Frame{children_.size()});
    return true;
  }
  ValueStore& store_;
  std::size_t max_depth_;
  std::size_t max_values_;
  std::size_t values_ = 0;
  std::vector<Frame> frames_;
  std::vector<Value> children_;
  std::vector<std::string_view> keys_;
};

/// Residency of a mapped text while the parser walks it: every kStep bytes, the next step is
/// read ahead and the steps behind are given back (nlohmann's lexer never reads behind itself).
class PagedText {
 public:
  static constexpr std::size_t kStep = std::size_t{8} << 20;
  explicit PagedText(const FileText& text) : text_(text), base_(text.data()), mark_(base_ + kStep) {
    text_.prefetch(0, 2 * kStep);
  }
  [[nodiscard]] const char* mark() const { return mark_; }
  void passed(const char* p) {
    const auto at = static_cast<std::size_t>(p - base_);
    text_.prefetch(at + kStep, at + 2 * kStep);
    if (at >= kStep) text_.release(0, at - kStep / 2);
    mark_ = p + kStep;
  }

 private:
  const FileText& text_;
  const char* base_;
  const char* mark_;
};

/// A byte iterator over a mapped text that tells PagedText when it passes the next mark (one
/// pointer comparison a byte on top of what nlohmann's input adapter does).
struct PagedIterator {
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;
  const char* p = nullptr;
  PagedText* paged = nullptr;
  reference operator*() const { return *p; }
  PagedIterator& operator++() {
    if (++p == paged->mark()) paged->passed(p);
    return *this;
  }
  PagedIterator operator++(int) {
    PagedIterator old = *this;
    ++*this;
    return old;
  }
  bool operator==(const PagedIterator& o) const { return p == o.p; }
  bool operator!=(const PagedIterator& o) const { return p != o.p; }
};

}  // namespace

ParsedValue parse_value(std::string_view text, ValueStore& store, std::size_t max_depth, std::size_t max_values,
                        const FileText* pages, LazyElements* lazy) {
  ParsedValue out;
  // Clean input first through the fast parser; anything else through nlohmann's, as before.
  {
    const bool paged_text = pages != nullptr && pages->mapped() && pages->data() == text.data();
    std::optional<PagedText> paged;
    FastParseHooks hooks;
    if (paged_text) {
      paged.emplace(*pages);
      hooks.context = &*paged;
      hooks.every = PagedText::kStep;
      hooks.passed = [](void* context, const char* at) { static_cast<PagedText*>(context)->passed(at); };
    }
    out.value = fast_parse_value(text, store, max_depth, max_values, paged_text ? &hooks : nullptr, lazy);
    if (out.value) return out;
    if (lazy != nullptr) {
      lazy->ranges.clear();
      lazy->ids.clear();
      if (lazy->sink != nullptr) lazy->sink->reset();
    }
  }
  DomBuilder builder(store, max_depth, max_values);
  bool ok = false;
  try {
    if (pages != nullptr && pages->mapped() && pages->data() == text.data()) {
      PagedText paged(*pages);
      ok = Json::sax_parse(PagedIterator{text.data(), &paged}, PagedIterator{text.data() + text.size(), &paged},
                           &builder, Json::input_format_t::json, /*strict=*/true, /*ignore_comments=*/false);
    } else {
      ok = Json::sax_parse(text.data(), text.data() + text.size(), &builder, Json::input_format_t::json,
                           /*strict=*/true, /*ignore_comments=*/false);
    }
  } catch (const std::exception&) {  // defensive: parse_json_text below reports it
    ok = false;
  }
  if (ok) {
    out.value = builder.result();
    if (out.value) return out;
  }
  // Anything but clean input: nlohmann's parser again, for the exact problems and offsets.
  ParsedJson slow = parse_json_text(text, max_depth, max_values);
  out.problems = std::move(slow.problems);
  if (slow.value) out.value = from_json(*slow.value, store);
  return out;
}

bool has_duplicate_key(const Member* m, std::size_t n, std::vector<std::string_view>& scratch) {
  if (n <= 64) {
    std::uint64_t seen = 0;
    for (std::size_t a = 0; a < n; ++a) {
      const std::string_view k = m[a].key.str();
      const std::uint64_t mixed =
          (k.size() * 0x100000001B3ULL + (k.empty() ? 0U : static_cast<unsigned char>(k.front()) * 257U +
                                                              static_cast<unsigned char>(k.back()))) *
          0x9E3779B97F4A7C15ULL;
      const std::uint64_t bit = std::uint64_t{1} << (mixed >> 58);
      if ((seen & bit) != 0)
        for (std::size_t b = 0; b < a; ++b)
          if (m[b].key.str() == k) return true;
      seen |= bit;
    }
    return false;
  }
  scratch.clear();
  for (std::size_t k = 0; k < n; ++k) scratch.push_back(m[k].key.str());
  std::sort(scratch.begin(), scratch.end());
  return std::adjacent_find(scratch.begin(), scratch.end()) != scratch.end();
}

}  // namespace cyberdrill::io
