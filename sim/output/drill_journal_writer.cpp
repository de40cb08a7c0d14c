// Writing drill journals (include/cyberdrill/drill_journal.hpp): one JSON line per facilitator
// action, appended and flushed as it happens. The reader is sim/input/drill_journal_reader.cpp.
#include "cyberdrill/drill_journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "cyberdrill/time.hpp"

namespace cyberdrill {
namespace {

namespace fs = std::filesystem;
using ojson = nlohmann::ordered_json;

std::string dump(const ojson& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

const char* kind_name(DrillAction::Kind k) {
  switch (k) {
    case DrillAction::Kind::decide: return "decide";
    case DrillAction::Kind::inject: return "inject";
    case DrillAction::Kind::note: return "note";
  }
  return "note";
}

}  // namespace

std::string drill_action_json(const DrillAction& a) {
  ojson j;
  j["t"] = format_sim_time(a.time);
  j["us"] = a.time.us();
  if (a.event) j["event"] = *a.event;
  j["action"] = kind_name(a.kind);
  switch (a.kind) {
    case DrillAction::Kind::decide:
      j["decision"] = a.decision;
      j["option"] = a.option;
      j["who"] = a.who;
      break;
    case DrillAction::Kind::inject: j["inject"] = a.inject; break;
    case DrillAction::Kind::note: j["text"] = a.text; break;
  }
  return dump(j);
}

DrillJournalWriter DrillJournalWriter::create(const fs::path& file, const DrillJournalHeader& header) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("cannot create drill journal " + file.string() + ": " + std::strerror(errno));
  DrillJournalWriter w(file, fd);
  ojson j;
  j["cyberdrill_drill"] = 1;
  j["scenario"] = header.scenario_path;
  j["scenario_hash"] = header.scenario_hash;
  j["seed"] = header.seed;
  w.write_line(dump(j));
  return w;
}

DrillJournalWriter DrillJournalWriter::resume(const fs::path& file, std::uintmax_t valid_bytes) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error("cannot open drill journal " + file.string() + ": " + std::strerror(errno));
  DrillJournalWriter w(file, fd);
  if (::ftruncate(fd, static_cast<off_t>(valid_bytes)) != 0 || ::lseek(fd, 0, SEEK_END) < 0 || ::fsync(fd) != 0)
    throw std::runtime_error("cannot continue drill journal " + file.string() + ": " + std::strerror(errno));
  return w;
}

DrillJournalWriter::DrillJournalWriter(DrillJournalWriter&& o) noexcept : path_(std::move(o.path_)), fd_(o.fd_) {
  o.fd_ = -1;
}
DrillJournalWriter& DrillJournalWriter::operator=(DrillJournalWriter&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    path_ = std::move(o.path_);
    fd_ = o.fd_;
    o.fd_ = -1;
  }
  return *this;
}
DrillJournalWriter::~DrillJournalWriter() {
  if (fd_ >= 0) ::close(fd_);
}

void DrillJournalWriter::append(const DrillAction& action) { write_line(drill_action_json(action)); }

void DrillJournalWriter::write_line(const std::string& line) {
  const std::string buf = line + "\n";
  std::size_t done = 0;
  while (done < buf.size()) {
    const ssize_t w = ::write(fd_, buf.data() + done, buf.size() - done);
    if (w < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("cannot write drill journal " + path_.string() + ": " + std::strerror(errno));
    }
    done += static_cast<std::size_t>(w);
  }
  if (::fsync(fd_) != 0)
    throw std::runtime_error("cannot sync drill journal " + path_.string() + ": " + std::strerror(errno));
}

}  // namespace cyberdrill
