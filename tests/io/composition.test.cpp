// Composition: includes, merge rules, folder confinement, cycles, and diagnostics that name the
// included file where a bad value was written.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "composition.hpp"
#include "cyberdrill/scenario_io.hpp"
#include "temp_tree.hpp"

namespace fs = std::filesystem;
using namespace cyberdrill;
using cyberdrill::testing::TempTree;

TEST_CASE("merge: objects key by key, arrays of id objects by id, other arrays replaced") {
  TempTree t;
  t.write("base.json", R"({"schema_version": 1,
    "metadata": {"name": "Base", "duration": "1d"},
    "assets": [{"id": "a", "population": 1, "tags": ["x", "y"]}, {"id": "b"}],
    "policy": {"k": 1}})");
  const fs::path top = t.write("top.json", R"({"schema_version": 1, "include": ["base.json"],
    "metadata": {"name": "Top"},
    "assets": [{"id": "a", "tags": ["z"]}, {"id": "c"}]})");
  const io::Composition c = io::compose(top, {});
  CHECK_FALSE(c.fatal);
  CHECK(c.merged["metadata"]["name"] == "Top");
  CHECK(c.merged["metadata"]["duration"] == "1d");
  REQUIRE(c.merged["assets"].size() == 3);
  CHECK(c.merged["assets"][0]["population"] == 1);
  CHECK(c.merged["assets"][0]["tags"] == nlohmann::json::array({"z"}));
  CHECK(c.merged["assets"][2]["id"] == "c");
  CHECK_FALSE(c.merged.contains("include"));
  // Origins: each merged value maps back to the file and pointer where it was written.
  CHECK(c.origin_of("/assets/0/population").file == 1);
  CHECK(c.origin_of("/assets/0/tags/0").file == 0);
  CHECK(c.origin_of("/assets/0/tags/0").pointer == "/assets/0/tags/0");
  CHECK(c.origin_of("/assets/2").pointer == "/assets/1");
  CHECK(c.origin_of("/assets/1/id").file == 1);
  CHECK(c.origin_of("/metadata/duration").file == 1);
  CHECK(c.origin_of("/metadata/name").file == 0);
  CHECK(c.files[0].display == top.string());
}

TEST_CASE("includes of includes resolve against the including file's folder, in order") {
  TempTree t;
  t.write("blocks/infra.json", R"({"schema_version": 1, "include": ["sectors.json"], "sectors": [{"id": "energy", "name": "Infra"}]})");
  t.write("blocks/sectors.json", R"({"schema_version": 1, "sectors": [{"id": "energy", "name": "Sectors"}, {"id": "health"}]})");
  const fs::path top = t.write("top.json", R"({"schema_version": 1, "include": ["blocks/infra.json"]})");
  const io::Composition c = io::compose(top, {});
  CHECK_FALSE(c.has_errors());
  REQUIRE(c.files.size() == 3);  // read order: top, infra, sectors
  CHECK(fs::path(c.files[2].display).filename() == "sectors.json");
  CHECK(c.merged["sectors"][0]["name"] == "Infra");
  CHECK(c.merged["sectors"][1]["id"] == "health");
}

TEST_CASE("a diagnostic names the included file, its line and column and the pointer inside it") {
  TempTree t;
  t.write("blocks/infra.json", "{\"schema_version\": 1,\n \"assets\": [\n  {\"id\": \"a\", \"sector\": \"enrgy\"}\n ]}\n");
  const fs::path top = t.write("top.json", R"({"schema_version": 1, "include": ["blocks/infra.json"],
    "metadata": {"name": "T", "start": "2026-01-05T10:00", "duration": "1h"},
    "sectors": [{"id": "energy"}], "organisations": [{"id": "o"}],
    "assets": [{"id": "b", "sector": "energy"}],
    "plan": {"id": "p"}})");
  const LoadResult r = load_scenario(top);
  REQUIRE(r.diagnostics.size() == 1);
  const Diagnostic& d = r.diagnostics[0];
  CHECK(d.file == (top.parent_path() / "blocks/infra.json").string());
  CHECK(d.line == 3);
  CHECK(d.column == 25);
  CHECK(d.pointer == "/assets/0/sector");
  CHECK(d.message == "unknown sector \"enrgy\"; did you mean \"energy\"?");
}

