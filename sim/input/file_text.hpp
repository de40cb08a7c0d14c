// The bytes of one scenario file, read for parsing and kept for the diagnostics' positions.
// Private to sim/input.
//
// A large file (kMapFromBytes and up) is mapped read-only (MAP_PRIVATE) instead of copied into a
// std::string: no zero-fill and no copy of 10^6-asset files (hundreds of MB), and its pages can be
// given back while the parser moves on (release(): the bytes stay readable, a later read brings
// them back from the file). Smaller files, and anything mmap refuses, are read into a string.
//
// Contract
//  - view() is the file's bytes as read; it never changes while the FileText lives, except that
//    a mapped file modified or truncated by another process while we run is seen as it now is
//    (a read of a mapped page past a truncated end raises SIGBUS: the same hazard as any mmap).
//  - release(from, to) only affects memory residency, never the bytes seen through view().
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace cyberdrill::io {

class FileText {
 public:
  /// Files of at least this size are mapped rather than read (16 MiB: far above any hand-written
  /// scenario, so the exercises keep the plain read path).
  static constexpr std::size_t kMapFromBytes = std::size_t{16} << 20;

  FileText() = default;
  FileText(std::string text) : owned_(std::move(text)) {}  // NOLINT: a text is a FileText
  FileText(const FileText&) = delete;
  FileText& operator=(const FileText&) = delete;
  FileText(FileText&& o) noexcept;
  FileText& operator=(FileText&& o) noexcept;
  ~FileText();

  /// Reads `path`, whose size was `announced` bytes a moment ago: maps it when it is large and
  /// its size has not changed, else reads it (with whatever it grew by). False when unreadable.
  bool read(const std::filesystem::path& path, std::uintmax_t announced);

  [[nodiscard]] std::string_view view() const { return map_ != nullptr ? std::string_view(map_, map_size_) : owned_; }
  operator std::string_view() const { return view(); }  // NOLINT: used where a text is
  [[nodiscard]] std::size_t size() const { return view().size(); }
  [[nodiscard]] const char* data() const { return view().data(); }
  [[nodiscard]] const char* begin() const { return data(); }
  [[nodiscard]] const char* end() const { return data() + size(); }
  [[nodiscard]] bool mapped() const { return map_ != nullptr; }

  /// Gives back the resident pages wholly inside bytes [from, to) of a mapped file (no effect on
  /// a read one); reading them again later faults them back in from the file.
  void release(std::size_t from, std::size_t to) const;
  /// Asks the kernel to read bytes [from, to) of a mapped file in now (one call instead of a page
  /// fault every few pages); no effect on a read one.
  void prefetch(std::size_t from, std::size_t to) const;

 private:
  void unmap();
  std::string owned_;
  const char* map_ = nullptr;
  std::size_t map_size_ = 0;
};

}  // namespace cyberdrill::io
