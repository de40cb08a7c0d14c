// FileText: a large file is mapped, its pages can be given back without changing its bytes, and
// parse_value through a mapped text (pages read ahead and released as it goes) builds the same
// document and reports the same problems, at the same offsets, as through a plain string.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "file_text.hpp"
#include "json_document.hpp"
#include "temp_tree.hpp"

namespace fs = std::filesystem;
using namespace cyberdrill;
using cyberdrill::testing::TempTree;

namespace {

/// A JSON array of objects of about `bytes` bytes (over FileText::kMapFromBytes when asked).
std::string big_json(std::size_t bytes) {
  std::string s = "[";
  for (std::size_t i = 0; s.size() < bytes; ++i)
    s += (i == 0 ? "" : ",\n") + std::string("{\"id\": \"asset-") + std::to_string(i) + "\", \"x\": " +
         std::to_string(i % 997) + ".25, \"tags\": [\"a\", \"b\"]}";
  return s + "]";
}

io::FileText read_file(const fs::path& p) {
  io::FileText t;
  REQUIRE(t.read(p, fs::file_size(p)));
  return t;
}

}  // namespace

TEST_CASE("a small file is read and a large one mapped: both hold the file's bytes") {
  TempTree t;
  const std::string small = "{\"a\": [1, 2, 3]}";
  const std::string large = big_json(io::FileText::kMapFromBytes + 12345);
  std::ofstream(t.root() / "small.json", std::ios::binary) << small;
  std::ofstream(t.root() / "large.json", std::ios::binary) << large;
  const io::FileText s = read_file(t.root() / "small.json");
  io::FileText l = read_file(t.root() / "large.json");
  CHECK_FALSE(s.mapped());
  CHECK(s.view() == small);
  CHECK(l.mapped());
  REQUIRE(l.size() == large.size());
  CHECK(l.view() == large);
  // Giving pages back changes residency only: the bytes read again are the file's.
  l.release(0, l.size());
  CHECK(l.view() == large);
  l.prefetch(0, l.size());
  CHECK(l.view() == large);
  // Moved, the mapping goes with it.
  io::FileText moved = std::move(l);
  CHECK(moved.mapped());
  CHECK(moved.view() == large);
}

TEST_CASE("parse_value through a mapped text: the same document and problems as through a string") {
  TempTree t;
  const std::string good = big_json(io::FileText::kMapFromBytes * 2 + 777);
  // The same text with a syntax error near its end (past several 8 MiB steps) and a duplicate key.
  std::string bad = good;
  bad.insert(bad.size() - 1, ",");  // a trailing comma before the last "]"
  std::string dup = good;
  dup.insert(dup.size() - 2, ", \"x\": 1");  // before the last object's "}"
  const std::string* const texts[] = {&good, &bad, &dup};
  for (const std::string* text : texts) {
    const fs::path p = t.root() / "f.json";
    std::ofstream(p, std::ios::binary | std::ios::trunc) << *text;
    const io::FileText mapped = read_file(p);
    REQUIRE(mapped.mapped());
    io::ValueStore a, b;
    const io::ParsedValue via_pages = io::parse_value(mapped, a, io::kMaxDepth, io::kMaxValues, &mapped);
    const io::ParsedValue via_string = io::parse_value(*text, b);
    REQUIRE(via_pages.value.has_value() == via_string.value.has_value());
    CHECK(via_pages.problems.empty() == (text == &good));  // the syntax error and the duplicate key are found
    REQUIRE(via_pages.problems.size() == via_string.problems.size());
    for (std::size_t k = 0; k < via_pages.problems.size(); ++k) {
      CHECK(via_pages.problems[k].message == via_string.problems[k].message);
      CHECK(via_pages.problems[k].offset == via_string.problems[k].offset);
      CHECK(via_pages.problems[k].pointer == via_string.problems[k].pointer);
    }
    if (via_pages.value) {
      REQUIRE(via_pages.value->size() == via_string.value->size());
      const std::size_t last = via_pages.value->size() - 1;
      CHECK((*via_pages.value)[last].dump() == (*via_string.value)[last].dump());
      CHECK((*via_pages.value)[0].dump() == (*via_string.value)[0].dump());
    }
    // The text stays whole after the parse gave its pages back.
    CHECK(mapped.view() == *text);
  }
}
