// libFuzzer target: the scenario reader (parse, limits, every field check, lint) on one file with
// nothing beside it, so includes resolve to nothing. Contract checked: never crashes, never
// throws, a scenario exactly when there is no error, every diagnostic has a message and a
// pointer that is empty or starts with '/'.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cyberdrill/scenario_io.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto file = cyberdrill::fuzz::scratch("scenario") / "scenario.json";
  cyberdrill::fuzz::write_file(file, std::string_view(reinterpret_cast<const char*>(data), size));
  cyberdrill::LoadOptions options;
  options.max_file_bytes = 1 << 20;  // libFuzzer's inputs are far smaller; keeps a run bounded
  const cyberdrill::LoadResult r = cyberdrill::load_scenario(file, options);
  if (r.scenario.has_value() == r.has_errors()) std::abort();
  for (const auto& d : r.diagnostics)
    if (d.message.empty() || (!d.pointer.empty() && d.pointer[0] != '/') || d.line < 0 || d.column < 0) std::abort();
  return 0;
}
