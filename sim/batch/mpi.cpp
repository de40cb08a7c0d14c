// Distributing a study over MPI ranks (only with CYBERDRILL_WITH_MPI): dynamic work sharing. A
// worker rank asks rank 0 for the next block of (variant, run) indices, sending the rows of its
// previous block with the request as binary records (pack_row, an exact round trip); rank 0
// hands out blocks, runs blocks of its own on a second thread, and stores every row in its slot
// (a vector or the RowStore the -j path uses), so rank 0 holds exactly the rows a threaded run
// would have, whichever rank ran which block.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
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

// ---------------------------------------------------------------------------------------------
// Binary row records (the exchange between ranks)
// ---------------------------------------------------------------------------------------------
namespace {

template <class T>
void put_raw(std::string& out, const T& v) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &v, sizeof(T));
  out.append(bytes, sizeof(T));
}
template <class T>
T get_raw(std::string_view in, std::size_t& at) {
  T v{};
  std::memcpy(&v, in.data() + at, sizeof(T));
  at += sizeof(T);
  return v;
}

}  // namespace

std::size_t row_record_bytes(const Study& study) {
  return 4 + 4 + 8 + 8 + 9 * study.metrics.size() + 8 * 2 * std::size_t{study.impact_points} + study.objectives.size();
}

void pack_row(const Study& study, const RunRow& row, std::string& out) {
  if (row.metrics.size() != study.metrics.size() || row.ratings.size() != study.objectives.size() ||
      row.impact.size() != 2 * std::size_t{study.impact_points})
    throw std::invalid_argument("pack_row: the row does not fit the study");
  put_raw(out, row.variant);
  put_raw(out, row.run);
  put_raw(out, row.events);
  put_raw(out, row.fingerprint);
  for (const std::optional<double>& m : row.metrics) {
    out += m ? '\1' : '\0';
    put_raw(out, m ? *m : 0.0);
  }
  for (const double x : row.impact) put_raw(out, x);
  for (const Rating g : row.ratings) out += static_cast<char>(static_cast<std::uint8_t>(g));
}