TEST_CASE("includes stay inside the top scenario's folder tree") {
  TempTree t;
  t.write("outside.json", R"({"schema_version": 1})");
  auto first_message = [&](const std::string& include) {
    const fs::path top = t.write("in/top.json", R"({"schema_version": 1, "include": [")" + include + R"("]})");
    const LoadResult r = load_scenario(top);
    return r.diagnostics.empty() ? std::string() : r.diagnostics[0].message;
  };
  CHECK(first_message("../outside.json") == "include \"../outside.json\" leaves the scenario's folder: \"..\" is not allowed in includes");
  CHECK(first_message("sub/../../outside.json") ==
        "include \"sub/../../outside.json\" leaves the scenario's folder: \"..\" is not allowed in includes");
  CHECK(first_message((t.root() / "outside.json").string()).find("must be a relative path") != std::string::npos);
  // A symbolic link cannot smuggle a file in from outside.
  fs::create_symlink(t.root() / "outside.json", t.root() / "in/link.json");
  CHECK(first_message("link.json") == "include \"link.json\" resolves outside the scenario's folder (through a symbolic link)");
}

TEST_CASE("include cycles are reported once, naming the chain") {
  TempTree t;
  t.write("a.json", R"({"schema_version": 1, "include": ["b.json"]})");
  t.write("b.json", R"({"schema_version": 1, "include": ["c.json"]})");
  t.write("c.json", R"({"schema_version": 1, "include": ["a.json"]})");
  const LoadResult r = load_scenario(t.root() / "a.json");
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].message == "include cycle: a.json -> b.json -> c.json -> a.json");
  CHECK(fs::path(r.diagnostics[0].file).filename() == "c.json");
  CHECK(r.diagnostics[0].pointer == "/include/0");
}

TEST_CASE("the same block included twice (a diamond) is merged twice, without error") {
  TempTree t;
  t.write("common.json", R"({"schema_version": 1, "sectors": [{"id": "energy"}]})");
  t.write("x.json", R"({"schema_version": 1, "include": ["common.json"]})");
  t.write("y.json", R"({"schema_version": 1, "include": ["common.json"]})");
  const io::Composition c = io::compose(t.write("top.json", R"({"schema_version": 1, "include": ["x.json", "y.json"]})"), {});
  CHECK_FALSE(c.has_errors());
  CHECK(c.merged["sectors"].size() == 1);
}

TEST_CASE("a plan override ignores (with a warning) what is not a plan, organisations or channels") {
  TempTree t;
  const fs::path top = t.write("s.json", R"({"schema_version": 1, "plan": {"id": "old", "levels": [{"id": "l", "rank": 0}]}})");
  LoadOptions o;
  o.plan_override = t.write("p.json", R"({"schema_version": 1, "assets": [], "plan": {"id": "new"}})");
  const io::Composition c = io::compose(top, o);
  CHECK(c.merged["plan"] == nlohmann::json({{"id", "new"}}));  // replaced, not merged
  const auto ds = c.diagnostics();
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].message == "\"assets\" is ignored in a plan override file: it brings only \"plan\", \"organisations\", \"channels\" and \"background\"");
  o.plan_override = t.write("q.json", R"({"schema_version": 1})");
  const auto ds2 = io::compose(top, o).diagnostics();
  REQUIRE(ds2.size() == 1);
  CHECK(ds2[0].message == "plan override file has no \"plan\": expected {\"schema_version\": 1, \"plan\": {...}}");
}
