// `cyberdrill report STUDY_DIR`: reads the study folder's CSV files and its plots, writes the
// study report atomically (the folder appears complete or not at all).
#include "study_report_command.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>

#include "commands.hpp"
#include "cyberdrill/atomic_output.hpp"
#include "cyberdrill/files.hpp"
#include "cyberdrill/study_report.hpp"

namespace cyberdrill::cli {

namespace fs = std::filesystem;

int run_study_report(const std::string& dir_arg, const std::string& out_arg, const std::string& rank_by, bool no_figures) {
  const fs::path dir(dir_arg), out(out_arg);
  if (out.filename().empty() || out.filename() == "." || out.filename() == "..")
    throw UsageError("-o " + out_arg + ": name a folder for the report, e.g. -o studies/sweep-report");
  if (fs::exists(out) && (!fs::is_directory(out) || (!fs::is_empty(out) && !fs::exists(out / "study-report.md"))))
    throw UsageError("-o " + out_arg + ": exists and is not a cyberdrill study report folder; choose another folder");
  if (fs::weakly_canonical(out) == fs::weakly_canonical(dir))
    throw UsageError("-o " + out_arg + ": write the report beside the study folder, not into it");

  StudyReportInput in;
  in.title = fs::weakly_canonical(dir).filename().string();
  if (!rank_by.empty()) in.rank_by = rank_by;
  if (!read_file(dir / "summary.csv", in.summary_csv)) throw UsageError(dir_arg + "/summary.csv: cannot be read");
  (void)read_file(dir / "censoring.csv", in.censoring_csv);
  (void)read_file(dir / "sensitivity.csv", in.sensitivity_csv);
  (void)read_file(dir / "impact_bands.csv", in.impact_bands_csv);
  if (!no_figures && fs::is_directory(dir / "plots")) {
    std::vector<fs::path> pngs;
    for (const auto& e : fs::directory_iterator(dir / "plots"))
      if (e.is_regular_file() && e.path().extension() == ".png") pngs.push_back(e.path());
    std::sort(pngs.begin(), pngs.end());
    for (const fs::path& p : pngs) {
      StudyFigure f{"figures/" + p.filename().string(), study_figure_caption(p.filename().string()), {}};
      if (!read_file(p, f.png)) throw WriteError("cannot read the figure " + p.string());
      in.figures.push_back(std::move(f));
    }
  }
  if (!no_figures && in.figures.empty())
    spdlog::warn("{} has no plots/ folder: the report has no figures (run the study with --plots to draw them)", dir_arg);

  StudyReportText text;
  try {
    text = render_study_report(in);
  } catch (const StudyReportError& e) {
    throw UsageError(dir_arg + ": " + e.what());
  }
  write_folder_atomically(out, [&](const fs::path& tmp) {
    write_file(tmp / "study-report.md", text.markdown);
    write_file(tmp / "study-report.html", text.html);
    if (!in.figures.empty()) fs::create_directories(tmp / "figures");
    for (const StudyFigure& f : in.figures) write_file(tmp / f.file, f.png);
  });
  spdlog::info("wrote {}/study-report.md and study-report.html ({} configurations ranked by {}, best {}; {} figures)",
               out_arg, text.ranking.size(), in.rank_by, text.ranking.empty() ? "-" : text.ranking.front(),
               in.figures.size());
  return Exit::ok;
}

}  // namespace cyberdrill::cli
