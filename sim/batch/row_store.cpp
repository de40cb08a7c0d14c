// RowStore: a study's rows in a temporary file, one column per field, so that memory does not grow
// with the number of runs; and the statistics computed from it in passes over single columns.
//
// File layout (total = Study::total_runs()): 8-byte columns events, fingerprint, then one per
// metric (the value's bits; a signalling-NaN pattern no arithmetic produces marks "never
// happened"), then one per value of RunRow::impact, then 1-byte columns, one per objective's rating. Value i of a column is at
// column_offset(c) + i * width.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstring>

#include "cyberdrill/batch.hpp"

namespace cyberdrill::batch {
namespace {

constexpr std::size_t kPending = 256;  // rows buffered before a write
constexpr std::size_t kBlock = 512;    // rows read per block
constexpr std::uint64_t kAbsent = 0x7FF0'0000'DEAD'BEEFull;  // a signalling NaN: never computed

std::uint64_t bits_of(double v) {
  std::uint64_t b = 0;
  std::memcpy(&b, &v, sizeof b);
  return b;
}
double double_of(std::uint64_t b) {
  double v = 0;
  std::memcpy(&v, &b, sizeof v);
  return v;
}

}  // namespace

RowStore::RowStore(const Study& study, const std::filesystem::path& dir)
    : total_(study.total_runs()),
      runs_(study.runs),
      base_seed_(study.base_seed),
      metrics_(study.metrics.size()),
      objectives_(study.objectives.size()),
      impact_(2 * std::size_t{study.impact_points}),
      seeds_(study.seeds),
      dir_(dir),
      stored_((total_ + 63) / 64, 0) {
  std::string name = (dir / ".cyberdrill-rows-XXXXXX").string();
  fd_ = ::mkstemp(name.data());
  if (fd_ < 0) throw std::runtime_error("cannot create a temporary file in " + dir.string() + ": " + std::strerror(errno));
  ::unlink(name.c_str());  // anonymous from now on: the space is freed when the file is closed
  pending_.reserve(kPending);
}

RowStore::~RowStore() {
  if (fd_ >= 0) ::close(fd_);
}

std::uint64_t RowStore::column_offset(std::size_t column) const {
  const std::size_t wide = 2 + metrics_ + impact_;
  if (column < wide) return static_cast<std::uint64_t>(column) * total_ * 8;
  return static_cast<std::uint64_t>(wide) * total_ * 8 + static_cast<std::uint64_t>(column - wide) * total_;
}

void RowStore::write_at(std::uint64_t offset, const void* data, std::size_t bytes) const {
  const char* p = static_cast<const char*>(data);
  while (bytes > 0) {
    const ssize_t n = ::pwrite(fd_, p, bytes, static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("cannot write the study's rows in " + dir_.string() + ": " + std::strerror(errno));
    }
    p += n;
    offset += static_cast<std::uint64_t>(n);
    bytes -= static_cast<std::size_t>(n);
  }
}

void RowStore::read_at(std::uint64_t offset, void* data, std::size_t bytes) const {
  char* p = static_cast<char*>(data);
  while (bytes > 0) {
    const ssize_t n = ::pread(fd_, p, bytes, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw std::runtime_error("cannot read the study's rows in " + dir_.string());
    p += n;
    offset += static_cast<std::uint64_t>(n);
    bytes -= static_cast<std::size_t>(n);
  }
}

std::size_t RowStore::count() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return count_;
}

bool RowStore::has(std::size_t index) const {
  if (index >= total_) return false;
  const std::lock_guard<std::mutex> lock(mutex_);
  return (stored_[index / 64] >> (index % 64)) & 1u;
}

void RowStore::put(const RunRow& row) {
  const std::size_t index = static_cast<std::size_t>(row.variant) * runs_ + row.run;
  if (row.run >= runs_ || index >= total_ || row.metrics.size() != metrics_ || row.ratings.size() != objectives_ ||
      row.impact.size() != impact_)
    throw std::invalid_argument("RowStore::put: the row does not fit the study");
  const std::lock_guard<std::mutex> lock(mutex_);
  pending_.push_back(row);
  std::uint64_t& word = stored_[index / 64];
  const std::uint64_t bit = std::uint64_t{1} << (index % 64);
  if ((word & bit) == 0) ++count_;
  word |= bit;
  if (pending_.size() >= kPending) flush_locked();
}

// Writes the buffered rows column by column, one write per run of consecutive indices (runs
// complete in nearly index order, so a flush is a few writes per column).
void RowStore::flush_locked() const {
  if (pending_.empty()) return;
  auto index_of = [this](const RunRow& r) { return static_cast<std::size_t>(r.variant) * runs_ + r.run; };
  std::stable_sort(pending_.begin(), pending_.end(),
                   [&](const RunRow& a, const RunRow& b) { return index_of(a) < index_of(b); });
  std::vector<std::uint64_t> wide;
  std::vector<std::uint8_t> narrow;
  const std::size_t wide_columns = 2 + metrics_ + impact_;
  const std::size_t columns = wide_columns + objectives_;
  for (std::size_t from = 0; from < pending_.size();) {
    std::size_t to = from + 1;
    while (to < pending_.size() && index_of(pending_[to]) == index_of(pending_[to - 1]) + 1) ++to;
    const std::size_t first = index_of(pending_[from]);
    for (std::size_t c = 0; c < columns; ++c) {
      if (c < wide_columns) {
        wide.clear();
        for (std::size_t k = from; k < to; ++k) {
          const RunRow& r = pending_[k];
          if (c == 0) wide.push_back(r.events);
          else if (c == 1) wide.push_back(r.fingerprint);
          else if (c >= 2 + metrics_) wide.push_back(bits_of(r.impact[c - 2 - metrics_]));
          else wide.push_back(r.metrics[c - 2] ? bits_of(*r.metrics[c - 2]) : kAbsent);
        }
        write_at(column_offset(c) + first * 8, wide.data(), wide.size() * 8);
      } else {
        narrow.clear();
        for (std::size_t k = from; k < to; ++k)
          narrow.push_back(static_cast<std::uint8_t>(pending_[k].ratings[c - wide_columns]));
        write_at(column_offset(c) + first, narrow.data(), narrow.size());
      }
    }
    from = to;
  }
  pending_.clear();
}

void RowStore::for_each(std::size_t first, std::size_t n, const std::function<void(const RunRow&)>& f) const {
  if (first + n > total_) throw std::out_of_range("RowStore::for_each: past the study's runs");
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    flush_locked();
    for (std::size_t i = first; i < first + n; ++i)
      if (((stored_[i / 64] >> (i % 64)) & 1u) == 0) throw std::out_of_range("RowStore: row " + std::to_string(i) + " is not stored");
  }
  std::vector<std::uint64_t> wide;
  std::vector<std::uint8_t> narrow;
  RunRow row;
  for (std::size_t at = first; at < first + n; at += kBlock) {
    const std::size_t m = std::min(kBlock, first + n - at);
    const std::size_t wide_columns = 2 + metrics_ + impact_;
    wide.resize(wide_columns * m);
    narrow.resize(objectives_ * m);
    for (std::size_t c = 0; c < wide_columns; ++c) read_at(column_offset(c) + at * 8, wide.data() + c * m, m * 8);
    for (std::size_t o = 0; o < objectives_; ++o) read_at(column_offset(wide_columns + o) + at, narrow.data() + o * m, m);
    for (std::size_t k = 0; k < m; ++k) {
      const std::size_t i = at + k;
      row.variant = static_cast<std::uint32_t>(i / runs_);
      row.run = static_cast<std::uint32_t>(i % runs_);
      row.seed = derive_seed(seeds_, base_seed_, row.variant, row.run);  // Study::seed_for
      row.events = wide[k];
      row.fingerprint = wide[m + k];
      row.metrics.resize(metrics_);
      for (std::size_t c = 0; c < metrics_; ++c) {
        const std::uint64_t b = wide[(2 + c) * m + k];
        row.metrics[c] = b == kAbsent ? std::nullopt : std::optional<double>(double_of(b));
      }
      row.impact.resize(impact_);
      for (std::size_t c = 0; c < impact_; ++c) row.impact[c] = double_of(wide[(2 + metrics_ + c) * m + k]);
      row.ratings.resize(objectives_);
      for (std::size_t o = 0; o < objectives_; ++o) row.ratings[o] = static_cast<Rating>(narrow[o * m + k]);
      f(row);
    }
  }
}

