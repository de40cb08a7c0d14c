// Parsing one JSON text with limits, and finding where a JSON pointer's value sits in that text.
//
// Neither DOM carries positions, so positions come from a second, tiny scanner over the (already
// validated) text: locate_pointers() resolves many JSON pointers in one pass, only when a
// diagnostic needs them. Private to sim/input.
//
// Two DOMs, one parser (nlohmann's): the loader reads into `Value`, a compact DOM (16 bytes a
// value, 32 a member, strings and arrays in one arena, `ValueStore`) that a generated 10^6-asset
// file fits in, filled by a SAX handler; nlohmann's `Json` stays for the exact diagnostics of bad
// input (parse_json_text) and for callers that want nlohmann (to_json).
//
// Contract
//  - parse_json_text() never throws and never recurses on the input: nlohmann's parser is
//    iterative, the limits are enforced by a SAX pre-pass before any DOM is built.
//  - Limits: nesting deeper than kMaxDepth or more than kMaxValues JSON values are refused with a
//    message; file size is checked by the caller before reading (kMaxFileBytes).
//  - Duplicate object keys are reported (the DOM keeps the last value, as nlohmann does).
//  - Columns are 1-based and count UTF-8 code points, lines are 1-based.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <type_traits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "file_text.hpp"

namespace cyberdrill::io {

using Json = nlohmann::json;

inline constexpr std::uintmax_t kMaxFileBytes = 64ULL * 1024 * 1024;
inline constexpr std::size_t kMaxDepth = 256;
inline constexpr std::size_t kMaxValues = 10'000'000;

struct TextPosition {
  int line = 0;    ///< 1-based; 0 = unknown
  int column = 0;  ///< 1-based; 0 = unknown
};

/// A problem found while parsing: at a byte offset (syntax, limits) or a pointer (duplicate key).
struct ParseProblem {
  std::size_t offset = 0;  ///< byte offset into the text (valid when pointer is empty or at_offset)
  bool at_offset = true;
  std::string pointer;     ///< JSON pointer (duplicate keys)
  std::string message;
};

struct ParsedJson {
  std::optional<Json> value;           ///< set when the text is valid JSON within the limits
  std::vector<ParseProblem> problems;  ///< syntax error / limit (fatal) and duplicate keys
};

/// Parses `text` as strict JSON (no comments, no trailing commas) under the limits.
[[nodiscard]] ParsedJson parse_json_text(std::string_view text, std::size_t max_depth = kMaxDepth,
                                         std::size_t max_values = kMaxValues);

/// Line/column lookup for one text.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);
  [[nodiscard]] TextPosition at(std::size_t offset) const;

 private:
  std::string_view text_;
  std::vector<std::size_t> line_starts_;
};

/// Byte offsets of the values named by `pointers` inside the valid JSON `text` (the last
/// occurrence when a key repeats). Pointers that name nothing are absent from the result.
[[nodiscard]] std::unordered_map<std::string, std::size_t> locate_pointers(
    std::string_view text, const std::vector<std::string>& pointers);

class ValueStore;
struct Member;

/// One JSON value of the compact DOM. A handle into a ValueStore (which owns arrays, members and
/// string bytes): valid as long as that store lives; copying a Value copies the handle, not the
/// subtree. Objects keep their members in document order, without duplicate keys.
/// Numbers follow nlohmann's typing: a literal without fraction or exponent is unsigned when >= 0,
/// signed when negative, and a double when it does not fit 64 bits.
class Value {
 public:
  enum class Type : std::uint8_t { null, boolean, integer, unsigned_integer, floating, string, array, object };

  Value() = default;
  [[nodiscard]] static Value boolean(bool b);
  [[nodiscard]] static Value integer(std::int64_t i);
  [[nodiscard]] static Value unsigned_integer(std::uint64_t u);
  [[nodiscard]] static Value floating(double d);
  /// `chars` must live as long as the Value (a ValueStore's bytes).
  [[nodiscard]] static Value string(const char* chars, std::uint32_t size);
  [[nodiscard]] static Value array(Value* elements, std::uint32_t size);
  [[nodiscard]] static Value object(Member* members, std::uint32_t size);

