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
