// The After-Action Report / Improvement Plan (AAR/IP) of a recorded run, HSEEP style.
//
// build_report() turns a RecordedRun (read_run_folder: the composed scenario, the manifest and a
// RunResult read from the folder's files, with every trace record) into a Report: a plain model
// holding text and numbers only, so tests can check what the report says without parsing Markdown
// or HTML. to_markdown() and to_html() render it; both are pure functions of the Report.
//
// Contract
//  - Every fact comes from the run: metrics, ratings, incidents, obligation clocks, plan coverage
//    and trace records. Nothing is invented: a finding names the records it was derived from.
//  - Strings in the Report are plain text (scenario names as written, unescaped). The renderers
//    escape every string where it is rendered: HTML entities (& < > " ') in HTML; in Markdown
//    the characters \ | * _ ` < > [ ] # are backslash-escaped and newlines become spaces (a <br>
//    would be markup from us, not from the scenario), so a scenario name can neither break a
//    table nor inject markup.
//  - Times are kept as SimTime (T+ clock); the renderers add the local wall-clock time from the
//    scenario's start and time zone.
//  - Improvement-plan dates follow one rule (ReportOptions): every action starts
//    `action_start_days` after the exercise's start date; it is due `planning_days` after that for
//    planning, organisation and training, `equipment_days` for equipment and `exercise_days` for
//    exercise (the next exercise to validate the fix).
//  - Orderings are deterministic: objectives in scenario order, known-versus-true rows by asset
//    population (descending, then incident index), the timeline by time then record order,
//    obligations by start time then obligation then operator.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cyberdrill/response.hpp"
#include "cyberdrill/run_folder.hpp"
#include "cyberdrill/time.hpp"

