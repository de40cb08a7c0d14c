// cyberdrill replay: the after-action window over a recorded run folder (a time scrubber, causal
// chains, known vs true, two runs on one clock), a still of it as PNG, or a video through ffmpeg.
#include <CLI/CLI.hpp>
#include <SFML/Graphics.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>

#include "canvas.hpp"
#include "commands.hpp"
#include "cyberdrill/run_folder.hpp"
#include "cyberdrill/viz.hpp"
#include "live_window.hpp"
#include "open_run_folder.hpp"
#include "replay_export.hpp"
#include "replay_window.hpp"

namespace cyberdrill::cli {
namespace {

struct ReplayArgs {
  std::string dir;
  std::string compare;
  std::string at = "T+00:00";
  std::string view = "true";
  std::string select;
  double speed = 0;  // 0: x600 in the window, the range in 60 s for --export
  std::string script;
  std::string png;
  std::string screenshot;
  std::string exported;
  unsigned fps = 30;
  std::string size = "1920x1080";
  std::string from = "T+00:00";
  std::string to = "end";
  unsigned max_fps = 60;
  bool verify = false;
};

SimTime parse_time(const std::string& opt, const std::string& s) {
  std::string err;
  const auto t = try_parse_sim_time(s, &err);
  if (!t) throw UsageError(opt + " " + s + ": " + err + " (write T+hh:mm, e.g. T+04:30)");
  if (*t < SimTime::zero()) throw UsageError(opt + " " + s + ": before the start of the exercise (T+0)");
  return *t;
}

std::pair<unsigned, unsigned> parse_size(const std::string& s) {
  const auto x = s.find('x');
  auto number = [&](const std::string& part) -> unsigned {
    if (part.empty() || part.size() > 5 || part.find_first_not_of("0123456789") != std::string::npos)
      throw UsageError("--size " + s + ": expected WIDTHxHEIGHT in pixels, e.g. 1280x720");
    return static_cast<unsigned>(std::stoul(part));
  };
  if (x == std::string::npos) throw UsageError("--size " + s + ": expected WIDTHxHEIGHT in pixels, e.g. 1280x720");
  const unsigned w = number(s.substr(0, x)), h = number(s.substr(x + 1));
  if (w < 320 || w > 3840 || h < 240 || h > 2160) throw UsageError("--size " + s + ": out of range (320x240 to 3840x2160)");
  return {w, h};
}

void check_folder(const std::string& dir) {
  if (!std::filesystem::is_directory(dir) || !std::filesystem::exists(std::filesystem::path(dir) / "manifest.json"))
    throw UsageError(dir + " is not a cyberdrill run folder (no manifest.json); make one with 'cyberdrill run'");
}

void check_out(const std::string& opt, const std::string& file, std::initializer_list<const char*> exts) {
  const std::filesystem::path p(file);
  if (std::none_of(exts.begin(), exts.end(), [&](const char* e) { return p.extension() == e; })) {
    std::string list;
    for (const char* e : exts) list += (list.empty() ? "" : " or ") + std::string(e);
    throw UsageError(opt + " " + file + ": the file name must end in " + list);
  }
  if (!p.parent_path().empty() && !std::filesystem::is_directory(p.parent_path()))
    throw UsageError(opt + " " + file + ": folder " + p.parent_path().string() + " does not exist");
}

// The interactive window: input, pacing and drawing, as the live drill's window does it.
void run_window(ReplayWindow& w, const std::vector<ScriptEntry>& script, unsigned max_fps,
                const std::string& screenshot) {
  using Clock = std::chrono::steady_clock;
  sf::ContextSettings settings;
  settings.antialiasingLevel = 0;
  sf::RenderWindow window(sf::VideoMode(1920, 1080), "cyberdrill replay", sf::Style::Default, settings);
  window.setVerticalSyncEnabled(max_fps > 0);
  viz::Canvas canvas(window, 1920, 1080);
  auto last = Clock::now(), next_frame = last;
  std::size_t scripted = 0;
  bool waiting = false;
  Clock::time_point wait_until{};
  while (window.isOpen()) {
    const auto frame_start = Clock::now();
    sf::Event e;
    bool quit = false;
    while (window.pollEvent(e)) {
      if (e.type == sf::Event::MouseButtonPressed || e.type == sf::Event::MouseButtonReleased ||
          e.type == sf::Event::MouseMoved) {
        // Window pixels to the canvas's 1920x1080 layout.
        const sf::Vector2u ws = window.getSize();
        int& x = e.type == sf::Event::MouseMoved ? e.mouseMove.x : e.mouseButton.x;
        int& y = e.type == sf::Event::MouseMoved ? e.mouseMove.y : e.mouseButton.y;
        x = static_cast<int>(static_cast<float>(x) * 1920.f / static_cast<float>(std::max(1u, ws.x)));
        y = static_cast<int>(static_cast<float>(y) * 1080.f / static_cast<float>(std::max(1u, ws.y)));
      }
      if (!w.handle(e)) quit = true;
    }
    if (waiting && frame_start >= wait_until) waiting = false;
    if (!quit && !waiting && scripted < script.size()) {
      const ScriptEntry& s = script[scripted++];
      if (s.wait_seconds >= 0) {
        waiting = true;
        wait_until = frame_start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s.wait_seconds));
      } else if (!w.handle(s.event)) {
        quit = true;
      }
    }
    if (quit) break;
    const auto now = Clock::now();
    w.tick(std::chrono::duration<double>(now - last).count());
    last = now;
    w.draw(canvas);
    window.display();
    if (max_fps > 0) {
      const auto period = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / max_fps));
      next_frame += period;
      const auto after = Clock::now();
      if (next_frame < after - 4 * period) next_frame = after;
      else std::this_thread::sleep_until(next_frame);
    }
  }
  if (!screenshot.empty()) {
    sf::Texture shot;
    if (shot.create(window.getSize().x, window.getSize().y)) {
      shot.update(window);
      if (!shot.copyToImage().saveToFile(screenshot)) throw std::runtime_error("cannot write " + screenshot);
    }
  }
  window.close();
}

