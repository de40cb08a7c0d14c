#include "cyberdrill/atomic_output.hpp"

#include <unistd.h>

#include <string>
#include <system_error>

namespace cyberdrill {

namespace fs = std::filesystem;

void write_folder_atomically(const fs::path& dir, const std::function<void(const fs::path& tmp)>& fill) {
  const fs::path parent = dir.has_parent_path() ? dir.parent_path() : fs::path(".");
  fs::create_directories(parent);
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
