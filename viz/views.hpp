// The figures, each drawn onto a Canvas from a recorded run (const: drawing changes nothing).
#pragma once

#include "canvas.hpp"
#include "cyberdrill/run_folder.hpp"
#include "cyberdrill/time.hpp"

namespace cyberdrill::viz {

/// Cascade map at `at`; with known_vs_true, ground truth (left) beside what the triage
/// organisation knew (right).
void draw_map(Canvas& canvas, const RecordedRun& run, SimTime at, bool known_vs_true);
/// Service level per sector over the run, with escalation and decision markers.
void draw_levels(Canvas& canvas, const RecordedRun& run);
/// Lane chart of the run's key events.
void draw_timeline(Canvas& canvas, const RecordedRun& run);

/// "Plan <name> · seed N" and friends, for figure subtitles.
[[nodiscard]] std::string run_subtitle(const RecordedRun& run);
/// 1234567 -> "1.23 M", 45600 -> "45.6 k", 950 -> "950".
[[nodiscard]] std::string format_people(double people);

}  // namespace cyberdrill::viz