int replay(const ReplayArgs& a) {
  // Arguments first (exit 2), before a folder is read or a display looked for.
  check_folder(a.dir);
  if (!a.compare.empty()) check_folder(a.compare);
  if (a.view != "true" && a.view != "known") throw UsageError("--view " + a.view + ": choose true or known");
  const SimTime at = parse_time("--at", a.at);
  if (a.speed < 0 || a.speed > 1e7) throw UsageError("--speed: simulated seconds per second, 1 to 10000000");
  std::vector<ScriptEntry> script;
  if (!a.script.empty()) {
    std::ifstream in(a.script, std::ios::binary);
    if (!in) throw UsageError("--script " + a.script + ": cannot read it");
    std::ostringstream text;
    text << in.rdbuf();
    try {
      script = parse_key_script(text.str());
    } catch (const std::runtime_error& e) {
      throw UsageError("--script " + a.script + ": " + e.what());
    }
  }
  if (!a.png.empty()) check_out("--png", a.png, {".png"});
  if (!a.screenshot.empty()) check_out("--screenshot", a.screenshot, {".png"});
  std::string ffmpeg;
  ReplayExportOptions ex;
  if (!a.exported.empty()) {
    check_out("--export", a.exported, {".mp4", ".gif"});
    if (a.fps < 1 || a.fps > 120) throw UsageError("--fps " + std::to_string(a.fps) + ": 1 to 120 frames a second");
    std::tie(ex.width, ex.height) = parse_size(a.size);
    if (std::filesystem::path(a.exported).extension() == ".mp4" && (ex.width % 2 != 0 || ex.height % 2 != 0))
      throw UsageError("--size " + a.size + ": an MP4 (yuv420p) needs an even width and height");
    ffmpeg = find_ffmpeg();
    if (ffmpeg.empty())
      throw UsageError("--export needs ffmpeg, which is not in PATH: install the Debian package ffmpeg "
                       "(sudo apt-get install ffmpeg)");
  }

  spdlog::info("reading the run folder {}", a.dir);
  const RecordedRun run = open_run_folder(a.dir, a.verify);
  std::optional<RecordedRun> other;
  if (!a.compare.empty()) {
    spdlog::info("reading the run folder {} (--compare)", a.compare);
    other = open_run_folder(a.compare, a.verify);
  }
  ReplayWindow w(run, other ? &*other : nullptr);
  w.set_view(a.view == "known" ? ReplayView::known : ReplayView::truth);
  if (!a.select.empty()) {
    Index found = kNone;
    for (Index i = 0; i < run.scenario.assets.size(); ++i)
      if (run.scenario.assets[i].id == a.select) found = i;
    if (found == kNone) throw UsageError("--select " + a.select + ": no such asset in " + a.dir);
    w.select(0, found);
  }
  if (at > w.end())
    spdlog::warn("--at {} is after the run's end ({}); starting at the end", a.at, format_sim_time(w.end()));
  w.seek(at);
  std::string why;

  if (!a.exported.empty()) {
    ex.out = a.exported;
    ex.fps = a.fps;
    ex.from = parse_time("--from", a.from);
    ex.to = a.to == "end" ? w.end() : parse_time("--to", a.to);
    if (ex.to <= ex.from) throw UsageError("--to " + a.to + ": must be after --from " + a.from);
    ex.speed = a.speed > 0 ? a.speed : std::max(1.0, static_cast<double>((ex.to - ex.from).us()) / 1e6 / 60.0);
    spdlog::info("exporting {} ({}x{}, {} fps, {} .. {}, x{:g}: {} frames)", ex.out.string(), ex.width, ex.height,
                 ex.fps, format_sim_time(ex.from), format_sim_time(ex.to), ex.speed, replay_frame_count(ex));
    const std::size_t frames = export_replay(w, ffmpeg, ex);
    spdlog::info("wrote {} ({} frames)", ex.out.string(), frames);
    return Exit::ok;
  }
  if (!viz::ensure_display(&why)) throw std::runtime_error("no display for the replay: " + why);
  if (!a.png.empty()) {
    viz::Canvas canvas(1920, 1080);
    w.draw(canvas);
    canvas.save_png(a.png);
    spdlog::info("wrote {} (the replay at {})", a.png, format_sim_time(w.now()));
    return Exit::ok;
  }
  if (a.speed > 0) w.set_speed(a.speed);
  run_window(w, script, a.max_fps, a.screenshot);
  return Exit::ok;
}

}  // namespace

