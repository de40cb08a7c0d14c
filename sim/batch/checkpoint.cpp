// The checkpoint of an unfinished study: study.key + runs.csv (one encode_row line per completed
// run), appended with write(2) and made durable with fsync(2).
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>
#include <limits>
#include <fstream>
#include <sstream>

#include "cyberdrill/batch.hpp"
#include "cyberdrill/files.hpp"

namespace cyberdrill::batch {
namespace {

namespace fs = std::filesystem;

std::string read_all(const fs::path& p) {
  std::string s;
  if (!read_file(p, s)) s.clear();
  return s;
}

std::runtime_error system_error(const std::string& what, const fs::path& p) {
  return std::runtime_error(what + " " + p.string() + ": " + std::strerror(errno));
}

// Rows buffered before a write(2) between fsyncs: the buffer's size then does not depend on the
// run rate (rows of 2 s at about 2 KB each with the impact values).
constexpr std::size_t kBufferBytes = 256 * 1024;

void write_buffer(int fd, std::string& buffer, const fs::path& file) {
  std::size_t written = 0;
  while (written < buffer.size()) {
    const ssize_t n = ::write(fd, buffer.data() + written, buffer.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw system_error("cannot write", file);
    }
    written += static_cast<std::size_t>(n);
  }
  buffer.clear();
}

}  // namespace

namespace {

// Calls f(line) for every whole line of the checkpoint file (a trailing line without '\n', cut by
// a crash, is not whole); returns the length of the whole lines. Reads line by line, so resuming
// a large study does not hold the file in memory.
std::uint64_t for_each_line(const fs::path& file, std::uint64_t limit, const std::function<void(std::string_view)>& f) {
  std::ifstream in(file, std::ios::binary);
  std::string line;
  std::uint64_t complete = 0;
  while (complete < limit && std::getline(in, line)) {
    if (in.eof()) break;  // no '\n' after this line
    complete += line.size() + 1;
    if (complete > limit) break;
    f(line);
  }
  return std::min(complete, limit);
}

}  // namespace

Checkpoint::Checkpoint(fs::path dir, const Study& study, bool resume, std::chrono::milliseconds sync_every)
    : dir_(std::move(dir)), last_sync_(std::chrono::steady_clock::now()), sync_every_(sync_every), study_(&study) {
  const fs::path key_file = dir_ / "study.key";
  const fs::path rows_file = dir_ / "runs.csv";
  std::error_code ec;
  const bool existing = resume && fs::is_regular_file(key_file, ec) && fs::is_regular_file(rows_file, ec);
  if (existing) {
    std::string key = read_all(key_file);
    while (!key.empty() && (key.back() == '\n' || key.back() == '\r')) key.pop_back();
    if (key != study.key())
      throw StudyError(dir_.string() + " holds the checkpoint of a different study (scenario, variants, runs or seed "
                                       "differ); remove it, or run the same command to resume it");
    // Count the distinct valid rows (one bit per index); the rows themselves are re-read on demand.
    std::vector<bool> seen(study.total_runs());
    const std::uint64_t complete =
        for_each_line(rows_file, std::numeric_limits<std::uint64_t>::max(), [&](std::string_view line) {
          if (std::optional<RunRow> row = decode_row_or_null(study, line)) {
            const std::size_t index = static_cast<std::size_t>(row->variant) * study.runs + row->run;
            if (!seen[index]) {
              seen[index] = true;
              ++restored_;
            }
          }
        });
    restored_bytes_ = complete;
    fd_ = ::open(rows_file.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd_ < 0) throw system_error("cannot open", rows_file);
    if (::ftruncate(fd_, static_cast<off_t>(complete)) != 0 || ::lseek(fd_, 0, SEEK_END) < 0)
      throw system_error("cannot truncate", rows_file);
  } else {
    fs::remove_all(dir_, ec);
    fs::create_directories(dir_);
    write_file(key_file, study.key() + "\n");
    fd_ = ::open(rows_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) throw system_error("cannot create", rows_file);
  }
}

Checkpoint::~Checkpoint() {
  if (fd_ < 0) return;
  try {
    sync();
  } catch (...) {
    // A destructor must not throw; the rows not synced are simply run again on resume.
  }
  ::close(fd_);
}

std::vector<std::optional<RunRow>> Checkpoint::restored_rows() const {
  std::vector<std::optional<RunRow>> rows(study_->total_runs());
  if (restored_bytes_ == 0) return rows;
  for_each_line(dir_ / "runs.csv", restored_bytes_, [&](std::string_view line) {
    if (std::optional<RunRow> row = decode_row_or_null(*study_, line)) {
      const std::size_t index = static_cast<std::size_t>(row->variant) * study_->runs + row->run;
      if (!rows[index]) rows[index] = std::move(*row);
    }
  });
  return rows;
}

std::size_t Checkpoint::restore_into(RowStore& store) const {
  std::size_t n = 0;
  if (restored_bytes_ == 0) return n;
  for_each_line(dir_ / "runs.csv", restored_bytes_, [&](std::string_view line) {
    if (std::optional<RunRow> row = decode_row_or_null(*study_, line)) {
      const std::size_t index = static_cast<std::size_t>(row->variant) * study_->runs + row->run;
      if (!store.has(index)) {
        store.put(*row);
        ++n;
      }
    }
  });
  return n;
}

void Checkpoint::append(const RunRow& row) {
  buffer_ += encode_row(row);
  buffer_ += '\n';
  if (std::chrono::steady_clock::now() - last_sync_ >= sync_every_) sync();
  else if (buffer_.size() >= kBufferBytes && fd_ >= 0) write_buffer(fd_, buffer_, dir_ / "runs.csv");
}

void Checkpoint::sync() {
  if (fd_ < 0) return;
  write_buffer(fd_, buffer_, dir_ / "runs.csv");
  if (::fsync(fd_) != 0) throw system_error("cannot fsync", dir_ / "runs.csv");
  last_sync_ = std::chrono::steady_clock::now();
}

void Checkpoint::remove() {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  buffer_.clear();
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

}  // namespace cyberdrill::batch