RunRow unpack_row(const Study& study, std::string_view record) {
  if (record.size() != row_record_bytes(study)) throw std::invalid_argument("unpack_row: a record of the wrong size");
  std::size_t at = 0;
  RunRow row;
  row.variant = get_raw<std::uint32_t>(record, at);
  row.run = get_raw<std::uint32_t>(record, at);
  if (row.variant >= study.variants.size() || row.run >= study.runs)
    throw std::invalid_argument("unpack_row: run " + std::to_string(row.variant) + "/" + std::to_string(row.run) +
                                " is not in the study");
  row.seed = study.seed_for(row.variant, row.run);
  row.events = get_raw<std::uint64_t>(record, at);
  row.fingerprint = get_raw<std::uint64_t>(record, at);
  row.metrics.resize(study.metrics.size());
  for (std::optional<double>& m : row.metrics) {
    const char present = record[at++];
    const double v = get_raw<double>(record, at);
    if (present == '\1') m = v;
    else if (present != '\0') throw std::invalid_argument("unpack_row: a malformed metric");
  }
  row.impact.resize(2 * std::size_t{study.impact_points});
  for (double& x : row.impact) x = get_raw<double>(record, at);
  row.ratings.resize(study.objectives.size());
  for (Rating& g : row.ratings) {
    const auto b = static_cast<std::uint8_t>(record[at++]);
    if (b > static_cast<std::uint8_t>(Rating::U)) throw std::invalid_argument("unpack_row: a malformed rating");
    g = static_cast<Rating>(b);
  }
  return row;
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

constexpr int kTagRequest = 1;  // worker -> rank 0: a kind byte, then the records of its last block or an error text
constexpr int kTagAssign = 2;   // rank 0 -> worker: {first, count} of a block; count 0 = no more
constexpr char kRows = 'R', kError = 'E';

// Runs of one block: large enough that a request costs little against the runs, small enough that
// the last blocks balance the ranks (16 blocks per rank when there are enough runs).
std::size_t block_size(std::size_t total, int size) {
  return std::clamp<std::size_t>(total / (static_cast<std::size_t>(size) * 16), 1, 32);
}

// Waits for a posted receive without spinning: Open MPI's blocking calls busy-poll, which on a
// machine with as many ranks as cores takes a core from the runs.
void wait_quietly(MPI_Request& request) {
  for (int arrived = 0;;) {
    MPI_Test(&request, &arrived, MPI_STATUS_IGNORE);
    if (arrived) return;
    std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
}

// A worker (rank > 0). It keeps two requests outstanding: it asks for a block, and while it runs
// that block the answer to its previous request (the next block) is already on its way, so it
// never waits for rank 0 between blocks. Rank 0 answers every request; once there is no more
// work every answer is "none", so a worker's last two answers are "none" and rank 0 counts them.
void work(const Study& study, const ExecuteOptions& options, int rank,
          const std::function<void(const RunRow&)>& keep) {
  const std::size_t record = row_record_bytes(study);
  std::string payload(1, kRows), sending;
  std::string local_error;
  MPI_Request send_request = MPI_REQUEST_NULL;
  auto send = [&](std::string text) {
    if (send_request != MPI_REQUEST_NULL) wait_quietly(send_request);  // the previous payload is out
    if (text.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
      text = std::string(1, kError) + "rank " + std::to_string(rank) + ": more than 2 GiB of rows in one block";
    sending = std::move(text);
    MPI_Isend(sending.data(), static_cast<int>(sending.size()), MPI_CHAR, 0, kTagRequest, MPI_COMM_WORLD, &send_request);
  };
  unsigned long long assign[2][2] = {{0, 0}, {0, 0}};
  MPI_Request answer[2] = {MPI_REQUEST_NULL, MPI_REQUEST_NULL};
  // Answers arrive in request order (MPI does not overtake between one pair of ranks).
  for (int k = 0; k < 2; ++k) {
    MPI_Irecv(assign[k], 2, MPI_UNSIGNED_LONG_LONG, 0, kTagAssign, MPI_COMM_WORLD, &answer[k]);
    send(std::string(1, kRows));
  }
  for (int slot = 0;; slot ^= 1) {
    wait_quietly(answer[slot]);
    const auto first = static_cast<std::size_t>(assign[slot][0]), count = static_cast<std::size_t>(assign[slot][1]);
    if (count == 0) {
      wait_quietly(answer[slot ^ 1]);  // the other outstanding request's answer: none as well
      break;
    }
    payload.assign(1, kRows);
    if (local_error.empty()) {
      try {
        ExecuteOptions o = options;
        o.on_progress = nullptr;
        o.indices.resize(count);
        for (std::size_t k = 0; k < count; ++k) o.indices[k] = first + k;
        payload.reserve(1 + count * record);
        (void)execute_streamed(
            study,
            [&](const RunRow& row) {
              pack_row(study, row, payload);
              if (keep) keep(row);
            },
            o);
      } catch (const std::exception& e) {
        local_error = e.what();
        payload = std::string(1, kError) + "rank " + std::to_string(rank) + ": " + local_error;
      }
    }
    MPI_Irecv(assign[slot], 2, MPI_UNSIGNED_LONG_LONG, 0, kTagAssign, MPI_COMM_WORLD, &answer[slot]);
    send(std::move(payload));
  }
  if (send_request != MPI_REQUEST_NULL) wait_quietly(send_request);
  if (!local_error.empty()) throw std::runtime_error("MPI rank " + std::to_string(rank) + ": " + local_error);
}

// Rank 0: hands out blocks on request and stores the rows it receives, while a thread of its own
// runs blocks of the same queue (only this, the calling thread, calls MPI: MPI_THREAD_FUNNELED).
// `store` is called from both threads (it must be thread-safe); `run_local` runs a block.
void lead(const Study& study, const ExecuteOptions& options, int size, const std::function<void(RunRow&&)>& store,
          const std::function<void(const ExecuteOptions&)>& run_local) {
  const std::size_t total = study.total_runs();
  const std::size_t block = block_size(total, size);
  const std::size_t record = row_record_bytes(study);
  std::atomic<std::size_t> next{0};     // first index of the next block
  std::atomic<bool> failed{false};      // no more blocks after a failure
  std::atomic<std::size_t> done_local{0};
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
        ExecuteOptions o = options;
        o.on_progress = nullptr;
        o.indices.resize(count);
        for (std::size_t k = 0; k < count; ++k) o.indices[k] = first + k;
        run_local(o);
        done_local.fetch_add(count);
      }
    } catch (...) {
      local_error = std::current_exception();
      failed = true;
    }
  });

  std::size_t received = 0;
  std::vector<int> nones(static_cast<std::size_t>(size), 0);  // "no more" answers sent per worker
  int active = size - 1;
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
  auto fail = [&](const std::string& what) {
    errors += (errors.empty() ? "" : "; ") + what;
    failed = true;
  };
  std::string buffer;
  while (active > 0) {
    int flag = 0;
    MPI_Status status;
    MPI_Iprobe(MPI_ANY_SOURCE, kTagRequest, MPI_COMM_WORLD, &flag, &status);
    if (flag == 0) {
      // Workers hold a block in reserve, so answers may wait a little: a 0.5 ms sleep leaves the
      // core to the runs (a blocking probe spins in Open MPI).
      std::this_thread::sleep_for(std::chrono::microseconds(500));
    } else {
      int length = 0;
      MPI_Get_count(&status, MPI_CHAR, &length);
      buffer.resize(static_cast<std::size_t>(length));
      MPI_Recv(buffer.data(), length, MPI_CHAR, status.MPI_SOURCE, kTagRequest, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      if (buffer.empty()) {
        fail("rank " + std::to_string(status.MPI_SOURCE) + " sent an empty message");
      } else if (buffer.front() == kError) {
        fail(buffer.substr(1));
      } else if ((buffer.size() - 1) % record != 0) {
        fail("rank " + std::to_string(status.MPI_SOURCE) + " sent " + std::to_string(buffer.size() - 1) +
             " bytes of rows, not a multiple of " + std::to_string(record));
      } else {
        try {
          for (std::size_t at = 1; at < buffer.size(); at += record) {
            store(unpack_row(study, std::string_view(buffer).substr(at, record)));
            ++received;
          }
        } catch (const std::exception& e) {
          fail("rank " + std::to_string(status.MPI_SOURCE) + "'s rows: " + e.what());
        }
      }
      unsigned long long assign[2] = {0, 0};
      std::size_t first = 0, count = 0;
      if (take(first, count)) {
        assign[0] = first;
        assign[1] = count;
      } else if (++nones[static_cast<std::size_t>(status.MPI_SOURCE)] == 2) {
        --active;  // its last request: every row it ran has arrived
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
}

// Every rank must answer until rank 0 says there is no more: no partial stops under MPI.
void collective_options(ExecuteOptions& options) {
  options.indices.clear();
  options.stop_after = 0;
  options.cancel = nullptr;
}

}  // namespace

void MpiSession::execute(const Study& study, std::vector<std::optional<RunRow>>& rows, ExecuteOptions options) const {
  const std::size_t total = study.total_runs();
  if (rows.size() != total) throw std::invalid_argument("MPI: rows has the wrong number of slots");
  collective_options(options);
  auto index_of = [&](const RunRow& r) { return static_cast<std::size_t>(r.variant) * study.runs + r.run; };
  if (rank_ != 0) {
    work(study, options, rank_, [&](const RunRow& row) { rows[index_of(row)] = row; });
    return;
  }
  lead(
      study, options, size_, [&](RunRow&& row) { rows[index_of(row)] = std::move(row); },  // distinct slots
      [&](const ExecuteOptions& o) { (void)batch::execute(study, rows, o); });
  // Runs stopped at --max-wall-per-run leave their slot empty (reported through on_timed_out).
  if (!options.on_timed_out)
    for (std::size_t i = 0; i < total; ++i)
      if (!rows[i]) throw std::runtime_error("MPI: run " + std::to_string(i) + " is missing after the work sharing");
}

void MpiSession::execute(const Study& study, RowStore* rows, ExecuteOptions options) const {
  collective_options(options);
  if (rank_ != 0) {
    work(study, options, rank_, nullptr);
    return;
  }
  if (rows == nullptr || rows->total() != study.total_runs())
    throw std::invalid_argument("MPI: rank 0 needs a row store of the study's size");
  lead(
      study, options, size_, [&](RunRow&& row) { rows->put(row); },
      [&](const ExecuteOptions& o) { (void)execute_streamed(study, [&](const RunRow& row) { rows->put(row); }, o); });
  if (!options.on_timed_out && rows->count() != study.total_runs())
    throw std::runtime_error("MPI: " + std::to_string(study.total_runs() - rows->count()) +
                             " runs are missing after the work sharing");
}

#else

MpiSession::MpiSession() {
  throw std::runtime_error("this cyberdrill was built without MPI (configure with -DCYBERDRILL_WITH_MPI=ON)");
}

MpiSession::~MpiSession() = default;

void MpiSession::execute(const Study&, std::vector<std::optional<RunRow>>&, ExecuteOptions) const {
  throw std::runtime_error("this cyberdrill was built without MPI (configure with -DCYBERDRILL_WITH_MPI=ON)");
}

void MpiSession::execute(const Study&, RowStore*, ExecuteOptions) const {
  throw std::runtime_error("this cyberdrill was built without MPI (configure with -DCYBERDRILL_WITH_MPI=ON)");
}

#endif

}  // namespace cyberdrill::batch
