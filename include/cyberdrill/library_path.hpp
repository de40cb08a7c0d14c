// Where the shipped scenarios and building blocks (the Belgium library) are found at run time, so
// an installed binary works from any working directory and a planner's own exercise can include
// the installed library without copying it.
//
// Contract
//  - The library search path is, in order: each folder of the environment variable
//    CYBERDRILL_PATH (colon-separated, empty entries ignored), then <exe>/../share/cyberdrill/scenarios
//    (a relocated or DESTDIR install), then the compiled-in install folder
//    (CMAKE_INSTALL_FULL_DATADIR/cyberdrill/scenarios). Only folders that exist are listed.
//  - "library:REL" names REL inside the first search folder that holds it. REL is relative and
//    never contains ".."; REL without ".json" also matches REL.json.
//  - A scenario id is a library file's path relative to its search folder without ".json"
//    ("tutorial", "belgium/grid-blackout"). A command-line SCENARIO that names no existing file and
//    is an id (or "library:REL") is resolved through the search path; anything else is returned
//    unchanged, so the caller reports "no such file" as before.
//  - Nothing here throws; unreadable folders are skipped.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cyberdrill {

/// The prefix of an include or argument that names a file in the library search path.
inline constexpr const char* kLibraryPrefix = "library:";

/// The folders searched for library files, in order (existing folders only).
[[nodiscard]] std::vector<std::filesystem::path> library_search_path();

/// The library file named by `rel` (with or without "library:" and ".json"), or nullopt when no
/// search folder holds it or `rel` is absolute or contains "..".
[[nodiscard]] std::optional<std::filesystem::path> find_in_library(const std::string& rel);

/// The search folder that holds `file` (canonical paths compared), or nullopt.
[[nodiscard]] std::optional<std::filesystem::path> library_root_of(const std::filesystem::path& file);

/// A SCENARIO argument resolved as the contract above says.
[[nodiscard]] std::string resolve_scenario_argument(const std::string& argument);

/// Every scenario id in the search path: scenario files with attackers (exercises, not building
/// blocks such as an infrastructure or a plan, nor the schema), sorted, each id once.
[[nodiscard]] std::vector<std::string> library_scenario_ids();

}  // namespace cyberdrill
