// `cyberdrill report STUDY_DIR`: the report of a batch study folder (cmd_report.cpp detects the
// folder and calls this). Writes OUT/study-report.md, OUT/study-report.html (figures embedded) and
// OUT/figures/*.png (copied from STUDY_DIR/plots, drawn by `batch --plots`).
#pragma once

#include <string>

namespace cyberdrill::cli {

/// Exit code; throws UsageError for a folder that cannot be reported or a bad --rank-by.
int run_study_report(const std::string& dir, const std::string& out, const std::string& rank_by, bool no_figures);

}  // namespace cyberdrill::cli
