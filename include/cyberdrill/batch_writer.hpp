// The output folder of a batch study (`cyberdrill batch -o DIR`). No JSON types in this header.
//
//   manifest.json  version, git commit, scenario (path, name, hash), study key, runs, variants with
//                  their settings, base seed and the seed rule, command line, the files
//   runs.csv       one row per (variant, run): batch::runs_csv
//   summary.json   per variant, per metric: happened, mean, sd, 95 % CI, min, p10, median, p90, max
//                  and the paired difference against the baseline; rating counts per objective
//   summary.csv    the same statistics, one row per (variant, metric): batch::summary_csv
//
// Contract: the folder appears complete or not at all (written into a hidden sibling folder that
// is renamed onto DIR). Every file except manifest.json (which holds the command line) is a pure
// function of the study and its rows: byte-identical for any thread or rank count.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "cyberdrill/batch.hpp"

namespace cyberdrill::batch {

struct BatchManifest {
  std::string version;
  std::string git_commit;
  std::string command_line;
  /// More files of the study (name, text), written beside the others and listed in "files"
  /// (censoring.csv, survival.csv, sensitivity.csv).
  std::vector<std::pair<std::string, std::string>> extra_files;
};

/// Throws StudyError when `dir` exists and is not a folder, or is a non-empty folder without a
/// manifest.json (not a previous cyberdrill output): an existing output folder is replaced, any
/// other folder is left alone.
void check_output_folder(const std::filesystem::path& dir);

/// summary.json's text.
[[nodiscard]] std::string summary_json(const Study& study, const std::vector<VariantSummary>& summary);

/// Writes the folder atomically (see above). `rows` is complete, in index order. Throws
/// std::runtime_error (nothing written) when a file cannot be written; StudyError as
/// check_output_folder.
void write_study_folder(const std::filesystem::path& dir, const Study& study, const std::vector<RunRow>& rows,
                        const std::vector<VariantSummary>& summary, const BatchManifest& manifest);
/// The same folder from a complete RowStore; runs.csv is streamed (byte-identical to the above).
void write_study_folder(const std::filesystem::path& dir, const Study& study, const RowStore& rows,
                        const std::vector<VariantSummary>& summary, const BatchManifest& manifest);

}  // namespace cyberdrill::batch
