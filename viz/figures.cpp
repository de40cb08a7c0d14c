// Entry points of cyberdrill::viz: one figure to a PNG, and the after-action set.
#include <stdexcept>

#include "cyberdrill/viz.hpp"
#include "snapshot.hpp"
#include "views.hpp"

namespace cyberdrill::viz {

const char* view_name(View v) {
  switch (v) {
    case View::map: return "map";
    case View::known_vs_true: return "known-vs-true";
    case View::levels: return "levels";
    case View::timeline: return "timeline";
    case View::impact: return "impact";
  }
  return "";
}

std::optional<View> view_from_name(std::string_view name) {
  for (const View v : {View::map, View::known_vs_true, View::levels, View::timeline, View::impact})
    if (name == view_name(v)) return v;
  return std::nullopt;
}

SimTime peak_time(const RecordedRun& run) { return peak_population(run.scenario, run.result.records).at; }

void render_png(const RecordedRun& run, const RenderOptions& o, const std::filesystem::path& out) {
  if (o.width < 320 || o.width > 7680 || o.height < 240 || o.height > 4320)
    throw std::invalid_argument("figure size " + std::to_string(o.width) + "x" + std::to_string(o.height) +
                                " out of range (320x240 to 7680x4320)");
  Canvas canvas(o.width, o.height);
  switch (o.view) {
    case View::map: draw_map(canvas, run, o.at, false); break;
    case View::known_vs_true: draw_map(canvas, run, o.at, true); break;
    case View::levels: draw_levels(canvas, run); break;
    case View::timeline: draw_timeline(canvas, run); break;
    case View::impact: draw_impact(canvas, run); break;
  }
  canvas.save_png(out);
}

std::vector<std::filesystem::path> render_report_figures(const RecordedRun& run, const std::filesystem::path& dir) {
  std::string why;
  if (!ensure_display(&why)) throw std::runtime_error("cannot render the figures: " + why);
  std::filesystem::create_directories(dir);
  std::vector<std::filesystem::path> written;
  RenderOptions o;
  o.view = View::levels;
  render_png(run, o, dir / "service-levels.png");
  written.push_back(dir / "service-levels.png");
  o.view = View::known_vs_true;
  o.at = peak_time(run);
  render_png(run, o, dir / "cascade-peak.png");
  written.push_back(dir / "cascade-peak.png");
  o.view = View::timeline;
  render_png(run, o, dir / "timeline.png");
  written.push_back(dir / "timeline.png");
  o.view = View::impact;
  render_png(run, o, dir / "impact-curves.png");
  written.push_back(dir / "impact-curves.png");
  return written;
}

}  // namespace cyberdrill::viz