  [[nodiscard]] Type type() const { return type_; }
  [[nodiscard]] bool is_null() const { return type_ == Type::null; }
  [[nodiscard]] bool is_boolean() const { return type_ == Type::boolean; }
  [[nodiscard]] bool is_number() const {
    return type_ == Type::integer || type_ == Type::unsigned_integer || type_ == Type::floating;
  }
  [[nodiscard]] bool is_number_integer() const { return type_ == Type::integer || type_ == Type::unsigned_integer; }
  [[nodiscard]] bool is_number_unsigned() const { return type_ == Type::unsigned_integer; }
  [[nodiscard]] bool is_number_float() const { return type_ == Type::floating; }
  [[nodiscard]] bool is_string() const { return type_ == Type::string; }
  [[nodiscard]] bool is_array() const { return type_ == Type::array; }
  [[nodiscard]] bool is_object() const { return type_ == Type::object; }
  [[nodiscard]] bool is_structured() const { return is_array() || is_object(); }
  [[nodiscard]] bool is_primitive() const { return !is_structured(); }
  /// As nlohmann: "null", "boolean", "number", "string", "array", "object".
  [[nodiscard]] const char* type_name() const;
  /// As nlohmann: elements/members of a container, 0 for null, 1 for any other value.
  [[nodiscard]] std::size_t size() const;
  [[nodiscard]] bool empty() const { return size() == 0; }

  // Scalars (nlohmann's conversions: numbers convert between kinds with static_cast).
  [[nodiscard]] std::string_view str() const { return type_ == Type::string ? std::string_view(u_.s, size_) : std::string_view(); }
  [[nodiscard]] double as_double() const;
  [[nodiscard]] std::int64_t as_int64() const;
  [[nodiscard]] std::uint64_t as_uint64() const;
  [[nodiscard]] bool as_bool() const { return type_ == Type::boolean && u_.b; }
  template <typename T>
  [[nodiscard]] T get() const {
    if constexpr (std::is_same_v<T, std::string>) return std::string(str());
    else if constexpr (std::is_same_v<T, double>) return as_double();
    else if constexpr (std::is_same_v<T, std::int64_t>) return as_int64();
    else if constexpr (std::is_same_v<T, std::uint64_t>) return as_uint64();
    else if constexpr (std::is_same_v<T, bool>) return as_bool();
    else static_assert(sizeof(T) == 0, "unsupported Value::get type");
  }

  // Arrays.
  [[nodiscard]] const Value& operator[](std::size_t i) const { return u_.a[i]; }
  [[nodiscard]] const Value* begin() const { return type_ == Type::array ? u_.a : nullptr; }
  [[nodiscard]] const Value* end() const { return type_ == Type::array ? u_.a + size_ : nullptr; }
  [[nodiscard]] Value* mutable_elements() { return type_ == Type::array ? u_.a : nullptr; }

  // Objects.
  [[nodiscard]] const Member* members_begin() const { return type_ == Type::object ? u_.m : nullptr; }
  [[nodiscard]] const Member* members_end() const;  // inline below
  [[nodiscard]] Member* mutable_members() { return type_ == Type::object ? u_.m : nullptr; }
  /// The member's value, nullptr when absent or when this is not an object.
  [[nodiscard]] const Value* find(std::string_view key) const;  // inline below (a constant key compiles to a few compares)
  [[nodiscard]] Value* find_mutable(std::string_view key);
  [[nodiscard]] bool contains(std::string_view key) const { return find(key) != nullptr; }

  /// nlohmann's compact serialisation of this value (keys sorted), for messages.
  [[nodiscard]] std::string dump() const;

 private:
  union Payload {
    bool b;
    std::int64_t i;
    std::uint64_t u;
    double d;
    const char* s;
    Value* a;
    Member* m;
  };
  Payload u_{};
  std::uint32_t size_ = 0;
  Type type_ = Type::null;
};

struct Member {
  Value key;  ///< a string
  Value value;
};