Action add_replay(CLI::App& app) {
  auto args = std::make_shared<ReplayArgs>();
  CLI::App* sub = app.add_subcommand("replay", "After-action replay of a recorded run: scrubber, causal chains, video export");
  sub->footer(R"(
The window (1920x1080, the live drill's look) shows the run at one moment: the cascade map, the
escalation level and people affected, the key events up to then, and at the bottom a scrubber
with the marks of injects (blue), decisions (green), escalations (purple) and outages (red) over
the number of assets below full service.

Keys: space play/pause · F1-F4 speed x60, x600, x3600, x21600 · n/p next/previous event ·
i d e o next inject, decision, escalation, outage · r back to T+0 · z scrubber over the action
only / the whole run · v true state / what the national level knew · c close the chain panel ·
h help · q quit.
Mouse: click a tile for its causal chain (why it failed: the attack step or supplier outage that
started it and each dependency hop with its time and buffer; why it came back: the plan step or
repair that restored it); click or drag on the scrubber to move the clock; click the banner
(top right) to switch the view.

--compare DIR_B puts a second run beside the first on one clock (two plans, or a drill and its
counterfactual). The run is read from DIR alone; --verify first re-simulates it.

--export FILE.mp4|FILE.gif writes a video through ffmpeg (Debian package ffmpeg) instead of
opening a window; it needs no display (a private Xvfb is started, as for render). Frame count:
(--to - --from) / --speed x --fps. Without --speed the range lasts 60 s of video.

Examples:
  cyberdrill run scenarios/belgium/grid-blackout.json -o runs/flagship
  cyberdrill replay runs/flagship
  cyberdrill replay runs/flagship --at T+07:00 --select dso-liege --png why.png
  cyberdrill run scenarios/belgium/grid-blackout.json --plan scenarios/belgium/plan-2017.json -o runs/plan2017
  cyberdrill replay runs/flagship --compare runs/plan2017
  cyberdrill replay runs/flagship --export flagship.mp4 --to T+24:00
  cyberdrill replay runs/flagship --export first-hours.gif --from T+05:00 --to T+10:00 --speed 1800 --fps 10 --size 960x540)");
  sub->add_option("dir", args->dir, "Run folder written by 'cyberdrill run' or 'cyberdrill live'")->required();
  sub->add_option("--compare", args->compare, "A second run folder shown beside the first on the same clock");
  sub->add_option("--at", args->at, "Start at this moment, T+hh:mm")->default_str("T+00:00");
  sub->add_option("--view", args->view, "true (ground truth) | known (what the national level knew)")->default_str("true");
  sub->add_option("--select", args->select, "Open the causal chain of this asset id (of DIR) from the start");
  sub->add_option("--speed", args->speed,
                  "Simulated seconds per second: window playback (default 600), export (default: the range in 60 s)");
  sub->add_option("--script", args->script, "Window: a key script played first (the format of 'live --script')");
  sub->add_option("--png", args->png, "Draw the screen at --at into this PNG (no window) and exit");
  sub->add_option("--screenshot", args->screenshot, "Window: save the last frame as PNG when it closes");
  sub->add_option("--max-fps", args->max_fps, "Window: frame rate cap (0: none)")->default_str("60");
  sub->add_option("--export", args->exported, "Write a video (.mp4 or .gif) through ffmpeg instead of opening a window");
  sub->add_option("--fps", args->fps, "Export: frames per second of video")->default_str("30");
  sub->add_option("--size", args->size, "Export: WIDTHxHEIGHT in pixels")->default_str("1920x1080");
  sub->add_option("--from", args->from, "Export: first simulated moment, T+hh:mm")->default_str("T+00:00");
  sub->add_option("--to", args->to, "Export: last simulated moment, T+hh:mm, or 'end' (the run's end)")->default_str("end");
  sub->add_flag("--verify", args->verify,
                "Re-simulate each folder's scenario with its seed and journal first; exit 2 when a trace does not match");
  return [args] { return replay(*args); };
}

}  // namespace cyberdrill::cli
