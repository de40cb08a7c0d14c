// fast_parse_value (sim/input/json_fast_parser.cpp) against nlohmann's strict parser: whatever
// the fast parser accepts, nlohmann accepts with the same values and the same number kinds
// (unsigned / signed / double); whatever nlohmann refuses, the fast parser refuses (so
// parse_value falls back to nlohmann for the exact problem and offset). Hand-picked edge cases,
// then random mutations of a scenario-like text.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "json_document.hpp"

using namespace cyberdrill;
using io::Json;

namespace {

/// Same JSON values with the same kinds (nlohmann's == treats 1 and 1.0 as equal; this does not).
bool same(const Json& a, const Json& b) {
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case Json::value_t::array: {
      if (a.size() != b.size()) return false;
      for (std::size_t i = 0; i < a.size(); ++i)
        if (!same(a[i], b[i])) return false;
      return true;
    }
    case Json::value_t::object: {
      if (a.size() != b.size()) return false;
      for (auto it = a.begin(); it != a.end(); ++it)
        if (!b.contains(it.key()) || !same(it.value(), b.at(it.key()))) return false;
      return true;
    }
    case Json::value_t::number_float: {
      const double x = a.get<double>(), y = b.get<double>();
      return std::memcmp(&x, &y, sizeof x) == 0;  // bit for bit (-0.0 too)
    }
    default: return a == b;
  }
}

/// nlohmann's verdict: the value when the strict parser accepts the text without duplicate keys.
std::optional<Json> reference(const std::string& text) {
  const io::ParsedJson r = io::parse_json_text(text);
  if (!r.problems.empty() || !r.value) return std::nullopt;
  return r.value;
}

/// Checks the contract on one text; returns whether the fast parser accepted it.
bool agrees(const std::string& text) {
  io::ValueStore store;
  const std::optional<io::Value> fast = io::fast_parse_value(text, store, io::kMaxDepth, io::kMaxValues);
  const std::optional<Json> ref = reference(text);
  if (fast) {
    INFO("text: " << text);
    REQUIRE(ref.has_value());
    CHECK(same(io::to_json(*fast), *ref));
  }
  return fast.has_value();
}

}  // namespace

TEST_CASE("the fast parser reads clean JSON to nlohmann's values and number kinds") {
  const std::vector<std::string> clean = {
      R"({"a": 1, "b": -1, "c": 0, "d": -0, "e": 1.5, "f": -0.0, "g": 1e3, "h": 2E-2, "i": 1.25e+10})",
      R"([18446744073709551615, 18446744073709551616, -9223372036854775808, -9223372036854775809])",
      R"(["plain", "esc \" \\ \/ \b \f \n \r \t", "\u00e9\u20AC", "\ud83d\ude00", "\u0000x", "é€😀"])",
      R"({"nested": {"deep": [[[], {}], [{"k": null, "t": true, "f": false}]]}, "": ""})",
      " \t\r\n{ \"spaced\" : [ 1 , 2 ] } \n",
      R"("top-level string")",
      "42",
      "[0.1, 0.30000000000000004, 2.2250738585072014e-308, 1.7976931348623157e308, 4.9e-324]",
      "[\"\x7f\"]",
  };
  for (const std::string& t : clean) {
    INFO("text: " << t);
    CHECK(agrees(t));
  }
}

TEST_CASE("the fast parser refuses what nlohmann refuses, and what it is not sure of") {
  const std::vector<std::string> refused = {
      "",           "  ",           "{",           "[1,]",          "{\"a\":1,}",    "01",
      "1.",         ".5",           "-",           "1e",            "+1",            "[1 2]",
      "{\"a\" 1}",  "{1: 2}",       "tru",         "nulls",         "[\"a\nb\"]",    "\"\\x\"",
      "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"\\u12g4\"", "{\"a\": 1, \"a\": 2}", "1e999",
      "\xEF\xBB\xBF{}",  // a BOM: left to nlohmann (which accepts it)
      "[\"\xC0\x80\"]",  "[\"\xED\xA0\x80\"]", "[\"\xF4\x90\x80\x80\"]", "[\"\x80\"]", "[\"\xE2\x82\"]",
      "{} {}",      "[1]]",
  };
  for (const std::string& t : refused) {
    INFO("text: " << t);
    CHECK_FALSE(agrees(t));
  }
}

TEST_CASE("limits: the fast parser refuses a document past the depth or value limit") {
  io::ValueStore store;
  CHECK(io::fast_parse_value("[[[1]]]", store, 3, 100).has_value());
  CHECK_FALSE(io::fast_parse_value("[[[[1]]]]", store, 3, 100).has_value());
  CHECK(io::fast_parse_value("[1, 2, 3]", store, 10, 4).has_value());
  CHECK_FALSE(io::fast_parse_value("[1, 2, 3, 4]", store, 10, 4).has_value());
}

TEST_CASE("random mutations of a scenario-like text: accepted only with nlohmann's values") {
  const std::string base =
      R"({"schema_version": 1, "assets": [{"id": "dso-1", "sector": "energy", "criticality": 2,)"
      R"( "position": [0.25, 1e-3], "depends_on": [{"asset": "core-9", "buffer": "3h", "weight": -0.5}],)"
      R"( "name": "Caf\u00e9 \"A\"", "tags": ["IT", "OT"], "personal_data": false, "x": null}]})";
  const std::string alphabet = "{}[],:\"\\ 0123456789.-+eEtrufalsn\xC3\xA9\x80u";
  std::uint64_t state = 12345;
  auto next = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
  };
  int accepted = 0;
  for (int round = 0; round < 4000; ++round) {
    std::string t = base;
    const int edits = 1 + static_cast<int>(next() % 3);
    for (int e = 0; e < edits; ++e) {
      const std::size_t at = next() % t.size();
      const char c = alphabet[next() % alphabet.size()];
      switch (next() % 3) {
        case 0: t[at] = c; break;
        case 1: t.insert(t.begin() + static_cast<std::ptrdiff_t>(at), c); break;
        default: t.erase(at, 1); break;
      }
    }
    if (agrees(t)) ++accepted;
  }
  // Some mutations stay valid JSON (a digit for a digit, a letter inside a string): both parsers
  // must have been exercised on accepted texts, not only on refusals.
  CHECK(accepted > 100);
}
