// ensure_display(): an X display for SFML's OpenGL, or a clear reason why there is none.
//
// SFML 2.5 aborts the process (uncatchably) when it touches OpenGL without an X display, so every
// renderer calls this first. An existing DISPLAY is used when Xlib can connect to it; otherwise a
// private Xvfb is started with -displayfd (the server picks a free display number and writes it
// once it accepts connections; no race between parallel processes; -noreset, because without
// it Xvfb 21.1 exited when the last client (our connection probe) left), DISPLAY is set for this
// process, and the server is terminated at exit. The server gets PR_SET_PDEATHSIG, so it also
// dies if this process is killed; that signal follows the *thread* that started it, so call
// ensure_display() from the main thread (the renderers of this library do, when called from it).
#include <X11/Xlib.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "cyberdrill/viz.hpp"

// Sanitizer builds only (CYBERDRILL_SANITIZE: gcc defines __SANITIZE_ADDRESS__, clang has
// __has_feature): keep the GL driver mapped until exit, see keep_gl_driver_loaded() below.
#if defined(__SANITIZE_ADDRESS__)
#define CYBERDRILL_VIZ_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CYBERDRILL_VIZ_ASAN 1
#endif
#endif
#ifdef CYBERDRILL_VIZ_ASAN
#include <dlfcn.h>
#endif

namespace cyberdrill::viz {
namespace {

bool can_open(const char* name) {
  Display* d = XOpenDisplay(name);
  if (d == nullptr) return false;
  XCloseDisplay(d);
  return true;
}

std::string find_in_path(const std::string& exe) {
  const char* path = std::getenv("PATH");
  std::string p = path != nullptr && *path != '\0' ? path : "/usr/local/bin:/usr/bin:/bin";
  p += ":/usr/bin";  // Debian's xvfb installs here even when PATH is minimal
  std::size_t start = 0;
  while (start <= p.size()) {
    const std::size_t end = std::min(p.find(':', start), p.size());
    const std::string dir = p.substr(start, end - start);
    if (!dir.empty()) {
      const std::string cand = dir + "/" + exe;
      if (::access(cand.c_str(), X_OK) == 0) return cand;
    }
    start = end + 1;
  }
  return {};
}

/// The private Xvfb: terminated when the process exits (static destruction).
struct PrivateServer {
  pid_t pid = -1;
  std::string display;
  ~PrivateServer() {
    if (pid > 0) {
      ::kill(pid, SIGTERM);
      int status = 0;
      ::waitpid(pid, &status, 0);
    }
  }
};

std::mutex g_mutex;

PrivateServer& server() {
  static PrivateServer s;
  return s;
}

/// Starts Xvfb; returns the display name (":N") or empty with `why` set.
std::string start_xvfb(const std::string& exe, pid_t* pid_out, std::string* why) {
  int fds[2];
  if (::pipe(fds) != 0) {
    *why = std::string("cannot create a pipe for Xvfb: ") + std::strerror(errno);
    return {};
  }
  ::fcntl(fds[0], F_SETFD, FD_CLOEXEC);
  // Xvfb's own complaints go to a log file we can quote on failure. The file is created by
  // mkostemps: an unpredictable name, O_EXCL, mode 0600, so nobody sharing the temporary folder
  // can plant a link there or read it (a pid-derived name could be pre-created as a symlink).
  std::string log = (std::filesystem::temp_directory_path() / "cyberdrill-xvfb-XXXXXX.log").string();
  const int log_fd = ::mkostemps(log.data(), 4, O_CLOEXEC);
  if (log_fd < 0) {
    *why = "cannot create a log file for Xvfb in " + std::filesystem::temp_directory_path().string() + ": " +
           std::strerror(errno);
    ::close(fds[0]), ::close(fds[1]);
    return {};
  }
  const std::string fd_arg = std::to_string(fds[1]);
  std::vector<std::string> args = {exe,      "-displayfd", fd_arg,    "-nolisten", "tcp",
                                   "-screen", "0",          "1920x1080x24", "-nocursor", "-noreset"};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    *why = std::string("cannot fork to start Xvfb: ") + std::strerror(errno);
    ::close(fds[0]), ::close(fds[1]), ::close(log_fd);
    std::remove(log.c_str());
    return {};
  }
  if (pid == 0) {
    // Child: async-signal-safe calls only until exec.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(127);
    const int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) ::dup2(devnull, 0);
    ::dup2(log_fd, 1), ::dup2(log_fd, 2);  // dup2 clears close-on-exec on the copies
    ::setsid();  // not in our process group: a terminal's Ctrl-C reaches us, and we end it
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  ::close(log_fd);
  std::string number;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  bool done = false;
  while (!done) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{fds[0], POLLIN, 0};
    const int rc = ::poll(&p, 1, static_cast<int>(left.count()));
    if (rc < 0 && errno == EINTR) continue;
    if (rc <= 0) break;
    char buf[32];
    const ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // EOF: the server exited
    for (ssize_t i = 0; i < n; ++i) {
      if (buf[i] == '\n') done = true;
      else if (buf[i] >= '0' && buf[i] <= '9') number += buf[i];
    }
  }
  ::close(fds[0]);
  if (!done || number.empty()) {
    ::kill(pid, SIGTERM);
    int status = 0;
    ::waitpid(pid, &status, 0);
    std::string tail;
    if (FILE* f = std::fopen(log.c_str(), "r")) {
      char line[512];
      while (std::fgets(line, sizeof line, f) != nullptr)
        if (line[0] != '\n') tail = line;
      std::fclose(f);
    }
    while (!tail.empty() && (tail.back() == '\n' || tail.back() == '\r')) tail.pop_back();
    *why = "Xvfb (" + exe + ") did not start within 15 s" + (tail.empty() ? "" : ": " + tail) +
           "; set DISPLAY to a running X server or check the xvfb installation";
    std::remove(log.c_str());
    return {};
  }
  std::remove(log.c_str());
  *pid_out = pid;
  return ":" + number;
}

