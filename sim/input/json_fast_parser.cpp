// A strict JSON parser that builds the compact DOM straight from the bytes (no token copies, no
// nlohmann lexer): the fast path of parse_value() for clean input. See json_document.hpp.
//
// It accepts a subset of what nlohmann's strict parser accepts, with the same values: anything it
// is not sure of (a syntax error, a limit, a duplicate key, a byte-order mark, a number that
// overflows or underflows a double) makes it return false, and parse_value() then runs nlohmann's
// parser for the exact problems and offsets, as before. So the diagnostics cannot change; only
// clean input gets faster.
//  - Numbers: nlohmann's typing (unsigned when >= 0 and it fits 64 bits, signed when negative and
//    it fits, else a double); doubles by std::from_chars (correctly rounded, as glibc's strtod).
//  - Strings: UTF-8 checked with the well-formedness table nlohmann's lexer uses; escapes decoded
//    as nlohmann does (a high surrogate must be followed by a low one, a lone low one is refused).
//  - Values are counted as LimitChecker counts them (every scalar and container, not keys), depth
//    as DomBuilder draws it.
#include <algorithm>
#include <bit>
#include <charconv>
#include <cstdint>
#include <cstring>

#include "json_document.hpp"

namespace cyberdrill::io {
namespace {

class FastParser {
 public:
  FastParser(std::string_view text, ValueStore& store, std::size_t max_depth, std::size_t max_values,
             const FastParseHooks* hooks, LazyElements* lazy)
      : base_(text.data()), p_(text.data()), end_(text.data() + text.size()), main_(&store), store_(&store),
        max_depth_(max_depth), max_values_(max_values), hooks_(hooks), lazy_(lazy) {
    if (lazy_ != nullptr) {
      lazy_->ranges.clear();
      lazy_->ids.clear();
      scratch_store_.set_scratch();
      scratch_store_.set_borrowing();  // an element's values are dropped before the parse ends
    }
    frames_.reserve(16);
    // One asset's text (a few hundred bytes) is parsed a million times: no 16 KiB buffer each time.
    children_.reserve(std::min<std::size_t>(1024, text.size() / 8 + 16));
    if (hooks_ != nullptr && hooks_->every > 0) next_mark_ = p_ + hooks_->every;
  }

  /// The document, or nullopt when the text is not clean input (see the file comment).
  std::optional<Value> run() {
    if (p_ == end_) return std::nullopt;
    if (static_cast<unsigned char>(*p_) == 0xEF) return std::nullopt;  // a BOM: nlohmann's business
    bool want_value = true;
    while (true) {
      skip_ws();
      if (want_value) {
        if (p_ == end_) return std::nullopt;
        if (p_ >= next_mark_) passed();
        if (lazy_depth_ != 0 && frames_.size() == lazy_depth_) begin_element();
        const char c = *p_;
        if (c == '{' || c == '[') {
          if (!count() || frames_.size() >= max_depth_) return std::nullopt;
          const bool object = c == '{';
          // The lazy array: the root object's member named lazy_->key.
          if (!object && lazy_ != nullptr && lazy_depth_ == 0 && !lazy_done_ && frames_.size() == 1 &&
              frames_.front().object && children_.back().str() == lazy_->key) {
            lazy_depth_ = 2;
            lazy_done_ = true;
            if (lazy_->sink != nullptr) begin_sink();
          }
          ++p_;
          frames_.push_back(Frame{children_.size(), object});
          skip_ws();
          if (p_ == end_) return std::nullopt;
          if (*p_ == (object ? '}' : ']')) {
            ++p_;
            if (!close()) return std::nullopt;
            value_done();
            want_value = false;
            continue;
          }
          if (object && !key()) return std::nullopt;
          continue;  // want_value stays true
        }
        if (!scalar()) return std::nullopt;
        value_done();
        want_value = false;
        continue;
      }
      // After a value.
      if (frames_.empty()) {
        if (p_ != end_ || children_.size() != 1) return std::nullopt;
        return children_.front();
      }
      if (p_ == end_) return std::nullopt;
      const char c = *p_++;
      Frame& f = frames_.back();
      if (c == ',') {
        if (f.object && !key()) return std::nullopt;
        want_value = true;
      } else if (c == (f.object ? '}' : ']')) {
        if (!close()) return std::nullopt;
        value_done();
      } else {
        return std::nullopt;
      }
    }
  }

