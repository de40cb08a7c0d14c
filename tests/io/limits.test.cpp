// Limits and hostile input: size, depth, value count, syntax errors with positions, odd files.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "cyberdrill/scenario_io.hpp"
#include "json_document.hpp"
#include "temp_tree.hpp"

namespace fs = std::filesystem;
using namespace cyberdrill;
using cyberdrill::testing::TempTree;

namespace {
std::string only_message(const LoadResult& r) {
  REQUIRE(r.diagnostics.size() == 1);
  return to_string(r.diagnostics[0]);
}
}  // namespace

TEST_CASE("files over 64 MiB are refused before they are read") {
  TempTree t;
  const fs::path p = t.root() / "huge.json";
  std::ofstream(p) << "{";
  fs::resize_file(p, io::kMaxFileBytes + 1);  // sparse: no disk used
  const LoadResult r = load_scenario(p);
  CHECK(only_message(r) == p.string() + ": file \"" + p.string() + "\" is 67108865 bytes; scenario files may be at most 64 MiB");
}

TEST_CASE("nesting deeper than 256 is refused with a position, 256 is accepted") {
  auto nested = [](std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); };
  CHECK(io::parse_json_text(nested(256)).value.has_value());
  const io::ParsedJson deep = io::parse_json_text(nested(257));
  CHECK_FALSE(deep.value.has_value());
  REQUIRE(deep.problems.size() == 1);
  CHECK(deep.problems[0].message == "JSON nested deeper than 256 levels: refused");
  CHECK(deep.problems[0].offset == 256);
  // Through the loader, generated: a million brackets neither recurse nor allocate a DOM.
  TempTree t;
  const fs::path p = t.write("too-deep-nesting.json", "{\"schema_version\": 1, \"description\": " + nested(1'000'000) + "}");
  CHECK(only_message(load_scenario(p)) == p.string() + ":1:293: JSON nested deeper than 256 levels: refused");
}

TEST_CASE("more than 10^7 JSON values are refused") {
  CHECK(io::parse_json_text("[1,2,3]", 256, 4).value.has_value());
  const io::ParsedJson r = io::parse_json_text("[1,2,3,4]", 256, 4);
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].message == "more than 4 JSON values: a scenario file may hold at most 4");
  // The real limit, with a generated 20 MB file.
  TempTree t;
  std::string text = "{\"schema_version\": 1, \"policy\": [";
  text.reserve(text.size() + 2 * io::kMaxValues + 8);
  for (std::size_t i = 0; i < io::kMaxValues; ++i) text += "0,";
  text += "0]}";
  const fs::path p = t.write("too-many-values.json", text);
  const std::string m = only_message(load_scenario(p));
  CHECK(m.find(": more than 10000000 JSON values: a scenario file may hold at most 10000000") != std::string::npos);
}

TEST_CASE("syntax errors carry the line and column of the offending byte") {
  TempTree t;
  const fs::path p = t.write("s.json", "{\n  \"a\": tru\n}\n");
  CHECK(only_message(load_scenario(p)) ==
        p.string() + ":2:11: JSON syntax error while parsing value - invalid literal; last read: '\"a\": tru<U+000A>'");
  const fs::path empty = t.write("empty.json", "");
  CHECK(only_message(load_scenario(empty)).find("syntax error while parsing value - unexpected end of input") != std::string::npos);
  const fs::path bad_utf8 = t.write("utf8.json", "{\"schema_version\": 1, \"description\": \"\xff\"}");
  CHECK(only_message(load_scenario(bad_utf8)).find(":1:39: JSON syntax error") != std::string::npos);
  // Comments are not JSON.
  const fs::path comment = t.write("c.json", "{\"schema_version\": 1 // one\n}");
  CHECK(only_message(load_scenario(comment)).find(":1:22: JSON syntax error") != std::string::npos);
}

TEST_CASE("columns count UTF-8 characters, not bytes") {
  io::LineIndex idx("{\"é\": 1,\n \"ü\": x}");
  CHECK(idx.at(0).line == 1);
  CHECK(idx.at(7).column == 7);  // '1' after a two-byte character
  CHECK(idx.at(17).line == 2);
  CHECK(idx.at(17).column == 7);  // 'x' after a two-byte character on line 2
}

TEST_CASE("pointers are located in the text, escaped keys and repeated keys included") {
  const std::string text = R"({"a/b": {"x~y": [10, {"k": 2}]}, "s": "q\"}", "d": 1, "d": 2})";
  const auto found = io::locate_pointers(text, {"/a~1b/x~0y/1/k", "/a~1b/x~0y/0", "/d", "/s", "", "/none"});
  CHECK(found.at("/a~1b/x~0y/1/k") == text.find("2}"));
  CHECK(found.at("/a~1b/x~0y/0") == text.find("10"));
  CHECK(found.at("/d") == text.rfind("2"));  // the last occurrence: what the DOM keeps
  CHECK(found.at("/s") == text.find("\"q"));
  CHECK(found.at("") == 0);
  CHECK(found.count("/none") == 0);
}

TEST_CASE("a missing file, a folder and a top-level non-object are plain errors") {
  TempTree t;
  CHECK(only_message(load_scenario(t.root() / "nope.json")) == (t.root() / "nope.json").string() + ": cannot open: no such file");
  CHECK(only_message(load_scenario(t.root())).find("not a regular file") != std::string::npos);
  CHECK(only_message(load_scenario(t.write("n.json", "42"))).find(":1:1: a scenario file holds one JSON object, got number") !=
        std::string::npos);
}

TEST_CASE("the limits are load options: a lower value count and file size are enforced and named") {
  TempTree t;
  const fs::path p = t.write("small.json", "{\"schema_version\": 1, \"policy\": [1, 2, 3]}");
  LoadOptions o;
  o.max_values = 4;
  CHECK(only_message(load_scenario(p, o)).find(": more than 4 JSON values: a scenario file may hold at most 4") !=
        std::string::npos);
  o = LoadOptions{};
  o.max_file_bytes = 10;
  CHECK(only_message(load_scenario(p, o)) == p.string() + ": file \"" + p.string() + "\" is " +
                                                 std::to_string(fs::file_size(p)) +
                                                 " bytes; scenario files may be at most 10 bytes");
  o.max_file_bytes = kLargeMaxFileBytes;
  o.max_values = kLargeMaxValues;
  CHECK_FALSE(load_scenario(p, o).diagnostics.empty());  // read (and judged on its content), not refused
  CHECK(to_string(load_scenario(p, o).diagnostics[0]).find("at most") == std::string::npos);
}
