#include "replay_export.hpp"

#include <SFML/Graphics.hpp>

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "canvas.hpp"
#include "cyberdrill/viz.hpp"

extern char** environ;

namespace cyberdrill::cli {
namespace {

// Restores SIGPIPE's disposition at scope exit (a dead ffmpeg makes write() fail with EPIPE
// instead of killing us).
struct IgnoreSigpipe {
  struct sigaction old {};
  IgnoreSigpipe() {
    struct sigaction ign {};
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    ::sigaction(SIGPIPE, &ign, &old);
  }
  ~IgnoreSigpipe() { ::sigaction(SIGPIPE, &old, nullptr); }
  IgnoreSigpipe(const IgnoreSigpipe&) = delete;
  IgnoreSigpipe& operator=(const IgnoreSigpipe&) = delete;
};

bool write_all(int fd, const std::uint8_t* p, std::size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

void progress_bar(std::size_t done, std::size_t total, SimTime t) {
  constexpr int kWidth = 30;
  const int filled = static_cast<int>(static_cast<double>(done) / static_cast<double>(total) * kWidth);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.resize(kWidth, '-');
  std::fprintf(stderr, "\rexporting [%s] %3.0f%%  %zu/%zu frames  %s   ", bar.c_str(),
               100.0 * static_cast<double>(done) / static_cast<double>(total), done, total,
               format_sim_time(SimTime::from_us(t.us() / 60'000'000 * 60'000'000)).c_str());
  std::fflush(stderr);
}

}  // namespace

std::size_t replay_frame_count(const ReplayExportOptions& o) {
  const double seconds = static_cast<double>((o.to - o.from).us()) / 1e6 / o.speed;
  return static_cast<std::size_t>(std::max(1.0, std::round(seconds * o.fps)));
}

std::string find_ffmpeg() {
  const char* path = std::getenv("PATH");
  std::string p = path != nullptr ? path : "";
  std::size_t from = 0;
  while (from <= p.size()) {
    std::size_t to = p.find(':', from);
    if (to == std::string::npos) to = p.size();
    const std::string dir = to > from ? p.substr(from, to - from) : ".";
    const std::string cand = dir + "/ffmpeg";
    struct stat st {};
    if (::stat(cand.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(cand.c_str(), X_OK) == 0) return cand;
    from = to + 1;
  }
  return {};
}

std::vector<std::string> ffmpeg_arguments(const std::string& ffmpeg, const ReplayExportOptions& o,
                                          const std::filesystem::path& file) {
  std::vector<std::string> a = {ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
                                "-f", "rawvideo", "-pix_fmt", "rgba",
                                "-video_size", std::to_string(o.width) + "x" + std::to_string(o.height),
                                "-framerate", std::to_string(o.fps), "-i", "pipe:0"};
  if (o.out.extension() == ".gif") {
    // One palette for the clip (the screen has few colours), ordered dithering, loop forever.
    a.insert(a.end(), {"-vf", "split[a][b];[a]palettegen=stats_mode=diff[p];[b][p]paletteuse=dither=bayer:bayer_scale=4",
                       "-loop", "0", "-f", "gif"});
  } else {
    a.insert(a.end(), {"-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p",
                       "-movflags", "+faststart", "-f", "mp4"});
  }
  a.push_back(file.string());
  return a;
}

std::size_t export_replay(ReplayWindow& window, const std::string& ffmpeg, const ReplayExportOptions& o) {
  namespace fs = std::filesystem;
  std::string why;
  if (!viz::ensure_display(&why)) throw std::runtime_error("cannot draw the frames: " + why);
  viz::Canvas canvas(o.width, o.height, 0);
  const std::size_t frames = replay_frame_count(o);
  const fs::path tmp = o.out.parent_path() /
                       (o.out.stem().string() + ".partial-" + std::to_string(::getpid()) + o.out.extension().string());
  const std::vector<std::string> args = ffmpeg_arguments(ffmpeg, o, tmp);
  std::vector<char*> argv;
  for (const std::string& s : args) argv.push_back(const_cast<char*>(s.c_str()));
  argv.push_back(nullptr);

  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[0], 0);  // dup2 clears close-on-exec on fd 0
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, ffmpeg.c_str(), &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  ::close(fds[0]);
  if (rc != 0) {
    ::close(fds[1]);
    throw std::runtime_error("cannot start " + ffmpeg + ": " + std::strerror(rc));
  }
  bool ok = true;
  window.set_speed(o.speed);  // the top bar shows the video's pace
  window.set_playing(true);
  {
    IgnoreSigpipe guard;
    const double step_us = o.speed / o.fps * 1e6;
    for (std::size_t k = 0; k < frames && ok; ++k) {
      const SimTime t = std::min(o.to, o.from + Duration::from_us(std::llround(static_cast<double>(k) * step_us)));
      window.seek(t);
      window.draw(canvas);
      const sf::Image img = canvas.target().getTexture().copyToImage();
      ok = write_all(fds[1], img.getPixelsPtr(), static_cast<std::size_t>(o.width) * o.height * 4);
      if (o.progress && (k + 1 == frames || (k * 100 / frames) != ((k + 1) * 100 / frames))) progress_bar(k + 1, frames, t);
    }
    ::close(fds[1]);
  }
  if (o.progress) std::fputc('\n', stderr);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  const bool exited_ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (!ok || !exited_ok) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw std::runtime_error("ffmpeg failed writing " + o.out.string() +
                             (WIFEXITED(status) ? " (exit " + std::to_string(WEXITSTATUS(status)) + ")"
                                                : std::string(" (killed)")) +
                             "; its messages are above");
  }
  fs::rename(tmp, o.out);
  return frames;
}

}  // namespace cyberdrill::cli