 private:
  struct Frame {
    std::size_t start;  ///< index of the container's first child in children_
    bool object;
  };

  /// An element of the lazy array starts at p_: it is built in the scratch store.
  void begin_element() {
    element_start_ = p_;
    store_ = &scratch_store_;
  }
  /// A value was completed: when it is an element of the lazy array, keep its range and id and
  /// leave a null in its place; when it is the lazy array itself, stop.
  void value_done() {
    if (lazy_depth_ == 0) return;
    if (frames_.size() == 1) {  // the lazy array closed
      lazy_depth_ = 0;
      return;
    }
    if (frames_.size() != lazy_depth_ || store_ != &scratch_store_) return;
    const Value& el = children_.back();
    std::string_view id;
    if (el.is_object())
      if (const Value* v = el.find("id"); v != nullptr && v->is_string()) id = main_->string(v->str()).str();
    lazy_->ranges.emplace_back(static_cast<std::size_t>(element_start_ - base_), static_cast<std::size_t>(p_ - element_start_));
    lazy_->ids.push_back(id);
    if (lazy_->sink != nullptr) lazy_->sink->element(lazy_->ids.size() - 1, el, id);
    children_.back() = Value();
    scratch_store_.clear();
    store_ = main_;
  }

  /// Tells the sink that the lazy array opens, with the root's members completed before its key.
  void begin_sink() {
    const std::size_t first = frames_.front().start;
    const std::size_t members = (children_.size() - 1 - first) / 2;  // the last child is the key
    Member* m = main_->members(members);
    for (std::size_t k = 0; k < members; ++k) {
      m[k].key = children_[first + 2 * k];
      m[k].value = children_[first + 2 * k + 1];
    }
    lazy_->sink->begin(Value::object(m, static_cast<std::uint32_t>(members)), static_cast<std::size_t>(end_ - p_));
  }

  void skip_ws() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }
  bool count() { return ++values_ <= max_values_; }
  void passed() {
    hooks_->passed(hooks_->context, p_);
    next_mark_ = p_ + hooks_->every;
  }

  /// At a member: `"key" :` (whitespace around), the key pushed as a child.
  bool key() {
    skip_ws();
    if (p_ == end_ || *p_ != '"') return false;
    Value k;
    if (!string(k)) return false;
    children_.push_back(k);
    skip_ws();
    if (p_ == end_ || *p_ != ':') return false;
    ++p_;
    return true;
  }

  bool close() {
    const Frame f = frames_.back();
    frames_.pop_back();
    if (f.object) {
      const std::size_t members = (children_.size() - f.start) / 2;
      Member* m = store_->members(members);
      for (std::size_t k = 0; k < members; ++k) {
        m[k].key = children_[f.start + 2 * k];
        m[k].value = children_[f.start + 2 * k + 1];
      }
      if (has_duplicate_key(m, members, keys_)) return false;
      children_.resize(f.start);
      children_.push_back(Value::object(m, static_cast<std::uint32_t>(members)));
    } else {
      const Value v = store_->array(children_.data() + f.start, children_.size() - f.start);
      children_.resize(f.start);
      children_.push_back(v);
    }
    return true;
  }

  bool literal(const char* word, std::size_t n) {
    if (static_cast<std::size_t>(end_ - p_) < n || std::memcmp(p_, word, n) != 0) return false;
    p_ += n;
    return true;
  }

  bool scalar() {
    if (!count()) return false;
    const char c = *p_;
    Value v;
    if (c == '"') {
      if (!string(v)) return false;
    } else if (c == 't') {
      if (!literal("true", 4)) return false;
      v = Value::boolean(true);
    } else if (c == 'f') {
      if (!literal("false", 5)) return false;
      v = Value::boolean(false);
    } else if (c == 'n') {
      if (!literal("null", 4)) return false;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      if (!number(v)) return false;
    } else {
      return false;
    }
    children_.push_back(v);
    return true;
  }

