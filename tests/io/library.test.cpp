// The library search path (cyberdrill/library_path.hpp): a planner's exercise outside the source
// tree includes the Belgium library through "library:"; includes stay confined to the scenario's
// folder and the library folders; scenario ids resolve through the same path.
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "cyberdrill/library_path.hpp"
#include "cyberdrill/scenario_io.hpp"

namespace fs = std::filesystem;
using namespace cyberdrill;

namespace {

const fs::path kLibrary = fs::path(CYBERDRILL_SOURCE_DIR) / "scenarios";

/// Sets CYBERDRILL_PATH for the scope, restores it after.
struct LibraryPath {
  std::string old;
  bool had = false;
  explicit LibraryPath(const std::string& value) {
    if (const char* v = std::getenv("CYBERDRILL_PATH")) {
      had = true;
      old = v;
    }
    ::setenv("CYBERDRILL_PATH", value.c_str(), 1);
  }
  ~LibraryPath() {
    if (had) ::setenv("CYBERDRILL_PATH", old.c_str(), 1);
    else ::unsetenv("CYBERDRILL_PATH");
  }
};

struct Folder {
  fs::path dir;
  explicit Folder(const std::string& name) {
    dir = fs::temp_directory_path() / ("cyberdrill-library-" + std::to_string(::getpid()) + "-" + name);
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~Folder() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

/// grid-blackout.json with its includes replaced by `includes` (a JSON array text).
std::string grid_blackout_including(const std::string& includes) {
  std::string text = slurp(kLibrary / "belgium" / "grid-blackout.json");
  const std::string from = R"("include": ["infrastructure.json", "plan-nis2.json"])";
  const std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), "\"include\": " + includes);
  return text;
}

bool has_error_containing(const LoadResult& r, const std::string& needle) {
  for (const Diagnostic& d : r.diagnostics)
    if (d.severity == Diagnostic::Severity::error && d.message.find(needle) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("an exercise outside the tree includes the Belgium library through library:") {
  const LibraryPath path("/nonexistent-first-entry:" + kLibrary.string());
  const Folder own("own");
  write(own.dir / "my-exercise.json",
        grid_blackout_including(R"(["library:belgium/infrastructure.json", "library:belgium/plan-nis2.json"])"));
  const LoadResult mine = load_scenario(own.dir / "my-exercise.json");
  REQUIRE_MESSAGE(!mine.has_errors(), (mine.diagnostics.empty() ? std::string() : to_string(mine.diagnostics.front())));
  const LoadResult shipped = load_scenario(kLibrary / "belgium" / "grid-blackout.json");
  REQUIRE(shipped.scenario);
  // The same composed exercise as the shipped one: same assets, organisations and plan.
  CHECK(mine.scenario->assets.size() == shipped.scenario->assets.size());
  CHECK(mine.scenario->organisations.size() == shipped.scenario->organisations.size());
  CHECK(mine.scenario->plan.id == shipped.scenario->plan.id);
  // Without the library on the path the include is named with the folders searched.
  // (Only checkable when no cyberdrill is installed on this machine's compiled-in prefix.)
  const LibraryPath none("/nonexistent");
  if (library_search_path().empty()) {
    const LoadResult missing = load_scenario(own.dir / "my-exercise.json");
    CHECK(has_error_containing(missing, "not in the library search path"));
  }
}

TEST_CASE("includes stay confined: library escapes by .., absolute paths and symlinks are refused") {
  const Folder lib("lib");
  const Folder outside("outside");
  const Folder own("own-escape");
  fs::create_directories(lib.dir / "blocks");
  fs::copy_file(kLibrary / "belgium" / "infrastructure.json", lib.dir / "blocks" / "infrastructure.json");
  fs::copy_file(kLibrary / "belgium" / "plan-nis2.json", lib.dir / "blocks" / "plan-nis2.json");
  fs::copy_file(kLibrary / "belgium" / "plan-nis2.json", outside.dir / "secret.json");
  fs::create_symlink(outside.dir / "secret.json", lib.dir / "blocks" / "link.json");
  const LibraryPath path(lib.dir.string());
  auto load_with = [&](const std::string& includes) {
    write(own.dir / "ex.json", grid_blackout_including(includes));
    return load_scenario(own.dir / "ex.json");
  };
  CHECK_FALSE(load_with(R"(["library:blocks/infrastructure.json", "library:blocks/plan-nis2.json"])").has_errors());
  CHECK(has_error_containing(load_with(R"(["library:blocks/../../outside/secret.json"])"), "leaves the library"));
  CHECK(has_error_containing(load_with(R"(["library:/etc/passwd"])"), "relative path inside the library"));
  CHECK(has_error_containing(load_with(R"(["library:blocks/link.json"])"), "outside the library folder"));
  CHECK(has_error_containing(load_with(R"(["../outside/secret.json"])"), "leaves the scenario's folder"));
  // A library file's own relative includes stay inside the library folder.
  write(lib.dir / "blocks" / "climb.json", R"({"schema_version": 1, "include": ["../../outside/secret.json"]})");
  CHECK(has_error_containing(load_with(R"(["library:blocks/climb.json"])"), "leaves the scenario's folder"));
}

TEST_CASE("scenario ids resolve through the library search path, files and unknown names stay as given") {
  const LibraryPath path(kLibrary.string());
  CHECK(fs::path(resolve_scenario_argument("tutorial")) == kLibrary / "tutorial.json");
  CHECK(fs::path(resolve_scenario_argument("belgium/grid-blackout")) == kLibrary / "belgium" / "grid-blackout.json");
  CHECK(fs::path(resolve_scenario_argument("library:belgium/grid-blackout.json")) ==
        kLibrary / "belgium" / "grid-blackout.json");
  CHECK(resolve_scenario_argument("no-such-exercise") == "no-such-exercise");
  CHECK(resolve_scenario_argument("missing.json") == "missing.json");
  CHECK(resolve_scenario_argument("library:../etc/passwd") == "library:../etc/passwd");
  const auto ids = library_scenario_ids();
  CHECK(std::find(ids.begin(), ids.end(), "tutorial") != ids.end());
  CHECK(std::find(ids.begin(), ids.end(), "belgium/grid-blackout") != ids.end());
  CHECK(std::find(ids.begin(), ids.end(), "belgium/infrastructure") == ids.end());  // a building block
}
