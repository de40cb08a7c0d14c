// Distributing a study over MPI ranks (only with CYBERDRILL_WITH_MPI): static round-robin of the
// (variant, run) indices, rows gathered to rank 0 as checkpoint lines (encode_row, an exact round
// trip) with MPI_Gatherv, so rank 0 holds exactly the rows a threaded run would have.
#include <limits>
#include <stdexcept>

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

void MpiSession::execute(const Study& study, std::vector<std::optional<RunRow>>& rows, ExecuteOptions options) const {
  const std::size_t total = study.total_runs();
  options.indices.clear();
  for (std::size_t i = static_cast<std::size_t>(rank_); i < total; i += static_cast<std::size_t>(size_))
    options.indices.push_back(i);
  // Every rank must reach the gather with all of its rows: no partial stops under MPI.
  options.stop_after = 0;
  options.cancel = nullptr;

  std::string payload;
  std::string local_error;
  try {
    if (rows.size() != total) throw std::invalid_argument("rows has the wrong number of slots");
    batch::execute(study, rows, options);
    for (const std::size_t i : options.indices) {
      payload += encode_row(*rows[i]);
      payload += '\n';
    }
  } catch (const std::exception& e) {
    local_error = e.what();
    payload = "!rank " + std::to_string(rank_) + ": " + local_error + "\n";
  }
  if (payload.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    payload = "!rank " + std::to_string(rank_) + ": more than 2 GiB of rows for one gather\n";

  const int length = static_cast<int>(payload.size());
  std::vector<int> lengths(rank_ == 0 ? static_cast<std::size_t>(size_) : 0);
  MPI_Gather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
  std::vector<int> displacements(lengths.size(), 0);
  std::string gathered;
  if (rank_ == 0) {
    long long sum = 0;
    for (std::size_t r = 0; r < lengths.size(); ++r) {
      displacements[r] = static_cast<int>(sum);
      sum += lengths[r];
      if (sum > std::numeric_limits<int>::max()) throw std::runtime_error("MPI: more than 2 GiB of rows to gather");
    }
    gathered.resize(static_cast<std::size_t>(sum));
  }
  MPI_Gatherv(payload.data(), length, MPI_CHAR, gathered.data(), lengths.data(), displacements.data(), MPI_CHAR, 0,
              MPI_COMM_WORLD);

  if (!local_error.empty()) throw std::runtime_error("MPI rank " + std::to_string(rank_) + ": " + local_error);
  if (rank_ != 0) return;
  std::string errors;
  std::size_t start = 0;
  while (start < gathered.size()) {
    std::size_t end = gathered.find('\n', start);
    if (end == std::string::npos) end = gathered.size();
    const std::string_view line(gathered.data() + start, end - start);
    if (!line.empty() && line.front() == '!') {
      errors += (errors.empty() ? "" : "; ") + std::string(line.substr(1));
    } else if (!line.empty()) {
      std::optional<RunRow> row = decode_row_or_null(study, line);
      if (!row) throw std::runtime_error("MPI: a rank sent a malformed row: " + std::string(line.substr(0, 80)));
      rows[static_cast<std::size_t>(row->variant) * study.runs + row->run] = std::move(*row);
    }
    start = end + 1;
  }
  if (!errors.empty()) throw std::runtime_error("MPI: " + errors);
  for (std::size_t i = 0; i < total; ++i)
    if (!rows[i]) throw std::runtime_error("MPI: run " + std::to_string(i) + " is missing after the gather");
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