std::string g_driver_kept;  // guarded by g_mutex

#ifdef CYBERDRILL_VIZ_ASAN
/// LeakSanitizer runs at exit, after the GL stack has dlclose()d the DRI driver (most likely when
/// SFML's static destructors close its X display; the unload itself is what the fix confirms).
/// With the driver unmapped, the blocks it still holds through its own globals (render-target-
/// sized buffers, screen state) are unreachable and reported as leaks, with frames printed as
/// "<unknown module>" that no suppression can match (google/sanitizers#89, #899). Loading the
/// driver first with RTLD_NODELETE keeps it mapped: its globals stay a root, and anything it does
/// leak is named after it (lsan-gl-x.supp).
/// The driver is the one Mesa's loader opens: MESA_LOADER_DRIVER_OVERRIDE or, under Xvfb,
/// "swrast", as NAME_dri.so in LIBGL_DRIVERS_PATH or the "dri" folder beside libX11 (the
/// multiarch library folder: /lib/x86_64-linux-gnu/dri on Debian 12), then /usr/lib64/dri and
/// /usr/lib/dri. Debian's gallium drivers are hard links of one file, which glibc maps once
/// whatever name opens it, so this also covers a hardware driver on a real DISPLAY.
/// Called with g_mutex held, once a display works and before anything touches OpenGL.
void keep_gl_driver_loaded() {
  static bool tried = false;
  if (tried) return;
  tried = true;
  std::vector<std::string> dirs;
  auto add_dirs = [&dirs](const std::string& list) {
    std::size_t start = 0;
    while (start <= list.size()) {
      const std::size_t end = std::min(list.find(':', start), list.size());
      if (end > start) dirs.push_back(list.substr(start, end - start));
      start = end + 1;
    }
  };
  if (const char* p = std::getenv("LIBGL_DRIVERS_PATH"); p != nullptr) add_dirs(p);
  Dl_info info{};
  if (::dladdr(reinterpret_cast<void*>(&XOpenDisplay), &info) != 0 && info.dli_fname != nullptr)
    dirs.push_back((std::filesystem::path(info.dli_fname).parent_path() / "dri").string());
  dirs.emplace_back("/usr/lib64/dri");
  dirs.emplace_back("/usr/lib/dri");
  std::vector<std::string> names;
  if (const char* o = std::getenv("MESA_LOADER_DRIVER_OVERRIDE"); o != nullptr && *o != '\0') names.emplace_back(o);
  names.emplace_back("swrast");
  for (const std::string& name : names)
    for (const std::string& dir : dirs) {
      const std::string path = dir + "/" + name + "_dri.so";
      if (::access(path.c_str(), R_OK) != 0) continue;
      if (::dlopen(path.c_str(), RTLD_NOW | RTLD_NODELETE) != nullptr) {
        g_driver_kept = path;  // never dlclose'd: RTLD_NODELETE would keep it anyway
        return;
      }
    }
}
#else
void keep_gl_driver_loaded() {}
#endif

}  // namespace

std::string gl_driver_kept_loaded() {
  std::lock_guard<std::mutex> lock(g_mutex);
  return g_driver_kept;
}

bool ensure_display(std::string* why) {
  std::string reason;
  std::lock_guard<std::mutex> lock(g_mutex);
  PrivateServer& s = server();
  if (s.pid > 0) {
    int status = 0;
    if (::waitpid(s.pid, &status, WNOHANG) == 0) {
      ::setenv("DISPLAY", s.display.c_str(), 1);
      keep_gl_driver_loaded();
      return true;
    }
    s.pid = -1;  // our server died; start another
  }
  const char* display = std::getenv("DISPLAY");
  if (display != nullptr && *display != '\0') {
    if (can_open(display)) {
      keep_gl_driver_loaded();
      return true;
    }
    reason = std::string("cannot open the X display DISPLAY=") + display;
  } else {
    reason = "no X display (DISPLAY is not set)";
  }
  // CYBERDRILL_XVFB names the Xvfb binary (tests use it to simulate a machine without one).
  const char* forced = std::getenv("CYBERDRILL_XVFB");
  const std::string exe = forced != nullptr && *forced != '\0'
                              ? (::access(forced, X_OK) == 0 ? std::string(forced) : std::string())
                              : find_in_path("Xvfb");
  if (exe.empty()) {
    if (why != nullptr)
      *why = reason + " and no Xvfb to start a private one; install it (apt-get install xvfb) or set DISPLAY "
                      "to a running X server";
    return false;
  }
  pid_t pid = -1;
  std::string err;
  const std::string name = start_xvfb(exe, &pid, &err);
  if (name.empty()) {
    if (why != nullptr) *why = reason + "; " + err;
    return false;
  }
  if (!can_open(name.c_str())) {
    ::kill(pid, SIGTERM);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (why != nullptr) *why = reason + "; the private Xvfb on " + name + " refuses connections";
    return false;
  }
  s.pid = pid;
  s.display = name;
  ::setenv("DISPLAY", name.c_str(), 1);
  keep_gl_driver_loaded();
  return true;
}

}  // namespace cyberdrill::viz