namespace cyberdrill {

struct ReportOptions {
  int action_start_days = 30;   ///< improvement actions start this long after the exercise start date
  int planning_days = 90;       ///< completion after the start: planning, organisation, training
  int equipment_days = 180;     ///< completion after the start: equipment
  int exercise_days = 365;      ///< completion after the start: exercise (the next annual exercise)
  std::size_t timeline_limit = 60;  ///< most timeline entries kept (the earliest key events)
};

/// One figure written beside the report: `file` is relative to the report folder.
struct ReportFigure {
  std::string file;
  std::string caption;
  /// The PNG's bytes when the figure is embedded: to_html() then writes it as a data: URI
  /// (base64), so report.html is one self-contained file; empty: linked by `file`.
  std::string png;
};

struct ReportOverview {
  std::string name;
  std::string description;
  std::string plan_id;
  std::string plan_name;
  std::string plan_version;
  std::uint64_t seed = 0;
  std::string start_local;      ///< "YYYY-MM-DDTHH:MM"
  std::string time_zone;
  std::int64_t start_utc_s = 0;
  Duration horizon;             ///< Metadata::duration
  SimTime end;                  ///< when the run ended
  struct Org {
    std::string id;
    std::string name;
    std::string kind;           ///< "CSIRT", "crisis centre", "operator", ...
    bool took_part = false;     ///< acted or was acted upon in the trace
  };
  std::vector<Org> organisations;  ///< every organisation of the scenario, in scenario order
  struct Threat {
    std::string campaign;       ///< campaign name
    std::string actor;
    int steps = 0;
    int steps_succeeded = 0;
    std::vector<std::string> techniques_used;  ///< ATT&CK ids of steps that succeeded, first-use order
    std::vector<std::string> techniques_planned;  ///< every ATT&CK id of the campaign, scenario order
  };
  std::vector<Threat> threats;
  std::string cyberdrill_version;
  std::string git_commit;
  std::string scenario_path;
  std::string scenario_hash;
  std::string command_line;
  std::uint64_t fingerprint = 0;
};

struct KeyTime {
  std::string label;            ///< "Detect", "Report to the CSIRT", ...
  std::string metric;           ///< response metric name
  std::optional<double> hours;  ///< empty: it never happened
};

struct SectorImpact {
  std::string sector;           ///< sector name
  double population_hours = 0;
  double service_hours = 0;
};

struct ObjectiveGlance {
  std::string id;
  std::string name;
  Rating rating = Rating::U;
};

struct ExecutiveSummary {
  std::vector<KeyTime> times;
  std::optional<double> peak_population_affected;
  std::optional<double> population_hours_lost;
  std::optional<double> max_severity;
  std::vector<SectorImpact> sectors;  ///< scenario order; sectors with no loss included
  int obligations_met = 0;
  int obligations_missed = 0;
  int obligations_running = 0;
  std::vector<ObjectiveGlance> objectives;
  std::vector<std::string> headline;  ///< a few sentences, plain text
};

/// A strength or an area for improvement (HSEEP: observation, analysis, root cause).
struct Finding {
  std::string observation;
  std::string analysis;
  std::string root_cause;       ///< empty for strengths
};

struct ObjectiveSection {
  std::string id;
  std::string name;
  std::string capability;
  std::string metric;
  bool lower_is_better = true;
  double p = 0, s = 0, m = 0;
  std::optional<double> value;
  Rating rating = Rating::U;
  std::vector<Finding> strengths;
  std::vector<Finding> areas_for_improvement;
};

/// Ground truth against knowledge for one scenario incident.
struct KnownVersusTrue {
  Index incident = kNone;
  std::string asset;            ///< asset name
  std::string asset_id;
  std::string sector;
  std::string operator_name;
  std::uint64_t population = 0;
  std::optional<SimTime> true_start;   ///< first compromise or first level below full service
  std::string true_event;              ///< what happened first ("compromised (foothold)", "service 0 %")
  SimTime operator_knew;               ///< the incident's first detection
  std::string detected_by;
  std::optional<SimTime> csirt_knew;   ///< the triage organisation's first knowledge of the asset
  std::optional<SimTime> crisis_knew;  ///< the crisis centre's first knowledge
  /// Hours from the true start to the CSIRT knowing; empty when there is no true start or the CSIRT
  /// never knew.
  std::optional<double> gap_h;
};

struct TimelineEntry {
  SimTime time;
  std::string category;         ///< "attack", "impact", "detection", "report", "triage", "escalation",
                                ///< "decision", "inject", "cell", "warning", "obligation", "containment",
                                ///< "note" (a live drill facilitator's note)
  std::string text;
};

struct ObligationRow {
  std::string regime;
  std::string obligation;
  std::string operator_name;
  SimTime started;
  SimTime due;
  std::string state;            ///< "met", "missed", "running"
  std::optional<SimTime> met_at;
};

struct CoverageSummary {
  std::vector<std::string> procedures_fired;        ///< "name (n instances)"
  std::vector<std::string> procedures_never_fired;
  std::vector<std::string> steps_completed;         ///< "procedure: step"
  std::vector<std::string> steps_never_fired;
  std::vector<std::string> steps_blocked;
  std::vector<std::string> steps_timed_out;
  std::optional<double> completed_fraction;
  struct StepRow {
    std::string procedure;
    std::string step;
    std::string org;            ///< performing organisation (short name)
    int started = 0;
    int completed = 0;
    int blocked = 0;
    int timed_out = 0;
  };
  std::vector<StepRow> steps;                       ///< every plan step, plan order
};

enum class CapabilityElement : std::uint8_t { planning, organisation, equipment, training, exercise };
[[nodiscard]] const char* capability_element_name(CapabilityElement e);

struct ImprovementItem {
  std::string capability;
  std::string issue;
  std::string corrective_action;
  CapabilityElement element = CapabilityElement::planning;
  std::string responsible;      ///< organisation name
  std::string start_date;       ///< "YYYY-MM-DD"
  std::string completion_date;  ///< "YYYY-MM-DD"
  std::string source;           ///< objective id, or "systemic"
};

struct Report {
  ReportOverview overview;
  ExecutiveSummary summary;
  std::vector<ObjectiveSection> objectives;
  /// A live drill's facilitator notes, in drill order (category "note"): observations the
  /// facilitator made in the room, shown with the objectives' observations.
  std::vector<TimelineEntry> facilitator_observations;
  std::vector<KnownVersusTrue> known_versus_true;
  std::vector<TimelineEntry> timeline;
  std::size_t timeline_total = 0;  ///< key events before the limit
  std::vector<ObligationRow> obligations;
  CoverageSummary coverage;
  std::vector<ImprovementItem> improvement_plan;
  std::string date_rule;           ///< the improvement-plan date rule, in words
  std::vector<ReportFigure> figures;
  std::string triage_org;          ///< name of the CSIRT that triaged
  std::string crisis_org;          ///< name of the crisis centre ("" when none)
};

/// Builds the report of a recorded run. Throws std::invalid_argument when the run holds no trace
/// records (a RunResult from run_scenario with keep_records = false).
[[nodiscard]] Report build_report(const RecordedRun& run, const ReportOptions& options = {});

/// HSEEP wording of a rating: "Performed without challenges", "Performed with some challenges",
/// "Performed with major challenges", "Unable to be performed".
[[nodiscard]] const char* rating_wording(Rating r);

/// Markdown (CommonMark + pipe tables). Every scenario string escaped.
[[nodiscard]] std::string to_markdown(const Report& report);

/// One self-contained HTML page (inline CSS for screen, projector and print). Every scenario string
/// escaped.
[[nodiscard]] std::string to_html(const Report& report);

/// The improvement plan as CSV (RFC 4180: comma-separated, CRLF line ends, a header row; text
/// cells quoted when needed and neutralised when formula-led, as the other CSV writers do
/// (csv.hpp)). Columns: Capability, Issue / area for improvement, Corrective action, Capability
/// element, Responsible organisation, Start, Completion, Source. One row per ImprovementItem, in
/// report order.
[[nodiscard]] std::string improvement_plan_csv(const Report& report);

/// Caption of a figure by its file name ("service-levels.png", "cascade-peak.png", "timeline.png"
/// from the viz library are placed in their sections; any other PNG goes to an appendix with its
/// file name as caption).
[[nodiscard]] std::string figure_caption(std::string_view file_name);

/// Escaping used by the renderers (exposed for tests).
[[nodiscard]] std::string html_escape(std::string_view text);
[[nodiscard]] std::string markdown_escape(std::string_view text);

}  // namespace cyberdrill
