// cyberdrill::viz — after-action figures of a recorded run, drawn with SFML into PNG files.
//
// Contract
//  - Drawing is a const function of recorded state: nothing here schedules events or changes a
//    world; the same run and options give the same picture.
//  - SFML needs an X display for OpenGL and aborts the process (uncatchably) without one. Every
//    function below that draws calls ensure_display() first and throws std::runtime_error with
//    its reason instead of letting SFML abort.
//  - PNG files are written atomically (a temporary file in the same folder, then rename): a
//    failed render leaves no partial file.
//  - Text from the scenario is drawn as text (clipped with an ellipsis when too long).
//  - Fonts: DejaVu Sans from fonts-dejavu-core (/usr/share/fonts/truetype/dejavu); a missing font
//    is a std::runtime_error naming the file and the package.
// No SFML type appears in this header.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cyberdrill/run_folder.hpp"
#include "cyberdrill/time.hpp"

namespace cyberdrill::viz {

/// Makes an X display available to SFML in this process. If DISPLAY is set and Xlib can connect
/// to it, that display is used. Otherwise a private `Xvfb -displayfd ... -nolisten tcp -screen 0
/// 1920x1080x24` is started (bounded wait of 15 s until it accepts connections), DISPLAY is set
/// to it for this process, and it is terminated at exit (and if this process dies). Idempotent
/// and thread-safe; call it from the main thread (the private server is tied to the calling
/// thread's lifetime). Returns false, with a reason in *why (may be nullptr) saying how to fix
/// it, when there is no display and no Xvfb (or Xvfb fails to start). The Xvfb binary is looked
/// up in PATH (and /usr/bin); the environment variable CYBERDRILL_XVFB, when set, names it instead.
[[nodiscard]] bool ensure_display(std::string* why);

/// In a build with AddressSanitizer only (CYBERDRILL_SANITIZE): the path of the Mesa DRI driver
/// that ensure_display() has loaded with RTLD_NODELETE, so that it stays mapped until exit even
/// after the GL stack dlclose()s it; empty when the build has no ASan or no driver was found.
/// Why: LeakSanitizer checks at exit; once the driver is unmapped, the blocks it holds through
/// its own globals are no longer reachable (reported as leaks) and their allocation frames print
/// as "<unknown module>", which no suppression by library name can match (docs/reliability.md).
/// Never changes what is drawn; a build without ASan does nothing here.
[[nodiscard]] std::string gl_driver_kept_loaded();

/// The figures `render` can draw.
enum class View : std::uint8_t {
  map,            ///< cascade map at a moment (ground truth)
  known_vs_true,  ///< cascade map at a moment: ground truth beside what the triage organisation knew
  levels,         ///< service level per sector over the whole run, with escalations and decisions
  timeline,       ///< lane chart of the key events of the run
  impact,         ///< people affected by service class and economic loss over the run
};
[[nodiscard]] const char* view_name(View v);
/// "map", "known-vs-true", "levels", "timeline", "impact"; nullopt for anything else.
[[nodiscard]] std::optional<View> view_from_name(std::string_view name);

struct RenderOptions {
  View view = View::map;
  SimTime at;                 ///< the moment shown by map and known_vs_true (ignored by the others)
  unsigned width = 1920;      ///< pixels, 320..7680
  unsigned height = 1080;     ///< pixels, 240..4320
};

/// Renders one figure of `run` into the PNG file `out` (its folder must exist). Throws
/// std::invalid_argument for a size out of range, std::runtime_error when no display can be
/// obtained, a font is missing or the file cannot be written.
void render_png(const RecordedRun& run, const RenderOptions& options, const std::filesystem::path& out);

/// The moment of peak population affected (sum of population x (1 - level) over assets, after
/// each instant settled; the first such moment); T+0 when nothing was ever affected.
[[nodiscard]] SimTime peak_time(const RecordedRun& run);

/// Renders the after-action figures of a recorded run into `dir` (created if missing):
/// "service-levels.png", "cascade-peak.png" (map at the moment of peak population affected,
/// known vs true), "timeline.png", "impact-curves.png". Returns the files written. Throws std::runtime_error when no
/// display can be obtained (message says how to fix: install xvfb or set DISPLAY).
std::vector<std::filesystem::path> render_report_figures(const RecordedRun& run, const std::filesystem::path& dir);

}  // namespace cyberdrill::viz
