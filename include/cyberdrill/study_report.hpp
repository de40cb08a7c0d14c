// The report of a batch study folder (`cyberdrill report STUDY_DIR`): Markdown and one
// self-contained HTML page (figures embedded as data: URIs) built from the study's CSV files.
//
// Contract
//  - A pure function of the texts given (summary.csv, censoring.csv, sensitivity.csv, optional
//    impact_bands.csv, the figures' bytes): no file is read here and nothing is re-simulated.
//  - Configurations are ranked by one metric (StudyReportInput::rank_by): by the Kaplan-Meier
//    restricted mean of censoring.csv when it is a time a run may never reach (censored runs count
//    at the horizon, so a configuration is never favoured by the runs it dropped), else by the
//    mean of summary.csv over the runs where it happened; lower first unless the metric's table
//    entry (metrics.hpp) says higher is better. Ties keep the study's order.
//  - Strings from the study (axis values, variant ids) are escaped for Markdown and HTML.
//  - Malformed CSV or an unknown rank_by metric throws StudyReportError (bad input).
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace cyberdrill {

class StudyReportError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

struct StudyFigure {
  std::string file;     ///< path relative to the report folder ("figures/cdf-time_to_escalate_h.png")
  std::string caption;
  std::string png;      ///< the PNG's bytes (embedded in the HTML)
};

struct StudyReportInput {
  std::string title;            ///< shown as "Study report: TITLE" (the folder's name)
  std::string command;          ///< the study's command line ("" when unknown)
  std::string rank_by = "time_to_escalate_h";
  std::string summary_csv;      ///< required
  std::string censoring_csv;    ///< may be empty
  std::string sensitivity_csv;  ///< may be empty
  std::string impact_bands_csv; ///< may be empty
  std::vector<StudyFigure> figures;
};

struct StudyReportText {
  std::string markdown;
  std::string html;
  std::vector<std::string> ranking;  ///< variant ids, best first (for tests and the log line)
};

/// true when `dir` is a batch study folder (runs.csv and summary.csv, no events.jsonl).
[[nodiscard]] bool is_study_folder(const std::filesystem::path& dir);

/// Builds the report. Throws StudyReportError as above.
[[nodiscard]] StudyReportText render_study_report(const StudyReportInput& input);

/// Caption of a study figure by its file name (cdf-METRIC.png, tornado.png, impact-bands-*.png).
[[nodiscard]] std::string study_figure_caption(const std::string& file_name);

/// Parses RFC 4180 text (quoted fields may hold commas, quotes and line breaks) into rows of
/// fields; a trailing line break does not make an empty row. Throws StudyReportError on an
/// unterminated quote.
[[nodiscard]] std::vector<std::vector<std::string>> parse_csv(const std::string& text);

}  // namespace cyberdrill
