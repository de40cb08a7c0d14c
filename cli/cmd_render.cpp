// cyberdrill render: one after-action figure of a recorded run as a PNG (headless).
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "commands.hpp"
#include "cyberdrill/run_folder.hpp"
#include "cyberdrill/viz.hpp"
#include "open_run_folder.hpp"

namespace cyberdrill::cli {
namespace {

struct RenderArgs {
  std::string dir;
  std::string at = "peak";
  std::string out;
  std::string view = "map";
  std::string size = "1920x1080";
  bool verify = false;
};

/// "WxH" -> (W, H); throws UsageError.
std::pair<unsigned, unsigned> parse_size(const std::string& s) {
  const auto x = s.find('x');
  auto number = [&](const std::string& part) -> unsigned {
    if (part.empty() || part.size() > 5 || part.find_first_not_of("0123456789") != std::string::npos)
      throw UsageError("--size " + s + ": expected WIDTHxHEIGHT in pixels, e.g. 1920x1080");
    return static_cast<unsigned>(std::stoul(part));
  };
  if (x == std::string::npos) throw UsageError("--size " + s + ": expected WIDTHxHEIGHT in pixels, e.g. 1920x1080");
  const unsigned w = number(s.substr(0, x)), h = number(s.substr(x + 1));
  if (w < 320 || w > 7680 || h < 240 || h > 4320)
    throw UsageError("--size " + s + ": out of range (320x240 to 7680x4320)");
  return {w, h};
}

int render(const RenderArgs& a) {
  namespace fs = std::filesystem;
  // Arguments first (exit 2), before the folder is read or a display is looked for.
  const std::optional<viz::View> view = viz::view_from_name(a.view);
  if (!view) throw UsageError("--view " + a.view + ": unknown view; choose map, known-vs-true, levels, timeline or impact");
  std::optional<SimTime> at;
  if (a.at != "peak") {
    std::string err;
    at = try_parse_sim_time(a.at, &err);
    if (!at) throw UsageError("--at " + a.at + ": " + err + " (write T+hh:mm, e.g. T+04:30, or 'peak')");
    if (*at < SimTime::zero()) throw UsageError("--at " + a.at + ": before the start of the exercise (T+0)");
  }
  const auto [w, h] = parse_size(a.size);
  const fs::path out(a.out);
  if (out.extension() != ".png") throw UsageError("-o " + a.out + ": the file name must end in .png");
  if (!out.parent_path().empty() && !fs::is_directory(out.parent_path()))
    throw UsageError("-o " + a.out + ": folder " + out.parent_path().string() + " does not exist");
  if (!fs::is_directory(a.dir) || !fs::exists(fs::path(a.dir) / "manifest.json"))
    throw UsageError(a.dir + " is not a cyberdrill run folder (no manifest.json); make one with 'cyberdrill run'");

  spdlog::info("reading the run folder {}", a.dir);
  const RecordedRun run = open_run_folder(a.dir, a.verify);
  viz::RenderOptions o;
  o.view = *view;
  o.at = at ? *at : viz::peak_time(run);
  o.width = w;
  o.height = h;
  if (at && *at > run.result.end)
    spdlog::warn("--at {} is after the run's end ({}); showing the final state", a.at, format_sim_time(run.result.end));
  std::string why;
  if (!viz::ensure_display(&why)) throw std::runtime_error("cannot render: " + why);
  viz::render_png(run, o, out);
  spdlog::info("wrote {} ({} at {}, {}x{})", a.out, viz::view_name(o.view), format_sim_time(o.at), w, h);
  return Exit::ok;
}

}  // namespace

Action add_render(CLI::App& app) {
  auto args = std::make_shared<RenderArgs>();
  CLI::App* sub = app.add_subcommand("render", "Draw a figure of a recorded run as a PNG (cascade map, levels, timeline)");
  sub->footer(R"(
Views:
  map            the cascade at one moment: assets sized by people served, coloured by service level
                 (green 100% -> amber 50% -> red 0%, white cross = out of service), outlined when
                 compromised (purple) or contained (blue), over their dependencies
  known-vs-true  the same moment twice: ground truth beside what the triage organisation (CSIRT)
                 knew then (grey = not in its picture)
  levels         service level per sector over the whole run, escalations and decisions marked
  timeline       the key events in lanes: attacker, detection, reports, escalation, decisions,
                 injects, obligations met/missed, containment
  impact         people without each service class (and distinct people affected) and the
                 cumulative economic loss over the run, obligation deadlines and escalations marked
Timeline and impact put the first hours in detail when the action is there (a broken axis: the
rest of a multi-day run shaded and compressed, by the factor the caption gives).

The run is read from DIR alone (its composed scenario.json and trace; the scenario's original files
are not needed); --verify first re-simulates it and refuses a folder whose trace does not match
(exit 2). Rendering needs an X display: DISPLAY is used when it works, else a private Xvfb is
started (install it: apt-get install xvfb).

Examples:
  cyberdrill run scenarios/tutorial.json -o runs/tutorial
  cyberdrill render runs/tutorial --at T+03:30 -o map.png
  cyberdrill render runs/tutorial --at peak --view known-vs-true -o gap.png
  cyberdrill render runs/tutorial --view levels -o levels.png --size 1280x720
  cyberdrill render runs/tutorial --view timeline -o timeline.png)");
  sub->add_option("dir", args->dir, "Run folder written by 'cyberdrill run'")->required();
  sub->add_option("--at", args->at,
                  "Moment shown by map views: T+hh:mm (hours may exceed 24, e.g. T+30:00, or T+1d 06:00), "
                  "or 'peak' = the moment of peak population affected")
      ->default_str("peak");
  sub->add_option("-o,--out", args->out, "PNG file to write (replaced atomically)")->required();
  sub->add_option("--view", args->view, "map | known-vs-true | levels | timeline | impact")->default_str("map");
  sub->add_option("--size", args->size, "Picture size WIDTHxHEIGHT in pixels")->default_str("1920x1080");
  sub->add_flag("--verify", args->verify,
                "Re-simulate the folder's scenario with its seed and journal first; exit 2 when the trace does not match");
  return [args] { return render(*args); };
}

}  // namespace cyberdrill::cli
