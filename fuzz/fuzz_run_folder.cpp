// libFuzzer target: the run-folder reader (manifest.json, the composed scenario.json,
// events.jsonl, metrics.json, service_levels.csv, decisions.jsonl). One input holds the six files
// in that order, separated by kFileSeparator lines (scripts/fuzz.sh builds the seeds from real
// run folders). Contract: never crashes; a bad folder is a RunFolderError (exit 2) or another
// std::runtime_error, nothing else escapes. It never re-simulates (verify_run_folder is not
// called: a mutated manifest could ask for a long run).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

#include "cyberdrill/run_folder.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static constexpr const char* kFiles[] = {"manifest.json",      "scenario.json",   "events.jsonl",
                                           "metrics.json",       "service_levels.csv", "decisions.jsonl"};
  static constexpr std::size_t kCount = sizeof kFiles / sizeof kFiles[0];
  const auto dir = cyberdrill::fuzz::scratch("run-folder") / "run";
  std::filesystem::create_directories(dir);
  const auto parts = cyberdrill::fuzz::split(std::string_view(reinterpret_cast<const char*>(data), size),
                                             cyberdrill::fuzz::kFileSeparator, kCount);
  for (std::size_t k = 0; k < kCount; ++k) cyberdrill::fuzz::write_file(dir / kFiles[k], parts[k]);
  try {
    (void)cyberdrill::read_run_folder(dir);
  } catch (const std::runtime_error&) {
  }
  return 0;
}