inline const Member* Value::members_end() const { return type_ == Type::object ? u_.m + size_ : nullptr; }

inline const Value* Value::find(std::string_view key) const {
  if (type_ != Type::object) return nullptr;
  // Size and first byte before the bytes: most members differ there.
  for (const Member* m = u_.m; m != u_.m + size_; ++m) {
    const Value& k = m->key;
    if (k.size_ == key.size() && (key.empty() || (k.u_.s[0] == key[0] && std::memcmp(k.u_.s, key.data(), key.size()) == 0)))
      return &m->value;
  }
  return nullptr;
}

/// Owner of a compact DOM's arrays, members and string bytes: bump allocation in large blocks,
/// freed all at once. Not copyable; a Value never outlives its store.
class ValueStore {
 public:
  ValueStore() = default;
  ValueStore(const ValueStore&) = delete;
  ValueStore& operator=(const ValueStore&) = delete;
  [[nodiscard]] Value* values(std::size_t n);
  [[nodiscard]] Member* members(std::size_t n);
  /// A stable copy of `s` (short strings are shared when they repeat).
  [[nodiscard]] Value string(std::string_view s);
  [[nodiscard]] Value array(const Value* first, std::size_t n);
  [[nodiscard]] Value object(const Member* first, std::size_t n);
  /// Bytes held (for the benchmarks).
  [[nodiscard]] std::size_t bytes() const { return bytes_; }
  /// A scratch store: no string sharing, and clear() drops every value at once (keeping one
  /// block for reuse), so one element after another is built in the same warm memory.
  void set_scratch() { intern_ = false; }
  /// For a scratch store whose values never outlive the text being parsed into it (a mapped file
  /// stays readable when its pages are given back): the fast parser then keeps strings without
  /// escapes as views into that text instead of copying them.
  void set_borrowing() { borrow_ = true; }
  [[nodiscard]] bool borrows_text() const { return borrow_; }
  void clear();

 private:
  void* allocate(std::size_t bytes);
  /// A new block of `bytes`: from 4 MiB on 2 MiB-aligned and marked for transparent huge pages
  /// (one page fault per 2 MiB instead of per 4 KiB when a 10^6-asset document is built).
  [[nodiscard]] std::byte* new_block(std::size_t bytes);
  struct FreeBlock {
    void operator()(std::byte* p) const noexcept;
  };
  struct Interned {
    const char* chars = nullptr;
    std::uint32_t size = 0;
  };
  std::vector<std::unique_ptr<std::byte[], FreeBlock>> blocks_;
  std::byte* next_ = nullptr;
  std::size_t left_ = 0;
  std::size_t bytes_ = 0;
  std::vector<Interned> interned_;
  bool intern_ = true;
  bool borrow_ = false;
  std::byte* bump_base_ = nullptr;  ///< the block next_ points into
  std::size_t bump_size_ = 0;
};

struct LazyElements;

struct ParsedValue {
  std::optional<Value> value;          ///< set when the text is valid JSON within the limits
  std::vector<ParseProblem> problems;  ///< exactly parse_json_text's problems
};

/// Parses `text` into `store` with nlohmann's SAX parser, building the compact DOM directly (no
/// nlohmann DOM). Anything that is not clean input (syntax errors, limits, duplicate keys) stops
/// that pass and goes through parse_json_text, so the problems and their offsets are exactly
/// parse_json_text's. Never throws for bad input, never recurses on the input.
/// `pages`, when given, is the FileText that `text` views: a mapped one has its pages read ahead
/// and given back in 8 MiB steps as the parser moves through it, so the text of a large file
/// never is resident whole beside the DOM being built.
/// `lazy`, when given with a key, asks for that top-level array's elements as text (see
/// LazyElements); it is filled only when the fast path read the file (lazy->ranges stays empty
/// and the array is a DOM as usual otherwise, e.g. for bad input).
[[nodiscard]] ParsedValue parse_value(std::string_view text, ValueStore& store, std::size_t max_depth = kMaxDepth,
                                      std::size_t max_values = kMaxValues, const FileText* pages = nullptr,
                                      LazyElements* lazy = nullptr);

