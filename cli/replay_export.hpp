// `cyberdrill replay DIR --export FILE`: the replay window's frames drawn off-screen and piped as
// raw RGBA to ffmpeg, which writes an MP4 (H.264, yuv420p) or an animated GIF (palette per clip).
//
// Contract
//  - ffmpeg is started with an argument vector (posix_spawn, never a shell) and found in PATH
//    (find_ffmpeg); without it the CLI exits 2 naming the Debian package (ffmpeg).
//  - Frame k shows the simulated time from + k x speed / fps (k = 0 .. frames - 1), where
//    frames = max(1, round((to - from) / speed x fps)): `speed` simulated seconds per second of
//    video. The video has exactly that many frames at `fps`.
//  - The file appears complete or not at all: ffmpeg writes a temporary file beside it, renamed
//    onto `out` once ffmpeg exited 0; on any failure the temporary file is removed.
//  - Progress on stderr (a bar redrawn in place) unless `progress` is false.
//  - Needs a display for OpenGL (viz::ensure_display: DISPLAY or a private Xvfb), not a window.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "cyberdrill/time.hpp"
#include "replay_window.hpp"

namespace cyberdrill::cli {

struct ReplayExportOptions {
  std::filesystem::path out;  ///< .mp4 or .gif
  unsigned fps = 30;
  unsigned width = 1920, height = 1080;
  SimTime from, to;       ///< the simulated time range shown
  double speed = 600;     ///< simulated seconds per second of video
  bool progress = true;
};

/// max(1, round((to - from) / speed x fps)).
[[nodiscard]] std::size_t replay_frame_count(const ReplayExportOptions& o);
/// The absolute path of an executable `ffmpeg` in PATH, or "" when there is none.
[[nodiscard]] std::string find_ffmpeg();
/// The argument vector ffmpeg is started with (argv[0] = `ffmpeg`), writing `file`.
[[nodiscard]] std::vector<std::string> ffmpeg_arguments(const std::string& ffmpeg, const ReplayExportOptions& o,
                                                        const std::filesystem::path& file);
/// Draws every frame of `o` with `window` (its clock is moved; view and selection are kept) and
/// pipes them to ffmpeg. Throws std::runtime_error (ffmpeg missing or failing, no display).
/// Returns the number of frames written.
std::size_t export_replay(ReplayWindow& window, const std::string& ffmpeg, const ReplayExportOptions& o);

}  // namespace cyberdrill::cli