RunRow RowStore::get(std::size_t index) const {
  RunRow out;
  for_each(index, 1, [&](const RunRow& r) { out = r; });
  return out;
}

void RowStore::read_metric(std::size_t first, std::size_t n, std::size_t metric, std::optional<double>* out) const {
  if (first + n > total_ || metric >= metrics_) throw std::out_of_range("RowStore::read_metric: out of range");
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    flush_locked();
  }
  std::array<std::uint64_t, kBlock> buf{};
  for (std::size_t at = first; at < first + n; at += kBlock) {
    const std::size_t m = std::min(kBlock, first + n - at);
    read_at(column_offset(2 + metric) + at * 8, buf.data(), m * 8);
    for (std::size_t k = 0; k < m; ++k)
      out[at - first + k] = buf[k] == kAbsent ? std::nullopt : std::optional<double>(double_of(buf[k]));
  }
}

void RowStore::read_impact(std::size_t first, std::size_t n, std::size_t k, double* out) const {
  if (first + n > total_ || k >= impact_) throw std::out_of_range("RowStore::read_impact: out of range");
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    flush_locked();
  }
  std::array<std::uint64_t, kBlock> buf{};
  for (std::size_t at = first; at < first + n; at += kBlock) {
    const std::size_t m = std::min(kBlock, first + n - at);
    read_at(column_offset(2 + metrics_ + k) + at * 8, buf.data(), m * 8);
    for (std::size_t j = 0; j < m; ++j) out[at - first + j] = double_of(buf[j]);
  }
}

