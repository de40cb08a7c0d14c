// cyberdrill report: the After-Action Report / Improvement Plan of a recorded run folder, as
// Markdown and self-contained HTML (plus PNG figures when a display or Xvfb is available).
//
// The AAR folder appears complete or not at all: everything is written into a sibling temporary
// folder that is renamed onto -o at the end. An existing -o is replaced only when it is empty or
// holds a previous report (report.md); anything else is refused (exit 2) and left untouched.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "commands.hpp"
#include "cyberdrill/atomic_output.hpp"
#include "cyberdrill/files.hpp"
#include "cyberdrill/report.hpp"
#include "cyberdrill/report_compare.hpp"
#include "cyberdrill/run_folder.hpp"
#include "open_run_folder.hpp"
#include "study_report_command.hpp"
#ifdef CYBERDRILL_HAVE_VIZ
#include "cyberdrill/viz.hpp"
#endif

namespace cyberdrill::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* kHelp = R"(
Writes the After-Action Report / Improvement Plan (HSEEP) of a recorded run:

  AAR/report.md     Markdown (pipe tables), for review and version control
  AAR/report.html   one self-contained page (inline CSS) for projecting and printing
  AAR/improvement-plan.csv  the improvement plan for a tracking spreadsheet (RFC 4180)
  AAR/figures/*.png service levels, the cascade at its peak (known vs true), the event timeline
                    (skipped with --no-figures, or with a warning when no display/Xvfb is available);
                    report.html embeds them (data: URIs), so it can be handed on as one file

With --compare DIR_B, two runs side by side (two plans, or a drill and its counterfactual):

  AAR/compare.md, AAR/compare.html  objectives' ratings, obligations, key times, people affected
                    and economic loss of DIR and DIR_B, the better value of each row highlighted
  AAR/report.md, report.html, improvement-plan.csv  the report of DIR, as above

The report is read from the run folder alone (its composed scenario.json, events.jsonl,
metrics.json, service_levels.csv, decisions.jsonl): the scenario's original files are not needed
and nothing is re-simulated. --verify first re-simulates the folder's scenario with its seed and
journal and refuses (exit 2) a folder whose trace does not match. It holds: the
exercise overview, an executive summary (times to detect, report, triage, escalate, contain,
recover; impact per sector; obligations; ratings), every objective rated P/S/M/U with strengths
and areas for improvement (observation, analysis, root cause), the known-versus-true table, a
timeline of key events, the reporting-obligation clocks, plan coverage, and the improvement plan.

On a batch study folder (cyberdrill batch -o STUDY), the study report instead:

  AAR/study-report.md, study-report.html  the configurations ranked by --rank-by METRIC (default
                    time_to_escalate_h; a time some runs never reach is ranked by its Kaplan-Meier
                    restricted mean), a table per configuration with 95 % intervals and the paired
                    difference against the baseline, censored counts, the sensitivity table, the
                    impact peaks, and the figures of 'batch --plots' (embedded in the HTML)

Examples:
  cyberdrill run scenarios/belgium/grid-blackout.json -o runs/grid
  cyberdrill report runs/grid -o runs/grid-aar
  cyberdrill report runs/grid -o runs/grid-aar --no-figures      # no display needed
  cyberdrill report runs/grid -o runs/grid-aar --verify          # check the trace first
  cyberdrill run scenarios/belgium/grid-blackout.json --plan scenarios/belgium/plan-2017.json -o runs/grid-2017
  cyberdrill report runs/grid --compare runs/grid-2017 -o runs/grid-vs-2017
  cyberdrill batch scenarios/belgium/grid-blackout.json --runs 200 --vary policy.csirt_staff_scale=1,2 --plots -o studies/staff
  cyberdrill report studies/staff -o studies/staff-report --rank-by economic_loss_eur)";

struct ReportArgs {
  std::string dir;
  std::string out;
  std::string compare;
  bool no_figures = false;
  bool verify = false;
  std::string rank_by;  ///< study folders: the metric that ranks the configurations
};

/// A batch study folder (cyberdrill batch -o): its manifest.json sits beside runs.csv and
/// summary.json, with no trace.
bool is_study_folder(const fs::path& dir) {
  return fs::is_regular_file(dir / "runs.csv") && fs::is_regular_file(dir / "summary.json") &&
         !fs::exists(dir / "events.jsonl");
}

/// Refuses a folder `report` cannot read with a message that says what to do (exit 2).
void check_run_folder(const std::string& arg) {
  const fs::path dir(arg);
  if (fs::is_directory(dir) && is_study_folder(dir))
    throw UsageError(arg + " is a batch study folder (runs.csv, summary.json), not the folder of one run: report "
                           "the study with 'cyberdrill report " + arg + " -o DIR' (no --compare or --verify), or "
                           "re-run one of its runs with 'cyberdrill run SCENARIO --seed N -o DIR' and report that");
  if (!fs::is_directory(dir) || !fs::is_regular_file(dir / "manifest.json"))
    throw UsageError(arg + " is not a cyberdrill run folder (no manifest.json); make one with 'cyberdrill run SCENARIO -o " +
                     arg + "'");
}

/// The report's figures, drawn by the viz library into `dir`. Throws std::runtime_error when they
/// cannot be drawn (no display, no Xvfb, or a cyberdrill built without the viz library).
std::vector<fs::path> render_report_figures_or_throw(const RecordedRun& run, const fs::path& dir) {
#ifdef CYBERDRILL_HAVE_VIZ
  return viz::render_report_figures(run, dir);
#else
  (void)run;
  (void)dir;
  throw std::runtime_error("this cyberdrill was built without the viz library (CYBERDRILL_BUILD_VIZ=OFF)");
#endif
}

int run_report(const ReportArgs& a) {
  const fs::path dir(a.dir);
  if (fs::is_directory(dir) && is_study_folder(dir) && a.compare.empty() && !a.verify)
    return run_study_report(a.dir, a.out, a.rank_by, a.no_figures);  // cli/study_report_command.cpp
  check_run_folder(a.dir);
  if (!a.compare.empty()) check_run_folder(a.compare);
  const fs::path out(a.out);
  if (out.filename().empty() || out.filename() == "." || out.filename() == "..")
    throw UsageError("-o " + a.out + ": name a folder for the report, e.g. -o runs/grid-aar");
  if (fs::exists(out) && (!fs::is_directory(out) || (!fs::is_empty(out) && !fs::exists(out / "report.md"))))
    throw UsageError("-o " + a.out + ": exists and is not a cyberdrill report folder; choose another folder");
  if (fs::weakly_canonical(out) == fs::weakly_canonical(dir) ||
      (!a.compare.empty() && fs::weakly_canonical(out) == fs::weakly_canonical(a.compare)))
    throw UsageError("-o " + a.out + ": write the report beside the run folder, not into it");

  spdlog::info("reading the run folder {}", a.dir);
  const RecordedRun run = open_run_folder(dir, a.verify);
  Report report = build_report(run);
  std::optional<RunComparison> comparison;
  if (!a.compare.empty()) {
    spdlog::info("reading the run folder {} to compare", a.compare);
    const RecordedRun other = open_run_folder(a.compare, a.verify);
    comparison = compare_runs(run, other);
  }

  write_folder_atomically(out, [&](const fs::path& tmp) {
    if (!a.no_figures) {
      spdlog::info("drawing figures");
      try {
        std::vector<fs::path> files = render_report_figures_or_throw(run, tmp / "figures");
        std::sort(files.begin(), files.end());
        for (const fs::path& f : files) {
          const std::string name = f.filename().string();
          ReportFigure fig{"figures/" + name, figure_caption(name), {}};
          if (!read_file(f, fig.png)) throw WriteError("cannot read back the figure " + f.string());
          report.figures.push_back(std::move(fig));
        }
      } catch (const WriteError&) {
        throw;  // the disk, not the display: the report fails (exit 1) and nothing is left
      } catch (const std::filesystem::filesystem_error&) {
        throw;
      } catch (const std::runtime_error& e) {
        spdlog::warn("no figures: {} (the report is complete without them; --no-figures skips this step)", e.what());
        std::error_code ec;
        fs::remove_all(tmp / "figures", ec);
      }
    }
    write_file(tmp / "report.md", to_markdown(report));
    write_file(tmp / "report.html", to_html(report));
    write_file(tmp / "improvement-plan.csv", improvement_plan_csv(report));
    if (comparison) {
      write_file(tmp / "compare.md", to_markdown(*comparison));
      write_file(tmp / "compare.html", to_html(*comparison));
    }
  });
  if (comparison)
    spdlog::info("wrote {}/compare.md and compare.html: B better on {} items, A better on {}", a.out, comparison->b_better,
                 comparison->a_better);
  int su = 0;
  for (const ObjectiveSection& o : report.objectives) su += o.rating != Rating::P;
  spdlog::info("wrote {}/report.md and report.html ({} objectives, {} rated S/M/U, {} improvement actions, {} figures)",
               a.out, report.objectives.size(), su, report.improvement_plan.size(), report.figures.size());
  return Exit::ok;
}

}  // namespace

Action add_report(CLI::App& app) {
  auto args = std::make_shared<ReportArgs>();
  CLI::App* sub = app.add_subcommand("report", "After-Action Report / Improvement Plan of a run folder (Markdown + HTML)");
  sub->footer(kHelp);
  sub->add_option("dir", args->dir, "Run folder written by 'cyberdrill run'")->required();
  sub->add_option("-o,--out", args->out, "Report folder to write (replaced if it holds a previous report)")->required();
  sub->add_option("--compare", args->compare,
                  "A second run folder (DIR_B) to set beside DIR: writes compare.md and compare.html");
  sub->add_flag("--no-figures", args->no_figures, "Do not draw PNG figures (no display or Xvfb needed)");
  sub->add_flag("--verify", args->verify,
                "Re-simulate the folder's scenario with its seed and journal first; exit 2 when the trace does not match");
  sub->add_option("--rank-by", args->rank_by,
                  "Study folders (cyberdrill batch -o): the metric ranking the configurations (default time_to_escalate_h)");
  return [args] { return run_report(*args); };
}

}  // namespace cyberdrill::cli
