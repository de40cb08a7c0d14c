// Two recorded runs side by side (`cyberdrill report DIR_A --compare DIR_B`): two plans against
// one exercise, or a drill and its counterfactual.
//
// Contract
//  - compare_runs() reads the two runs' reports (build_report) and their metrics only; nothing is
//    re-simulated. Sections, in order: the runs, objectives' ratings, reporting obligations, key
//    times, people affected, economic loss.
//  - Each row holds both values as text and, where the row has a direction (a metric of the
//    metric table, a rating: P best), a verdict: which run did better, or that they are the same.
//    Rows without a direction (names, seeds) that differ are `differs`. A value that is absent on
//    one side (a time that never came) gives `differs`, never a winner: "never escalated" can be
//    good or bad.
//  - Numbers are compared as printed (equal when their texts are equal), so the table never
//    highlights a difference the reader cannot see.
//  - Strings are plain text; to_markdown()/to_html() escape them as the report renderers do.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cyberdrill/report.hpp"
#include "cyberdrill/run_folder.hpp"

namespace cyberdrill {

enum class CompareVerdict : std::uint8_t { same, a_better, b_better, differs };

struct CompareRow {
  std::string item;
  std::string a;                 ///< run A's value as shown
  std::string b;                 ///< run B's value as shown
  CompareVerdict verdict = CompareVerdict::same;
  std::string difference;        ///< "B - A" in the row's unit ("+2.5 h", "-1,200 people"); "" when none
};

struct CompareSection {
  std::string title;
  std::string anchor;
  std::vector<CompareRow> rows;
};

struct RunComparison {
  std::string label_a;           ///< "A: <folder name>"
  std::string label_b;
  std::string exercise_a;        ///< scenario names
  std::string exercise_b;
  std::vector<CompareSection> sections;
  std::vector<std::string> headline;  ///< plain-text sentences
  int a_better = 0;              ///< rows where A did better
  int b_better = 0;
};

/// Compares two recorded runs (their reports built with the same options). Throws what
/// build_report() throws.
[[nodiscard]] RunComparison compare_runs(const RecordedRun& a, const RecordedRun& b, const ReportOptions& options = {});

/// Markdown: one pipe table per section, the better value in bold and the difference column
/// naming the better run.
[[nodiscard]] std::string to_markdown(const RunComparison& comparison);
/// One self-contained HTML page (the report's stylesheet): better values on green, worse on red.
[[nodiscard]] std::string to_html(const RunComparison& comparison);

}  // namespace cyberdrill