  static bool digit(char c) { return c >= '0' && c <= '9'; }

  bool number(Value& out) {
    const char* first = p_;
    const bool negative = *p_ == '-';
    if (negative) ++p_;
    if (p_ == end_) return false;
    if (*p_ == '0') {
      ++p_;
    } else if (*p_ >= '1' && *p_ <= '9') {
      while (p_ != end_ && digit(*p_)) ++p_;
    } else {
      return false;
    }
    bool integer = true;
    if (p_ != end_ && *p_ == '.') {
      integer = false;
      ++p_;
      if (p_ == end_ || !digit(*p_)) return false;
      while (p_ != end_ && digit(*p_)) ++p_;
    }
    if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
      integer = false;
      ++p_;
      if (p_ != end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (p_ == end_ || !digit(*p_)) return false;
      while (p_ != end_ && digit(*p_)) ++p_;
    }
    if (integer) {
      if (negative) {
        std::int64_t i = 0;
        const auto r = std::from_chars(first, p_, i);
        if (r.ec == std::errc() && r.ptr == p_) {
          out = Value::integer(i);
          return true;
        }
      } else {
        std::uint64_t u = 0;
        const auto r = std::from_chars(first, p_, u);
        if (r.ec == std::errc() && r.ptr == p_) {
          out = Value::unsigned_integer(u);
          return true;
        }
      }
      // Too large for 64 bits: a double, as nlohmann does.
    }
    double d = 0;
    const auto r = std::from_chars(first, p_, d);
    if (r.ec != std::errc() || r.ptr != p_) return false;  // overflow/underflow: nlohmann decides
    out = Value::floating(d);
    return true;
  }

  /// Bytes of a well-formed UTF-8 sequence starting at p (lead byte >= 0x80), 0 when ill-formed.
  std::size_t utf8_length(const char* p) const {
    auto at = [&](std::size_t k) -> unsigned { return p + k < end_ ? static_cast<unsigned char>(p[k]) : 0x100U; };
    auto in = [](unsigned b, unsigned lo, unsigned hi) { return b >= lo && b <= hi; };
    const unsigned b0 = at(0);
    if (in(b0, 0xC2, 0xDF)) return in(at(1), 0x80, 0xBF) ? 2 : 0;
    if (b0 == 0xE0) return in(at(1), 0xA0, 0xBF) && in(at(2), 0x80, 0xBF) ? 3 : 0;
    if (in(b0, 0xE1, 0xEC) || in(b0, 0xEE, 0xEF)) return in(at(1), 0x80, 0xBF) && in(at(2), 0x80, 0xBF) ? 3 : 0;
    if (b0 == 0xED) return in(at(1), 0x80, 0x9F) && in(at(2), 0x80, 0xBF) ? 3 : 0;
    if (b0 == 0xF0) return in(at(1), 0x90, 0xBF) && in(at(2), 0x80, 0xBF) && in(at(3), 0x80, 0xBF) ? 4 : 0;
    if (in(b0, 0xF1, 0xF3)) return in(at(1), 0x80, 0xBF) && in(at(2), 0x80, 0xBF) && in(at(3), 0x80, 0xBF) ? 4 : 0;
    if (b0 == 0xF4) return in(at(1), 0x80, 0x8F) && in(at(2), 0x80, 0xBF) && in(at(3), 0x80, 0xBF) ? 4 : 0;
    return 0;
  }

  bool hex4(std::uint32_t& v) {
    if (end_ - p_ < 4) return false;
    v = 0;
    for (int k = 0; k < 4; ++k, ++p_) {
      const char c = *p_;
      v <<= 4;
      if (c >= '0' && c <= '9') v |= static_cast<std::uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f') v |= static_cast<std::uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= static_cast<std::uint32_t>(c - 'A' + 10);
      else return false;
    }
    return true;
  }

