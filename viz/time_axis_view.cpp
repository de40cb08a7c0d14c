// The time axis of the charts (timeline, impact curves): grid lines, ticks and their labels, and
// for a broken axis (TimeAxis::broken) the tail shaded, a break mark where the scale changes and
// a caption saying by how much.
#include <cmath>
#include <cstdio>

#include "timeline.hpp"
#include "views.hpp"

namespace cyberdrill::viz {

float axis_x(const TimeAxis& axis, SimTime t, float px0, float px1) {
  return px0 + static_cast<float>(axis.fraction(t)) * (px1 - px0);
}

void draw_time_axis(Canvas& cv, const TimeAxis& axis, float px0, float px1, float py0, float py1, bool labels) {
  const float u = cv.u();
  const float xf = axis_x(axis, axis.focus_end, px0, px1);
  if (axis.broken()) cv.rect(xf, py0, px1 - xf, py1 - py0, Rgb{120, 124, 130, 22});
  const int focus_ticks = std::max(2, static_cast<int>((xf - px0) / (105 * u)));
  const int tail_ticks = std::max(1, static_cast<int>((px1 - xf) / (130 * u)));
  for (const TimeTick& t : axis.ticks(focus_ticks, tail_ticks)) {
    const float x = axis_x(axis, t.at, px0, px1);
    cv.line({x, py0}, {x, py1}, 1.0f * u, colours::grid);
    cv.line({x, py1}, {x, py1 + 6 * u}, 1.2f * u, colours::axis);
    if (labels) cv.text(t.label, x, py1 + 10 * u, 17 * u, colours::muted, false, Align::centre);
  }
  cv.line({px0, py1}, {px1, py1}, 1.5f * u, colours::axis);
  if (!labels) return;
  std::string caption = "Scenario time";
  if (axis.broken()) {
    // The break mark: two slanted strokes across the axis line where the scale changes.
    for (const float dx : {-4.0f * u, 4.0f * u})
      cv.line({xf + dx - 5 * u, py1 + 9 * u}, {xf + dx + 5 * u, py1 - 9 * u}, 2.2f * u, colours::text);
    char buf[160];
    std::snprintf(buf, sizeof buf, "Scenario time  \u00b7  first %s in detail; after the break (shaded) %.0f\u00d7 compressed",
                  tick_label(axis.focus_end).substr(2).c_str(), std::round(axis.compression()));
    caption = buf;
  }
  cv.text(caption, (px0 + px1) / 2, py1 + 40 * u, 17 * u, colours::muted, true, Align::centre);
}

}  // namespace cyberdrill::viz
