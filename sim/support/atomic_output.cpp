#include "cyberdrill/atomic_output.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include <string>
#include <system_error>

namespace cyberdrill {

namespace fs = std::filesystem;

fs::path without_trailing_separators(const fs::path& p) {
  fs::path d = p;
  while (!d.empty() && !d.has_filename() && d.has_relative_path()) d = d.parent_path();
  return d;
}

std::size_t remove_stale_partials(const fs::path& dir) {
  const fs::path d = without_trailing_separators(dir);
  const fs::path parent = d.has_parent_path() ? d.parent_path() : fs::path(".");
  std::size_t removed = 0;
  std::error_code ec;
  if (!fs::is_directory(parent, ec)) return 0;
  for (const std::string kind : {".partial-", ".old-"}) {
    const std::string prefix = "." + d.filename().string() + kind;
    for (fs::directory_iterator it(parent, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
      const std::string digits = name.substr(prefix.size());
      if (digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) continue;
      const auto pid = static_cast<pid_t>(std::stol(digits));
      // Only a folder whose process is gone (ESRCH) is stale; a live writer's folder is kept.
      if (pid <= 0 || pid == ::getpid() || ::kill(pid, 0) == 0 || errno != ESRCH) continue;
      std::error_code rm;
      if (fs::remove_all(it->path(), rm) > 0 && !rm) ++removed;
    }
  }
  return removed;
}

void write_folder_atomically(const fs::path& dir_in, const std::function<void(const fs::path& tmp)>& fill) {
  // "runs/x/" names the folder runs/x, not an empty name inside it.
  const fs::path dir = without_trailing_separators(dir_in);
  const fs::path parent = dir.has_parent_path() ? dir.parent_path() : fs::path(".");
  fs::create_directories(parent);
  remove_stale_partials(dir);
  const std::string stem = "." + dir.filename().string();
  const std::string pid = std::to_string(::getpid());
  const fs::path tmp = parent / (stem + ".partial-" + pid);
  fs::remove_all(tmp);
  fs::create_directories(tmp);
  try {
    fill(tmp);
    if (!fs::exists(dir)) {
      fs::rename(tmp, dir);
      return;
    }
    const fs::path old = parent / (stem + ".old-" + pid);
    fs::remove_all(old);
    fs::rename(dir, old);
    try {
      fs::rename(tmp, dir);
    } catch (...) {
      std::error_code ec;
      fs::rename(old, dir, ec);
      throw;
    }
    std::error_code ec;
    fs::remove_all(old, ec);
  } catch (...) {
    std::error_code ec;
    fs::remove_all(tmp, ec);
    throw;
  }
}

}  // namespace cyberdrill
