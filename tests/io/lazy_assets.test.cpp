// The "assets" of a large file kept as text and typed one at a time (LoadOptions::
// lazy_assets_from_bytes, Composition::lazy_assets) give exactly what the whole-DOM read gives:
// every fixture (one defect each), every valid fixture and every shipped scenario is loaded both
// ways (the threshold lowered to 0 so small files take the lazy path) and the diagnostics (file,
// line, column, pointer, message, in order) and the typed assets must be the same.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "composition.hpp"
#include "cyberdrill/scenario_io.hpp"
#include "scenario_reader.hpp"
#include "temp_tree.hpp"

namespace fs = std::filesystem;
using namespace cyberdrill;

namespace {

std::vector<std::string> lines(const LoadResult& r) {
  std::vector<std::string> out;
  for (const Diagnostic& d : r.diagnostics) out.push_back(to_string(d));
  return out;
}

void check_same_both_ways(const fs::path& file) {
  INFO("file: " << file.string());
  LoadOptions dom;
  dom.lazy_assets_from_bytes = ~std::uint64_t{0};
  LoadOptions lazy;
  lazy.lazy_assets_from_bytes = 0;
  const LoadResult a = load_scenario(file, dom);
  const LoadResult b = load_scenario(file, lazy);
  CHECK(lines(a) == lines(b));
  REQUIRE(a.scenario.has_value() == b.scenario.has_value());
  if (!a.scenario) return;
  const auto& x = a.scenario->assets;
  const auto& y = b.scenario->assets;
  REQUIRE(x.size() == y.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    CHECK(x[i].id == y[i].id);
    CHECK(x[i].rule == y[i].rule);
    CHECK(x[i].restore.dist.kind == y[i].restore.dist.kind);
    for (std::size_t k = 0; k < std::min(x[i].serves.size(), y[i].serves.size()); ++k) {
      CHECK(x[i].serves[k].area == y[i].serves[k].area);
      CHECK(x[i].serves[k].service == y[i].serves[k].service);
      CHECK(x[i].serves[k].share == y[i].serves[k].share);
    }
    CHECK(x[i].name == y[i].name);
    CHECK(x[i].sector == y[i].sector);
    CHECK(x[i].operator_org == y[i].operator_org);
    CHECK(x[i].tags == y[i].tags);
    CHECK(x[i].criticality == y[i].criticality);
    CHECK(x[i].x == y[i].x);
    CHECK(x[i].y == y[i].y);
    CHECK(x[i].serves.size() == y[i].serves.size());
    REQUIRE(x[i].depends_on.size() == y[i].depends_on.size());
    for (std::size_t k = 0; k < x[i].depends_on.size(); ++k) {
      CHECK(x[i].depends_on[k].supplier == y[i].depends_on[k].supplier);
      CHECK(x[i].depends_on[k].buffer == y[i].depends_on[k].buffer);
      CHECK(x[i].depends_on[k].weight == y[i].depends_on[k].weight);
    }
  }
}

std::vector<fs::path> json_files(const fs::path& dir, bool recursive) {
  std::vector<fs::path> out;
  if (recursive) {
    for (const auto& e : fs::recursive_directory_iterator(dir))
      if (e.is_regular_file() && e.path().extension() == ".json" && e.path().string().find("schema") == std::string::npos)
        out.push_back(e.path());
  } else {
    for (const auto& e : fs::directory_iterator(dir))
      if (e.is_regular_file() && e.path().extension() == ".json") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("lazy assets: every invalid fixture gives the same diagnostics as the whole-DOM read") {
  const auto files = json_files(fs::path(CYBERDRILL_SOURCE_DIR) / "tests/fixtures/invalid", false);
  CHECK(files.size() > 50);
  for (const fs::path& f : files) check_same_both_ways(f);
}

TEST_CASE("lazy assets: valid fixtures and shipped scenarios give the same scenario and diagnostics") {
  auto files = json_files(fs::path(CYBERDRILL_SOURCE_DIR) / "tests/fixtures/valid", false);
  const auto shipped = json_files(fs::path(CYBERDRILL_SOURCE_DIR) / "scenarios", true);
  files.insert(files.end(), shipped.begin(), shipped.end());
  CHECK(files.size() >= 8);
  for (const fs::path& f : files) check_same_both_ways(f);
}

TEST_CASE("lazy assets: the threshold decides whether a file's assets are kept as text") {
  const fs::path file = fs::path(CYBERDRILL_SOURCE_DIR) / "tests/fixtures/valid/minimal.json";
  LoadOptions o;
  o.lazy_assets_from_bytes = 0;
  const io::Composition lazy = io::compose(file, o, false, true);
  const io::Value* assets = lazy.root.find("assets");
  REQUIRE(assets != nullptr);
  CHECK(assets->size() > 0);
  CHECK(lazy.lazy_assets.ranges.size() == assets->size());
  CHECK(lazy.lazy_assets.ids.size() == assets->size());
  o.lazy_assets_from_bytes = ~std::uint64_t{0};
  const io::Composition dom = io::compose(file, o, false, true);
  CHECK(dom.lazy_assets.ranges.empty());
  CHECK(dom.root.find("assets")->size() == assets->size());
  // Without the reader's consent (compose's last argument), never.
  o.lazy_assets_from_bytes = 0;
  CHECK(io::compose(file, o, false, false).lazy_assets.ranges.empty());
}

namespace {

// Assets typed while the file is parsed (LazyAssetTyper): references to assets further down,
// unknown and self references, an asset with a bad field before and after clean ones, and share
// sums crossing 1 at a re-read asset ("electricity") and at a clean one ("water").
std::string typer_scenario(bool sectors_after_assets, bool with_defects) {
  const std::string sectors = R"("sectors": [{"id": "energy", "name": "Energy"}, {"id": "telecom", "name": "Telecom"}],)";
  std::string assets = R"("assets": [
    {"id": "a0", "sector": "energy", "serves": [{"class": "electricity", "area": "north", "share": 0.5}],
     "depends_on": [{"asset": "a3", "type": "telecom", "buffer": "4h"}, {"asset": "a1", "type": "power", "buffer": "1h30m", "weight": 0.5}]},
    {"id": "a1", "sector": "energy", "criticality": CRIT, "operator": "cert",
     "serves": [{"class": "electricity", "area": "north", "share": 0.4}, {"class": "water", "area": "north", "share": 0.7}]},
    {"id": "a2", "sector": "telecom", "serves": [{"class": "electricity", "area": "north", "share": SHARE}],
     "depends_on": [{"asset": "a0", "type": "power", "restart": "5m"}, {"asset": "NOWHERE", "type": "power"}]},
    {"id": "a3", "sector": "telecom", "rule": "any", "restore": {"lognormal": {"median": "2h", "p90": "1d"}},
     "serves": [{"class": "water", "area": "north", "share": WATER}], "depends_on": [{"asset": "a1", "type": "power"}]},
    {"id": "a4", "sector": "energy", "tags": ["x", "y"], "position": [0.25, 0.5], "depends_on": [{"asset": "a5", "type": "power"}]},
    {"id": "a5", "sector": "energy", "depends_on": [{"asset": "SELF", "type": "power", "buffer": "0s"}]}
  ],)";
  auto put = [&](const std::string& key, const std::string& value) { assets.replace(assets.find(key), key.size(), value); };
  put("CRIT", with_defects ? "-1" : "0.5");
  put("SHARE", with_defects ? "0.3" : "0.05");
  put("WATER", with_defects ? "0.4" : "0.2");
  put("NOWHERE", with_defects ? "nowhere" : "a4");
  put("SELF", with_defects ? "a5" : "a0");
  const std::string head = R"({
  "schema_version": 1,
  "description": "lazy asset typer",
  "metadata": {"name": "t", "start": "2026-03-10T09:00", "time_zone": "Europe/Brussels", "duration": "1d"},
  "areas": [{"id": "north", "name": "North", "residents": 1000}],
  "organisations": [{"id": "cert", "name": "National CSIRT", "kind": "csirt", "staff": 2, "calendar": "24/7"}],
  )";
  const std::string tail = R"(
  "plan": {"id": "p", "name": "p", "levels": [{"id": "baseline", "rank": 0}],
           "procedures": [{"id": "triage", "owner": "cert", "trigger": {"on": "detection"}, "steps": [{"id": "assess", "duration": "1h"}]}]}
})";
  return head + (sectors_after_assets ? assets + "\n  " + sectors : sectors + "\n  " + assets) + tail;
}