/// Progress callbacks of fast_parse_value: `passed(context, at)` is called each time the parser has
/// moved about `every` bytes further (at: its position); used to page a mapped text.
struct FastParseHooks {
  void (*passed)(void* context, const char* at) = nullptr;
  void* context = nullptr;
  std::size_t every = 0;
};

/// The elements of one top-level array member of the root object, kept as text instead of a DOM
/// (a 10^6-asset file's "assets": about 1 KB of DOM an asset, built one at a time instead).
/// In the DOM the array holds `ranges.size()` nulls; element i is the JSON text
/// text.substr(ranges[i].first, ranges[i].second), already checked (syntax, limits, duplicate
/// keys) by the parse that produced it. `ids[i]` is element i's string "id" ("" when it has none),
/// held by the store of that parse.
struct LazyElements {
  std::string key;
  std::vector<std::pair<std::size_t, std::size_t>> ranges;  ///< (offset, length) in the file's text
  std::vector<std::string_view> ids;
  /// Optional: told about each element while its DOM exists (see LazyElementSink).
  struct LazyElementSink* sink = nullptr;
};

/// Receives the elements of a LazyElements array as the fast parser completes them, so that a
/// reader can use each element's DOM once instead of parsing its text again later.
/// Contract: begin() once when the array opens, then element() for each element in order (index
/// 0, 1, ...), all during one parse. Whoever drops that parse's LazyElements result (bad input:
/// the exact parser runs instead; or a caller that reads the file again) calls reset(), after
/// which the sink must hold nothing of that parse.
struct LazyElementSink {
  virtual ~LazyElementSink() = default;
  /// The array opens. `root_before`: an object of the root's members completed before the
  /// array's key, in document order (values in the parse's store: they stay valid);
  /// `bytes_left`: the text's bytes from the array's '[' to the end (a bound for reserving).
  virtual void begin(const Value& root_before, std::size_t bytes_left) = 0;
  /// Element `index` was parsed: `element` (its values valid only during the call) and its string
  /// "id" as kept in LazyElements::ids (data() == nullptr when it has none).
  virtual void element(std::size_t index, const Value& element, std::string_view id) = 0;
  /// Forget everything received since begin().
  virtual void reset() = 0;
};

/// Whether two of the `n` members of one object share a key. Objects of up to 64 members use a
/// 64-bit filter on (size, first and last byte) of the keys seen so far: only a key that hits the
/// filter is compared with the earlier ones; larger objects sort their keys in `scratch`. Used by
/// both parsers (DomBuilder and the fast path), so they refuse exactly the same objects.
[[nodiscard]] bool has_duplicate_key(const Member* m, std::size_t n, std::vector<std::string_view>& scratch);

/// The fast path of parse_value (json_fast_parser.cpp): builds the compact DOM from clean input
/// without nlohmann's lexer; nullopt for anything it is not sure nlohmann would read to the same
/// values (syntax errors, limits, duplicate keys, a BOM, a number out of a double's range), in
/// which case the caller must use the exact path. Values may have been added to `store` then.
[[nodiscard]] std::optional<Value> fast_parse_value(std::string_view text, ValueStore& store, std::size_t max_depth,
                                                    std::size_t max_values, const FastParseHooks* hooks = nullptr,
                                                    LazyElements* lazy = nullptr);

/// Deep conversions between the DOMs (recursion bounded by the nesting limit).
[[nodiscard]] Json to_json(const Value& v);
[[nodiscard]] Value from_json(const Json& j, ValueStore& store);

/// Appends code point `cp` (at most 0x10FFFF, not a surrogate) to `out` as UTF-8; shared by both
/// parsers' escape decoding and the pointer scanner.
void append_utf8(std::string& out, std::uint32_t cp);

/// RFC 6901 escaping of one reference token ("~" -> "~0", "/" -> "~1").
[[nodiscard]] std::string escape_pointer_token(std::string_view token);

}  // namespace cyberdrill::io
