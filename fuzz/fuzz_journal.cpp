// libFuzzer target: the drill journal reader (header line, decide/inject/note lines, a torn last
// line) and the decision-journal reader on the same bytes. Contract: never crashes; bad input is
// a std::runtime_error (the CLI's exit 2), nothing else escapes; valid_bytes never exceeds the
// file.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

#include "cyberdrill/drill_journal.hpp"
#include "cyberdrill/run_folder.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto file = cyberdrill::fuzz::scratch("journal") / "drill.jsonl";
  cyberdrill::fuzz::write_file(file, std::string_view(reinterpret_cast<const char*>(data), size));
  try {
    (void)cyberdrill::is_drill_journal(file);
    const cyberdrill::DrillJournal j = cyberdrill::read_drill_journal(file);
    if (j.valid_bytes > size) std::abort();
  } catch (const std::runtime_error&) {
  }
  try {
    (void)cyberdrill::read_decision_journal(file);
  } catch (const std::runtime_error&) {
  }
  return 0;
}
