// The figures, each drawn onto a Canvas from a recorded run (const: drawing changes nothing).
#pragma once

#include <vector>

#include "canvas.hpp"
#include "cyberdrill/run_folder.hpp"
#include "cyberdrill/time.hpp"

namespace cyberdrill::viz {

/// Cascade map at `at`; with known_vs_true, ground truth (left) beside what the triage
/// organisation knew (right).
/// `drawn_labels` (optional) receives the box of every label drawn on the map panels (asset
/// labels and the data credits), in canvas pixels: no two intersect.
struct Box;
void draw_map(Canvas& canvas, const RecordedRun& run, SimTime at, bool known_vs_true,
              std::vector<Box>* drawn_labels = nullptr);
/// Service level per sector over the run, with escalation and decision markers.
void draw_levels(Canvas& canvas, const RecordedRun& run);
/// Lane chart of the run's key events.
void draw_timeline(Canvas& canvas, const RecordedRun& run);

/// People affected by service class and economic loss over the run, with the obligations'
/// deadlines and the escalations marked (impact_series.hpp).
void draw_impact(Canvas& canvas, const RecordedRun& run);

struct TimeAxis;
/// x of `t` on `axis` drawn from px0 to px1.
[[nodiscard]] float axis_x(const TimeAxis& axis, SimTime t, float px0, float px1);
/// Grid lines over [py0, py1], ticks below py1 (labelled when `labels`), the axis line, and for a
/// broken axis the shaded tail, the break mark and a caption naming the compression.
void draw_time_axis(Canvas& canvas, const TimeAxis& axis, float px0, float px1, float py0, float py1, bool labels);

/// "Plan <name> · seed N" and friends, for figure subtitles.
[[nodiscard]] std::string run_subtitle(const RecordedRun& run);
/// 1234567 -> "1.23 M", 45600 -> "45.6 k", 950 -> "950".
[[nodiscard]] std::string format_people(double people);

}  // namespace cyberdrill::viz