// ---------------------------------------------------------------------------------------------
// Statistics in passes over a column
// ---------------------------------------------------------------------------------------------
namespace {

// A key whose unsigned order is the order of the doubles (negative values bit-flipped).
std::uint64_t order_key(double v) {
  const std::uint64_t b = bits_of(v);
  return (b >> 63) != 0 ? ~b : b | (std::uint64_t{1} << 63);
}
double from_order_key(std::uint64_t k) { return double_of((k >> 63) != 0 ? k & ~(std::uint64_t{1} << 63) : ~k); }

// `each(f)` calls f(value) on every value of the sample, always in the same order. Mirrors
// describe(): sum and sum of squares in that order, the t interval, and quantiles (type 7) from
// order statistics found by radix selection, 8 passes of 8 bits for all of them at once.
template <class Each>
std::optional<SampleStats> describe_passes(const Each& each) {
  SampleStats s;
  double sum = 0;
  each([&](double v) {
    ++s.n;
    sum += v;
  });
  if (s.n == 0) return std::nullopt;
  const auto n = static_cast<double>(s.n);
  s.mean = sum / n;
  if (s.n >= 2) {
    double ss = 0;
    each([&](double v) { ss += (v - s.mean) * (v - s.mean); });
    s.sd = std::sqrt(ss / (n - 1));
    const double half = t_quantile(0.975, n - 1) * *s.sd / std::sqrt(n);
    s.ci_low = s.mean - half;
    s.ci_high = s.mean + half;
  }
  // The ranks needed: min, max, and for each quantile the two order statistics it interpolates.
  constexpr std::array<double, 3> ps{0.10, 0.50, 0.90};
  std::array<std::size_t, 8> rank{};
  rank[0] = 0;
  rank[1] = s.n - 1;
  for (std::size_t q = 0; q < ps.size(); ++q) {
    const double h = (n - 1) * ps[q];
    const auto lo = static_cast<std::size_t>(std::floor(h));
    rank[2 + 2 * q] = lo;
    rank[3 + 2 * q] = std::min(lo + 1, s.n - 1);
  }
  std::array<std::uint64_t, 8> prefix{};
  std::array<std::size_t, 8> left = rank;  // rank within the values matching the prefix
  std::vector<std::array<std::size_t, 256>> counts(rank.size());
  for (int shift = 56; shift >= 0; shift -= 8) {
    for (auto& c : counts) c.fill(0);
    const std::uint64_t high = shift == 56 ? 0 : ~std::uint64_t{0} << (shift + 8);
    each([&](double v) {
      const std::uint64_t k = order_key(v);
      const auto digit = static_cast<std::size_t>((k >> shift) & 0xFF);
      for (std::size_t r = 0; r < rank.size(); ++r)
        if ((k & high) == prefix[r]) ++counts[r][digit];
    });
    for (std::size_t r = 0; r < rank.size(); ++r) {
      std::size_t d = 0;
      while (left[r] >= counts[r][d]) left[r] -= counts[r][d++];
      prefix[r] |= static_cast<std::uint64_t>(d) << shift;
    }
  }
  auto at = [&](std::size_t r) { return from_order_key(prefix[r]); };
  s.min = at(0);
  s.max = at(1);
  auto quantile = [&](std::size_t q) {
    const double h = (n - 1) * ps[q];
    const auto lo = static_cast<std::size_t>(std::floor(h));
    if (lo + 1 >= s.n) return s.max;
    const double a = at(2 + 2 * q), b = at(3 + 2 * q);
    return a + (h - static_cast<double>(lo)) * (b - a);
  };
  s.p10 = quantile(0);
  s.median = quantile(1);
  s.p90 = quantile(2);
  return s;
}

}  // namespace

