// Distributing a study over MPI ranks (only with CYBERDRILL_WITH_MPI): dynamic work sharing. A
// worker rank asks rank 0 for the next block of (variant, run) indices, sending the rows of its
// previous block with the request as checkpoint lines (encode_row, an exact round trip); rank 0
// hands out blocks, runs blocks of its own on a second thread, and stores every row in its slot,
// so rank 0 holds exactly the rows a threaded run would have, whichever rank ran which block.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <limits>
#include <stdexcept>
#include <thread>

#include "cyberdrill/batch.hpp"

#ifdef CYBERDRILL_WITH_MPI
#include <mpi.h>
#endif

namespace cyberdrill::batch {

bool built_with_mpi() {
#ifdef CYBERDRILL_WITH_MPI
  return true;
#else
  return false;
#endif
}

#ifdef CYBERDRILL_WITH_MPI

MpiSession::MpiSession() {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (initialized != 0) throw std::runtime_error("MPI is already initialised in this process");
  int provided = 0;
  if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
    throw std::runtime_error("MPI_Init_thread failed");
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiSession::~MpiSession() { MPI_Finalize(); }

namespace {

constexpr int kTagRequest = 1;  // worker -> rank 0: the rows of its last block (or "!error"), asking for more
constexpr int kTagAssign = 2;   // rank 0 -> worker: {first, count} of the next block; count 0 = no more

// Runs of one block: large enough that a request costs little against the runs, small enough that
// the last blocks balance the ranks (16 blocks per rank when there are enough runs).
std::size_t block_size(std::size_t total, int size) {
  return std::clamp<std::size_t>(total / (static_cast<std::size_t>(size) * 16), 1, 32);
}

std::string encode_block(const std::vector<std::optional<RunRow>>& rows, std::size_t first, std::size_t count) {
  std::string payload;
  for (std::size_t i = first; i < first + count; ++i) {
    if (!rows[i]) continue;  // a run stopped by --max-wall-per-run: its slot stays empty
    payload += encode_row(*rows[i]);
    payload += '\n';
  }
  return payload;
}

}  // namespace

void MpiSession::execute(const Study& study, std::vector<std::optional<RunRow>>& rows, ExecuteOptions options) const {
  const std::size_t total = study.total_runs();
  if (rows.size() != total) throw std::invalid_argument("MPI: rows has the wrong number of slots");
  // Every rank must answer until rank 0 says there is no more: no partial stops under MPI.
  options.indices.clear();
  options.stop_after = 0;
  options.cancel = nullptr;
  const std::size_t block = block_size(total, size_);
  auto local_options = [&](std::size_t first, std::size_t count) {
    ExecuteOptions o = options;
    o.on_progress = nullptr;
    o.indices.resize(count);
    for (std::size_t k = 0; k < count; ++k) o.indices[k] = first + k;
    return o;
  };

  if (rank_ != 0) {
    // A worker: ask for a block (sending the rows of the previous one), run it, until told to stop.
    std::string payload, local_error;
    while (true) {
      if (payload.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        payload = "!rank " + std::to_string(rank_) + ": more than 2 GiB of rows in one block\n";
      MPI_Send(payload.data(), static_cast<int>(payload.size()), MPI_CHAR, 0, kTagRequest, MPI_COMM_WORLD);
      unsigned long long assign[2] = {0, 0};
      // Wait for the answer without spinning: Open MPI's blocking receive busy-polls, which on a
      // machine with as many ranks as cores takes a core from rank 0's runs and its answers.
      MPI_Request request = MPI_REQUEST_NULL;
      MPI_Irecv(assign, 2, MPI_UNSIGNED_LONG_LONG, 0, kTagAssign, MPI_COMM_WORLD, &request);
      for (int arrived = 0;;) {
        MPI_Test(&request, &arrived, MPI_STATUS_IGNORE);
        if (arrived) break;
        std::this_thread::sleep_for(std::chrono::microseconds(100));
      }
      if (assign[1] == 0) break;
      const auto first = static_cast<std::size_t>(assign[0]), count = static_cast<std::size_t>(assign[1]);
      try {
        batch::execute(study, rows, local_options(first, count));
        payload = encode_block(rows, first, count);
      } catch (const std::exception& e) {
        local_error = e.what();
        payload = "!rank " + std::to_string(rank_) + ": " + local_error + "\n";
      }
    }
    if (!local_error.empty()) throw std::runtime_error("MPI rank " + std::to_string(rank_) + ": " + local_error);
    return;
  }

  // Rank 0: hands out blocks on request and writes the rows it receives into their slots, while a
  // thread of its own runs blocks too (only this, the calling thread, calls MPI: MPI_THREAD_FUNNELED).
  std::atomic<std::size_t> next{0};     // first index of the next block
  std::atomic<bool> failed{false};      // no more blocks after a failure
  std::atomic<std::size_t> done_local{0};
  std::atomic<bool> local_finished{false};
  auto take = [&](std::size_t& first, std::size_t& count) {
    if (failed.load()) return false;
    first = next.fetch_add(block);
    if (first >= total) return false;
    count = std::min(block, total - first);
    return true;
  };
  std::string errors;
  std::exception_ptr local_error;
  std::thread local([&] {
    try {
      std::size_t first = 0, count = 0;
      while (take(first, count)) {
        batch::execute(study, rows, local_options(first, count));
        done_local.fetch_add(count);
      }
    } catch (...) {
      local_error = std::current_exception();
      failed = true;
    }
    local_finished = true;
  });

  std::size_t received = 0;
  int active = size_ - 1;
  const auto t0 = std::chrono::steady_clock::now();
  auto last_progress = t0;
  auto progress = [&] {
    if (!options.on_progress) return;
    Progress p;
    p.total = total;
    p.done = std::min(total, received + done_local.load());
    p.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    p.runs_per_s = p.elapsed_s > 0 ? static_cast<double>(p.done) / p.elapsed_s : 0.0;
    if (p.runs_per_s > 0) p.eta_s = static_cast<double>(total - p.done) / p.runs_per_s;
    options.on_progress(p);
  };
  std::string buffer;
  while (active > 0) {
    int flag = 0;
    MPI_Status status;
    MPI_Iprobe(MPI_ANY_SOURCE, kTagRequest, MPI_COMM_WORLD, &flag, &status);
    if (flag == 0) {
      // Polling with a short sleep (0.2 ms) leaves the core to the runs (a blocking probe spins in
      // Open MPI).
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    } else {
      int length = 0;
      MPI_Get_count(&status, MPI_CHAR, &length);
      buffer.resize(static_cast<std::size_t>(length));
      MPI_Recv(buffer.data(), length, MPI_CHAR, status.MPI_SOURCE, kTagRequest, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      std::size_t start = 0;
      while (start < buffer.size()) {
        std::size_t end = buffer.find('\n', start);
        if (end == std::string::npos) end = buffer.size();
        const std::string_view line(buffer.data() + start, end - start);
        if (!line.empty() && line.front() == '!') {
          errors += (errors.empty() ? "" : "; ") + std::string(line.substr(1));
          failed = true;
        } else if (!line.empty()) {
          std::optional<RunRow> row = decode_row_or_null(study, line);
          if (!row) {
            errors += (errors.empty() ? "" : "; ") + std::string("a rank sent a malformed row: ") + std::string(line.substr(0, 80));
            failed = true;
          } else {
            const std::size_t index = static_cast<std::size_t>(row->variant) * study.runs + row->run;
            rows[index] = std::move(*row);
            ++received;
          }
        }
        start = end + 1;
      }
      unsigned long long assign[2] = {0, 0};
      std::size_t first = 0, count = 0;
      if (take(first, count)) {
        assign[0] = first;
        assign[1] = count;
      } else {
        --active;
      }
      MPI_Send(assign, 2, MPI_UNSIGNED_LONG_LONG, status.MPI_SOURCE, kTagAssign, MPI_COMM_WORLD);
    }
    if (std::chrono::steady_clock::now() - last_progress >= options.progress_every) {
      last_progress = std::chrono::steady_clock::now();
      progress();
    }
  }
  local.join();
  progress();
  if (local_error) {
    try {
      std::rethrow_exception(local_error);
    } catch (const std::exception& e) {
      errors = std::string("rank 0: ") + e.what() + (errors.empty() ? "" : "; " + errors);
    }
  }
  if (!errors.empty()) throw std::runtime_error("MPI: " + errors);
  (void)local_finished.load();
  // Runs stopped at --max-wall-per-run leave their slot empty (reported through on_timed_out).
  if (!options.on_timed_out)
    for (std::size_t i = 0; i < total; ++i)
      if (!rows[i]) throw std::runtime_error("MPI: run " + std::to_string(i) + " is missing after the work sharing");
}

#else

MpiSession::MpiSession() {
  throw std::runtime_error("this cyberdrill was built without MPI (configure with -DCYBERDRILL_WITH_MPI=ON)");
}

MpiSession::~MpiSession() = default;

void MpiSession::execute(const Study&, std::vector<std::optional<RunRow>>&, ExecuteOptions) const {
  throw std::runtime_error("this cyberdrill was built without MPI (configure with -DCYBERDRILL_WITH_MPI=ON)");
}

#endif

}  // namespace cyberdrill::batch
