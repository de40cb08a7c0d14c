// libFuzzer target: the scenario reader (parse, limits, every field check, lint) on one file with
// nothing beside it, so includes resolve to nothing. Contract checked: never crashes, never
// throws, a scenario exactly when there is no error, every diagnostic has a message and a
// pointer that is empty or starts with '/', and the large-file path (assets typed during the
// parse) gives the same diagnostics and assets.
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
  // The same file with its "assets" kept as text and typed during the parse (the path of large
  // files: LazyAssetTyper) must give exactly the same diagnostics and the same assets.
  options.lazy_assets_from_bytes = 0;
  const cyberdrill::LoadResult lazy = cyberdrill::load_scenario(file, options);
  if (lazy.diagnostics.size() != r.diagnostics.size() || lazy.scenario.has_value() != r.scenario.has_value()) std::abort();
  for (std::size_t i = 0; i < r.diagnostics.size(); ++i)
    if (cyberdrill::to_string(lazy.diagnostics[i]) != cyberdrill::to_string(r.diagnostics[i])) std::abort();
  if (r.scenario) {
    const auto& a = r.scenario->assets;
    const auto& b = lazy.scenario->assets;
    if (a.size() != b.size()) std::abort();
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (a[i].id != b[i].id || a[i].sector != b[i].sector || a[i].operator_org != b[i].operator_org ||
          a[i].serves.size() != b[i].serves.size() || a[i].depends_on.size() != b[i].depends_on.size())
        std::abort();
      for (std::size_t k = 0; k < a[i].depends_on.size(); ++k)
        if (a[i].depends_on[k].supplier != b[i].depends_on[k].supplier || a[i].depends_on[k].buffer != b[i].depends_on[k].buffer)
          std::abort();
    }
  }
  return 0;
}