std::vector<VariantSummary> summarise(const Study& study, const RowStore& rows) {
  if (rows.total() != study.total_runs() || rows.count() != study.total_runs())
    throw std::invalid_argument("summarise: the row store holds " + std::to_string(rows.count()) + " of " +
                                std::to_string(study.total_runs()) + " rows");
  std::vector<VariantSummary> out(study.variants.size());
  std::vector<std::optional<double>> a(kBlock), b(kBlock);
  for (std::size_t v = 0; v < study.variants.size(); ++v) {
    VariantSummary& vs = out[v];
    const std::size_t base = v * study.runs;
    for (std::size_t m = 0; m < study.metrics.size(); ++m) {
      MetricSummary ms;
      ms.runs = study.runs;
      ms.stats = describe_passes([&](const auto& f) {
        for (std::size_t at = 0; at < study.runs; at += kBlock) {
          const std::size_t k = std::min<std::size_t>(kBlock, study.runs - at);
          rows.read_metric(base + at, k, m, a.data());
          for (std::size_t i = 0; i < k; ++i)
            if (a[i]) f(*a[i]);
        }
      });
      if (v > 0) {
        ms.diff = describe_passes([&](const auto& f) {
          for (std::size_t at = 0; at < study.runs; at += kBlock) {
            const std::size_t k = std::min<std::size_t>(kBlock, study.runs - at);
            rows.read_metric(base + at, k, m, a.data());
            rows.read_metric(at, k, m, b.data());
            for (std::size_t i = 0; i < k; ++i)
              if (a[i] && b[i]) f(*a[i] - *b[i]);
          }
        });
      }
      vs.metrics.push_back(std::move(ms));
    }
    vs.ratings.assign(study.objectives.size(), {0, 0, 0, 0});
    rows.for_each(base, study.runs, [&](const RunRow& r) {
      for (std::size_t o = 0; o < study.objectives.size(); ++o) ++vs.ratings[o][static_cast<std::size_t>(r.ratings[o])];
    });
  }
  return out;
}

// The impact bands from the store in passes over each column (radix selection of the order
// statistics, as summarise), so memory does not hold a column of every run: the same values as
// impact_bands(study, impact_column(study, rows)), which sorts one column at a time.
std::vector<ImpactBand> impact_bands(const Study& study, const RowStore& rows) {
  if (rows.total() != study.total_runs() || rows.count() != study.total_runs())
    throw std::invalid_argument("impact_bands: the row store holds " + std::to_string(rows.count()) + " of " +
                                std::to_string(study.total_runs()) + " rows");
  std::vector<ImpactBand> out;
  const std::size_t points = study.impact_points;
  std::vector<double> buf(kBlock);
  for (std::size_t v = 0; v < study.variants.size(); ++v) {
    for (std::size_t s = 0; s < impact_series_names().size(); ++s) {
      ImpactBand b;
      b.variant = v;
      b.series = impact_series_names()[s];
      for (std::size_t k = 0; k < points; ++k) {
        const std::optional<SampleStats> st = describe_passes([&](const auto& f) {
          for (std::size_t at = 0; at < study.runs; at += kBlock) {
            const std::size_t m = std::min<std::size_t>(kBlock, study.runs - at);
            rows.read_impact(v * study.runs + at, m, s * points + k, buf.data());
            for (std::size_t i = 0; i < m; ++i) f(buf[i]);
          }
        });
        if (!st) continue;
        b.time_h.push_back(static_cast<double>(k) * study.impact_step_h);
        b.p10.push_back(st->p10);
        b.median.push_back(st->median);
        b.p90.push_back(st->p90);
      }
      out.push_back(std::move(b));
    }
  }
  return out;
}

}  // namespace cyberdrill::batch
