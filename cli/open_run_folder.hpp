// Opening a run folder for report and render: read it (never re-simulating), optionally verify it
// (--verify re-simulates), and map every folder problem to bad input (exit 2).
#pragma once

#include <spdlog/spdlog.h>

#include <filesystem>

#include "commands.hpp"
#include "cyberdrill/run_folder.hpp"

namespace cyberdrill::cli {

inline RecordedRun open_run_folder(const std::filesystem::path& dir, bool verify) {
  try {
    RecordedRun run = read_run_folder(dir);
    if (verify) {
      spdlog::info("verifying {}: re-simulating its scenario.json (seed {})", dir.string(), run.result.seed);
      (void)verify_run_folder(run);
      spdlog::info("verified: the re-simulated trace matches events.jsonl and the manifest");
    } else if (run.trace_fingerprint != run.result.fingerprint || run.composed_hash != run.manifest.composed_hash) {
      spdlog::warn("{}: the trace or scenario.json no longer matches manifest.json (edited?); "
                   "showing the folder as it is ('--verify' checks it against a re-simulation)",
                   dir.string());
    }
    return run;
  } catch (const RunFolderError& e) {
    throw UsageError(e.what());
  }
}

}  // namespace cyberdrill::cli
