// libFuzzer target: the MSEL CSV import (CSV dialects, header, every column's cell parser, the
// patched scenario's validation) as a dry run against a copy of the tutorial scenario, and the
// CSV parser on its own. Contract: never crashes, never throws; ok exactly when there is no
// error; a dry run never writes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string_view>

#include "cyberdrill/msel.hpp"
#include "fuzz_common.hpp"

namespace fs = std::filesystem;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const fs::path dir = cyberdrill::fuzz::scratch("msel");
  static const fs::path scenario = [] {
    const fs::path s = dir / "scenario.json";
    fs::copy_file(fs::path(CYBERDRILL_SOURCE_DIR) / "scenarios/tutorial.json", s, fs::copy_options::overwrite_existing);
    return s;
  }();
  static const auto before = fs::last_write_time(scenario);
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  // The CSV parser alone: every record has a positive line number.
  for (const auto& rec : cyberdrill::msel::parse_csv(text, "fuzz.csv").records)
    if (rec.line <= 0) std::abort();

  const fs::path csv = dir / "msel.csv";
  cyberdrill::fuzz::write_file(csv, text);
  cyberdrill::msel::ImportOptions options;
  options.write = false;
  const cyberdrill::msel::ImportResult r = cyberdrill::msel::import_msel(csv, scenario, options);
  if (r.ok != r.errors.empty() || r.written) std::abort();
  if (fs::last_write_time(scenario) != before) std::abort();
  return 0;
}