/// Loads `file` as load_scenario does on the lazy path, returning how many assets the typer kept.
std::size_t typed_assets(const fs::path& file, std::size_t* errors) {
  LoadOptions o;
  o.lazy_assets_from_bytes = 0;
  io::LazyAssetTyper typer;
  io::Composition c = io::compose(file, o, false, true, &typer);
  REQUIRE(!c.lazy_assets.ranges.empty());
  (void)io::read_scenario(c, file.string(), &typer);
  *errors = c.diagnostics().size();
  return typer.kept();
}

}  // namespace

TEST_CASE("lazy assets typed during the parse: forward, unknown and self references, share sums, sections after the assets") {
  testing::TempTree t;
  for (const bool after : {false, true}) {
    for (const bool defects : {false, true}) {
      CAPTURE(after);
      CAPTURE(defects);
      const fs::path file = t.write(std::string("s") + (after ? "1" : "0") + (defects ? "1" : "0") + ".json",
                                    typer_scenario(after, defects));
      check_same_both_ways(file);
      std::size_t errors = 0;
      const std::size_t kept = typed_assets(file, &errors);
      if (after) {
        CHECK(kept == 0);  // sectors unknown while the assets were parsed: every asset read again
      } else if (defects) {
        CHECK(kept == 3);  // a0, a3, a4 (forward and backward references); a1, a2, a5 have a defect
        CHECK(errors == 5);  // criticality, unknown asset, self dependency, two share sums
      } else {
        CHECK(kept == 6);
        CHECK(errors == 0);
      }
    }
  }
}
