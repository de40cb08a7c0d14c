#include "file_text.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <utility>

namespace cyberdrill::io {
namespace {

std::size_t page_size() {
  static const std::size_t size = [] {
    const long s = ::sysconf(_SC_PAGESIZE);
    return s > 0 ? static_cast<std::size_t>(s) : std::size_t{4096};
  }();
  return size;
}

}  // namespace

FileText::FileText(FileText&& o) noexcept
    : owned_(std::move(o.owned_)), map_(std::exchange(o.map_, nullptr)), map_size_(std::exchange(o.map_size_, 0)) {}

FileText& FileText::operator=(FileText&& o) noexcept {
  if (this != &o) {
    unmap();
    owned_ = std::move(o.owned_);
    map_ = std::exchange(o.map_, nullptr);
    map_size_ = std::exchange(o.map_size_, 0);
  }
  return *this;
}

FileText::~FileText() { unmap(); }

void FileText::unmap() {
  if (map_ != nullptr) ::munmap(const_cast<char*>(map_), map_size_);
  map_ = nullptr;
  map_size_ = 0;
}

bool FileText::read(const std::filesystem::path& path, std::uintmax_t announced) {
  unmap();
  owned_.clear();
  if (announced >= kMapFromBytes) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
      struct stat st {};
      if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && static_cast<std::uintmax_t>(st.st_size) == announced) {
        void* p = ::mmap(nullptr, static_cast<std::size_t>(announced), PROT_READ, MAP_PRIVATE, fd, 0);
        if (p != MAP_FAILED) {
          map_ = static_cast<const char*>(p);
          map_size_ = static_cast<std::size_t>(announced);
          ::madvise(p, map_size_, MADV_SEQUENTIAL);
        }
      }
      ::close(fd);
      if (map_ != nullptr) return true;
    }
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  // One read of the announced size, then whatever the file grew by (the caller bounds the size).
  owned_.resize(static_cast<std::size_t>(announced));
  in.read(owned_.data(), static_cast<std::streamsize>(announced));
  owned_.resize(static_cast<std::size_t>(in.gcount()));
  if (in) {
    std::ostringstream rest;
    rest << in.rdbuf();
    owned_ += rest.str();
  }
  return true;
}

void FileText::release(std::size_t from, std::size_t to) const {
  if (map_ == nullptr) return;
  const std::size_t page = page_size();
  to = std::min(to, map_size_);
  from = (from + page - 1) / page * page;  // whole pages only
  to = to / page * page;
  if (to > from) ::madvise(const_cast<char*>(map_) + from, to - from, MADV_DONTNEED);
}

void FileText::prefetch(std::size_t from, std::size_t to) const {
  if (map_ == nullptr) return;
  const std::size_t page = page_size();
  to = std::min(to, map_size_);
  from = from / page * page;
  if (to > from) {
#ifdef MADV_POPULATE_READ
    if (::madvise(const_cast<char*>(map_) + from, to - from, MADV_POPULATE_READ) == 0) return;
#endif
    ::madvise(const_cast<char*>(map_) + from, to - from, MADV_WILLNEED);
  }
}

}  // namespace cyberdrill::io