  /// At '"': the string, copied into the store (shared when short and repeated).
  bool string(Value& out) {
    ++p_;
    const char* first = p_;
    // Plain ASCII without escapes: the common case, no copy but the store's. Eight bytes at a
    // time while they are all plain (no '"', '\\', control byte or byte >= 0x80), then bytewise.
    while (std::endian::native == std::endian::little && end_ - p_ >= 8) {
      std::uint64_t w = 0;
      std::memcpy(&w, p_, 8);
      constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
      constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
      const std::uint64_t quote = w ^ (kOnes * '"');
      const std::uint64_t backslash = w ^ (kOnes * '\\');
      // Per byte: zero (a '"' or '\\'), below 0x20, or >= 0x80 sets that byte's high bit; bytes
      // above the first such byte may be flagged falsely (borrows), the first one never is.
      const std::uint64_t special = (((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash) |
                                     ((w - kOnes * 0x20) & ~w) | w) & kHigh;
      if (special != 0) {
        p_ += std::countr_zero(special) / 8;
        break;
      }
      p_ += 8;
    }
    while (p_ != end_) {
      const auto b = static_cast<unsigned char>(*p_);
      if (b == '"' || b == '\\' || b < 0x20 || b >= 0x80) break;
      ++p_;
    }
    if (p_ == end_) return false;
    if (*p_ == '"') {
      const std::string_view s(first, static_cast<std::size_t>(p_ - first));
      ++p_;
      if (s.size() >= 0xFFFFFFFFU) return false;
      out = store_->borrows_text() ? Value::string(first, static_cast<std::uint32_t>(s.size())) : store_->string(s);
      return true;
    }
    scratch_.assign(first, p_);
    while (true) {
      if (p_ == end_) return false;
      const auto b = static_cast<unsigned char>(*p_);
      if (b == '"') {
        ++p_;
        break;
      }
      if (b < 0x20) return false;
      if (b >= 0x80) {
        const std::size_t n = utf8_length(p_);
        if (n == 0) return false;
        scratch_.append(p_, n);
        p_ += n;
        continue;
      }
      if (b != '\\') {
        scratch_ += static_cast<char>(b);
        ++p_;
        continue;
      }
      ++p_;
      if (p_ == end_) return false;
      const char e = *p_++;
      switch (e) {
        case '"': scratch_ += '"'; break;
        case '\\': scratch_ += '\\'; break;
        case '/': scratch_ += '/'; break;
        case 'b': scratch_ += '\b'; break;
        case 'f': scratch_ += '\f'; break;
        case 'n': scratch_ += '\n'; break;
        case 'r': scratch_ += '\r'; break;
        case 't': scratch_ += '\t'; break;
        case 'u': {
          std::uint32_t cp = 0;
          if (!hex4(cp)) return false;
          if (cp >= 0xDC00 && cp <= 0xDFFF) return false;  // a lone low surrogate
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return false;
            p_ += 2;
            std::uint32_t lo = 0;
            if (!hex4(lo) || lo < 0xDC00 || lo > 0xDFFF) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          }
          append_utf8(scratch_, cp);
          break;
        }
        default: return false;
      }
    }
    if (scratch_.size() >= 0xFFFFFFFFU) return false;
    out = store_->string(scratch_);
    return true;
  }

  const char* base_;
  const char* p_;
  const char* end_;
  ValueStore* main_;
  ValueStore* store_;  ///< main_, or scratch_store_ inside an element of the lazy array
  std::size_t max_depth_;
  std::size_t max_values_;
  const FastParseHooks* hooks_;
  LazyElements* lazy_;
  std::size_t lazy_depth_ = 0;  ///< frames_.size() inside the lazy array, 0 outside it
  bool lazy_done_ = false;
  const char* element_start_ = nullptr;
  ValueStore scratch_store_;
  const char* next_mark_ = reinterpret_cast<const char*>(~std::uintptr_t{0});
  std::size_t values_ = 0;
  std::vector<Frame> frames_;
  std::vector<Value> children_;
  std::vector<std::string_view> keys_;
  std::string scratch_;
};

}  // namespace

std::optional<Value> fast_parse_value(std::string_view text, ValueStore& store, std::size_t max_depth,
                                      std::size_t max_values, const FastParseHooks* hooks, LazyElements* lazy) {
  FastParser parser(text, store, max_depth, max_values, hooks, lazy);
  return parser.run();
}

}  // namespace cyberdrill::io
